//! The casework forms (issue 17 item 3) — Prepare a meeting pack, Record supervision, Amend an
//! observation — for the shells, in one shape: a draft, the form built from it, its changes,
//! and Save. Translation only: the fields, choices, what is required, whether Save is enabled,
//! the reading of typed London times and Save's checks are `safeshare_core::screens::
//! casework_forms`'s. A shell gets a draft from `casework().formDraft(kind)`, shows each field's
//! text from `caseworkFormText`, changes the draft only through the `casework_form_with_*`
//! functions, renders `casework().form(draft)` after each change and calls `saveForm(draft)`
//! on Save, all off the main thread.

use crate::error::Result;
use crate::session::{Casework, OverCore};
use safeshare_core::screens::{
    CaseworkChoice, CaseworkFieldKey, CaseworkFormDraft, CaseworkFormKind, CaseworkFormSaved,
    CaseworkFormScreen,
};

/// What is typed in the field `key` of `draft` ("" when nothing): what the field shows.
#[uniffi::export]
pub fn casework_form_text(draft: CaseworkFormDraft, key: CaseworkFieldKey) -> String {
    draft.text(&key).to_owned()
}

/// The draft with the field `key` set to `value` as typed (times and dates are read by core).
#[uniffi::export]
pub fn casework_form_with_text(
    draft: CaseworkFormDraft,
    key: CaseworkFieldKey,
    value: String,
) -> CaseworkFormDraft {
    draft.with_text(key, value)
}

/// The draft with an option's `choice` tapped (a child discussed is added, or taken off).
#[uniffi::export]
pub fn casework_form_with_choice(
    draft: CaseworkFormDraft,
    choice: CaseworkChoice,
) -> CaseworkFormDraft {
    draft.with_choice(choice)
}

#[uniffi::export]
impl Casework {
    /// A fresh draft of the form an action names (amending starts from the text recorded).
    pub fn form_draft(&self, form: CaseworkFormKind) -> Result<CaseworkFormDraft> {
        self.run(|s| s.casework_form_draft(form))
    }

    /// The form for `draft`: its fields in order, what is required and wrong, and whether Save
    /// is enabled with why not. Call again after each change.
    pub fn form(&self, draft: CaseworkFormDraft) -> Result<CaseworkFormScreen> {
        self.run(|s| s.casework_form(&draft))
    }

    /// Saves the form; throws `Validation` (field `form`, with what is missing) unless its Save
    /// is enabled, and the recording call's own refusals. Nothing is written when it throws.
    pub fn save_form(&self, draft: CaseworkFormDraft) -> Result<CaseworkFormSaved> {
        self.run(|s| s.save_casework_form(&draft))
    }
}

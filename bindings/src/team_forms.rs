//! The Team around the child screen's forms (issue 21 item 4) — Involve a team from the
//! directory, Add a contact, Record social care status — for the shells: an empty draft, the
//! form built from the draft, the draft's changes, and Save. Translation only: the fields, the
//! choices offered, what is required, whether Save is enabled and Save's checks are
//! `safeshare_core::screens::team_forms`'s. A shell keeps the draft while the form is open,
//! changes it only through the `team_form_with_*` functions, renders `session.team_around_child().form(draft)`
//! after each change and calls `save_form(draft)` on Save, off the main thread.

use crate::error::Result;
use crate::session::{OverCore, TeamAroundChild};
use safeshare_core::model::PersonId;
use safeshare_core::screens::{
    TeamFormChoice, TeamFormDateKey, TeamFormDraft, TeamFormKind, TeamFormSaved, TeamFormScreen,
    TeamFormTextKey,
};

/// An empty draft of `form` for a child: nothing chosen, no date filled in.
#[uniffi::export]
pub fn empty_team_form_draft(child_id: PersonId, form: TeamFormKind) -> TeamFormDraft {
    TeamFormDraft::new(child_id, form)
}

/// The draft with the text field `key` set to `value` (as typed).
#[uniffi::export]
pub fn team_form_with_text(
    draft: TeamFormDraft,
    key: TeamFormTextKey,
    value: String,
) -> TeamFormDraft {
    draft.with_text(key, value)
}

/// The draft with `choice` (an option's `choice`) chosen.
#[uniffi::export]
pub fn team_form_with_choice(draft: TeamFormDraft, choice: TeamFormChoice) -> TeamFormDraft {
    draft.with_choice(choice)
}

/// The draft with the date field `key` set to `value` as typed (core reads it: YYYY-MM-DD).
#[uniffi::export]
pub fn team_form_with_date(
    draft: TeamFormDraft,
    key: TeamFormDateKey,
    value: String,
) -> TeamFormDraft {
    draft.with_date(key, value)
}

/// The draft with "for every child of the household" on or off.
#[uniffi::export]
pub fn team_form_with_household(draft: TeamFormDraft, value: bool) -> TeamFormDraft {
    draft.with_household(value)
}

#[uniffi::export]
impl TeamAroundChild {
    /// The form for `draft`: its fields in order, the choices offered, what is required and
    /// wrong, and whether Save is enabled with why not. Call again after each change.
    pub fn form(&self, draft: TeamFormDraft) -> Result<TeamFormScreen> {
        self.run(|s| s.team_form(&draft))
    }

    /// Saves the form; throws `Validation` (field `form`, with what is missing) unless the
    /// form's Save is enabled, and the team around the child's own refusals. Nothing is written
    /// when it throws.
    pub fn save_form(&self, draft: TeamFormDraft) -> Result<TeamFormSaved> {
        self.run(|s| s.save_team_form(&draft))
    }
}

//! Checklists for admission, handover and discharge: templates as versioned data, and the
//! record of one checklist being worked through for one person.
//!
//! Invariants:
//! - Templates are data (`core/data/checklists/*.json`, or JSON from the server), not code.
//!   A checklist records the id and version of the template it was started from, so a later
//!   template change never rewrites what a completed checklist meant.
//! - Nothing is skipped silently: every required item ends either done (by whom, when, with the
//!   detail it asks for) or not applicable with a reason. [`Checklist::complete`] refuses while
//!   any required item is open and the error lists every open item.
//! - Templates marked `open_concerns` (handover, discharge) carry one required item per open
//!   observation about the person, named by category, severity and date, pulled from the
//!   observations themselves so none can be forgotten. They are re-pulled on completion: a
//!   concern captured after the checklist was started is added before completion is judged
//!   (the safer reading: completion is refused until it too is handed over).
//! - Mutations return errors instead of changing anything when refused; the store keeps each
//!   saved state as a new version.

mod record;
mod template;

pub use record::{Checklist, ChecklistItem, Completion, ContactRef, DoneDetail, ItemState};
pub use template::{ChecklistKind, DetailKind, Template, TemplateItem};

/// Why a checklist operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChecklistError {
    /// A template is not JSON of a template's shape. The cause keeps serde's category and
    /// position, not its message: a template is not personal data, but one error type for
    /// every JSON fault keeps the rule that no serde message is ever kept simple to check.
    #[error("the checklist template could not be read: {0}")]
    TemplateUnreadable(#[source] crate::json_fault::JsonFault),
    /// A template was read but breaks a rule (e.g. duplicate item keys).
    #[error("the checklist template is not valid: {0}")]
    InvalidTemplate(String),
    /// No item with this key is on the checklist.
    #[error("no item \"{key}\" on this checklist")]
    UnknownItem {
        /// The key asked for.
        key: String,
    },
    /// Completion was refused because required items are still open. The message counts them
    /// and quotes none: a concern's item text names an "other" concern in the practitioner's
    /// own words, which can name a person (the checklist screen lists the texts; the shell
    /// gets the keys as `open_items`).
    #[error("the checklist cannot be completed: {} required item(s) still open", .items.len())]
    RequiredItemsOpen {
        /// Every open required item, in checklist order.
        items: Vec<OpenItem>,
    },
    /// "Not applicable" was chosen without a reason.
    #[error("item \"{key}\" can only be marked not applicable with a reason")]
    NotApplicableWithoutReason {
        /// The item.
        key: String,
    },
    /// "Done" was chosen without the detail the item asks for.
    #[error("item \"{key}\" needs {needs} to be marked done")]
    DetailMissing {
        /// The item.
        key: String,
        /// What is missing, in plain words.
        needs: &'static str,
    },
    /// The checklist is already complete; it can no longer change.
    #[error("the checklist is already complete")]
    AlreadyComplete,
}

/// An open required item, as listed in [`ChecklistError::RequiredItemsOpen`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OpenItem {
    /// The item's key.
    pub key: String,
    /// The item's text.
    pub text: String,
}

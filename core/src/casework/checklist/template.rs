//! Checklist templates: versioned data. The three built-in ones are compiled in from
//! `core/data/checklists/`; a server-supplied one is read with [`Template::from_json`]. Both go
//! through the same validation.

use super::ChecklistError;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Prefix reserved for the items pulled from open observations.
pub(super) const CONCERN_KEY_PREFIX: &str = "concern:";

/// The built-in checklists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ChecklistKind {
    /// On admission: out-of-area health staff's contacts recorded.
    Admission,
    /// Handover between community and acute services.
    Handover,
    /// Discharge planning.
    Discharge,
}

/// What an item needs recorded to be marked done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum DetailKind {
    /// Nothing beyond who and when.
    None,
    /// A written note.
    Text,
    /// At least one contact (a directory entry or a captured contact with a phone number).
    Contacts,
    /// At least one contact, each with an out-of-hours number too.
    ContactsWithOutOfHours,
}

/// One item of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateItem {
    /// Stable key (unique in the template).
    pub key: String,
    /// What the practitioner reads.
    pub text: String,
    /// Whether it must end done or not applicable before completion.
    pub required: bool,
    /// What must be recorded to mark it done.
    pub detail: DetailKind,
}

/// A checklist template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    /// Stable id, e.g. "handover".
    pub id: String,
    /// Version, from 1; bumped on every change.
    pub version: u32,
    /// Title shown to the practitioner.
    pub title: String,
    /// Where the items come from (the clinical source).
    pub source: String,
    /// Whether every open observation about the person becomes a required item.
    pub open_concerns: bool,
    /// The items, in order.
    pub items: Vec<TemplateItem>,
}

impl Template {
    /// A built-in template.
    pub fn builtin(kind: ChecklistKind) -> Result<Self, ChecklistError> {
        Self::from_json(match kind {
            ChecklistKind::Admission => include_str!("../../../data/checklists/admission.json"),
            ChecklistKind::Handover => include_str!("../../../data/checklists/handover.json"),
            ChecklistKind::Discharge => include_str!("../../../data/checklists/discharge.json"),
        })
    }

    /// Reads and validates a template (e.g. one the server sent).
    pub fn from_json(json: &str) -> Result<Self, ChecklistError> {
        let template: Template =
            serde_json::from_str(json).map_err(|e| ChecklistError::TemplateUnreadable(e.into()))?;
        template.validate()?;
        Ok(template)
    }

    fn validate(&self) -> Result<(), ChecklistError> {
        let invalid = |why: String| Err(ChecklistError::InvalidTemplate(why));
        if crate::rules::normalise::is_blank(&self.id)
            || crate::rules::normalise::is_blank(&self.title)
        {
            return invalid("id and title are required".into());
        }
        if self.version == 0 {
            return invalid("version starts at 1".into());
        }
        if self.items.is_empty() && !self.open_concerns {
            return invalid("a template needs at least one item".into());
        }
        let mut keys = HashSet::new();
        for item in &self.items {
            if crate::rules::normalise::is_blank(&item.key)
                || crate::rules::normalise::is_blank(&item.text)
            {
                return invalid("every item needs a key and a text".into());
            }
            if item.key.starts_with(CONCERN_KEY_PREFIX) {
                return invalid(format!("item key \"{}\" uses a reserved prefix", item.key));
            }
            if !keys.insert(item.key.as_str()) {
                return invalid(format!("item key \"{}\" appears twice", item.key));
            }
        }
        Ok(())
    }
}

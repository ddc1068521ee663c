//! Checklists (admission, handover, discharge): start one for a person, mark items done or not
//! applicable, and complete it (refused while required items are open, with their keys). The
//! checklist as a screen shows it is a view record here until core builds it; every rule is
//! core's.

use crate::error::{guard, SafeShareError};
use crate::session::{list, Checklists};
use safeshare_core::casework::checklist::{
    self as core_checklist, ChecklistKind, ContactRef, DoneDetail,
};
use safeshare_core::model::{ChecklistId, PersonId};

#[uniffi::export]
impl Checklists {
    /// Starts a built-in checklist for a person; their open concerns become required items.
    pub fn start_checklist(
        &self,
        kind: ChecklistKind,
        person_id: PersonId,
    ) -> Result<Checklist, SafeShareError> {
        guard(|| Ok(self.inner.start_checklist(kind, person_id)?.into()))
    }

    /// Every checklist for a person, oldest first.
    pub fn checklists_for(&self, person_id: PersonId) -> Result<Vec<Checklist>, SafeShareError> {
        guard(|| Ok(list(self.inner.checklists_for(person_id)?)))
    }

    /// Marks a checklist item done with the note or contacts it asks for.
    pub fn checklist_mark_done(
        &self,
        checklist_id: ChecklistId,
        key: String,
        note: Option<String>,
        contacts: Vec<ContactRef>,
    ) -> Result<Checklist, SafeShareError> {
        guard(|| {
            let detail = DoneDetail { note, contacts };
            Ok(self
                .inner
                .checklist_mark_done(checklist_id, &key, detail)?
                .into())
        })
    }

    /// Marks a checklist item not applicable; a reason is required.
    pub fn checklist_mark_not_applicable(
        &self,
        checklist_id: ChecklistId,
        key: String,
        reason: String,
    ) -> Result<Checklist, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .checklist_mark_not_applicable(checklist_id, &key, &reason)?
                .into())
        })
    }

    /// Completes a checklist; throws `Refused` listing the open required items.
    pub fn complete_checklist(
        &self,
        checklist_id: ChecklistId,
    ) -> Result<Checklist, SafeShareError> {
        guard(|| Ok(self.inner.complete_checklist(checklist_id)?.into()))
    }
}

/// What an item needs recorded to be marked done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ItemDetail {
    /// Nothing beyond who and when.
    None,
    /// A written note.
    Text,
    /// At least one contact.
    Contacts,
    /// At least one contact, each with an out-of-hours number.
    ContactsWithOutOfHours,
}

/// Where a checklist item stands.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ItemState {
    /// Not yet dealt with.
    Open,
    /// Done.
    Done,
    /// Not applicable, with the reason given.
    NotApplicable {
        /// Why it does not apply.
        reason: String,
    },
}

/// The contact kinds a checklist item records (core's `ContactRef`), re-exported by this name
/// for the shells' readers.
pub type ChecklistContact = ContactRef;

/// One checklist item.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ChecklistItem {
    /// Key, used to mark it.
    pub key: String,
    /// What the practitioner reads.
    pub text: String,
    /// Whether it must be closed before completion.
    pub required: bool,
    /// What it needs to be marked done.
    pub detail: ItemDetail,
    /// Where it stands.
    pub state: ItemState,
}

/// A checklist being worked through.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Checklist {
    /// The checklist's id.
    pub id: ChecklistId,
    /// Its title.
    pub title: String,
    /// Who it is for.
    pub person_id: PersonId,
    /// Its items.
    pub items: Vec<ChecklistItem>,
    /// Whether it is complete.
    pub completed: bool,
}

impl From<core_checklist::Checklist> for Checklist {
    fn from(value: core_checklist::Checklist) -> Self {
        use core_checklist::DetailKind as D;
        use core_checklist::ItemState as S;
        Checklist {
            id: value.id,
            title: value.title,
            person_id: value.person,
            completed: value.completed.is_some(),
            items: value
                .items
                .into_iter()
                .map(|item| ChecklistItem {
                    key: item.key,
                    text: item.text,
                    required: item.required,
                    detail: match item.detail {
                        D::None => ItemDetail::None,
                        D::Text => ItemDetail::Text,
                        D::Contacts => ItemDetail::Contacts,
                        D::ContactsWithOutOfHours => ItemDetail::ContactsWithOutOfHours,
                    },
                    state: match item.state {
                        S::Open => ItemState::Open,
                        S::Done { .. } => ItemState::Done,
                        S::NotApplicable { reason, .. } => ItemState::NotApplicable { reason },
                    },
                })
                .collect(),
        }
    }
}

//! Checklists (admission, handover, discharge): start one for a person, mark items done or not
//! applicable, and complete it (refused while required items are open, with their keys). The
//! checklist crosses as core's own record (`safeshare_core::casework::checklist::Checklist`);
//! every rule is core's.

use crate::error::{guard, SafeShareError};
use crate::session::Checklists;
use safeshare_core::casework::checklist::{Checklist, ChecklistKind, ContactRef, DoneDetail};
use safeshare_core::model::{ChecklistId, PersonId};

#[uniffi::export]
impl Checklists {
    /// Starts a built-in checklist for a person; their open concerns become required items.
    pub fn start_checklist(
        &self,
        kind: ChecklistKind,
        person_id: PersonId,
    ) -> Result<Checklist, SafeShareError> {
        guard(|| Ok(self.inner.start_checklist(kind, person_id)?))
    }

    /// Every checklist for a person, oldest first.
    pub fn checklists_for(&self, person_id: PersonId) -> Result<Vec<Checklist>, SafeShareError> {
        guard(|| Ok(self.inner.checklists_for(person_id)?))
    }

    /// Marks a checklist item done with the note or contacts it asks for.
    pub fn checklist_mark_done(
        &self,
        checklist_id: ChecklistId,
        key: String,
        note: Option<String>,
        contacts: Vec<ContactRef>,
    ) -> Result<Checklist, SafeShareError> {
        let detail = DoneDetail { note, contacts };
        guard(|| Ok(self.inner.checklist_mark_done(checklist_id, &key, detail)?))
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
                .checklist_mark_not_applicable(checklist_id, &key, &reason)?)
        })
    }

    /// Completes a checklist; throws `Refused` listing the open required items.
    pub fn complete_checklist(
        &self,
        checklist_id: ChecklistId,
    ) -> Result<Checklist, SafeShareError> {
        guard(|| Ok(self.inner.complete_checklist(checklist_id)?))
    }
}

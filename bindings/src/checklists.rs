//! Checklists (admission, handover, discharge): start one for a person, mark items done or not
//! applicable, and complete it (refused while required items are open, with their keys). The
//! checklist crosses as core's own record (`safeshare_core::casework::checklist::Checklist`);
//! every rule is core's.

use crate::error::Result;
use crate::session::{Checklists, OverCore};
use safeshare_core::casework::checklist::{Checklist, ChecklistKind, ContactRef, DoneDetail};
use safeshare_core::model::{ChecklistId, PersonId};
use safeshare_core::screens::{ChecklistScreen, ChecklistsScreen, ContactPicker};

#[uniffi::export]
impl Checklists {
    /// Starts a built-in checklist for a person; their open concerns become required items.
    pub fn start_checklist(&self, kind: ChecklistKind, person_id: PersonId) -> Result<Checklist> {
        self.run(|s| s.start_checklist(kind, person_id))
    }

    /// Marks a checklist item done with the note or contacts it asks for.
    pub fn checklist_mark_done(
        &self,
        checklist_id: ChecklistId,
        key: String,
        note: Option<String>,
        contacts: Vec<ContactRef>,
    ) -> Result<Checklist> {
        let detail = DoneDetail { note, contacts };
        self.run(|s| s.checklist_mark_done(checklist_id, &key, detail))
    }

    /// Marks a checklist item not applicable; a reason is required.
    pub fn checklist_mark_not_applicable(
        &self,
        checklist_id: ChecklistId,
        key: String,
        reason: String,
    ) -> Result<Checklist> {
        self.run(|s| s.checklist_mark_not_applicable(checklist_id, &key, &reason))
    }

    /// Completes a checklist; throws `Refused` listing the open required items.
    pub fn complete_checklist(&self, checklist_id: ChecklistId) -> Result<Checklist> {
        self.run(|s| s.complete_checklist(checklist_id))
    }

    /// A person's checklists, and starting one (disabled while one of that kind is open).
    pub fn screen(&self, person_id: PersonId) -> Result<ChecklistsScreen> {
        self.run(|s| s.checklists_screen(person_id))
    }

    /// One checklist: each item, what it needs, its state and what can be done.
    pub fn checklist_screen(&self, checklist_id: ChecklistId) -> Result<ChecklistScreen> {
        self.run(|s| s.checklist_screen(checklist_id))
    }

    /// The contact picker for a contacts item, `query` and the contacts ticked so far
    /// (`chosen`); its `record` action records them (`checklistMarkDone`) when enabled.
    pub fn contact_picker(
        &self,
        checklist_id: ChecklistId,
        key: String,
        query: String,
        chosen: Vec<ContactRef>,
    ) -> Result<ContactPicker> {
        self.run(|s| s.checklist_contact_picker(checklist_id, &key, &query, &chosen))
    }
}

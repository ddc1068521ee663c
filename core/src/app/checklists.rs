//! Admission, handover and discharge checklists for a person, from the built-in templates.
//!
//! The rules are [`crate::casework::checklist`]'s: nothing is skipped silently, and handover and
//! discharge checklists carry one required item per open observation about the person, pulled
//! from the store at start and again at completion (so a concern captured meanwhile must be
//! handed over too). Each change is a new version of the checklist record.

use super::capture::observations_in;
use super::records;
use super::{AppError, Reason, Session};
use crate::casework::checklist::{Checklist, ChecklistKind, DetailKind, DoneDetail, Template};
use crate::directory::contacts_without_out_of_hours;
use crate::model::{ChecklistId, Person, PersonId};
use crate::store::StoredRecord;
use crate::store::{ListFilter, Record, WriteTx};

impl Session {
    /// Starts a checklist of `kind` for `person` from the built-in template; open concerns
    /// about the person become required items when the template hands them over.
    pub fn start_checklist(
        &self,
        kind: ChecklistKind,
        person: PersonId,
    ) -> Result<Checklist, AppError> {
        let template = Template::builtin(kind)?;
        let actor = self.actor();
        let result = self.with_store(|store| {
            store.write(actor, |tx| {
                tx.get::<Person>(Person::KIND, person)?;
                let observations = observations_in(tx, person)?;
                let checklist = Checklist::start(&template, person, &observations, actor, tx.now());
                records::insert(tx, &checklist)?;
                Ok(checklist)
            })
        });
        self.notify_if_ok(super::ChangeCause::ChecklistChanged, result)
    }

    /// A checklist by id.
    pub fn checklist(&self, id: ChecklistId) -> Result<Checklist, AppError> {
        self.with_store(|store| {
            Ok(store
                .get::<Checklist>(self.actor(), Checklist::KIND, id)?
                .body)
        })
    }

    /// Every checklist for `person`, oldest first.
    pub fn checklists_for(&self, person: PersonId) -> Result<Vec<Checklist>, AppError> {
        let filter = ListFilter {
            subject_person: Some(person),
            ..ListFilter::default()
        };
        self.with_store(|store| {
            Ok(store
                .list::<Checklist>(self.actor(), Checklist::KIND, &filter)?
                .into_iter()
                .map(|r| r.body)
                .collect())
        })
    }

    /// Marks an item done with the detail it asks for (a note, contacts).
    pub fn checklist_mark_done(
        &self,
        id: ChecklistId,
        key: &str,
        detail: DoneDetail,
    ) -> Result<Checklist, AppError> {
        let actor = self.actor();
        let directory = self.directory();
        self.change_checklist(id, "item done", |tx, checklist| {
            // "Each side has the other's contact numbers including out of hours" (handover,
            // regional 7-minute briefing): a directory team with no out-of-hours route does
            // not satisfy such an item, so the gap is named now rather than found at night.
            let wants_out_of_hours = checklist
                .items
                .iter()
                .any(|item| item.key == key && item.detail == DetailKind::ContactsWithOutOfHours);
            if wants_out_of_hours {
                let missing = contacts_without_out_of_hours(&directory, &detail.contacts);
                if !missing.is_empty() {
                    let names: Vec<String> = missing
                        .iter()
                        .map(|team| {
                            directory
                                .team(*team)
                                .map_or_else(|| team.to_string(), |t| t.name.clone())
                        })
                        .collect();
                    return Err(AppError::validation(
                        "contacts",
                        Reason::NoOutOfHoursNumber { teams: names },
                    ));
                }
            }
            checklist.mark_done(key, actor, tx.now(), detail)?;
            Ok(())
        })
    }

    /// Marks an item not applicable; a reason is required.
    pub fn checklist_mark_not_applicable(
        &self,
        id: ChecklistId,
        key: &str,
        reason: &str,
    ) -> Result<Checklist, AppError> {
        let actor = self.actor();
        self.change_checklist(id, "item not applicable", |tx, checklist| {
            checklist.mark_not_applicable(key, actor, tx.now(), reason)?;
            Ok(())
        })
    }

    /// Completes a checklist. Refused ([`AppError::Refused`] listing the open item keys)
    /// while any required item is open, including open concerns captured since the start,
    /// which are added to the checklist and saved so the practitioner sees them.
    pub fn complete_checklist(&self, id: ChecklistId) -> Result<Checklist, AppError> {
        let actor = self.actor();
        let result = self.change_checklist(id, "completed", |tx, checklist| {
            let observations = observations_in(tx, checklist.person)?;
            checklist.complete(&observations, actor, tx.now())?;
            Ok(())
        });
        if let Err(AppError::Refused { .. }) = &result {
            // Save the newly pulled concerns (if any) so the refusal's items are on screen.
            self.change_checklist(id, "open concerns pulled", |tx, checklist| {
                let observations = observations_in(tx, checklist.person)?;
                if checklist.add_open_concerns(&observations) == 0 {
                    return Err(AppError::refused("no change"));
                }
                Ok(())
            })
            .ok();
        }
        result
    }

    fn change_checklist(
        &self,
        id: ChecklistId,
        reason: &str,
        change: impl FnOnce(&mut WriteTx<'_>, &mut Checklist) -> Result<(), AppError>,
    ) -> Result<Checklist, AppError> {
        let result = self.with_store(|store| {
            store.write(self.actor(), |tx| {
                let current: Record<Checklist> = tx.get(Checklist::KIND, id)?;
                let mut checklist = current.body;
                change(tx, &mut checklist)?;
                records::amend(tx, current.version, &checklist, reason)?;
                Ok(checklist)
            })
        });
        // Every checklist write passes here, the concerns a refused completion pulls in too
        // (they are on the screen after the refusal); a change that failed is not heard.
        self.notify_if_ok(super::ChangeCause::ChecklistChanged, result)
    }
}

//! Safeguarding supervision records on this device (issue 17 item 3): recording a session the
//! practitioner had, and reading their sessions back.
//!
//! The record and its rules are [`crate::casework::supervision`]'s (a supervisor, at least one
//! case, no session in the future, no action due before the session); this module stores it in
//! one transaction. The supervisee is always the session's practitioner: a phone records its
//! own user's supervision, so a meeting pack's oversight check
//! ([`crate::casework::supervision::conference_oversight_prompt`]) finds it.

use super::{AppError, Session};
use crate::casework::supervision::{
    CaseDiscussed, NewSupervision, SupervisionAction, SupervisionRecord, Supervisor,
};
use crate::model::{PersonId, SupervisionId};
use crate::store::{ListFilter, Record, StoredRecord};
use chrono::{DateTime, Utc};

/// What is entered for a supervision session the practitioner had.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SupervisionInput {
    /// The supervisor's name and role ("Alex Lead, named nurse for safeguarding").
    pub supervisor: String,
    /// When it was held (not in the future).
    pub held_at: DateTime<Utc>,
    /// The cases discussed: the person and what was discussed and concluded.
    pub cases: Vec<CaseDiscussed>,
    /// The actions agreed.
    pub actions: Vec<SupervisionAction>,
}

impl Session {
    /// Records a supervision session this practitioner had. Every person discussed must be on
    /// this device (checked before anything is written).
    pub fn record_supervision(
        &self,
        input: SupervisionInput,
    ) -> Result<SupervisionRecord, AppError> {
        let actor = self.actor();
        let result = self.with_store(|store| {
            store.write(actor, |tx| {
                for case in &input.cases {
                    tx.get::<crate::model::Person>(crate::model::Person::KIND, case.person)?;
                }
                let record = SupervisionRecord::record(
                    NewSupervision {
                        supervisee: actor,
                        supervisor: Supervisor {
                            practitioner: None,
                            name: input.supervisor,
                        },
                        held_at: input.held_at,
                        cases: input.cases,
                        actions: input.actions,
                    },
                    tx.now(),
                )?;
                super::records::insert(tx, &record)?;
                Ok(record)
            })
        });
        self.notify_if_ok(super::ChangeCause::SupervisionRecorded, result)
    }

    /// Marks the agreed action at `index` (from 0, in the order agreed) of one of this
    /// practitioner's supervision records done: a new version of the record.
    pub fn mark_supervision_action_done(
        &self,
        id: SupervisionId,
        index: usize,
    ) -> Result<SupervisionRecord, AppError> {
        let actor = self.actor();
        let result = self.with_store(|store| {
            store.write(actor, |tx| {
                let current: Record<SupervisionRecord> = tx.get(SupervisionRecord::KIND, id)?;
                let mut record = current.body;
                if record.supervisee != actor {
                    return Err(AppError::refused(
                        "only the practitioner supervised marks its actions done",
                    ));
                }
                record.mark_action_done(index, actor, tx.now())?;
                super::records::amend(tx, current.version, &record, "supervision action done")?;
                Ok(record)
            })
        });
        self.notify_if_ok(super::ChangeCause::SupervisionRecorded, result)
    }

    /// This practitioner's supervision sessions, most recent first.
    pub fn supervision_records(&self) -> Result<Vec<SupervisionRecord>, AppError> {
        let actor = self.actor();
        let mut records: Vec<SupervisionRecord> = self.with_store(|store| {
            Ok(store
                .list::<SupervisionRecord>(actor, SupervisionRecord::KIND, &ListFilter::default())?
                .into_iter()
                .map(|r| r.body)
                .filter(|r| r.supervisee == actor)
                .collect())
        })?;
        records.sort_by(|a, b| b.held_at.cmp(&a.held_at).then(b.id.cmp(&a.id)));
        Ok(records)
    }

    /// This practitioner's supervision sessions that discussed `person`, most recent first.
    pub fn supervision_about(&self, person: PersonId) -> Result<Vec<SupervisionRecord>, AppError> {
        Ok(self
            .supervision_records()?
            .into_iter()
            .filter(|r| r.discussed(person))
            .collect())
    }
}

//! Looking back: the chronology of a child or household, decrypted on read, and the pattern
//! alerts over it.
//!
//! Entries are built by [`crate::rules::patterns::chronology`] from the stored records
//! (observations, voice notes, shares sent, referrals and decisions, escalation steps, calls,
//! changes to the team around the child and to the social care status).
//! Pattern alerts use the session's thresholds; showing an alert is recorded once per alert,
//! and dismissing one needs a reason and is recorded too (each as its own record, never
//! overwritten).

use super::records::{self, ShareDirection, StoredAlertEvent, StoredCall, StoredEscalation};
use super::records::{StoredReferral, StoredShare};
use super::{AppError, Session};
use crate::model::{
    Closure, HouseholdId, Observation, Person, PersonId, PractitionerId, VoiceOfChild,
};
use crate::rules::patterns::{
    self, AlertEvent, AlertKey, ChronologyEntry, EntryKind, PatternAlert,
};
use crate::store::StoredRecord;
use crate::store::{ListFilter, WriteTx};
use ulid::Ulid;

impl Session {
    /// The chronology of one child (or any person), oldest first.
    pub fn chronology_for_child(&self, child: PersonId) -> Result<Vec<ChronologyEntry>, AppError> {
        self.with_store(|store| {
            store.write(self.actor(), |tx| {
                let person = tx.get::<Person>(Person::KIND, child)?.body;
                let entries = entries_about(tx, &person)?;
                Ok(patterns::for_child(&entries, child)
                    .into_iter()
                    .cloned()
                    .collect())
            })
        })
    }

    /// The chronology of a household: every member's entries, oldest first.
    pub fn chronology_for_household(
        &self,
        household: HouseholdId,
    ) -> Result<Vec<ChronologyEntry>, AppError> {
        self.with_store(|store| {
            store.write(self.actor(), |tx| {
                let filter = ListFilter {
                    household: Some(household),
                    ..ListFilter::default()
                };
                let members: Vec<Person> = tx
                    .list::<Person>(Person::KIND, &filter)?
                    .into_iter()
                    .map(|r| r.body)
                    .collect();
                let mut entries = Vec::new();
                for person in &members {
                    entries.extend(entries_about(tx, person)?);
                }
                let ids: Vec<PersonId> = members.iter().map(|p| p.id).collect();
                Ok(patterns::for_household(&entries, household, &ids)
                    .into_iter()
                    .cloned()
                    .collect())
            })
        })
    }

    /// The pattern alerts for a child not yet dismissed. Each alert returned is recorded as
    /// shown (once per alert), in the same transaction as the read.
    pub fn pattern_alerts(&self, child: PersonId) -> Result<Vec<PatternAlert>, AppError> {
        let thresholds = self.config().patterns;
        let actor = self.actor();
        self.with_store(|store| {
            store.write(actor, |tx| {
                let person = tx.get::<Person>(Person::KIND, child)?.body;
                outstanding_alerts(tx, &person, &thresholds, actor)
            })
        })
    }

    /// Every recorded showing and dismissal of pattern alerts about `child`, oldest first.
    pub fn alert_events(&self, child: PersonId) -> Result<Vec<AlertEvent>, AppError> {
        let filter = ListFilter {
            subject_person: Some(child),
            ..ListFilter::default()
        };
        self.with_store(|store| {
            Ok(store
                .list::<StoredAlertEvent>(self.actor(), StoredAlertEvent::KIND, &filter)?
                .into_iter()
                .map(|r| r.body.event)
                .collect())
        })
    }

    /// Dismisses a pattern alert with a reason (recorded; a later observation that extends the
    /// pattern raises a new alert).
    pub fn dismiss_alert(&self, key: AlertKey, reason: &str) -> Result<(), AppError> {
        let actor = self.actor();
        let result = self.with_store(|store| {
            store.write(actor, |tx| {
                let event = AlertEvent::dismissed(key, tx.now(), actor, reason)?;
                records::insert(
                    tx,
                    &StoredAlertEvent {
                        id: Ulid::new(),
                        event,
                    },
                )?;
                Ok(())
            })
        });
        self.notify_if_ok(super::ChangeCause::AlertDismissed, result)
    }
}

/// Outstanding alerts for `person`, recording each not yet shown as shown now.
pub(crate) fn outstanding_alerts(
    tx: &mut WriteTx<'_>,
    person: &Person,
    thresholds: &patterns::PatternThresholds,
    actor: crate::model::PractitionerId,
) -> Result<Vec<PatternAlert>, AppError> {
    let entries = entries_about(tx, person)?;
    let alerts = patterns::detect(&entries, person.id, thresholds)?;
    let filter = ListFilter {
        subject_person: Some(person.id),
        ..ListFilter::default()
    };
    let events: Vec<AlertEvent> = tx
        .list::<StoredAlertEvent>(StoredAlertEvent::KIND, &filter)?
        .into_iter()
        .map(|r| r.body.event)
        .collect();
    let alerts = patterns::outstanding(alerts, &events);
    for alert in &alerts {
        let shown = events
            .iter()
            .any(|e| matches!(e, AlertEvent::Shown { key, .. } if *key == alert.key));
        if !shown {
            let now = tx.now();
            records::insert(
                tx,
                &StoredAlertEvent {
                    id: Ulid::new(),
                    event: AlertEvent::shown(alert.key, now, actor),
                },
            )?;
        }
    }
    Ok(alerts)
}

/// Every chronology entry about `person` from the store.
pub(crate) fn entries_about(
    tx: &mut WriteTx<'_>,
    person: &Person,
) -> Result<Vec<ChronologyEntry>, AppError> {
    Ok(entries_and_writers(tx, person)?.0)
}

/// Who wrote a record the chronology shows, and whether it was amended: read with the record,
/// so the chronology screen says who recorded each entry without a second decryption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EntryWriter {
    /// The record's id, as stored.
    pub record_id: String,
    /// Who recorded it: an observation's or voice note's `recorded_by`, else the writer of the
    /// record's latest version on this phone.
    pub recorded_by: PractitionerId,
    /// The latest version (above 1 for an amended observation or voice note).
    pub version: u64,
    /// Whether a later version amended what was recorded (observations and voice notes only:
    /// other records gain versions as answers arrive, which are entries of their own).
    pub amended: bool,
    /// The reason given for the latest amendment.
    pub reason: Option<String>,
    /// An observation's closure (closing is a new version too, so it is told apart from an
    /// amendment of what was recorded).
    pub closed: Option<Closure>,
}

/// [`entries_about`], with who wrote each record they come from.
pub(crate) fn entries_and_writers(
    tx: &mut WriteTx<'_>,
    person: &Person,
) -> Result<(Vec<ChronologyEntry>, Vec<EntryWriter>), AppError> {
    let mut writers = Vec::new();
    let mut wrote =
        |id: &str, by: PractitionerId, version: u64, amendable: bool, reason, closed| {
            writers.push(EntryWriter {
                record_id: id.to_owned(),
                recorded_by: by,
                version,
                amended: amendable && version > 1,
                reason,
                closed,
            });
        };
    let filter = ListFilter {
        subject_person: Some(person.id),
        ..ListFilter::default()
    };
    let household = Some(person.household);
    let mut entries = Vec::new();
    for r in tx.list::<Observation>(Observation::KIND, &filter)? {
        wrote(
            &r.id,
            r.body.recorded_by,
            r.version,
            true,
            r.reason.clone(),
            r.body.closed.clone(),
        );
        entries.push(ChronologyEntry::from_observation(&r.body, household));
    }
    for r in tx.list::<VoiceOfChild>(VoiceOfChild::KIND, &filter)? {
        wrote(
            &r.id,
            r.body.recorded_by,
            r.version,
            true,
            r.reason.clone(),
            None,
        );
        entries.push(ChronologyEntry::from_voice(&r.body, household));
    }
    for r in tx.list::<StoredShare>(StoredShare::KIND, &filter)? {
        if r.body.direction == ShareDirection::Outgoing {
            wrote(&r.id, r.author, r.version, false, None, None);
            entries.extend(ChronologyEntry::from_share(&r.body.record, household));
        }
    }
    for r in tx.list::<StoredReferral>(StoredReferral::KIND, &filter)? {
        wrote(&r.id, r.author, r.version, false, None, None);
        entries.extend(ChronologyEntry::from_referral(&r.body.record, household));
    }
    for r in tx.list::<StoredEscalation>(StoredEscalation::KIND, &filter)? {
        entries.extend(ChronologyEntry::from_escalation(
            &r.body.ladder,
            person.id,
            household,
        ));
    }
    for r in tx.list::<StoredCall>(StoredCall::KIND, &filter)? {
        let call = &r.body.call;
        let summary = match &call.outcome {
            Some(outcome) if !outcome.note.is_empty() => {
                format!("Call to {}: {}", call.answering_team_name, outcome.note)
            }
            Some(_) => format!("Call to {} (outcome recorded)", call.answering_team_name),
            None => format!("Call to {} started", call.answering_team_name),
        };
        entries.push(ChronologyEntry {
            at: call.started_at,
            about: Some(person.id),
            household,
            kind: EntryKind::Call { team: call.team },
            summary,
        });
    }
    entries.extend(super::team_around_child::chronology_entries(tx, person)?);
    Ok((entries, writers))
}

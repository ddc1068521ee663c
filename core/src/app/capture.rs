//! Capture on the visit: households, people, visits, observations and voice-of-the-child notes.
//!
//! Validation is the model's ([`Person::new`], [`Observation::capture`], ...); this module
//! adds what needs the store: the person an observation is about (and the visit it names)
//! must exist on this device; an NHS number already recorded for someone else is refused (one
//! person, one record); and a capture that is to be shared is written with its share and
//! outgoing envelope in the same transaction.
//!
//! Capture prompts (stock phrases, opinion without basis, ...) never block: they come back in
//! [`Captured::warnings`] and are stored on the record.

use super::records;
use super::shares::{ShareContent, ShareReceipt};
use super::{AppError, Session};
use crate::model::phrasing::CapturePrompt;
use crate::model::{
    Attendee, CaptureWarning, ConcernCategory, Evidence, ExpressionMode, Household, HouseholdId,
    InputMethod, NewObservation, NewVisit, NewVoiceNote, Observation, ObservationId, Person,
    PersonDetails, PersonId, PersonRole, Place, Severity, TeamId, Visit, VisitId, VoiceNoteId,
    VoiceOfChild,
};
use crate::store::StoredRecord;
use crate::store::{ListFilter, Record, RecordVersion, WriteTx};
use chrono::{DateTime, Utc};

/// A request to share a capture (or existing records) with a team.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShareRequest {
    /// The team to share with (from the directory).
    pub team: TeamId,
    /// Why you are sharing and what you ask of the team.
    pub message: String,
    /// How serious; the share is never less serious than the most serious record it carries.
    pub severity: Option<Severity>,
}

/// What is entered for an observation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewObservationInput {
    /// Who it is about (a person on this device).
    pub about: PersonId,
    /// The visit it was made on, if any.
    pub visit: Option<VisitId>,
    /// Category.
    pub category: ConcernCategory,
    /// Severity.
    pub severity: Severity,
    /// Fact or opinion, with source or basis.
    pub evidence: Evidence,
    /// What was seen or heard.
    pub description: String,
    /// When it was observed (`None`: now).
    pub observed_at: Option<DateTime<Utc>>,
    /// Where.
    pub place: Option<Place>,
    /// Share it with a team as part of the same capture.
    pub share: Option<ShareRequest>,
}

/// What is entered for a voice-of-the-child note.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewVoiceNoteInput {
    /// The child (a person on this device).
    pub child: PersonId,
    /// The visit, if any.
    pub visit: Option<VisitId>,
    /// The child's words verbatim, or the description of play, drawing, behaviour.
    pub words: String,
    /// How the child expressed it.
    pub mode: ExpressionMode,
    /// Who was present.
    pub present: Vec<Attendee>,
    /// When (`None`: now).
    pub expressed_at: Option<DateTime<Utc>>,
    /// Dictated or typed.
    pub input: InputMethod,
    /// Share it with a team as part of the same capture.
    pub share: Option<ShareRequest>,
}

/// The corrected content of an observation (everything the practitioner can correct).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ObservationCorrection {
    /// Category.
    pub category: ConcernCategory,
    /// Severity.
    pub severity: Severity,
    /// Fact or opinion, with source or basis.
    pub evidence: Evidence,
    /// What was seen or heard.
    pub description: String,
    /// When it was observed.
    pub observed_at: DateTime<Utc>,
    /// Where.
    pub place: Option<Place>,
}

/// A capture as stored, with its prompts and, when shared, the share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured<T> {
    /// The record as stored.
    pub record: T,
    /// The prompts raised (also stored on the record).
    pub warnings: Vec<CaptureWarning>,
    /// The share made with it, if one was asked for.
    pub share: Option<ShareReceipt>,
}

/// An observation as the shells list it: the stored record, its prompts in words (the record
/// keeps them as kinds) and whether it is still open (handed over at handover and discharge).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ListedObservation {
    /// The observation as stored.
    pub record: Observation,
    /// Prompts raised at capture, in words.
    pub warnings: Vec<CapturePrompt>,
    /// Whether it is still open.
    pub open: bool,
}

impl From<Observation> for ListedObservation {
    fn from(record: Observation) -> Self {
        ListedObservation {
            warnings: prompts(record.warnings.clone()),
            open: record.closed.is_none(),
            record,
        }
    }
}

/// An observation just captured, its prompts in words, and its share if one was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CapturedObservation {
    /// The stored observation.
    pub observation: ListedObservation,
    /// The prompts to show (never blocking; also stored).
    pub warnings: Vec<CapturePrompt>,
    /// The share queued with it.
    pub share: Option<ShareReceipt>,
}

impl From<Captured<Observation>> for CapturedObservation {
    fn from(value: Captured<Observation>) -> Self {
        CapturedObservation {
            observation: value.record.into(),
            warnings: prompts(value.warnings),
            share: value.share,
        }
    }
}

/// A voice-of-the-child note just captured, as the capture screen confirms it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CapturedVoiceNote {
    /// The note's id.
    pub id: VoiceNoteId,
    /// The child's age then, in words.
    pub child_age: String,
    /// Whether the text was dictated.
    pub input: InputMethod,
    /// How the child expressed it.
    pub mode: ExpressionMode,
    /// The prompts to show.
    pub warnings: Vec<CapturePrompt>,
    /// The share queued with it.
    pub share: Option<ShareReceipt>,
}

impl From<Captured<VoiceOfChild>> for CapturedVoiceNote {
    fn from(value: Captured<VoiceOfChild>) -> Self {
        CapturedVoiceNote {
            id: value.record.id,
            child_age: value.record.child_age.describe(),
            input: value.record.input,
            mode: value.record.mode,
            warnings: prompts(value.warnings),
            share: value.share,
        }
    }
}

/// Stored prompts in words, in their stored order.
fn prompts(warnings: Vec<CaptureWarning>) -> Vec<CapturePrompt> {
    warnings.into_iter().map(CapturePrompt::from).collect()
}

impl Session {
    /// Records a new household (family) with an optional address.
    pub fn add_household(&self, address: Option<String>) -> Result<Household, AppError> {
        let household = Household::new(address);
        self.with_store(|store| {
            store.write(self.actor(), |tx| {
                records::insert(tx, &household)?;
                Ok::<_, AppError>(())
            })
        })?;
        Ok(household)
    }

    /// Records a person in `household`. Dates must be plausible ([`Person::check_dates`]: no
    /// date of birth in the future, an expected date of delivery within its window). The NHS
    /// number, when given, is validated (modulus 11, not a placeholder) and stored only as a blind index in clear; a number already recorded on this device is
    /// refused so one person does not get two records.
    pub fn add_person(
        &self,
        household: HouseholdId,
        role: PersonRole,
        details: PersonDetails,
    ) -> Result<Person, AppError> {
        let person = Person::new(household, role, details)?;
        person.check_dates(crate::model::london_date(self.now()?))?;
        self.with_store(|store| {
            store.write(self.actor(), |tx| {
                tx.get::<Household>(Household::KIND, household)?;
                if let Some(nhs) = &person.nhs_number {
                    let existing: Vec<Record<Person>> =
                        tx.find_by_nhs_number(Person::KIND, nhs.as_digits())?;
                    if !existing.is_empty() {
                        return Err(AppError::validation(
                            "nhs_number",
                            "a person with this NHS number is already recorded on this device",
                        ));
                    }
                }
                records::insert(tx, &person)?;
                Ok(())
            })
        })?;
        Ok(person)
    }

    /// A person by id.
    pub fn person(&self, id: PersonId) -> Result<Person, AppError> {
        self.with_store(|store| Ok(store.get::<Person>(self.actor(), Person::KIND, id)?.body))
    }

    /// People recorded under this NHS number (spaces and hyphens ignored).
    pub fn find_people_by_nhs_number(&self, nhs_number: &str) -> Result<Vec<Person>, AppError> {
        let number = crate::model::NhsNumber::parse(nhs_number)
            .map_err(|err| AppError::validation("nhs_number", err))?;
        self.with_store(|store| {
            Ok(store
                .find_by_nhs_number::<Person>(self.actor(), Person::KIND, number.as_digits())?
                .into_iter()
                .map(|r| r.body)
                .collect())
        })
    }

    /// The members of a household.
    pub fn household_members(&self, household: HouseholdId) -> Result<Vec<Person>, AppError> {
        self.with_store(|store| {
            let filter = ListFilter {
                household: Some(household),
                ..ListFilter::default()
            };
            Ok(store
                .list::<Person>(self.actor(), Person::KIND, &filter)?
                .into_iter()
                .map(|r| r.body)
                .collect())
        })
    }

    /// Starts a visit to `household` (now, unless `started_at` is given: planned visits may be
    /// in the future).
    pub fn start_visit(
        &self,
        household: HouseholdId,
        place: Place,
        present: Vec<Attendee>,
        started_at: Option<DateTime<Utc>>,
    ) -> Result<Visit, AppError> {
        let visit = Visit::new(NewVisit {
            household,
            practitioner: self.actor(),
            started_at: match started_at {
                Some(at) => at,
                None => self.now()?,
            },
            ended_at: None,
            place,
            present,
        })?;
        let written = self.with_store(|store| {
            store.write(self.actor(), |tx| {
                tx.get::<Household>(Household::KIND, household)?;
                records::insert(tx, &visit)?;
                Ok::<_, AppError>(())
            })
        });
        // Heard after the commit: Today lists the visit in progress.
        self.notify_if_ok(super::ChangeCause::VisitStarted, written)?;
        Ok(visit)
    }

    /// Ends a visit at `ended_at` (now, when not given): a new version of the visit, the
    /// started one kept in its history. Until a visit is ended it is "In progress" and stays
    /// on the Today screen to be continued, even past London midnight.
    ///
    /// Errors: `NotFound` for an unknown visit; `Refused` for a visit already ended or one
    /// planned to start after the end given; `Validation` on `ended_at` for an end after now.
    pub fn end_visit(
        &self,
        id: VisitId,
        ended_at: Option<DateTime<Utc>>,
    ) -> Result<Visit, AppError> {
        let now = self.now()?;
        let ended_at = ended_at.unwrap_or(now);
        if ended_at > now {
            return Err(AppError::validation(
                "ended_at",
                "a visit cannot be ended at a time still to come",
            ));
        }
        let result = self.with_store(|store| {
            store.write_at(self.actor(), now, |tx| {
                let current = tx.get::<Visit>(Visit::KIND, id)?;
                if current.body.ended_at.is_some() {
                    return Err(AppError::refused("this visit has already been ended"));
                }
                if ended_at < current.body.started_at {
                    return Err(AppError::refused(
                        "a visit cannot end before it started: start it first",
                    ));
                }
                let ended = Visit {
                    ended_at: Some(ended_at),
                    ..current.body
                };
                records::amend(tx, current.version, &ended, "visit ended")?;
                Ok(ended)
            })
        });
        self.notify_if_ok(super::ChangeCause::VisitEnded, result)
    }

    /// Captures an observation; when `input.share` is set, shares it in the same transaction
    /// (record, share and outgoing envelope commit together or not at all).
    pub fn capture_observation(
        &self,
        input: NewObservationInput,
    ) -> Result<Captured<Observation>, AppError> {
        let now = self.now()?;
        let observation = Observation::capture(
            NewObservation {
                about: input.about,
                visit: input.visit,
                recorded_by: self.actor(),
                category: input.category,
                severity: input.severity,
                evidence: input.evidence,
                description: input.description,
                observed_at: input.observed_at.unwrap_or(now),
                place: input.place,
            },
            now,
        )?;
        let share = self.with_store(|store| {
            store.write_at(self.actor(), now, |tx| {
                let person = tx.get::<Person>(Person::KIND, observation.about)?.body;
                if let Some(visit) = observation.visit {
                    tx.get::<Visit>(Visit::KIND, visit)?;
                }
                records::insert(tx, &observation)?;
                input
                    .share
                    .as_ref()
                    .map(|request| {
                        self.write_share(
                            tx,
                            &person,
                            ShareContent {
                                observations: vec![observation.clone()],
                                voice: Vec::new(),
                                transfer: None,
                            },
                            request,
                        )
                    })
                    .transpose()
            })
        })?;
        self.notify_capture(true, share.is_some());
        Ok(Captured {
            warnings: observation.warnings.clone(),
            record: observation,
            share,
        })
    }

    /// Captures a voice-of-the-child note (the child's age computed from their date of birth);
    /// shared in the same transaction when `input.share` is set.
    pub fn capture_voice_note(
        &self,
        input: NewVoiceNoteInput,
    ) -> Result<Captured<VoiceOfChild>, AppError> {
        let now = self.now()?;
        let actor = self.actor();
        let captured = self.with_store(|store| {
            store.write_at(actor, now, |tx| {
                let child = tx.get::<Person>(Person::KIND, input.child)?.body;
                if let Some(visit) = input.visit {
                    tx.get::<Visit>(Visit::KIND, visit)?;
                }
                let note = VoiceOfChild::capture(
                    NewVoiceNote {
                        child: input.child,
                        visit: input.visit,
                        recorded_by: actor,
                        words: input.words.clone(),
                        mode: input.mode,
                        present: input.present.clone(),
                        expressed_at: input.expressed_at.unwrap_or(now),
                        input: input.input,
                    },
                    &child,
                    now,
                )?;
                records::insert(tx, &note)?;
                let share = input
                    .share
                    .as_ref()
                    .map(|request| {
                        self.write_share(
                            tx,
                            &child,
                            ShareContent {
                                observations: Vec::new(),
                                voice: vec![note.clone()],
                                transfer: None,
                            },
                            request,
                        )
                    })
                    .transpose()?;
                Ok(Captured {
                    warnings: note.warnings.clone(),
                    record: note,
                    share,
                })
            })
        })?;
        // A voice note is not a concern a checklist hands over.
        self.notify_capture(false, captured.share.is_some());
        Ok(captured)
    }

    /// Tells the change listener a capture was stored (after the store's lock is released).
    /// An observation names Checklists: an open handover or discharge checklist about the
    /// person counts it as a concern to hand over. A share names the Share screen: the team
    /// told is no longer "not yet told".
    fn notify_capture(&self, observation: bool, shared: bool) {
        let mut screens = vec![super::ScreenName::Today, super::ScreenName::Visit];
        if observation {
            screens.push(super::ScreenName::Checklists);
        }
        if shared {
            screens.extend([
                super::ScreenName::SharesSent,
                super::ScreenName::Sync,
                super::ScreenName::Share,
            ]);
        }
        self.notify(super::ChangeCause::CaptureStored, &screens);
    }

    /// Closes an open observation with a reason (a new version; the old one stays in the
    /// history). Closed observations are no longer pulled into handover checklists.
    pub fn close_observation(
        &self,
        id: ObservationId,
        reason: &str,
    ) -> Result<Observation, AppError> {
        let actor = self.actor();
        let result = self.with_store(|store| {
            store.write(actor, |tx| {
                let current = tx.get::<Observation>(Observation::KIND, id)?;
                let closed = current.body.close(actor, tx.now(), reason)?;
                records::amend(tx, current.version, &closed, reason)?;
                Ok(closed)
            })
        });
        self.notify_if_ok(super::ChangeCause::ObservationChanged, result)
    }

    /// Amends an observation: a new version with the corrected content and the reason, the
    /// earlier version kept in its history (a clinical record is never overwritten). The
    /// capture prompts are worked out again for the corrected text. What was already shared is
    /// not re-sent: share the corrected observation again if the team needs it.
    pub fn amend_observation(
        &self,
        id: ObservationId,
        corrected: ObservationCorrection,
        reason: &str,
    ) -> Result<Captured<Observation>, AppError> {
        let actor = self.actor();
        let result = self.with_store(|store| {
            store.write(actor, |tx| {
                let current = tx.get::<Observation>(Observation::KIND, id)?;
                let old = current.body;
                let fresh = Observation::capture(
                    NewObservation {
                        about: old.about,
                        visit: old.visit,
                        recorded_by: old.recorded_by,
                        category: corrected.category,
                        severity: corrected.severity,
                        evidence: corrected.evidence,
                        description: corrected.description,
                        observed_at: corrected.observed_at,
                        place: corrected.place,
                    },
                    tx.now(),
                )?;
                let amended = Observation {
                    id: old.id,
                    recorded_at: old.recorded_at,
                    closed: old.closed,
                    ..fresh
                };
                records::amend(tx, current.version, &amended, reason)?;
                Ok(Captured {
                    warnings: amended.warnings.clone(),
                    record: amended,
                    share: None,
                })
            })
        });
        self.notify_if_ok(super::ChangeCause::ObservationChanged, result)
    }

    /// Every version of an observation, oldest first, with who changed it, when and why.
    pub fn observation_history(
        &self,
        id: ObservationId,
    ) -> Result<Vec<RecordVersion<Observation>>, AppError> {
        self.with_store(|store| Ok(store.history(self.actor(), Observation::KIND, id)?))
    }

    /// Every live observation about `person`, oldest first.
    pub fn observations_about(&self, person: PersonId) -> Result<Vec<Observation>, AppError> {
        self.with_store(|store| list_about(store, self.actor(), person))
    }
}

/// Live observations about `person` read in a transaction.
pub(crate) fn observations_in(
    tx: &mut WriteTx<'_>,
    person: PersonId,
) -> Result<Vec<Observation>, AppError> {
    let filter = ListFilter {
        subject_person: Some(person),
        ..ListFilter::default()
    };
    Ok(tx
        .list::<Observation>(Observation::KIND, &filter)?
        .into_iter()
        .map(|r| r.body)
        .collect())
}

fn list_about(
    store: &crate::store::FieldStore,
    actor: crate::model::PractitionerId,
    person: PersonId,
) -> Result<Vec<Observation>, AppError> {
    let filter = ListFilter {
        subject_person: Some(person),
        ..ListFilter::default()
    };
    Ok(store
        .list::<Observation>(actor, Observation::KIND, &filter)?
        .into_iter()
        .map(|r| r.body)
        .collect())
}

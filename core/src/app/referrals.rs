//! Referrals to children's social care, their decisions and the escalation ladder.
//!
//! The deadline (one working day from sending, Working Together to Safeguard Children 2023)
//! and the ladder's order are the rules' ([`crate::rules::referral`],
//! [`crate::rules::escalation`]); this module stores them and sends each as an envelope to the
//! practitioner's own teams, so colleagues and the regional server can see a referral with no
//! decision and chase it.

use super::bodies::{self, EscalationStepBody, ReferralBody, ReferralDecisionBody, BODY_VERSION};
use super::records::{self, StoredEscalation, StoredReferral};
use super::shares::EnvelopeSpec;
use super::{AppError, Session};
use crate::model::{Person, PersonId, ReferralId};
use crate::rules::escalation::{
    EscalationLadder, EscalationStep, EscalationTrigger, NextStep, Resolution, StepOutcome,
    StepRecord,
};
use crate::rules::referral::{
    DecisionOutcome, Referral, ReferralChannel, ReferralDecision, ReferralRecord, ReferralStatus,
};
use crate::store::StoredRecord;
use crate::store::{ListFilter, Record, StoreError};
use crate::sync::EnvelopeKind;
use chrono::{DateTime, Utc};
use ulid::Ulid;

/// What is entered for a referral.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewReferralInput {
    /// The child (or unborn baby) it is about: a person on this device.
    pub about: PersonId,
    /// The CSC front door it went to (a team in the directory).
    pub front_door: crate::model::TeamId,
    /// When it was sent (`None`: now).
    pub sent_at: Option<DateTime<Utc>>,
    /// What was referred.
    pub summary: String,
    /// How.
    pub channel: ReferralChannel,
}

/// A referral with its deadline and state now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralView {
    /// The referral and its decision.
    pub record: ReferralRecord,
    /// When the decision is due.
    pub due_at: DateTime<Utc>,
    /// Where it stands at the session clock's instant.
    pub status: ReferralStatus,
    /// The escalation ladder, if one is open.
    pub escalation: Option<EscalationLadder>,
    /// The next escalation step and when it is due, if any.
    pub next_step: Option<NextStep>,
}

/// A referral as the shells list it: who it is about, where it went, when the decision is
/// due, where it stands and the next escalation step with its prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ListedReferral {
    /// The referral's id.
    pub id: ReferralId,
    /// Who it is about.
    pub about_person_id: PersonId,
    /// The front door's team id.
    pub front_door_team_id: crate::model::TeamId,
    /// The front door's name.
    pub front_door_name: String,
    /// When it was sent.
    pub sent_at: DateTime<Utc>,
    /// When CSC's decision is due (one working day).
    pub decision_due_at: DateTime<Utc>,
    /// Where it stands now.
    pub status: ReferralStatus,
    /// The next escalation step, if the escalation ladder is open.
    pub next_step_kind: Option<EscalationStep>,
    /// The next escalation step's prompt, if the escalation ladder is open.
    pub next_step: Option<String>,
    /// When that step is due.
    pub next_step_due_at: Option<DateTime<Utc>>,
}

impl From<ReferralView> for ListedReferral {
    fn from(value: ReferralView) -> Self {
        let referral = value.record.referral;
        ListedReferral {
            id: referral.id,
            about_person_id: referral.about,
            front_door_team_id: referral.front_door,
            front_door_name: referral.front_door_name,
            sent_at: referral.sent_at,
            decision_due_at: value.due_at,
            status: value.status,
            next_step_due_at: value.next_step.as_ref().map(|s| s.due),
            next_step_kind: value.next_step.as_ref().map(|s| s.step),
            next_step: value.next_step.map(|s| s.prompt),
        }
    }
}

impl Session {
    /// Records a referral sent to a CSC front door; the decision is due one working day after
    /// it was sent. The referral envelope goes to the practitioner's teams.
    pub fn record_referral(&self, input: NewReferralInput) -> Result<ReferralView, AppError> {
        let now = self.now()?;
        let sent_at = input.sent_at.unwrap_or(now);
        if sent_at > now {
            return Err(AppError::validation("sent_at", "sent_at is in the future"));
        }
        let front_door_name = self
            .directory()
            .team(input.front_door)
            .map(|t| t.name.clone())
            .ok_or_else(|| AppError::not_found("team", input.front_door))?;
        let identity = self.identity();
        let referral = Referral {
            id: ReferralId::new(),
            about: input.about,
            referrer: identity.practitioner,
            front_door: input.front_door,
            front_door_name,
            sent_at,
            summary: input.summary.trim().to_owned(),
            channel: input.channel,
        };
        let record = ReferralRecord::new(referral.clone())?;
        let due_at = referral.decision_due(self.rules())?;
        self.with_store(|store| {
            store.write_at(identity.practitioner, now, |tx| {
                let person = tx.get::<Person>(Person::KIND, input.about)?.body;
                let stored = StoredReferral {
                    record: record.clone(),
                    due_at,
                    household: Some(person.household),
                    clock_unverified: !self.clock_verified(),
                };
                records::insert(tx, &stored)?;
                self.enqueue(
                    tx,
                    EnvelopeSpec {
                        kind: EnvelopeKind::Referral,
                        entity_id: referral.id.ulid(),
                        entity_version: 1,
                        audience: identity.team_ids(),
                        severity: None,
                        due_at: Some(due_at),
                        answers: None,
                        body: bodies::encode(&ReferralBody {
                            v: BODY_VERSION,
                            referral: referral.clone(),
                        })?,
                    },
                )?;
                Ok(())
            })
        })?;
        // After the commit, with no lock held (see `changes`).
        self.notify_recorded(super::ChangeCause::ReferralRecorded);
        self.referral(referral.id)
    }

    /// A referral with its state now.
    pub fn referral(&self, id: ReferralId) -> Result<ReferralView, AppError> {
        let (stored, ladder) = self.with_store(|store| {
            store.write(self.actor(), |tx| {
                let stored: StoredReferral = tx.get(StoredReferral::KIND, id)?.body;
                let ladder = match tx.get::<StoredEscalation>(StoredEscalation::KIND, id) {
                    Ok(r) => Some(r.body.ladder),
                    Err(StoreError::NotFound { .. }) => None,
                    Err(err) => return Err(err.into()),
                };
                Ok::<_, AppError>((stored, ladder))
            })
        })?;
        self.referral_view(stored, ladder)
    }

    /// Every referral on this device, oldest first.
    pub fn referrals(&self) -> Result<Vec<ReferralView>, AppError> {
        let (referrals, ladders) = self.referrals_and_ladders()?;
        referrals
            .into_iter()
            .map(|r| {
                let ladder = ladders
                    .iter()
                    .find(|l| l.ladder.referral == r.record.referral.id)
                    .map(|l| l.ladder.clone());
                self.referral_view(r, ladder)
            })
            .collect()
    }

    pub(crate) fn referrals_and_ladders(
        &self,
    ) -> Result<(Vec<StoredReferral>, Vec<StoredEscalation>), AppError> {
        self.with_store(|store| {
            let actor = self.actor();
            let referrals = store
                .list::<StoredReferral>(actor, StoredReferral::KIND, &ListFilter::default())?
                .into_iter()
                .map(|r| r.body)
                .collect();
            let ladders = store
                .list::<StoredEscalation>(actor, StoredEscalation::KIND, &ListFilter::default())?
                .into_iter()
                .map(|r| r.body)
                .collect();
            Ok((referrals, ladders))
        })
    }

    fn referral_view(
        &self,
        stored: StoredReferral,
        escalation: Option<EscalationLadder>,
    ) -> Result<ReferralView, AppError> {
        let status = stored.record.status(self.rules(), self.now()?)?;
        let next_step = match &escalation {
            Some(ladder) => {
                ladder.next_due(self.rules(), self.config().attention.escalation_step)?
            }
            None => None,
        };
        Ok(ReferralView {
            due_at: stored.due_at,
            record: stored.record,
            status,
            escalation,
            next_step,
        })
    }

    /// Records CSC's decision on a referral (when it reached the practitioner: now unless
    /// given). A decision not to accept opens the escalation ladder.
    pub fn record_referral_decision(
        &self,
        id: ReferralId,
        outcome: DecisionOutcome,
        feedback_to_family_given: bool,
        arrived_at: Option<DateTime<Utc>>,
    ) -> Result<ReferralView, AppError> {
        let identity = self.identity();
        let now = self.now()?;
        let arrived_at = arrived_at.unwrap_or(now);
        if arrived_at > now {
            return Err(AppError::validation(
                "arrived_at",
                "arrived_at is in the future",
            ));
        }
        self.with_store(|store| {
            store.write_at(identity.practitioner, now, |tx| {
                let current: Record<StoredReferral> = tx.get(StoredReferral::KIND, id)?;
                let mut stored = current.body;
                let decision = ReferralDecision {
                    outcome,
                    feedback_to_family_given,
                    arrived_at,
                    recorded_by: identity.practitioner,
                };
                stored.record.record_decision(decision.clone())?;
                records::amend(tx, current.version, &stored, "decision recorded")?;
                if stored.record.not_accepted() {
                    let ladder = EscalationLadder::open(
                        id,
                        identity.practitioner,
                        EscalationTrigger::NotAccepted,
                        arrived_at,
                    );
                    records::insert(
                        tx,
                        &StoredEscalation {
                            ladder,
                            about: stored.record.referral.about,
                        },
                    )?;
                }
                self.enqueue(
                    tx,
                    EnvelopeSpec {
                        kind: EnvelopeKind::ReferralDecision,
                        entity_id: Ulid::new(),
                        entity_version: 1,
                        audience: identity.team_ids(),
                        severity: None,
                        due_at: None,
                        answers: Some(id.ulid()),
                        body: bodies::encode(&ReferralDecisionBody {
                            v: BODY_VERSION,
                            referral: id,
                            decision,
                        })?,
                    },
                )?;
                Ok::<_, AppError>(())
            })
        })?;
        self.notify_recorded(super::ChangeCause::ReferralDecisionRecorded);
        self.referral(id)
    }

    /// Opens the escalation ladder for a referral whose response does not address the risk
    /// (a referral not accepted has its ladder opened when the decision is recorded). Refused
    /// for a referral with no decision recorded yet.
    pub fn open_escalation(&self, id: ReferralId) -> Result<ReferralView, AppError> {
        let actor = self.actor();
        self.with_store(|store| {
            store.write(actor, |tx| {
                let stored: StoredReferral = tx.get(StoredReferral::KIND, id)?.body;
                // "The response does not address the risk" needs a response: a referral with
                // no decision yet is chased by phone (Today's "Chase it"). The Referrals screen
                // offers escalation only after the decision; opened before it, the ladder made
                // a later "not accepted" decision unrecordable (it opens the same ladder).
                if stored.record.decision.is_none() {
                    return Err(AppError::refused(
                        "record the front door's decision first: a referral with no decision \
                         is chased by phone, not escalated",
                    ));
                }
                let ladder = EscalationLadder::open(
                    id,
                    actor,
                    EscalationTrigger::InadequateResponse,
                    tx.now(),
                );
                records::insert(
                    tx,
                    &StoredEscalation {
                        ladder,
                        about: stored.record.referral.about,
                    },
                )?;
                Ok::<_, AppError>(())
            })
        })?;
        self.notify_recorded(super::ChangeCause::EscalationRecorded);
        self.referral(id)
    }

    /// Records the next escalation step taken now, with its outcome. Steps are never skipped:
    /// a step out of order is refused, naming the one that must come next.
    pub fn record_escalation_step(
        &self,
        id: ReferralId,
        step: EscalationStep,
        outcome: StepOutcome,
    ) -> Result<ReferralView, AppError> {
        let identity = self.identity();
        self.with_store(|store| {
            store.write(identity.practitioner, |tx| {
                let current: Record<StoredEscalation> = tx.get(StoredEscalation::KIND, id)?;
                let mut stored = current.body;
                let record = StepRecord {
                    step,
                    taken_at: tx.now(),
                    taken_by: identity.practitioner,
                    outcome,
                };
                stored.ladder.record(record.clone())?;
                records::amend(tx, current.version, &stored, "escalation step recorded")?;
                self.enqueue(
                    tx,
                    EnvelopeSpec {
                        kind: EnvelopeKind::EscalationStep,
                        entity_id: Ulid::new(),
                        entity_version: 1,
                        audience: identity.team_ids(),
                        severity: None,
                        due_at: None,
                        answers: Some(id.ulid()),
                        body: bodies::encode(&EscalationStepBody {
                            v: BODY_VERSION,
                            referral: id,
                            trigger: stored.ladder.trigger,
                            step: record,
                        })?,
                    },
                )?;
                Ok::<_, AppError>(())
            })
        })?;
        self.notify_recorded(super::ChangeCause::EscalationRecorded);
        self.referral(id)
    }

    /// Closes an escalation early with a reason (e.g. the re-referral was accepted).
    pub fn resolve_escalation(
        &self,
        id: ReferralId,
        reason: &str,
    ) -> Result<ReferralView, AppError> {
        let actor = self.actor();
        self.with_store(|store| {
            store.write(actor, |tx| {
                let current: Record<StoredEscalation> = tx.get(StoredEscalation::KIND, id)?;
                let mut stored = current.body;
                stored.ladder.resolve(Resolution {
                    at: tx.now(),
                    by: actor,
                    reason: reason.trim().to_owned(),
                })?;
                records::amend(tx, current.version, &stored, "escalation resolved")?;
                Ok::<_, AppError>(())
            })
        })?;
        self.notify_recorded(super::ChangeCause::EscalationRecorded);
        self.referral(id)
    }
}

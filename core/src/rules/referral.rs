//! Referrals to children's social care (CSC): when a decision is due, the decision itself, and
//! the prompt to chase when none has arrived.
//!
//! Rule: CSC should decide on a referral within one working day of receiving it and give
//! feedback to the referrer and the family (Working Together to Safeguard Children, HM
//! Government 2023). "One working day" is counted in working time by
//! [`WorkingTime::add_working_days`]; see [`super::working_time`] for the arithmetic and its
//! edges.
//!
//! Decisions taken the safer way:
//! - The count starts when the referral was *sent*. The practitioner rarely learns the exact
//!   moment CSC received it, and sending is the earliest it can have been received, so this
//!   gives the earliest (safer) deadline.
//! - The chase prompt appears at the due instant itself, not a minute after.
//! - A decision is recorded once; correcting one is an amendment (a new version in the store),
//!   not an overwrite here.
//!
//! Pure functions over the record and an instant; nothing reads the wall clock.

use super::working_time::{describe_local, WorkingTime, WorkingTimeError};
use crate::model::{PersonId, PractitionerId, ReferralId, TeamId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Why a referral or its decision could not be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferralError {
    /// A summary is required: CSC must know what is being referred.
    #[error("a referral needs a summary of its content")]
    EmptySummary,
    /// A referral not accepted must say why, so the escalation can address it.
    #[error("a decision not to accept must record the reasons given")]
    MissingReasons,
    /// A decision cannot arrive before the referral was sent.
    #[error("the decision's arrival time is before the referral was sent")]
    DecisionBeforeReferral,
    /// A decision is already recorded; amend it as a new version instead.
    #[error("this referral already has a decision")]
    AlreadyDecided,
    /// The deadline could not be computed.
    #[error(transparent)]
    WorkingTime(#[from] WorkingTimeError),
}

/// How the referral was made.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ReferralChannel {
    /// By telephone to the front door (to be confirmed in writing).
    Phone,
    /// Secure email.
    SecureEmail,
    /// The local authority's online referral form or portal.
    OnlinePortal,
    /// In person.
    InPerson,
}

/// A referral to a local authority's CSC front door (MASH).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    /// The referral's id.
    pub id: ReferralId,
    /// The child (or unborn baby) it is about.
    pub about: PersonId,
    /// The practitioner who referred.
    pub referrer: PractitionerId,
    /// The CSC front door it went to (a team in the directory).
    pub front_door: TeamId,
    /// The front door's name as chosen from the directory, for prompts.
    pub front_door_name: String,
    /// When it was sent.
    pub sent_at: DateTime<Utc>,
    /// What was referred, in the referrer's words. Personal data: sealed at rest.
    pub summary: String,
    /// How it was sent.
    pub channel: ReferralChannel,
}

/// What CSC decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum DecisionOutcome {
    /// Accepted (for assessment, strategy discussion, Early Help, ...).
    Accepted {
        /// The response CSC named, if any.
        response: String,
    },
    /// Not accepted, with the reasons CSC gave.
    NotAccepted {
        /// The reasons given.
        reasons: String,
    },
}

/// CSC's decision as recorded by the referrer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralDecision {
    /// Accepted or not, and why.
    pub outcome: DecisionOutcome,
    /// Whether CSC says feedback was given to the family.
    pub feedback_to_family_given: bool,
    /// When the decision reached the referrer.
    pub arrived_at: DateTime<Utc>,
    /// Who recorded it.
    pub recorded_by: PractitionerId,
}

/// A referral with its decision, if one has arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralRecord {
    /// The referral as sent.
    pub referral: Referral,
    /// The decision, once recorded.
    pub decision: Option<ReferralDecision>,
}

/// Where a referral stands at an instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum ReferralStatus {
    /// No decision yet; still within time.
    AwaitingDecision {
        /// When the decision is due.
        due: DateTime<Utc>,
    },
    /// No decision and the due time has come: chase.
    DecisionOverdue {
        /// When the decision was due.
        due: DateTime<Utc>,
    },
    /// Accepted.
    Accepted {
        /// Whether the decision came within the deadline.
        in_time: bool,
    },
    /// Not accepted: the escalation ladder applies.
    NotAccepted {
        /// Whether the decision came within the deadline.
        in_time: bool,
    },
}

/// The prompt to chase a referral with no decision by its due time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChasePrompt {
    /// The referral to chase.
    pub referral: ReferralId,
    /// The front door to call.
    pub front_door: TeamId,
    /// When the decision was due.
    pub due: DateTime<Utc>,
    /// How long past due, at the instant asked.
    pub overdue_by_minutes: i64,
    /// What the practitioner sees.
    pub message: String,
}

impl Referral {
    /// Checks a new referral before it is recorded.
    pub fn validate(&self) -> Result<(), ReferralError> {
        if crate::rules::normalise::is_blank(&self.summary) {
            return Err(ReferralError::EmptySummary);
        }
        Ok(())
    }

    /// When CSC's decision is due: one working day after it was sent.
    pub fn decision_due(&self, rule: &WorkingTime) -> Result<DateTime<Utc>, ReferralError> {
        Ok(rule.add_working_days(self.sent_at, 1)?)
    }
}

impl ReferralRecord {
    /// A referral just sent, with no decision.
    pub fn new(referral: Referral) -> Result<Self, ReferralError> {
        referral.validate()?;
        Ok(ReferralRecord {
            referral,
            decision: None,
        })
    }

    /// Records CSC's decision. Refuses a second decision, a decision that arrived before the
    /// referral was sent, and "not accepted" without reasons; on error nothing changes.
    pub fn record_decision(&mut self, decision: ReferralDecision) -> Result<(), ReferralError> {
        if self.decision.is_some() {
            return Err(ReferralError::AlreadyDecided);
        }
        if decision.arrived_at < self.referral.sent_at {
            return Err(ReferralError::DecisionBeforeReferral);
        }
        if let DecisionOutcome::NotAccepted { reasons } = &decision.outcome {
            if crate::rules::normalise::is_blank(reasons) {
                return Err(ReferralError::MissingReasons);
            }
        }
        self.decision = Some(decision);
        Ok(())
    }

    /// Where the referral stands at `now`.
    pub fn status(
        &self,
        rule: &WorkingTime,
        now: DateTime<Utc>,
    ) -> Result<ReferralStatus, ReferralError> {
        let due = self.referral.decision_due(rule)?;
        Ok(match &self.decision {
            None if now >= due => ReferralStatus::DecisionOverdue { due },
            None => ReferralStatus::AwaitingDecision { due },
            Some(decision) => {
                let in_time = decision.arrived_at <= due;
                match decision.outcome {
                    DecisionOutcome::Accepted { .. } => ReferralStatus::Accepted { in_time },
                    DecisionOutcome::NotAccepted { .. } => ReferralStatus::NotAccepted { in_time },
                }
            }
        })
    }

    /// The chase prompt, when the decision is due (at or after the due instant) and none has
    /// been recorded; `None` otherwise.
    pub fn chase_prompt(
        &self,
        rule: &WorkingTime,
        now: DateTime<Utc>,
    ) -> Result<Option<ChasePrompt>, ReferralError> {
        let ReferralStatus::DecisionOverdue { due } = self.status(rule, now)? else {
            return Ok(None);
        };
        let overdue_by = now - due;
        Ok(Some(ChasePrompt {
            referral: self.referral.id,
            front_door: self.referral.front_door,
            due,
            overdue_by_minutes: overdue_by.num_minutes(),
            message: format!(
                "No decision recorded on this referral to {}: it was due {}. Chase them now.",
                self.referral.front_door_name,
                describe_local(due)
            ),
        }))
    }

    /// Whether this referral was not accepted (the escalation ladder applies).
    pub fn not_accepted(&self) -> bool {
        matches!(
            self.decision.as_ref().map(|d| &d.outcome),
            Some(DecisionOutcome::NotAccepted { .. })
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::working_time::london_to_utc;
    use chrono::NaiveDate;

    fn london(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        london_to_utc(
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(h, min, 0)
                .unwrap(),
        )
        .unwrap()
    }

    fn referral(sent_at: DateTime<Utc>) -> ReferralRecord {
        ReferralRecord::new(Referral {
            id: ReferralId::new(),
            about: PersonId::new(),
            referrer: PractitionerId::new(),
            front_door: TeamId::new(),
            front_door_name: "Northshire MASH".into(),
            sent_at,
            summary: "Bruise to infant's cheek, mother's account inconsistent".into(),
            channel: ReferralChannel::Phone,
        })
        .unwrap()
    }

    fn decision(outcome: DecisionOutcome, arrived_at: DateTime<Utc>) -> ReferralDecision {
        ReferralDecision {
            outcome,
            feedback_to_family_given: true,
            arrived_at,
            recorded_by: PractitionerId::new(),
        }
    }

    #[test]
    fn referral_sent_friday_afternoon_is_chased_from_monday_same_time() {
        let rule = WorkingTime::england_and_wales();
        let record = referral(london(2026, 11, 27, 15, 0));
        assert_eq!(
            record
                .chase_prompt(&rule, london(2026, 11, 30, 14, 59))
                .unwrap(),
            None
        );
        let prompt = record
            .chase_prompt(&rule, london(2026, 11, 30, 15, 0))
            .unwrap()
            .unwrap();
        assert_eq!(prompt.due, london(2026, 11, 30, 15, 0));
        assert_eq!(prompt.overdue_by_minutes, 0);
        assert!(prompt.message.contains("Northshire MASH"));
        assert!(prompt.message.contains("Mon 30 Nov 15:00"));
    }

    #[test]
    fn a_decision_stops_the_chase_and_records_whether_it_was_in_time() {
        let rule = WorkingTime::england_and_wales();
        let mut record = referral(london(2026, 11, 23, 10, 0));
        record
            .record_decision(decision(
                DecisionOutcome::Accepted {
                    response: "Single assessment".into(),
                },
                london(2026, 11, 24, 11, 0),
            ))
            .unwrap();
        let later = london(2026, 12, 1, 12, 0);
        assert_eq!(record.chase_prompt(&rule, later).unwrap(), None);
        assert_eq!(
            record.status(&rule, later).unwrap(),
            ReferralStatus::Accepted { in_time: false }
        );
    }

    #[test]
    fn not_accepted_needs_reasons_and_opens_escalation() {
        let rule = WorkingTime::england_and_wales();
        let mut record = referral(london(2026, 11, 23, 10, 0));
        let empty = decision(
            DecisionOutcome::NotAccepted {
                reasons: "  ".into(),
            },
            london(2026, 11, 23, 16, 0),
        );
        assert_eq!(
            record.record_decision(empty),
            Err(ReferralError::MissingReasons)
        );
        assert_eq!(record.decision, None);
        record
            .record_decision(decision(
                DecisionOutcome::NotAccepted {
                    reasons: "Below threshold; signpost to Early Help".into(),
                },
                london(2026, 11, 23, 16, 0),
            ))
            .unwrap();
        assert!(record.not_accepted());
        assert_eq!(
            record.status(&rule, london(2026, 11, 23, 16, 0)).unwrap(),
            ReferralStatus::NotAccepted { in_time: true }
        );
    }

    #[test]
    fn a_second_or_impossible_decision_is_refused() {
        let mut record = referral(london(2026, 11, 23, 10, 0));
        let early = decision(
            DecisionOutcome::Accepted {
                response: String::new(),
            },
            london(2026, 11, 23, 9, 0),
        );
        assert_eq!(
            record.record_decision(early),
            Err(ReferralError::DecisionBeforeReferral)
        );
        let ok = decision(
            DecisionOutcome::Accepted {
                response: String::new(),
            },
            london(2026, 11, 23, 11, 0),
        );
        record.record_decision(ok.clone()).unwrap();
        assert_eq!(
            record.record_decision(ok),
            Err(ReferralError::AlreadyDecided)
        );
    }

    #[test]
    fn a_referral_without_a_summary_is_refused() {
        let mut bad = referral(london(2026, 11, 23, 10, 0)).referral;
        bad.summary = String::new();
        assert_eq!(ReferralRecord::new(bad), Err(ReferralError::EmptySummary));
    }

    #[test]
    fn decision_serialises_with_its_outcome_tag() {
        let d = decision(
            DecisionOutcome::NotAccepted {
                reasons: "r".into(),
            },
            london(2026, 11, 23, 10, 0),
        );
        let json = serde_json::to_string(&d).unwrap();
        assert!(json.contains(r#""outcome":"not_accepted""#));
        assert_eq!(serde_json::from_str::<ReferralDecision>(&json).unwrap(), d);
    }
}

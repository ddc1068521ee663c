//! The escalation ladder when a referral to children's social care is not accepted or the
//! response is inadequate.
//!
//! Owns: the fixed order of steps, the record of each step taken (when, by whom, outcome), the
//! next step to propose and when it falls due.
//!
//! The order (regional safeguarding briefing, "if your referral is not accepted"):
//! 1. review the referral and re-refer with more information;
//! 2. check local thresholds for an Early Help response;
//! 3. contact the other professionals involved for collateral history;
//! 4. seek advice from the practice safeguarding lead / named or designated professional;
//! 5. follow the local escalation (professional disagreement) procedure.
//!
//! Invariants: steps are recorded strictly in this order; recording a step out of order is a
//! typed error ([`EscalationError::OutOfOrder`]) naming the step expected. A step that does not
//! apply is still recorded, as "not applicable" with a reason, so no step is ever skipped
//! silently. Once the concern is resolved (e.g. a re-referral is accepted) the ladder is closed
//! with a reason and proposes nothing more.
//!
//! Product decision (not in the source, taken the louder way): the next step falls due one
//! working day after the ladder opened or the previous step was recorded (configurable), so a
//! stalled escalation appears in "needs attention now" instead of waiting silently.

use super::working_time::{Allowance, WorkingTime, WorkingTimeError};
use crate::model::{PractitionerId, ReferralId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One step of the ladder, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum EscalationStep {
    /// Review the referral and re-refer with more information.
    ReviewAndReRefer,
    /// Check local thresholds for an Early Help response.
    CheckEarlyHelpThresholds,
    /// Contact other professionals involved for collateral history.
    SeekCollateralHistory,
    /// Seek advice from the practice safeguarding lead / named or designated professional.
    SeekSafeguardingAdvice,
    /// Follow the local escalation (professional disagreement) procedure.
    FollowEscalationProcedure,
}

impl EscalationStep {
    /// Every step, in the order they must be taken.
    pub const ALL: [EscalationStep; 5] = [
        EscalationStep::ReviewAndReRefer,
        EscalationStep::CheckEarlyHelpThresholds,
        EscalationStep::SeekCollateralHistory,
        EscalationStep::SeekSafeguardingAdvice,
        EscalationStep::FollowEscalationProcedure,
    ];

    /// The step after this one, if any.
    pub fn next(self) -> Option<EscalationStep> {
        let index = EscalationStep::ALL.iter().position(|s| *s == self)?;
        EscalationStep::ALL.get(index + 1).copied()
    }

    /// What the practitioner is asked to do.
    pub fn prompt(self) -> &'static str {
        match self {
            EscalationStep::ReviewAndReRefer => {
                "Review the referral and re-refer with more information."
            }
            EscalationStep::CheckEarlyHelpThresholds => {
                "Check the local thresholds for an Early Help response."
            }
            EscalationStep::SeekCollateralHistory => {
                "Contact the other professionals involved for collateral history."
            }
            EscalationStep::SeekSafeguardingAdvice => {
                "Seek advice from the practice safeguarding lead or the named or designated professional."
            }
            EscalationStep::FollowEscalationProcedure => {
                "Follow the local escalation (professional disagreement) procedure."
            }
        }
    }
}

/// Why the ladder was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationTrigger {
    /// CSC did not accept the referral.
    NotAccepted,
    /// CSC responded, but the response does not address the risk.
    InadequateResponse,
}

/// What came of a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "kind", content = "text")]
pub enum StepOutcome {
    /// Done, with what happened.
    Done(String),
    /// Did not apply, with why (e.g. no other professionals are involved).
    NotApplicable(String),
}

/// A step taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    /// Which step.
    pub step: EscalationStep,
    /// When it was taken.
    pub taken_at: DateTime<Utc>,
    /// Who took it.
    pub taken_by: PractitionerId,
    /// What came of it.
    pub outcome: StepOutcome,
}

/// How the escalation ended early.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    /// When.
    pub at: DateTime<Utc>,
    /// Who closed it.
    pub by: PractitionerId,
    /// Why no further step is needed (e.g. re-referral accepted).
    pub reason: String,
}

/// Why a step could not be recorded. The ladder is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EscalationError {
    /// The step is not the next one: steps are never skipped silently.
    #[error("step {got:?} is out of order: the next step is {expected:?}")]
    OutOfOrder {
        /// The step that must come next (`None` when all are done).
        expected: Option<EscalationStep>,
        /// The step offered.
        got: EscalationStep,
    },
    /// An outcome, reason or resolution needs words.
    #[error("a step outcome or resolution must say what happened")]
    EmptyText,
    /// A step cannot be recorded before the one before it, or before the ladder opened.
    #[error("a step cannot be dated before the previous one")]
    BeforePrevious,
    /// The escalation is already closed.
    #[error("the escalation is already resolved")]
    AlreadyResolved,
    /// The due time could not be computed.
    #[error(transparent)]
    WorkingTime(#[from] WorkingTimeError),
}

/// The escalation of one referral: the steps taken so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationLadder {
    /// The referral being escalated.
    pub referral: ReferralId,
    /// The practitioner responsible for taking it forward.
    pub owner: PractitionerId,
    /// Why.
    pub trigger: EscalationTrigger,
    /// When it opened (usually when the decision arrived).
    pub opened_at: DateTime<Utc>,
    steps: Vec<StepRecord>,
    resolution: Option<Resolution>,
}

/// The step to take next and when it is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextStep {
    /// The step.
    pub step: EscalationStep,
    /// When it falls due.
    pub due: DateTime<Utc>,
    /// What to do.
    pub prompt: String,
}

impl EscalationLadder {
    /// Opens the ladder at `opened_at` with no steps taken.
    pub fn open(
        referral: ReferralId,
        owner: PractitionerId,
        trigger: EscalationTrigger,
        opened_at: DateTime<Utc>,
    ) -> Self {
        EscalationLadder {
            referral,
            owner,
            trigger,
            opened_at,
            steps: Vec::new(),
            resolution: None,
        }
    }

    /// The steps taken, in order.
    pub fn steps(&self) -> &[StepRecord] {
        &self.steps
    }

    /// How it was resolved, if it was.
    pub fn resolution(&self) -> Option<&Resolution> {
        self.resolution.as_ref()
    }

    /// The step that must come next, or `None` when resolved or every step is recorded.
    pub fn next_step(&self) -> Option<EscalationStep> {
        if self.resolution.is_some() {
            return None;
        }
        match self.steps.last() {
            None => Some(EscalationStep::ReviewAndReRefer),
            Some(last) => last.step.next(),
        }
    }

    /// Records a step. It must be the next one, dated no earlier than the previous step (or the
    /// opening) and carry an outcome in words.
    pub fn record(&mut self, record: StepRecord) -> Result<(), EscalationError> {
        if self.resolution.is_some() {
            return Err(EscalationError::AlreadyResolved);
        }
        let expected = self.next_step();
        if expected != Some(record.step) {
            return Err(EscalationError::OutOfOrder {
                expected,
                got: record.step,
            });
        }
        let text = match &record.outcome {
            StepOutcome::Done(text) | StepOutcome::NotApplicable(text) => text,
        };
        if crate::rules::normalise::is_blank(text) {
            return Err(EscalationError::EmptyText);
        }
        if record.taken_at < self.last_activity() {
            return Err(EscalationError::BeforePrevious);
        }
        self.steps.push(record);
        Ok(())
    }

    /// Closes the ladder early with a reason (e.g. the re-referral was accepted).
    pub fn resolve(&mut self, resolution: Resolution) -> Result<(), EscalationError> {
        if self.resolution.is_some() {
            return Err(EscalationError::AlreadyResolved);
        }
        if crate::rules::normalise::is_blank(&resolution.reason) {
            return Err(EscalationError::EmptyText);
        }
        if resolution.at < self.last_activity() {
            return Err(EscalationError::BeforePrevious);
        }
        self.resolution = Some(resolution);
        Ok(())
    }

    /// The next step with its due time (`allowance` after the last activity), or `None`.
    pub fn next_due(
        &self,
        rule: &WorkingTime,
        allowance: Allowance,
    ) -> Result<Option<NextStep>, EscalationError> {
        let Some(step) = self.next_step() else {
            return Ok(None);
        };
        let due = rule.due(self.last_activity(), allowance)?;
        Ok(Some(NextStep {
            step,
            due,
            prompt: step.prompt().to_owned(),
        }))
    }

    fn last_activity(&self) -> DateTime<Utc> {
        self.steps
            .last()
            .map_or(self.opened_at, |record| record.taken_at)
    }
}

/// The default time allowed for each escalation step: one working day.
pub const DEFAULT_STEP_ALLOWANCE: Allowance = Allowance::WorkingDays(1);

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
    }

    fn done(step: EscalationStep, when: DateTime<Utc>) -> StepRecord {
        StepRecord {
            step,
            taken_at: when,
            taken_by: PractitionerId::new(),
            outcome: StepOutcome::Done("done".into()),
        }
    }

    fn ladder() -> EscalationLadder {
        EscalationLadder::open(
            ReferralId::new(),
            PractitionerId::new(),
            EscalationTrigger::NotAccepted,
            at(23, 10),
        )
    }

    #[test]
    fn the_ladder_proposes_each_step_in_order_then_nothing() {
        let mut ladder = ladder();
        for (i, step) in EscalationStep::ALL.iter().enumerate() {
            assert_eq!(ladder.next_step(), Some(*step));
            ladder.record(done(*step, at(24 + i as u32, 10))).unwrap();
        }
        assert_eq!(ladder.next_step(), None);
        assert_eq!(ladder.steps().len(), 5);
    }

    #[test]
    fn skipping_a_step_is_a_typed_error_and_changes_nothing() {
        let mut ladder = ladder();
        let err = ladder
            .record(done(EscalationStep::SeekSafeguardingAdvice, at(24, 10)))
            .unwrap_err();
        assert_eq!(
            err,
            EscalationError::OutOfOrder {
                expected: Some(EscalationStep::ReviewAndReRefer),
                got: EscalationStep::SeekSafeguardingAdvice
            }
        );
        assert!(ladder.steps().is_empty());
    }

    #[test]
    fn a_step_that_does_not_apply_is_recorded_with_its_reason() {
        let mut ladder = ladder();
        ladder
            .record(done(EscalationStep::ReviewAndReRefer, at(24, 10)))
            .unwrap();
        let mut na = done(EscalationStep::CheckEarlyHelpThresholds, at(24, 11));
        na.outcome = StepOutcome::NotApplicable(String::new());
        assert_eq!(ladder.record(na.clone()), Err(EscalationError::EmptyText));
        na.outcome = StepOutcome::NotApplicable("Family already declined Early Help".into());
        ladder.record(na).unwrap();
        assert_eq!(
            ladder.next_step(),
            Some(EscalationStep::SeekCollateralHistory)
        );
    }

    #[test]
    fn a_step_dated_before_the_previous_is_refused() {
        let mut ladder = ladder();
        assert_eq!(
            ladder.record(done(EscalationStep::ReviewAndReRefer, at(22, 10))),
            Err(EscalationError::BeforePrevious)
        );
    }

    #[test]
    fn the_next_step_is_due_one_working_day_after_the_last() {
        let rule = WorkingTime::england_and_wales();
        let mut ladder = ladder();
        // Opened Mon 23 Nov 10:00 GMT: first step due Tue 10:00.
        let next = ladder
            .next_due(&rule, DEFAULT_STEP_ALLOWANCE)
            .unwrap()
            .unwrap();
        assert_eq!(next.step, EscalationStep::ReviewAndReRefer);
        assert_eq!(next.due, at(24, 10));
        // Re-referred Fri 27 Nov 16:00: the next step is due Mon 30 Nov 16:00.
        ladder
            .record(done(EscalationStep::ReviewAndReRefer, at(27, 16)))
            .unwrap();
        let next = ladder
            .next_due(&rule, DEFAULT_STEP_ALLOWANCE)
            .unwrap()
            .unwrap();
        assert_eq!(next.step, EscalationStep::CheckEarlyHelpThresholds);
        assert_eq!(next.due, at(30, 16));
    }

    #[test]
    fn a_resolved_ladder_proposes_nothing_and_takes_no_more_steps() {
        let rule = WorkingTime::england_and_wales();
        let mut ladder = ladder();
        ladder
            .resolve(Resolution {
                at: at(24, 9),
                by: PractitionerId::new(),
                reason: "Re-referral accepted for assessment".into(),
            })
            .unwrap();
        assert_eq!(
            ladder.next_due(&rule, DEFAULT_STEP_ALLOWANCE).unwrap(),
            None
        );
        assert_eq!(
            ladder.record(done(EscalationStep::ReviewAndReRefer, at(24, 10))),
            Err(EscalationError::AlreadyResolved)
        );
    }

    #[test]
    fn the_ladder_round_trips_through_json() {
        let mut ladder = ladder();
        ladder
            .record(done(EscalationStep::ReviewAndReRefer, at(24, 10)))
            .unwrap();
        let json = serde_json::to_string(&ladder).unwrap();
        assert_eq!(
            serde_json::from_str::<EscalationLadder>(&json).unwrap(),
            ladder
        );
    }
}

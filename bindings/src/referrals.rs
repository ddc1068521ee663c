//! Referrals to children's social care: record one (the decision is due one working day later,
//! core's rule), list them, record the front door's decision, and the escalation steps after a
//! referral is not accepted (in order; out of order is `Refused`). The referral as listed is a
//! view record here until core builds it.

use crate::error::{guard, SafeShareError};
use crate::session::{list, Referrals};
use safeshare_core::app::{self as core_app, NewReferralInput};
use safeshare_core::boundary::UtcInstant;
use safeshare_core::model::{PersonId, ReferralId, TeamId};
use safeshare_core::rules::escalation::{EscalationStep, StepOutcome};
use safeshare_core::rules::referral::{DecisionOutcome, ReferralStatus};

#[uniffi::export]
impl Referrals {
    /// Records a referral to a CSC front door; the decision is due one working day later.
    pub fn record_referral(&self, input: NewReferralInput) -> Result<Referral, SafeShareError> {
        guard(|| Ok(self.inner.record_referral(input)?.into()))
    }

    /// Every referral with its due time and state.
    pub fn referrals(&self) -> Result<Vec<Referral>, SafeShareError> {
        guard(|| Ok(list(self.inner.referrals()?)))
    }

    /// Records CSC's decision; not accepted opens the escalation steps.
    pub fn record_referral_decision(
        &self,
        referral_id: ReferralId,
        outcome: DecisionOutcome,
        feedback_to_family_given: bool,
        arrived_at: Option<UtcInstant>,
    ) -> Result<Referral, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .record_referral_decision(
                    referral_id,
                    outcome,
                    feedback_to_family_given,
                    arrived_at,
                )?
                .into())
        })
    }

    /// Opens the escalation steps for an accepted referral whose response is inadequate.
    pub fn open_escalation(&self, referral_id: ReferralId) -> Result<Referral, SafeShareError> {
        guard(|| Ok(self.inner.open_escalation(referral_id)?.into()))
    }

    /// Records an escalation step taken (steps go in order; out of order is `Refused`).
    pub fn record_escalation_step(
        &self,
        referral_id: ReferralId,
        step: EscalationStep,
        outcome: StepOutcome,
    ) -> Result<Referral, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .record_escalation_step(referral_id, step, outcome)?
                .into())
        })
    }

    /// Ends the escalation early, with the reason (e.g. CSC accepted on re-referral).
    pub fn resolve_escalation(
        &self,
        referral_id: ReferralId,
        reason: String,
    ) -> Result<Referral, SafeShareError> {
        guard(|| Ok(self.inner.resolve_escalation(referral_id, &reason)?.into()))
    }
}

/// A referral with its due time, state and next escalation step.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Referral {
    /// The referral's id.
    pub id: ReferralId,
    /// Who it is about.
    pub about_person_id: PersonId,
    /// The front door's team id.
    pub front_door_team_id: TeamId,
    /// The front door's name.
    pub front_door_name: String,
    /// When it was sent.
    pub sent_at: UtcInstant,
    /// When CSC's decision is due (one working day).
    pub decision_due_at: UtcInstant,
    /// Where it stands now.
    pub status: ReferralStatus,
    /// The next escalation step, if the escalation ladder is open.
    pub next_step_kind: Option<EscalationStep>,
    /// The next escalation step's prompt (core's words), if the escalation ladder is open.
    pub next_step: Option<String>,
    /// When that step is due.
    pub next_step_due_at: Option<UtcInstant>,
}

impl From<core_app::ReferralView> for Referral {
    fn from(value: core_app::ReferralView) -> Self {
        let referral = value.record.referral;
        Referral {
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

//! Referrals to children's social care: record one (the decision is due one working day later,
//! core's rule), list them, record the front door's decision, and the escalation steps after a
//! referral is not accepted (in order; out of order is `Refused`). The referral as listed is
//! core's `ListedReferral`.

use crate::error::Result;
use crate::session::{OverCore, Referrals};
use safeshare_core::app::{ListedReferral, NewReferralInput};
use safeshare_core::boundary::UtcInstant;
use safeshare_core::model::ReferralId;
use safeshare_core::rules::escalation::{EscalationStep, StepOutcome};
use safeshare_core::rules::referral::DecisionOutcome;
use safeshare_core::screens::ReferralsScreen;

#[uniffi::export]
impl Referrals {
    /// Records a referral to a CSC front door; the decision is due one working day later.
    pub fn record_referral(&self, input: NewReferralInput) -> Result<ListedReferral> {
        self.run(|s| s.record_referral(input).map(Into::into))
    }

    /// Records CSC's decision; not accepted opens the escalation steps.
    pub fn record_referral_decision(
        &self,
        referral_id: ReferralId,
        outcome: DecisionOutcome,
        feedback_to_family_given: bool,
        arrived_at: Option<UtcInstant>,
    ) -> Result<ListedReferral> {
        self.run(|s| {
            s.record_referral_decision(referral_id, outcome, feedback_to_family_given, arrived_at)
                .map(Into::into)
        })
    }

    /// Opens the escalation steps for an accepted referral whose response is inadequate.
    pub fn open_escalation(&self, referral_id: ReferralId) -> Result<ListedReferral> {
        self.run(|s| s.open_escalation(referral_id).map(Into::into))
    }

    /// Records an escalation step taken (steps go in order; out of order is `Refused`).
    pub fn record_escalation_step(
        &self,
        referral_id: ReferralId,
        step: EscalationStep,
        outcome: StepOutcome,
    ) -> Result<ListedReferral> {
        self.run(|s| {
            s.record_escalation_step(referral_id, step, outcome)
                .map(Into::into)
        })
    }

    /// Ends the escalation early, with the reason (e.g. CSC accepted on re-referral).
    pub fn resolve_escalation(
        &self,
        referral_id: ReferralId,
        reason: String,
    ) -> Result<ListedReferral> {
        self.run(|s| s.resolve_escalation(referral_id, &reason).map(Into::into))
    }

    /// The Referrals screen: each referral's state, next escalation step and what can be done.
    pub fn screen(&self) -> Result<ReferralsScreen> {
        self.run(|s| s.referrals_screen())
    }
}

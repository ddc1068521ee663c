//! The Referrals screen as core builds it (issue 17 item 1), on a real store: a referral made
//! on a Friday is due on Monday at the same time, then chased by phone (the front door's number,
//! or out of hours the council's switchboard); not accepted opens the escalation steps, each
//! shown with its due time in London and the one step that may come next.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use safeshare_core::app::NewReferralInput;
use safeshare_core::rules::escalation::{EscalationStep, StepOutcome};
use safeshare_core::rules::referral::{DecisionOutcome, ReferralChannel};
use safeshare_core::screens::{ReferralActionKind, Tone};

fn refer(
    device: &Device,
    about: safeshare_core::model::PersonId,
    region: &Region,
) -> safeshare_core::model::ReferralId {
    device
        .session
        .record_referral(NewReferralInput {
            about,
            front_door: region.front_door,
            sent_at: None,
            summary: "Domestic abuse disclosed; baby three weeks old.".into(),
            channel: ReferralChannel::Phone,
        })
        .unwrap()
        .record
        .referral
        .id
}

#[test]
fn a_friday_referral_is_due_monday_then_chased_by_phone() {
    let region = region();
    // Friday 27 November 2026, 10:00 GMT.
    let midwife = midwife(&region, utc(2026, 11, 27, 10, 0));
    assert_eq!(
        midwife.session.referrals_screen().unwrap().empty.as_deref(),
        Some("No referrals recorded on this phone.")
    );
    let family = family(&midwife.session);
    let referral = refer(&midwife, family.baby.id, &region);

    midwife.clock.set(utc(2026, 11, 27, 12, 0));
    let screen = midwife.session.referrals_screen().unwrap();
    assert_eq!(screen.title, "Referrals");
    let row = &screen.rows[0];
    assert_eq!(row.referral, referral);
    assert_eq!(row.title, "Fictional children's front door (MASH)");
    assert_eq!(row.sent, "Sent today 10:00 by phone");
    assert_eq!(row.tone, Tone::Waiting);
    assert_eq!(row.status, "Decision due Mon 30 Nov 10:00");
    assert_eq!(row.escalation, None);
    assert_eq!(row.next_step, None);
    assert_eq!(row.actions.len(), 1);
    assert_eq!(
        row.actions[0].kind,
        ReferralActionKind::RecordDecision { referral }
    );

    // Monday 10:00: no decision, chase; the front door is open.
    midwife.clock.set(utc(2026, 11, 30, 10, 0));
    let row = &midwife.session.referrals_screen().unwrap().rows[0];
    assert_eq!(row.tone, Tone::Overdue);
    assert_eq!(
        row.status,
        "NO DECISION: it was due today 10:00. Chase Fictional children's front door (MASH) now."
    );
    assert_eq!(
        row.actions[0].kind,
        ReferralActionKind::Call {
            team: region.front_door,
            about: family.baby.id
        }
    );
    assert_eq!(
        row.actions[0].label,
        "Call Fictional children's front door (MASH) (in hours)"
    );
    assert!(row.actions[0].enabled);
    assert_eq!(
        row.actions[1].kind,
        ReferralActionKind::RecordDecision { referral }
    );

    // Monday 18:00: closed, no duty team in this region: the council's switchboard.
    midwife.clock.set(utc(2026, 11, 30, 18, 0));
    let row = &midwife.session.referrals_screen().unwrap().rows[0];
    assert_eq!(
        row.actions[0].label,
        "Call Fictional Council switchboard: ask for Fictional children's front door (MASH)"
    );
    assert!(row.actions[0].enabled);
}

#[test]
fn not_accepted_shows_each_escalation_step_in_order_with_its_due_time() {
    let region = region();
    // Monday 30 November 2026, 10:00 GMT.
    let midwife = midwife(&region, utc(2026, 11, 30, 10, 0));
    let family = family(&midwife.session);
    let referral = refer(&midwife, family.baby.id, &region);
    // The decision reaches the midwife on Tuesday 1 December at 11:00: not accepted.
    midwife.clock.set(utc(2026, 12, 1, 11, 0));
    midwife
        .session
        .record_referral_decision(
            referral,
            DecisionOutcome::NotAccepted {
                reasons: "Below threshold for assessment.".into(),
            },
            true,
            None,
        )
        .unwrap();
    let row = &midwife.session.referrals_screen().unwrap().rows[0];
    assert_eq!(row.tone, Tone::ActionNeeded);
    assert_eq!(row.status, "Not accepted: follow the escalation steps");
    assert_eq!(row.escalation.as_deref(), Some("Steps taken: 0 of 5"));
    assert_eq!(
        row.next_step.as_deref(),
        Some(
            "Next step, due tomorrow 11:00: Review the referral and re-refer with more \
             information."
        )
    );
    assert_eq!(
        row.actions[0].kind,
        ReferralActionKind::RecordStep {
            referral,
            step: EscalationStep::ReviewAndReRefer
        }
    );
    assert_eq!(row.actions[0].label, "Record step 1: review and re-refer");
    assert_eq!(
        row.actions[1].kind,
        ReferralActionKind::ResolveEscalation { referral }
    );

    // Step 1 on Wednesday 10:00; step 2 falls due Thursday 10:00 and is overdue at 10:30.
    midwife.clock.set(utc(2026, 12, 2, 10, 0));
    midwife
        .session
        .record_escalation_step(
            referral,
            EscalationStep::ReviewAndReRefer,
            StepOutcome::Done("Re-referred with the health visitor's observations.".into()),
        )
        .unwrap();
    midwife.clock.set(utc(2026, 12, 3, 10, 30));
    let row = &midwife.session.referrals_screen().unwrap().rows[0];
    assert_eq!(row.tone, Tone::Overdue);
    assert_eq!(row.escalation.as_deref(), Some("Steps taken: 1 of 5"));
    assert_eq!(
        row.next_step.as_deref(),
        Some(
            "Next step, was due today 10:00: Check the local thresholds for an Early Help \
             response."
        )
    );
    assert_eq!(
        row.actions[0].kind,
        ReferralActionKind::RecordStep {
            referral,
            step: EscalationStep::CheckEarlyHelpThresholds
        }
    );

    // Closed early: no step offered any more.
    midwife
        .session
        .resolve_escalation(referral, "Re-referral accepted for assessment.")
        .unwrap();
    let row = &midwife.session.referrals_screen().unwrap().rows[0];
    assert_eq!(row.next_step, None);
    assert_eq!(
        row.escalation.as_deref(),
        Some("Escalation closed today 10:30: Re-referral accepted for assessment.")
    );
    assert!(row.actions.is_empty());
    assert_eq!(row.tone, Tone::Done);
}

#[test]
fn an_accepted_referral_offers_escalation_when_the_response_falls_short() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 30, 10, 0));
    let family = family(&midwife.session);
    let referral = refer(&midwife, family.baby.id, &region);
    midwife
        .session
        .record_referral_decision(
            referral,
            DecisionOutcome::Accepted {
                response: "Strategy discussion".into(),
            },
            true,
            None,
        )
        .unwrap();
    let row = &midwife.session.referrals_screen().unwrap().rows[0];
    assert_eq!(row.status, "Accepted");
    assert_eq!(row.tone, Tone::Done);
    assert_eq!(row.actions.len(), 1);
    assert_eq!(
        row.actions[0].kind,
        ReferralActionKind::OpenEscalation { referral }
    );
    assert_eq!(
        row.actions[0].label,
        "Response does not address the risk: escalate"
    );
}

#[test]
fn a_referral_before_easter_is_due_after_the_bank_holidays_in_bst() {
    let region = region();
    // Thursday 25 March 2027, 10:00 GMT: one working day is 7 hours on Thursday and 1 on
    // Tuesday 30 March (Good Friday, the weekend with the clocks going forward and Easter
    // Monday between): 10:00 BST.
    let midwife = midwife(&region, utc(2027, 3, 25, 10, 0));
    let family = family(&midwife.session);
    refer(&midwife, family.baby.id, &region);
    let row = &midwife.session.referrals_screen().unwrap().rows[0];
    assert_eq!(row.status, "Decision due Tue 30 Mar 10:00");
    midwife.clock.set(utc(2027, 3, 30, 9, 0));
    let row = &midwife.session.referrals_screen().unwrap().rows[0];
    assert_eq!(row.tone, Tone::Overdue);
    assert!(row
        .status
        .starts_with("NO DECISION: it was due today 10:00."));
}

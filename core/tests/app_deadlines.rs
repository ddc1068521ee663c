//! Deadlines through the `Session` at their edges, with fixed clocks: a share not acknowledged
//! by its due time becomes "call this team now" with the number the directory chooses at that
//! instant (in hours and out of hours); a call that reaches the team with a read-back closes
//! it, a call that is not answered does not; a referral with no decision is chased on the next
//! working day at the same time, and a referral not accepted opens the escalation ladder.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use chrono::{DateTime, Duration, Utc};
use safeshare_core::app::{
    AppError, AttentionNow, NewObservationInput, NewReferralInput, ShareRequest,
};
use safeshare_core::casework::decision::{Answerer, Nature, SharedItem, UnderstandingCheck};
use safeshare_core::clock::Clock;
use safeshare_core::directory::{choose_number, CallOutcome, CallOutcomeInput, CallReason};
use safeshare_core::model::{ConcernCategory, Evidence, PersonId, Severity, ShareId};
use safeshare_core::rules::acknowledgement::SendAdvice;
use safeshare_core::rules::attention::AttentionKind;
use safeshare_core::rules::calendar::Calendar;
use safeshare_core::rules::escalation::{EscalationStep, StepOutcome};
use safeshare_core::rules::referral::{DecisionOutcome, ReferralChannel, ReferralStatus};

fn share_concern(
    device: &Device,
    about: PersonId,
    team: safeshare_core::model::TeamId,
    severity: Severity,
) -> safeshare_core::app::ShareReceipt {
    device
        .session
        .capture_observation(NewObservationInput {
            about,
            visit: None,
            category: ConcernCategory::ParentalSubstanceMisuse,
            severity,
            evidence: Evidence::ObservedFact,
            description:
                "Father asleep and could not be woken at 11am; empty vodka bottles by the cot."
                    .into(),
            observed_at: None,
            place: None,
            share: Some(ShareRequest {
                team,
                message: "Please follow up at your next contact.".into(),
                severity: None,
            }),
        })
        .unwrap()
        .share
        .unwrap()
}

fn call_now_for(items: &[AttentionNow], share: ShareId) -> Option<&AttentionNow> {
    items
        .iter()
        .find(|a| matches!(a.item.kind, AttentionKind::CallTeamNow { share: s, .. } if s == share))
}

fn expected_number(
    region: &Region,
    team: safeshare_core::model::TeamId,
    at: DateTime<Utc>,
) -> String {
    choose_number(&region.directory, team, at, &Calendar::england_and_wales())
        .unwrap()
        .tel_uri
}

#[test]
fn a_concern_share_unacknowledged_at_its_due_minute_becomes_call_now_with_the_chosen_number() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 30));
    let family = family(&midwife.session);
    let receipt = share_concern(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::Concern,
    );
    assert_eq!(receipt.advice, SendAdvice::Send);
    assert_eq!(receipt.due_at, utc(2026, 11, 23, 14, 30));

    // One minute before: due soon, not yet a call.
    midwife.clock.set(utc(2026, 11, 23, 14, 29));
    let items = midwife.session.needs_attention_now().unwrap();
    assert!(call_now_for(&items, receipt.share).is_none());
    assert!(items.iter().any(|a| matches!(
        a.item.kind,
        AttentionKind::AcknowledgementDueSoon { share, .. } if share == receipt.share
    )));

    // At the due minute: call now, first in the list, with the in-hours number chosen now.
    midwife.clock.set(utc(2026, 11, 23, 14, 30));
    let items = midwife.session.needs_attention_now().unwrap();
    let call = call_now_for(&items, receipt.share).expect("call this team now");
    assert!(call.item.overdue);
    let target = call.call.as_ref().expect("a number to ring");
    assert_eq!(
        target.tel_uri,
        expected_number(&region, region.health_visiting, midwife.clock.now())
    );
    assert_eq!(target.reason, CallReason::TeamOpen);
    assert!(matches!(
        items[0].item.kind,
        AttentionKind::CallTeamNow { .. }
    ));
    assert_eq!(
        midwife.session.call_target(region.health_visiting).unwrap(),
        *target
    );
}

#[test]
fn an_immediate_risk_share_at_1730_is_called_on_the_out_of_hours_number() {
    let region = region();
    // Monday 16:30 GMT: immediate risk is due 60 minutes later, round the clock.
    let midwife = midwife(&region, utc(2026, 11, 23, 16, 30));
    let family = family(&midwife.session);
    let receipt = share_concern(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::ImmediateRisk,
    );
    assert_eq!(receipt.advice, SendAdvice::PhoneNowAndSend);
    assert_eq!(receipt.due_at, utc(2026, 11, 23, 17, 30));

    // Before it is due, the immediate-risk item already says phone now, with a number.
    let items = midwife.session.needs_attention_now().unwrap();
    assert!(items[0].item.immediate_risk);
    assert!(matches!(
        items[0].item.kind,
        AttentionKind::AcknowledgementDueSoon {
            phone_now: true,
            ..
        }
    ));
    assert!(items[0].call.is_some());

    midwife.clock.set(utc(2026, 11, 23, 17, 30));
    let items = midwife.session.needs_attention_now().unwrap();
    let call = call_now_for(&items, receipt.share).expect("call this team now");
    let target = call.call.as_ref().unwrap();
    assert_eq!(target.reason, CallReason::TeamClosedOutOfHoursNumber);
    assert_eq!(
        target.tel_uri,
        expected_number(&region, region.health_visiting, utc(2026, 11, 23, 17, 30))
    );
    assert_ne!(
        target.tel_uri,
        expected_number(&region, region.health_visiting, utc(2026, 11, 23, 16, 30)),
        "out of hours the number differs from the in-hours line"
    );
}

fn spoke_with_read_back() -> CallOutcomeInput {
    CallOutcomeInput {
        outcome: CallOutcome::Spoke,
        answered_by: Some(Answerer {
            name: "Duty health visitor".into(),
            role: "health visitor".into(),
        }),
        shared: vec![SharedItem {
            nature: Nature::Fact,
            text: "Father could not be woken; bottles by the cot".into(),
            observation: None,
        }],
        understanding: UnderstandingCheck::ReadBack {
            recipient_summary: "Baby's father intoxicated while caring; visit tomorrow".into(),
        },
        note: "Duty HV will visit tomorrow morning".into(),
    }
}

#[test]
fn a_call_that_reaches_the_team_closes_the_overdue_share_and_an_unanswered_one_does_not() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 30));
    let family = family(&midwife.session);
    let receipt = share_concern(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::Concern,
    );
    midwife.clock.set(utc(2026, 11, 23, 15, 0));

    // No answer: still overdue, still "call now".
    let first = midwife
        .session
        .start_call(region.health_visiting, Some(receipt.share), None)
        .unwrap();
    assert_eq!(
        first.target.tel_uri,
        expected_number(&region, region.health_visiting, midwife.clock.now())
    );
    midwife.clock.advance(Duration::minutes(2));
    let report = midwife
        .session
        .record_call_outcome(
            first.call.id,
            CallOutcomeInput {
                outcome: CallOutcome::NoAnswer,
                answered_by: None,
                shared: vec![],
                understanding: UnderstandingCheck::NotChecked {
                    reason: "no answer".into(),
                },
                note: String::new(),
            },
            None,
        )
        .unwrap();
    assert_eq!(report.closed_share, None);
    let items = midwife.session.needs_attention_now().unwrap();
    assert!(call_now_for(&items, receipt.share).is_some());

    // A second call reaches the duty health visitor, who reads it back: escalation closed.
    let second = midwife
        .session
        .start_call(region.health_visiting, Some(receipt.share), None)
        .unwrap();
    midwife.clock.advance(Duration::minutes(5));
    let report = midwife
        .session
        .record_call_outcome(second.call.id, spoke_with_read_back(), None)
        .unwrap();
    assert_eq!(report.closed_share, Some(receipt.share));
    let items = midwife.session.needs_attention_now().unwrap();
    assert!(call_now_for(&items, receipt.share).is_none());
    let view = midwife.session.share(receipt.share).unwrap();
    assert_eq!(view.share.reached_by_call, Some(second.call.id));
    // The acknowledgement itself is still absent: a phone call is not an in-app acknowledgement.
    assert!(view.share.record.acknowledgement.is_none());

    // Recording the same outcome twice is refused, and calls appear in the chronology.
    assert!(matches!(
        midwife
            .session
            .record_call_outcome(second.call.id, spoke_with_read_back(), None),
        Err(AppError::Refused { .. })
    ));
    let chronology = midwife
        .session
        .chronology_for_child(family.baby.id)
        .unwrap();
    assert_eq!(
        chronology
            .iter()
            .filter(|e| e.summary.starts_with("Call to East health visiting"))
            .count(),
        2
    );
    // The team acknowledges in the app later: the read-back is then checked as usual.
    let hv = health_visitor(&region, utc(2026, 11, 23, 16, 0));
    let share_envelope = midwife
        .session
        .pending_envelopes()
        .unwrap()
        .into_iter()
        .find(|e| e.kind == safeshare_core::sync::EnvelopeKind::Share)
        .unwrap();
    hv.session.apply_inbound(&share_envelope).unwrap();
    hv.session
        .acknowledge_share(
            receipt.share,
            safeshare_core::rules::acknowledgement::ReadBack {
                who: "Baby".into(),
                risk: "Father intoxicated while caring".into(),
                next_action: "Visit tomorrow".into(),
            },
        )
        .unwrap();
    midwife
        .session
        .apply_inbound(&hv.session.pending_envelopes().unwrap()[0])
        .unwrap();
    assert!(midwife
        .session
        .needs_attention_now()
        .unwrap()
        .iter()
        .any(|a| matches!(
            a.item.kind,
            AttentionKind::CheckReadBack { share } if share == receipt.share
        )));

    // A call "regarding" a share made to another team is refused.
    assert!(matches!(
        midwife
            .session
            .start_call(region.front_door, Some(receipt.share), None),
        Err(AppError::Validation { .. })
    ));
}

#[test]
fn a_referral_sent_friday_afternoon_is_chased_on_monday_at_the_same_time() {
    let region = region();
    // Friday 27 November 2026, 15:00 GMT.
    let midwife = midwife(&region, utc(2026, 11, 27, 15, 0));
    let family = family(&midwife.session);
    let referral = midwife
        .session
        .record_referral(NewReferralInput {
            about: family.baby.id,
            front_door: region.front_door,
            sent_at: None,
            summary: "Domestic abuse disclosed; baby three weeks old.".into(),
            channel: ReferralChannel::Phone,
        })
        .unwrap();
    let id = referral.record.referral.id;
    assert_eq!(referral.due_at, utc(2026, 11, 30, 15, 0));
    let envelopes = midwife.session.pending_envelopes().unwrap();
    assert_eq!(envelopes.len(), 1);
    assert_eq!(envelopes[0].due_at, Some(referral.due_at));
    assert_eq!(envelopes[0].audience, vec![region.midwifery]);

    let chase = |items: &[AttentionNow]| {
        items
            .iter()
            .find(|a| matches!(a.item.kind, AttentionKind::ChaseReferralDecision { referral, .. } if referral == id))
            .cloned()
    };
    // Over the weekend and until 14:59 on Monday: no chase.
    for at in [utc(2026, 11, 28, 12, 0), utc(2026, 11, 30, 14, 59)] {
        midwife.clock.set(at);
        assert!(chase(&midwife.session.needs_attention_now().unwrap()).is_none());
    }
    // Monday 15:00: chase, with the front door's number chosen now.
    midwife.clock.set(utc(2026, 11, 30, 15, 0));
    let item = chase(&midwife.session.needs_attention_now().unwrap()).expect("chase");
    assert_eq!(
        item.call.unwrap().tel_uri,
        expected_number(&region, region.front_door, midwife.clock.now())
    );
    assert!(matches!(
        midwife.session.referral(id).unwrap().status,
        ReferralStatus::DecisionOverdue { .. }
    ));

    // Not accepted: the ladder opens, its first step is asked for, no step can be skipped.
    midwife.clock.set(utc(2026, 11, 30, 16, 0));
    let view = midwife
        .session
        .record_referral_decision(
            id,
            DecisionOutcome::NotAccepted {
                reasons: "Below threshold; signpost to Early Help".into(),
            },
            false,
            None,
        )
        .unwrap();
    assert_eq!(
        view.next_step.as_ref().unwrap().step,
        EscalationStep::ReviewAndReRefer
    );
    assert!(chase(&midwife.session.needs_attention_now().unwrap()).is_none());
    assert!(matches!(
        midwife.session.record_escalation_step(
            id,
            EscalationStep::CheckEarlyHelpThresholds,
            StepOutcome::Done("checked".into())
        ),
        Err(AppError::Refused { .. })
    ));
    let view = midwife
        .session
        .record_escalation_step(
            id,
            EscalationStep::ReviewAndReRefer,
            StepOutcome::Done("Re-referred with the chronology of three incidents".into()),
        )
        .unwrap();
    assert_eq!(
        view.next_step.as_ref().unwrap().step,
        EscalationStep::CheckEarlyHelpThresholds
    );
    // Each step due one working day after the last: Tuesday 16:00.
    assert_eq!(view.next_step.unwrap().due, utc(2026, 12, 1, 16, 0));
    midwife.clock.set(utc(2026, 12, 1, 16, 0));
    assert!(midwife
        .session
        .needs_attention_now()
        .unwrap()
        .iter()
        .any(|a| matches!(
            a.item.kind,
            AttentionKind::EscalationStep {
                step: EscalationStep::CheckEarlyHelpThresholds,
                ..
            }
        )));
    // Referral, decision and step all went out as envelopes.
    let kinds: Vec<_> = midwife
        .session
        .pending_envelopes()
        .unwrap()
        .iter()
        .map(|e| e.kind)
        .collect();
    use safeshare_core::sync::EnvelopeKind as K;
    assert_eq!(
        kinds,
        vec![K::Referral, K::ReferralDecision, K::EscalationStep]
    );
}

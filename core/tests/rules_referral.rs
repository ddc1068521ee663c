//! Referral decisions at their edges (core/src/rules/referral.rs): the instant a decision may
//! arrive, which outcomes open the escalation ladder, and the due instant itself. Each test pins
//! a value a mutation of the rule would change (tests/mutants, group `rules`).

// Test helpers outside #[test] fns may unwrap: a failure is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, NaiveDate, Utc};
use safeshare_core::model::{PersonId, PractitionerId, ReferralId, TeamId};
use safeshare_core::rules::referral::{
    DecisionOutcome, Referral, ReferralChannel, ReferralDecision, ReferralError, ReferralRecord,
    ReferralStatus,
};
use safeshare_core::rules::working_time::{london_to_utc, WorkingTime};

fn london(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    london_to_utc(
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap(),
    )
    .unwrap()
}

fn sent_monday_10am() -> ReferralRecord {
    ReferralRecord::new(Referral {
        id: ReferralId::new(),
        about: PersonId::new(),
        referrer: PractitionerId::new(),
        front_door: TeamId::new(),
        front_door_name: "Northshire MASH".into(),
        sent_at: london(2026, 11, 23, 10, 0),
        summary: "Disclosure of domestic abuse at antenatal booking".into(),
        channel: ReferralChannel::SecureEmail,
    })
    .unwrap()
}

fn decision(outcome: DecisionOutcome, arrived_at: DateTime<Utc>) -> ReferralDecision {
    ReferralDecision {
        outcome,
        feedback_to_family_given: false,
        arrived_at,
        recorded_by: PractitionerId::new(),
    }
}

fn accepted() -> DecisionOutcome {
    DecisionOutcome::Accepted {
        response: "Strategy discussion".into(),
    }
}

fn not_accepted() -> DecisionOutcome {
    DecisionOutcome::NotAccepted {
        reasons: "Below threshold; Early Help offered".into(),
    }
}

#[test]
fn a_decision_arriving_at_the_instant_the_referral_was_sent_is_recorded() {
    let mut record = sent_monday_10am();
    let at = record.referral.sent_at;
    record.record_decision(decision(accepted(), at)).unwrap();
    assert_eq!(record.decision.as_ref().map(|d| d.arrived_at), Some(at));
}

#[test]
fn a_decision_one_second_before_sending_is_refused_and_nothing_is_recorded() {
    let mut record = sent_monday_10am();
    let at = record.referral.sent_at - chrono::Duration::seconds(1);
    assert_eq!(
        record.record_decision(decision(accepted(), at)),
        Err(ReferralError::DecisionBeforeReferral)
    );
    assert_eq!(record.decision, None);
}

#[test]
fn only_a_recorded_not_accepted_decision_opens_the_escalation_ladder() {
    let mut undecided = sent_monday_10am();
    assert!(!undecided.not_accepted());
    undecided
        .record_decision(decision(accepted(), london(2026, 11, 23, 15, 0)))
        .unwrap();
    assert!(
        !undecided.not_accepted(),
        "an accepted referral is not escalated"
    );

    let mut refused = sent_monday_10am();
    refused
        .record_decision(decision(not_accepted(), london(2026, 11, 23, 15, 0)))
        .unwrap();
    assert!(refused.not_accepted());
}

#[test]
fn a_decision_arriving_exactly_at_the_due_instant_is_in_time_and_one_second_later_is_not() {
    let rule = WorkingTime::england_and_wales();
    let due = london(2026, 11, 24, 10, 0);
    assert_eq!(
        sent_monday_10am().referral.decision_due(&rule).unwrap(),
        due
    );
    for (arrived, in_time) in [(due, true), (due + chrono::Duration::seconds(1), false)] {
        let mut a = sent_monday_10am();
        a.record_decision(decision(accepted(), arrived)).unwrap();
        assert_eq!(
            a.status(&rule, arrived).unwrap(),
            ReferralStatus::Accepted { in_time }
        );
        let mut n = sent_monday_10am();
        n.record_decision(decision(not_accepted(), arrived))
            .unwrap();
        assert_eq!(
            n.status(&rule, arrived).unwrap(),
            ReferralStatus::NotAccepted { in_time }
        );
    }
}

#[test]
fn with_no_decision_the_referral_awaits_until_the_due_instant_and_is_overdue_from_it() {
    let rule = WorkingTime::england_and_wales();
    let record = sent_monday_10am();
    let due = london(2026, 11, 24, 10, 0);
    assert_eq!(
        record
            .status(&rule, due - chrono::Duration::seconds(1))
            .unwrap(),
        ReferralStatus::AwaitingDecision { due }
    );
    assert_eq!(
        record.status(&rule, due).unwrap(),
        ReferralStatus::DecisionOverdue { due }
    );
    let prompt = record
        .chase_prompt(&rule, due + chrono::Duration::minutes(90))
        .unwrap()
        .unwrap();
    assert_eq!(prompt.overdue_by_minutes, 90);
    assert_eq!(prompt.front_door, record.referral.front_door);
    assert_eq!(prompt.referral, record.referral.id);
}

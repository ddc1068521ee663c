//! The call log: a call started from the app records team, number and time; afterwards the
//! practitioner records who answered, what was shared and the outcome, once. Only a call in
//! which the team was spoken to and understanding was checked can close an overdue share's
//! escalation.

// Test helpers outside #[test] fns may unwrap: a failure is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, TimeZone, Utc};
use safeshare_core::clock::FixedClock;
use safeshare_core::directory::{
    choose_number, parse, CallLog, CallLogError, CallOutcome, CallReason, Directory,
};
use safeshare_core::model::{PractitionerId, ShareId};
use safeshare_core::rules::calendar::Calendar;

fn sample() -> Directory {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../data/directory/sample-fictional.jsonl"
    );
    parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn call_to_mash_out_of_hours(share: Option<ShareId>) -> (CallLog, FixedClock) {
    let dir = sample();
    let mash = dir.find_teams_by_name("front door (MASH)")[0].id;
    // Wednesday 14 January 2026, 19:00 GMT: the front door is closed.
    let at = Utc.with_ymd_and_hms(2026, 1, 14, 19, 0, 0).unwrap();
    let clock = FixedClock::new(at);
    let target = choose_number(&dir, mash, at, &Calendar::england_and_wales()).unwrap();
    assert_eq!(target.reason, CallReason::EmergencyDutyTeam);
    let log = CallLog::start(&target, PractitionerId::new(), share, &clock);
    assert_eq!(log.team, mash);
    assert_eq!(log.answering_team, target.answering_team);
    assert_eq!(log.number, target.number);
    assert_eq!(log.started_at, at);
    assert!(log.outcome.is_none());
    (log, clock)
}

#[test]
fn a_call_records_team_number_and_time_then_its_outcome_once() {
    let (mut log, clock) = call_to_mash_out_of_hours(None);
    clock.advance(Duration::minutes(6));
    log.record_outcome(
        CallOutcome::Spoke,
        Some("Duty social worker".into()),
        "Concern raised at today's visit; referral to follow".into(),
        true,
        &clock,
    )
    .unwrap();
    let recorded = log.outcome.clone().unwrap();
    assert_eq!(recorded.recorded_at, log.started_at + Duration::minutes(6));
    assert_eq!(recorded.answered_by.as_deref(), Some("Duty social worker"));
    assert!(recorded.understanding_checked);

    let again = log.record_outcome(CallOutcome::NoAnswer, None, String::new(), false, &clock);
    assert_eq!(again, Err(CallLogError::OutcomeAlreadyRecorded));
    assert_eq!(log.outcome, Some(recorded));
}

#[test]
fn speaking_to_someone_needs_who_and_what_was_shared() {
    let (mut log, clock) = call_to_mash_out_of_hours(None);
    assert_eq!(
        log.record_outcome(
            CallOutcome::Spoke,
            Some("  ".into()),
            "x".into(),
            true,
            &clock
        ),
        Err(CallLogError::AnsweredByMissing)
    );
    assert_eq!(
        log.record_outcome(
            CallOutcome::Spoke,
            Some("Duty worker".into()),
            " ".into(),
            true,
            &clock
        ),
        Err(CallLogError::WhatWasSharedMissing)
    );
    assert!(log.outcome.is_none());
    // No answer needs neither.
    log.record_outcome(CallOutcome::NoAnswer, None, String::new(), false, &clock)
        .unwrap();
}

#[test]
fn an_outcome_dated_before_the_call_is_refused() {
    let (mut log, clock) = call_to_mash_out_of_hours(None);
    clock.advance(Duration::minutes(-1));
    assert_eq!(
        log.record_outcome(CallOutcome::NoAnswer, None, String::new(), false, &clock),
        Err(CallLogError::OutcomeBeforeCall)
    );
    assert!(log.outcome.is_none());
}

#[test]
fn only_a_conversation_with_understanding_checked_closes_a_share_escalation() {
    let share = ShareId::new();
    let cases = [
        (CallOutcome::Spoke, true, Some(share)),
        (CallOutcome::Spoke, false, None),
        (CallOutcome::MessageLeft, true, None),
        (CallOutcome::NoAnswer, true, None),
        (CallOutcome::WrongNumber, true, None),
    ];
    for (outcome, checked, closes) in cases {
        let (mut log, clock) = call_to_mash_out_of_hours(Some(share));
        let who = (outcome == CallOutcome::Spoke).then(|| "Duty social worker".to_owned());
        log.record_outcome(outcome, who, "Shared the concern".into(), checked, &clock)
            .unwrap();
        assert_eq!(
            log.closes_escalation_of(),
            closes,
            "{outcome:?} checked={checked}"
        );
    }
    // A call not chasing a share closes nothing, however it went.
    let (mut log, clock) = call_to_mash_out_of_hours(None);
    log.record_outcome(
        CallOutcome::Spoke,
        Some("Duty worker".into()),
        "Shared".into(),
        true,
        &clock,
    )
    .unwrap();
    assert!(log.reached_team());
    assert_eq!(log.closes_escalation_of(), None);
}

#[test]
fn debug_output_does_not_show_who_answered_or_what_was_shared() {
    let (mut log, clock) = call_to_mash_out_of_hours(None);
    log.record_outcome(
        CallOutcome::Spoke,
        Some("Jo Bloggs-Fictional".into()),
        "Baby's weight below the 2nd centile".into(),
        true,
        &clock,
    )
    .unwrap();
    let debug = format!("{log:?}");
    assert!(!debug.contains("Bloggs"), "{debug}");
    assert!(!debug.contains("centile"), "{debug}");
    assert!(debug.contains("<redacted>"));
}

//! The call log: a call started from the app records team, number and time; afterwards the
//! practitioner records who answered, what was shared and the outcome, once. A call in which
//! something was shared becomes an information-sharing record (channel phone). Only a call in
//! which the team was spoken to and understanding was read back can close an overdue share's
//! escalation.

// Test helpers outside #[test] fns may unwrap: a failure is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, TimeZone, Utc};
use safeshare_core::casework::decision::{
    Affirmation, Answerer, Channel, Decision, DecisionError, IndividualInformed, LawfulBasis,
    Nature, Principles, Recipient, SharedItem, SpecialCategoryCondition, UnderstandingCheck,
};
use safeshare_core::clock::FixedClock;
use safeshare_core::directory::{
    choose_number, parse, CallDecisionToShare, CallLog, CallLogError, CallOutcome,
    CallOutcomeInput, CallReason, CallRecordError, Directory,
};
use safeshare_core::model::{PersonId, PractitionerId, ShareId};
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
    assert_eq!(
        log.answering_team_name,
        "Fictional Northshire emergency duty team"
    );
    assert_eq!(log.number, target.number);
    assert_eq!(log.started_at, at);
    assert!(log.outcome.is_none());
    (log, clock)
}

fn duty_worker() -> Option<Answerer> {
    Some(Answerer {
        name: "Sam Fictional".into(),
        role: "duty social worker".into(),
    })
}

fn fact(text: &str) -> SharedItem {
    SharedItem {
        nature: Nature::Fact,
        text: text.into(),
        observation: None,
    }
}

fn read_back(summary: &str) -> UnderstandingCheck {
    UnderstandingCheck::ReadBack {
        recipient_summary: summary.into(),
    }
}

fn spoke() -> CallOutcomeInput {
    CallOutcomeInput {
        outcome: CallOutcome::Spoke,
        answered_by: duty_worker(),
        shared: vec![fact(
            "Bruising seen on the baby's upper arm at today's visit",
        )],
        understanding: read_back("Bruise on baby's arm; EDT to visit tonight"),
        note: "EDT to visit tonight and pass to MASH in the morning".into(),
    }
}

fn context() -> CallDecisionToShare {
    CallDecisionToShare {
        about: vec![PersonId::new()],
        purpose: "Safeguard the baby tonight".into(),
        lawful_basis: LawfulBasis::PublicTask,
        special_category: Some(SpecialCategoryCondition::SafeguardingChildrenAndIndividualsAtRisk),
        principles: Principles::all_affirmed(),
        individual_informed: IndividualInformed::NotToldRiskOfHarm {
            explanation: "telling the father could increase the risk to the baby".into(),
        },
    }
}

#[test]
fn a_call_records_team_number_and_time_then_its_outcome_once() {
    let (mut log, clock) = call_to_mash_out_of_hours(None);
    clock.advance(Duration::minutes(6));
    log.record_outcome(spoke(), &clock).unwrap();
    let recorded = log.outcome.clone().unwrap();
    assert_eq!(recorded.recorded_at, log.started_at + Duration::minutes(6));
    assert_eq!(recorded.answered_by, duty_worker());
    assert_eq!(recorded.shared.len(), 1);

    let again = CallOutcomeInput {
        outcome: CallOutcome::NoAnswer,
        answered_by: None,
        shared: vec![],
        understanding: UnderstandingCheck::NotChecked {
            reason: "no answer".into(),
        },
        note: String::new(),
    };
    assert_eq!(
        log.record_outcome(again, &clock),
        Err(CallLogError::OutcomeAlreadyRecorded)
    );
    assert_eq!(log.outcome, Some(recorded));
}

#[test]
fn speaking_to_someone_needs_who_what_was_shared_and_the_understanding_check() {
    let (mut log, clock) = call_to_mash_out_of_hours(None);
    let nameless = CallOutcomeInput {
        answered_by: Some(Answerer {
            name: "Sam".into(),
            role: " ".into(),
        }),
        ..spoke()
    };
    assert_eq!(
        log.record_outcome(nameless, &clock),
        Err(CallLogError::AnsweredByMissing)
    );
    let nothing = CallOutcomeInput {
        shared: vec![fact("  ")],
        ..spoke()
    };
    assert_eq!(
        log.record_outcome(nothing, &clock),
        Err(CallLogError::WhatWasSharedMissing)
    );
    let empty_read_back = CallOutcomeInput {
        understanding: read_back(" "),
        ..spoke()
    };
    assert_eq!(
        log.record_outcome(empty_read_back, &clock),
        Err(CallLogError::UnderstandingMissing)
    );
    let awaiting = CallOutcomeInput {
        understanding: UnderstandingCheck::AwaitingAcknowledgement,
        ..spoke()
    };
    assert_eq!(
        log.record_outcome(awaiting, &clock),
        Err(CallLogError::AwaitingAcknowledgementOnACall)
    );
    assert!(log.outcome.is_none());
    // An unanswered call needs none of them, but cannot claim a read-back.
    let no_answer_read_back = CallOutcomeInput {
        outcome: CallOutcome::NoAnswer,
        answered_by: None,
        shared: vec![],
        ..spoke()
    };
    assert_eq!(
        log.record_outcome(no_answer_read_back, &clock),
        Err(CallLogError::UnderstandingMissing)
    );
    let no_answer = CallOutcomeInput {
        outcome: CallOutcome::NoAnswer,
        answered_by: None,
        shared: vec![],
        understanding: UnderstandingCheck::NotChecked {
            reason: "not answered".into(),
        },
        note: String::new(),
    };
    log.record_outcome(no_answer, &clock).unwrap();
}

#[test]
fn an_outcome_dated_before_the_call_is_refused() {
    let (mut log, clock) = call_to_mash_out_of_hours(None);
    clock.advance(Duration::minutes(-1));
    assert_eq!(
        log.record_outcome(spoke(), &clock),
        Err(CallLogError::OutcomeBeforeCall)
    );
    assert!(log.outcome.is_none());
}

#[test]
fn only_a_conversation_with_understanding_read_back_closes_a_share_escalation() {
    let share = ShareId::new();
    let not_checked = UnderstandingCheck::NotChecked {
        reason: "line dropped".into(),
    };
    let cases = [
        (
            CallOutcome::Spoke,
            read_back("Bruise; EDT visiting"),
            Some(share),
        ),
        (CallOutcome::Spoke, not_checked.clone(), None),
        (CallOutcome::MessageLeft, not_checked.clone(), None),
        (CallOutcome::NoAnswer, not_checked.clone(), None),
        (CallOutcome::WrongNumber, not_checked, None),
    ];
    for (outcome, understanding, closes) in cases {
        let (mut log, clock) = call_to_mash_out_of_hours(Some(share));
        let input = CallOutcomeInput {
            outcome,
            understanding: understanding.clone(),
            ..spoke()
        };
        log.record_outcome(input, &clock).unwrap();
        assert_eq!(
            log.closes_escalation_of(),
            closes,
            "{outcome:?} {understanding:?}"
        );
    }
    // A call not chasing a share closes nothing, however it went.
    let (mut log, clock) = call_to_mash_out_of_hours(None);
    log.record_outcome(spoke(), &clock).unwrap();
    assert!(log.reached_team());
    assert_eq!(log.closes_escalation_of(), None);
}

#[test]
fn a_call_where_information_was_shared_becomes_a_decision_record_by_phone() {
    let (mut log, clock) = call_to_mash_out_of_hours(None);
    assert_eq!(
        log.decision_record(context()),
        Err(CallRecordError::NoOutcome)
    );
    log.record_outcome(spoke(), &clock).unwrap();
    let record = log.decision_record(context()).unwrap();
    assert_eq!(record.decided_by, log.practitioner);
    assert_eq!(record.decided_at, log.started_at);
    let call = record.phone_call.clone().unwrap();
    assert_eq!(call.number_dialled, "+442079460399");
    assert_eq!(call.answered_by, duty_worker().unwrap());
    assert_eq!(
        call.outcome,
        "EDT to visit tonight and pass to MASH in the morning"
    );
    let Decision::ToShare(details) = &record.decision else {
        panic!("a call that shared information is a share");
    };
    assert_eq!(details.channel, Channel::Phone);
    assert_eq!(details.shared, spoke().shared);
    assert_eq!(details.understanding, spoke().understanding);
    // The recipient is the team that answered: the emergency duty team, not the closed MASH.
    match &details.recipient {
        Recipient::Team {
            team, team_name, ..
        } => {
            assert_eq!(*team, log.answering_team);
            assert_eq!(team_name, "Fictional Northshire emergency duty team");
        }
        other => panic!("recipient should be the team called, not {other:?}"),
    }
}

#[test]
fn a_call_that_shared_nothing_is_not_a_decision_record_and_sharing_rules_still_apply() {
    let (mut log, clock) = call_to_mash_out_of_hours(None);
    let no_answer = CallOutcomeInput {
        outcome: CallOutcome::NoAnswer,
        answered_by: None,
        shared: vec![],
        understanding: UnderstandingCheck::NotChecked {
            reason: "not answered".into(),
        },
        note: String::new(),
    };
    log.record_outcome(no_answer, &clock).unwrap();
    assert_eq!(
        log.decision_record(context()),
        Err(CallRecordError::NothingShared)
    );

    let (mut log, clock) = call_to_mash_out_of_hours(None);
    log.record_outcome(spoke(), &clock).unwrap();
    let mut unaffirmed = context();
    unaffirmed.principles.timely = Affirmation::NotAffirmed { reason: None };
    assert!(matches!(
        log.decision_record(unaffirmed),
        Err(CallRecordError::Decision(
            DecisionError::PrinciplesUnaffirmed { .. }
        ))
    ));
}

#[test]
fn debug_output_does_not_show_who_answered_or_what_was_shared() {
    let (mut log, clock) = call_to_mash_out_of_hours(None);
    log.record_outcome(spoke(), &clock).unwrap();
    let debug = format!("{log:?}");
    assert!(!debug.contains("Sam Fictional"), "{debug}");
    assert!(!debug.contains("Bruising"), "{debug}");
    assert!(!debug.contains("visit tonight"), "{debug}");
    assert!(debug.contains("<redacted>"));
}

#[test]
fn an_overdue_share_prompt_leads_to_a_call_that_closes_its_escalation() {
    use safeshare_core::directory::call_closing_escalation;
    use safeshare_core::model::Severity;
    use safeshare_core::rules::acknowledgement::{AcknowledgementPolicy, Share, ShareRecord};
    use safeshare_core::rules::working_time::WorkingTime;

    let dir = sample();
    let mash = dir.find_teams_by_name("front door (MASH)")[0].id;
    let me = PractitionerId::new();
    // Shared Wednesday 14 January 2026 at 17:30 GMT as an immediate risk (1 hour to acknowledge).
    let sent_at = Utc.with_ymd_and_hms(2026, 1, 14, 17, 30, 0).unwrap();
    let record = ShareRecord::new(Share {
        id: ShareId::new(),
        about: PersonId::new(),
        sender: me,
        team: mash,
        team_name: "Fictional Northshire children's front door (MASH)".into(),
        severity: Severity::ImmediateRisk,
        sent_at,
    });
    let rule = WorkingTime::england_and_wales();
    let policy = AcknowledgementPolicy::default();
    let now = sent_at + Duration::minutes(75);
    let prompt = record.call_prompt(&rule, &policy, now).unwrap().unwrap();

    // The directory chooses the duty team (MASH is closed at 18:45) and the call is logged.
    let cal = Calendar::england_and_wales();
    let target = choose_number(&dir, prompt.team, now, &cal).unwrap();
    assert_eq!(target.reason, CallReason::EmergencyDutyTeam);
    let clock = FixedClock::new(now);
    let mut unanswered = CallLog::start_for_prompt(&target, &prompt, me, &clock).unwrap();
    unanswered
        .record_outcome(
            CallOutcomeInput {
                outcome: CallOutcome::NoAnswer,
                answered_by: None,
                shared: vec![],
                understanding: UnderstandingCheck::NotChecked {
                    reason: "not answered".into(),
                },
                note: String::new(),
            },
            &clock,
        )
        .unwrap();
    let calls = vec![unanswered];
    assert!(call_closing_escalation(&record, &calls).is_none());

    clock.advance(Duration::minutes(5));
    let mut answered = CallLog::start_for_prompt(&target, &prompt, me, &clock).unwrap();
    answered.record_outcome(spoke(), &clock).unwrap();
    let calls = [calls, vec![answered.clone()]].concat();
    assert_eq!(call_closing_escalation(&record, &calls), Some(&answered));

    // A number chosen for another team cannot be logged against this prompt.
    let other = dir.find_teams_by_name("maternity ward")[0].id;
    let wrong = choose_number(&dir, other, now, &cal).unwrap();
    assert_eq!(
        CallLog::start_for_prompt(&wrong, &prompt, me, &clock),
        Err(CallLogError::TargetNotForPromptedTeam)
    );
}

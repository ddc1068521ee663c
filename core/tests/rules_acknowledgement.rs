//! Share acknowledgements at their edges (core/src/rules/acknowledgement.rs): the instants an
//! acknowledgement may carry and the due instant itself. Each test pins a value a mutation of
//! the rule would change (tests/mutants, group `rules`).

// Test helpers outside #[test] fns may unwrap: a failure is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, NaiveDate, Utc};
use safeshare_core::model::{PersonId, PractitionerId, Severity, ShareId, TeamId};
use safeshare_core::rules::acknowledgement::{
    Acknowledgement, AcknowledgementError, AcknowledgementPolicy, ReadBack, Share, ShareRecord,
    ShareStatus,
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

fn sent(severity: Severity, at: DateTime<Utc>) -> ShareRecord {
    ShareRecord::new(Share {
        id: ShareId::new(),
        about: PersonId::new(),
        sender: PractitionerId::new(),
        team: TeamId::new(),
        team_name: "Westvale School Nursing".into(),
        severity,
        sent_at: at,
    })
}

fn ack(record: &ShareRecord, at: DateTime<Utc>) -> Acknowledgement {
    Acknowledgement {
        by: PractitionerId::new(),
        team: record.share.team,
        at,
        read_back: ReadBack {
            who: "The older sibling".into(),
            risk: "Disclosed being hit at home".into(),
            next_action: "School DSL to speak to the child today".into(),
        },
    }
}

#[test]
fn an_acknowledgement_at_the_instant_the_share_was_sent_is_recorded() {
    let at = london(2026, 11, 23, 10, 0);
    let mut record = sent(Severity::ImmediateRisk, at);
    record.acknowledge(ack(&record, at)).unwrap();
    assert_eq!(record.acknowledgement.map(|a| a.at), Some(at));
}

#[test]
fn an_acknowledgement_one_second_before_the_share_was_sent_is_refused() {
    let at = london(2026, 11, 23, 10, 0);
    let mut record = sent(Severity::Concern, at);
    assert_eq!(
        record.acknowledge(ack(&record, at - Duration::seconds(1))),
        Err(AcknowledgementError::BeforeSent)
    );
    assert_eq!(record.acknowledgement, None);
}

#[test]
fn an_unacknowledged_share_is_overdue_from_its_due_instant_not_before() {
    let rule = WorkingTime::england_and_wales();
    let policy = AcknowledgementPolicy::default();
    let record = sent(Severity::ImmediateRisk, london(2026, 11, 28, 22, 0));
    let due = london(2026, 11, 28, 23, 0);
    assert_eq!(
        record
            .status(&rule, &policy, due - Duration::seconds(1))
            .unwrap(),
        ShareStatus::AwaitingAcknowledgement { due }
    );
    assert_eq!(
        record.status(&rule, &policy, due).unwrap(),
        ShareStatus::Overdue { due }
    );
    let prompt = record
        .call_prompt(&rule, &policy, due + Duration::minutes(25))
        .unwrap()
        .unwrap();
    assert_eq!(prompt.overdue_by_minutes, 25);
    assert_eq!(prompt.team, record.share.team);
}

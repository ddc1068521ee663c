//! Supervision records: date, supervisor, cases discussed, actions with owners and due dates.

// Test helpers outside #[test] fns may unwrap: a panic is a test failure.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use safeshare_core::casework::supervision::*;
use safeshare_core::model::{PersonId, PractitionerId};

fn held() -> DateTime<Utc> {
    // 23:30 UTC on 31 October 2026 is 23:30 GMT (BST ended on 25 October): still 31 October.
    Utc.with_ymd_and_hms(2026, 10, 31, 23, 30, 0).unwrap()
}

fn new_supervision() -> NewSupervision {
    NewSupervision {
        supervisee: PractitionerId::new(),
        supervisor: Supervisor {
            practitioner: Some(PractitionerId::new()),
            name: "Alex Lead, named nurse for safeguarding".into(),
        },
        held_at: held(),
        cases: vec![CaseDiscussed {
            person: PersonId::new(),
            summary: "pattern of low-level concerns over three months; refer to CSC".into(),
        }],
        actions: vec![SupervisionAction {
            action: "refer to MASH and log the call".into(),
            owner: "health visitor".into(),
            owner_practitioner: None,
            due: NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
        }],
    }
}

#[test]
fn a_supervision_session_is_recorded_with_cases_and_owned_dated_actions() {
    let record = SupervisionRecord::record(new_supervision(), held() + Duration::minutes(10))
        .expect("valid session");
    assert_eq!(record.cases.len(), 1);
    assert_eq!(record.actions[0].owner, "health visitor");
    assert!(record.discussed(record.cases[0].person));
    assert!(!record.discussed(PersonId::new()));
    let json = serde_json::to_string(&record).expect("serialises");
    assert_eq!(
        serde_json::from_str::<SupervisionRecord>(&json).expect("deserialises"),
        record
    );
}

#[test]
fn an_action_due_before_the_session_day_is_refused() {
    let mut new = new_supervision();
    new.actions[0].due = NaiveDate::from_ymd_opt(2026, 10, 30).unwrap();
    assert_eq!(
        SupervisionRecord::record(new, held() + Duration::minutes(10)),
        Err(SupervisionError::ActionDueBeforeSession { index: 1 })
    );
}

#[test]
fn the_session_day_is_the_london_date_so_a_late_summer_session_is_the_next_day() {
    // 23:30 UTC on 31 August is 00:30 BST on 1 September: an action due 31 August is late.
    let mut new = new_supervision();
    new.held_at = Utc.with_ymd_and_hms(2026, 8, 31, 23, 30, 0).unwrap();
    new.actions[0].due = NaiveDate::from_ymd_opt(2026, 8, 31).unwrap();
    assert_eq!(
        SupervisionRecord::record(new.clone(), held()),
        Err(SupervisionError::ActionDueBeforeSession { index: 1 })
    );
    new.actions[0].due = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    assert!(SupervisionRecord::record(new, held()).is_ok());
}

#[test]
fn supervisor_cases_and_action_owners_are_required() {
    let now = held() + Duration::minutes(10);
    let mut new = new_supervision();
    new.supervisor.name = " ".into();
    assert_eq!(
        SupervisionRecord::record(new, now),
        Err(SupervisionError::Required {
            field: "supervisor"
        })
    );
    let mut new = new_supervision();
    new.cases.clear();
    assert_eq!(
        SupervisionRecord::record(new, now),
        Err(SupervisionError::NoCases)
    );
    let mut new = new_supervision();
    new.actions[0].owner = "".into();
    assert_eq!(
        SupervisionRecord::record(new, now),
        Err(SupervisionError::Required {
            field: "action_owner"
        })
    );
    assert_eq!(
        SupervisionRecord::record(new_supervision(), held() - Duration::minutes(1)),
        Err(SupervisionError::HeldInFuture)
    );
}

//! The outbox on a real store file: written with the capture, sealed, ordered, surviving
//! restarts, and never dropping a rejected envelope without the user's recorded reason.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

mod store_support;

use chrono::Duration;
use safeshare_core::model::{PersonId, PractitionerId};
use safeshare_core::store::{
    AuditAction, FieldStore, OutboxAnswer, OutboxCounts, OutboxState, RecordIndex, StoreError,
};
use store_support::*;

fn capture(store: &FieldStore, midwife: PractitionerId, envelope: &str, words: &str) {
    store
        .write(midwife, |tx| {
            let id = PersonId::new();
            let obs = observation(PersonId::new(), "Amani", words);
            tx.insert(OBSERVATION, id, &obs, &RecordIndex::default())?;
            tx.enqueue_outbox(envelope, &obs)
        })
        .unwrap();
}

fn ids(entries: &[safeshare_core::store::OutboxEntry<Observation>]) -> Vec<&str> {
    entries.iter().map(|e| e.id.as_str()).collect()
}

#[test]
fn envelopes_leave_in_capture_order_and_survive_a_restart() {
    let fixture = Fixture::new();
    let midwife = PractitionerId::new();
    let store = fixture.open();
    for n in 1..=3 {
        capture(&store, midwife, &format!("env-{n}"), &format!("words {n}"));
    }
    drop(store);
    let store = fixture.open();
    let due = store.outbox_due::<Observation>(midwife, 10).unwrap();
    assert_eq!(ids(&due), vec!["env-1", "env-2", "env-3"]);
    assert_eq!(due[1].payload.description, "words 2");
    assert_eq!(due[0].state, OutboxState::Pending);
    assert_eq!(due[0].created_at, visit_time());
    assert_eq!(
        ids(&store.outbox_due::<Observation>(midwife, 2).unwrap()),
        vec!["env-1", "env-2"]
    );
}

#[test]
fn envelopes_in_flight_when_the_app_died_are_sent_again_after_restart() {
    let fixture = Fixture::new();
    let midwife = PractitionerId::new();
    let store = fixture.open();
    capture(&store, midwife, "env-1", "a");
    capture(&store, midwife, "env-2", "b");
    store.outbox_mark_sent("env-1").unwrap();
    store.outbox_mark_sent("env-2").unwrap();
    store
        .outbox_answer("env-2", &OutboxAnswer::Accepted)
        .unwrap();
    assert_eq!(
        store.outbox_counts().unwrap(),
        OutboxCounts {
            pending: 0,
            sent: 1,
            rejected: 0
        }
    );
    drop(store);
    let store = fixture.open();
    let due = store.outbox_due::<Observation>(midwife, 10).unwrap();
    assert_eq!(ids(&due), vec!["env-1"]);
    assert_eq!(due[0].attempts, 1);
}

#[test]
fn a_transient_failure_waits_until_the_next_attempt_time() {
    let fixture = Fixture::new();
    let midwife = PractitionerId::new();
    let store = fixture.open();
    capture(&store, midwife, "env-1", "a");
    store.outbox_mark_sent("env-1").unwrap();
    store
        .outbox_retry_later("env-1", visit_time() + Duration::seconds(30))
        .unwrap();
    assert!(store
        .outbox_due::<Observation>(midwife, 10)
        .unwrap()
        .is_empty());
    assert!(!store.outbox_counts().unwrap().all_clear(), "still pending");
    fixture.clock.advance(Duration::seconds(30));
    assert_eq!(
        ids(&store.outbox_due::<Observation>(midwife, 10).unwrap()),
        vec!["env-1"]
    );
}

#[test]
fn a_rejected_envelope_stays_visible_with_its_reason_until_discarded_with_a_reason() {
    let fixture = Fixture::new();
    let midwife = PractitionerId::new();
    let store = fixture.open();
    capture(&store, midwife, "env-1", "a");
    store.outbox_mark_sent("env-1").unwrap();
    store
        .outbox_answer(
            "env-1",
            &OutboxAnswer::Rejected {
                code: "unknown_team".into(),
                reason: "The receiving team is not in the directory".into(),
            },
        )
        .unwrap();
    drop(store);
    let store = fixture.open();
    assert_eq!(store.outbox_counts().unwrap().rejected, 1);
    assert!(!store.outbox_counts().unwrap().all_clear());
    let rejected = store
        .outbox_in_state::<Observation>(midwife, OutboxState::Rejected)
        .unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].rejection_code.as_deref(), Some("unknown_team"));
    assert_eq!(
        rejected[0].note.as_deref(),
        Some("The receiving team is not in the directory")
    );
    assert!(matches!(
        store.outbox_mark_sent("env-1"),
        Err(StoreError::OutboxTransition { .. })
    ));
    for blank in [
        " ",
        "\u{200B}",
        "\u{FEFF}\u{2060}",
        "\u{2800}",
        "\u{202F}\t",
        "\0",
    ] {
        assert!(
            matches!(
                store.outbox_discard(midwife, "env-1", blank),
                Err(StoreError::ReasonRequired)
            ),
            "{blank:?}"
        );
    }
    store
        .outbox_discard(midwife, "env-1", "shared by phone instead")
        .unwrap();
    assert!(store.outbox_counts().unwrap().all_clear());
    let discarded = store
        .outbox_in_state::<Observation>(midwife, OutboxState::Discarded)
        .unwrap();
    assert_eq!(
        discarded[0].note.as_deref(),
        Some("shared by phone instead")
    );
    assert!(store
        .audit_log(0, 100)
        .unwrap()
        .iter()
        .any(|e| e.action == AuditAction::Discard && e.entity_id == "env-1"));
    assert!(matches!(
        store.outbox_mark_sent("missing"),
        Err(StoreError::OutboxNotFound(_))
    ));
}

#[test]
fn an_answer_delivered_twice_is_harmless_and_a_late_rejection_cannot_undo_an_acceptance() {
    let fixture = Fixture::new();
    let midwife = PractitionerId::new();
    let store = fixture.open();
    capture(&store, midwife, "env-1", "a");
    store.outbox_mark_sent("env-1").unwrap();
    store
        .outbox_answer("env-1", &OutboxAnswer::Duplicate)
        .unwrap();
    store
        .outbox_answer("env-1", &OutboxAnswer::Accepted)
        .unwrap();
    let late = store.outbox_answer(
        "env-1",
        &OutboxAnswer::Rejected {
            code: "x".into(),
            reason: "y".into(),
        },
    );
    assert!(matches!(late, Err(StoreError::OutboxTransition { .. })));
    assert!(store.outbox_counts().unwrap().all_clear());
    assert_eq!(
        store
            .outbox_in_state::<Observation>(midwife, OutboxState::Duplicate)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn batch_answers_follow_the_single_entry_rules_in_one_transaction() {
    let fixture = Fixture::new();
    let midwife = PractitionerId::new();
    let store = fixture.open();
    for n in 1..=3 {
        capture(&store, midwife, &format!("env-{n}"), &format!("words {n}"));
    }
    store
        .outbox_mark_sent_many(&["env-1", "env-2", "env-3"])
        .unwrap();
    assert_eq!(store.outbox_counts().unwrap().sent, 3);
    // Marking an entry that is no longer pending fails and changes nothing.
    assert!(matches!(
        store.outbox_mark_sent_many(&["env-1"]),
        Err(StoreError::OutboxTransition { .. })
    ));
    let rejected = OutboxAnswer::Rejected {
        code: "audience_not_allowed".into(),
        reason: "team unknown".into(),
    };
    store
        .outbox_answer_many(&[
            ("env-1", &OutboxAnswer::Accepted),
            ("env-2", &OutboxAnswer::Duplicate),
            ("env-3", &rejected),
        ])
        .unwrap();
    // A response delivered twice: the acceptance stands, a late rejection does not override it.
    store
        .outbox_answer_many(&[("env-1", &OutboxAnswer::Accepted), ("env-2", &rejected)])
        .unwrap();
    let counts = store.outbox_counts().unwrap();
    assert_eq!((counts.pending, counts.sent, counts.rejected), (0, 0, 1));
    let kept = store
        .outbox_in_state::<Observation>(midwife, OutboxState::Rejected)
        .unwrap();
    assert_eq!(ids(&kept), vec!["env-3"]);
    assert_eq!(kept[0].note.as_deref(), Some("team unknown"));
    // Retry-later leaves answered entries alone.
    store
        .outbox_retry_later_many(&["env-1", "env-3"], chrono::Utc::now())
        .unwrap();
    assert_eq!(
        store
            .outbox_in_state::<Observation>(midwife, OutboxState::Accepted)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(store.outbox_counts().unwrap().rejected, 1);
}

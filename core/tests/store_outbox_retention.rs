//! What the outbox keeps of accepted envelopes so a phone can put right a server restored from
//! a backup (docs/sync.md): an acceptance is unconfirmed until a pull returns the envelope; a
//! duplicate answer confirms at once; unconfirmed entries go back to pending untouched; a
//! confirmed entry is deleted once `ACCEPTED_RETENTION_DAYS` have passed since its answer, an
//! unconfirmed one never.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

mod store_support;

use chrono::Duration;
use safeshare_core::model::{PersonId, PractitionerId};
use safeshare_core::store::{
    FieldStore, OutboxAnswer, OutboxState, RecordIndex, ACCEPTED_RETENTION_DAYS,
};
use store_support::*;

fn capture(store: &FieldStore, midwife: PractitionerId, envelope: &str) -> Observation {
    let obs = observation(PersonId::new(), "Amani", envelope);
    store
        .write(midwife, |tx| {
            tx.insert(OBSERVATION, PersonId::new(), &obs, &RecordIndex::default())?;
            tx.enqueue_outbox(envelope, &obs)
        })
        .unwrap();
    obs
}

fn answer(store: &FieldStore, id: &str, answer: OutboxAnswer) {
    store.outbox_mark_sent_many(&[id]).unwrap();
    store.outbox_answer_many(&[(id, &answer)]).unwrap();
}

#[test]
fn an_acceptance_stays_unconfirmed_until_a_pull_returns_it_and_a_duplicate_confirms() {
    let fixture = Fixture::new();
    let midwife = PractitionerId::new();
    let store = fixture.open();
    capture(&store, midwife, "env-1");
    capture(&store, midwife, "env-2");
    capture(&store, midwife, "env-3");
    answer(&store, "env-1", OutboxAnswer::Accepted);
    answer(&store, "env-2", OutboxAnswer::Duplicate);
    assert_eq!(store.outbox_unconfirmed().unwrap(), vec!["env-1"]);
    // A pull returned env-1 (and env-3, still pending here: nothing to confirm).
    assert_eq!(
        store.outbox_confirm_many(&["env-1", "env-3"]).unwrap(),
        vec!["env-1"]
    );
    assert!(store.outbox_unconfirmed().unwrap().is_empty());
    // A restore found: every acceptance within the retention is checked again.
    assert_eq!(store.outbox_unconfirm_recent().unwrap(), 2);
    assert_eq!(store.outbox_unconfirmed().unwrap(), vec!["env-1", "env-2"]);
}

#[test]
fn an_entry_the_server_lost_goes_back_to_pending_with_its_payload_untouched() {
    let fixture = Fixture::new();
    let midwife = PractitionerId::new();
    let store = fixture.open();
    let sent = capture(&store, midwife, "env-1");
    answer(&store, "env-1", OutboxAnswer::Accepted);
    assert_eq!(store.outbox_counts().unwrap().pending, 0);
    assert_eq!(
        store
            .outbox_resend_many(&["env-1", "not-there"], visit_time())
            .unwrap(),
        1
    );
    let due = store.outbox_due::<Observation>(midwife, 10).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].state, OutboxState::Pending);
    assert_eq!(due[0].payload, sent, "sent again exactly as before");
    // Sending it again and the server taking it: unconfirmed until a pull returns it.
    answer(&store, "env-1", OutboxAnswer::Accepted);
    assert_eq!(store.outbox_unconfirmed().unwrap(), vec!["env-1"]);
}

#[test]
fn confirmed_entries_are_deleted_after_the_retention_and_unconfirmed_ones_kept() {
    let fixture = Fixture::new();
    let midwife = PractitionerId::new();
    let store = fixture.open();
    capture(&store, midwife, "confirmed");
    capture(&store, midwife, "unconfirmed");
    capture(&store, midwife, "pending");
    answer(&store, "confirmed", OutboxAnswer::Accepted);
    answer(&store, "unconfirmed", OutboxAnswer::Accepted);
    store.outbox_confirm_many(&["confirmed"]).unwrap();

    fixture
        .clock
        .set(visit_time() + Duration::days(ACCEPTED_RETENTION_DAYS) - Duration::minutes(1));
    assert!(
        store.outbox_purge_confirmed().unwrap().is_empty(),
        "not yet"
    );
    fixture
        .clock
        .set(visit_time() + Duration::days(ACCEPTED_RETENTION_DAYS) + Duration::minutes(1));
    assert_eq!(store.outbox_purge_confirmed().unwrap(), vec!["confirmed"]);
    assert_eq!(store.outbox_unconfirmed().unwrap(), vec!["unconfirmed"]);
    assert_eq!(store.outbox_counts().unwrap().pending, 1);
    // Past the retention, a restore found no longer reaches back to it.
    assert_eq!(store.outbox_unconfirm_recent().unwrap(), 0);
}

//! `Store::holds_at`, the check behind `409 unknown_position` (docs/protocol.md, "Pull"), on
//! SQLite and PostgreSQL: `Ok` only for the envelope stored at that sequence; the typed refusal
//! `UnknownPosition` for another envelope's id, for a number past the head, and for an id never
//! stored.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

mod common;

use common::*;
use safeshare_core::model::{DeviceId, PractitionerId, TeamId};
use safeshare_server::storage::{NewEnvelope, Store, StoredOutcome, UnknownPosition};

async fn holds_only_the_envelope_at_its_sequence<S: Store>(store: &S) {
    let team = TeamId::new();
    let author = PractitionerId::new();
    let first = share(author, DeviceId::new(), vec![team], t0());
    let second = share(author, DeviceId::new(), vec![team], t0());
    let outcomes = store
        .push(
            vec![
                NewEnvelope::new(first.clone()).unwrap(),
                NewEnvelope::new(second.clone()).unwrap(),
            ],
            t0(),
        )
        .await
        .unwrap();
    let [StoredOutcome::Accepted(a), StoredOutcome::Accepted(b)] = outcomes[..] else {
        panic!("both accepted: {outcomes:?}");
    };
    assert_eq!(
        store.holds_at(a, first.id.to_string()).await.unwrap(),
        Ok(())
    );
    assert_eq!(
        store.holds_at(b, second.id.to_string()).await.unwrap(),
        Ok(())
    );
    assert_eq!(
        store.holds_at(a, second.id.to_string()).await.unwrap(),
        Err(UnknownPosition { seq: a })
    );
    assert_eq!(
        store.holds_at(b + 1, second.id.to_string()).await.unwrap(),
        Err(UnknownPosition { seq: b + 1 })
    );
    let never = share(author, DeviceId::new(), vec![team], t0());
    assert_eq!(
        store.holds_at(a, never.id.to_string()).await.unwrap(),
        Err(UnknownPosition { seq: a })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_holds_only_the_envelope_at_its_sequence() {
    let (_dir, store) = sqlite_store();
    holds_only_the_envelope_at_its_sequence(&store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_holds_only_the_envelope_at_its_sequence() {
    if let Some(store) = pg_store().await {
        holds_only_the_envelope_at_its_sequence(&store).await;
    }
}

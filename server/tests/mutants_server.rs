//! Values the server group's mutation run (tests/mutants server) found no other test asserting:
//! how long a nonce is remembered against replay. Each is checked through the real store (an
//! SQLite file) where it acts, so a changed window is seen as a replay let through or a nonce
//! kept for ever, not only as a different number.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

mod common;

use chrono::Duration;
use common::*;
use safeshare_core::model::DeviceId;
use safeshare_core::sync::MAX_CLOCK_SKEW_SECS;
use safeshare_server::storage::{nonce_cutoff, Store, NONCE_RETENTION_MS};

/// A request is fresh for the skew either side of its timestamp, so a nonce can come back up to
/// two skews after it was first seen; the memory is that plus five minutes' margin.
#[test]
fn nonces_are_remembered_for_two_clock_skews_and_five_minutes() {
    assert_eq!(MAX_CLOCK_SKEW_SECS, 5 * 60);
    assert_eq!(NONCE_RETENTION_MS, 15 * 60 * 1000);
    assert_eq!(
        nonce_cutoff(t0()),
        t0() - Duration::milliseconds(NONCE_RETENTION_MS)
    );
}

/// The pruner (serve.rs) forgets nonces first seen before `nonce_cutoff(now)`: a nonce seen at
/// T is still refused at the last instant a replay could be fresh (T + 2 × skew), and is
/// forgotten only once the whole retention has passed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pruned_store_still_refuses_a_replay_within_the_freshness_window() {
    let (_dir, store) = sqlite_store();
    let device = DeviceId::new();
    assert!(store.consume_nonce(device, "n".into(), t0()).await.unwrap());

    let last_fresh = t0() + Duration::seconds(2 * MAX_CLOCK_SKEW_SECS);
    assert_eq!(
        store.prune_nonces(nonce_cutoff(last_fresh)).await.unwrap(),
        0
    );
    assert!(!store
        .consume_nonce(device, "n".into(), last_fresh)
        .await
        .unwrap());

    // At exactly the retention the nonce is not yet "before" the cutoff; a millisecond later it is.
    let kept_until = t0() + Duration::milliseconds(NONCE_RETENTION_MS);
    assert_eq!(
        store.prune_nonces(nonce_cutoff(kept_until)).await.unwrap(),
        0
    );
    let forgotten = kept_until + Duration::milliseconds(1);
    assert_eq!(
        store.prune_nonces(nonce_cutoff(forgotten)).await.unwrap(),
        1
    );
    assert!(store
        .consume_nonce(device, "n".into(), forgotten)
        .await
        .unwrap());
}

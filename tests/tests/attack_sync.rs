//! Attacks on issue 14's sync repairs (server restore, re-enrolment, retire), by a reviewer who
//! did not build them: real servers on 127.0.0.1 (SQLite, and PostgreSQL when configured), real
//! phones with their own encrypted stores and the real sync client, and where a request must
//! fail at one exact point, the loopback fault proxy in between.
//!
//! Each test here found a hole, or covers an attack no other test does:
//! - a restore found by a sync that then fails (network gone right after the `409
//!   unknown_position`, or during the re-send) must still be told at the next sync that
//!   succeeds: otherwise the phone ends "all synced" with no word of what happened;
//! - a phone retired after a restore lost what it had sent must send it again before it wipes:
//!   a retired phone is refused the pull that would have shown the loss, and its wipe would
//!   destroy the only copy;
//! - the server restored twice in a row (the second time to an older backup) loses nothing and
//!   stores nothing twice (the fault harness restores many times, but at random);
//! - a re-enrolment code replayed on the phone it enrolled is refused as used and changes
//!   nothing (`reenrolment.rs` covers a code for another practitioner).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

use chrono::Duration;
use safeshare_core::clock::SystemClock;
use safeshare_core::model::TeamId;
use safeshare_core::secrets::SecretStore as _;
use safeshare_core::sync::client::{SyncError, SyncSummary};
use safeshare_core::sync::EnvelopeId;
use safeshare_tests::{backends, region, Backend, Fault, FaultProxy, TestDevice, TestServer};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The store's key for the pull position (`core/src/sync/client/mod.rs`): read to prove that
/// a sync really met the `409` before the failure the test injects.
const CURSOR_STATE: &str = "sync.cursor";

fn server(backend: Backend) -> TestServer {
    TestServer::start(backend, Arc::new(SystemClock), &region())
}

fn enrolled(server: &TestServer, base_url: String, team: TeamId, seed: u64) -> TestDevice {
    TestDevice::enrolled(
        server,
        base_url,
        team,
        std::time::Duration::from_secs(5),
        seed,
    )
}

/// How many times each of `ids` is stored on the server, for the teams given.
fn stored_counts(server: &TestServer, teams: &[TeamId], ids: &[EnvelopeId]) -> Vec<usize> {
    let stored = server.envelopes_for(teams);
    ids.iter()
        .map(|id| stored.iter().filter(|(_, e)| e.id == *id).count())
        .collect()
}

/// A proxy plan that passes the first `pass` requests from now and refuses every later one,
/// and the counter it reads (so the test can count a sync's requests first).
fn pass_then_refuse(proxy: &FaultProxy, pass: u64) -> Arc<AtomicU64> {
    let seen = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&seen);
    proxy.set_plan(move || {
        if counter.fetch_add(1, Ordering::SeqCst) < pass {
            Fault::Pass
        } else {
            Fault::Refuse
        }
    });
    seen
}

/// Syncs `device` with the network cut after 1, 2, ... requests until a sync fails in the
/// state `reached` recognises (the point the test wants the failure at), and panics if a sync
/// gets through first (the cut never fell there). The requests a sync makes before the point
/// are not counted in advance (a restored server's roster may take more, and a failed attempt
/// keeps what its requests that got through did), so the cut starts at one request and moves
/// one later each time.
fn fail_right_after(
    proxy: &FaultProxy,
    device: &mut TestDevice,
    name: &str,
    reached: impl Fn(&TestDevice) -> bool,
) {
    for pass in 1..12 {
        pass_then_refuse(proxy, pass);
        let result = device.sync();
        assert!(
            result.is_err(),
            "{name}: the sync got through before reaching the point: {result:?}"
        );
        if reached(device) {
            return;
        }
    }
    panic!("{name}: no cut fell at the point the test needs");
}

fn cursor(device: &TestDevice) -> u64 {
    device
        .store()
        .get_state::<u64>(CURSOR_STATE)
        .unwrap()
        .unwrap_or(0)
}

/// A recipient's sync meets `409 unknown_position`, resets its position, and then loses the
/// network before the pull from the start. The next sync that succeeds must still say the
/// server was restored (the position it reset is 0 by then, so no second `409` will say it).
#[test]
fn a_restore_found_by_a_sync_that_then_fails_is_still_told_at_the_next_success() {
    for backend in backends() {
        let name = backend.name();
        let mut server = server(backend);
        let proxy = FaultProxy::start(server.addr());
        let (team_a, team_b) = (server.teams[0], server.teams[1]);
        let mut midwife = enrolled(&server, server.base_url(), team_a, 21);
        let mut health_visitor = enrolled(&server, proxy.base_url(), team_b, 22);
        midwife.sync().unwrap();
        health_visitor.sync().unwrap();
        let before = midwife.capture(midwife.share(vec![team_b], Duration::hours(24), b"one"));
        midwife.sync().unwrap();
        health_visitor.sync().unwrap();
        let backup = server.backup();
        let after = midwife.capture(midwife.share(vec![team_b], Duration::hours(24), b"two"));
        midwife.sync().unwrap();
        health_visitor.sync().unwrap();
        assert!(health_visitor.has_received(after.id), "{name}");
        let position = cursor(&health_visitor);
        assert!(position > 0, "{name}");

        server.restore(&backup);
        proxy.set_upstream(server.addr());
        // The network goes right after the pull answered 409: the pull from 0 never gets
        // through. The requests before the pull are not counted here (a restored server's
        // roster may take more), so the cut moves one request later until it falls there.
        fail_right_after(&proxy, &mut health_visitor, name, |d| cursor(d) == 0);
        assert_eq!(health_visitor.status().summary, SyncSummary::Waiting);

        pass_then_refuse(&proxy, u64::MAX);
        let report = health_visitor.sync().unwrap();
        assert!(
            report.server_restored,
            "{name}: the sync that finished the repair says so"
        );
        let status = health_visitor.status();
        assert_eq!(status.summary, SyncSummary::AllSynced, "{name}");
        assert!(
            status
                .notice()
                .is_some_and(|n| n.starts_with("The regional server was restored from a backup")),
            "{name}: {:?}",
            status.notice()
        );
        assert!(health_visitor.has_received(before.id), "{name}");
    }
}

/// The sender's sync finds its accepted share missing after a restore and sends it again, and
/// the network goes before that sync ends (before the re-send gets through, or before the pull
/// that confirms it). The next sync finds nothing missing; the status must still say the share
/// was sent again because of a restore.
#[test]
fn a_senders_restore_notice_survives_a_failed_resend() {
    for backend in backends() {
        let name = backend.name();
        let mut server = server(backend);
        let proxy = FaultProxy::start(server.addr());
        let (team_a, team_b) = (server.teams[0], server.teams[1]);
        let mut midwife = enrolled(&server, proxy.base_url(), team_a, 23);
        let mut health_visitor = enrolled(&server, server.base_url(), team_b, 24);
        midwife.sync().unwrap();
        health_visitor.sync().unwrap();
        let backup = server.backup();
        let lost = midwife.capture(midwife.share(vec![team_b], Duration::hours(24), b"lost"));
        assert_eq!(midwife.sync().unwrap().accepted, 1, "{name}");
        midwife.sync().unwrap();

        server.restore(&backup);
        proxy.set_upstream(server.addr());
        assert_eq!(stored_counts(&server, &[team_b], &[lost.id]), vec![0]);
        // The pull meets the 409 and the pull from 0 finds the share missing; the network
        // goes before the sync ends: before the re-send push gets through, or after it and
        // before the pull that confirms it.
        fail_right_after(&proxy, &mut midwife, name, |d| {
            d.status().pending == 1 || stored_counts(&server, &[team_b], &[lost.id]) == [1]
        });

        pass_then_refuse(&proxy, u64::MAX);
        let report = midwife.sync().unwrap();
        assert!(report.server_restored, "{name}");
        assert_eq!(report.resent, 1, "{name}");
        assert_eq!(
            midwife.status().notice().as_deref(),
            Some("The regional server was restored from a backup: 1 item sent again."),
            "{name}"
        );
        // Told once: the sync after that says nothing new.
        let again = midwife.sync().unwrap();
        assert_eq!((again.server_restored, again.resent), (false, 0), "{name}");
        health_visitor.sync().unwrap();
        assert!(health_visitor.has_received(lost.id), "{name}");
        assert_eq!(stored_counts(&server, &[team_b], &[lost.id]), vec![1]);
    }
}

/// A phone pushes a share, the server is restored to a backup from before it, and the admin
/// then retires the phone (handed back) before it syncs again. A retired phone's pull is
/// refused, which is where a restore is found: it must still send the lost share again before
/// it wipes, or the only copy is destroyed.
#[test]
fn a_phone_retired_after_a_restore_sends_what_the_restore_lost_before_it_wipes() {
    for backend in backends() {
        let name = backend.name();
        let mut server = server(backend);
        let (team_a, team_b) = (server.teams[0], server.teams[1]);
        let mut midwife = enrolled(&server, server.base_url(), team_a, 25);
        let mut health_visitor = enrolled(&server, server.base_url(), team_b, 26);
        midwife.sync().unwrap();
        health_visitor.sync().unwrap();
        let backup = server.backup();
        let lost = midwife.capture(midwife.share(vec![team_b], Duration::hours(24), b"lost"));
        assert_eq!(midwife.sync().unwrap().accepted, 1, "{name}");

        server.restore(&backup);
        assert!(server.retire(midwife.device_id()), "{name}");
        let result = midwife.sync();
        assert!(
            matches!(result, Err(SyncError::Retired)),
            "{name}: {result:?}"
        );
        assert!(midwife.is_wiped(), "{name}");

        health_visitor.sync().unwrap();
        assert!(
            health_visitor.has_received(lost.id),
            "{name}: the share the restore lost reached its recipient before the wipe"
        );
        assert_eq!(stored_counts(&server, &[team_b], &[lost.id]), vec![1]);
    }
}

/// Restored twice in a row: first to a recent backup, phones sync, then to an older one.
/// Everything reaches the recipient once and the server holds each share once.
#[test]
fn restored_twice_in_a_row_nothing_is_lost_or_stored_twice() {
    for backend in backends() {
        let name = backend.name();
        let mut server = server(backend);
        let (team_a, team_b) = (server.teams[0], server.teams[1]);
        let mut midwife = enrolled(&server, server.base_url(), team_a, 27);
        let mut health_visitor = enrolled(&server, server.base_url(), team_b, 28);
        midwife.sync().unwrap();
        health_visitor.sync().unwrap();
        let older = server.backup();
        let first = midwife.capture(midwife.share(vec![team_b], Duration::hours(24), b"1"));
        midwife.sync().unwrap();
        health_visitor.sync().unwrap();
        let newer = server.backup();
        let second = midwife.capture(midwife.share(vec![team_b], Duration::hours(24), b"2"));
        midwife.sync().unwrap();
        health_visitor.sync().unwrap();

        server.restore(&newer);
        let report = midwife.sync().unwrap();
        assert_eq!((report.server_restored, report.resent), (true, 1), "{name}");
        health_visitor.sync().unwrap();
        // Again, to the older backup, before anyone syncs in between.
        let third = midwife.capture(midwife.share(vec![team_b], Duration::hours(24), b"3"));
        assert_eq!(midwife.push().unwrap().accepted, 1, "{name}");
        server.restore(&older);
        server.restore(&newer);
        server.restore(&older);
        let report = midwife.sync().unwrap();
        assert!(report.server_restored, "{name}");
        assert_eq!(report.resent, 3, "{name}: first, second and third again");
        health_visitor.sync().unwrap();
        let ids = [first.id, second.id, third.id];
        assert_eq!(
            stored_counts(&server, &[team_b], &ids),
            vec![1, 1, 1],
            "{name}"
        );
        for id in ids {
            assert!(health_visitor.has_received(id), "{name}");
        }
        assert_eq!(midwife.status().summary, SyncSummary::AllSynced, "{name}");
        assert_eq!(health_visitor.status().summary, SyncSummary::AllSynced);
    }
}

/// A re-enrolment code used once is spent: the same phone trying it again (a shell retrying
/// after a lost answer, or a copy of the code replayed) is refused as used and changes nothing,
/// and the phone goes on syncing as the device the first use made.
#[test]
fn a_re_enrolment_code_replayed_is_refused_and_changes_nothing() {
    let mut server = server(Backend::Sqlite);
    let (team_a, team_b) = (server.teams[0], server.teams[1]);
    let mut health_visitor = enrolled(&server, server.base_url(), team_b, 29);
    health_visitor.sync().unwrap();
    let backup = server.backup();
    let mut midwife = enrolled(&server, server.base_url(), team_a, 30);
    midwife.sync().unwrap();
    server.restore(&backup);
    assert!(matches!(midwife.sync(), Err(SyncError::UnknownDevice)));

    let practitioner = midwife.identity().practitioner_id;
    let code = server.issue_code_for(practitioner, vec![team_a]);
    let identity = midwife.reenrol(&code).unwrap();
    let key = midwife
        .secrets
        .get(safeshare_core::sync::client::DEVICE_KEY_SECRET)
        .unwrap();
    let replayed = midwife.reenrol(&code);
    assert!(
        matches!(
            replayed,
            Err(SyncError::EnrolmentRefused(
                safeshare_core::sync::ErrorCode::EnrolmentCodeUsed
            ))
        ),
        "{replayed:?}"
    );
    assert_eq!(midwife.identity(), identity);
    assert_eq!(
        midwife
            .secrets
            .get(safeshare_core::sync::client::DEVICE_KEY_SECRET)
            .unwrap(),
        key
    );
    let share = midwife.capture(midwife.share(vec![team_b], Duration::hours(24), b"after"));
    assert_eq!(midwife.sync().unwrap().accepted, 1);
    health_visitor.sync().unwrap();
    assert!(health_visitor.has_received(share.id));
    assert_eq!(
        server
            .envelopes_for(&[team_b])
            .last()
            .map(|(_, e)| e.device),
        Some(identity.device_id)
    );
}

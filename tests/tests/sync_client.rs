//! The sync client against a real server on 127.0.0.1 (SQLite, and PostgreSQL when
//! configured): enrolment, offline capture, push, pull, acknowledgement back to the sender,
//! rejected items kept with reasons, clock skew, backoff, revocation.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

use chrono::Duration;
use safeshare_core::clock::{Clock, FixedClock, SystemClock};
use safeshare_core::model::TeamId;
use safeshare_core::secrets::SecretStore;
use safeshare_core::store::{FieldStore, StoreError, DATA_KEY_SECRET};
use safeshare_core::sync::client::{
    SeededJitter, SyncClient, SyncConfig, SyncError, SyncSummary, DEVICE_KEY_SECRET,
};
use safeshare_core::sync::ErrorCode;
use safeshare_tests::{backends, region, Backend, SkewClock, TestDevice, TestServer};
use std::sync::Arc;

fn server(backend: Backend) -> TestServer {
    TestServer::start(backend, Arc::new(SystemClock), &region())
}

fn device(base: &str, clock: Arc<dyn Clock>, seed: u64) -> TestDevice {
    let mut config = SyncConfig::new(base);
    config.timeout = std::time::Duration::from_secs(5);
    TestDevice::new(config, clock, Arc::new(SeededJitter::new(seed)))
}

fn enrolled(server: &TestServer, team: TeamId, seed: u64) -> TestDevice {
    let d = device(&server.base_url(), Arc::new(SystemClock), seed);
    d.enrol(&server.issue_code(vec![team])).unwrap();
    d
}

#[test]
fn share_captured_offline_reaches_the_other_team_and_its_acknowledgement_comes_back() {
    for backend in backends() {
        let server = server(backend);
        let (team_a, team_b) = (server.teams[0], server.teams[1]);
        let mut midwife = enrolled(&server, team_a, 1);
        let mut health_visitor = enrolled(&server, team_b, 2);

        // Captured with no signal: safe in the outbox, and the status says so.
        let share = midwife.capture(midwife.share(vec![team_b], Duration::hours(24), b"seen"));
        let status = midwife.status();
        assert_eq!(status.pending, 1);
        assert_ne!(status.summary, SyncSummary::AllSynced);

        let report = midwife.sync().unwrap();
        assert_eq!((report.accepted, report.rejected), (1, 0));
        assert_eq!(midwife.status().summary, SyncSummary::AllSynced);

        let report = health_visitor.sync().unwrap();
        assert!(report.pulled >= 1);
        assert!(health_visitor.has_received(share.id));
        assert!(
            report.directory_updated,
            "the directory arrives with the first pull"
        );

        let ack = health_visitor.capture(health_visitor.acknowledgement(
            &share,
            vec![team_a],
            b"read back: understood",
        ));
        health_visitor.sync().unwrap();
        assert!(!midwife.has_received(ack.id));
        midwife.sync().unwrap();
        assert!(
            midwife.has_received(ack.id),
            "the sender sees the acknowledgement"
        );

        // Syncing again changes nothing and re-applies nothing twice.
        let again = midwife.sync().unwrap();
        assert_eq!((again.accepted, again.pulled), (0, 0));
        let stored = server.envelopes_for(&[team_a, team_b]);
        assert_eq!(
            stored.len(),
            2,
            "{}: exactly the share and the ack",
            server.backend().name()
        );
    }
}

#[test]
fn a_rejected_envelope_stays_visible_with_its_reason_until_fixed_or_discarded() {
    for backend in backends() {
        let server = server(backend);
        let (team_a, team_b) = (server.teams[0], server.teams[1]);
        let mut midwife = enrolled(&server, team_a, 3);
        let unknown_team = TeamId::new();
        let wrong = midwife.capture(midwife.share(vec![unknown_team], Duration::hours(1), b"x"));
        let also_wrong =
            midwife.capture(midwife.share(vec![unknown_team], Duration::hours(1), b"y"));

        let report = midwife.sync().unwrap();
        assert_eq!(report.rejected, 2);
        let status = midwife.status();
        assert_eq!(status.summary, SyncSummary::NeedsAttention);
        assert_eq!(status.pending, 0);
        assert_eq!(status.rejected.len(), 2);
        assert_eq!(status.rejected[0].id, wrong.id);
        assert_eq!(status.rejected[0].code, "audience_not_allowed");
        assert!(!status.rejected[0].reason.is_empty());

        let actor = midwife.identity().practitioner_id;
        let fixed = SyncClient::fix_rejected(midwife.store(), actor, wrong.id, |e| {
            e.audience = vec![team_b];
        })
        .unwrap();
        assert_eq!(
            SyncClient::discard_rejected(midwife.store(), actor, also_wrong.id, " ")
                .unwrap_err()
                .to_string(),
            SyncError::Store(StoreError::ReasonRequired).to_string(),
            "a discard must say why"
        );
        SyncClient::discard_rejected(midwife.store(), actor, also_wrong.id, "sent by phone")
            .unwrap();
        assert_eq!(midwife.status().pending, 1);
        assert_ne!(midwife.status().summary, SyncSummary::AllSynced);
        let report = midwife.sync().unwrap();
        assert_eq!(report.accepted, 1);
        assert_eq!(midwife.status().summary, SyncSummary::AllSynced);
        let stored = server.envelopes_for(&[team_b]);
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].1.id, fixed);
    }
}

#[test]
fn a_device_clock_hours_out_still_syncs() {
    let server = server(Backend::Sqlite);
    let clock = Arc::new(SkewClock::default());
    let mut midwife = device(&server.base_url(), clock.clone(), 4);
    clock.set_skew(Duration::hours(-5));
    midwife
        .enrol(&server.issue_code(vec![server.teams[0]]))
        .unwrap();
    clock.set_skew(Duration::hours(7));
    midwife.capture(midwife.share(vec![server.teams[1]], Duration::hours(1), b"z"));
    let report = midwife.sync().unwrap();
    assert_eq!(report.accepted, 1);
}

#[test]
fn after_a_failure_automatic_retries_back_off_but_sync_now_goes_at_once() {
    let mut server = server(Backend::Sqlite);
    let clock = Arc::new(FixedClock::new(SystemClock.now()));
    let mut midwife = device(&server.base_url(), clock.clone(), 5);
    midwife
        .enrol(&server.issue_code(vec![server.teams[0]]))
        .unwrap();
    midwife.capture(midwife.share(vec![server.teams[1]], Duration::hours(1), b"w"));
    server.kill();

    let err = midwife.sync().unwrap_err();
    assert!(err.is_transient(), "{err}");
    let status = midwife.status();
    assert_eq!(status.pending, 1);
    assert_eq!(status.last_error.as_deref(), Some("network"));
    let not_before = status.next_attempt_not_before.unwrap();
    // Default backoff: 2 s after one failure, jitter removes at most half.
    let wait = not_before - clock.now();
    assert!(
        wait >= Duration::seconds(1) && wait <= Duration::seconds(2),
        "{wait}"
    );

    server.restart();
    // Fixed clock: the server's real clock is within the signing window of it.
    clock.set(SystemClock.now());
    midwife.sync().unwrap();
    assert_eq!(midwife.status().summary, SyncSummary::AllSynced);
}

#[test]
fn revocation_wipes_the_store_and_its_keys_and_leaves_no_names_behind() {
    for backend in backends() {
        let server = server(backend);
        let mut midwife = enrolled(&server, server.teams[0], 6);
        let name = b"Tallulah Fictional-Surname";
        midwife.capture(midwife.share(vec![server.teams[1]], Duration::hours(1), name));
        midwife.sync().unwrap();
        // A copy of the file as it was (what a thief would image from flash).
        // Database and WAL both: in WAL mode recent commits live in the -wal file.
        let image = midwife.path().with_extension("image");
        for suffix in ["", "-wal"] {
            let from = format!("{}{suffix}", midwife.path().display());
            let to = format!("{}{suffix}", image.display());
            std::fs::copy(&from, &to).unwrap();
            assert!(
                !contains(&std::fs::read(&to).unwrap(), name),
                "sealed at rest"
            );
        }

        assert!(server.revoke(midwife.device_id()));
        let err = midwife.sync().unwrap_err();
        assert!(matches!(err, SyncError::Revoked), "{err}");
        assert!(midwife.is_wiped());
        assert!(!midwife.path().exists(), "the database file is gone");
        assert_eq!(midwife.secrets.get(DATA_KEY_SECRET).unwrap(), None);
        assert_eq!(midwife.secrets.get(DEVICE_KEY_SECRET).unwrap(), None);
        let dir = midwife.path().parent().unwrap();
        for entry in std::fs::read_dir(dir).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            assert!(!contains(&bytes, name));
        }
        // The imaged copy no longer opens: its key is gone.
        let reopened = FieldStore::open(&image, midwife.secrets.as_ref(), Arc::new(SystemClock));
        assert!(
            matches!(reopened, Err(StoreError::KeyMissing)),
            "{reopened:?}"
        );
    }
}

#[test]
fn an_enrolment_code_works_once() {
    let server = server(Backend::Sqlite);
    let code = server.issue_code(vec![server.teams[0]]);
    let first = device(&server.base_url(), Arc::new(SystemClock), 7);
    first.enrol(&code).unwrap();
    assert!(matches!(
        first.enrol(&code),
        Err(SyncError::AlreadyEnrolled)
    ));
    let second = device(&server.base_url(), Arc::new(SystemClock), 8);
    assert!(matches!(
        second.enrol(&code),
        Err(SyncError::EnrolmentRefused(ErrorCode::EnrolmentCodeUsed))
    ));
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

//! The regional server restored from a backup (issue 14, item 1), on SQLite and PostgreSQL:
//! real servers on 127.0.0.1 whose data an operator puts back to an earlier copy, and phones
//! with their own stores that must notice it at their next sync.
//!
//! What must hold: a share the server accepted after the backup still reaches its recipient
//! (its sender finds it missing and sends it again, byte-identical); a recipient whose pull
//! position was past the restored head misses nothing the server numbers again; what was
//! applied before is absorbed when pulled again; and the sender's status says what happened.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

use chrono::Duration;
use safeshare_core::clock::SystemClock;
use safeshare_core::model::TeamId;
use safeshare_core::store::ListFilter;
use safeshare_core::sync::client::SyncSummary;
use safeshare_core::sync::{Envelope, EnvelopeId};
use safeshare_tests::{backends, region, Backend, TestDevice, TestServer, RECEIVED};
use std::sync::Arc;

fn server(backend: Backend) -> TestServer {
    TestServer::start(backend, Arc::new(SystemClock), &region())
}

fn enrolled(server: &TestServer, team: TeamId, seed: u64) -> TestDevice {
    let timeout = std::time::Duration::from_secs(5);
    TestDevice::enrolled(server, server.base_url(), team, timeout, seed)
}

/// How many times each of `ids` is stored on the server, for the teams given.
fn stored_counts(server: &TestServer, teams: &[TeamId], ids: &[EnvelopeId]) -> Vec<usize> {
    let stored = server.envelopes_for(teams);
    ids.iter()
        .map(|id| stored.iter().filter(|(_, e)| e.id == *id).count())
        .collect()
}

/// The envelope `id` as the server stores it.
fn stored(server: &TestServer, teams: &[TeamId], id: EnvelopeId) -> Envelope {
    server
        .envelopes_for(teams)
        .into_iter()
        .find(|(_, e)| e.id == id)
        .map(|(_, e)| e)
        .expect("stored on the server")
}

/// How many envelopes the device has filed as received (the inbound path keeps one record
/// per envelope id).
fn received_count(device: &TestDevice) -> usize {
    let actor = device.identity().practitioner_id;
    device
        .store()
        .list::<Envelope>(actor, RECEIVED, &ListFilter::default())
        .expect("list received")
        .len()
}

#[test]
fn shares_accepted_after_the_backup_reach_their_recipient_and_nothing_new_is_missed() {
    for backend in backends() {
        let name = backend.name();
        let mut server = server(backend);
        let (team_a, team_b) = (server.teams[0], server.teams[1]);
        let mut midwife = enrolled(&server, team_a, 1);
        let mut colleague = enrolled(&server, team_a, 2);
        let mut health_visitor = enrolled(&server, team_b, 3);
        // Everyone syncs once, so the roster listing all three is made before the backup.
        for d in [&mut midwife, &mut colleague, &mut health_visitor] {
            d.sync().unwrap();
        }
        let before = midwife.capture(midwife.share(vec![team_b], Duration::hours(24), b"one"));
        midwife.sync().unwrap();
        health_visitor.sync().unwrap();

        let backup = server.backup();

        // After the backup: one share synced (its echo confirmed by a pull), one only pushed.
        let synced = midwife.capture(midwife.share(vec![team_b], Duration::hours(24), b"two"));
        midwife.sync().unwrap();
        let pushed = midwife.capture(midwife.share(vec![team_b], Duration::hours(2), b"three"));
        assert_eq!(midwife.push().unwrap().accepted, 1);
        assert_eq!(midwife.status().pending, 0);
        let as_sent = [
            stored(&server, &[team_b], synced.id),
            stored(&server, &[team_b], pushed.id),
        ];
        // The recipient's position is now past what the backup holds.
        health_visitor.sync().unwrap();
        assert!(health_visitor.has_received(synced.id) && health_visitor.has_received(pushed.id));
        assert_eq!(received_count(&health_visitor), 3, "{name}");

        server.restore(&backup);
        assert_eq!(
            stored_counts(&server, &[team_b], &[before.id, synced.id, pushed.id]),
            vec![1, 0, 0],
            "{name}: the restored server lost what came after the backup"
        );

        // A colleague's new share takes a sequence number the lost ones had.
        let new = colleague.capture(colleague.share(vec![team_b], Duration::hours(24), b"new"));
        assert_eq!(colleague.sync().unwrap().accepted, 1);

        // The recipient's next sync finds its position unknown, pulls from the start, and
        // gets the new share; what it had applied before is absorbed.
        let report = health_visitor.sync().unwrap();
        assert!(report.server_restored, "{name}");
        assert_eq!(
            report.resent, 0,
            "{name}: the health visitor had sent nothing"
        );
        assert!(
            health_visitor.has_received(new.id),
            "{name}: nothing new missed"
        );
        assert_eq!(
            received_count(&health_visitor),
            4,
            "{name}: one record per envelope"
        );
        let status = health_visitor.status();
        assert_eq!(status.summary, SyncSummary::AllSynced, "{name}");
        assert!(status
            .notice()
            .unwrap()
            .starts_with("The regional server was restored from a backup"));

        // The sender notices too, and sends the two lost shares again, byte-identical.
        let report = midwife.sync().unwrap();
        assert!(report.server_restored, "{name}");
        assert_eq!(report.resent, 2, "{name}");
        assert_eq!(report.accepted, 2, "{name}: the server takes them as new");
        let status = midwife.status();
        assert_eq!(status.summary, SyncSummary::AllSynced, "{name}");
        assert_eq!(status.pending, 0);
        assert_eq!(
            status.notice().as_deref(),
            Some("The regional server was restored from a backup: 2 items sent again."),
            "{name}"
        );
        assert_eq!(stored(&server, &[team_b], synced.id), as_sent[0], "{name}");
        assert_eq!(stored(&server, &[team_b], pushed.id), as_sent[1], "{name}");

        // The recipient pulls them again: absorbed, nothing doubled anywhere.
        health_visitor.sync().unwrap();
        assert_eq!(received_count(&health_visitor), 4, "{name}");
        assert_eq!(
            stored_counts(
                &server,
                &[team_b],
                &[before.id, synced.id, pushed.id, new.id]
            ),
            vec![1, 1, 1, 1],
            "{name}: every share stored exactly once"
        );

        // Settled: another sync sends nothing again and says nothing new.
        let again = midwife.sync().unwrap();
        assert_eq!(
            (again.server_restored, again.resent, again.accepted),
            (false, 0, 0),
            "{name}"
        );
    }
}

#[test]
fn a_restore_before_the_senders_first_pull_is_noticed_without_a_position() {
    for backend in backends() {
        let name = backend.name();
        let mut server = server(backend);
        let (team_a, team_b) = (server.teams[0], server.teams[1]);
        let mut midwife = enrolled(&server, team_a, 4);
        let mut health_visitor = enrolled(&server, team_b, 5);
        health_visitor.sync().unwrap();
        let backup = server.backup();
        // Pushed only: the midwife's phone has never pulled, so it holds no position to check.
        let share = midwife.capture(midwife.share(vec![team_b], Duration::hours(24), b"lost"));
        assert_eq!(midwife.push().unwrap().accepted, 1);
        server.restore(&backup);

        let report = midwife.sync().unwrap();
        assert!(report.server_restored, "{name}");
        assert_eq!(report.resent, 1, "{name}");
        assert_eq!(midwife.status().summary, SyncSummary::AllSynced, "{name}");
        health_visitor.sync().unwrap();
        assert!(health_visitor.has_received(share.id), "{name}");
        assert_eq!(
            stored_counts(&server, &[team_b], &[share.id]),
            vec![1],
            "{name}"
        );
    }
}

#[test]
fn without_a_restore_nothing_is_sent_twice() {
    // The check costs nothing when nothing happened: a sync after a sync finds nothing missing.
    let mut server = server(Backend::Sqlite);
    let (team_a, team_b) = (server.teams[0], server.teams[1]);
    let mut midwife = enrolled(&server, team_a, 6);
    for n in 0..5u8 {
        midwife.capture(midwife.share(vec![team_b], Duration::hours(24), &[n]));
    }
    assert_eq!(midwife.push().unwrap().accepted, 5);
    let report = midwife.sync().unwrap();
    assert_eq!((report.server_restored, report.resent), (false, 0));
    assert_eq!(midwife.status().notice(), None);
    assert_eq!(server.envelopes_for(&[team_b]).len(), 5);
    server.restart();
    let report = midwife.sync().unwrap();
    assert_eq!((report.server_restored, report.resent), (false, 0));
}

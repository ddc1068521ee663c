//! A device the regional server no longer knows (issue 14, item 4): the server's data is
//! restored to a backup from before the phone enrolled, so its next sync is answered
//! `unknown_device`. The phone says it needs re-enrolment and keeps every unsent item; a code
//! for another practitioner is refused with nothing changed; a code for its own practitioner
//! enrols it as a new device, and every item the server does not hold is then delivered,
//! sealed again as the new device, exactly once.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

use chrono::Duration;
use safeshare_core::clock::SystemClock;
use safeshare_core::model::TeamId;
use safeshare_core::secrets::SecretStore;
use safeshare_core::sync::client::{SyncClient, SyncError, SyncSummary, DEVICE_KEY_SECRET};
use safeshare_tests::{backends, region, Backend, TestDevice, TestServer};
use std::sync::Arc;

fn server(backend: Backend) -> TestServer {
    TestServer::start(backend, Arc::new(SystemClock), &region())
}

fn enrolled(server: &TestServer, team: TeamId, seed: u64) -> TestDevice {
    let timeout = std::time::Duration::from_secs(5);
    TestDevice::enrolled(server, server.base_url(), team, timeout, seed)
}

#[test]
fn a_forgotten_device_is_re_enrolled_for_its_practitioner_and_delivers_every_unsent_item() {
    for backend in backends() {
        let name = backend.name();
        let mut server = server(backend);
        let (team_a, team_b) = (server.teams[0], server.teams[1]);
        let mut health_visitor = enrolled(&server, team_b, 11);
        health_visitor.sync().unwrap();
        let backup = server.backup();

        // The midwife's phone enrols after the backup, sends one share and captures another.
        let mut midwife = enrolled(&server, team_a, 12);
        let sent = midwife.capture(midwife.share(vec![team_b], Duration::hours(24), b"sent"));
        assert_eq!(midwife.sync().unwrap().accepted, 1);
        let waiting = midwife.capture(midwife.share(vec![team_b], Duration::hours(24), b"waiting"));
        let old_identity = midwife.identity();
        let old_key = midwife.secrets.get(DEVICE_KEY_SECRET).unwrap();

        server.restore(&backup);

        // The server no longer knows the phone: the status says so, and nothing is lost.
        assert!(
            matches!(midwife.sync(), Err(SyncError::UnknownDevice)),
            "{name}"
        );
        let captured_since =
            midwife.capture(midwife.share(vec![team_b], Duration::hours(4), b"offline"));
        let status = midwife.status();
        assert_eq!(status.summary, SyncSummary::NeedsReenrolment, "{name}");
        assert_eq!(status.pending, 2, "{name}: both unsent captures kept");
        assert_eq!(
            status.notice().as_deref(),
            Some(
                "The regional server no longer knows this phone. Ask your administrator for a \
                 re-enrolment code. 2 items are kept safely on this phone until then."
            ),
            "{name}"
        );

        // A code for another practitioner is refused, and nothing on the phone changes.
        let wrong = server.issue_code(vec![team_a]);
        assert!(
            matches!(
                midwife.reenrol(&wrong),
                Err(SyncError::PractitionerMismatch)
            ),
            "{name}"
        );
        assert_eq!(midwife.identity(), old_identity, "{name}");
        assert_eq!(midwife.secrets.get(DEVICE_KEY_SECRET).unwrap(), old_key);
        assert_eq!(midwife.status().summary, SyncSummary::NeedsReenrolment);
        assert_eq!(midwife.status().pending, 2);

        // The administrator issues a re-enrolment code for the same practitioner.
        let code = server.issue_code_for(old_identity.practitioner_id, vec![team_a]);
        let identity = midwife.reenrol(&code).unwrap();
        assert_eq!(identity.practitioner_id, old_identity.practitioner_id);
        assert_ne!(identity.device_id, old_identity.device_id, "{name}");
        assert_ne!(midwife.secrets.get(DEVICE_KEY_SECRET).unwrap(), old_key);
        assert_eq!(midwife.status().summary, SyncSummary::Waiting, "{name}");
        // Enrolling afresh over a store that holds data is still refused.
        assert!(matches!(
            midwife.enrol(&server.issue_code_for(old_identity.practitioner_id, vec![team_a])),
            Err(SyncError::AlreadyEnrolled)
        ));

        // Its next sync delivers both unsent captures, and the share the restore lost, sealed
        // again as the new device.
        let report = midwife.sync().unwrap();
        assert_eq!(report.accepted, 3, "{name}");
        assert_eq!((report.resent, report.rejected), (1, 0), "{name}");
        let status = midwife.status();
        assert_eq!(status.summary, SyncSummary::AllSynced, "{name}");
        assert_eq!(status.pending, 0);

        health_visitor.sync().unwrap();
        let stored = server.envelopes_for(&[team_b]);
        for share in [&sent, &waiting, &captured_since] {
            assert!(health_visitor.has_received(share.id), "{name}");
            let copies: Vec<_> = stored.iter().filter(|(_, e)| e.id == share.id).collect();
            assert_eq!(copies.len(), 1, "{name}: stored exactly once");
            assert_eq!(
                copies[0].1.device, identity.device_id,
                "{name}: sent as the new device"
            );
        }
        assert_eq!(stored.len(), 3, "{name}");
        assert!(health_visitor.status().unreadable.is_empty(), "{name}");
        // Nothing left to send again.
        let again = midwife.sync().unwrap();
        assert_eq!((again.accepted, again.resent), (0, 0), "{name}");
        let _ = SyncClient::identity(midwife.store()).unwrap();
    }
}

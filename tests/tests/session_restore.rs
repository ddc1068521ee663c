//! Server restore and re-enrolment through the `Session` the shells call, with its real
//! inbound path (SQLite, and PostgreSQL when configured): after the regional server is put back
//! to an earlier backup, the recipient's phone pulls everything again and keeps one copy of each
//! share; an acknowledgement whose share the restore lost waits, visible, until the sender's
//! phone has sent the share again, and then reaches the sender. A phone enrolled again through
//! `Session::enrol` takes a code for its own practitioner only.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

use chrono::NaiveDate;
use safeshare_core::app::{AppError, Session};
use safeshare_core::clock::SystemClock;
use safeshare_core::model::{PersonId, ShareId, TeamId};
use safeshare_core::rules::acknowledgement::{ReadBack, ShareStatus};
use safeshare_core::sync::client::SyncSummary;
use safeshare_tests::phone::{add_child, share_concern, SessionPhone};
use safeshare_tests::{backends, region, Region, TestServer};
use std::sync::Arc;

fn phone(
    server: &TestServer,
    region: &Region,
    name: &str,
    team: TeamId,
    seed: u64,
) -> SessionPhone {
    SessionPhone::enrolled(server, region, Arc::new(SystemClock), name, team, seed)
}

fn child(session: &Session) -> PersonId {
    add_child(
        session,
        "2 Fictional Close, Leeds",
        "Fictional Child",
        NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
    )
}

fn shared_concern(session: &Session, about: PersonId, team: TeamId, text: &str) -> ShareId {
    share_concern(session, about, team, text, "Please visit this week.")
}

fn read_back() -> ReadBack {
    ReadBack {
        who: "Fictional child at 2 Fictional Close".into(),
        risk: "Domestic abuse: mother frightened of partner".into(),
        next_action: "Health visitor to visit this week".into(),
    }
}

#[test]
fn after_a_restore_each_share_is_held_once_and_a_lost_acknowledgement_still_reaches_the_sender() {
    for backend in backends() {
        let name = backend.name();
        let region = region();
        let mut server = TestServer::start(backend, Arc::new(SystemClock), &region);
        let midwife = phone(&server, &region, "Midwife Ash", region.midwifery, 1);
        let hv = phone(
            &server,
            &region,
            "Health visitor Birch",
            region.health_visiting,
            2,
        );
        midwife.sync();
        hv.sync();
        let about = child(&midwife.session);
        let first = shared_concern(&midwife.session, about, region.health_visiting, "One.");
        midwife.sync();
        hv.sync();
        let backup = server.backup();

        let second = shared_concern(&midwife.session, about, region.health_visiting, "Two.");
        midwife.sync();
        hv.sync();
        assert_eq!(hv.session.incoming_shares().unwrap().len(), 2, "{name}");
        hv.session.acknowledge_share(second, read_back()).unwrap();
        assert_eq!(hv.sync().accepted, 1, "{name}");

        server.restore(&backup);

        // The health visitor's phone first: it pulls everything again (one copy of each share
        // kept) and sends its acknowledgement again, which waits for the share it answers.
        let report = hv.sync();
        assert!(report.server_restored, "{name}");
        assert_eq!(report.resent, 1, "{name}");
        let incoming = hv.session.incoming_shares().unwrap();
        assert_eq!(incoming.len(), 2, "{name}: repeats absorbed");
        let status = hv.session.sync_status().unwrap();
        assert_eq!(status.summary, SyncSummary::NeedsAttention, "{name}");
        assert_eq!(status.rejected.len(), 1, "{name}");
        assert_eq!(status.rejected[0].code, "answers_not_visible");

        // The midwife's phone sends the lost share again and says so.
        let report = midwife.sync();
        assert_eq!((report.server_restored, report.resent), (true, 1), "{name}");
        assert_eq!(
            midwife.session.sync_status().unwrap().notice().as_deref(),
            Some("The regional server was restored from a backup: 1 item sent again."),
        );

        // The acknowledgement goes through at the health visitor's next sync and reaches the
        // sender at hers.
        assert_eq!(hv.sync().accepted, 1, "{name}");
        assert_eq!(
            hv.session.sync_status().unwrap().summary,
            SyncSummary::AllSynced,
            "{name}"
        );
        midwife.sync();
        assert!(
            matches!(
                midwife.session.share(second).unwrap().status,
                ShareStatus::ReadBackToCheck { .. }
            ),
            "{name}: acknowledged"
        );
        assert!(matches!(
            midwife.session.share(first).unwrap().status,
            ShareStatus::AwaitingAcknowledgement { .. }
        ));
        assert_eq!(hv.session.incoming_shares().unwrap().len(), 2, "{name}");
        let stored = server.envelopes_for(&[region.midwifery, region.health_visiting]);
        assert_eq!(
            stored.len(),
            3,
            "{name}: two shares and one acknowledgement, once each"
        );
    }
}

#[test]
fn session_enrol_on_an_enrolled_phone_re_enrols_it_for_its_own_practitioner_only() {
    let region = region();
    let server = TestServer::start(
        safeshare_tests::Backend::Sqlite,
        Arc::new(SystemClock),
        &region,
    );
    let midwife = phone(&server, &region, "Midwife Ash", region.midwifery, 3);
    let before = midwife.session.identity();
    let about = child(&midwife.session);
    let share = shared_concern(&midwife.session, about, region.health_visiting, "Waiting.");

    let wrong = server.issue_code(vec![region.midwifery]);
    let err = midwife.session.enrol(&midwife.client, &wrong).unwrap_err();
    assert!(matches!(err, AppError::Validation { .. }), "{err:?}");
    assert_eq!(midwife.session.identity(), before, "nothing changed");
    assert_eq!(midwife.session.sync_status().unwrap().pending, 1);

    let code = server.issue_code_for(before.practitioner, vec![region.midwifery]);
    let after = midwife.session.enrol(&midwife.client, &code).unwrap();
    assert_eq!(after.practitioner, before.practitioner);
    assert_ne!(after.device, before.device);
    assert_eq!(midwife.session.identity().device, after.device);
    assert_eq!(midwife.sync().accepted, 1);
    let stored = server.envelopes_for(&[region.health_visiting]);
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].1.device, after.device,
        "sent as the re-enrolled device"
    );
    let _ = share;
}

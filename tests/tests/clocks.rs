//! Issue 14, item 2: a phone whose clock is wrong by hours still records clinical times on the
//! server's clock. Real server on 127.0.0.1 (SQLite, and PostgreSQL when configured), a real
//! session over its encrypted store, clocks fixed: the server's at a Tuesday 10:00 UTC, the
//! phone's three hours fast.
//!
//! Asserted: an immediate-risk share sent from the fast phone carries `sent_at` and the
//! envelope's `created_at` equal to the server's instant and is due exactly one real hour
//! later, on the phone and in the server's overdue report (absent at 10:59, present at 11:00);
//! a share made before any offset was known is marked `clock_unverified`, later ones are not;
//! a clock moved by hand after enrolment is corrected at the next sync (the server-time
//! header); the offset survives closing and reopening the session.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use safeshare_core::app::{Identity, NewObservationInput, Session, ShareRequest, TeamMembership};
use safeshare_core::clock::{Clock, FixedClock};
use safeshare_core::model::{
    ConcernCategory, DeviceId, Evidence, PersonId, PractitionerId, Severity, ShareId,
};
use safeshare_core::secrets::InMemorySecretStore;
use safeshare_core::sync::client::{SeededJitter, SyncClient, SyncConfig};
use safeshare_tests::phone::add_child_without_address;
use safeshare_tests::{backends, region, Backend, TestServer};
use std::sync::Arc;

fn server_noon() -> DateTime<Utc> {
    // A Tuesday in winter (UTC = London time), inside working hours.
    Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap()
}

fn open(
    dir: &std::path::Path,
    secrets: &Arc<InMemorySecretStore>,
    clock: &Arc<FixedClock>,
    identity: Identity,
    directory: &safeshare_core::directory::Directory,
) -> Session {
    Session::open(
        dir.join("field.db"),
        secrets.clone(),
        clock.clone() as Arc<dyn Clock>,
        identity,
        Some(directory.clone()),
    )
    .unwrap()
}

fn baby(session: &Session) -> PersonId {
    add_child_without_address(
        session,
        "Fictional Baby",
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
    )
}

fn immediate_risk_share(
    session: &Session,
    about: PersonId,
    team: safeshare_core::model::TeamId,
) -> ShareId {
    session
        .capture_observation(NewObservationInput {
            about,
            visit: None,
            category: ConcernCategory::DomesticAbuse,
            severity: Severity::ImmediateRisk,
            evidence: Evidence::ObservedFact,
            description: "Partner threatening at the door.".into(),
            observed_at: None,
            place: None,
            share: Some(ShareRequest {
                team,
                message: "Please call today.".into(),
                severity: None,
            }),
        })
        .unwrap()
        .share
        .unwrap()
        .share
}

fn fast_phone_times_come_from_the_server_clock(backend: Backend) {
    let region = region();
    let server_clock = Arc::new(FixedClock::new(server_noon()));
    let server = TestServer::start(backend, server_clock.clone(), &region);
    let phone_clock = Arc::new(FixedClock::new(server_noon() + Duration::hours(3)));
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(InMemorySecretStore::new());
    let team = region.midwifery;
    let identity = Identity {
        practitioner: PractitionerId::new(),
        practitioner_name: "Midwife A".into(),
        teams: vec![TeamMembership {
            id: team,
            name: region.directory.team(team).unwrap().name.clone(),
        }],
        device: DeviceId::new(),
    };
    let session = open(
        dir.path(),
        &secrets,
        &phone_clock,
        identity.clone(),
        &region.directory,
    );
    let client = SyncClient::new(
        SyncConfig::new(server.base_url()),
        phone_clock.clone() as Arc<dyn Clock>,
        Arc::new(SeededJitter::new(14)),
    )
    .unwrap();
    let child = baby(&session);

    // Before enrolment no offset is known: device clock, marked unverified.
    assert!(!session.clock_verified());
    let early = immediate_risk_share(&session, child, region.health_visiting);
    let early_view = session.share(early).unwrap();
    assert!(early_view.share.content.clock_unverified);
    assert_eq!(
        early_view.share.content.sent_at,
        server_noon() + Duration::hours(3)
    );

    session
        .enrol(
            &client,
            &server.issue_code_for(identity.practitioner, vec![team]),
        )
        .unwrap();
    assert!(session.clock_verified());
    assert_eq!(session.clock_offset(), Some(Duration::hours(-3)));

    // Sent at the server's 10:00 while the phone reads 13:00: due at 11:00 real time.
    let share = immediate_risk_share(&session, child, region.health_visiting);
    let view = session.share(share).unwrap();
    assert!(!view.share.content.clock_unverified);
    assert_eq!(view.share.content.sent_at, server_noon());
    assert_eq!(view.share.due_at, server_noon() + Duration::hours(1));
    session.sync_now(&client).unwrap();
    let stored = server.envelopes_for(&[region.health_visiting]);
    let envelope = stored
        .iter()
        .map(|(_, e)| e)
        .find(|e| e.entity_id == share.ulid())
        .expect("the share reached the server");
    assert_eq!(envelope.created_at, server_noon());
    assert_eq!(envelope.due_at, Some(server_noon() + Duration::hours(1)));
    let overdue = |at: DateTime<Utc>| -> bool {
        server
            .overdue_at(at)
            .iter()
            .any(|item| item.entity_id == share.ulid())
    };
    assert!(!overdue(server_noon() + Duration::minutes(59)));
    assert!(overdue(server_noon() + Duration::hours(1)));
    assert_eq!(
        server
            .overdue_at(server_noon() + Duration::hours(1))
            .iter()
            .find(|item| item.entity_id == share.ulid())
            .unwrap()
            .due_at,
        server_noon() + Duration::hours(1)
    );

    // Someone sets the phone's clock by hand, now five hours fast: the next sync corrects the
    // offset from the server's answers before anything else is captured.
    server_clock.advance(Duration::minutes(10));
    phone_clock.set(server_noon() + Duration::minutes(10) + Duration::hours(5));
    session.sync_now(&client).unwrap();
    assert_eq!(session.clock_offset(), Some(Duration::hours(-5)));
    let later = immediate_risk_share(&session, child, region.health_visiting);
    let later_view = session.share(later).unwrap();
    assert_eq!(
        later_view.share.content.sent_at,
        server_noon() + Duration::minutes(10)
    );
    assert_eq!(
        later_view.share.due_at,
        server_noon() + Duration::minutes(70)
    );

    // A new process (session and client) starts on the kept offset.
    drop(session);
    let session = open(
        dir.path(),
        &secrets,
        &phone_clock,
        identity,
        &region.directory,
    );
    assert!(session.clock_verified());
    assert_eq!(session.clock_offset(), Some(Duration::hours(-5)));
    let reopened = immediate_risk_share(&session, child, region.health_visiting);
    assert_eq!(
        session.share(reopened).unwrap().share.content.sent_at,
        server_noon() + Duration::minutes(10)
    );
}

#[test]
fn a_phone_hours_fast_records_clinical_times_on_the_server_clock() {
    for backend in backends() {
        eprintln!("backend: {}", backend.name());
        fast_phone_times_come_from_the_server_clock(backend);
    }
}

//! Issue 14, item 3: large items. Real server on 127.0.0.1 (SQLite, and PostgreSQL when
//! configured), real device stores.
//!
//! Asserted: 300 shares of 11 KiB each (about 4.5 MB sealed and encoded, over the server's
//! 4 MiB request limit) all leave the phone in one sync, cut into requests by size, each stored
//! once; an item too large for any request that reaches the outbox anyway is rejected with
//! `too_large` and a reason naming the limit, while the items queued before and after it are
//! accepted in the same sync; and at capture, free text over 20,000 characters is refused with
//! `ModelError::TooLong` naming the field and the limit.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

use chrono::Duration;
use safeshare_core::app::{AppError, Identity, NewObservationInput, Session, TeamMembership};
use safeshare_core::clock::{Clock, SystemClock};
use safeshare_core::model::{
    ConcernCategory, DeviceId, Evidence, PersonDetails, PersonRole, PractitionerId, Severity,
    MAX_FREE_TEXT_CHARS,
};
use safeshare_core::secrets::InMemorySecretStore;
use safeshare_core::sync::client::PUSH_BYTES_BUDGET;
use safeshare_tests::{backends, region, TestDevice, TestServer};
use std::sync::Arc;

fn enrolled(server: &TestServer, team: safeshare_core::model::TeamId, seed: u64) -> TestDevice {
    let timeout = std::time::Duration::from_secs(30);
    TestDevice::enrolled(server, server.base_url(), team, timeout, seed)
}

#[test]
fn three_hundred_items_of_11_kib_leave_the_phone_in_size_cut_batches() {
    for backend in backends() {
        let region = region();
        let server = TestServer::start(backend, Arc::new(SystemClock), &region);
        let mut midwife = enrolled(&server, region.midwifery, 141);
        let _visitor = enrolled(&server, region.health_visiting, 142);
        let body = vec![b'x'; 11 * 1024];
        let ids: Vec<_> = (0..300)
            .map(|_| {
                midwife
                    .capture(midwife.share(vec![region.health_visiting], Duration::hours(4), &body))
                    .id
            })
            .collect();
        let report = midwife.sync().unwrap();
        assert_eq!(report.accepted, 300);
        assert_eq!(report.rejected, 0);
        assert_eq!(midwife.status().pending, 0);
        let stored = server.envelopes_for(&[region.health_visiting]);
        for id in &ids {
            assert_eq!(stored.iter().filter(|(_, e)| e.id == *id).count(), 1);
        }
    }
}

#[test]
fn an_item_too_large_for_any_request_is_rejected_without_holding_back_the_others() {
    for backend in backends() {
        let region = region();
        let server = TestServer::start(backend, Arc::new(SystemClock), &region);
        let mut midwife = enrolled(&server, region.midwifery, 143);
        let team = vec![region.health_visiting];
        let before = midwife.capture(midwife.share(team.clone(), Duration::hours(4), b"before"));
        let huge = midwife.capture(midwife.share(
            team.clone(),
            Duration::hours(4),
            &vec![b'y'; PUSH_BYTES_BUDGET],
        ));
        let after = midwife.capture(midwife.share(team.clone(), Duration::hours(4), b"after"));
        let report = midwife.sync().unwrap();
        assert_eq!(report.accepted, 2);
        assert_eq!(report.rejected, 1);
        let stored: Vec<_> = server
            .envelopes_for(&team)
            .into_iter()
            .map(|(_, e)| e.id)
            .collect();
        assert!(stored.contains(&before.id));
        assert!(stored.contains(&after.id));
        assert!(!stored.contains(&huge.id));
        let status = midwife.status();
        assert_eq!(status.pending, 0);
        assert_eq!(status.rejected.len(), 1);
        assert_eq!(status.rejected[0].id, huge.id);
        assert_eq!(status.rejected[0].code, "too_large");
        assert!(
            status.rejected[0]
                .reason
                .contains(&PUSH_BYTES_BUDGET.to_string()),
            "{}",
            status.rejected[0].reason
        );
    }
}

#[test]
fn free_text_over_the_limit_is_refused_at_capture_naming_the_limit() {
    let region = region();
    let dir = tempfile::tempdir().unwrap();
    let team = region.midwifery;
    let session = Session::open(
        dir.path().join("field.db"),
        Arc::new(InMemorySecretStore::new()),
        Arc::new(SystemClock) as Arc<dyn Clock>,
        Identity {
            practitioner: PractitionerId::new(),
            practitioner_name: "Midwife B".into(),
            teams: vec![TeamMembership {
                id: team,
                name: "Midwifery".into(),
            }],
            device: DeviceId::new(),
        },
        Some(region.directory.clone()),
    )
    .unwrap();
    let household = session.add_household(None).unwrap();
    let mother = session
        .add_person(
            household.id,
            PersonRole::MotherOrBirthingParent,
            PersonDetails {
                name: Some("Fictional Mother".into()),
                ..PersonDetails::default()
            },
        )
        .unwrap();
    let capture = |chars: usize| {
        session.capture_observation(NewObservationInput {
            about: mother.id,
            visit: None,
            category: ConcernCategory::DomesticAbuse,
            severity: Severity::Concern,
            evidence: Evidence::ObservedFact,
            description: "a".repeat(chars),
            observed_at: None,
            place: None,
            share: None,
        })
    };
    assert_eq!(MAX_FREE_TEXT_CHARS, 20_000);
    match capture(MAX_FREE_TEXT_CHARS + 1) {
        Err(AppError::Validation { field, reason }) => {
            let message = reason.to_string();
            assert_eq!(field, "description");
            assert!(message.contains("20000"), "{message}");
            assert!(message.contains("20001"), "{message}");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    capture(MAX_FREE_TEXT_CHARS).unwrap();
}

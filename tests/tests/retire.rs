//! Issue 14, item 5: retire (a phone handed back) against revoke (lost or stolen). Real server
//! on 127.0.0.1 (SQLite, and PostgreSQL when configured), real phones: sessions over their own
//! encrypted stores with a file keystore, and the real sync client.
//!
//! Asserted: a retired phone holding three unsent shares delivers all three (the team's phone
//! then receives them), and in the same sync is wiped — database file gone, every keystore
//! entry deleted, every later call refused — and the roster lists it as retired (no longer a
//! recipient); a revoked phone holding three unsent shares is wiped at once and the server
//! holds none of them; a retired phone with an item the server refused keeps its store until
//! that item is resolved (discarded with a reason), then wipes.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use safeshare_core::app::{AppError, NewObservationInput, ShareRequest};
use safeshare_core::clock::{Clock, FixedClock, SystemClock};
use safeshare_core::model::{
    ConcernCategory, Evidence, PersonDetails, PersonRole, Severity, ShareId, TeamId,
};
use safeshare_core::sync::client::{SeededJitter, SyncClient, SyncConfig, SyncError};
use safeshare_tests::{backends, region, Backend, Region, SessionPhone, TestDevice, TestServer};
use std::sync::Arc;

fn ten_o_clock() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap()
}

fn enrolled(
    server: &TestServer,
    clock: &Arc<FixedClock>,
    region: &Region,
    team: TeamId,
    seed: u64,
) -> SessionPhone {
    let name = format!("Practitioner {seed}");
    SessionPhone::enrolled(server, region, clock.clone(), &name, team, seed)
}

/// What these tests ask of a phone beyond the shared set-up.
trait RetirePhone {
    /// Three concerns captured on a visit, each shared with `team`, none sent yet.
    fn three_unsent_shares(&self, team: TeamId) -> Vec<ShareId>;
    /// Wiped: the database file gone, nothing left in the keystore, every call refused.
    fn assert_wiped(&self);
}

impl RetirePhone for SessionPhone {
    fn three_unsent_shares(&self, team: TeamId) -> Vec<ShareId> {
        let household = self.session.add_household(None).unwrap();
        let baby = self
            .session
            .add_person(
                household.id,
                PersonRole::Child,
                PersonDetails {
                    name: Some("Fictional Baby".into()),
                    date_of_birth: Some(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()),
                    ..PersonDetails::default()
                },
            )
            .unwrap();
        let shares: Vec<ShareId> = (0..3)
            .map(|n| {
                self.session
                    .capture_observation(NewObservationInput {
                        about: baby.id,
                        visit: None,
                        category: ConcernCategory::ParentalMentalHealth,
                        severity: Severity::Concern,
                        evidence: Evidence::ObservedFact,
                        description: format!("Mother tearful and not sleeping (visit note {n})."),
                        observed_at: None,
                        place: None,
                        share: Some(ShareRequest {
                            team,
                            message: "Please visit this week.".into(),
                            severity: None,
                        }),
                    })
                    .unwrap()
                    .share
                    .unwrap()
                    .share
            })
            .collect();
        assert_eq!(self.session.pending_envelopes().unwrap().len(), 3);
        shares
    }

    fn assert_wiped(&self) {
        assert!(!self.db.exists(), "the database file is gone");
        let left: Vec<_> = std::fs::read_dir(&self.keystore)
            .map(|entries| entries.map(|e| e.unwrap().file_name()).collect())
            .unwrap_or_default();
        assert!(left.is_empty(), "keystore entries left: {left:?}");
        assert!(matches!(
            self.session.sync_status().unwrap_err(),
            AppError::Revoked
        ));
        assert!(matches!(
            self.session.pending_envelopes().unwrap_err(),
            AppError::Revoked
        ));
    }
}

fn stored_shares(server: &TestServer, team: TeamId, shares: &[ShareId]) -> usize {
    server
        .envelopes_for(&[team])
        .iter()
        .filter(|(_, e)| shares.iter().any(|s| s.ulid() == e.entity_id))
        .count()
}

fn retired_phone_delivers_everything_then_wipes(backend: Backend) {
    let region = region();
    let clock = Arc::new(FixedClock::new(ten_o_clock()));
    let server = TestServer::start(backend, clock.clone(), &region);
    let handed_back = enrolled(&server, &clock, &region, region.midwifery, 1);
    let health_visitor = enrolled(&server, &clock, &region, region.health_visiting, 2);
    let shares = handed_back.three_unsent_shares(region.health_visiting);

    assert!(server.retire(handed_back.device()));
    clock.advance(Duration::minutes(5));
    // One sync: all three delivered, then told to wipe, and wiped.
    assert!(matches!(
        handed_back
            .session
            .sync_now(&handed_back.client)
            .unwrap_err(),
        AppError::Retired
    ));
    assert_eq!(stored_shares(&server, region.health_visiting, &shares), 3);
    handed_back.assert_wiped();

    // The team receives all three.
    health_visitor
        .session
        .sync_now(&health_visitor.client)
        .unwrap();
    let incoming = health_visitor.session.incoming_shares().unwrap();
    assert_eq!(incoming.len(), 3);
    for share in &shares {
        assert!(incoming.iter().any(|i| i.share.record.share.id == *share));
    }
    // The roster lists it as retired, so nothing new is sealed to it; it is not revoked.
    let listed = server
        .roster_devices()
        .into_iter()
        .find(|d| d.device_id == handed_back.device())
        .unwrap();
    assert_eq!(listed.retired_at, Some(ten_o_clock()));
    assert_eq!(listed.revoked_at, None);
}

fn revoked_phone_is_wiped_at_once(backend: Backend) {
    let region = region();
    let clock = Arc::new(FixedClock::new(ten_o_clock()));
    let server = TestServer::start(backend, clock.clone(), &region);
    let stolen = enrolled(&server, &clock, &region, region.midwifery, 3);
    let shares = stolen.three_unsent_shares(region.health_visiting);

    assert!(server.revoke(stolen.device()));
    assert!(matches!(
        stolen.session.sync_now(&stolen.client).unwrap_err(),
        AppError::Revoked
    ));
    assert_eq!(stored_shares(&server, region.health_visiting, &shares), 0);
    stolen.assert_wiped();
}

fn retired_phone_keeps_a_refused_item_until_it_is_resolved(backend: Backend) {
    let region = region();
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let server = TestServer::start(backend, clock.clone(), &region);
    let mut phone = TestDevice::new(
        SyncConfig::new(server.base_url()),
        clock,
        Arc::new(SeededJitter::new(4)),
    );
    phone
        .enrol(&server.issue_code(vec![region.midwifery]))
        .unwrap();
    // One share the server delivers, one addressed to a team the region does not know: the
    // server refuses it and it stays on the phone, rejected, for the user.
    let delivered = phone.capture(phone.share(
        vec![region.health_visiting],
        Duration::hours(4),
        b"fictional note",
    ));
    let refused =
        phone.capture(phone.share(vec![TeamId::new()], Duration::hours(4), b"fictional note"));
    assert!(server.retire(phone.device_id()));

    let err = phone.sync().unwrap_err();
    assert!(
        matches!(err, SyncError::RetiredWithItemsLeft { remaining: 1 }),
        "{err}"
    );
    assert!(!phone.is_wiped(), "a rejected item is never wiped unseen");
    assert!(server
        .envelopes_for(&[region.health_visiting])
        .iter()
        .any(|(_, e)| e.id == delivered.id));
    assert_eq!(phone.status().rejected.len(), 1);

    // The practitioner discards it with a reason (recorded): nothing is left, so it wipes.
    let actor = phone.identity().practitioner_id;
    SyncClient::discard_rejected(
        phone.store(),
        actor,
        refused.id,
        "addressed to a team that no longer exists",
    )
    .unwrap();
    let err = phone.sync().unwrap_err();
    assert!(matches!(err, SyncError::Retired), "{err}");
    assert!(phone.is_wiped());
    assert!(!phone.path().exists());
}

#[test]
fn a_retired_phone_delivers_its_three_unsent_shares_then_is_wiped() {
    for backend in backends() {
        eprintln!("backend: {}", backend.name());
        retired_phone_delivers_everything_then_wipes(backend);
    }
}

#[test]
fn a_revoked_phone_is_wiped_at_once_with_its_unsent_shares() {
    for backend in backends() {
        eprintln!("backend: {}", backend.name());
        revoked_phone_is_wiped_at_once(backend);
    }
}

#[test]
fn a_retired_phone_keeps_a_refused_item_until_the_practitioner_resolves_it() {
    for backend in backends() {
        eprintln!("backend: {}", backend.name());
        retired_phone_keeps_a_refused_item_until_it_is_resolved(backend);
    }
}

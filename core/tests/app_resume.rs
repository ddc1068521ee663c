//! Resume (issue 17 item 2): the store keeps who uses the device, so a shell keeps nothing but
//! the platform secrets. A practitioner in two teams keeps both across a restart; the enrolled
//! device id survives; a device never set up is told so without a file being made; a wrong key
//! is refused and leaves the store as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use safeshare_core::app::{AppError, Identity, Session, TeamMembership};
use safeshare_core::clock::FixedClock;
use safeshare_core::model::DeviceId;
use safeshare_core::secrets::{InMemorySecretStore, SecretStore};
use safeshare_core::store::DATA_KEY_SECRET;
use std::sync::Arc;

fn in_two_teams(region: &Region) -> Identity {
    Identity::before_enrolment(
        "Health visitor Birch",
        vec![
            TeamMembership {
                id: region.health_visiting,
                name: "East health visiting".into(),
            },
            TeamMembership {
                id: region.midwifery,
                name: "West community midwifery".into(),
            },
        ],
    )
    .unwrap()
}

#[test]
fn a_resumed_session_is_the_practitioner_with_every_team_and_the_enrolled_device() {
    let region = region();
    let device = device(&region, in_two_teams(&region), utc(2026, 11, 23, 10, 0));
    let family = family(&device.session);
    // Enrolment gives the device its server id.
    let enrolled = Identity {
        device: DeviceId::new(),
        ..device.session.identity()
    };
    device.session.set_identity(enrolled.clone()).unwrap();
    let Device {
        dir: _dir,
        path,
        secrets,
        clock,
        session,
        ..
    } = device;
    drop(session);

    assert!(Session::is_set_up(&path));
    let resumed = Session::resume(&path, secrets, clock, None).unwrap();
    assert_eq!(resumed.identity(), enrolled);
    assert_eq!(resumed.identity().teams.len(), 2);
    let members = resumed.household_members(family.household.id).unwrap();
    assert_eq!(members.len(), 2, "the family is still on the device");
}

#[test]
fn a_device_never_set_up_is_told_so_and_no_store_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("field.db");
    assert!(!Session::is_set_up(&path));
    let Err(err) = Session::resume(
        &path,
        Arc::new(InMemorySecretStore::default()),
        Arc::new(FixedClock::new(utc(2026, 11, 23, 10, 0))),
        None,
    ) else {
        panic!("nothing to resume, yet a session opened");
    };
    assert!(
        matches!(&err, AppError::NotFound { what, .. } if what == "identity"),
        "{err:?}"
    );
    assert!(!path.exists(), "resume made a file");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn resuming_with_another_key_is_refused_and_changes_nothing() {
    let region = region();
    let device = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&device.session);
    let Device {
        dir: _dir,
        path,
        secrets,
        clock,
        session,
        identity,
    } = device;
    drop(session);
    let before = std::fs::read(&path).unwrap();

    let wrong = Arc::new(InMemorySecretStore::default());
    wrong.put(DATA_KEY_SECRET, &[7u8; 32]).unwrap();
    let Err(err) = Session::resume(&path, wrong, clock.clone(), None) else {
        panic!("another key opened the store");
    };
    assert!(matches!(err, AppError::KeyMismatch), "{err:?}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the store was changed"
    );

    let resumed = Session::resume(&path, secrets, clock, None).unwrap();
    assert_eq!(resumed.identity(), identity);
    assert_eq!(
        resumed
            .household_members(family.household.id)
            .unwrap()
            .len(),
        2
    );
}

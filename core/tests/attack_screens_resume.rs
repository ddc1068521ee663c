//! Attack (issue 17 item 2, a reviewer's pass): a key that does not open the store is one typed
//! error and loses nothing, "the store file unchanged byte for byte" (store/mod.rs: "Only now,
//! with the key proven, may anything be written"). The existing test resumes a store its
//! session closed cleanly, so everything was already in the main file. A phone's app is more
//! often killed than closed: then the last writes sit in the write-ahead log beside the
//! database. Resume with the wrong key (or none) on exactly those files, as the killed process
//! left them, must leave every byte of both as it was, and the right key must then find
//! everything.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use safeshare_core::app::{AppError, Session};
use safeshare_core::secrets::{InMemorySecretStore, SecretStore};
use safeshare_core::store::DATA_KEY_SECRET;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The database and its write-ahead log as a process killed now would leave them: copied
/// while the session is still open (nothing checkpointed, nothing closed).
fn killed_image(device: &Device, into: &Path) -> PathBuf {
    let path = into.join("field.db");
    for suffix in ["", "-wal"] {
        let mut from = device.path.as_os_str().to_owned();
        from.push(suffix);
        let mut to = path.as_os_str().to_owned();
        to.push(suffix);
        std::fs::copy(PathBuf::from(from), PathBuf::from(to)).unwrap();
    }
    path
}

fn main_and_wal(path: &Path) -> Vec<(String, Vec<u8>)> {
    store_bytes(path)
        .into_iter()
        .filter(|(suffix, _)| suffix != "-shm")
        .collect()
}

#[test]
fn a_wrong_or_missing_key_after_the_app_was_killed_changes_no_byte_and_loses_nothing() {
    let region = region();
    let device = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&device.session);
    let image = tempfile::tempdir().unwrap();
    let path = killed_image(&device, image.path());
    let before = main_and_wal(&path);
    assert!(
        before.iter().any(|(s, b)| s == "-wal" && !b.is_empty()),
        "the set-up needs the last writes still in the log"
    );

    let wrong = Arc::new(InMemorySecretStore::default());
    wrong.put(DATA_KEY_SECRET, &[7u8; 32]).unwrap();
    let Err(err) = Session::resume(&path, wrong, device.clock.clone(), None) else {
        panic!("another key opened the store");
    };
    assert!(matches!(err, AppError::KeyMismatch), "{err:?}");
    assert!(
        main_and_wal(&path) == before,
        "a wrong key changed the store's files (the log was folded into the database)"
    );

    let none = Arc::new(InMemorySecretStore::default());
    let Err(err) = Session::resume(&path, none.clone(), device.clock.clone(), None) else {
        panic!("no key opened the store");
    };
    assert!(matches!(err, AppError::KeyMissing), "{err:?}");
    assert!(
        none.get(DATA_KEY_SECRET).unwrap().is_none(),
        "a key was made for a store that has one"
    );
    assert!(
        main_and_wal(&path) == before,
        "a missing key changed the store's files"
    );

    // The right key finds everything the killed app had written.
    let right = Arc::new(InMemorySecretStore::default());
    right
        .put(
            DATA_KEY_SECRET,
            &device.secrets.get(DATA_KEY_SECRET).unwrap().unwrap(),
        )
        .unwrap();
    let resumed = Session::resume(&path, right, device.clock.clone(), None).unwrap();
    assert_eq!(resumed.identity(), device.identity);
    assert_eq!(
        resumed
            .household_members(family.household.id)
            .unwrap()
            .len(),
        2
    );
}

/// A file that is not a SQLite database at all (a half-copied backup, a disk fault) is a typed
/// error at resume, is not touched, and no key is made for it.
#[test]
fn a_store_file_that_is_not_a_database_is_a_typed_error_and_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("field.db");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 31 % 251) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();
    let secrets = Arc::new(InMemorySecretStore::default());
    let clock = Arc::new(safeshare_core::clock::FixedClock::new(utc(
        2026, 11, 23, 10, 0,
    )));
    let Err(err) = Session::resume(&path, secrets.clone(), clock, None) else {
        panic!("a file that is not a database opened");
    };
    assert!(matches!(err, AppError::StoreUnreadable(_)), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), garbage);
    assert!(secrets.get(DATA_KEY_SECRET).unwrap().is_none());
}

//! Issue 17 item 2 (attack a17's remainder): a store that cannot open at launch, because its
//! file is not a database or the database fails its integrity check, is the same typed error
//! with the same recovery as a key that does not open it (`KeyMismatch` at the boundary, "do
//! not delete or reinstall"), not a "storage" fault that tells the practitioner to unlock the
//! phone and free space. Real files; each is left byte for byte as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use safeshare_core::app::{AppError, Session};
use safeshare_core::boundary::SafeShareError;
use safeshare_core::screens::{SetUpScreen, Tone};
use safeshare_core::secrets::{InMemorySecretStore, SecretStore};
use safeshare_core::store::{StoreError, Unreadable, DATA_KEY_SECRET};
use std::path::Path;
use std::sync::Arc;

const SERVER: &str = "https://sync.example.nhs.uk";

/// The boundary's error and the set-up screen's recovery for `err`: the key mismatch's.
fn assert_key_mismatch_recovery(err: AppError) {
    let public = SafeShareError::from(err);
    assert!(
        matches!(public, SafeShareError::KeyMismatch { .. }),
        "{public:?}"
    );
    let screen = SetUpScreen::cannot_open(&public, SERVER);
    let recovery = screen.recovery.expect("a recovery");
    assert_eq!(recovery.tone, Tone::ImmediateRisk);
    assert_eq!(recovery.title, "The records on this phone cannot be opened");
    assert!(recovery.text.contains("were not changed"));
    assert_eq!(
        recovery.steps[0],
        "Do not delete or reinstall the app: that would lose what was not yet sent."
    );
    assert!(!recovery.text.contains("storage is full"));
}

/// The store file and any non-empty log beside it (opening a WAL database may create an
/// empty log and an index file, which hold nothing of the store).
fn bytes_beside(path: &Path) -> Vec<(String, Vec<u8>)> {
    store_bytes(path)
        .into_iter()
        .filter(|(suffix, bytes)| suffix != "-shm" && !bytes.is_empty())
        .collect()
}

#[test]
fn a_file_that_is_not_a_database_is_the_key_mismatch_recovery_and_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("field.db");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 37 % 253) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();
    let secrets = Arc::new(InMemorySecretStore::default());
    let clock = Arc::new(safeshare_core::clock::FixedClock::new(utc(
        2026, 11, 23, 10, 0,
    )));
    let Err(err) = Session::resume(&path, secrets.clone(), clock, None) else {
        panic!("a file that is not a database opened");
    };
    assert!(
        matches!(
            err,
            AppError::StoreUnreadable(StoreError::Unreadable(Unreadable::NotADatabase))
        ),
        "{err:?}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), garbage);
    assert!(
        secrets.get(DATA_KEY_SECRET).unwrap().is_none(),
        "no key made"
    );
    assert_key_mismatch_recovery(err);
}

#[test]
fn a_database_failing_its_integrity_check_is_the_key_mismatch_recovery_and_is_left_alone() {
    let region = region();
    let device = midwife(&region, utc(2026, 11, 23, 10, 0));
    let _family = family(&device.session);
    let Device {
        dir: _dir,
        path,
        secrets,
        clock,
        session,
        ..
    } = device;
    // A clean close folds the log into the file, so the damage below is the whole store.
    drop(session);
    let mut image = std::fs::read(&path).unwrap();
    let page = usize::from(u16::from_be_bytes([image[16], image[17]]));
    assert!(image.len() >= page * 3, "a store of at least three pages");
    // Page 2's b-tree header: an invalid page type, as a torn or bit-rotted write leaves.
    image[page] = 0x7f;
    image[page + 1..page + 12].fill(0xa5);
    std::fs::write(&path, &image).unwrap();
    let before = bytes_beside(&path);

    let Err(err) = Session::resume(&path, secrets.clone(), clock, None) else {
        panic!("a damaged database opened");
    };
    assert!(
        matches!(
            err,
            AppError::StoreUnreadable(StoreError::Unreadable(Unreadable::IntegrityCheck))
        ),
        "{err:?}"
    );
    // Not assert_eq!: a failure would print the whole store.
    assert!(
        bytes_beside(&path) == before,
        "the damaged file is kept as it was"
    );
    assert!(
        secrets.get(DATA_KEY_SECRET).unwrap().is_some(),
        "the key is kept"
    );
    assert_key_mismatch_recovery(err);
}

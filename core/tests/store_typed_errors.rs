//! The store's errors carry typed causes (issue 16 item 2): a stored value that cannot be read
//! back names which one ([`Corruption`]), a body that cannot be decoded keeps serde's category
//! and position ([`JsonFault`]) — and no message, debug print or source chain quotes what a
//! record holds. Real store files, altered with SQLite the way a damaged disk would.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

mod store_support;

use safeshare_core::json_fault::JsonFault;
use safeshare_core::model::{PersonId, PractitionerId};
use safeshare_core::store::{Corruption, FieldStore, RecordIndex, StoreError};
use serde::Deserialize;
use std::error::Error as _;
use store_support::*;

/// A store holding one audited observation whose description is `description`.
fn one_observation(fixture: &Fixture, description: &str) -> (FieldStore, PractitionerId, PersonId) {
    let store = fixture.open();
    let (midwife, id) = (PractitionerId::new(), PersonId::new());
    let obs = observation(PersonId::new(), "Amani", description);
    store
        .write(midwife, |tx| {
            tx.insert(OBSERVATION, id, &obs, &RecordIndex::default())
        })
        .unwrap();
    (store, midwife, id)
}

/// The audit log read back after `alteration` was applied to the file with SQLite.
fn audit_log_after(alteration: &str) -> StoreError {
    let fixture = Fixture::new();
    drop(one_observation(&fixture, "bruise on left forearm"));
    let conn = rusqlite::Connection::open(fixture.db_path()).unwrap();
    conn.execute(alteration, []).unwrap();
    fixture.open().audit_log(0, 10).unwrap_err()
}

#[test]
fn audit_rows_that_do_not_read_back_name_which_column_and_never_quote_it() {
    let err = audit_log_after("UPDATE audit SET at = 'last Tuesday'");
    assert!(
        matches!(err, StoreError::Corrupt(Corruption::Timestamp(_))),
        "{err:?}"
    );
    assert!(err.source().is_some(), "chrono's parse error is the cause");
    assert!(!every_text(&err).contains("last Tuesday"));

    let err = audit_log_after("UPDATE audit SET actor = 'Amani Okafor'");
    assert!(
        matches!(err, StoreError::Corrupt(Corruption::AuditActor)),
        "{err:?}"
    );
    assert!(!every_text(&err).contains("Amani"), "{}", every_text(&err));

    let err = audit_log_after("UPDATE audit SET action = 'teleported'");
    assert!(
        matches!(err, StoreError::Corrupt(Corruption::AuditAction)),
        "{err:?}"
    );
}

#[test]
fn a_store_whose_key_check_is_gone_is_corrupt_and_not_a_key_mismatch() {
    let fixture = Fixture::new();
    drop(one_observation(&fixture, "bruise on left forearm"));
    let conn = rusqlite::Connection::open(fixture.db_path()).unwrap();
    conn.execute("DELETE FROM meta WHERE name = 'key_check'", [])
        .unwrap();
    drop(conn);
    let err = FieldStore::open(fixture.db_path(), &fixture.secrets(), fixture.clock.clone())
        .map(|_| ())
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Corrupt(Corruption::KeyCheckMissing)),
        "{err:?}"
    );
}

/// Shaped so serde refuses the observation's description, quoting it in its own message.
#[derive(Debug, Deserialize)]
#[allow(dead_code)] // only ever refused
struct DescriptionAsNumber {
    description: u64,
}

#[test]
fn a_body_that_does_not_decode_keeps_serdes_category_and_position_but_never_the_text() {
    let fixture = Fixture::new();
    let (store, midwife, id) = one_observation(&fixture, "Amani said her dad shouts at night");

    // What serde_json itself says about this body quotes the record: the danger being tested.
    let plain = serde_json::json!({ "description": "Amani said her dad shouts at night" });
    let serde_says = serde_json::from_value::<DescriptionAsNumber>(plain)
        .unwrap_err()
        .to_string();
    assert!(serde_says.contains("dad shouts"), "{serde_says}");

    let err = store
        .get::<DescriptionAsNumber>(midwife, OBSERVATION, id)
        .unwrap_err();
    let StoreError::Codec(fault) = &err else {
        panic!("expected a codec error, got {err:?}");
    };
    assert_eq!(fault.category, serde_json::error::Category::Data);
    assert!(fault.line >= 1 && fault.column >= 1, "{fault:?}");
    let text = every_text(&err);
    assert!(!text.contains("dad shouts"), "{text}");
    assert!(!text.contains("Amani"), "{text}");
}

#[test]
fn a_json_fault_prints_category_and_position_only() {
    let err = serde_json::from_str::<u64>("\"Amani\"").unwrap_err();
    assert!(err.to_string().contains("Amani"));
    let fault = JsonFault::from(err);
    assert_eq!(fault.to_string(), "Data error at line 1 column 7");
    assert!(!format!("{fault:?}").contains("Amani"));
}

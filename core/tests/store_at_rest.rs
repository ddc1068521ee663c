//! Encryption at rest on a real SQLite file: nothing personal in the database, WAL or
//! shared-memory bytes; a wrong key changes nothing; tampering and moved blobs are detected.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

mod store_support;

use chrono::NaiveDate;
use safeshare_core::model::{
    Attendee, ConcernCategory, Evidence, ExpressionMode, Household, InputMethod, NewObservation,
    NewVoiceNote, Observation, Person, PersonDetails, PersonId, PersonRole, PractitionerId,
    Severity, VoiceOfChild,
};
use safeshare_core::secrets::{InMemorySecretStore, SecretStore};
use safeshare_core::store::StoredRecord;
use safeshare_core::store::{FieldStore, ListFilter, RecordIndex, StoreError, DATA_KEY_SECRET};
use std::sync::Arc;
use store_support::*;

const NAME: &str = "Zebedee Quartermaine-Oyelaran";
const PHRASE: &str = "bruise shaped like a belt buckle on the left forearm";
const CHILD_WORDS: &str = "daddy shouts at the moon when the red car comes";
const NHS_NUMBER: &str = "9434765919";
const ADDRESS: &str = "14 Larkspur Close, Wolverhampton";
const VISITOR: &str = "adult male introduced as Uncle Rufus";

/// One visit captured with the real domain types: the household, the child (with NHS
/// number), an observation and a voice-of-the-child note, plus an outbox envelope and a
/// state value, all in one transaction.
fn capture_visit(store: &FieldStore, midwife: PractitionerId) -> PersonId {
    let now = visit_time();
    let household = Household::new(Some(ADDRESS.into()));
    let child = Person::new(
        household.id,
        PersonRole::Child,
        PersonDetails {
            name: Some(NAME.into()),
            date_of_birth: Some(NaiveDate::from_ymd_opt(2021, 6, 1).unwrap()),
            nhs_number: Some("943 476 5919".into()),
            ..PersonDetails::default()
        },
    )
    .unwrap();
    let observation = Observation::capture(
        NewObservation {
            about: child.id,
            visit: None,
            recorded_by: midwife,
            category: ConcernCategory::DomesticAbuse,
            severity: Severity::Concern,
            evidence: Evidence::ObservedFact,
            description: format!("{NAME} had a {PHRASE}"),
            observed_at: now,
            place: None,
        },
        now,
    )
    .unwrap();
    let voice = VoiceOfChild::capture(
        NewVoiceNote {
            child: child.id,
            visit: None,
            recorded_by: midwife,
            words: CHILD_WORDS.into(),
            mode: ExpressionMode::Speech,
            present: vec![Attendee::other(VISITOR).unwrap()],
            expressed_at: now,
            input: InputMethod::Dictated,
        },
        &child,
        now,
    )
    .unwrap();
    store
        .write(midwife, |tx| {
            tx.insert(
                Household::KIND,
                household.record_id(),
                &household,
                &household.record_index(),
            )?;
            tx.insert(
                Person::KIND,
                child.record_id(),
                &child,
                &child.record_index(),
            )?;
            tx.insert(
                Observation::KIND,
                observation.record_id(),
                &observation,
                &observation.record_index(),
            )?;
            tx.insert(
                VoiceOfChild::KIND,
                voice.record_id(),
                &voice,
                &voice.record_index(),
            )?;
            tx.enqueue_outbox(&PersonId::new().to_string(), &(&observation, &voice))?;
            tx.put_state("last-capture", &NAME)?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    child.id
}

fn assert_no_personal_bytes(db: &std::path::Path, when: &str) {
    let needles = [
        NAME,
        "Quartermaine",
        PHRASE,
        CHILD_WORDS,
        NHS_NUMBER,
        "943 476 5919",
        ADDRESS,
        "Larkspur",
        VISITOR,
    ];
    for (file, bytes) in raw_files(db) {
        for needle in needles {
            assert!(
                !contains(&bytes, needle.as_bytes()),
                "{when}: {file} contains {needle:?} in clear"
            );
        }
    }
}

#[test]
fn byte_search_finds_plaintext_written_by_plain_sqlite() {
    // Control for the test below: the same search does find the phrase when it is stored
    // in clear, in the WAL while open and in the main file after close.
    let fixture = Fixture::new();
    let path = fixture.dir.path().join("plain.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.execute_batch("CREATE TABLE t (body TEXT)").unwrap();
    conn.execute("INSERT INTO t VALUES (?1)", [PHRASE]).unwrap();
    let in_wal = raw_files(&path)
        .iter()
        .any(|(_, bytes)| contains(bytes, PHRASE.as_bytes()));
    assert!(in_wal);
    drop(conn);
    assert!(contains(&std::fs::read(&path).unwrap(), PHRASE.as_bytes()));
}

#[test]
fn captured_names_and_words_never_reach_the_database_wal_or_shm_in_clear() {
    let fixture = Fixture::new();
    let midwife = PractitionerId::new();
    let store = fixture.open();
    let child = capture_visit(&store, midwife);
    // While open: the capture sits in the WAL.
    assert!(
        std::fs::metadata(sidecar(&fixture.db_path(), "-wal"))
            .unwrap()
            .len()
            > 0
    );
    assert_no_personal_bytes(&fixture.db_path(), "while open");
    // Reading back works, so the bytes above really were the capture.
    let people = store
        .find_by_nhs_number::<Person>(midwife, Person::KIND, "943-476-5919")
        .unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].body.id, child);
    assert_eq!(people[0].body.name.as_deref(), Some(NAME));
    let notes = store
        .list::<VoiceOfChild>(
            midwife,
            VoiceOfChild::KIND,
            &ListFilter {
                subject_person: Some(child),
                ..ListFilter::default()
            },
        )
        .unwrap();
    assert_eq!(notes[0].body.words, CHILD_WORDS);
    drop(store);
    // After close: the WAL was checkpointed into the main file.
    assert_no_personal_bytes(&fixture.db_path(), "after close");
    assert!(std::fs::metadata(fixture.db_path()).unwrap().len() > 0);
}

#[test]
fn data_key_is_kept_in_the_secret_store_and_never_in_the_database() {
    let fixture = Fixture::new();
    let store = fixture.open();
    capture_visit(&store, PractitionerId::new());
    drop(store);
    let key = fixture.secrets().get(DATA_KEY_SECRET).unwrap().unwrap();
    assert_eq!(key.len(), 32);
    for (file, bytes) in raw_files(&fixture.db_path()) {
        assert!(!contains(&bytes, &key), "{file} holds the data key");
    }
}

#[test]
fn wrong_key_is_a_typed_error_and_leaves_the_file_byte_identical() {
    let fixture = Fixture::new();
    let store = fixture.open();
    capture_visit(&store, PractitionerId::new());
    drop(store);
    let before = std::fs::read(fixture.db_path()).unwrap();

    let wrong = InMemorySecretStore::new();
    wrong.put(DATA_KEY_SECRET, &[7u8; 32]).unwrap();
    let err = FieldStore::open(fixture.db_path(), &wrong, fixture.clock.clone()).unwrap_err();
    assert!(matches!(err, StoreError::KeyMismatch), "{err:?}");

    let short = InMemorySecretStore::new();
    short.put(DATA_KEY_SECRET, &[7u8; 5]).unwrap();
    let err = FieldStore::open(fixture.db_path(), &short, fixture.clock.clone()).unwrap_err();
    assert!(matches!(err, StoreError::KeyMismatch), "{err:?}");

    assert_eq!(std::fs::read(fixture.db_path()).unwrap(), before);
    assert!(
        !sidecar(&fixture.db_path(), "-wal").exists() || {
            std::fs::metadata(sidecar(&fixture.db_path(), "-wal"))
                .unwrap()
                .len()
                == 0
        }
    );
    // The right key still opens it, with everything in place.
    let store = fixture.open();
    // Four records created and one envelope queued: five audit entries, none lost.
    assert_eq!(store.audit_log(0, 100).unwrap().len(), 5);
}

#[test]
fn existing_store_whose_key_was_lost_is_not_silently_rekeyed() {
    let fixture = Fixture::new();
    drop(fixture.open());
    let before = std::fs::read(fixture.db_path()).unwrap();
    let empty = InMemorySecretStore::new();
    let err = FieldStore::open(fixture.db_path(), &empty, fixture.clock.clone()).unwrap_err();
    assert!(matches!(err, StoreError::KeyMissing), "{err:?}");
    assert_eq!(empty.get(DATA_KEY_SECRET).unwrap(), None);
    assert_eq!(std::fs::read(fixture.db_path()).unwrap(), before);
}

fn raw(fixture: &Fixture) -> rusqlite::Connection {
    rusqlite::Connection::open(fixture.db_path()).unwrap()
}

fn sealed_of(conn: &rusqlite::Connection, id: &str, version: i64) -> Vec<u8> {
    conn.query_row(
        "SELECT sealed FROM records WHERE id = ?1 AND version = ?2",
        rusqlite::params![id, version],
        |r| r.get(0),
    )
    .unwrap()
}

fn set_sealed(conn: &rusqlite::Connection, id: &str, version: i64, sealed: &[u8]) {
    conn.execute(
        "UPDATE records SET sealed = ?3 WHERE id = ?1 AND version = ?2",
        rusqlite::params![id, version, sealed],
    )
    .unwrap();
}

fn two_observations(fixture: &Fixture, midwife: PractitionerId) -> (PersonId, PersonId) {
    let store = fixture.open();
    let (a, b) = (PersonId::new(), PersonId::new());
    store
        .write(midwife, |tx| {
            for id in [a, b] {
                tx.insert(
                    OBSERVATION,
                    id,
                    &observation(id, NAME, PHRASE),
                    &RecordIndex::default(),
                )?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    (a, b)
}

fn is_tampered(err: StoreError, id: PersonId) -> bool {
    matches!(err, StoreError::Tampered { id: ref i, .. } if *i == id.to_string())
}

#[test]
fn one_flipped_ciphertext_byte_is_detected_as_tampering() {
    let fixture = Fixture::new();
    let midwife = PractitionerId::new();
    let (a, b) = two_observations(&fixture, midwife);
    let conn = raw(&fixture);
    let mut sealed = sealed_of(&conn, &a.to_string(), 1);
    let middle = sealed.len() / 2;
    sealed[middle] ^= 0x20;
    set_sealed(&conn, &a.to_string(), 1, &sealed);
    drop(conn);

    let store = fixture.open();
    let err = store
        .get::<store_support::Observation>(midwife, OBSERVATION, a)
        .unwrap_err();
    assert!(is_tampered(err, a));
    // The untouched record still reads.
    assert_eq!(
        store
            .get::<store_support::Observation>(midwife, OBSERVATION, b)
            .unwrap()
            .body
            .description,
        PHRASE
    );
}

#[test]
fn sealed_blob_moved_to_another_row_is_detected() {
    let fixture = Fixture::new();
    let midwife = PractitionerId::new();
    let (a, b) = two_observations(&fixture, midwife);
    let conn = raw(&fixture);
    let from_a = sealed_of(&conn, &a.to_string(), 1);
    set_sealed(&conn, &b.to_string(), 1, &from_a);
    drop(conn);

    let store = fixture.open();
    let err = store
        .get::<store_support::Observation>(midwife, OBSERVATION, b)
        .unwrap_err();
    assert!(is_tampered(err, b));
}

#[test]
fn old_version_replayed_over_the_latest_is_detected() {
    let fixture = Fixture::new();
    let midwife = PractitionerId::new();
    let (a, _) = two_observations(&fixture, midwife);
    let store = fixture.open();
    store
        .write(midwife, |tx| {
            tx.amend(
                OBSERVATION,
                a,
                1,
                &observation(a, NAME, "corrected wording"),
                &RecordIndex::default(),
                "typo",
            )
        })
        .unwrap();
    drop(store);
    let conn = raw(&fixture);
    let v1 = sealed_of(&conn, &a.to_string(), 1);
    set_sealed(&conn, &a.to_string(), 2, &v1);
    drop(conn);
    let err = fixture
        .open()
        .get::<store_support::Observation>(midwife, OBSERVATION, a)
        .unwrap_err();
    assert!(is_tampered(err, a));
}

#[test]
fn edited_clear_column_is_detected() {
    let fixture = Fixture::new();
    let midwife = PractitionerId::new();
    let (a, _) = two_observations(&fixture, midwife);
    let conn = raw(&fixture);
    conn.execute(
        "UPDATE records SET severity = 0, author = ?2 WHERE id = ?1",
        rusqlite::params![a.to_string(), PractitionerId::new().to_string()],
    )
    .unwrap();
    drop(conn);
    let err = fixture
        .open()
        .get::<store_support::Observation>(midwife, OBSERVATION, a)
        .unwrap_err();
    assert!(is_tampered(err, a));
}

#[test]
fn body_blanked_without_a_deletion_is_detected() {
    let fixture = Fixture::new();
    let midwife = PractitionerId::new();
    let (a, _) = two_observations(&fixture, midwife);
    let conn = raw(&fixture);
    conn.execute(
        "UPDATE records SET sealed = NULL WHERE id = ?1",
        [a.to_string()],
    )
    .unwrap();
    drop(conn);
    let store = fixture.open();
    assert!(is_tampered(
        store
            .get::<store_support::Observation>(midwife, OBSERVATION, a)
            .unwrap_err(),
        a
    ));
    assert!(is_tampered(
        store
            .history::<store_support::Observation>(midwife, OBSERVATION, a)
            .unwrap_err(),
        a
    ));
}

#[test]
fn truncated_blob_is_a_typed_error() {
    let fixture = Fixture::new();
    let midwife = PractitionerId::new();
    let (a, _) = two_observations(&fixture, midwife);
    let conn = raw(&fixture);
    set_sealed(&conn, &a.to_string(), 1, &[1, 2, 3]);
    drop(conn);
    let err = fixture
        .open()
        .get::<store_support::Observation>(midwife, OBSERVATION, a)
        .unwrap_err();
    assert!(is_tampered(err, a));
}

#[test]
fn wipe_removes_the_files_and_the_key_and_a_copy_no_longer_opens() {
    let fixture = Fixture::new();
    let store = fixture.open();
    capture_visit(&store, PractitionerId::new());
    drop(store);
    // An attacker's copy taken before the wipe.
    let copy = fixture.dir.path().join("copy.db");
    std::fs::copy(fixture.db_path(), &copy).unwrap();

    let store = fixture.open();
    store.wipe(&fixture.secrets()).unwrap();
    for (file, _) in raw_files(&fixture.db_path()) {
        assert!(!std::path::Path::new(&file).exists(), "{file} survived");
    }
    assert_eq!(fixture.secrets().get(DATA_KEY_SECRET).unwrap(), None);

    // The copy has no key any more; a fresh key cannot open it.
    let err = FieldStore::open(&copy, &fixture.secrets(), fixture.clock.clone()).unwrap_err();
    assert!(matches!(err, StoreError::KeyMissing), "{err:?}");
    let other = InMemorySecretStore::new();
    drop(
        FieldStore::open(
            fixture.dir.path().join("new.db"),
            &other,
            Arc::new(safeshare_core::clock::SystemClock),
        )
        .unwrap(),
    );
    let err = FieldStore::open(&copy, &other, fixture.clock.clone()).unwrap_err();
    assert!(matches!(err, StoreError::KeyMismatch), "{err:?}");
}

#[test]
fn a_store_that_no_longer_opens_can_still_be_wiped() {
    let fixture = Fixture::new();
    let store = fixture.open();
    capture_visit(&store, PractitionerId::new());
    drop(store);
    let wrong = InMemorySecretStore::new();
    wrong.put(DATA_KEY_SECRET, &[9u8; 32]).unwrap();
    assert!(FieldStore::open(fixture.db_path(), &wrong, fixture.clock.clone()).is_err());
    FieldStore::wipe_files(fixture.db_path(), &fixture.secrets()).unwrap();
    FieldStore::wipe_files(fixture.db_path(), &fixture.secrets()).unwrap();
    assert!(!fixture.db_path().exists());
    assert_eq!(fixture.secrets().get(DATA_KEY_SECRET).unwrap(), None);
}

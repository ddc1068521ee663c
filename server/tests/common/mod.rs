//! Shared fixtures for the server's integration tests: real stores (a SQLite file in a temp
//! dir, a fresh schema in the throwaway PostgreSQL of `tests/run`), envelope builders, and a
//! real server on 127.0.0.1 (`loopback::Loopback`).
#![allow(dead_code)]

pub mod loopback;

use chrono::{DateTime, Duration, TimeZone, Utc};
use safeshare_core::model::{DeviceId, PractitionerId, Severity, TeamId};
use safeshare_core::sync::{Body, Envelope, EnvelopeId, EnvelopeKind, WIRE_VERSION};
use safeshare_server::storage::postgres::PgStore;
use safeshare_server::storage::sqlite::SqliteStore;
use ulid::Ulid;

/// Runs each named `async fn(&S) where S: Store` against both backends: a test in `mod sqlite`
/// on a real file, and one in `mod postgres` on a fresh schema (skipped, loudly, with no test
/// cluster unless `SAFESHARE_REQUIRE_PG=1`). Written once so every conformance-style file runs
/// its checks the same way on both.
#[allow(unused_macros)] // only the files that run checks on both backends call it
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let (_dir, store) = super::sqlite_store();
                    super::$name(&store).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(store) = super::pg_store().await {
                        super::$name(&store).await;
                    }
                }
            )*
        }
    };
}
#[allow(unused_imports)] // likewise
pub(crate) use both_backends;

/// As `both_backends!`, for checks that take the store by value (they hand it to a real
/// server or console): `async fn(S)`.
#[allow(unused_macros)] // only the files whose checks own their store call it
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let (_dir, store) = super::sqlite_store();
                    super::$name(store).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(store) = super::pg_store().await {
                        super::$name(store).await;
                    }
                }
            )*
        }
    };
}
#[allow(unused_imports)] // likewise
pub(crate) use on_both_backends;

/// A fixed instant: Friday 27 March 2026, 16:00 UTC (the Friday before BST starts).
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 27, 16, 0, 0).unwrap()
}

pub fn sqlite_store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_dir(&dir.path().join("data")).unwrap();
    (dir, store)
}

/// A PostgreSQL store in a fresh schema, or None (with a loud note) when no test cluster is
/// configured. With SAFESHARE_REQUIRE_PG=1 a missing cluster fails the test instead.
pub async fn pg_store() -> Option<PgStore> {
    match std::env::var("SAFESHARE_TEST_PG_URL") {
        Ok(url) if !url.is_empty() => {
            let schema = format!("t_{}", Ulid::new().to_string().to_lowercase());
            Some(PgStore::connect_in_schema(&url, &schema).await.unwrap())
        }
        _ => {
            if std::env::var("SAFESHARE_REQUIRE_PG").as_deref() == Ok("1") {
                panic!("SAFESHARE_REQUIRE_PG=1 but SAFESHARE_TEST_PG_URL is not set");
            }
            // Straight to stderr, past the test harness's capture, so the skip is seen.
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: PostgreSQL test not run (set SAFESHARE_TEST_PG_URL; tests/run does)"
            );
            None
        }
    }
}

/// A fictional directory file (docs/directory-format.md) at `version` holding `teams`.
pub fn directory_file(version: u64, teams: &[(TeamId, &str)]) -> String {
    let mut out = format!(
        "{{\"format\": \"safeshare-directory\", \"format_version\": 1, \"version\": {version}, \"region\": \"Test region (FICTIONAL)\", \"fictional\": true}}\n\
         {{\"organisation\": {{\"id\": \"{}\", \"ods_code\": \"Z990\", \"name\": \"Fictional test council\", \"kind\": \"other\"}}}}\n",
        safeshare_core::model::OrganisationId::new()
    );
    for (id, name) in teams {
        out.push_str(&format!(
            "{{\"team\": {{\"id\": \"{id}\", \"organisation\": \"Z990\", \"name\": \"{name}\", \"service\": \"other\", \"hours\": {{}}}}}}\n"
        ));
    }
    out
}

/// A share from `author` on `device` to `audience`, due at `due`.
pub fn share(
    author: PractitionerId,
    device: DeviceId,
    audience: Vec<TeamId>,
    due: DateTime<Utc>,
) -> Envelope {
    Envelope {
        id: EnvelopeId::new(),
        wire_version: WIRE_VERSION,
        kind: EnvelopeKind::Share,
        entity_id: Ulid::new(),
        entity_version: 1,
        author,
        device,
        created_at: t0(),
        audience,
        severity: Some(Severity::Concern),
        due_at: Some(due),
        answers: None,
        body: Body(b"{\"sealed\":false}".to_vec()),
        signature: None,
    }
    .seal_body(&[throwaway_recipient()], &throwaway_author())
    .unwrap()
}

/// A recipient key nobody keeps: the server only checks a body's container structure.
pub fn throwaway_recipient() -> safeshare_core::crypto::envelope_seal::Recipient {
    safeshare_core::crypto::envelope_seal::EncryptionKeyPair::generate()
        .unwrap()
        .public_key()
        .into()
}

/// A signing key no enrolled device has: storage tests do not check authorship; tests over
/// HTTP sign again as the pushing device ([`sign_as`]).
pub fn throwaway_author() -> safeshare_core::sync::DeviceKeyPair {
    safeshare_core::sync::DeviceKeyPair::generate().unwrap()
}

/// `envelope` signed by its author device's `key`, as a device does after sealing (and after
/// a test changed a header field).
pub fn sign_as(mut envelope: Envelope, key: &safeshare_core::sync::DeviceKeyPair) -> Envelope {
    envelope.signature = Some(safeshare_core::sync::authorship::sign(&envelope, key).unwrap());
    envelope
}

/// An envelope of `kind` answering `entity`.
pub fn answer(
    kind: EnvelopeKind,
    entity: Ulid,
    author: PractitionerId,
    device: DeviceId,
    audience: Vec<TeamId>,
) -> Envelope {
    Envelope {
        id: EnvelopeId::new(),
        wire_version: WIRE_VERSION,
        kind,
        entity_id: Ulid::new(),
        entity_version: 1,
        author,
        device,
        created_at: t0() + Duration::minutes(5),
        audience,
        severity: None,
        due_at: None,
        answers: Some(entity),
        body: Body(b"{\"read_back\":\"understood\"}".to_vec()),
        signature: None,
    }
    .seal_body(&[throwaway_recipient()], &throwaway_author())
    .unwrap()
}

/// A referral from `author` due at `due`.
pub fn referral(
    author: PractitionerId,
    device: DeviceId,
    audience: Vec<TeamId>,
    due: DateTime<Utc>,
) -> Envelope {
    let mut e = share(author, device, audience, due);
    e.kind = EnvelopeKind::Referral;
    e
}

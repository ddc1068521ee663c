//! Shared fixtures for the store integration tests: a real store file in a temporary
//! directory, a file-backed secret store, a fixed clock, and record types shaped like the
//! domain's observation and voice-of-the-child note.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use safeshare_core::clock::FixedClock;
use safeshare_core::model::{ConcernCategory, PersonId, Severity};
use safeshare_core::secrets::FileSecretStore;
use safeshare_core::store::{FieldStore, RecordKind};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const OBSERVATION: RecordKind = RecordKind::new("observation");
pub const VOICE_NOTE: RecordKind = RecordKind::new("voice_note");
pub const PERSON: RecordKind = RecordKind::new("person");

/// Shaped like the domain observation: who it is about, what was seen, fact or opinion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub about: PersonId,
    pub about_name: String,
    pub category: ConcernCategory,
    pub severity: Severity,
    pub is_fact: bool,
    pub description: String,
    pub place: String,
    pub observed_at: DateTime<Utc>,
}

/// Shaped like the domain voice-of-the-child note: verbatim words and who was present.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoiceNote {
    pub child: PersonId,
    pub verbatim: String,
    pub mode: String,
    pub present: Vec<String>,
    pub dictated: bool,
}

/// Shaped like a person record with an NHS number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub nhs_number: String,
}

pub fn visit_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 27, 10, 15, 0).unwrap()
}

pub fn observation(about: PersonId, name: &str, description: &str) -> Observation {
    Observation {
        about,
        about_name: name.to_owned(),
        category: ConcernCategory::DomesticAbuse,
        severity: Severity::Concern,
        is_fact: true,
        description: description.to_owned(),
        place: "kitchen".into(),
        observed_at: visit_time(),
    }
}

/// A store file plus the secrets directory that holds its key, both in one temp dir.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub clock: Arc<FixedClock>,
}

impl Fixture {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            clock: Arc::new(FixedClock::new(visit_time())),
        }
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("field.db")
    }

    pub fn secrets(&self) -> FileSecretStore {
        FileSecretStore::new(self.dir.path().join("secrets")).unwrap()
    }

    pub fn open(&self) -> FieldStore {
        FieldStore::open(self.db_path(), &self.secrets(), self.clock.clone()).unwrap()
    }
}

/// `path` with `suffix` added to the file name.
pub fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The raw bytes of the database, its WAL and its shared-memory file (empty if absent).
pub fn raw_files(db: &Path) -> Vec<(String, Vec<u8>)> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let path = sidecar(db, suffix);
            (
                path.display().to_string(),
                std::fs::read(&path).unwrap_or_default(),
            )
        })
        .collect()
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Everything an error could put in a log: its message, its debug form, and every source's
/// (what a test checks when no text of a record may reach any of them).
pub fn every_text(err: &dyn std::error::Error) -> String {
    let mut text = format!("{err} | {err:?}");
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(&format!(" | {cause} | {cause:?}"));
        source = cause.source();
    }
    text
}

//! Admin operations run by the region's safeguarding lead or operator against the server's
//! own database: import the contacts directory, issue enrolment codes, revoke devices, and
//! report what is overdue. The CLI in `main.rs` only parses arguments and prints these.
//!
//! Directory files are read by `safeshare_core::directory::parse` (format:
//! `docs/directory-format.md`), all or nothing with line numbers. The validated directory is
//! stored as a JSON document under the file's own `version`, which must be higher than any
//! stored version; its teams become the audiences devices may address. Devices receive the
//! document on pull and deserialise it as a `safeshare_core::directory::Directory`, which
//! validates it again.

use crate::storage::{OverdueItem, Store, StoreError, TeamRecord};
use chrono::{DateTime, Utc};
use safeshare_core::directory::{Directory, ImportError};
use safeshare_core::sync::{DirectoryVersion, EnvelopeKind};
use std::fmt::Write as _;

/// Failure of an admin import.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The file was refused (every problem listed with its line).
    #[error(transparent)]
    Directory(#[from] ImportError),
    /// The directory could not be turned into its stored document.
    #[error("the directory could not be serialised: {0}")]
    Document(String),
    /// Storage failed, or the version is not newer than the stored one.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Stores an already-validated directory as its version.
pub async fn store_directory<S: Store>(
    store: &S,
    directory: &Directory,
    now: DateTime<Utc>,
) -> Result<DirectoryVersion, AdminError> {
    let teams = directory
        .teams()
        .map(|t| TeamRecord {
            id: t.id,
            name: t.name.clone(),
        })
        .collect();
    let document =
        serde_json::to_value(directory).map_err(|e| AdminError::Document(e.to_string()))?;
    Ok(store
        .import_directory(directory.version(), document, teams, now)
        .await?)
}

/// Parses a directory file and stores it as the next version.
pub async fn import_directory<S: Store>(
    store: &S,
    text: &str,
    now: DateTime<Utc>,
) -> Result<DirectoryVersion, AdminError> {
    let directory = safeshare_core::directory::parse(text)?;
    store_directory(store, &directory, now).await
}

/// The overdue report as plain text: one line per item, earliest due first, with how long
/// overdue. Ids only — the server holds no names.
pub fn render_overdue(items: &[OverdueItem], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    if items.is_empty() {
        out.push_str("Nothing overdue.\n");
        return out;
    }
    let _ = writeln!(out, "{} overdue at {}:", items.len(), now.to_rfc3339());
    for item in items {
        let what = match item.kind {
            EnvelopeKind::Share => "share not acknowledged",
            EnvelopeKind::Referral => "referral without decision",
            other => other.as_str(),
        };
        let late = now - item.due_at;
        let severity = item
            .severity
            .map(crate::storage::severity_name)
            .unwrap_or("-");
        let audience: Vec<String> = item.audience.iter().map(ToString::to_string).collect();
        let _ = writeln!(
            out,
            "{what}: entity {} due {} ({}h{:02}m overdue) severity {severity} from practitioner {} to teams [{}]",
            item.entity_id,
            item.due_at.to_rfc3339(),
            late.num_hours(),
            late.num_minutes() % 60,
            item.author,
            audience.join(", ")
        );
    }
    out
}

//! Admin operations run by the region's safeguarding lead or operator against the server's
//! own database: import the contacts directory, issue enrolment codes, revoke or retire
//! devices, and report what is overdue. The CLI in `main.rs` only parses arguments and prints these.
//!
//! Directory files are read by `safeshare_core::directory::parse` (format:
//! `docs/directory-format.md`), all or nothing with line numbers. The validated directory is
//! stored as a JSON document under the file's own `version`, which must be higher than any
//! stored version; its teams become the audiences devices may address. Devices receive the
//! document on pull and deserialise it as a `safeshare_core::directory::Directory`, which
//! validates it again.
//!
//! Every action that changes who may enrol or connect, or what the region's directory says
//! (code issued or revoked, device revoked or retired, directory imported), is written to the admin
//! audit table by the functions here, after it succeeded: time, action, target id and actor
//! (`"cli"`, or the console's admin id). No personal data. The CLI and the web console both
//! call these, so neither can act without the audit row.

/// The actor recorded for the command-line admin.
pub const CLI_ACTOR: &str = "cli";

use crate::enrolment::{IssueError, IssuedCode};
use crate::storage::{
    AdminAction, CodeOrigin, CodeRecord, CodeRevocation, OverdueItem, StaleDirectory, Store,
    StoreError, TeamRecord, UnknownDevice,
};
use chrono::{DateTime, Duration, Utc};
use safeshare_core::directory::{Directory, ImportError};
use safeshare_core::json_fault::JsonFault;
use safeshare_core::model::{DeviceId, PractitionerId, TeamId};
use safeshare_core::sync::{DirectoryVersion, EnvelopeKind};
use std::fmt::Write as _;

/// Failure of an admin import.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The file was refused (every problem listed with its line).
    #[error(transparent)]
    Directory(#[from] ImportError),
    /// The directory could not be turned into its stored document (kept as serde's category
    /// and position only, like every JSON fault, so no value is quoted).
    #[error("the directory could not be serialised: {0}")]
    Document(#[source] JsonFault),
    /// The version is not newer than the stored one; nothing was stored.
    #[error(transparent)]
    Stale(#[from] StaleDirectory),
    /// Storage failed.
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
    let document = serde_json::to_value(directory).map_err(|e| AdminError::Document(e.into()))?;
    Ok(store
        .import_directory(directory.version(), document, teams, now)
        .await??)
}

/// Parses a directory file and stores it as the next version (audited as `actor`).
pub async fn import_directory<S: Store>(
    store: &S,
    text: &str,
    now: DateTime<Utc>,
) -> Result<DirectoryVersion, AdminError> {
    import_directory_as(store, text, now, CLI_ACTOR).await
}

/// [`import_directory`] by a named actor (the console passes its admin id).
pub async fn import_directory_as<S: Store>(
    store: &S,
    text: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<DirectoryVersion, AdminError> {
    let directory = safeshare_core::directory::parse(text)?;
    let version = store_directory(store, &directory, now).await?;
    store
        .append_admin_audit(
            AdminAction::DirectoryImported,
            version.version.to_string(),
            actor.to_owned(),
            now,
        )
        .await?;
    Ok(version)
}

/// Issues an enrolment code and audits it (target: the code id, never the code).
pub async fn issue_code<S: Store>(
    store: &S,
    practitioner: Option<PractitionerId>,
    teams: Vec<TeamId>,
    ttl: Duration,
    now: DateTime<Utc>,
    origin: CodeOrigin,
    actor: &str,
) -> Result<IssuedCode, IssueError> {
    let code = crate::enrolment::issue_from(store, practitioner, teams, ttl, now, origin).await?;
    store
        .append_admin_audit(
            AdminAction::CodeIssued,
            code.code_id.clone(),
            actor.to_owned(),
            now,
        )
        .await?;
    Ok(code)
}

/// Revokes an unused enrolment code; audited only when it was revoked now.
pub async fn revoke_code<S: Store>(
    store: &S,
    code_id: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<CodeRevocation, StoreError> {
    let outcome = store.revoke_code(code_id.to_owned(), now).await?;
    if outcome == CodeRevocation::Revoked {
        store
            .append_admin_audit(
                AdminAction::CodeRevoked,
                code_id.to_owned(),
                actor.to_owned(),
                now,
            )
            .await?;
    }
    Ok(outcome)
}

/// Revokes a device (its next contact tells it to wipe); [`UnknownDevice`] if none has this
/// id. Audited whenever the device exists (revoking twice keeps the first time but is still an
/// action).
pub async fn revoke_device<S: Store>(
    store: &S,
    device: DeviceId,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<Result<(), UnknownDevice>, StoreError> {
    let found = store.revoke_device(device, now).await?;
    if found.is_ok() {
        store
            .append_admin_audit(
                AdminAction::DeviceRevoked,
                device.to_string(),
                actor.to_owned(),
                now,
            )
            .await?;
    }
    Ok(found)
}

/// Retires a device (a phone handed back: it may still push its outbox, then is told to wipe,
/// and it is no longer a recipient from the next roster version); [`UnknownDevice`] if none
/// has this id.
/// Audited whenever the device exists, as revocation is, except a revoked one: revocation
/// stands and nothing changes, so an audit line saying "retired" would be untrue.
pub async fn retire_device<S: Store>(
    store: &S,
    device: DeviceId,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<Result<(), UnknownDevice>, StoreError> {
    if let Ok(record) = store.device(device).await? {
        if record.revoked_at.is_some() {
            return Ok(Ok(()));
        }
    }
    let found = store.retire_device(device, now).await?;
    if found.is_ok() {
        store
            .append_admin_audit(
                AdminAction::DeviceRetired,
                device.to_string(),
                actor.to_owned(),
                now,
            )
            .await?;
    }
    Ok(found)
}

/// The codes as plain text, newest first: id, status, practitioner, teams, expiry.
pub fn render_codes(codes: &[CodeRecord], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    if codes.is_empty() {
        out.push_str("No enrolment codes have been issued.\n");
        return out;
    }
    for code in codes {
        let teams: Vec<String> = code.teams.iter().map(ToString::to_string).collect();
        let _ = writeln!(
            out,
            "{} {:<7} practitioner {} teams [{}] issued {} expires {} ({})",
            code.code_id,
            code.status(now),
            code.practitioner,
            teams.join(", "),
            code.issued_at.to_rfc3339(),
            code.expires_at.to_rfc3339(),
            code.origin
        );
    }
    out
}

/// The teams as plain text: `id  name`, one a line.
pub fn render_teams(teams: &[TeamRecord]) -> String {
    let mut out = String::new();
    if teams.is_empty() {
        out.push_str("No teams: import a directory first (import-directory FILE).\n");
        return out;
    }
    for team in teams {
        let _ = writeln!(out, "{}  {}", team.id, team.name);
    }
    out
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

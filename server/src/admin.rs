//! Admin operations run by the region's safeguarding lead or operator against the server's
//! own database: import the contacts directory, issue enrolment codes, revoke devices, and
//! report what is overdue. The CLI in `main.rs` only parses arguments and prints these.
//!
//! Directory documents: until `safeshare_core::directory` publishes its parser, an import is
//! checked here for the minimum the server relies on — a JSON object whose `teams` array
//! holds objects with a ULID `id` and a non-empty `name`, ids unique. The whole document is
//! stored unchanged as the next directory version and handed to devices on pull.

use crate::storage::{OverdueItem, Store, StoreError, TeamRecord};
use chrono::{DateTime, Utc};
use safeshare_core::model::TeamId;
use safeshare_core::sync::{DirectoryVersion, EnvelopeKind};
use std::collections::HashSet;
use std::fmt::Write as _;

/// Why a directory document was refused (nothing is imported).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DirectoryImportError {
    /// Not JSON.
    #[error("the directory is not valid JSON: {0}")]
    NotJson(String),
    /// Not an object with a `teams` array.
    #[error("the directory must be a JSON object with a \"teams\" array")]
    NoTeams,
    /// A team entry is unusable.
    #[error("team #{index}: {problem}")]
    BadTeam {
        /// Position in `teams`.
        index: usize,
        /// What is wrong.
        problem: &'static str,
    },
    /// Two teams share an id.
    #[error("team id {0} appears more than once")]
    DuplicateTeam(TeamId),
}

/// Failure of an admin import.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The document was refused.
    #[error(transparent)]
    Directory(#[from] DirectoryImportError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Checks a directory document and lists its teams.
pub fn parse_directory(
    text: &str,
) -> Result<(serde_json::Value, Vec<TeamRecord>), DirectoryImportError> {
    let document: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| DirectoryImportError::NotJson(format!("line {}", e.line())))?;
    let teams = document
        .get("teams")
        .and_then(serde_json::Value::as_array)
        .ok_or(DirectoryImportError::NoTeams)?;
    let mut seen = HashSet::new();
    let mut records = Vec::with_capacity(teams.len());
    for (index, team) in teams.iter().enumerate() {
        let id = team
            .get("id")
            .and_then(serde_json::Value::as_str)
            .ok_or(DirectoryImportError::BadTeam {
                index,
                problem: "id is missing",
            })?
            .parse::<TeamId>()
            .map_err(|_| DirectoryImportError::BadTeam {
                index,
                problem: "id is not a ULID",
            })?;
        let name = team
            .get("name")
            .and_then(serde_json::Value::as_str)
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .ok_or(DirectoryImportError::BadTeam {
                index,
                problem: "name is missing or empty",
            })?;
        if !seen.insert(id) {
            return Err(DirectoryImportError::DuplicateTeam(id));
        }
        records.push(TeamRecord {
            id,
            name: name.to_owned(),
        });
    }
    Ok((document, records))
}

/// Imports a directory document as the next version.
pub async fn import_directory<S: Store>(
    store: &S,
    text: &str,
    now: DateTime<Utc>,
) -> Result<DirectoryVersion, AdminError> {
    let (document, teams) = parse_directory(text)?;
    Ok(store.import_directory(document, teams, now).await?)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_needs_teams_with_ulid_ids_and_names() {
        let id = TeamId::new();
        let ok = format!(r#"{{"teams":[{{"id":"{id}","name":" Health visiting "}}]}}"#);
        let (_, teams) = parse_directory(&ok).unwrap();
        assert_eq!(teams[0].name, "Health visiting");
        assert_eq!(
            parse_directory("[]").unwrap_err(),
            DirectoryImportError::NoTeams
        );
        assert!(matches!(
            parse_directory("{").unwrap_err(),
            DirectoryImportError::NotJson(_)
        ));
        assert_eq!(
            parse_directory(r#"{"teams":[{"id":"x","name":"A"}]}"#).unwrap_err(),
            DirectoryImportError::BadTeam {
                index: 0,
                problem: "id is not a ULID"
            }
        );
        let dup = format!(r#"{{"teams":[{{"id":"{id}","name":"A"}},{{"id":"{id}","name":"B"}}]}}"#);
        assert_eq!(
            parse_directory(&dup).unwrap_err(),
            DirectoryImportError::DuplicateTeam(id)
        );
    }
}

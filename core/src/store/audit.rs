//! The audit log: who read or wrote which entity, and when. Written by the store itself in
//! the same transaction as the read or write it records, so no caller can skip it. Holds ids,
//! kinds and actions only: nothing personal in clear.

use super::codec::{time_from_sql, time_to_sql};
use super::error::{Corruption, StoreError};
use super::FieldStore;
use crate::model::PractitionerId;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use std::str::FromStr;

/// What was done to an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    /// A record's first version was written.
    Create,
    /// A new version of a record was written.
    Amend,
    /// A record was deleted (personal content erased, the deletion kept).
    Delete,
    /// A record (or one version of it) was decrypted and returned to a caller.
    Read,
    /// An envelope was queued for sending.
    Enqueue,
    /// A queued envelope was decrypted for sending or display.
    ReadOutbox,
    /// A queued envelope was discarded by the user, with a reason.
    Discard,
}

impl AuditAction {
    fn as_str(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Amend => "amend",
            AuditAction::Delete => "delete",
            AuditAction::Read => "read",
            AuditAction::Enqueue => "enqueue",
            AuditAction::ReadOutbox => "read_outbox",
            AuditAction::Discard => "discard",
        }
    }

    fn parse(text: &str) -> Result<Self, StoreError> {
        Ok(match text {
            "create" => AuditAction::Create,
            "amend" => AuditAction::Amend,
            "delete" => AuditAction::Delete,
            "read" => AuditAction::Read,
            "enqueue" => AuditAction::Enqueue,
            "read_outbox" => AuditAction::ReadOutbox,
            "discard" => AuditAction::Discard,
            _ => return Err(StoreError::Corrupt(Corruption::AuditAction)),
        })
    }
}

/// One audit log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Position in the log (increasing).
    pub seq: i64,
    /// When it happened (the store's clock).
    pub at: DateTime<Utc>,
    /// The practitioner on whose behalf the store acted.
    pub actor: PractitionerId,
    /// Record kind, or `outbox`.
    pub kind: String,
    /// Entity (or envelope) id.
    pub entity_id: String,
    /// What was done.
    pub action: AuditAction,
}

pub(crate) fn append(
    conn: &Connection,
    at: DateTime<Utc>,
    actor: PractitionerId,
    kind: &str,
    entity_id: &str,
    action: AuditAction,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO audit (at, actor, kind, entity_id, action) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    stmt.execute(rusqlite::params![
        time_to_sql(at),
        actor.to_string(),
        kind,
        entity_id,
        action.as_str()
    ])?;
    Ok(())
}

impl FieldStore {
    /// Audit entries after `after_seq` (0 for all), oldest first, at most `limit`. The log
    /// holds no personal data, so reading it is not itself audited.
    pub fn audit_log(&self, after_seq: i64, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare_cached(
            "SELECT seq, at, actor, kind, entity_id, action FROM audit
             WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let rows = stmt.query_map(rusqlite::params![after_seq, limit], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, at, actor, kind, entity_id, action) = row?;
            out.push(AuditEntry {
                seq,
                at: time_from_sql(&at)?,
                actor: PractitionerId::from_str(&actor)
                    .map_err(|_| StoreError::Corrupt(Corruption::AuditActor))?,
                kind,
                entity_id,
                action: AuditAction::parse(&action)?,
            });
        }
        Ok(out)
    }
}

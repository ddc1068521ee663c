//! Sealed, versioned records: the generic API every other module persists through.
//!
//! A record is identified by its kind (e.g. `observation`) and entity id (a ULID). Each write
//! adds a version; nothing is overwritten. The body and any reason are sealed together,
//! bound to kind, id, version and the clear columns ([`RecordIndex`]), so a blob moved to
//! another row or version, or an edited clear column, fails on read with
//! [`StoreError::Tampered`]. Reads are methods on [`WriteTx`] too, so a caller can read and
//! amend in one transaction; every record returned is audited.

use super::audit::{self, AuditAction};
use super::codec::{
    from_json, severity_from_rank, severity_rank, time_from_sql, time_to_sql, to_json,
};
use super::error::{Corruption, StoreError};
use super::FieldStore;
use crate::crypto::{Binding, Keys};
use crate::model::{HouseholdId, PersonId, PractitionerId, Severity, TeamId};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, ToSql};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The kind of a record (`observation`, `voice_note`, `share`, ...). Each owning module
/// declares its kind as a constant; the name is stored in clear and must not change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RecordKind(&'static str);

impl RecordKind {
    /// A kind called `name` (lower-case, no personal data).
    pub const fn new(name: &'static str) -> Self {
        Self(name)
    }

    /// The stored name.
    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// The clear (unencrypted) columns of a record version, used to query without decrypting.
/// Only non-identifying values belong here: ids, status words, severity, times. The NHS
/// number is the exception that proves the rule: it is stored only as a keyed blind index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordIndex {
    /// The person the record is about.
    pub subject_person: Option<PersonId>,
    /// The household the record belongs to.
    pub household: Option<HouseholdId>,
    /// The team the record concerns (e.g. a share's recipient).
    pub team: Option<TeamId>,
    /// A status word chosen by the owning module (e.g. `awaiting_ack`); never free text.
    pub status: Option<String>,
    /// How serious, for concerns.
    pub severity: Option<Severity>,
    /// When something is due (a referral decision, an acknowledgement).
    pub due_at: Option<DateTime<Utc>>,
    /// When the thing recorded happened (observed-at, visit time).
    pub occurred_at: Option<DateTime<Utc>>,
    /// Write-only: an NHS number to find this record by. Stored only as an HMAC blind index
    /// (spaces and hyphens removed first); always `None` when read back.
    pub nhs_number: Option<String>,
}

/// What a version did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordAction {
    /// The first version.
    Create,
    /// A later version replacing the one before, with a reason.
    Amend,
    /// The record was deleted, with a reason; earlier versions' content is erased.
    Delete,
}

impl RecordAction {
    fn as_str(self) -> &'static str {
        match self {
            RecordAction::Create => "create",
            RecordAction::Amend => "amend",
            RecordAction::Delete => "delete",
        }
    }

    fn parse(text: &str) -> Result<Self, StoreError> {
        match text {
            "create" => Ok(RecordAction::Create),
            "amend" => Ok(RecordAction::Amend),
            "delete" => Ok(RecordAction::Delete),
            _ => Err(StoreError::Corrupt(Corruption::RecordAction)),
        }
    }
}

/// One version of a record as stored, decrypted.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordVersion<T> {
    /// Record kind.
    pub kind: String,
    /// Entity id.
    pub id: String,
    /// Version number, from 1.
    pub version: u64,
    /// What this version did.
    pub action: RecordAction,
    /// Who wrote it.
    pub author: PractitionerId,
    /// When it was written (the store's clock).
    pub recorded_at: DateTime<Utc>,
    /// Its clear columns (`nhs_number` is always `None`).
    pub index: RecordIndex,
    /// Why it was amended or deleted; `None` for a first version.
    pub reason: Option<String>,
    /// The content; `None` for a deletion and for versions erased by a later deletion.
    pub body: Option<T>,
}

/// The latest version of a live (not deleted) record.
#[derive(Debug, Clone, PartialEq)]
pub struct Record<T> {
    /// Record kind.
    pub kind: String,
    /// Entity id.
    pub id: String,
    /// Latest version number.
    pub version: u64,
    /// Who wrote the latest version.
    pub author: PractitionerId,
    /// When the latest version was written.
    pub recorded_at: DateTime<Utc>,
    /// Clear columns of the latest version (`nhs_number` is always `None`).
    pub index: RecordIndex,
    /// Reason given for the latest amendment, if it is one.
    pub reason: Option<String>,
    /// The content.
    pub body: T,
}

/// Which live records [`FieldStore::list`] returns: every set field must match the latest
/// version. Results are ordered by `occurred_at` (then id), oldest first: a chronology.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// Only records about this person.
    pub subject_person: Option<PersonId>,
    /// Only records of this household.
    pub household: Option<HouseholdId>,
    /// Only records concerning this team.
    pub team: Option<TeamId>,
    /// Only records with this status.
    pub status: Option<String>,
    /// Only records at least this serious.
    pub severity_at_least: Option<Severity>,
    /// Only records due strictly before this instant.
    pub due_before: Option<DateTime<Utc>>,
}

#[derive(Serialize)]
struct SealedBodyRef<'a, T: ?Sized> {
    reason: Option<&'a str>,
    body: Option<&'a T>,
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "T: DeserializeOwned"))]
struct SealedBody<T> {
    reason: Option<String>,
    body: Option<T>,
}

/// A `records` row as stored.
struct Row {
    kind: String,
    id: String,
    version: i64,
    action: String,
    author: String,
    recorded_at: String,
    subject_person: Option<String>,
    household: Option<String>,
    team: Option<String>,
    status: Option<String>,
    severity: Option<i64>,
    due_at: Option<String>,
    occurred_at: Option<String>,
    nhs_index: Option<Vec<u8>>,
    sealed: Option<Vec<u8>>,
}

/// The `records` columns in [`Row`] order (a macro so SQL strings can be built at compile time).
macro_rules! row_columns {
    () => {
        "kind, id, version, action, author, recorded_at, subject_person, household, team, \
         status, severity, due_at, occurred_at, nhs_index, sealed"
    };
}
const ROW_COLUMNS: &str = row_columns!();
/// The same columns qualified by the alias `r`, for a query that joins another table.
const R_ROW_COLUMNS: &str = "r.kind, r.id, r.version, r.action, r.author, r.recorded_at, \
     r.subject_person, r.household, r.team, r.status, r.severity, r.due_at, r.occurred_at, \
     r.nhs_index, r.sealed";
const INSERT_ROW: &str = concat!(
    "INSERT INTO records (",
    row_columns!(),
    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
);
const SELECT_LATEST: &str = concat!(
    "SELECT ",
    row_columns!(),
    " FROM records WHERE kind = ?1 AND id = ?2 ORDER BY version DESC LIMIT 1"
);

impl Row {
    fn from_sql(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            kind: row.get(0)?,
            id: row.get(1)?,
            version: row.get(2)?,
            action: row.get(3)?,
            author: row.get(4)?,
            recorded_at: row.get(5)?,
            subject_person: row.get(6)?,
            household: row.get(7)?,
            team: row.get(8)?,
            status: row.get(9)?,
            severity: row.get(10)?,
            due_at: row.get(11)?,
            occurred_at: row.get(12)?,
            nhs_index: row.get(13)?,
            sealed: row.get(14)?,
        })
    }

    fn version(&self) -> u64 {
        u64::try_from(self.version).unwrap_or(0)
    }

    /// The clear columns authenticated with the sealed body: every column but the body itself
    /// (and the key columns, which the binding carries).
    fn authenticated_columns(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        let mut part = |value: Option<&[u8]>| match value {
            None => out.push(0),
            Some(bytes) => {
                out.push(1);
                let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
                out.extend_from_slice(&len.to_be_bytes());
                out.extend_from_slice(bytes);
            }
        };
        let severity = self.severity.map(i64::to_be_bytes);
        part(Some(self.action.as_bytes()));
        part(Some(self.author.as_bytes()));
        part(Some(self.recorded_at.as_bytes()));
        part(self.subject_person.as_deref().map(str::as_bytes));
        part(self.household.as_deref().map(str::as_bytes));
        part(self.team.as_deref().map(str::as_bytes));
        part(self.status.as_deref().map(str::as_bytes));
        part(severity.as_ref().map(|b| b.as_slice()));
        part(self.due_at.as_deref().map(str::as_bytes));
        part(self.occurred_at.as_deref().map(str::as_bytes));
        part(self.nhs_index.as_deref());
        out
    }

    fn tampered(&self) -> StoreError {
        StoreError::Tampered {
            kind: self.kind.clone(),
            id: self.id.clone(),
            version: self.version(),
        }
    }

    fn index(&self) -> Result<RecordIndex, StoreError> {
        fn id<T: FromStr>(text: &Option<String>) -> Result<Option<T>, StoreError> {
            text.as_deref()
                .map(|t| T::from_str(t).map_err(|_| StoreError::Corrupt(Corruption::IndexId)))
                .transpose()
        }
        Ok(RecordIndex {
            subject_person: id(&self.subject_person)?,
            household: id(&self.household)?,
            team: id(&self.team)?,
            status: self.status.clone(),
            severity: self.severity.map(severity_from_rank).transpose()?,
            due_at: self.due_at.as_deref().map(time_from_sql).transpose()?,
            occurred_at: self.occurred_at.as_deref().map(time_from_sql).transpose()?,
            nhs_number: None,
        })
    }

    /// Decrypts and checks this row. `erased_ok` says whether a missing body is legitimate
    /// (only when a later version deleted the record).
    fn decode<T: DeserializeOwned>(
        &self,
        keys: &Keys,
        erased_ok: bool,
    ) -> Result<RecordVersion<T>, StoreError> {
        let action = RecordAction::parse(&self.action)?;
        let (reason, body) = match &self.sealed {
            Some(sealed) => {
                let extra = self.authenticated_columns();
                // The kind is part of the id namespace, so it goes into the bound table name.
                let kinded = format!("records/{}", self.kind);
                let binding = Binding {
                    table: &kinded,
                    id: &self.id,
                    version: self.version(),
                    extra: &extra,
                };
                let plain = keys.open(&binding, sealed).map_err(|_| self.tampered())?;
                let sealed_body: SealedBody<T> = from_json(&plain)?;
                (sealed_body.reason, sealed_body.body)
            }
            None if erased_ok => (None, None),
            // A body can only be missing when a later deletion erased it.
            None => return Err(self.tampered()),
        };
        if action != RecordAction::Delete && body.is_none() && self.sealed.is_some() {
            return Err(self.tampered());
        }
        Ok(RecordVersion {
            kind: self.kind.clone(),
            id: self.id.clone(),
            version: self.version(),
            action,
            author: PractitionerId::from_str(&self.author)
                .map_err(|_| StoreError::Corrupt(Corruption::Author))?,
            recorded_at: time_from_sql(&self.recorded_at)?,
            index: self.index()?,
            reason,
            body,
        })
    }
}

fn into_record<T>(version: RecordVersion<T>) -> Result<Record<T>, StoreError> {
    match (version.action, version.body) {
        (RecordAction::Delete, _) => Err(StoreError::Deleted {
            kind: version.kind,
            id: version.id,
        }),
        (_, None) => Err(StoreError::Tampered {
            kind: version.kind,
            id: version.id,
            version: version.version,
        }),
        (_, Some(body)) => Ok(Record {
            kind: version.kind,
            id: version.id,
            version: version.version,
            author: version.author,
            recorded_at: version.recorded_at,
            index: version.index,
            reason: version.reason,
            body,
        }),
    }
}

/// Removes the formatting people type into NHS numbers, so `943 476 5919` and `943-476-5919`
/// find the same person. Validation (length, check digit) is the caller's job
/// (`rules::nhs_number`); the store only canonicalises.
fn normalise_nhs_number(text: &str) -> String {
    // The one normaliser (`rules::normalise`): every kind of space, dash and invisible
    // character, so the blind index of a pasted number equals that of the typed one.
    crate::rules::normalise::compact(text)
}

/// One open transaction on the store, on behalf of one practitioner. Every method that
/// touches personal data writes its audit entry here, in the same transaction.
pub struct WriteTx<'a> {
    pub(crate) tx: &'a Connection,
    pub(crate) keys: &'a Keys,
    pub(crate) actor: PractitionerId,
    pub(crate) now: DateTime<Utc>,
}

impl<'a> WriteTx<'a> {
    pub(crate) fn new(
        tx: &'a Connection,
        keys: &'a Keys,
        actor: PractitionerId,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            tx,
            keys,
            actor,
            now,
        }
    }

    /// The practitioner this transaction acts for.
    pub fn actor(&self) -> PractitionerId {
        self.actor
    }

    /// The instant this transaction records as "now" (read once from the store's clock).
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    pub(crate) fn audit(
        &self,
        kind: &str,
        entity_id: &str,
        action: AuditAction,
    ) -> Result<(), StoreError> {
        audit::append(self.tx, self.now, self.actor, kind, entity_id, action)
    }

    /// Writes the first version of a new record. Returns its version (1).
    pub fn insert<T: Serialize + ?Sized>(
        &mut self,
        kind: RecordKind,
        id: impl fmt::Display,
        body: &T,
        index: &RecordIndex,
    ) -> Result<u64, StoreError> {
        let id = id.to_string();
        // The primary key (kind, id, version) refuses a second version 1: no look-up needed.
        match self.write_version(kind, &id, 1, RecordAction::Create, index, None, Some(body)) {
            Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(err, _)))
                if err.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
            {
                return Err(StoreError::AlreadyExists {
                    kind: kind.to_string(),
                    id,
                });
            }
            other => other?,
        }
        self.audit(kind.as_str(), &id, AuditAction::Create)?;
        Ok(1)
    }

    /// Writes a new version of a record, replacing `expected_version` (which must be the
    /// latest) for `reason`. Earlier versions stay readable in [`FieldStore::history`].
    pub fn amend<T: Serialize + ?Sized>(
        &mut self,
        kind: RecordKind,
        id: impl fmt::Display,
        expected_version: u64,
        body: &T,
        index: &RecordIndex,
        reason: &str,
    ) -> Result<u64, StoreError> {
        let id = id.to_string();
        if crate::rules::normalise::is_blank(reason) {
            return Err(StoreError::ReasonRequired);
        }
        let latest = self.require_live(kind, &id)?;
        if latest.version() != expected_version {
            return Err(StoreError::VersionConflict {
                kind: kind.to_string(),
                id,
                expected: expected_version,
                actual: latest.version(),
            });
        }
        let version = expected_version + 1;
        self.write_version(
            kind,
            &id,
            version,
            RecordAction::Amend,
            index,
            Some(reason),
            Some(body),
        )?;
        self.audit(kind.as_str(), &id, AuditAction::Amend)?;
        Ok(version)
    }

    /// Deletes a record for `reason`: erases the personal content (bodies, reasons, NHS index)
    /// of every earlier version and adds a deletion version recording who, when and why.
    /// The record's ids and times stay, so the chronology can show that something was deleted.
    pub fn delete(
        &mut self,
        kind: RecordKind,
        id: impl fmt::Display,
        reason: &str,
    ) -> Result<u64, StoreError> {
        let id = id.to_string();
        if crate::rules::normalise::is_blank(reason) {
            return Err(StoreError::ReasonRequired);
        }
        let latest = self.require_live(kind, &id)?;
        let mut index = latest.index()?;
        index.nhs_number = None;
        let version = latest.version() + 1;
        self.tx
            .prepare_cached(
                "UPDATE records SET sealed = NULL, nhs_index = NULL
                 WHERE kind = ?1 AND id = ?2 AND version < ?3",
            )?
            .execute(rusqlite::params![kind.as_str(), id, version as i64])?;
        self.write_version::<()>(
            kind,
            &id,
            version,
            RecordAction::Delete,
            &index,
            Some(reason),
            None,
        )?;
        self.audit(kind.as_str(), &id, AuditAction::Delete)?;
        Ok(version)
    }

    #[allow(clippy::too_many_arguments)]
    fn write_version<T: Serialize + ?Sized>(
        &mut self,
        kind: RecordKind,
        id: &str,
        version: u64,
        action: RecordAction,
        index: &RecordIndex,
        reason: Option<&str>,
        body: Option<&T>,
    ) -> Result<(), StoreError> {
        let mut row = Row {
            kind: kind.as_str().to_owned(),
            id: id.to_owned(),
            version: i64::try_from(version)
                .map_err(|_| StoreError::Corrupt(Corruption::VersionOverflow))?,
            action: action.as_str().to_owned(),
            author: self.actor.to_string(),
            recorded_at: time_to_sql(self.now),
            subject_person: index.subject_person.map(|p| p.to_string()),
            household: index.household.map(|h| h.to_string()),
            team: index.team.map(|t| t.to_string()),
            status: index.status.clone(),
            severity: index.severity.map(severity_rank),
            due_at: index.due_at.map(time_to_sql),
            occurred_at: index.occurred_at.map(time_to_sql),
            nhs_index: index
                .nhs_number
                .as_deref()
                .map(|n| self.keys.blind_index(&normalise_nhs_number(n)).to_vec()),
            sealed: None,
        };
        let plain = to_json(&SealedBodyRef { reason, body })?;
        let extra = row.authenticated_columns();
        let kinded = format!("records/{}", row.kind);
        let binding = Binding {
            table: &kinded,
            id,
            version,
            extra: &extra,
        };
        row.sealed = Some(self.keys.seal(&binding, &plain)?);
        self.tx
            .prepare_cached(INSERT_ROW)?
            .execute(rusqlite::params![
                row.kind,
                row.id,
                row.version,
                row.action,
                row.author,
                row.recorded_at,
                row.subject_person,
                row.household,
                row.team,
                row.status,
                row.severity,
                row.due_at,
                row.occurred_at,
                row.nhs_index,
                row.sealed,
            ])?;
        // Here, at the one place every version is written, so no write path can leave the
        // open-items index behind (see `open_items`).
        self.mark_open_items_stale(kind, id)?;
        Ok(())
    }

    fn latest(&self, kind: RecordKind, id: &str) -> Result<Option<Row>, StoreError> {
        Ok(self
            .tx
            .prepare_cached(SELECT_LATEST)?
            .query_row(rusqlite::params![kind.as_str(), id], Row::from_sql)
            .optional()?)
    }

    fn require_live(&self, kind: RecordKind, id: &str) -> Result<Row, StoreError> {
        match self.latest(kind, id)? {
            None => Err(StoreError::NotFound {
                kind: kind.to_string(),
                id: id.to_owned(),
            }),
            Some(row) if row.action == RecordAction::Delete.as_str() => Err(StoreError::Deleted {
                kind: kind.to_string(),
                id: id.to_owned(),
            }),
            Some(row) => Ok(row),
        }
    }

    /// The latest version of a live record. [`StoreError::Deleted`] if it was deleted.
    pub fn get<T: DeserializeOwned>(
        &mut self,
        kind: RecordKind,
        id: impl fmt::Display,
    ) -> Result<Record<T>, StoreError> {
        let id = id.to_string();
        let row = self
            .latest(kind, &id)?
            .ok_or_else(|| StoreError::NotFound {
                kind: kind.to_string(),
                id: id.clone(),
            })?;
        let version = row.decode::<T>(self.keys, false)?;
        self.audit(kind.as_str(), &id, AuditAction::Read)?;
        into_record(version)
    }

    /// Every version of a record, oldest first, each decrypted and checked.
    pub fn history<T: DeserializeOwned>(
        &mut self,
        kind: RecordKind,
        id: impl fmt::Display,
    ) -> Result<Vec<RecordVersion<T>>, StoreError> {
        let id = id.to_string();
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM records WHERE kind = ?1 AND id = ?2 ORDER BY version"
        );
        let rows = self
            .tx
            .prepare_cached(&sql)?
            .query_map(rusqlite::params![kind.as_str(), id], Row::from_sql)?
            .collect::<Result<Vec<_>, _>>()?;
        if rows.is_empty() {
            return Err(StoreError::NotFound {
                kind: kind.to_string(),
                id,
            });
        }
        let deleted = rows
            .last()
            .is_some_and(|r| r.action == RecordAction::Delete.as_str());
        let mut out = Vec::with_capacity(rows.len());
        for (position, row) in rows.iter().enumerate() {
            if row.version() != position as u64 + 1 {
                return Err(row.tampered());
            }
            let is_last = position + 1 == rows.len();
            out.push(row.decode(self.keys, deleted && !is_last)?);
        }
        self.audit(kind.as_str(), &id, AuditAction::Read)?;
        Ok(out)
    }

    /// Live records of `kind` matching `filter`, latest versions only, in chronological order.
    pub fn list<T: DeserializeOwned>(
        &mut self,
        kind: RecordKind,
        filter: &ListFilter,
    ) -> Result<Vec<Record<T>>, StoreError> {
        let mut sql = format!(
            "SELECT {ROW_COLUMNS} FROM records r WHERE r.kind = ?1 \
             AND r.version = (SELECT MAX(m.version) FROM records m \
                              WHERE m.kind = r.kind AND m.id = r.id) \
             AND r.action != 'delete'"
        );
        let mut params: Vec<Box<dyn ToSql>> = vec![Box::new(kind.as_str())];
        let mut add = |clause: &str, value: Box<dyn ToSql>| {
            params.push(value);
            sql.push_str(&format!(" AND r.{clause} ?{}", params.len()));
        };
        if let Some(person) = filter.subject_person {
            add("subject_person =", Box::new(person.to_string()));
        }
        if let Some(household) = filter.household {
            add("household =", Box::new(household.to_string()));
        }
        if let Some(team) = filter.team {
            add("team =", Box::new(team.to_string()));
        }
        if let Some(status) = &filter.status {
            add("status =", Box::new(status.clone()));
        }
        if let Some(severity) = filter.severity_at_least {
            add("severity >=", Box::new(severity_rank(severity)));
        }
        if let Some(due) = filter.due_before {
            add("due_at <", Box::new(time_to_sql(due)));
        }
        sql.push_str(" ORDER BY r.occurred_at, r.recorded_at, r.id");
        self.query_records(&sql, &params)
    }

    /// Live records of `kind`, latest versions, in [`WriteTx::list`]'s order, restricted by
    /// `join` (a JOIN clause on the alias `r`, in which `?2` is `param`): how the open-items
    /// index reads only the records it names. Each record returned is audited.
    pub(crate) fn list_joined<T: DeserializeOwned>(
        &mut self,
        kind: RecordKind,
        join: &str,
        param: &str,
    ) -> Result<Vec<Record<T>>, StoreError> {
        let sql = format!(
            "SELECT {R_ROW_COLUMNS} FROM records r {join} WHERE r.kind = ?1 \
             AND r.version = (SELECT MAX(m.version) FROM records m \
                              WHERE m.kind = r.kind AND m.id = r.id) \
             AND r.action != 'delete' ORDER BY r.occurred_at, r.recorded_at, r.id"
        );
        let params: Vec<Box<dyn ToSql>> = vec![Box::new(kind.as_str()), Box::new(param.to_owned())];
        self.query_records(&sql, &params)
    }

    /// Live records of `kind` indexed under this NHS number (spaces and hyphens ignored).
    /// More than one when the same person was recorded twice (e.g. on two devices offline).
    pub fn find_by_nhs_number<T: DeserializeOwned>(
        &mut self,
        kind: RecordKind,
        nhs_number: &str,
    ) -> Result<Vec<Record<T>>, StoreError> {
        let index = self
            .keys
            .blind_index(&normalise_nhs_number(nhs_number))
            .to_vec();
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM records r WHERE r.nhs_index = ?1 AND r.kind = ?2 \
             AND r.version = (SELECT MAX(m.version) FROM records m \
                              WHERE m.kind = r.kind AND m.id = r.id) \
             ORDER BY r.recorded_at, r.id"
        );
        let params: Vec<Box<dyn ToSql>> = vec![Box::new(index), Box::new(kind.as_str())];
        self.query_records(&sql, &params)
    }

    fn query_records<T: DeserializeOwned>(
        &mut self,
        sql: &str,
        params: &[Box<dyn ToSql>],
    ) -> Result<Vec<Record<T>>, StoreError> {
        let rows = self
            .tx
            .prepare_cached(sql)?
            .query_map(rusqlite::params_from_iter(params.iter()), Row::from_sql)?
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(into_record(row.decode::<T>(self.keys, false)?)?);
            self.audit(&row.kind, &row.id, AuditAction::Read)?;
        }
        Ok(out)
    }
}

impl FieldStore {
    /// The latest version of a live record, read on behalf of `actor` (audited).
    pub fn get<T: DeserializeOwned>(
        &self,
        actor: PractitionerId,
        kind: RecordKind,
        id: impl fmt::Display,
    ) -> Result<Record<T>, StoreError> {
        self.read(actor, |tx| tx.get(kind, id))
    }

    /// Every version of a record, oldest first, read on behalf of `actor` (audited).
    pub fn history<T: DeserializeOwned>(
        &self,
        actor: PractitionerId,
        kind: RecordKind,
        id: impl fmt::Display,
    ) -> Result<Vec<RecordVersion<T>>, StoreError> {
        self.read(actor, |tx| tx.history(kind, id))
    }

    /// Live records matching `filter`, read on behalf of `actor` (each audited).
    pub fn list<T: DeserializeOwned>(
        &self,
        actor: PractitionerId,
        kind: RecordKind,
        filter: &ListFilter,
    ) -> Result<Vec<Record<T>>, StoreError> {
        self.read(actor, |tx| tx.list(kind, filter))
    }

    /// Live records of `kind` with this NHS number, via the blind index (each audited).
    pub fn find_by_nhs_number<T: DeserializeOwned>(
        &self,
        actor: PractitionerId,
        kind: RecordKind,
        nhs_number: &str,
    ) -> Result<Vec<Record<T>>, StoreError> {
        self.read(actor, |tx| tx.find_by_nhs_number(kind, nhs_number))
    }
}

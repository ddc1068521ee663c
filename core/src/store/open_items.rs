//! The index of open items: what Today can list, so "needs attention now" and today's visits
//! decrypt only what they show instead of the whole caseload.
//!
//! Owns two tables.
//!
//! `open_items` (migrations 0003, 0004): one row per person who may have outstanding pattern
//! alerts, `stale` (a record about them was written since their alerts were last worked out,
//! or the pattern thresholds changed) or `alerts` (they had outstanding alerts when last
//! worked out; the alerts themselves are kept sealed in the row's `alerts` column, so a
//! refresh opens that summary instead of the child's whole chronology). A person with no row
//! had none, and nothing about them has been written since.
//!
//! `due_items` (migration 0004): one row per share, referral, escalation ladder or visit that
//! Today can list at some instant, with the window in which it can be listed (`show_from`,
//! `show_until`; NULL: no bound), or `stale` when a version of it was written since the window
//! was worked out. A record with no row cannot be listed until it is written again. The
//! window is worked out by the caller (the app knows the rules, the practitioner and the
//! settings); the store keeps it and answers "which records can be listed at this instant".
//!
//! Invariants and why:
//! - Every record version is written through `WriteTx::write_version`, which marks stale, in
//!   the same transaction, the people it is about and the record itself (and any row with
//!   the same entity id: an escalation ladder is stored under its referral's id, and whether a
//!   ladder exists decides whether a not-accepted referral is listed)
//!   ([`WriteTx::mark_open_items_stale`]). Capture, shares sent, received and acknowledged,
//!   referral decisions, escalation steps, alert showings and dismissals, call outcomes,
//!   transfers, visits ended and inbound sync all go through it, so the index cannot miss a
//!   write and a rolled-back write leaves it as it was. A record moved from one person to
//!   another by an amendment marks both (every version's subject is read).
//! - Pattern alerts are a function of one person's own records (the chronology of records
//!   whose clear `subject_person` is that person), the thresholds and the alert events about
//!   them; none depends on the time of reading. So the alerts last worked out for a person
//!   with nothing written since are still their alerts: skipping (or reusing) them gives the
//!   full scan's answer.
//! - A due item's window must contain every instant at which the rules would list the record
//!   as it stands (a superset is safe: the rules still decide; a record outside it is skipped
//!   unread). Windows depend on the rule settings and the practitioner's teams, so the caller
//!   marks every row stale when those change ([`WriteTx::mark_all_due_items_stale`]).
//! - Clear columns: `kind` is a fixed word; `entity_id` is a ULID already in clear in
//!   `records`; `state` says only that a record may need attention, never why; the window's
//!   ends are instants derived from due times and start times (`records.due_at` and
//!   `occurred_at` already hold such times in clear). Nothing personal is in clear. The
//!   cached alerts (which name a child and what was seen) are sealed, bound to their table
//!   and person.
//! - Reading the clear index is not audited (it holds no personal data); every record
//!   decrypted through it is, as every read is, and opening a person's cached alerts is
//!   audited as a read of `pattern_alerts` about that person.
//! - Not covered, as for `records`: someone who can write the file can delete a row (or put
//!   back an older sealed summary) and so hide an item until the next write about it.

use super::audit::AuditAction;
use super::codec::{from_json, time_from_sql, time_to_sql, to_json};
use super::error::StoreError;
use super::records::{Record, RecordKind, WriteTx};
use crate::crypto::Binding;
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::HashSet;

/// The `kind` of the rows about pattern alerts (the only kind of `open_items`).
const PATTERN_ALERT: &str = "pattern_alert";

/// The record kinds `due_items` keeps windows for (the table's CHECK names the same).
const DUE_KINDS: [&str; 4] = ["share", "referral", "escalation", "visit"];

/// What a person's cached alerts are bound to: this table and the person.
fn alerts_binding(person: &str) -> Binding<'_> {
    Binding {
        table: "open_items/pattern_alert",
        id: person,
        version: 0,
        extra: b"alerts",
    }
}

/// When a record can be listed on Today, as long as it is not changed: from `from` (none: any
/// time) until `until` (none: until it changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShowWindow {
    /// The first instant it can be listed.
    pub from: Option<DateTime<Utc>>,
    /// The instant it stops being listed.
    pub until: Option<DateTime<Utc>>,
}

impl ShowWindow {
    /// Listed at any instant (until it changes).
    pub const ALWAYS: ShowWindow = ShowWindow {
        from: None,
        until: None,
    };

    /// Whether `at` is in the window.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.from.is_none_or(|from| from <= at) && self.until.is_none_or(|until| at < until)
    }
}

/// A person the index says to look at, with their alerts if they were worked out already.
pub(crate) struct AlertCandidate<T> {
    /// The person's ULID.
    pub(crate) person: String,
    /// Their outstanding alerts as last worked out; `None` when they must be worked out now.
    pub(crate) alerts: Option<Vec<T>>,
}

impl WriteTx<'_> {
    /// Marks stale every person a version of record (`kind`, `id`) is about (and the person
    /// itself for a person record), the record's own due-item row, and any due-item row with
    /// the same entity id. Called for every version written.
    pub(crate) fn mark_open_items_stale(
        &mut self,
        kind: RecordKind,
        id: &str,
    ) -> Result<(), StoreError> {
        // `WHERE true` tells SQLite the ON CONFLICT belongs to the upsert, not to a join.
        self.tx
            .prepare_cached(
                "INSERT INTO open_items (kind, entity_id, state)
                 SELECT DISTINCT ?3, subject_person, 'stale' FROM records
                 WHERE kind = ?1 AND id = ?2 AND subject_person IS NOT NULL AND true
                 ON CONFLICT (kind, entity_id) DO UPDATE SET state = 'stale', alerts = NULL",
            )?
            .execute(rusqlite::params![kind.as_str(), id, PATTERN_ALERT])?;
        if kind.as_str() == "person" {
            self.tx
                .prepare_cached(
                    "INSERT INTO open_items (kind, entity_id, state) VALUES (?1, ?2, 'stale')
                     ON CONFLICT (kind, entity_id) DO UPDATE SET state = 'stale', alerts = NULL",
                )?
                .execute(rusqlite::params![PATTERN_ALERT, id])?;
        }
        if DUE_KINDS.contains(&kind.as_str()) {
            self.tx
                .prepare_cached(
                    "INSERT INTO due_items (kind, entity_id, state) VALUES (?1, ?2, 'stale')
                     ON CONFLICT (kind, entity_id) DO UPDATE SET state = 'stale'",
                )?
                .execute(rusqlite::params![kind.as_str(), id])?;
        }
        // A ladder shares its referral's id: writing it changes whether the referral is listed.
        self.tx
            .prepare_cached("UPDATE due_items SET state = 'stale' WHERE entity_id = ?1")?
            .execute([id])?;
        Ok(())
    }

    /// Marks every person on the device stale (the pattern thresholds changed, so every
    /// answer worked out before may be wrong).
    pub(crate) fn mark_all_pattern_alerts_stale(&mut self) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO open_items (kind, entity_id, state)
                 SELECT DISTINCT ?1, id, 'stale' FROM records WHERE kind = 'person' AND true
                 ON CONFLICT (kind, entity_id) DO UPDATE SET state = 'stale', alerts = NULL",
            )?
            .execute([PATTERN_ALERT])?;
        Ok(())
    }

    /// The live people whose pattern alerts must be looked at now (stale, or with alerts),
    /// in the order [`WriteTx::list`] gives person records, so the alerts come out in the
    /// same order as a scan of every person. For a person with alerts already worked out, the
    /// alerts are opened from the index (audited as a read of `pattern_alerts` about them).
    pub(crate) fn pattern_alert_candidates<T: DeserializeOwned>(
        &mut self,
    ) -> Result<Vec<AlertCandidate<T>>, StoreError> {
        let rows = {
            let mut statement = self.tx.prepare_cached(
                "SELECT r.id, o.state, o.alerts FROM open_items o
                 JOIN records r ON r.kind = 'person' AND r.id = o.entity_id
                 WHERE o.kind = ?1
                 AND r.version = (SELECT MAX(m.version) FROM records m
                                  WHERE m.kind = r.kind AND m.id = r.id)
                 AND r.action != 'delete'
                 ORDER BY r.occurred_at, r.recorded_at, r.id",
            )?;
            let rows = statement
                .query_map([PATTERN_ALERT], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, Option<Vec<u8>>>(2)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            rows
        };
        let mut out = Vec::with_capacity(rows.len());
        for (person, state, sealed) in rows {
            let alerts = match (state.as_str(), sealed) {
                ("alerts", Some(sealed)) => {
                    let plain =
                        self.keys
                            .open(&alerts_binding(&person), &sealed)
                            .map_err(|_| StoreError::Tampered {
                                kind: "open_items".into(),
                                id: person.clone(),
                                version: 0,
                            })?;
                    self.audit("pattern_alerts", &person, AuditAction::Read)?;
                    Some(from_json::<Vec<T>>(&plain)?)
                }
                // Stale, or a row without its summary: worked out from the records.
                _ => None,
            };
            out.push(AlertCandidate { person, alerts });
        }
        Ok(out)
    }

    /// Records what working out `person`'s pattern alerts found: a row holding them (sealed)
    /// only if there were any.
    pub(crate) fn set_pattern_alerts_found<T: Serialize>(
        &mut self,
        person: &str,
        alerts: &[T],
    ) -> Result<(), StoreError> {
        if alerts.is_empty() {
            self.tx
                .prepare_cached("DELETE FROM open_items WHERE kind = ?1 AND entity_id = ?2")?
                .execute(rusqlite::params![PATTERN_ALERT, person])?;
        } else {
            let sealed = self
                .keys
                .seal(&alerts_binding(person), &to_json(&alerts)?)?;
            self.tx
                .prepare_cached(
                    "INSERT INTO open_items (kind, entity_id, state, alerts)
                     VALUES (?1, ?2, 'alerts', ?3)
                     ON CONFLICT (kind, entity_id) DO UPDATE SET state = 'alerts',
                     alerts = excluded.alerts",
                )?
                .execute(rusqlite::params![PATTERN_ALERT, person, sealed])?;
        }
        Ok(())
    }

    /// Drops rows about ids that are not a live person on this device (a record about someone
    /// not enrolled here, or a person since deleted): a scan of every person never reaches
    /// them, so neither does the index.
    pub(crate) fn prune_pattern_alert_rows(&mut self) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                // Looks only at stale rows, so a steady store (none stale) pays nothing.
                "DELETE FROM open_items WHERE kind = ?1 AND state = 'stale' AND NOT EXISTS
                 (SELECT 1 FROM records r WHERE r.kind = 'person' AND r.id = open_items.entity_id
                  AND r.version = (SELECT MAX(m.version) FROM records m
                                   WHERE m.kind = r.kind AND m.id = r.id)
                  AND r.action != 'delete')",
            )?
            .execute([PATTERN_ALERT])?;
        Ok(())
    }

    /// Marks stale every share, referral, escalation ladder and visit on the device, including
    /// those with no row (the rule settings or the practitioner's teams changed, so a window
    /// worked out before, or a record found never listed, may be wrong).
    pub(crate) fn mark_all_due_items_stale(&mut self) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO due_items (kind, entity_id, state)
                 SELECT DISTINCT kind, id, 'stale' FROM records
                 WHERE kind IN ('share', 'referral', 'escalation', 'visit') AND true
                 ON CONFLICT (kind, entity_id) DO UPDATE SET state = 'stale'",
            )?
            .execute([])?;
        Ok(())
    }

    /// The live records of `kind` that can be listed at `at`, latest versions, in the order
    /// [`WriteTx::list`] gives them (so a rule fed this subset orders what it lists exactly
    /// as when fed every record). Each is decrypted and audited. Stale records are decrypted
    /// to work out their window with `window` (`None`: never listed), which is kept; only
    /// those whose window holds `at` are returned. Rows of records no longer live are dropped.
    pub(crate) fn list_due<T: DeserializeOwned>(
        &mut self,
        kind: RecordKind,
        at: DateTime<Utc>,
        mut window: impl FnMut(&mut Self, &Record<T>) -> Result<Option<ShowWindow>, StoreError>,
    ) -> Result<Vec<Record<T>>, StoreError> {
        let stale: HashSet<String> = self
            .tx
            .prepare_cached("SELECT entity_id FROM due_items WHERE kind = ?1 AND state = 'stale'")?
            .query_map([kind.as_str()], |row| row.get::<_, String>(0))?
            .collect::<Result<_, _>>()?;
        let at_sql = time_to_sql(at);
        let records: Vec<Record<T>> = self.list_joined(
            kind,
            "JOIN due_items d ON d.kind = r.kind AND d.entity_id = r.id \
             AND (d.state = 'stale' OR ((d.show_from IS NULL OR d.show_from <= ?2) \
                                        AND (d.show_until IS NULL OR ?2 < d.show_until)))",
            &at_sql,
        )?;
        let mut out = Vec::with_capacity(records.len());
        for record in records {
            if !stale.contains(&record.id) {
                out.push(record);
                continue;
            }
            match window(self, &record)? {
                Some(found) => {
                    self.tx
                        .prepare_cached(
                            "UPDATE due_items SET state = 'open', show_from = ?3, show_until = ?4
                             WHERE kind = ?1 AND entity_id = ?2",
                        )?
                        .execute(rusqlite::params![
                            kind.as_str(),
                            record.id,
                            found.from.map(time_to_sql),
                            found.until.map(time_to_sql),
                        ])?;
                    if found.contains(at) {
                        out.push(record);
                    }
                }
                None => {
                    self.tx
                        .prepare_cached("DELETE FROM due_items WHERE kind = ?1 AND entity_id = ?2")?
                        .execute(rusqlite::params![kind.as_str(), record.id])?;
                }
            }
        }
        // What is still stale was not a live record (deleted, or only ever a stale mark).
        self.tx
            .prepare_cached("DELETE FROM due_items WHERE kind = ?1 AND state = 'stale'")?
            .execute([kind.as_str()])?;
        Ok(out)
    }

    /// Whether a live record (`kind`, `id`) exists, from the clear columns only (nothing is
    /// decrypted, so nothing is audited).
    pub(crate) fn is_live(&self, kind: RecordKind, id: &str) -> Result<bool, StoreError> {
        let live: bool = self
            .tx
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM records r WHERE r.kind = ?1 AND r.id = ?2
                 AND r.version = (SELECT MAX(m.version) FROM records m
                                  WHERE m.kind = r.kind AND m.id = r.id)
                 AND r.action != 'delete')",
            )?
            .query_row(rusqlite::params![kind.as_str(), id], |row| row.get(0))?;
        Ok(live)
    }
}

impl super::FieldStore {
    /// The earliest window start after `after` among the due items "needs attention now"
    /// reads (not visits): when a record not listed now (a share's acknowledgement, a
    /// referral's decision or an escalation step coming within the "soon" window) can next
    /// be. Reads no personal data, so it is not audited. Windows are worked out by a reading,
    /// so ask after one.
    pub fn next_show_from_after(
        &self,
        after: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let conn = self.lock()?;
        let next: Option<String> = conn
            .prepare_cached(
                "SELECT MIN(show_from) FROM due_items
                 WHERE state = 'open' AND show_from > ?1 AND kind != 'visit'",
            )?
            .query_row([time_to_sql(after)], |row| row.get(0))?;
        next.as_deref().map(time_from_sql).transpose()
    }

    /// The earliest clear `occurred_at` of a live record of `kind` after `after` (for a
    /// meeting pack, its meeting's start: the instant its "shared at the meeting" and "challenge
    /// the minutes" buttons open), among latest versions. Reads no personal data (the column
    /// is clear), so it is not audited.
    pub fn next_occurred_after(
        &self,
        kind: super::RecordKind,
        after: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let conn = self.lock()?;
        let next: Option<String> = conn
            .prepare_cached(
                "SELECT MIN(r.occurred_at) FROM records r WHERE r.kind = ?1 AND r.occurred_at > ?2
                 AND r.version = (SELECT MAX(m.version) FROM records m
                                  WHERE m.kind = r.kind AND m.id = r.id)
                 AND r.action != 'delete'",
            )?
            .query_row(
                rusqlite::params![kind.as_str(), time_to_sql(after)],
                |row| row.get(0),
            )?;
        next.as_deref().map(time_from_sql).transpose()
    }

    /// How many live records of `kind` have a clear `occurred_at` at or before `at` (for
    /// meeting packs: how many meetings have started). The deadline check compares it between
    /// checks to know a meeting started in between. Not audited, as above.
    pub fn count_occurred_by(
        &self,
        kind: super::RecordKind,
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let conn = self.lock()?;
        let count: i64 = conn
            .prepare_cached(
                "SELECT COUNT(*) FROM records r WHERE r.kind = ?1 AND r.occurred_at <= ?2
                 AND r.version = (SELECT MAX(m.version) FROM records m
                                  WHERE m.kind = r.kind AND m.id = r.id)
                 AND r.action != 'delete'",
            )?
            .query_row(rusqlite::params![kind.as_str(), time_to_sql(at)], |row| {
                row.get(0)
            })?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// The earliest clear due time (`records.due_at`: a share's acknowledgement, a referral's
    /// decision) after `after`, among the latest versions of live records. What the change
    /// notifier uses to know when "needs attention now" can next change without a write.
    /// Reads no personal data, so it is not audited.
    pub fn next_due_after(
        &self,
        after: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<chrono::DateTime<chrono::Utc>>, StoreError> {
        use rusqlite::OptionalExtension;
        let conn = self.lock()?;
        let next: Option<String> = conn
            .prepare_cached(
                "SELECT MIN(r.due_at) FROM records r WHERE r.due_at > ?1
                 AND r.version = (SELECT MAX(m.version) FROM records m
                                  WHERE m.kind = r.kind AND m.id = r.id)
                 AND r.action != 'delete'",
            )?
            .query_row([super::codec::time_to_sql(after)], |row| row.get(0))
            .optional()?
            .flatten();
        next.map(|text| super::codec::time_from_sql(&text))
            .transpose()
    }
}

//! The index of open items: which people may have outstanding pattern alerts, so "needs
//! attention now" works out (and decrypts) only their chronologies instead of the whole
//! caseload's.
//!
//! Owns the `open_items` table (migration 0003). Each row is one person, in one of two states:
//! `stale` (a record about them was written since their alerts were last worked out, or the
//! pattern thresholds changed) or `alerts` (they had outstanding alerts when last worked out).
//! A person with no row had none, and nothing about them has been written since.
//!
//! Invariants and why:
//! - Every record version is written through `WriteTx::write_version`, which marks the
//!   people it is about stale in the same transaction ([`WriteTx::mark_open_items_stale`]):
//!   capture, shares sent, received and acknowledged, referral decisions, escalation steps,
//!   alert showings and dismissals, call outcomes and inbound sync all go through it, so the
//!   index cannot miss a write and a rolled-back write leaves it as it was. A record moved
//!   from one person to another by an amendment marks both (every version's subject is read).
//! - Pattern alerts are a function of one person's own records (the chronology of records
//!   whose clear `subject_person` is that person), the thresholds and the alert events about
//!   them; none depends on the time of reading. So a person with no row has exactly the
//!   alerts last worked out for them, which were none: skipping them gives the full scan's
//!   answer.
//! - Clear columns: `kind` is a fixed word; `entity_id` is a person's ULID, already in clear in
//!   `records.subject_person`; `state` says only that a person has (or may have) an
//!   outstanding pattern alert, never which pattern, what was seen or any due time. Nothing
//!   personal is in clear, so nothing is sealed here. What a person's alerts are is worked out
//!   from their sealed records at read time.
//! - Reading the index is not audited (it holds no personal data); the records decrypted to
//!   work out a person's alerts are, as every read is.

use super::error::StoreError;
use super::records::{RecordKind, WriteTx};

/// The `kind` of the rows about pattern alerts (the only kind so far).
const PATTERN_ALERT: &str = "pattern_alert";

impl WriteTx<'_> {
    /// Marks stale every person a version of record (`kind`, `id`) is about, and the person
    /// itself for a person record. Called for every version written.
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
                 ON CONFLICT (kind, entity_id) DO UPDATE SET state = 'stale'",
            )?
            .execute(rusqlite::params![kind.as_str(), id, PATTERN_ALERT])?;
        if kind.as_str() == "person" {
            self.tx
                .prepare_cached(
                    "INSERT INTO open_items (kind, entity_id, state) VALUES (?1, ?2, 'stale')
                     ON CONFLICT (kind, entity_id) DO UPDATE SET state = 'stale'",
                )?
                .execute(rusqlite::params![PATTERN_ALERT, id])?;
        }
        Ok(())
    }

    /// Marks every person on the device stale (the pattern thresholds changed, so every
    /// answer worked out before may be wrong).
    pub(crate) fn mark_all_pattern_alerts_stale(&mut self) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO open_items (kind, entity_id, state)
                 SELECT DISTINCT ?1, id, 'stale' FROM records WHERE kind = 'person' AND true
                 ON CONFLICT (kind, entity_id) DO UPDATE SET state = 'stale'",
            )?
            .execute([PATTERN_ALERT])?;
        Ok(())
    }

    /// The live people whose pattern alerts must be worked out now (stale, or with alerts),
    /// in the order [`WriteTx::list`] gives person records, so the alerts come out in the
    /// same order as a scan of every person.
    pub(crate) fn pattern_alert_candidates(&mut self) -> Result<Vec<String>, StoreError> {
        let mut statement = self.tx.prepare_cached(
            "SELECT r.id FROM open_items o
             JOIN records r ON r.kind = 'person' AND r.id = o.entity_id
             WHERE o.kind = ?1
             AND r.version = (SELECT MAX(m.version) FROM records m
                              WHERE m.kind = r.kind AND m.id = r.id)
             AND r.action != 'delete'
             ORDER BY r.occurred_at, r.recorded_at, r.id",
        )?;
        let ids = statement
            .query_map([PATTERN_ALERT], |row| row.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ids)
    }

    /// Records what working out `person`'s pattern alerts found: a row only if there were any.
    /// Also clears the rows of people no longer on the device (deleted, or never a person
    /// record here), which can have no alerts.
    pub(crate) fn set_pattern_alerts_found(
        &mut self,
        person: &str,
        any: bool,
    ) -> Result<(), StoreError> {
        if any {
            self.tx
                .prepare_cached(
                    "INSERT INTO open_items (kind, entity_id, state) VALUES (?1, ?2, 'alerts')
                     ON CONFLICT (kind, entity_id) DO UPDATE SET state = 'alerts'",
                )?
                .execute(rusqlite::params![PATTERN_ALERT, person])?;
        } else {
            self.tx
                .prepare_cached("DELETE FROM open_items WHERE kind = ?1 AND entity_id = ?2")?
                .execute(rusqlite::params![PATTERN_ALERT, person])?;
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
}

impl super::FieldStore {
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

//! The outbox: envelopes waiting to leave the device, persisted before anything is sent.
//!
//! Design (after matrix-rust-sdk's send queue):
//! - [`WriteTx::enqueue_outbox`] writes the envelope in the same transaction as the record it
//!   carries, so nothing captured can be lost before upload. The envelope id (a ULID made on
//!   the device) doubles as the server's idempotency key.
//! - The envelope is sealed at rest, bound to its id. Clear columns are only id, state,
//!   attempts, next-attempt time and a rejection code.
//! - One sender takes due entries in queue order ([`FieldStore::outbox_due`]), marks them
//!   sent, and records the server's answer per envelope ([`FieldStore::outbox_answer`]):
//!   accepted and duplicate are final; a transient failure goes back to pending with a later
//!   attempt time ([`FieldStore::outbox_retry_later`]); a rejection is kept, with its code and
//!   reason, for the user to see and fix or discard ([`FieldStore::outbox_discard`], which
//!   needs a reason and is audited). Nothing is ever dropped silently.
//! - Entries marked sent when the process died go back to pending at open: the server's
//!   answer was lost, and resending an idempotent envelope is safe.
//! - An accepted entry is kept, payload untouched, and marked unconfirmed until the sync
//!   client sees the server still holds it (a pull returned it, or a `duplicate` answer); an
//!   unconfirmed one can go back to pending to be sent again after a server restore
//!   ([`FieldStore::outbox_resend_many`]). Confirmed entries are deleted
//!   [`ACCEPTED_RETENTION_DAYS`] after their answer, never before; unconfirmed ones never.

use super::audit::AuditAction;
use super::codec::{from_json, time_from_sql, time_to_sql, to_json};
use super::error::{Corruption, StoreError};
use super::records::WriteTx;
use super::FieldStore;
use crate::crypto::{Binding, Keys};
use crate::model::PractitionerId;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::Serialize;

const AUDIT_KIND: &str = "outbox";

/// Where an envelope is in its journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxState {
    /// Waiting to be sent (or to be retried at `next_attempt_at`).
    Pending,
    /// Handed to the network; no answer yet.
    Sent,
    /// The server stored it.
    Accepted,
    /// The server already had it (an earlier attempt got through): as good as accepted.
    Duplicate,
    /// The server refused it; the user must see the reason and fix or discard it.
    Rejected,
    /// The user discarded a rejected or pending envelope, with a recorded reason.
    Discarded,
}

impl OutboxState {
    fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Sent => "sent",
            OutboxState::Accepted => "accepted",
            OutboxState::Duplicate => "duplicate",
            OutboxState::Rejected => "rejected",
            OutboxState::Discarded => "discarded",
        }
    }

    fn parse(text: &str) -> Result<Self, StoreError> {
        Ok(match text {
            "pending" => OutboxState::Pending,
            "sent" => OutboxState::Sent,
            "accepted" => OutboxState::Accepted,
            "duplicate" => OutboxState::Duplicate,
            "rejected" => OutboxState::Rejected,
            "discarded" => OutboxState::Discarded,
            _ => return Err(StoreError::Corrupt(Corruption::OutboxState)),
        })
    }

    /// Whether the envelope has left the device for good (nothing more to do).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            OutboxState::Accepted | OutboxState::Duplicate | OutboxState::Discarded
        )
    }
}

/// The server's answer for one envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboxAnswer {
    /// Stored.
    Accepted,
    /// Already stored earlier.
    Duplicate,
    /// Refused, with a machine code and a reason for the user.
    Rejected {
        /// Machine-readable code from the server.
        code: String,
        /// Reason to show the user.
        reason: String,
    },
}

/// One outbox entry, decrypted.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry<T> {
    /// Queue position.
    pub seq: i64,
    /// Envelope id (the idempotency key).
    pub id: String,
    /// Current state.
    pub state: OutboxState,
    /// How many times it was handed to the network.
    pub attempts: u32,
    /// Not to be sent before this instant.
    pub next_attempt_at: DateTime<Utc>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// The server's rejection code, when rejected.
    pub rejection_code: Option<String>,
    /// The rejection reason, or the user's reason for discarding.
    pub note: Option<String>,
    /// The envelope.
    pub payload: T,
}

/// How many entries are in each unfinished state: the numbers a sync status shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    /// Waiting to be sent.
    pub pending: u64,
    /// Sent, awaiting an answer.
    pub sent: u64,
    /// Refused by the server, awaiting the user.
    pub rejected: u64,
}

impl OutboxCounts {
    /// True only when nothing is waiting, in flight or rejected: the only time a UI may say
    /// "all synced".
    pub fn all_clear(&self) -> bool {
        self.pending == 0 && self.sent == 0 && self.rejected == 0
    }
}

fn payload_binding(id: &str) -> Binding<'_> {
    Binding {
        table: "outbox",
        id,
        version: 0,
        extra: &[],
    }
}

fn note_binding(id: &str) -> Binding<'_> {
    Binding {
        table: "outbox/note",
        id,
        version: 0,
        extra: &[],
    }
}

impl WriteTx<'_> {
    /// Queues `payload` under envelope id `id`, in this transaction.
    pub fn enqueue_outbox<T: Serialize + ?Sized>(
        &mut self,
        id: &str,
        payload: &T,
    ) -> Result<(), StoreError> {
        let plain = to_json(payload)?;
        let sealed = self.keys.seal(&payload_binding(id), &plain)?;
        let now = time_to_sql(self.now);
        let inserted = self
            .tx
            .prepare_cached(
                "INSERT INTO outbox (id, state, attempts, next_attempt_at, created_at, sealed)
                 VALUES (?1, 'pending', 0, ?2, ?2, ?3) ON CONFLICT (id) DO NOTHING",
            )?
            .execute(rusqlite::params![id, now, sealed])?;
        if inserted == 0 {
            return Err(StoreError::OutboxDuplicate(id.to_owned()));
        }
        self.audit(AUDIT_KIND, id, AuditAction::Enqueue)
    }
}

impl WriteTx<'_> {
    /// Replaces the payload of an entry not yet answered (pending or sent), in this
    /// transaction: the sync client seals an envelope's body once, just before it first
    /// leaves, and keeps the sealed form so every resend is byte-identical (a `duplicate`, not
    /// a `conflict`). Refused ([`StoreError::OutboxTransition`]) once the server answered.
    pub fn replace_outbox_payload<T: Serialize + ?Sized>(
        &mut self,
        id: &str,
        payload: &T,
    ) -> Result<(), StoreError> {
        let plain = to_json(payload)?;
        let sealed = self.keys.seal(&payload_binding(id), &plain)?;
        let changed = self
            .tx
            .prepare_cached(
                "UPDATE outbox SET sealed = ?2 WHERE id = ?1 AND state IN ('pending', 'sent')",
            )?
            .execute(rusqlite::params![id, sealed])?;
        if changed == 0 {
            return Err(StoreError::OutboxTransition {
                id: id.to_owned(),
                state: "answered or missing".to_owned(),
                action: "replace payload",
            });
        }
        Ok(())
    }
}

pub(crate) fn requeue_in_flight(conn: &Connection) -> Result<usize, StoreError> {
    Ok(conn.execute(
        "UPDATE outbox SET state = 'pending' WHERE state = 'sent'",
        [],
    )?)
}

type RawEntry = (
    i64,
    String,
    String,
    i64,
    String,
    String,
    Option<String>,
    Vec<u8>,
    Option<Vec<u8>>,
);

const ENTRY_COLUMNS: &str = "seq, id, state, attempts, next_attempt_at, created_at, \
     rejection_code, sealed, sealed_note";

fn raw_entry(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawEntry> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
    ))
}

fn decode_entry<T: DeserializeOwned>(
    keys: &Keys,
    raw: RawEntry,
) -> Result<OutboxEntry<T>, StoreError> {
    let (seq, id, state, attempts, next, created, code, sealed, sealed_note) = raw;
    let tampered = || StoreError::Tampered {
        kind: AUDIT_KIND.into(),
        id: id.clone(),
        version: 0,
    };
    let plain = keys
        .open(&payload_binding(&id), &sealed)
        .map_err(|_| tampered())?;
    let note = match sealed_note {
        Some(sealed) => {
            let plain = keys
                .open(&note_binding(&id), &sealed)
                .map_err(|_| tampered())?;
            Some(from_json::<String>(&plain)?)
        }
        None => None,
    };
    Ok(OutboxEntry {
        seq,
        state: OutboxState::parse(&state)?,
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        next_attempt_at: time_from_sql(&next)?,
        created_at: time_from_sql(&created)?,
        rejection_code: code,
        note,
        payload: from_json(&plain)?,
        id,
    })
}

impl FieldStore {
    fn outbox_query<T: DeserializeOwned>(
        &self,
        actor: PractitionerId,
        sql: &str,
        params: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<OutboxEntry<T>>, StoreError> {
        self.read(actor, |tx| {
            let raws = tx
                .tx
                .prepare_cached(sql)?
                .query_map(params, raw_entry)?
                .collect::<Result<Vec<_>, _>>()?;
            let mut out = Vec::with_capacity(raws.len());
            for raw in raws {
                let entry = decode_entry::<T>(tx.keys, raw)?;
                tx.audit(AUDIT_KIND, &entry.id, AuditAction::ReadOutbox)?;
                out.push(entry);
            }
            Ok(out)
        })
    }

    /// Pending entries whose next attempt is due now, oldest first, at most `limit`: what the
    /// sender should push next. Read on behalf of `actor` (audited).
    pub fn outbox_due<T: DeserializeOwned>(
        &self,
        actor: PractitionerId,
        limit: u32,
    ) -> Result<Vec<OutboxEntry<T>>, StoreError> {
        let now = time_to_sql(self.now()?);
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?1
             ORDER BY seq LIMIT ?2"
        );
        self.outbox_query(actor, &sql, &[&now, &limit])
    }

    /// Every entry in `state`, oldest first (e.g. the rejected ones the user must resolve).
    pub fn outbox_in_state<T: DeserializeOwned>(
        &self,
        actor: PractitionerId,
        state: OutboxState,
    ) -> Result<Vec<OutboxEntry<T>>, StoreError> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM outbox WHERE state = ?1 ORDER BY seq");
        self.outbox_query(actor, &sql, &[&state.as_str()])
    }

    /// Counts of unfinished entries (no personal data read, so not audited).
    pub fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        let conn = self.lock()?;
        let mut counts = OutboxCounts::default();
        let mut stmt = conn.prepare_cached(
            "SELECT state, COUNT(*) FROM outbox WHERE state IN ('pending', 'sent', 'rejected')
             GROUP BY state",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (state, n) = row?;
            let n = u64::try_from(n).unwrap_or(0);
            match OutboxState::parse(&state)? {
                OutboxState::Pending => counts.pending = n,
                OutboxState::Sent => counts.sent = n,
                OutboxState::Rejected => counts.rejected = n,
                _ => {}
            }
        }
        Ok(counts)
    }

    fn outbox_state(conn: &Connection, id: &str) -> Result<OutboxState, StoreError> {
        let state: Option<String> = conn
            .prepare_cached("SELECT state FROM outbox WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        match state {
            Some(state) => OutboxState::parse(&state),
            None => Err(StoreError::OutboxNotFound(id.to_owned())),
        }
    }

    fn outbox_transition(
        &self,
        id: &str,
        allowed: &[OutboxState],
        action: &'static str,
        apply: impl FnOnce(&Connection) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let state = Self::outbox_state(&tx, id)?;
        if !allowed.contains(&state) {
            return Err(StoreError::OutboxTransition {
                id: id.to_owned(),
                state: state.as_str().to_owned(),
                action,
            });
        }
        apply(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Marks pending entries as handed to the network (counts an attempt).
    pub fn outbox_mark_sent(&self, id: &str) -> Result<(), StoreError> {
        self.outbox_transition(id, &[OutboxState::Pending], "mark sent", |tx| {
            tx.execute(
                "UPDATE outbox SET state = 'sent', attempts = attempts + 1 WHERE id = ?1",
                [id],
            )?;
            Ok(())
        })
    }

    /// A transient failure (no connection, server error): back to pending, not before `at`.
    pub fn outbox_retry_later(&self, id: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.outbox_transition(
            id,
            &[OutboxState::Pending, OutboxState::Sent],
            "retry",
            |tx| {
                tx.execute(
                    "UPDATE outbox SET state = 'pending', next_attempt_at = ?2 WHERE id = ?1",
                    rusqlite::params![id, time_to_sql(at)],
                )?;
                Ok(())
            },
        )
    }

    /// Records the server's answer for one envelope. An answer for an envelope already
    /// accepted (a response delivered twice) is accepted silently; a rejection never
    /// overrides an acceptance.
    pub fn outbox_answer(&self, id: &str, answer: &OutboxAnswer) -> Result<(), StoreError> {
        let live = [OutboxState::Pending, OutboxState::Sent];
        match answer {
            OutboxAnswer::Accepted | OutboxAnswer::Duplicate => {
                let state = if *answer == OutboxAnswer::Accepted {
                    OutboxState::Accepted
                } else {
                    OutboxState::Duplicate
                };
                let now = time_to_sql(self.now()?);
                let conn = self.lock()?;
                let current = Self::outbox_state(&conn, id)?;
                drop(conn);
                if matches!(current, OutboxState::Accepted | OutboxState::Duplicate) {
                    return Ok(());
                }
                self.outbox_transition(
                    id,
                    &[
                        OutboxState::Pending,
                        OutboxState::Sent,
                        OutboxState::Rejected,
                    ],
                    "accept",
                    |tx| {
                        tx.execute(
                            "UPDATE outbox SET state = ?2, rejection_code = NULL,
                             sealed_note = NULL, confirmed = ?3, answered_at = ?4 WHERE id = ?1",
                            rusqlite::params![
                                id,
                                state.as_str(),
                                i64::from(state == OutboxState::Duplicate),
                                now
                            ],
                        )?;
                        Ok(())
                    },
                )
            }
            OutboxAnswer::Rejected { code, reason } => {
                let note = to_json(reason.as_str())?;
                let sealed = self.keys.seal(&note_binding(id), &note)?;
                self.outbox_transition(id, &live, "reject", |tx| {
                    tx.execute(
                        "UPDATE outbox SET state = 'rejected', rejection_code = ?2,
                         sealed_note = ?3 WHERE id = ?1",
                        rusqlite::params![id, code, sealed],
                    )?;
                    Ok(())
                })
            }
        }
    }

    /// The user discards a rejected (or still pending) envelope, saying why. Audited; the
    /// entry stays, marked discarded, with the reason.
    pub fn outbox_discard(
        &self,
        actor: PractitionerId,
        id: &str,
        reason: &str,
    ) -> Result<(), StoreError> {
        if crate::rules::normalise::is_blank(reason) {
            return Err(StoreError::ReasonRequired);
        }
        let note = to_json(reason)?;
        let sealed = self.keys.seal(&note_binding(id), &note)?;
        let now = self.now()?;
        self.outbox_transition(
            id,
            &[OutboxState::Rejected, OutboxState::Pending],
            "discard",
            |tx| {
                tx.execute(
                    "UPDATE outbox SET state = 'discarded', sealed_note = ?2 WHERE id = ?1",
                    rusqlite::params![id, sealed],
                )?;
                super::audit::append(tx, now, actor, AUDIT_KIND, id, AuditAction::Discard)
            },
        )
    }
}

/// Batch forms of the transitions above, for the sync client: one transaction (one fsync) per
/// pushed batch instead of one per envelope, with the same rules per entry.
impl FieldStore {
    /// Marks pending entries as handed to the network (each counts an attempt), all or none.
    pub fn outbox_mark_sent_many(&self, ids: &[&str]) -> Result<(), StoreError> {
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for id in ids {
            let state = Self::outbox_state(&tx, id)?;
            if state != OutboxState::Pending {
                return Err(StoreError::OutboxTransition {
                    id: (*id).to_owned(),
                    state: state.as_str().to_owned(),
                    action: "mark sent",
                });
            }
            tx.prepare_cached(
                "UPDATE outbox SET state = 'sent', attempts = attempts + 1 WHERE id = ?1",
            )?
            .execute([id])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Puts pending or sent entries back to pending, not before `at`, all or none. Entries
    /// already answered are left as they are (a late failure never undoes an answer).
    pub fn outbox_retry_later_many(
        &self,
        ids: &[&str],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let at = time_to_sql(at);
        for id in ids {
            tx.prepare_cached(
                "UPDATE outbox SET state = 'pending', next_attempt_at = ?2
                 WHERE id = ?1 AND state IN ('pending', 'sent')",
            )?
            .execute(rusqlite::params![id, at])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Records the server's answers for a batch in one transaction, with the rules of
    /// [`FieldStore::outbox_answer`]: an acceptance of an entry already accepted changes
    /// nothing; a rejection never overrides an acceptance (it is ignored, with a warning).
    pub fn outbox_answer_many(&self, answers: &[(&str, &OutboxAnswer)]) -> Result<(), StoreError> {
        let mut sealed_notes = Vec::with_capacity(answers.len());
        for (id, answer) in answers {
            sealed_notes.push(match answer {
                OutboxAnswer::Rejected { reason, .. } => {
                    let note = to_json(reason.as_str())?;
                    Some(self.keys.seal(&note_binding(id), &note)?)
                }
                _ => None,
            });
        }
        let now = time_to_sql(self.now()?);
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for ((id, answer), sealed) in answers.iter().zip(sealed_notes) {
            let current = Self::outbox_state(&tx, id)?;
            match answer {
                OutboxAnswer::Accepted | OutboxAnswer::Duplicate => {
                    if matches!(current, OutboxState::Accepted | OutboxState::Duplicate) {
                        continue;
                    }
                    if current == OutboxState::Discarded {
                        return Err(StoreError::OutboxTransition {
                            id: (*id).to_owned(),
                            state: current.as_str().to_owned(),
                            action: "accept",
                        });
                    }
                    let state = if **answer == OutboxAnswer::Accepted {
                        OutboxState::Accepted
                    } else {
                        OutboxState::Duplicate
                    };
                    // Accepted now: kept unconfirmed until a pull shows the server still
                    // holds it. Duplicate: the server says it holds it at this moment.
                    tx.prepare_cached(
                        "UPDATE outbox SET state = ?2, rejection_code = NULL,
                         sealed_note = NULL, confirmed = ?3, answered_at = ?4 WHERE id = ?1",
                    )?
                    .execute(rusqlite::params![
                        id,
                        state.as_str(),
                        i64::from(state == OutboxState::Duplicate),
                        now
                    ])?;
                }
                OutboxAnswer::Rejected { code, .. } => {
                    if !matches!(current, OutboxState::Pending | OutboxState::Sent) {
                        tracing::warn!(
                            envelope = %id,
                            state = current.as_str(),
                            "rejection for an entry no longer in flight ignored"
                        );
                        continue;
                    }
                    tx.prepare_cached(
                        "UPDATE outbox SET state = 'rejected', rejection_code = ?2,
                         sealed_note = ?3 WHERE id = ?1",
                    )?
                    .execute(rusqlite::params![id, code, sealed])?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }
}

/// How long an accepted envelope is kept, sealed and signed, after the server's answer, so it
/// can be sent again byte-identical if the server is restored from a backup taken before it
/// arrived (docs/sync.md, "Server restored from a backup"). A confirmed entry older than this
/// is deleted; an unconfirmed one is kept until a pull settles it.
pub const ACCEPTED_RETENTION_DAYS: i64 = 30;

/// What the sync client keeps of accepted envelopes to notice a server restored from a backup:
/// an accepted entry is "unconfirmed" until a pull returns it (the server still holds it).
impl FieldStore {
    /// Marks accepted entries among `ids` confirmed (a pull returned them); other ids are left
    /// alone. Returns the ids it changed.
    pub fn outbox_confirm_many(&self, ids: &[&str]) -> Result<Vec<String>, StoreError> {
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut changed = Vec::new();
        for id in ids {
            let n = tx
                .prepare_cached(
                    "UPDATE outbox SET confirmed = 1 WHERE id = ?1 AND confirmed = 0
                     AND state IN ('accepted', 'duplicate')",
                )?
                .execute([id])?;
            if n > 0 {
                changed.push((*id).to_owned());
            }
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Marks every entry accepted within the retention unconfirmed again: the server's data
    /// went back to an earlier copy, so each must be seen in a pull from the start again.
    /// Returns how many.
    pub fn outbox_unconfirm_recent(&self) -> Result<usize, StoreError> {
        let cutoff = time_to_sql(self.now()? - chrono::Duration::days(ACCEPTED_RETENTION_DAYS));
        let conn = self.lock()?;
        Ok(conn.execute(
            "UPDATE outbox SET confirmed = 0 WHERE state IN ('accepted', 'duplicate')
             AND answered_at IS NOT NULL AND answered_at >= ?1",
            [cutoff],
        )?)
    }

    /// Ids of accepted entries no pull has confirmed (oldest first): after a pull that reached
    /// the server's head, these are what the server no longer holds.
    pub fn outbox_unconfirmed(&self) -> Result<Vec<String>, StoreError> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM outbox WHERE confirmed = 0 AND state IN ('accepted', 'duplicate')
             ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Puts accepted entries back to pending, due at `at`, payload untouched (the sealed,
    /// signed form is sent again byte-identical). Returns how many changed.
    pub fn outbox_resend_many(&self, ids: &[&str], at: DateTime<Utc>) -> Result<usize, StoreError> {
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let at = time_to_sql(at);
        let mut n = 0;
        for id in ids {
            n += tx
                .prepare_cached(
                    "UPDATE outbox SET state = 'pending', next_attempt_at = ?2, confirmed = 0,
                     answered_at = NULL WHERE id = ?1 AND state IN ('accepted', 'duplicate')",
                )?
                .execute(rusqlite::params![id, at])?;
        }
        tx.commit()?;
        Ok(n)
    }

    /// Puts rejected entries back to pending, due at `at`, payload untouched: the sync client
    /// does so for an answer refused only because a restored server lost what it answers.
    pub fn outbox_requeue_rejected_many(
        &self,
        ids: &[&str],
        at: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let at = time_to_sql(at);
        let mut n = 0;
        for id in ids {
            n += tx
                .prepare_cached(
                    "UPDATE outbox SET state = 'pending', next_attempt_at = ?2,
                     rejection_code = NULL, sealed_note = NULL WHERE id = ?1 AND state = 'rejected'",
                )?
                .execute(rusqlite::params![id, at])?;
        }
        tx.commit()?;
        Ok(n)
    }

    /// Deletes confirmed accepted entries answered before the retention: the server held them
    /// at a pull after their answer and the retention has passed. Returns their ids.
    pub fn outbox_purge_confirmed(&self) -> Result<Vec<String>, StoreError> {
        let cutoff = time_to_sql(self.now()? - chrono::Duration::days(ACCEPTED_RETENTION_DAYS));
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let ids = tx
            .prepare_cached(
                "DELETE FROM outbox WHERE confirmed = 1 AND state IN ('accepted', 'duplicate')
                 AND answered_at IS NOT NULL AND answered_at < ?1 RETURNING id",
            )?
            .query_map([cutoff], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        tx.commit()?;
        Ok(ids)
    }
}

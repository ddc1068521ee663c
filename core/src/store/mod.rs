//! The encrypted field store: every record a practitioner captures, on the phone, in SQLite.
//!
//! Owns all SQL in core. Other modules (observations, voice notes, shares, referrals,
//! checklists, decision records, the directory copy) persist through the generic sealed-record
//! API here and never write SQL of their own:
//!
//! - [`FieldStore::write`] runs one closure in one SQLite transaction: a capture, its outbox
//!   envelope and its audit entries commit together or not at all.
//! - [`WriteTx::insert`] / [`WriteTx::amend`] / [`WriteTx::delete`] keep every version:
//!   an amendment is a new version naming the one it replaces and why; a deletion is a new
//!   version recording who deleted what and why, with the personal content of earlier
//!   versions erased.
//! - Reads ([`FieldStore::get`], [`FieldStore::history`], [`FieldStore::list`],
//!   [`FieldStore::find_by_nhs_number`]) name the practitioner reading and are audited.
//!
//! Invariants and why:
//! - Personal data is only ever stored sealed (see [`crate::crypto`]): bodies, amendment
//!   reasons, outbox envelopes, state values. Clear columns hold ULIDs, kinds, timestamps,
//!   status, severity rank and the NHS-number blind index, enough to query without decrypting.
//!   Each sealed body is bound to its kind, id, version and clear columns, so moving a blob,
//!   replaying an old version or editing a clear column is detected on read
//!   ([`StoreError::Tampered`]).
//! - The data key lives only in the [`SecretStore`]. A new key is made only for a new store;
//!   an existing store with no key is [`StoreError::KeyMissing`], never silently re-keyed.
//!   A wrong key is detected by the key-check canary before anything is written, so the file
//!   and its write-ahead log stay byte-identical ([`StoreError::KeyMismatch`]); closing that
//!   connection does not fold the log of a killed app into the file (no checkpoint on close
//!   until the key is proven).
//! - WAL mode with `synchronous=FULL`: a commit returned means the capture survives power
//!   loss; a crash leaves the last commit whole. `secure_delete` overwrites freed pages so
//!   erased content does not linger in the main file.
//! - Every read and write of personal data appends to the audit table in the same
//!   transaction, so no caller can forget it. If the audit entry cannot be written (disk
//!   full, read-only file), the read fails: fail closed rather than read unrecorded.
//! - The outbox ([`outbox`]) is persisted before anything is sent and survives restarts;
//!   entries in flight when the process died are returned to pending at open (envelopes are
//!   idempotent by id, so resending is safe).
//!
//! - No foreign call under the store's lock. The data key is fetched from the
//!   [`SecretStore`] at open, before the connection is shared, and deleted by [`FieldStore::wipe`]
//!   before the lock is taken; the [`Clock`] is read once per transaction
//!   ([`Clock::try_now`]) before the connection lock is taken. A platform callback therefore
//!   never runs while the store is locked, so a callback that fails cannot poison the lock and
//!   one that calls back into the store cannot deadlock on it. Any later platform callback
//!   (e.g. a change listener) follows the same rule: call it after the lock is released.
//! - The connection lock recovers from poisoning: if a panic unwinds while it is held, the
//!   open transaction was rolled back by its drop (or is rolled back when the lock is next
//!   taken) and the next call works on a consistent store.
//! - After [`FieldStore::wipe`] the connection is closed; a call still holding the store
//!   answers [`StoreError::Closed`].
//!
//! Not covered: an attacker who deletes whole rows (e.g. the latest version of a record)
//! is not detected; that needs a signed log and is left for later.

mod audit;
mod codec;
mod error;
pub(crate) mod kinds;
mod open_items;
pub mod outbox;
mod records;
mod schema;
mod state;

pub use audit::{AuditAction, AuditEntry};
pub use error::{Corruption, StoreError, Unreadable};
pub use kinds::{
    AcknowledgerName, ShareDirection, StoredAlertEvent, StoredEscalation, StoredRecord,
    StoredReferral, StoredShare,
};
pub(crate) use kinds::{InboundMark, StoredCall};
pub use open_items::ShowWindow;
pub use outbox::{OutboxAnswer, OutboxCounts, OutboxEntry, OutboxState, ACCEPTED_RETENTION_DAYS};
pub use records::{
    ListFilter, Record, RecordAction, RecordIndex, RecordKind, RecordVersion, WriteTx,
};

use crate::clock::{Clock, ClockError};
use crate::crypto::{DataKey, Keys};
use crate::model::PractitionerId;
use crate::secrets::SecretStore;
use chrono::{DateTime, Utc};
use rusqlite::{config::DbConfig, Connection, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// Name under which the data key is kept in the [`SecretStore`].
pub const DATA_KEY_SECRET: &str = "safeshare.store.data-key";

/// How long a writer waits for a lock held by another connection before failing.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The open, encrypted field store. Thread-safe; one connection guarded by a mutex (`None`
/// once the store was wiped).
pub struct FieldStore {
    conn: Mutex<Option<Connection>>,
    keys: Keys,
    clock: Arc<dyn Clock>,
    path: PathBuf,
}

/// SQLite's "not a database" and "corrupt" answers while opening become
/// [`StoreError::Unreadable`]; any other error (busy, I/O, full disk) stays what it was.
fn unreadable(err: StoreError) -> StoreError {
    match &err {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => match e.code {
            rusqlite::ErrorCode::NotADatabase => StoreError::Unreadable(Unreadable::NotADatabase),
            rusqlite::ErrorCode::DatabaseCorrupt => {
                StoreError::Unreadable(Unreadable::IntegrityCheck)
            }
            _ => err,
        },
        _ => err,
    }
}

impl std::fmt::Debug for FieldStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FieldStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl FieldStore {
    /// Opens (or creates) the store at `path`, with its data key from `secrets`.
    ///
    /// A new store gets a fresh random data key, saved in `secrets` before the database is
    /// created. An existing store is checked against the key before anything is written.
    pub fn open(
        path: impl AsRef<Path>,
        secrets: &dyn SecretStore,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        let mut conn = Connection::open(&path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Closing the last connection to a store in WAL mode folds the log into the database
        // file: a wrong key, turned away below, would still rewrite the store left by an app
        // that was killed. Off until the key is proven (then back to SQLite's default).
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        let version = schema::user_version(&conn).map_err(unreadable)?;
        if version > 0 {
            // A damaged store is one error with one recovery (keep the phone, call the service
            // desk), found here before anything is written, not as a "storage" fault at some
            // later read. `quick_check` reads every page once and writes nothing.
            schema::quick_check(&conn).map_err(unreadable)?;
        }
        let data_key = match (secrets.get(DATA_KEY_SECRET)?, version) {
            (Some(bytes), _) => DataKey::from_bytes(&bytes).map_err(|_| StoreError::KeyMismatch)?,
            (None, 0) => {
                let key = DataKey::generate()?;
                secrets.put(DATA_KEY_SECRET, key.as_bytes())?;
                key
            }
            (None, _) => return Err(StoreError::KeyMissing),
        };
        let keys = Keys::derive(&data_key)?;
        if version > 0 {
            schema::verify_key(&conn, &keys)?;
        }
        // Only now, with the key proven, may anything be written.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrate_to(&mut conn, &keys, schema::latest_version())?;
        let requeued = outbox::requeue_in_flight(&conn)?;
        if requeued > 0 {
            tracing::info!(
                requeued,
                "outbox entries in flight at last shutdown returned to pending"
            );
        }
        Ok(Self {
            conn: Mutex::new(Some(conn)),
            keys,
            clock,
            path,
        })
    }

    /// The database file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `work` in one transaction on behalf of `actor`: everything it writes (records,
    /// outbox entries, state, audit entries) commits together, or nothing does if it returns
    /// an error. The transaction's instant is read from the clock before the lock is taken;
    /// a failing clock is [`StoreError::Clock`] with nothing written.
    pub fn write<R, E>(
        &self,
        actor: PractitionerId,
        work: impl FnOnce(&mut WriteTx<'_>) -> Result<R, E>,
    ) -> Result<R, E>
    where
        E: From<StoreError>,
    {
        let now = self.now()?;
        self.write_at(actor, now, work)
    }

    /// [`FieldStore::write`] at an instant the caller already read from the clock (so a caller
    /// holding a lock of its own need not call the clock under it).
    pub fn write_at<R, E>(
        &self,
        actor: PractitionerId,
        now: DateTime<Utc>,
        work: impl FnOnce(&mut WriteTx<'_>) -> Result<R, E>,
    ) -> Result<R, E>
    where
        E: From<StoreError>,
    {
        let mut conn = self.lock()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let mut write = WriteTx::new(&tx, &self.keys, actor, now);
        let result = work(&mut write)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(result)
    }

    /// The store clock's instant, read through the fallible path (never under the lock).
    pub(crate) fn now(&self) -> Result<DateTime<Utc>, StoreError> {
        Ok(self.clock.try_now()?)
    }

    /// Erases the store: deletes the data key first (so whatever survives on disk is
    /// unreadable), then closes the connection and deletes the database and its WAL and
    /// shared-memory files. Used when the device is revoked. The key is deleted before the
    /// connection lock is taken (no platform call under the lock). If the keystore fails, the
    /// files are still erased and the keystore's error returned, so the caller can retry the
    /// key's deletion ([`FieldStore::wipe_files`] erases what is left).
    pub fn wipe(&self, secrets: &dyn SecretStore) -> Result<(), StoreError> {
        let key_deleted = secrets.delete(DATA_KEY_SECRET);
        let conn = self.take_connection();
        if let Some(conn) = conn {
            conn.close().map_err(|(_, err)| StoreError::Sqlite(err))?;
        }
        Self::remove_files(&self.path)?;
        key_deleted?;
        tracing::warn!("field store wiped");
        Ok(())
    }

    /// Erases a store that is not (or cannot be) open, e.g. one whose key no longer matches:
    /// deletes the data key, then the database, WAL, shared-memory and journal files.
    /// Erasing what is already gone is not an error.
    pub fn wipe_files(path: impl AsRef<Path>, secrets: &dyn SecretStore) -> Result<(), StoreError> {
        secrets.delete(DATA_KEY_SECRET)?;
        Self::remove_files(path.as_ref())?;
        tracing::warn!("field store wiped");
        Ok(())
    }

    /// Deletes the database, WAL, shared-memory and journal files; what is gone already is
    /// not an error.
    fn remove_files(path: &Path) -> Result<(), StoreError> {
        for file in [
            path.to_path_buf(),
            sidecar(path, "-wal"),
            sidecar(path, "-shm"),
            sidecar(path, "-journal"),
        ] {
            match std::fs::remove_file(&file) {
                Ok(()) => {}
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => return Err(StoreError::Io(err)),
            }
        }
        Ok(())
    }

    /// Whether the store holds any record or outbox entry (state and audit aside): false on a
    /// fresh install, so enrolment may still settle whose store this is.
    pub fn holds_records(&self) -> Result<bool, StoreError> {
        let conn = self.lock()?;
        let held: bool = conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM records) OR EXISTS(SELECT 1 FROM outbox)",
            [],
            |row| row.get(0),
        )?;
        Ok(held)
    }

    /// The connection, locked. A lock poisoned by a panic is recovered: the panicking
    /// transaction was rolled back when it was dropped during unwinding; if one is somehow
    /// still open it is rolled back here, so the next call starts on the last commit.
    fn lock(&self) -> Result<ConnGuard<'_>, StoreError> {
        let mut guard = self.locked_slot();
        match guard.as_mut() {
            Some(_) => Ok(ConnGuard(guard)),
            None => Err(StoreError::Closed),
        }
    }

    /// The connection slot, locked, with poisoning recovered (see [`FieldStore::lock`]).
    fn locked_slot(&self) -> MutexGuard<'_, Option<Connection>> {
        match self.conn.lock() {
            Ok(guard) => guard,
            Err(poisoned) => {
                let mut guard = poisoned.into_inner();
                self.conn.clear_poison();
                if let Some(conn) = guard.as_mut() {
                    if !conn.is_autocommit() {
                        if let Err(err) = conn.execute_batch("ROLLBACK") {
                            tracing::error!(error = %err, "rollback after a panic failed");
                        }
                    }
                }
                tracing::warn!("store lock recovered after a panic; the store is consistent");
                guard
            }
        }
    }

    /// Takes the connection out of the store (it is closed by the caller); later calls answer
    /// [`StoreError::Closed`].
    fn take_connection(&self) -> Option<Connection> {
        self.locked_slot().take()
    }

    /// Runs a read on behalf of `actor` in one transaction together with its audit entries.
    fn read<R>(
        &self,
        actor: PractitionerId,
        work: impl FnOnce(&mut WriteTx<'_>) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        self.write(actor, work)
    }
}

/// The locked connection of an open store (the slot is known to hold one).
struct ConnGuard<'a>(MutexGuard<'a, Option<Connection>>);

impl std::ops::Deref for ConnGuard<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        match self.0.as_ref() {
            Some(conn) => conn,
            // `lock` only builds a guard over a slot holding a connection, and the slot is
            // emptied only through the mutex this guard holds.
            None => unreachable!("ConnGuard over an empty slot"),
        }
    }
}

impl std::ops::DerefMut for ConnGuard<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        match self.0.as_mut() {
            Some(conn) => conn,
            None => unreachable!("ConnGuard over an empty slot"),
        }
    }
}

impl From<ClockError> for StoreError {
    fn from(err: ClockError) -> Self {
        StoreError::Clock(err)
    }
}

/// `path` with `suffix` appended to its file name (`store.db` -> `store.db-wal`).
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

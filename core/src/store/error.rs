//! The store's one error type, with the typed causes it carries: [`Corruption`] (which stored
//! value could not be read back) and [`JsonFault`] (where a body failed to encode or decode).
//!
//! Variants name what went wrong for the user or operator; none carries personal data (only
//! kinds, ULIDs, versions and SQLite's own messages, which never include bound values). A
//! cause whose own text could quote personal data is reduced to a safe typed form when it is
//! caught, not when it is printed: `serde_json::Error` can quote the value it failed on, which
//! for a decrypted body is record text, so it is never kept, even as a source (its `Debug`
//! would print it too); [`JsonFault`] keeps its category and position only.

use crate::crypto::CryptoError;
use crate::json_fault::JsonFault;
use crate::secrets::SecretStoreError;

/// What went wrong opening, reading or writing the field store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data key in the secret store is not the key this database was created with. The
    /// database was not modified.
    #[error("the data key does not open this store (wrong key); the store was not modified")]
    KeyMismatch,
    /// The file at the store's path cannot be opened as this store: it is not a SQLite
    /// database, or the database fails SQLite's integrity check. Raised only by
    /// [`super::FieldStore::open`], before anything is written, so the file is left as it was
    /// (a damaged store is kept for recovery, never rebuilt over).
    #[error("the store file cannot be opened: {0}")]
    Unreadable(Unreadable),
    /// The database exists but the secret store holds no data key (e.g. the keystore was
    /// cleared). A new key is never made over an existing store.
    #[error("the data key for this store is missing from the secret store")]
    KeyMissing,
    /// A sealed value failed authentication or is malformed: altered bytes, or a blob moved
    /// from another row or version.
    #[error("{kind} {id} version {version} failed its integrity check (tampered or moved)")]
    Tampered {
        /// Record kind (or table) of the value.
        kind: String,
        /// Entity id.
        id: String,
        /// Version checked.
        version: u64,
    },
    /// The database structure is not what this build expects (e.g. the key check is gone), or
    /// a stored clear column does not hold what its writer puts there.
    #[error("store is corrupt: {0}")]
    Corrupt(#[from] Corruption),
    /// The database was written by a newer build.
    #[error("store schema {found} is newer than this build supports ({supported})")]
    SchemaTooNew {
        /// `user_version` found in the file.
        found: i64,
        /// Latest migration this build knows.
        supported: i64,
    },
    /// No record of that kind and id.
    #[error("{kind} {id} not found")]
    NotFound {
        /// Record kind.
        kind: String,
        /// Entity id.
        id: String,
    },
    /// The record was deleted; its history shows who deleted it, when and why.
    #[error("{kind} {id} was deleted")]
    Deleted {
        /// Record kind.
        kind: String,
        /// Entity id.
        id: String,
    },
    /// A record with that kind and id already exists.
    #[error("{kind} {id} already exists")]
    AlreadyExists {
        /// Record kind.
        kind: String,
        /// Entity id.
        id: String,
    },
    /// An amendment was based on a version that is no longer the latest.
    #[error("{kind} {id}: amendment based on version {expected}, latest is {actual}")]
    VersionConflict {
        /// Record kind.
        kind: String,
        /// Entity id.
        id: String,
        /// Version the caller amended.
        expected: u64,
        /// Latest version in the store.
        actual: u64,
    },
    /// Amendments, deletions and discards must say why.
    #[error("a reason is required")]
    ReasonRequired,
    /// No outbox entry with that id.
    #[error("outbox entry {0} not found")]
    OutboxNotFound(String),
    /// An outbox entry with that id was already queued.
    #[error("outbox entry {0} already queued")]
    OutboxDuplicate(String),
    /// The outbox entry is not in a state that allows this change.
    #[error("outbox entry {id} is {state}; cannot {action}")]
    OutboxTransition {
        /// Envelope id.
        id: String,
        /// Current state.
        state: String,
        /// Attempted change.
        action: &'static str,
    },
    /// A body could not be serialised or deserialised (e.g. a read with the wrong type). The
    /// fault is the error's category and position only, never the data.
    #[error("record body could not be encoded or decoded: {0}")]
    Codec(#[from] JsonFault),
    /// SQLite failed (full disk, read-only file, not a database, ...).
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The platform secret store failed.
    #[error(transparent)]
    SecretStore(#[from] SecretStoreError),
    /// Random number generation or key derivation failed.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// A file operation (wipe) failed.
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    /// A previous panic while holding the connection left it unusable for this process.
    /// (No longer produced: the lock recovers from poisoning; kept so matches stay stable.)
    #[error("store connection poisoned by an earlier panic")]
    Poisoned,
    /// The platform clock failed; nothing was written.
    #[error(transparent)]
    Clock(crate::clock::ClockError),
    /// The store was wiped (device revoked) while this call held it; nothing was done.
    #[error("the store was closed (wiped)")]
    Closed,
}

/// Why the store's file could not be opened at all (see [`StoreError::Unreadable`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Unreadable {
    /// SQLite does not recognise the file as a database.
    #[error("the file is not a database")]
    NotADatabase,
    /// SQLite reports the database's structure damaged (a failed `quick_check`, or a
    /// corrupt page met while opening).
    #[error("the database failed its integrity check")]
    IntegrityCheck,
}

/// Which stored value could not be read back. Each names a column or structure, never its
/// content: what was found there is not kept (it may be a sealed blob or an id of a person).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Corruption {
    /// The sealed key check row is gone, so the data key cannot be verified.
    #[error("key check is missing")]
    KeyCheckMissing,
    /// A timestamp column is not the RFC 3339 text the store writes.
    #[error("timestamp column is not RFC 3339")]
    Timestamp(#[source] chrono::ParseError),
    /// A severity rank outside the ranks the store writes.
    #[error("unknown severity rank")]
    SeverityRank,
    /// A record history row names an action this build does not know.
    #[error("unknown record action")]
    RecordAction,
    /// An audit row names an action this build does not know.
    #[error("unknown audit action")]
    AuditAction,
    /// An outbox row is in a state this build does not know.
    #[error("unknown outbox state")]
    OutboxState,
    /// An id column of a record's clear index does not parse as a ULID.
    #[error("index id is not a ULID")]
    IndexId,
    /// A record version's author column does not parse as an id.
    #[error("author is not an id")]
    Author,
    /// An audit row's actor column does not parse as an id.
    #[error("audit actor is not an id")]
    AuditActor,
    /// An open item's person column does not parse as a person id.
    #[error("open item is not a person id")]
    OpenItemPerson,
    /// A stored version number does not fit the version type.
    #[error("version overflow")]
    VersionOverflow,
}

impl From<serde_json::Error> for StoreError {
    fn from(err: serde_json::Error) -> Self {
        StoreError::Codec(JsonFault::from(err))
    }
}

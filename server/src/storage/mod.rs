//! Storage: one trait, two implementations (SQLite embedded, PostgreSQL in production).
//!
//! The trait is deliberately narrow: it stores and finds; every decision about what a device
//! may push or see is made once, above it, in [`crate::push`] and [`crate::auth`]. Both
//! implementations pass the one conformance suite in `server/tests/conformance.rs`.
//!
//! Invariants every implementation keeps:
//! - A push batch is one transaction: every accepted envelope of it is stored, with its
//!   audience rows, or none is. An envelope id is stored at most once; re-sending the same
//!   content answers `Duplicate`, different content answers `Conflict` and changes nothing.
//! - Sequence numbers increase in commit order, region-wide, so a device that pulls after
//!   cursor N never misses an envelope committed later with a lower number.
//! - An enrolment code is redeemed at most once and never after it expires. The rules (and a
//!   directory's monotonic version) are decided once in [`crate::rules`]; a backend reads the
//!   row the rule needs inside its writing transaction and asks it, so the check is atomic.
//! - A nonce is accepted at most once per device while it is remembered (see
//!   [`NONCE_RETENTION_MS`]).

pub mod postgres;
pub mod sqlite;

use chrono::{DateTime, Utc};
use safeshare_core::crypto::envelope_seal::EncryptionPublicKey;
use safeshare_core::model::{DeviceId, PractitionerId, Severity, TeamId};
use safeshare_core::sync::{
    ContentHash, DevicePublicKey, DirectoryVersion, Envelope, EnvelopeKind, RosterDevice,
    SignedRoster, MAX_CLOCK_SKEW_SECS,
};
use std::collections::HashSet;
use std::future::Future;
use ulid::Ulid;

/// How long nonces are remembered. A request is fresh for ±[`MAX_CLOCK_SKEW_SECS`] around its
/// timestamp, so a nonce first seen at server time T (T ≥ timestamp − skew) can be replayed
/// only until timestamp + skew ≤ T + 2 × skew; this keeps it 2 × skew plus 5 minutes' margin.
/// Derived from the skew, so widening the window can never outrun the memory of nonces.
pub const NONCE_RETENTION_MS: i64 = (2 * MAX_CLOCK_SKEW_SECS + 5 * 60) * 1000;

const _: () = assert!(NONCE_RETENTION_MS >= 2 * MAX_CLOCK_SKEW_SECS * 1000);

/// Nonces first seen before this instant can be forgotten.
pub fn nonce_cutoff(now: DateTime<Utc>) -> DateTime<Utc> {
    now - chrono::Duration::milliseconds(NONCE_RETENTION_MS)
}

/// A driver fault: the database, its pool, its schema or its files failed. Logged and answered
/// 500/503; never a rule saying no (those are their own types: [`EnrolmentRefusal`],
/// [`StaleDirectory`], [`UnknownTeam`], [`UnknownDevice`], [`UnknownPosition`],
/// [`KeyRegistration`], [`CodeRevocation`]), so a method that can refuse answers
/// `Result<Result<T, Refusal>, StoreError>`: the outer error is the driver's, the inner the
/// domain's, and a handler cannot answer one as the other. Messages carry no personal data
/// (bodies are never decoded).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL reported an error.
    #[error("postgres: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// No PostgreSQL connection could be had from the pool (all busy past the wait, or the
    /// database unreachable).
    #[error("postgres pool: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    /// The PostgreSQL pool could not be built.
    #[error("postgres pool: {0}")]
    PoolBuild(#[from] deadpool_postgres::BuildError),
    /// The database URL or options are unusable.
    #[error("storage configuration: {0}")]
    Config(#[from] ConfigFault),
    /// The data directory could not be created or opened.
    #[error("data directory: {0}")]
    Io(#[from] std::io::Error),
    /// The SQLite worker thread is gone (server shutting down).
    #[error("the storage worker has stopped")]
    WorkerGone,
    /// A stored row could not be read back (schema drift or corruption).
    #[error("stored row unreadable: {0}")]
    Corrupt(#[from] CorruptRow),
    /// The roster's next version could not be signed with the region key.
    #[error("roster could not be signed: {0}")]
    RosterUnsignable(#[source] safeshare_core::sync::RosterError),
    /// Two attempts to append the roster's next version both lost to concurrent requests.
    #[error("roster version raced twice")]
    RosterRaced,
    /// The database schema is newer than this build understands.
    #[error("database schema version {found} is newer than this server ({supported})")]
    SchemaTooNew {
        /// Version found in the database.
        found: i64,
        /// Highest version this build knows.
        supported: i64,
    },
}

/// Which stored value could not be read back: a column or structure, never what was found in it
/// (a key, a document, an id), so the message is safe to log whatever the row held.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CorruptRow {
    /// Stored milliseconds outside the range of an instant.
    #[error("instant {0}")]
    Instant(i64),
    /// A severity name this build does not know.
    #[error("severity")]
    Severity,
    /// An envelope kind name this build does not know.
    #[error("kind")]
    Kind,
    /// An id column (of what) that does not parse.
    #[error("{0} id")]
    Id(&'static str),
    /// A device's stored Ed25519 public key.
    #[error("device public key")]
    DevicePublicKey,
    /// A device's stored X25519 encryption key.
    #[error("device encryption key")]
    EncryptionKey,
    /// A sequence number outside `u64`.
    #[error("seq")]
    Seq,
    /// A directory version outside `u64`.
    #[error("directory version too large")]
    DirectoryVersion,
    /// A stored directory document that no longer parses.
    #[error("directory document: {0}")]
    DirectoryDocument(#[source] safeshare_core::json_fault::JsonFault),
    /// The device row written in this transaction could not be read back.
    #[error("device vanished")]
    DeviceVanished,
    /// An audit row id outside `u64`.
    #[error("audit id")]
    AuditId,
    /// A roster version outside `u64`.
    #[error("roster version too large")]
    RosterVersion,
    /// The latest stored roster body that no longer parses.
    #[error("stored roster: {0}")]
    StoredRoster(#[source] safeshare_core::json_fault::JsonFault),
    /// The envelope row inserted in this transaction could not be read back.
    #[error("inserted envelope missing")]
    InsertedEnvelopeMissing,
    /// A batch item's outcome was not recorded.
    #[error("envelope outcome missing")]
    EnvelopeOutcomeMissing,
    /// A batch item's outcome has no sequence number.
    #[error("envelope seq missing")]
    EnvelopeSeqMissing,
    /// A console session's CSRF key that is not hex.
    #[error("console session csrf key")]
    CsrfKey,
}

/// What is wrong with the database configuration given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigFault {
    /// The PostgreSQL URL does not parse. The parser's message is not kept: it can quote the
    /// URL, which may carry a password.
    #[error("unreadable PostgreSQL URL")]
    UnreadableUrl,
    /// A schema name that is not lower-case letters, digits and `_`.
    #[error("bad schema name {0:?}")]
    SchemaName(String),
}

/// A directory version not newer than the one stored (versions only go up; the rule is
/// [`crate::rules::publishable`]): a refusal, not a fault — nothing was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the file's directory version {offered} is not newer than the version already stored ({latest}); nothing was imported. To publish it, set \"version\" in the file's first line above {latest}")]
pub struct StaleDirectory {
    /// The version offered.
    pub offered: u64,
    /// The latest version stored.
    pub latest: u64,
}

/// A team named that is not in the region's directory (checked by
/// [`crate::rules::check_teams_known`]): a refusal, not a fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("team {0} is not in the region's directory")]
pub struct UnknownTeam(pub TeamId);

/// No device with this id was ever enrolled in the region: a refusal (a request or an admin
/// named a device the server does not know), not a fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("device {0} is not enrolled in this region")]
pub struct UnknownDevice(pub DeviceId);

impl UnknownDevice {
    /// `Ok` when the backend found `device`'s row, else the refusal naming it.
    pub(crate) fn unless_found(found: bool, device: DeviceId) -> Result<(), UnknownDevice> {
        if found {
            Ok(())
        } else {
            Err(UnknownDevice(device))
        }
    }
}

/// A pull named a position (a sequence number and the envelope id stored there) that this
/// server does not hold: its data was restored from a backup or numbered again since. A
/// refusal (the device starts over from 0), not a fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("no envelope with that id is held at sequence {seq}")]
pub struct UnknownPosition {
    /// The sequence number named.
    pub seq: u64,
}

/// Milliseconds since the Unix epoch: how every instant is stored.
pub fn to_ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// Reads stored milliseconds back.
pub fn from_ms(ms: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| StoreError::Corrupt(CorruptRow::Instant(ms)))
}

/// A team as the directory names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRecord {
    /// Team id.
    pub id: TeamId,
    /// Display name (an organisational name, not personal data).
    pub name: String,
}

/// An enrolled device and what its practitioner may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRecord {
    /// Device id.
    pub id: DeviceId,
    /// The practitioner it belongs to.
    pub practitioner: PractitionerId,
    /// The practitioner's teams.
    pub teams: Vec<TeamId>,
    /// Its Ed25519 public key.
    pub public_key: DevicePublicKey,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it was retired (handed back), if it was: it may still push, then is told to wipe.
    pub retired_at: Option<DateTime<Utc>>,
}

/// What registering a device's encryption key did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRegistration {
    /// The key is the device's (newly, or it already was).
    Registered,
    /// No such device.
    NoSuchDevice,
    /// Another device holds, or held, this key; nothing changed.
    HeldByAnotherDevice,
}

/// Why a code could not be redeemed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnrolmentRefusal {
    /// No such code.
    Unknown,
    /// Already redeemed.
    Used,
    /// Past its expiry.
    Expired,
    /// Revoked by an admin.
    Revoked,
}

/// A new enrolment code to store (only its hash is kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEnrolmentCode {
    /// SHA-256 of the normalised code, hex.
    pub code_hash: String,
    /// The practitioner the enrolled device will belong to.
    pub practitioner: PractitionerId,
    /// The teams the practitioner joins on redemption.
    pub teams: Vec<TeamId>,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// The name the admin lists and revokes it by (never the code or its hash).
    pub code_id: Ulid,
    /// Who issued it.
    pub origin: CodeOrigin,
}

/// Who issued an enrolment code: an admin, or `serve --demo` (whose earlier unused codes are
/// revoked at each start so restarts do not pile up valid codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeOrigin {
    /// An admin command or the console.
    Admin,
    /// `serve --demo`.
    Demo,
}

impl CodeOrigin {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeOrigin::Admin => "admin",
            CodeOrigin::Demo => "demo",
        }
    }
}

/// An enrolment code as the admin lists it: ids and instants, never the code or its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRecord {
    /// The code's id (printed at issue).
    pub code_id: String,
    /// The practitioner the enrolled device will belong to.
    pub practitioner: PractitionerId,
    /// The teams the practitioner joins on redemption.
    pub teams: Vec<TeamId>,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was redeemed, if it was.
    pub used_at: Option<DateTime<Utc>>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
    /// `"admin"` or `"demo"`.
    pub origin: String,
}

impl CodeRecord {
    /// `"used"`, `"revoked"`, `"expired"` or `"active"` at `now`.
    pub fn status(&self, now: DateTime<Utc>) -> &'static str {
        if self.used_at.is_some() {
            "used"
        } else if self.revoked_at.is_some() {
            "revoked"
        } else if now >= self.expires_at {
            "expired"
        } else {
            "active"
        }
    }
}

/// What revoking a code did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRevocation {
    /// Revoked now: it can no longer be redeemed.
    Revoked,
    /// No code has this id.
    Unknown,
    /// Already redeemed: revoke the device instead.
    AlreadyUsed,
    /// Already revoked (the first time stands).
    AlreadyRevoked,
}

/// An admin action recorded in the audit table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminAction {
    /// An enrolment code was issued (target: code id).
    CodeIssued,
    /// An enrolment code was revoked (target: code id).
    CodeRevoked,
    /// A device was revoked (target: device id).
    DeviceRevoked,
    /// A device was retired: handed back, it may push its outbox, then wipes (target: device
    /// id).
    DeviceRetired,
    /// A directory version was imported (target: the version number).
    DirectoryImported,
    /// Someone signed in to the web console (target: the session's roles).
    ConsoleSignIn,
    /// A console sign-in was refused (target: why — `unknown`, `used`, `expired`, `no role`...).
    ConsoleSignInRefused,
    /// A console session was signed out (target: empty).
    ConsoleSignOut,
    /// A console POST failed its CSRF check and did nothing (target: the form, or empty).
    ConsoleCsrfRefused,
    /// A directory file passed the console's check and awaits publishing (target: its version).
    DirectoryChecked,
    /// A directory file was refused by the console's check (target: how many problems).
    DirectoryImportRefused,
    /// A signed-in console user tried an action their roles do not include; nothing was done
    /// (target: the action, e.g. `devices/revoke`).
    ConsoleActionForbidden,
    /// A one-time console sign-in link was made by the CLI or `serve --demo` (target: the
    /// actor name the link signs in as, `link:<hash prefix>`, then its roles).
    ConsoleLinkIssued,
}

impl AdminAction {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            AdminAction::CodeIssued => "code_issued",
            AdminAction::CodeRevoked => "code_revoked",
            AdminAction::DeviceRevoked => "device_revoked",
            AdminAction::DeviceRetired => "device_retired",
            AdminAction::DirectoryImported => "directory_imported",
            AdminAction::ConsoleSignIn => "console_sign_in",
            AdminAction::ConsoleSignInRefused => "console_sign_in_refused",
            AdminAction::ConsoleSignOut => "console_sign_out",
            AdminAction::ConsoleCsrfRefused => "console_csrf_refused",
            AdminAction::DirectoryChecked => "directory_checked",
            AdminAction::DirectoryImportRefused => "directory_import_refused",
            AdminAction::ConsoleLinkIssued => "console_link_issued",
            AdminAction::ConsoleActionForbidden => "console_action_forbidden",
        }
    }
}

/// One audit row. Target and actor are ids or role names, never personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Increasing row id.
    pub id: u64,
    /// When.
    pub at: DateTime<Utc>,
    /// [`AdminAction::as_str`].
    pub action: String,
    /// The code id, device id or directory version acted on.
    pub target: String,
    /// Who acted: `"cli"` for the admin command line, or the console's admin id.
    pub actor: String,
}

/// An envelope that passed validation, ready to store.
#[derive(Debug, Clone)]
pub struct NewEnvelope {
    /// The parsed envelope.
    pub envelope: Envelope,
    /// Its content hash.
    pub hash: ContentHash,
    /// Its canonical JSON (what pulls return).
    pub json: String,
}

impl NewEnvelope {
    /// Prepares an envelope for storage (canonical JSON and hash).
    pub fn new(envelope: Envelope) -> Result<Self, serde_json::Error> {
        let hash = envelope.content_hash()?;
        let json = envelope.canonical_json()?;
        Ok(Self {
            envelope,
            hash,
            json,
        })
    }
}

/// What storage did with one envelope of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredOutcome {
    /// Stored at this sequence.
    Accepted(u64),
    /// Already stored with the same content at this sequence.
    Duplicate(u64),
    /// Already stored with different content at this sequence; nothing changed.
    Conflict(u64),
    /// Its entity belongs to another author or another kind; nothing stored. Carries no
    /// sequence, so it reveals nothing about the other envelope.
    NotOwned,
    /// Its id is taken by another author's envelope; nothing stored. Answered without the
    /// sequence and without saying whether the content matched, so it is no oracle on the
    /// other envelope.
    IdUnavailable,
}

/// An envelope as stored, for pulls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEnvelope {
    /// Region sequence.
    pub seq: u64,
    /// Canonical JSON of the envelope.
    pub json: String,
}

/// A share without acknowledgement, or a referral without decision, past its due time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueItem {
    /// `Share` or `Referral`.
    pub kind: EnvelopeKind,
    /// The share or referral entity.
    pub entity_id: Ulid,
    /// Who sent it.
    pub author: PractitionerId,
    /// The teams it was addressed to.
    pub audience: Vec<TeamId>,
    /// The earliest due time among its versions (the safer reading when an amendment moved it).
    pub due_at: DateTime<Utc>,
    /// The highest severity among its versions.
    pub severity: Option<Severity>,
}

/// The storage every backend provides. All methods are async; SQLite runs them on its own
/// threads, PostgreSQL on the pool.
pub trait Store: Send + Sync + 'static {
    /// `"sqlite"` or `"postgres"`.
    fn backend(&self) -> &'static str;

    /// A cheap round trip to the database.
    fn ping(&self) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Stores directory `version` with its teams and returns it, if [`crate::rules::publishable`]
    /// over the latest stored version read in the same transaction (else [`StaleDirectory`] and
    /// nothing changes); teams are upserted, never deleted, so envelopes already addressed to a
    /// team stay routable.
    fn import_directory(
        &self,
        version: u64,
        document: serde_json::Value,
        teams: Vec<TeamRecord>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Result<DirectoryVersion, StaleDirectory>, StoreError>> + Send;

    /// The latest directory version, if any was imported.
    fn latest_directory(
        &self,
    ) -> impl Future<Output = Result<Option<DirectoryVersion>, StoreError>> + Send;

    /// Which of `teams` the region knows.
    fn known_teams(
        &self,
        teams: Vec<TeamId>,
    ) -> impl Future<Output = Result<HashSet<TeamId>, StoreError>> + Send;

    /// Stores an enrolment code. Its teams were checked known above
    /// ([`crate::rules::check_teams_known`]).
    fn issue_enrolment_code(
        &self,
        code: NewEnrolmentCode,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Redeems a code for a new device, atomically: the code's row is read in the transaction
    /// that writes, [`crate::rules::redeemable`] decides, and then the code is marked used, the
    /// device stored and the practitioner joined to the code's teams — or nothing changes.
    fn redeem_enrolment_code(
        &self,
        code_hash: String,
        device: DeviceId,
        public_key: DevicePublicKey,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Result<DeviceRecord, EnrolmentRefusal>, StoreError>> + Send;

    /// The device, with its practitioner's current teams; [`UnknownDevice`] if none has this id.
    fn device(
        &self,
        device: DeviceId,
    ) -> impl Future<Output = Result<Result<DeviceRecord, UnknownDevice>, StoreError>> + Send;

    /// Revokes a device; [`UnknownDevice`] if none has this id. Revoking twice keeps the first
    /// time.
    fn revoke_device(
        &self,
        device: DeviceId,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Result<(), UnknownDevice>, StoreError>> + Send;

    /// Retires a device (handed back); [`UnknownDevice`] if none has this id. Retiring twice
    /// keeps the first time; a revoked device stays revoked and is not also retired
    /// (revocation is the stronger answer).
    fn retire_device(
        &self,
        device: DeviceId,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Result<(), UnknownDevice>, StoreError>> + Send;

    /// Remembers a nonce; false if this device already used it (a replay).
    fn consume_nonce(
        &self,
        device: DeviceId,
        nonce: String,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Forgets nonces first seen before `before`; returns how many.
    fn prune_nonces(
        &self,
        before: DateTime<Utc>,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// The kind of `entity` when it has a stored envelope authored by `practitioner` or
    /// addressed to one of `teams`; `None` when it is unknown or not visible to them. (Entity
    /// ownership fixes one kind per entity, so every visible envelope of it has this kind.)
    fn visible_entity_kind(
        &self,
        entity: Ulid,
        teams: Vec<TeamId>,
        practitioner: PractitionerId,
    ) -> impl Future<Output = Result<Option<EnvelopeKind>, StoreError>> + Send;

    /// Stores a batch in one transaction; one outcome per item, in order.
    fn push(
        &self,
        items: Vec<NewEnvelope>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<StoredOutcome>, StoreError>> + Send;

    /// Envelopes after `after` that are addressed to one of `teams`, authored by
    /// `practitioner`, or answer an entity `practitioner` authored (so an acknowledgement
    /// always reaches the sender), in sequence order, at most `limit`.
    fn pull(
        &self,
        teams: Vec<TeamId>,
        practitioner: PractitionerId,
        after: u64,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<StoredEnvelope>, StoreError>> + Send;

    /// Shares without acknowledgement and referrals without decision whose due time is at or
    /// before `now` (due exactly now counts: the louder reading), earliest due first.
    fn overdue(
        &self,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<OverdueItem>, StoreError>> + Send;

    /// How many envelopes are stored (operators and tests: "nothing stored").
    fn envelope_count(&self) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// `Ok` when envelope `id` is stored at sequence `seq`: a pull naming that position is
    /// answered from there; otherwise ([`UnknownPosition`]) the data was restored from a backup
    /// (or numbered again since) and the device must start over (`unknown_position`).
    fn holds_at(
        &self,
        seq: u64,
        id: String,
    ) -> impl Future<Output = Result<Result<(), UnknownPosition>, StoreError>> + Send;

    /// Every team of the region's directory, by name then id.
    fn list_teams(&self) -> impl Future<Output = Result<Vec<TeamRecord>, StoreError>> + Send;

    /// Every enrolment code, newest first.
    fn list_codes(&self) -> impl Future<Output = Result<Vec<CodeRecord>, StoreError>> + Send;

    /// Revokes an unused code so it can no longer be redeemed: the code's row is read in the
    /// transaction that writes and [`crate::rules::revocation`] decides the outcome.
    fn revoke_code(
        &self,
        code_id: String,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<CodeRevocation, StoreError>> + Send;

    /// Revokes every code of `origin` still open ([`crate::rules::open_at`]: unused, unrevoked,
    /// before its expiry instant); returns their ids in id order.
    fn revoke_open_codes(
        &self,
        origin: CodeOrigin,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<String>, StoreError>> + Send;

    /// Appends one row to the admin audit table.
    fn append_admin_audit(
        &self,
        action: AdminAction,
        target: String,
        actor: String,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The latest `limit` audit rows, newest first.
    fn list_admin_audit(
        &self,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<AuditEntry>, StoreError>> + Send;

    /// When `device` registered encryption keys after `since` (not at it), oldest first: what the key
    /// route counts against its per-device limit (`crate::roster`).
    fn key_registrations_since(
        &self,
        device: DeviceId,
        since: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<DateTime<Utc>>, StoreError>> + Send;

    /// Registers `public_key` as `device`'s current X25519 encryption key (a rotation when it
    /// had one). Re-registering a key it already had changes nothing. A key is registered to
    /// one device ever (a unique index backs the check): one another device holds, or held, is
    /// refused, so a roster never lists one key for two devices.
    fn register_encryption_key(
        &self,
        device: DeviceId,
        public_key: EncryptionPublicKey,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<KeyRegistration, StoreError>> + Send;

    /// Every device ever enrolled as a roster lists it (current teams, current encryption
    /// key, revocation), in device-id order.
    fn roster_devices(&self) -> impl Future<Output = Result<Vec<RosterDevice>, StoreError>> + Send;

    /// The signed roster versions after `after`, oldest first.
    fn rosters_after(
        &self,
        after: u64,
    ) -> impl Future<Output = Result<Vec<SignedRoster>, StoreError>> + Send;

    /// The latest signed roster version, if any.
    fn latest_roster(
        &self,
    ) -> impl Future<Output = Result<Option<SignedRoster>, StoreError>> + Send;

    /// Appends roster `version` (append only); false if that version already exists (another
    /// request made it first).
    fn append_roster(
        &self,
        version: u64,
        roster: SignedRoster,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
}

/// The overdue condition both backends share: a share or referral is closed only by an answer
/// of the matching kind from someone entitled to give it — for a share, an acknowledgement by a
/// current member of one of its audience teams; for a referral, a decision by its author or by
/// a current member of one of its audience teams (docs/protocol.md, "Entity ownership").
pub(crate) const CLOSED_BY_ENTITLED_ANSWER: &str = "EXISTS (SELECT 1 FROM envelopes a \
     WHERE a.answers = s.entity_id \
     AND a.kind = CASE s.kind WHEN 'share' THEN 'acknowledgement' ELSE 'referral_decision' END \
     AND ((s.kind = 'referral' AND a.author = s.author) \
       OR EXISTS (SELECT 1 FROM envelopes v \
         JOIN envelope_audience va ON va.seq = v.seq \
         JOIN practitioner_teams pt ON pt.team_id = va.team_id \
         WHERE v.entity_id = s.entity_id AND v.kind = s.kind \
         AND pt.practitioner_id = a.author)))";

/// The column values both backends store for an envelope's header.
pub(crate) struct HeaderColumns {
    pub id: String,
    pub hash: String,
    pub kind: &'static str,
    pub entity_id: String,
    pub entity_version: i64,
    pub author: String,
    pub device: String,
    pub created_at_ms: i64,
    pub severity: Option<&'static str>,
    pub due_at_ms: Option<i64>,
    pub answers: Option<String>,
    pub audience: Vec<String>,
}

impl HeaderColumns {
    pub(crate) fn of(item: &NewEnvelope) -> Self {
        let e = &item.envelope;
        let mut audience: Vec<String> = e.audience.iter().map(ToString::to_string).collect();
        audience.sort();
        audience.dedup();
        Self {
            id: e.id.to_string(),
            hash: item.hash.to_hex(),
            kind: e.kind.as_str(),
            entity_id: e.entity_id.to_string(),
            entity_version: i64::from(e.entity_version),
            author: e.author.to_string(),
            device: e.device.to_string(),
            created_at_ms: to_ms(e.created_at),
            severity: e.severity.map(severity_name),
            due_at_ms: e.due_at.map(to_ms),
            answers: e.answers.map(|a| a.to_string()),
            audience,
        }
    }
}

/// The wire name of a severity, as stored.
pub fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::LowLevelConcern => "low_level_concern",
        Severity::Concern => "concern",
        Severity::ImmediateRisk => "immediate_risk",
    }
}

/// Reads a stored severity name.
pub fn severity_from_name(name: &str) -> Result<Severity, StoreError> {
    match name {
        "low_level_concern" => Ok(Severity::LowLevelConcern),
        "concern" => Ok(Severity::Concern),
        "immediate_risk" => Ok(Severity::ImmediateRisk),
        _ => Err(StoreError::Corrupt(CorruptRow::Severity)),
    }
}

/// Parses a stored id column.
/// Reads a stored encryption public key (base64url text).
pub(crate) fn parse_encryption_key(text: &str) -> Result<EncryptionPublicKey, StoreError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| StoreError::Corrupt(CorruptRow::EncryptionKey))
}

/// The stored text of an encryption public key.
pub(crate) fn encryption_key_text(key: &EncryptionPublicKey) -> Result<String, StoreError> {
    match serde_json::to_value(key) {
        Ok(serde_json::Value::String(text)) => Ok(text),
        Ok(_) | Err(_) => Err(StoreError::Corrupt(CorruptRow::EncryptionKey)),
    }
}

pub(crate) fn parse_id<T: std::str::FromStr>(
    text: &str,
    what: &'static str,
) -> Result<T, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(CorruptRow::Id(what)))
}

/// One enrolment-code row from either backend, before parsing.
pub(crate) struct CodeRow {
    pub code_id: String,
    pub practitioner: String,
    pub teams: String,
    pub issued_at_ms: i64,
    pub expires_at_ms: i64,
    pub used_at_ms: Option<i64>,
    pub revoked_at_ms: Option<i64>,
    pub origin: String,
}

impl CodeRow {
    pub(crate) fn into_record(self) -> Result<CodeRecord, StoreError> {
        Ok(CodeRecord {
            code_id: self.code_id,
            practitioner: parse_id(&self.practitioner, "practitioner")?,
            teams: self
                .teams
                .split(',')
                .filter(|t| !t.is_empty())
                .map(|t| parse_id(t, "team"))
                .collect::<Result<Vec<_>, _>>()?,
            issued_at: from_ms(self.issued_at_ms)?,
            expires_at: from_ms(self.expires_at_ms)?,
            used_at: self.used_at_ms.map(from_ms).transpose()?,
            revoked_at: self.revoked_at_ms.map(from_ms).transpose()?,
            origin: self.origin,
        })
    }
}

/// One due row from either backend before grouping into [`OverdueItem`]s.
pub(crate) struct DueRow {
    pub kind: String,
    pub entity_id: String,
    pub author: String,
    pub due_at_ms: i64,
    pub severity: Option<String>,
    pub audience: Vec<String>,
}

/// A stored kind name read back.
pub(crate) fn kind_from_stored(name: &str) -> Result<EnvelopeKind, StoreError> {
    EnvelopeKind::from_wire(name).ok_or(StoreError::Corrupt(CorruptRow::Kind))
}

/// Groups due rows by entity: earliest due, highest severity, union of audiences; then sorts
/// earliest due first. Shared so both backends report identically.
pub(crate) fn group_overdue(rows: Vec<DueRow>) -> Result<Vec<OverdueItem>, StoreError> {
    let mut items: Vec<OverdueItem> = Vec::new();
    let mut index: std::collections::HashMap<(Ulid, EnvelopeKind), usize> =
        std::collections::HashMap::new();
    for row in rows {
        let kind = kind_from_stored(&row.kind)?;
        let entity_id: Ulid = parse_id(&row.entity_id, "entity")?;
        let due_at = from_ms(row.due_at_ms)?;
        let severity = row
            .severity
            .as_deref()
            .map(severity_from_name)
            .transpose()?;
        let audience = row
            .audience
            .iter()
            .map(|t| parse_id::<TeamId>(t, "team"))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(&at) = index.get(&(entity_id, kind)) {
            let existing = &mut items[at];
            existing.due_at = existing.due_at.min(due_at);
            existing.severity = existing.severity.max(severity);
            for team in audience {
                if !existing.audience.contains(&team) {
                    existing.audience.push(team);
                }
            }
        } else {
            index.insert((entity_id, kind), items.len());
            items.push(OverdueItem {
                kind,
                entity_id,
                author: parse_id(&row.author, "practitioner")?,
                audience,
                due_at,
                severity,
            });
        }
    }
    items.sort_by_key(|i| (i.due_at, i.entity_id));
    Ok(items)
}

/// The migrations of `list` (number, SQL) not yet in `applied`, in the list's order.
///
/// Migrations are applied and recorded by their file's number, not by their position, so
/// branches that each add a migration can land in either order: a database that already ran
/// 0004 before 0003 was merged gets 0003 when it next opens (each migration must therefore
/// stand alone — its own tables, no dependence on a sibling's). A recorded number this build
/// does not list means a newer server migrated the database: refused with `SchemaTooNew`.
pub(crate) fn pending_migrations<'a>(
    list: &'a [(i64, &'a str)],
    applied: &HashSet<i64>,
) -> Result<Vec<(i64, &'a str)>, StoreError> {
    let supported = list.iter().map(|(n, _)| *n).max().unwrap_or(0);
    if let Some(&unknown) = applied
        .iter()
        .filter(|v| !list.iter().any(|(n, _)| n == *v))
        .max()
    {
        return Err(StoreError::SchemaTooNew {
            found: unknown,
            supported,
        });
    }
    Ok(list
        .iter()
        .filter(|(n, _)| !applied.contains(n))
        .copied()
        .collect())
}

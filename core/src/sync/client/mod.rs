//! The device's sync client: enrolment, push of the outbox, pull after the cursor, retry.
//!
//! Owns the conversation with the regional server (`docs/protocol.md`, `docs/sync.md`); the
//! field store owns what is kept. Invariants and why:
//! - Nothing leaves the outbox except on the server's per-envelope answer: `accepted` and
//!   `duplicate` finish an entry; `rejected` and `conflict` keep it, with code and reason, for
//!   the user to fix ([`SyncClient::fix_rejected`]) or discard with a recorded reason
//!   ([`SyncClient::discard_rejected`]). A failed request puts the whole batch back to pending
//!   (envelopes are idempotent by id, so a re-send of something that did arrive is a harmless
//!   `duplicate`).
//! - One sender: a sync (or enrolment) marks the client as running from start to end; another
//!   one started meanwhile, from another thread or from a platform callback of the running
//!   one, is refused at once with [`SyncError::Busy`]. It is a flag, not a lock held across
//!   the platform callbacks (clock, keystore) and the inbound sink, so a callback that calls
//!   back into the session never waits on it. An entry still marked "sent" when a sync starts
//!   was orphaned by an earlier failure and is returned to pending.
//! - Time is read through [`Clock::try_now`]: a failing platform clock is a typed error
//!   ([`SyncError::Store`] holding the clock's error), and nothing half-recorded (the outbox
//!   entries in flight go back to pending, as for any failed request).
//! - The pull cursor and directory version are stored only after the page was applied through
//!   the [`InboundSink`], so a crash or a local write failure re-pulls instead of skipping.
//!   The sink must therefore be idempotent. An item the sink cannot understand at all is not
//!   retried forever (it would block every share after it): it is kept in the status as
//!   unreadable, with its reason, and the cursor moves on.
//! - Automatic retries wait with capped exponential backoff and jitter ([`backoff`]), with
//!   randomness and time injected; [`SyncClient::sync_now`] (connectivity came back) does not.
//! - A `device_revoked` answer surfaces as [`SyncError::Revoked`]; the owner of the store then
//!   calls [`wipe_after_revocation`], which deletes the device key and wipes the store and its
//!   data key.
//! - A `device_retired` answer (a phone handed back) comes on the pull, after this sync pushed
//!   its outbox (the server still takes a retired device's pushes). It surfaces as
//!   [`SyncError::Retired`], to be wiped like a revoked device, only when nothing is left in
//!   the outbox (pending, in flight or rejected); otherwise as
//!   [`SyncError::RetiredWithItemsLeft`], and the store is kept until a later sync delivers
//!   the rest or the user fixes or discards what was rejected. Nothing captured is destroyed
//!   by a retirement: before the wipe, every item accepted within the retention is pushed once
//!   more, because the refused pull is where a restore that lost them would have been found.
//! - The device key (Ed25519, ring) lives only in the [`SecretStore`]; the identity (device,
//!   practitioner, teams) is sealed in the store's state table.
//! - End-to-end sealing (`docs/security.md`): enrolment also makes an X25519 encryption key
//!   (private half in the [`SecretStore`], one entry per key id, old ones kept after a
//!   rotation) and pins the region key the server answers with. Every sync first registers a
//!   new key, then takes the roster versions after the one held, accepting each only if signed
//!   by the pinned key and chained to the one before ([`crate::sync::accept_next`]); the
//!   accepted versions are kept as the device's append-only roster log. A body is sealed once,
//!   just before it first leaves, to the recipients of the latest roster, and signed by this
//!   device as its author ([`crate::sync::authorship`]); the sealed, signed form replaces the
//!   outbox entry so a resend is byte-identical. A pulled envelope's author signature is
//!   checked against the roster (fetched once more if it names a device the roster lacks)
//!   before anything of it is used; its body is opened before the sink sees it (a page's
//!   envelopes on several cores, [`crate::sync::pulled`]); one this
//!   device cannot verify or open is listed as not readable on this device, with the reason,
//!   and the cursor moves on.
//! - Secrets are read before any store call of the same step and never inside a store
//!   transaction; their failures are typed ([`SyncError::SecretStore`]).
//! - A server restored from a backup is noticed, never trusted to be whole (docs/sync.md,
//!   "Server restored from a backup"): every pull names the envelope its cursor follows, and
//!   `unknown_position` restarts the pull from 0 (the idempotent sink absorbs repeats). An
//!   accepted entry stays in the outbox, sealed and signed as sent, unconfirmed until a pull
//!   returns it; after a pull that reached the head, an unconfirmed one is no longer on the
//!   server and is sent again byte-identical in the same sync. Kept for
//!   [`crate::store::ACCEPTED_RETENTION_DAYS`], then deleted once confirmed. A restore found
//!   by a sync that then fails is remembered in the store until a sync succeeds, which reports
//!   it: the status always says what happened.
//! - `unknown_device` is [`SyncError::UnknownDevice`] and "needs re-enrolment" in the status;
//!   nothing is dropped. [`SyncClient::reenrol`] takes a code for the store's own practitioner
//!   only, checked before anything is kept; every entry not on the server then leaves sealed
//!   again as the new device, from its kept plaintext.

pub mod backoff;
mod error;
mod inbound;
pub mod status;
mod tls;
mod transport;

pub use backoff::{Backoff, Jitter, SeededJitter, SystemJitter};
pub use error::{BadResponse, InboundError, ServerUrlProblem, SyncError};
pub use inbound::InboundSink;
pub use status::{
    RejectedItem, ServerRestoreNotice, SyncProgress, SyncStatus, SyncSummary, UnreadableHeader,
    UnreadableItem,
};
pub use tls::{ServerTrust, TlsRefusal};

use crate::clock::Clock;
use crate::crypto::envelope_seal::{EncryptionKeyPair, KeyId, SealError};
use crate::model::{DeviceId, PractitionerId, TeamId};
use crate::secrets::SecretStore;
use crate::store::{FieldStore, OutboxAnswer, OutboxEntry, OutboxState};
use crate::sync::authorship::AuthorshipError;
use crate::sync::pulled::{self, PulledVerdict};
use crate::sync::{
    accept_next, paths, DeviceInfo, DeviceKeyPair, EncryptionKeyRequest, EnrolRequest, Envelope,
    EnvelopeId, EnvelopeOutcome, ErrorCode, PullQuery, PullResponse, PushRequest, PushResponse,
    RegionPublicKey, RejectCode, RosterBody, RosterResponse, SignedRoster, MAX_BATCH_ENVELOPES,
    MAX_BODY_BYTES, MAX_PULL_LIMIT,
};
use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use transport::{Signer, Transport};
use ulid::Ulid;

/// Name of the device signing key (PKCS#8) in the [`SecretStore`].
pub const DEVICE_KEY_SECRET: &str = "safeshare.sync.device-key";
/// State-table name of the device identity.
const IDENTITY_STATE: &str = "sync.identity";
/// State-table name of the pull cursor (last region sequence applied).
const CURSOR_STATE: &str = "sync.cursor";
/// The rejection code of an answer whose answered entity the server does not hold (as
/// [`RejectCode::AnswersNotVisible`] is spelt on the wire).
const ANSWERS_NOT_VISIBLE: &str = "answers_not_visible";
/// State-table name of the id of the envelope at the pull cursor (the last one applied), sent
/// with every pull so a server restored from a backup is noticed (`unknown_position`).
const CURSOR_ID_STATE: &str = "sync.cursor_id";
/// State-table name of a server restore found by a sync that has not finished since (`u64`:
/// items sent again because of it so far). Kept across failed syncs so the notice is given by
/// the first sync that succeeds, even though that one meets no `unknown_position` and finds
/// nothing missing (the repair started earlier); removed in the same write as the notice.
const RESTORE_UNSETTLED_STATE: &str = "sync.restore_unsettled";
/// State-table name of the directory version held.
const DIRECTORY_STATE: &str = "sync.directory_version";
/// State-table name of the pulled items that could not be understood.
const UNREADABLE_STATE: &str = "sync.unreadable";
/// State-table name of the [`SyncProgress`].
const PROGRESS_STATE: &str = "sync.progress";
/// State-table name of the clock offset learnt from the server (server minus device, ms).
const CLOCK_OFFSET_STATE: &str = "sync.clock_offset_ms";
/// Prefix of the [`SecretStore`] names of the device's X25519 private keys (then the key id).
pub const ENCRYPTION_KEY_SECRET_PREFIX: &str = "safeshare.sync.encryption-key.";
/// State-table name of the list of the device's encryption keys ([`HeldKey`]).
const KEYS_STATE: &str = "sync.encryption_keys";
/// State-table name of the region key pinned at enrolment.
const REGION_KEY_STATE: &str = "sync.region_key";
/// State-table name of the latest roster version held (0: none).
const ROSTER_VERSION_STATE: &str = "sync.roster.version";
/// Prefix of the state-table names of the roster log, one entry per version.
const ROSTER_LOG_PREFIX: &str = "sync.roster.v";
/// Prefix of the state-table names remembering who authored a pulled entity.
const AUTHOR_PREFIX: &str = "sync.author.";
/// Prefix of the state-table names keeping the plaintext body of an outbox entry once sealed
/// (itself sealed at rest by the store's data key), so a rejected one can be fixed and sealed
/// again to its new header, and one a restored server lost can be sealed again by a
/// re-enrolled device. Kept with the entry for the accepted retention
/// ([`crate::store::ACCEPTED_RETENTION_DAYS`]).
const PLAIN_PREFIX: &str = "sync.plain.";

/// One of this device's encryption keys, as the state table lists it (the private half is in
/// the [`SecretStore`] under [`ENCRYPTION_KEY_SECRET_PREFIX`] + key id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldKey {
    /// The key's id.
    pub key_id: KeyId,
    /// When it was made on this device.
    pub created_at: DateTime<Utc>,
    /// Whether the server has registered it (the newest registered key is the current one).
    pub registered: bool,
}

fn key_secret_name(id: KeyId) -> String {
    format!("{ENCRYPTION_KEY_SECRET_PREFIX}{id}")
}

/// Why a pulled envelope is not readable on this device, as the sync status shows it.
fn not_readable_reason(err: &SealError) -> String {
    match err {
        SealError::NotARecipient => "not readable on this device: not sealed to this device \
             (sent before it enrolled, or to a key rotated away)"
            .to_owned(),
        SealError::Unauthentic => "not readable on this device: the sealed body failed \
             authentication (altered, or moved under another header)"
            .to_owned(),
        other => format!("not readable on this device: {other}"),
    }
}

/// The routing metadata of a pulled envelope this device cannot read, as "needs attention"
/// lists it.
fn unreadable_header(sealed: &Envelope, roster: Option<&RosterBody>) -> UnreadableHeader {
    UnreadableHeader {
        kind: sealed.kind,
        entity_id: sealed.entity_id,
        author: sealed.author,
        sent_at: sealed.created_at,
        audience: sealed.audience.clone(),
        severity: sealed.severity,
        due_at: sealed.due_at,
        sender_teams: roster
            .and_then(|r| r.device(sealed.device))
            .map(|d| d.teams.clone())
            .unwrap_or_default(),
        answered_at: None,
    }
}

/// A verified acknowledgement's header, as far as it can close "needs attention" for a share
/// this device cannot open.
struct Answered {
    /// The share answered.
    entity: Ulid,
    /// The acknowledging device's teams, from the verified roster.
    teams: Vec<TeamId>,
    /// When that device was revoked, if it was.
    revoked_at: Option<DateTime<Utc>>,
}

impl Answered {
    /// Whether it answers the share `header` describes as a real acknowledgement could: by a
    /// device of one of the share's audience teams (its body names the team; the header does
    /// not, so a device outside every audience team cannot be acknowledging for one), not
    /// revoked by the time the share was sent (it could never have read it).
    fn closes(&self, header: &UnreadableHeader) -> bool {
        self.entity == header.entity_id
            && header.audience.iter().any(|team| self.teams.contains(team))
            && self
                .revoked_at
                .is_none_or(|revoked| revoked > header.sent_at)
    }
}

/// Who this device is, as the server enrolled it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceIdentity {
    /// The id every signed request carries.
    pub device_id: DeviceId,
    /// The practitioner the device belongs to.
    pub practitioner_id: PractitionerId,
    /// The practitioner's teams at enrolment.
    pub teams: Vec<TeamId>,
    /// When it was enrolled (server time).
    pub enrolled_at: DateTime<Utc>,
}

/// Settings of the client.
#[derive(Debug, Clone)]
pub struct SyncConfig {
    /// The server's base URL (`https://sync.example.nhs.uk`).
    pub base_url: String,
    /// Envelopes per push (at most [`MAX_BATCH_ENVELOPES`]).
    pub push_batch: u32,
    /// Envelopes per pull page (at most [`MAX_PULL_LIMIT`]).
    pub pull_page: u32,
    /// Connect and whole-request timeout.
    pub timeout: std::time::Duration,
    /// Automatic retry timing.
    pub backoff: Backoff,
    /// The certificate authorities the server's certificate must chain to (`https://`); see
    /// [`ServerTrust`]. Empty by default: only loopback `http://` then works.
    pub trust: ServerTrust,
}

impl SyncConfig {
    /// Defaults for `base_url`: full batches and pages, 30 s timeout, default backoff.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            push_batch: u32::try_from(MAX_BATCH_ENVELOPES).unwrap_or(500),
            pull_page: MAX_PULL_LIMIT,
            timeout: std::time::Duration::from_secs(30),
            backoff: Backoff::default(),
            trust: ServerTrust::default(),
        }
    }

    /// The same settings, trusting exactly the certificate authorities in `pem`.
    pub fn with_region_ca(mut self, pem: impl Into<String>) -> Self {
        self.trust = ServerTrust::region_ca(pem);
        self
    }
}

/// What one successful sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncReport {
    /// Envelopes the server newly stored.
    pub accepted: u64,
    /// Envelopes the server already had (an earlier answer was lost).
    pub duplicate: u64,
    /// Envelopes refused (kept for the user).
    pub rejected: u64,
    /// Envelopes pulled and applied.
    pub pulled: u64,
    /// Pulled items that could not be understood (kept visible in the status).
    pub unreadable: u64,
    /// Whether a newer directory was applied.
    pub directory_updated: bool,
    /// Whether this sync found the server restored from a backup (a pull position it no
    /// longer held, or accepted items missing from it).
    pub server_restored: bool,
    /// Items accepted earlier that the server no longer held, sent again (byte-identical, or
    /// sealed again for this device's new identity after a re-enrolment).
    pub resent: u64,
}

/// The sync client of one device. Cheap to share; one sync runs at a time.
pub struct SyncClient {
    config: SyncConfig,
    transport: Transport,
    clock: Arc<dyn Clock>,
    jitter: Arc<dyn Jitter>,
    /// Whether a sync or enrolment is running (see the module invariants: a flag, not a lock).
    running: AtomicBool,
}

/// Marks the client as running while alive.
struct Running<'a>(&'a AtomicBool);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

impl std::fmt::Debug for SyncClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncClient")
            .field("base_url", &self.config.base_url)
            .finish_non_exhaustive()
    }
}

/// The most bytes of encoded envelopes one push carries: the server's [`MAX_BODY_BYTES`] less
/// room for the request's own framing and any proxy's rounding.
pub const PUSH_BYTES_BUDGET: usize = MAX_BODY_BYTES - 16 * 1024;

/// Bytes of `{"envelopes":[` and `]}` around the envelopes of a push.
const PUSH_FRAMING_BYTES: usize = 16;

/// How one due batch is cut to fit a request.
struct SizeCut {
    /// Indexes of the entries to send now, in order.
    take: Vec<usize>,
    /// Indexes and encoded sizes of entries larger than a whole request can carry.
    oversize: Vec<(usize, usize)>,
    /// Encoded bytes of the request the taken entries make.
    bytes: usize,
}

/// Takes entries in queue order while the request stays within `budget` bytes (at least one
/// if any fits); an entry that alone exceeds the budget is listed as oversize, never sent.
fn cut_by_size(due: &[OutboxEntry<Envelope>], budget: usize) -> Result<SizeCut, SyncError> {
    let mut cut = SizeCut {
        take: Vec::new(),
        oversize: Vec::new(),
        bytes: PUSH_FRAMING_BYTES,
    };
    let mut full = false;
    for (index, entry) in due.iter().enumerate() {
        let size = serde_json::to_vec(&entry.payload)
            .map_err(|err| SyncError::Encode(err.into()))?
            .len();
        if PUSH_FRAMING_BYTES + size > budget {
            cut.oversize.push((index, size));
            continue;
        }
        // The comma between envelopes.
        let added = size + usize::from(!cut.take.is_empty());
        if full || cut.bytes + added > budget {
            full = true;
            continue;
        }
        cut.bytes += added;
        cut.take.push(index);
    }
    Ok(cut)
}

/// The rejection recorded for an entry too large for any request: visible in the status, to be
/// shortened (fixed) or discarded.
fn too_large_answer(size: usize, limit: usize) -> OutboxAnswer {
    OutboxAnswer::Rejected {
        code: "too_large".into(),
        reason: format!(
            "this item is {size} bytes when encoded, more than the {limit} bytes one request to \
             the server may carry; shorten its text or discard it"
        ),
    }
}

/// When an entry that must be retried becomes due: at once. The client's own backoff decides
/// when the next attempt runs; a retry time taken from a device clock that later moves back
/// by hours would otherwise hold captured items back for those hours.
fn due_at_once() -> DateTime<Utc> {
    Utc.timestamp_opt(0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

impl SyncClient {
    /// A client for `config.base_url`, with time and jitter injected.
    pub fn new(
        config: SyncConfig,
        clock: Arc<dyn Clock>,
        jitter: Arc<dyn Jitter>,
    ) -> Result<Self, SyncError> {
        let transport = Transport::new(
            &config.base_url,
            &config.trust,
            Arc::clone(&clock),
            config.timeout,
        )?;
        Ok(Self {
            config,
            transport,
            clock,
            jitter,
            running: AtomicBool::new(false),
        })
    }

    /// The identity stored at enrolment, if any.
    pub fn identity(store: &FieldStore) -> Result<Option<DeviceIdentity>, SyncError> {
        Ok(store.get_state(IDENTITY_STATE)?)
    }

    /// Enrols this device with the one-time `code` the admin issued: makes an Ed25519 key
    /// pair, keeps it in `secrets`, registers the public half and stores the identity.
    pub fn enrol(
        &self,
        store: &FieldStore,
        secrets: &dyn SecretStore,
        code: &str,
    ) -> Result<DeviceIdentity, SyncError> {
        self.enrol_as(store, secrets, code, None)
    }

    /// [`SyncClient::enrol`] for a store that already belongs to `expected`: if the code was
    /// issued for another practitioner, nothing is stored on the device and
    /// [`SyncError::PractitionerMismatch`] is returned (the admin should revoke the device
    /// record the server made and issue a code for the right practitioner).
    pub fn enrol_as(
        &self,
        store: &FieldStore,
        secrets: &dyn SecretStore,
        code: &str,
        expected: Option<PractitionerId>,
    ) -> Result<DeviceIdentity, SyncError> {
        let _one = self.begin()?;
        if Self::identity(store)?.is_some() {
            return Err(SyncError::AlreadyEnrolled);
        }
        let key = DeviceKeyPair::generate()?;
        let encryption = EncryptionKeyPair::generate()?;
        let body = serde_json::to_vec(&EnrolRequest {
            code: code.to_owned(),
            public_key: key.public_key(),
        })
        .map_err(|err| SyncError::Encode(err.into()))?;
        // Kept before the code is spent, so a crash after the server's answer leaves the key.
        secrets.put(DEVICE_KEY_SECRET, key.pkcs8_bytes())?;
        secrets.put(
            &key_secret_name(encryption.key_id()),
            encryption.secret_bytes().as_slice(),
        )?;
        let info: DeviceInfo = match self.transport.post_unsigned(paths::ENROL, body) {
            Ok(info) => info,
            Err(Ok(error)) => {
                return Err(match error.code {
                    ErrorCode::EnrolmentCodeUnknown
                    | ErrorCode::EnrolmentCodeUsed
                    | ErrorCode::EnrolmentCodeExpired => SyncError::EnrolmentRefused(error.code),
                    code => SyncError::Server {
                        code,
                        status: code.status(),
                    },
                })
            }
            Err(Err(err)) => return Err(err),
        };
        self.transport.learn_server_time(info.server_time)?;
        if expected.is_some_and(|expected| expected != info.practitioner_id) {
            tracing::warn!("enrolment code was issued for another practitioner; not stored");
            return Err(SyncError::PractitionerMismatch);
        }
        let identity = DeviceIdentity {
            device_id: info.device_id,
            practitioner_id: info.practitioner_id,
            teams: info.teams,
            enrolled_at: info.server_time,
        };
        let held = vec![HeldKey {
            key_id: encryption.key_id(),
            created_at: info.server_time,
            registered: false,
        }];
        let offset_ms = self.transport.offset().map(|o| o.num_milliseconds());
        store.write(identity.practitioner_id, |tx| {
            tx.put_state(IDENTITY_STATE, &identity)?;
            tx.put_state(KEYS_STATE, &held)?;
            if let Some(ms) = offset_ms {
                tx.put_state(CLOCK_OFFSET_STATE, &ms)?;
            }
            match &info.region_key {
                Some(region) => tx.put_state(REGION_KEY_STATE, region),
                None => Ok(()),
            }
        })?;
        if info.region_key.is_none() {
            tracing::warn!(
                "the server sent no region key: this device cannot seal until re-enrolled"
            );
        }
        // Registering the encryption key now saves a round trip; if it fails the next sync
        // registers it.
        let signer = Signer {
            device: identity.device_id,
            key: &key,
        };
        if let Err(err) =
            self.register_keys(store, &signer, identity.practitioner_id, &[encryption])
        {
            tracing::warn!(error = err.code(), "encryption key not registered yet");
        }
        tracing::info!("device enrolled");
        Ok(identity)
    }

    /// Enrols a device that already holds an identity again, with a code an administrator
    /// issued for the same practitioner: after the server lost the device (`unknown_device`,
    /// [`SyncSummary::NeedsReenrolment`]), or to pin a new region key. Everything in the store
    /// stays; the device gets a new id, signing key and encryption key (the old encryption keys
    /// stay in `secrets`, so what was sealed to them still opens), pins the region key the
    /// server answers with, and takes the roster from its first version again. The pull starts
    /// again from 0 and every item accepted within the retention is checked at the next sync.
    /// Every item not yet on the server is sealed again as the new device, to the latest
    /// roster, when it next leaves.
    ///
    /// A code issued for another practitioner is refused with [`SyncError::PractitionerMismatch`]
    /// and nothing on the device changed (the server spent the code and made a device record,
    /// which the administrator revokes). Not enrolled yet: [`SyncError::NotEnrolled`].
    pub fn reenrol(
        &self,
        store: &FieldStore,
        secrets: &dyn SecretStore,
        code: &str,
    ) -> Result<DeviceIdentity, SyncError> {
        let _one = self.begin()?;
        let old = Self::identity(store)?.ok_or(SyncError::NotEnrolled)?;
        let key = DeviceKeyPair::generate()?;
        let encryption = EncryptionKeyPair::generate()?;
        let body = serde_json::to_vec(&EnrolRequest {
            code: code.to_owned(),
            public_key: key.public_key(),
        })
        .map_err(|err| SyncError::Encode(err.into()))?;
        let info: DeviceInfo = match self.transport.post_unsigned(paths::ENROL, body) {
            Ok(info) => info,
            Err(Ok(error)) => {
                return Err(match error.code {
                    ErrorCode::EnrolmentCodeUnknown
                    | ErrorCode::EnrolmentCodeUsed
                    | ErrorCode::EnrolmentCodeExpired => SyncError::EnrolmentRefused(error.code),
                    code => SyncError::Server {
                        code,
                        status: code.status(),
                    },
                })
            }
            Err(Err(err)) => return Err(err),
        };
        // Checked before anything is kept: the store's data belongs to its practitioner, and
        // a device of someone else must never sign for it.
        if info.practitioner_id != old.practitioner_id {
            tracing::warn!(
                "re-enrolment code was issued for another practitioner; nothing changed"
            );
            return Err(SyncError::PractitionerMismatch);
        }
        self.transport.learn_server_time(info.server_time)?;
        secrets.put(DEVICE_KEY_SECRET, key.pkcs8_bytes())?;
        secrets.put(
            &key_secret_name(encryption.key_id()),
            encryption.secret_bytes().as_slice(),
        )?;
        let identity = DeviceIdentity {
            device_id: info.device_id,
            practitioner_id: info.practitioner_id,
            teams: info.teams,
            enrolled_at: info.server_time,
        };
        let mut held: Vec<HeldKey> = store.get_state(KEYS_STATE)?.unwrap_or_default();
        held.push(HeldKey {
            key_id: encryption.key_id(),
            created_at: info.server_time,
            registered: false,
        });
        let mut progress = Self::progress(store)?;
        progress.needs_reenrolment = false;
        progress.last_error = None;
        progress.consecutive_failures = 0;
        progress.not_before = None;
        let offset_ms = self.transport.offset().map(|o| o.num_milliseconds());
        store.write(identity.practitioner_id, |tx| {
            tx.put_state(IDENTITY_STATE, &identity)?;
            tx.put_state(KEYS_STATE, &held)?;
            if let Some(ms) = offset_ms {
                tx.put_state(CLOCK_OFFSET_STATE, &ms)?;
            }
            if let Some(region) = &info.region_key {
                tx.put_state(REGION_KEY_STATE, region)?;
            }
            // A re-enrolment is a new trust decision, as the first enrolment was: the roster
            // chain starts again from the server's first version under the key just pinned
            // (a restored server's later versions need not chain to the ones held).
            tx.put_state(ROSTER_VERSION_STATE, &0u64)?;
            tx.put_state(CURSOR_STATE, &0u64)?;
            tx.delete_state(CURSOR_ID_STATE)?;
            tx.put_state(PROGRESS_STATE, &progress)
        })?;
        store.outbox_unconfirm_recent()?;
        let signer = Signer {
            device: identity.device_id,
            key: &key,
        };
        if let Err(err) =
            self.register_keys(store, &signer, identity.practitioner_id, &[encryption])
        {
            tracing::warn!(error = err.code(), "encryption key not registered yet");
        }
        tracing::info!("device re-enrolled");
        Ok(identity)
    }

    /// Pushes everything due and pulls everything new, now (the shell saw connectivity
    /// return, or the user pulled to refresh). Ignores the backoff; records the outcome for
    /// [`SyncClient::status`] and the next automatic attempt.
    pub fn sync_now(
        &self,
        store: &FieldStore,
        secrets: &dyn SecretStore,
        sink: &dyn InboundSink,
    ) -> Result<SyncReport, SyncError> {
        let _one = self.begin()?;
        let identity = Self::identity(store)?.ok_or(SyncError::NotEnrolled)?;
        self.restore_offset(store)?;
        let started = self.clock.try_now()?;
        let result = match self.run(store, secrets, sink, &identity) {
            // Retired: wipe only once nothing captured is left to deliver or resolve.
            Err(SyncError::Retired) => {
                // Only on the way to the wipe (nothing else left), so a phone waiting for its
                // practitioner to resolve a refused item does not send everything again at
                // every sync. A failure here leaves the items pending, which keeps the store
                // (below) until a later sync delivers them.
                if store.outbox_counts()?.all_clear() {
                    if let Err(err) = self.resend_recent_before_retiring(store, secrets, &identity)
                    {
                        tracing::warn!(
                            error = err.code(),
                            "retired device: re-send before the wipe failed"
                        );
                    }
                }
                let counts = store.outbox_counts()?;
                if counts.all_clear() {
                    return Err(SyncError::Retired);
                }
                Err(SyncError::RetiredWithItemsLeft {
                    remaining: counts.pending + counts.sent + counts.rejected,
                })
            }
            other => other,
        };
        let mut progress = Self::progress(store)?;
        progress.last_attempt = Some(started);
        match &result {
            Ok(report) => {
                let now = self.clock.try_now()?;
                progress.last_success = Some(now);
                progress.consecutive_failures = 0;
                progress.not_before = None;
                progress.last_error = None;
                progress.needs_reenrolment = false;
                if report.server_restored {
                    progress.server_restored = Some(ServerRestoreNotice {
                        detected_at: now,
                        resent: report.resent,
                    });
                }
            }
            Err(SyncError::Revoked) => return result,
            Err(err) => {
                if matches!(err, SyncError::UnknownDevice) {
                    // Kept until a re-enrolment: the status says so, and every unsent item
                    // stays in the outbox (the failed request put its batch back).
                    progress.needs_reenrolment = true;
                    tracing::warn!("the server does not know this device: needs re-enrolment");
                }
                progress.consecutive_failures = progress.consecutive_failures.saturating_add(1);
                let wait = self
                    .config
                    .backoff
                    .delay(progress.consecutive_failures, self.jitter.fraction());
                progress.not_before = Some(self.clock.try_now()? + wait);
                progress.last_error = Some(err.code().to_owned());
                tracing::warn!(
                    error = err.code(),
                    failures = progress.consecutive_failures,
                    "sync failed; will retry"
                );
            }
        }
        // If even this cannot be written (read-only store), the sync's own error stands.
        let offset_ms = self.transport.offset().map(|o| o.num_milliseconds());
        // The notice and the end of the unsettled restore are written together: neither can
        // be kept without the other.
        let settled = matches!(&result, Ok(report) if report.server_restored);
        if let Err(err) = store.write(identity.practitioner_id, |tx| {
            if let Some(ms) = offset_ms {
                tx.put_state(CLOCK_OFFSET_STATE, &ms)?;
            }
            if settled {
                tx.delete_state(RESTORE_UNSETTLED_STATE)?;
            }
            tx.put_state(PROGRESS_STATE, &progress)
        }) {
            tracing::warn!(error = %err, "could not record sync progress");
            if result.is_ok() {
                return Err(err.into());
            }
        }
        result
    }

    /// Pushes everything due, now, without pulling (e.g. right after a capture, so the
    /// acknowledgement arrives as soon as the network allows). Does not count as a full sync
    /// for [`SyncStatus::last_success`].
    pub fn push_now(
        &self,
        store: &FieldStore,
        secrets: &dyn SecretStore,
    ) -> Result<SyncReport, SyncError> {
        let _one = self.begin()?;
        let identity = Self::identity(store)?.ok_or(SyncError::NotEnrolled)?;
        let pkcs8 = secrets
            .get(DEVICE_KEY_SECRET)?
            .ok_or(SyncError::NotEnrolled)?;
        let key = DeviceKeyPair::from_pkcs8(&pkcs8)?;
        let signer = Signer {
            device: identity.device_id,
            key: &key,
        };
        self.restore_offset(store)?;
        let mut report = SyncReport::default();
        self.requeue_orphans(store, identity.practitioner_id)?;
        // The roster held is enough to seal with; only a device holding none asks for one.
        let roster = match Self::current_roster(store)? {
            Some(roster) => Some(roster),
            None => self.refresh_roster(store, &signer, identity.practitioner_id)?,
        };
        self.push_all(
            store,
            &signer,
            identity.practitioner_id,
            roster.as_ref(),
            &mut report,
        )?;
        if let Some(offset) = self.transport.offset() {
            store.write(identity.practitioner_id, |tx| {
                tx.put_state(CLOCK_OFFSET_STATE, &offset.num_milliseconds())
            })?;
        }
        Ok(report)
    }

    /// The clock offset (server minus device) last learnt from the server and kept in the
    /// store, or `None` before any was learnt. The session corrects every time with clinical
    /// meaning by it ([`crate::clock::CorrectedClock`]).
    pub fn clock_offset(store: &FieldStore) -> Result<Option<chrono::Duration>, SyncError> {
        Ok(store
            .get_state::<i64>(CLOCK_OFFSET_STATE)?
            .map(chrono::Duration::milliseconds))
    }

    /// Restores the kept offset into the transport when this client has not learnt one yet
    /// (a new process), so its first signed request is already on the server's time.
    fn restore_offset(&self, store: &FieldStore) -> Result<(), SyncError> {
        if self.transport.offset().is_none() {
            if let Some(offset) = Self::clock_offset(store)? {
                self.transport.set_offset(offset);
            }
        }
        Ok(())
    }

    /// Runs a sync only if the backoff allows it now (the periodic background trigger).
    /// `Ok(None)` means it is not yet time.
    pub fn sync_if_due(
        &self,
        store: &FieldStore,
        secrets: &dyn SecretStore,
        sink: &dyn InboundSink,
    ) -> Result<Option<SyncReport>, SyncError> {
        let progress = Self::progress(store)?;
        if !self
            .config
            .backoff
            .is_due(self.clock.try_now()?, progress.not_before)
        {
            return Ok(None);
        }
        self.sync_now(store, secrets, sink).map(Some)
    }

    /// The status the sync screen shows.
    pub fn status(store: &FieldStore) -> Result<SyncStatus, SyncError> {
        let identity = Self::identity(store)?;
        let counts = store.outbox_counts()?;
        let rejected = match &identity {
            Some(identity) => store
                .outbox_in_state::<Envelope>(identity.practitioner_id, OutboxState::Rejected)?
                .into_iter()
                .map(rejected_item)
                .collect(),
            None => Vec::new(),
        };
        let progress = Self::progress(store)?;
        let unreadable: Vec<UnreadableItem> =
            store.get_state(UNREADABLE_STATE)?.unwrap_or_default();
        Ok(SyncStatus::from_parts(
            identity.is_some(),
            counts.pending + counts.sent,
            rejected,
            unreadable,
            &progress,
        ))
    }

    /// Discards a rejected envelope, recording who did it and why (audited; kept as
    /// discarded, never deleted).
    pub fn discard_rejected(
        store: &FieldStore,
        actor: PractitionerId,
        id: EnvelopeId,
        reason: &str,
    ) -> Result<(), SyncError> {
        Ok(store.outbox_discard(actor, &id.to_string(), reason)?)
    }

    /// Fixes a rejected envelope: `fix` edits a copy, which is queued under a new id (the
    /// server keeps ids immutable); then the rejected one is discarded with a reason naming
    /// the replacement. If the process dies between the two, both stay visible: nothing is
    /// lost, and the user can discard the old one again.
    pub fn fix_rejected(
        store: &FieldStore,
        actor: PractitionerId,
        id: EnvelopeId,
        fix: impl FnOnce(&mut Envelope),
    ) -> Result<EnvelopeId, SyncError> {
        let old = store
            .outbox_in_state::<Envelope>(actor, OutboxState::Rejected)?
            .into_iter()
            .find(|entry| entry.id == id.to_string())
            .ok_or_else(|| crate::store::StoreError::OutboxNotFound(id.to_string()))?;
        let mut fixed = old.payload;
        // The sealed body is bound to the old header and recipients: start again from the
        // plaintext, which the next push seals to the fixed header.
        if let Some(plain) = store.get_state::<crate::sync::Body>(&format!("{PLAIN_PREFIX}{id}"))? {
            fixed.body = plain;
        }
        fix(&mut fixed);
        fixed.id = EnvelopeId::new();
        let new_id = fixed.id;
        store.write(actor, |tx| tx.enqueue_outbox(&new_id.to_string(), &fixed))?;
        store.outbox_discard(
            actor,
            &id.to_string(),
            &format!("fixed and re-sent as {new_id}"),
        )?;
        Ok(new_id)
    }

    /// Marks the client as running, or refuses with [`SyncError::Busy`] if it already is.
    fn begin(&self) -> Result<Running<'_>, SyncError> {
        self.running
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .map_err(|_| SyncError::Busy)?;
        Ok(Running(&self.running))
    }

    fn progress(store: &FieldStore) -> Result<SyncProgress, SyncError> {
        Ok(store.get_state(PROGRESS_STATE)?.unwrap_or_default())
    }

    fn run(
        &self,
        store: &FieldStore,
        secrets: &dyn SecretStore,
        sink: &dyn InboundSink,
        identity: &DeviceIdentity,
    ) -> Result<SyncReport, SyncError> {
        let pkcs8 = secrets
            .get(DEVICE_KEY_SECRET)?
            .ok_or(SyncError::NotEnrolled)?;
        let key = DeviceKeyPair::from_pkcs8(&pkcs8)?;
        let signer = Signer {
            device: identity.device_id,
            key: &key,
        };
        let keys = Self::load_keys(store, secrets)?;
        let mut report = SyncReport::default();
        self.requeue_orphans(store, identity.practitioner_id)?;
        self.register_keys(store, &signer, identity.practitioner_id, &keys)?;
        let roster = self.refresh_roster(store, &signer, identity.practitioner_id)?;
        self.push_all(
            store,
            &signer,
            identity.practitioner_id,
            roster.as_ref(),
            &mut report,
        )?;
        let key_refs: Vec<&EncryptionKeyPair> = keys.iter().collect();
        let actor = identity.practitioner_id;
        match self.pull_all(store, &signer, actor, sink, &key_refs, &mut report) {
            Err(SyncError::Server {
                code: ErrorCode::UnknownPosition,
                ..
            }) => {
                // The server's data went back to an earlier copy: start again from 0 (the
                // inbound path is idempotent, so what was applied before is absorbed) and check
                // every item accepted within the retention against what the pull returns.
                tracing::warn!("pull position unknown to the server (restored from a backup?); pulling from the start");
                report.server_restored = true;
                Self::reset_position(store, actor)?;
                self.pull_all(store, &signer, actor, sink, &key_refs, &mut report)?;
            }
            other => other?,
        }
        // A pull that reached the server's head returns every envelope of this practitioner
        // after the cursor, and the cursor was before each accepted here (accepted after it,
        // or unconfirmed again by a reset): one not returned is no longer on the server.
        let missing = store.outbox_unconfirmed()?;
        if !missing.is_empty() {
            let ids: Vec<&str> = missing.iter().map(String::as_str).collect();
            let resent = store.outbox_resend_many(&ids, due_at_once())?;
            Self::note_restore(store, actor, resent as u64)?;
            tracing::warn!(
                count = resent,
                "accepted items missing from the server (restored from a backup?); sending them again"
            );
            report.server_restored = true;
            report.resent += resent as u64;
            self.push_all(store, &signer, actor, roster.as_ref(), &mut report)?;
            // Confirms what was just sent; anything still missing is checked at the next sync.
            self.pull_all(store, &signer, actor, sink, &key_refs, &mut report)?;
        }
        // A restore an earlier sync found but could not finish putting right (it failed after
        // the reset or the re-send): this sync finished it, so it tells it, with every item
        // sent again since it was found.
        if let Some(resent) = store.get_state::<u64>(RESTORE_UNSETTLED_STATE)? {
            report.server_restored = true;
            report.resent = report.resent.max(resent);
        }
        let purged = store.outbox_purge_confirmed()?;
        if !purged.is_empty() {
            store.write(actor, |tx| {
                for id in &purged {
                    tx.delete_state(&format!("{PLAIN_PREFIX}{id}"))?;
                }
                Ok::<(), crate::store::StoreError>(())
            })?;
            tracing::info!(
                count = purged.len(),
                "accepted items past the retention deleted from the outbox"
            );
        }
        Ok(report)
    }

    /// Starts the pull position again from 0 and marks every item accepted within the
    /// retention unconfirmed, so the next complete pull shows which the server still holds.
    fn reset_position(store: &FieldStore, actor: PractitionerId) -> Result<(), SyncError> {
        let unsettled: u64 = store.get_state(RESTORE_UNSETTLED_STATE)?.unwrap_or(0);
        store.write(actor, |tx| {
            tx.put_state(CURSOR_STATE, &0u64)?;
            tx.delete_state(CURSOR_ID_STATE)?;
            // Written with the reset: once the position is 0 no later pull meets the `409`
            // again, so this is what remembers the restore until a sync finishes.
            tx.put_state(RESTORE_UNSETTLED_STATE, &unsettled)
        })?;
        store.outbox_unconfirm_recent()?;
        Ok(())
    }

    /// Remembers a restore found (and `resent` more items put back to be sent again because
    /// of it) until a sync finishes: a failure before then must not lose the notice.
    fn note_restore(
        store: &FieldStore,
        actor: PractitionerId,
        resent: u64,
    ) -> Result<(), SyncError> {
        let so_far: u64 = store.get_state(RESTORE_UNSETTLED_STATE)?.unwrap_or(0);
        store.write(actor, |tx| {
            tx.put_state(RESTORE_UNSETTLED_STATE, &so_far.saturating_add(resent))
        })?;
        Ok(())
    }

    /// A retired device is refused the pull that finds a restore (`unknown_position`) and
    /// shows which accepted items the server lost, and is about to wipe the only copy of them.
    /// So every item accepted within the retention, confirmed or not (a pull before the restore
    /// confirmed what the restore then lost), is sent once more, byte-identical, before the
    /// wipe: push stays open to a retired device, and its answers are the check, `duplicate`
    /// for what the server holds and `accepted` for what it had lost. Once per phone, at the
    /// end of its life, so the cost (up to 30 days of its items sent again) is paid once.
    /// Items refused now stay in the outbox, which keeps the store.
    fn resend_recent_before_retiring(
        &self,
        store: &FieldStore,
        secrets: &dyn SecretStore,
        identity: &DeviceIdentity,
    ) -> Result<(), SyncError> {
        store.outbox_unconfirm_recent()?;
        let unconfirmed = store.outbox_unconfirmed()?;
        if unconfirmed.is_empty() {
            return Ok(());
        }
        let ids: Vec<&str> = unconfirmed.iter().map(String::as_str).collect();
        store.outbox_resend_many(&ids, due_at_once())?;
        let pkcs8 = secrets
            .get(DEVICE_KEY_SECRET)?
            .ok_or(SyncError::NotEnrolled)?;
        let key = DeviceKeyPair::from_pkcs8(&pkcs8)?;
        let signer = Signer {
            device: identity.device_id,
            key: &key,
        };
        let roster = Self::current_roster(store)?;
        let mut report = SyncReport::default();
        self.push_all(
            store,
            &signer,
            identity.practitioner_id,
            roster.as_ref(),
            &mut report,
        )?;
        if report.accepted > 0 {
            tracing::warn!(
                count = report.accepted,
                "retired device: accepted items the server no longer held sent again before the wipe"
            );
        }
        Ok(())
    }

    /// This device's encryption key pairs, newest first: the list from the state table, the
    /// private halves from the secret store (read here, outside any store transaction).
    fn load_keys(
        store: &FieldStore,
        secrets: &dyn SecretStore,
    ) -> Result<Vec<EncryptionKeyPair>, SyncError> {
        let held: Vec<HeldKey> = store.get_state(KEYS_STATE)?.unwrap_or_default();
        let mut keys = Vec::with_capacity(held.len());
        for entry in held.iter().rev() {
            match secrets.get(&key_secret_name(entry.key_id))? {
                Some(bytes) => keys.push(EncryptionKeyPair::from_secret_bytes(&bytes)?),
                None => {
                    tracing::warn!(key = %entry.key_id, "encryption key missing from the secret store")
                }
            }
        }
        Ok(keys)
    }

    /// Registers, oldest first, every held key the server has not registered yet; the last
    /// registered becomes the device's current key in the next roster.
    fn register_keys(
        &self,
        store: &FieldStore,
        signer: &Signer<'_>,
        actor: PractitionerId,
        keys: &[EncryptionKeyPair],
    ) -> Result<(), SyncError> {
        let held: Vec<HeldKey> = store.get_state(KEYS_STATE)?.unwrap_or_default();
        let mut registered: Vec<KeyId> = Vec::new();
        for entry in held.iter().filter(|e| !e.registered) {
            let Some(pair) = keys.iter().find(|k| k.key_id() == entry.key_id) else {
                continue;
            };
            let body = serde_json::to_vec(&EncryptionKeyRequest {
                public_key: pair.public_key(),
            })
            .map_err(|err| SyncError::Encode(err.into()))?;
            let answer: Result<serde_json::Value, SyncError> =
                self.transport
                    .signed(signer, "POST", paths::ENCRYPTION_KEY, &body);
            match answer {
                Ok(_) => registered.push(entry.key_id),
                // The server's per-device limit on key registrations (docs/protocol.md): the
                // key stays unregistered and is offered again at a later sync; this sync
                // carries on with the keys the roster already names.
                Err(SyncError::Server {
                    code: ErrorCode::TooManyRequests,
                    ..
                }) => {
                    tracing::info!("encryption key registration deferred: server limit");
                    break;
                }
                Err(err) => return Err(err),
            }
        }
        if !registered.is_empty() {
            // The list is read again inside the transaction: a rotation made while the
            // requests were in flight (another thread, a platform callback) added a key that
            // the list read above lacks, and writing that list back would lose it.
            store.write(actor, |tx| {
                let mut now_held: Vec<HeldKey> = tx.get_state(KEYS_STATE)?.unwrap_or_default();
                for entry in now_held
                    .iter_mut()
                    .filter(|e| registered.contains(&e.key_id))
                {
                    entry.registered = true;
                }
                tx.put_state(KEYS_STATE, &now_held)
            })?;
        }
        Ok(())
    }

    /// Makes a new encryption key for everything sealed to this device from the next roster
    /// on; the old private keys stay in `secrets` so what was sent before still opens. The new
    /// key is registered by the next sync. Returns its id.
    pub fn rotate_encryption_key(
        store: &FieldStore,
        secrets: &dyn SecretStore,
        now: DateTime<Utc>,
    ) -> Result<KeyId, SyncError> {
        let identity = Self::identity(store)?.ok_or(SyncError::NotEnrolled)?;
        let pair = EncryptionKeyPair::generate()?;
        secrets.put(
            &key_secret_name(pair.key_id()),
            pair.secret_bytes().as_slice(),
        )?;
        // Read and written in one transaction, so a sync registering keys meanwhile cannot
        // write back a list without this one (see `register_keys`).
        store.write(identity.practitioner_id, |tx| {
            let mut held: Vec<HeldKey> = tx.get_state(KEYS_STATE)?.unwrap_or_default();
            held.push(HeldKey {
                key_id: pair.key_id(),
                created_at: now,
                registered: false,
            });
            tx.put_state(KEYS_STATE, &held)
        })?;
        Ok(pair.key_id())
    }

    /// The region key pinned at enrolment, if the server sent one.
    pub fn region_key(store: &FieldStore) -> Result<Option<RegionPublicKey>, SyncError> {
        Ok(store.get_state(REGION_KEY_STATE)?)
    }

    /// The roster log this device holds: every accepted version, oldest first.
    pub fn roster_log(store: &FieldStore) -> Result<Vec<SignedRoster>, SyncError> {
        let latest: u64 = store.get_state(ROSTER_VERSION_STATE)?.unwrap_or(0);
        let mut out = Vec::new();
        for version in 1..=latest {
            if let Some(roster) = store.get_state(&format!("{ROSTER_LOG_PREFIX}{version}"))? {
                out.push(roster);
            }
        }
        Ok(out)
    }

    /// The latest verified roster held, if any.
    pub fn current_roster(store: &FieldStore) -> Result<Option<RosterBody>, SyncError> {
        let Some(region) = Self::region_key(store)? else {
            return Ok(None);
        };
        let latest: u64 = store.get_state(ROSTER_VERSION_STATE)?.unwrap_or(0);
        if latest == 0 {
            return Ok(None);
        }
        let held: Option<SignedRoster> =
            store.get_state(&format!("{ROSTER_LOG_PREFIX}{latest}"))?;
        match held {
            Some(signed) => Ok(Some(signed.verify(&region)?)),
            None => Ok(None),
        }
    }

    /// Takes the roster versions after the one held, accepting each in order (signed by the
    /// pinned key, chained), and appends them to the log. A refused version stops the sync
    /// with [`SyncError::Roster`]; the log keeps what was accepted before it.
    fn refresh_roster(
        &self,
        store: &FieldStore,
        signer: &Signer<'_>,
        actor: PractitionerId,
    ) -> Result<Option<RosterBody>, SyncError> {
        let Some(region) = Self::region_key(store)? else {
            return Ok(None);
        };
        let mut version: u64 = store.get_state(ROSTER_VERSION_STATE)?.unwrap_or(0);
        let mut held: Option<SignedRoster> = if version == 0 {
            None
        } else {
            store.get_state(&format!("{ROSTER_LOG_PREFIX}{version}"))?
        };
        let mut current = match &held {
            Some(signed) => Some(signed.verify(&region)?),
            None => None,
        };
        let path = format!("{}?after={version}", paths::ROSTER);
        let answer: RosterResponse = self.transport.signed(signer, "GET", &path, &[])?;
        if answer.region_key != region {
            return Err(SyncError::Roster(crate::sync::RosterError::BadSignature));
        }
        // This device's own entry is checked in every version it accepts: only it can tell
        // its keys from ones put in their place (`crate::sync::check_own_entry`).
        let identity = Self::identity(store)?.ok_or(SyncError::NotEnrolled)?;
        let own_signing = signer.key.public_key();
        let held_keys: Vec<KeyId> = store
            .get_state::<Vec<HeldKey>>(KEYS_STATE)?
            .unwrap_or_default()
            .iter()
            .map(|k| k.key_id)
            .collect();
        let mut accepted: Vec<(u64, SignedRoster)> = Vec::new();
        for next in answer.rosters {
            let body = accept_next(held.as_ref(), version, &next, &region)?;
            crate::sync::check_own_entry(
                &body,
                identity.device_id,
                identity.practitioner_id,
                &own_signing,
                &held_keys,
            )?;
            version = body.version;
            accepted.push((version, next.clone()));
            held = Some(next);
            current = Some(body);
        }
        if !accepted.is_empty() {
            store.write(actor, |tx| {
                for (v, signed) in &accepted {
                    tx.put_state(&format!("{ROSTER_LOG_PREFIX}{v}"), signed)?;
                }
                tx.put_state(ROSTER_VERSION_STATE, &version)
            })?;
            tracing::info!(version, "roster updated");
        }
        Ok(current)
    }

    /// Seals every due entry whose body is not sealed yet, signs it as its author device
    /// ([`crate::sync::authorship`]), and keeps the sealed, signed form in the outbox before
    /// anything is sent.
    fn seal_due(
        &self,
        store: &FieldStore,
        signer: &Signer<'_>,
        actor: PractitionerId,
        roster: Option<&RosterBody>,
        due: &mut [OutboxEntry<Envelope>],
    ) -> Result<(), SyncError> {
        // An entry sealed and signed under an earlier identity of this device (before a
        // re-enrolment) is sealed again from its kept plaintext, as this device, to the latest
        // roster; without the plaintext it goes as it is (and the server's answer shows it).
        let mut plain_of: Vec<Option<crate::sync::Body>> = Vec::with_capacity(due.len());
        for entry in due.iter() {
            plain_of.push(
                if entry.payload.body_is_sealed() && entry.payload.device != signer.device {
                    store.get_state::<crate::sync::Body>(&format!("{PLAIN_PREFIX}{}", entry.id))?
                } else {
                    None
                },
            );
        }
        if due
            .iter()
            .zip(&plain_of)
            .all(|(entry, plain)| entry.payload.body_is_sealed() && plain.is_none())
        {
            return Ok(());
        }
        let roster = roster.ok_or(SyncError::NoRoster)?;
        let mut sealed: Vec<(String, Envelope, crate::sync::Body)> = Vec::new();
        for (entry, plain) in due.iter_mut().zip(plain_of) {
            match plain {
                Some(plain) => entry.payload.body = plain,
                None if entry.payload.body_is_sealed() => continue,
                None => {}
            }
            // Captured under this device's earlier identity: it leaves as this device.
            entry.payload.device = signer.device;
            let envelope = &entry.payload;
            let mut practitioners = vec![envelope.author];
            if let Some(answered) = envelope.answers {
                if let Some(author) =
                    store.get_state::<PractitionerId>(&format!("{AUTHOR_PREFIX}{answered}"))?
                {
                    practitioners.push(author);
                }
            }
            let mut recipients = roster.recipients(&envelope.audience, &practitioners);
            // A retired device is no recipient for anyone else, but what it still delivers is
            // sealed to itself too (it holds the plaintext anyway), as any author's device is:
            // otherwise an item with no other recipient could never be sealed, and its failure
            // would hold back the rest of the outbox and the wipe behind it.
            if let Some(own) = roster
                .device(signer.device)
                .filter(|d| d.retired_at.is_some() && d.revoked_at.is_none())
                .and_then(|d| d.encryption_key)
            {
                if !recipients.iter().any(|r| r.public == own) {
                    recipients.push(own.into());
                }
            }
            let out = envelope.seal_body(&recipients, signer.key)?;
            sealed.push((entry.id.clone(), out.clone(), envelope.body.clone()));
            entry.payload = out;
        }
        store.write(actor, |tx| {
            for (id, envelope, plain) in &sealed {
                tx.replace_outbox_payload(id, envelope)?;
                tx.put_state(&format!("{PLAIN_PREFIX}{id}"), plain)?;
            }
            Ok::<(), crate::store::StoreError>(())
        })?;
        Ok(())
    }

    fn requeue_orphans(&self, store: &FieldStore, actor: PractitionerId) -> Result<(), SyncError> {
        let orphans = store.outbox_in_state::<Envelope>(actor, OutboxState::Sent)?;
        let ids: Vec<&str> = orphans.iter().map(|entry| entry.id.as_str()).collect();
        if !ids.is_empty() {
            store.outbox_retry_later_many(&ids, due_at_once())?;
        }
        // An answer refused because the server no longer holds what it answers, which this
        // device once pulled from it: the server was restored from a backup, and the share's
        // sender sends it again at its next sync. Tried again at every sync until then (kept
        // visible as rejected in between, never dropped).
        if store.outbox_counts()?.rejected > 0 {
            let rejected = store.outbox_in_state::<Envelope>(actor, OutboxState::Rejected)?;
            let mut retry: Vec<&str> = Vec::new();
            for entry in &rejected {
                if entry.rejection_code.as_deref() == Some(ANSWERS_NOT_VISIBLE)
                    && Self::pulled_entity(store, entry.payload.answers)?
                {
                    retry.push(entry.id.as_str());
                }
            }
            if !retry.is_empty() {
                store.outbox_requeue_rejected_many(&retry, due_at_once())?;
            }
        }
        Ok(())
    }

    /// Whether this device pulled the entity `answers` names from the server (it recorded its
    /// author then): the server held it once.
    fn pulled_entity(store: &FieldStore, answers: Option<Ulid>) -> Result<bool, SyncError> {
        Ok(match answers {
            Some(entity) => store
                .get_state::<PractitionerId>(&format!("{AUTHOR_PREFIX}{entity}"))?
                .is_some(),
            None => false,
        })
    }

    fn push_all(
        &self,
        store: &FieldStore,
        signer: &Signer<'_>,
        actor: PractitionerId,
        roster: Option<&RosterBody>,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let batch = self
            .config
            .push_batch
            .clamp(1, u32::try_from(MAX_BATCH_ENVELOPES).unwrap_or(500));
        let mut budget = PUSH_BYTES_BUDGET;
        loop {
            let mut due: Vec<OutboxEntry<Envelope>> = store.outbox_due(actor, batch)?;
            if due.is_empty() {
                if self.release_future_entries(store, actor)? {
                    continue;
                }
                return Ok(());
            }
            self.seal_due(store, signer, actor, roster, &mut due)?;
            // Cut by encoded size as well as by count: entries after the cut stay pending and
            // lead the next batch; one that can never fit is rejected so it holds nothing back.
            let cut = cut_by_size(&due, budget)?;
            if !cut.oversize.is_empty() {
                let answers: Vec<(&str, OutboxAnswer)> = cut
                    .oversize
                    .iter()
                    .map(|(index, size)| (due[*index].id.as_str(), too_large_answer(*size, budget)))
                    .collect();
                let refs: Vec<(&str, &OutboxAnswer)> =
                    answers.iter().map(|(id, answer)| (*id, answer)).collect();
                store.outbox_answer_many(&refs)?;
                report.rejected += answers.len() as u64;
                tracing::warn!(
                    count = answers.len(),
                    limit = budget,
                    "outbox items too large for any request rejected"
                );
            }
            let batch: Vec<OutboxEntry<Envelope>> =
                cut.take.iter().map(|index| due[*index].clone()).collect();
            if batch.is_empty() {
                continue;
            }
            let ids: Vec<&str> = batch.iter().map(|entry| entry.id.as_str()).collect();
            store.outbox_mark_sent_many(&ids)?;
            match self.push_batch(signer, &batch) {
                Ok(response) => self.record_answers(store, &batch, &response, report)?,
                // The server (or a proxy in front of it) takes less than the client thought:
                // halve the budget and send the same entries again in smaller requests; one
                // entry alone over the server's limit is rejected as too large.
                Err(SyncError::Server {
                    code: ErrorCode::BodyTooLarge | ErrorCode::BatchTooLarge,
                    ..
                }) => {
                    store.outbox_retry_later_many(&ids, due_at_once())?;
                    if batch.len() == 1 {
                        let answer = too_large_answer(cut.bytes, cut.bytes.saturating_sub(1));
                        store.outbox_answer_many(&[(batch[0].id.as_str(), &answer)])?;
                        report.rejected += 1;
                    } else {
                        budget = (cut.bytes / 2).max(1);
                    }
                }
                Err(err) => {
                    store.outbox_retry_later_many(&ids, due_at_once())?;
                    return Err(err);
                }
            }
        }
    }

    /// Entries queued while the device clock ran ahead carry an attempt time in the future
    /// once the clock is corrected, and would wait for it (hours). The client's backoff, not
    /// the entry's time, decides when to send, so such entries are made due now. Returns
    /// whether any were.
    fn release_future_entries(
        &self,
        store: &FieldStore,
        actor: PractitionerId,
    ) -> Result<bool, SyncError> {
        if store.outbox_counts()?.pending == 0 {
            return Ok(false);
        }
        let now = self.clock.try_now()?;
        let pending = store.outbox_in_state::<Envelope>(actor, OutboxState::Pending)?;
        let future: Vec<&str> = pending
            .iter()
            .filter(|entry| entry.next_attempt_at > now)
            .map(|entry| entry.id.as_str())
            .collect();
        if future.is_empty() {
            return Ok(false);
        }
        store.outbox_retry_later_many(&future, due_at_once())?;
        Ok(true)
    }

    fn push_batch(
        &self,
        signer: &Signer<'_>,
        due: &[OutboxEntry<Envelope>],
    ) -> Result<PushResponse, SyncError> {
        let request = PushRequest {
            envelopes: due.iter().map(|entry| entry.payload.clone()).collect(),
        };
        let body = serde_json::to_vec(&request).map_err(|err| SyncError::Encode(err.into()))?;
        self.transport.signed(signer, "POST", paths::PUSH, &body)
    }

    fn record_answers(
        &self,
        store: &FieldStore,
        due: &[OutboxEntry<Envelope>],
        response: &PushResponse,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let mut answers: Vec<Option<OutboxAnswer>> = vec![None; due.len()];
        for result in &response.results {
            let Some(entry) = due.get(result.index) else {
                continue;
            };
            // An answer naming another id than the one sent at that index is not trusted.
            if result.id.is_some_and(|id| id != entry.payload.id) {
                continue;
            }
            answers[result.index] = Some(match &result.outcome {
                EnvelopeOutcome::Accepted { .. } => OutboxAnswer::Accepted,
                EnvelopeOutcome::Duplicate { .. } => OutboxAnswer::Duplicate,
                EnvelopeOutcome::Conflict { .. } => OutboxAnswer::Rejected {
                    code: "conflict".into(),
                    reason: "the server already holds a different version under this id".into(),
                },
                EnvelopeOutcome::Rejected {
                    code: RejectCode::AnswersNotVisible,
                    ..
                } if Self::pulled_entity(store, entry.payload.answers)? => OutboxAnswer::Rejected {
                    code: ANSWERS_NOT_VISIBLE.into(),
                    reason: "what this answers is not on the regional server now (restored from \
                             a backup?): sent again at every sync until its sender's phone \
                             sends it again"
                        .into(),
                },
                EnvelopeOutcome::Rejected { code, reason } => OutboxAnswer::Rejected {
                    code: serde_json::to_value(code)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_else(|| "rejected".into()),
                    reason: reason.clone(),
                },
            });
        }
        let mut answered: Vec<(&str, &OutboxAnswer)> = Vec::with_capacity(due.len());
        let mut unanswered: Vec<&str> = Vec::new();
        for (entry, answer) in due.iter().zip(&answers) {
            match answer {
                Some(answer) => {
                    match answer {
                        OutboxAnswer::Accepted => report.accepted += 1,
                        OutboxAnswer::Duplicate => report.duplicate += 1,
                        OutboxAnswer::Rejected { .. } => report.rejected += 1,
                    }
                    answered.push((entry.id.as_str(), answer));
                }
                None => unanswered.push(entry.id.as_str()),
            }
        }
        store.outbox_answer_many(&answered)?;
        // The server answers every envelope; one it did not is simply sent again.
        if !unanswered.is_empty() {
            store.outbox_retry_later_many(&unanswered, due_at_once())?;
        }
        Ok(())
    }

    fn pull_all(
        &self,
        store: &FieldStore,
        signer: &Signer<'_>,
        actor: PractitionerId,
        sink: &dyn InboundSink,
        keys: &[&EncryptionKeyPair],
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let mut cursor: u64 = store.get_state(CURSOR_STATE)?.unwrap_or(0);
        let mut cursor_id: Option<EnvelopeId> = store.get_state(CURSOR_ID_STATE)?;
        let mut directory: u64 = store.get_state(DIRECTORY_STATE)?.unwrap_or(0);
        // Who may author what (every pulled envelope's signature is checked against it), and
        // whom to phone about an envelope this device cannot open: its sender's teams.
        let mut roster = Self::current_roster(store)?;
        let mut roster_refetched = false;
        // Bumped when the roster is replaced, so a verdict made against the older one is
        // made again.
        let mut roster_generation: u32 = 0;
        loop {
            let query = PullQuery {
                after: cursor,
                after_id: cursor_id.filter(|_| cursor > 0),
                limit: Some(self.config.pull_page.clamp(1, MAX_PULL_LIMIT)),
                directory_after: Some(directory),
                team: None,
            };
            let path = format!("{}{}", paths::PULL, query.to_query_string());
            let page: PullResponse = self.transport.signed(signer, "GET", &path, &[])?;
            let pulled_at = self.clock.try_now()?;
            let mut unreadable: Vec<UnreadableItem> = Vec::new();
            let keep = |err: InboundError, unreadable: &mut Vec<UnreadableItem>| match err {
                InboundError::Unreadable { id, reason } => {
                    tracing::warn!(envelope = %id, "pulled item not understood; kept visible");
                    // Kept as text: the sync status shows it, and it is stored with the item.
                    unreadable.push(UnreadableItem {
                        id,
                        reason: reason.to_string(),
                        pulled_at,
                        header: None,
                    });
                    Ok(())
                }
                err @ (InboundError::Store(_) | InboundError::Local(_)) => {
                    Err(SyncError::Inbound(err))
                }
            };
            if let Some(version) = &page.directory {
                if version.version > directory {
                    match sink.apply_directory(version) {
                        Ok(()) => report.directory_updated = true,
                        Err(err) => keep(err, &mut unreadable)?,
                    }
                    directory = version.version;
                }
            }
            let mut authors: Vec<(Ulid, PractitionerId)> = Vec::new();
            let mut answered: Vec<Answered> = Vec::new();
            // This practitioner's own envelopes the server returned: it holds them.
            let mut own: Vec<String> = Vec::new();
            // Every author proven and every body opened before any is used, spread over the
            // device's cores ([`pulled`]); the verdicts come back in the page's order.
            let sealed_page: Vec<&Envelope> = page.envelopes.iter().map(|p| &p.envelope).collect();
            let verdicts = pulled::check_and_open_page(&sealed_page, roster.as_ref(), keys);
            let checked_against = roster_generation;
            for (sealed, mut verdict) in sealed_page.into_iter().zip(verdicts) {
                if sealed.author == actor {
                    own.push(sealed.id.to_string());
                }
                if matches!(
                    verdict,
                    PulledVerdict::NotAuthentic(AuthorshipError::UnknownDevice(_))
                ) {
                    if !roster_refetched {
                        // A device enrolled after this sync fetched the roster: fetch it once
                        // more.
                        roster_refetched = true;
                        if let Some(newer) = self.refresh_roster(store, signer, actor)? {
                            roster = Some(newer);
                            roster_generation += 1;
                        }
                    }
                    if checked_against != roster_generation {
                        verdict = pulled::check_and_open(sealed, roster.as_ref(), keys);
                    }
                }
                let opened = match verdict {
                    PulledVerdict::NotAuthentic(err) => {
                        // Not proven to come from the device it names: nothing of it is used
                        // but its listing, so a made-up envelope is seen (and can be
                        // reported), never acted on, and a real one from a device not yet on
                        // this roster stays in view until a later roster proves it.
                        tracing::warn!(envelope = %sealed.id, error = %err, "pulled envelope's author not verified; kept visible");
                        unreadable.push(UnreadableItem {
                            id: sealed.id.to_string(),
                            reason: format!(
                                "not readable on this device: the sender could not be verified ({err})"
                            ),
                            pulled_at,
                            header: Some(unreadable_header(sealed, roster.as_ref())),
                        });
                        report.unreadable += 1;
                        continue;
                    }
                    PulledVerdict::Authentic(opened) => opened,
                };
                // Proven against the roster held, which keeps every device it ever listed
                // (`accept_next`), so it lists the author; the answers it gives are held to
                // what this device could really give (its teams, its revocation).
                let Some(author) = roster
                    .as_ref()
                    .and_then(|r| r.device(sealed.device))
                    .cloned()
                else {
                    unreadable.push(UnreadableItem {
                        id: sealed.id.to_string(),
                        reason: format!(
                            "not readable on this device: the sender could not be verified ({})",
                            AuthorshipError::UnknownDevice(sealed.device)
                        ),
                        pulled_at,
                        header: Some(unreadable_header(sealed, roster.as_ref())),
                    });
                    report.unreadable += 1;
                    continue;
                };
                if !sealed.kind.requires_answers() {
                    // An entity has one author (an honest server refuses another's envelope
                    // under its id, `entity_not_owned`). A second author of a known entity is
                    // a server, or someone in front of it, re-using the id: learning that
                    // author would seal the answers to this entity (an acknowledgement's
                    // read-back) to them. The first author stands; the other is listed.
                    let known = match authors.iter().find(|(e, _)| *e == sealed.entity_id) {
                        Some((_, known)) => Some(*known),
                        None => store.get_state::<PractitionerId>(&format!(
                            "{AUTHOR_PREFIX}{}",
                            sealed.entity_id
                        ))?,
                    };
                    if known.is_some_and(|known| known != sealed.author) {
                        tracing::warn!(envelope = %sealed.id, "pulled envelope re-uses another author's entity id; kept visible");
                        unreadable.push(UnreadableItem {
                            id: sealed.id.to_string(),
                            reason: "not readable on this device: its entity id already \
                                     belongs to another author"
                                .to_owned(),
                            pulled_at,
                            header: Some(unreadable_header(sealed, roster.as_ref())),
                        });
                        report.unreadable += 1;
                        continue;
                    }
                    authors.push((sealed.entity_id, sealed.author));
                }
                if let (crate::sync::EnvelopeKind::Acknowledgement, Some(entity)) =
                    (sealed.kind, sealed.answers)
                {
                    answered.push(Answered {
                        entity,
                        teams: author.teams.clone(),
                        revoked_at: author.revoked_at,
                    });
                }
                let opened = match opened {
                    Ok(opened) => opened,
                    Err(err) => {
                        tracing::warn!(envelope = %sealed.id, "pulled envelope not sealed to this device; kept visible");
                        unreadable.push(UnreadableItem {
                            id: sealed.id.to_string(),
                            reason: not_readable_reason(&err),
                            pulled_at,
                            header: Some(unreadable_header(sealed, roster.as_ref())),
                        });
                        report.unreadable += 1;
                        continue;
                    }
                };
                match sink.apply_verified(&opened, &author) {
                    Ok(()) => report.pulled += 1,
                    Err(err) => {
                        keep(err, &mut unreadable)?;
                        report.unreadable += 1;
                    }
                }
            }
            // A cursor never moves backwards, whatever a (buggy or replayed) answer says. The id
            // kept with it is the envelope at that sequence, as this page returned it.
            let next = page.next_after.max(cursor);
            if let Some(last) = page.envelopes.last().filter(|last| last.seq == next) {
                cursor_id = Some(last.envelope.id);
            } else if next != cursor {
                cursor_id = None;
            }
            let mut kept: Vec<UnreadableItem> =
                store.get_state(UNREADABLE_STATE)?.unwrap_or_default();
            for item in unreadable {
                if !kept.iter().any(|k| k.id == item.id) {
                    kept.push(item);
                }
            }
            // An acknowledgement pulled (readable or not) closes "needs attention" for an
            // unreadable share it answers, if it could be a real one; the item itself stays
            // listed.
            for header in kept.iter_mut().filter_map(|k| k.header.as_mut()) {
                if header.answered_at.is_none() && answered.iter().any(|a| a.closes(header)) {
                    header.answered_at = Some(pulled_at);
                }
            }
            store.write(actor, |tx| {
                for (entity, author) in &authors {
                    tx.put_state(&format!("{AUTHOR_PREFIX}{entity}"), author)?;
                }
                tx.put_state(CURSOR_STATE, &next)?;
                match &cursor_id {
                    Some(id) => tx.put_state(CURSOR_ID_STATE, id)?,
                    None => tx.delete_state(CURSOR_ID_STATE)?,
                }
                tx.put_state(DIRECTORY_STATE, &directory)?;
                tx.put_state(UNREADABLE_STATE, &kept)
            })?;
            if !own.is_empty() {
                let refs: Vec<&str> = own.iter().map(String::as_str).collect();
                store.outbox_confirm_many(&refs)?;
            }
            cursor = next;
            if !page.more || page.envelopes.is_empty() {
                return Ok(());
            }
        }
    }
}

fn rejected_item(entry: OutboxEntry<Envelope>) -> RejectedItem {
    RejectedItem {
        id: entry.payload.id,
        kind: entry.payload.kind,
        captured_at: entry.created_at,
        code: entry.rejection_code.unwrap_or_else(|| "rejected".into()),
        reason: entry.note.unwrap_or_default(),
    }
}

impl SyncClient {
    /// The secret-store names of every encryption key this device holds (current and
    /// rotated-away), so an owner wiping the device can delete them all from the keystore.
    pub fn encryption_key_secrets(store: &FieldStore) -> Result<Vec<String>, SyncError> {
        let held: Vec<HeldKey> = store.get_state(KEYS_STATE)?.unwrap_or_default();
        Ok(held.iter().map(|e| key_secret_name(e.key_id)).collect())
    }
}

/// Wipes the device after a `device_revoked` answer: the signing key first, then the store
/// and its data key (the file no longer opens; nothing captured can be read from it).
pub fn wipe_after_revocation(
    store: FieldStore,
    secrets: &dyn SecretStore,
) -> Result<(), SyncError> {
    secrets.delete(DEVICE_KEY_SECRET)?;
    let held: Vec<HeldKey> = store
        .get_state(KEYS_STATE)
        .ok()
        .flatten()
        .unwrap_or_default();
    for entry in held {
        secrets.delete(&key_secret_name(entry.key_id))?;
    }
    store.wipe(secrets)?;
    tracing::warn!("device revoked: local store and keys wiped");
    Ok(())
}

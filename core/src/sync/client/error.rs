//! The sync client's one error type. Variants say what the shell should do: nothing but wait
//! (transient), show the user (refused enrolment, rejected items), or wipe (revoked). None
//! carries personal data: only codes, ids and library messages. A JSON failure is kept as a
//! [`JsonFault`] (category and position), never as serde's message: a pulled page carries
//! sealed envelopes and a pushed one a practitioner's records, and serde quotes what it reads.

use crate::json_fault::JsonFault;
use crate::secrets::SecretStoreError;
use crate::store::StoreError;
use crate::sync::{ErrorCode, SigningError};

/// Why a configured server address is not used (see [`SyncError::InsecureServerUrl`]).
#[derive(Debug, thiserror::Error)]
pub enum ServerUrlProblem {
    /// It does not parse as a URL; the parser's error (which names the fault, not the text)
    /// is kept as the source.
    #[error("not a URL ({0})")]
    NotAUrl(#[source] url::ParseError),
    /// Plain `http://` to another machine.
    #[error("plain http:// is allowed only to this device (loopback); use https://")]
    PlainHttp,
    /// A scheme other than `https://` or `http://`.
    #[error("unsupported scheme {0}://; use https://")]
    Scheme(String),
}

/// What went wrong talking to the regional server or recording the result.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The device has not been enrolled yet: there is no identity to sign with.
    #[error("this device is not enrolled")]
    NotEnrolled,
    /// The device is already enrolled; enrolling again would orphan its identity.
    #[error("this device is already enrolled")]
    AlreadyEnrolled,
    /// The server refused the one-time code (unknown, used or expired); nothing changed.
    #[error("the enrolment code was refused ({0:?})")]
    EnrolmentRefused(ErrorCode),
    /// The code was issued for another practitioner than the one this store belongs to.
    #[error("the enrolment code belongs to another practitioner")]
    PractitionerMismatch,
    /// The server says this device was revoked: the local store and keys must be wiped.
    #[error("this device was revoked by the region's administrator")]
    Revoked,
    /// The server does not know this device (`unknown_device`): its data was restored from a
    /// backup taken before the device enrolled, or lost. Nothing captured is lost; the device
    /// needs a re-enrolment code for its practitioner ([`super::SyncClient::reenrol`]). Not
    /// retried on its own: someone must issue the code.
    #[error("the regional server no longer knows this device: it needs re-enrolment")]
    UnknownDevice,
    /// The server says this device was retired (handed back) and nothing is left in its
    /// outbox: everything it captured was delivered, so the local store and keys must be
    /// wiped now.
    #[error("this device was retired by the region's administrator and everything was delivered")]
    Retired,
    /// The device was retired but its outbox still holds items (waiting, or refused by the
    /// server and awaiting the user's fix or discard): it keeps them, and wipes once none is
    /// left.
    #[error("this device was retired; {remaining} item(s) must be delivered or resolved before it wipes")]
    RetiredWithItemsLeft {
        /// Items still pending, in flight or rejected.
        remaining: u64,
    },
    /// The server's TLS certificate was refused (not from the region's pinned certificate
    /// authority, expired, or for another host name). Not retried: someone must fix the
    /// server's certificate or the app's configuration.
    #[error("the server is not trusted: {0}")]
    UntrustedServer(super::TlsRefusal),
    /// The server address is not usable: not `https://` (plain `http://` only to loopback).
    #[error("the server address is not allowed: {0}")]
    InsecureServerUrl(#[source] ServerUrlProblem),
    /// `https://` was configured without the region's certificate authority to pin.
    #[error("no region certificate authority is configured for https")]
    NoRegionTrust,
    /// No answer: connection refused, reset or timed out. Retried with backoff.
    #[error("the server could not be reached: {0}")]
    Network(#[source] reqwest::Error),
    /// The server answered a whole request with an error code.
    #[error("the server refused the request: {code:?} (HTTP {status})")]
    Server {
        /// The code to act on.
        code: ErrorCode,
        /// The HTTP status.
        status: u16,
    },
    /// The server's answer was not what the protocol says (truncated, wrong shape).
    #[error("the server's answer could not be read: {0}")]
    BadResponse(#[from] BadResponse),
    /// A request body could not be encoded as JSON (a bug: the request types always encode).
    /// Treated like a bad answer: nothing was sent, the work stays queued.
    #[error("a request could not be encoded: {0}")]
    Encode(#[source] JsonFault),
    /// The device clock is so far off that even a corrected request was stale.
    #[error("the device clock is {skew_secs} s away from the server's")]
    ClockSkew {
        /// Device minus server, seconds.
        skew_secs: i64,
    },
    /// Applying a pulled envelope failed; the cursor was not moved, so it is pulled again.
    #[error("a pulled item could not be applied: {0}")]
    Inbound(#[from] InboundError),
    /// The local store failed (full disk, read-only file, ...); nothing was lost.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Signing failed (unreadable device key, no randomness).
    #[error(transparent)]
    Signing(#[from] SigningError),
    /// The platform secret store failed.
    #[error(transparent)]
    SecretStore(#[from] SecretStoreError),
    /// Another sync or enrolment is running on this client (from another thread, or from a
    /// platform callback of the running one); nothing was done. The running one carries the
    /// work; try again when it finishes.
    #[error("a sync is already running on this device")]
    Busy,
    /// A roster from the server was refused (not signed by the pinned region key, older than
    /// the one held, not chaining to it, rewriting a device's history, or listing this device
    /// with keys it does not hold): nothing is sealed to its devices.
    #[error("the region roster was refused: {0}")]
    Roster(#[from] crate::sync::RosterError),
    /// The device holds no region key or no roster yet, so it cannot seal (the server has no
    /// region key configured, or enrolment predates it).
    #[error("no signed region roster is held: cannot seal")]
    NoRoster,
    /// Sealing an outgoing body failed (no recipient, bad key, no randomness); it stays queued.
    #[error("an outgoing body could not be sealed: {0}")]
    Seal(#[from] crate::crypto::envelope_seal::SealError),
}

impl From<crate::clock::ClockError> for SyncError {
    fn from(err: crate::clock::ClockError) -> Self {
        SyncError::Store(StoreError::Clock(err))
    }
}

impl SyncError {
    /// Whether the same sync may succeed later without anyone doing anything (network,
    /// server busy, local store briefly unwritable). Revocation, refused enrolment and a
    /// missing identity are not transient.
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Network(_)
            | SyncError::BadResponse(_)
            | SyncError::Encode(_)
            | SyncError::ClockSkew { .. }
            | SyncError::Inbound(_)
            | SyncError::Store(_)
            | SyncError::Busy => true,
            SyncError::Server { code, .. } => {
                code.is_transient()
                    || matches!(
                        code,
                        ErrorCode::ReplayedNonce
                            | ErrorCode::StaleTimestamp
                            // The next sync starts the pull again from 0.
                            | ErrorCode::UnknownPosition
                    )
            }
            SyncError::NotEnrolled
            | SyncError::AlreadyEnrolled
            | SyncError::EnrolmentRefused(_)
            | SyncError::PractitionerMismatch
            | SyncError::Revoked
            | SyncError::UnknownDevice
            | SyncError::Retired
            | SyncError::RetiredWithItemsLeft { .. }
            | SyncError::UntrustedServer(_)
            | SyncError::InsecureServerUrl(_)
            | SyncError::NoRegionTrust
            | SyncError::Signing(_)
            | SyncError::SecretStore(_)
            | SyncError::Roster(_)
            | SyncError::NoRoster
            | SyncError::Seal(_) => false,
        }
    }

    /// A short stable name for the status screen and logs (no personal data).
    pub fn code(&self) -> &'static str {
        match self {
            SyncError::NotEnrolled => "not_enrolled",
            SyncError::AlreadyEnrolled => "already_enrolled",
            SyncError::EnrolmentRefused(_) => "enrolment_refused",
            SyncError::PractitionerMismatch => "practitioner_mismatch",
            SyncError::Revoked => "revoked",
            SyncError::UnknownDevice => "unknown_device",
            SyncError::Retired => "retired",
            SyncError::RetiredWithItemsLeft { .. } => "retired_items_left",
            SyncError::UntrustedServer(_) => "untrusted_server",
            SyncError::InsecureServerUrl(_) => "insecure_server_url",
            SyncError::NoRegionTrust => "no_region_trust",
            SyncError::Network(_) => "network",
            SyncError::Server { .. } => "server",
            SyncError::BadResponse(_) => "bad_response",
            SyncError::Encode(_) => "encode",
            SyncError::ClockSkew { .. } => "clock_skew",
            SyncError::Inbound(_) => "inbound",
            SyncError::Store(_) => "local_store",
            SyncError::Signing(_) => "signing",
            SyncError::SecretStore(_) => "secret_store",
            SyncError::Busy => "busy",
            SyncError::Roster(_) => "roster_refused",
            SyncError::NoRoster => "no_roster",
            SyncError::Seal(_) => "seal",
        }
    }
}

/// Why the server's answer could not be read. Neither variant holds any of the answer's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadResponse {
    /// A success status whose body is not the shape the protocol gives it.
    #[error("its body is not the protocol's: {0}")]
    Undecodable(#[source] JsonFault),
    /// An error status without the protocol's error body (a proxy's page, a cut-off answer).
    #[error("HTTP {status} without an error body")]
    NoErrorBody {
        /// The HTTP status.
        status: u16,
    },
}

/// Why a pulled envelope or directory could not be applied by the [`super::InboundSink`].
#[derive(Debug, thiserror::Error)]
pub enum InboundError {
    /// The local store refused the write (read-only, full); it will be pulled again.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The receiving side failed for a reason that may pass (its storage, a lock); the page
    /// is pulled again next time.
    #[error("the device could not apply it: {0}")]
    Local(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The envelope (or directory) cannot be understood by this app (bad body, unknown
    /// version). Pulling it again would not help and would block everything after it, so the
    /// client records it where the sync status shows it and carries on.
    #[error("envelope {id} cannot be applied: {reason}")]
    Unreadable {
        /// The envelope id.
        id: String,
        /// What is wrong (its text names no personal data: the sync status shows it).
        #[source]
        reason: Box<dyn std::error::Error + Send + Sync>,
    },
}

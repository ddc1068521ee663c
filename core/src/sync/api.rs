//! Request and response bodies of the `/v1/` endpoints, the error codes, and the limits.
//!
//! Every error the server sends is an [`ErrorBody`] whose `code` is one [`ErrorCode`]; a
//! client acts on the code, never on the message text. Per-envelope push outcomes are
//! [`EnvelopeOutcome`]s; a rejected envelope carries a [`RejectCode`] and a reason the device
//! shows to the user (it is never dropped silently).

use crate::model::{DeviceId, PractitionerId, TeamId};
use crate::sync::envelope::{Envelope, EnvelopeId};
use crate::sync::signing::DevicePublicKey;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Most envelopes one push may carry; more is refused whole with 413 `batch_too_large`.
pub const MAX_BATCH_ENVELOPES: usize = 500;
/// Largest request body the server reads; more is refused with 413 `body_too_large`.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// Most envelopes one pull page returns.
pub const MAX_PULL_LIMIT: u32 = 500;
/// Page size when a pull names none.
pub const DEFAULT_PULL_LIMIT: u32 = 200;
/// Largest plaintext body a device queues: sealed to a roster's recipients and base64-encoded
/// it stays well under [`MAX_BODY_BYTES`], so a record accepted at capture can always be sent
/// (alone, if need be). Larger is refused at capture (docs/sync.md, "Size").
pub const MAX_SHARED_BODY_BYTES: usize = 1024 * 1024;
/// Response header carrying the server's clock (RFC 3339, milliseconds) on every answer: the
/// device corrects its clock offset from it at every sync (docs/sync.md, "Clocks").
pub const SERVER_TIME_HEADER: &str = "x-safeshare-server-time";

/// Paths of the v1 API (relative to the server's base URL).
pub mod paths {
    /// `POST`: enrol a device with a one-time code (unsigned).
    pub const ENROL: &str = "/v1/enrol";
    /// `POST`: push a batch of envelopes (signed).
    pub const PUSH: &str = "/v1/push";
    /// `GET`: pull envelopes after a cursor (signed).
    pub const PULL: &str = "/v1/pull";
    /// `GET`: the signing device's own record (signed).
    pub const DEVICE: &str = "/v1/device";
    /// `GET`: the latest contacts directory (signed).
    pub const DIRECTORY: &str = "/v1/directory";
    /// `GET`: the signed region roster versions after `?after=N` (signed).
    pub const ROSTER: &str = "/v1/roster";
    /// `POST`: register or rotate the signing device's X25519 encryption key (signed).
    pub const ENCRYPTION_KEY: &str = "/v1/encryption-key";
    /// `GET`: liveness and storage check (unsigned).
    pub const HEALTHZ: &str = "/healthz";
    /// `GET`: Prometheus metrics (unsigned).
    pub const METRICS: &str = "/metrics";
}

/// What went wrong with a whole request. Each code has one HTTP status ([`ErrorCode::status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the body is not JSON of the expected shape.
    MalformedJson,
    /// 400: a query parameter or other part of the request is invalid.
    MalformedRequest,
    /// 400: the enrolment public key is not a 32-byte Ed25519 key.
    BadPublicKey,
    /// 401: signature headers missing or unreadable.
    MissingSignature,
    /// 401: no device with this id is enrolled.
    UnknownDevice,
    /// 401: the signature does not verify against the device's key.
    BadSignature,
    /// 401: the timestamp is more than 5 minutes from the server's clock.
    StaleTimestamp,
    /// 401: this nonce was already used by this device.
    ReplayedNonce,
    /// 403: the device was revoked; the device must wipe its local store.
    DeviceRevoked,
    /// 403: the device was retired (handed back): it may still push its outbox, roster and
    /// encryption key, but every other route answers this; once nothing is left in its outbox
    /// it wipes its local store (docs/protocol.md, "Retired devices").
    DeviceRetired,
    /// 403: the request names a team the device's practitioner is not a member of.
    TeamNotMember,
    /// 403: no such enrolment code.
    EnrolmentCodeUnknown,
    /// 403: the enrolment code was already used.
    EnrolmentCodeUsed,
    /// 403: the enrolment code has expired.
    EnrolmentCodeExpired,
    /// 404: no such endpoint, or nothing there yet (e.g. no directory imported).
    NotFound,
    /// 405: method not allowed on this path.
    MethodNotAllowed,
    /// 413: more than [`MAX_BATCH_ENVELOPES`] envelopes in one push.
    BatchTooLarge,
    /// 413: body larger than [`MAX_BODY_BYTES`].
    BodyTooLarge,
    /// 408: the request took too long and was abandoned (nothing half-applied).
    Timeout,
    /// 500: the server failed; retry later.
    Internal,
    /// 503: the server is shutting down or its storage is unavailable; retry later.
    Unavailable,
    /// 429: too many requests from this address (enrolment); retry after the `Retry-After`
    /// header's seconds.
    TooManyRequests,
    /// 409: the pull names a position (`after` with `after_id`) the server does not hold: its
    /// data was restored from an earlier backup, or its sequence numbers were reused since.
    /// The device starts again from 0 (docs/sync.md, "Server restored from a backup").
    UnknownPosition,
}

impl ErrorCode {
    /// The HTTP status that carries this code.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::MalformedJson | ErrorCode::MalformedRequest | ErrorCode::BadPublicKey => 400,
            ErrorCode::MissingSignature
            | ErrorCode::UnknownDevice
            | ErrorCode::BadSignature
            | ErrorCode::StaleTimestamp
            | ErrorCode::ReplayedNonce => 401,
            ErrorCode::DeviceRevoked
            | ErrorCode::DeviceRetired
            | ErrorCode::TeamNotMember
            | ErrorCode::EnrolmentCodeUnknown
            | ErrorCode::EnrolmentCodeUsed
            | ErrorCode::EnrolmentCodeExpired => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Timeout => 408,
            ErrorCode::UnknownPosition => 409,
            ErrorCode::BatchTooLarge | ErrorCode::BodyTooLarge => 413,
            ErrorCode::Internal => 500,
            ErrorCode::Unavailable => 503,
            ErrorCode::TooManyRequests => 429,
        }
    }

    /// Whether retrying the same request later can succeed (transient), as opposed to a
    /// request that must be changed (permanent).
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            ErrorCode::Timeout
                | ErrorCode::Internal
                | ErrorCode::Unavailable
                | ErrorCode::TooManyRequests
        )
    }
}

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What went wrong; act on this.
    pub code: ErrorCode,
    /// A human-readable explanation for logs and operators (no personal data).
    pub message: String,
    /// True with [`ErrorCode::DeviceRevoked`] (wipe the local store and the data key now) and
    /// with [`ErrorCode::DeviceRetired`] (wipe once nothing is left in the outbox).
    #[serde(default)]
    pub wipe: bool,
    /// With [`ErrorCode::StaleTimestamp`]: the server's clock, so a device can see its skew.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_time: Option<DateTime<Utc>>,
}

/// `POST /v1/enrol` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    /// The one-time code the admin issued.
    pub code: String,
    /// The device's Ed25519 public key.
    pub public_key: DevicePublicKey,
}

/// `POST /v1/enrol` answer (200), and `GET /v1/device` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceInfo {
    /// The id to send in the device header of every signed request.
    pub device_id: DeviceId,
    /// The practitioner this device belongs to.
    pub practitioner_id: PractitionerId,
    /// The practitioner's teams: pulls return what is addressed to these.
    pub teams: Vec<TeamId>,
    /// The server's clock when answering.
    pub server_time: DateTime<Utc>,
    /// The region key rosters are signed with: pinned by the device at enrolment. Absent only
    /// from a server without a region key, with which a device cannot seal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_key: Option<crate::sync::roster::RegionPublicKey>,
}

/// `POST /v1/push` body, as a device sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    /// At most [`MAX_BATCH_ENVELOPES`] envelopes.
    pub envelopes: Vec<Envelope>,
}

/// Why one envelope of a push was rejected (nothing of it was stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectCode {
    /// Not a readable envelope (missing or ill-typed field, bad base64, unknown field).
    Malformed,
    /// The kind is not one this server knows.
    UnknownKind,
    /// The wire version is not supported.
    UnsupportedVersion,
    /// The author is not the signing device's practitioner, or the device field is not the
    /// signing device.
    AuthorMismatch,
    /// The audience names a team unknown to the region, or is empty where the kind needs one.
    AudienceNotAllowed,
    /// The entity it answers is unknown or not visible to the device's practitioner.
    AnswersNotVisible,
    /// The entity it answers is of a kind this kind cannot answer (an acknowledgement of a
    /// referral, a decision on a share, an answer to a call record):
    /// [`crate::sync::EnvelopeKind::answerable`].
    AnswersWrongKind,
    /// A field this kind requires (due_at, answers) is missing.
    MissingField,
    /// The entity id belongs to another author, or to another kind: the first accepted
    /// envelope of an entity fixes both (docs/protocol.md, "Entity ownership").
    EntityNotOwned,
    /// The envelope's author signature is missing or does not verify with the signing
    /// device's key ([`crate::sync::authorship`]).
    BadAuthorSignature,
    /// The envelope id is not available to this author. Answered the same whatever the
    /// content, and without a sequence, so it says nothing about another author's envelope.
    IdUnavailable,
}

/// The outcome for one envelope of a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum EnvelopeOutcome {
    /// Stored now at this region sequence.
    Accepted {
        /// Region sequence number.
        seq: u64,
    },
    /// Already stored with the same content (at this sequence): nothing to do.
    Duplicate {
        /// Region sequence number of the stored copy.
        seq: u64,
    },
    /// Already stored with different content: the stored copy stands; the device must make
    /// a new envelope (new id) if it means to change something.
    Conflict {
        /// Region sequence number of the stored copy.
        seq: u64,
    },
    /// Refused; nothing of it stored.
    Rejected {
        /// Why.
        code: RejectCode,
        /// Operator-readable detail (no personal data).
        reason: String,
    },
}

/// One entry of a push answer, in request order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResult {
    /// Position in the request's `envelopes` array.
    pub index: usize,
    /// The envelope id, when it could be read.
    pub id: Option<EnvelopeId>,
    /// What happened.
    #[serde(flatten)]
    pub outcome: EnvelopeOutcome,
}

/// `POST /v1/push` answer (200 whenever the batch itself was readable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// One result per envelope sent, in the same order.
    pub results: Vec<PushResult>,
}

/// One envelope of a pull page with its region sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PulledEnvelope {
    /// Region sequence number: the cursor after this envelope.
    pub seq: u64,
    /// The envelope as pushed.
    pub envelope: Envelope,
}

/// A version of the contacts directory, as imported by the region's admin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectoryVersion {
    /// Increases by one with each import.
    pub version: u64,
    /// When it was imported.
    pub imported_at: DateTime<Utc>,
    /// The directory document (format owned by `crate::directory`).
    pub document: serde_json::Value,
}

/// `GET /v1/pull` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    /// Envelopes after the cursor, in sequence order: addressed to the device's teams,
    /// authored by its practitioner, or answering an entity its practitioner authored.
    pub envelopes: Vec<PulledEnvelope>,
    /// The cursor for the next pull (the last sequence returned, or the request's `after`).
    pub next_after: u64,
    /// True when another page is waiting: pull again at once.
    pub more: bool,
    /// The latest directory, when newer than the request's `directory_after`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory: Option<DirectoryVersion>,
}

/// Query of `GET /v1/pull`: `?after=N&after_id=ID&limit=N&directory_after=N&team=ID`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullQuery {
    /// Return envelopes with sequence greater than this (0 to start).
    #[serde(default)]
    pub after: u64,
    /// The id of the envelope at sequence `after` (the last one the device applied). When
    /// given with a non-zero `after`, the server answers 409 [`ErrorCode::UnknownPosition`]
    /// unless it holds exactly this envelope at that sequence, so a device never skips what a
    /// restored server numbers again.
    #[serde(default)]
    pub after_id: Option<EnvelopeId>,
    /// Page size (default [`DEFAULT_PULL_LIMIT`], at most [`MAX_PULL_LIMIT`]).
    #[serde(default)]
    pub limit: Option<u32>,
    /// The directory version the device holds (0 or absent: none).
    #[serde(default)]
    pub directory_after: Option<u64>,
    /// Narrow to one of the device's teams; naming another team is refused (403).
    #[serde(default)]
    pub team: Option<TeamId>,
}

impl PullQuery {
    /// The query string (with leading `?`) exactly as it must be signed and sent.
    pub fn to_query_string(&self) -> String {
        let mut out = format!("?after={}", self.after);
        if let Some(id) = self.after_id {
            out.push_str(&format!("&after_id={id}"));
        }
        if let Some(limit) = self.limit {
            out.push_str(&format!("&limit={limit}"));
        }
        if let Some(version) = self.directory_after {
            out.push_str(&format!("&directory_after={version}"));
        }
        if let Some(team) = self.team {
            out.push_str(&format!("&team={team}"));
        }
        out
    }
}

/// `GET /healthz` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `"ok"` when the storage answered.
    pub status: String,
    /// `"sqlite"` or `"postgres"`.
    pub storage: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_are_tagged_by_status_on_the_wire() {
        let result = PushResult {
            index: 3,
            id: None,
            outcome: EnvelopeOutcome::Rejected {
                code: RejectCode::AudienceNotAllowed,
                reason: "team unknown".into(),
            },
        };
        let value = serde_json::to_value(&result).unwrap();
        assert_eq!(value["status"], "rejected");
        assert_eq!(value["code"], "audience_not_allowed");
        let back: PushResult = serde_json::from_value(value).unwrap();
        assert_eq!(back, result);
        let ok = serde_json::to_value(EnvelopeOutcome::Accepted { seq: 7 }).unwrap();
        assert_eq!(ok, serde_json::json!({"status": "accepted", "seq": 7}));
    }

    #[test]
    fn each_error_code_has_its_status_and_revocation_is_forbidden() {
        assert_eq!(ErrorCode::BadSignature.status(), 401);
        assert_eq!(ErrorCode::StaleTimestamp.status(), 401);
        assert_eq!(ErrorCode::ReplayedNonce.status(), 401);
        assert_eq!(ErrorCode::DeviceRevoked.status(), 403);
        assert_eq!(ErrorCode::BatchTooLarge.status(), 413);
        assert_eq!(ErrorCode::BodyTooLarge.status(), 413);
        assert!(ErrorCode::Unavailable.is_transient());
        assert!(!ErrorCode::DeviceRevoked.is_transient());
        assert_eq!(ErrorCode::DeviceRetired.status(), 403);
        assert!(!ErrorCode::DeviceRetired.is_transient());
        assert_eq!(
            serde_json::to_string(&ErrorCode::DeviceRetired).unwrap(),
            "\"device_retired\""
        );
        let json = serde_json::to_string(&ErrorCode::ReplayedNonce).unwrap();
        assert_eq!(json, "\"replayed_nonce\"");
    }

    #[test]
    fn pull_query_string_is_stable_for_signing() {
        let mut q = PullQuery {
            after: 42,
            after_id: None,
            limit: Some(10),
            directory_after: None,
            team: None,
        };
        assert_eq!(q.to_query_string(), "?after=42&limit=10");
        let id = EnvelopeId::new();
        q.after_id = Some(id);
        assert_eq!(
            q.to_query_string(),
            format!("?after=42&after_id={id}&limit=10")
        );
        assert_eq!(ErrorCode::UnknownPosition.status(), 409);
        assert!(!ErrorCode::UnknownPosition.is_transient());
    }
}

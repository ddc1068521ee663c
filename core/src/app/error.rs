//! The session's error: what every [`super::Session`] call returns, and what the boundary
//! ([`crate::boundary::error`]) turns into the shells' exception.
//!
//! Two tiers (application-services' pattern): this is the rich internal one. Each variant is a
//! case a shell acts on differently (show the reason next to a field, show a rule's refusal,
//! ask for the keystore to be restored, show the "device revoked" screen, retry later), and each
//! keeps the module error that caused it as its source ([`Reason`], [`StorageFault`],
//! [`TrustRefusal`], [`EnvelopeFault`], the store's and the sync client's errors): nothing here
//! turns a cause into text. The one place where an error becomes text for the shell, and where
//! what is logged is decided, is the mapping in [`crate::boundary::error`].
//!
//! Invariants and why:
//! - Each module error is classified here once, by a `From` impl that names every variant (no
//!   catch-all arm), so a new variant fails to compile until someone decides what the
//!   practitioner is shown.
//! - Texts never carry personal data: module errors name fields, kinds and ULIDs only, and a
//!   body that does not parse is described by serde's category and position
//!   ([`JsonFault`]), never serde's own message, which can quote the value it read.

use std::borrow::Cow;

use crate::casework::checklist::ChecklistError;
use crate::casework::decision::DecisionError;
use crate::casework::meeting::MeetingError;
use crate::casework::supervision::SupervisionError;
use crate::casework::team_around_child::TeamError;
use crate::casework::transfer::TransferError;
use crate::clock::ClockError;
use crate::directory::{
    AreaError, CallLogError, CallRecordError, DirectoryError, NumberChoiceError,
};
use crate::json_fault::JsonFault;
use crate::model::{IdParseError, ModelError};
use crate::rules::acknowledgement::AcknowledgementError;
use crate::rules::attention::AttentionError;
use crate::rules::escalation::EscalationError;
use crate::rules::nhs_number::NhsNumberError;
use crate::rules::patterns::PatternError;
use crate::rules::referral::ReferralError;
use crate::secrets::SecretStoreError;
use crate::store::StoreError;
use crate::sync::api::ErrorCode;
use crate::sync::client::{SyncError, TlsRefusal};

/// What went wrong in a [`super::Session`] call. Nothing was changed when an error is returned:
/// every write is one store transaction.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// What was entered is not acceptable; `field` names the input to highlight.
    #[error("{field}: {reason}")]
    Validation {
        /// The input at fault (e.g. `nhs_number`, `description`, `read_back`).
        field: String,
        /// Why: the rule that refused it.
        #[source]
        reason: Reason,
    },
    /// The request was well formed but a clinical rule refuses it in the record's current
    /// state (e.g. a second acknowledgement, an escalation step out of order, a checklist
    /// with open required items).
    #[error("{reason}")]
    Refused {
        /// Why: the rule that refused it.
        #[source]
        reason: Reason,
        /// For a refused checklist completion: the keys of the items still open.
        open_items: Vec<String>,
    },
    /// No such record (or team in the directory).
    #[error("{what} {id} not found")]
    NotFound {
        /// What kind of thing (`share`, `person`, `team`, ...).
        what: String,
        /// Its id.
        id: String,
    },
    /// The data key in the platform keystore does not open this store; nothing was modified.
    #[error("the device key does not open this store")]
    KeyMismatch,
    /// The store's file cannot be opened at all: it is not a database, or it fails its
    /// integrity check. Nothing was modified. Shown with the key mismatch's recovery (the
    /// records cannot be read; do not reinstall).
    #[error("the store on this device cannot be opened: {0}")]
    StoreUnreadable(#[source] StoreError),
    /// The store exists but its key is gone from the platform keystore (e.g. the keystore was
    /// reset). The store cannot be read on this device.
    #[error("the device key for this store is missing")]
    KeyMissing,
    /// The device was revoked: the local store has been (or must be) wiped.
    #[error("this device has been revoked; its data has been erased")]
    Revoked,
    /// The device was retired (handed back): everything it held was delivered, and the local
    /// store and keys have been wiped. Later calls answer [`AppError::Revoked`] (no store).
    #[error("this device has been retired; everything was delivered and its data has been erased")]
    Retired,
    /// A stored value failed its integrity check (tampered, moved or corrupt).
    #[error("a stored record failed its integrity check: {0}")]
    Tampered(#[source] StoreError),
    /// The store or a platform service could not be used (full disk, read-only file, keystore
    /// locked, clock unavailable, ...); retry later.
    #[error("storage error: {0}")]
    Storage(#[source] StorageFault),
    /// No phone number is known for the team.
    #[error("no phone number is known for {team_name}")]
    NoNumber {
        /// The team's name.
        team_name: String,
    },
    /// The network or server could not be reached, or a pulled page could not be applied; the
    /// work is kept and retried.
    #[error("network error: {0}")]
    Network(#[source] SyncError),
    /// The server refused a request (not transient).
    #[error("server refused the request ({code:?}): HTTP {status}")]
    Server {
        /// The server's machine code.
        code: ErrorCode,
        /// The HTTP status it came with.
        status: u16,
    },
    /// The sync server is not the region's: its TLS certificate was refused, its address is
    /// not allowed, or its roster is not signed by the pinned region key. Retrying will not
    /// help; the sync screen shows why and the Trust's IT fixes it.
    #[error("the sync server is not trusted: {0}")]
    UntrustedServer(#[source] TrustRefusal),
    /// An incoming envelope could not be understood (bad body, unknown version); it is not
    /// applied and the sync client keeps going.
    #[error("incoming envelope not understood: {0}")]
    BadEnvelope(#[from] EnvelopeFault),
}

/// Why an input was refused or a rule said no: the module error itself where one decided,
/// else the session's own rule in its own words.
///
/// A module error's variant shows that error's own message unchanged and is its
/// [`std::error::Error::source`] (not `transparent`, which would hand on the module error's
/// own source and leave the module error itself out of the chain), so a caller walking
/// `AppError` → `Reason` → the module error can downcast to it.
#[derive(Debug, thiserror::Error)]
pub enum Reason {
    /// The session's own check (a blank field, a future time, a share to the wrong team), in
    /// its own fixed words. Never a module error's text: a typed error has its own variant
    /// below, so it stays the source a caller can downcast to.
    #[error("{0}")]
    Rule(Cow<'static, str>),
    /// A record too large to share in one request.
    #[error(
        "this record is {bytes} bytes to share, more than the limit of {limit} bytes one \
         shared record may hold; shorten its text"
    )]
    TooLarge {
        /// Its size once encoded.
        bytes: usize,
        /// The most one shared record may hold.
        limit: usize,
    },
    /// Contacts on a checklist item that have no out-of-hours number anywhere.
    #[error(
        "no out-of-hours number in the directory for: {}; add a captured contact with an \
         out-of-hours number",
        .teams.join(", ")
    )]
    NoOutOfHoursNumber {
        /// The teams' names (team ids where a team is not in the directory).
        teams: Vec<String>,
    },
    /// The server refused the enrolment code.
    #[error("the enrolment code was refused ({0:?}); ask for a new one")]
    EnrolmentCodeRefused(ErrorCode),
    /// A domain value.
    #[error("{0}")]
    Model(#[from] ModelError),
    /// An NHS number.
    #[error("{0}")]
    NhsNumber(#[from] NhsNumberError),
    /// An id.
    #[error("{0}")]
    Id(#[from] IdParseError),
    /// An information-sharing decision record.
    #[error("{0}")]
    Decision(#[from] DecisionError),
    /// Acknowledgement and read-back.
    #[error("{0}")]
    Acknowledgement(#[from] AcknowledgementError),
    /// A referral's rules.
    #[error("{0}")]
    Referral(#[from] ReferralError),
    /// The escalation ladder.
    #[error("{0}")]
    Escalation(#[from] EscalationError),
    /// The needs-attention list.
    #[error("{0}")]
    Attention(#[from] AttentionError),
    /// Chronology pattern alerts.
    #[error("{0}")]
    Pattern(#[from] PatternError),
    /// A checklist.
    #[error("{0}")]
    Checklist(#[from] ChecklistError),
    /// The contacts directory.
    #[error("{0}")]
    Directory(#[from] DirectoryError),
    /// A logged call.
    #[error("{0}")]
    CallLog(#[from] CallLogError),
    /// A call recorded as an information share.
    #[error("{0}")]
    CallRecord(#[from] CallRecordError),
    /// A transfer of care.
    #[error("{0}")]
    Transfer(#[from] TransferError),
    /// A postcode, district or area (a transfer's new postcode). It quotes nothing typed.
    #[error("{0}")]
    Area(#[from] AreaError),
    /// The team around the child.
    #[error("{0}")]
    Team(#[from] TeamError),
    /// A multi-agency meeting pack.
    #[error("{0}")]
    Meeting(#[from] MeetingError),
    /// A safeguarding supervision record.
    #[error("{0}")]
    Supervision(#[from] SupervisionError),
    /// A store rule (a reason required, a record already there, a version conflict).
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The sync client's refusal (a device retired with items left to deliver).
    #[error("{0}")]
    Sync(#[from] SyncError),
}

impl From<&'static str> for Reason {
    fn from(text: &'static str) -> Self {
        Reason::Rule(Cow::Borrowed(text))
    }
}

/// What failed underneath a [`AppError::Storage`]. As with [`Reason`], each variant is its
/// cause's message and has the cause as its source.
#[derive(Debug, thiserror::Error)]
pub enum StorageFault {
    /// The encrypted store.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The platform keystore.
    #[error("{0}")]
    SecretStore(#[from] SecretStoreError),
    /// The platform clock.
    #[error("{0}")]
    Clock(#[from] ClockError),
    /// The sync client's local side (its state in the store, the signing key, the keystore).
    #[error("{0}")]
    Sync(#[from] SyncError),
    /// An outgoing body could not be encoded (only a bug does this: bodies are plain records).
    #[error("body encoding: {0}")]
    Encoding(#[source] JsonFault),
    /// A stored call's id did not read back as a ULID.
    #[error("call id is not a ULID")]
    CallId(#[source] ulid::DecodeError),
}

/// Why the sync server is not trusted.
#[derive(Debug, thiserror::Error)]
pub enum TrustRefusal {
    /// Its TLS certificate was refused.
    #[error("{0}")]
    Certificate(TlsRefusal),
    /// Its address is not allowed, no region certificate authority is configured, or its
    /// roster is not signed by the pinned region key.
    #[error("{0}")]
    Setup(#[source] SyncError),
}

impl TrustRefusal {
    /// A stable code for the sync screen: `unknown_issuer`, `expired`, `wrong_host_name`,
    /// `bad_certificate`, `insecure_server_url`, `no_region_trust` or `roster_refused`.
    pub fn code(&self) -> &'static str {
        match self {
            TrustRefusal::Certificate(refusal) => refusal.code(),
            TrustRefusal::Setup(err) => err.code(),
        }
    }
}

/// Why an incoming envelope (or directory document) could not be understood.
#[derive(Debug, thiserror::Error)]
pub enum EnvelopeFault {
    /// A wire format this build does not read.
    #[error("wire version {0} is not supported")]
    WireVersion(u16),
    /// A body format this build does not read.
    #[error("body version {found} is not supported (this build reads {supported})")]
    BodyVersion {
        /// The body's version.
        found: u16,
        /// The one this build reads.
        supported: u16,
    },
    /// The body does not parse.
    #[error("{0}")]
    Body(#[from] JsonFault),
    /// The body says something other than its header (entity, kind, team).
    #[error("{0} body does not match its envelope header")]
    HeaderMismatch(&'static str),
    /// An acknowledgement is due but the share names no sender team.
    #[error("the share names no sender team to acknowledge to")]
    NoSenderTeam,
    /// A pulled directory document does not parse.
    #[error("directory document not valid")]
    Directory(#[source] JsonFault),
}

impl AppError {
    /// A validation error on `field`.
    pub(crate) fn validation(field: &str, reason: impl Into<Reason>) -> Self {
        AppError::Validation {
            field: field.to_owned(),
            reason: reason.into(),
        }
    }

    /// A refusal by a rule.
    pub(crate) fn refused(reason: impl Into<Reason>) -> Self {
        AppError::Refused {
            reason: reason.into(),
            open_items: Vec::new(),
        }
    }

    /// A missing record.
    pub(crate) fn not_found(what: &str, id: impl std::fmt::Display) -> Self {
        AppError::NotFound {
            what: what.to_owned(),
            id: id.to_string(),
        }
    }
}

impl From<StorageFault> for AppError {
    fn from(fault: StorageFault) -> Self {
        AppError::Storage(fault)
    }
}

impl From<SecretStoreError> for AppError {
    fn from(err: SecretStoreError) -> Self {
        AppError::Storage(StorageFault::SecretStore(err))
    }
}

impl From<ClockError> for AppError {
    fn from(err: ClockError) -> Self {
        AppError::Storage(StorageFault::Clock(err))
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::KeyMismatch => AppError::KeyMismatch,
            StoreError::KeyMissing => AppError::KeyMissing,
            StoreError::Unreadable(_) => AppError::StoreUnreadable(err),
            StoreError::NotFound { kind, id } => AppError::NotFound { what: kind, id },
            StoreError::Deleted { kind, id } => AppError::NotFound {
                what: format!("{kind} (deleted)"),
                id,
            },
            StoreError::Tampered { .. } | StoreError::Corrupt(_) => AppError::Tampered(err),
            StoreError::ReasonRequired => AppError::validation("reason", err),
            StoreError::AlreadyExists { .. }
            | StoreError::VersionConflict { .. }
            | StoreError::OutboxDuplicate(_)
            | StoreError::OutboxTransition { .. } => AppError::refused(err),
            StoreError::OutboxNotFound(id) => AppError::not_found("outbox entry", id),
            StoreError::Closed => AppError::Revoked,
            StoreError::SchemaTooNew { .. }
            | StoreError::Codec(_)
            | StoreError::Sqlite(_)
            | StoreError::SecretStore(_)
            | StoreError::Crypto(_)
            | StoreError::Io(_)
            | StoreError::Poisoned
            | StoreError::Clock(_) => AppError::Storage(StorageFault::Store(err)),
        }
    }
}

impl From<ModelError> for AppError {
    fn from(err: ModelError) -> Self {
        AppError::validation(err.field(), err)
    }
}

impl From<IdParseError> for AppError {
    fn from(err: IdParseError) -> Self {
        AppError::validation(err.kind, err)
    }
}

impl From<DecisionError> for AppError {
    fn from(err: DecisionError) -> Self {
        let field = match &err {
            DecisionError::Required { field } => field,
            DecisionError::NobodyConcerned => "about",
            DecisionError::NothingShared => "shared",
            DecisionError::PrinciplesUnaffirmed { .. } => "principles",
            DecisionError::RequesterInformedMissing => "requester_informed",
            DecisionError::AwaitingAcknowledgementNotSecureMessage => "understanding",
        };
        AppError::validation(field, err)
    }
}

impl From<AcknowledgementError> for AppError {
    fn from(err: AcknowledgementError) -> Self {
        match err {
            AcknowledgementError::IncompleteReadBack => AppError::validation("read_back", err),
            AcknowledgementError::MissingCorrection => AppError::validation("correction", err),
            AcknowledgementError::WrongTeam
            | AcknowledgementError::AlreadyAcknowledged
            | AcknowledgementError::BeforeSent
            | AcknowledgementError::NotTheSender
            | AcknowledgementError::NotAcknowledged
            | AcknowledgementError::WorkingTime(_) => AppError::refused(err),
        }
    }
}

impl From<ReferralError> for AppError {
    fn from(err: ReferralError) -> Self {
        match err {
            ReferralError::EmptySummary => AppError::validation("summary", err),
            ReferralError::MissingReasons => AppError::validation("reasons", err),
            ReferralError::DecisionBeforeReferral => AppError::validation("arrived_at", err),
            ReferralError::AlreadyDecided | ReferralError::WorkingTime(_) => AppError::refused(err),
        }
    }
}

impl From<EscalationError> for AppError {
    fn from(err: EscalationError) -> Self {
        match err {
            EscalationError::EmptyText => AppError::validation("outcome", err),
            EscalationError::BeforePrevious => AppError::validation("taken_at", err),
            EscalationError::OutOfOrder { .. }
            | EscalationError::AlreadyResolved
            | EscalationError::WorkingTime(_) => AppError::refused(err),
        }
    }
}

impl From<AttentionError> for AppError {
    fn from(err: AttentionError) -> Self {
        AppError::refused(err)
    }
}

impl From<PatternError> for AppError {
    fn from(err: PatternError) -> Self {
        match err {
            PatternError::MissingReason => AppError::validation("reason", err),
            PatternError::ZeroCount => AppError::validation("thresholds", err),
        }
    }
}

impl From<ChecklistError> for AppError {
    fn from(err: ChecklistError) -> Self {
        match err {
            ChecklistError::RequiredItemsOpen { ref items } => AppError::Refused {
                open_items: items.iter().map(|i| i.key.clone()).collect(),
                reason: err.into(),
            },
            ChecklistError::UnknownItem { key } => AppError::not_found("checklist item", key),
            ChecklistError::NotApplicableWithoutReason { .. } => {
                AppError::validation("reason", err)
            }
            ChecklistError::DetailMissing { .. } => AppError::validation("detail", err),
            ChecklistError::TemplateUnreadable(_)
            | ChecklistError::InvalidTemplate(_)
            | ChecklistError::AlreadyComplete => AppError::refused(err),
        }
    }
}

impl From<NumberChoiceError> for AppError {
    fn from(err: NumberChoiceError) -> Self {
        match err {
            NumberChoiceError::UnknownTeam(team) => AppError::not_found("team", team),
            NumberChoiceError::NoNumber { team_name, .. } => AppError::NoNumber { team_name },
        }
    }
}

impl From<DirectoryError> for AppError {
    fn from(err: DirectoryError) -> Self {
        AppError::validation("directory", err)
    }
}

impl From<CallLogError> for AppError {
    fn from(err: CallLogError) -> Self {
        let field = match err {
            CallLogError::AnsweredByMissing => "answered_by",
            CallLogError::WhatWasSharedMissing => "shared",
            CallLogError::UnderstandingMissing | CallLogError::AwaitingAcknowledgementOnACall => {
                "understanding"
            }
            CallLogError::OutcomeBeforeCall => "recorded_at",
            CallLogError::TargetNotForPromptedTeam => "team",
            CallLogError::OutcomeAlreadyRecorded => return AppError::refused(err),
        };
        AppError::validation(field, err)
    }
}

impl From<TransferError> for AppError {
    fn from(err: TransferError) -> Self {
        AppError::validation(err.field(), err)
    }
}

impl From<TeamError> for AppError {
    fn from(err: TeamError) -> Self {
        AppError::validation(err.field(), err)
    }
}

impl From<MeetingError> for AppError {
    fn from(err: MeetingError) -> Self {
        let field = match &err {
            MeetingError::Required { field } => *field,
            MeetingError::NothingRepresented => "represents",
            MeetingError::NotYetHeld => return AppError::refused(err),
        };
        AppError::validation(field, err)
    }
}

impl From<SupervisionError> for AppError {
    fn from(err: SupervisionError) -> Self {
        let field = match &err {
            SupervisionError::Required { field } => *field,
            SupervisionError::NoCases | SupervisionError::CaseListedTwice => "cases",
            SupervisionError::HeldInFuture => "held_at",
            SupervisionError::ActionDueBeforeSession { .. }
            | SupervisionError::NoSuchAction { .. }
            | SupervisionError::ActionAlreadyDone { .. } => "actions",
        };
        AppError::validation(field, err)
    }
}

impl From<CallRecordError> for AppError {
    fn from(err: CallRecordError) -> Self {
        match err {
            CallRecordError::Decision(inner) => inner.into(),
            CallRecordError::NoOutcome | CallRecordError::NothingShared => AppError::refused(err),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::casework::checklist::OpenItem;
    use crate::model::NhsNumber;

    #[test]
    fn store_errors_map_to_what_the_shell_acts_on() {
        assert!(matches!(
            AppError::from(StoreError::KeyMismatch),
            AppError::KeyMismatch
        ));
        assert!(matches!(
            AppError::from(StoreError::KeyMissing),
            AppError::KeyMissing
        ));
        assert!(matches!(
            AppError::from(StoreError::NotFound {
                kind: "share".into(),
                id: "01J".into()
            }),
            AppError::NotFound { what, id } if what == "share" && id == "01J"
        ));
        assert!(matches!(
            AppError::from(StoreError::Tampered {
                kind: "observation".into(),
                id: "01J".into(),
                version: 2
            }),
            AppError::Tampered(_)
        ));
        assert!(matches!(
            AppError::from(StoreError::Poisoned),
            AppError::Storage(_)
        ));
    }

    #[test]
    fn a_storage_fault_keeps_the_store_error_it_came_from() {
        let err = AppError::from(StoreError::Poisoned);
        let source = std::error::Error::source(&err).expect("the fault is kept");
        assert!(matches!(
            source.downcast_ref::<StorageFault>(),
            Some(StorageFault::Store(StoreError::Poisoned))
        ));
        let err = AppError::from(StoreError::ReasonRequired);
        assert!(matches!(
            &err,
            AppError::Validation { field, reason: Reason::Store(StoreError::ReasonRequired) }
                if field == "reason"
        ));
    }

    #[test]
    fn a_body_that_does_not_parse_is_described_without_what_it_held() {
        let err = serde_json::from_str::<u32>("\"Jane Smith\"").unwrap_err();
        assert!(
            err.to_string().contains("Jane Smith"),
            "serde quotes the value"
        );
        let err: AppError = EnvelopeFault::Body(err.into()).into();
        assert!(!err.to_string().contains("Jane"), "{err}");
        assert!(err.to_string().contains("line 1"), "{err}");
    }

    #[test]
    fn model_errors_name_their_field_and_never_the_value() {
        let typed = "943 476 5918";
        let err: AppError = ModelError::from(NhsNumber::parse(typed).unwrap_err()).into();
        assert!(matches!(&err, AppError::Validation { field, .. } if field == "nhs_number"));
        assert!(!err.to_string().contains("5918"));
    }

    #[test]
    fn a_refused_checklist_completion_lists_the_open_item_keys() {
        let err: AppError = ChecklistError::RequiredItemsOpen {
            items: vec![
                OpenItem {
                    key: "care_plan_shared".into(),
                    text: "Care plan shared".into(),
                },
                OpenItem {
                    key: "concern:01J".into(),
                    text: "Concern".into(),
                },
            ],
        }
        .into();
        match err {
            AppError::Refused { open_items, .. } => {
                assert_eq!(open_items, vec!["care_plan_shared", "concern:01J"])
            }
            other => panic!("expected a refusal: {other:?}"),
        }
    }
}

//! The one error type of the [`super::Session`] boundary: what the bindings turn into the
//! shells' exception.
//!
//! Variants are the cases a shell acts on differently (show the message next to a field;
//! ask for the keystore to be restored; show the "device revoked" screen; retry later), not a
//! mirror of every module's error. Each module error is mapped here once, by a `From` impl.
//! Messages never carry personal data: module errors already keep values out of their texts
//! (they name fields, kinds and ULIDs), and nothing here adds any.

use crate::checklist::ChecklistError;
use crate::directory::{CallLogError, CallRecordError, DirectoryError, NumberChoiceError};
use crate::model::{IdParseError, ModelError};
use crate::rules::acknowledgement::AcknowledgementError;
use crate::rules::attention::AttentionError;
use crate::rules::escalation::EscalationError;
use crate::rules::patterns::PatternError;
use crate::rules::referral::ReferralError;
use crate::sharing::SharingError;
use crate::store::StoreError;

/// What went wrong in a [`super::Session`] call. Nothing was changed when an error is returned:
/// every write is one store transaction.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    /// What was entered is not acceptable; `field` names the input to highlight.
    #[error("{field}: {message}")]
    Validation {
        /// The input at fault (e.g. `nhs_number`, `description`, `read_back`).
        field: String,
        /// What is wrong, for the practitioner.
        message: String,
    },
    /// The request was well formed but a clinical rule refuses it in the record's current
    /// state (e.g. a second acknowledgement, an escalation step out of order, a checklist
    /// with open required items).
    #[error("{message}")]
    Refused {
        /// Why, for the practitioner.
        message: String,
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
    Tampered(String),
    /// The store could not be read or written (full disk, read-only file, ...); retry later.
    #[error("storage error: {0}")]
    Storage(String),
    /// No phone number is known for the team.
    #[error("no phone number is known for {team_name}")]
    NoNumber {
        /// The team's name.
        team_name: String,
    },
    /// The network or server could not be reached; the work is kept and retried.
    #[error("network error: {0}")]
    Network(String),
    /// The server refused a request (not transient); `code` is the server's error code.
    #[error("server refused the request ({code}): {message}")]
    Server {
        /// The server's machine code.
        code: String,
        /// Its reason.
        message: String,
    },
    /// The sync server is not the region's: its TLS certificate was refused, or its address is
    /// not allowed (not https, or https with no region certificate authority configured).
    /// Retrying will not help; the sync screen shows `reason` and the Trust's IT fixes it.
    #[error("the sync server is not trusted: {reason}")]
    UntrustedServer {
        /// A stable code: `unknown_issuer`, `expired`, `wrong_host_name`, `bad_certificate`,
        /// `insecure_server_url` or `no_region_trust`.
        code: String,
        /// What is wrong, in plain words (no personal data).
        reason: String,
    },
    /// An incoming envelope could not be understood (bad body, unknown version); it is not
    /// applied and the sync client keeps going.
    #[error("incoming envelope not understood: {0}")]
    BadEnvelope(String),
}

impl AppError {
    /// A validation error on `field`.
    pub(crate) fn validation(field: &str, message: impl std::fmt::Display) -> Self {
        AppError::Validation {
            field: field.to_owned(),
            message: message.to_string(),
        }
    }

    /// A refusal by a rule.
    pub(crate) fn refused(message: impl std::fmt::Display) -> Self {
        AppError::Refused {
            message: message.to_string(),
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

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::KeyMismatch => AppError::KeyMismatch,
            StoreError::KeyMissing => AppError::KeyMissing,
            StoreError::NotFound { kind, id } => AppError::NotFound { what: kind, id },
            StoreError::Deleted { kind, id } => AppError::NotFound {
                what: format!("{kind} (deleted)"),
                id,
            },
            StoreError::Tampered { .. } | StoreError::Corrupt(_) => {
                AppError::Tampered(err.to_string())
            }
            StoreError::ReasonRequired => AppError::validation("reason", "a reason is required"),
            StoreError::AlreadyExists { .. }
            | StoreError::VersionConflict { .. }
            | StoreError::OutboxDuplicate(_)
            | StoreError::OutboxTransition { .. } => AppError::refused(err),
            StoreError::OutboxNotFound(id) => AppError::not_found("outbox entry", id),
            StoreError::Closed => AppError::Revoked,
            other => AppError::Storage(other.to_string()),
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
        AppError::validation(err.kind, format!("not a valid {} id", err.kind))
    }
}

impl From<SharingError> for AppError {
    fn from(err: SharingError) -> Self {
        let field = match &err {
            SharingError::Required { field } => field,
            SharingError::NobodyConcerned => "about",
            SharingError::NothingShared => "shared",
            SharingError::PrinciplesUnaffirmed { .. } => "principles",
            SharingError::RequesterInformedMissing => "requester_informed",
            SharingError::AwaitingAcknowledgementNotSecureMessage => "understanding",
        };
        AppError::validation(field, err)
    }
}

impl From<AcknowledgementError> for AppError {
    fn from(err: AcknowledgementError) -> Self {
        match err {
            AcknowledgementError::IncompleteReadBack => AppError::validation("read_back", err),
            AcknowledgementError::MissingCorrection => AppError::validation("correction", err),
            other => AppError::refused(other),
        }
    }
}

impl From<ReferralError> for AppError {
    fn from(err: ReferralError) -> Self {
        match err {
            ReferralError::EmptySummary => AppError::validation("summary", err),
            ReferralError::MissingReasons => AppError::validation("reasons", err),
            ReferralError::DecisionBeforeReferral => AppError::validation("arrived_at", err),
            other => AppError::refused(other),
        }
    }
}

impl From<EscalationError> for AppError {
    fn from(err: EscalationError) -> Self {
        match err {
            EscalationError::EmptyText => AppError::validation("outcome", err),
            EscalationError::BeforePrevious => AppError::validation("taken_at", err),
            other => AppError::refused(other),
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
                message: err.to_string(),
            },
            ChecklistError::UnknownItem { key } => AppError::not_found("checklist item", key),
            ChecklistError::NotApplicableWithoutReason { .. } => {
                AppError::validation("reason", err)
            }
            ChecklistError::DetailMissing { .. } => AppError::validation("detail", err),
            other => AppError::refused(other),
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

impl From<CallRecordError> for AppError {
    fn from(err: CallRecordError) -> Self {
        match err {
            CallRecordError::Sharing(inner) => inner.into(),
            other => AppError::refused(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::OpenItem;
    use crate::model::NhsNumber;

    #[test]
    fn store_errors_map_to_what_the_shell_acts_on() {
        assert_eq!(
            AppError::from(StoreError::KeyMismatch),
            AppError::KeyMismatch
        );
        assert_eq!(AppError::from(StoreError::KeyMissing), AppError::KeyMissing);
        assert_eq!(
            AppError::from(StoreError::NotFound {
                kind: "share".into(),
                id: "01J".into()
            }),
            AppError::not_found("share", "01J")
        );
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

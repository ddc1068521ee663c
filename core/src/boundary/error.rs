//! The public error tier: the one error the shells see, and the one explicit mapping from
//! core's errors onto it (application-services' two tiers, issue 16 item 2).
//!
//! Core keeps one rich error per module (`StoreError`, `ModelError`, `AppError`, ...), each
//! holding the error that caused it as its source; none turns a cause into text. This is the
//! only place where an error becomes text for the shell (`detail`). A shell only needs to know
//! what to do next, so each maps here, once, onto a variant a shell acts on
//! differently: show the message by a field (`Validation`), show a rule's refusal (`Refused`),
//! tell the user the store cannot be opened with this device's key (`KeyMismatch`), wipe and
//! re-enrol (`Revoked`), fix the server's trust (`UntrustedServer`), retry later (`Network`),
//! refresh the list (`NotFound`), report a storage fault (`Storage`), or report a bug
//! (`Internal`). Every match below names every variant: a new core variant fails to compile
//! until someone decides what the shell does with it.
//!
//! What is logged and what is shown is decided in one place, [`SafeShareError::logged`]: the
//! shown text is core's message (which never quotes personal data: module errors name fields,
//! kinds and ULIDs only); faults the user cannot fix (storage, integrity, bugs) are also logged
//! for the operator by kind, at warn or error; the user's own input errors are not logged.

use crate::app::AppError;
use crate::clock::ClockError;
use crate::directory::{ImportError, NumberChoiceError};
use crate::model::{IdParseError, ModelError};
use crate::rules::nhs_number::NhsNumberError;
use crate::secrets::SecretStoreError;
use crate::store::StoreError;

/// Everything that can go wrong across the FFI boundary, grouped by what the shell does about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Error))]
pub enum SafeShareError {
    /// Input was refused; `field` names the input to highlight and `detail` says why.
    #[error("{field}: {detail}")]
    Validation {
        /// The field at fault (e.g. `nhs_number`, `description`, `team_id`).
        field: String,
        /// Why, in plain words (never quotes the value).
        detail: String,
    },
    /// The records on this device cannot be opened: the key from the SecretStore does not open
    /// the store (or is missing), or the store's file is not a database or fails its integrity
    /// check. Nothing was changed; one recovery for all of them (do not reinstall).
    #[error("key mismatch: {detail}")]
    KeyMismatch {
        /// What was found.
        detail: String,
    },
    /// The server revoked this device: the shell wipes local state and asks to re-enrol.
    #[error("device revoked: {detail}")]
    Revoked {
        /// What the server said.
        detail: String,
    },
    /// The sync server is not the region's (certificate not from the pinned region CA, expired,
    /// wrong host name, or an address that is not allowed). Retrying will not help: the sync
    /// screen shows `detail` and the Trust's IT fixes the server or the app's configuration.
    #[error("untrusted server ({code}): {detail}")]
    UntrustedServer {
        /// `unknown_issuer`, `expired`, `wrong_host_name`, `bad_certificate`,
        /// `insecure_server_url` or `no_region_trust`.
        code: String,
        /// What is wrong, in plain words.
        detail: String,
    },
    /// The network or server could not be reached; the work is kept and retried later.
    #[error("network: {detail}")]
    Network {
        /// What failed.
        detail: String,
    },
    /// A clinical rule refuses the action in the record's current state (e.g. completing a
    /// checklist with open required items, a second acknowledgement); nothing was changed.
    #[error("refused: {detail}")]
    Refused {
        /// Why, for the practitioner.
        detail: String,
        /// For a refused checklist completion: the keys of the items still open.
        open_items: Vec<String>,
    },
    /// The record, team or item asked for does not exist (or no longer exists).
    #[error("not found: {detail}")]
    NotFound {
        /// What was looked for (kinds and ids only).
        detail: String,
    },
    /// The encrypted store or a platform service (secret storage, clock) failed; nothing was
    /// written and the session stays usable.
    #[error("storage: {detail}")]
    Storage {
        /// What failed.
        detail: String,
    },
    /// A bug: a Rust panic (caught; no lock is left broken). The app should report it.
    #[error("internal error: {detail}")]
    Internal {
        /// What failed, without personal data.
        detail: String,
    },
}

impl SafeShareError {
    /// A validation error naming `field`.
    pub fn validation(field: &str, detail: impl ToString) -> Self {
        SafeShareError::Validation {
            field: field.to_owned(),
            detail: detail.to_string(),
        }
    }

    /// The one place that decides what reaches the operator's log: faults the practitioner
    /// cannot fix are logged by kind (never the detail's values: there are none, but the kind
    /// is all an operator needs to count); input errors and refusals are the user's to see only.
    /// Returns `self`, so a conversion ends with `.logged()`.
    pub fn logged(self) -> Self {
        match &self {
            SafeShareError::Storage { .. } => tracing::warn!(kind = "storage", "call failed"),
            SafeShareError::KeyMismatch { .. } => {
                tracing::warn!(kind = "key_mismatch", "call failed")
            }
            SafeShareError::Internal { .. } => tracing::error!(kind = "internal", "call failed"),
            SafeShareError::UntrustedServer { code, .. } => {
                tracing::warn!(kind = "untrusted_server", code = %code, "call failed")
            }
            SafeShareError::Revoked { .. } => tracing::info!(kind = "revoked", "call refused"),
            SafeShareError::Network { .. } => tracing::info!(kind = "network", "call failed"),
            SafeShareError::Validation { .. }
            | SafeShareError::Refused { .. }
            | SafeShareError::NotFound { .. } => {}
        }
        self
    }
}

impl From<ModelError> for SafeShareError {
    fn from(err: ModelError) -> Self {
        SafeShareError::validation(err.field(), &err)
    }
}

impl From<NhsNumberError> for SafeShareError {
    fn from(err: NhsNumberError) -> Self {
        SafeShareError::validation("nhs_number", err)
    }
}

impl From<IdParseError> for SafeShareError {
    fn from(err: IdParseError) -> Self {
        SafeShareError::validation(&format!("{}_id", err.kind.replace(' ', "_")), err)
    }
}

impl From<ImportError> for SafeShareError {
    fn from(err: ImportError) -> Self {
        SafeShareError::validation("directory", err)
    }
}

impl From<NumberChoiceError> for SafeShareError {
    fn from(err: NumberChoiceError) -> Self {
        let detail = err.to_string();
        match err {
            NumberChoiceError::UnknownTeam(_) | NumberChoiceError::NoNumber { .. } => {
                SafeShareError::NotFound { detail }
            }
        }
    }
}

impl From<SecretStoreError> for SafeShareError {
    fn from(err: SecretStoreError) -> Self {
        let detail = err.to_string();
        match err {
            SecretStoreError::Unavailable(_) | SecretStoreError::Io(_) => {
                SafeShareError::Storage { detail }.logged()
            }
        }
    }
}

impl From<ClockError> for SafeShareError {
    fn from(err: ClockError) -> Self {
        let detail = err.to_string();
        match err {
            ClockError::Unavailable(_) => SafeShareError::Storage { detail }.logged(),
        }
    }
}

impl From<StoreError> for SafeShareError {
    fn from(err: StoreError) -> Self {
        let detail = err.to_string();
        let public = match err {
            StoreError::KeyMismatch | StoreError::KeyMissing | StoreError::Unreadable(_) => {
                SafeShareError::KeyMismatch { detail }
            }
            StoreError::NotFound { .. }
            | StoreError::Deleted { .. }
            | StoreError::OutboxNotFound(_) => SafeShareError::NotFound { detail },
            StoreError::ReasonRequired => SafeShareError::validation("reason", detail),
            StoreError::AlreadyExists { .. }
            | StoreError::VersionConflict { .. }
            | StoreError::OutboxDuplicate(_)
            | StoreError::OutboxTransition { .. } => SafeShareError::Refused {
                detail,
                open_items: Vec::new(),
            },
            StoreError::Closed => SafeShareError::Revoked { detail },
            StoreError::Tampered { .. }
            | StoreError::Corrupt(_)
            | StoreError::SchemaTooNew { .. }
            | StoreError::Codec(_)
            | StoreError::Sqlite(_)
            | StoreError::SecretStore(_)
            | StoreError::Crypto(_)
            | StoreError::Io(_)
            | StoreError::Poisoned
            | StoreError::Clock(_) => SafeShareError::Storage { detail },
        };
        public.logged()
    }
}

impl From<AppError> for SafeShareError {
    fn from(err: AppError) -> Self {
        // The one place a session error becomes text for the shell.
        let detail = err.to_string();
        let public = match err {
            AppError::Validation { field, reason } => SafeShareError::Validation {
                field,
                detail: reason.to_string(),
            },
            AppError::Refused { reason, open_items } => SafeShareError::Refused {
                detail: reason.to_string(),
                open_items,
            },
            // A server refusal is not transient: the shell shows it rather than retrying.
            AppError::Server { .. } => SafeShareError::Refused {
                detail,
                open_items: Vec::new(),
            },
            AppError::NotFound { .. } | AppError::NoNumber { .. } => {
                SafeShareError::NotFound { detail }
            }
            // A store that cannot open is the same failure to the practitioner as a wrong key:
            // the records are there and unreadable, and reinstalling would lose the unsent.
            AppError::KeyMismatch | AppError::KeyMissing | AppError::StoreUnreadable(_) => {
                SafeShareError::KeyMismatch { detail }
            }
            // Retired and wiped: the shell does what it does for a revocation (show that the
            // phone was wiped, offer enrolment); `detail` says it was a retirement.
            AppError::Revoked | AppError::Retired => SafeShareError::Revoked { detail },
            AppError::Network(_) => SafeShareError::Network { detail },
            AppError::UntrustedServer(refusal) => SafeShareError::UntrustedServer {
                code: refusal.code().to_owned(),
                detail: refusal.to_string(),
            },
            AppError::BadEnvelope(_) => SafeShareError::validation("envelope", detail),
            AppError::Tampered(_) | AppError::Storage(_) => SafeShareError::Storage { detail },
        };
        public.logged()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_key_is_a_key_mismatch_and_a_model_error_names_its_field() {
        assert!(matches!(
            SafeShareError::from(StoreError::KeyMismatch),
            SafeShareError::KeyMismatch { .. }
        ));
        let err = SafeShareError::from(ModelError::Required {
            field: "description",
        });
        assert_eq!(
            err,
            SafeShareError::Validation {
                field: "description".into(),
                detail: "description is required".into()
            }
        );
    }

    #[test]
    fn a_garbled_id_names_the_kind_of_id_as_the_field() {
        let err = SafeShareError::from("nope".parse::<crate::model::TeamId>().unwrap_err());
        assert!(matches!(err, SafeShareError::Validation { field, .. } if field == "team_id"));
        let err = SafeShareError::from(IdParseError { kind: "voice note" });
        assert!(
            matches!(err, SafeShareError::Validation { field, .. } if field == "voice_note_id")
        );
    }

    #[test]
    fn a_wiped_store_is_revoked_and_a_store_rule_refusal_is_refused() {
        assert!(matches!(
            SafeShareError::from(StoreError::Closed),
            SafeShareError::Revoked { .. }
        ));
        assert!(matches!(
            SafeShareError::from(StoreError::OutboxDuplicate("x".into())),
            SafeShareError::Refused { .. }
        ));
    }
}

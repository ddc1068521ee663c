//! The one public error of the FFI boundary, and the guard that turns a Rust panic into it.
//!
//! Core has one error enum per module; a shell only needs to know what to do next, so every
//! core error maps once, here, onto a variant a shell acts on differently: show the message by
//! a field (`Validation`), tell the user the store cannot be opened with this device's key
//! (`KeyMismatch`), wipe and re-enrol (`Revoked`), retry later (`Network`), refresh the list
//! (`NotFound`), report a storage fault (`Storage`), or report a bug (`Internal`).
//! Details are core's messages, which never quote personal data; a panic's payload is never
//! forwarded (it could name a value), only the fact that one happened.

use safeshare_core::app::AppError;
use safeshare_core::directory::{ImportError, NumberChoiceError};
use safeshare_core::model::{IdParseError, ModelError, NhsNumberError};
use safeshare_core::secrets::SecretStoreError;
use safeshare_core::store::StoreError;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

/// Everything that can go wrong across the boundary, grouped by what the shell does about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum SafeShareError {
    /// Input was refused; `field` names the input to highlight and `detail` says why.
    #[error("{field}: {detail}")]
    Validation {
        /// The field at fault (e.g. `nhs_number`, `description`).
        field: String,
        /// Why, in plain words (never quotes the value).
        detail: String,
    },
    /// The key from the SecretStore does not open this store (or is missing); nothing was changed.
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
    pub(crate) fn validation(field: &str, detail: impl ToString) -> Self {
        SafeShareError::Validation {
            field: field.to_owned(),
            detail: detail.to_string(),
        }
    }
}

/// Runs `work`, turning a panic into [`SafeShareError::Internal`] instead of unwinding into
/// the foreign runtime. uniffi catches panics itself but reports them as an untyped
/// `InternalException`; this keeps every failure inside the one typed error.
pub(crate) fn guard<T>(
    work: impl FnOnce() -> Result<T, SafeShareError>,
) -> Result<T, SafeShareError> {
    install_quiet_panic_hook();
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|_| {
        // The payload may quote a value; log only that a panic happened.
        tracing::error!("panic caught at the FFI boundary");
        Err(SafeShareError::Internal {
            detail: "an unexpected error happened inside SafeShare".to_owned(),
        })
    })
}

/// Replaces the default panic hook, which prints the panic's message (it may quote a value,
/// or a platform exception's text) to stderr, i.e. the phone's system log. The library is the
/// only Rust in the app's process, so the hook is the boundary's to set; it keeps only the
/// source location, which names code, never data.
fn install_quiet_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            tracing::error!(at = %at, "panic in SafeShare (message withheld: it may hold personal data)");
        }));
    });
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
        SafeShareError::NotFound {
            detail: err.to_string(),
        }
    }
}

impl From<crate::platform::PlatformError> for SafeShareError {
    fn from(err: crate::platform::PlatformError) -> Self {
        SafeShareError::Storage {
            detail: err.to_string(),
        }
    }
}

impl From<SecretStoreError> for SafeShareError {
    fn from(err: SecretStoreError) -> Self {
        SafeShareError::Storage {
            detail: err.to_string(),
        }
    }
}

impl From<StoreError> for SafeShareError {
    fn from(err: StoreError) -> Self {
        let detail = err.to_string();
        match err {
            StoreError::KeyMismatch | StoreError::KeyMissing => {
                SafeShareError::KeyMismatch { detail }
            }
            StoreError::NotFound { .. } | StoreError::Deleted { .. } => {
                SafeShareError::NotFound { detail }
            }
            StoreError::ReasonRequired => SafeShareError::validation("reason", detail),
            _ => SafeShareError::Storage { detail },
        }
    }
}

impl From<AppError> for SafeShareError {
    fn from(err: AppError) -> Self {
        let detail = err.to_string();
        match err {
            AppError::Validation { field, message } => SafeShareError::Validation {
                field,
                detail: message,
            },
            AppError::Refused {
                message,
                open_items,
            } => SafeShareError::Refused {
                detail: message,
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
            AppError::KeyMismatch | AppError::KeyMissing => SafeShareError::KeyMismatch { detail },
            AppError::Revoked => SafeShareError::Revoked { detail },
            AppError::Network(_) => SafeShareError::Network { detail },
            AppError::UntrustedServer { code, reason } => SafeShareError::UntrustedServer {
                code,
                detail: reason,
            },
            AppError::BadEnvelope(_) => SafeShareError::validation("envelope", detail),
            AppError::Tampered(_) | AppError::Storage(_) => SafeShareError::Storage { detail },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_the_guard_becomes_a_typed_internal_error_without_its_payload() {
        let result: Result<(), _> = guard(|| panic!("NHS 943 476 5919"));
        let err = result.unwrap_err();
        assert!(matches!(err, SafeShareError::Internal { .. }));
        assert!(!err.to_string().contains("943"));
    }

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
}

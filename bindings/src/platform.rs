//! Platform services the phone provides, as foreign traits (implemented in Kotlin or Swift),
//! and the adapters that hand them to core as core's own `SecretStore` and `Clock`.
//!
//! Invariants and why:
//! - Every method may fail: it returns `PlatformError` (Kotlin: throws
//!   `PlatformException.Unavailable`), and any other exception a shell's implementation throws
//!   is converted to the same variant by uniffi (`From<UnexpectedUniFFICallbackError>`), never a
//!   panic. Core turns it into a typed error for that one call (`SafeShareException.Storage`)
//!   with nothing written; the session stays usable. The exception's text is never logged.
//! - Core never calls these while holding one of its locks (see core's `app` and `store`
//!   module docs). So an implementation may call back into SafeShare, from its own thread or
//!   another: the call completes, or answers a typed error (`Revoked` once a wipe has begun,
//!   `Refused` for a second sync while one runs). It should not wait for work it started on
//!   another thread that itself waits for the SafeShare call in progress (that is the shell's
//!   own deadlock). Implementations must be thread-safe and quick (they run on the caller's
//!   thread, which may be a background sync).

use safeshare_core::clock as core_clock;
use safeshare_core::secrets::{self as core_secrets, SecretStoreError};
use std::sync::Arc;
use std::time::SystemTime;

/// Why a platform service could not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum PlatformError {
    /// The keystore or keychain refused or failed (e.g. locked before first unlock).
    #[error("platform service unavailable: {reason}")]
    Unavailable {
        /// The platform's reason; never a secret.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for PlatformError {
    fn from(err: uniffi::UnexpectedUniFFICallbackError) -> Self {
        PlatformError::Unavailable {
            reason: format!("unexpected error in the platform callback: {}", err.reason),
        }
    }
}

/// Named secrets kept by the phone (Android Keystore-backed storage, iOS Keychain).
#[uniffi::export(foreign)]
pub trait SecretStore: Send + Sync {
    /// The secret called `name`, or null when none is stored.
    fn get(&self, name: String) -> Result<Option<Vec<u8>>, PlatformError>;
    /// Stores `value` under `name`, replacing any earlier value.
    fn put(&self, name: String, value: Vec<u8>) -> Result<(), PlatformError>;
    /// Removes `name`; removing a missing secret is not an error.
    fn delete(&self, name: String) -> Result<(), PlatformError>;
}

/// The source of "now" (UTC). May throw `PlatformException.Unavailable` (or anything else):
/// the SafeShare call that asked gets `SafeShareException.Storage` and nothing is written.
#[uniffi::export(foreign)]
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> Result<SystemTime, PlatformError>;
}

/// A foreign [`SecretStore`] seen as core's secret store.
pub struct SecretStoreAdapter(pub Arc<dyn SecretStore>);

impl core_secrets::SecretStore for SecretStoreAdapter {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, SecretStoreError> {
        self.0.get(name.to_owned()).map_err(unavailable)
    }

    fn put(&self, name: &str, value: &[u8]) -> Result<(), SecretStoreError> {
        self.0
            .put(name.to_owned(), value.to_vec())
            .map_err(unavailable)
    }

    fn delete(&self, name: &str) -> Result<(), SecretStoreError> {
        self.0.delete(name.to_owned()).map_err(unavailable)
    }
}

fn unavailable(err: PlatformError) -> SecretStoreError {
    let PlatformError::Unavailable { reason } = err;
    SecretStoreError::Unavailable(reason)
}

/// A foreign [`Clock`] seen as core's clock.
pub struct ClockAdapter(pub Arc<dyn Clock>);

impl core_clock::Clock for ClockAdapter {
    /// Only for callers that cannot fail; core's session, store and sync client read
    /// `try_now` (a core test checks that). Should the platform fail here, the operating
    /// system's clock (the one the platform clock reads on a phone) stands in.
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        match self.try_now() {
            Ok(now) => now,
            Err(_) => {
                tracing::warn!("platform clock failed; using the system clock");
                chrono::Utc::now()
            }
        }
    }

    fn try_now(&self) -> Result<chrono::DateTime<chrono::Utc>, core_clock::ClockError> {
        match self.0.now() {
            Ok(now) => Ok(now.into()),
            Err(PlatformError::Unavailable { reason }) => {
                Err(core_clock::ClockError::Unavailable(reason))
            }
        }
    }
}

//! Platform services the phone provides, as foreign traits (implemented in Kotlin or Swift),
//! and the adapters that hand them to core as core's own `SecretStore` and `Clock`.
//!
//! Invariants: an implementation must be thread-safe, must be quick, and must never call back
//! into SafeShare (it is called while the store is busy, so re-entry would deadlock). A
//! `SecretStore` reports failure by throwing `PlatformException.Unavailable`; any other
//! exception is converted to the same variant rather than crashing, and its text is never
//! logged. A `Clock` must not throw: a throwing clock surfaces as `SafeShareException.Internal`.

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

/// The source of "now" (UTC). Must not throw and must not call back into SafeShare.
#[uniffi::export(foreign)]
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> SystemTime;
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
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.0.now().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use safeshare_core::clock::Clock as _;
    use safeshare_core::secrets::SecretStore as _;
    use std::collections::HashMap;
    use std::sync::Mutex;
    use std::time::Duration;

    #[derive(Default)]
    struct MapStore(Mutex<HashMap<String, Vec<u8>>>);

    impl SecretStore for MapStore {
        fn get(&self, name: String) -> Result<Option<Vec<u8>>, PlatformError> {
            Ok(self.0.lock().unwrap().get(&name).cloned())
        }
        fn put(&self, name: String, value: Vec<u8>) -> Result<(), PlatformError> {
            self.0.lock().unwrap().insert(name, value);
            Ok(())
        }
        fn delete(&self, name: String) -> Result<(), PlatformError> {
            self.0.lock().unwrap().remove(&name);
            Ok(())
        }
    }

    struct Locked;

    impl SecretStore for Locked {
        fn get(&self, _: String) -> Result<Option<Vec<u8>>, PlatformError> {
            Err(PlatformError::Unavailable {
                reason: "device locked".into(),
            })
        }
        fn put(&self, _: String, _: Vec<u8>) -> Result<(), PlatformError> {
            Err(PlatformError::Unavailable {
                reason: "device locked".into(),
            })
        }
        fn delete(&self, _: String) -> Result<(), PlatformError> {
            Ok(())
        }
    }

    struct Fixed(SystemTime);

    impl Clock for Fixed {
        fn now(&self) -> SystemTime {
            self.0
        }
    }

    #[test]
    fn adapter_passes_secrets_through_both_ways() {
        let adapter = SecretStoreAdapter(Arc::new(MapStore::default()));
        adapter.put("k", b"v").unwrap();
        assert_eq!(adapter.get("k").unwrap(), Some(b"v".to_vec()));
        adapter.delete("k").unwrap();
        assert_eq!(adapter.get("k").unwrap(), None);
    }

    #[test]
    fn a_locked_keystore_is_a_typed_secret_store_error() {
        let adapter = SecretStoreAdapter(Arc::new(Locked));
        assert_eq!(
            adapter.get("k").unwrap_err(),
            SecretStoreError::Unavailable("device locked".into())
        );
    }

    #[test]
    fn clock_adapter_gives_the_platform_instant_in_utc() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_774_744_200);
        let clock = ClockAdapter(Arc::new(Fixed(at)));
        assert_eq!(clock.now().timestamp(), 1_774_744_200);
    }
}

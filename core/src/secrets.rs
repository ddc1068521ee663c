//! Secret storage as a platform service.
//!
//! The phone keeps secrets (the store's data key, the device signing key) in the Android
//! Keystore or the iOS Keychain; core only sees this trait. The database never holds a key.
//! Implementations must not call back into the store (re-entrancy) and must be thread-safe.
//! [`InMemorySecretStore`] serves tests and tools.

use std::collections::HashMap;
use std::sync::Mutex;

/// Why a secret could not be read or written.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum SecretStoreError {
    /// The platform keystore refused or failed; the text is the platform's, never a secret.
    #[error("secret storage unavailable: {0}")]
    Unavailable(String),
}

/// Get, put and delete named secrets.
pub trait SecretStore: Send + Sync {
    /// The secret called `name`, or `None` when none is stored.
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, SecretStoreError>;
    /// Stores `value` under `name`, replacing any earlier value.
    fn put(&self, name: &str, value: &[u8]) -> Result<(), SecretStoreError>;
    /// Removes `name`; removing a missing secret is not an error.
    fn delete(&self, name: &str) -> Result<(), SecretStoreError>;
}

/// Secrets held in process memory: for tests and command-line tools.
#[derive(Debug, Default)]
pub struct InMemorySecretStore {
    secrets: Mutex<HashMap<String, Vec<u8>>>,
}

impl InMemorySecretStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl SecretStore for InMemorySecretStore {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, SecretStoreError> {
        let guard = self
            .secrets
            .lock()
            .map_err(|_| SecretStoreError::Unavailable("lock poisoned".into()))?;
        Ok(guard.get(name).cloned())
    }

    fn put(&self, name: &str, value: &[u8]) -> Result<(), SecretStoreError> {
        let mut guard = self
            .secrets
            .lock()
            .map_err(|_| SecretStoreError::Unavailable("lock poisoned".into()))?;
        guard.insert(name.to_owned(), value.to_vec());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), SecretStoreError> {
        let mut guard = self
            .secrets
            .lock()
            .map_err(|_| SecretStoreError::Unavailable("lock poisoned".into()))?;
        guard.remove(name);
        Ok(())
    }
}

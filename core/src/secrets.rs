//! Secret storage as a platform service.
//!
//! The phone keeps secrets (the store's data key, the device signing key) in the Android
//! Keystore or the iOS Keychain; core only sees this trait. The database never holds a key.
//! Implementations must be thread-safe; they may fail (a typed [`SecretStoreError`] for that
//! one call). Core never calls them while holding one of its locks (see the `store` and `app`
//! module docs), so an implementation that calls back into the session gets an answer or a
//! typed error, never a deadlock.
//! [`InMemorySecretStore`] and [`FileSecretStore`] serve tests and tools (the file-backed one
//! lets a test re-open a store after its process was killed); neither is for phones.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Why a secret could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SecretStoreError {
    /// The platform keystore refused or failed; the text is the platform's (it reaches core as
    /// text across the FFI), never a secret.
    #[error("secret storage unavailable: {0}")]
    Unavailable(String),
    /// [`FileSecretStore`]'s directory or a secret's file could not be read or written; the
    /// operating system's error is kept as the source. Its text is the OS reason only (std's
    /// file errors do not name the path), never a secret.
    #[error("secret storage unavailable: {0}")]
    Io(#[source] std::io::Error),
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

/// Secrets kept as files in one directory, one file per name: for tests that span processes
/// and for command-line tools. Writes are atomic (temporary file, fsync, rename) so a crash
/// never leaves half a key; files are created owner-only on Unix. Not a substitute for a
/// hardware-backed keystore: anyone who can read the directory can read the secrets.
#[derive(Debug)]
pub struct FileSecretStore {
    dir: PathBuf,
}

impl FileSecretStore {
    /// Secrets under `dir`, which is created if missing.
    pub fn new(dir: impl AsRef<Path>) -> Result<Self, SecretStoreError> {
        let dir = dir.as_ref().to_path_buf();
        fs::create_dir_all(&dir).map_err(SecretStoreError::Io)?;
        Ok(Self { dir })
    }

    /// Names map to file names, so only a safe alphabet is accepted (no path separators).
    fn path_of(&self, name: &str) -> Result<PathBuf, SecretStoreError> {
        let safe = !name.is_empty()
            && !name.starts_with('.')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if !safe {
            return Err(SecretStoreError::Unavailable(
                "secret name must be ASCII letters, digits, '.', '-' or '_'".into(),
            ));
        }
        Ok(self.dir.join(name))
    }
}

impl SecretStore for FileSecretStore {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, SecretStoreError> {
        match fs::read(self.path_of(name)?) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(SecretStoreError::Io(err)),
        }
    }

    fn put(&self, name: &str, value: &[u8]) -> Result<(), SecretStoreError> {
        let path = self.path_of(name)?;
        let tmp = self.dir.join(format!(".{name}.tmp"));
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp).map_err(SecretStoreError::Io)?;
        file.write_all(value).map_err(SecretStoreError::Io)?;
        file.sync_all().map_err(SecretStoreError::Io)?;
        drop(file);
        fs::rename(&tmp, &path).map_err(SecretStoreError::Io)?;
        // Make the rename itself durable.
        fs::File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(SecretStoreError::Io)
    }

    fn delete(&self, name: &str) -> Result<(), SecretStoreError> {
        match fs::remove_file(self.path_of(name)?) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(err) => Err(SecretStoreError::Io(err)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_store_keeps_secrets_across_instances_and_deletes_them() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileSecretStore::new(dir.path()).unwrap();
        assert_eq!(store.get("data-key").unwrap(), None);
        store.put("data-key", &[1, 2, 3]).unwrap();
        store.put("data-key", &[4, 5, 6]).unwrap();
        let again = FileSecretStore::new(dir.path()).unwrap();
        assert_eq!(again.get("data-key").unwrap(), Some(vec![4, 5, 6]));
        again.delete("data-key").unwrap();
        again.delete("data-key").unwrap();
        assert_eq!(store.get("data-key").unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn file_store_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = FileSecretStore::new(dir.path()).unwrap();
        store.put("k", b"x").unwrap();
        let mode = fs::metadata(dir.path().join("k"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn file_store_refuses_names_that_could_escape_its_directory() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileSecretStore::new(dir.path()).unwrap();
        for bad in ["../x", "a/b", "", ".hidden"] {
            assert!(store.put(bad, b"x").is_err(), "{bad}");
        }
    }

    #[test]
    fn in_memory_store_round_trips() {
        let store = InMemorySecretStore::new();
        store.put("k", b"v").unwrap();
        assert_eq!(store.get("k").unwrap(), Some(b"v".to_vec()));
        store.delete("k").unwrap();
        assert_eq!(store.get("k").unwrap(), None);
    }
}

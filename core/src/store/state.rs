//! Small named values the device keeps between runs (sync cursor, device identity, ...),
//! sealed like records and bound to their name. Not personal data, so not audited.

use super::codec::{from_json, to_json};
use super::error::StoreError;
use super::records::WriteTx;
use super::FieldStore;
use crate::crypto::Binding;
use rusqlite::OptionalExtension;
use serde::de::DeserializeOwned;
use serde::Serialize;

fn binding(name: &str) -> Binding<'_> {
    Binding {
        table: "state",
        id: name,
        version: 0,
        extra: &[],
    }
}

impl WriteTx<'_> {
    /// Sets the state value `name`, replacing any earlier value.
    pub fn put_state<T: Serialize>(&mut self, name: &str, value: &T) -> Result<(), StoreError> {
        let plain = to_json(value)?;
        let sealed = self.keys.seal(&binding(name), &plain)?;
        self.tx
            .prepare_cached(
                "INSERT INTO state (name, sealed) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET sealed = excluded.sealed",
            )?
            .execute(rusqlite::params![name, sealed])?;
        Ok(())
    }

    /// The state value `name` as this transaction sees it, or `None` if never set: for a
    /// read-modify-write that another writer (a platform callback, another thread) must not
    /// interleave with, since the transaction holds the store's one connection.
    pub fn get_state<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, StoreError> {
        let sealed: Option<Vec<u8>> = self
            .tx
            .prepare_cached("SELECT sealed FROM state WHERE name = ?1")?
            .query_row([name], |row| row.get(0))
            .optional()?;
        open_state(self.keys, name, sealed)
    }

    /// Removes the state value `name`; removing a missing one is not an error.
    pub fn delete_state(&mut self, name: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("DELETE FROM state WHERE name = ?1")?
            .execute([name])?;
        Ok(())
    }
}

impl FieldStore {
    /// The state value `name`, or `None` if never set.
    pub fn get_state<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, StoreError> {
        let conn = self.lock()?;
        let sealed: Option<Vec<u8>> = conn
            .prepare_cached("SELECT sealed FROM state WHERE name = ?1")?
            .query_row([name], |row| row.get(0))
            .optional()?;
        open_state(&self.keys, name, sealed)
    }
}

/// Opens a sealed state value read from the `state` table (none: never set).
fn open_state<T: DeserializeOwned>(
    keys: &crate::crypto::Keys,
    name: &str,
    sealed: Option<Vec<u8>>,
) -> Result<Option<T>, StoreError> {
    let Some(sealed) = sealed else {
        return Ok(None);
    };
    let plain = keys
        .open(&binding(name), &sealed)
        .map_err(|_| StoreError::Tampered {
            kind: "state".into(),
            id: name.into(),
            version: 0,
        })?;
    from_json(&plain).map(Some)
}

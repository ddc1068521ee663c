//! Fixtures shared by the bindings' Rust-side test files: a phone keystore kept in memory (a
//! real `SecretStore` implementation, as a shell's would be, without the device).

use safeshare_ffi::{PlatformError, SecretStore};
use std::collections::HashMap;
use std::sync::Mutex;

/// Named secrets in a map, as the phone's keystore holds them.
#[derive(Default)]
pub struct MapStore(Mutex<HashMap<String, Vec<u8>>>);

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

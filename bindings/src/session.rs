//! The `Session` object: one practitioner's encrypted store opened on this device. This file
//! holds opening, identity, the directory, wiping and the tool calls; each feature's calls are
//! in its own file (`capture.rs`, `checklists.rs`, `shares.rs`, `referrals.rs`, `contacts.rs`,
//! `sync.rs`) as further `#[uniffi::export] impl Session` blocks. Each method calls core's
//! `Session` once; nothing is decided here. Every call runs inside the panic guard, so a Rust
//! bug reaches the shell as `SafeShareException.Internal`.

use crate::contacts::ContactsDirectory;
use crate::error::{guard, SafeShareError};
use crate::platform::{Clock, ClockAdapter, SecretStore, SecretStoreAdapter};
use safeshare_core::app::{self as core_app, Identity, InboundOutcome};
use safeshare_core::sync::Envelope;
use std::sync::Arc;

/// One practitioner's encrypted field store, opened with the phone's SecretStore and Clock.
#[derive(uniffi::Object)]
pub struct Session {
    pub(crate) inner: core_app::Session,
}

#[uniffi::export]
impl Session {
    /// Opens (or creates) the store at `db_path`; throws `KeyMismatch` if the SecretStore's key does not open it.
    #[uniffi::constructor]
    pub fn open(
        db_path: String,
        secrets: Arc<dyn SecretStore>,
        clock: Arc<dyn Clock>,
        identity: Identity,
        directory: Option<Arc<ContactsDirectory>>,
    ) -> Result<Arc<Self>, SafeShareError> {
        guard(|| {
            let inner = core_app::Session::open(
                db_path,
                Arc::new(SecretStoreAdapter(secrets)),
                Arc::new(ClockAdapter(clock)),
                identity,
                directory.map(|d| d.directory().clone()),
            )?;
            tracing::info!("session opened");
            Ok(Arc::new(Session { inner }))
        })
    }

    /// Who uses this session.
    pub fn identity(&self) -> Identity {
        self.inner.identity()
    }

    /// Replaces the contacts directory with a newer version; an older one is refused.
    pub fn set_directory(&self, directory: Arc<ContactsDirectory>) -> Result<(), SafeShareError> {
        guard(|| Ok(self.inner.set_directory(directory.directory().clone())?))
    }

    /// Erases the local store and its key (device revoked); later calls throw `Revoked`.
    pub fn wipe_local(&self) -> Result<(), SafeShareError> {
        guard(|| Ok(self.inner.wipe_local()?))
    }

    /// Applies one envelope (JSON, as the server sends it) pulled from the server; idempotent.
    /// A tool and test call: sync applies what it pulls itself.
    pub fn apply_inbound(&self, envelope_json: String) -> Result<InboundOutcome, SafeShareError> {
        guard(|| {
            let envelope: Envelope = serde_json::from_str(&envelope_json)
                .map_err(|_| SafeShareError::validation("envelope", "not a valid envelope"))?;
            Ok(self.inner.apply_inbound(&envelope)?)
        })
    }

    /// The envelopes waiting to be sent, oldest first, as JSON (for tools and tests: sync sends them).
    pub fn pending_envelopes(&self) -> Result<Vec<String>, SafeShareError> {
        guard(|| {
            self.inner
                .pending_envelopes()?
                .iter()
                .map(|e| {
                    serde_json::to_string(e).map_err(|_| SafeShareError::Internal {
                        detail: "an envelope could not be encoded".to_owned(),
                    })
                })
                .collect()
        })
    }
}

/// A list of core values as the shell's list.
pub(crate) fn list<T, U: From<T>>(items: Vec<T>) -> Vec<U> {
    items.into_iter().map(U::from).collect()
}

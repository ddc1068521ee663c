//! Tool and test calls over a session's store, compiled only with this crate's `tools` feature:
//! the JVM binding tests (bindings/tests/run-kotlin) and this crate's own tests build with it;
//! the library the shells ship does not, so these calls are not on the product surface at all.
//! Translation only: parsing and encoding the envelope JSON is core's (`app/inbound.rs`).

use crate::error::Result;
use crate::session::{OverCore, Session};
use safeshare_core::app::{self as core_app, InboundOutcome};
use std::sync::Arc;

/// Tool and test calls, outside the product surface (so not reached from `Session`): apply an
/// envelope as if pulled, and read the outbox as JSON. Shells do not use these (sync does both
/// itself).
#[derive(uniffi::Object)]
pub struct SessionTools {
    inner: Arc<core_app::Session>,
}

impl OverCore for SessionTools {
    fn core(&self) -> &core_app::Session {
        &self.inner
    }
}

#[uniffi::export]
impl SessionTools {
    /// Tool calls on `session`'s store.
    #[uniffi::constructor]
    pub fn new(session: Arc<Session>) -> Arc<Self> {
        Arc::new(SessionTools {
            inner: session.inner.clone(),
        })
    }

    /// Applies one envelope (JSON, as the server sends it) as if pulled; idempotent. Throws
    /// `Validation` on `envelope` for text that is not one.
    pub fn apply_inbound(&self, envelope_json: String) -> Result<InboundOutcome> {
        self.run(|s| s.apply_inbound_json(&envelope_json))
    }

    /// The envelopes waiting to be sent, oldest first, as JSON.
    pub fn pending_envelopes(&self) -> Result<Vec<String>> {
        self.run(|s| s.pending_envelopes_json())
    }
}

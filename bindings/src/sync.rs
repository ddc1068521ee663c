//! Sync for the shells: a `SyncServer` (the regional server's address and the HTTP client core
//! uses), enrolment, `syncNow`, the sync status and the roster log (core's records), and
//! discarding a rejected item. The shell calls `sync().syncNow(server)` when a connection
//! appears (WorkManager, BGTaskScheduler); pushing, pulling, backoff with jitter and wiping on
//! revocation are core's.

use crate::error::{guard, SafeShareError};
use crate::platform::{Clock, ClockAdapter};
use crate::session::Sync;
use safeshare_core::app::{AppError, Identity, RosterLogEntry};
use safeshare_core::sync::client::{SyncClient, SyncConfig, SyncReport, SyncStatus, SystemJitter};
use safeshare_core::sync::EnvelopeId;
use std::sync::Arc;

/// The regional sync server this device talks to.
#[derive(uniffi::Object)]
pub struct SyncServer {
    client: SyncClient,
}

impl SyncServer {
    /// The core client, for the session.
    pub(crate) fn client(&self) -> &SyncClient {
        &self.client
    }
}

#[uniffi::export]
impl SyncServer {
    /// A server at a loopback `http://` `base_url` (tests and the demo server on the same
    /// machine only); throws `UntrustedServer` (`insecure_server_url`, `no_region_trust`)
    /// for anything else. Production uses [`SyncServer::with_region_ca`].
    #[uniffi::constructor]
    pub fn new(base_url: String, clock: Arc<dyn Clock>) -> Result<Arc<Self>, SafeShareError> {
        guard(|| Self::build(SyncConfig::new(base_url), clock))
    }

    /// The region's server at `base_url` (`https://`), trusting exactly the certificate
    /// authorities in `region_ca_pem` (PEM text, one or more certificates, from the app's
    /// configuration) and never the public roots. A server whose certificate is from any other
    /// authority, expired or for another name makes sync fail with `UntrustedServer`.
    /// Throws `UntrustedServer` (`no_region_trust`) for `https://` if the PEM holds no
    /// certificate, and (`insecure_server_url`) for plain `http://` to anything but loopback.
    #[uniffi::constructor]
    pub fn with_region_ca(
        base_url: String,
        region_ca_pem: String,
        clock: Arc<dyn Clock>,
    ) -> Result<Arc<Self>, SafeShareError> {
        guard(|| {
            Self::build(
                SyncConfig::new(base_url).with_region_ca(region_ca_pem),
                clock,
            )
        })
    }
}

impl SyncServer {
    fn build(config: SyncConfig, clock: Arc<dyn Clock>) -> Result<Arc<Self>, SafeShareError> {
        let client = SyncClient::new(
            config,
            Arc::new(ClockAdapter(clock)),
            Arc::new(SystemJitter),
        )
        .map_err(|err| SafeShareError::from(AppError::from(err)))?;
        Ok(Arc::new(SyncServer { client }))
    }
}

#[uniffi::export]
impl Sync {
    /// Enrols this device with the one-time code from the admin; returns the identity the server knows.
    pub fn enrol(&self, server: Arc<SyncServer>, code: String) -> Result<Identity, SafeShareError> {
        guard(|| Ok(self.inner.enrol(server.client(), &code)?))
    }

    /// Pushes the outbox and pulls what is addressed to my teams; call when a connection appears.
    pub fn sync_now(&self, server: Arc<SyncServer>) -> Result<SyncReport, SafeShareError> {
        guard(|| Ok(self.inner.sync_now(server.client())?))
    }

    /// Where sync stands: pending count, rejected and unreadable items, last success.
    pub fn sync_status(&self) -> Result<SyncStatus, SafeShareError> {
        guard(|| Ok(self.inner.sync_status()?))
    }

    /// Makes a new end-to-end encryption key for this device; the next sync registers it and
    /// everything sealed to the device from then on uses it (older keys are kept, so what was
    /// sent before still opens). Returns the new key id (hex).
    pub fn rotate_encryption_key(&self) -> Result<String, SafeShareError> {
        guard(|| Ok(self.inner.rotate_encryption_key()?))
    }

    /// The pinned region key's fingerprint (eight groups of four hex digits) to compare with
    /// the one printed when the enrolment code was issued; null before enrolment.
    pub fn region_key_fingerprint(&self) -> Result<Option<String>, SafeShareError> {
        guard(|| Ok(self.inner.region_key_fingerprint()?))
    }

    /// The signed roster log this device holds, oldest first, with what changed in each version.
    pub fn roster_log(&self) -> Result<Vec<RosterLogEntry>, SafeShareError> {
        guard(|| Ok(self.inner.roster_log()?))
    }

    /// Discards a rejected item with the practitioner's reason (recorded and audited).
    pub fn discard_rejected(
        &self,
        envelope_id: EnvelopeId,
        reason: String,
    ) -> Result<(), SafeShareError> {
        guard(|| Ok(self.inner.discard_rejected(envelope_id, &reason)?))
    }
}

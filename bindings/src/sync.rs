//! Sync for the shells: `SyncServer` (the regional server and core's HTTP client), enrolment,
//! `syncNow` (called when a connection appears), the Sync screen, the region key's fingerprint,
//! the roster log and discarding a rejected item. Pushing, pulling, backoff and wiping on revocation are core's.

use crate::error::{guard, Result};
use crate::platform::{Clock, ClockAdapter};
use crate::session::{OverCore, Sync};
use safeshare_core::app::{AppError, Identity, RosterLogEntry};
use safeshare_core::screens::{SetUpDraft, SetUpScreen, SyncScreen};
use safeshare_core::sync::client::{SyncClient, SyncConfig, SyncReport, SystemJitter};
use safeshare_core::sync::EnvelopeId;
use std::sync::Arc;

/// The regional sync server this device talks to.
#[derive(uniffi::Object)]
pub struct SyncServer {
    client: SyncClient,
}

#[uniffi::export]
impl SyncServer {
    /// A server at a loopback `http://` `base_url` (tests and the demo server on the same
    /// machine only); throws `UntrustedServer` (`insecure_server_url`, `no_region_trust`)
    /// for anything else. Production uses [`SyncServer::with_region_ca`].
    #[uniffi::constructor]
    pub fn new(base_url: String, clock: Arc<dyn Clock>) -> Result<Arc<Self>> {
        guard(|| Self::build(SyncConfig::new(base_url), clock))
    }

    /// The region's server at `base_url` (`https://`), trusting only the certificate
    /// authorities in `region_ca_pem` (see core's `SyncConfig::with_region_ca`); throws
    /// `UntrustedServer` (`no_region_trust`) when the PEM holds no certificate and
    /// (`insecure_server_url`) for plain `http://` to anything but loopback.
    #[uniffi::constructor]
    pub fn with_region_ca(
        base_url: String,
        region_ca_pem: String,
        clock: Arc<dyn Clock>,
    ) -> Result<Arc<Self>> {
        let config = SyncConfig::new(base_url).with_region_ca(region_ca_pem);
        guard(|| Self::build(config, clock))
    }
}

impl SyncServer {
    /// The core client, for the session.
    pub(crate) fn client(&self) -> &SyncClient {
        &self.client
    }

    fn build(config: SyncConfig, clock: Arc<dyn Clock>) -> Result<Arc<Self>> {
        let clock = Arc::new(ClockAdapter(clock));
        let client =
            SyncClient::new(config, clock, Arc::new(SystemJitter)).map_err(AppError::from)?;
        Ok(Arc::new(SyncServer { client }))
    }
}

#[uniffi::export]
impl Sync {
    /// Enrols this device with the one-time code from the admin; returns the identity the server knows.
    pub fn enrol(&self, server: Arc<SyncServer>, code: String) -> Result<Identity> {
        self.run(|s| s.enrol(server.client(), &code))
    }

    /// Pushes the outbox and pulls what is addressed to my teams; call when a connection appears.
    pub fn sync_now(&self, server: Arc<SyncServer>) -> Result<SyncReport> {
        self.run(|s| s.sync_now(server.client()))
    }

    /// Makes a new end-to-end encryption key for this device (registered at the next sync;
    /// older keys are kept); returns its id (hex).
    pub fn rotate_encryption_key(&self) -> Result<String> {
        self.run(|s| s.rotate_encryption_key())
    }

    /// The pinned region key's fingerprint to compare with the one printed with the enrolment
    /// code; null before enrolment.
    pub fn region_key_fingerprint(&self) -> Result<Option<String>> {
        self.run(|s| s.region_key_fingerprint())
    }

    /// The signed roster log this device holds, oldest first, with what changed in each version.
    pub fn roster_log(&self) -> Result<Vec<RosterLogEntry>> {
        self.run(|s| s.roster_log())
    }

    /// Discards a rejected item with the practitioner's reason (recorded and audited).
    pub fn discard_rejected(&self, envelope_id: EnvelopeId, reason: String) -> Result<()> {
        self.run(|s| s.discard_rejected(envelope_id, &reason))
    }

    /// The Sync screen: the status in words, rejected and unreadable items, send and enrol.
    pub fn screen(&self) -> Result<SyncScreen> {
        self.run(|s| s.sync_screen())
    }

    /// The set-up screen once this phone is set up, with the enrolment code in `draft`.
    pub fn set_up_screen(&self, draft: SetUpDraft, server_url: String) -> Result<SetUpScreen> {
        self.run(|s| s.set_up_screen(&draft, &server_url))
    }
}

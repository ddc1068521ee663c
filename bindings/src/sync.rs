//! Sync for the shells: a `SyncServer` (the regional server's address and the HTTP client core
//! uses) and the records of sync status. The shell calls `Session.syncNow(server)` when a
//! connection appears (WorkManager, BGTaskScheduler); pushing, pulling, backoff with jitter and
//! wiping on revocation are core's.

use crate::error::{guard, SafeShareError};
use crate::platform::{Clock, ClockAdapter};
use crate::records::instant;
use safeshare_core::app::AppError;
use safeshare_core::sync::client::{self as core_client, SyncClient, SyncConfig, SystemJitter};
use std::sync::Arc;
use std::time::SystemTime;

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

/// What one sync did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncReport {
    /// Envelopes the server accepted.
    pub accepted: u64,
    /// Envelopes it already had.
    pub duplicate: u64,
    /// Envelopes it rejected (kept, shown on the sync screen).
    pub rejected: u64,
    /// Envelopes pulled and applied.
    pub pulled: u64,
    /// Envelopes pulled that this app could not understand (shown, never skipped silently).
    pub unreadable: u64,
    /// Whether a newer contacts directory arrived.
    pub directory_updated: bool,
}

impl From<core_client::SyncReport> for SyncReport {
    fn from(value: core_client::SyncReport) -> Self {
        SyncReport {
            accepted: value.accepted,
            duplicate: value.duplicate,
            rejected: value.rejected,
            pulled: value.pulled,
            unreadable: value.unreadable,
            directory_updated: value.directory_updated,
        }
    }
}

/// The headline of the sync screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SyncSummary {
    /// Not enrolled yet: enrol first.
    NotEnrolled,
    /// Everything captured is on the server.
    AllSynced,
    /// Something is waiting to be sent, or the last attempt failed.
    Waiting,
    /// Something was rejected or could not be read: the practitioner must look.
    NeedsAttention,
}

/// Something the server rejected: kept on the phone until fixed or discarded with a reason.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RejectedItem {
    /// The envelope's id.
    pub id: String,
    /// What kind of record it carried.
    pub kind: String,
    /// When it was captured.
    pub captured_at: SystemTime,
    /// The server's code.
    pub code: String,
    /// The server's reason.
    pub reason: String,
}

/// Where sync stands.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncStatus {
    /// The headline.
    pub summary: SyncSummary,
    /// Envelopes waiting to be sent.
    pub pending: u64,
    /// What the server rejected.
    pub rejected: Vec<RejectedItem>,
    /// Pulled items that could not be read, as "id: reason".
    pub unreadable: Vec<String>,
    /// The last successful sync.
    pub last_success: Option<SystemTime>,
    /// The last attempt.
    pub last_attempt: Option<SystemTime>,
    /// The last error, if the last attempt failed.
    pub last_error: Option<String>,
    /// No automatic retry before this instant (backoff).
    pub next_attempt_not_before: Option<SystemTime>,
}

impl From<core_client::SyncStatus> for SyncStatus {
    fn from(value: core_client::SyncStatus) -> Self {
        use core_client::SyncSummary as S;
        SyncStatus {
            summary: match value.summary {
                S::NotEnrolled => SyncSummary::NotEnrolled,
                S::AllSynced => SyncSummary::AllSynced,
                S::Waiting => SyncSummary::Waiting,
                S::NeedsAttention => SyncSummary::NeedsAttention,
            },
            pending: value.pending,
            rejected: value
                .rejected
                .into_iter()
                .map(|r| RejectedItem {
                    id: r.id.to_string(),
                    kind: r.kind.as_str().to_owned(),
                    captured_at: instant(r.captured_at),
                    code: r.code,
                    reason: r.reason,
                })
                .collect(),
            unreadable: value
                .unreadable
                .into_iter()
                .map(|u| format!("{}: {}", u.id, u.reason))
                .collect(),
            last_success: value.last_success.map(instant),
            last_attempt: value.last_attempt.map(instant),
            last_error: value.last_error,
            next_attempt_not_before: value.next_attempt_not_before.map(instant),
        }
    }
}

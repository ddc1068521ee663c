//! A test phone: its own encrypted field store (a real SQLite file), its own secret store,
//! its own clock, and the real sync client.

use crate::server::TestServer;
use chrono::{DateTime, Duration, Utc};
use safeshare_core::clock::{Clock, SystemClock};
use safeshare_core::model::{DeviceId, PractitionerId, Severity, TeamId};
use safeshare_core::secrets::InMemorySecretStore;
use safeshare_core::store::{FieldStore, RecordIndex, RecordKind, StoreError};
use safeshare_core::sync::client::{
    wipe_after_revocation, DeviceIdentity, InboundError, InboundSink, Jitter, SeededJitter,
    SyncClient, SyncConfig, SyncError, SyncReport, SyncStatus,
};
use safeshare_core::sync::{
    Body, DirectoryVersion, Envelope, EnvelopeId, EnvelopeKind, WIRE_VERSION,
};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use ulid::Ulid;

/// Record kind under which [`LedgerSink`] keeps every envelope pulled from the server.
pub const RECEIVED: RecordKind = RecordKind::new("received_envelope");
/// Record kind under which [`LedgerSink`] keeps the latest directory.
const DIRECTORY: RecordKind = RecordKind::new("directory_copy");

/// An inbound sink that files each pulled envelope in the device's store (sealed, audited),
/// once per envelope id: the stand-in for `Session` until it can apply envelopes itself.
pub struct LedgerSink<'a> {
    /// The device's store.
    pub store: &'a FieldStore,
    /// Who the writes are recorded as.
    pub actor: PractitionerId,
}

impl InboundSink for LedgerSink<'_> {
    fn apply_envelope(&self, envelope: &Envelope) -> Result<(), InboundError> {
        self.store.write(self.actor, |tx| {
            match tx.get::<Envelope>(RECEIVED, envelope.id) {
                Ok(_) => Ok(()),
                Err(StoreError::NotFound { .. }) => tx
                    .insert(RECEIVED, envelope.id, envelope, &RecordIndex::default())
                    .map(|_| ()),
                Err(err) => Err(err),
            }
            .map_err(InboundError::from)
        })
    }

    fn apply_directory(&self, directory: &DirectoryVersion) -> Result<(), InboundError> {
        self.store.write(self.actor, |tx| {
            let id = format!("v{}", directory.version);
            match tx.get::<DirectoryVersion>(DIRECTORY, &id) {
                Ok(_) => Ok(()),
                Err(StoreError::NotFound { .. }) => tx
                    .insert(DIRECTORY, &id, directory, &RecordIndex::default())
                    .map(|_| ()),
                Err(err) => Err(err),
            }
            .map_err(InboundError::from)
        })
    }
}

/// The system clock shifted by an adjustable offset: a phone whose clock is wrong.
#[derive(Debug, Default)]
pub struct SkewClock {
    offset_ms: AtomicI64,
}

impl SkewClock {
    /// Sets the skew (device minus true time).
    pub fn set_skew(&self, skew: Duration) {
        self.offset_ms
            .store(skew.num_milliseconds(), Ordering::Relaxed);
    }
}

impl Clock for SkewClock {
    fn now(&self) -> DateTime<Utc> {
        SystemClock.now() + Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }
}

/// A test phone.
pub struct TestDevice {
    _dir: tempfile::TempDir,
    path: PathBuf,
    /// The phone's keystore.
    pub secrets: Arc<InMemorySecretStore>,
    clock: Arc<dyn Clock>,
    store: Option<FieldStore>,
    client: SyncClient,
}

impl TestDevice {
    /// A phone with a new empty store talking to `config.base_url`.
    pub fn new(config: SyncConfig, clock: Arc<dyn Clock>, jitter: Arc<dyn Jitter>) -> Self {
        let dir = tempfile::tempdir().expect("device dir");
        let path = dir.path().join("field.db");
        let secrets = Arc::new(InMemorySecretStore::new());
        let store =
            FieldStore::open(&path, secrets.as_ref(), Arc::clone(&clock)).expect("open store");
        let client = SyncClient::new(config, Arc::clone(&clock), jitter).expect("client");
        Self {
            _dir: dir,
            path,
            secrets,
            clock,
            store: Some(store),
            client,
        }
    }

    /// A phone on the system clock talking to `base_url` (the server's, or a proxy's in front
    /// of it), each request timing out after `timeout`, its backoff jitter seeded `seed`, and
    /// enrolled with a code `server` issues for `team`.
    pub fn enrolled(
        server: &TestServer,
        base_url: String,
        team: TeamId,
        timeout: std::time::Duration,
        seed: u64,
    ) -> Self {
        let mut config = SyncConfig::new(base_url);
        config.timeout = timeout;
        let device = Self::new(
            config,
            Arc::new(SystemClock),
            Arc::new(SeededJitter::new(seed)),
        );
        device
            .enrol(&server.issue_code(vec![team]))
            .expect("enrolment");
        device
    }

    /// The store (panics after a wipe).
    pub fn store(&self) -> &FieldStore {
        self.store.as_ref().expect("store not wiped")
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the store was wiped.
    pub fn is_wiped(&self) -> bool {
        self.store.is_none()
    }

    /// Enrols with a code.
    pub fn enrol(&self, code: &str) -> Result<DeviceIdentity, SyncError> {
        self.client.enrol(self.store(), self.secrets.as_ref(), code)
    }

    /// Enrols again with a code for the same practitioner (after `unknown_device`).
    pub fn reenrol(&self, code: &str) -> Result<DeviceIdentity, SyncError> {
        self.client
            .reenrol(self.store(), self.secrets.as_ref(), code)
    }

    /// The identity (panics if not enrolled).
    pub fn identity(&self) -> DeviceIdentity {
        SyncClient::identity(self.store())
            .expect("read identity")
            .expect("enrolled")
    }

    /// Syncs now, applying pulls through a [`LedgerSink`]; on revocation, or on retirement
    /// once nothing is left in its outbox, wipes the device.
    pub fn sync(&mut self) -> Result<SyncReport, SyncError> {
        let actor = self.identity().practitioner_id;
        let result = {
            let store = self.store();
            let sink = LedgerSink { store, actor };
            self.client.sync_now(store, self.secrets.as_ref(), &sink)
        };
        if matches!(result, Err(SyncError::Revoked | SyncError::Retired)) {
            if let Some(store) = self.store.take() {
                wipe_after_revocation(store, self.secrets.as_ref())?;
            }
        }
        result
    }

    /// The periodic trigger: syncs only if the backoff allows it now (`Ok(None)` if not).
    pub fn sync_if_due(&self) -> Result<Option<SyncReport>, SyncError> {
        let actor = self.identity().practitioner_id;
        let store = self.store();
        let sink = LedgerSink { store, actor };
        self.client.sync_if_due(store, self.secrets.as_ref(), &sink)
    }

    /// Pushes the outbox without pulling.
    pub fn push(&self) -> Result<SyncReport, SyncError> {
        self.client.push_now(self.store(), self.secrets.as_ref())
    }

    /// The sync status.
    pub fn status(&self) -> SyncStatus {
        SyncClient::status(self.store()).expect("status")
    }

    /// Captures an envelope: written to the outbox in one transaction with a record of it,
    /// as a capture does. Returns it.
    pub fn capture(&self, envelope: Envelope) -> Envelope {
        let actor = self.identity().practitioner_id;
        self.store()
            .write(actor, |tx| {
                tx.insert(
                    RecordKind::new("captured_envelope"),
                    envelope.id,
                    &envelope,
                    &RecordIndex::default(),
                )?;
                tx.enqueue_outbox(&envelope.id.to_string(), &envelope)
            })
            .expect("capture");
        envelope
    }

    /// Tries to capture; the error when the store cannot be written (read-only).
    pub fn try_capture(&self, envelope: &Envelope) -> Result<(), StoreError> {
        let actor = self.identity().practitioner_id;
        self.store().write(actor, |tx| {
            tx.insert(
                RecordKind::new("captured_envelope"),
                envelope.id,
                envelope,
                &RecordIndex::default(),
            )?;
            tx.enqueue_outbox(&envelope.id.to_string(), envelope)
        })
    }

    /// A share to `audience` from this device, due `due_in` after now (device clock).
    pub fn share(&self, audience: Vec<TeamId>, due_in: Duration, body: &[u8]) -> Envelope {
        let me = self.identity();
        let now = self.clock.now();
        Envelope {
            id: EnvelopeId::new(),
            wire_version: WIRE_VERSION,
            kind: EnvelopeKind::Share,
            entity_id: Ulid::new(),
            entity_version: 1,
            author: me.practitioner_id,
            device: me.device_id,
            created_at: now,
            audience,
            severity: Some(Severity::Concern),
            due_at: Some(now + due_in),
            answers: None,
            body: Body(body.to_vec()),
            signature: None,
        }
    }

    /// An acknowledgement of `share` from this device, addressed to `audience` (the sender's
    /// team), with `read_back` as its body.
    pub fn acknowledgement(
        &self,
        share: &Envelope,
        audience: Vec<TeamId>,
        read_back: &[u8],
    ) -> Envelope {
        let me = self.identity();
        Envelope {
            id: EnvelopeId::new(),
            wire_version: WIRE_VERSION,
            kind: EnvelopeKind::Acknowledgement,
            entity_id: Ulid::new(),
            entity_version: 1,
            author: me.practitioner_id,
            device: me.device_id,
            created_at: self.clock.now(),
            audience,
            severity: None,
            due_at: None,
            answers: Some(share.entity_id),
            body: Body(read_back.to_vec()),
            signature: None,
        }
    }

    /// Whether the envelope `id` was pulled and filed in this device's store.
    pub fn has_received(&self, id: EnvelopeId) -> bool {
        let actor = self.identity().practitioner_id;
        match self
            .store()
            .write(actor, |tx| tx.get::<Envelope>(RECEIVED, id))
        {
            Ok(_) => true,
            Err(StoreError::NotFound { .. }) => false,
            Err(err) => panic!("reading received envelope failed: {err}"),
        }
    }

    /// The device id.
    pub fn device_id(&self) -> DeviceId {
        self.identity().device_id
    }
}

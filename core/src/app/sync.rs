//! Enrolment and sync on [`Session`]: the glue between the facade and the sync client
//! ([`crate::sync::client`]).
//!
//! The [`SyncClient`] is passed in rather than owned by the session, so the shell (and the
//! bindings) decide its server URL, timeouts and lifetime; the session supplies the store, the
//! keystore and the inbound side ([`InboundSink`], implemented here over
//! [`Session::apply_inbound`] and [`Session::apply_directory_version`]).
//!
//! Invariants:
//! - A store belongs to one practitioner, so the admin issues the code for that practitioner
//!   (`issue-code --practitioner ID`); a code for anyone else is refused on the device and
//!   nothing is stored. Enrolment then takes the server's device id and the practitioner's
//!   teams into the session identity, so every later envelope carries the ids the server
//!   checks. Team names come from the directory copy, else the names already known, else a
//!   neutral placeholder naming the team id.
//! - A `device_revoked` answer wipes the device signing key, the store and its data key before
//!   the error is returned: after it, every call answers [`AppError::Revoked`]. A retired
//!   device (handed back) is wiped the same way, but only when the sync client says nothing is
//!   left in its outbox ([`SyncError::Retired`], answered as [`AppError::Retired`]); until
//!   then it keeps pushing.
//! - The sync runs with no session lock held (see the `app` module's rule: no foreign call
//!   under a core lock); a second sync or an enrolment started while one runs, including from
//!   inside a platform callback of the running one, is refused at once ("already running").

use super::{AppError, Identity, Reason, Session, StorageFault, TeamMembership, TrustRefusal};
use crate::sync::client::{
    InboundError, InboundSink, SyncClient, SyncError, SyncReport, SyncStatus, DEVICE_KEY_SECRET,
};
use crate::sync::{
    roster_changes, DirectoryVersion, Envelope, RosterBody, RosterChange, RosterDevice,
};
use chrono::{DateTime, Utc};

/// One version of the signed region roster as the phone's log shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RosterLogEntry {
    /// The version (1, 2, ...).
    pub version: u64,
    /// When the server made it.
    pub issued_at: DateTime<Utc>,
    /// How many devices it lists.
    pub devices: u64,
    /// What changed from the version before, device by device.
    pub changes: Vec<RosterChange>,
}

/// The sink's answer for an applied (or refused) envelope.
fn inbound_result(
    envelope: &Envelope,
    result: Result<super::InboundOutcome, AppError>,
) -> Result<(), InboundError> {
    result
        .map(|_| ())
        .map_err(|err| inbound_error(err, || envelope.id.to_string()))
}

/// What the sync client does with a pulled item the session could not apply: one it cannot
/// understand is set aside, visible (`Unreadable`); anything else may pass, so the page is
/// pulled again (`Local`). Every variant named: a new one is decided here, not defaulted.
fn inbound_error(err: AppError, id: impl FnOnce() -> String) -> InboundError {
    match err {
        AppError::BadEnvelope(reason) => InboundError::Unreadable {
            id: id(),
            reason: Box::new(reason),
        },
        AppError::Validation { .. }
        | AppError::Refused { .. }
        | AppError::NotFound { .. }
        | AppError::KeyMismatch
        | AppError::KeyMissing
        | AppError::StoreUnreadable(_)
        | AppError::Revoked
        | AppError::Retired
        | AppError::Tampered(_)
        | AppError::Storage(_)
        | AppError::NoNumber { .. }
        | AppError::Network(_)
        | AppError::Server { .. }
        | AppError::UntrustedServer(_) => InboundError::Local(Box::new(err)),
    }
}

impl InboundSink for Session {
    fn apply_envelope(&self, envelope: &Envelope) -> Result<(), InboundError> {
        inbound_result(envelope, self.apply_inbound(envelope))
    }

    fn apply_verified(
        &self,
        envelope: &Envelope,
        author: &RosterDevice,
    ) -> Result<(), InboundError> {
        inbound_result(envelope, self.apply_inbound_verified(envelope, author))
    }

    fn apply_directory(&self, directory: &DirectoryVersion) -> Result<(), InboundError> {
        self.apply_directory_version(directory)
            .map(|_| ())
            .map_err(|err| inbound_error(err, || format!("directory v{}", directory.version)))
    }
}

impl Session {
    /// Enrols this device with the one-time `code` the region's administrator issued, and
    /// takes the device and team ids the server enrolled into the session's identity.
    ///
    /// On a fresh install (no record and nothing in the outbox yet) the practitioner the code
    /// was issued for becomes the store's practitioner: the shell cannot know that id before
    /// enrolment, and an empty store holds nobody's data. Once anything has been captured the
    /// store belongs to its practitioner, and a code issued for anyone else is refused with
    /// nothing stored.
    ///
    /// A device already enrolled is enrolled again ([`SyncClient::reenrol`]): the code must
    /// be for this store's practitioner; the device gets a new identity and every unsent item
    /// is delivered at the next sync (after the server lost the device, the status says
    /// "needs re-enrolment"; also how a phone is pinned to a new region key).
    pub fn enrol(&self, client: &SyncClient, code: &str) -> Result<Identity, AppError> {
        let (enrolled, fresh) = self.with_store(|store| {
            if SyncClient::identity(store).map_err(app_error)?.is_some() {
                let enrolled = client
                    .reenrol(store, self.secrets.as_ref(), code)
                    .map_err(app_error)?;
                self.refresh_clock_offset(store)?;
                return Ok((enrolled, false));
            }
            let fresh = !store.holds_records()?;
            let expected = (!fresh).then(|| self.actor());
            let enrolled = client
                .enrol_as(store, self.secrets.as_ref(), code, expected)
                .map_err(app_error)?;
            self.refresh_clock_offset(store)?;
            Ok((enrolled, fresh))
        })?;
        let current = self.identity();
        let directory = self.directory();
        let teams = enrolled
            .teams
            .iter()
            .map(|id| TeamMembership {
                id: *id,
                name: directory
                    .team(*id)
                    .map(|team| team.name.clone())
                    .or_else(|| {
                        current
                            .teams
                            .iter()
                            .find(|t| t.id == *id)
                            .map(|t| t.name.clone())
                    })
                    .unwrap_or_else(|| format!("Team {id}")),
            })
            .collect();
        let identity = Identity {
            practitioner: enrolled.practitioner_id,
            practitioner_name: current.practitioner_name,
            teams,
            device: enrolled.device_id,
        };
        self.replace_identity(identity.clone(), fresh)?;
        Ok(identity)
    }

    /// Pushes the outbox and pulls what is new, now (call when connectivity appears). On a
    /// revocation the device is wiped and [`AppError::Revoked`] returned.
    pub fn sync_now(&self, client: &SyncClient) -> Result<SyncReport, AppError> {
        let result = self.with_store(|store| {
            let result = client.sync_now(store, self.secrets.as_ref(), self);
            // Even a failed sync may have learnt the server's time (a stale answer).
            if !matches!(result, Err(SyncError::Revoked | SyncError::Retired)) {
                self.refresh_clock_offset(store)?;
            }
            Ok(result)
        })?;
        match result {
            Ok(report) => {
                if report.pulled > 0 || report.directory_updated {
                    self.notify(super::ChangeCause::Synced, &super::changes::PULLED_SCREENS);
                } else {
                    // Pushed only: the sync screen's status still changed.
                    self.notify(super::ChangeCause::Synced, &[super::ScreenName::Sync]);
                }
                Ok(report)
            }
            Err(err @ (SyncError::Revoked | SyncError::Retired)) => {
                // The store is erased even if the keystore cannot delete the device key now
                // (locked): erasing the data matters most. The keystore's error is then
                // returned (Storage) so the shell can report it; a signing key left behind
                // signs for a device the server has revoked, so it opens nothing.
                let key_deleted = self.secrets.delete(DEVICE_KEY_SECRET);
                let encryption_keys = self.with_store(|store| {
                    SyncClient::encryption_key_secrets(store).map_err(app_error)
                });
                let keys_deleted = encryption_keys.map(|names| {
                    names
                        .iter()
                        .map(|name| self.secrets.delete(name))
                        .collect::<Result<Vec<_>, _>>()
                });
                self.wipe_local()?;
                key_deleted?;
                keys_deleted??;
                let retired = matches!(err, SyncError::Retired);
                tracing::warn!(
                    retired,
                    "device revoked or retired: local store and keys wiped"
                );
                Err(if retired {
                    AppError::Retired
                } else {
                    AppError::Revoked
                })
            }
            Err(err) => Err(app_error(err)),
        }
    }

    /// The sync state for the sync screen: last success, pending count, rejected items with
    /// reasons; "all synced" only when nothing is pending or rejected.
    pub fn sync_status(&self) -> Result<SyncStatus, AppError> {
        self.with_store(|store| SyncClient::status(store).map_err(app_error))
    }

    /// Makes a new end-to-end encryption key for this device (docs/security.md, "Keys"): what
    /// is sealed to the device from the next roster on uses it; the old private keys stay in
    /// the keystore so everything sent before still opens. The next sync registers it with the
    /// server. Returns the new key's id (hex), which the roster log then shows.
    ///
    /// Use it when a phone may have been exposed (repaired, its backup restored elsewhere) or
    /// on the Trust's rotation schedule. Errors: `Refused` before enrolment; a keystore or
    /// store failure as [`AppError::Storage`] (the new key is then not recorded as held).
    pub fn rotate_encryption_key(&self) -> Result<String, AppError> {
        let now = self.now()?;
        self.with_store(|store| {
            SyncClient::rotate_encryption_key(store, self.secrets.as_ref(), now)
                .map(|id| id.to_string())
                .map_err(app_error)
        })
    }

    /// The fingerprint of the region key this device pinned at enrolment (eight groups of four
    /// hex digits), to compare with the one `issue-code` printed; `None` before enrolment or
    /// from a server without a region key.
    pub fn region_key_fingerprint(&self) -> Result<Option<String>, AppError> {
        self.with_store(|store| {
            Ok(SyncClient::region_key(store)
                .map_err(app_error)?
                .map(|key| key.fingerprint()))
        })
    }

    /// The roster log this device holds, oldest first: each version the pinned region key
    /// signed, with what changed for which device, so a device nobody expected shows up here
    /// (docs/security.md, "Threat model").
    pub fn roster_log(&self) -> Result<Vec<RosterLogEntry>, AppError> {
        self.with_store(|store| {
            let region = SyncClient::region_key(store).map_err(app_error)?;
            let Some(region) = region else {
                return Ok(Vec::new());
            };
            let mut entries = Vec::new();
            let mut before: Option<RosterBody> = None;
            for signed in SyncClient::roster_log(store).map_err(app_error)? {
                let body = signed
                    .verify(&region)
                    .map_err(|err| app_error(SyncError::Roster(err)))?;
                entries.push(RosterLogEntry {
                    version: body.version,
                    issued_at: body.issued_at,
                    // A roster never lists anywhere near 2^64 devices.
                    devices: u64::try_from(body.devices.len()).unwrap_or(u64::MAX),
                    changes: roster_changes(before.as_ref(), &body),
                });
                before = Some(body);
            }
            Ok(entries)
        })
    }

    /// Discards a rejected envelope with the practitioner's reason (recorded and audited).
    pub fn discard_rejected(
        &self,
        id: crate::sync::EnvelopeId,
        reason: &str,
    ) -> Result<(), AppError> {
        let actor = self.actor();
        self.with_store(|store| {
            SyncClient::discard_rejected(store, actor, id, reason).map_err(app_error)
        })
    }
}

/// The one mapping from the sync client's error to the session's: every variant named, each
/// kept as the source of the session error it becomes.
fn app_error(err: SyncError) -> AppError {
    match err {
        SyncError::Revoked => AppError::Revoked,
        SyncError::UnknownDevice => AppError::refused(
            "the regional server no longer knows this device: ask your administrator for a \
             re-enrolment code; everything captured stays on the phone until then",
        ),
        SyncError::Retired => AppError::Retired,
        SyncError::RetiredWithItemsLeft { .. } => AppError::refused(err),
        SyncError::Store(store) => AppError::from(store),
        SyncError::EnrolmentRefused(code) => {
            AppError::validation("code", Reason::EnrolmentCodeRefused(code))
        }
        SyncError::PractitionerMismatch => AppError::validation(
            "code",
            "this enrolment code was issued for another practitioner",
        ),
        SyncError::NotEnrolled => AppError::refused("this device is not enrolled yet"),
        SyncError::AlreadyEnrolled => AppError::refused("this device is already enrolled"),
        SyncError::Busy => AppError::refused(
            "a sync is already running on this device; try again when it finishes",
        ),
        SyncError::Server { code, status } => AppError::Server { code, status },
        SyncError::Inbound(InboundError::Store(store)) => AppError::from(store),
        SyncError::UntrustedServer(refusal) => {
            AppError::UntrustedServer(TrustRefusal::Certificate(refusal))
        }
        // A roster not signed by the pinned region key (or rolled back) is the server, or
        // someone in front of it, trying to add recipients: shown like an untrusted certificate.
        SyncError::InsecureServerUrl(_) | SyncError::NoRegionTrust | SyncError::Roster(_) => {
            AppError::UntrustedServer(TrustRefusal::Setup(err))
        }
        SyncError::Network(_)
        | SyncError::BadResponse(_)
        | SyncError::Encode(_)
        | SyncError::ClockSkew { .. }
        | SyncError::Inbound(InboundError::Local(_) | InboundError::Unreadable { .. })
        | SyncError::NoRoster
        | SyncError::Seal(_) => AppError::Network(err),
        SyncError::Signing(_) | SyncError::SecretStore(_) => {
            AppError::Storage(StorageFault::Sync(err))
        }
    }
}

impl From<SyncError> for AppError {
    fn from(err: SyncError) -> Self {
        app_error(err)
    }
}

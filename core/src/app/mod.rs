//! The `Session` facade: the product API the bindings expose to the Android and iOS shells.
//!
//! One [`Session`] is one practitioner's encrypted field store opened on one device. Every
//! method is a whole user action: it validates through the model and rules, writes the records,
//! the outgoing envelope and the audit entries in ONE store transaction (so a capture that
//! must be shared can never be stored without its envelope, or the envelope queued without
//! the capture), and returns plain Rust values the bindings translate. Nothing here reads the
//! wall clock (time comes from the [`Clock`]) or holds state outside the store except the
//! open connection, the working-time rules and a cache of the directory copy, which is itself
//! persisted in the store.
//!
//! Sub-modules, one job each:
//! - [`error`]: the one [`AppError`] every method returns.
//! - [`bodies`]: the JSON body of each envelope kind (the wire contract between devices).
//! - `records`: how the app's own records (shares, referrals, escalations, calls, alert
//!   events, applied envelopes) sit in the store: kinds and clear columns.
//! - `capture`: households, people, visits, observations, voice-of-the-child notes.
//! - `shares`: sharing to a team, acknowledgement with read-back, the read-back check,
//!   information-sharing decision records.
//! - `referrals`: referrals, decisions and escalation steps.
//! - `review`: chronologies and pattern alerts.
//! - `checklists`: admission, handover and discharge checklists.
//! - `team_around_child`: the team around the child, the lead professional, the social care
//!   status, who has been told about a concern, and the meeting pack's health staff
//!   ([`Session::team_around_child`]).
//! - `transfer`: transfer of care when a family moves ([`Session::transfers`]).
//! - `attention`: "needs attention now", number choice and the call log.
//! - `inbound`: applying envelopes pulled from the server, idempotently.
//! - `sync`: enrolment and the sync client's entry points (owned by the sync work).
//!
//! Invariants:
//! - Every write is one [`FieldStore::write`] transaction; on error nothing is changed.
//! - Envelope headers carry ids, times and severity only; personal data is in the body.
//!   Each envelope names the device id of the [`Identity`] when it was written; enrolment
//!   sets the server-issued id through [`Session::set_identity`].
//! - Envelopes pulled from the server are applied idempotently (see `inbound`): the sync
//!   client may hand the same one over any number of times.
//! - After revocation ([`Session::wipe_local`]) every call answers [`AppError::Revoked`].
//! - No foreign call under a core lock. Every call into a platform callback ([`SecretStore`],
//!   [`Clock`], and any later listener) happens before a lock is taken or after it is released:
//!   a method reads the time and fetches secrets first, then locks and writes. The session's
//!   own locks (`store` slot, identity, directory) are held only for a clone or a swap, never
//!   across store work; [`FieldStore`] reads its clock before taking its connection lock; the
//!   sync client marks a sync as running with a flag, not a lock held across the callbacks.
//!   So a callback may call back into the session from any thread: the call completes, or
//!   answers a typed error (e.g. [`AppError::Revoked`] during a wipe, a refusal while a sync
//!   already runs), and never hangs. A failing callback is a typed error for that one call
//!   ([`AppError::Storage`]) with nothing written; a panic inside core does not leave a lock
//!   poisoned (every session lock recovers, and so does the store's).

mod attention;
pub mod bodies;
mod capture;
pub mod changes;
mod checklists;
pub mod error;
mod inbound;
mod meetings;
mod records;
mod referrals;
mod review;
mod shares;
mod subject;
mod supervision;
mod sync;
mod team_around_child;
mod transfer;

pub(crate) use attention::AlertScan;
pub use attention::{AttentionNow, CallOutcomeReport, CallStart};
pub use capture::{
    Captured, CapturedObservation, CapturedVoiceNote, ListedObservation, NewObservationInput,
    NewVoiceNoteInput, ObservationCorrection, ShareRequest,
};
pub use changes::{ChangeCause, ChangeEvent, ChangeListener, DeadlineCheck, ScreenName};
pub use error::{AppError, EnvelopeFault, Reason, StorageFault, TrustRefusal};
pub use inbound::InboundOutcome;
pub use records::{
    AcknowledgerName, AlreadyAcknowledged, IncomingShare, ListedShare, ShareDirection, ShareView,
    StoredShare,
};
pub use referrals::{ListedReferral, NewReferralInput, ReferralView};
pub(crate) use review::{entries_and_writers, EntryWriter};
pub(crate) use shares::{message_over_limit, severity_floor};
pub use shares::{DecisionNotToShareInput, DecisionToShareInput, ShareReceipt};
pub use subject::{Candidate, SubjectChoice, SubjectConflict, SubjectTakeOn};
pub use supervision::SupervisionInput;
pub use sync::RosterLogEntry;
pub(crate) use team_around_child::team_view;
pub use team_around_child::TeamAroundChildHandle;
pub use transfer::{
    ExpectedTransfer, TakeOnCandidate, TransferHandle, TransferTakeOn, MAX_PACK_MEMBERS,
};

use crate::clock::{Clock, CorrectedClock};
use crate::directory::Directory;
use crate::model::{DeviceId, PractitionerId, TeamId};
use crate::rules::attention::AttentionSettings;
use crate::rules::patterns::PatternThresholds;
use crate::rules::working_time::WorkingTime;
use crate::secrets::SecretStore;
use crate::store::FieldStore;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// State name of the persisted directory copy.
const DIRECTORY_STATE: &str = "app.directory";
/// State name of the persisted identity.
const IDENTITY_STATE: &str = "app.identity";

/// A team the practitioner belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TeamMembership {
    /// The team.
    pub id: TeamId,
    /// Its name, for records and prompts.
    pub name: String,
}

/// Who is using this device: the practitioner, their teams, and the device's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Identity {
    /// The practitioner.
    pub practitioner: PractitionerId,
    /// Their name as recipients see it on shares and acknowledgements.
    pub practitioner_name: String,
    /// Their teams (at least one): shares to these teams are theirs to acknowledge.
    pub teams: Vec<TeamMembership>,
    /// This device's id (the one enrolment gives; written into every envelope header).
    pub device: DeviceId,
}

impl Identity {
    /// Who uses this device before it is enrolled, as the practitioner entered it on the
    /// set-up screen: `practitioner_name` and `teams`, with fresh practitioner and device ids
    /// (ULIDs) that enrolment replaces. On a fresh install enrolment adopts the practitioner the
    /// code was issued for and the device id the server gives ([`crate::sync::client`]), so
    /// a shell never makes ids of its own.
    ///
    /// Errors: [`AppError::Validation`] on `practitioner_name` (blank) or `teams` (none, or a
    /// team with a blank name).
    pub fn before_enrolment(
        practitioner_name: impl Into<String>,
        teams: Vec<TeamMembership>,
    ) -> Result<Self, AppError> {
        let identity = Identity {
            practitioner: PractitionerId::new(),
            practitioner_name: practitioner_name.into(),
            teams,
            device: DeviceId::new(),
        };
        identity.validate()?;
        Ok(identity)
    }

    fn validate(&self) -> Result<(), AppError> {
        if crate::rules::normalise::is_blank(&self.practitioner_name) {
            return Err(AppError::validation(
                "practitioner_name",
                "the practitioner's name is required",
            ));
        }
        if self.teams.is_empty() {
            return Err(AppError::validation(
                "teams",
                "the practitioner must belong to at least one team",
            ));
        }
        if self
            .teams
            .iter()
            .any(|t| crate::rules::normalise::is_blank(&t.name))
        {
            return Err(AppError::validation("teams", "every team needs a name"));
        }
        Ok(())
    }

    /// The ids of the practitioner's teams.
    pub fn team_ids(&self) -> Vec<TeamId> {
        self.teams.iter().map(|t| t.id).collect()
    }
}

/// The rule settings a session works with (defaults: England and Wales, 09:00-17:00, the
/// acknowledgement and pattern defaults of the rules modules).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionConfig {
    /// Calendar and working hours for every deadline.
    pub working_time: WorkingTime,
    /// Acknowledgement allowances, "soon" horizon, escalation step allowance.
    pub attention: AttentionSettings,
    /// Pattern alert thresholds.
    pub patterns: PatternThresholds,
}

/// One practitioner's encrypted store opened on this device: the product API.
pub struct Session {
    /// The store; `None` once wiped after revocation. The lock is held only to clone or take
    /// the handle, never across store work (see the module invariants).
    pub(crate) store: RwLock<Option<Arc<FieldStore>>>,
    /// The store's file, kept so a wipe that failed half-way can be retried.
    db_path: PathBuf,
    pub(crate) secrets: Arc<dyn SecretStore>,
    /// The platform clock corrected by the server's offset (see [`CorrectedClock`]): every
    /// time the session and its store record comes from it.
    pub(crate) clock: Arc<dyn Clock>,
    /// The same clock, to set and ask about its offset.
    corrected: Arc<CorrectedClock<dyn Clock>>,
    pub(crate) identity: RwLock<Identity>,
    directory: RwLock<Directory>,
    /// Serialises directory updates (see [`Session::set_directory`]).
    directory_update: std::sync::Mutex<()>,
    config: SessionConfig,
    /// Told when something a screen shows changed (see [`changes`]).
    change_listener: RwLock<Option<Arc<dyn changes::ChangeListener>>>,
    /// "Needs attention now" as the last deadline check saw it (see [`changes`]).
    last_attention: std::sync::Mutex<Option<changes::AttentionShape>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").finish_non_exhaustive()
    }
}

impl Session {
    /// Opens (or creates) the store at `db_path` for `identity`, with default rule settings.
    ///
    /// A store belongs to one practitioner: opening it for another is refused. Once a store
    /// exists its device id is the stored one (set at enrolment), whatever `identity` says;
    /// the practitioner's name and teams are taken from `identity`.
    ///
    /// `directory` replaces the stored directory copy when it is newer (or when none is
    /// stored); `None` keeps the stored copy (or an empty directory on first run).
    pub fn open(
        db_path: impl AsRef<Path>,
        secrets: Arc<dyn SecretStore>,
        clock: Arc<dyn Clock>,
        identity: Identity,
        directory: Option<Directory>,
    ) -> Result<Self, AppError> {
        Self::open_with(
            db_path,
            secrets,
            clock,
            identity,
            directory,
            SessionConfig::default(),
        )
    }

    /// [`Session::open`] with explicit rule settings.
    pub fn open_with(
        db_path: impl AsRef<Path>,
        secrets: Arc<dyn SecretStore>,
        clock: Arc<dyn Clock>,
        identity: Identity,
        directory: Option<Directory>,
        config: SessionConfig,
    ) -> Result<Self, AppError> {
        identity.validate()?;
        Self::open_store(db_path, secrets, clock, Some(identity), directory, config)
    }

    /// Whether this device was set up: a store exists at `db_path` (made by [`Session::open`]).
    /// What a shell asks at launch to choose between [`Session::resume`] and the set-up
    /// screen; it opens nothing.
    pub fn is_set_up(db_path: impl AsRef<Path>) -> bool {
        db_path.as_ref().is_file()
    }

    /// Reopens the store at `db_path` as it was left: the identity (practitioner, every team,
    /// the enrolled device id) is the one the store keeps, so a shell keeps nothing but the
    /// platform secrets. `directory` as for [`Session::open`].
    ///
    /// Errors: [`AppError::NotFound`] (`identity`) when no store exists at `db_path` (nothing
    /// is created: see [`Session::is_set_up`]); [`AppError::KeyMismatch`] or
    /// [`AppError::KeyMissing`] when the platform keystore's key does not open it (nothing is
    /// changed: the recovery is the same as for [`Session::open`]);
    /// [`AppError::StoreUnreadable`] when the file is not a database or fails its integrity
    /// check (nothing is changed; the boundary shows it with the key mismatch's recovery).
    pub fn resume(
        db_path: impl AsRef<Path>,
        secrets: Arc<dyn SecretStore>,
        clock: Arc<dyn Clock>,
        directory: Option<Directory>,
    ) -> Result<Self, AppError> {
        if !Self::is_set_up(&db_path) {
            return Err(AppError::not_found("identity", "this device (not set up)"));
        }
        Self::open_store(
            db_path,
            secrets,
            clock,
            None,
            directory,
            SessionConfig::default(),
        )
    }

    /// Opens the store for `offered` (validated by the caller), or for the identity it keeps
    /// when `offered` is `None`.
    fn open_store(
        db_path: impl AsRef<Path>,
        secrets: Arc<dyn SecretStore>,
        clock: Arc<dyn Clock>,
        offered: Option<Identity>,
        directory: Option<Directory>,
        config: SessionConfig,
    ) -> Result<Self, AppError> {
        config.patterns.validate()?;
        let resumed = offered.is_none();
        let db_path = db_path.as_ref().to_path_buf();
        // Times with clinical meaning come from the server-corrected clock (docs/sync.md,
        // "Clocks"); the offset kept from the last sync applies from the first capture.
        let corrected = Arc::new(CorrectedClock::new(clock));
        let clock: Arc<dyn Clock> = Arc::clone(&corrected) as Arc<dyn Clock>;
        let store = FieldStore::open(&db_path, secrets.as_ref(), Arc::clone(&clock))?;
        if let Some(offset) = crate::sync::client::SyncClient::clock_offset(&store)
            .map_err(|err| AppError::Storage(err.into()))?
        {
            corrected.set_offset(offset);
        }
        let stored_identity = store.get_state::<Identity>(IDENTITY_STATE)?;
        let identity = match (offered, stored_identity) {
            (Some(mut identity), Some(stored)) => {
                if stored.practitioner != identity.practitioner {
                    return Err(AppError::refused(
                        "this store belongs to another practitioner on this device",
                    ));
                }
                // The device id is fixed for the life of the store (enrolment sets it through
                // `set_identity`); names and teams come from the shell.
                identity.device = stored.device;
                identity
            }
            (Some(identity), None) => identity,
            (None, Some(stored)) => {
                stored.validate()?;
                stored
            }
            (None, None) => {
                return Err(AppError::not_found("identity", "this device (not set up)"));
            }
        };
        let stored: Option<Directory> = store.get_state(DIRECTORY_STATE)?;
        let directory = match (stored, directory) {
            (Some(stored), Some(offered)) if offered.version() <= stored.version() => stored,
            (_, Some(offered)) => {
                store.write(identity.practitioner, |tx| {
                    tx.put_state(DIRECTORY_STATE, &offered)?;
                    Ok::<_, AppError>(())
                })?;
                offered
            }
            (Some(stored), None) => stored,
            (None, None) => Directory::empty(),
        };
        if !resumed {
            store.write(identity.practitioner, |tx| {
                tx.put_state(IDENTITY_STATE, &identity)?;
                Ok::<_, AppError>(())
            })?;
        }
        Ok(Self {
            store: RwLock::new(Some(Arc::new(store))),
            db_path,
            secrets,
            clock,
            corrected,
            identity: RwLock::new(identity),
            directory: RwLock::new(directory),
            directory_update: std::sync::Mutex::new(()),
            change_listener: RwLock::new(None),
            last_attention: std::sync::Mutex::new(None),
            config,
        })
    }

    /// Who is using this session.
    pub fn identity(&self) -> Identity {
        self.identity
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Replaces the identity (after enrolment tells the device its id and the practitioner's
    /// teams, or when teams change). Persisted. The practitioner cannot change.
    pub fn set_identity(&self, identity: Identity) -> Result<(), AppError> {
        self.replace_identity(identity, false)
    }

    /// [`Self::set_identity`], with the practitioner allowed to change only when
    /// `practitioner_may_change` (enrolment of a fresh install, see [`Self::enrol`]).
    pub(crate) fn replace_identity(
        &self,
        identity: Identity,
        practitioner_may_change: bool,
    ) -> Result<(), AppError> {
        identity.validate()?;
        if identity.practitioner != self.actor() && !practitioner_may_change {
            return Err(AppError::refused(
                "this store belongs to another practitioner on this device",
            ));
        }
        self.with_store(|store| {
            store.write(identity.practitioner, |tx| {
                tx.put_state(IDENTITY_STATE, &identity)?;
                Ok::<_, AppError>(())
            })
        })?;
        *self
            .identity
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = identity;
        Ok(())
    }

    /// The rule settings in force.
    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    /// The current instant by the session's clock. Read before any lock is taken; a failing
    /// platform clock is [`AppError::Storage`].
    pub fn now(&self) -> Result<chrono::DateTime<chrono::Utc>, AppError> {
        Ok(self
            .clock
            .try_now()
            .map_err(crate::store::StoreError::from)?)
    }

    /// Whether the session's clock is corrected by an offset learnt from the server. Until the
    /// first enrolment or sync it is not, and shares and referrals made then are marked as
    /// timed by an unverified device clock (docs/clinical-decisions.md).
    pub fn clock_verified(&self) -> bool {
        self.corrected.offset_known()
    }

    /// The clock offset in use (server minus device), if one has been learnt.
    pub fn clock_offset(&self) -> Option<chrono::Duration> {
        self.corrected.offset()
    }

    /// Takes the offset the sync client kept in the store after an enrolment or a sync.
    pub(crate) fn refresh_clock_offset(&self, store: &FieldStore) -> Result<(), AppError> {
        if let Some(offset) = crate::sync::client::SyncClient::clock_offset(store)
            .map_err(|err| AppError::Storage(err.into()))?
        {
            self.corrected.set_offset(offset);
        }
        Ok(())
    }

    /// The directory copy in use.
    pub fn directory(&self) -> Directory {
        self.directory
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Replaces the directory copy with `next` (which must be a newer version) and persists
    /// it. An older or equal version is refused and changes nothing.
    pub fn set_directory(&self, next: Directory) -> Result<(), AppError> {
        // The clock is read before the update lock is taken (no platform call under a lock).
        // Updates are serialised by their own lock; the directory's read-write lock is never
        // held while the store is in use (a capture reads the directory inside its
        // transaction), so the locks cannot deadlock.
        let now = self.now()?;
        let _one_update = self
            .directory_update
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut candidate = self.directory();
        if candidate.version() == 0 && candidate.teams().next().is_none() {
            candidate = next;
        } else {
            candidate.replace(next)?;
        }
        let actor = self.actor();
        self.with_store(|store| {
            store.write_at(actor, now, |tx| {
                tx.put_state(DIRECTORY_STATE, &candidate)?;
                Ok::<_, AppError>(())
            })
        })?;
        *self
            .directory
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = candidate;
        Ok(())
    }

    /// Applies a directory document pulled from the server, if it is newer than the copy in
    /// use. Returns whether it was applied.
    pub fn apply_directory_version(
        &self,
        version: &crate::sync::DirectoryVersion,
    ) -> Result<bool, AppError> {
        let directory: Directory = serde_json::from_value(version.document.clone())
            .map_err(|err| EnvelopeFault::Directory(err.into()))?;
        if directory.version() <= self.directory().version() {
            return Ok(false);
        }
        self.set_directory(directory)?;
        Ok(true)
    }

    /// The envelopes waiting in the outbox to be sent, oldest first (sealed at rest; read on
    /// behalf of the practitioner, audited).
    pub fn pending_envelopes(&self) -> Result<Vec<crate::sync::Envelope>, AppError> {
        self.with_store(|store| {
            Ok(store
                .outbox_in_state::<crate::sync::Envelope>(
                    self.actor(),
                    crate::store::OutboxState::Pending,
                )?
                .into_iter()
                .map(|entry| entry.payload)
                .collect())
        })
    }

    /// Erases the local store and its key (device revoked). Every later call answers
    /// [`AppError::Revoked`]. The store is taken out of the session first (a brief lock), then
    /// erased with no session lock held, so a keystore that calls back into the session from
    /// `delete` gets [`AppError::Revoked`] rather than a hang. Calling it again retries
    /// whatever a failing keystore left (the key's deletion); erasing what is gone is not an
    /// error.
    pub fn wipe_local(&self) -> Result<(), AppError> {
        let taken = self
            .store
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        match taken {
            Some(store) => store.wipe(self.secrets.as_ref())?,
            None => FieldStore::wipe_files(&self.db_path, self.secrets.as_ref())?,
        }
        Ok(())
    }

    /// Runs `work` with the open store, or answers [`AppError::Revoked`] after a wipe. The
    /// session's lock is held only to clone the handle, so `work` (and any platform callback
    /// it makes) runs with no session lock held.
    pub(crate) fn with_store<R>(
        &self,
        work: impl FnOnce(&FieldStore) -> Result<R, AppError>,
    ) -> Result<R, AppError> {
        let store = self
            .store
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        match store {
            Some(store) => work(&store),
            None => Err(AppError::Revoked),
        }
    }

    /// The practitioner acting.
    pub(crate) fn actor(&self) -> PractitionerId {
        self.identity
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .practitioner
    }

    pub(crate) fn rules(&self) -> &WorkingTime {
        &self.config.working_time
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_can_be_shared_across_threads_as_the_bindings_require() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Session>();
    }
}

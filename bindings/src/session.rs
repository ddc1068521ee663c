//! The `Session` object: one practitioner's encrypted store opened on this device, and the
//! per-feature handles reached from it (as matrix-sdk-ffi and bitwarden split theirs, issue 16
//! item 4). This file holds opening, identity, the directory, wiping, "needs attention now"
//! (the home screen, across features), the handle types and the tool calls (`SessionTools`,
//! outside the product surface); each handle's calls are in its feature's file (`capture.rs`
//! for `Visits`, `checklists.rs`, `shares.rs`, `referrals.rs`, `contacts.rs`, `sync.rs`). Each method calls core's
//! `Session` once; nothing is decided here. Every call runs inside the panic guard, so a Rust
//! bug reaches the shell as `SafeShareException.Internal`.

use crate::contacts::ContactsDirectory;
use crate::error::{guard, SafeShareError};
use crate::platform::{Clock, ClockAdapter, SecretStore, SecretStoreAdapter};
use safeshare_core::app::{self as core_app, Identity, InboundOutcome};
use safeshare_core::sync::Envelope;
use std::sync::Arc;

/// One practitioner's encrypted field store, opened with the phone's SecretStore and Clock.
/// Each feature's calls are on a handle reached from here (`visits()`, `checklists()`,
/// `shares()`, `referrals()`, `contacts()`, `sync()`); all handles share this one store, so a
/// wipe through any of them is seen by all (`Revoked`).
#[derive(uniffi::Object)]
pub struct Session {
    pub(crate) inner: Arc<core_app::Session>,
}

/// Declares a per-feature handle: a uniffi object over the session's one core session.
macro_rules! feature_handle {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(uniffi::Object)]
        pub struct $name {
            pub(crate) inner: Arc<core_app::Session>,
        }

        impl $name {
            fn over(session: &Session) -> Arc<Self> {
                Arc::new($name {
                    inner: session.inner.clone(),
                })
            }
        }
    };
}

feature_handle!(
    /// Households, people, visits, capture (observations, voice of the child) and the chronology.
    Visits
);
feature_handle!(
    /// Admission, handover and discharge checklists.
    Checklists
);
feature_handle!(
    /// Shares with teams, acknowledgements with read-back, information-sharing decision records.
    Shares
);
feature_handle!(
    /// Referrals to children's social care, decisions and the escalation steps.
    Referrals
);
feature_handle!(
    /// Calls: the number to ring for a team now, logging a call and its outcome.
    Contacts
);
feature_handle!(
    /// Enrolment, sync with the regional server, and the sync screen's status.
    Sync
);
feature_handle!(
    /// Tool and test calls, outside the product surface: apply an envelope as if pulled, and
    /// read the outbox as JSON. Shells do not use these (sync does both itself).
    SessionTools
);

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
            Ok(Arc::new(Session {
                inner: Arc::new(inner),
            }))
        })
    }

    /// Reopens the store at `db_path` as it was left, with the identity it keeps (every team,
    /// the enrolled device id): what a shell calls at launch when `isSetUp(dbPath)`. Throws
    /// `NotFound` (nothing is created) when no store is there, `KeyMismatch` when the
    /// SecretStore's key does not open it.
    #[uniffi::constructor]
    pub fn resume(
        db_path: String,
        secrets: Arc<dyn SecretStore>,
        clock: Arc<dyn Clock>,
        directory: Option<Arc<ContactsDirectory>>,
    ) -> Result<Arc<Self>, SafeShareError> {
        guard(|| {
            let inner = core_app::Session::resume(
                db_path,
                Arc::new(SecretStoreAdapter(secrets)),
                Arc::new(ClockAdapter(clock)),
                directory.map(|d| d.directory().clone()),
            )?;
            tracing::info!("session resumed");
            Ok(Arc::new(Session {
                inner: Arc::new(inner),
            }))
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

    /// Visits and capture.
    pub fn visits(&self) -> Arc<Visits> {
        Visits::over(self)
    }

    /// Checklists.
    pub fn checklists(&self) -> Arc<Checklists> {
        Checklists::over(self)
    }

    /// Shares and information-sharing decisions.
    pub fn shares(&self) -> Arc<Shares> {
        Shares::over(self)
    }

    /// Referrals and escalation.
    pub fn referrals(&self) -> Arc<Referrals> {
        Referrals::over(self)
    }

    /// Calls and numbers.
    pub fn contacts(&self) -> Arc<Contacts> {
        Contacts::over(self)
    }

    /// Enrolment and sync.
    pub fn sync(&self) -> Arc<Sync> {
        Sync::over(self)
    }
}

#[uniffi::export]
impl SessionTools {
    /// Tool calls on `session`'s store.
    #[uniffi::constructor]
    pub fn new(session: Arc<Session>) -> Arc<Self> {
        SessionTools::over(&session)
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

//! The `Session` object (one practitioner's encrypted store on this device), the per-feature
//! handles reached from it (issue 16 item 4) and the tool calls outside the product surface.
//!
//! Invariants and why:
//! - Every handle is reached from the session (`session.visits()`, `session.transfers()`, …),
//!   never constructed over it, and is declared once in `feature_handles!` (the object and the
//!   `Session` method that reaches it); its calls are in its feature's file. All handles hold
//!   the session's one core session, so what one records the others see, and a wipe through
//!   any of them is answered `Revoked` by all.
//! - Every call is one core call inside the panic guard ([`OverCore::run`]): a Rust bug reaches
//!   the shell as `SafeShareException.Internal`, without the panic's text. That is why core's
//!   handles are not exported directly: uniffi catches a panic itself but hands its message to
//!   the shell as an untyped internal exception (and Swift stops the app on it in a call that
//!   does not throw); core's handles also borrow the session, which a uniffi object cannot.
//! - A call of no handle (a screen or action on the session) goes in its own
//!   `#[uniffi::export] impl Session` block in a new file, calling `self.run(|s| ...)`.

use crate::contacts::ContactsDirectory;
use crate::error::{guard, Result, SafeShareError};
use crate::platform::{Clock, ClockAdapter, SecretStore, SecretStoreAdapter};
use safeshare_core::app::{self as core_app, Identity};
use safeshare_core::screens::TodayScreen;
use std::sync::Arc;

/// One practitioner's encrypted field store, opened with the phone's SecretStore and Clock.
/// Each feature's calls are on a handle reached from here; all share this one store, so a wipe
/// through any of them is seen by all (`Revoked`).
#[derive(uniffi::Object)]
pub struct Session {
    pub(crate) inner: Arc<core_app::Session>,
}

/// Declares the per-feature handles: for each, a uniffi object over the session's one core
/// session and the `Session` method that reaches it (the handle's doc is the accessor's too).
macro_rules! feature_handles {
    ($($(#[$doc:meta])* $accessor:ident -> $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(uniffi::Object)]
        pub struct $name {
            inner: Arc<core_app::Session>,
        }

        impl OverCore for $name {
            fn core(&self) -> &core_app::Session {
                &self.inner
            }
        }

        #[uniffi::export]
        impl Session {
            $(#[$doc])*
            pub fn $accessor(&self) -> Arc<$name> {
                Arc::new($name {
                    inner: self.inner.clone(),
                })
            }
        }
    )*};
}

/// An exported object over one core session. Almost every exported call is one core call
/// inside the panic guard with core's error mapped onto the public one; `run` is that shape,
/// so each method in a feature file states only which core call it makes.
pub(crate) trait OverCore {
    /// The core session this object calls.
    fn core(&self) -> &core_app::Session;

    /// Runs `call` on the core session inside [`guard`], its error mapped by core's one
    /// mapping (`From` into [`SafeShareError`]).
    fn run<T, E>(&self, call: impl FnOnce(&core_app::Session) -> Result<T, E>) -> Result<T>
    where
        SafeShareError: From<E>,
    {
        guard(|| Ok(call(self.core())?))
    }
}

impl OverCore for Session {
    fn core(&self) -> &core_app::Session {
        &self.inner
    }
}

feature_handles! {
    /// Households, people, visits, capture (observations, voice of the child) and the chronology.
    visits -> Visits;
    /// Admission, handover and discharge checklists.
    checklists -> Checklists;
    /// Shares with teams, acknowledgements with read-back, information-sharing decision records.
    shares -> Shares;
    /// Referrals to children's social care, decisions and the escalation steps.
    referrals -> Referrals;
    /// Calls: the number to ring for a team now, logging a call and its outcome.
    contacts -> Contacts;
    /// Enrolment, sync with the regional server, and the sync screen's status.
    sync -> Sync;
    /// Meeting packs, supervision, amendments and pattern alerts.
    casework -> Casework;
    /// The team around the child and the household's team, and the social care status.
    team_around_child -> TeamAroundChild;
    /// Transfers of care: sending one, and the families expected on the receiving side.
    transfers -> Transfers;
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
    ) -> Result<Arc<Self>> {
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

    /// Reopens the store at `db_path` with the identity it keeps (at launch, when
    /// `isSetUp(dbPath)`); throws `NotFound` when no store is there, `KeyMismatch` when the
    /// SecretStore's key does not open it.
    #[uniffi::constructor]
    pub fn resume(
        db_path: String,
        secrets: Arc<dyn SecretStore>,
        clock: Arc<dyn Clock>,
        directory: Option<Arc<ContactsDirectory>>,
    ) -> Result<Arc<Self>> {
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

    /// Erases the local store and its key (device revoked); later calls throw `Revoked`.
    pub fn wipe_local(&self) -> Result<()> {
        self.run(|s| s.wipe_local())
    }

    /// The Today screen: what needs attention now and today's visits.
    pub fn today_screen(&self) -> Result<TodayScreen> {
        self.run(|s| s.today_screen())
    }
}

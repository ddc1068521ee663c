//! Change notification for the shells (issue 17 item 4): the phone registers a
//! [`ChangeListener`] and redraws the screens an event names, and calls `checkDeadlines` at the
//! instant it last returned. Which change sends which event is core's (`app::changes`).
//!
//! Invariants and why:
//! - The foreign method returns `Result` (Kotlin: may throw anything): uniffi turns any
//!   exception into `PlatformError` (`From<UnexpectedUniFFICallbackError>`), which the adapter
//!   drops after logging that it happened (never its text). A panic in the adapter path is
//!   caught by core's notifier. Either way the call that made the change returns its own
//!   result and the session stays usable.
//! - Core calls the listener with no SafeShare lock held, so the listener may call back into
//!   the session (e.g. to rebuild the Today screen) on the same thread.

use crate::error::Result;
use crate::platform::PlatformError;
use crate::session::{OverCore, Session};
use safeshare_core::app::{self as core_app, ChangeEvent, DeadlineCheck};
use std::sync::Arc;

/// Told by SafeShare when something a screen shows changed (a capture stored, a sync, a
/// deadline passed); the event names the screens to rebuild. Called on the thread that made
/// the change, which may be a background sync: post to the UI thread and return.
#[uniffi::export(foreign)]
pub trait ChangeListener: Send + Sync {
    /// Something changed. An exception thrown here is logged (without its text) and ignored.
    fn changed(&self, event: ChangeEvent) -> Result<(), PlatformError>;
}

/// A foreign [`ChangeListener`] seen as core's listener.
struct ListenerAdapter(Arc<dyn ChangeListener>);

impl core_app::ChangeListener for ListenerAdapter {
    fn changed(&self, event: ChangeEvent) {
        if self.0.changed(event).is_err() {
            tracing::warn!("the shell's change listener failed; ignored");
        }
    }
}

#[uniffi::export]
impl Session {
    /// Registers the listener told about changes, replacing any earlier one; null removes it.
    pub fn set_change_listener(&self, listener: Option<Arc<dyn ChangeListener>>) {
        self.inner.set_change_listener(
            listener.map(|l| Arc::new(ListenerAdapter(l)) as Arc<dyn core_app::ChangeListener>),
        );
    }

    /// Checks whether time changed "needs attention now" since the last check (then the
    /// listener is told, `DeadlinePassed`), and says when to check next.
    pub fn check_deadlines(&self) -> Result<DeadlineCheck> {
        self.run(|s| s.check_deadlines())
    }
}

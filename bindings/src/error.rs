//! The guard that turns a Rust panic into the public error, and the platform error's place in it.
//!
//! The public error itself and the one mapping from core's errors onto it are core's
//! (`core/src/boundary/error.rs`), so a custom type read from the shell (an id, a date) fails
//! with the same typed error as a rule. A panic's payload is never forwarded (it could name a
//! value), only the fact that one happened.

pub use safeshare_core::boundary::SafeShareError;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

/// The result of every exported call: core's value or the one public error (the shape of
/// `std::io::Result`, so each signature names only what it returns).
pub type Result<T, E = SafeShareError> = std::result::Result<T, E>;

/// Runs `work`, turning a panic into [`SafeShareError::Internal`] instead of unwinding into
/// the foreign runtime. uniffi catches panics itself but reports them as an untyped
/// `InternalException`; this keeps every failure inside the one typed error.
pub(crate) fn guard<T>(
    work: impl FnOnce() -> Result<T, SafeShareError>,
) -> Result<T, SafeShareError> {
    install_quiet_panic_hook();
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|_| {
        // The payload may quote a value; log only that a panic happened.
        tracing::error!("panic caught at the FFI boundary");
        Err(SafeShareError::Internal {
            detail: "an unexpected error happened inside SafeShare".to_owned(),
        })
    })
}

/// Replaces the default panic hook, which prints the panic's message (it may quote a value,
/// or a platform exception's text) to stderr, i.e. the phone's system log. The library is the
/// only Rust in the app's process, so the hook is the boundary's to set; it keeps only the
/// source location, which names code, never data.
fn install_quiet_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            tracing::error!(at = %at, "panic in SafeShare (message withheld: it may hold personal data)");
        }));
    });
}

impl From<crate::platform::PlatformError> for SafeShareError {
    fn from(err: crate::platform::PlatformError) -> Self {
        let detail = err.to_string();
        match err {
            crate::platform::PlatformError::Unavailable { .. } => {
                SafeShareError::Storage { detail }.logged()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_the_guard_becomes_a_typed_internal_error_without_its_payload() {
        let result: Result<(), _> = guard(|| panic!("NHS 943 476 5919"));
        let err = result.unwrap_err();
        assert!(matches!(err, SafeShareError::Internal { .. }));
        assert!(!err.to_string().contains("943"));
    }
}

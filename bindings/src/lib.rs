//! safeshare-ffi: the uniffi surface the Android and iOS shells call. Translation only: every
//! decision, validation and clinically meaningful wording is core's; this crate mirrors core's
//! types as uniffi records and enums, maps core's errors onto one [`SafeShareError`], adapts
//! the phone's [`SecretStore`] and [`Clock`] to core's traits, and catches panics at the
//! boundary so a Rust bug reaches the shell as `SafeShareException.Internal`, never a crash.
//!
//! Nothing here logs personal data: only kinds, ids and the fact that something failed.

#![warn(missing_docs)]

uniffi::setup_scaffolding!("safeshare");

mod capture;
mod contacts;
mod error;
mod platform;
mod records;
mod session;
mod sharing;
mod sync;

pub use capture::{
    capture_prompts, validate_nhs_number, CaptureWarning, CaptureWarningKind, ConcernCategory,
    Evidence, ExpressionMode, InputMethod, Severity, ValidNhsNumber,
};
pub use contacts::{CallReason, CallTarget, ContactsDirectory, TeamSummary};
pub use error::SafeShareError;
pub use platform::{Clock, ClockAdapter, PlatformError, SecretStore, SecretStoreAdapter};
pub use records::*;
pub use session::Session;
pub use sharing::*;
pub use sync::{RejectedItem, SyncReport, SyncServer, SyncStatus, SyncSummary};

/// The version of the SafeShare core library the bindings were built from.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// A fresh identifier (ULID) for ids the shell makes itself, e.g. a practitioner before enrolment.
#[uniffi::export]
pub fn new_id() -> String {
    safeshare_core::model::PractitionerId::new().to_string()
}

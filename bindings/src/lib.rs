//! safeshare-ffi: the uniffi surface the Android and iOS shells call. Translation only: every
//! decision, validation and clinically meaningful wording is core's. Every record and enum the
//! shells see, and the public error, is core's own (uniffi derives behind safeshare-core's
//! `uniffi` feature, generated as the `safeshare_core` component, Kotlin package
//! `uniffi.safeshare_core`); where a list needs another shape than the stored record, core
//! builds that record too. This crate mirrors none of core's types and converts none (issue 16
//! item 1): it holds the exported objects, split by feature (one file each), the phone's
//! [`SecretStore`] and [`Clock`] as foreign traits with the adapters that hand them to core
//! (their [`PlatformError`] is the one type of its own), and the panic guard that turns a Rust
//! bug into `SafeShareException.Internal`, never a crash.
//!
//! Nothing here logs personal data: only kinds, ids and the fact that something failed.

#![warn(missing_docs)]

uniffi::setup_scaffolding!("safeshare");

// Core's instants, calendar dates and bare ULIDs are remote types (chrono's, ulid's); their
// converters live in core (`safeshare_core::boundary`) and are reused here.
use safeshare_core::boundary::{CalendarDate, Ulid, UtcInstant};
uniffi::use_remote_type!(safeshare_core::UtcInstant);
uniffi::use_remote_type!(safeshare_core::CalendarDate);
uniffi::use_remote_type!(safeshare_core::Ulid);

mod capture;
mod casework;
mod changes;
mod checklists;
mod contacts;
mod error;
mod platform;
mod referrals;
mod screens;
mod session;
mod shares;
mod sync;
mod team_around_child;
mod team_screens;
mod transfer;

pub use capture::{capture_prompts, validate_nhs_number};
pub use casework::{Casework, LoggedCall};
pub use changes::ChangeListener;
pub use contacts::ContactsDirectory;
pub use error::SafeShareError;
pub use platform::{Clock, ClockAdapter, PlatformError, SecretStore, SecretStoreAdapter};
pub use session::{Checklists, Contacts, Referrals, Session, SessionTools, Shares, Sync, Visits};
pub use sync::SyncServer;
pub use team_around_child::TeamAroundChild;
pub use transfer::Transfers;

/// The version of the SafeShare core library the bindings were built from.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Whether this device was set up (a store exists at `db_path`): at launch, `Session.resume`
/// when it was, the set-up screen when not. Opens nothing.
#[uniffi::export]
pub fn is_set_up(db_path: String) -> bool {
    safeshare_core::app::Session::is_set_up(db_path)
}

/// Who uses this device before it is enrolled (the set-up screen's name and teams), with ids
/// that enrolment replaces; throws `Validation` on a blank name or no team. See core's
/// `Identity::before_enrolment`.
#[uniffi::export]
pub fn identity_before_enrolment(
    practitioner_name: String,
    teams: Vec<safeshare_core::app::TeamMembership>,
) -> Result<safeshare_core::app::Identity, SafeShareError> {
    error::guard(|| {
        Ok(safeshare_core::app::Identity::before_enrolment(
            practitioner_name,
            teams,
        )?)
    })
}

//! safeshare-ffi: the uniffi surface the Android and iOS shells call. Every decision, wording,
//! record, enum and the public error are core's (uniffi derives behind safeshare-core's `uniffi`
//! feature, the `safeshare_core` component); where a list needs another shape, core builds it.
//! This crate mirrors and converts none of core's types (issue 16 item 1): it holds the exported
//! objects, one file per feature, the phone's [`SecretStore`] and [`Clock`] as foreign traits
//! with their adapters ([`PlatformError`] is its one type of its own), and the panic guard.
//!
//! Nothing here logs personal data: only kinds, ids and the fact that something failed.

#![warn(missing_docs)]

uniffi::setup_scaffolding!("safeshare");

// Core's instants, calendar dates and bare ULIDs are remote types (chrono's, ulid's); their
// converters live in core (`safeshare_core::boundary`) and are reused here.
use error::{guard, Result};
use safeshare_core::app::{Identity, TeamMembership};
use safeshare_core::boundary::{CalendarDate, Ulid, UtcInstant};
uniffi::use_remote_type!(safeshare_core::UtcInstant);
uniffi::use_remote_type!(safeshare_core::CalendarDate);
uniffi::use_remote_type!(safeshare_core::Ulid);

mod capture;
mod casework;
mod casework_forms;
mod changes;
mod checklists;
mod contacts;
mod error;
mod platform;
mod referrals;
mod review_screens;
mod screens;
mod session;
mod shares;
mod sync;
mod team_around_child;
mod team_forms;
#[cfg(feature = "tools")]
mod tools;
mod transfer;

pub use changes::ChangeListener;
pub use contacts::ContactsDirectory;
pub use error::SafeShareError;
pub use platform::{Clock, ClockAdapter, PlatformError, SecretStore, SecretStoreAdapter};
pub use session::{
    Casework, Checklists, Contacts, Referrals, Session, Shares, Sync, TeamAroundChild, Transfers,
    Visits,
};
pub use sync::SyncServer;
#[cfg(feature = "tools")]
pub use tools::SessionTools;
pub use transfer::empty_transfer_draft;

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
    teams: Vec<TeamMembership>,
) -> Result<Identity> {
    guard(|| Ok(Identity::before_enrolment(practitioner_name, teams)?))
}

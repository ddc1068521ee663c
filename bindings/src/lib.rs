//! safeshare-ffi: the uniffi surface the Android and iOS shells call. Translation only: every
//! decision, validation and clinically meaningful wording is core's. Core's own records, enums
//! and public error cross as they are (uniffi derives behind safeshare-core's `uniffi` feature,
//! generated as the `safeshare_core` component, Kotlin package `uniffi.safeshare_core`); this crate holds the
//! exported objects, split by feature (one file each), the few view records core does not build
//! yet, the phone's [`SecretStore`] and [`Clock`] adapters, and the panic guard that turns a
//! Rust bug into `SafeShareException.Internal`, never a crash.
//!
//! Nothing here logs personal data: only kinds, ids and the fact that something failed.

#![warn(missing_docs)]

uniffi::setup_scaffolding!("safeshare");

// Core's instants and calendar dates are remote types (chrono's); their converters live in
// core (`safeshare_core::boundary`) and are reused here.
use safeshare_core::boundary::{CalendarDate, UtcInstant};
uniffi::use_remote_type!(safeshare_core::UtcInstant);
uniffi::use_remote_type!(safeshare_core::CalendarDate);
// A member of the team around the child: a bare ULID in core, crossing as its text.
use safeshare_core::casework::team_around_child::MemberId;
uniffi::use_remote_type!(safeshare_core::MemberId);

mod capture;
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
mod transfer;

pub use capture::{
    capture_prompts, validate_nhs_number, CaptureWarning, CapturedObservation, CapturedVoiceNote,
    ChronologyLine, Observation, ValidNhsNumber,
};
pub use changes::ChangeListener;
pub use checklists::{Checklist, ChecklistContact, ChecklistItem, ItemDetail, ItemState};
pub use contacts::{
    AttentionItem, AttentionKind, CallOutcomeReport, CallStart, CallTarget, ContactsDirectory,
    TeamSummary,
};
pub use error::SafeShareError;
pub use platform::{Clock, ClockAdapter, PlatformError, SecretStore, SecretStoreAdapter};
pub use referrals::Referral;
pub use session::{Checklists, Contacts, Referrals, Session, SessionTools, Shares, Sync, Visits};
pub use shares::{DecisionRecord, Share};
pub use sync::{RejectedItem, RosterLogEntry, SyncServer, SyncStatus};
pub use team_around_child::{
    ProfessionalRole, ReceivingService, SocialCareLevel, TeamAroundChild, TeamMember, TeamView,
    TransferSummary,
};
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

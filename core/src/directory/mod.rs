//! The contacts directory and one-tap calling: "pick up the phone", made reliable.
//!
//! Owns the regional directory of out-of-area teams (organisations, teams, their numbers and
//! opening hours), search over it offline, its versioned updates and bundled import format,
//! the choice of the one number that is right at a given moment, and the log of calls made.
//! The directory is regional reference data about services, not personal data; the call log
//! is personal data and goes to the encrypted store.
//!
//! Submodules, one job each:
//! - [`phone`]: UK numbers to E.164 and RFC 3966 `tel:` URIs.
//! - [`area`]: postcode areas and districts a team covers.
//! - [`ods`]: ODS organisation code shapes.
//! - [`hours`]: weekly opening hours in London time, with bank holidays.
//! - [`model`]: organisations, teams, services, numbers.
//! - [`contacts`]: the versioned in-memory [`Directory`], its search and atomic updates.
//! - [`import`]: the bundled JSON Lines format, parsed all-or-nothing with line numbers.
//! - [`choice`]: which number to ring now, and why.
//! - [`card`]: a team's contact card (every number, hours in words, out-of-hours route).
//! - [`call_log`]: a call made from the app, its recorded outcome, the information-sharing
//!   record it becomes ([`crate::casework::decision`]) and the overdue share whose escalation it closes
//!   ([`crate::rules::acknowledgement`]).
//!
//! Bank holidays come from [`crate::rules::calendar::Calendar`]; nothing here computes them.

pub mod area;
// The call log is case work (it becomes a decision record) and the store keeps it, so it lives
// in `crate::casework`, below the store; its old path still reads.
pub use crate::casework::call_log;
pub mod card;
pub mod choice;
pub mod contacts;
pub mod hours;
pub mod import;
pub mod model;

pub use area::{Area, AreaError};
pub use call_log::{
    call_closing_escalation, CallDecisionToShare, CallLog, CallLogError, CallLogId, CallOutcome,
    CallOutcomeInput, CallOutcomeRecord, CallRecordError,
};
pub use card::{
    checklist_contact, contact_card, contacts_without_out_of_hours, CardNumber, ContactCard,
    ContactCardError, NumberKind, OutOfHoursRoute,
};
pub use choice::{choose_number, CallReason, CallTarget, NumberChoiceError};
pub use contacts::{Directory, DirectoryChange, DirectoryError, DirectoryPatch};
pub use hours::{BankHolidayHours, HoursError, OpeningHours, TimeRange};
pub use import::{export, parse, ImportError, JsonLineError, LineProblem, LineProblemKind};
pub use model::{Organisation, Service, Team, TeamNumbers};
// Value types the directory's records are made of, owned by the model (a leaf): re-exported
// so the directory reads as one vocabulary.
pub use crate::model::{
    ods, phone, OdsCode, OdsCodeError, OrganisationKind, PhoneNumber, PhoneNumberError, Region,
};

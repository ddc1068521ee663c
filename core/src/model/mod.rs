//! The domain model: plain serde types with validating constructors, no storage or FFI
//! concerns. Every record type serialises (the store seals the serialised form); versions,
//! amendments and storage are the store's job.
//!
//! Constructors return [`ModelError`], whose variants name the field at fault. Capture prompts
//! ([`CaptureWarning`]) never block a constructor: they are stored on the record.

pub mod concern;
pub mod envelope;
pub mod error;
pub mod ids;
pub mod nhs_number;
pub mod normalise;
pub mod observation;
pub mod ods;
pub mod people;
pub mod phone;
pub mod phrasing;
pub mod visit;
pub mod voice;
pub mod workforce;

pub use concern::{ConcernCategory, Severity};
pub use envelope::{EnvelopeId, EnvelopeKind};
pub use error::{ModelError, MAX_FREE_TEXT_CHARS};
pub use ids::*;
pub use nhs_number::{NhsNumber, NhsNumberError};
pub use observation::{Closure, Evidence, NewObservation, Observation};
pub use ods::{OdsCode, OdsCodeError};
pub use people::{
    london_date, ChildAge, Household, Person, PersonDetails, PersonRole, EDD_MAX_AHEAD_DAYS,
    EDD_MAX_PAST_DAYS,
};
pub use phone::{PhoneNumber, PhoneNumberError, Region};
pub use phrasing::CaptureWarning;
pub use visit::{Attendee, NewVisit, Place, PlaceKind, Visit};
pub use voice::{ExpressionMode, InputMethod, NewVoiceNote, VoiceOfChild};
pub use workforce::{OrganisationKind, Practitioner, PractitionerRole};

//! Visits and capture: people and households, starting a visit, capturing observations and
//! voice-of-the-child notes (with a share in the same step), the chronology, and the two checks
//! a capture screen runs as the user types (NHS number, capture prompts). Inputs and results
//! are core's own records (an observation as listed, a capture with its prompts in words, a
//! chronology line are built by core); the rules are core's.

use crate::error::{guard, SafeShareError};
use crate::session::{list, Visits};
use safeshare_core::app::{
    CapturedObservation, CapturedVoiceNote, ListedObservation, NewObservationInput,
    NewVoiceNoteInput,
};
use safeshare_core::boundary::UtcInstant;
use safeshare_core::model::{
    Attendee, Evidence, HouseholdId, Person, PersonDetails, PersonId, PersonRole, Place, Visit,
    VisitId,
};
use safeshare_core::rules::nhs_number::{NhsNumber, ValidNhsNumber};
use safeshare_core::rules::patterns::chronology::ChronologyLine;
use safeshare_core::rules::phrasing::{self, CapturePrompt};

#[uniffi::export]
impl Visits {
    /// Adds a household (family) with an optional address; returns its id.
    pub fn add_household(&self, address: Option<String>) -> Result<HouseholdId, SafeShareError> {
        guard(|| Ok(self.inner.add_household(address)?.id))
    }

    /// Adds a person to a household; throws `Validation` naming the field at fault.
    pub fn add_person(
        &self,
        household_id: HouseholdId,
        role: PersonRole,
        details: PersonDetails,
    ) -> Result<Person, SafeShareError> {
        guard(|| Ok(self.inner.add_person(household_id, role, details)?))
    }

    /// The people of a household.
    pub fn household_members(
        &self,
        household_id: HouseholdId,
    ) -> Result<Vec<Person>, SafeShareError> {
        guard(|| Ok(self.inner.household_members(household_id)?))
    }

    /// People recorded on this device with this NHS number.
    pub fn find_people_by_nhs_number(
        &self,
        nhs_number: String,
    ) -> Result<Vec<Person>, SafeShareError> {
        guard(|| Ok(self.inner.find_people_by_nhs_number(&nhs_number)?))
    }

    /// Starts a visit to a household (null `started_at`: now).
    pub fn start_visit(
        &self,
        household_id: HouseholdId,
        place: Place,
        present: Vec<Attendee>,
        started_at: Option<UtcInstant>,
    ) -> Result<Visit, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .start_visit(household_id, place, present, started_at)?)
        })
    }

    /// Ends a visit (null `ended_at`: now); until then it stays on Today as "In progress".
    pub fn end_visit(
        &self,
        visit_id: VisitId,
        ended_at: Option<UtcInstant>,
    ) -> Result<Visit, SafeShareError> {
        guard(|| Ok(self.inner.end_visit(visit_id, ended_at)?))
    }

    /// Captures an observation (stored encrypted, queued for sync even offline); returns its prompts.
    pub fn capture_observation(
        &self,
        input: NewObservationInput,
    ) -> Result<CapturedObservation, SafeShareError> {
        guard(|| Ok(self.inner.capture_observation(input)?.into()))
    }

    /// Captures a voice-of-the-child note (dictated or typed); returns its prompts.
    pub fn capture_voice_note(
        &self,
        input: NewVoiceNoteInput,
    ) -> Result<CapturedVoiceNote, SafeShareError> {
        guard(|| Ok(self.inner.capture_voice_note(input)?.into()))
    }

    /// Every observation about a person.
    pub fn observations_about(
        &self,
        person_id: PersonId,
    ) -> Result<Vec<ListedObservation>, SafeShareError> {
        guard(|| Ok(list(self.inner.observations_about(person_id)?)))
    }

    /// A child's chronology, in time order.
    pub fn chronology_for_child(
        &self,
        child_person_id: PersonId,
    ) -> Result<Vec<ChronologyLine>, SafeShareError> {
        guard(|| Ok(list(self.inner.chronology_for_child(child_person_id)?)))
    }
}

/// Checks an NHS number as typed (spaces and hyphens allowed); throws `Validation` on `nhs_number`.
#[uniffi::export]
pub fn validate_nhs_number(input: String) -> Result<ValidNhsNumber, SafeShareError> {
    guard(|| Ok(ValidNhsNumber::from(&NhsNumber::parse(&input)?)))
}

/// The capture prompts for a description and how it is known, in core's stable order.
#[uniffi::export]
pub fn capture_prompts(description: String, evidence: Evidence) -> Vec<CapturePrompt> {
    phrasing::capture_prompts(&description, evidence.statement_kind())
}

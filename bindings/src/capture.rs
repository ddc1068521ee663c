//! Visits and capture: households and people, visits, observations and voice-of-the-child
//! notes, the chronology, and the checks a capture screen runs as the user types (NHS number,
//! capture prompts). Every record and rule is core's.

use crate::error::{guard, Result};
use crate::session::{list, OverCore, Visits};
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
use safeshare_core::screens::{CaptureDraft, VisitScreen};

#[uniffi::export]
impl Visits {
    /// Adds a household (family) with an optional address; returns its id.
    pub fn add_household(&self, address: Option<String>) -> Result<HouseholdId> {
        self.run(|s| s.add_household(address).map(|r| r.id))
    }

    /// Adds a person to a household; throws `Validation` naming the field at fault.
    pub fn add_person(
        &self,
        household_id: HouseholdId,
        role: PersonRole,
        details: PersonDetails,
    ) -> Result<Person> {
        self.run(|s| s.add_person(household_id, role, details))
    }

    /// The people of a household.
    pub fn household_members(&self, household_id: HouseholdId) -> Result<Vec<Person>> {
        self.run(|s| s.household_members(household_id))
    }

    /// Starts a visit to a household (null `started_at`: now).
    pub fn start_visit(
        &self,
        household_id: HouseholdId,
        place: Place,
        present: Vec<Attendee>,
        started_at: Option<UtcInstant>,
    ) -> Result<Visit> {
        self.run(|s| s.start_visit(household_id, place, present, started_at))
    }

    /// Ends a visit (null `ended_at`: now); until then it stays on Today as "In progress".
    pub fn end_visit(&self, visit_id: VisitId, ended_at: Option<UtcInstant>) -> Result<Visit> {
        self.run(|s| s.end_visit(visit_id, ended_at))
    }

    /// Captures an observation (stored encrypted, queued for sync even offline); returns its prompts.
    pub fn capture_observation(&self, input: NewObservationInput) -> Result<CapturedObservation> {
        self.run(|s| s.capture_observation(input).map(Into::into))
    }

    /// Captures a voice-of-the-child note (dictated or typed); returns its prompts.
    pub fn capture_voice_note(&self, input: NewVoiceNoteInput) -> Result<CapturedVoiceNote> {
        self.run(|s| s.capture_voice_note(input).map(Into::into))
    }

    /// Every observation about a person.
    pub fn observations_about(&self, person_id: PersonId) -> Result<Vec<ListedObservation>> {
        self.run(|s| s.observations_about(person_id).map(list))
    }

    /// A child's chronology, in time order.
    pub fn chronology_for_child(&self, child_person_id: PersonId) -> Result<Vec<ChronologyLine>> {
        self.run(|s| s.chronology_for_child(child_person_id).map(list))
    }

    /// The Visit and capture screen for `visit` with `draft` as typed so far; call again as the
    /// practitioner types.
    pub fn screen(&self, visit: VisitId, draft: CaptureDraft) -> Result<VisitScreen> {
        self.run(|s| s.visit_screen(visit, &draft))
    }
}

/// Checks an NHS number as typed (spaces and hyphens allowed); throws `Validation` on `nhs_number`.
#[uniffi::export]
pub fn validate_nhs_number(input: String) -> Result<ValidNhsNumber> {
    guard(|| Ok(ValidNhsNumber::from(&NhsNumber::parse(&input)?)))
}

/// The capture prompts for a description and how it is known, in core's stable order.
#[uniffi::export]
pub fn capture_prompts(description: String, evidence: Evidence) -> Vec<CapturePrompt> {
    phrasing::capture_prompts(&description, evidence.statement_kind())
}

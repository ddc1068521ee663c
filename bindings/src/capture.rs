//! Visits and capture: households and people, visits, observations and voice-of-the-child
//! notes, and the Visit and capture screen (its prompts and the household's people; the
//! chronology is `Session.chronology_screen`). Every record and rule is core's.

use crate::error::Result;
use crate::session::{OverCore, Visits};
use safeshare_core::app::{
    CapturedObservation, CapturedVoiceNote, NewObservationInput, NewVoiceNoteInput,
};
use safeshare_core::boundary::UtcInstant;
use safeshare_core::model::{
    Attendee, HouseholdId, Person, PersonDetails, PersonRole, Place, Visit, VisitId,
};
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

    /// The Visit and capture screen for `visit` with `draft` as typed so far; call again as the
    /// practitioner types.
    pub fn screen(&self, visit: VisitId, draft: CaptureDraft) -> Result<VisitScreen> {
        self.run(|s| s.visit_screen(visit, &draft))
    }
}

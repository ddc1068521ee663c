//! Visits and capture: people and households, starting a visit, capturing observations and
//! voice-of-the-child notes (with a share in the same step), the chronology, and the two checks
//! a capture screen runs as the user types (NHS number, capture prompts). Inputs are core's own
//! records, and so is the capture prompt with its words; the views here are the ones core does
//! not build as records yet (an observation as listed, a chronology line). The rules are core's.

use crate::error::{guard, SafeShareError};
use crate::session::{list, Visits};
use crate::shares::ShareReceipt;
use safeshare_core::app::{self as core_app, NewObservationInput, NewVoiceNoteInput};
use safeshare_core::boundary::UtcInstant;
use safeshare_core::model::{
    self as core_model, Attendee, ConcernCategory, Evidence, ExpressionMode, HouseholdId,
    InputMethod, ObservationId, Person, PersonDetails, PersonId, PersonRole, Place, Severity,
    Visit, VisitId, VoiceNoteId,
};
use safeshare_core::rules::nhs_number::NhsNumber;
use safeshare_core::rules::patterns::chronology::{ChronologyEntry as CoreEntry, EntryKind};
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
    ) -> Result<Vec<Observation>, SafeShareError> {
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

/// A capture prompt as shown (core's view record).
pub type CaptureWarning = CapturePrompt;

/// A captured observation, as listed.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Observation {
    /// The observation's id.
    pub id: ObservationId,
    /// Who it is about.
    pub about_person_id: PersonId,
    /// Category.
    pub category: ConcernCategory,
    /// Severity.
    pub severity: Severity,
    /// Fact or opinion.
    pub evidence: Evidence,
    /// What was seen or heard.
    pub description: String,
    /// When it was observed.
    pub observed_at: UtcInstant,
    /// When it was recorded.
    pub recorded_at: UtcInstant,
    /// Prompts raised at capture.
    pub warnings: Vec<CaptureWarning>,
    /// Whether it is still open (handed over at handover and discharge).
    pub open: bool,
}

impl From<core_model::Observation> for Observation {
    fn from(value: core_model::Observation) -> Self {
        Observation {
            id: value.id,
            about_person_id: value.about,
            category: value.category,
            severity: value.severity,
            evidence: value.evidence,
            description: value.description,
            observed_at: value.observed_at,
            recorded_at: value.recorded_at,
            warnings: list(value.warnings),
            open: value.closed.is_none(),
        }
    }
}

/// An observation just captured, its prompts, and its share if one was asked for.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CapturedObservation {
    /// The stored observation.
    pub observation: Observation,
    /// The prompts to show (never blocking; also stored).
    pub warnings: Vec<CaptureWarning>,
    /// The share queued with it.
    pub share: Option<ShareReceipt>,
}

impl From<core_app::Captured<core_model::Observation>> for CapturedObservation {
    fn from(value: core_app::Captured<core_model::Observation>) -> Self {
        CapturedObservation {
            observation: value.record.into(),
            warnings: list(value.warnings),
            share: value.share,
        }
    }
}

/// A voice-of-the-child note just captured.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CapturedVoiceNote {
    /// The note's id.
    pub id: VoiceNoteId,
    /// The child's age then, in words (core's).
    pub child_age: String,
    /// Whether the text was dictated.
    pub input: InputMethod,
    /// How the child expressed it.
    pub mode: ExpressionMode,
    /// The prompts to show.
    pub warnings: Vec<CaptureWarning>,
    /// The share queued with it.
    pub share: Option<ShareReceipt>,
}

impl From<core_app::Captured<core_model::VoiceOfChild>> for CapturedVoiceNote {
    fn from(value: core_app::Captured<core_model::VoiceOfChild>) -> Self {
        CapturedVoiceNote {
            id: value.record.id,
            child_age: value.record.child_age.describe(),
            input: value.record.input,
            mode: value.record.mode,
            warnings: list(value.warnings),
            share: value.share,
        }
    }
}

/// One line of a child's chronology as a screen shows it (core's `rules::patterns::chronology::ChronologyEntry`, flattened:
/// its kind as a word, its record id when it has one).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ChronologyLine {
    /// When it happened.
    pub at: UtcInstant,
    /// What it records: `observation`, `voice_of_child`, `share`, `acknowledgement`,
    /// `referral`, `referral_decision`, `escalation_step`, `meeting`, `call`,
    /// `team_around_child` or `social_care_status`.
    pub kind: String,
    /// The record's id, when it has one of its own.
    pub record_id: Option<String>,
    /// An observation's severity.
    pub severity: Option<Severity>,
    /// An observation's category.
    pub category: Option<ConcernCategory>,
    /// What the practitioner reads (core's).
    pub summary: String,
}

impl From<CoreEntry> for ChronologyLine {
    fn from(value: CoreEntry) -> Self {
        let (kind, record_id, severity, category) = match value.kind {
            EntryKind::Observation {
                id,
                category,
                severity,
            } => (
                "observation",
                Some(id.to_string()),
                Some(severity),
                Some(category),
            ),
            EntryKind::VoiceOfChild { id } => ("voice_of_child", Some(id.to_string()), None, None),
            EntryKind::Share { id, .. } => ("share", Some(id.to_string()), None, None),
            EntryKind::Acknowledgement { share } => {
                ("acknowledgement", Some(share.to_string()), None, None)
            }
            EntryKind::Referral { id } => ("referral", Some(id.to_string()), None, None),
            EntryKind::ReferralDecision { referral, .. } => {
                ("referral_decision", Some(referral.to_string()), None, None)
            }
            EntryKind::EscalationStep { referral, .. } => {
                ("escalation_step", Some(referral.to_string()), None, None)
            }
            EntryKind::Meeting { .. } => ("meeting", None, None, None),
            EntryKind::Call { .. } => ("call", None, None, None),
            EntryKind::TeamAroundChild => ("team_around_child", None, None, None),
            EntryKind::SocialCareStatus => ("social_care_status", None, None, None),
        };
        ChronologyLine {
            at: value.at,
            kind: kind.to_owned(),
            record_id,
            severity,
            category,
            summary: value.summary,
        }
    }
}

/// A validated NHS number in its two written forms.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ValidNhsNumber {
    /// The ten digits, no separators.
    pub digits: String,
    /// The 3-3-4 spaced form for display.
    pub formatted: String,
}

/// Checks an NHS number as typed (spaces and hyphens allowed); throws `Validation` on `nhs_number`.
#[uniffi::export]
pub fn validate_nhs_number(input: String) -> Result<ValidNhsNumber, SafeShareError> {
    guard(|| {
        let number = NhsNumber::parse(&input)?;
        Ok(ValidNhsNumber {
            digits: number.as_digits().to_owned(),
            formatted: number.formatted(),
        })
    })
}

/// The capture prompts for a description and how it is known, in core's stable order.
#[uniffi::export]
pub fn capture_prompts(description: String, evidence: Evidence) -> Vec<CaptureWarning> {
    list(phrasing::capture_warnings(
        &description,
        evidence.statement_kind(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_number_comes_back_in_both_forms_and_a_bad_one_names_the_field() {
        let ok = validate_nhs_number("943-476-5919".into()).unwrap();
        assert_eq!(ok.digits, "9434765919");
        assert_eq!(ok.formatted, "943 476 5919");
        let err = validate_nhs_number("943 476 5918".into()).unwrap_err();
        assert!(matches!(err, SafeShareError::Validation { field, .. } if field == "nhs_number"));
    }

    #[test]
    fn stock_phrase_opinion_gets_both_prompts_with_the_phrase_named() {
        let prompts = capture_prompts("No concerns".into(), Evidence::Opinion { basis: None });
        let kinds: Vec<_> = prompts.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [
                phrasing::CaptureWarningKind::NotSpecific,
                phrasing::CaptureWarningKind::OpinionWithoutBasis
            ]
        );
        assert_eq!(prompts[0].stock_phrases, ["no concerns"]);
        assert!(prompts[0].prompt.contains("What did you actually see?"));
    }
}

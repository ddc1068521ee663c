//! The Visit and capture screen: the visit's header, who a record is about, what kind of
//! record, the concern categories, how serious, fact or opinion, the child's voice, the capture
//! prompts as the practitioner types, what was recorded on this visit, and Save, End visit and
//! Share this concern.
//!
//! Owns the wording of the visit header (where, when it started in London time, its state), of
//! every choice offered, and whether each action can be pressed with why not. The draft the
//! practitioner is typing ([`CaptureDraft`]) comes in with each call; nothing is stored until
//! "Save" calls `Visits.capture_observation` / `capture_voice_note`.
//!
//! Invariants, and why:
//! - Whether "Save" is enabled is the model's own check: the draft is run through
//!   [`Observation::capture`] or [`VoiceOfChild::capture`] at the screen's instant, and the
//!   prompts shown are the ones that check raises ([`crate::model::phrasing`]), so the screen
//!   can neither accept what capture refuses nor show a prompt capture would not store.
//! - No category and no severity is chosen for the practitioner: iOS saved every observation
//!   under one category and both shells preselected "low-level concern". A concern filed under
//!   the wrong category hides the pattern the chronology looks for, and a preselected lowest
//!   severity under-calls; so every category is offered and "Save" waits for both choices (the
//!   louder reading, docs/clinical-decisions.md, "Screens").
//! - The child's voice gets its prompts too (who was present; for play, drawing or behaviour, a
//!   description that says nothing specific), as capture stores them: neither shell showed them.
//! - A home visit's header shows the family's address only for a home visit (the place named on
//!   the visit otherwise), as Today does.

use super::time::london_time;
use crate::app::{AppError, Session};
use crate::model::phrasing::{capture_warnings, CapturePrompt};
use crate::model::{
    Attendee, ConcernCategory, Evidence, ExpressionMode, Household, HouseholdId, InputMethod,
    ModelError, NewObservation, NewVoiceNote, Observation, ObservationId, Person, PersonId,
    PersonRole, PlaceKind, Severity, Visit, VisitId, VoiceNoteId, VoiceOfChild,
};
use crate::rules::normalise::is_blank;
use crate::store::{ListFilter, StoredRecord};
use chrono::{DateTime, Utc};

/// What kind of record is being captured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CaptureKind {
    /// Something seen, heard or reported.
    Observation,
    /// The child's own words, play, drawing, behaviour or (a baby) lived experience.
    VoiceOfChild,
}

/// What the practitioner has chosen and typed so far on the capture screen. The shell keeps it
/// while the screen is open and passes it back with each change; "Save" sends the same values
/// to `capture_observation` or `capture_voice_note`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaptureDraft {
    /// Who it is about (a member of the visit's household).
    pub about: Option<PersonId>,
    /// Observation or the child's voice.
    pub kind: CaptureKind,
    /// The concern category (observations): none until the practitioner picks one.
    pub category: Option<ConcernCategory>,
    /// How serious (observations): none until the practitioner picks.
    pub severity: Option<Severity>,
    /// Fact seen, fact reported (with who said it) or opinion (with its basis).
    pub evidence: Evidence,
    /// What was seen or heard, or the child's words.
    pub text: String,
    /// How the child expressed it (the child's voice).
    pub mode: ExpressionMode,
    /// Who was present (the child's voice).
    pub present: Vec<Attendee>,
    /// Typed or dictated (the shell sets it when speech-to-text fills the text).
    pub input: InputMethod,
}

impl CaptureDraft {
    /// An empty draft: an observation, nothing chosen, typed, a fact seen.
    pub fn empty() -> Self {
        CaptureDraft {
            about: None,
            kind: CaptureKind::Observation,
            category: None,
            severity: None,
            evidence: Evidence::ObservedFact,
            text: String::new(),
            mode: ExpressionMode::Speech,
            present: Vec::new(),
            input: InputMethod::Typed,
        }
    }
}

/// What the practitioner can do on the capture screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum VisitActionKind {
    /// Save the draft: `Visits.capture_observation(NewObservationInput(about, visit, category,
    /// severity, evidence, text, null, null, null))` for an observation,
    /// `Visits.capture_voice_note(NewVoiceNoteInput(about, visit, text, mode, present, null,
    /// input, null))` for the child's voice.
    Save,
    /// End the visit now (`Visits.end_visit(visit, null)`).
    EndVisit {
        /// The visit.
        visit: VisitId,
    },
    /// Open the Share screen (`Shares.share_screen`) for what was recorded on this visit about
    /// `about`.
    ShareConcern {
        /// Who the records are about (`None` only while disabled: nobody chosen yet).
        about: Option<PersonId>,
        /// The observations recorded on this visit about them.
        observations: Vec<ObservationId>,
        /// The voice-of-the-child notes recorded on this visit about them.
        voice_notes: Vec<VoiceNoteId>,
    },
    /// Add a child to the household (`Visits.add_person(household, Child, details)`).
    AddChild {
        /// The household.
        household: HouseholdId,
    },
    /// Open the person's chronology.
    OpenChronology {
        /// Who.
        person: PersonId,
    },
    /// Open the person's checklists.
    OpenChecklists {
        /// Who.
        person: PersonId,
    },
}

/// One action on the capture screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VisitAction {
    /// What it does.
    pub kind: VisitActionKind,
    /// What the button says.
    pub label: String,
    /// Whether it can be pressed now.
    pub enabled: bool,
    /// Why not, when it cannot; or what it will do.
    pub detail: Option<String>,
}

/// A person the record can be about (or who was present).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PersonChoice {
    /// The person.
    pub person: PersonId,
    /// "Zebedee Quartermain (child, 4 weeks)".
    pub label: String,
    /// Whether the draft has them.
    pub selected: bool,
}

/// Observation or the child's voice.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct KindChoice {
    /// The kind.
    pub kind: CaptureKind,
    /// "Observation", "Voice of the child".
    pub label: String,
    /// Whether the draft has it.
    pub selected: bool,
}

/// One concern category to pick.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CategoryChoice {
    /// The category to put in the draft when picked (for "something else", with the name typed
    /// so far).
    pub category: ConcernCategory,
    /// "Domestic abuse", "Something else (name it)".
    pub label: String,
    /// Whether the draft has it.
    pub selected: bool,
}

/// One severity to pick.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SeverityChoice {
    /// The severity.
    pub severity: Severity,
    /// "Low-level concern", "Concern", "Immediate risk".
    pub label: String,
    /// What choosing it means ("Phone now, not only record it.").
    pub detail: Option<String>,
    /// Whether the draft has it.
    pub selected: bool,
}

/// Fact seen, fact reported, or opinion.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EvidenceChoice {
    /// The evidence to put in the draft when picked (keeping what was typed for its source or
    /// basis).
    pub evidence: Evidence,
    /// "I saw or heard it", "Someone told me", "My professional opinion".
    pub label: String,
    /// Whether the draft has this kind.
    pub selected: bool,
}

/// How the child expressed it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ModeChoice {
    /// The mode.
    pub mode: ExpressionMode,
    /// "Their own words", "Play", ...
    pub label: String,
    /// Whether the draft has it.
    pub selected: bool,
}

/// A text field on the capture screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaptureField {
    /// The label.
    pub label: String,
    /// The line under it.
    pub hint: String,
    /// What the draft holds.
    pub value: String,
}

/// Which detail of a new child a field of the "Add a child" form holds, so the shell puts
/// what is typed in the matching `PersonDetails` field (`name`, `date_of_birth`, `nhs_number`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ChildDetail {
    /// Full name.
    Name,
    /// Date of birth, `YYYY-MM-DD`.
    DateOfBirth,
    /// NHS number.
    NhsNumber,
}

/// One field of the "Add a child" form: core's words for what the person rules need (a child
/// is refused without a name and a date of birth; an NHS number is checked when given).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChildField {
    /// Which `PersonDetails` field it fills.
    pub detail: ChildDetail,
    /// The label.
    pub label: String,
    /// The line under it.
    pub hint: String,
    /// Whether adding the child is refused without it.
    pub required: bool,
}

/// Something recorded on this visit.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RecordedRow {
    /// Who it is about.
    pub about: PersonId,
    /// "Observation · domestic abuse · concern" or "Voice of the child (4 weeks)".
    pub title: String,
    /// What was written.
    pub text: String,
    /// "today 10:40" (when seen or said, London time).
    pub when: String,
}

/// The Visit and capture screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VisitScreen {
    /// The visit.
    pub visit: VisitId,
    /// Its household.
    pub household: HouseholdId,
    /// "Home visit", "Clinic", ...
    pub title: String,
    /// The child the draft is about (else the household's first child): "Zebedee Quartermain,
    /// 4 weeks".
    pub child: Option<String>,
    /// Where: for a home visit the place named on it or the family's address; otherwise the
    /// place named on the visit.
    pub address: Option<String>,
    /// "Started today 10:30" (London time).
    pub started: String,
    /// "In progress", "Planned", "Ended today 11:15".
    pub status: String,
    /// "Who is it about?".
    pub about_heading: String,
    /// The household's members.
    pub people: Vec<PersonChoice>,
    /// Shown instead of the people when none is recorded.
    pub people_empty: Option<String>,
    /// Observation or the child's voice.
    pub kinds: Vec<KindChoice>,
    /// The text box.
    pub text: CaptureField,
    /// When the text was dictated: check it.
    pub dictated: Option<String>,
    /// "What kind of concern?" (observations only).
    pub category_heading: Option<String>,
    /// Every category (observations only; none preselected).
    pub categories: Vec<CategoryChoice>,
    /// The name of a "something else" category, when that is picked.
    pub category_name: Option<CaptureField>,
    /// "How serious?" (observations only).
    pub severity_heading: Option<String>,
    /// The three severities (observations only; none preselected).
    pub severities: Vec<SeverityChoice>,
    /// Fact seen, reported or opinion (observations only).
    pub evidence: Vec<EvidenceChoice>,
    /// "Who told you?" or "What is it based on?", for a reported fact or an opinion.
    pub evidence_detail: Option<CaptureField>,
    /// How the child expressed it (the child's voice only).
    pub modes: Vec<ModeChoice>,
    /// Who was present (the child's voice only).
    pub present: Vec<PersonChoice>,
    /// The capture prompts for what is typed, in capture's order; they never block saving.
    pub prompts: Vec<CapturePrompt>,
    /// "Recorded on this visit".
    pub recorded_heading: String,
    /// What was recorded on this visit, earliest first.
    pub recorded: Vec<RecordedRow>,
    /// Save, Share this concern, End visit, Add a child, Chronology, Checklists.
    pub actions: Vec<VisitAction>,
    /// The "Add a child" form's fields, in order: what `Visits.add_person(household, Child,
    /// details)` needs, so the shells write no wording and ask for every detail the person
    /// rules require (a shell that asked for the name only had every child refused).
    pub add_child: Vec<ChildField>,
}

/// The "Add a child" form: name and date of birth required by the person rules for a child,
/// the NHS number optional (checked when given).
fn add_child_fields() -> Vec<ChildField> {
    vec![
        ChildField {
            detail: ChildDetail::Name,
            label: "Full name".to_owned(),
            hint: "As the family gives it.".to_owned(),
            required: true,
        },
        ChildField {
            detail: ChildDetail::DateOfBirth,
            label: "Date of birth".to_owned(),
            hint: "Year-month-day, e.g. 2024-05-10.".to_owned(),
            required: true,
        },
        ChildField {
            detail: ChildDetail::NhsNumber,
            label: "NHS number (if known)".to_owned(),
            hint: "10 digits, from the red book or the GP letter.".to_owned(),
            required: false,
        },
    ]
}

/// The categories in the order of the regional briefing, as the practitioners know them
/// (Android's order). "Something else" comes last. Named one by one so a new category is seen
/// here (the match in `category_is_listed` does not compile without it).
const CATEGORIES: [ConcernCategory; 13] = [
    ConcernCategory::OpenToChildrensSocialCare,
    ConcernCategory::ChildDisclosureBelowThreshold,
    ConcernCategory::ParentalSubstanceMisuse,
    ConcernCategory::DomesticAbuse,
    ConcernCategory::ParentalMentalHealth,
    ConcernCategory::NonComplianceWithCarePlan,
    ConcernCategory::WasNotBrought,
    ConcernCategory::ParentalAggression,
    ConcernCategory::EarlyHelpRefused,
    ConcernCategory::Medication,
    ConcernCategory::GrowthOrWeight,
    ConcernCategory::LongTermConditionNotManaged,
    ConcernCategory::NewOrEmergingHealthNeed,
];

/// Every category variant named, so adding one to the model fails here until it is placed in
/// [`CATEGORIES`] (or decided to be "something else").
fn category_is_listed(category: &ConcernCategory) -> bool {
    match category {
        ConcernCategory::OpenToChildrensSocialCare
        | ConcernCategory::ChildDisclosureBelowThreshold
        | ConcernCategory::ParentalSubstanceMisuse
        | ConcernCategory::DomesticAbuse
        | ConcernCategory::ParentalMentalHealth
        | ConcernCategory::NonComplianceWithCarePlan
        | ConcernCategory::WasNotBrought
        | ConcernCategory::ParentalAggression
        | ConcernCategory::EarlyHelpRefused
        | ConcernCategory::Medication
        | ConcernCategory::GrowthOrWeight
        | ConcernCategory::LongTermConditionNotManaged
        | ConcernCategory::NewOrEmergingHealthNeed => true,
        ConcernCategory::Other(_) => false,
    }
}

/// The kind of place as a heading. The same words as Today's visit rows (`today.rs`, which
/// this session's helpers do not edit; a test on both screens keeps them equal).
fn place_words(kind: &PlaceKind) -> String {
    match kind {
        PlaceKind::Home => "Home visit".to_owned(),
        PlaceKind::Clinic => "Clinic".to_owned(),
        PlaceKind::Hospital => "Hospital".to_owned(),
        PlaceKind::ChildrensCentre => "Family hub or children's centre".to_owned(),
        PlaceKind::School => "School or nursery".to_owned(),
        PlaceKind::Remote => "By phone or video".to_owned(),
        PlaceKind::Other(name) => name.clone(),
    }
}

/// "domestic abuse" as a choice's label: "Domestic abuse".
pub(crate) fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A person as a choice reads: "Zebedee Quartermain (child, 4 weeks)".
pub(crate) fn person_label(person: &Person, now: DateTime<Utc>) -> String {
    let name = match (&person.name, &person.known_as) {
        (Some(name), Some(known)) => format!("{name} (known as {known})"),
        (Some(name), None) => name.clone(),
        (None, Some(known)) => known.clone(),
        (None, None) => "No name recorded".to_owned(),
    };
    let role = match &person.role {
        PersonRole::SignificantAdult { relationship } => relationship.clone(),
        role => role.name().to_owned(),
    };
    match person.age_at(now) {
        Some(age) if person.role.is_child() => format!("{name} ({role}, {})", age.describe()),
        _ => format!("{name} ({role})"),
    }
}

fn severity_choices(selected: Option<Severity>) -> Vec<SeverityChoice> {
    [
        Severity::LowLevelConcern,
        Severity::Concern,
        Severity::ImmediateRisk,
    ]
    .into_iter()
    .map(|severity| SeverityChoice {
        severity,
        label: sentence(severity.label()),
        detail: match severity {
            Severity::ImmediateRisk => Some("Phone now, not only record it.".to_owned()),
            Severity::Concern => Some("To share with the colleagues involved.".to_owned()),
            Severity::LowLevelConcern => {
                Some("Below threshold on its own; it matters over time.".to_owned())
            }
        },
        selected: selected == Some(severity),
    })
    .collect()
}

fn mode_label(mode: ExpressionMode) -> &'static str {
    match mode {
        ExpressionMode::Speech => "Their own words",
        ExpressionMode::Play => "Play",
        ExpressionMode::Drawing => "A drawing",
        ExpressionMode::Behaviour => "Behaviour",
        ExpressionMode::ObservedLivedExperience => "A baby's day as you saw it",
    }
}

/// Why the model refuses the draft, in the practitioner's words where the field is known.
fn refusal_words(err: &ModelError) -> String {
    match err {
        ModelError::Required { field } if *field == "description" || *field == "words" => {
            "Write what you saw or heard.".to_owned()
        }
        ModelError::OtherCategoryUnnamed => "Name the concern.".to_owned(),
        ModelError::NotAChild { .. } => {
            "The child's voice is recorded about a child: choose the child.".to_owned()
        }
        other => sentence(&other.to_string()),
    }
}

impl Session {
    /// The Visit and capture screen for `visit` with `draft` (what the practitioner has chosen
    /// and typed so far), at the session clock's instant. Call again as the practitioner types:
    /// the prompts and whether "Save" can be pressed follow the draft.
    ///
    /// Errors: [`AppError::NotFound`] for a visit not on this phone.
    pub fn visit_screen(
        &self,
        visit: VisitId,
        draft: &CaptureDraft,
    ) -> Result<VisitScreen, AppError> {
        let now = self.now()?;
        let actor = self.actor();
        let (visit, household, members, observations, voices) = self.with_store(|store| {
            store.write(actor, |tx| {
                let visit = tx.get::<Visit>(Visit::KIND, visit)?.body;
                let household = tx.get::<Household>(Household::KIND, visit.household)?.body;
                let members: Vec<Person> = tx
                    .list::<Person>(
                        Person::KIND,
                        &ListFilter {
                            household: Some(household.id),
                            ..ListFilter::default()
                        },
                    )?
                    .into_iter()
                    .map(|r| r.body)
                    .collect();
                let mut observations = Vec::new();
                let mut voices = Vec::new();
                for member in &members {
                    let about = ListFilter {
                        subject_person: Some(member.id),
                        ..ListFilter::default()
                    };
                    observations.extend(
                        tx.list::<Observation>(Observation::KIND, &about)?
                            .into_iter()
                            .map(|r| r.body)
                            .filter(|o| o.visit == Some(visit.id)),
                    );
                    voices.extend(
                        tx.list::<VoiceOfChild>(VoiceOfChild::KIND, &about)?
                            .into_iter()
                            .map(|r| r.body)
                            .filter(|v| v.visit == Some(visit.id)),
                    );
                }
                Ok::<_, AppError>((visit, household, members, observations, voices))
            })
        })?;
        let about = draft
            .about
            .and_then(|id| members.iter().find(|p| p.id == id));
        let observing = draft.kind == CaptureKind::Observation;

        // The header.
        let place = place_words(&visit.place.kind);
        let address = match visit.place.kind {
            PlaceKind::Home => visit.place.detail.clone().or(household.address.clone()),
            _ => visit.place.detail.clone(),
        };
        let child = about
            .filter(|p| p.role.is_child())
            .or_else(|| members.iter().find(|p| p.role.is_child()))
            .map(|p| {
                let name = p
                    .known_as
                    .clone()
                    .or(p.name.clone())
                    .unwrap_or_else(|| "Baby not yet named".to_owned());
                match p.age_at(now) {
                    Some(age) => format!("{name}, {}", age.describe()),
                    None => format!("{name}, {}", p.role.name()),
                }
            });
        let status = match visit.ended_at {
            Some(ended) => format!("Ended {}", london_time(ended, now)),
            None if visit.started_at > now => "Planned".to_owned(),
            None => "In progress".to_owned(),
        };

        // The model's own check of the draft, at this instant: its refusal disables "Save".
        // An observation's prompts show as soon as there is text (they do not depend on the
        // choices still to make); the child's voice's are the ones its capture raises.
        let observation_prompts = || -> Vec<CapturePrompt> {
            if is_blank(&draft.text) {
                Vec::new()
            } else {
                capture_warnings(&draft.text, draft.evidence.statement_kind())
                    .into_iter()
                    .map(CapturePrompt::from)
                    .collect()
            }
        };
        let (checked, prompts): (Result<(), String>, Vec<CapturePrompt>) = match (about, observing)
        {
            (None, true) => (
                Err("Choose who it is about.".to_owned()),
                observation_prompts(),
            ),
            (None, false) => (Err("Choose who it is about.".to_owned()), Vec::new()),
            (Some(person), true) => {
                let checked = match (&draft.category, draft.severity) {
                    (None, _) => Err("Choose what kind of concern this is.".to_owned()),
                    (Some(_), None) => Err("Choose how serious it is.".to_owned()),
                    (Some(category), Some(severity)) => Observation::capture(
                        NewObservation {
                            about: person.id,
                            visit: Some(visit.id),
                            recorded_by: actor,
                            category: category.clone(),
                            severity,
                            evidence: draft.evidence.clone(),
                            description: draft.text.clone(),
                            observed_at: now,
                            place: None,
                        },
                        now,
                    )
                    .map(|_| ())
                    .map_err(|err| refusal_words(&err)),
                };
                (checked, observation_prompts())
            }
            (Some(person), false) => match VoiceOfChild::capture(
                NewVoiceNote {
                    child: person.id,
                    visit: Some(visit.id),
                    recorded_by: actor,
                    words: draft.text.clone(),
                    mode: draft.mode,
                    present: draft.present.clone(),
                    expressed_at: now,
                    input: draft.input,
                },
                person,
                now,
            ) {
                Ok(note) => (
                    Ok(()),
                    note.warnings.into_iter().map(CapturePrompt::from).collect(),
                ),
                Err(err) => (Err(refusal_words(&err)), Vec::new()),
            },
        };

        let people: Vec<PersonChoice> = members
            .iter()
            .map(|p| PersonChoice {
                person: p.id,
                label: person_label(p, now),
                selected: draft.about == Some(p.id),
            })
            .collect();
        let present: Vec<PersonChoice> = if observing {
            Vec::new()
        } else {
            members
                .iter()
                .filter(|p| !matches!(p.role, PersonRole::UnbornBaby { .. }))
                .filter(|p| Some(p.id) != draft.about)
                .map(|p| PersonChoice {
                    person: p.id,
                    label: person_label(p, now),
                    selected: draft
                        .present
                        .iter()
                        .any(|a| matches!(a, Attendee::Person { person } if *person == p.id)),
                })
                .collect()
        };

        let mut categories: Vec<CategoryChoice> = Vec::new();
        let mut category_name = None;
        if observing {
            categories = CATEGORIES
                .iter()
                .filter(|c| category_is_listed(c))
                .map(|c| CategoryChoice {
                    category: c.clone(),
                    label: sentence(c.label()),
                    selected: draft.category.as_ref() == Some(c),
                })
                .collect();
            let typed = match &draft.category {
                Some(ConcernCategory::Other(name)) => Some(name.clone()),
                _ => None,
            };
            categories.push(CategoryChoice {
                category: ConcernCategory::Other(typed.clone().unwrap_or_default()),
                label: "Something else (name it)".to_owned(),
                selected: typed.is_some(),
            });
            category_name = typed.map(|value| CaptureField {
                label: "Name the concern".to_owned(),
                hint: "Say specifically what it is, e.g. \"hoarding\".".to_owned(),
                value,
            });
        }
        let (source, basis) = match &draft.evidence {
            Evidence::ObservedFact => (None, None),
            Evidence::ReportedFact { source } => (Some(source.clone().unwrap_or_default()), None),
            Evidence::Opinion { basis } => (None, Some(basis.clone().unwrap_or_default())),
        };
        let evidence = if observing {
            vec![
                EvidenceChoice {
                    evidence: Evidence::ObservedFact,
                    label: "I saw or heard it".to_owned(),
                    selected: matches!(draft.evidence, Evidence::ObservedFact),
                },
                EvidenceChoice {
                    evidence: Evidence::ReportedFact {
                        source: source.clone().filter(|s| !s.is_empty()),
                    },
                    label: "Someone told me".to_owned(),
                    selected: source.is_some(),
                },
                EvidenceChoice {
                    evidence: Evidence::Opinion {
                        basis: basis.clone().filter(|b| !b.is_empty()),
                    },
                    label: "My professional opinion".to_owned(),
                    selected: basis.is_some(),
                },
            ]
        } else {
            Vec::new()
        };
        let evidence_detail = if !observing {
            None
        } else if let Some(value) = source {
            Some(CaptureField {
                label: "Who told you?".to_owned(),
                hint: "Name them and how, e.g. \"maternal grandmother, by phone\".".to_owned(),
                value,
            })
        } else {
            basis.map(|value| CaptureField {
                label: "What is it based on?".to_owned(),
                hint: "What you saw, heard or know that led you to it.".to_owned(),
                value,
            })
        };
        let modes = if observing {
            Vec::new()
        } else {
            [
                ExpressionMode::Speech,
                ExpressionMode::Play,
                ExpressionMode::Drawing,
                ExpressionMode::Behaviour,
                ExpressionMode::ObservedLivedExperience,
            ]
            .into_iter()
            .map(|mode| ModeChoice {
                mode,
                label: mode_label(mode).to_owned(),
                selected: draft.mode == mode,
            })
            .collect()
        };
        let text = match (observing, draft.mode) {
            (true, _) => CaptureField {
                label: "What did you see or hear?".to_owned(),
                hint: "What happened, who said what, as specifically as you can.".to_owned(),
                value: draft.text.clone(),
            },
            (false, ExpressionMode::Speech) => CaptureField {
                label: "The child's own words".to_owned(),
                hint: "Exactly as said, not a summary.".to_owned(),
                value: draft.text.clone(),
            },
            (false, _) => CaptureField {
                label: "What the child showed".to_owned(),
                hint: "Describe what you saw: the play, the drawing, the behaviour, the baby's \
                       day."
                    .to_owned(),
                value: draft.text.clone(),
            },
        };

        // What was recorded on this visit, earliest first.
        let name_of = |id: PersonId| {
            members
                .iter()
                .find(|p| p.id == id)
                .and_then(|p| p.known_as.clone().or(p.name.clone()))
                .unwrap_or_else(|| "Baby not yet named".to_owned())
        };
        let mut recorded: Vec<(DateTime<Utc>, RecordedRow)> = observations
            .iter()
            .map(|o| {
                (
                    o.recorded_at,
                    RecordedRow {
                        about: o.about,
                        title: format!(
                            "{} · {} · {}",
                            name_of(o.about),
                            sentence(o.category.label()),
                            o.severity.label()
                        ),
                        text: o.description.clone(),
                        when: london_time(o.observed_at, now),
                    },
                )
            })
            .chain(voices.iter().map(|v| {
                (
                    v.recorded_at,
                    RecordedRow {
                        about: v.child,
                        title: format!(
                            "{} · voice of the child ({})",
                            name_of(v.child),
                            v.child_age.describe()
                        ),
                        text: v.words.clone(),
                        when: london_time(v.expressed_at, now),
                    },
                )
            }))
            .collect();
        recorded.sort_by_key(|(at, _)| *at);
        let recorded: Vec<RecordedRow> = recorded.into_iter().map(|(_, row)| row).collect();

        // The actions.
        let save = VisitAction {
            kind: VisitActionKind::Save,
            label: if observing {
                "Save observation"
            } else {
                "Save the child's voice"
            }
            .to_owned(),
            enabled: checked.is_ok(),
            detail: match &checked {
                Ok(()) => Some(
                    "Saved on this phone, encrypted, and sent when there is signal.".to_owned(),
                ),
                Err(why) => Some(why.clone()),
            },
        };
        let share = match about {
            None => VisitAction {
                kind: VisitActionKind::ShareConcern {
                    about: None,
                    observations: Vec::new(),
                    voice_notes: Vec::new(),
                },
                label: "Share this concern".to_owned(),
                enabled: false,
                detail: Some("Choose who it is about.".to_owned()),
            },
            Some(person) => {
                let observations: Vec<ObservationId> = observations
                    .iter()
                    .filter(|o| o.about == person.id)
                    .map(|o| o.id)
                    .collect();
                let voice_notes: Vec<VoiceNoteId> = voices
                    .iter()
                    .filter(|v| v.child == person.id)
                    .map(|v| v.id)
                    .collect();
                let any = !observations.is_empty() || !voice_notes.is_empty();
                VisitAction {
                    kind: VisitActionKind::ShareConcern {
                        about: Some(person.id),
                        observations,
                        voice_notes,
                    },
                    label: "Share this concern".to_owned(),
                    enabled: any,
                    detail: (!any)
                        .then(|| "Save what you saw first, then share it with a team.".to_owned()),
                }
            }
        };
        let end = VisitAction {
            kind: VisitActionKind::EndVisit { visit: visit.id },
            label: "End visit".to_owned(),
            enabled: visit.ended_at.is_none() && visit.started_at <= now,
            detail: match visit.ended_at {
                Some(ended) => Some(format!("This visit ended {}.", london_time(ended, now))),
                None if visit.started_at > now => Some(format!(
                    "This visit is planned for {}.",
                    london_time(visit.started_at, now)
                )),
                None => None,
            },
        };
        let mut actions = vec![
            save,
            share,
            end,
            VisitAction {
                kind: VisitActionKind::AddChild {
                    household: household.id,
                },
                label: "Add a child".to_owned(),
                enabled: true,
                detail: None,
            },
        ];
        if let Some(person) = about {
            actions.push(VisitAction {
                kind: VisitActionKind::OpenChronology { person: person.id },
                label: "Chronology".to_owned(),
                enabled: true,
                detail: None,
            });
            actions.push(VisitAction {
                kind: VisitActionKind::OpenChecklists { person: person.id },
                label: "Checklists".to_owned(),
                enabled: true,
                detail: None,
            });
        }

        Ok(VisitScreen {
            visit: visit.id,
            household: household.id,
            title: place,
            child,
            address,
            started: if visit.started_at > now {
                format!("Starts {}", london_time(visit.started_at, now))
            } else {
                format!("Started {}", london_time(visit.started_at, now))
            },
            status,
            about_heading: "Who is it about?".to_owned(),
            people_empty: people
                .is_empty()
                .then(|| "No one is recorded in this family yet: add a child.".to_owned()),
            people,
            kinds: [
                (CaptureKind::Observation, "Observation"),
                (CaptureKind::VoiceOfChild, "Voice of the child"),
            ]
            .into_iter()
            .map(|(kind, label)| KindChoice {
                kind,
                label: label.to_owned(),
                selected: draft.kind == kind,
            })
            .collect(),
            text,
            dictated: (draft.input == InputMethod::Dictated).then(|| {
                "Dictated: read it through and correct any word the phone misheard.".to_owned()
            }),
            category_heading: observing.then(|| "What kind of concern?".to_owned()),
            categories,
            category_name,
            severity_heading: observing.then(|| "How serious?".to_owned()),
            severities: if observing {
                severity_choices(draft.severity)
            } else {
                Vec::new()
            },
            evidence,
            evidence_detail,
            modes,
            present,
            prompts,
            recorded_heading: "Recorded on this visit".to_owned(),
            recorded,
            actions,
            add_child: add_child_fields(),
        })
    }
}

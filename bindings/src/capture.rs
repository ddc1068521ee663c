//! Capture vocabulary mirrored for the shells (severity, category, fact or opinion, voice of
//! the child, capture prompts) and the two checks a capture screen runs as the user types:
//! NHS number validation and the capture prompts. The rules themselves are core's.

use crate::error::SafeShareError;
use safeshare_core::model as core_model;
use safeshare_core::rules::nhs_number::NhsNumber;
use safeshare_core::rules::phrasing::{self, StatementKind};

/// How serious an observation is, least to most serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Severity {
    /// Below threshold on its own; matters in aggregate over time.
    LowLevelConcern,
    /// A concern to share with colleagues involved.
    Concern,
    /// Immediate risk of harm: phone now, not only send.
    ImmediateRisk,
}

impl From<core_model::Severity> for Severity {
    fn from(value: core_model::Severity) -> Self {
        match value {
            core_model::Severity::LowLevelConcern => Severity::LowLevelConcern,
            core_model::Severity::Concern => Severity::Concern,
            core_model::Severity::ImmediateRisk => Severity::ImmediateRisk,
        }
    }
}

impl From<Severity> for core_model::Severity {
    fn from(value: Severity) -> Self {
        match value {
            Severity::LowLevelConcern => core_model::Severity::LowLevelConcern,
            Severity::Concern => core_model::Severity::Concern,
            Severity::ImmediateRisk => core_model::Severity::ImmediateRisk,
        }
    }
}

/// The category of a concern; `Other` carries its specific name.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ConcernCategory {
    /// The child is open to children's social care.
    OpenToChildrensSocialCare,
    /// A disclosure by a child below the safeguarding threshold.
    ChildDisclosureBelowThreshold,
    /// Parental substance misuse.
    ParentalSubstanceMisuse,
    /// Domestic abuse.
    DomesticAbuse,
    /// Parental mental health.
    ParentalMentalHealth,
    /// Lack of compliance with health or social care plans (incl. disguised compliance).
    NonComplianceWithCarePlan,
    /// The child was not brought to an appointment.
    WasNotBrought,
    /// A parent discloses or displays aggression.
    ParentalAggression,
    /// Parental refusal of Early Help below the safeguarding threshold.
    EarlyHelpRefused,
    /// Medication not given on time, not stored safely, or gaps in supply.
    Medication,
    /// Growth or weight concern.
    GrowthOrWeight,
    /// A long-term condition not managed.
    LongTermConditionNotManaged,
    /// A new or emerging health need.
    NewOrEmergingHealthNeed,
    /// Anything else, named specifically.
    Other {
        /// The specific name of the concern.
        name: String,
    },
}

impl From<core_model::ConcernCategory> for ConcernCategory {
    fn from(value: core_model::ConcernCategory) -> Self {
        use core_model::ConcernCategory as C;
        match value {
            C::OpenToChildrensSocialCare => Self::OpenToChildrensSocialCare,
            C::ChildDisclosureBelowThreshold => Self::ChildDisclosureBelowThreshold,
            C::ParentalSubstanceMisuse => Self::ParentalSubstanceMisuse,
            C::DomesticAbuse => Self::DomesticAbuse,
            C::ParentalMentalHealth => Self::ParentalMentalHealth,
            C::NonComplianceWithCarePlan => Self::NonComplianceWithCarePlan,
            C::WasNotBrought => Self::WasNotBrought,
            C::ParentalAggression => Self::ParentalAggression,
            C::EarlyHelpRefused => Self::EarlyHelpRefused,
            C::Medication => Self::Medication,
            C::GrowthOrWeight => Self::GrowthOrWeight,
            C::LongTermConditionNotManaged => Self::LongTermConditionNotManaged,
            C::NewOrEmergingHealthNeed => Self::NewOrEmergingHealthNeed,
            C::Other(name) => Self::Other { name },
        }
    }
}

impl From<ConcernCategory> for core_model::ConcernCategory {
    fn from(value: ConcernCategory) -> Self {
        use ConcernCategory as C;
        match value {
            C::OpenToChildrensSocialCare => Self::OpenToChildrensSocialCare,
            C::ChildDisclosureBelowThreshold => Self::ChildDisclosureBelowThreshold,
            C::ParentalSubstanceMisuse => Self::ParentalSubstanceMisuse,
            C::DomesticAbuse => Self::DomesticAbuse,
            C::ParentalMentalHealth => Self::ParentalMentalHealth,
            C::NonComplianceWithCarePlan => Self::NonComplianceWithCarePlan,
            C::WasNotBrought => Self::WasNotBrought,
            C::ParentalAggression => Self::ParentalAggression,
            C::EarlyHelpRefused => Self::EarlyHelpRefused,
            C::Medication => Self::Medication,
            C::GrowthOrWeight => Self::GrowthOrWeight,
            C::LongTermConditionNotManaged => Self::LongTermConditionNotManaged,
            C::NewOrEmergingHealthNeed => Self::NewOrEmergingHealthNeed,
            C::Other { name } => Self::Other(name),
        }
    }
}

/// How the practitioner knows what a description says.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Evidence {
    /// Seen or heard by the practitioner.
    ObservedFact,
    /// Reported by someone else; `source` is who said it.
    ReportedFact {
        /// Who reported it (prompted when missing).
        source: Option<String>,
    },
    /// The practitioner's professional opinion; `basis` is what it rests on.
    Opinion {
        /// What it is based on (prompted when missing).
        basis: Option<String>,
    },
}

impl From<core_model::Evidence> for Evidence {
    fn from(value: core_model::Evidence) -> Self {
        match value {
            core_model::Evidence::ObservedFact => Evidence::ObservedFact,
            core_model::Evidence::ReportedFact { source } => Evidence::ReportedFact { source },
            core_model::Evidence::Opinion { basis } => Evidence::Opinion { basis },
        }
    }
}

impl From<Evidence> for core_model::Evidence {
    fn from(value: Evidence) -> Self {
        match value {
            Evidence::ObservedFact => core_model::Evidence::ObservedFact,
            Evidence::ReportedFact { source } => core_model::Evidence::ReportedFact { source },
            Evidence::Opinion { basis } => core_model::Evidence::Opinion { basis },
        }
    }
}

/// How a child expressed themselves in a voice-of-the-child note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ExpressionMode {
    /// Spoken words, verbatim.
    Speech,
    /// Through play.
    Play,
    /// Through a drawing.
    Drawing,
    /// Through behaviour.
    Behaviour,
    /// A baby's observed lived experience.
    ObservedLivedExperience,
}

impl From<ExpressionMode> for core_model::ExpressionMode {
    fn from(value: ExpressionMode) -> Self {
        match value {
            ExpressionMode::Speech => Self::Speech,
            ExpressionMode::Play => Self::Play,
            ExpressionMode::Drawing => Self::Drawing,
            ExpressionMode::Behaviour => Self::Behaviour,
            ExpressionMode::ObservedLivedExperience => Self::ObservedLivedExperience,
        }
    }
}

impl From<core_model::ExpressionMode> for ExpressionMode {
    fn from(value: core_model::ExpressionMode) -> Self {
        use core_model::ExpressionMode as M;
        match value {
            M::Speech => Self::Speech,
            M::Play => Self::Play,
            M::Drawing => Self::Drawing,
            M::Behaviour => Self::Behaviour,
            M::ObservedLivedExperience => Self::ObservedLivedExperience,
        }
    }
}

/// How text reached the phone: dictated text may hold transcription errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum InputMethod {
    /// Dictated through the phone's speech-to-text.
    Dictated,
    /// Typed.
    Typed,
}

impl From<InputMethod> for core_model::InputMethod {
    fn from(value: InputMethod) -> Self {
        match value {
            InputMethod::Dictated => Self::Dictated,
            InputMethod::Typed => Self::Typed,
        }
    }
}

impl From<core_model::InputMethod> for InputMethod {
    fn from(value: core_model::InputMethod) -> Self {
        match value {
            core_model::InputMethod::Dictated => Self::Dictated,
            core_model::InputMethod::Typed => Self::Typed,
        }
    }
}

/// Which capture prompt was raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CaptureWarningKind {
    /// The text is only stock phrases and filler: what was actually seen?
    NotSpecific,
    /// An opinion with no stated basis.
    OpinionWithoutBasis,
    /// A reported fact with no source.
    ReportedFactWithoutSource,
    /// A voice-of-the-child note that does not say who was present.
    PresenceNotRecorded,
}

/// A capture prompt: never blocks capture, shown to the practitioner and stored with the record.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CaptureWarning {
    /// Which prompt.
    pub kind: CaptureWarningKind,
    /// The stock phrases found (only for `NotSpecific`), in order.
    pub stock_phrases: Vec<String>,
    /// The words to show the practitioner.
    pub prompt: String,
}

impl From<core_model::CaptureWarning> for CaptureWarning {
    fn from(value: core_model::CaptureWarning) -> Self {
        let prompt = value.prompt();
        let (kind, stock_phrases) = match value {
            core_model::CaptureWarning::NotSpecific { stock_phrases } => {
                (CaptureWarningKind::NotSpecific, stock_phrases)
            }
            core_model::CaptureWarning::OpinionWithoutBasis => {
                (CaptureWarningKind::OpinionWithoutBasis, Vec::new())
            }
            core_model::CaptureWarning::ReportedFactWithoutSource => {
                (CaptureWarningKind::ReportedFactWithoutSource, Vec::new())
            }
            core_model::CaptureWarning::PresenceNotRecorded => {
                (CaptureWarningKind::PresenceNotRecorded, Vec::new())
            }
        };
        CaptureWarning {
            kind,
            stock_phrases,
            prompt,
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
    crate::error::guard(|| {
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
    let kind = match &evidence {
        Evidence::ObservedFact => StatementKind::ObservedFact,
        Evidence::ReportedFact { source } => StatementKind::ReportedFact {
            source: source.as_deref(),
        },
        Evidence::Opinion { basis } => StatementKind::Opinion {
            basis: basis.as_deref(),
        },
    };
    phrasing::capture_warnings(&description, kind)
        .into_iter()
        .map(CaptureWarning::from)
        .collect()
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
                CaptureWarningKind::NotSpecific,
                CaptureWarningKind::OpinionWithoutBasis
            ]
        );
        assert_eq!(prompts[0].stock_phrases, ["no concerns"]);
        assert!(prompts[0].prompt.contains("What did you actually see?"));
    }

    #[test]
    fn categories_round_trip_including_a_named_other() {
        let other = ConcernCategory::Other {
            name: "hoarding".into(),
        };
        let core: core_model::ConcernCategory = other.clone().into();
        assert_eq!(ConcernCategory::from(core), other);
    }
}

//! What a concern is about and how serious it is: the shared vocabulary of capture, rules,
//! sharing and sync. Categories come from the regional 7-minute briefing (point 3) and the
//! health guidance on sharing with children's social care (docs/domain.md, "Concern categories").

use serde::{Deserialize, Serialize};

/// How serious an observation is. Ordered: a later variant is more serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Below threshold on its own; matters in aggregate over time.
    LowLevelConcern,
    /// A concern to share with colleagues involved.
    Concern,
    /// Immediate risk of harm: phone now, not only send.
    ImmediateRisk,
}

/// The category of a concern. `Other` must carry a specific name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "category", content = "name")]
pub enum ConcernCategory {
    /// The child is open to children's social care.
    OpenToChildrensSocialCare,
    /// A disclosure by a child (e.g. of parental conflict) below the safeguarding threshold.
    ChildDisclosureBelowThreshold,
    /// Parental substance misuse.
    ParentalSubstanceMisuse,
    /// Domestic abuse.
    DomesticAbuse,
    /// Parental mental health.
    ParentalMentalHealth,
    /// Lack of parental compliance with health or social care plans (incl. disguised compliance).
    NonComplianceWithCarePlan,
    /// The child was not brought to an appointment (health included).
    WasNotBrought,
    /// A parent discloses or displays aggression.
    ParentalAggression,
    /// Parental refusal of Early Help below the safeguarding threshold.
    EarlyHelpRefused,
    /// Medication not given on time, not stored safely, or gaps in supply.
    Medication,
    /// Growth or weight concern (centile evidence).
    GrowthOrWeight,
    /// A long-term condition not managed (epilepsy, asthma, diabetes, learning disability,
    /// neurodiversity).
    LongTermConditionNotManaged,
    /// A new or emerging health need.
    NewOrEmergingHealthNeed,
    /// Anything else, named specifically.
    Other(String),
}

impl Severity {
    /// Plain-words label for lists and checklist items.
    pub fn label(&self) -> &'static str {
        match self {
            Severity::LowLevelConcern => "low-level concern",
            Severity::Concern => "concern",
            Severity::ImmediateRisk => "immediate risk",
        }
    }
}

impl ConcernCategory {
    /// Plain-words label for lists and checklist items (an "other" category gives its name).
    pub fn label(&self) -> &str {
        match self {
            ConcernCategory::OpenToChildrensSocialCare => "open to children's social care",
            ConcernCategory::ChildDisclosureBelowThreshold => "disclosure by a child",
            ConcernCategory::ParentalSubstanceMisuse => "parental substance misuse",
            ConcernCategory::DomesticAbuse => "domestic abuse",
            ConcernCategory::ParentalMentalHealth => "parental mental health",
            ConcernCategory::NonComplianceWithCarePlan => "lack of compliance with care plan",
            ConcernCategory::WasNotBrought => "was not brought",
            ConcernCategory::ParentalAggression => "parental aggression",
            ConcernCategory::EarlyHelpRefused => "Early Help refused",
            ConcernCategory::Medication => "medication",
            ConcernCategory::GrowthOrWeight => "growth or weight",
            ConcernCategory::LongTermConditionNotManaged => "long-term condition not managed",
            ConcernCategory::NewOrEmergingHealthNeed => "new or emerging health need",
            ConcernCategory::Other(name) => name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_orders_from_low_level_to_immediate_risk() {
        assert!(Severity::LowLevelConcern < Severity::Concern);
        assert!(Severity::Concern < Severity::ImmediateRisk);
    }

    #[test]
    fn other_category_keeps_its_name_on_the_wire() {
        let json = serde_json::to_string(&ConcernCategory::Other("hoarding".into())).unwrap();
        assert_eq!(json, r#"{"category":"other","name":"hoarding"}"#);
        let plain = serde_json::to_string(&ConcernCategory::WasNotBrought).unwrap();
        assert_eq!(plain, r#"{"category":"was_not_brought"}"#);
    }
}

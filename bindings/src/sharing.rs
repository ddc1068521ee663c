//! Information-sharing decision records and call outcomes, mirrored for the shells: the
//! purpose, lawful basis, the six principles, what was shared (fact or opinion), whether the
//! individual was told, and how the recipient's understanding was checked. Core validates
//! every rule (e.g. a share needs every principle affirmed or a reason); this file only
//! converts.

use crate::error::SafeShareError;
use crate::records::{instant, parse_id, parse_ids, utc};
use safeshare_core::directory as core_directory;
use safeshare_core::sharing as core;
use std::time::SystemTime;

/// The lawful basis for sharing (UK GDPR Article 6).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum LawfulBasis {
    /// 6(1)(e) public task: the usual basis for NHS and local-authority safeguarding.
    PublicTask,
    /// 6(1)(c) legal obligation (e.g. a section 47 enquiry).
    LegalObligation,
    /// 6(1)(d) vital interests.
    VitalInterests,
    /// 6(1)(a) consent (rarely right in safeguarding).
    Consent,
    /// Another basis, stated.
    Other {
        /// The basis.
        text: String,
    },
}

impl From<LawfulBasis> for core::LawfulBasis {
    fn from(value: LawfulBasis) -> Self {
        match value {
            LawfulBasis::PublicTask => Self::PublicTask,
            LawfulBasis::LegalObligation => Self::LegalObligation,
            LawfulBasis::VitalInterests => Self::VitalInterests,
            LawfulBasis::Consent => Self::Consent,
            LawfulBasis::Other { text } => Self::Other(text),
        }
    }
}

/// The condition for sharing special-category (e.g. health) data.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SpecialCategoryCondition {
    /// DPA 2018 Schedule 1 paragraph 18: safeguarding children and individuals at risk.
    SafeguardingChildrenAndIndividualsAtRisk,
    /// Article 9(2)(h): health or social care.
    HealthOrSocialCare,
    /// Article 9(2)(c): vital interests where consent cannot be given.
    VitalInterests,
    /// Another condition, stated.
    Other {
        /// The condition.
        text: String,
    },
}

impl From<SpecialCategoryCondition> for core::SpecialCategoryCondition {
    fn from(value: SpecialCategoryCondition) -> Self {
        use SpecialCategoryCondition as C;
        match value {
            C::SafeguardingChildrenAndIndividualsAtRisk => {
                Self::SafeguardingChildrenAndIndividualsAtRisk
            }
            C::HealthOrSocialCare => Self::HealthOrSocialCare,
            C::VitalInterests => Self::VitalInterests,
            C::Other { text } => Self::Other(text),
        }
    }
}

/// How the information went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Channel {
    /// Telephone.
    Phone,
    /// Secure message.
    SecureMessage,
    /// At a meeting.
    Meeting,
}

impl From<Channel> for core::Channel {
    fn from(value: Channel) -> Self {
        match value {
            Channel::Phone => Self::Phone,
            Channel::SecureMessage => Self::SecureMessage,
            Channel::Meeting => Self::Meeting,
        }
    }
}

/// Who the information went to.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Recipient {
    /// A team from the directory, and the person in it if known.
    Team {
        /// The team's id.
        team_id: String,
        /// The team's name.
        team_name: String,
        /// The person in the team.
        person: Option<String>,
    },
    /// A named person not in the directory.
    Named {
        /// Name.
        name: String,
        /// Role and organisation.
        role: String,
    },
}

impl TryFrom<Recipient> for core::Recipient {
    type Error = SafeShareError;
    fn try_from(value: Recipient) -> Result<Self, SafeShareError> {
        Ok(match value {
            Recipient::Team {
                team_id,
                team_name,
                person,
            } => Self::Team {
                team: parse_id(&team_id)?,
                team_name,
                person,
            },
            Recipient::Named { name, role } => Self::Named { name, role },
        })
    }
}

/// The answer to one of the six principles.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Affirmation {
    /// The share meets it.
    Affirmed,
    /// Not affirmed; a share needs the reason.
    NotAffirmed {
        /// Why.
        reason: Option<String>,
    },
}

impl From<Affirmation> for core::Affirmation {
    fn from(value: Affirmation) -> Self {
        match value {
            Affirmation::Affirmed => Self::Affirmed,
            Affirmation::NotAffirmed { reason } => Self::NotAffirmed { reason },
        }
    }
}

/// The six principles of information sharing, each answered.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Principles {
    /// Necessary and proportionate.
    pub necessary_and_proportionate: Affirmation,
    /// Relevant.
    pub relevant: Affirmation,
    /// Adequate.
    pub adequate: Affirmation,
    /// Accurate.
    pub accurate: Affirmation,
    /// Timely.
    pub timely: Affirmation,
    /// Secure.
    pub secure: Affirmation,
}

impl From<Principles> for core::Principles {
    fn from(value: Principles) -> Self {
        core::Principles {
            necessary_and_proportionate: value.necessary_and_proportionate.into(),
            relevant: value.relevant.into(),
            adequate: value.adequate.into(),
            accurate: value.accurate.into(),
            timely: value.timely.into(),
            secure: value.secure.into(),
        }
    }
}

/// Whether a shared item is fact or opinion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Nature {
    /// A fact.
    Fact,
    /// A professional opinion.
    Opinion,
}

/// One thing that was shared.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SharedItem {
    /// Fact or opinion.
    pub nature: Nature,
    /// What was shared.
    pub text: String,
    /// The observation it came from.
    pub observation_id: Option<String>,
}

impl TryFrom<SharedItem> for core::SharedItem {
    type Error = SafeShareError;
    fn try_from(value: SharedItem) -> Result<Self, SafeShareError> {
        Ok(core::SharedItem {
            nature: match value.nature {
                Nature::Fact => core::Nature::Fact,
                Nature::Opinion => core::Nature::Opinion,
            },
            text: value.text,
            observation: value.observation_id.as_deref().map(parse_id).transpose()?,
        })
    }
}

fn shared_items(items: Vec<SharedItem>) -> Result<Vec<core::SharedItem>, SafeShareError> {
    items.into_iter().map(TryInto::try_into).collect()
}

/// Whether the person the information is about was told.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum IndividualInformed {
    /// They were told, how and when.
    Told {
        /// How and when.
        how: String,
    },
    /// Not told: telling them would create or increase a risk of harm.
    NotToldRiskOfHarm {
        /// The risk.
        explanation: String,
    },
    /// Not told for another reason.
    NotToldOther {
        /// Why.
        reason: String,
    },
}

impl From<IndividualInformed> for core::IndividualInformed {
    fn from(value: IndividualInformed) -> Self {
        match value {
            IndividualInformed::Told { how } => Self::Told { how },
            IndividualInformed::NotToldRiskOfHarm { explanation } => {
                Self::NotToldRiskOfHarm { explanation }
            }
            IndividualInformed::NotToldOther { reason } => Self::NotToldOther { reason },
        }
    }
}

/// How the recipient's understanding was checked.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum UnderstandingCheck {
    /// The recipient said back what they understood.
    ReadBack {
        /// What they said back.
        recipient_summary: String,
    },
    /// A secure message: the team's acknowledgement will confirm it.
    AwaitingAcknowledgement,
    /// Not checked, with the reason.
    NotChecked {
        /// Why.
        reason: String,
    },
}

impl From<UnderstandingCheck> for core::UnderstandingCheck {
    fn from(value: UnderstandingCheck) -> Self {
        match value {
            UnderstandingCheck::ReadBack { recipient_summary } => {
                Self::ReadBack { recipient_summary }
            }
            UnderstandingCheck::AwaitingAcknowledgement => Self::AwaitingAcknowledgement,
            UnderstandingCheck::NotChecked { reason } => Self::NotChecked { reason },
        }
    }
}

/// A decision to share, as entered.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewShareDecision {
    /// Who the information is about.
    pub about_person_ids: Vec<String>,
    /// The purpose: a clear and legitimate reason.
    pub purpose: String,
    /// Lawful basis.
    pub lawful_basis: LawfulBasis,
    /// Special-category condition, when health data is shared.
    pub special_category: Option<SpecialCategoryCondition>,
    /// To whom.
    pub recipient: Recipient,
    /// How.
    pub channel: Channel,
    /// What was shared, item by item.
    pub shared: Vec<SharedItem>,
    /// How much, if worth saying.
    pub extent: Option<String>,
    /// The six principles.
    pub principles: Principles,
    /// Whether the individual was told.
    pub individual_informed: IndividualInformed,
    /// How understanding was checked.
    pub understanding: UnderstandingCheck,
}

impl TryFrom<NewShareDecision> for core::NewShare {
    type Error = SafeShareError;
    fn try_from(value: NewShareDecision) -> Result<Self, SafeShareError> {
        Ok(core::NewShare {
            about: parse_ids(&value.about_person_ids)?,
            // Who and when are the session's (its practitioner, its clock).
            decided_by: safeshare_core::model::PractitionerId::default(),
            decided_at: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
            purpose: value.purpose,
            details: core::ShareDetails {
                lawful_basis: value.lawful_basis.into(),
                special_category: value.special_category.map(Into::into),
                recipient: value.recipient.try_into()?,
                channel: value.channel.into(),
                shared: shared_items(value.shared)?,
                extent: value.extent,
                principles: value.principles.into(),
                individual_informed: value.individual_informed.into(),
                understanding: value.understanding.into(),
            },
        })
    }
}

/// Whether the requester was told of a decision not to share.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum RequesterInformed {
    /// The requester was told.
    Informed {
        /// Who asked (name and role).
        requester: String,
        /// How they were told.
        channel: Channel,
        /// When.
        at: SystemTime,
    },
    /// Nobody asked.
    NoRequest,
}

/// A decision not to share, as entered.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewNotShareDecision {
    /// Who the information is about.
    pub about_person_ids: Vec<String>,
    /// The purpose the share would have served.
    pub purpose: String,
    /// Why not.
    pub reason: String,
    /// Whether the requester was informed (required).
    pub requester_informed: Option<RequesterInformed>,
}

impl TryFrom<NewNotShareDecision> for core::NewNotShare {
    type Error = SafeShareError;
    fn try_from(value: NewNotShareDecision) -> Result<Self, SafeShareError> {
        Ok(core::NewNotShare {
            about: parse_ids(&value.about_person_ids)?,
            decided_by: safeshare_core::model::PractitionerId::default(),
            decided_at: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
            purpose: value.purpose,
            reason: value.reason,
            requester_informed: value.requester_informed.map(|r| match r {
                RequesterInformed::Informed {
                    requester,
                    channel,
                    at,
                } => core::RequesterInformed::Informed {
                    requester,
                    channel: channel.into(),
                    at: utc(at),
                },
                RequesterInformed::NoRequest => core::RequesterInformed::NoRequest,
            }),
        })
    }
}

/// A recorded information-sharing decision.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SharingDecision {
    /// The record's id.
    pub id: String,
    /// True for a decision to share, false for not to share.
    pub shared: bool,
    /// The purpose.
    pub purpose: String,
    /// When it was decided.
    pub decided_at: SystemTime,
}

impl From<core::SharingDecision> for SharingDecision {
    fn from(value: core::SharingDecision) -> Self {
        SharingDecision {
            id: value.id.to_string(),
            shared: value.is_share(),
            purpose: value.purpose,
            decided_at: instant(value.decided_at),
        }
    }
}

/// How a logged call went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CallOutcome {
    /// Spoke to someone.
    Spoke,
    /// Left a message.
    MessageLeft,
    /// No answer.
    NoAnswer,
    /// Wrong number (the directory needs correcting).
    WrongNumber,
}

/// Who answered a call.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Answerer {
    /// Name.
    pub name: String,
    /// Role.
    pub role: String,
}

/// The outcome of a call, as entered after hanging up.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CallOutcomeInput {
    /// How it went.
    pub outcome: CallOutcome,
    /// Who answered.
    pub answered_by: Option<Answerer>,
    /// What was shared.
    pub shared: Vec<SharedItem>,
    /// How their understanding was checked.
    pub understanding: UnderstandingCheck,
    /// A note (e.g. "MASH to screen today; will call back by 4pm").
    pub note: String,
}

impl TryFrom<CallOutcomeInput> for core_directory::CallOutcomeInput {
    type Error = SafeShareError;
    fn try_from(value: CallOutcomeInput) -> Result<Self, SafeShareError> {
        Ok(core_directory::CallOutcomeInput {
            outcome: match value.outcome {
                CallOutcome::Spoke => core_directory::CallOutcome::Spoke,
                CallOutcome::MessageLeft => core_directory::CallOutcome::MessageLeft,
                CallOutcome::NoAnswer => core_directory::CallOutcome::NoAnswer,
                CallOutcome::WrongNumber => core_directory::CallOutcome::WrongNumber,
            },
            answered_by: value.answered_by.map(|a| core::Answerer {
                name: a.name,
                role: a.role,
            }),
            shared: shared_items(value.shared)?,
            understanding: value.understanding.into(),
            note: value.note,
        })
    }
}

/// When a call shared information: what the sharing record needs beyond the call itself.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CallShareContext {
    /// Who the information is about.
    pub about_person_ids: Vec<String>,
    /// The purpose.
    pub purpose: String,
    /// Lawful basis.
    pub lawful_basis: LawfulBasis,
    /// Special-category condition.
    pub special_category: Option<SpecialCategoryCondition>,
    /// The six principles.
    pub principles: Principles,
    /// Whether the individual was told.
    pub individual_informed: IndividualInformed,
}

impl TryFrom<CallShareContext> for core_directory::CallShareContext {
    type Error = SafeShareError;
    fn try_from(value: CallShareContext) -> Result<Self, SafeShareError> {
        Ok(core_directory::CallShareContext {
            about: parse_ids(&value.about_person_ids)?,
            purpose: value.purpose,
            lawful_basis: value.lawful_basis.into(),
            special_category: value.special_category.map(Into::into),
            principles: value.principles.into(),
            individual_informed: value.individual_informed.into(),
        })
    }
}

/// What recording a call's outcome did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CallOutcomeReport {
    /// The call's id.
    pub call_id: String,
    /// The information-sharing record made from it, when asked for.
    pub sharing_decision: Option<SharingDecision>,
    /// The overdue share whose escalation this call closed.
    pub closed_share_id: Option<String>,
}

impl From<safeshare_core::app::CallOutcomeReport> for CallOutcomeReport {
    fn from(value: safeshare_core::app::CallOutcomeReport) -> Self {
        CallOutcomeReport {
            call_id: value.call.id.to_string(),
            sharing_decision: value.sharing_decision.map(Into::into),
            closed_share_id: value.closed_share.map(|s| s.to_string()),
        }
    }
}

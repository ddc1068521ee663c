//! Information-sharing decision records: every decision to share, or not to share, is recorded
//! with its reasons (docs/domain.md, "Information-sharing decision record"; the seven golden
//! rules and six principles of the government's information-sharing advice for safeguarding
//! practitioners).
//!
//! Invariants enforced by the constructors:
//! - A decision to share names a purpose, a lawful basis, a recipient and channel, at least
//!   one item of what was shared (each marked fact or opinion, since over- or under-emphasis is
//!   a known failure), whether the individual was told (or why not), and how the recipient's
//!   understanding was checked.
//! - All six principles are answered (the type has one field per principle, so none can be
//!   left out). A decision to share with a principle not affirmed is refused unless a reason
//!   is given for it; the reason is stored.
//! - A decision not to share gives its reason and must say whether the requester was informed
//!   (or record explicitly that nobody asked): the field is required, not defaulted.
//! - A phone call logged from the contacts screen becomes a decision-to-share record with
//!   channel `Phone`, the team called, the number dialled, who answered, what was shared and the
//!   outcome ([`DecisionRecord::from_phone_call`]; the directory's call log builds its
//!   [`PhoneCallLog`] in `CallLog::decision_record`). Understanding must be read back or a
//!   reason given for not doing so.
//! - "Awaiting acknowledgement" is only an understanding check for a secure message, where the
//!   recipient team's acknowledgement (sync) is the read-back.
//!
//! "Share" has one meaning in this crate: what is sent to a team
//! ([`crate::rules::acknowledgement::Share`], [`super::share`]). So these are decision records,
//! and their types say "decision to share" and "decision not to share" ([`DecisionToShare`],
//! [`DecisionNotToShare`], [`Decision::ToShare`], [`Decision::NotToShare`]), the field's own
//! words. Renaming them changed no stored byte: rows keep their earlier kind name,
//! `sharing_decision` (see `core/src/store/kinds.rs`), and the decision keeps its earlier tags,
//! `share` and `not_share`.

use crate::model::{DecisionRecordId, ObservationId, PersonId, PractitionerId, TeamId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Why a decision record could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    /// A required field is empty.
    #[error("{field} is required")]
    Required {
        /// The field.
        field: &'static str,
    },
    /// The record is not about anyone.
    #[error("about: say who the information is about")]
    NobodyConcerned,
    /// A decision to share lists nothing that was shared.
    #[error("shared: list what was shared")]
    NothingShared,
    /// Principles were not affirmed and no reason was given for them.
    #[error("principles not affirmed without a reason: {}", .principles.iter().map(|p| p.label()).collect::<Vec<_>>().join(", "))]
    PrinciplesUnaffirmed {
        /// Every principle left unaffirmed without a reason.
        principles: Vec<Principle>,
    },
    /// A decision not to share did not say whether the requester was informed.
    #[error("requester_informed: say whether the requester was told of the decision not to share")]
    RequesterInformedMissing,
    /// "Awaiting acknowledgement" was chosen for a channel other than secure message.
    #[error("understanding: only a secure message can wait for acknowledgement; read back or give a reason")]
    AwaitingAcknowledgementNotSecureMessage,
}

/// The lawful basis for sharing (UK GDPR Article 6) most used in safeguarding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "basis", content = "text")]
pub enum LawfulBasis {
    /// Article 6(1)(e): a task in the public interest or official authority (the usual basis
    /// for NHS and local-authority safeguarding).
    PublicTask,
    /// Article 6(1)(c): a legal obligation (e.g. a section 47 enquiry under the Children Act
    /// 1989).
    LegalObligation,
    /// Article 6(1)(d): to protect someone's vital interests (life-or-death).
    VitalInterests,
    /// Article 6(1)(a): consent (rarely the right basis in safeguarding).
    Consent,
    /// Another basis, stated.
    Other(String),
}

/// The condition for special-category (e.g. health) data (UK GDPR Article 9 and the Data
/// Protection Act 2018 Schedule 1), when such data is shared.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "condition", content = "text")]
pub enum SpecialCategoryCondition {
    /// DPA 2018 Schedule 1 paragraph 18: safeguarding of children and individuals at risk.
    SafeguardingChildrenAndIndividualsAtRisk,
    /// Article 9(2)(h): health or social care.
    HealthOrSocialCare,
    /// Article 9(2)(c): vital interests where consent cannot be given.
    VitalInterests,
    /// Another condition, stated.
    Other(String),
}

/// How the information went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Telephone.
    Phone,
    /// Secure message (the app's share, or secure email).
    SecureMessage,
    /// At a meeting.
    Meeting,
}

/// Who the information went to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "recipient")]
pub enum Recipient {
    /// A team from the directory, and the person in it, if known.
    Team {
        /// The team.
        team: TeamId,
        /// The team's name at the time, for display.
        team_name: String,
        /// The person in the team, if known.
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

/// The six principles of information sharing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Principle {
    /// Necessary and proportionate.
    NecessaryAndProportionate,
    /// Relevant.
    Relevant,
    /// Adequate.
    Adequate,
    /// Accurate.
    Accurate,
    /// Timely.
    Timely,
    /// Secure.
    Secure,
}

impl Principle {
    /// Plain-words label.
    pub fn label(&self) -> &'static str {
        match self {
            Principle::NecessaryAndProportionate => "necessary and proportionate",
            Principle::Relevant => "relevant",
            Principle::Adequate => "adequate",
            Principle::Accurate => "accurate",
            Principle::Timely => "timely",
            Principle::Secure => "secure",
        }
    }
}

/// The answer to one principle.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "answer")]
pub enum Affirmation {
    /// The practitioner affirms the sharing meets it.
    Affirmed,
    /// Not affirmed; a decision to share needs a reason (e.g. "timely: shared late, message
    /// only seen on return from leave").
    NotAffirmed {
        /// Why.
        reason: Option<String>,
    },
}

/// The answers to all six principles: one field each, so none can be left out.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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

impl Principles {
    /// All six affirmed.
    pub fn all_affirmed() -> Self {
        Self {
            necessary_and_proportionate: Affirmation::Affirmed,
            relevant: Affirmation::Affirmed,
            adequate: Affirmation::Affirmed,
            accurate: Affirmation::Affirmed,
            timely: Affirmation::Affirmed,
            secure: Affirmation::Affirmed,
        }
    }

    /// Each principle with its answer, in the conventional order.
    pub fn answers(&self) -> [(Principle, &Affirmation); 6] {
        [
            (
                Principle::NecessaryAndProportionate,
                &self.necessary_and_proportionate,
            ),
            (Principle::Relevant, &self.relevant),
            (Principle::Adequate, &self.adequate),
            (Principle::Accurate, &self.accurate),
            (Principle::Timely, &self.timely),
            (Principle::Secure, &self.secure),
        ]
    }

    /// Normalises reasons (blank becomes none) and lists principles unaffirmed without one.
    fn validated(self) -> Result<Self, DecisionError> {
        let fix = |a: Affirmation| match a {
            Affirmation::Affirmed => Affirmation::Affirmed,
            Affirmation::NotAffirmed { reason } => Affirmation::NotAffirmed {
                reason: text(reason),
            },
        };
        let p = Self {
            necessary_and_proportionate: fix(self.necessary_and_proportionate),
            relevant: fix(self.relevant),
            adequate: fix(self.adequate),
            accurate: fix(self.accurate),
            timely: fix(self.timely),
            secure: fix(self.secure),
        };
        let missing: Vec<Principle> = p
            .answers()
            .iter()
            .filter(|(_, a)| matches!(a, Affirmation::NotAffirmed { reason: None }))
            .map(|(p, _)| *p)
            .collect();
        if missing.is_empty() {
            Ok(p)
        } else {
            Err(DecisionError::PrinciplesUnaffirmed {
                principles: missing,
            })
        }
    }
}

/// Whether a shared item is fact or opinion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Nature {
    /// A fact (seen, or reported with its source).
    Fact,
    /// A professional opinion.
    Opinion,
}

/// One thing that was shared.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SharedItem {
    /// Fact or opinion.
    pub nature: Nature,
    /// What was shared.
    pub text: String,
    /// The observation it came from, if any.
    pub observation: Option<ObservationId>,
}

/// Whether the person the information is about was told it was shared.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "informed")]
pub enum IndividualInformed {
    /// They were told.
    Told {
        /// How and when, e.g. "told mother at the visit".
        how: String,
    },
    /// Not told, because telling them would create or increase a risk of harm.
    NotToldRiskOfHarm {
        /// What the risk is.
        explanation: String,
    },
    /// Not told for another reason.
    NotToldOther {
        /// Why.
        reason: String,
    },
}

/// How the recipient's understanding was checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "check")]
pub enum UnderstandingCheck {
    /// The recipient said back what they understood.
    ReadBack {
        /// What they said back.
        recipient_summary: String,
    },
    /// A secure message: the recipient team's acknowledgement will confirm it.
    AwaitingAcknowledgement,
    /// Not checked, with the reason.
    NotChecked {
        /// Why.
        reason: String,
    },
}

/// Whether the requester was told of a decision not to share.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum RequesterInformed {
    /// The requester was told.
    Informed {
        /// Who asked (name and role).
        requester: String,
        /// How they were told.
        channel: Channel,
        /// When.
        at: DateTime<Utc>,
    },
    /// Nobody asked: the practitioner considered sharing on their own initiative.
    NoRequest,
}

/// The details of a decision to share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DecisionToShare {
    /// Lawful basis.
    pub lawful_basis: LawfulBasis,
    /// Special-category condition, when health or other special data is shared.
    pub special_category: Option<SpecialCategoryCondition>,
    /// To whom.
    pub recipient: Recipient,
    /// How.
    pub channel: Channel,
    /// What was shared, item by item, each fact or opinion.
    pub shared: Vec<SharedItem>,
    /// How much (e.g. "the last three months of the chronology"), if worth saying.
    pub extent: Option<String>,
    /// The six principles.
    pub principles: Principles,
    /// Whether the individual was told.
    pub individual_informed: IndividualInformed,
    /// How understanding was checked.
    pub understanding: UnderstandingCheck,
}

/// The details of a decision not to share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DecisionNotToShare {
    /// Why not.
    pub reason: String,
    /// Whether the requester was informed.
    pub requester_informed: RequesterInformed,
}

/// The decision to share or not to share.
///
/// The stored tags are the words from before the variants were renamed (`"share"`,
/// `"not_share"`): every decision record on a phone carries one, so they must not change
/// (core/tests/records_decision_encoding.rs holds records written before the rename).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "decision")]
pub enum Decision {
    /// Information was shared (boxed: far larger than a decision not to share).
    #[serde(rename = "share")]
    ToShare(Box<DecisionToShare>),
    /// Information was not shared.
    #[serde(rename = "not_share")]
    NotToShare(DecisionNotToShare),
}

/// Who answered a logged phone call.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Answerer {
    /// Name.
    pub name: String,
    /// Role.
    pub role: String,
}

/// The call details of a decision to share made by phone from the contacts screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PhoneCall {
    /// The number dialled.
    pub number_dialled: String,
    /// Who answered.
    pub answered_by: Answerer,
    /// What came of it (e.g. "MASH to screen today; will call back by 4pm").
    pub outcome: String,
}

/// A recorded information-sharing decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DecisionRecord {
    /// Identifier.
    pub id: DecisionRecordId,
    /// Who the information is about.
    pub about: Vec<PersonId>,
    /// Who decided.
    pub decided_by: PractitionerId,
    /// When.
    pub decided_at: DateTime<Utc>,
    /// The purpose: a clear and legitimate reason.
    pub purpose: String,
    /// The decision and its details.
    pub decision: Decision,
    /// For a call logged from the contacts screen.
    pub phone_call: Option<PhoneCall>,
}

/// What is entered for a decision to share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDecisionToShare {
    /// Who the information is about.
    pub about: Vec<PersonId>,
    /// Who decided.
    pub decided_by: PractitionerId,
    /// When.
    pub decided_at: DateTime<Utc>,
    /// Purpose.
    pub purpose: String,
    /// The details.
    pub details: DecisionToShare,
}

/// What is entered for a decision not to share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDecisionNotToShare {
    /// Who the information is about.
    pub about: Vec<PersonId>,
    /// Who decided.
    pub decided_by: PractitionerId,
    /// When.
    pub decided_at: DateTime<Utc>,
    /// The purpose sharing would have served.
    pub purpose: String,
    /// Why not.
    pub reason: String,
    /// Whether the requester was informed: required.
    pub requester_informed: Option<RequesterInformed>,
}

/// A phone call made from the contacts screen, to be logged as a decision to share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneCallLog {
    /// Who the information is about.
    pub about: Vec<PersonId>,
    /// Who called.
    pub called_by: PractitionerId,
    /// When.
    pub called_at: DateTime<Utc>,
    /// The team called.
    pub team: TeamId,
    /// The team's name at the time.
    pub team_name: String,
    /// The number dialled (as chosen by the directory).
    pub number_dialled: String,
    /// Who answered.
    pub answered_by: Answerer,
    /// Purpose.
    pub purpose: String,
    /// Lawful basis.
    pub lawful_basis: LawfulBasis,
    /// Special-category condition, if any.
    pub special_category: Option<SpecialCategoryCondition>,
    /// What was shared.
    pub shared: Vec<SharedItem>,
    /// The six principles.
    pub principles: Principles,
    /// Whether the individual was told.
    pub individual_informed: IndividualInformed,
    /// How understanding was checked (read back on the call, or why not).
    pub understanding: UnderstandingCheck,
    /// What came of the call.
    pub outcome: String,
}

impl DecisionRecord {
    /// Records a decision to share. Refused if a principle is unaffirmed without a reason,
    /// nothing is listed as shared, or a required text is empty.
    pub fn decision_to_share(new: NewDecisionToShare) -> Result<Self, DecisionError> {
        if new.about.is_empty() {
            return Err(DecisionError::NobodyConcerned);
        }
        let purpose = required("purpose", new.purpose)?;
        let details = validated_decision_to_share(new.details)?;
        Ok(Self {
            id: DecisionRecordId::new(),
            about: new.about,
            decided_by: new.decided_by,
            decided_at: new.decided_at,
            purpose,
            decision: Decision::ToShare(Box::new(details)),
            phone_call: None,
        })
    }

    /// Records a decision not to share. The requester-informed answer is required.
    pub fn decision_not_to_share(new: NewDecisionNotToShare) -> Result<Self, DecisionError> {
        if new.about.is_empty() {
            return Err(DecisionError::NobodyConcerned);
        }
        let purpose = required("purpose", new.purpose)?;
        let reason = required("reason", new.reason)?;
        let requester_informed = match new
            .requester_informed
            .ok_or(DecisionError::RequesterInformedMissing)?
        {
            RequesterInformed::Informed {
                requester,
                channel,
                at,
            } => RequesterInformed::Informed {
                requester: required("requester", requester)?,
                channel,
                at,
            },
            RequesterInformed::NoRequest => RequesterInformed::NoRequest,
        };
        Ok(Self {
            id: DecisionRecordId::new(),
            about: new.about,
            decided_by: new.decided_by,
            decided_at: new.decided_at,
            purpose,
            decision: Decision::NotToShare(DecisionNotToShare {
                reason,
                requester_informed,
            }),
            phone_call: None,
        })
    }

    /// Logs a phone call from the contacts screen as a decision to share by phone with the team
    /// called, with who answered, what was shared and the outcome. Same rules as
    /// [`Self::decision_to_share`].
    pub fn from_phone_call(call: PhoneCallLog) -> Result<Self, DecisionError> {
        let answered_by = Answerer {
            name: required("answered_by", call.answered_by.name)?,
            role: required("answered_by_role", call.answered_by.role)?,
        };
        let phone_call = PhoneCall {
            number_dialled: required("number_dialled", call.number_dialled)?,
            answered_by: answered_by.clone(),
            outcome: required("outcome", call.outcome)?,
        };
        let mut record = Self::decision_to_share(NewDecisionToShare {
            about: call.about,
            decided_by: call.called_by,
            decided_at: call.called_at,
            purpose: call.purpose,
            details: DecisionToShare {
                lawful_basis: call.lawful_basis,
                special_category: call.special_category,
                recipient: Recipient::Team {
                    team: call.team,
                    team_name: call.team_name,
                    person: Some(format!("{} ({})", answered_by.name, answered_by.role)),
                },
                channel: Channel::Phone,
                shared: call.shared,
                extent: None,
                principles: call.principles,
                individual_informed: call.individual_informed,
                understanding: call.understanding,
            },
        })?;
        record.phone_call = Some(phone_call);
        Ok(record)
    }

    /// Whether this records a decision to share (rather than one not to share).
    pub fn is_decision_to_share(&self) -> bool {
        matches!(self.decision, Decision::ToShare(_))
    }
}

fn validated_decision_to_share(d: DecisionToShare) -> Result<DecisionToShare, DecisionError> {
    let lawful_basis = match d.lawful_basis {
        LawfulBasis::Other(t) => LawfulBasis::Other(required("lawful_basis", t)?),
        b => b,
    };
    let special_category = match d.special_category {
        Some(SpecialCategoryCondition::Other(t)) => Some(SpecialCategoryCondition::Other(
            required("special_category", t)?,
        )),
        c => c,
    };
    let recipient = match d.recipient {
        Recipient::Team {
            team,
            team_name,
            person,
        } => Recipient::Team {
            team,
            team_name: required("recipient", team_name)?,
            person: text(person),
        },
        Recipient::Named { name, role } => Recipient::Named {
            name: required("recipient", name)?,
            role: required("recipient_role", role)?,
        },
    };
    let mut shared = Vec::with_capacity(d.shared.len());
    for item in d.shared {
        if let Some(t) = text(Some(item.text)) {
            shared.push(SharedItem { text: t, ..item });
        }
    }
    if shared.is_empty() {
        return Err(DecisionError::NothingShared);
    }
    let principles = d.principles.validated()?;
    let individual_informed = match d.individual_informed {
        IndividualInformed::Told { how } => IndividualInformed::Told {
            how: required("individual_informed", how)?,
        },
        IndividualInformed::NotToldRiskOfHarm { explanation } => {
            IndividualInformed::NotToldRiskOfHarm {
                explanation: required("individual_informed", explanation)?,
            }
        }
        IndividualInformed::NotToldOther { reason } => IndividualInformed::NotToldOther {
            reason: required("individual_informed", reason)?,
        },
    };
    let understanding = match d.understanding {
        UnderstandingCheck::ReadBack { recipient_summary } => UnderstandingCheck::ReadBack {
            recipient_summary: required("understanding", recipient_summary)?,
        },
        UnderstandingCheck::NotChecked { reason } => UnderstandingCheck::NotChecked {
            reason: required("understanding", reason)?,
        },
        UnderstandingCheck::AwaitingAcknowledgement if d.channel != Channel::SecureMessage => {
            return Err(DecisionError::AwaitingAcknowledgementNotSecureMessage)
        }
        UnderstandingCheck::AwaitingAcknowledgement => UnderstandingCheck::AwaitingAcknowledgement,
    };
    Ok(DecisionToShare {
        lawful_basis,
        special_category,
        recipient,
        channel: d.channel,
        shared,
        extent: text(d.extent),
        principles,
        individual_informed,
        understanding,
    })
}

fn text(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn required(field: &'static str, value: String) -> Result<String, DecisionError> {
    text(Some(value)).ok_or(DecisionError::Required { field })
}

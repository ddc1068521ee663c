//! Records and enums mirroring core's Session inputs and results, with their conversions.
//! Ids travel as ULID text, instants as platform instants (`java.time.Instant`, `Date`),
//! calendar dates as `YYYY-MM-DD` text. Reading an id or date the shell sent is the only
//! checking done here; every rule is core's.

use crate::capture::{
    CaptureWarning, ConcernCategory, Evidence, ExpressionMode, InputMethod, Severity,
};
use crate::contacts::CallTarget;
use crate::error::SafeShareError;
use chrono::{DateTime, NaiveDate, Utc};
use safeshare_core::app as core_app;
use safeshare_core::checklist as core_checklist;
use safeshare_core::model as core_model;
use safeshare_core::model::IdParseError;
use safeshare_core::rules::acknowledgement as core_ack;
use safeshare_core::rules::attention::AttentionKind as CoreAttentionKind;
use safeshare_core::rules::escalation as core_escalation;
use safeshare_core::rules::normalise;
use safeshare_core::rules::patterns::chronology::{ChronologyEntry as CoreEntry, EntryKind};
use safeshare_core::rules::referral as core_referral;
use std::str::FromStr;
use std::time::SystemTime;

/// Reads an id sent by the shell.
pub(crate) fn parse_id<T: FromStr<Err = IdParseError>>(text: &str) -> Result<T, SafeShareError> {
    // Pasted ids carry Unicode spaces and invisible marks at their ends (core's normaliser).
    Ok(normalise::trim(text).parse::<T>()?)
}

/// Reads a list of ids sent by the shell.
pub(crate) fn parse_ids<T: FromStr<Err = IdParseError>>(
    texts: &[String],
) -> Result<Vec<T>, SafeShareError> {
    texts.iter().map(|t| parse_id(t)).collect()
}

/// Reads a `YYYY-MM-DD` date sent by the shell for `field`.
pub(crate) fn parse_date(field: &str, text: &str) -> Result<NaiveDate, SafeShareError> {
    // A pasted date may carry Unicode spaces, invisible marks and typographic dashes.
    let text: String = normalise::trim(text)
        .chars()
        .filter(|c| !normalise::is_invisible(*c))
        .map(|c| if normalise::is_dash(c) { '-' } else { c })
        .collect();
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map_err(|_| SafeShareError::validation(field, "a date is written YYYY-MM-DD"))
}

/// A platform instant as a UTC instant.
pub(crate) fn utc(at: SystemTime) -> DateTime<Utc> {
    at.into()
}

/// A UTC instant as a platform instant.
pub(crate) fn instant(at: DateTime<Utc>) -> SystemTime {
    at.into()
}

/// A team the practitioner belongs to.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TeamMembership {
    /// The team's id (as in the contacts directory).
    pub id: String,
    /// The team's name.
    pub name: String,
}

/// Who uses this device: practitioner, teams and device id (from enrolment).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Identity {
    /// The practitioner's id.
    pub practitioner_id: String,
    /// The practitioner's name as recipients see it.
    pub practitioner_name: String,
    /// Their teams (at least one).
    pub teams: Vec<TeamMembership>,
    /// This device's id.
    pub device_id: String,
}

impl TryFrom<Identity> for core_app::Identity {
    type Error = SafeShareError;
    fn try_from(value: Identity) -> Result<Self, SafeShareError> {
        Ok(core_app::Identity {
            practitioner: parse_id(&value.practitioner_id)?,
            practitioner_name: value.practitioner_name,
            teams: value
                .teams
                .into_iter()
                .map(|t| {
                    Ok(core_app::TeamMembership {
                        id: parse_id(&t.id)?,
                        name: t.name,
                    })
                })
                .collect::<Result<_, SafeShareError>>()?,
            device: parse_id(&value.device_id)?,
        })
    }
}

impl From<core_app::Identity> for Identity {
    fn from(value: core_app::Identity) -> Self {
        Identity {
            practitioner_id: value.practitioner.to_string(),
            practitioner_name: value.practitioner_name,
            teams: value
                .teams
                .into_iter()
                .map(|t| TeamMembership {
                    id: t.id.to_string(),
                    name: t.name,
                })
                .collect(),
            device_id: value.device.to_string(),
        }
    }
}

/// A person's part in the family.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum PersonRole {
    /// A born child.
    Child,
    /// An unborn baby, with the expected date of delivery (`YYYY-MM-DD`).
    UnbornBaby {
        /// Expected date of delivery, `YYYY-MM-DD`.
        expected_delivery: String,
    },
    /// The mother or birthing parent.
    MotherOrBirthingParent,
    /// The father or partner.
    FatherOrPartner,
    /// Another significant adult, with how they are related.
    SignificantAdult {
        /// How they are related to the family.
        relationship: String,
    },
}

impl TryFrom<PersonRole> for core_model::PersonRole {
    type Error = SafeShareError;
    fn try_from(value: PersonRole) -> Result<Self, SafeShareError> {
        Ok(match value {
            PersonRole::Child => Self::Child,
            PersonRole::UnbornBaby { expected_delivery } => Self::UnbornBaby {
                expected_delivery: parse_date("expected_delivery", &expected_delivery)?,
            },
            PersonRole::MotherOrBirthingParent => Self::MotherOrBirthingParent,
            PersonRole::FatherOrPartner => Self::FatherOrPartner,
            PersonRole::SignificantAdult { relationship } => {
                Self::SignificantAdult { relationship }
            }
        })
    }
}

impl From<core_model::PersonRole> for PersonRole {
    fn from(value: core_model::PersonRole) -> Self {
        use core_model::PersonRole as R;
        match value {
            R::Child => Self::Child,
            R::UnbornBaby { expected_delivery } => Self::UnbornBaby {
                expected_delivery: expected_delivery.to_string(),
            },
            R::MotherOrBirthingParent => Self::MotherOrBirthingParent,
            R::FatherOrPartner => Self::FatherOrPartner,
            R::SignificantAdult { relationship } => Self::SignificantAdult { relationship },
        }
    }
}

/// What is entered for a person; core validates it for the role.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct PersonDetails {
    /// Full name (required except for an unborn baby).
    pub name: Option<String>,
    /// The name they are known by.
    pub known_as: Option<String>,
    /// Date of birth, `YYYY-MM-DD` (required for a child).
    pub date_of_birth: Option<String>,
    /// NHS number as typed.
    pub nhs_number: Option<String>,
    /// Their own phone number.
    pub phone: Option<String>,
    /// Their own address.
    pub address: Option<String>,
    /// Whether they hold parental responsibility, when known.
    pub parental_responsibility: Option<bool>,
}

impl TryFrom<PersonDetails> for core_model::PersonDetails {
    type Error = SafeShareError;
    fn try_from(value: PersonDetails) -> Result<Self, SafeShareError> {
        Ok(core_model::PersonDetails {
            name: value.name,
            known_as: value.known_as,
            date_of_birth: value
                .date_of_birth
                .filter(|d| !d.trim().is_empty())
                .map(|d| parse_date("date_of_birth", &d))
                .transpose()?,
            nhs_number: value.nhs_number,
            phone: value.phone,
            address: value.address,
            parental_responsibility: value.parental_responsibility,
        })
    }
}

/// A person on the family's record.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Person {
    /// The person's id.
    pub id: String,
    /// Their household's id.
    pub household_id: String,
    /// Their part in the family.
    pub role: PersonRole,
    /// Full name.
    pub name: Option<String>,
    /// The name they are known by.
    pub known_as: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
    /// NHS number, 3-3-4 spaced.
    pub nhs_number: Option<String>,
}

impl From<core_model::Person> for Person {
    fn from(value: core_model::Person) -> Self {
        Person {
            id: value.id.to_string(),
            household_id: value.household.to_string(),
            role: value.role.into(),
            name: value.name,
            known_as: value.known_as,
            date_of_birth: value.date_of_birth.map(|d| d.to_string()),
            nhs_number: value.nhs_number.map(|n| n.formatted()),
        }
    }
}

/// The kind of place something happened.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum PlaceKind {
    /// The family's home.
    Home,
    /// A clinic or health centre.
    Clinic,
    /// A hospital.
    Hospital,
    /// A family hub or children's centre.
    ChildrensCentre,
    /// A school or nursery.
    School,
    /// By telephone or video.
    Remote,
    /// Anything else, named.
    Other {
        /// The place's name.
        name: String,
    },
}

/// Where something happened.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Place {
    /// The kind of place.
    pub kind: PlaceKind,
    /// Which one (an address, "Ward 12").
    pub detail: Option<String>,
}

impl TryFrom<Place> for core_model::Place {
    type Error = SafeShareError;
    fn try_from(value: Place) -> Result<Self, SafeShareError> {
        use core_model::PlaceKind as K;
        let kind = match value.kind {
            PlaceKind::Home => K::Home,
            PlaceKind::Clinic => K::Clinic,
            PlaceKind::Hospital => K::Hospital,
            PlaceKind::ChildrensCentre => K::ChildrensCentre,
            PlaceKind::School => K::School,
            PlaceKind::Remote => K::Remote,
            PlaceKind::Other { name } => K::Other(name),
        };
        Ok(core_model::Place::new(kind, value.detail)?)
    }
}

/// Someone who was present.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Attendee {
    /// A person on the family's record.
    Person {
        /// Their id.
        person_id: String,
    },
    /// A practitioner.
    Practitioner {
        /// Their id.
        practitioner_id: String,
    },
    /// Someone not on the record, described.
    Other {
        /// The description.
        description: String,
    },
}

impl TryFrom<Attendee> for core_model::Attendee {
    type Error = SafeShareError;
    fn try_from(value: Attendee) -> Result<Self, SafeShareError> {
        Ok(match value {
            Attendee::Person { person_id } => Self::Person {
                person: parse_id(&person_id)?,
            },
            Attendee::Practitioner { practitioner_id } => Self::Practitioner {
                practitioner: parse_id(&practitioner_id)?,
            },
            Attendee::Other { description } => core_model::Attendee::other(description)?,
        })
    }
}

/// Reads a list of attendees sent by the shell.
pub(crate) fn attendees(list: Vec<Attendee>) -> Result<Vec<core_model::Attendee>, SafeShareError> {
    list.into_iter()
        .map(core_model::Attendee::try_from)
        .collect()
}

/// A visit started on this device.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Visit {
    /// The visit's id.
    pub id: String,
    /// The household visited.
    pub household_id: String,
    /// When it started.
    pub started_at: SystemTime,
}

impl From<core_model::Visit> for Visit {
    fn from(value: core_model::Visit) -> Self {
        Visit {
            id: value.id.to_string(),
            household_id: value.household.to_string(),
            started_at: instant(value.started_at),
        }
    }
}

/// Share what is being captured with a team in the same step.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ShareRequest {
    /// The team to share with (as in the contacts directory).
    pub team_id: String,
    /// What the sender wants the team to know or do.
    pub message: String,
    /// The share's severity; null means the records' own.
    pub severity: Option<Severity>,
}

impl TryFrom<ShareRequest> for core_app::ShareRequest {
    type Error = SafeShareError;
    fn try_from(value: ShareRequest) -> Result<Self, SafeShareError> {
        Ok(core_app::ShareRequest {
            team: parse_id(&value.team_id)?,
            message: value.message,
            severity: value.severity.map(Into::into),
        })
    }
}

/// What is entered for an observation.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewObservation {
    /// Who it is about.
    pub about_person_id: String,
    /// The visit it was made on.
    pub visit_id: Option<String>,
    /// Category.
    pub category: ConcernCategory,
    /// Severity.
    pub severity: Severity,
    /// Fact or opinion, with source or basis.
    pub evidence: Evidence,
    /// What was actually seen or heard.
    pub description: String,
    /// When it was observed (null: now).
    pub observed_at: Option<SystemTime>,
    /// Where.
    pub place: Option<Place>,
    /// Share it with a team in the same step.
    pub share: Option<ShareRequest>,
}

/// What is entered for a voice-of-the-child note.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewVoiceNote {
    /// The child.
    pub child_person_id: String,
    /// The visit.
    pub visit_id: Option<String>,
    /// The child's words verbatim, or what was seen.
    pub words: String,
    /// How the child expressed it.
    pub mode: ExpressionMode,
    /// Who was present.
    pub present: Vec<Attendee>,
    /// When (null: now).
    pub expressed_at: Option<SystemTime>,
    /// Dictated (speech-to-text) or typed.
    pub input: InputMethod,
    /// Share it with a team in the same step.
    pub share: Option<ShareRequest>,
}

/// How a share must be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SendAdvice {
    /// Immediate risk: phone the team now; the share is the written record.
    PhoneNowAndSend,
    /// Send, and expect an acknowledgement by the due time.
    Send,
}

/// What the sender sees once a share is queued.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ShareReceipt {
    /// The share's id.
    pub share_id: String,
    /// The team's name.
    pub team_name: String,
    /// The share's severity.
    pub severity: Severity,
    /// When acknowledgement is due.
    pub due_at: SystemTime,
    /// Phone now, or send and wait.
    pub advice: SendAdvice,
}

impl From<core_app::ShareReceipt> for ShareReceipt {
    fn from(value: core_app::ShareReceipt) -> Self {
        ShareReceipt {
            share_id: value.share.to_string(),
            team_name: value.team_name,
            severity: value.severity.into(),
            due_at: instant(value.due_at),
            advice: match value.advice {
                core_ack::SendAdvice::PhoneNowAndSend => SendAdvice::PhoneNowAndSend,
                core_ack::SendAdvice::Send => SendAdvice::Send,
            },
        }
    }
}

/// A captured observation.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Observation {
    /// The observation's id.
    pub id: String,
    /// Who it is about.
    pub about_person_id: String,
    /// Category.
    pub category: ConcernCategory,
    /// Severity.
    pub severity: Severity,
    /// Fact or opinion.
    pub evidence: Evidence,
    /// What was seen or heard.
    pub description: String,
    /// When it was observed.
    pub observed_at: SystemTime,
    /// When it was recorded.
    pub recorded_at: SystemTime,
    /// Prompts raised at capture.
    pub warnings: Vec<CaptureWarning>,
    /// Whether it is still open (handed over at handover and discharge).
    pub open: bool,
}

impl From<core_model::Observation> for Observation {
    fn from(value: core_model::Observation) -> Self {
        Observation {
            id: value.id.to_string(),
            about_person_id: value.about.to_string(),
            category: value.category.into(),
            severity: value.severity.into(),
            evidence: value.evidence.into(),
            description: value.description,
            observed_at: instant(value.observed_at),
            recorded_at: instant(value.recorded_at),
            warnings: value.warnings.into_iter().map(Into::into).collect(),
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
            warnings: value.warnings.into_iter().map(Into::into).collect(),
            share: value.share.map(Into::into),
        }
    }
}

/// A voice-of-the-child note just captured.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CapturedVoiceNote {
    /// The note's id.
    pub id: String,
    /// The child's age then, in words.
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
            id: value.record.id.to_string(),
            child_age: value.record.child_age.describe(),
            input: value.record.input.into(),
            mode: value.record.mode.into(),
            warnings: value.warnings.into_iter().map(Into::into).collect(),
            share: value.share.map(Into::into),
        }
    }
}

/// One line of a child's chronology.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ChronologyEntry {
    /// When it happened.
    pub at: SystemTime,
    /// What it records: `observation`, `voice_of_child`, `share`, `acknowledgement`,
    /// `referral`, `referral_decision`, `escalation_step`, `meeting` or `call`.
    pub kind: String,
    /// The record's id, when it has one of its own.
    pub record_id: Option<String>,
    /// An observation's severity.
    pub severity: Option<Severity>,
    /// An observation's category.
    pub category: Option<ConcernCategory>,
    /// What the practitioner reads.
    pub summary: String,
}

impl From<CoreEntry> for ChronologyEntry {
    fn from(value: CoreEntry) -> Self {
        let (kind, record_id, severity, category) = match value.kind {
            EntryKind::Observation {
                id,
                category,
                severity,
            } => (
                "observation",
                Some(id.to_string()),
                Some(severity.into()),
                Some(category.into()),
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
        };
        ChronologyEntry {
            at: instant(value.at),
            kind: kind.to_owned(),
            record_id,
            severity,
            category,
            summary: value.summary,
        }
    }
}

/// The built-in checklists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ChecklistKind {
    /// On admission.
    Admission,
    /// Handover between community and acute services.
    Handover,
    /// Discharge planning.
    Discharge,
}

impl From<ChecklistKind> for core_checklist::ChecklistKind {
    fn from(value: ChecklistKind) -> Self {
        match value {
            ChecklistKind::Admission => Self::Admission,
            ChecklistKind::Handover => Self::Handover,
            ChecklistKind::Discharge => Self::Discharge,
        }
    }
}

/// What an item needs recorded to be marked done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ItemDetail {
    /// Nothing beyond who and when.
    None,
    /// A written note.
    Text,
    /// At least one contact.
    Contacts,
    /// At least one contact, each with an out-of-hours number.
    ContactsWithOutOfHours,
}

/// Where a checklist item stands.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ItemState {
    /// Not yet dealt with.
    Open,
    /// Done.
    Done,
    /// Not applicable, with the reason given.
    NotApplicable {
        /// Why it does not apply.
        reason: String,
    },
}

/// A contact recorded against a checklist item.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ChecklistContact {
    /// A team in the contacts directory.
    Directory {
        /// The team's id.
        team_id: String,
        /// The team's name.
        label: String,
    },
    /// A contact typed in.
    Captured {
        /// Name.
        name: String,
        /// Role and organisation.
        role: String,
        /// In-hours phone number.
        phone: String,
        /// Out-of-hours phone number.
        out_of_hours_phone: Option<String>,
    },
}

impl TryFrom<ChecklistContact> for core_checklist::ContactRef {
    type Error = SafeShareError;
    fn try_from(value: ChecklistContact) -> Result<Self, SafeShareError> {
        Ok(match value {
            ChecklistContact::Directory { team_id, label } => Self::Directory {
                team: parse_id(&team_id)?,
                label,
            },
            ChecklistContact::Captured {
                name,
                role,
                phone,
                out_of_hours_phone,
            } => Self::Captured {
                name,
                role,
                phone,
                out_of_hours_phone,
            },
        })
    }
}

/// One checklist item.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ChecklistItem {
    /// Key, used to mark it.
    pub key: String,
    /// What the practitioner reads.
    pub text: String,
    /// Whether it must be closed before completion.
    pub required: bool,
    /// What it needs to be marked done.
    pub detail: ItemDetail,
    /// Where it stands.
    pub state: ItemState,
}

/// A checklist being worked through.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Checklist {
    /// The checklist's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Who it is for.
    pub person_id: String,
    /// Its items.
    pub items: Vec<ChecklistItem>,
    /// Whether it is complete.
    pub completed: bool,
}

impl From<core_checklist::Checklist> for Checklist {
    fn from(value: core_checklist::Checklist) -> Self {
        use core_checklist::DetailKind as D;
        use core_checklist::ItemState as S;
        Checklist {
            id: value.id.to_string(),
            title: value.title,
            person_id: value.person.to_string(),
            completed: value.completed.is_some(),
            items: value
                .items
                .into_iter()
                .map(|item| ChecklistItem {
                    key: item.key,
                    text: item.text,
                    required: item.required,
                    detail: match item.detail {
                        D::None => ItemDetail::None,
                        D::Text => ItemDetail::Text,
                        D::Contacts => ItemDetail::Contacts,
                        D::ContactsWithOutOfHours => ItemDetail::ContactsWithOutOfHours,
                    },
                    state: match item.state {
                        S::Open => ItemState::Open,
                        S::Done { .. } => ItemState::Done,
                        S::NotApplicable { reason, .. } => ItemState::NotApplicable { reason },
                    },
                })
                .collect(),
        }
    }
}

/// The recipient's own words for what they understood from a share.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReadBack {
    /// Who the share is about.
    pub who: String,
    /// The risk, as understood.
    pub risk: String,
    /// The next action, as understood.
    pub next_action: String,
}

impl From<ReadBack> for core_ack::ReadBack {
    fn from(value: ReadBack) -> Self {
        core_ack::ReadBack {
            who: value.who,
            risk: value.risk,
            next_action: value.next_action,
        }
    }
}

impl From<core_ack::ReadBack> for ReadBack {
    fn from(value: core_ack::ReadBack) -> Self {
        ReadBack {
            who: value.who,
            risk: value.risk,
            next_action: value.next_action,
        }
    }
}

/// The sender's judgement of a read-back.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ReadBackVerdict {
    /// Understood as meant.
    Confirmed,
    /// Made more of than meant; what to correct.
    OverEmphasised {
        /// What to correct.
        correction: String,
    },
    /// Made less of than meant; what to correct.
    UnderEmphasised {
        /// What to correct.
        correction: String,
    },
}

impl From<ReadBackVerdict> for core_ack::ReadBackVerdict {
    fn from(value: ReadBackVerdict) -> Self {
        match value {
            ReadBackVerdict::Confirmed => Self::Confirmed,
            ReadBackVerdict::OverEmphasised { correction } => Self::OverEmphasised(correction),
            ReadBackVerdict::UnderEmphasised { correction } => Self::UnderEmphasised(correction),
        }
    }
}

/// Where a share stands now.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ShareStatus {
    /// Not yet acknowledged, in time.
    AwaitingAcknowledgement {
        /// When acknowledgement is due.
        due: SystemTime,
    },
    /// Not acknowledged in time: call the team.
    Overdue {
        /// When it was due.
        due: SystemTime,
    },
    /// Acknowledged; the sender must check the read-back.
    ReadBackToCheck {
        /// When it was acknowledged.
        acknowledged_at: SystemTime,
    },
    /// The read-back was over- or under-emphasised: phone to correct it.
    MisunderstoodReadBack {
        /// What to correct.
        correction: String,
    },
    /// Acknowledged and understood.
    Closed,
}

impl From<core_ack::ShareStatus> for ShareStatus {
    fn from(value: core_ack::ShareStatus) -> Self {
        use core_ack::ShareStatus as S;
        match value {
            S::AwaitingAcknowledgement { due } => {
                Self::AwaitingAcknowledgement { due: instant(due) }
            }
            S::Overdue { due } => Self::Overdue { due: instant(due) },
            S::ReadBackToCheck { acknowledged_at } => Self::ReadBackToCheck {
                acknowledged_at: instant(acknowledged_at),
            },
            S::MisunderstoodReadBack { correction, .. } => {
                Self::MisunderstoodReadBack { correction }
            }
            S::Closed => Self::Closed,
        }
    }
}

/// A share, sent or received, with its acknowledgement state.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Share {
    /// The share's id.
    pub id: String,
    /// True when this practitioner sent it; false when it came to their team.
    pub outgoing: bool,
    /// The team it went to.
    pub team_id: String,
    /// That team's name.
    pub team_name: String,
    /// Severity.
    pub severity: Severity,
    /// When it was sent.
    pub sent_at: SystemTime,
    /// When acknowledgement is due.
    pub due_at: SystemTime,
    /// Whether a member of the team has acknowledged it.
    pub acknowledged: bool,
    /// The recipient's read-back, once acknowledged.
    pub read_back: Option<ReadBack>,
    /// Where it stands now (for shares this practitioner sent).
    pub status: Option<ShareStatus>,
}

impl Share {
    fn from_stored(value: core_app::StoredShare, status: Option<core_ack::ShareStatus>) -> Self {
        let record = value.record;
        Share {
            id: record.share.id.to_string(),
            outgoing: value.direction == core_app::ShareDirection::Outgoing,
            team_id: record.share.team.to_string(),
            team_name: record.share.team_name,
            severity: record.share.severity.into(),
            sent_at: instant(record.share.sent_at),
            due_at: instant(value.due_at),
            acknowledged: record.acknowledgement.is_some(),
            read_back: record.acknowledgement.map(|a| a.read_back.into()),
            status: status.map(Into::into),
        }
    }
}

impl From<core_app::ShareView> for Share {
    fn from(value: core_app::ShareView) -> Self {
        Share::from_stored(value.share, Some(value.status))
    }
}

impl From<core_app::IncomingShare> for Share {
    fn from(value: core_app::IncomingShare) -> Self {
        let mut share = Share::from_stored(value.share, None);
        share.acknowledged = value.acknowledged;
        share
    }
}

/// How a referral was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ReferralChannel {
    /// By telephone (to be confirmed in writing).
    Phone,
    /// Secure email.
    SecureEmail,
    /// The local authority's online form.
    OnlinePortal,
    /// In person.
    InPerson,
}

impl From<ReferralChannel> for core_referral::ReferralChannel {
    fn from(value: ReferralChannel) -> Self {
        match value {
            ReferralChannel::Phone => Self::Phone,
            ReferralChannel::SecureEmail => Self::SecureEmail,
            ReferralChannel::OnlinePortal => Self::OnlinePortal,
            ReferralChannel::InPerson => Self::InPerson,
        }
    }
}

/// What is entered for a referral to children's social care.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewReferral {
    /// The child or unborn baby.
    pub about_person_id: String,
    /// The CSC front door (a team in the directory).
    pub front_door_team_id: String,
    /// When it was sent (null: now).
    pub sent_at: Option<SystemTime>,
    /// What was referred.
    pub summary: String,
    /// How.
    pub channel: ReferralChannel,
}

/// What CSC decided.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum DecisionOutcome {
    /// Accepted, with the response named.
    Accepted {
        /// The response CSC named.
        response: String,
    },
    /// Not accepted, with the reasons given (opens the escalation steps).
    NotAccepted {
        /// The reasons given.
        reasons: String,
    },
}

impl From<DecisionOutcome> for core_referral::DecisionOutcome {
    fn from(value: DecisionOutcome) -> Self {
        match value {
            DecisionOutcome::Accepted { response } => Self::Accepted { response },
            DecisionOutcome::NotAccepted { reasons } => Self::NotAccepted { reasons },
        }
    }
}

/// Where a referral stands now.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ReferralStatus {
    /// No decision yet, in time.
    AwaitingDecision {
        /// When the decision is due.
        due: SystemTime,
    },
    /// No decision by the due time: chase.
    DecisionOverdue {
        /// When it was due.
        due: SystemTime,
    },
    /// Accepted.
    Accepted {
        /// Whether in time.
        in_time: bool,
    },
    /// Not accepted: the escalation steps apply.
    NotAccepted {
        /// Whether in time.
        in_time: bool,
    },
}

impl From<core_referral::ReferralStatus> for ReferralStatus {
    fn from(value: core_referral::ReferralStatus) -> Self {
        use core_referral::ReferralStatus as S;
        match value {
            S::AwaitingDecision { due } => Self::AwaitingDecision { due: instant(due) },
            S::DecisionOverdue { due } => Self::DecisionOverdue { due: instant(due) },
            S::Accepted { in_time } => Self::Accepted { in_time },
            S::NotAccepted { in_time } => Self::NotAccepted { in_time },
        }
    }
}

/// A referral with its due time, state and next escalation step.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Referral {
    /// The referral's id.
    pub id: String,
    /// Who it is about.
    pub about_person_id: String,
    /// The front door's team id.
    pub front_door_team_id: String,
    /// The front door's name.
    pub front_door_name: String,
    /// When it was sent.
    pub sent_at: SystemTime,
    /// When CSC's decision is due (one working day).
    pub decision_due_at: SystemTime,
    /// Where it stands now.
    pub status: ReferralStatus,
    /// The next escalation step, if the escalation ladder is open.
    pub next_step_kind: Option<EscalationStep>,
    /// The next escalation step's prompt, if the escalation ladder is open.
    pub next_step: Option<String>,
    /// When that step is due.
    pub next_step_due_at: Option<SystemTime>,
}

impl From<core_app::ReferralView> for Referral {
    fn from(value: core_app::ReferralView) -> Self {
        let referral = value.record.referral;
        Referral {
            id: referral.id.to_string(),
            about_person_id: referral.about.to_string(),
            front_door_team_id: referral.front_door.to_string(),
            front_door_name: referral.front_door_name,
            sent_at: instant(referral.sent_at),
            decision_due_at: instant(value.due_at),
            status: value.status.into(),
            next_step_due_at: value.next_step.as_ref().map(|s| instant(s.due)),
            next_step_kind: value.next_step.as_ref().map(|s| s.step.into()),
            next_step: value.next_step.map(|s| s.prompt),
        }
    }
}

/// What kind of thing needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum AttentionKind {
    /// No decision on a referral in time: chase the front door.
    ChaseReferralDecision,
    /// A referral decision is due soon.
    ReferralDecisionDueSoon,
    /// A share was not acknowledged in time: call the team now.
    CallTeamNow,
    /// A share's acknowledgement is due soon.
    AcknowledgementDueSoon,
    /// A share to my team awaits acknowledgement.
    AcknowledgeIncomingShare,
    /// A share to my team arrived that this device cannot open: open it on one that can, or
    /// call the sender's team (`team_id`, when known); `share_id` is the envelope id.
    IncomingShareNotReadable,
    /// Check a recipient's read-back.
    CheckReadBack,
    /// A read-back was misunderstood: phone to correct it.
    CorrectReadBack,
    /// The next escalation step is due.
    EscalationStep,
    /// A pattern alert is outstanding.
    PatternAlert,
    /// A checklist item is due.
    ChecklistItem,
}

/// One thing needing attention now, most urgent first, with the number to ring if a call is asked for.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AttentionItem {
    /// What kind.
    pub kind: AttentionKind,
    /// The share concerned, if any.
    pub share_id: Option<String>,
    /// The referral concerned, if any.
    pub referral_id: Option<String>,
    /// The team concerned, if any.
    pub team_id: Option<String>,
    /// When it is or was due.
    pub due: SystemTime,
    /// Due now or overdue (otherwise due soon).
    pub overdue: bool,
    /// Immediate risk: show above everything.
    pub immediate_risk: bool,
    /// Why, in words.
    pub why: String,
    /// The number to ring now, for items asking for a call.
    pub call: Option<CallTarget>,
    /// Why no number could be chosen, if a call is asked for but none is known.
    pub call_problem: Option<String>,
}

impl From<core_app::AttentionNow> for AttentionItem {
    fn from(value: core_app::AttentionNow) -> Self {
        use CoreAttentionKind as K;
        let item = value.item;
        let (kind, share, referral, team) = match item.kind {
            K::ChaseReferralDecision {
                referral,
                front_door,
            } => (
                AttentionKind::ChaseReferralDecision,
                None,
                Some(referral.to_string()),
                Some(front_door.to_string()),
            ),
            K::ReferralDecisionDueSoon { referral } => (
                AttentionKind::ReferralDecisionDueSoon,
                None,
                Some(referral.to_string()),
                None,
            ),
            K::CallTeamNow { share, team, .. } => (
                AttentionKind::CallTeamNow,
                Some(share.to_string()),
                None,
                Some(team.to_string()),
            ),
            K::AcknowledgementDueSoon { share, team, .. } => (
                AttentionKind::AcknowledgementDueSoon,
                Some(share.to_string()),
                None,
                Some(team.to_string()),
            ),
            K::AcknowledgeIncomingShare { share, team } => (
                AttentionKind::AcknowledgeIncomingShare,
                Some(share.to_string()),
                None,
                Some(team.to_string()),
            ),
            K::IncomingShareNotReadable {
                envelope,
                sender_team,
                ..
            } => (
                AttentionKind::IncomingShareNotReadable,
                Some(envelope.to_string()),
                None,
                sender_team.map(|t| t.to_string()),
            ),
            K::CheckReadBack { share } => (
                AttentionKind::CheckReadBack,
                Some(share.to_string()),
                None,
                None,
            ),
            K::CorrectReadBack { share, team } => (
                AttentionKind::CorrectReadBack,
                Some(share.to_string()),
                None,
                Some(team.to_string()),
            ),
            K::EscalationStep { referral, .. } => (
                AttentionKind::EscalationStep,
                None,
                Some(referral.to_string()),
                None,
            ),
            K::PatternAlert { .. } => (AttentionKind::PatternAlert, None, None, None),
            K::ChecklistItem { .. } => (AttentionKind::ChecklistItem, None, None, None),
        };
        AttentionItem {
            kind,
            share_id: share,
            referral_id: referral,
            team_id: team,
            due: instant(item.due),
            overdue: item.overdue,
            immediate_risk: item.immediate_risk,
            why: item.why,
            call: value.call.map(Into::into),
            call_problem: value.call_problem,
        }
    }
}

/// A call started from the app: the log entry's id and the number to dial.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CallStart {
    /// The call log entry's id (to record the outcome).
    pub call_id: String,
    /// The number to dial.
    pub target: CallTarget,
}

impl From<core_app::CallStart> for CallStart {
    fn from(value: core_app::CallStart) -> Self {
        CallStart {
            call_id: value.call.id.to_string(),
            target: value.target.into(),
        }
    }
}

/// What applying an envelope from the server did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum InboundOutcome {
    /// A share to one of my teams arrived.
    ShareReceived,
    /// One of my shares was acknowledged.
    MyShareAcknowledged,
    /// A colleague acknowledged a share to my team.
    IncomingShareAcknowledged,
    /// A referral decision was recorded.
    ReferralDecisionRecorded,
    /// A referral made on another of my devices is now held here.
    ReferralReceived,
    /// An escalation step taken on another device was recorded here.
    EscalationStepRecorded,
    /// Recorded; nothing on this device changes.
    NoChange,
    /// Applied before; nothing done.
    AlreadyApplied,
}

impl From<core_app::InboundOutcome> for InboundOutcome {
    fn from(value: core_app::InboundOutcome) -> Self {
        use core_app::InboundOutcome as O;
        match value {
            O::ShareReceived => Self::ShareReceived,
            O::MyShareAcknowledged => Self::MyShareAcknowledged,
            O::IncomingShareAcknowledged => Self::IncomingShareAcknowledged,
            O::ReferralDecisionRecorded => Self::ReferralDecisionRecorded,
            O::ReferralReceived => Self::ReferralReceived,
            O::EscalationStepRecorded => Self::EscalationStepRecorded,
            O::NoChange => Self::NoChange,
            O::AlreadyApplied => Self::AlreadyApplied,
        }
    }
}

/// One step of the escalation ladder after a referral is not accepted, in the order they are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum EscalationStep {
    /// Review the referral and re-refer with more information.
    ReviewAndReRefer,
    /// Check local thresholds for an Early Help response.
    CheckEarlyHelpThresholds,
    /// Contact other professionals involved for collateral history.
    SeekCollateralHistory,
    /// Seek advice from the safeguarding lead or named or designated professional.
    SeekSafeguardingAdvice,
    /// Follow the local escalation (professional disagreement) procedure.
    FollowEscalationProcedure,
}

impl From<core_escalation::EscalationStep> for EscalationStep {
    fn from(value: core_escalation::EscalationStep) -> Self {
        use core_escalation::EscalationStep as S;
        match value {
            S::ReviewAndReRefer => Self::ReviewAndReRefer,
            S::CheckEarlyHelpThresholds => Self::CheckEarlyHelpThresholds,
            S::SeekCollateralHistory => Self::SeekCollateralHistory,
            S::SeekSafeguardingAdvice => Self::SeekSafeguardingAdvice,
            S::FollowEscalationProcedure => Self::FollowEscalationProcedure,
        }
    }
}

impl From<EscalationStep> for core_escalation::EscalationStep {
    fn from(value: EscalationStep) -> Self {
        match value {
            EscalationStep::ReviewAndReRefer => Self::ReviewAndReRefer,
            EscalationStep::CheckEarlyHelpThresholds => Self::CheckEarlyHelpThresholds,
            EscalationStep::SeekCollateralHistory => Self::SeekCollateralHistory,
            EscalationStep::SeekSafeguardingAdvice => Self::SeekSafeguardingAdvice,
            EscalationStep::FollowEscalationProcedure => Self::FollowEscalationProcedure,
        }
    }
}

/// What came of an escalation step.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum StepOutcome {
    /// Done, with what happened.
    Done {
        /// What happened.
        text: String,
    },
    /// Did not apply, with why.
    NotApplicable {
        /// Why it did not apply.
        text: String,
    },
}

impl From<StepOutcome> for core_escalation::StepOutcome {
    fn from(value: StepOutcome) -> Self {
        match value {
            StepOutcome::Done { text } => Self::Done(text),
            StepOutcome::NotApplicable { text } => Self::NotApplicable(text),
        }
    }
}

#[cfg(test)]
mod pasted_input_tests {
    use super::*;

    #[test]
    fn pasted_dates_with_unicode_spaces_dashes_and_marks_read_as_the_same_date() {
        let want = NaiveDate::from_ymd_opt(2024, 5, 10);
        for text in [
            "2024-05-10",
            " 2024-05-10\t",
            "\u{00A0}2024-05-10\u{202F}",
            "2024\u{2010}05\u{2011}10",
            "2024\u{2013}05\u{2013}10",
            "\u{200E}2024-05-10\u{200B}",
            "\u{FEFF}2024\u{2212}05\u{2212}10",
        ] {
            assert_eq!(parse_date("date_of_birth", text).ok(), want, "{text:?}");
        }
        for bad in ["10/05/2024", "2024-13-01", "", "\u{200B}"] {
            assert!(parse_date("date_of_birth", bad).is_err(), "{bad:?}");
        }
    }
}

/// One version of the signed region roster, as the phone's log shows it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RosterLogEntry {
    /// The version (1, 2, ...).
    pub version: u64,
    /// When the server made it.
    pub issued_at: SystemTime,
    /// How many devices it lists.
    pub devices: u64,
    /// What changed, one line per device: "added: device … practitioner …".
    pub changes: Vec<String>,
}

impl From<core_app::RosterLogEntry> for RosterLogEntry {
    fn from(value: core_app::RosterLogEntry) -> Self {
        RosterLogEntry {
            version: value.version,
            issued_at: instant(value.issued_at),
            devices: u64::try_from(value.devices).unwrap_or(u64::MAX),
            changes: value
                .changes
                .iter()
                .map(|c| {
                    format!(
                        "{}: device {} practitioner {}",
                        c.kind.as_str(),
                        c.device_id,
                        c.practitioner_id
                    )
                })
                .collect(),
        }
    }
}

//! The team around the child: who is involved with a child, who leads, and where the child
//! stands with children's social care; and, from that, who has and has not been told about a
//! concern.
//!
//! Owns two records, each keyed by the child's id and kept through the store's versions (every
//! change is a new version with the change written in words, so the history of who led and of
//! the child's social care status is never overwritten):
//! - [`TeamAroundChild`]: the professionals and teams involved ([`Involvement`]: a directory
//!   team, or a contact captured by hand when the team is not in the directory), each with
//!   role, what they lead on and from/to dates; and at most one lead professional.
//! - [`SocialCareStatus`]: none, early help, child in need, child protection plan or looked
//!   after, with the social worker (a member of the team around the child) and since when.
//!
//! Invariants (checked before anything is stored, by the constructors and changes here):
//! - the lead professional, when set, is a member whose involvement has not ended;
//! - an involvement never ends before it starts, and an ended one cannot be ended again;
//! - the same team (or captured contact) is involved at most once in the same role at a time;
//! - the social worker named on a status is a current member in the social worker or early
//!   help worker role;
//! - every free-text field is trimmed and non-empty where required, and never longer than
//!   [`crate::model::MAX_FREE_TEXT_CHARS`].
//!
//! Why: the briefings ask practitioners to know, and tell social care, every professional
//! involved with a child, to use a lead professional to draw information together, and never to
//! assume a colleague already has new information ("do not assume another colleague is in
//! receipt of new information", docs/domain.md). [`telling_state`] turns that into data: for one
//! concern, which involved teams have been sent it and which have not.

use crate::casework::checklist::ContactRef;
use crate::casework::meeting::{EntryKind as PackKind, PackEntry};
use crate::model::{
    london_date, HouseholdId, ObservationId, PersonId, PhoneNumber, PractitionerId, ShareId, TeamId,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use ulid::Ulid;

/// A member's id within the team around the child (a ULID, sortable by when they were added).
pub type MemberId = Ulid;

/// Why a change to the team around the child could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeamError {
    /// A required field is empty (or too long).
    #[error("{field} is required and must be under the length limit")]
    Required {
        /// The field.
        field: &'static str,
    },
    /// A captured phone number is not a phone number.
    #[error("{field}: not a phone number")]
    InvalidPhone {
        /// The field.
        field: &'static str,
    },
    /// An involvement ends before it starts.
    #[error("to: the involvement cannot end before it started")]
    EndsBeforeStart,
    /// No current involvement with this id.
    #[error("involvement: no current member of the team around the child has this id")]
    NoSuchMember,
    /// The same team or contact is already involved in this role.
    #[error("contact: already involved in this role")]
    AlreadyInvolved,
    /// The social worker named is not a current social worker or early help worker.
    #[error("social_worker: name a current social worker or early help worker of the team")]
    NotASocialWorker,
}

impl TeamError {
    /// The input at fault, for the shell to highlight.
    pub fn field(&self) -> &'static str {
        match self {
            TeamError::Required { field } | TeamError::InvalidPhone { field } => field,
            TeamError::EndsBeforeStart => "to",
            TeamError::NoSuchMember => "involvement",
            TeamError::AlreadyInvolved => "contact",
            TeamError::NotASocialWorker => "social_worker",
        }
    }
}

/// A professional's role with the child.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "role", content = "name")]
pub enum ProfessionalRole {
    /// Midwife.
    Midwife,
    /// Health visitor.
    HealthVisitor,
    /// GP.
    Gp,
    /// School nurse.
    SchoolNurse,
    /// Paediatrician.
    Paediatrician,
    /// Child and adolescent mental health services.
    Camhs,
    /// Children's social care social worker.
    SocialWorker,
    /// Early help worker.
    EarlyHelpWorker,
    /// Another role, named (e.g. "family nurse", "police officer").
    Other(String),
}

impl ProfessionalRole {
    /// The role in words.
    pub fn label(&self) -> &str {
        match self {
            ProfessionalRole::Midwife => "midwife",
            ProfessionalRole::HealthVisitor => "health visitor",
            ProfessionalRole::Gp => "GP",
            ProfessionalRole::SchoolNurse => "school nurse",
            ProfessionalRole::Paediatrician => "paediatrician",
            ProfessionalRole::Camhs => "CAMHS",
            ProfessionalRole::SocialWorker => "social worker",
            ProfessionalRole::EarlyHelpWorker => "early help worker",
            ProfessionalRole::Other(name) => name,
        }
    }

    /// Whether the role is health staff, for the meeting pack's "health staff involved"
    /// section. An "other" role is not assumed to be health: it is named by the practitioner,
    /// who can see it on the team around the child.
    pub fn is_health(&self) -> bool {
        matches!(
            self,
            ProfessionalRole::Midwife
                | ProfessionalRole::HealthVisitor
                | ProfessionalRole::Gp
                | ProfessionalRole::SchoolNurse
                | ProfessionalRole::Paediatrician
                | ProfessionalRole::Camhs
        )
    }
}

impl fmt::Display for ProfessionalRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What is entered to add someone to the team around the child.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewInvolvement {
    /// The team from the directory, or a contact captured by hand.
    pub contact: ContactRef,
    /// The named professional, when known (e.g. the allocated social worker).
    pub professional_name: Option<String>,
    /// Their role.
    pub role: ProfessionalRole,
    /// What they lead on (e.g. "feeding and weight", "the child protection plan"); may be empty.
    pub leads_on: String,
    /// Involved from (Europe/London date).
    pub from: NaiveDate,
}

/// One professional or team involved with the child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Involvement {
    /// Identifier within the team around the child.
    pub id: Ulid,
    /// The team from the directory, or a contact captured by hand.
    pub contact: ContactRef,
    /// The named professional, when known.
    pub professional_name: Option<String>,
    /// Their role.
    pub role: ProfessionalRole,
    /// What they lead on.
    pub leads_on: String,
    /// Involved from.
    pub from: NaiveDate,
    /// Involved until (none: still involved).
    pub to: Option<NaiveDate>,
}

impl Involvement {
    /// Whether the involvement has not ended.
    pub fn is_current(&self) -> bool {
        self.to.is_none()
    }

    /// The directory team, when the contact is one.
    pub fn team(&self) -> Option<TeamId> {
        match &self.contact {
            ContactRef::Directory { team, .. } => Some(*team),
            ContactRef::Captured { .. } => None,
        }
    }

    /// "Name, role (team)" for lists and the chronology.
    pub fn describe(&self) -> String {
        let place = match &self.contact {
            ContactRef::Directory { label, .. } => label.clone(),
            ContactRef::Captured { name, role, .. } => format!("{name}, {role}"),
        };
        match &self.professional_name {
            Some(name) => format!("{name}, {} ({place})", self.role),
            None => format!("{} ({place})", self.role),
        }
    }

    fn same_party(&self, contact: &ContactRef) -> bool {
        match (&self.contact, contact) {
            (ContactRef::Directory { team: a, .. }, ContactRef::Directory { team: b, .. }) => {
                a == b
            }
            (
                ContactRef::Captured {
                    name: a, phone: pa, ..
                },
                ContactRef::Captured {
                    name: b, phone: pb, ..
                },
            ) => a.eq_ignore_ascii_case(b) && pa == pb,
            _ => false,
        }
    }
}

/// The team around one child: who is involved and who leads. One record per child; every
/// change is a new version ([`TeamAroundChild::change`] says what changed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamAroundChild {
    /// The child.
    pub child: PersonId,
    /// The child's household on this device.
    pub household: HouseholdId,
    /// Everyone ever involved, current and ended (ended ones keep their dates).
    pub members: Vec<Involvement>,
    /// The lead professional (an involvement id), if one is agreed.
    pub lead: Option<Ulid>,
    /// What this version changed, in words (for the chronology).
    pub change: String,
    /// Who made this version.
    pub changed_by: PractitionerId,
    /// When.
    pub changed_at: DateTime<Utc>,
}

impl TeamAroundChild {
    /// An empty team around `child`, before its first member.
    pub fn new(
        child: PersonId,
        household: HouseholdId,
        by: PractitionerId,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            child,
            household,
            members: Vec::new(),
            lead: None,
            change: String::new(),
            changed_by: by,
            changed_at: at,
        }
    }

    /// Adds a member; returns its id. A directory team's `label` is replaced by `team_name`
    /// (the directory's name at this moment), so what is stored is what the directory says.
    pub fn involve(
        &mut self,
        new: NewInvolvement,
        by: PractitionerId,
        at: DateTime<Utc>,
    ) -> Result<Ulid, TeamError> {
        let contact = checked_contact(new.contact)?;
        let professional_name = match new.professional_name {
            Some(name) if !crate::rules::normalise::is_blank(&name) => {
                Some(text("professional_name", &name)?)
            }
            _ => None,
        };
        let role = match new.role {
            ProfessionalRole::Other(name) => ProfessionalRole::Other(text("role", &name)?),
            role => role,
        };
        let leads_on = if crate::rules::normalise::is_blank(&new.leads_on) {
            String::new()
        } else {
            text("leads_on", &new.leads_on)?
        };
        if self
            .current()
            .any(|m| m.role == role && m.same_party(&contact))
        {
            return Err(TeamError::AlreadyInvolved);
        }
        let member = Involvement {
            id: Ulid::new(),
            contact,
            professional_name,
            role,
            leads_on,
            from: new.from,
            to: None,
        };
        let id = member.id;
        self.stamp(
            format!("Joined the team around the child: {}", member.describe()),
            by,
            at,
        );
        self.members.push(member);
        Ok(id)
    }

    /// Ends a member's involvement on `to`. If they were the lead professional, the child has
    /// no lead until another is named (said in the change, so the gap is seen).
    pub fn end_involvement(
        &mut self,
        id: Ulid,
        to: NaiveDate,
        by: PractitionerId,
        at: DateTime<Utc>,
    ) -> Result<(), TeamError> {
        let member = self
            .members
            .iter_mut()
            .find(|m| m.id == id && m.is_current())
            .ok_or(TeamError::NoSuchMember)?;
        if to < member.from {
            return Err(TeamError::EndsBeforeStart);
        }
        member.to = Some(to);
        let mut change = format!(
            "Left the team around the child on {}: {}",
            to.format("%-d %b %Y"),
            member.describe()
        );
        if self.lead == Some(id) {
            self.lead = None;
            change.push_str("; no lead professional now");
        }
        self.stamp(change, by, at);
        Ok(())
    }

    /// Names the lead professional (a current member).
    pub fn set_lead(
        &mut self,
        id: Ulid,
        by: PractitionerId,
        at: DateTime<Utc>,
    ) -> Result<(), TeamError> {
        let member = self
            .current()
            .find(|m| m.id == id)
            .ok_or(TeamError::NoSuchMember)?;
        let change = format!("Lead professional: {}", member.describe());
        self.lead = Some(id);
        self.stamp(change, by, at);
        Ok(())
    }

    /// The lead professional, if one is named.
    pub fn lead_professional(&self) -> Option<&Involvement> {
        let lead = self.lead?;
        self.members.iter().find(|m| m.id == lead)
    }

    /// Members whose involvement has not ended.
    pub fn current(&self) -> impl Iterator<Item = &Involvement> {
        self.members.iter().filter(|m| m.is_current())
    }

    /// A member by id (current or ended).
    pub fn member(&self, id: Ulid) -> Option<&Involvement> {
        self.members.iter().find(|m| m.id == id)
    }

    /// The meeting pack's "health staff involved" entries: every current member in a health
    /// role, with their contact, dated `at` (the pack's assembly).
    pub fn health_staff_entries(&self, at: DateTime<Utc>) -> Vec<PackEntry> {
        self.current()
            .filter(|m| m.role.is_health())
            .map(|m| {
                let (place, phone) = match &m.contact {
                    ContactRef::Directory { label, .. } => (label.clone(), None),
                    ContactRef::Captured {
                        name, role, phone, ..
                    } => (format!("{name}, {role}"), Some(phone.clone())),
                };
                let lead = if self.lead == Some(m.id) {
                    " — lead professional"
                } else {
                    ""
                };
                let leads_on = if m.leads_on.is_empty() {
                    String::new()
                } else {
                    format!("; leads on {}", m.leads_on)
                };
                PackEntry {
                    about: self.child,
                    at,
                    kind: PackKind::HealthStaff {
                        name: m.professional_name.clone().unwrap_or_else(|| place.clone()),
                        role: format!("{}, {place}{leads_on}{lead}", m.role),
                        phone,
                    },
                }
            })
            .collect()
    }

    /// The contacts of every current member, for a checklist's contacts item.
    pub fn contacts(&self) -> Vec<ContactRef> {
        self.current().map(|m| m.contact.clone()).collect()
    }

    fn stamp(&mut self, change: String, by: PractitionerId, at: DateTime<Utc>) {
        self.change = change;
        self.changed_by = by;
        self.changed_at = at;
    }
}

/// One member of the team around the child as a screen lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TeamMember {
    /// The member's id, for ending the involvement, naming the lead and the social worker.
    pub member_id: MemberId,
    /// "Name, role (team)" ([`Involvement::describe`]).
    pub description: String,
    /// What they lead on (may be empty).
    pub leads_on: String,
    /// Involved from.
    pub from: NaiveDate,
    /// Involved until, once ended.
    pub to: Option<NaiveDate>,
    /// The directory team, when the member is one (to share with or call).
    pub team_id: Option<TeamId>,
    /// Whether they are the lead professional.
    pub is_lead: bool,
}

/// The team around one child as a screen shows it: every member, current and ended, and the
/// children's social care status in words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TeamView {
    /// Every member, current and ended.
    pub members: Vec<TeamMember>,
    /// The children's social care status in words, when recorded.
    pub social_care: Option<String>,
}

impl TeamView {
    /// The view of `team` (none recorded yet: no members) and `status`.
    pub fn new(team: Option<&TeamAroundChild>, status: Option<&SocialCareStatus>) -> Self {
        let members = team
            .map(|team| {
                team.members
                    .iter()
                    .map(|m| TeamMember {
                        member_id: m.id,
                        description: m.describe(),
                        leads_on: m.leads_on.clone(),
                        from: m.from,
                        to: m.to,
                        team_id: m.team(),
                        is_lead: team.lead == Some(m.id),
                    })
                    .collect()
            })
            .unwrap_or_default();
        TeamView {
            members,
            social_care: status.map(SocialCareStatus::summary),
        }
    }
}

/// Where a child stands with children's social care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum SocialCareLevel {
    /// Not open to children's social care. Not `None`: Swift's optionals use that name, and
    /// the stored word stays `none`.
    #[serde(rename = "none")]
    NotOpen,
    /// Early help.
    EarlyHelp,
    /// Child in need (section 17).
    ChildInNeed,
    /// Child protection plan.
    ChildProtectionPlan,
    /// Looked after.
    LookedAfter,
}

impl SocialCareLevel {
    /// The level in words.
    pub fn label(&self) -> &'static str {
        match self {
            SocialCareLevel::NotOpen => "not open to children's social care",
            SocialCareLevel::EarlyHelp => "early help",
            SocialCareLevel::ChildInNeed => "child in need",
            SocialCareLevel::ChildProtectionPlan => "child protection plan",
            SocialCareLevel::LookedAfter => "looked after",
        }
    }

    /// The clear status word stored in the record's index (a fixed word, no personal data).
    pub fn word(&self) -> &'static str {
        match self {
            SocialCareLevel::NotOpen => "none",
            SocialCareLevel::EarlyHelp => "early_help",
            SocialCareLevel::ChildInNeed => "child_in_need",
            SocialCareLevel::ChildProtectionPlan => "child_protection_plan",
            SocialCareLevel::LookedAfter => "looked_after",
        }
    }
}

/// What is entered to record a child's social care status.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewSocialCareStatus {
    /// The level.
    pub level: SocialCareLevel,
    /// The social worker (or early help worker): a current member of the team around the
    /// child. May be unknown (not yet allocated); the status says so.
    pub social_worker: Option<Ulid>,
    /// Since when (Europe/London date).
    pub since: NaiveDate,
}

/// A child's social care status. One record per child; every change is a new version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SocialCareStatus {
    /// The child.
    pub child: PersonId,
    /// The child's household on this device.
    pub household: HouseholdId,
    /// The level.
    pub level: SocialCareLevel,
    /// The social worker, as they were on the team around the child when recorded.
    pub social_worker: Option<Involvement>,
    /// Since when.
    pub since: NaiveDate,
    /// Who recorded it.
    pub recorded_by: PractitionerId,
    /// When.
    pub recorded_at: DateTime<Utc>,
}

impl SocialCareStatus {
    /// Validates `new` against the team around the child and records it at `at`.
    pub fn record(
        team: &TeamAroundChild,
        new: NewSocialCareStatus,
        by: PractitionerId,
        at: DateTime<Utc>,
    ) -> Result<Self, TeamError> {
        let social_worker = match new.social_worker {
            None => None,
            Some(id) => {
                let member = team
                    .current()
                    .find(|m| m.id == id)
                    .ok_or(TeamError::NotASocialWorker)?;
                if !matches!(
                    member.role,
                    ProfessionalRole::SocialWorker | ProfessionalRole::EarlyHelpWorker
                ) {
                    return Err(TeamError::NotASocialWorker);
                }
                Some(member.clone())
            }
        };
        Ok(Self {
            child: team.child,
            household: team.household,
            level: new.level,
            social_worker,
            since: new.since,
            recorded_by: by,
            recorded_at: at,
        })
    }

    /// What the chronology and the shell show.
    pub fn summary(&self) -> String {
        let worker = match (&self.social_worker, self.level) {
            (_, SocialCareLevel::NotOpen) => String::new(),
            (Some(w), _) => format!("; {}", w.describe()),
            (None, _) => "; social worker not recorded".to_owned(),
        };
        format!(
            "Children's social care: {} since {}{worker}",
            self.level.label(),
            self.since.format("%-d %b %Y")
        )
    }
}

/// A share as [`telling_state`] needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareSent {
    /// The share.
    pub share: ShareId,
    /// The team it went to.
    pub team: TeamId,
    /// The observations it carried.
    pub observations: Vec<ObservationId>,
    /// When it was sent.
    pub sent_at: DateTime<Utc>,
    /// Whether the team acknowledged it.
    pub acknowledged: bool,
}

/// A member of the team around the child who has been sent the concern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Told {
    /// The member.
    pub member: Involvement,
    /// The share that told them (the first).
    pub share: ShareId,
    /// When it was sent.
    pub sent_at: DateTime<Utc>,
    /// Whether they acknowledged it.
    pub acknowledged: bool,
}

/// Who has and has not been told about one concern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TellingState {
    /// The concern.
    pub observation: ObservationId,
    /// Current members sent it.
    pub told: Vec<Told>,
    /// Current members not sent it (the practitioner's own teams excluded).
    pub not_told: Vec<Involvement>,
}

impl TellingState {
    /// The directory teams to suggest sharing with: every member not told who can be sent a
    /// share (a directory team), each team once. Captured contacts are in
    /// [`TellingState::not_told`] to be phoned.
    pub fn suggested_teams(&self) -> Vec<TeamId> {
        let mut teams: Vec<TeamId> = Vec::new();
        for team in self.not_told.iter().filter_map(Involvement::team) {
            if !teams.contains(&team) {
                teams.push(team);
            }
        }
        teams
    }
}

/// Which current members of `team` have been sent `observation` (by any of `shares`) and which
/// have not. Members in the practitioner's own teams (`own_teams`) are left out: the record is
/// theirs (docs/clinical-decisions.md). A member counts as told when a share carrying the
/// observation went to their directory team; a captured contact is never counted as told by a
/// share (the app cannot send them one).
pub fn telling_state(
    team: &TeamAroundChild,
    observation: ObservationId,
    shares: &[ShareSent],
    own_teams: &[TeamId],
) -> TellingState {
    let mut told = Vec::new();
    let mut not_told = Vec::new();
    for member in team.current() {
        let member_team = member.team();
        if member_team.is_some_and(|t| own_teams.contains(&t)) {
            continue;
        }
        let first = shares
            .iter()
            .filter(|s| Some(s.team) == member_team && s.observations.contains(&observation))
            .min_by_key(|s| s.sent_at);
        match first {
            Some(s) => told.push(Told {
                member: member.clone(),
                share: s.share,
                sent_at: s.sent_at,
                acknowledged: shares.iter().any(|o| {
                    o.team == s.team && o.observations.contains(&observation) && o.acknowledged
                }),
            }),
            None => not_told.push(member.clone()),
        }
    }
    TellingState {
        observation,
        told,
        not_told,
    }
}

/// The chronology line of a change, in the London date the shell shows.
pub fn change_line(team: &TeamAroundChild) -> String {
    format!(
        "{} ({})",
        team.change,
        london_date(team.changed_at).format("%-d %b %Y")
    )
}

fn checked_contact(contact: ContactRef) -> Result<ContactRef, TeamError> {
    Ok(match contact {
        ContactRef::Directory { team, label } => ContactRef::Directory {
            team,
            label: text("label", &label)?,
        },
        ContactRef::Captured {
            name,
            role,
            phone,
            out_of_hours_phone,
        } => ContactRef::Captured {
            name: text("name", &name)?,
            role: text("contact_role", &role)?,
            phone: phone_text("phone", &phone)?,
            out_of_hours_phone: match out_of_hours_phone {
                Some(p) if !crate::rules::normalise::is_blank(&p) => {
                    Some(phone_text("out_of_hours_phone", &p)?)
                }
                _ => None,
            },
        },
    })
}

fn phone_text(field: &'static str, value: &str) -> Result<String, TeamError> {
    let value = text(field, value)?;
    PhoneNumber::parse_uk(&value)
        .map(|n| n.display_national())
        .map_err(|_| TeamError::InvalidPhone { field })
}

fn text(field: &'static str, value: &str) -> Result<String, TeamError> {
    let t = crate::rules::normalise::trim(value);
    if t.is_empty() || t.chars().count() > crate::model::MAX_FREE_TEXT_CHARS {
        Err(TeamError::Required { field })
    } else {
        Ok(t.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap()
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn directory_member(team: TeamId, name: &str, role: ProfessionalRole) -> NewInvolvement {
        NewInvolvement {
            contact: ContactRef::Directory {
                team,
                label: name.into(),
            },
            professional_name: None,
            role,
            leads_on: String::new(),
            from: day(1),
        }
    }

    #[test]
    fn the_lead_must_be_a_current_member_and_ending_the_lead_leaves_no_lead() {
        let by = PractitionerId::new();
        let mut team = TeamAroundChild::new(PersonId::new(), HouseholdId::new(), by, at());
        assert_eq!(
            team.set_lead(Ulid::new(), by, at()),
            Err(TeamError::NoSuchMember)
        );
        let hv = team
            .involve(
                directory_member(TeamId::new(), "East HV", ProfessionalRole::HealthVisitor),
                by,
                at(),
            )
            .unwrap();
        team.set_lead(hv, by, at()).unwrap();
        assert!(team.change.starts_with("Lead professional: health visitor"));
        assert_eq!(
            team.end_involvement(hv, day(1).pred_opt().unwrap(), by, at()),
            Err(TeamError::EndsBeforeStart)
        );
        team.end_involvement(hv, day(20), by, at()).unwrap();
        assert_eq!(team.lead, None);
        assert!(team.change.ends_with("no lead professional now"));
        assert_eq!(team.set_lead(hv, by, at()), Err(TeamError::NoSuchMember));
    }

    #[test]
    fn the_same_team_in_the_same_role_is_involved_once() {
        let by = PractitionerId::new();
        let t = TeamId::new();
        let mut team = TeamAroundChild::new(PersonId::new(), HouseholdId::new(), by, at());
        team.involve(directory_member(t, "GP", ProfessionalRole::Gp), by, at())
            .unwrap();
        assert_eq!(
            team.involve(directory_member(t, "GP", ProfessionalRole::Gp), by, at()),
            Err(TeamError::AlreadyInvolved)
        );
    }

    #[test]
    fn a_captured_contact_needs_a_real_phone_number() {
        let by = PractitionerId::new();
        let mut team = TeamAroundChild::new(PersonId::new(), HouseholdId::new(), by, at());
        let new = NewInvolvement {
            contact: ContactRef::Captured {
                name: "Sam".into(),
                role: "family nurse".into(),
                phone: "not a number".into(),
                out_of_hours_phone: None,
            },
            professional_name: None,
            role: ProfessionalRole::Other("family nurse".into()),
            leads_on: String::new(),
            from: day(1),
        };
        assert_eq!(
            team.involve(new, by, at()),
            Err(TeamError::InvalidPhone { field: "phone" })
        );
    }

    #[test]
    fn the_social_worker_must_be_a_current_social_worker() {
        let by = PractitionerId::new();
        let mut team = TeamAroundChild::new(PersonId::new(), HouseholdId::new(), by, at());
        let gp = team
            .involve(
                directory_member(TeamId::new(), "GP", ProfessionalRole::Gp),
                by,
                at(),
            )
            .unwrap();
        let new = NewSocialCareStatus {
            level: SocialCareLevel::ChildInNeed,
            social_worker: Some(gp),
            since: day(1),
        };
        assert_eq!(
            SocialCareStatus::record(&team, new, by, at()),
            Err(TeamError::NotASocialWorker)
        );
        let unknown = NewSocialCareStatus {
            level: SocialCareLevel::ChildInNeed,
            social_worker: None,
            since: day(1),
        };
        let status = SocialCareStatus::record(&team, unknown, by, at()).unwrap();
        assert!(status.summary().ends_with("social worker not recorded"));
    }

    #[test]
    fn own_team_is_left_out_and_a_share_without_the_concern_does_not_count() {
        let by = PractitionerId::new();
        let (own, a, b) = (TeamId::new(), TeamId::new(), TeamId::new());
        let mut team = TeamAroundChild::new(PersonId::new(), HouseholdId::new(), by, at());
        for (t, role) in [
            (own, ProfessionalRole::Midwife),
            (a, ProfessionalRole::HealthVisitor),
            (b, ProfessionalRole::Gp),
        ] {
            team.involve(directory_member(t, "team", role), by, at())
                .unwrap();
        }
        let concern = ObservationId::new();
        let shares = [
            ShareSent {
                share: ShareId::new(),
                team: a,
                observations: vec![ObservationId::new()],
                sent_at: at(),
                acknowledged: true,
            },
            ShareSent {
                share: ShareId::new(),
                team: b,
                observations: vec![concern],
                sent_at: at(),
                acknowledged: false,
            },
        ];
        let state = telling_state(&team, concern, &shares, &[own]);
        assert_eq!(state.suggested_teams(), vec![a]);
        assert_eq!(state.told.len(), 1);
        assert_eq!(state.told[0].member.team(), Some(b));
        assert!(!state.told[0].acknowledged);
    }
}

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
//! And a third keyed by the household's id: [`HouseholdTeam`], members added for every child of
//! a household (siblings share the health visitor, the GP, often the social worker), merged into
//! each child's team view by [`TeamAroundChild::with_household`]. The lead professional and the
//! social care status stay per child (docs/clinical-decisions.md).
//!
//! On the receiving phone of a transfer of care, [`TeamAroundChild::take_on`] seeds the team
//! from the transfer pack: the pack's members as the sender recorded them, the sending team as
//! previously involved, the receiving team joining.
//!
//! Invariants (checked before anything is stored, by the constructors and changes here):
//! - the lead professional, when set, is a member whose involvement has not ended;
//! - an involvement never ends before it starts, and an ended one cannot be ended again;
//! - the same team (or captured contact) is involved at most once in the same role at a time;
//! - the social worker named on a status is a current member in the social worker or early
//!   help worker role;
//! - a member from a transfer pack (another phone's data) is checked exactly as one entered here,
//!   and the whole pack before anything changes;
//! - no one is listed twice in a team view: a household member repeating a child's own current
//!   member in the same role is left out of the view;
//! - every free-text field is trimmed and non-empty where required, and never longer than
//!   [`crate::model::MAX_FREE_TEXT_CHARS`];
//! - a date entered here ("involved from", an involvement's end, a status's "since") is within
//!   [`DateBounds`]: not after today (London), and not more than 42 weeks before the child's
//!   date of birth or expected date of delivery (for a household member, whom no one child's
//!   date bounds, not more than 25 years and 42 weeks before today). The session's handle checks every write
//!   against it, so forms, bindings and tests refuse the same dates with one error
//!   ([`TeamError::DateOutOfRange`]); a transfer pack's dates are the sender's record and are
//!   kept as sent (docs/clinical-decisions.md).
//!
//! Why: the briefings ask practitioners to know, and tell social care, every professional
//! involved with a child, to use a lead professional to draw information together, and never to
//! assume a colleague already has new information ("do not assume another colleague is in
//! receipt of new information", docs/domain.md). [`telling_state`] turns that into data: for one
//! concern, which involved teams have been sent it and which have not.

use crate::casework::checklist::ContactRef;
use crate::casework::meeting::{EntryKind as PackKind, PackEntry};
use crate::model::{
    london_date, HouseholdId, ObservationId, Person, PersonId, PersonRole, PhoneNumber,
    PractitionerId, ShareId, TeamId,
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
    /// A date is outside [`DateBounds`]: after today, or before the child could have been
    /// expected.
    #[error("{field}: {problem}")]
    DateOutOfRange {
        /// The date field (`from`, `to`, `since`).
        field: &'static str,
        /// What is wrong with it, in the words a form shows next to the field.
        problem: DateProblem,
    },
}

/// What is wrong with a date entered on the team around the child ([`DateBounds::problem`]);
/// its `Display` is the sentence the form shows next to the field and the refusal's reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateProblem {
    /// After today (Europe/London).
    #[error("A date after today cannot be recorded.")]
    AfterToday,
    /// More than 42 weeks before the child's date of birth (or expected date of delivery).
    #[error(
        "A date more than 42 weeks before the child's date of birth cannot be recorded: check the \
         year."
    )]
    BeforeChild,
    /// Before [`DateBounds::floor`], where no date of the child bounds it (a household-wide
    /// member): before any child now cared for could have been expected.
    #[error(
        "A date more than 25 years and 42 weeks before today cannot be recorded for a child's \
         team: check the year."
    )]
    LongAgo,
}

/// The longest pregnancy allowed for (42 weeks): care about a child can start before birth (a
/// midwife, a pre-birth child protection plan), but not earlier than that.
pub const PREGNANCY_DAYS: u64 = 42 * 7;

/// The oldest a child cared for here can be, in years (children's services reach 25 for a care
/// leaver or a young person with special educational needs): with [`PREGNANCY_DAYS`], the floor
/// of every team date that no date of the child bounds ([`DateBounds::floor`]).
pub const OLDEST_CHILD_YEARS: u32 = 25;

/// The dates the team around one child may record: not after `today`, and not before
/// `earliest` — the child's date of birth, or for an unborn baby the expected date of delivery,
/// less 42 weeks. A mistyped year ("0026", "2016") would otherwise be recorded as a fact about
/// the family and travel in a transfer pack. For a household-level member (they may have
/// started with an older sibling), or should a child's date be unknown, the earliest is the
/// [`DateBounds::floor`] instead: a mistyped year ("0026", "1900") is still refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateBounds {
    /// Today, Europe/London.
    pub today: NaiveDate,
    /// The earliest date allowed by the child's own date, when it is known.
    pub earliest: Option<NaiveDate>,
}

impl DateBounds {
    /// The bounds for `child` on the London date `today`.
    pub fn for_child(today: NaiveDate, child: &Person) -> Self {
        let expected = match &child.role {
            PersonRole::UnbornBaby { expected_delivery } => Some(*expected_delivery),
            _ => child.date_of_birth,
        };
        Self {
            today,
            earliest: expected.and_then(|d| d.checked_sub_days(chrono::Days::new(PREGNANCY_DAYS))),
        }
    }

    /// The bounds for a household-level member on `today`: not after today, nor before the
    /// [`DateBounds::floor`].
    pub fn for_household(today: NaiveDate) -> Self {
        Self {
            today,
            earliest: None,
        }
    }

    /// The earliest date a team may record where no date of the child bounds it:
    /// [`OLDEST_CHILD_YEARS`] years and [`PREGNANCY_DAYS`] before today. `None` only where the
    /// calendar runs out (no such date exists, so nothing is below it).
    pub fn floor(&self) -> Option<NaiveDate> {
        self.today
            .checked_sub_months(chrono::Months::new(OLDEST_CHILD_YEARS * 12))
            .and_then(|d| d.checked_sub_days(chrono::Days::new(PREGNANCY_DAYS)))
    }

    /// What is wrong with `date`, if anything.
    pub fn problem(&self, date: NaiveDate) -> Option<DateProblem> {
        if date > self.today {
            Some(DateProblem::AfterToday)
        } else if self.earliest.is_some_and(|earliest| date < earliest) {
            Some(DateProblem::BeforeChild)
        } else if self.earliest.is_none() && self.floor().is_some_and(|floor| date < floor) {
            Some(DateProblem::LongAgo)
        } else {
            None
        }
    }

    /// `date` for the field `field`, or the refusal.
    pub fn check(&self, field: &'static str, date: NaiveDate) -> Result<NaiveDate, TeamError> {
        match self.problem(date) {
            None => Ok(date),
            Some(problem) => Err(TeamError::DateOutOfRange { field, problem }),
        }
    }
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
            TeamError::DateOutOfRange { field, .. } => field,
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

/// One of the health staff involved with a child, as the meeting pack lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct HealthStaff {
    /// The named professional, or the team's name.
    pub name: String,
    /// "Role, team; leads on …" and whether they are the lead professional.
    pub role: String,
    /// A captured contact's phone number (a directory team is called through the directory).
    pub phone: Option<String>,
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
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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
    /// Added for the child's whole household ([`HouseholdTeam`]): it applies to every child of
    /// the household and is changed on the household's record, not the child's. Absent (false)
    /// in records written before household-level members existed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub household: bool,
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

    /// Checks every field as if the member were entered here (for members that came from
    /// another phone, such as a transfer pack's, before any work is done with them).
    pub fn check(&self) -> Result<(), TeamError> {
        checked_member(self).map(|_| ())
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
        let member = new_member(new, &self.members, false)?;
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
        let mut change = end_member(&mut self.members, id, to, london_date(at))?;
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

    /// The meeting pack's "health staff involved": every current member in a health role,
    /// with their contact, in the order they joined.
    pub fn health_staff(&self) -> Vec<HealthStaff> {
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
                HealthStaff {
                    name: m.professional_name.clone().unwrap_or_else(|| place.clone()),
                    role: format!("{}, {place}{leads_on}{lead}", m.role),
                    phone,
                }
            })
            .collect()
    }

    /// The meeting pack's "health staff involved" entries ([`TeamAroundChild::health_staff`]),
    /// dated `at` (the pack's assembly).
    pub fn health_staff_entries(&self, at: DateTime<Utc>) -> Vec<PackEntry> {
        self.health_staff()
            .into_iter()
            .map(|staff| PackEntry {
                about: self.child,
                at,
                kind: PackKind::HealthStaff {
                    name: staff.name,
                    role: staff.role,
                    phone: staff.phone,
                },
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
    /// Whether they were added for the child's household (shown after the child's own).
    pub household: bool,
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
                        household: m.household,
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

impl TeamAroundChild {
    /// The team around the child as the team view shows it: the child's own members and, after
    /// them, every member added for the child's household (marked `household`), except one
    /// that repeats a current member of the child's own (same team or contact, same role),
    /// so no one is listed, suggested or asked to be told twice. The lead professional stays
    /// the child's own (docs/clinical-decisions.md, "Household-level members").
    pub fn with_household(&self, household: &HouseholdTeam) -> TeamAroundChild {
        let mut view = self.clone();
        for member in &household.members {
            let repeats = member.is_current()
                && self
                    .current()
                    .any(|m| m.role == member.role && m.same_party(&member.contact));
            if !repeats {
                view.members.push(member.clone());
            }
        }
        view
    }

    /// Takes the child on from a transfer of care, on the receiving phone (issue 21): the
    /// current members the transfer pack lists join this team (with their own dates and ids),
    /// the sending team is recorded as previously involved, ended on `seed.on`, and the
    /// receiving team joins from `seed.on`. The pack's lead professional becomes the lead when
    /// this team has none and the lead was not the sending team (whose care has ended: the gap
    /// is said in the change). Someone already involved here in the same role is not added
    /// again. Every member of the pack is checked as one entered here would be before anything
    /// changes (the pack came from another phone).
    pub fn take_on(
        &mut self,
        seed: TakeOnSeed<'_>,
        by: PractitionerId,
        at: DateTime<Utc>,
    ) -> Result<(), TeamError> {
        let mut incoming = Vec::new();
        for member in seed.members.iter().filter(|m| m.is_current()) {
            if seed.sending.is_some_and(|s| s.id == member.id) {
                continue;
            }
            incoming.push(checked_member(member)?);
        }
        let sending = seed.sending.map(checked_member).transpose()?;
        let receiving_contact = checked_contact(seed.receiving.contact.clone())?;

        let mut added = 0usize;
        for mut member in incoming {
            if self
                .current()
                .any(|m| m.role == member.role && m.same_party(&member.contact))
            {
                continue;
            }
            if self.member(member.id).is_some() {
                // An id already used here (the same member from an earlier pack): a fresh one,
                // so no two members share an id; the pack's lead is then not carried over.
                member.id = Ulid::new();
            }
            self.members.push(member);
            added += 1;
        }
        let mut parts = vec![format!("{added} from the transfer pack")];
        if let Some(mut sending) = sending {
            let end = seed.on.max(sending.from);
            let recorded = self
                .members
                .iter()
                .any(|m| m.role == sending.role && m.same_party(&sending.contact));
            let existing = self
                .members
                .iter_mut()
                .find(|m| m.is_current() && m.same_party(&sending.contact));
            match existing {
                Some(m) => m.to = Some(end.max(m.from)),
                // Already recorded here as previously involved (an earlier take-on).
                None if recorded => {}
                None => {
                    if self.member(sending.id).is_some() {
                        sending.id = Ulid::new();
                    }
                    sending.to = Some(end);
                    sending.household = false;
                    parts.push(format!("previously involved: {}", sending.describe()));
                    self.members.push(sending);
                }
            }
        }
        // The sending team's care has ended: it cannot stay (or become) the lead.
        let lead_was_sending = seed.lead.is_some() && seed.lead == seed.sending.map(|s| s.id);
        let mut lead_ended = false;
        if let Some(lead) = self.lead {
            if !self.current().any(|m| m.id == lead) {
                self.lead = None;
                lead_ended = true;
            }
        }
        if self.lead.is_none() && !lead_was_sending {
            self.lead = seed.lead.filter(|l| self.current().any(|m| m.id == *l));
        }
        let receiving = NewInvolvement {
            contact: receiving_contact,
            ..seed.receiving
        };
        match new_member(receiving, &self.members, false) {
            Ok(member) => {
                parts.push(format!("joined: {}", member.describe()));
                self.members.push(member);
            }
            Err(TeamError::AlreadyInvolved) => {}
            Err(e) => return Err(e),
        }
        if (lead_was_sending || lead_ended) && self.lead.is_none() {
            parts.push(
                "the lead professional was the sending team: no lead professional now".into(),
            );
        }
        self.stamp(
            format!("Taken on by transfer of care: {}", parts.join("; ")),
            by,
            at,
        );
        Ok(())
    }
}

/// What a transfer of care brings to the receiving phone's team around the child
/// ([`TeamAroundChild::take_on`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakeOnSeed<'a> {
    /// The current members the transfer pack lists.
    pub members: &'a [Involvement],
    /// The pack's lead professional (a member id), when named.
    pub lead: Option<Ulid>,
    /// The sending team as a member, recorded here as previously involved.
    pub sending: Option<&'a Involvement>,
    /// The receiving team, joining from `on`.
    pub receiving: NewInvolvement,
    /// The day of the take-on (Europe/London).
    pub on: NaiveDate,
}

/// The professionals and teams involved with a whole household (issue 21: siblings share the
/// health visitor, the GP, often the social worker). One record per household, keyed by its
/// id; every change is a new version. Each member applies to every child of the household in
/// the team view ([`TeamAroundChild::with_household`]); the lead professional and the social
/// care status stay per child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct HouseholdTeam {
    /// The household.
    pub household: HouseholdId,
    /// Everyone ever involved with the household, current and ended.
    pub members: Vec<Involvement>,
    /// What this version changed, in words (for each child's chronology).
    pub change: String,
    /// Who made this version.
    pub changed_by: PractitionerId,
    /// When.
    pub changed_at: DateTime<Utc>,
}

impl HouseholdTeam {
    /// An empty household team, before its first member.
    pub fn new(household: HouseholdId, by: PractitionerId, at: DateTime<Utc>) -> Self {
        Self {
            household,
            members: Vec::new(),
            change: String::new(),
            changed_by: by,
            changed_at: at,
        }
    }

    /// Adds a member for every child of the household; returns its id.
    pub fn involve(
        &mut self,
        new: NewInvolvement,
        by: PractitionerId,
        at: DateTime<Utc>,
    ) -> Result<Ulid, TeamError> {
        let member = new_member(new, &self.members, true)?;
        let id = member.id;
        self.change = format!(
            "Joined the team around the household's children: {}",
            member.describe()
        );
        self.changed_by = by;
        self.changed_at = at;
        self.members.push(member);
        Ok(id)
    }

    /// Ends a household member's involvement on `to`.
    pub fn end_involvement(
        &mut self,
        id: Ulid,
        to: NaiveDate,
        by: PractitionerId,
        at: DateTime<Utc>,
    ) -> Result<(), TeamError> {
        let change = end_member(&mut self.members, id, to, london_date(at))?;
        self.change = change.replacen(
            "Left the team around the child",
            "Left the team around the household's children",
            1,
        );
        self.changed_by = by;
        self.changed_at = at;
        Ok(())
    }

    /// Members whose involvement has not ended.
    pub fn current(&self) -> impl Iterator<Item = &Involvement> {
        self.members.iter().filter(|m| m.is_current())
    }
}

/// A new member, checked: text trimmed and within limits, a captured phone number a phone
/// number, and not already involved in the same role among `existing`.
fn new_member(
    new: NewInvolvement,
    existing: &[Involvement],
    household: bool,
) -> Result<Involvement, TeamError> {
    let member = checked_member(&Involvement {
        id: Ulid::new(),
        contact: new.contact,
        professional_name: new.professional_name,
        role: new.role,
        leads_on: new.leads_on,
        from: new.from,
        to: None,
        household,
    })?;
    if existing
        .iter()
        .filter(|m| m.is_current())
        .any(|m| m.role == member.role && m.same_party(&member.contact))
    {
        return Err(TeamError::AlreadyInvolved);
    }
    Ok(member)
}

/// `member` with every field checked as if entered here (also used on a transfer pack's
/// members, which came from another phone).
fn checked_member(member: &Involvement) -> Result<Involvement, TeamError> {
    let contact = checked_contact(member.contact.clone())?;
    let professional_name = match &member.professional_name {
        Some(name) if !crate::rules::normalise::is_blank(name) => {
            Some(text("professional_name", name)?)
        }
        _ => None,
    };
    let role = match &member.role {
        ProfessionalRole::Other(name) => ProfessionalRole::Other(text("role", name)?),
        role => role.clone(),
    };
    let leads_on = if crate::rules::normalise::is_blank(&member.leads_on) {
        String::new()
    } else {
        text("leads_on", &member.leads_on)?
    };
    if member.to.is_some_and(|to| to < member.from) {
        return Err(TeamError::EndsBeforeStart);
    }
    Ok(Involvement {
        id: member.id,
        contact,
        professional_name,
        role,
        leads_on,
        from: member.from,
        to: member.to,
        household: member.household,
    })
}

/// Ends the current member `id` on `to`; returns the change in words.
/// Ends member `id` on `to`, written on London day `today`. An end before the start is
/// refused, except for a start still to come: dates entered here are never after today, so
/// such a start came in a transfer pack, kept as sent (docs/clinical-decisions.md). Ending
/// that member now withdraws an involvement that has not begun: it is recorded as ending on
/// its own start (the record never ends before it starts, so a later transfer pack still
/// passes its checks) and the change says so. Otherwise the receiving practitioner could not
/// end it until the date passed, and sharing would keep suggesting them (found by a fresh
/// attack: `core/tests/attack_subject_dates.rs`).
fn end_member(
    members: &mut [Involvement],
    id: Ulid,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<String, TeamError> {
    let member = members
        .iter_mut()
        .find(|m| m.id == id && m.is_current())
        .ok_or(TeamError::NoSuchMember)?;
    if to < member.from && member.from > today {
        member.to = Some(member.from);
        return Ok(format!(
            "Left the team around the child before the start the transfer pack gave ({}): {}",
            member.from.format("%-d %b %Y"),
            member.describe()
        ));
    }
    if to < member.from {
        return Err(TeamError::EndsBeforeStart);
    }
    member.to = Some(to);
    Ok(format!(
        "Left the team around the child on {}: {}",
        to.format("%-d %b %Y"),
        member.describe()
    ))
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

    #[test]
    fn taking_on_keeps_the_pack_ends_the_sending_team_and_adds_the_receiving_team() {
        let sender = PractitionerId::new();
        let (midwifery, gp, front_door, hv) =
            (TeamId::new(), TeamId::new(), TeamId::new(), TeamId::new());
        let mut sent = TeamAroundChild::new(PersonId::new(), HouseholdId::new(), sender, at());
        let midwife = sent
            .involve(
                directory_member(midwifery, "West midwifery", ProfessionalRole::Midwife),
                sender,
                at(),
            )
            .unwrap();
        sent.involve(
            directory_member(gp, "Fictional Lane surgery", ProfessionalRole::Gp),
            sender,
            at(),
        )
        .unwrap();
        let social_worker = sent
            .involve(
                directory_member(front_door, "Front door", ProfessionalRole::SocialWorker),
                sender,
                at(),
            )
            .unwrap();
        sent.set_lead(midwife, sender, at()).unwrap();

        let by = PractitionerId::new();
        let mut here = TeamAroundChild::new(PersonId::new(), HouseholdId::new(), by, at());
        let seed = TakeOnSeed {
            members: &sent.members,
            lead: sent.lead,
            sending: sent.member(midwife),
            receiving: directory_member(hv, "East HV", ProfessionalRole::HealthVisitor),
            on: day(7),
        };
        here.take_on(seed.clone(), by, at()).unwrap();
        let current: Vec<Option<TeamId>> = here.current().map(Involvement::team).collect();
        assert_eq!(current, vec![Some(gp), Some(front_door), Some(hv)]);
        let ended = here.member(midwife).expect("the sending team is kept");
        assert_eq!((ended.from, ended.to), (day(1), Some(day(7))));
        assert_eq!(here.lead, None, "the lead was the sending team");
        assert!(
            here.change.ends_with("no lead professional now"),
            "{}",
            here.change
        );
        assert!(
            here.member(social_worker).is_some(),
            "ids kept for the status"
        );

        // Taking the same pack on again adds no one twice.
        here.take_on(seed, by, at()).unwrap();
        assert_eq!(here.current().count(), 3);
        assert_eq!(here.members.len(), 4);
    }

    #[test]
    fn a_pack_member_that_would_be_refused_here_refuses_the_take_on_unchanged() {
        let by = PractitionerId::new();
        let mut bad = Involvement {
            id: Ulid::new(),
            contact: ContactRef::Directory {
                team: TeamId::new(),
                label: "   ".into(),
            },
            professional_name: None,
            role: ProfessionalRole::Gp,
            leads_on: String::new(),
            from: day(2),
            to: None,
            household: false,
        };
        let mut here = TeamAroundChild::new(PersonId::new(), HouseholdId::new(), by, at());
        let before = here.clone();
        fn seed(sending: &Involvement) -> TakeOnSeed<'_> {
            TakeOnSeed {
                members: &[],
                lead: None,
                sending: Some(sending),
                receiving: directory_member(
                    TeamId::new(),
                    "East HV",
                    ProfessionalRole::HealthVisitor,
                ),
                on: day(7),
            }
        }
        assert_eq!(
            here.take_on(seed(&bad), by, at()),
            Err(TeamError::Required { field: "label" })
        );
        bad.contact = ContactRef::Directory {
            team: TeamId::new(),
            label: "GP".into(),
        };
        bad.to = Some(day(1));
        assert_eq!(
            here.take_on(seed(&bad), by, at()),
            Err(TeamError::EndsBeforeStart)
        );
        assert_eq!(here, before);
    }
}

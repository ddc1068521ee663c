//! The Team around the child screen (issue 21 item 4): who is involved with one child now and
//! before, the lead professional, the children's social care status with the social worker
//! and since when, and who in the team has not yet been told about the child's latest open
//! concern.
//!
//! Owns the wording of each member (role, team, what they lead on, from and to dates, whether
//! they were added for the whole household), and the actions offered with whether each can be
//! pressed: involve a team from the directory or a contact, end an involvement, name the lead
//! professional, record the social care status, call a directory team, share the latest
//! concern, and start a transfer of care. The forms those actions open are
//! [`super::team_forms`]'s.
//!
//! Invariants, and why:
//! - Nothing is decided here: the members (household ones merged after the child's own), the
//!   lead and who has been told come from the team around the child
//!   ([`crate::app::TeamAroundChildHandle`]); the number to ring is the directory's choice at
//!   the screen's instant.
//! - Ended members stay on the screen with their dates, never dropped: the record is history.
//! - An action that cannot run now is offered disabled with why (a household member cannot be
//!   one child's lead professional; the team is changed on the household's record).

use super::call_words;
use super::visit::{person_label, sentence};
use crate::app::{AppError, Session};
use crate::casework::team_around_child::{Involvement, ProfessionalRole, SocialCareLevel};
use crate::model::{HouseholdId, Observation, ObservationId, PersonId, TeamId};
use chrono::NaiveDate;
use ulid::Ulid;

/// What the practitioner can do on the Team around the child screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TeamActionKind {
    /// Open the Involve form: `Session.new_team_form(child, TeamFormKind::Involve)`, rendered
    /// with `Session.team_form(draft)` and saved with `Session.save_team_form(draft)`.
    InvolveFromDirectory {
        /// The child.
        child: PersonId,
    },
    /// Open the Add a contact form (`TeamFormKind::AddContact`), as for Involve.
    InvolveContact {
        /// The child.
        child: PersonId,
    },
    /// End the member's involvement (ask the date): `end_involvement(child, member, to)`, or
    /// for a household member `end_household_involvement(household, member, to)`.
    EndInvolvement {
        /// The child.
        child: PersonId,
        /// The member.
        member: Ulid,
        /// The household whose record holds the member, when added for the household.
        household: Option<HouseholdId>,
    },
    /// `set_lead(child, member)`.
    SetLead {
        /// The child.
        child: PersonId,
        /// The member.
        member: Ulid,
    },
    /// Open the Record social care status form (`TeamFormKind::SocialCareStatus`), as for
    /// Involve.
    SetSocialCareStatus {
        /// The child.
        child: PersonId,
    },
    /// Phone the team (`Contacts.start_call(team, null, about)`).
    Call {
        /// The team.
        team: TeamId,
        /// The child, so the call joins their chronology.
        about: PersonId,
    },
    /// Open the Share screen with the latest concern.
    ShareLatestConcern {
        /// The child.
        about: PersonId,
        /// The concern.
        observation: ObservationId,
    },
    /// Open the Transfer of care screen for the child.
    Transfer {
        /// The child.
        child: PersonId,
    },
}

/// One action on the Team around the child screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TeamAction {
    /// What it does.
    pub kind: TeamActionKind,
    /// What the button says.
    pub label: String,
    /// Whether it can be pressed now.
    pub enabled: bool,
    /// Why not; or, for a call, why this number.
    pub detail: Option<String>,
}

/// One member of the team around the child.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TeamMemberRow {
    /// The member's id.
    pub member: Ulid,
    /// "Name, role (team)".
    pub title: String,
    /// "Health visitor".
    pub role: String,
    /// "Leads on feeding and weight", when they lead on something.
    pub leads_on: Option<String>,
    /// "From 2 Nov 2026", or "2 Nov 2026 to 20 Nov 2026" once ended.
    pub dates: String,
    /// "For the whole household", when added for the household.
    pub household: Option<String>,
    /// "Lead professional", when they are.
    pub lead: Option<String>,
    /// End, Make lead professional, Call (current members only).
    pub actions: Vec<TeamAction>,
}

/// The Team around the child screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TeamScreen {
    /// "Team around the child".
    pub title: String,
    /// Who it is about.
    pub about: String,
    /// "Lead professional: …" or that none is named.
    pub lead: String,
    /// "Children's social care: child in need since 3 Nov 2026" or that none is recorded.
    pub social_care: String,
    /// The social worker named on the status, or that none is recorded, when the child is open
    /// to social care.
    pub social_worker: Option<String>,
    /// "Since 3 Nov 2026", when a status is recorded.
    pub social_care_since: Option<String>,
    /// "Involved now".
    pub current_heading: String,
    /// Current members, the child's own first, then the household's.
    pub current: Vec<TeamMemberRow>,
    /// Shown instead of the current members when there are none.
    pub current_empty: Option<String>,
    /// "Previously involved".
    pub ended_heading: String,
    /// Ended members, with their dates.
    pub ended: Vec<TeamMemberRow>,
    /// "Not yet told about the latest concern (Domestic abuse, recorded 30 Nov 2026)", when the
    /// child has an open concern.
    pub not_told_heading: Option<String>,
    /// The members not sent the latest concern; a captured contact says to phone them.
    pub not_told: Vec<String>,
    /// The members sent it, with whether they acknowledged.
    pub told: Vec<String>,
    /// Involve from the directory, add a contact, record the status, share the latest concern,
    /// transfer of care.
    pub actions: Vec<TeamAction>,
}

fn date(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

impl Session {
    /// The Team around the child screen for `child` at the session clock's instant.
    ///
    /// Errors: [`AppError::NotFound`] for a person not on this phone; [`AppError::Validation`]
    /// (`child`) for someone who is not a child.
    pub fn team_screen(&self, child: PersonId) -> Result<TeamScreen, AppError> {
        let now = self.now()?;
        let person = self.person(child)?;
        let handle = self.team_around_child();
        let team = handle.team(child)?;
        let status = handle.social_care_status(child)?;
        let directory = self.directory();
        let calendar = self.rules().calendar();

        let members: Vec<Involvement> =
            team.as_ref().map(|t| t.members.clone()).unwrap_or_default();
        let lead = team.as_ref().and_then(|t| t.lead);
        let row = |m: &Involvement| -> TeamMemberRow {
            let is_lead = lead == Some(m.id) && m.is_current();
            let mut actions = Vec::new();
            if m.is_current() {
                actions.push(TeamAction {
                    kind: TeamActionKind::EndInvolvement {
                        child,
                        member: m.id,
                        household: m.household.then_some(person.household),
                    },
                    label: "End involvement".to_owned(),
                    enabled: true,
                    detail: m.household.then(|| {
                        "Added for the whole household: ending it ends it for every child of \
                         the household."
                            .to_owned()
                    }),
                });
                let (enabled, detail) = if is_lead {
                    (false, Some("Already the lead professional.".to_owned()))
                } else if m.household {
                    (
                        false,
                        Some(
                            "Added for the whole household: involve them for this child to \
                             name them lead professional."
                                .to_owned(),
                        ),
                    )
                } else {
                    (true, None)
                };
                actions.push(TeamAction {
                    kind: TeamActionKind::SetLead {
                        child,
                        member: m.id,
                    },
                    label: "Make lead professional".to_owned(),
                    enabled,
                    detail,
                });
                if let Some(team) = m.team() {
                    let words = call_words(&directory, team, None, now, calendar);
                    actions.push(TeamAction {
                        kind: TeamActionKind::Call { team, about: child },
                        label: words.label,
                        enabled: words.enabled,
                        detail: words.detail,
                    });
                }
            }
            TeamMemberRow {
                member: m.id,
                title: m.describe(),
                role: sentence(m.role.label()),
                leads_on: (!m.leads_on.is_empty()).then(|| format!("Leads on {}", m.leads_on)),
                dates: match m.to {
                    None => format!("From {}", date(m.from)),
                    Some(to) => format!("{} to {}", date(m.from), date(to)),
                },
                household: m.household.then(|| "For the whole household".to_owned()),
                lead: is_lead.then(|| "Lead professional".to_owned()),
                actions,
            }
        };
        let current: Vec<TeamMemberRow> =
            members.iter().filter(|m| m.is_current()).map(row).collect();
        let ended: Vec<TeamMemberRow> = members
            .iter()
            .filter(|m| !m.is_current())
            .map(row)
            .collect();
        let lead_words = match team.as_ref().and_then(|t| t.lead_professional()) {
            Some(m) if m.is_current() => format!("Lead professional: {}", m.describe()),
            _ => "No lead professional named".to_owned(),
        };

        let (social_care, social_worker, social_care_since) = match &status {
            None => (
                "No children's social care status recorded".to_owned(),
                None,
                None,
            ),
            Some(s) => (
                format!("Children's social care: {}", s.level.label()),
                match (s.level, &s.social_worker) {
                    (SocialCareLevel::NotOpen, _) => None,
                    (_, Some(w)) => Some(format!("Social worker: {}", w.describe())),
                    (_, None) => Some("Social worker not recorded".to_owned()),
                },
                Some(format!("Since {}", date(s.since))),
            ),
        };

        // The latest open concern: the one observed last (recorded last on a tie).
        let latest: Option<Observation> = self
            .observations_about(child)?
            .into_iter()
            .filter(Observation::is_open)
            .max_by_key(|o| (o.observed_at, o.recorded_at));
        let (not_told_heading, not_told, told, share_action) = match &latest {
            None => (None, Vec::new(), Vec::new(), None),
            Some(o) => {
                let state = handle.telling_state(o.id)?;
                let not_told: Vec<String> = state
                    .not_told
                    .iter()
                    .map(|m| match m.team() {
                        Some(_) => m.describe(),
                        None => {
                            format!("{}: phone them, the app cannot send to them", m.describe())
                        }
                    })
                    .collect();
                let told: Vec<String> = state
                    .told
                    .iter()
                    .map(|t| {
                        format!(
                            "{}: sent {}{}",
                            t.member.describe(),
                            date(super::time::london_date(t.sent_at)),
                            if t.acknowledged {
                                ", acknowledged"
                            } else {
                                ", not yet acknowledged"
                            }
                        )
                    })
                    .collect();
                let suggest = state.suggested_teams();
                let action = TeamAction {
                    kind: TeamActionKind::ShareLatestConcern {
                        about: child,
                        observation: o.id,
                    },
                    label: "Share the latest concern".to_owned(),
                    enabled: !suggest.is_empty(),
                    detail: if suggest.is_empty() {
                        Some("Every involved team in the directory has been sent it.".to_owned())
                    } else {
                        Some(
                            "Do not assume a colleague already has it: share with the involved \
                             teams not yet told."
                                .to_owned(),
                        )
                    },
                };
                (
                    Some(format!(
                        "Not yet told about the latest concern ({}, recorded {})",
                        sentence(o.category.label()),
                        date(super::time::london_date(o.recorded_at))
                    )),
                    not_told,
                    told,
                    Some(action),
                )
            }
        };

        let has_social_worker = members.iter().any(|m| {
            m.is_current()
                && matches!(
                    m.role,
                    ProfessionalRole::SocialWorker | ProfessionalRole::EarlyHelpWorker
                )
        });
        let mut actions = vec![
            TeamAction {
                kind: TeamActionKind::InvolveFromDirectory { child },
                label: "Involve a team from the directory".to_owned(),
                enabled: true,
                detail: None,
            },
            TeamAction {
                kind: TeamActionKind::InvolveContact { child },
                label: "Add a contact not in the directory".to_owned(),
                enabled: true,
                detail: None,
            },
            TeamAction {
                kind: TeamActionKind::SetSocialCareStatus { child },
                label: "Record social care status".to_owned(),
                enabled: true,
                detail: (!has_social_worker).then(|| {
                    "No social worker or early help worker is in the team: add them first to \
                     name them on the status."
                        .to_owned()
                }),
            },
        ];
        actions.extend(share_action);
        actions.push(TeamAction {
            kind: TeamActionKind::Transfer { child },
            label: "Transfer of care".to_owned(),
            enabled: true,
            detail: Some("When the family moves to another team's area.".to_owned()),
        });

        Ok(TeamScreen {
            title: "Team around the child".to_owned(),
            about: person_label(&person, now),
            lead: lead_words,
            social_care,
            social_worker,
            social_care_since,
            current_heading: "Involved now".to_owned(),
            current_empty: current.is_empty().then(|| {
                "No one is recorded as involved: involve the teams and professionals who work \
                 with the child."
                    .to_owned()
            }),
            current,
            ended_heading: "Previously involved".to_owned(),
            ended,
            not_told_heading,
            not_told,
            told,
            actions,
        })
    }
}

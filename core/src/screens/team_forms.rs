//! The three forms of the Team around the child screen (issue 21 item 4): involve a team from
//! the directory, add a contact who is not in it, and record the children's social care status.
//!
//! Owns each form's fields in the order they are shown (labels, hints, the choices offered —
//! directory teams found by name, roles, social care levels, the social workers who can be
//! named — the date fields, what is required, what is wrong with a value), and whether Save can
//! be pressed; and Save itself ([`Session::save_team_form`]), which builds the same form and
//! refuses unless its Save is enabled, so what the shell shows enabled and what is accepted
//! cannot drift apart. The shell keeps a [`TeamFormDraft`] while the form is open, changes it
//! only through [`TeamFormDraft::with_text`], [`TeamFormDraft::with_choice`],
//! [`TeamFormDraft::with_date`] and [`TeamFormDraft::with_household`], and passes it back.
//!
//! Invariants, and why:
//! - Nothing is recorded here but through the team around the child
//!   ([`crate::app::TeamAroundChildHandle`]): its rules (a directory team must be in the
//!   directory and takes the directory's name, the same party is not involved twice in one role,
//!   a named social worker is a current social worker or early help worker) still decide; this
//!   module only checks beforehand what it can show next to a field.
//! - Dates are never filled in for the practitioner: "involved from" and "since" are facts about
//!   the family, and a date no one chose would be recorded as if it were one
//!   (docs/clinical-decisions.md, "Team around the child forms"). They are typed (YYYY-MM-DD) and
//!   read here, as the shells format and read no dates. Which dates can be recorded (not after
//!   today, not more than 42 weeks before the child's date of birth or expected date of
//!   delivery; for a household member, not more than 25 years and 42 weeks before today) is
//!   the team around the child's rule ([`DateBounds`]), which refuses them on
//!   every write path; the form shows the same problem, in the same words, next to the field.
//! - A captured phone number is checked as the record checks it (a UK number), as it is typed.

use super::visit::{person_label, sentence};
use crate::app::{AppError, Session};
use crate::boundary::parse_date;
use crate::casework::checklist::ContactRef;
use crate::casework::team_around_child::{
    DateBounds, NewInvolvement, NewSocialCareStatus, ProfessionalRole, SocialCareLevel,
};
use crate::directory::PhoneNumber;
use crate::model::{london_date, PersonId, TeamId, MAX_FREE_TEXT_CHARS};
use crate::rules::normalise::is_blank;
use chrono::NaiveDate;
use ulid::Ulid;

/// The most directory teams a search offers at once: a phone screen, not a report. A longer
/// result asks for more of the name.
pub const MAX_TEAMS_OFFERED: usize = 25;

/// Which form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TeamFormKind {
    /// Involve a team from the directory.
    Involve,
    /// Add a contact who is not in the directory.
    AddContact,
    /// Record the children's social care status.
    SocialCareStatus,
}

/// What the practitioner has chosen and typed on a Team around the child form so far (kept by
/// the shell while the form is open and passed back with each change).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TeamFormDraft {
    /// The child.
    pub child: PersonId,
    /// Which form.
    pub form: TeamFormKind,
    /// The team search, as typed (Involve).
    pub team_search: String,
    /// The directory team chosen (Involve).
    pub team: Option<TeamId>,
    /// The role chosen (Involve, Add a contact); `Other` names it in `other_role`.
    pub role: Option<ProfessionalRole>,
    /// The role's name when `Other`.
    pub other_role: String,
    /// The named professional, when known (Involve).
    pub professional_name: String,
    /// What they lead on; may be empty.
    pub leads_on: String,
    /// The contact's name (Add a contact).
    pub contact_name: String,
    /// The contact's role and organisation (Add a contact).
    pub contact_role: String,
    /// The contact's in-hours number (Add a contact).
    pub phone: String,
    /// The contact's out-of-hours number, when they have one (Add a contact).
    pub out_of_hours_phone: String,
    /// Involved from (Involve, Add a contact), as typed (YYYY-MM-DD).
    pub from: String,
    /// Involved for every child of the household, not only this child.
    pub for_household: bool,
    /// The social care level chosen (Social care status).
    pub level: Option<SocialCareLevel>,
    /// The social worker named (a current member), or `None` for not recorded.
    pub social_worker: Option<Ulid>,
    /// Since when (Social care status), as typed (YYYY-MM-DD).
    pub since: String,
}

impl TeamFormDraft {
    /// An empty draft of `form` for `child`: nothing chosen, no date filled in.
    pub fn new(child: PersonId, form: TeamFormKind) -> Self {
        Self {
            child,
            form,
            team_search: String::new(),
            team: None,
            role: None,
            other_role: String::new(),
            professional_name: String::new(),
            leads_on: String::new(),
            contact_name: String::new(),
            contact_role: String::new(),
            phone: String::new(),
            out_of_hours_phone: String::new(),
            from: String::new(),
            for_household: false,
            level: None,
            social_worker: None,
            since: String::new(),
        }
    }

    /// The draft with the text field `key` set to `value`.
    pub fn with_text(mut self, key: TeamFormTextKey, value: String) -> Self {
        match key {
            TeamFormTextKey::TeamSearch => self.team_search = value,
            TeamFormTextKey::OtherRole => self.other_role = value,
            TeamFormTextKey::ProfessionalName => self.professional_name = value,
            TeamFormTextKey::LeadsOn => self.leads_on = value,
            TeamFormTextKey::ContactName => self.contact_name = value,
            TeamFormTextKey::ContactRole => self.contact_role = value,
            TeamFormTextKey::Phone => self.phone = value,
            TeamFormTextKey::OutOfHoursPhone => self.out_of_hours_phone = value,
        }
        self
    }

    /// The draft with `choice` chosen.
    pub fn with_choice(mut self, choice: TeamFormChoice) -> Self {
        match choice {
            TeamFormChoice::Team { team } => self.team = Some(team),
            TeamFormChoice::Role { role } => self.role = Some(role),
            TeamFormChoice::Level { level } => {
                self.level = Some(level);
                // Not open to social care names no social worker.
                if level == SocialCareLevel::NotOpen {
                    self.social_worker = None;
                }
            }
            TeamFormChoice::SocialWorker { member } => self.social_worker = member,
        }
        self
    }

    /// The draft with the date field `key` set to `value` (as typed; core reads it).
    pub fn with_date(mut self, key: TeamFormDateKey, value: String) -> Self {
        match key {
            TeamFormDateKey::From => self.from = value,
            TeamFormDateKey::Since => self.since = value,
        }
        self
    }

    /// The draft with "for the whole household" set.
    pub fn with_household(mut self, value: bool) -> Self {
        self.for_household = value;
        self
    }
}

/// A text field of a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TeamFormTextKey {
    /// The directory search.
    TeamSearch,
    /// The name of an "other" role.
    OtherRole,
    /// The named professional.
    ProfessionalName,
    /// What they lead on.
    LeadsOn,
    /// The contact's name.
    ContactName,
    /// The contact's role and organisation.
    ContactRole,
    /// The contact's in-hours number.
    Phone,
    /// The contact's out-of-hours number.
    OutOfHoursPhone,
}

/// A date field of a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TeamFormDateKey {
    /// Involved from.
    From,
    /// Social care status since.
    Since,
}

/// A list of choices of a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TeamFormListKey {
    /// The directory teams found.
    Team,
    /// The role.
    Role,
    /// The social care level.
    Level,
    /// The social worker named on the status.
    SocialWorker,
}

/// One choice to tap: pass it to [`TeamFormDraft::with_choice`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TeamFormChoice {
    /// A directory team.
    Team {
        /// The team.
        team: TeamId,
    },
    /// A role (`Other` with an empty name: the name is typed in the "other role" field).
    Role {
        /// The role.
        role: ProfessionalRole,
    },
    /// A social care level.
    Level {
        /// The level.
        level: SocialCareLevel,
    },
    /// A social worker of the team around the child, or `None`: not recorded.
    SocialWorker {
        /// The member.
        member: Option<Ulid>,
    },
}

/// A text field.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TeamFormText {
    /// Which field (for [`TeamFormDraft::with_text`]).
    pub key: TeamFormTextKey,
    /// The label.
    pub label: String,
    /// The line under it.
    pub hint: String,
    /// What it holds.
    pub value: String,
    /// Whether Save needs it.
    pub required: bool,
    /// What is wrong with it, if anything.
    pub problem: Option<String>,
}

/// One option of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TeamFormOption {
    /// What tapping it chooses.
    pub choice: TeamFormChoice,
    /// What it says.
    pub label: String,
    /// The line under it ("Fictional Trust · Health visiting", "Already involved as GP").
    pub detail: Option<String>,
    /// Whether it is the one chosen.
    pub selected: bool,
}

/// A list of options, one to choose.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TeamFormList {
    /// Which list.
    pub key: TeamFormListKey,
    /// The label.
    pub label: String,
    /// The line under it.
    pub hint: String,
    /// Whether Save needs a choice.
    pub required: bool,
    /// The options.
    pub options: Vec<TeamFormOption>,
    /// Shown instead of the options when there are none.
    pub empty: Option<String>,
}

/// A date field, typed (the shells format no dates: core reads and words them).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TeamFormDate {
    /// Which field (for [`TeamFormDraft::with_date`]).
    pub key: TeamFormDateKey,
    /// The label.
    pub label: String,
    /// The line under it, with how to write the date.
    pub hint: String,
    /// What it holds, as typed.
    pub value: String,
    /// The date read, in words ("2 Nov 2026"), or "Not given" / "Not a date".
    pub shown: String,
    /// The date read, when it is one.
    pub date: Option<NaiveDate>,
    /// Whether Save needs it.
    pub required: bool,
    /// What is wrong with it, if anything.
    pub problem: Option<String>,
}

/// A yes/no switch.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TeamFormToggle {
    /// The label.
    pub label: String,
    /// The line under it.
    pub hint: String,
    /// Whether it is on.
    pub value: bool,
}

/// One element of a form, in the order shown.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TeamFormItem {
    /// A text field.
    Text {
        /// The field.
        field: TeamFormText,
    },
    /// A list of choices.
    Choices {
        /// The list.
        list: TeamFormList,
    },
    /// A date.
    Date {
        /// The field.
        field: TeamFormDate,
    },
    /// "For the whole household".
    Household {
        /// The switch.
        toggle: TeamFormToggle,
    },
}

/// A Team around the child form.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TeamFormScreen {
    /// "Involve a team from the directory", "Add a contact not in the directory", "Record
    /// children's social care status".
    pub title: String,
    /// Who it is about.
    pub about: String,
    /// The form's fields, in order.
    pub items: Vec<TeamFormItem>,
    /// What Save says ("Involve Westshire Health Visiting", "Save contact", "Record status").
    pub save_label: String,
    /// Whether Save can be pressed: every required field filled, nothing wrong.
    pub save_enabled: bool,
    /// Why not, or what Save does.
    pub save_detail: String,
}

/// What Save recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TeamFormSaved {
    /// "Westshire Health Visiting joined the team around the child", for the shell to show.
    pub message: String,
    /// The member added (Involve, Add a contact).
    pub member: Option<Ulid>,
}

fn date_words(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// Every role offered, in the order the issue lists them.
fn roles() -> [ProfessionalRole; 9] {
    [
        ProfessionalRole::Midwife,
        ProfessionalRole::HealthVisitor,
        ProfessionalRole::Gp,
        ProfessionalRole::SchoolNurse,
        ProfessionalRole::Paediatrician,
        ProfessionalRole::Camhs,
        ProfessionalRole::SocialWorker,
        ProfessionalRole::EarlyHelpWorker,
        ProfessionalRole::Other(String::new()),
    ]
}

fn same_role_kind(a: &ProfessionalRole, b: &ProfessionalRole) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// A free-text field's problem: too long (blank is "required", said by Save's detail).
fn too_long(value: &str) -> Option<String> {
    (value.chars().count() > MAX_FREE_TEXT_CHARS)
        .then(|| format!("At most {MAX_FREE_TEXT_CHARS} characters."))
}

fn phone_problem(value: &str) -> Option<String> {
    if is_blank(value) {
        return None;
    }
    PhoneNumber::parse_uk(value.trim())
        .err()
        .map(|_| "Not a UK phone number: check the digits.".to_owned())
}

/// The form being built: its items and the first thing missing or wrong.
struct Form {
    items: Vec<TeamFormItem>,
    missing: Option<String>,
}

impl Form {
    fn need(&mut self, why: impl Into<String>) {
        if self.missing.is_none() {
            self.missing = Some(why.into());
        }
    }

    fn text(&mut self, key: TeamFormTextKey, label: &str, hint: &str, value: &str, required: bool) {
        let problem = match key {
            TeamFormTextKey::Phone | TeamFormTextKey::OutOfHoursPhone => phone_problem(value),
            _ => too_long(value),
        };
        if required && is_blank(value) {
            self.need(format!("Fill in \"{label}\"."));
        }
        if let Some(p) = &problem {
            self.need(format!("{label}: {p}"));
        }
        self.items.push(TeamFormItem::Text {
            field: TeamFormText {
                key,
                label: label.to_owned(),
                hint: hint.to_owned(),
                value: value.to_owned(),
                required,
                problem,
            },
        });
    }

    fn date(
        &mut self,
        key: TeamFormDateKey,
        label: &str,
        hint: &str,
        value: &str,
        bounds: DateBounds,
    ) {
        let read = if is_blank(value) {
            None
        } else {
            Some(parse_date(key_name(key), value).ok())
        };
        let date = read.flatten();
        let problem = match read {
            Some(None) => Some("Write the date as YYYY-MM-DD, for example 2026-11-02.".to_owned()),
            // The handle's own rule and wording: what Save would be refused for.
            Some(Some(d)) => bounds.problem(d).map(|p| p.to_string()),
            None => None,
        };
        match (&read, &problem) {
            (None, _) => self.need(format!("Give \"{label}\".")),
            (Some(_), Some(p)) => self.need(format!("{label}: {p}")),
            _ => {}
        }
        self.items.push(TeamFormItem::Date {
            field: TeamFormDate {
                key,
                label: label.to_owned(),
                hint: format!("{hint} Written YYYY-MM-DD."),
                value: value.to_owned(),
                shown: match read {
                    None => "Not given".to_owned(),
                    Some(None) => "Not a date".to_owned(),
                    Some(Some(d)) => date_words(d),
                },
                date,
                required: true,
                problem,
            },
        });
    }

    fn roles(&mut self, draft: &TeamFormDraft) {
        let options = roles()
            .into_iter()
            .map(|role| TeamFormOption {
                selected: draft
                    .role
                    .as_ref()
                    .is_some_and(|r| same_role_kind(r, &role)),
                label: match &role {
                    ProfessionalRole::Other(_) => "Other (name the role)".to_owned(),
                    r => sentence(r.label()),
                },
                detail: None,
                choice: TeamFormChoice::Role { role },
            })
            .collect();
        if draft.role.is_none() {
            self.need("Choose their role.");
        }
        self.items.push(TeamFormItem::Choices {
            list: TeamFormList {
                key: TeamFormListKey::Role,
                label: "Their role with the child".to_owned(),
                hint: "Choose one.".to_owned(),
                required: true,
                options,
                empty: None,
            },
        });
        if matches!(draft.role, Some(ProfessionalRole::Other(_))) {
            self.text(
                TeamFormTextKey::OtherRole,
                "The role",
                "For example \"family nurse\" or \"police officer\".",
                &draft.other_role,
                true,
            );
        }
    }

    fn involvement_tail(&mut self, draft: &TeamFormDraft, bounds: DateBounds) {
        self.text(
            TeamFormTextKey::LeadsOn,
            "What they lead on",
            "For example \"feeding and weight\"; leave empty when nothing in particular.",
            &draft.leads_on,
            false,
        );
        self.date(
            TeamFormDateKey::From,
            "Involved from",
            "The date they started working with the child.",
            &draft.from,
            // A household member may have started with an older sibling, before this child.
            if draft.for_household {
                DateBounds::for_household(bounds.today)
            } else {
                bounds
            },
        );
        self.items.push(TeamFormItem::Household {
            toggle: TeamFormToggle {
                label: "For every child of the household".to_owned(),
                hint: "Siblings share the health visitor, the GP and often the social worker. \
                       The lead professional is still named for each child."
                    .to_owned(),
                value: draft.for_household,
            },
        });
    }
}

/// The role as recorded: `Other` takes the typed name.
fn chosen_role(draft: &TeamFormDraft) -> Option<ProfessionalRole> {
    match &draft.role {
        Some(ProfessionalRole::Other(_)) => Some(ProfessionalRole::Other(draft.other_role.clone())),
        other => other.clone(),
    }
}

fn key_name(key: TeamFormDateKey) -> &'static str {
    match key {
        TeamFormDateKey::From => "from",
        TeamFormDateKey::Since => "since",
    }
}

/// A date field as Save reads it (the form already showed it valid, or Save was refused).
fn read_date(key: TeamFormDateKey, value: &str) -> Result<NaiveDate, AppError> {
    parse_date(key_name(key), value)
        .map_err(|_| AppError::validation(key_name(key), "a date is written YYYY-MM-DD"))
}

fn optional(value: &str) -> Option<String> {
    (!is_blank(value)).then(|| value.to_owned())
}

impl Session {
    /// The Team around the child form for `draft` at the session clock's instant. Call again
    /// after each change to the draft.
    ///
    /// Errors: [`AppError::NotFound`] for a person not on this phone; [`AppError::Validation`]
    /// (`child`) for someone who is not a child.
    pub fn team_form(&self, draft: &TeamFormDraft) -> Result<TeamFormScreen, AppError> {
        let now = self.now()?;
        let today = london_date(now);
        let person = self.person(draft.child)?;
        if !person.role.is_child() {
            return Err(AppError::validation(
                "child",
                "the team around the child is kept for a child",
            ));
        }
        let members = self.team_around_child().members(draft.child)?;
        let bounds = DateBounds::for_child(today, &person);
        let mut form = Form {
            items: Vec::new(),
            missing: None,
        };
        let (title, save_label, saves) = match draft.form {
            TeamFormKind::Involve => {
                let directory = self.directory();
                let chosen = draft.team.and_then(|t| directory.team(t));
                form.text(
                    TeamFormTextKey::TeamSearch,
                    "Find the team",
                    "Type part of the team's or its organisation's name.",
                    &draft.team_search,
                    false,
                );
                // The chosen team first (it stays offered while the search changes), then what
                // the search finds.
                let found = directory.find_teams_by_name(&draft.team_search);
                let many = found.len() > MAX_TEAMS_OFFERED;
                let teams = chosen
                    .into_iter()
                    .chain(found.into_iter().filter(|t| Some(t.id) != draft.team))
                    .take(MAX_TEAMS_OFFERED);
                let options: Vec<TeamFormOption> = teams
                    .map(|t| {
                        let organisation = directory
                            .organisation(t.organisation)
                            .map(|o| o.name.as_str())
                            .unwrap_or("Organisation not in the directory");
                        let already: Vec<String> = members
                            .iter()
                            .filter(|m| m.is_current() && m.team() == Some(t.id))
                            .map(|m| m.role.label().to_owned())
                            .collect();
                        TeamFormOption {
                            choice: TeamFormChoice::Team { team: t.id },
                            label: t.name.clone(),
                            detail: Some(if already.is_empty() {
                                format!("{organisation} · {}", t.service.label())
                            } else {
                                format!(
                                    "{organisation} · already involved as {}",
                                    already.join(", ")
                                )
                            }),
                            selected: Some(t.id) == draft.team,
                        }
                    })
                    .collect();
                let empty = options.is_empty().then(|| {
                    if is_blank(&draft.team_search) {
                        "Type a name to find the team in this phone's directory.".to_owned()
                    } else {
                        "No team in this phone's directory has that name: add them as a \
                         contact instead."
                            .to_owned()
                    }
                });
                if chosen.is_none() {
                    form.need(if draft.team.is_some() {
                        "That team is not in this phone's directory: choose another."
                    } else {
                        "Choose the team."
                    });
                }
                form.items.push(TeamFormItem::Choices {
                    list: TeamFormList {
                        key: TeamFormListKey::Team,
                        label: "Team".to_owned(),
                        hint: if many {
                            format!("The first {MAX_TEAMS_OFFERED} found: type more of the name.")
                        } else {
                            "Choose one.".to_owned()
                        },
                        required: true,
                        options,
                        empty,
                    },
                });
                form.roles(draft);
                form.text(
                    TeamFormTextKey::ProfessionalName,
                    "The professional's name",
                    "When known, for example the allocated social worker.",
                    &draft.professional_name,
                    false,
                );
                form.involvement_tail(draft, bounds);
                (
                    "Involve a team from the directory",
                    match chosen {
                        Some(t) => format!("Involve {}", t.name),
                        None => "Involve".to_owned(),
                    },
                    "Adds them to the team around the child; it appears in the chronology.",
                )
            }
            TeamFormKind::AddContact => {
                form.text(
                    TeamFormTextKey::ContactName,
                    "Name",
                    "The professional's name.",
                    &draft.contact_name,
                    true,
                );
                form.text(
                    TeamFormTextKey::ContactRole,
                    "Role and organisation",
                    "For example \"family nurse, Fictional Family Nurse Partnership\".",
                    &draft.contact_role,
                    true,
                );
                form.text(
                    TeamFormTextKey::Phone,
                    "Phone number",
                    "The number to ring in working hours.",
                    &draft.phone,
                    true,
                );
                form.text(
                    TeamFormTextKey::OutOfHoursPhone,
                    "Out-of-hours number",
                    "Leave empty when they have none.",
                    &draft.out_of_hours_phone,
                    false,
                );
                form.roles(draft);
                form.involvement_tail(draft, bounds);
                (
                    "Add a contact not in the directory",
                    "Save contact".to_owned(),
                    "The app cannot send to a contact: it reminds you to phone them.",
                )
            }
            TeamFormKind::SocialCareStatus => {
                let levels = [
                    SocialCareLevel::NotOpen,
                    SocialCareLevel::EarlyHelp,
                    SocialCareLevel::ChildInNeed,
                    SocialCareLevel::ChildProtectionPlan,
                    SocialCareLevel::LookedAfter,
                ];
                if draft.level.is_none() {
                    form.need("Choose the status.");
                }
                form.items.push(TeamFormItem::Choices {
                    list: TeamFormList {
                        key: TeamFormListKey::Level,
                        label: "Children's social care status".to_owned(),
                        hint: "As children's social care recorded it.".to_owned(),
                        required: true,
                        options: levels
                            .into_iter()
                            .map(|level| TeamFormOption {
                                choice: TeamFormChoice::Level { level },
                                label: sentence(level.label()),
                                detail: None,
                                selected: draft.level == Some(level),
                            })
                            .collect(),
                        empty: None,
                    },
                });
                if draft.level != Some(SocialCareLevel::NotOpen) {
                    let workers: Vec<_> = members
                        .iter()
                        .filter(|m| {
                            m.is_current()
                                && matches!(
                                    m.role,
                                    ProfessionalRole::SocialWorker
                                        | ProfessionalRole::EarlyHelpWorker
                                )
                        })
                        .collect();
                    if let Some(id) = draft.social_worker {
                        if !workers.iter().any(|m| m.id == id) {
                            form.need(
                                "The social worker chosen is no longer in the team: choose again.",
                            );
                        }
                    }
                    let mut options = vec![TeamFormOption {
                        choice: TeamFormChoice::SocialWorker { member: None },
                        label: "Not recorded (not yet allocated or not known)".to_owned(),
                        detail: None,
                        selected: draft.social_worker.is_none(),
                    }];
                    options.extend(workers.iter().map(|m| TeamFormOption {
                        choice: TeamFormChoice::SocialWorker { member: Some(m.id) },
                        label: m.describe(),
                        detail: None,
                        selected: draft.social_worker == Some(m.id),
                    }));
                    form.items.push(TeamFormItem::Choices {
                        list: TeamFormList {
                            key: TeamFormListKey::SocialWorker,
                            label: "Social worker".to_owned(),
                            hint: if workers.is_empty() {
                                "No social worker or early help worker is in the team: add them \
                                 first to name them here."
                                    .to_owned()
                            } else {
                                "Choose who holds the case.".to_owned()
                            },
                            required: false,
                            options,
                            empty: None,
                        },
                    });
                }
                form.date(
                    TeamFormDateKey::Since,
                    "Since",
                    "The date children's social care recorded this status.",
                    &draft.since,
                    bounds,
                );
                (
                    "Record children's social care status",
                    "Record status".to_owned(),
                    "A new version of the status; the earlier one stays in the history.",
                )
            }
        };
        Ok(TeamFormScreen {
            title: title.to_owned(),
            about: person_label(&person, now),
            items: form.items,
            save_label,
            save_enabled: form.missing.is_none(),
            save_detail: form.missing.unwrap_or_else(|| saves.to_owned()),
        })
    }

    /// Saves the form: builds it as [`Session::team_form`] does and refuses unless its Save is
    /// enabled (nothing written), then records it through the team around the child.
    ///
    /// Errors: [`AppError::Validation`] (`form`) with what is missing or wrong; the team around
    /// the child's own refusals (a team not in the directory, already involved in this role, a
    /// social worker who is not a current member, a date outside [`DateBounds`] — the form
    /// shows the same problem, so only a London midnight between building it and Save can
    /// reach this); store errors.
    pub fn save_team_form(&self, draft: &TeamFormDraft) -> Result<TeamFormSaved, AppError> {
        let screen = self.team_form(draft)?;
        if !screen.save_enabled {
            return Err(AppError::validation(
                "form",
                crate::app::Reason::Rule(screen.save_detail.into()),
            ));
        }
        let handle = self.team_around_child();
        // Every value below was checked present by the form: a `None` here is refused anyway.
        let missing = || AppError::validation("form", "the form is incomplete");
        match draft.form {
            TeamFormKind::Involve | TeamFormKind::AddContact => {
                let contact = match draft.form {
                    TeamFormKind::Involve => ContactRef::Directory {
                        team: draft.team.ok_or_else(missing)?,
                        label: String::new(),
                    },
                    _ => ContactRef::Captured {
                        name: draft.contact_name.clone(),
                        role: draft.contact_role.clone(),
                        phone: draft.phone.clone(),
                        out_of_hours_phone: optional(&draft.out_of_hours_phone),
                    },
                };
                let new = NewInvolvement {
                    contact,
                    professional_name: match draft.form {
                        TeamFormKind::Involve => optional(&draft.professional_name),
                        _ => None,
                    },
                    role: chosen_role(draft).ok_or_else(missing)?,
                    leads_on: draft.leads_on.clone(),
                    from: read_date(TeamFormDateKey::From, &draft.from)?,
                };
                let member = if draft.for_household {
                    let household = self.person(draft.child)?.household;
                    handle.involve_for_household(household, new)?
                } else {
                    handle.involve(draft.child, new)?
                };
                let who = handle
                    .members(draft.child)?
                    .into_iter()
                    .find(|m| m.id == member)
                    .map_or_else(|| "They".to_owned(), |m| sentence(&m.describe()));
                Ok(TeamFormSaved {
                    message: if draft.for_household {
                        format!("{who} joined the team of every child of the household")
                    } else {
                        format!("{who} joined the team around the child")
                    },
                    member: Some(member),
                })
            }
            TeamFormKind::SocialCareStatus => {
                let level = draft.level.ok_or_else(missing)?;
                let status = handle.set_social_care_status(
                    draft.child,
                    NewSocialCareStatus {
                        level,
                        // Not open to social care names no social worker, whatever the draft
                        // still holds.
                        social_worker: draft
                            .social_worker
                            .filter(|_| level != SocialCareLevel::NotOpen),
                        since: read_date(TeamFormDateKey::Since, &draft.since)?,
                    },
                )?;
                Ok(TeamFormSaved {
                    message: status.summary(),
                    member: None,
                })
            }
        }
    }
}

//! The Set up screen: who uses this phone (the practitioner's name and every team they work
//! in), the enrolment code, the regional server, and why the store did not open at launch.
//!
//! Owns the wording of the three stages a phone passes through and of the one recovery shown
//! when the store cannot be opened:
//! - before set-up, with no session ([`SetUpScreen::before_set_up`]): the name field, the
//!   team search over the directory copy shipped with the app, the teams chosen so far (all of
//!   them: both shells kept only the first team, so a practitioner in two teams lost one), and
//!   "Set up this phone", enabled only when [`Identity::before_enrolment`] accepts the draft;
//! - set up but not enrolled, and enrolled ([`Session::set_up_screen`]): the identity the store
//!   keeps (every team), the enrolment code field and "Enrol this phone" / "Re-enrol";
//! - the store did not open at launch ([`SetUpScreen::cannot_open`]): one typed
//!   [`Recovery`] per public error, worded once here, so both shells show the same words and
//!   offer the same actions.
//!
//! Invariants, and why:
//! - Whether the draft may be set up is the identity's own check ([`Identity::before_enrolment`]),
//!   never a second copy of it here.
//! - "Enrol" is always offered, disabled with why before set-up or without a code: the
//!   practitioner must see that enrolment is the next step.
//! - A key that does not open the store never offers to erase it from the phone: what was not
//!   yet sent is only on this phone, so the recovery is the service desk's (the safer reading,
//!   docs/clinical-decisions.md, "Screens").
//! - Nothing here logs; the typed name and code stay in the record the shell passed in.

use super::Tone;
use crate::app::{AppError, Identity, Session, TeamMembership};
use crate::boundary::SafeShareError;
use crate::directory::Directory;
use crate::model::TeamId;
use crate::sync::client::SyncSummary;

/// What the practitioner has typed and chosen on the set-up screen so far. The shell keeps it
/// while the screen is open and passes it back with each change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SetUpDraft {
    /// "Your name" as typed.
    pub practitioner_name: String,
    /// The team search box as typed.
    pub team_query: String,
    /// Every team chosen so far, in the order chosen.
    pub teams: Vec<TeamMembership>,
    /// The one-time enrolment code as typed.
    pub enrolment_code: String,
}

/// Where this phone stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SetUpStage {
    /// No store yet: who uses this phone.
    NotSetUp,
    /// Set up, not yet enrolled with the regional server.
    NotEnrolled,
    /// Enrolled.
    Enrolled,
    /// Enrolled once, but the server no longer knows this phone: re-enrol.
    NeedsReenrolment,
    /// The store is there but did not open (see [`SetUpScreen::recovery`]).
    CannotOpen,
}

/// What the practitioner can do on the set-up screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SetUpActionKind {
    /// Add this team to the draft's teams (the shell appends `TeamMembership(team, name)`).
    AddTeam {
        /// The team.
        team: TeamId,
        /// Its name, as the directory gives it.
        name: String,
    },
    /// Take this team out of the draft's teams.
    RemoveTeam {
        /// The team.
        team: TeamId,
    },
    /// Set up this phone: `Session.open(dbPath, secrets, clock,
    /// identityBeforeEnrolment(name, teams), directory)`.
    SetUp,
    /// Enrol (or re-enrol) with the code typed: `Sync.enrol(server, code)`.
    Enrol,
    /// Open the store again (`Session.resume`): after the keystore is unlocked or restored.
    TryAgain,
}

/// One action on the set-up screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SetUpAction {
    /// What it does.
    pub kind: SetUpActionKind,
    /// What the button says.
    pub label: String,
    /// Whether it can be pressed now.
    pub enabled: bool,
    /// Why not, when it cannot.
    pub detail: Option<String>,
}

/// A text field on the set-up screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SetUpField {
    /// The field's label.
    pub label: String,
    /// The line under it.
    pub hint: String,
    /// What it holds (the draft's text, or the identity's once set up).
    pub value: String,
    /// Whether it can be typed in (the name is fixed once the phone is set up).
    pub editable: bool,
}

/// A team, chosen or found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SetUpTeamRow {
    /// The team.
    pub team: TeamId,
    /// Its name.
    pub title: String,
    /// "Fictional East Trust · health visiting", or why it is not in the directory.
    pub subtitle: String,
    /// "Add" or "Remove" (none once set up: enrolment decides the teams then).
    pub actions: Vec<SetUpAction>,
}

/// Why the store did not open, and the one way out, the same on both shells.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Recovery {
    /// How loudly to show it.
    pub tone: Tone,
    /// "The records on this phone cannot be opened".
    pub title: String,
    /// What happened and what was (not) changed.
    pub text: String,
    /// What to do, in order.
    pub steps: Vec<String>,
    /// What can be pressed ("Try again").
    pub actions: Vec<SetUpAction>,
}

/// The set-up screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SetUpScreen {
    /// "Set up SafeShare on this phone" or "This phone".
    pub title: String,
    /// Where the phone stands.
    pub stage: SetUpStage,
    /// The line under the title.
    pub status: String,
    /// The practitioner's name.
    pub name: SetUpField,
    /// "Your teams".
    pub teams_heading: String,
    /// Every team chosen (before set-up) or kept by the store (after).
    pub teams: Vec<SetUpTeamRow>,
    /// Shown instead of the teams when there are none.
    pub teams_empty: Option<String>,
    /// The team search field (before set-up only).
    pub team_search: Option<SetUpField>,
    /// Teams matching the search and not yet chosen, by name.
    pub found: Vec<SetUpTeamRow>,
    /// Above the teams when the directory is sample data.
    pub directory_warning: Option<String>,
    /// The one-time enrolment code field.
    pub enrolment_code: SetUpField,
    /// "Server: https://…" (the address the app is configured with).
    pub server: String,
    /// Why the store did not open (stage `CannotOpen` only).
    pub recovery: Option<Recovery>,
    /// "Set up this phone", "Enrol this phone".
    pub actions: Vec<SetUpAction>,
}

const NAME_LABEL: &str = "Your name";
const NAME_HINT: &str = "As colleagues will see it on what you share and acknowledge.";
const CODE_LABEL: &str = "Enrolment code";
const CODE_HINT: &str = "The one-time code from your region's administrator.";

fn action(kind: SetUpActionKind, label: &str, enabled: bool, detail: Option<&str>) -> SetUpAction {
    SetUpAction {
        kind,
        label: label.to_owned(),
        enabled,
        detail: detail.map(str::to_owned),
    }
}

fn team_subtitle(directory: &Directory, team: TeamId) -> String {
    match directory.team(team) {
        Some(t) => {
            let organisation = directory
                .organisation(t.organisation)
                .map(|o| o.name.as_str())
                .unwrap_or("Organisation not in the directory");
            format!("{organisation} · {}", t.service.label())
        }
        None => "Not in this phone's directory".to_owned(),
    }
}

fn code_field(draft: &SetUpDraft) -> SetUpField {
    SetUpField {
        label: CODE_LABEL.to_owned(),
        hint: CODE_HINT.to_owned(),
        value: draft.enrolment_code.clone(),
        editable: true,
    }
}

fn server_line(server_url: &str) -> String {
    let url = crate::rules::normalise::trim(server_url);
    if url.is_empty() {
        "Server: not configured in this app. Tell your IT service desk.".to_owned()
    } else {
        format!("Server: {url}")
    }
}

impl SetUpScreen {
    /// The set-up screen before this phone has a store: `draft` as typed so far, the teams
    /// found in `directory` (the copy shipped with the app) for the search, and the server the
    /// app is configured with.
    pub fn before_set_up(directory: &Directory, draft: &SetUpDraft, server_url: &str) -> Self {
        let chosen: Vec<SetUpTeamRow> = draft
            .teams
            .iter()
            .map(|t| SetUpTeamRow {
                team: t.id,
                title: t.name.clone(),
                subtitle: team_subtitle(directory, t.id),
                actions: vec![action(
                    SetUpActionKind::RemoveTeam { team: t.id },
                    "Remove",
                    true,
                    None,
                )],
            })
            .collect();
        let found: Vec<SetUpTeamRow> = directory
            .find_teams_by_name(&draft.team_query)
            .into_iter()
            .filter(|t| !draft.teams.iter().any(|c| c.id == t.id))
            .map(|t| SetUpTeamRow {
                team: t.id,
                title: t.name.clone(),
                subtitle: team_subtitle(directory, t.id),
                actions: vec![action(
                    SetUpActionKind::AddTeam {
                        team: t.id,
                        name: t.name.clone(),
                    },
                    "Add",
                    true,
                    None,
                )],
            })
            .collect();
        // The identity's own check decides whether the draft can be set up, and its refusal
        // (a field and a rule, never the typed text) is the line under the button.
        let refusal =
            Identity::before_enrolment(draft.practitioner_name.clone(), draft.teams.clone())
                .err()
                .map(|err| match err {
                    AppError::Validation { field, .. } if field == "practitioner_name" => {
                        "Type your name.".to_owned()
                    }
                    AppError::Validation { field, .. } if field == "teams" => {
                        "Add every team you work in (at least one).".to_owned()
                    }
                    other => other.to_string(),
                });
        SetUpScreen {
            title: "Set up SafeShare on this phone".to_owned(),
            stage: SetUpStage::NotSetUp,
            status: "Who uses this phone? Then enrol it with your region's server.".to_owned(),
            name: SetUpField {
                label: NAME_LABEL.to_owned(),
                hint: NAME_HINT.to_owned(),
                value: draft.practitioner_name.clone(),
                editable: true,
            },
            teams_heading: "Your teams".to_owned(),
            teams_empty: chosen
                .is_empty()
                .then(|| "No team yet: find each team you work in and add it.".to_owned()),
            teams: chosen,
            team_search: Some(SetUpField {
                label: "Find your team".to_owned(),
                hint: "Team or organisation name. Add every team you work in.".to_owned(),
                value: draft.team_query.clone(),
                editable: true,
            }),
            found,
            directory_warning: directory
                .is_fictional()
                .then(|| "SAMPLE DIRECTORY: fictional teams, not for real use".to_owned()),
            enrolment_code: code_field(draft),
            server: server_line(server_url),
            recovery: None,
            actions: vec![
                action(
                    SetUpActionKind::SetUp,
                    "Set up this phone",
                    refusal.is_none(),
                    refusal.as_deref(),
                ),
                action(
                    SetUpActionKind::Enrol,
                    "Enrol this phone",
                    false,
                    Some("Set up this phone first."),
                ),
            ],
        }
    }

    /// The set-up screen when the store did not open at launch with `error` (what
    /// `Session.resume` threw): the one recovery for that error, the same on both shells.
    /// Set-up itself is not offered: a new store cannot be made over one that exists.
    pub fn cannot_open(error: &SafeShareError, server_url: &str) -> Self {
        let recovery = recovery(error);
        SetUpScreen {
            title: "SafeShare cannot open your records".to_owned(),
            stage: SetUpStage::CannotOpen,
            status: recovery.title.clone(),
            name: SetUpField {
                label: NAME_LABEL.to_owned(),
                hint: NAME_HINT.to_owned(),
                value: String::new(),
                editable: false,
            },
            teams_heading: "Your teams".to_owned(),
            teams: Vec::new(),
            teams_empty: Some("Not known until your records open.".to_owned()),
            team_search: None,
            found: Vec::new(),
            directory_warning: None,
            enrolment_code: SetUpField {
                label: CODE_LABEL.to_owned(),
                hint: CODE_HINT.to_owned(),
                value: String::new(),
                editable: false,
            },
            server: server_line(server_url),
            recovery: Some(recovery),
            actions: Vec::new(),
        }
    }
}

/// The one recovery for each error `Session.resume` can throw. Every variant is named, so a
/// new one does not compile until someone words what the practitioner is told.
fn recovery(error: &SafeShareError) -> Recovery {
    let try_again = |label: &str| action(SetUpActionKind::TryAgain, label, true, None);
    match error {
        SafeShareError::KeyMismatch { .. } => Recovery {
            tone: Tone::ImmediateRisk,
            title: "The records on this phone cannot be opened".to_owned(),
            text: "Your records on this phone are still there and were not changed, but they \
                   cannot be opened: the key kept by the phone's secure storage does not open \
                   them (it may have been reset), or their file is damaged. Anything already sent \
                   is safe on the regional server; anything not yet sent is only on this phone."
                .to_owned(),
            steps: vec![
                "Do not delete or reinstall the app: that would lose what was not yet sent."
                    .to_owned(),
                "Call your IT service desk and say \"SafeShare key mismatch\".".to_owned(),
                "Until it is fixed, record on paper and phone anything urgent.".to_owned(),
            ],
            actions: vec![try_again("Try again after the service desk has helped")],
        },
        SafeShareError::Storage { .. } => Recovery {
            tone: Tone::Overdue,
            title: "The phone's storage or secure key store did not answer".to_owned(),
            text: "Nothing was changed. This happens when the phone is locked or its storage is \
                   full."
                .to_owned(),
            steps: vec![
                "Unlock the phone and free some space if it is full.".to_owned(),
                "Then try again. If it keeps happening, call your IT service desk.".to_owned(),
            ],
            actions: vec![try_again("Try again")],
        },
        SafeShareError::Revoked { .. } => Recovery {
            tone: Tone::Overdue,
            title: "This phone was removed from SafeShare".to_owned(),
            text: "Its records were erased as the region asked.".to_owned(),
            steps: vec![
                "Ask your administrator for an enrolment code to set it up again.".to_owned(),
            ],
            actions: vec![try_again("Start again")],
        },
        SafeShareError::NotFound { .. } => Recovery {
            tone: Tone::ActionNeeded,
            title: "This phone is not set up".to_owned(),
            text: "There are no SafeShare records on this phone.".to_owned(),
            steps: vec!["Set it up with your name and teams, then enrol it.".to_owned()],
            actions: vec![try_again("Set up this phone")],
        },
        SafeShareError::Internal { .. }
        | SafeShareError::Validation { .. }
        | SafeShareError::Refused { .. }
        | SafeShareError::Network { .. }
        | SafeShareError::UntrustedServer { .. } => Recovery {
            tone: Tone::Overdue,
            title: "SafeShare could not start".to_owned(),
            text: "Nothing was changed. This is a fault in the app.".to_owned(),
            steps: vec![
                "Try again.".to_owned(),
                "If it keeps happening, call your IT service desk and say \"SafeShare could not \
                 start\"."
                    .to_owned(),
            ],
            actions: vec![try_again("Try again")],
        },
    }
}

impl Session {
    /// The set-up screen once this phone is set up: the identity the store keeps (every
    /// team), whether it is enrolled, the enrolment code field holding `draft.enrolment_code`,
    /// and the server the app is configured with. The name and teams are not edited here:
    /// enrolment sets the teams the server knows.
    pub fn set_up_screen(
        &self,
        draft: &SetUpDraft,
        server_url: &str,
    ) -> Result<SetUpScreen, AppError> {
        let identity = self.identity();
        let summary = self.sync_status()?.summary;
        let directory = self.directory();
        let (stage, status, label) = match summary {
            SyncSummary::NotEnrolled => (
                SetUpStage::NotEnrolled,
                "Set up, not yet enrolled: what you record stays on this phone until it is \
                 enrolled and sent.",
                "Enrol this phone",
            ),
            SyncSummary::NeedsReenrolment => (
                SetUpStage::NeedsReenrolment,
                "The regional server no longer knows this phone: ask your administrator for a \
                 re-enrolment code.",
                "Re-enrol this phone",
            ),
            SyncSummary::AllSynced | SyncSummary::Waiting | SyncSummary::NeedsAttention => (
                SetUpStage::Enrolled,
                "Enrolled with the regional server.",
                "Re-enrol this phone",
            ),
        };
        let has_code = !crate::rules::normalise::is_blank(&draft.enrolment_code);
        let teams: Vec<SetUpTeamRow> = identity
            .teams
            .iter()
            .map(|t| SetUpTeamRow {
                team: t.id,
                title: t.name.clone(),
                subtitle: team_subtitle(&directory, t.id),
                actions: Vec::new(),
            })
            .collect();
        Ok(SetUpScreen {
            title: "This phone".to_owned(),
            stage,
            status: status.to_owned(),
            name: SetUpField {
                label: NAME_LABEL.to_owned(),
                hint: NAME_HINT.to_owned(),
                value: identity.practitioner_name.clone(),
                editable: false,
            },
            teams_heading: "Your teams".to_owned(),
            teams_empty: teams
                .is_empty()
                .then(|| "No team is recorded for you.".to_owned()),
            teams,
            team_search: None,
            found: Vec::new(),
            directory_warning: directory
                .is_fictional()
                .then(|| "SAMPLE DIRECTORY: fictional teams, not for real use".to_owned()),
            enrolment_code: code_field(draft),
            server: server_line(server_url),
            recovery: None,
            actions: vec![action(
                SetUpActionKind::Enrol,
                label,
                has_code,
                (!has_code).then_some("Type the enrolment code first."),
            )],
        })
    }
}

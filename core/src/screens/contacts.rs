//! The Contacts screen: find a team, see whether it is open now, and the number to ring now.
//!
//! Owns the wording of each team found (organisation and service, open or closed now, its
//! hours), the call button's label and the line under it. Opening hours, bank holidays and
//! the number are the directory's and the calendar's ([`crate::directory::OpeningHours`],
//! [`crate::directory::choose_number`]) at the screen's instant; nothing here decides which
//! number is right.
//!
//! Invariants: a team with no number is still listed, with "Call" disabled and why (a
//! practitioner must see that the directory has no way to reach it, not an empty row), and a
//! sample directory says so above every row.

use super::call_words;
use super::time::london_date;
use crate::app::{AppError, Session};
use crate::model::TeamId;

/// What the practitioner can do on the Contacts screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ContactsActionKind {
    /// Phone the team (`Contacts.start_call(team, None, None)` logs it and returns the number,
    /// chosen again for that instant).
    Call {
        /// The team.
        team: TeamId,
    },
}

/// One action on the Contacts screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ContactsAction {
    /// What it does.
    pub kind: ContactsActionKind,
    /// What the button says ("Call East health visiting (in hours)").
    pub label: String,
    /// Whether it can be pressed now.
    pub enabled: bool,
    /// Why this number (and that it may not be answered), or why there is none.
    pub detail: Option<String>,
}

/// One team found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ContactRow {
    /// The team.
    pub team: TeamId,
    /// The team's name.
    pub title: String,
    /// "Fictional East Trust · health visiting".
    pub subtitle: String,
    /// Whether the team itself is open at the screen's instant.
    pub open_now: bool,
    /// "Open now", "Closed now", "Closed now (bank holiday)".
    pub open_words: String,
    /// The team's hours in words.
    pub hours: String,
    /// "Call ...".
    pub actions: Vec<ContactsAction>,
}

/// The Contacts screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ContactsScreen {
    /// "Contacts".
    pub title: String,
    /// The search field's label.
    pub search_label: String,
    /// The query the rows answer.
    pub query: String,
    /// Above every row when the directory is sample data.
    pub warning: Option<String>,
    /// Teams whose name or organisation contains the query, by name.
    pub rows: Vec<ContactRow>,
    /// Shown instead of the rows when there are none.
    pub empty: Option<String>,
}

impl Session {
    /// The teams matching `query` (name or organisation, any case), each with whether it is
    /// open and the number to ring at the session clock's instant.
    pub fn contacts_screen(&self, query: &str) -> Result<ContactsScreen, AppError> {
        let now = self.now()?;
        let directory = self.directory();
        let calendar = self.rules().calendar();
        let bank_holiday = calendar.is_bank_holiday(london_date(now));
        let rows: Vec<ContactRow> = directory
            .find_teams_by_name(query)
            .into_iter()
            .map(|team| {
                let open_now = team.hours.is_open_at(now, calendar);
                let words = call_words(&directory, team.id, Some(&team.name), now, calendar);
                let organisation = directory
                    .organisation(team.organisation)
                    .map(|o| o.name.as_str())
                    .unwrap_or("Organisation not in the directory");
                ContactRow {
                    team: team.id,
                    title: team.name.clone(),
                    subtitle: format!("{organisation} · {}", team.service.label()),
                    open_now,
                    open_words: match (open_now, bank_holiday) {
                        (true, _) => "Open now",
                        (false, true) => "Closed now (bank holiday)",
                        (false, false) => "Closed now",
                    }
                    .to_owned(),
                    hours: team.hours.describe(),
                    actions: vec![ContactsAction {
                        kind: ContactsActionKind::Call { team: team.id },
                        label: words.label,
                        enabled: words.enabled,
                        detail: words.detail,
                    }],
                }
            })
            .collect();
        let empty = if !rows.is_empty() {
            None
        } else if crate::rules::normalise::is_blank(query) {
            Some("Type a team or organisation to find it.".to_owned())
        } else {
            Some("No team or organisation in the directory matches that.".to_owned())
        };
        Ok(ContactsScreen {
            title: "Contacts".to_owned(),
            search_label: "Team or organisation".to_owned(),
            query: query.to_owned(),
            warning: directory
                .is_fictional()
                .then(|| "SAMPLE DIRECTORY: fictional numbers, not for real calls".to_owned()),
            rows,
            empty,
        })
    }
}

//! Contacts and calls: the regional directory (docs/directory-format.md), the number to ring for
//! a team at an instant, logging a call and its outcome, and "needs attention now". The shell
//! dials the call target's `tel_uri`; the choice of number and every record are core's.

use crate::error::{guard, Result};
use crate::platform::Clock;
use crate::session::{Contacts, OverCore};
use safeshare_core::app::{CallOutcomeReport, CallStart};
use safeshare_core::boundary::{utc_from_system, UtcInstant};
use safeshare_core::directory::{
    self as core_directory, choose_number, CallLogId, CallOutcomeInput, CallShareContext,
    CallTarget, Directory, LoggedCall, TeamSummary,
};
use safeshare_core::model::{PersonId, ShareId, TeamId};
use safeshare_core::rules::calendar::Calendar;
use safeshare_core::screens::ContactsScreen;
use std::sync::Arc;

/// The regional contacts directory, read-only, with England and Wales bank holidays.
#[derive(uniffi::Object)]
pub struct ContactsDirectory {
    directory: Directory,
    calendar: Calendar,
}

impl ContactsDirectory {
    /// The parsed directory, for the session.
    pub(crate) fn directory(&self) -> &Directory {
        &self.directory
    }
}

#[uniffi::export]
impl ContactsDirectory {
    /// Parses a directory in the JSON Lines format; throws `Validation` on `directory` listing bad lines.
    #[uniffi::constructor]
    pub fn from_jsonl(text: String) -> Result<Arc<Self>> {
        guard(|| {
            Ok(Arc::new(ContactsDirectory {
                directory: core_directory::parse(&text)?,
                calendar: Calendar::england_and_wales(),
            }))
        })
    }

    /// True for sample data that must never be used for real calls.
    pub fn is_fictional(&self) -> bool {
        self.directory.is_fictional()
    }

    /// Teams whose name or organisation contains `query` (any case), by name.
    pub fn find_teams(&self, query: String) -> Vec<TeamSummary> {
        self.directory.find_team_summaries(&query)
    }

    /// The number to ring for `team_id` at instant `at`; throws `NotFound` for an unknown team.
    pub fn call_target(&self, team_id: TeamId, at: UtcInstant) -> Result<CallTarget> {
        guard(|| Ok(choose_number(&self.directory, team_id, at, &self.calendar)?))
    }

    /// The number to ring for `team_id` now, as told by the platform `clock`.
    pub fn call_target_now(&self, team_id: TeamId, clock: Arc<dyn Clock>) -> Result<CallTarget> {
        guard(|| self.call_target(team_id, utc_from_system(clock.now()?)?))
    }
}

#[uniffi::export]
impl Contacts {
    /// The number to ring for a team now (`tel:` URI, label, reason).
    pub fn call_target(&self, team_id: TeamId) -> Result<CallTarget> {
        self.run(|s| s.call_target(team_id))
    }

    /// Logs a call about to be made and returns the number to dial.
    pub fn start_call(
        &self,
        team_id: TeamId,
        regarding_share_id: Option<ShareId>,
        about_person_id: Option<PersonId>,
    ) -> Result<CallStart> {
        self.run(|s| s.start_call(team_id, regarding_share_id, about_person_id))
    }

    /// Records how a call went; with `share_context` it also becomes an information-sharing record.
    pub fn record_call_outcome(
        &self,
        call_id: CallLogId,
        outcome: CallOutcomeInput,
        share_context: Option<CallShareContext>,
    ) -> Result<CallOutcomeReport> {
        self.run(|s| s.record_call_outcome(call_id, outcome, share_context))
    }

    /// The Contacts screen for `query`: teams found, open now or not, and the number for now.
    pub fn screen(&self, query: String) -> Result<ContactsScreen> {
        self.run(|s| s.contacts_screen(&query))
    }

    /// Every call logged on this phone, oldest first, with whether its outcome is recorded (a
    /// call without one is still to be written up).
    pub fn calls(&self) -> Result<Vec<LoggedCall>> {
        self.run(|s| s.logged_calls())
    }
}

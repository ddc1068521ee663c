//! Contacts, calls and what needs attention: load the regional directory (JSON Lines,
//! docs/directory-format.md), search teams, ask core which number to ring for a team at an
//! instant, log a call and its outcome (optionally as an information-sharing record), and the
//! "needs attention now" list with numbers chosen for now. The shell opens the dialler with
//! the call target's `tel_uri`; the choice (in-hours, out-of-hours, switchboard, emergency duty
//! team) and every wording are core's, and so is every record returned (the call target, the
//! call started, the call's outcome, the attention item as listed, a team as listed).

use crate::error::{guard, SafeShareError};
use crate::platform::Clock;
use crate::session::{list, Contacts, Session};
use safeshare_core::app::{CallOutcomeReport, CallStart, ListedAttention};
use safeshare_core::boundary::{utc_from_system, UtcInstant};
use safeshare_core::directory::{
    self as core_directory, CallLogId, CallOutcomeInput, CallShareContext, CallTarget, Directory,
    TeamSummary,
};
use safeshare_core::model::{PersonId, ShareId, TeamId};
use safeshare_core::rules::calendar::Calendar;
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
    pub fn from_jsonl(text: String) -> Result<Arc<Self>, SafeShareError> {
        guard(|| {
            Ok(Arc::new(ContactsDirectory {
                directory: core_directory::parse(&text)?,
                calendar: Calendar::england_and_wales(),
            }))
        })
    }

    /// The directory's version number.
    pub fn version(&self) -> u64 {
        self.directory.version()
    }

    /// The region's name.
    pub fn region(&self) -> String {
        self.directory.region().to_owned()
    }

    /// True for sample data that must never be used for real calls.
    pub fn is_fictional(&self) -> bool {
        self.directory.is_fictional()
    }

    /// Teams whose name or organisation contains `query` (any case), by name.
    pub fn find_teams(&self, query: String) -> Vec<TeamSummary> {
        self.directory
            .find_teams_by_name(&query)
            .into_iter()
            .map(TeamSummary::from)
            .collect()
    }

    /// The number to ring for `team_id` at instant `at`; throws `NotFound` for an unknown team.
    pub fn call_target(
        &self,
        team_id: TeamId,
        at: UtcInstant,
    ) -> Result<CallTarget, SafeShareError> {
        guard(|| {
            Ok(core_directory::choose_number(
                &self.directory,
                team_id,
                at,
                &self.calendar,
            )?)
        })
    }

    /// The number to ring for `team_id` now, as told by the platform `clock`.
    pub fn call_target_now(
        &self,
        team_id: TeamId,
        clock: Arc<dyn Clock>,
    ) -> Result<CallTarget, SafeShareError> {
        guard(|| self.call_target(team_id, utc_from_system(clock.now()?)?))
    }
}

#[uniffi::export]
impl Session {
    /// Everything overdue or due soon, most urgent first, with numbers to ring.
    pub fn needs_attention_now(&self) -> Result<Vec<ListedAttention>, SafeShareError> {
        guard(|| Ok(list(self.inner.needs_attention_now()?)))
    }
}

#[uniffi::export]
impl Contacts {
    /// The number to ring for a team now (`tel:` URI, label, reason).
    pub fn call_target(&self, team_id: TeamId) -> Result<CallTarget, SafeShareError> {
        guard(|| Ok(self.inner.call_target(team_id)?))
    }

    /// Logs a call about to be made and returns the number to dial.
    pub fn start_call(
        &self,
        team_id: TeamId,
        regarding_share_id: Option<ShareId>,
        about_person_id: Option<PersonId>,
    ) -> Result<CallStart, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .start_call(team_id, regarding_share_id, about_person_id)?)
        })
    }

    /// Records how a call went; with `share_context` it also becomes an information-sharing record.
    pub fn record_call_outcome(
        &self,
        call_id: CallLogId,
        outcome: CallOutcomeInput,
        share_context: Option<CallShareContext>,
    ) -> Result<CallOutcomeReport, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .record_call_outcome(call_id, outcome, share_context)?)
        })
    }
}

//! Contacts and calls: the regional directory (docs/directory-format.md), logging a call and
//! its outcome, and the Contacts screen. The shell dials the `tel_uri` `start_call` returns;
//! the choice of number and every record are core's.

use crate::error::{guard, Result};
use crate::session::{Contacts, OverCore};
use safeshare_core::app::{CallOutcomeReport, CallStart};
use safeshare_core::directory::{
    self as core_directory, CallDecisionToShare, CallLogId, CallOutcomeInput, Directory,
};
use safeshare_core::model::{PersonId, ShareId, TeamId};
use safeshare_core::screens::ContactsScreen;
use std::sync::Arc;

/// The regional contacts directory, read-only: handed to `Session.open` / `Session.resume` and
/// to the set-up screen; its teams and numbers are read through the screens.
#[derive(uniffi::Object)]
pub struct ContactsDirectory {
    directory: Directory,
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
            }))
        })
    }
}

#[uniffi::export]
impl Contacts {
    /// Logs a call about to be made and returns the number to dial.
    pub fn start_call(
        &self,
        team_id: TeamId,
        regarding_share_id: Option<ShareId>,
        about_person_id: Option<PersonId>,
    ) -> Result<CallStart> {
        self.run(|s| s.start_call(team_id, regarding_share_id, about_person_id))
    }

    /// Records how a call went; with `decision_to_share` it also becomes a decision record.
    pub fn record_call_outcome(
        &self,
        call_id: CallLogId,
        outcome: CallOutcomeInput,
        decision_to_share: Option<CallDecisionToShare>,
    ) -> Result<CallOutcomeReport> {
        self.run(|s| s.record_call_outcome(call_id, outcome, decision_to_share))
    }

    /// The Contacts screen for `query`: teams found, open now or not, and the number for now.
    pub fn screen(&self, query: String) -> Result<ContactsScreen> {
        self.run(|s| s.contacts_screen(&query))
    }
}

//! The Team around the child and Transfer of care screens (issue 21 item 4) for the shells:
//! one call per screen, each returning core's view record as it is (display strings, London
//! times, the actions offered and whether each is enabled), built by core at the session
//! clock's instant. Translation only: the records, their wording and their rules are
//! `safeshare_core::screens::team` and `safeshare_core::screens::transfer`; a shell maps a
//! record to widgets and each action's kind to the core call it names (`TeamAroundChild`,
//! `Transfers`, `Contacts.start_call`).
//!
//! The calls are on `Session` (a separate export block, so no other file's object changes):
//! the team and transfer objects keep their store handle private to their own files.

use crate::error::{guard, SafeShareError};
use crate::session::Session;
use safeshare_core::model::PersonId;
use safeshare_core::screens::{ExpectedFamiliesScreen, TeamScreen, TransferDraft, TransferScreen};

/// An empty Transfer of care draft for a child, for the shell to fill as the practitioner
/// types.
#[uniffi::export]
pub fn empty_transfer_draft(child_id: PersonId) -> TransferDraft {
    TransferDraft::new(child_id)
}

#[uniffi::export]
impl Session {
    /// The Team around the child screen: members current and ended, the lead professional,
    /// the social care status with the social worker and since when, who has not been told
    /// the latest concern, and the actions with whether each can be pressed.
    pub fn team_screen(&self, child_id: PersonId) -> Result<TeamScreen, SafeShareError> {
        guard(|| Ok(self.inner.team_screen(child_id)?))
    }

    /// The sender's Transfer of care screen for `draft`: receiving teams for the new
    /// postcode, the pack preview, each severity's due time (London time), Send, and each
    /// transfer sent with where it stands. Call again as the practitioner chooses and types.
    pub fn transfer_screen(&self, draft: TransferDraft) -> Result<TransferScreen, SafeShareError> {
        guard(|| Ok(self.inner.transfer_screen(&draft)?))
    }

    /// The receiving phone's expected families, with Take on enabled only after the read-back.
    pub fn expected_families_screen(&self) -> Result<ExpectedFamiliesScreen, SafeShareError> {
        guard(|| Ok(self.inner.expected_families_screen()?))
    }
}

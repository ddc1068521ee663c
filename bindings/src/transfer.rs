//! Transfers of care (issue 21), reached with `session.transfers()`: sending one to the team
//! covering the family's new postcode, and on the receiving phone taking a child on, with their
//! screens (the receiving teams, the transfers sent and the families expected are on them). Every rule, record and sentence is core's
//! (`safeshare_core::app::TransferHandle`, `safeshare_core::screens::transfer`).

use crate::error::Result;
use crate::session::{OverCore, Transfers};
use safeshare_core::app::{SubjectChoice, TransferTakeOn};
use safeshare_core::casework::transfer::{NewTransfer, TransferSummary};
use safeshare_core::model::{PersonId, ShareId};
use safeshare_core::screens::{ExpectedFamiliesScreen, TransferDraft, TransferScreen};

#[uniffi::export]
impl Transfers {
    /// Sends a transfer of care to the receiving team (see core's `TransferHandle::send`).
    pub fn send_transfer(&self, new: NewTransfer) -> Result<TransferSummary> {
        self.run(|s| s.transfers().send(new).map(Into::into))
    }

    /// Takes the child of an acknowledged transfer onto this caseload (see core's
    /// `TransferHandle::take_on`).
    pub fn take_on(&self, share_id: ShareId) -> Result<TransferTakeOn> {
        self.run(|s| s.transfers().take_on(share_id))
    }

    /// The practitioner's choice after `Confirm`: the same person as one here, or a new one.
    pub fn take_on_resolved(
        &self,
        share_id: ShareId,
        choice: SubjectChoice,
    ) -> Result<TransferTakeOn> {
        self.run(|s| s.transfers().take_on_resolved(share_id, choice))
    }

    /// The sender's Transfer of care screen for `draft`: receiving teams for the new postcode,
    /// the pack preview, each severity's due time, Send, and each transfer sent with where it
    /// stands. Call again as the practitioner chooses and types.
    pub fn screen(&self, draft: TransferDraft) -> Result<TransferScreen> {
        self.run(|s| s.transfer_screen(&draft))
    }

    /// The receiving phone's expected families, with Take on enabled only after the read-back.
    pub fn expected_families_screen(&self) -> Result<ExpectedFamiliesScreen> {
        self.run(|s| s.expected_families_screen())
    }
}

/// An empty Transfer of care draft for a child, for the shell to fill as the practitioner
/// types.
#[uniffi::export]
pub fn empty_transfer_draft(child_id: PersonId) -> TransferDraft {
    TransferDraft::new(child_id)
}

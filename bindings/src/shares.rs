//! Shares with a team (sent and received, acknowledgement with read-back) and information-sharing
//! decision records (to share or not, decided by this practitioner now). Every record and rule
//! is core's.

use crate::error::Result;
use crate::session::{OverCore, Shares};
use safeshare_core::app::{
    DecisionNotToShareInput, DecisionToShareInput, ListedShare, ShareReceipt, ShareRequest,
};
use safeshare_core::casework::decision::DecisionRecord;
use safeshare_core::model::{ObservationId, PersonId, ShareId, VoiceNoteId};
use safeshare_core::rules::acknowledgement::{ReadBack, ReadBackVerdict};
use safeshare_core::screens::{
    IncomingShareScreen, IncomingSharesScreen, ShareDraft, ShareScreen, SharesSentScreen,
};

#[uniffi::export]
impl Shares {
    /// Shares records already captured about a person with a team; returns when acknowledgement is due.
    pub fn share_with_team(
        &self,
        about_person_id: PersonId,
        observation_ids: Vec<ObservationId>,
        voice_note_ids: Vec<VoiceNoteId>,
        request: ShareRequest,
    ) -> Result<ShareReceipt> {
        self.run(|s| s.share_with_team(about_person_id, &observation_ids, &voice_note_ids, request))
    }

    /// A share (sent or received) with where it stands now.
    pub fn share(&self, share_id: ShareId) -> Result<ListedShare> {
        self.run(|s| s.share(share_id).map(Into::into))
    }

    /// Acknowledges a share to my team with a read-back in my own words.
    pub fn acknowledge_share(&self, share_id: ShareId, read_back: ReadBack) -> Result<()> {
        self.run(|s| s.acknowledge_share(share_id, read_back))
    }

    /// The sender's check of a read-back: confirmed, or what to correct.
    pub fn check_read_back(&self, share_id: ShareId, verdict: ReadBackVerdict) -> Result<()> {
        self.run(|s| s.check_read_back(share_id, verdict))
    }

    /// Records a decision to share, with purpose, lawful basis and the six principles; decided by me, now.
    pub fn record_decision_to_share(
        &self,
        decision: DecisionToShareInput,
    ) -> Result<DecisionRecord> {
        self.run(|s| s.decide_to_share(decision))
    }

    /// Records a decision not to share, with the reason and whether the requester was told.
    pub fn record_decision_not_to_share(
        &self,
        decision: DecisionNotToShareInput,
    ) -> Result<DecisionRecord> {
        self.run(|s| s.decide_not_to_share(decision))
    }

    /// The Share screen for `draft`; call again as the practitioner chooses.
    pub fn share_screen(&self, draft: ShareDraft) -> Result<ShareScreen> {
        self.run(|s| s.share_screen(&draft))
    }

    /// "Shares I sent": each share's state now, its read-backs, and confirm, flag or call.
    pub fn sent_screen(&self) -> Result<SharesSentScreen> {
        self.run(|s| s.shares_sent_screen())
    }

    /// "Shares to my team": each with by when to acknowledge it.
    pub fn incoming_screen(&self) -> Result<IncomingSharesScreen> {
        self.run(|s| s.incoming_shares_screen())
    }

    /// One share to my team with the read-back form holding `draft`; throws `NotFound` for a
    /// share not sent to my teams.
    pub fn incoming_share_screen(
        &self,
        share_id: ShareId,
        draft: ReadBack,
    ) -> Result<IncomingShareScreen> {
        self.run(|s| s.incoming_share_screen(share_id, draft))
    }
}

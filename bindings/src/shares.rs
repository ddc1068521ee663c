//! Shares with a team and information-sharing decision records: share captured records with a
//! team (acknowledgement due time and send advice are core's), the shares sent and received
//! with their acknowledgement state, acknowledging with a read-back and checking it, and
//! recording a decision to share or not to share (purpose, lawful basis, the six principles;
//! who decided and when are the session's). Every record crosses as core's own (a share as
//! listed is core's `ListedShare`, a decision core's `DecisionRecord`).

use crate::error::{guard, SafeShareError};
use crate::session::{list, Shares};
use safeshare_core::app::{
    ListedShare, NotShareDecisionInput, ShareDecisionInput, ShareReceipt, ShareRequest,
};
use safeshare_core::casework::decision::DecisionRecord;
use safeshare_core::model::{ObservationId, PersonId, ShareId, VoiceNoteId};
use safeshare_core::rules::acknowledgement::{ReadBack, ReadBackVerdict};

#[uniffi::export]
impl Shares {
    /// Shares records already captured about a person with a team; returns when acknowledgement is due.
    pub fn share_with_team(
        &self,
        about_person_id: PersonId,
        observation_ids: Vec<ObservationId>,
        voice_note_ids: Vec<VoiceNoteId>,
        request: ShareRequest,
    ) -> Result<ShareReceipt, SafeShareError> {
        guard(|| {
            Ok(self.inner.share_with_team(
                about_person_id,
                &observation_ids,
                &voice_note_ids,
                request,
            )?)
        })
    }

    /// A share (sent or received) with where it stands now.
    pub fn share(&self, share_id: ShareId) -> Result<ListedShare, SafeShareError> {
        guard(|| Ok(self.inner.share(share_id)?.into()))
    }

    /// Shares this practitioner sent, with their acknowledgement state.
    pub fn shares_sent(&self) -> Result<Vec<ListedShare>, SafeShareError> {
        guard(|| Ok(list(self.inner.shares_sent()?)))
    }

    /// Shares sent to this practitioner's teams.
    pub fn incoming_shares(&self) -> Result<Vec<ListedShare>, SafeShareError> {
        guard(|| Ok(list(self.inner.incoming_shares()?)))
    }

    /// Acknowledges a share to my team with a read-back in my own words.
    pub fn acknowledge_share(
        &self,
        share_id: ShareId,
        read_back: ReadBack,
    ) -> Result<(), SafeShareError> {
        guard(|| Ok(self.inner.acknowledge_share(share_id, read_back)?))
    }

    /// The sender's check of a read-back: confirmed, or what to correct.
    pub fn check_read_back(
        &self,
        share_id: ShareId,
        verdict: ReadBackVerdict,
    ) -> Result<(), SafeShareError> {
        guard(|| Ok(self.inner.check_read_back(share_id, verdict)?))
    }

    /// Records a decision to share, with purpose, lawful basis and the six principles; decided by me, now.
    pub fn record_decision_to_share(
        &self,
        decision: ShareDecisionInput,
    ) -> Result<DecisionRecord, SafeShareError> {
        guard(|| Ok(self.inner.decide_to_share(decision)?))
    }

    /// Records a decision not to share, with the reason and whether the requester was told.
    pub fn record_decision_not_to_share(
        &self,
        decision: NotShareDecisionInput,
    ) -> Result<DecisionRecord, SafeShareError> {
        guard(|| Ok(self.inner.decide_not_to_share(decision)?))
    }
}

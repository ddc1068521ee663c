//! Shares with a team and information-sharing decision records: share captured records with a
//! team (acknowledgement due time and send advice are core's), the shares sent and received
//! with their acknowledgement state, acknowledging with a read-back and checking it, and
//! recording a decision to share or not to share (purpose, lawful basis, the six principles;
//! who decided and when are the session's). The share as listed is a view record here until
//! core builds it.

use crate::error::{guard, SafeShareError};
use crate::session::{list, Shares};
use safeshare_core::app::{
    self as core_app, NotShareDecisionInput, ShareDecisionInput, ShareRequest,
};
use safeshare_core::boundary::UtcInstant;
use safeshare_core::casework::decision as core_decision;
use safeshare_core::model::{
    DecisionRecordId, ObservationId, PersonId, Severity, ShareId, TeamId, VoiceNoteId,
};
use safeshare_core::rules::acknowledgement::{
    self as core_ack, ReadBack, ReadBackVerdict, ShareStatus,
};

/// What the sender sees once a share is queued (core's record).
pub type ShareReceipt = core_app::ShareReceipt;

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
    pub fn share(&self, share_id: ShareId) -> Result<Share, SafeShareError> {
        guard(|| Ok(self.inner.share(share_id)?.into()))
    }

    /// Shares this practitioner sent, with their acknowledgement state.
    pub fn shares_sent(&self) -> Result<Vec<Share>, SafeShareError> {
        guard(|| Ok(list(self.inner.shares_sent()?)))
    }

    /// Shares sent to this practitioner's teams.
    pub fn incoming_shares(&self) -> Result<Vec<Share>, SafeShareError> {
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
        guard(|| Ok(self.inner.decide_to_share(decision)?.into()))
    }

    /// Records a decision not to share, with the reason and whether the requester was told.
    pub fn record_decision_not_to_share(
        &self,
        decision: NotShareDecisionInput,
    ) -> Result<DecisionRecord, SafeShareError> {
        guard(|| Ok(self.inner.decide_not_to_share(decision)?.into()))
    }
}

/// A recorded information-sharing decision, as listed.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DecisionRecord {
    /// The record's id.
    pub id: DecisionRecordId,
    /// True for a decision to share, false for not to share.
    pub shared: bool,
    /// The purpose.
    pub purpose: String,
    /// When it was decided.
    pub decided_at: UtcInstant,
}

impl From<core_decision::DecisionRecord> for DecisionRecord {
    fn from(value: core_decision::DecisionRecord) -> Self {
        DecisionRecord {
            id: value.id,
            shared: value.is_share(),
            purpose: value.purpose,
            decided_at: value.decided_at,
        }
    }
}

/// A share, sent or received, with its acknowledgement state.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Share {
    /// The share's id.
    pub id: ShareId,
    /// True when this practitioner sent it; false when it came to their team.
    pub outgoing: bool,
    /// The team it went to.
    pub team_id: TeamId,
    /// That team's name.
    pub team_name: String,
    /// Severity.
    pub severity: Severity,
    /// When it was sent.
    pub sent_at: UtcInstant,
    /// When acknowledgement is due.
    pub due_at: UtcInstant,
    /// Whether a member of the team has acknowledged it.
    pub acknowledged: bool,
    /// The recipient's read-back, once acknowledged (from the acknowledgement that closed it).
    pub read_back: Option<ReadBack>,
    /// Read-backs of further acknowledgements (team members who acknowledged it before they
    /// learnt it was acknowledged), earliest first; each needs the sender's check.
    pub further_read_backs: Vec<ReadBack>,
    /// On a share to my team that I acknowledged after a colleague: their name (empty if not
    /// known) and when they acknowledged it.
    pub already_acknowledged_by: Option<AlreadyAcknowledged>,
    /// Where it stands now (for shares this practitioner sent).
    pub status: Option<ShareStatus>,
}

/// Who acknowledged a share first, shown to a colleague who acknowledged it after them.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AlreadyAcknowledged {
    /// Their name as their acknowledgement gave it (empty if not known on this phone).
    pub by_name: String,
    /// When they acknowledged it.
    pub at: UtcInstant,
}

impl Share {
    fn from_stored(value: core_app::StoredShare, status: Option<ShareStatus>) -> Self {
        let record = value.record;
        Share {
            id: record.share.id,
            outgoing: value.direction == core_app::ShareDirection::Outgoing,
            team_id: record.share.team,
            team_name: record.share.team_name,
            severity: record.share.severity,
            sent_at: record.share.sent_at,
            due_at: value.due_at,
            acknowledged: record.acknowledgement.is_some(),
            read_back: record
                .acknowledgement
                .map(|a: core_ack::Acknowledgement| a.read_back),
            further_read_backs: record
                .further_acknowledgements
                .into_iter()
                .map(|a| a.read_back)
                .collect(),
            already_acknowledged_by: None,
            status,
        }
    }
}

impl From<core_app::ShareView> for Share {
    fn from(value: core_app::ShareView) -> Self {
        Share::from_stored(value.share, Some(value.status))
    }
}

impl From<core_app::IncomingShare> for Share {
    fn from(value: core_app::IncomingShare) -> Self {
        let mut share = Share::from_stored(value.share, None);
        share.acknowledged = value.acknowledged;
        share.already_acknowledged_by =
            value
                .already_acknowledged_by
                .map(|first| AlreadyAcknowledged {
                    by_name: first.by_name,
                    at: first.at,
                });
        share
    }
}

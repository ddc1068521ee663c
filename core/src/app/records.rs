//! The app's views of stored shares (the list a shell shows, sent and received, with where
//! each stands), and the paths the app's modules use for the storage types and the two write
//! helpers, which are defined in the store (`core/src/store/kinds.rs`) with every other kind
//! and its clear columns: nothing here decides what is stored or how.

use crate::model::{PractitionerId, Severity, ShareId, TeamId};
use crate::rules::acknowledgement::{Acknowledgement, ReadBack, ShareStatus};
// Defined in the store (issue 16 item 3); re-exported so the app's modules keep their paths.
pub(crate) use crate::store::kinds::{amend, insert};
pub use crate::store::{
    AcknowledgerName, ShareDirection, StoredAlertEvent, StoredEscalation, StoredReferral,
    StoredShare,
};
pub(crate) use crate::store::{InboundMark, StoredCall};
use chrono::{DateTime, Utc};

/// A share with where it stands now, for the shell's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareView {
    /// The share as stored.
    pub share: StoredShare,
    /// Where it stands at the session clock's instant.
    pub status: ShareStatus,
    /// Acknowledgements after the one that closed the share (team members who acknowledged
    /// before they learnt of it), earliest first, each with its read-back.
    pub further_acknowledgements: Vec<Acknowledgement>,
}

/// A share received by one of the practitioner's teams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingShare {
    /// The share as stored.
    pub share: StoredShare,
    /// Whether a member of the team has acknowledged it (this practitioner or a colleague).
    pub acknowledged: bool,
    /// When this practitioner acknowledged it too but a colleague had done so first: who and
    /// when (what their phone tells them after the next pull).
    pub already_acknowledged_by: Option<AlreadyAcknowledged>,
}

/// Who acknowledged a share first, for the practitioner who acknowledged it after them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AlreadyAcknowledged {
    /// The practitioner whose acknowledgement closed the share.
    pub by: PractitionerId,
    /// Their name, as their acknowledgement gave it (empty if not known on this phone).
    pub by_name: String,
    /// When they acknowledged it.
    pub at: DateTime<Utc>,
}

/// A share, sent or received, as the shells list it: one shape for both directions, with its
/// acknowledgement state.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ListedShare {
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
    pub sent_at: DateTime<Utc>,
    /// When acknowledgement is due.
    pub due_at: DateTime<Utc>,
    /// Whether a member of the team has acknowledged it.
    pub acknowledged: bool,
    /// The recipient's read-back, once acknowledged (from the acknowledgement that closed it).
    pub read_back: Option<ReadBack>,
    /// Read-backs of further acknowledgements (team members who acknowledged it before they
    /// learnt it was acknowledged), earliest first; each needs the sender's check.
    pub further_read_backs: Vec<ReadBack>,
    /// On a share to my team that I acknowledged after a colleague: who and when.
    pub already_acknowledged_by: Option<AlreadyAcknowledged>,
    /// Where it stands now (for shares this practitioner sent).
    pub status: Option<ShareStatus>,
}

impl ListedShare {
    fn from_stored(value: StoredShare, status: Option<ShareStatus>) -> Self {
        let record = value.record;
        ListedShare {
            id: record.share.id,
            outgoing: value.direction == ShareDirection::Outgoing,
            team_id: record.share.team,
            team_name: record.share.team_name,
            severity: record.share.severity,
            sent_at: record.share.sent_at,
            due_at: value.due_at,
            acknowledged: record.acknowledgement.is_some(),
            read_back: record.acknowledgement.map(|a| a.read_back),
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

impl From<ShareView> for ListedShare {
    fn from(value: ShareView) -> Self {
        ListedShare::from_stored(value.share, Some(value.status))
    }
}

impl From<IncomingShare> for ListedShare {
    fn from(value: IncomingShare) -> Self {
        let mut share = ListedShare::from_stored(value.share, None);
        // The incoming view's answer counts a colleague's acknowledgement as well as mine.
        share.acknowledged = value.acknowledged;
        share.already_acknowledged_by = value.already_acknowledged_by;
        share
    }
}

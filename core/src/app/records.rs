//! The app's records in the field store whose types the store may not import: shares (their
//! body is the app's `ShareBody`), call logs (`directory::CallLog`) and the marks of applied
//! inbound envelopes (`sync` types). Their kind names are defined in `core/src/store/kinds.rs`
//! with every other kind, so all 20 are pinned and checked unique in one place; referrals,
//! escalation ladders and alert events live there whole.
//!
//! Like `core/src/store/kinds.rs`, one place to check that no clear column carries personal data:
//! clear columns are ids, a fixed status word, severity and times. Everything else (who a
//! share is about, what was shared, read-backs, call notes) is in the sealed body.

use super::bodies::ShareBody;
use crate::directory::{CallLog, CallLogId};
use crate::model::{HouseholdId, PractitionerId, Severity, ShareId, TeamId};
use crate::rules::acknowledgement::{
    Acknowledgement, ReadBack, ReadBackVerdict, ShareRecord, ShareStatus,
};
// Defined in the store (issue 16 item 3); re-exported so the app's modules keep their paths.
use crate::store::{kinds, RecordIndex, RecordKind, StoredRecord};
pub use crate::store::{StoredAlertEvent, StoredEscalation, StoredReferral};
use crate::sync::{EnvelopeId, EnvelopeKind};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Whether this device sent the share or received it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareDirection {
    /// Sent by this practitioner to another team.
    Outgoing,
    /// Sent to one of this practitioner's teams.
    Incoming,
}

/// A share as the store holds it: the acknowledgement state (rules), what was shared (the
/// envelope body), and how the loop was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredShare {
    /// Sent or received.
    pub direction: ShareDirection,
    /// The share with its acknowledgement and read-back check.
    pub record: ShareRecord,
    /// What was shared, as sent.
    pub content: ShareBody,
    /// When acknowledgement is due (from the sender's policy at the time of sending).
    pub due_at: DateTime<Utc>,
    /// The household on this device (outgoing only).
    pub household: Option<HouseholdId>,
    /// The envelope that carried the share.
    pub envelope: EnvelopeId,
    /// The envelope that carried the acknowledgement, once there is one.
    pub acknowledgement_envelope: Option<EnvelopeId>,
    /// The logged call that reached the team when the share was overdue, if any.
    pub reached_by_call: Option<CallLogId>,
    /// The names acknowledgements were signed with (their bodies carry them), so a phone can
    /// say who acknowledged first. Sealed with the rest of the record.
    #[serde(default)]
    pub acknowledger_names: Vec<AcknowledgerName>,
}

/// The name a practitioner acknowledged a share under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcknowledgerName {
    /// Who.
    pub by: PractitionerId,
    /// Their name as their acknowledgement gave it.
    pub name: String,
}

impl StoredShare {
    /// Remembers `by`'s name (the first one given stands).
    pub(crate) fn remember_acknowledger(&mut self, by: PractitionerId, name: &str) {
        if !self.acknowledger_names.iter().any(|n| n.by == by) {
            self.acknowledger_names.push(AcknowledgerName {
                by,
                name: name.to_owned(),
            });
        }
    }

    /// The name `by` acknowledged under, if known.
    pub fn acknowledger_name(&self, by: PractitionerId) -> Option<&str> {
        self.acknowledger_names
            .iter()
            .find(|n| n.by == by)
            .map(|n| n.name.as_str())
    }
}

impl StoredShare {
    /// The status word kept in clear.
    fn status(&self) -> &'static str {
        if self.reached_by_call.is_some() && self.record.acknowledgement.is_none() {
            return "reached_by_phone";
        }
        match (&self.record.acknowledgement, &self.record.check) {
            (None, _) => "awaiting_ack",
            (Some(_), None) => "acknowledged",
            (Some(_), Some(check)) => match check.verdict {
                // A read-back that came after the check reopens it.
                ReadBackVerdict::Confirmed if self.record.unchecked_read_backs() > 0 => {
                    "acknowledged"
                }
                ReadBackVerdict::Confirmed => "closed",
                _ => "read_back_misunderstood",
            },
        }
    }
}

impl StoredRecord for StoredShare {
    const KIND: RecordKind = kinds::SHARE;
    fn record_id(&self) -> String {
        self.record.share.id.to_string()
    }
    fn record_index(&self) -> RecordIndex {
        RecordIndex {
            // Only outgoing shares are about a person in this store.
            subject_person: match self.direction {
                ShareDirection::Outgoing => Some(self.record.share.about),
                ShareDirection::Incoming => None,
            },
            household: self.household,
            team: Some(self.record.share.team),
            status: Some(format!(
                "{}_{}",
                match self.direction {
                    ShareDirection::Outgoing => "out",
                    ShareDirection::Incoming => "in",
                },
                self.status()
            )),
            severity: Some(self.record.share.severity),
            due_at: Some(self.due_at),
            occurred_at: Some(self.record.share.sent_at),
            nhs_number: None,
        }
    }
}

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

/// A call made from the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredCall {
    /// The call and its outcome.
    pub call: CallLog,
    /// Who it was about, when known (for the chronology).
    pub about: Option<crate::model::PersonId>,
}

impl StoredRecord for StoredCall {
    const KIND: RecordKind = kinds::CALL_LOG;
    fn record_id(&self) -> String {
        self.call.id.to_string()
    }
    fn record_index(&self) -> RecordIndex {
        RecordIndex {
            subject_person: self.about,
            team: Some(self.call.team),
            status: Some(
                if self.call.outcome.is_some() {
                    "logged"
                } else {
                    "started"
                }
                .to_owned(),
            ),
            occurred_at: Some(self.call.started_at),
            ..RecordIndex::default()
        }
    }
}

/// The mark that an inbound envelope was applied: makes [`super::Session::apply_inbound`]
/// idempotent (inserting the mark twice fails, in the same transaction as the effect).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboundMark {
    /// The envelope.
    pub envelope: EnvelopeId,
    /// Its kind.
    pub kind: EnvelopeKind,
    /// When it was applied.
    pub applied_at: DateTime<Utc>,
    /// What applying it did (a fixed word).
    pub effect: String,
}

impl StoredRecord for InboundMark {
    const KIND: RecordKind = kinds::INBOUND_ENVELOPE;
    fn record_id(&self) -> String {
        self.envelope.to_string()
    }
    fn record_index(&self) -> RecordIndex {
        RecordIndex {
            status: Some(self.effect.clone()),
            occurred_at: Some(self.applied_at),
            ..RecordIndex::default()
        }
    }
}

/// Inserts a new record in `tx`.
pub(crate) fn insert<T: StoredRecord + Serialize>(
    tx: &mut crate::store::WriteTx<'_>,
    record: &T,
) -> Result<u64, crate::store::StoreError> {
    tx.insert(T::KIND, record.record_id(), record, &record.record_index())
}

/// Writes a new version of a record in `tx`, replacing `version`, for `reason`.
pub(crate) fn amend<T: StoredRecord + Serialize>(
    tx: &mut crate::store::WriteTx<'_>,
    version: u64,
    record: &T,
    reason: &str,
) -> Result<u64, crate::store::StoreError> {
    tx.amend(
        T::KIND,
        record.record_id(),
        version,
        record,
        &record.record_index(),
        reason,
    )
}

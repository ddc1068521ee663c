//! How each record type the field store holds goes into it: its record kind and its clear
//! columns, for the model's records, case work (checklists, decision records, call logs, meeting
//! packs, supervision, the team around the child, transfers of care) and the app's own storage
//! types, which are defined here because they need nothing above the store: shares (whose body
//! is case work's `ShareBody`), referrals, escalation ladders, alert events and the marks of
//! applied inbound envelopes. Every kind name is defined here, once, by [`stored_record!`], and
//! the tests below pin all of them and check no two share a name.
//!
//! One place so a reviewer can check in one sitting that no clear column carries personal
//! data: only ids, times, severity, fixed status words, and (for a person) the NHS number,
//! which the store keeps only as a keyed blind index. Everything else (who a share is about,
//! what was shared, read-backs, call notes) is in the sealed body.
//! Kind names are stored in clear and must never change.

use super::{RecordIndex, RecordKind};
use super::{StoreError, WriteTx};
use crate::casework::call_log::{CallLog, CallLogId};
use crate::casework::checklist::Checklist;
use crate::casework::decision::{Decision, DecisionRecord, Recipient};
use crate::casework::meeting::MeetingPack;
use crate::casework::share::ShareBody;
use crate::casework::supervision::SupervisionRecord;
use crate::casework::team_around_child::{HouseholdTeam, SocialCareStatus, TeamAroundChild};
use crate::casework::transfer::{TransferRecord, TransferTakenOn};
use crate::model::{
    EnvelopeId, EnvelopeKind, Household, HouseholdId, Observation, Person, PersonId,
    PractitionerId, TeamId, Visit, VoiceOfChild,
};
use crate::rules::acknowledgement::{ReadBackVerdict, ShareRecord};
use crate::rules::escalation::EscalationLadder;
use crate::rules::patterns::AlertEvent;
use crate::rules::referral::{DecisionOutcome, ReferralRecord};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ulid::Ulid;

/// A record that the field store can hold.
pub trait StoredRecord {
    /// Its record kind.
    const KIND: RecordKind;
    /// Its entity id, as stored.
    fn record_id(&self) -> String;
    /// Its clear columns.
    fn record_index(&self) -> RecordIndex;
}

/// Implements [`StoredRecord`] from a record's three facts: its kind name (stored in clear:
/// never change one), the field (or path of fields, `record.referral.id`) that is its id, and
/// the clear columns it fills, written as `column: value` with the record bound to the name
/// given; every other column stays empty.
/// One shape for every kind, so a reviewer reads a table of columns, not twenty impls.
macro_rules! stored_record {
    ($(#[$doc:meta])* $ty:ty => $kind:literal, id: $($id:ident).+,
     |$record:ident| { $($column:ident: $value:expr),* $(,)? }) => {
        $(#[$doc])*
        impl StoredRecord for $ty {
            const KIND: RecordKind = RecordKind::new($kind);
            fn record_id(&self) -> String {
                self$(.$id)+.to_string()
            }
            fn record_index(&self) -> RecordIndex {
                let $record = self;
                RecordIndex {
                    $($column: $value,)*
                    ..RecordIndex::default()
                }
            }
        }
    };
}

/// A fixed status word as the `status` column holds it.
fn word(word: &str) -> Option<String> {
    Some(word.to_owned())
}

stored_record!(Household => "household", id: id, |h| { household: Some(h.id) });

stored_record!(Person => "person", id: id, |p| {
    subject_person: Some(p.id),
    household: Some(p.household),
    nhs_number: p.nhs_number.as_ref().map(|n| n.as_digits().to_owned()),
});

stored_record!(Visit => "visit", id: id, |v| {
    household: Some(v.household),
    occurred_at: Some(v.started_at),
});

stored_record!(Observation => "observation", id: id, |o| {
    subject_person: Some(o.about),
    status: word(if o.is_open() { "open" } else { "closed" }),
    severity: Some(o.severity),
    occurred_at: Some(o.observed_at),
});

stored_record!(VoiceOfChild => "voice_note", id: id, |v| {
    subject_person: Some(v.child),
    occurred_at: Some(v.expressed_at),
});

stored_record!(Checklist => "checklist", id: id, |c| {
    subject_person: Some(c.person),
    status: word(if c.is_complete() { "complete" } else { "open" }),
    occurred_at: Some(c.started_at),
});

stored_record!(
    // The stored name from before the rename to "decision record" (issue 16 item 3): stores
    // written by earlier builds keep their rows under it, so it must not change.
    DecisionRecord => "sharing_decision", id: id, |d| {
        subject_person: d.about.first().copied(),
        team: decided_team(&d.decision),
        // The status words are stored too (and listed by), so they keep the earlier names.
        status: word(match d.decision {
            Decision::ToShare(_) => "share",
            Decision::NotToShare(_) => "not_share",
        }),
        occurred_at: Some(d.decided_at),
    }
);

/// The team a decision shares with, when it names a team rather than a person.
fn decided_team(decision: &Decision) -> Option<TeamId> {
    match decision {
        Decision::ToShare(d) => match d.recipient {
            Recipient::Team { team, .. } => Some(team),
            Recipient::Named { .. } => None,
        },
        Decision::NotToShare(_) => None,
    }
}

stored_record!(MeetingPack => "meeting_pack", id: id, |m| {
    subject_person: Some(m.child),
    occurred_at: Some(m.meeting_at),
});

stored_record!(SupervisionRecord => "supervision", id: id, |s| { occurred_at: Some(s.held_at) });

stored_record!(
    /// One record per child, keyed by the child's id; each change is a new version.
    TeamAroundChild => "team_around_child", id: child, |t| {
        subject_person: Some(t.child),
        household: Some(t.household),
        occurred_at: Some(t.changed_at),
    }
);

stored_record!(
    /// One record per child, keyed by the child's id; the status word is a fixed word.
    SocialCareStatus => "social_care_status", id: child, |s| {
        subject_person: Some(s.child),
        household: Some(s.household),
        status: word(s.level.word()),
        occurred_at: Some(s.recorded_at),
    }
);

stored_record!(
    /// A transfer of care on the sender's device, keyed by the share that carried it.
    TransferRecord => "transfer_of_care", id: share, |t| {
        subject_person: Some(t.child),
        household: Some(t.household),
        team: Some(t.team),
        status: word(if t.is_complete() { "transferred" } else { "awaiting_ack" }),
        due_at: Some(t.due_at),
        occurred_at: Some(t.sent_at),
    }
);

stored_record!(
    /// One record per household, keyed by the household's id; each change is a new version.
    HouseholdTeam => "household_team", id: household, |h| {
        household: Some(h.household),
        occurred_at: Some(h.changed_at),
    }
);

stored_record!(
    /// A transfer of care taken on, on the receiving device, keyed by the share that carried it.
    TransferTakenOn => "transfer_taken_on", id: share, |t| {
        subject_person: Some(t.child),
        household: Some(t.household),
        occurred_at: Some(t.at),
    }
);

/// A referral as stored, with the household it belongs to on this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredReferral {
    /// The referral and its decision.
    pub record: ReferralRecord,
    /// When the decision is due.
    pub due_at: DateTime<Utc>,
    /// The household on this device, if the child is on it.
    pub household: Option<HouseholdId>,
    /// True when it was recorded on this device before the server's clock was learnt: the
    /// due time is the device clock's, unverified (docs/clinical-decisions.md).
    #[serde(default)]
    pub clock_unverified: bool,
}

stored_record!(StoredReferral => "referral", id: record.referral.id, |r| {
    subject_person: Some(r.record.referral.about),
    household: r.household,
    team: Some(r.record.referral.front_door),
    status: word(match r.record.decision.as_ref().map(|d| &d.outcome) {
        None => "awaiting_decision",
        Some(DecisionOutcome::Accepted { .. }) => "accepted",
        Some(DecisionOutcome::NotAccepted { .. }) => "not_accepted",
    }),
    due_at: Some(r.due_at),
    occurred_at: Some(r.record.referral.sent_at),
});

/// The escalation ladder of one referral, stored under the referral's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEscalation {
    /// The ladder.
    pub ladder: EscalationLadder,
    /// Who the referral is about (for the chronology).
    pub about: PersonId,
}

stored_record!(StoredEscalation => "escalation", id: ladder.referral, |e| {
    subject_person: Some(e.about),
    status: word(if e.ladder.next_step().is_some() { "open" } else { "closed" }),
    occurred_at: Some(e.ladder.opened_at),
});

/// One pattern alert event (shown, dismissed), each its own record so none is overwritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAlertEvent {
    /// This record's id.
    pub id: Ulid,
    /// The event.
    pub event: AlertEvent,
}

stored_record!(StoredAlertEvent => "alert_event", id: id, |a| {
    subject_person: Some(a.event.key().child),
    status: word(match a.event {
        AlertEvent::Shown { .. } => "shown",
        AlertEvent::Dismissed { .. } => "dismissed",
    }),
    occurred_at: Some(match a.event {
        AlertEvent::Shown { at, .. } | AlertEvent::Dismissed { at, .. } => at,
    }),
});

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

    /// The status word kept in clear: the direction, then where the loop stands.
    fn status_word(&self) -> String {
        let direction = match self.direction {
            ShareDirection::Outgoing => "out",
            ShareDirection::Incoming => "in",
        };
        format!("{direction}_{}", self.loop_word())
    }

    /// Where the acknowledgement loop stands, as a fixed word.
    fn loop_word(&self) -> &'static str {
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

stored_record!(StoredShare => "share", id: record.share.id, |s| {
    // Only outgoing shares are about a person in this store.
    subject_person: match s.direction {
        ShareDirection::Outgoing => Some(s.record.share.about),
        ShareDirection::Incoming => None,
    },
    household: s.household,
    team: Some(s.record.share.team),
    status: Some(s.status_word()),
    severity: Some(s.record.share.severity),
    due_at: Some(s.due_at),
    occurred_at: Some(s.record.share.sent_at),
});

/// A call made from the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredCall {
    /// The call and its outcome.
    pub call: CallLog,
    /// Who it was about, when known (for the chronology).
    pub about: Option<PersonId>,
}

stored_record!(StoredCall => "call_log", id: call.id, |c| {
    subject_person: c.about,
    team: Some(c.call.team),
    status: word(if c.call.outcome.is_some() { "logged" } else { "started" }),
    occurred_at: Some(c.call.started_at),
});

/// The mark that an inbound envelope was applied: makes the session's `apply_inbound`
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

stored_record!(InboundMark => "inbound_envelope", id: envelope, |m| {
    status: Some(m.effect.clone()),
    occurred_at: Some(m.applied_at),
});

/// Inserts a new record in `tx`, under its kind, id and clear columns.
pub(crate) fn insert<T: StoredRecord + Serialize>(
    tx: &mut WriteTx<'_>,
    record: &T,
) -> Result<u64, StoreError> {
    tx.insert(T::KIND, record.record_id(), record, &record.record_index())
}

/// Writes a new version of a record in `tx`, replacing `version`, for `reason`.
pub(crate) fn amend<T: StoredRecord + Serialize>(
    tx: &mut WriteTx<'_>,
    version: u64,
    record: &T,
    reason: &str,
) -> Result<u64, StoreError> {
    tx.amend(
        T::KIND,
        record.record_id(),
        version,
        record,
        &record.record_index(),
        reason,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decision_records_keep_the_kind_name_stores_already_hold() {
        // Renaming the type must not orphan rows written by earlier builds.
        assert_eq!(DecisionRecord::KIND.as_str(), "sharing_decision");
    }

    #[test]
    fn every_kind_keeps_the_name_stores_already_hold() {
        // Kind names are stored in clear in every row: a changed one orphans a device's rows.
        let kinds = [
            Household::KIND,
            Person::KIND,
            Visit::KIND,
            Observation::KIND,
            VoiceOfChild::KIND,
            Checklist::KIND,
            DecisionRecord::KIND,
            MeetingPack::KIND,
            SupervisionRecord::KIND,
            TeamAroundChild::KIND,
            SocialCareStatus::KIND,
            TransferRecord::KIND,
            HouseholdTeam::KIND,
            TransferTakenOn::KIND,
            StoredReferral::KIND,
            StoredEscalation::KIND,
            StoredAlertEvent::KIND,
            StoredShare::KIND,
            StoredCall::KIND,
            InboundMark::KIND,
        ]
        .map(|kind| kind.as_str());
        assert_eq!(
            kinds,
            [
                "household",
                "person",
                "visit",
                "observation",
                "voice_note",
                "checklist",
                "sharing_decision",
                "meeting_pack",
                "supervision",
                "team_around_child",
                "social_care_status",
                "transfer_of_care",
                "household_team",
                "transfer_taken_on",
                "referral",
                "escalation",
                "alert_event",
                "share",
                "call_log",
                "inbound_envelope",
            ]
        );
        // Two types under one name would read each other's rows as their own.
        let unique: std::collections::BTreeSet<&str> = kinds.iter().copied().collect();
        assert_eq!(unique.len(), kinds.len(), "a kind name is used twice");
    }
}

//! How each record type of the model (and of checklists, sharing decisions, meeting packs,
//! supervision, the team around the child and transfers of care) goes into the encrypted field
//! store: its record kind and its clear columns. Also the app's own storage types that need
//! nothing above the store (referrals, escalation ladders, alert events), and the kind names of
//! the three app records whose types the store may not import (shares, call logs, inbound
//! marks: see `core/src/app/records.rs`), so every kind name is defined here, once, and the
//! tests below pin all of them and check no two share a name.
//!
//! One place so a reviewer can check in one sitting that no clear column carries personal
//! data: only ids, times, severity, fixed status words, and (for a person) the NHS number,
//! which the store keeps only as a keyed blind index. Everything else is in the sealed body.
//! Kind names are stored in clear and must never change.

use super::{RecordIndex, RecordKind};
use crate::casework::checklist::Checklist;
use crate::casework::decision::{Decision, DecisionRecord, Recipient};
use crate::casework::meeting::MeetingPack;
use crate::casework::supervision::SupervisionRecord;
use crate::casework::team_around_child::{HouseholdTeam, SocialCareStatus, TeamAroundChild};
use crate::casework::transfer::{TransferRecord, TransferTakenOn};
use crate::model::{
    Household, HouseholdId, Observation, Person, PersonId, TeamId, Visit, VoiceOfChild,
};
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

/// The kind of a share (sent or received); its type, `app::StoredShare`, carries an app body.
pub const SHARE: RecordKind = RecordKind::new("share");
/// The kind of a logged call; its type, `app::records::StoredCall`, carries a directory type.
pub const CALL_LOG: RecordKind = RecordKind::new("call_log");
/// The kind of an applied inbound envelope's mark; its type carries sync types.
pub const INBOUND_ENVELOPE: RecordKind = RecordKind::new("inbound_envelope");

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
        status: word(match d.decision {
            Decision::Share(_) => "share",
            Decision::NotShare(_) => "not_share",
        }),
        occurred_at: Some(d.decided_at),
    }
);

/// The team a decision shares with, when it names a team rather than a person.
fn decided_team(decision: &Decision) -> Option<TeamId> {
    match decision {
        Decision::Share(d) => match d.recipient {
            Recipient::Team { team, .. } => Some(team),
            Recipient::Named { .. } => None,
        },
        Decision::NotShare(_) => None,
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
            SHARE,
            CALL_LOG,
            INBOUND_ENVELOPE,
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

//! How each record type of the model (and of checklists, sharing decisions, meeting packs,
//! supervision, the team around the child and transfers of care) goes into the encrypted field
//! store: its record kind and its clear columns.
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
use crate::model::{Household, Observation, Person, Visit, VoiceOfChild};

/// A record that the field store can hold.
pub trait StoredRecord {
    /// Its record kind.
    const KIND: RecordKind;
    /// Its entity id, as stored.
    fn record_id(&self) -> String;
    /// Its clear columns.
    fn record_index(&self) -> RecordIndex;
}

impl StoredRecord for Household {
    const KIND: RecordKind = RecordKind::new("household");
    fn record_id(&self) -> String {
        self.id.to_string()
    }
    fn record_index(&self) -> RecordIndex {
        RecordIndex {
            household: Some(self.id),
            ..RecordIndex::default()
        }
    }
}

impl StoredRecord for Person {
    const KIND: RecordKind = RecordKind::new("person");
    fn record_id(&self) -> String {
        self.id.to_string()
    }
    fn record_index(&self) -> RecordIndex {
        RecordIndex {
            subject_person: Some(self.id),
            household: Some(self.household),
            nhs_number: self.nhs_number.as_ref().map(|n| n.as_digits().to_owned()),
            ..RecordIndex::default()
        }
    }
}

impl StoredRecord for Visit {
    const KIND: RecordKind = RecordKind::new("visit");
    fn record_id(&self) -> String {
        self.id.to_string()
    }
    fn record_index(&self) -> RecordIndex {
        RecordIndex {
            household: Some(self.household),
            occurred_at: Some(self.started_at),
            ..RecordIndex::default()
        }
    }
}

impl StoredRecord for Observation {
    const KIND: RecordKind = RecordKind::new("observation");
    fn record_id(&self) -> String {
        self.id.to_string()
    }
    fn record_index(&self) -> RecordIndex {
        RecordIndex {
            subject_person: Some(self.about),
            status: Some(if self.is_open() { "open" } else { "closed" }.to_owned()),
            severity: Some(self.severity),
            occurred_at: Some(self.observed_at),
            ..RecordIndex::default()
        }
    }
}

impl StoredRecord for VoiceOfChild {
    const KIND: RecordKind = RecordKind::new("voice_note");
    fn record_id(&self) -> String {
        self.id.to_string()
    }
    fn record_index(&self) -> RecordIndex {
        RecordIndex {
            subject_person: Some(self.child),
            occurred_at: Some(self.expressed_at),
            ..RecordIndex::default()
        }
    }
}

impl StoredRecord for Checklist {
    const KIND: RecordKind = RecordKind::new("checklist");
    fn record_id(&self) -> String {
        self.id.to_string()
    }
    fn record_index(&self) -> RecordIndex {
        RecordIndex {
            subject_person: Some(self.person),
            status: Some(
                if self.is_complete() {
                    "complete"
                } else {
                    "open"
                }
                .to_owned(),
            ),
            occurred_at: Some(self.started_at),
            ..RecordIndex::default()
        }
    }
}

impl StoredRecord for DecisionRecord {
    // The stored name from before the rename to "decision record" (issue 16 item 3): stores
    // written by earlier builds keep their rows under it, so it must not change.
    const KIND: RecordKind = RecordKind::new("sharing_decision");
    fn record_id(&self) -> String {
        self.id.to_string()
    }
    fn record_index(&self) -> RecordIndex {
        let (status, team) = match &self.decision {
            Decision::Share(d) => (
                "share",
                match d.recipient {
                    Recipient::Team { team, .. } => Some(team),
                    Recipient::Named { .. } => None,
                },
            ),
            Decision::NotShare(_) => ("not_share", None),
        };
        RecordIndex {
            subject_person: self.about.first().copied(),
            team,
            status: Some(status.to_owned()),
            occurred_at: Some(self.decided_at),
            ..RecordIndex::default()
        }
    }
}

impl StoredRecord for MeetingPack {
    const KIND: RecordKind = RecordKind::new("meeting_pack");
    fn record_id(&self) -> String {
        self.id.to_string()
    }
    fn record_index(&self) -> RecordIndex {
        RecordIndex {
            subject_person: Some(self.child),
            occurred_at: Some(self.meeting_at),
            ..RecordIndex::default()
        }
    }
}

impl StoredRecord for SupervisionRecord {
    const KIND: RecordKind = RecordKind::new("supervision");
    fn record_id(&self) -> String {
        self.id.to_string()
    }
    fn record_index(&self) -> RecordIndex {
        RecordIndex {
            occurred_at: Some(self.held_at),
            ..RecordIndex::default()
        }
    }
}

/// One record per child, keyed by the child's id; each change is a new version.
impl StoredRecord for TeamAroundChild {
    const KIND: RecordKind = RecordKind::new("team_around_child");
    fn record_id(&self) -> String {
        self.child.to_string()
    }
    fn record_index(&self) -> RecordIndex {
        RecordIndex {
            subject_person: Some(self.child),
            household: Some(self.household),
            occurred_at: Some(self.changed_at),
            ..RecordIndex::default()
        }
    }
}

/// One record per child, keyed by the child's id; the status word is a fixed word.
impl StoredRecord for SocialCareStatus {
    const KIND: RecordKind = RecordKind::new("social_care_status");
    fn record_id(&self) -> String {
        self.child.to_string()
    }
    fn record_index(&self) -> RecordIndex {
        RecordIndex {
            subject_person: Some(self.child),
            household: Some(self.household),
            status: Some(self.level.word().to_owned()),
            occurred_at: Some(self.recorded_at),
            ..RecordIndex::default()
        }
    }
}

/// A transfer of care on the sender's device, keyed by the share that carried it.
impl StoredRecord for TransferRecord {
    const KIND: RecordKind = RecordKind::new("transfer_of_care");
    fn record_id(&self) -> String {
        self.share.to_string()
    }
    fn record_index(&self) -> RecordIndex {
        RecordIndex {
            subject_person: Some(self.child),
            household: Some(self.household),
            team: Some(self.team),
            status: Some(
                if self.is_complete() {
                    "transferred"
                } else {
                    "awaiting_ack"
                }
                .to_owned(),
            ),
            due_at: Some(self.due_at),
            occurred_at: Some(self.sent_at),
            ..RecordIndex::default()
        }
    }
}

/// One record per household, keyed by the household's id; each change is a new version.
impl StoredRecord for HouseholdTeam {
    const KIND: RecordKind = RecordKind::new("household_team");
    fn record_id(&self) -> String {
        self.household.to_string()
    }
    fn record_index(&self) -> RecordIndex {
        RecordIndex {
            household: Some(self.household),
            occurred_at: Some(self.changed_at),
            ..RecordIndex::default()
        }
    }
}

/// A transfer of care taken on, on the receiving device, keyed by the share that carried it.
impl StoredRecord for TransferTakenOn {
    const KIND: RecordKind = RecordKind::new("transfer_taken_on");
    fn record_id(&self) -> String {
        self.share.to_string()
    }
    fn record_index(&self) -> RecordIndex {
        RecordIndex {
            subject_person: Some(self.child),
            household: Some(self.household),
            occurred_at: Some(self.at),
            ..RecordIndex::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decision_records_keep_the_kind_name_stores_already_hold() {
        // Renaming the type must not orphan rows written by earlier builds.
        assert_eq!(DecisionRecord::KIND.as_str(), "sharing_decision");
    }
}

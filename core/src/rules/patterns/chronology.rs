//! The chronology: every entry about a child or household in time order.
//!
//! Entries are the clear, already-decrypted view the store hands back on read (the store keeps
//! them sealed at rest). Ordering is by the instant the thing happened; entries at the same
//! instant keep the order they were given in (a stable sort), so a capture and its share made
//! in one transaction stay together as recorded.
//!
//! The entry kinds are the minimal set the rules need (issue 4). When the model's observation
//! and voice-of-the-child types land they are referenced here by id; the text shown is in
//! `summary`.

use crate::model::{
    ConcernCategory, HouseholdId, ObservationId, PersonId, ReferralId, Severity, ShareId, TeamId,
    VoiceNoteId,
};
use crate::rules::escalation::EscalationStep;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What an entry records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum EntryKind {
    /// An observation (a concern, or a fact seen or reported).
    Observation {
        /// The observation.
        id: ObservationId,
        /// Its category.
        category: ConcernCategory,
        /// Its severity.
        severity: Severity,
    },
    /// The voice of the child.
    VoiceOfChild {
        /// The note.
        id: VoiceNoteId,
    },
    /// Information shared with a team.
    Share {
        /// The share.
        id: ShareId,
        /// The team it went to.
        team: TeamId,
    },
    /// A team acknowledged a share.
    Acknowledgement {
        /// The share acknowledged.
        share: ShareId,
    },
    /// A referral to children's social care.
    Referral {
        /// The referral.
        id: ReferralId,
    },
    /// CSC's decision on a referral.
    ReferralDecision {
        /// The referral decided.
        referral: ReferralId,
        /// Whether it was accepted.
        accepted: bool,
    },
    /// A step of the escalation ladder.
    EscalationStep {
        /// The referral escalated.
        referral: ReferralId,
        /// The step taken.
        step: EscalationStep,
    },
    /// A multi-agency meeting (strategy discussion, conference, core group, ...).
    Meeting {
        /// Which kind of meeting, as named in the record.
        meeting: String,
    },
    /// A phone call with a team.
    Call {
        /// The team called.
        team: TeamId,
    },
}

/// One line of the chronology.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChronologyEntry {
    /// When it happened (UTC).
    pub at: DateTime<Utc>,
    /// The person it is about, if one.
    pub about: Option<PersonId>,
    /// The household it belongs to, if known.
    pub household: Option<HouseholdId>,
    /// What it records.
    pub kind: EntryKind,
    /// What the practitioner reads (decrypted on read; never logged).
    pub summary: String,
}

/// The chronology of one child: entries about them, oldest first.
pub fn for_child(entries: &[ChronologyEntry], child: PersonId) -> Vec<&ChronologyEntry> {
    in_time_order(entries.iter().filter(|e| e.about == Some(child)))
}

/// The chronology of a household: entries recorded against it or about any of its members,
/// oldest first.
pub fn for_household<'a>(
    entries: &'a [ChronologyEntry],
    household: HouseholdId,
    members: &[PersonId],
) -> Vec<&'a ChronologyEntry> {
    in_time_order(entries.iter().filter(|e| {
        e.household == Some(household) || e.about.is_some_and(|p| members.contains(&p))
    }))
}

fn in_time_order<'a>(
    entries: impl Iterator<Item = &'a ChronologyEntry>,
) -> Vec<&'a ChronologyEntry> {
    let mut list: Vec<&ChronologyEntry> = entries.collect();
    list.sort_by_key(|e| e.at);
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn entry(
        day: u32,
        about: PersonId,
        household: Option<HouseholdId>,
        summary: &str,
    ) -> ChronologyEntry {
        ChronologyEntry {
            at: Utc.with_ymd_and_hms(2026, 11, day, 10, 0, 0).unwrap(),
            about: Some(about),
            household,
            kind: EntryKind::Meeting {
                meeting: "Core group".into(),
            },
            summary: summary.into(),
        }
    }

    #[test]
    fn a_child_chronology_is_in_time_order_and_only_theirs() {
        let child = PersonId::new();
        let sibling = PersonId::new();
        let entries = vec![
            entry(20, child, None, "third"),
            entry(5, sibling, None, "sibling"),
            entry(1, child, None, "first"),
            entry(10, child, None, "second"),
        ];
        let got: Vec<&str> = for_child(&entries, child)
            .iter()
            .map(|e| e.summary.as_str())
            .collect();
        assert_eq!(got, ["first", "second", "third"]);
    }

    #[test]
    fn a_household_chronology_includes_every_member_and_household_entries() {
        let household = HouseholdId::new();
        let mother = PersonId::new();
        let baby = PersonId::new();
        let stranger = PersonId::new();
        let entries = vec![
            entry(3, baby, None, "baby"),
            entry(1, mother, None, "mother"),
            entry(
                2,
                stranger,
                Some(household),
                "partner, recorded on the household",
            ),
            entry(4, stranger, None, "someone else"),
        ];
        let got: Vec<&str> = for_household(&entries, household, &[mother, baby])
            .iter()
            .map(|e| e.summary.as_str())
            .collect();
        assert_eq!(
            got,
            ["mother", "partner, recorded on the household", "baby"]
        );
    }

    #[test]
    fn entries_at_the_same_instant_keep_their_recorded_order() {
        let child = PersonId::new();
        let entries = vec![
            entry(1, child, None, "capture"),
            entry(1, child, None, "share"),
        ];
        let got: Vec<&str> = for_child(&entries, child)
            .iter()
            .map(|e| e.summary.as_str())
            .collect();
        assert_eq!(got, ["capture", "share"]);
    }
}

//! The chronology: every entry about a child or household in time order.
//!
//! Entries are the clear, already-decrypted view the store hands back on read (the store keeps
//! them sealed at rest). Ordering is by the instant the thing happened; entries at the same
//! instant keep the order they were given in (a stable sort), so a capture and its share made
//! in one transaction stay together as recorded.
//!
//! Entries are built from the records themselves ([`ChronologyEntry::from_observation`],
//! [`ChronologyEntry::from_voice`], [`ChronologyEntry::from_referral`],
//! [`ChronologyEntry::from_share`]) so the time an entry sorts by is the time the record says
//! the thing happened (observed, expressed, sent, decided, acknowledged), not when it was typed.
//! Meetings, calls and the team around the child are added by their own modules with the same
//! fields.

use crate::model::observation::Observation;
use crate::model::voice::VoiceOfChild;
use crate::model::{
    ConcernCategory, HouseholdId, ObservationId, PersonId, ReferralId, Severity, ShareId, TeamId,
    VoiceNoteId,
};
use crate::rules::acknowledgement::ShareRecord;
use crate::rules::escalation::{EscalationLadder, EscalationStep, StepOutcome};
use crate::rules::referral::{DecisionOutcome, ReferralRecord};
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
    /// A change to the team around the child (a member joined or left, a lead professional
    /// named); one entry per version of the record.
    TeamAroundChild,
    /// The child's children's social care status recorded; one entry per version.
    SocialCareStatus,
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

/// One line of a child's chronology as a screen shows it: the entry flattened, its kind as a
/// word and its record id, when it has one, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChronologyLine {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What it records: `observation`, `voice_of_child`, `share`, `acknowledgement`,
    /// `referral`, `referral_decision`, `escalation_step`, `meeting`, `call`,
    /// `team_around_child` or `social_care_status`.
    pub kind: String,
    /// The record's id, when it has one of its own.
    pub record_id: Option<String>,
    /// An observation's severity.
    pub severity: Option<Severity>,
    /// An observation's category.
    pub category: Option<ConcernCategory>,
    /// What the practitioner reads.
    pub summary: String,
}

impl From<ChronologyEntry> for ChronologyLine {
    fn from(value: ChronologyEntry) -> Self {
        let (kind, record_id, severity, category) = match value.kind {
            EntryKind::Observation {
                id,
                category,
                severity,
            } => (
                "observation",
                Some(id.to_string()),
                Some(severity),
                Some(category),
            ),
            EntryKind::VoiceOfChild { id } => ("voice_of_child", Some(id.to_string()), None, None),
            EntryKind::Share { id, .. } => ("share", Some(id.to_string()), None, None),
            EntryKind::Acknowledgement { share } => {
                ("acknowledgement", Some(share.to_string()), None, None)
            }
            EntryKind::Referral { id } => ("referral", Some(id.to_string()), None, None),
            EntryKind::ReferralDecision { referral, .. } => {
                ("referral_decision", Some(referral.to_string()), None, None)
            }
            EntryKind::EscalationStep { referral, .. } => {
                ("escalation_step", Some(referral.to_string()), None, None)
            }
            EntryKind::Meeting { .. } => ("meeting", None, None, None),
            EntryKind::Call { .. } => ("call", None, None, None),
            EntryKind::TeamAroundChild => ("team_around_child", None, None, None),
            EntryKind::SocialCareStatus => ("social_care_status", None, None, None),
        };
        ChronologyLine {
            at: value.at,
            kind: kind.to_owned(),
            record_id,
            severity,
            category,
            summary: value.summary,
        }
    }
}

impl ChronologyEntry {
    /// An observation, at the time it was observed.
    pub fn from_observation(observation: &Observation, household: Option<HouseholdId>) -> Self {
        ChronologyEntry {
            at: observation.observed_at,
            about: Some(observation.about),
            household,
            kind: EntryKind::Observation {
                id: observation.id,
                category: observation.category.clone(),
                severity: observation.severity,
            },
            summary: observation.description.clone(),
        }
    }

    /// A voice-of-the-child note, at the time the child expressed it.
    pub fn from_voice(note: &VoiceOfChild, household: Option<HouseholdId>) -> Self {
        ChronologyEntry {
            at: note.expressed_at,
            about: Some(note.child),
            household,
            kind: EntryKind::VoiceOfChild { id: note.id },
            summary: note.words.clone(),
        }
    }

    /// A referral and, once it has arrived, CSC's decision: one or two entries.
    pub fn from_referral(record: &ReferralRecord, household: Option<HouseholdId>) -> Vec<Self> {
        let referral = &record.referral;
        let mut entries = vec![ChronologyEntry {
            at: referral.sent_at,
            about: Some(referral.about),
            household,
            kind: EntryKind::Referral { id: referral.id },
            summary: format!(
                "Referral to {}: {}",
                referral.front_door_name, referral.summary
            ),
        }];
        if let Some(decision) = &record.decision {
            let (accepted, summary) = match &decision.outcome {
                DecisionOutcome::Accepted { response } => {
                    (true, format!("Referral accepted: {response}"))
                }
                DecisionOutcome::NotAccepted { reasons } => {
                    (false, format!("Referral not accepted: {reasons}"))
                }
            };
            entries.push(ChronologyEntry {
                at: decision.arrived_at,
                about: Some(referral.about),
                household,
                kind: EntryKind::ReferralDecision {
                    referral: referral.id,
                    accepted,
                },
                summary,
            });
        }
        entries
    }

    /// A share and, once it has come, its acknowledgement with the read-back: one or two
    /// entries.
    pub fn from_share(record: &ShareRecord, household: Option<HouseholdId>) -> Vec<Self> {
        let share = &record.share;
        let mut entries = vec![ChronologyEntry {
            at: share.sent_at,
            about: Some(share.about),
            household,
            kind: EntryKind::Share {
                id: share.id,
                team: share.team,
            },
            summary: format!("Shared with {}", share.team_name),
        }];
        if let Some(ack) = &record.acknowledgement {
            entries.push(ChronologyEntry {
                at: ack.at,
                about: Some(share.about),
                household,
                kind: EntryKind::Acknowledgement { share: share.id },
                summary: format!(
                    "Acknowledged by {}. Read-back: {}; risk: {}; next: {}",
                    share.team_name,
                    ack.read_back.who,
                    ack.read_back.risk,
                    ack.read_back.next_action
                ),
            });
        }
        entries
    }

    /// The escalation steps taken on a referral about `about`, one entry each.
    pub fn from_escalation(
        ladder: &EscalationLadder,
        about: PersonId,
        household: Option<HouseholdId>,
    ) -> Vec<Self> {
        ladder
            .steps()
            .iter()
            .map(|record| {
                let (done, text) = match &record.outcome {
                    StepOutcome::Done(text) => ("", text),
                    StepOutcome::NotApplicable(text) => ("not applicable: ", text),
                };
                ChronologyEntry {
                    at: record.taken_at,
                    about: Some(about),
                    household,
                    kind: EntryKind::EscalationStep {
                        referral: ladder.referral,
                        step: record.step,
                    },
                    summary: format!("{} {done}{text}", record.step.prompt()),
                }
            })
            .collect()
    }
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
    fn escalation_steps_enter_the_chronology_with_their_outcome() {
        use crate::model::{PractitionerId, ReferralId};
        use crate::rules::escalation::{EscalationTrigger, StepRecord};
        let child = PersonId::new();
        let opened = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
        let mut ladder = EscalationLadder::open(
            ReferralId::new(),
            PractitionerId::new(),
            EscalationTrigger::NotAccepted,
            opened,
        );
        ladder
            .record(StepRecord {
                step: EscalationStep::ReviewAndReRefer,
                taken_at: opened + chrono::Duration::hours(2),
                taken_by: PractitionerId::new(),
                outcome: StepOutcome::Done("Re-referred with the growth chart".into()),
            })
            .unwrap();
        let entries = ChronologyEntry::from_escalation(&ladder, child, None);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].at, opened + chrono::Duration::hours(2));
        assert!(entries[0]
            .summary
            .ends_with("Re-referred with the growth chart"));
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

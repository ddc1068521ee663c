//! The Chronology screen: everything recorded about one child on this phone, in the order it
//! happened, with who recorded it and whether it was amended, and the ways into the child's
//! pattern alerts, meeting packs, team around the child and each observation's history.
//!
//! Owns the wording (London times, what kind of entry, "Recorded by ...", "Amended ...") and
//! the actions. The entries and their order are the chronology rule's
//! ([`crate::rules::patterns::chronology`], through the store read that decrypts them once);
//! nothing here sorts or filters them. Both shells formatted the entry's UTC instant
//! themselves before this record (`EEE d MMM, HH:mm` in each platform's zone data); the time
//! is core's now, worded against the screen's one instant ([`super::time::london_time`]).
//!
//! Invariants, and why:
//! - Every entry the rule returns is a row, in the rule's order: a chronology that drops or
//!   reorders an entry misleads the next reader.
//! - An amended observation or voice note says so on its row, with the version and the
//!   reason, and offers its history: a clinical record is never overwritten, and the reader
//!   must see that what they read is a corrected version.
//! - "Recorded by" names this phone's practitioner by name and anyone else as "a colleague"
//!   (as the review screens do); entries with no writer of their own on this phone (an
//!   acknowledgement, a decision, a call, a team change) carry no such line rather than a
//!   guessed one.

use super::checklists::person_name;
use super::review::by_words;
use super::time::london_time;
use super::visit::sentence;
use crate::app::{AppError, EntryWriter, Session};
use crate::model::{ObservationId, Person, PersonId};
use crate::rules::patterns::{self, EntryKind};
use crate::store::StoredRecord;

/// What the practitioner can do from the Chronology screen; each opens another screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ChronologyActionKind {
    /// The child's standing pattern alerts (`Casework.pattern_alerts_screen(child)`).
    OpenPatternAlerts {
        /// The child.
        child: PersonId,
    },
    /// The child's meeting packs (`Casework.meeting_packs_screen(child)`).
    OpenMeetingPacks {
        /// The child.
        child: PersonId,
    },
    /// The child's team around the child (`Session.team_screen(child)`).
    OpenTeam {
        /// The child.
        child: PersonId,
    },
    /// One observation's versions, amending and closing it
    /// (`Casework.observation_history_screen(observation)`).
    OpenObservation {
        /// The observation.
        observation: ObservationId,
    },
}

/// One action on the Chronology screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChronologyAction {
    /// What it opens.
    pub kind: ChronologyActionKind,
    /// What the button says.
    pub label: String,
    /// Whether it can be pressed now.
    pub enabled: bool,
    /// The line under it.
    pub detail: Option<String>,
}

/// One entry of the chronology.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChronologyRow {
    /// When it happened, London time: "today 10:00", "Sun 29 Mar 09:00".
    pub when: String,
    /// What kind of entry: "Observation · Domestic abuse · Concern", "Voice of the child",
    /// "Shared", "Referral to children's social care".
    pub heading: String,
    /// What the practitioner reads.
    pub summary: String,
    /// "Recorded by Midwife Ash", when this phone knows who recorded it.
    pub recorded_by: Option<String>,
    /// "Amended: this is version 2. Reason: wrong arm recorded", for an amended observation
    /// or voice note (for a closed one amended before it was closed: "Amended before it was
    /// closed: this is version 3; its history has each change").
    pub amended: Option<String>,
    /// "Closed today 09:00: Seen stored safely", for a closed observation.
    pub closed: Option<String>,
    /// "Open history" for an observation.
    pub actions: Vec<ChronologyAction>,
}

/// A child's chronology.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChronologyScreen {
    /// The child.
    pub child: PersonId,
    /// "Chronology: Zebedee Quartermain".
    pub title: String,
    /// Oldest first, in the chronology rule's order.
    pub rows: Vec<ChronologyRow>,
    /// Shown instead of the rows when nothing is recorded.
    pub empty: Option<String>,
    /// Pattern alerts, Meeting packs, Team around the child.
    pub actions: Vec<ChronologyAction>,
}

fn open(kind: ChronologyActionKind, label: &str) -> ChronologyAction {
    ChronologyAction {
        kind,
        label: label.to_owned(),
        enabled: true,
        detail: None,
    }
}

/// What kind of entry, in words, and the record id whose writer the row may name.
fn heading(kind: &EntryKind) -> (String, Option<String>) {
    match kind {
        EntryKind::Observation {
            id,
            category,
            severity,
        } => (
            format!(
                "Observation · {} · {}",
                sentence(category.label()),
                sentence(severity.label())
            ),
            Some(id.to_string()),
        ),
        EntryKind::VoiceOfChild { id } => ("Voice of the child".to_owned(), Some(id.to_string())),
        EntryKind::Share { id, .. } => ("Shared".to_owned(), Some(id.to_string())),
        EntryKind::Acknowledgement { .. } => ("Acknowledged".to_owned(), None),
        EntryKind::Referral { id } => (
            "Referral to children's social care".to_owned(),
            Some(id.to_string()),
        ),
        EntryKind::ReferralDecision { accepted, .. } => (
            if *accepted {
                "Referral accepted".to_owned()
            } else {
                "Referral not accepted".to_owned()
            },
            None,
        ),
        EntryKind::EscalationStep { .. } => ("Escalation step".to_owned(), None),
        EntryKind::Meeting { meeting } => (format!("Meeting: {meeting}"), None),
        EntryKind::Call { .. } => ("Call".to_owned(), None),
        EntryKind::TeamAroundChild => ("Team around the child".to_owned(), None),
        EntryKind::SocialCareStatus => ("Social care status".to_owned(), None),
    }
}

/// Whether and how a row says its record was amended. Closing an observation writes a version
/// too, with the closing reason: that version is the "Closed" line, not an amendment.
fn amended_words(writer: &EntryWriter) -> Option<String> {
    if !writer.amended {
        return None;
    }
    match (&writer.closed, &writer.reason) {
        (Some(_), _) if writer.version <= 2 => None,
        (Some(_), _) => Some(format!(
            "Amended before it was closed: this is version {}; its history has each change.",
            writer.version
        )),
        (None, Some(reason)) => Some(format!(
            "Amended: this is version {}. Reason: {reason}",
            writer.version
        )),
        (None, None) => Some(format!("Amended: this is version {}.", writer.version)),
    }
}

impl Session {
    /// `child`'s chronology at the session clock's instant: every entry in order, worded in
    /// London time, with who recorded it and whether it was amended. One store transaction
    /// reads (and audits) the child and every record about them once.
    pub fn chronology_screen(&self, child: PersonId) -> Result<ChronologyScreen, AppError> {
        let now = self.now()?;
        let (person, entries, writers) = self.with_store(|store| {
            store.write(self.actor(), |tx| {
                let person = tx.get::<Person>(Person::KIND, child)?.body;
                let (entries, writers) = crate::app::entries_and_writers(tx, &person)?;
                Ok::<_, AppError>((person, entries, writers))
            })
        })?;
        let rows: Vec<ChronologyRow> = patterns::for_child(&entries, child)
            .into_iter()
            .map(|entry| {
                let (heading, record_id) = heading(&entry.kind);
                let writer = record_id
                    .as_deref()
                    .and_then(|id| writers.iter().find(|w| w.record_id == id));
                let actions = match &entry.kind {
                    EntryKind::Observation { id, .. } => vec![open(
                        ChronologyActionKind::OpenObservation { observation: *id },
                        "Open history",
                    )],
                    _ => Vec::new(),
                };
                ChronologyRow {
                    when: london_time(entry.at, now),
                    heading,
                    summary: entry.summary.clone(),
                    recorded_by: writer
                        .map(|w| format!("Recorded by {}", by_words(self, w.recorded_by))),
                    amended: writer.and_then(amended_words),
                    closed: writer
                        .and_then(|w| w.closed.as_ref())
                        .map(|c| format!("Closed {}: {}", london_time(c.at, now), c.reason)),
                    actions,
                }
            })
            .collect();
        Ok(ChronologyScreen {
            child,
            title: format!("Chronology: {}", person_name(&person)),
            empty: rows
                .is_empty()
                .then(|| "Nothing is recorded about this child on this phone yet.".to_owned()),
            rows,
            actions: vec![
                open(
                    ChronologyActionKind::OpenPatternAlerts { child },
                    "Pattern alerts",
                ),
                open(
                    ChronologyActionKind::OpenMeetingPacks { child },
                    "Meeting packs",
                ),
                open(
                    ChronologyActionKind::OpenTeam { child },
                    "Team around the child",
                ),
            ],
        })
    }
}

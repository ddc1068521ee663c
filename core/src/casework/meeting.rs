//! Multi-agency meeting packs: what health brings to a Strategy Discussion, Child Protection
//! Conference, Core Group, Child in Need, Early Help or Review of Arrangements meeting, as
//! structured data the shells render; and the record of what was shared there and of any
//! challenge to inaccurate minutes.
//!
//! Source: the health guidance for multi-agency meetings (docs/domain.md, "Multi-agency
//! meetings"): health needs and long-term conditions, medication and its significance,
//! was-not-brought history, growth, follow-up appointments, the health care plan, the child's
//! voice, and the names and contacts of all health staff involved; the practitioner says which
//! parts of care they represent.
//!
//! The pack is built from the child's chronology, which the rules module assembles; this
//! module defines the minimal entry types it needs ([`PackEntry`]). Every pack has every
//! section, in the fixed order of [`SectionKind::ORDER`], even when empty (an empty section is
//! itself information: "no growth recorded"). Within a section, entries are in time order,
//! oldest first; entries at the same instant keep their chronology order.
//!
//! Section of each entry:
//! 1. Health needs: long-term conditions; observations of a long-term condition not managed
//!    or a new or emerging health need.
//! 2. Medication: medication entries; medication observations.
//! 3. Was not brought: appointments the child was not brought to; was-not-brought observations.
//! 4. Growth: growth measurements; growth or weight observations.
//! 5. Follow-up appointments: booked appointments (past ones whose outcome is not yet
//!    recorded stay here, so they are not lost).
//! 6. Health care plan: care plan entries.
//! 7. Child's voice: voice-of-the-child notes.
//! 8. Other concerns: every other observation.
//! 9. Health staff involved: names and contacts.
//!
//! Observations and voice notes may come whole ([`EntryKind::Observation`],
//! [`EntryKind::VoiceOfChild`]) or as the rules' chronology lines
//! ([`entries_from_rules_chronology`]); both land in the same sections. Attended appointments
//! are not part of the pack.
//!
//! A pack for a Child Protection Conference carries the supervision-oversight prompt
//! ([`crate::casework::supervision`]) when the practitioner has no oversight recorded beforehand.

use crate::casework::supervision::{
    conference_oversight_prompt, OversightPolicy, OversightPrompt, SupervisionRecord,
};
use crate::model::{
    ConcernCategory, MeetingPackId, Observation, ObservationId, PersonId, PractitionerId, Severity,
    VoiceNoteId, VoiceOfChild,
};
use crate::rules::patterns::chronology as rules_chronology;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Why a pack, or a note on it, could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MeetingError {
    /// A required field is empty.
    #[error("{field} is required")]
    Required {
        /// The field.
        field: &'static str,
    },
    /// The practitioner did not say which parts of care they represent.
    #[error("represents: say which parts of the child's care you represent")]
    NothingRepresented,
    /// What was shared at the meeting, or a challenge to its minutes, recorded before the
    /// meeting started: the health record would say something happened at a meeting not yet
    /// held (the pack's screen offers neither until the start).
    #[error("the meeting has not started yet: record this from its start")]
    NotYetHeld,
}

/// The kinds of multi-agency meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum MeetingType {
    /// Strategy Discussion.
    StrategyDiscussion,
    /// Child Protection Conference (initial or review).
    ChildProtectionConference,
    /// Core Group.
    CoreGroup,
    /// Child in Need.
    ChildInNeed,
    /// Early Help.
    EarlyHelp,
    /// Review of Arrangements (looked-after children).
    ReviewOfArrangements,
}

/// A long-term condition.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "condition", content = "name")]
pub enum LongTermCondition {
    /// Epilepsy.
    Epilepsy,
    /// Asthma.
    Asthma,
    /// Diabetes.
    Diabetes,
    /// Learning disability.
    LearningDisability,
    /// Neurodiversity (e.g. autism, ADHD).
    Neurodiversity,
    /// Another condition, named.
    Other(String),
}

/// Whether the child was brought to an appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    /// Booked; outcome not yet recorded.
    Booked,
    /// Attended.
    Attended,
    /// The child was not brought.
    WasNotBrought,
}

/// What a chronology entry is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "entry")]
pub enum EntryKind {
    /// A captured observation.
    Observation(Box<Observation>),
    /// A voice-of-the-child note.
    VoiceOfChild(Box<VoiceOfChild>),
    /// An observation as the rules' chronology lists it (id, category, severity, summary).
    ObservationLine {
        /// The observation.
        id: ObservationId,
        /// Its category.
        category: ConcernCategory,
        /// Its severity.
        severity: Severity,
        /// What the practitioner reads.
        summary: String,
    },
    /// A voice-of-the-child note as the rules' chronology lists it.
    VoiceLine {
        /// The note.
        id: VoiceNoteId,
        /// What the practitioner reads.
        summary: String,
    },
    /// A long-term condition.
    Condition {
        /// Which.
        condition: LongTermCondition,
        /// How it affects the child and how it is managed.
        detail: String,
    },
    /// A medicine.
    Medication {
        /// The medicine.
        medicine: String,
        /// Dose and frequency.
        dose: String,
        /// Why it matters (e.g. "missed doses risk seizures").
        significance: String,
    },
    /// A growth measurement.
    Growth {
        /// Weight in grams.
        weight_grams: Option<u32>,
        /// Length or height in millimetres.
        length_mm: Option<u32>,
        /// Head circumference in millimetres.
        head_circumference_mm: Option<u32>,
        /// The centile as read from the chart (e.g. "9th-25th").
        centile: String,
    },
    /// An appointment.
    Appointment {
        /// The service (e.g. "paediatric epilepsy clinic").
        service: String,
        /// Whether the child was brought.
        attendance: Attendance,
    },
    /// The health care plan (latest last).
    CarePlan {
        /// The plan, summarised.
        summary: String,
    },
    /// A health practitioner involved with the child.
    HealthStaff {
        /// Name.
        name: String,
        /// Role and organisation.
        role: String,
        /// Phone.
        phone: Option<String>,
    },
}

/// One entry of a child's chronology, as the pack needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackEntry {
    /// Who the entry is about (the child, or a family member whose entry is in the child's
    /// chronology).
    pub about: PersonId,
    /// When it happened (for an appointment, when it is or was booked for).
    pub at: DateTime<Utc>,
    /// What it is.
    pub kind: EntryKind,
}

/// The pack's entries from the rules' chronology of one child
/// ([`crate::rules::patterns::chronology`]): its observations and voice-of-the-child lines.
/// Shares, referrals, meetings and calls are not health content for the pack and are left
/// out; entries about no one are left out too. Health-only facts the rules' chronology does
/// not carry (conditions, medication, growth, appointments, care plan, staff) are added by
/// the caller as [`EntryKind`]s of their own.
pub fn entries_from_rules_chronology(
    entries: &[rules_chronology::ChronologyEntry],
) -> Vec<PackEntry> {
    entries
        .iter()
        .filter_map(|e| {
            let about = e.about?;
            let kind = match &e.kind {
                rules_chronology::EntryKind::Observation {
                    id,
                    category,
                    severity,
                } => EntryKind::ObservationLine {
                    id: *id,
                    category: category.clone(),
                    severity: *severity,
                    summary: e.summary.clone(),
                },
                rules_chronology::EntryKind::VoiceOfChild { id } => EntryKind::VoiceLine {
                    id: *id,
                    summary: e.summary.clone(),
                },
                _ => return None,
            };
            Some(PackEntry {
                about,
                at: e.at,
                kind,
            })
        })
        .collect()
}

/// The sections of a pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// Health needs and long-term conditions.
    HealthNeeds,
    /// Medication and its significance.
    Medication,
    /// Was-not-brought history.
    WasNotBrought,
    /// Growth (centile entries).
    Growth,
    /// Follow-up appointments.
    FollowUpAppointments,
    /// Health care plan.
    CarePlan,
    /// The child's voice.
    ChildsVoice,
    /// Other concerns recorded.
    OtherConcerns,
    /// Names and contacts of all health staff involved.
    HealthStaff,
}

impl SectionKind {
    /// Every section, in the order a pack presents them.
    pub const ORDER: [SectionKind; 9] = [
        SectionKind::HealthNeeds,
        SectionKind::Medication,
        SectionKind::WasNotBrought,
        SectionKind::Growth,
        SectionKind::FollowUpAppointments,
        SectionKind::CarePlan,
        SectionKind::ChildsVoice,
        SectionKind::OtherConcerns,
        SectionKind::HealthStaff,
    ];

    /// The section heading.
    pub fn title(&self) -> &'static str {
        match self {
            SectionKind::HealthNeeds => "Health needs and long-term conditions",
            SectionKind::Medication => "Medication and its significance",
            SectionKind::WasNotBrought => "Was not brought",
            SectionKind::Growth => "Growth",
            SectionKind::FollowUpAppointments => "Follow-up appointments",
            SectionKind::CarePlan => "Health care plan",
            SectionKind::ChildsVoice => "The child's voice",
            SectionKind::OtherConcerns => "Other concerns recorded",
            SectionKind::HealthStaff => "Health staff involved",
        }
    }

    /// The section an entry belongs in, if any (attended appointments: none).
    pub fn of(kind: &EntryKind) -> Option<Self> {
        Some(match kind {
            EntryKind::Condition { .. } => SectionKind::HealthNeeds,
            EntryKind::Medication { .. } => SectionKind::Medication,
            EntryKind::Growth { .. } => SectionKind::Growth,
            EntryKind::Appointment {
                attendance: Attendance::WasNotBrought,
                ..
            } => SectionKind::WasNotBrought,
            EntryKind::Appointment {
                attendance: Attendance::Booked,
                ..
            } => SectionKind::FollowUpAppointments,
            EntryKind::Appointment {
                attendance: Attendance::Attended,
                ..
            } => return None,
            EntryKind::CarePlan { .. } => SectionKind::CarePlan,
            EntryKind::VoiceOfChild(_) | EntryKind::VoiceLine { .. } => SectionKind::ChildsVoice,
            EntryKind::ObservationLine { category, .. } => Self::of_category(category),
            EntryKind::HealthStaff { .. } => SectionKind::HealthStaff,
            EntryKind::Observation(o) => Self::of_category(&o.category),
        })
    }

    fn of_category(category: &ConcernCategory) -> Self {
        match category {
            ConcernCategory::LongTermConditionNotManaged
            | ConcernCategory::NewOrEmergingHealthNeed => SectionKind::HealthNeeds,
            ConcernCategory::Medication => SectionKind::Medication,
            ConcernCategory::WasNotBrought => SectionKind::WasNotBrought,
            ConcernCategory::GrowthOrWeight => SectionKind::Growth,
            _ => SectionKind::OtherConcerns,
        }
    }
}

/// One section of a pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackSection {
    /// Which section.
    pub kind: SectionKind,
    /// Its heading.
    pub title: String,
    /// Its entries, oldest first.
    pub entries: Vec<PackEntry>,
}

/// A record of what the practitioner shared at the meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedAtMeeting {
    /// Who.
    pub recorded_by: PractitionerId,
    /// When.
    pub recorded_at: DateTime<Utc>,
    /// What was shared.
    pub summary: String,
    /// Which sections of the pack it covered.
    pub sections: Vec<SectionKind>,
}

/// A challenge to inaccurate minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutesChallenge {
    /// Who raised it.
    pub raised_by: PractitionerId,
    /// When.
    pub raised_at: DateTime<Utc>,
    /// What the minutes say that is wrong.
    pub inaccuracy: String,
    /// What they should say.
    pub correction: String,
    /// Who it was raised with (e.g. the conference chair).
    pub raised_with: String,
}

/// What is entered to prepare a pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMeetingPack {
    /// The child.
    pub child: PersonId,
    /// The meeting.
    pub meeting_type: MeetingType,
    /// When it is.
    pub meeting_at: DateTime<Utc>,
    /// Who prepares and attends.
    pub prepared_by: PractitionerId,
    /// Which parts of the child's care the practitioner represents.
    pub represents: Vec<String>,
}

/// A meeting pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingPack {
    /// Identifier.
    pub id: MeetingPackId,
    /// The child.
    pub child: PersonId,
    /// The meeting.
    pub meeting_type: MeetingType,
    /// When it is.
    pub meeting_at: DateTime<Utc>,
    /// Who prepared it.
    pub prepared_by: PractitionerId,
    /// When.
    pub prepared_at: DateTime<Utc>,
    /// Which parts of care the practitioner represents.
    pub represents: Vec<String>,
    /// Every section, in [`SectionKind::ORDER`].
    pub sections: Vec<PackSection>,
    /// For a Child Protection Conference without supervision oversight: the prompt.
    pub supervision_prompt: Option<OversightPrompt>,
    /// What was shared at the meeting.
    pub shared_at_meeting: Vec<SharedAtMeeting>,
    /// Challenges to inaccurate minutes.
    pub minutes_challenges: Vec<MinutesChallenge>,
}

impl MeetingPack {
    /// Assembles a pack from the child's chronology. For a Child Protection Conference the
    /// practitioner's supervision records are checked for oversight of this child.
    pub fn assemble(
        new: NewMeetingPack,
        chronology: &[PackEntry],
        supervision: &[SupervisionRecord],
        policy: OversightPolicy,
        now: DateTime<Utc>,
    ) -> Result<Self, MeetingError> {
        let represents: Vec<String> = new
            .represents
            .into_iter()
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty())
            .collect();
        if represents.is_empty() {
            return Err(MeetingError::NothingRepresented);
        }
        let mut sections: Vec<PackSection> = SectionKind::ORDER
            .iter()
            .map(|k| PackSection {
                kind: *k,
                title: k.title().to_owned(),
                entries: Vec::new(),
            })
            .collect();
        for entry in chronology {
            if let Some(kind) = SectionKind::of(&entry.kind) {
                if let Some(section) = sections.iter_mut().find(|s| s.kind == kind) {
                    section.entries.push(entry.clone());
                }
            }
        }
        for section in &mut sections {
            // Stable: same-instant entries keep chronology order.
            section.entries.sort_by_key(|e| e.at);
        }
        let supervision_prompt = match new.meeting_type {
            MeetingType::ChildProtectionConference => conference_oversight_prompt(
                new.prepared_by,
                new.child,
                new.meeting_at,
                supervision,
                policy,
            ),
            _ => None,
        };
        Ok(Self {
            id: MeetingPackId::new(),
            child: new.child,
            meeting_type: new.meeting_type,
            meeting_at: new.meeting_at,
            prepared_by: new.prepared_by,
            prepared_at: now,
            represents,
            sections,
            supervision_prompt,
            shared_at_meeting: Vec::new(),
            minutes_challenges: Vec::new(),
        })
    }

    /// The section of a kind.
    pub fn section(&self, kind: SectionKind) -> Option<&PackSection> {
        self.sections.iter().find(|s| s.kind == kind)
    }

    /// Records what was shared at the meeting (for the health record).
    pub fn record_shared(&mut self, shared: SharedAtMeeting) -> Result<(), MeetingError> {
        self.held_by(shared.recorded_at)?;
        let summary = required("summary", shared.summary)?;
        self.shared_at_meeting
            .push(SharedAtMeeting { summary, ..shared });
        Ok(())
    }

    /// Refuses what only a meeting already started can have (what was shared, its minutes)
    /// when recorded at `at`, before the start.
    fn held_by(&self, at: DateTime<Utc>) -> Result<(), MeetingError> {
        if at < self.meeting_at {
            return Err(MeetingError::NotYetHeld);
        }
        Ok(())
    }

    /// Records a challenge to inaccurate minutes.
    pub fn challenge_minutes(&mut self, challenge: MinutesChallenge) -> Result<(), MeetingError> {
        self.held_by(challenge.raised_at)?;
        let c = MinutesChallenge {
            raised_by: challenge.raised_by,
            raised_at: challenge.raised_at,
            inaccuracy: required("inaccuracy", challenge.inaccuracy)?,
            correction: required("correction", challenge.correction)?,
            raised_with: required("raised_with", challenge.raised_with)?,
        };
        self.minutes_challenges.push(c);
        Ok(())
    }
}

fn required(field: &'static str, value: String) -> Result<String, MeetingError> {
    let t = value.trim();
    if t.is_empty() {
        Err(MeetingError::Required { field })
    } else {
        Ok(t.to_owned())
    }
}

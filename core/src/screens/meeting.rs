//! The Meeting pack screens: a child's multi-agency meeting packs, and one pack as health takes
//! it to the meeting: every section in order, the health staff involved from the team around the
//! child with their numbers, and what is missing before the meeting.
//!
//! Owns the wording of each section's entries (London times), the "missing before the meeting"
//! list and the actions (prepare a pack, record supervision, add health staff, record what was
//! shared, challenge the minutes) with whether each is enabled. The sections and their order
//! are the pack's ([`crate::casework::meeting`]); whether supervision oversight is missing is the
//! supervision rule's ([`crate::casework::supervision::conference_oversight_prompt`]), asked
//! again at the screen's instant so a supervision recorded after the pack was prepared clears
//! the prompt.
//!
//! Invariants, and why:
//! - "Health staff involved" is the team around the child *now* (each health member with the
//!   directory's numbers), not the list stored when the pack was prepared: the guidance asks for
//!   the names and contacts of all health staff at the meeting, and an out-of-date list is the
//!   failure it guards against (docs/clinical-decisions.md, "Screens").
//! - Every section is shown, an empty one as "None recorded": an empty section is itself
//!   information for the meeting.
//! - What was shared and a challenge to the minutes can be recorded only from the meeting's
//!   start: before it, the buttons are shown disabled with when they open.

use super::checklists::person_name;
use super::time::london_time;
use super::Tone;
use crate::app::{AppError, Session};
use crate::casework::checklist::ContactRef;
use crate::casework::meeting::{
    Attendance, EntryKind, LongTermCondition, MeetingPack, MeetingType, PackEntry, SectionKind,
};
use crate::casework::supervision::{conference_oversight_prompt, OversightPolicy};
use crate::casework::team_around_child::TeamAroundChild;
use crate::directory::{contact_card, Directory};
use crate::model::{MeetingPackId, Person, PersonId};
use crate::store::{ListFilter, StoredRecord};
use chrono::{DateTime, Utc};

/// What the practitioner can do on the Meeting pack screens.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum MeetingActionKind {
    /// Prepare a pack for a meeting about the child; the shell asks for the meeting's kind,
    /// time and which parts of care the practitioner represents
    /// (`Casework.prepare_meeting_pack`).
    Prepare {
        /// The child.
        child: PersonId,
    },
    /// Open a pack (`Casework.meeting_pack_screen(pack)`).
    Open {
        /// The pack.
        pack: MeetingPackId,
    },
    /// Record a supervision session (the Supervision screen's form).
    RecordSupervision {
        /// The child to list as discussed.
        child: PersonId,
    },
    /// Add health staff to the team around the child (`TeamAroundChild.involve_team`).
    AddHealthStaff {
        /// The child.
        child: PersonId,
    },
    /// Record what was shared at the meeting (`Casework.record_shared_at_meeting`).
    RecordShared {
        /// The pack.
        pack: MeetingPackId,
    },
    /// Challenge inaccurate minutes (`Casework.challenge_minutes`).
    ChallengeMinutes {
        /// The pack.
        pack: MeetingPackId,
    },
}

/// One action on a Meeting pack screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MeetingAction {
    /// What it does.
    pub kind: MeetingActionKind,
    /// What the button says.
    pub label: String,
    /// Whether it can be pressed now.
    pub enabled: bool,
    /// What the shell must ask for, or why it cannot be pressed.
    pub detail: Option<String>,
}

/// One section of a pack.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PackSectionView {
    /// Which section.
    pub kind: SectionKind,
    /// Its heading.
    pub title: String,
    /// Its entries, oldest first, worded.
    pub lines: Vec<String>,
    /// "None recorded" when it has no entries.
    pub empty: Option<String>,
}

/// One pack in a child's list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MeetingPackRow {
    /// The pack.
    pub pack: MeetingPackId,
    /// "Child Protection Conference".
    pub title: String,
    /// "Thu 3 Dec 10:00".
    pub meeting: String,
    /// "2 things missing before the meeting", "Ready", "Held: what was shared is recorded".
    pub status: String,
    /// How loudly to show it.
    pub tone: Tone,
    /// "Open".
    pub actions: Vec<MeetingAction>,
}

/// A child's meeting packs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MeetingPacksScreen {
    /// "Meeting packs".
    pub title: String,
    /// The child.
    pub child: String,
    /// By meeting time.
    pub rows: Vec<MeetingPackRow>,
    /// Shown instead of the rows when there are none.
    pub empty: Option<String>,
    /// "Prepare a meeting pack".
    pub actions: Vec<MeetingAction>,
}

/// The words of the form "Challenge inaccurate minutes" opens: its three fields, each
/// required by `Casework.challenge_minutes(pack, inaccuracy, correction, raised_with)`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MinutesChallengeForm {
    /// The label of `inaccuracy`.
    pub inaccuracy_label: String,
    /// The label of `correction`.
    pub correction_label: String,
    /// The label of `raised_with`.
    pub raised_with_label: String,
}

/// One meeting pack.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MeetingPackScreen {
    /// The pack.
    pub pack: MeetingPackId,
    /// "Child Protection Conference: Zebedee Quartermain".
    pub title: String,
    /// "Meeting Thu 3 Dec 10:00".
    pub meeting: String,
    /// "Prepared today 09:00".
    pub prepared: String,
    /// "Representing: health visiting; infant feeding".
    pub represents: String,
    /// How loudly to show it.
    pub tone: Tone,
    /// What is missing before the meeting, most important first (empty when nothing is).
    pub missing: Vec<String>,
    /// Every section in the pack's order.
    pub sections: Vec<PackSectionView>,
    /// What was shared at the meeting, as recorded.
    pub shared: Vec<String>,
    /// Challenges to the minutes, as recorded.
    pub challenges: Vec<String>,
    /// What can be done.
    pub actions: Vec<MeetingAction>,
    /// The form "Challenge inaccurate minutes" opens.
    pub minutes_form: MinutesChallengeForm,
}

fn action(kind: MeetingActionKind, label: &str, detail: Option<&str>) -> MeetingAction {
    MeetingAction {
        kind,
        label: label.to_owned(),
        enabled: true,
        detail: detail.map(str::to_owned),
    }
}

/// A meeting's name as practitioners write it.
pub fn meeting_type_words(kind: MeetingType) -> &'static str {
    match kind {
        MeetingType::StrategyDiscussion => "Strategy Discussion",
        MeetingType::ChildProtectionConference => "Child Protection Conference",
        MeetingType::CoreGroup => "Core Group",
        MeetingType::ChildInNeed => "Child in Need meeting",
        MeetingType::EarlyHelp => "Early Help meeting",
        MeetingType::ReviewOfArrangements => "Review of Arrangements",
    }
}

fn condition_words(condition: &LongTermCondition) -> String {
    match condition {
        LongTermCondition::Epilepsy => "Epilepsy".to_owned(),
        LongTermCondition::Asthma => "Asthma".to_owned(),
        LongTermCondition::Diabetes => "Diabetes".to_owned(),
        LongTermCondition::LearningDisability => "Learning disability".to_owned(),
        LongTermCondition::Neurodiversity => "Neurodiversity".to_owned(),
        LongTermCondition::Other(name) => name.clone(),
    }
}

fn entry_line(entry: &PackEntry, now: DateTime<Utc>) -> String {
    let when = london_time(entry.at, now);
    match &entry.kind {
        EntryKind::Observation(o) => format!(
            "{when} · {} · {}: {}",
            o.category.label(),
            o.severity.label(),
            o.description
        ),
        EntryKind::VoiceOfChild(v) => format!("{when}: \"{}\"", v.words),
        EntryKind::ObservationLine {
            severity, summary, ..
        } => format!("{when} · {}: {summary}", severity.label()),
        EntryKind::VoiceLine { summary, .. } => format!("{when}: {summary}"),
        EntryKind::Condition { condition, detail } => {
            format!("{}: {detail}", condition_words(condition))
        }
        EntryKind::Medication {
            medicine,
            dose,
            significance,
        } => format!("{medicine}, {dose}: {significance}"),
        EntryKind::Growth {
            weight_grams,
            length_mm,
            head_circumference_mm,
            centile,
        } => {
            let mut parts = Vec::new();
            if let Some(w) = weight_grams {
                parts.push(format!("weight {w} g"));
            }
            if let Some(l) = length_mm {
                parts.push(format!("length {l} mm"));
            }
            if let Some(h) = head_circumference_mm {
                parts.push(format!("head {h} mm"));
            }
            parts.push(format!("centile {centile}"));
            format!("{when}: {}", parts.join(", "))
        }
        EntryKind::Appointment {
            service,
            attendance,
        } => match attendance {
            Attendance::WasNotBrought => format!("{when}: {service}: not brought"),
            Attendance::Booked => format!("{when}: {service}"),
            Attendance::Attended => format!("{when}: {service}: attended"),
        },
        EntryKind::CarePlan { summary } => format!("{when}: {summary}"),
        EntryKind::HealthStaff { name, role, phone } => match phone {
            Some(phone) => format!("{name}, {role} · {phone}"),
            None => format!("{name}, {role}"),
        },
    }
}

/// The health staff lines from the team around the child now: the team's own wording, and for
/// a directory team the directory's numbers.
fn health_staff_lines(
    team: Option<&TeamAroundChild>,
    directory: &Directory,
    now: DateTime<Utc>,
) -> Vec<String> {
    let Some(team) = team else {
        return Vec::new();
    };
    let members = team.current().filter(|m| m.role.is_health());
    // Both walk the current health members in the same order.
    members
        .zip(team.health_staff_entries(now))
        .map(|(member, entry)| {
            let line = entry_line(&entry, now);
            match &member.contact {
                ContactRef::Directory { team, .. } => match contact_card(directory, *team) {
                    Ok(card) if !card.numbers.is_empty() => {
                        let numbers: Vec<String> =
                            card.numbers.iter().map(|n| n.display.clone()).collect();
                        format!("{line} · {}", numbers.join(" / "))
                    }
                    _ => format!("{line} · no number in the directory"),
                },
                ContactRef::Captured { .. } => line,
            }
        })
        .collect()
}

struct Loaded {
    pack: MeetingPack,
    child: Person,
    team: Option<TeamAroundChild>,
    supervision: Vec<crate::casework::supervision::SupervisionRecord>,
}

/// What is missing before the meeting, and the actions that fill each gap.
fn missing(
    loaded: &Loaded,
    health_staff: &[String],
    now: DateTime<Utc>,
) -> (Vec<String>, Vec<MeetingAction>) {
    let pack = &loaded.pack;
    let mut missing = Vec::new();
    let mut actions = Vec::new();
    if now >= pack.meeting_at {
        return (missing, actions);
    }
    if pack.meeting_type == MeetingType::ChildProtectionConference {
        if let Some(prompt) = conference_oversight_prompt(
            pack.prepared_by,
            pack.child,
            pack.meeting_at,
            &loaded.supervision,
            OversightPolicy::default(),
        ) {
            missing.push(prompt.prompt());
            actions.push(action(
                MeetingActionKind::RecordSupervision { child: pack.child },
                "Record supervision",
                Some("Once you have had supervision about this child, record it."),
            ));
        }
    }
    if health_staff.is_empty() {
        missing.push(
            "No health staff recorded in the team around the child: add who is involved so \
             their names and numbers go to the meeting."
                .to_owned(),
        );
        actions.push(action(
            MeetingActionKind::AddHealthStaff { child: pack.child },
            "Add health staff",
            None,
        ));
    }
    let voice_empty = pack
        .section(SectionKind::ChildsVoice)
        .is_none_or(|s| s.entries.is_empty());
    if voice_empty {
        missing.push(
            "The child's voice is not in this pack: record what the child said or how they \
             seemed, then prepare the pack again."
                .to_owned(),
        );
    }
    (missing, actions)
}

impl Session {
    /// The meeting packs about `child`, with preparing a new one.
    pub fn meeting_packs_screen(&self, child: PersonId) -> Result<MeetingPacksScreen, AppError> {
        let now = self.now()?;
        let directory = self.directory();
        let filter = ListFilter {
            subject_person: Some(child),
            ..ListFilter::default()
        };
        let (person, packs) = self.with_store(|store| {
            store.write(self.actor(), |tx| {
                let person = tx.get::<Person>(Person::KIND, child)?.body;
                let packs: Vec<MeetingPack> = tx
                    .list::<MeetingPack>(MeetingPack::KIND, &filter)?
                    .into_iter()
                    .map(|r| r.body)
                    .collect();
                Ok((person, packs))
            })
        })?;
        let mut rows = Vec::new();
        let mut packs = packs;
        packs.sort_by_key(|p| (p.meeting_at, p.id));
        for pack in packs {
            let screen = self.pack_screen(self.load_pack(pack.id)?, &directory, now);
            rows.push(MeetingPackRow {
                pack: pack.id,
                title: meeting_type_words(pack.meeting_type).to_owned(),
                meeting: london_time(pack.meeting_at, now),
                status: pack_status(&pack, &screen.missing, now),
                tone: screen.tone,
                actions: vec![action(
                    MeetingActionKind::Open { pack: pack.id },
                    "Open",
                    None,
                )],
            });
        }
        Ok(MeetingPacksScreen {
            title: "Meeting packs".to_owned(),
            child: person_name(&person),
            empty: rows
                .is_empty()
                .then(|| "No meeting packs for this child yet.".to_owned()),
            rows,
            actions: vec![action(
                MeetingActionKind::Prepare { child },
                "Prepare a meeting pack",
                Some("Say which meeting, when, and which parts of care you represent."),
            )],
        })
    }

    /// One meeting pack as the practitioner takes it to the meeting, worded at the session
    /// clock's instant.
    pub fn meeting_pack_screen(&self, id: MeetingPackId) -> Result<MeetingPackScreen, AppError> {
        let now = self.now()?;
        let directory = self.directory();
        let loaded = self.load_pack(id)?;
        Ok(self.pack_screen(loaded, &directory, now))
    }

    fn load_pack(&self, id: MeetingPackId) -> Result<Loaded, AppError> {
        let actor = self.actor();
        self.with_store(|store| {
            store.write(actor, |tx| {
                let pack = tx.get::<MeetingPack>(MeetingPack::KIND, id)?.body;
                let child = tx.get::<Person>(Person::KIND, pack.child)?.body;
                // The child's own members and those added for the whole household, as the
                // pack took them when it was prepared (a GP added for the household is health
                // staff for every child of it).
                let team = crate::app::team_view(tx, &child)?;
                let supervision = tx
                    .list::<crate::casework::supervision::SupervisionRecord>(
                        crate::casework::supervision::SupervisionRecord::KIND,
                        &ListFilter::default(),
                    )?
                    .into_iter()
                    .map(|r| r.body)
                    .collect();
                Ok(Loaded {
                    pack,
                    child,
                    team,
                    supervision,
                })
            })
        })
    }

    fn pack_screen(
        &self,
        loaded: Loaded,
        directory: &Directory,
        now: DateTime<Utc>,
    ) -> MeetingPackScreen {
        let health_staff = health_staff_lines(loaded.team.as_ref(), directory, now);
        let (missing, mut actions) = missing(&loaded, &health_staff, now);
        let pack = &loaded.pack;
        let sections = pack
            .sections
            .iter()
            .map(|section| {
                let lines: Vec<String> = if section.kind == SectionKind::HealthStaff {
                    health_staff.clone()
                } else {
                    section.entries.iter().map(|e| entry_line(e, now)).collect()
                };
                PackSectionView {
                    kind: section.kind,
                    title: section.title.clone(),
                    empty: lines.is_empty().then(|| "None recorded".to_owned()),
                    lines,
                }
            })
            .collect();
        let started = now >= pack.meeting_at;
        let not_yet = format!(
            "From the meeting's start ({}).",
            london_time(pack.meeting_at, now)
        );
        for (kind, label, detail) in [
            (
                MeetingActionKind::RecordShared { pack: pack.id },
                "Record what you shared",
                "What you shared and which sections it covered, for the health record.",
            ),
            (
                MeetingActionKind::ChallengeMinutes { pack: pack.id },
                "Challenge inaccurate minutes",
                "What the minutes say, what they should say, and who you raised it with.",
            ),
        ] {
            let mut a = action(kind, label, Some(detail));
            if !started {
                a.enabled = false;
                a.detail = Some(not_yet.clone());
            }
            actions.push(a);
        }
        let tone = if !missing.is_empty() {
            Tone::ActionNeeded
        } else if !started {
            Tone::Waiting
        } else if pack.shared_at_meeting.is_empty() {
            // After the meeting, what was shared belongs in the health record.
            Tone::ActionNeeded
        } else {
            Tone::Done
        };
        MeetingPackScreen {
            pack: pack.id,
            title: format!(
                "{}: {}",
                meeting_type_words(pack.meeting_type),
                person_name(&loaded.child)
            ),
            meeting: format!("Meeting {}", london_time(pack.meeting_at, now)),
            prepared: format!("Prepared {}", london_time(pack.prepared_at, now)),
            represents: format!("Representing: {}", pack.represents.join("; ")),
            tone,
            missing,
            sections,
            shared: pack
                .shared_at_meeting
                .iter()
                .map(|s| {
                    let sections: Vec<&str> = s.sections.iter().map(|k| k.title()).collect();
                    if sections.is_empty() {
                        format!("{}: {}", london_time(s.recorded_at, now), s.summary)
                    } else {
                        format!(
                            "{}: {} (covered: {})",
                            london_time(s.recorded_at, now),
                            s.summary,
                            sections.join("; ")
                        )
                    }
                })
                .collect(),
            challenges: pack
                .minutes_challenges
                .iter()
                .map(|c| {
                    format!(
                        "{}: the minutes say \"{}\"; they should say \"{}\" (raised with {})",
                        london_time(c.raised_at, now),
                        c.inaccuracy,
                        c.correction,
                        c.raised_with
                    )
                })
                .collect(),
            actions,
            minutes_form: MinutesChallengeForm {
                inaccuracy_label: "What the minutes say".to_owned(),
                correction_label: "What they should say".to_owned(),
                raised_with_label: "Who you raised it with".to_owned(),
            },
        }
    }
}

fn pack_status(pack: &MeetingPack, missing: &[String], now: DateTime<Utc>) -> String {
    if now < pack.meeting_at {
        match missing.len() {
            0 => "Ready for the meeting".to_owned(),
            1 => "1 thing missing before the meeting".to_owned(),
            n => format!("{n} things missing before the meeting"),
        }
    } else if pack.shared_at_meeting.is_empty() {
        "Held: record what you shared".to_owned()
    } else {
        "Held: what was shared is recorded".to_owned()
    }
}

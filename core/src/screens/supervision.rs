//! The Supervision screen: the practitioner's safeguarding supervision sessions (who, when,
//! the cases discussed, the actions agreed and when each is due), and the Child Protection
//! Conferences ahead that still lack supervision oversight.
//!
//! Owns the wording (London times and dates, "due today", "overdue since"), the tone of each
//! agreed action, and the screen's actions. What counts as oversight is the supervision rule's
//! ([`crate::casework::supervision::conference_oversight_prompt`]), asked for every conference
//! pack still ahead at the screen's instant; nothing here re-implements it.
//!
//! Invariants, and why:
//! - An agreed action's due day is a London calendar date: it is due all that day and overdue
//!   from the next ("Was due yesterday"), never by a 24-hour span.
//! - A conference ahead without oversight is listed above the sessions with "Record
//!   supervision": the briefings expect oversight before decision-making at a conference, and
//!   the practitioner should see that before the day, not in the pack alone.

use super::checklists::person_name;
use super::time::{london_date, london_time};
use super::Tone;
use crate::app::{AppError, Session};
use crate::casework::meeting::{MeetingPack, MeetingType};
use crate::casework::supervision::{
    conference_oversight_prompt, OversightPolicy, SupervisionRecord,
};
use crate::model::{Person, PersonId, SupervisionId};
use crate::store::{ListFilter, StoredRecord};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

/// What the practitioner can do on the Supervision screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SupervisionActionKind {
    /// Record a supervision session (`Casework.record_supervision`); the shell asks for the
    /// supervisor, when it was held, the cases discussed and the actions agreed.
    Record {
        /// A child to list as discussed already (from a conference without oversight).
        child: Option<PersonId>,
    },
    /// Mark an agreed action done (`Casework.mark_supervision_action_done(supervision, index)`).
    MarkActionDone {
        /// The supervision record.
        supervision: SupervisionId,
        /// The action's position, from 0.
        index: u32,
    },
}

/// One action on the Supervision screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SupervisionScreenAction {
    /// What it does.
    pub kind: SupervisionActionKind,
    /// What the button says.
    pub label: String,
    /// Whether it can be pressed now.
    pub enabled: bool,
    /// What the shell must ask for.
    pub detail: Option<String>,
}

/// An action agreed in supervision.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SupervisionActionRow {
    /// What is to be done.
    pub text: String,
    /// Who owns it.
    pub owner: String,
    /// "Due Fri 4 Dec", "Due today", "Was due yesterday", "Done today 10:00 by …".
    pub due: String,
    /// Overdue, due soon (today), waiting, or done.
    pub tone: Tone,
    /// "Mark done" while it is open.
    pub actions: Vec<SupervisionScreenAction>,
}

/// One supervision session.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SupervisionRow {
    /// The record.
    pub supervision: SupervisionId,
    /// "Supervision with Alex Lead, named nurse for safeguarding".
    pub title: String,
    /// "Held yesterday 14:00".
    pub held: String,
    /// "Zebedee Quartermain: <what was discussed>".
    pub cases: Vec<String>,
    /// The actions agreed, in the order agreed.
    pub actions: Vec<SupervisionActionRow>,
    /// The loudest of its actions' tones (done when none is open).
    pub tone: Tone,
}

/// The Supervision screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SupervisionScreen {
    /// "Supervision".
    pub title: String,
    /// Conferences ahead without oversight, soonest first: "Child Protection Conference
    /// about Zebedee Quartermain, Thu 3 Dec 10:00: Seek safeguarding supervision …".
    pub needed: Vec<String>,
    /// Most recent first.
    pub rows: Vec<SupervisionRow>,
    /// Shown instead of the rows when there are none.
    pub empty: Option<String>,
    /// "Record supervision" (one per conference without oversight, naming its child, then the
    /// general one).
    pub actions: Vec<SupervisionScreenAction>,
}

/// A London date relative to `now`'s London day: "today", "tomorrow", "yesterday", "Fri 4 Dec"
/// (with the year when it differs or is more than a week away).
fn day_words(date: NaiveDate, now: DateTime<Utc>) -> String {
    let today = london_date(now);
    match (date - today).num_days() {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        -1 => "yesterday".to_owned(),
        d if d.abs() <= 7 && chrono::Datelike::year(&date) == chrono::Datelike::year(&today) => {
            date.format("%a %-d %b").to_string()
        }
        _ => date.format("%a %-d %b %Y").to_string(),
    }
}

fn action_row(
    record: &SupervisionRecord,
    index: usize,
    session: &Session,
    now: DateTime<Utc>,
) -> SupervisionActionRow {
    let agreed = &record.actions[index];
    let due = agreed.due;
    let today = london_date(now);
    let mut actions = Vec::new();
    let (words, tone) = if let Some(done) = record.action_done(index) {
        let by = if done.by == session.identity().practitioner {
            session.identity().practitioner_name
        } else {
            "a colleague".to_owned()
        };
        (
            format!("Done {} by {by}", london_time(done.at, now)),
            Tone::Done,
        )
    } else if due < today {
        (format!("Was due {}", day_words(due, now)), Tone::Overdue)
    } else if due == today {
        ("Due today".to_owned(), Tone::DueSoon)
    } else {
        (format!("Due {}", day_words(due, now)), Tone::Waiting)
    };
    if record.action_done(index).is_none() {
        actions.push(SupervisionScreenAction {
            kind: SupervisionActionKind::MarkActionDone {
                supervision: record.id,
                index: index as u32,
            },
            label: "Mark done".to_owned(),
            enabled: true,
            detail: None,
        });
    }
    SupervisionActionRow {
        text: agreed.action.clone(),
        owner: agreed.owner.clone(),
        due: words,
        tone,
        actions,
    }
}

impl Session {
    /// The practitioner's supervision sessions and the conferences ahead without oversight,
    /// worded at the session clock's instant.
    pub fn supervision_screen(&self) -> Result<SupervisionScreen, AppError> {
        let now = self.now()?;
        let actor = self.actor();
        let (records, packs, people) = self.with_store(|store| {
            store.write(actor, |tx| {
                let records: Vec<SupervisionRecord> = tx
                    .list::<SupervisionRecord>(SupervisionRecord::KIND, &ListFilter::default())?
                    .into_iter()
                    .map(|r| r.body)
                    .filter(|r| r.supervisee == actor)
                    .collect();
                let packs: Vec<MeetingPack> = tx
                    .list::<MeetingPack>(MeetingPack::KIND, &ListFilter::default())?
                    .into_iter()
                    .map(|r| r.body)
                    .filter(|p| {
                        p.prepared_by == actor
                            && p.meeting_type == MeetingType::ChildProtectionConference
                            && p.meeting_at > now
                    })
                    .collect();
                let mut people: HashMap<PersonId, Person> = HashMap::new();
                let ids = records
                    .iter()
                    .flat_map(|r| r.cases.iter().map(|c| c.person))
                    .chain(packs.iter().map(|p| p.child));
                for id in ids {
                    if let std::collections::hash_map::Entry::Vacant(slot) = people.entry(id) {
                        slot.insert(tx.get::<Person>(Person::KIND, id)?.body);
                    }
                }
                Ok((records, packs, people))
            })
        })?;
        let name = |id: PersonId| {
            people
                .get(&id)
                .map(person_name)
                .unwrap_or_else(|| "A person not on this phone".to_owned())
        };
        let mut packs = packs;
        packs.sort_by_key(|p| (p.meeting_at, p.id));
        let mut needed = Vec::new();
        let mut actions = Vec::new();
        for pack in &packs {
            let Some(prompt) = conference_oversight_prompt(
                actor,
                pack.child,
                pack.meeting_at,
                &records,
                OversightPolicy::default(),
            ) else {
                continue;
            };
            let child = name(pack.child);
            needed.push(format!(
                "Child Protection Conference about {child}, {}: {}",
                london_time(pack.meeting_at, now),
                prompt.prompt()
            ));
            if !actions.iter().any(|a: &SupervisionScreenAction| {
                a.kind
                    == SupervisionActionKind::Record {
                        child: Some(pack.child),
                    }
            }) {
                actions.push(SupervisionScreenAction {
                    kind: SupervisionActionKind::Record {
                        child: Some(pack.child),
                    },
                    // The child is named in `needed`, never on a button (a shell may announce it).
                    label: "Record supervision for this child".to_owned(),
                    enabled: true,
                    detail: Some("Once it has been held: who, when, what was discussed and the actions agreed.".to_owned()),
                });
            }
        }
        actions.push(SupervisionScreenAction {
            kind: SupervisionActionKind::Record { child: None },
            label: "Record supervision".to_owned(),
            enabled: true,
            detail: Some(
                "Once it has been held: who, when, the cases discussed and the actions agreed."
                    .to_owned(),
            ),
        });
        let mut records = records;
        records.sort_by(|a, b| b.held_at.cmp(&a.held_at).then(b.id.cmp(&a.id)));
        let rows: Vec<SupervisionRow> = records
            .iter()
            .map(|r| {
                let actions: Vec<SupervisionActionRow> = r
                    .actions
                    .iter()
                    .enumerate()
                    .map(|(i, _)| action_row(r, i, self, now))
                    .collect();
                let tone = actions.iter().map(|a| a.tone).min().unwrap_or(Tone::Done);
                SupervisionRow {
                    supervision: r.id,
                    title: format!("Supervision with {}", r.supervisor.name),
                    held: format!("Held {}", london_time(r.held_at, now)),
                    cases: r
                        .cases
                        .iter()
                        .map(|c| format!("{}: {}", name(c.person), c.summary))
                        .collect(),
                    actions,
                    tone,
                }
            })
            .collect();
        Ok(SupervisionScreen {
            title: "Supervision".to_owned(),
            needed,
            empty: rows
                .is_empty()
                .then(|| "No supervision recorded on this phone.".to_owned()),
            rows,
            actions,
        })
    }
}

//! The Checklists screens: a person's admission, handover and discharge checklists; one
//! checklist with each item, what it needs and where it stands; and the contact picker for an
//! item that asks for contacts.
//!
//! Owns the wording (what each item needs, its state, who closed it and when in London time),
//! the actions on each item and whether each is enabled. The rules are the checklist's
//! ([`crate::casework::checklist`]: nothing skipped silently, a note or contacts where asked,
//! open concerns handed over) and the directory's (which teams can be reached out of hours);
//! nothing here decides whether an item may be closed, it only says in advance what the call
//! will refuse.
//!
//! Invariants, and why:
//! - A required contacts item is always closable from the screen: it offers "Record the team
//!   around the child" (the child's current members' contacts, one tap) and "Choose contacts"
//!   (the picker over the team around the child and the directory). Both shells had no way to
//!   attach contacts, so such items could never be done (issue 17).
//! - A contact that would be refused is shown disabled with why, never left out: an
//!   out-of-hours item shows a directory team with no out-of-hours route as "No out-of-hours
//!   number in the directory", so the gap is seen before the handover, not at night.
//! - Concerns captured since a handover or discharge checklist was started are counted on the
//!   screen ("Complete" will add them and refuse until they are handed over), so a practitioner
//!   is never told a checklist is ready while a concern is missing from it.

use super::time::london_time;
use super::Tone;
use crate::app::{AppError, Session};
use crate::casework::checklist::{
    Checklist, ChecklistItem, ChecklistKind, ContactRef, DetailKind, ItemState,
};
use crate::casework::team_around_child::TeamAroundChild;
use crate::directory::{contact_card, Directory};
use crate::model::{ChecklistId, Person, PersonId, PersonRole, PractitionerId};
use crate::store::{ListFilter, StoredRecord};
use chrono::{DateTime, Utc};

/// What the practitioner can do on the Checklists screens.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ChecklistActionKind {
    /// Start a checklist (`Checklists.start_checklist(kind, person)`).
    Start {
        /// Which checklist.
        kind: ChecklistKind,
        /// Who it is for.
        person: PersonId,
    },
    /// Open a checklist (`Checklists.checklist_screen(checklist)`).
    Open {
        /// The checklist.
        checklist: ChecklistId,
    },
    /// Mark the item done (`Checklists.checklist_mark_done(checklist, key, note, [])`); when
    /// `needs_note` the shell asks for the note first (`detail` says what to write), otherwise
    /// it calls with no note.
    MarkDone {
        /// The checklist.
        checklist: ChecklistId,
        /// The item.
        key: String,
        /// The item records what was done: ask for a note before the call. Core's rule, so
        /// the shells do not infer it from whether `detail` is present.
        needs_note: bool,
    },
    /// Mark the item done with these contacts, the team around the child's
    /// (`Checklists.checklist_mark_done(checklist, key, null, contacts)`).
    RecordContacts {
        /// The checklist.
        checklist: ChecklistId,
        /// The item.
        key: String,
        /// The contacts to record.
        contacts: Vec<ContactRef>,
    },
    /// Open the contact picker for the item (`Checklists.contact_picker(checklist, key, query)`).
    PickContacts {
        /// The checklist.
        checklist: ChecklistId,
        /// The item.
        key: String,
    },
    /// Mark the item not applicable; the shell asks for the reason
    /// (`Checklists.checklist_mark_not_applicable(checklist, key, reason)`).
    MarkNotApplicable {
        /// The checklist.
        checklist: ChecklistId,
        /// The item.
        key: String,
    },
    /// Complete the checklist (`Checklists.complete_checklist(checklist)`).
    Complete {
        /// The checklist.
        checklist: ChecklistId,
    },
}

/// One action on a Checklists screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChecklistAction {
    /// What it does.
    pub kind: ChecklistActionKind,
    /// What the button says.
    pub label: String,
    /// Whether it can be pressed now.
    pub enabled: bool,
    /// The line under it: what the shell must ask for, or why it cannot be pressed.
    pub detail: Option<String>,
}

/// One checklist in a person's list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChecklistRow {
    /// The checklist.
    pub checklist: ChecklistId,
    /// Its title ("Handover between community and acute").
    pub title: String,
    /// "Started today 10:00 by Midwife Ash".
    pub started: String,
    /// "2 of 5 required items open", "Ready to complete", "Complete today 11:00".
    pub status: String,
    /// How loudly to show it.
    pub tone: Tone,
    /// "Open".
    pub actions: Vec<ChecklistAction>,
}

/// A person's checklists.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChecklistsScreen {
    /// "Checklists".
    pub title: String,
    /// Who they are for ("Zebedee Quartermain").
    pub person: String,
    /// Oldest first.
    pub rows: Vec<ChecklistRow>,
    /// Shown instead of the rows when there are none.
    pub empty: Option<String>,
    /// Start an admission, handover or discharge checklist (disabled while one of that kind is
    /// still open, with why).
    pub actions: Vec<ChecklistAction>,
}

/// One item of a checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChecklistItemRow {
    /// The item's key (what the actions name).
    pub key: String,
    /// What the practitioner reads.
    pub text: String,
    /// Whether it must be closed before completion.
    pub required: bool,
    /// What it needs to be marked done: "Needs a note", "Needs at least one contact", ...
    pub needs: String,
    /// Where it stands: "Open", "Done today 10:05 by Midwife Ash", "Not applicable: …".
    pub state: String,
    /// What was recorded: the note, and each contact with its numbers.
    pub recorded: Vec<String>,
    /// How loudly to show it.
    pub tone: Tone,
    /// What can be done with it (none once closed or the checklist is complete).
    pub actions: Vec<ChecklistAction>,
}

/// One checklist being worked through.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChecklistScreen {
    /// The checklist.
    pub checklist: ChecklistId,
    /// Its title.
    pub title: String,
    /// Who it is for.
    pub person: String,
    /// "Started today 10:00 by Midwife Ash".
    pub started: String,
    /// "2 of 5 required items open", "Ready to complete", "Complete today 11:00 by …".
    pub status: String,
    /// How loudly to show it.
    pub tone: Tone,
    /// Concerns captured since it was started that completion will add (then refuse until
    /// they are handed over).
    pub notice: Option<String>,
    /// Every item, in checklist order.
    pub items: Vec<ChecklistItemRow>,
    /// "Complete".
    pub actions: Vec<ChecklistAction>,
}

/// A contact that can be recorded against an item.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ContactChoice {
    /// What to pass back in `contacts` when chosen.
    pub contact: ContactRef,
    /// The team's or person's name.
    pub title: String,
    /// "Fictional East Trust · health visiting", or the role typed in.
    pub subtitle: String,
    /// Its numbers in words ("In hours 0113 496 0201 · Out of hours 0113 496 0202").
    pub numbers: String,
    /// Whether it satisfies the item (an out-of-hours item needs an out-of-hours route).
    pub enabled: bool,
    /// Why not, when it cannot be chosen.
    pub detail: Option<String>,
}

/// The contact picker for one item.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ContactPicker {
    /// The checklist.
    pub checklist: ChecklistId,
    /// The item.
    pub key: String,
    /// "Contacts for: <item text>".
    pub title: String,
    /// What the item needs.
    pub needs: String,
    /// The team around the child's current members, first.
    pub suggested: Vec<ContactChoice>,
    /// The search field's label.
    pub search_label: String,
    /// The query the directory rows answer.
    pub query: String,
    /// Directory teams whose name or organisation contains the query (the team around the
    /// child's excluded, they are above).
    pub found: Vec<ContactChoice>,
    /// Shown when the query found nothing.
    pub empty: Option<String>,
    /// Above every row when the directory is sample data.
    pub warning: Option<String>,
    /// What a contact typed in needs (for a contact not in the directory).
    pub type_in: String,
    /// "Record the chosen contacts" for the contacts the shell passed as chosen: enabled only
    /// when at least one is chosen and the item would accept every one (`detail` says why
    /// not). Core's rule, so the shells do not hold their own "at least one chosen".
    pub record: ChecklistAction,
}

fn action(kind: ChecklistActionKind, label: &str, detail: Option<&str>) -> ChecklistAction {
    ChecklistAction {
        kind,
        label: label.to_owned(),
        enabled: true,
        detail: detail.map(str::to_owned),
    }
}

/// A kind's built-in template id, its start button and how an open one is named.
fn kind_words(kind: ChecklistKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        ChecklistKind::Admission => ("admission", "Start admission checklist", "An admission"),
        ChecklistKind::Handover => ("handover", "Start handover checklist", "A handover"),
        ChecklistKind::Discharge => (
            "discharge",
            "Start discharge planning checklist",
            "A discharge planning",
        ),
    }
}

const KINDS: [ChecklistKind; 3] = [
    ChecklistKind::Admission,
    ChecklistKind::Handover,
    ChecklistKind::Discharge,
];

/// How a person is named on a screen.
pub(crate) fn person_name(person: &Person) -> String {
    match (&person.name, &person.known_as) {
        (Some(name), Some(known)) => format!("{name} (known as {known})"),
        (Some(name), None) => name.clone(),
        (None, Some(known)) => format!("Known as {known}"),
        (None, None) => format!("No name given ({})", person.role.name()),
    }
}

/// Who did something: this practitioner by name, anyone else as a colleague (checklists are
/// kept on one phone; the id is never shown).
fn by_words(session: &Session, by: PractitionerId) -> String {
    let identity = session.identity();
    if identity.practitioner == by {
        identity.practitioner_name
    } else {
        "a colleague".to_owned()
    }
}

fn needs_words(detail: DetailKind) -> &'static str {
    match detail {
        DetailKind::None => "Mark it done once it is done",
        DetailKind::Text => "Needs a note of what was done",
        DetailKind::Contacts => "Needs at least one contact",
        DetailKind::ContactsWithOutOfHours => {
            "Needs at least one contact, each with an out-of-hours number"
        }
    }
}

fn open_count_words(open: usize, required: usize) -> String {
    format!("{open} of {required} required items open")
}

/// What the screen reads in one transaction: the checklist, the person, the team around the
/// child and the open concerns not yet on the checklist.
struct Loaded {
    checklist: Checklist,
    person: Person,
    team: Option<TeamAroundChild>,
    new_concerns: usize,
}

impl Session {
    /// The checklists of `person`, with starting a new one.
    pub fn checklists_screen(&self, person: PersonId) -> Result<ChecklistsScreen, AppError> {
        let now = self.now()?;
        let filter = ListFilter {
            subject_person: Some(person),
            ..ListFilter::default()
        };
        let (who, checklists, observations) = self.with_store(|store| {
            store.write(self.actor(), |tx| {
                let who = tx.get::<Person>(Person::KIND, person)?.body;
                let checklists: Vec<Checklist> = tx
                    .list::<Checklist>(Checklist::KIND, &filter)?
                    .into_iter()
                    .map(|r| r.body)
                    .collect();
                let observations = open_concerns_in(tx, &checklists, person)?;
                Ok((who, checklists, observations))
            })
        })?;
        let rows: Vec<ChecklistRow> = checklists
            .iter()
            .map(|c| {
                // The list counts concerns not yet on a checklist as its open screen does, so
                // neither says "Ready to complete" while one is missing.
                let new_concerns = c.clone().add_open_concerns(&observations);
                let (status, tone) = status_words(self, c, new_concerns, now);
                ChecklistRow {
                    checklist: c.id,
                    title: c.title.clone(),
                    started: started_words(self, c, now),
                    status,
                    tone,
                    actions: vec![action(
                        ChecklistActionKind::Open { checklist: c.id },
                        "Open",
                        None,
                    )],
                }
            })
            .collect();
        let actions = KINDS
            .iter()
            .map(|kind| {
                let (name, label, open_words) = kind_words(*kind);
                // The built-in templates' ids are these names (core/data/checklists/).
                let open = checklists
                    .iter()
                    .any(|c| !c.is_complete() && c.template_id == name);
                let mut a = action(
                    ChecklistActionKind::Start {
                        kind: *kind,
                        person,
                    },
                    label,
                    None,
                );
                if open {
                    // Two open checklists of one kind would split what was handed over
                    // between them; carry on with the open one instead.
                    a.enabled = false;
                    a.detail = Some(format!(
                        "{open_words} checklist is already open: carry on with it."
                    ));
                }
                a
            })
            .collect();
        Ok(ChecklistsScreen {
            title: "Checklists".to_owned(),
            person: person_name(&who),
            empty: rows
                .is_empty()
                .then(|| "No checklists for this person yet.".to_owned()),
            rows,
            actions,
        })
    }

    /// One checklist: each item with what it needs, its state and what can be done, worded at
    /// the session clock's instant.
    pub fn checklist_screen(&self, id: ChecklistId) -> Result<ChecklistScreen, AppError> {
        let now = self.now()?;
        let directory = self.directory();
        let loaded = self.load_checklist(id)?;
        let checklist = &loaded.checklist;
        let team_contacts = loaded
            .team
            .as_ref()
            .map(TeamAroundChild::contacts)
            .unwrap_or_default();
        let complete = checklist.is_complete();
        let items = checklist
            .items
            .iter()
            .map(|item| item_row(self, &directory, checklist, item, &team_contacts, now))
            .collect();
        let (status, tone) = status_words(self, checklist, loaded.new_concerns, now);
        let notice = (loaded.new_concerns > 0 && !complete).then(|| {
            format!(
                "{} concern(s) about {} captured since this checklist was started must be \
                 handed over too: Complete adds them to the list.",
                loaded.new_concerns,
                person_name(&loaded.person)
            )
        });
        let mut actions = Vec::new();
        if !complete {
            let open = checklist.open_required();
            let mut complete_action = action(
                ChecklistActionKind::Complete {
                    checklist: checklist.id,
                },
                "Complete",
                None,
            );
            if !open.is_empty() {
                complete_action.enabled = false;
                let texts: Vec<&str> = open.iter().map(|i| i.text.as_str()).collect();
                complete_action.detail = Some(format!(
                    "Every required item must be done or not applicable first. Open: {}",
                    texts.join("; ")
                ));
            } else if loaded.new_concerns > 0 {
                complete_action.detail = Some(format!(
                    "Adds the {} concern(s) captured since it was started; hand them over \
                     before it can complete.",
                    loaded.new_concerns
                ));
            }
            actions.push(complete_action);
        }
        Ok(ChecklistScreen {
            checklist: checklist.id,
            title: checklist.title.clone(),
            person: person_name(&loaded.person),
            started: started_words(self, checklist, now),
            status,
            tone,
            notice,
            items,
            actions,
        })
    }

    /// The contact picker for the contacts item `key`: the team around the child first, then
    /// the directory teams matching `query`, each enabled only when the item would accept it;
    /// `chosen` is what the practitioner has ticked so far (for the Record button).
    pub fn checklist_contact_picker(
        &self,
        id: ChecklistId,
        key: &str,
        query: &str,
        chosen: &[ContactRef],
    ) -> Result<ContactPicker, AppError> {
        let directory = self.directory();
        let loaded = self.load_checklist(id)?;
        let item = loaded
            .checklist
            .items
            .iter()
            .find(|i| i.key == key)
            .ok_or_else(|| AppError::not_found("checklist item", key))?;
        if !matches!(
            item.detail,
            DetailKind::Contacts | DetailKind::ContactsWithOutOfHours
        ) {
            return Err(AppError::refused("this item does not record contacts"));
        }
        let out_of_hours = item.detail == DetailKind::ContactsWithOutOfHours;
        let suggested: Vec<ContactChoice> = loaded
            .team
            .as_ref()
            .map(TeamAroundChild::contacts)
            .unwrap_or_default()
            .into_iter()
            .map(|c| choice(&directory, c, out_of_hours))
            .collect();
        let found: Vec<ContactChoice> = if crate::rules::normalise::is_blank(query) {
            Vec::new()
        } else {
            directory
                .find_teams_by_name(query)
                .into_iter()
                .filter(|t| {
                    !suggested.iter().any(|s| {
                        matches!(&s.contact, ContactRef::Directory { team, .. } if *team == t.id)
                    })
                })
                .map(|t| {
                    choice(
                        &directory,
                        ContactRef::Directory {
                            team: t.id,
                            label: t.name.clone(),
                        },
                        out_of_hours,
                    )
                })
                .collect()
        };
        let empty = if !found.is_empty() {
            None
        } else if crate::rules::normalise::is_blank(query) {
            Some("Type a team or organisation to find it in the directory.".to_owned())
        } else {
            Some("No team or organisation in the directory matches that.".to_owned())
        };
        let mut record = action(
            ChecklistActionKind::RecordContacts {
                checklist: id,
                key: key.to_owned(),
                contacts: chosen.to_vec(),
            },
            "Record the chosen contacts",
            None,
        );
        let refused = chosen
            .iter()
            .map(|c| choice(&directory, c.clone(), out_of_hours))
            .find(|c| !c.enabled);
        if chosen.is_empty() {
            record.enabled = false;
            record.detail = Some("Choose at least one contact.".to_owned());
        } else if let Some(refused) = refused {
            record.enabled = false;
            record.detail = refused.detail.or(Some(format!(
                "{} cannot be recorded for this item.",
                refused.title
            )));
        }
        Ok(ContactPicker {
            checklist: id,
            key: key.to_owned(),
            title: format!("Contacts for: {}", item.text),
            needs: needs_words(item.detail).to_owned(),
            suggested,
            search_label: "Team or organisation".to_owned(),
            query: query.to_owned(),
            found,
            empty,
            warning: directory
                .is_fictional()
                .then(|| "SAMPLE DIRECTORY: fictional numbers, not for real calls".to_owned()),
            type_in: if out_of_hours {
                "Not in the directory: type a name, a role, a phone number and an out-of-hours \
                 number."
                    .to_owned()
            } else {
                "Not in the directory: type a name, a role and a phone number.".to_owned()
            },
            record,
        })
    }

    fn load_checklist(&self, id: ChecklistId) -> Result<Loaded, AppError> {
        self.with_store(|store| {
            store.write(self.actor(), |tx| {
                let checklist = tx.get::<Checklist>(Checklist::KIND, id)?.body;
                let person = tx.get::<Person>(Person::KIND, checklist.person)?.body;
                // A child's own members and those added for the whole household, as the team
                // screen lists them; an adult has no team around the child.
                let team = if person.role == PersonRole::Child {
                    crate::app::team_view(tx, &person)?
                } else {
                    None
                };
                let observations =
                    open_concerns_in(tx, std::slice::from_ref(&checklist), person.id)?;
                // The checklist's own rule decides which concerns would be added.
                let new_concerns = checklist.clone().add_open_concerns(&observations);
                Ok(Loaded {
                    checklist,
                    person,
                    team,
                    new_concerns,
                })
            })
        })
    }
}

/// The observations about `person`, read only when one of `checklists` hands over open
/// concerns and is not complete (a decrypting read the other checklists do not need).
fn open_concerns_in(
    tx: &mut crate::store::WriteTx<'_>,
    checklists: &[Checklist],
    person: PersonId,
) -> Result<Vec<crate::model::Observation>, AppError> {
    if !checklists
        .iter()
        .any(|c| c.hands_over_open_concerns && !c.is_complete())
    {
        return Ok(Vec::new());
    }
    let filter = ListFilter {
        subject_person: Some(person),
        ..ListFilter::default()
    };
    Ok(tx
        .list::<crate::model::Observation>(crate::model::Observation::KIND, &filter)?
        .into_iter()
        .map(|r| r.body)
        .collect())
}

fn started_words(session: &Session, c: &Checklist, now: DateTime<Utc>) -> String {
    format!(
        "Started {} by {}",
        london_time(c.started_at, now),
        by_words(session, c.started_by)
    )
}

fn status_words(
    session: &Session,
    c: &Checklist,
    new_concerns: usize,
    now: DateTime<Utc>,
) -> (String, Tone) {
    if let Some(done) = &c.completed {
        return (
            format!(
                "Complete {} by {}",
                london_time(done.at, now),
                by_words(session, done.by)
            ),
            Tone::Done,
        );
    }
    let required = c.items.iter().filter(|i| i.required).count() + new_concerns;
    let open = c.open_required().len() + new_concerns;
    if open == 0 {
        ("Ready to complete".to_owned(), Tone::ActionNeeded)
    } else {
        (open_count_words(open, required), Tone::ActionNeeded)
    }
}

fn item_row(
    session: &Session,
    directory: &Directory,
    checklist: &Checklist,
    item: &ChecklistItem,
    team_contacts: &[ContactRef],
    now: DateTime<Utc>,
) -> ChecklistItemRow {
    let id = checklist.id;
    let key = item.key.clone();
    let (state, recorded, tone) = match &item.state {
        ItemState::Open => (
            if item.required {
                "Open".to_owned()
            } else {
                "Open (optional)".to_owned()
            },
            Vec::new(),
            // An optional item still open is not something the practitioner must do.
            if item.required {
                Tone::ActionNeeded
            } else {
                Tone::Waiting
            },
        ),
        ItemState::Done { by, at, detail } => {
            let mut recorded: Vec<String> = detail.note.iter().cloned().collect();
            recorded.extend(detail.contacts.iter().map(|c| contact_line(directory, c)));
            (
                format!(
                    "Done {} by {}",
                    london_time(*at, now),
                    by_words(session, *by)
                ),
                recorded,
                Tone::Done,
            )
        }
        ItemState::NotApplicable { by, at, reason } => (
            format!(
                "Not applicable ({} by {}): {reason}",
                london_time(*at, now),
                by_words(session, *by)
            ),
            Vec::new(),
            Tone::Done,
        ),
    };
    let mut actions = Vec::new();
    if item.state == ItemState::Open && !checklist.is_complete() {
        match item.detail {
            DetailKind::None => actions.push(action(
                ChecklistActionKind::MarkDone {
                    checklist: id,
                    key: key.clone(),
                    needs_note: false,
                },
                "Done",
                None,
            )),
            DetailKind::Text => actions.push(action(
                ChecklistActionKind::MarkDone {
                    checklist: id,
                    key: key.clone(),
                    needs_note: true,
                },
                "Done",
                Some("Write what was done."),
            )),
            DetailKind::Contacts | DetailKind::ContactsWithOutOfHours => {
                let out_of_hours = item.detail == DetailKind::ContactsWithOutOfHours;
                actions.push(team_action(
                    directory,
                    id,
                    &key,
                    team_contacts,
                    out_of_hours,
                ));
                actions.push(action(
                    ChecklistActionKind::PickContacts {
                        checklist: id,
                        key: key.clone(),
                    },
                    "Choose contacts",
                    Some("From the team around the child or the directory, or type one in."),
                ));
            }
        }
        actions.push(action(
            ChecklistActionKind::MarkNotApplicable {
                checklist: id,
                key: key.clone(),
            },
            "Not applicable",
            Some("Say why it does not apply: nothing is skipped silently."),
        ));
    }
    ChecklistItemRow {
        key,
        text: item.text.clone(),
        required: item.required,
        needs: needs_words(item.detail).to_owned(),
        state,
        recorded,
        tone,
        actions,
    }
}

/// "Record the team around the child": enabled when the team has members and every one of
/// them would be accepted.
fn team_action(
    directory: &Directory,
    checklist: ChecklistId,
    key: &str,
    contacts: &[ContactRef],
    out_of_hours: bool,
) -> ChecklistAction {
    let mut a = action(
        ChecklistActionKind::RecordContacts {
            checklist,
            key: key.to_owned(),
            contacts: contacts.to_vec(),
        },
        &format!("Record the team around the child ({})", contacts.len()),
        None,
    );
    if contacts.is_empty() {
        a.enabled = false;
        a.detail = Some(
            "No one is recorded in the team around the child: choose contacts instead.".to_owned(),
        );
        return a;
    }
    let refused: Vec<String> = contacts
        .iter()
        .map(|c| choice(directory, c.clone(), out_of_hours))
        .filter(|c| !c.enabled)
        .map(|c| c.title)
        .collect();
    if refused.is_empty() {
        let names: Vec<String> = contacts.iter().map(contact_title).collect();
        a.detail = Some(names.join("; "));
    } else {
        a.enabled = false;
        a.detail = Some(format!(
            "No out-of-hours number for: {}. Choose contacts instead.",
            refused.join("; ")
        ));
    }
    a
}

fn contact_title(contact: &ContactRef) -> String {
    match contact {
        ContactRef::Directory { label, .. } => label.clone(),
        ContactRef::Captured { name, .. } => name.clone(),
    }
}

/// A contact as a recorded line: "East health visiting: in hours 0113 496 0201; out of hours
/// 0113 496 0202".
fn contact_line(directory: &Directory, contact: &ContactRef) -> String {
    let c = choice(directory, contact.clone(), false);
    format!("{}: {}", c.title, c.numbers)
}

fn choice(directory: &Directory, contact: ContactRef, out_of_hours: bool) -> ContactChoice {
    match &contact {
        ContactRef::Directory { team, label } => match contact_card(directory, *team) {
            Ok(card) => {
                let numbers: Vec<String> = card
                    .numbers
                    .iter()
                    .map(|n| format!("{} {}", number_kind_words(n.kind), n.display))
                    .collect();
                let reachable = card.out_of_hours_route.is_some();
                ContactChoice {
                    title: card.team_name.clone(),
                    subtitle: format!("{} · {}", card.organisation_name, card.service.label()),
                    numbers: if numbers.is_empty() {
                        "No number in the directory".to_owned()
                    } else {
                        numbers.join(" · ")
                    },
                    enabled: !out_of_hours || reachable,
                    detail: (out_of_hours && !reachable)
                        .then(|| "No out-of-hours number in the directory".to_owned()),
                    contact,
                }
            }
            Err(_) => ContactChoice {
                title: label.clone(),
                subtitle: "No longer in the directory".to_owned(),
                numbers: "No number in the directory".to_owned(),
                enabled: !out_of_hours,
                detail: out_of_hours.then(|| "No out-of-hours number in the directory".to_owned()),
                contact,
            },
        },
        ContactRef::Captured {
            name,
            role,
            phone,
            out_of_hours_phone,
        } => ContactChoice {
            title: name.clone(),
            subtitle: role.clone(),
            numbers: match out_of_hours_phone {
                Some(ooh) => format!("In hours {phone} · Out of hours {ooh}"),
                None => format!("In hours {phone}"),
            },
            enabled: !out_of_hours || out_of_hours_phone.is_some(),
            detail: (out_of_hours && out_of_hours_phone.is_none())
                .then(|| "No out-of-hours number recorded for this contact".to_owned()),
            contact: contact.clone(),
        },
    }
}

fn number_kind_words(kind: crate::directory::NumberKind) -> &'static str {
    use crate::directory::NumberKind;
    match kind {
        NumberKind::InHours => "In hours",
        NumberKind::OutOfHours => "Out of hours",
        NumberKind::Switchboard => "Switchboard",
        NumberKind::EmergencyDutyTeam => "Emergency duty team",
    }
}

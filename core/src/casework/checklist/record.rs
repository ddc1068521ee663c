//! One checklist being worked through for one person.

use super::template::{DetailKind, Template, CONCERN_KEY_PREFIX};
use super::{ChecklistError, OpenItem};
use crate::model::{
    london_date, ChecklistId, ConcernCategory, Observation, ObservationId, PersonId,
    PractitionerId, Severity, TeamId,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A contact recorded against an item: a directory entry, or one captured by hand.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "contact")]
pub enum ContactRef {
    /// A team in the contacts directory (whose in-hours and out-of-hours numbers the
    /// directory keeps).
    Directory {
        /// The team.
        team: TeamId,
        /// The team's name at the time, for display.
        label: String,
    },
    /// A contact typed in.
    Captured {
        /// Name.
        name: String,
        /// Role and organisation, e.g. "health visitor, Westshire Community Trust".
        role: String,
        /// In-hours phone number.
        phone: String,
        /// Out-of-hours phone number, if any.
        out_of_hours_phone: Option<String>,
    },
}

/// What is recorded when an item is marked done.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DoneDetail {
    /// A written note (required for `text` items).
    pub note: Option<String>,
    /// Contacts (required for `contacts` items).
    pub contacts: Vec<ContactRef>,
}

/// Where an item stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum ItemState {
    /// Not yet dealt with.
    Open,
    /// Done.
    Done {
        /// By whom.
        by: PractitionerId,
        /// When.
        at: DateTime<Utc>,
        /// What was recorded.
        detail: DoneDetail,
    },
    /// Not applicable, with a reason.
    NotApplicable {
        /// By whom.
        by: PractitionerId,
        /// When.
        at: DateTime<Utc>,
        /// Why it does not apply.
        reason: String,
    },
}

/// One item on a checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChecklistItem {
    /// Key (from the template, or `concern:<observation id>`).
    pub key: String,
    /// What the practitioner reads.
    pub text: String,
    /// Whether it must be closed before completion.
    pub required: bool,
    /// What it needs to be marked done.
    pub detail: DetailKind,
    /// The observation this item hands over, for items pulled from open concerns.
    pub concern: Option<ObservationId>,
    /// Where it stands.
    pub state: ItemState,
}

/// Who completed the checklist and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Completion {
    /// By whom.
    pub by: PractitionerId,
    /// When.
    pub at: DateTime<Utc>,
}

/// A checklist for one person, started from a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Checklist {
    /// Identifier.
    pub id: ChecklistId,
    /// The template's id.
    pub template_id: String,
    /// The template's version when this checklist was started.
    pub template_version: u32,
    /// The template's title.
    pub title: String,
    /// Whether the person's open observations are handed over as items (from the template).
    pub hands_over_open_concerns: bool,
    /// Who it is for.
    pub person: PersonId,
    /// Who started it.
    pub started_by: PractitionerId,
    /// When.
    pub started_at: DateTime<Utc>,
    /// Items, template items first, then one per open concern in order observed.
    pub items: Vec<ChecklistItem>,
    /// Set once complete.
    pub completed: Option<Completion>,
}

impl Checklist {
    /// Starts a checklist for `person` from `template`. If the template hands over open
    /// concerns, every open observation about `person` in `observations` becomes a required
    /// item (observations about other people are ignored).
    pub fn start(
        template: &Template,
        person: PersonId,
        observations: &[Observation],
        started_by: PractitionerId,
        started_at: DateTime<Utc>,
    ) -> Self {
        let mut checklist = Self {
            id: ChecklistId::new(),
            template_id: template.id.clone(),
            template_version: template.version,
            title: template.title.clone(),
            hands_over_open_concerns: template.open_concerns,
            person,
            started_by,
            started_at,
            items: template
                .items
                .iter()
                .map(|t| ChecklistItem {
                    key: t.key.clone(),
                    text: t.text.clone(),
                    required: t.required,
                    detail: t.detail,
                    concern: None,
                    state: ItemState::Open,
                })
                .collect(),
            completed: None,
        };
        if checklist.hands_over_open_concerns {
            checklist.add_open_concerns(observations);
        }
        checklist
    }

    /// Adds an item for each open observation about the person not yet on the checklist
    /// (only for checklists that hand over open concerns). Returns how many were added.
    pub fn add_open_concerns(&mut self, observations: &[Observation]) -> usize {
        if !self.hands_over_open_concerns || self.completed.is_some() {
            return 0;
        }
        let mut new: Vec<&Observation> = observations
            .iter()
            .filter(|o| o.about == self.person && o.is_open())
            .filter(|o| !self.items.iter().any(|i| i.concern == Some(o.id)))
            .collect();
        new.sort_by_key(|o| (o.observed_at, o.id));
        new.dedup_by_key(|o| o.id);
        let added = new.len();
        for o in new {
            self.items.push(ChecklistItem {
                key: format!("{CONCERN_KEY_PREFIX}{}", o.id),
                text: concern_item_text(&o.category, o.severity, o.observed_at),
                required: true,
                detail: DetailKind::None,
                concern: Some(o.id),
                state: ItemState::Open,
            });
        }
        added
    }

    /// Marks an item done with the detail it asks for.
    pub fn mark_done(
        &mut self,
        key: &str,
        by: PractitionerId,
        at: DateTime<Utc>,
        detail: DoneDetail,
    ) -> Result<(), ChecklistError> {
        self.ensure_open_for_changes()?;
        let item = self.item_mut(key)?;
        let detail = validated_detail(key, item.detail, detail)?;
        item.state = ItemState::Done { by, at, detail };
        Ok(())
    }

    /// Marks an item not applicable; a reason is required.
    pub fn mark_not_applicable(
        &mut self,
        key: &str,
        by: PractitionerId,
        at: DateTime<Utc>,
        reason: &str,
    ) -> Result<(), ChecklistError> {
        self.ensure_open_for_changes()?;
        let reason = crate::rules::normalise::trim(reason);
        if reason.is_empty() {
            // Check the key exists first so an unknown key is reported as such.
            self.item_mut(key)?;
            return Err(ChecklistError::NotApplicableWithoutReason {
                key: key.to_owned(),
            });
        }
        let item = self.item_mut(key)?;
        item.state = ItemState::NotApplicable {
            by,
            at,
            reason: reason.to_owned(),
        };
        Ok(())
    }

    /// The required items still open, in checklist order.
    pub fn open_required(&self) -> Vec<OpenItem> {
        self.items
            .iter()
            .filter(|i| i.required && i.state == ItemState::Open)
            .map(|i| OpenItem {
                key: i.key.clone(),
                text: i.text.clone(),
            })
            .collect()
    }

    /// Completes the checklist. For a checklist that hands over concerns, the person's open
    /// observations are pulled again first, so a concern captured since the start is added
    /// (and must be dealt with). Refused, changing nothing, while any required item is open.
    pub fn complete(
        &mut self,
        observations: &[Observation],
        by: PractitionerId,
        at: DateTime<Utc>,
    ) -> Result<(), ChecklistError> {
        self.ensure_open_for_changes()?;
        let mut candidate = self.clone();
        if self.hands_over_open_concerns {
            candidate.add_open_concerns(observations);
        }
        let open = candidate.open_required();
        if !open.is_empty() {
            return Err(ChecklistError::RequiredItemsOpen { items: open });
        }
        self.completed = Some(Completion { by, at });
        Ok(())
    }

    /// Whether the checklist is complete.
    pub fn is_complete(&self) -> bool {
        self.completed.is_some()
    }

    fn ensure_open_for_changes(&self) -> Result<(), ChecklistError> {
        if self.completed.is_some() {
            Err(ChecklistError::AlreadyComplete)
        } else {
            Ok(())
        }
    }

    fn item_mut(&mut self, key: &str) -> Result<&mut ChecklistItem, ChecklistError> {
        self.items
            .iter_mut()
            .find(|i| i.key == key)
            .ok_or_else(|| ChecklistError::UnknownItem {
                key: key.to_owned(),
            })
    }
}

fn concern_item_text(category: &ConcernCategory, severity: Severity, at: DateTime<Utc>) -> String {
    format!(
        "Hand over concern: {} ({}), observed {}",
        category.label(),
        severity.label(),
        london_date(at).format("%-d %b %Y")
    )
}

fn validated_detail(
    key: &str,
    kind: DetailKind,
    detail: DoneDetail,
) -> Result<DoneDetail, ChecklistError> {
    let missing = |needs| ChecklistError::DetailMissing {
        key: key.to_owned(),
        needs,
    };
    let note = detail
        .note
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    let mut contacts = Vec::with_capacity(detail.contacts.len());
    for c in detail.contacts {
        contacts.push(validated_contact(c).ok_or_else(|| {
            missing("a name, a role and a phone number for every contact typed in")
        })?);
    }
    match kind {
        DetailKind::None => {}
        DetailKind::Text if note.is_none() => return Err(missing("a note")),
        DetailKind::Text => {}
        DetailKind::Contacts | DetailKind::ContactsWithOutOfHours if contacts.is_empty() => {
            return Err(missing("at least one contact"))
        }
        DetailKind::Contacts => {}
        DetailKind::ContactsWithOutOfHours => {
            let lacks_ooh = contacts.iter().any(|c| {
                matches!(
                    c,
                    ContactRef::Captured {
                        out_of_hours_phone: None,
                        ..
                    }
                )
            });
            if lacks_ooh {
                return Err(missing("an out-of-hours number for every contact typed in"));
            }
        }
    }
    Ok(DoneDetail { note, contacts })
}

fn validated_contact(contact: ContactRef) -> Option<ContactRef> {
    let text = |s: String| {
        let t = crate::rules::normalise::trim(&s).to_owned();
        (!t.is_empty()).then_some(t)
    };
    Some(match contact {
        ContactRef::Directory { team, label } => ContactRef::Directory { team, label },
        ContactRef::Captured {
            name,
            role,
            phone,
            out_of_hours_phone,
        } => ContactRef::Captured {
            name: text(name)?,
            role: text(role)?,
            phone: text(phone)?,
            out_of_hours_phone: out_of_hours_phone.and_then(text),
        },
    })
}

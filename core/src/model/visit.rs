//! A visit: when, where and who was there. Who was present matters clinically (a child who
//! speaks in front of a parent's partner may not say the same alone; an unknown adult in the
//! home is itself something to record), so presence is a list of people, practitioners and
//! described others, not a free-text note.

use super::error::{optional, required, ModelError};
use super::ids::{HouseholdId, PersonId, PractitionerId, VisitId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The kind of place something happened.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "kind", content = "name")]
pub enum PlaceKind {
    /// The family's home.
    Home,
    /// A clinic or health centre.
    Clinic,
    /// A hospital (ward, antenatal unit, emergency department).
    Hospital,
    /// A family hub or children's centre.
    ChildrensCentre,
    /// A school or nursery.
    School,
    /// By telephone or video.
    Remote,
    /// Anything else, named.
    Other(String),
}

/// Where something happened: a kind, and optionally the specific place.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Place {
    /// The kind of place.
    pub kind: PlaceKind,
    /// Which one, e.g. an address or "Ward 12".
    pub detail: Option<String>,
}

impl Place {
    /// Validates a place (an "other" kind must be named; blank detail means none).
    pub fn new(kind: PlaceKind, detail: Option<String>) -> Result<Self, ModelError> {
        let kind = match kind {
            PlaceKind::Other(n) => PlaceKind::Other(required("place_name", n)?),
            k => k,
        };
        Ok(Self {
            kind,
            detail: optional(detail),
        })
    }
}

/// Someone who was present.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "who")]
pub enum Attendee {
    /// A person on the family's record.
    Person {
        /// Who.
        person: PersonId,
    },
    /// A practitioner.
    Practitioner {
        /// Who.
        practitioner: PractitionerId,
    },
    /// Someone not on the record, described (e.g. "adult male introduced as a friend").
    Other {
        /// The description.
        description: String,
    },
}

impl Attendee {
    /// Someone not on the record; the description is required.
    pub fn other(description: impl Into<String>) -> Result<Self, ModelError> {
        Ok(Attendee::Other {
            description: required("present", description)?,
        })
    }
}

/// What is entered about a visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVisit {
    /// The household visited.
    pub household: HouseholdId,
    /// The practitioner visiting.
    pub practitioner: PractitionerId,
    /// When it started (or is planned to start).
    pub started_at: DateTime<Utc>,
    /// When it ended, if it has.
    pub ended_at: Option<DateTime<Utc>>,
    /// Where.
    pub place: Place,
    /// Who was present.
    pub present: Vec<Attendee>,
}

/// A visit (planned or done).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Visit {
    /// Identifier.
    pub id: VisitId,
    /// The household visited.
    pub household: HouseholdId,
    /// The practitioner visiting.
    pub practitioner: PractitionerId,
    /// When it started (or is planned to start).
    pub started_at: DateTime<Utc>,
    /// When it ended, if it has.
    pub ended_at: Option<DateTime<Utc>>,
    /// Where.
    pub place: Place,
    /// Who was present.
    pub present: Vec<Attendee>,
}

impl Visit {
    /// Validates and makes a visit with a fresh id. Planned visits may be in the future.
    pub fn new(new: NewVisit) -> Result<Self, ModelError> {
        if let Some(end) = new.ended_at {
            if end < new.started_at {
                return Err(ModelError::EndsBeforeStart { field: "ended_at" });
            }
        }
        let present = new
            .present
            .into_iter()
            .map(|a| match a {
                Attendee::Other { description } => Attendee::other(description),
                a => Ok(a),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            id: VisitId::new(),
            household: new.household,
            practitioner: new.practitioner,
            started_at: new.started_at,
            ended_at: new.ended_at,
            place: Place::new(new.place.kind, new.place.detail)?,
            present,
        })
    }
}

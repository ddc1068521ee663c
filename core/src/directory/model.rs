//! The directory's plain types: organisations, their teams, the teams' numbers and hours.
//!
//! Owns: what a directory entry is. Invariants are checked where the whole directory is
//! assembled ([`super::Directory`]), because most of them are about references between
//! entries (a team's organisation exists, an out-of-hours team exists).
//!
//! The directory is regional reference data about services, not personal data: it names
//! teams and their generic numbers, never individual staff.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::area::Area;
use super::hours::OpeningHours;
use crate::model::{OdsCode, OrganisationId, OrganisationKind, PhoneNumber, TeamId};

/// The service a team provides: how practitioners search for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// Community or hospital midwifery.
    Midwifery,
    /// Health visiting (0-19 / 0-5 public health nursing).
    HealthVisiting,
    /// School nursing.
    SchoolNursing,
    /// Children's social care front door / multi-agency safeguarding hub (MASH).
    ChildrensSocialCareFrontDoor,
    /// The local authority's out-of-hours emergency duty team.
    EmergencyDutyTeam,
    /// Adult social care.
    AdultSocialCare,
    /// A trust's or ICB's safeguarding team (named/designated professionals).
    SafeguardingTeam,
    /// A GP practice.
    GpPractice,
    /// An acute hospital ward (e.g. maternity, neonatal, paediatric).
    AcuteWard,
    /// Anything else; the team's name says what.
    Other,
}

impl Service {
    /// A short human name, for labels.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Midwifery => "midwifery",
            Self::HealthVisiting => "health visiting",
            Self::SchoolNursing => "school nursing",
            Self::ChildrensSocialCareFrontDoor => "children's social care front door / MASH",
            Self::EmergencyDutyTeam => "emergency duty team",
            Self::AdultSocialCare => "adult social care",
            Self::SafeguardingTeam => "safeguarding team",
            Self::GpPractice => "GP practice",
            Self::AcuteWard => "acute ward",
            Self::Other => "other",
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// An organisation: NHS trust, ICB, local authority or GP practice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// Stable id (teams and sync refer to it).
    pub id: OrganisationId,
    /// The ODS code, shape-checked for `kind`.
    pub ods_code: OdsCode,
    /// The organisation's name as staff know it.
    pub name: String,
    /// What kind of body it is.
    pub kind: OrganisationKind,
    /// The main switchboard, the fallback when a team has no number for this moment.
    pub switchboard: Option<PhoneNumber>,
    /// When the switchboard answers: 24/7 unless stated.
    #[serde(default = "OpeningHours::always")]
    pub switchboard_hours: OpeningHours,
}

/// A team's numbers, one per kind. Any may be missing; number choice falls back in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamNumbers {
    /// The team's direct line while it is open.
    #[serde(default)]
    pub in_hours: Option<PhoneNumber>,
    /// The number to ring when the team is closed (on-call, duty, out-of-hours service).
    #[serde(default)]
    pub out_of_hours: Option<PhoneNumber>,
    /// A switchboard that reaches this team (e.g. a hospital's, for a ward), preferred over
    /// the organisation's main switchboard.
    #[serde(default)]
    pub switchboard: Option<PhoneNumber>,
}

/// A team: the unit practitioners share with and call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    /// Stable id: shares are addressed to it, so it never changes across directory versions.
    pub id: TeamId,
    /// The organisation the team belongs to.
    pub organisation: OrganisationId,
    /// The team's name ("Fictional North community midwifery").
    pub name: String,
    /// The service it provides.
    pub service: Service,
    /// Postcode areas and districts it covers; empty for a team searched by name only.
    #[serde(default)]
    pub areas: Vec<Area>,
    /// Its numbers.
    #[serde(default)]
    pub numbers: TeamNumbers,
    /// When the team itself answers its in-hours number.
    pub hours: OpeningHours,
    /// For children's social care: the emergency duty team that covers it out of hours. When
    /// absent, an emergency duty team of the same organisation is used.
    #[serde(default)]
    pub out_of_hours_team: Option<TeamId>,
}

impl Team {
    /// Whether the team covers `place` (a postcode area or district).
    pub fn covers(&self, place: &Area) -> bool {
        self.areas.iter().any(|a| a.covers(place))
    }

    /// Whether it covers `place` by naming its district (more specific than a whole area).
    pub fn covers_by_district(&self, place: &Area) -> bool {
        self.areas
            .iter()
            .any(|a| a.is_district() && a.covers(place))
    }
}

//! Who does the work: the kinds of organisation (whose ODS code shape they decide, [`super::ods`])
//! and the practitioners, named by role. The region's organisations and teams themselves, with
//! their numbers and hours, are the contacts directory's (`crate::directory`): one source of
//! truth for whom a share is addressed to.

use super::error::{optional, required, ModelError};
use super::ids::{PractitionerId, TeamId};
use serde::{Deserialize, Serialize};

/// What kind of body an organisation is (it decides the expected ODS code shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    /// An NHS trust or foundation trust.
    NhsTrust,
    /// An integrated care board.
    IntegratedCareBoard,
    /// A local authority (children's and adult social care).
    LocalAuthority,
    /// A GP practice.
    GpPractice,
    /// Anything else (e.g. a social enterprise providing community services).
    Other,
}

/// A practitioner's professional role.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "role", content = "name")]
pub enum PractitionerRole {
    /// Community midwife.
    CommunityMidwife,
    /// Acute (hospital) midwife.
    AcuteMidwife,
    /// Health visitor.
    HealthVisitor,
    /// School nurse.
    SchoolNurse,
    /// General practitioner.
    Gp,
    /// Safeguarding lead, named nurse or named midwife.
    SafeguardingLead,
    /// Children's social care social worker.
    SocialWorker,
    /// Anything else, named.
    Other(String),
}

/// A practitioner: a device user or a named colleague.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Practitioner {
    /// Identifier.
    pub id: PractitionerId,
    /// Full name.
    pub name: String,
    /// Professional role.
    pub role: PractitionerRole,
    /// Their team.
    pub team: TeamId,
    /// Work phone.
    pub phone: Option<String>,
    /// Work (secure) email.
    pub email: Option<String>,
}

impl Practitioner {
    /// Validates and makes a practitioner with a fresh id.
    pub fn new(
        name: impl Into<String>,
        role: PractitionerRole,
        team: TeamId,
        phone: Option<String>,
        email: Option<String>,
    ) -> Result<Self, ModelError> {
        let role = match role {
            PractitionerRole::Other(n) => PractitionerRole::Other(required("role_name", n)?),
            r => r,
        };
        Ok(Self {
            id: PractitionerId::new(),
            name: required("name", name)?,
            role,
            team,
            phone: optional(phone),
            email: optional(email),
        })
    }
}

//! Who does the work: organisations (identified by their ODS code), their teams, and the
//! practitioners in those teams. A share goes to a team, so a team is the unit of address;
//! a practitioner belongs to one team; a team to one organisation.

use super::error::{optional, required, ModelError};
use super::ids::{OrganisationId, PractitionerId, TeamId};
use serde::{Deserialize, Serialize};

/// ODS codes are checked in one place, the directory's [`crate::directory::OdsCode`], so a
/// code accepted on an organisation record is accepted by the directory import and vice versa.
pub use crate::directory::OdsCode;

/// What kind of body an organisation is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "name")]
pub enum OrganisationKind {
    /// An NHS Trust (acute, community or combined).
    NhsTrust,
    /// An Integrated Care Board.
    IntegratedCareBoard,
    /// A local authority (children's and adult social care).
    LocalAuthority,
    /// A GP practice.
    GpPractice,
    /// Anything else, named.
    Other(String),
}

/// An organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// Identifier.
    pub id: OrganisationId,
    /// ODS code.
    pub ods_code: OdsCode,
    /// Name, e.g. "Northshire Community Health NHS Trust".
    pub name: String,
    /// What kind of body it is.
    pub kind: OrganisationKind,
    /// Switchboard number: the fallback when a team has no direct number.
    pub switchboard: Option<String>,
}

impl Organisation {
    /// Validates and makes an organisation with a fresh id.
    pub fn new(
        ods_code: &str,
        name: impl Into<String>,
        kind: OrganisationKind,
        switchboard: Option<String>,
    ) -> Result<Self, ModelError> {
        let kind = match kind {
            OrganisationKind::Other(n) => OrganisationKind::Other(required("kind_name", n)?),
            k => k,
        };
        Ok(Self {
            id: OrganisationId::new(),
            ods_code: OdsCode::parse(ods_code).map_err(|_| ModelError::InvalidOdsCode)?,
            name: required("name", name)?,
            kind,
            switchboard: optional(switchboard),
        })
    }
}

/// What a team does (the directory's service kinds).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "name")]
pub enum TeamKind {
    /// Community midwifery.
    CommunityMidwifery,
    /// Hospital (acute) maternity, e.g. a postnatal ward.
    AcuteMaternity,
    /// Health visiting.
    HealthVisiting,
    /// School nursing.
    SchoolNursing,
    /// A GP practice team.
    GeneralPractice,
    /// A safeguarding team (named nurses, named midwives).
    Safeguarding,
    /// Children's social care front door / MASH.
    ChildrensSocialCare,
    /// Adult social care.
    AdultSocialCare,
    /// An acute ward (e.g. paediatrics, neonatal unit).
    AcuteWard,
    /// Anything else, named.
    Other(String),
}

/// A team: the addressee of shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    /// Identifier.
    pub id: TeamId,
    /// The organisation it belongs to.
    pub organisation: OrganisationId,
    /// Name, e.g. "Eastfield Health Visiting".
    pub name: String,
    /// What it does.
    pub kind: TeamKind,
    /// The area it covers, in words (e.g. "Eastfield and Marsh wards").
    pub area: Option<String>,
}

impl Team {
    /// Validates and makes a team with a fresh id.
    pub fn new(
        organisation: OrganisationId,
        name: impl Into<String>,
        kind: TeamKind,
        area: Option<String>,
    ) -> Result<Self, ModelError> {
        let kind = match kind {
            TeamKind::Other(n) => TeamKind::Other(required("kind_name", n)?),
            k => k,
        };
        Ok(Self {
            id: TeamId::new(),
            organisation,
            name: required("name", name)?,
            kind,
            area: optional(area),
        })
    }
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

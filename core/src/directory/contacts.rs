//! The in-memory, versioned regional directory: lookup, search and atomic updates.
//!
//! Owns: the one copy of the directory the phone (or server) holds, and the only ways to
//! change it. Invariants, checked whenever a [`Directory`] is built, deserialised, replaced
//! or patched:
//! - ids are unique; ODS codes are unique and shaped for their organisation's kind;
//! - every team belongs to an organisation in the directory;
//! - a team's out-of-hours team exists and is an emergency duty team;
//! - names are not blank.
//!
//! Updates are all-or-nothing: [`Directory::replace`] only moves to a newer version, and
//! [`Directory::apply_patch`] only applies to the exact version it was made against, on a copy
//! that is validated before it takes the place of the current one. A refused update leaves
//! the directory exactly as it was, so a phone is never left with half a region.
//!
//! Search is offline over this copy: by service and postcode district/area, by organisation
//! (ODS code or name) and by team name.

use crate::rules::normalise::fold_for_search;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

use super::area::{Area, AreaError};
use super::model::{Organisation, Service, Team};
use super::ods::{OdsCode, OdsCodeError};
use crate::model::{OrganisationId, TeamId};

/// Why a directory, or an update to one, was refused.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum DirectoryError {
    /// Two organisations share an id.
    #[error("organisation {0} appears more than once")]
    DuplicateOrganisation(OrganisationId),
    /// Two organisations share an ODS code.
    #[error("ODS code {0} is used by more than one organisation")]
    DuplicateOdsCode(OdsCode),
    /// An ODS code does not fit its organisation's kind.
    #[error("organisation {organisation}: {error}")]
    OdsCode {
        /// The organisation.
        organisation: OrganisationId,
        /// What is wrong with its code.
        error: OdsCodeError,
    },
    /// Two teams share an id.
    #[error("team {0} appears more than once")]
    DuplicateTeam(TeamId),
    /// A team names an organisation that is not in the directory.
    #[error("team {team} belongs to organisation {organisation}, which is not in the directory")]
    UnknownOrganisation {
        /// The team.
        team: TeamId,
        /// The missing organisation.
        organisation: OrganisationId,
    },
    /// A team's out-of-hours team is missing or is not an emergency duty team.
    #[error("team {team}: out-of-hours team {out_of_hours_team} is not an emergency duty team in the directory")]
    BadOutOfHoursTeam {
        /// The team.
        team: TeamId,
        /// The team it points at.
        out_of_hours_team: TeamId,
    },
    /// An organisation or team with a blank name.
    #[error("an organisation or team has a blank name")]
    BlankName,
    /// A replacement that is not newer than what is held (a replay or a rollback).
    #[error("directory version {offered} is not newer than the current version {current}")]
    NotNewer {
        /// The version held.
        current: u64,
        /// The version offered.
        offered: u64,
    },
    /// A patch made against another version.
    #[error("patch is for directory version {patch_base}, but the current version is {current}")]
    WrongBaseVersion {
        /// The version held.
        current: u64,
        /// The version the patch expects.
        patch_base: u64,
    },
    /// A patch removes a team that is not there.
    #[error("patch removes team {0}, which is not in the directory")]
    RemoveUnknownTeam(TeamId),
    /// A patch removes an organisation that is not there.
    #[error("patch removes organisation {0}, which is not in the directory")]
    RemoveUnknownOrganisation(OrganisationId),
}

/// One change in a [`DirectoryPatch`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "op")]
pub enum DirectoryChange {
    /// Adds the organisation, or replaces the one with the same id.
    PutOrganisation {
        /// The organisation as it should now be.
        organisation: Organisation,
    },
    /// Removes an organisation (its teams must be removed in the same patch).
    RemoveOrganisation {
        /// Which.
        id: OrganisationId,
    },
    /// Adds the team, or replaces the one with the same id.
    PutTeam {
        /// The team as it should now be.
        team: Team,
    },
    /// Removes a team.
    RemoveTeam {
        /// Which.
        id: TeamId,
    },
}

/// A set of changes taking the directory from `base_version` to `version`, applied whole or
/// not at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryPatch {
    /// The version this patch was made against.
    pub base_version: u64,
    /// The version after the patch (greater than `base_version`).
    pub version: u64,
    /// The changes, applied in order.
    pub changes: Vec<DirectoryChange>,
    /// A new region name, when it changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// A new fictional flag, when it changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fictional: Option<bool>,
}

/// The serialised form: one document the encrypted store or the server can hold.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct DirectoryDocument {
    version: u64,
    region: String,
    #[serde(default)]
    fictional: bool,
    organisations: Vec<Organisation>,
    teams: Vec<Team>,
}

/// The regional contacts directory at one version. Always valid (see the module invariants).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "DirectoryDocument", into = "DirectoryDocument")]
pub struct Directory {
    version: u64,
    region: String,
    fictional: bool,
    organisations: BTreeMap<OrganisationId, Organisation>,
    teams: BTreeMap<TeamId, Team>,
}

impl Directory {
    /// The directory a phone starts with before its first download: version 0, no entries.
    pub fn empty() -> Self {
        Self {
            version: 0,
            region: String::new(),
            fictional: false,
            organisations: BTreeMap::new(),
            teams: BTreeMap::new(),
        }
    }

    /// Builds and validates a directory.
    pub fn new(
        version: u64,
        region: impl Into<String>,
        fictional: bool,
        organisations: Vec<Organisation>,
        teams: Vec<Team>,
    ) -> Result<Self, DirectoryError> {
        let mut orgs = BTreeMap::new();
        for o in organisations {
            let id = o.id;
            if orgs.insert(id, o).is_some() {
                return Err(DirectoryError::DuplicateOrganisation(id));
            }
        }
        let mut team_map = BTreeMap::new();
        for t in teams {
            let id = t.id;
            if team_map.insert(id, t).is_some() {
                return Err(DirectoryError::DuplicateTeam(id));
            }
        }
        let dir = Self {
            version,
            region: region.into(),
            fictional,
            organisations: orgs,
            teams: team_map,
        };
        dir.validate()?;
        Ok(dir)
    }

    fn validate(&self) -> Result<(), DirectoryError> {
        let mut codes = HashSet::new();
        for o in self.organisations.values() {
            if crate::rules::normalise::is_blank(&o.name) {
                return Err(DirectoryError::BlankName);
            }
            o.ods_code
                .check_kind(o.kind)
                .map_err(|error| DirectoryError::OdsCode {
                    organisation: o.id,
                    error,
                })?;
            if !codes.insert(&o.ods_code) {
                return Err(DirectoryError::DuplicateOdsCode(o.ods_code.clone()));
            }
        }
        for t in self.teams.values() {
            if crate::rules::normalise::is_blank(&t.name) {
                return Err(DirectoryError::BlankName);
            }
            if !self.organisations.contains_key(&t.organisation) {
                return Err(DirectoryError::UnknownOrganisation {
                    team: t.id,
                    organisation: t.organisation,
                });
            }
            if let Some(edt) = t.out_of_hours_team {
                let ok = self
                    .teams
                    .get(&edt)
                    .is_some_and(|e| e.service == Service::EmergencyDutyTeam);
                if !ok {
                    return Err(DirectoryError::BadOutOfHoursTeam {
                        team: t.id,
                        out_of_hours_team: edt,
                    });
                }
            }
        }
        Ok(())
    }

    /// The version number; grows with every accepted update.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The region's name.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// Whether this directory is fictional sample data (never to be used for real calls).
    pub fn is_fictional(&self) -> bool {
        self.fictional
    }

    /// Replaces the whole directory with `next` if it is newer; otherwise nothing changes.
    pub fn replace(&mut self, next: Directory) -> Result<(), DirectoryError> {
        if next.version <= self.version {
            return Err(DirectoryError::NotNewer {
                current: self.version,
                offered: next.version,
            });
        }
        *self = next;
        Ok(())
    }

    /// Applies `patch` if it was made against this version and leaves a valid directory;
    /// otherwise nothing changes.
    pub fn apply_patch(&mut self, patch: &DirectoryPatch) -> Result<(), DirectoryError> {
        if patch.base_version != self.version {
            return Err(DirectoryError::WrongBaseVersion {
                current: self.version,
                patch_base: patch.base_version,
            });
        }
        if patch.version <= patch.base_version {
            return Err(DirectoryError::NotNewer {
                current: self.version,
                offered: patch.version,
            });
        }
        let mut next = self.clone();
        for change in &patch.changes {
            match change {
                DirectoryChange::PutOrganisation { organisation } => {
                    next.organisations
                        .insert(organisation.id, organisation.clone());
                }
                DirectoryChange::RemoveOrganisation { id } => {
                    if next.organisations.remove(id).is_none() {
                        return Err(DirectoryError::RemoveUnknownOrganisation(*id));
                    }
                }
                DirectoryChange::PutTeam { team } => {
                    next.teams.insert(team.id, team.clone());
                }
                DirectoryChange::RemoveTeam { id } => {
                    if next.teams.remove(id).is_none() {
                        return Err(DirectoryError::RemoveUnknownTeam(*id));
                    }
                }
            }
        }
        next.version = patch.version;
        if let Some(region) = &patch.region {
            next.region.clone_from(region);
        }
        if let Some(fictional) = patch.fictional {
            next.fictional = fictional;
        }
        next.validate()?;
        *self = next;
        Ok(())
    }

    /// The patch that takes this directory to `newer` (for the server to send a device only
    /// what changed). Removals come first so an organisation can be replaced cleanly.
    pub fn diff(&self, newer: &Directory) -> DirectoryPatch {
        let mut changes = Vec::new();
        for id in self.teams.keys().filter(|id| !newer.teams.contains_key(id)) {
            changes.push(DirectoryChange::RemoveTeam { id: *id });
        }
        for id in self
            .organisations
            .keys()
            .filter(|id| !newer.organisations.contains_key(id))
        {
            changes.push(DirectoryChange::RemoveOrganisation { id: *id });
        }
        for (id, o) in &newer.organisations {
            if self.organisations.get(id) != Some(o) {
                changes.push(DirectoryChange::PutOrganisation {
                    organisation: o.clone(),
                });
            }
        }
        for (id, t) in &newer.teams {
            if self.teams.get(id) != Some(t) {
                changes.push(DirectoryChange::PutTeam { team: t.clone() });
            }
        }
        DirectoryPatch {
            base_version: self.version,
            version: newer.version,
            changes,
            region: (self.region != newer.region).then(|| newer.region.clone()),
            fictional: (self.fictional != newer.fictional).then_some(newer.fictional),
        }
    }

    /// A team by id.
    pub fn team(&self, id: TeamId) -> Option<&Team> {
        self.teams.get(&id)
    }

    /// The team `id` with `label` set to this directory's name for it, or `None` (and `label`
    /// left as it was) when the team is not in this directory. A team's name shown to the
    /// practitioner, or compared in "who has been told", is always this directory's: a label
    /// typed or received elsewhere could name another team than the id it travels with.
    /// Callers decide what an unknown team means (refused when entered here; kept as the only
    /// name known for another region's team in a received pack).
    pub fn named_team(&self, id: TeamId, label: &mut String) -> Option<&Team> {
        let found = self.team(id)?;
        label.clone_from(&found.name);
        Some(found)
    }

    /// An organisation by id.
    pub fn organisation(&self, id: OrganisationId) -> Option<&Organisation> {
        self.organisations.get(&id)
    }

    /// An organisation by ODS code (any case).
    pub fn organisation_by_ods(&self, code: &str) -> Option<&Organisation> {
        let code = code.trim();
        self.organisations
            .values()
            .find(|o| o.ods_code.as_str().eq_ignore_ascii_case(code))
    }

    /// Every organisation, in id order.
    pub fn organisations(&self) -> impl Iterator<Item = &Organisation> {
        self.organisations.values()
    }

    /// Every team, in id order.
    pub fn teams(&self) -> impl Iterator<Item = &Team> {
        self.teams.values()
    }

    /// Teams providing `service` that cover `place`: those naming the district first, then
    /// those covering its whole postcode area; by name within each.
    pub fn find(&self, service: Service, place: &Area) -> Vec<&Team> {
        let mut found: Vec<&Team> = self
            .teams
            .values()
            .filter(|t| t.service == service && t.covers(place))
            .collect();
        found.sort_by(|a, b| {
            b.covers_by_district(place)
                .cmp(&a.covers_by_district(place))
                .then_with(|| a.name.cmp(&b.name))
        });
        found
    }

    /// [`Directory::find`] with a postcode, district or area as typed ("LS6 2AB", "ls6").
    pub fn find_by_postcode(
        &self,
        service: Service,
        postcode: &str,
    ) -> Result<Vec<&Team>, AreaError> {
        let place = Area::parse(postcode)?;
        Ok(self.find(service, &place))
    }

    /// The teams of one organisation, by name.
    pub fn teams_of(&self, organisation: OrganisationId) -> Vec<&Team> {
        let mut found: Vec<&Team> = self
            .teams
            .values()
            .filter(|t| t.organisation == organisation)
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        found
    }

    /// Organisations whose ODS code equals `query` or whose name contains it, both folded as a
    /// phone keyboard needs (case, diacritics, curly quotes and dashes:
    /// `rules::normalise::fold_for_search`).
    pub fn find_organisations(&self, query: &str) -> Vec<&Organisation> {
        let q = fold_for_search(query);
        if q.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<&Organisation> = self
            .organisations
            .values()
            .filter(|o| {
                fold_for_search(o.ods_code.as_str()) == q.replace(' ', "")
                    || fold_for_search(&o.name).contains(&q)
            })
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        found
    }

    /// Teams whose name or organisation name contains `query`, by name; both folded as a phone
    /// keyboard needs, so "children’s front door" finds "Children's Front Door"
    /// (`rules::normalise::fold_for_search`).
    pub fn find_teams_by_name(&self, query: &str) -> Vec<&Team> {
        let q = fold_for_search(query);
        if q.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<&Team> = self
            .teams
            .values()
            .filter(|t| {
                fold_for_search(&t.name).contains(&q)
                    || self
                        .organisations
                        .get(&t.organisation)
                        .is_some_and(|o| fold_for_search(&o.name).contains(&q))
            })
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        found
    }
}

impl Default for Directory {
    fn default() -> Self {
        Self::empty()
    }
}

impl TryFrom<DirectoryDocument> for Directory {
    type Error = DirectoryError;
    fn try_from(d: DirectoryDocument) -> Result<Self, Self::Error> {
        Self::new(d.version, d.region, d.fictional, d.organisations, d.teams)
    }
}

impl From<Directory> for DirectoryDocument {
    fn from(d: Directory) -> Self {
        Self {
            version: d.version,
            region: d.region,
            fictional: d.fictional,
            organisations: d.organisations.into_values().collect(),
            teams: d.teams.into_values().collect(),
        }
    }
}

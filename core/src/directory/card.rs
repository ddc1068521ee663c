//! Contact cards: everything the directory knows about reaching one team, for checklists and
//! the contacts screen.
//!
//! Owns: "the contact details of out-of-area staff involved" as the admission and handover
//! checklists need them (docs/domain.md, "Checklists"): every number with its kind, the hours
//! in words, and whether the team can be reached out of hours at all. Handover requires each
//! side to hold the other's numbers "including out of hours", so
//! [`ContactCard::out_of_hours_route`] says which route exists, or none, instead of leaving the
//! practitioner to infer it from a list of numbers.

use serde::{Deserialize, Serialize};

use super::contacts::Directory;
use super::hours::OpeningHours;
use super::model::{Service, Team};
use super::phone::PhoneNumber;
use crate::casework::checklist::ContactRef;
use crate::model::TeamId;

/// What a number on a card is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberKind {
    /// The team's direct line while open.
    InHours,
    /// The team's out-of-hours number.
    OutOfHours,
    /// A switchboard (the team's or its organisation's): ask for the team.
    Switchboard,
    /// The emergency duty team covering children's social care out of hours.
    EmergencyDutyTeam,
}

/// One number on a card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardNumber {
    /// What it is for.
    pub kind: NumberKind,
    /// The number.
    pub number: PhoneNumber,
    /// As a UK reader expects to see it ("0113 496 0000", "0113 496 0000 ext. 123").
    pub display: String,
    /// The RFC 3966 URI to dial (`tel:+441134960000;ext=123` with an extension).
    pub tel_uri: String,
    /// When it answers, in words ("Mon-Fri 09:00-17:00; bank holidays closed").
    pub hours: String,
}

/// How a team can be reached when it is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutOfHoursRoute {
    /// The team answers its own line around the clock.
    TeamOpenAllHours,
    /// The team has an out-of-hours number.
    OutOfHoursNumber,
    /// Children's social care: the emergency duty team.
    EmergencyDutyTeam,
    /// A switchboard that answers around the clock.
    Switchboard24x7,
}

/// Everything the directory holds about reaching one team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactCard {
    /// The team.
    pub team: TeamId,
    /// The team's name.
    pub team_name: String,
    /// Its organisation's name.
    pub organisation_name: String,
    /// Its service.
    pub service: Service,
    /// The team's own hours, in words.
    pub team_hours: String,
    /// Every number, in the order to try them: in hours, out of hours, duty team, switchboard.
    pub numbers: Vec<CardNumber>,
    /// How it is reached out of hours; `None` when the directory knows no way.
    pub out_of_hours_route: Option<OutOfHoursRoute>,
}

/// Why no card could be made.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ContactCardError {
    /// The team is not in the directory.
    #[error("team {0} is not in the contacts directory")]
    UnknownTeam(TeamId),
}

fn line(kind: NumberKind, number: &PhoneNumber, hours: String) -> CardNumber {
    CardNumber {
        kind,
        display: match number.extension() {
            Some(ext) => format!("{} ext. {ext}", number.display_national()),
            None => number.display_national(),
        },
        tel_uri: number.tel_uri(),
        number: number.clone(),
        hours,
    }
}

/// The contact card for `team`.
pub fn contact_card(directory: &Directory, team: TeamId) -> Result<ContactCard, ContactCardError> {
    let t = directory
        .team(team)
        .ok_or(ContactCardError::UnknownTeam(team))?;
    let org = directory.organisation(t.organisation);
    let switchboard_hours = org
        .map(|o| o.switchboard_hours.clone())
        .unwrap_or_else(OpeningHours::always);
    let mut numbers = Vec::new();
    if let Some(n) = &t.numbers.in_hours {
        numbers.push(line(NumberKind::InHours, n, t.hours.describe()));
    }
    if let Some(n) = &t.numbers.out_of_hours {
        numbers.push(line(
            NumberKind::OutOfHours,
            n,
            "when the team is closed".into(),
        ));
    }
    let duty = duty_team_for(directory, t);
    if let Some(edt) = duty {
        for n in [&edt.numbers.in_hours, &edt.numbers.out_of_hours]
            .into_iter()
            .flatten()
        {
            numbers.push(line(
                NumberKind::EmergencyDutyTeam,
                n,
                format!("{}: {}", edt.name, edt.hours.describe()),
            ));
        }
    }
    let switchboard = t
        .numbers
        .switchboard
        .as_ref()
        .or_else(|| org.and_then(|o| o.switchboard.as_ref()));
    if let Some(n) = switchboard {
        numbers.push(line(
            NumberKind::Switchboard,
            n,
            switchboard_hours.describe(),
        ));
    }

    let all_hours = t.hours == OpeningHours::always() && t.numbers.in_hours.is_some();
    let route = if all_hours {
        Some(OutOfHoursRoute::TeamOpenAllHours)
    } else if t.numbers.out_of_hours.is_some() {
        Some(OutOfHoursRoute::OutOfHoursNumber)
    } else if numbers
        .iter()
        .any(|n| n.kind == NumberKind::EmergencyDutyTeam)
    {
        Some(OutOfHoursRoute::EmergencyDutyTeam)
    } else if switchboard.is_some() && switchboard_hours == OpeningHours::always() {
        Some(OutOfHoursRoute::Switchboard24x7)
    } else {
        None
    };
    Ok(ContactCard {
        team,
        team_name: t.name.clone(),
        organisation_name: org.map(|o| o.name.clone()).unwrap_or_default(),
        service: t.service,
        team_hours: t.hours.describe(),
        numbers,
        out_of_hours_route: route,
    })
}

/// A checklist contact for `team` ("contact details of out-of-area staff involved"): a
/// directory reference, so the numbers shown later are the directory's current ones.
pub fn checklist_contact(
    directory: &Directory,
    team: TeamId,
) -> Result<ContactRef, ContactCardError> {
    let t = directory
        .team(team)
        .ok_or(ContactCardError::UnknownTeam(team))?;
    Ok(ContactRef::Directory {
        team,
        label: t.name.clone(),
    })
}

/// For handover items that need numbers "including out of hours": the directory contacts in
/// `contacts` whose team the directory cannot reach out of hours (or no longer holds). Empty
/// means every directory contact has an out-of-hours route. Typed-in contacts are left to the
/// checklist's own check of their out-of-hours number.
pub fn contacts_without_out_of_hours(
    directory: &Directory,
    contacts: &[ContactRef],
) -> Vec<TeamId> {
    contacts
        .iter()
        .filter_map(|c| match c {
            ContactRef::Directory { team, .. } => Some(*team),
            ContactRef::Captured { .. } => None,
        })
        .filter(|team| {
            contact_card(directory, *team)
                .map(|card| card.out_of_hours_route.is_none())
                .unwrap_or(true)
        })
        .collect()
}

/// The emergency duty team shown on a children's social care card (the same one number
/// choice redirects to).
fn duty_team_for<'a>(directory: &'a Directory, team: &Team) -> Option<&'a Team> {
    if team.service != Service::ChildrensSocialCareFrontDoor {
        return None;
    }
    super::choice::emergency_duty_team(directory, team)
}

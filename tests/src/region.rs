//! A small fictional region for the end-to-end tests: three organisations and three teams,
//! every number in an Ofcom drama range (never a real number in a test).

use safeshare_core::directory::{
    Directory, OdsCode, OpeningHours, Organisation, OrganisationKind, PhoneNumber, Service, Team,
    TeamNumbers, TimeRange,
};
use safeshare_core::model::{OrganisationId, TeamId};

/// The region's directory and its teams.
#[derive(Debug, Clone)]
pub struct Region {
    /// The directory the server imports (version 1).
    pub directory: Directory,
    /// Community midwifery, Fictional West Trust (the sender's team).
    pub midwifery: TeamId,
    /// Health visiting, Fictional East Trust (the recipient team): in-hours and out-of-hours.
    pub health_visiting: TeamId,
    /// The council's children's front door (MASH).
    pub front_door: TeamId,
}

impl Region {
    /// The three team ids, midwifery first.
    pub fn teams(&self) -> Vec<TeamId> {
        vec![self.midwifery, self.health_visiting, self.front_door]
    }
}

fn n(text: &str) -> PhoneNumber {
    PhoneNumber::parse_uk(text).expect("drama-range number")
}

/// Builds the fictional region.
pub fn region() -> Region {
    let (west, east, council) = (
        OrganisationId::new(),
        OrganisationId::new(),
        OrganisationId::new(),
    );
    let nine_to_five =
        || OpeningHours::weekdays(vec![TimeRange::parse("09:00-17:00").expect("hours")]);
    let org = |id, ods: &str, name: &str, kind, switchboard: &str| Organisation {
        id,
        ods_code: OdsCode::parse(ods).expect("ods"),
        name: name.into(),
        kind,
        switchboard: Some(n(switchboard)),
        switchboard_hours: OpeningHours::always(),
    };
    let team = |org, name: &str, service, numbers| Team {
        id: TeamId::new(),
        organisation: org,
        name: name.into(),
        service,
        areas: vec![],
        numbers,
        hours: nine_to_five(),
        out_of_hours_team: None,
    };
    let midwifery = team(
        west,
        "West community midwifery",
        Service::Midwifery,
        TeamNumbers {
            in_hours: Some(n("0113 496 0101")),
            ..TeamNumbers::default()
        },
    );
    let health_visiting = team(
        east,
        "East health visiting",
        Service::HealthVisiting,
        TeamNumbers {
            in_hours: Some(n("0113 496 0201")),
            out_of_hours: Some(n("0113 496 0202")),
            switchboard: None,
        },
    );
    let front_door = team(
        council,
        "Fictional children's front door (MASH)",
        Service::ChildrensSocialCareFrontDoor,
        TeamNumbers {
            in_hours: Some(n("020 7946 0301")),
            ..TeamNumbers::default()
        },
    );
    let (m, h, f) = (midwifery.id, health_visiting.id, front_door.id);
    let directory = Directory::new(
        1,
        "Fictional region",
        true,
        vec![
            org(
                west,
                "RZ1",
                "Fictional West Trust",
                OrganisationKind::NhsTrust,
                "0113 496 0000",
            ),
            org(
                east,
                "RZ2",
                "Fictional East Trust",
                OrganisationKind::NhsTrust,
                "0113 496 0900",
            ),
            org(
                council,
                "Z901",
                "Fictional Council",
                OrganisationKind::LocalAuthority,
                "020 7946 0000",
            ),
        ],
        vec![midwifery, health_visiting, front_door],
    )
    .expect("valid fictional directory");
    Region {
        directory,
        midwifery: m,
        health_visiting: h,
        front_door: f,
    }
}

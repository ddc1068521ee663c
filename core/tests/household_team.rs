//! Household-level members of the team around the child (issue 21, item 1: "household-level
//! where it applies"), through the session on real SQLite files: a member added for a
//! household is in every child's team view, is suggested for a concern about any of them, fills
//! each child's meeting pack and checklist contacts, appears in each child's chronology, is not
//! listed twice beside the same member of a child's own team, and is sealed at rest.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
use app_support::*;
use chrono::NaiveDate;
use safeshare_core::app::{AppError, NewObservationInput};
use safeshare_core::casework::checklist::ContactRef;
use safeshare_core::casework::meeting::{
    EntryKind as PackKind, MeetingType, NewMeetingPack, SectionKind,
};
use safeshare_core::casework::team_around_child::{
    NewInvolvement, NewSocialCareStatus, ProfessionalRole, SocialCareLevel,
};
use safeshare_core::model::{
    ConcernCategory, Evidence, HouseholdId, PersonDetails, PersonRole, Severity, TeamId,
};
use safeshare_core::rules::patterns::EntryKind;

/// The family's social worker: never in clear in the store's files.
const SOCIAL_WORKER: &str = "Jenifer Trevanion";

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn member(team: TeamId, role: ProfessionalRole, name: Option<&str>) -> NewInvolvement {
    NewInvolvement {
        contact: ContactRef::Directory {
            team,
            label: String::new(),
        },
        professional_name: name.map(str::to_owned),
        role,
        leads_on: String::new(),
        from: day(2),
    }
}

#[test]
fn a_member_added_for_the_household_is_in_each_childs_team_once() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    let sibling = midwife
        .session
        .add_person(
            family.household.id,
            PersonRole::Child,
            PersonDetails {
                name: Some("Kenver Fictional".into()),
                date_of_birth: Some(NaiveDate::from_ymd_opt(2023, 5, 14).unwrap()),
                ..PersonDetails::default()
            },
        )
        .unwrap();
    let team = midwife.session.team_around_child();

    // The baby has her own health visitor; the family's social worker works with both children.
    team.involve(
        family.baby.id,
        member(
            region.health_visiting,
            ProfessionalRole::HealthVisitor,
            None,
        ),
    )
    .unwrap();
    let social_worker = team
        .involve_for_household(
            family.household.id,
            member(
                region.front_door,
                ProfessionalRole::SocialWorker,
                Some(SOCIAL_WORKER),
            ),
        )
        .unwrap();
    // The health visitor added for the household too: the baby's own entry is listed once.
    team.involve_for_household(
        family.household.id,
        member(
            region.health_visiting,
            ProfessionalRole::HealthVisitor,
            None,
        ),
    )
    .unwrap();

    let baby_team = team.team(family.baby.id).unwrap().unwrap();
    let listed: Vec<(Option<TeamId>, bool)> = baby_team
        .current()
        .map(|m| (m.team(), m.household))
        .collect();
    assert_eq!(
        listed,
        vec![
            (Some(region.health_visiting), false),
            (Some(region.front_door), true),
        ],
        "own member first, the household's after, no one twice"
    );
    let sibling_team = team.team(sibling.id).unwrap().unwrap();
    let listed: Vec<Option<TeamId>> = sibling_team.current().map(|m| m.team()).collect();
    assert_eq!(
        listed,
        vec![Some(region.front_door), Some(region.health_visiting)],
        "a child with no team of its own has the household's"
    );
    assert!(sibling_team.current().all(|m| m.household));

    // A concern about the sibling: the household's teams are suggested (not the midwife's own).
    let concern = midwife
        .session
        .capture_observation(NewObservationInput {
            about: sibling.id,
            visit: None,
            category: ConcernCategory::GrowthOrWeight,
            severity: Severity::Concern,
            evidence: Evidence::ObservedFact,
            description: "No food in the kitchen; the toddler asked the midwife for bread.".into(),
            observed_at: None,
            place: None,
            share: None,
        })
        .unwrap()
        .record
        .id;
    assert_eq!(
        team.telling_state(concern).unwrap().suggested_teams(),
        vec![region.front_door, region.health_visiting]
    );
    let contacts = team.checklist_contacts(sibling.id).unwrap();
    assert_eq!(contacts.len(), 2);

    // The household's social worker may be named on each child's status.
    let status = team
        .set_social_care_status(
            sibling.id,
            NewSocialCareStatus {
                level: SocialCareLevel::ChildInNeed,
                social_worker: Some(social_worker),
                since: day(10),
            },
        )
        .unwrap();
    assert_eq!(status.social_worker.unwrap().id, social_worker);

    // The sibling's meeting pack lists the household's health visitor as health staff.
    let pack = team
        .prepare_meeting_pack(NewMeetingPack {
            child: sibling.id,
            meeting_type: MeetingType::CoreGroup,
            meeting_at: utc(2026, 11, 30, 14, 0),
            prepared_by: midwife.identity.practitioner,
            represents: vec!["postnatal care".into()],
        })
        .unwrap();
    let staff: Vec<String> = pack
        .section(SectionKind::HealthStaff)
        .unwrap()
        .entries
        .iter()
        .map(|e| match &e.kind {
            PackKind::HealthStaff { role, .. } => role.clone(),
            other => panic!("not health staff: {other:?}"),
        })
        .collect();
    assert_eq!(
        staff,
        vec!["health visitor, East health visiting".to_owned()]
    );

    // Each household change is in each child's chronology.
    for child in [family.baby.id, sibling.id] {
        let lines: Vec<String> = midwife
            .session
            .chronology_for_child(child)
            .unwrap()
            .into_iter()
            .filter(|e| e.kind == EntryKind::TeamAroundChild)
            .map(|e| e.summary)
            .collect();
        assert!(
            lines.iter().any(|l| l.starts_with(
                "Joined the team around the household's children: Jenifer Trevanion, social worker"
            )),
            "{lines:?}"
        );
    }

    // Ending the household's involvement ends it for both children, on the day it ends (an
    // end still to come is refused: an ended member stops being current at once).
    midwife.clock.set(utc(2026, 11, 28, 10, 0));
    team.end_household_involvement(family.household.id, social_worker, day(28))
        .unwrap();
    for child in [family.baby.id, sibling.id] {
        let now = team.team(child).unwrap().unwrap();
        assert!(!now.current().any(|m| m.team() == Some(region.front_door)));
        assert!(now
            .members
            .iter()
            .any(|m| m.id == social_worker && m.to == Some(day(28))));
    }
    let history = team.household_team(family.household.id).unwrap().unwrap();
    assert_eq!(history.members.len(), 2);

    // Sealed at rest: the social worker's name is nowhere in clear.
    for (file, bytes) in store_bytes(&midwife.path) {
        assert!(
            !contains(&bytes, SOCIAL_WORKER.as_bytes()),
            "social worker's name in clear in {file:?}"
        );
    }
}

#[test]
fn a_household_not_on_this_device_is_refused_before_anything_is_written() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let team = midwife.session.team_around_child();
    let unknown = HouseholdId::new();
    let refused = team.involve_for_household(
        unknown,
        member(
            region.health_visiting,
            ProfessionalRole::HealthVisitor,
            None,
        ),
    );
    assert!(
        matches!(refused, Err(AppError::NotFound { .. })),
        "{refused:?}"
    );
    assert_eq!(team.household_team(unknown).unwrap(), None);
    // A team not in the directory is refused the same way.
    let family = family(&midwife.session);
    let refused = team.involve_for_household(
        family.household.id,
        member(TeamId::new(), ProfessionalRole::Gp, None),
    );
    assert!(
        matches!(refused, Err(AppError::NotFound { .. })),
        "{refused:?}"
    );
    assert_eq!(team.household_team(family.household.id).unwrap(), None);
}

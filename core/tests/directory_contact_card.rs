//! Contact cards for the admission and handover checklists: every number with what it is for,
//! hours in words, and whether the team can be reached out of hours ("each side has the
//! other's contact numbers, including out of hours").

// Test helpers outside #[test] fns may unwrap: a failure is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use safeshare_core::directory::{
    contact_card, parse, ContactCardError, Directory, NumberKind, OutOfHoursRoute,
};
use safeshare_core::model::TeamId;

fn sample() -> Directory {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../data/directory/sample-fictional.jsonl"
    );
    parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn team(dir: &Directory, name: &str) -> TeamId {
    let found = dir.find_teams_by_name(name);
    assert_eq!(found.len(), 1, "{name}");
    found[0].id
}

#[test]
fn childrens_front_door_card_lists_the_duty_team_for_out_of_hours() {
    let dir = sample();
    let card = contact_card(&dir, team(&dir, "children's front door (MASH)")).unwrap();
    let kinds: Vec<NumberKind> = card.numbers.iter().map(|n| n.kind).collect();
    assert_eq!(
        kinds,
        vec![
            NumberKind::InHours,
            NumberKind::EmergencyDutyTeam,
            NumberKind::Switchboard
        ]
    );
    assert_eq!(card.numbers[0].display, "020 7946 0301");
    assert_eq!(card.numbers[0].tel_uri, "tel:+442079460301");
    assert_eq!(
        card.team_hours,
        "Mon-Thu 09:00-17:00; Fri 09:00-16:30; closed on bank holidays"
    );
    assert!(card.numbers[1]
        .hours
        .starts_with("Fictional Northshire emergency duty team: Mon-Fri 00:00-09:00, 17:00-24:00"));
    assert_eq!(
        card.numbers[2].hours,
        "Mon-Fri 08:30-17:00; closed on bank holidays"
    );
    assert_eq!(
        card.out_of_hours_route,
        Some(OutOfHoursRoute::EmergencyDutyTeam)
    );
    assert_eq!(card.organisation_name, "Fictional Northshire Council");
}

#[test]
fn out_of_hours_route_is_named_or_reported_missing() {
    let dir = sample();
    let cases = [
        ("maternity ward", Some(OutOfHoursRoute::TeamOpenAllHours)),
        (
            "community midwifery",
            Some(OutOfHoursRoute::OutOfHoursNumber),
        ),
        (
            "Hospitals safeguarding team",
            Some(OutOfHoursRoute::Switchboard24x7),
        ),
        (
            "Southvale children's front door",
            Some(OutOfHoursRoute::EmergencyDutyTeam),
        ),
        // Direct line in hours only, and a switchboard that keeps office hours: no route.
        ("health visiting (north)", None),
        // No numbers of its own; the trust switchboard keeps office hours: no route.
        ("school nursing", None),
    ];
    for (name, route) in cases {
        let card = contact_card(&dir, team(&dir, name)).unwrap();
        assert_eq!(card.out_of_hours_route, route, "{name}");
        assert!(!card.numbers.is_empty(), "{name}");
    }
}

#[test]
fn a_team_not_in_the_directory_has_no_card() {
    let dir = sample();
    let ghost = TeamId::new();
    assert_eq!(
        contact_card(&dir, ghost),
        Err(ContactCardError::UnknownTeam(ghost))
    );
}

#[test]
fn handover_checklist_takes_directory_contacts_and_out_of_hours_gaps_are_named() {
    use chrono::{TimeZone, Utc};
    use safeshare_core::casework::checklist::{
        Checklist, ChecklistKind, ContactRef, DoneDetail, Template,
    };
    use safeshare_core::directory::{checklist_contact, contacts_without_out_of_hours};
    use safeshare_core::model::{PersonId, PractitionerId};

    let dir = sample();
    let midwifery = team(&dir, "community midwifery");
    let hv_north = team(&dir, "health visiting (north)");
    let contact = checklist_contact(&dir, midwifery).unwrap();
    assert_eq!(
        contact,
        ContactRef::Directory {
            team: midwifery,
            label: "Fictional Northshire community midwifery".into()
        }
    );

    // Midwifery has an out-of-hours number; health visiting (north) has no route at all.
    let hv = checklist_contact(&dir, hv_north).unwrap();
    assert!(contacts_without_out_of_hours(&dir, std::slice::from_ref(&contact)).is_empty());
    assert_eq!(
        contacts_without_out_of_hours(&dir, &[contact.clone(), hv]),
        vec![hv_north]
    );
    let gone = ContactRef::Directory {
        team: TeamId::new(),
        label: "removed team".into(),
    };
    assert_eq!(contacts_without_out_of_hours(&dir, &[gone]).len(), 1);

    // The handover checklist accepts the directory contact for its out-of-hours item.
    let template = Template::builtin(ChecklistKind::Handover).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 1, 14, 10, 0, 0).unwrap();
    let me = PractitionerId::new();
    let mut checklist = Checklist::start(&template, PersonId::new(), &[], me, at);
    checklist
        .mark_done(
            "acute_has_community_numbers",
            me,
            at,
            DoneDetail {
                note: None,
                contacts: vec![contact],
            },
        )
        .unwrap();
}

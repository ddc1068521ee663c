//! Directory versions: whole replacement only moves forward; a patch applies only to the
//! version it was made against; a bad patch changes nothing; the directory serialises as one
//! document and refuses an invalid one on the way back in.

// Test helpers outside #[test] fns may unwrap: a failure is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use safeshare_core::directory::{
    parse, Directory, DirectoryChange, DirectoryError, DirectoryPatch, OdsCode, OpeningHours,
    Organisation, OrganisationKind, PhoneNumber, Service, Team, TeamNumbers,
};
use safeshare_core::model::{OrganisationId, TeamId};

fn sample() -> Directory {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../data/directory/sample-fictional.jsonl"
    );
    parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn team_in(org: OrganisationId, name: &str) -> Team {
    Team {
        id: TeamId::new(),
        organisation: org,
        name: name.into(),
        service: Service::HealthVisiting,
        areas: vec![],
        numbers: TeamNumbers {
            in_hours: Some(PhoneNumber::parse_uk("0161 496 0777").unwrap()),
            ..TeamNumbers::default()
        },
        hours: OpeningHours::always(),
        out_of_hours_team: None,
    }
}

fn patch_from(base_version: u64, version: u64) -> DirectoryPatch {
    DirectoryPatch {
        base_version,
        version,
        changes: vec![],
        region: None,
        fictional: None,
    }
}

#[test]
fn replace_moves_only_forward() {
    let mut held = sample();
    let same = held.clone();
    assert_eq!(
        held.replace(same),
        Err(DirectoryError::NotNewer {
            current: 1,
            offered: 1
        })
    );
    let older = Directory::empty();
    assert_eq!(
        held.replace(older),
        Err(DirectoryError::NotNewer {
            current: 1,
            offered: 0
        })
    );
    assert_eq!(held, sample());

    let mut phone = Directory::empty();
    phone.replace(sample()).unwrap();
    assert_eq!(phone.version(), 1);
}

#[test]
fn patch_against_the_right_version_applies_whole() {
    let mut held = sample();
    let council = held.organisation_by_ods("Z901").unwrap().id;
    let school = held.find_teams_by_name("school nursing")[0].id;
    let new_team = team_in(council, "Fictional new health visiting team");
    let new_id = new_team.id;
    let patch = DirectoryPatch {
        base_version: 1,
        version: 2,
        changes: vec![
            DirectoryChange::PutTeam { team: new_team },
            DirectoryChange::RemoveTeam { id: school },
        ],
        ..patch_from(1, 2)
    };
    held.apply_patch(&patch).unwrap();
    assert_eq!(held.version(), 2);
    assert!(held.team(new_id).is_some());
    assert!(held.team(school).is_none());
}

#[test]
fn patch_against_the_wrong_base_version_is_refused_and_changes_nothing() {
    let mut held = sample();
    let before = held.clone();
    let council = held.organisation_by_ods("Z901").unwrap().id;
    let patch = DirectoryPatch {
        base_version: 0,
        version: 2,
        changes: vec![DirectoryChange::PutTeam {
            team: team_in(council, "Fictional team"),
        }],
        ..patch_from(0, 2)
    };
    assert_eq!(
        held.apply_patch(&patch),
        Err(DirectoryError::WrongBaseVersion {
            current: 1,
            patch_base: 0
        })
    );
    assert_eq!(held, before);
}

#[test]
fn a_bad_patch_changes_nothing_even_after_good_changes_in_it() {
    let mut held = sample();
    let before = held.clone();
    let council = held.organisation_by_ods("Z901").unwrap().id;
    let good = team_in(council, "Fictional good team");
    let orphan = team_in(OrganisationId::new(), "Fictional orphan team");
    let orphan_id = orphan.id;
    let patch = DirectoryPatch {
        base_version: 1,
        version: 2,
        changes: vec![
            DirectoryChange::PutTeam { team: good },
            DirectoryChange::PutTeam { team: orphan },
        ],
        ..patch_from(1, 2)
    };
    assert!(matches!(
        held.apply_patch(&patch),
        Err(DirectoryError::UnknownOrganisation { team, .. }) if team == orphan_id
    ));
    assert_eq!(held, before);

    // Removing an organisation that still has teams would orphan them: refused whole.
    let patch = DirectoryPatch {
        base_version: 1,
        version: 2,
        changes: vec![DirectoryChange::RemoveOrganisation { id: council }],
        ..patch_from(1, 2)
    };
    assert!(matches!(
        held.apply_patch(&patch),
        Err(DirectoryError::UnknownOrganisation { .. })
    ));
    assert_eq!(held, before);

    let ghost = TeamId::new();
    let patch = DirectoryPatch {
        base_version: 1,
        version: 2,
        changes: vec![DirectoryChange::RemoveTeam { id: ghost }],
        ..patch_from(1, 2)
    };
    assert_eq!(
        held.apply_patch(&patch),
        Err(DirectoryError::RemoveUnknownTeam(ghost))
    );
    let patch = DirectoryPatch {
        base_version: 1,
        version: 1,
        changes: vec![],
        ..patch_from(1, 1)
    };
    assert!(held.apply_patch(&patch).is_err());
    assert_eq!(held, before);
}

#[test]
fn a_patch_cannot_give_two_organisations_one_ods_code_or_break_a_duty_team_link() {
    let mut held = sample();
    let before = held.clone();
    let clash = Organisation {
        id: OrganisationId::new(),
        ods_code: OdsCode::parse("RZ1").unwrap(),
        name: "Fictional clash".into(),
        kind: OrganisationKind::NhsTrust,
        switchboard: None,
        switchboard_hours: OpeningHours::always(),
    };
    let patch = DirectoryPatch {
        base_version: 1,
        version: 2,
        changes: vec![DirectoryChange::PutOrganisation {
            organisation: clash,
        }],
        ..patch_from(1, 2)
    };
    assert!(matches!(
        held.apply_patch(&patch),
        Err(DirectoryError::DuplicateOdsCode(_))
    ));
    let edt = held
        .teams()
        .find(|t| t.out_of_hours_team.is_some())
        .and_then(|t| t.out_of_hours_team)
        .unwrap();
    let patch = DirectoryPatch {
        base_version: 1,
        version: 2,
        changes: vec![DirectoryChange::RemoveTeam { id: edt }],
        ..patch_from(1, 2)
    };
    assert!(matches!(
        held.apply_patch(&patch),
        Err(DirectoryError::BadOutOfHoursTeam { .. })
    ));
    assert_eq!(held, before);
}

#[test]
fn the_directory_is_one_serde_document_and_patches_travel_as_json() {
    let dir = sample();
    let doc = serde_json::to_string(&dir).unwrap();
    let back: Directory = serde_json::from_str(&doc).unwrap();
    assert_eq!(back, dir);

    // A document that breaks an invariant is refused on load, not held half-valid.
    let mut value: serde_json::Value = serde_json::from_str(&doc).unwrap();
    value["organisations"] = serde_json::json!([]);
    let err = serde_json::from_value::<Directory>(value).unwrap_err();
    assert!(err.to_string().contains("not in the directory"), "{err}");

    let patch = DirectoryPatch {
        base_version: 1,
        version: 2,
        changes: vec![DirectoryChange::RemoveTeam { id: TeamId::new() }],
        ..patch_from(1, 2)
    };
    let json = serde_json::to_string(&patch).unwrap();
    assert!(json.contains("\"op\":\"remove_team\""), "{json}");
    assert_eq!(
        serde_json::from_str::<DirectoryPatch>(&json).unwrap(),
        patch
    );
}

#[test]
fn diff_then_patch_reaches_the_newer_directory() {
    let old = sample();
    let council = old.organisation_by_ods("Z901").unwrap().id;
    let school = old.find_teams_by_name("school nursing")[0].id;
    let mut edited = old.clone();
    let mut changes = vec![
        DirectoryChange::PutTeam {
            team: team_in(council, "Fictional added team"),
        },
        DirectoryChange::RemoveTeam { id: school },
    ];
    let mut renamed = old.find_teams_by_name("maternity ward")[0].clone();
    renamed.name = "Fictional Northshire maternity ward (renamed)".into();
    changes.push(DirectoryChange::PutTeam { team: renamed });
    edited
        .apply_patch(&DirectoryPatch {
            changes,
            region: Some("Fictional region, renamed".into()),
            ..patch_from(1, 5)
        })
        .unwrap();

    let patch = old.diff(&edited);
    assert_eq!(patch.base_version, 1);
    assert_eq!(patch.version, 5);
    assert_eq!(patch.changes.len(), 3);
    let mut phone = old.clone();
    phone.apply_patch(&patch).unwrap();
    assert_eq!(phone, edited);

    // From nothing, the diff is the whole directory.
    let mut fresh = Directory::empty();
    fresh.apply_patch(&Directory::empty().diff(&old)).unwrap();
    assert_eq!(fresh, old);
}

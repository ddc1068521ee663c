//! The bundled import format: the fictional sample loads; malformed rows are rejected with
//! their line numbers and nothing is half-imported; search over the imported copy works
//! offline by service and postcode, by organisation and by name.

// Test helpers outside #[test] fns may unwrap: a failure is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use safeshare_core::directory::{
    export, parse, Area, Directory, LineProblemKind, PhoneNumberError, Service,
};

fn sample_text() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../data/directory/sample-fictional.jsonl"
    );
    std::fs::read_to_string(path).unwrap()
}

fn sample() -> Directory {
    parse(&sample_text()).unwrap()
}

const HEADER: &str =
    r#"{"format": "safeshare-directory", "format_version": 1, "version": 3, "region": "Test"}"#;
const ORG: &str = r#"{"organisation": {"id": "01M6A6FT005ZG209YQM1HZCT6C", "ods_code": "RZ1", "name": "Fictional Trust", "kind": "nhs_trust", "switchboard": "0113 496 0000"}}"#;
const TEAM: &str = r#"{"team": {"id": "01M6A6FT00ABCDEFGHJKMNPQRS", "organisation": "RZ1", "name": "Fictional midwifery", "service": "midwifery", "areas": ["LS6"], "in_hours": "0113 496 0101", "hours": {"weekdays": ["09:00-17:00"]}}}"#;

fn lines_of(problems: &[safeshare_core::directory::LineProblem]) -> Vec<usize> {
    problems.iter().map(|p| p.line).collect()
}

#[test]
fn the_fictional_sample_imports_and_is_marked_fictional() {
    let dir = sample();
    assert!(dir.is_fictional());
    assert!(dir.region().contains("FICTIONAL"));
    assert_eq!(dir.version(), 1);
    assert_eq!(dir.organisations().count(), 6);
    assert_eq!(dir.teams().count(), 13);
    assert!(sample_text().starts_with("# FICTIONAL"));
}

#[test]
fn every_sample_number_is_in_an_ofcom_drama_range() {
    // Ofcom reserves these for TV and radio drama; they are never real subscribers' numbers.
    let drama = |e164: &str| {
        ["+441134960", "+441614960", "+442079460", "+441632960"]
            .iter()
            .any(|p| e164.starts_with(p) && e164.len() == 13)
    };
    let dir = sample();
    let mut seen = 0;
    for o in dir.organisations() {
        if let Some(n) = &o.switchboard {
            assert!(drama(n.e164()), "{}", n.e164());
            seen += 1;
        }
    }
    for t in dir.teams() {
        for n in [
            &t.numbers.in_hours,
            &t.numbers.out_of_hours,
            &t.numbers.switchboard,
        ]
        .into_iter()
        .flatten()
        {
            assert!(drama(n.e164()), "{}", n.e164());
            seen += 1;
        }
    }
    assert!(seen >= 15, "only {seen} numbers checked");
}

#[test]
fn a_small_valid_file_imports() {
    let text = format!("{HEADER}\n{ORG}\n\n# a comment\n{TEAM}\n");
    let dir = parse(&text).unwrap();
    assert_eq!(dir.version(), 3);
    let team = dir.teams().next().unwrap();
    assert_eq!(
        team.numbers.in_hours.as_ref().unwrap().e164(),
        "+441134960101"
    );
    assert_eq!(
        dir.organisation(team.organisation).unwrap().name,
        "Fictional Trust"
    );
}

#[test]
fn malformed_rows_are_rejected_with_their_line_numbers_and_nothing_is_imported() {
    let bad_phone = TEAM.replace("0113 496 0101", "0113 496 01");
    let bad_service = TEAM
        .replace("midwifery\"", "helth_visiting\"")
        .replace("ABCDEFGHJKMNPQRS", "ABCDEFGHJKMNPQRT");
    let unknown_org = TEAM
        .replace("\"RZ1\"", "\"RZ9\"")
        .replace("ABCDEFGHJKMNPQRS", "ABCDEFGHJKMNPQRV");
    let text = [
        HEADER,                 // 1
        ORG,                    // 2
        "{\"team\": {\"id\": ", // 3: broken JSON
        &bad_phone,             // 4: number too short
        TEAM,                   // 5: fine
        &bad_service,           // 6: unknown service
        &unknown_org,           // 7: organisation not in the file
        TEAM,                   // 8: duplicate of line 5
        "[1, 2, 3]",            // 9: not a record
    ]
    .join("\n");
    let err = parse(&text).unwrap_err();
    assert_eq!(lines_of(&err.problems), vec![3, 4, 6, 7, 8, 9]);
    assert_eq!(
        err.problems[0].to_string(),
        "line 3: EOF while parsing a value (column 16)"
    );
    assert_eq!(
        err.problems[1].kind,
        LineProblemKind::Phone {
            field: "in_hours",
            error: PhoneNumberError::TooShort { first_digit: '1' }
        }
    );
    assert!(err.problems[2].to_string().contains("helth_visiting"));
    assert_eq!(
        err.problems[3].kind,
        LineProblemKind::UnknownOrganisation("RZ9".into())
    );
    assert!(matches!(
        err.problems[4].kind,
        LineProblemKind::DuplicateTeamId { first_line: 5, .. }
    ));
    assert_eq!(err.problems[5].kind, LineProblemKind::UnknownRecord);
    let message = err.to_string();
    assert!(message.contains("nothing imported"), "{message}");
    assert!(message.contains("line 4: in_hours"), "{message}");
}

#[test]
fn a_refused_file_leaves_the_current_directory_untouched() {
    let mut current = sample();
    let before = current.clone();
    let newer_but_broken = sample_text()
        .replace("\"version\": 1", "\"version\": 2")
        .replace("0161 496 0201", "0161 496 02O1");
    match parse(&newer_but_broken) {
        Ok(next) => panic!("imported a broken file at version {}", next.version()),
        Err(err) => {
            assert_eq!(err.problems.len(), 1);
            assert!(err.problems[0].line > 5);
        }
    }
    // The only way in is a whole, valid, newer directory; the held copy is as it was.
    assert_eq!(current, before);
    let newer = parse(&sample_text().replace("\"version\": 1", "\"version\": 2")).unwrap();
    current.replace(newer).unwrap();
    assert_eq!(current.version(), 2);
}

#[test]
fn a_byte_order_mark_and_windows_line_endings_are_accepted() {
    let text = format!("\u{feff}{HEADER}\r\n{ORG}\r\n{TEAM}\r\n");
    assert_eq!(parse(&text).unwrap().teams().count(), 1);
}

#[test]
fn header_must_come_first_and_be_this_format() {
    let err = parse(&format!("{ORG}\n{HEADER}\n")).unwrap_err();
    assert_eq!(lines_of(&err.problems), vec![1, 2]);
    assert_eq!(err.problems[0].kind, LineProblemKind::MissingHeader);
    assert_eq!(err.problems[1].kind, LineProblemKind::ExtraHeader);

    let other = HEADER.replace("\"format_version\": 1", "\"format_version\": 2");
    let err = parse(&format!("{other}\n{ORG}\n")).unwrap_err();
    assert!(matches!(
        err.problems[0].kind,
        LineProblemKind::UnsupportedFormat {
            format_version: 2,
            ..
        }
    ));

    let err = parse("\n# only comments\n").unwrap_err();
    assert_eq!(err.problems[0].kind, LineProblemKind::EmptyFile);
}

#[test]
fn unknown_fields_ods_shapes_areas_and_hours_are_checked_per_line() {
    let typo_field = ORG.replace("\"switchboard\"", "\"swichboard\"");
    let bad_ods = ORG.replace("\"RZ1\"", "\"XZ1\"");
    let bad_area = TEAM.replace("\"LS6\"", "\"LS6/2AB\"");
    let bad_hours = TEAM.replace("09:00-17:00", "17:00-09:00");
    for (line, expect) in [
        (typo_field, "swichboard"),
        (bad_ods, "NHS trust"),
        (bad_area, "LS6/2AB"),
        (bad_hours, "ends before it starts"),
    ] {
        let text = format!("{HEADER}\n{ORG}\n{line}\n");
        // The org line may be duplicated by the variant; only the variant's line matters.
        let err = parse(&text).unwrap_err();
        let on_line_3: Vec<String> = err
            .problems
            .iter()
            .filter(|p| p.line == 3)
            .map(ToString::to_string)
            .collect();
        assert!(
            on_line_3.iter().any(|m| m.contains(expect)),
            "{expect}: {on_line_3:?}"
        );
    }
}

#[test]
fn export_then_parse_gives_the_same_directory() {
    let dir = sample();
    let again = parse(&export(&dir)).unwrap();
    assert_eq!(again, dir);
}

#[test]
fn find_health_visiting_for_a_postcode_district_first_then_whole_area() {
    let dir = sample();
    let found = dir
        .find_by_postcode(Service::HealthVisiting, "ls6 2ab")
        .unwrap();
    let names: Vec<&str> = found.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "Fictional Northshire health visiting (north)",
            "Fictional Northshire health visiting (all districts)"
        ]
    );
    let found = dir
        .find_by_postcode(Service::HealthVisiting, "LS9")
        .unwrap();
    assert_eq!(found.len(), 1);
    assert!(dir
        .find_by_postcode(Service::HealthVisiting, "M14 5AA")
        .unwrap()
        .is_empty());
    let csc = dir
        .find(
            Service::ChildrensSocialCareFrontDoor,
            &Area::parse("M14").unwrap(),
        )
        .into_iter()
        .map(|t| t.name.as_str())
        .collect::<Vec<_>>();
    assert_eq!(csc, vec!["Fictional Southvale children's front door"]);
    assert!(dir
        .find_by_postcode(Service::Midwifery, "not a postcode")
        .is_err());
}

#[test]
fn find_by_organisation_and_by_name() {
    let dir = sample();
    let by_ods = dir.find_organisations("z901");
    assert_eq!(by_ods.len(), 1);
    let council = by_ods[0];
    assert_eq!(council.name, "Fictional Northshire Council");
    assert_eq!(dir.organisation_by_ods("Z901").unwrap().id, council.id);
    let teams: Vec<&str> = dir
        .teams_of(council.id)
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(
        teams,
        vec![
            "Fictional Northshire adult social care",
            "Fictional Northshire children's front door (MASH)",
            "Fictional Northshire emergency duty team"
        ]
    );
    assert_eq!(dir.find_organisations("southvale").len(), 1);
    assert!(dir.find_organisations("  ").is_empty());
    let by_name = dir.find_teams_by_name("school nursing");
    assert_eq!(by_name.len(), 1);
    // A team is also found by its organisation's name.
    assert_eq!(dir.find_teams_by_name("Lane Surgery").len(), 1);
}

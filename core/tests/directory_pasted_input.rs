//! Issue 15: what practitioners and administrators really type and paste into the directory —
//! duplicated keys in an import line, postcodes at every level of Royal Mail's format (area,
//! district, sub-district, sector, unit) with pasted spaces and dashes, and searches typed on a
//! phone keyboard (curly apostrophes, diacritics, dashes).

// Test helpers outside #[test] fns may unwrap: a failure is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use safeshare_core::directory::{parse, Area, LineProblemKind, Service};

const HEADER: &str =
    r#"{"format": "safeshare-directory", "format_version": 1, "version": 3, "region": "Test"}"#;
const ORG: &str = r#"{"organisation": {"id": "01M6A6FT005ZG209YQM1HZCT6C", "ods_code": "RZ1", "name": "Fictional Trust", "kind": "nhs_trust", "switchboard": "0113 496 0000"}}"#;

fn team(id_tail: &str, name: &str, areas: &str, extra: &str) -> String {
    format!(
        r#"{{"team": {{"id": "01M6A6FT00ABCDEFGHJKMN{id_tail}", "organisation": "RZ1", "name": "{name}", "service": "health_visiting", "areas": [{areas}], "in_hours": "0113 496 0101", "hours": {{"weekdays": ["09:00-17:00"]}}{extra}}}}}"#
    )
}

fn file(lines: &[String]) -> String {
    let mut all = vec![HEADER.to_owned(), ORG.to_owned()];
    all.extend(lines.iter().cloned());
    all.join("\n")
}

#[test]
fn a_record_with_a_duplicated_key_is_refused_with_its_line_number() {
    // (team line, repeated key, where)
    let rows: &[(&str, &str, &str)] = &[
        (
            r#"{"team": {"id": "01M6A6FT00ABCDEFGHJKMNPQRS", "organisation": "RZ1", "name": "A", "service": "health_visiting", "areas": ["LS6"], "in_hours": "0113 496 0101", "in_hours": "0113 496 0102", "hours": {"weekdays": ["09:00-17:00"]}}}"#,
            "in_hours",
            "\"team\"",
        ),
        (
            r#"{"team": {"id": "01M6A6FT00ABCDEFGHJKMNPQRS", "organisation": "RZ1", "name": "A", "service": "health_visiting", "areas": ["LS6"], "in_hours": "0113 496 0101", "hours": {"mon": ["09:00-12:00"], "mon": ["13:00-17:00"]}}}"#,
            "mon",
            "\"hours\"",
        ),
        (
            r#"{"team": {"id": "01M6A6FT00ABCDEFGHJKMNPQRS", "organisation": "RZ1", "name": "A", "name": "B", "service": "health_visiting", "areas": ["LS6"], "in_hours": "0113 496 0101", "hours": {"weekdays": ["09:00-17:00"]}}}"#,
            "name",
            "\"team\"",
        ),
        (
            r#"{"team": {"id": "01M6A6FT00ABCDEFGHJKMNPQRS", "organisation": "RZ1", "name": "A", "service": "health_visiting", "areas": ["LS6"], "areas": ["LS7"], "in_hours": "0113 496 0101", "hours": {"weekdays": ["09:00-17:00"]}}}"#,
            "areas",
            "\"team\"",
        ),
        (
            r#"{"team": {"id": "01M6A6FT00ABCDEFGHJKMNPQRS", "organisation": "RZ1", "name": "A", "service": "health_visiting", "areas": ["LS6"], "in_hours": "0113 496 0101", "hours": {"weekdays": ["09:00-17:00"], "weekdays": ["10:00-16:00"]}}}"#,
            "weekdays",
            "\"hours\"",
        ),
        (
            r#"{"team": {"id": "01M6A6FT00ABCDEFGHJKMNPQRS", "organisation": "RZ1", "name": "A", "service": "health_visiting", "areas": ["LS6"], "in_hours": "0113 496 0101", "hours": {"weekdays": ["09:00-17:00"]}}, "team": {"id": "01M6A6FT00ABCDEFGHJKMNPQRT"}}"#,
            "team",
            "the record",
        ),
        (
            r#"{"team": {"id": "01M6A6FT00ABCDEFGHJKMNPQRS", "id": "01M6A6FT00ABCDEFGHJKMNPQRT", "organisation": "RZ1", "name": "A", "service": "health_visiting", "areas": ["LS6"], "in_hours": "0113 496 0101", "hours": {"weekdays": ["09:00-17:00"]}}}"#,
            "id",
            "\"team\"",
        ),
    ];
    for (line, key, within) in rows {
        let err = parse(&file(&[(*line).to_owned()])).unwrap_err();
        let problem = err
            .problems
            .iter()
            .find(|p| matches!(p.kind, LineProblemKind::DuplicateKey { .. }))
            .unwrap_or_else(|| panic!("{key}: {err}"));
        assert_eq!(problem.line, 3, "{key}");
        assert_eq!(
            problem.kind,
            LineProblemKind::DuplicateKey {
                key: (*key).to_owned(),
                within: (*within).to_owned()
            }
        );
        assert!(err.to_string().contains("line 3"), "{err}");
    }
    // The same line without the repetition imports.
    assert!(parse(&file(&[team("PQRS", "A", r#""LS6""#, "")])).is_ok());
}

fn district(s: &str) -> Area {
    Area::PostcodeDistrict(s.to_owned())
}

#[test]
fn postcodes_are_read_as_royal_mail_writes_them_however_they_are_pasted() {
    let rows: &[(&str, Area)] = &[
        ("SW1A 2AA", district("SW1A")),
        ("sw1a2aa", district("SW1A")),
        ("SW1A\u{00A0}2AA", district("SW1A")),
        ("\u{200E}SW1A\u{202F}2AA\u{FEFF}", district("SW1A")),
        ("SW1A\u{2013}2AA", district("SW1A")),
        ("LS1 6", district("LS1")),
        ("LS1 6AB", district("LS1")),
        ("LS16", district("LS16")),
        ("LS16 6AB", district("LS16")),
        ("ls", Area::PostcodeArea("LS".into())),
        ("\u{FF2C}\u{FF33}6 2AB", district("LS6")),
        ("W1A 1AA", district("W1A")),
    ];
    for (typed, want) in rows {
        assert_eq!(&Area::parse(typed).unwrap(), want, "{typed:?}");
    }
    for bad in ["LS1 66", "LS1 6ABC", "LS 6", "LS1 A", "LS6/2AB", "123"] {
        assert!(Area::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn districts_cover_their_sub_districts_and_sub_districts_cover_themselves() {
    // (team covers, place typed, found?)
    let rows: &[(&str, &str, bool)] = &[
        ("SW1", "SW1A 2AA", true),
        ("SW1", "SW1P 3BT", true),
        ("SW1A", "SW1A 2AA", true),
        ("SW1A", "SW1P 3BT", false),
        ("W1", "W1A 1AA", true),
        ("EC1", "EC1A 1BB", true),
        ("SW1", "SW11 1AA", false),
        ("LS1", "LS1 6", true),
        ("LS16", "LS1 6", false),
        ("LS1", "LS16 6AB", false),
        ("SW", "SW1A 2AA", true),
    ];
    for (covers, place, found) in rows {
        let coverage = Area::parse(covers).unwrap();
        let place_area = Area::parse(place).unwrap();
        assert_eq!(
            coverage.covers(&place_area),
            *found,
            "{covers} covers {place}?"
        );
    }
    // Through the directory: the district team and the sub-district team are both found.
    let dir = parse(&file(&[
        team("PQRS", "Westminster district", r#""SW1""#, ""),
        team("PQRT", "Whitehall sub-district", r#""SW1A""#, ""),
        team("PQRV", "Battersea", r#""SW11""#, ""),
    ]))
    .unwrap();
    let names = |postcode: &str| -> Vec<String> {
        dir.find_by_postcode(Service::HealthVisiting, postcode)
            .unwrap()
            .into_iter()
            .map(|t| t.name.clone())
            .collect()
    };
    assert_eq!(
        names("SW1A 2AA"),
        vec!["Westminster district", "Whitehall sub-district"]
    );
    assert_eq!(names("SW1P 3BT"), vec!["Westminster district"]);
    assert_eq!(names("SW11 1AA"), vec!["Battersea"]);
}

/// Royal Mail's sub-divided districts: a letter after the district's digit.
fn sub_divided_district() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(vec![
        "EC1", "EC2", "EC3", "EC4", "SW1", "W1", "WC1", "WC2", "E1", "N1", "NW1", "SE1",
    ])
}

fn pasted_gap() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(vec![
        "", " ", "  ", "\u{00A0}", "\u{202F}", "\u{2009}", "\t", "\u{2013}", "-", "\u{200B}",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// No valid postcode in a district's sub-districts is missed by that district's team.
    #[test]
    fn no_postcode_in_a_sub_district_is_missed_by_its_district(
        district_code in sub_divided_district(),
        sub in "[A-HJKMNP-Y]",
        sector in 0u8..10,
        // Royal Mail: the unit's letters never include C, I, K, M, O or V.
        unit in "[ABD-HJLNP-UW-Z]{2}",
        gap in pasted_gap(),
        lower in any::<bool>(),
        mark in proptest::sample::select(vec!["", "\u{200E}", "\u{FEFF}", "\u{2066}"]),
    ) {
        let mut typed = format!("{mark}{district_code}{sub}{gap}{sector}{unit}{mark}");
        if lower {
            typed = typed.to_lowercase();
        }
        let place = Area::parse(&typed).unwrap();
        let coverage = Area::parse(district_code).unwrap();
        prop_assert!(coverage.covers(&place), "{typed:?} read as {place:?}");
        let own = Area::parse(&format!("{district_code}{sub}")).unwrap();
        prop_assert!(own.covers(&place));
    }
}

#[test]
fn team_search_forgives_a_phone_keyboard() {
    let dir = parse(&file(&[
        team("PQRS", "Children's Front Door", r#""LS6""#, ""),
        team("PQRT", "Renée Street Early Help", r#""LS7""#, ""),
        team(
            "PQRV",
            "Infant-feeding \\\"Bump to Baby\\\" Team",
            r#""LS8""#,
            "",
        ),
    ]))
    .unwrap();
    let names = |q: &str| -> Vec<String> {
        dir.find_teams_by_name(q)
            .into_iter()
            .map(|t| t.name.clone())
            .collect()
    };
    let rows: &[(&str, &str)] = &[
        ("children\u{2019}s front door", "Children's Front Door"),
        ("CHILDREN\u{2018}S FRONT DOOR", "Children's Front Door"),
        ("children's\u{00A0}front  door", "Children's Front Door"),
        ("\u{200B}front door\u{FEFF}", "Children's Front Door"),
        ("renee street", "Renée Street Early Help"),
        ("RENÉE", "Renée Street Early Help"),
        (
            "infant\u{2013}feeding",
            "Infant-feeding \"Bump to Baby\" Team",
        ),
        (
            "\u{201C}bump to baby\u{201D}",
            "Infant-feeding \"Bump to Baby\" Team",
        ),
    ];
    for (query, want) in rows {
        assert_eq!(names(query), vec![(*want).to_owned()], "{query:?}");
    }
    assert!(names("\u{200B}\u{00A0}").is_empty());
    // Organisations too.
    assert_eq!(dir.find_organisations("fictional  trust").len(), 1);
    assert_eq!(dir.find_organisations("rz1").len(), 1);
}

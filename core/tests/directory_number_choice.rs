//! Number choice across the cases the contacts issue lists: weekday in hours; 16:59 vs 17:00;
//! Saturday; a bank holiday; the BST change weekends; no out-of-hours number (switchboard,
//! labelled); no numbers and no switchboard (typed error); children's social care out of
//! hours (emergency duty team). Times are given in UTC and the expected London reading noted.

// Test helpers outside #[test] fns may unwrap: a failure is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use safeshare_core::directory::{
    choose_number, CallReason, Directory, DirectoryChange, DirectoryPatch, NumberChoiceError,
    OdsCode, OpeningHours, Organisation, OrganisationKind, PhoneNumber, Service, Team, TeamNumbers,
    TimeRange,
};
use safeshare_core::model::{OrganisationId, TeamId};
use safeshare_core::rules::calendar::Calendar;

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn n(text: &str) -> PhoneNumber {
    PhoneNumber::parse_uk(text).unwrap()
}

fn nine_to_five() -> OpeningHours {
    OpeningHours::weekdays(vec![TimeRange::parse("09:00-17:00").unwrap()])
}

// The one fictional region of the tests, with its call edges (version 2).
#[path = "fixtures/region.rs"]
#[allow(dead_code)]
mod fixture;

/// The fictional region's teams the table calls, by the edge each stands on; every number is in
/// an Ofcom drama range (`fixtures/region.rs`).
struct Region {
    dir: Directory,
    /// Health visiting: in-hours and out-of-hours numbers, 09:00-17:00 weekdays.
    hv: TeamId,
    /// School nursing: in-hours number only; its trust has a 24/7 switchboard.
    school_nursing: TeamId,
    /// Safeguarding team with no numbers; its trust has a 24/7 switchboard.
    no_direct_number: TeamId,
    /// A team with no numbers in an organisation with no switchboard.
    unreachable: TeamId,
    /// Children's social care front door, linked to its emergency duty team.
    csc: TeamId,
    /// The emergency duty team: 17:00-09:00 weekdays, all weekend and bank holidays.
    edt: TeamId,
    /// Another authority's front door with no link: its duty team is found in the same council.
    csc_unlinked: TeamId,
    edt_unlinked: TeamId,
    /// Adult social care in a council whose switchboard keeps office hours.
    adult_care: TeamId,
}

fn region() -> Region {
    let (region, edges) = fixture::region().with_call_edges();
    Region {
        dir: region.directory,
        hv: region.health_visiting,
        school_nursing: edges.school_nursing,
        no_direct_number: edges.no_direct_number,
        unreachable: edges.unreachable,
        csc: region.front_door,
        edt: edges.edt,
        csc_unlinked: edges.csc_unlinked,
        edt_unlinked: edges.edt_unlinked,
        adult_care: edges.adult_care,
    }
}

struct Case {
    what: &'static str,
    team: TeamId,
    at: DateTime<Utc>,
    reason: CallReason,
    number: &'static str,
    answering: TeamId,
}

#[test]
fn number_choice_table() {
    let r = region();
    let cal = Calendar::england_and_wales();
    #[rustfmt::skip]
    let cases = [
        // --- weekday in hours, and the 17:00 edge (GMT: London = UTC) ---
        Case { what: "Wednesday 10:00 GMT, in hours", team: r.hv, at: utc(2026, 1, 14, 10, 0), reason: CallReason::TeamOpen, number: "+441134960201", answering: r.hv },
        Case { what: "Wednesday 16:59 GMT, last minute in hours", team: r.hv, at: utc(2026, 1, 14, 16, 59), reason: CallReason::TeamOpen, number: "+441134960201", answering: r.hv },
        Case { what: "Wednesday 17:00 GMT, closed", team: r.hv, at: utc(2026, 1, 14, 17, 0), reason: CallReason::TeamClosedOutOfHoursNumber, number: "+441134960202", answering: r.hv },
        Case { what: "Wednesday 08:59 GMT, not yet open", team: r.hv, at: utc(2026, 1, 14, 8, 59), reason: CallReason::TeamClosedOutOfHoursNumber, number: "+441134960202", answering: r.hv },
        Case { what: "Thursday 00:00 GMT, midnight", team: r.hv, at: utc(2026, 1, 15, 0, 0), reason: CallReason::TeamClosedOutOfHoursNumber, number: "+441134960202", answering: r.hv },
        // --- 16:59 vs 17:00 in summer time: 17:00 BST is 16:00 UTC ---
        Case { what: "Wednesday 16:59 BST", team: r.hv, at: utc(2026, 7, 15, 15, 59), reason: CallReason::TeamOpen, number: "+441134960201", answering: r.hv },
        Case { what: "Wednesday 17:00 BST", team: r.hv, at: utc(2026, 7, 15, 16, 0), reason: CallReason::TeamClosedOutOfHoursNumber, number: "+441134960202", answering: r.hv },
        // --- weekend ---
        Case { what: "Saturday 11:00", team: r.hv, at: utc(2026, 1, 17, 11, 0), reason: CallReason::TeamClosedOutOfHoursNumber, number: "+441134960202", answering: r.hv },
        Case { what: "Sunday 11:00", team: r.hv, at: utc(2026, 1, 18, 11, 0), reason: CallReason::TeamClosedOutOfHoursNumber, number: "+441134960202", answering: r.hv },
        // --- bank holidays (England and Wales) ---
        Case { what: "spring bank holiday Monday 25 May 2026, 11:00 BST", team: r.hv, at: utc(2026, 5, 25, 10, 0), reason: CallReason::TeamClosedOutOfHoursNumber, number: "+441134960202", answering: r.hv },
        Case { what: "Tuesday after the bank holiday, 11:00 BST", team: r.hv, at: utc(2026, 5, 26, 10, 0), reason: CallReason::TeamOpen, number: "+441134960201", answering: r.hv },
        Case { what: "Christmas Day Friday 2026, 11:00 GMT", team: r.hv, at: utc(2026, 12, 25, 11, 0), reason: CallReason::TeamClosedOutOfHoursNumber, number: "+441134960202", answering: r.hv },
        Case { what: "Boxing Day substitute Monday 28 Dec 2026, 11:00 GMT", team: r.hv, at: utc(2026, 12, 28, 11, 0), reason: CallReason::TeamClosedOutOfHoursNumber, number: "+441134960202", answering: r.hv },
        // --- BST starts Sunday 29 March 2026 at 01:00 UTC ---
        Case { what: "Friday before BST starts, 16:30 GMT", team: r.hv, at: utc(2026, 3, 27, 16, 30), reason: CallReason::TeamOpen, number: "+441134960201", answering: r.hv },
        Case { what: "Monday after BST starts, 16:30 UTC = 17:30 BST", team: r.hv, at: utc(2026, 3, 30, 16, 30), reason: CallReason::TeamClosedOutOfHoursNumber, number: "+441134960202", answering: r.hv },
        Case { what: "Monday after BST starts, 08:00 UTC = 09:00 BST", team: r.hv, at: utc(2026, 3, 30, 8, 0), reason: CallReason::TeamOpen, number: "+441134960201", answering: r.hv },
        Case { what: "Monday after BST starts, 07:59 UTC = 08:59 BST", team: r.hv, at: utc(2026, 3, 30, 7, 59), reason: CallReason::TeamClosedOutOfHoursNumber, number: "+441134960202", answering: r.hv },
        // --- BST ends Sunday 25 October 2026 at 01:00 UTC ---
        Case { what: "Friday before BST ends, 16:00 UTC = 17:00 BST", team: r.hv, at: utc(2026, 10, 23, 16, 0), reason: CallReason::TeamClosedOutOfHoursNumber, number: "+441134960202", answering: r.hv },
        Case { what: "Monday after BST ends, 16:59 GMT", team: r.hv, at: utc(2026, 10, 26, 16, 59), reason: CallReason::TeamOpen, number: "+441134960201", answering: r.hv },
        Case { what: "Monday after BST ends, 08:30 GMT (would be 09:30 BST)", team: r.hv, at: utc(2026, 10, 26, 8, 30), reason: CallReason::TeamClosedOutOfHoursNumber, number: "+441134960202", answering: r.hv },
        // --- no out-of-hours number: the switchboard, asking for the team ---
        Case { what: "school nursing closed, no OOH: 24/7 trust switchboard", team: r.school_nursing, at: utc(2026, 1, 14, 19, 0), reason: CallReason::SwitchboardNoOutOfHoursNumber, number: "+441134960000", answering: r.school_nursing },
        Case { what: "school nursing open: direct line", team: r.school_nursing, at: utc(2026, 1, 14, 12, 0), reason: CallReason::TeamOpen, number: "+441134960301", answering: r.school_nursing },
        Case { what: "open team with no numbers: switchboard", team: r.no_direct_number, at: utc(2026, 1, 14, 12, 0), reason: CallReason::SwitchboardNoDirectNumber, number: "+441134960000", answering: r.no_direct_number },
        Case { what: "closed team with no numbers: switchboard", team: r.no_direct_number, at: utc(2026, 1, 17, 12, 0), reason: CallReason::SwitchboardNoOutOfHoursNumber, number: "+441134960000", answering: r.no_direct_number },
        // --- switchboard with stated hours, closed too: still a number, flagged ---
        Case { what: "adult care 16:45 GMT: team open", team: r.adult_care, at: utc(2026, 1, 14, 16, 45), reason: CallReason::TeamOpen, number: "+442079460310", answering: r.adult_care },
        Case { what: "adult care Saturday: team and council switchboard closed", team: r.adult_care, at: utc(2026, 1, 17, 12, 0), reason: CallReason::NothingOpenNow, number: "+442079460310", answering: r.adult_care },
        // --- children's social care out of hours: the emergency duty team ---
        Case { what: "CSC in hours: front door", team: r.csc, at: utc(2026, 1, 14, 12, 0), reason: CallReason::TeamOpen, number: "+442079460301", answering: r.csc },
        Case { what: "CSC 16:59 GMT: front door", team: r.csc, at: utc(2026, 1, 14, 16, 59), reason: CallReason::TeamOpen, number: "+442079460301", answering: r.csc },
        Case { what: "CSC 17:00 GMT: EDT", team: r.csc, at: utc(2026, 1, 14, 17, 0), reason: CallReason::EmergencyDutyTeam, number: "+442079460399", answering: r.edt },
        Case { what: "CSC Saturday: EDT", team: r.csc, at: utc(2026, 1, 17, 3, 0), reason: CallReason::EmergencyDutyTeam, number: "+442079460399", answering: r.edt },
        Case { what: "CSC bank holiday: EDT", team: r.csc, at: utc(2026, 5, 25, 10, 0), reason: CallReason::EmergencyDutyTeam, number: "+442079460399", answering: r.edt },
        Case { what: "CSC 02:30 BST on the night BST starts: EDT", team: r.csc, at: utc(2026, 3, 29, 1, 30), reason: CallReason::EmergencyDutyTeam, number: "+442079460399", answering: r.edt },
        Case { what: "CSC 01:30 GMT, second time on the night BST ends: EDT", team: r.csc, at: utc(2026, 10, 25, 1, 30), reason: CallReason::EmergencyDutyTeam, number: "+442079460399", answering: r.edt },
        Case { what: "unlinked CSC out of hours: same council's EDT", team: r.csc_unlinked, at: utc(2026, 1, 14, 20, 0), reason: CallReason::EmergencyDutyTeam, number: "+441632960499", answering: r.edt_unlinked },
        Case { what: "unlinked CSC in hours: its front door", team: r.csc_unlinked, at: utc(2026, 1, 14, 10, 0), reason: CallReason::TeamOpen, number: "+441632960401", answering: r.csc_unlinked },
    ];
    for c in cases {
        let target =
            choose_number(&r.dir, c.team, c.at, &cal).unwrap_or_else(|e| panic!("{}: {e}", c.what));
        assert_eq!(target.reason, c.reason, "{}", c.what);
        assert_eq!(target.e164, c.number, "{}", c.what);
        assert_eq!(target.number.e164(), c.number, "{}", c.what);
        assert_eq!(target.tel_uri, format!("tel:{}", c.number), "{}", c.what);
        assert_eq!(target.answering_team, c.answering, "{}", c.what);
        assert_eq!(target.for_team, c.team, "{}", c.what);
        assert!(!target.label.is_empty() && !target.explanation.is_empty());
    }
}

#[test]
fn switchboard_label_says_who_to_ask_for() {
    let r = region();
    let cal = Calendar::england_and_wales();
    let t = choose_number(&r.dir, r.school_nursing, utc(2026, 1, 14, 19, 0), &cal).unwrap();
    assert_eq!(
        t.label,
        "Fictional West Trust switchboard: ask for School nursing"
    );
    assert!(t.explanation.contains("no out-of-hours number"));
    assert!(t.reason.expects_answer());
}

#[test]
fn edt_label_names_the_team_it_covers() {
    let r = region();
    let cal = Calendar::england_and_wales();
    let t = choose_number(&r.dir, r.csc, utc(2026, 1, 14, 17, 0), &cal).unwrap();
    assert!(t.label.contains("Emergency duty team"), "{}", t.label);
    assert!(
        t.label
            .contains("out of hours for Fictional children's front door (MASH)"),
        "{}",
        t.label
    );
}

#[test]
fn nothing_open_is_flagged_as_possibly_unanswered() {
    let r = region();
    let cal = Calendar::england_and_wales();
    let t = choose_number(&r.dir, r.adult_care, utc(2026, 1, 17, 12, 0), &cal).unwrap();
    assert!(!t.reason.expects_answer());
    assert!(t.label.contains("may not be answered"), "{}", t.label);
}

#[test]
fn no_numbers_and_no_switchboard_is_a_typed_error_naming_the_team() {
    let r = region();
    let cal = Calendar::england_and_wales();
    for at in [utc(2026, 1, 14, 12, 0), utc(2026, 1, 17, 12, 0)] {
        let err = choose_number(&r.dir, r.unreachable, at, &cal).unwrap_err();
        assert_eq!(
            err,
            NumberChoiceError::NoNumber {
                team: r.unreachable,
                team_name: "Fictional Surgery practice team".into()
            }
        );
        assert!(err.to_string().contains("Fictional Surgery practice team"));
    }
}

#[test]
fn a_team_not_in_the_directory_is_a_typed_error() {
    let r = region();
    let cal = Calendar::england_and_wales();
    let missing = TeamId::new();
    assert_eq!(
        choose_number(&r.dir, missing, utc(2026, 1, 14, 12, 0), &cal),
        Err(NumberChoiceError::UnknownTeam(missing))
    );
}

proptest::proptest! {
    /// For every team in the fictional sample at any instant of 2026-2027: a number is always
    /// chosen (every team there has one somewhere), its URI is `tel:` + E.164, and a closed
    /// children's front door is never offered its own in-hours line as if open.
    #[test]
    fn every_sample_team_gets_a_number_at_any_instant(
        secs in 1_767_225_600i64..1_830_297_600i64,
        pick in 0usize..64,
    ) {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/directory/sample-fictional.jsonl");
        let dir = safeshare_core::directory::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
        let teams: Vec<_> = dir.teams().collect();
        let team = teams[pick % teams.len()];
        let at = DateTime::from_timestamp(secs, 0).unwrap();
        let cal = Calendar::england_and_wales();
        let target = choose_number(&dir, team.id, at, &cal).unwrap();
        proptest::prop_assert_eq!(&target.tel_uri, &format!("tel:{}", target.e164));
        let open = team.hours.is_open_at(at, &cal);
        proptest::prop_assert_eq!(target.reason == CallReason::TeamOpen, open && team.numbers.in_hours.is_some());
        if team.service == Service::ChildrensSocialCareFrontDoor && !open {
            proptest::prop_assert_eq!(target.reason, CallReason::EmergencyDutyTeam);
            proptest::prop_assert_ne!(target.answering_team, team.id);
        }
    }
}

// --- edges a mutation of the rule would cross (tests/mutants, group `directory`) -------------

use safeshare_core::directory::Area;
use safeshare_core::rules::calendar::{BankHolidayOverride, OverrideKind};

/// The fictional region with a third council added: a front door for `front_door_areas` and
/// emergency duty teams (name, areas), none linked; every duty team is open all hours with its
/// own number. The directory lists a council's teams by name, so the names given here (in that
/// order) set which comes first.
fn council_with_duty_teams(
    front_door_areas: &[&str],
    duty_teams: &[(&str, &[&str])],
) -> (Directory, TeamId, Vec<TeamId>) {
    let council = OrganisationId::new();
    let org = Organisation {
        id: council,
        ods_code: OdsCode::parse("Z903").unwrap(),
        name: "Fictional Third Council".into(),
        kind: OrganisationKind::LocalAuthority,
        switchboard: None,
        switchboard_hours: OpeningHours::always(),
    };
    let areas = |list: &[&str]| list.iter().map(|a| Area::parse(a).unwrap()).collect();
    let front_door = Team {
        id: TeamId::new(),
        organisation: council,
        name: "Third front door".into(),
        service: Service::ChildrensSocialCareFrontDoor,
        areas: areas(front_door_areas),
        numbers: TeamNumbers {
            in_hours: Some(n("0117 496 0400")),
            ..TeamNumbers::default()
        },
        hours: nine_to_five(),
        out_of_hours_team: None,
    };
    let front_door_id = front_door.id;
    let mut teams = vec![front_door];
    let mut ids = Vec::new();
    for (i, (name, covered)) in duty_teams.iter().enumerate() {
        let team = Team {
            id: TeamId::new(),
            organisation: council,
            name: (*name).into(),
            service: Service::EmergencyDutyTeam,
            areas: areas(covered),
            numbers: TeamNumbers {
                in_hours: Some(n(&format!("0117 496 049{i}"))),
                ..TeamNumbers::default()
            },
            hours: OpeningHours::always(),
            out_of_hours_team: None,
        };
        ids.push(team.id);
        teams.push(team);
    }
    let mut dir = fixture::region().directory;
    let changes = std::iter::once(DirectoryChange::PutOrganisation { organisation: org })
        .chain(
            teams
                .into_iter()
                .map(|team| DirectoryChange::PutTeam { team }),
        )
        .collect();
    dir.apply_patch(&DirectoryPatch {
        base_version: 1,
        version: 2,
        changes,
        region: None,
        fictional: None,
    })
    .unwrap();
    (dir, front_door_id, ids)
}

/// Wednesday 14 January 2026, 20:00 GMT: every front door is closed.
fn evening() -> DateTime<Utc> {
    utc(2026, 1, 14, 20, 0)
}

#[test]
fn out_of_hours_the_duty_team_covering_the_front_doors_own_area_is_preferred_to_an_earlier_one() {
    let (dir, front_door, edts) = council_with_duty_teams(
        &["LS6"],
        &[
            ("Airedale duty team", &["BD1"]),
            ("Leeds duty team", &["LS"]),
        ],
    );
    let t = choose_number(&dir, front_door, evening(), &Calendar::england_and_wales()).unwrap();
    assert_eq!(t.reason, CallReason::EmergencyDutyTeam);
    assert_eq!(t.answering_team, edts[1], "{}", t.answering_team_name);
}

#[test]
fn out_of_hours_the_first_duty_team_covering_the_area_is_kept_over_a_later_one_that_does_not() {
    let (dir, front_door, edts) = council_with_duty_teams(
        &["LS6"],
        &[("Leeds duty team", &["LS6"]), ("North duty team", &["BD1"])],
    );
    let t = choose_number(&dir, front_door, evening(), &Calendar::england_and_wales()).unwrap();
    assert_eq!(t.answering_team, edts[0], "{}", t.answering_team_name);
}

#[test]
fn out_of_hours_with_no_duty_team_covering_the_area_the_first_of_the_council_is_used() {
    let (dir, front_door, edts) = council_with_duty_teams(
        &["LS6"],
        &[("North duty team", &["BD1"]), ("South duty team", &["S1"])],
    );
    let t = choose_number(&dir, front_door, evening(), &Calendar::england_and_wales()).unwrap();
    assert_eq!(t.answering_team, edts[0], "{}", t.answering_team_name);
}

#[test]
fn the_duty_team_is_offered_with_a_label_and_explanation_naming_the_front_door() {
    let r = region();
    let t = choose_number(
        &r.dir,
        r.csc,
        utc(2026, 1, 14, 17, 0),
        &Calendar::england_and_wales(),
    )
    .unwrap();
    assert_eq!(
        t.label,
        "Emergency duty team (in hours) (out of hours for Fictional children's front door (MASH))"
    );
    assert_eq!(
        t.explanation,
        "Fictional children's front door (MASH) is closed now; out of hours, children's social \
         care is reached through the emergency duty team, Emergency duty team."
    );
    assert_eq!(t.answering_team_name, "Emergency duty team");
}

#[test]
fn a_configured_extra_bank_holiday_closes_the_team_in_number_choice() {
    let r = region();
    // Wednesday 14 January 2026, 10:00 GMT: an ordinary working morning, unless the server's
    // calendar adds a one-off bank holiday that day (as for a state funeral).
    let at = utc(2026, 1, 14, 10, 0);
    let plain = Calendar::england_and_wales();
    assert_eq!(
        choose_number(&r.dir, r.hv, at, &plain).unwrap().reason,
        CallReason::TeamOpen
    );
    let extra = plain
        .with_update([BankHolidayOverride {
            date: chrono::NaiveDate::from_ymd_opt(2026, 1, 14).unwrap(),
            kind: OverrideKind::Added,
            name: "Fictional state funeral".into(),
        }])
        .unwrap();
    let t = choose_number(&r.dir, r.hv, at, &extra).unwrap();
    assert_eq!(t.reason, CallReason::TeamClosedOutOfHoursNumber);
    assert_eq!(t.e164, "+441134960202");
    // The front door is closed too, and its duty team (open on bank holidays) answers.
    let csc = choose_number(&r.dir, r.csc, at, &extra).unwrap();
    assert_eq!(csc.reason, CallReason::EmergencyDutyTeam);
    assert_eq!(csc.answering_team, r.edt);
}

#[test]
fn only_nothing_open_now_is_flagged_as_possibly_unanswered() {
    for reason in [
        CallReason::TeamOpen,
        CallReason::TeamClosedOutOfHoursNumber,
        CallReason::EmergencyDutyTeam,
        CallReason::SwitchboardNoDirectNumber,
        CallReason::SwitchboardNoOutOfHoursNumber,
        CallReason::OutOfHoursNumberNoOtherRoute,
    ] {
        assert!(reason.expects_answer(), "{reason:?}");
    }
    assert!(!CallReason::NothingOpenNow.expects_answer());
}

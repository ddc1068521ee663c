//! The Contacts screen as core builds it (issue 17 item 1), on a real store: who is open now
//! and the number to ring now, by London time (a summer evening either side of 17:00 BST, a
//! bank holiday, a weekend), with the sample-directory warning and the empty states.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use safeshare_core::screens::ContactsActionKind;

#[test]
fn a_blank_search_asks_for_a_name_and_the_sample_directory_is_flagged() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 24, 10, 0));
    let screen = midwife.session.contacts_screen("  ").unwrap();
    assert_eq!(screen.title, "Contacts");
    assert_eq!(screen.search_label, "Team or organisation");
    assert!(screen.rows.is_empty());
    assert_eq!(
        screen.empty.as_deref(),
        Some("Type a team or organisation to find it.")
    );
    assert_eq!(
        screen.warning.as_deref(),
        Some("SAMPLE DIRECTORY: fictional numbers, not for real calls")
    );
    let none = midwife.session.contacts_screen("orthodontics").unwrap();
    assert_eq!(
        none.empty.as_deref(),
        Some("No team or organisation in the directory matches that.")
    );
}

#[test]
fn a_team_open_on_a_weekday_morning_offers_its_direct_line() {
    let region = region();
    // Tuesday 24 November 2026, 10:00 GMT.
    let midwife = midwife(&region, utc(2026, 11, 24, 10, 0));
    let screen = midwife.session.contacts_screen("east health").unwrap();
    assert_eq!(screen.query, "east health");
    assert_eq!(screen.empty, None);
    assert_eq!(screen.rows.len(), 1);
    let row = &screen.rows[0];
    assert_eq!(row.team, region.health_visiting);
    assert_eq!(row.title, "East health visiting");
    assert_eq!(row.subtitle, "Fictional East Trust · health visiting");
    assert!(row.open_now);
    assert_eq!(row.open_words, "Open now");
    assert_eq!(
        row.hours,
        region
            .directory
            .team(region.health_visiting)
            .unwrap()
            .hours
            .describe()
    );
    let call = &row.actions[0];
    assert_eq!(
        call.kind,
        ContactsActionKind::Call {
            team: region.health_visiting
        }
    );
    assert_eq!(call.label, "Call East health visiting (in hours)");
    assert!(call.enabled);
    assert_eq!(
        call.detail.as_deref(),
        Some("East health visiting is open now; this is its direct line.")
    );
}

#[test]
fn a_summer_evening_is_read_in_bst_either_side_of_closing() {
    let region = region();
    // Thursday 1 July 2027, 16:59 BST (15:59 UTC): open. 17:00 BST: closed.
    let midwife = midwife(&region, utc(2027, 7, 1, 15, 59));
    let row = midwife.session.contacts_screen("East health").unwrap().rows[0].clone();
    assert!(row.open_now);
    assert_eq!(row.actions[0].label, "Call East health visiting (in hours)");
    midwife.clock.set(utc(2027, 7, 1, 16, 0));
    let row = midwife.session.contacts_screen("East health").unwrap().rows[0].clone();
    assert!(!row.open_now);
    assert_eq!(row.open_words, "Closed now");
    assert_eq!(
        row.actions[0].label,
        "Call East health visiting (out of hours)"
    );
}

#[test]
fn on_christmas_day_a_team_is_closed_for_the_bank_holiday_and_the_switchboard_is_offered() {
    let region = region();
    // Friday 25 December 2026, 10:00 GMT.
    let midwife = midwife(&region, utc(2026, 12, 25, 10, 0));
    let row = midwife.session.contacts_screen("midwifery").unwrap().rows[0].clone();
    assert_eq!(row.team, region.midwifery);
    assert!(!row.open_now);
    assert_eq!(row.open_words, "Closed now (bank holiday)");
    // Midwifery has no out-of-hours number: its trust's switchboard, which always answers.
    let call = &row.actions[0];
    assert_eq!(
        call.label,
        "Call Fictional West Trust switchboard: ask for West community midwifery"
    );
    assert!(call.enabled);
    assert!(!call
        .detail
        .as_deref()
        .unwrap()
        .contains("may not be answered"));
}

#[test]
fn on_a_saturday_a_team_is_closed_without_a_bank_holiday() {
    let region = region();
    // Saturday 28 November 2026, 11:00 GMT.
    let midwife = midwife(&region, utc(2026, 11, 28, 11, 0));
    let row = midwife.session.contacts_screen("front door").unwrap().rows[0].clone();
    assert_eq!(row.team, region.front_door);
    assert!(!row.open_now);
    assert_eq!(row.open_words, "Closed now");
}

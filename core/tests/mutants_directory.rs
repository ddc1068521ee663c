//! Opening hours at their edges: the minute a team opens and the minute it closes, midnight,
//! weekends, bank holidays (substitute days, a configured extra one) and both clock changes.
//!
//! `OpeningHours::is_open_at` decides whether number choice offers a team's own number or its
//! out-of-hours or switchboard number, so a minute read wrongly sends a midwife to a line that
//! rings out. Each test pins the exact answer at the instants either side of an edge, in London
//! wall-clock time, and the written form's exact errors (an importer shows them to the person
//! who typed the hours, quoting what they wrote). (Written to catch the mutants tests/mutants
//! found surviving in `directory/hours.rs`; see README, "Testing".)

// Test helpers outside #[test] functions build fixed, valid dates and schedules.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use safeshare_core::directory::{BankHolidayHours, HoursError, OpeningHours, TimeRange};
use safeshare_core::rules::calendar::{BankHolidayOverride, Calendar, OverrideKind};
use serde_json::{json, Value};

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn hours(written: Value) -> OpeningHours {
    OpeningHours::from_value(&written).unwrap()
}

fn cal() -> Calendar {
    Calendar::england_and_wales()
}

/// Open at each instant in `open`, closed at each in `closed`, with the England and Wales
/// calendar; the failing instant is named.
fn assert_hours(h: &OpeningHours, open: &[DateTime<Utc>], closed: &[DateTime<Utc>]) {
    for at in open {
        assert!(h.is_open_at(*at, &cal()), "should be open at {at}");
    }
    for at in closed {
        assert!(!h.is_open_at(*at, &cal()), "should be closed at {at}");
    }
}

#[test]
fn a_team_opens_at_its_first_minute_and_closes_at_its_closing_minute_not_on_the_hour() {
    let h = hours(json!({"weekdays": ["08:30-16:45"]}));
    // Wednesday 14 January 2026, GMT: London time is UTC.
    assert_hours(
        &h,
        &[
            utc(2026, 1, 14, 8, 30),
            utc(2026, 1, 14, 12, 0),
            utc(2026, 1, 14, 16, 44),
        ],
        &[
            utc(2026, 1, 14, 8, 29),
            utc(2026, 1, 14, 16, 45),
            utc(2026, 1, 14, 17, 30),
        ],
    );
    // Wednesday 15 July 2026, BST: each edge an hour earlier in UTC.
    assert_hours(
        &h,
        &[utc(2026, 7, 15, 7, 30), utc(2026, 7, 15, 15, 44)],
        &[
            utc(2026, 7, 15, 7, 29),
            utc(2026, 7, 15, 15, 45),
            utc(2026, 7, 15, 16, 30),
        ],
    );
    assert_eq!(h.describe(), "Mon-Fri 08:30-16:45; closed on bank holidays");
}

#[test]
fn half_past_five_is_after_a_five_oclock_close_and_ten_to_nine_before_a_nine_oclock_opening() {
    let office = hours(json!({"weekdays": ["09:00-17:00"]}));
    // Thursday 15 January 2026, GMT.
    assert_hours(
        &office,
        &[utc(2026, 1, 15, 9, 0), utc(2026, 1, 15, 16, 30)],
        &[
            utc(2026, 1, 15, 17, 30),
            utc(2026, 1, 15, 17, 59),
            utc(2026, 1, 15, 8, 50),
            utc(2026, 1, 15, 23, 59),
            utc(2026, 1, 15, 0, 0),
        ],
    );
}

#[test]
fn midnight_belongs_to_the_day_that_starts_and_24_00_closes_at_the_end_of_the_day() {
    // An overnight service written as the docs say: Friday evening, then Saturday morning.
    let overnight = hours(json!({"fri": ["17:00-24:00"], "sat": ["00:00-09:00"]}));
    // Friday 16 and Saturday 17 January 2026, GMT.
    assert_hours(
        &overnight,
        &[
            utc(2026, 1, 16, 17, 0),
            utc(2026, 1, 16, 23, 59),
            utc(2026, 1, 17, 0, 0),
            utc(2026, 1, 17, 8, 59),
        ],
        &[
            utc(2026, 1, 16, 16, 59),
            utc(2026, 1, 17, 9, 0),
            utc(2026, 1, 18, 0, 0),
        ],
    );
    // Friday evening only: Saturday's first minute is Saturday's, and Saturday is closed.
    let friday_evening = hours(json!({"fri": ["17:00-24:00"]}));
    assert_hours(
        &friday_evening,
        &[utc(2026, 1, 16, 23, 59)],
        &[utc(2026, 1, 17, 0, 0)],
    );
    // In BST, London's midnight is 23:00 UTC the evening before.
    assert_hours(
        &friday_evening,
        &[utc(2026, 7, 17, 22, 59)],
        &[utc(2026, 7, 17, 23, 0)],
    );
    assert_hours(
        &overnight,
        &[utc(2026, 7, 17, 23, 0), utc(2026, 7, 18, 7, 59)],
        &[utc(2026, 7, 18, 8, 0)],
    );
}

#[test]
fn the_weekend_is_the_london_weekend() {
    let office = hours(json!({"weekdays": ["09:00-17:00"]}));
    // Saturday 17 and Sunday 18 January 2026 closed; Monday 19 January open.
    assert_hours(
        &office,
        &[utc(2026, 1, 19, 9, 0), utc(2026, 1, 16, 16, 59)],
        &[utc(2026, 1, 17, 10, 0), utc(2026, 1, 18, 10, 0)],
    );
    // Sunday 19 July 2026 at 23:30 UTC is Monday 00:30 in London: Monday's hours apply.
    let early_monday = hours(json!({"mon": ["00:00-01:00"]}));
    assert_hours(
        &early_monday,
        &[utc(2026, 7, 19, 23, 30), utc(2026, 7, 19, 23, 0)],
        &[utc(2026, 7, 19, 22, 59), utc(2026, 7, 20, 0, 0)],
    );
}

#[test]
fn both_clock_changes_are_read_in_london_time() {
    // Sunday 29 March 2026: at 01:00 UTC London goes from 00:59 GMT to 02:00 BST.
    let h = hours(json!({"sun": ["02:00-03:00"]}));
    assert_hours(
        &h,
        &[utc(2026, 3, 29, 1, 0), utc(2026, 3, 29, 1, 59)],
        &[
            utc(2026, 3, 29, 0, 59),
            utc(2026, 3, 29, 2, 0),
            utc(2026, 3, 29, 2, 30),
        ],
    );
    // Sunday 25 October 2026: at 01:00 UTC London goes from 01:59 BST back to 01:00 GMT, so
    // 01:00-02:00 London time happens twice and the service is open through both.
    let h = hours(json!({"sun": ["01:00-02:00"]}));
    assert_hours(
        &h,
        &[
            utc(2026, 10, 25, 0, 0),
            utc(2026, 10, 25, 0, 59),
            utc(2026, 10, 25, 1, 0),
            utc(2026, 10, 25, 1, 59),
        ],
        &[utc(2026, 10, 24, 23, 59), utc(2026, 10, 25, 2, 0)],
    );
}

#[test]
fn bank_holidays_are_closed_from_london_midnight_including_substitute_days() {
    let office = hours(json!({"weekdays": ["09:00-17:00"]}));
    // Monday 28 December 2026 is the substitute for Boxing Day (a Saturday); Tuesday 29th is
    // an ordinary working day.
    assert_hours(
        &office,
        &[utc(2026, 12, 29, 9, 0), utc(2026, 12, 24, 16, 59)],
        &[utc(2026, 12, 28, 10, 0), utc(2026, 12, 25, 10, 0)],
    );
    // Spring bank holiday Monday 25 May 2026 (BST): a service open Sunday evening and weekday
    // mornings closes at London midnight, 23:00 UTC on Sunday.
    let evenings = hours(json!({"sun": ["17:00-24:00"], "weekdays": ["00:00-09:00"]}));
    assert_hours(
        &evenings,
        &[utc(2026, 5, 24, 22, 59), utc(2026, 5, 26, 7, 59)],
        &[utc(2026, 5, 24, 23, 0), utc(2026, 5, 25, 7, 0)],
    );
    let as_usual = evenings.with_bank_holidays(BankHolidayHours::AsUsual);
    assert_hours(
        &as_usual,
        &[utc(2026, 5, 24, 23, 0), utc(2026, 5, 25, 7, 59)],
        &[],
    );
}

#[test]
fn a_configured_extra_bank_holiday_closes_the_team_and_a_removed_one_opens_it() {
    let office = hours(json!({"weekdays": ["09:00-17:00"]}));
    let wednesday = NaiveDate::from_ymd_opt(2026, 6, 3).unwrap();
    let spring = NaiveDate::from_ymd_opt(2026, 5, 25).unwrap();
    let changed = cal()
        .with_update([
            BankHolidayOverride {
                date: wednesday,
                kind: OverrideKind::Added,
                name: "A one-off bank holiday".into(),
            },
            BankHolidayOverride {
                date: spring,
                kind: OverrideKind::Removed,
                name: "Spring bank holiday moved".into(),
            },
        ])
        .unwrap();
    // 3 June 2026 10:00 BST: open on the built-in calendar, closed on the changed one.
    let at = utc(2026, 6, 3, 9, 0);
    assert!(office.is_open_at(at, &cal()));
    assert!(!office.is_open_at(at, &changed));
    // 25 May 2026 10:00 BST: the other way round.
    let at = utc(2026, 5, 25, 9, 0);
    assert!(!office.is_open_at(at, &cal()));
    assert!(office.is_open_at(at, &changed));
    // Shorter bank-holiday hours apply on the added day only.
    let short = office.with_bank_holidays(BankHolidayHours::Open(vec![TimeRange::parse(
        "10:00-12:00",
    )
    .unwrap()]));
    assert!(!short.is_open_at(utc(2026, 6, 3, 8, 59), &changed));
    assert!(short.is_open_at(utc(2026, 6, 3, 9, 0), &changed));
    assert!(!short.is_open_at(utc(2026, 6, 3, 11, 0), &changed));
    assert!(short.is_open_at(utc(2026, 6, 3, 15, 0), &cal()));
}

#[test]
fn a_24_7_service_closed_on_bank_holidays_is_not_24_7() {
    let h = OpeningHours::always().with_bank_holidays(BankHolidayHours::Closed);
    assert_eq!(h.describe(), "Mon-Sun 00:00-24:00; closed on bank holidays");
    assert_ne!(h.to_value(), json!("24/7"));
    assert_eq!(OpeningHours::from_value(&h.to_value()).unwrap(), h);
    // Friday 25 December 2026: closed all day, open either side of it.
    assert_hours(
        &h,
        &[utc(2026, 12, 24, 23, 59), utc(2026, 12, 27, 0, 0)],
        &[utc(2026, 12, 25, 0, 0), utc(2026, 12, 25, 23, 59)],
    );
}

#[test]
fn times_must_be_two_digit_hours_and_minutes() {
    for text in [
        "9:00-17:00",
        "09:00-5:00",
        "09:0-17:00",
        "09:00-17:5",
        "009:00-17:00",
        "09:000-17:00",
        "09:60-17:00",
        "09:00-16:75",
        "0900-1700",
    ] {
        assert_eq!(
            TimeRange::parse(text),
            Err(HoursError::BadRange(text.into())),
            "{text:?}"
        );
    }
    assert_eq!(
        TimeRange::parse("09:59-10:01").unwrap().to_string(),
        "09:59-10:01"
    );
    assert_eq!(
        TimeRange::parse("00:00-24:00").unwrap(),
        TimeRange::whole_day()
    );
}

#[test]
fn an_hour_past_24_is_refused_quoting_the_range_as_it_was_written() {
    // An en dash and spaces, as pasted from a document: the error quotes the paste, so the
    // person fixing it can find it.
    for text in [
        "09:00 \u{2013} 24:30",
        "09:00 \u{2013} 25:00",
        "09:00 \u{2013} 26:00",
        "24:01 - 24:00",
        "25:00 - 26:00",
        "99:00 - 99:59",
    ] {
        assert_eq!(
            TimeRange::parse(text),
            Err(HoursError::BadRange(text.into())),
            "{text:?}"
        );
    }
    // 24:00 is the end of the day, never a start.
    assert_eq!(
        TimeRange::parse("24:00-24:00"),
        Err(HoursError::BadRange("24:00-24:00".into()))
    );
    assert_eq!(
        TimeRange::parse("17:00-17:00"),
        Err(HoursError::RangeNotForward("17:00-17:00".into()))
    );
    // TimeRange::new itself (cargo-mutants never mutates a function named `new`, so its
    // bounds are pinned here directly).
    assert_eq!(TimeRange::new(0, 1440), Ok(TimeRange::whole_day()));
    assert_eq!(
        TimeRange::new(0, 1441),
        Err(HoursError::BadRange("00:00-24:01".into()))
    );
    assert_eq!(
        TimeRange::new(1439, 1440).map(|r| r.to_string()),
        Ok("23:59-24:00".into())
    );
    assert_eq!(
        TimeRange::new(1440, 1441),
        Err(HoursError::BadRange("24:00-24:01".into()))
    );
    assert_eq!(
        TimeRange::new(600, 599),
        Err(HoursError::RangeNotForward("10:00-09:59".into()))
    );
}

#[test]
fn only_24_7_is_a_schedule_in_one_word_and_only_closed_is_a_day_in_one_word() {
    assert_eq!(
        OpeningHours::from_value(&json!(" 24/7 ")).unwrap(),
        OpeningHours::always()
    );
    for word in ["closed", "24/7 weekdays", "always", ""] {
        assert_eq!(
            OpeningHours::from_value(&json!(word)),
            Err(HoursError::BadShape),
            "{word:?}"
        );
    }
    assert_eq!(
        OpeningHours::from_value(&json!({"mon": "09:00-17:00"})),
        Err(HoursError::BadDayValue("mon".into()))
    );
    assert_eq!(
        OpeningHours::from_value(&json!({"weekend": "open"})),
        Err(HoursError::BadDayValue("weekend".into()))
    );
    assert_eq!(
        OpeningHours::from_value(&json!({"sat": "closed", "weekdays": ["09:00-17:00"]})).unwrap(),
        hours(json!({"weekdays": ["09:00-17:00"]}))
    );
    assert_eq!(
        OpeningHours::from_value(&json!({"bank_holidays": ["10:00-12:00", 7]})),
        Err(HoursError::BadBankHolidays)
    );
}

#[test]
fn hours_serialise_to_the_written_form_every_open_day_listed() {
    let h = hours(json!({"weekdays": ["08:30-16:45"], "sat": ["10:00-12:00"]}));
    let written = json!({
        "mon": ["08:30-16:45"],
        "tue": ["08:30-16:45"],
        "wed": ["08:30-16:45"],
        "thu": ["08:30-16:45"],
        "fri": ["08:30-16:45"],
        "sat": ["10:00-12:00"],
        "bank_holidays": "closed"
    });
    assert_eq!(serde_json::to_value(&h).unwrap(), written);
    assert_eq!(serde_json::from_value::<OpeningHours>(written).unwrap(), h);
    assert_eq!(
        serde_json::to_value(OpeningHours::always()).unwrap(),
        json!("24/7")
    );
    let bh = h.with_bank_holidays(BankHolidayHours::Open(vec![TimeRange::parse(
        "10:00-14:00",
    )
    .unwrap()]));
    assert_eq!(
        serde_json::to_value(&bh).unwrap()["bank_holidays"],
        json!(["10:00-14:00"])
    );
    assert_eq!(
        serde_json::to_value(OpeningHours::never()).unwrap(),
        json!({"bank_holidays": "closed"})
    );
}

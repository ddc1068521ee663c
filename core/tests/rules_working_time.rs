//! The referral decision deadline (one working day of working time, Working Together to
//! Safeguard Children) at its edges: weekends, bank holidays and their substitutes, every
//! one-off override, both BST changes, the ends of the working day, midnight and leap day.
//! Times in the table are Europe/London wall-clock times unless marked UTC.

// Test helpers outside #[test] functions: a failed parse is a broken test table, so panic.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, NaiveDate, Utc};
use proptest::prelude::*;
use safeshare_core::rules::calendar::Calendar;
use safeshare_core::rules::working_time::{london_to_utc, WorkingHours, WorkingTime};

/// A receipt time: local London wall-clock ("2026-11-23 16:59") or an exact UTC instant for
/// the ambiguous autumn hour ("2026-10-25T00:30:00Z").
fn instant(text: &str) -> DateTime<Utc> {
    if text.ends_with('Z') {
        return text.parse().unwrap();
    }
    let local = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
    london_to_utc(local).unwrap()
}

/// (why, received, decision due), both in London local time unless marked UTC.
#[rustfmt::skip]
const REFERRAL_DUE_TIMES: &[(&str, &str, &str)] = &[
    // The rule as the issue states it, on an ordinary week (Mon 23 Nov 2026).
    ("monday 16:59 -> tuesday 16:59", "2026-11-23 16:59", "2026-11-24 16:59"),
    ("monday 17:00 -> tuesday 17:00", "2026-11-23 17:00", "2026-11-24 17:00"),
    ("monday 20:00 -> tuesday 17:00", "2026-11-23 20:00", "2026-11-24 17:00"),
    ("monday 08:00 -> monday 17:00", "2026-11-23 08:00", "2026-11-23 17:00"),
    ("monday 08:59 -> monday 17:00", "2026-11-23 08:59", "2026-11-23 17:00"),
    ("monday 09:00 -> monday 17:00", "2026-11-23 09:00", "2026-11-23 17:00"),
    ("monday 23:59 -> tuesday 17:00", "2026-11-23 23:59", "2026-11-24 17:00"),
    ("monday midnight -> monday 17:00", "2026-11-23 00:00", "2026-11-23 17:00"),
    ("wednesday 12:30 -> thursday 12:30", "2026-11-25 12:30", "2026-11-26 12:30"),
    // Friday afternoon and the weekend.
    ("friday 15:00 -> monday 15:00", "2026-11-27 15:00", "2026-11-30 15:00"),
    ("friday 16:59 -> monday 16:59", "2026-11-27 16:59", "2026-11-30 16:59"),
    ("friday 17:00 -> monday 17:00", "2026-11-27 17:00", "2026-11-30 17:00"),
    ("friday 09:00 -> friday 17:00", "2026-11-27 09:00", "2026-11-27 17:00"),
    ("saturday morning -> monday 17:00", "2026-11-28 10:00", "2026-11-30 17:00"),
    ("saturday midnight -> monday 17:00", "2026-11-28 00:00", "2026-11-30 17:00"),
    ("sunday 23:59 -> monday 17:00", "2026-11-29 23:59", "2026-11-30 17:00"),
    // Friday before a bank holiday Monday: Tuesday same time.
    ("friday before spring bank holiday", "2026-05-22 15:00", "2026-05-26 15:00"),
    ("friday before summer bank holiday", "2026-08-28 15:00", "2026-09-01 15:00"),
    ("received on easter monday", "2026-04-06 10:00", "2026-04-07 17:00"),
    // The Thursday before Easter: Good Friday and Easter Monday both skipped.
    ("maundy thursday 15:00, 2026", "2026-04-02 15:00", "2026-04-07 15:00"),
    ("maundy thursday 16:59, 2026", "2026-04-02 16:59", "2026-04-07 16:59"),
    ("maundy thursday 17:00, 2026", "2026-04-02 17:00", "2026-04-07 17:00"),
    ("maundy thursday 10:00, 2027 (with BST start)", "2027-03-25 10:00", "2027-03-30 10:00"),
    // Christmas 2026: Friday 25th, Boxing Day Saturday -> substitute Monday 28th.
    ("christmas eve 2026 15:00", "2026-12-24 15:00", "2026-12-29 15:00"),
    ("christmas eve 2026 17:00", "2026-12-24 17:00", "2026-12-29 17:00"),
    ("christmas day 2026", "2026-12-25 10:00", "2026-12-29 17:00"),
    ("boxing day 2026 (saturday)", "2026-12-26 10:00", "2026-12-29 17:00"),
    ("boxing day substitute 2026", "2026-12-28 09:00", "2026-12-29 17:00"),
    ("new year's eve 2026 15:00", "2026-12-31 15:00", "2027-01-04 15:00"),
    // Christmas 2027: Saturday and Sunday -> substitutes Monday 27th and Tuesday 28th.
    ("christmas eve 2027 (friday) 15:00", "2027-12-24 15:00", "2027-12-29 15:00"),
    ("christmas eve 2027 09:00", "2027-12-24 09:00", "2027-12-24 17:00"),
    ("christmas day 2027 (saturday)", "2027-12-25 12:00", "2027-12-29 17:00"),
    ("christmas substitute 2027", "2027-12-27 12:00", "2027-12-29 17:00"),
    ("boxing day substitute 2027 23:59", "2027-12-28 23:59", "2027-12-29 17:00"),
    // Christmas 2022 on a Sunday and the New Year substitutes.
    ("friday before christmas 2022", "2022-12-23 15:00", "2022-12-28 15:00"),
    ("new year's eve 2021 (new year substitute monday)", "2021-12-31 15:00", "2022-01-04 15:00"),
    ("friday before new year 2023 substitute", "2022-12-30 15:00", "2023-01-03 15:00"),
    // Every one-off override.
    ("2020 VE day friday added", "2020-05-07 15:00", "2020-05-11 15:00"),
    ("2020 early may monday removed", "2020-05-01 15:00", "2020-05-04 15:00"),
    ("2022 spring bank holiday monday removed", "2022-05-27 15:00", "2022-05-30 15:00"),
    ("2022 jubilee thursday and friday added", "2022-06-01 15:00", "2022-06-06 15:00"),
    ("received on 2022 jubilee holiday", "2022-06-02 10:00", "2022-06-06 17:00"),
    ("2022 state funeral monday added", "2022-09-16 15:00", "2022-09-20 15:00"),
    ("received on 2022 state funeral", "2022-09-19 12:00", "2022-09-20 17:00"),
    ("2023 coronation monday added", "2023-05-05 15:00", "2023-05-09 15:00"),
    ("received on 2023 coronation", "2023-05-08 09:30", "2023-05-09 17:00"),
    // BST starts (last Sunday of March): 29 March 2026, 28 March 2027.
    ("friday before BST starts 2026", "2026-03-27 15:00", "2026-03-30 15:00"),
    ("saturday before BST starts 2026", "2026-03-28 12:00", "2026-03-30 17:00"),
    ("sunday of BST start, before the jump", "2026-03-29 00:30", "2026-03-30 17:00"),
    ("sunday of BST start, after the jump", "2026-03-29 03:00", "2026-03-30 17:00"),
    // BST ends (last Sunday of October): 25 October 2026, 31 October 2027.
    ("friday before BST ends 2026", "2026-10-23 15:00", "2026-10-26 15:00"),
    ("first 01:30 of BST end (BST, UTC given)", "2026-10-25T00:30:00Z", "2026-10-26 17:00"),
    ("second 01:30 of BST end (GMT, UTC given)", "2026-10-25T01:30:00Z", "2026-10-26 17:00"),
    ("friday before BST ends 2027 16:59", "2027-10-29 16:59", "2027-11-01 16:59"),
    // Leap days.
    ("monday before leap day 2028", "2028-02-28 15:00", "2028-02-29 15:00"),
    ("leap day 2028 16:59", "2028-02-29 16:59", "2028-03-01 16:59"),
    ("leap day 2024 15:00", "2024-02-29 15:00", "2024-03-01 15:00"),
    ("day before leap day 2024 at 17:00", "2024-02-28 17:00", "2024-02-29 17:00"),
];

#[test]
fn referral_decision_due_times_follow_one_working_day_of_working_time() {
    assert!(REFERRAL_DUE_TIMES.len() >= 40);
    let rule = WorkingTime::england_and_wales();
    let mut failures = Vec::new();
    for (why, received, due) in REFERRAL_DUE_TIMES {
        let got = rule.add_working_days(instant(received), 1).unwrap();
        if got != instant(due) {
            failures.push(format!(
                "{why}: received {received}, expected {due}, got {}",
                got.with_timezone(&chrono_tz::Europe::London)
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn referral_received_friday_afternoon_is_due_monday_same_time() {
    let rule = WorkingTime::england_and_wales();
    let due = rule
        .add_working_days(instant("2026-11-27 15:00"), 1)
        .unwrap();
    assert_eq!(due, instant("2026-11-30 15:00"));
}

#[test]
fn across_bst_start_the_due_time_is_local_not_a_fixed_offset() {
    // Friday 15:00 GMT is 15:00 UTC; Monday 15:00 BST is 14:00 UTC.
    let rule = WorkingTime::england_and_wales();
    let due = rule
        .add_working_days(instant("2026-03-27 15:00"), 1)
        .unwrap();
    assert_eq!(due.to_rfc3339(), "2026-03-30T14:00:00+00:00");
}

#[test]
fn configured_hours_change_the_length_of_a_working_day() {
    let hours = WorkingHours::new(
        chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
        chrono::NaiveTime::from_hms_opt(18, 0, 0).unwrap(),
    )
    .unwrap();
    let rule = WorkingTime::new(Calendar::england_and_wales(), hours);
    let due = rule
        .add_working_days(instant("2026-11-23 17:59"), 1)
        .unwrap();
    assert_eq!(due, instant("2026-11-24 17:59"));
    let due = rule
        .add_working_days(instant("2026-11-23 07:00"), 1)
        .unwrap();
    assert_eq!(due, instant("2026-11-23 18:00"));
}

#[test]
fn two_working_days_skip_a_bank_holiday_weekend() {
    let rule = WorkingTime::england_and_wales();
    let due = rule
        .add_working_days(instant("2026-04-02 11:00"), 2)
        .unwrap();
    assert_eq!(due, instant("2026-04-08 11:00"));
}

fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
    // 2020-01-01 to 2031-01-01, to the minute.
    (1_577_836_800i64 / 60..1_924_992_000i64 / 60)
        .prop_map(|minute| DateTime::from_timestamp(minute * 60, 0).unwrap())
}

proptest! {
    #[test]
    fn a_due_time_is_within_working_hours_on_a_working_day_and_after_receipt(
        received in any_instant(),
        minutes in 1u32..=5 * 480,
    ) {
        let rule = WorkingTime::england_and_wales();
        let due = rule.add(received, Duration::minutes(i64::from(minutes))).unwrap();
        prop_assert!(due > received);
        prop_assert!(rule.is_due_time(due), "due {due} not in (09:00, 17:00] of a working day");
        let local_date: NaiveDate = safeshare_core::rules::working_time::local_date(due);
        prop_assert!(rule.calendar().is_working_day(local_date));
        prop_assert_eq!(
            rule.working_time_between(received, due),
            Duration::minutes(i64::from(minutes))
        );
    }

    #[test]
    fn configured_hours_keep_due_times_inside_them(
        received in any_instant(),
        start_hour in 6u32..=10,
        end_hour in 15u32..=20,
        days in 1u32..=3,
    ) {
        let hours = WorkingHours::new(
            chrono::NaiveTime::from_hms_opt(start_hour, 0, 0).unwrap(),
            chrono::NaiveTime::from_hms_opt(end_hour, 0, 0).unwrap(),
        )
        .unwrap();
        let rule = WorkingTime::new(Calendar::england_and_wales(), hours);
        let due = rule.add_working_days(received, days).unwrap();
        prop_assert!(due > received);
        prop_assert!(rule.is_due_time(due));
        prop_assert_eq!(
            rule.working_time_between(received, due),
            hours.working_day() * i32::try_from(days).unwrap()
        );
    }

    #[test]
    fn adding_one_working_day_is_monotonic(a in any_instant(), b in any_instant()) {
        let rule = WorkingTime::england_and_wales();
        let (early, late) = if a <= b { (a, b) } else { (b, a) };
        let due_early = rule.add_working_days(early, 1).unwrap();
        let due_late = rule.add_working_days(late, 1).unwrap();
        prop_assert!(due_early <= due_late);
        prop_assert!(due_early > early);
    }
}

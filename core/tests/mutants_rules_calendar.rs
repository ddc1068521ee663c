//! The England & Wales calendar at its edges, each answer pinned exactly: Easter at its earliest
//! and latest, substitute days for New Year's Day and Christmas at either weekend day, the year's
//! first and last day, and an extra bank holiday configured by the server.
//!
//! `rules_calendar.rs` checks properties over many years and the calendar's unit tests check
//! GOV.UK's published years; these pin the names and dates at the cases a changed rule would
//! most likely get wrong. (Written for the mutation run of `rules/calendar.rs`; see README,
//! "Testing".)

// Test helpers outside #[test] functions build fixed, valid dates.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use safeshare_core::rules::calendar::{
    easter_sunday, BankHoliday, BankHolidayOverride, Calendar, CalendarError, CalendarTable,
    OverrideKind,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The holidays of `year` as (month, day, name), to compare whole years at once.
fn year_of(calendar: &Calendar, year: i32) -> Vec<(u32, u32, String)> {
    use chrono::Datelike;
    calendar
        .bank_holidays_in(year)
        .into_iter()
        .map(|h| (h.date.month(), h.date.day(), h.name))
        .collect()
}

fn row(m: u32, day: u32, name: &str) -> (u32, u32, String) {
    (m, day, name.to_owned())
}

fn added(date: NaiveDate, name: &str) -> BankHolidayOverride {
    BankHolidayOverride {
        date,
        kind: OverrideKind::Added,
        name: name.to_owned(),
    }
}

fn removed(date: NaiveDate, name: &str) -> BankHolidayOverride {
    BankHolidayOverride {
        date,
        kind: OverrideKind::Removed,
        name: name.to_owned(),
    }
}

#[test]
fn easter_at_its_earliest_and_latest_gives_good_friday_and_easter_monday_around_it() {
    // 2285: Easter Sunday on 22 March, the earliest possible; 2038: 25 April, the latest.
    assert_eq!(easter_sunday(2285), Some(d(2285, 3, 22)));
    assert_eq!(easter_sunday(2038), Some(d(2038, 4, 25)));
    let rule_only = Calendar::from_overrides(Vec::new()).unwrap();
    assert_eq!(
        year_of(&rule_only, 2038),
        [
            row(1, 1, "New Year's Day"),
            row(4, 23, "Good Friday"),
            row(4, 26, "Easter Monday"),
            row(5, 3, "Early May bank holiday"),
            row(5, 31, "Spring bank holiday"),
            row(8, 30, "Summer bank holiday"),
            row(12, 27, "Christmas Day (substitute day)"),
            row(12, 28, "Boxing Day (substitute day)"),
        ]
    );
    // Good Friday on 20 March 2285, Easter Monday on 23 March.
    assert!(rule_only.is_bank_holiday(d(2285, 3, 20)));
    assert!(rule_only.is_bank_holiday(d(2285, 3, 23)));
    assert!(!rule_only.is_bank_holiday(d(2285, 3, 22)));
    assert!(rule_only.is_working_day(d(2285, 3, 19)));
    assert!(rule_only.is_working_day(d(2285, 3, 24)));
}

#[test]
fn easter_sunday_is_right_across_centuries() {
    // Years that exercise each term of the algorithm (published tables). 1954, 1981, 2049 and
    // 2076 are the years its last correction moves Easter a week earlier (18 or 19 April, not
    // 25 or 26); 1818 (the earliest, 22 March) and 2106 depend on the century term's `+ 1`.
    for (year, month, day) in [
        (1818, 3, 22),
        (1900, 4, 15),
        (1954, 4, 18),
        (1981, 4, 19),
        (2000, 4, 23),
        (2008, 3, 23),
        (2011, 4, 24),
        (2049, 4, 18),
        (2076, 4, 19),
        (2100, 3, 28),
        (2106, 4, 18),
        (2200, 4, 6),
        (2400, 4, 16),
    ] {
        assert_eq!(easter_sunday(year), Some(d(year, month, day)), "{year}");
    }
}

#[test]
fn new_years_day_at_a_weekend_moves_to_the_monday_and_says_so() {
    let calendar = Calendar::england_and_wales();
    // 2022: Saturday 1 January; 2023: Sunday 1 January. Both observed on Monday.
    assert_eq!(
        calendar.bank_holidays_in(2022)[0],
        BankHoliday {
            date: d(2022, 1, 3),
            name: "New Year's Day (substitute day)".to_owned()
        }
    );
    assert_eq!(
        calendar.bank_holidays_in(2023)[0],
        BankHoliday {
            date: d(2023, 1, 2),
            name: "New Year's Day (substitute day)".to_owned()
        }
    );
    assert!(!calendar.is_bank_holiday(d(2022, 1, 1)));
    assert!(!calendar.is_working_day(d(2022, 1, 3)));
    assert!(calendar.is_working_day(d(2022, 1, 4)));
    // A weekday New Year's Day keeps its date and its plain name.
    assert_eq!(
        calendar.bank_holidays_in(2027)[0],
        BankHoliday {
            date: d(2027, 1, 1),
            name: "New Year's Day".to_owned()
        }
    );
}

#[test]
fn christmas_at_either_weekend_day_is_substituted_by_name() {
    let calendar = Calendar::england_and_wales();
    // 2021: Christmas Saturday, Boxing Day Sunday: both substituted, in order.
    let december = |year| -> Vec<(u32, u32, String)> {
        year_of(&calendar, year)
            .into_iter()
            .filter(|(m, _, _)| *m == 12)
            .collect()
    };
    assert_eq!(
        december(2021),
        [
            row(12, 27, "Christmas Day (substitute day)"),
            row(12, 28, "Boxing Day (substitute day)"),
        ]
    );
    // 2022: Christmas Sunday: Boxing Day keeps Monday 26, Christmas moves to Tuesday 27.
    assert_eq!(
        december(2022),
        [
            row(12, 26, "Boxing Day"),
            row(12, 27, "Christmas Day (substitute day)"),
        ]
    );
    // 2026: Christmas Friday, Boxing Day Saturday: only Boxing Day moves, to Monday 28.
    assert_eq!(
        december(2026),
        [
            row(12, 25, "Christmas Day"),
            row(12, 28, "Boxing Day (substitute day)"),
        ]
    );
}

#[test]
fn the_years_first_and_last_days() {
    let calendar = Calendar::england_and_wales();
    // 31 December is a working day unless proclaimed (the Millennium, 1999).
    assert!(calendar.is_working_day(d(2026, 12, 31)));
    assert!(calendar.is_bank_holiday(d(1999, 12, 31)));
    assert!(!calendar.is_working_day(d(1999, 12, 31)));
    // From the last working day of one year over New Year into the next.
    assert_eq!(
        calendar.next_working_day(d(2026, 12, 31)),
        Some(d(2027, 1, 4))
    );
    assert_eq!(
        calendar.next_working_day(d(2021, 12, 31)),
        Some(d(2022, 1, 4))
    );
    assert_eq!(
        calendar.next_working_day(d(1999, 12, 30)),
        Some(d(2000, 1, 4))
    );
    // From the year's first day, a Friday bank holiday, over the weekend.
    assert_eq!(
        calendar.next_working_day(d(2027, 1, 1)),
        Some(d(2027, 1, 4))
    );
    // Strictly after: a working day's next is the following one.
    assert_eq!(
        calendar.next_working_day(d(2026, 12, 30)),
        Some(d(2026, 12, 31))
    );
}

#[test]
fn a_configured_extra_bank_holiday_is_kept_off_working_days_and_named() {
    let calendar = Calendar::england_and_wales();
    // A Friday proclaimed a bank holiday: Thursday's next working day is the Monday after.
    let updated = calendar
        .with_update([added(d(2030, 6, 7), "A one-off holiday")])
        .unwrap();
    assert_eq!(
        updated.next_working_day(d(2030, 6, 6)),
        Some(d(2030, 6, 10))
    );
    assert_eq!(
        calendar.next_working_day(d(2030, 6, 6)),
        Some(d(2030, 6, 7))
    );
    assert!(!updated.is_working_day(d(2030, 6, 7)));
    assert!(updated.bank_holidays_in(2030).contains(&BankHoliday {
        date: d(2030, 6, 7),
        name: "A one-off holiday".to_owned()
    }));
    // It is in 2030's list only; 2029's is unchanged.
    assert_eq!(
        updated.bank_holidays_in(2029),
        calendar.bank_holidays_in(2029)
    );
    assert_eq!(
        updated.bank_holidays_in(2030).len(),
        calendar.bank_holidays_in(2030).len() + 1
    );
}

#[test]
fn an_update_replaces_an_entry_for_the_same_date_and_keeps_the_rest() {
    let calendar = Calendar::england_and_wales();
    // The server renames the 2023 coronation entry and moves 2030's spring bank holiday.
    let updated = calendar
        .with_update([
            added(d(2023, 5, 8), "Coronation"),
            removed(d(2030, 5, 27), "Spring bank holiday moved"),
            added(d(2030, 6, 3), "Spring bank holiday"),
        ])
        .unwrap();
    assert_eq!(
        updated.overrides().count(),
        calendar.overrides().count() + 2
    );
    assert!(updated.bank_holidays_in(2023).contains(&BankHoliday {
        date: d(2023, 5, 8),
        name: "Coronation".to_owned()
    }));
    assert!(!updated.is_bank_holiday(d(2030, 5, 27)));
    assert!(updated.is_working_day(d(2030, 5, 27)));
    assert!(updated.is_bank_holiday(d(2030, 6, 3)));
    // The rest of the built-in table still applies.
    assert!(updated.is_bank_holiday(d(2022, 9, 19)));
    assert!(!updated.is_bank_holiday(d(2022, 5, 30)));
    // A bad update changes nothing: the caller keeps its calendar.
    assert_eq!(
        updated.with_update([added(d(2030, 6, 8), "Saturday")]),
        Err(CalendarError::AddsWeekendDay(d(2030, 6, 8)))
    );
}

#[test]
fn the_wire_table_lists_every_override_oldest_first() {
    let calendar = Calendar::england_and_wales();
    let table = CalendarTable::from(calendar.clone());
    assert_eq!(table.overrides.len(), 17);
    assert_eq!(
        table.overrides.first(),
        Some(&removed(
            d(1995, 5, 1),
            "Early May bank holiday moved to VE Day"
        ))
    );
    assert_eq!(
        table.overrides.last(),
        Some(&added(d(2023, 5, 8), "Coronation of King Charles III"))
    );
    assert_eq!(Calendar::try_from(table), Ok(calendar));
}

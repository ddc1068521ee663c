//! Properties of the England & Wales calendar over many years: the rule always gives eight
//! weekday bank holidays, and the next working day is exactly that.

// Test helpers outside #[test] functions build fixed, valid dates.
#![allow(clippy::unwrap_used)]

use chrono::{Datelike, NaiveDate, Weekday};
use proptest::prelude::*;
use safeshare_core::rules::calendar::Calendar;

fn any_date() -> impl Strategy<Value = NaiveDate> {
    // 1 January 1980 to 31 December 2100.
    (0i64..44_194)
        .prop_map(|n| NaiveDate::from_ymd_opt(1980, 1, 1).unwrap() + chrono::Duration::days(n))
}

#[test]
fn the_rule_gives_eight_distinct_weekday_holidays_every_year() {
    let rule_only = Calendar::from_overrides(Vec::new()).unwrap();
    for year in 1978..=2200 {
        let holidays = rule_only.bank_holidays_in(year);
        assert_eq!(holidays.len(), 8, "{year}: {holidays:?}");
        for holiday in &holidays {
            assert!(
                !matches!(holiday.date.weekday(), Weekday::Sat | Weekday::Sun),
                "{year}: {holiday:?} at a weekend"
            );
            assert_eq!(holiday.date.year(), year);
        }
        let good_friday = holidays.iter().find(|h| h.name == "Good Friday").unwrap();
        assert_eq!(good_friday.date.weekday(), Weekday::Fri);
        let easter_monday = holidays.iter().find(|h| h.name == "Easter Monday").unwrap();
        assert_eq!(
            easter_monday.date - good_friday.date,
            chrono::Duration::days(3)
        );
    }
}

#[test]
fn christmas_at_a_weekend_is_substituted_on_the_following_weekdays() {
    let calendar = Calendar::england_and_wales();
    // 2027: Christmas Saturday, Boxing Day Sunday -> Monday 27 and Tuesday 28.
    let names: Vec<(u32, String)> = calendar
        .bank_holidays_in(2027)
        .into_iter()
        .filter(|h| h.date.month() == 12)
        .map(|h| (h.date.day(), h.name))
        .collect();
    assert_eq!(
        names,
        [
            (27, "Christmas Day (substitute day)".to_owned()),
            (28, "Boxing Day (substitute day)".to_owned())
        ]
    );
    // 2026: Christmas Friday, Boxing Day Saturday -> Monday 28.
    assert!(calendar.is_bank_holiday(NaiveDate::from_ymd_opt(2026, 12, 28).unwrap()));
    assert!(calendar.is_working_day(NaiveDate::from_ymd_opt(2026, 12, 29).unwrap()));
}

proptest! {
    #[test]
    fn a_working_day_is_a_weekday_that_is_not_a_bank_holiday(date in any_date()) {
        let calendar = Calendar::england_and_wales();
        let weekday = !matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        prop_assert_eq!(
            calendar.is_working_day(date),
            weekday && !calendar.is_bank_holiday(date)
        );
    }

    #[test]
    fn the_next_working_day_is_the_first_one_after(date in any_date()) {
        let calendar = Calendar::england_and_wales();
        let next = calendar.next_working_day(date).unwrap();
        prop_assert!(next > date);
        prop_assert!(calendar.is_working_day(next));
        // At most a long weekend plus Christmas and New Year lies between.
        prop_assert!(next - date <= chrono::Duration::days(5));
        let mut day = date.succ_opt().unwrap();
        while day < next {
            prop_assert!(!calendar.is_working_day(day));
            day = day.succ_opt().unwrap();
        }
    }
}

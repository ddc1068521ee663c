//! The England & Wales working calendar: which local dates are bank holidays and which are
//! working days.
//!
//! Owns: the bank-holiday rule for any year, the override table for one-off changes, and the
//! Europe/London time zone every other rule uses for "local".
//!
//! Invariants:
//! - A working day is Monday to Friday and not a bank holiday. Nothing else (no team rotas):
//!   working hours within the day live in [`super::working_time`].
//! - Bank holidays are computed by rule (New Year's Day, Good Friday, Easter Monday, early May,
//!   spring, summer, Christmas Day, Boxing Day; a holiday falling at a weekend moves to the next
//!   weekday not already a holiday) and then corrected by an override table. The rule is the
//!   one in force since 1978 (when the early May bank holiday began); earlier years are computed
//!   with the same rule and are not historically exact.
//! - The override table is plain data ([`BankHolidayOverride`]: date, added or removed, name) so
//!   the regional server can ship a new one when a one-off holiday is proclaimed. A table is
//!   validated when it is built or deserialised: one entry per date, a removal must remove a
//!   rule holiday, an addition must fall on a weekday (anything else is almost certainly a typo
//!   and would silently change nothing, or the wrong thing).
//!
//! Source: the Banking and Financial Dealings Act 1971 schedule and the royal proclamations
//! listed on GOV.UK's bank holidays page (England and Wales).

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The time zone of every local rule: working hours, working days and "today".
pub const LONDON: chrono_tz::Tz = chrono_tz::Europe::London;

/// Whether an override adds a bank holiday or removes one the rule would give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverrideKind {
    /// A one-off extra bank holiday (e.g. a state funeral).
    Added,
    /// A rule holiday that is not held this year (usually because it moved).
    Removed,
}

/// One entry of the override table: a one-off change to the rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BankHolidayOverride {
    /// The local date affected.
    pub date: NaiveDate,
    /// Added or removed.
    pub kind: OverrideKind,
    /// Why, for people reading the table (e.g. "Coronation of King Charles III").
    pub name: String,
}

/// A bank holiday as shown to a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankHoliday {
    /// The local date on which it is observed.
    pub date: NaiveDate,
    /// Its name, with "(substitute day)" when moved off a weekend.
    pub name: String,
}

/// Why an override table was refused. The calendar it would have replaced is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// Two entries in one table name the same date.
    #[error("the override table has more than one entry for {0}")]
    DuplicateOverride(NaiveDate),
    /// A removal names a date the rule does not make a bank holiday.
    #[error("the override table removes {0}, which is not a bank holiday by rule")]
    RemovesNonHoliday(NaiveDate),
    /// An addition falls on a Saturday or Sunday, where it would change nothing.
    #[error("the override table adds {0}, which is a weekend day")]
    AddsWeekendDay(NaiveDate),
}

/// The England & Wales bank-holiday calendar: the rule plus an override table.
///
/// Cheap to clone; the table is small. Serialises as `{"overrides": [...]}` so the store can
/// keep the server's latest table and the server can send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CalendarTable", into = "CalendarTable")]
pub struct Calendar {
    overrides: BTreeMap<NaiveDate, BankHolidayOverride>,
}

/// The wire and storage form of a [`Calendar`]: just its override table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarTable {
    /// One entry per date.
    pub overrides: Vec<BankHolidayOverride>,
}

impl TryFrom<CalendarTable> for Calendar {
    type Error = CalendarError;
    fn try_from(table: CalendarTable) -> Result<Self, Self::Error> {
        Calendar::from_overrides(table.overrides)
    }
}

impl From<Calendar> for CalendarTable {
    fn from(calendar: Calendar) -> Self {
        CalendarTable {
            overrides: calendar.overrides.into_values().collect(),
        }
    }
}

/// Builds a date in a `const` item: an impossible date fails the build, not the app.
const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("impossible date in the built-in override table"),
    }
}

/// One-off changes proclaimed so far (GOV.UK, England and Wales), oldest first.
const BUILT_IN_OVERRIDES: &[(NaiveDate, OverrideKind, &str)] = &[
    (
        ymd(1995, 5, 1),
        OverrideKind::Removed,
        "Early May bank holiday moved to VE Day",
    ),
    (
        ymd(1995, 5, 8),
        OverrideKind::Added,
        "Early May bank holiday (VE Day 50th anniversary)",
    ),
    (
        ymd(1999, 12, 31),
        OverrideKind::Added,
        "Millennium celebrations",
    ),
    (
        ymd(2002, 5, 27),
        OverrideKind::Removed,
        "Spring bank holiday moved to 4 June",
    ),
    (ymd(2002, 6, 3), OverrideKind::Added, "Golden Jubilee"),
    (ymd(2002, 6, 4), OverrideKind::Added, "Spring bank holiday"),
    (ymd(2011, 4, 29), OverrideKind::Added, "Royal wedding"),
    (
        ymd(2012, 5, 28),
        OverrideKind::Removed,
        "Spring bank holiday moved to 4 June",
    ),
    (ymd(2012, 6, 4), OverrideKind::Added, "Spring bank holiday"),
    (ymd(2012, 6, 5), OverrideKind::Added, "Diamond Jubilee"),
    (
        ymd(2020, 5, 4),
        OverrideKind::Removed,
        "Early May bank holiday moved to VE Day",
    ),
    (
        ymd(2020, 5, 8),
        OverrideKind::Added,
        "Early May bank holiday (VE Day 75th anniversary)",
    ),
    (
        ymd(2022, 5, 30),
        OverrideKind::Removed,
        "Spring bank holiday moved to 2 June",
    ),
    (ymd(2022, 6, 2), OverrideKind::Added, "Spring bank holiday"),
    (ymd(2022, 6, 3), OverrideKind::Added, "Platinum Jubilee"),
    (
        ymd(2022, 9, 19),
        OverrideKind::Added,
        "State funeral of Queen Elizabeth II",
    ),
    (
        ymd(2023, 5, 8),
        OverrideKind::Added,
        "Coronation of King Charles III",
    ),
];

impl Calendar {
    /// The England & Wales calendar with every one-off change proclaimed so far built in
    /// (including 2020-05-08 instead of 05-04; 2022-06-02 and 06-03 instead of 05-30;
    /// 2022-09-19; 2023-05-08).
    pub fn england_and_wales() -> Self {
        let overrides = BUILT_IN_OVERRIDES
            .iter()
            .map(|(date, kind, name)| {
                (
                    *date,
                    BankHolidayOverride {
                        date: *date,
                        kind: *kind,
                        name: (*name).to_owned(),
                    },
                )
            })
            .collect();
        Calendar { overrides }
    }

    /// The rule with exactly this override table (as the server ships it). Refuses a table
    /// with a duplicate date, a removal of a non-holiday or an addition on a weekend.
    pub fn from_overrides(
        overrides: impl IntoIterator<Item = BankHolidayOverride>,
    ) -> Result<Self, CalendarError> {
        let mut table = BTreeMap::new();
        for entry in overrides {
            validate_override(&entry)?;
            if table.insert(entry.date, entry.clone()).is_some() {
                return Err(CalendarError::DuplicateOverride(entry.date));
            }
        }
        Ok(Calendar { overrides: table })
    }

    /// This calendar with an update applied: an entry for a date already in the table replaces
    /// it (the server is the authority). The update is validated as a whole first; on error
    /// nothing changes and the caller keeps its calendar.
    pub fn with_update(
        &self,
        update: impl IntoIterator<Item = BankHolidayOverride>,
    ) -> Result<Self, CalendarError> {
        let update = Calendar::from_overrides(update)?;
        let mut overrides = self.overrides.clone();
        overrides.extend(update.overrides);
        Ok(Calendar { overrides })
    }

    /// The override table, oldest date first.
    pub fn overrides(&self) -> impl Iterator<Item = &BankHolidayOverride> {
        self.overrides.values()
    }

    /// Whether `date` (a local date) is an England & Wales bank holiday.
    pub fn is_bank_holiday(&self, date: NaiveDate) -> bool {
        match self.overrides.get(&date).map(|entry| entry.kind) {
            Some(OverrideKind::Added) => true,
            Some(OverrideKind::Removed) => false,
            None => rule_holidays(date.year())
                .iter()
                .any(|holiday| holiday.date == date),
        }
    }

    /// Whether `date` (a local date) is a working day: Monday to Friday, not a bank holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !is_weekend(date) && !self.is_bank_holiday(date)
    }

    /// The first working day strictly after `date`, or `None` if there is none within ten years
    /// (only possible with a corrupt table that adds every weekday).
    pub fn next_working_day(&self, date: NaiveDate) -> Option<NaiveDate> {
        let mut day = date;
        for _ in 0..3660 {
            day = day.succ_opt()?;
            if self.is_working_day(day) {
                return Some(day);
            }
        }
        None
    }

    /// Every bank holiday observed in `year`, in date order, overrides applied.
    pub fn bank_holidays_in(&self, year: i32) -> Vec<BankHoliday> {
        let mut holidays: BTreeMap<NaiveDate, String> = rule_holidays(year)
            .into_iter()
            .map(|holiday| (holiday.date, holiday.into_bank_holiday().name))
            .collect();
        for entry in self.overrides.values().filter(|e| e.date.year() == year) {
            match entry.kind {
                OverrideKind::Added => {
                    holidays.insert(entry.date, entry.name.clone());
                }
                OverrideKind::Removed => {
                    holidays.remove(&entry.date);
                }
            }
        }
        holidays
            .into_iter()
            .map(|(date, name)| BankHoliday { date, name })
            .collect()
    }
}

impl Default for Calendar {
    /// The England & Wales calendar with the built-in overrides.
    fn default() -> Self {
        Calendar::england_and_wales()
    }
}

fn validate_override(entry: &BankHolidayOverride) -> Result<(), CalendarError> {
    match entry.kind {
        OverrideKind::Added if is_weekend(entry.date) => {
            Err(CalendarError::AddsWeekendDay(entry.date))
        }
        OverrideKind::Removed
            if !rule_holidays(entry.date.year())
                .iter()
                .any(|holiday| holiday.date == entry.date) =>
        {
            Err(CalendarError::RemovesNonHoliday(entry.date))
        }
        _ => Ok(()),
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, also known as
/// Meeus/Jones/Butcher). `None` only for years chrono cannot represent.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// A holiday the rule gives, before overrides: no allocation, so the working-time arithmetic
/// can ask about every day it walks over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RuleHoliday {
    date: NaiveDate,
    name: &'static str,
    substitute: bool,
}

impl RuleHoliday {
    fn on(date: NaiveDate, name: &'static str) -> Self {
        RuleHoliday {
            date,
            name,
            substitute: false,
        }
    }

    fn into_bank_holiday(self) -> BankHoliday {
        BankHoliday {
            date: self.date,
            name: if self.substitute {
                format!("{} (substitute day)", self.name)
            } else {
                self.name.to_owned()
            },
        }
    }
}

/// The bank holidays the rule gives for `year`, before overrides. Empty for a year chrono
/// cannot represent (never a current date).
fn rule_holidays(year: i32) -> Vec<RuleHoliday> {
    let mut holidays = Vec::with_capacity(8);
    let fixed = |month, day| NaiveDate::from_ymd_opt(year, month, day);
    let (Some(new_year), Some(christmas), Some(boxing_day), Some(easter)) = (
        fixed(1, 1),
        fixed(12, 25),
        fixed(12, 26),
        easter_sunday(year),
    ) else {
        return holidays;
    };
    observe(
        &mut holidays,
        &[RuleHoliday::on(new_year, "New Year's Day")],
    );
    holidays.push(RuleHoliday::on(easter - Duration::days(2), "Good Friday"));
    holidays.push(RuleHoliday::on(easter + Duration::days(1), "Easter Monday"));
    if let Some(date) = NaiveDate::from_weekday_of_month_opt(year, 5, Weekday::Mon, 1) {
        holidays.push(RuleHoliday::on(date, "Early May bank holiday"));
    }
    if let Some(date) = last_monday_of(year, 5) {
        holidays.push(RuleHoliday::on(date, "Spring bank holiday"));
    }
    if let Some(date) = last_monday_of(year, 8) {
        holidays.push(RuleHoliday::on(date, "Summer bank holiday"));
    }
    observe(
        &mut holidays,
        &[
            RuleHoliday::on(christmas, "Christmas Day"),
            RuleHoliday::on(boxing_day, "Boxing Day"),
        ],
    );
    holidays
}

/// Places fixed-date holidays: one on a weekday stays on its date; one at a weekend moves to
/// the next weekday not already taken (so Christmas on a Saturday gives Monday 27 and Tuesday
/// 28, and Christmas on a Sunday gives Boxing Day on Monday 26 and Christmas on Tuesday 27).
fn observe(holidays: &mut Vec<RuleHoliday>, days: &[RuleHoliday]) {
    let first_new = holidays.len();
    holidays.extend(days.iter().filter(|d| !is_weekend(d.date)).copied());
    for holiday in days.iter().filter(|d| is_weekend(d.date)) {
        let mut day = holiday.date;
        while is_weekend(day)
            || holidays
                .get(first_new..)
                .is_some_and(|placed| placed.iter().any(|h| h.date == day))
        {
            day += Duration::days(1);
        }
        holidays.push(RuleHoliday {
            date: day,
            name: holiday.name,
            substitute: true,
        });
    }
}

fn last_monday_of(year: i32, month: u32) -> Option<NaiveDate> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = first_of_next.pred_opt()?;
    let back = last.weekday().num_days_from_monday();
    Some(last - Duration::days(i64::from(back)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn dates(calendar: &Calendar, year: i32) -> Vec<NaiveDate> {
        calendar
            .bank_holidays_in(year)
            .into_iter()
            .map(|h| h.date)
            .collect()
    }

    #[test]
    fn easter_sunday_matches_the_published_dates() {
        for (year, month, day) in [
            (2019, 4, 21),
            (2020, 4, 12),
            (2021, 4, 4),
            (2022, 4, 17),
            (2023, 4, 9),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2028, 4, 16),
            (2038, 4, 25),
            (2285, 3, 22),
        ] {
            assert_eq!(easter_sunday(year), Some(d(year, month, day)), "{year}");
        }
    }

    #[test]
    fn bank_holidays_2020_to_2027_match_gov_uk() {
        let calendar = Calendar::england_and_wales();
        let expected: &[(i32, &[(u32, u32)])] = &[
            (
                2020,
                &[
                    (1, 1),
                    (4, 10),
                    (4, 13),
                    (5, 8),
                    (5, 25),
                    (8, 31),
                    (12, 25),
                    (12, 28),
                ],
            ),
            (
                2021,
                &[
                    (1, 1),
                    (4, 2),
                    (4, 5),
                    (5, 3),
                    (5, 31),
                    (8, 30),
                    (12, 27),
                    (12, 28),
                ],
            ),
            (
                2022,
                &[
                    (1, 3),
                    (4, 15),
                    (4, 18),
                    (5, 2),
                    (6, 2),
                    (6, 3),
                    (8, 29),
                    (9, 19),
                    (12, 26),
                    (12, 27),
                ],
            ),
            (
                2023,
                &[
                    (1, 2),
                    (4, 7),
                    (4, 10),
                    (5, 1),
                    (5, 8),
                    (5, 29),
                    (8, 28),
                    (12, 25),
                    (12, 26),
                ],
            ),
            (
                2024,
                &[
                    (1, 1),
                    (3, 29),
                    (4, 1),
                    (5, 6),
                    (5, 27),
                    (8, 26),
                    (12, 25),
                    (12, 26),
                ],
            ),
            (
                2025,
                &[
                    (1, 1),
                    (4, 18),
                    (4, 21),
                    (5, 5),
                    (5, 26),
                    (8, 25),
                    (12, 25),
                    (12, 26),
                ],
            ),
            (
                2026,
                &[
                    (1, 1),
                    (4, 3),
                    (4, 6),
                    (5, 4),
                    (5, 25),
                    (8, 31),
                    (12, 25),
                    (12, 28),
                ],
            ),
            (
                2027,
                &[
                    (1, 1),
                    (3, 26),
                    (3, 29),
                    (5, 3),
                    (5, 31),
                    (8, 30),
                    (12, 27),
                    (12, 28),
                ],
            ),
        ];
        for (year, days) in expected {
            let want: Vec<NaiveDate> = days.iter().map(|(m, day)| d(*year, *m, *day)).collect();
            assert_eq!(dates(&calendar, *year), want, "{year}");
        }
    }

    #[test]
    fn christmas_on_a_sunday_keeps_boxing_day_on_the_26th() {
        let names: Vec<String> = Calendar::england_and_wales()
            .bank_holidays_in(2022)
            .into_iter()
            .filter(|h| h.date.month() == 12)
            .map(|h| h.name)
            .collect();
        assert_eq!(names, ["Boxing Day", "Christmas Day (substitute day)"]);
    }

    #[test]
    fn every_built_in_override_date_takes_effect() {
        let calendar = Calendar::england_and_wales();
        for added in [
            d(2020, 5, 8),
            d(2022, 6, 2),
            d(2022, 6, 3),
            d(2022, 9, 19),
            d(2023, 5, 8),
        ] {
            assert!(calendar.is_bank_holiday(added), "{added}");
            assert!(!calendar.is_working_day(added), "{added}");
        }
        for removed in [d(2020, 5, 4), d(2022, 5, 30)] {
            assert!(!calendar.is_bank_holiday(removed), "{removed}");
            assert!(calendar.is_working_day(removed), "{removed}");
        }
    }

    #[test]
    fn the_built_in_table_passes_the_same_validation_as_a_server_update() {
        let built_in = Calendar::england_and_wales();
        let revalidated = Calendar::from_overrides(built_in.overrides().cloned()).unwrap();
        assert_eq!(revalidated, built_in);
    }

    #[test]
    fn without_overrides_the_rule_alone_applies() {
        let rule_only = Calendar::from_overrides(Vec::new()).unwrap();
        assert!(rule_only.is_bank_holiday(d(2020, 5, 4)));
        assert!(!rule_only.is_bank_holiday(d(2020, 5, 8)));
    }

    #[test]
    fn last_monday_of_december_crosses_into_the_next_year_to_find_the_months_end() {
        // The rule asks only for May and August; December is the one month whose end is found
        // from the next year's first day.
        assert_eq!(last_monday_of(2026, 12), Some(d(2026, 12, 28)));
        assert_eq!(last_monday_of(2029, 12), Some(d(2029, 12, 31)));
        assert_eq!(last_monday_of(2026, 5), Some(d(2026, 5, 25)));
    }

    #[test]
    fn weekends_are_not_working_days_and_ordinary_weekdays_are() {
        let calendar = Calendar::england_and_wales();
        assert!(!calendar.is_working_day(d(2026, 11, 21)));
        assert!(!calendar.is_working_day(d(2026, 11, 22)));
        assert!(calendar.is_working_day(d(2026, 11, 23)));
        assert!(calendar.is_working_day(d(2028, 2, 29)));
    }

    #[test]
    fn next_working_day_skips_christmas_2027() {
        let calendar = Calendar::england_and_wales();
        assert_eq!(
            calendar.next_working_day(d(2027, 12, 24)),
            Some(d(2027, 12, 29))
        );
    }

    #[test]
    fn a_server_update_adds_a_new_one_off_holiday() {
        let calendar = Calendar::england_and_wales();
        let updated = calendar
            .with_update([BankHolidayOverride {
                date: d(2030, 6, 7),
                kind: OverrideKind::Added,
                name: "A one-off holiday".into(),
            }])
            .unwrap();
        assert!(updated.is_bank_holiday(d(2030, 6, 7)));
        assert!(!calendar.is_bank_holiday(d(2030, 6, 7)));
        assert!(updated.is_bank_holiday(d(2022, 9, 19)));
    }

    #[test]
    fn a_bad_override_table_is_a_typed_error() {
        let entry = |y, m, day, kind| BankHolidayOverride {
            date: d(y, m, day),
            kind,
            name: "x".into(),
        };
        assert_eq!(
            Calendar::from_overrides([entry(2030, 6, 8, OverrideKind::Added)]),
            Err(CalendarError::AddsWeekendDay(d(2030, 6, 8)))
        );
        assert_eq!(
            Calendar::from_overrides([entry(2030, 6, 7, OverrideKind::Removed)]),
            Err(CalendarError::RemovesNonHoliday(d(2030, 6, 7)))
        );
        assert_eq!(
            Calendar::from_overrides([
                entry(2030, 6, 7, OverrideKind::Added),
                entry(2030, 6, 7, OverrideKind::Added)
            ]),
            Err(CalendarError::DuplicateOverride(d(2030, 6, 7)))
        );
    }

    #[test]
    fn the_override_table_round_trips_through_json_and_is_validated_on_read() {
        let calendar = Calendar::england_and_wales();
        let json = serde_json::to_string(&calendar).unwrap();
        assert!(json.contains(
            r#"{"date":"2022-09-19","kind":"added","name":"State funeral of Queen Elizabeth II"}"#
        ));
        let back: Calendar = serde_json::from_str(&json).unwrap();
        assert_eq!(back, calendar);
        let bad = r#"{"overrides":[{"date":"2030-06-08","kind":"added","name":"x"}]}"#;
        assert!(serde_json::from_str::<Calendar>(bad).is_err());
    }
}

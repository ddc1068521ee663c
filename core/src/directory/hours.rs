//! Opening hours: a weekly schedule in Europe/London wall-clock time, with bank holidays.
//!
//! Owns: "is this team (or switchboard) open at this UTC instant?". Invariants:
//! - Times are London local wall-clock times, because that is how a team states its hours
//!   ("Monday to Friday 09:00-17:00") in both GMT and BST. An instant is converted to London
//!   time first, so 16:30 UTC in June (17:30 BST) is after a 17:00 close.
//! - A range opens at its first minute and is closed from its closing minute: 09:00-17:00 is
//!   open at 16:59 and closed at 17:00. "24:00" closes at the end of the day.
//! - A range never crosses midnight; an overnight service (an emergency duty team open
//!   17:00-09:00) is written as 17:00-24:00 on one day and 00:00-09:00 on the next, so each
//!   London date decides its own hours and a bank holiday is unambiguous.
//! - Bank holidays (England and Wales, from [`Calendar`]) are closed unless stated otherwise:
//!   the rule, and the safer default, since a number that rings out on a bank holiday
//!   wastes the minutes that matter.

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

use crate::rules::calendar::{Calendar, LONDON};

/// Minutes in a day: the closing minute written "24:00".
const END_OF_DAY: u16 = 24 * 60;

/// Day keys in the written form, Monday first (chrono's `num_days_from_monday` order).
const DAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Why a written schedule cannot be read.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum HoursError {
    /// Neither "24/7" nor an object of days.
    #[error(
        "opening hours must be \"24/7\" or an object such as {{\"weekdays\": [\"09:00-17:00\"]}}"
    )]
    BadShape,
    /// A key that is not a day, day group or "bank_holidays".
    #[error("'{0}' is not a day (mon..sun, weekdays, weekend, every_day) or bank_holidays")]
    UnknownKey(String),
    /// The same day set twice (e.g. by "weekdays" and "mon").
    #[error("{0} is given more than once")]
    DayGivenTwice(&'static str),
    /// A day's value is not a list of ranges or "closed".
    #[error("the hours for '{0}' must be a list of \"HH:MM-HH:MM\" ranges or \"closed\"")]
    BadDayValue(String),
    /// A range that is not "HH:MM-HH:MM" with valid times.
    #[error("'{0}' is not a time range \"HH:MM-HH:MM\" (00:00 to 24:00)")]
    BadRange(String),
    /// A range that ends before it starts.
    #[error(
        "'{0}' ends before it starts; write an overnight service as two ranges on consecutive days (17:00-24:00, then 00:00-09:00)"
    )]
    RangeNotForward(String),
    /// bank_holidays is not "closed", "as_usual" or a list of ranges.
    #[error("bank_holidays must be \"closed\", \"as_usual\" or a list of \"HH:MM-HH:MM\" ranges")]
    BadBankHolidays,
}

/// A span of one London day, `[opens, closes)` in minutes after midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeRange {
    opens: u16,
    closes: u16,
}

impl TimeRange {
    /// A range from `opens` to `closes` (minutes after midnight; `closes` up to 1440).
    pub fn new(opens: u16, closes: u16) -> Result<Self, HoursError> {
        let text = || format!("{}-{}", hhmm(opens), hhmm(closes));
        if closes > END_OF_DAY || opens >= END_OF_DAY {
            return Err(HoursError::BadRange(text()));
        }
        if opens >= closes {
            return Err(HoursError::RangeNotForward(text()));
        }
        Ok(Self { opens, closes })
    }

    /// The whole day, 00:00-24:00.
    pub fn whole_day() -> Self {
        Self {
            opens: 0,
            closes: END_OF_DAY,
        }
    }

    /// Reads "09:00-17:00"; any dash (an en dash "09:00–17:00" pasted from a document) and any
    /// space are read through the one normaliser (`rules::normalise`).
    pub fn parse(text: &str) -> Result<Self, HoursError> {
        let bad = || HoursError::BadRange(text.to_owned());
        let plain: String = crate::rules::normalise::words(text, false)
            .chars()
            .map(|c| {
                if crate::rules::normalise::is_dash(c) {
                    '-'
                } else {
                    c
                }
            })
            .collect();
        let (a, b) = plain.split_once('-').ok_or_else(bad)?;
        let opens = parse_hhmm(a.trim()).ok_or_else(bad)?;
        let closes = parse_hhmm(b.trim()).ok_or_else(bad)?;
        Self::new(opens, closes)
    }

    fn contains(&self, minute: u16) -> bool {
        self.opens <= minute && minute < self.closes
    }
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", hhmm(self.opens), hhmm(self.closes))
    }
}

fn parse_hhmm(s: &str) -> Option<u16> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return None;
    }
    Some(h * 60 + m)
}

fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// What a service does on a bank holiday.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BankHolidayHours {
    /// Closed all day (the default).
    Closed,
    /// The usual hours for that day of the week.
    AsUsual,
    /// These hours instead.
    Open(Vec<TimeRange>),
}

/// A weekly schedule in London time plus the bank-holiday rule. Serialises in the written
/// form documented in docs/directory-format.md ("24/7" or an object of days).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Value", into = "Value")]
pub struct OpeningHours {
    /// Monday first.
    days: [Vec<TimeRange>; 7],
    bank_holidays: BankHolidayHours,
}

impl OpeningHours {
    /// Open every minute of every day, bank holidays included (a 24/7 switchboard or ward).
    pub fn always() -> Self {
        Self {
            days: std::array::from_fn(|_| vec![TimeRange::whole_day()]),
            bank_holidays: BankHolidayHours::AsUsual,
        }
    }

    /// Never open (a team reachable only through its out-of-hours or switchboard numbers).
    pub fn never() -> Self {
        Self {
            days: std::array::from_fn(|_| Vec::new()),
            bank_holidays: BankHolidayHours::Closed,
        }
    }

    /// The same ranges Monday to Friday, closed at weekends and on bank holidays.
    pub fn weekdays(ranges: Vec<TimeRange>) -> Self {
        let mut days: [Vec<TimeRange>; 7] = std::array::from_fn(|_| Vec::new());
        for day in days.iter_mut().take(5) {
            day.clone_from(&ranges);
        }
        Self {
            days,
            bank_holidays: BankHolidayHours::Closed,
        }
    }

    /// Sets the hours of one day (0 = Monday .. 6 = Sunday; larger values are ignored).
    pub fn with_day(mut self, day_from_monday: usize, ranges: Vec<TimeRange>) -> Self {
        if let Some(day) = self.days.get_mut(day_from_monday) {
            *day = ranges;
        }
        self
    }

    /// Sets the bank-holiday rule.
    pub fn with_bank_holidays(mut self, rule: BankHolidayHours) -> Self {
        self.bank_holidays = rule;
        self
    }

    /// Whether the service is open at `at`, read in London wall-clock time, with bank
    /// holidays from `calendar`.
    pub fn is_open_at(&self, at: DateTime<Utc>, calendar: &Calendar) -> bool {
        let local = at.with_timezone(&LONDON);
        let date = local.date_naive();
        // Hour and minute are below 24 and 60, so the sum fits in u16.
        let minute = (local.hour() * 60 + local.minute()) as u16;
        let usual = self
            .days
            .get(date.weekday().num_days_from_monday() as usize)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let ranges: &[TimeRange] = if calendar.is_bank_holiday(date) {
            match &self.bank_holidays {
                BankHolidayHours::Closed => &[],
                BankHolidayHours::AsUsual => usual,
                BankHolidayHours::Open(r) => r,
            }
        } else {
            usual
        };
        ranges.iter().any(|r| r.contains(minute))
    }

    /// The hours in words for a contact card: "Mon-Fri 09:00-17:00; closed on bank holidays".
    /// Consecutive days with the same hours are grouped; closed days are left out.
    pub fn describe(&self) -> String {
        if self.is_always() {
            return "24 hours, every day".to_owned();
        }
        let mut parts = Vec::new();
        let mut start = 0;
        while start < self.days.len() {
            let mut end = start;
            while end + 1 < self.days.len() && self.days[end + 1] == self.days[start] {
                end += 1;
            }
            if !self.days[start].is_empty() {
                let days = if start == end {
                    SHORT_DAYS[start].to_owned()
                } else {
                    format!("{}-{}", SHORT_DAYS[start], SHORT_DAYS[end])
                };
                parts.push(format!("{days} {}", join_ranges(&self.days[start])));
            }
            start = end + 1;
        }
        if parts.is_empty() && self.bank_holidays == BankHolidayHours::Closed {
            return "no stated hours".to_owned();
        }
        parts.push(match &self.bank_holidays {
            BankHolidayHours::Closed => "closed on bank holidays".to_owned(),
            BankHolidayHours::AsUsual => "bank holidays as usual".to_owned(),
            BankHolidayHours::Open(r) => format!("bank holidays {}", join_ranges(r)),
        });
        parts.join("; ")
    }

    fn is_always(&self) -> bool {
        *self == Self::always()
    }

    /// Reads the written form: "24/7", or an object whose keys are days ("mon".."sun"),
    /// groups ("weekdays", "weekend", "every_day") and "bank_holidays". A day missing is
    /// closed; bank holidays are closed unless stated.
    pub fn from_value(value: &Value) -> Result<Self, HoursError> {
        match value {
            Value::String(s) if s.trim() == "24/7" => Ok(Self::always()),
            Value::Object(map) => Self::from_map(map),
            _ => Err(HoursError::BadShape),
        }
    }

    fn from_map(map: &Map<String, Value>) -> Result<Self, HoursError> {
        let mut days: [Option<Vec<TimeRange>>; 7] = std::array::from_fn(|_| None);
        let mut bank_holidays = BankHolidayHours::Closed;
        for (key, value) in map {
            let which: &[usize] = match key.as_str() {
                "mon" => &[0],
                "tue" => &[1],
                "wed" => &[2],
                "thu" => &[3],
                "fri" => &[4],
                "sat" => &[5],
                "sun" => &[6],
                "weekdays" => &[0, 1, 2, 3, 4],
                "weekend" => &[5, 6],
                "every_day" => &[0, 1, 2, 3, 4, 5, 6],
                "bank_holidays" => {
                    bank_holidays = match value {
                        Value::String(s) if s == "closed" => BankHolidayHours::Closed,
                        Value::String(s) if s == "as_usual" => BankHolidayHours::AsUsual,
                        Value::Array(_) => BankHolidayHours::Open(
                            ranges_from(value).map_err(|_| HoursError::BadBankHolidays)?,
                        ),
                        _ => return Err(HoursError::BadBankHolidays),
                    };
                    continue;
                }
                other => return Err(HoursError::UnknownKey(other.to_owned())),
            };
            let ranges = match value {
                Value::String(s) if s == "closed" => Vec::new(),
                Value::Array(_) => ranges_from(value)?,
                _ => return Err(HoursError::BadDayValue(key.clone())),
            };
            for &d in which {
                let slot = days.get_mut(d).ok_or(HoursError::BadShape)?;
                if slot.is_some() {
                    return Err(HoursError::DayGivenTwice(DAY_NAMES[d]));
                }
                *slot = Some(ranges.clone());
            }
        }
        Ok(Self {
            days: days.map(Option::unwrap_or_default),
            bank_holidays,
        })
    }

    /// The written form (see [`OpeningHours::from_value`]); every open day listed explicitly.
    pub fn to_value(&self) -> Value {
        if self.is_always() {
            return Value::String("24/7".to_owned());
        }
        let mut map = Map::new();
        for (key, ranges) in DAY_KEYS.iter().zip(&self.days) {
            if !ranges.is_empty() {
                map.insert((*key).to_owned(), ranges_to(ranges));
            }
        }
        let bh = match &self.bank_holidays {
            BankHolidayHours::Closed => Value::String("closed".to_owned()),
            BankHolidayHours::AsUsual => Value::String("as_usual".to_owned()),
            BankHolidayHours::Open(r) => ranges_to(r),
        };
        map.insert("bank_holidays".to_owned(), bh);
        Value::Object(map)
    }
}

const SHORT_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

fn join_ranges(ranges: &[TimeRange]) -> String {
    ranges
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

const DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn ranges_from(value: &Value) -> Result<Vec<TimeRange>, HoursError> {
    let items = value.as_array().ok_or(HoursError::BadShape)?;
    items
        .iter()
        .map(|item| match item {
            Value::String(s) => TimeRange::parse(s),
            other => Err(HoursError::BadRange(other.to_string())),
        })
        .collect()
}

fn ranges_to(ranges: &[TimeRange]) -> Value {
    Value::Array(
        ranges
            .iter()
            .map(|r| Value::String(r.to_string()))
            .collect(),
    )
}

impl TryFrom<Value> for OpeningHours {
    type Error = HoursError;
    fn try_from(value: Value) -> Result<Self, Self::Error> {
        Self::from_value(&value)
    }
}

impl From<OpeningHours> for Value {
    fn from(value: OpeningHours) -> Self {
        value.to_value()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    #[test]
    fn pasted_ranges_with_typographic_dashes_and_odd_spaces_are_read() {
        let want = TimeRange::new(9 * 60, 17 * 60).unwrap();
        for text in [
            "09:00-17:00",
            "09:00 - 17:00",
            "09:00\u{2013}17:00",
            "09:00 \u{2014} 17:00",
            "09:00\u{2212}17:00",
            "\u{200E}09:00\u{00A0}-\u{202F}17:00\u{FEFF}",
            "\u{2009}09:00\u{2010}17:00 ",
        ] {
            assert_eq!(TimeRange::parse(text).unwrap(), want, "{text:?}");
        }
        assert!(TimeRange::parse("09:00 17:00").is_err());
        assert!(TimeRange::parse("\u{200B}").is_err());
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn office() -> OpeningHours {
        OpeningHours::from_value(&json!({"weekdays": ["09:00-17:00"]})).unwrap()
    }

    #[test]
    fn open_at_16_59_closed_at_17_00_london_time_in_winter() {
        let cal = Calendar::england_and_wales();
        // Wednesday 2026-01-14, GMT: London time equals UTC.
        assert!(office().is_open_at(utc(2026, 1, 14, 16, 59), &cal));
        assert!(!office().is_open_at(utc(2026, 1, 14, 17, 0), &cal));
        assert!(!office().is_open_at(utc(2026, 1, 14, 8, 59), &cal));
        assert!(office().is_open_at(utc(2026, 1, 14, 9, 0), &cal));
    }

    #[test]
    fn in_summer_time_17_00_london_is_16_00_utc() {
        let cal = Calendar::england_and_wales();
        // Wednesday 2026-07-15, BST (UTC+1).
        assert!(office().is_open_at(utc(2026, 7, 15, 15, 59), &cal));
        assert!(!office().is_open_at(utc(2026, 7, 15, 16, 0), &cal));
        assert!(!office().is_open_at(utc(2026, 7, 15, 7, 59), &cal));
        assert!(office().is_open_at(utc(2026, 7, 15, 8, 0), &cal));
    }

    #[test]
    fn closed_on_a_bank_holiday_unless_stated() {
        let cal = Calendar::england_and_wales();
        // Monday 2026-05-25, spring bank holiday, 11:00 BST.
        let noon = utc(2026, 5, 25, 10, 0);
        assert!(!office().is_open_at(noon, &cal));
        let as_usual = office().with_bank_holidays(BankHolidayHours::AsUsual);
        assert!(as_usual.is_open_at(noon, &cal));
        let short = office().with_bank_holidays(BankHolidayHours::Open(vec![TimeRange::parse(
            "10:00-12:00",
        )
        .unwrap()]));
        assert!(short.is_open_at(noon, &cal));
        assert!(!short.is_open_at(utc(2026, 5, 25, 11, 0), &cal));
    }

    #[test]
    fn hours_in_words_group_days_and_name_bank_holidays() {
        assert_eq!(
            office().describe(),
            "Mon-Fri 09:00-17:00; closed on bank holidays"
        );
        assert_eq!(OpeningHours::always().describe(), "24 hours, every day");
        assert_eq!(OpeningHours::never().describe(), "no stated hours");
        let edt = OpeningHours::from_value(&json!({
            "weekdays": ["00:00-09:00", "17:00-24:00"],
            "weekend": ["00:00-24:00"],
            "bank_holidays": ["00:00-24:00"]
        }))
        .unwrap();
        assert_eq!(
            edt.describe(),
            "Mon-Fri 00:00-09:00, 17:00-24:00; Sat-Sun 00:00-24:00; bank holidays 00:00-24:00"
        );
        let odd = OpeningHours::from_value(
            &json!({"mon": ["09:00-17:00"], "wed": ["09:00-17:00"], "bank_holidays": "as_usual"}),
        )
        .unwrap();
        assert_eq!(
            odd.describe(),
            "Mon 09:00-17:00; Wed 09:00-17:00; bank holidays as usual"
        );
    }

    #[test]
    fn written_form_round_trips_and_rejects_mistakes() {
        let v =
            json!({"weekdays": ["09:00-17:00"], "sat": ["10:00-12:00"], "bank_holidays": "closed"});
        let h = OpeningHours::from_value(&v).unwrap();
        let back = OpeningHours::from_value(&h.to_value()).unwrap();
        assert_eq!(back, h);
        assert_eq!(
            OpeningHours::from_value(&json!("24/7")).unwrap(),
            OpeningHours::always()
        );
        assert_eq!(OpeningHours::always().to_value(), json!("24/7"));
        assert_eq!(
            OpeningHours::from_value(&json!({"weekdays": ["09:00-17:00"], "mon": "closed"})),
            Err(HoursError::DayGivenTwice("Monday"))
        );
        assert_eq!(
            OpeningHours::from_value(&json!({"weekdays": ["17:00-09:00"]})),
            Err(HoursError::RangeNotForward("17:00-09:00".into()))
        );
        assert_eq!(
            OpeningHours::from_value(&json!({"weekdays": ["9-5"]})),
            Err(HoursError::BadRange("9-5".into()))
        );
        assert_eq!(
            OpeningHours::from_value(&json!({"monday": ["09:00-17:00"]})),
            Err(HoursError::UnknownKey("monday".into()))
        );
        assert_eq!(
            OpeningHours::from_value(&json!({"weekdays": ["09:00-24:30"]})),
            Err(HoursError::BadRange("09:00-24:30".into()))
        );
        assert_eq!(
            OpeningHours::from_value(&json!({"bank_holidays": "sometimes"})),
            Err(HoursError::BadBankHolidays)
        );
        assert_eq!(
            OpeningHours::from_value(&json!(9)),
            Err(HoursError::BadShape)
        );
    }

    proptest::proptest! {
        /// Across every instant of 2025-2028 (both BST changes each year included), a 24/7
        /// schedule is always open, an empty one never, and a weekday schedule is never open
        /// on a London Saturday, Sunday or bank holiday.
        #[test]
        fn schedules_hold_at_any_instant(secs in 1_735_689_600i64..1_861_920_000i64) {
            let cal = Calendar::england_and_wales();
            let at = DateTime::from_timestamp(secs, 0).unwrap();
            proptest::prop_assert!(OpeningHours::always().is_open_at(at, &cal));
            proptest::prop_assert!(!OpeningHours::never().is_open_at(at, &cal));
            let local = at.with_timezone(&LONDON).date_naive();
            let weekend = local.weekday().num_days_from_monday() >= 5;
            if weekend || cal.is_bank_holiday(local) {
                proptest::prop_assert!(!office().is_open_at(at, &cal));
            }
        }
    }
}

//! Times as the screens show them: Europe/London wall-clock time, worded relative to the
//! instant the screen is built for ("today 17:00", "tomorrow 09:00").
//!
//! Owns only the wording. Every instant is stored in UTC; the conversion to London time is
//! chrono-tz's (through [`crate::rules::calendar::LONDON`]), so British Summer Time starts and
//! ends on the right Sundays without a rule of our own. Why here and not in the shells: Android
//! and iOS formatted times themselves (`EEE d MMM, HH:mm` on both, but with each platform's own
//! zone data and locale), and a due time is clinical information that must read the same on
//! every phone and be tested.
//!
//! Invariants:
//! - "today", "tomorrow" and "yesterday" are London calendar days, never 24-hour spans: a due
//!   time of 00:30 after a share sent at 23:30 is "tomorrow 00:30".
//! - In the autumn hour that happens twice (01:00-02:00 on the last Sunday of October) the
//!   wall-clock time alone is ambiguous, so the zone is named ("01:30 BST", "01:30 GMT").
//! - A day more than a week away, or in another year, is written in full with its year.

use crate::rules::calendar::LONDON;
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};

/// `instant` as a practitioner reads it on a screen built at `now`: "today 17:00",
/// "tomorrow 09:00", "yesterday 16:30", "Mon 30 Mar 10:00", or "Tue 24 Nov 2026 17:00" when
/// the year differs from `now`'s.
pub fn london_time(instant: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let local = instant.with_timezone(&LONDON);
    let today = now.with_timezone(&LONDON).date_naive();
    let date = local.date_naive();
    let clock = clock_time(instant);
    let day = match (date - today).num_days() {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        -1 => "yesterday".to_owned(),
        _ if date.year() == today.year() => local.format("%a %-d %b").to_string(),
        _ => local.format("%a %-d %b %Y").to_string(),
    };
    format!("{day} {clock}")
}

/// The London wall-clock time of `instant` ("17:00"), naming the zone in the autumn hour that
/// happens twice ("01:30 BST" then "01:30 GMT").
pub fn clock_time(instant: DateTime<Utc>) -> String {
    let local = instant.with_timezone(&LONDON);
    let ambiguous = LONDON
        .from_local_datetime(&local.naive_local())
        .single()
        .is_none();
    if ambiguous {
        local.format("%H:%M %Z").to_string()
    } else {
        local.format("%H:%M").to_string()
    }
}

/// The London date of `now` as a screen heading: "Tuesday 24 November 2026".
pub fn london_day_heading(now: DateTime<Utc>) -> String {
    now.with_timezone(&LONDON)
        .format("%A %-d %B %Y")
        .to_string()
}

/// The London calendar date of `instant` (what "today" means to the practitioner).
pub fn london_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&LONDON).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    #[test]
    fn a_summer_afternoon_is_shown_an_hour_ahead_of_utc() {
        let now = utc(2026, 7, 14, 9, 0);
        assert_eq!(london_time(utc(2026, 7, 14, 16, 0), now), "today 17:00");
    }

    #[test]
    fn relative_days_are_london_calendar_days() {
        // 23:30 London on Monday 23 November (GMT): due 00:30 is tomorrow, not today.
        let now = utc(2026, 11, 23, 23, 30);
        assert_eq!(london_time(utc(2026, 11, 24, 0, 30), now), "tomorrow 00:30");
        assert_eq!(
            london_time(utc(2026, 11, 22, 17, 0), now),
            "yesterday 17:00"
        );
        assert_eq!(
            london_time(utc(2026, 11, 26, 9, 0), now),
            "Thu 26 Nov 09:00"
        );
        assert_eq!(
            london_time(utc(2027, 1, 4, 9, 0), now),
            "Mon 4 Jan 2027 09:00"
        );
    }

    #[test]
    fn the_repeated_autumn_hour_names_its_zone() {
        // Sunday 25 October 2026: 01:30 BST is 00:30 UTC, 01:30 GMT is 01:30 UTC.
        assert_eq!(clock_time(utc(2026, 10, 25, 0, 30)), "01:30 BST");
        assert_eq!(clock_time(utc(2026, 10, 25, 1, 30)), "01:30 GMT");
        assert_eq!(clock_time(utc(2026, 10, 25, 2, 30)), "02:30");
    }

    #[test]
    fn the_day_heading_is_the_london_date() {
        // 23:30 UTC on 30 June is already 1 July in London.
        assert_eq!(
            london_day_heading(utc(2026, 6, 30, 23, 30)),
            "Wednesday 1 July 2026"
        );
    }
}

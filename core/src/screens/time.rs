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
//! - A day more than a week away (either way), or in another year, is written in full with
//!   its year.
//! - A time the practitioner types is read here too ([`read_london_time`]): one strict form
//!   (`YYYY-MM-DD HH:MM`, London wall-clock time), so no shell converts zones. A wall-clock
//!   time that London skips (the spring-forward hour) is refused, never moved; one London has
//!   twice (the autumn hour) is read as the earlier instant and says so
//!   (docs/clinical-decisions.md, "Typed London times").

use crate::rules::calendar::LONDON;
use chrono::{DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// `instant` as a practitioner reads it on a screen built at `now`: "today 17:00",
/// "tomorrow 09:00", "yesterday 16:30", "Mon 30 Mar 10:00" within a week either way, or
/// "Tue 24 Nov 2026 17:00" further away or when the year differs from `now`'s.
pub fn london_time(instant: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let local = instant.with_timezone(&LONDON);
    let today = now.with_timezone(&LONDON).date_naive();
    let date = local.date_naive();
    let clock = clock_time(instant);
    let days = (date - today).num_days();
    let day = match days {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        -1 => "yesterday".to_owned(),
        // Within a week the weekday and date cannot be mistaken; beyond it, "Mon 5 Jan" read
        // in December could be taken for the coming January, so the year is written.
        _ if date.year() == today.year() && days.abs() <= 7 => {
            local.format("%a %-d %b").to_string()
        }
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

/// A typed London wall-clock time, read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypedLondonTime {
    /// The instant (the earlier one when the wall-clock time happens twice).
    pub instant: DateTime<Utc>,
    /// Whether the wall-clock time happens twice that night (the autumn hour): the earlier
    /// reading was taken.
    pub ambiguous: bool,
}

/// Why a typed time could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypedTimeProblem {
    /// Not written `YYYY-MM-DD HH:MM`, or no such date or time of day.
    Malformed,
    /// A wall-clock time London skips when the clocks go forward (01:00-02:00 on the last
    /// Sunday of March) on `date`.
    Skipped {
        /// The date the clocks went forward.
        date: NaiveDate,
    },
}

impl TypedTimeProblem {
    /// The practitioner's words for the problem.
    pub fn words(self) -> String {
        match self {
            TypedTimeProblem::Malformed => {
                "Write the date and time as YYYY-MM-DD HH:MM, for example 2026-12-03 10:00."
                    .to_owned()
            }
            TypedTimeProblem::Skipped { date } => format!(
                "There is no such time on {} in London: the clocks go forward from 01:00 to \
                 02:00. Check the time.",
                date.format("%-d %b %Y")
            ),
        }
    }
}

/// Reads a London wall-clock date and time typed as `YYYY-MM-DD HH:MM` (a `T` between the two
/// is accepted; spaces around are ignored). Strict on purpose: four-digit year, two-digit
/// month, day, hour and minute, so "26-12-03" or "2026-12-3 9:00" is refused, not guessed.
/// A time in the spring-forward gap is refused ([`TypedTimeProblem::Skipped`]); in the autumn
/// hour the earlier instant is taken and `ambiguous` says so.
pub fn read_london_time(typed: &str) -> Result<TypedLondonTime, TypedTimeProblem> {
    let t = typed.trim();
    let shape_ok = t.len() == 16
        && t.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b' ' || b == b'T',
            13 => b == b':',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return Err(TypedTimeProblem::Malformed);
    }
    let normal = format!("{} {}", &t[..10], &t[11..]);
    let local = NaiveDateTime::parse_from_str(&normal, "%Y-%m-%d %H:%M")
        .map_err(|_| TypedTimeProblem::Malformed)?;
    match LONDON.from_local_datetime(&local) {
        LocalResult::Single(at) => Ok(TypedLondonTime {
            instant: at.with_timezone(&Utc),
            ambiguous: false,
        }),
        LocalResult::Ambiguous(earlier, later) => Ok(TypedLondonTime {
            instant: earlier.min(later).with_timezone(&Utc),
            ambiguous: true,
        }),
        LocalResult::None => Err(TypedTimeProblem::Skipped { date: local.date() }),
    }
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

    #[test]
    fn typed_times_are_london_wall_clock_times() {
        // Winter: London is UTC; summer: an hour ahead.
        let winter = read_london_time("2026-12-03 10:00").unwrap();
        assert_eq!(winter.instant, utc(2026, 12, 3, 10, 0));
        assert!(!winter.ambiguous);
        let summer = read_london_time(" 2026-07-14T17:00 ").unwrap();
        assert_eq!(summer.instant, utc(2026, 7, 14, 16, 0));
        // London midnight in summer is 23:00 UTC the day before.
        assert_eq!(
            read_london_time("2026-07-15 00:00").unwrap().instant,
            utc(2026, 7, 14, 23, 0)
        );
    }

    #[test]
    fn the_skipped_spring_hour_is_refused_and_the_repeated_autumn_hour_is_read_earlier() {
        assert_eq!(
            read_london_time("2026-03-29 01:30"),
            Err(TypedTimeProblem::Skipped {
                date: NaiveDate::from_ymd_opt(2026, 3, 29).unwrap()
            })
        );
        // Either side of the gap exists.
        assert_eq!(
            read_london_time("2026-03-29 00:59").unwrap().instant,
            utc(2026, 3, 29, 0, 59)
        );
        assert_eq!(
            read_london_time("2026-03-29 02:00").unwrap().instant,
            utc(2026, 3, 29, 1, 0)
        );
        let twice = read_london_time("2026-10-25 01:30").unwrap();
        assert!(twice.ambiguous);
        assert_eq!(
            twice.instant,
            utc(2026, 10, 25, 0, 30),
            "01:30 BST, the first"
        );
        assert!(!read_london_time("2026-10-25 02:00").unwrap().ambiguous);
    }

    #[test]
    fn anything_but_the_one_form_is_malformed() {
        for typed in [
            "",
            "2026-12-3 10:00",
            "26-12-03 10:00",
            "2026-12-03 10:00:00",
            "2026-12-03",
            "2026-02-30 10:00",
            "2026-12-03 24:00",
            "2026/12/03 10:00",
            "2026-12-03 1O:00",
            "+2026-12-03 10:0",
        ] {
            assert_eq!(
                read_london_time(typed),
                Err(TypedTimeProblem::Malformed),
                "{typed:?}"
            );
        }
    }
}

//! Working-time arithmetic: adding "working hours" or "working days" to a UTC instant.
//!
//! Owns: working hours (default 09:00-17:00 Europe/London, configurable), each working day's
//! window of them, and every deadline counted in working time (referral decisions, share
//! acknowledgements), so that all of them follow one rule.
//!
//! The rule. Only time inside working hours on a working day ([`Calendar::is_working_day`])
//! counts. One working day is the length of one day's working hours (8 hours by default).
//! Receipt outside working hours starts the count at the next working-hours start. So, with the
//! defaults: Monday 16:59 -> Tuesday 16:59; Monday 17:00 or 20:00 -> Tuesday 17:00; Monday 08:00
//! -> Monday 17:00; Friday 15:00 -> Monday 15:00 (Tuesday 15:00 when Monday is a bank holiday);
//! any time on Saturday -> Monday 17:00.
//!
//! Source: Working Together to Safeguard Children (HM Government, 2023), which expects the
//! local authority children's social care to decide on the response to a referral within one
//! working day of receiving it; the product brief (issue 4) fixes "one working day" as one day's
//! working hours of working time, as above.
//!
//! Decisions where the rule was open, each taken the safer way (earlier deadline):
//! - The working day is the half-open interval [start, end) for *receipt*: a referral received
//!   at exactly 17:00 has missed that day and counts from the next morning; one received at
//!   09:00 counts from 09:00.
//! - A *due time* may be exactly the end of a working day: when the allowance runs out at 17:00
//!   the due time is that 17:00 ("by close of business"), never the next morning's 09:00, which
//!   is the same amount of working time but later in real time. So a due time always lies in
//!   (start, end] of a working day: strictly after the start, at most the end.
//!
//! Invariants: every instant in and out is UTC; local dates and times are Europe/London and
//! are converted per day, so the BST changes (last Sunday of March and October) are handled by
//! the time-zone database, not by fixed offsets. Working time is measured as real elapsed time
//! inside each day's window. Nothing here reads the wall clock.

use super::calendar::{Calendar, LONDON};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// How far ahead the arithmetic will search for working time before giving up (ten years).
/// Only a corrupt calendar (every weekday a holiday) can reach it.
const SEARCH_LIMIT_DAYS: u32 = 3660;

/// Why a working-time calculation could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkingTimeError {
    /// Working hours must start before they end, on the same day.
    #[error("working hours must start before they end (got {start} to {end})")]
    HoursNotOrdered {
        /// The configured start.
        start: NaiveTime,
        /// The configured end.
        end: NaiveTime,
    },
    /// A deadline must allow some time; zero or negative allowances are refused.
    #[error("a time allowance must be positive")]
    NonPositiveAllowance,
    /// The allowance does not run out within ten years (a corrupt calendar with no working
    /// days, or an absurd allowance).
    #[error("the allowance does not run out within ten years of the start")]
    NoWorkingTimeAhead,
}

/// The local working hours of each working day, `[start, end)` for receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "WorkingHoursConfig", into = "WorkingHoursConfig")]
pub struct WorkingHours {
    start: NaiveTime,
    end: NaiveTime,
}

/// The wire and storage form of [`WorkingHours`], validated on read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingHoursConfig {
    /// Local start, e.g. 09:00.
    pub start: NaiveTime,
    /// Local end, e.g. 17:00.
    pub end: NaiveTime,
}

impl TryFrom<WorkingHoursConfig> for WorkingHours {
    type Error = WorkingTimeError;
    fn try_from(config: WorkingHoursConfig) -> Result<Self, Self::Error> {
        WorkingHours::new(config.start, config.end)
    }
}

impl From<WorkingHours> for WorkingHoursConfig {
    fn from(hours: WorkingHours) -> Self {
        WorkingHoursConfig {
            start: hours.start,
            end: hours.end,
        }
    }
}

impl WorkingHours {
    /// Working hours from `start` to `end` (local); `start` must be before `end`.
    pub fn new(start: NaiveTime, end: NaiveTime) -> Result<Self, WorkingTimeError> {
        if start < end {
            Ok(WorkingHours { start, end })
        } else {
            Err(WorkingTimeError::HoursNotOrdered { start, end })
        }
    }

    /// 09:00 to 17:00, the default.
    pub fn nine_to_five() -> Self {
        WorkingHours {
            start: NaiveTime::MIN + Duration::hours(9),
            end: NaiveTime::MIN + Duration::hours(17),
        }
    }

    /// The length of one working day (8 hours for 09:00-17:00).
    pub fn working_day(&self) -> Duration {
        self.end - self.start
    }
}

impl Default for WorkingHours {
    fn default() -> Self {
        WorkingHours::nine_to_five()
    }
}

/// An amount of time allowed for something, in one of the units the clinical rules use.
/// Stored as whole minutes or days so it serialises plainly for configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "unit", content = "amount")]
pub enum Allowance {
    /// Real elapsed minutes, counted round the clock (for immediate risk).
    ElapsedMinutes(u32),
    /// Minutes of working time.
    WorkingMinutes(u32),
    /// Working days, each one day's working hours of working time.
    WorkingDays(u32),
}

/// The calendar and working hours together: the one place deadlines are computed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WorkingTime {
    calendar: Calendar,
    hours: WorkingHours,
}

/// The local (Europe/London) date of an instant: what "today" means to a practitioner.
pub fn local_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&LONDON).date_naive()
}

/// A local wall-clock time as a UTC instant. In the autumn overlap (01:00-02:00 happens twice)
/// the earlier instant is taken (the safer, earlier reading). In the spring gap (01:00-02:00
/// does not exist) the time is read with the offset in force before the jump, i.e. moved
/// forward by the gap: 01:30 becomes 02:30 BST (01:30 UTC), as ECMAScript Temporal and RFC 5545
/// do. Neither case falls in working hours on a working day with any ordinary configuration,
/// since the clocks change at 01:00 UTC on a Sunday.
pub fn london_to_utc(local: NaiveDateTime) -> Option<DateTime<Utc>> {
    let mapped = LONDON.from_local_datetime(&local);
    match mapped.earliest() {
        Some(instant) => Some(instant.with_timezone(&Utc)),
        None => {
            // London's gap is one hour, so the same wall time an hour later exists.
            let later = LONDON
                .from_local_datetime(&(local + Duration::hours(1)))
                .earliest()?;
            Some(later.with_timezone(&Utc))
        }
    }
}

impl WorkingTime {
    /// A working-time rule over this calendar and these hours.
    pub fn new(calendar: Calendar, hours: WorkingHours) -> Self {
        WorkingTime { calendar, hours }
    }

    /// England & Wales bank holidays, 09:00-17:00.
    pub fn england_and_wales() -> Self {
        WorkingTime::default()
    }

    /// The calendar in use.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// The working-hours window of a local date as UTC instants `[start, end)`, or `None` when
    /// the date is not a working day.
    pub fn window_on(&self, date: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.calendar.is_working_day(date) {
            return None;
        }
        let start = london_to_utc(date.and_time(self.hours.start))?;
        let end = london_to_utc(date.and_time(self.hours.end))?;
        Some((start, end))
    }

    /// Whether `instant` is an acceptable due time: on a working day, strictly after the start
    /// of working hours and no later than their end (see the module docs on 17:00).
    pub fn is_due_time(&self, instant: DateTime<Utc>) -> bool {
        self.window_on(local_date(instant))
            .is_some_and(|(start, end)| start < instant && instant <= end)
    }

    /// The instant at which `duration` of working time has passed since `from`.
    pub fn add(
        &self,
        from: DateTime<Utc>,
        duration: Duration,
    ) -> Result<DateTime<Utc>, WorkingTimeError> {
        if duration <= Duration::zero() {
            return Err(WorkingTimeError::NonPositiveAllowance);
        }
        let mut remaining = duration;
        let mut date = local_date(from);
        for _ in 0..SEARCH_LIMIT_DAYS {
            if let Some((start, end)) = self.window_on(date) {
                let counted_from = start.max(from);
                if counted_from < end {
                    let available = end - counted_from;
                    if remaining <= available {
                        return Ok(counted_from + remaining);
                    }
                    remaining -= available;
                }
            }
            date = date
                .succ_opt()
                .ok_or(WorkingTimeError::NoWorkingTimeAhead)?;
        }
        Err(WorkingTimeError::NoWorkingTimeAhead)
    }

    /// The instant `days` working days after `from` (each one day's working hours).
    pub fn add_working_days(
        &self,
        from: DateTime<Utc>,
        days: u32,
    ) -> Result<DateTime<Utc>, WorkingTimeError> {
        let total = i32::try_from(days)
            .ok()
            .and_then(|days| self.hours.working_day().checked_mul(days))
            .ok_or(WorkingTimeError::NoWorkingTimeAhead)?;
        self.add(from, total)
    }

    /// The due instant for an allowance starting at `from`.
    pub fn due(
        &self,
        from: DateTime<Utc>,
        allowance: Allowance,
    ) -> Result<DateTime<Utc>, WorkingTimeError> {
        match allowance {
            Allowance::ElapsedMinutes(0)
            | Allowance::WorkingMinutes(0)
            | Allowance::WorkingDays(0) => Err(WorkingTimeError::NonPositiveAllowance),
            Allowance::ElapsedMinutes(minutes) => from
                .checked_add_signed(Duration::minutes(i64::from(minutes)))
                .ok_or(WorkingTimeError::NoWorkingTimeAhead),
            Allowance::WorkingMinutes(minutes) => {
                self.add(from, Duration::minutes(i64::from(minutes)))
            }
            Allowance::WorkingDays(days) => self.add_working_days(from, days),
        }
    }

    /// How much working time lies between `from` and `to` (zero when `to` is not after
    /// `from`): what is left of a working-time allowance.
    pub fn working_time_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        let mut total = Duration::zero();
        if to <= from {
            return total;
        }
        let last = local_date(to);
        let mut date = local_date(from);
        while date <= last {
            if let Some((start, end)) = self.window_on(date) {
                let lo = start.max(from);
                let hi = end.min(to);
                if lo < hi {
                    total += hi - lo;
                }
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        total
    }
}

/// A UTC instant as London local time.
pub fn in_london(instant: DateTime<Utc>) -> DateTime<Tz> {
    instant.with_timezone(&LONDON)
}

/// A due time as a practitioner reads it in prompts: "Tue 24 Nov 17:00" (London time). In the
/// autumn hour that happens twice the zone is named ("Sun 31 Oct 01:50 BST"): the wall-clock
/// time alone could be read an hour out, and Today shows these words beside its own "when".
pub fn describe_local(instant: DateTime<Utc>) -> String {
    let local = in_london(instant);
    let repeated = LONDON
        .from_local_datetime(&local.naive_local())
        .single()
        .is_none();
    if repeated {
        local.format("%a %-d %b %H:%M %Z").to_string()
    } else {
        local.format("%a %-d %b %H:%M").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn london(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        london_to_utc(
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(h, min, 0)
                .unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn working_hours_must_start_before_they_end() {
        let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        assert!(matches!(
            WorkingHours::new(nine, nine),
            Err(WorkingTimeError::HoursNotOrdered { .. })
        ));
        let bad = r#"{"start":"17:00:00","end":"09:00:00"}"#;
        assert!(serde_json::from_str::<WorkingHours>(bad).is_err());
    }

    #[test]
    fn summer_working_day_is_an_hour_earlier_in_utc() {
        let wt = WorkingTime::england_and_wales();
        let date = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        let (start, end) = wt.window_on(date).unwrap();
        assert_eq!(start.to_rfc3339(), "2026-07-01T08:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2026-07-01T16:00:00+00:00");
    }

    #[test]
    fn spring_gap_and_autumn_overlap_map_safely() {
        // 01:30 on 2026-03-29 does not exist in London (01:00 GMT jumps to 02:00 BST): it is
        // read as 02:30 BST.
        let gap = NaiveDate::from_ymd_opt(2026, 3, 29)
            .unwrap()
            .and_hms_opt(1, 30, 0)
            .unwrap();
        assert_eq!(
            london_to_utc(gap).unwrap().to_rfc3339(),
            "2026-03-29T01:30:00+00:00"
        );
        // 01:30 on 2026-10-25 happens twice: the earlier (BST) instant is taken.
        let overlap = NaiveDate::from_ymd_opt(2026, 10, 25)
            .unwrap()
            .and_hms_opt(1, 30, 0)
            .unwrap();
        assert_eq!(
            london_to_utc(overlap).unwrap().to_rfc3339(),
            "2026-10-25T00:30:00+00:00"
        );
    }

    #[test]
    fn zero_allowance_is_refused() {
        let wt = WorkingTime::england_and_wales();
        let from = london(2026, 11, 23, 10, 0);
        assert_eq!(
            wt.add(from, Duration::zero()),
            Err(WorkingTimeError::NonPositiveAllowance)
        );
        assert_eq!(
            wt.due(from, Allowance::WorkingDays(0)),
            Err(WorkingTimeError::NonPositiveAllowance)
        );
    }

    #[test]
    fn four_working_hours_from_late_afternoon_run_into_the_next_morning() {
        let wt = WorkingTime::england_and_wales();
        let due = wt
            .due(london(2026, 11, 23, 15, 0), Allowance::WorkingMinutes(240))
            .unwrap();
        assert_eq!(due, london(2026, 11, 24, 11, 0));
    }

    #[test]
    fn an_absurd_allowance_is_an_error_not_a_panic() {
        let wt = WorkingTime::england_and_wales();
        let from = london(2026, 11, 23, 10, 0);
        assert_eq!(
            wt.due(from, Allowance::WorkingDays(u32::MAX)),
            Err(WorkingTimeError::NoWorkingTimeAhead)
        );
        assert_eq!(
            wt.due(from, Allowance::WorkingDays(10_000)),
            Err(WorkingTimeError::NoWorkingTimeAhead)
        );
        assert!(wt.due(from, Allowance::ElapsedMinutes(u32::MAX)).is_ok());
    }

    #[test]
    fn elapsed_allowance_ignores_working_hours() {
        let wt = WorkingTime::england_and_wales();
        let due = wt
            .due(london(2026, 11, 28, 22, 30), Allowance::ElapsedMinutes(60))
            .unwrap();
        assert_eq!(due, london(2026, 11, 28, 23, 30));
    }

    #[test]
    fn working_time_between_counts_only_working_hours() {
        let wt = WorkingTime::england_and_wales();
        let friday = london(2026, 11, 27, 15, 0);
        let monday = london(2026, 11, 30, 10, 0);
        assert_eq!(wt.working_time_between(friday, monday), Duration::hours(3));
        assert_eq!(wt.working_time_between(monday, friday), Duration::zero());
    }

    #[test]
    fn is_due_time_excludes_the_start_and_closes_at_the_end() {
        let wt = WorkingTime::england_and_wales();
        assert!(!wt.is_due_time(london(2026, 11, 23, 9, 0)));
        assert!(wt.is_due_time(london(2026, 11, 23, 9, 1)));
        assert!(wt.is_due_time(london(2026, 11, 23, 17, 0)));
        assert!(!wt.is_due_time(london(2026, 11, 23, 17, 1)));
        assert!(!wt.is_due_time(london(2026, 11, 28, 12, 0)));
    }
}

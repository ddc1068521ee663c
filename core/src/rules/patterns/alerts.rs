//! Pattern alerts over a child's chronology, with configurable thresholds.
//!
//! Defaults (domain reference, from the regional briefing's call to record low-level concerns
//! over time and the health guidance on was-not-brought):
//! - 3 or more low-level concerns within 90 days;
//! - 2 or more was-not-brought within 6 months;
//! - any concern recorded after a referral about the child was not accepted.
//!
//! Semantics, chosen the louder way where the wording is open:
//! - "Within N days" means the first and last of the events fall on local (Europe/London) dates
//!   no more than N days apart (inclusive: exactly 90 days apart still fires). "Within N months"
//!   means the last falls on or before the first's date plus N calendar months.
//! - An alert fires when the count reaches the threshold (`>=`), never one below it.
//! - Each observation that completes (or extends) a pattern raises its own alert, keyed by
//!   pattern, child and that observation, so a pattern that grows after a dismissal is shown
//!   again; dismissing one alert never silences later evidence.
//! - "Any concern" means an observation of any severity; "after" includes the same instant.
//!
//! An alert suggests sharing or discussing in supervision. Showing and dismissing an alert are
//! recorded as [`AlertEvent`]s; a dismissal needs a reason.

use super::chronology::{ChronologyEntry, EntryKind};
use crate::model::{ConcernCategory, ObservationId, PersonId, PractitionerId, Severity};
use crate::rules::working_time::local_date;
use chrono::{DateTime, Duration, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Why thresholds or an alert record were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    /// A count threshold must be at least 1.
    #[error("a pattern threshold must count at least one event")]
    ZeroCount,
    /// Dismissing an alert needs a reason.
    #[error("dismissing a pattern alert needs a reason")]
    MissingReason,
}

/// A span of time for a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "unit", content = "amount")]
pub enum Window {
    /// Calendar days (local dates).
    Days(u32),
    /// Calendar months.
    Months(u32),
}

impl Window {
    /// Whether `last` falls within this window of `first` (both local dates).
    fn spans(self, first: NaiveDate, last: NaiveDate) -> bool {
        match self {
            Window::Days(days) => last - first <= Duration::days(i64::from(days)),
            Window::Months(months) => first
                .checked_add_months(Months::new(months))
                .is_none_or(|end| last <= end),
        }
    }
}

/// "At least `count` events within `window`".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CountWithin {
    /// How many events make the pattern.
    pub count: u32,
    /// Within what span.
    pub window: Window,
}

/// The configurable thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatternThresholds {
    /// Low-level concerns (default 3 within 90 days).
    pub low_level_concerns: CountWithin,
    /// Was-not-brought (default 2 within 6 months).
    pub was_not_brought: CountWithin,
    /// Alert on any concern after a referral was not accepted (default on).
    pub concern_after_not_accepted: bool,
}

impl Default for PatternThresholds {
    fn default() -> Self {
        PatternThresholds {
            low_level_concerns: CountWithin {
                count: 3,
                window: Window::Days(90),
            },
            was_not_brought: CountWithin {
                count: 2,
                window: Window::Months(6),
            },
            concern_after_not_accepted: true,
        }
    }
}

/// Which pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum PatternKind {
    /// Repeated low-level concerns.
    RepeatedLowLevelConcerns,
    /// Repeated was-not-brought.
    RepeatedWasNotBrought,
    /// A concern after a referral was not accepted.
    ConcernAfterReferralNotAccepted,
}

/// What identifies an alert, for recording it shown or dismissed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AlertKey {
    /// The pattern.
    pub kind: PatternKind,
    /// The child.
    pub child: PersonId,
    /// The observation that completed the pattern.
    pub completed_by: ObservationId,
}

/// A pattern found in a child's chronology.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatternAlert {
    /// Which alert.
    pub key: AlertKey,
    /// When the completing observation happened.
    pub at: DateTime<Utc>,
    /// The observations that make the pattern, oldest first.
    pub evidence: Vec<ObservationId>,
    /// What the practitioner is told.
    pub message: String,
}

/// A recorded act on an alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum AlertEvent {
    /// The alert was shown to a practitioner.
    Shown {
        /// Which alert.
        key: AlertKey,
        /// When.
        at: DateTime<Utc>,
        /// To whom.
        to: PractitionerId,
    },
    /// A practitioner dismissed the alert, with a reason.
    Dismissed {
        /// Which alert.
        key: AlertKey,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: PractitionerId,
        /// Why.
        reason: String,
    },
}

impl AlertEvent {
    /// Records that an alert was shown.
    pub fn shown(key: AlertKey, at: DateTime<Utc>, to: PractitionerId) -> Self {
        AlertEvent::Shown { key, at, to }
    }

    /// Records a dismissal; refused without a reason.
    pub fn dismissed(
        key: AlertKey,
        at: DateTime<Utc>,
        by: PractitionerId,
        reason: &str,
    ) -> Result<Self, PatternError> {
        if crate::rules::normalise::is_blank(reason) {
            return Err(PatternError::MissingReason);
        }
        Ok(AlertEvent::Dismissed {
            key,
            at,
            by,
            reason: reason.to_owned(),
        })
    }

    /// The alert this event is about.
    pub fn key(&self) -> AlertKey {
        match self {
            AlertEvent::Shown { key, .. } | AlertEvent::Dismissed { key, .. } => *key,
        }
    }
}

impl PatternThresholds {
    /// Refuses a zero count (which would fire on nothing).
    pub fn validate(&self) -> Result<(), PatternError> {
        if self.low_level_concerns.count == 0 || self.was_not_brought.count == 0 {
            return Err(PatternError::ZeroCount);
        }
        Ok(())
    }
}

/// Every pattern alert in one child's chronology (entries about other people are ignored),
/// oldest first. `entries` need not be sorted.
pub fn detect(
    entries: &[ChronologyEntry],
    child: PersonId,
    thresholds: &PatternThresholds,
) -> Result<Vec<PatternAlert>, PatternError> {
    thresholds.validate()?;
    let timeline = super::chronology::for_child(entries, child);
    let observations: Vec<Obs> = timeline
        .iter()
        .filter_map(|e| match &e.kind {
            EntryKind::Observation {
                id,
                category,
                severity,
            } => Some(Obs {
                id: *id,
                at: e.at,
                category,
                severity: *severity,
            }),
            _ => None,
        })
        .collect();

    let mut alerts = Vec::new();
    let low_level: Vec<&Obs> = observations
        .iter()
        .filter(|o| o.severity == Severity::LowLevelConcern)
        .collect();
    alerts.extend(count_within(
        &low_level,
        thresholds.low_level_concerns,
        PatternKind::RepeatedLowLevelConcerns,
        child,
    ));
    let was_not_brought: Vec<&Obs> = observations
        .iter()
        .filter(|o| *o.category == ConcernCategory::WasNotBrought)
        .collect();
    alerts.extend(count_within(
        &was_not_brought,
        thresholds.was_not_brought,
        PatternKind::RepeatedWasNotBrought,
        child,
    ));
    if thresholds.concern_after_not_accepted {
        let first_not_accepted = timeline.iter().find_map(|e| match e.kind {
            EntryKind::ReferralDecision {
                accepted: false, ..
            } => Some(e.at),
            _ => None,
        });
        if let Some(declined_at) = first_not_accepted {
            for obs in observations.iter().filter(|o| o.at >= declined_at) {
                alerts.push(PatternAlert {
                    key: AlertKey {
                        kind: PatternKind::ConcernAfterReferralNotAccepted,
                        child,
                        completed_by: obs.id,
                    },
                    at: obs.at,
                    evidence: vec![obs.id],
                    message: "A new concern has been recorded since a referral to children's \
                              social care was not accepted. Consider re-referring with this \
                              information, and discuss it in safeguarding supervision."
                        .to_owned(),
                });
            }
        }
    }
    alerts.sort_by_key(|a| (a.at, a.key.kind));
    Ok(alerts)
}

/// The alerts not yet dismissed.
pub fn outstanding(alerts: Vec<PatternAlert>, events: &[AlertEvent]) -> Vec<PatternAlert> {
    alerts
        .into_iter()
        .filter(|alert| {
            !events
                .iter()
                .any(|e| matches!(e, AlertEvent::Dismissed { key, .. } if *key == alert.key))
        })
        .collect()
}

struct Obs<'a> {
    id: ObservationId,
    at: DateTime<Utc>,
    category: &'a ConcernCategory,
    severity: Severity,
}

fn count_within(
    events: &[&Obs],
    threshold: CountWithin,
    kind: PatternKind,
    child: PersonId,
) -> Vec<PatternAlert> {
    let needed = usize::try_from(threshold.count).unwrap_or(usize::MAX);
    let mut alerts = Vec::new();
    for (last_index, last) in events.iter().enumerate() {
        let last_date = local_date(last.at);
        let evidence: Vec<ObservationId> = events
            .get(..=last_index)
            .unwrap_or_default()
            .iter()
            .filter(|earlier| threshold.window.spans(local_date(earlier.at), last_date))
            .map(|earlier| earlier.id)
            .collect();
        if evidence.len() >= needed {
            alerts.push(PatternAlert {
                key: AlertKey {
                    kind,
                    child,
                    completed_by: last.id,
                },
                at: last.at,
                message: message(kind, evidence.len(), threshold.window),
                evidence,
            });
        }
    }
    alerts
}

fn message(kind: PatternKind, count: usize, window: Window) -> String {
    let span = match window {
        Window::Days(n) => format!("{n} days"),
        Window::Months(n) => format!("{n} months"),
    };
    let what = match kind {
        PatternKind::RepeatedLowLevelConcerns => "low-level concerns",
        PatternKind::RepeatedWasNotBrought => "was-not-brought episodes",
        PatternKind::ConcernAfterReferralNotAccepted => "concerns",
    };
    format!(
        "{count} {what} within {span}. Together they may show a need for intervention: \
         consider sharing with the other professionals involved, and discuss in safeguarding \
         supervision."
    )
}

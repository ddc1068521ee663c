//! Looking back at a child's record: the pattern alerts still standing (with dismissal, which
//! needs a reason) and the history of one observation (every version, who amended it, when and
//! why). Issue 17 item 3: both were in core but unreachable from the shells.
//!
//! Owns the wording (London times, who did it) and the actions with whether each is enabled.
//! Which patterns stand is the pattern rule's ([`crate::rules::patterns`], through
//! [`Session::pattern_alerts`], which records each alert shown); the versions are the store's
//! ([`Session::observation_history`]). Nothing here decides either.
//!
//! Invariants, and why:
//! - A dismissal is shown with its reason, after the standing alerts: a dismissed pattern is
//!   still part of the child's record, and the next practitioner should see why it was set
//!   aside.
//! - Every version of an observation is listed, oldest first, with the reason for each
//!   amendment: a clinical record is never overwritten, and the screen must show that.
//! - No family detail on a button: the child is named in the title only.

use super::checklists::person_name;
use super::time::london_time;
use super::Tone;
use crate::app::{AppError, Session};
use crate::model::{Evidence, Observation, ObservationId, PersonId, PractitionerId};
use crate::rules::patterns::{AlertEvent, AlertKey};
use crate::store::RecordAction;

/// What the practitioner can do on the review screens.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ReviewActionKind {
    /// Dismiss a pattern alert; the shell asks for the reason (`Casework.dismiss_alert(key,
    /// reason)`).
    DismissAlert {
        /// The alert.
        key: AlertKey,
    },
    /// Open the history of an observation in the pattern (`Casework.observation_history_screen`).
    OpenObservation {
        /// The observation.
        observation: ObservationId,
    },
    /// Amend the observation; the shell asks for the corrected content and the reason
    /// (`Casework.amend_observation(observation, correction, reason)`).
    Amend {
        /// The observation.
        observation: ObservationId,
    },
    /// Close the observation with a reason (`Casework.close_observation(observation, reason)`).
    Close {
        /// The observation.
        observation: ObservationId,
    },
}

/// One action on a review screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReviewAction {
    /// What it does.
    pub kind: ReviewActionKind,
    /// What the button says.
    pub label: String,
    /// Whether it can be pressed now.
    pub enabled: bool,
    /// What the shell must ask for, or why it cannot be pressed.
    pub detail: Option<String>,
}

/// One standing pattern alert.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PatternAlertRow {
    /// Which alert (what dismissal names).
    pub key: AlertKey,
    /// What the practitioner is told (the rule's words).
    pub message: String,
    /// "Since today 10:40" (when the completing observation happened).
    pub since: String,
    /// "3 observations make this pattern".
    pub evidence: String,
    /// How loudly to show it.
    pub tone: Tone,
    /// "Dismiss with a reason", then each observation in the pattern.
    pub actions: Vec<ReviewAction>,
}

/// The pattern alerts about one child.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PatternAlertsScreen {
    /// "Patterns: Zebedee Quartermain".
    pub title: String,
    /// The alerts standing now.
    pub rows: Vec<PatternAlertRow>,
    /// Shown instead of the rows when none stands.
    pub empty: Option<String>,
    /// Earlier dismissals: "Dismissed today 11:00 by Midwife Ash: <reason>".
    pub dismissed: Vec<String>,
}

/// One version of an observation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ObservationVersionRow {
    /// From 1.
    pub version: u64,
    /// "Recorded today 10:00 by Midwife Ash", "Amended today 10:30 by Midwife Ash".
    pub heading: String,
    /// Why it was amended (none for the first version).
    pub reason: Option<String>,
    /// "Domestic abuse · Concern", the evidence, when observed, the description, and whether
    /// it is closed.
    pub lines: Vec<String>,
}

/// The history of one observation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ObservationHistoryScreen {
    /// The observation.
    pub observation: ObservationId,
    /// "Observation: Zebedee Quartermain".
    pub title: String,
    /// "Version 2 of 2" (the latest is what is shared and shown).
    pub status: String,
    /// Oldest first.
    pub versions: Vec<ObservationVersionRow>,
    /// "Amend", "Close" (disabled once closed).
    pub actions: Vec<ReviewAction>,
}

/// Who did something, as the review and chronology screens say it: this phone's practitioner
/// by name, anyone else as "a colleague".
pub(crate) fn by_words(session: &Session, by: PractitionerId) -> String {
    let identity = session.identity();
    if identity.practitioner == by {
        identity.practitioner_name
    } else {
        "a colleague".to_owned()
    }
}

fn evidence_words(evidence: &Evidence) -> String {
    match evidence {
        Evidence::ObservedFact => "Fact: seen or heard by the practitioner".to_owned(),
        Evidence::ReportedFact { source: Some(s) } => format!("Fact reported by {s}"),
        Evidence::ReportedFact { source: None } => "Fact reported (source not given)".to_owned(),
        Evidence::Opinion { basis: Some(b) } => format!("Professional opinion, based on {b}"),
        Evidence::Opinion { basis: None } => "Professional opinion (basis not given)".to_owned(),
    }
}

impl Session {
    /// The pattern alerts standing for `child` (each recorded as shown) and earlier dismissals.
    pub fn pattern_alerts_screen(&self, child: PersonId) -> Result<PatternAlertsScreen, AppError> {
        let now = self.now()?;
        let person = self.person(child)?;
        let alerts = self.pattern_alerts(child)?;
        let events = self.alert_events(child)?;
        let rows: Vec<PatternAlertRow> = alerts
            .into_iter()
            .map(|alert| {
                let mut actions = vec![ReviewAction {
                    kind: ReviewActionKind::DismissAlert { key: alert.key },
                    label: "Dismiss with a reason".to_owned(),
                    enabled: true,
                    detail: Some(
                        "Say why the pattern needs no action; a later concern raises it again."
                            .to_owned(),
                    ),
                }];
                actions.extend(
                    alert
                        .evidence
                        .iter()
                        .enumerate()
                        .map(|(i, o)| ReviewAction {
                            kind: ReviewActionKind::OpenObservation { observation: *o },
                            label: format!("Open observation {}", i + 1),
                            enabled: true,
                            detail: None,
                        }),
                );
                PatternAlertRow {
                    key: alert.key,
                    message: alert.message.clone(),
                    since: format!("Since {}", london_time(alert.at, now)),
                    evidence: format!("{} observation(s) make this pattern", alert.evidence.len()),
                    tone: Tone::ActionNeeded,
                    actions,
                }
            })
            .collect();
        let dismissed = events
            .iter()
            .filter_map(|e| match e {
                AlertEvent::Dismissed { at, by, reason, .. } => Some(format!(
                    "Dismissed {} by {}: {reason}",
                    london_time(*at, now),
                    by_words(self, *by)
                )),
                _ => None,
            })
            .collect();
        Ok(PatternAlertsScreen {
            title: format!("Patterns: {}", person_name(&person)),
            empty: rows
                .is_empty()
                .then(|| "No pattern stands in this child's record.".to_owned()),
            rows,
            dismissed,
        })
    }

    /// Every version of an observation, oldest first, with who changed it, when and why, and
    /// amending or closing it.
    pub fn observation_history_screen(
        &self,
        id: ObservationId,
    ) -> Result<ObservationHistoryScreen, AppError> {
        let now = self.now()?;
        let history = self.observation_history(id)?;
        let latest: Option<&Observation> = history.iter().rev().find_map(|v| v.body.as_ref());
        let Some(latest) = latest else {
            return Err(AppError::not_found("observation", id));
        };
        let person = self.person(latest.about)?;
        let open = latest.is_open();
        let versions: Vec<ObservationVersionRow> = history
            .iter()
            .map(|v| {
                let verb = match v.action {
                    RecordAction::Create => "Recorded",
                    RecordAction::Amend => "Amended",
                    RecordAction::Delete => "Deleted",
                };
                let mut lines = Vec::new();
                if let Some(o) = &v.body {
                    lines.push(format!("{} · {}", o.category.label(), o.severity.label()));
                    lines.push(evidence_words(&o.evidence));
                    lines.push(format!("Observed {}", london_time(o.observed_at, now)));
                    lines.push(o.description.clone());
                    if let Some(closed) = &o.closed {
                        lines.push(format!(
                            "Closed {}: {}",
                            london_time(closed.at, now),
                            closed.reason
                        ));
                    }
                }
                ObservationVersionRow {
                    version: v.version,
                    heading: format!(
                        "{verb} {} by {}",
                        london_time(v.recorded_at, now),
                        by_words(self, v.author)
                    ),
                    reason: v.reason.clone(),
                    lines,
                }
            })
            .collect();
        let mut close = ReviewAction {
            kind: ReviewActionKind::Close { observation: id },
            label: "Close".to_owned(),
            enabled: open,
            detail: Some("Say why it is resolved; it stays in the history.".to_owned()),
        };
        if !open {
            close.detail = Some("Already closed.".to_owned());
        }
        Ok(ObservationHistoryScreen {
            observation: id,
            title: format!("Observation: {}", person_name(&person)),
            status: format!(
                "Version {} of {}",
                history.last().map_or(0, |v| v.version),
                history.len()
            ),
            versions,
            actions: vec![
                ReviewAction {
                    kind: ReviewActionKind::Amend { observation: id },
                    label: "Amend".to_owned(),
                    enabled: true,
                    detail: Some(
                        "Correct it and say why: the earlier version stays in the history."
                            .to_owned(),
                    ),
                },
                close,
            ],
        })
    }
}

//! The Sync screen: where sync stands, in words.
//!
//! Owns the wording of the sync status (headline, the lines under it, each rejected and each
//! unreadable item) and the actions "Send now", "Enrol" / "Re-enrol" and "Discard" for a
//! rejected item. The status itself is the sync client's ([`crate::sync::client::SyncStatus`]):
//! its one rule, never "everything is sent" while anything waits or was refused, is kept by
//! wording only [`SyncSummary::AllSynced`] that way.
//!
//! Where the shells differed (Android showed the last error and the unreadable items, iOS
//! showed neither), the louder reading is taken: both are shown (docs/clinical-decisions.md,
//! "Screens").

use super::time::london_time;
use super::Tone;
use crate::app::{AppError, Session};
use crate::sync::client::{SyncStatus, SyncSummary};
use crate::sync::{EnvelopeId, EnvelopeKind};
use chrono::{DateTime, Utc};

/// What the practitioner can do on the Sync screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SyncActionKind {
    /// Send and fetch now (`Sync.sync_now`, or the shell's background job).
    SendNow,
    /// Enrol (or re-enrol) with the one-time code typed into the enrolment field.
    Enrol,
    /// Discard a rejected item, with the practitioner's reason (`Sync.discard_rejected`).
    DiscardRejected {
        /// The rejected envelope.
        envelope: EnvelopeId,
    },
}

/// One action on the Sync screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncAction {
    /// What it does.
    pub kind: SyncActionKind,
    /// What the button says.
    pub label: String,
    /// Whether it can be pressed now.
    pub enabled: bool,
    /// Why not, when it cannot; or what it needs (a reason, a code).
    pub detail: Option<String>,
}

/// One line or item on the Sync screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncRow {
    /// How loudly to show it.
    pub tone: Tone,
    /// The line.
    pub text: String,
    /// More about it, if any.
    pub detail: Option<String>,
    /// What can be done about it.
    pub actions: Vec<SyncAction>,
}

/// The Sync screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncScreen {
    /// "Sync".
    pub title: String,
    /// The sync client's headline state (for the shell's icon).
    pub summary: SyncSummary,
    /// How loudly to show the headline.
    pub tone: Tone,
    /// The headline in words.
    pub headline: String,
    /// What to tell the practitioner beyond the headline (re-enrolment, a server restore).
    pub notice: Option<String>,
    /// Waiting, last sent, last problem, next try.
    pub lines: Vec<SyncRow>,
    /// Each item the server did not accept, with "Discard".
    pub rejected: Vec<SyncRow>,
    /// Each item received that could not be read.
    pub unreadable: Vec<SyncRow>,
    /// The label of the enrolment code field.
    pub enrolment_code_label: String,
    /// "Send now" and "Enrol".
    pub actions: Vec<SyncAction>,
}

impl Session {
    /// The Sync screen at the session clock's instant.
    pub fn sync_screen(&self) -> Result<SyncScreen, AppError> {
        let now = self.now()?;
        Ok(SyncScreen::from_status(&self.sync_status()?, now))
    }
}

fn items(n: u64) -> String {
    match n {
        1 => "1 item".to_owned(),
        n => format!("{n} items"),
    }
}

/// A sync failure's stable code ([`crate::sync::client::SyncError::code`]) in words.
fn problem_words(code: &str) -> String {
    match code {
        "network" => "no connection. Everything is kept on this phone and sent later.".to_owned(),
        "server" | "bad_response" => {
            "the regional server had a problem. It will be tried again.".to_owned()
        }
        "untrusted_server" | "insecure_server_url" | "no_region_trust" => {
            "the sync server is not trusted, so nothing was sent. Tell your IT service desk."
                .to_owned()
        }
        "clock_skew" => "this phone's clock is too far from the server's. Check the phone's date \
                         and time."
            .to_owned(),
        "busy" => "a sync was already running.".to_owned(),
        "unknown_device" => "the regional server no longer knows this phone.".to_owned(),
        "not_enrolled" => "this phone is not enrolled.".to_owned(),
        other => format!("sync failed ({other}). It will be tried again."),
    }
}

fn kind_words(kind: EnvelopeKind) -> &'static str {
    match kind {
        EnvelopeKind::Share => "a share",
        EnvelopeKind::Acknowledgement => "an acknowledgement",
        EnvelopeKind::Referral => "a referral",
        EnvelopeKind::ReferralDecision => "a referral decision",
        EnvelopeKind::EscalationStep => "an escalation step",
        EnvelopeKind::CallRecord => "a call record",
    }
}

fn row(tone: Tone, text: String, detail: Option<String>) -> SyncRow {
    SyncRow {
        tone,
        text,
        detail,
        actions: Vec::new(),
    }
}

impl SyncScreen {
    /// Words `status` for a screen built at `now`.
    pub fn from_status(status: &SyncStatus, now: DateTime<Utc>) -> Self {
        let (tone, headline) = match status.summary {
            SyncSummary::NotEnrolled => (
                Tone::ActionNeeded,
                "This phone is not enrolled yet. Enter the code from your administrator."
                    .to_owned(),
            ),
            SyncSummary::AllSynced => (Tone::Done, "Everything is sent.".to_owned()),
            SyncSummary::Waiting if status.pending > 0 => (
                Tone::Waiting,
                format!(
                    "{} waiting to be sent. Safe on this phone.",
                    items(status.pending)
                ),
            ),
            SyncSummary::Waiting => (
                Tone::Waiting,
                "Not synced yet. Nothing is waiting to be sent.".to_owned(),
            ),
            SyncSummary::NeedsAttention => (
                Tone::ActionNeeded,
                "Needs your attention: the server did not accept something, or something \
                 received could not be read."
                    .to_owned(),
            ),
            SyncSummary::NeedsReenrolment => (
                Tone::ActionNeeded,
                "This phone needs re-enrolment.".to_owned(),
            ),
        };

        let mut lines = vec![row(
            if status.pending > 0 {
                Tone::Waiting
            } else {
                Tone::Done
            },
            match status.pending {
                0 => "Nothing waiting to be sent".to_owned(),
                n => format!("{} waiting to be sent", items(n)),
            },
            None,
        )];
        lines.push(row(
            Tone::Done,
            match status.last_success {
                Some(at) => format!("Last sent {}", london_time(at, now)),
                None => "Not sent yet".to_owned(),
            },
            None,
        ));
        if let Some(code) = &status.last_error {
            let when = status
                .last_attempt
                .map(|at| format!(" {}", london_time(at, now)))
                .unwrap_or_default();
            lines.push(row(
                Tone::ActionNeeded,
                format!("Last attempt{when} failed: {}", problem_words(code)),
                None,
            ));
        }
        if let Some(next) = status.next_attempt_not_before.filter(|at| *at > now) {
            lines.push(row(
                Tone::Waiting,
                format!("Next automatic try after {}", london_time(next, now)),
                None,
            ));
        }

        let rejected = status
            .rejected
            .iter()
            .map(|item| SyncRow {
                tone: Tone::ActionNeeded,
                text: format!("Not accepted by the server: {}", kind_words(item.kind)),
                detail: Some(format!(
                    "{} (captured {})",
                    item.reason,
                    london_time(item.captured_at, now)
                )),
                actions: vec![SyncAction {
                    kind: SyncActionKind::DiscardRejected { envelope: item.id },
                    label: "Discard with a reason".to_owned(),
                    enabled: true,
                    detail: Some("It stays on this phone until you discard it.".to_owned()),
                }],
            })
            .collect();

        let unreadable = status
            .unreadable
            .iter()
            .map(|item| {
                let detail = match item.header.as_ref() {
                    Some(header) if header.answered_at.is_some() => format!(
                        "{} (received {}). Someone has acknowledged it since.",
                        item.reason,
                        london_time(item.pulled_at, now)
                    ),
                    Some(header) => match header.due_at {
                        Some(due) => format!(
                            "{} (received {}). An answer is due {}.",
                            item.reason,
                            london_time(item.pulled_at, now),
                            london_time(due, now)
                        ),
                        None => format!(
                            "{} (received {})",
                            item.reason,
                            london_time(item.pulled_at, now)
                        ),
                    },
                    None => format!(
                        "{} (received {})",
                        item.reason,
                        london_time(item.pulled_at, now)
                    ),
                };
                row(
                    if item.needs_attention() {
                        Tone::ActionNeeded
                    } else {
                        Tone::Done
                    },
                    match item.header.as_ref() {
                        Some(header) => format!(
                            "Received but could not be read: {}",
                            kind_words(header.kind)
                        ),
                        None => "Received but could not be read".to_owned(),
                    },
                    Some(detail),
                )
            })
            .collect();

        let enrolled = !matches!(status.summary, SyncSummary::NotEnrolled);
        let reenrol = matches!(status.summary, SyncSummary::NeedsReenrolment);
        let send_blocked = if !enrolled {
            Some("Enrol this phone first.".to_owned())
        } else if reenrol {
            Some("Re-enrol this phone first: the server no longer knows it.".to_owned())
        } else {
            None
        };
        let actions = vec![
            SyncAction {
                kind: SyncActionKind::SendNow,
                label: "Send now".to_owned(),
                enabled: send_blocked.is_none(),
                detail: send_blocked,
            },
            SyncAction {
                kind: SyncActionKind::Enrol,
                label: if enrolled {
                    "Re-enrol this phone"
                } else {
                    "Enrol this phone"
                }
                .to_owned(),
                enabled: true,
                detail: Some("Needs the one-time code from your administrator.".to_owned()),
            },
        ];

        SyncScreen {
            title: "Sync".to_owned(),
            summary: status.summary,
            tone,
            headline,
            notice: status.notice(),
            lines,
            rejected,
            unreadable,
            enrolment_code_label: "Enrolment code".to_owned(),
            actions,
        }
    }
}

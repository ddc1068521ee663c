//! The "Shares I sent" screen: each share's state now, the read-backs, and the sender's check.
//!
//! Owns the wording of each sent share's state and read-backs and the actions: confirm the
//! read-back, flag it as over- or under-emphasised (the shell asks what to correct), and call
//! the team. The state is the acknowledgement rule's ([`ShareRecord::status`]) at the screen's
//! instant; the number is the directory's choice then.
//!
//! Where the shells differed, the louder reading (docs/clinical-decisions.md, "Screens"):
//! - a misunderstood read-back offers "Call" (Android did, iOS did not): the rule asks the
//!   sender to phone and correct it;
//! - an immediate-risk share still awaiting acknowledgement offers "Call" too (neither shell
//!   did, but the rule's advice for immediate risk is "phone now, not only send");
//! - a flagged read-back can be confirmed again after the corrective call (the rule lets a
//!   later check replace an earlier one), so "Confirm after your call" is offered beside it.

use super::time::london_time;
use super::{call_words, Tone};
use crate::app::{AppError, Session, ShareDirection, StoredShare};
use crate::model::{Severity, ShareId, TeamId};
use crate::rules::acknowledgement::{Acknowledgement, ShareStatus};
use chrono::{DateTime, Utc};

/// What the sender can do with a share they sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SentShareActionKind {
    /// The read-back matches what was meant (`Shares.check_read_back(share, Confirmed)`).
    ConfirmReadBack {
        /// The share.
        share: ShareId,
    },
    /// They made more of it than was meant; the shell asks what to correct
    /// (`check_read_back(share, OverEmphasised(text))`).
    FlagOverEmphasised {
        /// The share.
        share: ShareId,
    },
    /// They made less of it than was meant; the shell asks what to correct
    /// (`check_read_back(share, UnderEmphasised(text))`).
    FlagUnderEmphasised {
        /// The share.
        share: ShareId,
    },
    /// Phone the team (`Contacts.start_call(team, Some(share), None)`).
    Call {
        /// The team the share went to.
        team: TeamId,
        /// The share the call is about.
        share: ShareId,
    },
}

/// One action on a sent share.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SentShareAction {
    /// What it does.
    pub kind: SentShareActionKind,
    /// What the button says.
    pub label: String,
    /// Whether it can be pressed now.
    pub enabled: bool,
    /// The line under it: why this number, what the shell must ask for, or why not.
    pub detail: Option<String>,
}

/// One share the practitioner sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SentShareRow {
    /// The share.
    pub share: ShareId,
    /// "East health visiting · concern".
    pub title: String,
    /// "Sent today 10:30".
    pub sent: String,
    /// How loudly to show the state.
    pub tone: Tone,
    /// The state in words, with its time in London time.
    pub status: String,
    /// Each read-back received, the one that closed the share first: who it was from, when,
    /// and what they understood.
    pub read_backs: Vec<String>,
    /// What can be done now.
    pub actions: Vec<SentShareAction>,
}

/// The "Shares I sent" screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SharesSentScreen {
    /// "Shares I sent".
    pub title: String,
    /// Oldest first.
    pub rows: Vec<SentShareRow>,
    /// Shown instead of the rows when there are none.
    pub empty: Option<String>,
}

impl Session {
    /// The shares this practitioner sent, each worded at the session clock's instant.
    pub fn shares_sent_screen(&self) -> Result<SharesSentScreen, AppError> {
        let now = self.now()?;
        let directory = self.directory();
        let calendar = self.rules().calendar();
        let mut rows = Vec::new();
        for stored in self
            .all_shares()?
            .into_iter()
            .filter(|s| s.direction == ShareDirection::Outgoing)
        {
            let status = stored.record.status(
                self.rules(),
                &self.config().attention.acknowledgement,
                now,
            )?;
            let call = |team: TeamId, share: ShareId, name: &str| {
                let words = call_words(&directory, team, Some(name), now, calendar);
                SentShareAction {
                    kind: SentShareActionKind::Call { team, share },
                    label: words.label,
                    enabled: words.enabled,
                    detail: words.detail,
                }
            };
            rows.push(row(&stored, &status, now, call));
        }
        Ok(SharesSentScreen {
            title: "Shares I sent".to_owned(),
            empty: rows
                .is_empty()
                .then(|| "You have not shared anything from this phone.".to_owned()),
            rows,
        })
    }
}

fn read_back_line(stored: &StoredShare, ack: &Acknowledgement, now: DateTime<Utc>) -> String {
    let from = match stored.acknowledger_name(ack.by) {
        Some(name) if !name.is_empty() => name.to_owned(),
        _ => stored.record.share.team_name.clone(),
    };
    format!(
        "{from} ({}) understood: who: {}; the risk: {}; next: {}",
        london_time(ack.at, now),
        ack.read_back.who,
        ack.read_back.risk,
        ack.read_back.next_action
    )
}

fn action(kind: SentShareActionKind, label: &str, detail: Option<&str>) -> SentShareAction {
    SentShareAction {
        kind,
        label: label.to_owned(),
        enabled: true,
        detail: detail.map(str::to_owned),
    }
}

fn row(
    stored: &StoredShare,
    status: &ShareStatus,
    now: DateTime<Utc>,
    call: impl Fn(TeamId, ShareId, &str) -> SentShareAction,
) -> SentShareRow {
    let share = &stored.record.share;
    let team = share.team_name.as_str();
    let immediate = share.severity == Severity::ImmediateRisk;
    let loud = |tone| if immediate { Tone::ImmediateRisk } else { tone };
    let reached_by_phone = stored.reached_by_call.is_some();
    let (tone, status_words, actions) = match status {
        ShareStatus::AwaitingAcknowledgement { due } if immediate => (
            Tone::ImmediateRisk,
            format!(
                "Immediate risk: phone {team} now, not only send. Acknowledgement due {}.",
                london_time(*due, now)
            ),
            vec![call(share.team, share.id, team)],
        ),
        ShareStatus::AwaitingAcknowledgement { due } => (
            Tone::Waiting,
            format!("Awaiting acknowledgement, due {}", london_time(*due, now)),
            Vec::new(),
        ),
        ShareStatus::Overdue { due } if reached_by_phone => (
            loud(Tone::Waiting),
            format!(
                "Not acknowledged in the app by {}; you reached {team} by phone.",
                london_time(*due, now)
            ),
            vec![call(share.team, share.id, team)],
        ),
        ShareStatus::Overdue { due } => (
            loud(Tone::Overdue),
            format!(
                "NOT ACKNOWLEDGED by {}: call {team} now.",
                london_time(*due, now)
            ),
            vec![call(share.team, share.id, team)],
        ),
        ShareStatus::ReadBackToCheck { acknowledged_at } => (
            loud(Tone::ActionNeeded),
            if stored.record.check.is_some() {
                "A further read-back arrived: check it matches what you meant.".to_owned()
            } else {
                format!(
                    "Acknowledged {}: check their read-back matches what you meant.",
                    london_time(*acknowledged_at, now)
                )
            },
            vec![
                action(
                    SentShareActionKind::ConfirmReadBack { share: share.id },
                    "Read-back is right",
                    None,
                ),
                action(
                    SentShareActionKind::FlagOverEmphasised { share: share.id },
                    "They made more of it than I meant",
                    Some("Say what to correct; you will be asked to phone them."),
                ),
                action(
                    SentShareActionKind::FlagUnderEmphasised { share: share.id },
                    "They made less of it than I meant",
                    Some("Say what to correct; you will be asked to phone them."),
                ),
            ],
        ),
        ShareStatus::MisunderstoodReadBack {
            correction,
            checked_at,
        } => (
            loud(Tone::Overdue),
            format!(
                "Their read-back did not match what you meant ({correction}, marked {}): phone \
                 {team} to correct it.",
                london_time(*checked_at, now)
            ),
            vec![
                call(share.team, share.id, team),
                action(
                    SentShareActionKind::ConfirmReadBack { share: share.id },
                    "Confirm after your call",
                    Some("Once they have understood what you meant."),
                ),
            ],
        ),
        ShareStatus::Closed => (
            Tone::Done,
            "Acknowledged and understood.".to_owned(),
            Vec::new(),
        ),
    };
    SentShareRow {
        share: share.id,
        title: format!("{team} · {}", share.severity.label()),
        sent: format!("Sent {}", london_time(share.sent_at, now)),
        tone,
        status: status_words,
        read_backs: stored
            .record
            .acknowledgements()
            .map(|ack| read_back_line(stored, ack, now))
            .collect(),
        actions,
    }
}

//! Shares sent to the practitioner's teams: the list, and one share to read and acknowledge
//! with a read-back.
//!
//! Owns the wording of each incoming share (who sent it, how serious, by when it must be
//! acknowledged, what was shared), the read-back form's labels and the "Acknowledge" action,
//! enabled only when the read-back typed so far says who, the risk and the next action and the
//! share is not yet acknowledged, and only while the practitioner is still in the team it went
//! to (the call's own rule: a practitioner who left that team is not offered it). Completeness is the acknowledgement
//! rule's ([`ReadBack::is_complete`]); the due time is the one the share's envelope carried.
//!
//! Where the shells differed (Android showed the severity of a share to the team, iOS only when
//! it was sent), the louder reading: the severity is in every row's title.

use super::time::london_time;
use super::Tone;
use crate::app::bodies::ShareBody;
use crate::app::{AppError, IncomingShare, Session};
use crate::model::{Severity, ShareId};
use crate::rules::acknowledgement::ReadBack;
use chrono::{DateTime, Utc};

/// What the practitioner can do with a share to their team.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum IncomingActionKind {
    /// Open the share to read it (`Session.incoming_share_screen(share, draft)`).
    Open {
        /// The share.
        share: ShareId,
    },
    /// Acknowledge it with the read-back typed (`Shares.acknowledge_share(share, read_back)`).
    Acknowledge {
        /// The share.
        share: ShareId,
    },
}

/// One action on an incoming share.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct IncomingAction {
    /// What it does.
    pub kind: IncomingActionKind,
    /// What the button says.
    pub label: String,
    /// Whether it can be pressed now.
    pub enabled: bool,
    /// Why not, when it cannot.
    pub detail: Option<String>,
}

/// One share to the practitioner's team, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct IncomingShareRow {
    /// The share.
    pub share: ShareId,
    /// "From Midwife Ash to East health visiting · concern".
    pub title: String,
    /// How loudly to show it.
    pub tone: Tone,
    /// "To acknowledge by today 14:30", "Acknowledged".
    pub status: String,
    /// "Read and acknowledge" or "Open".
    pub actions: Vec<IncomingAction>,
}

/// The list of shares to the practitioner's teams.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct IncomingSharesScreen {
    /// "Shares to my team".
    pub title: String,
    /// Oldest first.
    pub rows: Vec<IncomingShareRow>,
    /// Shown instead of the rows when there are none.
    pub empty: Option<String>,
}

/// One field of the read-back form.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReadBackField {
    /// The field's label ("Who is it about?").
    pub label: String,
    /// The hint under it.
    pub hint: String,
    /// What was typed so far (the draft passed in).
    pub value: String,
    /// True when it still needs the practitioner's words.
    pub missing: bool,
}

/// One share to read and acknowledge.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct IncomingShareScreen {
    /// The share.
    pub share: ShareId,
    /// "Share from Midwife Ash".
    pub title: String,
    /// How loudly to show it.
    pub tone: Tone,
    /// "Immediate risk" / "Concern" / "Low-level concern", with "phone now" advice for
    /// immediate risk.
    pub severity: String,
    /// "Sent today 10:30 to East health visiting".
    pub sent: String,
    /// "Acknowledge by today 14:30", "Acknowledgement was due ...", or who acknowledged it.
    pub status: String,
    /// Who it is about, one line each (name, date of birth, NHS number, address).
    pub about: Vec<String>,
    /// The sender's message.
    pub message: String,
    /// What was shared: each observation, then each voice-of-the-child note.
    pub shared: Vec<String>,
    /// When the sender's phone had not checked its clock with the server: a warning that its
    /// times may be early or late.
    pub clock_warning: Option<String>,
    /// "Your read-back, in your own words".
    pub read_back_heading: String,
    /// Who, the risk, the next action (in that order).
    pub read_back: Vec<ReadBackField>,
    /// "Acknowledge with read-back".
    pub actions: Vec<IncomingAction>,
}

impl Session {
    /// The shares to this practitioner's teams, worded at the session clock's instant.
    pub fn incoming_shares_screen(&self) -> Result<IncomingSharesScreen, AppError> {
        let now = self.now()?;
        let teams = self.identity().team_ids();
        let rows: Vec<IncomingShareRow> = self
            .incoming_shares()?
            .into_iter()
            .map(|incoming| {
                let body = &incoming.share.content;
                let member = teams.contains(&incoming.share.record.share.team);
                let (tone, status) = state(&incoming, member, now);
                IncomingShareRow {
                    share: body.share,
                    title: format!(
                        "From {} to {} · {}",
                        body.sender_name,
                        body.team_name,
                        body.severity.label()
                    ),
                    tone,
                    status,
                    actions: vec![IncomingAction {
                        kind: IncomingActionKind::Open { share: body.share },
                        label: if incoming.acknowledged || !member {
                            "Open"
                        } else {
                            "Read and acknowledge"
                        }
                        .to_owned(),
                        enabled: true,
                        detail: None,
                    }],
                }
            })
            .collect();
        Ok(IncomingSharesScreen {
            title: "Shares to my team".to_owned(),
            empty: rows
                .is_empty()
                .then(|| "Nothing has been shared with your team.".to_owned()),
            rows,
        })
    }

    /// One share to this practitioner's teams, with the read-back form holding `draft` (what
    /// the practitioner has typed so far; empty texts at first). "Acknowledge" is enabled only
    /// when the draft is complete and nobody on this phone has acknowledged it yet.
    ///
    /// Errors: [`AppError::NotFound`] (`share`) for a share not sent to the practitioner's
    /// teams (or not on this phone).
    pub fn incoming_share_screen(
        &self,
        share: ShareId,
        draft: ReadBack,
    ) -> Result<IncomingShareScreen, AppError> {
        let now = self.now()?;
        let incoming = self
            .incoming_shares()?
            .into_iter()
            .find(|s| s.share.record.share.id == share)
            .ok_or_else(|| AppError::not_found("share", share))?;
        let body = &incoming.share.content;
        // The call's own rule (`acknowledge_share`): only a member of the team the share went
        // to acknowledges it. A practitioner who has left that team since it arrived keeps the
        // share on the phone but is not offered a button the call would refuse.
        let member = self
            .identity()
            .teams
            .iter()
            .any(|t| t.id == incoming.share.record.share.team);
        let (tone, status) = state(&incoming, member, now);
        let fields = [
            (
                "Who is it about?",
                "In your own words: the child and family.",
                &draft.who,
            ),
            (
                "What is the risk?",
                "As you understood it: not more, not less.",
                &draft.risk,
            ),
            (
                "What happens next?",
                "The next action, and who takes it.",
                &draft.next_action,
            ),
        ];
        let read_back: Vec<ReadBackField> = fields
            .iter()
            .map(|(label, hint, value)| ReadBackField {
                label: (*label).to_owned(),
                hint: (*hint).to_owned(),
                value: (*value).clone(),
                missing: crate::rules::normalise::is_blank(value),
            })
            .collect();
        let acknowledge = if incoming.acknowledged {
            IncomingAction {
                kind: IncomingActionKind::Acknowledge { share },
                label: "Acknowledge with read-back".to_owned(),
                enabled: false,
                detail: Some("Already acknowledged.".to_owned()),
            }
        } else if !member {
            IncomingAction {
                kind: IncomingActionKind::Acknowledge { share },
                label: "Acknowledge with read-back".to_owned(),
                enabled: false,
                detail: Some(format!(
                    "It went to {}, a team you are no longer in: a member of that team \
                     acknowledges it.",
                    body.team_name
                )),
            }
        } else {
            let complete = draft.is_complete();
            IncomingAction {
                kind: IncomingActionKind::Acknowledge { share },
                label: "Acknowledge with read-back".to_owned(),
                enabled: complete,
                detail: (!complete).then(|| {
                    "Say who it is about, the risk and the next action in your own words."
                        .to_owned()
                }),
            }
        };
        Ok(IncomingShareScreen {
            share,
            title: format!("Share from {}", body.sender_name),
            tone,
            severity: match body.severity {
                Severity::ImmediateRisk => {
                    "Immediate risk: act now, and phone the sender if anything is unclear."
                        .to_owned()
                }
                Severity::Concern => "Concern".to_owned(),
                Severity::LowLevelConcern => "Low-level concern".to_owned(),
            },
            sent: format!(
                "Sent {} to {}",
                london_time(body.sent_at, now),
                body.team_name
            ),
            status,
            about: about_lines(body),
            message: body.message.clone(),
            shared: shared_lines(body, now),
            clock_warning: body.clock_unverified.then(|| {
                "The sender's phone had not checked its clock with the server: its times, and \
                 the time this is due, may be out."
                    .to_owned()
            }),
            read_back_heading: "Your read-back, in your own words".to_owned(),
            read_back,
            actions: vec![acknowledge],
        })
    }
}

/// The state of an incoming share in words, and how loudly to show it; `member` says whether
/// the practitioner is still in the team it went to (if not, it is not theirs to acknowledge,
/// but an overdue one keeps its loud tone: the risk is no less for it).
fn state(incoming: &IncomingShare, member: bool, now: DateTime<Utc>) -> (Tone, String) {
    let stored = &incoming.share;
    let immediate = stored.record.share.severity == Severity::ImmediateRisk;
    if let Some(first) = &incoming.already_acknowledged_by {
        let who = if first.by_name.is_empty() {
            "a colleague".to_owned()
        } else {
            first.by_name.clone()
        };
        return (
            Tone::Done,
            format!(
                "Acknowledged. {who} acknowledged it first, {}.",
                london_time(first.at, now)
            ),
        );
    }
    if let Some(ack) = &stored.record.acknowledgement {
        let who = stored
            .acknowledger_name(ack.by)
            .filter(|n| !n.is_empty())
            .unwrap_or("your team");
        return (
            Tone::Done,
            format!("Acknowledged by {who}, {}.", london_time(ack.at, now)),
        );
    }
    let due = stored.due_at;
    if !member {
        let loud = if immediate {
            Tone::ImmediateRisk
        } else if due <= now {
            Tone::Overdue
        } else {
            Tone::Waiting
        };
        return (
            loud,
            format!(
                "Not acknowledged (due {}). It went to {}, a team you are no longer in: a \
                 member of that team acknowledges it.",
                london_time(due, now),
                incoming.share.content.team_name
            ),
        );
    }
    if due <= now {
        (
            if immediate {
                Tone::ImmediateRisk
            } else {
                Tone::Overdue
            },
            format!(
                "Not acknowledged: it was due {}. Acknowledge it now.",
                london_time(due, now)
            ),
        )
    } else {
        (
            if immediate {
                Tone::ImmediateRisk
            } else {
                Tone::ActionNeeded
            },
            format!("To acknowledge by {}", london_time(due, now)),
        )
    }
}

fn about_lines(body: &ShareBody) -> Vec<String> {
    let about = &body.about;
    let mut lines = Vec::new();
    match (&about.name, &about.known_as) {
        (Some(name), Some(known)) => lines.push(format!("{name} (known as {known})")),
        (Some(name), None) => lines.push(name.clone()),
        (None, Some(known)) => lines.push(format!("Known as {known}")),
        (None, None) => lines.push(format!("No name given ({})", about.role.name())),
    }
    if let Some(dob) = about.date_of_birth {
        lines.push(format!("Born {}", dob.format("%-d %B %Y")));
    }
    if let Some(nhs) = &about.nhs_number {
        lines.push(format!("NHS number {}", nhs_display(nhs)));
    }
    if let Some(address) = &about.address {
        lines.push(address.clone());
    }
    lines
}

/// Ten digits in the 3-3-4 form practitioners read.
fn nhs_display(digits: &str) -> String {
    if digits.len() == 10 && digits.chars().all(|c| c.is_ascii_digit()) {
        format!("{} {} {}", &digits[..3], &digits[3..6], &digits[6..])
    } else {
        digits.to_owned()
    }
}

fn shared_lines(body: &ShareBody, now: DateTime<Utc>) -> Vec<String> {
    let mut lines: Vec<String> = body
        .observations
        .iter()
        .map(|o| {
            // The nature's wire word ("fact", "opinion") read through serde, so this screen
            // does not name the sharing module's type (it is being moved, issue 16).
            let nature = serde_json::to_value(o.nature)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let basis = o
                .source_or_basis
                .as_ref()
                .map(|b| format!(" ({b})"))
                .unwrap_or_default();
            format!(
                "{} · {} · {nature}, {}: {}{basis}",
                o.category.label(),
                o.severity.label(),
                london_time(o.observed_at, now),
                o.description
            )
        })
        .collect();
    lines.extend(body.voice.iter().map(|v| {
        format!(
            "Voice of the child ({}), {}: {}",
            v.child_age.describe(),
            london_time(v.expressed_at, now),
            v.words
        )
    }));
    lines
}

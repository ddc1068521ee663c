//! The Referrals screen: each referral to children's social care, its state now and the next
//! escalation step.
//!
//! Owns the wording of each referral's state, its decision due time and the escalation ladder
//! (steps taken, the next one and when it is due), the actions (chase by phone, record the
//! decision, open the escalation, record the next step, close the escalation) and the words
//! of the two forms they open ([`DecisionForm`], [`StepForm`]), so the shells hold none. The deadline
//! (one working day, [`crate::rules::referral`]) and the ladder's order and due times
//! ([`crate::rules::escalation`]) are the rules'; nothing here computes a due time.
//!
//! Where the shells differed (Android showed when the next step is due, iOS only the step), the
//! louder reading: the step and its due time are both shown.

use super::time::london_time;
use super::{call_words, Tone};
use crate::app::{AppError, Session};
use crate::model::{PersonId, ReferralId, TeamId};
use crate::rules::escalation::EscalationStep;
use crate::rules::referral::{ReferralChannel, ReferralStatus};
use chrono::{DateTime, Utc};

/// What the practitioner can do with a referral.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ReferralActionKind {
    /// Phone the front door (`Contacts.start_call(front_door, None, Some(about))`).
    Call {
        /// The front door.
        team: TeamId,
        /// The child the referral is about.
        about: PersonId,
    },
    /// Record children's social care's decision (`Referrals.record_referral_decision`).
    RecordDecision {
        /// The referral.
        referral: ReferralId,
    },
    /// The response does not address the risk: open the escalation
    /// (`Referrals.open_escalation`).
    OpenEscalation {
        /// The referral.
        referral: ReferralId,
    },
    /// Record the next escalation step, done or not applicable with why
    /// (`Referrals.record_escalation_step(referral, step, outcome)`).
    RecordStep {
        /// The referral.
        referral: ReferralId,
        /// The step (the only one that may come next).
        step: EscalationStep,
    },
    /// Close the escalation early with a reason (`Referrals.resolve_escalation`).
    ResolveEscalation {
        /// The referral.
        referral: ReferralId,
    },
}

/// One action on a referral.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReferralAction {
    /// What it does.
    pub kind: ReferralActionKind,
    /// What the button says.
    pub label: String,
    /// Whether it can be pressed now.
    pub enabled: bool,
    /// The line under it: why this number, what the shell must ask for, or why not.
    pub detail: Option<String>,
}

/// One referral.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReferralRow {
    /// The referral.
    pub referral: ReferralId,
    /// The front door's name.
    pub title: String,
    /// "Sent today 10:00 by phone".
    pub sent: String,
    /// How loudly to show the state.
    pub tone: Tone,
    /// The state in words, with the decision due time in London time.
    pub status: String,
    /// The escalation so far: "Steps taken: 1 of 5", or how it was closed.
    pub escalation: Option<String>,
    /// The next escalation step and when it is due: "Next step, due tomorrow 10:00: Check
    /// the local thresholds for an Early Help response."
    pub next_step: Option<String>,
    /// What can be done now.
    pub actions: Vec<ReferralAction>,
}

/// The words of the form "Record the decision" opens: children's social care accepted the
/// referral (with the response they named) or did not (with their reasons), and whether they
/// say feedback was given to the family. The shell fills `DecisionOutcome` from it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DecisionForm {
    /// The choice for `DecisionOutcome::Accepted`: "Accepted".
    pub accepted: String,
    /// The choice for `DecisionOutcome::NotAccepted`: "Not accepted".
    pub not_accepted: String,
    /// The words field's label once "Accepted" is chosen.
    pub response_label: String,
    /// The words field's label once "Not accepted" is chosen.
    pub reasons_label: String,
    /// The feedback tick box's label.
    pub feedback_label: String,
}

/// The words of the form an escalation step's button opens: the step's outcome is either
/// done (what happened) or not applicable (why); core refuses it without words.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StepForm {
    /// The button for `StepOutcome::Done`: "Done: what happened".
    pub done: String,
    /// The button for `StepOutcome::NotApplicable`: "Not applicable: why".
    pub not_applicable: String,
}

/// The Referrals screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReferralsScreen {
    /// "Referrals".
    pub title: String,
    /// Oldest first.
    pub rows: Vec<ReferralRow>,
    /// Shown instead of the rows when there are none.
    pub empty: Option<String>,
    /// The form "Record the decision" opens.
    pub decision_form: DecisionForm,
    /// The form a "Record step" button opens.
    pub step_form: StepForm,
}

impl DecisionForm {
    fn words() -> Self {
        DecisionForm {
            accepted: "Accepted".to_owned(),
            not_accepted: "Not accepted".to_owned(),
            response_label: "The response they named".to_owned(),
            reasons_label: "The reasons they gave".to_owned(),
            feedback_label: "They say feedback was given to the family".to_owned(),
        }
    }
}

impl StepForm {
    fn words() -> Self {
        StepForm {
            done: "Done: what happened".to_owned(),
            not_applicable: "Not applicable: why".to_owned(),
        }
    }
}

fn channel_words(channel: &ReferralChannel) -> &'static str {
    match channel {
        ReferralChannel::Phone => "by phone",
        ReferralChannel::SecureEmail => "by secure email",
        ReferralChannel::OnlinePortal => "through the online portal",
        ReferralChannel::InPerson => "in person",
    }
}

fn action(kind: ReferralActionKind, label: &str, detail: Option<&str>) -> ReferralAction {
    ReferralAction {
        kind,
        label: label.to_owned(),
        enabled: true,
        detail: detail.map(str::to_owned),
    }
}

/// A step as a button label.
fn step_label(step: EscalationStep) -> &'static str {
    match step {
        EscalationStep::ReviewAndReRefer => "Record step 1: review and re-refer",
        EscalationStep::CheckEarlyHelpThresholds => "Record step 2: Early Help thresholds",
        EscalationStep::SeekCollateralHistory => "Record step 3: collateral history",
        EscalationStep::SeekSafeguardingAdvice => "Record step 4: safeguarding advice",
        EscalationStep::FollowEscalationProcedure => "Record step 5: escalation procedure",
    }
}

impl Session {
    /// Every referral on this device, worded at the session clock's instant.
    pub fn referrals_screen(&self) -> Result<ReferralsScreen, AppError> {
        let now = self.now()?;
        let directory = self.directory();
        let calendar = self.rules().calendar();
        let allowance = self.config().attention.escalation_step;
        let (referrals, ladders) = self.referrals_and_ladders()?;
        let mut rows = Vec::new();
        for stored in referrals {
            let record = &stored.record;
            let referral = &record.referral;
            let status = record.status(self.rules(), now)?;
            let ladder = ladders
                .iter()
                .find(|l| l.ladder.referral == referral.id)
                .map(|l| &l.ladder);
            let next = match ladder {
                Some(ladder) => ladder.next_due(self.rules(), allowance)?,
                None => None,
            };
            let mut actions = Vec::new();
            let (tone, words) = match status {
                ReferralStatus::AwaitingDecision { due } => (
                    Tone::Waiting,
                    format!("Decision due {}", london_time(due, now)),
                ),
                ReferralStatus::DecisionOverdue { due } => {
                    let words = call_words(
                        &directory,
                        referral.front_door,
                        Some(&referral.front_door_name),
                        now,
                        calendar,
                    );
                    actions.push(ReferralAction {
                        kind: ReferralActionKind::Call {
                            team: referral.front_door,
                            about: referral.about,
                        },
                        label: words.label,
                        enabled: words.enabled,
                        detail: words.detail,
                    });
                    (
                        Tone::Overdue,
                        format!(
                            "NO DECISION: it was due {}. Chase {} now.",
                            london_time(due, now),
                            referral.front_door_name
                        ),
                    )
                }
                ReferralStatus::Accepted { in_time } => (
                    // Accepted, but with the response escalated as not addressing the risk: a
                    // step is still to take, so it is not shown as done.
                    if next.is_some() {
                        Tone::ActionNeeded
                    } else {
                        Tone::Done
                    },
                    if in_time {
                        "Accepted".to_owned()
                    } else {
                        "Accepted (after its due time)".to_owned()
                    },
                ),
                ReferralStatus::NotAccepted { .. } => (
                    if next.is_some() || ladder.is_none() {
                        Tone::ActionNeeded
                    } else {
                        Tone::Done
                    },
                    "Not accepted: follow the escalation steps".to_owned(),
                ),
            };
            if record.decision.is_none() {
                actions.push(action(
                    ReferralActionKind::RecordDecision {
                        referral: referral.id,
                    },
                    "Record the decision",
                    None,
                ));
            }
            match (ladder, &next) {
                (None, _) if record.decision.is_some() => actions.push(action(
                    ReferralActionKind::OpenEscalation {
                        referral: referral.id,
                    },
                    if record.not_accepted() {
                        "Open the escalation steps"
                    } else {
                        "Response does not address the risk: escalate"
                    },
                    None,
                )),
                (Some(_), Some(step)) => {
                    actions.push(action(
                        ReferralActionKind::RecordStep {
                            referral: referral.id,
                            step: step.step,
                        },
                        step_label(step.step),
                        Some("Done, or not applicable with why: no step is skipped."),
                    ));
                    actions.push(action(
                        ReferralActionKind::ResolveEscalation {
                            referral: referral.id,
                        },
                        "Close the escalation",
                        Some("Say why no further step is needed."),
                    ));
                }
                _ => {}
            }
            let escalation = ladder.map(|l| match l.resolution() {
                Some(resolution) => format!(
                    "Escalation closed {}: {}",
                    london_time(resolution.at, now),
                    resolution.reason
                ),
                None => format!(
                    "Steps taken: {} of {}",
                    l.steps().len(),
                    EscalationStep::ALL.len()
                ),
            });
            rows.push(ReferralRow {
                referral: referral.id,
                title: referral.front_door_name.clone(),
                sent: format!(
                    "Sent {} {}",
                    london_time(referral.sent_at, now),
                    channel_words(&referral.channel)
                ),
                tone: if next.as_ref().is_some_and(|n| n.due <= now) {
                    Tone::Overdue
                } else {
                    tone
                },
                status: words,
                escalation,
                next_step: next.as_ref().map(|n| next_words(n.due, &n.prompt, now)),
                actions,
            });
        }
        Ok(ReferralsScreen {
            title: "Referrals".to_owned(),
            empty: rows
                .is_empty()
                .then(|| "No referrals recorded on this phone.".to_owned()),
            rows,
            decision_form: DecisionForm::words(),
            step_form: StepForm::words(),
        })
    }
}

fn next_words(due: DateTime<Utc>, prompt: &str, now: DateTime<Utc>) -> String {
    if due <= now {
        format!("Next step, was due {}: {prompt}", london_time(due, now))
    } else {
        format!("Next step, due {}: {prompt}", london_time(due, now))
    }
}

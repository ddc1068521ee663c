//! "Needs attention now": for one practitioner at one instant, every item that is overdue or
//! due soon, with its due time and why, most urgent first.
//!
//! Owns only the gathering and the ordering; each item's deadline comes from the rule module
//! that owns it (referral, acknowledgement, escalation, patterns), so there is one answer to
//! "when is this due".
//!
//! What is included:
//! - referrals the practitioner made: decision overdue (chase) or due within the "soon" window;
//!   a referral not accepted whose escalation has not been opened (due at once);
//! - escalation ladders they own: the next step, when due within the window;
//! - shares they sent: not acknowledged and overdue (call the team) or due within the window
//!   (immediate-risk shares always, with "phone now"); an acknowledged read-back not yet
//!   checked; a read-back marked over- or under-emphasised (phone to correct it);
//! - shares sent to their teams and not yet acknowledged by anyone (any member can close them,
//!   and no one should assume a colleague will), whatever their due time;
//! - outstanding pattern alerts for children on their caseload;
//! - checklist items they own, due within the window.
//!
//! Order, most urgent first:
//! 1. anything about an immediate-risk share (phone now; check or correct its read-back);
//! 2. missed deadlines (chase, call the team, correct a read-back, an escalation step or
//!    checklist item past due), the longest overdue first;
//! 3. standing prompts with no deadline of their own (pattern alerts, read-backs to check), the
//!    oldest first;
//! 4. what is due soon, the soonest first.
//!
//! A missed deadline outranks a pattern alert however old the alert: the deadline is the
//! clinical rule's own measure of urgency, while an alert asks for a considered discussion.
//! Ties keep a fixed order by kind so the list is stable between refreshes.
//!
//! Pure: the instant comes in as an argument; nothing reads the wall clock.

use super::acknowledgement::{
    AcknowledgementError, AcknowledgementPolicy, ShareRecord, ShareStatus,
};
use super::escalation::{EscalationError, EscalationLadder, EscalationStep};
use super::patterns::{AlertKey, PatternAlert};
use super::referral::{ReferralError, ReferralRecord, ReferralStatus};
use super::working_time::{describe_local, Allowance, WorkingTime};
use crate::clock::Clock;
use crate::model::{PersonId, PractitionerId, ReferralId, Severity, ShareId, TeamId};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Why the list could not be built (a deadline could not be computed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttentionError {
    /// A referral's deadline.
    #[error(transparent)]
    Referral(#[from] ReferralError),
    /// A share's deadline.
    #[error(transparent)]
    Acknowledgement(#[from] AcknowledgementError),
    /// An escalation step's deadline.
    #[error(transparent)]
    Escalation(#[from] EscalationError),
}

/// How far ahead "soon" looks, and the allowances the deadlines use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttentionSettings {
    /// Items due within this many minutes are "due soon" (default 120).
    pub soon_minutes: u32,
    /// Acknowledgement allowances by severity.
    pub acknowledgement: AcknowledgementPolicy,
    /// Time allowed for each escalation step.
    pub escalation_step: Allowance,
}

impl Default for AttentionSettings {
    fn default() -> Self {
        AttentionSettings {
            soon_minutes: 120,
            acknowledgement: AcknowledgementPolicy::default(),
            escalation_step: super::escalation::DEFAULT_STEP_ALLOWANCE,
        }
    }
}

/// A checklist item still outstanding (admission, handover, discharge), as the checklist
/// module reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistDue {
    /// What must be done.
    pub label: String,
    /// Who must do it.
    pub owner: PractitionerId,
    /// Who it is about.
    pub about: Option<PersonId>,
    /// By when.
    pub due: DateTime<Utc>,
}

/// Everything the practitioner's device knows that can need attention.
#[derive(Debug, Clone, Copy, Default)]
pub struct Caseload<'a> {
    /// Referrals (only the practitioner's own are considered).
    pub referrals: &'a [ReferralRecord],
    /// Escalation ladders (only those the practitioner owns).
    pub escalations: &'a [EscalationLadder],
    /// Shares: those the practitioner sent (to chase), and those sent to their teams (to
    /// acknowledge).
    pub shares: &'a [ShareRecord],
    /// The practitioner's teams: shares to them awaiting acknowledgement are included.
    pub teams: &'a [TeamId],
    /// Outstanding (undismissed) pattern alerts.
    pub alerts: &'a [PatternAlert],
    /// Children on the practitioner's caseload: alerts about them are included.
    pub children: &'a [PersonId],
    /// Outstanding checklist items (only those the practitioner owns).
    pub checklist: &'a [ChecklistDue],
    /// Shares addressed to the practitioner's teams that this device cannot open: only their
    /// headers are known, and those still need attention.
    pub unreadable_shares: &'a [UnreadableShare],
}

/// A share to one of the practitioner's teams that this device pulled but cannot open (sealed
/// before the device enrolled, or to a key rotated away: docs/security.md, "Opening"). Its
/// header still says when an acknowledgement is due and from whom it came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnreadableShare {
    /// The envelope (as the sync status lists it).
    pub envelope: ulid::Ulid,
    /// The practitioner's team it was addressed to.
    pub team: TeamId,
    /// That team's name.
    pub team_name: String,
    /// The sender's team, if the roster named one (the team to phone).
    pub sender_team: Option<TeamId>,
    /// When the acknowledgement is due (from the header the sender's device computed).
    pub due: DateTime<Utc>,
    /// Immediate risk: listed above everything else.
    pub immediate_risk: bool,
    /// Whether an acknowledgement of it has been seen since (then it needs nothing more).
    pub answered: bool,
}

/// What needs doing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum AttentionKind {
    /// No decision on a referral by its due time: chase the front door.
    ChaseReferralDecision {
        /// The referral.
        referral: ReferralId,
        /// The front door to call.
        front_door: TeamId,
    },
    /// A referral decision is due soon.
    ReferralDecisionDueSoon {
        /// The referral.
        referral: ReferralId,
    },
    /// A share was not acknowledged in time: call the team now.
    CallTeamNow {
        /// The share.
        share: ShareId,
        /// The team to call.
        team: TeamId,
        /// The team's name.
        team_name: String,
    },
    /// A share's acknowledgement is due soon.
    AcknowledgementDueSoon {
        /// The share.
        share: ShareId,
        /// The team.
        team: TeamId,
        /// Immediate risk: phone now, not only send.
        phone_now: bool,
    },
    /// A share sent to the practitioner's team arrived that this device cannot open: open it on
    /// a device that can, or phone the sender's team for the information.
    IncomingShareNotReadable {
        /// The envelope as the sync status lists it.
        envelope: ulid::Ulid,
        /// The practitioner's team it was sent to.
        team: TeamId,
        /// The sender's team to phone, when known.
        sender_team: Option<TeamId>,
    },
    /// A share sent to the practitioner's team awaits acknowledgement: any member can close it.
    AcknowledgeIncomingShare {
        /// The share.
        share: ShareId,
        /// The practitioner's team it was sent to.
        team: TeamId,
    },
    /// The sender has not yet checked the recipient's read-back.
    CheckReadBack {
        /// The share.
        share: ShareId,
    },
    /// The read-back was over- or under-emphasised: phone the team to correct it.
    CorrectReadBack {
        /// The share.
        share: ShareId,
        /// The team to call.
        team: TeamId,
    },
    /// The next escalation step is due.
    EscalationStep {
        /// The referral being escalated.
        referral: ReferralId,
        /// The step.
        step: EscalationStep,
    },
    /// A pattern alert is outstanding.
    PatternAlert {
        /// The alert.
        key: AlertKey,
    },
    /// A checklist item is due.
    ChecklistItem {
        /// What must be done.
        label: String,
        /// Who it is about.
        about: Option<PersonId>,
    },
}

/// One thing that needs attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttentionItem {
    /// What.
    pub kind: AttentionKind,
    /// When it is (or was) due.
    pub due: DateTime<Utc>,
    /// Whether it is due now or overdue (otherwise due soon).
    pub overdue: bool,
    /// Why, in words the practitioner reads.
    pub why: String,
    /// Immediate risk: shown above everything else.
    pub immediate_risk: bool,
}

/// [`needs_attention_now`] at the clock's current instant: the entry point for the app, which
/// passes the platform clock (tests pass a `FixedClock`).
pub fn needs_attention(
    practitioner: PractitionerId,
    caseload: Caseload<'_>,
    rule: &WorkingTime,
    settings: &AttentionSettings,
    clock: &dyn Clock,
) -> Result<Vec<AttentionItem>, AttentionError> {
    needs_attention_now(practitioner, caseload, rule, settings, clock.now())
}

/// Every overdue or soon-due item for `practitioner` at `now`, most urgent first.
pub fn needs_attention_now(
    practitioner: PractitionerId,
    caseload: Caseload<'_>,
    rule: &WorkingTime,
    settings: &AttentionSettings,
    now: DateTime<Utc>,
) -> Result<Vec<AttentionItem>, AttentionError> {
    let horizon = now + Duration::minutes(i64::from(settings.soon_minutes));
    let mut items = Vec::new();
    let item = |kind, due: DateTime<Utc>, why: String, immediate_risk| AttentionItem {
        kind,
        due,
        overdue: due <= now,
        why,
        immediate_risk,
    };

    for record in caseload
        .referrals
        .iter()
        .filter(|r| r.referral.referrer == practitioner)
    {
        let referral = &record.referral;
        match record.status(rule, now)? {
            ReferralStatus::DecisionOverdue { due } => items.push(item(
                AttentionKind::ChaseReferralDecision {
                    referral: referral.id,
                    front_door: referral.front_door,
                },
                due,
                format!(
                    "No decision from {} on your referral; it was due {}. Chase it.",
                    referral.front_door_name,
                    describe_local(due)
                ),
                false,
            )),
            ReferralStatus::AwaitingDecision { due } if due <= horizon => items.push(item(
                AttentionKind::ReferralDecisionDueSoon {
                    referral: referral.id,
                },
                due,
                format!(
                    "{}'s decision on your referral is due {}.",
                    referral.front_door_name,
                    describe_local(due)
                ),
                false,
            )),
            ReferralStatus::NotAccepted { .. }
                if !caseload
                    .escalations
                    .iter()
                    .any(|ladder| ladder.referral == referral.id) =>
            {
                let arrived = record.decision.as_ref().map_or(now, |d| d.arrived_at);
                items.push(item(
                    AttentionKind::EscalationStep {
                        referral: referral.id,
                        step: EscalationStep::ReviewAndReRefer,
                    },
                    arrived,
                    format!(
                        "Your referral to {} was not accepted. {}",
                        referral.front_door_name,
                        EscalationStep::ReviewAndReRefer.prompt()
                    ),
                    false,
                ));
            }
            _ => {}
        }
    }

    for ladder in caseload
        .escalations
        .iter()
        .filter(|l| l.owner == practitioner)
    {
        if let Some(next) = ladder.next_due(rule, settings.escalation_step)? {
            if next.due <= horizon {
                items.push(item(
                    AttentionKind::EscalationStep {
                        referral: ladder.referral,
                        step: next.step,
                    },
                    next.due,
                    format!(
                        "Escalation, next step (due {}): {}",
                        describe_local(next.due),
                        next.prompt
                    ),
                    false,
                ));
            }
        }
    }

    for record in caseload
        .shares
        .iter()
        .filter(|s| s.share.sender == practitioner)
    {
        let share = &record.share;
        let immediate = share.severity == Severity::ImmediateRisk;
        match record.status(rule, &settings.acknowledgement, now)? {
            ShareStatus::Overdue { due } => items.push(item(
                AttentionKind::CallTeamNow {
                    share: share.id,
                    team: share.team,
                    team_name: share.team_name.clone(),
                },
                due,
                format!(
                    "Call {} now: your share was not acknowledged by {}.",
                    share.team_name,
                    describe_local(due)
                ),
                immediate,
            )),
            ShareStatus::AwaitingAcknowledgement { due } if immediate || due <= horizon => {
                let why = if immediate {
                    format!(
                        "Immediate risk: phone {} now, not only send. Acknowledgement due {}.",
                        share.team_name,
                        describe_local(due)
                    )
                } else {
                    format!(
                        "{} should acknowledge your share by {}.",
                        share.team_name,
                        describe_local(due)
                    )
                };
                items.push(item(
                    AttentionKind::AcknowledgementDueSoon {
                        share: share.id,
                        team: share.team,
                        phone_now: immediate,
                    },
                    due,
                    why,
                    immediate,
                ));
            }
            ShareStatus::ReadBackToCheck { acknowledged_at } => items.push(item(
                AttentionKind::CheckReadBack { share: share.id },
                acknowledged_at,
                format!(
                    "{} acknowledged your share. Check their read-back matches what you meant.",
                    share.team_name
                ),
                immediate,
            )),
            ShareStatus::MisunderstoodReadBack { checked_at, .. } => items.push(item(
                AttentionKind::CorrectReadBack {
                    share: share.id,
                    team: share.team,
                },
                checked_at,
                format!(
                    "{}'s read-back did not match what you meant. Phone them to correct it.",
                    share.team_name
                ),
                immediate,
            )),
            _ => {}
        }
    }

    for record in caseload.shares.iter().filter(|s| {
        s.acknowledgement.is_none()
            && s.share.sender != practitioner
            && caseload.teams.contains(&s.share.team)
    }) {
        // Incoming shares are listed whatever their due time: acknowledging is possible now, and
        // any member of the team can do it, so the practitioner should not assume a colleague will.
        let share = &record.share;
        let due = share.acknowledgement_due(rule, &settings.acknowledgement)?;
        items.push(item(
            AttentionKind::AcknowledgeIncomingShare {
                share: share.id,
                team: share.team,
            },
            due,
            format!(
                "A share to {} awaits acknowledgement (due {}). Read it and acknowledge with your read-back.",
                share.team_name,
                describe_local(due)
            ),
            share.severity == Severity::ImmediateRisk,
        ));
    }

    for unreadable in caseload
        .unreadable_shares
        .iter()
        .filter(|u| !u.answered && caseload.teams.contains(&u.team))
    {
        // Listed whatever its due time, like a readable incoming share: nobody may assume a
        // colleague with a phone that can read it has seen it.
        items.push(item(
            AttentionKind::IncomingShareNotReadable {
                envelope: unreadable.envelope,
                team: unreadable.team,
                sender_team: unreadable.sender_team,
            },
            unreadable.due,
            format!(
                "A share to {} arrived that this phone cannot open (it was sent before this phone \
                 was enrolled, or to a key since replaced). Acknowledgement due {}. Open it on a \
                 phone that can, or call the sender for the information.",
                unreadable.team_name,
                describe_local(unreadable.due)
            ),
            unreadable.immediate_risk,
        ));
    }

    for alert in caseload
        .alerts
        .iter()
        .filter(|a| caseload.children.contains(&a.key.child))
    {
        items.push(item(
            AttentionKind::PatternAlert { key: alert.key },
            alert.at,
            alert.message.clone(),
            false,
        ));
    }

    for task in caseload
        .checklist
        .iter()
        .filter(|c| c.owner == practitioner && c.due <= horizon)
    {
        items.push(item(
            AttentionKind::ChecklistItem {
                label: task.label.clone(),
                about: task.about,
            },
            task.due,
            format!(
                "Checklist: {} (due {}).",
                task.label,
                describe_local(task.due)
            ),
            false,
        ));
    }

    items.sort_by_key(|i| (urgency_tier(i), i.due, kind_rank(&i.kind)));
    Ok(items)
}

/// From when a record can be on [`needs_attention_now`]'s list, as long as it is not changed:
/// what the open-items index keeps so a refresh reads only records that can be listed.
///
/// Each answer below is worked out by the same calls the list makes, so it agrees with it: a
/// record is listed at `now` only if `now` is in its answer. Where the list's own call fails
/// (a deadline cannot be computed), the answer is [`ListedFrom::Always`], so the list meets
/// the same failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListedFrom {
    /// Never listed as it stands (closed, decided, or not this practitioner's).
    Never,
    /// Listed at any instant.
    Always,
    /// Listed from this instant on (it comes within the "soon" window; once overdue it stays).
    From(DateTime<Utc>),
}

impl ListedFrom {
    /// The earlier of two answers (a record listed by two parts of the rule).
    fn or(self, other: ListedFrom) -> ListedFrom {
        match (self, other) {
            (ListedFrom::Always, _) | (_, ListedFrom::Always) => ListedFrom::Always,
            (ListedFrom::Never, x) | (x, ListedFrom::Never) => x,
            (ListedFrom::From(a), ListedFrom::From(b)) => ListedFrom::From(a.min(b)),
        }
    }
}

fn soon(settings: &AttentionSettings) -> Duration {
    Duration::minutes(i64::from(settings.soon_minutes))
}

/// When `record` can be listed for `practitioner`. `has_escalation`: a ladder is open for it
/// (a referral not accepted is listed only until one is).
pub fn referral_listed_from(
    record: &ReferralRecord,
    practitioner: PractitionerId,
    has_escalation: bool,
    rule: &WorkingTime,
    settings: &AttentionSettings,
) -> ListedFrom {
    if record.referral.referrer != practitioner {
        return ListedFrom::Never;
    }
    // `status` works out the due time first, decided or not.
    let Ok(due) = record.referral.decision_due(rule) else {
        return ListedFrom::Always;
    };
    match record.decision.as_ref().map(|d| &d.outcome) {
        // Chased once overdue, "due soon" within the window before.
        None => ListedFrom::From(due - soon(settings)),
        Some(super::referral::DecisionOutcome::NotAccepted { .. }) if !has_escalation => {
            ListedFrom::Always
        }
        Some(_) => ListedFrom::Never,
    }
}

/// When `ladder`'s next step can be listed for `practitioner`.
pub fn escalation_listed_from(
    ladder: &EscalationLadder,
    practitioner: PractitionerId,
    rule: &WorkingTime,
    settings: &AttentionSettings,
) -> ListedFrom {
    if ladder.owner != practitioner {
        return ListedFrom::Never;
    }
    match ladder.next_due(rule, settings.escalation_step) {
        Ok(Some(next)) => ListedFrom::From(next.due - soon(settings)),
        Ok(None) => ListedFrom::Never,
        Err(_) => ListedFrom::Always,
    }
}

/// When a readable share can be listed for `practitioner` of `teams`: as one they sent (to
/// chase, or its read-back to check or correct) or as one to their team to acknowledge.
pub fn share_listed_from(
    record: &ShareRecord,
    practitioner: PractitionerId,
    teams: &[TeamId],
    rule: &WorkingTime,
    settings: &AttentionSettings,
) -> ListedFrom {
    let share = &record.share;
    let mut listed = ListedFrom::Never;
    if share.sender == practitioner {
        // The earliest instant: not acknowledged, it is "awaiting" there; acknowledged, the
        // status does not depend on the instant.
        listed = match record.status(rule, &settings.acknowledgement, DateTime::<Utc>::MIN_UTC) {
            Err(_) => ListedFrom::Always,
            Ok(ShareStatus::AwaitingAcknowledgement { .. } | ShareStatus::Overdue { .. })
                if share.severity == Severity::ImmediateRisk =>
            {
                ListedFrom::Always
            }
            Ok(ShareStatus::AwaitingAcknowledgement { due } | ShareStatus::Overdue { due }) => {
                ListedFrom::From(due - soon(settings))
            }
            Ok(ShareStatus::ReadBackToCheck { .. } | ShareStatus::MisunderstoodReadBack { .. }) => {
                ListedFrom::Always
            }
            Ok(ShareStatus::Closed) => ListedFrom::Never,
        };
    }
    if record.acknowledgement.is_none()
        && share.sender != practitioner
        && teams.contains(&share.team)
    {
        // Listed whatever its due time (see the list); its due time must still be computable.
        listed = listed.or(ListedFrom::Always);
    }
    listed
}

/// The tier an item sorts in (see the module docs): lower is more urgent.
fn urgency_tier(item: &AttentionItem) -> u8 {
    let standing = matches!(
        item.kind,
        AttentionKind::PatternAlert { .. } | AttentionKind::CheckReadBack { .. }
    );
    match (item.immediate_risk, standing, item.overdue) {
        (true, _, _) => 0,
        (false, false, true) => 1,
        (false, true, _) => 2,
        (false, false, false) => 3,
    }
}

/// A fixed order between kinds due at the same instant: calls first, paperwork last.
fn kind_rank(kind: &AttentionKind) -> u8 {
    match kind {
        AttentionKind::CallTeamNow { .. } => 0,
        AttentionKind::AcknowledgementDueSoon { .. } => 1,
        AttentionKind::AcknowledgeIncomingShare { .. } => 1,
        AttentionKind::IncomingShareNotReadable { .. } => 1,
        AttentionKind::ChaseReferralDecision { .. } => 2,
        AttentionKind::CorrectReadBack { .. } => 3,
        AttentionKind::EscalationStep { .. } => 4,
        AttentionKind::ReferralDecisionDueSoon { .. } => 5,
        AttentionKind::PatternAlert { .. } => 6,
        AttentionKind::CheckReadBack { .. } => 7,
        AttentionKind::ChecklistItem { .. } => 8,
    }
}

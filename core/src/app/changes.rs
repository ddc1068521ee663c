//! Change notification: core tells the shell when something a screen shows has changed, so
//! shells redraw on an event instead of polling.
//!
//! Owns the [`ChangeListener`] a shell registers ([`Session::set_change_listener`]), the
//! [`ChangeEvent`]s (what caused it, which screens to rebuild) and the deadline check
//! ([`Session::check_deadlines`]). Events are sent for:
//! - a capture stored (observation or voice of the child, and the share sent with it); an
//!   observation also names Checklists, since an open handover or discharge checklist about the
//!   person counts a concern captured since it started;
//! - an observation amended or closed (the concerns a checklist must hand over change); a
//!   pattern alert dismissed (it leaves Today and the child's patterns);
//! - a sync that pulled envelopes, or one envelope applied as if pulled (shares pulled change
//!   the team around the child, which the checklist contact picker, the meeting packs' health
//!   staff and the Share screen's "not yet told" all show);
//! - a supervision session recorded (it can clear a meeting pack's oversight prompt) and a
//!   meeting pack prepared (a conference ahead without oversight appears on Supervision);
//! - an action of the practitioner's recorded: an acknowledgement (with its read-back), a
//!   read-back checked, a referral decision, an escalation opened or a step taken, a call's
//!   outcome, the person a received share is about taken on (a transfer of care's child, with
//!   the team around the child it seeds), a visit started or ended, a change to the team
//!   around the child (a member involved or ended, a contact, the lead professional, the
//!   social care status), a referral recorded, a transfer of care sent, a checklist started
//!   or changed;
//! - a deadline passed: "needs attention now" changed with no write (an item became due soon
//!   or overdue). How it is detected: the shell calls [`Session::check_deadlines`] once at
//!   start and then at the instant it returns (one timer, not a poll); core compares the list
//!   with the one it saw last and sends an event when an item appeared, left or became
//!   overdue, or when the London calendar day changed (a supervision action "due today" is
//!   overdue from the next day; the meeting pack and supervision screens word days relative
//!   to today). The instant returned is the earliest of: the next London midnight; an item not yet overdue falling due;
//!   a clear due time in the store (a share's acknowledgement, a referral's decision) coming
//!   within the "soon" window or falling due; the earliest window start the open-items index
//!   holds (an escalation step's due time, sealed in its record, is there); the next meeting
//!   pack's meeting start (its buttons open then; the check sends an event naming Meeting
//!   packs and Supervision when a meeting started since the last one); and at most
//!   [`MAX_CHECK_INTERVAL_MINUTES`] later, for what no index holds (a share this phone cannot
//!   open, known from the sync status).
//!
//! Invariants and why:
//! - An action's event is sent only after its transaction has committed (the notifying call
//!   wraps the store write's result), so a screen rebuilt inside the event reads the change,
//!   and a refused or failed action sends nothing.
//! - The listener is called after the store's lock is released and with no lock of the
//!   session held (the listener is cloned out of its slot first), so a listener that calls
//!   back into SafeShare (to rebuild the screen it was told about) completes.
//! - A listener that panics (or, across the boundary, throws) is contained: the panic is
//!   caught here, logged without its message (it could quote a value), and the call that
//!   caused the event still returns its own result. Core's locks are never held while it
//!   runs, so none can be poisoned by it.
//! - An event names screens and a cause only: no ids, no personal data (a shell rebuilds the
//!   screen through the audited calls).

use super::{AppError, Session};
use crate::casework::meeting::MeetingPack;
use crate::model::london_date;
use crate::rules::attention::AttentionKind;
use crate::rules::working_time::london_to_utc;
use crate::store::StoredRecord;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// The longest [`Session::check_deadlines`] asks the shell to wait before checking again.
pub const MAX_CHECK_INTERVAL_MINUTES: i64 = 15;

/// A screen a shell shows, as named in a [`ChangeEvent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ScreenName {
    /// Today: needs attention now and today's visits.
    Today,
    /// A visit and its capture, and a child's chronology.
    Visit,
    /// Shares to the practitioner's teams (to acknowledge).
    IncomingShares,
    /// Shares the practitioner sent.
    SharesSent,
    /// Referrals and their escalation.
    Referrals,
    /// Contacts and calls.
    Contacts,
    /// The sync status.
    Sync,
    /// A person's checklists, one checklist and its contact picker.
    Checklists,
    /// A child's meeting packs and one pack.
    MeetingPacks,
    /// The practitioner's supervision sessions and the conferences ahead lacking oversight.
    Supervision,
    /// Sharing with a team (the teams offered, by when each severity must be acknowledged).
    Share,
}

/// What caused a [`ChangeEvent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ChangeCause {
    /// An observation or voice-of-the-child note was stored (with its share, if any).
    CaptureStored,
    /// A sync ran: it pulled envelopes (shares, acknowledgements, decisions) into the store,
    /// or only pushed (then only the sync screen is named).
    Synced,
    /// Time passed a deadline: an item became due soon or overdue, or left the list.
    DeadlinePassed,
    /// This practitioner acknowledged a share to their team, with a read-back (an
    /// acknowledgement pulled from another phone comes as [`ChangeCause::Synced`]).
    AcknowledgementRecorded,
    /// The sender checked a read-back (confirmed, or marked to correct).
    ReadBackChecked,
    /// A decision on a referral was recorded (one not accepted also opens its escalation).
    ReferralDecisionRecorded,
    /// An escalation was opened, a step taken, or it was resolved.
    EscalationRecorded,
    /// A call's outcome was recorded (which may close an overdue share's escalation).
    CallOutcomeRecorded,
    /// The person a received share (a transfer of care, say) is about was taken on to this
    /// phone's caseload, matched or added.
    SubjectTakenOn,
    /// An observation was amended or closed (its history, and the concerns an open handover
    /// or discharge checklist must carry, changed).
    ObservationChanged,
    /// A supervision session was recorded, or one of its agreed actions marked done.
    SupervisionRecorded,
    /// A meeting pack was prepared, or what was shared or a challenge to the minutes recorded.
    MeetingPackRecorded,
    /// A visit was ended (Today lists a visit not yet ended, even from an earlier day).
    VisitEnded,
    /// A pattern alert was dismissed with a reason: it leaves Today and the child's pattern
    /// alerts (it was silent, so Today kept showing a dismissed alert until the next event).
    AlertDismissed,
    /// A visit was started (Today lists a visit in progress; the Visit screen opens on it).
    VisitStarted,
    /// The team around a child (or a household) changed on this phone: a member involved or
    /// their involvement ended, a contact added, a lead professional named, a social care
    /// status recorded. The team screen and chronology (Visit), who is not yet told (Share),
    /// a checklist's contacts (Checklists) and a meeting pack's health staff (Meeting packs)
    /// read it. A transfer of care taken on is [`ChangeCause::SubjectTakenOn`], naming these
    /// screens too.
    TeamChanged,
    /// A referral was recorded: Referrals lists it, Today as soon as its decision is due soon
    /// (at once for one written up after the call, its decision already due), and its envelope
    /// is queued (it was silent, so Today missed it until the next deadline check).
    ReferralRecorded,
    /// A transfer of care was sent: it is a share to the receiving team, listed on Shares sent
    /// and Today, with its envelope queued (it was silent).
    TransferSent,
    /// A checklist was started, or an item marked done or not applicable, or it was completed.
    ChecklistChanged,
    /// A call was logged as started (`start_call`): the child's chronology (Visit) lists
    /// "Call to ... started" and Contacts its calls (it was silent, so both were stale until
    /// the outcome was recorded). Nothing is queued to send until the outcome.
    CallStarted,
}

/// The screens each cause of a practitioner's own action changes.
pub(crate) fn screens_for(cause: ChangeCause) -> &'static [ScreenName] {
    match cause {
        ChangeCause::CaptureStored
        | ChangeCause::VisitStarted
        | ChangeCause::VisitEnded
        | ChangeCause::AlertDismissed => &[ScreenName::Today, ScreenName::Visit],
        ChangeCause::TeamChanged => &TEAM_SCREENS,
        ChangeCause::ObservationChanged => &[ScreenName::Visit, ScreenName::Checklists],
        // Oversight recorded clears a pack's prompt; a pack prepared for a conference ahead
        // may add one to Supervision.
        ChangeCause::SupervisionRecorded | ChangeCause::MeetingPackRecorded => {
            &[ScreenName::MeetingPacks, ScreenName::Supervision]
        }
        ChangeCause::Synced => &PULLED_SCREENS,
        ChangeCause::DeadlinePassed => &DEADLINE_SCREENS,
        // Each of these queues an envelope too, so the sync screen's count changes.
        ChangeCause::AcknowledgementRecorded => &[
            ScreenName::Today,
            ScreenName::IncomingShares,
            ScreenName::Sync,
        ],
        ChangeCause::ReadBackChecked => &[ScreenName::Today, ScreenName::SharesSent],
        ChangeCause::ReferralDecisionRecorded | ChangeCause::EscalationRecorded => {
            &[ScreenName::Today, ScreenName::Referrals, ScreenName::Sync]
        }
        // The chronology (Visit) shows the call's outcome in place of "started".
        ChangeCause::CallOutcomeRecorded => &[
            ScreenName::Today,
            ScreenName::Visit,
            ScreenName::SharesSent,
            ScreenName::Contacts,
            ScreenName::Sync,
        ],
        ChangeCause::SubjectTakenOn => &[
            ScreenName::Today,
            ScreenName::Visit,
            ScreenName::IncomingShares,
        ],
        ChangeCause::ReferralRecorded => {
            &[ScreenName::Today, ScreenName::Referrals, ScreenName::Sync]
        }
        ChangeCause::TransferSent => &[
            ScreenName::Today,
            ScreenName::SharesSent,
            ScreenName::Sync,
            ScreenName::Share,
        ],
        ChangeCause::ChecklistChanged => &[ScreenName::Checklists],
        ChangeCause::CallStarted => &[ScreenName::Visit, ScreenName::Contacts],
    }
}

/// What a change to the team around the child can change: the team screen and the chronology
/// (Visit), "not yet told" (Share), a checklist's contact picker, a meeting pack's health staff.
const TEAM_SCREENS: [ScreenName; 4] = [
    ScreenName::Visit,
    ScreenName::Checklists,
    ScreenName::MeetingPacks,
    ScreenName::Share,
];

/// What a transfer of care taken on changes: the person on the caseload (as any subject taken
/// on) and the team around the child seeded from the pack.
pub(crate) const TRANSFER_TAKEN_ON_SCREENS: [ScreenName; 6] = [
    ScreenName::Today,
    ScreenName::Visit,
    ScreenName::IncomingShares,
    ScreenName::Checklists,
    ScreenName::MeetingPacks,
    ScreenName::Share,
];

/// What time passing can change.
const DEADLINE_SCREENS: [ScreenName; 4] = [
    ScreenName::Today,
    ScreenName::IncomingShares,
    ScreenName::SharesSent,
    ScreenName::Referrals,
];

/// What a meeting's start changes: its pack's buttons ("shared at the meeting", "challenge
/// the minutes") open, and a conference no longer waits for oversight on Supervision.
const MEETING_SCREENS: [ScreenName; 2] = [ScreenName::MeetingPacks, ScreenName::Supervision];

/// A deadline and a meeting's start passed between two checks.
const DEADLINE_AND_MEETING_SCREENS: [ScreenName; 6] = [
    ScreenName::Today,
    ScreenName::IncomingShares,
    ScreenName::SharesSent,
    ScreenName::Referrals,
    ScreenName::MeetingPacks,
    ScreenName::Supervision,
];

/// What a new London day can change besides: supervision actions' "due today" become
/// overdue, and both screens word dates relative to today.
const NEW_DAY_SCREENS: [ScreenName; 6] = [
    ScreenName::Today,
    ScreenName::IncomingShares,
    ScreenName::SharesSent,
    ScreenName::Referrals,
    ScreenName::MeetingPacks,
    ScreenName::Supervision,
];

/// Something a screen shows changed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChangeEvent {
    /// Why.
    pub cause: ChangeCause,
    /// The screens to rebuild (in a fixed order, no repeats).
    pub screens: Vec<ScreenName>,
}

/// Told when something a screen shows changed. Called on the thread that made the change
/// (which may be a background sync), with no SafeShare lock held; keep it quick (post to the
/// UI thread and return).
pub trait ChangeListener: Send + Sync {
    /// Something changed.
    fn changed(&self, event: ChangeEvent);
}

/// What a pull can change: every screen showing shares, referrals, the directory, the team
/// around the child or the status.
pub(crate) const PULLED_SCREENS: [ScreenName; 9] = [
    ScreenName::Today,
    ScreenName::IncomingShares,
    ScreenName::SharesSent,
    ScreenName::Referrals,
    ScreenName::Contacts,
    ScreenName::Sync,
    ScreenName::Checklists,
    ScreenName::MeetingPacks,
    ScreenName::Share,
];

/// What [`Session::check_deadlines`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DeadlineCheck {
    /// Whether "needs attention now", the London day or the meetings started changed since
    /// the last check (an event was sent).
    pub changed: bool,
    /// When to check again (no later than [`MAX_CHECK_INTERVAL_MINUTES`] from now).
    pub next_check_at: DateTime<Utc>,
}

/// What the deadline check compares between two checks: the London day, each item and
/// whether it is overdue, and how many meeting packs' meetings have started.
pub(crate) type AttentionShape = (NaiveDate, Vec<(AttentionKind, bool)>, u64);

impl Session {
    /// Registers the listener told about changes (replacing any earlier one); `None` removes it.
    pub fn set_change_listener(&self, listener: Option<Arc<dyn ChangeListener>>) {
        let mut slot = self
            .change_listener
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *slot = listener;
    }

    /// Tells the listener, if any, that the screens a practitioner's action changes
    /// ([`screens_for`]) changed because of `cause`, when `result` says the action succeeded;
    /// passes `result` through.
    pub(crate) fn notify_if_ok<T, E>(
        &self,
        cause: ChangeCause,
        result: Result<T, E>,
    ) -> Result<T, E> {
        if result.is_ok() {
            self.notify_recorded(cause);
        }
        result
    }

    /// Tells the listener, if any, that a practitioner's action recorded for `cause` changed
    /// the screens [`screens_for`] names.
    pub(crate) fn notify_recorded(&self, cause: ChangeCause) {
        self.notify(cause, screens_for(cause));
    }

    /// Tells the listener, if any, that `screens` changed because of `cause`. Never fails:
    /// the change it reports has already happened.
    pub(crate) fn notify(&self, cause: ChangeCause, screens: &[ScreenName]) {
        let listener = self
            .change_listener
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let Some(listener) = listener else {
            return;
        };
        let mut screens = screens.to_vec();
        screens.sort();
        screens.dedup();
        let event = ChangeEvent { cause, screens };
        if catch_unwind(AssertUnwindSafe(|| listener.changed(event))).is_err() {
            tracing::warn!("change listener panicked; the change itself stands");
        }
    }

    /// Checks whether time has changed "needs attention now" since the last check, telling the
    /// listener if so, and says when to check next (see the module docs). The first check of
    /// a session only takes note of the list (the shell builds its first screen anyway).
    pub fn check_deadlines(&self) -> Result<DeadlineCheck, AppError> {
        let now = self.now()?;
        let items = self.needs_attention_at(now)?;
        let today = london_date(now);
        let meetings_started =
            self.with_store(|store| Ok(store.count_occurred_by(MeetingPack::KIND, now)?))?;
        let shape: AttentionShape = (
            today,
            items
                .iter()
                .map(|a| (a.item.kind.clone(), a.item.overdue))
                .collect(),
            meetings_started,
        );
        let (items_changed, day_changed, meeting_started) = {
            let mut last = self
                .last_attention
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let found = last.as_ref().map_or((false, false, false), |before| {
                (
                    before.1 != shape.1,
                    before.0 != shape.0,
                    before.2 != shape.2,
                )
            });
            *last = Some(shape);
            found
        };
        let changed = items_changed || day_changed || meeting_started;
        if day_changed {
            self.notify(ChangeCause::DeadlinePassed, &NEW_DAY_SCREENS);
        } else if items_changed && meeting_started {
            self.notify(ChangeCause::DeadlinePassed, &DEADLINE_AND_MEETING_SCREENS);
        } else if items_changed {
            self.notify(ChangeCause::DeadlinePassed, &DEADLINE_SCREENS);
        } else if meeting_started {
            self.notify(ChangeCause::DeadlinePassed, &MEETING_SCREENS);
        }
        let soon = Duration::minutes(i64::from(self.config().attention.soon_minutes));
        let mut next = now + Duration::minutes(MAX_CHECK_INTERVAL_MINUTES);
        if let Some(midnight) = next_london_midnight(today) {
            next = next.min(midnight);
        }
        for item in items.iter().filter(|a| !a.item.overdue) {
            next = next.min(item.item.due);
        }
        if let Some(due) = self.with_store(|store| Ok(store.next_due_after(now)?))? {
            // It enters the list when it comes within the window, and turns overdue at `due`.
            next = next.min(if due - soon > now { due - soon } else { due });
        }
        // The index's windows, worked out by the reading above: an escalation step's due time
        // (sealed in its record) is there too.
        if let Some(from) = self.with_store(|store| Ok(store.next_show_from_after(now)?))? {
            next = next.min(from);
        }
        // A meeting's start: its pack's buttons open, and it leaves Supervision's conferences
        // ahead (the meeting time is a clear column; nothing is decrypted).
        if let Some(start) =
            self.with_store(|store| Ok(store.next_occurred_after(MeetingPack::KIND, now)?))?
        {
            next = next.min(start);
        }
        // Never "now" again: a check at the same instant would find nothing new.
        let next_check_at = next.max(now + Duration::seconds(1));
        Ok(DeadlineCheck {
            changed,
            next_check_at,
        })
    }
}

/// The instant the London day after `today` starts; `None` only if chrono cannot name it
/// (then the 15-minute bound stands).
fn next_london_midnight(today: NaiveDate) -> Option<DateTime<Utc>> {
    london_to_utc(today.succ_opt()?.and_hms_opt(0, 0, 0)?)
}

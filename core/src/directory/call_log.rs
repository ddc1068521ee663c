//! The call log: a call started from the app, and what the practitioner records afterwards.
//!
//! Owns: the record of one phone call to a team, in two steps. When the practitioner taps
//! the number, [`CallLog::start`] records who called which team on which number, when, and
//! why that number (the [`CallTarget`]). After the call, [`CallLog::record_outcome`] adds who
//! answered, what was shared and the outcome, once: a clinical record is not overwritten, so
//! a second outcome is refused (a correction belongs in a new record that points at this one).
//!
//! Invariants: an outcome is never dated before the call started; a call where someone was
//! spoken to names who answered and says what was shared. Only a conversation whose
//! understanding was checked (read-back, as the information-sharing guidance asks) counts as
//! reaching the team for an overdue share: a voicemail or an unanswered call never does.
//!
//! Who answered and what was shared may be personal data, so [`fmt::Debug`] redacts them and
//! nothing here logs them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use ulid::Ulid;

use super::choice::{CallReason, CallTarget};
use super::phone::PhoneNumber;
use crate::clock::Clock;
use crate::model::{PractitionerId, ShareId, TeamId};

/// A call log entry's id (ULID, made on the phone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CallLogId(Ulid);

impl CallLogId {
    /// A fresh id.
    pub fn new() -> Self {
        Self(Ulid::new())
    }
}

impl Default for CallLogId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for CallLogId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// How the call went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    /// Spoke to someone in (or answering for) the team.
    Spoke,
    /// Left a voicemail or a message with someone else.
    MessageLeft,
    /// Not answered, or engaged.
    NoAnswer,
    /// The number did not reach the team (the directory may need correcting).
    WrongNumber,
}

/// What the practitioner records after the call.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallOutcomeRecord {
    /// When the outcome was recorded.
    pub recorded_at: DateTime<Utc>,
    /// How the call went.
    pub outcome: CallOutcome,
    /// Who answered (name and role), when someone did.
    pub answered_by: Option<String>,
    /// What was shared, in the practitioner's words.
    pub what_was_shared: String,
    /// Whether the practitioner checked the recipient's understanding (read-back).
    pub understanding_checked: bool,
}

impl fmt::Debug for CallOutcomeRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallOutcomeRecord")
            .field("recorded_at", &self.recorded_at)
            .field("outcome", &self.outcome)
            .field(
                "answered_by",
                &self.answered_by.as_ref().map(|_| "<redacted>"),
            )
            .field("what_was_shared", &"<redacted>")
            .field("understanding_checked", &self.understanding_checked)
            .finish()
    }
}

/// Why an outcome was refused; the log is unchanged.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum CallLogError {
    /// The outcome of this call is already recorded.
    #[error("the outcome of this call is already recorded; record a correction as a new entry")]
    OutcomeAlreadyRecorded,
    /// The outcome is dated before the call started (clock skew or a wrong time entered).
    #[error("the outcome cannot be recorded before the call started")]
    OutcomeBeforeCall,
    /// Spoke to someone, but who is not recorded.
    #[error("record who answered the call")]
    AnsweredByMissing,
    /// Spoke to someone, but what was shared is not recorded.
    #[error("record what was shared on the call")]
    WhatWasSharedMissing,
}

/// One call to a team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallLog {
    /// This entry's id.
    pub id: CallLogId,
    /// Who made the call.
    pub practitioner: PractitionerId,
    /// The team the practitioner meant to reach.
    pub team: TeamId,
    /// The team whose number was rung (the emergency duty team when redirected).
    pub answering_team: TeamId,
    /// The number rung.
    pub number: PhoneNumber,
    /// Why that number was chosen.
    pub reason: CallReason,
    /// When the call was started from the app.
    pub started_at: DateTime<Utc>,
    /// The share this call chases, when it was prompted by an unacknowledged share.
    pub regarding_share: Option<ShareId>,
    /// What happened, once recorded.
    pub outcome: Option<CallOutcomeRecord>,
}

impl CallLog {
    /// Records the start of a call to `target`, now.
    pub fn start(
        target: &CallTarget,
        practitioner: PractitionerId,
        regarding_share: Option<ShareId>,
        clock: &dyn Clock,
    ) -> Self {
        Self {
            id: CallLogId::new(),
            practitioner,
            team: target.for_team,
            answering_team: target.answering_team,
            number: target.number.clone(),
            reason: target.reason,
            started_at: clock.now(),
            regarding_share,
            outcome: None,
        }
    }

    /// Records how the call went, once. `answered_by` and `what_was_shared` are required
    /// when someone was spoken to.
    pub fn record_outcome(
        &mut self,
        outcome: CallOutcome,
        answered_by: Option<String>,
        what_was_shared: String,
        understanding_checked: bool,
        clock: &dyn Clock,
    ) -> Result<(), CallLogError> {
        if self.outcome.is_some() {
            return Err(CallLogError::OutcomeAlreadyRecorded);
        }
        let recorded_at = clock.now();
        if recorded_at < self.started_at {
            return Err(CallLogError::OutcomeBeforeCall);
        }
        let answered_by = answered_by.filter(|s| !s.trim().is_empty());
        if outcome == CallOutcome::Spoke {
            if answered_by.is_none() {
                return Err(CallLogError::AnsweredByMissing);
            }
            if what_was_shared.trim().is_empty() {
                return Err(CallLogError::WhatWasSharedMissing);
            }
        }
        self.outcome = Some(CallOutcomeRecord {
            recorded_at,
            outcome,
            answered_by,
            what_was_shared,
            // Read-back needs a conversation; anything else cannot have checked it.
            understanding_checked: understanding_checked && outcome == CallOutcome::Spoke,
        });
        Ok(())
    }

    /// Whether the team was reached: spoken to, with understanding checked. Only such a
    /// call can stand in for an acknowledgement of an overdue share.
    pub fn reached_team(&self) -> bool {
        self.outcome
            .as_ref()
            .is_some_and(|o| o.outcome == CallOutcome::Spoke && o.understanding_checked)
    }

    /// The share whose escalation this call closes, if it chased one and reached the team.
    pub fn closes_escalation_of(&self) -> Option<ShareId> {
        self.regarding_share.filter(|_| self.reached_team())
    }
}

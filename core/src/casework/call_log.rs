//! The call log: a call started from the app, what the practitioner records afterwards, and
//! the information-sharing decision record it becomes.
//!
//! Owns: the record of one phone call to a team, in two steps. When the practitioner taps the
//! number, [`CallLog::start`] records who called which team on which number, when, and why
//! that number (the [`CallTarget`]). After the call, [`CallLog::record_outcome`] adds who
//! answered, what was shared (each item fact or opinion), how understanding was checked and
//! what came of it, once: a clinical record is not overwritten, so a second outcome is refused
//! (a correction belongs in a new record). [`CallLog::decision_record`] then turns a call in
//! which information was shared into an information-sharing decision record
//! ([`crate::casework::decision::DecisionRecord`], channel phone), with the purpose, lawful basis,
//! principles and whether the individual was told, which only the practitioner can supply.
//!
//! Invariants: an outcome is never dated before the call started; a call where someone was
//! spoken to names who answered (name and role), lists what was shared and says how
//! understanding was checked (a phone call cannot "await acknowledgement"). Only a
//! conversation whose understanding was read back counts as reaching the team for an overdue
//! share: a voicemail or an unanswered call never does (docs/domain.md: the sender confirms the
//! recipient's understanding; over- or under-emphasis is a known failure).
//!
//! The number to ring and why ([`CallTarget`], [`CallReason`]) are chosen by the directory
//! (`core/src/directory/choice.rs`, which re-exports them) but defined here with the log that
//! records them: the field store keeps call logs, and it sits above case work and below the
//! directory, so everything a stored call holds is defined at or below the store.
//!
//! Who answered and what was shared may be personal data, so [`fmt::Debug`] redacts them and
//! nothing here logs them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use ulid::Ulid;

use super::decision::{
    Answerer, DecisionError, DecisionRecord, IndividualInformed, LawfulBasis, PhoneCallLog,
    Principles, SharedItem, SpecialCategoryCondition, UnderstandingCheck,
};
use crate::clock::Clock;
use crate::model::{PersonId, PhoneNumber, PractitionerId, ShareId, TeamId};
use crate::rules::acknowledgement::{CallTeamPrompt, ShareRecord};

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

impl std::str::FromStr for CallLogId {
    type Err = crate::model::IdParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ulid::from_string(s)
            .map(Self)
            .map_err(|_| crate::model::IdParseError { kind: "call" })
    }
}

/// How the call went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
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

/// What the practitioner enters after the call.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CallOutcomeInput {
    /// How the call went.
    pub outcome: CallOutcome,
    /// Who answered (or took the message), when someone did.
    pub answered_by: Option<Answerer>,
    /// What was shared, item by item, each fact or opinion; empty when nothing was.
    pub shared: Vec<SharedItem>,
    /// How the recipient's understanding was checked (read back, or why not).
    pub understanding: UnderstandingCheck,
    /// What came of it (e.g. "MASH to screen today; will call back by 4pm").
    pub note: String,
}

/// What was recorded after the call.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CallOutcomeRecord {
    /// When the outcome was recorded.
    pub recorded_at: DateTime<Utc>,
    /// How the call went.
    pub outcome: CallOutcome,
    /// Who answered, when someone did.
    pub answered_by: Option<Answerer>,
    /// What was shared.
    pub shared: Vec<SharedItem>,
    /// How understanding was checked.
    pub understanding: UnderstandingCheck,
    /// What came of it.
    pub note: String,
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
            .field("shared_items", &self.shared.len())
            .field("understanding_read_back", &self.read_back())
            .field("note", &"<redacted>")
            .finish()
    }
}

impl fmt::Debug for CallOutcomeInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallOutcomeInput")
            .field("outcome", &self.outcome)
            .field("shared_items", &self.shared.len())
            .finish_non_exhaustive()
    }
}

impl CallOutcomeRecord {
    fn read_back(&self) -> bool {
        matches!(self.understanding, UnderstandingCheck::ReadBack { .. })
    }
}

/// Why this number was chosen. The shell shows [`CallTarget::explanation`]; the variant lets
/// it style the button (e.g. warn on [`CallReason::NothingOpenNow`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum CallReason {
    /// The team is open and this is its direct in-hours line.
    TeamOpen,
    /// The team is closed; this is its out-of-hours number.
    TeamClosedOutOfHoursNumber,
    /// Children's social care is closed; this is the emergency duty team.
    EmergencyDutyTeam,
    /// The team is open but has no in-hours number: the switchboard, asking for the team.
    SwitchboardNoDirectNumber,
    /// The team is closed and has no out-of-hours number: the switchboard, asking for it.
    SwitchboardNoOutOfHoursNumber,
    /// The team is open but has no in-hours number or switchboard: its out-of-hours number.
    OutOfHoursNumberNoOtherRoute,
    /// Nothing known is open now; this number may not be answered.
    NothingOpenNow,
}

impl CallReason {
    /// Whether someone is expected to answer (false only for [`CallReason::NothingOpenNow`]).
    pub fn expects_answer(&self) -> bool {
        !matches!(self, Self::NothingOpenNow)
    }
}

/// What the shell needs to place the call and say why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CallTarget {
    /// The team the practitioner asked to reach.
    pub for_team: TeamId,
    /// The team whose number this is (the emergency duty team when redirected).
    pub answering_team: TeamId,
    /// That team's name, for the call log and the sharing record.
    pub answering_team_name: String,
    /// The number.
    pub number: PhoneNumber,
    /// The number in E.164 form.
    pub e164: String,
    /// The RFC 3966 URI for the dialler (`tel:+44...`).
    pub tel_uri: String,
    /// What the button says, e.g. "Fictional Trust switchboard: ask for Community midwifery".
    pub label: String,
    /// Why this number.
    pub reason: CallReason,
    /// The reason in words, for the practitioner.
    pub explanation: String,
    /// Whether someone is expected to answer ([`CallReason::expects_answer`]): false when
    /// nothing is open now, so the shell can say the call may go unanswered.
    pub expects_answer: bool,
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
    /// Spoke to someone, but their name or role is not recorded.
    #[error("record the name and role of who answered the call")]
    AnsweredByMissing,
    /// Spoke to someone, but nothing is listed as shared.
    #[error("record what was shared on the call")]
    WhatWasSharedMissing,
    /// A read-back with no summary, or "not checked" with no reason.
    #[error("record what the recipient read back, or why understanding was not checked")]
    UnderstandingMissing,
    /// The number was chosen for a different team from the one the prompt names.
    #[error("this number is not for the team the share went to")]
    TargetNotForPromptedTeam,
    /// "Awaiting acknowledgement" is for secure messages, not calls.
    #[error("a phone call cannot wait for acknowledgement: record the read-back, or why not")]
    AwaitingAcknowledgementOnACall,
}

/// Why a call could not become an information-sharing record.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum CallRecordError {
    /// The outcome has not been recorded yet.
    #[error("record the outcome of the call first")]
    NoOutcome,
    /// Nobody answered or nothing was shared, so there is no share to record.
    #[error("nothing was shared with anyone on this call, so it is not an information share")]
    NothingShared,
    /// The sharing record's own rules refused it (e.g. a principle unaffirmed without reason).
    #[error(transparent)]
    Decision(#[from] DecisionError),
}

/// The decision to share made on a call: what only the practitioner can add to turn the call
/// into an information-sharing decision record (the rest, who answered and what was said, is
/// the call's outcome).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CallDecisionToShare {
    /// Who the information is about.
    pub about: Vec<PersonId>,
    /// The purpose: a clear and legitimate reason.
    pub purpose: String,
    /// Lawful basis.
    pub lawful_basis: LawfulBasis,
    /// Special-category condition, if any.
    pub special_category: Option<SpecialCategoryCondition>,
    /// The six principles.
    pub principles: Principles,
    /// Whether the individual was told, or why not.
    pub individual_informed: IndividualInformed,
}

/// One call to a team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CallLog {
    /// This entry's id.
    pub id: CallLogId,
    /// Who made the call.
    pub practitioner: PractitionerId,
    /// The team the practitioner meant to reach.
    pub team: TeamId,
    /// The team whose number was rung (the emergency duty team when redirected).
    pub answering_team: TeamId,
    /// That team's name at the time of the call.
    pub answering_team_name: String,
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
            answering_team_name: target.answering_team_name.clone(),
            number: target.number.clone(),
            reason: target.reason,
            started_at: clock.now(),
            regarding_share,
            outcome: None,
        }
    }

    /// Records the start of a call made from a "call this team now" prompt for an overdue
    /// share, so that its outcome can close that share's escalation. `target` must be the
    /// number chosen for the prompt's team.
    pub fn start_for_prompt(
        target: &CallTarget,
        prompt: &CallTeamPrompt,
        practitioner: PractitionerId,
        clock: &dyn Clock,
    ) -> Result<Self, CallLogError> {
        if target.for_team != prompt.team {
            return Err(CallLogError::TargetNotForPromptedTeam);
        }
        Ok(Self::start(target, practitioner, Some(prompt.share), clock))
    }

    /// Records how the call went, once (see the module invariants for what is required).
    pub fn record_outcome(
        &mut self,
        input: CallOutcomeInput,
        clock: &dyn Clock,
    ) -> Result<(), CallLogError> {
        if self.outcome.is_some() {
            return Err(CallLogError::OutcomeAlreadyRecorded);
        }
        let recorded_at = clock.now();
        if recorded_at < self.started_at {
            return Err(CallLogError::OutcomeBeforeCall);
        }
        let answered_by = input.answered_by.and_then(|a| {
            let name = a.name.trim().to_owned();
            let role = a.role.trim().to_owned();
            (!name.is_empty() && !role.is_empty()).then_some(Answerer { name, role })
        });
        let shared: Vec<SharedItem> = input
            .shared
            .into_iter()
            .filter(|item| !crate::rules::normalise::is_blank(&item.text))
            .collect();
        let understanding = match input.understanding {
            UnderstandingCheck::AwaitingAcknowledgement => {
                return Err(CallLogError::AwaitingAcknowledgementOnACall)
            }
            UnderstandingCheck::ReadBack { recipient_summary }
                if crate::rules::normalise::is_blank(&recipient_summary) =>
            {
                return Err(CallLogError::UnderstandingMissing)
            }
            UnderstandingCheck::NotChecked { reason }
                if crate::rules::normalise::is_blank(&reason) =>
            {
                return Err(CallLogError::UnderstandingMissing)
            }
            u => u,
        };
        if input.outcome == CallOutcome::Spoke {
            if answered_by.is_none() {
                return Err(CallLogError::AnsweredByMissing);
            }
            if shared.is_empty() {
                return Err(CallLogError::WhatWasSharedMissing);
            }
        }
        // A read-back needs a conversation; without one it cannot have happened.
        if input.outcome != CallOutcome::Spoke
            && matches!(understanding, UnderstandingCheck::ReadBack { .. })
        {
            return Err(CallLogError::UnderstandingMissing);
        }
        self.outcome = Some(CallOutcomeRecord {
            recorded_at,
            outcome: input.outcome,
            answered_by,
            shared,
            understanding,
            note: input.note.trim().to_owned(),
        });
        Ok(())
    }

    /// Whether the team was reached: spoken to, with understanding read back. Only such a
    /// call can stand in for an acknowledgement of an overdue share.
    pub fn reached_team(&self) -> bool {
        self.outcome
            .as_ref()
            .is_some_and(|o| o.outcome == CallOutcome::Spoke && o.read_back())
    }

    /// The share whose escalation this call closes, if it chased one and reached the team.
    pub fn closes_escalation_of(&self) -> Option<ShareId> {
        self.regarding_share.filter(|_| self.reached_team())
    }

    /// The information-sharing decision record for this call (a decision to share by phone
    /// with the team that answered), once its outcome is recorded and something was shared
    /// with someone.
    pub fn decision_record(
        &self,
        decision: CallDecisionToShare,
    ) -> Result<DecisionRecord, CallRecordError> {
        let outcome = self.outcome.as_ref().ok_or(CallRecordError::NoOutcome)?;
        let answered_by = match (&outcome.answered_by, outcome.shared.is_empty()) {
            (Some(a), false) => a.clone(),
            _ => return Err(CallRecordError::NothingShared),
        };
        let note = if outcome.note.is_empty() {
            outcome_words(outcome.outcome).to_owned()
        } else {
            outcome.note.clone()
        };
        Ok(DecisionRecord::from_phone_call(PhoneCallLog {
            about: decision.about,
            called_by: self.practitioner,
            called_at: self.started_at,
            team: self.answering_team,
            team_name: self.answering_team_name.clone(),
            number_dialled: self.number.e164().to_owned(),
            answered_by,
            purpose: decision.purpose,
            lawful_basis: decision.lawful_basis,
            special_category: decision.special_category,
            shared: outcome.shared.clone(),
            principles: decision.principles,
            individual_informed: decision.individual_informed,
            understanding: outcome.understanding.clone(),
            outcome: note,
        })?)
    }
}

fn outcome_words(outcome: CallOutcome) -> &'static str {
    match outcome {
        CallOutcome::Spoke => "spoke to the team",
        CallOutcome::MessageLeft => "message left",
        CallOutcome::NoAnswer => "no answer",
        CallOutcome::WrongNumber => "wrong number",
    }
}

/// The call that closed the escalation of an unacknowledged share, if any: a call chasing
/// that share, to the team it went to (or the duty team answering for it), made after it was
/// sent, in which the team was spoken to and understanding read back. The first such call
/// counts. The share's own acknowledgement record is unchanged: a phone conversation with a
/// non-user (e.g. a duty social worker) cannot be an in-app acknowledgement, so the sender's
/// screen shows the share as reached by phone rather than acknowledged.
pub fn call_closing_escalation<'a>(
    record: &ShareRecord,
    calls: &'a [CallLog],
) -> Option<&'a CallLog> {
    calls
        .iter()
        .filter(|c| {
            c.closes_escalation_of() == Some(record.share.id)
                && c.team == record.share.team
                && c.started_at >= record.share.sent_at
        })
        .min_by_key(|c| c.started_at)
}

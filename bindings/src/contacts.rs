//! Contacts, calls and what needs attention: load the regional directory (JSON Lines,
//! docs/directory-format.md), search teams, ask core which number to ring for a team at an
//! instant, log a call and its outcome (optionally as an information-sharing record), and the
//! "needs attention now" list with numbers chosen for now. The shell opens the dialler with
//! [`CallTarget::tel_uri`]; the choice (in-hours, out-of-hours, switchboard, emergency duty
//! team) and every wording are core's. The call target, call start and attention item are view
//! records here until core builds them.

use crate::error::{guard, SafeShareError};
use crate::platform::Clock;
use crate::session::{list, Contacts, Session};
use crate::shares::DecisionRecord;
use safeshare_core::app as core_app;
use safeshare_core::boundary::{utc_from_system, UtcInstant};
use safeshare_core::directory::{
    self as core_directory, CallLogId, CallOutcomeInput, CallReason, CallShareContext, Directory,
};
use safeshare_core::model::{PersonId, ReferralId, ShareId, TeamId};
use safeshare_core::rules::attention::AttentionKind as CoreAttentionKind;
use safeshare_core::rules::calendar::Calendar;
use safeshare_core::sync::EnvelopeId;
use std::sync::Arc;

/// The one number to ring for a team now, ready for the dialler.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CallTarget {
    /// The team the practitioner asked to reach.
    pub for_team_id: TeamId,
    /// The team whose number this is (the emergency duty team when redirected).
    pub answering_team_id: TeamId,
    /// That team's name.
    pub answering_team_name: String,
    /// The number in E.164 form.
    pub e164: String,
    /// The RFC 3966 URI to hand to the dialler (`tel:+44...`).
    pub tel_uri: String,
    /// What the call button says (core's words).
    pub label: String,
    /// Why this number.
    pub reason: CallReason,
    /// The reason in words for the practitioner (core's).
    pub explanation: String,
    /// Whether someone is expected to answer (false when nothing is open now; core's rule).
    pub expects_answer: bool,
}

impl From<core_directory::CallTarget> for CallTarget {
    fn from(value: core_directory::CallTarget) -> Self {
        CallTarget {
            for_team_id: value.for_team,
            answering_team_id: value.answering_team,
            answering_team_name: value.answering_team_name,
            e164: value.e164,
            tel_uri: value.tel_uri,
            label: value.label,
            expects_answer: value.reason.expects_answer(),
            reason: value.reason,
            explanation: value.explanation,
        }
    }
}

/// A team as listed in the contacts screen.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TeamSummary {
    /// The team's id (shares and calls are addressed to it).
    pub id: TeamId,
    /// The team's name.
    pub name: String,
    /// The service it provides, in words.
    pub service: String,
}

impl From<&core_directory::Team> for TeamSummary {
    fn from(team: &core_directory::Team) -> Self {
        TeamSummary {
            id: team.id,
            name: team.name.clone(),
            service: team.service.label().to_owned(),
        }
    }
}

/// The regional contacts directory, read-only, with England and Wales bank holidays.
#[derive(uniffi::Object)]
pub struct ContactsDirectory {
    directory: Directory,
    calendar: Calendar,
}

impl ContactsDirectory {
    /// The parsed directory, for the session.
    pub(crate) fn directory(&self) -> &Directory {
        &self.directory
    }
}

#[uniffi::export]
impl ContactsDirectory {
    /// Parses a directory in the JSON Lines format; throws `Validation` on `directory` listing bad lines.
    #[uniffi::constructor]
    pub fn from_jsonl(text: String) -> Result<Arc<Self>, SafeShareError> {
        guard(|| {
            Ok(Arc::new(ContactsDirectory {
                directory: core_directory::parse(&text)?,
                calendar: Calendar::england_and_wales(),
            }))
        })
    }

    /// The directory's version number.
    pub fn version(&self) -> u64 {
        self.directory.version()
    }

    /// The region's name.
    pub fn region(&self) -> String {
        self.directory.region().to_owned()
    }

    /// True for sample data that must never be used for real calls.
    pub fn is_fictional(&self) -> bool {
        self.directory.is_fictional()
    }

    /// Teams whose name or organisation contains `query` (any case), by name.
    pub fn find_teams(&self, query: String) -> Vec<TeamSummary> {
        self.directory
            .find_teams_by_name(&query)
            .into_iter()
            .map(TeamSummary::from)
            .collect()
    }

    /// The number to ring for `team_id` at instant `at`; throws `NotFound` for an unknown team.
    pub fn call_target(
        &self,
        team_id: TeamId,
        at: UtcInstant,
    ) -> Result<CallTarget, SafeShareError> {
        guard(|| {
            let target =
                core_directory::choose_number(&self.directory, team_id, at, &self.calendar)?;
            Ok(target.into())
        })
    }

    /// The number to ring for `team_id` now, as told by the platform `clock`.
    pub fn call_target_now(
        &self,
        team_id: TeamId,
        clock: Arc<dyn Clock>,
    ) -> Result<CallTarget, SafeShareError> {
        guard(|| self.call_target(team_id, utc_from_system(clock.now()?)?))
    }
}

#[uniffi::export]
impl Session {
    /// Everything overdue or due soon, most urgent first, with numbers to ring.
    pub fn needs_attention_now(&self) -> Result<Vec<AttentionItem>, SafeShareError> {
        guard(|| Ok(list(self.inner.needs_attention_now()?)))
    }
}

#[uniffi::export]
impl Contacts {
    /// The number to ring for a team now (`tel:` URI, label, reason).
    pub fn call_target(&self, team_id: TeamId) -> Result<CallTarget, SafeShareError> {
        guard(|| Ok(self.inner.call_target(team_id)?.into()))
    }

    /// Logs a call about to be made and returns the number to dial.
    pub fn start_call(
        &self,
        team_id: TeamId,
        regarding_share_id: Option<ShareId>,
        about_person_id: Option<PersonId>,
    ) -> Result<CallStart, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .start_call(team_id, regarding_share_id, about_person_id)?
                .into())
        })
    }

    /// Records how a call went; with `share_context` it also becomes an information-sharing record.
    pub fn record_call_outcome(
        &self,
        call_id: CallLogId,
        outcome: CallOutcomeInput,
        share_context: Option<CallShareContext>,
    ) -> Result<CallOutcomeReport, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .record_call_outcome(call_id, outcome, share_context)?
                .into())
        })
    }
}

/// A call started from the app: the log entry's id and the number to dial.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CallStart {
    /// The call log entry's id (to record the outcome).
    pub call_id: CallLogId,
    /// The number to dial.
    pub target: CallTarget,
}

impl From<core_app::CallStart> for CallStart {
    fn from(value: core_app::CallStart) -> Self {
        CallStart {
            call_id: value.call.id,
            target: value.target.into(),
        }
    }
}

/// What recording a call's outcome did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CallOutcomeReport {
    /// The call's id.
    pub call_id: CallLogId,
    /// The information-sharing record made from it, when asked for.
    pub decision_record: Option<DecisionRecord>,
    /// The overdue share whose escalation this call closed.
    pub closed_share_id: Option<ShareId>,
}

impl From<core_app::CallOutcomeReport> for CallOutcomeReport {
    fn from(value: core_app::CallOutcomeReport) -> Self {
        CallOutcomeReport {
            call_id: value.call.id,
            decision_record: value.decision_record.map(Into::into),
            closed_share_id: value.closed_share,
        }
    }
}

/// What kind of thing needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum AttentionKind {
    /// No decision on a referral in time: chase the front door.
    ChaseReferralDecision,
    /// A referral decision is due soon.
    ReferralDecisionDueSoon,
    /// A share was not acknowledged in time: call the team now.
    CallTeamNow,
    /// A share's acknowledgement is due soon.
    AcknowledgementDueSoon,
    /// A share to my team awaits acknowledgement.
    AcknowledgeIncomingShare,
    /// A share to my team arrived that this device cannot open: open it on one that can, or
    /// call the sender's team (`team_id`, when known); `envelope_id` names it.
    IncomingShareNotReadable,
    /// Check a recipient's read-back.
    CheckReadBack,
    /// A read-back was misunderstood: phone to correct it.
    CorrectReadBack,
    /// The next escalation step is due.
    EscalationStep,
    /// A pattern alert is outstanding.
    PatternAlert,
    /// A checklist item is due.
    ChecklistItem,
}

/// One thing needing attention now, most urgent first, with the number to ring if a call is asked for.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AttentionItem {
    /// What kind.
    pub kind: AttentionKind,
    /// The share concerned, if any.
    pub share_id: Option<ShareId>,
    /// The envelope concerned, for a share this device cannot open (`IncomingShareNotReadable`).
    pub envelope_id: Option<EnvelopeId>,
    /// The referral concerned, if any.
    pub referral_id: Option<ReferralId>,
    /// The team concerned, if any.
    pub team_id: Option<TeamId>,
    /// When it is or was due.
    pub due: UtcInstant,
    /// Due now or overdue (otherwise due soon).
    pub overdue: bool,
    /// Immediate risk: show above everything.
    pub immediate_risk: bool,
    /// Why, in words (core's).
    pub why: String,
    /// The number to ring now, for items asking for a call.
    pub call: Option<CallTarget>,
    /// Why no number could be chosen, if a call is asked for but none is known.
    pub call_problem: Option<String>,
}

impl From<core_app::AttentionNow> for AttentionItem {
    fn from(value: core_app::AttentionNow) -> Self {
        use AttentionKind as A;
        use CoreAttentionKind as K;
        let item = value.item;
        let mut envelope_id = None;
        let (kind, share, referral, team) = match item.kind {
            K::ChaseReferralDecision {
                referral,
                front_door,
            } => (
                A::ChaseReferralDecision,
                None,
                Some(referral),
                Some(front_door),
            ),
            K::ReferralDecisionDueSoon { referral } => {
                (A::ReferralDecisionDueSoon, None, Some(referral), None)
            }
            K::CallTeamNow { share, team, .. } => (A::CallTeamNow, Some(share), None, Some(team)),
            K::AcknowledgementDueSoon { share, team, .. } => {
                (A::AcknowledgementDueSoon, Some(share), None, Some(team))
            }
            K::AcknowledgeIncomingShare { share, team } => {
                (A::AcknowledgeIncomingShare, Some(share), None, Some(team))
            }
            K::IncomingShareNotReadable {
                envelope,
                sender_team,
                ..
            } => {
                envelope_id = Some(EnvelopeId(envelope));
                (A::IncomingShareNotReadable, None, None, sender_team)
            }
            K::CheckReadBack { share } => (A::CheckReadBack, Some(share), None, None),
            K::CorrectReadBack { share, team } => {
                (A::CorrectReadBack, Some(share), None, Some(team))
            }
            K::EscalationStep { referral, .. } => (A::EscalationStep, None, Some(referral), None),
            K::PatternAlert { .. } => (A::PatternAlert, None, None, None),
            K::ChecklistItem { .. } => (A::ChecklistItem, None, None, None),
        };
        AttentionItem {
            kind,
            share_id: share,
            envelope_id,
            referral_id: referral,
            team_id: team,
            due: item.due,
            overdue: item.overdue,
            immediate_risk: item.immediate_risk,
            why: item.why,
            call: value.call.map(Into::into),
            call_problem: value.call_problem,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::SystemTime;

    const SAMPLE: &str = include_str!("../../data/directory/sample-fictional.jsonl");
    const MIDWIFERY: &str = "01M6A6FT00TTZHYYZ9RZKXMQAR";

    fn at(unix: i64) -> UtcInstant {
        UtcInstant::from_timestamp(unix, 0).unwrap()
    }

    fn team(id: &str) -> TeamId {
        id.parse().unwrap()
    }

    #[test]
    fn midwifery_on_a_tuesday_morning_is_its_direct_line() {
        let dir = ContactsDirectory::from_jsonl(SAMPLE.into()).unwrap();
        // 2026-11-24 10:00 GMT, a Tuesday.
        let target = dir.call_target(team(MIDWIFERY), at(1_795_514_400)).unwrap();
        assert_eq!(target.reason, CallReason::TeamOpen);
        assert_eq!(target.tel_uri, "tel:+441134960101");
        assert!(target.expects_answer);
    }

    #[test]
    fn an_unknown_team_is_not_found() {
        let dir = ContactsDirectory::from_jsonl(SAMPLE.into()).unwrap();
        let unknown = dir.call_target(TeamId::new(), at(1_795_514_400));
        assert!(matches!(unknown, Err(SafeShareError::NotFound { .. })));
    }

    struct PanickingClock;

    impl Clock for PanickingClock {
        fn now(&self) -> Result<SystemTime, crate::PlatformError> {
            panic!("clock callback failed")
        }
    }

    #[test]
    fn a_clock_that_fails_gives_a_typed_internal_error() {
        let dir = ContactsDirectory::from_jsonl(SAMPLE.into()).unwrap();
        let result = dir.call_target_now(team(MIDWIFERY), Arc::new(PanickingClock));
        assert!(matches!(result, Err(SafeShareError::Internal { .. })));
    }
}

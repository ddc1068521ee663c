//! The contacts directory and one-tap calling for the shells: load the regional directory
//! (JSON Lines, docs/directory-format.md), search teams, and ask core which number to ring for
//! a team at an instant. The shell opens the dialler with [`CallTarget::tel_uri`]; the choice
//! (in-hours, out-of-hours, switchboard, emergency duty team) is core's.

use crate::error::{guard, SafeShareError};
use crate::platform::Clock;
use safeshare_core::directory::{self as core_directory, Directory};
use safeshare_core::model::TeamId;
use safeshare_core::rules::calendar::Calendar;
use std::sync::Arc;
use std::time::SystemTime;

/// Why a number was chosen; lets the shell style the call button.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CallReason {
    /// The team is open and this is its direct line.
    TeamOpen,
    /// The team is closed; this is its out-of-hours number.
    TeamClosedOutOfHoursNumber,
    /// Children's social care is closed; this is the emergency duty team.
    EmergencyDutyTeam,
    /// The team is open but has no direct line: the switchboard, asking for the team.
    SwitchboardNoDirectNumber,
    /// The team is closed with no out-of-hours number: the switchboard, asking for it.
    SwitchboardNoOutOfHoursNumber,
    /// The team is open but only its out-of-hours number is known.
    OutOfHoursNumberNoOtherRoute,
    /// Nothing known is open now: the call may go unanswered.
    NothingOpenNow,
}

impl From<core_directory::CallReason> for CallReason {
    fn from(value: core_directory::CallReason) -> Self {
        use core_directory::CallReason as R;
        match value {
            R::TeamOpen => Self::TeamOpen,
            R::TeamClosedOutOfHoursNumber => Self::TeamClosedOutOfHoursNumber,
            R::EmergencyDutyTeam => Self::EmergencyDutyTeam,
            R::SwitchboardNoDirectNumber => Self::SwitchboardNoDirectNumber,
            R::SwitchboardNoOutOfHoursNumber => Self::SwitchboardNoOutOfHoursNumber,
            R::OutOfHoursNumberNoOtherRoute => Self::OutOfHoursNumberNoOtherRoute,
            R::NothingOpenNow => Self::NothingOpenNow,
        }
    }
}

/// The one number to ring for a team now, ready for the dialler.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CallTarget {
    /// The team the practitioner asked to reach.
    pub for_team_id: String,
    /// The team whose number this is (the emergency duty team when redirected).
    pub answering_team_id: String,
    /// That team's name.
    pub answering_team_name: String,
    /// The number in E.164 form.
    pub e164: String,
    /// The RFC 3966 URI to hand to the dialler (`tel:+44...`).
    pub tel_uri: String,
    /// What the call button says.
    pub label: String,
    /// Why this number.
    pub reason: CallReason,
    /// The reason in words for the practitioner.
    pub explanation: String,
    /// Whether someone is expected to answer (false when nothing is open now).
    pub expects_answer: bool,
}

impl From<core_directory::CallTarget> for CallTarget {
    fn from(value: core_directory::CallTarget) -> Self {
        CallTarget {
            for_team_id: value.for_team.to_string(),
            answering_team_id: value.answering_team.to_string(),
            answering_team_name: value.answering_team_name,
            e164: value.e164,
            tel_uri: value.tel_uri,
            label: value.label,
            expects_answer: value.reason.expects_answer(),
            reason: value.reason.into(),
            explanation: value.explanation,
        }
    }
}

/// A team as listed in the contacts screen.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TeamSummary {
    /// The team's id (shares and calls are addressed to it).
    pub id: String,
    /// The team's name.
    pub name: String,
    /// The service it provides, in words.
    pub service: String,
}

impl From<&core_directory::Team> for TeamSummary {
    fn from(team: &core_directory::Team) -> Self {
        TeamSummary {
            id: team.id.to_string(),
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

/// Reads a team id typed or stored by the shell.
pub(crate) fn team_id(text: &str) -> Result<TeamId, SafeShareError> {
    Ok(text.trim().parse::<TeamId>()?)
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
        team_id: String,
        at: SystemTime,
    ) -> Result<CallTarget, SafeShareError> {
        guard(|| {
            let team = self::team_id(&team_id)?;
            let target =
                core_directory::choose_number(&self.directory, team, at.into(), &self.calendar)?;
            Ok(target.into())
        })
    }

    /// The number to ring for `team_id` now, as told by the platform `clock`.
    pub fn call_target_now(
        &self,
        team_id: String,
        clock: Arc<dyn Clock>,
    ) -> Result<CallTarget, SafeShareError> {
        guard(|| self.call_target(team_id, clock.now()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const SAMPLE: &str = include_str!("../../data/directory/sample-fictional.jsonl");
    const MIDWIFERY: &str = "01M6A6FT00TTZHYYZ9RZKXMQAR";

    fn at(unix: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(unix)
    }

    #[test]
    fn midwifery_on_a_tuesday_morning_is_its_direct_line() {
        let dir = ContactsDirectory::from_jsonl(SAMPLE.into()).unwrap();
        // 2026-11-24 10:00 GMT, a Tuesday.
        let target = dir
            .call_target(MIDWIFERY.into(), at(1_795_514_400))
            .unwrap();
        assert_eq!(target.reason, CallReason::TeamOpen);
        assert_eq!(target.tel_uri, "tel:+441134960101");
        assert!(target.expects_answer);
    }

    #[test]
    fn an_unknown_team_is_not_found_and_a_garbled_id_is_a_validation_error() {
        let dir = ContactsDirectory::from_jsonl(SAMPLE.into()).unwrap();
        let unknown = dir.call_target(TeamId::new().to_string(), at(1_795_514_400));
        assert!(matches!(unknown, Err(SafeShareError::NotFound { .. })));
        let garbled = dir.call_target("nope".into(), at(1_795_514_400));
        assert!(
            matches!(garbled, Err(SafeShareError::Validation { field, .. }) if field == "team_id")
        );
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
        let result = dir.call_target_now(MIDWIFERY.into(), Arc::new(PanickingClock));
        assert!(matches!(result, Err(SafeShareError::Internal { .. })));
    }
}

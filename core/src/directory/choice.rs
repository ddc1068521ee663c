//! Number choice: the one number to ring for a team at this moment, and why.
//!
//! Owns the rule from the contacts issue: the team's in-hours number while it is open; when it
//! is closed, its out-of-hours number; failing that the organisation's switchboard, labelled
//! "ask for \<team\>"; and for children's social care out of hours, the emergency duty team.
//! Nothing is ever returned silently: if no number at all is known, a typed error names the
//! team.
//!
//! Choices the issue leaves open, taken the safer way (a number that will be answered beats
//! one that is "correct" but rings out):
//! - Team open but no in-hours number: the switchboard ("ask for"), then its out-of-hours
//!   number, since a team that is open is reached through whoever answers for it.
//! - A switchboard with stated hours that is closed is skipped while a better route exists.
//! - Children's social care out of hours: the emergency duty team named on the team, else an
//!   emergency duty team of the same local authority (one covering the same areas first). If
//!   the duty team cannot be reached either, the front door's own out-of-hours route is used.
//! - When nothing is open, a number is still returned (the team's in-hours line, then the
//!   switchboard) with [`CallReason::NothingOpenNow`] so the shell can say it may go
//!   unanswered, rather than offering nothing while a child may be at risk.
//! - A team-level switchboard (e.g. a hospital's, for a ward) follows the organisation's
//!   switchboard hours.

use chrono::{DateTime, Utc};

use super::contacts::Directory;
use super::model::{Organisation, Service, Team};
use super::phone::PhoneNumber;
use crate::model::TeamId;
use crate::rules::calendar::Calendar;

// What a choice returns is defined with the call log that records it (below the store, which
// keeps call logs); re-exported here so the choice reads as before.
pub use crate::casework::call_log::{CallReason, CallTarget};

/// Why no number could be chosen.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum NumberChoiceError {
    /// The team is not in the directory (e.g. removed by a newer version).
    #[error("team {0} is not in the contacts directory")]
    UnknownTeam(TeamId),
    /// The directory holds no number for the team, its organisation or its duty team.
    #[error("no phone number is known for {team_name}: no team number and no switchboard")]
    NoNumber {
        /// The team.
        team: TeamId,
        /// Its name, for the message the practitioner sees.
        team_name: String,
    },
}

/// A candidate before it becomes a [`CallTarget`].
struct Pick<'a> {
    answering: &'a Team,
    number: &'a PhoneNumber,
    label: String,
    reason: CallReason,
    explanation: String,
}

/// Chooses the number to ring for `team` at `at` (see the module rules).
pub fn choose_number(
    directory: &Directory,
    team: TeamId,
    at: DateTime<Utc>,
    calendar: &Calendar,
) -> Result<CallTarget, NumberChoiceError> {
    let wanted = directory
        .team(team)
        .ok_or(NumberChoiceError::UnknownTeam(team))?;
    let own = pick_for(directory, wanted, at, calendar);
    let closed_csc = wanted.service == Service::ChildrensSocialCareFrontDoor
        && !wanted.hours.is_open_at(at, calendar);
    let pick = if closed_csc {
        let duty = emergency_duty_team(directory, wanted)
            .and_then(|edt| pick_for(directory, edt, at, calendar))
            .filter(|p| p.reason.expects_answer())
            .map(|p| Pick {
                label: format!("{} (out of hours for {})", p.label, wanted.name),
                reason: CallReason::EmergencyDutyTeam,
                explanation: format!(
                    "{} is closed now; out of hours, children's social care is reached through the emergency duty team, {}.",
                    wanted.name, p.answering.name
                ),
                ..p
            });
        duty.or(own)
    } else {
        own
    };
    let pick = pick.ok_or_else(|| NumberChoiceError::NoNumber {
        team,
        team_name: wanted.name.clone(),
    })?;
    Ok(CallTarget {
        for_team: team,
        answering_team: pick.answering.id,
        answering_team_name: pick.answering.name.clone(),
        e164: pick.number.e164().to_owned(),
        tel_uri: pick.number.tel_uri(),
        number: pick.number.clone(),
        label: pick.label,
        expects_answer: pick.reason.expects_answer(),
        reason: pick.reason,
        // The dialler may not dial `;ext=`: the practitioner is told which extension to ask
        // for.
        explanation: match pick.number.extension_prompt() {
            Some(ask) => format!("{} {ask}.", pick.explanation),
            None => pick.explanation,
        },
    })
}

/// The best number for one team by its own numbers and its organisation's switchboard.
fn pick_for<'a>(
    directory: &'a Directory,
    team: &'a Team,
    at: DateTime<Utc>,
    calendar: &Calendar,
) -> Option<Pick<'a>> {
    let org = directory.organisation(team.organisation);
    let open = team.hours.is_open_at(at, calendar);
    let switchboard = switchboard_for(team, org);
    let switchboard_open = org.is_none_or(|o| o.switchboard_hours.is_open_at(at, calendar));
    let org_name = org.map(|o| o.name.as_str()).unwrap_or("Organisation");
    let name = team.name.as_str();

    let pick = |number: &'a PhoneNumber, label: String, reason, explanation: String| Pick {
        answering: team,
        number,
        label,
        reason,
        explanation,
    };
    let via_switchboard = |number: &'a PhoneNumber, reason, why: &str| {
        pick(
            number,
            format!("{org_name} switchboard: ask for {name}"),
            reason,
            format!("{why}; ring the {org_name} switchboard and ask for {name}."),
        )
    };

    if open {
        if let Some(n) = &team.numbers.in_hours {
            return Some(pick(
                n,
                format!("{name} (in hours)"),
                CallReason::TeamOpen,
                format!("{name} is open now; this is its direct line."),
            ));
        }
        if let Some(n) = switchboard.filter(|_| switchboard_open) {
            return Some(via_switchboard(
                n,
                CallReason::SwitchboardNoDirectNumber,
                &format!("{name} is open now but has no direct number"),
            ));
        }
        if let Some(n) = &team.numbers.out_of_hours {
            return Some(pick(
                n,
                format!("{name} (out-of-hours number)"),
                CallReason::OutOfHoursNumberNoOtherRoute,
                format!(
                    "{name} is open now but has no direct number or switchboard; this is its out-of-hours number."
                ),
            ));
        }
    } else {
        if let Some(n) = &team.numbers.out_of_hours {
            return Some(pick(
                n,
                format!("{name} (out of hours)"),
                CallReason::TeamClosedOutOfHoursNumber,
                format!("{name} is closed now; this is its out-of-hours number."),
            ));
        }
        if let Some(n) = switchboard.filter(|_| switchboard_open) {
            return Some(via_switchboard(
                n,
                CallReason::SwitchboardNoOutOfHoursNumber,
                &format!("{name} is closed now and has no out-of-hours number"),
            ));
        }
    }
    // Nothing that should answer now: still offer a number, flagged.
    let fallback = team
        .numbers
        .in_hours
        .as_ref()
        .map(|n| (n, format!("{name} (closed now; may not be answered)")))
        .or_else(|| {
            switchboard.map(|n| {
                (
                    n,
                    format!(
                        "{org_name} switchboard: ask for {name} (closed now; may not be answered)"
                    ),
                )
            })
        })
        .or_else(|| {
            team.numbers.out_of_hours.as_ref().map(|n| {
                (
                    n,
                    format!("{name} (out-of-hours number; may not be answered)"),
                )
            })
        });
    fallback.map(|(n, label)| {
        pick(
            n,
            label,
            CallReason::NothingOpenNow,
            format!(
                "Nothing known for {name} is open now; this number may not be answered. If a child may be at immediate risk, call 999."
            ),
        )
    })
}

fn switchboard_for<'a>(team: &'a Team, org: Option<&'a Organisation>) -> Option<&'a PhoneNumber> {
    team.numbers
        .switchboard
        .as_ref()
        .or_else(|| org.and_then(|o| o.switchboard.as_ref()))
}

/// The emergency duty team covering a children's social care team out of hours: the one named
/// on the team, else one of the same organisation (one covering the same areas first).
pub(crate) fn emergency_duty_team<'a>(directory: &'a Directory, csc: &Team) -> Option<&'a Team> {
    if let Some(id) = csc.out_of_hours_team {
        return directory.team(id);
    }
    let same_org = directory
        .teams_of(csc.organisation)
        .into_iter()
        .filter(|t| t.service == Service::EmergencyDutyTeam);
    let mut best: Option<&Team> = None;
    for t in same_org {
        let overlaps = csc.areas.iter().any(|a| t.covers(a));
        let best_overlaps = best.is_some_and(|b| csc.areas.iter().any(|a| b.covers(a)));
        if best.is_none() || (overlaps && !best_overlaps) {
            best = Some(t);
        }
    }
    best
}

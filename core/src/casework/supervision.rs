//! Safeguarding supervision records, and the prompt when a practitioner is going to a Child
//! Protection Conference without supervision oversight of that child recorded beforehand.
//!
//! Source: the regional briefings (docs/domain.md, "Supervision"): front-line staff are
//! expected to have supervision oversight before decision-making at a Child Protection
//! Conference.
//!
//! What counts as oversight is not defined there. The safer reading, used here: a supervision
//! record for this practitioner, held before the conference, that discussed *this child*, and
//! no older than [`OversightPolicy::max_age`] (default 92 days: safeguarding supervision is
//! commonly at least quarterly in NHS community trusts' policies; a local policy may set it).
//! Anything less raises a prompt, never a block: the conference goes ahead whether or not the
//! app is satisfied, and the prompt is stored with the meeting pack.

use crate::model::{PersonId, PractitionerId, SupervisionId};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Why a supervision record could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SupervisionError {
    /// A required field is empty.
    #[error("{field} is required")]
    Required {
        /// The field.
        field: &'static str,
    },
    /// No case was listed as discussed.
    #[error("cases: list at least one case discussed")]
    NoCases,
    /// The same person is listed twice among the cases discussed (one case, one summary).
    #[error("cases: a person is listed twice as discussed")]
    CaseListedTwice,
    /// The session is recorded as held in the future.
    #[error("held_at is in the future")]
    HeldInFuture,
    /// An action is due before the session it came from.
    #[error("actions: action {index} is due before the supervision was held")]
    ActionDueBeforeSession {
        /// Position of the action (from 1).
        index: usize,
    },
    /// No agreed action at this position.
    #[error("actions: there is no action {index} on this supervision record")]
    NoSuchAction {
        /// Position asked for (from 1).
        index: usize,
    },
    /// The action was already marked done.
    #[error("actions: action {index} is already done")]
    ActionAlreadyDone {
        /// Position of the action (from 1).
        index: usize,
    },
}

/// Who supervised.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Supervisor {
    /// The supervisor as a practitioner, when they are one in the directory.
    pub practitioner: Option<PractitionerId>,
    /// Name and role, e.g. "Alex Lead, named nurse for safeguarding".
    pub name: String,
}

/// A case discussed in supervision.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaseDiscussed {
    /// The child (or other person) whose case it is.
    pub person: PersonId,
    /// What was discussed and concluded.
    pub summary: String,
}

/// An action agreed in supervision.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SupervisionAction {
    /// What is to be done.
    pub action: String,
    /// Who owns it (name and role).
    pub owner: String,
    /// The owner as a practitioner, when they are one.
    pub owner_practitioner: Option<PractitionerId>,
    /// When it is due (Europe/London date).
    pub due: NaiveDate,
}

/// What is entered for a supervision session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSupervision {
    /// The practitioner supervised.
    pub supervisee: PractitionerId,
    /// The supervisor.
    pub supervisor: Supervisor,
    /// When it was held.
    pub held_at: DateTime<Utc>,
    /// Cases discussed.
    pub cases: Vec<CaseDiscussed>,
    /// Actions agreed.
    pub actions: Vec<SupervisionAction>,
}

/// A recorded supervision session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisionRecord {
    /// Identifier.
    pub id: SupervisionId,
    /// The practitioner supervised.
    pub supervisee: PractitionerId,
    /// The supervisor.
    pub supervisor: Supervisor,
    /// When it was held.
    pub held_at: DateTime<Utc>,
    /// Cases discussed.
    pub cases: Vec<CaseDiscussed>,
    /// Actions agreed.
    pub actions: Vec<SupervisionAction>,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Which agreed actions were done, by whom and when (absent in records stored before
    /// actions could be marked done: none done).
    #[serde(default)]
    pub actions_done: Vec<ActionDone>,
}

/// An agreed action marked done.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ActionDone {
    /// The action's position in [`SupervisionRecord::actions`] (from 0).
    pub index: usize,
    /// Who marked it done.
    pub by: PractitionerId,
    /// When.
    pub at: DateTime<Utc>,
}

impl SupervisionRecord {
    /// Validates and records a session at `now`.
    pub fn record(new: NewSupervision, now: DateTime<Utc>) -> Result<Self, SupervisionError> {
        if new.held_at > now {
            return Err(SupervisionError::HeldInFuture);
        }
        let supervisor = Supervisor {
            practitioner: new.supervisor.practitioner,
            name: required("supervisor", new.supervisor.name)?,
        };
        if new.cases.is_empty() {
            return Err(SupervisionError::NoCases);
        }
        // The form refuses a child chosen twice; the record refuses it too, so a direct call
        // (the bindings) cannot write one case under two summaries (a17b's attack).
        let mut seen = std::collections::HashSet::new();
        if !new.cases.iter().all(|c| seen.insert(c.person)) {
            return Err(SupervisionError::CaseListedTwice);
        }
        let cases = new
            .cases
            .into_iter()
            .map(|c| {
                Ok(CaseDiscussed {
                    person: c.person,
                    summary: required("case_summary", c.summary)?,
                })
            })
            .collect::<Result<Vec<_>, SupervisionError>>()?;
        let held_on = crate::model::london_date(new.held_at);
        let mut actions = Vec::with_capacity(new.actions.len());
        for (i, a) in new.actions.into_iter().enumerate() {
            if a.due < held_on {
                return Err(SupervisionError::ActionDueBeforeSession { index: i + 1 });
            }
            actions.push(SupervisionAction {
                action: required("action", a.action)?,
                owner: required("action_owner", a.owner)?,
                owner_practitioner: a.owner_practitioner,
                due: a.due,
            });
        }
        Ok(Self {
            id: SupervisionId::new(),
            supervisee: new.supervisee,
            supervisor,
            held_at: new.held_at,
            cases,
            actions,
            recorded_at: now,
            actions_done: Vec::new(),
        })
    }

    /// Marks the agreed action at `index` (from 0) done. The record is otherwise unchanged: what
    /// was discussed and agreed is never rewritten.
    pub fn mark_action_done(
        &mut self,
        index: usize,
        by: PractitionerId,
        at: DateTime<Utc>,
    ) -> Result<(), SupervisionError> {
        if index >= self.actions.len() {
            return Err(SupervisionError::NoSuchAction { index: index + 1 });
        }
        if self.action_done(index).is_some() {
            return Err(SupervisionError::ActionAlreadyDone { index: index + 1 });
        }
        self.actions_done.push(ActionDone { index, by, at });
        Ok(())
    }

    /// When the action at `index` was marked done, if it was.
    pub fn action_done(&self, index: usize) -> Option<&ActionDone> {
        self.actions_done.iter().find(|d| d.index == index)
    }

    /// Whether this session discussed `person`.
    pub fn discussed(&self, person: PersonId) -> bool {
        self.cases.iter().any(|c| c.person == person)
    }
}

/// How recent oversight must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OversightPolicy {
    /// The oldest supervision that still counts as oversight, measured back from the
    /// conference.
    pub max_age: Duration,
}

impl Default for OversightPolicy {
    fn default() -> Self {
        Self {
            max_age: Duration::days(92),
        }
    }
}

/// The prompt raised before a Child Protection Conference without oversight.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "prompt")]
pub enum OversightPrompt {
    /// No supervision recorded for the practitioner before the conference.
    NoSupervisionRecorded,
    /// Supervision recorded, but none discussed this child.
    ChildNotDiscussed {
        /// The latest supervision before the conference.
        last_supervision: DateTime<Utc>,
    },
    /// This child was discussed, but longer ago than the policy allows.
    OversightOutOfDate {
        /// When the child was last discussed.
        last_discussed: DateTime<Utc>,
    },
}

impl OversightPrompt {
    /// What the shell shows.
    pub fn prompt(&self) -> String {
        let base =
            "Seek safeguarding supervision for this child before the Child Protection Conference";
        match self {
            OversightPrompt::NoSupervisionRecorded => {
                format!("{base}: no supervision is recorded.")
            }
            OversightPrompt::ChildNotDiscussed { .. } => {
                format!("{base}: this child has not been discussed in supervision.")
            }
            OversightPrompt::OversightOutOfDate { last_discussed } => format!(
                "{base}: this child was last discussed on {}.",
                crate::model::london_date(*last_discussed).format("%-d %b %Y")
            ),
        }
    }
}

/// The prompt, if any, for `practitioner` attending a Child Protection Conference about `child`
/// at `conference_at`, given the supervision records known (any practitioner's; others are
/// ignored). Only sessions held at or before the conference count.
pub fn conference_oversight_prompt(
    practitioner: PractitionerId,
    child: PersonId,
    conference_at: DateTime<Utc>,
    records: &[SupervisionRecord],
    policy: OversightPolicy,
) -> Option<OversightPrompt> {
    let before: Vec<&SupervisionRecord> = records
        .iter()
        .filter(|r| r.supervisee == practitioner && r.held_at <= conference_at)
        .collect();
    let Some(last_supervision) = before.iter().map(|r| r.held_at).max() else {
        return Some(OversightPrompt::NoSupervisionRecorded);
    };
    let Some(last_discussed) = before
        .iter()
        .filter(|r| r.discussed(child))
        .map(|r| r.held_at)
        .max()
    else {
        return Some(OversightPrompt::ChildNotDiscussed { last_supervision });
    };
    if conference_at - last_discussed > policy.max_age {
        return Some(OversightPrompt::OversightOutOfDate { last_discussed });
    }
    None
}

fn required(field: &'static str, value: String) -> Result<String, SupervisionError> {
    let t = crate::rules::normalise::trim(&value);
    if t.is_empty() {
        Err(SupervisionError::Required { field })
    } else {
        Ok(t.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn record() -> SupervisionRecord {
        let held = Utc.with_ymd_and_hms(2027, 10, 29, 13, 0, 0).unwrap();
        SupervisionRecord::record(
            NewSupervision {
                supervisee: PractitionerId::new(),
                supervisor: Supervisor {
                    practitioner: None,
                    name: "Alex Lead, named nurse".into(),
                },
                held_at: held,
                cases: vec![CaseDiscussed {
                    person: PersonId::new(),
                    summary: "Discussed.".into(),
                }],
                actions: vec![SupervisionAction {
                    action: "Send the health report".into(),
                    owner: "Health visitor".into(),
                    owner_practitioner: None,
                    due: NaiveDate::from_ymd_opt(2027, 10, 29).unwrap(),
                }],
            },
            held,
        )
        .unwrap()
    }

    #[test]
    fn a_record_stored_before_actions_could_be_marked_done_reads_as_none_done() {
        let mut json = serde_json::to_value(record()).unwrap();
        json.as_object_mut().unwrap().remove("actions_done");
        let read: SupervisionRecord = serde_json::from_value(json).unwrap();
        assert!(read.actions_done.is_empty());
        assert_eq!(read.action_done(0), None);
    }

    #[test]
    fn an_action_is_marked_done_once_and_only_if_it_exists() {
        let mut r = record();
        let by = r.supervisee;
        let at = r.held_at + Duration::hours(1);
        assert_eq!(
            r.mark_action_done(1, by, at),
            Err(SupervisionError::NoSuchAction { index: 2 })
        );
        r.mark_action_done(0, by, at).unwrap();
        assert_eq!(r.action_done(0).map(|d| d.at), Some(at));
        assert_eq!(
            r.mark_action_done(0, by, at),
            Err(SupervisionError::ActionAlreadyDone { index: 1 })
        );
        // What was agreed is unchanged.
        assert_eq!(r.actions.len(), 1);
    }
}

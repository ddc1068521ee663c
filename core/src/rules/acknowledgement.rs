//! Shares and their acknowledgement: when a share must be acknowledged, what an
//! acknowledgement carries, the sender's check of the recipient's understanding, and the
//! "call this team now" prompt when no acknowledgement has come.
//!
//! Rules:
//! - A share goes to a team; the first acknowledgement by any member of that team closes it
//!   ("no practitioner should assume that someone else will pass on information").
//! - Two members may acknowledge the same share while offline. Both are kept: the earliest
//!   (by its time, then by who, so every phone picks the same one whatever order they arrive
//!   in) is the acknowledgement that closed the share and the one its deadline is judged on;
//!   the others are further acknowledgements, each with its read-back. No read-back is
//!   dropped: one the sender has not checked needs the sender's check, even when an earlier
//!   read-back was already confirmed (docs/clinical-decisions.md, "Two acknowledgements").
//! - An acknowledgement carries a read-back: the recipient's own summary of who the share is
//!   about, the risk, and the next action. The sender then marks it confirmed, or over- or
//!   under-emphasised: mis-emphasis in a read-back is the failure the regional briefing names,
//!   so a mis-emphasised read-back is treated as a loop still open (the sender is prompted to
//!   phone and correct it).
//! - Acknowledgement is due by severity (configurable; defaults): immediate risk 1 hour of
//!   real time, round the clock, and the practitioner is told to phone now, not only send;
//!   concern 4 working hours; low-level concern 1 working day.
//! - At or after the due time with no acknowledgement: a prompt to call the team now, naming it.
//!   The number itself is chosen by the directory.
//!
//! Pure functions over records and an instant; nothing reads the wall clock.

use super::working_time::{describe_local, Allowance, WorkingTime, WorkingTimeError};
use crate::model::{PersonId, PractitionerId, Severity, ShareId, TeamId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Why an acknowledgement or read-back check could not be recorded. The share is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AcknowledgementError {
    /// Only a member of the team the share went to can acknowledge it.
    #[error("the acknowledgement is from a different team than the share went to")]
    WrongTeam,
    /// The share is already acknowledged (by this or another member).
    #[error("the share is already acknowledged")]
    AlreadyAcknowledged,
    /// An acknowledgement cannot be dated before the share was sent.
    #[error("the acknowledgement is dated before the share was sent")]
    BeforeSent,
    /// Each part of a read-back (who, the risk, the next action) needs the recipient's words.
    #[error("the read-back must say who it is about, the risk and the next action")]
    IncompleteReadBack,
    /// Only the sender can judge whether the read-back matches what they meant.
    #[error("only the sender can check the read-back")]
    NotTheSender,
    /// There is no acknowledgement to check yet.
    #[error("the share has not been acknowledged yet")]
    NotAcknowledged,
    /// Over- or under-emphasis must say what was misunderstood.
    #[error("an over- or under-emphasised read-back must say what was misunderstood")]
    MissingCorrection,
    /// The due time could not be computed.
    #[error(transparent)]
    WorkingTime(#[from] WorkingTimeError),
}

/// A share of information with a team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    /// The share's id.
    pub id: ShareId,
    /// Who it is about.
    pub about: PersonId,
    /// Who sent it.
    pub sender: PractitionerId,
    /// The team it went to.
    pub team: TeamId,
    /// The team's name as chosen from the directory, for prompts.
    pub team_name: String,
    /// How serious.
    pub severity: Severity,
    /// When it was sent.
    pub sent_at: DateTime<Utc>,
}

/// The recipient's own summary of what they understood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReadBack {
    /// Who the share is about, in the recipient's words.
    pub who: String,
    /// The risk, as the recipient understood it.
    pub risk: String,
    /// The next action, as the recipient understood it.
    pub next_action: String,
}

/// A team member's acknowledgement of a share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledgement {
    /// Who acknowledged.
    pub by: PractitionerId,
    /// Their team (must be the share's team).
    pub team: TeamId,
    /// When.
    pub at: DateTime<Utc>,
    /// What they understood.
    pub read_back: ReadBack,
}

/// The sender's judgement of a read-back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "verdict", content = "correction")]
pub enum ReadBackVerdict {
    /// The recipient understood what was meant.
    Confirmed,
    /// The recipient made more of it than was meant; what to correct.
    OverEmphasised(String),
    /// The recipient made less of it than was meant; what to correct.
    UnderEmphasised(String),
}

/// The sender's check of the read-back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadBackCheck {
    /// The verdict.
    pub verdict: ReadBackVerdict,
    /// Who checked (must be the sender).
    pub by: PractitionerId,
    /// When.
    pub at: DateTime<Utc>,
}

/// A share with its acknowledgement and the sender's check, as far as they have happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareRecord {
    /// The share.
    pub share: Share,
    /// The acknowledgement that closed it: the earliest received.
    pub acknowledgement: Option<Acknowledgement>,
    /// Acknowledgements by other members (or on another device) made before they learnt of
    /// the first, earliest first. Each read-back counts: none is dropped.
    #[serde(default)]
    pub further_acknowledgements: Vec<Acknowledgement>,
    /// The sender's check of the read-back.
    pub check: Option<ReadBackCheck>,
    /// How many read-backs the sender had when they last checked: a read-back that arrives
    /// after the check reopens it. `None` in records from before further acknowledgements were
    /// kept, which held one read-back at most (so a check there covered one).
    #[serde(default)]
    pub read_backs_checked: Option<usize>,
}

/// What receiving an acknowledgement from another device did to a share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// It is the first: it closes the share.
    Closed,
    /// The share was already acknowledged: it is kept as a further acknowledgement (and, when
    /// it is earlier than the one held, becomes the one that closed the share).
    Further,
    /// This very acknowledgement is already held (e.g. this device's own, coming back).
    AlreadyHeld,
}

/// How the practitioner should send a share, by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum SendAdvice {
    /// Immediate risk: phone the team now; the share is the written record, not the alert.
    PhoneNowAndSend,
    /// Send, and expect an acknowledgement by the due time.
    Send,
}

/// How long a team has to acknowledge, by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcknowledgementPolicy {
    /// Immediate risk (default: 60 minutes of real time).
    pub immediate_risk: Allowance,
    /// Concern (default: 4 working hours).
    pub concern: Allowance,
    /// Low-level concern (default: 1 working day).
    pub low_level_concern: Allowance,
}

impl Default for AcknowledgementPolicy {
    fn default() -> Self {
        AcknowledgementPolicy {
            immediate_risk: Allowance::ElapsedMinutes(60),
            concern: Allowance::WorkingMinutes(4 * 60),
            low_level_concern: Allowance::WorkingDays(1),
        }
    }
}

impl AcknowledgementPolicy {
    /// The allowance for a severity.
    pub fn allowance(&self, severity: Severity) -> Allowance {
        match severity {
            Severity::ImmediateRisk => self.immediate_risk,
            Severity::Concern => self.concern,
            Severity::LowLevelConcern => self.low_level_concern,
        }
    }
}

/// How to send a share of this severity.
pub fn send_advice(severity: Severity) -> SendAdvice {
    match severity {
        Severity::ImmediateRisk => SendAdvice::PhoneNowAndSend,
        Severity::Concern | Severity::LowLevelConcern => SendAdvice::Send,
    }
}

/// Where a share stands at an instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum ShareStatus {
    /// Not yet acknowledged, still in time.
    AwaitingAcknowledgement {
        /// When acknowledgement is due.
        due: DateTime<Utc>,
    },
    /// Not acknowledged by the due time: call the team.
    Overdue {
        /// When acknowledgement was due.
        due: DateTime<Utc>,
    },
    /// Acknowledged; the sender has not yet checked the read-back.
    ReadBackToCheck {
        /// When it was acknowledged.
        acknowledged_at: DateTime<Utc>,
    },
    /// The sender found the read-back over- or under-emphasised: phone to correct it.
    MisunderstoodReadBack {
        /// What to correct.
        correction: String,
        /// When the sender marked it.
        checked_at: DateTime<Utc>,
    },
    /// Acknowledged and understood.
    Closed,
}

/// The prompt to call a team that has not acknowledged a share in time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallTeamPrompt {
    /// The share.
    pub share: ShareId,
    /// The team to call (its number is chosen by the directory).
    pub team: TeamId,
    /// The team's name.
    pub team_name: String,
    /// When acknowledgement was due.
    pub due: DateTime<Utc>,
    /// How long past due at the instant asked.
    pub overdue_by_minutes: i64,
    /// What the practitioner sees.
    pub message: String,
}

impl Share {
    /// When acknowledgement is due under `policy`.
    pub fn acknowledgement_due(
        &self,
        rule: &WorkingTime,
        policy: &AcknowledgementPolicy,
    ) -> Result<DateTime<Utc>, AcknowledgementError> {
        Ok(rule.due(self.sent_at, policy.allowance(self.severity))?)
    }
}

impl ReadBack {
    /// Whether each part (who, the risk, the next action) has the recipient's words: the one test
    /// an acknowledgement must pass, also used to enable the read-back form's button.
    pub fn is_complete(&self) -> bool {
        [&self.who, &self.risk, &self.next_action]
            .iter()
            .all(|part| !crate::rules::normalise::is_blank(part))
    }
}

impl ShareRecord {
    /// A share just sent.
    pub fn new(share: Share) -> Self {
        ShareRecord {
            share,
            acknowledgement: None,
            further_acknowledgements: Vec::new(),
            check: None,
            read_backs_checked: None,
        }
    }

    /// Every acknowledgement held, the one that closed the share first.
    pub fn acknowledgements(&self) -> impl Iterator<Item = &Acknowledgement> {
        self.acknowledgement
            .iter()
            .chain(self.further_acknowledgements.iter())
    }

    /// How many read-backs are held (one per acknowledgement).
    pub fn read_backs(&self) -> usize {
        self.acknowledgements().count()
    }

    /// Read-backs received since the sender's last check (all of them before any check).
    pub fn unchecked_read_backs(&self) -> usize {
        match self.check {
            None => self.read_backs(),
            Some(_) => self
                .read_backs()
                .saturating_sub(self.read_backs_checked.unwrap_or(1)),
        }
    }

    /// The acknowledgement that closed the share when `practitioner` acknowledged it too but
    /// was not the first: what their phone tells them ("already acknowledged by ... at ...").
    pub fn already_acknowledged_by(
        &self,
        practitioner: PractitionerId,
    ) -> Option<&Acknowledgement> {
        let first = self.acknowledgement.as_ref()?;
        let also_mine = self
            .further_acknowledgements
            .iter()
            .any(|a| a.by == practitioner);
        (first.by != practitioner && also_mine).then_some(first)
    }

    /// Records an acknowledgement that came from another device (the sender's or a team
    /// member's phone learning of it). Unlike [`ShareRecord::acknowledge`], one arriving after
    /// the first is kept, not refused: two members may have acknowledged offline, and each
    /// read-back must reach the sender. The earliest (by time, then by practitioner id, so
    /// every phone agrees whatever the order of arrival) becomes the one that closed the
    /// share. Refuses one from another team, dated before sending, or with an incomplete
    /// read-back, as [`ShareRecord::acknowledge`] does.
    pub fn receive_acknowledgement(
        &mut self,
        ack: Acknowledgement,
    ) -> Result<Received, AcknowledgementError> {
        if self.acknowledgements().any(|held| *held == ack) {
            return Ok(Received::AlreadyHeld);
        }
        if self.acknowledgement.is_none() {
            self.acknowledge(ack)?;
            return Ok(Received::Closed);
        }
        Self::check_acceptable(&self.share, &ack)?;
        let mut all: Vec<Acknowledgement> = self.acknowledgement.take().into_iter().collect();
        all.append(&mut self.further_acknowledgements);
        all.push(ack);
        all.sort_by_key(|a| (a.at, a.by));
        let mut all = all.into_iter();
        self.acknowledgement = all.next();
        self.further_acknowledgements = all.collect();
        Ok(Received::Further)
    }

    fn check_acceptable(share: &Share, ack: &Acknowledgement) -> Result<(), AcknowledgementError> {
        if ack.team != share.team {
            return Err(AcknowledgementError::WrongTeam);
        }
        if ack.at < share.sent_at {
            return Err(AcknowledgementError::BeforeSent);
        }
        if !ack.read_back.is_complete() {
            return Err(AcknowledgementError::IncompleteReadBack);
        }
        Ok(())
    }

    /// Records the acknowledgement that closes the share. Refuses one from another team, one
    /// dated before sending, an incomplete read-back, or a second acknowledgement.
    pub fn acknowledge(&mut self, ack: Acknowledgement) -> Result<(), AcknowledgementError> {
        if self.acknowledgement.is_some() {
            return Err(AcknowledgementError::AlreadyAcknowledged);
        }
        Self::check_acceptable(&self.share, &ack)?;
        self.acknowledgement = Some(ack);
        Ok(())
    }

    /// Records the sender's check of the read-backs held now (a later check replaces an
    /// earlier one, e.g. confirmed after a corrective call). A read-back received after it
    /// reopens the check ([`ShareRecord::status`]).
    pub fn check_read_back(&mut self, check: ReadBackCheck) -> Result<(), AcknowledgementError> {
        if check.by != self.share.sender {
            return Err(AcknowledgementError::NotTheSender);
        }
        if self.acknowledgement.is_none() {
            return Err(AcknowledgementError::NotAcknowledged);
        }
        if let ReadBackVerdict::OverEmphasised(text) | ReadBackVerdict::UnderEmphasised(text) =
            &check.verdict
        {
            if crate::rules::normalise::is_blank(text) {
                return Err(AcknowledgementError::MissingCorrection);
            }
        }
        self.check = Some(check);
        self.read_backs_checked = Some(self.read_backs());
        Ok(())
    }

    /// Where the share stands at `now`.
    pub fn status(
        &self,
        rule: &WorkingTime,
        policy: &AcknowledgementPolicy,
        now: DateTime<Utc>,
    ) -> Result<ShareStatus, AcknowledgementError> {
        let Some(ack) = &self.acknowledgement else {
            let due = self.share.acknowledgement_due(rule, policy)?;
            return Ok(if now >= due {
                ShareStatus::Overdue { due }
            } else {
                ShareStatus::AwaitingAcknowledgement { due }
            });
        };
        Ok(match &self.check {
            None => ShareStatus::ReadBackToCheck {
                acknowledged_at: ack.at,
            },
            // A read-back that came after the sender confirmed the others still needs the
            // sender's check: the safer reading (docs/clinical-decisions.md).
            Some(ReadBackCheck {
                verdict: ReadBackVerdict::Confirmed,
                ..
            }) if self.unchecked_read_backs() > 0 => ShareStatus::ReadBackToCheck {
                acknowledged_at: ack.at,
            },
            Some(ReadBackCheck {
                verdict: ReadBackVerdict::Confirmed,
                ..
            }) => ShareStatus::Closed,
            Some(ReadBackCheck {
                verdict:
                    ReadBackVerdict::OverEmphasised(correction)
                    | ReadBackVerdict::UnderEmphasised(correction),
                at,
                ..
            }) => ShareStatus::MisunderstoodReadBack {
                correction: correction.clone(),
                checked_at: *at,
            },
        })
    }

    /// "Call this team now", when acknowledgement is due (at or after the due instant) and
    /// none has come; `None` otherwise.
    pub fn call_prompt(
        &self,
        rule: &WorkingTime,
        policy: &AcknowledgementPolicy,
        now: DateTime<Utc>,
    ) -> Result<Option<CallTeamPrompt>, AcknowledgementError> {
        let ShareStatus::Overdue { due } = self.status(rule, policy, now)? else {
            return Ok(None);
        };
        Ok(Some(CallTeamPrompt {
            share: self.share.id,
            team: self.share.team,
            team_name: self.share.team_name.clone(),
            due,
            overdue_by_minutes: (now - due).num_minutes(),
            message: format!(
                "Call {} now: this share was not acknowledged by {}.",
                self.share.team_name,
                describe_local(due)
            ),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::working_time::london_to_utc;
    use chrono::NaiveDate;

    fn london(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        london_to_utc(
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(h, min, 0)
                .unwrap(),
        )
        .unwrap()
    }

    fn share(severity: Severity, sent_at: DateTime<Utc>) -> ShareRecord {
        ShareRecord::new(Share {
            id: ShareId::new(),
            about: PersonId::new(),
            sender: PractitionerId::new(),
            team: TeamId::new(),
            team_name: "Eastbrook Health Visiting".into(),
            severity,
            sent_at,
        })
    }

    fn read_back() -> ReadBack {
        ReadBack {
            who: "Baby of the family at the new address".into(),
            risk: "Partner's aggression at the visit".into(),
            next_action: "Joint visit within 5 days".into(),
        }
    }

    fn ack(record: &ShareRecord, at: DateTime<Utc>) -> Acknowledgement {
        Acknowledgement {
            by: PractitionerId::new(),
            team: record.share.team,
            at,
            read_back: read_back(),
        }
    }

    #[test]
    fn immediate_risk_is_due_in_one_real_hour_even_at_night_and_says_phone_now() {
        let rule = WorkingTime::england_and_wales();
        let policy = AcknowledgementPolicy::default();
        let record = share(Severity::ImmediateRisk, london(2026, 11, 28, 22, 0));
        assert_eq!(
            record.share.acknowledgement_due(&rule, &policy).unwrap(),
            london(2026, 11, 28, 23, 0)
        );
        assert_eq!(
            send_advice(Severity::ImmediateRisk),
            SendAdvice::PhoneNowAndSend
        );
        assert_eq!(send_advice(Severity::Concern), SendAdvice::Send);
    }

    #[test]
    fn concern_is_due_in_four_working_hours() {
        let rule = WorkingTime::england_and_wales();
        let policy = AcknowledgementPolicy::default();
        let record = share(Severity::Concern, london(2026, 11, 27, 15, 0));
        assert_eq!(
            record.share.acknowledgement_due(&rule, &policy).unwrap(),
            london(2026, 11, 30, 11, 0)
        );
    }

    #[test]
    fn low_level_concern_is_due_in_one_working_day() {
        let rule = WorkingTime::england_and_wales();
        let policy = AcknowledgementPolicy::default();
        let record = share(Severity::LowLevelConcern, london(2026, 12, 24, 15, 0));
        assert_eq!(
            record.share.acknowledgement_due(&rule, &policy).unwrap(),
            london(2026, 12, 29, 15, 0)
        );
    }

    #[test]
    fn unacknowledged_share_prompts_a_call_naming_the_team_at_the_due_time() {
        let rule = WorkingTime::england_and_wales();
        let policy = AcknowledgementPolicy::default();
        let record = share(Severity::Concern, london(2026, 11, 23, 10, 0));
        assert_eq!(
            record
                .call_prompt(&rule, &policy, london(2026, 11, 23, 13, 59))
                .unwrap(),
            None
        );
        let prompt = record
            .call_prompt(&rule, &policy, london(2026, 11, 23, 14, 30))
            .unwrap()
            .unwrap();
        assert_eq!(prompt.team, record.share.team);
        assert_eq!(prompt.overdue_by_minutes, 30);
        assert!(prompt
            .message
            .starts_with("Call Eastbrook Health Visiting now"));
    }

    #[test]
    fn any_member_of_the_team_closes_the_share_and_the_prompt_stops() {
        let rule = WorkingTime::england_and_wales();
        let policy = AcknowledgementPolicy::default();
        let mut record = share(Severity::Concern, london(2026, 11, 23, 10, 0));
        let first = ack(&record, london(2026, 11, 23, 11, 0));
        record.acknowledge(first.clone()).unwrap();
        assert_eq!(
            record.acknowledge(ack(&record, london(2026, 11, 23, 12, 0))),
            Err(AcknowledgementError::AlreadyAcknowledged)
        );
        assert_eq!(record.acknowledgement, Some(first));
        assert_eq!(
            record
                .call_prompt(&rule, &policy, london(2026, 11, 30, 9, 0))
                .unwrap(),
            None
        );
    }

    #[test]
    fn an_acknowledgement_from_another_team_or_without_a_full_read_back_is_refused() {
        let mut record = share(Severity::Concern, london(2026, 11, 23, 10, 0));
        let mut other = ack(&record, london(2026, 11, 23, 11, 0));
        other.team = TeamId::new();
        assert_eq!(
            record.acknowledge(other),
            Err(AcknowledgementError::WrongTeam)
        );
        let mut thin = ack(&record, london(2026, 11, 23, 11, 0));
        thin.read_back.risk = " ".into();
        assert_eq!(
            record.acknowledge(thin),
            Err(AcknowledgementError::IncompleteReadBack)
        );
        let early = ack(&record, london(2026, 11, 23, 9, 0));
        assert_eq!(
            record.acknowledge(early),
            Err(AcknowledgementError::BeforeSent)
        );
        assert_eq!(record.acknowledgement, None);
    }

    #[test]
    fn the_sender_marks_a_read_back_under_emphasised_and_the_loop_stays_open() {
        let rule = WorkingTime::england_and_wales();
        let policy = AcknowledgementPolicy::default();
        let mut record = share(Severity::Concern, london(2026, 11, 23, 10, 0));
        let now = london(2026, 11, 23, 12, 0);
        let check = |by, verdict| ReadBackCheck {
            verdict,
            by,
            at: now,
        };
        assert_eq!(
            record.check_read_back(check(record.share.sender, ReadBackVerdict::Confirmed)),
            Err(AcknowledgementError::NotAcknowledged)
        );
        record
            .acknowledge(ack(&record, london(2026, 11, 23, 11, 0)))
            .unwrap();
        assert!(matches!(
            record.status(&rule, &policy, now).unwrap(),
            ShareStatus::ReadBackToCheck { .. }
        ));
        assert_eq!(
            record.check_read_back(check(PractitionerId::new(), ReadBackVerdict::Confirmed)),
            Err(AcknowledgementError::NotTheSender)
        );
        let under = ReadBackVerdict::UnderEmphasised("Knife was seen, not only heard of".into());
        record
            .check_read_back(check(record.share.sender, under))
            .unwrap();
        assert!(matches!(
            record.status(&rule, &policy, now).unwrap(),
            ShareStatus::MisunderstoodReadBack { .. }
        ));
        record
            .check_read_back(check(record.share.sender, ReadBackVerdict::Confirmed))
            .unwrap();
        assert_eq!(
            record.status(&rule, &policy, now).unwrap(),
            ShareStatus::Closed
        );
    }

    #[test]
    fn two_offline_acknowledgements_end_the_same_whatever_order_they_arrive_in() {
        let sent = share(Severity::Concern, london(2026, 11, 23, 10, 0));
        let first = ack(&sent, london(2026, 11, 23, 10, 30));
        let mut second = ack(&sent, london(2026, 11, 23, 10, 45));
        second.read_back.risk = "Aggression towards staff at the door".into();
        let mut in_order = sent.clone();
        assert_eq!(
            in_order.receive_acknowledgement(first.clone()),
            Ok(Received::Closed)
        );
        assert_eq!(
            in_order.receive_acknowledgement(second.clone()),
            Ok(Received::Further)
        );
        let mut reversed = sent.clone();
        assert_eq!(
            reversed.receive_acknowledgement(second.clone()),
            Ok(Received::Closed)
        );
        assert_eq!(
            reversed.receive_acknowledgement(first.clone()),
            Ok(Received::Further)
        );
        assert_eq!(in_order, reversed);
        assert_eq!(in_order.acknowledgement, Some(first.clone()));
        assert_eq!(in_order.further_acknowledgements, vec![second.clone()]);
        assert_eq!(in_order.read_backs(), 2);
        // The same acknowledgement again (my own coming back) changes nothing.
        assert_eq!(
            in_order.receive_acknowledgement(second.clone()),
            Ok(Received::AlreadyHeld)
        );
        assert_eq!(in_order, reversed);
        // The second acknowledger learns who was first; the first is told nothing.
        assert_eq!(in_order.already_acknowledged_by(second.by), Some(&first));
        assert_eq!(in_order.already_acknowledged_by(first.by), None);
        // Nor is a colleague who never acknowledged it.
        assert_eq!(
            in_order.already_acknowledged_by(PractitionerId::new()),
            None
        );
        // Refusals still apply to a further acknowledgement.
        let mut thin = ack(&sent, london(2026, 11, 23, 11, 0));
        thin.read_back.next_action = String::new();
        assert_eq!(
            in_order.receive_acknowledgement(thin),
            Err(AcknowledgementError::IncompleteReadBack)
        );
    }

    #[test]
    fn a_read_back_arriving_after_the_sender_confirmed_reopens_the_check() {
        let rule = WorkingTime::england_and_wales();
        let policy = AcknowledgementPolicy::default();
        let now = london(2026, 11, 23, 12, 0);
        let mut record = share(Severity::Concern, london(2026, 11, 23, 10, 0));
        let first = ack(&record, london(2026, 11, 23, 10, 30));
        record.receive_acknowledgement(first.clone()).unwrap();
        assert_eq!(record.unchecked_read_backs(), 1);
        let confirm = ReadBackCheck {
            verdict: ReadBackVerdict::Confirmed,
            by: record.share.sender,
            at: now,
        };
        record.check_read_back(confirm.clone()).unwrap();
        assert_eq!(
            record.status(&rule, &policy, now).unwrap(),
            ShareStatus::Closed
        );
        // An earlier acknowledgement synced late: it becomes the one that closed the share,
        // and its read-back has not been checked.
        let earlier = ack(&record, london(2026, 11, 23, 10, 10));
        record.receive_acknowledgement(earlier.clone()).unwrap();
        assert_eq!(record.acknowledgement, Some(earlier.clone()));
        assert_eq!(record.unchecked_read_backs(), 1);
        assert_eq!(
            record.status(&rule, &policy, now).unwrap(),
            ShareStatus::ReadBackToCheck {
                acknowledged_at: earlier.at
            }
        );
        record.check_read_back(confirm).unwrap();
        assert_eq!(record.unchecked_read_backs(), 0);
        assert_eq!(
            record.status(&rule, &policy, now).unwrap(),
            ShareStatus::Closed
        );
    }

    #[test]
    fn a_share_record_stored_before_further_acknowledgements_reads_as_checked() {
        let mut record = share(Severity::Concern, london(2026, 11, 23, 10, 0));
        record
            .acknowledge(ack(&record, london(2026, 11, 23, 10, 30)))
            .unwrap();
        record
            .check_read_back(ReadBackCheck {
                verdict: ReadBackVerdict::Confirmed,
                by: record.share.sender,
                at: london(2026, 11, 23, 11, 0),
            })
            .unwrap();
        let mut json = serde_json::to_value(&record).unwrap();
        let object = json.as_object_mut().unwrap();
        object.remove("further_acknowledgements");
        object.remove("read_backs_checked");
        let old: ShareRecord = serde_json::from_value(json).unwrap();
        assert_eq!(old.acknowledgement, record.acknowledgement);
        assert_eq!(old.check, record.check);
        assert!(old.further_acknowledgements.is_empty());
        // Its check covered its one read-back: still closed; a second arriving reopens it.
        assert_eq!(old.unchecked_read_backs(), 0);
        let rule = WorkingTime::england_and_wales();
        let policy = AcknowledgementPolicy::default();
        let now = london(2026, 11, 23, 12, 0);
        assert_eq!(
            old.status(&rule, &policy, now).unwrap(),
            ShareStatus::Closed
        );
        let mut old = old;
        old.receive_acknowledgement(ack(&old, london(2026, 11, 23, 10, 40)))
            .unwrap();
        assert_eq!(old.unchecked_read_backs(), 1);
    }

    #[test]
    fn policy_is_configurable_and_round_trips() {
        let policy = AcknowledgementPolicy {
            concern: Allowance::WorkingMinutes(120),
            ..AcknowledgementPolicy::default()
        };
        let json = serde_json::to_string(&policy).unwrap();
        assert!(json.contains(r#"{"unit":"working_minutes","amount":120}"#));
        assert_eq!(
            serde_json::from_str::<AcknowledgementPolicy>(&json).unwrap(),
            policy
        );
    }
}

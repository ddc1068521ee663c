//! Transfer of care when a family moves to another team's area: the transfer pack the
//! receiving team is sent, the sender's record of the transfer, and the severity a transfer is
//! sent at.
//!
//! Owns: what a transfer pack holds (open concerns, a chronology summary, the social care
//! status, the team around the child, referrals and escalations still open, health needs,
//! medication and follow-up appointments), and the record that says, on the sender's device,
//! "transferred to … on …" once the receiving team has acknowledged with its read-back; and, on
//! the receiving phone, the record that the child was taken onto its caseload
//! ([`TransferTakenOn`]), so a transfer is taken on once.
//!
//! Invariants:
//! - a transfer is sent as a share, so its acknowledgement is due by the share rules for its
//!   severity and never later ([`crate::rules::acknowledgement`]);
//! - its severity is never below "concern", nor below the most serious open concern it carries
//!   ([`transfer_severity`]; docs/clinical-decisions.md, "Transfer of care");
//! - health needs, medication and follow-up appointments are required: "none known" must be
//!   written, never left blank (nothing is skipped silently);
//! - nothing about the child is deleted on the sender's device when the transfer completes:
//!   the record gains its completion ([`TransferStatus::Transferred`]).
//!
//! Why: the rapid review behind the product found a family moving between Trusts with no
//! timely notification of concerns; the briefings ask practitioners to support the transfer of
//! care and never to assume that someone else will pass on information (docs/domain.md).

use crate::casework::team_around_child::{Involvement, SocialCareLevel};
use crate::model::{HouseholdId, PersonId, PractitionerId, Severity, ShareId, TeamId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ulid::Ulid;

/// Why a transfer could not be assembled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransferError {
    /// A required field is empty (or too long).
    #[error("{field} is required (write \"none known\" when there is nothing)")]
    Required {
        /// The field.
        field: &'static str,
    },
    /// The team around the child lists more current members than a transfer pack may carry
    /// (the receiving phone refuses such a pack, so it is refused here before it is sent).
    #[error(
        "the team around the child lists {members} people involved; a transfer of care carries \
         at most {limit}: end the involvements that are over, then send it"
    )]
    TooManyMembers {
        /// How many current members the team lists.
        members: usize,
        /// The most a pack carries.
        limit: usize,
    },
}

impl TransferError {
    /// The input at fault.
    pub fn field(&self) -> &'static str {
        match self {
            TransferError::Required { field } => field,
            TransferError::TooManyMembers { .. } => "members",
        }
    }
}

/// What the sender enters for a transfer of care.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewTransfer {
    /// The child (a person on this device).
    pub child: PersonId,
    /// The receiving team, found in the directory by the new postcode.
    pub team: TeamId,
    /// The family's new postcode.
    pub new_postcode: String,
    /// The new address, when known.
    pub new_address: Option<String>,
    /// When the family moves (Europe/London date), when known.
    pub moving_on: Option<NaiveDate>,
    /// Why this is being transferred and what is asked of the receiving team.
    pub message: String,
    /// How serious; never below "concern" nor below the most serious open concern.
    pub severity: Option<Severity>,
    /// Health needs and long-term conditions ("none known" when there are none).
    pub health_needs: String,
    /// Medication and its arrangements ("none known" when there is none).
    pub medication: String,
    /// Follow-up appointments booked ("none known" when there are none).
    pub follow_up_appointments: String,
}

/// The transfer pack the receiving team is sent with the share (the share itself carries the
/// open concerns as observations).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct TransferPack {
    /// The family's new postcode.
    pub new_postcode: String,
    /// The new address, when known.
    #[serde(default)]
    pub new_address: Option<String>,
    /// When the family moves, when known.
    #[serde(default)]
    pub moving_on: Option<NaiveDate>,
    /// The child's chronology, one line per entry, oldest first ("2 Nov 2026: …").
    pub chronology: Vec<String>,
    /// The children's social care status, in words, when recorded.
    #[serde(default)]
    pub social_care: Option<String>,
    /// The team around the child, one line per current member.
    pub team_around_child: Vec<String>,
    /// The lead professional, when one is named.
    #[serde(default)]
    pub lead_professional: Option<String>,
    /// Referrals to children's social care and escalations still open, one line each.
    pub open_referrals_and_escalations: Vec<String>,
    /// Health needs and long-term conditions.
    pub health_needs: String,
    /// Medication and its arrangements.
    pub medication: String,
    /// Follow-up appointments.
    pub follow_up_appointments: String,
    /// The team around the child as records: its current members (household-level ones
    /// included), for the receiving phone to seed its own when it takes the child on.
    #[serde(default)]
    pub members: Vec<Involvement>,
    /// The lead professional among `members`, when one is named.
    #[serde(default)]
    pub lead_member: Option<Ulid>,
    /// The sending team as a member of the team around the child (its own entry when it is
    /// one, else from the first record the sending phone held about the child); the receiving
    /// phone records it as previously involved.
    #[serde(default)]
    pub sending_team: Option<Involvement>,
    /// The children's social care level, when recorded (with `social_care` in words).
    #[serde(default)]
    pub social_care_level: Option<SocialCareLevel>,
    /// Since when.
    #[serde(default)]
    pub social_care_since: Option<NaiveDate>,
    /// The social worker named on the status, as a member id among `members`.
    #[serde(default)]
    pub social_worker_member: Option<Ulid>,
}

/// Where a transfer stands on the sender's device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum TransferStatus {
    /// Sent; the receiving team has not acknowledged it.
    AwaitingAcknowledgement,
    /// The receiving team acknowledged it with its read-back.
    Transferred {
        /// When they acknowledged.
        on: DateTime<Utc>,
    },
}

/// A transfer of care as the sender's screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TransferSummary {
    /// The share that carried it.
    pub share_id: ShareId,
    /// The receiving team's name.
    pub team_name: String,
    /// When acknowledgement is due.
    pub due_at: DateTime<Utc>,
    /// Whether the receiving team acknowledged it.
    pub transferred: bool,
    /// "Transferred to … on …" or "… not yet acknowledged" ([`TransferRecord::summary`]).
    pub summary: String,
}

impl From<TransferRecord> for TransferSummary {
    fn from(record: TransferRecord) -> Self {
        TransferSummary {
            share_id: record.share,
            transferred: record.is_complete(),
            summary: record.summary(),
            due_at: record.due_at,
            team_name: record.team_name,
        }
    }
}

/// The sender's record of a transfer of care, keyed by the share that carried it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TransferRecord {
    /// The share that carried the transfer.
    pub share: ShareId,
    /// The child.
    pub child: PersonId,
    /// The child's household on this device.
    pub household: HouseholdId,
    /// The receiving team.
    pub team: TeamId,
    /// Its name in the directory when sent.
    pub team_name: String,
    /// When it was sent.
    pub sent_at: DateTime<Utc>,
    /// When acknowledgement is due.
    pub due_at: DateTime<Utc>,
    /// Where it stands.
    pub status: TransferStatus,
}

impl TransferRecord {
    /// What the sender's record shows.
    pub fn summary(&self) -> String {
        match &self.status {
            TransferStatus::AwaitingAcknowledgement => format!(
                "Transfer of care to {} sent on {}; not yet acknowledged",
                self.team_name,
                crate::model::london_date(self.sent_at).format("%-d %b %Y")
            ),
            TransferStatus::Transferred { on } => format!(
                "Transferred to {} on {}",
                self.team_name,
                crate::model::london_date(*on).format("%-d %b %Y")
            ),
        }
    }

    /// Whether the receiving team has acknowledged it.
    pub fn is_complete(&self) -> bool {
        matches!(self.status, TransferStatus::Transferred { .. })
    }
}

/// The receiving phone's record that the child of a transfer of care was taken onto its
/// caseload, keyed by the share that carried the transfer: taking on is done once, and the
/// expected families list says which have been.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TransferTakenOn {
    /// The share that carried the transfer.
    pub share: ShareId,
    /// The child as recorded on this phone (matched or added).
    pub child: PersonId,
    /// The child's household on this phone.
    pub household: HouseholdId,
    /// Who took the child on.
    pub by: PractitionerId,
    /// When.
    pub at: DateTime<Utc>,
}

/// The severity a transfer is sent at: the most serious of what the practitioner chose, the
/// open concerns it carries, and "concern" (a change of responsibility for a child is never a
/// low-level matter, so its acknowledgement is never given the longest allowance).
pub fn transfer_severity(
    requested: Option<Severity>,
    open_concerns: impl IntoIterator<Item = Severity>,
) -> Severity {
    open_concerns
        .into_iter()
        .chain(requested)
        .fold(Severity::Concern, Severity::max)
}

/// Checks a required free-text field of a transfer.
pub fn required(field: &'static str, value: &str) -> Result<String, TransferError> {
    let t = crate::rules::normalise::trim(value);
    if t.is_empty() || t.chars().count() > crate::model::MAX_FREE_TEXT_CHARS {
        Err(TransferError::Required { field })
    } else {
        Ok(t.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transfer_is_never_below_concern_nor_below_its_open_concerns() {
        assert_eq!(transfer_severity(None, []), Severity::Concern);
        assert_eq!(
            transfer_severity(Some(Severity::LowLevelConcern), [Severity::LowLevelConcern]),
            Severity::Concern
        );
        assert_eq!(
            transfer_severity(Some(Severity::Concern), [Severity::ImmediateRisk]),
            Severity::ImmediateRisk
        );
    }

    #[test]
    fn health_needs_left_blank_are_refused() {
        assert_eq!(
            required("health_needs", "  "),
            Err(TransferError::Required {
                field: "health_needs"
            })
        );
        assert_eq!(
            required("medication", " none known ").unwrap(),
            "none known"
        );
    }
}

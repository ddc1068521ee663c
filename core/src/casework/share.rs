//! What a share to a team carries: who it is about ([`Subject`]), the observations and
//! voice-of-the-child notes shared, the sender's message and, for a transfer of care, the
//! transfer pack. [`ShareBody`] is both the `share` envelope's body (its format is listed with
//! every other body in `core/src/app/bodies.rs`, which re-exports these types) and what the field
//! store seals in every share record (`core/src/store/kinds.rs`), so it is defined here, below
//! the store, which may not import the app.
//!
//! Invariants: every type refuses unknown fields (`deny_unknown_fields`): a body is a clinical
//! record, and a field this build would drop is one the recipient would never see. Fields added
//! since v1 are optional and absent when empty, so bodies written before them read unchanged.
//! Everything here is personal data: it travels and rests only sealed.

use super::decision::Nature;
use super::transfer::TransferPack;
use crate::model::{
    ChildAge, ConcernCategory, ExpressionMode, HouseholdId, ObservationId, PersonId, PersonRole,
    PractitionerId, Severity, ShareId, TeamId, VoiceNoteId,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Who a share is about, as the recipient needs to identify them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Subject {
    /// The person's id on the sender's device (stable across shares about the same person).
    pub person: PersonId,
    /// Their household on the sender's device.
    pub household: HouseholdId,
    /// Their part in the family.
    pub role: PersonRole,
    /// Full name (none for an unborn baby).
    pub name: Option<String>,
    /// Known as.
    pub known_as: Option<String>,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// NHS number, ten digits.
    pub nhs_number: Option<String>,
    /// The household's address, if known.
    pub address: Option<String>,
}

/// One observation as shared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct SharedObservation {
    /// The observation's id on the sender's device.
    pub id: ObservationId,
    /// Category.
    pub category: ConcernCategory,
    /// Severity.
    pub severity: Severity,
    /// Fact or opinion.
    pub nature: Nature,
    /// Who reported it (reported fact) or what the opinion rests on, if recorded.
    pub source_or_basis: Option<String>,
    /// What was seen or heard.
    pub description: String,
    /// When.
    pub observed_at: DateTime<Utc>,
}

/// One voice-of-the-child note as shared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedVoice {
    /// The note's id on the sender's device.
    pub id: VoiceNoteId,
    /// The child's words or the description of how they expressed themselves.
    pub words: String,
    /// How.
    pub mode: ExpressionMode,
    /// When.
    pub expressed_at: DateTime<Utc>,
    /// The child's age then.
    pub child_age: ChildAge,
}

/// `share` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareBody {
    /// Format version.
    pub v: u16,
    /// The share.
    pub share: ShareId,
    /// Who it is about.
    pub about: Subject,
    /// Who sent it.
    pub sender: PractitionerId,
    /// Their name.
    pub sender_name: String,
    /// The sender's teams (acknowledgements are addressed to them).
    pub sender_teams: Vec<TeamId>,
    /// The recipient team.
    pub team: TeamId,
    /// The recipient team's name (from the sender's directory).
    pub team_name: String,
    /// How serious.
    pub severity: Severity,
    /// When it was sent.
    pub sent_at: DateTime<Utc>,
    /// The sender's message: why they are sharing and what they ask of the team.
    pub message: String,
    /// Observations shared.
    pub observations: Vec<SharedObservation>,
    /// Voice-of-the-child notes shared.
    pub voice: Vec<SharedVoice>,
    /// True when the sender's device had not yet learnt the server's clock: `sent_at` and the
    /// due time are the device clock's, unverified (docs/clinical-decisions.md). Absent when
    /// false, so bodies without it read as before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub clock_unverified: bool,
    /// For a transfer of care: the transfer pack (issue 21). Absent on every other share, so
    /// their bodies read and write as before; a build that does not know it refuses a transfer
    /// (unknown field) rather than showing it without its pack.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<TransferPack>,
}

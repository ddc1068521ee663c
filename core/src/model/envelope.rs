//! An envelope's id and kind: the two facts about the unit of sync that the field store keeps
//! too (the mark that an inbound envelope was applied names both), so they live here, below the
//! store, rather than in `crate::sync`, which re-exports them.
//!
//! Invariants: an envelope id is a ULID made on the device and doubles as its idempotency key;
//! the kinds are a closed list whose wire names (`as_str`) are stored in clear and sent on the
//! wire, so a name never changes and a new kind is a visible protocol addition.

use super::ids::IdParseError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use ulid::Ulid;

/// The id of an envelope: a ULID made on the device, also its idempotency key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EnvelopeId(pub Ulid);

impl EnvelopeId {
    /// A fresh id.
    pub fn new() -> Self {
        Self(Ulid::new())
    }
}

impl Default for EnvelopeId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for EnvelopeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for EnvelopeId {
    type Err = IdParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ulid::from_string(s)
            .map(Self)
            .map_err(|_| IdParseError { kind: "envelope" })
    }
}

/// What an envelope carries. Closed list: a server answers an unknown kind with
/// `unknown_kind` (the sync protocol's reject code), so adding a kind is a visible protocol addition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum EnvelopeKind {
    /// Information shared with one or more teams; `due_at` is when an acknowledgement is due.
    Share,
    /// A recipient team's acknowledgement (with read-back) of a share; `answers` is the share.
    /// It reaches the share's author whatever its audience.
    Acknowledgement,
    /// A referral to children's social care; `due_at` is when a decision is due.
    Referral,
    /// The decision on a referral; `answers` is the referral.
    ReferralDecision,
    /// An escalation step taken on a referral or share; `answers` is the entity escalated.
    EscalationStep,
    /// A logged phone call (information-sharing record of a call).
    CallRecord,
}

impl EnvelopeKind {
    /// Every kind, in wire order.
    pub const ALL: [EnvelopeKind; 6] = [
        EnvelopeKind::Share,
        EnvelopeKind::Acknowledgement,
        EnvelopeKind::Referral,
        EnvelopeKind::ReferralDecision,
        EnvelopeKind::EscalationStep,
        EnvelopeKind::CallRecord,
    ];

    /// The wire name (`"share"`, `"acknowledgement"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            EnvelopeKind::Share => "share",
            EnvelopeKind::Acknowledgement => "acknowledgement",
            EnvelopeKind::Referral => "referral",
            EnvelopeKind::ReferralDecision => "referral_decision",
            EnvelopeKind::EscalationStep => "escalation_step",
            EnvelopeKind::CallRecord => "call_record",
        }
    }

    /// The kind with this wire name, if any.
    pub fn from_wire(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// Whether an envelope of this kind must name the entity it answers.
    pub fn requires_answers(self) -> bool {
        matches!(
            self,
            EnvelopeKind::Acknowledgement
                | EnvelopeKind::ReferralDecision
                | EnvelopeKind::EscalationStep
        )
    }

    /// The kinds of entity an envelope of this kind may answer (its `answers` field): an
    /// acknowledgement answers a share, a decision a referral, an escalation step either; the
    /// other kinds answer nothing. The server refuses any other pairing (`answers_wrong_kind`),
    /// so an acknowledgement can never close a referral, nor a decision a share.
    pub fn answerable(self) -> &'static [EnvelopeKind] {
        match self {
            EnvelopeKind::Acknowledgement => &[EnvelopeKind::Share],
            EnvelopeKind::ReferralDecision => &[EnvelopeKind::Referral],
            EnvelopeKind::EscalationStep => &[EnvelopeKind::Referral, EnvelopeKind::Share],
            EnvelopeKind::Share | EnvelopeKind::Referral | EnvelopeKind::CallRecord => &[],
        }
    }

    /// Whether an envelope of this kind must carry a due time (the server reports it overdue).
    pub fn requires_due_at(self) -> bool {
        matches!(self, EnvelopeKind::Share | EnvelopeKind::Referral)
    }

    /// Whether an envelope of this kind must be addressed to at least one team.
    pub fn requires_audience(self) -> bool {
        matches!(self, EnvelopeKind::Share)
    }
}

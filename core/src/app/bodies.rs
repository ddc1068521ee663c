//! Envelope bodies: the JSON each [`crate::sync::EnvelopeKind`] carries between devices, in one place.
//!
//! The envelope header (kind, entity, author, device, audience, severity, due-at, answers)
//! carries ids, times and severity only; everything personal is in the body, which the server
//! treats as opaque bytes (today JSON, later sealed to the audience team's key). Every body has
//! a `"v"` field, currently [`BODY_VERSION`]; a reader refuses a version it does not know, so a
//! newer sender is a visible [`AppError::BadEnvelope`], never a silent misreading. Unknown
//! fields are refused too (`deny_unknown_fields`): a body is a clinical record, and a field this
//! build would drop is a field the recipient would never see.
//!
//! Formats (v1), by kind:
//! - `share` ([`ShareBody`]): entity = the share id; audience = the one recipient team;
//!   severity and due_at as in the header. Body: who it is about ([`Subject`]: role, name,
//!   known-as, date of birth, NHS number, household address), the sender and their team, the
//!   recipient team's name, the sender's message, and the observations and voice-of-the-child
//!   notes shared, each with fact/opinion and its source or basis; for a transfer of care,
//!   the transfer pack (`transfer`, absent otherwise).
//! - `acknowledgement` ([`AcknowledgementBody`]): entity = a fresh id; answers = the share;
//!   audience = the sender's team(s) as named in the share. Body: who acknowledged, their
//!   team, when, and the read-back (who, risk, next action) in their words.
//! - `referral` ([`ReferralBody`]): entity = the referral id; due_at = the decision's due
//!   time; audience = the referrer's teams (so their colleagues and other devices see it).
//! - `referral_decision` ([`ReferralDecisionBody`]): entity = a fresh id; answers = the
//!   referral. Body: the decision as recorded by the referrer.
//! - `escalation_step` ([`EscalationStepBody`]): entity = a fresh id; answers = the referral.
//! - `call_record` ([`CallRecordBody`]): entity = the call log id; the call and its outcome.
//!
//! Directory updates do not travel as envelopes: the server returns the current directory
//! document with a pull (`crate::sync::DirectoryVersion`), applied by
//! [`super::Session::apply_directory_version`].

use super::error::{AppError, EnvelopeFault, StorageFault};
use crate::directory::CallLog;
use crate::model::{PractitionerId, ReferralId, ShareId, TeamId};
use crate::rules::acknowledgement::ReadBack;
use crate::rules::escalation::{EscalationTrigger, StepRecord};
use crate::rules::referral::{Referral, ReferralDecision};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The body format version this build writes and reads.
pub const BODY_VERSION: u16 = 1;

// The share body and what it holds are defined in case work, below the store, which keeps
// every share's body sealed in its record; re-exported here so every body reads in one place.
pub use crate::casework::share::{ShareBody, SharedObservation, SharedVoice, Subject};

/// `acknowledgement` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgementBody {
    /// Format version.
    pub v: u16,
    /// The share acknowledged.
    pub share: ShareId,
    /// Who acknowledged.
    pub by: PractitionerId,
    /// Their name.
    pub by_name: String,
    /// Their team (the share's team).
    pub team: TeamId,
    /// When.
    pub at: DateTime<Utc>,
    /// What they understood.
    pub read_back: ReadBack,
}

/// `referral` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralBody {
    /// Format version.
    pub v: u16,
    /// The referral as sent.
    pub referral: Referral,
}

/// `referral_decision` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralDecisionBody {
    /// Format version.
    pub v: u16,
    /// The referral decided.
    pub referral: ReferralId,
    /// The decision.
    pub decision: ReferralDecision,
}

/// `escalation_step` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationStepBody {
    /// Format version.
    pub v: u16,
    /// The referral escalated.
    pub referral: ReferralId,
    /// Why the escalation was opened.
    pub trigger: EscalationTrigger,
    /// The step taken.
    pub step: StepRecord,
}

/// `call_record` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallRecordBody {
    /// Format version.
    pub v: u16,
    /// The call and its outcome.
    pub call: CallLog,
}

/// Serialises a body to the envelope's bytes.
pub(crate) fn encode<T: Serialize>(body: &T) -> Result<Vec<u8>, AppError> {
    serde_json::to_vec(body).map_err(|err| AppError::Storage(StorageFault::Encoding(err.into())))
}

#[derive(Deserialize)]
struct VersionOnly {
    v: u16,
}

/// Reads a body of type `T`, refusing unknown versions. Error texts name the category and
/// position only, never the content.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let version: VersionOnly = serde_json::from_slice(bytes).map_err(describe)?;
    if version.v != BODY_VERSION {
        return Err(EnvelopeFault::BodyVersion {
            found: version.v,
            supported: BODY_VERSION,
        }
        .into());
    }
    serde_json::from_slice(bytes).map_err(describe)
}

fn describe(err: serde_json::Error) -> AppError {
    EnvelopeFault::Body(err.into()).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Severity;
    use crate::rules::acknowledgement::ReadBack;
    use chrono::TimeZone;

    fn ack() -> AcknowledgementBody {
        AcknowledgementBody {
            v: BODY_VERSION,
            share: ShareId::new(),
            by: PractitionerId::new(),
            by_name: "HV duty".into(),
            team: TeamId::new(),
            at: Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap(),
            read_back: ReadBack {
                who: "baby".into(),
                risk: "unsafe sleeping".into(),
                next_action: "visit tomorrow".into(),
            },
        }
    }

    #[test]
    fn the_share_body_keeps_its_documented_v1_fields() {
        use crate::model::{HouseholdId, PersonId, PersonRole};
        let body = ShareBody {
            v: BODY_VERSION,
            share: ShareId::new(),
            about: Subject {
                person: PersonId::new(),
                household: HouseholdId::new(),
                role: PersonRole::Child,
                name: Some("A".into()),
                known_as: None,
                date_of_birth: None,
                nhs_number: None,
                address: None,
            },
            sender: PractitionerId::new(),
            sender_name: "M".into(),
            sender_teams: vec![TeamId::new()],
            team: TeamId::new(),
            team_name: "T".into(),
            severity: Severity::Concern,
            sent_at: Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap(),
            message: "m".into(),
            observations: vec![],
            voice: vec![],
            clock_unverified: false,
            transfer: None,
        };
        let value = serde_json::to_value(&body).unwrap();
        let mut keys: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "about",
                "message",
                "observations",
                "sender",
                "sender_name",
                "sender_teams",
                "sent_at",
                "severity",
                "share",
                "team",
                "team_name",
                "v",
                "voice"
            ]
        );
        assert_eq!(value["severity"], "concern");
        assert_eq!(value["about"]["role"]["role"], "child");
    }

    #[test]
    fn a_body_round_trips() {
        let body = ack();
        let back: AcknowledgementBody = decode(&encode(&body).unwrap()).unwrap();
        assert_eq!(back, body);
    }

    #[test]
    fn a_newer_body_version_is_refused_not_misread() {
        let mut value = serde_json::to_value(ack()).unwrap();
        value["v"] = 2.into();
        let err = decode::<AcknowledgementBody>(&serde_json::to_vec(&value).unwrap()).unwrap_err();
        assert!(matches!(err, AppError::BadEnvelope(m) if m.to_string().contains("version 2")));
    }

    #[test]
    fn an_unknown_field_is_refused_and_the_error_does_not_quote_content() {
        let mut value = serde_json::to_value(ack()).unwrap();
        value["extra"] = "Zebedee Quartermain".into();
        let err = decode::<AcknowledgementBody>(&serde_json::to_vec(&value).unwrap()).unwrap_err();
        assert!(!err.to_string().contains("Zebedee"));
    }
}

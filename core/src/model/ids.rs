//! Identifiers for every entity: ULIDs, generated offline on the phone, sortable by creation
//! time. Each entity has its own newtype so a team id can never be passed where a person id is
//! expected. Ids carry no personal data and may appear in clear columns and logs.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use ulid::Ulid;

/// Why a text could not be read as an identifier.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[error("not a valid {kind} id")]
pub struct IdParseError {
    /// Which kind of id was expected.
    pub kind: &'static str,
}

macro_rules! entity_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Ulid);

        impl $name {
            /// A fresh id (time-ordered, random low bits).
            pub fn new() -> Self {
                Self(Ulid::new())
            }

            /// Wraps an existing ULID.
            pub fn from_ulid(ulid: Ulid) -> Self {
                Self(ulid)
            }

            /// The underlying ULID.
            pub fn ulid(&self) -> Ulid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = IdParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ulid::from_string(s)
                    .map(Self)
                    .map_err(|_| IdParseError { kind: $kind })
            }
        }
    };
}

entity_id!(/// A household or family.
    HouseholdId, "household");
entity_id!(/// A person a record is about (child, unborn baby, parent, significant adult).
    PersonId, "person");
entity_id!(/// A practitioner (device user).
    PractitionerId, "practitioner");
entity_id!(/// A team (midwifery, health visiting, CSC front door, ...).
    TeamId, "team");
entity_id!(/// An organisation (NHS Trust, ICB, local authority, GP practice).
    OrganisationId, "organisation");
entity_id!(/// A home or clinic visit.
    VisitId, "visit");
entity_id!(/// An observation (a concern or a fact seen or reported).
    ObservationId, "observation");
entity_id!(/// A voice-of-the-child note.
    VoiceNoteId, "voice note");
entity_id!(/// A share of information with a team.
    ShareId, "share");
entity_id!(/// A referral to children's social care.
    ReferralId, "referral");
entity_id!(/// An enrolled device.
    DeviceId, "device");
entity_id!(/// A checklist (admission, handover, discharge) being worked through.
    ChecklistId, "checklist");
entity_id!(/// An information-sharing decision record (a decision to share or not to share).
    DecisionRecordId, "decision record");
entity_id!(/// A multi-agency meeting pack.
    MeetingPackId, "meeting pack");
entity_id!(/// A safeguarding supervision record.
    SupervisionId, "supervision");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text_and_json() {
        let id = PersonId::new();
        let parsed: PersonId = id.to_string().parse().unwrap();
        assert_eq!(parsed, id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{id}\""));
        let back: PersonId = serde_json::from_str(&json).unwrap();
        assert_eq!(back, id);
    }

    #[test]
    fn garbage_is_a_typed_error_naming_the_kind() {
        let err = "not-a-ulid".parse::<TeamId>().unwrap_err();
        assert_eq!(err.kind, "team");
    }
}

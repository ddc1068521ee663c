//! The envelope: the one unit of sync between devices and the regional server.
//!
//! The header fields (kind, entity, author, device, audience, severity, due-at, answers) are
//! all the server reads: it routes pulls by audience and author and reports overdue shares and
//! referrals from them. The body is opaque bytes (base64 on the wire): since wire version 2 a
//! sealed container (`crate::crypto::envelope_seal`) whose associated data is the canonical
//! header ([`Envelope::header_aad`]), so the server never learns its meaning and cannot move it
//! under another header; since wire version 3 signed by the author device over header and sealed
//! body ([`crate::sync::authorship`]), so the server cannot make one up either. Header fields carry ids, times and severities only: no personal data.
//!
//! Idempotency: the id is made on the device (ULID, offline) and doubles as the idempotency
//! key. [`Envelope::content_hash`] hashes the canonical serialisation of the parsed envelope,
//! so the same envelope re-sent with different whitespace or key order is still a duplicate,
//! while any change of a header field or of the body is a conflict.

use crate::crypto::envelope_seal::{self, EncryptionKeyPair, Recipient, SealError};
use crate::model::{DeviceId, PractitionerId, Severity, TeamId};
use crate::sync::authorship::{self, AuthorSignature};
use crate::sync::signing::DeviceKeyPair;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use ring::digest::{digest, SHA256};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use ulid::Ulid;

/// The envelope wire format version this build writes and accepts. A server rejects other
/// versions per envelope with [`crate::sync::RejectCode::UnsupportedVersion`].
/// Version 2: every body is a sealed container (`crate::crypto::envelope_seal`) whose
/// associated data is [`Envelope::header_aad`].
pub const WIRE_VERSION: u16 = 3;

/// First line of the associated data every sealed body is bound to.
pub const HEADER_AAD_TAG: &[u8] = b"SAFESHARE-ENVELOPE-V2\n";

// The envelope's id and kind are defined in the model (a leaf) so the store can keep the
// marks of applied envelopes without importing sync; re-exported here, where they belong.
pub use crate::model::envelope::{EnvelopeId, EnvelopeKind};

/// Opaque body bytes, base64 (standard alphabet, padded) on the wire.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Body(pub Vec<u8>);

impl fmt::Debug for Body {
    // The body may hold personal data: never print it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Body({} bytes)", self.0.len())
    }
}

impl Serialize for Body {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        STANDARD
            .decode(text.as_bytes())
            .map(Body)
            .map_err(|_| serde::de::Error::custom("body is not valid base64"))
    }
}

/// One envelope. Field order is the canonical serialisation order used by
/// [`Envelope::content_hash`]; do not reorder fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// Idempotency key, made on the device.
    pub id: EnvelopeId,
    /// Wire format version ([`WIRE_VERSION`]).
    pub wire_version: u16,
    /// What it carries.
    pub kind: EnvelopeKind,
    /// The entity (share, referral, acknowledgement, ...) this envelope is a version of.
    pub entity_id: Ulid,
    /// The entity's version (1 for a new entity; amendments count up).
    pub entity_version: u32,
    /// The practitioner who wrote it; must be the signing device's practitioner.
    pub author: PractitionerId,
    /// The device that wrote it; must be the signing device.
    pub device: DeviceId,
    /// When it was created on the device (UTC).
    pub created_at: DateTime<Utc>,
    /// The teams it is addressed to. Every team must be known to the region.
    #[serde(default)]
    pub audience: Vec<TeamId>,
    /// Severity of the concern shared, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// When an answer (acknowledgement, decision) is due, in UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<DateTime<Utc>>,
    /// For acknowledgements, decisions and escalation steps: the entity id answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<Ulid>,
    /// Opaque body.
    pub body: Body,
    /// The author device's signature over the header and the sealed body
    /// ([`crate::sync::authorship`]); required on the wire from version 3, absent only while an
    /// envelope waits in the outbox unsealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<AuthorSignature>,
}

/// The SHA-256 of an envelope's canonical serialisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContentHash(pub [u8; 32]);

impl ContentHash {
    /// Lower-case hex, as stored by the server.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl Envelope {
    /// The canonical serialisation: compact JSON in declaration order.
    pub fn canonical_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }

    /// The associated data a sealed body is bound to: [`HEADER_AAD_TAG`] then the canonical
    /// JSON of every field but `body`, in declaration order (optional fields left out when
    /// absent), so any change of a header field makes the body fail to open.
    pub fn header_aad(&self) -> Result<Vec<u8>, serde_json::Error> {
        #[derive(Serialize)]
        struct Header<'a> {
            id: &'a EnvelopeId,
            wire_version: u16,
            kind: EnvelopeKind,
            entity_id: &'a Ulid,
            entity_version: u32,
            author: &'a PractitionerId,
            device: &'a DeviceId,
            created_at: &'a DateTime<Utc>,
            audience: &'a [TeamId],
            #[serde(skip_serializing_if = "Option::is_none")]
            severity: Option<Severity>,
            #[serde(skip_serializing_if = "Option::is_none")]
            due_at: Option<&'a DateTime<Utc>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            answers: Option<&'a Ulid>,
        }
        let mut out = HEADER_AAD_TAG.to_vec();
        serde_json::to_writer(
            &mut out,
            &Header {
                id: &self.id,
                wire_version: self.wire_version,
                kind: self.kind,
                entity_id: &self.entity_id,
                entity_version: self.entity_version,
                author: &self.author,
                device: &self.device,
                created_at: &self.created_at,
                audience: &self.audience,
                severity: self.severity,
                due_at: self.due_at.as_ref(),
                answers: self.answers.as_ref(),
            },
        )?;
        Ok(out)
    }

    /// This envelope with its body sealed to `recipients`, bound to its header, and signed by
    /// the author device's `author_key` over the header and the sealed body
    /// ([`crate::sync::authorship`]).
    pub fn seal_body(
        &self,
        recipients: &[Recipient],
        author_key: &DeviceKeyPair,
    ) -> Result<Envelope, SealError> {
        let aad = self
            .header_aad()
            .map_err(|_| SealError::Malformed("header not serialisable"))?;
        let sealed = envelope_seal::seal(&aad, &self.body.0, recipients)?;
        let mut out = Envelope {
            body: Body(sealed),
            ..self.clone_header()
        };
        out.signature = Some(
            authorship::sign(&out, author_key)
                .map_err(|_| SealError::Malformed("header not serialisable"))?,
        );
        Ok(out)
    }

    /// This envelope with its body opened by one of `keys`, checked against its header.
    /// Errors as [`envelope_seal::open`]: a body moved under this header from another envelope
    /// is [`SealError::Unauthentic`].
    pub fn open_body(&self, keys: &[&EncryptionKeyPair]) -> Result<Envelope, SealError> {
        let aad = self
            .header_aad()
            .map_err(|_| SealError::Malformed("header not serialisable"))?;
        let plain = envelope_seal::open(&aad, &self.body.0, keys)?;
        Ok(Envelope {
            body: Body(plain.to_vec()),
            ..self.clone_header()
        })
    }

    /// Whether the body is a well-formed sealed container (what a v2 server requires).
    pub fn body_is_sealed(&self) -> bool {
        envelope_seal::inspect(&self.body.0).is_ok()
    }

    fn clone_header(&self) -> Envelope {
        Envelope {
            id: self.id,
            wire_version: self.wire_version,
            kind: self.kind,
            entity_id: self.entity_id,
            entity_version: self.entity_version,
            author: self.author,
            device: self.device,
            created_at: self.created_at,
            audience: self.audience.clone(),
            severity: self.severity,
            due_at: self.due_at,
            answers: self.answers,
            body: Body::default(),
            signature: None,
        }
    }

    /// SHA-256 of [`Envelope::canonical_json`]: equal for the same envelope, different for
    /// any change of header or body.
    pub fn content_hash(&self) -> Result<ContentHash, serde_json::Error> {
        let json = self.canonical_json()?;
        let d = digest(&SHA256, json.as_bytes());
        let mut out = [0u8; 32];
        out.copy_from_slice(d.as_ref());
        Ok(ContentHash(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn share() -> Envelope {
        Envelope {
            id: EnvelopeId::new(),
            wire_version: WIRE_VERSION,
            kind: EnvelopeKind::Share,
            entity_id: Ulid::new(),
            entity_version: 1,
            author: PractitionerId::new(),
            device: DeviceId::new(),
            created_at: Utc.with_ymd_and_hms(2026, 3, 29, 0, 30, 0).unwrap(),
            audience: vec![TeamId::new()],
            severity: Some(Severity::Concern),
            due_at: Some(Utc.with_ymd_and_hms(2026, 3, 30, 9, 0, 0).unwrap()),
            answers: None,
            body: Body(b"{\"opaque\":true}".to_vec()),
            signature: None,
        }
    }

    #[test]
    fn envelope_round_trips_and_hash_ignores_whitespace_and_key_order() {
        let env = share();
        let json = env.canonical_json().unwrap();
        let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
        // Re-order keys and pretty-print: still the same envelope, same hash.
        let reordered = serde_json::to_string_pretty(value.as_object_mut().unwrap()).unwrap();
        let back: Envelope = serde_json::from_str(&reordered).unwrap();
        assert_eq!(back, env);
        assert_eq!(back.content_hash().unwrap(), env.content_hash().unwrap());
    }

    #[test]
    fn any_change_to_header_or_body_changes_the_hash() {
        let env = share();
        let mut other = env.clone();
        other.body.0.push(b' ');
        assert_ne!(other.content_hash().unwrap(), env.content_hash().unwrap());
        let mut later = env.clone();
        later.due_at = Some(later.due_at.unwrap() + chrono::Duration::seconds(1));
        assert_ne!(later.content_hash().unwrap(), env.content_hash().unwrap());
    }

    #[test]
    fn body_is_base64_on_the_wire_and_never_printed() {
        let env = share();
        let value = serde_json::to_value(&env).unwrap();
        assert_eq!(value["body"], "eyJvcGFxdWUiOnRydWV9");
        assert_eq!(value["kind"], "share");
        assert!(!format!("{env:?}").contains("opaque"));
    }

    #[test]
    fn unknown_fields_and_bad_base64_are_refused() {
        let mut value = serde_json::to_value(share()).unwrap();
        value["body"] = "***".into();
        assert!(serde_json::from_value::<Envelope>(value.clone()).is_err());
        let mut value = serde_json::to_value(share()).unwrap();
        value["patient_name"] = "x".into();
        assert!(serde_json::from_value::<Envelope>(value).is_err());
    }

    #[test]
    fn a_sealed_body_opens_only_under_its_own_header() {
        let key = EncryptionKeyPair::generate().unwrap();
        let env = share();
        let author = DeviceKeyPair::generate().unwrap();
        let sealed = env.seal_body(&[key.public_key().into()], &author).unwrap();
        assert!(sealed.body_is_sealed());
        assert!(sealed.signature.is_some());
        assert!(!env.body_is_sealed());
        assert_eq!(sealed.open_body(&[&key]).unwrap(), env);
        let mut moved = share();
        moved.body = sealed.body.clone();
        assert_eq!(moved.open_body(&[&key]), Err(SealError::Unauthentic));
        let mut redated = sealed.clone();
        redated.due_at = Some(redated.due_at.unwrap() + chrono::Duration::days(1));
        assert_eq!(redated.open_body(&[&key]), Err(SealError::Unauthentic));
    }

    #[test]
    fn kinds_round_trip_through_their_wire_names() {
        for kind in EnvelopeKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(EnvelopeKind::from_wire(kind.as_str()), Some(kind));
        }
        assert_eq!(EnvelopeKind::from_wire("gossip"), None);
    }
}

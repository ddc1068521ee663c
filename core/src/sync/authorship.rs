//! The author signature on an envelope: proof, checkable by anyone who holds the region roster,
//! that the envelope's header and sealed body were written by the device the header names.
//!
//! Why: sealing gives confidentiality, not authorship. Every recipient's encryption key is
//! public (rosters list them), so the regional server that relays envelopes could otherwise
//! seal a body of its own to the audience under any header — a made-up acknowledgement would
//! close a share on its sender's phone. docs/security.md ("Authorship") is the design.
//!
//! Invariants and why:
//! - The signed message is [`AUTHOR_TAG`], the envelope's header associated data
//!   ([`Envelope::header_aad`]: every header field, the wire version included) and the SHA-256
//!   of the sealed body: any change of a header field or of one ciphertext byte breaks it.
//! - It is made over the sealed form, so a device the body is not sealed to, and the server at
//!   push, can check it without a key that opens the body.
//! - The key is the author device's Ed25519 signing key (the one that signs its requests), as
//!   a roster signed by the region key lists it: a device accepts an envelope only when its
//!   roster lists the header's device under the header's author, not revoked before the
//!   envelope was made. The server cannot add a device to a roster without the region key.
//! - A device checks the signature before it opens the body or uses any header field.

use crate::model::{DeviceId, PractitionerId};
use crate::sync::envelope::Envelope;
use crate::sync::roster::RosterBody;
use crate::sync::signing::{DeviceKeyPair, DevicePublicKey};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ring::digest::{digest, SHA256};
use ring::signature::{UnparsedPublicKey, ED25519};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Domain separation: an author signature can never be taken for a request or roster signature.
pub const AUTHOR_TAG: &[u8] = b"safeshare/envelope/v3/author\n";

/// Length of an Ed25519 signature in bytes.
pub const SIGNATURE_LEN: usize = 64;

/// Why an envelope's authorship is not accepted. Names ids only, never body content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthorshipError {
    /// The envelope carries no author signature.
    #[error("the envelope has no author signature")]
    Unsigned,
    /// The header could not be serialised (cannot happen for a parsed envelope).
    #[error("the envelope header could not be serialised")]
    Header,
    /// The roster this device holds does not list the header's device.
    #[error("device {0} is not on the region roster this device holds")]
    UnknownDevice(DeviceId),
    /// The roster lists the device under another practitioner than the header's author.
    #[error("device {device} does not belong to practitioner {author}")]
    NotTheAuthorsDevice {
        /// The header's device.
        device: DeviceId,
        /// The header's author.
        author: PractitionerId,
    },
    /// The roster shows the device revoked at or before the envelope's `created_at`.
    #[error("device {0} was revoked before this envelope was made")]
    RevokedDevice(DeviceId),
    /// The signature does not verify with the device's key: altered, or not made by it.
    #[error("the author signature does not verify")]
    BadSignature,
}

/// An Ed25519 signature by the author device; base64url without padding on the wire.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct AuthorSignature(pub [u8; SIGNATURE_LEN]);

impl fmt::Debug for AuthorSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "AuthorSignature({})",
            URL_SAFE_NO_PAD.encode(&self.0[..8])
        )
    }
}

impl Serialize for AuthorSignature {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&URL_SAFE_NO_PAD.encode(self.0))
    }
}

impl<'de> Deserialize<'de> for AuthorSignature {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let bytes = URL_SAFE_NO_PAD
            .decode(text.as_bytes())
            .map_err(|_| serde::de::Error::custom("signature is not base64url"))?;
        let array: [u8; SIGNATURE_LEN] = bytes
            .try_into()
            .map_err(|_| serde::de::Error::custom("signature must be 64 bytes"))?;
        Ok(Self(array))
    }
}

/// The message an author signs for `envelope` (its body already sealed).
fn signed_message(envelope: &Envelope) -> Result<Vec<u8>, AuthorshipError> {
    let header = envelope.header_aad().map_err(|_| AuthorshipError::Header)?;
    let body = digest(&SHA256, &envelope.body.0);
    let mut message = Vec::with_capacity(AUTHOR_TAG.len() + header.len() + 32);
    message.extend_from_slice(AUTHOR_TAG);
    message.extend_from_slice(&header);
    message.extend_from_slice(body.as_ref());
    Ok(message)
}

/// Signs `envelope` (header and sealed body) with the author device's `key`.
///
/// Errors: [`AuthorshipError::Header`] only.
pub fn sign(envelope: &Envelope, key: &DeviceKeyPair) -> Result<AuthorSignature, AuthorshipError> {
    Ok(AuthorSignature(
        key.sign_message(&signed_message(envelope)?),
    ))
}

/// Checks `envelope`'s signature against the device key `key` — what the server does at push,
/// where it already knows the signing device.
///
/// Errors: [`AuthorshipError::Unsigned`], [`AuthorshipError::BadSignature`].
pub fn verify_with_key(envelope: &Envelope, key: &DevicePublicKey) -> Result<(), AuthorshipError> {
    let signature = envelope.signature.ok_or(AuthorshipError::Unsigned)?;
    UnparsedPublicKey::new(&ED25519, key.0)
        .verify(&signed_message(envelope)?, &signature.0)
        .map_err(|_| AuthorshipError::BadSignature)
}

/// Checks `envelope`'s authorship against a verified region `roster`: the roster lists the
/// header's device under the header's author, not revoked before `created_at`, and the
/// signature verifies with that device's signing key. What a device does with every pulled
/// envelope before it opens the body or uses a header field.
///
/// Errors: every [`AuthorshipError`] but `Header`.
pub fn verify(envelope: &Envelope, roster: &RosterBody) -> Result<(), AuthorshipError> {
    if envelope.signature.is_none() {
        return Err(AuthorshipError::Unsigned);
    }
    let device = roster
        .device(envelope.device)
        .ok_or(AuthorshipError::UnknownDevice(envelope.device))?;
    if device.practitioner_id != envelope.author {
        return Err(AuthorshipError::NotTheAuthorsDevice {
            device: envelope.device,
            author: envelope.author,
        });
    }
    if device
        .revoked_at
        .is_some_and(|revoked| revoked <= envelope.created_at)
    {
        return Err(AuthorshipError::RevokedDevice(envelope.device));
    }
    verify_with_key(envelope, &device.signing_key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::envelope_seal::EncryptionKeyPair;
    use crate::model::TeamId;
    use crate::sync::envelope::{Body, EnvelopeId, EnvelopeKind, WIRE_VERSION};
    use crate::sync::roster::RosterDevice;
    use chrono::{Duration, TimeZone, Utc};
    use ulid::Ulid;

    struct Author {
        key: DeviceKeyPair,
        device: DeviceId,
        practitioner: PractitionerId,
    }

    fn author() -> Author {
        Author {
            key: DeviceKeyPair::generate().unwrap(),
            device: DeviceId::new(),
            practitioner: PractitionerId::new(),
        }
    }

    fn roster_of(authors: &[&Author], revoked_at: Option<chrono::DateTime<Utc>>) -> RosterBody {
        RosterBody {
            version: 1,
            issued_at: Utc::now(),
            previous: None,
            devices: authors
                .iter()
                .map(|a| RosterDevice {
                    device_id: a.device,
                    practitioner_id: a.practitioner,
                    teams: vec![TeamId::new()],
                    signing_key: a.key.public_key(),
                    encryption_key: None,
                    enrolled_at: Utc::now(),
                    revoked_at,
                    retired_at: None,
                })
                .collect(),
        }
    }

    fn signed_share(by: &Author) -> Envelope {
        let recipient = EncryptionKeyPair::generate().unwrap();
        let plain = Envelope {
            id: EnvelopeId::new(),
            wire_version: WIRE_VERSION,
            kind: EnvelopeKind::Share,
            entity_id: Ulid::new(),
            entity_version: 1,
            author: by.practitioner,
            device: by.device,
            created_at: Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap(),
            audience: vec![TeamId::new()],
            severity: None,
            due_at: Some(Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap()),
            answers: None,
            body: Body(b"Amelia Thornbury".to_vec()),
            signature: None,
        };
        plain
            .seal_body(&[recipient.public_key().into()], &by.key)
            .unwrap()
    }

    #[test]
    fn a_signed_envelope_verifies_against_the_roster_and_the_key() {
        let a = author();
        let env = signed_share(&a);
        assert_eq!(verify(&env, &roster_of(&[&a], None)), Ok(()));
        assert_eq!(verify_with_key(&env, &a.key.public_key()), Ok(()));
    }

    #[test]
    fn any_changed_header_field_or_body_byte_breaks_the_signature() {
        let a = author();
        let roster = roster_of(&[&a], None);
        let env = signed_share(&a);
        let mut later = env.clone();
        later.due_at = later.due_at.map(|d| d + Duration::hours(48));
        let mut elsewhere = env.clone();
        elsewhere.audience = vec![TeamId::new()];
        let mut answered = env.clone();
        answered.answers = Some(Ulid::new());
        let mut body = env.clone();
        let last = body.body.0.len() - 1;
        body.body.0[last] ^= 1;
        for changed in [later, elsewhere, answered, body] {
            assert_eq!(
                verify(&changed, &roster),
                Err(AuthorshipError::BadSignature)
            );
        }
    }

    #[test]
    fn a_replay_under_a_new_id_kind_entity_or_date_breaks_the_signature() {
        // What a server replaying a real envelope would change to make it count again: a new
        // id (a second share), another kind or entity (a share's body as an acknowledgement),
        // an earlier `created_at` (before its device's revocation), another version.
        let a = author();
        let roster = roster_of(&[&a], None);
        let env = signed_share(&a);
        let mut new_id = env.clone();
        new_id.id = EnvelopeId::new();
        let mut as_ack = env.clone();
        as_ack.kind = EnvelopeKind::Acknowledgement;
        let mut other_entity = env.clone();
        other_entity.entity_id = Ulid::new();
        let mut next_version = env.clone();
        next_version.entity_version += 1;
        let mut back_dated = env.clone();
        back_dated.created_at -= Duration::days(1);
        let mut severity = env.clone();
        severity.severity = Some(crate::model::Severity::ImmediateRisk);
        let mut wire = env.clone();
        wire.wire_version -= 1;
        for changed in [
            new_id,
            as_ack,
            other_entity,
            next_version,
            back_dated,
            severity,
            wire,
        ] {
            assert_eq!(
                verify(&changed, &roster),
                Err(AuthorshipError::BadSignature)
            );
        }
    }

    #[test]
    fn the_server_cannot_forge_an_envelope_in_a_devices_name() {
        // A forger holds every public key but no device's signing key: an envelope it makes
        // under a real device's header, signed by any key of its own, is refused.
        let real = author();
        let forger = DeviceKeyPair::generate().unwrap();
        let roster = roster_of(&[&real], None);
        let mut forged = signed_share(&real);
        forged.signature = Some(sign(&forged, &forger).unwrap());
        assert_eq!(verify(&forged, &roster), Err(AuthorshipError::BadSignature));
        let mut unsigned = signed_share(&real);
        unsigned.signature = None;
        assert_eq!(verify(&unsigned, &roster), Err(AuthorshipError::Unsigned));
    }

    #[test]
    fn the_roster_must_list_the_device_under_the_author_and_live_when_it_was_made() {
        let a = author();
        let b = author();
        let env = signed_share(&a);
        assert_eq!(
            verify(&env, &roster_of(&[&b], None)),
            Err(AuthorshipError::UnknownDevice(a.device))
        );
        let mut claims_b = env.clone();
        claims_b.author = b.practitioner;
        claims_b.signature = Some(sign(&claims_b, &a.key).unwrap());
        assert_eq!(
            verify(&claims_b, &roster_of(&[&a, &b], None)),
            Err(AuthorshipError::NotTheAuthorsDevice {
                device: a.device,
                author: b.practitioner
            })
        );
        // Revoked at the very instant it was made: refused; a second later: accepted.
        assert_eq!(
            verify(&env, &roster_of(&[&a], Some(env.created_at))),
            Err(AuthorshipError::RevokedDevice(a.device))
        );
        assert_eq!(
            verify(
                &env,
                &roster_of(&[&a], Some(env.created_at + Duration::seconds(1)))
            ),
            Ok(())
        );
    }

    #[test]
    fn the_signature_is_base64url_on_the_wire_and_round_trips() {
        let a = author();
        let env = signed_share(&a);
        let json = serde_json::to_value(&env).unwrap();
        let text = json["signature"].as_str().unwrap();
        assert_eq!(text.len(), 86);
        let back: Envelope = serde_json::from_value(json).unwrap();
        assert_eq!(back, env);
        assert!(serde_json::from_value::<AuthorSignature>("AAAA".into()).is_err());
    }

    /// A signature prints as its first 8 bytes only, base64url like the wire: enough to tell two
    /// apart in a log, never the whole value (found by the signing group's mutation run).
    #[test]
    fn a_signature_debug_prints_its_first_eight_bytes_in_base64url() {
        let mut bytes = [0xFB; SIGNATURE_LEN];
        bytes[8] = 0x00;
        assert_eq!(
            format!("{:?}", AuthorSignature(bytes)),
            "AuthorSignature(-_v7-_v7-_s)"
        );
    }
}

//! Signed region rosters and the region key: who may read what is sealed, as the region's
//! administrator vouches for it.
//!
//! Owns the roster document, its Ed25519 signature by the region key (ring), the rule by which
//! a device accepts the next version, and the choice of recipients for an envelope. The design
//! and threat model are in `docs/security.md`. Invariants and why:
//! - The signed bytes are the bytes sent ([`SignedRoster::body`] is the JSON text itself), so no
//!   two implementations need agree on a canonical serialisation to verify.
//! - Versions form a hash chain (`previous` = SHA-256 of the prior version's signed bytes) and
//!   a device accepts only the next version after the one it holds ([`accept_next`]): a server
//!   cannot roll a device back to an older roster or fork its history unseen.
//! - A device, once listed, stays listed with the same practitioner, signing key and enrolment
//!   time, and a revocation is final ([`accept_next`]): even a server holding the region key
//!   cannot quietly bring a revoked phone back or speak as an enrolled device. Additions, new
//!   encryption keys and team changes are allowed and each shows in the roster log
//!   ([`roster_changes`]).
//! - Recipients are never taken from the server's say-so at sealing time: only from a roster
//!   that verified against the region key pinned at enrolment.

use crate::crypto::envelope_seal::{EncryptionPublicKey, KeyId, Recipient};
use crate::model::{DeviceId, PractitionerId, TeamId};
use crate::sync::signing::DevicePublicKey;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use ring::digest::{digest, SHA256};
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair, UnparsedPublicKey, ED25519};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use zeroize::Zeroizing;

/// Prefix of every signed roster message: names the scheme so it can change later.
pub const ROSTER_TAG: &[u8] = b"SAFESHARE-ROSTER-V1\n";

/// Why a roster or a region key was refused.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum RosterError {
    /// The signature is missing, unreadable, or does not verify with the pinned region key.
    #[error("the roster is not signed by the region key")]
    BadSignature,
    /// The signed body is not a roster document.
    #[error("the roster document is malformed")]
    Malformed,
    /// The version is not newer than the one held (a rollback or a replay).
    #[error("roster version {offered} is not newer than the version held ({held})")]
    Rollback {
        /// Version offered.
        offered: u64,
        /// Version held.
        held: u64,
    },
    /// The version skips ahead or does not chain to the version held.
    #[error("roster version {0} does not follow the version held")]
    Fork(u64),
    /// A device the held version lists is missing from the next: devices are revoked, never
    /// removed, so a roster's history cannot be rewritten to hide one.
    #[error("roster version {version} drops device {device}")]
    DeviceRemoved {
        /// Version offered.
        version: u64,
        /// The device missing from it.
        device: DeviceId,
    },
    /// A device revoked in the held version is not revoked, or revoked at another time, in the
    /// next: a revocation is final (a lost phone found again is enrolled afresh).
    #[error("roster version {version} un-revokes device {device}")]
    Unrevoked {
        /// Version offered.
        version: u64,
        /// The device.
        device: DeviceId,
    },
    /// A device retired in the held version is not retired, or retired at another time, in the
    /// next: a retirement is final too (a phone handed back and reissued is enrolled afresh),
    /// so a server cannot make a handed-back phone a recipient again.
    #[error("roster version {version} un-retires device {device}")]
    Unretired {
        /// Version offered.
        version: u64,
        /// The device.
        device: DeviceId,
    },
    /// A device's practitioner, signing key or enrolment time differs from the held version:
    /// those are fixed at enrolment, so a change means someone else is speaking as the device.
    #[error("roster version {version} changes the identity of device {device}")]
    IdentityChanged {
        /// Version offered.
        version: u64,
        /// The device.
        device: DeviceId,
    },
    /// The version lists one device twice: the first entry would pass the history rules while
    /// the second (un-revoked, another key) was sealed to.
    #[error("roster version {version} lists device {device} twice")]
    DuplicateDevice {
        /// Version offered.
        version: u64,
        /// The device.
        device: DeviceId,
    },
    /// The version lists this very device with a signing key, practitioner or encryption key
    /// it does not hold: someone else would be read to, or speak, as this device.
    #[error("roster version {version} lists this device with keys it does not hold")]
    NotThisDevice {
        /// Version offered.
        version: u64,
    },
    /// A region key is not a 32-byte Ed25519 key, or its PKCS#8 document is unreadable.
    #[error("bad region key")]
    BadKey,
    /// The random generator failed making a region key.
    #[error("the system random generator failed")]
    Random,
}

/// The region's Ed25519 public key, pinned by every device at enrolment. base64url on the wire.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct RegionPublicKey(pub [u8; 32]);

impl RegionPublicKey {
    /// The fingerprint people compare: the first 16 bytes of SHA-256 of the key, hex, in
    /// groups of four (`"3f2a 9c01 …"`).
    pub fn fingerprint(&self) -> String {
        let hexed = hex::encode(&digest(&SHA256, &self.0).as_ref()[..16]);
        hexed
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl fmt::Debug for RegionPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegionPublicKey({})", self.fingerprint())
    }
}

impl Serialize for RegionPublicKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&URL_SAFE_NO_PAD.encode(self.0))
    }
}

impl<'de> Deserialize<'de> for RegionPublicKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let bytes = URL_SAFE_NO_PAD
            .decode(text.as_bytes())
            .map_err(|_| serde::de::Error::custom("region key is not base64url"))?;
        let array: [u8; 32] = bytes
            .try_into()
            .map_err(|_| serde::de::Error::custom("region key must be 32 bytes"))?;
        Ok(Self(array))
    }
}

/// The region's signing key pair (held by the admin CLI / server in a 0600 file as PKCS#8).
pub struct RegionKeyPair {
    pair: Ed25519KeyPair,
    pkcs8: Zeroizing<Vec<u8>>,
}

impl fmt::Debug for RegionKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegionKeyPair({})", self.public_key().fingerprint())
    }
}

impl RegionKeyPair {
    /// A fresh key pair.
    pub fn generate() -> Result<Self, RosterError> {
        let doc = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .map_err(|_| RosterError::Random)?;
        Self::from_pkcs8(doc.as_ref())
    }

    /// The key pair from its PKCS#8 document.
    pub fn from_pkcs8(bytes: &[u8]) -> Result<Self, RosterError> {
        let pair = Ed25519KeyPair::from_pkcs8(bytes).map_err(|_| RosterError::BadKey)?;
        Ok(Self {
            pair,
            pkcs8: Zeroizing::new(bytes.to_vec()),
        })
    }

    /// The PKCS#8 bytes, for the key file only.
    pub fn pkcs8_bytes(&self) -> &[u8] {
        &self.pkcs8
    }

    /// The public half.
    pub fn public_key(&self) -> RegionPublicKey {
        let mut out = [0u8; 32];
        out.copy_from_slice(self.pair.public_key().as_ref());
        RegionPublicKey(out)
    }

    /// Signs `body` as a roster version.
    pub fn sign(&self, body: &RosterBody) -> Result<SignedRoster, RosterError> {
        let text = serde_json::to_string(body).map_err(|_| RosterError::Malformed)?;
        let signature = self.pair.sign(&signed_message(text.as_bytes()));
        Ok(SignedRoster {
            body: text,
            signature: URL_SAFE_NO_PAD.encode(signature.as_ref()),
        })
    }
}

fn signed_message(body: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(ROSTER_TAG.len() + body.len());
    message.extend_from_slice(ROSTER_TAG);
    message.extend_from_slice(body);
    message
}

/// One device as a roster lists it. Ids and public keys only: no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterDevice {
    /// The device.
    pub device_id: DeviceId,
    /// Its practitioner.
    pub practitioner_id: PractitionerId,
    /// The practitioner's current teams.
    pub teams: Vec<TeamId>,
    /// Its Ed25519 request-signing key.
    pub signing_key: DevicePublicKey,
    /// Its current X25519 encryption key, once registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_key: Option<EncryptionPublicKey>,
    /// When it was enrolled.
    pub enrolled_at: DateTime<Utc>,
    /// When it was revoked, if it was: a revoked device is never a recipient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it was retired (handed back), if it was: a retired device is never a recipient,
    /// but what it authored before it wiped still verifies (it may push its outbox after
    /// retirement, unlike a revoked device).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_at: Option<DateTime<Utc>>,
}

/// One roster version: every device of the region. A team's roster is the devices whose
/// practitioner is in the team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterBody {
    /// 1, 2, 3, ... with no gaps.
    pub version: u64,
    /// When the server made this version.
    pub issued_at: DateTime<Utc>,
    /// Lower-case hex SHA-256 of the previous version's signed body text (none for version 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    /// Every device, in device-id order.
    pub devices: Vec<RosterDevice>,
}

impl RosterBody {
    /// The recipient keys of an envelope: current keys of non-revoked, non-retired devices in any team of
    /// `audience` or belonging to any of `practitioners` (the author, and for an answer the
    /// answered entity's author). De-duplicated, in roster order.
    pub fn recipients(
        &self,
        audience: &[TeamId],
        practitioners: &[PractitionerId],
    ) -> Vec<Recipient> {
        let mut out: Vec<Recipient> = Vec::new();
        for device in &self.devices {
            if device.revoked_at.is_some() || device.retired_at.is_some() {
                continue;
            }
            let Some(key) = device.encryption_key else {
                continue;
            };
            let entitled = practitioners.contains(&device.practitioner_id)
                || device.teams.iter().any(|t| audience.contains(t));
            if entitled && !out.iter().any(|r| r.public == key) {
                out.push(Recipient::from(key));
            }
        }
        out
    }

    /// The device listed under `id`, if any.
    pub fn device(&self, id: DeviceId) -> Option<&RosterDevice> {
        self.devices.iter().find(|d| d.device_id == id)
    }
}

/// A roster version as sent: the exact JSON text of a [`RosterBody`] and the region key's
/// Ed25519 signature over [`ROSTER_TAG`] followed by that text (base64url, no padding).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedRoster {
    /// The roster document's JSON text, exactly as signed.
    pub body: String,
    /// The signature.
    pub signature: String,
}

impl SignedRoster {
    /// Verifies the signature with `key` and reads the document.
    pub fn verify(&self, key: &RegionPublicKey) -> Result<RosterBody, RosterError> {
        let signature = URL_SAFE_NO_PAD
            .decode(self.signature.as_bytes())
            .map_err(|_| RosterError::BadSignature)?;
        UnparsedPublicKey::new(&ED25519, key.0)
            .verify(&signed_message(self.body.as_bytes()), &signature)
            .map_err(|_| RosterError::BadSignature)?;
        serde_json::from_str(&self.body).map_err(|_| RosterError::Malformed)
    }

    /// Lower-case hex SHA-256 of the signed body text: the next version's `previous`.
    pub fn hash(&self) -> String {
        hex::encode(digest(&SHA256, self.body.as_bytes()).as_ref())
    }
}

/// Accepts `next` after the version `held` (none before the first): the signature must verify
/// with the pinned `key`, the version must be exactly one more, `previous` must be the hash of
/// the held version, and every device of the held version must still be listed with the same
/// practitioner, signing key and enrolment time, a revoked one still revoked at the same
/// instant ([`RosterError::DeviceRemoved`], [`RosterError::IdentityChanged`],
/// [`RosterError::Unrevoked`]). Returns the verified document.
///
/// Why the last rule: the server builds every version and the region key signs what it is
/// given, so a server holding the key could bring a revoked (stolen) phone back as a recipient
/// or swap a device's signing key. Teams and encryption keys do change; those changes are
/// shown in every phone's roster log instead ([`roster_changes`]).
pub fn accept_next(
    held: Option<&SignedRoster>,
    held_version: u64,
    next: &SignedRoster,
    key: &RegionPublicKey,
) -> Result<RosterBody, RosterError> {
    let body = next.verify(key)?;
    if body.version <= held_version {
        return Err(RosterError::Rollback {
            offered: body.version,
            held: held_version,
        });
    }
    if body.version != held_version + 1 {
        return Err(RosterError::Fork(body.version));
    }
    let expected = held.map(SignedRoster::hash);
    if body.previous != expected {
        return Err(RosterError::Fork(body.version));
    }
    // One entry per device: `device` finds the first, `recipients` reads them all, so a
    // second entry could un-revoke or re-key a device behind the history rules below.
    let mut ids: Vec<DeviceId> = body.devices.iter().map(|d| d.device_id).collect();
    ids.sort_unstable();
    if let Some(pair) = ids.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(RosterError::DuplicateDevice {
            version: body.version,
            device: pair[0],
        });
    }
    if let Some(held) = held {
        // The held text was verified when it was accepted; read it again to compare.
        let before: RosterBody =
            serde_json::from_str(&held.body).map_err(|_| RosterError::Malformed)?;
        check_history_kept(&before, &body)?;
    }
    Ok(body)
}

/// Checks how `body` lists the device reading it (`device`, enrolled for `practitioner` with
/// `signing_key`, holding the encryption keys `held_keys`): if listed, with that practitioner
/// and signing key, and an encryption key among the ones it made (or none yet).
///
/// Why: only this device can tell a key it made from one put in its place. A server holding
/// the region key could list a key of its own as this device's encryption key — in the roster
/// log that looks like a routine rotation — and read everything sealed to the device from then
/// on. Every device checks its own entry, so the substitution stops the victim's sync with
/// [`RosterError::NotThisDevice`] instead of passing unseen.
pub fn check_own_entry(
    body: &RosterBody,
    device: DeviceId,
    practitioner: PractitionerId,
    signing_key: &DevicePublicKey,
    held_keys: &[KeyId],
) -> Result<(), RosterError> {
    let Some(me) = body.device(device) else {
        return Ok(());
    };
    let key_held = me
        .encryption_key
        .is_none_or(|key| held_keys.contains(&key.key_id()));
    if me.practitioner_id != practitioner || me.signing_key != *signing_key || !key_held {
        return Err(RosterError::NotThisDevice {
            version: body.version,
        });
    }
    Ok(())
}

/// What never changes for a device from one version to the next (see [`accept_next`]).
fn check_history_kept(before: &RosterBody, after: &RosterBody) -> Result<(), RosterError> {
    let version = after.version;
    for old in &before.devices {
        let device = old.device_id;
        let Some(new) = after.device(device) else {
            return Err(RosterError::DeviceRemoved { version, device });
        };
        if new.practitioner_id != old.practitioner_id
            || new.signing_key != old.signing_key
            || new.enrolled_at != old.enrolled_at
        {
            return Err(RosterError::IdentityChanged { version, device });
        }
        if old.revoked_at.is_some() && new.revoked_at != old.revoked_at {
            return Err(RosterError::Unrevoked { version, device });
        }
        if old.retired_at.is_some() && new.retired_at != old.retired_at {
            return Err(RosterError::Unretired { version, device });
        }
    }
    Ok(())
}

/// `GET /v1/roster?after=N` answer: every signed version after `N`, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterResponse {
    /// The region key the versions are signed with (a device compares it with the pinned one).
    pub region_key: RegionPublicKey,
    /// Versions after the one asked for, in order.
    pub rosters: Vec<SignedRoster>,
}

/// `POST /v1/encryption-key` body: registers (or rotates to) the signing device's X25519 key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncryptionKeyRequest {
    /// The device's new current encryption key.
    pub public_key: EncryptionPublicKey,
}

/// What changed for one device from one roster version to the next. The log shows these so a
/// device nobody expected (added to a team by a compromised server) stands out on every phone
/// and in the admin CLI (docs/security.md, "Threat model").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum RosterChangeKind {
    /// The device appears for the first time.
    Added,
    /// The device was revoked.
    Revoked,
    /// The device was retired (handed back): no longer a recipient.
    Retired,
    /// The device registered a new encryption key (a rotation).
    NewEncryptionKey,
    /// The practitioner's teams changed.
    TeamsChanged,
}

impl RosterChangeKind {
    /// Words for the log.
    pub fn as_str(self) -> &'static str {
        match self {
            RosterChangeKind::Added => "added",
            RosterChangeKind::Revoked => "revoked",
            RosterChangeKind::Retired => "retired",
            RosterChangeKind::NewEncryptionKey => "new encryption key",
            RosterChangeKind::TeamsChanged => "teams changed",
        }
    }
}

/// One device's change in a roster version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RosterChange {
    /// What changed.
    pub kind: RosterChangeKind,
    /// The device.
    pub device_id: DeviceId,
    /// Its practitioner.
    pub practitioner_id: PractitionerId,
    /// The practitioner's teams in the new version.
    pub teams: Vec<TeamId>,
}

/// The changes from `before` (none for the first version) to `after`, in `after`'s device
/// order, every kind that applies to a device listed (a new key together with new teams is two
/// changes, so neither hides behind the other). A device new in `after` is one change, added.
pub fn roster_changes(before: Option<&RosterBody>, after: &RosterBody) -> Vec<RosterChange> {
    let mut out = Vec::new();
    for device in &after.devices {
        let change = |kind| RosterChange {
            kind,
            device_id: device.device_id,
            practitioner_id: device.practitioner_id,
            teams: device.teams.clone(),
        };
        let Some(old) = before.and_then(|b| b.device(device.device_id)) else {
            out.push(change(RosterChangeKind::Added));
            continue;
        };
        if old.revoked_at.is_none() && device.revoked_at.is_some() {
            out.push(change(RosterChangeKind::Revoked));
        }
        if old.retired_at.is_none() && device.retired_at.is_some() {
            out.push(change(RosterChangeKind::Retired));
        }
        if old.encryption_key != device.encryption_key {
            out.push(change(RosterChangeKind::NewEncryptionKey));
        }
        if old.teams != device.teams {
            out.push(change(RosterChangeKind::TeamsChanged));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::envelope_seal::EncryptionKeyPair;

    fn device(team: TeamId, revoked: bool) -> RosterDevice {
        RosterDevice {
            device_id: DeviceId::new(),
            practitioner_id: PractitionerId::new(),
            teams: vec![team],
            signing_key: DevicePublicKey([7; 32]),
            encryption_key: Some(EncryptionKeyPair::generate().unwrap().public_key()),
            enrolled_at: Utc::now(),
            revoked_at: revoked.then(Utc::now),
            retired_at: None,
        }
    }

    fn body(version: u64, previous: Option<String>, devices: Vec<RosterDevice>) -> RosterBody {
        RosterBody {
            version,
            issued_at: Utc::now(),
            previous,
            devices,
        }
    }

    #[test]
    fn a_roster_is_accepted_only_signed_in_order_and_chained() {
        let region = RegionKeyPair::generate().unwrap();
        let key = region.public_key();
        let team = TeamId::new();
        let first = device(team, false);
        let v1 = region.sign(&body(1, None, vec![first.clone()])).unwrap();
        assert!(accept_next(None, 0, &v1, &key).is_ok());
        let v2 = region
            .sign(&body(2, Some(v1.hash()), vec![first, device(team, false)]))
            .unwrap();
        assert!(accept_next(Some(&v1), 1, &v2, &key).is_ok());
        // Older, equal, skipping, or not chained: refused.
        assert!(matches!(
            accept_next(Some(&v2), 2, &v1, &key),
            Err(RosterError::Rollback { .. })
        ));
        let forked = region.sign(&body(2, Some("00".into()), vec![])).unwrap();
        assert_eq!(
            accept_next(Some(&v1), 1, &forked, &key),
            Err(RosterError::Fork(2))
        );
        // Tampered, unsigned or signed by another key: refused.
        let mut tampered = v1.clone();
        tampered.body = tampered.body.replace("\"version\":1", "\"version\":1 ");
        assert_eq!(
            accept_next(None, 0, &tampered, &key),
            Err(RosterError::BadSignature)
        );
        let unsigned = SignedRoster {
            body: v1.body.clone(),
            signature: String::new(),
        };
        assert_eq!(
            accept_next(None, 0, &unsigned, &key),
            Err(RosterError::BadSignature)
        );
        let other = RegionKeyPair::generate()
            .unwrap()
            .sign(&body(1, None, vec![]))
            .unwrap();
        assert_eq!(
            accept_next(None, 0, &other, &key),
            Err(RosterError::BadSignature)
        );
    }

    #[test]
    fn a_roster_cannot_drop_unrevoke_or_re_key_a_device() {
        let region = region_keys();
        let key = region.public_key();
        let team = TeamId::new();
        let kept = device(team, false);
        let revoked = device(team, true);
        let v1 = region
            .sign(&body(1, None, vec![kept.clone(), revoked.clone()]))
            .unwrap();
        let next =
            |devices: Vec<RosterDevice>| region.sign(&body(2, Some(v1.hash()), devices)).unwrap();
        // Teams and a new encryption key may change.
        let mut moved = kept.clone();
        moved.teams = vec![TeamId::new()];
        moved.encryption_key = Some(EncryptionKeyPair::generate().unwrap().public_key());
        assert!(accept_next(Some(&v1), 1, &next(vec![moved, revoked.clone()]), &key).is_ok());
        // Dropped, un-revoked, re-dated revocation, new signing key, new practitioner: refused.
        assert_eq!(
            accept_next(Some(&v1), 1, &next(vec![kept.clone()]), &key),
            Err(RosterError::DeviceRemoved {
                version: 2,
                device: revoked.device_id
            })
        );
        let mut unrevoked = revoked.clone();
        unrevoked.revoked_at = None;
        let mut redated = revoked.clone();
        redated.revoked_at = revoked.revoked_at.map(|t| t + chrono::Duration::days(1));
        for changed in [unrevoked, redated] {
            assert_eq!(
                accept_next(Some(&v1), 1, &next(vec![kept.clone(), changed]), &key),
                Err(RosterError::Unrevoked {
                    version: 2,
                    device: revoked.device_id
                })
            );
        }
        let mut rekeyed = kept.clone();
        rekeyed.signing_key = DevicePublicKey([9; 32]);
        let mut reassigned = kept.clone();
        reassigned.practitioner_id = PractitionerId::new();
        for changed in [rekeyed, reassigned] {
            assert_eq!(
                accept_next(Some(&v1), 1, &next(vec![changed, revoked.clone()]), &key),
                Err(RosterError::IdentityChanged {
                    version: 2,
                    device: kept.device_id
                })
            );
        }
    }

    #[test]
    fn every_change_of_a_device_is_listed_not_just_the_first() {
        let team = TeamId::new();
        let old = device(team, false);
        let mut new = old.clone();
        new.teams = vec![team, TeamId::new()];
        new.encryption_key = Some(EncryptionKeyPair::generate().unwrap().public_key());
        new.revoked_at = Some(Utc::now());
        let added = device(team, false);
        let before = body(1, None, vec![old.clone()]);
        let after = body(2, None, vec![new, added.clone()]);
        let kinds: Vec<(RosterChangeKind, DeviceId)> = roster_changes(Some(&before), &after)
            .into_iter()
            .map(|c| (c.kind, c.device_id))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (RosterChangeKind::Revoked, old.device_id),
                (RosterChangeKind::NewEncryptionKey, old.device_id),
                (RosterChangeKind::TeamsChanged, old.device_id),
                (RosterChangeKind::Added, added.device_id),
            ]
        );
        assert!(roster_changes(Some(&before), &before).is_empty());
    }

    #[test]
    fn a_fork_of_the_same_number_or_a_version_built_on_it_is_refused() {
        // Two different versions 2, both chained to version 1 and signed: a phone holding one
        // refuses the other, and the next version built on the other, and a skip.
        let region = region_keys();
        let key = region.public_key();
        let team = TeamId::new();
        let first = device(team, false);
        let v1 = region.sign(&body(1, None, vec![first.clone()])).unwrap();
        let v2a = region
            .sign(&body(2, Some(v1.hash()), vec![first.clone()]))
            .unwrap();
        let v2b = region
            .sign(&body(
                2,
                Some(v1.hash()),
                vec![first.clone(), device(team, false)],
            ))
            .unwrap();
        assert!(accept_next(Some(&v1), 1, &v2a, &key).is_ok());
        assert!(accept_next(Some(&v1), 1, &v2b, &key).is_ok());
        assert_eq!(
            accept_next(Some(&v2a), 2, &v2b, &key),
            Err(RosterError::Rollback {
                offered: 2,
                held: 2
            })
        );
        let v3b = region
            .sign(&body(3, Some(v2b.hash()), vec![first.clone()]))
            .unwrap();
        assert_eq!(
            accept_next(Some(&v2a), 2, &v3b, &key),
            Err(RosterError::Fork(3))
        );
        assert_eq!(
            accept_next(Some(&v1), 1, &v3b, &key),
            Err(RosterError::Fork(3))
        );
    }

    #[test]
    fn a_roster_listing_a_device_twice_is_refused() {
        // The second entry un-revokes the device under a key of the server's: the first passes
        // the history rules, the second would be sealed to.
        let region = region_keys();
        let key = region.public_key();
        let team = TeamId::new();
        let stolen = device(team, true);
        let v1 = region.sign(&body(1, None, vec![stolen.clone()])).unwrap();
        let mut back = stolen.clone();
        back.revoked_at = None;
        back.encryption_key = Some(EncryptionKeyPair::generate().unwrap().public_key());
        let v2 = region
            .sign(&body(2, Some(v1.hash()), vec![stolen.clone(), back]))
            .unwrap();
        assert_eq!(
            accept_next(Some(&v1), 1, &v2, &key),
            Err(RosterError::DuplicateDevice {
                version: 2,
                device: stolen.device_id
            })
        );
        let twice = region
            .sign(&body(1, None, vec![stolen.clone(), stolen.clone()]))
            .unwrap();
        assert!(matches!(
            accept_next(None, 0, &twice, &key),
            Err(RosterError::DuplicateDevice { version: 1, .. })
        ));
    }

    #[test]
    fn a_device_refuses_a_roster_listing_it_with_keys_it_does_not_hold() {
        let team = TeamId::new();
        let me = device(team, false);
        let mine = me.encryption_key.unwrap().key_id();
        let other = device(team, false);
        let roster = body(3, None, vec![me.clone(), other.clone()]);
        let check = |roster: &RosterBody| {
            check_own_entry(
                roster,
                me.device_id,
                me.practitioner_id,
                &me.signing_key,
                &[mine],
            )
        };
        assert_eq!(check(&roster), Ok(()));
        // Not listed yet, or listed before registering a key: nothing to check.
        assert_eq!(check(&body(3, None, vec![other.clone()])), Ok(()));
        let mut unregistered = me.clone();
        unregistered.encryption_key = None;
        assert_eq!(check(&body(3, None, vec![unregistered])), Ok(()));
        // An encryption key this device never made, or another signing key or practitioner.
        let mut swapped = me.clone();
        swapped.encryption_key = Some(EncryptionKeyPair::generate().unwrap().public_key());
        let mut resigned = me.clone();
        resigned.signing_key = DevicePublicKey([9; 32]);
        let mut moved = me.clone();
        moved.practitioner_id = PractitionerId::new();
        for changed in [swapped, resigned, moved] {
            assert_eq!(
                check(&body(3, None, vec![changed, other.clone()])),
                Err(RosterError::NotThisDevice { version: 3 })
            );
        }
    }

    fn region_keys() -> RegionKeyPair {
        RegionKeyPair::generate().unwrap()
    }

    #[test]
    fn revoked_devices_and_other_teams_are_not_recipients() {
        let team = TeamId::new();
        let live = device(team, false);
        let revoked = device(team, true);
        let elsewhere = device(TeamId::new(), false);
        let roster = body(1, None, vec![live.clone(), revoked, elsewhere.clone()]);
        let got = roster.recipients(&[team], &[]);
        assert_eq!(got, vec![Recipient::from(live.encryption_key.unwrap())]);
        let with_author = roster.recipients(&[team], &[elsewhere.practitioner_id]);
        assert_eq!(with_author.len(), 2);
    }

    #[test]
    fn a_retired_device_is_no_recipient_and_its_retirement_is_final() {
        let team = TeamId::new();
        let live = device(team, false);
        let mut retired = device(team, false);
        let key = RegionKeyPair::generate().unwrap();
        let v1 = key
            .sign(&body(1, None, vec![live.clone(), retired.clone()]))
            .unwrap();
        retired.retired_at = Some(Utc::now());
        let v2_body = body(2, Some(v1.hash()), vec![live.clone(), retired.clone()]);
        assert_eq!(
            v2_body.recipients(&[team], &[retired.practitioner_id]),
            vec![Recipient::from(live.encryption_key.unwrap())]
        );
        let before: RosterBody = serde_json::from_str(&v1.body).unwrap();
        let changes = roster_changes(Some(&before), &v2_body);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].kind, RosterChangeKind::Retired);
        assert_eq!(changes[0].device_id, retired.device_id);
        let v2 = key.sign(&v2_body).unwrap();
        let public = key.public_key();
        assert!(accept_next(Some(&v1), 1, &v2, &public).is_ok());
        // A later version cannot bring it back.
        let mut back = retired.clone();
        back.retired_at = None;
        let v3 = key
            .sign(&body(3, Some(v2.hash()), vec![live, back]))
            .unwrap();
        assert_eq!(
            accept_next(Some(&v2), 2, &v3, &public),
            Err(RosterError::Unretired {
                version: 3,
                device: retired.device_id
            })
        );
    }

    #[test]
    fn fingerprint_is_eight_groups_of_four_hex() {
        let key = RegionKeyPair::generate().unwrap().public_key();
        let fp = key.fingerprint();
        assert_eq!(fp.split(' ').count(), 8);
        assert!(fp.split(' ').all(|g| g.len() == 4));
    }

    #[test]
    fn region_keys_debug_as_their_fingerprint_only() {
        // Debug output ends up in logs and panics: it names the key by fingerprint, and never
        // shows the key's bytes (public or, for the pair, private).
        let pair = RegionKeyPair::generate().unwrap();
        let public = pair.public_key();
        let fingerprint = public.fingerprint();
        assert_eq!(
            format!("{public:?}"),
            format!("RegionPublicKey({fingerprint})")
        );
        assert_eq!(format!("{pair:?}"), format!("RegionKeyPair({fingerprint})"));
    }

    #[test]
    fn a_region_key_pair_restored_from_its_pkcs8_bytes_is_the_same_key() {
        // The key file holds these bytes (server/src/roster.rs writes them): reading them back
        // must give the same key, or a restarted server signs rosters devices reject.
        let pair = RegionKeyPair::generate().unwrap();
        let restored = RegionKeyPair::from_pkcs8(pair.pkcs8_bytes()).unwrap();
        assert_eq!(restored.public_key(), pair.public_key());
    }

    #[test]
    fn roster_changes_are_named_in_words_for_the_log() {
        // The admin CLI and every phone show these words: a device nobody expected must read
        // as "added", not as a blank line.
        let words: Vec<&str> = [
            RosterChangeKind::Added,
            RosterChangeKind::Revoked,
            RosterChangeKind::Retired,
            RosterChangeKind::NewEncryptionKey,
            RosterChangeKind::TeamsChanged,
        ]
        .into_iter()
        .map(RosterChangeKind::as_str)
        .collect();
        assert_eq!(
            words,
            [
                "added",
                "revoked",
                "retired",
                "new encryption key",
                "teams changed"
            ]
        );
    }
}

//! Ed25519 request signing (ring), the same code on the device and on the server.
//!
//! After enrolment every request carries four headers: the device id, a timestamp (Unix
//! seconds), a nonce (16 random bytes, hex) and the signature (base64url, no padding) over
//! [`signing_payload`]: a fixed tag, the device id, the method, the path with its query
//! string, the timestamp, the nonce and the SHA-256 of the body, one per line. Binding the
//! device id stops a signature being replayed under another device; binding the body hash
//! stops a captured request being altered; the timestamp window ([`MAX_CLOCK_SKEW_SECS`]) and
//! the server's nonce memory stop it being replayed.
//!
//! The key pair is kept by the device as PKCS#8 bytes (in its SecretStore); those bytes are
//! zeroized when dropped.

use crate::model::DeviceId;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use ring::digest::{digest, SHA256};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{Ed25519KeyPair, KeyPair, UnparsedPublicKey, ED25519};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use zeroize::Zeroizing;

/// Header carrying the device id.
pub const HEADER_DEVICE: &str = "x-safeshare-device";
/// Header carrying the timestamp, Unix seconds.
pub const HEADER_TIMESTAMP: &str = "x-safeshare-timestamp";
/// Header carrying the nonce.
pub const HEADER_NONCE: &str = "x-safeshare-nonce";
/// Header carrying the signature, base64url without padding.
pub const HEADER_SIGNATURE: &str = "x-safeshare-signature";
/// A request whose timestamp is further than this from the server's clock is stale.
pub const MAX_CLOCK_SKEW_SECS: i64 = 5 * 60;
/// First line of every signing payload: names the scheme so it can change later.
pub const SIGNING_TAG: &str = "SAFESHARE-REQUEST-V1";

/// Why signing or verifying failed.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum SigningError {
    /// The random generator failed (key or nonce generation).
    #[error("the system random generator failed")]
    Random,
    /// The stored key pair bytes are not a valid Ed25519 PKCS#8 document.
    #[error("the device key pair is unreadable")]
    BadKeyPair,
    /// A public key is not 32 bytes of base64url.
    #[error("the public key is not a 32-byte Ed25519 key")]
    BadPublicKey,
    /// A signature header is missing.
    #[error("signature header {0} is missing")]
    MissingHeader(&'static str),
    /// A signature header is present but unreadable.
    #[error("signature header {0} is malformed")]
    MalformedHeader(&'static str),
    /// The signature does not verify.
    #[error("the signature does not verify")]
    BadSignature,
    /// The timestamp is outside the allowed window.
    #[error("the request timestamp is {skew_secs} s from the server clock (limit {MAX_CLOCK_SKEW_SECS} s)")]
    StaleTimestamp {
        /// Request timestamp minus server time, seconds.
        skew_secs: i64,
    },
}

/// A device's Ed25519 public key: 32 bytes, base64url without padding on the wire.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DevicePublicKey(pub [u8; 32]);

impl DevicePublicKey {
    /// base64url without padding.
    pub fn to_base64(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }

    /// Reads base64url (no padding) of exactly 32 bytes.
    pub fn from_base64(text: &str) -> Result<Self, SigningError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(text.as_bytes())
            .map_err(|_| SigningError::BadPublicKey)?;
        let array: [u8; 32] = bytes.try_into().map_err(|_| SigningError::BadPublicKey)?;
        Ok(Self(array))
    }
}

impl fmt::Debug for DevicePublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DevicePublicKey({})", self.to_base64())
    }
}

impl Serialize for DevicePublicKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for DevicePublicKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::from_base64(&text).map_err(serde::de::Error::custom)
    }
}

/// A device's signing key pair.
pub struct DeviceKeyPair {
    pair: Ed25519KeyPair,
    pkcs8: Zeroizing<Vec<u8>>,
}

impl fmt::Debug for DeviceKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceKeyPair({:?})", self.public_key())
    }
}

impl DeviceKeyPair {
    /// A fresh key pair from the system random generator.
    pub fn generate() -> Result<Self, SigningError> {
        let rng = SystemRandom::new();
        let doc = Ed25519KeyPair::generate_pkcs8(&rng).map_err(|_| SigningError::Random)?;
        Self::from_pkcs8(doc.as_ref())
    }

    /// Restores a key pair from the PKCS#8 bytes kept in the device's secret store.
    pub fn from_pkcs8(bytes: &[u8]) -> Result<Self, SigningError> {
        let pair = Ed25519KeyPair::from_pkcs8(bytes).map_err(|_| SigningError::BadKeyPair)?;
        Ok(Self {
            pair,
            pkcs8: Zeroizing::new(bytes.to_vec()),
        })
    }

    /// The PKCS#8 bytes to keep in the secret store. Never log or store them in clear.
    pub fn pkcs8_bytes(&self) -> &[u8] {
        &self.pkcs8
    }

    /// The public half, sent at enrolment.
    pub fn public_key(&self) -> DevicePublicKey {
        let mut out = [0u8; 32];
        out.copy_from_slice(self.pair.public_key().as_ref());
        DevicePublicKey(out)
    }

    /// Signs `message` with this device's Ed25519 key: the author signature of an envelope
    /// ([`crate::sync::authorship`], which builds the domain-separated message). Requests are
    /// signed through [`DeviceKeyPair::sign_request`].
    pub fn sign_message(&self, message: &[u8]) -> [u8; 64] {
        let mut out = [0u8; 64];
        out.copy_from_slice(self.pair.sign(message).as_ref());
        out
    }

    /// Signs a request with a fresh random nonce at `timestamp`.
    pub fn sign_request(
        &self,
        device: DeviceId,
        method: &str,
        path_and_query: &str,
        body: &[u8],
        timestamp: DateTime<Utc>,
    ) -> Result<RequestSignature, SigningError> {
        let nonce = random_nonce()?;
        Ok(self.sign_request_with_nonce(device, method, path_and_query, body, timestamp, nonce))
    }

    /// Signs a request with a caller-chosen nonce (tests and replays of a stored request).
    pub fn sign_request_with_nonce(
        &self,
        device: DeviceId,
        method: &str,
        path_and_query: &str,
        body: &[u8],
        timestamp: DateTime<Utc>,
        nonce: String,
    ) -> RequestSignature {
        let timestamp = timestamp.timestamp();
        let payload = signing_payload(device, method, path_and_query, timestamp, &nonce, body);
        let signature = self.pair.sign(&payload).as_ref().to_vec();
        RequestSignature {
            device,
            timestamp,
            nonce,
            signature,
        }
    }
}

/// 16 random bytes as 32 hex characters.
pub fn random_nonce() -> Result<String, SigningError> {
    let mut bytes = [0u8; 16];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| SigningError::Random)?;
    Ok(hex::encode(bytes))
}

/// The exact bytes signed: tag, device, upper-case method, path with query, timestamp,
/// nonce and lower-case hex SHA-256 of the body, joined by `\n`.
pub fn signing_payload(
    device: DeviceId,
    method: &str,
    path_and_query: &str,
    timestamp: i64,
    nonce: &str,
    body: &[u8],
) -> Vec<u8> {
    let body_hash = hex::encode(digest(&SHA256, body).as_ref());
    format!(
        "{SIGNING_TAG}\n{device}\n{}\n{path_and_query}\n{timestamp}\n{nonce}\n{body_hash}",
        method.to_ascii_uppercase()
    )
    .into_bytes()
}

/// The signature headers of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSignature {
    /// The signing device.
    pub device: DeviceId,
    /// Unix seconds.
    pub timestamp: i64,
    /// Single-use nonce (8 to 64 characters of `[0-9A-Za-z_-]`).
    pub nonce: String,
    /// Ed25519 signature (64 bytes).
    pub signature: Vec<u8>,
}

impl RequestSignature {
    /// The four headers (name, value) to attach to the request.
    pub fn headers(&self) -> [(&'static str, String); 4] {
        [
            (HEADER_DEVICE, self.device.to_string()),
            (HEADER_TIMESTAMP, self.timestamp.to_string()),
            (HEADER_NONCE, self.nonce.clone()),
            (HEADER_SIGNATURE, URL_SAFE_NO_PAD.encode(&self.signature)),
        ]
    }

    /// Reads the four headers through `get` (header name -> value).
    pub fn from_headers<'a>(
        get: impl Fn(&'static str) -> Option<&'a str>,
    ) -> Result<Self, SigningError> {
        let header = |name: &'static str| get(name).ok_or(SigningError::MissingHeader(name));
        let device = header(HEADER_DEVICE)?
            .parse::<DeviceId>()
            .map_err(|_| SigningError::MalformedHeader(HEADER_DEVICE))?;
        let timestamp = header(HEADER_TIMESTAMP)?
            .parse::<i64>()
            .map_err(|_| SigningError::MalformedHeader(HEADER_TIMESTAMP))?;
        let nonce = header(HEADER_NONCE)?;
        let nonce_ok = (8..=64).contains(&nonce.len())
            && nonce
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !nonce_ok {
            return Err(SigningError::MalformedHeader(HEADER_NONCE));
        }
        let signature = URL_SAFE_NO_PAD
            .decode(header(HEADER_SIGNATURE)?.as_bytes())
            .map_err(|_| SigningError::MalformedHeader(HEADER_SIGNATURE))?;
        Ok(Self {
            device,
            timestamp,
            nonce: nonce.to_owned(),
            signature,
        })
    }

    /// Verifies the signature over this request with the device's public key.
    pub fn verify(
        &self,
        key: &DevicePublicKey,
        method: &str,
        path_and_query: &str,
        body: &[u8],
    ) -> Result<(), SigningError> {
        let payload = signing_payload(
            self.device,
            method,
            path_and_query,
            self.timestamp,
            &self.nonce,
            body,
        );
        UnparsedPublicKey::new(&ED25519, key.0)
            .verify(&payload, &self.signature)
            .map_err(|_| SigningError::BadSignature)
    }

    /// Checks the timestamp is within [`MAX_CLOCK_SKEW_SECS`] of `now`.
    ///
    /// The timestamp is untrusted input: the difference is taken with checked arithmetic and
    /// compared unsigned, so no value (`i64::MIN` included) can wrap into the window.
    pub fn check_fresh(&self, now: DateTime<Utc>) -> Result<(), SigningError> {
        let stale = |skew_secs| Err(SigningError::StaleTimestamp { skew_secs });
        match self.timestamp.checked_sub(now.timestamp()) {
            Some(skew_secs) if skew_secs.unsigned_abs() <= MAX_CLOCK_SKEW_SECS.unsigned_abs() => {
                Ok(())
            }
            Some(skew_secs) => stale(skew_secs),
            None if self.timestamp < 0 => stale(i64::MIN),
            None => stale(i64::MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use std::collections::HashMap;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap()
    }

    fn signed(key: &DeviceKeyPair, device: DeviceId) -> RequestSignature {
        key.sign_request(device, "post", "/v1/push", b"{\"envelopes\":[]}", now())
            .unwrap()
    }

    #[test]
    fn a_signed_request_verifies_after_travelling_through_headers() {
        let key = DeviceKeyPair::generate().unwrap();
        let device = DeviceId::new();
        let sig = signed(&key, device);
        let headers: HashMap<&str, String> = sig.headers().into_iter().collect();
        let read = RequestSignature::from_headers(|n| headers.get(n).map(String::as_str)).unwrap();
        assert_eq!(read, sig);
        read.verify(&key.public_key(), "POST", "/v1/push", b"{\"envelopes\":[]}")
            .unwrap();
        read.check_fresh(now()).unwrap();
    }

    #[test]
    fn changing_body_path_method_or_device_breaks_the_signature() {
        let key = DeviceKeyPair::generate().unwrap();
        let device = DeviceId::new();
        let sig = signed(&key, device);
        let pk = key.public_key();
        let body = b"{\"envelopes\":[]}";
        assert_eq!(
            sig.verify(&pk, "POST", "/v1/push", b"{\"envelopes\":[1]}"),
            Err(SigningError::BadSignature)
        );
        assert_eq!(
            sig.verify(&pk, "POST", "/v1/pull", body),
            Err(SigningError::BadSignature)
        );
        assert_eq!(
            sig.verify(&pk, "GET", "/v1/push", body),
            Err(SigningError::BadSignature)
        );
        let mut other_device = sig.clone();
        other_device.device = DeviceId::new();
        assert_eq!(
            other_device.verify(&pk, "POST", "/v1/push", body),
            Err(SigningError::BadSignature)
        );
        let other_key = DeviceKeyPair::generate().unwrap().public_key();
        assert_eq!(
            sig.verify(&other_key, "POST", "/v1/push", body),
            Err(SigningError::BadSignature)
        );
    }

    #[test]
    fn extreme_timestamps_are_stale_and_never_overflow() {
        let key = DeviceKeyPair::generate().unwrap();
        for ts in [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX, i64::MAX - 1] {
            let mut sig = signed(&key, DeviceId::new());
            sig.timestamp = ts;
            assert!(
                matches!(
                    sig.check_fresh(now()),
                    Err(SigningError::StaleTimestamp { .. })
                ),
                "{ts}"
            );
        }
    }

    #[test]
    fn timestamps_exactly_five_minutes_off_pass_and_one_second_more_is_stale() {
        let key = DeviceKeyPair::generate().unwrap();
        let sig = signed(&key, DeviceId::new());
        sig.check_fresh(now() + Duration::seconds(300)).unwrap();
        sig.check_fresh(now() - Duration::seconds(300)).unwrap();
        assert_eq!(
            sig.check_fresh(now() + Duration::seconds(301)),
            Err(SigningError::StaleTimestamp { skew_secs: -301 })
        );
        assert_eq!(
            sig.check_fresh(now() - Duration::seconds(301)),
            Err(SigningError::StaleTimestamp { skew_secs: 301 })
        );
    }

    #[test]
    fn key_pair_survives_a_round_trip_through_pkcs8() {
        let key = DeviceKeyPair::generate().unwrap();
        let again = DeviceKeyPair::from_pkcs8(key.pkcs8_bytes()).unwrap();
        assert_eq!(again.public_key(), key.public_key());
        assert_eq!(
            DeviceKeyPair::from_pkcs8(b"not a key").unwrap_err(),
            SigningError::BadKeyPair
        );
    }

    #[test]
    fn malformed_headers_are_named() {
        let key = DeviceKeyPair::generate().unwrap();
        let sig = signed(&key, DeviceId::new());
        let mut headers: HashMap<&str, String> = sig.headers().into_iter().collect();
        headers.insert(HEADER_NONCE, "bad nonce!".into());
        assert_eq!(
            RequestSignature::from_headers(|n| headers.get(n).map(String::as_str)),
            Err(SigningError::MalformedHeader(HEADER_NONCE))
        );
        headers.insert(HEADER_NONCE, sig.nonce.clone());
        headers.remove(HEADER_SIGNATURE);
        assert_eq!(
            RequestSignature::from_headers(|n| headers.get(n).map(String::as_str)),
            Err(SigningError::MissingHeader(HEADER_SIGNATURE))
        );
    }

    #[test]
    fn public_key_must_be_32_bytes() {
        assert_eq!(
            DevicePublicKey::from_base64("AAAA"),
            Err(SigningError::BadPublicKey)
        );
        let pk = DeviceKeyPair::generate().unwrap().public_key();
        assert_eq!(DevicePublicKey::from_base64(&pk.to_base64()), Ok(pk));
    }
}

//! Request signing at its edges (core/src/sync/signing.rs): the exact bytes signed, the nonce
//! alphabet and length bounds, the public key's wire form, and what the key pair's Debug shows.
//! Each test pins a value a mutation of the signing code would change (tests/mutants, group
//! `signing`); the module's own tests cover the round trip and the clock window.

// Test helpers outside #[test] fns may unwrap: a failure is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use safeshare_core::model::DeviceId;
use safeshare_core::sync::{
    random_nonce, signing_payload, DeviceKeyPair, DevicePublicKey, RequestSignature, SigningError,
    HEADER_DEVICE, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP, SIGNING_TAG,
};
use std::collections::HashMap;

fn headers_with_nonce(nonce: &str) -> HashMap<&'static str, String> {
    let key = DeviceKeyPair::generate().unwrap();
    let at = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
    let sig = key.sign_request_with_nonce(
        DeviceId::new(),
        "POST",
        "/v1/push",
        b"{}",
        at,
        nonce.to_owned(),
    );
    sig.headers().into_iter().collect()
}

fn read(headers: &HashMap<&'static str, String>) -> Result<RequestSignature, SigningError> {
    RequestSignature::from_headers(|name| headers.get(name).map(String::as_str))
}

#[test]
fn nonces_of_the_base64url_alphabet_with_dash_and_underscore_are_read() {
    for nonce in [
        "abc-defg",
        "abc_defg",
        "A-B_c-d_0-9",
        "--------",
        "________",
    ] {
        let headers = headers_with_nonce(nonce);
        let sig = read(&headers).unwrap_or_else(|e| panic!("{nonce:?} refused: {e}"));
        assert_eq!(sig.nonce, nonce);
    }
}

#[test]
fn nonces_with_other_characters_are_malformed() {
    for nonce in [
        "abcdefg.",
        "abcd efg",
        "abcd+efg",
        "abcd/efg",
        "abcdéfgh",
        "abcd=efg",
    ] {
        let headers = headers_with_nonce(nonce);
        assert_eq!(
            read(&headers),
            Err(SigningError::MalformedHeader(HEADER_NONCE)),
            "{nonce:?}"
        );
    }
}

#[test]
fn nonces_of_8_to_64_characters_are_read_and_7_or_65_are_malformed() {
    for len in [8, 9, 63, 64] {
        let nonce = "n".repeat(len);
        assert_eq!(read(&headers_with_nonce(&nonce)).unwrap().nonce, nonce);
    }
    for len in [0, 7, 65] {
        assert_eq!(
            read(&headers_with_nonce(&"n".repeat(len))),
            Err(SigningError::MalformedHeader(HEADER_NONCE)),
            "length {len}"
        );
    }
}

#[test]
fn each_missing_header_is_named() {
    for name in [
        HEADER_DEVICE,
        HEADER_TIMESTAMP,
        HEADER_NONCE,
        HEADER_SIGNATURE,
    ] {
        let mut headers = headers_with_nonce("0123456789abcdef");
        headers.remove(name);
        assert_eq!(read(&headers), Err(SigningError::MissingHeader(name)));
    }
}

#[test]
fn a_random_nonce_is_32_lower_case_hex_characters_and_never_repeats() {
    let a = random_nonce().unwrap();
    let b = random_nonce().unwrap();
    assert_eq!(a.len(), 32);
    assert!(a
        .bytes()
        .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
    assert_ne!(a, b);
}

#[test]
fn the_signed_payload_is_tag_device_upper_method_path_time_nonce_and_body_hash() {
    let device: DeviceId = "01JDQ8Y3Z5K6M7N8P9QARSTVWX".parse().unwrap();
    let payload = signing_payload(
        device,
        "post",
        "/v1/pull?after=3",
        1_764_000_000,
        "nonce-01",
        b"abc",
    );
    // SHA-256("abc"), FIPS 180-2 appendix B.1.
    let expected = format!(
        "{SIGNING_TAG}\n01JDQ8Y3Z5K6M7N8P9QARSTVWX\nPOST\n/v1/pull?after=3\n1764000000\nnonce-01\n\
         ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(String::from_utf8(payload).unwrap(), expected);
    assert_eq!(SIGNING_TAG, "SAFESHARE-REQUEST-V1");
}

#[test]
fn a_signature_made_with_a_fresh_nonce_verifies_with_the_public_key_and_carries_its_timestamp() {
    let key = DeviceKeyPair::generate().unwrap();
    let device = DeviceId::new();
    let at = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
    let sig = key
        .sign_request(device, "GET", "/v1/pull", b"", at)
        .unwrap();
    assert_eq!(sig.timestamp, at.timestamp());
    assert_eq!(sig.nonce.len(), 32);
    assert_eq!(sig.signature.len(), 64);
    sig.verify(&key.public_key(), "GET", "/v1/pull", b"")
        .unwrap();
    let other = DeviceKeyPair::generate().unwrap();
    assert_eq!(
        sig.verify(&other.public_key(), "GET", "/v1/pull", b""),
        Err(SigningError::BadSignature)
    );
}

#[test]
fn a_key_pair_restored_from_its_pkcs8_bytes_signs_for_the_same_public_key() {
    let key = DeviceKeyPair::generate().unwrap();
    let restored = DeviceKeyPair::from_pkcs8(key.pkcs8_bytes()).unwrap();
    assert_eq!(restored.public_key(), key.public_key());
    assert_ne!(key.public_key().0, [0u8; 32]);
    assert_eq!(
        DeviceKeyPair::from_pkcs8(b"not a key").map(|_| ()),
        Err(SigningError::BadKeyPair)
    );
}

#[test]
fn the_public_key_travels_as_43_characters_of_unpadded_base64url() {
    let key = DevicePublicKey([0xfb; 32]);
    let text = key.to_base64();
    assert_eq!(text, format!("{}-_s", "-_v7".repeat(10)));
    assert_eq!(DevicePublicKey::from_base64(&text).unwrap(), key);
    assert_eq!(serde_json::to_string(&key).unwrap(), format!("\"{text}\""));
    assert_eq!(
        serde_json::from_str::<DevicePublicKey>(&format!("\"{text}\"")).unwrap(),
        key
    );
    assert!(serde_json::from_str::<DevicePublicKey>("\"AAAA\"").is_err());
}

#[test]
fn debug_shows_only_the_public_key() {
    let key = DeviceKeyPair::generate().unwrap();
    let public = key.public_key().to_base64();
    assert_eq!(
        format!("{:?}", key.public_key()),
        format!("DevicePublicKey({public})")
    );
    assert_eq!(
        format!("{key:?}"),
        format!("DeviceKeyPair(DevicePublicKey({public}))")
    );
}

fn with_timestamp(timestamp: i64) -> RequestSignature {
    RequestSignature {
        device: DeviceId::new(),
        timestamp,
        nonce: "0123456789abcdef".into(),
        signature: vec![0; 64],
    }
}

#[test]
fn a_timestamp_too_far_back_to_subtract_reports_the_most_negative_skew() {
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
    assert_eq!(
        with_timestamp(i64::MIN).check_fresh(now),
        Err(SigningError::StaleTimestamp {
            skew_secs: i64::MIN
        })
    );
}

#[test]
fn a_timestamp_too_far_ahead_to_subtract_reports_the_most_positive_skew() {
    // Only a server clock before 1970 makes `i64::MAX - now` overflow.
    let now = Utc.with_ymd_and_hms(1969, 12, 31, 23, 0, 0).unwrap();
    assert_eq!(
        with_timestamp(i64::MAX).check_fresh(now),
        Err(SigningError::StaleTimestamp {
            skew_secs: i64::MAX
        })
    );
}

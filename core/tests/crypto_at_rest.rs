//! Field-store sealing at its edges (core/src/crypto/mod.rs): the shortest sealed value, the
//! format byte, and the exact layout `[format][nonce 12][ciphertext][tag 16]`. Each test pins a
//! value a mutation of the sealing code would change (tests/mutants, group `crypto`); the
//! module's own tests cover binding, tampering and keys.

// Test helpers outside #[test] fns may unwrap: a failure is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use safeshare_core::crypto::{Binding, CryptoError, DataKey, Keys, SEALED_FORMAT_V1};

fn keys() -> Keys {
    Keys::derive(&DataKey::from_bytes(&[7u8; 32]).unwrap()).unwrap()
}

fn at(id: &str) -> Binding<'_> {
    Binding {
        table: "persons",
        id,
        version: 3,
        extra: b"",
    }
}

#[test]
fn an_empty_value_seals_to_29_bytes_and_opens_to_empty() {
    let keys = keys();
    let sealed = keys.seal(&at("p1"), b"").unwrap();
    assert_eq!(sealed.len(), 1 + 12 + 16);
    assert_eq!(sealed[0], SEALED_FORMAT_V1);
    assert_eq!(keys.open(&at("p1"), &sealed).unwrap().as_slice(), b"");
}

#[test]
fn a_sealed_value_is_format_nonce_ciphertext_and_tag() {
    let keys = keys();
    let plain = b"Disclosed at the 28-week visit";
    let sealed = keys.seal(&at("p1"), plain).unwrap();
    assert_eq!(sealed.len(), 1 + 12 + plain.len() + 16);
    assert_eq!(sealed[0], 1);
    assert_ne!(&sealed[13..13 + plain.len()], plain.as_slice());
    assert_eq!(keys.open(&at("p1"), &sealed).unwrap().as_slice(), plain);
}

#[test]
fn an_unknown_format_byte_is_named_before_any_decryption() {
    let keys = keys();
    let mut sealed = keys.seal(&at("p1"), b"x").unwrap();
    sealed[0] = 2;
    assert_eq!(
        keys.open(&at("p1"), &sealed).map(|_| ()),
        Err(CryptoError::UnknownFormat(2))
    );
}

#[test]
fn the_same_key_bytes_give_the_same_blind_index_and_it_is_not_all_one_byte() {
    let a = keys().blind_index("9434765919");
    assert_eq!(a, keys().blind_index("9434765919"));
    assert!(a.iter().any(|b| *b != a[0]));
}

#[test]
fn a_data_key_shows_its_bytes_only_through_as_bytes() {
    let key = DataKey::from_bytes(&[9u8; 32]).unwrap();
    assert_eq!(key.as_bytes(), &[9u8; 32]);
    assert_eq!(DataKey::generate().unwrap().as_bytes().len(), 32);
    assert_ne!(
        DataKey::generate().unwrap().as_bytes(),
        DataKey::generate().unwrap().as_bytes()
    );
}

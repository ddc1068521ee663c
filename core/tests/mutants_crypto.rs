//! End-to-end sealing (`crypto::envelope_seal`) pinned to its documented format and edges.
//!
//! The sealed container is what every recipient device and the server read, across app
//! versions, so its layout, the HPKE `info` and `aad` and the body's associated data are part
//! of the protocol (docs/security.md, "Sealed container"), not an implementation detail. These
//! tests open a container by the documented format alone (ring and hpke called directly, not
//! through `open`), pin key ids and their printed and wire forms, check that every seal draws a
//! fresh content key, nonce and ephemeral key per recipient, and check the container's bounds
//! (1..=1024 recipients, the shortest well-formed container) at their exact edges, naming each
//! error. (Written to catch the mutants tests/mutants found surviving in `core/src/crypto/`;
//! see README, "Testing".) The last tests pin what no mutant reaches: the typed refusals of a
//! key of the wrong length or text, fixed key-id vectors, a key with no shared secret, and a
//! container changed in any byte or relabelled to another device.

// Test helpers outside #[test] functions build fixed, valid keys and containers.
#![allow(clippy::unwrap_used)]

use base64::Engine as _;
use hpke::aead::AesGcm256;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Kem, OpModeR};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
use ring::digest::{digest, SHA256};
use safeshare_core::crypto::envelope_seal::{
    inspect, open, seal, ContainerInfo, EncryptionKeyPair, EncryptionPublicKey, KeyId, Recipient,
    SealError, MAX_RECIPIENTS,
};
use serde_json::json;

/// The documented layout: magic, format, count; per recipient key id, enc, wrapped; nonce.
const PREFIX: usize = 4 + 1 + 2;
const RECIPIENT: usize = 16 + 32 + 48;
const NONCE: usize = 12;
const TAG: usize = 16;

const HEADER: &[u8] = b"SAFESHARE-ENVELOPE-V2\n{\"id\":\"01J\",\"kind\":\"share\"}";
const BODY: &[u8] = b"Amelia Thornbury missed her 28-week appointment";

/// A key pair from fixed secret bytes (an X25519 private key is any 32 bytes).
fn fixed_key(seed: u8) -> EncryptionKeyPair {
    EncryptionKeyPair::from_secret_bytes(&[seed; 32]).unwrap()
}

/// The parts of recipient `i` of a container: key id, enc, wrapped.
fn recipient(sealed: &[u8], i: usize) -> (&[u8], &[u8], &[u8]) {
    let r = &sealed[PREFIX + i * RECIPIENT..PREFIX + (i + 1) * RECIPIENT];
    (&r[..16], &r[16..48], &r[48..])
}

fn nonce_of(sealed: &[u8], count: usize) -> &[u8] {
    &sealed[PREFIX + count * RECIPIENT..PREFIX + count * RECIPIENT + NONCE]
}

#[test]
fn a_container_opens_by_the_documented_format_alone() {
    let key = fixed_key(7);
    let other = fixed_key(9);
    let sealed = seal(
        HEADER,
        BODY,
        &[other.public_key().into(), key.public_key().into()],
    )
    .unwrap();
    assert_eq!(&sealed[..4], b"SSE1");
    assert_eq!(sealed[4], 1);
    assert_eq!(&sealed[5..7], &[0, 2]);
    assert_eq!(
        sealed.len(),
        PREFIX + 2 * RECIPIENT + NONCE + BODY.len() + TAG
    );
    let (id, enc, wrapped) = recipient(&sealed, 1);
    assert_eq!(id, key.key_id().0.as_slice());
    assert_eq!(recipient(&sealed, 0).0, other.key_id().0.as_slice());

    // The wrap: HPKE base mode, info "safeshare/envelope/v2/wrap", aad SHA-256(header).
    let private =
        <X25519HkdfSha256 as Kem>::PrivateKey::from_bytes(key.secret_bytes().as_slice()).unwrap();
    let encapped = <X25519HkdfSha256 as Kem>::EncappedKey::from_bytes(enc).unwrap();
    let unwrap = |aad: &[u8]| {
        hpke::single_shot_open::<AesGcm256, HkdfSha256, X25519HkdfSha256>(
            &OpModeR::Base,
            &private,
            &encapped,
            b"safeshare/envelope/v2/wrap",
            wrapped,
            aad,
        )
    };
    let content_key = unwrap(digest(&SHA256, HEADER).as_ref()).unwrap();
    assert_eq!(content_key.len(), 32);
    assert!(unwrap(HEADER).is_err(), "the aad is the header's digest");
    assert!(unwrap(digest(&SHA256, b"another header").as_ref()).is_err());

    // The body: AES-256-GCM under the content key, the documented nonce, the header as aad.
    let nonce: [u8; NONCE] = nonce_of(&sealed, 2).try_into().unwrap();
    let mut body = sealed[PREFIX + 2 * RECIPIENT + NONCE..].to_vec();
    let aead = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &content_key).unwrap());
    let plain = aead
        .open_in_place(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(HEADER),
            &mut body,
        )
        .unwrap();
    assert_eq!(plain, BODY);
}

#[test]
fn a_key_id_is_the_documented_digest_of_the_public_key_and_prints_as_hex() {
    let key = fixed_key(7);
    let public = key.public_key();
    let mut domain_and_key = b"safeshare/x25519-key-id/v1".to_vec();
    domain_and_key.extend_from_slice(&public.0);
    let digested = digest(&SHA256, &domain_and_key);
    let want = &digested.as_ref()[..16];
    let id = public.key_id();
    assert_eq!(id.0.as_slice(), want);
    assert_eq!(key.key_id(), id);
    let hex = hex::encode(want);
    assert_eq!(id.to_string(), hex);
    assert_eq!(format!("{id:?}"), format!("KeyId({hex})"));
    assert_eq!(serde_json::to_value(id).unwrap(), json!(hex));
    assert_eq!(serde_json::from_value::<KeyId>(json!(hex)).unwrap(), id);
    assert!(serde_json::from_value::<KeyId>(json!("not hex")).is_err());
    assert!(serde_json::from_value::<KeyId>(json!(hex[..30])).is_err());
    // A key pair prints its public id and never its secret.
    let printed = format!("{key:?}");
    assert_eq!(printed, format!("EncryptionKeyPair({hex})"));
    assert!(!printed.contains(&hex::encode(key.secret_bytes().as_slice())));
    assert_eq!(Recipient::from(public), Recipient { key_id: id, public });
}

#[test]
fn a_public_key_is_base64url_on_the_wire_and_its_secret_round_trips() {
    let key = fixed_key(7);
    let public = key.public_key();
    let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(public.0);
    assert_eq!(serde_json::to_value(public).unwrap(), json!(text));
    assert_eq!(
        serde_json::from_value::<EncryptionPublicKey>(json!(text)).unwrap(),
        public
    );
    assert!(serde_json::from_value::<EncryptionPublicKey>(json!(text[..40])).is_err());
    assert_eq!(key.secret_bytes().as_slice(), &[7u8; 32]);
    assert_eq!(
        EncryptionKeyPair::from_secret_bytes(&key.secret_bytes())
            .unwrap()
            .public_key(),
        public
    );
    assert_ne!(fixed_key(9).public_key(), public);
}

#[test]
fn every_seal_draws_a_fresh_content_key_nonce_and_ephemeral_key_per_recipient() {
    let a = fixed_key(7);
    let b = fixed_key(9);
    let to: Vec<Recipient> = vec![a.public_key().into(), b.public_key().into()];
    let first = seal(HEADER, BODY, &to).unwrap();
    let second = seal(HEADER, BODY, &to).unwrap();
    let encs: Vec<&[u8]> = [&first, &second]
        .iter()
        .flat_map(|s| [recipient(s, 0).1, recipient(s, 1).1])
        .collect();
    for i in 0..encs.len() {
        for j in i + 1..encs.len() {
            assert_ne!(encs[i], encs[j], "ephemeral keys {i} and {j}");
        }
    }
    assert_ne!(nonce_of(&first, 2), nonce_of(&second, 2));
    assert_ne!(recipient(&first, 0).2, recipient(&second, 0).2);
    assert_ne!(
        first[PREFIX + 2 * RECIPIENT + NONCE..],
        second[PREFIX + 2 * RECIPIENT + NONCE..]
    );
    for sealed in [&first, &second] {
        for k in [&a, &b] {
            assert_eq!(open(HEADER, sealed, &[k]).unwrap().as_slice(), BODY);
        }
    }
}

#[test]
fn recipients_are_named_once_each_in_the_order_given() {
    let a = fixed_key(7);
    let b = fixed_key(9);
    let c = fixed_key(11);
    let sealed = seal(
        HEADER,
        BODY,
        &[
            a.public_key().into(),
            a.public_key().into(),
            b.public_key().into(),
            a.public_key().into(),
        ],
    )
    .unwrap();
    assert_eq!(
        inspect(&sealed).unwrap(),
        ContainerInfo {
            recipients: vec![a.key_id(), b.key_id()],
            body_len: BODY.len() + TAG,
        }
    );
    // Opening picks whichever of the device's keys the container names.
    assert_eq!(open(HEADER, &sealed, &[&c, &b]).unwrap().as_slice(), BODY);
    assert_eq!(open(HEADER, &sealed, &[&c]), Err(SealError::NotARecipient));
}

#[test]
fn a_seal_names_at_most_1024_recipients() {
    let keys: Vec<EncryptionKeyPair> = (0..=MAX_RECIPIENTS)
        .map(|_| EncryptionKeyPair::generate().unwrap())
        .collect();
    let to: Vec<Recipient> = keys.iter().map(|k| k.public_key().into()).collect();
    assert_eq!(MAX_RECIPIENTS, 1024);
    assert_eq!(
        seal(HEADER, BODY, &to),
        Err(SealError::TooManyRecipients(1025))
    );
    let sealed = seal(HEADER, BODY, &to[..1024]).unwrap();
    assert_eq!(inspect(&sealed).unwrap().recipients.len(), 1024);
    assert_eq!(
        open(HEADER, &sealed, &[&keys[1023]]).unwrap().as_slice(),
        BODY
    );
    assert_eq!(
        open(HEADER, &sealed, &[&keys[1024]]),
        Err(SealError::NotARecipient)
    );
}

#[test]
fn an_empty_body_seals_to_the_shortest_container_and_opens_to_empty() {
    let key = fixed_key(7);
    let sealed = seal(HEADER, b"", &[key.public_key().into()]).unwrap();
    assert_eq!(sealed.len(), PREFIX + RECIPIENT + NONCE + TAG);
    assert_eq!(inspect(&sealed).unwrap().body_len, TAG);
    assert_eq!(open(HEADER, &sealed, &[&key]).unwrap().as_slice(), b"");
    assert_eq!(
        inspect(&sealed[..sealed.len() - 1]),
        Err(SealError::Malformed("truncated"))
    );
}

/// A container with `count` in its prefix, `written` recipients of filler (key id 0xAA..) and
/// `body` bytes after them (nonce, ciphertext and tag).
fn container(count: u16, written: usize, body: usize) -> Vec<u8> {
    let mut out = b"SSE1\x01".to_vec();
    out.extend_from_slice(&count.to_be_bytes());
    out.extend(std::iter::repeat_n(0xAA, written * RECIPIENT));
    out.extend(std::iter::repeat_n(0x55, body));
    out
}

#[test]
fn a_containers_structure_is_checked_at_its_exact_edges_and_each_fault_named() {
    let short = SealError::Malformed("shorter than its prefix");
    for bytes in [&b""[..], b"SSE", b"SSE1\x01\x00"] {
        assert_eq!(inspect(bytes), Err(short.clone()), "{bytes:?}");
    }
    assert_eq!(
        inspect(b"SSE2\x01\x00\x01"),
        Err(SealError::Malformed("wrong magic"))
    );
    assert_eq!(
        inspect(b"SSE1\x02\x00\x01"),
        Err(SealError::UnknownFormat(2))
    );
    assert_eq!(
        inspect(&container(0, 0, NONCE + TAG)),
        Err(SealError::Malformed("no recipients"))
    );
    assert_eq!(
        inspect(b"SSE1\x01\x00\x00"),
        Err(SealError::Malformed("no recipients"))
    );
    // One recipient: the shortest container is its prefix, the recipient, a nonce and a tag.
    let filler = KeyId([0xAA; 16]);
    assert_eq!(
        inspect(&container(1, 1, NONCE + TAG)),
        Ok(ContainerInfo {
            recipients: vec![filler],
            body_len: TAG
        })
    );
    assert_eq!(
        inspect(&container(1, 1, NONCE + TAG - 1)),
        Err(SealError::Malformed("truncated"))
    );
    assert_eq!(
        inspect(&container(2, 1, NONCE + TAG + RECIPIENT - 1)),
        Err(SealError::Malformed("truncated"))
    );
    assert_eq!(
        inspect(&container(1, 1, NONCE + TAG + 5)).map(|i| i.body_len),
        Ok(TAG + 5)
    );
    // 1024 recipients is the most a container may name; 1025 is refused however long it is.
    let most = inspect(&container(1024, 1024, NONCE + TAG)).unwrap();
    assert_eq!(most.recipients, vec![filler; 1024]);
    assert_eq!(most.body_len, TAG);
    for count in [1025, u16::MAX] {
        assert_eq!(
            inspect(&container(count, 1025, NONCE + TAG)),
            Err(SealError::Malformed("too many recipients")),
            "{count}"
        );
    }
    // A named key whose wrap was not made for it: parsed, then refused as unauthentic.
    let key = fixed_key(7);
    let mut forged = container(1, 1, NONCE + TAG);
    forged[PREFIX..PREFIX + 16].copy_from_slice(&key.key_id().0);
    assert!(inspect(&forged).is_ok());
    assert_eq!(open(HEADER, &forged, &[&key]), Err(SealError::Unauthentic));
    assert_eq!(
        open(HEADER, &container(1, 1, NONCE + TAG), &[&key]),
        Err(SealError::NotARecipient)
    );
}

#[test]
fn a_key_of_the_wrong_length_or_text_is_refused() {
    // The secret store hands back exactly 32 bytes; anything else is a damaged entry, refused
    // as a bad key rather than padded, cut or read as another key.
    for len in [0, 1, 31, 33, 64] {
        assert_eq!(
            EncryptionKeyPair::from_secret_bytes(&vec![7u8; len]).map(|k| k.key_id()),
            Err(SealError::BadKey),
            "{len} bytes"
        );
    }
    let public = fixed_key(7).public_key();
    let padded = base64::engine::general_purpose::URL_SAFE.encode(public.0);
    let long = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode([public.0.as_slice(), &[0]].concat());
    // Padding is not sent, and the standard alphabet's `+` and `/` are not base64url: 0xFB
    // bytes are `-_v7` repeated in base64url and `+/v7` in standard base64.
    let fb = EncryptionPublicKey([0xFB; 32]);
    let fb_url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(fb.0);
    assert!(fb_url.starts_with("-_v7"));
    assert_eq!(
        serde_json::from_value::<EncryptionPublicKey>(json!(fb_url)).unwrap(),
        fb
    );
    let standard = base64::engine::general_purpose::STANDARD_NO_PAD.encode(fb.0);
    assert!(standard.starts_with("+/v7"));
    for text in [
        padded.as_str(),
        long.as_str(),
        standard.as_str(),
        "",
        "AAAA",
    ] {
        assert!(
            serde_json::from_value::<EncryptionPublicKey>(json!(text)).is_err(),
            "{text}"
        );
    }
    assert!(serde_json::from_value::<EncryptionPublicKey>(json!(32)).is_err());

    // A key id is exactly 16 bytes of hex: 15 or 17 are refused, as is an odd digit.
    let hex = hex::encode(public.key_id().0);
    for text in [&hex[..30], &format!("{hex}00"), &hex[..31], ""] {
        assert!(
            serde_json::from_value::<KeyId>(json!(text)).is_err(),
            "{text}"
        );
    }
    // Upper-case hex names the same key; it prints back in lower case.
    let upper = serde_json::from_value::<KeyId>(json!(hex.to_uppercase())).unwrap();
    assert_eq!(upper, public.key_id());
    assert_eq!(upper.to_string(), hex);
}

#[test]
fn a_key_id_is_pinned_to_a_fixed_key() {
    // Fixed vectors, computed once from the documented derivation: a change to the domain, the
    // digest or the cut shows here even if the code and another test changed together.
    // (X25519 of the secret [7; 32] and SHA-256 from an independent implementation.)
    let key = fixed_key(7);
    assert_eq!(
        hex::encode(key.public_key().0),
        "13be4feaeaf204c7fd3358fc9c00721881d174278128227ec674f37f7fe97b6d"
    );
    assert_eq!(key.key_id().to_string(), "1ee6d5d8b3c1c285e2ff8b7fb5c81eb5");
    let public = EncryptionPublicKey([0x42; 32]);
    assert_eq!(
        public.key_id().to_string(),
        "2358b01938fb1a95106f0e714f2b20c1"
    );
}

#[test]
fn a_seal_to_a_key_with_no_shared_secret_is_refused_as_a_bad_key() {
    // The all-zero X25519 point gives an all-zero shared secret whatever the ephemeral key:
    // RFC 9180 says abort. The server refuses such a key at registration (server/src/roster.rs,
    // `check_usable`); seal refuses it too, the whole seal, rather than leave a recipient out.
    let good = fixed_key(7);
    let zero = EncryptionPublicKey([0; 32]);
    assert_eq!(
        seal(HEADER, BODY, &[good.public_key().into(), zero.into()]),
        Err(SealError::BadKey)
    );
}

#[test]
fn a_container_changed_anywhere_after_its_prefix_fails_to_open_as_unauthentic() {
    let key = fixed_key(7);
    let sealed = seal(HEADER, BODY, &[key.public_key().into()]).unwrap();
    assert_eq!(open(HEADER, &sealed, &[&key]).unwrap().as_slice(), BODY);
    // Every byte of enc, wrapped, nonce, ciphertext and tag (the key id is the next test's).
    for at in PREFIX + 16..sealed.len() {
        let mut changed = sealed.clone();
        changed[at] ^= 0x01;
        assert_eq!(
            open(HEADER, &changed, &[&key]),
            Err(SealError::Unauthentic),
            "byte {at}"
        );
    }
    // The same container under a header differing in one byte; or cut short by one byte or
    // grown by one, still long enough to parse, so the tag no longer matches.
    let mut header = HEADER.to_vec();
    *header.last_mut().unwrap() ^= 0x01;
    assert_eq!(open(&header, &sealed, &[&key]), Err(SealError::Unauthentic));
    assert_eq!(
        open(HEADER, &sealed[..sealed.len() - 1], &[&key]),
        Err(SealError::Unauthentic)
    );
    let mut grown = sealed.clone();
    grown.push(0);
    assert_eq!(open(HEADER, &grown, &[&key]), Err(SealError::Unauthentic));
    // The prefix: another format is refused before any key is tried.
    let mut format = sealed.clone();
    format[4] = 2;
    assert_eq!(
        open(HEADER, &format, &[&key]),
        Err(SealError::UnknownFormat(2))
    );
}

#[test]
fn a_wrap_relabelled_with_another_devices_key_id_opens_for_nobody() {
    // The server (or anyone who can write its store) cannot hand a wrap to another device by
    // rewriting its key id: that device's key does not open it.
    let a = fixed_key(7);
    let b = fixed_key(9);
    let mut sealed = seal(HEADER, BODY, &[a.public_key().into()]).unwrap();
    sealed[PREFIX..PREFIX + 16].copy_from_slice(&b.key_id().0);
    assert_eq!(open(HEADER, &sealed, &[&b]), Err(SealError::Unauthentic));
    assert_eq!(open(HEADER, &sealed, &[&a]), Err(SealError::NotARecipient));
    // With no keys at all nothing is named.
    assert_eq!(open(HEADER, &sealed, &[]), Err(SealError::NotARecipient));
}

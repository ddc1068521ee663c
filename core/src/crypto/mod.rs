//! Encryption at rest: the data key, sealing and opening of stored values, and blind indexes.
//!
//! Owns every use of cryptography in the field store; nothing else in core touches ring's AEAD
//! or HMAC. The store calls [`Keys::seal`] / [`Keys::open`] for every personal-data value and
//! [`Keys::blind_index`] for NHS-number look-ups.
//!
//! Invariants and why:
//! - One 256-bit [`DataKey`] per device, made by ring's `SystemRandom`, kept by the platform's
//!   secret store and never written to the database or a log. Losing it (device wipe) makes
//!   every sealed value unreadable, which is what revocation relies on.
//! - The data key is never used directly. HKDF-SHA256 derives one sub-key per purpose
//!   (`seal`, `blind-index`), so an HMAC output can never be confused with, or help attack,
//!   the AEAD key.
//! - Sealing is AES-256-GCM with a fresh random 96-bit nonce per value. Random nonces are safe
//!   well below 2^32 seals per key; a phone writes orders of magnitude fewer rows.
//! - Every sealed value is bound to where it lives ([`Binding`]: table, id, version and any
//!   clear columns the caller wants authenticated). Moving a blob to another row, replaying
//!   an old version in place of a new one, or editing a bound clear column makes opening fail
//!   with [`CryptoError::Unauthentic`].
//! - The sealed format is versioned, `[format][nonce 12][ciphertext][tag 16]`, and the
//!   format byte is itself authenticated, so the cipher can change later by adding a format.
//! - Key bytes and plaintext buffers held here are zeroized when dropped. (ring keeps its own
//!   expanded key schedule internally; that memory is outside our control.)

pub mod envelope_seal;

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::hkdf;
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use std::fmt;
use zeroize::{Zeroize, Zeroizing};

/// Length of the data key in bytes (256 bits).
pub const DATA_KEY_LEN: usize = 32;

/// The only sealed format so far: AES-256-GCM, random 96-bit nonce.
pub const SEALED_FORMAT_V1: u8 = 1;

const TAG_LEN: usize = 16;
const HEADER_LEN: usize = 1 + NONCE_LEN;
/// Domain-separation salt for HKDF; changing it would orphan every existing store.
const HKDF_SALT: &[u8] = b"safeshare/field-store/hkdf/v1";
const INFO_SEAL: &[u8] = b"seal";
const INFO_BLIND_INDEX: &[u8] = b"blind-index";

/// What went wrong sealing or opening a value.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum CryptoError {
    /// The sealed value is shorter than the smallest possible sealed value.
    #[error("sealed value is truncated")]
    Truncated,
    /// The sealed value's format byte is not one this build understands.
    #[error("sealed value has unknown format {0}")]
    UnknownFormat(u8),
    /// Authentication failed: the bytes were altered, moved to another row, or sealed under a
    /// different key. AES-GCM cannot tell these apart, and neither do we.
    #[error("sealed value failed authentication (tampered, moved, or a different key)")]
    Unauthentic,
    /// Key material of the wrong length was supplied.
    #[error("key material must be {expected} bytes, got {actual}")]
    BadKeyLength {
        /// Required length.
        expected: usize,
        /// Length supplied.
        actual: usize,
    },
    /// The operating system's random number generator failed.
    #[error("random number generator failed")]
    Random,
    /// ring refused an operation that cannot fail with valid inputs (key derivation, sealing).
    #[error("cryptographic operation failed")]
    Internal,
}

/// The device's 256-bit data key. Zeroized on drop; `Debug` never prints it.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; DATA_KEY_LEN]>);

impl DataKey {
    /// A fresh key from the operating system's secure random number generator.
    pub fn generate() -> Result<Self, CryptoError> {
        let mut bytes = Zeroizing::new([0u8; DATA_KEY_LEN]);
        SystemRandom::new()
            .fill(bytes.as_mut())
            .map_err(|_| CryptoError::Random)?;
        Ok(Self(bytes))
    }

    /// A key from stored bytes (as kept by the secret store).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CryptoError> {
        let array: [u8; DATA_KEY_LEN] =
            bytes.try_into().map_err(|_| CryptoError::BadKeyLength {
                expected: DATA_KEY_LEN,
                actual: bytes.len(),
            })?;
        Ok(Self(Zeroizing::new(array)))
    }

    /// The raw bytes, to hand to the secret store and nowhere else.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_ref()
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(..)")
    }
}

/// Where a sealed value lives. Every part is authenticated (not encrypted) with the value, so
/// the value opens only at the same place. Parts are length-prefixed so no two different
/// bindings encode to the same bytes.
#[derive(Debug, Clone, Copy)]
pub struct Binding<'a> {
    /// The table (or logical namespace) holding the value.
    pub table: &'a str,
    /// The entity id (or row name) the value belongs to.
    pub id: &'a str,
    /// The version of the entity; stops an old version being replayed as a newer one.
    pub version: u64,
    /// Further clear columns to authenticate with the value (canonical bytes chosen by the
    /// caller), so editing them in the database is detected too. Empty when none.
    pub extra: &'a [u8],
}

impl Binding<'_> {
    fn encode(&self, format: u8) -> Vec<u8> {
        let mut out =
            Vec::with_capacity(1 + 3 * 4 + self.table.len() + self.id.len() + 8 + self.extra.len());
        out.push(format);
        push_prefixed(&mut out, self.table.as_bytes());
        push_prefixed(&mut out, self.id.as_bytes());
        out.extend_from_slice(&self.version.to_be_bytes());
        push_prefixed(&mut out, self.extra);
        out
    }
}

fn push_prefixed(out: &mut Vec<u8>, part: &[u8]) {
    // Parts are table names, ids and small column sets: far below 4 GiB. Saturating keeps the
    // encoding total without a panic path; a part that large could not be stored anyway.
    let len = u32::try_from(part.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(part);
}

/// The per-purpose keys derived from a [`DataKey`]. Build once per open store: deriving and
/// expanding keys per value would dominate the cost of sealing.
pub struct Keys {
    seal: LessSafeKey,
    blind_index: hmac::Key,
    rng: SystemRandom,
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Keys(..)")
    }
}

impl Keys {
    /// Derives the sealing and blind-index keys from `data_key` with HKDF-SHA256.
    pub fn derive(data_key: &DataKey) -> Result<Self, CryptoError> {
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, HKDF_SALT).extract(data_key.as_bytes());
        let seal_okm = prk
            .expand(&[INFO_SEAL], &AES_256_GCM)
            .map_err(|_| CryptoError::Internal)?;
        let seal = LessSafeKey::new(UnboundKey::from(seal_okm));
        let index_okm = prk
            .expand(&[INFO_BLIND_INDEX], hmac::HMAC_SHA256)
            .map_err(|_| CryptoError::Internal)?;
        Ok(Self {
            seal,
            blind_index: hmac::Key::from(index_okm),
            rng: SystemRandom::new(),
        })
    }

    /// Seals `plaintext` bound to `binding`: `[format][nonce][ciphertext][tag]`.
    pub fn seal(&self, binding: &Binding<'_>, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let mut nonce_bytes = [0u8; NONCE_LEN];
        self.rng
            .fill(&mut nonce_bytes)
            .map_err(|_| CryptoError::Random)?;
        let mut out = Vec::with_capacity(HEADER_LEN + plaintext.len() + TAG_LEN);
        out.push(SEALED_FORMAT_V1);
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(plaintext);
        let aad = binding.encode(SEALED_FORMAT_V1);
        let tag = self
            .seal
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce_bytes),
                Aad::from(aad.as_slice()),
                &mut out[HEADER_LEN..],
            )
            .map_err(|_| CryptoError::Internal)?;
        out.extend_from_slice(tag.as_ref());
        Ok(out)
    }

    /// Opens a value sealed by [`Keys::seal`] with the same binding. The plaintext is zeroized
    /// when the returned buffer is dropped.
    pub fn open(
        &self,
        binding: &Binding<'_>,
        sealed: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        if sealed.len() < HEADER_LEN + TAG_LEN {
            return Err(CryptoError::Truncated);
        }
        let format = sealed[0];
        if format != SEALED_FORMAT_V1 {
            return Err(CryptoError::UnknownFormat(format));
        }
        let mut nonce_bytes = [0u8; NONCE_LEN];
        nonce_bytes.copy_from_slice(&sealed[1..HEADER_LEN]);
        let mut buffer = Zeroizing::new(sealed[HEADER_LEN..].to_vec());
        let aad = binding.encode(format);
        let plain_len = self
            .seal
            .open_in_place(
                Nonce::assume_unique_for_key(nonce_bytes),
                Aad::from(aad.as_slice()),
                buffer.as_mut_slice(),
            )
            .map_err(|_| CryptoError::Unauthentic)?
            .len();
        // Drop the tag bytes; truncate leaves them in spare capacity, so clear them first.
        buffer[plain_len..].zeroize();
        buffer.truncate(plain_len);
        Ok(buffer)
    }

    /// The blind index of an already-normalised look-up value (e.g. a 10-digit NHS number):
    /// HMAC-SHA256 under the blind-index sub-key. Equal inputs give equal outputs on this
    /// device; without the key the output reveals nothing about the input.
    pub fn blind_index(&self, normalised: &str) -> [u8; 32] {
        let tag = hmac::sign(&self.blind_index, normalised.as_bytes());
        let mut out = [0u8; 32];
        out.copy_from_slice(tag.as_ref());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn keys() -> Keys {
        Keys::derive(&DataKey::generate().unwrap()).unwrap()
    }

    fn at<'a>(table: &'a str, id: &'a str, version: u64) -> Binding<'a> {
        Binding {
            table,
            id,
            version,
            extra: &[],
        }
    }

    #[test]
    fn sealed_value_opens_at_the_same_place() {
        let keys = keys();
        let sealed = keys
            .seal(&at("records", "01J", 1), b"Jayden told me")
            .unwrap();
        assert_eq!(sealed[0], SEALED_FORMAT_V1);
        let opened = keys.open(&at("records", "01J", 1), &sealed).unwrap();
        assert_eq!(opened.as_slice(), b"Jayden told me");
    }

    #[test]
    fn same_plaintext_seals_differently_each_time() {
        let keys = keys();
        let a = keys.seal(&at("t", "i", 1), b"same").unwrap();
        let b = keys.seal(&at("t", "i", 1), b"same").unwrap();
        assert_ne!(a, b, "a fresh nonce per seal");
    }

    #[test]
    fn value_moved_to_another_row_table_or_version_does_not_open() {
        let keys = keys();
        let sealed = keys.seal(&at("records", "A", 2), b"body").unwrap();
        for wrong in [
            at("records", "B", 2),
            at("outbox", "A", 2),
            at("records", "A", 1),
            at("records", "A", 3),
        ] {
            assert_eq!(keys.open(&wrong, &sealed), Err(CryptoError::Unauthentic));
        }
        let with_extra = Binding {
            extra: b"status=open",
            ..at("records", "A", 2)
        };
        assert_eq!(
            keys.open(&with_extra, &sealed),
            Err(CryptoError::Unauthentic)
        );
    }

    #[test]
    fn length_prefixes_keep_bindings_apart() {
        let keys = keys();
        let sealed = keys.seal(&at("ab", "c", 1), b"x").unwrap();
        assert_eq!(
            keys.open(&at("a", "bc", 1), &sealed),
            Err(CryptoError::Unauthentic)
        );
    }

    #[test]
    fn any_flipped_byte_is_detected() {
        let keys = keys();
        let sealed = keys.seal(&at("t", "i", 1), b"a concern").unwrap();
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            let err = keys.open(&at("t", "i", 1), &bad).unwrap_err();
            if i == 0 {
                assert_eq!(err, CryptoError::UnknownFormat(SEALED_FORMAT_V1 ^ 1));
            } else {
                assert_eq!(err, CryptoError::Unauthentic, "byte {i}");
            }
        }
    }

    #[test]
    fn truncated_value_is_a_typed_error() {
        let keys = keys();
        let sealed = keys.seal(&at("t", "i", 1), b"").unwrap();
        assert_eq!(sealed.len(), HEADER_LEN + TAG_LEN);
        assert_eq!(
            keys.open(&at("t", "i", 1), &sealed[..sealed.len() - 1]),
            Err(CryptoError::Truncated)
        );
        assert_eq!(
            keys.open(&at("t", "i", 1), &sealed[..sealed.len() - 1 - 4])
                .map(|_| ()),
            Err(CryptoError::Truncated)
        );
    }

    #[test]
    fn another_key_cannot_open() {
        let sealed = keys().seal(&at("t", "i", 1), b"secret").unwrap();
        assert_eq!(
            keys().open(&at("t", "i", 1), &sealed),
            Err(CryptoError::Unauthentic)
        );
    }

    #[test]
    fn same_key_bytes_derive_interchangeable_keys() {
        let data_key = DataKey::generate().unwrap();
        let again = DataKey::from_bytes(data_key.as_bytes()).unwrap();
        let sealed = Keys::derive(&data_key)
            .unwrap()
            .seal(&at("t", "i", 1), b"x")
            .unwrap();
        let keys_again = Keys::derive(&again).unwrap();
        assert_eq!(
            keys_again
                .open(&at("t", "i", 1), &sealed)
                .unwrap()
                .as_slice(),
            b"x"
        );
        assert_eq!(
            Keys::derive(&data_key).unwrap().blind_index("9434765919"),
            keys_again.blind_index("9434765919")
        );
    }

    #[test]
    fn blind_index_differs_per_key_and_per_value_and_is_not_the_plain_hash() {
        let a = keys();
        let b = keys();
        assert_ne!(a.blind_index("9434765919"), b.blind_index("9434765919"));
        assert_ne!(a.blind_index("9434765919"), a.blind_index("9434765870"));
        let plain = ring::digest::digest(&ring::digest::SHA256, b"9434765919");
        assert_ne!(a.blind_index("9434765919").as_slice(), plain.as_ref());
    }

    #[test]
    fn key_of_wrong_length_is_refused() {
        assert_eq!(
            DataKey::from_bytes(&[0u8; 16]).map(|_| ()),
            Err(CryptoError::BadKeyLength {
                expected: 32,
                actual: 16
            })
        );
    }

    #[test]
    fn debug_output_never_shows_key_bytes() {
        let key = DataKey::from_bytes(&[0xAB; 32]).unwrap();
        assert_eq!(format!("{key:?}"), "DataKey(..)");
        assert_eq!(format!("{:?}", Keys::derive(&key).unwrap()), "Keys(..)");
    }

    proptest! {
        #[test]
        fn seal_then_open_round_trips_any_value_at_any_place(
            plaintext in proptest::collection::vec(any::<u8>(), 0..4096),
            table in "[a-z_]{1,16}",
            id in "\\PC{0,40}",
            version in any::<u64>(),
            extra in proptest::collection::vec(any::<u8>(), 0..64),
        ) {
            let keys = keys();
            let binding = Binding { table: &table, id: &id, version, extra: &extra };
            let sealed = keys.seal(&binding, &plaintext).unwrap();
            prop_assert_eq!(sealed.len(), HEADER_LEN + plaintext.len() + TAG_LEN);
            let opened = keys.open(&binding, &sealed).unwrap();
            prop_assert_eq!(opened.as_slice(), plaintext.as_slice());
        }
    }
}

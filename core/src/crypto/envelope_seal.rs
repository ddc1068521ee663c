//! End-to-end sealing of envelope bodies: device X25519 encryption keys, the versioned sealed
//! container, sealing to many recipient devices and opening on one.
//!
//! Owns every use of HPKE in the workspace; `docs/security.md` is the design. Invariants and why:
//! - A fresh 256-bit content key per envelope encrypts the body with AES-256-GCM (ring), with
//!   the caller's canonical header as associated data, so a body moved under another header
//!   fails to open ([`SealError::Unauthentic`]).
//! - The content key is wrapped to each recipient key with HPKE (RFC 9180) base mode,
//!   DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-256-GCM, with SHA-256 of the header as the
//!   HPKE `aad`, so a wrap cannot be lifted into another envelope either. ring has no static
//!   X25519 keys, hence the `hpke` crate for the wrap only.
//! - The container is versioned (`"SSE1"`, format byte) so the cipher can change by adding a
//!   format; [`inspect`] checks its structure without any key, which is all the server does.
//! - Randomness comes from ring's `SystemRandom` (fallible, typed error), drawn before hpke runs;
//!   if hpke ever asked for more than was drawn the seal fails ([`SealError::Internal`]) rather
//!   than use weak bytes.
//! - Private keys, content keys and plaintexts are zeroized when dropped; `Debug` never prints
//!   a private key.

use hpke::aead::AesGcm256;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::rand_core::{TryCryptoRng, TryRng};
use hpke::{Deserializable, Kem as KemTrait, OpModeR, OpModeS, Serializable};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::digest::{digest, Context, SHA256};
use ring::rand::{SecureRandom, SystemRandom};
use std::convert::Infallible;
use std::fmt;
use zeroize::{Zeroize, Zeroizing};

type Kem = X25519HkdfSha256;

/// First four bytes of every sealed container.
pub const CONTAINER_MAGIC: &[u8; 4] = b"SSE1";
/// The only container format so far: HPKE base X25519/HKDF-SHA256/AES-256-GCM wraps, AES-256-GCM body.
pub const CONTAINER_FORMAT_V1: u8 = 1;
/// Length of a recipient key id in bytes.
pub const KEY_ID_LEN: usize = 16;
/// Length of an X25519 public or private key in bytes.
pub const X25519_KEY_LEN: usize = 32;
/// Most recipients one container may name (a region's teams are far smaller; the bound keeps
/// a hostile container from costing unbounded work).
pub const MAX_RECIPIENTS: usize = 1024;

const CONTENT_KEY_LEN: usize = 32;
const TAG_LEN: usize = 16;
const WRAPPED_LEN: usize = CONTENT_KEY_LEN + TAG_LEN;
const RECIPIENT_LEN: usize = KEY_ID_LEN + X25519_KEY_LEN + WRAPPED_LEN;
const PREFIX_LEN: usize = 4 + 1 + 2;
const WRAP_INFO: &[u8] = b"safeshare/envelope/v2/wrap";
const KEY_ID_DOMAIN: &[u8] = b"safeshare/x25519-key-id/v1";

/// What went wrong sealing or opening a container, or reading a key.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum SealError {
    /// The bytes are not a well-formed container (the text says which part).
    #[error("not a well-formed sealed container: {0}")]
    Malformed(&'static str),
    /// The container's format byte is not one this build understands.
    #[error("sealed container has unknown format {0}")]
    UnknownFormat(u8),
    /// None of the container's recipients is one of this device's keys: it was sealed before
    /// this device enrolled, or to a key since rotated away and no longer held.
    #[error("not sealed to this device")]
    NotARecipient,
    /// A wrap or the body failed authentication: altered, or moved under another header.
    #[error("sealed body failed authentication (altered, or moved under another header)")]
    Unauthentic,
    /// Sealing needs at least one recipient.
    #[error("no recipient to seal to")]
    NoRecipients,
    /// More than [`MAX_RECIPIENTS`] recipients.
    #[error("too many recipients ({0})")]
    TooManyRecipients(usize),
    /// A key of the wrong length or shape was supplied.
    #[error("bad encryption key")]
    BadKey,
    /// The operating system's random number generator failed.
    #[error("random number generator failed")]
    Random,
    /// A cryptographic operation failed that cannot fail with valid inputs.
    #[error("cryptographic operation failed")]
    Internal,
}

/// The id of an encryption public key: the first 16 bytes of
/// SHA-256(`"safeshare/x25519-key-id/v1"` || public key). Hex on the wire.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub [u8; KEY_ID_LEN]);

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({})", hex::encode(self.0))
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl serde::Serialize for KeyId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(self.0))
    }
}

impl<'de> serde::Deserialize<'de> for KeyId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let bytes = hex::decode(text.as_bytes())
            .map_err(|_| serde::de::Error::custom("key id is not hex"))?;
        let array: [u8; KEY_ID_LEN] = bytes
            .try_into()
            .map_err(|_| serde::de::Error::custom("key id must be 16 bytes"))?;
        Ok(Self(array))
    }
}

/// A device's X25519 encryption public key; base64url without padding on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EncryptionPublicKey(pub [u8; X25519_KEY_LEN]);

impl EncryptionPublicKey {
    /// This key's [`KeyId`].
    pub fn key_id(&self) -> KeyId {
        let mut ctx = Context::new(&SHA256);
        ctx.update(KEY_ID_DOMAIN);
        ctx.update(&self.0);
        let d = ctx.finish();
        let mut out = [0u8; KEY_ID_LEN];
        out.copy_from_slice(&d.as_ref()[..KEY_ID_LEN]);
        KeyId(out)
    }

    fn to_hpke(self) -> Result<<Kem as KemTrait>::PublicKey, SealError> {
        <Kem as KemTrait>::PublicKey::from_bytes(&self.0).map_err(|_| SealError::BadKey)
    }
}

impl serde::Serialize for EncryptionPublicKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        s.serialize_str(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(self.0))
    }
}

impl<'de> serde::Deserialize<'de> for EncryptionPublicKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use base64::Engine as _;
        let text = String::deserialize(d)?;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text.as_bytes())
            .map_err(|_| serde::de::Error::custom("encryption key is not base64url"))?;
        let array: [u8; X25519_KEY_LEN] = bytes
            .try_into()
            .map_err(|_| serde::de::Error::custom("encryption key must be 32 bytes"))?;
        Ok(Self(array))
    }
}

/// A device's X25519 key pair. The private half is kept only in the `SecretStore`
/// ([`EncryptionKeyPair::secret_bytes`] / [`EncryptionKeyPair::from_secret_bytes`]).
pub struct EncryptionKeyPair {
    private: <Kem as KemTrait>::PrivateKey,
    public: EncryptionPublicKey,
}

impl fmt::Debug for EncryptionKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EncryptionKeyPair({})", self.public.key_id())
    }
}

impl EncryptionKeyPair {
    /// A fresh key pair from ring's `SystemRandom` (RFC 9180 DeriveKeyPair of 32 random bytes).
    pub fn generate() -> Result<Self, SealError> {
        let mut ikm = Zeroizing::new([0u8; X25519_KEY_LEN]);
        SystemRandom::new()
            .fill(ikm.as_mut())
            .map_err(|_| SealError::Random)?;
        let (private, public) = Kem::derive_keypair(ikm.as_ref());
        Ok(Self {
            public: public_of(&public)?,
            private,
        })
    }

    /// The key pair from the 32 private-key bytes kept in the secret store.
    pub fn from_secret_bytes(bytes: &[u8]) -> Result<Self, SealError> {
        let private =
            <Kem as KemTrait>::PrivateKey::from_bytes(bytes).map_err(|_| SealError::BadKey)?;
        let public = public_of(&Kem::sk_to_pk(&private))?;
        Ok(Self { private, public })
    }

    /// The private key bytes, to hand to the secret store and nowhere else.
    pub fn secret_bytes(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(self.private.to_bytes().to_vec())
    }

    /// The public half.
    pub fn public_key(&self) -> EncryptionPublicKey {
        self.public
    }

    /// The public half's id.
    pub fn key_id(&self) -> KeyId {
        self.public.key_id()
    }
}

fn public_of(public: &<Kem as KemTrait>::PublicKey) -> Result<EncryptionPublicKey, SealError> {
    let bytes = public.to_bytes();
    let array: [u8; X25519_KEY_LEN] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| SealError::Internal)?;
    Ok(EncryptionPublicKey(array))
}

/// Randomness drawn beforehand from ring, handed to hpke through `rand_core`. Running out is
/// recorded (and the seal then fails) instead of inventing bytes.
struct Drawn {
    bytes: Zeroizing<Vec<u8>>,
    used: usize,
    exhausted: bool,
}

impl TryRng for Drawn {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        let end = self.used.saturating_add(dst.len());
        match self.bytes.get(self.used..end) {
            Some(src) => {
                dst.copy_from_slice(src);
                self.used = end;
            }
            None => {
                dst.zeroize();
                self.exhausted = true;
            }
        }
        Ok(())
    }
}

impl TryCryptoRng for Drawn {}

/// One recipient of a seal: the key id written into the container and the key wrapped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recipient {
    /// The recipient key's id (must be `public.key_id()`).
    pub key_id: KeyId,
    /// The recipient's X25519 public key.
    pub public: EncryptionPublicKey,
}

impl From<EncryptionPublicKey> for Recipient {
    fn from(public: EncryptionPublicKey) -> Self {
        Self {
            key_id: public.key_id(),
            public,
        }
    }
}

fn header_digest(header: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest(&SHA256, header).as_ref());
    out
}

/// Seals `plaintext` to `recipients` with `header` (the canonical envelope header) as
/// associated data. Recipients are de-duplicated by key id. Returns the container bytes.
///
/// Errors: [`SealError::NoRecipients`], [`SealError::TooManyRecipients`],
/// [`SealError::BadKey`] (a public key hpke refuses), [`SealError::Random`].
pub fn seal(
    header: &[u8],
    plaintext: &[u8],
    recipients: &[Recipient],
) -> Result<Vec<u8>, SealError> {
    let mut unique: Vec<Recipient> = Vec::with_capacity(recipients.len());
    for r in recipients {
        if !unique.iter().any(|u| u.key_id == r.key_id) {
            unique.push(*r);
        }
    }
    if unique.is_empty() {
        return Err(SealError::NoRecipients);
    }
    if unique.len() > MAX_RECIPIENTS {
        return Err(SealError::TooManyRecipients(unique.len()));
    }
    let count =
        u16::try_from(unique.len()).map_err(|_| SealError::TooManyRecipients(unique.len()))?;
    let rng = SystemRandom::new();
    let mut content_key = Zeroizing::new([0u8; CONTENT_KEY_LEN]);
    rng.fill(content_key.as_mut())
        .map_err(|_| SealError::Random)?;
    let mut nonce = [0u8; NONCE_LEN];
    rng.fill(&mut nonce).map_err(|_| SealError::Random)?;
    // One X25519 ephemeral secret per recipient.
    let mut drawn = Drawn {
        bytes: Zeroizing::new(vec![0u8; X25519_KEY_LEN * unique.len()]),
        used: 0,
        exhausted: false,
    };
    rng.fill(drawn.bytes.as_mut_slice())
        .map_err(|_| SealError::Random)?;

    let wrap_aad = header_digest(header);
    let mut out = Vec::with_capacity(
        PREFIX_LEN + unique.len() * RECIPIENT_LEN + NONCE_LEN + plaintext.len() + TAG_LEN,
    );
    out.extend_from_slice(CONTAINER_MAGIC);
    out.push(CONTAINER_FORMAT_V1);
    out.extend_from_slice(&count.to_be_bytes());
    for r in &unique {
        let pk = r.public.to_hpke()?;
        let (enc, wrapped) = hpke::single_shot_seal_with_rng::<AesGcm256, HkdfSha256, Kem>(
            &OpModeS::Base,
            &pk,
            WRAP_INFO,
            content_key.as_ref(),
            &wrap_aad,
            &mut drawn,
        )
        .map_err(|_| SealError::BadKey)?;
        let enc_bytes = enc.to_bytes();
        if enc_bytes.len() != X25519_KEY_LEN || wrapped.len() != WRAPPED_LEN {
            return Err(SealError::Internal);
        }
        out.extend_from_slice(&r.key_id.0);
        out.extend_from_slice(&enc_bytes);
        out.extend_from_slice(&wrapped);
    }
    if drawn.exhausted {
        return Err(SealError::Internal);
    }
    out.extend_from_slice(&nonce);
    let body_start = out.len();
    out.extend_from_slice(plaintext);
    let key = LessSafeKey::new(
        UnboundKey::new(&AES_256_GCM, content_key.as_ref()).map_err(|_| SealError::Internal)?,
    );
    let tag = key
        .seal_in_place_separate_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(header),
            &mut out[body_start..],
        )
        .map_err(|_| SealError::Internal)?;
    out.extend_from_slice(tag.as_ref());
    Ok(out)
}

/// The structure of a container, read without any key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerInfo {
    /// The key ids it is sealed to, in order.
    pub recipients: Vec<KeyId>,
    /// Length of the encrypted body with its tag.
    pub body_len: usize,
}

struct Parsed<'a> {
    recipients: Vec<(KeyId, &'a [u8], &'a [u8])>,
    nonce: [u8; NONCE_LEN],
    body: &'a [u8],
}

fn parse(bytes: &[u8]) -> Result<Parsed<'_>, SealError> {
    if bytes.len() < PREFIX_LEN {
        return Err(SealError::Malformed("shorter than its prefix"));
    }
    if &bytes[..4] != CONTAINER_MAGIC {
        return Err(SealError::Malformed("wrong magic"));
    }
    if bytes[4] != CONTAINER_FORMAT_V1 {
        return Err(SealError::UnknownFormat(bytes[4]));
    }
    let count = usize::from(u16::from_be_bytes([bytes[5], bytes[6]]));
    if count == 0 {
        return Err(SealError::Malformed("no recipients"));
    }
    if count > MAX_RECIPIENTS {
        return Err(SealError::Malformed("too many recipients"));
    }
    let body_at = PREFIX_LEN + count * RECIPIENT_LEN;
    if bytes.len() < body_at + NONCE_LEN + TAG_LEN {
        return Err(SealError::Malformed("truncated"));
    }
    let mut recipients = Vec::with_capacity(count);
    for chunk in bytes[PREFIX_LEN..body_at].chunks_exact(RECIPIENT_LEN) {
        let mut id = [0u8; KEY_ID_LEN];
        id.copy_from_slice(&chunk[..KEY_ID_LEN]);
        recipients.push((
            KeyId(id),
            &chunk[KEY_ID_LEN..KEY_ID_LEN + X25519_KEY_LEN],
            &chunk[KEY_ID_LEN + X25519_KEY_LEN..],
        ));
    }
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&bytes[body_at..body_at + NONCE_LEN]);
    Ok(Parsed {
        recipients,
        nonce,
        body: &bytes[body_at + NONCE_LEN..],
    })
}

/// Checks that `bytes` is a well-formed container and names its recipients, without any key:
/// what the server checks before storing a body.
pub fn inspect(bytes: &[u8]) -> Result<ContainerInfo, SealError> {
    let parsed = parse(bytes)?;
    Ok(ContainerInfo {
        recipients: parsed.recipients.iter().map(|r| r.0).collect(),
        body_len: parsed.body.len(),
    })
}

/// Opens a container with whichever of `keys` it was sealed to, checking it against `header`.
/// The plaintext is zeroized when dropped.
///
/// Errors: [`SealError::Malformed`] / [`SealError::UnknownFormat`] (not a container this build
/// reads), [`SealError::NotARecipient`] (none of `keys` is named), [`SealError::Unauthentic`]
/// (altered, or moved under another header).
pub fn open(
    header: &[u8],
    container: &[u8],
    keys: &[&EncryptionKeyPair],
) -> Result<Zeroizing<Vec<u8>>, SealError> {
    let parsed = parse(container)?;
    let (key, enc, wrapped) = parsed
        .recipients
        .iter()
        .find_map(|(id, enc, wrapped)| {
            keys.iter()
                .find(|k| k.key_id() == *id)
                .map(|k| (*k, *enc, *wrapped))
        })
        .ok_or(SealError::NotARecipient)?;
    let encapped =
        <Kem as KemTrait>::EncappedKey::from_bytes(enc).map_err(|_| SealError::Unauthentic)?;
    let wrap_aad = header_digest(header);
    let content_key = Zeroizing::new(
        hpke::single_shot_open::<AesGcm256, HkdfSha256, Kem>(
            &OpModeR::Base,
            &key.private,
            &encapped,
            WRAP_INFO,
            wrapped,
            &wrap_aad,
        )
        .map_err(|_| SealError::Unauthentic)?,
    );
    let aead = LessSafeKey::new(
        UnboundKey::new(&AES_256_GCM, content_key.as_slice())
            .map_err(|_| SealError::Unauthentic)?,
    );
    let mut buffer = Zeroizing::new(parsed.body.to_vec());
    let len = aead
        .open_in_place(
            Nonce::assume_unique_for_key(parsed.nonce),
            Aad::from(header),
            buffer.as_mut_slice(),
        )
        .map_err(|_| SealError::Unauthentic)?
        .len();
    buffer.truncate(len);
    Ok(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(n: usize) -> Vec<EncryptionKeyPair> {
        (0..n)
            .map(|_| EncryptionKeyPair::generate().unwrap())
            .collect()
    }

    #[test]
    fn every_recipient_opens_and_nobody_else() {
        let ks = keys(3);
        let outsider = EncryptionKeyPair::generate().unwrap();
        let recipients: Vec<Recipient> = ks.iter().map(|k| k.public_key().into()).collect();
        let sealed = seal(b"header", b"Amelia Thornbury 943 476 5919", &recipients).unwrap();
        for k in &ks {
            assert_eq!(
                open(b"header", &sealed, &[k]).unwrap().as_slice(),
                b"Amelia Thornbury 943 476 5919"
            );
        }
        assert_eq!(
            open(b"header", &sealed, &[&outsider]),
            Err(SealError::NotARecipient)
        );
        assert_eq!(inspect(&sealed).unwrap().recipients.len(), 3);
        assert!(!sealed.windows(8).any(|w| w == b"Thornbur"));
    }

    #[test]
    fn a_body_under_another_header_or_altered_is_unauthentic() {
        let k = EncryptionKeyPair::generate().unwrap();
        let sealed = seal(b"header A", b"secret", &[k.public_key().into()]).unwrap();
        assert_eq!(
            open(b"header B", &sealed, &[&k]),
            Err(SealError::Unauthentic)
        );
        let mut altered = sealed.clone();
        let last = altered.len() - 1;
        altered[last] ^= 1;
        assert_eq!(
            open(b"header A", &altered, &[&k]),
            Err(SealError::Unauthentic)
        );
    }

    #[test]
    fn secret_bytes_round_trip_to_the_same_key() {
        let k = EncryptionKeyPair::generate().unwrap();
        let again = EncryptionKeyPair::from_secret_bytes(&k.secret_bytes()).unwrap();
        assert_eq!(again.public_key(), k.public_key());
        assert!(!format!("{k:?}").contains(&hex::encode(k.secret_bytes().as_slice())));
    }

    #[test]
    fn malformed_containers_are_named() {
        assert!(matches!(
            inspect(b"{\"json\":1}"),
            Err(SealError::Malformed(_))
        ));
        assert!(matches!(
            inspect(b"SSE1\x09\x00\x01"),
            Err(SealError::UnknownFormat(9))
        ));
        assert!(matches!(
            inspect(b"SSE1\x01\x00\x00"),
            Err(SealError::Malformed(_))
        ));
        assert!(matches!(
            inspect(b"SSE1\x01\x00\x02abc"),
            Err(SealError::Malformed(_))
        ));
        assert_eq!(seal(b"h", b"x", &[]), Err(SealError::NoRecipients));
    }

    #[test]
    fn drawn_randomness_is_handed_out_in_order_and_running_out_is_recorded() {
        // hpke asks only for whole buffers today; the word-sized draws are pinned too, so a
        // later hpke that asks for them gets the drawn bytes, not a constant.
        let mut drawn = Drawn {
            bytes: Zeroizing::new((1..=16).collect()),
            used: 0,
            exhausted: false,
        };
        assert_eq!(drawn.try_next_u32(), Ok(u32::from_le_bytes([1, 2, 3, 4])));
        assert_eq!(
            drawn.try_next_u64(),
            Ok(u64::from_le_bytes([5, 6, 7, 8, 9, 10, 11, 12]))
        );
        let mut rest = [0xFF; 4];
        assert_eq!(drawn.try_fill_bytes(&mut rest), Ok(()));
        assert_eq!(rest, [13, 14, 15, 16]);
        assert!(!drawn.exhausted);
        // Past the end: zeros, never reused bytes, and the seal is told to fail.
        let mut more = [0xFF; 2];
        assert_eq!(drawn.try_fill_bytes(&mut more), Ok(()));
        assert_eq!(more, [0, 0]);
        assert!(drawn.exhausted);
    }
}

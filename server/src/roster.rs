//! The region key file, the signed region roster, and the two routes that serve them:
//! `GET /v1/roster?after=N` and `POST /v1/encryption-key`.
//!
//! Owns the server's side of end-to-end sealing (`docs/security.md`). Invariants and why:
//! - The region key lives in a file outside the database, created mode 0600 by
//!   `safeshare-server region-key init` and refused when group or others can read it, so a copy
//!   of the database or a backup cannot sign a roster.
//! - A roster version is made only when what would be published (devices, teams, current
//!   encryption keys, revocations) differs from the latest version, and it chains to it
//!   (`previous`); versions are appended, never changed. Two requests racing to make the same
//!   version: one insert wins, the other re-reads.
//! - The server never holds a device's private key or a content key: it stores and serves
//!   public keys and signed documents only.
//! - An encryption key is registered to one device ever (refused with `bad_public_key`
//!   otherwise, a unique index behind the check), so no roster lists one key for two devices.
//! - A registered encryption key can be sealed to (a trial seal, before anything is stored):
//!   a low-order key in the roster would make every phone's seal to that device's teams fail.

use crate::error::ApiError;
use crate::http::{AppState, Signed};
use crate::storage::{CorruptRow, KeyRegistration, Store, StoreError};
use axum::extract::{Query, State};
use axum::http::Uri;
use axum::Json;
use chrono::{DateTime, Utc};
use safeshare_core::crypto::envelope_seal::{self, EncryptionPublicKey};
use safeshare_core::model::DeviceId;
use safeshare_core::sync::{
    roster_changes, EncryptionKeyRequest, ErrorCode, RegionKeyPair, RosterBody, RosterResponse,
    SignedRoster,
};
use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;

/// Associated data of the trial seal that proves a registered encryption key usable.
const KEY_CHECK_AAD: &[u8] = b"safeshare/encryption-key-check";

/// Environment variable naming the region key file (the `--region-key` flag wins).
pub const REGION_KEY_ENV: &str = "SAFESHARE_REGION_KEY";

/// Why the region key file could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum RegionKeyError {
    /// The file already exists: a region key is never overwritten.
    #[error("{0} already exists; a region key is never overwritten")]
    Exists(String),
    /// The file is readable by group or others.
    #[error("{0} is readable by others (mode {1:o}); make it 0600")]
    Exposed(String, u32),
    /// The file could not be read or written.
    #[error("region key file {0}: {1}")]
    Io(String, std::io::Error),
    /// The file is not a region key, or randomness failed.
    #[error("region key: {0}")]
    Key(#[from] safeshare_core::sync::RosterError),
}

/// Makes a new region key and writes it to `path` (PKCS#8, mode 0600, never overwriting).
pub fn create_region_key(path: &Path) -> Result<RegionKeyPair, RegionKeyError> {
    let name = path.display().to_string();
    let pair = RegionKeyPair::generate()?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            RegionKeyError::Exists(name.clone())
        } else {
            RegionKeyError::Io(name.clone(), e)
        }
    })?;
    file.write_all(pair.pkcs8_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| RegionKeyError::Io(name.clone(), e))?;
    Ok(pair)
}

/// Reads the region key at `path`, refusing a file group or others can read.
pub fn load_region_key(path: &Path) -> Result<RegionKeyPair, RegionKeyError> {
    let name = path.display().to_string();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| RegionKeyError::Io(name.clone(), e))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(RegionKeyError::Exposed(name, mode & 0o777));
        }
    }
    let bytes = zeroize::Zeroizing::new(
        std::fs::read(path).map_err(|e| RegionKeyError::Io(name.clone(), e))?,
    );
    Ok(RegionKeyPair::from_pkcs8(&bytes)?)
}

/// Brings the roster up to date: signs and appends a new version when the devices differ from
/// the latest version's. Returns the latest version number (0 when no device was ever enrolled
/// and none was made).
pub async fn refresh<S: Store>(
    store: &S,
    region: &RegionKeyPair,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    // Two attempts: a concurrent request may append the same version first.
    for _ in 0..2 {
        let devices = store.roster_devices().await?;
        let latest = store.latest_roster().await?;
        let held: Option<RosterBody> = match &latest {
            Some(signed) => Some(
                serde_json::from_str(&signed.body)
                    .map_err(|e| StoreError::Corrupt(CorruptRow::StoredRoster(e.into())))?,
            ),
            None => None,
        };
        if let Some(body) = &held {
            if body.devices == devices {
                return Ok(body.version);
            }
        }
        let version = held.as_ref().map_or(1, |b| b.version + 1);
        let body = RosterBody {
            version,
            issued_at: now,
            previous: latest.as_ref().map(SignedRoster::hash),
            devices,
        };
        let signed = region.sign(&body).map_err(StoreError::RosterUnsignable)?;
        if store.append_roster(version, signed, now).await? {
            tracing::info!(
                version,
                devices = body.devices.len(),
                "roster version signed"
            );
            return Ok(version);
        }
    }
    Err(StoreError::RosterRaced)
}

/// The roster log as the admin reads it: one line per version with its device count and what
/// changed from the version before (added, revoked, new encryption key), so a device nobody
/// enrolled stands out.
pub fn render_log(log: &[SignedRoster]) -> String {
    let mut out = String::new();
    let mut before: Option<RosterBody> = None;
    for signed in log {
        let Ok(body) = serde_json::from_str::<RosterBody>(&signed.body) else {
            out.push_str("unreadable roster version\n");
            continue;
        };
        out.push_str(&format!(
            "version {} issued {} devices {}\n",
            body.version,
            body.issued_at.to_rfc3339(),
            body.devices.len()
        ));
        for change in roster_changes(before.as_ref(), &body) {
            out.push_str(&format!(
                "  {}: device {} practitioner {}\n",
                change.kind.as_str(),
                change.device_id,
                change.practitioner_id
            ));
        }
        before = Some(body);
    }
    if out.is_empty() {
        out.push_str("no roster versions yet\n");
    }
    out
}

/// Refuses a key nothing can be sealed to. Why: a low-order X25519 point (whose agreement is
/// all zeros, which HPKE refuses) would, once in the roster, fail the seal of every envelope
/// to the device's teams on every phone, so one rogue device could stop its teams' shares. A
/// trial seal proves the key usable.
fn check_usable(key: EncryptionPublicKey) -> Result<(), ApiError> {
    envelope_seal::seal(KEY_CHECK_AAD, &[], &[key.into()])
        .map(|_| ())
        .map_err(|_| {
            ApiError::new(
                ErrorCode::BadPublicKey,
                "nothing can be sealed to this encryption key: make a new key pair",
            )
        })
}

fn no_region_key() -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        "this server has no region key: start it with --region-key",
    )
}

#[derive(serde::Deserialize)]
struct AfterQuery {
    #[serde(default)]
    after: u64,
}

/// `GET /v1/roster?after=N`: every signed version after `N`, making a new one first if the
/// region changed.
pub(crate) async fn get_roster<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    uri: Uri,
    Signed { now, .. }: Signed,
) -> Result<Json<RosterResponse>, ApiError> {
    let Query(query) = Query::<AfterQuery>::try_from_uri(&uri)
        .map_err(|_| ApiError::new(ErrorCode::MalformedRequest, "query must be after=N"))?;
    let region = state.region.as_ref().ok_or_else(no_region_key)?;
    refresh(&state.store, region, now).await?;
    let rosters = state.store.rosters_after(query.after).await?;
    Ok(Json(RosterResponse {
        region_key: region.public_key(),
        rosters,
    }))
}

/// At most this many encryption key registrations by one device in any
/// [`KEY_REGISTRATION_WINDOW_HOURS`]: its first key and two rotations. Each registration signs
/// a roster version listing every device of the region, which every phone fetches and keeps
/// in its roster log, so a rogue or faulty phone rotating in a loop would flood them all.
pub const KEY_REGISTRATIONS_PER_WINDOW: usize = 3;

/// The rolling window of [`KEY_REGISTRATIONS_PER_WINDOW`], in hours.
pub const KEY_REGISTRATION_WINDOW_HOURS: i64 = 24;

/// Refuses a registration beyond the per-device limit with 429 `too_many_requests` and a
/// `Retry-After` until the oldest counted registration leaves the window. Checked before the
/// key is stored, so a refused key is not registered (the phone keeps it and tries again).
async fn check_registration_rate<S: Store>(
    store: &S,
    device: DeviceId,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let window = chrono::Duration::hours(KEY_REGISTRATION_WINDOW_HOURS);
    let recent = store.key_registrations_since(device, now - window).await?;
    let Some(first_over) = recent
        .len()
        .checked_sub(KEY_REGISTRATIONS_PER_WINDOW)
        .and_then(|over| recent.get(over))
    else {
        return Ok(());
    };
    let wait = (*first_over + window - now).num_seconds();
    tracing::warn!(device = %device, "encryption key registration refused: limit reached");
    Err(ApiError::new(
        ErrorCode::TooManyRequests,
        format!(
            "at most {KEY_REGISTRATIONS_PER_WINDOW} encryption keys a device in \
             {KEY_REGISTRATION_WINDOW_HOURS} h; retry in {wait} s"
        ),
    )
    .retry_after(u64::try_from(wait).unwrap_or(1)))
}

/// `POST /v1/encryption-key`: registers (or rotates to) the signing device's X25519 key.
pub(crate) async fn post_encryption_key<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Signed {
        device, bytes, now, ..
    }: Signed,
) -> Result<Json<serde_json::Value>, ApiError> {
    let request: EncryptionKeyRequest = serde_json::from_slice(&bytes).map_err(|_| {
        ApiError::new(
            ErrorCode::MalformedJson,
            "expected {\"public_key\": <32-byte X25519 key, base64url>}",
        )
    })?;
    if let Err(err) = check_usable(request.public_key) {
        tracing::warn!(device = %device.id, "unusable encryption key refused");
        return Err(err);
    }
    check_registration_rate(&state.store, device.id, now).await?;
    match state
        .store
        .register_encryption_key(device.id, request.public_key, now)
        .await?
    {
        KeyRegistration::Registered => {}
        // The device authenticated a moment ago; gone now means revoked and wiped meanwhile.
        KeyRegistration::NoSuchDevice => {
            return Err(ApiError::new(ErrorCode::UnknownDevice, "unknown device"))
        }
        KeyRegistration::HeldByAnotherDevice => {
            tracing::warn!(device = %device.id, key = %request.public_key.key_id(), "encryption key already held by another device refused");
            return Err(ApiError::new(
                ErrorCode::BadPublicKey,
                "this encryption key is registered to another device: make a new key pair",
            ));
        }
    }
    if let Some(region) = &state.region {
        refresh(&state.store, region, now).await?;
    }
    tracing::info!(device = %device.id, key = %request.public_key.key_id(), "encryption key registered");
    Ok(Json(serde_json::json!({
        "key_id": request.public_key.key_id().to_string()
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_nothing_can_be_sealed_to_is_refused() {
        // The all-zero point and the other low-order points with a canonical encoding.
        let mut low_order = vec![[0u8; 32], [0u8; 32]];
        low_order[1][0] = 1;
        for bytes in low_order {
            assert!(check_usable(EncryptionPublicKey(bytes)).is_err());
        }
        let good = envelope_seal::EncryptionKeyPair::generate()
            .unwrap()
            .public_key();
        assert!(check_usable(good).is_ok());
    }

    #[test]
    fn region_key_file_is_owner_only_never_overwritten_and_reloads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("region.key");
        let made = create_region_key(&path).unwrap();
        assert!(matches!(
            create_region_key(&path),
            Err(RegionKeyError::Exists(_))
        ));
        let loaded = load_region_key(&path).unwrap();
        assert_eq!(loaded.public_key(), made.public_key());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert!(matches!(
                load_region_key(&path),
                Err(RegionKeyError::Exposed(_, 0o644))
            ));
        }
    }
}

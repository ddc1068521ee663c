//! Request authentication: who is asking, and may they.
//!
//! Order of checks, each with its own code: signature headers readable (`missing_signature`),
//! device known (`unknown_device`), signature valid (`bad_signature`), device not revoked
//! (`device_revoked`, with `wipe: true`), timestamp within ±5 minutes (`stale_timestamp`), nonce
//! unused (`replayed_nonce`). Revocation is checked after the signature so only the device's
//! own key can learn it was revoked, and before the clock so a revoked phone with a wrong clock
//! still wipes. The nonce is remembered only once everything else passed, so a forged or
//! stale request cannot burn a real device's nonce.

use crate::error::ApiError;
use crate::storage::{DeviceRecord, Store};
use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use safeshare_core::sync::{ErrorCode, RequestSignature, SigningError};

/// Authenticates a signed request; returns the device on success.
pub async fn authenticate<S: Store>(
    store: &S,
    headers: &HeaderMap,
    method: &str,
    path_and_query: &str,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<DeviceRecord, ApiError> {
    let signature =
        RequestSignature::from_headers(|name| headers.get(name).and_then(|v| v.to_str().ok()))
            .map_err(|e| ApiError::new(ErrorCode::MissingSignature, e.to_string()))?;
    let device = store
        .device(signature.device)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::UnknownDevice, "no such device is enrolled"))?;
    signature
        .verify(&device.public_key, method, path_and_query, body)
        .map_err(|_| ApiError::new(ErrorCode::BadSignature, "the signature does not verify"))?;
    if device.revoked_at.is_some() {
        return Err(ApiError::new(
            ErrorCode::DeviceRevoked,
            "this device was revoked: wipe the local store and its key",
        ));
    }
    if let Err(SigningError::StaleTimestamp { skew_secs }) = signature.check_fresh(now) {
        return Err(ApiError {
            code: ErrorCode::StaleTimestamp,
            message: format!(
                "request timestamp is {skew_secs} s from the server clock (limit 300 s)"
            ),
            server_time: Some(now),
        });
    }
    if !store
        .consume_nonce(device.id, signature.nonce.clone(), now)
        .await?
    {
        return Err(ApiError::new(
            ErrorCode::ReplayedNonce,
            "this nonce was already used",
        ));
    }
    Ok(device)
}

//! Request authentication: who is asking, and may they.
//!
//! Two phases, so no body byte is read for a request that fails on its headers:
//! 1. [`check_headers`], before the body: signature headers readable (`missing_signature`),
//!    device known (`unknown_device`), timestamp within ±5 minutes (`stale_timestamp`) — the
//!    clock is skipped for a revoked device, so a revoked phone with a wrong clock still
//!    reaches phase 2 and is told to wipe.
//! 2. [`check_body`], after reading the body within the route's limit: signature valid
//!    (`bad_signature`), device not revoked (`device_revoked`, with `wipe: true`), nonce unused
//!    (`replayed_nonce`). Revocation is told only after the signature verifies, so only the
//!    device's own key can learn it was revoked. The nonce is remembered only once everything
//!    else passed, so a forged or stale request cannot burn a real device's nonce.

use crate::error::ApiError;
use crate::storage::{DeviceRecord, Store};
use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use safeshare_core::sync::{ErrorCode, RequestSignature, SigningError};

/// A request whose headers passed phase 1: the signature to verify and the claimed device.
#[derive(Debug)]
pub struct HeadersChecked {
    signature: RequestSignature,
    device: DeviceRecord,
}

/// Phase 1 (before any body byte is read): headers, device, clock.
pub async fn check_headers<S: Store>(
    store: &S,
    headers: &HeaderMap,
    now: DateTime<Utc>,
) -> Result<HeadersChecked, ApiError> {
    let signature =
        RequestSignature::from_headers(|name| headers.get(name).and_then(|v| v.to_str().ok()))
            .map_err(|e| ApiError::new(ErrorCode::MissingSignature, e.to_string()))?;
    let device = store.device(signature.device).await??;
    if device.revoked_at.is_none() {
        if let Err(SigningError::StaleTimestamp { skew_secs }) = signature.check_fresh(now) {
            return Err(ApiError {
                code: ErrorCode::StaleTimestamp,
                message: format!(
                    "request timestamp is {skew_secs} s from the server clock (limit 300 s)"
                ),
                server_time: Some(now),
                retry_after_secs: None,
            });
        }
    }
    Ok(HeadersChecked { signature, device })
}

/// Phase 2 (after the body was read within its limit): signature, revocation, nonce.
pub async fn check_body<S: Store>(
    store: &S,
    checked: HeadersChecked,
    method: &str,
    path_and_query: &str,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<DeviceRecord, ApiError> {
    let HeadersChecked { signature, device } = checked;
    signature
        .verify(&device.public_key, method, path_and_query, body)
        .map_err(|_| ApiError::new(ErrorCode::BadSignature, "the signature does not verify"))?;
    if device.revoked_at.is_some() {
        return Err(ApiError::new(
            ErrorCode::DeviceRevoked,
            "this device was revoked: wipe the local store and its key",
        ));
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

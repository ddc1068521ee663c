//! The one HTTP error type: an [`ErrorCode`] with its status and a message without personal
//! data. Storage driver faults ([`StoreError`]) are logged here and answered `unavailable`
//! (503, retry) or `internal` (500); domain refusals are separate types the handlers answer
//! with their own codes (e.g. `EnrolmentRefusal` in `crate::http`), never through this.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use safeshare_core::sync::{ErrorBody, ErrorCode};

use crate::storage::{StoreError, UnknownDevice, UnknownPosition};

/// An error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// What went wrong.
    pub code: ErrorCode,
    /// Detail for operators (never personal data).
    pub message: String,
    /// Server time, sent with `stale_timestamp`.
    pub server_time: Option<DateTime<Utc>>,
    /// Whole seconds to wait, sent as `Retry-After` with `too_many_requests`.
    pub retry_after_secs: Option<u64>,
}

impl ApiError {
    /// An error with a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            server_time: None,
            retry_after_secs: None,
        }
    }

    /// This error with a `Retry-After` of `secs` (at least 1).
    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after_secs = Some(secs.max(1));
        self
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        tracing::error!(error = %err, "storage failure");
        // Every variant named, so a new kind of fault is placed here on purpose.
        match err {
            StoreError::WorkerGone | StoreError::Pool(_) | StoreError::PoolBuild(_) => {
                ApiError::new(ErrorCode::Unavailable, "storage unavailable; retry later")
            }
            StoreError::Sqlite(_)
            | StoreError::Postgres(_)
            | StoreError::Config(_)
            | StoreError::Io(_)
            | StoreError::Corrupt(_)
            | StoreError::RosterUnsignable(_)
            | StoreError::RosterRaced
            | StoreError::SchemaTooNew { .. } => {
                ApiError::new(ErrorCode::Internal, "storage failure; retry later")
            }
        }
    }
}

/// A signed request from a device the region never enrolled (restored from an old backup, or
/// not a device of this region): the phone asks for a re-enrolment code.
impl From<UnknownDevice> for ApiError {
    fn from(_: UnknownDevice) -> Self {
        ApiError::new(ErrorCode::UnknownDevice, "no such device is enrolled")
    }
}

/// A pull from a position this server does not hold: the phone pulls again from 0.
impl From<UnknownPosition> for ApiError {
    fn from(_: UnknownPosition) -> Self {
        ApiError::new(
            ErrorCode::UnknownPosition,
            "this server does not hold the envelope at that position (restored from a \
             backup?); pull again from 0",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = ErrorBody {
            code: self.code,
            message: self.message,
            // Revoked: wipe now. Retired: wipe once the outbox is empty (the phone decides).
            wipe: matches!(
                self.code,
                ErrorCode::DeviceRevoked | ErrorCode::DeviceRetired
            ),
            server_time: self.server_time,
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(secs) = self.retry_after_secs {
            if let Ok(value) = axum::http::HeaderValue::from_str(&secs.to_string()) {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, value);
            }
        }
        response
    }
}

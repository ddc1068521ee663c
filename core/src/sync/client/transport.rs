//! Signed HTTP requests to the regional server (reqwest blocking, rustls; trust in `tls`).
//!
//! Owns the device's view of the server clock: a device clock off by hours would make every
//! signed request stale, so the offset (server minus device) learnt at enrolment and from any
//! `stale_timestamp` answer's `server_time` is added to the timestamp of every request. A stale
//! or replayed-nonce answer is retried once at once with a fresh nonce: a stale request was
//! refused whole, and a replayed nonce means a copy of the request already reached the server
//! (a network duplicate), so re-sending the same idempotent content is safe. A request that
//! fails at once on a dead kept-alive connection is re-sent once on a fresh one (same nonce:
//! if the first copy did reach the server, the answer is `replayed_nonce`, handled as above).
//! Every signed answer's server-time header ([`SERVER_TIME_HEADER`]) also corrects the offset
//! when the two differ by more than [`DATE_TOLERANCE_MS`] (network delay), so a device clock
//! moved by hours after enrolment is corrected at its next sync even while the server's
//! staleness window would still accept its requests; the session reads the same offset for
//! every time with clinical meaning (docs/sync.md, "Clocks").

use super::error::{BadResponse, SyncError};
use super::tls::{self, ServerTrust};
use crate::clock::Clock;
use crate::model::DeviceId;
use crate::sync::{DeviceKeyPair, ErrorBody, ErrorCode, SERVER_TIME_HEADER};
use chrono::{DateTime, Duration, Utc};
use serde::de::DeserializeOwned;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;

/// An HTTP client for one server.
pub(crate) struct Transport {
    http: reqwest::blocking::Client,
    base: String,
    clock: Arc<dyn Clock>,
    /// Server clock minus device clock, milliseconds.
    offset_ms: AtomicI64,
    /// Whether `offset_ms` was learnt from the server (or restored from the store).
    known: AtomicBool,
}

/// How far an answer's server time may differ from the device's estimate of it before the
/// estimate is corrected: anything smaller is the network's delay, and re-learning it on
/// every answer would make times jitter.
pub(crate) const DATE_TOLERANCE_MS: i64 = 2_000;

/// The signing identity of a request.
pub(crate) struct Signer<'a> {
    pub device: DeviceId,
    pub key: &'a DeviceKeyPair,
}

impl Transport {
    pub(crate) fn new(
        base: &str,
        trust: &ServerTrust,
        clock: Arc<dyn Clock>,
        timeout: std::time::Duration,
    ) -> Result<Self, SyncError> {
        let http = tls::client_for(base, trust, timeout)?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            clock,
            offset_ms: AtomicI64::new(0),
            known: AtomicBool::new(false),
        })
    }

    /// The device's best estimate of the server's "now".
    pub(crate) fn server_now(&self) -> Result<DateTime<Utc>, SyncError> {
        Ok(self.device_now()? + Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed)))
    }

    /// The platform clock, through its fallible read (a failure is a typed error).
    fn device_now(&self) -> Result<DateTime<Utc>, SyncError> {
        Ok(self.clock.try_now()?)
    }

    /// Learns the offset from an instant the server reported.
    pub(crate) fn learn_server_time(&self, server_time: DateTime<Utc>) -> Result<(), SyncError> {
        let offset = (server_time - self.device_now()?).num_milliseconds();
        self.set_offset(Duration::milliseconds(offset));
        Ok(())
    }

    /// The offset (server minus device) learnt, if any.
    pub(crate) fn offset(&self) -> Option<Duration> {
        self.known
            .load(Ordering::Acquire)
            .then(|| Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed)))
    }

    /// Sets the offset (learnt now, or restored from the store at the start of a sync).
    pub(crate) fn set_offset(&self, offset: Duration) {
        self.offset_ms
            .store(offset.num_milliseconds(), Ordering::Relaxed);
        self.known.store(true, Ordering::Release);
    }

    /// Corrects the offset from an answer's server-time header when it differs from the
    /// estimate by more than [`DATE_TOLERANCE_MS`] (or when no offset is known yet). An answer
    /// without a readable header (an older server, a proxy's own error) changes nothing.
    fn learn_from_date(&self, resp: &reqwest::blocking::Response) -> Result<(), SyncError> {
        let Some(server_time) = resp
            .headers()
            .get(SERVER_TIME_HEADER)
            .and_then(|value| value.to_str().ok())
            .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
            .map(|time| time.with_timezone(&Utc))
        else {
            return Ok(());
        };
        let drift = (server_time - self.server_now()?).num_milliseconds().abs();
        if self.offset().is_none() || drift > DATE_TOLERANCE_MS {
            self.learn_server_time(server_time)?;
        }
        Ok(())
    }

    /// An unsigned JSON POST (enrolment).
    pub(crate) fn post_unsigned<T: DeserializeOwned>(
        &self,
        path: &str,
        body: Vec<u8>,
    ) -> Result<T, Result<ErrorBody, SyncError>> {
        let resp = self
            .http
            .post(format!("{}{}", self.base, path))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .map_err(|err| Err(network(err)))?;
        read_answer(resp)
    }

    /// A signed request; `body` is empty for GET.
    pub(crate) fn signed<T: DeserializeOwned>(
        &self,
        signer: &Signer<'_>,
        method: &str,
        path_and_query: &str,
        body: &[u8],
    ) -> Result<T, SyncError> {
        let mut retried = false;
        loop {
            let sig = signer.key.sign_request(
                signer.device,
                method,
                path_and_query,
                body,
                self.server_now()?,
            )?;
            let url = format!("{}{}", self.base, path_and_query);
            let mut req = if method == "GET" {
                self.http.get(url)
            } else {
                self.http
                    .post(url)
                    .header("content-type", "application/json")
                    .body(body.to_vec())
            };
            for (name, value) in sig.headers() {
                req = req.header(name, value);
            }
            let copy = req.try_clone();
            let resp = match (req.send(), copy) {
                (Ok(resp), _) => resp,
                // A kept-alive connection the network or server already closed fails at once;
                // the request is idempotent (push by envelope id, pull by cursor), so one
                // immediate retry on a fresh connection is safe. A timeout is not retried here:
                // the backoff handles a slow network.
                (Err(err), Some(copy)) if !err.is_timeout() => {
                    tracing::info!("request failed on a kept-alive connection; retrying once");
                    copy.send().map_err(network)?
                }
                // A body that cannot be copied (never one of ours: they are bytes) is not
                // retried here; the backoff retries it.
                (Err(err), _) => return Err(network(err)),
            };
            self.learn_from_date(&resp)?;
            match read_answer::<T>(resp) {
                Ok(answer) => return Ok(answer),
                Err(Err(err)) => return Err(err),
                Err(Ok(error)) => match error.code {
                    ErrorCode::DeviceRevoked => return Err(SyncError::Revoked),
                    ErrorCode::UnknownDevice => return Err(SyncError::UnknownDevice),
                    ErrorCode::DeviceRetired => return Err(SyncError::Retired),
                    ErrorCode::StaleTimestamp => {
                        let skew_secs = match error.server_time {
                            Some(t) => (self.server_now()? - t).num_seconds(),
                            None => 0,
                        };
                        if let Some(server_time) = error.server_time {
                            self.learn_server_time(server_time)?;
                        }
                        if retried {
                            return Err(SyncError::ClockSkew { skew_secs });
                        }
                        tracing::info!(skew_secs, "device clock corrected from the server's");
                    }
                    ErrorCode::ReplayedNonce if !retried => {
                        tracing::info!("request reached the server twice; re-sending fresh");
                    }
                    code => {
                        return Err(SyncError::Server {
                            code,
                            status: code.status(),
                        })
                    }
                },
            }
            retried = true;
        }
    }
}

fn network(err: reqwest::Error) -> SyncError {
    if let Some(refusal) = tls::classify(&err) {
        return SyncError::UntrustedServer(refusal);
    }
    // Kept whole: reqwest's message names the URL (host and path only: no personal data).
    SyncError::Network(err)
}

/// The decoded success body, or the server's error body, or a transport failure.
fn read_answer<T: DeserializeOwned>(
    resp: reqwest::blocking::Response,
) -> Result<T, Result<ErrorBody, SyncError>> {
    let status = resp.status();
    let bytes = resp.bytes().map_err(|err| Err(network(err)))?;
    if status.is_success() {
        return serde_json::from_slice(&bytes)
            .map_err(|err| Err(BadResponse::Undecodable(err.into()).into()));
    }
    match serde_json::from_slice::<ErrorBody>(&bytes) {
        Ok(body) => Err(Ok(body)),
        Err(_) => Err(Err(BadResponse::NoErrorBody {
            status: status.as_u16(),
        }
        .into())),
    }
}

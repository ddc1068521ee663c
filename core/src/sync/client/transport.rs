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

use super::error::SyncError;
use super::tls::{self, ServerTrust};
use crate::clock::Clock;
use crate::model::DeviceId;
use crate::sync::{DeviceKeyPair, ErrorBody, ErrorCode};
use chrono::{DateTime, Duration, Utc};
use serde::de::DeserializeOwned;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// An HTTP client for one server.
pub(crate) struct Transport {
    http: reqwest::blocking::Client,
    base: String,
    clock: Arc<dyn Clock>,
    /// Server clock minus device clock, milliseconds.
    offset_ms: AtomicI64,
}

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
        self.offset_ms.store(offset, Ordering::Relaxed);
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
            .map_err(|err| Err(network(&err)))?;
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
            let resp = match req.try_clone().map(|copy| (copy, req.send())) {
                Some((_, Ok(resp))) => resp,
                // A kept-alive connection the network or server already closed fails at once;
                // the request is idempotent (push by envelope id, pull by cursor), so one
                // immediate retry on a fresh connection is safe. A timeout is not retried here:
                // the backoff handles a slow network.
                Some((copy, Err(err))) if !err.is_timeout() => {
                    tracing::info!("request failed on a kept-alive connection; retrying once");
                    copy.send().map_err(|err| network(&err))?
                }
                Some((_, Err(err))) => return Err(network(&err)),
                None => return Err(SyncError::Network("request could not be built".into())),
            };
            match read_answer::<T>(resp) {
                Ok(answer) => return Ok(answer),
                Err(Err(err)) => return Err(err),
                Err(Ok(error)) => match error.code {
                    ErrorCode::DeviceRevoked => return Err(SyncError::Revoked),
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

fn network(err: &reqwest::Error) -> SyncError {
    if let Some(refusal) = tls::classify(err) {
        return SyncError::UntrustedServer(refusal);
    }
    // reqwest's message names the URL (host and path only: no personal data in either).
    SyncError::Network(err.to_string())
}

/// The decoded success body, or the server's error body, or a transport failure.
fn read_answer<T: DeserializeOwned>(
    resp: reqwest::blocking::Response,
) -> Result<T, Result<ErrorBody, SyncError>> {
    let status = resp.status();
    let bytes = resp.bytes().map_err(|err| Err(network(&err)))?;
    if status.is_success() {
        return serde_json::from_slice(&bytes)
            .map_err(|err| Err(SyncError::BadResponse(format!("{:?}", err.classify()))));
    }
    match serde_json::from_slice::<ErrorBody>(&bytes) {
        Ok(body) => Err(Ok(body)),
        Err(_) => Err(Err(SyncError::BadResponse(format!(
            "HTTP {} without an error body",
            status.as_u16()
        )))),
    }
}

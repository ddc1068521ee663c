//! The HTTP surface: routes, body limits, timeouts and the mapping to error codes.
//!
//! Every route under `/v1/` except enrolment is signed ([`crate::auth`]) and authenticates
//! through the [`Signed`] extractor, its handler's last argument; the router is built from one
//! table ([`sync_route_list`]) that marks each route open or signed, and
//! `server/tests/signed_routes.rs` holds every signed route to refusing an unsigned request. A
//! signed request's headers, device and clock are checked before any body byte is read, so an
//! unauthenticated client cannot make the server buffer anything. Bodies are then read by hand, with a limit per
//! route enforced while streaming ([`ENROL_BODY_LIMIT`], [`GET_BODY_LIMIT`], push
//! [`MAX_BODY_BYTES`]), so an oversize body is answered `413 body_too_large` in the same JSON
//! error shape as everything else; a request is abandoned after [`REQUEST_TIMEOUT`] (a push in
//! flight is one transaction, so abandoning it leaves nothing half-applied). Logs carry the
//! route, status, device id and counts — never envelope content.
//!
//! A retired device (a phone handed back, `safeshare-server retire`) still authenticates on the
//! three routes it needs to deliver its outbox — push, roster (to seal) and encryption key —
//! and is answered `403 device_retired` (with `wipe: true`) on every other, pull first: it
//! receives nothing new, and the phone wipes once its outbox is empty ([`refuse_retired`]).

use crate::auth::{check_body, check_headers};
use crate::error::ApiError;
use crate::metrics::{EnvelopeMetric, Metrics};
use crate::push::push_batch;
use crate::storage::{DeviceRecord, EnrolmentRefusal, Store};
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, MatchedPath, Query, Request, State};
use axum::http::{header, HeaderMap, Method, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use safeshare_core::clock::Clock;
use safeshare_core::model::DeviceId;
use safeshare_core::sync::{
    paths, DeviceInfo, DirectoryVersion, EnrolRequest, EnvelopeOutcome, ErrorCode, Health,
    PullQuery, PullResponse, PulledEnvelope, PushResponse, DEFAULT_PULL_LIMIT, MAX_BATCH_ENVELOPES,
    MAX_BODY_BYTES, MAX_PULL_LIMIT,
};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A request still unanswered after this is abandoned with `408 timeout`.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What every handler shares.
pub struct AppState<S: Store> {
    /// The storage backend.
    pub store: S,
    /// The source of "now" (tests drive it).
    pub clock: Arc<dyn Clock>,
    /// The metrics served at `/metrics`.
    pub metrics: Metrics,
    /// The region key rosters are signed with (`docs/security.md`); without one the server
    /// serves no roster and devices cannot seal.
    pub region: Option<Arc<safeshare_core::sync::RegionKeyPair>>,
}

type Shared<S> = State<Arc<AppState<S>>>;

/// Builds the router over `state` with the default limits.
pub fn router<S: Store>(state: Arc<AppState<S>>) -> Router {
    router_with(state, &crate::serve::ConnectionLimits::default())
}

/// Per-client-address limiter for enrolment (GCRA, governor).
type EnrolLimiter = governor::DefaultKeyedRateLimiter<std::net::IpAddr>;

/// Builds the router over `state`: a request unanswered after `limits.request_timeout` is
/// abandoned; enrolment is throttled per client address by `limits.enrol_*`.
pub fn router_with<S: Store>(
    state: Arc<AppState<S>>,
    limits: &crate::serve::ConnectionLimits,
) -> Router {
    finish(sync_routes(Arc::clone(&state), limits), state, limits)
}

/// The sync routes, without the shared fallbacks and tracking ([`finish`] adds them).
fn sync_routes<S: Store>(
    state: Arc<AppState<S>>,
    limits: &crate::serve::ConnectionLimits,
) -> Router {
    let burst = std::num::NonZeroU32::new(limits.enrol_burst).unwrap_or(std::num::NonZeroU32::MIN);
    let per_minute =
        std::num::NonZeroU32::new(limits.enrol_per_minute).unwrap_or(std::num::NonZeroU32::MIN);
    let limiter: Arc<EnrolLimiter> = Arc::new(governor::RateLimiter::keyed(
        governor::Quota::per_minute(per_minute).allow_burst(burst),
    ));
    sync_table::<S>()
        .into_iter()
        .fold(Router::new(), |router, (route, handler)| {
            router.route(route.path, handler)
        })
        .layer(axum::Extension(limiter))
        .with_state(state)
}

/// Whether a route authenticates its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone may call it (enrolment, health, metrics).
    Open,
    /// Its handler takes the [`Signed`] extractor.
    Signed,
}

/// One sync route as the router serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Its path ([`paths`]).
    pub path: &'static str,
    /// The one method it answers.
    pub method: Method,
    /// Whether it is signed.
    pub access: Access,
}

/// The sync routes and their handlers: the router is built from this table and nothing else,
/// so [`sync_route_list`] is the whole surface, and a test can hold every route marked signed
/// to refusing an unsigned request.
fn sync_table<S: Store>() -> Vec<(Route, MethodRouter<Arc<AppState<S>>>)> {
    let open = |path, method| Route {
        path,
        method,
        access: Access::Open,
    };
    let signed = |path, method| Route {
        path,
        method,
        access: Access::Signed,
    };
    vec![
        (open(paths::HEALTHZ, Method::GET), get(healthz::<S>)),
        (open(paths::METRICS, Method::GET), get(metrics::<S>)),
        (open(paths::ENROL, Method::POST), post(enrol::<S>)),
        (signed(paths::PUSH, Method::POST), post(push::<S>)),
        (signed(paths::PULL, Method::GET), get(pull::<S>)),
        (signed(paths::DEVICE, Method::GET), get(device::<S>)),
        (signed(paths::DIRECTORY, Method::GET), get(directory::<S>)),
        (
            signed(paths::ROSTER, Method::GET),
            get(crate::roster::get_roster::<S>),
        ),
        (
            signed(paths::ENCRYPTION_KEY, Method::POST),
            post(crate::roster::post_encryption_key::<S>),
        ),
    ]
}

/// Every sync route the router serves (the console's are not listed), as the table builds them.
pub fn sync_route_list<S: Store>() -> Vec<Route> {
    sync_table::<S>()
        .into_iter()
        .map(|(route, _)| route)
        .collect()
}

/// Adds the JSON 404/405 fallbacks and [`track`] (request timeout, metrics, the request log)
/// over every route of `routes` — so whatever was merged in before gets the same timeout.
fn finish<S: Store>(
    routes: Router,
    state: Arc<AppState<S>>,
    limits: &crate::serve::ConnectionLimits,
) -> Router {
    routes
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            (state, limits.request_timeout),
            track::<S>,
        ))
}

/// The sync server's router with the regional web console under `/console/` — the one place
/// the console joins the server. The console's routes are merged before the request timeout
/// and tracking are layered, so `limits.request_timeout` abandons a slow console request as it
/// does a sync one (the connection cap and header-read timeout apply on the listener,
/// [`crate::serve::serve_app`]). (Merged, not nested: a nest at `/console` would not match
/// `/console/` itself.)
pub fn router_with_console<S: crate::console::store::ConsoleStore>(
    state: Arc<AppState<S>>,
    console: Arc<crate::console::ConsoleState<S>>,
    limits: &crate::serve::ConnectionLimits,
) -> Router {
    let routes = sync_routes(Arc::clone(&state), limits).merge(crate::console::router(console));
    finish(routes, state, limits)
}

async fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such endpoint")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(ErrorCode::MethodNotAllowed, "method not allowed here")
}

/// Counts, times out and logs every request.
async fn track<S: Store>(
    State((state, request_timeout)): State<(Arc<AppState<S>>, Duration)>,
    request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = request.method().clone();
    let started = Instant::now();
    let response = match tokio::time::timeout(request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(ErrorCode::Timeout, "the request took too long").into_response(),
    };
    let mut response = response;
    // Every answer carries the server's clock, so a device corrects its offset at every sync
    // (times with clinical meaning on the phone come from it; docs/sync.md, "Clocks").
    let server_time = state
        .clock
        .now()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    if let Ok(value) = axum::http::HeaderValue::from_str(&server_time) {
        response.headers_mut().insert(
            axum::http::HeaderName::from_static(safeshare_core::sync::SERVER_TIME_HEADER),
            value,
        );
    }
    let status = response.status().as_u16();
    state.metrics.request(&route, status);
    tracing::info!(
        %method,
        route = %route,
        status,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}

/// The largest enrolment body: a code and a public key (and room for the device's encryption
/// key), far below a push.
pub const ENROL_BODY_LIMIT: usize = 16 * 1024;

/// The largest body of a signed `GET` (they have none; a little slack for odd clients).
pub const GET_BODY_LIMIT: usize = 1024;

/// A body over its limit by no more than this is still read to the end, so the client receives
/// the 413 answer instead of a reset connection; larger ones are cut off.
const DRAIN_SLACK: usize = 64 * 1024;

/// Reads the whole body, refusing more than `limit` bytes: a declared `Content-Length` over
/// the limit is refused before reading, and a body without one is cut off while streaming.
async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            ErrorCode::BodyTooLarge,
            format!("request body is larger than {limit} bytes"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let limit_u64 = u64::try_from(limit).unwrap_or(u64::MAX);
    if declared.is_some_and(|n| n > limit_u64) {
        return Err(too_large());
    }
    let bytes = axum::body::to_bytes(body, limit.saturating_add(DRAIN_SLACK))
        .await
        .map_err(|_| too_large())?;
    if bytes.len() > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

fn path_and_query(uri: &Uri) -> &str {
    uri.path_and_query().map(|p| p.as_str()).unwrap_or("/")
}

/// A request whose signature, timestamp and nonce checked out and whose body was read within
/// the route's limit. It is an extractor, and every route but enrolment, health and metrics
/// takes it (the route table, [`sync_route_list`], says which, and a test holds each to it), so
/// no handler can skip a check or take them in another order. It consumes the body, so it is
/// the handler's last argument.
pub(crate) struct Signed {
    pub(crate) device: DeviceRecord,
    pub(crate) bytes: Bytes,
    pub(crate) now: DateTime<Utc>,
    /// When the request reached the extractor, so a handler's timings include the checks.
    pub(crate) received: Instant,
}

impl<S: Store> FromRequest<Arc<AppState<S>>> for Signed {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &Arc<AppState<S>>) -> Result<Self, ApiError> {
        let received = Instant::now();
        let (parts, body) = request.into_parts();
        let now = state.clock.now();
        // Nothing of the body is read until the headers name a known device at a fresh time.
        let checked = check_headers(&state.store, &parts.headers, now).await?;
        let limit = if parts.method == Method::POST {
            MAX_BODY_BYTES
        } else {
            GET_BODY_LIMIT
        };
        let bytes = read_body(&parts.headers, body, limit).await?;
        let device = check_body(
            &state.store,
            checked,
            parts.method.as_str(),
            path_and_query(&parts.uri),
            &bytes,
            now,
        )
        .await?;
        Ok(Signed {
            device,
            bytes,
            now,
            received,
        })
    }
}

/// Refuses a retired device on a route it no longer needs (everything but push, roster and
/// encryption key): `403 device_retired`, so it learns to wipe once its outbox is empty and is
/// given nothing new meanwhile.
pub(crate) fn refuse_retired(device: &DeviceRecord) -> Result<(), ApiError> {
    if device.retired_at.is_some() {
        return Err(ApiError::new(
            ErrorCode::DeviceRetired,
            "this device was retired: push what is left, then wipe the local store and its key",
        ));
    }
    Ok(())
}

async fn healthz<S: Store>(State(state): Shared<S>) -> Response {
    let backend = state.store.backend().to_owned();
    match state.store.ping().await {
        Ok(()) => Json(Health {
            status: "ok".into(),
            storage: backend,
        })
        .into_response(),
        Err(err) => {
            tracing::error!(error = %err, "health check failed");
            ApiError::new(ErrorCode::Unavailable, "storage unavailable").into_response()
        }
    }
}

async fn metrics<S: Store>(State(state): Shared<S>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}

/// Addresses a per-address limiter (enrolment's here, the console's sign-in) holds before idle
/// ones are forgotten: the bound on its memory under a flood of new addresses.
pub(crate) const LIMITER_KEYS_BEFORE_PRUNE: usize = 10_000;

/// Whether a per-address limiter holding `keys` addresses is due a prune (governor's
/// `retain_recent`, which forgets only addresses whose state equals a fresh one: memory, never
/// a decision). One rule for both limiters, so its edge is pinned once, by a unit test.
pub(crate) fn limiter_due_prune(keys: usize) -> bool {
    keys > LIMITER_KEYS_BEFORE_PRUNE
}

/// Enrolment, throttled per client address (429 with `Retry-After` in whole seconds). A
/// refused enrolment is logged with the address and the reason, never the code.
async fn enrol<S: Store>(
    State(state): Shared<S>,
    axum::Extension(limiter): axum::Extension<Arc<EnrolLimiter>>,
    peer: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let ip = peer.map(|p| p.0 .0.ip());
    if let Some(ip) = ip {
        if limiter_due_prune(limiter.len()) {
            limiter.retain_recent();
        }
        if let Err(not_until) = limiter.check_key(&ip) {
            use governor::clock::Clock as _;
            let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now());
            let secs = wait
                .as_secs()
                .saturating_add(u64::from(wait.subsec_nanos() > 0))
                .max(1);
            tracing::warn!(%ip, reason = "throttled", "enrolment refused");
            let mut response = ApiError::new(
                ErrorCode::TooManyRequests,
                format!("too many enrolment attempts from this address; retry in {secs} s"),
            )
            .into_response();
            if let Ok(value) = header::HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return response;
        }
    }
    match enrol_checked(&state, &headers, body).await {
        Ok(info) => Json(info).into_response(),
        Err(err) => {
            let addr = ip
                .map(|i| i.to_string())
                .unwrap_or_else(|| "unknown".into());
            tracing::warn!(ip = %addr, reason = ?err.code, "enrolment refused");
            err.into_response()
        }
    }
}

async fn enrol_checked<S: Store>(
    state: &AppState<S>,
    headers: &HeaderMap,
    body: Body,
) -> Result<DeviceInfo, ApiError> {
    let bytes = read_body(headers, body, ENROL_BODY_LIMIT).await?;
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|_| ApiError::new(ErrorCode::MalformedJson, "the body is not JSON"))?;
    let request: EnrolRequest = serde_json::from_value(value).map_err(|e| {
        if e.to_string().contains("public key") {
            ApiError::new(
                ErrorCode::BadPublicKey,
                "public_key must be 32 bytes of base64url (Ed25519)",
            )
        } else {
            ApiError::new(
                ErrorCode::MalformedJson,
                "expected {\"code\": string, \"public_key\": string}",
            )
        }
    })?;
    let now = state.clock.now();
    let device = DeviceId::new();
    let record = state
        .store
        .redeem_enrolment_code(
            crate::enrolment::code_hash(&request.code),
            device,
            request.public_key,
            now,
        )
        .await?
        .map_err(|refusal| match refusal {
            EnrolmentRefusal::Unknown => {
                ApiError::new(ErrorCode::EnrolmentCodeUnknown, "no such enrolment code")
            }
            EnrolmentRefusal::Used => ApiError::new(
                ErrorCode::EnrolmentCodeUsed,
                "this enrolment code was already used",
            ),
            EnrolmentRefusal::Expired => ApiError::new(
                ErrorCode::EnrolmentCodeExpired,
                "this enrolment code has expired",
            ),
            // Same answer as expired: the practitioner's next step is the same (ask for a
            // new code), and the device needs no new code to act on it.
            EnrolmentRefusal::Revoked => ApiError::new(
                ErrorCode::EnrolmentCodeExpired,
                "this enrolment code was withdrawn; ask for a new one",
            ),
        })?;
    tracing::info!(device = %record.id, teams = record.teams.len(), "device enrolled");
    Ok(DeviceInfo {
        device_id: record.id,
        practitioner_id: record.practitioner,
        teams: record.teams,
        server_time: now,
        region_key: state.region.as_ref().map(|r| r.public_key()),
    })
}

#[derive(serde::Deserialize)]
struct RawPush {
    envelopes: Vec<serde_json::Value>,
}

async fn push<S: Store>(
    State(state): Shared<S>,
    Signed {
        device,
        bytes,
        now,
        received: started,
    }: Signed,
) -> Result<Json<PushResponse>, ApiError> {
    let raw: RawPush = serde_json::from_slice(&bytes).map_err(|_| {
        ApiError::new(
            ErrorCode::MalformedJson,
            "expected {\"envelopes\": [ ... ]}",
        )
    })?;
    if raw.envelopes.len() > MAX_BATCH_ENVELOPES {
        return Err(ApiError::new(
            ErrorCode::BatchTooLarge,
            format!(
                "{} envelopes in one push; at most {MAX_BATCH_ENVELOPES}",
                raw.envelopes.len()
            ),
        ));
    }
    let results = push_batch(&state.store, &device, raw.envelopes, now).await?;
    let mut counts = [0u64; 4];
    for r in &results {
        let which = match r.outcome {
            EnvelopeOutcome::Accepted { .. } => EnvelopeMetric::Accepted,
            EnvelopeOutcome::Duplicate { .. } => EnvelopeMetric::Duplicate,
            EnvelopeOutcome::Conflict { .. } => EnvelopeMetric::Conflict,
            EnvelopeOutcome::Rejected { .. } => EnvelopeMetric::Rejected,
        };
        counts[which as usize] += 1;
    }
    for (which, n) in [
        EnvelopeMetric::Accepted,
        EnvelopeMetric::Duplicate,
        EnvelopeMetric::Conflict,
        EnvelopeMetric::Rejected,
    ]
    .into_iter()
    .zip(counts)
    {
        state.metrics.envelopes(which, n);
    }
    state.metrics.push_latency(started.elapsed());
    tracing::info!(
        device = %device.id,
        accepted = counts[0],
        duplicate = counts[1],
        conflict = counts[2],
        rejected = counts[3],
        "push"
    );
    Ok(Json(PushResponse { results }))
}

async fn pull<S: Store>(
    State(state): Shared<S>,
    uri: Uri,
    Signed { device, .. }: Signed,
) -> Result<Json<PullResponse>, ApiError> {
    refuse_retired(&device)?;
    let Query(query) = Query::<PullQuery>::try_from_uri(&uri).map_err(|_| {
        ApiError::new(
            ErrorCode::MalformedRequest,
            "query must be after=N[&after_id=ID][&limit=N][&directory_after=N][&team=ID]",
        )
    })?;
    // The position is checked before anything is read for the device: after a restore from
    // a backup the same number may name another envelope, and answering from it would skip
    // whatever the device has not seen (docs/protocol.md, "Pull").
    if let (Some(id), true) = (query.after_id, query.after > 0) {
        if let Err(unknown) = state.store.holds_at(query.after, id.to_string()).await? {
            tracing::warn!(device = %device.id, "pull position unknown to this server");
            return Err(unknown.into());
        }
    }
    let teams = match query.team {
        Some(team) if device.teams.contains(&team) => vec![team],
        Some(_) => {
            return Err(ApiError::new(
                ErrorCode::TeamNotMember,
                "your practitioner is not a member of that team",
            ))
        }
        None => device.teams.clone(),
    };
    let limit = query
        .limit
        .unwrap_or(DEFAULT_PULL_LIMIT)
        .clamp(1, MAX_PULL_LIMIT);
    let mut rows = state
        .store
        .pull(teams, device.practitioner, query.after, limit + 1)
        .await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let mut envelopes = Vec::with_capacity(rows.len());
    for row in rows {
        let envelope = serde_json::from_str(&row.json).map_err(|_| {
            tracing::error!(seq = row.seq, "stored envelope unreadable");
            ApiError::new(ErrorCode::Internal, "a stored envelope is unreadable")
        })?;
        envelopes.push(PulledEnvelope {
            seq: row.seq,
            envelope,
        });
    }
    let next_after = envelopes.last().map(|e| e.seq).unwrap_or(query.after);
    let held = query.directory_after.unwrap_or(0);
    let directory = state
        .store
        .latest_directory()
        .await?
        .filter(|d| d.version > held);
    tracing::info!(device = %device.id, returned = envelopes.len(), more, "pull");
    Ok(Json(PullResponse {
        envelopes,
        next_after,
        more,
        directory,
    }))
}

async fn device<S: Store>(
    State(state): Shared<S>,
    Signed { device, now, .. }: Signed,
) -> Result<Json<DeviceInfo>, ApiError> {
    refuse_retired(&device)?;
    Ok(Json(DeviceInfo {
        device_id: device.id,
        practitioner_id: device.practitioner,
        teams: device.teams,
        server_time: now,
        region_key: state.region.as_ref().map(|r| r.public_key()),
    }))
}

async fn directory<S: Store>(
    State(state): Shared<S>,
    Signed { device, .. }: Signed,
) -> Result<Json<DirectoryVersion>, ApiError> {
    refuse_retired(&device)?;
    state
        .store
        .latest_directory()
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no directory has been imported yet"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A limiter is pruned once it holds more than 10 000 addresses, and at every size beyond:
    /// were pruning to stop past some size, every new address would add to its memory for good.
    #[test]
    fn a_limiter_is_pruned_once_it_holds_more_than_ten_thousand_addresses() {
        assert_eq!(LIMITER_KEYS_BEFORE_PRUNE, 10_000);
        assert!(!limiter_due_prune(0));
        assert!(!limiter_due_prune(10_000));
        assert!(limiter_due_prune(10_001));
        assert!(limiter_due_prune(20_000));
        assert!(limiter_due_prune(usize::MAX));
    }
}

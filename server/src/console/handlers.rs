//! The console's routes and what each does. Every handler takes the same first steps, in this
//! order: find the session ([`signed_in`]), check the role the page needs ([`gate`]; for an
//! action [`gate_action`], which audits a refusal), and for a POST check the CSRF token and
//! `Sec-Fetch-Site` ([`csrf`]) before reading anything else of the form. Only then
//! does it read storage or act; every action is then written to the audit.
//!
//! A POST's body is read only after the session and role are checked (as the sync routes
//! authenticate before reading a body), and only up to a limit: [`FORM_LIMIT`] for a form,
//! [`DIRECTORY_FILE_LIMIT`] for a directory file; more is answered 413 and nothing is done.

use super::auth::{self, Role, Session};
use super::store::{AuditRow, ConsoleStore, OpenItem};
use super::views::{self, DirectoryRow, ImportProblem, OverdueFilters, ShownCode, TeamGroup};
use super::{oidc, ConsoleState, Draft};
use crate::storage::{
    AdminAction, CodeOrigin, CodeRevocation, CorruptRow, StoreError, UnknownDevice,
};
use axum::body::{Body, Bytes};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use maud::Markup;
use safeshare_core::directory::Directory;
use safeshare_core::model::{DeviceId, PractitionerId, TeamId};
use safeshare_core::rules::calendar::{Calendar, LONDON};
use safeshare_core::sync::EnvelopeKind;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

type St<S> = State<Arc<ConsoleState<S>>>;

/// The pre-session cookie the link confirmation form is bound to.
const PRE_COOKIE: &str = "safeshare_console_pre";
/// Drafts older than this are dropped.
const DRAFT_TTL: Duration = Duration::minutes(30);
/// "Due soon" horizon.
const DUE_SOON: Duration = Duration::hours(24);
/// Audit rows shown.
const AUDIT_ROWS: u32 = 200;
/// Days in the overdue chart (8 weeks).
const CHART_DAYS: i64 = 56;
/// The largest urlencoded form body (a CSRF token, a practitioner and a few team ids need well
/// under 1 KiB; room for a code for every team of a region).
pub const FORM_LIMIT: usize = 16 * 1024;
/// The largest directory upload (multipart): a region's JSON Lines file is tens of KiB; this
/// leaves room for a large one while bounding what a signed-in editor can make the server hold.
/// A bigger file is imported with the admin CLI (`import-directory`).
pub const DIRECTORY_FILE_LIMIT: usize = 4 * 1024 * 1024;

/// Every console route, each under `/console/` (merged into the server's router).
pub fn routes<S: ConsoleStore>(state: Arc<ConsoleState<S>>) -> Router {
    Router::new()
        .route("/console/", get(home::<S>))
        .route("/console/assets/{*path}", get(asset))
        .route(
            "/console/link/{token}",
            get(link_page::<S>).post(link_redeem::<S>),
        )
        .route("/console/sign-out", post(sign_out::<S>))
        .route("/console/oidc/start", get(oidc_start::<S>))
        .route("/console/oidc/callback", get(oidc_callback::<S>))
        .route("/console/overdue", get(overdue::<S>))
        .route("/console/devices", get(devices::<S>))
        .route("/console/devices/{id}/revoke", post(revoke::<S>))
        .route("/console/devices/{id}/retire", post(retire::<S>))
        .route("/console/codes", get(codes::<S>).post(issue_code::<S>))
        .route("/console/codes/{id}/revoke", post(revoke_code::<S>))
        .route("/console/directory", get(directory::<S>))
        .route(
            "/console/directory/import",
            post(import::<S>).layer(axum::extract::DefaultBodyLimit::max(DIRECTORY_FILE_LIMIT)),
        )
        .route("/console/directory/publish", post(publish::<S>))
        .route("/console/audit", get(audit::<S>))
        .route("/console", get(|| async { see_other("/console/") }))
        .route("/console/{*rest}", axum::routing::any(not_found))
        .with_state(state)
}

/// Why a console request was not served.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    /// No live session: go to the sign-in page.
    #[error("not signed in")]
    NotSignedIn,
    /// The session lacks the page's role.
    #[error("forbidden")]
    Forbidden(Option<Session>),
    /// A POST without a valid CSRF token.
    #[error("CSRF check failed")]
    Csrf,
    /// The request was malformed.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The body was over its limit ([`FORM_LIMIT`], [`DIRECTORY_FILE_LIMIT`]).
    #[error("body too large")]
    TooLarge,
    /// Too many sign-in attempts from this client address ([`super::SIGN_IN_BURST`]).
    #[error("too many sign-in attempts")]
    Throttled,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Sign-in machinery failed.
    #[error(transparent)]
    Auth(#[from] auth::AuthError),
    /// An enrolment code could not be drawn as a QR code (a server fault: codes are short).
    #[error("QR code: {0}")]
    Qr(#[from] qrcode::types::QrError),
}

fn page(status: StatusCode, markup: Markup) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        markup.into_string(),
    )
        .into_response()
}

impl IntoResponse for ConsoleError {
    fn into_response(self) -> Response {
        match self {
            ConsoleError::NotSignedIn => see_other("/console/"),
            ConsoleError::Forbidden(session) => page(
                StatusCode::FORBIDDEN,
                views::message(
                    "You cannot use this page",
                    session.as_ref(),
                    "Your role does not include this page. Ask your organisation if you need it.",
                ),
            ),
            ConsoleError::Csrf => page(
                StatusCode::FORBIDDEN,
                views::message(
                    "The form has expired",
                    None,
                    "The form could not be checked, so nothing was done. Go back, reload the page and try again.",
                ),
            ),
            ConsoleError::Throttled => {
                let mut response = page(
                    StatusCode::TOO_MANY_REQUESTS,
                    views::message(
                        "Too many sign-in attempts",
                        None,
                        "Too many sign-in attempts came from your network. Wait a minute and try again.",
                    ),
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
                response
            }
            ConsoleError::TooLarge => page(
                StatusCode::PAYLOAD_TOO_LARGE,
                views::message(
                    "The form is too large",
                    None,
                    "Nothing was done. A directory file over 4 MB must be imported with the admin command line.",
                ),
            ),
            ConsoleError::BadRequest(why) => page(
                StatusCode::BAD_REQUEST,
                views::message("The request could not be read", None, &why),
            ),
            ConsoleError::Store(err) => {
                tracing::error!(error = %err, "console storage failed");
                page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    views::message("Sorry, there is a problem", None, "Try again later."),
                )
            }
            ConsoleError::Auth(err) => {
                tracing::error!(error = %err, "console sign-in failed");
                page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    views::message("Sorry, there is a problem", None, "Try again later."),
                )
            }
            ConsoleError::Qr(err) => {
                // The error names the QR fault (e.g. data too long), never the code's text.
                tracing::error!(error = %err, "console QR code failed");
                page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    views::message("Sorry, there is a problem", None, "Try again later."),
                )
            }
        }
    }
}

type Page = Result<Response, ConsoleError>;

fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response()
}

fn now<S: ConsoleStore>(state: &ConsoleState<S>) -> DateTime<Utc> {
    state.app.clock.now()
}

/// The live session, or [`ConsoleError::NotSignedIn`].
async fn signed_in<S: ConsoleStore>(
    state: &ConsoleState<S>,
    headers: &HeaderMap,
) -> Result<Session, ConsoleError> {
    auth::current_session(&state.app.store, headers, now(state))
        .await?
        .ok_or(ConsoleError::NotSignedIn)
}

/// The session, if it holds `role`.
async fn gate<S: ConsoleStore>(
    state: &ConsoleState<S>,
    headers: &HeaderMap,
    role: Role,
) -> Result<Session, ConsoleError> {
    let session = signed_in(state, headers).await?;
    match auth::require(&session, role) {
        Ok(()) => Ok(session),
        Err(auth::Forbidden) => Err(ConsoleError::Forbidden(Some(session))),
    }
}

/// The session, if it holds `role`, for an action (a POST): a refusal is audited as
/// `console_action_forbidden` with `what` (a person probing for a wider role is what an
/// assurance review looks for); nothing else happens. Pages use [`gate`], unaudited.
async fn gate_action<S: ConsoleStore>(
    state: &ConsoleState<S>,
    headers: &HeaderMap,
    role: Role,
    what: &str,
) -> Result<Session, ConsoleError> {
    match gate(state, headers, role).await {
        Err(ConsoleError::Forbidden(Some(session))) => {
            record(
                state,
                &session.actor,
                AdminAction::ConsoleActionForbidden,
                what,
            )
            .await?;
            Err(ConsoleError::Forbidden(Some(session)))
        }
        other => other,
    }
}

/// Whether the browser says the request was started by another site (`Sec-Fetch-Site`,
/// sent by every current browser). `same-site` counts: a sibling host of the same registrable
/// domain gets SameSite=Strict cookies sent, so it is the case SameSite does not cover. A
/// client that sends no such header (curl, an old browser) still needs the token.
fn cross_site(headers: &HeaderMap) -> bool {
    headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.eq_ignore_ascii_case("cross-site") || v.eq_ignore_ascii_case("same-site")
        })
}

/// Checks a POST's origin and CSRF token; a failure is audited and nothing else happens.
async fn csrf<S: ConsoleStore>(
    state: &ConsoleState<S>,
    session: &Session,
    headers: &HeaderMap,
    token: Option<&str>,
) -> Result<(), ConsoleError> {
    if !cross_site(headers) && token.is_some_and(|t| session.csrf_ok(t)) {
        return Ok(());
    }
    record(state, &session.actor, AdminAction::ConsoleCsrfRefused, "").await?;
    Err(ConsoleError::Csrf)
}

/// Appends a console event to the admin audit (the one audit of the CLI and the console).
async fn record<S: ConsoleStore>(
    state: &ConsoleState<S>,
    actor: &str,
    action: AdminAction,
    object: &str,
) -> Result<(), ConsoleError> {
    state
        .app
        .store
        .append_admin_audit(action, object.to_owned(), actor.to_owned(), now(state))
        .await?;
    Ok(())
}

/// The client's address, as the listener recorded it.
type Peer = Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>;

/// Counts a sign-in attempt from `peer`; over [`super::SIGN_IN_BURST`] it is refused before
/// any work or audit.
fn sign_in_allowed<S: ConsoleStore>(
    state: &ConsoleState<S>,
    peer: &Peer,
) -> Result<(), ConsoleError> {
    allowed_by(&state.sign_in_limiter, peer)
}

/// Counts an attempt from `peer` against `limiter`; over its burst it is refused before any
/// work or audit.
fn allowed_by(limiter: &super::SignInLimiter, peer: &Peer) -> Result<(), ConsoleError> {
    let Some(axum::Extension(axum::extract::ConnectInfo(addr))) = peer else {
        return Ok(());
    };
    if crate::http::limiter_due_prune(limiter.len()) {
        limiter.retain_recent();
    }
    if limiter.check_key(&addr.ip()).is_err() {
        tracing::warn!(ip = %addr.ip(), "console sign-in attempts throttled");
        return Err(ConsoleError::Throttled);
    }
    Ok(())
}

/// Reads a urlencoded form body of at most [`FORM_LIMIT`] bytes (call only after the session
/// and role checks): its fields, repeated names kept.
async fn read_form(body: Body) -> Result<Vec<(String, String)>, ConsoleError> {
    // A declared length over the limit is refused on the headers, not waited for.
    if declared_over(axum::body::HttpBody::size_hint(&body).lower(), FORM_LIMIT) {
        return Err(ConsoleError::TooLarge);
    }
    let bytes = axum::body::to_bytes(body, FORM_LIMIT)
        .await
        .map_err(|_| ConsoleError::TooLarge)?;
    Ok(form_fields(&bytes))
}

/// Whether a body of at least `declared` bytes is over `limit`.
fn declared_over(declared: u64, limit: usize) -> bool {
    usize::try_from(declared).map_or(true, |d| d > limit)
}

/// A urlencoded form's fields, repeated names kept.
fn form_fields(body: &Bytes) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn cookie_header(
    name: &str,
    value: &str,
    path: &str,
    max_age: i64,
    secure: bool,
    lax: bool,
) -> HeaderValue {
    let text = format!(
        "{name}={value}; HttpOnly; SameSite={}; Path={path}; Max-Age={max_age}{}",
        if lax { "Lax" } else { "Strict" },
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

async fn home<S: ConsoleStore>(State(state): St<S>, headers: HeaderMap) -> Page {
    match auth::current_session(&state.app.store, &headers, now(&state)).await? {
        Some(session) => {
            let first = views::PAGES
                .iter()
                .find(|(_, _, role)| session.has(*role))
                .map(|(path, _, _)| format!("/console/{path}"))
                .unwrap_or_else(|| "/console/audit".to_owned());
            Ok(see_other(&first))
        }
        None => Ok(page(StatusCode::OK, views::sign_in(state.oidc.is_some()))),
    }
}

async fn asset(Path(path): Path<String>) -> Response {
    match super::asset(&path) {
        Some((kind, bytes)) => (
            [
                (header::CONTENT_TYPE, kind),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

async fn not_found(headers: HeaderMap) -> Response {
    let _ = headers;
    page(
        StatusCode::NOT_FOUND,
        views::message(
            "Page not found",
            None,
            "There is no console page at this address.",
        ),
    )
}

fn link_refused() -> Response {
    page(
        StatusCode::FORBIDDEN,
        views::message(
            "This sign-in link does not work",
            None,
            "The link has been used, has expired (links work for 10 minutes) or was never issued. Ask for a new one.",
        ),
    )
}

async fn link_page<S: ConsoleStore>(State(state): St<S>, Path(token): Path<String>) -> Page {
    if !auth::token_well_formed(&token) {
        return Ok(link_refused());
    }
    let usable = state
        .app
        .store
        .link_usable(auth::token_hash(&token), now(&state))
        .await?;
    let Ok(roles) = usable else {
        return Ok(link_refused());
    };
    let roles: Vec<&str> = auth::roles_from_string(&roles)
        .into_iter()
        .map(Role::label)
        .collect();
    let pre = auth::random_token()?;
    let csrf = auth::csrf_for(&state.pre_key, &pre);
    let mut response = page(
        StatusCode::OK,
        views::link_confirm(&token, &csrf, &roles.join(", ")),
    );
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(
            PRE_COOKIE,
            &pre,
            "/console/link/",
            600,
            state.config.secure_cookies,
            false,
        ),
    );
    Ok(response)
}

async fn link_redeem<S: ConsoleStore>(
    State(state): St<S>,
    Path(token): Path<String>,
    peer: Peer,
    headers: HeaderMap,
    body: Body,
) -> Page {
    sign_in_allowed(&state, &peer)?;
    let fields = read_form(body).await?;
    let pre = auth::cookie(&headers, PRE_COOKIE).filter(|p| auth::token_well_formed(p));
    let csrf_ok = match (pre, field(&fields, "csrf")) {
        (Some(pre), Some(given)) => {
            !cross_site(&headers) && auth::csrf_verify(&state.pre_key, &pre, given)
        }
        _ => false,
    };
    if !csrf_ok {
        record(
            &state,
            "anonymous",
            AdminAction::ConsoleCsrfRefused,
            "sign-in link",
        )
        .await?;
        return Err(ConsoleError::Csrf);
    }
    if !auth::token_well_formed(&token) {
        return Ok(link_refused());
    }
    let hash = auth::token_hash(&token);
    let at = now(&state);
    let roles = match state.app.store.link_redeem(hash.clone(), at).await? {
        Ok(roles) => auth::roles_from_string(&roles),
        Err(refusal) => {
            let why = format!("{refusal:?}").to_lowercase();
            record(&state, "anonymous", AdminAction::ConsoleSignInRefused, &why).await?;
            return Ok(link_refused());
        }
    };
    // The actor is named by a prefix of the link's hash: enough to tell links apart in the
    // audit, useless for signing in.
    let actor = format!("link:{}", &hash[..12]);
    let id = auth::start_session(&state.app.store, &roles, actor.clone(), at).await?;
    record(
        &state,
        &actor,
        AdminAction::ConsoleSignIn,
        &auth::roles_to_string(&roles),
    )
    .await?;
    let mut response = see_other("/console/");
    set_session_cookie(&mut response, &id, state.config.secure_cookies);
    Ok(response)
}

fn set_session_cookie(response: &mut Response, id: &str, secure: bool) {
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(
            auth::SESSION_COOKIE,
            id,
            "/console/",
            auth::SESSION_TTL.num_seconds(),
            secure,
            false,
        ),
    );
}

async fn sign_out<S: ConsoleStore>(State(state): St<S>, headers: HeaderMap, body: Body) -> Page {
    let session = signed_in(&state, &headers).await?;
    let fields = read_form(body).await?;
    csrf(&state, &session, &headers, field(&fields, "csrf")).await?;
    state.app.store.session_end(session.hash.clone()).await?;
    record(&state, &session.actor, AdminAction::ConsoleSignOut, "").await?;
    let mut response = page(
        StatusCode::OK,
        views::message("You have signed out", None, "You can close this window."),
    );
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(
            auth::SESSION_COOKIE,
            "",
            "/console/",
            0,
            state.config.secure_cookies,
            false,
        ),
    );
    Ok(response)
}

async fn oidc_start<S: ConsoleStore>(State(state): St<S>, peer: Peer) -> Page {
    let Some(provider) = state.oidc.as_ref() else {
        return Ok(not_found(HeaderMap::new()).await);
    };
    // A start keeps server-side state for ten minutes, so it is throttled like a sign-in
    // attempt, on its own limiter so that starting does not halve the callbacks' budget.
    allowed_by(&state.oidc_start_limiter, &peer)?;
    let key = auth::random_token()?;
    let url = match provider.start(key.clone(), now(&state)) {
        Ok(url) => url,
        Err(err) => {
            tracing::warn!(error = %err, "OpenID Connect sign-in not started");
            return Err(ConsoleError::Throttled);
        }
    };
    let mut response = see_other(&url);
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(
            oidc::FLOW_COOKIE,
            &key,
            "/console/oidc/",
            oidc::FLOW_TTL.num_seconds(),
            state.config.secure_cookies,
            // Lax: the provider sends the browser back with a cross-site top-level GET.
            true,
        ),
    );
    Ok(response)
}

async fn oidc_callback<S: ConsoleStore>(
    State(state): St<S>,
    peer: Peer,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Page {
    let Some(provider) = state.oidc.as_ref() else {
        return Ok(not_found(HeaderMap::new()).await);
    };
    sign_in_allowed(&state, &peer)?;
    let key = auth::cookie(&headers, oidc::FLOW_COOKIE).unwrap_or_default();
    let (Some(code), Some(returned_state)) = (query.get("code"), query.get("state")) else {
        record(
            &state,
            "anonymous",
            AdminAction::ConsoleSignInRefused,
            "no code",
        )
        .await?;
        return Ok(oidc_refused());
    };
    let at = now(&state);
    match provider
        .finish(&key, returned_state, code.clone(), at)
        .await
    {
        Ok(signed) => {
            let actor = format!("oidc:{}", signed.subject);
            let id =
                auth::start_session(&state.app.store, &signed.roles, actor.clone(), at).await?;
            record(
                &state,
                &actor,
                AdminAction::ConsoleSignIn,
                &auth::roles_to_string(&signed.roles),
            )
            .await?;
            // A page, not a redirect: the browser arrived here cross-site, so a SameSite=Strict
            // cookie set now is only sent on the next same-site navigation (this page's link).
            let mut response = page(StatusCode::OK, views::signed_in_continue());
            set_session_cookie(&mut response, &id, state.config.secure_cookies);
            Ok(response)
        }
        Err(err) => {
            tracing::warn!(error = %err, "OpenID Connect sign-in refused");
            let why = match err {
                oidc::OidcError::NoRole => "no role",
                oidc::OidcError::NoFlow => "no flow",
                // Named one by one so a new way to fail is placed here, not swept into "refused".
                oidc::OidcError::Refused(_)
                | oidc::OidcError::Busy
                | oidc::OidcError::HttpClient(_)
                | oidc::OidcError::Config { .. }
                | oidc::OidcError::Discovery { .. } => "refused",
            };
            record(&state, "anonymous", AdminAction::ConsoleSignInRefused, why).await?;
            Ok(oidc_refused())
        }
    }
}

fn oidc_refused() -> Response {
    page(
        StatusCode::FORBIDDEN,
        views::message(
            "Sign-in did not complete",
            None,
            "Your organisation's sign-in did not give you a console role, or the sign-in took too long. Try again, or ask your organisation for the role you need.",
        ),
    )
}

/// The latest published directory, if any (its document is checked again on reading).
async fn latest_directory<S: ConsoleStore>(
    state: &ConsoleState<S>,
) -> Result<Option<(u64, DateTime<Utc>, Directory)>, ConsoleError> {
    let Some(stored) = state.app.store.latest_directory().await? else {
        return Ok(None);
    };
    let directory: Directory = serde_json::from_value(stored.document)
        .map_err(|e| StoreError::Corrupt(CorruptRow::DirectoryDocument(e.into())))?;
    Ok(Some((stored.version, stored.imported_at, directory)))
}

fn team_heading(directory: Option<&Directory>, team: &TeamId) -> String {
    directory
        .and_then(|d| d.team(*team))
        .map(|t| {
            let org = directory
                .and_then(|d| d.organisation(t.organisation))
                .map(|o| o.name.clone())
                .unwrap_or_default();
            if org.is_empty() {
                t.name.clone()
            } else {
                format!("{org} – {}", t.name)
            }
        })
        .unwrap_or_else(|| format!("Team {team} (not in the directory)"))
}

/// Groups items under each team they are addressed to (filtered), most overdue first.
fn group_by_team(
    items: &[OpenItem],
    directory: Option<&Directory>,
    team_filter: Option<TeamId>,
) -> Vec<TeamGroup> {
    let mut groups: Vec<(TeamId, Vec<OpenItem>)> = Vec::new();
    for item in items {
        for team in &item.audience {
            if team_filter.is_some_and(|f| f != *team) {
                continue;
            }
            match groups.iter_mut().find(|(t, _)| t == team) {
                Some((_, list)) => list.push(item.clone()),
                None => groups.push((*team, vec![item.clone()])),
            }
        }
    }
    for (_, list) in &mut groups {
        list.sort_by_key(|i| i.due_at);
    }
    let mut out: Vec<TeamGroup> = groups
        .into_iter()
        .map(|(team, items)| TeamGroup {
            heading: team_heading(directory, &team),
            items,
        })
        .collect();
    // The group with the most overdue item first; then by name.
    out.sort_by(|a, b| {
        let ad = a.items.first().map(|i| i.due_at);
        let bd = b.items.first().map(|i| i.due_at);
        ad.cmp(&bd).then_with(|| a.heading.cmp(&b.heading))
    });
    out
}

/// Items overdue at the end of each of the last [`CHART_DAYS`] London days (today up to now).
pub fn overdue_per_day(
    spans: &[super::store::DueSpan],
    now: DateTime<Utc>,
) -> Vec<(NaiveDate, u32)> {
    let today = now.with_timezone(&LONDON).date_naive();
    (0..CHART_DAYS)
        .rev()
        .filter_map(|back| today.checked_sub_signed(Duration::days(back)))
        .map(|day| {
            let end = day
                .succ_opt()
                .and_then(|next| next.and_hms_opt(0, 0, 0))
                .and_then(|midnight| LONDON.from_local_datetime(&midnight).earliest())
                .map(|t| t.with_timezone(&Utc).min(now))
                .unwrap_or(now);
            let n = spans
                .iter()
                .filter(|s| s.due_at <= end && s.answered_at.is_none_or(|a| a > end))
                .count();
            (day, u32::try_from(n).unwrap_or(u32::MAX))
        })
        .collect()
}

async fn overdue<S: ConsoleStore>(
    State(state): St<S>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Page {
    let session = gate(&state, &headers, Role::Assurance).await?;
    let at = now(&state);
    let directory = latest_directory(&state).await?;
    let dir = directory.as_ref().map(|(_, _, d)| d);
    // Unknown filter values are ignored (shown as "All"), never an error page.
    let team_filter: Option<TeamId> = query.get("team").and_then(|t| t.parse().ok());
    let kind_filter = query
        .get("kind")
        .and_then(|k| EnvelopeKind::from_wire(k))
        .filter(|k| matches!(k, EnvelopeKind::Share | EnvelopeKind::Referral));
    let severity_filter = query
        .get("severity")
        .and_then(|s| crate::storage::severity_from_name(s).ok());
    let items: Vec<OpenItem> = state
        .app
        .store
        .open_items(at + DUE_SOON)
        .await?
        .into_iter()
        .filter(|i| kind_filter.is_none_or(|k| i.kind == k))
        .filter(|i| severity_filter.is_none_or(|s| i.severity == Some(s)))
        .collect();
    let (late, soon): (Vec<OpenItem>, Vec<OpenItem>) =
        items.into_iter().partition(|i| i.due_at <= at);
    let spans = state
        .app
        .store
        .due_spans(at - Duration::days(CHART_DAYS), at)
        .await?;
    let chart = overdue_per_day(&spans, at);
    let teams: Vec<(String, String)> = dir
        .map(|d| {
            let mut t: Vec<(String, String)> = d
                .teams()
                .map(|t| (t.id.to_string(), team_heading(Some(d), &t.id)))
                .collect();
            t.sort_by(|a, b| a.1.cmp(&b.1));
            t
        })
        .unwrap_or_default();
    let filters = OverdueFilters {
        teams,
        team: team_filter.map(|t| t.to_string()).unwrap_or_default(),
        kind: kind_filter
            .map(|k| k.as_str().to_owned())
            .unwrap_or_default(),
        severity: severity_filter
            .map(|s| crate::storage::severity_name(s).to_owned())
            .unwrap_or_default(),
    };
    let body = views::overdue(
        at,
        &filters,
        &group_by_team(&late, dir, team_filter),
        &group_by_team(&soon, dir, team_filter),
        &chart,
    );
    Ok(page(
        StatusCode::OK,
        views::layout("Overdue and due soon", Some(&session), "overdue", body),
    ))
}

async fn devices<S: ConsoleStore>(State(state): St<S>, headers: HeaderMap) -> Page {
    let session = gate(&state, &headers, Role::DeviceAdmin).await?;
    let list = state.app.store.devices_list().await?;
    let directory = latest_directory(&state).await?;
    let dir = directory.as_ref().map(|(_, _, d)| d);
    let name = |id: &str| -> String {
        id.parse::<TeamId>()
            .ok()
            .and_then(|t| dir.and_then(|d| d.team(t)).map(|t| t.name.clone()))
            .unwrap_or_else(|| id.to_owned())
    };
    let body = views::devices(&session, &list, &name);
    Ok(page(
        StatusCode::OK,
        views::layout("Devices", Some(&session), "devices", body),
    ))
}

async fn revoke<S: ConsoleStore>(
    State(state): St<S>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Page {
    let session = gate_action(&state, &headers, Role::DeviceAdmin, "devices/revoke").await?;
    let fields = read_form(body).await?;
    csrf(&state, &session, &headers, field(&fields, "csrf")).await?;
    let device: DeviceId = id
        .parse()
        .map_err(|_| ConsoleError::BadRequest("That is not a device id.".into()))?;
    // Revoked and written to the admin audit together (crate::admin).
    if let Err(UnknownDevice(_)) =
        crate::admin::revoke_device(&state.app.store, device, now(&state), &session.actor).await?
    {
        return Err(ConsoleError::BadRequest("No such device.".into()));
    }
    Ok(see_other("/console/devices"))
}

async fn retire<S: ConsoleStore>(
    State(state): St<S>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Page {
    let session = gate_action(&state, &headers, Role::DeviceAdmin, "devices/retire").await?;
    let fields = read_form(body).await?;
    csrf(&state, &session, &headers, field(&fields, "csrf")).await?;
    let device: DeviceId = id
        .parse()
        .map_err(|_| ConsoleError::BadRequest("That is not a device id.".into()))?;
    // Retired and written to the admin audit together (crate::admin).
    if let Err(UnknownDevice(_)) =
        crate::admin::retire_device(&state.app.store, device, now(&state), &session.actor).await?
    {
        return Err(ConsoleError::BadRequest("No such device.".into()));
    }
    Ok(see_other("/console/devices"))
}

async fn team_choices<S: ConsoleStore>(
    state: &ConsoleState<S>,
) -> Result<Vec<(String, String)>, ConsoleError> {
    let directory = latest_directory(state).await?;
    let dir = directory.as_ref().map(|(_, _, d)| d);
    let mut teams: Vec<(String, String)> = dir
        .map(|d| {
            d.teams()
                .map(|t| (t.id.to_string(), team_heading(Some(d), &t.id)))
                .collect()
        })
        .unwrap_or_default();
    teams.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(teams)
}

async fn codes<S: ConsoleStore>(State(state): St<S>, headers: HeaderMap) -> Page {
    let session = gate(&state, &headers, Role::DeviceAdmin).await?;
    render_codes(&state, &session, None, None, None, StatusCode::OK).await
}

/// The codes page: the issue form, the code just issued if any, and every code issued.
async fn render_codes<S: ConsoleStore>(
    state: &ConsoleState<S>,
    session: &Session,
    shown: Option<&ShownCode>,
    error: Option<&str>,
    notice: Option<&str>,
    status: StatusCode,
) -> Page {
    let teams = team_choices(state).await?;
    let list = state.app.store.list_codes().await?;
    let name = |t: &TeamId| -> String {
        teams
            .iter()
            .find(|(id, _)| *id == t.to_string())
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| t.to_string())
    };
    let rows: Vec<views::CodeRow> = list
        .iter()
        .map(|c| views::CodeRow {
            code_id: c.code_id.clone(),
            practitioner: c.practitioner.to_string(),
            teams: c.teams.iter().map(name).collect::<Vec<_>>().join(", "),
            issued_at: c.issued_at,
            expires_at: c.expires_at,
            status: c.status(now(state)),
        })
        .collect();
    Ok(page(
        status,
        views::layout(
            "Enrolment codes",
            Some(session),
            "codes",
            views::codes(session, &teams, shown, error, notice, &rows),
        ),
    ))
}

async fn revoke_code<S: ConsoleStore>(
    State(state): St<S>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Page {
    let session = gate_action(&state, &headers, Role::DeviceAdmin, "codes/revoke").await?;
    let fields = read_form(body).await?;
    csrf(&state, &session, &headers, field(&fields, "csrf")).await?;
    if id.parse::<ulid::Ulid>().is_err() {
        return Err(ConsoleError::BadRequest("That is not a code id.".into()));
    }
    // Revoked and written to the admin audit together (crate::admin).
    let outcome =
        crate::admin::revoke_code(&state.app.store, &id, now(&state), &session.actor).await?;
    let (error, notice) = match outcome {
        CodeRevocation::Revoked => (None, Some(format!("Code {id} is revoked: it can no longer enrol a phone."))),
        CodeRevocation::AlreadyRevoked => (None, Some(format!("Code {id} was already revoked."))),
        CodeRevocation::Unknown => (Some(format!("No code has the id {id}.")), None),
        CodeRevocation::AlreadyUsed => (
            Some(format!("Code {id} was already used: revoke the phone it enrolled instead, on the Devices page.")),
            None,
        ),
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    render_codes(
        &state,
        &session,
        None,
        error.as_deref(),
        notice.as_deref(),
        status,
    )
    .await
}

/// The QR code of `text` as inline SVG, labelled for screen readers.
pub fn qr_svg(text: &str) -> Result<String, ConsoleError> {
    let code = qrcode::QrCode::new(text.as_bytes())?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build();
    // Drop the XML prolog (not valid inside HTML) and label the image.
    let start = svg.find("<svg").unwrap_or(0);
    Ok(svg[start..].replacen(
        "<svg",
        "<svg role=\"img\" aria-label=\"QR code of the enrolment code shown above\"",
        1,
    ))
}

async fn issue_code<S: ConsoleStore>(State(state): St<S>, headers: HeaderMap, body: Body) -> Page {
    let session = gate_action(&state, &headers, Role::DeviceAdmin, "codes/issue").await?;
    let fields = read_form(body).await?;
    csrf(&state, &session, &headers, field(&fields, "csrf")).await?;
    let choices = team_choices(&state).await?;
    let teams: Result<Vec<TeamId>, _> = fields
        .iter()
        .filter(|(k, _)| k == "team")
        .map(|(_, v)| v.parse::<TeamId>())
        .collect();
    let Ok(teams) = teams else {
        return render_codes(
            &state,
            &session,
            None,
            Some("A team chosen is not a team id."),
            None,
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    if teams.is_empty() {
        return render_codes(
            &state,
            &session,
            None,
            Some("Select at least one team."),
            None,
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    let practitioner = match field(&fields, "practitioner").map(str::trim) {
        None | Some("") => None,
        Some(p) => match p.parse::<PractitionerId>() {
            Ok(p) => Some(p),
            Err(_) => {
                return render_codes(&state, &session, None, Some(
                    "The practitioner id is not a valid id. Leave it empty for a new practitioner.",
                ), None, StatusCode::BAD_REQUEST).await;
            }
        },
    };
    // Issued and written to the admin audit together (crate::admin).
    let issued = match crate::admin::issue_code(
        &state.app.store,
        practitioner,
        teams,
        Duration::hours(crate::enrolment::DEFAULT_CODE_TTL_HOURS),
        now(&state),
        CodeOrigin::Admin,
        &session.actor,
    )
    .await
    {
        Ok(issued) => issued,
        Err(crate::enrolment::IssueError::UnknownTeam(crate::storage::UnknownTeam(team))) => {
            let msg = format!("Team {team} is not in the published directory.");
            return render_codes(
                &state,
                &session,
                None,
                Some(&msg),
                None,
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
        Err(crate::enrolment::IssueError::Store(e)) => return Err(e.into()),
        Err(e) => {
            let msg = e.to_string();
            return render_codes(
                &state,
                &session,
                None,
                Some(&msg),
                None,
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
    };
    let names: Vec<String> = issued
        .teams
        .iter()
        .map(|t| {
            choices
                .iter()
                .find(|(id, _)| *id == t.to_string())
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| t.to_string())
        })
        .collect();
    let shown = ShownCode {
        qr_svg: qr_svg(&issued.code)?,
        code: issued.code,
        practitioner: issued.practitioner.to_string(),
        teams: names.join(", "),
        expires_at: issued.expires_at,
    };
    render_codes(&state, &session, Some(&shown), None, None, StatusCode::OK).await
}

fn directory_rows(directory: &Directory, at: DateTime<Utc>) -> Vec<DirectoryRow> {
    let calendar = Calendar::default();
    let mut rows: Vec<DirectoryRow> = directory
        .teams()
        .map(|t| {
            let org = directory
                .organisation(t.organisation)
                .map(|o| o.name.clone())
                .unwrap_or_default();
            let mut numbers = Vec::new();
            if let Some(n) = &t.numbers.in_hours {
                numbers.push(format!("In hours {n}"));
            }
            if let Some(n) = &t.numbers.out_of_hours {
                numbers.push(format!("Out of hours {n}"));
            }
            if let Some(n) = &t.numbers.switchboard {
                numbers.push(format!("Switchboard {n}"));
            }
            DirectoryRow {
                organisation: org,
                team: t.name.clone(),
                numbers: if numbers.is_empty() {
                    "None given".to_owned()
                } else {
                    numbers.join("; ")
                },
                hours: t.hours.describe(),
                open_now: t.hours.is_open_at(at, &calendar),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        a.organisation
            .cmp(&b.organisation)
            .then(a.team.cmp(&b.team))
    });
    rows
}

async fn render_directory<S: ConsoleStore>(
    state: &ConsoleState<S>,
    session: &Session,
    problems: &[ImportProblem],
    pending: Option<(&str, u64, usize, usize)>,
    notice: Option<&str>,
    status: StatusCode,
) -> Page {
    let at = now(state);
    let latest = latest_directory(state).await?;
    let rows = latest
        .as_ref()
        .map(|(_, _, d)| directory_rows(d, at))
        .unwrap_or_default();
    let version = latest
        .as_ref()
        .map(|(v, when, d)| (*v, *when, d.region().to_owned()));
    Ok(page(
        status,
        views::layout(
            "Directory",
            Some(session),
            "directory",
            views::directory(session, version, &rows, problems, pending, notice),
        ),
    ))
}

async fn directory<S: ConsoleStore>(State(state): St<S>, headers: HeaderMap) -> Page {
    let session = gate(&state, &headers, Role::DirectoryEditor).await?;
    render_directory(&state, &session, &[], None, None, StatusCode::OK).await
}

/// A multipart read failure: over [`DIRECTORY_FILE_LIMIT`] is 413, anything else 400.
fn multipart_error(e: axum::extract::multipart::MultipartError) -> ConsoleError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ConsoleError::TooLarge
    } else {
        ConsoleError::BadRequest(e.body_text())
    }
}

async fn import<S: ConsoleStore>(
    State(state): St<S>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Page {
    let session = gate_action(&state, &headers, Role::DirectoryEditor, "directory/import").await?;
    // A declared length over the limit is refused on the headers, not waited for.
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    if declared_over(declared, DIRECTORY_FILE_LIMIT) {
        return Err(ConsoleError::TooLarge);
    }
    let mut token: Option<String> = None;
    let mut text: Option<String> = None;
    while let Some(part) = multipart.next_field().await.map_err(multipart_error)? {
        match part.name() {
            Some("csrf") => token = Some(part.text().await.map_err(multipart_error)?),
            Some("file") => {
                // The CSRF field comes first in the form; refuse before reading the file.
                csrf(&state, &session, &headers, token.as_deref()).await?;
                let bytes = part.bytes().await.map_err(multipart_error)?;
                text = Some(String::from_utf8_lossy(&bytes).into_owned());
            }
            _ => {}
        }
    }
    csrf(&state, &session, &headers, token.as_deref()).await?;
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        let problems = [ImportProblem {
            line: 0,
            reason: "Choose a directory file.".into(),
        }];
        return render_directory(
            &state,
            &session,
            &problems,
            None,
            None,
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let directory = match safeshare_core::directory::parse(&text) {
        Ok(d) => d,
        Err(err) => {
            let problems: Vec<ImportProblem> = err
                .problems
                .iter()
                .map(|p| ImportProblem {
                    line: p.line,
                    reason: p.kind.to_string(),
                })
                .collect();
            record(
                &state,
                &session.actor,
                AdminAction::DirectoryImportRefused,
                &format!("{} problems", problems.len()),
            )
            .await?;
            return render_directory(
                &state,
                &session,
                &problems,
                None,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let latest = latest_directory(&state)
        .await?
        .map(|(v, _, _)| v)
        .unwrap_or(0);
    if directory.version() <= latest {
        let problems = [ImportProblem {
            line: 1,
            reason: format!(
                "version {} is not newer than the published version {latest}",
                directory.version()
            ),
        }];
        record(
            &state,
            &session.actor,
            AdminAction::DirectoryImportRefused,
            "stale version",
        )
        .await?;
        return render_directory(
            &state,
            &session,
            &problems,
            None,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let id = auth::random_token()?;
    let (version, orgs, teams) = (
        directory.version(),
        directory.organisations().count(),
        directory.teams().count(),
    );
    {
        let at = now(&state);
        let mut drafts = state.drafts.lock().unwrap_or_else(|p| p.into_inner());
        drafts.retain(|_, d| at - d.checked_at < DRAFT_TTL);
        // Room for this one: drop the oldest beyond the cap (super::MAX_DRAFTS).
        while drafts.len() >= super::MAX_DRAFTS {
            let oldest = drafts
                .iter()
                .min_by_key(|(_, d)| d.checked_at)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => drafts.remove(&k),
                None => break,
            };
        }
        drafts.insert(
            id.clone(),
            Draft {
                directory,
                checked_at: at,
            },
        );
    }
    record(
        &state,
        &session.actor,
        AdminAction::DirectoryChecked,
        &format!("version {version}"),
    )
    .await?;
    render_directory(
        &state,
        &session,
        &[],
        Some((&id, version, orgs, teams)),
        None,
        StatusCode::OK,
    )
    .await
}

async fn publish<S: ConsoleStore>(State(state): St<S>, headers: HeaderMap, body: Body) -> Page {
    let session = gate_action(&state, &headers, Role::DirectoryEditor, "directory/publish").await?;
    let fields = read_form(body).await?;
    csrf(&state, &session, &headers, field(&fields, "csrf")).await?;
    let draft = field(&fields, "draft").and_then(|id| {
        let mut drafts = state.drafts.lock().unwrap_or_else(|p| p.into_inner());
        drafts.remove(id)
    });
    let Some(draft) = draft.filter(|d| now(&state) - d.checked_at < DRAFT_TTL) else {
        let problems = [ImportProblem {
            line: 0,
            reason: "The checked file has expired or was already published. Check it again.".into(),
        }];
        return render_directory(
            &state,
            &session,
            &problems,
            None,
            None,
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    match crate::admin::store_directory(&state.app.store, &draft.directory, now(&state)).await {
        Ok(version) => {
            state
                .app
                .store
                .append_admin_audit(
                    AdminAction::DirectoryImported,
                    version.version.to_string(),
                    session.actor.clone(),
                    now(&state),
                )
                .await?;
            let notice = format!("Version {} is published.", version.version);
            render_directory(&state, &session, &[], None, Some(&notice), StatusCode::OK).await
        }
        Err(crate::admin::AdminError::Stale(crate::storage::StaleDirectory {
            offered,
            latest,
        })) => {
            let problems = [ImportProblem {
                line: 1,
                reason: format!(
                    "version {offered} is not newer than the published version {latest}"
                ),
            }];
            render_directory(
                &state,
                &session,
                &problems,
                None,
                None,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(crate::admin::AdminError::Store(e)) => Err(e.into()),
        // Each remaining failure named (no catch-all), so a new one must be decided here. The
        // draft was checked when uploaded, so either is shown as a refusal of this publish.
        Err(e @ crate::admin::AdminError::Directory(_))
        | Err(e @ crate::admin::AdminError::Document(_)) => {
            Err(ConsoleError::BadRequest(e.to_string()))
        }
    }
}

async fn audit<S: ConsoleStore>(State(state): St<S>, headers: HeaderMap) -> Page {
    // Every role may read the audit of console actions (accountability is shared).
    let session = signed_in(&state, &headers).await?;
    // The admin audit: the CLI's and the console's actions and sign-in events, newest first.
    let rows: Vec<AuditRow> = state
        .app
        .store
        .list_admin_audit(AUDIT_ROWS)
        .await?
        .into_iter()
        .map(|e| AuditRow {
            at: e.at,
            actor: e.actor,
            action: e.action,
            object: e.target,
        })
        .collect();
    Ok(page(
        StatusCode::OK,
        views::layout("Audit", Some(&session), "audit", views::audit(&rows)),
    ))
}

/// The roles a link is for, from CLI arguments (empty is refused by [`auth::issue_link`]).
pub fn roles_of(roles: &[Role]) -> BTreeSet<Role> {
    roles.iter().copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A form of exactly [`FORM_LIMIT`] bytes is read; one byte more is refused on its declared
    /// length, before any of it is waited for.
    #[test]
    fn a_declared_length_is_over_only_beyond_the_limit() {
        let limit = FORM_LIMIT as u64;
        assert!(!declared_over(0, FORM_LIMIT));
        assert!(!declared_over(limit, FORM_LIMIT));
        assert!(declared_over(limit + 1, FORM_LIMIT));
        assert!(declared_over(u64::MAX, FORM_LIMIT));
    }
}

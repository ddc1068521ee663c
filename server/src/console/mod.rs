//! The regional web console, served under `/console/` on the sync server's listener, for the
//! region's safeguarding leads (assurance), directory editors and Trust IT (devices, codes).
//!
//! Owns: sign-in ([`auth`]: one-time links and sessions; [`oidc`]: OpenID Connect), the pages
//! ([`handlers`] decide, [`views`] render), the console's storage ([`store`]) and the embedded
//! NHS.UK frontend assets. Design of sign-in, sessions, CSRF and headers: `docs/security.md`
//! ("Console sign-in"); operator guide: `docs/console.md`.
//!
//! Invariants:
//! - routing metadata only: nothing here reads an envelope's body;
//! - every page and action checks its role with [`auth::require`] before any work, and every
//!   POST checks its CSRF token (and that the browser does not mark it cross-site) before
//!   reading the rest of its form;
//! - every response carries the strict Content-Security-Policy and friends ([`headers`]);
//! - every action, and every refused sign-in or CSRF check, is written to the audit.

pub mod auth;
pub mod handlers;
pub mod oidc;
pub mod store;
pub mod views;

use crate::http::AppState;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use store::ConsoleStore;

mod assets {
    include!(concat!(env!("OUT_DIR"), "/nhsuk_assets.rs"));
}

/// The console's own stylesheet (layout of filters, chart and QR code).
const CONSOLE_CSS: &str = include_str!("console.css");

/// The embedded file at `path` under `/console/assets/`: (content type, bytes).
pub fn asset(path: &str) -> Option<(&'static str, &'static [u8])> {
    if path == "console.css" {
        return Some(("text/css; charset=utf-8", CONSOLE_CSS.as_bytes()));
    }
    assets::NHSUK_ASSETS
        .iter()
        .find(|(p, _, _)| *p == path)
        .map(|(_, kind, bytes)| (*kind, *bytes))
}

/// The Content-Security-Policy of every console response: only this origin's styles and
/// images, no inline anything, forms only to this origin, never framed. No `script-src`: the
/// console has no script, so `default-src 'none'` forbids every script, even one of this
/// origin (a same-origin response an attacker could shape would otherwise be runnable).
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
    font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// How the console is reached and signed in to.
#[derive(Debug, Clone, Default)]
pub struct ConsoleConfig {
    /// The server's public base URL (`http://127.0.0.1:8080`), for printed links.
    pub public_url: String,
    /// Whether browsers reach the console over TLS — the server's own, or a proxy's for an
    /// `https://` public URL (cookies get `Secure`).
    pub secure_cookies: bool,
}

/// A directory file that passed validation, waiting for "Publish" (kept in memory, keyed by
/// a random id, so a publish cannot store anything the editor has not seen checked).
#[derive(Debug, Clone)]
pub struct Draft {
    /// The validated directory.
    pub directory: safeshare_core::directory::Directory,
    /// When it was checked (drafts older than 30 minutes are dropped).
    pub checked_at: chrono::DateTime<chrono::Utc>,
}

/// Sign-in attempts (link redemptions and OpenID Connect callbacks; OpenID Connect starts are
/// counted alike on a limiter of their own) one client address may make at once, and regains
/// per minute after: far above a person's need, but it bounds how fast an anonymous client can
/// add refusals to the admin audit. Over it: 429, nothing done,
/// nothing audited (a warning is logged with the address).
pub const SIGN_IN_BURST: u32 = 30;
/// See [`SIGN_IN_BURST`].
pub const SIGN_IN_PER_MINUTE: u32 = 10;

/// Checked directory files held at once awaiting "Publish" (each a parsed copy of up to
/// 4 MiB, for 30 minutes): the oldest is dropped beyond this, so a signed-in editor cannot
/// make the server hold files without bound. Far above what editors check at once.
pub const MAX_DRAFTS: usize = 8;

/// Per-client-address limiter of sign-in attempts (GCRA, governor).
pub type SignInLimiter = governor::DefaultKeyedRateLimiter<std::net::IpAddr>;

/// What the console's handlers share.
pub struct ConsoleState<S: ConsoleStore> {
    /// The server's state (store, clock).
    pub app: Arc<AppState<S>>,
    /// Configuration.
    pub config: ConsoleConfig,
    /// OpenID Connect, when configured.
    pub oidc: Option<oidc::Oidc>,
    /// Key for pre-session CSRF tokens (the link confirmation form); random per process.
    pub pre_key: [u8; 32],
    /// Validated directory files awaiting publish.
    pub drafts: Mutex<HashMap<String, Draft>>,
    /// Sign-in attempts per client address ([`SIGN_IN_BURST`]).
    pub sign_in_limiter: SignInLimiter,
    /// OpenID Connect starts per client address (the same quota): each keeps a flow in memory
    /// for ten minutes (see also [`oidc::MAX_FLOWS`]).
    pub oidc_start_limiter: SignInLimiter,
}

impl<S: ConsoleStore> ConsoleState<S> {
    /// A console over `app` with a fresh pre-session key.
    pub fn new(
        app: Arc<AppState<S>>,
        config: ConsoleConfig,
        oidc: Option<oidc::Oidc>,
    ) -> Result<Self, auth::AuthError> {
        let mut pre_key = [0u8; 32];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut pre_key)
            .map_err(|_| auth::AuthError::Random)?;
        Ok(Self {
            app,
            config,
            oidc,
            pre_key,
            drafts: Mutex::new(HashMap::new()),
            sign_in_limiter: sign_in_limiter(),
            oidc_start_limiter: sign_in_limiter(),
        })
    }
}

/// A per-address limiter of [`SIGN_IN_BURST`] then [`SIGN_IN_PER_MINUTE`].
fn sign_in_limiter() -> SignInLimiter {
    governor::RateLimiter::keyed(
        governor::Quota::per_minute(
            std::num::NonZeroU32::new(SIGN_IN_PER_MINUTE).unwrap_or(std::num::NonZeroU32::MIN),
        )
        .allow_burst(std::num::NonZeroU32::new(SIGN_IN_BURST).unwrap_or(std::num::NonZeroU32::MIN)),
    )
}

/// The console's router, every route under `/console/` (see `crate::http::router_with_console`).
pub fn router<S: ConsoleStore>(state: Arc<ConsoleState<S>>) -> Router {
    handlers::routes(state).layer(axum::middleware::from_fn(headers))
}

/// Adds the security headers to every console response.
pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

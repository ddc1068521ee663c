//! The console's sign-in rules at their exact edges, which no other test pinned against the
//! console group's mutants (tests/mutants console): a session's idle limit and absolute expiry
//! at the very instant, a token's alphabet without relying on a random token happening to hold
//! `-` or `_`, the roles' labels and names, and what a configured OpenID Connect provider prints
//! of itself. Sessions are started and read back through a real store (an SQLite file), the way
//! every console request reads its cookie; the provider is discovered from a real HTTP server on
//! 127.0.0.1.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

mod common;

use axum::http::{header, HeaderMap, HeaderValue};
use chrono::{DateTime, Duration, Utc};
use common::*;
use safeshare_server::console::auth::{
    current_session, start_session, token_well_formed, Role, SESSION_COOKIE, SESSION_IDLE,
    SESSION_TTL,
};
use safeshare_server::console::oidc::{Oidc, OidcError, OidcSettings, FLOW_TTL};
use safeshare_server::storage::sqlite::SqliteStore;
use std::collections::BTreeSet;

fn cookie_for(id: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::COOKIE,
        HeaderValue::from_str(&format!("{SESSION_COOKIE}={id}")).unwrap(),
    );
    headers
}

async fn live(store: &SqliteStore, headers: &HeaderMap, at: DateTime<Utc>) -> bool {
    current_session(store, headers, at).await.unwrap().is_some()
}

async fn new_session(store: &SqliteStore) -> HeaderMap {
    let roles = BTreeSet::from([Role::Assurance]);
    let id = start_session(store, &roles, "tester".into(), t0())
        .await
        .unwrap();
    cookie_for(&id)
}

/// A request exactly [`SESSION_IDLE`] after the last one still finds the session (the limit is
/// "more than 30 minutes apart"); a request one millisecond later finds it over, for good.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_ends_only_when_requests_come_more_than_the_idle_limit_apart() {
    let (_dir, store) = sqlite_store();
    let headers = new_session(&store).await;
    assert!(live(&store, &headers, t0() + SESSION_IDLE).await);
    let late = t0() + SESSION_IDLE * 2 + Duration::milliseconds(1);
    assert!(!live(&store, &headers, late).await);
    // The expired session was deleted when presented: even a prompt request now finds nothing.
    assert!(!live(&store, &headers, late + Duration::seconds(1)).await);
}

/// Kept busy, a session still ends at its absolute expiry, at the instant itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_session_ends_at_its_absolute_expiry_instant() {
    let (_dir, store) = sqlite_store();
    let headers = new_session(&store).await;
    let mut at = t0();
    while at + SESSION_IDLE < t0() + SESSION_TTL {
        at += SESSION_IDLE;
        assert!(live(&store, &headers, at).await, "live at {at}");
    }
    assert_eq!(at + SESSION_IDLE, t0() + SESSION_TTL);
    let just_before = t0() + SESSION_TTL - Duration::milliseconds(1);
    assert!(live(&store, &headers, just_before).await);
    assert!(!live(&store, &headers, t0() + SESSION_TTL).await);
}

/// A token is 43 characters of base64url: letters, digits, `-` and `_`, nothing else.
#[test]
fn a_token_may_hold_dash_and_underscore_but_no_other_punctuation() {
    let base = "A".repeat(42);
    for ok in ['-', '_', 'z', '9'] {
        assert!(token_well_formed(&format!("{base}{ok}")), "{ok}");
        assert!(token_well_formed(&format!("{ok}{base}")), "{ok}");
    }
    for bad in ['+', '/', '=', '.', ' ', 'é'] {
        assert!(!token_well_formed(&format!("{base}{bad}")), "{bad:?}");
    }
    assert!(!token_well_formed(&"A".repeat(42)));
    assert!(!token_well_formed(&"A".repeat(44)));
}

/// The page header names the signed-in person's roles by these labels (views.rs), and the
/// claims, links and storage by these names: each must stay distinct and readable.
#[test]
fn each_role_has_its_own_label_and_stored_name() {
    let expected = [
        (Role::Assurance, "Assurance", "assurance"),
        (
            Role::DirectoryEditor,
            "Directory editor",
            "directory_editor",
        ),
        (Role::DeviceAdmin, "Device admin", "device_admin"),
    ];
    for (role, label, name) in expected {
        assert_eq!(role.label(), label);
        assert_eq!(role.as_str(), name);
        assert_eq!(name.parse::<Role>(), Ok(role));
    }
    assert!("admin".parse::<Role>().is_err());
}

/// A provider that answers discovery only (its metadata and an empty key set): enough for
/// [`Oidc::discover`] to build a client, on 127.0.0.1.
async fn discovery_only_provider() -> String {
    use axum::routing::get;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}", listener.local_addr().unwrap());
    let iss = issuer.clone();
    let app = axum::Router::new()
        .route(
            "/.well-known/openid-configuration",
            get(move || async move {
                axum::Json(serde_json::json!({
                    "issuer": iss,
                    "authorization_endpoint": format!("{iss}/auth"),
                    "token_endpoint": format!("{iss}/token"),
                    "jwks_uri": format!("{iss}/jwks"),
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                }))
            }),
        )
        .route(
            "/jwks",
            get(|| async { axum::Json(serde_json::json!({ "keys": [] })) }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    issuer
}

/// The configured provider's debug form (what a log or a failed test prints) names the type
/// and its role claim, and never the client secret the client inside it holds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configured_provider_prints_its_role_claim_and_never_its_secret() {
    const SECRET: &str = "fictional-client-secret-never-printed";
    let issuer = discovery_only_provider().await;
    let oidc = Oidc::discover(OidcSettings {
        issuer,
        client_id: "safeshare-console".into(),
        client_secret: SECRET.into(),
        redirect: "http://127.0.0.1:9/console/oidc/callback".into(),
        role_claim: "nhs_console_roles".into(),
    })
    .await
    .unwrap();
    let printed = format!("{oidc:?}");
    assert_eq!(printed, r#"Oidc { role_claim: "nhs_console_roles" }"#);
    assert!(!format!("{oidc:#?}").contains(SECRET));
}

/// The `state` parameter of the provider URL a start returns.
fn state_in(url: &str) -> String {
    let query = url.split_once('?').unwrap().1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
        .unwrap()
}

/// A sign-in flow lasts [`FLOW_TTL`] to the millisecond: a start drops the flows that old, and
/// only those, and a callback exactly that late finds no flow while one a millisecond earlier
/// goes on to the provider (which, answering discovery only, refuses the code).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_flow_lasts_its_time_to_live_to_the_millisecond() {
    let oidc = Oidc::discover(OidcSettings {
        issuer: discovery_only_provider().await,
        client_id: "safeshare-console".into(),
        client_secret: "fictional-client-secret".into(),
        redirect: "http://127.0.0.1:9/console/oidc/callback".into(),
        role_claim: "roles".into(),
    })
    .await
    .unwrap();
    let ms = Duration::milliseconds;
    let first = state_in(&oidc.start("first".into(), t0()).unwrap());
    let second = state_in(&oidc.start("second".into(), t0() + ms(1)).unwrap());
    oidc.start("third".into(), t0() + FLOW_TTL - ms(1)).unwrap();
    assert_eq!(oidc.flows_in_flight(), 3);
    oidc.start("fourth".into(), t0() + FLOW_TTL).unwrap();
    assert_eq!(oidc.flows_in_flight(), 3, "only the first is dropped");
    // Dropped: its callback, right state or not, finds nothing.
    let err = oidc
        .finish("first", &first, "code".into(), t0() + FLOW_TTL)
        .await
        .unwrap_err();
    assert!(matches!(err, OidcError::NoFlow), "{err:?}");
    // The second, exactly its time to live after it started, is over.
    let err = oidc
        .finish("second", &second, "code".into(), t0() + ms(1) + FLOW_TTL)
        .await
        .unwrap_err();
    assert!(matches!(err, OidcError::NoFlow), "{err:?}");
    assert_eq!(oidc.flows_in_flight(), 2);
    // A millisecond short of it, a flow goes on to the code exchange.
    let fifth = state_in(&oidc.start("fifth".into(), t0() + FLOW_TTL).unwrap());
    let err = oidc
        .finish("fifth", &fifth, "code".into(), t0() + FLOW_TTL * 2 - ms(1))
        .await
        .unwrap_err();
    assert!(matches!(err, OidcError::Refused(_)), "{err:?}");
}

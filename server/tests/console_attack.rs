//! An outsider's, another role's and a cross-site attacker's attempts on the regional console
//! (issue 18), each over a real socket on 127.0.0.1 against a real store (SQLite, and
//! PostgreSQL when `SAFESHARE_TEST_PG_URL` is set), and for OpenID Connect against a small
//! provider served by the test itself (discovery, keys and a token endpoint that signs real
//! RS256 ID tokens), so the `openidconnect` crate's checks run as in production.
//!
//! Attacks already covered elsewhere are not repeated here: role walls, CSRF missing or from
//! another session, link reuse and expiry, idle and signed-out sessions, oversize bodies and
//! the sign-in throttle are in `console_auth.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

mod common;

use axum::extract::State;
use axum::routing::{get, post};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{Duration, Utc};
use common::*;
use openidconnect::core::{
    CoreGenderClaim, CoreJsonWebKeySet, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreRsaPrivateSigningKey,
};
use openidconnect::{
    Audience, IdToken, IdTokenClaims, IssuerUrl, Nonce, PrivateSigningKey, StandardClaims,
    SubjectIdentifier,
};
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;
use reqwest::StatusCode;
use safeshare_core::clock::{Clock, FixedClock};
use safeshare_core::model::TeamId;
use safeshare_server::admin::import_directory;
use safeshare_server::console::auth::{issue_link, Role};
use safeshare_server::console::oidc::{Oidc, OidcSettings};
use safeshare_server::console::store::ConsoleStore;
use safeshare_server::console::{ConsoleConfig, ConsoleState};
use safeshare_server::http::{router_with_console, AppState};
use safeshare_server::metrics::Metrics;
use safeshare_server::serve::{serve_app, ConnectionLimits};
use safeshare_server::storage::AdminAction;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

/// A fictional RSA key for the test provider only (made for this test; signs nothing else).
const PROVIDER_KEY: &str = "-----BEGIN RSA PRIVATE KEY-----
MIIEpAIBAAKCAQEAsmh9jll350l/ZIs42ACGAuX8keUlX/Xroj4XYBB7zUNP47mz
wTxhXvzRd5UPcxNCUFo9anjjK0HYo2l435qq8jNEClpiNhvnW2vSpDFEWa1ZpbWt
yGfaRbdXU8vAbdcN0xNb2D7AFDmryGHZDUvlKZyUIoIH6Y7FALWB4Z9qyIq/iQkw
32swDj8MQC5ZlKH9wISaJri5hOoCfDJv7ufJRaS9h1K3bwaaxzL37rDmjZBYM9ia
7wafae11BQh2iF8TaGTxsGp2yN/mrTbVEa/UVGFnwiDtCfdDNQd5DhY9B5wJiBz5
LGZNrjySgNaWhLnIV14Cr1Ic0JguvJGu6YCQmwIDAQABAoIBAA2XuB0yLthQeWQZ
LAhfqIDXB0e8VtJ5WO3AX6U3jEnRcOhE8UTt4JiimCOiwo2+GrrRgpq2ls7oZ4+H
t9MIJIcV0H9zbxvNQ3LBLnLJDXqW97IQO1XTUnDRAlZwOyXYkS/oP9f5a/FT4C/W
WKRSiHquTdD/6YdqE74Kli3bqKtFBPqORiJDfe7Xq6IY3rQwSho06ttJ0YvrGIpZ
e4rZRf4kWtVr4LqX6LjDOb5QuwvFzFDqfRtEy6/1nJ5f2pUdVOamcOkVvPGaMypY
zlfRqExcMdWADRY9EhRDnH99em490J1fJf4ipSDD0PgHNXExhr75CZAl83Tjb2MA
RmLox/0CgYEA5LkJrp3uQMhbSWIa+00EmSIl1h1fYUjSXHpg5ejuUKTkjQWSRWRd
znWFdJ77g8tTsLEAteXK9/EjhWj6HG1+oUosfFHqRUXT0rDumy40FREtvDEuVJcc
tRl0kq4o20UhgsfbaHk4Z967L77+TbCG8p8q2ViNc9hfTYr/lqp/Ho8CgYEAx69V
qr+qb3CIVLEEhMoDFLKEr2630Xe/EH9yMw+Uei/9cy2OMW8tAenBjPlCjnUvnl/C
TN7SEwPK0hZYWp6K7S8qM8jr14y2eA2/5deN9YW+AQPOmXWN7stgrzyyiVQzgfKb
XyiSd6/kSERgvcW7xZHK5uaHXH3P2Ozi2dC7czUCgYEA07PBlnJvuF66v+2ic8AR
5XuJ8ek2A2HX8+kCD0vOaa52LWFexgPkH9j/MbaFrrNgP0dWFQchGuWDr1Q/TFi8
wKVbD6byZDQBoB5MfC4D3wwLfQk4jOthku6Ay9OP1YTjQ52hI84vu1SZhdQOpfIi
tidFDe+83eEENU3WzKn7B1kCgYAPCVXzGKG16IxrjDTh5vBac6LoLvcqj9DUZjRs
QeUVWl3EeY62jD+gYEDR48cuQQbH70ALV9AL3II+Va5rjHq7p4yO/7c6sP7ghXCI
1zV6YorPOsEo7yAz9h6es3xiOPPz+hfXD5AP8S/IfVWnlKcyFmtn/b39qf+nvxbJ
/hzPbQKBgQC2K3QqfIx/ZHiSF0+i272w3ZnTdgFuq0PndFaiKZNGeiAUn5CxTlir
xcLqjCbhU95NHGRVeJYd/XmGokijMCAxwqy4ruHXTOG6k2IkiznAVtS/9MOBni6/
6MwEuk2JiHLOHrGqpVpwSXK1RMynAmhAko8OD0FSZRJgoYLLopK3Zw==
-----END RSA PRIVATE KEY-----";

const CLIENT_ID: &str = "safeshare-console";

/// What the test provider hands out at its token endpoint, and what it was sent.
#[derive(Default)]
struct ProviderState {
    issuer: String,
    /// The ID token the next code exchange returns.
    next_id_token: Option<String>,
    /// The `code_verifier` of each exchange (PKCE), in order.
    verifiers: Vec<Option<String>>,
}

type Provider = Arc<Mutex<ProviderState>>;

/// Starts the test provider on 127.0.0.1: its issuer URL and state.
async fn start_provider() -> (String, Provider) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}", listener.local_addr().unwrap());
    let state: Provider = Arc::new(Mutex::new(ProviderState {
        issuer: issuer.clone(),
        ..ProviderState::default()
    }));
    let app = axum::Router::new()
        .route(
            "/.well-known/openid-configuration",
            get(|State(p): State<Provider>| async move {
                let iss = p.lock().unwrap().issuer.clone();
                axum::Json(serde_json::json!({
                    "issuer": iss,
                    "authorization_endpoint": format!("{iss}/auth"),
                    "token_endpoint": format!("{iss}/token"),
                    "jwks_uri": format!("{iss}/jwks"),
                    "userinfo_endpoint": format!("{iss}/userinfo"),
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                }))
            }),
        )
        .route(
            "/jwks",
            get(|| async {
                axum::Json(CoreJsonWebKeySet::new(vec![
                    signing_key().as_verification_key()
                ]))
            }),
        )
        .route(
            // Every role, for anyone who asks: the console must take roles only from the
            // verified ID token, never from here.
            "/userinfo",
            get(|| async {
                axum::Json(serde_json::json!({
                    "sub": "fictional-sub-1",
                    "roles": ["assurance", "directory_editor", "device_admin"],
                }))
            }),
        )
        .route(
            "/token",
            post(|State(p): State<Provider>, body: String| async move {
                let form: HashMap<String, String> = form_urlencoded::parse(body.as_bytes())
                    .into_owned()
                    .collect();
                let mut p = p.lock().unwrap();
                p.verifiers.push(form.get("code_verifier").cloned());
                let id_token = p.next_id_token.take().unwrap_or_default();
                axum::Json(serde_json::json!({
                    "access_token": "fictional-access-token",
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": id_token,
                }))
            }),
        )
        .with_state(Arc::clone(&state));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (issuer, state)
}

fn signing_key() -> CoreRsaPrivateSigningKey {
    CoreRsaPrivateSigningKey::from_pem(PROVIDER_KEY, None).unwrap()
}

/// Extra claims of the test's ID tokens: the role claim, as a provider would put it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct RoleClaim {
    #[serde(skip_serializing_if = "Option::is_none")]
    roles: Option<serde_json::Value>,
}
impl openidconnect::AdditionalClaims for RoleClaim {}

/// How an ID token is made: each field an attack may change.
struct TokenSpec {
    issuer: String,
    audience: String,
    nonce: Option<String>,
    expires_in: Duration,
    roles: Option<serde_json::Value>,
}

fn id_token(spec: &TokenSpec) -> String {
    let now = Utc::now();
    let claims = IdTokenClaims::new(
        IssuerUrl::new(spec.issuer.clone()).unwrap(),
        vec![Audience::new(spec.audience.clone())],
        now + spec.expires_in,
        now - Duration::seconds(5),
        StandardClaims::<CoreGenderClaim>::new(SubjectIdentifier::new("fictional-sub-1".into())),
        RoleClaim {
            roles: spec.roles.clone(),
        },
    )
    .set_nonce(spec.nonce.clone().map(Nonce::new));
    let token: IdToken<
        RoleClaim,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    > = IdToken::new(
        claims,
        &signing_key(),
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        None,
        None,
    )
    .unwrap();
    token.to_string()
}

struct Console<S: ConsoleStore> {
    base: String,
    state: Arc<AppState<S>>,
    console: Arc<ConsoleState<S>>,
    clock: Arc<FixedClock>,
    team: TeamId,
    http: reqwest::Client,
    provider: Option<(String, Provider)>,
}

/// A signed-in browser: its session cookie and a CSRF token from one of its pages.
struct Browser {
    cookie: String,
    csrf: String,
}

fn csrf_in(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    html[at..].split('"').next().unwrap().to_owned()
}

fn cookie_value(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_owned())
}

/// A query parameter of a URL.
fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

impl<S: ConsoleStore> Console<S> {
    async fn start(store: S, team_name: &str, with_oidc: bool) -> Self {
        let clock = Arc::new(FixedClock::new(t0()));
        let team = TeamId::new();
        import_directory(&store, &directory_file(1, &[(team, team_name)]), t0())
            .await
            .unwrap();
        let state = Arc::new(AppState {
            store,
            clock: clock.clone() as Arc<dyn Clock>,
            metrics: Metrics::default(),
            region: None,
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (oidc, provider) = if with_oidc {
            let (issuer, provider) = start_provider().await;
            let oidc = Oidc::discover(OidcSettings {
                issuer: issuer.clone(),
                client_id: CLIENT_ID.into(),
                client_secret: "fictional-secret".into(),
                redirect: format!("{base}/console/oidc/callback"),
                role_claim: "roles".into(),
            })
            .await
            .unwrap();
            (Some(oidc), Some((issuer, provider)))
        } else {
            (None, None)
        };
        let console = Arc::new(
            ConsoleState::new(
                Arc::clone(&state),
                ConsoleConfig {
                    public_url: base.clone(),
                    secure_cookies: false,
                },
                oidc,
            )
            .unwrap(),
        );
        let limits = ConnectionLimits::default();
        let app = router_with_console(Arc::clone(&state), Arc::clone(&console), &limits);
        tokio::spawn({
            let state = Arc::clone(&state);
            async move {
                serve_app(state, app, listener, limits, std::future::pending())
                    .await
                    .unwrap();
            }
        });
        Self {
            base,
            state,
            console,
            clock,
            team,
            http: reqwest::Client::builder()
                .redirect(Policy::none())
                .build()
                .unwrap(),
            provider,
        }
    }

    async fn link(&self, roles: &[Role]) -> String {
        let roles: BTreeSet<Role> = roles.iter().copied().collect();
        issue_link(&self.state.store, &roles, self.clock.now())
            .await
            .unwrap()
    }

    /// The link's confirmation page: its pre-session cookie and form token.
    async fn confirm_form(&self, token: &str) -> (String, String) {
        let page = self
            .http
            .get(format!("{}/console/link/{token}", self.base))
            .send()
            .await
            .unwrap();
        let pre = cookie_value(&page, "safeshare_console_pre").expect("a confirmation form");
        (pre, csrf_in(&page.text().await.unwrap()))
    }

    async fn press_sign_in(&self, token: &str, cookies: &str, csrf: &str) -> reqwest::Response {
        self.http
            .post(format!("{}/console/link/{token}", self.base))
            .header(COOKIE, cookies)
            .form(&[("csrf", csrf)])
            .send()
            .await
            .unwrap()
    }

    async fn sign_in(&self, roles: &[Role]) -> Browser {
        let token = self.link(roles).await;
        let (pre, csrf) = self.confirm_form(&token).await;
        let resp = self.press_sign_in(&token, &pre, &csrf).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        let cookie = cookie_value(&resp, "safeshare_console").expect("session cookie");
        let audit = self.get(&cookie, "/console/audit").await;
        let csrf = csrf_in(&audit.text().await.unwrap());
        Browser { cookie, csrf }
    }

    async fn get(&self, cookie: &str, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .header(COOKIE, cookie)
            .send()
            .await
            .unwrap()
    }

    async fn codes_issued(&self) -> usize {
        self.state.store.list_codes().await.unwrap().len()
    }

    async fn audited(&self, action: &str) -> usize {
        self.state
            .store
            .list_admin_audit(500)
            .await
            .unwrap()
            .iter()
            .filter(|r| r.action == action)
            .count()
    }

    /// Starts an OpenID Connect sign-in: the flow cookie, `state` and `nonce`.
    async fn oidc_start(&self) -> (String, String, String) {
        let resp = self.get("", "/console/oidc/start").await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        let flow = cookie_value(&resp, "safeshare_console_oidc").unwrap();
        let to = resp.headers()[LOCATION].to_str().unwrap().to_owned();
        let (issuer, _) = self.provider.as_ref().unwrap();
        assert!(to.starts_with(&format!("{issuer}/auth?")), "{to}");
        assert_eq!(
            query_param(&to, "code_challenge_method").as_deref(),
            Some("S256")
        );
        (
            flow,
            query_param(&to, "state").unwrap(),
            query_param(&to, "nonce").unwrap(),
        )
    }

    /// The provider's browser redirect back to the console, with `id_token` waiting at the
    /// token endpoint.
    async fn oidc_callback(
        &self,
        flow_cookie: &str,
        state: &str,
        id_token: String,
    ) -> reqwest::Response {
        let (_, provider) = self.provider.as_ref().unwrap();
        provider.lock().unwrap().next_id_token = Some(id_token);
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("code", "fictional-code")
            .append_pair("state", state)
            .finish();
        self.get(flow_cookie, &format!("/console/oidc/callback?{query}"))
            .await
    }

    fn good_token(&self, nonce: &str) -> TokenSpec {
        TokenSpec {
            issuer: self.provider.as_ref().unwrap().0.clone(),
            audience: CLIENT_ID.into(),
            nonce: Some(nonce.into()),
            expires_in: Duration::minutes(5),
            roles: Some(serde_json::json!(["assurance"])),
        }
    }
}

/// Two presses of one link's "Sign in" at the same moment (two tabs, or a thief racing the
/// owner): exactly one gets a session.
async fn two_uses_of_one_link_at_once_make_one_session<S: ConsoleStore>(store: S) {
    let c = Console::start(store, "Fictional midwifery", false).await;
    for _ in 0..5 {
        let token = c.link(&[Role::DeviceAdmin]).await;
        let (pre_a, csrf_a) = c.confirm_form(&token).await;
        let (pre_b, csrf_b) = c.confirm_form(&token).await;
        let (a, b) = tokio::join!(
            c.press_sign_in(&token, &pre_a, &csrf_a),
            c.press_sign_in(&token, &pre_b, &csrf_b)
        );
        let mut statuses = [a.status(), b.status()];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::FORBIDDEN]);
        let sessions = [&a, &b]
            .iter()
            .filter(|r| cookie_value(r, "safeshare_console").is_some())
            .count();
        assert_eq!(sessions, 1);
    }
    assert_eq!(c.audited("console_sign_in").await, 5);
}

/// Session fixation: a browser that arrives with a session id of someone else's choosing (a
/// planted cookie) leaves sign-in with a new one; the planted id opens nothing.
async fn sign_in_issues_a_new_session_id<S: ConsoleStore>(store: S) {
    let c = Console::start(store, "Fictional midwifery", false).await;
    let planted = format!("safeshare_console={}", "P".repeat(43));
    let token = c.link(&[Role::Assurance]).await;
    let (pre, csrf) = c.confirm_form(&token).await;
    let resp = c
        .press_sign_in(&token, &format!("{planted}; {pre}"), &csrf)
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let issued = cookie_value(&resp, "safeshare_console").unwrap();
    assert_ne!(issued, planted);
    // The cookie is for the console's paths on this host only, out of scripts' reach.
    let set = resp
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("safeshare_console="))
        .unwrap();
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/console/"] {
        assert!(set.contains(flag), "{set}");
    }
    assert!(!set.to_ascii_lowercase().contains("domain="), "{set}");
    assert_eq!(
        c.get(&planted, "/console/overdue").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        c.get(&issued, "/console/overdue").await.status(),
        StatusCode::OK
    );
    // An already signed-in browser that signs in again also gets a new id.
    let b = c.sign_in(&[Role::Assurance]).await;
    let token = c.link(&[Role::Assurance]).await;
    let (pre, csrf) = c.confirm_form(&token).await;
    let resp = c
        .press_sign_in(&token, &format!("{}; {pre}", b.cookie), &csrf)
        .await;
    assert_ne!(cookie_value(&resp, "safeshare_console").unwrap(), b.cookie);
}

/// The CSRF token is taken only from the POST body of the route's own form type: not from
/// the query string, not from a multipart body sent to a plain form, and a GET with a
/// method-override header does nothing.
async fn csrf_tokens_in_the_wrong_place_are_refused<S: ConsoleStore>(store: S) {
    let c = Console::start(store, "Fictional midwifery", false).await;
    let admin = c.sign_in(&[Role::DeviceAdmin]).await;
    let team = c.team.to_string();
    // The token in the query string, none in the body.
    let resp = c
        .http
        .post(format!("{}/console/codes?csrf={}", c.base, admin.csrf))
        .header(COOKIE, &admin.cookie)
        .form(&[("team", &team)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "token in the query");
    // A multipart body to a urlencoded form.
    let boundary = "attack18";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"team\"\r\n\r\n{team}\r\n--{boundary}--\r\n",
        admin.csrf
    );
    let resp = c
        .http
        .post(format!("{}/console/codes", c.base))
        .header(COOKIE, &admin.cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "multipart body");
    // A GET dressed as a POST.
    let resp = c
        .http
        .get(format!(
            "{}/console/codes?csrf={}&team={team}",
            c.base, admin.csrf
        ))
        .header(COOKIE, &admin.cookie)
        .header("x-http-method-override", "POST")
        .header("x-http-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "the page, not the action");
    assert!(!resp.text().await.unwrap().contains("id=\"issued-code\""));
    assert_eq!(c.codes_issued().await, 0);
    // Sign-out without its token leaves the session alive.
    let resp = c
        .http
        .post(format!("{}/console/sign-out", c.base))
        .header(COOKIE, &admin.cookie)
        .form(&[("csrf", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        c.get(&admin.cookie, "/console/devices").await.status(),
        StatusCode::OK
    );
}

/// A POST the browser marks as made by another site (`Sec-Fetch-Site`, sent by every current
/// browser) is refused even when it carries the session cookie and a valid token (a token
/// leaked by a screenshot or a shared screen): the cross-site layer holds on its own.
async fn a_cross_site_post_is_refused_even_with_a_valid_token<S: ConsoleStore>(store: S) {
    let c = Console::start(store, "Fictional midwifery", false).await;
    let admin = c.sign_in(&[Role::DeviceAdmin]).await;
    let team = c.team.to_string();
    for site in ["cross-site", "same-site"] {
        let resp = c
            .http
            .post(format!("{}/console/codes", c.base))
            .header(COOKIE, &admin.cookie)
            .header("sec-fetch-site", site)
            .form(&[("csrf", admin.csrf.as_str()), ("team", &team)])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{site}");
    }
    assert_eq!(c.codes_issued().await, 0);
    // A cross-site press of a link's "Sign in" spends nothing.
    let token = c.link(&[Role::Assurance]).await;
    let (pre, csrf) = c.confirm_form(&token).await;
    let resp = c
        .http
        .post(format!("{}/console/link/{token}", c.base))
        .header(COOKIE, &pre)
        .header("sec-fetch-site", "cross-site")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    // The same requests from the console's own pages work.
    let resp = c
        .http
        .post(format!("{}/console/link/{token}", c.base))
        .header(COOKIE, &pre)
        .header("sec-fetch-site", "same-origin")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let resp = c
        .http
        .post(format!("{}/console/codes", c.base))
        .header(COOKIE, &admin.cookie)
        .header("sec-fetch-site", "same-origin")
        .form(&[("csrf", admin.csrf.as_str()), ("team", &team)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(c.codes_issued().await, 1);
    assert!(c.audited("console_csrf_refused").await >= 3);
}

/// The Content-Security-Policy allows no script at all (the console has none), frames
/// nothing and is framed by nothing, on pages, refusals and assets alike.
async fn the_content_security_policy_allows_no_script<S: ConsoleStore>(store: S) {
    let c = Console::start(store, "Fictional midwifery", false).await;
    let b = c.sign_in(&Role::ALL).await;
    for path in [
        "/console/",
        "/console/overdue",
        "/console/devices",
        "/console/codes",
        "/console/directory",
        "/console/audit",
        "/console/assets/console.css",
        "/console/no-such-page",
        "/console/link/AAAA",
    ] {
        let resp = c.get(&b.cookie, path).await;
        let csp = resp.headers()["content-security-policy"].to_str().unwrap();
        let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
        assert!(directives.contains(&"default-src 'none'"), "{path}: {csp}");
        assert!(
            directives
                .iter()
                .all(|d| !d.starts_with("script-src") || *d == "script-src 'none'"),
            "{path}: scripts allowed: {csp}"
        );
        assert!(directives.contains(&"frame-ancestors 'none'"), "{path}");
        assert!(!csp.contains("unsafe"), "{path}: {csp}");
        assert_eq!(resp.headers()["x-frame-options"], "DENY", "{path}");
        assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
        let html = resp.text().await.unwrap();
        assert!(!html.contains("<script"), "{path}");
        assert!(!html.contains(" style=\""), "{path}: inline style");
    }
}

/// Stored cross-site scripting: markup in a team's name (from a directory file) and in an
/// audit entry (written by the CLI) is shown as text on every page that shows it.
async fn markup_in_team_names_and_audit_entries_is_shown_as_text<S: ConsoleStore>(store: S) {
    let evil = r#"<script>alert(1)</script><img src=x onerror=alert(2)>\" onmouseover=\"alert(3)"#;
    let c = Console::start(store, evil, false).await;
    c.state
        .store
        .append_admin_audit(
            AdminAction::ConsoleLinkIssued,
            "<script>alert(4)</script>".into(),
            "cli\"><svg onload=alert(5)>".into(),
            c.clock.now(),
        )
        .await
        .unwrap();
    let b = c.sign_in(&Role::ALL).await;
    for path in [
        "/console/overdue",
        "/console/codes",
        "/console/directory",
        "/console/audit",
    ] {
        let html = c.get(&b.cookie, path).await.text().await.unwrap();
        assert!(!html.contains("<script"), "{path}");
        assert!(!html.contains("<img src=x"), "{path}");
        assert!(!html.contains("<svg onload"), "{path}");
        assert!(!html.contains("\" onmouseover"), "{path}");
        assert!(
            html.contains("&lt;script&gt;alert("),
            "{path}: shown as text"
        );
    }
}

/// OpenID Connect: only an ID token from the configured issuer, for this client, unexpired,
/// carrying this flow's nonce and a known role in its own claims makes a session (the
/// provider's userinfo offering every role changes nothing); a refused
/// callback makes none and is audited; a flow is used once; the token request carries the
/// PKCE verifier of the challenge the browser was sent with.
async fn openid_connect_refuses_every_forged_or_replayed_answer<S: ConsoleStore>(store: S) {
    let c = Console::start(store, "Fictional midwifery", true).await;
    type Forge = fn(&mut TokenSpec);
    let forgeries: [(&str, Forge); 7] = [
        ("another audience", |t| t.audience = "another-client".into()),
        ("another issuer", |t| {
            t.issuer = "http://127.0.0.1:9/other".into()
        }),
        ("expired", |t| t.expires_in = Duration::minutes(-10)),
        ("no nonce", |t| t.nonce = None),
        ("another flow's nonce", |t| {
            t.nonce = Some("a-nonce-from-another-flow".into())
        }),
        ("no role claim", |t| t.roles = None),
        ("unknown roles only", |t| {
            t.roles = Some(serde_json::json!(["admin", "superuser", "ASSURANCE"]))
        }),
    ];
    for (why, forge) in forgeries {
        let (flow, state, nonce) = c.oidc_start().await;
        let mut spec = c.good_token(&nonce);
        forge(&mut spec);
        let resp = c.oidc_callback(&flow, &state, id_token(&spec)).await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{why}");
        assert!(cookie_value(&resp, "safeshare_console").is_none(), "{why}");
    }
    // A token signed by someone else (the payload of a good token, another signature).
    let (flow, state, nonce) = c.oidc_start().await;
    let good = id_token(&c.good_token(&nonce));
    let mut parts: Vec<&str> = good.split('.').collect();
    let forged_sig = URL_SAFE_NO_PAD.encode([7u8; 256]);
    parts[2] = &forged_sig;
    let resp = c.oidc_callback(&flow, &state, parts.join(".")).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "bad signature");
    // The same payload unsigned (`alg: none`).
    let (flow, state, nonce) = c.oidc_start().await;
    let good = id_token(&c.good_token(&nonce));
    let payload = good.split('.').nth(1).unwrap();
    let none = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let resp = c
        .oidc_callback(&flow, &state, format!("{none}.{payload}."))
        .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "alg none");
    // The state of the flow, but not its cookie; the cookie, but another state.
    let (flow, state, nonce) = c.oidc_start().await;
    let resp = c
        .oidc_callback("", &state, id_token(&c.good_token(&nonce)))
        .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "no flow cookie");
    let (flow2, _, nonce2) = c.oidc_start().await;
    let resp = c
        .oidc_callback(&flow2, &state, id_token(&c.good_token(&nonce2)))
        .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "another flow's state");
    let _ = flow;
    // A good answer signs in, once.
    let (flow, state, nonce) = c.oidc_start().await;
    let resp = c
        .oidc_callback(&flow, &state, id_token(&c.good_token(&nonce)))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let session = cookie_value(&resp, "safeshare_console").expect("a session");
    assert_eq!(
        c.get(&session, "/console/overdue").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        c.get(&session, "/console/devices").await.status(),
        StatusCode::FORBIDDEN,
        "roles are the token's, no more"
    );
    let resp = c
        .oidc_callback(&flow, &state, id_token(&c.good_token(&nonce)))
        .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "replayed callback");
    // Every exchange sent a PKCE verifier (43 to 128 characters, RFC 7636).
    let (_, provider) = c.provider.as_ref().unwrap();
    let verifiers = provider.lock().unwrap().verifiers.clone();
    assert!(!verifiers.is_empty());
    assert!(verifiers
        .iter()
        .all(|v| v.as_ref().is_some_and(|v| (43..=128).contains(&v.len()))));
    // Refusals are audited as such; the one sign-in as the subject, never a name.
    assert!(c.audited("console_sign_in_refused").await >= 10);
    let audit = c.state.store.list_admin_audit(100).await.unwrap();
    let signed: Vec<_> = audit
        .iter()
        .filter(|r| r.action == "console_sign_in")
        .collect();
    assert_eq!(signed.len(), 1);
    assert_eq!(signed[0].actor, "oidc:fictional-sub-1");
}

/// Starting OpenID Connect sign-in keeps server-side state (state, verifier, nonce) for ten
/// minutes, so an anonymous client must not be able to start flows without bound: starts are
/// throttled per address like the rest of sign-in, and the flows held are capped.
async fn starting_openid_connect_sign_in_is_throttled<S: ConsoleStore>(store: S) {
    let c = Console::start(store, "Fictional midwifery", true).await;
    let mut throttled = 0;
    for _ in 0..60 {
        let resp = c.get("", "/console/oidc/start").await;
        match resp.status() {
            StatusCode::SEE_OTHER => {}
            StatusCode::TOO_MANY_REQUESTS => throttled += 1,
            other => panic!("{other}"),
        }
    }
    assert!(throttled >= 25, "{throttled} of 60 starts throttled");
    let oidc = c.console.oidc.as_ref().unwrap();
    assert!(oidc.flows_in_flight() <= 31);
    // Starts from many addresses together: the flows held stop at the cap, and a start from a
    // fresh address is then refused rather than held.
    let mut refused = 0;
    for i in 0..safeshare_server::console::oidc::MAX_FLOWS {
        if oidc.start(format!("flow-{i}"), c.clock.now()).is_err() {
            refused += 1;
        }
    }
    assert!(refused > 0);
    assert_eq!(
        oidc.flows_in_flight(),
        safeshare_server::console::oidc::MAX_FLOWS
    );
    let fresh = reqwest::Client::builder()
        .redirect(Policy::none())
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap();
    let resp = fresh
        .get(format!("{}/console/oidc/start", c.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    // Ten minutes on, the stale flows are dropped and sign-in starts again.
    c.clock.advance(Duration::minutes(10));
    let resp = fresh
        .get(format!("{}/console/oidc/start", c.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(oidc.flows_in_flight(), 1);
}

/// A directory editor cannot make the server hold checked files without bound: each check
/// keeps a parsed copy for 30 minutes awaiting "Publish", so only the newest few are kept.
async fn checked_directory_files_held_are_bounded<S: ConsoleStore>(store: S) {
    let c = Console::start(store, "Fictional midwifery", false).await;
    let editor = c.sign_in(&[Role::DirectoryEditor]).await;
    let file = directory_file(2, &[(c.team, "Fictional midwifery")]);
    let boundary = "attack18";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d.jsonl\"\r\n\
         Content-Type: application/json\r\n\r\n{file}\r\n--{boundary}--\r\n",
        editor.csrf
    );
    let mut last = String::new();
    for _ in 0..(safeshare_server::console::MAX_DRAFTS + 10) {
        let resp = c
            .http
            .post(format!("{}/console/directory/import", c.base))
            .header(COOKIE, &editor.cookie)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let html = resp.text().await.unwrap();
        let at = html.find("name=\"draft\" value=\"").unwrap() + 20;
        last = html[at..].split('"').next().unwrap().to_owned();
    }
    assert!(c.console.drafts.lock().unwrap().len() <= safeshare_server::console::MAX_DRAFTS);
    // The newest is still there to publish.
    let resp = c
        .http
        .post(format!("{}/console/directory/publish", c.base))
        .header(COOKIE, &editor.cookie)
        .form(&[("csrf", editor.csrf.as_str()), ("draft", last.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        c.state
            .store
            .latest_directory()
            .await
            .unwrap()
            .unwrap()
            .version,
        2
    );
}

/// A signed-in person trying another role's action is refused and the attempt is in the admin
/// audit under their actor (probing for a wider role is what an assurance review looks for),
/// while merely opening another role's page is refused without an audit row.
async fn another_roles_action_is_refused_and_audited<S: ConsoleStore>(store: S) {
    let c = Console::start(store, "Fictional midwifery", false).await;
    let lead = c.sign_in(&[Role::Assurance]).await;
    let team = c.team.to_string();
    let device = safeshare_core::model::DeviceId::new();
    let attempts = [
        ("/console/codes".to_owned(), "codes/issue"),
        (
            format!("/console/devices/{device}/revoke"),
            "devices/revoke",
        ),
        (
            format!("/console/devices/{device}/retire"),
            "devices/retire",
        ),
        ("/console/directory/publish".to_owned(), "directory/publish"),
    ];
    for (path, _) in &attempts {
        let resp = c
            .http
            .post(format!("{}{path}", c.base))
            .header(COOKIE, &lead.cookie)
            .form(&[("csrf", lead.csrf.as_str()), ("team", &team)])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(
        c.get(&lead.cookie, "/console/devices").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(c.codes_issued().await, 0);
    let audit = c.state.store.list_admin_audit(100).await.unwrap();
    let refused: Vec<_> = audit
        .iter()
        .filter(|r| r.action == "console_action_forbidden")
        .collect();
    assert_eq!(refused.len(), attempts.len(), "{audit:?}");
    assert!(refused.iter().all(|r| r.actor.starts_with("link:")));
    for (_, what) in &attempts {
        assert!(refused.iter().any(|r| r.target == *what), "{what}");
    }
}

/// No return URL is ever followed: sign-in and every redirect go to the console's own paths,
/// whatever `next`/`return_to` a crafted link carries.
async fn no_return_url_is_followed<S: ConsoleStore>(store: S) {
    let c = Console::start(store, "Fictional midwifery", false).await;
    let token = c.link(&[Role::Assurance]).await;
    let (pre, csrf) = c.confirm_form(&token).await;
    let resp = c
        .http
        .post(format!(
            "{}/console/link/{token}?next=https://evil.example/&return_to=//evil.example",
            c.base
        ))
        .header(COOKIE, &pre)
        .form(&[("csrf", csrf.as_str()), ("next", "https://evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()[LOCATION], "/console/");
    let session = cookie_value(&resp, "safeshare_console").unwrap();
    for path in [
        "/console/?next=https://evil.example/",
        "/console?next=//evil.example",
        "/console//evil.example/",
        "/console/%2F%2Fevil.example",
    ] {
        for cookie in ["", session.as_str()] {
            let resp = c.get(cookie, path).await;
            if let Some(to) = resp.headers().get(LOCATION) {
                let to = to.to_str().unwrap();
                assert!(
                    to.starts_with("/console") && !to.starts_with("//"),
                    "{path} -> {to}"
                );
            }
        }
    }
}

/// An anonymous request with a made-up session cookie is answered without queueing on the
/// SQLite writer (the one thread phones' pushes also wait on): while the writer is stuck behind
/// a write lock held elsewhere, it is still sent to sign in at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_session_cookie_never_waits_for_the_sqlite_writer() {
    let (dir, store) = sqlite_store();
    let c = Arc::new(Console::start(store, "Fictional midwifery", false).await);
    let b = c.sign_in(&[Role::Assurance]).await;
    // Another process holds the write lock (as a long write would), and a real session's
    // request sets the writer thread waiting on it (it marks the session seen).
    let blocker = rusqlite::Connection::open(dir.path().join("data").join("safeshare.db")).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let stuck = tokio::spawn({
        let c = Arc::clone(&c);
        let cookie = b.cookie.clone();
        async move { c.get(&cookie, "/console/overdue").await.status() }
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    for _ in 0..3 {
        let forged = format!(
            "safeshare_console={}",
            safeshare_server::console::auth::random_token().unwrap()
        );
        let started = std::time::Instant::now();
        let resp = c.get(&forged, "/console/overdue").await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "waited {:?} for the writer",
            started.elapsed()
        );
    }
    blocker.execute_batch("ROLLBACK").unwrap();
    let _ = stuck.await.unwrap();
    assert_eq!(
        c.get(&b.cookie, "/console/overdue").await.status(),
        StatusCode::OK
    );
}

/// A newcomer who runs `serve --demo` a second time while the first still runs (the README's
/// first command, typed again) gets the bind error and nothing else: the running server's
/// printed enrolment code is not revoked, and no second all-roles sign-in link is made.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_demo_on_a_busy_port_changes_nothing() {
    use tokio::io::AsyncBufReadExt as _;
    let bin = env!("CARGO_BIN_EXE_safeshare-server");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut first = tokio::process::Command::new(bin)
        .arg("--data-dir")
        .arg(&data)
        .args(["serve", "--listen", "127.0.0.1:0", "--demo"])
        .env_remove("DATABASE_URL")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(first.stdout.take().unwrap()).lines();
    let (mut code, mut url) = (String::new(), String::new());
    tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(c) = line.split("Enrolment code: ").nth(1) {
                code = c.trim().to_owned();
            }
            if let Some(u) = line.strip_prefix("listening on ") {
                url = u.to_owned();
                break;
            }
        }
    })
    .await
    .expect("the first server did not start");
    let audit_before = std::process::Command::new(bin)
        .arg("--data-dir")
        .arg(&data)
        .args(["audit", "--limit", "100"])
        .output()
        .unwrap()
        .stdout;
    let second = std::process::Command::new(bin)
        .arg("--data-dir")
        .arg(&data)
        .args([
            "serve",
            "--demo",
            "--listen",
            url.trim_start_matches("http://"),
        ])
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(!second.status.success());
    let out = String::from_utf8_lossy(&second.stdout);
    assert!(!out.contains("/console/link/"), "a link was printed: {out}");
    assert!(!out.contains("Enrolment code"), "a code was printed: {out}");
    let audit_after = std::process::Command::new(bin)
        .arg("--data-dir")
        .arg(&data)
        .args(["audit", "--limit", "100"])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(
        String::from_utf8_lossy(&audit_after),
        String::from_utf8_lossy(&audit_before),
        "the failed start wrote to the audit"
    );
    // The running server's code still enrols a phone.
    let key = safeshare_core::sync::DeviceKeyPair::generate().unwrap();
    let resp = reqwest::Client::new()
        .post(format!("{url}{}", safeshare_core::sync::paths::ENROL))
        .json(&safeshare_core::sync::EnrolRequest {
            code,
            public_key: key.public_key(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    first.kill().await.unwrap();
}

/// Sends `head` (request line and headers, without the blank line) and no body over a raw
/// socket; returns the status line and how long the answer took.
async fn head_only(base: &str, head: &str) -> (String, std::time::Duration) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let started = std::time::Instant::now();
    let mut socket = tokio::net::TcpStream::connect(base.trim_start_matches("http://"))
        .await
        .unwrap();
    socket
        .write_all(format!("{head}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut answer = vec![0u8; 512];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), socket.read(&mut answer))
        .await
        .expect("an answer within 10 s")
        .unwrap();
    let text = String::from_utf8_lossy(&answer[..n]).into_owned();
    (
        text.lines().next().unwrap_or_default().to_owned(),
        started.elapsed(),
    )
}

/// A signed-in user's POST that declares a body over its limit is refused on its headers,
/// before any body byte is read or waited for (the limits of `console_auth.rs` hold once the
/// bytes arrive; this is the declared size).
async fn a_declared_oversize_body_is_refused_before_reading<S: ConsoleStore>(store: S) {
    let c = Console::start(store, "Fictional midwifery", false).await;
    let host = c.base.trim_start_matches("http://").to_owned();
    let editor = c.sign_in(&[Role::DirectoryEditor]).await;
    let admin = c.sign_in(&[Role::DeviceAdmin]).await;
    for (path, cookie, kind) in [
        (
            "/console/directory/import",
            &editor.cookie,
            "multipart/form-data; boundary=x",
        ),
        (
            "/console/codes",
            &admin.cookie,
            "application/x-www-form-urlencoded",
        ),
    ] {
        let (status, took) = head_only(
            &c.base,
            &format!(
                "POST {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n\
                 Content-Type: {kind}\r\nContent-Length: 104857600"
            ),
        )
        .await;
        assert!(status.contains(" 413 "), "{path}: {status}");
        assert!(took < std::time::Duration::from_secs(1), "{path}: {took:?}");
    }
}

on_both_backends!(
    two_uses_of_one_link_at_once_make_one_session,
    sign_in_issues_a_new_session_id,
    csrf_tokens_in_the_wrong_place_are_refused,
    a_cross_site_post_is_refused_even_with_a_valid_token,
    the_content_security_policy_allows_no_script,
    markup_in_team_names_and_audit_entries_is_shown_as_text,
    openid_connect_refuses_every_forged_or_replayed_answer,
    starting_openid_connect_sign_in_is_throttled,
    checked_directory_files_held_are_bounded,
    another_roles_action_is_refused_and_audited,
    no_return_url_is_followed,
    a_declared_oversize_body_is_refused_before_reading,
);

//! The console's authorisation over a real socket on 127.0.0.1, against SQLite and
//! PostgreSQL: each role sees and does only its pages; a visitor with no session is sent to
//! sign in; a one-time link works once and never after 10 minutes; an idle session ends; a
//! POST without its CSRF token is refused and changes nothing; a POST's body is read only after
//! the session and role are checked, up to its limit, and within the request timeout.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

mod common;

use chrono::Duration;
use common::*;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;
use reqwest::StatusCode;
use safeshare_core::clock::{Clock, FixedClock};
use safeshare_core::model::TeamId;
use safeshare_core::sync::{DeviceKeyPair, EnrolRequest};
use safeshare_server::admin::import_directory;
use safeshare_server::console::auth::{issue_link, Role};
use safeshare_server::console::store::ConsoleStore;
use safeshare_server::console::{ConsoleConfig, ConsoleState};
use safeshare_server::enrolment::issue;
use safeshare_server::http::{router_with_console, AppState};
use safeshare_server::metrics::Metrics;
use safeshare_server::serve::{serve_app, ConnectionLimits};
use std::collections::BTreeSet;
use std::sync::Arc;

struct Console<S: ConsoleStore> {
    base: String,
    state: Arc<AppState<S>>,
    clock: Arc<FixedClock>,
    team: TeamId,
    http: reqwest::Client,
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

impl<S: ConsoleStore> Console<S> {
    async fn start(store: S) -> Self {
        Self::start_with(store, ConnectionLimits::default(), false).await
    }

    async fn start_with(store: S, limits: ConnectionLimits, secure_cookies: bool) -> Self {
        let clock = Arc::new(FixedClock::new(t0()));
        let team = TeamId::new();
        import_directory(
            &store,
            &directory_file(1, &[(team, "Fictional midwifery")]),
            t0(),
        )
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
        let console = Arc::new(
            ConsoleState::new(
                Arc::clone(&state),
                ConsoleConfig {
                    public_url: base.clone(),
                    secure_cookies,
                },
                None,
            )
            .unwrap(),
        );
        let app = router_with_console(Arc::clone(&state), console, &limits);
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
            clock,
            team,
            http: reqwest::Client::builder()
                .redirect(Policy::none())
                .build()
                .unwrap(),
        }
    }

    async fn link(&self, roles: &[Role]) -> String {
        let roles: BTreeSet<Role> = roles.iter().copied().collect();
        issue_link(&self.state.store, &roles, self.clock.now())
            .await
            .unwrap()
    }

    /// Opens the link's page and presses "Sign in": the response of the POST.
    async fn redeem(&self, token: &str) -> reqwest::Response {
        let url = format!("{}/console/link/{token}", self.base);
        let page = self.http.get(&url).send().await.unwrap();
        let (pre, csrf) = match cookie_value(&page, "safeshare_console_pre") {
            Some(pre) => (pre, csrf_in(&page.text().await.unwrap())),
            // A refused link has no form; post as a browser holding an old form would.
            None => (String::new(), String::new()),
        };
        self.http
            .post(&url)
            .header(COOKIE, pre)
            .form(&[("csrf", csrf)])
            .send()
            .await
            .unwrap()
    }

    async fn sign_in(&self, roles: &[Role]) -> Browser {
        let token = self.link(roles).await;
        let resp = self.redeem(&token).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        let cookie = cookie_value(&resp, "safeshare_console").expect("session cookie");
        let set = resp.headers().get(SET_COOKIE).unwrap().to_str().unwrap();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict"),
            "{set}"
        );
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

    async fn post(&self, cookie: &str, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .header(COOKIE, cookie)
            .form(form)
            .send()
            .await
            .unwrap()
    }

    async fn import(&self, b: &Browser, file: &str) -> reqwest::Response {
        self.try_import(b, file).await.unwrap()
    }

    async fn try_import(&self, b: &Browser, file: &str) -> reqwest::Result<reqwest::Response> {
        let boundary = "safeshareboundary18";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d.jsonl\"\r\n\
             Content-Type: application/json\r\n\r\n{file}\r\n--{boundary}--\r\n",
            b.csrf
        );
        self.http
            .post(format!("{}/console/directory/import", self.base))
            .header(COOKIE, &b.cookie)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
    }

    async fn enrol_device(&self) -> safeshare_core::model::DeviceId {
        let code = issue(
            &self.state.store,
            None,
            vec![self.team],
            Duration::hours(1),
            self.clock.now(),
        )
        .await
        .unwrap()
        .code;
        let key = DeviceKeyPair::generate().unwrap();
        let resp = self
            .http
            .post(format!(
                "{}{}",
                self.base,
                safeshare_core::sync::paths::ENROL
            ))
            .json(&EnrolRequest {
                code,
                public_key: key.public_key(),
            })
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let info: safeshare_core::sync::DeviceInfo = resp.json().await.unwrap();
        info.device_id
    }
}

const PAGES: [(&str, Option<Role>); 5] = [
    ("/console/overdue", Some(Role::Assurance)),
    ("/console/devices", Some(Role::DeviceAdmin)),
    ("/console/codes", Some(Role::DeviceAdmin)),
    ("/console/directory", Some(Role::DirectoryEditor)),
    ("/console/audit", None),
];

async fn each_role_sees_only_its_pages<S: ConsoleStore>(store: S) {
    let c = Console::start(store).await;
    for role in Role::ALL {
        let b = c.sign_in(&[role]).await;
        for (path, needs) in PAGES {
            let resp = c.get(&b.cookie, path).await;
            let expected = if needs.is_none_or(|r| r == role) {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(resp.status(), expected, "{role:?} GET {path}");
            let csp = resp.headers()["content-security-policy"].to_str().unwrap();
            assert!(csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"));
        }
    }
    // No session: every page sends the visitor to sign in.
    for (path, _) in PAGES {
        let resp = c.get("", path).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "anonymous GET {path}");
        assert_eq!(resp.headers()[LOCATION], "/console/");
    }
}

async fn each_role_does_only_its_actions<S: ConsoleStore>(store: S) {
    let c = Console::start(store).await;
    let device = c.enrol_device().await;
    let revoke = format!("/console/devices/{device}/revoke");
    let team = c.team.to_string();
    let newer = directory_file(2, &[(c.team, "Fictional midwifery")]);
    for role in [Role::Assurance, Role::DirectoryEditor] {
        let b = c.sign_in(&[role]).await;
        let resp = c.post(&b.cookie, &revoke, &[("csrf", &b.csrf)]).await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{role:?} revoke");
        let resp = c
            .post(
                &b.cookie,
                "/console/codes",
                &[("csrf", &b.csrf), ("team", &team)],
            )
            .await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{role:?} issue code");
    }
    for role in [Role::Assurance, Role::DeviceAdmin] {
        let b = c.sign_in(&[role]).await;
        let resp = c.import(&b, &newer).await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{role:?} import");
        let resp = c
            .post(
                &b.cookie,
                "/console/directory/publish",
                &[("csrf", &b.csrf), ("draft", "x")],
            )
            .await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{role:?} publish");
    }
    // Nothing the refused roles tried happened.
    let stored = c.state.store.device(device).await.unwrap().unwrap();
    assert!(stored.revoked_at.is_none());
    assert_eq!(
        c.state
            .store
            .latest_directory()
            .await
            .unwrap()
            .unwrap()
            .version,
        1
    );

    // The roles that may: a device admin revokes and issues; a directory editor publishes.
    let admin = c.sign_in(&[Role::DeviceAdmin]).await;
    let resp = c.post(&admin.cookie, &revoke, &[("csrf", "")]).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "no CSRF token");
    let other = c.sign_in(&[Role::DeviceAdmin]).await;
    let resp = c
        .post(&admin.cookie, &revoke, &[("csrf", &other.csrf)])
        .await;
    assert_eq!(
        resp.status(),
        StatusCode::FORBIDDEN,
        "another session's token"
    );
    assert!(c
        .state
        .store
        .device(device)
        .await
        .unwrap()
        .unwrap()
        .revoked_at
        .is_none());
    let resp = c
        .post(&admin.cookie, &revoke, &[("csrf", &admin.csrf)])
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(c
        .state
        .store
        .device(device)
        .await
        .unwrap()
        .unwrap()
        .revoked_at
        .is_some());
    let resp = c
        .post(
            &admin.cookie,
            "/console/codes",
            &[("csrf", &admin.csrf), ("team", &team)],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.text().await.unwrap().contains("id=\"issued-code\""));

    let editor = c.sign_in(&[Role::DirectoryEditor]).await;
    let resp = c.import(&editor, &newer).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await.unwrap();
    let at = html.find("name=\"draft\" value=\"").unwrap() + 20;
    let draft = html[at..].split('"').next().unwrap().to_owned();
    let resp = c
        .post(
            &editor.cookie,
            "/console/directory/publish",
            &[("csrf", &editor.csrf), ("draft", &draft)],
        )
        .await;
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
    // A code listed can be revoked by a device admin only.
    let code_id = c.state.store.list_codes().await.unwrap()[0].code_id.clone();
    let revoke_code = format!("/console/codes/{code_id}/revoke");
    for b in [&editor, &c.sign_in(&[Role::Assurance]).await] {
        let resp = c.post(&b.cookie, &revoke_code, &[("csrf", &b.csrf)]).await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(
        c.state.store.list_codes().await.unwrap()[0].status(c.clock.now()),
        "active"
    );
    let resp = c
        .post(&admin.cookie, &revoke_code, &[("csrf", &admin.csrf)])
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        c.state.store.list_codes().await.unwrap()[0].status(c.clock.now()),
        "revoked"
    );

    // Every action is in the admin audit under the console actor.
    let admin_audit = c.state.store.list_admin_audit(100).await.unwrap();
    for action in [
        "device_revoked",
        "code_issued",
        "code_revoked",
        "directory_imported",
    ] {
        assert!(
            admin_audit
                .iter()
                .any(|r| r.action == action && r.actor.starts_with("link:")),
            "admin audit {action}: {admin_audit:?}"
        );
    }
    // Sign-in events are in the same admin audit as the actions.
    for action in ["console_sign_in", "console_csrf_refused"] {
        assert!(
            admin_audit.iter().any(|r| r.action == action),
            "audit {action}"
        );
    }
}

async fn a_one_time_link_works_once<S: ConsoleStore>(store: S) {
    let c = Console::start(store).await;
    let token = c.link(&[Role::Assurance]).await;
    let first = c.redeem(&token).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let again = c.redeem(&token).await;
    assert_eq!(again.status(), StatusCode::FORBIDDEN, "reused link");
    assert!(cookie_value(&again, "safeshare_console").is_none());
    // Even with a fresh confirmation form taken before the first use.
    let token = c.link(&[Role::Assurance]).await;
    let url = format!("{}/console/link/{token}", c.base);
    let page = c.http.get(&url).send().await.unwrap();
    let pre = cookie_value(&page, "safeshare_console_pre").unwrap();
    let csrf = csrf_in(&page.text().await.unwrap());
    for expected in [StatusCode::SEE_OTHER, StatusCode::FORBIDDEN] {
        let resp = c
            .http
            .post(&url)
            .header(COOKIE, &pre)
            .form(&[("csrf", &csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), expected);
    }
    let refused = c.state.store.list_admin_audit(100).await.unwrap();
    assert!(refused
        .iter()
        .any(|r| r.action == "console_sign_in_refused" && r.target == "used"));
}

async fn an_expired_link_is_refused<S: ConsoleStore>(store: S) {
    let c = Console::start(store).await;
    let token = c.link(&[Role::DeviceAdmin]).await;
    c.clock
        .advance(Duration::minutes(10) + Duration::seconds(1));
    let resp = c.redeem(&token).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(cookie_value(&resp, "safeshare_console").is_none());
    // Just inside the ten minutes still works.
    let token = c.link(&[Role::DeviceAdmin]).await;
    c.clock
        .advance(Duration::minutes(10) - Duration::seconds(1));
    assert_eq!(c.redeem(&token).await.status(), StatusCode::SEE_OTHER);
}

async fn a_link_post_without_its_form_token_is_refused<S: ConsoleStore>(store: S) {
    let c = Console::start(store).await;
    let token = c.link(&[Role::Assurance]).await;
    let url = format!("{}/console/link/{token}", c.base);
    let resp = c
        .http
        .post(&url)
        .form(&[("csrf", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    // The link was not spent by the refused post.
    assert_eq!(c.redeem(&token).await.status(), StatusCode::SEE_OTHER);
}

async fn an_idle_or_signed_out_session_ends<S: ConsoleStore>(store: S) {
    let c = Console::start(store).await;
    let b = c.sign_in(&[Role::Assurance]).await;
    c.clock.advance(Duration::minutes(29));
    assert_eq!(
        c.get(&b.cookie, "/console/overdue").await.status(),
        StatusCode::OK
    );
    c.clock.advance(Duration::minutes(31));
    assert_eq!(
        c.get(&b.cookie, "/console/overdue").await.status(),
        StatusCode::SEE_OTHER
    );
    let b = c.sign_in(&[Role::Assurance]).await;
    let resp = c
        .post(&b.cookie, "/console/sign-out", &[("csrf", &b.csrf)])
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        c.get(&b.cookie, "/console/overdue").await.status(),
        StatusCode::SEE_OTHER
    );
}

/// Sends `head` (request line and headers, without the blank line) and then `body`, over a
/// raw socket, and returns the status line and how long the answer took.
async fn raw(base: &str, head: &str, body: &[u8]) -> (String, std::time::Duration) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let started = std::time::Instant::now();
    let mut socket = tokio::net::TcpStream::connect(base.trim_start_matches("http://"))
        .await
        .unwrap();
    socket
        .write_all(format!("{head}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    socket.write_all(body).await.unwrap();
    let mut answer = vec![0u8; 512];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), socket.read(&mut answer))
        .await
        .expect("an answer within 10 s")
        .unwrap();
    let text = String::from_utf8_lossy(&answer[..n]).into_owned();
    let status = text.lines().next().unwrap_or_default().to_owned();
    (status, started.elapsed())
}

async fn a_post_body_is_read_only_after_sign_in_and_within_its_limit<S: ConsoleStore>(store: S) {
    let limits = ConnectionLimits {
        request_timeout: std::time::Duration::from_secs(2),
        ..ConnectionLimits::default()
    };
    let c = Console::start_with(store, limits, false).await;
    let host = c.base.trim_start_matches("http://").to_owned();
    // No session: refused on the headers alone, without waiting for the promised megabyte.
    let (status, took) = raw(
        &c.base,
        &format!(
            "POST /console/codes HTTP/1.1\r\nHost: {host}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1048576"
        ),
        b"",
    )
    .await;
    assert!(status.contains(" 303 "), "{status}");
    assert!(took < std::time::Duration::from_secs(1), "{took:?}");
    // Signed in, but the wrong role: the same, before any body byte.
    let editor = c.sign_in(&[Role::DirectoryEditor]).await;
    let (status, _) = raw(
        &c.base,
        &format!(
            "POST /console/codes HTTP/1.1\r\nHost: {host}\r\nCookie: {}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1048576",
            editor.cookie
        ),
        b"",
    )
    .await;
    assert!(status.contains(" 403 "), "{status}");
    // The right role: a form over 16 KiB is refused whole and issues nothing.
    let admin = c.sign_in(&[Role::DeviceAdmin]).await;
    let team = c.team.to_string();
    let padding = "x".repeat(20 * 1024);
    let resp = c
        .post(
            &admin.cookie,
            "/console/codes",
            &[("csrf", &admin.csrf), ("team", &team), ("pad", &padding)],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(c.state.store.list_codes().await.unwrap().is_empty());
    // A directory file over 4 MiB: 413, nothing checked or stored. The server refuses before
    // reading the body whole and may close the connection while the client is still writing
    // it; the client then sees the connection cut mid-body instead of the 413 (seen under load
    // in CI): the same refusal.
    let editor = c.sign_in(&[Role::DirectoryEditor]).await;
    let big = format!("{}\n", "y".repeat(4 * 1024 * 1024 + 1));
    match c.try_import(&editor, &big).await {
        Ok(resp) => assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE),
        Err(e) => assert!(cut_while_writing(&e), "{e:?}"),
    }
    // A body that never finishes is abandoned at the request timeout, as on the sync routes.
    let (status, took) = raw(
        &c.base,
        &format!(
            "POST /console/codes HTTP/1.1\r\nHost: {host}\r\nCookie: {}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100",
            admin.cookie
        ),
        b"csrf=",
    )
    .await;
    assert!(status.contains(" 408 "), "{status}");
    assert!(took >= std::time::Duration::from_secs(2), "{took:?}");
    assert!(c.state.store.list_codes().await.unwrap().is_empty());
}

/// True if `e` is the connection broken or reset under the client while it sent the request.
fn cut_while_writing(e: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
            );
        }
        source = cause.source();
    }
    false
}

async fn a_console_reached_over_tls_sets_secure_cookies<S: ConsoleStore>(store: S) {
    let c = Console::start_with(store, ConnectionLimits::default(), true).await;
    let token = c.link(&[Role::Assurance]).await;
    let page = c
        .http
        .get(format!("{}/console/link/{token}", c.base))
        .send()
        .await
        .unwrap();
    let pre = page.headers().get(SET_COOKIE).unwrap().to_str().unwrap();
    assert!(
        pre.contains("; Secure") && pre.contains("HttpOnly"),
        "{pre}"
    );
    let resp = c.redeem(&token).await;
    let session = resp.headers().get(SET_COOKIE).unwrap().to_str().unwrap();
    assert!(
        session.starts_with("safeshare_console=")
            && session.contains("; Secure")
            && session.contains("SameSite=Strict"),
        "{session}"
    );
}

async fn sign_in_attempts_from_one_address_are_throttled<S: ConsoleStore>(store: S) {
    let c = Console::start(store).await;
    let url = format!("{}/console/link/{}", c.base, "A".repeat(43));
    let mut refused = 0;
    let mut throttled = 0;
    for _ in 0..40 {
        let resp = c
            .http
            .post(&url)
            .form(&[("csrf", "x")])
            .send()
            .await
            .unwrap();
        match resp.status() {
            StatusCode::FORBIDDEN => refused += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                assert_eq!(resp.headers().get("retry-after").unwrap(), "60");
                throttled += 1;
            }
            other => panic!("{other}"),
        }
    }
    // The burst (one more if a slot came back during the run), then nothing.
    assert!((30..=31).contains(&refused), "{refused} refused");
    assert_eq!(refused + throttled, 40);
    let audited = c
        .state
        .store
        .list_admin_audit(100)
        .await
        .unwrap()
        .iter()
        .filter(|r| r.action == "console_csrf_refused")
        .count();
    assert_eq!(audited, refused, "a throttled attempt is not audited");
}

async fn only_a_device_admin_retires_a_phone_and_the_devices_page_shows_it<S: ConsoleStore>(
    store: S,
) {
    let c = Console::start(store).await;
    let device = c.enrol_device().await;
    let retire = format!("/console/devices/{device}/retire");
    for role in [Role::Assurance, Role::DirectoryEditor] {
        let b = c.sign_in(&[role]).await;
        let resp = c.post(&b.cookie, &retire, &[("csrf", &b.csrf)]).await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{role:?} retire");
    }
    let admin = c.sign_in(&[Role::DeviceAdmin]).await;
    let resp = c.post(&admin.cookie, &retire, &[("csrf", "")]).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "no CSRF token");
    assert_eq!(
        c.state
            .store
            .device(device)
            .await
            .unwrap()
            .unwrap()
            .retired_at,
        None
    );
    let page = c
        .get(&admin.cookie, "/console/devices")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!(
        "Retire<span class=\"nhsuk-u-visually-hidden\"> device {device}"
    )));

    let resp = c
        .post(&admin.cookie, &retire, &[("csrf", &admin.csrf)])
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let stored = c.state.store.device(device).await.unwrap().unwrap();
    assert!(stored.retired_at.is_some());
    assert!(stored.revoked_at.is_none(), "retired, not revoked");
    // The page shows it retired, offers no second retirement, and still offers revocation (a
    // retired phone lost before it wiped).
    let page = c
        .get(&admin.cookie, "/console/devices")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(">Retired</strong>"), "{page}");
    assert!(!page.contains(&format!("/console/devices/{device}/retire")));
    assert!(page.contains(&format!("/console/devices/{device}/revoke")));
    let audit = c.state.store.list_admin_audit(20).await.unwrap();
    assert!(audit
        .iter()
        .any(|a| a.action == "device_retired" && a.target == device.to_string()));
}

on_both_backends!(
    each_role_sees_only_its_pages,
    each_role_does_only_its_actions,
    only_a_device_admin_retires_a_phone_and_the_devices_page_shows_it,
    a_one_time_link_works_once,
    an_expired_link_is_refused,
    a_link_post_without_its_form_token_is_refused,
    an_idle_or_signed_out_session_ends,
    a_post_body_is_read_only_after_sign_in_and_within_its_limit,
    a_console_reached_over_tls_sets_secure_cookies,
    sign_in_attempts_from_one_address_are_throttled,
);

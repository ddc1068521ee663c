//! A real sync server on 127.0.0.1 for the HTTP tests (`http.rs`, `signed_routes.rs`): the
//! router served on an ephemeral port over a real store, a fixtures directory imported, a
//! region key, and the requests those tests make before any signing (an enrolment code, an
//! enrolment, a request's head sent alone). Written once here (issue 16 item 6's kind); each
//! of those tests started and spoke to the server in its own copy before.
//!
//! Invariants and why:
//! - The server is listening before [`Loopback::start`] returns (the listener is bound
//!   first), so a test's first request never races the start.
//! - Codes are issued at the server's own clock's now, so a test that moves the clock moves
//!   what "expired" means for the server and the code alike.
//! - [`Loopback::stop`] waits for the serving task to end and fails the test if serving
//!   failed: an error there is a server fault the test would otherwise not see.

use super::{directory_file, t0};
use chrono::Duration;
use safeshare_core::clock::Clock;
use safeshare_core::model::TeamId;
use safeshare_core::sync::{paths, DeviceInfo, DeviceKeyPair, EnrolRequest, RegionKeyPair};
use safeshare_server::admin::import_directory;
use safeshare_server::enrolment::issue;
use safeshare_server::http::AppState;
use safeshare_server::metrics::Metrics;
use safeshare_server::serve::serve;
use safeshare_server::storage::Store;
use std::sync::Arc;

/// The server under test, serving on 127.0.0.1 until [`Loopback::stop`].
pub struct Loopback<S: Store> {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The state the router serves (its store, clock, metrics and region key).
    pub state: Arc<AppState<S>>,
    /// A client for the tests' requests.
    pub http: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl<S: Store> Loopback<S> {
    /// Imports a directory (version 1, at [`t0`]) of `teams` into `store`, then serves it on
    /// 127.0.0.1 with `clock` and a new region key.
    pub async fn start(store: S, clock: Arc<dyn Clock>, teams: &[(TeamId, &str)]) -> Self {
        import_directory(&store, &directory_file(1, teams), t0())
            .await
            .unwrap();
        let state = Arc::new(AppState {
            store,
            clock,
            metrics: Metrics::default(),
            region: Some(Arc::new(RegionKeyPair::generate().expect("region key"))),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn({
            let state = Arc::clone(&state);
            async move {
                serve(state, listener, async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
            }
        });
        Self {
            base,
            state,
            http: reqwest::Client::new(),
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Stops serving and waits for the server to finish.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap();
        }
    }

    /// A new enrolment code for `team`, valid for 72 hours from the server's now.
    pub async fn code(&self, team: TeamId) -> String {
        issue(
            &self.state.store,
            None,
            vec![team],
            Duration::hours(72),
            self.state.clock.now(),
        )
        .await
        .unwrap()
        .code
    }

    /// POSTs `body` to the enrolment route as JSON, as it is.
    pub async fn enrol_raw(&self, body: String) -> reqwest::Response {
        self.http
            .post(format!("{}{}", self.base, paths::ENROL))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// Enrols a new device key with a fresh code for `team`: the enrolment must succeed.
    pub async fn enrol(&self, team: TeamId) -> (DeviceInfo, DeviceKeyPair) {
        let key = DeviceKeyPair::generate().unwrap();
        let body = serde_json::to_string(&EnrolRequest {
            code: self.code(team).await,
            public_key: key.public_key(),
        })
        .unwrap();
        let resp = self.enrol_raw(body).await;
        assert_eq!(resp.status(), 200);
        (resp.json().await.unwrap(), key)
    }

    /// Sends only the head of `method path` declaring a body of `declared` bytes, with
    /// `headers`, and reads the whole answer: the status code (0 if none) and the text. The
    /// server must answer from the head alone; no answer within 10 s fails the test.
    pub async fn head_only(
        &self,
        method: &str,
        path: &str,
        headers: &[(&'static str, String)],
        declared: usize,
    ) -> (u16, String) {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let addr = self.base.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\ncontent-length: {declared}\r\nconnection: close\r\n"
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(
            std::time::Duration::from_secs(10),
            stream.read_to_end(&mut answer),
        )
        .await
        .expect("answered without the body")
        .unwrap();
        let text = String::from_utf8_lossy(&answer).into_owned();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, text)
    }
}

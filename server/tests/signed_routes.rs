//! Every signed sync route refuses an unsigned request, over a real socket on 127.0.0.1, on
//! SQLite and PostgreSQL. The routes are taken from the router's own table
//! (`safeshare_server::http::sync_route_list`), so a route added there is held to the same
//! checks, and a new open route fails here until it is added to the short open list on purpose.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

mod common;

use common::loopback::Loopback;
use common::*;
use safeshare_core::clock::{Clock, FixedClock};
use safeshare_core::model::{DeviceId, TeamId};
use safeshare_core::sync::{paths, DeviceKeyPair, ErrorBody, ErrorCode, MAX_BODY_BYTES};
use safeshare_server::http::{sync_route_list, Access, Route};
use safeshare_server::storage::Store;
use std::sync::Arc;

struct Server<S: Store> {
    net: Loopback<S>,
    team: TeamId,
}

impl<S: Store> Server<S> {
    async fn start(store: S) -> Self {
        let team = TeamId::new();
        let clock = Arc::new(FixedClock::new(t0())) as Arc<dyn Clock>;
        let net = Loopback::start(store, clock, &[(team, "Fictional midwifery A")]).await;
        Self { net, team }
    }

    async fn stop(self) {
        self.net.stop().await;
    }

    async fn enrol(&self) -> (DeviceId, DeviceKeyPair) {
        let (info, key) = self.net.enrol(self.team).await;
        (info.device_id, key)
    }

    async fn send(
        &self,
        method: &Method,
        path: &str,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    ) -> reqwest::Response {
        let mut req = self
            .net
            .http
            .request(method.clone(), format!("{}{}", self.net.base, path))
            .header("content-type", "application/json");
        for (name, value) in headers {
            req = req.header(name, value);
        }
        req.body(body).send().await.unwrap()
    }

    /// Sends only the head of `method path` declaring a body of `declared` bytes, with
    /// `headers`, and returns the status line's code: the server must answer without the body.
    async fn head_only(
        &self,
        method: &Method,
        path: &str,
        headers: &[(&'static str, String)],
        declared: usize,
    ) -> (u16, String) {
        self.net
            .head_only(method.as_str(), path, headers, declared)
            .await
    }
}

use reqwest::Method;

async fn refused_with(resp: reqwest::Response, route: &Route, code: ErrorCode) {
    assert_eq!(resp.status(), 401, "{route:?}");
    let body: ErrorBody = resp.json().await.unwrap();
    assert_eq!(body.code, code, "{route:?}");
}

/// A body a signed route would accept the shape of (push) or at least read (the others).
fn body_for(route: &Route) -> Vec<u8> {
    if route.method == Method::POST {
        br#"{"envelopes": []}"#.to_vec()
    } else {
        Vec::new()
    }
}

async fn every_signed_route_authenticates_before_anything<S: Store>(store: S) {
    let s = Server::start(store).await;
    let (device, key) = s.enrol().await;
    let stranger = DeviceKeyPair::generate().unwrap();
    let routes = sync_route_list::<S>();
    let signed: Vec<&Route> = routes
        .iter()
        .filter(|r| r.access == Access::Signed)
        .collect();
    assert!(signed.len() >= 6, "the table lists the signed routes");
    for route in signed {
        let body = body_for(route);
        // No signature headers at all.
        let resp = s
            .send(&route.method, route.path, Vec::new(), body.clone())
            .await;
        refused_with(resp, route, ErrorCode::MissingSignature).await;

        // Unsigned, declaring a body far over every limit and sending none of it: refused as
        // unsigned, not as too large — authentication comes before the body is read.
        let (status, text) = s
            .head_only(&route.method, route.path, &[], MAX_BODY_BYTES * 4)
            .await;
        assert_eq!(status, 401, "{route:?}: {text}");
        assert!(text.contains("missing_signature"), "{route:?}: {text}");

        // Signed by a key no device was enrolled with.
        let sig = stranger
            .sign_request(
                DeviceId::new(),
                route.method.as_str(),
                route.path,
                &body,
                t0(),
            )
            .unwrap();
        let resp = s
            .send(
                &route.method,
                route.path,
                sig.headers().to_vec(),
                body.clone(),
            )
            .await;
        refused_with(resp, route, ErrorCode::UnknownDevice).await;

        // The enrolled device's signature over another body.
        let sig = key
            .sign_request(device, route.method.as_str(), route.path, b"{}x", t0())
            .unwrap();
        let resp = s
            .send(
                &route.method,
                route.path,
                sig.headers().to_vec(),
                body.clone(),
            )
            .await;
        refused_with(resp, route, ErrorCode::BadSignature).await;

        // Signed properly, the route is served: whatever it answers, it is not an
        // authentication refusal and not "no such route".
        let sig = key
            .sign_request(device, route.method.as_str(), route.path, &body, t0())
            .unwrap();
        let resp = s
            .send(&route.method, route.path, sig.headers().to_vec(), body)
            .await;
        let status = resp.status().as_u16();
        assert!(
            ![401, 404, 405].contains(&status),
            "{route:?} answered a signed request {status}"
        );
    }
    s.stop().await;
}

async fn only_enrolment_health_and_metrics_are_open<S: Store>(store: S) {
    let s = Server::start(store).await;
    let open: Vec<(&str, Method)> = sync_route_list::<S>()
        .into_iter()
        .filter(|r| r.access == Access::Open)
        .map(|r| (r.path, r.method))
        .collect();
    // A new open route must be added here on purpose, after deciding it needs no signature.
    assert_eq!(
        open,
        vec![
            (paths::HEALTHZ, Method::GET),
            (paths::METRICS, Method::GET),
            (paths::ENROL, Method::POST),
        ]
    );
    for (path, method) in open {
        let resp = s.send(&method, path, Vec::new(), b"{}".to_vec()).await;
        let status = resp.status().as_u16();
        assert!(
            ![401, 404, 405].contains(&status),
            "{path} answered an unsigned request {status}"
        );
    }
    s.stop().await;
}

#[tokio::test]
async fn every_signed_route_authenticates_before_anything_sqlite() {
    let (_dir, store) = sqlite_store();
    every_signed_route_authenticates_before_anything(store).await;
}

#[tokio::test]
async fn every_signed_route_authenticates_before_anything_postgres() {
    if let Some(store) = pg_store().await {
        every_signed_route_authenticates_before_anything(store).await;
    }
}

#[tokio::test]
async fn only_enrolment_health_and_metrics_are_open_sqlite() {
    let (_dir, store) = sqlite_store();
    only_enrolment_health_and_metrics_are_open(store).await;
}

#[tokio::test]
async fn only_enrolment_health_and_metrics_are_open_postgres() {
    if let Some(store) = pg_store().await {
        only_enrolment_health_and_metrics_are_open(store).await;
    }
}

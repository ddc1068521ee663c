//! What the server group's mutation run (tests/mutants server) found no other test of the group
//! asserting in the server's authentication proper and what it guards (http.rs's body reading,
//! the signed-request extractor and pull; issue 20's review), over a real server on 127.0.0.1
//! on SQLite and PostgreSQL:
//! - every body limit at its edge: a body of exactly the route's limit is read, one byte more is
//!   `413 body_too_large`, whether the length is declared or the body is chunked (a chunked
//!   body's length is known only once read, so the check after reading is the only one); a
//!   signed `GET` is held to its own small limit, a push to the large one;
//! - pull's position check: a position after the start naming another envelope is
//!   `409 unknown_position`, the start itself (0) has nothing to check;
//! - pull's team narrowing: each of the device's own teams is served alone, a team it is not
//!   in is `403 team_not_member`;
//! - pull's paging at a page of exactly the limit: `more` says whether another page waits.
//!
//! Each check names the exact status and typed error code, or the exact envelopes served.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

mod common;

use chrono::Duration;
use common::loopback::Loopback;
use common::*;
use reqwest::StatusCode;
use safeshare_core::clock::{Clock, FixedClock};
use safeshare_core::model::TeamId;
use safeshare_core::sync::{
    paths, random_nonce, DeviceInfo, DeviceKeyPair, EnrolRequest, Envelope, EnvelopeOutcome,
    ErrorBody, ErrorCode, PullQuery, PullResponse, PushRequest, PushResponse, MAX_BODY_BYTES,
};
use safeshare_server::http::{ENROL_BODY_LIMIT, GET_BODY_LIMIT};
use safeshare_server::storage::Store;
use std::sync::Arc;

struct Server<S: Store> {
    net: Loopback<S>,
    team_a: TeamId,
    team_b: TeamId,
}

struct Device {
    info: DeviceInfo,
    key: DeviceKeyPair,
}

impl<S: Store> Server<S> {
    async fn start(store: S) -> Self {
        let (team_a, team_b) = (TeamId::new(), TeamId::new());
        let clock = Arc::new(FixedClock::new(t0())) as Arc<dyn Clock>;
        let net = Loopback::start(
            store,
            clock,
            &[
                (team_a, "Fictional midwifery A"),
                (team_b, "Fictional health visiting B"),
            ],
        )
        .await;
        Self {
            net,
            team_a,
            team_b,
        }
    }

    async fn stop(self) {
        self.net.stop().await;
    }

    async fn enrol(&self, team: TeamId) -> Device {
        let (info, key) = self.net.enrol(team).await;
        Device { info, key }
    }

    /// A device whose practitioner is in every team of `teams` (one code naming them all).
    async fn enrol_in(&self, teams: Vec<TeamId>) -> Device {
        let code = safeshare_server::enrolment::issue(
            &self.net.state.store,
            None,
            teams.clone(),
            Duration::hours(72),
            t0(),
        )
        .await
        .unwrap()
        .code;
        let key = DeviceKeyPair::generate().unwrap();
        let body = serde_json::to_string(&EnrolRequest {
            code,
            public_key: key.public_key(),
        })
        .unwrap();
        let resp = self.net.enrol_raw(body).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let info: DeviceInfo = resp.json().await.unwrap();
        assert_eq!(info.teams.len(), teams.len());
        Device { info, key }
    }

    fn signature(
        &self,
        d: &Device,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> Vec<(&'static str, String)> {
        d.key
            .sign_request_with_nonce(
                d.info.device_id,
                method,
                path,
                body,
                t0(),
                random_nonce().unwrap(),
            )
            .headers()
            .to_vec()
    }

    /// `method path` with `body` (its length declared), signed by `d`.
    async fn signed(
        &self,
        d: &Device,
        method: &str,
        path: &str,
        body: Vec<u8>,
    ) -> reqwest::Response {
        let mut req = self.net.http.request(
            method.parse().unwrap(),
            format!("{}{}", self.net.base, path),
        );
        for (name, value) in self.signature(d, method, path, &body) {
            req = req.header(name, value);
        }
        req.header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// `method path` signed by `d` with `body` sent chunked, its length declared nowhere: the
    /// status code and the whole answer.
    async fn chunked(&self, d: &Device, method: &str, path: &str, body: &[u8]) -> (u16, String) {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let addr = self.net.base.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
             transfer-encoding: chunked\r\nconnection: close\r\n"
        );
        for (name, value) in self.signature(d, method, path, body) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await.unwrap();
        for chunk in body.chunks(64 * 1024) {
            stream
                .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .await
                .unwrap();
            stream.write_all(chunk).await.unwrap();
            stream.write_all(b"\r\n").await.unwrap();
        }
        stream.write_all(b"0\r\n\r\n").await.unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(
            std::time::Duration::from_secs(20),
            stream.read_to_end(&mut answer),
        )
        .await
        .expect("answered")
        .unwrap();
        let text = String::from_utf8_lossy(&answer).into_owned();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, text)
    }

    /// Sends the head of a signed `method path` declaring `declared` body bytes and none of
    /// them: the answer must come from the declared length alone.
    async fn declared(
        &self,
        d: &Device,
        method: &str,
        path: &str,
        declared: usize,
    ) -> (u16, String) {
        let headers = self.signature(d, method, path, b"");
        self.net.head_only(method, path, &headers, declared).await
    }

    /// Pushes `envelopes` signed by their author `d`: each one's sequence.
    async fn push(&self, d: &Device, envelopes: &[Envelope]) -> Vec<u64> {
        let envelopes: Vec<Envelope> = envelopes
            .iter()
            .map(|e| sign_as(e.clone(), &d.key))
            .collect();
        let body = serde_json::to_vec(&PushRequest { envelopes }).unwrap();
        let resp = self.signed(d, "POST", paths::PUSH, body).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let resp: PushResponse = resp.json().await.unwrap();
        resp.results
            .iter()
            .map(|r| match r.outcome {
                EnvelopeOutcome::Accepted { seq } => seq,
                ref other => panic!("not accepted: {other:?}"),
            })
            .collect()
    }

    async fn pull(&self, d: &Device, query: &PullQuery) -> reqwest::Response {
        let path = format!("{}{}", paths::PULL, query.to_query_string());
        self.signed(d, "GET", &path, Vec::new()).await
    }

    async fn page(&self, d: &Device, query: &PullQuery) -> PullResponse {
        let resp = self.pull(d, query).await;
        assert_eq!(resp.status(), StatusCode::OK);
        resp.json().await.unwrap()
    }
}

fn share_from(d: &Device, team: TeamId) -> Envelope {
    share(
        d.info.practitioner_id,
        d.info.device_id,
        vec![team],
        t0() + Duration::hours(4),
    )
}

fn envelopes_of(page: &PullResponse) -> Vec<Envelope> {
    page.envelopes.iter().map(|p| p.envelope.clone()).collect()
}

async fn refused(resp: reqwest::Response, status: StatusCode, code: ErrorCode) {
    assert_eq!(resp.status(), status);
    let body: ErrorBody = resp.json().await.unwrap();
    assert_eq!(body.code, code, "{}", body.message);
}

/// `text` (a whole HTTP answer) is `413 body_too_large`.
fn too_large(status: u16, text: &str) {
    assert_eq!(status, 413, "{text}");
    assert!(text.contains("\"body_too_large\""), "{text}");
}

/// `prefix` followed by spaces (JSON's whitespace, so the body still parses) to `len` bytes.
fn padded(prefix: &[u8], len: usize) -> Vec<u8> {
    let mut body = prefix.to_vec();
    assert!(body.len() <= len);
    body.resize(len, b' ');
    body
}

const EMPTY_PUSH: &[u8] = br#"{"envelopes":[]}"#;

async fn a_declared_body_of_exactly_the_limit_is_read_and_one_byte_more_is_refused<S: Store>(
    store: S,
) {
    let s = Server::start(store).await;
    let d = s.enrol(s.team_a).await;

    // Push: the large limit, exactly, is read and answered (an empty batch).
    let resp = s
        .signed(&d, "POST", paths::PUSH, padded(EMPTY_PUSH, MAX_BODY_BYTES))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let answer: PushResponse = resp.json().await.unwrap();
    assert!(answer.results.is_empty());
    let (status, text) = s
        .declared(&d, "POST", paths::PUSH, MAX_BODY_BYTES + 1)
        .await;
    too_large(status, &text);

    // A signed GET: its own small limit, not the push's.
    let resp = s
        .signed(&d, "GET", paths::DEVICE, padded(b"", GET_BODY_LIMIT))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let me: DeviceInfo = resp.json().await.unwrap();
    assert_eq!(me.device_id, d.info.device_id);
    let resp = s
        .signed(&d, "GET", paths::DEVICE, padded(b"", GET_BODY_LIMIT + 1))
        .await;
    refused(resp, StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::BodyTooLarge).await;

    // Enrolment: exactly its limit is read (and the unknown code refused as such); one byte
    // more is refused before the code is looked at.
    let key = DeviceKeyPair::generate().unwrap();
    let request = serde_json::to_vec(&EnrolRequest {
        code: "AAAA-BBBB-CCCC".into(),
        public_key: key.public_key(),
    })
    .unwrap();
    let body = String::from_utf8(padded(&request, ENROL_BODY_LIMIT)).unwrap();
    refused(
        s.net.enrol_raw(body).await,
        StatusCode::FORBIDDEN,
        ErrorCode::EnrolmentCodeUnknown,
    )
    .await;
    let (status, text) = s
        .net
        .head_only("POST", paths::ENROL, &[], ENROL_BODY_LIMIT + 1)
        .await;
    too_large(status, &text);
    assert_eq!(s.net.state.store.envelope_count().await.unwrap(), 0);
    s.stop().await;
}

async fn a_chunked_body_is_held_to_the_same_limit_once_read<S: Store>(store: S) {
    let s = Server::start(store).await;
    let d = s.enrol(s.team_a).await;

    let (status, text) = s
        .chunked(&d, "GET", paths::DEVICE, &padded(b"", GET_BODY_LIMIT))
        .await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains(&d.info.device_id.to_string()), "{text}");
    let (status, text) = s
        .chunked(&d, "GET", paths::DEVICE, &padded(b"", GET_BODY_LIMIT + 1))
        .await;
    too_large(status, &text);

    let (status, text) = s
        .chunked(&d, "POST", paths::PUSH, &padded(EMPTY_PUSH, MAX_BODY_BYTES))
        .await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains(r#"{"results":[]}"#), "{text}");
    let (status, text) = s
        .chunked(
            &d,
            "POST",
            paths::PUSH,
            &padded(EMPTY_PUSH, MAX_BODY_BYTES + 1),
        )
        .await;
    too_large(status, &text);
    s.stop().await;
}

async fn a_pull_position_after_the_start_must_name_the_envelope_there<S: Store>(store: S) {
    let s = Server::start(store).await;
    let author = s.enrol(s.team_a).await;
    let reader = s.enrol(s.team_b).await;
    let first = share_from(&author, s.team_b);
    let second = share_from(&author, s.team_b);
    let seqs = s.push(&author, &[first.clone(), second.clone()]).await;
    let first = sign_as(first, &author.key);
    let second = sign_as(second, &author.key);

    // The envelope the device last applied, at its sequence: served from there.
    let page = s
        .page(
            &reader,
            &PullQuery {
                after: seqs[0],
                after_id: Some(first.id),
                ..PullQuery::default()
            },
        )
        .await;
    assert_eq!(envelopes_of(&page), vec![second.clone()]);
    assert_eq!(page.next_after, seqs[1]);

    // Another envelope's id at that sequence (a server restored from a backup numbers anew):
    // refused, so the device does not skip what it has not seen.
    let resp = s
        .pull(
            &reader,
            &PullQuery {
                after: seqs[0],
                after_id: Some(second.id),
                ..PullQuery::default()
            },
        )
        .await;
    refused(resp, StatusCode::CONFLICT, ErrorCode::UnknownPosition).await;

    // From the start there is no position to check, whatever id comes with it.
    let page = s
        .page(
            &reader,
            &PullQuery {
                after: 0,
                after_id: Some(second.id),
                ..PullQuery::default()
            },
        )
        .await;
    assert_eq!(envelopes_of(&page), vec![first, second]);
    s.stop().await;
}

async fn a_pull_narrows_to_each_of_the_devices_own_teams_and_no_other<S: Store>(store: S) {
    let s = Server::start(store).await;
    let both = s.enrol_in(vec![s.team_a, s.team_b]).await;
    let in_a = s.enrol(s.team_a).await;
    let in_b = s.enrol(s.team_b).await;
    let for_a = share_from(&in_a, s.team_a);
    let for_b = share_from(&in_b, s.team_b);
    s.push(&in_a, std::slice::from_ref(&for_a)).await;
    s.push(&in_b, std::slice::from_ref(&for_b)).await;
    let (for_a, for_b) = (sign_as(for_a, &in_a.key), sign_as(for_b, &in_b.key));

    for (team, expected) in [
        (Some(s.team_a), vec![for_a.clone()]),
        (Some(s.team_b), vec![for_b.clone()]),
        (None, vec![for_a.clone(), for_b.clone()]),
    ] {
        let page = s
            .page(
                &both,
                &PullQuery {
                    team,
                    ..PullQuery::default()
                },
            )
            .await;
        assert_eq!(envelopes_of(&page), expected, "{team:?}");
    }
    // The device in team A alone may not narrow to team B.
    let resp = s
        .pull(
            &in_a,
            &PullQuery {
                team: Some(s.team_b),
                ..PullQuery::default()
            },
        )
        .await;
    refused(resp, StatusCode::FORBIDDEN, ErrorCode::TeamNotMember).await;
    s.stop().await;
}

async fn a_page_of_exactly_the_limit_says_whether_another_waits<S: Store>(store: S) {
    let s = Server::start(store).await;
    let author = s.enrol(s.team_a).await;
    let reader = s.enrol(s.team_b).await;
    let sent: Vec<Envelope> = (0..4).map(|_| share_from(&author, s.team_b)).collect();
    let seqs = s.push(&author, &sent).await;
    let sent: Vec<Envelope> = sent.into_iter().map(|e| sign_as(e, &author.key)).collect();

    // Four waiting, pages of two: the first says more, the second (exactly two) does not.
    let first = s
        .page(
            &reader,
            &PullQuery {
                limit: Some(2),
                ..PullQuery::default()
            },
        )
        .await;
    assert_eq!(envelopes_of(&first), sent[..2].to_vec());
    assert!(first.more);
    assert_eq!(first.next_after, seqs[1]);
    let second = s
        .page(
            &reader,
            &PullQuery {
                after: first.next_after,
                limit: Some(2),
                ..PullQuery::default()
            },
        )
        .await;
    assert_eq!(envelopes_of(&second), sent[2..].to_vec());
    assert!(!second.more);
    assert_eq!(second.next_after, seqs[3]);
    // All four in a page of four: nothing more; in a page of three: one more.
    for (limit, more) in [(4, false), (3, true)] {
        let page = s
            .page(
                &reader,
                &PullQuery {
                    limit: Some(limit),
                    ..PullQuery::default()
                },
            )
            .await;
        assert_eq!(page.envelopes.len(), limit as usize);
        assert_eq!(page.more, more, "limit {limit}");
    }
    s.stop().await;
}

on_both_backends!(
    a_declared_body_of_exactly_the_limit_is_read_and_one_byte_more_is_refused,
    a_chunked_body_is_held_to_the_same_limit_once_read,
    a_pull_position_after_the_start_must_name_the_envelope_there,
    a_pull_narrows_to_each_of_the_devices_own_teams_and_no_other,
    a_page_of_exactly_the_limit_says_whether_another_waits,
);

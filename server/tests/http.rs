//! The HTTP API over a real socket on 127.0.0.1, against SQLite and PostgreSQL: every answer
//! documented in docs/protocol.md — status, error code, and that rejected input stores nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

mod common;

use chrono::{DateTime, Duration, Utc};
use common::loopback::Loopback;
use common::*;
use reqwest::StatusCode;
use safeshare_core::clock::{Clock, FixedClock};
use safeshare_core::model::{DeviceId, TeamId};
use safeshare_core::sync::roster::{RosterBody, RosterResponse};
use safeshare_core::sync::{
    paths, DeviceInfo, DeviceKeyPair, EnrolRequest, Envelope, EnvelopeKind, EnvelopeOutcome,
    ErrorBody, ErrorCode, PullQuery, PullResponse, PushRequest, PushResponse, RejectCode,
    MAX_BATCH_ENVELOPES, MAX_BODY_BYTES,
};
use safeshare_server::storage::Store;
use std::sync::Arc;

struct Server<S: Store> {
    net: Loopback<S>,
    clock: Arc<FixedClock>,
    team_a: TeamId,
    team_b: TeamId,
}

/// The tests read the loopback server's `base`, `http` and `state` and call its `code` and
/// `enrol_raw` as the server's own.
impl<S: Store> std::ops::Deref for Server<S> {
    type Target = Loopback<S>;

    fn deref(&self) -> &Loopback<S> {
        &self.net
    }
}

impl<S: Store> Server<S> {
    async fn start(store: S) -> Self {
        let clock = Arc::new(FixedClock::new(t0()));
        let (team_a, team_b) = (TeamId::new(), TeamId::new());
        let net = Loopback::start(
            store,
            clock.clone() as Arc<dyn Clock>,
            &[
                (team_a, "Fictional midwifery A"),
                (team_b, "Fictional health visiting B"),
            ],
        )
        .await;
        Self {
            net,
            clock,
            team_a,
            team_b,
        }
    }

    async fn stop(self) {
        self.net.stop().await;
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    async fn enrol(&self, team: TeamId) -> Device {
        let (info, key) = self.net.enrol(team).await;
        assert_eq!(info.teams, vec![team]);
        Device { info, key }
    }

    /// Sends a request signed by `device` at `at` with `nonce`.
    async fn send_signed_at(
        &self,
        device: &Device,
        method: &str,
        path_and_query: &str,
        body: Vec<u8>,
        at: DateTime<Utc>,
        nonce: String,
    ) -> reqwest::Response {
        let sig = device.key.sign_request_with_nonce(
            device.info.device_id,
            method,
            path_and_query,
            &body,
            at,
            nonce,
        );
        self.send_with(sig.headers().to_vec(), method, path_and_query, body)
            .await
    }

    async fn send_with(
        &self,
        headers: Vec<(&'static str, String)>,
        method: &str,
        path_and_query: &str,
        body: Vec<u8>,
    ) -> reqwest::Response {
        let url = format!("{}{}", self.base, path_and_query);
        let mut req = match method {
            "GET" => self.http.get(url),
            _ => self.http.post(url),
        };
        for (name, value) in headers {
            req = req.header(name, value);
        }
        req.header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// Sends a signed POST's head declaring `body`'s length, but none of the body, and reads
    /// the answer: a body over the limit must be refused from its declared length alone. (With
    /// the body sent too, the server's early answer and its closing of the connection race the
    /// client's writing, which may then fail with a broken pipe instead of reading the 413.)
    async fn head_only(&self, device: &Device, path: &str, body: &[u8]) -> (u16, String) {
        let nonce = safeshare_core::sync::random_nonce().unwrap();
        let sig = device.key.sign_request_with_nonce(
            device.info.device_id,
            "POST",
            path,
            body,
            self.now(),
            nonce,
        );
        self.net
            .head_only("POST", path, &sig.headers(), body.len())
            .await
    }

    async fn signed(
        &self,
        device: &Device,
        method: &str,
        path_and_query: &str,
        body: Vec<u8>,
    ) -> reqwest::Response {
        let nonce = safeshare_core::sync::random_nonce().unwrap();
        self.send_signed_at(device, method, path_and_query, body, self.now(), nonce)
            .await
    }

    /// Pushes `envelopes` signed as their author by `device` (a device signs after sealing;
    /// tests change header fields after building an envelope).
    async fn push(&self, device: &Device, envelopes: &[Envelope]) -> PushResponse {
        let signed: Vec<Envelope> = envelopes
            .iter()
            .map(|e| sign_as(e.clone(), &device.key))
            .collect();
        self.push_as_is(device, &signed).await
    }

    /// Pushes `envelopes` with whatever author signature they carry.
    async fn push_as_is(&self, device: &Device, envelopes: &[Envelope]) -> PushResponse {
        let body = push_body(envelopes);
        let resp = self.signed(device, "POST", paths::PUSH, body).await;
        assert_eq!(resp.status(), StatusCode::OK);
        resp.json().await.unwrap()
    }

    async fn pull(&self, device: &Device, query: PullQuery) -> reqwest::Response {
        let path = format!("{}{}", paths::PULL, query.to_query_string());
        self.signed(device, "GET", &path, Vec::new()).await
    }

    async fn pull_all(&self, device: &Device) -> Vec<Envelope> {
        let resp = self.pull(device, PullQuery::default()).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let page: PullResponse = resp.json().await.unwrap();
        page.envelopes.into_iter().map(|p| p.envelope).collect()
    }

    async fn count(&self) -> u64 {
        self.state.store.envelope_count().await.unwrap()
    }
}

struct Device {
    info: DeviceInfo,
    key: DeviceKeyPair,
}

impl Device {
    fn share_to(&self, team: TeamId, due: DateTime<Utc>) -> Envelope {
        self.sign(share(
            self.info.practitioner_id,
            self.info.device_id,
            vec![team],
            due,
        ))
    }
    fn answer(&self, kind: EnvelopeKind, entity: ulid::Ulid, team: TeamId) -> Envelope {
        self.sign(answer(
            kind,
            entity,
            self.info.practitioner_id,
            self.info.device_id,
            vec![team],
        ))
    }
    /// `envelope` signed by this device as its author (again after a test changed a field).
    fn sign(&self, envelope: Envelope) -> Envelope {
        sign_as(envelope, &self.key)
    }
}

/// The JSON body of a push of `envelopes`.
fn push_body(envelopes: &[Envelope]) -> Vec<u8> {
    serde_json::to_vec(&PushRequest {
        envelopes: envelopes.to_vec(),
    })
    .unwrap()
}

async fn error_of(resp: reqwest::Response, status: StatusCode, code: ErrorCode) -> ErrorBody {
    assert_eq!(resp.status(), status);
    let body: ErrorBody = resp.json().await.unwrap();
    assert_eq!(body.code, code, "{}", body.message);
    body
}

fn outcome(resp: &PushResponse, i: usize) -> &EnvelopeOutcome {
    &resp.results[i].outcome
}

fn rejected_with(resp: &PushResponse, i: usize) -> RejectCode {
    match outcome(resp, i) {
        EnvelopeOutcome::Rejected { code, .. } => *code,
        other => panic!("envelope {i}: expected rejected, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------

async fn enrol_push_pull_and_acknowledge_across_teams<S: Store>(store: S) {
    let s = Server::start(store).await;
    let midwife = s.enrol(s.team_a).await;
    let visitor = s.enrol(s.team_b).await;
    let shared = midwife.share_to(s.team_b, t0() + Duration::hours(4));
    let pushed = s.push(&midwife, std::slice::from_ref(&shared)).await;
    assert!(matches!(
        outcome(&pushed, 0),
        EnvelopeOutcome::Accepted { .. }
    ));
    assert_eq!(pushed.results[0].id, Some(shared.id));
    // The health visitor's team receives it; the midwife sees her own.
    assert_eq!(s.pull_all(&visitor).await, vec![shared.clone()]);
    assert_eq!(s.pull_all(&midwife).await, vec![shared.clone()]);
    // The acknowledgement reaches the midwife though the visitor does not know her team.
    let mut ack = visitor.answer(EnvelopeKind::Acknowledgement, shared.entity_id, s.team_a);
    ack.audience.clear();
    let ack = visitor.sign(ack);
    let acked = s.push(&visitor, std::slice::from_ref(&ack)).await;
    assert!(matches!(
        outcome(&acked, 0),
        EnvelopeOutcome::Accepted { .. }
    ));
    assert_eq!(s.pull_all(&midwife).await, vec![shared, ack]);
    // Nothing overdue once acknowledged.
    let overdue = s
        .state
        .store
        .overdue(t0() + Duration::days(2))
        .await
        .unwrap();
    assert!(overdue.is_empty());
    s.stop().await;
}

async fn enrolment_codes_work_once_and_expire<S: Store>(store: S) {
    let s = Server::start(store).await;
    let code = s.code(s.team_a).await;
    let key = DeviceKeyPair::generate().unwrap();
    let body = serde_json::to_string(&EnrolRequest {
        code: code.to_lowercase(),
        public_key: key.public_key(),
    })
    .unwrap();
    assert_eq!(s.enrol_raw(body.clone()).await.status(), StatusCode::OK);
    error_of(
        s.enrol_raw(body).await,
        StatusCode::FORBIDDEN,
        ErrorCode::EnrolmentCodeUsed,
    )
    .await;
    let unknown = serde_json::to_string(&EnrolRequest {
        code: "AAAA-BBBB-CCCC".into(),
        public_key: key.public_key(),
    })
    .unwrap();
    error_of(
        s.enrol_raw(unknown).await,
        StatusCode::FORBIDDEN,
        ErrorCode::EnrolmentCodeUnknown,
    )
    .await;
    let late = s.code(s.team_a).await;
    s.clock.advance(Duration::hours(72));
    let body = serde_json::to_string(&EnrolRequest {
        code: late,
        public_key: key.public_key(),
    })
    .unwrap();
    error_of(
        s.enrol_raw(body).await,
        StatusCode::FORBIDDEN,
        ErrorCode::EnrolmentCodeExpired,
    )
    .await;
    let fresh = s.code(s.team_a).await;
    error_of(
        s.enrol_raw(format!(r#"{{"code":"{fresh}","public_key":"AAAA"}}"#))
            .await,
        StatusCode::BAD_REQUEST,
        ErrorCode::BadPublicKey,
    )
    .await;
    error_of(
        s.enrol_raw("{not json".into()).await,
        StatusCode::BAD_REQUEST,
        ErrorCode::MalformedJson,
    )
    .await;
    // The fresh code was not burnt by the bad requests.
    let body = serde_json::to_string(&EnrolRequest {
        code: fresh,
        public_key: key.public_key(),
    })
    .unwrap();
    assert_eq!(s.enrol_raw(body).await.status(), StatusCode::OK);
    s.stop().await;
}

async fn duplicate_push_answers_duplicate_with_the_same_sequence<S: Store>(store: S) {
    let s = Server::start(store).await;
    let d = s.enrol(s.team_a).await;
    let env = d.share_to(s.team_b, t0());
    let first = s.push(&d, std::slice::from_ref(&env)).await;
    let EnvelopeOutcome::Accepted { seq } = *outcome(&first, 0) else {
        panic!()
    };
    let again = s.push(&d, std::slice::from_ref(&env)).await;
    assert_eq!(outcome(&again, 0), &EnvelopeOutcome::Duplicate { seq });
    assert_eq!(s.count().await, 1);
    s.stop().await;
}

async fn conflicting_push_keeps_the_first_copy<S: Store>(store: S) {
    let s = Server::start(store).await;
    let d = s.enrol(s.team_a).await;
    let env = d.share_to(s.team_b, t0());
    let first = s.push(&d, std::slice::from_ref(&env)).await;
    let EnvelopeOutcome::Accepted { seq } = *outcome(&first, 0) else {
        panic!()
    };
    let mut changed = env.clone();
    changed.severity = Some(safeshare_core::model::Severity::ImmediateRisk);
    let conflict = s.push(&d, &[changed]).await;
    assert_eq!(outcome(&conflict, 0), &EnvelopeOutcome::Conflict { seq });
    assert_eq!(s.pull_all(&d).await, vec![env]);
    s.stop().await;
}

async fn forged_signature_is_refused_and_stores_nothing<S: Store>(store: S) {
    let s = Server::start(store).await;
    let d = s.enrol(s.team_a).await;
    let body = push_body(&[d.share_to(s.team_b, t0())]);
    // Signed with another key under the real device id.
    let thief = Device {
        info: d.info.clone(),
        key: DeviceKeyPair::generate().unwrap(),
    };
    let resp = s.signed(&thief, "POST", paths::PUSH, body.clone()).await;
    error_of(resp, StatusCode::UNAUTHORIZED, ErrorCode::BadSignature).await;
    // Signed properly, then the body altered in transit.
    let sig = d
        .key
        .sign_request(d.info.device_id, "POST", paths::PUSH, &body, s.now())
        .unwrap();
    let mut tampered = body.clone();
    tampered.extend_from_slice(b" ");
    let resp = s
        .send_with(sig.headers().to_vec(), "POST", paths::PUSH, tampered)
        .await;
    error_of(resp, StatusCode::UNAUTHORIZED, ErrorCode::BadSignature).await;
    // No signature at all; an unknown device.
    let resp = s.send_with(vec![], "POST", paths::PUSH, body.clone()).await;
    error_of(resp, StatusCode::UNAUTHORIZED, ErrorCode::MissingSignature).await;
    let stranger = Device {
        info: DeviceInfo {
            device_id: DeviceId::new(),
            ..d.info.clone()
        },
        key: DeviceKeyPair::generate().unwrap(),
    };
    let resp = s.signed(&stranger, "POST", paths::PUSH, body).await;
    error_of(resp, StatusCode::UNAUTHORIZED, ErrorCode::UnknownDevice).await;
    assert_eq!(s.count().await, 0);
    s.stop().await;
}

async fn replayed_request_is_refused_and_stores_nothing_more<S: Store>(store: S) {
    let s = Server::start(store).await;
    let d = s.enrol(s.team_a).await;
    let body = push_body(&[d.share_to(s.team_b, t0())]);
    let nonce = "0123456789abcdef0123456789abcdef".to_owned();
    let first = s
        .send_signed_at(
            &d,
            "POST",
            paths::PUSH,
            body.clone(),
            s.now(),
            nonce.clone(),
        )
        .await;
    assert_eq!(first.status(), StatusCode::OK);
    // The same request again (an attacker replaying it, or a new body under the old nonce).
    let replay = s
        .send_signed_at(&d, "POST", paths::PUSH, body, s.now(), nonce.clone())
        .await;
    error_of(replay, StatusCode::UNAUTHORIZED, ErrorCode::ReplayedNonce).await;
    let other = push_body(&[d.share_to(s.team_b, t0())]);
    let replay = s
        .send_signed_at(&d, "POST", paths::PUSH, other, s.now(), nonce)
        .await;
    error_of(replay, StatusCode::UNAUTHORIZED, ErrorCode::ReplayedNonce).await;
    assert_eq!(s.count().await, 1);
    s.stop().await;
}

async fn stale_timestamp_is_refused_with_the_server_time<S: Store>(store: S) {
    let s = Server::start(store).await;
    let d = s.enrol(s.team_a).await;
    let body = push_body(&[d.share_to(s.team_b, t0())]);
    for skew in [
        Duration::seconds(-301),
        Duration::seconds(301),
        Duration::hours(-3),
    ] {
        let resp = s
            .send_signed_at(
                &d,
                "POST",
                paths::PUSH,
                body.clone(),
                s.now() + skew,
                safeshare_core::sync::random_nonce().unwrap(),
            )
            .await;
        let err = error_of(resp, StatusCode::UNAUTHORIZED, ErrorCode::StaleTimestamp).await;
        assert_eq!(err.server_time, Some(s.now()));
    }
    assert_eq!(s.count().await, 0);
    // Five minutes exactly is still fresh.
    let resp = s
        .send_signed_at(
            &d,
            "POST",
            paths::PUSH,
            body,
            s.now() - Duration::seconds(300),
            safeshare_core::sync::random_nonce().unwrap(),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    s.stop().await;
}

async fn revoked_device_is_told_to_wipe_and_stores_nothing<S: Store>(store: S) {
    let s = Server::start(store).await;
    let d = s.enrol(s.team_a).await;
    assert!(s
        .state
        .store
        .revoke_device(d.info.device_id, s.now())
        .await
        .unwrap()
        .is_ok());
    let body = push_body(&[d.share_to(s.team_b, t0())]);
    let resp = s.signed(&d, "POST", paths::PUSH, body).await;
    let err = error_of(resp, StatusCode::FORBIDDEN, ErrorCode::DeviceRevoked).await;
    assert!(err.wipe);
    let resp = s.pull(&d, PullQuery::default()).await;
    assert!(
        error_of(resp, StatusCode::FORBIDDEN, ErrorCode::DeviceRevoked)
            .await
            .wipe
    );
    // Even with its clock hours out, a revoked phone learns it must wipe.
    let resp = s
        .send_signed_at(
            &d,
            "GET",
            paths::DEVICE,
            Vec::new(),
            s.now() - Duration::hours(6),
            safeshare_core::sync::random_nonce().unwrap(),
        )
        .await;
    error_of(resp, StatusCode::FORBIDDEN, ErrorCode::DeviceRevoked).await;
    assert_eq!(s.count().await, 0);
    s.stop().await;
}

async fn team_a_cannot_read_or_answer_team_b_data<S: Store>(store: S) {
    let s = Server::start(store).await;
    let a = s.enrol(s.team_a).await;
    let b = s.enrol(s.team_b).await;
    let b2 = s.enrol(s.team_b).await;
    // Something only for team B, sent by someone in team B.
    let for_b = b2.share_to(s.team_b, t0());
    s.push(&b2, std::slice::from_ref(&for_b)).await;
    assert_eq!(s.pull_all(&b).await, vec![for_b.clone()]);
    // A asks for team B's feed outright.
    let resp = s
        .pull(
            &a,
            PullQuery {
                team: Some(s.team_b),
                ..PullQuery::default()
            },
        )
        .await;
    error_of(resp, StatusCode::FORBIDDEN, ErrorCode::TeamNotMember).await;
    // A's own feed holds nothing of B's.
    assert!(s.pull_all(&a).await.is_empty());
    // A forges: an acknowledgement closing B's share, an envelope in B's name, an audience
    // with a team the region does not know.
    let forged_ack = a.answer(EnvelopeKind::Acknowledgement, for_b.entity_id, s.team_b);
    let mut in_b_name = a.share_to(s.team_b, t0());
    in_b_name.author = b.info.practitioner_id;
    let mut other_device = a.share_to(s.team_b, t0());
    other_device.device = b.info.device_id;
    let nowhere = a.share_to(TeamId::new(), t0());
    let resp = s
        .push(&a, &[forged_ack, in_b_name, other_device, nowhere])
        .await;
    assert_eq!(rejected_with(&resp, 0), RejectCode::AnswersNotVisible);
    assert_eq!(rejected_with(&resp, 1), RejectCode::AuthorMismatch);
    assert_eq!(rejected_with(&resp, 2), RejectCode::AuthorMismatch);
    assert_eq!(rejected_with(&resp, 3), RejectCode::AudienceNotAllowed);
    assert_eq!(s.count().await, 1);
    // B's share is still unacknowledged, so it is still reported overdue.
    let overdue = s
        .state
        .store
        .overdue(t0() + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].entity_id, for_b.entity_id);
    s.stop().await;
}

async fn oversize_batch_and_body_are_413_and_store_nothing<S: Store>(store: S) {
    let s = Server::start(store).await;
    let d = s.enrol(s.team_a).await;
    let envelopes: Vec<_> = (0..=MAX_BATCH_ENVELOPES)
        .map(|_| d.share_to(s.team_b, t0()))
        .collect();
    let body = push_body(&envelopes);
    assert!(body.len() < MAX_BODY_BYTES);
    let resp = s.signed(&d, "POST", paths::PUSH, body).await;
    error_of(
        resp,
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::BatchTooLarge,
    )
    .await;
    let mut big = d.share_to(s.team_b, t0());
    // Just over the limit once base64-encoded.
    big.body.0 = vec![b'x'; MAX_BODY_BYTES * 3 / 4 + 1024];
    let body = push_body(&[big]);
    let (status, answer) = s.head_only(&d, paths::PUSH, &body).await;
    assert_eq!(status, 413, "{answer}");
    assert!(answer.contains("\"body_too_large\""), "{answer}");
    assert_eq!(s.count().await, 0);
    s.stop().await;
}

async fn malformed_input_is_refused_per_request_or_per_envelope<S: Store>(store: S) {
    let s = Server::start(store).await;
    let d = s.enrol(s.team_a).await;
    for body in [&b"{\"envelopes\": [ "[..], b"[]", b"{\"envelopes\": 3}"] {
        let resp = s.signed(&d, "POST", paths::PUSH, body.to_vec()).await;
        error_of(resp, StatusCode::BAD_REQUEST, ErrorCode::MalformedJson).await;
    }
    let good = d.share_to(s.team_b, t0());
    // A wire-version-1 client (plain bodies) is refused whole: upgrade, not silent acceptance.
    let mut v1 = serde_json::to_value(d.share_to(s.team_b, t0())).unwrap();
    v1["wire_version"] = 1.into();
    // A readable envelope whose body is plain JSON, not a sealed container.
    let mut plain = d.share_to(s.team_b, t0());
    plain.body = safeshare_core::sync::Body(br#"{"child":"Jane Example"}"#.to_vec());
    let mut gossip = serde_json::to_value(d.share_to(s.team_b, t0())).unwrap();
    gossip["kind"] = "gossip".into();
    let mut bad_body = serde_json::to_value(d.share_to(s.team_b, t0())).unwrap();
    bad_body["body"] = "%%% not base64".into();
    let mut no_due = d.share_to(s.team_b, t0());
    no_due.due_at = None;
    let mut no_answer = d.answer(EnvelopeKind::Acknowledgement, ulid::Ulid::new(), s.team_b);
    no_answer.answers = None;
    // Well formed but not signed by the pushing device: unsigned, or signed by another key.
    let mut unsigned = d.share_to(s.team_b, t0());
    unsigned.signature = None;
    let other_key = sign_as(d.share_to(s.team_b, t0()), &throwaway_author());
    let signed = |e: Envelope| serde_json::to_value(sign_as(e, &d.key)).unwrap();
    let raw = serde_json::json!({"envelopes": [
        signed(good), v1, gossip, bad_body, "text",
        signed(no_due), signed(no_answer), signed(plain),
        serde_json::to_value(&unsigned).unwrap(), serde_json::to_value(&other_key).unwrap()
    ]});
    let resp = s
        .signed(&d, "POST", paths::PUSH, serde_json::to_vec(&raw).unwrap())
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let resp: PushResponse = resp.json().await.unwrap();
    assert!(matches!(
        outcome(&resp, 0),
        EnvelopeOutcome::Accepted { .. }
    ));
    assert_eq!(rejected_with(&resp, 1), RejectCode::UnsupportedVersion);
    assert_eq!(rejected_with(&resp, 2), RejectCode::UnknownKind);
    assert_eq!(rejected_with(&resp, 3), RejectCode::Malformed);
    assert_eq!(rejected_with(&resp, 4), RejectCode::Malformed);
    assert_eq!(rejected_with(&resp, 5), RejectCode::MissingField);
    assert_eq!(rejected_with(&resp, 6), RejectCode::MissingField);
    assert_eq!(rejected_with(&resp, 7), RejectCode::Malformed);
    assert_eq!(rejected_with(&resp, 8), RejectCode::BadAuthorSignature);
    assert_eq!(rejected_with(&resp, 9), RejectCode::BadAuthorSignature);
    assert_eq!(resp.results.len(), 10);
    assert_eq!(s.count().await, 1);
    // A bad pull query.
    let resp = s
        .signed(&d, "GET", "/v1/pull?after=minus-one", vec![])
        .await;
    error_of(resp, StatusCode::BAD_REQUEST, ErrorCode::MalformedRequest).await;
    s.stop().await;
}

async fn pull_pages_after_the_cursor_and_delivers_the_directory_once<S: Store>(store: S) {
    let s = Server::start(store).await;
    let a = s.enrol(s.team_a).await;
    let b = s.enrol(s.team_b).await;
    let sent: Vec<_> = (0..5).map(|_| a.share_to(s.team_b, t0())).collect();
    s.push(&a, &sent).await;
    let mut got = Vec::new();
    let mut query = PullQuery {
        after: 0,
        after_id: None,
        limit: Some(2),
        directory_after: Some(0),
        team: None,
    };
    let mut pages = 0;
    loop {
        let page: PullResponse = s.pull(&b, query.clone()).await.json().await.unwrap();
        pages += 1;
        if pages == 1 {
            assert_eq!(page.directory.as_ref().map(|d| d.version), Some(1));
        } else {
            assert!(page.directory.is_none());
        }
        got.extend(page.envelopes.into_iter().map(|p| p.envelope));
        query.after = page.next_after;
        query.directory_after = Some(1);
        if !page.more {
            break;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(got, sent);
    // The directory on its own, and the device's own record.
    let resp = s.signed(&b, "GET", paths::DIRECTORY, vec![]).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = s.signed(&b, "GET", paths::DEVICE, vec![]).await;
    let me: DeviceInfo = resp.json().await.unwrap();
    assert_eq!(me.device_id, b.info.device_id);
    s.stop().await;
}

async fn health_and_metrics_answer_without_signature<S: Store>(store: S) {
    let backend = store.backend();
    let s = Server::start(store).await;
    let d = s.enrol(s.team_a).await;
    s.push(&d, &[d.share_to(s.team_b, t0())]).await;
    let health: serde_json::Value = s
        .http
        .get(format!("{}{}", s.base, paths::HEALTHZ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["storage"], backend);
    let text = s
        .http
        .get(format!("{}{}", s.base, paths::METRICS))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("safeshare_envelopes_total{outcome=\"accepted\"} 1\n"));
    assert!(text.contains("safeshare_push_duration_seconds_count 1\n"));
    assert!(text.contains("route=\"/v1/enrol\",status=\"200\""));
    let resp = s
        .http
        .get(format!("{}/v2/nothing", s.base))
        .send()
        .await
        .unwrap();
    error_of(resp, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let resp = s
        .http
        .get(format!("{}{}", s.base, paths::PUSH))
        .send()
        .await
        .unwrap();
    error_of(
        resp,
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
    )
    .await;
    s.stop().await;
}

async fn shutdown_mid_load_leaves_every_batch_whole_or_absent<S: Store>(store: S) {
    let s = Server::start(store).await;
    let d = Arc::new(s.enrol(s.team_a).await);
    let batches: Vec<Vec<Envelope>> = (0..8)
        .map(|_| (0..50).map(|_| d.share_to(s.team_b, t0())).collect())
        .collect();
    let mut pushes = Vec::new();
    for batch in &batches {
        let body = push_body(batch);
        let sig = d
            .key
            .sign_request(d.info.device_id, "POST", paths::PUSH, &body, s.now())
            .unwrap();
        let mut req = s.http.post(format!("{}{}", s.base, paths::PUSH));
        for (name, value) in sig.headers() {
            req = req.header(name, value);
        }
        pushes.push(tokio::spawn(
            req.header("content-type", "application/json")
                .body(body)
                .send(),
        ));
    }
    // Stop while those are in flight; graceful shutdown lets started requests finish.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let state = Arc::clone(&s.state);
    let team_b = s.team_b;
    s.stop().await;
    let mut answered = 0;
    for push in pushes {
        if let Ok(resp) = push.await.unwrap() {
            if resp.status() == StatusCode::OK {
                answered += 1;
            }
        }
    }
    let stored: std::collections::HashSet<String> = state
        .store
        .pull(vec![team_b], d.info.practitioner_id, 0, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.json)
        .collect();
    let mut whole = 0;
    for batch in &batches {
        let present = batch
            .iter()
            .filter(|e| stored.contains(&e.canonical_json().unwrap()))
            .count();
        assert!(
            present == 0 || present == batch.len(),
            "half a batch: {present}"
        );
        if present == batch.len() {
            whole += 1;
        }
    }
    // Every answered push is stored whole (an unanswered one may or may not have committed).
    assert!(whole >= answered, "{whole} stored, {answered} answered");
}

async fn an_entity_belongs_to_its_first_author_and_kind<S: Store>(store: S) {
    let s = Server::start(store).await;
    let midwife = s.enrol(s.team_a).await;
    let visitor = s.enrol(s.team_b).await;
    let attacker = s.enrol(s.team_a).await;
    let shared = midwife.share_to(s.team_b, t0());
    s.push(&midwife, std::slice::from_ref(&shared)).await;
    // The attacker takes the share's entity id under another kind, and under the same kind.
    let mut call = attacker.share_to(s.team_a, t0());
    call.kind = EnvelopeKind::CallRecord;
    call.due_at = None;
    call.entity_id = shared.entity_id;
    let mut amend = attacker.share_to(s.team_a, t0());
    amend.entity_id = shared.entity_id;
    amend.entity_version = 2;
    // The midwife herself may not re-use her share's id for another kind either.
    let mut own_other_kind = midwife.share_to(s.team_b, t0());
    own_other_kind.kind = EnvelopeKind::Referral;
    own_other_kind.entity_id = shared.entity_id;
    let resp = s.push(&attacker, &[call, amend]).await;
    assert_eq!(rejected_with(&resp, 0), RejectCode::EntityNotOwned);
    assert_eq!(rejected_with(&resp, 1), RejectCode::EntityNotOwned);
    let resp = s.push(&midwife, &[own_other_kind]).await;
    assert_eq!(rejected_with(&resp, 0), RejectCode::EntityNotOwned);
    assert_eq!(s.count().await, 1);
    // The author's own amendment is accepted.
    let mut amended = shared.clone();
    amended.id = safeshare_core::sync::EnvelopeId::new();
    amended.entity_version = 2;
    let resp = s.push(&midwife, &[amended]).await;
    assert!(matches!(
        outcome(&resp, 0),
        EnvelopeOutcome::Accepted { .. }
    ));

    // So the attacker can neither answer it nor receive its read-backs.
    let forged = attacker.answer(EnvelopeKind::Acknowledgement, shared.entity_id, s.team_a);
    let resp = s.push(&attacker, &[forged]).await;
    assert_eq!(rejected_with(&resp, 0), RejectCode::AnswersNotVisible);
    // The author acknowledging her own share does not close it.
    let self_ack = midwife.answer(EnvelopeKind::Acknowledgement, shared.entity_id, s.team_b);
    let resp = s.push(&midwife, &[self_ack]).await;
    assert!(matches!(
        outcome(&resp, 0),
        EnvelopeOutcome::Accepted { .. }
    ));
    let later = t0() + Duration::hours(1);
    let overdue = s.state.store.overdue(later).await.unwrap();
    assert_eq!(
        overdue.len(),
        1,
        "only an audience member's acknowledgement closes a share"
    );
    let ack = visitor.answer(EnvelopeKind::Acknowledgement, shared.entity_id, s.team_b);
    s.push(&visitor, std::slice::from_ref(&ack)).await;
    assert!(s.state.store.overdue(later).await.unwrap().is_empty());
    assert!(s.pull_all(&midwife).await.contains(&ack));
    assert!(!s.pull_all(&attacker).await.contains(&ack));

    // A referral is closed by its author's (or its team's) decision, not by a bystander's.
    let referral = midwife.share_to(s.team_a, t0());
    let mut referral = referral;
    referral.kind = EnvelopeKind::Referral;
    s.push(&midwife, std::slice::from_ref(&referral)).await;
    let from_team = attacker.answer(EnvelopeKind::ReferralDecision, referral.entity_id, s.team_a);
    let resp = s.push(&attacker, &[from_team]).await;
    assert!(matches!(
        outcome(&resp, 0),
        EnvelopeOutcome::Accepted { .. }
    ));
    assert!(s.state.store.overdue(later).await.unwrap().is_empty());
    let outsider = visitor.answer(EnvelopeKind::ReferralDecision, referral.entity_id, s.team_b);
    let resp = s.push(&visitor, &[outsider]).await;
    assert_eq!(rejected_with(&resp, 0), RejectCode::AnswersNotVisible);
    s.stop().await;
}

async fn an_answer_must_be_of_a_kind_that_answers_the_entity<S: Store>(store: S) {
    let s = Server::start(store).await;
    let midwife = s.enrol(s.team_a).await;
    let visitor = s.enrol(s.team_b).await;
    let share = midwife.share_to(s.team_b, t0());
    let mut referral = midwife.share_to(s.team_b, t0());
    referral.kind = EnvelopeKind::Referral;
    let mut call = midwife.share_to(s.team_b, t0());
    call.kind = EnvelopeKind::CallRecord;
    call.due_at = None;
    s.push(&midwife, &[share.clone(), referral.clone(), call.clone()])
        .await;
    let before = s.count().await;
    assert_eq!(before, 3);

    // Each pairing that could close the wrong thing is refused, and nothing of it is stored.
    let wrong = [
        visitor.answer(EnvelopeKind::Acknowledgement, referral.entity_id, s.team_a),
        visitor.answer(EnvelopeKind::ReferralDecision, share.entity_id, s.team_a),
        visitor.answer(EnvelopeKind::Acknowledgement, call.entity_id, s.team_a),
        visitor.answer(EnvelopeKind::EscalationStep, call.entity_id, s.team_a),
    ];
    let resp = s.push(&visitor, &wrong).await;
    for i in 0..wrong.len() {
        assert_eq!(rejected_with(&resp, i), RejectCode::AnswersWrongKind, "{i}");
    }
    assert_eq!(s.count().await, before);
    let later = t0() + Duration::hours(1);
    assert_eq!(
        s.state.store.overdue(later).await.unwrap().len(),
        2,
        "a decision on a share closes nothing, nor an acknowledgement of a referral"
    );

    // The right pairings are accepted and close what they answer.
    let right = [
        visitor.answer(EnvelopeKind::Acknowledgement, share.entity_id, s.team_a),
        visitor.answer(EnvelopeKind::ReferralDecision, referral.entity_id, s.team_a),
        visitor.answer(EnvelopeKind::EscalationStep, share.entity_id, s.team_a),
        midwife.answer(EnvelopeKind::EscalationStep, referral.entity_id, s.team_a),
    ];
    let resp = s.push(&visitor, &right[..3]).await;
    for i in 0..3 {
        assert!(
            matches!(outcome(&resp, i), EnvelopeOutcome::Accepted { .. }),
            "{i}"
        );
    }
    let resp = s.push(&midwife, &right[3..]).await;
    assert!(matches!(
        outcome(&resp, 0),
        EnvelopeOutcome::Accepted { .. }
    ));
    assert!(s.state.store.overdue(later).await.unwrap().is_empty());
    s.stop().await;
}

async fn an_id_collision_with_another_author_is_no_oracle<S: Store>(store: S) {
    let s = Server::start(store).await;
    let midwife = s.enrol(s.team_a).await;
    let attacker = s.enrol(s.team_b).await;
    let shared = midwife.share_to(s.team_b, t0());
    s.push(&midwife, std::slice::from_ref(&shared)).await;
    // Same id and, but for the author fields, the same content; then different content.
    let mut same = shared.clone();
    same.author = attacker.info.practitioner_id;
    same.device = attacker.info.device_id;
    let mut different = same.clone();
    different.body.0.extend_from_slice(b" guessed");
    different.entity_id = ulid::Ulid::new();
    let resp = s.push(&attacker, &[same]).await;
    let resp2 = s.push(&attacker, &[different]).await;
    assert_eq!(rejected_with(&resp, 0), RejectCode::IdUnavailable);
    assert_eq!(
        outcome(&resp, 0),
        outcome(&resp2, 0),
        "one answer whatever the content"
    );
    let text = serde_json::to_string(&resp).unwrap();
    assert!(!text.contains("\"seq\""), "{text}");
    assert_eq!(s.count().await, 1);
    s.stop().await;
}

async fn extreme_timestamps_are_stale_and_store_nothing<S: Store>(store: S) {
    use base64::Engine as _;
    let s = Server::start(store).await;
    let d = s.enrol(s.team_a).await;
    let body = push_body(&[d.share_to(s.team_b, t0())]);
    let pair = ring::signature::Ed25519KeyPair::from_pkcs8(d.key.pkcs8_bytes()).unwrap();
    for ts in [i64::MIN, i64::MIN + 1, i64::MAX, -1] {
        let nonce = safeshare_core::sync::random_nonce().unwrap();
        let payload = safeshare_core::sync::signing_payload(
            d.info.device_id,
            "POST",
            paths::PUSH,
            ts,
            &nonce,
            &body,
        );
        let signature =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(pair.sign(&payload).as_ref());
        let headers = vec![
            ("x-safeshare-device", d.info.device_id.to_string()),
            ("x-safeshare-timestamp", ts.to_string()),
            ("x-safeshare-nonce", nonce),
            ("x-safeshare-signature", signature),
        ];
        let resp = s
            .send_with(headers, "POST", paths::PUSH, body.clone())
            .await;
        error_of(resp, StatusCode::UNAUTHORIZED, ErrorCode::StaleTimestamp).await;
    }
    assert_eq!(s.count().await, 0);
    s.stop().await;
}

async fn enrolment_is_throttled_per_address_with_retry_after<S: Store>(store: S) {
    let s = Server::start(store).await;
    // The default burst is 10 attempts per address; wrong codes count too.
    let key = DeviceKeyPair::generate().unwrap();
    let wrong = serde_json::to_string(&EnrolRequest {
        code: "0000-0000-0000".into(),
        public_key: key.public_key(),
    })
    .unwrap();
    let mut statuses = Vec::new();
    for _ in 0..10 {
        statuses.push(s.enrol_raw(wrong.clone()).await.status());
    }
    assert!(
        statuses.iter().all(|st| *st == StatusCode::FORBIDDEN),
        "{statuses:?}"
    );
    let right = serde_json::to_string(&EnrolRequest {
        code: s.code(s.team_a).await,
        public_key: key.public_key(),
    })
    .unwrap();
    let resp = s.enrol_raw(right).await;
    let retry: u64 = resp
        .headers()
        .get("retry-after")
        .expect("Retry-After")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let body = error_of(
        resp,
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::TooManyRequests,
    )
    .await;
    assert!(!body.message.contains("0000"));
    // Nothing was redeemed: the code still lists as active.
    let codes = s.state.store.list_codes().await.unwrap();
    assert_eq!(codes[0].status(s.now()), "active");
    s.stop().await;
}

/// The body of `POST /v1/encryption-key` registering `key`.
fn register(key: safeshare_core::crypto::envelope_seal::EncryptionPublicKey) -> Vec<u8> {
    serde_json::to_vec(&safeshare_core::sync::EncryptionKeyRequest { public_key: key }).unwrap()
}

/// A new X25519 public key nobody holds.
fn fresh() -> safeshare_core::crypto::envelope_seal::EncryptionPublicKey {
    safeshare_core::crypto::envelope_seal::EncryptionKeyPair::generate()
        .unwrap()
        .public_key()
}

async fn an_encryption_key_belongs_to_one_device<S: Store>(store: S) {
    let s = Server::start(store).await;
    let a = s.enrol(s.team_a).await;
    let b = s.enrol(s.team_b).await;
    let key_a = fresh();
    let path = paths::ENCRYPTION_KEY;
    let resp = s.signed(&a, "POST", path, register(key_a)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    // The same device again: nothing changes.
    let resp = s.signed(&a, "POST", path, register(key_a)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    // Another device claiming it: refused, and the roster still lists it for a only.
    let resp = s.signed(&b, "POST", path, register(key_a)).await;
    let body = error_of(resp, StatusCode::BAD_REQUEST, ErrorCode::BadPublicKey).await;
    assert!(body.message.contains("another device"), "{}", body.message);
    let devices = s.state.store.roster_devices().await.unwrap();
    let holders: Vec<_> = devices
        .iter()
        .filter(|d| d.encryption_key == Some(key_a))
        .map(|d| d.device_id)
        .collect();
    assert_eq!(holders, vec![a.info.device_id]);
    // b with a key of its own: fine.
    let key_b = fresh();
    let resp = s.signed(&b, "POST", path, register(key_b)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    s.stop().await;
}

async fn a_device_registers_at_most_three_encryption_keys_a_day<S: Store>(store: S) {
    use safeshare_server::roster::{KEY_REGISTRATIONS_PER_WINDOW, KEY_REGISTRATION_WINDOW_HOURS};
    let s = Server::start(store).await;
    let a = s.enrol(s.team_a).await;
    let b = s.enrol(s.team_b).await;
    let path = paths::ENCRYPTION_KEY;
    assert_eq!(KEY_REGISTRATIONS_PER_WINDOW, 3);
    for _ in 0..KEY_REGISTRATIONS_PER_WINDOW {
        let resp = s.signed(&a, "POST", path, register(fresh())).await;
        assert_eq!(resp.status(), StatusCode::OK);
        s.clock.advance(Duration::minutes(10));
    }
    // The fourth within 24 hours: refused before it is stored, with how long to wait (until
    // the first of the three is 24 hours old: 24 h less the 30 minutes since).
    let refused = fresh();
    let resp = s.signed(&a, "POST", path, register(refused)).await;
    let retry: i64 = resp
        .headers()
        .get("retry-after")
        .expect("Retry-After")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(retry, KEY_REGISTRATION_WINDOW_HOURS * 3600 - 30 * 60);
    error_of(
        resp,
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::TooManyRequests,
    )
    .await;
    let listed = |devices: Vec<safeshare_core::sync::RosterDevice>, key| {
        devices.iter().any(|d| d.encryption_key == Some(key))
    };
    assert!(
        !listed(s.state.store.roster_devices().await.unwrap(), refused),
        "a refused key was registered"
    );
    // Another device has its own allowance.
    let resp = s.signed(&b, "POST", path, register(fresh())).await;
    assert_eq!(resp.status(), StatusCode::OK);
    // One second short of the first registration leaving the window: still refused; at it,
    // taken.
    s.clock.advance(Duration::seconds(
        KEY_REGISTRATION_WINDOW_HOURS * 3600 - 30 * 60 - 1,
    ));
    let resp = s.signed(&a, "POST", path, register(refused)).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    s.clock.advance(Duration::seconds(1));
    let resp = s.signed(&a, "POST", path, register(refused)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(listed(
        s.state.store.roster_devices().await.unwrap(),
        refused
    ));
    s.stop().await;
}

async fn retired_device_may_push_then_is_told_to_wipe_and_leaves_the_roster<S: Store>(store: S) {
    let s = Server::start(store).await;
    let d = s.enrol(s.team_a).await;
    let other = s.enrol(s.team_b).await;
    let first = s.now();
    assert!(
        safeshare_server::admin::retire_device(&s.state.store, d.info.device_id, first, "cli")
            .await
            .unwrap()
            .is_ok()
    );
    // Retiring again keeps the first time; an unknown device is no device.
    s.clock.advance(Duration::minutes(1));
    assert!(s
        .state
        .store
        .retire_device(d.info.device_id, s.now())
        .await
        .unwrap()
        .is_ok());
    assert!(s
        .state
        .store
        .retire_device(DeviceId::new(), s.now())
        .await
        .unwrap()
        .is_err());
    let record = s
        .state
        .store
        .device(d.info.device_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.retired_at, Some(first));
    assert_eq!(record.revoked_at, None);
    let audit = s.state.store.list_admin_audit(10).await.unwrap();
    assert!(audit
        .iter()
        .any(|a| a.action == "device_retired" && a.target == d.info.device_id.to_string()));

    // What it still holds is accepted: push and the roster to seal with.
    let resp = s.push(&d, &[d.share_to(s.team_b, t0())]).await;
    assert!(matches!(
        outcome(&resp, 0),
        EnvelopeOutcome::Accepted { .. }
    ));
    assert_eq!(s.count().await, 1);
    let resp = s
        .signed(&d, "GET", &format!("{}?after=0", paths::ROSTER), Vec::new())
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    // Everything else answers device_retired with wipe: it receives nothing new.
    let resp = s.pull(&d, PullQuery::default()).await;
    assert!(
        error_of(resp, StatusCode::FORBIDDEN, ErrorCode::DeviceRetired)
            .await
            .wipe
    );
    let resp = s.signed(&d, "GET", paths::DEVICE, Vec::new()).await;
    error_of(resp, StatusCode::FORBIDDEN, ErrorCode::DeviceRetired).await;
    // The roster lists it retired (never a recipient again); the other device is untouched,
    // and still pulls what the retired device pushed.
    let devices = s.state.store.roster_devices().await.unwrap();
    let listed = devices
        .iter()
        .find(|r| r.device_id == d.info.device_id)
        .unwrap();
    assert_eq!(listed.retired_at, Some(first));
    assert!(devices
        .iter()
        .any(|r| r.device_id == other.info.device_id && r.retired_at.is_none()));
    assert_eq!(s.pull_all(&other).await.len(), 1);

    // A revoked device is not also retired: revocation is the stronger answer.
    let lost = s.enrol(s.team_a).await;
    assert!(s
        .state
        .store
        .revoke_device(lost.info.device_id, s.now())
        .await
        .unwrap()
        .is_ok());
    assert!(s
        .state
        .store
        .retire_device(lost.info.device_id, s.now())
        .await
        .unwrap()
        .is_ok());
    let record = s
        .state
        .store
        .device(lost.info.device_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.retired_at, None);
    let resp = s.pull(&lost, PullQuery::default()).await;
    error_of(resp, StatusCode::FORBIDDEN, ErrorCode::DeviceRevoked).await;
    s.stop().await;
}

/// `GET /v1/roster` signs a new version exactly when the region's devices changed: the first
/// fetch lists the enrolled device, a fetch with nothing changed adds no version, and a newly
/// enrolled device makes one more (server/src/roster.rs `refresh`; a phone seals to these).
async fn the_roster_is_signed_afresh_only_when_the_devices_change<S: Store>(store: S) {
    async fn fetch<S: Store>(s: &Server<S>, d: &Device, after: u64) -> Vec<RosterBody> {
        let resp = s
            .signed(
                d,
                "GET",
                &format!("{}?after={after}", paths::ROSTER),
                Vec::new(),
            )
            .await;
        assert_eq!(resp.status(), StatusCode::OK);
        let answer: RosterResponse = resp.json().await.unwrap();
        answer
            .rosters
            .iter()
            .map(|r| serde_json::from_str(&r.body).unwrap())
            .collect()
    }
    let s = Server::start(store).await;
    let a = s.enrol(s.team_a).await;
    let first = fetch(&s, &a, 0).await;
    let latest = first
        .last()
        .expect("a roster version once a device is enrolled");
    assert!(latest
        .devices
        .iter()
        .any(|r| r.device_id == a.info.device_id));
    assert!(fetch(&s, &a, latest.version).await.is_empty());
    let b = s.enrol(s.team_b).await;
    let next = fetch(&s, &a, latest.version).await;
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].version, latest.version + 1);
    assert!(next[0]
        .devices
        .iter()
        .any(|r| r.device_id == b.info.device_id));
    s.stop().await;
}

on_both_backends!(
    an_encryption_key_belongs_to_one_device,
    a_device_registers_at_most_three_encryption_keys_a_day,
    enrol_push_pull_and_acknowledge_across_teams,
    enrolment_codes_work_once_and_expire,
    duplicate_push_answers_duplicate_with_the_same_sequence,
    conflicting_push_keeps_the_first_copy,
    forged_signature_is_refused_and_stores_nothing,
    replayed_request_is_refused_and_stores_nothing_more,
    stale_timestamp_is_refused_with_the_server_time,
    revoked_device_is_told_to_wipe_and_stores_nothing,
    retired_device_may_push_then_is_told_to_wipe_and_leaves_the_roster,
    team_a_cannot_read_or_answer_team_b_data,
    oversize_batch_and_body_are_413_and_store_nothing,
    malformed_input_is_refused_per_request_or_per_envelope,
    pull_pages_after_the_cursor_and_delivers_the_directory_once,
    health_and_metrics_answer_without_signature,
    shutdown_mid_load_leaves_every_batch_whole_or_absent,
    an_entity_belongs_to_its_first_author_and_kind,
    an_id_collision_with_another_author_is_no_oracle,
    an_answer_must_be_of_a_kind_that_answers_the_entity,
    extreme_timestamps_are_stale_and_store_nothing,
    enrolment_is_throttled_per_address_with_retry_after,
    the_roster_is_signed_afresh_only_when_the_devices_change,
);

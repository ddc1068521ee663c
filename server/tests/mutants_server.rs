//! Values no other test of the server group (tests/mutants server) asserts, found by its
//! mutation runs or, in issue 20's review, by mutants applied by hand: how long a nonce is
//! remembered against replay, the admin's roster log, an enrolment code's time to live (which
//! only the CLI's tests read, outside the group), pull's position check (which only the
//! workspace's restore tests reached) and the body limit at its exact edge. The nonce memory is
//! checked through the real store (an SQLite file) where it acts, so a changed window is seen
//! as a replay let through or a nonce kept for ever, not only as a different number; the roster
//! log through versions signed with a real region key; the rest over a real server on 127.0.0.1.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

mod common;

use chrono::Duration;
use common::*;
use safeshare_core::model::DeviceId;
use safeshare_core::sync::MAX_CLOCK_SKEW_SECS;
use safeshare_server::storage::{nonce_cutoff, Store, NONCE_RETENTION_MS};

/// A request is fresh for the skew either side of its timestamp, so a nonce can come back up to
/// two skews after it was first seen; the memory is that plus five minutes' margin.
#[test]
fn nonces_are_remembered_for_two_clock_skews_and_five_minutes() {
    assert_eq!(MAX_CLOCK_SKEW_SECS, 5 * 60);
    assert_eq!(NONCE_RETENTION_MS, 15 * 60 * 1000);
    assert_eq!(
        nonce_cutoff(t0()),
        t0() - Duration::milliseconds(NONCE_RETENTION_MS)
    );
}

/// The pruner (serve.rs) forgets nonces first seen before `nonce_cutoff(now)`: a nonce seen at
/// T is still refused at the last instant a replay could be fresh (T + 2 × skew), and is
/// forgotten only once the whole retention has passed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pruned_store_still_refuses_a_replay_within_the_freshness_window() {
    let (_dir, store) = sqlite_store();
    let device = DeviceId::new();
    assert!(store.consume_nonce(device, "n".into(), t0()).await.unwrap());

    let last_fresh = t0() + Duration::seconds(2 * MAX_CLOCK_SKEW_SECS);
    assert_eq!(
        store.prune_nonces(nonce_cutoff(last_fresh)).await.unwrap(),
        0
    );
    assert!(!store
        .consume_nonce(device, "n".into(), last_fresh)
        .await
        .unwrap());

    // At exactly the retention the nonce is not yet "before" the cutoff; a millisecond later it is.
    let kept_until = t0() + Duration::milliseconds(NONCE_RETENTION_MS);
    assert_eq!(
        store.prune_nonces(nonce_cutoff(kept_until)).await.unwrap(),
        0
    );
    let forgotten = kept_until + Duration::milliseconds(1);
    assert_eq!(
        store.prune_nonces(nonce_cutoff(forgotten)).await.unwrap(),
        1
    );
    assert!(store
        .consume_nonce(device, "n".into(), forgotten)
        .await
        .unwrap());
}

/// The admin's roster log (`safeshare-server roster-log`): one line per version with its device
/// count, then what changed from the version before, so a device nobody enrolled stands out. A
/// version that does not parse is said to be unreadable, not skipped silently, and an empty log
/// says so rather than printing nothing.
#[test]
fn the_roster_log_names_each_version_and_what_changed() {
    use safeshare_core::model::{PractitionerId, TeamId};
    use safeshare_core::sync::{
        DevicePublicKey, RegionKeyPair, RosterBody, RosterDevice, SignedRoster,
    };
    use safeshare_server::roster::render_log;

    assert_eq!(render_log(&[]), "no roster versions yet\n");

    let region = RegionKeyPair::generate().unwrap();
    let team = TeamId::new();
    let first = RosterDevice {
        device_id: DeviceId::new(),
        practitioner_id: PractitionerId::new(),
        teams: vec![team],
        signing_key: DevicePublicKey([7; 32]),
        encryption_key: None,
        enrolled_at: t0(),
        revoked_at: None,
        retired_at: None,
    };
    let v1 = RosterBody {
        version: 1,
        issued_at: t0(),
        previous: None,
        devices: vec![first.clone()],
    };
    let second = RosterDevice {
        device_id: DeviceId::new(),
        practitioner_id: PractitionerId::new(),
        enrolled_at: t0() + Duration::hours(1),
        ..first.clone()
    };
    let revoked = RosterDevice {
        revoked_at: Some(t0() + Duration::hours(1)),
        ..first.clone()
    };
    let signed_v1 = region.sign(&v1).unwrap();
    let v2 = RosterBody {
        version: 2,
        issued_at: t0() + Duration::hours(1),
        previous: Some(signed_v1.hash()),
        devices: vec![revoked.clone(), second.clone()],
    };
    let unreadable = SignedRoster {
        body: "not a roster".into(),
        signature: String::new(),
    };
    let log = render_log(&[signed_v1, unreadable, region.sign(&v2).unwrap()]);
    assert_eq!(
        log,
        format!(
            "version 1 issued {t0} devices 1\n  added: device {a} practitioner {pa}\n\
             unreadable roster version\n\
             version 2 issued {t1} devices 2\n  revoked: device {a} practitioner {pa}\n  \
             added: device {b} practitioner {pb}\n",
            t0 = t0().to_rfc3339(),
            t1 = (t0() + Duration::hours(1)).to_rfc3339(),
            a = first.device_id,
            pa = first.practitioner_id,
            b = second.device_id,
            pb = second.practitioner_id,
        )
    );
}

/// An enrolment code's time to live, at its edges (enrolment.rs, mutated by the server group
/// since the review of issue 20): the admin's `--ttl-hours` is read as 1 to 720 hours and
/// nothing else, and a code is issued for any positive time up to 30 days exactly and expires
/// that long after it was issued. The time-to-live check comes before the team check and the
/// code's making, so a time out of range is refused as such even for a team the directory
/// lacks; one in range reaches the team check, which refuses the unknown team.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enrolment_code_lives_from_one_second_to_thirty_days_and_no_longer() {
    use safeshare_core::model::TeamId;
    use safeshare_server::admin::import_directory;
    use safeshare_server::enrolment::{issue, ttl_from_hours, IssueError, MAX_CODE_TTL_HOURS};

    assert_eq!(MAX_CODE_TTL_HOURS, 720);
    assert_eq!(ttl_from_hours(1).unwrap(), Duration::hours(1));
    assert_eq!(ttl_from_hours(720).unwrap(), Duration::hours(720));
    for bad in [0, -1, 721, i64::MAX, i64::MIN] {
        assert!(
            matches!(ttl_from_hours(bad), Err(IssueError::BadTtl)),
            "{bad}"
        );
    }

    let (_dir, store) = sqlite_store();
    let unknown = TeamId::new();
    for bad in [
        Duration::zero(),
        Duration::seconds(-1),
        Duration::hours(720) + Duration::seconds(1),
    ] {
        let refused = issue(&store, None, vec![unknown], bad, t0()).await;
        assert!(matches!(refused, Err(IssueError::BadTtl)), "{bad}");
    }
    for good in [Duration::seconds(1), Duration::hours(720)] {
        let refused = issue(&store, None, vec![unknown], good, t0()).await;
        assert!(
            matches!(refused, Err(IssueError::UnknownTeam(ref t)) if t.0 == unknown),
            "{good}"
        );
    }

    let team = TeamId::new();
    import_directory(&store, &directory_file(1, &[(team, "Team")]), t0())
        .await
        .unwrap();
    for ttl in [Duration::seconds(1), Duration::hours(720)] {
        let code = issue(&store, None, vec![team], ttl, t0()).await.unwrap();
        assert_eq!(code.expires_at, t0() + ttl);
        assert_eq!(code.teams, vec![team]);
    }
}

/// Pull's position check (http.rs's `pull`, docs/protocol.md "Pull"), which only the
/// workspace's restore tests reached, outside the server group: a pull naming the envelope it
/// last saw is answered only when this server holds that envelope at that number (after a
/// restore from a backup the number may name another envelope, and answering would skip what
/// the device has not seen); a pull from the start names nothing to check, whatever it sends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_after_an_envelope_this_server_holds_elsewhere_is_refused() {
    use common::loopback::Loopback;
    use safeshare_core::clock::{Clock, FixedClock};
    use safeshare_core::model::TeamId;
    use safeshare_core::sync::{paths, ErrorBody, ErrorCode, PullResponse};
    use safeshare_server::storage::{NewEnvelope, StoredOutcome};
    use std::sync::Arc;

    let (_dir, store) = sqlite_store();
    let team = TeamId::new();
    let clock = Arc::new(FixedClock::new(t0())) as Arc<dyn Clock>;
    let net = Loopback::start(store, clock, &[(team, "Fictional midwifery A")]).await;
    let (info, key) = net.enrol(team).await;
    let mut stored = Vec::new();
    for _ in 0..2 {
        let envelope = share(
            info.practitioner_id,
            info.device_id,
            vec![team],
            t0() + Duration::days(1),
        );
        let outcome = net
            .state
            .store
            .push(vec![NewEnvelope::new(envelope.clone()).unwrap()], t0())
            .await
            .unwrap();
        let [StoredOutcome::Accepted(seq)] = outcome[..] else {
            panic!("not stored: {outcome:?}");
        };
        stored.push((seq, envelope.id));
    }
    let [(first_seq, first_id), (second_seq, second_id)] = stored[..] else {
        unreachable!()
    };
    let pull = |query: String| {
        let path = format!("{}?{query}", paths::PULL);
        let sig = key
            .sign_request(info.device_id, "GET", &path, b"", t0())
            .unwrap();
        let mut req = net.http.get(format!("{}{path}", net.base));
        for (name, value) in sig.headers() {
            req = req.header(name, value);
        }
        req.send()
    };

    // The envelope held at that number: the next one follows.
    let resp = pull(format!("after={first_seq}&after_id={first_id}"))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let page: PullResponse = resp.json().await.unwrap();
    let seqs: Vec<u64> = page.envelopes.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, vec![second_seq]);

    // Another envelope's id at that number: refused, nothing read for the device.
    let resp = pull(format!("after={first_seq}&after_id={second_id}"))
        .await
        .unwrap();
    assert_eq!(resp.status(), 409);
    let body: ErrorBody = resp.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::UnknownPosition);

    // From the start there is no position to check: the id is not looked up at 0.
    let resp = pull(format!("after=0&after_id={second_id}")).await.unwrap();
    assert_eq!(resp.status(), 200);
    let page: PullResponse = resp.json().await.unwrap();
    let seqs: Vec<u64> = page.envelopes.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, vec![first_seq, second_seq]);
    net.stop().await;
}

/// The body limit every route reads its body under (http.rs's `read_body`, here enrolment's
/// [`ENROL_BODY_LIMIT`](safeshare_server::http::ENROL_BODY_LIMIT)), at its exact edge, both
/// when the length is declared and when the body comes in chunks with no length: exactly the
/// limit is read (and then refused for its unknown code), one byte more is refused as too large.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_of_exactly_the_limit_is_read_and_one_byte_more_is_refused_however_sent() {
    use common::loopback::Loopback;
    use safeshare_core::clock::{Clock, FixedClock};
    use safeshare_core::model::TeamId;
    use safeshare_core::sync::{paths, DeviceKeyPair, ErrorBody, ErrorCode};
    use safeshare_server::http::ENROL_BODY_LIMIT;
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    let (_dir, store) = sqlite_store();
    let team = TeamId::new();
    let clock = Arc::new(FixedClock::new(t0())) as Arc<dyn Clock>;
    let net = Loopback::start(store, clock, &[(team, "Fictional midwifery A")]).await;
    // A well-formed request for a code nobody issued, padded with JSON whitespace to `len`.
    let padded = |len: usize| {
        let mut body = serde_json::json!({
            "code": "0000-0000-0000",
            "public_key": DeviceKeyPair::generate().unwrap().public_key(),
        })
        .to_string();
        assert!(body.len() < len);
        body.push_str(&" ".repeat(len - body.len()));
        body
    };
    let declared = |body: String| async {
        let resp = net.enrol_raw(body).await;
        let status = resp.status().as_u16();
        let answer: ErrorBody = resp.json().await.unwrap();
        (status, answer.code)
    };
    // The same body in one chunk with no content-length: read_body's own count decides.
    let addr = net.base.trim_start_matches("http://").to_string();
    let chunked = |body: String| {
        let addr = addr.clone();
        async move {
            let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
            let request = format!(
                "POST {} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
             transfer-encoding: chunked\r\nconnection: close\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n",
                paths::ENROL,
                body.len()
            );
            stream.write_all(request.as_bytes()).await.unwrap();
            let mut answer = Vec::new();
            stream.read_to_end(&mut answer).await.unwrap();
            let text = String::from_utf8(answer).unwrap();
            let status: u16 = text.split_whitespace().nth(1).unwrap().parse().unwrap();
            let json = &text[text.find("\r\n\r\n").unwrap() + 4..];
            // The answer itself may come chunked: its JSON is the part between the braces.
            let json = &json[json.find('{').unwrap()..=json.rfind('}').unwrap()];
            let answer: ErrorBody = serde_json::from_str(json).unwrap();
            (status, answer.code)
        }
    };

    let read = (403, ErrorCode::EnrolmentCodeUnknown);
    let refused = (413, ErrorCode::BodyTooLarge);
    assert_eq!(declared(padded(ENROL_BODY_LIMIT)).await, read);
    assert_eq!(declared(padded(ENROL_BODY_LIMIT + 1)).await, refused);
    assert_eq!(chunked(padded(ENROL_BODY_LIMIT)).await, read);
    assert_eq!(chunked(padded(ENROL_BODY_LIMIT + 1)).await, refused);
    net.stop().await;
}

//! Wire version 3 under attack (issue 12 review): what a compromised regional server can do
//! together with a real, enrolled device of another team, or with the signing key of a phone
//! that was stolen and revoked. Every envelope here is really signed by the device it names
//! (the server cannot forge one: `sealed_at_rest.rs` shows that), so the phone's author check
//! passes and only the phone's own rules stand between the attack and the records:
//! - an acknowledgement by a practitioner outside the share's team, claiming that team in its
//!   body, never closes the share, nor "needs attention" for a share a phone cannot open;
//! - a share re-using another author's entity id does not make this phone seal its
//!   acknowledgement (with the read-back) to the intruder;
//! - a referral decision by someone other than the referrer (or the referrer's teams) never
//!   stops the chase, nor a step by anyone but the ladder's owner moves the ladder on;
//! - an acknowledgement signed by a device revoked before the share was sent, back-dated to
//!   before the revocation, never closes the share;
//! - an encryption key rotated while a sync registers the previous one is not lost;
//! - a low-order encryption key registered by a rogue phone is refused, so no sender's seal to
//!   its team fails;
//! - a key a server holding the region key puts in place of a device's own encryption key stops
//!   that device's sync (the other phones cannot tell);
//! - a share the server makes up (no device signed it) is never taken as an incoming share, but
//!   is listed in "needs attention" as one that could not be read (docs/clinical-decisions.md).
//!
//! - a rogue phone rotating its key in a loop cannot flood every phone with roster versions:
//!   the server takes at most three key registrations a device a day (429 with Retry-After).
//!
//! One hole stays open, its test ignored with the fix described: a stolen phone's key can sign
//! shares back-dated before its revocation.
//!
//! The envelopes are stored with `TestServer::inject`, past the server's own checks (and, for
//! a second author of an entity, past its storage's ownership table, through its SQLite file),
//! as a compromised server (or an operator with the database) would; an honest server refuses
//! each of them at push (`answers_not_visible`, `entity_not_owned`, `device_revoked`). The
//! low-order key and the rotations go through the honest server itself.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use safeshare_core::app::{bodies, NewReferralInput};
use safeshare_core::clock::{Clock, FixedClock, SystemClock};
use safeshare_core::crypto::envelope_seal::{inspect, Recipient};
use safeshare_core::model::{ReferralId, Severity, ShareId, TeamId};
use safeshare_core::rules::acknowledgement::{ReadBack, ShareStatus};
use safeshare_core::rules::attention::AttentionKind;
use safeshare_core::rules::referral::{DecisionOutcome, ReferralChannel, ReferralDecision};
use safeshare_core::secrets::SecretStore;
use safeshare_core::sync::client::{SyncClient, DEVICE_KEY_SECRET};
use safeshare_core::sync::{Body, DeviceKeyPair, Envelope, EnvelopeId, EnvelopeKind, WIRE_VERSION};
use safeshare_tests::phone::{add_child_without_address, share_concern_at};
use safeshare_tests::{
    region, Backend, Fault, FaultProxy, Region, SessionPhone, TestDevice, TestServer,
};
use std::sync::{mpsc, Arc, Mutex};

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

/// What an attacker takes from a phone.
trait Stolen {
    /// The device's Ed25519 signing key, from its keystore: what a thief of the phone (or a
    /// rogue member of another team) holds.
    fn signing_key(&self) -> DeviceKeyPair;
}

impl Stolen for SessionPhone {
    fn signing_key(&self) -> DeviceKeyPair {
        let pkcs8 = self.secrets.get(DEVICE_KEY_SECRET).unwrap().unwrap();
        DeviceKeyPair::from_pkcs8(&pkcs8).unwrap()
    }
}

fn phone(
    server: &TestServer,
    region: &Region,
    clock: &Arc<FixedClock>,
    team: TeamId,
) -> SessionPhone {
    let name = "Fictional Practitioner";
    SessionPhone::enrolled(server, region, clock.clone(), name, team, 11)
}

/// Seals `plain` to every live device the server's roster lists (all public) and signs it
/// with `author`: a real device's signature, so the phones' author check passes.
fn signed_by(author: &DeviceKeyPair, server: &TestServer, plain: Envelope) -> Envelope {
    plain.seal_body(&server.live_recipients(), author).unwrap()
}

/// An envelope `by` writes (see [`header`]) and signs with its own key, put in the server's
/// store as if pushed: what a compromised server or a forger with the database could add.
fn inject_as(
    by: &SessionPhone,
    server: &TestServer,
    kind: EnvelopeKind,
    created_at: DateTime<Utc>,
    audience: Vec<TeamId>,
    answers: Option<ulid::Ulid>,
    body: Vec<u8>,
) {
    let plain = header(by, kind, created_at, audience, answers, body);
    server.inject(signed_by(&by.signing_key(), server, plain));
}

/// An envelope header written as `by` would write it, with `body` as its plaintext body.
fn header(
    by: &SessionPhone,
    kind: EnvelopeKind,
    created_at: DateTime<Utc>,
    audience: Vec<TeamId>,
    answers: Option<ulid::Ulid>,
    body: Vec<u8>,
) -> Envelope {
    let me = by.session.identity();
    Envelope {
        id: EnvelopeId::new(),
        wire_version: WIRE_VERSION,
        kind,
        entity_id: ulid::Ulid::new(),
        entity_version: 1,
        author: me.practitioner,
        device: me.device,
        created_at,
        audience,
        severity: None,
        due_at: None,
        answers,
        body: Body(body),
        signature: None,
    }
}

/// An acknowledgement of `share` by `by`, claiming to come from `team`, with a complete
/// read-back, as its body.
fn ack_body(by: &SessionPhone, share: ShareId, team: TeamId, at: DateTime<Utc>) -> Vec<u8> {
    serde_json::to_vec(&bodies::AcknowledgementBody {
        v: bodies::BODY_VERSION,
        share,
        by: by.session.identity().practitioner,
        by_name: "Fictional Practitioner".into(),
        team,
        at,
        read_back: ReadBack {
            who: "Fictional Child".into(),
            risk: "nothing of note".into(),
            next_action: "none".into(),
        },
    })
    .unwrap()
}

fn new_child(phone: &SessionPhone) -> safeshare_core::model::PersonId {
    add_child_without_address(
        &phone.session,
        "Fictional Child",
        NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
    )
}

/// A referral by `midwife` of a new child to `front_door`, by phone; returns its id.
fn a_referral(midwife: &SessionPhone, front_door: TeamId) -> ReferralId {
    let child = new_child(midwife);
    midwife
        .session
        .record_referral(NewReferralInput {
            about: child,
            front_door,
            sent_at: None,
            summary: "Domestic abuse disclosed; baby three weeks old.".into(),
            channel: ReferralChannel::Phone,
        })
        .unwrap()
        .record
        .referral
        .id
}

fn share_a_concern(midwife: &SessionPhone, team: TeamId, severity: Severity) -> ShareId {
    share_concern_at(
        &midwife.session,
        new_child(midwife),
        team,
        severity,
        "Partner shouted at the mother during the visit.",
        "Please see mother alone.",
    )
}

fn awaiting(phone: &SessionPhone, share: ShareId) -> bool {
    let view = phone.session.share(share).unwrap();
    view.share.record.acknowledgement.is_none()
        && matches!(view.status, ShareStatus::AwaitingAcknowledgement { .. })
}

#[test]
fn an_acknowledgement_from_outside_the_shares_team_never_closes_it() {
    let region = region();
    let clock = Arc::new(FixedClock::new(utc(2026, 11, 23, 10, 30)));
    let server = TestServer::start(Backend::Sqlite, clock.clone() as Arc<dyn Clock>, &region);
    let midwife = phone(&server, &region, &clock, region.midwifery);
    let hv = phone(&server, &region, &clock, region.health_visiting);
    // A real, enrolled device of another team (the front door): its own signature verifies.
    let intruder = phone(&server, &region, &clock, region.front_door);
    hv.sync();
    intruder.sync();
    let share = share_a_concern(&midwife, region.health_visiting, Severity::ImmediateRisk);
    midwife.sync();
    // A health visitor's phone enrolled after the share: it cannot open it, and lists it.
    clock.set(utc(2026, 11, 23, 10, 40));
    let late = phone(&server, &region, &clock, region.health_visiting);
    late.sync();

    // The intruder acknowledges the health visitors' share, claiming their team in the body;
    // the server stores it (an honest one answers `answers_not_visible`).
    clock.set(utc(2026, 11, 23, 10, 50));
    inject_as(
        &intruder,
        &server,
        EnvelopeKind::Acknowledgement,
        clock.now(),
        vec![region.midwifery, region.health_visiting],
        Some(share.ulid()),
        ack_body(&intruder, share, region.health_visiting, clock.now()),
    );

    midwife.sync();
    assert!(
        awaiting(&midwife, share),
        "an acknowledgement from outside the team closed the share"
    );
    late.sync();
    let attention = late.session.needs_attention_now().unwrap();
    assert!(
        attention
            .iter()
            .any(|a| matches!(a.item.kind, AttentionKind::IncomingShareNotReadable { .. })),
        "an acknowledgement from outside the team took the unreadable share out of needs attention"
    );

    // The health visitor's phone pulls the share and the made-up acknowledgement: the share is
    // still hers to acknowledge, and her real acknowledgement closes it.
    clock.set(utc(2026, 11, 23, 11, 0));
    hv.sync();
    hv.session
        .acknowledge_share(
            share,
            ReadBack {
                who: "Fictional Child".into(),
                risk: "Partner shouting".into(),
                next_action: "See mother alone".into(),
            },
        )
        .unwrap();
    hv.sync();
    midwife.sync();
    assert!(matches!(
        midwife.session.share(share).unwrap().status,
        ShareStatus::ReadBackToCheck { .. }
    ));
}

#[test]
fn an_acknowledgement_by_a_device_revoked_before_the_share_never_closes_it() {
    let region = region();
    let clock = Arc::new(FixedClock::new(utc(2026, 11, 23, 9, 0)));
    let server = TestServer::start(Backend::Sqlite, clock.clone() as Arc<dyn Clock>, &region);
    let midwife = phone(&server, &region, &clock, region.midwifery);
    let hv = phone(&server, &region, &clock, region.health_visiting);
    let stolen = phone(&server, &region, &clock, region.health_visiting);
    stolen.sync();
    hv.sync();
    // The phone is reported stolen and revoked at 09:30; the thief keeps its signing key.
    clock.set(utc(2026, 11, 23, 9, 30));
    let key = stolen.signing_key();
    assert!(server.revoke(stolen.session.identity().device));

    clock.set(utc(2026, 11, 23, 10, 30));
    let share = share_a_concern(&midwife, region.health_visiting, Severity::Concern);
    midwife.sync();

    // An acknowledgement by the stolen phone, dated 09:15 (before its revocation), of a share
    // sent at 10:30: the phone cannot have read it.
    let back_dated = utc(2026, 11, 23, 9, 15);
    let forged = signed_by(
        &key,
        &server,
        header(
            &stolen,
            EnvelopeKind::Acknowledgement,
            back_dated,
            vec![region.midwifery],
            Some(share.ulid()),
            ack_body(&stolen, share, region.health_visiting, back_dated),
        ),
    );
    server.inject(forged);
    clock.set(utc(2026, 11, 23, 10, 45));
    midwife.sync();
    assert!(
        awaiting(&midwife, share),
        "a back-dated acknowledgement by a revoked phone closed a share sent after revocation"
    );
}

#[test]
fn a_referral_decision_by_someone_else_never_stops_the_chase() {
    let region = region();
    let clock = Arc::new(FixedClock::new(utc(2026, 11, 27, 15, 0)));
    let server = TestServer::start(Backend::Sqlite, clock.clone() as Arc<dyn Clock>, &region);
    let midwife = phone(&server, &region, &clock, region.midwifery);
    let intruder = phone(&server, &region, &clock, region.front_door);
    intruder.sync();
    let referral = a_referral(&midwife, region.front_door);
    midwife.sync();

    // Someone else records an "accepted" decision on the midwife's referral.
    clock.set(utc(2026, 11, 27, 16, 0));
    let body = serde_json::to_vec(&bodies::ReferralDecisionBody {
        v: bodies::BODY_VERSION,
        referral,
        decision: ReferralDecision {
            outcome: DecisionOutcome::Accepted {
                response: "Early Help".into(),
            },
            feedback_to_family_given: true,
            arrived_at: clock.now(),
            recorded_by: intruder.session.identity().practitioner,
        },
    })
    .unwrap();
    inject_as(
        &intruder,
        &server,
        EnvelopeKind::ReferralDecision,
        clock.now(),
        vec![region.midwifery],
        Some(referral.ulid()),
        body,
    );
    midwife.sync();
    assert!(
        midwife
            .session
            .referral(referral)
            .unwrap()
            .record
            .decision
            .is_none(),
        "a decision recorded by another practitioner closed the referral"
    );
}

fn device(server: &TestServer, base_url: String, team: TeamId, seed: u64) -> TestDevice {
    TestDevice::enrolled(
        server,
        base_url,
        team,
        std::time::Duration::from_secs(10),
        seed,
    )
}

fn key_of(device: &TestDevice) -> DeviceKeyPair {
    DeviceKeyPair::from_pkcs8(&device.secrets.get(DEVICE_KEY_SECRET).unwrap().unwrap()).unwrap()
}

/// The key id the roster `device` holds lists as its current encryption key.
fn current_key_id(device: &TestDevice) -> safeshare_core::crypto::envelope_seal::KeyId {
    SyncClient::current_roster(device.store())
        .unwrap()
        .unwrap()
        .device(device.device_id())
        .unwrap()
        .encryption_key
        .unwrap()
        .key_id()
}

#[test]
fn a_share_reusing_another_authors_entity_id_does_not_redirect_the_acknowledgement() {
    let server = TestServer::start(Backend::Sqlite, Arc::new(SystemClock), &region());
    let (team_a, team_b, team_c) = (server.teams[0], server.teams[1], server.teams[2]);
    let url = server.base_url();
    let mut midwife = device(&server, url.clone(), team_a, 1);
    let mut hv = device(&server, url.clone(), team_b, 2);
    let mut intruder = device(&server, url, team_c, 3);
    hv.sync().unwrap();
    intruder.sync().unwrap();
    midwife.sync().unwrap();
    let intruder_key = current_key_id(&intruder);

    let real = midwife.capture(midwife.share(vec![team_b], Duration::hours(4), b"concern"));
    midwife.sync().unwrap();
    // The intruder's own share, to the same team, under the midwife's entity id (an honest
    // server answers `entity_not_owned`).
    let mut hijack = intruder.share(vec![team_b], Duration::hours(4), b"me too");
    hijack.entity_id = real.entity_id;
    let hijack = hijack
        .seal_body(
            &server
                .roster_devices()
                .iter()
                .filter_map(|d| d.encryption_key.map(Recipient::from))
                .collect::<Vec<_>>(),
            &key_of(&intruder),
        )
        .unwrap();
    // The server's storage refuses a second author of an entity (`entity_owners`); a
    // compromised server writes its database as it likes: forget the owner, then store it.
    let db = rusqlite::Connection::open(server.sqlite_dir().unwrap().join("safeshare.db")).unwrap();
    db.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
    db.execute(
        "DELETE FROM entity_owners WHERE entity_id = ?1",
        [real.entity_id.to_string()],
    )
    .unwrap();
    server.inject(hijack.clone());
    assert!(
        server
            .envelopes_for(&[team_b])
            .iter()
            .any(|(_, e)| e.id == hijack.id),
        "the server serves the second author's envelope"
    );

    hv.sync().unwrap();
    assert!(hv.has_received(real.id));
    assert!(
        hv.status()
            .unreadable
            .iter()
            .any(|u| u.id == hijack.id.to_string()),
        "the second author of one entity is listed, not taken"
    );
    let ack = hv.capture(hv.acknowledgement(&real, vec![team_a], b"read back"));
    hv.sync().unwrap();
    let stored = server.envelopes_for(&[team_a]);
    let sealed = &stored.iter().find(|(_, e)| e.id == ack.id).unwrap().1;
    let recipients = inspect(&sealed.body.0).unwrap().recipients;
    assert!(recipients.contains(&current_key_id(&midwife)));
    assert!(
        !recipients.contains(&intruder_key),
        "the read-back was sealed to the intruder who re-used the share's entity id"
    );
}

#[test]
fn a_key_rotated_while_a_sync_registers_the_previous_one_is_not_lost() {
    let server = TestServer::start(Backend::Sqlite, Arc::new(SystemClock), &region());
    let proxy = FaultProxy::start(server.addr());
    let mut hv = device(&server, proxy.base_url(), server.teams[1], 4);
    hv.sync().unwrap();
    // A first rotation, registered by the next sync ...
    let second =
        SyncClient::rotate_encryption_key(hv.store(), hv.secrets.as_ref(), Utc::now()).unwrap();
    let (arrived, wait) = mpsc::channel::<()>();
    let arrived = Mutex::new(Some(arrived));
    let mut first = true;
    proxy.set_plan(move || {
        // The sync's first request registers the new key: hold it while the phone rotates
        // again.
        if std::mem::take(&mut first) {
            if let Some(tx) = arrived.lock().unwrap().take() {
                let _ = tx.send(());
            }
            Fault::Delay(1500)
        } else {
            Fault::Pass
        }
    });
    let third = std::thread::scope(|scope| {
        let syncing = scope.spawn(|| hv.sync_if_due().unwrap());
        wait.recv().unwrap();
        // ... and a second one while that registration is in flight.
        let third =
            SyncClient::rotate_encryption_key(hv.store(), hv.secrets.as_ref(), Utc::now()).unwrap();
        syncing.join().unwrap();
        third
    });
    assert_ne!(second, third);
    proxy.set_plan(|| Fault::Pass);
    hv.sync().unwrap();
    assert_eq!(
        current_key_id(&hv),
        third,
        "the key made during the sync was lost: the phone still uses the one before"
    );
}

#[test]
fn a_low_order_encryption_key_is_refused_and_never_blocks_a_sender() {
    // A rogue enrolled phone of the health visiting team registers the all-zero X25519 key (a
    // low-order point: HPKE refuses to seal to it). Were it listed, every phone sealing to the
    // team would fail its whole push.
    let server = TestServer::start(Backend::Sqlite, Arc::new(SystemClock), &region());
    let (team_a, team_b) = (server.teams[0], server.teams[1]);
    let url = server.base_url();
    let mut midwife = device(&server, url.clone(), team_a, 5);
    let mut hv = device(&server, url.clone(), team_b, 6);
    let rogue = device(&server, url.clone(), team_b, 7);
    hv.sync().unwrap();
    let body = serde_json::to_vec(&safeshare_core::sync::EncryptionKeyRequest {
        public_key: safeshare_core::crypto::envelope_seal::EncryptionPublicKey([0; 32]),
    })
    .unwrap();
    let path = safeshare_core::sync::paths::ENCRYPTION_KEY;
    let signature = key_of(&rogue).sign_request_with_nonce(
        rogue.device_id(),
        "POST",
        path,
        &body,
        Utc::now(),
        safeshare_core::sync::random_nonce().unwrap(),
    );
    let mut request = reqwest::blocking::Client::new()
        .post(format!("{url}{path}"))
        .header("content-type", "application/json")
        .body(body);
    for (name, value) in signature.headers() {
        request = request.header(name, value);
    }
    let answer = request.send().unwrap();
    let status = answer.status();

    let share = midwife.capture(midwife.share(vec![team_b], Duration::hours(4), b"concern"));
    let report = midwife.sync();
    assert!(
        report.as_ref().is_ok_and(|r| r.accepted == 1),
        "a key nobody can seal to blocked the sender: {report:?}"
    );
    hv.sync().unwrap();
    assert!(hv.has_received(share.id));
    assert_eq!(status.as_u16(), 400, "the low-order key was registered");
}

#[test]
fn a_rogue_device_rotating_its_key_cannot_flood_every_phone_with_roster_versions() {
    let server = TestServer::start(Backend::Sqlite, Arc::new(SystemClock), &region());
    let (team_a, team_b) = (server.teams[0], server.teams[1]);
    let url = server.base_url();
    let mut midwife = device(&server, url.clone(), team_a, 8);
    let mut rogue = device(&server, url, team_b, 9);
    rogue.sync().unwrap();
    midwife.sync().unwrap();
    let before = SyncClient::roster_log(midwife.store()).unwrap().len();
    for _ in 0..20 {
        SyncClient::rotate_encryption_key(rogue.store(), rogue.secrets.as_ref(), Utc::now())
            .unwrap();
        // A refused registration defers the key; the sync itself carries on.
        rogue.sync().unwrap();
    }
    midwife.sync().unwrap();
    let after = SyncClient::roster_log(midwife.store()).unwrap().len();
    assert!(
        after - before <= 2,
        "20 rotations by one device made {} roster versions for every phone",
        after - before
    );
}

#[test]
#[ignore = "open hole: a phone judges an envelope from a revoked device by its created_at, which \
            the holder of the device's key writes; with a stolen phone's key a compromised \
            server can serve shares dated before the revocation. Answers to anything made \
            after the revocation are refused (see the tests above). Fix: a time the author \
            cannot choose, e.g. the region key signing, in the roster version that revokes a \
            device, the last sequence or envelope id the server accepted from it, and phones \
            refusing the device's envelopes not covered by it"]
fn a_back_dated_share_from_a_revoked_phone_is_not_taken() {
    let server = TestServer::start(Backend::Sqlite, Arc::new(SystemClock), &region());
    let (team_a, team_b) = (server.teams[0], server.teams[1]);
    let url = server.base_url();
    let mut midwife = device(&server, url.clone(), team_a, 10);
    let mut stolen = device(&server, url, team_b, 11);
    stolen.sync().unwrap();
    midwife.sync().unwrap();
    let key = key_of(&stolen);
    let mut share = stolen.share(vec![team_a], Duration::hours(4), b"made up");
    assert!(server.revoke(stolen.device_id()));
    share.created_at -= Duration::hours(1);
    let share = share.seal_body(&server.live_recipients(), &key).unwrap();
    server.inject(share.clone());
    midwife.sync().unwrap();
    assert!(
        !midwife.has_received(share.id),
        "a share made with a revoked phone's key after its revocation was taken"
    );
}

#[test]
fn a_key_put_in_place_of_a_devices_own_stops_that_devices_sync() {
    // A server holding the region key lists a key of its own as the health visitor's current
    // encryption key (in the log, a routine rotation). Her phone is the one that can tell.
    let server = TestServer::start(Backend::Sqlite, Arc::new(SystemClock), &region());
    let (team_a, team_b) = (server.teams[0], server.teams[1]);
    let url = server.base_url();
    let mut midwife = device(&server, url.clone(), team_a, 12);
    let mut hv = device(&server, url, team_b, 13);
    hv.sync().unwrap();
    midwife.sync().unwrap();
    let held = SyncClient::roster_log(hv.store()).unwrap().len();

    let substitute = safeshare_core::crypto::envelope_seal::EncryptionKeyPair::generate()
        .unwrap()
        .public_key();
    let db = rusqlite::Connection::open(server.sqlite_dir().unwrap().join("safeshare.db")).unwrap();
    db.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
    db.execute(
        "INSERT INTO device_encryption_keys (device_id, key_id, public_key, registered_at_ms) \
         VALUES (?1, ?2, ?3, ?4)",
        rusqlite::params![
            hv.device_id().to_string(),
            substitute.key_id().to_string(),
            serde_json::to_value(substitute)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned(),
            Utc::now().timestamp_millis(),
        ],
    )
    .unwrap();

    // The midwife's phone cannot tell and accepts the version (signed, chained, history kept).
    midwife.sync().unwrap();
    let seen_by_midwife = SyncClient::current_roster(midwife.store())
        .unwrap()
        .unwrap()
        .device(hv.device_id())
        .unwrap()
        .encryption_key
        .unwrap()
        .key_id();
    assert_eq!(seen_by_midwife, substitute.key_id());
    // The health visitor's phone refuses it and keeps the log it had.
    let err = hv.sync().unwrap_err();
    assert_eq!(err.code(), "roster_refused", "{err}");
    assert!(
        matches!(
            err,
            safeshare_core::sync::client::SyncError::Roster(
                safeshare_core::sync::RosterError::NotThisDevice { .. }
            )
        ),
        "{err}"
    );
    assert_eq!(SyncClient::roster_log(hv.store()).unwrap().len(), held);
}

#[test]
fn a_made_up_share_is_never_taken_but_still_asks_for_a_call() {
    // docs/clinical-decisions.md: a share to the team whose sender cannot be verified (made up,
    // or a real one damaged in storage) is never an incoming share, but is listed in "needs
    // attention" as a share that could not be read, with the named sender's team to phone.
    let region = region();
    let clock = Arc::new(FixedClock::new(utc(2026, 11, 23, 10, 30)));
    let server = TestServer::start(Backend::Sqlite, clock.clone() as Arc<dyn Clock>, &region);
    let midwife = phone(&server, &region, &clock, region.midwifery);
    let hv = phone(&server, &region, &clock, region.health_visiting);
    hv.sync();
    midwife.sync();
    let mut made_up = header(
        &midwife,
        EnvelopeKind::Share,
        clock.now(),
        vec![region.health_visiting],
        None,
        b"{}".to_vec(),
    );
    made_up.severity = Some(Severity::ImmediateRisk);
    made_up.due_at = Some(clock.now());
    // Signed by a key that is not the midwife's device's.
    let made_up = signed_by(&DeviceKeyPair::generate().unwrap(), &server, made_up);
    server.inject(made_up.clone());
    hv.sync();
    assert!(hv.session.incoming_shares().unwrap().is_empty());
    let attention = hv.session.needs_attention_now().unwrap();
    let item = attention
        .iter()
        .find(|a| {
            matches!(
                a.item.kind,
                AttentionKind::IncomingShareNotReadable { envelope, .. }
                    if envelope == made_up.id.0
            )
        })
        .expect("listed as a share that could not be read");
    assert!(item.item.immediate_risk);
    let status = hv.session.sync_status().unwrap();
    let listed = status
        .unreadable
        .iter()
        .find(|u| u.id == made_up.id.to_string())
        .unwrap();
    assert!(
        listed.reason.contains("sender could not be verified"),
        "{}",
        listed.reason
    );
}

#[test]
fn an_escalation_step_by_someone_else_never_moves_the_ladder_on() {
    use safeshare_core::rules::escalation::{
        EscalationStep, EscalationTrigger, StepOutcome, StepRecord,
    };
    let region = region();
    let clock = Arc::new(FixedClock::new(utc(2026, 11, 27, 15, 0)));
    let server = TestServer::start(Backend::Sqlite, clock.clone() as Arc<dyn Clock>, &region);
    let midwife = phone(&server, &region, &clock, region.midwifery);
    let intruder = phone(&server, &region, &clock, region.front_door);
    intruder.sync();
    let referral = a_referral(&midwife, region.front_door);
    // Not accepted: the midwife's escalation ladder opens.
    clock.set(utc(2026, 11, 28, 10, 0));
    midwife
        .session
        .record_referral_decision(
            referral,
            DecisionOutcome::NotAccepted {
                reasons: "No role for CSC at present".into(),
            },
            true,
            None,
        )
        .unwrap();
    midwife.sync();

    // Someone else records the first step as done on her ladder.
    clock.set(utc(2026, 11, 28, 11, 0));
    let body = serde_json::to_vec(&bodies::EscalationStepBody {
        v: bodies::BODY_VERSION,
        referral,
        trigger: EscalationTrigger::NotAccepted,
        step: StepRecord {
            step: EscalationStep::ReviewAndReRefer,
            taken_at: clock.now(),
            taken_by: intruder.session.identity().practitioner,
            outcome: StepOutcome::Done("Reviewed; re-referred".into()),
        },
    })
    .unwrap();
    inject_as(
        &intruder,
        &server,
        EnvelopeKind::EscalationStep,
        clock.now(),
        vec![region.midwifery],
        Some(referral.ulid()),
        body,
    );
    midwife.sync();
    let view = midwife.session.referral(referral).unwrap();
    assert!(
        view.escalation.unwrap().steps().is_empty(),
        "a step recorded by another practitioner moved the ladder on"
    );
}

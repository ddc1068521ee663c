//! End-to-end sealing (docs/security.md) over a real server on 127.0.0.1, on SQLite and on
//! PostgreSQL when configured:
//! - after the whole story (capture with a distinctive child name, NHS number and address;
//!   share; acknowledgement with a distinctive read-back), the server's database file, its WAL
//!   and every stored body decoded hold none of those strings (PostgreSQL: every stored row);
//! - a body the server moves under another envelope's header is refused by the recipient;
//! - a device revoked before a share was sent is not among its recipients;
//! - a device enrolled after a share was sent lists it as not readable on this device, and the
//!   acknowledgement flow of the devices that can read it is unaffected;
//! - a rotated key seals what is new, and the old key still opens what was sent before;
//! - a roster signed by a key the phone did not pin is refused and nothing is sealed to it;
//! - a share the phone cannot open is still in "needs attention", with the sender to call;
//! - an acknowledgement the server makes up (sealed to every device, under a real device's
//!   ids) is refused by the sender's phone and never closes the share; a share from a device
//!   no roster lists is not taken as an incoming share.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use safeshare_core::app::{bodies, NewObservationInput, ShareRequest};
use safeshare_core::clock::{Clock, FixedClock, SystemClock};
use safeshare_core::crypto::envelope_seal::{inspect, EncryptionKeyPair, SealError};
use safeshare_core::model::{
    ConcernCategory, DeviceId, Evidence, PersonDetails, PersonRole, Severity, ShareId, TeamId,
};
use safeshare_core::rules::acknowledgement::{ReadBack, ShareStatus};
use safeshare_core::rules::attention::AttentionKind;
use safeshare_core::secrets::SecretStore;
use safeshare_core::sync::client::{SyncClient, ENCRYPTION_KEY_SECRET_PREFIX};
use safeshare_core::sync::{Body, DeviceKeyPair, Envelope, EnvelopeId, EnvelopeKind, WIRE_VERSION};
use safeshare_tests::phone::{add_child_without_address, share_concern_at};
use safeshare_tests::{backends, region, Backend, Region, SessionPhone, TestDevice, TestServer};
use std::sync::Arc;

const CHILD_NAME: &str = "Ottoline Vasquez-Brightwater";
const NHS_NUMBER: &str = "9434765919";
const ADDRESS: &str = "17 Quillfeather Mews, Fictional Harrowgate";
const READ_BACK_PHRASE: &str = "periwinkle lantern protocol agreed";

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn phone(
    server: &TestServer,
    region: &Region,
    clock: &Arc<FixedClock>,
    team: TeamId,
) -> SessionPhone {
    let name = "Fictional Practitioner";
    SessionPhone::enrolled(server, region, clock.clone(), name, team, 7)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[test]
fn after_the_whole_story_the_server_holds_none_of_the_personal_data() {
    for backend in backends() {
        let region = region();
        let clock = Arc::new(FixedClock::new(utc(2026, 11, 23, 10, 30)));
        let server = TestServer::start(backend.clone(), clock.clone() as Arc<dyn Clock>, &region);
        let midwife = phone(&server, &region, &clock, region.midwifery);
        let hv = phone(&server, &region, &clock, region.health_visiting);

        // Capture with a distinctive name, NHS number and address, shared with the HV team.
        let household = midwife.session.add_household(Some(ADDRESS.into())).unwrap();
        let child = midwife
            .session
            .add_person(
                household.id,
                PersonRole::Child,
                PersonDetails {
                    name: Some(CHILD_NAME.into()),
                    date_of_birth: Some(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()),
                    nhs_number: Some(NHS_NUMBER.into()),
                    address: Some(ADDRESS.into()),
                    ..PersonDetails::default()
                },
            )
            .unwrap()
            .id;
        let share = midwife
            .session
            .capture_observation(NewObservationInput {
                about: child,
                visit: None,
                category: ConcernCategory::DomesticAbuse,
                severity: Severity::Concern,
                evidence: Evidence::ObservedFact,
                description: "Bruise on the mother's forearm; she said her partner grabbed her."
                    .into(),
                observed_at: None,
                place: None,
                share: Some(ShareRequest {
                    team: region.health_visiting,
                    message: "Please see mother alone at your next contact.".into(),
                    severity: None,
                }),
            })
            .unwrap()
            .share
            .unwrap()
            .share;
        clock.set(utc(2026, 11, 23, 10, 45));
        assert_eq!(
            midwife.session.sync_now(&midwife.client).unwrap().accepted,
            1
        );

        // The health visitor reads it (opened on her phone) and acknowledges with a read-back.
        clock.set(utc(2026, 11, 23, 11, 0));
        hv.session.sync_now(&hv.client).unwrap();
        let incoming = hv.session.incoming_shares().unwrap();
        assert_eq!(incoming.len(), 1, "{}", backend.name());
        assert_eq!(
            incoming[0].share.content.about.name.as_deref(),
            Some(CHILD_NAME)
        );
        assert_eq!(
            incoming[0].share.content.about.nhs_number.as_deref(),
            Some(NHS_NUMBER)
        );
        let read_back = ReadBack {
            who: format!("Baby {CHILD_NAME} at {ADDRESS}"),
            risk: "Domestic abuse disclosed by mother".into(),
            next_action: READ_BACK_PHRASE.into(),
        };
        hv.session
            .acknowledge_share(share, read_back.clone())
            .unwrap();
        hv.session.sync_now(&hv.client).unwrap();

        // The midwife's phone opens the acknowledgement: the loop is closed end to end.
        clock.set(utc(2026, 11, 23, 11, 15));
        midwife.session.sync_now(&midwife.client).unwrap();
        let view = midwife.session.share(share).unwrap();
        assert!(
            matches!(view.status, ShareStatus::ReadBackToCheck { .. }),
            "{:?}",
            view.status
        );
        assert_eq!(
            view.share
                .record
                .acknowledgement
                .as_ref()
                .unwrap()
                .read_back,
            read_back
        );

        // The server: every stored body is a sealed container, and none of the strings is in
        // a body, in the database file, its WAL, or (PostgreSQL) any stored row.
        let stored = server.envelopes_for(&region.teams());
        assert_eq!(stored.len(), 2, "{}", backend.name());
        let raw = server.raw_storage();
        assert!(!raw.is_empty());
        for needle in [
            CHILD_NAME,
            NHS_NUMBER,
            ADDRESS,
            READ_BACK_PHRASE,
            "Quillfeather",
            "Vasquez",
        ] {
            for (_, envelope) in &stored {
                assert!(inspect(&envelope.body.0).is_ok(), "body not sealed");
                assert!(
                    !contains(&envelope.body.0, needle),
                    "{needle} in a stored body"
                );
            }
            assert!(
                !contains(&raw, needle),
                "{needle} found in the {} server's storage",
                backend.name()
            );
        }
        if let Some(dir) = server.sqlite_dir() {
            assert!(dir.join("safeshare.db-wal").exists(), "the WAL was checked");
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = |p: &std::path::Path| {
                    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
                };
                assert_eq!(mode(&dir), 0o700);
                assert_eq!(mode(&dir.join("safeshare.db")), 0o600);
                assert_eq!(mode(&dir.join("safeshare.db-wal")), 0o600);
            }
        }
    }
}

fn device(server: &TestServer, team: TeamId, seed: u64) -> TestDevice {
    let timeout = std::time::Duration::from_secs(5);
    TestDevice::enrolled(server, server.base_url(), team, timeout, seed)
}

/// The device's current encryption key pair, from its keystore.
fn current_key(device: &TestDevice) -> EncryptionKeyPair {
    let roster = SyncClient::current_roster(device.store()).unwrap().unwrap();
    let me = roster.device(device.device_id()).unwrap();
    let id = me.encryption_key.unwrap().key_id();
    let secret = device
        .secrets
        .get(&format!("{ENCRYPTION_KEY_SECRET_PREFIX}{id}"))
        .unwrap()
        .unwrap();
    EncryptionKeyPair::from_secret_bytes(&secret).unwrap()
}

#[test]
fn a_device_revoked_before_a_share_is_not_among_its_recipients() {
    for backend in backends() {
        let server = TestServer::start(backend, Arc::new(SystemClock), &region());
        let (team_a, team_b) = (server.teams[0], server.teams[1]);
        let mut midwife = device(&server, team_a, 1);
        let mut kept = device(&server, team_b, 2);
        let mut revoked = device(&server, team_b, 3);
        kept.sync().unwrap();
        revoked.sync().unwrap();
        let revoked_key = current_key(&revoked).key_id();
        let kept_key = current_key(&kept).key_id();
        assert!(server.revoke(revoked.device_id()));

        let share = midwife.capture(midwife.share(vec![team_b], Duration::hours(4), b"concern"));
        midwife.sync().unwrap();
        let stored = server.envelopes_for(&[team_b]);
        let sealed = &stored.iter().find(|(_, e)| e.id == share.id).unwrap().1;
        let recipients = inspect(&sealed.body.0).unwrap().recipients;
        assert!(
            recipients.contains(&kept_key),
            "the team's live device reads it"
        );
        assert!(
            !recipients.contains(&revoked_key),
            "the revoked device is not a recipient"
        );
        // The roster the sender sealed with says so, signed.
        let roster = SyncClient::current_roster(midwife.store())
            .unwrap()
            .unwrap();
        assert!(roster
            .device(revoked.device_id())
            .unwrap()
            .revoked_at
            .is_some());
        kept.sync().unwrap();
        assert!(kept.has_received(share.id));
        assert!(revoked.sync().is_err());
    }
}

#[test]
fn a_device_enrolled_after_a_share_lists_it_as_not_readable_and_the_loop_still_closes() {
    for backend in backends() {
        let server = TestServer::start(backend, Arc::new(SystemClock), &region());
        let (team_a, team_b) = (server.teams[0], server.teams[1]);
        let mut midwife = device(&server, team_a, 1);
        let mut early = device(&server, team_b, 2);
        early.sync().unwrap();
        let share = midwife.capture(midwife.share(vec![team_b], Duration::hours(4), b"concern"));
        midwife.sync().unwrap();

        let mut late = device(&server, team_b, 3);
        let report = late.sync().unwrap();
        assert_eq!(report.unreadable, 1);
        let status = late.status();
        let item = status
            .unreadable
            .iter()
            .find(|u| u.id == share.id.to_string())
            .expect("listed, not dropped");
        assert!(
            item.reason.contains("not readable on this device"),
            "{}",
            item.reason
        );
        assert!(
            item.reason.contains("not sealed to this device"),
            "{}",
            item.reason
        );
        assert!(!late.has_received(share.id));
        // Its header is kept: who sent what to whom, and when the answer is due.
        let header = item.header.clone().expect("the header is kept");
        assert_eq!(header.kind, share.kind);
        assert_eq!(header.entity_id, share.entity_id);
        assert_eq!(header.audience, vec![team_b]);
        assert_eq!(header.due_at, share.due_at);
        assert_eq!(header.sender_teams, vec![team_a], "from the roster");
        assert_eq!(header.answered_at, None);

        // The device that can read it acknowledges (to the sender's team and its own); the
        // sender gets it; nothing blocks.
        early.sync().unwrap();
        assert!(early.has_received(share.id));
        let ack = early.capture(early.acknowledgement(&share, vec![team_a, team_b], b"read back"));
        early.sync().unwrap();
        midwife.sync().unwrap();
        assert!(midwife.has_received(ack.id));
        // The late device saw the acknowledgement's header: the share needs nothing more there.
        late.sync().unwrap();
        let status = late.status();
        let item = status
            .unreadable
            .iter()
            .find(|u| u.id == share.id.to_string())
            .unwrap();
        assert!(item.header.as_ref().unwrap().answered_at.is_some());
        // The late device's cursor moved on: a later share reaches it.
        let later = midwife.capture(midwife.share(vec![team_b], Duration::hours(4), b"again"));
        midwife.sync().unwrap();
        late.sync().unwrap();
        assert!(late.has_received(later.id));
    }
}

#[test]
fn a_body_moved_under_another_header_is_refused_by_the_recipient() {
    let server = TestServer::start(Backend::Sqlite, Arc::new(SystemClock), &region());
    let (team_a, team_b) = (server.teams[0], server.teams[1]);
    let mut midwife = device(&server, team_a, 1);
    let mut hv = device(&server, team_b, 2);
    hv.sync().unwrap();
    let first = midwife.capture(midwife.share(vec![team_b], Duration::hours(4), b"first"));
    let second = midwife.capture(midwife.share(vec![team_b], Duration::hours(8), b"second"));
    midwife.sync().unwrap();
    let stored = server.envelopes_for(&[team_b]);
    let find = |id| stored.iter().find(|(_, e)| e.id == id).unwrap().1.clone();
    let (a, b) = (find(first.id), find(second.id));
    let key = current_key(&hv);
    assert_eq!(a.open_body(&[&key]).unwrap().body.0, b"first");
    // What a server would do to re-address or re-date a body: the recipient refuses it.
    let mut moved = b.clone();
    moved.body = a.body.clone();
    assert_eq!(moved.open_body(&[&key]), Err(SealError::Unauthentic));
    let mut redated = a.clone();
    redated.due_at = b.due_at;
    assert_eq!(redated.open_body(&[&key]), Err(SealError::Unauthentic));
}

#[test]
fn a_rotated_key_seals_what_is_new_and_the_old_key_still_opens_what_was_sent_before() {
    let server = TestServer::start(Backend::Sqlite, Arc::new(SystemClock), &region());
    let (team_a, team_b) = (server.teams[0], server.teams[1]);
    let mut midwife = device(&server, team_a, 1);
    let mut hv = device(&server, team_b, 2);
    hv.sync().unwrap();
    let old_key = current_key(&hv).key_id();
    let before = midwife.capture(midwife.share(vec![team_b], Duration::hours(4), b"before"));
    midwife.sync().unwrap();

    // The health visitor's phone rotates before pulling what was sealed to its old key.
    let new_key =
        SyncClient::rotate_encryption_key(hv.store(), hv.secrets.as_ref(), Utc::now()).unwrap();
    assert_ne!(new_key, old_key);
    hv.sync().unwrap();
    assert!(hv.has_received(before.id), "the old key still opens it");
    assert_eq!(
        current_key(&hv).key_id(),
        new_key,
        "the roster names the new key"
    );

    // What the midwife sends next is sealed to the new key only.
    let after = midwife.capture(midwife.share(vec![team_b], Duration::hours(4), b"after"));
    midwife.sync().unwrap();
    let stored = server.envelopes_for(&[team_b]);
    let recipients = |id| {
        let sealed = &stored.iter().find(|(_, e)| e.id == id).unwrap().1;
        inspect(&sealed.body.0).unwrap().recipients
    };
    assert!(recipients(before.id).contains(&old_key));
    let now_sealed_to = recipients(after.id);
    assert!(now_sealed_to.contains(&new_key));
    assert!(!now_sealed_to.contains(&old_key));
    hv.sync().unwrap();
    assert!(hv.has_received(after.id));

    // Every roster version the phone accepted is in its log, the rotation among them.
    let log = SyncClient::roster_log(hv.store()).unwrap();
    let versions: Vec<u64> = log
        .iter()
        .map(|signed| {
            signed
                .verify(&server.region_key().public_key())
                .unwrap()
                .version
        })
        .collect();
    assert_eq!(versions, (1..=versions.len() as u64).collect::<Vec<_>>());
    assert!(log.iter().any(|signed| {
        let body = signed.verify(&server.region_key().public_key()).unwrap();
        body.device(hv.device_id())
            .and_then(|d| d.encryption_key)
            .map(|k| k.key_id())
            == Some(new_key)
    }));
}

/// Captures a domestic-abuse observation about a new fictional child on `midwife`'s phone,
/// shared with `team`; returns the share's id.
fn share_a_concern(
    midwife: &SessionPhone,
    team: TeamId,
    severity: Severity,
    description: &str,
    message: &str,
) -> ShareId {
    let child = add_child_without_address(
        &midwife.session,
        "Fictional Child",
        NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
    );
    share_concern_at(
        &midwife.session,
        child,
        team,
        severity,
        description,
        message,
    )
}

#[test]
fn a_share_this_phone_cannot_open_is_in_needs_attention_with_the_sender_to_call() {
    let region = region();
    let clock = Arc::new(FixedClock::new(utc(2026, 11, 23, 10, 30)));
    let server = TestServer::start(Backend::Sqlite, clock.clone() as Arc<dyn Clock>, &region);
    let midwife = phone(&server, &region, &clock, region.midwifery);
    let early = phone(&server, &region, &clock, region.health_visiting);
    early.session.sync_now(&early.client).unwrap();
    share_a_concern(
        &midwife,
        region.health_visiting,
        Severity::ImmediateRisk,
        "Partner threatened the mother in front of the baby.",
        "Immediate risk: please visit today.",
    );
    midwife.session.sync_now(&midwife.client).unwrap();

    // A health visitor's new phone, enrolled after the share was sealed, cannot open it, but
    // the share still asks for attention there, with the midwifery team's number to call.
    clock.set(utc(2026, 11, 23, 10, 40));
    let late = phone(&server, &region, &clock, region.health_visiting);
    late.session.sync_now(&late.client).unwrap();
    let attention = late.session.needs_attention_now().unwrap();
    let item = attention
        .iter()
        .find(|a| matches!(a.item.kind, AttentionKind::IncomingShareNotReadable { .. }))
        .expect("the unreadable share needs attention");
    let AttentionKind::IncomingShareNotReadable {
        envelope,
        team,
        sender_team,
    } = &item.item.kind
    else {
        unreachable!()
    };
    assert_eq!(*team, region.health_visiting);
    assert_eq!(*sender_team, Some(region.midwifery));
    let listed = late.session.sync_status().unwrap();
    assert!(listed
        .unreadable
        .iter()
        .any(|u| u.id == envelope.to_string()));
    assert!(
        item.item.immediate_risk,
        "an immediate risk stays at the top"
    );
    // The phone shows the pinned key's fingerprint (as issue-code prints it) and its roster
    // log, whose latest version added this very device.
    assert_eq!(
        late.session.region_key_fingerprint().unwrap(),
        Some(server.region_key().public_key().fingerprint())
    );
    let log = late.session.roster_log().unwrap();
    let me = late.session.identity().device;
    assert!(log
        .last()
        .unwrap()
        .changes
        .iter()
        .any(|c| c.device_id == me && c.kind == safeshare_core::sync::RosterChangeKind::Added));
    assert!(log.windows(2).all(|w| w[1].version == w[0].version + 1));
    let call = item.call.as_ref().expect("a number to call the sender");
    assert_eq!(call.for_team, region.midwifery);
    // The same share on the phone that can read it is an ordinary acknowledgement to give, due
    // at the same instant.
    early.session.sync_now(&early.client).unwrap();
    let readable = early.session.needs_attention_now().unwrap();
    let ack = readable
        .iter()
        .find(|a| matches!(a.item.kind, AttentionKind::AcknowledgeIncomingShare { .. }))
        .unwrap();
    assert_eq!(ack.item.due, item.item.due);
}

#[test]
fn a_roster_signed_by_another_key_is_refused_and_nothing_is_sealed_to_its_devices() {
    let mut server = TestServer::start(Backend::Sqlite, Arc::new(SystemClock), &region());
    let (team_a, team_b) = (server.teams[0], server.teams[1]);
    let mut midwife = device(&server, team_a, 1);
    device(&server, team_b, 2).sync().unwrap();
    midwife.sync().unwrap();
    let held = SyncClient::roster_log(midwife.store()).unwrap().len();

    // The server now signs with a key the phones never pinned, and a device appears in team B.
    server.restart_with_region_key(safeshare_core::sync::RegionKeyPair::generate().unwrap());
    let mut planted = device(&server, team_b, 3);
    let _ = planted.sync();
    let share = midwife.capture(midwife.share(vec![team_b], Duration::hours(4), b"concern"));
    let err = midwife.sync().unwrap_err();
    assert_eq!(err.code(), "roster_refused", "{err}");
    // The log keeps only what the pinned key signed; the share has not left the phone.
    assert_eq!(SyncClient::roster_log(midwife.store()).unwrap().len(), held);
    assert!(server
        .envelopes_for(&[team_b])
        .iter()
        .all(|(_, e)| e.id != share.id));
    assert_eq!(midwife.status().pending, 1);
}

/// Seals `plain` to every live device of the roster, as a server that holds the roster (every
/// public key) but no device's signing key could, and signs it with a key of its own.
fn forged_by_the_server(server: &TestServer, plain: Envelope) -> Envelope {
    plain
        .seal_body(
            &server.live_recipients(),
            &DeviceKeyPair::generate().unwrap(),
        )
        .unwrap()
}

#[test]
fn an_envelope_the_server_makes_up_is_refused_and_never_closes_a_share() {
    let region = region();
    let clock = Arc::new(FixedClock::new(utc(2026, 11, 23, 10, 30)));
    let server = TestServer::start(Backend::Sqlite, clock.clone() as Arc<dyn Clock>, &region);
    let midwife = phone(&server, &region, &clock, region.midwifery);
    let hv = phone(&server, &region, &clock, region.health_visiting);
    hv.session.sync_now(&hv.client).unwrap();
    let share = share_a_concern(
        &midwife,
        region.health_visiting,
        Severity::Concern,
        "Partner shouted at the mother during the visit.",
        "Please see mother alone.",
    );
    midwife.session.sync_now(&midwife.client).unwrap();
    let stored = server.envelopes_for(&region.teams());
    let sent = &stored
        .iter()
        .find(|(_, e)| e.kind == EnvelopeKind::Share)
        .unwrap()
        .1;

    // The server makes up the health visitor's acknowledgement, with a well-formed body and
    // read-back, sealed to every device (it holds all their public keys), under her real
    // practitioner and device ids.
    clock.set(utc(2026, 11, 23, 10, 50));
    let hv_id = hv.session.identity();
    let body = bodies::AcknowledgementBody {
        v: bodies::BODY_VERSION,
        share: ShareId::from_ulid(sent.entity_id),
        by: hv_id.practitioner,
        by_name: "Fictional Health Visitor".into(),
        team: region.health_visiting,
        at: clock.now(),
        read_back: ReadBack {
            who: "Fictional Child".into(),
            risk: "nothing of note".into(),
            next_action: "none".into(),
        },
    };
    let forged_ack = forged_by_the_server(
        &server,
        Envelope {
            id: EnvelopeId::new(),
            wire_version: WIRE_VERSION,
            kind: EnvelopeKind::Acknowledgement,
            entity_id: ulid::Ulid::new(),
            entity_version: 1,
            author: hv_id.practitioner,
            device: hv_id.device,
            created_at: clock.now(),
            audience: vec![region.midwifery],
            severity: None,
            due_at: None,
            answers: Some(sent.entity_id),
            body: Body(serde_json::to_vec(&body).unwrap()),
            signature: None,
        },
    );
    server.inject(forged_ack.clone());
    // And a share from a device no roster lists, to the health visiting team.
    let mut ghost_share = sent.clone();
    ghost_share.id = EnvelopeId::new();
    ghost_share.entity_id = ulid::Ulid::new();
    ghost_share.device = DeviceId::new();
    ghost_share.body = Body(b"{}".to_vec());
    let ghost_share = forged_by_the_server(&server, ghost_share);
    server.inject(ghost_share.clone());

    // The midwife's phone refuses the acknowledgement: the share still waits for one, and the
    // made-up item is listed, with why, not acted on.
    midwife.session.sync_now(&midwife.client).unwrap();
    let view = midwife.session.share(share).unwrap();
    assert!(
        matches!(view.status, ShareStatus::AwaitingAcknowledgement { .. }),
        "a forged acknowledgement closed the share: {:?}",
        view.status
    );
    assert!(view.share.record.acknowledgement.is_none());
    let status = midwife.session.sync_status().unwrap();
    let listed = status
        .unreadable
        .iter()
        .find(|u| u.id == forged_ack.id.to_string())
        .expect("the forged acknowledgement is listed");
    assert!(
        listed.reason.contains("sender could not be verified"),
        "{}",
        listed.reason
    );
    // The health visitor's phone does not take the ghost share as an incoming share.
    hv.session.sync_now(&hv.client).unwrap();
    assert_eq!(hv.session.incoming_shares().unwrap().len(), 1);
    assert!(hv
        .session
        .sync_status()
        .unwrap()
        .unreadable
        .iter()
        .any(
            |u| u.id == ghost_share.id.to_string() && u.reason.contains("not on the region roster")
        ));

    // The health visitor's real acknowledgement still closes the loop.
    clock.set(utc(2026, 11, 23, 11, 0));
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
    hv.session.sync_now(&hv.client).unwrap();
    midwife.session.sync_now(&midwife.client).unwrap();
    assert!(matches!(
        midwife.session.share(share).unwrap().status,
        ShareStatus::ReadBackToCheck { .. }
    ));
}

//! Attacks on the sending side of a transfer of care (issue 21), end to end: real phones (a
//! session over its own encrypted store and keystore, the real sync client) and a real server on
//! 127.0.0.1, on SQLite and PostgreSQL, one fixed clock.
//!
//! - Re-enrolment of the sending phone while the transfer sits in its outbox: the transfer is
//!   sent once, as the new device, sealed to the receiving team's phones (and not to a phone
//!   outside its audience), and the receiving team's acknowledgement still completes it on the
//!   sending phone. Both ways a phone re-enrols: the server still knows it (a new code for the
//!   same practitioner; a transfer the old device had already sent is completed too), and the
//!   server forgot it (restored from a backup taken before it enrolled).
//! - Acknowledgements the server stores past its own checks (what a compromised server, or an
//!   operator with the database, can do): one it makes up under the health visitor's ids, one
//!   really signed by an enrolled device outside the receiving team, the health visitor's real
//!   acknowledgement of another share replayed against the transfer, and the real one altered.
//!   None may mark the transfer acknowledged, end its call-now, or put the receiving team in the
//!   team around the child; the genuine acknowledgement afterwards still does all three.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use safeshare_core::app::{bodies, NewObservationInput, ShareRequest};
use safeshare_core::casework::transfer::{NewTransfer, TransferStatus};
use safeshare_core::clock::{Clock, FixedClock};
use safeshare_core::crypto::envelope_seal::Recipient;
use safeshare_core::model::{
    ConcernCategory, Evidence, PersonDetails, PersonId, PersonRole, Severity, ShareId, TeamId,
};
use safeshare_core::rules::acknowledgement::ReadBack;
use safeshare_core::rules::attention::AttentionKind;
use safeshare_core::secrets::SecretStore;
use safeshare_core::sync::client::DEVICE_KEY_SECRET;
use safeshare_core::sync::{Body, DeviceKeyPair, Envelope, EnvelopeId, EnvelopeKind, WIRE_VERSION};
use safeshare_tests::transfer::TransferPhones;
use safeshare_tests::{backends, region, Backend, Region, SessionPhone, TestServer};
use std::sync::Arc;

const BABY: &str = "Tamsin Fictional-Penhallow";
const NHS: &str = "943 476 5919";
const FOLLOW_UP: &str = "Hearing screen at Pendlebury on 11 January";

fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, hour, minute, 0)
        .unwrap()
}

fn phone(
    server: &TestServer,
    region: &Region,
    clock: &Arc<FixedClock>,
    team: TeamId,
    name: &str,
    seed: u64,
) -> SessionPhone {
    SessionPhone::enrolled(server, region, clock.clone(), name, team, seed)
}

/// A server at 09:00 on 1 December, the transfer's two phones (Midwife Ash, HV Birch) and a
/// third phone outside the transfer's audience, in the front door team (SW Dunn), all synced
/// once; the sync clients' jitter is seeded 1, 2 and 3.
fn three_phones(backend: Backend, region: &Region) -> (TransferPhones, SessionPhone) {
    let phones =
        TransferPhones::start_named(backend, region, at(1, 9, 0), ["Midwife Ash", "HV Birch"], 1);
    let third = phone(
        &phones.server,
        region,
        &phones.clock,
        region.front_door,
        "SW Dunn",
        3,
    );
    for p in [&phones.midwife, &phones.hv, &third] {
        p.sync();
    }
    (phones, third)
}

fn read_back() -> ReadBack {
    ReadBack {
        who: "Baby moving into LS6 with her mother".into(),
        risk: "Mother's low mood".into(),
        next_action: "New birth visit this week".into(),
    }
}

/// A baby with an open concern on `midwife`'s phone (nothing synced), under `nhs`.
fn baby_with_a_concern(midwife: &SessionPhone, nhs: &str) -> PersonId {
    let household = midwife.session.add_household(None).unwrap();
    let baby = midwife
        .session
        .add_person(
            household.id,
            PersonRole::Child,
            PersonDetails {
                name: Some(BABY.into()),
                date_of_birth: NaiveDate::from_ymd_opt(2026, 11, 20),
                nhs_number: Some(nhs.into()),
                ..PersonDetails::default()
            },
        )
        .unwrap();
    midwife
        .session
        .capture_observation(NewObservationInput {
            about: baby.id,
            visit: None,
            category: ConcernCategory::ParentalMentalHealth,
            severity: Severity::Concern,
            evidence: Evidence::ObservedFact,
            description: "Mother tearful and not sleeping before the move.".into(),
            observed_at: None,
            place: None,
            share: None,
        })
        .unwrap();
    baby.id
}

/// Sends the baby's transfer of care to the health visiting team (queued, not synced).
fn send_transfer(midwife: &SessionPhone, region: &Region, baby: PersonId) -> ShareId {
    midwife
        .session
        .transfers()
        .send(NewTransfer {
            child: baby,
            team: region.health_visiting,
            new_postcode: "LS6 2AB".into(),
            new_address: None,
            moving_on: None,
            message: "Family moving to your area; please take on the baby's care.".into(),
            severity: None,
            health_needs: "none known".into(),
            medication: "none known".into(),
            follow_up_appointments: FOLLOW_UP.into(),
        })
        .unwrap()
        .share
}

/// Whether the sending phone still holds the transfer as not acknowledged, with its call-now
/// in "needs attention" and the receiving team not yet in the team around the child.
fn still_awaiting(midwife: &SessionPhone, region: &Region, baby: PersonId, share: ShareId) -> bool {
    let sent = midwife.session.transfers().transfers_of(baby).unwrap();
    let awaiting = sent.len() == 1
        && sent[0].status == TransferStatus::AwaitingAcknowledgement
        && midwife
            .session
            .share(share)
            .unwrap()
            .share
            .record
            .acknowledgement
            .is_none();
    let call_now =
        midwife.session.needs_attention_now().unwrap().iter().any(
            |a| matches!(a.item.kind, AttentionKind::CallTeamNow { share: s, .. } if s == share),
        );
    let joined = midwife
        .session
        .team_around_child()
        .members(baby)
        .unwrap()
        .iter()
        .any(|m| m.team() == Some(region.health_visiting));
    awaiting && call_now && !joined
}

/// Whether the sending phone shows the transfer completed: transferred, no call-now, the
/// receiving team in the team around the child.
fn completed(midwife: &SessionPhone, region: &Region, baby: PersonId, share: ShareId) -> bool {
    let sent = midwife.session.transfers().transfers_of(baby).unwrap();
    sent.len() == 1
        && matches!(sent[0].status, TransferStatus::Transferred { .. })
        && !midwife.session.needs_attention_now().unwrap().iter().any(
            |a| matches!(a.item.kind, AttentionKind::CallTeamNow { share: s, .. } if s == share),
        )
        && midwife
            .session
            .team_around_child()
            .members(baby)
            .unwrap()
            .iter()
            .any(|m| m.team() == Some(region.health_visiting) && m.is_current())
}

/// The receiving phone opened the transfer: it expects the family, with the pack's text.
fn expects_the_family(hv: &SessionPhone, share: ShareId) -> bool {
    let expected = hv.session.transfers().expected().unwrap();
    let found: Vec<_> = expected.iter().filter(|e| e.share == share).collect();
    found.len() == 1
        && found[0].pack.follow_up_appointments == FOLLOW_UP
        && found[0].about.name.as_deref() == Some(BABY)
}

/// The share envelopes the server holds for `share`.
fn stored_shares(server: &TestServer, region: &Region, share: ShareId) -> Vec<Envelope> {
    server
        .envelopes_for(&region.teams())
        .into_iter()
        .map(|(_, e)| e)
        .filter(|e| e.kind == EnvelopeKind::Share && e.entity_id == share.ulid())
        .collect()
}

/// The receiving team's acknowledgement with read-back reaches the sender and completes it.
fn acknowledged_and_completed(
    midwife: &SessionPhone,
    hv: &SessionPhone,
    clock: &FixedClock,
    region: &Region,
    baby: PersonId,
    share: ShareId,
) {
    clock.set(at(1, 11, 30));
    hv.session.acknowledge_share(share, read_back()).unwrap();
    hv.sync();
    midwife.sync();
    assert!(
        completed(midwife, region, baby, share),
        "the genuine acknowledgement completes the transfer"
    );
}

fn reenrolled_while_known(backend: Backend) {
    let region = region();
    let (
        TransferPhones {
            clock,
            server,
            midwife,
            hv,
        },
        outsider,
    ) = three_phones(backend, &region);
    let old_device = midwife.device();

    // One transfer already on the server, sealed and signed by the old device.
    clock.set(at(1, 9, 30));
    let earlier_baby = baby_with_a_concern(&midwife, "401 023 2137");
    let earlier = send_transfer(&midwife, &region, earlier_baby);
    midwife.sync();
    assert_eq!(
        stored_shares(&server, &region, earlier)[0].device,
        old_device
    );

    // Offline: the transfer is sent and waits in the outbox.
    clock.set(at(1, 10, 0));
    let baby = baby_with_a_concern(&midwife, NHS);
    let share = send_transfer(&midwife, &region, baby);

    // The administrator issues the practitioner a new code and the phone re-enrols with it
    // before the transfer ever left.
    clock.set(at(1, 10, 15));
    midwife
        .session
        .enrol(
            &midwife.client,
            &server.issue_code_for(midwife.practitioner, vec![region.midwifery]),
        )
        .unwrap();
    let new_device = midwife.device();
    assert_ne!(old_device, new_device, "re-enrolment makes a new device");
    assert!(still_awaiting(&midwife, &region, baby, share));

    clock.set(at(1, 10, 30));
    midwife.sync();
    midwife.sync();
    let stored = stored_shares(&server, &region, share);
    assert_eq!(stored.len(), 1, "sent once");
    assert_eq!(stored[0].device, new_device, "sent as the new device");
    assert_eq!(stored[0].audience, vec![region.health_visiting]);

    hv.sync();
    outsider.sync();
    assert!(
        expects_the_family(&hv, share),
        "the receiving phone opens it"
    );
    assert!(outsider.session.transfers().expected().unwrap().is_empty());
    assert!(still_awaiting(&midwife, &region, baby, share));
    assert!(expects_the_family(&hv, earlier));

    // The transfer the old device sent is acknowledged after the re-enrolment: the
    // acknowledgement still reaches the phone (its earlier keys stay) and completes it.
    hv.session.acknowledge_share(earlier, read_back()).unwrap();
    acknowledged_and_completed(&midwife, &hv, &clock, &region, baby, share);
    assert!(completed(&midwife, &region, earlier_baby, earlier));
}

fn reenrolled_after_the_server_forgot_it(backend: Backend) {
    let region = region();
    let clock = Arc::new(FixedClock::new(at(1, 9, 0)));
    let mut server = TestServer::start(backend, clock.clone() as Arc<dyn Clock>, &region);
    let hv = phone(
        &server,
        &region,
        &clock,
        region.health_visiting,
        "HV Birch",
        2,
    );
    let outsider = phone(&server, &region, &clock, region.front_door, "SW Dunn", 3);
    hv.sync();
    outsider.sync();
    let backup = server.backup();

    // The midwife's phone enrols after the backup, then sends the transfer offline.
    let midwife = phone(&server, &region, &clock, region.midwifery, "Midwife Ash", 1);
    midwife.sync();
    clock.set(at(1, 10, 0));
    let baby = baby_with_a_concern(&midwife, NHS);
    let share = send_transfer(&midwife, &region, baby);

    // The server is restored from the backup: it no longer knows the phone.
    server.restore(&backup);
    clock.set(at(1, 10, 15));
    assert!(midwife.session.sync_now(&midwife.client).is_err());
    assert!(still_awaiting(&midwife, &region, baby, share));
    assert!(
        midwife
            .session
            .pending_envelopes()
            .unwrap()
            .iter()
            .any(|e| e.entity_id == share.ulid()),
        "the transfer is still in the outbox"
    );

    midwife
        .session
        .enrol(
            &midwife.client,
            &server.issue_code_for(midwife.practitioner, vec![region.midwifery]),
        )
        .unwrap();
    clock.set(at(1, 10, 30));
    midwife.sync();
    midwife.sync();
    let stored = stored_shares(&server, &region, share);
    assert_eq!(stored.len(), 1, "sent once");
    assert_eq!(stored[0].device, midwife.device());

    hv.sync();
    outsider.sync();
    assert!(expects_the_family(&hv, share));
    assert!(outsider.session.transfers().expected().unwrap().is_empty());
    acknowledged_and_completed(&midwife, &hv, &clock, &region, baby, share);
}

#[test]
fn a_transfer_in_the_outbox_when_the_sending_phone_re_enrols_is_sent_once_and_completed() {
    for backend in backends() {
        eprintln!("backend: {}", backend.name());
        reenrolled_while_known(backend.clone());
        reenrolled_after_the_server_forgot_it(backend);
    }
}

/// The device's Ed25519 signing key from its keystore: what a rogue holder of the phone has.
fn signing_key(phone: &SessionPhone) -> DeviceKeyPair {
    let pkcs8 = phone.secrets.get(DEVICE_KEY_SECRET).unwrap().unwrap();
    DeviceKeyPair::from_pkcs8(&pkcs8).unwrap()
}

/// `plain` sealed to every live device on the server's roster (their keys are public) and
/// signed with `author`.
fn sealed_and_signed(server: &TestServer, author: &DeviceKeyPair, plain: Envelope) -> Envelope {
    let recipients: Vec<Recipient> = server
        .roster_devices()
        .iter()
        .filter(|d| d.revoked_at.is_none())
        .filter_map(|d| d.encryption_key.map(Recipient::from))
        .collect();
    plain.seal_body(&recipients, author).unwrap()
}

/// An acknowledgement of `share` as `by` would write it, claiming the health visiting team.
fn acknowledgement(
    by: &SessionPhone,
    region: &Region,
    share: ShareId,
    now: DateTime<Utc>,
) -> Envelope {
    let me = by.session.identity();
    let body = bodies::AcknowledgementBody {
        v: bodies::BODY_VERSION,
        share,
        by: me.practitioner,
        by_name: "Fictional Practitioner".into(),
        team: region.health_visiting,
        at: now,
        read_back: read_back(),
    };
    Envelope {
        id: EnvelopeId::new(),
        wire_version: WIRE_VERSION,
        kind: EnvelopeKind::Acknowledgement,
        entity_id: ulid::Ulid::new(),
        entity_version: 1,
        author: me.practitioner,
        device: me.device,
        created_at: now,
        audience: vec![region.midwifery, region.health_visiting],
        severity: None,
        due_at: None,
        answers: Some(share.ulid()),
        body: Body(serde_json::to_vec(&body).unwrap()),
        signature: None,
    }
}

fn forged_acknowledgements(backend: Backend) {
    let region = region();
    let (
        TransferPhones {
            clock,
            server,
            midwife,
            hv,
        },
        intruder,
    ) = three_phones(backend, &region);

    // An ordinary share to the health visitors, acknowledged for real: its acknowledgement is
    // what a replay starts from.
    let baby = baby_with_a_concern(&midwife, NHS);
    let other_child = {
        let household = midwife.session.add_household(None).unwrap();
        midwife
            .session
            .add_person(
                household.id,
                PersonRole::Child,
                PersonDetails {
                    name: Some("Fictional Sibling".into()),
                    date_of_birth: NaiveDate::from_ymd_opt(2025, 6, 1),
                    ..PersonDetails::default()
                },
            )
            .unwrap()
            .id
    };
    let ordinary = midwife
        .session
        .capture_observation(NewObservationInput {
            about: other_child,
            visit: None,
            category: ConcernCategory::DomesticAbuse,
            severity: Severity::Concern,
            evidence: Evidence::ObservedFact,
            description: "Raised voices heard from the flat.".into(),
            observed_at: None,
            place: None,
            share: Some(ShareRequest {
                team: region.health_visiting,
                message: "Please see mother alone.".into(),
                severity: None,
            }),
        })
        .unwrap()
        .share
        .unwrap()
        .share;
    clock.set(at(1, 10, 0));
    let share = send_transfer(&midwife, &region, baby);
    midwife.sync();
    hv.sync();
    intruder.sync();
    clock.set(at(1, 10, 10));
    hv.session.acknowledge_share(ordinary, read_back()).unwrap();
    hv.sync();
    midwife.sync();
    assert!(midwife
        .session
        .share(ordinary)
        .unwrap()
        .share
        .record
        .acknowledgement
        .is_some());
    let real_ack = server
        .envelopes_for(&region.teams())
        .into_iter()
        .map(|(_, e)| e)
        .find(|e| e.kind == EnvelopeKind::Acknowledgement && e.answers == Some(ordinary.ulid()))
        .expect("the real acknowledgement is on the server");

    clock.set(at(1, 10, 20));
    let now = clock.now();
    // 1. Made up by the server under the health visitor's ids, signed with a key of its own.
    server.inject(sealed_and_signed(
        &server,
        &DeviceKeyPair::generate().unwrap(),
        acknowledgement(&hv, &region, share, now),
    ));
    // 2. Really signed by an enrolled device outside the receiving team, claiming that team
    //    (an honest server refuses it at push: `answers_not_visible`).
    server.inject(sealed_and_signed(
        &server,
        &signing_key(&intruder),
        acknowledgement(&intruder, &region, share, now),
    ));
    // 3. The health visitor's real acknowledgement of the other share, replayed against the
    //    transfer under a new id.
    let mut replayed = real_ack.clone();
    replayed.id = EnvelopeId::new();
    replayed.answers = Some(share.ulid());
    server.inject(replayed);
    // 4. The same, verbatim but for a new envelope id (a replay of a real, signed envelope).
    let mut copied = real_ack.clone();
    copied.id = EnvelopeId::new();
    server.inject(copied);
    // 5. Her real acknowledgement with its sealed body moved under the transfer's header: a
    //    header she signed for the transfer does not exist, so the server signs none.
    let mut moved = acknowledgement(&hv, &region, share, now);
    moved.body = real_ack.body.clone();
    moved.signature = real_ack.signature;
    server.inject(moved);
    let injected = ["made up", "outside the team", "replayed", "copied", "moved"];

    let unreadable_before = midwife.session.sync_status().unwrap().unreadable.len();
    midwife.sync();
    // Every injected acknowledgement reached the sending phone: the four no device signed as
    // they stand are listed as not readable (the one really signed by the intruder verifies,
    // and is refused by the entitlement check instead, asserted below).
    let unreadable = midwife.session.sync_status().unwrap().unreadable;
    assert_eq!(
        unreadable.len() - unreadable_before,
        injected.len() - 1,
        "{unreadable:#?}"
    );
    assert!(
        still_awaiting(&midwife, &region, baby, share),
        "a forged or replayed acknowledgement marked the transfer acknowledged"
    );
    // The receiving phone, pulling the same, still has the transfer to acknowledge.
    hv.sync();
    let expected = hv.session.transfers().expected().unwrap();
    assert_eq!(expected.len(), 1);
    assert!(
        !expected[0].acknowledged,
        "a forged acknowledgement let the receiving phone take the child on"
    );
    assert!(hv.session.transfers().take_on(share).is_err());

    acknowledged_and_completed(&midwife, &hv, &clock, &region, baby, share);
}

#[test]
fn a_forged_or_replayed_acknowledgement_at_the_server_never_completes_a_transfer() {
    for backend in backends() {
        eprintln!("backend: {}", backend.name());
        forged_acknowledgements(backend);
    }
}

//! Attacks on transfer of care (issue 21) end to end: real phones (each a session over its own
//! encrypted store and the real sync client) and a real server on 127.0.0.1 (SQLite, and
//! PostgreSQL when configured), one fixed clock. The core-level attacks on crafted packs are
//! `core/tests/attack_transfer.rs`.
//!
//! Tuesday 1 December 2026: the West midwife sends a transfer of care for a baby while offline,
//! then syncs. Two health visitors' phones in East health visiting both receive it; a device
//! of the council's front door (outside the transfer's audience) never does. One health
//! visitor acknowledges with her read-back; her colleague's phone learns it and both take the
//! baby on, each once; the midwife's record says "transferred" and keeps everything. Neither
//! the baby's name, her NHS number nor the pack's health text is ever in the server's storage.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

use chrono::{DateTime, TimeZone, Utc};
use safeshare_core::app::TransferTakeOn;
use safeshare_core::casework::transfer::{NewTransfer, TransferStatus};
use safeshare_core::model::Severity;
use safeshare_core::rules::acknowledgement::ReadBack;
use safeshare_tests::phone::SessionPhone;
use safeshare_tests::transfer::{baby_on_the_caseload, open_concern, TransferPhones};
use safeshare_tests::{backends, region, Backend};

const BABY: &str = "Morwenna Fictional-Trebilcock";
const NHS_DIGITS: &str = "9434765919";
const FOLLOW_UP: &str = "Hip scan at Pendlebury outpatients on 9 January";

fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, hour, minute, 0)
        .unwrap()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn two_phones_take_on_one_transfer(backend: Backend) {
    let region = region();
    let phones = TransferPhones::start_named(
        backend,
        &region,
        at(1, 9, 0),
        ["Midwife Ash", "HV Birch"],
        1,
    );
    let (clock, server) = (&phones.clock, &phones.server);
    let (midwife, hv) = (&phones.midwife, &phones.hv);
    let colleague = SessionPhone::enrolled(
        server,
        &region,
        clock.clone(),
        "HV Cedar",
        region.health_visiting,
        3,
    );
    let outsider = SessionPhone::enrolled(
        server,
        &region,
        clock.clone(),
        "SW Dunn",
        region.front_door,
        4,
    );
    for phone in [midwife, hv, &colleague, &outsider] {
        phone.sync();
    }

    // Offline: the baby, a concern and the transfer are recorded with no sync.
    let baby = baby_on_the_caseload(midwife, BABY, None);
    open_concern(
        midwife,
        baby.id,
        Severity::Concern,
        "Mother tearful and not sleeping before the move.",
    );
    clock.set(at(1, 10, 0));
    let record = midwife
        .session
        .transfers()
        .send(NewTransfer {
            child: baby.id,
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
        .unwrap();
    let share = record.share;
    clock.set(at(1, 10, 30));
    midwife.sync();
    for phone in [hv, &colleague, &outsider] {
        phone.sync();
    }

    // Only the receiving team's phones expect the family.
    assert_eq!(hv.session.transfers().expected().unwrap().len(), 1);
    assert_eq!(colleague.session.transfers().expected().unwrap().len(), 1);
    assert!(outsider.session.transfers().expected().unwrap().is_empty());

    // Neither phone takes the baby on before the read-back.
    assert!(colleague.session.transfers().take_on(share).is_err());

    clock.set(at(1, 11, 0));
    hv.session
        .acknowledge_share(
            share,
            ReadBack {
                who: "Baby moving into LS6 with her mother".into(),
                risk: "Mother's low mood".into(),
                next_action: "New birth visit this week".into(),
            },
        )
        .unwrap();
    hv.sync();
    colleague.sync();
    midwife.sync();

    // Both phones of the team take her on, each once, as the same details.
    let mut children = Vec::new();
    for phone in [hv, &colleague] {
        let expected = phone.session.transfers().expected().unwrap();
        assert!(
            expected[0].acknowledged,
            "the colleague's phone knows it was acknowledged"
        );
        let first = match phone.session.transfers().take_on(share).unwrap() {
            TransferTakeOn::TakenOn { child, existing } => {
                assert!(!existing);
                child
            }
            other => panic!("{other:?}"),
        };
        let again = match phone.session.transfers().take_on(share).unwrap() {
            TransferTakeOn::TakenOn { child, existing } => {
                assert!(existing);
                child
            }
            other => panic!("{other:?}"),
        };
        assert_eq!(first.id, again.id, "taken on once");
        assert_eq!(first.name.as_deref(), Some(BABY));
        children.push(first);
    }

    // The sender's record is marked transferred and keeps the baby and her concern.
    let sent = midwife.session.transfers().transfers_of(baby.id).unwrap();
    assert_eq!(sent.len(), 1);
    assert!(matches!(sent[0].status, TransferStatus::Transferred { .. }));
    let team = midwife
        .session
        .team_around_child()
        .team(baby.id)
        .unwrap()
        .unwrap();
    assert!(team
        .current()
        .any(|m| m.team() == Some(region.health_visiting)));

    // Nothing personal in the server's storage.
    let raw = server.raw_storage();
    assert!(!raw.is_empty());
    for secret in [
        BABY,
        NHS_DIGITS,
        "943 476 5919",
        FOLLOW_UP,
        "Mother tearful",
    ] {
        assert!(
            !contains(&raw, secret),
            "{secret:?} in the server's storage"
        );
    }
}

#[test]
fn two_phones_of_the_receiving_team_each_take_on_an_offline_transfer_once() {
    for backend in backends() {
        eprintln!("backend: {}", backend.name());
        two_phones_take_on_one_transfer(backend);
    }
}

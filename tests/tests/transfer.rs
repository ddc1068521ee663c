//! Issue 21, item 3: a transfer of care when a family moves, end to end. Two real phones (each a
//! session over its own encrypted store and the real sync client) and a real server on
//! 127.0.0.1 (SQLite, and PostgreSQL when configured); one fixed clock, moved by hand across a
//! weekend.
//!
//! Friday 4 December 2026, 15:00 (GMT): the family of a baby on the West midwife's caseload is
//! moving to LS6. The midwife finds the receiving health visiting team by the new postcode and
//! sends the transfer while offline. From that moment it is in her "needs attention" as a call
//! to the receiving team, with the number the directory chooses at that instant: the team's
//! in-hours line on Friday afternoon, its out-of-hours line on Saturday. She syncs on Saturday;
//! the health visitor's phone sees the expected family before the move. On Monday the health
//! visitor acknowledges with a read-back and takes the baby onto her caseload (no one there has
//! the NHS number: a new record). When the midwife's phone next syncs, her record says
//! "Transferred to East health visiting on 7 Dec 2026", the team around the child has gained
//! the receiving team, nothing about the baby is deleted, and the call-now is gone.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use safeshare_core::app::TransferTakeOn;
use safeshare_core::casework::transfer::{NewTransfer, TransferStatus};
use safeshare_core::directory::Service;
use safeshare_core::model::{Severity, ShareId};
use safeshare_core::rules::acknowledgement::ReadBack;
use safeshare_core::rules::attention::AttentionKind;
use safeshare_tests::phone::SessionPhone;
use safeshare_tests::transfer::{
    baby_on_the_caseload, open_concern, region_covering_ls6, TransferPhones,
};
use safeshare_tests::{backends, Backend};

const BABY: &str = "Tamsin Fictional-Treloar";

fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, hour, minute, 0)
        .unwrap()
}

/// The number "needs attention" offers `phone` for the transfer's call-now, if it lists one.
fn transfer_call(phone: &SessionPhone, share: ShareId) -> Option<String> {
    phone
        .session
        .needs_attention_now()
        .unwrap()
        .into_iter()
        .find(|a| matches!(a.item.kind, AttentionKind::CallTeamNow { share: s, .. } if s == share))
        .map(|a| {
            a.call
                .expect("a number is chosen")
                .number
                .display_national()
        })
}

fn transfer_across_a_weekend(backend: Backend) {
    let region = region_covering_ls6();
    let phones = TransferPhones::start(backend, &region, at(4, 14, 0), 1);
    let (clock, midwife, hv) = (&phones.clock, &phones.midwife, &phones.hv);

    // The baby on the midwife's caseload, with an open concern.
    let baby = baby_on_the_caseload(midwife, BABY, None);
    open_concern(
        midwife,
        baby.id,
        Severity::LowLevelConcern,
        "Mother tearful; says she is not sleeping and dreads the move.",
    );
    midwife.sync();

    // Friday 15:00, offline: the receiving team found by the new postcode; the transfer sent.
    clock.set(at(4, 15, 0));
    let found = midwife
        .session
        .transfers()
        .receiving_teams(Service::HealthVisiting, "ls6 2ab")
        .unwrap();
    assert_eq!(
        found.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![region.health_visiting]
    );
    let transfer = midwife
        .session
        .transfers()
        .send(NewTransfer {
            child: baby.id,
            team: found[0].id,
            new_postcode: "ls6 2ab".into(),
            new_address: Some("2 Fictional Mews, Leeds".into()),
            moving_on: Some(NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()),
            message: "Family moving to your area on Monday; please take on the baby's care.".into(),
            severity: None,
            health_needs: "none known".into(),
            medication: "none".into(),
            follow_up_appointments: "6-8 week check due 15 January 2027 with the GP".into(),
        })
        .unwrap();
    assert_eq!(transfer.status, TransferStatus::AwaitingAcknowledgement);
    let share = transfer.share;
    // Sent as a share: due by the share rules for its severity. A low-level concern carried,
    // but a transfer is never below "concern": 4 working hours, Friday 15:00 -> Monday 11:00.
    let view = midwife.session.share(share).unwrap();
    assert_eq!(view.share.record.share.severity, Severity::Concern);
    assert_eq!(view.share.due_at, transfer.due_at);
    assert_eq!(transfer.due_at, at(7, 11, 0));

    // In "needs attention" at once, with the team's in-hours number on Friday afternoon...
    clock.set(at(4, 15, 5));
    assert_eq!(
        transfer_call(midwife, share).as_deref(),
        Some("0113 496 0201")
    );
    // ...and its out-of-hours number on Saturday morning, chosen at that instant.
    clock.set(at(5, 10, 0));
    assert_eq!(
        transfer_call(midwife, share).as_deref(),
        Some("0113 496 0202")
    );

    // Saturday: the midwife's phone finds a signal; the receiving phone sees the family coming.
    midwife.sync();
    hv.sync();
    let expected = hv.session.transfers().expected().unwrap();
    assert_eq!(expected.len(), 1);
    assert!(!expected[0].acknowledged);
    assert_eq!(expected[0].pack.new_postcode, "LS6");
    assert_eq!(
        expected[0].pack.follow_up_appointments,
        "6-8 week check due 15 January 2027 with the GP"
    );
    assert_eq!(expected[0].observations.len(), 1, "the open concern");
    assert!(expected[0]
        .pack
        .chronology
        .iter()
        .any(|l| l.contains("dreads the move")));

    // Monday 09:30: the health visitor acknowledges with her read-back and takes the baby on.
    clock.set(at(7, 9, 30));
    hv.session
        .acknowledge_share(
            share,
            ReadBack {
                who: "Baby moving into LS6 on Monday with mother".into(),
                risk: "Mother's low mood around the move".into(),
                next_action: "New birth visit this week; 6-8 week check in January".into(),
            },
        )
        .unwrap();
    let taken_on = match hv.session.transfers().take_on(share).unwrap() {
        TransferTakeOn::TakenOn {
            child,
            existing: false,
        } => child,
        other => panic!("expected a new record on the receiving phone: {other:?}"),
    };
    assert_eq!(taken_on.name.as_deref(), Some(BABY));
    hv.sync();

    // Monday 09:45: the midwife's phone syncs. Transferred, nothing deleted, no call-now.
    clock.set(at(7, 9, 45));
    midwife.sync();
    let records = midwife.session.transfers().transfers_of(baby.id).unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(
        records[0].status,
        TransferStatus::Transferred { on: at(7, 9, 30) }
    );
    assert_eq!(
        records[0].summary(),
        "Transferred to East health visiting on 7 Dec 2026"
    );
    assert_eq!(transfer_call(midwife, share), None);
    assert!(midwife.session.person(baby.id).is_ok(), "nothing deleted");
    assert_eq!(
        midwife.session.observations_about(baby.id).unwrap().len(),
        1
    );
    let team = midwife
        .session
        .team_around_child()
        .team(baby.id)
        .unwrap()
        .expect("the team around the child");
    assert!(team
        .current()
        .any(|m| m.team() == Some(region.health_visiting)));
    assert!(midwife
        .session
        .chronology_for_child(baby.id)
        .unwrap()
        .iter()
        .any(|e| e
            .summary
            .contains("Transferred to East health visiting on 7 Dec 2026")));
}

#[test]
fn a_transfer_sent_offline_is_a_call_now_until_the_receiving_team_acknowledges() {
    for backend in backends() {
        eprintln!("backend: {}", backend.name());
        transfer_across_a_weekend(backend);
    }
}

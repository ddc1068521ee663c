//! Attack (issue 17 item 4, a reviewer's pass): every write a screen shows is followed by
//! exactly one change event, after it committed, and a write that failed fires none. The
//! existing event tests take (and throw away) the events after recording a referral and after
//! sending a transfer of care; these assert them. Real stores, the shared `RecordingListener`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::transfer::transfer_of;
use app_support::*;
use safeshare_core::app::{AppError, ChangeEvent, NewReferralInput, ScreenName};
use safeshare_core::casework::checklist::{ChecklistKind, DetailKind};
use safeshare_core::model::TeamId;
use safeshare_core::rules::attention::AttentionKind;
use safeshare_core::rules::referral::ReferralChannel;
use std::sync::Arc;

fn listening(device: &Device) -> Arc<RecordingListener> {
    let listener = Arc::new(RecordingListener::default());
    device.session.set_change_listener(Some(listener.clone()));
    listener
}

fn one_event_naming(events: &[ChangeEvent], screens: &[ScreenName], what: &str) {
    assert_eq!(
        events.len(),
        1,
        "{what}: expected one event, heard {events:?}"
    );
    for screen in screens {
        assert!(
            events[0].screens.contains(screen),
            "{what}: the event does not name {screen:?}: {events:?}"
        );
    }
}

/// A referral recorded an hour after the phone call that made it (the usual order: ring the
/// front door, then write it up) whose decision is already due within the "soon" window: Today
/// lists it at once, so Today must hear of it, as must Referrals and Sync (an envelope queued).
#[test]
fn recording_a_referral_is_heard_by_today_referrals_and_sync() {
    let region = region();
    // Tuesday 24 November 2026, 15:00 GMT; the referral was phoned through on Monday 15:00,
    // so its decision (one working day) is due today 15:00 and Today shows it now.
    let midwife = midwife(&region, utc(2026, 11, 24, 15, 0));
    let family = family(&midwife.session);
    let listener = listening(&midwife);
    let referral = midwife
        .session
        .record_referral(NewReferralInput {
            about: family.baby.id,
            front_door: region.front_door,
            sent_at: Some(utc(2026, 11, 23, 15, 0)),
            summary: "Domestic abuse disclosed; baby in the home.".into(),
            channel: ReferralChannel::Phone,
        })
        .unwrap()
        .record
        .referral
        .id;
    let on_today = midwife.session.needs_attention_now().unwrap();
    assert!(
        on_today.iter().any(|a| matches!(
            a.item.kind,
            AttentionKind::ChaseReferralDecision { referral: r, .. }
                | AttentionKind::ReferralDecisionDueSoon { referral: r } if r == referral
        )),
        "the set-up needs the referral on Today: {on_today:?}"
    );
    one_event_naming(
        &listener.take(),
        &[ScreenName::Today, ScreenName::Referrals, ScreenName::Sync],
        "record_referral",
    );
}

/// A referral that cannot be recorded (a front door not in the directory; a child not on this
/// phone, found only inside the transaction) fires no event.
#[test]
fn a_referral_refused_is_not_heard() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 24, 15, 0));
    let family = family(&midwife.session);
    let listener = listening(&midwife);
    let unknown_team = midwife.session.record_referral(NewReferralInput {
        about: family.baby.id,
        front_door: TeamId::new(),
        sent_at: None,
        summary: "Domestic abuse disclosed.".into(),
        channel: ReferralChannel::Phone,
    });
    assert!(matches!(unknown_team, Err(AppError::NotFound { .. })));
    let unknown_child = midwife.session.record_referral(NewReferralInput {
        about: safeshare_core::model::PersonId::new(),
        front_door: region.front_door,
        sent_at: None,
        summary: "Domestic abuse disclosed.".into(),
        channel: ReferralChannel::Phone,
    });
    assert!(unknown_child.is_err());
    assert_eq!(listener.take(), Vec::<ChangeEvent>::new());
}

/// A transfer of care is a share to the receiving team: Shares sent lists it and the outbox
/// holds it at once, so it must be heard like any other share sent.
#[test]
fn sending_a_transfer_of_care_is_heard_by_shares_sent_and_sync() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 24, 10, 0));
    let family = family(&midwife.session);
    let listener = listening(&midwife);
    midwife
        .session
        .transfers()
        .send(transfer_of(&region, family.baby.id))
        .unwrap();
    assert_eq!(midwife.session.shares_sent_screen().unwrap().rows.len(), 1);
    one_event_naming(
        &listener.take(),
        &[ScreenName::Today, ScreenName::SharesSent, ScreenName::Sync],
        "transfers().send",
    );
}

/// A checklist started, and an item marked done, change the Checklists screen: heard once each.
#[test]
fn starting_a_checklist_and_marking_an_item_are_heard_by_checklists() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 24, 10, 0));
    let family = family(&midwife.session);
    let listener = listening(&midwife);
    let checklist = midwife
        .session
        .start_checklist(ChecklistKind::Discharge, family.baby.id)
        .unwrap();
    one_event_naming(
        &listener.take(),
        &[ScreenName::Checklists],
        "start_checklist",
    );
    let key = checklist
        .items
        .iter()
        .find(|i| i.detail == DetailKind::None)
        .or_else(|| checklist.items.first())
        .unwrap()
        .key
        .clone();
    midwife
        .session
        .checklist_mark_not_applicable(
            checklist.id,
            &key,
            "Not relevant: the family declined the service.",
        )
        .unwrap();
    one_event_naming(
        &listener.take(),
        &[ScreenName::Checklists],
        "checklist_mark_not_applicable",
    );
}

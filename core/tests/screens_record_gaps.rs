//! The record gaps issue 17 left (session 28's closing note), on real stores: the Referrals
//! record carries its two forms' words (the shells held them); "Start home visit" takes the
//! address and Today names the visit by it across the spring clock change (both shells lost
//! it); and `check_deadlines` wakes at a meeting pack's meeting start, when its buttons open,
//! on both sides of the autumn clock change, telling Meeting packs and Supervision.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use safeshare_core::app::{ChangeCause, NewReferralInput, ScreenName};
use safeshare_core::casework::meeting::{MeetingType, NewMeetingPack};
use safeshare_core::rules::referral::ReferralChannel;
use safeshare_core::screens::{MeetingActionKind, TodayActionKind};
use std::sync::Arc;

#[test]
fn the_referrals_record_carries_both_forms_words() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 27, 10, 0));
    // The forms' words are there before any referral, as the shells need them on any row.
    let empty = midwife.session.referrals_screen().unwrap();
    assert_eq!(empty.decision_form.accepted, "Accepted");
    assert_eq!(empty.decision_form.not_accepted, "Not accepted");
    assert_eq!(
        empty.decision_form.response_label,
        "The response they named"
    );
    assert_eq!(empty.decision_form.reasons_label, "The reasons they gave");
    assert_eq!(
        empty.decision_form.feedback_label,
        "They say feedback was given to the family"
    );
    assert_eq!(empty.step_form.done, "Done: what happened");
    assert_eq!(empty.step_form.not_applicable, "Not applicable: why");

    let family = family(&midwife.session);
    midwife
        .session
        .record_referral(NewReferralInput {
            about: family.baby.id,
            front_door: region.front_door,
            sent_at: None,
            summary: "Domestic abuse disclosed; baby three weeks old.".into(),
            channel: ReferralChannel::Phone,
        })
        .unwrap();
    let screen = midwife.session.referrals_screen().unwrap();
    assert_eq!(screen.rows.len(), 1);
    assert_eq!(screen.decision_form, empty.decision_form);
    assert_eq!(screen.step_form, empty.step_form);
}

#[test]
fn start_home_visit_keeps_the_address_across_the_spring_clock_change() {
    let region = region();
    // Sunday 29 March 2026, 00:30 GMT: the clocks go forward at 01:00 UTC.
    let midwife = midwife(&region, utc(2026, 3, 29, 0, 30));
    let today = midwife.session.today_screen().unwrap();
    assert_eq!(today.start_visit_address.label, "Address of the home");
    assert!(today.start_visit_address.hint.contains("empty"));
    assert_eq!(today.actions[0].kind, TodayActionKind::StartVisit);
    assert_eq!(today.actions[0].label, "Start home visit");
    assert_eq!(today.actions[1].kind, TodayActionKind::OpenSupervision);
    assert_eq!(today.actions[1].label, "Supervision");

    let started = midwife
        .session
        .start_home_visit(Some("  12 Fictional Lane, Leeds ".into()))
        .unwrap();
    // 03:00 BST (02:00 UTC): the visit started at 00:30 GMT the same London day.
    midwife.clock.set(utc(2026, 3, 29, 2, 0));
    let today = midwife.session.today_screen().unwrap();
    assert_eq!(today.date, "Sunday 29 March 2026");
    assert_eq!(today.visits.len(), 1);
    let visit = &today.visits[0];
    assert_eq!(visit.visit, started.visit);
    assert_eq!(visit.household, started.household);
    assert_eq!(visit.time, "00:30");
    assert_eq!(visit.title, "Home visit: 12 Fictional Lane, Leeds");
    assert_eq!(visit.status, "In progress");

    // A blank address is no address: the visit is named by its place alone.
    midwife.clock.set(utc(2026, 3, 29, 9, 15));
    let blank = midwife
        .session
        .start_home_visit(Some("   ".into()))
        .unwrap();
    let today = midwife.session.today_screen().unwrap();
    let row = today
        .visits
        .iter()
        .find(|v| v.visit == blank.visit)
        .unwrap();
    assert_eq!(row.title, "Home visit");
    assert_eq!(row.time, "10:15");
}

fn prepare(
    device: &Device,
    child: safeshare_core::model::PersonId,
    at: chrono::DateTime<chrono::Utc>,
) -> safeshare_core::model::MeetingPackId {
    device
        .session
        .prepare_meeting_pack(NewMeetingPack {
            child,
            meeting_type: MeetingType::CoreGroup,
            meeting_at: at,
            prepared_by: device.identity.practitioner,
            represents: vec!["health visiting".into()],
        })
        .unwrap()
        .id
}

fn record_shared_enabled(
    device: &Device,
    pack: safeshare_core::model::MeetingPackId,
) -> (bool, Option<String>) {
    let screen = device.session.meeting_pack_screen(pack).unwrap();
    let action = screen
        .actions
        .iter()
        .find(|a| a.kind == MeetingActionKind::RecordShared { pack })
        .unwrap();
    (action.enabled, action.detail.clone())
}

#[test]
fn check_deadlines_wakes_at_a_meetings_start_on_both_sides_of_the_autumn_change() {
    let region = region();
    // Friday 29 October 2027, 10:52 BST (09:52 UTC); a core group at 11:00 BST (10:00 UTC).
    let hv = health_visitor(&region, utc(2027, 10, 29, 9, 52));
    let family = family(&hv.session);
    let recorder = Arc::new(RecordingListener::default());
    hv.session.set_change_listener(Some(recorder.clone()));
    let friday = prepare(&hv, family.baby.id, utc(2027, 10, 29, 10, 0));
    // And one on Monday 1 November at 10:00 GMT (10:00 UTC), after the clocks go back.
    let monday = prepare(&hv, family.baby.id, utc(2027, 11, 1, 10, 0));

    let first = hv.session.check_deadlines().unwrap();
    assert!(!first.changed, "the first check only takes note");
    assert_eq!(
        first.next_check_at,
        utc(2027, 10, 29, 10, 0),
        "the meeting's start, before the 15-minute cap (10:07 UTC)"
    );
    recorder.take();
    // A minute before, the buttons are shut and say from when, in London time.
    hv.clock.set(utc(2027, 10, 29, 9, 59));
    assert_eq!(
        record_shared_enabled(&hv, friday),
        (
            false,
            Some("From the meeting's start (today 11:00).".to_owned())
        )
    );

    hv.clock.set(first.next_check_at);
    let check = hv.session.check_deadlines().unwrap();
    assert!(check.changed, "a meeting started");
    let events = recorder.take();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].cause, ChangeCause::DeadlinePassed);
    assert_eq!(
        events[0].screens,
        vec![ScreenName::MeetingPacks, ScreenName::Supervision]
    );
    assert!(record_shared_enabled(&hv, friday).0, "open at 11:00 BST");
    assert_eq!(
        check.next_check_at,
        utc(2027, 10, 29, 10, 15),
        "a started meeting is not waited for again"
    );

    // Monday 1 November, 09:50 GMT: the next wake is the second meeting's start at 10:00.
    hv.clock.set(utc(2027, 11, 1, 9, 50));
    let check = hv.session.check_deadlines().unwrap();
    assert!(check.changed, "a new London day");
    recorder.take();
    assert_eq!(check.next_check_at, utc(2027, 11, 1, 10, 0));
    assert!(!record_shared_enabled(&hv, monday).0);
    hv.clock.set(check.next_check_at);
    let check = hv.session.check_deadlines().unwrap();
    assert!(check.changed);
    assert_eq!(
        recorder.take()[0].screens,
        vec![ScreenName::MeetingPacks, ScreenName::Supervision]
    );
    assert!(record_shared_enabled(&hv, monday).0, "open at 10:00 GMT");
    // Nothing else starts: the next check is the cap.
    assert_eq!(check.next_check_at, utc(2027, 11, 1, 10, 15));
    let quiet = {
        hv.clock.set(check.next_check_at);
        hv.session.check_deadlines().unwrap()
    };
    assert!(!quiet.changed);
    assert!(recorder.take().is_empty());
}

#[test]
fn the_meeting_pack_record_carries_the_minutes_challenge_forms_words() {
    let region = region();
    let hv = health_visitor(&region, utc(2027, 10, 29, 9, 52));
    let family = family(&hv.session);
    let pack = prepare(&hv, family.baby.id, utc(2027, 10, 29, 10, 0));
    let screen = hv.session.meeting_pack_screen(pack).unwrap();
    assert_eq!(screen.minutes_form.inaccuracy_label, "What the minutes say");
    assert_eq!(screen.minutes_form.correction_label, "What they should say");
    assert_eq!(
        screen.minutes_form.raised_with_label,
        "Who you raised it with"
    );
}

#[test]
fn dismissing_a_pattern_alert_is_heard_by_today_and_the_childs_screens() {
    let region = region();
    // Tuesday 1 December 2026: three low-level medication concerns make a pattern.
    let hv = health_visitor(&region, utc(2026, 12, 1, 10, 0));
    let family = family(&hv.session);
    let baby = family.baby.id;
    for (hour, text) in [
        (10, "Inhaler left out in the sun."),
        (11, "Spacer missing; mother unsure where."),
        (12, "Repeat prescription two weeks late."),
    ] {
        hv.clock.set(utc(2026, 12, 1, hour, 0));
        hv.session
            .capture_observation(safeshare_core::app::NewObservationInput {
                about: baby,
                visit: None,
                category: safeshare_core::model::ConcernCategory::Medication,
                severity: safeshare_core::model::Severity::LowLevelConcern,
                evidence: safeshare_core::model::Evidence::ObservedFact,
                description: text.into(),
                observed_at: None,
                place: None,
                share: None,
            })
            .unwrap();
    }
    let key = hv.session.pattern_alerts_screen(baby).unwrap().rows[0].key;
    let recorder = Arc::new(RecordingListener::default());
    hv.session.set_change_listener(Some(recorder.clone()));
    // A refused dismissal is silent.
    assert!(hv.session.dismiss_alert(key, " ").is_err());
    assert!(recorder.take().is_empty());
    hv.session
        .dismiss_alert(key, "Discussed with mother; new inhaler routine agreed.")
        .unwrap();
    let events = recorder.take();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].cause, ChangeCause::AlertDismissed);
    assert_eq!(
        events[0].screens,
        vec![ScreenName::Today, ScreenName::Visit]
    );
    assert!(hv
        .session
        .pattern_alerts_screen(baby)
        .unwrap()
        .rows
        .is_empty());
}

//! A fresh review of the screens' view records (issue 17 item 1), trying to break them as a
//! midwife, a health visitor and a clinical-safety reviewer would: times worded across London
//! midnight in BST, both clock changes and the new year; the clock swept across a working day
//! checking that nothing past its due time is worded "Due", nothing overdue is quieter than
//! something due soon, and no button's words carry the family's details; actions enabled only
//! when the rule would accept them. Real SQLite stores and sessions throughout (`app_support`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
mod screens_support;

use app_support::*;
use chrono::{DateTime, Duration, Utc};
use safeshare_core::app::NewReferralInput;
use safeshare_core::model::{Place, PlaceKind, Severity};
use safeshare_core::rules::referral::{DecisionOutcome, ReferralChannel};
use safeshare_core::screens::time::{clock_time, london_day_heading, london_time};
use safeshare_core::screens::{ReferralActionKind, SentShareActionKind, TodayActionKind, Tone};
use safeshare_core::sync::EnvelopeKind;
use screens_support::*;

/// Words that identify the fixture family: none may appear in a button's label or the line
/// under it (those are the strings a shell is most likely to log or announce).
const PERSONAL: [&str; 5] = [
    CHILD_NAME,
    MOTHER_NAME,
    CHILD_NHS,
    "9434765919",
    "Fictional Row",
];

fn assert_no_personal_data(what: &str, text: &str) {
    for word in PERSONAL {
        assert!(
            !text.contains(word),
            "{what} carries personal data ({word:?}): {text:?}"
        );
    }
}

#[test]
fn just_after_london_midnight_in_summer_today_is_the_london_day_not_the_utc_one() {
    // 23:30 UTC on Tuesday 30 June 2026 is 00:30 BST on Wednesday 1 July.
    let now = utc(2026, 6, 30, 23, 30);
    assert_eq!(london_day_heading(now), "Wednesday 1 July 2026");
    // 09:00 BST on 1 July: today, although UTC calls it tomorrow.
    assert_eq!(london_time(utc(2026, 7, 1, 8, 0), now), "today 09:00");
    // 23:00 BST on 30 June (22:00 UTC, the same UTC day as now): yesterday.
    assert_eq!(london_time(utc(2026, 6, 30, 22, 0), now), "yesterday 23:00");
    // 00:15 BST on 1 July, a quarter of an hour ago: today, not yesterday.
    assert_eq!(london_time(utc(2026, 6, 30, 23, 15), now), "today 00:15");
    // 00:30 BST on 2 July.
    assert_eq!(london_time(utc(2026, 7, 1, 23, 30), now), "tomorrow 00:30");
}

#[test]
fn the_repeated_autumn_hour_names_its_zone_inside_relative_times() {
    // Sunday 25 October 2026, in the second 01:10 (GMT).
    let now = utc(2026, 10, 25, 1, 10);
    assert_eq!(
        london_time(utc(2026, 10, 25, 0, 45), now),
        "today 01:45 BST"
    );
    assert_eq!(
        london_time(utc(2026, 10, 25, 1, 15), now),
        "today 01:15 GMT"
    );
    // Either side of the repeated hour the time is plain.
    assert_eq!(london_time(utc(2026, 10, 24, 23, 59), now), "today 00:59");
    assert_eq!(london_time(utc(2026, 10, 25, 2, 0), now), "today 02:00");
    // The day before and after are plain too: only the repeated hour is ambiguous.
    assert_eq!(
        london_time(utc(2026, 10, 24, 0, 30), now),
        "yesterday 01:30"
    );
    assert_eq!(london_time(utc(2026, 10, 26, 1, 30), now), "tomorrow 01:30");
}

#[test]
fn no_time_in_the_skipped_spring_hour_is_ever_shown() {
    // Sunday 28 March 2027: 01:00 GMT becomes 02:00 BST. Every minute from 00:00 to 03:00 UTC.
    let start = utc(2027, 3, 28, 0, 0);
    let mut previous: Option<String> = None;
    for minute in 0..=180 {
        let instant = start + Duration::minutes(minute);
        let shown = clock_time(instant);
        assert!(!shown.starts_with("01:"), "{instant}: {shown}");
        assert!(!shown.contains("GMT") && !shown.contains("BST"));
        // Wall-clock words never go backwards on the spring day.
        if let Some(previous) = &previous {
            assert!(shown > *previous, "{previous} then {shown}");
        }
        previous = Some(shown);
    }
    assert_eq!(clock_time(utc(2027, 3, 28, 0, 59)), "00:59");
    assert_eq!(clock_time(utc(2027, 3, 28, 1, 0)), "02:00");
}

#[test]
fn across_a_whole_year_the_zone_is_named_only_in_the_repeated_hour() {
    // Every 10 minutes of 2026: "today" for the instant itself, and a zone only on 25 October
    // between 00:00 and 02:00 UTC (01:00-02:00 BST, then 01:00-02:00 GMT).
    let mut instant = utc(2026, 1, 1, 0, 0);
    let end = utc(2027, 1, 1, 0, 0);
    let repeated_from = utc(2026, 10, 25, 0, 0);
    let repeated_to = utc(2026, 10, 25, 2, 0);
    let mut named = 0;
    while instant < end {
        let shown = london_time(instant, instant);
        assert!(shown.starts_with("today "), "{instant}: {shown}");
        let has_zone = shown.ends_with(" BST") || shown.ends_with(" GMT");
        let in_repeated = instant >= repeated_from && instant < repeated_to;
        assert_eq!(has_zone, in_repeated, "{instant}: {shown}");
        named += usize::from(has_zone);
        instant += Duration::minutes(10);
    }
    assert_eq!(named, 12);
}

#[test]
fn the_new_year_is_crossed_by_london_calendar_days_and_named_when_it_differs() {
    // 23:30 GMT on Thursday 31 December 2026.
    let now = utc(2026, 12, 31, 23, 30);
    assert_eq!(london_time(utc(2027, 1, 1, 0, 30), now), "tomorrow 00:30");
    // Another year, even two days away: the year is written.
    assert_eq!(
        london_time(utc(2027, 1, 2, 9, 0), now),
        "Sat 2 Jan 2027 09:00"
    );
    // Just after midnight: New Year's Eve is yesterday, and this year's dates go without a year.
    let now = utc(2027, 1, 1, 0, 10);
    assert_eq!(
        london_time(utc(2026, 12, 31, 23, 50), now),
        "yesterday 23:50"
    );
    assert_eq!(
        london_time(utc(2026, 12, 29, 9, 0), now),
        "Tue 29 Dec 2026 09:00"
    );
    assert_eq!(london_time(utc(2027, 1, 5, 9, 0), now), "Tue 5 Jan 09:00");
}

#[test]
fn a_day_more_than_a_week_away_is_written_with_its_year() {
    // The module's own promise: beyond a week, a day is written in full with its year, so
    // "Mon 5 Jan" read in December cannot be taken for the coming January.
    let now = utc(2026, 12, 1, 10, 0);
    assert_eq!(
        london_time(utc(2026, 1, 5, 9, 0), now),
        "Mon 5 Jan 2026 09:00"
    );
    assert_eq!(
        london_time(utc(2026, 12, 9, 10, 0), now),
        "Wed 9 Dec 2026 10:00"
    );
    // Within a week either way, the weekday and date are enough.
    assert_eq!(london_time(utc(2026, 12, 8, 10, 0), now), "Tue 8 Dec 10:00");
    assert_eq!(
        london_time(utc(2026, 11, 24, 10, 0), now),
        "Tue 24 Nov 10:00"
    );
}

/// Checks one Today screen against the rules a practitioner relies on.
fn check_today(now: DateTime<Utc>, screen: &safeshare_core::screens::TodayScreen) {
    let mut loudest_so_far: Option<Tone> = None;
    for item in &screen.attention {
        let past = item.due_at <= now;
        let standing = item.when.starts_with("Since ");
        if standing {
            assert!(past, "{now}: a standing prompt since the future: {item:?}");
        } else if past {
            // A due time already gone is never worded as if still to come.
            assert!(item.when.starts_with("Was due "), "{now}: {item:?}");
            assert!(
                matches!(item.tone, Tone::Overdue | Tone::ImmediateRisk),
                "{now}: an overdue item shown quietly: {item:?}"
            );
        } else {
            assert!(item.when.starts_with("Due "), "{now}: {item:?}");
            assert_ne!(item.tone, Tone::Overdue, "{now}: {item:?}");
        }
        // Never a quieter item above a louder one (the rule's tiers and the tones agree:
        // immediate risk, overdue, standing prompts to do, then due soon).
        if let Some(before) = loudest_so_far {
            assert!(
                before <= item.tone,
                "{now}: {before:?} listed above {:?}",
                item.tone
            );
        }
        loudest_so_far = Some(loudest_so_far.map_or(item.tone, |t| t.max(item.tone)));
        assert!(!item.actions.is_empty(), "{now}: nothing to do: {item:?}");
        for action in &item.actions {
            assert_no_personal_data("a Today action's label", &action.label);
            if let Some(detail) = &action.detail {
                assert_no_personal_data("a Today action's detail", detail);
            }
            if !action.enabled {
                assert!(action.detail.is_some(), "disabled without why: {action:?}");
            }
        }
    }
}

#[test]
fn swept_across_two_days_nothing_past_due_is_worded_due_or_shown_quietly() {
    let region = region();
    // Monday 23 November 2026, 09:00 GMT: two concerns an hour and a half apart, an immediate
    // risk, and a referral to the front door.
    let midwife = midwife(&region, utc(2026, 11, 23, 9, 0));
    let family = family(&midwife.session);
    share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::Concern,
    );
    midwife.clock.set(utc(2026, 11, 23, 10, 30));
    share(
        &midwife,
        family.mother.id,
        region.health_visiting,
        Severity::Concern,
    );
    midwife.clock.set(utc(2026, 11, 23, 11, 0));
    share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::ImmediateRisk,
    );
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

    let mut saw_overdue_and_soon = false;
    let mut now = utc(2026, 11, 23, 11, 0);
    while now <= utc(2026, 11, 25, 11, 0) {
        midwife.clock.set(now);
        let screen = midwife.session.today_screen().unwrap();
        check_today(now, &screen);
        saw_overdue_and_soon |= screen.attention.iter().any(|i| i.tone == Tone::Overdue)
            && screen.attention.iter().any(|i| i.tone == Tone::DueSoon);
        for row in midwife.session.shares_sent_screen().unwrap().rows {
            for action in &row.actions {
                assert_no_personal_data("a sent share's action", &action.label);
                if let Some(detail) = &action.detail {
                    assert_no_personal_data("a sent share's action detail", detail);
                }
                // No read-back has come back: there is nothing to confirm or flag.
                assert!(
                    matches!(action.kind, SentShareActionKind::Call { .. }),
                    "{now}: {action:?}"
                );
            }
        }
        for row in midwife.session.referrals_screen().unwrap().rows {
            for action in &row.actions {
                assert_no_personal_data("a referral action", &action.label);
                if let Some(detail) = &action.detail {
                    assert_no_personal_data("a referral action detail", detail);
                }
            }
        }
        now += Duration::minutes(20);
    }
    // The sweep did reach the case it is about.
    assert!(saw_overdue_and_soon);
}

#[test]
fn a_read_back_is_confirmed_only_once_it_has_arrived_and_acknowledged_only_once() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let hv = health_visitor(&region, utc(2026, 11, 23, 10, 30));
    let family = family(&midwife.session);
    let receipt = share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::Concern,
    );
    // Sent, not acknowledged: nothing to confirm or flag.
    let row = &midwife.session.shares_sent_screen().unwrap().rows[0];
    assert_eq!(row.tone, Tone::Waiting);
    assert!(row.actions.iter().all(|a| !matches!(
        a.kind,
        SentShareActionKind::ConfirmReadBack { .. }
            | SentShareActionKind::FlagOverEmphasised { .. }
            | SentShareActionKind::FlagUnderEmphasised { .. }
    )));

    carry(&midwife, &hv, EnvelopeKind::Share);
    hv.session
        .acknowledge_share(receipt.share, read_back())
        .unwrap();
    // A second acknowledgement from the same phone is not offered, and the rule refuses it.
    let screen = hv
        .session
        .incoming_share_screen(receipt.share, read_back())
        .unwrap();
    assert!(!screen.actions[0].enabled);
    assert!(hv
        .session
        .acknowledge_share(receipt.share, read_back())
        .is_err());

    // The read-back reaches the sender: now it can be confirmed.
    midwife.clock.set(utc(2026, 11, 23, 10, 40));
    carry(&hv, &midwife, EnvelopeKind::Acknowledgement);
    let row = &midwife.session.shares_sent_screen().unwrap().rows[0];
    assert_eq!(row.tone, Tone::ActionNeeded);
    assert!(row.actions.iter().any(|a| a.kind
        == SentShareActionKind::ConfirmReadBack {
            share: receipt.share
        }
        && a.enabled));
    // The read-back's words are shown in their own lines, never in a button's.
    for action in &row.actions {
        assert!(!action.label.contains(&read_back().who));
        assert!(action
            .detail
            .as_deref()
            .is_none_or(|d| !d.contains(&read_back().risk)));
    }
}

#[test]
fn an_accepted_referral_whose_response_is_escalated_is_not_shown_as_done() {
    let region = region();
    // Monday 30 November 2026, 10:00 GMT.
    let midwife = midwife(&region, utc(2026, 11, 30, 10, 0));
    let family = family(&midwife.session);
    let referral = midwife
        .session
        .record_referral(NewReferralInput {
            about: family.baby.id,
            front_door: region.front_door,
            sent_at: None,
            summary: "Domestic abuse disclosed; baby three weeks old.".into(),
            channel: ReferralChannel::Phone,
        })
        .unwrap()
        .record
        .referral
        .id;
    midwife.clock.set(utc(2026, 12, 1, 11, 0));
    midwife
        .session
        .record_referral_decision(
            referral,
            DecisionOutcome::Accepted {
                response: "Advice letter to the family.".into(),
            },
            true,
            None,
        )
        .unwrap();
    let row = &midwife.session.referrals_screen().unwrap().rows[0];
    assert_eq!(row.tone, Tone::Done);
    // The midwife judges the response does not address the risk and escalates it.
    midwife.session.open_escalation(referral).unwrap();
    let row = &midwife.session.referrals_screen().unwrap().rows[0];
    assert!(row.next_step.is_some());
    assert!(row
        .actions
        .iter()
        .any(|a| matches!(a.kind, ReferralActionKind::RecordStep { .. }) && a.enabled));
    // A step still to take is something to do, not done.
    assert_eq!(row.tone, Tone::ActionNeeded, "{row:?}");
}

#[test]
fn a_visit_still_in_progress_after_midnight_can_still_be_continued_from_today() {
    let region = region();
    // A home birth: the visit starts at 23:30 GMT on Monday 23 November 2026.
    let midwife = midwife(&region, utc(2026, 11, 23, 23, 30));
    let family = family(&midwife.session);
    let visit = midwife
        .session
        .start_visit(
            family.household.id,
            Place {
                kind: PlaceKind::Home,
                detail: None,
            },
            vec![],
            None,
        )
        .unwrap();
    // 00:30 on Tuesday, still there and the visit not ended.
    midwife.clock.set(utc(2026, 11, 24, 0, 30));
    let screen = midwife.session.today_screen().unwrap();
    let row = screen
        .visits
        .iter()
        .find(|v| v.visit == visit.id)
        .expect("the visit in progress is still on Today");
    assert_eq!(row.status, "In progress");
    // It says which day it started.
    assert_eq!(row.time, "yesterday 23:30");
    assert!(row
        .actions
        .iter()
        .any(|a| matches!(a.kind, TodayActionKind::ContinueVisit { .. })));
    assert!(row
        .actions
        .iter()
        .any(|a| a.kind == TodayActionKind::EndVisit { visit: visit.id } && a.enabled));

    // Ended at 00:45: a new version, the started one kept; gone from Tuesday's Today.
    midwife.clock.set(utc(2026, 11, 24, 0, 50));
    let ended = midwife
        .session
        .end_visit(visit.id, Some(utc(2026, 11, 24, 0, 45)))
        .unwrap();
    assert_eq!(ended.ended_at, Some(utc(2026, 11, 24, 0, 45)));
    assert_eq!(ended.started_at, visit.started_at);
    let screen = midwife.session.today_screen().unwrap();
    assert!(screen.visits.iter().all(|v| v.visit != visit.id));
    // Ending it again is refused; so is an end still to come or before the start.
    assert!(matches!(
        midwife.session.end_visit(visit.id, None),
        Err(safeshare_core::app::AppError::Refused { .. })
    ));
    let planned = midwife
        .session
        .start_visit(
            family.household.id,
            Place {
                kind: PlaceKind::Home,
                detail: None,
            },
            vec![],
            Some(utc(2026, 11, 24, 14, 0)),
        )
        .unwrap();
    assert!(matches!(
        midwife.session.end_visit(planned.id, None),
        Err(safeshare_core::app::AppError::Refused { .. })
    ));
    assert!(matches!(
        midwife
            .session
            .end_visit(planned.id, Some(utc(2026, 11, 24, 15, 0))),
        Err(safeshare_core::app::AppError::Validation { .. })
    ));
    // A planned visit is offered "Start visit", not "End visit".
    let screen = midwife.session.today_screen().unwrap();
    let row = screen
        .visits
        .iter()
        .find(|v| v.visit == planned.id)
        .unwrap();
    assert_eq!(row.status, "Planned");
    assert!(row
        .actions
        .iter()
        .all(|a| !matches!(a.kind, TodayActionKind::EndVisit { .. })));
}

#[test]
fn an_unreadable_share_past_its_answer_time_says_it_was_due_and_is_shown_overdue() {
    use safeshare_core::model::PractitionerId;
    use safeshare_core::screens::SyncScreen;
    use safeshare_core::sync::client::{
        SyncProgress, SyncStatus, UnreadableHeader, UnreadableItem,
    };
    let unreadable = UnreadableItem {
        id: "01J0000000000000000000000A".into(),
        reason: "sealed to a key this phone does not hold".into(),
        pulled_at: utc(2027, 11, 1, 9, 30),
        header: Some(UnreadableHeader {
            kind: EnvelopeKind::Share,
            entity_id: ulid::Ulid::new(),
            author: PractitionerId::new(),
            sent_at: utc(2027, 11, 1, 9, 0),
            audience: vec![],
            severity: Some(Severity::Concern),
            due_at: Some(utc(2027, 11, 1, 13, 0)),
            sender_teams: vec![],
            answered_at: None,
        }),
    };
    let status =
        SyncStatus::from_parts(true, 0, vec![], vec![unreadable], &SyncProgress::default());
    // Before its answer time: still to come.
    let screen = SyncScreen::from_status(&status, utc(2027, 11, 1, 12, 0));
    let row = &screen.unreadable[0];
    assert_eq!(row.tone, Tone::ActionNeeded);
    assert!(row
        .detail
        .as_deref()
        .is_some_and(|d| d.ends_with("An answer is due today 13:00.")));
    // An hour after it: never "is due" for a time already gone, and as loud as overdue.
    let screen = SyncScreen::from_status(&status, utc(2027, 11, 1, 14, 0));
    let row = &screen.unreadable[0];
    assert_eq!(
        row.detail.as_deref(),
        Some(
            "sealed to a key this phone does not hold (received today 09:30). An answer was \
             due today 13:00 and has not been given."
        )
    );
    assert_eq!(row.tone, Tone::Overdue);
}

//! The Today screen as core builds it (issue 17 item 1), on real SQLite stores with fixed
//! clocks: the attention list's wording and actions in the rule's order, calls with the number
//! for that instant (enabled) or disabled with why, times in London across both clock changes,
//! Easter and midnight, and today's visits by London day.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
mod screens_support;

use app_support::*;
use safeshare_core::model::{Place, PlaceKind, Severity};
use safeshare_core::screens::{TodayActionKind, Tone};
use screens_support::*;

#[test]
fn an_empty_day_says_nothing_is_due_and_offers_a_visit() {
    let region = region();
    // Tuesday 24 November 2026, 08:00 GMT.
    let midwife = midwife(&region, utc(2026, 11, 24, 8, 0));
    let screen = midwife.session.today_screen().unwrap();
    assert_eq!(screen.title, "Today");
    assert_eq!(screen.date, "Tuesday 24 November 2026");
    assert_eq!(screen.attention_heading, "Needs attention now");
    assert!(screen.attention.is_empty());
    assert_eq!(screen.attention_empty.as_deref(), Some("Nothing is due."));
    assert_eq!(
        screen.visits_empty.as_deref(),
        Some("No visits recorded for today.")
    );
    assert_eq!(screen.actions.len(), 2);
    assert_eq!(screen.actions[0].kind, TodayActionKind::StartVisit);
    assert_eq!(screen.actions[0].label, "Start home visit");
    assert!(screen.actions[0].enabled);
    assert_eq!(screen.actions[1].kind, TodayActionKind::OpenSupervision);
    assert_eq!(screen.actions[1].label, "Supervision");
}

#[test]
fn an_unacknowledged_share_over_easter_and_the_spring_change_is_overdue_in_bst_with_the_team_to_call(
) {
    let region = region();
    // Thursday 25 March 2027, 16:00 GMT. A concern is due after 4 working hours: 1 on Thursday,
    // none on Good Friday, the weekend (the clocks go forward on Sunday 28 March) or Easter
    // Monday, 3 on Tuesday 30 March: 12:00 BST.
    let midwife = midwife(&region, utc(2027, 3, 25, 16, 0));
    let family = family(&midwife.session);
    let receipt = share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::Concern,
    );
    assert_eq!(receipt.due_at, utc(2027, 3, 30, 11, 0));

    // On Easter Monday at 11:00 BST it is not yet due (nor soon).
    midwife.clock.set(utc(2027, 3, 29, 10, 0));
    assert!(midwife.session.today_screen().unwrap().attention.is_empty());

    // Tuesday 12:30 BST.
    midwife.clock.set(utc(2027, 3, 30, 11, 30));
    let screen = midwife.session.today_screen().unwrap();
    assert_eq!(screen.date, "Tuesday 30 March 2027");
    assert_eq!(screen.attention.len(), 1);
    let item = &screen.attention[0];
    assert_eq!(item.tone, Tone::Overdue);
    assert_eq!(item.headline, "Overdue");
    assert_eq!(item.when, "Was due today 12:00");
    assert_eq!(item.due_at, receipt.due_at);
    assert!(item.text.starts_with("Call East health visiting now"));
    let call = &item.actions[0];
    assert_eq!(
        call.kind,
        TodayActionKind::Call {
            team: region.health_visiting,
            regarding_share: Some(receipt.share),
            about: None,
        }
    );
    assert_eq!(call.label, "Call East health visiting (in hours)");
    assert!(call.enabled);
    assert_eq!(
        call.detail.as_deref(),
        Some("East health visiting is open now; this is its direct line.")
    );
    assert_eq!(
        item.actions[1].kind,
        TodayActionKind::OpenSentShare {
            share: receipt.share
        }
    );
}

#[test]
fn a_share_due_after_the_autumn_change_is_due_soon_in_gmt() {
    let region = region();
    // Friday 29 October 2027, 15:00 BST (14:00 UTC): 2 working hours on Friday, 2 on Monday
    // 1 November after the clocks went back on Sunday 31 October: due 11:00 GMT.
    let midwife = midwife(&region, utc(2027, 10, 29, 14, 0));
    let family = family(&midwife.session);
    let receipt = share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::Concern,
    );
    assert_eq!(receipt.due_at, utc(2027, 11, 1, 11, 0));

    // On Friday it is not yet "soon"; on Monday at 09:30 GMT it is, and reads 11:00.
    midwife.clock.set(utc(2027, 10, 29, 16, 0));
    assert!(midwife.session.today_screen().unwrap().attention.is_empty());
    midwife.clock.set(utc(2027, 11, 1, 9, 30));
    let screen = midwife.session.today_screen().unwrap();
    let item = &screen.attention[0];
    assert_eq!(item.tone, Tone::DueSoon);
    assert_eq!(item.headline, "Due soon");
    assert_eq!(item.when, "Due today 11:00");
    assert_eq!(
        item.actions[0].kind,
        TodayActionKind::OpenSentShare {
            share: receipt.share
        }
    );
    // Not immediate risk: no call offered before it is due.
    assert!(!item
        .actions
        .iter()
        .any(|a| matches!(a.kind, TodayActionKind::Call { .. })));
}

#[test]
fn an_immediate_risk_share_near_midnight_is_loudest_and_due_tomorrow_with_the_out_of_hours_number()
{
    let region = region();
    // Tuesday 24 November 2026, 23:30 GMT: immediate risk is due 60 real minutes later, 00:30
    // on Wednesday, when health visiting is closed: its out-of-hours line.
    let midwife = midwife(&region, utc(2026, 11, 24, 23, 30));
    let family = family(&midwife.session);
    let receipt = share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::ImmediateRisk,
    );
    midwife.clock.set(utc(2026, 11, 24, 23, 40));
    let screen = midwife.session.today_screen().unwrap();
    let item = &screen.attention[0];
    assert_eq!(item.tone, Tone::ImmediateRisk);
    assert_eq!(item.headline, "IMMEDIATE RISK");
    assert_eq!(item.when, "Due tomorrow 00:30");
    assert!(item
        .text
        .starts_with("Immediate risk: phone East health visiting now"));
    let call = &item.actions[0];
    assert_eq!(
        call.kind,
        TodayActionKind::Call {
            team: region.health_visiting,
            regarding_share: Some(receipt.share),
            about: None,
        }
    );
    assert_eq!(call.label, "Call East health visiting (out of hours)");
    assert!(call.enabled);

    // After midnight the same due time is "today".
    midwife.clock.set(utc(2026, 11, 25, 0, 10));
    let screen = midwife.session.today_screen().unwrap();
    assert_eq!(screen.date, "Wednesday 25 November 2026");
    assert_eq!(screen.attention[0].when, "Due today 00:30");
}

#[test]
fn a_team_with_no_number_still_offers_call_disabled_with_why() {
    let mut region = region();
    // The front door's only number removed: no team number, no switchboard.
    let mut directory_doc: safeshare_core::directory::Directory = region.directory.clone();
    let mut teams: Vec<_> = directory_doc.teams().cloned().collect();
    let mut orgs: Vec<_> = directory_doc.organisations().cloned().collect();
    for team in &mut teams {
        if team.id == region.health_visiting {
            team.numbers = Default::default();
            if let Some(org) = orgs.iter_mut().find(|o| o.id == team.organisation) {
                org.switchboard = None;
            }
        }
    }
    directory_doc =
        safeshare_core::directory::Directory::new(1, directory_doc.region(), true, orgs, teams)
            .unwrap();
    region.directory = directory_doc;
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::Concern,
    );
    midwife.clock.set(utc(2026, 11, 23, 15, 0));
    let screen = midwife.session.today_screen().unwrap();
    let call = &screen.attention[0].actions[0];
    assert!(matches!(call.kind, TodayActionKind::Call { .. }));
    assert_eq!(call.label, "Call East health visiting");
    assert!(!call.enabled);
    assert!(call
        .detail
        .as_deref()
        .unwrap()
        .contains("East health visiting"));
}

#[test]
fn todays_visits_are_those_on_the_london_day_earliest_first() {
    let region = region();
    // Thursday 1 July 2027, 09:00 BST.
    let midwife = midwife(&region, utc(2027, 7, 1, 8, 0));
    let family = family(&midwife.session);
    let home = Place {
        kind: PlaceKind::Home,
        detail: None,
    };
    // 00:30 BST on 1 July is 23:30 UTC on 30 June: today's, in London.
    let early = midwife
        .session
        .start_visit(
            family.household.id,
            home.clone(),
            vec![],
            Some(utc(2027, 6, 30, 23, 30)),
        )
        .unwrap();
    // 23:30 BST on 30 June (22:30 UTC) is yesterday's: listed only while it is not ended.
    let yesterdays = midwife
        .session
        .start_visit(
            family.household.id,
            home.clone(),
            vec![],
            Some(utc(2027, 6, 30, 22, 30)),
        )
        .unwrap();
    // Planned for 14:00 BST.
    let planned = midwife
        .session
        .start_visit(
            family.household.id,
            Place {
                kind: PlaceKind::Clinic,
                detail: Some("Chapeltown health centre".into()),
            },
            vec![],
            Some(utc(2027, 7, 1, 13, 0)),
        )
        .unwrap();
    let screen = midwife.session.today_screen().unwrap();
    assert_eq!(screen.visits_heading, "Today's visits");
    assert_eq!(screen.visits.len(), 3);
    assert_eq!(screen.visits_empty, None);
    // Yesterday's visit, never ended, is carried over (the louder reading), saying its day.
    let carried = &screen.visits[0];
    assert_eq!(carried.visit, yesterdays.id);
    assert_eq!(carried.time, "yesterday 23:30");
    assert_eq!(carried.status, "In progress");
    // Once ended, it is yesterday's only.
    midwife
        .session
        .end_visit(yesterdays.id, Some(utc(2027, 6, 30, 23, 0)))
        .unwrap();
    let screen = midwife.session.today_screen().unwrap();
    assert_eq!(screen.visits.len(), 2);
    let first = &screen.visits[0];
    assert_eq!(first.visit, early.id);
    assert_eq!(first.time, "00:30");
    assert_eq!(first.title, "Home visit: 1 Fictional Row, Leeds");
    assert_eq!(first.status, "In progress");
    assert_eq!(first.actions[0].label, "Continue visit");
    assert_eq!(
        first.actions[0].kind,
        TodayActionKind::ContinueVisit {
            visit: early.id,
            household: family.household.id
        }
    );
    let second = &screen.visits[1];
    assert_eq!(second.visit, planned.id);
    assert_eq!(second.time, "14:00");
    // A clinic visit shows the clinic, never the family's home address.
    assert_eq!(second.title, "Clinic: Chapeltown health centre");
    assert_eq!(second.status, "Planned");
    assert_eq!(second.actions[0].label, "Start visit");
}

#[test]
fn a_share_to_my_team_asks_to_read_and_acknowledge() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let hv = health_visitor(&region, utc(2026, 11, 23, 10, 5));
    let family = family(&midwife.session);
    let receipt = share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::Concern,
    );
    carry(&midwife, &hv, safeshare_core::sync::EnvelopeKind::Share);
    let screen = hv.session.today_screen().unwrap();
    let item = &screen.attention[0];
    assert_eq!(item.when, "Due today 14:00");
    assert_eq!(item.actions.len(), 1);
    assert_eq!(item.actions[0].label, "Read and acknowledge");
    assert_eq!(
        item.actions[0].kind,
        TodayActionKind::AcknowledgeShare {
            share: receipt.share
        }
    );
}

#[test]
fn a_referral_with_no_decision_is_chased_by_a_call_about_its_child() {
    let region = region();
    // Friday 27 November 2026, 10:00 GMT: the decision is due Monday 30 November 10:00.
    let midwife = midwife(&region, utc(2026, 11, 27, 10, 0));
    let family = family(&midwife.session);
    let referral = midwife
        .session
        .record_referral(safeshare_core::app::NewReferralInput {
            about: family.baby.id,
            front_door: region.front_door,
            sent_at: None,
            summary: "Domestic abuse disclosed; baby three weeks old.".into(),
            channel: safeshare_core::rules::referral::ReferralChannel::Phone,
        })
        .unwrap()
        .record
        .referral
        .id;
    midwife.clock.set(utc(2026, 11, 30, 10, 5));
    let screen = midwife.session.today_screen().unwrap();
    let item = &screen.attention[0];
    assert_eq!(item.when, "Was due today 10:00");
    assert_eq!(
        item.actions[0].kind,
        TodayActionKind::Call {
            team: region.front_door,
            regarding_share: None,
            about: Some(family.baby.id),
        }
    );
    assert_eq!(
        item.actions[0].label,
        "Call Fictional children's front door (MASH) (in hours)"
    );
    assert_eq!(
        item.actions[1].kind,
        TodayActionKind::OpenReferral { referral }
    );
}

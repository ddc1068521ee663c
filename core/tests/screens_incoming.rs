//! Shares to my team, and one share to acknowledge with a read-back, as core builds them
//! (issue 17 item 1), on real stores with the share carried by hand from the sender's phone:
//! the row and the share's wording, the read-back form's fields, "Acknowledge" enabled only
//! for a complete read-back of a share not yet acknowledged, and the due time in London across
//! Christmas bank holidays.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
mod screens_support;

use app_support::*;
use safeshare_core::app::AppError;
use safeshare_core::model::{Severity, ShareId};
use safeshare_core::rules::acknowledgement::ReadBack;
use safeshare_core::screens::{IncomingActionKind, Tone};
use safeshare_core::sync::EnvelopeKind;
use screens_support::*;

fn blank() -> ReadBack {
    ReadBack {
        who: String::new(),
        risk: String::new(),
        next_action: String::new(),
    }
}

#[test]
fn a_share_to_my_team_is_listed_read_and_acknowledged_with_a_complete_read_back() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let hv = health_visitor(&region, utc(2026, 11, 23, 10, 30));
    assert_eq!(
        hv.session
            .incoming_shares_screen()
            .unwrap()
            .empty
            .as_deref(),
        Some("Nothing has been shared with your team.")
    );
    let family = family(&midwife.session);
    let receipt = share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::Concern,
    );
    carry(&midwife, &hv, EnvelopeKind::Share);

    let list = hv.session.incoming_shares_screen().unwrap();
    assert_eq!(list.title, "Shares to my team");
    let row = &list.rows[0];
    assert_eq!(row.share, receipt.share);
    assert_eq!(
        row.title,
        "From Midwife Ash to East health visiting · concern"
    );
    assert_eq!(row.tone, Tone::ActionNeeded);
    assert_eq!(row.status, "To acknowledge by today 14:00");
    assert_eq!(
        row.actions[0].kind,
        IncomingActionKind::Open {
            share: receipt.share
        }
    );
    assert_eq!(row.actions[0].label, "Read and acknowledge");

    // Opened with nothing typed: every field missing, Acknowledge disabled with why.
    let screen = hv
        .session
        .incoming_share_screen(receipt.share, blank())
        .unwrap();
    assert_eq!(screen.title, "Share from Midwife Ash");
    assert_eq!(screen.severity, "Concern");
    assert_eq!(screen.sent, "Sent today 10:00 to East health visiting");
    assert_eq!(screen.status, "To acknowledge by today 14:00");
    assert_eq!(
        screen.about,
        vec![
            CHILD_NAME.to_owned(),
            "Born 1 November 2026".to_owned(),
            "NHS number 943 476 5919".to_owned(),
            "1 Fictional Row, Leeds".to_owned(),
        ]
    );
    assert_eq!(
        screen.message,
        "Please visit this week: domestic abuse disclosed."
    );
    assert_eq!(
        screen.shared,
        vec![
            "domestic abuse · concern · fact, today 10:00: Bruise on mother's left forearm; \
             says partner grabbed her last night."
                .to_owned()
        ]
    );
    // The sender's phone never synced, so its clock was never checked: the warning shows.
    assert_eq!(
        screen.clock_warning.as_deref().map(|w| !w.is_empty()),
        Some(true)
    );
    assert_eq!(
        screen.read_back_heading,
        "Your read-back, in your own words"
    );
    let labels: Vec<&str> = screen.read_back.iter().map(|f| f.label.as_str()).collect();
    assert_eq!(
        labels,
        vec![
            "Who is it about?",
            "What is the risk?",
            "What happens next?"
        ]
    );
    assert!(screen.read_back.iter().all(|f| f.missing));
    let acknowledge = &screen.actions[0];
    assert_eq!(
        acknowledge.kind,
        IncomingActionKind::Acknowledge {
            share: receipt.share
        }
    );
    assert_eq!(acknowledge.label, "Acknowledge with read-back");
    assert!(!acknowledge.enabled);
    assert_eq!(
        acknowledge.detail.as_deref(),
        Some("Say who it is about, the risk and the next action in your own words.")
    );

    // Two parts typed, the next action only spaces: still disabled, that field still missing.
    let partial = ReadBack {
        next_action: "   ".into(),
        ..read_back()
    };
    let screen = hv
        .session
        .incoming_share_screen(receipt.share, partial)
        .unwrap();
    let missing: Vec<bool> = screen.read_back.iter().map(|f| f.missing).collect();
    assert_eq!(missing, vec![false, false, true]);
    assert_eq!(screen.read_back[0].value, read_back().who);
    assert!(!screen.actions[0].enabled);

    // Complete: enabled; acknowledging it closes it on this phone.
    let screen = hv
        .session
        .incoming_share_screen(receipt.share, read_back())
        .unwrap();
    assert!(screen.actions[0].enabled);
    assert_eq!(screen.actions[0].detail, None);
    hv.session
        .acknowledge_share(receipt.share, read_back())
        .unwrap();
    let row = &hv.session.incoming_shares_screen().unwrap().rows[0];
    assert_eq!(row.tone, Tone::Done);
    assert_eq!(
        row.status,
        "Acknowledged by Health visitor Birch, today 10:30."
    );
    assert_eq!(row.actions[0].label, "Open");
    let screen = hv
        .session
        .incoming_share_screen(receipt.share, read_back())
        .unwrap();
    assert!(!screen.actions[0].enabled);
    assert_eq!(
        screen.actions[0].detail.as_deref(),
        Some("Already acknowledged.")
    );
}

#[test]
fn a_low_level_concern_sent_on_christmas_eve_is_due_after_the_bank_holidays() {
    let region = region();
    // Thursday 24 December 2026, 16:00 GMT: one working day is 1 hour on Thursday, none on
    // Christmas Day, the weekend or Monday 28 December (Boxing Day's substitute), and 7 hours
    // on Tuesday 29 December: 16:00.
    let midwife = midwife(&region, utc(2026, 12, 24, 16, 0));
    let hv = health_visitor(&region, utc(2026, 12, 24, 16, 30));
    let family = family(&midwife.session);
    let receipt = share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::LowLevelConcern,
    );
    assert_eq!(receipt.due_at, utc(2026, 12, 29, 16, 0));
    carry(&midwife, &hv, EnvelopeKind::Share);
    let row = &hv.session.incoming_shares_screen().unwrap().rows[0];
    assert_eq!(
        row.title,
        "From Midwife Ash to East health visiting · low-level concern"
    );
    assert_eq!(row.status, "To acknowledge by Tue 29 Dec 16:00");

    hv.clock.set(utc(2026, 12, 29, 16, 0));
    let row = &hv.session.incoming_shares_screen().unwrap().rows[0];
    assert_eq!(row.tone, Tone::Overdue);
    assert_eq!(
        row.status,
        "Not acknowledged: it was due today 16:00. Acknowledge it now."
    );
}

#[test]
fn an_immediate_risk_share_is_loudest_and_says_to_act_now() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let hv = health_visitor(&region, utc(2026, 11, 23, 10, 5));
    let family = family(&midwife.session);
    let receipt = share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::ImmediateRisk,
    );
    carry(&midwife, &hv, EnvelopeKind::Share);
    let screen = hv
        .session
        .incoming_share_screen(receipt.share, blank())
        .unwrap();
    assert_eq!(screen.tone, Tone::ImmediateRisk);
    assert_eq!(screen.status, "To acknowledge by today 11:00");
    assert!(screen.severity.starts_with("Immediate risk: act now"));
}

#[test]
fn a_share_not_sent_to_my_team_is_not_found() {
    let region = region();
    let hv = health_visitor(&region, utc(2026, 11, 23, 10, 0));
    let err = hv
        .session
        .incoming_share_screen(ShareId::new(), blank())
        .unwrap_err();
    assert!(matches!(err, AppError::NotFound { .. }));
}

#[test]
fn an_immediate_risk_share_sent_late_evening_is_due_after_midnight() {
    let region = region();
    // Sunday 31 October 2027, 23:20 GMT: immediate risk, 60 real minutes, due 00:20 Monday.
    let midwife = midwife(&region, utc(2027, 10, 31, 23, 20));
    let hv = health_visitor(&region, utc(2027, 10, 31, 23, 25));
    let family = family(&midwife.session);
    share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::ImmediateRisk,
    );
    carry(&midwife, &hv, EnvelopeKind::Share);
    let row = &hv.session.incoming_shares_screen().unwrap().rows[0];
    assert_eq!(row.tone, Tone::ImmediateRisk);
    assert_eq!(row.status, "To acknowledge by tomorrow 00:20");
    hv.clock.set(utc(2027, 11, 1, 0, 20));
    let row = &hv.session.incoming_shares_screen().unwrap().rows[0];
    assert_eq!(
        row.status,
        "Not acknowledged: it was due today 00:20. Acknowledge it now."
    );
    assert_eq!(row.tone, Tone::ImmediateRisk);
}

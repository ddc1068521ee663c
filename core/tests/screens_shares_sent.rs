//! The "Shares I sent" screen as core builds it (issue 17 item 1), on real stores with the
//! acknowledgement carried by hand between two phones: each state's words and London times,
//! the call offered (with the number for that instant) when the team must be phoned, and the
//! read-back to confirm or flag, then to correct by phone and confirm.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
mod screens_support;

use app_support::*;
use safeshare_core::model::Severity;
use safeshare_core::rules::acknowledgement::ReadBackVerdict;
use safeshare_core::screens::{SentShareActionKind, Tone};
use safeshare_core::sync::EnvelopeKind;
use screens_support::*;

#[test]
fn nothing_sent_says_so() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let screen = midwife.session.shares_sent_screen().unwrap();
    assert_eq!(screen.title, "Shares I sent");
    assert!(screen.rows.is_empty());
    assert_eq!(
        screen.empty.as_deref(),
        Some("You have not shared anything from this phone.")
    );
}

#[test]
fn a_concern_awaits_then_at_its_due_minute_asks_for_a_call_with_the_number_for_then() {
    let region = region();
    // Monday 23 November 2026, 10:00 GMT: due after 4 working hours, 14:00.
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    let receipt = share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::Concern,
    );
    let screen = midwife.session.shares_sent_screen().unwrap();
    let row = &screen.rows[0];
    assert_eq!(row.share, receipt.share);
    assert_eq!(row.title, "East health visiting · concern");
    assert_eq!(row.sent, "Sent today 10:00");
    assert_eq!(row.tone, Tone::Waiting);
    assert_eq!(row.status, "Awaiting acknowledgement, due today 14:00");
    assert!(row.actions.is_empty());
    assert!(row.read_backs.is_empty());

    // 14:00 exactly: overdue, call now, in hours.
    midwife.clock.set(utc(2026, 11, 23, 14, 0));
    let row = &midwife.session.shares_sent_screen().unwrap().rows[0];
    assert_eq!(row.tone, Tone::Overdue);
    assert_eq!(
        row.status,
        "NOT ACKNOWLEDGED by today 14:00: call East health visiting now."
    );
    assert_eq!(row.actions.len(), 1);
    assert_eq!(
        row.actions[0].kind,
        SentShareActionKind::Call {
            team: region.health_visiting,
            share: receipt.share
        }
    );
    assert_eq!(row.actions[0].label, "Call East health visiting (in hours)");
    assert!(row.actions[0].enabled);

    // Saturday morning the team is closed: the same share, its out-of-hours number.
    midwife.clock.set(utc(2026, 11, 28, 9, 30));
    let row = &midwife.session.shares_sent_screen().unwrap().rows[0];
    assert_eq!(
        row.status,
        "NOT ACKNOWLEDGED by Mon 23 Nov 14:00: call East health visiting now."
    );
    assert_eq!(
        row.actions[0].label,
        "Call East health visiting (out of hours)"
    );
}

#[test]
fn an_immediate_risk_share_offers_the_call_before_it_is_due() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::ImmediateRisk,
    );
    let row = &midwife.session.shares_sent_screen().unwrap().rows[0];
    assert_eq!(row.title, "East health visiting · immediate risk");
    assert_eq!(row.tone, Tone::ImmediateRisk);
    assert_eq!(
        row.status,
        "Immediate risk: phone East health visiting now, not only send. Acknowledgement due \
         today 11:00."
    );
    assert!(matches!(
        row.actions[0].kind,
        SentShareActionKind::Call { .. }
    ));
    assert!(row.actions[0].enabled);
}

#[test]
fn a_read_back_is_confirmed_or_flagged_then_corrected_by_phone_and_confirmed() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let hv = health_visitor(&region, utc(2026, 11, 23, 11, 0));
    let family = family(&midwife.session);
    let receipt = share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::Concern,
    );
    carry(&midwife, &hv, EnvelopeKind::Share);
    hv.session
        .acknowledge_share(receipt.share, read_back())
        .unwrap();
    midwife.clock.set(utc(2026, 11, 23, 11, 15));
    carry(&hv, &midwife, EnvelopeKind::Acknowledgement);

    let row = &midwife.session.shares_sent_screen().unwrap().rows[0];
    assert_eq!(row.tone, Tone::ActionNeeded);
    assert_eq!(
        row.status,
        "Acknowledged today 11:00: check their read-back matches what you meant."
    );
    assert_eq!(
        row.read_backs,
        vec![
            "Health visitor Birch (today 11:00) understood: who: Three-week-old baby and mother \
             at 1 Fictional Row; the risk: Domestic abuse: mother grabbed by partner, bruise \
             seen; next: Health visitor to visit by Friday and see mother alone"
                .to_owned()
        ]
    );
    let kinds: Vec<_> = row.actions.iter().map(|a| a.kind.clone()).collect();
    assert_eq!(
        kinds,
        vec![
            SentShareActionKind::ConfirmReadBack {
                share: receipt.share
            },
            SentShareActionKind::FlagOverEmphasised {
                share: receipt.share
            },
            SentShareActionKind::FlagUnderEmphasised {
                share: receipt.share
            },
        ]
    );
    assert_eq!(row.actions[0].label, "Read-back is right");
    assert!(row.actions.iter().all(|a| a.enabled));

    // Flagged as under-emphasised: phone to correct it (the call is offered), then confirm.
    midwife
        .session
        .check_read_back(
            receipt.share,
            ReadBackVerdict::UnderEmphasised("the baby was in the room".into()),
        )
        .unwrap();
    let row = &midwife.session.shares_sent_screen().unwrap().rows[0];
    assert_eq!(row.tone, Tone::Overdue);
    assert_eq!(
        row.status,
        "Their read-back did not match what you meant (the baby was in the room, marked today \
         11:15): phone East health visiting to correct it."
    );
    assert_eq!(
        row.actions[0].kind,
        SentShareActionKind::Call {
            team: region.health_visiting,
            share: receipt.share
        }
    );
    assert!(row.actions[0].enabled);
    assert_eq!(row.actions[1].label, "Confirm after your call");

    midwife
        .session
        .check_read_back(receipt.share, ReadBackVerdict::Confirmed)
        .unwrap();
    let row = &midwife.session.shares_sent_screen().unwrap().rows[0];
    assert_eq!(row.tone, Tone::Done);
    assert_eq!(row.status, "Acknowledged and understood.");
    assert!(row.actions.is_empty());
    assert_eq!(row.read_backs.len(), 1);
}

#[test]
fn a_share_sent_before_the_autumn_change_reads_its_monday_due_time_in_gmt() {
    let region = region();
    // Friday 29 October 2027, 16:00 BST (15:00 UTC): 1 working hour on Friday, 3 on Monday
    // 1 November after the clocks went back on Sunday 31 October: 12:00 GMT.
    let midwife = midwife(&region, utc(2027, 10, 29, 15, 0));
    let family = family(&midwife.session);
    let receipt = share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::Concern,
    );
    assert_eq!(receipt.due_at, utc(2027, 11, 1, 12, 0));
    let row = &midwife.session.shares_sent_screen().unwrap().rows[0];
    assert_eq!(row.sent, "Sent today 16:00");
    assert_eq!(row.status, "Awaiting acknowledgement, due Mon 1 Nov 12:00");
    // Sunday, in the hour that happens twice: still in time, the due time unchanged.
    midwife.clock.set(utc(2027, 10, 31, 1, 30));
    let row = &midwife.session.shares_sent_screen().unwrap().rows[0];
    assert_eq!(row.sent, "Sent Fri 29 Oct 16:00");
    assert_eq!(row.status, "Awaiting acknowledgement, due tomorrow 12:00");
}

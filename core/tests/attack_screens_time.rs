//! Attack (issue 17, a reviewer's pass): every London time a screen shows must be readable
//! without guessing, including inside the attention rule's own sentences that Today shows as
//! an item's text. In the autumn hour that happens twice (01:00-02:00 on the last Sunday of
//! October) a wall-clock time without its zone can be read an hour out; for a due time that is
//! the difference between "30 minutes left" and "30 minutes overdue". Real stores, fixed clocks.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
mod screens_support;

use app_support::*;
use safeshare_core::model::Severity;
use screens_support::*;

/// An immediate-risk share sent at 00:50 BST on Sunday 31 October 2027 (23:50 UTC on the
/// Saturday) is due an hour later: 00:50 UTC, which London calls 01:50 BST. At 01:20 GMT
/// (01:20 UTC) it is half an hour overdue; "01:50" alone reads as half an hour to go.
#[test]
fn a_due_time_in_the_repeated_autumn_hour_names_its_zone_in_every_line_today_shows() {
    let region = region();
    let midwife = midwife(&region, utc(2027, 10, 30, 23, 50));
    let family = family(&midwife.session);
    share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::ImmediateRisk,
    );

    // 01:20 BST (00:20 UTC): due in half an hour.
    midwife.clock.set(utc(2027, 10, 31, 0, 20));
    let screen = midwife.session.today_screen().unwrap();
    let item = screen
        .attention
        .iter()
        .find(|i| i.text.contains("Acknowledgement due"))
        .unwrap_or_else(|| panic!("no immediate-risk item: {:#?}", screen.attention));
    assert_eq!(item.when, "Due today 01:50 BST");
    assert!(
        item.text.contains("01:50 BST"),
        "the item's text names a time in the repeated hour without its zone: {:?}",
        item.text
    );

    // 01:20 GMT (01:20 UTC): half an hour overdue, the clock on the wall reads 01:20 again.
    midwife.clock.set(utc(2027, 10, 31, 1, 20));
    let screen = midwife.session.today_screen().unwrap();
    let item = screen
        .attention
        .iter()
        .find(|i| i.text.contains("not acknowledged by"))
        .unwrap_or_else(|| panic!("no overdue item: {:#?}", screen.attention));
    assert_eq!(item.when, "Was due today 01:50 BST");
    assert!(
        item.text.contains("01:50 BST"),
        "an overdue share's text reads as not yet due on the wall clock: {:?}",
        item.text
    );
}

/// Held (recorded so it stays so): a concern shared at 16:00 on Christmas Eve 2026 has four
/// working hours: one that afternoon, none over Christmas Day, the weekend and the Monday
/// substitute for Boxing Day (a Saturday), three on Tuesday 29 December. On the Sunday evening
/// before, neither side's screen calls it "tomorrow": Monday is a bank holiday.
#[test]
fn a_due_time_after_christmas_and_a_substitute_bank_holiday_is_worded_the_same_on_both_sides() {
    let region = region();
    let sent = utc(2026, 12, 24, 16, 0);
    let midwife = midwife(&region, sent);
    let hv = health_visitor(&region, sent);
    let family = family(&midwife.session);
    let receipt = share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::Concern,
    );
    carry(&midwife, &hv, safeshare_core::sync::EnvelopeKind::Share);

    // Sunday 27 December, 21:00 GMT.
    let sunday_evening = utc(2026, 12, 27, 21, 0);
    midwife.clock.set(sunday_evening);
    hv.clock.set(sunday_evening);
    let sent_row = midwife
        .session
        .shares_sent_screen()
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.share == receipt.share)
        .unwrap();
    assert_eq!(
        sent_row.status,
        "Awaiting acknowledgement, due Tue 29 Dec 12:00"
    );
    let incoming = hv
        .session
        .incoming_share_screen(receipt.share, read_back())
        .unwrap();
    assert_eq!(incoming.status, "To acknowledge by Tue 29 Dec 12:00");

    // Monday 28 December (the bank holiday), 23:30: now it is tomorrow.
    let monday_night = utc(2026, 12, 28, 23, 30);
    hv.clock.set(monday_night);
    let incoming = hv
        .session
        .incoming_share_screen(receipt.share, read_back())
        .unwrap();
    assert_eq!(incoming.status, "To acknowledge by tomorrow 12:00");
}

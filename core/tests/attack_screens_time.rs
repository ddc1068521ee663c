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

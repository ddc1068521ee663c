//! Attack (issue 17 item 6, a reviewer's pass): the open-items index must never make Today
//! differ from reading everything. Here the practitioner's teams change under it (a share to a
//! team she has left, and back), and personal data must not sit in clear anywhere in the
//! store's files, the index tables included. Real stores, fixed clocks.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
mod screens_support;

use app_support::*;
use safeshare_core::app::Identity;
use safeshare_core::model::Severity;
use safeshare_core::screens::TodayScreen;
use safeshare_core::sync::EnvelopeKind;
use screens_support::*;

fn texts(screen: &TodayScreen) -> Vec<(String, String)> {
    screen
        .attention
        .iter()
        .map(|i| (i.headline.clone(), i.text.clone()))
        .collect()
}

#[test]
fn today_through_the_index_follows_a_change_of_teams_and_holds_no_name_in_clear() {
    let region = region();
    let now = utc(2026, 11, 24, 10, 0);
    let midwife = midwife(&region, now);
    let in_both = health_visitor_in_two_teams(&region);
    let hv = device(&region, in_both.clone(), now);
    let family = family(&midwife.session);
    share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::ImmediateRisk,
    );
    carry(&midwife, &hv, EnvelopeKind::Share);

    let at = utc(2026, 11, 24, 10, 30);
    hv.clock.set(at);
    let indexed = hv.session.today_screen().unwrap();
    assert_eq!(
        texts(&indexed),
        texts(&hv.session.today_screen_by_full_scan(at).unwrap())
    );
    assert!(
        !indexed.attention.is_empty(),
        "the share is Today's to acknowledge"
    );

    // She leaves East health visiting: the share is no longer hers to acknowledge.
    hv.session
        .set_identity(Identity {
            teams: vec![in_both.teams[1].clone()],
            ..hv.session.identity()
        })
        .unwrap();
    let indexed = hv.session.today_screen().unwrap();
    assert_eq!(
        texts(&indexed),
        texts(&hv.session.today_screen_by_full_scan(at).unwrap())
    );
    // And back.
    hv.session
        .set_identity(Identity {
            teams: in_both.teams.clone(),
            ..hv.session.identity()
        })
        .unwrap();
    let indexed = hv.session.today_screen().unwrap();
    assert_eq!(
        texts(&indexed),
        texts(&hv.session.today_screen_by_full_scan(at).unwrap())
    );
    assert!(!indexed.attention.is_empty());

    for device in [&midwife, &hv] {
        for (suffix, bytes) in store_bytes(&device.path) {
            for name in [CHILD_NAME, MOTHER_NAME, "Quartermain", "1 Fictional Row"] {
                assert!(
                    !contains(&bytes, name.as_bytes()),
                    "{name:?} in clear in field.db{suffix}"
                );
            }
        }
    }
}

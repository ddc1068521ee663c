//! The Sync screen as core builds it (issue 17 item 1): the status in words on a real store
//! (not enrolled, an item waiting), and every state the sync client reports worded at a fixed
//! instant (rejected and unreadable items shown with their actions, the last problem in words,
//! times in London across the autumn change), never "everything is sent" while anything waits.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
mod screens_support;

use app_support::*;
use safeshare_core::model::{PractitionerId, Severity};
use safeshare_core::screens::{SyncActionKind, SyncScreen, Tone};
use safeshare_core::sync::client::{
    RejectedItem, ServerRestoreNotice, SyncProgress, SyncStatus, SyncSummary, UnreadableHeader,
    UnreadableItem,
};
use safeshare_core::sync::{EnvelopeId, EnvelopeKind};
use screens_support::*;

#[test]
fn a_phone_not_enrolled_keeps_its_share_waiting_and_offers_enrolment_not_sending() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::Concern,
    );
    let screen = midwife.session.sync_screen().unwrap();
    assert_eq!(screen.title, "Sync");
    assert_eq!(screen.summary, SyncSummary::NotEnrolled);
    assert_eq!(screen.tone, Tone::ActionNeeded);
    assert_eq!(
        screen.headline,
        "This phone is not enrolled yet. Enter the code from your administrator."
    );
    let lines: Vec<&str> = screen.lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(lines, vec!["1 item waiting to be sent", "Not sent yet"]);
    assert!(screen.rejected.is_empty() && screen.unreadable.is_empty());
    assert_eq!(screen.enrolment_code_label, "Enrolment code");
    let send = &screen.actions[0];
    assert_eq!(send.kind, SyncActionKind::SendNow);
    assert!(!send.enabled);
    assert_eq!(send.detail.as_deref(), Some("Enrol this phone first."));
    let enrol = &screen.actions[1];
    assert_eq!(enrol.kind, SyncActionKind::Enrol);
    assert_eq!(enrol.label, "Enrol this phone");
    assert!(enrol.enabled);
}

fn progress() -> SyncProgress {
    SyncProgress {
        // Saturday 30 October 2027, 16:00 BST.
        last_success: Some(utc(2027, 10, 30, 15, 0)),
        // Sunday 31 October 2027 01:30 GMT, in the hour that happens twice.
        last_attempt: Some(utc(2027, 10, 31, 1, 30)),
        consecutive_failures: 1,
        not_before: Some(utc(2027, 10, 31, 9, 0)),
        last_error: Some("network".into()),
        needs_reenrolment: false,
        server_restored: None,
    }
}

#[test]
fn a_failed_attempt_in_the_repeated_autumn_hour_names_its_zone_and_the_next_try() {
    // Sunday 31 October 2027, 08:00 GMT.
    let now = utc(2027, 10, 31, 8, 0);
    let status = SyncStatus::from_parts(true, 3, vec![], vec![], &progress());
    assert_eq!(status.summary, SyncSummary::Waiting);
    let screen = SyncScreen::from_status(&status, now);
    assert_eq!(screen.tone, Tone::Waiting);
    assert_eq!(
        screen.headline,
        "3 items waiting to be sent. Safe on this phone."
    );
    let lines: Vec<&str> = screen.lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        lines,
        vec![
            "3 items waiting to be sent",
            "Last sent yesterday 16:00",
            "Last attempt today 01:30 GMT failed: no connection. Everything is kept on this \
             phone and sent later.",
            "Next automatic try after today 09:00",
        ]
    );
    let send = &screen.actions[0];
    assert!(send.enabled);
    assert_eq!(screen.actions[1].label, "Re-enrol this phone");
}

#[test]
fn rejected_and_unreadable_items_are_each_shown_with_what_to_do() {
    let now = utc(2027, 11, 1, 10, 0);
    let rejected_id = EnvelopeId::new();
    let rejected = RejectedItem {
        id: rejected_id,
        kind: EnvelopeKind::Share,
        captured_at: utc(2027, 11, 1, 9, 15),
        code: "audience_not_allowed".into(),
        reason: "that team is not in this region".into(),
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
    let status = SyncStatus::from_parts(
        true,
        0,
        vec![rejected],
        vec![unreadable],
        &SyncProgress {
            last_success: Some(utc(2027, 11, 1, 9, 40)),
            ..SyncProgress::default()
        },
    );
    let screen = SyncScreen::from_status(&status, now);
    assert_eq!(screen.summary, SyncSummary::NeedsAttention);
    assert_eq!(screen.tone, Tone::ActionNeeded);
    assert!(screen.headline.starts_with("Needs your attention"));
    assert_eq!(screen.rejected.len(), 1);
    let row = &screen.rejected[0];
    assert_eq!(row.text, "Not accepted by the server: a share");
    assert_eq!(
        row.detail.as_deref(),
        Some("that team is not in this region (captured today 09:15)")
    );
    assert_eq!(
        row.actions[0].kind,
        SyncActionKind::DiscardRejected {
            envelope: rejected_id
        }
    );
    assert!(row.actions[0].enabled);
    let row = &screen.unreadable[0];
    assert_eq!(row.tone, Tone::ActionNeeded);
    assert_eq!(row.text, "Received but could not be read: a share");
    assert_eq!(
        row.detail.as_deref(),
        Some(
            "sealed to a key this phone does not hold (received today 09:30). An answer is due \
             today 13:00."
        )
    );
}

#[test]
fn only_an_all_clear_status_says_everything_is_sent_and_a_restore_is_told() {
    let now = utc(2027, 11, 1, 10, 0);
    let clear = SyncProgress {
        last_success: Some(utc(2027, 11, 1, 9, 59)),
        ..SyncProgress::default()
    };
    let screen = SyncScreen::from_status(
        &SyncStatus::from_parts(true, 0, vec![], vec![], &clear),
        now,
    );
    assert_eq!(screen.headline, "Everything is sent.");
    assert_eq!(screen.tone, Tone::Done);
    assert_eq!(screen.notice, None);

    let waiting = SyncScreen::from_status(
        &SyncStatus::from_parts(true, 1, vec![], vec![], &clear),
        now,
    );
    assert_ne!(waiting.headline, "Everything is sent.");
    assert_eq!(
        waiting.headline,
        "1 item waiting to be sent. Safe on this phone."
    );

    let restored = SyncProgress {
        server_restored: Some(ServerRestoreNotice {
            detected_at: utc(2027, 11, 1, 9, 59),
            resent: 2,
        }),
        ..clear
    };
    let screen = SyncScreen::from_status(
        &SyncStatus::from_parts(true, 0, vec![], vec![], &restored),
        now,
    );
    assert_eq!(
        screen.notice.as_deref(),
        Some("The regional server was restored from a backup: 2 items sent again.")
    );

    let lost = SyncProgress {
        needs_reenrolment: true,
        ..SyncProgress::default()
    };
    let screen =
        SyncScreen::from_status(&SyncStatus::from_parts(true, 4, vec![], vec![], &lost), now);
    assert_eq!(screen.summary, SyncSummary::NeedsReenrolment);
    assert_eq!(screen.headline, "This phone needs re-enrolment.");
    assert!(screen
        .notice
        .as_deref()
        .unwrap()
        .contains("4 items are kept"));
    assert!(!screen.actions[0].enabled);
    assert_eq!(screen.actions[1].label, "Re-enrol this phone");
}

//! Sharing records already captured (the Share screen's "Send", `Session::share_with_team`)
//! is heard by the change listener once, after the share is committed, with the screens it
//! changed: Today, Visit, Shares sent and Sync (the outbox grew). A share refused (an
//! observation about someone else) is not heard. Real store, real directory.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use safeshare_core::app::{
    ChangeCause, ChangeEvent, NewObservationInput, ScreenName, Session, ShareRequest,
};
use safeshare_core::clock::FixedClock;
use safeshare_core::model::{ConcernCategory, Evidence, Severity};
use safeshare_core::secrets::InMemorySecretStore;
use std::sync::Arc;

#[test]
fn a_share_sent_from_the_share_screen_is_heard_once_and_a_refused_one_is_not() {
    let region = region();
    let dir = tempfile::tempdir().unwrap();
    let session = Session::open(
        dir.path().join("field.db"),
        Arc::new(InMemorySecretStore::default()),
        Arc::new(FixedClock::new(utc(2026, 11, 23, 10, 0))),
        identity("Midwife Ash", region.midwifery, "West community midwifery"),
        Some(region.directory.clone()),
    )
    .unwrap();
    let listener = Arc::new(RecordingListener::default());
    session.set_change_listener(Some(listener.clone()));
    let family = family(&session);
    let observe = |about| NewObservationInput {
        about,
        visit: None,
        category: ConcernCategory::Medication,
        severity: Severity::Concern,
        evidence: Evidence::ObservedFact,
        description: "Inhaler expired in August; the repeat prescription lapsed.".into(),
        observed_at: None,
        place: None,
        share: None,
    };
    let seen = session
        .capture_observation(observe(family.baby.id))
        .unwrap();
    assert_eq!(listener.take().len(), 1, "the capture itself is heard");

    let request = ShareRequest {
        team: region.health_visiting,
        message: "Please check the prescription at your next contact.".into(),
        severity: None,
    };
    session
        .share_with_team(family.baby.id, &[seen.record.id], &[], request.clone())
        .unwrap();
    assert_eq!(
        listener.take(),
        vec![ChangeEvent {
            cause: ChangeCause::CaptureStored,
            screens: vec![
                ScreenName::Today,
                ScreenName::Visit,
                ScreenName::SharesSent,
                ScreenName::Sync,
                ScreenName::Share,
            ],
        }]
    );

    // An observation about the mother cannot go in a share about the baby: refused, unheard.
    let other = session
        .capture_observation(observe(family.mother.id))
        .unwrap();
    listener.take();
    assert!(session
        .share_with_team(family.baby.id, &[other.record.id], &[], request)
        .is_err());
    assert!(listener.take().is_empty());
}

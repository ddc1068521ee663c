//! Ending a visit is heard by the change listener once, after the new version is committed,
//! naming Today (which lists a visit not yet ended, even from an earlier day) and Visit. A
//! refused end (already ended) is not heard. Real store, real directory.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use safeshare_core::app::{ChangeCause, ChangeEvent, ScreenName, Session};
use safeshare_core::clock::FixedClock;
use safeshare_core::model::{Place, PlaceKind};
use safeshare_core::secrets::InMemorySecretStore;
use std::sync::Arc;

#[test]
fn an_ended_visit_is_heard_once_and_a_second_end_is_not() {
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
    let family = family(&session);
    let visit = session
        .start_visit(
            family.household.id,
            Place::new(PlaceKind::Home, None).unwrap(),
            vec![],
            None,
        )
        .unwrap();
    let listener = Arc::new(RecordingListener::default());
    session.set_change_listener(Some(listener.clone()));

    let ended = session.end_visit(visit.id, None).unwrap();
    assert_eq!(ended.ended_at, Some(utc(2026, 11, 23, 10, 0)));
    assert_eq!(
        listener.take(),
        vec![ChangeEvent {
            cause: ChangeCause::VisitEnded,
            screens: vec![ScreenName::Today, ScreenName::Visit],
        }]
    );

    assert!(session.end_visit(visit.id, None).is_err());
    assert_eq!(listener.take(), vec![]);
}

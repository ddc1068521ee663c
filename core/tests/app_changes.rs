//! Change notification (issue 17 item 4) on a real store: the listener hears a capture (and
//! the screens it changed), a deadline passing at the instant `check_deadlines` said to check,
//! and can call back into the session from inside the event; a listener that panics changes
//! nothing for the caller and the session carries on.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use safeshare_core::app::{ChangeCause, ChangeEvent, ChangeListener, ScreenName, Session};
use safeshare_core::model::{PersonId, TeamId};
use std::sync::{Arc, Mutex, Weak};

/// Rebuilds Today from inside the event, as a shell's listener may.
struct Redraws {
    session: Mutex<Weak<Session>>,
    attention_rows: Mutex<Vec<usize>>,
}

impl ChangeListener for Redraws {
    fn changed(&self, _: ChangeEvent) {
        let session = self.session.lock().unwrap().upgrade().unwrap();
        let today = session.today_screen().unwrap();
        self.attention_rows
            .lock()
            .unwrap()
            .push(today.attention.len());
    }
}

struct Panics;

impl ChangeListener for Panics {
    fn changed(&self, _: ChangeEvent) {
        panic!("a shell bug");
    }
}

fn capture(session: &Session, about: PersonId, share: Option<TeamId>) {
    session
        .capture_observation(substance_misuse_concern(about, share))
        .unwrap();
}

#[test]
fn a_capture_tells_the_listener_which_screens_changed() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 30));
    let family = family(&midwife.session);
    let recorder = Arc::new(RecordingListener::default());
    midwife.session.set_change_listener(Some(recorder.clone()));

    capture(&midwife.session, family.baby.id, None);
    assert_eq!(
        recorder.take(),
        vec![ChangeEvent {
            cause: ChangeCause::CaptureStored,
            screens: vec![ScreenName::Today, ScreenName::Visit, ScreenName::Checklists],
        }]
    );
    capture(
        &midwife.session,
        family.baby.id,
        Some(region.health_visiting),
    );
    assert_eq!(
        recorder.take(),
        vec![ChangeEvent {
            cause: ChangeCause::CaptureStored,
            screens: vec![
                ScreenName::Today,
                ScreenName::Visit,
                ScreenName::SharesSent,
                ScreenName::Sync,
                ScreenName::Checklists,
                ScreenName::Share
            ],
        }]
    );
    // Removed: told nothing more.
    midwife.session.set_change_listener(None);
    capture(&midwife.session, family.baby.id, None);
    assert!(recorder.take().is_empty());
}

#[test]
fn a_deadline_passing_is_told_at_the_instant_check_deadlines_named() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 30));
    let family = family(&midwife.session);
    let recorder = Arc::new(RecordingListener::default());
    midwife.session.set_change_listener(Some(recorder.clone()));
    // A concern shared at 10:30 on Monday: acknowledgement due 14:30, "due soon" from 12:30.
    capture(
        &midwife.session,
        family.baby.id,
        Some(region.health_visiting),
    );
    recorder.take();

    let first = midwife.session.check_deadlines().unwrap();
    assert!(!first.changed, "the first check only takes note");
    assert_eq!(
        first.next_check_at,
        utc(2026, 11, 23, 10, 45),
        "at most 15 minutes"
    );
    // Nothing changes before 12:30: checks at each instant named find nothing.
    let mut at = first.next_check_at;
    while at < utc(2026, 11, 23, 12, 30) {
        midwife.clock.set(at);
        let check = midwife.session.check_deadlines().unwrap();
        assert!(!check.changed, "nothing changed at {at}");
        at = check.next_check_at;
    }
    assert_eq!(at, utc(2026, 11, 23, 12, 30), "the window opens at 12:30");
    assert!(recorder.take().is_empty());

    midwife.clock.set(at);
    let check = midwife.session.check_deadlines().unwrap();
    assert!(check.changed);
    let events = recorder.take();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].cause, ChangeCause::DeadlinePassed);
    assert!(events[0].screens.contains(&ScreenName::Today));
    assert!(events[0].screens.contains(&ScreenName::SharesSent));
    // Next: 12:45 (the cap) and so on until the due minute, 14:30, when it becomes overdue.
    let mut at = check.next_check_at;
    while at < utc(2026, 11, 23, 14, 30) {
        midwife.clock.set(at);
        let check = midwife.session.check_deadlines().unwrap();
        assert!(!check.changed, "nothing changed at {at}");
        at = check.next_check_at;
    }
    assert_eq!(at, utc(2026, 11, 23, 14, 30));
    midwife.clock.set(at);
    assert!(midwife.session.check_deadlines().unwrap().changed);
    assert_eq!(recorder.take()[0].cause, ChangeCause::DeadlinePassed);
}

#[test]
fn a_listener_can_rebuild_today_from_inside_the_event() {
    let region = region();
    // The directory is kept (bound) until the end: it holds the store's file.
    let Device {
        session,
        clock,
        dir: _dir,
        ..
    } = midwife(&region, utc(2026, 11, 23, 10, 30));
    let session = Arc::new(session);
    let family = family(&session);
    let redraws = Arc::new(Redraws {
        session: Mutex::new(Arc::downgrade(&session)),
        attention_rows: Mutex::new(Vec::new()),
    });
    session.set_change_listener(Some(redraws.clone()));
    capture(&session, family.baby.id, Some(region.health_visiting));
    clock.set(utc(2026, 11, 23, 12, 30));
    session.check_deadlines().unwrap();
    capture(&session, family.baby.id, None);
    // Rebuilt on the capture (nothing due yet), then with the share due soon.
    assert_eq!(*redraws.attention_rows.lock().unwrap(), vec![0, 1]);
}

#[test]
fn a_panicking_listener_leaves_the_capture_stored_and_the_session_usable() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 30));
    let family = family(&midwife.session);
    midwife.session.set_change_listener(Some(Arc::new(Panics)));
    capture(&midwife.session, family.baby.id, None);
    capture(&midwife.session, family.baby.id, None);
    let recorder = Arc::new(RecordingListener::default());
    midwife.session.set_change_listener(Some(recorder.clone()));
    capture(&midwife.session, family.baby.id, None);
    assert_eq!(recorder.take().len(), 1);
    assert_eq!(
        midwife
            .session
            .chronology_for_child(family.baby.id)
            .unwrap()
            .len(),
        3
    );
}

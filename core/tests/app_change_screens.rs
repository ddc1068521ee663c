//! Change events name the later screens (issue 17 item 5): Checklists, Meeting packs,
//! Supervision and Share, on real stores. A concern captured while a handover checklist is
//! open names Checklists and the checklist rebuilt inside the event already counts it; closing
//! that concern names it again; a share names Share; supervision recorded names Meeting packs
//! and Supervision; and a new London day (GMT and BST) is a deadline that names Supervision,
//! at the midnight `check_deadlines` said to check.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use chrono::NaiveDate;
use safeshare_core::app::{
    ChangeCause, ChangeEvent, ChangeListener, NewVoiceNoteInput, ScreenName, Session,
    SupervisionInput,
};
use safeshare_core::casework::checklist::ChecklistKind;
use safeshare_core::casework::supervision::{CaseDiscussed, SupervisionAction};
use safeshare_core::model::{ChecklistId, ExpressionMode, InputMethod};
use safeshare_core::screens::Tone;
use std::sync::{Arc, Mutex, Weak};

/// Notes each event and, as a shell does when Checklists is named, rebuilds the open
/// checklist from inside it.
#[derive(Default)]
struct Listener {
    session: Mutex<Weak<Session>>,
    checklist: Mutex<Option<ChecklistId>>,
    /// Every event heard, in order.
    heard: RecordingListener,
    notices: Mutex<Vec<Option<String>>>,
}

impl ChangeListener for Listener {
    fn changed(&self, event: ChangeEvent) {
        let names_checklists = event.screens.contains(&ScreenName::Checklists);
        self.heard.changed(event);
        let session = self.session.lock().unwrap().upgrade();
        let checklist = *self.checklist.lock().unwrap();
        if let (true, Some(session), Some(id)) = (names_checklists, session, checklist) {
            let screen = session.checklist_screen(id).unwrap();
            self.notices.lock().unwrap().push(screen.notice);
        }
    }
}

impl Listener {
    fn take(&self) -> Vec<ChangeEvent> {
        self.heard.take()
    }
}

#[test]
fn a_concern_captured_while_a_handover_checklist_is_open_names_checklists() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 30));
    let family = family(&midwife.session);
    let session = Arc::new(midwife.session);
    let checklist = session
        .start_checklist(ChecklistKind::Handover, family.baby.id)
        .unwrap();
    let listener = Arc::new(Listener::default());
    *listener.session.lock().unwrap() = Arc::downgrade(&session);
    *listener.checklist.lock().unwrap() = Some(checklist.id);
    session.set_change_listener(Some(listener.clone()));
    assert_eq!(session.checklist_screen(checklist.id).unwrap().notice, None);

    let captured = session
        .capture_observation(substance_misuse_concern(family.baby.id, None))
        .unwrap();
    assert_eq!(
        listener.take(),
        vec![ChangeEvent {
            cause: ChangeCause::CaptureStored,
            screens: vec![ScreenName::Today, ScreenName::Visit, ScreenName::Checklists],
        }]
    );
    // The checklist rebuilt inside the event already counts the late concern.
    let notices = std::mem::take(&mut *listener.notices.lock().unwrap());
    assert_eq!(notices.len(), 1);
    let notice = notices[0].as_deref().expect("the late concern is counted");
    assert!(notice.starts_with("1 concern(s)"), "{notice}");

    // Closing it takes it off again, and says so.
    session
        .close_observation(
            captured.record.id,
            "Seen again: father was on night shifts.",
        )
        .unwrap();
    assert_eq!(
        listener.take(),
        vec![ChangeEvent {
            cause: ChangeCause::ObservationChanged,
            screens: vec![ScreenName::Visit, ScreenName::Checklists],
        }]
    );
    let notices = std::mem::take(&mut *listener.notices.lock().unwrap());
    assert_eq!(notices, vec![None]);

    // A refused change (no reason given) is not heard.
    assert!(session.close_observation(captured.record.id, " ").is_err());
    assert!(listener.take().is_empty());
}

#[test]
fn a_share_names_the_share_screen_and_a_voice_note_does_not_name_checklists() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 30));
    let family = family(&midwife.session);
    let listener = Arc::new(Listener::default());
    midwife.session.set_change_listener(Some(listener.clone()));

    midwife
        .session
        .capture_observation(substance_misuse_concern(
            family.baby.id,
            Some(region.health_visiting),
        ))
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
                ScreenName::Checklists,
                ScreenName::Share,
            ],
        }]
    );

    midwife
        .session
        .capture_voice_note(NewVoiceNoteInput {
            child: family.baby.id,
            visit: None,
            words: "I like it when Nana comes.".into(),
            mode: ExpressionMode::ObservedLivedExperience,
            present: Vec::new(),
            expressed_at: None,
            input: InputMethod::Dictated,
            share: None,
        })
        .unwrap();
    assert_eq!(
        listener.take(),
        vec![ChangeEvent {
            cause: ChangeCause::CaptureStored,
            screens: vec![ScreenName::Today, ScreenName::Visit],
        }]
    );
}

fn agreed(action: &str, due: NaiveDate) -> SupervisionAction {
    SupervisionAction {
        action: action.into(),
        owner: "Health visitor Birch".into(),
        owner_practitioner: None,
        due,
    }
}

/// Supervision recorded names Meeting packs and Supervision; then its action, due on `due`,
/// turns overdue at the London midnight ending that day, which `check_deadlines` names as the
/// instant to check (`midnight`, in UTC) and reports as a deadline naming Supervision.
fn supervision_action_turns_overdue_at_london_midnight(
    start: chrono::DateTime<chrono::Utc>,
    due: NaiveDate,
    midnight: chrono::DateTime<chrono::Utc>,
) {
    let region = region();
    let hv = health_visitor(&region, start);
    let family = family(&hv.session);
    let listener = Arc::new(Listener::default());
    hv.session.set_change_listener(Some(listener.clone()));

    let record = hv
        .session
        .record_supervision(SupervisionInput {
            supervisor: "Alex Lead, named nurse for safeguarding".into(),
            held_at: start,
            cases: vec![CaseDiscussed {
                person: family.baby.id,
                summary: "Home conditions discussed.".into(),
            }],
            actions: vec![agreed("Send the health report to the chair", due)],
        })
        .unwrap();
    assert_eq!(
        listener.take(),
        vec![ChangeEvent {
            cause: ChangeCause::SupervisionRecorded,
            screens: vec![ScreenName::MeetingPacks, ScreenName::Supervision],
        }]
    );
    let row = |hv: &Device| {
        let screen = hv.session.supervision_screen().unwrap();
        let row = screen
            .rows
            .iter()
            .find(|r| r.supervision == record.id)
            .unwrap()
            .actions[0]
            .clone();
        (row.due, row.tone)
    };
    assert_eq!(row(&hv), ("Due today".to_owned(), Tone::DueSoon));

    let first = hv.session.check_deadlines().unwrap();
    assert!(!first.changed, "the first check only takes note");
    let mut at = first.next_check_at;
    while at < midnight {
        hv.clock.set(at);
        let check = hv.session.check_deadlines().unwrap();
        assert!(!check.changed, "nothing changed at {at}");
        at = check.next_check_at;
    }
    assert_eq!(at, midnight, "the next check is at the London midnight");
    assert!(listener.take().is_empty());

    hv.clock.set(at);
    assert!(hv.session.check_deadlines().unwrap().changed);
    let events = listener.take();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].cause, ChangeCause::DeadlinePassed);
    assert!(events[0].screens.contains(&ScreenName::Supervision));
    assert!(events[0].screens.contains(&ScreenName::MeetingPacks));
    assert!(events[0].screens.contains(&ScreenName::Today));
    let (due_words, tone) = row(&hv);
    assert_eq!(tone, Tone::Overdue, "{due_words}");
}

#[test]
fn a_supervision_action_due_today_is_told_overdue_at_midnight_in_gmt() {
    // Monday 23 November 2026, 23:20 GMT: midnight is 00:00 UTC.
    supervision_action_turns_overdue_at_london_midnight(
        utc(2026, 11, 23, 23, 20),
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        utc(2026, 11, 24, 0, 0),
    );
}

#[test]
fn a_supervision_action_due_today_is_told_overdue_at_midnight_in_bst() {
    // Thursday 10 June 2027, 23:20 BST (22:20 UTC): midnight is 23:00 UTC.
    supervision_action_turns_overdue_at_london_midnight(
        utc(2027, 6, 10, 22, 20),
        NaiveDate::from_ymd_opt(2027, 6, 10).unwrap(),
        utc(2027, 6, 10, 23, 0),
    );
}

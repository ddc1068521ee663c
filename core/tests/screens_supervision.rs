//! The Supervision screen as core builds it (issue 17 item 1), on a real store: a conference
//! ahead without oversight listed with "Record supervision for this child", a session recorded
//! in BST and shown after the clocks go back, each agreed action due on a London calendar day
//! (overdue from the next day, due today, due later) and marked done from the screen's action.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use chrono::NaiveDate;
use safeshare_core::app::SupervisionInput;
use safeshare_core::casework::meeting::{MeetingType, NewMeetingPack};
use safeshare_core::casework::supervision::{CaseDiscussed, SupervisionAction};
use safeshare_core::screens::{SupervisionActionKind, Tone};

fn agreed(action: &str, due: NaiveDate) -> SupervisionAction {
    SupervisionAction {
        action: action.into(),
        owner: "Health visitor Birch".into(),
        owner_practitioner: None,
        due,
    }
}

fn day(d: u32, m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, m, d).unwrap()
}

#[test]
fn supervision_lists_conferences_without_oversight_then_sessions_and_their_actions() {
    let region = region();
    // Friday 29 October 2027, 14:00 UTC = 15:00 BST.
    let hv = health_visitor(&region, utc(2027, 10, 29, 14, 0));
    let family = family(&hv.session);
    let baby = family.baby.id;

    let screen = hv.session.supervision_screen().unwrap();
    assert_eq!(screen.title, "Supervision");
    assert_eq!(
        screen.empty.as_deref(),
        Some("No supervision recorded on this phone.")
    );
    assert!(screen.needed.is_empty());
    assert_eq!(screen.actions.len(), 1);
    assert_eq!(
        screen.actions[0].kind,
        SupervisionActionKind::Record { child: None }
    );

    // A conference on Wednesday 3 November at 10:00 GMT, with no supervision yet.
    hv.session
        .prepare_meeting_pack(NewMeetingPack {
            child: baby,
            meeting_type: MeetingType::ChildProtectionConference,
            meeting_at: utc(2027, 11, 3, 10, 0),
            prepared_by: hv.identity.practitioner,
            represents: vec!["health visiting".into()],
        })
        .unwrap();
    let screen = hv.session.supervision_screen().unwrap();
    assert_eq!(
        screen.needed,
        [format!(
            "Child Protection Conference about {CHILD_NAME}, Wed 3 Nov 10:00: Seek \
             safeguarding supervision for this child before the Child Protection Conference: \
             no supervision is recorded."
        )]
    );
    assert_eq!(
        screen.actions[0].kind,
        SupervisionActionKind::Record { child: Some(baby) }
    );
    assert_eq!(screen.actions[0].label, "Record supervision for this child");
    assert!(!screen.actions[0].label.contains(CHILD_NAME));

    // Supervision held today at 14:00 BST, about the child, with three actions.
    let record = hv
        .session
        .record_supervision(SupervisionInput {
            supervisor: "Alex Lead, named nurse for safeguarding".into(),
            held_at: utc(2027, 10, 29, 13, 0),
            cases: vec![CaseDiscussed {
                person: baby,
                summary: "Conference recommendation discussed.".into(),
            }],
            actions: vec![
                agreed("Send the health report to the chair", day(29, 10)),
                agreed("Book a joint visit with the social worker", day(1, 11)),
                agreed("Check the GP has the bruising record", day(4, 11)),
            ],
        })
        .unwrap();
    // A session cannot be recorded as held in the future.
    assert!(hv
        .session
        .record_supervision(SupervisionInput {
            supervisor: "Alex Lead".into(),
            held_at: utc(2027, 10, 29, 15, 0),
            cases: vec![CaseDiscussed {
                person: baby,
                summary: "Later.".into(),
            }],
            actions: vec![],
        })
        .is_err());

    // Monday 1 November, 09:00 GMT (the clocks went back on Sunday).
    hv.clock.set(utc(2027, 11, 1, 9, 0));
    let screen = hv.session.supervision_screen().unwrap();
    assert!(
        screen.needed.is_empty(),
        "the child was discussed: {:?}",
        screen.needed
    );
    assert_eq!(screen.actions.len(), 1);
    assert_eq!(screen.empty, None);
    let row = &screen.rows[0];
    assert_eq!(row.supervision, record.id);
    assert_eq!(
        row.title,
        "Supervision with Alex Lead, named nurse for safeguarding"
    );
    assert_eq!(row.held, "Held Fri 29 Oct 14:00");
    assert_eq!(
        row.cases,
        [format!(
            "{CHILD_NAME}: Conference recommendation discussed."
        )]
    );
    let dues: Vec<(&str, Tone)> = row
        .actions
        .iter()
        .map(|a| (a.due.as_str(), a.tone))
        .collect();
    assert_eq!(
        dues,
        [
            ("Was due Fri 29 Oct", Tone::Overdue),
            ("Due today", Tone::DueSoon),
            ("Due Thu 4 Nov", Tone::Waiting),
        ]
    );
    assert_eq!(row.tone, Tone::Overdue);
    assert_eq!(row.actions[0].owner, "Health visitor Birch");
    let mark = &row.actions[0].actions[0];
    assert_eq!(mark.label, "Mark done");
    assert_eq!(
        mark.kind,
        SupervisionActionKind::MarkActionDone {
            supervision: record.id,
            index: 0
        }
    );

    // The shell's tap: the call the action names.
    let SupervisionActionKind::MarkActionDone { supervision, index } = mark.kind.clone() else {
        unreachable!()
    };
    hv.session
        .mark_supervision_action_done(supervision, index as usize)
        .unwrap();
    let row = &hv.session.supervision_screen().unwrap().rows[0];
    assert_eq!(
        row.actions[0].due,
        "Done today 09:00 by Health visitor Birch"
    );
    assert_eq!(row.actions[0].tone, Tone::Done);
    assert!(row.actions[0].actions.is_empty());
    assert_eq!(row.tone, Tone::DueSoon);
    // Marking it again is refused.
    assert!(hv
        .session
        .mark_supervision_action_done(supervision, 0)
        .is_err());
    assert!(hv
        .session
        .mark_supervision_action_done(supervision, 7)
        .is_err());
}

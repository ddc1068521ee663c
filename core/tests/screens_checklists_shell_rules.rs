//! Issue 17 item 5 (the last rules out of the shells): whether a checklist item's "Done" asks
//! for a note is core's flag on the action (`MarkDone::needs_note`), not the shells' guess from
//! whether the action has a `detail` line. Checked against the call itself: an item whose Done
//! says no note is recorded with none, and one that says a note is refused without it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use safeshare_core::app::AppError;
use safeshare_core::casework::checklist::{ChecklistKind, DoneDetail};
use safeshare_core::screens::ChecklistActionKind;

#[test]
fn done_says_whether_it_needs_a_note_and_the_call_agrees() {
    let region = region();
    let midwife = midwife(&region, utc(2027, 3, 27, 12, 0));
    let family = family(&midwife.session);
    let mut with_note = 0;
    for kind in [
        ChecklistKind::Admission,
        ChecklistKind::Handover,
        ChecklistKind::Discharge,
    ] {
        let checklist = midwife
            .session
            .start_checklist(kind, family.baby.id)
            .unwrap();
        let screen = midwife.session.checklist_screen(checklist.id).unwrap();
        for item in &screen.items {
            for action in &item.actions {
                let ChecklistActionKind::MarkDone {
                    checklist,
                    key,
                    needs_note,
                } = &action.kind
                else {
                    continue;
                };
                assert_eq!(
                    *needs_note,
                    item.needs == "Needs a note of what was done",
                    "{}: {}",
                    item.key,
                    item.needs
                );
                let done = midwife.session.checklist_mark_done(
                    *checklist,
                    key,
                    DoneDetail {
                        note: None,
                        contacts: Vec::new(),
                    },
                );
                if *needs_note {
                    with_note += 1;
                    assert!(
                        matches!(done, Err(AppError::Validation { .. })),
                        "{key}: {done:?}"
                    );
                } else {
                    assert!(done.is_ok(), "{key}: {done:?}");
                }
            }
        }
    }
    // The built-in templates' plain Done items all record a note today; the flag is still
    // false for an item that needs nothing (`DetailKind::None`, e.g. a custom template's).
    assert!(with_note > 0, "some item needs a note");
}

//! Issue 17 item 5 (the last rules out of the shells): whether a checklist item's "Done" asks
//! for a note is core's flag on the action (`MarkDone::needs_note`), not the shells' guess from
//! whether the action has a `detail` line; and the contact picker's Record button is enabled by
//! core for the contacts the shell passes back as chosen, not by the shells' own "at least one
//! chosen". Each is checked against the call it leads to.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use chrono::NaiveDate;
use safeshare_core::app::AppError;
use safeshare_core::casework::checklist::{ChecklistKind, ContactRef, DoneDetail};
use safeshare_core::casework::team_around_child::{NewInvolvement, ProfessionalRole};
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

/// The contact picker's Record button is core's: disabled with nothing chosen, disabled with
/// why for a chosen contact the item refuses (a typed-in nurse with no out-of-hours number on
/// an out-of-hours item), enabled for accepted ones, and its contacts are the ones the call
/// then accepts.
#[test]
fn the_pickers_record_is_enabled_by_core_for_the_chosen_contacts() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let family = family(&midwife.session);
    let baby = family.baby.id;
    let nurse = ContactRef::Captured {
        name: "Nurse Rowan".into(),
        role: "family nurse, Fictional Family Nurse Partnership".into(),
        phone: "0113 496 0501".into(),
        out_of_hours_phone: None,
    };
    midwife
        .session
        .team_around_child()
        .involve(
            baby,
            NewInvolvement {
                contact: nurse.clone(),
                professional_name: None,
                role: ProfessionalRole::Other("family nurse".into()),
                leads_on: String::new(),
                from: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            },
        )
        .unwrap();
    let checklist = midwife
        .session
        .start_checklist(ChecklistKind::Handover, baby)
        .unwrap();
    let key = "acute_has_community_numbers";

    let none = midwife
        .session
        .checklist_contact_picker(checklist.id, key, "east", &[])
        .unwrap();
    assert!(!none.record.enabled);
    assert_eq!(
        none.record.detail.as_deref(),
        Some("Choose at least one contact.")
    );
    assert_eq!(none.record.label, "Record the chosen contacts");
    let east = none.found[0].contact.clone();

    let with_nurse = midwife
        .session
        .checklist_contact_picker(checklist.id, key, "east", &[east.clone(), nurse.clone()])
        .unwrap();
    assert!(!with_nurse.record.enabled);
    assert_eq!(
        with_nurse.record.detail.as_deref(),
        Some("No out-of-hours number recorded for this contact")
    );
    // The call agrees: the nurse is refused.
    assert!(midwife
        .session
        .checklist_mark_done(
            checklist.id,
            key,
            DoneDetail {
                note: None,
                contacts: vec![east.clone(), nurse],
            },
        )
        .is_err());

    let accepted = midwife
        .session
        .checklist_contact_picker(checklist.id, key, "", std::slice::from_ref(&east))
        .unwrap();
    assert!(accepted.record.enabled);
    assert_eq!(accepted.record.detail, None);
    let ChecklistActionKind::RecordContacts { contacts, .. } = &accepted.record.kind else {
        panic!("record is {:?}", accepted.record.kind);
    };
    assert_eq!(contacts, &vec![east]);
    midwife
        .session
        .checklist_mark_done(
            checklist.id,
            key,
            DoneDetail {
                note: None,
                contacts: contacts.clone(),
            },
        )
        .unwrap();
}

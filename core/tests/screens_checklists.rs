//! The Checklists screens as core builds them (issue 17 item 1), on a real store: a required
//! contacts item closed in one tap from the team around the child (neither shell could close
//! one before), the picker offering the team around the child first and the directory second,
//! an out-of-hours item refusing a contact with no out-of-hours number before the call is made,
//! and a concern captured after a handover checklist was started counted on the screen. Times
//! are London's across the spring clock change (Sunday 28 March 2027) and the autumn one (Sunday 31 October 2027).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use chrono::NaiveDate;
use safeshare_core::app::NewObservationInput;
use safeshare_core::casework::checklist::{ChecklistKind, ContactRef, DoneDetail};
use safeshare_core::casework::team_around_child::{NewInvolvement, ProfessionalRole};
use safeshare_core::model::{ConcernCategory, Evidence, PersonId, Severity, TeamId};
use safeshare_core::screens::{ChecklistActionKind, Tone};

fn involve(device: &Device, child: PersonId, contact: ContactRef, role: ProfessionalRole) {
    device
        .session
        .team_around_child()
        .involve(
            child,
            NewInvolvement {
                contact,
                professional_name: None,
                role,
                leads_on: String::new(),
                from: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            },
        )
        .unwrap();
}

fn directory_team(team: TeamId) -> ContactRef {
    ContactRef::Directory {
        team,
        label: String::new(),
    }
}

fn concern(device: &Device, about: PersonId, category: ConcernCategory) {
    device
        .session
        .capture_observation(NewObservationInput {
            about,
            visit: None,
            category,
            severity: Severity::Concern,
            evidence: Evidence::ObservedFact,
            description: "Inhaler out of date; mother says the repeat prescription lapsed.".into(),
            observed_at: None,
            place: None,
            share: None,
        })
        .unwrap();
}

#[test]
fn a_required_contacts_item_is_done_in_one_tap_from_the_team_around_the_child() {
    let region = region();
    // Saturday 27 March 2027, 12:00 GMT (the clocks go forward overnight).
    let midwife = midwife(&region, utc(2027, 3, 27, 12, 0));
    let family = family(&midwife.session);
    let baby = family.baby.id;

    let list = midwife.session.checklists_screen(baby).unwrap();
    assert_eq!(list.title, "Checklists");
    assert_eq!(list.person, CHILD_NAME);
    assert_eq!(
        list.empty.as_deref(),
        Some("No checklists for this person yet.")
    );
    let labels: Vec<&str> = list.actions.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Start admission checklist",
            "Start handover checklist",
            "Start discharge planning checklist"
        ]
    );
    assert!(list.actions.iter().all(|a| a.enabled));
    assert_eq!(
        list.actions[0].kind,
        ChecklistActionKind::Start {
            kind: ChecklistKind::Admission,
            person: baby
        }
    );

    let checklist = midwife
        .session
        .start_checklist(ChecklistKind::Admission, baby)
        .unwrap();
    let list = midwife.session.checklists_screen(baby).unwrap();
    assert_eq!(list.rows.len(), 1);
    assert_eq!(list.rows[0].title, "Admission");
    assert_eq!(list.rows[0].started, "Started today 12:00 by Midwife Ash");
    assert_eq!(list.rows[0].status, "2 of 2 required items open");
    assert_eq!(list.rows[0].tone, Tone::ActionNeeded);
    assert_eq!(
        list.rows[0].actions[0].kind,
        ChecklistActionKind::Open {
            checklist: checklist.id
        }
    );
    // A second admission checklist would split what was recorded: offered, but not enabled.
    assert!(!list.actions[0].enabled);
    assert_eq!(
        list.actions[0].detail.as_deref(),
        Some("An admission checklist is already open: carry on with it.")
    );
    assert!(list.actions[1].enabled);

    // With no one in the team around the child, the one-tap action says why it cannot run,
    // and the picker is offered.
    let screen = midwife.session.checklist_screen(checklist.id).unwrap();
    let contacts_item = &screen.items[0];
    assert_eq!(contacts_item.key, "out_of_area_health_contacts");
    assert!(contacts_item.required);
    assert_eq!(contacts_item.needs, "Needs at least one contact");
    assert_eq!(contacts_item.state, "Open");
    assert_eq!(contacts_item.tone, Tone::ActionNeeded);
    let one_tap = &contacts_item.actions[0];
    assert_eq!(one_tap.label, "Record the team around the child (0)");
    assert!(!one_tap.enabled);
    assert_eq!(
        one_tap.detail.as_deref(),
        Some("No one is recorded in the team around the child: choose contacts instead.")
    );
    assert_eq!(
        contacts_item.actions[1].kind,
        ChecklistActionKind::PickContacts {
            checklist: checklist.id,
            key: "out_of_area_health_contacts".into()
        }
    );
    assert_eq!(contacts_item.actions[2].label, "Not applicable");
    assert_eq!(screen.items[2].state, "Open (optional)");
    assert_eq!(screen.items[2].tone, Tone::Waiting);
    let complete = &screen.actions[0];
    assert_eq!(
        complete.kind,
        ChecklistActionKind::Complete {
            checklist: checklist.id
        }
    );
    assert!(!complete.enabled);
    assert!(complete
        .detail
        .as_deref()
        .unwrap()
        .starts_with("Every required item must be done or not applicable first. Open: Contact details of out-of-area health staff involved"));

    // Monday 29 March, 09:00 UTC = 10:00 BST: the health visiting team joins the team around
    // the child; the one-tap action now carries its contact.
    midwife.clock.set(utc(2027, 3, 29, 9, 0));
    involve(
        &midwife,
        baby,
        directory_team(region.health_visiting),
        ProfessionalRole::HealthVisitor,
    );
    let screen = midwife.session.checklist_screen(checklist.id).unwrap();
    assert_eq!(screen.started, "Started Sat 27 Mar 12:00 by Midwife Ash");
    let one_tap = screen.items[0].actions[0].clone();
    assert_eq!(one_tap.label, "Record the team around the child (1)");
    assert!(one_tap.enabled);
    assert_eq!(one_tap.detail.as_deref(), Some("East health visiting"));
    let ChecklistActionKind::RecordContacts {
        checklist: id,
        key,
        contacts,
    } = one_tap.kind
    else {
        panic!("the one-tap action records contacts: {:?}", one_tap.kind);
    };
    assert_eq!(
        contacts,
        [ContactRef::Directory {
            team: region.health_visiting,
            label: "East health visiting".into()
        }]
    );

    // The shell's tap: exactly the call the action names.
    midwife
        .session
        .checklist_mark_done(
            id,
            &key,
            DoneDetail {
                note: None,
                contacts,
            },
        )
        .unwrap();
    let screen = midwife.session.checklist_screen(checklist.id).unwrap();
    let item = &screen.items[0];
    assert_eq!(item.state, "Done today 10:00 by Midwife Ash");
    assert_eq!(item.tone, Tone::Done);
    assert_eq!(
        item.recorded,
        [
            "East health visiting: In hours 0113 496 0201 · Out of hours 0113 496 0202 · \
          Switchboard 0113 496 0900"
        ]
    );
    assert!(item.actions.is_empty(), "a closed item offers nothing");
    assert_eq!(screen.status, "1 of 2 required items open");

    // The text item, then completion.
    let text_item = &screen.items[1];
    assert_eq!(text_item.needs, "Needs a note of what was done");
    assert_eq!(
        text_item.actions[0].detail.as_deref(),
        Some("Write what was done.")
    );
    midwife
        .session
        .checklist_mark_done(
            checklist.id,
            &text_item.key,
            DoneDetail {
                note: Some("Not open to children's social care (checked with the MASH).".into()),
                contacts: vec![],
            },
        )
        .unwrap();
    let screen = midwife.session.checklist_screen(checklist.id).unwrap();
    assert_eq!(screen.status, "Ready to complete");
    assert!(screen.actions[0].enabled);
    assert_eq!(screen.actions[0].detail, None);
    midwife.clock.set(utc(2027, 3, 29, 9, 5));
    midwife.session.complete_checklist(checklist.id).unwrap();
    let screen = midwife.session.checklist_screen(checklist.id).unwrap();
    assert_eq!(screen.status, "Complete today 10:05 by Midwife Ash");
    assert_eq!(screen.tone, Tone::Done);
    assert!(screen.actions.is_empty());
    assert!(screen.items.iter().all(|i| i.actions.is_empty()));
    // The optional item stays open, visibly, after completion.
    assert_eq!(screen.items[2].state, "Open (optional)");

    // The list: the admission checklist can be started again now the first is complete.
    let list = midwife.session.checklists_screen(baby).unwrap();
    assert_eq!(list.rows[0].status, "Complete today 10:05 by Midwife Ash");
    assert!(list.actions[0].enabled);
}

#[test]
fn an_out_of_hours_item_shows_which_contacts_it_would_refuse_before_the_call() {
    let region = region();
    // Tuesday 1 December 2026, 10:00 GMT.
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let family = family(&midwife.session);
    let baby = family.baby.id;
    // A family nurse typed in without an out-of-hours number.
    involve(
        &midwife,
        baby,
        ContactRef::Captured {
            name: "Nurse Rowan".into(),
            role: "family nurse, Fictional Family Nurse Partnership".into(),
            phone: "0113 496 0501".into(),
            out_of_hours_phone: None,
        },
        ProfessionalRole::Other("family nurse".into()),
    );
    let checklist = midwife
        .session
        .start_checklist(ChecklistKind::Handover, baby)
        .unwrap();
    let screen = midwife.session.checklist_screen(checklist.id).unwrap();
    let item = &screen.items[0];
    assert_eq!(item.key, "acute_has_community_numbers");
    assert_eq!(
        item.needs,
        "Needs at least one contact, each with an out-of-hours number"
    );
    let one_tap = &item.actions[0];
    assert!(!one_tap.enabled);
    assert_eq!(
        one_tap.detail.as_deref(),
        Some("No out-of-hours number for: Nurse Rowan. Choose contacts instead.")
    );

    // The picker: the team around the child first (the nurse, disabled with why), then the
    // directory's teams matching the query.
    let picker = midwife
        .session
        .checklist_contact_picker(checklist.id, &item.key, "", &[])
        .unwrap();
    assert_eq!(
        picker.title,
        "Contacts for: The acute team has the community team's contact numbers, including out \
         of hours"
    );
    assert_eq!(picker.suggested.len(), 1);
    let nurse = &picker.suggested[0];
    assert_eq!(nurse.title, "Nurse Rowan");
    assert_eq!(nurse.numbers, "In hours 0113 496 0501");
    assert!(!nurse.enabled);
    assert_eq!(
        nurse.detail.as_deref(),
        Some("No out-of-hours number recorded for this contact")
    );
    assert!(picker.found.is_empty());
    assert_eq!(
        picker.empty.as_deref(),
        Some("Type a team or organisation to find it in the directory.")
    );
    assert_eq!(
        picker.warning.as_deref(),
        Some("SAMPLE DIRECTORY: fictional numbers, not for real calls")
    );
    assert_eq!(
        picker.type_in,
        "Not in the directory: type a name, a role, a phone number and an out-of-hours number."
    );

    let picker = midwife
        .session
        .checklist_contact_picker(checklist.id, &item.key, "east", &[])
        .unwrap();
    assert_eq!(picker.found.len(), 1);
    let east = &picker.found[0];
    assert_eq!(east.title, "East health visiting");
    assert_eq!(east.subtitle, "Fictional East Trust · health visiting");
    assert!(east.enabled);
    assert_eq!(east.detail, None);
    // Choosing it closes the item: the call the picker's choice leads to accepts it.
    midwife
        .session
        .checklist_mark_done(
            checklist.id,
            &item.key,
            DoneDetail {
                note: None,
                contacts: vec![east.contact.clone()],
            },
        )
        .unwrap();
    // And the nurse the picker disabled is refused by the call too: the screen said so first.
    let refused = midwife.session.checklist_mark_done(
        checklist.id,
        "community_has_acute_numbers",
        DoneDetail {
            note: None,
            contacts: vec![nurse.contact.clone()],
        },
    );
    assert!(refused.is_err(), "{refused:?}");

    // A text item has no picker.
    assert!(midwife
        .session
        .checklist_contact_picker(checklist.id, "handover_received_by", "", &[])
        .is_err());
}

#[test]
fn a_concern_captured_after_a_handover_checklist_started_is_counted_before_completion() {
    let region = region();
    // Sunday 31 October 2027, 00:30 UTC = 01:30 BST, the first of the two 01:30s.
    let midwife = midwife(&region, utc(2027, 10, 31, 0, 30));
    let family = family(&midwife.session);
    let baby = family.baby.id;
    concern(&midwife, baby, ConcernCategory::Medication);
    let checklist = midwife
        .session
        .start_checklist(ChecklistKind::Handover, baby)
        .unwrap();
    let screen = midwife.session.checklist_screen(checklist.id).unwrap();
    assert_eq!(screen.started, "Started today 01:30 BST by Midwife Ash");
    assert_eq!(screen.items.len(), 4);
    assert!(screen.items[3]
        .text
        .starts_with("Hand over concern: medication"));
    assert_eq!(screen.status, "4 of 4 required items open");
    assert_eq!(screen.notice, None);

    // 01:30 GMT, an hour later: another concern.
    midwife.clock.set(utc(2027, 10, 31, 1, 30));
    concern(&midwife, baby, ConcernCategory::WasNotBrought);
    for item in &screen.items {
        midwife
            .session
            .checklist_mark_not_applicable(checklist.id, &item.key, "Handed over by phone.")
            .unwrap();
    }
    let screen = midwife.session.checklist_screen(checklist.id).unwrap();
    assert!(screen.items[0]
        .state
        .starts_with("Not applicable (today 01:30 GMT by Midwife Ash): Handed over by phone."));
    assert_eq!(screen.status, "1 of 5 required items open");
    assert_eq!(
        screen.notice.as_deref(),
        Some(&*format!(
            "1 concern(s) about {CHILD_NAME} captured since this checklist was started must be \
             handed over too: Complete adds them to the list."
        ))
    );
    // The person's list says the same: never "Ready to complete" while a concern is missing.
    let list = midwife.session.checklists_screen(baby).unwrap();
    assert_eq!(list.rows[0].status, "1 of 5 required items open");
    // Complete stays pressable (it is what adds the concern), and says what it will do.
    assert!(screen.actions[0].enabled);
    assert_eq!(
        screen.actions[0].detail.as_deref(),
        Some(
            "Adds the 1 concern(s) captured since it was started; hand them over before it can \
             complete."
        )
    );
    assert!(midwife.session.complete_checklist(checklist.id).is_err());
    let screen = midwife.session.checklist_screen(checklist.id).unwrap();
    assert_eq!(screen.items.len(), 5);
    assert_eq!(screen.notice, None);
    assert_eq!(screen.status, "1 of 5 required items open");
    assert!(!screen.actions[0].enabled);
}

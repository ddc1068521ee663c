//! The casework forms (issue 17 item 3: prepare a meeting pack, record supervision, amend an
//! observation) on real SQLite stores: each field's label in order, what is required, Save's
//! enabled state and why not, the refusals worded in core, typed London times across both clock
//! changes and at London midnight, and nothing written when Save is disabled.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::casework_forms::{field, observe, typed};
use app_support::*;
use safeshare_core::app::AppError;
use safeshare_core::casework::meeting::MeetingType;
use safeshare_core::model::{ConcernCategory, PersonDetails, PersonId, PersonRole, Severity};
use safeshare_core::screens::{
    CaseworkChoice, CaseworkFieldKey, CaseworkFormDraft, CaseworkFormItem, CaseworkFormKind,
    CaseworkFormScreen,
};

fn labels(screen: &CaseworkFormScreen) -> Vec<String> {
    screen
        .items
        .iter()
        .map(|i| match i {
            CaseworkFormItem::Field { field } => field.label.clone(),
            CaseworkFormItem::Choices { list } => list.label.clone(),
            CaseworkFormItem::Shown { label, .. } => label.clone(),
        })
        .collect()
}

fn refused_as_incomplete(result: Result<impl std::fmt::Debug, AppError>) {
    match result {
        Err(AppError::Validation { field, .. }) => assert_eq!(field, "form"),
        other => panic!("expected the form refused, got {other:?}"),
    }
}

/// A family whose child was born before every date these tests run at (the shared fixture's
/// baby is born in November 2026).
fn family(session: &safeshare_core::app::Session) -> Family {
    let household = session
        .add_household(Some("1 Fictional Row, Leeds".into()))
        .unwrap();
    let person = |role, name: &str, born| {
        session
            .add_person(
                household.id,
                role,
                PersonDetails {
                    name: Some(name.into()),
                    date_of_birth: born,
                    ..PersonDetails::default()
                },
            )
            .unwrap()
    };
    let mother = person(PersonRole::MotherOrBirthingParent, MOTHER_NAME, None);
    let baby = person(
        PersonRole::Child,
        CHILD_NAME,
        chrono::NaiveDate::from_ymd_opt(2025, 6, 1),
    );
    Family {
        household,
        mother,
        baby,
    }
}

fn pack_form(child: PersonId) -> CaseworkFormDraft {
    CaseworkFormDraft::new(CaseworkFormKind::PrepareMeetingPack { child })
}

#[test]
fn a_meeting_pack_form_asks_in_order_and_saves_only_when_complete() {
    let region = region();
    // Monday 30 November 2026, 09:00 GMT.
    let midwife = midwife(&region, utc(2026, 11, 30, 9, 0));
    let family = family(&midwife.session);
    let baby = family.baby.id;
    let s = &midwife.session;

    let draft = pack_form(baby);
    let screen = s.casework_form(&draft).unwrap();
    assert_eq!(screen.title, "Prepare a meeting pack");
    assert!(screen.about.starts_with(CHILD_NAME));
    assert_eq!(
        labels(&screen),
        [
            "Meeting",
            "Meeting at",
            "What you represent",
            "Health staff in the pack"
        ]
    );
    let CaseworkFormItem::Choices { list } = &screen.items[0] else {
        panic!("the meeting type first");
    };
    assert!(list.required && !list.multiple);
    let offered: Vec<&str> = list.options.iter().map(|o| o.label.as_str()).collect();
    assert_eq!(
        offered,
        [
            "Strategy Discussion",
            "Child Protection Conference",
            "Core Group",
            "Child in Need meeting",
            "Early Help meeting",
            "Review of Arrangements"
        ]
    );
    assert!(list.options.iter().all(|o| !o.selected));
    assert!(!screen.save_enabled);
    assert_eq!(screen.save_detail, "Choose the meeting.");
    assert_eq!(screen.save_label, "Prepare pack");
    let at = field(&screen, &CaseworkFieldKey::MeetingAt);
    assert!(at.required);
    assert_eq!(at.shown.as_deref(), Some("Not given"));
    assert!(at.hint.contains("London time, written YYYY-MM-DD HH:MM"));
    // No health staff yet: the form says where to add them.
    let CaseworkFormItem::Shown { text, .. } = &screen.items[3] else {
        panic!("health staff shown last");
    };
    assert!(text.starts_with("No health staff"));
    // Save refuses what Save's button would not allow, and writes nothing.
    refused_as_incomplete(s.save_casework_form(&draft));

    let draft = draft.with_choice(CaseworkChoice::MeetingType {
        meeting_type: MeetingType::CoreGroup,
    });
    let screen = s.casework_form(&draft).unwrap();
    assert_eq!(screen.save_detail, "Fill in \"Meeting at\".");
    let draft = typed(draft, CaseworkFieldKey::MeetingAt, "2026-12-03 10:00");
    let screen = s.casework_form(&draft).unwrap();
    assert_eq!(
        field(&screen, &CaseworkFieldKey::MeetingAt)
            .shown
            .as_deref(),
        Some("Thu 3 Dec 10:00")
    );
    assert_eq!(
        screen.save_detail,
        "Say which parts of the child's care you represent."
    );
    // Separators alone represent nothing.
    let draft = typed(draft, CaseworkFieldKey::Represents, " ; \n ;");
    assert!(!s.casework_form(&draft).unwrap().save_enabled);
    refused_as_incomplete(s.save_casework_form(&draft));
    assert!(s.meeting_packs_for(baby).unwrap().is_empty());

    let draft = typed(
        draft,
        CaseworkFieldKey::Represents,
        "midwifery; infant feeding",
    );
    let screen = s.casework_form(&draft).unwrap();
    assert!(screen.save_enabled, "{}", screen.save_detail);
    assert_eq!(
        screen.save_detail,
        "Gathers the child's chronology into the meeting's sections."
    );
    let saved = s.save_casework_form(&draft).unwrap();
    assert_eq!(saved.message, "Pack prepared: Core Group, Thu 3 Dec 10:00");
    let packs = s.meeting_packs_for(baby).unwrap();
    assert_eq!(packs.len(), 1);
    assert_eq!(Some(packs[0].id), saved.pack);
    assert_eq!(packs[0].meeting_type, MeetingType::CoreGroup);
    assert_eq!(packs[0].meeting_at, utc(2026, 12, 3, 10, 0));
    assert_eq!(packs[0].represents, ["midwifery", "infant feeding"]);
    assert_eq!(packs[0].prepared_by, midwife.identity.practitioner);
    // Read back through the screen records.
    let screen = s.meeting_packs_screen(baby).unwrap();
    assert_eq!(screen.rows[0].meeting, "Thu 3 Dec 10:00");

    // Health staff from the team around the child are named on the form.
    team::involve_health_visitor(&s.team_around_child(), &region, baby);
    let screen = s.casework_form(&pack_form(baby)).unwrap();
    let CaseworkFormItem::Shown { text, .. } = &screen.items[3] else {
        panic!("health staff shown last");
    };
    assert!(text.starts_with("From the team around the child"), "{text}");
    assert!(text.contains("East"), "{text}");
}

#[test]
fn a_meeting_pack_is_for_a_child() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 30, 9, 0));
    let family = family(&midwife.session);
    match midwife.session.casework_form(&pack_form(family.mother.id)) {
        Err(AppError::Validation { field, .. }) => assert_eq!(field, "child"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn meeting_times_are_london_times_across_the_spring_change() {
    let region = region();
    // Saturday 28 March 2026, 10:00 GMT; the clocks go forward at 01:00 GMT on Sunday.
    let midwife = midwife(&region, utc(2026, 3, 28, 10, 0));
    let family = family(&midwife.session);
    let s = &midwife.session;
    let ready = typed(
        pack_form(family.baby.id).with_choice(CaseworkChoice::MeetingType {
            meeting_type: MeetingType::StrategyDiscussion,
        }),
        CaseworkFieldKey::Represents,
        "midwifery",
    );
    let at = |typed_at: &str| {
        let draft = typed(ready.clone(), CaseworkFieldKey::MeetingAt, typed_at);
        let screen = s.casework_form(&draft).unwrap();
        (field(&screen, &CaseworkFieldKey::MeetingAt), screen, draft)
    };

    // 01:30 on the Sunday does not exist in London: refused, never moved.
    let (skipped, screen, draft) = at("2026-03-29 01:30");
    assert_eq!(
        skipped.problem.as_deref(),
        Some(
            "There is no such time on 29 Mar 2026 in London: the clocks go forward from 01:00 \
             to 02:00. Check the time."
        )
    );
    assert_eq!(skipped.shown.as_deref(), Some("Not a date and time"));
    assert!(!screen.save_enabled);
    assert!(screen
        .save_detail
        .starts_with("Meeting at: There is no such time"));
    refused_as_incomplete(s.save_casework_form(&draft));
    assert!(s.meeting_packs_for(family.baby.id).unwrap().is_empty());

    // Malformed, too long ago, too far ahead.
    for (typed_at, problem) in [
        (
            "29/03/2026 10:00",
            "Write the date and time as YYYY-MM-DD HH:MM",
        ),
        (
            "2026-3-30 10:00",
            "Write the date and time as YYYY-MM-DD HH:MM",
        ),
        ("2026-03-20 10:00", "More than 7 days ago"),
        ("2027-04-01 10:00", "More than a year ahead"),
    ] {
        let (f, screen, _) = at(typed_at);
        assert!(
            f.problem.as_deref().unwrap_or("").starts_with(problem),
            "{typed_at}: {:?}",
            f.problem
        );
        assert!(!screen.save_enabled, "{typed_at}");
    }
    // Exactly 7 days ago is still allowed (a pack to record what was shared).
    let (f, _, _) = at("2026-03-21 10:00");
    assert_eq!(f.problem, None);

    // After the change, London is an hour ahead of UTC: 10:00 BST is 09:00 UTC, and London
    // midnight on the Monday is 23:00 UTC on the Sunday.
    let (f, screen, draft) = at("2026-03-30 00:00");
    assert_eq!(f.problem, None);
    assert_eq!(f.shown.as_deref(), Some("Mon 30 Mar 00:00"));
    assert!(screen.save_enabled);
    s.save_casework_form(&draft).unwrap();
    let (_, _, draft) = at("2026-03-29 10:00");
    s.save_casework_form(&draft).unwrap();
    let times: Vec<_> = s
        .meeting_packs_for(family.baby.id)
        .unwrap()
        .iter()
        .map(|p| p.meeting_at)
        .collect();
    assert_eq!(times, [utc(2026, 3, 29, 9, 0), utc(2026, 3, 29, 23, 0)]);
}

#[test]
fn the_autumn_hour_that_happens_twice_is_read_as_the_earlier_and_the_form_says_so() {
    let region = region();
    // Saturday 24 October 2026, 12:00 BST.
    let midwife = midwife(&region, utc(2026, 10, 24, 11, 0));
    let family = family(&midwife.session);
    let s = &midwife.session;
    let draft = typed(
        typed(
            pack_form(family.baby.id).with_choice(CaseworkChoice::MeetingType {
                meeting_type: MeetingType::StrategyDiscussion,
            }),
            CaseworkFieldKey::Represents,
            "midwifery",
        ),
        CaseworkFieldKey::MeetingAt,
        "2026-10-25 01:30",
    );
    let screen = s.casework_form(&draft).unwrap();
    let f = field(&screen, &CaseworkFieldKey::MeetingAt);
    assert_eq!(f.problem, None);
    assert_eq!(
        f.shown.as_deref(),
        Some(
            "tomorrow 01:30 BST (this time happens twice the night the clocks go back: read \
             as the first, in summer time)"
        )
    );
    s.save_casework_form(&draft).unwrap();
    assert_eq!(
        s.meeting_packs_for(family.baby.id).unwrap()[0].meeting_at,
        utc(2026, 10, 25, 0, 30),
        "01:30 BST, the earlier of the two"
    );
}

fn supervision(child: Option<PersonId>) -> CaseworkFormDraft {
    CaseworkFormDraft::new(CaseworkFormKind::RecordSupervision { child })
}

#[test]
fn supervision_needs_a_supervisor_a_past_time_a_child_discussed_and_whole_actions() {
    let region = region();
    // Sunday 25 October 2026, 12:00 GMT: the clocks went back at 01:00 UTC this morning.
    let hv = health_visitor(&region, utc(2026, 10, 25, 12, 0));
    let family = family(&hv.session);
    let baby = family.baby.id;
    let s = &hv.session;

    let draft = supervision(None);
    let screen = s.casework_form(&draft).unwrap();
    assert_eq!(screen.title, "Record supervision");
    assert_eq!(screen.about, "Health visitor Birch");
    assert_eq!(
        labels(&screen),
        [
            "Supervisor",
            "Held at",
            "Find a child",
            "Children discussed",
            "Action 1",
            "Action 1: who does it",
            "Action 1: due by"
        ]
    );
    assert_eq!(screen.save_detail, "Fill in \"Supervisor\".");
    // An unused action row is not required.
    assert!(!field(&screen, &CaseworkFieldKey::ActionText { index: 0 }).required);
    let CaseworkFormItem::Choices { list } = &screen.items[3] else {
        panic!("children discussed");
    };
    assert!(list.multiple && list.required && list.options.is_empty());
    assert_eq!(
        list.empty.as_deref(),
        Some("Type a name above to find the children discussed.")
    );

    let draft = typed(
        draft,
        CaseworkFieldKey::Supervisor,
        "Alex Lead, named nurse for safeguarding",
    );
    // Not in the future: 12:30 today is after now.
    let draft = typed(draft, CaseworkFieldKey::HeldAt, "2026-10-25 12:30");
    let screen = s.casework_form(&draft).unwrap();
    assert_eq!(
        field(&screen, &CaseworkFieldKey::HeldAt).problem.as_deref(),
        Some("After now: supervision is recorded once it has been held. Check the time.")
    );
    refused_as_incomplete(s.save_casework_form(&draft));
    // More than a year ago: a mistyped year.
    let draft = typed(draft, CaseworkFieldKey::HeldAt, "2025-10-24 10:00");
    let screen = s.casework_form(&draft).unwrap();
    assert_eq!(
        field(&screen, &CaseworkFieldKey::HeldAt).problem.as_deref(),
        Some("More than a year ago: check the year.")
    );
    // London midnight last night was 23:00 UTC (still summer time then).
    let draft = typed(draft, CaseworkFieldKey::HeldAt, "2026-10-25 00:00");
    let screen = s.casework_form(&draft).unwrap();
    let held = field(&screen, &CaseworkFieldKey::HeldAt);
    assert_eq!(held.problem, None);
    assert_eq!(held.shown.as_deref(), Some("today 00:00"));
    assert_eq!(screen.save_detail, "Choose at least one child discussed.");

    // Found by part of a name, children only (the mother is not offered).
    let draft = typed(draft, CaseworkFieldKey::CaseSearch, "quarter");
    let screen = s.casework_form(&draft).unwrap();
    let CaseworkFormItem::Choices { list } = &screen.items[3] else {
        panic!("children discussed");
    };
    assert_eq!(list.options.len(), 1);
    assert!(list.options[0].label.starts_with(CHILD_NAME));
    assert!(!list.options[0].selected);
    let draft = draft.with_choice(list.options[0].choice.clone());
    assert_eq!(draft.cases, [baby]);
    assert_eq!(
        draft.text(&CaseworkFieldKey::CaseSearch),
        "",
        "search cleared"
    );
    let screen = s.casework_form(&draft).unwrap();
    let summary = field(&screen, &CaseworkFieldKey::CaseSummary { person: baby });
    assert!(summary.required);
    // Save's refusal travels as an error, so it names no child (the field's label does).
    assert_eq!(
        screen.save_detail,
        "Say what was discussed and concluded for each child chosen."
    );
    let draft = typed(
        draft,
        CaseworkFieldKey::CaseSummary { person: baby },
        "Bruising reviewed; threshold for referral met.",
    );
    assert!(s.casework_form(&draft).unwrap().save_enabled);

    // A part-filled action needs the rest; another blank row is offered after it.
    let draft = typed(
        draft,
        CaseworkFieldKey::ActionText { index: 0 },
        "Refer to the front door today",
    );
    let screen = s.casework_form(&draft).unwrap();
    assert!(field(&screen, &CaseworkFieldKey::ActionOwner { index: 0 }).required);
    assert!(!field(&screen, &CaseworkFieldKey::ActionText { index: 1 }).required);
    assert_eq!(screen.save_detail, "Fill in \"Action 1: who does it\".");
    let draft = typed(
        draft,
        CaseworkFieldKey::ActionOwner { index: 0 },
        "Health visitor Birch",
    );
    // Due before the session (the London day it was held) is refused.
    let draft = typed(
        draft,
        CaseworkFieldKey::ActionDue { index: 0 },
        "2026-10-24",
    );
    let screen = s.casework_form(&draft).unwrap();
    assert_eq!(
        field(&screen, &CaseworkFieldKey::ActionDue { index: 0 })
            .problem
            .as_deref(),
        Some("Due before the session was held: check the date.")
    );
    refused_as_incomplete(s.save_casework_form(&draft));
    assert!(
        s.supervision_records().unwrap().is_empty(),
        "nothing written"
    );

    let draft = typed(
        draft,
        CaseworkFieldKey::ActionDue { index: 0 },
        "2026-10-25",
    );
    let screen = s.casework_form(&draft).unwrap();
    assert!(screen.save_enabled, "{}", screen.save_detail);
    let saved = s.save_casework_form(&draft).unwrap();
    assert_eq!(
        saved.message,
        "Supervision recorded: 1 case(s), 1 action(s) agreed"
    );
    let records = s.supervision_records().unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].held_at, utc(2026, 10, 24, 23, 0));
    assert_eq!(
        records[0].supervisor.name,
        "Alex Lead, named nurse for safeguarding"
    );
    assert_eq!(records[0].cases[0].person, baby);
    assert_eq!(records[0].actions.len(), 1);
    assert_eq!(records[0].actions[0].owner, "Health visitor Birch");
    // Read back through the Supervision screen.
    let screen = s.supervision_screen().unwrap();
    assert_eq!(screen.rows.len(), 1);
}

#[test]
fn supervision_from_a_conference_starts_with_the_child_and_the_autumn_hour_reads_earlier() {
    let region = region();
    let hv = health_visitor(&region, utc(2026, 10, 25, 12, 0));
    let family = family(&hv.session);
    let baby = family.baby.id;
    // A second child in the household, found by the same surname.
    hv.session
        .add_person(
            family.household.id,
            PersonRole::Child,
            PersonDetails {
                name: Some("Ottoline Quartermain".into()),
                date_of_birth: chrono::NaiveDate::from_ymd_opt(2023, 2, 1),
                ..PersonDetails::default()
            },
        )
        .unwrap();
    let s = &hv.session;
    let draft = supervision(Some(baby));
    assert_eq!(draft.cases, [baby]);
    let draft = typed(draft, CaseworkFieldKey::CaseSearch, "QUARTERMAIN");
    let screen = s.casework_form(&draft).unwrap();
    let CaseworkFormItem::Choices { list } = &screen.items[3] else {
        panic!("children discussed");
    };
    // The chosen child first, then the one found (the chosen is not offered twice).
    assert_eq!(list.options.len(), 2);
    assert!(list.options[0].selected && list.options[0].label.starts_with(CHILD_NAME));
    assert!(!list.options[1].selected && list.options[1].label.starts_with("Ottoline"));
    // Tapping the chosen child again takes them off.
    let off = draft.clone().with_choice(list.options[0].choice.clone());
    assert!(off.cases.is_empty());

    let draft = typed(
        typed(
            typed(draft, CaseworkFieldKey::Supervisor, "Alex Lead"),
            CaseworkFieldKey::HeldAt,
            "2026-10-25 01:30",
        ),
        CaseworkFieldKey::CaseSummary { person: baby },
        "Conference prepared for.",
    );
    let screen = s.casework_form(&draft).unwrap();
    assert!(field(&screen, &CaseworkFieldKey::HeldAt)
        .shown
        .unwrap()
        .starts_with("today 01:30 BST (this time happens twice"));
    s.save_casework_form(&draft).unwrap();
    let records = s.supervision_records().unwrap();
    assert_eq!(records[0].held_at, utc(2026, 10, 25, 0, 30));
    assert!(records[0].actions.is_empty(), "the blank row is no action");
}

#[test]
fn amending_shows_the_text_recorded_and_needs_a_changed_text_and_a_reason() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 30, 9, 0));
    let family = family(&midwife.session);
    let s = &midwife.session;
    let id = observe(
        &midwife.session,
        family.baby.id,
        "Bruise on mother's right forearm.",
    );

    let kind = CaseworkFormKind::AmendObservation { observation: id };
    let draft = s.casework_form_draft(kind).unwrap();
    assert_eq!(
        draft.text(&CaseworkFieldKey::NewText),
        "Bruise on mother's right forearm.",
        "starts as recorded"
    );
    let screen = s.casework_form(&draft).unwrap();
    assert_eq!(screen.title, "Amend the observation");
    assert_eq!(
        labels(&screen),
        ["As recorded now", "Corrected text", "Why it is amended"]
    );
    let CaseworkFormItem::Shown { text, .. } = &screen.items[0] else {
        panic!("the current text first");
    };
    assert_eq!(
        text,
        "Domestic abuse · Concern: Bruise on mother's right forearm."
    );
    let new_text = field(&screen, &CaseworkFieldKey::NewText);
    assert!(new_text.multiline && new_text.required);
    assert_eq!(
        new_text.problem.as_deref(),
        Some("This is the text as recorded: correct it, or cancel.")
    );
    assert!(!screen.save_enabled);

    let draft = typed(
        draft,
        CaseworkFieldKey::NewText,
        "Bruise on mother's left forearm.",
    );
    let screen = s.casework_form(&draft).unwrap();
    assert_eq!(screen.save_detail, "Fill in \"Why it is amended\".");
    refused_as_incomplete(s.save_casework_form(&draft));
    let draft = typed(draft, CaseworkFieldKey::Reason, "   ");
    refused_as_incomplete(s.save_casework_form(&draft));
    assert_eq!(
        s.observation_history(id).unwrap().len(),
        1,
        "nothing written"
    );

    let draft = typed(draft, CaseworkFieldKey::Reason, "Wrong arm recorded");
    let screen = s.casework_form(&draft).unwrap();
    assert!(screen.save_enabled);
    assert_eq!(screen.save_label, "Save amendment");
    s.save_casework_form(&draft).unwrap();
    let history = s.observation_history(id).unwrap();
    assert_eq!(history.len(), 2);
    let now = history[1].body.as_ref().unwrap();
    assert_eq!(now.description, "Bruise on mother's left forearm.");
    assert_eq!(now.category, ConcernCategory::DomesticAbuse);
    assert_eq!(now.severity, Severity::Concern);
    // The chronology marks it.
    let chronology = s.chronology_screen(family.baby.id).unwrap();
    assert_eq!(
        chronology.rows[0].amended.as_deref(),
        Some("Amended: this is version 2. Reason: Wrong arm recorded")
    );
}

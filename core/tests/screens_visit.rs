//! The Visit and capture screen as core builds it (issue 17 item 1), on real SQLite stores with
//! fixed clocks: the header in London time (the repeated autumn hour, a visit past midnight),
//! every category offered with none chosen, "Save" enabled only when capture would accept the
//! draft, the capture prompts as the practitioner types (the child's voice included), what was
//! recorded on the visit, and Share this concern and End visit with their enabled state.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use safeshare_core::app::{NewObservationInput, NewVoiceNoteInput};
use safeshare_core::model::phrasing::CaptureWarningKind;
use safeshare_core::model::{
    Attendee, ConcernCategory, Evidence, ExpressionMode, InputMethod, Place, PlaceKind, Severity,
};
use safeshare_core::screens::{CaptureDraft, CaptureKind, VisitActionKind};

fn home() -> Place {
    Place {
        kind: PlaceKind::Home,
        detail: None,
    }
}

#[test]
fn the_header_is_in_london_time_and_nothing_is_chosen_for_the_practitioner() {
    let region = region();
    // Sunday 31 October 2027, 00:30 UTC: 01:30 BST, the first of the two 01:30s.
    let hv = health_visitor(&region, utc(2027, 10, 31, 0, 30));
    let family = family(&hv.session);
    let visit = hv
        .session
        .start_visit(family.household.id, home(), vec![], None)
        .unwrap();
    // An hour later it is 01:30 again, now GMT.
    hv.clock.set(utc(2027, 10, 31, 1, 30));
    let screen = hv
        .session
        .visit_screen(visit.id, &CaptureDraft::empty())
        .unwrap();
    assert_eq!(screen.visit, visit.id);
    assert_eq!(screen.title, "Home visit");
    assert_eq!(screen.address.as_deref(), Some("1 Fictional Row, Leeds"));
    assert_eq!(screen.started, "Started today 01:30 BST");
    assert_eq!(screen.status, "In progress");
    assert_eq!(
        screen.child.as_deref(),
        Some(format!("{CHILD_NAME}, 11 months").as_str())
    );
    assert_eq!(screen.about_heading, "Who is it about?");
    assert_eq!(screen.people.len(), 2);
    assert!(screen.people.iter().all(|p| !p.selected));
    assert!(screen
        .people
        .iter()
        .any(|p| p.label == format!("{CHILD_NAME} (child, 11 months)")));
    assert!(screen
        .people
        .iter()
        .any(|p| p.label == format!("{MOTHER_NAME} (mother or birthing parent)")));

    // Every category is offered, in the briefing's order, "something else" last; none chosen.
    assert_eq!(
        screen.category_heading.as_deref(),
        Some("What kind of concern?")
    );
    assert_eq!(screen.categories.len(), 14);
    assert_eq!(screen.categories[0].label, "Open to children's social care");
    assert_eq!(
        screen.categories[3].category,
        ConcernCategory::DomesticAbuse
    );
    assert_eq!(screen.categories[3].label, "Domestic abuse");
    assert_eq!(screen.categories[13].label, "Something else (name it)");
    assert!(screen.categories.iter().all(|c| !c.selected));
    assert_eq!(
        screen
            .severities
            .iter()
            .map(|s| s.label.as_str())
            .collect::<Vec<_>>(),
        vec!["Low-level concern", "Concern", "Immediate risk"]
    );
    assert!(screen.severities.iter().all(|s| !s.selected));
    assert!(screen.severities[2]
        .detail
        .as_deref()
        .unwrap()
        .starts_with("Phone now"));
    assert_eq!(screen.evidence.len(), 3);
    assert!(screen.evidence[0].selected, "a fact seen is the default");
    assert!(screen.modes.is_empty() && screen.present.is_empty());
    assert_eq!(screen.text.label, "What did you see or hear?");
    assert!(screen.prompts.is_empty());
    assert!(screen.recorded.is_empty());
    assert_eq!(screen.recorded_heading, "Recorded on this visit");

    let save = &screen.actions[0];
    assert_eq!(save.kind, VisitActionKind::Save);
    assert_eq!(save.label, "Save observation");
    assert!(!save.enabled);
    assert_eq!(save.detail.as_deref(), Some("Choose who it is about."));
    let share = &screen.actions[1];
    assert_eq!(share.label, "Share this concern");
    assert!(!share.enabled);
    let end = &screen.actions[2];
    assert_eq!(end.kind, VisitActionKind::EndVisit { visit: visit.id });
    assert!(end.enabled);
    assert_eq!(
        screen.actions[3].kind,
        VisitActionKind::AddChild {
            household: family.household.id
        }
    );
}

#[test]
fn save_waits_for_category_and_severity_while_the_prompts_follow_the_typing() {
    let region = region();
    // Tuesday 24 November 2026, 10:30 GMT.
    let hv = health_visitor(&region, utc(2026, 11, 24, 10, 30));
    let family = family(&hv.session);
    let visit = hv
        .session
        .start_visit(family.household.id, home(), vec![], None)
        .unwrap();
    let mut draft = CaptureDraft {
        about: Some(family.baby.id),
        text: "No concerns, engaging well".into(),
        evidence: Evidence::Opinion { basis: None },
        ..CaptureDraft::empty()
    };
    let screen = hv.session.visit_screen(visit.id, &draft).unwrap();
    assert!(screen
        .people
        .iter()
        .any(|p| p.person == family.baby.id && p.selected));
    assert_eq!(
        screen.prompts.iter().map(|p| p.kind).collect::<Vec<_>>(),
        vec![
            CaptureWarningKind::NotSpecific,
            CaptureWarningKind::OpinionWithoutBasis
        ],
        "the prompts show before every choice is made"
    );
    assert_eq!(screen.evidence[2].label, "My professional opinion");
    assert!(screen.evidence[2].selected);
    let basis = screen.evidence_detail.as_ref().unwrap();
    assert_eq!(basis.label, "What is it based on?");
    assert!(!screen.actions[0].enabled);
    assert_eq!(
        screen.actions[0].detail.as_deref(),
        Some("Choose what kind of concern this is.")
    );

    draft.category = Some(ConcernCategory::Other(String::new()));
    let screen = hv.session.visit_screen(visit.id, &draft).unwrap();
    assert!(screen.categories[13].selected);
    assert_eq!(
        screen.category_name.as_ref().unwrap().label,
        "Name the concern"
    );
    assert_eq!(
        screen.actions[0].detail.as_deref(),
        Some("Choose how serious it is.")
    );
    draft.severity = Some(Severity::Concern);
    let screen = hv.session.visit_screen(visit.id, &draft).unwrap();
    assert!(screen.severities[1].selected);
    assert!(!screen.actions[0].enabled, "an unnamed other category");
    assert_eq!(
        screen.actions[0].detail.as_deref(),
        Some("Name the concern.")
    );

    draft.category = Some(ConcernCategory::DomesticAbuse);
    draft.text = "Bruise on mother's left forearm; says partner grabbed her.".into();
    draft.evidence = Evidence::Opinion {
        basis: Some("bruise seen, mother's account".into()),
    };
    let screen = hv.session.visit_screen(visit.id, &draft).unwrap();
    assert!(screen.prompts.is_empty());
    assert!(screen.categories[3].selected);
    assert!(screen.category_name.is_none());
    assert!(screen.actions[0].enabled);

    // Blank text: capture's own refusal, in words.
    draft.text = " \u{200B} ".into();
    let screen = hv.session.visit_screen(visit.id, &draft).unwrap();
    assert!(!screen.actions[0].enabled);
    assert_eq!(
        screen.actions[0].detail.as_deref(),
        Some("Write what you saw or heard.")
    );
    // Dictated text is marked for checking.
    draft.input = InputMethod::Dictated;
    let screen = hv.session.visit_screen(visit.id, &draft).unwrap();
    assert!(screen.dictated.as_deref().unwrap().starts_with("Dictated"));
}

#[test]
fn the_childs_voice_gets_its_prompts_and_only_a_child_can_be_its_subject() {
    let region = region();
    let hv = health_visitor(&region, utc(2026, 11, 24, 10, 30));
    let family = family(&hv.session);
    let visit = hv
        .session
        .start_visit(family.household.id, home(), vec![], None)
        .unwrap();
    let mut draft = CaptureDraft {
        about: Some(family.mother.id),
        kind: CaptureKind::VoiceOfChild,
        mode: ExpressionMode::Behaviour,
        text: "Fine".into(),
        ..CaptureDraft::empty()
    };
    let screen = hv.session.visit_screen(visit.id, &draft).unwrap();
    assert!(screen.kinds[1].selected);
    assert!(screen.categories.is_empty() && screen.severities.is_empty());
    assert_eq!(screen.modes.len(), 5);
    assert!(screen.modes[3].selected);
    assert_eq!(screen.text.label, "What the child showed");
    assert_eq!(screen.actions[0].label, "Save the child's voice");
    assert!(!screen.actions[0].enabled);
    assert_eq!(
        screen.actions[0].detail.as_deref(),
        Some("The child's voice is recorded about a child: choose the child.")
    );

    draft.about = Some(family.baby.id);
    let screen = hv.session.visit_screen(visit.id, &draft).unwrap();
    assert!(screen.actions[0].enabled);
    assert_eq!(
        screen.prompts.iter().map(|p| p.kind).collect::<Vec<_>>(),
        vec![
            CaptureWarningKind::NotSpecific,
            CaptureWarningKind::PresenceNotRecorded
        ]
    );
    // The mother is offered as present; choosing her answers the presence prompt.
    assert_eq!(screen.present.len(), 1);
    assert_eq!(screen.present[0].person, family.mother.id);
    draft.present = vec![Attendee::Person {
        person: family.mother.id,
    }];
    draft.mode = ExpressionMode::Speech;
    draft.text = "Daddy shouts at mummy".into();
    let screen = hv.session.visit_screen(visit.id, &draft).unwrap();
    assert!(screen.present[0].selected);
    assert!(screen.prompts.is_empty());
    assert_eq!(screen.text.label, "The child's own words");
}

#[test]
fn what_is_saved_is_listed_and_can_be_shared_and_an_ended_visit_says_when() {
    let region = region();
    // Friday 27 November 2026: a visit at 23:30 GMT runs past midnight.
    let hv = health_visitor(&region, utc(2026, 11, 27, 23, 30));
    let family = family(&hv.session);
    let visit = hv
        .session
        .start_visit(family.household.id, home(), vec![], None)
        .unwrap();
    hv.clock.set(utc(2026, 11, 27, 23, 40));
    let observation = hv
        .session
        .capture_observation(NewObservationInput {
            about: family.baby.id,
            visit: Some(visit.id),
            category: ConcernCategory::DomesticAbuse,
            severity: Severity::Concern,
            evidence: Evidence::ObservedFact,
            description: "Shouting heard from the hallway on arrival.".into(),
            observed_at: None,
            place: None,
            share: None,
        })
        .unwrap()
        .record;
    hv.clock.set(utc(2026, 11, 28, 0, 10));
    let voice = hv
        .session
        .capture_voice_note(NewVoiceNoteInput {
            child: family.baby.id,
            visit: Some(visit.id),
            words: "Baby startles and cries at raised voices; settles with mother.".into(),
            mode: ExpressionMode::ObservedLivedExperience,
            present: vec![Attendee::Person {
                person: family.mother.id,
            }],
            expressed_at: None,
            input: InputMethod::Typed,
            share: None,
        })
        .unwrap()
        .record;
    // Another visit's record is not this visit's.
    hv.session
        .capture_observation(NewObservationInput {
            about: family.baby.id,
            visit: None,
            category: ConcernCategory::GrowthOrWeight,
            severity: Severity::LowLevelConcern,
            evidence: Evidence::ObservedFact,
            description: "Weighed 4.2 kg at clinic, on the 9th centile.".into(),
            observed_at: None,
            place: None,
            share: None,
        })
        .unwrap();

    hv.clock.set(utc(2026, 11, 28, 0, 15));
    let draft = CaptureDraft {
        about: Some(family.baby.id),
        ..CaptureDraft::empty()
    };
    let screen = hv.session.visit_screen(visit.id, &draft).unwrap();
    assert_eq!(screen.started, "Started yesterday 23:30");
    assert_eq!(screen.recorded.len(), 2);
    assert_eq!(
        screen.recorded[0].title,
        format!("{CHILD_NAME} · Domestic abuse · concern")
    );
    assert_eq!(screen.recorded[0].when, "yesterday 23:40");
    assert_eq!(
        screen.recorded[1].title,
        format!("{CHILD_NAME} · voice of the child (3 weeks 6 days)")
    );
    assert_eq!(screen.recorded[1].when, "today 00:10");
    let share = &screen.actions[1];
    assert_eq!(
        share.kind,
        VisitActionKind::ShareConcern {
            about: Some(family.baby.id),
            observations: vec![observation.id],
            voice_notes: vec![voice.id],
        }
    );
    assert!(share.enabled);
    assert!(screen.actions.iter().any(|a| a.kind
        == VisitActionKind::OpenChronology {
            person: family.baby.id
        }));

    // Nothing recorded about the mother on this visit: nothing to share about her yet.
    let about_mother = CaptureDraft {
        about: Some(family.mother.id),
        ..CaptureDraft::empty()
    };
    let screen = hv.session.visit_screen(visit.id, &about_mother).unwrap();
    assert!(!screen.actions[1].enabled);
    assert_eq!(
        screen.actions[1].detail.as_deref(),
        Some("Save what you saw first, then share it with a team.")
    );

    hv.session.end_visit(visit.id, None).unwrap();
    hv.clock.set(utc(2026, 11, 28, 9, 0));
    let screen = hv.session.visit_screen(visit.id, &draft).unwrap();
    assert_eq!(screen.status, "Ended today 00:15");
    let end = &screen.actions[2];
    assert!(!end.enabled);
    assert_eq!(end.detail.as_deref(), Some("This visit ended today 00:15."));
}

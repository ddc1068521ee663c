//! The whole surface reachable (issue 17 item 3), on a real store: an observation amended and
//! closed with its history worded across the autumn clock change, a pattern alert dismissed
//! with a reason (and refused without one), and a call's outcome recorded and visible in the
//! call log and the child's chronology. Each step is the call the screen's action names.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use safeshare_core::app::{NewObservationInput, ObservationCorrection};
use safeshare_core::casework::decision::{Answerer, Nature, SharedItem, UnderstandingCheck};
use safeshare_core::directory::{CallOutcome, CallOutcomeInput};
use safeshare_core::model::{ConcernCategory, Evidence, ObservationId, PersonId, Severity};
use safeshare_core::rules::patterns::PatternKind;
use safeshare_core::screens::{ReviewActionKind, Tone};

fn capture(device: &Device, about: PersonId, severity: Severity, text: &str) -> ObservationId {
    device
        .session
        .capture_observation(NewObservationInput {
            about,
            visit: None,
            category: ConcernCategory::Medication,
            severity,
            evidence: Evidence::ObservedFact,
            description: text.into(),
            observed_at: None,
            place: None,
            share: None,
        })
        .unwrap()
        .record
        .id
}

#[test]
fn an_amended_then_closed_observation_shows_every_version_with_why() {
    let region = region();
    // Saturday 30 October 2027, 22:30 UTC = 23:30 BST.
    let midwife = midwife(&region, utc(2027, 10, 30, 22, 30));
    let family = family(&midwife.session);
    let id = capture(
        &midwife,
        family.baby.id,
        Severity::Concern,
        "Inhaler stored on a sunny windowsill.",
    );
    // Sunday 31 October, 09:00 UTC = 09:00 GMT (the clocks went back at 02:00 BST).
    midwife.clock.set(utc(2027, 10, 31, 9, 0));
    midwife
        .session
        .amend_observation(
            id,
            ObservationCorrection {
                category: ConcernCategory::Medication,
                severity: Severity::LowLevelConcern,
                evidence: Evidence::ObservedFact,
                description: "Inhaler stored on a sunny windowsill; moved to a cupboard while I \
                              was there."
                    .into(),
                observed_at: utc(2027, 10, 30, 22, 30),
                place: None,
            },
            "Severity overstated: moved at once",
        )
        .unwrap();
    let screen = midwife.session.observation_history_screen(id).unwrap();
    assert_eq!(screen.title, format!("Observation: {CHILD_NAME}"));
    assert_eq!(screen.status, "Version 2 of 2");
    assert_eq!(
        screen.versions[0].heading,
        "Recorded yesterday 23:30 by Midwife Ash"
    );
    assert_eq!(screen.versions[0].reason, None);
    assert_eq!(
        screen.versions[0].lines,
        [
            "medication · concern",
            "Fact: seen or heard by the practitioner",
            "Observed yesterday 23:30",
            "Inhaler stored on a sunny windowsill.",
        ]
    );
    assert_eq!(
        screen.versions[1].heading,
        "Amended today 09:00 by Midwife Ash"
    );
    assert_eq!(
        screen.versions[1].reason.as_deref(),
        Some("Severity overstated: moved at once")
    );
    assert_eq!(
        screen.versions[1].lines[0],
        "medication · low-level concern"
    );
    assert_eq!(
        screen.actions[0].kind,
        ReviewActionKind::Amend { observation: id }
    );
    assert!(screen.actions[1].enabled);

    midwife
        .session
        .close_observation(id, "Seen stored safely at the next visit.")
        .unwrap();
    let screen = midwife.session.observation_history_screen(id).unwrap();
    assert_eq!(screen.status, "Version 3 of 3");
    assert_eq!(
        screen.versions[2].lines.last().map(String::as_str),
        Some("Closed today 09:00: Seen stored safely at the next visit.")
    );
    assert!(!screen.actions[1].enabled);
    assert_eq!(screen.actions[1].detail.as_deref(), Some("Already closed."));
}

#[test]
fn a_pattern_alert_is_dismissed_only_with_a_reason_and_the_reason_stays_visible() {
    let region = region();
    // Tuesday 1 December 2026, 10:00 GMT.
    let hv = health_visitor(&region, utc(2026, 12, 1, 10, 0));
    let family = family(&hv.session);
    let baby = family.baby.id;
    let screen = hv.session.pattern_alerts_screen(baby).unwrap();
    assert_eq!(
        screen.empty.as_deref(),
        Some("No pattern stands in this child's record.")
    );
    let mut observations = Vec::new();
    for (hour, text) in [
        (10, "Inhaler left out in the sun."),
        (11, "Spacer missing; mother unsure where."),
        (12, "Repeat prescription two weeks late."),
    ] {
        hv.clock.set(utc(2026, 12, 1, hour, 0));
        observations.push(capture(&hv, baby, Severity::LowLevelConcern, text));
    }
    let screen = hv.session.pattern_alerts_screen(baby).unwrap();
    assert_eq!(screen.title, format!("Patterns: {CHILD_NAME}"));
    let row = &screen.rows[0];
    assert_eq!(row.key.kind, PatternKind::RepeatedLowLevelConcerns);
    assert_eq!(row.key.child, baby);
    assert_eq!(row.since, "Since today 12:00");
    assert_eq!(row.evidence, "3 observation(s) make this pattern");
    assert_eq!(row.tone, Tone::ActionNeeded);
    assert_eq!(
        row.actions[0].kind,
        ReviewActionKind::DismissAlert { key: row.key }
    );
    let opened: Vec<ReviewActionKind> = row.actions[1..].iter().map(|a| a.kind.clone()).collect();
    let expected: Vec<ReviewActionKind> = observations
        .iter()
        .map(|o| ReviewActionKind::OpenObservation { observation: *o })
        .collect();
    assert_eq!(opened, expected);
    // No button names the family.
    for action in &row.actions {
        assert!(!action.label.contains(CHILD_NAME), "{}", action.label);
    }

    // A blank reason is refused and the alert stands.
    assert!(hv.session.dismiss_alert(row.key, "  ").is_err());
    assert_eq!(
        hv.session.pattern_alerts_screen(baby).unwrap().rows.len(),
        1
    );

    hv.clock.set(utc(2026, 12, 1, 13, 0));
    hv.session
        .dismiss_alert(
            row.key,
            "Discussed with mother; storage and supply sorted, seen.",
        )
        .unwrap();
    let screen = hv.session.pattern_alerts_screen(baby).unwrap();
    assert!(screen.rows.is_empty());
    assert_eq!(
        screen.dismissed,
        [
            "Dismissed today 13:00 by Health visitor Birch: Discussed with mother; storage and \
          supply sorted, seen."
        ]
    );
}

#[test]
fn a_call_outcome_is_recorded_and_shown_in_the_call_log_and_the_chronology() {
    let region = region();
    // Tuesday 1 December 2026, 10:00 GMT.
    let hv = health_visitor(&region, utc(2026, 12, 1, 10, 0));
    let family = family(&hv.session);
    let call = hv
        .session
        .start_call(region.midwifery, None, Some(family.baby.id))
        .unwrap();
    assert_eq!(hv.session.calls().unwrap()[0].outcome, None);
    hv.session
        .record_call_outcome(
            call.call.id,
            CallOutcomeInput {
                outcome: CallOutcome::Spoke,
                answered_by: Some(Answerer {
                    name: "Pat Duty".into(),
                    role: "duty midwife".into(),
                }),
                shared: vec![SharedItem {
                    nature: Nature::Fact,
                    text: "Inhaler storage discussed at the visit".into(),
                    observation: None,
                }],
                understanding: UnderstandingCheck::ReadBack {
                    recipient_summary: "Joint visit Thursday about the inhaler".into(),
                },
                note: "Agreed a joint visit on Thursday".into(),
            },
            None,
        )
        .unwrap();
    assert!(hv.session.calls().unwrap()[0].outcome.is_some());
    let chronology = hv.session.chronology_for_child(family.baby.id).unwrap();
    assert!(
        chronology
            .iter()
            .any(|e| e.summary
                == "Call to West community midwifery: Agreed a joint visit on Thursday")
    );
}

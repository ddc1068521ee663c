//! Pattern alerts and checklists through the `Session`: three low-level concerns within 90 days
//! raise an alert at the third and not the second, showing and dismissing are recorded, a
//! further concern raises a new alert; a discharge checklist pulls the child's open concerns,
//! refuses completion while any required item (including a concern captured after it was
//! started) is open, and never lets an item be skipped without a reason.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use chrono::{DateTime, Utc};
use safeshare_core::app::{AppError, NewObservationInput, Session};
use safeshare_core::casework::checklist::{
    ChecklistKind, ContactRef, DetailKind, DoneDetail, Template,
};
use safeshare_core::model::{ConcernCategory, Evidence, PersonId, Severity};
use safeshare_core::rules::attention::AttentionKind;
use safeshare_core::rules::patterns::{AlertEvent, PatternKind};

fn low_level(
    session: &Session,
    about: PersonId,
    at: DateTime<Utc>,
    text: &str,
) -> safeshare_core::model::Observation {
    session
        .capture_observation(NewObservationInput {
            about,
            visit: None,
            category: ConcernCategory::GrowthOrWeight,
            severity: Severity::LowLevelConcern,
            evidence: Evidence::ObservedFact,
            description: text.into(),
            observed_at: Some(at),
            place: None,
            share: None,
        })
        .unwrap()
        .record
}

#[test]
fn three_low_level_concerns_within_90_days_alert_at_the_third_and_dismissal_is_recorded() {
    let region = region();
    let midwife = midwife(&region, utc(2027, 1, 29, 12, 0));
    let family = family(&midwife.session);
    let baby = family.baby.id;
    low_level(
        &midwife.session,
        baby,
        utc(2026, 11, 23, 10, 0),
        "Weight dropped from 50th to 25th centile.",
    );
    low_level(
        &midwife.session,
        baby,
        utc(2026, 12, 21, 10, 0),
        "Feeds skipped overnight, per mother.",
    );
    assert!(midwife.session.pattern_alerts(baby).unwrap().is_empty());
    let third = low_level(
        &midwife.session,
        baby,
        utc(2027, 1, 28, 10, 0),
        "Nappy rash untreated for a week.",
    );

    let alerts = midwife.session.pattern_alerts(baby).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].key.kind, PatternKind::RepeatedLowLevelConcerns);
    assert_eq!(alerts[0].key.completed_by, third.id);
    // Shown once, however often it is looked at; it is in "needs attention now" too.
    midwife.session.pattern_alerts(baby).unwrap();
    let items = midwife.session.needs_attention_now().unwrap();
    assert!(items.iter().any(
        |a| matches!(a.item.kind, AttentionKind::PatternAlert { key } if key == alerts[0].key)
    ));
    let events = midwife.session.alert_events(baby).unwrap();
    assert_eq!(events.len(), 1);
    assert!(
        matches!(events[0], AlertEvent::Shown { to, .. } if to == midwife.identity.practitioner)
    );

    // Dismissal needs a reason, is recorded, and takes the alert off both lists.
    assert!(matches!(
        midwife.session.dismiss_alert(alerts[0].key, " "),
        Err(AppError::Validation { field, .. }) if field == "reason"
    ));
    midwife
        .session
        .dismiss_alert(
            alerts[0].key,
            "Discussed in supervision 28/01; GP reviewing weight",
        )
        .unwrap();
    assert!(midwife.session.pattern_alerts(baby).unwrap().is_empty());
    assert!(!midwife
        .session
        .needs_attention_now()
        .unwrap()
        .iter()
        .any(|a| matches!(a.item.kind, AttentionKind::PatternAlert { .. })));
    let events = midwife.session.alert_events(baby).unwrap();
    assert!(
        matches!(events.last(), Some(AlertEvent::Dismissed { reason, .. }) if reason.starts_with("Discussed"))
    );

    // A fourth concern extends the pattern: a new alert, not silenced by the dismissal.
    let fourth = low_level(
        &midwife.session,
        baby,
        utc(2027, 1, 29, 11, 0),
        "Missed weigh-in.",
    );
    let alerts = midwife.session.pattern_alerts(baby).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].key.completed_by, fourth.id);
}

fn done_detail(kind: DetailKind, region: &Region) -> DoneDetail {
    match kind {
        DetailKind::None => DoneDetail::default(),
        DetailKind::Text => DoneDetail {
            note: Some("Done and recorded in the discharge letter".into()),
            contacts: vec![],
        },
        DetailKind::Contacts | DetailKind::ContactsWithOutOfHours => DoneDetail {
            note: None,
            contacts: vec![ContactRef::Directory {
                team: region.health_visiting,
                label: "East health visiting".into(),
            }],
        },
    }
}

#[test]
fn a_discharge_checklist_hands_over_every_open_concern_and_refuses_completion_until_done() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    let baby = family.baby.id;
    let concern = low_level(
        &midwife.session,
        baby,
        utc(2026, 11, 22, 9, 0),
        "Weight below birth weight at day 21.",
    );

    let checklist = midwife
        .session
        .start_checklist(ChecklistKind::Discharge, baby)
        .unwrap();
    let concern_key = format!("concern:{}", concern.id);
    assert!(checklist
        .items
        .iter()
        .any(|i| i.key == concern_key && i.required));

    // "Not applicable" without a reason is refused, naming the field.
    assert!(matches!(
        midwife
            .session
            .checklist_mark_not_applicable(checklist.id, "care_plan_shared", "  "),
        Err(AppError::Validation { field, .. }) if field == "reason"
    ));
    let template = Template::builtin(ChecklistKind::Discharge).unwrap();
    for item in &template.items {
        midwife
            .session
            .checklist_mark_done(checklist.id, &item.key, done_detail(item.detail, &region))
            .unwrap();
    }
    // The open concern still blocks completion.
    match midwife.session.complete_checklist(checklist.id) {
        Err(AppError::Refused { open_items, .. }) => {
            assert_eq!(open_items, vec![concern_key.clone()])
        }
        other => panic!("completion should be refused: {other:?}"),
    }
    midwife
        .session
        .checklist_mark_done(checklist.id, &concern_key, DoneDetail::default())
        .unwrap();

    // A concern captured after the start is pulled in at completion and blocks it too.
    let late = low_level(
        &midwife.session,
        baby,
        utc(2026, 11, 23, 9, 30),
        "Mother unsure how to make up formula.",
    );
    let late_key = format!("concern:{}", late.id);
    match midwife.session.complete_checklist(checklist.id) {
        Err(AppError::Refused { open_items, .. }) => assert_eq!(open_items, vec![late_key.clone()]),
        other => panic!("completion should be refused: {other:?}"),
    }
    // The pulled item was saved so the practitioner sees it on the checklist.
    assert!(midwife
        .session
        .checklist(checklist.id)
        .unwrap()
        .items
        .iter()
        .any(|i| i.key == late_key));
    midwife
        .session
        .checklist_mark_not_applicable(
            checklist.id,
            &late_key,
            "Handed over by phone to East HV, see call log",
        )
        .unwrap();
    let done = midwife.session.complete_checklist(checklist.id).unwrap();
    assert!(done.is_complete());
    assert!(matches!(
        midwife
            .session
            .checklist_mark_done(checklist.id, &concern_key, DoneDetail::default()),
        Err(AppError::Refused { .. })
    ));
    assert_eq!(midwife.session.checklists_for(baby).unwrap(), vec![done]);
}

#[test]
fn a_vague_observation_amended_with_what_was_seen_keeps_its_first_version_and_the_reason() {
    use safeshare_core::app::ObservationCorrection;
    use safeshare_core::store::RecordAction;
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 12, 0));
    let family = family(&midwife.session);
    let vague = low_level(
        &midwife.session,
        family.baby.id,
        utc(2026, 11, 23, 10, 0),
        "No concerns.",
    );
    assert!(!vague.warnings.is_empty());
    let correction = ObservationCorrection {
        category: ConcernCategory::GrowthOrWeight,
        severity: Severity::LowLevelConcern,
        evidence: Evidence::ObservedFact,
        description: "Weighed 3.9 kg, back on the 25th centile after a drop.".into(),
        observed_at: vague.observed_at,
        place: None,
    };
    assert!(matches!(
        midwife.session.amend_observation(vague.id, correction.clone(), " "),
        Err(AppError::Validation { field, .. }) if field == "reason"
    ));
    let amended = midwife
        .session
        .amend_observation(vague.id, correction, "Added what was seen at the weigh-in")
        .unwrap();
    assert!(amended.warnings.is_empty());
    assert_eq!(amended.record.id, vague.id);
    let history = midwife.session.observation_history(vague.id).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        history[0].body.as_ref().unwrap().description,
        "No concerns."
    );
    assert_eq!(history[1].action, RecordAction::Amend);
    assert_eq!(
        history[1].reason.as_deref(),
        Some("Added what was seen at the weigh-in")
    );
    let chronology = midwife
        .session
        .chronology_for_child(family.baby.id)
        .unwrap();
    assert_eq!(chronology.len(), 1);
    assert!(chronology[0].summary.starts_with("Weighed 3.9 kg"));
}

#[test]
fn a_handover_contact_without_an_out_of_hours_route_is_refused_and_named() {
    // A team with a daytime line only, in an organisation with no switchboard: nobody can be
    // reached out of hours, so it cannot satisfy "including out of hours".
    let (region, edges) = region().with_call_edges();
    let school_nursing = edges.daytime_only;
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    let checklist = midwife
        .session
        .start_checklist(ChecklistKind::Handover, family.baby.id)
        .unwrap();
    let item = checklist
        .items
        .iter()
        .find(|i| i.detail == DetailKind::ContactsWithOutOfHours)
        .unwrap()
        .key
        .clone();
    let contact = |team, label: &str| DoneDetail {
        note: None,
        contacts: vec![ContactRef::Directory {
            team,
            label: label.into(),
        }],
    };

    match midwife.session.checklist_mark_done(
        checklist.id,
        &item,
        contact(school_nursing, "North school nursing"),
    ) {
        Err(AppError::Validation { field, reason }) => {
            assert_eq!(field, "contacts");
            let message = reason.to_string();
            assert!(message.contains("North school nursing"), "{message}");
        }
        other => panic!("a contact with no out-of-hours route must be refused: {other:?}"),
    }
    // A team with an out-of-hours line satisfies the item.
    let done = midwife
        .session
        .checklist_mark_done(
            checklist.id,
            &item,
            contact(region.health_visiting, "East health visiting"),
        )
        .unwrap();
    assert!(done.items.iter().any(|i| i.key == item
        && !matches!(
            i.state,
            safeshare_core::casework::checklist::ItemState::Open
        )));
}

//! Admission, handover and discharge checklists: nothing skipped silently, concerns pulled
//! from the person's open observations, template versions recorded.

// Test helpers outside #[test] fns may unwrap: a panic is a test failure.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use safeshare_core::casework::checklist::*;
use safeshare_core::model::*;

fn at(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
}

fn concern(about: PersonId, category: ConcernCategory, observed: DateTime<Utc>) -> Observation {
    Observation::capture(
        NewObservation {
            about,
            visit: None,
            recorded_by: PractitionerId::new(),
            category,
            severity: Severity::Concern,
            evidence: Evidence::ObservedFact,
            description: "Mother's partner shouted at her during the visit; baby startled".into(),
            observed_at: observed,
            place: None,
        },
        observed + Duration::minutes(5),
    )
    .unwrap()
}

fn note(text: &str) -> DoneDetail {
    DoneDetail {
        note: Some(text.into()),
        contacts: vec![],
    }
}

fn captured_contact(ooh: Option<&str>) -> DoneDetail {
    DoneDetail {
        note: None,
        contacts: vec![ContactRef::Captured {
            name: "Pat Visitor".into(),
            role: "health visitor, Westshire Community Trust".into(),
            phone: "01632 960000".into(),
            out_of_hours_phone: ooh.map(Into::into),
        }],
    }
}

fn keys(err: ChecklistError) -> Vec<String> {
    match err {
        ChecklistError::RequiredItemsOpen { items } => items.into_iter().map(|i| i.key).collect(),
        other => panic!("expected RequiredItemsOpen, got {other:?}"),
    }
}

fn close_everything(list: &mut Checklist, by: PractitionerId) {
    let items: Vec<(String, DetailKind)> = list
        .items
        .iter()
        .filter(|i| i.state == ItemState::Open)
        .map(|i| (i.key.clone(), i.detail))
        .collect();
    for (key, kind) in items {
        let detail = match kind {
            DetailKind::None => DoneDetail::default(),
            DetailKind::Text => note("done"),
            DetailKind::Contacts | DetailKind::ContactsWithOutOfHours => {
                captured_contact(Some("01632 960999"))
            }
        };
        list.mark_done(&key, by, at(20, 12), detail).unwrap();
    }
}

// ---- templates -------------------------------------------------------------------------------

#[test]
fn every_built_in_template_is_valid_versioned_data() {
    for (kind, id) in [
        (ChecklistKind::Admission, "admission"),
        (ChecklistKind::Handover, "handover"),
        (ChecklistKind::Discharge, "discharge"),
    ] {
        let t = Template::builtin(kind).unwrap();
        assert_eq!(t.id, id);
        assert!(t.version >= 1);
        assert!(t.items.iter().any(|i| i.required));
        assert!(!t.source.is_empty());
    }
    assert!(
        !Template::builtin(ChecklistKind::Admission)
            .unwrap()
            .open_concerns
    );
    assert!(
        Template::builtin(ChecklistKind::Handover)
            .unwrap()
            .open_concerns
    );
    assert!(
        Template::builtin(ChecklistKind::Discharge)
            .unwrap()
            .open_concerns
    );
}

#[test]
fn a_completed_checklist_records_the_template_version_it_was_started_from() {
    let mut json: serde_json::Value = serde_json::from_str(
        &serde_json::to_string(&Template::builtin(ChecklistKind::Admission).unwrap()).unwrap(),
    )
    .unwrap();
    json["version"] = 7.into();
    let v7 = Template::from_json(&json.to_string()).unwrap();
    let by = PractitionerId::new();
    let mut list = Checklist::start(&v7, PersonId::new(), &[], by, at(20, 9));
    close_everything(&mut list, by);
    list.complete(&[], by, at(20, 13)).unwrap();
    assert_eq!(
        (list.template_id.as_str(), list.template_version),
        ("admission", 7)
    );
}

#[test]
fn a_template_with_duplicate_or_reserved_keys_or_no_version_is_refused() {
    let base = r#"{"id":"x","version":1,"title":"X","source":"s","open_concerns":false,"items":[
        {"key":"a","text":"A","required":true,"detail":"none"},
        {"key":"KEY2","text":"B","required":true,"detail":"none"}]}"#;
    assert!(Template::from_json(base).is_ok());
    for bad in [
        base.replace("KEY2", "a"),
        base.replace("KEY2", "concern:1"),
        base.replace("\"version\":1", "\"version\":0"),
    ] {
        assert!(matches!(
            Template::from_json(&bad),
            Err(ChecklistError::InvalidTemplate(_))
        ));
    }
    assert!(matches!(
        Template::from_json("{not json"),
        Err(ChecklistError::TemplateUnreadable(_))
    ));
}

// ---- admission -------------------------------------------------------------------------------

#[test]
fn admission_cannot_be_completed_while_a_required_item_is_open_and_the_error_lists_them() {
    let template = Template::builtin(ChecklistKind::Admission).unwrap();
    let by = PractitionerId::new();
    let mut list = Checklist::start(&template, PersonId::new(), &[], by, at(20, 9));
    let err = list.complete(&[], by, at(20, 10)).unwrap_err();
    assert!(err.to_string().contains("2 required item(s) still open"));
    assert_eq!(
        keys(err),
        vec![
            "out_of_area_health_contacts",
            "childrens_social_care_status"
        ]
    );
    assert!(!list.is_complete());

    list.mark_done(
        "out_of_area_health_contacts",
        by,
        at(20, 10),
        captured_contact(None),
    )
    .unwrap();
    assert_eq!(
        keys(list.complete(&[], by, at(20, 10)).unwrap_err()),
        vec!["childrens_social_care_status"]
    );
    list.mark_not_applicable(
        "childrens_social_care_status",
        by,
        at(20, 11),
        "confirmed with MASH: not known to children's social care",
    )
    .unwrap();
    // The optional item may stay open; it stays visible as open, not silently done.
    list.complete(&[], by, at(20, 12)).unwrap();
    assert!(list.is_complete());
    let other = list
        .items
        .iter()
        .find(|i| i.key == "other_agencies")
        .unwrap();
    assert_eq!(other.state, ItemState::Open);
}

#[test]
fn not_applicable_without_a_reason_is_refused_on_every_template() {
    for kind in [
        ChecklistKind::Admission,
        ChecklistKind::Handover,
        ChecklistKind::Discharge,
    ] {
        let template = Template::builtin(kind).unwrap();
        let by = PractitionerId::new();
        let mut list = Checklist::start(&template, PersonId::new(), &[], by, at(20, 9));
        for item in template.items.iter().filter(|i| i.required) {
            let err = list
                .mark_not_applicable(&item.key, by, at(20, 9), "  ")
                .unwrap_err();
            assert_eq!(
                err,
                ChecklistError::NotApplicableWithoutReason {
                    key: item.key.clone()
                }
            );
        }
        assert_eq!(
            list.open_required().len(),
            template.items.iter().filter(|i| i.required).count()
        );
    }
}

#[test]
fn done_without_the_detail_an_item_asks_for_is_refused() {
    let template = Template::builtin(ChecklistKind::Admission).unwrap();
    let by = PractitionerId::new();
    let mut list = Checklist::start(&template, PersonId::new(), &[], by, at(20, 9));
    let err = list
        .mark_done(
            "out_of_area_health_contacts",
            by,
            at(20, 9),
            DoneDetail::default(),
        )
        .unwrap_err();
    assert!(matches!(err, ChecklistError::DetailMissing { .. }));
    let err = list
        .mark_done("childrens_social_care_status", by, at(20, 9), note("   "))
        .unwrap_err();
    assert!(matches!(err, ChecklistError::DetailMissing { .. }));
    let mut no_phone = captured_contact(None);
    if let ContactRef::Captured { phone, .. } = &mut no_phone.contacts[0] {
        phone.clear();
    }
    assert!(list
        .mark_done("out_of_area_health_contacts", by, at(20, 9), no_phone)
        .is_err());
    assert_eq!(
        list.mark_done("no_such_item", by, at(20, 9), note("x"))
            .unwrap_err(),
        ChecklistError::UnknownItem {
            key: "no_such_item".into()
        }
    );
    assert_eq!(list.open_required().len(), 2, "refusals changed nothing");
}

#[test]
fn a_completed_checklist_cannot_change() {
    let template = Template::builtin(ChecklistKind::Admission).unwrap();
    let by = PractitionerId::new();
    let mut list = Checklist::start(&template, PersonId::new(), &[], by, at(20, 9));
    close_everything(&mut list, by);
    list.complete(&[], by, at(20, 13)).unwrap();
    assert_eq!(
        list.mark_not_applicable("other_agencies", by, at(20, 14), "none"),
        Err(ChecklistError::AlreadyComplete)
    );
    assert_eq!(
        list.complete(&[], by, at(20, 14)),
        Err(ChecklistError::AlreadyComplete)
    );
}

// ---- handover and discharge: concerns pulled automatically ----------------------------------

#[test]
fn a_concern_captured_for_the_person_appears_in_handover_and_discharge_without_retyping() {
    let baby = PersonId::new();
    let sibling = PersonId::new();
    let by = PractitionerId::new();
    let da = concern(baby, ConcernCategory::DomesticAbuse, at(18, 10));
    let wnb = concern(baby, ConcernCategory::WasNotBrought, at(12, 10));
    let closed = concern(baby, ConcernCategory::Medication, at(10, 10))
        .close(by, at(11, 10), "resolved: locked box seen in use")
        .unwrap();
    let someone_else = concern(sibling, ConcernCategory::GrowthOrWeight, at(18, 11));
    let observations = vec![da.clone(), wnb.clone(), closed, someone_else];

    for kind in [ChecklistKind::Handover, ChecklistKind::Discharge] {
        let list = Checklist::start(
            &Template::builtin(kind).unwrap(),
            baby,
            &observations,
            by,
            at(20, 9),
        );
        let concerns: Vec<&ChecklistItem> =
            list.items.iter().filter(|i| i.concern.is_some()).collect();
        assert_eq!(
            concerns
                .iter()
                .map(|i| i.concern.unwrap())
                .collect::<Vec<_>>(),
            vec![wnb.id, da.id],
            "open concerns for this person only, in order observed"
        );
        assert!(concerns.iter().all(|i| i.required));
        assert_eq!(
            concerns[0].text,
            "Hand over concern: was not brought (concern), observed 12 Nov 2026"
        );
        assert_eq!(
            concerns[1].text,
            "Hand over concern: domestic abuse (concern), observed 18 Nov 2026"
        );
    }
}

#[test]
fn handover_cannot_complete_until_every_concern_is_handed_over() {
    let baby = PersonId::new();
    let by = PractitionerId::new();
    let da = concern(baby, ConcernCategory::DomesticAbuse, at(18, 10));
    let observations = vec![da.clone()];
    let mut list = Checklist::start(
        &Template::builtin(ChecklistKind::Handover).unwrap(),
        baby,
        &observations,
        by,
        at(20, 9),
    );
    let open = keys(list.complete(&observations, by, at(20, 10)).unwrap_err());
    assert_eq!(
        open,
        vec![
            "acute_has_community_numbers".to_string(),
            "community_has_acute_numbers".to_string(),
            "handover_received_by".to_string(),
            format!("concern:{}", da.id),
        ]
    );
    close_everything(&mut list, by);
    list.complete(&observations, by, at(20, 13)).unwrap();
}

#[test]
fn a_concern_captured_after_the_handover_started_blocks_completion_until_handed_over() {
    let baby = PersonId::new();
    let by = PractitionerId::new();
    let mut observations = vec![concern(baby, ConcernCategory::DomesticAbuse, at(18, 10))];
    let mut list = Checklist::start(
        &Template::builtin(ChecklistKind::Discharge).unwrap(),
        baby,
        &observations,
        by,
        at(20, 9),
    );
    close_everything(&mut list, by);
    let late = concern(baby, ConcernCategory::ParentalMentalHealth, at(20, 10));
    observations.push(late.clone());
    let open = keys(list.complete(&observations, by, at(20, 13)).unwrap_err());
    assert_eq!(open, vec![format!("concern:{}", late.id)]);
    assert!(!list.is_complete());
    assert_eq!(list.add_open_concerns(&observations), 1);
    assert_eq!(
        list.add_open_concerns(&observations),
        0,
        "never added twice"
    );
    list.mark_not_applicable(
        &format!("concern:{}", late.id),
        by,
        at(20, 13),
        "handed over by phone to ward sister before discharge",
    )
    .unwrap();
    list.complete(&observations, by, at(20, 14)).unwrap();
}

#[test]
fn handover_contacts_must_include_out_of_hours_numbers() {
    let by = PractitionerId::new();
    let mut list = Checklist::start(
        &Template::builtin(ChecklistKind::Handover).unwrap(),
        PersonId::new(),
        &[],
        by,
        at(20, 9),
    );
    let err = list
        .mark_done(
            "acute_has_community_numbers",
            by,
            at(20, 9),
            captured_contact(None),
        )
        .unwrap_err();
    assert!(err.to_string().contains("out-of-hours"));
    list.mark_done(
        "acute_has_community_numbers",
        by,
        at(20, 9),
        captured_contact(Some("01632 960999")),
    )
    .unwrap();
    list.mark_done(
        "community_has_acute_numbers",
        by,
        at(20, 9),
        DoneDetail {
            note: None,
            contacts: vec![ContactRef::Directory {
                team: TeamId::new(),
                label: "Ward 12 postnatal".into(),
            }],
        },
    )
    .unwrap();
}

#[test]
fn discharge_lists_every_required_item_when_nothing_is_done() {
    let template = Template::builtin(ChecklistKind::Discharge).unwrap();
    let by = PractitionerId::new();
    let mut list = Checklist::start(&template, PersonId::new(), &[], by, at(20, 9));
    let open = keys(list.complete(&[], by, at(20, 9)).unwrap_err());
    for key in [
        "untoward_incidents",
        "follow_up_appointments",
        "care_plan_shared",
        "medication_repeat_prescriptions",
        "medication_storage",
        "medication_supply_on_move",
        "health_staff_involved",
    ] {
        assert!(open.iter().any(|k| k == key), "{key} missing from {open:?}");
    }
}

#[test]
fn a_checklist_round_trips_through_json() {
    let baby = PersonId::new();
    let by = PractitionerId::new();
    let observations = vec![concern(baby, ConcernCategory::DomesticAbuse, at(18, 10))];
    let mut list = Checklist::start(
        &Template::builtin(ChecklistKind::Handover).unwrap(),
        baby,
        &observations,
        by,
        at(20, 9),
    );
    close_everything(&mut list, by);
    list.complete(&observations, by, at(20, 13)).unwrap();
    let back: Checklist = serde_json::from_str(&serde_json::to_string(&list).unwrap()).unwrap();
    assert_eq!(back, list);
}

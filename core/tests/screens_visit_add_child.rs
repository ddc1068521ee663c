//! The Visit screen's "Add a child" form (issue 17, a gap the shell rewrite found): the record
//! carries the fields the person rules need for a child, with core's labels, so a shell asks
//! for the date of birth as well as the name. A child added from exactly the required fields is
//! accepted and listed to choose; one without the date of birth is refused, which is what a
//! shell asking only for the name ran into. Real store.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use chrono::NaiveDate;
use safeshare_core::app::AppError;
use safeshare_core::model::{PersonDetails, PersonRole, Place, PlaceKind};
use safeshare_core::screens::{CaptureDraft, ChildDetail, VisitActionKind};

#[test]
fn add_a_child_carries_the_fields_the_person_rules_need() {
    let region = region();
    let hv = health_visitor(&region, utc(2026, 11, 23, 10, 0));
    let household = hv.session.add_household(None).unwrap();
    let visit = hv
        .session
        .start_visit(
            household.id,
            Place {
                kind: PlaceKind::Home,
                detail: None,
            },
            vec![],
            None,
        )
        .unwrap();
    let screen = hv
        .session
        .visit_screen(visit.id, &CaptureDraft::empty())
        .unwrap();
    let fields: Vec<_> = screen
        .add_child
        .iter()
        .map(|f| (f.detail, f.label.as_str(), f.required))
        .collect();
    assert_eq!(
        fields,
        vec![
            (ChildDetail::Name, "Full name", true),
            (ChildDetail::DateOfBirth, "Date of birth", true),
            (ChildDetail::NhsNumber, "NHS number (if known)", false),
        ]
    );
    assert!(screen.add_child.iter().all(|f| !f.hint.is_empty()));
    let add = screen
        .actions
        .iter()
        .find(|a| matches!(a.kind, VisitActionKind::AddChild { .. }))
        .unwrap();
    assert!(add.enabled && add.label == "Add a child");

    // The name only (what the shells asked before): refused on the date of birth.
    let refused = hv.session.add_person(
        household.id,
        PersonRole::Child,
        PersonDetails {
            name: Some("Alex Example".into()),
            ..PersonDetails::default()
        },
    );
    assert!(
        matches!(&refused, Err(AppError::Validation { field, .. }) if field.contains("date_of_birth")),
        "{refused:?}"
    );

    // Every required field of the form: accepted, and offered to choose.
    let child = hv
        .session
        .add_person(
            household.id,
            PersonRole::Child,
            PersonDetails {
                name: Some("Alex Example".into()),
                date_of_birth: NaiveDate::from_ymd_opt(2024, 5, 10),
                ..PersonDetails::default()
            },
        )
        .unwrap();
    let screen = hv
        .session
        .visit_screen(visit.id, &CaptureDraft::empty())
        .unwrap();
    assert_eq!(screen.people.len(), 1);
    assert_eq!(screen.people[0].person, child.id);
}

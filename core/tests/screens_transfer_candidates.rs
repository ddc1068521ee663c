//! Take on's choice between candidates on the Expected families screen (issue 21 item 4), on
//! real SQLite stores: when someone recorded on the receiving phone has the transferred child's
//! NHS number but the identity rule cannot decide alone (another date of birth), the row
//! carries those people, each with "This is the child", and "None of these" in place of Take
//! on — all disabled until the read-back, nothing attached by showing them — and the choice
//! made through `take_on_resolved` takes the child on as that person.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
use app_support::transfer::{acknowledge_transfer, add_child, send_transfer, taken_on_as};
use app_support::*;
use chrono::NaiveDate;
use safeshare_core::app::{SubjectChoice, TransferTakeOn};
use safeshare_core::screens::{ExpectedFamilyRow, TransferActionKind};

fn only_row(device: &Device) -> ExpectedFamilyRow {
    let screen = device.session.expected_families_screen().unwrap();
    assert_eq!(screen.families.len(), 1, "{screen:#?}");
    screen.families[0].clone()
}

#[test]
fn a_child_recorded_here_under_the_same_nhs_number_but_another_birthday_is_offered_to_choose() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let family = family(&midwife.session);
    let (sent, envelope) = send_transfer(&region, &midwife, family.baby.id);

    // The health visitor already holds the baby under the same NHS number, born a day later.
    let hv = health_visitor(&region, utc(2026, 12, 1, 11, 0));
    let recorded = add_child(
        &hv,
        CHILD_NAME,
        NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        Some(CHILD_NHS),
    );
    hv.session.apply_inbound(&envelope).unwrap();

    // Before the read-back: the candidate is shown, every way to take the child on disabled.
    let row = only_row(&hv);
    assert_eq!(row.candidates.len(), 1, "{row:#?}");
    assert!(row
        .candidates_heading
        .as_deref()
        .unwrap()
        .contains("choose"));
    let candidate = &row.candidates[0];
    assert_eq!(candidate.person, recorded.id);
    assert!(
        candidate.title.starts_with(CHILD_NAME),
        "{}",
        candidate.title
    );
    assert_eq!(
        candidate.differences,
        "Differs from the transfer: date of birth"
    );
    assert_eq!(
        candidate.action.kind,
        TransferActionKind::TakeOnAs {
            share: sent,
            person: recorded.id
        }
    );
    assert!(!candidate.action.enabled);
    assert!(
        !row.actions
            .iter()
            .any(|a| matches!(a.kind, TransferActionKind::TakeOn { .. })),
        "Take on is replaced by the choice"
    );
    let none_of_these = row
        .actions
        .iter()
        .find(|a| matches!(a.kind, TransferActionKind::TakeOnAsNew { .. }))
        .unwrap();
    assert!(!none_of_these.enabled);
    assert!(none_of_these
        .detail
        .as_deref()
        .unwrap()
        .starts_with("Acknowledge the transfer"));
    // Showing the candidates attached nothing.
    assert_eq!(hv.session.transfers().expected().unwrap()[0].taken_on, None);

    acknowledge_transfer(&hv, sent);
    let row = only_row(&hv);
    assert!(row.candidates[0].action.enabled);
    assert!(row
        .actions
        .iter()
        .any(|a| matches!(a.kind, TransferActionKind::TakeOnAsNew { .. }) && a.enabled));
    // What Take on answers agrees with the screen.
    match hv.session.transfers().take_on(sent).unwrap() {
        TransferTakeOn::Confirm { candidates, .. } => {
            assert_eq!(candidates.len(), 1);
            assert_eq!(candidates[0].person.id, recorded.id);
        }
        other => panic!("expected a choice, got {other:?}"),
    }

    // "This is the child".
    let TransferActionKind::TakeOnAs { share, person } = row.candidates[0].action.kind.clone()
    else {
        panic!("not a take-on choice");
    };
    let (child, existing) = taken_on_as(
        hv.session
            .transfers()
            .take_on_resolved(share, SubjectChoice::SamePerson(person))
            .unwrap(),
    );
    assert_eq!(child, recorded.id);
    assert!(existing);
    let row = only_row(&hv);
    assert!(row.candidates.is_empty() && row.candidates_heading.is_none());
    assert_eq!(row.status, "Taken on to your caseload");
    assert!(row
        .actions
        .iter()
        .any(|a| a.kind == TransferActionKind::OpenChild { child: recorded.id }));
}

#[test]
fn with_no_one_here_under_the_number_take_on_is_offered_plainly() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let family = family(&midwife.session);
    let (sent, envelope) = send_transfer(&region, &midwife, family.baby.id);
    let hv = health_visitor(&region, utc(2026, 12, 1, 11, 0));
    hv.session.apply_inbound(&envelope).unwrap();
    let row = only_row(&hv);
    assert!(row.candidates.is_empty() && row.candidates_heading.is_none());
    assert!(row
        .actions
        .iter()
        .any(|a| a.kind == TransferActionKind::TakeOn { share: sent }));
}

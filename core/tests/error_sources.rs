//! Error tiers keep their causes (issue 16 item 2): a refused write's `AppError` carries the
//! module error that decided it as its `source()` chain (not its text copied into a string),
//! its message is the one the shells have always shown, and the one mapping onto the public
//! `SafeShareError` gives the same words. Real sessions on real SQLite files; the lower tiers
//! (the file-backed secret store, the directory import) keep the OS's and serde's errors.

// Test helpers outside #[test] fns may unwrap: a failure is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use chrono::{Duration, NaiveDate};
use safeshare_core::app::{AppError, SupervisionInput};
use safeshare_core::boundary::SafeShareError;
use safeshare_core::casework::meeting::{MeetingError, MeetingType};
use safeshare_core::casework::supervision::SupervisionError;
use safeshare_core::casework::team_around_child::TeamError;
use safeshare_core::casework::transfer::TransferError;
use safeshare_core::directory::{AreaError, LineProblemKind, Service};
use safeshare_core::secrets::{FileSecretStore, SecretStoreError};
use std::error::Error;

/// The first error in `err`'s source chain (itself excluded) that is a `T`.
fn cause<'a, T: Error + 'static>(err: &'a (dyn Error + 'static)) -> Option<&'a T> {
    let mut next = err.source();
    while let Some(e) = next {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        next = e.source();
    }
    None
}

fn validation(err: &AppError) -> &str {
    match err {
        AppError::Validation { field, .. } => field,
        other => panic!("expected a validation error: {other:?}"),
    }
}

/// `err` through the one public mapping, as a shell sees it.
fn public(err: AppError) -> SafeShareError {
    SafeShareError::from(err)
}

#[test]
fn a_transfer_missing_a_required_field_keeps_the_transfer_error_and_its_words() {
    let region = region();
    let now = utc(2026, 11, 22, 10, 0);
    let midwife = midwife(&region, now);
    let family = family(&midwife.session);
    let mut transfer = transfer::transfer_of(&region, family.baby.id);
    transfer.health_needs = "   ".into();

    let err = midwife.session.transfers().send(transfer).unwrap_err();

    assert_eq!(validation(&err), "health_needs");
    assert_eq!(
        cause::<TransferError>(&err),
        Some(&TransferError::Required {
            field: "health_needs"
        })
    );
    assert_eq!(
        err.to_string(),
        "health_needs: health_needs is required (write \"none known\" when there is nothing)"
    );
    assert_eq!(
        public(err),
        SafeShareError::Validation {
            field: "health_needs".into(),
            detail: "health_needs is required (write \"none known\" when there is nothing)".into()
        }
    );
}

#[test]
fn a_new_postcode_that_is_not_one_keeps_the_area_error_and_never_quotes_what_was_typed() {
    let region = region();
    let now = utc(2026, 11, 22, 10, 0);
    let midwife = midwife(&region, now);
    let typed = "Flat 2 Quartermain House";

    let err = midwife
        .session
        .transfers()
        .receiving_teams(Service::HealthVisiting, typed)
        .unwrap_err();
    assert_eq!(validation(&err), "new_postcode");
    assert_eq!(cause::<AreaError>(&err), Some(&AreaError::BadShape));
    assert_eq!(
        err.to_string(),
        "new_postcode: not a UK postcode, postcode district or postcode area"
    );

    // The same refusal when the transfer itself is sent: checked before any work.
    let family = family(&midwife.session);
    let mut transfer = transfer::transfer_of(&region, family.baby.id);
    transfer.new_postcode = typed.into();
    let err = midwife.session.transfers().send(transfer).unwrap_err();
    assert_eq!(cause::<AreaError>(&err), Some(&AreaError::BadShape));
    let shown = public(err);
    assert!(
        !format!("{shown} {shown:?}").contains("Quartermain"),
        "{shown:?}"
    );
}

#[test]
fn ending_an_involvement_nobody_has_keeps_the_team_error_and_its_words() {
    let region = region();
    let now = utc(2026, 11, 22, 10, 0);
    let hv = health_visitor(&region, now);
    let family = family(&hv.session);

    let err = hv
        .session
        .team_around_child()
        .end_involvement(
            family.baby.id,
            ulid::Ulid::new(),
            NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        )
        .unwrap_err();

    assert_eq!(validation(&err), "involvement");
    assert_eq!(cause::<TeamError>(&err), Some(&TeamError::NoSuchMember));
    assert_eq!(
        err.to_string(),
        "involvement: involvement: no current member of the team around the child has this id"
    );
    assert_eq!(
        public(err),
        SafeShareError::Validation {
            field: "involvement".into(),
            detail: "involvement: no current member of the team around the child has this id"
                .into()
        }
    );
}

#[test]
fn a_meeting_pack_representing_nobody_and_a_record_before_the_meeting_keep_the_meeting_error() {
    let region = region();
    let now = utc(2026, 11, 22, 10, 0);
    let hv = health_visitor(&region, now);
    let family = family(&hv.session);

    // Refused while the pack is assembled: on the pack as a whole, as before.
    let err = hv
        .session
        .prepare_my_meeting_pack(
            family.baby.id,
            MeetingType::ChildInNeed,
            now + Duration::days(3),
            vec!["  ".into()],
        )
        .unwrap_err();
    assert_eq!(validation(&err), "meeting_pack");
    assert_eq!(
        cause::<MeetingError>(&err),
        Some(&MeetingError::NothingRepresented)
    );
    assert_eq!(
        err.to_string(),
        "meeting_pack: represents: say which parts of the child's care you represent"
    );

    // A pack for a meeting in three days: what was shared there cannot be recorded yet.
    let pack = hv
        .session
        .prepare_my_meeting_pack(
            family.baby.id,
            MeetingType::ChildInNeed,
            now + Duration::days(3),
            vec!["health visiting".into()],
        )
        .unwrap();
    let err = hv
        .session
        .record_shared_at_meeting(pack.id, "feeding plan and weight", Vec::new())
        .unwrap_err();
    assert!(matches!(err, AppError::Refused { .. }), "{err:?}");
    assert_eq!(cause::<MeetingError>(&err), Some(&MeetingError::NotYetHeld));
    assert_eq!(
        err.to_string(),
        "the meeting has not started yet: record this from its start"
    );
    assert_eq!(
        public(err),
        SafeShareError::Refused {
            detail: "the meeting has not started yet: record this from its start".into(),
            open_items: Vec::new()
        }
    );
}

#[test]
fn a_supervision_with_no_case_keeps_the_supervision_error_and_its_words() {
    let region = region();
    let now = utc(2026, 11, 22, 10, 0);
    let hv = health_visitor(&region, now);

    let err = hv
        .session
        .record_supervision(SupervisionInput {
            supervisor: "Alex Lead, named nurse for safeguarding".into(),
            held_at: now - Duration::hours(1),
            cases: Vec::new(),
            actions: Vec::new(),
        })
        .unwrap_err();

    assert_eq!(validation(&err), "cases");
    assert_eq!(
        cause::<SupervisionError>(&err),
        Some(&SupervisionError::NoCases)
    );
    assert_eq!(
        err.to_string(),
        "cases: cases: list at least one case discussed"
    );
    assert_eq!(
        public(err),
        SafeShareError::Validation {
            field: "cases".into(),
            detail: "cases: list at least one case discussed".into()
        }
    );
}

#[test]
fn a_secret_directory_that_cannot_be_made_keeps_the_operating_systems_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-directory");
    std::fs::write(&file, b"x").unwrap();

    let err = FileSecretStore::new(file.join("secrets")).unwrap_err();

    assert!(matches!(err, SecretStoreError::Io(_)), "{err:?}");
    let io = cause::<std::io::Error>(&err).expect("the io error is the source");
    assert_eq!(err.to_string(), format!("secret storage unavailable: {io}"));
}

#[test]
fn a_directory_line_that_is_not_json_keeps_serdes_error_and_the_operators_words() {
    let text = concat!(
        r#"{"format": "safeshare-directory", "format_version": 1, "version": 1, "region": "X"}"#,
        "\n",
        r#"{"organisation": {"id": 1"#,
        "\n",
        r#"{"organisation": {"name": "Fictional Trust"}}"#,
        "\n",
    );

    let err = safeshare_core::directory::parse(text).unwrap_err();

    let problem = &err.problems[0];
    assert_eq!(problem.line, 2);
    let LineProblemKind::Json(json) = &problem.kind else {
        panic!("expected a JSON problem: {problem:?}");
    };
    assert_eq!(json.category(), serde_json::error::Category::Eof);
    assert_eq!(json.column(), Some(25));
    let serde = cause::<serde_json::Error>(&problem.kind).expect("serde's error is the source");
    assert_eq!(serde.column(), 25);
    assert_eq!(
        problem.to_string(),
        "line 2: EOF while parsing an object (column 25)"
    );

    // JSON, but not of an organisation's shape: checked after parsing, so no column.
    let problem = &err.problems[1];
    let LineProblemKind::Json(json) = &problem.kind else {
        panic!("expected a JSON problem: {problem:?}");
    };
    assert_eq!(json.category(), serde_json::error::Category::Data);
    assert_eq!(json.column(), None);
    assert!(cause::<serde_json::Error>(&problem.kind).is_some());
    assert!(
        problem.to_string().starts_with("line 3: missing field"),
        "{problem}"
    );
}

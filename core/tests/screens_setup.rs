//! The Set up screen as core builds it (issue 17 item 1): before set-up (name, every team
//! chosen from the directory, "Set up" enabled only when the identity's own check accepts the
//! draft, "Enrol" offered but disabled), after set-up on a real store reopened with `resume`
//! (every team kept, the enrolment code field, the server), and a real key mismatch at launch
//! shown as its one recovery.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use safeshare_core::app::{AppError, Identity, Session, TeamMembership};
use safeshare_core::boundary::SafeShareError;
use safeshare_core::clock::FixedClock;
use safeshare_core::screens::{SetUpActionKind, SetUpDraft, SetUpScreen, SetUpStage, Tone};
use safeshare_core::secrets::InMemorySecretStore;
use std::sync::Arc;

const SERVER: &str = "https://safeshare.fictional-region.example";

#[test]
fn an_empty_draft_cannot_be_set_up_and_says_what_is_missing() {
    let region = region();
    let screen = SetUpScreen::before_set_up(&region.directory, &SetUpDraft::default(), SERVER);
    assert_eq!(screen.title, "Set up SafeShare on this phone");
    assert_eq!(screen.stage, SetUpStage::NotSetUp);
    assert_eq!(screen.name.label, "Your name");
    assert!(screen.name.editable);
    assert!(screen.teams.is_empty());
    assert_eq!(
        screen.teams_empty.as_deref(),
        Some("No team yet: find each team you work in and add it.")
    );
    assert!(screen.found.is_empty(), "nothing typed, nothing found");
    assert_eq!(
        screen.directory_warning.as_deref(),
        Some("SAMPLE DIRECTORY: fictional teams, not for real use")
    );
    assert_eq!(screen.server, format!("Server: {SERVER}"));
    assert_eq!(screen.enrolment_code.label, "Enrolment code");
    let set_up = &screen.actions[0];
    assert_eq!(set_up.kind, SetUpActionKind::SetUp);
    assert_eq!(set_up.label, "Set up this phone");
    assert!(!set_up.enabled);
    assert_eq!(set_up.detail.as_deref(), Some("Type your name."));
    let enrol = &screen.actions[1];
    assert_eq!(enrol.kind, SetUpActionKind::Enrol);
    assert!(!enrol.enabled, "enrolment needs a store first");
    assert_eq!(enrol.detail.as_deref(), Some("Set up this phone first."));

    // A name but no team: the identity's own check names the teams.
    let named = SetUpDraft {
        practitioner_name: "Health visitor Birch".into(),
        ..SetUpDraft::default()
    };
    let screen = SetUpScreen::before_set_up(&region.directory, &named, "");
    assert!(!screen.actions[0].enabled);
    assert_eq!(
        screen.actions[0].detail.as_deref(),
        Some("Add every team you work in (at least one).")
    );
    assert_eq!(
        screen.server,
        "Server: not configured in this app. Tell your IT service desk."
    );
}

#[test]
fn every_team_chosen_is_kept_through_set_up_and_resume() {
    let region = region();
    // Search by organisation, folded as typed on a phone ("fictional east").
    let mut draft = SetUpDraft {
        practitioner_name: "Health visitor Birch".into(),
        team_query: "fictional EAST".into(),
        teams: Vec::new(),
        enrolment_code: String::new(),
    };
    let screen = SetUpScreen::before_set_up(&region.directory, &draft, SERVER);
    assert_eq!(screen.found.len(), 1);
    let found = &screen.found[0];
    assert_eq!(found.team, region.health_visiting);
    assert_eq!(found.title, "East health visiting");
    assert_eq!(found.subtitle, "Fictional East Trust · health visiting");
    assert_eq!(
        found.actions[0].kind,
        SetUpActionKind::AddTeam {
            team: region.health_visiting,
            name: "East health visiting".into()
        }
    );
    assert_eq!(found.actions[0].label, "Add");

    // The practitioner adds it, then a second team found by name: both are listed, neither is
    // offered again, and set-up can go ahead.
    draft.teams.push(TeamMembership {
        id: region.health_visiting,
        name: "East health visiting".into(),
    });
    draft.team_query = "midwifery".into();
    draft.teams.push(TeamMembership {
        id: region.midwifery,
        name: "West community midwifery".into(),
    });
    let screen = SetUpScreen::before_set_up(&region.directory, &draft, SERVER);
    assert_eq!(
        screen
            .teams
            .iter()
            .map(|t| t.title.as_str())
            .collect::<Vec<_>>(),
        vec!["East health visiting", "West community midwifery"]
    );
    assert!(screen.teams_empty.is_none());
    assert!(screen.teams.iter().all(|t| t.actions[0].label == "Remove"));
    assert!(
        screen.found.is_empty(),
        "a team chosen is not offered again"
    );
    assert!(screen.actions[0].enabled);
    assert_eq!(screen.actions[0].detail, None);

    // "Set up" as the shell performs it, on a real store; then the app is closed and resumed.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("field.db");
    let secrets = Arc::new(InMemorySecretStore::default());
    let clock = Arc::new(FixedClock::new(utc(2026, 11, 24, 9, 0)));
    let identity =
        Identity::before_enrolment(draft.practitioner_name.clone(), draft.teams.clone()).unwrap();
    drop(
        Session::open(
            &path,
            secrets.clone(),
            clock.clone(),
            identity,
            Some(region.directory.clone()),
        )
        .unwrap(),
    );
    let session = Session::resume(&path, secrets, clock, None).unwrap();
    let screen = session
        .set_up_screen(&SetUpDraft::default(), SERVER)
        .unwrap();
    assert_eq!(screen.title, "This phone");
    assert_eq!(screen.stage, SetUpStage::NotEnrolled);
    assert!(screen.status.starts_with("Set up, not yet enrolled"));
    assert_eq!(screen.name.value, "Health visitor Birch");
    assert!(!screen.name.editable, "the name is the store's once set up");
    assert_eq!(
        screen
            .teams
            .iter()
            .map(|t| (t.team, t.title.as_str(), t.subtitle.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (
                region.health_visiting,
                "East health visiting",
                "Fictional East Trust · health visiting"
            ),
            (
                region.midwifery,
                "West community midwifery",
                "Fictional West Trust · midwifery"
            ),
        ],
        "both teams survive a restart"
    );
    assert!(screen.team_search.is_none());
    assert_eq!(screen.server, format!("Server: {SERVER}"));
    assert_eq!(screen.actions.len(), 1);
    let enrol = &screen.actions[0];
    assert_eq!(enrol.kind, SetUpActionKind::Enrol);
    assert_eq!(enrol.label, "Enrol this phone");
    assert!(!enrol.enabled);
    assert_eq!(
        enrol.detail.as_deref(),
        Some("Type the enrolment code first.")
    );

    // A code typed (with the spaces a pasted code brings) enables it.
    let typed = SetUpDraft {
        enrolment_code: " ABCD-EFGH ".into(),
        ..SetUpDraft::default()
    };
    let screen = session.set_up_screen(&typed, SERVER).unwrap();
    assert_eq!(screen.enrolment_code.value, " ABCD-EFGH ");
    assert!(screen.actions[0].enabled);
    assert_eq!(screen.actions[0].detail, None);
}

#[test]
fn a_key_that_does_not_open_the_store_is_one_recovery_that_never_offers_to_erase() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 24, 9, 0));
    let family = family(&midwife.session);
    drop(family);
    let path = midwife.path.clone();
    // The phone's keystore was reset: a different key.
    let reset = Arc::new(InMemorySecretStore::default());
    let err = Session::resume(&path, reset, midwife.clock.clone(), None).unwrap_err();
    assert!(matches!(err, AppError::KeyMismatch | AppError::KeyMissing));
    let public = SafeShareError::from(err);
    assert!(matches!(public, SafeShareError::KeyMismatch { .. }));

    let screen = SetUpScreen::cannot_open(&public, SERVER);
    assert_eq!(screen.stage, SetUpStage::CannotOpen);
    assert_eq!(screen.title, "SafeShare cannot open your records");
    assert!(
        screen.actions.is_empty(),
        "no set-up over a store that exists"
    );
    assert!(screen.team_search.is_none());
    let recovery = screen.recovery.expect("a recovery");
    assert_eq!(recovery.tone, Tone::ImmediateRisk);
    assert_eq!(recovery.title, "The records on this phone cannot be opened");
    assert_eq!(screen.status, recovery.title);
    assert!(recovery.text.contains("were not changed"));
    assert_eq!(
        recovery.steps[0],
        "Do not delete or reinstall the app: that would lose what was not yet sent."
    );
    assert!(recovery.steps[1].contains("IT service desk"));
    assert_eq!(recovery.actions.len(), 1);
    assert_eq!(recovery.actions[0].kind, SetUpActionKind::TryAgain);
    assert!(recovery.actions[0].enabled);

    // The store is untouched: the right key still opens it, with its records.
    let session = Session::resume(&path, midwife.secrets.clone(), midwife.clock.clone(), None)
        .expect("the right key still opens it");
    assert_eq!(session.identity().practitioner_name, "Midwife Ash");

    // A keystore that did not answer is its own recovery: try again once unlocked.
    let storage = SafeShareError::Storage {
        detail: "secret storage unavailable".into(),
    };
    let screen = SetUpScreen::cannot_open(&storage, SERVER);
    let recovery = screen.recovery.unwrap();
    assert_eq!(
        recovery.title,
        "The phone's storage or secure key store did not answer"
    );
    assert_eq!(recovery.actions[0].label, "Try again");
}

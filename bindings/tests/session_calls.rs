//! Calls made through the exported objects on a real encrypted store, each read back through
//! the screen record a shell shows (issue 16 item 4: the list and lookup calls are gone): a call
//! is in the child's chronology with its team until its outcome is recorded, the number chosen
//! for a team at the session's instant, an unknown team, a panicking platform clock, the capture
//! screen's prompts and NHS number check, and the tool calls' JSON (parsed and encoded by core,
//! a bad envelope refused before any work).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::MapStore;
use safeshare_core::app::TeamMembership;
use safeshare_core::boundary::Ulid;
use safeshare_core::directory::CallReason;
use safeshare_core::model::{
    Evidence, HouseholdId, Person, PersonDetails, PersonRole, Place, PlaceKind, TeamId,
};
use safeshare_core::rules::nhs_number::ValidNhsNumber;
use safeshare_core::rules::phrasing::CaptureWarningKind;
use safeshare_core::screens::{CaptureDraft, ContactsActionKind};
use safeshare_ffi::{
    identity_before_enrolment, Clock, ContactsDirectory, PlatformError, SafeShareError, Session,
    SessionTools,
};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

const SAMPLE: &str = include_str!("../../data/directory/sample-fictional.jsonl");
const MIDWIFERY: &str = "01M6A6FT00TTZHYYZ9RZKXMQAR";

/// 2026-11-24 10:00 GMT, a Tuesday: the midwifery team's direct line is open. Once `broken`
/// is set, reading it panics (a platform clock callback that fails the hard way).
#[derive(Default)]
struct TuesdayMorning {
    broken: AtomicBool,
}

impl Clock for TuesdayMorning {
    fn now(&self) -> Result<SystemTime, PlatformError> {
        if self.broken.load(Ordering::SeqCst) {
            panic!("clock callback failed");
        }
        Ok(SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_514_400))
    }
}

fn midwifery() -> TeamId {
    MIDWIFERY.parse().unwrap()
}

/// A session on a fresh store file under the system's temporary folder.
fn open_session() -> Arc<Session> {
    open_session_with(Arc::new(TuesdayMorning::default()))
}

fn open_session_with(clock: Arc<TuesdayMorning>) -> Arc<Session> {
    let path = std::env::temp_dir().join(format!("safeshare-session-calls-{}.db", Ulid::new()));
    let identity = identity_before_enrolment(
        "Test Midwife".into(),
        vec![TeamMembership {
            id: midwifery(),
            name: "Community Midwifery".into(),
        }],
    )
    .unwrap();
    let directory = ContactsDirectory::from_jsonl(SAMPLE.into()).unwrap();
    Session::open(
        path.to_string_lossy().into_owned(),
        Arc::new(MapStore::default()),
        clock,
        identity,
        Some(directory),
    )
    .unwrap()
}

/// A household with a baby (NHS number typed with hyphens) on `session`.
fn household_with_a_baby(session: &Session) -> (HouseholdId, Person) {
    let visits = session.visits();
    let household = visits.add_household(None).unwrap();
    let details = PersonDetails {
        name: Some("Demelza Example".into()),
        known_as: None,
        date_of_birth: chrono::NaiveDate::from_ymd_opt(2026, 11, 20),
        nhs_number: Some("943-476-5919".into()),
        phone: None,
        address: None,
        parental_responsibility: None,
    };
    let baby = visits
        .add_person(household, PersonRole::Child, details)
        .unwrap();
    (household, baby)
}

#[test]
fn a_started_call_is_in_the_childs_chronology_with_its_team_until_its_outcome_is_recorded() {
    let session = open_session();
    let baby = household_with_a_baby(&session).1.id;
    let calls = |s: &Session| {
        s.chronology_screen(baby)
            .unwrap()
            .rows
            .into_iter()
            .filter(|row| row.heading == "Call")
            .collect::<Vec<_>>()
    };
    assert!(calls(&session).is_empty());

    let started = session
        .contacts()
        .start_call(midwifery(), None, Some(baby))
        .unwrap();
    let listed = calls(&session);
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0].summary,
        format!("Call to {} started", started.call.answering_team_name)
    );
    assert_eq!(listed[0].when, "today 10:00");
}

#[test]
fn midwifery_on_a_tuesday_morning_is_open_and_its_number_is_the_direct_line() {
    let session = open_session();
    let contacts = session.contacts();
    let screen = contacts.screen("community midwifery".into()).unwrap();
    let row = screen.rows.iter().find(|r| r.team == midwifery()).unwrap();
    assert!(row.open_now);
    assert_eq!(
        row.actions[0].kind,
        ContactsActionKind::Call { team: midwifery() }
    );
    // The shell's tap: the number is chosen again for that instant.
    let target = contacts.start_call(midwifery(), None, None).unwrap().target;
    assert_eq!(target.reason, CallReason::TeamOpen);
    assert_eq!(target.tel_uri, "tel:+441134960101");
    assert!(target.expects_answer);
}

#[test]
fn an_unknown_team_is_not_found() {
    let session = open_session();
    let unknown = session.contacts().start_call(TeamId::new(), None, None);
    assert!(matches!(unknown, Err(SafeShareError::NotFound { .. })));
}

#[test]
fn a_clock_that_panics_gives_a_typed_internal_error() {
    let clock = Arc::new(TuesdayMorning::default());
    let session = open_session_with(clock.clone());
    clock.broken.store(true, Ordering::SeqCst);
    let result = session.contacts().screen("community midwifery".into());
    assert!(matches!(result, Err(SafeShareError::Internal { .. })));
}

#[test]
fn the_capture_screen_prompts_a_stock_phrase_opinion_and_a_valid_nhs_number_is_kept_in_both_forms()
{
    let session = open_session();
    let (household, baby) = household_with_a_baby(&session);
    let visits = session.visits();
    let home = Place {
        kind: PlaceKind::Home,
        detail: None,
    };
    let visit = visits
        .start_visit(household, home, vec![], None)
        .unwrap()
        .id;
    let draft = CaptureDraft {
        about: Some(baby.id),
        text: "No concerns".into(),
        evidence: Evidence::Opinion { basis: None },
        ..CaptureDraft::empty()
    };
    let screen = visits.screen(visit, draft).unwrap();
    let kinds: Vec<_> = screen.prompts.iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [
            CaptureWarningKind::NotSpecific,
            CaptureWarningKind::OpinionWithoutBasis
        ]
    );
    assert_eq!(screen.prompts[0].stock_phrases, ["no concerns"]);
    assert!(screen.prompts[0]
        .prompt
        .contains("What did you actually see?"));

    // The NHS number typed with hyphens is kept, in both forms; a wrong check digit is refused
    // on the field, and the person is not stored (the screen lists the household's people).
    assert_eq!(
        baby.nhs_number.as_ref().map(ValidNhsNumber::from),
        Some(ValidNhsNumber {
            digits: "9434765919".into(),
            formatted: "943 476 5919".into(),
        })
    );
    let refused = visits
        .add_person(
            household,
            PersonRole::Child,
            PersonDetails {
                name: Some("Other Example".into()),
                known_as: None,
                date_of_birth: chrono::NaiveDate::from_ymd_opt(2025, 1, 1),
                nhs_number: Some("943 476 5918".into()),
                phone: None,
                address: None,
                parental_responsibility: None,
            },
        )
        .unwrap_err();
    assert!(matches!(refused, SafeShareError::Validation { field, .. } if field == "nhs_number"));
    let people = visits.screen(visit, CaptureDraft::empty()).unwrap().people;
    assert_eq!(
        people.iter().map(|p| p.person).collect::<Vec<_>>(),
        [baby.id]
    );
}

#[test]
fn text_that_is_not_an_envelope_is_refused_on_the_envelope_field() {
    let session = open_session();
    let tools = SessionTools::new(session);
    let err = tools
        .apply_inbound("{\"not\": \"an envelope\"}".into())
        .unwrap_err();
    assert!(matches!(err, SafeShareError::Validation { field, .. } if field == "envelope"));
    // Nothing was queued by the refused call.
    assert!(tools.pending_envelopes().unwrap().is_empty());
}

//! Calls whose shaping moved from bindings into core (issue 16 item 1), made through the
//! exported objects on a real encrypted store: the calls list (`LoggedCall`, built by core) and
//! the tool calls' JSON (parsed and encoded by core, a bad envelope refused before any work).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::MapStore;
use safeshare_core::app::TeamMembership;
use safeshare_core::boundary::Ulid;
use safeshare_core::model::TeamId;
use safeshare_ffi::{
    identity_before_enrolment, Clock, ContactsDirectory, PlatformError, SafeShareError, Session,
    SessionTools,
};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

const SAMPLE: &str = include_str!("../../data/directory/sample-fictional.jsonl");
const MIDWIFERY: &str = "01M6A6FT00TTZHYYZ9RZKXMQAR";

/// 2026-11-24 10:00 GMT, a Tuesday: the midwifery team's direct line is open.
struct TuesdayMorning;

impl Clock for TuesdayMorning {
    fn now(&self) -> Result<SystemTime, PlatformError> {
        Ok(SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_514_400))
    }
}

fn midwifery() -> TeamId {
    MIDWIFERY.parse().unwrap()
}

/// A session on a fresh store file under the system's temporary folder.
fn open_session() -> Arc<Session> {
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
        Arc::new(TuesdayMorning),
        identity,
        Some(directory),
    )
    .unwrap()
}

#[test]
fn a_started_call_is_listed_with_its_team_until_its_outcome_is_recorded() {
    let session = open_session();
    let contacts = session.contacts();
    assert!(contacts.calls().unwrap().is_empty());

    let started = contacts.start_call(midwifery(), None, None).unwrap();
    let calls = contacts.calls().unwrap();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].call_id, started.call.id);
    assert_eq!(calls[0].team_name, started.call.answering_team_name);
    assert_eq!(calls[0].started_at, started.call.started_at);
    assert!(!calls[0].outcome_recorded);
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

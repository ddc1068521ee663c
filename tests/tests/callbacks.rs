//! Platform callbacks that call back into the session during enrolment and sync, over a real
//! server on 127.0.0.1 (issue 22; the open, wipe and capture cases are in
//! `core/tests/app_callbacks.rs`). A keystore that calls the session from inside `get` and
//! `put` gets answers or typed errors (a second sync is refused while one runs), never a hang;
//! eight threads capturing while another syncs keep exact counts. Each test has a watchdog.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

use chrono::{DateTime, TimeZone, Utc};
use safeshare_core::app::TeamMembership;
use safeshare_core::app::{AppError, Identity, NewObservationInput, Session, ShareRequest};
use safeshare_core::clock::{Clock, FixedClock};
use safeshare_core::model::{
    ConcernCategory, DeviceId, Evidence, PersonDetails, PersonId, PersonRole, PractitionerId,
    Severity,
};
use safeshare_core::secrets::{InMemorySecretStore, SecretStore, SecretStoreError};
use safeshare_core::sync::client::{SeededJitter, SyncClient, SyncConfig};
use safeshare_tests::{region, Backend, TestServer};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

fn within<T: Send + 'static>(bound: Duration, test: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(test)));
    });
    match rx.recv_timeout(bound) {
        Ok(Ok(value)) => value,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => panic!("hung: no answer within {bound:?}"),
    }
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

thread_local! {
    static IN_CALLBACK: Cell<bool> = const { Cell::new(false) };
}

/// The session a callback calls into, its sync client, and a person to read about.
type Target = (Arc<Session>, Arc<SyncClient>, PersonId);

/// A keystore that, from inside every method, reads from the session and starts a sync.
#[derive(Default)]
struct ReentrantSecrets {
    inner: InMemorySecretStore,
    target: Mutex<Option<Target>>,
    answers: Mutex<Vec<(&'static str, Result<(), AppError>)>>,
}

impl ReentrantSecrets {
    fn call_back(&self) {
        if IN_CALLBACK.with(Cell::get) {
            return;
        }
        let Some((session, client, person)) = self.target.lock().unwrap().clone() else {
            return;
        };
        IN_CALLBACK.with(|c| c.set(true));
        let read = session.observations_about(person).map(|_| ());
        let status = session.sync_status().map(|_| ());
        let sync = session.sync_now(&client).map(|_| ());
        IN_CALLBACK.with(|c| c.set(false));
        let mut answers = self.answers.lock().unwrap();
        answers.extend([("read", read), ("status", status), ("sync", sync)]);
    }

    fn take(&self) -> Vec<(&'static str, Result<(), AppError>)> {
        std::mem::take(&mut *self.answers.lock().unwrap())
    }
}

impl SecretStore for ReentrantSecrets {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, SecretStoreError> {
        self.call_back();
        self.inner.get(name)
    }
    fn put(&self, name: &str, value: &[u8]) -> Result<(), SecretStoreError> {
        self.call_back();
        self.inner.put(name, value)
    }
    fn delete(&self, name: &str) -> Result<(), SecretStoreError> {
        self.call_back();
        self.inner.delete(name)
    }
}

fn observation(about: PersonId, team: safeshare_core::model::TeamId) -> NewObservationInput {
    NewObservationInput {
        about,
        visit: None,
        category: ConcernCategory::WasNotBrought,
        severity: Severity::Concern,
        evidence: Evidence::ObservedFact,
        description: "Not brought to the 12-month review; second missed appointment.".into(),
        observed_at: None,
        place: None,
        share: Some(ShareRequest {
            team,
            message: "Please check at your next contact.".into(),
            severity: None,
        }),
    }
}

/// Every answer is a success, or the refusal a second sync gets while one runs.
fn completed_or_refused(answers: &[(&'static str, Result<(), AppError>)]) {
    assert!(!answers.is_empty(), "the keystore was called");
    for (what, answer) in answers {
        match (what, answer) {
            (_, Ok(())) => {}
            (&"sync", Err(AppError::Refused { reason, .. }))
                if reason.to_string().contains("already") => {}
            other => panic!("unexpected answer {other:?} in {answers:?}"),
        }
    }
}

#[test]
fn a_keystore_calling_back_in_during_enrolment_and_sync_completes_and_counts_stay_exact() {
    within(Duration::from_secs(240), || {
        let region = region();
        let clock = Arc::new(FixedClock::new(utc(2026, 11, 23, 10, 0)));
        let server = TestServer::start(Backend::Sqlite, clock.clone() as Arc<dyn Clock>, &region);
        let dir = tempfile::tempdir().unwrap();
        let team = region.midwifery;
        let other_team = region.health_visiting;
        let practitioner = PractitionerId::new();
        let secrets = Arc::new(ReentrantSecrets::default());
        let session = Arc::new(
            Session::open(
                dir.path().join("field.db"),
                secrets.clone(),
                clock.clone() as Arc<dyn Clock>,
                Identity {
                    practitioner,
                    practitioner_name: "Midwife Ash".into(),
                    teams: vec![TeamMembership {
                        id: team,
                        name: region.directory.team(team).unwrap().name.clone(),
                    }],
                    device: DeviceId::new(),
                },
                Some(region.directory.clone()),
            )
            .unwrap(),
        );
        let client = Arc::new(
            SyncClient::new(
                SyncConfig::new(server.base_url()),
                clock.clone() as Arc<dyn Clock>,
                Arc::new(SeededJitter::new(7)),
            )
            .unwrap(),
        );
        let household = session.add_household(None).unwrap();
        let child = session
            .add_person(
                household.id,
                PersonRole::Child,
                PersonDetails {
                    name: Some("Alex Example".into()),
                    date_of_birth: chrono::NaiveDate::from_ymd_opt(2025, 11, 1),
                    ..PersonDetails::default()
                },
            )
            .unwrap();
        *secrets.target.lock().unwrap() = Some((session.clone(), client.clone(), child.id));

        // Enrolment: the keystore's put (the device key) calls back in.
        session
            .enrol(&client, &server.issue_code_for(practitioner, vec![team]))
            .unwrap();
        completed_or_refused(&secrets.take());

        // Sync: the keystore's get (the device key) calls back in, a nested sync included.
        session
            .capture_observation(observation(child.id, other_team))
            .unwrap();
        let report = session.sync_now(&client).unwrap();
        assert_eq!(report.accepted, 1);
        let during_sync = secrets.take();
        completed_or_refused(&during_sync);
        assert!(during_sync
            .iter()
            .any(|(what, answer)| *what == "sync" && answer.is_err()));

        // Eight threads capturing while another syncs: each capture stored and sent once.
        *secrets.target.lock().unwrap() = None;
        let per_thread = 10_u64;
        let sent = Arc::new(AtomicU64::new(0));
        let capturing = Arc::new(AtomicBool::new(true));
        let syncer = {
            let (session, client, sent, capturing) = (
                session.clone(),
                client.clone(),
                sent.clone(),
                capturing.clone(),
            );
            std::thread::spawn(move || {
                while capturing.load(Ordering::SeqCst) {
                    let r = session.sync_now(&client).unwrap();
                    sent.fetch_add(r.accepted + r.duplicate, Ordering::SeqCst);
                }
            })
        };
        let capturers: Vec<_> = (0..8)
            .map(|_| {
                let session = session.clone();
                let child = child.id;
                std::thread::spawn(move || {
                    for _ in 0..per_thread {
                        session
                            .capture_observation(observation(child, other_team))
                            .unwrap();
                    }
                })
            })
            .collect();
        for c in capturers {
            c.join().unwrap();
        }
        capturing.store(false, Ordering::SeqCst);
        syncer.join().unwrap();
        let last = session.sync_now(&client).unwrap();
        sent.fetch_add(last.accepted + last.duplicate, Ordering::SeqCst);
        assert_eq!(sent.load(Ordering::SeqCst), 8 * per_thread);
        assert_eq!(
            session.observations_about(child.id).unwrap().len() as u64,
            1 + 8 * per_thread
        );
        let status = session.sync_status().unwrap();
        assert_eq!(status.pending, 0);
        assert!(status.rejected.is_empty());
    });
}

//! Platform callbacks that fail, panic or call back into the session (issue 22).
//!
//! The phone's clock and keystore are callbacks into Kotlin or Swift: they throw when the
//! device is locked, cross threads, and the shell's code may call SafeShare from inside them.
//! Rule under test: no platform callback runs under a core lock, so a failing callback is a
//! typed error for that one call with nothing written, a panic leaves no lock broken, and a
//! callback that calls back in completes or gets a typed error — never a hang (each test runs
//! under a watchdog that fails it after a bound).

// Test helpers outside #[test] fns may unwrap: a failure is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use chrono::{DateTime, Utc};
use safeshare_core::app::{AppError, NewObservationInput, Session, ShareRequest};
use safeshare_core::clock::{Clock, ClockError};
use safeshare_core::model::{ConcernCategory, Evidence, PersonId, PractitionerId, Severity};
use safeshare_core::secrets::{InMemorySecretStore, SecretStore, SecretStoreError};
use safeshare_core::store::FieldStore;
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

/// Runs `test` on its own thread and fails if it has not finished within `bound`: a hang is
/// a failure, not a stuck test run.
fn within<T: Send + 'static>(bound: Duration, test: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(catch_unwind(AssertUnwindSafe(test)));
    });
    match rx.recv_timeout(bound) {
        Ok(Ok(value)) => value,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => panic!("hung: no answer within {bound:?}"),
    }
}

const BOUND: Duration = Duration::from_secs(30);

/// What a misbehaving clock does on its chosen read.
#[derive(Clone, Copy, PartialEq)]
enum Fault {
    Fail,
    Panic,
}

/// A clock stopped at a fixed instant that fails (or panics) on its `fail_at`-th read since
/// the last `arm` (0: never). Its infallible `now()` panics: the phone paths must not use it.
struct FlakyClock {
    at: DateTime<Utc>,
    reads: AtomicUsize,
    fail_at: AtomicUsize,
    fault: Mutex<Fault>,
}

impl FlakyClock {
    fn new(at: DateTime<Utc>) -> Self {
        Self {
            at,
            reads: AtomicUsize::new(0),
            fail_at: AtomicUsize::new(0),
            fault: Mutex::new(Fault::Fail),
        }
    }

    fn arm(&self, fail_at: usize, fault: Fault) {
        *self.fault.lock().unwrap() = fault;
        self.reads.store(0, Ordering::SeqCst);
        self.fail_at.store(fail_at, Ordering::SeqCst);
    }

    fn reads(&self) -> usize {
        self.reads.load(Ordering::SeqCst)
    }
}

impl Clock for FlakyClock {
    fn now(&self) -> DateTime<Utc> {
        panic!("a phone path read the infallible clock")
    }

    fn try_now(&self) -> Result<DateTime<Utc>, ClockError> {
        let read = self.reads.fetch_add(1, Ordering::SeqCst) + 1;
        if read == self.fail_at.load(Ordering::SeqCst) {
            let fault = *self.fault.lock().unwrap();
            match fault {
                Fault::Fail => return Err(ClockError::Unavailable("clock service died".into())),
                Fault::Panic => panic!("clock callback blew up"),
            }
        }
        Ok(self.at)
    }
}

fn observation(about: PersonId, share: Option<ShareRequest>) -> NewObservationInput {
    NewObservationInput {
        about,
        visit: None,
        category: ConcernCategory::DomesticAbuse,
        severity: Severity::Concern,
        evidence: Evidence::ObservedFact,
        description: "Bruise on the left forearm; mother says partner grabbed her.".into(),
        observed_at: None,
        place: None,
        share,
    }
}

fn open_in(
    region: &Region,
    path: &std::path::Path,
    secrets: Arc<dyn SecretStore>,
    clock: Arc<dyn Clock>,
) -> Session {
    Session::open(
        path,
        secrets,
        clock,
        identity("Midwife Ash", region.midwifery, "West community midwifery"),
        Some(region.directory.clone()),
    )
    .unwrap()
}

fn open(path: &std::path::Path, secrets: Arc<dyn SecretStore>, clock: Arc<dyn Clock>) -> Session {
    open_in(&region(), path, secrets, clock)
}

/// For each read of a capture in turn (first, second, ...) the clock fails (or panics): that
/// capture alone gets a typed error (or the panic), nothing is written, and the next capture
/// and every read work. Ends when the capture needs fewer reads than the one that fails.
fn each_read_of_a_capture_fails_in_turn(fault: Fault) {
    let region = region();
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FlakyClock::new(utc(2026, 11, 23, 10, 0)));
    let session = open_in(
        &region,
        &dir.path().join("field.db"),
        Arc::new(InMemorySecretStore::new()),
        clock.clone(),
    );
    let family = family(&session);
    let share = || {
        Some(ShareRequest {
            team: region.health_visiting,
            message: "Please visit this week.".into(),
            severity: None,
        })
    };
    let mut expected_observations = 0;
    let mut failures = 0;
    for fail_at in 1.. {
        clock.arm(fail_at, fault);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            session.capture_observation(observation(family.baby.id, share()))
        }));
        let reads = clock.reads();
        clock.arm(0, fault);
        match (fault, outcome) {
            (_, Ok(Ok(_))) => {
                assert!(reads < fail_at, "read {fail_at} was to fail");
                expected_observations += 1;
                break;
            }
            (Fault::Fail, Ok(Err(err))) => {
                assert!(matches!(err, AppError::Storage(_)), "{err:?}");
                assert!(err.to_string().contains("clock"), "{err}");
            }
            (Fault::Panic, Err(_)) => {}
            (_, other) => panic!("read {fail_at}: unexpected {other:?}"),
        }
        failures += 1;
        // Nothing half-written, and the session answers reads and the next capture.
        assert_eq!(
            session.observations_about(family.baby.id).unwrap().len(),
            expected_observations
        );
        assert_eq!(
            session.pending_envelopes().unwrap().len(),
            expected_observations
        );
        session
            .capture_observation(observation(family.baby.id, share()))
            .unwrap();
        expected_observations += 1;
        assert_eq!(session.shares_sent().unwrap().len(), expected_observations);
    }
    assert!(failures >= 1, "the capture read the clock at least once");
    assert_eq!(
        session.observations_about(family.baby.id).unwrap().len(),
        expected_observations
    );
    assert_eq!(
        session.pending_envelopes().unwrap().len(),
        expected_observations
    );
}

#[test]
fn a_clock_failing_at_each_read_of_a_capture_is_a_typed_error_and_the_session_carries_on() {
    within(BOUND, || each_read_of_a_capture_fails_in_turn(Fault::Fail));
}

#[test]
fn a_clock_panicking_at_each_read_of_a_capture_leaves_no_lock_poisoned() {
    within(BOUND, || each_read_of_a_capture_fails_in_turn(Fault::Panic));
}

#[test]
fn a_panic_inside_a_store_transaction_rolls_it_back_and_the_next_call_works() {
    within(BOUND, || {
        let dir = tempfile::tempdir().unwrap();
        let secrets = InMemorySecretStore::new();
        let clock = Arc::new(FlakyClock::new(utc(2026, 11, 23, 10, 0)));
        let store = FieldStore::open(dir.path().join("field.db"), &secrets, clock).unwrap();
        let actor = PractitionerId::new();
        let panicked = catch_unwind(AssertUnwindSafe(|| {
            store.write(actor, |tx| {
                tx.put_state("half", &1_u32)?;
                if tx.actor() == actor {
                    panic!("a bug in the middle of a transaction");
                }
                Ok::<_, safeshare_core::store::StoreError>(())
            })
        }));
        assert!(panicked.is_err());
        // The lock is recovered, the half-done transaction is gone, and writes work again.
        assert_eq!(store.get_state::<u32>("half").unwrap(), None);
        store
            .write(actor, |tx| tx.put_state("whole", &2_u32))
            .unwrap();
        assert_eq!(store.get_state::<u32>("whole").unwrap(), Some(2));
        assert!(!store.holds_records().unwrap());
    });
}

thread_local! {
    /// Whether this thread is already inside a re-entrant callback (so a callback's own call
    /// into the session, which reads the clock again, does not recurse for ever).
    static IN_CALLBACK: Cell<bool> = const { Cell::new(false) };
}

/// The session a callback calls back into, and what each call-back answered.
#[derive(Default)]
struct Target {
    session: Mutex<Option<Arc<Session>>>,
    person: Mutex<Option<PersonId>>,
    answers: Mutex<Vec<Result<usize, AppError>>>,
}

impl Target {
    fn set(&self, session: Arc<Session>, person: Option<PersonId>) {
        *self.session.lock().unwrap() = Some(session);
        *self.person.lock().unwrap() = person;
    }

    /// Calls back into the session (a read and a write), unless already inside a callback.
    fn call_back(&self) {
        if IN_CALLBACK.with(Cell::get) {
            return;
        }
        let session = self.session.lock().unwrap().clone();
        let person = *self.person.lock().unwrap();
        let Some(session) = session else { return };
        IN_CALLBACK.with(|c| c.set(true));
        let answer = match person {
            Some(person) => session
                .observations_about(person)
                .map(|o| o.len())
                .and_then(|n| session.sync_status().map(|_| n)),
            None => session.pending_envelopes().map(|e| e.len()),
        };
        IN_CALLBACK.with(|c| c.set(false));
        self.answers.lock().unwrap().push(answer);
    }

    fn answers(&self) -> Vec<Result<usize, AppError>> {
        std::mem::take(&mut *self.answers.lock().unwrap())
    }
}

/// A keystore that calls back into a session from inside each of its methods.
struct ReentrantSecrets {
    inner: InMemorySecretStore,
    target: Arc<Target>,
}

impl SecretStore for ReentrantSecrets {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, SecretStoreError> {
        self.target.call_back();
        self.inner.get(name)
    }
    fn put(&self, name: &str, value: &[u8]) -> Result<(), SecretStoreError> {
        self.target.call_back();
        self.inner.put(name, value)
    }
    fn delete(&self, name: &str) -> Result<(), SecretStoreError> {
        self.target.call_back();
        self.inner.delete(name)
    }
}

/// A clock that calls back into a session on every read.
struct ReentrantClock {
    at: DateTime<Utc>,
    target: Arc<Target>,
}

impl Clock for ReentrantClock {
    fn now(&self) -> DateTime<Utc> {
        panic!("a phone path read the infallible clock")
    }
    fn try_now(&self) -> Result<DateTime<Utc>, ClockError> {
        self.target.call_back();
        Ok(self.at)
    }
}

#[test]
fn a_keystore_calling_back_in_during_open_completes() {
    within(BOUND, || {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("field.db");
        let target = Arc::new(Target::default());
        let secrets = Arc::new(ReentrantSecrets {
            inner: InMemorySecretStore::new(),
            target: target.clone(),
        });
        let clock = Arc::new(FlakyClock::new(utc(2026, 11, 23, 10, 0)));
        // A first session on a fresh file (the keystore's put), then a second on the same
        // file (its get) whose keystore calls into the first while it opens.
        let first = Arc::new(open(&path, secrets.clone(), clock.clone()));
        let family = family(&first);
        target.set(first.clone(), Some(family.baby.id));
        let second = Session::open(
            &path,
            secrets.clone(),
            clock.clone(),
            first.identity(),
            None,
        )
        .unwrap();
        let answers = target.answers();
        assert!(!answers.is_empty(), "the keystore was called during open");
        assert!(answers.iter().all(|a| matches!(a, Ok(0))), "{answers:?}");
        assert!(second
            .observations_about(family.baby.id)
            .unwrap()
            .is_empty());
    });
}

#[test]
fn a_keystore_calling_back_in_during_wipe_gets_revoked_not_a_hang() {
    within(BOUND, || {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("field.db");
        let target = Arc::new(Target::default());
        let secrets = Arc::new(ReentrantSecrets {
            inner: InMemorySecretStore::new(),
            target: target.clone(),
        });
        let clock = Arc::new(FlakyClock::new(utc(2026, 11, 23, 10, 0)));
        let session = Arc::new(open(&path, secrets, clock));
        let family = family(&session);
        target.set(session.clone(), Some(family.baby.id));
        session.wipe_local().unwrap();
        let answers = target.answers();
        assert!(!answers.is_empty(), "the keystore's delete was called");
        assert!(
            answers.iter().all(|a| matches!(a, Err(AppError::Revoked))),
            "{answers:?}"
        );
        assert!(!path.exists(), "the store file is erased");
        assert!(matches!(
            session.observations_about(family.baby.id),
            Err(AppError::Revoked)
        ));
        // Wiping again retries what may be left and is not an error.
        session.wipe_local().unwrap();
    });
}

#[test]
fn a_clock_calling_back_in_during_captures_and_reads_completes() {
    within(BOUND, || {
        let dir = tempfile::tempdir().unwrap();
        let target = Arc::new(Target::default());
        let clock = Arc::new(ReentrantClock {
            at: utc(2026, 11, 23, 10, 0),
            target: target.clone(),
        });
        let session = Arc::new(open(
            &dir.path().join("field.db"),
            Arc::new(InMemorySecretStore::new()),
            clock,
        ));
        let family = family(&session);
        target.set(session.clone(), Some(family.baby.id));
        for expected in 1..=3 {
            session
                .capture_observation(observation(family.baby.id, None))
                .unwrap();
            assert_eq!(
                session.observations_about(family.baby.id).unwrap().len(),
                expected
            );
        }
        let answers = target.answers();
        assert!(!answers.is_empty());
        assert!(answers.iter().all(Result::is_ok), "{answers:?}");
    });
}

#[test]
fn eight_threads_capturing_at_once_keep_exact_counts() {
    within(BOUND * 4, || {
        let region = region();
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(FlakyClock::new(utc(2026, 11, 23, 10, 0)));
        let session = Arc::new(open_in(
            &region,
            &dir.path().join("field.db"),
            Arc::new(InMemorySecretStore::new()),
            clock,
        ));
        let family = family(&session);
        let per_thread = 10;
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let session = session.clone();
                let baby = family.baby.id;
                let team = region.health_visiting;
                std::thread::spawn(move || {
                    for _ in 0..per_thread {
                        session
                            .capture_observation(observation(
                                baby,
                                Some(ShareRequest {
                                    team,
                                    message: "Please visit.".into(),
                                    severity: None,
                                }),
                            ))
                            .unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(
            session.observations_about(family.baby.id).unwrap().len(),
            8 * per_thread
        );
        assert_eq!(session.pending_envelopes().unwrap().len(), 8 * per_thread);
    });
}

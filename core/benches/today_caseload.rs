//! Today for a health visitor's caseload: 1,000 children with 20 records each (issue 17 item
//! 6), built on the open-items index against the full scan it replaced.
//!
//! The store is a real file (WAL, `synchronous=FULL`) made once: each child in their own
//! household with 20 observations over two years (18 concerns across categories, 2 low-level
//! concerns far apart), and one child in twenty with three low-level concerns within 90 days
//! (a pattern alert, shown on Today). Forty of the children also have a share sent to health
//! visiting and ten a referral, made through the session so they carry their due times.
//! The bulk records are written through `FieldStore::write` in transactions of 100 children
//! (the same sealed rows and index maintenance a capture writes, without 20,000 fsyncs).
//!
//! Prints the median of several runs of: the Today screen (indexed), the Today screen built by
//! the full scan (every person, share, referral, ladder and visit, and every child's
//! chronology, decrypted and audited: Today as it was before the index), "needs attention
//! now" indexed and by the full scan, with the ratios. The machine may be shared: compare the ratio, not the absolute
//! figures, between runs. Criterion then measures the same cases.
//! Run: `cargo bench -p safeshare-core --bench today_caseload`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // bench binary

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use safeshare_core::app::{
    Identity, NewObservationInput, NewReferralInput, Session, ShareRequest, TeamMembership,
};
use safeshare_core::clock::FixedClock;
use safeshare_core::directory::Directory;
use safeshare_core::model::{
    ConcernCategory, DeviceId, Evidence, Household, NewObservation, Observation, Person,
    PersonDetails, PersonId, PersonRole, PractitionerId, Severity, TeamId,
};
use safeshare_core::rules::referral::ReferralChannel;
use safeshare_core::secrets::InMemorySecretStore;
use safeshare_core::store::{FieldStore, StoreError, StoredRecord};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

const CHILDREN: usize = 1_000;
const RECORDS_PER_CHILD: usize = 20;
const BATCH: usize = 100;
const RUNS: usize = 7;

#[path = "../tests/fixtures/region.rs"]
#[allow(dead_code)]
mod fixture;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 16, 12, 0, 0).unwrap()
}

struct Caseload {
    _dir: tempfile::TempDir,
    session: Session,
}

fn identity(team: TeamId) -> Identity {
    Identity {
        practitioner: PractitionerId::new(),
        practitioner_name: "Health visitor Birch".into(),
        teams: vec![TeamMembership {
            id: team,
            name: "East health visiting".into(),
        }],
        device: DeviceId::new(),
    }
}

fn open(
    path: &Path,
    secrets: &Arc<InMemorySecretStore>,
    clock: &Arc<FixedClock>,
    identity: &Identity,
    directory: &Directory,
) -> Session {
    Session::open(
        path,
        secrets.clone(),
        clock.clone(),
        identity.clone(),
        Some(directory.clone()),
    )
    .unwrap()
}

fn observation(
    about: PersonId,
    by: PractitionerId,
    n: usize,
    at: DateTime<Utc>,
    severity: Severity,
) -> Observation {
    let categories = [
        ConcernCategory::GrowthOrWeight,
        ConcernCategory::DomesticAbuse,
        ConcernCategory::ParentalSubstanceMisuse,
        ConcernCategory::ParentalMentalHealth,
    ];
    Observation::capture(
        NewObservation {
            about,
            visit: None,
            recorded_by: by,
            category: categories[n % categories.len()].clone(),
            severity,
            evidence: Evidence::ObservedFact,
            description: format!("Visit note {n}: ")
                + &"Baby settled in the cot; mother tired and low in mood, says she copes. "
                    .repeat(4),
            observed_at: at,
            place: None,
        },
        now(),
    )
    .unwrap()
}

/// The records of one child: 20 observations; with an alert, the last three are low-level
/// concerns within a fortnight.
fn child_records(
    household: &Household,
    by: PractitionerId,
    alert: bool,
) -> (Person, Vec<Observation>) {
    let child = Person::new(
        household.id,
        PersonRole::Child,
        PersonDetails {
            name: Some("Fictional Child".into()),
            date_of_birth: Some(NaiveDate::from_ymd_opt(2025, 1, 10).unwrap()),
            ..PersonDetails::default()
        },
    )
    .unwrap();
    let observations = (0..RECORDS_PER_CHILD)
        .map(|n| {
            let at = now() - Duration::days(700) + Duration::days(35 * n as i64);
            let severity = match n {
                // Two low-level concerns a year apart: no pattern.
                3 | 13 => Severity::LowLevelConcern,
                17..=19 if alert => Severity::LowLevelConcern,
                _ => Severity::Concern,
            };
            observation(child.id, by, n, at, severity)
        })
        .collect();
    (child, observations)
}

fn build() -> Caseload {
    let region = fixture::region();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("field.db");
    let secrets = Arc::new(InMemorySecretStore::default());
    let clock = Arc::new(FixedClock::new(now() - Duration::days(1)));
    let identity = identity(region.health_visiting);
    // The session makes the store (and keeps its identity); the bulk goes in through the store.
    drop(open(&path, &secrets, &clock, &identity, &region.directory));
    let started = Instant::now();
    let mut children = Vec::with_capacity(CHILDREN);
    {
        let store = FieldStore::open(&path, secrets.as_ref(), clock.clone()).unwrap();
        for batch in 0..CHILDREN / BATCH {
            store
                .write(identity.practitioner, |tx| {
                    for n in 0..BATCH {
                        let household = Household::new(None);
                        let alert = (batch * BATCH + n) % 20 == 0;
                        let (child, observations) =
                            child_records(&household, identity.practitioner, alert);
                        tx.insert(
                            Household::KIND,
                            household.record_id(),
                            &household,
                            &household.record_index(),
                        )?;
                        tx.insert(
                            Person::KIND,
                            child.record_id(),
                            &child,
                            &child.record_index(),
                        )?;
                        for o in &observations {
                            tx.insert(Observation::KIND, o.record_id(), o, &o.record_index())?;
                        }
                        children.push(child.id);
                    }
                    Ok::<_, StoreError>(())
                })
                .unwrap();
        }
    }
    let session = open(&path, &secrets, &clock, &identity, &region.directory);
    for (n, child) in children.iter().enumerate().take(50) {
        clock.set(now() - Duration::hours(30) + Duration::minutes(20 * n as i64));
        if n < 40 {
            session
                .capture_observation(NewObservationInput {
                    about: *child,
                    visit: None,
                    category: ConcernCategory::ParentalMentalHealth,
                    severity: Severity::Concern,
                    evidence: Evidence::ObservedFact,
                    description: "No safe sleep space; baby sleeping on the sofa.".into(),
                    observed_at: None,
                    place: None,
                    share: Some(ShareRequest {
                        team: region.midwifery,
                        message: "Please review at your next contact.".into(),
                        severity: None,
                    }),
                })
                .unwrap();
        } else {
            session
                .record_referral(NewReferralInput {
                    about: *child,
                    front_door: region.front_door,
                    sent_at: None,
                    summary: "Neglect: home conditions poor over months.".into(),
                    channel: ReferralChannel::Phone,
                })
                .unwrap();
        }
    }
    clock.set(now());
    println!(
        "caseload: {CHILDREN} children x {RECORDS_PER_CHILD} records (+50 shares/referrals) built in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // The first reading works out every child written since (the one-off cost after a bulk
    // load or the migration's back-fill); Today from then on is the steady state measured.
    let started = Instant::now();
    session.today_screen().unwrap();
    println!(
        "first Today after the load (every child worked out once): {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    Caseload { _dir: dir, session }
}

fn median(mut work: impl FnMut(), runs: usize) -> StdDuration {
    let mut times: Vec<StdDuration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn today_bench(c: &mut Criterion) {
    let caseload = build();
    let session = &caseload.session;
    let today = session.today_screen().unwrap();
    let indexed = session.needs_attention_now().unwrap();
    let full = session.needs_attention_by_full_scan(now()).unwrap();
    assert_eq!(indexed, full, "the index must give the full scan's answer");
    assert_eq!(
        today,
        session.today_screen_by_full_scan(now()).unwrap(),
        "the indexed Today must be the full scan's"
    );
    println!(
        "Today lists {} items ({} attention items from the rules)",
        today.attention.len(),
        indexed.len()
    );
    let today_ms = median(|| drop(session.today_screen().unwrap()), RUNS).as_secs_f64() * 1e3;
    let indexed_ms =
        median(|| drop(session.needs_attention_now().unwrap()), RUNS).as_secs_f64() * 1e3;
    let full_ms = median(
        || drop(session.needs_attention_by_full_scan(now()).unwrap()),
        3,
    )
    .as_secs_f64()
        * 1e3;
    let today_full_ms = median(
        || drop(session.today_screen_by_full_scan(now()).unwrap()),
        3,
    )
    .as_secs_f64()
        * 1e3;
    println!("Today screen (indexed), median of {RUNS}: {today_ms:.2} ms (target <= 20 ms)");
    println!("Today screen (full scan), median of 3: {today_full_ms:.0} ms");
    println!(
        "full-scan Today / indexed Today: {:.0}x",
        today_full_ms / today_ms
    );
    println!("needs attention now, indexed, median of {RUNS}: {indexed_ms:.2} ms");
    println!("needs attention now, full scan, median of 3: {full_ms:.0} ms");
    println!(
        "full scan / indexed: {:.0}x; full scan / Today screen: {:.0}x",
        full_ms / indexed_ms,
        full_ms / today_ms
    );

    let mut group = c.benchmark_group("today_1000_children");
    group.sample_size(20);
    group.bench_function("today_screen_indexed", |b| {
        b.iter(|| session.today_screen().unwrap())
    });
    group.bench_function("needs_attention_indexed", |b| {
        b.iter(|| session.needs_attention_now().unwrap())
    });
    group.sample_size(10);
    group.bench_function("needs_attention_full_scan", |b| {
        b.iter(|| session.needs_attention_by_full_scan(now()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, today_bench);
criterion_main!(benches);

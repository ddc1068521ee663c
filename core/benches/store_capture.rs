//! Capture cost of the encrypted field store against plain rusqlite.
//!
//! Both sides use a real file in WAL mode with `synchronous=FULL` (an acknowledged clinical
//! record must survive power loss), the same schema (the store's own migration SQL), the same
//! rows (a ~2 KiB serialised observation plus its audit line) and the same transaction
//! pattern. The plain side writes the serialised body in clear with cached statements; the
//! encrypted side goes through `FieldStore::write` + `WriteTx::insert` (existence check,
//! AES-256-GCM seal bound to the row, audit). The ratio is the whole store's overhead.
//!
//! Prints: single-capture commit latency p50/p99 for both sides and their p50 ratio, and the
//! bulk rate in transactions of 1,000. Criterion then measures the same four cases.
//! Run: `cargo bench -p safeshare-core --bench store_capture`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // bench binary

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rusqlite::Connection;
use safeshare_core::clock::SystemClock;
use safeshare_core::crypto::{Binding, DataKey, Keys};
use safeshare_core::model::{ConcernCategory, PersonId, PractitionerId, Severity};
use safeshare_core::secrets::InMemorySecretStore;
use safeshare_core::store::{FieldStore, RecordIndex, RecordKind, StoreError};
use serde::Serialize;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const OBSERVATION: RecordKind = RecordKind::new("observation");
const SCHEMA: &str = include_str!("../src/store/migrations/0001_initial.sql");
const SINGLE_SAMPLES: usize = 2_000;
/// Captures before sampling, so the WAL has reached its steady size (it is checkpointed at
/// 1,000 pages and then reused). While the WAL file is still growing each fsync also commits
/// file-size metadata, which on ext4 costs several milliseconds; a phone's long-lived store
/// is in the steady state. The figures print both.
const WARM_UP: usize = 1_000;
const BULK_BATCH: usize = 1_000;
const BULK_BATCHES: usize = 20;

#[derive(Serialize)]
struct Observation {
    about: PersonId,
    category: ConcernCategory,
    severity: Severity,
    is_fact: bool,
    description: String,
    place: String,
    observed_at: chrono::DateTime<Utc>,
}

fn observation(n: usize) -> Observation {
    Observation {
        about: PersonId::new(),
        category: ConcernCategory::DomesticAbuse,
        severity: Severity::Concern,
        is_fact: true,
        description: format!("observation {n}: ")
            + &"Mother had a fresh bruise on her left cheekbone and said she walked into a door. "
                .repeat(24),
        place: "kitchen of the family home".into(),
        observed_at: Utc.with_ymd_and_hms(2026, 3, 27, 10, 15, 0).unwrap(),
    }
}

fn index(obs: &Observation) -> RecordIndex {
    RecordIndex {
        subject_person: Some(obs.about),
        severity: Some(obs.severity),
        occurred_at: Some(obs.observed_at),
        ..RecordIndex::default()
    }
}

struct Encrypted {
    store: FieldStore,
    actor: PractitionerId,
}

impl Encrypted {
    fn open(dir: &Path, name: &str) -> Self {
        let secrets = InMemorySecretStore::new();
        let path = dir.join(format!("{name}-encrypted.db"));
        let store = FieldStore::open(path, &secrets, Arc::new(SystemClock)).unwrap();
        Self {
            store,
            actor: PractitionerId::new(),
        }
    }

    fn capture(&self, batch: &[Observation]) {
        self.store
            .write(self.actor, |tx| {
                for obs in batch {
                    tx.insert(OBSERVATION, PersonId::new(), obs, &index(obs))?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }
}

struct Plain {
    conn: Connection,
    actor: String,
}

impl Plain {
    fn open(dir: &Path, name: &str) -> Self {
        let conn = Connection::open(dir.join(format!("{name}-plain.db"))).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.pragma_update(None, "synchronous", "FULL").unwrap();
        conn.pragma_update(None, "secure_delete", "ON").unwrap();
        conn.execute_batch(SCHEMA).unwrap();
        Self {
            conn,
            actor: PractitionerId::new().to_string(),
        }
    }

    fn capture(&mut self, batch: &[Observation]) {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .unwrap();
        for obs in batch {
            let id = PersonId::new().to_string();
            let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
            let body = serde_json::to_vec(obs).unwrap();
            tx.prepare_cached(
                "INSERT INTO records (kind, id, version, action, author, recorded_at, \
                 subject_person, household, team, status, severity, due_at, occurred_at, \
                 nhs_index, sealed) VALUES \
                 (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )
            .unwrap()
            .execute(rusqlite::params![
                "observation",
                id,
                1,
                "create",
                self.actor,
                now,
                obs.about.to_string(),
                None::<String>,
                None::<String>,
                None::<String>,
                1,
                None::<String>,
                obs.observed_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                None::<Vec<u8>>,
                body,
            ])
            .unwrap();
            tx.prepare_cached(
                "INSERT INTO audit (at, actor, kind, entity_id, action) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .unwrap()
            .execute(rusqlite::params![
                now,
                self.actor,
                "observation",
                id,
                "create"
            ])
            .unwrap();
        }
        tx.commit().unwrap();
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Single captures, encrypted and plain interleaved so disk noise hits both alike; prints the
/// first `WARM_UP` captures (growing WAL) and the next `SINGLE_SAMPLES` (steady state).
fn single_capture_latencies(dir: &Path) {
    let encrypted = Encrypted::open(dir, "single");
    let mut plain = Plain::open(dir, "single");
    let (mut enc, mut pla) = (Vec::new(), Vec::new());
    for n in 0..WARM_UP + SINGLE_SAMPLES {
        let batch = [observation(n)];
        let start = Instant::now();
        encrypted.capture(&batch);
        enc.push(start.elapsed());
        let start = Instant::now();
        plain.capture(&batch);
        pla.push(start.elapsed());
    }
    let (enc_growing, enc_steady) = enc.split_at_mut(WARM_UP);
    let (pla_growing, pla_steady) = pla.split_at_mut(WARM_UP);
    report_latencies(
        &format!("single capture, first {WARM_UP} per side (new file, WAL still growing):"),
        enc_growing,
        pla_growing,
    );
    report_latencies(
        &format!("single capture, next {SINGLE_SAMPLES} per side (steady state):"),
        enc_steady,
        pla_steady,
    );
}

fn report_latencies(title: &str, enc: &mut [Duration], pla: &mut [Duration]) {
    enc.sort_unstable();
    pla.sort_unstable();
    let (e50, e99) = (percentile(enc, 50.0), percentile(enc, 99.0));
    let (p50, p99) = (percentile(pla, 50.0), percentile(pla, 99.0));
    println!("{title}");
    println!(
        "  encrypted: p50 {:8.1} us  p99 {:8.1} us",
        micros(e50),
        micros(e99)
    );
    println!(
        "  plain:     p50 {:8.1} us  p99 {:8.1} us",
        micros(p50),
        micros(p99)
    );
    println!(
        "  ratio encrypted/plain: p50 {:.3}x  p99 {:.3}x   (targets: p50 <= 1.10x, encrypted p99 <= 2000 us)",
        e50.as_secs_f64() / p50.as_secs_f64(),
        e99.as_secs_f64() / p99.as_secs_f64()
    );
}

/// CPU time this thread has run, from the Linux scheduler (`/proc/thread-self/schedstat`,
/// nanoseconds). Time spent waiting for the disk or for a core held by another process is
/// not counted, so it separates the store's own cost from the machine's contention.
fn thread_cpu() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

fn bulk_rates(dir: &Path) {
    let encrypted = Encrypted::open(dir, "bulk");
    let mut plain = Plain::open(dir, "bulk");
    let batch: Vec<Observation> = (0..BULK_BATCH).map(observation).collect();
    encrypted.capture(&batch);
    plain.capture(&batch);
    let (mut enc, mut pla) = (Duration::ZERO, Duration::ZERO);
    let (mut enc_cpu, mut pla_cpu) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..BULK_BATCHES {
        let (start, cpu) = (Instant::now(), thread_cpu());
        encrypted.capture(&batch);
        enc += start.elapsed();
        enc_cpu += thread_cpu().zip(cpu).map_or(Duration::ZERO, |(b, a)| b - a);
        let (start, cpu) = (Instant::now(), thread_cpu());
        plain.capture(&batch);
        pla += start.elapsed();
        pla_cpu += thread_cpu().zip(cpu).map_or(Duration::ZERO, |(b, a)| b - a);
    }
    let records = (BULK_BATCH * BULK_BATCHES) as f64;
    let (enc_rate, pla_rate) = (records / enc.as_secs_f64(), records / pla.as_secs_f64());
    println!("bulk capture, {BULK_BATCHES} transactions of {BULK_BATCH} per side, interleaved:");
    println!("  encrypted: {enc_rate:10.0} records/s wall   (target >= 20000)");
    println!("  plain:     {pla_rate:10.0} records/s wall");
    println!(
        "  ratio encrypted/plain wall time: {:.3}x",
        pla_rate / enc_rate
    );
    if !enc_cpu.is_zero() && !pla_cpu.is_zero() {
        println!(
            "  CPU per record: encrypted {:.1} us, plain {:.1} us, ratio {:.3}x",
            micros(enc_cpu) / records,
            micros(pla_cpu) / records,
            enc_cpu.as_secs_f64() / pla_cpu.as_secs_f64()
        );
    }
}

fn figures() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    println!(
        "store capture figures (files under {})",
        dir.path().display()
    );
    single_capture_latencies(dir.path());
    bulk_rates(dir.path());
}

fn criterion_benches(c: &mut Criterion) {
    figures();
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let encrypted = Encrypted::open(dir.path(), "criterion");
    let mut plain = Plain::open(dir.path(), "criterion");
    let one = [observation(0)];
    let mut group = c.benchmark_group("single_capture");
    group.throughput(Throughput::Elements(1));
    group.bench_function("encrypted", |b| b.iter(|| encrypted.capture(&one)));
    group.bench_function("plain", |b| b.iter(|| plain.capture(&one)));
    group.finish();

    let batch: Vec<Observation> = (0..BULK_BATCH).map(observation).collect();
    let mut group = c.benchmark_group("bulk_capture_1000");
    group.throughput(Throughput::Elements(BULK_BATCH as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("encrypted", |b| b.iter(|| encrypted.capture(&batch)));
    group.bench_function("plain", |b| b.iter(|| plain.capture(&batch)));
    group.finish();
}

/// The cipher alone, for scale: sealing one ~2 KiB serialised observation.
fn seal_bench(c: &mut Criterion) {
    let keys = Keys::derive(&DataKey::generate().unwrap()).unwrap();
    let body = serde_json::to_vec(&observation(0)).unwrap();
    let binding = Binding {
        table: "records/observation",
        id: "01JQ0000000000000000000000",
        version: 1,
        extra: b"clear columns",
    };
    let mut group = c.benchmark_group("seal");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("aes_256_gcm_observation", |b| {
        b.iter(|| keys.seal(&binding, &body).unwrap())
    });
    group.finish();
}

criterion_group!(benches, seal_bench, criterion_benches);
criterion_main!(benches);

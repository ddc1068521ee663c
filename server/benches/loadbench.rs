//! Load benchmark: N concurrent signed clients pushing batches to a real server over loopback.
//!
//! `cargo bench -p safeshare-server --bench loadbench` runs SQLite (a file in a temp dir, WAL,
//! synchronous=FULL: one durable commit per push) and, when `SAFESHARE_TEST_PG_URL` is set,
//! PostgreSQL. Prints envelopes/s and p50/p99/max push latency as seen by the clients. Bounded
//! in count and time; it measures, it never fails on a figure.
//!
//! Knobs (environment): `SAFESHARE_BENCH_CLIENTS` (64), `SAFESHARE_BENCH_BATCH` (envelopes per
//! push, 25), `SAFESHARE_BENCH_PUSHES` (pushes per client, 40), `SAFESHARE_BENCH_SECONDS`
//! (time cap, 60).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // a bench binary

#[path = "../tests/common/mod.rs"]
mod common;

use chrono::{Duration as ChronoDuration, Utc};
use safeshare_core::clock::{Clock, SystemClock};
use safeshare_core::model::TeamId;
use safeshare_core::sync::{
    paths, DeviceInfo, DeviceKeyPair, EnrolRequest, EnvelopeOutcome, PushRequest, PushResponse,
};
use safeshare_server::admin::import_directory;
use safeshare_server::enrolment::issue;
use safeshare_server::http::AppState;
use safeshare_server::metrics::Metrics;
use safeshare_server::serve::serve;
use safeshare_server::storage::Store;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn knob(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Figures {
    envelopes: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

async fn run<S: Store>(store: S) -> Figures {
    let clients = knob("SAFESHARE_BENCH_CLIENTS", 64);
    let batch = knob("SAFESHARE_BENCH_BATCH", 25);
    let pushes = knob("SAFESHARE_BENCH_PUSHES", 40);
    let cap = Duration::from_secs(knob("SAFESHARE_BENCH_SECONDS", 60) as u64);

    let (team_a, team_b) = (TeamId::new(), TeamId::new());
    let directory = format!(
        r#"{{"teams":[{{"id":"{team_a}","name":"Bench A"}},{{"id":"{team_b}","name":"Bench B"}}]}}"#
    );
    import_directory(&store, &directory, Utc::now())
        .await
        .unwrap();
    let state = Arc::new(AppState {
        store,
        clock: Arc::new(SystemClock) as Arc<dyn Clock>,
        metrics: Metrics::default(),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(Arc::clone(&state), listener, async {
        let _ = stopped.await;
    }));

    // Enrol every client over HTTP, as a phone would.
    let http = reqwest::Client::new();
    let mut devices = Vec::with_capacity(clients);
    for _ in 0..clients {
        let code = issue(
            &state.store,
            None,
            vec![team_a],
            ChronoDuration::hours(1),
            Utc::now(),
        )
        .await
        .unwrap()
        .code;
        let key = DeviceKeyPair::generate().unwrap();
        let info: DeviceInfo = http
            .post(format!("{base}{}", paths::ENROL))
            .json(&EnrolRequest {
                code,
                public_key: key.public_key(),
            })
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        devices.push((info, key));
    }

    let started = Instant::now();
    let deadline = started + cap;
    let mut tasks = Vec::new();
    for (info, key) in devices {
        let http = http.clone();
        let base = base.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(pushes);
            let mut sent = 0usize;
            for _ in 0..pushes {
                if Instant::now() >= deadline {
                    break;
                }
                let envelopes: Vec<_> = (0..batch)
                    .map(|_| {
                        common::share(
                            info.practitioner_id,
                            info.device_id,
                            vec![team_b],
                            Utc::now(),
                        )
                    })
                    .collect();
                let body = serde_json::to_vec(&PushRequest { envelopes }).unwrap();
                let t = Instant::now();
                let sig = key
                    .sign_request(info.device_id, "POST", paths::PUSH, &body, Utc::now())
                    .unwrap();
                let mut req = http.post(format!("{base}{}", paths::PUSH));
                for (name, value) in sig.headers() {
                    req = req.header(name, value);
                }
                let resp = req
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                assert!(resp.status().is_success(), "push failed: {}", resp.status());
                let answer: PushResponse = resp.json().await.unwrap();
                latencies.push(t.elapsed());
                assert!(answer
                    .results
                    .iter()
                    .all(|r| matches!(r.outcome, EnvelopeOutcome::Accepted { .. })));
                sent += batch;
            }
            (sent, latencies)
        }));
    }
    let mut envelopes = 0;
    let mut latencies = Vec::new();
    for task in tasks {
        let (sent, lat) = task.await.unwrap();
        envelopes += sent;
        latencies.extend(lat);
    }
    let elapsed = started.elapsed();
    assert_eq!(
        state.store.envelope_count().await.unwrap(),
        envelopes as u64
    );
    let _ = stop.send(());
    server.await.unwrap().unwrap();
    Figures {
        envelopes,
        elapsed,
        latencies,
    }
}

fn report(backend: &str, mut f: Figures) {
    f.latencies.sort();
    let pick = |q: f64| {
        let i = ((f.latencies.len() as f64 - 1.0) * q).round() as usize;
        f.latencies
            .get(i)
            .copied()
            .unwrap_or_default()
            .as_secs_f64()
            * 1e3
    };
    println!(
        "{backend:>8}: {} envelopes in {} pushes over {:.2} s = {:.0} envelopes/s; push latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        f.envelopes,
        f.latencies.len(),
        f.elapsed.as_secs_f64(),
        f.envelopes as f64 / f.elapsed.as_secs_f64(),
        pick(0.50),
        pick(0.99),
        pick(1.0),
    );
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "loadbench: {} clients x {} pushes x {} envelopes, loopback, {} cores",
        knob("SAFESHARE_BENCH_CLIENTS", 64),
        knob("SAFESHARE_BENCH_PUSHES", 40),
        knob("SAFESHARE_BENCH_BATCH", 25),
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    runtime.block_on(async {
        let (_dir, sqlite) = common::sqlite_store();
        report("sqlite", run(sqlite).await);
        match std::env::var("SAFESHARE_TEST_PG_URL") {
            Ok(url) if !url.is_empty() => {
                let schema = format!("bench_{}", ulid::Ulid::new().to_string().to_lowercase());
                let pg =
                    safeshare_server::storage::postgres::PgStore::connect_in_schema(&url, &schema)
                        .await
                        .unwrap();
                report("postgres", run(pg).await);
            }
            _ => println!("postgres: skipped (set SAFESHARE_TEST_PG_URL)"),
        }
    });
}

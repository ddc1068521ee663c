//! Load benchmark: N concurrent signed clients pushing batches to a real server over loopback.
//!
//! `cargo bench -p safeshare-server --bench loadbench` runs SQLite (a file in a temp dir, WAL,
//! synchronous=FULL: one durable commit per push) and, when `SAFESHARE_TEST_PG_URL` is set,
//! PostgreSQL. For each backend it runs two phases and prints envelopes/s and p50/p99/max push
//! latency as seen by the clients:
//! - **paced**: the clients together offer a fixed rate (default 3,000 envelopes/s, above the
//!   2,000/s target) for a fixed time, each pushing on its own timer, as phones do; latency
//!   here is what a device sees at that load.
//! - **saturated**: every client pushes again as soon as answered (closed loop), which shows
//!   the ceiling; latency there is queueing by construction (64 requests always in flight).
//!
//! Bounded in count and time; it measures, it never fails on a figure.
//!
//! Knobs (environment): `SAFESHARE_BENCH_CLIENTS` (64), `SAFESHARE_BENCH_BATCH` (envelopes per
//! push, 25), `SAFESHARE_BENCH_RATE` (offered envelopes/s in the paced phase, 3000),
//! `SAFESHARE_BENCH_SECONDS` (paced phase length, 10), `SAFESHARE_BENCH_PUSHES` (pushes per
//! client in the saturated phase, 20).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // a bench binary

#[path = "../tests/common/mod.rs"]
mod common;

use chrono::{Duration as ChronoDuration, Utc};
use safeshare_core::clock::{Clock, SystemClock};
use safeshare_core::model::TeamId;
use safeshare_core::sync::{
    paths, DeviceInfo, DeviceKeyPair, EnrolRequest, EnvelopeId, EnvelopeOutcome, PushRequest,
    PushResponse,
};
use safeshare_server::admin::import_directory;
use safeshare_server::enrolment::issue;
use safeshare_server::http::AppState;
use safeshare_server::metrics::Metrics;
use safeshare_server::serve::{serve_with, ConnectionLimits};
use safeshare_server::storage::Store;
use std::sync::Arc;
use std::time::{Duration, Instant};
use ulid::Ulid;

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

#[derive(Clone, Copy)]
enum Phase {
    /// Each client pushes every `interval` for `length`.
    Paced {
        interval: Duration,
        length: Duration,
    },
    /// Each client pushes `pushes` times back to back (capped at 30 s).
    Saturated { pushes: usize },
}

type Client = (DeviceInfo, Arc<DeviceKeyPair>);

/// The push bodies one client sends in a phase, made before timing starts: each envelope is
/// sealed and signed by its author device as a phone's is (wire v3), so the server's checks
/// run in full, but the in-process clients' own sealing and signing, which share this
/// machine's cores with the server, is not part of what is measured.
fn push_bodies(client: &Client, team: TeamId, batch: usize, pushes: usize) -> Vec<Vec<u8>> {
    let (info, key) = client;
    let template = common::share(info.practitioner_id, info.device_id, vec![team], Utc::now());
    (0..pushes)
        .map(|_| {
            let envelopes: Vec<_> = (0..batch)
                .map(|_| {
                    let mut envelope = template.clone();
                    envelope.id = EnvelopeId::new();
                    envelope.entity_id = Ulid::new();
                    common::sign_as(envelope, key)
                })
                .collect();
            serde_json::to_vec(&PushRequest { envelopes }).unwrap()
        })
        .collect()
}

async fn one_push(http: &reqwest::Client, base: &str, client: &Client, body: Vec<u8>) -> Duration {
    let (info, key) = client;
    let started = Instant::now();
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
    let elapsed = started.elapsed();
    if let Some(refused) = answer
        .results
        .iter()
        .find(|r| !matches!(r.outcome, EnvelopeOutcome::Accepted { .. }))
    {
        panic!("an envelope was not accepted: {:?}", refused.outcome);
    }
    elapsed
}

async fn phase(
    http: &reqwest::Client,
    base: &str,
    clients: &[Client],
    team: TeamId,
    batch: usize,
    phase: Phase,
) -> Figures {
    let pushes = match phase {
        Phase::Paced { interval, length } => {
            (length.as_secs_f64() / interval.as_secs_f64()).ceil() as usize + 1
        }
        Phase::Saturated { pushes } => pushes,
    };
    let bodies: Vec<Vec<Vec<u8>>> = clients
        .iter()
        .map(|client| push_bodies(client, team, batch, pushes))
        .collect();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, (client, bodies)) in clients.iter().zip(bodies).enumerate() {
        let (http, base, client) = (http.clone(), base.to_owned(), client.clone());
        let n = clients.len() as u32;
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut bodies = bodies.into_iter();
            match phase {
                Phase::Paced { interval, length } => {
                    let until = started + length;
                    // Spread the clients' timers evenly over one interval.
                    tokio::time::sleep(interval * i as u32 / n).await;
                    let mut tick = tokio::time::interval(interval);
                    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                    loop {
                        tick.tick().await;
                        let Some(body) = bodies.next() else { break };
                        if Instant::now() >= until {
                            break;
                        }
                        latencies.push(one_push(&http, &base, &client, body).await);
                    }
                }
                Phase::Saturated { .. } => {
                    let until = started + Duration::from_secs(30);
                    for body in bodies {
                        if Instant::now() >= until {
                            break;
                        }
                        latencies.push(one_push(&http, &base, &client, body).await);
                    }
                }
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    Figures {
        envelopes: latencies.len() * batch,
        elapsed: started.elapsed(),
        latencies,
    }
}

async fn run<S: Store>(backend: &str, store: S) {
    let clients_n = knob("SAFESHARE_BENCH_CLIENTS", 64);
    let batch = knob("SAFESHARE_BENCH_BATCH", 25).max(1);
    let rate = knob("SAFESHARE_BENCH_RATE", 3000).max(1);
    let seconds = knob("SAFESHARE_BENCH_SECONDS", 10) as u64;
    let pushes = knob("SAFESHARE_BENCH_PUSHES", 20);

    let (team_a, team_b) = (TeamId::new(), TeamId::new());
    let directory = common::directory_file(1, &[(team_a, "Bench A"), (team_b, "Bench B")]);
    import_directory(&store, &directory, Utc::now())
        .await
        .unwrap();
    let state = Arc::new(AppState {
        store,
        clock: Arc::new(SystemClock) as Arc<dyn Clock>,
        metrics: Metrics::default(),
        region: Some(Arc::new(
            safeshare_core::sync::RegionKeyPair::generate().expect("region key"),
        )),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    // Every client enrols from 127.0.0.1: let the enrolment throttle admit them all.
    let limits = ConnectionLimits {
        enrol_burst: u32::try_from(clients_n).unwrap_or(u32::MAX),
        ..ConnectionLimits::default()
    };
    let server = tokio::spawn(serve_with(Arc::clone(&state), listener, limits, async {
        let _ = stopped.await;
    }));

    // Enrol every client over HTTP, as a phone would.
    let http = reqwest::Client::new();
    let mut clients: Vec<Client> = Vec::with_capacity(clients_n);
    for _ in 0..clients_n {
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
        clients.push((info, Arc::new(key)));
    }

    // One push from each client first, so connections are open before timing.
    phase(
        &http,
        &base,
        &clients,
        team_b,
        batch,
        Phase::Saturated { pushes: 1 },
    )
    .await;

    let pushes_per_sec = rate as f64 / batch as f64;
    let interval = Duration::from_secs_f64(clients_n as f64 / pushes_per_sec);
    let paced = phase(
        &http,
        &base,
        &clients,
        team_b,
        batch,
        Phase::Paced {
            interval,
            length: Duration::from_secs(seconds),
        },
    )
    .await;
    report(backend, &format!("paced, {rate} env/s offered"), paced);
    let saturated = phase(
        &http,
        &base,
        &clients,
        team_b,
        batch,
        Phase::Saturated { pushes },
    )
    .await;
    report(backend, "saturated, closed loop", saturated);

    let stored = state.store.envelope_count().await.unwrap();
    println!("{backend:>8}: {stored} envelopes stored in total");
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}

fn report(backend: &str, label: &str, mut f: Figures) {
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
        "{backend:>8} [{label}]: {} envelopes in {} pushes over {:.2} s = {:.0} envelopes/s; push latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
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
        "loadbench: {} clients, {} envelopes per push, loopback, {} cores, server in-process",
        knob("SAFESHARE_BENCH_CLIENTS", 64),
        knob("SAFESHARE_BENCH_BATCH", 25),
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    runtime.block_on(async {
        let (_dir, sqlite) = common::sqlite_store();
        run("sqlite", sqlite).await;
        match std::env::var("SAFESHARE_TEST_PG_URL") {
            Ok(url) if !url.is_empty() => {
                let schema = format!("bench_{}", ulid::Ulid::new().to_string().to_lowercase());
                let pg =
                    safeshare_server::storage::postgres::PgStore::connect_in_schema(&url, &schema)
                        .await
                        .unwrap();
                run("postgres", pg).await;
            }
            _ => println!("postgres: skipped (set SAFESHARE_TEST_PG_URL)"),
        }
    });
}

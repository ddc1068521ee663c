//! Sync benchmark over loopback: 10,000 envelopes from one device to a real server (SQLite),
//! end to end (sealed into the outbox at capture, pushed in signed batches, stored durably by
//! the server, acceptance recorded in the outbox), against the raw rate of the same signed
//! HTTP pushes with no device store or sync machinery. Also single-envelope
//! capture-to-acknowledgement latency (capture, push, server commit, answer recorded).
//!
//! Every envelope is sealed end to end (docs/security.md) to the devices of its audience team
//! and of its author: by default 19 enrolled health-visiting phones and the sender, so 20
//! recipient devices (`SAFESHARE_BENCH_RECIPIENTS`).
//!
//! Run: `cargo run --release -p safeshare-tests --bin syncbench`
//! (`SAFESHARE_BENCH_N` envelopes, default 10000; `SAFESHARE_BENCH_SAMPLES` latency samples,
//! default 300). Targets (issues 8 and 12): 10,000 sealed for 20 devices in <= 2 s; p99 <= 50 ms.
//! Figures are printed, never asserted: this is not a timed test.

// A benchmark binary prints its figures; failing loudly on a broken set-up is intended.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use chrono::Duration;
use safeshare_core::clock::{Clock, SystemClock};
use safeshare_core::sync::client::{SeededJitter, SyncConfig};
use safeshare_core::sync::{
    authorship, paths, DeviceInfo, DeviceKeyPair, EnrolRequest, EnvelopeId, EnvelopeOutcome,
    PushRequest, PushResponse, MAX_BATCH_ENVELOPES,
};
use safeshare_tests::{region, Backend, TestDevice, TestServer};
use std::sync::Arc;
use std::time::Instant;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn device(server: &TestServer, team: safeshare_core::model::TeamId, seed: u64) -> TestDevice {
    let d = TestDevice::new(
        SyncConfig::new(server.base_url()),
        Arc::new(SystemClock),
        Arc::new(SeededJitter::new(seed)),
    );
    d.enrol(&server.issue_code(vec![team])).unwrap();
    d
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

#[allow(clippy::cast_precision_loss)]
fn main() {
    let n = env_or("SAFESHARE_BENCH_N", 10_000);
    let samples = env_or("SAFESHARE_BENCH_SAMPLES", 300);
    let region = region();
    let server = TestServer::start(Backend::Sqlite, Arc::new(SystemClock), &region);
    let body = vec![b'x'; 600];
    let recipients = env_or("SAFESHARE_BENCH_RECIPIENTS", 20).max(2);
    // The audience team's phones, each with its encryption key in the roster.
    let mut readers: Vec<TestDevice> = (0..recipients - 1)
        .map(|i| device(&server, region.health_visiting, 100 + i as u64))
        .collect();
    for reader in &mut readers {
        reader.sync().unwrap();
    }

    // 1. The sync path: capture (seal + outbox, one transaction each), then push all.
    let mut dev = device(&server, region.midwifery, 1);
    dev.sync().unwrap(); // takes the roster naming every reader
    let started = Instant::now();
    for _ in 0..n {
        dev.capture(dev.share(vec![region.health_visiting], Duration::hours(4), &body));
    }
    let captured = started.elapsed();
    let pushing = Instant::now();
    let report = dev.push().unwrap();
    let pushed = pushing.elapsed();
    // One envelope as the server stored it: its sealed body is the raw pushes' body below.
    let sealed = server
        .envelopes_for(&[region.health_visiting])
        .pop()
        .unwrap()
        .1;
    let sealed_to = safeshare_core::crypto::envelope_seal::inspect(&sealed.body.0)
        .unwrap()
        .recipients
        .len();
    assert_eq!(report.accepted as usize, n, "every envelope accepted");
    assert_eq!(dev.status().pending, 0);

    // 2. The same signed HTTP pushes, raw: no device store, no outbox, no sealing (the body is
    // the sealed container above, so the bytes on the wire are the same size).
    let key = DeviceKeyPair::generate().unwrap();
    let http = reqwest::blocking::Client::new();
    let base = server.base_url();
    let info: DeviceInfo = http
        .post(format!("{base}{}", paths::ENROL))
        .header("content-type", "application/json")
        .body(
            serde_json::to_vec(&EnrolRequest {
                code: server.issue_code(vec![region.midwifery]),
                public_key: key.public_key(),
            })
            .unwrap(),
        )
        .send()
        .unwrap()
        .json()
        .unwrap();
    let mut template = dev.share(vec![region.health_visiting], Duration::hours(4), &body);
    template.body = sealed.body.clone();
    // The batches are made (and each envelope signed by its author device, as wire v3 needs)
    // before timing: the baseline is the HTTP push of already signed envelopes.
    let mut batches: Vec<Vec<u8>> = Vec::new();
    let mut left = n;
    while left > 0 {
        let take = left.min(MAX_BATCH_ENVELOPES);
        left -= take;
        let envelopes: Vec<_> = (0..take)
            .map(|_| {
                let mut e = template.clone();
                e.id = EnvelopeId::new();
                e.entity_id = ulid::Ulid::new();
                e.author = info.practitioner_id;
                e.device = info.device_id;
                e.signature = Some(authorship::sign(&e, &key).unwrap());
                e
            })
            .collect();
        batches.push(serde_json::to_vec(&PushRequest { envelopes }).unwrap());
    }
    let raw_started = Instant::now();
    let mut raw_accepted = 0usize;
    for bytes in batches {
        let sig = key
            .sign_request(
                info.device_id,
                "POST",
                paths::PUSH,
                &bytes,
                SystemClock.now(),
            )
            .unwrap();
        let mut req = http
            .post(format!("{base}{}", paths::PUSH))
            .header("content-type", "application/json")
            .body(bytes);
        for (name, value) in sig.headers() {
            req = req.header(name, value);
        }
        let resp: PushResponse = req.send().unwrap().json().unwrap();
        raw_accepted += resp
            .results
            .iter()
            .filter(|r| matches!(r.outcome, EnvelopeOutcome::Accepted { .. }))
            .count();
    }
    let raw = raw_started.elapsed();
    assert_eq!(raw_accepted, n);

    // 3. Single-envelope capture-to-acknowledgement latency.
    let mut solo = device(&server, region.midwifery, 2);
    solo.sync().unwrap();
    let mut lat = Vec::with_capacity(samples);
    for _ in 0..samples {
        let t = Instant::now();
        solo.capture(solo.share(vec![region.health_visiting], Duration::hours(4), &body));
        let r = solo.push().unwrap();
        assert_eq!(r.accepted, 1);
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    lat.sort_by(f64::total_cmp);

    let rate = |d: std::time::Duration| n as f64 / d.as_secs_f64();
    println!(
        "syncbench: {n} envelopes of {} body bytes sealed to {sealed_to} devices, one sender, SQLite server on loopback",
        body.len()
    );
    println!(
        "  capture (seal + outbox, one transaction each): {:>8.3} s  {:>9.0} envelopes/s",
        captured.as_secs_f64(),
        rate(captured)
    );
    println!(
        "  sync push (batches of {MAX_BATCH_ENVELOPES}, signed, stored, acks recorded): {:>8.3} s  {:>9.0} envelopes/s",
        pushed.as_secs_f64(),
        rate(pushed)
    );
    println!(
        "  capture + push end to end:                     {:>8.3} s  {:>9.0} envelopes/s",
        (captured + pushed).as_secs_f64(),
        rate(captured + pushed)
    );
    println!(
        "  raw signed HTTP pushes, same batches:          {:>8.3} s  {:>9.0} envelopes/s",
        raw.as_secs_f64(),
        rate(raw)
    );
    println!(
        "  ratio sync push / raw: {:.2}   ratio (capture + push) / raw: {:.2}",
        rate(pushed) / rate(raw),
        rate(captured + pushed) / rate(raw)
    );
    println!(
        "  single envelope capture-to-acknowledgement over {samples} samples: p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
        percentile(&lat, 0.50),
        percentile(&lat, 0.99),
        lat[lat.len() - 1]
    );
    println!(
        "  targets: 10,000 sealed for 20 devices, pushed and acknowledged <= 2 s; p99 <= 50 ms"
    );
}

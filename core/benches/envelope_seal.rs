//! Cost of end-to-end sealing (docs/security.md): one envelope body sealed to 20 recipient
//! devices, and 1,000 pulled envelopes opened by one recipient.
//!
//! The body is the size of a typical share (~2 KiB of JSON); the header is a realistic
//! canonical header. Sealing makes a fresh content key, seals the body with AES-256-GCM and
//! wraps the key to each recipient with HPKE (one X25519 agreement and HKDF per recipient), so
//! its cost grows with the recipients; opening does one HPKE unwrap and one AES-GCM open.
//!
//! Prints: seal p50/p99 for 1 and 20 recipients and the per-recipient cost, the time to open
//! 1,000 envelopes, and the author signature's share: sealing and signing a whole envelope, and
//! checking 1,000 pulled envelopes' authors against a roster of 2,000 devices (a large
//! region) before opening them. Targets (issue 12): seal for 20 <= 2 ms; open 1,000 <= 100 ms
//! (with the author checks).
//! Criterion then measures the same cases. Run: `cargo bench -p safeshare-core --bench envelope_seal`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // bench binary

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use safeshare_core::crypto::envelope_seal::{open, seal, EncryptionKeyPair, Recipient};
use safeshare_core::model::{DeviceId, PractitionerId, Severity, TeamId};
use safeshare_core::sync::authorship;
use safeshare_core::sync::pulled::{check_and_open_page, PulledVerdict};
use safeshare_core::sync::{
    Body, DeviceKeyPair, Envelope, EnvelopeId, EnvelopeKind, RosterBody, RosterDevice, WIRE_VERSION,
};
use std::hint::black_box;
use std::time::{Duration, Instant};

const HEADER: &[u8] = b"SAFESHARE-ENVELOPE-V2\n{\"id\":\"01KDVDNA004TFF59TDWH9EDD1R\",\"wire_version\":2,\"kind\":\"share\",\"entity_id\":\"01KDVDNA011HEAD8X4A1JH69RE\",\"entity_version\":1,\"author\":\"01KDVDNA02H4QX4FR84G98PBSK\",\"device\":\"01KDVDNA03JMRNV7E9Z0C1HT0H\",\"created_at\":\"2026-03-27T16:00:00Z\",\"audience\":[\"01M6A6FT00C9H0VZ4YE6QQ9FM9\"],\"severity\":\"concern\",\"due_at\":\"2026-03-30T09:00:00Z\"}";
const SAMPLES: usize = 2_000;
const OPENED: usize = 1_000;

fn body() -> Vec<u8> {
    let text = "Mother had a fresh bruise on her left cheekbone and said she walked into a door. "
        .repeat(26);
    format!("{{\"v\":1,\"concern\":\"{text}\"}}").into_bytes()
}

fn keys(n: usize) -> Vec<EncryptionKeyPair> {
    (0..n)
        .map(|_| EncryptionKeyPair::generate().unwrap())
        .collect()
}

fn recipients(keys: &[EncryptionKeyPair]) -> Vec<Recipient> {
    keys.iter().map(|k| k.public_key().into()).collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn seal_latency(recipients: &[Recipient], body: &[u8]) -> (Duration, Duration) {
    let mut times = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let start = Instant::now();
        black_box(seal(HEADER, body, recipients).unwrap());
        times.push(start.elapsed());
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.99))
}

fn report() {
    let body = body();
    let twenty = keys(20);
    let one = recipients(&twenty[..1]);
    let all = recipients(&twenty);
    let (p50_1, p99_1) = seal_latency(&one, &body);
    let (p50_20, p99_20) = seal_latency(&all, &body);
    let per_recipient = p50_20.saturating_sub(p50_1) / 19;
    println!(
        "seal {} B body: 1 recipient p50 {:?} p99 {:?}; 20 recipients p50 {:?} p99 {:?}; \
         per extra recipient {:?} (target: 20 recipients <= 2 ms)",
        body.len(),
        p50_1,
        p99_1,
        p50_20,
        p99_20,
        per_recipient
    );
    let sealed: Vec<Vec<u8>> = (0..OPENED)
        .map(|_| seal(HEADER, &body, &all).unwrap())
        .collect();
    // The recipient's key is the last wrap in the container: the worst case for the search.
    let reader = [&twenty[19]];
    let start = Instant::now();
    for container in &sealed {
        black_box(open(HEADER, container, &reader).unwrap());
    }
    println!(
        "open {OPENED} envelopes sealed to 20 devices: {:?} (target <= 100 ms)",
        start.elapsed()
    );
}

/// A region of `n` devices, each with its signing key, as a roster lists them.
fn region(n: usize) -> (RosterBody, Vec<DeviceKeyPair>) {
    let keys: Vec<DeviceKeyPair> = (0..n).map(|_| DeviceKeyPair::generate().unwrap()).collect();
    let devices = keys
        .iter()
        .map(|k| RosterDevice {
            device_id: DeviceId::new(),
            practitioner_id: PractitionerId::new(),
            teams: vec![TeamId::new()],
            signing_key: k.public_key(),
            encryption_key: None,
            enrolled_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            revoked_at: None,
            retired_at: None,
        })
        .collect();
    let roster = RosterBody {
        version: 1,
        issued_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        previous: None,
        devices,
    };
    (roster, keys)
}

fn plain_share(author: &RosterDevice, body: &[u8]) -> Envelope {
    Envelope {
        id: EnvelopeId::new(),
        wire_version: WIRE_VERSION,
        kind: EnvelopeKind::Share,
        entity_id: ulid::Ulid::new(),
        entity_version: 1,
        author: author.practitioner_id,
        device: author.device_id,
        created_at: Utc.with_ymd_and_hms(2026, 3, 27, 16, 0, 0).unwrap(),
        audience: vec![TeamId::new()],
        severity: Some(Severity::Concern),
        due_at: Some(Utc.with_ymd_and_hms(2026, 3, 30, 9, 0, 0).unwrap()),
        answers: None,
        body: Body(body.to_vec()),
        signature: None,
    }
}

fn report_authorship() {
    let body = body();
    let twenty = keys(20);
    let all = recipients(&twenty);
    let (roster, signing) = region(2_000);
    let author = &roster.devices[1_999];
    let plain = plain_share(author, &body);
    let mut times = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let start = Instant::now();
        black_box(plain.seal_body(&all, &signing[1_999]).unwrap());
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "seal and sign one envelope for 20 devices: p50 {:?} p99 {:?}",
        percentile(&times, 0.5),
        percentile(&times, 0.99)
    );
    // 1,000 pulled envelopes from authors spread over the roster (the last listed: worst case
    // for the roster look-up), each checked and then opened by one recipient.
    let pulled: Vec<Envelope> = (0..OPENED)
        .map(|i| {
            let at = 1_999 - (i % 100);
            plain_share(&roster.devices[at], &body)
                .seal_body(&all, &signing[at])
                .unwrap()
        })
        .collect();
    let reader = [&twenty[19]];
    let start = Instant::now();
    for envelope in &pulled {
        authorship::verify(envelope, &roster).unwrap();
    }
    let checked = start.elapsed();
    for envelope in &pulled {
        black_box(envelope.open_body(&reader).unwrap());
    }
    let one_core = start.elapsed();
    println!(
        "check the authors of {OPENED} pulled envelopes against a 2,000-device roster: {:?}; \
         with opening them, one core: {:?}",
        checked, one_core
    );
    // What the sync client runs: the page checked and opened on the device's cores.
    let page: Vec<&Envelope> = pulled.iter().collect();
    let mut times = Vec::with_capacity(9);
    for _ in 0..9 {
        let start = Instant::now();
        let verdicts = check_and_open_page(&page, Some(&roster), &reader);
        times.push(start.elapsed());
        assert!(verdicts
            .iter()
            .all(|v| matches!(v, PulledVerdict::Authentic(Ok(_)))));
    }
    times.sort();
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    println!(
        "check and open {OPENED} pulled envelopes as the sync client does ({cores} cores): \
         median of 9 {:?} (target <= 100 ms; {:.2}x the one-core time)",
        times[4],
        times[4].as_secs_f64() / one_core.as_secs_f64()
    );
}

fn bench(c: &mut Criterion) {
    report();
    report_authorship();
    let body = body();
    let twenty = keys(20);
    let all = recipients(&twenty);
    let one = recipients(&twenty[..1]);
    c.bench_function("seal_1_recipient", |b| {
        b.iter(|| seal(HEADER, &body, &one).unwrap())
    });
    c.bench_function("seal_20_recipients", |b| {
        b.iter(|| seal(HEADER, &body, &all).unwrap())
    });
    let container = seal(HEADER, &body, &all).unwrap();
    let reader = [&twenty[19]];
    c.bench_function("open_one_of_20", |b| {
        b.iter(|| open(HEADER, &container, &reader).unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);

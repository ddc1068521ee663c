//! Seeded randomised fault harness: devices capture and acknowledge shares while the network
//! drops, delays and duplicates, the server is killed and restarted mid-batch, its data is
//! restored from an earlier backup (everything stored since is lost and its sequence numbers
//! are used again), device clocks jump by hours and device databases turn read-only for a
//! while. At the end, with the faults
//! lifted and a few clean syncs: every captured envelope is on the server exactly once, every
//! device holds exactly what is addressed to its team or written by it (nothing lost, nothing
//! twice), and every acknowledgement reached the sender of its share.
//!
//! `SAFESHARE_FAULTS` sets how many faults to inject (default 200, the CI run; use 1000 or
//! more outside CI); `SAFESHARE_FAULT_SEED` replays a run (the seed is printed on failure).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

use chrono::Duration;
use safeshare_core::clock::{Clock, SystemClock};
use safeshare_core::model::TeamId;
use safeshare_core::store::ListFilter;
use safeshare_core::sync::client::{Jitter, SeededJitter, SyncConfig, SyncError};
use safeshare_core::sync::{Envelope, EnvelopeId, EnvelopeKind};
use safeshare_tests::{
    backends, region, Backend, Fault, FaultProxy, SkewClock, TestDevice, TestServer, RECEIVED,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

/// Seeded randomness for the harness's own choices.
struct Rng(SeededJitter);

impl Rng {
    fn below(&self, n: u64) -> u64 {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let v = (self.0.fraction() * n as f64) as u64;
        v.min(n.saturating_sub(1))
    }
    fn chance(&self, p: f64) -> bool {
        self.0.fraction() < p
    }
}

struct Phone {
    device: TestDevice,
    clock: Arc<SkewClock>,
    team: TeamId,
}

/// Makes the device's database files immutable (even root cannot write them), or undoes it.
/// Returns false when the file system does not support it (the fault is then not counted).
fn set_read_only(db: &Path, on: bool) -> bool {
    let flag = if on { "+i" } else { "-i" };
    let mut ok = true;
    for suffix in ["", "-wal"] {
        let path = format!("{}{suffix}", db.display());
        if std::path::Path::new(&path).exists() {
            let status = Command::new("chattr").arg(flag).arg(&path).status();
            ok &= matches!(status, Ok(s) if s.success());
        }
    }
    ok
}

fn fault_target() -> u64 {
    std::env::var("SAFESHARE_FAULTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

fn seed() -> u64 {
    std::env::var("SAFESHARE_FAULT_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_261_122)
}

#[derive(Default)]
struct Tally {
    kills: u64,
    backups: u64,
    restores: u64,
    skews: u64,
    read_only: u64,
    refused_captures: u64,
}

fn run(backend: Backend, target: u64, seed: u64) {
    let rng = Rng(SeededJitter::new(seed));
    let region = region();
    let teams = vec![region.midwifery, region.health_visiting];
    let server = Arc::new(Mutex::new(TestServer::start(
        backend.clone(),
        Arc::new(SystemClock),
        &region,
    )));
    let proxy = Arc::new(FaultProxy::start(server.lock().unwrap().addr()));

    // A midwife in team 0; two health visitors in team 1.
    let mut phones: Vec<Phone> = [0usize, 1, 1]
        .iter()
        .enumerate()
        .map(|(i, &team)| {
            let clock = Arc::new(SkewClock::default());
            let mut config = SyncConfig::new(proxy.base_url());
            config.timeout = std::time::Duration::from_millis(800);
            config.push_batch = 7;
            config.pull_page = 9;
            let device = TestDevice::new(
                config,
                clock.clone() as Arc<dyn Clock>,
                Arc::new(SeededJitter::new(seed ^ (i as u64 + 1))),
            );
            let code = server.lock().unwrap().issue_code(vec![teams[team]]);
            device.enrol(&code).unwrap();
            Phone {
                device,
                clock,
                team: teams[team],
            }
        })
        .collect();

    let mut captured: BTreeMap<EnvelopeId, Envelope> = BTreeMap::new();
    // share entity -> (sender phone, the acknowledgement sent for it, if any)
    let mut shares: HashMap<ulid::Ulid, (usize, Option<Envelope>)> = HashMap::new();
    let mut tally = Tally::default();
    let faults = |tally: &Tally, proxy: &FaultProxy| {
        proxy.faults() + tally.kills + tally.restores + tally.skews + tally.read_only
    };
    // Every phone syncs once before the first backup, so the roster listing all three is
    // made before it (a restore that lost roster versions phones hold is another problem:
    // docs/operations.md, "Backup and restore").
    for phone in &mut phones {
        phone.device.sync().unwrap();
    }
    let mut backup = server.lock().unwrap().backup();
    tally.backups += 1;

    let started = std::time::Instant::now();
    let mut round = 0u64;
    while faults(&tally, &proxy) < target {
        round += 1;
        assert!(round < 50 * target + 1000, "harness not converging");
        let p = usize::try_from(rng.below(phones.len() as u64)).unwrap();

        // Sometimes the database turns read-only (before or during the captures and sync).
        let read_only = rng.chance(0.08) && set_read_only(phones[p].device.path(), true);
        if read_only {
            tally.read_only += 1;
        }
        // Capture a few shares to the other team.
        let n = rng.below(4);
        let phone = &phones[p];
        let other = if phone.team == teams[0] {
            teams[1]
        } else {
            teams[0]
        };
        for _ in 0..n {
            let share = phone
                .device
                .share(vec![other], Duration::hours(4), b"{\"seen\":1}");
            match phone.device.try_capture(&share) {
                Ok(()) => {
                    shares.insert(share.entity_id, (p, None));
                    captured.insert(share.id, share);
                }
                Err(_) => tally.refused_captures += 1,
            }
        }

        // Faults for this sync.
        let fault_p = 0.45;
        let plan_seed = rng.below(u64::MAX);
        proxy.set_plan({
            let r = Rng(SeededJitter::new(plan_seed));
            move || {
                if !r.chance(fault_p) {
                    return Fault::Pass;
                }
                match r.below(5) {
                    0 => Fault::Refuse,
                    1 => Fault::Delay(if r.chance(0.2) { 1000 } else { r.below(150) }),
                    2 => Fault::CutResponse(usize::try_from(r.below(400)).unwrap()),
                    3 => Fault::DuplicateResponse,
                    _ => Fault::DuplicateRequest,
                }
            }
        });
        if rng.chance(0.12) {
            let hours = i64::try_from(rng.below(24)).unwrap() - 12;
            phones[p]
                .clock
                .set_skew(Duration::hours(hours) + Duration::minutes(7));
            tally.skews += 1;
        }
        // The operator takes a new backup now and then, and sometimes restores the latest.
        if rng.chance(0.05) {
            backup = server.lock().unwrap().backup();
            tally.backups += 1;
        }
        if rng.chance(0.03) {
            let mut server = server.lock().unwrap();
            server.restore(&backup);
            proxy.set_upstream(server.addr());
            tally.restores += 1;
        }
        let killer = rng.chance(0.1).then(|| {
            tally.kills += 1;
            let (wait, down) = (rng.below(25), rng.below(60));
            let server = Arc::clone(&server);
            let proxy = Arc::clone(&proxy);
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(wait));
                let mut server = server.lock().unwrap();
                server.kill();
                std::thread::sleep(std::time::Duration::from_millis(down));
                let t = std::time::Instant::now();
                server.restart();
                proxy.set_upstream(server.addr());
                if std::env::var("SAFESHARE_FAULT_DEBUG").is_ok() {
                    eprintln!("restart took {:?}", t.elapsed());
                }
            })
        });

        let t = std::time::Instant::now();
        let outcome = phones[p].device.sync();
        if std::env::var("SAFESHARE_FAULT_DEBUG").is_ok() && t.elapsed().as_millis() > 150 {
            eprintln!(
                "slow sync {:?}: read_only={read_only} kill={} {:?}",
                t.elapsed(),
                killer.is_some(),
                outcome.as_ref().map(|_| ()).map_err(|e| e.to_string())
            );
        }
        match outcome {
            Ok(_) => {}
            Err(SyncError::Revoked) => panic!("seed {seed}: no device was revoked"),
            Err(err) => assert!(err.is_transient(), "seed {seed}: {err}"),
        }
        if let Some(killer) = killer {
            killer.join().unwrap();
        }
        if read_only {
            assert!(set_read_only(phones[p].device.path(), false));
        }

        acknowledge_received(&phones, p, &mut shares, &mut captured);
    }
    let injected = faults(&tally, &proxy);

    // Lift every fault and let things settle.
    proxy.set_plan(|| Fault::Pass);
    for phone in &phones {
        phone.clock.set_skew(Duration::zero());
    }
    for _ in 0..6 {
        for p in 0..phones.len() {
            settle(&mut phones[p].device, seed);
            acknowledge_received(&phones, p, &mut shares, &mut captured);
        }
    }
    for phone in &mut phones {
        settle(&mut phone.device, seed);
    }

    // Every captured envelope is on the server exactly once, and nothing else is.
    let stored = server.lock().unwrap().envelopes_for(&teams);
    let mut stored_ids = BTreeSet::new();
    for (_, envelope) in &stored {
        assert!(stored_ids.insert(envelope.id), "seed {seed}: stored twice");
        // The server holds the captured header and a sealed body, never the plaintext.
        let original = captured.get(&envelope.id);
        assert_eq!(
            Some(envelope.header_aad().unwrap()),
            original.map(|e| e.header_aad().unwrap()),
            "seed {seed}: stored as captured"
        );
        assert!(envelope.body_is_sealed(), "seed {seed}: stored sealed");
    }
    assert_eq!(
        stored_ids.len(),
        captured.len(),
        "seed {seed}: lost on the way"
    );

    // Each device holds exactly what is addressed to its team or written by it, once.
    for (i, phone) in phones.iter_mut().enumerate() {
        let status = phone.device.status();
        assert_eq!(
            status.pending, 0,
            "seed {seed}: phone {i} still has pending items"
        );
        assert!(
            status.rejected.is_empty(),
            "seed {seed}: phone {i}: {:?}",
            status.rejected
        );
        assert!(status.is_synced());
        let me = phone.device.identity().practitioner_id;
        let expected: BTreeSet<EnvelopeId> = captured
            .values()
            .filter(|e| e.audience.contains(&phone.team) || e.author == me)
            .map(|e| e.id)
            .collect();
        let held: Vec<EnvelopeId> = phone
            .device
            .store()
            .list::<Envelope>(me, RECEIVED, &ListFilter::default())
            .unwrap()
            .into_iter()
            .map(|r| r.body.id)
            .collect();
        let held_set: BTreeSet<EnvelopeId> = held.iter().copied().collect();
        assert_eq!(
            held.len(),
            held_set.len(),
            "seed {seed}: phone {i} holds a duplicate"
        );
        assert_eq!(
            held_set, expected,
            "seed {seed}: phone {i} holds the wrong set"
        );
    }

    // Every share was acknowledged, and every acknowledgement reached its sender.
    for (entity, (sender, ack)) in &shares {
        let ack = ack
            .as_ref()
            .unwrap_or_else(|| panic!("seed {seed}: share {entity} never acknowledged"));
        assert!(
            phones[*sender].device.has_received(ack.id),
            "seed {seed}: ack not at sender"
        );
    }

    let counts = proxy.counts();
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr(),
        "fault harness ({}, seed {seed}, {:.1} s): {injected} faults over {round} rounds: network {counts:?}, \
         {} server kills, {} restores from {} backups, {} clock skews, {} read-only spells ({} captures refused while read-only); \
         {} envelopes captured, each stored once",
        backend.name(),
        started.elapsed().as_secs_f64(),
        tally.kills,
        tally.restores,
        tally.backups,
        tally.skews,
        tally.read_only,
        tally.refused_captures,
        captured.len(),
    );
    assert!(injected >= target);
}

/// A sync once the faults are lifted. A request on a connection a fault left half-closed may
/// still fail once (as on a real network); three failures in a row are not transient.
fn settle(device: &mut TestDevice, seed: u64) {
    let mut last = None;
    for _ in 0..3 {
        match device.sync() {
            Ok(_) => return,
            Err(err) => last = Some(err),
        }
    }
    panic!("seed {seed}: clean sync failed three times: {last:?}");
}

/// Phone `p` acknowledges every share it has received that nobody in its team has yet.
fn acknowledge_received(
    phones: &[Phone],
    p: usize,
    shares: &mut HashMap<ulid::Ulid, (usize, Option<Envelope>)>,
    captured: &mut BTreeMap<EnvelopeId, Envelope>,
) {
    let phone = &phones[p];
    let pending: Vec<Envelope> = captured
        .values()
        .filter(|e| e.kind == EnvelopeKind::Share && e.audience.contains(&phone.team))
        .filter(|e| matches!(shares.get(&e.entity_id), Some((_, None))))
        .cloned()
        .collect();
    for share in pending {
        if !phone.device.has_received(share.id) {
            continue;
        }
        let sender_team = phones[shares[&share.entity_id].0].team;
        let ack =
            phone
                .device
                .acknowledgement(&share, vec![sender_team], b"{\"read_back\":\"ok\"}");
        if phone.device.try_capture(&ack).is_ok() {
            captured.insert(ack.id, ack.clone());
            if let Some(entry) = shares.get_mut(&share.entity_id) {
                entry.1 = Some(ack);
            }
        }
    }
}

#[test]
fn nothing_is_lost_or_duplicated_under_seeded_faults() {
    let target = fault_target();
    for backend in backends() {
        // PostgreSQL gets a quarter of the budget: the same client paths, a second storage.
        let budget = if backend == Backend::Sqlite {
            target
        } else {
            (target / 4).max(50)
        };
        run(backend, budget, seed());
    }
}

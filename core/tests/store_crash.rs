//! Crash safety on a real file: a child process captures in a loop (each capture one
//! transaction: observation, voice note, outbox envelope and state together) and is killed
//! with SIGKILL at a random moment. The store must then open, pass SQLite's integrity check,
//! and hold every acknowledged capture whole and readable, with no capture half-written.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // test harness

mod store_support;

use safeshare_core::clock::SystemClock;
use safeshare_core::model::{PersonId, PractitionerId};
use safeshare_core::secrets::FileSecretStore;
use safeshare_core::store::{FieldStore, ListFilter, RecordIndex, StoreError};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use store_support::*;

const CHILD_DIR: &str = "SAFESHARE_CRASH_TEST_CHILD_DIR";
const NEXT_SEQ: &str = "next-capture-seq";

/// The payload every capture writes three times (record, voice note, envelope), so a torn
/// capture would show up as a mismatch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Numbered {
    seq: u64,
    text: String,
}

fn open(dir: &Path) -> FieldStore {
    let secrets = FileSecretStore::new(dir.join("secrets")).unwrap();
    FieldStore::open(dir.join("field.db"), &secrets, Arc::new(SystemClock)).unwrap()
}

/// Child mode: capture forever, announcing each commit after it returns.
#[test]
fn crash_child_captures_until_killed() {
    let Ok(dir) = std::env::var(CHILD_DIR) else {
        return; // Only runs when re-executed by the crash test below.
    };
    let store = open(Path::new(&dir));
    let midwife = PractitionerId::new();
    let mut stdout = std::io::stdout();
    loop {
        let seq = store
            .write(midwife, |tx| {
                let seq = store_seq(tx)?;
                let payload = Numbered {
                    seq,
                    text: format!("capture {seq} ").repeat(120),
                };
                let child = PersonId::new();
                let index = RecordIndex {
                    subject_person: Some(child),
                    ..RecordIndex::default()
                };
                tx.insert(OBSERVATION, PersonId::new(), &payload, &index)?;
                tx.insert(VOICE_NOTE, PersonId::new(), &payload, &index)?;
                tx.enqueue_outbox(&format!("env-{seq:08}"), &payload)?;
                tx.put_state(NEXT_SEQ, &(seq + 1))?;
                Ok::<_, StoreError>(seq)
            })
            .unwrap();
        writeln!(stdout, "committed {seq}").unwrap();
        stdout.flush().unwrap();
    }
}

/// The next sequence number: the count of observations, read inside the capture's own
/// transaction (which holds the write lock), so it is consistent even across kills.
fn store_seq(tx: &mut safeshare_core::store::WriteTx<'_>) -> Result<u64, StoreError> {
    let existing = tx.list::<Numbered>(OBSERVATION, &ListFilter::default())?;
    Ok(existing.len() as u64)
}

fn run_child_until_killed(dir: &Path, kill_after: u64) -> Option<u64> {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "crash_child_captures_until_killed",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_DIR, dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut last = None;
    let mut seen = 0;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(n) = line.strip_prefix("committed ") {
            last = Some(n.parse::<u64>().unwrap());
            seen += 1;
            if seen >= kill_after {
                break;
            }
        }
    }
    child.kill().unwrap(); // SIGKILL: no destructors, no checkpoint, no clean close.
                           // Captures acknowledged between our decision and the kill count too.
    for line in lines {
        let Ok(line) = line else { break };
        if let Some(n) = line.strip_prefix("committed ") {
            last = Some(n.parse::<u64>().unwrap());
        }
    }
    child.wait().unwrap();
    last
}

fn pseudo_random(bound: u64) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    u64::from(nanos) % bound
}

#[test]
fn killed_mid_capture_the_store_holds_every_acknowledged_capture_whole() {
    let fixture = Fixture::new();
    let dir = fixture.dir.path();
    let reader = PractitionerId::new();
    let mut acknowledged = 0u64;
    for round in 0..3 {
        let kill_after = 5 + pseudo_random(40);
        let last = run_child_until_killed(dir, kill_after)
            .unwrap_or_else(|| panic!("round {round}: child committed nothing"));
        acknowledged = last + 1;

        let conn = rusqlite::Connection::open(dir.join("field.db")).unwrap();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "round {round}");
        drop(conn);

        let store = open(dir);
        let observations = store
            .list::<Numbered>(reader, OBSERVATION, &ListFilter::default())
            .unwrap();
        let notes = store
            .list::<Numbered>(reader, VOICE_NOTE, &ListFilter::default())
            .unwrap();
        let envelopes = store.outbox_due::<Numbered>(reader, u32::MAX).unwrap();
        let committed = observations.len() as u64;
        // Every acknowledged capture is there; at most one more committed before the kill
        // landed but after its announcement.
        assert!(
            committed == acknowledged || committed == acknowledged + 1,
            "round {round}: {committed} stored, {acknowledged} acknowledged"
        );
        assert_eq!(notes.len() as u64, committed, "round {round}: torn capture");
        assert_eq!(
            envelopes.len() as u64,
            committed,
            "round {round}: torn capture"
        );
        assert_eq!(store.get_state::<u64>(NEXT_SEQ).unwrap(), Some(committed));
        let mut seqs: Vec<u64> = observations.iter().map(|r| r.body.seq).collect();
        seqs.sort_unstable();
        assert_eq!(seqs, (0..committed).collect::<Vec<_>>());
        for (n, envelope) in envelopes.iter().enumerate() {
            assert_eq!(envelope.payload.seq, n as u64);
            assert_eq!(envelope.id, format!("env-{n:08}"));
            assert!(envelope.payload.text.starts_with(&format!("capture {n} ")));
        }
    }
    assert!(acknowledged >= 3);
}

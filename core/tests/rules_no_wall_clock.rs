//! "Nothing here reads the wall clock": the rules modules take instants or a Clock, never the
//! system time. This test reads their source and fails on any direct wall-clock call.

// A test helper: an unreadable source tree is a broken checkout, so panic.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

const WALL_CLOCK_CALLS: &[&str] = &[
    "Utc::now",
    "Local::now",
    "SystemTime::now",
    "Instant::now",
    "SystemClock",
    "chrono::offset::Local",
];

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn no_rule_reads_the_wall_clock() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut files = Vec::new();
    rust_files(&rules, &mut files);
    assert!(
        files.len() >= 9,
        "expected the rules modules, found {files:?}"
    );
    let mut offenders = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for call in WALL_CLOCK_CALLS {
            if text.contains(call) {
                offenders.push(format!("{}: {call}", file.display()));
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}

//! "A failing platform clock is a typed error, never a panic or a guess": the phone paths
//! (the `Session` facade, the field store, the sync client) read time only through the
//! fallible `Clock::try_now`, and never hand the platform clock to an API that reads it
//! infallibly. This test reads their source and fails on any such call (issue 22).

// A test helper: an unreadable source tree is a broken checkout, so panic.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

/// Calls that read a clock infallibly, or pass the session's clock to code that does.
const INFALLIBLE_READS: &[&str] = &["clock.now()", "clock.as_ref()", "clock()"];

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
fn phone_paths_read_the_clock_only_through_try_now() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for dir in ["app", "store", "sync/client"] {
        rust_files(&src.join(dir), &mut files);
    }
    assert!(
        files.len() >= 20,
        "expected the phone paths, found {files:?}"
    );
    let mut offenders = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if INFALLIBLE_READS.iter().any(|call| code.contains(call)) {
                offenders.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "infallible clock reads: {offenders:#?}"
    );
}

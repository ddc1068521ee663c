//! Attack (issue 17 item 5, a reviewer's pass): `tests/shell-rules-check` is the only guard
//! that the Android and iOS shells hold no time-zone arithmetic, date formatting, clock
//! reading or rule code (the shells cannot be compiled here). Each case below plants one such
//! line in a scratch copy of the real shells, in a form the check's own self-test does not
//! try, and runs the real check on the copy: it must fail naming the planted file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let skip = matches!(
            name.to_str(),
            Some("build" | ".gradle" | ".build" | "DerivedData")
        );
        if skip {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs the check on a copy of the shells with `line` appended to `rel` (made if absent);
/// returns whether the check failed naming `rel`, and its output.
fn caught(rel: &str, line: &str) -> (bool, String) {
    let scratch = tempfile::tempdir().unwrap();
    for part in ["android", "ios"] {
        copy_tree(&repo().join(part), &scratch.path().join(part));
    }
    let target = scratch.path().join(rel);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    let mut text = std::fs::read_to_string(&target).unwrap_or_default();
    text.push('\n');
    text.push_str(line);
    text.push('\n');
    std::fs::write(&target, text).unwrap();
    let out = Command::new("python3")
        .arg(repo().join("tests/shell-rules-check"))
        .arg("--root")
        .arg(scratch.path())
        .output()
        .expect("python3 runs the shell check");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let named = stdout.lines().any(|l| l.starts_with(&format!("{rel}:")));
    (!out.status.success() && named, stdout)
}

const KT: &str = "android/app/src/main/java/uk/nhs/safeshare/ui/TodayScreen.kt";
const SWIFT: &str = "ios/SafeShareApp/Sources/Screens.swift";

#[test]
fn the_unplanted_shells_pass_the_check() {
    let out = Command::new("python3")
        .arg(repo().join("tests/shell-rules-check"))
        .output()
        .expect("python3 runs the shell check");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_time_zone_after_a_short_block_comment_on_the_same_line_is_caught() {
    let (found, out) = caught(
        KT,
        "/* London day */ val zone = java.util.TimeZone.getTimeZone(\"Europe/London\")",
    );
    assert!(found, "not caught:\n{out}");
}

#[test]
fn a_java_source_in_the_android_shell_is_read() {
    let (found, out) = caught(
        "android/app/src/main/java/uk/nhs/safeshare/ui/DueWords.java",
        "class DueWords { static String due(long ms) { return java.time.ZonedDateTime.ofInstant(\
         java.time.Instant.ofEpochMilli(ms), java.time.ZoneId.of(\"Europe/London\")).toString(); } }",
    );
    assert!(found, "not caught:\n{out}");
}

#[test]
fn a_hand_written_kotlin_file_in_a_folder_named_uniffi_is_read() {
    let (found, out) = caught(
        "android/app/src/main/java/uk/nhs/safeshare/uniffi/Due.kt",
        "val zone = java.util.TimeZone.getTimeZone(\"Europe/London\")",
    );
    assert!(found, "not caught:\n{out}");
}

#[test]
fn androids_own_date_utilities_are_caught() {
    let (found, out) = caught(
        KT,
        "val today = android.text.format.DateUtils.isToday(item.dueMillis)",
    );
    assert!(found, "not caught:\n{out}");
    let (found, out) = caught(
        KT,
        "val words = android.text.format.DateFormat.format(\"EEE d MMM\", item.dueMillis)",
    );
    assert!(found, "not caught:\n{out}");
}

#[test]
fn foundations_ns_time_types_are_caught() {
    for line in [
        "let zone = NSTimeZone.local",
        "let now = NSDate()",
        "let now = CFAbsoluteTimeGetCurrent()",
        "let cal = NSCalendar.current",
    ] {
        let (found, out) = caught(SWIFT, line);
        assert!(found, "{line} not caught:\n{out}");
    }
}

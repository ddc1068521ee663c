//! A test phone driven over stdin by the console's browser tests (`tests/console/`): it enrols
//! with a code the console issued, pushes shares, and syncs, printing one line per answer.
//!
//! Usage: `console_device <server base URL> <enrolment code>`, then lines on stdin:
//! - `share <team id> <minutes until due>` (negative: already overdue) → `pushed <entity id>`
//! - `sync` → `ok` or `refused <reason>` (a revoked device is refused and wipes itself)
//!
//! The first line printed is `enrolled <device id> <practitioner id>`. It is the real sync
//! client over real HTTP, as a phone runs it.

// A test driver: failing loudly on a broken set-up is what it is for.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use chrono::Duration;
use safeshare_core::clock::SystemClock;
use safeshare_core::model::TeamId;
use safeshare_core::sync::client::{SeededJitter, SyncConfig};
use safeshare_tests::TestDevice;
use std::io::BufRead as _;
use std::sync::Arc;

fn main() {
    let mut args = std::env::args().skip(1);
    let base = args.next().expect("server base URL");
    let code = args.next().expect("enrolment code");
    let mut device = TestDevice::new(
        SyncConfig::new(base),
        Arc::new(SystemClock),
        Arc::new(SeededJitter::new(18)),
    );
    let identity = device.enrol(&code).expect("enrol");
    println!(
        "enrolled {} {}",
        identity.device_id, identity.practitioner_id
    );
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("stdin");
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["share", team, minutes] => {
                let team: TeamId = team.parse().expect("team id");
                let minutes: i64 = minutes.parse().expect("minutes");
                let share = device.capture(device.share(
                    vec![team],
                    Duration::minutes(minutes),
                    b"fictional test share",
                ));
                match device.push() {
                    Ok(_) => println!("pushed {}", share.entity_id),
                    Err(err) => println!("refused {err}"),
                }
            }
            ["sync"] => match device.sync() {
                Ok(_) => println!("ok"),
                Err(err) => println!("refused {err}"),
            },
            _ => println!("unknown command"),
        }
    }
}

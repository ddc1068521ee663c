//! Shared harness for the end-to-end tests: a real `safeshare-server` on 127.0.0.1 (SQLite,
//! or PostgreSQL when `SAFESHARE_TEST_PG_URL` is set), devices each with their own encrypted
//! field store and sync client, and a fault-injecting TCP proxy.
//!
//! The server runs on its own tokio runtime so a test can kill it outright (runtime shut down
//! mid-request, as a crashed process would stop) and start it again on the same data. The
//! devices use the blocking sync client from `safeshare_core::sync::client`, as a phone does.

// A test harness: failing loudly on a broken fixture is what it is for.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod device;
pub mod phone;
pub mod proxy;
#[path = "../../core/tests/fixtures/region.rs"]
pub mod region;
pub mod server;
pub mod tls;
pub mod transfer;

pub use device::{LedgerSink, SkewClock, TestDevice, RECEIVED};
pub use phone::SessionPhone;
pub use proxy::{Fault, FaultProxy};
pub use region::{region, Region};
pub use server::{Backend, Backup, TestServer};
pub use tls::{ServerCertFiles, TestCa};

/// The backends to run an end-to-end test against: SQLite always; PostgreSQL when
/// `SAFESHARE_TEST_PG_URL` is set (`tests/run` sets it). With `SAFESHARE_REQUIRE_PG=1` a
/// missing URL fails the test rather than skipping PostgreSQL silently.
pub fn backends() -> Vec<Backend> {
    let mut out = vec![Backend::Sqlite];
    match std::env::var("SAFESHARE_TEST_PG_URL") {
        Ok(url) if !url.is_empty() => out.push(Backend::Postgres { url }),
        _ => {
            assert!(
                std::env::var("SAFESHARE_REQUIRE_PG").as_deref() != Ok("1"),
                "SAFESHARE_REQUIRE_PG=1 but SAFESHARE_TEST_PG_URL is not set"
            );
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: PostgreSQL backend not run (set SAFESHARE_TEST_PG_URL; tests/run does)"
            );
        }
    }
    out
}

//! The phone trusts only its region's server (MASVS-NETWORK-2), over a real rustls server on
//! 127.0.0.1 with certificate authorities made in the test: with the region CA pinned, enrol
//! and sync work; a certificate from another CA, an expired one and one for another host name
//! are each refused with their typed error, and nothing leaves the outbox.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::Duration;
use safeshare_core::clock::SystemClock;
use safeshare_core::sync::client::{SeededJitter, SyncConfig, SyncError, TlsRefusal};
use safeshare_server::serve::TlsFiles;
use safeshare_tests::{region, Backend, TestCa, TestDevice, TestServer};
use std::sync::Arc;

fn https_server(files: safeshare_tests::ServerCertFiles) -> TestServer {
    TestServer::start_tls(
        Backend::Sqlite,
        Arc::new(SystemClock),
        &region(),
        TlsFiles {
            cert: files.cert,
            key: files.key,
        },
    )
}

fn device_pinned_to(server: &TestServer, ca_pem: &str, seed: u64) -> TestDevice {
    let mut config = SyncConfig::new(server.base_url()).with_region_ca(ca_pem);
    config.timeout = std::time::Duration::from_secs(5);
    TestDevice::new(
        config,
        Arc::new(SystemClock),
        Arc::new(SeededJitter::new(seed)),
    )
}

/// Enrols, allowing the just-started server a moment to bind its port.
fn enrol(device: &TestDevice, code: &str) -> Result<(), SyncError> {
    for _ in 0..50 {
        match device.enrol(code) {
            Err(SyncError::Network(_)) => std::thread::sleep(std::time::Duration::from_millis(50)),
            other => return other.map(|_| ()),
        }
    }
    device.enrol(code).map(|_| ())
}

#[test]
fn enrol_and_sync_succeed_over_https_with_the_region_ca_pinned() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("Fictional Region CA");
    let server = https_server(ca.issue(dir.path(), "server", &["localhost"], false));
    let (team_a, team_b) = (server.teams[0], server.teams[1]);
    assert!(server.base_url().starts_with("https://localhost:"));

    let mut midwife = device_pinned_to(&server, ca.pem(), 1);
    enrol(&midwife, &server.issue_code(vec![team_a])).unwrap();
    let mut health_visitor = device_pinned_to(&server, ca.pem(), 2);
    enrol(&health_visitor, &server.issue_code(vec![team_b])).unwrap();

    let share = midwife.capture(midwife.share(vec![team_b], Duration::hours(24), b"seen"));
    let report = midwife.sync().unwrap();
    assert_eq!((report.accepted, report.rejected), (1, 0));
    health_visitor.sync().unwrap();
    assert!(health_visitor.has_received(share.id));
}

#[test]
fn a_server_certificate_from_another_ca_is_refused_as_unknown_issuer_and_nothing_is_enrolled() {
    let dir = tempfile::tempdir().unwrap();
    let ours = TestCa::new("Fictional Region CA");
    let theirs = TestCa::new("Another Region CA");
    let server = https_server(theirs.issue(dir.path(), "server", &["localhost"], false));
    let device = device_pinned_to(&server, ours.pem(), 3);
    let err = enrol(&device, &server.issue_code(vec![server.teams[0]])).unwrap_err();
    assert!(
        matches!(err, SyncError::UntrustedServer(TlsRefusal::UnknownIssuer)),
        "{err:?}"
    );
    assert!(!err.is_transient());
    assert_eq!(err.code(), "untrusted_server");
    assert!(
        safeshare_core::sync::client::SyncClient::identity(device.store())
            .unwrap()
            .is_none()
    );
}

#[test]
fn an_expired_server_certificate_is_refused_as_expired() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("Fictional Region CA");
    let server = https_server(ca.issue(dir.path(), "server", &["localhost"], true));
    let device = device_pinned_to(&server, ca.pem(), 4);
    let err = enrol(&device, &server.issue_code(vec![server.teams[0]])).unwrap_err();
    assert!(
        matches!(err, SyncError::UntrustedServer(TlsRefusal::Expired)),
        "{err:?}"
    );
}

#[test]
fn a_server_certificate_for_another_host_name_is_refused_as_wrong_host_name() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("Fictional Region CA");
    let server = https_server(ca.issue(
        dir.path(),
        "server",
        &["sync.another-region.example"],
        false,
    ));
    let device = device_pinned_to(&server, ca.pem(), 5);
    let err = enrol(&device, &server.issue_code(vec![server.teams[0]])).unwrap_err();
    assert!(
        matches!(err, SyncError::UntrustedServer(TlsRefusal::WrongHostName)),
        "{err:?}"
    );
}

#[test]
fn an_enrolled_device_keeps_its_outbox_when_the_server_later_presents_another_cas_certificate() {
    // The server is replaced by one whose certificate the region did not issue (a
    // man-in-the-middle, or a misconfigured server): the capture stays in the outbox and the
    // status names the refusal.
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("Fictional Region CA");
    let mut server = https_server(ca.issue(dir.path(), "server", &["localhost"], false));
    let team = server.teams[0];
    let mut device = device_pinned_to(&server, ca.pem(), 6);
    enrol(&device, &server.issue_code(vec![team])).unwrap();

    // Same port, certificate from another CA.
    let other = TestCa::new("Interceptor CA");
    let impostor = other.issue(dir.path(), "impostor", &["localhost"], false);
    server.kill();
    std::fs::copy(&impostor.cert, dir.path().join("server.pem")).unwrap();
    std::fs::copy(&impostor.key, dir.path().join("server.key")).unwrap();
    server.restart();

    device.capture(device.share(vec![server.teams[1]], Duration::hours(24), b"seen"));
    let mut last = None;
    for _ in 0..50 {
        match device.sync() {
            Err(SyncError::Network(_)) => std::thread::sleep(std::time::Duration::from_millis(50)),
            other => {
                last = Some(other);
                break;
            }
        }
    }
    let err = last.expect("an answer").unwrap_err();
    assert!(
        matches!(err, SyncError::UntrustedServer(TlsRefusal::UnknownIssuer)),
        "{err:?}"
    );
    assert_eq!(
        device.status().pending,
        1,
        "the capture stays in the outbox"
    );
}

//! Connection-level hardening of the real binary over 127.0.0.1: unauthenticated bodies are
//! never buffered (memory measured from /proc), slow and idle clients are closed, the
//! connection cap holds, and cleartext HTTP/2 is served only when configured.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

const BIN: &str = env!("CARGO_BIN_EXE_safeshare-server");

async fn start(data: &Path, extra: &[&str]) -> (Child, String) {
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(data)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            let line = lines.next_line().await.unwrap().expect("server exited");
            if let Some(url) = line.strip_prefix("listening on http://") {
                return url.to_owned();
            }
        }
    })
    .await
    .expect("server did not start");
    (child, addr)
}

/// Resident set size of `pid`, KiB, from /proc.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Reads until the peer closes or `limit` passes; returns what came and whether it closed.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (Vec<u8>, bool) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (got, true),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => return (got, false),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthenticated_bodies_are_never_buffered() {
    let dir = tempfile::tempdir().unwrap();
    let (server, addr) = start(&dir.path().join("data"), &[]).await;
    let pid = server.id().unwrap();
    // Warm up (first request allocates pools and caches), then measure.
    let _ = reqwest::get(format!("http://{addr}/healthz"))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let before = rss_kib(pid);
    let chunk = vec![b'x'; 64 * 1024];
    let mut streams = Vec::new();
    for i in 0..100 {
        let mut s = TcpStream::connect(&addr).await.unwrap();
        // Half without signature headers, half naming a device nobody enrolled.
        let auth = if i % 2 == 0 {
            String::new()
        } else {
            format!(
                "x-safeshare-device: {}\r\nx-safeshare-timestamp: 0\r\nx-safeshare-nonce: abcdefgh\r\nx-safeshare-signature: AAAA\r\n",
                ulid::Ulid::new()
            )
        };
        let head = format!(
            "POST /v1/push HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{auth}\r\n",
            4 * 1024 * 1024
        );
        s.write_all(head.as_bytes()).await.unwrap();
        // Some body bytes too, as an attacker would send; the rest never comes.
        let _ = s.write_all(&chunk).await;
        streams.push(s);
    }
    let mut answered = 0;
    for s in &mut streams {
        let (got, _) = read_until_closed(s, Duration::from_secs(5)).await;
        let text = String::from_utf8_lossy(&got);
        assert!(text.starts_with("HTTP/1.1 401"), "{text}");
        answered += 1;
    }
    assert_eq!(answered, 100);
    let after = rss_kib(pid);
    let grown = after.saturating_sub(before);
    assert!(
        grown < 8 * 1024,
        "RSS grew by {grown} KiB for 100 unauthenticated 4 MiB requests ({before} -> {after})"
    );
    eprintln!("RSS before {before} KiB, after {after} KiB, grown {grown} KiB");
    drop(streams);
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_trickling_headers_is_closed_within_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, addr) = start(
        &dir.path().join("data"),
        &["--header-read-timeout-secs", "2"],
    )
    .await;
    let mut s = TcpStream::connect(&addr).await.unwrap();
    let started = Instant::now();
    let head = b"GET /healthz HTTP/1.1\r\nhost: x\r\nx-slow: ";
    let mut closed_at = None;
    for byte in head.iter().chain(std::iter::repeat(&b'a')).take(30) {
        if s.write_all(&[*byte]).await.is_err() {
            closed_at = Some(started.elapsed());
            break;
        }
        let mut buf = [0u8; 512];
        match tokio::time::timeout(Duration::from_secs(1), s.read(&mut buf)).await {
            Ok(Ok(_)) | Ok(Err(_)) => {
                closed_at = Some(started.elapsed());
                break;
            }
            Err(_) => {}
        }
    }
    let closed_at = closed_at.expect("a byte-a-second client was never closed");
    assert!(
        closed_at < Duration::from_secs(5),
        "closed after {closed_at:?}"
    );

    // An idle kept-alive connection is closed by the same timer.
    let mut idle = TcpStream::connect(&addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let (got, closed) = read_until_closed(&mut idle, Duration::from_secs(8)).await;
    assert!(String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"));
    assert!(closed, "idle keep-alive connection left open");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_over_the_cap_are_closed_on_arrival() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, addr) = start(&dir.path().join("data"), &["--max-connections", "2"]).await;
    let _a = TcpStream::connect(&addr).await.unwrap();
    let _b = TcpStream::connect(&addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut c = TcpStream::connect(&addr).await.unwrap();
    let _ = c
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        .await;
    let (got, closed) = read_until_closed(&mut c, Duration::from_secs(3)).await;
    assert!(
        closed && got.is_empty(),
        "{}",
        String::from_utf8_lossy(&got)
    );
    drop(_a);
    drop(_b);
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Slots free again once the others leave.
    let resp = reqwest::get(format!("http://{addr}/healthz"))
        .await
        .unwrap();
    assert_eq!(resp.status(), reqwest::StatusCode::OK);
}

/// Sends the HTTP/2 preface and an empty SETTINGS frame; true if the server answers with an
/// HTTP/2 SETTINGS frame.
async fn speaks_h2c(addr: &str) -> bool {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        .await
        .unwrap();
    s.write_all(&[0, 0, 0, 4, 0, 0, 0, 0, 0]).await.unwrap();
    let mut head = [0u8; 9];
    match tokio::time::timeout(Duration::from_secs(3), s.read_exact(&mut head)).await {
        Ok(Ok(_)) => head[3] == 4 && &head[..4] != b"HTTP",
        _ => false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cleartext_http2_only_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let (server, addr) = start(&dir.path().join("a"), &[]).await;
    assert!(!speaks_h2c(&addr).await);
    drop(server);
    let (_server, addr) = start(&dir.path().join("b"), &["--http2-cleartext"]).await;
    assert!(speaks_h2c(&addr).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_enrolment_is_logged_with_address_and_reason_never_the_code() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            let line = lines.next_line().await.unwrap().expect("server exited");
            if let Some(url) = line.strip_prefix("listening on http://") {
                return url.to_owned();
            }
        }
    })
    .await
    .expect("server did not start");
    let stderr = child.stderr.take().unwrap();

    // A well-formed code nobody issued, typed as a practitioner would.
    let code = "QX7M-3KPA-9RTZ";
    let key = safeshare_core::sync::DeviceKeyPair::generate().unwrap();
    let resp = reqwest::Client::new()
        .post(format!("http://{addr}/v1/enrol"))
        .json(&safeshare_core::sync::EnrolRequest {
            code: code.to_owned(),
            public_key: key.public_key(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    child.kill().await.unwrap();
    let mut log = String::new();
    BufReader::new(stderr)
        .read_to_string(&mut log)
        .await
        .unwrap();
    let line = log
        .lines()
        .find(|l| l.contains("enrolment refused"))
        .unwrap_or_else(|| panic!("no refusal logged: {log}"));
    assert!(line.contains("127.0.0.1"), "{line}");
    assert!(line.contains("EnrolmentCodeUnknown"), "{line}");
    let bare: String = code.chars().filter(|c| *c != '-').collect();
    for form in [code, bare.as_str(), &bare.to_lowercase()] {
        assert!(!log.contains(form), "the code appears in the log: {line}");
    }
}

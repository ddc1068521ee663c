//! The `safeshare-server` binary end to end: admin subcommands and `serve` sharing one SQLite
//! database, the demo region, TLS, and graceful shutdown on SIGTERM.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

mod common;

use chrono::{Duration, Utc};
use safeshare_core::model::TeamId;
use safeshare_core::sync::{
    paths, DeviceInfo, DeviceKeyPair, EnrolRequest, ErrorBody, ErrorCode, PushRequest, PushResponse,
};
use std::path::Path;
use std::process::{Output, Stdio};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const BIN: &str = env!("CARGO_BIN_EXE_safeshare-server");

fn admin(data: &Path, args: &[&str]) -> Output {
    std::process::Command::new(BIN)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// Starts `serve` and waits for its "listening on URL" line; returns the child and the URL.
/// Other stdout lines before it are returned too.
async fn start(data: &Path, extra: &[&str]) -> (Child, String, Vec<String>) {
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(data)
        .arg("serve")
        .args(extra)
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut before = Vec::new();
    let url = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        loop {
            let line = lines.next_line().await.unwrap().expect("server exited");
            if let Some(url) = line.strip_prefix("listening on ") {
                return url.to_owned();
            }
            before.push(line);
        }
    })
    .await
    .expect("server did not start");
    (child, url, before)
}

async fn terminate(mut child: Child) {
    let pid = child.id().unwrap().to_string();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = tokio::time::timeout(std::time::Duration::from_secs(30), child.wait())
        .await
        .expect("server did not stop on SIGTERM")
        .unwrap();
    assert!(exit.success(), "server exited with {exit:?}");
}

async fn enrol(http: &reqwest::Client, url: &str, code: &str) -> (DeviceInfo, DeviceKeyPair) {
    let key = DeviceKeyPair::generate().unwrap();
    let resp = http
        .post(format!("{url}{}", paths::ENROL))
        .json(&EnrolRequest {
            code: code.to_owned(),
            public_key: key.public_key(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), reqwest::StatusCode::OK);
    (resp.json().await.unwrap(), key)
}

async fn push(
    http: &reqwest::Client,
    url: &str,
    device: &(DeviceInfo, DeviceKeyPair),
    envelopes: Vec<safeshare_core::sync::Envelope>,
) -> reqwest::Response {
    let body = serde_json::to_vec(&PushRequest { envelopes }).unwrap();
    let sig = device
        .1
        .sign_request(device.0.device_id, "POST", paths::PUSH, &body, Utc::now())
        .unwrap();
    let mut req = http.post(format!("{url}{}", paths::PUSH));
    for (name, value) in sig.headers() {
        req = req.header(name, value);
    }
    req.header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_commands_and_the_server_share_one_database() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (team_a, team_b) = (TeamId::new(), TeamId::new());
    let file = dir.path().join("directory.json");
    std::fs::write(
        &file,
        common::directory_file(3, &[(team_a, "Fictional A"), (team_b, "Fictional B")]),
    )
    .unwrap();
    let imported = admin(&data, &["import-directory", file.to_str().unwrap()]);
    assert!(imported.status.success());
    assert_eq!(stdout(&imported), "directory version 3 imported\n");
    // The same version again is refused: versions only go up.
    let again = admin(&data, &["import-directory", file.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("not newer"));
    let issued = admin(&data, &["issue-code", "--team", &team_a.to_string()]);
    assert!(issued.status.success());
    let code = stdout(&issued).lines().next().unwrap().to_owned();
    assert_eq!(code.len(), 14);

    let (server, url, _) = start(&data, &["--listen", "127.0.0.1:0"]).await;
    let http = reqwest::Client::new();
    let device = enrol(&http, &url, &code).await;
    // A share already past its acknowledgement time, to a team nobody acknowledges from.
    let late = common::sign_as(
        common::share(
            device.0.practitioner_id,
            device.0.device_id,
            vec![team_b],
            Utc::now() - Duration::hours(1),
        ),
        &device.1,
    );
    let resp = push(&http, &url, &device, vec![late.clone()]).await;
    assert_eq!(resp.status(), reqwest::StatusCode::OK);
    let answer: PushResponse = resp.json().await.unwrap();
    assert_eq!(answer.results.len(), 1);

    let overdue = admin(&data, &["overdue"]);
    assert!(overdue.status.success());
    let report = stdout(&overdue);
    assert!(report.starts_with("1 overdue"), "{report}");
    assert!(report.contains(&late.entity_id.to_string()));
    assert!(report.contains("share not acknowledged"));

    // Retired (handed back): it may still push, and the audit records who retired it.
    let retired = admin(&data, &["retire", &device.0.device_id.to_string()]);
    assert!(retired.status.success());
    assert!(stdout(&retired).contains("retired"), "{}", stdout(&retired));
    let resp = push(&http, &url, &device, vec![]).await;
    assert_eq!(resp.status(), reqwest::StatusCode::OK);
    let audit = stdout(&admin(&data, &["audit"]));
    assert!(
        audit.contains(&format!("device_retired {} by cli", device.0.device_id)),
        "{audit}"
    );
    let unknown = admin(
        &data,
        &[
            "retire",
            &safeshare_core::model::DeviceId::new().to_string(),
        ],
    );
    assert!(!unknown.status.success());

    let revoked = admin(&data, &["revoke", &device.0.device_id.to_string()]);
    assert!(revoked.status.success());
    let resp = push(&http, &url, &device, vec![]).await;
    assert_eq!(resp.status(), reqwest::StatusCode::FORBIDDEN);
    let err: ErrorBody = resp.json().await.unwrap();
    assert_eq!(err.code, ErrorCode::DeviceRevoked);
    assert!(err.wipe);
    // Retiring it now would say "it may still send what it holds", the opposite of what the
    // revoked phone does: refused, naming the revocation, and not audited as a retirement.
    let after_revoke = admin(&data, &["retire", &device.0.device_id.to_string()]);
    assert!(!after_revoke.status.success());
    let message = String::from_utf8_lossy(&after_revoke.stderr);
    assert!(message.contains("was revoked at"), "{message}");
    let audit = stdout(&admin(&data, &["audit"]));
    assert_eq!(audit.matches("device_retired").count(), 1, "{audit}");
    // Data directory 0700; database, WAL and shared-memory files 0600.
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        for name in ["safeshare.db", "safeshare.db-wal", "safeshare.db-shm"] {
            assert_eq!(mode(&data.join(name)), 0o600, "{name}");
        }
    }
    terminate(server).await;
}

#[test]
fn an_existing_loose_data_directory_is_tightened() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(data.join("safeshare.db"), b"").unwrap();
    std::fs::set_permissions(
        data.join("safeshare.db"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    assert!(admin(&data, &["init"]).status.success());
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("safeshare.db")), 0o600);
}

#[tokio::test]
async fn bad_admin_input_fails_with_a_message_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("bad.json");
    let broken = common::directory_file(1, &[(TeamId::new(), "Fictional A")])
        .replace("\"ods_code\": \"Z990\"", "\"ods_code\": \"Z9\"");
    std::fs::write(&file, broken).unwrap();
    let out = admin(&data, &["import-directory", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("nothing imported") && err.contains("line 2"),
        "{err}"
    );
    // Nothing above created a database, and no admin command pretends there is one.
    assert!(!data.join("safeshare.db").exists());
    let out = admin(&data, &["overdue"]);
    assert!(!out.status.success());
    assert_eq!(stdout(&out), "");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no SafeShare database"), "{err}");
    assert_eq!(err.matches("error").count(), 1, "printed once: {err}");
    assert!(
        !err.contains('\u{1b}'),
        "no colour codes when not a terminal: {err}"
    );
    assert!(!data.join("safeshare.db").exists());

    assert!(admin(&data, &["init"]).status.success());
    let out = admin(&data, &["issue-code", "--team", &TeamId::new().to_string()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not in the region's directory"));
    let out = admin(
        &data,
        &[
            "revoke",
            &safeshare_core::model::DeviceId::new().to_string(),
        ],
    );
    assert!(!out.status.success());
    let out = admin(&data, &["overdue"]);
    assert_eq!(stdout(&out), "Nothing overdue.\n");
    assert_eq!(
        stdout(&admin(&data, &["audit"])),
        "No admin actions recorded.\n"
    );
}

#[tokio::test]
async fn codes_teams_and_audit_as_a_newcomer_meets_them() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let team = TeamId::new();
    let file = dir.path().join("directory.jsonl");
    std::fs::write(
        &file,
        common::directory_file(1, &[(team, "Fictional Midwives")]),
    )
    .unwrap();
    assert!(admin(&data, &["import-directory", file.to_str().unwrap()])
        .status
        .success());
    // Older or equal version: says what is stored and what to do.
    let again = admin(&data, &["import-directory", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(
        err.contains("already stored (1)") && err.contains("\"version\""),
        "{err}"
    );
    let help = admin(&data, &["import-directory", "--help"]);
    assert!(stdout(&help).contains("JSON Lines"));

    let teams = stdout(&admin(&data, &["list-teams"]));
    assert_eq!(teams, format!("{team}  Fictional Midwives\n"));

    for bad in ["0", "-5", "721", "99999999999999999"] {
        let out = admin(
            &data,
            &[
                "issue-code",
                "--team",
                &team.to_string(),
                "--ttl-hours",
                bad,
            ],
        );
        assert!(!out.status.success(), "ttl {bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("between 1 and 720 hours"), "ttl {bad}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let issued = stdout(&admin(&data, &["issue-code", "--team", &team.to_string()]));
    let code_id = issued
        .split("code id ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let listed = stdout(&admin(&data, &["list-codes"]));
    assert!(
        listed.contains(&code_id) && listed.contains("active"),
        "{listed}"
    );
    let code = issued.lines().next().unwrap();
    assert!(
        !listed.contains(code),
        "the list never shows the code itself"
    );

    let out = admin(&data, &["revoke-code", &code_id]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&admin(&data, &["list-codes"])).contains("revoked"));
    let out = admin(&data, &["revoke-code", "01ZZZZZZZZZZZZZZZZZZZZZZZZ"]);
    assert!(!out.status.success());

    let audit = stdout(&admin(&data, &["audit"]));
    let lines: Vec<&str> = audit.lines().collect();
    assert_eq!(lines.len(), 3, "{audit}");
    assert!(
        lines[0].contains(&format!("code_revoked {code_id} by cli")),
        "{audit}"
    );
    assert!(
        lines[1].contains(&format!("code_issued {code_id} by cli")),
        "{audit}"
    );
    assert!(lines[2].contains("directory_imported 1 by cli"), "{audit}");
    assert!(!audit.contains(code), "{audit}");

    // A console sign-in link is audited under the name its session will have, never the token.
    let link = stdout(&admin(&data, &["console-link", "--role", "assurance"]));
    let token = link
        .split("/console/link/")
        .nth(1)
        .expect("a link")
        .split_whitespace()
        .next()
        .unwrap();
    let audit = stdout(&admin(&data, &["audit"]));
    let newest = audit.lines().next().unwrap();
    assert!(
        newest.contains("console_link_issued link:")
            && newest.contains("assurance")
            && newest.contains("by cli"),
        "{audit}"
    );
    assert!(!audit.contains(token), "{audit}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bind_failure_names_the_address() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = std::process::Command::new(BIN)
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .args(["serve", "--listen", &addr])
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("cannot listen on {addr}")), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_region_prints_a_code_that_enrols_into_the_fictional_midwifery_team() {
    let dir = tempfile::tempdir().unwrap();
    let (server, url, lines) = start(
        &dir.path().join("data"),
        &["--listen", "127.0.0.1:0", "--demo"],
    )
    .await;
    let line = lines
        .iter()
        .find(|l| l.contains("Enrolment code: "))
        .expect("no enrolment code printed");
    let code = line.split("Enrolment code: ").nth(1).unwrap().trim();
    assert!(line.contains("FICTIONAL"), "{line}");
    let http = reqwest::Client::new();
    let (info, _) = enrol(&http, &url, code).await;
    let midwifery: TeamId = "01M6A6FT00TTZHYYZ9RZKXMQAR".parse().unwrap();
    assert_eq!(info.teams, vec![midwifery]);
    // A restart with --demo again reuses the stored directory and prints a fresh code.
    terminate(server).await;
    let (server, _, lines) = start(
        &dir.path().join("data"),
        &["--listen", "127.0.0.1:0", "--demo"],
    )
    .await;
    assert!(lines.iter().any(|l| l.contains("Enrolment code: ")));
    terminate(server).await;
    // A third start: the second start's unused code is revoked, so one valid code remains.
    let (server, _, _) = start(
        &dir.path().join("data"),
        &["--listen", "127.0.0.1:0", "--demo"],
    )
    .await;
    let codes = stdout(&admin(&dir.path().join("data"), &["list-codes"]));
    assert_eq!(codes.matches(" active ").count(), 1, "{codes}");
    assert_eq!(codes.matches(" revoked ").count(), 1, "{codes}");
    assert_eq!(codes.matches(" used ").count(), 1, "{codes}");
    terminate(server).await;
}

/// A self-signed P-256 certificate for localhost and 127.0.0.1 (one day), made by `openssl` in
/// `dir`: the TLS tests check that the server speaks TLS with it, so the client pins nothing.
fn self_signed_certificate(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let made = std::process::Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
        .args(["ec_paramgen_curve:P-256", "-nodes", "-days", "1"])
        .args(["-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(Stdio::null())
        .status()
        .expect("openssl is needed for the TLS tests");
    assert!(made.success());
    (cert, key)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_https_with_the_given_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = self_signed_certificate(dir.path());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let (server, url, _) = start(
        &dir.path().join("data"),
        &[
            "--listen",
            &listen,
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
    )
    .await;
    assert!(url.starts_with("https://"));
    // The certificate is self-signed (no CA to chain to), so the client pins nothing and only
    // checks that the server speaks TLS with it.
    let http = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    let mut last_error = String::new();
    let mut health = None;
    for _ in 0..100 {
        match http.get(format!("{url}{}", paths::HEALTHZ)).send().await {
            Ok(resp) => {
                health = Some(resp.json::<serde_json::Value>().await.unwrap());
                break;
            }
            Err(e) => {
                last_error = format!("{e:?}");
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
        }
    }
    let health = health.unwrap_or_else(|| panic!("HTTPS never answered: {last_error}"));
    assert_eq!(health["status"], "ok");
    // The console is on the TLS listener too, and its cookies are Secure there.
    let link = stdout(&admin(
        &dir.path().join("data"),
        &["console-link", "--role", "assurance"],
    ));
    let token = link
        .split("/console/link/")
        .nth(1)
        .expect("a link")
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let page = http
        .get(format!("{url}/console/link/{token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), reqwest::StatusCode::OK);
    assert!(page
        .headers()
        .get("content-security-policy")
        .is_some_and(|v| v.to_str().unwrap().contains("default-src 'none'")));
    let cookie = page
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("; Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    terminate(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_connection_cap_holds_on_the_tls_listener_too() {
    use tokio::io::AsyncReadExt as _;
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = self_signed_certificate(dir.path());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let (server, url, _) = start(
        &dir.path().join("data"),
        &[
            "--listen",
            &listen,
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
            "--max-connections",
            "2",
        ],
    )
    .await;
    let http = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    // Up before the test holds its two connections.
    let mut up = false;
    for _ in 0..100 {
        if http.get(format!("{url}/healthz")).send().await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(up, "HTTPS never answered");

    // Two connections that never start their handshake hold both slots. The health checks'
    // connections may still hold a slot for a moment after the client closed them, so take the
    // two again until both are seen held (open, nothing read) rather than closed on arrival.
    let mut held: Vec<tokio::net::TcpStream> = Vec::new();
    for _ in 0..50 {
        held = vec![
            tokio::net::TcpStream::connect(&listen).await.unwrap(),
            tokio::net::TcpStream::connect(&listen).await.unwrap(),
        ];
        let mut open = 0;
        for stream in &mut held {
            let mut probe = [0u8; 1];
            let waited = tokio::time::timeout(
                std::time::Duration::from_millis(200),
                stream.read(&mut probe),
            )
            .await;
            if waited.is_err() {
                open += 1;
            }
        }
        if open == 2 {
            break;
        }
        held.clear();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(held.len(), 2, "two connections never held both slots");
    // ...so a third is closed on arrival, before any TLS byte.
    let mut third = tokio::net::TcpStream::connect(&listen).await.unwrap();
    let mut buf = [0u8; 16];
    let closed = tokio::time::timeout(std::time::Duration::from_secs(3), third.read(&mut buf))
        .await
        .expect("the connection over the cap is closed at once");
    assert!(matches!(closed, Ok(0) | Err(_)), "{closed:?}");
    assert!(http.get(format!("{url}/healthz")).send().await.is_err());

    // Freed slots are taken again.
    drop(held);
    let mut answered = false;
    for _ in 0..50 {
        if let Ok(resp) = http.get(format!("{url}/healthz")).send().await {
            answered = resp.status().is_success();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        answered,
        "a slot freed by a closed connection is used again"
    );
    terminate(server).await;
}

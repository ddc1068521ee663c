//! A real regional server on 127.0.0.1 that a test can start, kill and restart.

use chrono::Duration;
use safeshare_core::clock::Clock;
use safeshare_core::directory::Directory;
use safeshare_core::model::{DeviceId, PractitionerId, TeamId};
use safeshare_core::sync::Envelope;
use safeshare_server::admin::store_directory;
use safeshare_server::enrolment::issue;
use safeshare_server::http::AppState;
use safeshare_server::metrics::Metrics;
use safeshare_server::serve::{serve_tls, serve_with, ConnectionLimits, TlsFiles};
use safeshare_server::storage::postgres::PgStore;
use safeshare_server::storage::sqlite::SqliteStore;
use safeshare_server::storage::Store;
use std::net::SocketAddr;
use std::sync::Arc;

/// Which storage the server uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file in a temporary directory.
    Sqlite,
    /// A fresh schema in this PostgreSQL cluster.
    Postgres {
        /// Connection URL.
        url: String,
    },
}

impl Backend {
    /// Short name for messages.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres { .. } => "postgres",
        }
    }
}

/// What a test does with the server's storage directly (as the admin CLI would).
trait Admin: Send + Sync {
    fn issue_code(&self, practitioner: Option<PractitionerId>, teams: Vec<TeamId>) -> String;
    fn revoke(&self, device: DeviceId) -> bool;
    fn retire(&self, device: DeviceId) -> bool;
    fn envelopes(&self, teams: Vec<TeamId>) -> Vec<(u64, Envelope)>;
    fn overdue(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Vec<safeshare_server::storage::OverdueItem>;
    fn inject(&self, envelope: Envelope);
    fn roster_devices(&self) -> Vec<safeshare_core::sync::RosterDevice>;
}

struct AdminOf<S: Store> {
    state: Arc<AppState<S>>,
    handle: tokio::runtime::Handle,
}

impl<S: Store> Admin for AdminOf<S> {
    fn overdue(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Vec<safeshare_server::storage::OverdueItem> {
        self.handle
            .block_on(self.state.store.overdue(now))
            .expect("overdue report")
    }

    fn issue_code(&self, practitioner: Option<PractitionerId>, teams: Vec<TeamId>) -> String {
        let now = self.state.clock.now();
        self.handle
            .block_on(issue(
                &self.state.store,
                practitioner,
                teams,
                Duration::hours(72),
                now,
            ))
            .expect("issue an enrolment code")
            .code
    }

    fn revoke(&self, device: DeviceId) -> bool {
        let now = self.state.clock.now();
        self.handle
            .block_on(self.state.store.revoke_device(device, now))
            .expect("revoke")
            .is_ok()
    }

    fn retire(&self, device: DeviceId) -> bool {
        let now = self.state.clock.now();
        self.handle
            .block_on(safeshare_server::admin::retire_device(
                &self.state.store,
                device,
                now,
                safeshare_server::admin::CLI_ACTOR,
            ))
            .expect("retire")
            .is_ok()
    }

    fn inject(&self, envelope: Envelope) {
        let now = self.state.clock.now();
        let item = safeshare_server::storage::NewEnvelope::new(envelope).expect("canonical form");
        self.handle
            .block_on(self.state.store.push(vec![item], now))
            .expect("store an injected envelope");
    }

    fn roster_devices(&self) -> Vec<safeshare_core::sync::RosterDevice> {
        self.handle
            .block_on(self.state.store.roster_devices())
            .expect("roster devices")
    }

    fn envelopes(&self, teams: Vec<TeamId>) -> Vec<(u64, Envelope)> {
        // Every stored envelope addressed to these teams or authored by nobody in particular:
        // a fresh practitioner id matches no author, so this is "everything to these teams".
        let nobody = PractitionerId::new();
        let mut out = Vec::new();
        let mut after = 0;
        loop {
            let page = self
                .handle
                .block_on(self.state.store.pull(teams.clone(), nobody, after, 500))
                .expect("read stored envelopes");
            if page.is_empty() {
                return out;
            }
            for stored in page {
                after = stored.seq;
                let envelope: Envelope =
                    serde_json::from_str(&stored.json).expect("stored envelope parses");
                out.push((stored.seq, envelope));
            }
        }
    }
}

/// A copy of the server's data taken by [`TestServer::backup`], as an operator's backup is:
/// a SQLite database file, or a `pg_dump` of the server's PostgreSQL schema.
#[derive(Debug, Clone)]
pub struct Backup {
    path: std::path::PathBuf,
}

impl Backup {
    /// The backup file.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }
}

/// Runs a PostgreSQL client tool (`pg_dump`, `psql`) from Debian's postgresql package, which
/// `tests/run` installs; panics with its output when it fails.
fn pg_tool(program: &str, args: &[&str]) {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|err| panic!("run {program} (Debian's postgresql-client): {err}"));
    assert!(
        out.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// One run of the server process: its runtime, its address, its admin handle.
struct Incarnation {
    runtime: tokio::runtime::Runtime,
    admin: Box<dyn Admin>,
}

/// A real server on 127.0.0.1.
pub struct TestServer {
    backend: Backend,
    data: tempfile::TempDir,
    schema: String,
    clock: Arc<dyn Clock>,
    directory: Directory,
    addr: SocketAddr,
    live: Option<Incarnation>,
    /// HTTPS with this certificate and key instead of plain HTTP.
    tls: Option<TlsFiles>,
    /// The region key rosters are signed with; kept across restarts, as the key file is.
    region_key: Arc<safeshare_core::sync::RegionKeyPair>,
    /// The region's teams: midwifery, health visiting, front door.
    pub teams: Vec<TeamId>,
}

impl TestServer {
    /// Starts a server on `backend` whose clock is `clock`, with the fictional region's
    /// directory imported.
    pub fn start(backend: Backend, clock: Arc<dyn Clock>, region: &crate::Region) -> Self {
        Self::start_with(backend, clock, region, None)
    }

    /// [`TestServer::start`] serving HTTPS (rustls, ring) with the certificate in `tls`;
    /// [`TestServer::base_url`] is then `https://localhost:<port>`.
    pub fn start_tls(
        backend: Backend,
        clock: Arc<dyn Clock>,
        region: &crate::Region,
        tls: TlsFiles,
    ) -> Self {
        Self::start_with(backend, clock, region, Some(tls))
    }

    fn start_with(
        backend: Backend,
        clock: Arc<dyn Clock>,
        region: &crate::Region,
        tls: Option<TlsFiles>,
    ) -> Self {
        let directory = region.directory.clone();
        let teams = region.teams();
        let mut server = Self {
            backend,
            data: tempfile::tempdir().expect("temp dir"),
            schema: format!("e2e_{}", ulid::Ulid::new().to_string().to_lowercase()),
            clock,
            directory,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            live: None,
            tls,
            region_key: Arc::new(
                safeshare_core::sync::RegionKeyPair::generate().expect("region key"),
            ),
            teams,
        };
        server.boot(true);
        server
    }

    /// The base URL devices talk to.
    pub fn base_url(&self) -> String {
        match self.tls {
            Some(_) => format!("https://localhost:{}", self.addr.port()),
            None => format!("http://{}", self.addr),
        }
    }

    /// The region key (tests tamper with rosters signed by it, or by another).
    pub fn region_key(&self) -> &safeshare_core::sync::RegionKeyPair {
        &self.region_key
    }

    /// Restarts the server with another region key, as a compromised server (or an operator
    /// who lost the key file) would: its new rosters are signed by a key no phone pinned.
    pub fn restart_with_region_key(&mut self, key: safeshare_core::sync::RegionKeyPair) {
        self.kill();
        self.region_key = Arc::new(key);
        self.boot(false);
    }

    /// Everything the server's storage holds, as bytes, read the way a thief of the database
    /// or an operator would: for SQLite every file of its data directory (database, WAL,
    /// shared memory); for PostgreSQL the text of every row of every table of its schema.
    pub fn raw_storage(&self) -> Vec<u8> {
        match &self.backend {
            Backend::Sqlite => {
                let mut out = Vec::new();
                let dir = self.data.path().join("server");
                for entry in std::fs::read_dir(&dir).expect("server data dir") {
                    let path = entry.expect("dir entry").path();
                    if path.is_file() {
                        out.extend(std::fs::read(&path).expect("read server file"));
                    }
                }
                out
            }
            Backend::Postgres { url } => {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                let schema = self.schema.clone();
                let url = url.clone();
                runtime.block_on(async move {
                    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                        .await
                        .expect("connect to PostgreSQL");
                    let task = tokio::spawn(conn);
                    let tables = client
                        .query(
                            "SELECT table_name::text FROM information_schema.tables \
                             WHERE table_schema = $1",
                            &[&schema],
                        )
                        .await
                        .expect("list tables");
                    let mut out = Vec::new();
                    for table in tables {
                        let name: String = table.get(0);
                        let rows = client
                            .query(&format!("SELECT t::text FROM {schema}.{name} t"), &[])
                            .await
                            .expect("read rows");
                        for row in rows {
                            out.extend(row.get::<_, String>(0).into_bytes());
                            out.push(b'\n');
                        }
                    }
                    drop(client);
                    let _ = task.await;
                    out
                })
            }
        }
    }

    /// The server's SQLite data directory (`None` on PostgreSQL).
    pub fn sqlite_dir(&self) -> Option<std::path::PathBuf> {
        matches!(self.backend, Backend::Sqlite).then(|| self.data.path().join("server"))
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Which storage it uses.
    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    fn admin(&self) -> &dyn Admin {
        self.live
            .as_ref()
            .map(|live| live.admin.as_ref())
            .expect("server is running")
    }

    /// A one-time enrolment code for a new practitioner in `teams`.
    pub fn issue_code(&self, teams: Vec<TeamId>) -> String {
        self.admin().issue_code(None, teams)
    }

    /// A one-time enrolment code for `practitioner` in `teams`.
    pub fn issue_code_for(&self, practitioner: PractitionerId, teams: Vec<TeamId>) -> String {
        self.admin().issue_code(Some(practitioner), teams)
    }

    /// Revokes a device, as `safeshare-server revoke` does.
    pub fn revoke(&self, device: DeviceId) -> bool {
        self.admin().revoke(device)
    }

    /// Retires a device (handed back), as `safeshare-server retire` does.
    pub fn retire(&self, device: DeviceId) -> bool {
        self.admin().retire(device)
    }

    /// The overdue report at `now`, as `safeshare-server overdue` prints it.
    pub fn overdue_at(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Vec<safeshare_server::storage::OverdueItem> {
        self.admin().overdue(now)
    }

    /// Stores `envelope` straight into the server's storage, past every check a push makes:
    /// what a compromised server (or an operator with the database) could do.
    pub fn inject(&self, envelope: Envelope) {
        self.admin().inject(envelope)
    }

    /// Every device as the server's roster lists it (public keys and ids): all a forging
    /// server knows of the region's devices.
    pub fn roster_devices(&self) -> Vec<safeshare_core::sync::RosterDevice> {
        self.admin().roster_devices()
    }

    /// What an envelope is sealed to for every device the roster lists as live (all public):
    /// what a phone seals to, and what a server or a forger holding the roster could seal to.
    pub fn live_recipients(&self) -> Vec<safeshare_core::crypto::envelope_seal::Recipient> {
        self.roster_devices()
            .iter()
            .filter(|d| d.revoked_at.is_none())
            .filter_map(|d| d.encryption_key.map(Into::into))
            .collect()
    }

    /// Every stored envelope addressed to one of `teams`, with its sequence, in order.
    pub fn envelopes_for(&self, teams: &[TeamId]) -> Vec<(u64, Envelope)> {
        self.admin().envelopes(teams.to_vec())
    }

    /// Kills the server as a crash would: its runtime stops at once, with requests in
    /// flight abandoned wherever they were (a push commits whole or not at all).
    pub fn kill(&mut self) {
        if let Some(live) = self.live.take() {
            live.runtime.shutdown_background();
        }
    }

    /// Starts the server again on the same data and, when it can be had, the same port.
    pub fn restart(&mut self) {
        self.kill();
        self.boot(false);
    }

    /// Backs the server's data up while it runs, as the operator's procedure does
    /// (docs/operations.md, "Backup and restore"): SQLite's `VACUUM INTO` (a consistent copy of
    /// the database, write-ahead log included), or `pg_dump` of the server's schema.
    pub fn backup(&self) -> Backup {
        let dir = self.data.path().join("backups");
        std::fs::create_dir_all(&dir).expect("backup dir");
        let path = dir.join(format!("backup-{}", ulid::Ulid::new()));
        match &self.backend {
            Backend::Sqlite => {
                let db = self.data.path().join("server").join("safeshare.db");
                let conn = rusqlite::Connection::open(&db).expect("open the server's database");
                conn.execute("VACUUM INTO ?1", [path.to_str().expect("utf-8 temp path")])
                    .expect("VACUUM INTO the backup file");
            }
            Backend::Postgres { url } => pg_tool(
                "pg_dump",
                &[
                    "--dbname",
                    url,
                    "--schema",
                    &self.schema,
                    "--no-owner",
                    "--file",
                    path.to_str().expect("utf-8 temp path"),
                ],
            ),
        }
        Backup { path }
    }

    /// Stops the server, puts `backup` back in place of its data (everything stored since is
    /// gone, and sequence numbers after the backup's head will be used again), and starts it
    /// on the same port with the same region key, as an operator restoring does.
    pub fn restore(&mut self, backup: &Backup) {
        self.kill();
        match &self.backend {
            Backend::Sqlite => {
                let dir = self.data.path().join("server");
                // The killed server's connections close on their own threads; the last one
                // checkpoints and deletes the write-ahead log by name. Wait for that, so it
                // cannot delete the log of the restored database.
                let wal = dir.join("safeshare.db-wal");
                for _ in 0..250 {
                    if !wal.exists() {
                        break;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                for name in ["safeshare.db-wal", "safeshare.db-shm", "safeshare.db"] {
                    let path = dir.join(name);
                    if path.exists() {
                        std::fs::remove_file(&path).expect("remove the damaged database");
                    }
                }
                std::fs::copy(&backup.path, dir.join("safeshare.db")).expect("copy the backup");
            }
            Backend::Postgres { url } => {
                let drop = format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema);
                pg_tool(
                    "psql",
                    &["--dbname", url, "-q", "-v", "ON_ERROR_STOP=1", "-c", &drop],
                );
                pg_tool(
                    "psql",
                    &[
                        "--dbname",
                        url,
                        "-q",
                        "-v",
                        "ON_ERROR_STOP=1",
                        "-f",
                        backup.path.to_str().expect("utf-8 temp path"),
                    ],
                );
            }
        }
        self.boot(false);
    }

    /// Whether it is running.
    pub fn is_running(&self) -> bool {
        self.live.is_some()
    }

    fn boot(&mut self, first: bool) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime");
        let handle = runtime.handle().clone();
        let wanted = self.addr;
        let listener = runtime.block_on(async move {
            // The old listener may take a moment to go after a kill.
            for _ in 0..100 {
                match tokio::net::TcpListener::bind(wanted).await {
                    Ok(listener) => return listener,
                    Err(_) => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
                }
            }
            tokio::net::TcpListener::bind(wanted)
                .await
                .expect("bind the server's port again")
        });
        self.addr = listener.local_addr().expect("local addr");
        let clock = Arc::clone(&self.clock);
        let directory = first.then(|| self.directory.clone());
        let admin: Box<dyn Admin> = match &self.backend {
            Backend::Sqlite => {
                let store = SqliteStore::open_dir(&self.data.path().join("server"))
                    .expect("open server SQLite");
                launch(
                    &runtime,
                    store,
                    clock,
                    listener,
                    directory,
                    self.tls.clone(),
                    Arc::clone(&self.region_key),
                )
            }
            Backend::Postgres { url } => {
                let store = runtime
                    .block_on(PgStore::connect_in_schema(url, &self.schema))
                    .expect("connect PostgreSQL");
                launch(
                    &runtime,
                    store,
                    clock,
                    listener,
                    directory,
                    self.tls.clone(),
                    Arc::clone(&self.region_key),
                )
            }
        };
        let _ = handle;
        self.live = Some(Incarnation { runtime, admin });
    }
}

/// The server's default limits, but with an enrolment throttle wide enough for the dozens of
/// simulated phones a test or a benchmark enrols from 127.0.0.1 (the throttle itself is
/// tested in `server/tests/http.rs`).
fn test_limits() -> ConnectionLimits {
    ConnectionLimits {
        enrol_burst: 10_000,
        enrol_per_minute: 10_000,
        ..ConnectionLimits::default()
    }
}

fn launch<S: Store>(
    runtime: &tokio::runtime::Runtime,
    store: S,
    clock: Arc<dyn Clock>,
    listener: tokio::net::TcpListener,
    directory: Option<Directory>,
    tls: Option<TlsFiles>,
    region_key: Arc<safeshare_core::sync::RegionKeyPair>,
) -> Box<dyn Admin> {
    if let Some(directory) = directory {
        let now = clock.now();
        runtime
            .block_on(store_directory(&store, &directory, now))
            .expect("import directory");
    }
    let state = Arc::new(AppState {
        store,
        clock,
        metrics: Metrics::default(),
        region: Some(region_key),
    });
    runtime.spawn({
        let state = Arc::clone(&state);
        async move {
            let result = match tls {
                // serve_tls binds the address itself: hand the port over.
                Some(tls) => match listener.local_addr() {
                    Ok(addr) => {
                        drop(listener);
                        serve_tls(state, addr, tls, test_limits(), std::future::pending()).await
                    }
                    Err(err) => Err(err.into()),
                },
                None => serve_with(state, listener, test_limits(), std::future::pending()).await,
            };
            if let Err(err) = result {
                tracing::warn!(error = %err, "test server stopped");
            }
        }
    });
    Box::new(AdminOf {
        state,
        handle: runtime.handle().clone(),
    })
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.kill();
    }
}

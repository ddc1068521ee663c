//! `safeshare-server`: the regional sync server and its admin commands.
//!
//! `safeshare-server serve` runs on 127.0.0.1:8080 with SQLite in `./safeshare-data/` unless
//! told otherwise (`--db postgres://…` or `DATABASE_URL`, `--listen`, `--tls-cert/--tls-key`).
//! The admin subcommands open the same database. Results go to stdout; logs to stderr.

use chrono::Duration;
use clap::{Parser, Subcommand};
use safeshare_core::clock::{Clock, SystemClock};
use safeshare_core::model::{DeviceId, PractitionerId, TeamId};
use safeshare_core::sync::RegionKeyPair;
use safeshare_server::http::AppState;
use safeshare_server::metrics::Metrics;
use safeshare_server::serve::{serve, serve_tls, shutdown_signal, TlsFiles};
use safeshare_server::storage::postgres::PgStore;
use safeshare_server::storage::sqlite::SqliteStore;
use safeshare_server::storage::Store;
use safeshare_server::{admin, demo, enrolment, roster};
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(
    name = "safeshare-server",
    version,
    about = "SafeShare regional sync server"
)]
struct Cli {
    /// PostgreSQL URL (postgres://user@host:port/db). Without it, SQLite in --data-dir.
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    db: Option<String>,
    /// Directory of the embedded SQLite database (created if missing).
    #[arg(long, global = true, default_value = "./safeshare-data")]
    data_dir: PathBuf,
    /// The region key file (Ed25519, PKCS#8, mode 0600) rosters are signed with; keep it
    /// outside the database and its backups (docs/security.md).
    #[arg(long, global = true, env = "SAFESHARE_REGION_KEY")]
    region_key: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the sync server.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// TLS certificate chain (PEM); needs --tls-key.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// TLS private key (PEM); needs --tls-cert.
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Load the fictional demo region and print an enrolment code.
        #[arg(long)]
        demo: bool,
    },
    /// Issue a one-time enrolment code for a practitioner of one or more teams.
    IssueCode {
        /// Team the practitioner belongs to (repeat for several).
        #[arg(long = "team", required = true)]
        teams: Vec<TeamId>,
        /// Existing practitioner id (another device for the same person); new if absent.
        #[arg(long)]
        practitioner: Option<PractitionerId>,
        /// Hours until the code expires.
        #[arg(long, default_value_t = enrolment::DEFAULT_CODE_TTL_HOURS)]
        ttl_hours: i64,
    },
    /// Create the region key file named by --region-key (never overwrites) and print its
    /// fingerprint.
    RegionKeyInit,
    /// Print the signed roster log: every version, its devices and what changed.
    RosterLog,
    /// Revoke a device: its next contact tells it to wipe.
    Revoke {
        /// The device id.
        device: DeviceId,
    },
    /// Import the contacts directory (JSON file) as the next version.
    ImportDirectory {
        /// The directory file.
        file: PathBuf,
    },
    /// List shares not acknowledged and referrals without decision past their due time.
    Overdue,
}

fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Store(#[from] safeshare_server::storage::StoreError),
    #[error(transparent)]
    Admin(#[from] admin::AdminError),
    #[error(transparent)]
    Issue(#[from] enrolment::IssueError),
    #[error(transparent)]
    Demo(#[from] demo::DemoError),
    #[error(transparent)]
    Serve(#[from] safeshare_server::serve::ServeError),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no device {0}")]
    NoDevice(DeviceId),
    #[error(transparent)]
    RegionKey(#[from] safeshare_server::roster::RegionKeyError),
    #[error("this command needs --region-key (or SAFESHARE_REGION_KEY)")]
    NoRegionKey,
}

/// The region key named on the command line, if any; with `--demo` and none named, a demo key
/// kept beside the demo database (made on first use).
fn region_key(
    path: Option<&std::path::Path>,
    demo_dir: Option<&std::path::Path>,
) -> Result<Option<RegionKeyPair>, CliError> {
    match (path, demo_dir) {
        (Some(path), _) => Ok(Some(roster::load_region_key(path)?)),
        (None, Some(dir)) => {
            let path = dir.join("demo-region.key");
            if path.exists() {
                Ok(Some(roster::load_region_key(&path)?))
            } else {
                Ok(Some(roster::create_region_key(&path)?))
            }
        }
        (None, None) => Ok(None),
    }
}

async fn run<S: Store>(
    store: S,
    command: Command,
    region_path: Option<PathBuf>,
    data_dir: PathBuf,
) -> Result<(), CliError> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let now = clock.now();
    match command {
        Command::Serve {
            listen,
            tls_cert,
            tls_key,
            demo,
        } => {
            if demo {
                let demo = demo::load_demo(&store, now).await?;
                out(&format!(
                    "DEMO region loaded: {} (fictional). Enrolment code: {}\n  new practitioner {} in team {} ({}); expires {}\n",
                    demo.region,
                    demo.code.code,
                    demo.code.practitioner,
                    demo.code.teams.first().map(ToString::to_string).unwrap_or_default(),
                    demo.team_name,
                    demo.code.expires_at.to_rfc3339()
                ));
            }
            let region = region_key(region_path.as_deref(), demo.then_some(data_dir.as_path()))?;
            match &region {
                Some(key) => out(&format!(
                    "region key fingerprint {}\n",
                    key.public_key().fingerprint()
                )),
                None => {
                    tracing::warn!("no --region-key: no roster is served and devices cannot seal")
                }
            }
            let shutdown = shutdown_signal();
            let state = Arc::new(AppState {
                store,
                clock,
                metrics: Metrics::default(),
                region: region.map(Arc::new),
            });
            match (tls_cert, tls_key) {
                (Some(cert), Some(key)) => {
                    tracing::info!(%listen, backend = state.store.backend(), "serving HTTPS");
                    out(&format!("listening on https://{listen}\n"));
                    serve_tls(state, listen, TlsFiles { cert, key }, shutdown).await?;
                }
                _ => {
                    let listener = tokio::net::TcpListener::bind(listen)
                        .await
                        .map_err(safeshare_server::serve::ServeError::from)?;
                    let bound = listener
                        .local_addr()
                        .map_err(safeshare_server::serve::ServeError::from)?;
                    tracing::info!(%bound, backend = state.store.backend(), "serving HTTP");
                    out(&format!("listening on http://{bound}\n"));
                    serve(state, listener, shutdown).await?;
                }
            }
            tracing::info!("stopped");
        }
        Command::IssueCode {
            teams,
            practitioner,
            ttl_hours,
        } => {
            let code =
                enrolment::issue(&store, practitioner, teams, Duration::hours(ttl_hours), now)
                    .await?;
            let teams: Vec<String> = code.teams.iter().map(ToString::to_string).collect();
            out(&format!(
                "{}\npractitioner {} teams [{}] expires {}\n",
                code.code,
                code.practitioner,
                teams.join(", "),
                code.expires_at.to_rfc3339()
            ));
            if let Some(key) = region_key(region_path.as_deref(), None)? {
                out(&format!(
                    "region key fingerprint {} (the phone shows the same after enrolling)\n",
                    key.public_key().fingerprint()
                ));
            }
        }
        Command::RegionKeyInit => {
            let path = region_path.ok_or(CliError::NoRegionKey)?;
            let key = roster::create_region_key(&path)?;
            out(&format!(
                "region key written to {} (mode 0600)\nfingerprint {}\n",
                path.display(),
                key.public_key().fingerprint()
            ));
        }
        Command::RosterLog => {
            if let Some(key) = region_key(region_path.as_deref(), None)? {
                roster::refresh(&store, &key, now).await?;
            }
            out(&roster::render_log(&store.rosters_after(0).await?));
        }
        Command::Revoke { device } => {
            if !store.revoke_device(device, now).await? {
                return Err(CliError::NoDevice(device));
            }
            out(&format!(
                "device {device} revoked: it will be told to wipe at its next contact\n"
            ));
        }
        Command::ImportDirectory { file } => {
            let text = std::fs::read_to_string(&file).map_err(|source| CliError::Read {
                path: file.clone(),
                source,
            })?;
            let version = admin::import_directory(&store, &text, now).await?;
            out(&format!("directory version {} imported\n", version.version));
        }
        Command::Overdue => {
            let items = store.overdue(now).await?;
            out(&admin::render_overdue(&items, now));
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    let result = match cli.db.as_deref() {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            match PgStore::connect(url).await {
                Ok(store) => run(store, cli.command, cli.region_key, cli.data_dir).await,
                Err(e) => Err(e.into()),
            }
        }
        Some(_) => {
            tracing::error!("--db must be a postgres:// URL (omit it for embedded SQLite)");
            return ExitCode::from(2);
        }
        None => match SqliteStore::open_dir(&cli.data_dir) {
            Ok(store) => run(store, cli.command, cli.region_key, cli.data_dir.clone()).await,
            Err(e) => Err(e.into()),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %err, "failed");
            let _ = writeln!(std::io::stderr(), "error: {err}");
            ExitCode::FAILURE
        }
    }
}

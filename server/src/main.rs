//! `safeshare-server`: the regional sync server and its admin commands.
//!
//! `safeshare-server serve` runs on 127.0.0.1:8080 with SQLite in `./safeshare-data/` unless
//! told otherwise (`--db postgres://…` or `DATABASE_URL`, `--listen`, `--tls-cert/--tls-key`).
//! The admin subcommands open the same database. Results go to stdout; logs to stderr.
//!
//! Only `serve`, `init` and `import-directory` (the first step of setting up a region) may
//! create the embedded database; every other admin command refuses a data directory with no
//! database, so a mistyped `--data-dir` is never answered "Nothing overdue" from an empty one.
//! Each error is printed once, on stderr, without colour codes unless stderr is a terminal.

use chrono::Duration;
use clap::{Parser, Subcommand};
use safeshare_core::clock::{Clock, SystemClock};
use safeshare_core::model::{DeviceId, PractitionerId, TeamId};
use safeshare_core::sync::RegionKeyPair;
use safeshare_server::console::auth::Role;
use safeshare_server::console::store::ConsoleStore;
use safeshare_server::console::{self, ConsoleConfig, ConsoleState};
use safeshare_server::http::router_with_console;
use safeshare_server::http::AppState;
use safeshare_server::metrics::Metrics;
use safeshare_server::serve::{
    serve_app, serve_tls_app, shutdown_signal, ConnectionLimits, TlsFiles,
};
use safeshare_server::storage::postgres::PgStore;
use safeshare_server::storage::sqlite::SqliteStore;
use safeshare_server::storage::{CodeOrigin, CodeRevocation, UnknownDevice};
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
    /// Directory of the embedded SQLite database (`serve`, `init` and `import-directory`
    /// create it; other commands refuse a directory without one).
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
        /// Load the fictional demo region and print an enrolment code and a console sign-in link.
        #[arg(long)]
        demo: bool,
        /// Seconds a client has to send a request's headers (also the most a kept-alive
        /// connection may sit idle).
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
        header_read_timeout_secs: u64,
        /// Seconds before an unanswered request is abandoned with 408.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
        request_timeout_secs: u64,
        /// Most connections open at once; more are closed on arrival.
        #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u64).range(1..=100_000))]
        max_connections: u64,
        /// One request per connection (no keep-alive).
        #[arg(long)]
        no_keep_alive: bool,
        /// Also serve HTTP/2 without TLS (prior knowledge), e.g. behind a proxy that speaks it.
        #[arg(long)]
        http2_cleartext: bool,
        /// Enrolment attempts one client address may make at once before 429.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=10_000))]
        enrol_burst: u32,
        /// Enrolment attempts per minute one client address regains after its burst.
        #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=10_000))]
        enrol_per_minute: u32,
        /// The console's public base URL for printed links (default: from --listen).
        #[arg(long)]
        public_url: Option<String>,
        #[command(flatten)]
        oidc: OidcArgs,
    },
    /// Print a one-time console sign-in link (works once, for 10 minutes).
    ConsoleLink {
        /// Role the session gets: assurance, directory_editor, device_admin (repeat for several).
        #[arg(long = "role", required = true)]
        roles: Vec<Role>,
        /// The console's public base URL.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        public_url: String,
    },
    /// Issue a one-time enrolment code for a practitioner of one or more teams.
    IssueCode {
        /// Team the practitioner belongs to (repeat for several).
        #[arg(long = "team", required = true)]
        teams: Vec<TeamId>,
        /// Existing practitioner id (another device for the same person); new if absent.
        #[arg(long)]
        practitioner: Option<PractitionerId>,
        /// Hours until the code expires (1 to 720).
        #[arg(long, default_value_t = enrolment::DEFAULT_CODE_TTL_HOURS, allow_negative_numbers = true)]
        ttl_hours: i64,
    },
    /// List enrolment codes (id, status, practitioner, teams, expiry), newest first.
    ListCodes,
    /// Revoke an unused enrolment code by the id `issue-code` or `list-codes` printed.
    RevokeCode {
        /// The code id (not the code itself).
        code_id: String,
    },
    /// List the region's teams (ids and names), for `issue-code --team`.
    ListTeams,
    /// Show the latest admin actions (codes issued or revoked, devices revoked or retired,
    /// imports).
    Audit {
        /// How many rows, newest first.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Create an empty database in --data-dir (or migrate the one at --db).
    Init,
    /// Create the region key file named by --region-key (never overwrites) and print its
    /// fingerprint.
    RegionKeyInit,
    /// Print the signed roster log: every version, its devices and what changed.
    RosterLog,
    /// Revoke a device that is lost or stolen: its next contact tells it to wipe at once,
    /// whatever it has not yet sent.
    Revoke {
        /// The device id.
        device: DeviceId,
    },
    /// Retire a device that was handed back: it may still push what it holds, then is told to
    /// wipe; it receives nothing new.
    Retire {
        /// The device id.
        device: DeviceId,
    },
    /// Import the contacts directory as the next version. The file is JSON Lines (one JSON
    /// object a line, docs/directory-format.md); its header's "version" must be higher than
    /// the stored one.
    ImportDirectory {
        /// The directory file (JSON Lines).
        file: PathBuf,
    },
    /// List shares not acknowledged and referrals without decision past their due time.
    Overdue,
}

/// OpenID Connect sign-in for the console (all four of issuer, client id, secret and redirect,
/// or none).
#[derive(clap::Args, Debug)]
struct OidcArgs {
    /// Issuer URL of the Trust's OpenID Connect provider (NHS CIS2, Entra ID, ...).
    #[arg(long, requires_all = ["oidc_client_id", "oidc_client_secret", "oidc_redirect"])]
    oidc_issuer: Option<String>,
    /// The console's client id at the provider.
    #[arg(long)]
    oidc_client_id: Option<String>,
    /// The console's client secret at the provider.
    #[arg(long, env = "SAFESHARE_OIDC_CLIENT_SECRET", hide_env_values = true)]
    oidc_client_secret: Option<String>,
    /// The public URL of /console/oidc/callback registered at the provider.
    #[arg(long)]
    oidc_redirect: Option<String>,
    /// The ID-token claim holding console role names.
    #[arg(long, default_value = "roles")]
    oidc_role_claim: String,
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
    #[error("device {0} was revoked at {1}: it wipes at its next contact without sending what it holds, and retiring cannot change that")]
    AlreadyRevoked(DeviceId, String),
    #[error(transparent)]
    ConsoleAuth(#[from] console::auth::AuthError),
    #[error(transparent)]
    Oidc(#[from] console::oidc::OidcError),
    #[error("no SafeShare database in {0} (safeshare.db not found): pass the --data-dir the server uses, or create one with `safeshare-server --data-dir {0} init`")]
    NoDatabase(String),
    #[error("no enrolment code has id {0} (see list-codes)")]
    NoCode(String),
    #[error("code {0} was already used: revoke the device it enrolled instead (revoke DEVICE_ID)")]
    CodeUsed(String),
    #[error(transparent)]
    RegionKey(#[from] safeshare_server::roster::RegionKeyError),
    #[error("this command needs --region-key (or SAFESHARE_REGION_KEY)")]
    NoRegionKey,
}

async fn console_link<S: ConsoleStore>(
    store: &S,
    roles: &[Role],
    public_url: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String, CliError> {
    let roles = roles.iter().copied().collect();
    let token = console::auth::issue_link(store, &roles, now).await?;
    // Named as the session it opens will be (handlers: `link:` and 12 hex of the hash), so the
    // audit ties who made a link to what was done with it.
    let hash = console::auth::token_hash(&token);
    let named = format!(
        "link:{} {}",
        hash.get(..12).unwrap_or_default(),
        console::auth::roles_to_string(&roles)
    );
    store
        .append_admin_audit(
            safeshare_server::storage::AdminAction::ConsoleLinkIssued,
            named,
            "cli".to_owned(),
            now,
        )
        .await?;
    Ok(format!(
        "{}/console/link/{token}",
        public_url.trim_end_matches('/')
    ))
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

/// `region-key-init`: needs no database (main runs it before opening one).
fn region_key_init(region_path: Option<PathBuf>) -> Result<(), CliError> {
    let path = region_path.ok_or(CliError::NoRegionKey)?;
    let key = roster::create_region_key(&path)?;
    out(&format!(
        "region key written to {} (mode 0600)\nfingerprint {}\n",
        path.display(),
        key.public_key().fingerprint()
    ));
    Ok(())
}

async fn run<S: ConsoleStore>(
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
            public_url,
            oidc,
            header_read_timeout_secs,
            request_timeout_secs,
            max_connections,
            no_keep_alive,
            http2_cleartext,
            enrol_burst,
            enrol_per_minute,
        } => {
            let limits = ConnectionLimits {
                header_read_timeout: std::time::Duration::from_secs(header_read_timeout_secs),
                keep_alive: !no_keep_alive,
                request_timeout: std::time::Duration::from_secs(request_timeout_secs),
                max_connections: usize::try_from(max_connections).unwrap_or(usize::MAX),
                http2_cleartext,
                enrol_burst,
                enrol_per_minute,
            };
            // Bound before anything is written: a second `serve --demo` on a busy port must not
            // revoke the running server's demo code or make a sign-in link, then fail.
            let tls = tls_cert.zip(tls_key);
            let listener =
                match tls {
                    Some(_) => None,
                    None => Some(tokio::net::TcpListener::bind(listen).await.map_err(
                        |source| safeshare_server::serve::ServeError::Bind {
                            addr: listen,
                            source,
                        },
                    )?),
                };
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
            let oidc = match (
                oidc.oidc_issuer,
                oidc.oidc_client_id,
                oidc.oidc_client_secret,
                oidc.oidc_redirect,
            ) {
                (Some(issuer), Some(client_id), Some(client_secret), Some(redirect)) => Some(
                    console::oidc::Oidc::discover(console::oidc::OidcSettings {
                        issuer,
                        client_id,
                        client_secret,
                        redirect,
                        role_claim: oidc.oidc_role_claim,
                    })
                    .await?,
                ),
                _ => None,
            };
            let bound = match &listener {
                Some(l) => l
                    .local_addr()
                    .map_err(safeshare_server::serve::ServeError::from)?,
                None => listen,
            };
            let scheme = if tls.is_some() { "https" } else { "http" };
            let public_url = public_url.unwrap_or_else(|| format!("{scheme}://{bound}"));
            let console_state = Arc::new(ConsoleState::new(
                Arc::clone(&state),
                ConsoleConfig {
                    public_url: public_url.clone(),
                    // Secure also behind a proxy that terminates TLS for an https public URL.
                    secure_cookies: tls.is_some() || public_url.starts_with("https://"),
                },
                oidc,
            )?);
            let app = router_with_console(Arc::clone(&state), console_state, &limits);
            if demo {
                let link = console_link(&state.store, &Role::ALL, &public_url, now).await?;
                out(&format!(
                    "Console: open {link}\n  (one-time sign-in link with every console role; works once, for 10 minutes)\n"
                ));
            }
            match (tls, listener) {
                (Some((cert, key)), _) => {
                    tracing::info!(%listen, backend = state.store.backend(), "serving HTTPS");
                    out(&format!("listening on https://{listen}\n"));
                    serve_tls_app(state, app, listen, TlsFiles { cert, key }, limits, shutdown)
                        .await?;
                }
                (None, Some(listener)) => {
                    tracing::info!(%bound, backend = state.store.backend(), "serving HTTP");
                    out(&format!("listening on http://{bound}\n"));
                    serve_app(state, app, listener, limits, shutdown).await?;
                }
                (None, None) => {}
            }
            tracing::info!("stopped");
        }
        Command::IssueCode {
            teams,
            practitioner,
            ttl_hours,
        } => {
            let ttl: Duration = enrolment::ttl_from_hours(ttl_hours)?;
            let code = admin::issue_code(
                &store,
                practitioner,
                teams,
                ttl,
                now,
                CodeOrigin::Admin,
                admin::CLI_ACTOR,
            )
            .await?;
            let teams: Vec<String> = code.teams.iter().map(ToString::to_string).collect();
            out(&format!(
                "{}\ncode id {} practitioner {} teams [{}] expires {}\n",
                code.code,
                code.code_id,
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
        Command::RegionKeyInit => region_key_init(region_path)?,
        Command::RosterLog => {
            if let Some(key) = region_key(region_path.as_deref(), None)? {
                roster::refresh(&store, &key, now).await?;
            }
            out(&roster::render_log(&store.rosters_after(0).await?));
        }
        Command::ListCodes => {
            out(&admin::render_codes(&store.list_codes().await?, now));
        }
        Command::RevokeCode { code_id } => {
            match admin::revoke_code(&store, &code_id, now, admin::CLI_ACTOR).await? {
                CodeRevocation::Revoked => out(&format!(
                    "code {code_id} revoked: it can no longer enrol a device\n"
                )),
                CodeRevocation::AlreadyRevoked => {
                    out(&format!("code {code_id} was already revoked\n"))
                }
                CodeRevocation::Unknown => return Err(CliError::NoCode(code_id)),
                CodeRevocation::AlreadyUsed => return Err(CliError::CodeUsed(code_id)),
            }
        }
        Command::ListTeams => {
            out(&admin::render_teams(&store.list_teams().await?));
        }
        Command::Audit { limit } => {
            let rows = store.list_admin_audit(limit).await?;
            if rows.is_empty() {
                out("No admin actions recorded.\n");
            }
            for row in rows {
                out(&format!(
                    "{} {} {} by {}\n",
                    row.at.to_rfc3339(),
                    row.action,
                    row.target,
                    row.actor
                ));
            }
        }
        Command::Init => {
            out(&format!("database ready ({})\n", store.backend()));
        }
        Command::Revoke { device } => {
            if let Err(UnknownDevice(device)) =
                admin::revoke_device(&store, device, now, admin::CLI_ACTOR).await?
            {
                return Err(CliError::NoDevice(device));
            }
            out(&format!(
                "device {device} revoked: it will be told to wipe at its next contact\n"
            ));
        }
        Command::Retire { device } => {
            // Revocation stands over retirement (the store leaves a revoked device as it is):
            // saying "it may still send what it holds" would tell the operator the opposite of
            // what the phone will do, so a revoked device is refused here, unaudited.
            if let Ok(record) = store.device(device).await? {
                if let Some(revoked_at) = record.revoked_at {
                    return Err(CliError::AlreadyRevoked(device, revoked_at.to_rfc3339()));
                }
            }
            if let Err(UnknownDevice(device)) =
                admin::retire_device(&store, device, now, admin::CLI_ACTOR).await?
            {
                return Err(CliError::NoDevice(device));
            }
            out(&format!(
                "device {device} retired: it may still send what it holds, then is told to wipe \
                 once nothing is left; it receives nothing new\n"
            ));
        }
        Command::ImportDirectory { file } => {
            let text = std::fs::read_to_string(&file).map_err(|source| CliError::Read {
                path: file.clone(),
                source,
            })?;
            let version = admin::import_directory_as(&store, &text, now, admin::CLI_ACTOR).await?;
            out(&format!("directory version {} imported\n", version.version));
        }
        Command::ConsoleLink { roles, public_url } => {
            let link = console_link(&store, &roles, &public_url, now).await?;
            out(&format!(
                "{link}\nworks once, until {} (10 minutes)\n",
                (now + console::auth::LINK_TTL).to_rfc3339()
            ));
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
    use std::io::IsTerminal as _;
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    // A refused directory file must not leave an empty database behind: read it first.
    if let Command::ImportDirectory { file } = &cli.command {
        let checked = std::fs::read_to_string(file)
            .map_err(|source| CliError::Read {
                path: file.clone(),
                source,
            })
            .and_then(|text| {
                safeshare_core::directory::parse(&text)
                    .map(|_| ())
                    .map_err(|e| CliError::Admin(admin::AdminError::from(e)))
            });
        if let Err(err) = checked {
            let _ = writeln!(std::io::stderr(), "error: {err}");
            return ExitCode::FAILURE;
        }
    }
    let result = match cli.db.as_deref() {
        _ if matches!(cli.command, Command::RegionKeyInit) => region_key_init(cli.region_key),
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
        None => {
            let creates = matches!(
                cli.command,
                Command::Serve { .. } | Command::Init | Command::ImportDirectory { .. }
            );
            if !creates && !cli.data_dir.join("safeshare.db").is_file() {
                Err(CliError::NoDatabase(cli.data_dir.display().to_string()))
            } else {
                match SqliteStore::open_dir(&cli.data_dir) {
                    Ok(store) => {
                        run(store, cli.command, cli.region_key, cli.data_dir.clone()).await
                    }
                    Err(e) => Err(e.into()),
                }
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // Once, on stderr: the log line and the message would otherwise say it twice.
            let _ = writeln!(std::io::stderr(), "error: {err}");
            ExitCode::FAILURE
        }
    }
}

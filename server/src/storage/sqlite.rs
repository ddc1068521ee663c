//! SQLite storage: the embedded default, zero set-up (`./safeshare-data/safeshare.db`).
//!
//! One writer thread owns the only write connection, so writes are serialised in the order
//! they arrive and sequence numbers are committed in order; a few reader connections serve
//! pulls and look-ups concurrently (WAL lets readers run beside the writer). Async callers
//! hand closures to the writer over a channel, and run reads with `spawn_blocking`, so no
//! blocking SQLite call runs on a tokio worker.
//!
//! Durability: WAL with `synchronous=FULL`. With `NORMAL` a WAL commit is safe against a
//! process crash but the last commits can be lost on power failure — after the server has
//! answered "accepted" and the device has cleared its outbox, which would silently lose a
//! safeguarding share. `FULL` syncs the WAL on every commit (about 0.14 ms here), one commit
//! per push request, which the load benchmark shows is affordable.
//!
//! Remembered nonces are the one write committed with `synchronous=NORMAL` (toggled on the
//! writer connection, which nothing else uses): they guard against replay within a 10-minute
//! window, the WAL still orders them before every later commit, and the next push's `FULL`
//! commit syncs them too. A power cut could forget the last few, re-opening replay of those
//! requests for minutes — harmless for a push (idempotent by id) and no gain to anyone who
//! could capture the request in the first place — while saving an fsync on every request.

use super::{
    encryption_key_text, from_ms, group_overdue, parse_encryption_key, parse_id, AdminAction,
    AuditEntry, CodeOrigin, CodeRecord, CodeRevocation, CodeRow, CorruptRow, DeviceRecord, DueRow,
    EnrolmentRefusal, HeaderColumns, KeyRegistration, NewEnrolmentCode, NewEnvelope,
    StaleDirectory, StoreError, StoredEnvelope, StoredOutcome, TeamRecord, UnknownDevice,
    UnknownPosition, CLOSED_BY_ENTITLED_ANSWER,
};
use crate::storage::{to_ms, OverdueItem, Store};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Transaction};
use safeshare_core::crypto::envelope_seal::EncryptionPublicKey;
use safeshare_core::model::{DeviceId, PractitionerId, TeamId};
use safeshare_core::sync::{
    DevicePublicKey, DirectoryVersion, EnvelopeKind, RosterDevice, SignedRoster,
};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;
use tokio::sync::oneshot;
use ulid::Ulid;

/// Migrations by number; never edit an old one, add the next. Applied and recorded by number
/// (`schema_migrations`), so a gap is fine and may be filled later ([`super::pending_migrations`]).
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/sqlite/0001_init.sql")),
    (
        2,
        include_str!("migrations/sqlite/0002_admin_and_ownership.sql"),
    ),
    (3, include_str!("migrations/sqlite/0003_rosters.sql")),
    (4, include_str!("migrations/sqlite/0004_console.sql")),
    (
        5,
        include_str!("migrations/sqlite/0005_retired_devices.sql"),
    ),
    (
        6,
        include_str!("migrations/sqlite/0006_unique_encryption_keys.sql"),
    ),
];

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// How many reader connections serve pulls and look-ups.
const READERS: usize = 4;

/// The SQLite store.
pub struct SqliteStore {
    writer: mpsc::Sender<Job>,
    readers: Arc<Vec<Mutex<Connection>>>,
    path: PathBuf,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

/// Sets `path`'s permission bits to `mode` (Unix; elsewhere the platform's ACLs apply).
fn restrict(path: &Path, mode: u32) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Creates the database file with mode 0600 if missing (so it is never world-readable, even
/// for an instant), and tightens an existing one.
fn create_private(path: &Path) -> Result<(), StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    drop(options.open(path)?);
    restrict(path, 0o600)
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    migrate_list(conn, MIGRATIONS)
}

/// [`migrate`] with the list given (tests pass lists with gaps filled later).
fn migrate_list(conn: &mut Connection, list: &[(i64, &str)]) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    tx.execute_batch("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)")?;
    let recorded: i64 = tx.query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))?;
    // A database from before numbered migrations kept only `user_version` = how many of the
    // list had run, in order (then 0001 and 0002): record those numbers once.
    let legacy: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if recorded == 0 && legacy > 0 {
        if legacy > list.len() as i64 {
            return Err(StoreError::SchemaTooNew {
                found: legacy,
                supported: list.len() as i64,
            });
        }
        for (number, _) in list.iter().take(legacy as usize) {
            tx.execute(
                "INSERT INTO schema_migrations (version) VALUES (?1)",
                [number],
            )?;
        }
    }
    tx.commit()?;
    let applied = {
        let mut stmt = conn.prepare("SELECT version FROM schema_migrations")?;
        let rows = stmt.query_map([], |r| r.get::<_, i64>(0))?;
        rows.collect::<Result<HashSet<i64>, _>>()?
    };
    let mut count = applied.len() as i64;
    for (number, sql) in super::pending_migrations(list, &applied)? {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version) VALUES (?1)",
            [number],
        )?;
        count += 1;
        // Kept as the count applied, so an older server (which read it as "the first N")
        // still refuses a database with more migrations than it knows.
        tx.pragma_update(None, "user_version", count)?;
        tx.commit()?;
    }
    Ok(())
}

impl SqliteStore {
    /// Opens (creating if missing) `safeshare.db` inside `dir`, migrating it to the latest
    /// schema, and starts the writer thread.
    ///
    /// The directory is made (or tightened to) mode 0700 and the database with its WAL and
    /// shared-memory files 0600: they hold envelope metadata and device keys, and nobody but
    /// the server's own user has reason to read them.
    pub fn open_dir(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir)?;
        restrict(dir, 0o700)?;
        Self::open(&dir.join("safeshare.db"))
    }

    /// Opens (creating if missing, mode 0600) the database file at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        create_private(path)?;
        let mut writer_conn = Connection::open(path)?;
        configure(&writer_conn)?;
        migrate(&mut writer_conn)?;
        // SQLite gives the -wal and -shm files the database file's mode; check anyway, since
        // they may predate this build.
        for suffix in ["-wal", "-shm"] {
            let mut side = path.as_os_str().to_owned();
            side.push(suffix);
            let side = PathBuf::from(side);
            if side.exists() {
                restrict(&side, 0o600)?;
            }
        }
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.busy_timeout(Duration::from_secs(5))?;
            readers.push(Mutex::new(conn));
        }
        let (tx, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                let mut conn = writer_conn;
                // Ends when every sender is dropped: jobs already queued still run, so an
                // accepted batch is never abandoned half-way.
                while let Ok(job) = rx.recv() {
                    job(&mut conn);
                }
            })?;
        Ok(Self {
            writer: tx,
            readers: Arc::new(readers),
            path: path.to_owned(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let _ = tx.send(f(conn));
        });
        self.writer.send(job).map_err(|_| StoreError::WorkerGone)?;
        rx.await.map_err(|_| StoreError::WorkerGone)?
    }

    pub(crate) async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let readers = Arc::clone(&self.readers);
        tokio::task::spawn_blocking(move || {
            // Take the first idle reader; if all are busy, wait on one chosen by thread.
            for reader in readers.iter() {
                if let Ok(conn) = reader.try_lock() {
                    return f(&conn);
                }
            }
            let conn = readers[0]
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&conn)
        })
        .await
        .map_err(|_| StoreError::WorkerGone)?
    }
}

fn teams_of(conn: &Connection, practitioner: &str) -> Result<Vec<TeamId>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT team_id FROM practitioner_teams WHERE practitioner_id = ?1 ORDER BY team_id",
    )?;
    let rows = stmt.query_map([practitioner], |r| r.get::<_, String>(0))?;
    let mut teams = Vec::new();
    for row in rows {
        teams.push(parse_id(&row?, "team")?);
    }
    Ok(teams)
}

fn load_device(conn: &Connection, device: &str) -> Result<Option<DeviceRecord>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT practitioner_id, public_key, revoked_at_ms, retired_at_ms FROM devices \
             WHERE device_id = ?1",
        )?
        .query_row([device], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })
        .optional()?;
    let Some((practitioner, key, revoked, retired)) = row else {
        return Ok(None);
    };
    Ok(Some(DeviceRecord {
        id: parse_id(device, "device")?,
        practitioner: parse_id(&practitioner, "practitioner")?,
        teams: teams_of(conn, &practitioner)?,
        public_key: DevicePublicKey::from_base64(&key)
            .map_err(|_| StoreError::Corrupt(CorruptRow::DevicePublicKey))?,
        revoked_at: revoked.map(from_ms).transpose()?,
        retired_at: retired.map(from_ms).transpose()?,
    }))
}

fn placeholders(n: usize, start: usize) -> String {
    (0..n)
        .map(|i| format!("?{}", start + i))
        .collect::<Vec<_>>()
        .join(",")
}

fn push_in(
    tx: &Transaction<'_>,
    items: &[NewEnvelope],
    now_ms: i64,
) -> Result<Vec<StoredOutcome>, StoreError> {
    let mut outcomes = Vec::with_capacity(items.len());
    for item in items {
        let h = HeaderColumns::of(item);
        let existing = tx
            .prepare_cached("SELECT seq, content_hash, author FROM envelopes WHERE id = ?1")?
            .query_row([&h.id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .optional()?;
        if let Some((seq, hash, author)) = existing {
            // Another author's id: one answer whatever its content, and no sequence.
            if author != h.author {
                outcomes.push(StoredOutcome::IdUnavailable);
                continue;
            }
            let seq = u64::try_from(seq).map_err(|_| StoreError::Corrupt(CorruptRow::Seq))?;
            outcomes.push(if hash == h.hash {
                StoredOutcome::Duplicate(seq)
            } else {
                StoredOutcome::Conflict(seq)
            });
            continue;
        }
        let owner = tx
            .prepare_cached("SELECT author, kind FROM entity_owners WHERE entity_id = ?1")?
            .query_row([&h.entity_id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .optional()?;
        match owner {
            Some((author, kind)) if author != h.author || kind != h.kind => {
                outcomes.push(StoredOutcome::NotOwned);
                continue;
            }
            Some(_) => {}
            None => {
                tx.prepare_cached(
                    "INSERT INTO entity_owners (entity_id, author, kind) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![h.entity_id, h.author, h.kind])?;
            }
        }
        tx.prepare_cached(
            "INSERT INTO envelopes (id, content_hash, kind, entity_id, entity_version, author, \
             device_id, created_at_ms, severity, due_at_ms, answers, received_at_ms, json) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?
        .execute(params![
            h.id,
            h.hash,
            h.kind,
            h.entity_id,
            h.entity_version,
            h.author,
            h.device,
            h.created_at_ms,
            h.severity,
            h.due_at_ms,
            h.answers,
            now_ms,
            item.json
        ])?;
        let seq = tx.last_insert_rowid();
        let mut audience =
            tx.prepare_cached("INSERT INTO envelope_audience (team_id, seq) VALUES (?1, ?2)")?;
        for team in &h.audience {
            audience.execute(params![team, seq])?;
        }
        outcomes.push(StoredOutcome::Accepted(
            u64::try_from(seq).map_err(|_| StoreError::Corrupt(CorruptRow::Seq))?,
        ));
    }
    Ok(outcomes)
}

impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.read(|conn| {
            conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?;
            Ok(())
        })
        .await
    }

    async fn import_directory(
        &self,
        version: u64,
        document: serde_json::Value,
        teams: Vec<TeamRecord>,
        now: DateTime<Utc>,
    ) -> Result<Result<DirectoryVersion, StaleDirectory>, StoreError> {
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let latest: Option<i64> =
                tx.query_row("SELECT MAX(version) FROM directory_versions", [], |r| {
                    r.get(0)
                })?;
            // The single writer thread makes this read and the insert below one step.
            if let Err(stale) = crate::rules::publishable(version, latest.unwrap_or(0) as u64) {
                return Ok(Err(stale));
            }
            let version = i64::try_from(version)
                .map_err(|_| StoreError::Corrupt(CorruptRow::DirectoryVersion))?;
            tx.execute(
                "INSERT INTO directory_versions (version, imported_at_ms, document) \
                 VALUES (?1, ?2, ?3)",
                params![version, to_ms(now), document.to_string()],
            )?;
            for team in &teams {
                tx.execute(
                    "INSERT INTO teams (team_id, name, directory_version) VALUES (?1, ?2, ?3) \
                     ON CONFLICT (team_id) DO UPDATE SET name = excluded.name, \
                     directory_version = excluded.directory_version",
                    params![team.id.to_string(), team.name, version],
                )?;
            }
            tx.commit()?;
            Ok(Ok(DirectoryVersion {
                version: version as u64,
                imported_at: from_ms(to_ms(now))?,
                document,
            }))
        })
        .await
    }

    async fn latest_directory(&self) -> Result<Option<DirectoryVersion>, StoreError> {
        self.read(|conn| {
            let row = conn
                .query_row(
                    "SELECT version, imported_at_ms, document FROM directory_versions \
                     ORDER BY version DESC LIMIT 1",
                    [],
                    |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, i64>(1)?,
                            r.get::<_, String>(2)?,
                        ))
                    },
                )
                .optional()?;
            row.map(|(version, at, doc)| {
                Ok(DirectoryVersion {
                    version: version as u64,
                    imported_at: from_ms(at)?,
                    document: serde_json::from_str(&doc).map_err(|e| {
                        StoreError::Corrupt(CorruptRow::DirectoryDocument(e.into()))
                    })?,
                })
            })
            .transpose()
        })
        .await
    }

    async fn known_teams(&self, teams: Vec<TeamId>) -> Result<HashSet<TeamId>, StoreError> {
        if teams.is_empty() {
            return Ok(HashSet::new());
        }
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached("SELECT 1 FROM teams WHERE team_id = ?1")?;
            let mut known = HashSet::new();
            for team in teams {
                if stmt.exists([team.to_string()])? {
                    known.insert(team);
                }
            }
            Ok(known)
        })
        .await
    }

    async fn issue_enrolment_code(&self, code: NewEnrolmentCode) -> Result<(), StoreError> {
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let teams: Vec<String> = code.teams.iter().map(ToString::to_string).collect();
            tx.execute(
                "INSERT INTO enrolment_codes (code_hash, practitioner_id, teams, issued_at_ms, \
                 expires_at_ms, code_id, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    code.code_hash,
                    code.practitioner.to_string(),
                    teams.join(","),
                    to_ms(code.issued_at),
                    to_ms(code.expires_at),
                    code.code_id.to_string(),
                    code.origin.as_str()
                ],
            )?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn redeem_enrolment_code(
        &self,
        code_hash: String,
        device: DeviceId,
        public_key: DevicePublicKey,
        now: DateTime<Utc>,
    ) -> Result<Result<DeviceRecord, EnrolmentRefusal>, StoreError> {
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let row = tx
                .query_row(
                    "SELECT practitioner_id, teams, expires_at_ms, used_at_ms, revoked_at_ms \
                     FROM enrolment_codes WHERE code_hash = ?1",
                    [&code_hash],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, i64>(2)?,
                            r.get::<_, Option<i64>>(3)?,
                            r.get::<_, Option<i64>>(4)?,
                        ))
                    },
                )
                .optional()?;
            // Read and written by the single writer thread: no other redemption can come
            // between the rule's answer and the update.
            let state = row
                .as_ref()
                .map(|(_, _, expires_at_ms, used_at_ms, revoked_at_ms)| {
                    Ok::<_, StoreError>(crate::rules::CodeState {
                        expires_at: from_ms(*expires_at_ms)?,
                        used: used_at_ms.is_some(),
                        revoked: revoked_at_ms.is_some(),
                    })
                })
                .transpose()?;
            if let Err(refusal) = crate::rules::redeemable(state, now) {
                return Ok(Err(refusal));
            }
            let Some((practitioner, teams, ..)) = row else {
                return Ok(Err(EnrolmentRefusal::Unknown));
            };
            let now_ms = to_ms(now);
            tx.execute(
                "UPDATE enrolment_codes SET used_at_ms = ?1, device_id = ?2 WHERE code_hash = ?3",
                params![now_ms, device.to_string(), code_hash],
            )?;
            tx.execute(
                "INSERT INTO devices (device_id, practitioner_id, public_key, enrolled_at_ms) \
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    device.to_string(),
                    practitioner,
                    public_key.to_base64(),
                    now_ms
                ],
            )?;
            for team in teams.split(',').filter(|t| !t.is_empty()) {
                tx.execute(
                    "INSERT INTO practitioner_teams (practitioner_id, team_id) VALUES (?1, ?2) \
                     ON CONFLICT DO NOTHING",
                    params![practitioner, team],
                )?;
            }
            let record = load_device(&tx, &device.to_string())?
                .ok_or_else(|| StoreError::Corrupt(CorruptRow::DeviceVanished))?;
            tx.commit()?;
            Ok(Ok(record))
        })
        .await
    }

    async fn device(
        &self,
        device: DeviceId,
    ) -> Result<Result<DeviceRecord, UnknownDevice>, StoreError> {
        self.read(move |conn| {
            Ok(load_device(conn, &device.to_string())?.ok_or(UnknownDevice(device)))
        })
        .await
    }

    async fn revoke_device(
        &self,
        device: DeviceId,
        now: DateTime<Utc>,
    ) -> Result<Result<(), UnknownDevice>, StoreError> {
        self.write(move |conn| {
            let id = device.to_string();
            let exists = conn
                .prepare_cached("SELECT 1 FROM devices WHERE device_id = ?1")?
                .exists([&id])?;
            conn.execute(
                "UPDATE devices SET revoked_at_ms = ?1 WHERE device_id = ?2 \
                 AND revoked_at_ms IS NULL",
                params![to_ms(now), id],
            )?;
            Ok(UnknownDevice::unless_found(exists, device))
        })
        .await
    }

    async fn retire_device(
        &self,
        device: DeviceId,
        now: DateTime<Utc>,
    ) -> Result<Result<(), UnknownDevice>, StoreError> {
        self.write(move |conn| {
            let id = device.to_string();
            let exists = conn
                .prepare_cached("SELECT 1 FROM devices WHERE device_id = ?1")?
                .exists([&id])?;
            conn.execute(
                "UPDATE devices SET retired_at_ms = ?1 WHERE device_id = ?2 \
                 AND retired_at_ms IS NULL AND revoked_at_ms IS NULL",
                params![to_ms(now), id],
            )?;
            Ok(UnknownDevice::unless_found(exists, device))
        })
        .await
    }

    async fn consume_nonce(
        &self,
        device: DeviceId,
        nonce: String,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.write(move |conn| {
            // Nonces need no fsync of their own (see module docs): the next push's FULL
            // commit makes them durable along with it.
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            let inserted = conn
                .prepare_cached(
                    "INSERT INTO nonces (device_id, nonce, seen_at_ms) VALUES (?1, ?2, ?3) \
                     ON CONFLICT DO NOTHING",
                )
                .and_then(|mut stmt| stmt.execute(params![device.to_string(), nonce, to_ms(now)]));
            conn.pragma_update(None, "synchronous", "FULL")?;
            Ok(inserted? == 1)
        })
        .await
    }

    async fn prune_nonces(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        self.write(move |conn| {
            let n = conn.execute("DELETE FROM nonces WHERE seen_at_ms < ?1", [to_ms(before)])?;
            Ok(n as u64)
        })
        .await
    }

    async fn visible_entity_kind(
        &self,
        entity: Ulid,
        teams: Vec<TeamId>,
        practitioner: PractitionerId,
    ) -> Result<Option<EnvelopeKind>, StoreError> {
        self.read(move |conn| {
            let sql = format!(
                "SELECT e.kind FROM envelopes e WHERE e.entity_id = ?1 AND (e.author = ?2 OR EXISTS \
                 (SELECT 1 FROM envelope_audience a WHERE a.seq = e.seq AND a.team_id IN ({}))) \
                 LIMIT 1",
                placeholders(teams.len().max(1), 3)
            );
            let mut values: Vec<String> = vec![entity.to_string(), practitioner.to_string()];
            if teams.is_empty() {
                values.push(String::new());
            }
            values.extend(teams.iter().map(ToString::to_string));
            let kind: Option<String> = conn
                .prepare_cached(&sql)?
                .query_row(rusqlite::params_from_iter(values.iter()), |r| r.get(0))
                .optional()?;
            kind.map(|k| super::kind_from_stored(&k)).transpose()
        })
        .await
    }

    async fn push(
        &self,
        items: Vec<NewEnvelope>,
        now: DateTime<Utc>,
    ) -> Result<Vec<StoredOutcome>, StoreError> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let outcomes = push_in(&tx, &items, to_ms(now))?;
            tx.commit()?;
            Ok(outcomes)
        })
        .await
    }

    async fn pull(
        &self,
        teams: Vec<TeamId>,
        practitioner: PractitionerId,
        after: u64,
        limit: u32,
    ) -> Result<Vec<StoredEnvelope>, StoreError> {
        self.read(move |conn| {
            let after = i64::try_from(after).unwrap_or(i64::MAX);
            let sql = format!(
                "SELECT seq, json FROM envelopes WHERE seq > ?1 AND (author = ?2 OR seq IN \
                 (SELECT seq FROM envelope_audience WHERE seq > ?1 AND team_id IN ({})) \
                 OR answers IN (SELECT entity_id FROM envelopes WHERE author = ?2)) \
                 ORDER BY seq LIMIT ?3",
                placeholders(teams.len().max(1), 4)
            );
            let mut values: Vec<rusqlite::types::Value> = vec![
                after.into(),
                practitioner.to_string().into(),
                i64::from(limit).into(),
            ];
            if teams.is_empty() {
                values.push(String::new().into());
            }
            values.extend(teams.iter().map(|t| t.to_string().into()));
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
                Ok(StoredEnvelope {
                    seq: r.get::<_, i64>(0)? as u64,
                    json: r.get(1)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    async fn overdue(&self, now: DateTime<Utc>) -> Result<Vec<OverdueItem>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT s.seq, s.kind, s.entity_id, s.author, s.due_at_ms, s.severity \
                 FROM envelopes s \
                 WHERE s.kind IN ('share', 'referral') AND s.due_at_ms IS NOT NULL \
                 AND s.due_at_ms <= ?1 \
                 AND NOT {CLOSED_BY_ENTITLED_ANSWER} \
                 ORDER BY s.due_at_ms, s.seq"
            ))?;
            let rows = stmt
                .query_map([to_ms(now)], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        DueRow {
                            kind: r.get(1)?,
                            entity_id: r.get(2)?,
                            author: r.get(3)?,
                            due_at_ms: r.get(4)?,
                            severity: r.get(5)?,
                            audience: Vec::new(),
                        },
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            let mut audience_stmt = conn.prepare_cached(
                "SELECT team_id FROM envelope_audience WHERE seq = ?1 ORDER BY team_id",
            )?;
            let mut due = Vec::with_capacity(rows.len());
            for (seq, mut row) in rows {
                row.audience = audience_stmt
                    .query_map([seq], |r| r.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()?;
                due.push(row);
            }
            group_overdue(due)
        })
        .await
    }

    async fn envelope_count(&self) -> Result<u64, StoreError> {
        self.read(|conn| {
            let n: i64 = conn.query_row("SELECT COUNT(*) FROM envelopes", [], |r| r.get(0))?;
            Ok(n as u64)
        })
        .await
    }

    async fn holds_at(
        &self,
        seq: u64,
        id: String,
    ) -> Result<Result<(), UnknownPosition>, StoreError> {
        self.read(move |conn| {
            let stored = i64::try_from(seq).unwrap_or(i64::MAX);
            let found: Option<i64> = conn
                .prepare_cached("SELECT 1 FROM envelopes WHERE seq = ?1 AND id = ?2")?
                .query_row(rusqlite::params![stored, id], |r| r.get(0))
                .optional()?;
            Ok(match found {
                Some(_) => Ok(()),
                None => Err(UnknownPosition { seq }),
            })
        })
        .await
    }

    async fn list_teams(&self) -> Result<Vec<TeamRecord>, StoreError> {
        self.read(|conn| {
            let mut stmt =
                conn.prepare_cached("SELECT team_id, name FROM teams ORDER BY name, team_id")?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter()
                .map(|(id, name)| {
                    Ok(TeamRecord {
                        id: parse_id(&id, "team")?,
                        name,
                    })
                })
                .collect()
        })
        .await
    }

    async fn list_codes(&self) -> Result<Vec<CodeRecord>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT code_id, practitioner_id, teams, issued_at_ms, expires_at_ms, used_at_ms, \
                 revoked_at_ms, origin FROM enrolment_codes ORDER BY issued_at_ms DESC, code_id DESC",
            )?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(CodeRow {
                        code_id: r.get(0)?,
                        practitioner: r.get(1)?,
                        teams: r.get(2)?,
                        issued_at_ms: r.get(3)?,
                        expires_at_ms: r.get(4)?,
                        used_at_ms: r.get(5)?,
                        revoked_at_ms: r.get(6)?,
                        origin: r.get(7)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter().map(CodeRow::into_record).collect()
        })
        .await
    }

    async fn revoke_code(
        &self,
        code_id: String,
        now: DateTime<Utc>,
    ) -> Result<CodeRevocation, StoreError> {
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let row = tx
                .query_row(
                    "SELECT expires_at_ms, used_at_ms, revoked_at_ms FROM enrolment_codes \
                     WHERE code_id = ?1",
                    [&code_id],
                    |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, Option<i64>>(1)?,
                            r.get::<_, Option<i64>>(2)?,
                        ))
                    },
                )
                .optional()?;
            let state = row
                .map(|(expires_at_ms, used_at_ms, revoked_at_ms)| {
                    Ok::<_, StoreError>(crate::rules::CodeState {
                        expires_at: from_ms(expires_at_ms)?,
                        used: used_at_ms.is_some(),
                        revoked: revoked_at_ms.is_some(),
                    })
                })
                .transpose()?;
            // Decided on the row read by the single writer thread, so the answer still holds
            // at the update.
            let outcome = crate::rules::revocation(state);
            if outcome == CodeRevocation::Revoked {
                tx.execute(
                    "UPDATE enrolment_codes SET revoked_at_ms = ?1 WHERE code_id = ?2",
                    params![to_ms(now), code_id],
                )?;
            }
            tx.commit()?;
            Ok(outcome)
        })
        .await
    }

    async fn revoke_open_codes(
        &self,
        origin: CodeOrigin,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        self.write(move |conn| {
            let tx = conn.transaction()?;
            // Every code of this origin is read and the one rule picks the open ones, so the
            // "open" test is not restated in SQL; codes are few (one per enrolment), so the
            // scan is cheap, and the single writer thread keeps the answer true at the update.
            let candidates = {
                let mut stmt = tx.prepare_cached(
                    "SELECT code_id, expires_at_ms, used_at_ms, revoked_at_ms \
                     FROM enrolment_codes WHERE origin = ?1 ORDER BY code_id",
                )?;
                let rows = stmt
                    .query_map([origin.as_str()], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, i64>(1)?,
                            r.get::<_, Option<i64>>(2)?,
                            r.get::<_, Option<i64>>(3)?,
                        ))
                    })?
                    .collect::<Result<Vec<_>, _>>()?;
                rows
            };
            let mut ids = Vec::new();
            for (code_id, expires_at_ms, used_at_ms, revoked_at_ms) in candidates {
                let state = crate::rules::CodeState {
                    expires_at: from_ms(expires_at_ms)?,
                    used: used_at_ms.is_some(),
                    revoked: revoked_at_ms.is_some(),
                };
                if crate::rules::open_at(state, now) {
                    ids.push(code_id);
                }
            }
            {
                let mut update = tx.prepare_cached(
                    "UPDATE enrolment_codes SET revoked_at_ms = ?1 WHERE code_id = ?2",
                )?;
                for code_id in &ids {
                    update.execute(params![to_ms(now), code_id])?;
                }
            }
            tx.commit()?;
            Ok(ids)
        })
        .await
    }

    async fn append_admin_audit(
        &self,
        action: AdminAction,
        target: String,
        actor: String,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.write(move |conn| {
            conn.prepare_cached(
                "INSERT INTO admin_audit (at_ms, action, target, actor) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![to_ms(now), action.as_str(), target, actor])?;
            Ok(())
        })
        .await
    }

    async fn list_admin_audit(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, at_ms, action, target, actor FROM admin_audit ORDER BY id DESC LIMIT ?1",
            )?;
            let rows = stmt
                .query_map([i64::from(limit)], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter()
                .map(|(id, at, action, target, actor)| {
                    Ok(AuditEntry {
                        id: u64::try_from(id)
                            .map_err(|_| StoreError::Corrupt(CorruptRow::AuditId))?,
                        at: from_ms(at)?,
                        action,
                        target,
                        actor,
                    })
                })
                .collect()
        })
        .await
    }

    async fn key_registrations_since(
        &self,
        device: DeviceId,
        since: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>, StoreError> {
        let id = device.to_string();
        let since = to_ms(since);
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT registered_at_ms FROM device_encryption_keys \
                 WHERE device_id = ?1 AND registered_at_ms > ?2 ORDER BY registered_at_ms",
            )?;
            let times = stmt
                .query_map(params![id, since], |r| r.get::<_, i64>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            times.into_iter().map(from_ms).collect()
        })
        .await
    }

    async fn register_encryption_key(
        &self,
        device: DeviceId,
        public_key: EncryptionPublicKey,
        now: DateTime<Utc>,
    ) -> Result<KeyRegistration, StoreError> {
        let id = device.to_string();
        let key_id = public_key.key_id().to_string();
        let key = encryption_key_text(&public_key)?;
        self.write(move |conn| {
            let exists = conn
                .prepare_cached("SELECT 1 FROM devices WHERE device_id = ?1")?
                .query_row([&id], |_| Ok(()))
                .optional()?
                .is_some();
            if !exists {
                return Ok(KeyRegistration::NoSuchDevice);
            }
            // Any unique conflict (this device's own key again, or another device's) inserts
            // nothing; who holds the key then decides the answer.
            conn.prepare_cached(
                "INSERT INTO device_encryption_keys (device_id, key_id, public_key, \
                 registered_at_ms) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
            )?
            .execute(params![id, key_id, key, to_ms(now)])?;
            let holder: String = conn
                .prepare_cached("SELECT device_id FROM device_encryption_keys WHERE key_id = ?1")?
                .query_row([&key_id], |r| r.get(0))?;
            Ok(if holder == id {
                KeyRegistration::Registered
            } else {
                KeyRegistration::HeldByAnotherDevice
            })
        })
        .await
    }

    async fn roster_devices(&self) -> Result<Vec<RosterDevice>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT d.device_id, d.practitioner_id, d.public_key, d.enrolled_at_ms, \
                 d.revoked_at_ms, (SELECT k.public_key FROM device_encryption_keys k \
                 WHERE k.device_id = d.device_id ORDER BY k.seq DESC LIMIT 1), d.retired_at_ms \
                 FROM devices d ORDER BY d.device_id",
            )?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, Option<i64>>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, Option<i64>>(6)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            let mut out = Vec::with_capacity(rows.len());
            for (device, practitioner, signing, enrolled, revoked, encryption, retired) in rows {
                out.push(RosterDevice {
                    device_id: parse_id(&device, "device")?,
                    practitioner_id: parse_id(&practitioner, "practitioner")?,
                    teams: teams_of(conn, &practitioner)?,
                    signing_key: DevicePublicKey::from_base64(&signing)
                        .map_err(|_| StoreError::Corrupt(CorruptRow::DevicePublicKey))?,
                    encryption_key: encryption
                        .as_deref()
                        .map(parse_encryption_key)
                        .transpose()?,
                    enrolled_at: from_ms(enrolled)?,
                    revoked_at: revoked.map(from_ms).transpose()?,
                    retired_at: retired.map(from_ms).transpose()?,
                });
            }
            Ok(out)
        })
        .await
    }

    async fn rosters_after(&self, after: u64) -> Result<Vec<SignedRoster>, StoreError> {
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT body, signature FROM rosters WHERE version > ?1 ORDER BY version",
            )?;
            let rows = stmt
                .query_map([after], |r| {
                    Ok(SignedRoster {
                        body: r.get(0)?,
                        signature: r.get(1)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await
    }

    async fn latest_roster(&self) -> Result<Option<SignedRoster>, StoreError> {
        self.read(|conn| {
            Ok(conn
                .prepare_cached(
                    "SELECT body, signature FROM rosters ORDER BY version DESC LIMIT 1",
                )?
                .query_row([], |r| {
                    Ok(SignedRoster {
                        body: r.get(0)?,
                        signature: r.get(1)?,
                    })
                })
                .optional()?)
        })
        .await
    }

    async fn append_roster(
        &self,
        version: u64,
        roster: SignedRoster,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let version =
            i64::try_from(version).map_err(|_| StoreError::Corrupt(CorruptRow::RosterVersion))?;
        self.write(move |conn| {
            let inserted = conn
                .prepare_cached(
                    "INSERT INTO rosters (version, body, signature, created_at_ms) \
                     VALUES (?1, ?2, ?3, ?4) ON CONFLICT (version) DO NOTHING",
                )?
                .execute(params![version, roster.body, roster.signature, to_ms(now)])?;
            Ok(inserted == 1)
        })
        .await
    }
}

#[cfg(test)]
mod migration_tests {
    use super::*;

    const A: &str = "CREATE TABLE a (x INTEGER);";
    const B: &str = "CREATE TABLE b (x INTEGER);";
    const C: &str = "CREATE TABLE c (x INTEGER);";
    const D: &str = "CREATE TABLE d (x INTEGER);";

    fn versions(conn: &Connection) -> Vec<i64> {
        let mut stmt = conn
            .prepare("SELECT version FROM schema_migrations ORDER BY version")
            .unwrap();
        let rows = stmt.query_map([], |r| r.get(0)).unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    }

    fn has_table(conn: &Connection, name: &str) -> bool {
        conn.query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [name],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
            == 1
    }

    #[test]
    fn a_gap_is_filled_when_its_migration_arrives_later() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_list(&mut conn, &[(1, A), (2, B), (4, D)]).unwrap();
        assert_eq!(versions(&conn), vec![1, 2, 4]);
        assert!(!has_table(&conn, "c"));
        // The branch with 0003 lands after 0004 has run here.
        migrate_list(&mut conn, &[(1, A), (2, B), (3, C), (4, D)]).unwrap();
        assert_eq!(versions(&conn), vec![1, 2, 3, 4]);
        assert!(has_table(&conn, "c"));
        // Nothing runs twice.
        migrate_list(&mut conn, &[(1, A), (2, B), (3, C), (4, D)]).unwrap();
        let user_version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(user_version, 4);
    }

    #[test]
    fn a_database_from_before_numbering_keeps_its_first_migrations() {
        let mut conn = Connection::open_in_memory().unwrap();
        // What the positional runner left: 0001 and 0002 run, user_version 2, no table.
        conn.execute_batch(A).unwrap();
        conn.execute_batch(B).unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
        migrate_list(&mut conn, &[(1, A), (2, B), (4, D)]).unwrap();
        assert_eq!(versions(&conn), vec![1, 2, 4]);
        assert!(has_table(&conn, "d"));
    }

    #[test]
    fn a_migration_this_build_does_not_know_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_list(&mut conn, &[(1, A), (2, B), (4, D)]).unwrap();
        let refused = migrate_list(&mut conn, &[(1, A), (2, B)]);
        assert!(matches!(
            refused,
            Err(StoreError::SchemaTooNew {
                found: 4,
                supported: 2
            })
        ));
        let mut legacy = Connection::open_in_memory().unwrap();
        legacy.pragma_update(None, "user_version", 3).unwrap();
        assert!(matches!(
            migrate_list(&mut legacy, &[(1, A), (2, B)]),
            Err(StoreError::SchemaTooNew { found: 3, .. })
        ));
    }

    #[test]
    fn the_real_list_is_numbered_in_order_without_repeats() {
        let numbers: Vec<i64> = MIGRATIONS.iter().map(|(n, _)| *n).collect();
        assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
    }
}

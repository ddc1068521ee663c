//! PostgreSQL storage: the production backend (tokio-postgres over a deadpool pool).
//!
//! Same schema and behaviour as SQLite (the conformance suite proves it). Two differences
//! matter:
//! - Sequence order: a PostgreSQL sequence hands out numbers at `nextval`, not at commit, so two
//!   concurrent pushes could commit 11 before 10 and a device that already pulled 11 would never
//!   see 10. Every push therefore takes a transaction-scoped advisory lock before numbering, so
//!   pushes commit one after another in sequence order (reads stay concurrent).
//! - Durability: PostgreSQL's defaults (`fsync=on`, `synchronous_commit=on`) make each push one
//!   durable commit; this store does not weaken them.
//!
//! A store may live in its own schema ([`PgStore::connect_in_schema`]), so one database can
//! hold several regions, and tests get a clean schema each.

use super::{
    encryption_key_text, from_ms, group_overdue, parse_encryption_key, parse_id, to_ms,
    AdminAction, AuditEntry, CodeOrigin, CodeRecord, CodeRevocation, CodeRow, ConfigFault,
    CorruptRow, DeviceRecord, DueRow, EnrolmentRefusal, HeaderColumns, KeyRegistration,
    NewEnrolmentCode, NewEnvelope, OverdueItem, StaleDirectory, Store, StoreError, StoredEnvelope,
    StoredOutcome, TeamRecord, UnknownDevice, UnknownPosition, CLOSED_BY_ENTITLED_ANSWER,
};
use chrono::{DateTime, Utc};
use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use safeshare_core::crypto::envelope_seal::EncryptionPublicKey;
use safeshare_core::model::{DeviceId, PractitionerId, TeamId};
use safeshare_core::sync::{
    DevicePublicKey, DirectoryVersion, EnvelopeKind, RosterDevice, SignedRoster,
};
use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::time::Duration;
use tokio_postgres::NoTls;
use ulid::Ulid;

/// Migrations by number; never edit an old one, add the next. Applied and recorded by number
/// (`schema_migrations`), so a gap is fine and may be filled later ([`super::pending_migrations`]).
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/postgres/0001_init.sql")),
    (
        2,
        include_str!("migrations/postgres/0002_admin_and_ownership.sql"),
    ),
    (3, include_str!("migrations/postgres/0003_rosters.sql")),
    (4, include_str!("migrations/postgres/0004_console.sql")),
    (
        5,
        include_str!("migrations/postgres/0005_retired_devices.sql"),
    ),
    (
        6,
        include_str!("migrations/postgres/0006_unique_encryption_keys.sql"),
    ),
];

/// Advisory lock key serialising pushes (see module docs). Arbitrary but fixed.
const PUSH_LOCK: i64 = 0x5AFE_5EA1;
/// Advisory lock key serialising migrations between servers starting together.
const MIGRATION_LOCK: i64 = 0x5AFE_0001;

/// Connections kept in the pool.
const POOL_SIZE: usize = 16;
/// Longest wait for a pooled connection (or a new one) before answering `unavailable`, so a
/// database outage fails requests quickly instead of holding them until the HTTP timeout.
const POOL_TIMEOUT: Duration = Duration::from_secs(5);

/// The PostgreSQL store.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the URL: it may carry a password.
        f.write_str("PgStore")
    }
}

fn valid_schema_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit()
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`) and migrates the schema.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let config =
            tokio_postgres::Config::from_str(url).map_err(|_| ConfigFault::UnreadableUrl)?;
        Self::with_config(config).await
    }

    /// Connects with every table inside `schema` (created if missing; lower-case letters,
    /// digits and `_` only), and migrates it.
    pub async fn connect_in_schema(url: &str, schema: &str) -> Result<Self, StoreError> {
        if !valid_schema_name(schema) {
            return Err(ConfigFault::SchemaName(schema.to_owned()).into());
        }
        let mut config =
            tokio_postgres::Config::from_str(url).map_err(|_| ConfigFault::UnreadableUrl)?;
        {
            let (client, conn) = config.connect(NoTls).await?;
            let task = tokio::spawn(conn);
            client
                .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
                .await?;
            drop(client);
            let _ = task.await;
        }
        config.options(format!("-c search_path={schema}"));
        Self::with_config(config).await
    }

    async fn with_config(mut config: tokio_postgres::Config) -> Result<Self, StoreError> {
        config.connect_timeout(POOL_TIMEOUT);
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(POOL_TIMEOUT))
            .create_timeout(Some(POOL_TIMEOUT))
            .recycle_timeout(Some(POOL_TIMEOUT))
            .build()?;
        let store = Self { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.pool.get().await?;
        client
            .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        let result = async {
            client
                .batch_execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, \
                     applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                )
                .await?;
            // Versions were always recorded one row each (before numbering they were the
            // list positions 1 and 2, which are the numbers too).
            let applied = client
                .query("SELECT version FROM schema_migrations", &[])
                .await?
                .iter()
                .map(|row| row.get::<_, i64>(0))
                .collect::<HashSet<i64>>();
            for (number, sql) in super::pending_migrations(MIGRATIONS, &applied)? {
                let tx = client.transaction().await?;
                tx.batch_execute(sql).await?;
                tx.execute(
                    "INSERT INTO schema_migrations (version) VALUES ($1)",
                    &[&number],
                )
                .await?;
                tx.commit().await?;
            }
            Ok(())
        }
        .await;
        client
            .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
            .await?;
        result
    }

    pub(crate) async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        Ok(self.pool.get().await?)
    }
}

async fn teams_of(
    client: &impl GenericClient,
    practitioner: &str,
) -> Result<Vec<TeamId>, StoreError> {
    let stmt = client
        .prepare_cached(
            "SELECT team_id FROM practitioner_teams WHERE practitioner_id = $1 ORDER BY team_id",
        )
        .await?;
    let rows = client.query(&stmt, &[&practitioner]).await?;
    rows.iter()
        .map(|r| parse_id(r.get::<_, &str>(0), "team"))
        .collect()
}

async fn load_device(
    client: &impl GenericClient,
    device: &str,
) -> Result<Option<DeviceRecord>, StoreError> {
    let stmt = client
        .prepare_cached(
            "SELECT practitioner_id, public_key, revoked_at_ms, retired_at_ms FROM devices \
             WHERE device_id = $1",
        )
        .await?;
    let Some(row) = client.query_opt(&stmt, &[&device]).await? else {
        return Ok(None);
    };
    let practitioner: String = row.get(0);
    let key: String = row.get(1);
    let revoked: Option<i64> = row.get(2);
    let retired: Option<i64> = row.get(3);
    Ok(Some(DeviceRecord {
        id: parse_id(device, "device")?,
        practitioner: parse_id(&practitioner, "practitioner")?,
        teams: teams_of(client, &practitioner).await?,
        public_key: DevicePublicKey::from_base64(&key)
            .map_err(|_| StoreError::Corrupt(CorruptRow::DevicePublicKey))?,
        revoked_at: revoked.map(from_ms).transpose()?,
        retired_at: retired.map(from_ms).transpose()?,
    }))
}

fn strings(teams: &[TeamId]) -> Vec<String> {
    teams.iter().map(ToString::to_string).collect()
}

impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let client = self.client().await?;
        client.query_one("SELECT 1", &[]).await?;
        Ok(())
    }

    async fn import_directory(
        &self,
        version: u64,
        document: serde_json::Value,
        teams: Vec<TeamRecord>,
        now: DateTime<Utc>,
    ) -> Result<Result<DirectoryVersion, StaleDirectory>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // Serialise imports so two never take the same version number.
        tx.execute("LOCK TABLE directory_versions IN EXCLUSIVE MODE", &[])
            .await?;
        let row = tx
            .query_one(
                "SELECT COALESCE(MAX(version), 0) FROM directory_versions",
                &[],
            )
            .await?;
        if let Err(stale) = crate::rules::publishable(version, row.get::<_, i64>(0) as u64) {
            return Ok(Err(stale));
        }
        let version = i64::try_from(version)
            .map_err(|_| StoreError::Corrupt(CorruptRow::DirectoryVersion))?;
        tx.execute(
            "INSERT INTO directory_versions (version, imported_at_ms, document) \
             VALUES ($1, $2, $3)",
            &[&version, &to_ms(now), &document.to_string()],
        )
        .await?;
        for team in &teams {
            tx.execute(
                "INSERT INTO teams (team_id, name, directory_version) VALUES ($1, $2, $3) \
                 ON CONFLICT (team_id) DO UPDATE SET name = excluded.name, \
                 directory_version = excluded.directory_version",
                &[&team.id.to_string(), &team.name, &version],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(Ok(DirectoryVersion {
            version: version as u64,
            imported_at: from_ms(to_ms(now))?,
            document,
        }))
    }

    async fn latest_directory(&self) -> Result<Option<DirectoryVersion>, StoreError> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "SELECT version, imported_at_ms, document FROM directory_versions \
                 ORDER BY version DESC LIMIT 1",
                &[],
            )
            .await?;
        row.map(|r| {
            let doc: String = r.get(2);
            Ok(DirectoryVersion {
                version: r.get::<_, i64>(0) as u64,
                imported_at: from_ms(r.get(1))?,
                document: serde_json::from_str(&doc)
                    .map_err(|e| StoreError::Corrupt(CorruptRow::DirectoryDocument(e.into())))?,
            })
        })
        .transpose()
    }

    async fn known_teams(&self, teams: Vec<TeamId>) -> Result<HashSet<TeamId>, StoreError> {
        if teams.is_empty() {
            return Ok(HashSet::new());
        }
        let client = self.client().await?;
        let stmt = client
            .prepare_cached("SELECT team_id FROM teams WHERE team_id = ANY($1)")
            .await?;
        let rows = client.query(&stmt, &[&strings(&teams)]).await?;
        rows.iter()
            .map(|r| parse_id(r.get::<_, &str>(0), "team"))
            .collect()
    }

    async fn issue_enrolment_code(&self, code: NewEnrolmentCode) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO enrolment_codes (code_hash, practitioner_id, teams, issued_at_ms, \
             expires_at_ms, code_id, origin) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    &code.code_hash,
                    &code.practitioner.to_string(),
                    &strings(&code.teams).join(","),
                    &to_ms(code.issued_at),
                    &to_ms(code.expires_at),
                    &code.code_id.to_string(),
                    &code.origin.as_str(),
                ],
            )
            .await?;
        Ok(())
    }

    async fn redeem_enrolment_code(
        &self,
        code_hash: String,
        device: DeviceId,
        public_key: DevicePublicKey,
        now: DateTime<Utc>,
    ) -> Result<Result<DeviceRecord, EnrolmentRefusal>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // FOR UPDATE: two devices racing on one code cannot both redeem it.
        let row = tx
            .query_opt(
                "SELECT practitioner_id, teams, expires_at_ms, used_at_ms, revoked_at_ms \
                 FROM enrolment_codes WHERE code_hash = $1 FOR UPDATE",
                &[&code_hash],
            )
            .await?;
        // The row is locked until commit, so the rule's answer still holds at the update.
        let state = row
            .as_ref()
            .map(|row| {
                Ok::<_, StoreError>(crate::rules::CodeState {
                    expires_at: from_ms(row.get(2))?,
                    used: row.get::<_, Option<i64>>(3).is_some(),
                    revoked: row.get::<_, Option<i64>>(4).is_some(),
                })
            })
            .transpose()?;
        if let Err(refusal) = crate::rules::redeemable(state, now) {
            return Ok(Err(refusal));
        }
        let Some(row) = row else {
            return Ok(Err(EnrolmentRefusal::Unknown));
        };
        let practitioner: String = row.get(0);
        let teams: String = row.get(1);
        let now_ms = to_ms(now);
        let device_text = device.to_string();
        tx.execute(
            "UPDATE enrolment_codes SET used_at_ms = $1, device_id = $2 WHERE code_hash = $3",
            &[&now_ms, &device_text, &code_hash],
        )
        .await?;
        tx.execute(
            "INSERT INTO devices (device_id, practitioner_id, public_key, enrolled_at_ms) \
             VALUES ($1, $2, $3, $4)",
            &[
                &device_text,
                &practitioner,
                &public_key.to_base64(),
                &now_ms,
            ],
        )
        .await?;
        for team in teams.split(',').filter(|t| !t.is_empty()) {
            tx.execute(
                "INSERT INTO practitioner_teams (practitioner_id, team_id) VALUES ($1, $2) \
                 ON CONFLICT DO NOTHING",
                &[&practitioner, &team],
            )
            .await?;
        }
        let record = load_device(&tx, &device_text)
            .await?
            .ok_or_else(|| StoreError::Corrupt(CorruptRow::DeviceVanished))?;
        tx.commit().await?;
        Ok(Ok(record))
    }

    async fn device(
        &self,
        device: DeviceId,
    ) -> Result<Result<DeviceRecord, UnknownDevice>, StoreError> {
        let client = self.client().await?;
        Ok(load_device(&client, &device.to_string())
            .await?
            .ok_or(UnknownDevice(device)))
    }

    async fn revoke_device(
        &self,
        device: DeviceId,
        now: DateTime<Utc>,
    ) -> Result<Result<(), UnknownDevice>, StoreError> {
        let client = self.client().await?;
        let id = device.to_string();
        let exists = client
            .query_opt("SELECT 1 FROM devices WHERE device_id = $1", &[&id])
            .await?
            .is_some();
        client
            .execute(
                "UPDATE devices SET revoked_at_ms = $1 WHERE device_id = $2 \
                 AND revoked_at_ms IS NULL",
                &[&to_ms(now), &id],
            )
            .await?;
        Ok(UnknownDevice::unless_found(exists, device))
    }

    async fn retire_device(
        &self,
        device: DeviceId,
        now: DateTime<Utc>,
    ) -> Result<Result<(), UnknownDevice>, StoreError> {
        let client = self.client().await?;
        let id = device.to_string();
        let exists = client
            .query_opt("SELECT 1 FROM devices WHERE device_id = $1", &[&id])
            .await?
            .is_some();
        client
            .execute(
                "UPDATE devices SET retired_at_ms = $1 WHERE device_id = $2 \
                 AND retired_at_ms IS NULL AND revoked_at_ms IS NULL",
                &[&to_ms(now), &id],
            )
            .await?;
        Ok(UnknownDevice::unless_found(exists, device))
    }

    async fn consume_nonce(
        &self,
        device: DeviceId,
        nonce: String,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "INSERT INTO nonces (device_id, nonce, seen_at_ms) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .await?;
        let inserted = client
            .execute(&stmt, &[&device.to_string(), &nonce, &to_ms(now)])
            .await?;
        Ok(inserted == 1)
    }

    async fn prune_nonces(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let client = self.client().await?;
        Ok(client
            .execute(
                "DELETE FROM nonces WHERE seen_at_ms < $1",
                &[&to_ms(before)],
            )
            .await?)
    }

    async fn visible_entity_kind(
        &self,
        entity: Ulid,
        teams: Vec<TeamId>,
        practitioner: PractitionerId,
    ) -> Result<Option<EnvelopeKind>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT e.kind FROM envelopes e WHERE e.entity_id = $1 AND (e.author = $2 OR EXISTS \
                 (SELECT 1 FROM envelope_audience a WHERE a.seq = e.seq AND a.team_id = ANY($3))) \
                 LIMIT 1",
            )
            .await?;
        let row = client
            .query_opt(
                &stmt,
                &[
                    &entity.to_string(),
                    &practitioner.to_string(),
                    &strings(&teams),
                ],
            )
            .await?;
        row.map(|r| super::kind_from_stored(&r.get::<_, String>(0)))
            .transpose()
    }

    async fn push(
        &self,
        items: Vec<NewEnvelope>,
        now: DateTime<Utc>,
    ) -> Result<Vec<StoredOutcome>, StoreError> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let headers: Vec<HeaderColumns> = items.iter().map(HeaderColumns::of).collect();
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // A handful of round trips per batch, whatever its size: the lock is held until
        // commit, so every statement inside it costs every other pusher.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&PUSH_LOCK])
            .await?;
        let ids: Vec<&str> = headers.iter().map(|h| h.id.as_str()).collect();
        let find = tx
            .prepare_cached(
                "SELECT id, seq, content_hash, author FROM envelopes WHERE id = ANY($1)",
            )
            .await?;
        // id -> (seq, content hash, author) of the stored copy; filled in as this batch is
        // stored.
        let mut stored: HashMap<String, (Option<u64>, String, String)> = HashMap::new();
        for row in tx.query(&find, &[&ids]).await? {
            let id: String = row.get(0);
            let seq = u64::try_from(row.get::<_, i64>(1))
                .map_err(|_| StoreError::Corrupt(CorruptRow::Seq))?;
            stored.insert(id, (Some(seq), row.get(2), row.get(3)));
        }
        let entities: Vec<&str> = headers.iter().map(|h| h.entity_id.as_str()).collect();
        let owners_stmt = tx
            .prepare_cached(
                "SELECT entity_id, author, kind FROM entity_owners WHERE entity_id = ANY($1)",
            )
            .await?;
        // entity -> (author, kind): the first accepted envelope of an entity fixes both.
        let mut owners: HashMap<String, (String, String)> = HashMap::new();
        for row in tx.query(&owners_stmt, &[&entities]).await? {
            owners.insert(row.get(0), (row.get(1), row.get(2)));
        }
        let mut new_owners: Vec<usize> = Vec::new();
        // Decided before storing: refused for ownership (the id stays free).
        let mut not_owned: HashSet<usize> = HashSet::new();
        // First occurrence of each new id is inserted; later ones compare against it.
        let mut fresh: Vec<usize> = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            if stored.contains_key(&h.id) {
                continue;
            }
            match owners.get(&h.entity_id) {
                Some((author, kind)) if *author != h.author || kind != h.kind => {
                    not_owned.insert(i);
                    continue;
                }
                Some(_) => {}
                None => {
                    owners.insert(h.entity_id.clone(), (h.author.clone(), h.kind.to_owned()));
                    new_owners.push(i);
                }
            }
            stored.insert(h.id.clone(), (None, h.hash.clone(), h.author.clone()));
            fresh.push(i);
        }
        if !new_owners.is_empty() {
            let owner_entities: Vec<&str> = new_owners
                .iter()
                .map(|&i| headers[i].entity_id.as_str())
                .collect();
            let owner_authors: Vec<&str> = new_owners
                .iter()
                .map(|&i| headers[i].author.as_str())
                .collect();
            let owner_kinds: Vec<&str> = new_owners.iter().map(|&i| headers[i].kind).collect();
            let insert_owners = tx
                .prepare_cached(
                    "INSERT INTO entity_owners (entity_id, author, kind) \
                     SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[])",
                )
                .await?;
            tx.execute(
                &insert_owners,
                &[&owner_entities, &owner_authors, &owner_kinds],
            )
            .await?;
        }
        if !fresh.is_empty() {
            let col = |f: &dyn Fn(&HeaderColumns) -> String| -> Vec<String> {
                fresh.iter().map(|&i| f(&headers[i])).collect()
            };
            let ids = col(&|h| h.id.clone());
            let hashes = col(&|h| h.hash.clone());
            let kinds = col(&|h| h.kind.to_owned());
            let entities = col(&|h| h.entity_id.clone());
            let authors = col(&|h| h.author.clone());
            let devices = col(&|h| h.device.clone());
            let jsons: Vec<&str> = fresh.iter().map(|&i| items[i].json.as_str()).collect();
            let versions: Vec<i64> = fresh.iter().map(|&i| headers[i].entity_version).collect();
            let created: Vec<i64> = fresh.iter().map(|&i| headers[i].created_at_ms).collect();
            let severities: Vec<Option<&str>> =
                fresh.iter().map(|&i| headers[i].severity).collect();
            let dues: Vec<Option<i64>> = fresh.iter().map(|&i| headers[i].due_at_ms).collect();
            let answers: Vec<Option<&str>> = fresh
                .iter()
                .map(|&i| headers[i].answers.as_deref())
                .collect();
            let insert = tx
                .prepare_cached(
                    "INSERT INTO envelopes (seq, id, content_hash, kind, entity_id, \
                     entity_version, author, device_id, created_at_ms, severity, due_at_ms, \
                     answers, received_at_ms, json) \
                     SELECT nextval('envelope_seq'), u.id, u.content_hash, u.kind, u.entity_id, \
                     u.entity_version, u.author, u.device_id, u.created_at_ms, u.severity, \
                     u.due_at_ms, u.answers, $13, u.json \
                     FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], \
                     $6::text[], $7::text[], $8::bigint[], $9::text[], $10::bigint[], \
                     $11::text[], $12::text[]) WITH ORDINALITY AS u(id, content_hash, kind, \
                     entity_id, entity_version, author, device_id, created_at_ms, severity, \
                     due_at_ms, answers, json, n) ORDER BY u.n \
                     RETURNING id, seq",
                )
                .await?;
            let now_ms = to_ms(now);
            let rows = tx
                .query(
                    &insert,
                    &[
                        &ids,
                        &hashes,
                        &kinds,
                        &entities,
                        &versions,
                        &authors,
                        &devices,
                        &created,
                        &severities,
                        &dues,
                        &answers,
                        &jsons,
                        &now_ms,
                    ],
                )
                .await?;
            let mut seq_of: HashMap<String, i64> = HashMap::with_capacity(rows.len());
            for row in rows {
                seq_of.insert(row.get(0), row.get(1));
            }
            let mut audience_teams: Vec<&str> = Vec::new();
            let mut audience_seqs: Vec<i64> = Vec::new();
            for &i in &fresh {
                let seq = *seq_of
                    .get(&headers[i].id)
                    .ok_or_else(|| StoreError::Corrupt(CorruptRow::InsertedEnvelopeMissing))?;
                if let Some(entry) = stored.get_mut(&headers[i].id) {
                    entry.0 =
                        Some(u64::try_from(seq).map_err(|_| StoreError::Corrupt(CorruptRow::Seq))?);
                }
                for team in &headers[i].audience {
                    audience_teams.push(team);
                    audience_seqs.push(seq);
                }
            }
            if !audience_teams.is_empty() {
                let audience = tx
                    .prepare_cached(
                        "INSERT INTO envelope_audience (team_id, seq) \
                         SELECT * FROM UNNEST($1::text[], $2::bigint[])",
                    )
                    .await?;
                tx.execute(&audience, &[&audience_teams, &audience_seqs])
                    .await?;
            }
        }
        tx.commit().await?;
        let mut outcomes = Vec::with_capacity(headers.len());
        let mut first_seen: HashSet<&str> = HashSet::new();
        for (i, h) in headers.iter().enumerate() {
            if not_owned.contains(&i) {
                outcomes.push(StoredOutcome::NotOwned);
                continue;
            }
            let (seq, hash, author) = stored
                .get(&h.id)
                .ok_or_else(|| StoreError::Corrupt(CorruptRow::EnvelopeOutcomeMissing))?;
            let seq = seq.ok_or_else(|| StoreError::Corrupt(CorruptRow::EnvelopeSeqMissing))?;
            let fresh_here = fresh.iter().any(|&f| headers[f].id == h.id);
            outcomes.push(if fresh_here && first_seen.insert(h.id.as_str()) {
                StoredOutcome::Accepted(seq)
            } else if *author != h.author {
                // Another author's id: one answer whatever its content, and no sequence.
                StoredOutcome::IdUnavailable
            } else if *hash == h.hash {
                StoredOutcome::Duplicate(seq)
            } else {
                StoredOutcome::Conflict(seq)
            });
        }
        Ok(outcomes)
    }

    async fn pull(
        &self,
        teams: Vec<TeamId>,
        practitioner: PractitionerId,
        after: u64,
        limit: u32,
    ) -> Result<Vec<StoredEnvelope>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT seq, json FROM envelopes WHERE seq > $1 AND (author = $2 OR seq IN \
                 (SELECT seq FROM envelope_audience WHERE seq > $1 AND team_id = ANY($3)) \
                 OR answers IN (SELECT entity_id FROM envelopes WHERE author = $2)) \
                 ORDER BY seq LIMIT $4",
            )
            .await?;
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let rows = client
            .query(
                &stmt,
                &[
                    &after,
                    &practitioner.to_string(),
                    &strings(&teams),
                    &i64::from(limit),
                ],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| StoredEnvelope {
                seq: r.get::<_, i64>(0) as u64,
                json: r.get(1),
            })
            .collect())
    }

    async fn overdue(&self, now: DateTime<Utc>) -> Result<Vec<OverdueItem>, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query(
                &format!(
                    "SELECT s.kind, s.entity_id, s.author, s.due_at_ms, s.severity, \
                 ARRAY(SELECT a.team_id FROM envelope_audience a WHERE a.seq = s.seq \
                       ORDER BY a.team_id) \
                 FROM envelopes s \
                 WHERE s.kind IN ('share', 'referral') AND s.due_at_ms IS NOT NULL \
                 AND s.due_at_ms <= $1 \
                 AND NOT {CLOSED_BY_ENTITLED_ANSWER} \
                 ORDER BY s.due_at_ms, s.seq"
                ),
                &[&to_ms(now)],
            )
            .await?;
        let due = rows
            .iter()
            .map(|r| DueRow {
                kind: r.get(0),
                entity_id: r.get(1),
                author: r.get(2),
                due_at_ms: r.get(3),
                severity: r.get(4),
                audience: r.get(5),
            })
            .collect();
        group_overdue(due)
    }

    async fn envelope_count(&self) -> Result<u64, StoreError> {
        let client = self.client().await?;
        let row = client
            .query_one("SELECT COUNT(*) FROM envelopes", &[])
            .await?;
        Ok(row.get::<_, i64>(0) as u64)
    }

    async fn holds_at(
        &self,
        seq: u64,
        id: String,
    ) -> Result<Result<(), UnknownPosition>, StoreError> {
        let client = self.client().await?;
        let stored = i64::try_from(seq).unwrap_or(i64::MAX);
        let row = client
            .query_opt(
                "SELECT 1 FROM envelopes WHERE seq = $1 AND id = $2",
                &[&stored, &id],
            )
            .await?;
        Ok(match row {
            Some(_) => Ok(()),
            None => Err(UnknownPosition { seq }),
        })
    }

    async fn list_teams(&self) -> Result<Vec<TeamRecord>, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT team_id, name FROM teams ORDER BY name, team_id",
                &[],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(TeamRecord {
                    id: parse_id(r.get::<_, &str>(0), "team")?,
                    name: r.get(1),
                })
            })
            .collect()
    }

    async fn list_codes(&self) -> Result<Vec<CodeRecord>, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT code_id, practitioner_id, teams, issued_at_ms, expires_at_ms, used_at_ms, \
                 revoked_at_ms, origin FROM enrolment_codes ORDER BY issued_at_ms DESC, code_id DESC",
                &[],
            )
            .await?;
        rows.iter()
            .map(|r| {
                CodeRow {
                    code_id: r.get(0),
                    practitioner: r.get(1),
                    teams: r.get(2),
                    issued_at_ms: r.get(3),
                    expires_at_ms: r.get(4),
                    used_at_ms: r.get(5),
                    revoked_at_ms: r.get(6),
                    origin: r.get(7),
                }
                .into_record()
            })
            .collect()
    }

    async fn revoke_code(
        &self,
        code_id: String,
        now: DateTime<Utc>,
    ) -> Result<CodeRevocation, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // FOR UPDATE: a redemption racing this revocation waits, so the rule's answer still
        // holds at the update.
        let row = tx
            .query_opt(
                "SELECT expires_at_ms, used_at_ms, revoked_at_ms FROM enrolment_codes \
                 WHERE code_id = $1 FOR UPDATE",
                &[&code_id],
            )
            .await?;
        let state = row
            .as_ref()
            .map(|row| {
                Ok::<_, StoreError>(crate::rules::CodeState {
                    expires_at: from_ms(row.get(0))?,
                    used: row.get::<_, Option<i64>>(1).is_some(),
                    revoked: row.get::<_, Option<i64>>(2).is_some(),
                })
            })
            .transpose()?;
        let outcome = crate::rules::revocation(state);
        if outcome == CodeRevocation::Revoked {
            tx.execute(
                "UPDATE enrolment_codes SET revoked_at_ms = $1 WHERE code_id = $2",
                &[&to_ms(now), &code_id],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(outcome)
    }

    async fn revoke_open_codes(
        &self,
        origin: CodeOrigin,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // Every code of this origin is read, locked, and the one rule picks the open ones, so
        // the "open" test is not restated in SQL; codes are few (one per enrolment), and the
        // locks keep a racing redemption from slipping between the rule and the update.
        let rows = tx
            .query(
                "SELECT code_id, expires_at_ms, used_at_ms, revoked_at_ms \
                 FROM enrolment_codes WHERE origin = $1 ORDER BY code_id FOR UPDATE",
                &[&origin.as_str()],
            )
            .await?;
        let mut ids: Vec<String> = Vec::new();
        for row in &rows {
            let state = crate::rules::CodeState {
                expires_at: from_ms(row.get(1))?,
                used: row.get::<_, Option<i64>>(2).is_some(),
                revoked: row.get::<_, Option<i64>>(3).is_some(),
            };
            if crate::rules::open_at(state, now) {
                ids.push(row.get(0));
            }
        }
        if !ids.is_empty() {
            tx.execute(
                "UPDATE enrolment_codes SET revoked_at_ms = $1 WHERE code_id = ANY($2)",
                &[&to_ms(now), &ids],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(ids)
    }

    async fn append_admin_audit(
        &self,
        action: AdminAction,
        target: String,
        actor: String,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO admin_audit (at_ms, action, target, actor) VALUES ($1, $2, $3, $4)",
                &[&to_ms(now), &action.as_str(), &target, &actor],
            )
            .await?;
        Ok(())
    }

    async fn list_admin_audit(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT id, at_ms, action, target, actor FROM admin_audit ORDER BY id DESC \
                 LIMIT $1",
                &[&i64::from(limit)],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: u64::try_from(r.get::<_, i64>(0))
                        .map_err(|_| StoreError::Corrupt(CorruptRow::AuditId))?,
                    at: from_ms(r.get(1))?,
                    action: r.get(2),
                    target: r.get(3),
                    actor: r.get(4),
                })
            })
            .collect()
    }

    async fn key_registrations_since(
        &self,
        device: DeviceId,
        since: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT registered_at_ms FROM device_encryption_keys \
                 WHERE device_id = $1 AND registered_at_ms > $2 ORDER BY registered_at_ms",
                &[&device.to_string(), &to_ms(since)],
            )
            .await?;
        rows.iter().map(|r| from_ms(r.get::<_, i64>(0))).collect()
    }

    async fn register_encryption_key(
        &self,
        device: DeviceId,
        public_key: EncryptionPublicKey,
        now: DateTime<Utc>,
    ) -> Result<KeyRegistration, StoreError> {
        let client = self.client().await?;
        let id = device.to_string();
        let key_id = public_key.key_id().to_string();
        let exists = client
            .query_opt("SELECT 1 FROM devices WHERE device_id = $1", &[&id])
            .await?
            .is_some();
        if !exists {
            return Ok(KeyRegistration::NoSuchDevice);
        }
        // Any unique conflict (this device's own key again, or another device's, even one
        // racing this insert) inserts nothing; who holds the key then decides the answer.
        client
            .execute(
                "INSERT INTO device_encryption_keys (device_id, key_id, public_key, \
                 registered_at_ms) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                &[
                    &id,
                    &key_id,
                    &encryption_key_text(&public_key)?,
                    &to_ms(now),
                ],
            )
            .await?;
        let holder: String = client
            .query_one(
                "SELECT device_id FROM device_encryption_keys WHERE key_id = $1",
                &[&key_id],
            )
            .await?
            .get(0);
        Ok(if holder == id {
            KeyRegistration::Registered
        } else {
            KeyRegistration::HeldByAnotherDevice
        })
    }

    async fn roster_devices(&self) -> Result<Vec<RosterDevice>, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT d.device_id, d.practitioner_id, d.public_key, d.enrolled_at_ms, \
                 d.revoked_at_ms, (SELECT k.public_key FROM device_encryption_keys k \
                 WHERE k.device_id = d.device_id ORDER BY k.seq DESC LIMIT 1), d.retired_at_ms \
                 FROM devices d ORDER BY d.device_id",
                &[],
            )
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let practitioner: String = row.get(1);
            let signing: String = row.get(2);
            let encryption: Option<String> = row.get(5);
            out.push(RosterDevice {
                device_id: parse_id(row.get::<_, &str>(0), "device")?,
                practitioner_id: parse_id(&practitioner, "practitioner")?,
                teams: teams_of(&client, &practitioner).await?,
                signing_key: DevicePublicKey::from_base64(&signing)
                    .map_err(|_| StoreError::Corrupt(CorruptRow::DevicePublicKey))?,
                encryption_key: encryption
                    .as_deref()
                    .map(parse_encryption_key)
                    .transpose()?,
                enrolled_at: from_ms(row.get(3))?,
                revoked_at: row.get::<_, Option<i64>>(4).map(from_ms).transpose()?,
                retired_at: row.get::<_, Option<i64>>(6).map(from_ms).transpose()?,
            });
        }
        Ok(out)
    }

    async fn rosters_after(&self, after: u64) -> Result<Vec<SignedRoster>, StoreError> {
        let client = self.client().await?;
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let rows = client
            .query(
                "SELECT body, signature FROM rosters WHERE version > $1 ORDER BY version",
                &[&after],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| SignedRoster {
                body: r.get(0),
                signature: r.get(1),
            })
            .collect())
    }

    async fn latest_roster(&self) -> Result<Option<SignedRoster>, StoreError> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "SELECT body, signature FROM rosters ORDER BY version DESC LIMIT 1",
                &[],
            )
            .await?;
        Ok(row.map(|r| SignedRoster {
            body: r.get(0),
            signature: r.get(1),
        }))
    }

    async fn append_roster(
        &self,
        version: u64,
        roster: SignedRoster,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let client = self.client().await?;
        let version =
            i64::try_from(version).map_err(|_| StoreError::Corrupt(CorruptRow::RosterVersion))?;
        let inserted = client
            .execute(
                "INSERT INTO rosters (version, body, signature, created_at_ms) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (version) DO NOTHING",
                &[&version, &roster.body, &roster.signature, &to_ms(now)],
            )
            .await?;
        Ok(inserted == 1)
    }
}

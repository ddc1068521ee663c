//! Server migrations are applied by number, on SQLite and PostgreSQL: a database that ran the
//! console's 0004 before the rosters' 0003 was merged (the order the two branches were built
//! in) gets 0003 when it next opens, nothing runs twice, and a database migrated by a newer
//! server is refused. The "before" state is made from a real database by undoing 0003.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate

mod common;

use safeshare_server::storage::postgres::PgStore;
use safeshare_server::storage::sqlite::SqliteStore;
use safeshare_server::storage::StoreError;
use ulid::Ulid;

/// Undoes migration 0003 (rosters) as if this database had never seen it, and 0006 (a unique
/// index on 0003's key table, dropped with it), which a branch built on 0003 would bring.
const UNDO_0003: &str = "DROP TABLE rosters; DROP TABLE device_encryption_keys; \
     DELETE FROM schema_migrations WHERE version IN (3, 6);";

fn sqlite_tables(path: &std::path::Path) -> (Vec<i64>, bool) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT version FROM schema_migrations ORDER BY version")
        .unwrap();
    let versions = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<Vec<i64>, _>>()
        .unwrap();
    let rosters = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'rosters'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
        == 1;
    (versions, rosters)
}

#[test]
fn sqlite_database_at_0004_gets_0003_later() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    drop(SqliteStore::open_dir(&data).unwrap());
    let db = data.join("safeshare.db");
    assert_eq!(sqlite_tables(&db), (vec![1, 2, 3, 4, 5, 6], true));
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(UNDO_0003)
        .unwrap();
    assert_eq!(sqlite_tables(&db), (vec![1, 2, 4, 5], false));
    drop(SqliteStore::open_dir(&data).unwrap());
    assert_eq!(sqlite_tables(&db), (vec![1, 2, 3, 4, 5, 6], true));
    // Opening again runs nothing (a second CREATE TABLE would fail).
    drop(SqliteStore::open_dir(&data).unwrap());
    // A number this build does not know: a newer server migrated it.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("INSERT INTO schema_migrations (version) VALUES (99)")
        .unwrap();
    assert!(matches!(
        SqliteStore::open_dir(&data),
        Err(StoreError::SchemaTooNew { found: 99, .. })
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_database_at_0004_gets_0003_later() {
    // Skips loudly, or fails under SAFESHARE_REQUIRE_PG=1, as every PostgreSQL test does.
    if common::pg_store().await.is_none() {
        return;
    }
    let url = std::env::var("SAFESHARE_TEST_PG_URL").unwrap();
    let schema = format!("m_{}", Ulid::new().to_string().to_lowercase());
    drop(PgStore::connect_in_schema(&url, &schema).await.unwrap());
    let mut config: tokio_postgres::Config = url.parse().unwrap();
    config.options(format!("-c search_path={schema}"));
    let (client, conn) = config.connect(tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let state = || async {
        let versions: Vec<i64> = client
            .query(
                "SELECT version FROM schema_migrations ORDER BY version",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let rosters: i64 = client
            .query_one(
                "SELECT COUNT(*) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = 'rosters'",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        (versions, rosters == 1)
    };
    assert_eq!(state().await, (vec![1, 2, 3, 4, 5, 6], true));
    client.batch_execute(UNDO_0003).await.unwrap();
    assert_eq!(state().await, (vec![1, 2, 4, 5], false));
    drop(PgStore::connect_in_schema(&url, &schema).await.unwrap());
    assert_eq!(state().await, (vec![1, 2, 3, 4, 5, 6], true));
    drop(PgStore::connect_in_schema(&url, &schema).await.unwrap());
    client
        .batch_execute("INSERT INTO schema_migrations (version) VALUES (99)")
        .await
        .unwrap();
    assert!(matches!(
        PgStore::connect_in_schema(&url, &schema).await,
        Err(StoreError::SchemaTooNew { found: 99, .. })
    ));
}

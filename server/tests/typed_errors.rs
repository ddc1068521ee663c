//! The storage layer's driver error keeps typed causes (issue 16 items 2 and 5): a stored row
//! that does not read back is `StoreError::Corrupt` naming which value ([`CorruptRow`]), never
//! quoting what the row held; unusable configuration is a [`ConfigFault`]. On SQLite and
//! PostgreSQL, each row altered with the database's own client as a damaged disk or a bad
//! manual edit would leave it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

mod common;

use common::*;
use safeshare_server::storage::postgres::PgStore;
use safeshare_server::storage::{AdminAction, ConfigFault, CorruptRow, Store, StoreError};
use ulid::Ulid;

/// A directory whose stored document was overwritten with `text`, then an audit row whose
/// instant was overwritten past the range of a date: both must come back typed, naming the
/// column, and without the text.
async fn rows_that_do_not_read_back_are_typed<S: Store>(store: &S, alter: impl AsyncFn(&str)) {
    store
        .import_directory(1, serde_json::json!({}), Vec::new(), t0())
        .await
        .unwrap()
        .unwrap();
    alter("UPDATE directory_versions SET document = 'Amani Okafor, 12 Mill Lane'").await;
    let err = store.latest_directory().await.unwrap_err();
    assert!(
        matches!(err, StoreError::Corrupt(CorruptRow::DirectoryDocument(_))),
        "{err:?}"
    );
    let text = format!("{err} {err:?}");
    assert!(
        !text.contains("Amani") && !text.contains("Mill Lane"),
        "{text}"
    );

    store
        .append_admin_audit(AdminAction::CodeIssued, "code".into(), "cli".into(), t0())
        .await
        .unwrap();
    alter("UPDATE admin_audit SET at_ms = 9223372036854775807").await;
    let err = store.list_admin_audit(10).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Corrupt(CorruptRow::Instant(i64::MAX))),
        "{err:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_rows_that_do_not_read_back_are_typed() {
    let (dir, store) = sqlite_store();
    let path = dir.path().join("data").join("safeshare.db");
    rows_that_do_not_read_back_are_typed(&store, async |sql: &str| {
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute(sql, [])
            .unwrap();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_rows_that_do_not_read_back_are_typed() {
    // pg_store() skips (or, with SAFESHARE_REQUIRE_PG=1, fails) without a cluster.
    if pg_store().await.is_none() {
        return;
    }
    let url = std::env::var("SAFESHARE_TEST_PG_URL").unwrap();
    let schema = format!("t_{}", Ulid::new().to_string().to_lowercase());
    let store = PgStore::connect_in_schema(&url, &schema).await.unwrap();
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
        .batch_execute(&format!("SET search_path TO {schema}"))
        .await
        .unwrap();
    rows_that_do_not_read_back_are_typed(&store, async |sql: &str| {
        client.batch_execute(sql).await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn an_unusable_postgres_configuration_is_a_config_fault_that_does_not_echo_the_url() {
    let err = PgStore::connect("postgres://admin:s3cret@[not a host")
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Config(ConfigFault::UnreadableUrl)),
        "{err:?}"
    );
    assert!(!format!("{err} {err:?}").contains("s3cret"));
    let err = PgStore::connect_in_schema("postgres://u@127.0.0.1:1/db", "Robert'); DROP")
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Config(ConfigFault::SchemaName(_))),
        "{err:?}"
    );
}

//! Schema migrations: numbered SQL files in `migrations/`, applied in order, each in its own
//! transaction that also sets `PRAGMA user_version`, so a crash mid-upgrade leaves the last
//! complete schema. A migration is never edited once released; changes add a new file.
//!
//! Migration 1 also writes the key-check canary in the same transaction, so every store that
//! has a schema has a canary and a wrong key is always detected before anything is written.

use super::error::{Corruption, StoreError};
use crate::crypto::{Binding, Keys};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

/// The migrations, in order; `user_version` N means the first N have been applied.
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_outbox_confirmation.sql"),
    include_str!("migrations/0003_open_items.sql"),
    include_str!("migrations/0004_due_items.sql"),
];

const KEY_CHECK_NAME: &str = "key_check";
const KEY_CHECK_PLAINTEXT: &[u8] = b"safeshare field store key check v1";

fn key_check_binding() -> Binding<'static> {
    Binding {
        table: "meta",
        id: KEY_CHECK_NAME,
        version: 0,
        extra: &[],
    }
}

/// The latest schema version this build knows.
pub(crate) fn latest_version() -> i64 {
    i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX)
}

pub(crate) fn user_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// SQLite's `quick_check`: the database's pages and structure are whole. Reads only.
pub(crate) fn quick_check(conn: &Connection) -> Result<(), StoreError> {
    let mut stmt = conn.prepare("PRAGMA quick_check")?;
    let answers: Vec<String> = stmt
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    if answers.len() == 1 && answers[0] == "ok" {
        Ok(())
    } else {
        Err(StoreError::Unreadable(
            super::error::Unreadable::IntegrityCheck,
        ))
    }
}

/// Checks that `keys` are this store's keys by opening the canary. Reads only.
pub(crate) fn verify_key(conn: &Connection, keys: &Keys) -> Result<(), StoreError> {
    let sealed: Option<Vec<u8>> = conn
        .query_row(
            "SELECT sealed FROM meta WHERE name = ?1",
            [KEY_CHECK_NAME],
            |row| row.get(0),
        )
        .optional()?;
    let sealed = sealed.ok_or_else(|| StoreError::Corrupt(Corruption::KeyCheckMissing))?;
    match keys.open(&key_check_binding(), &sealed) {
        Ok(plain) if plain.as_slice() == KEY_CHECK_PLAINTEXT => Ok(()),
        _ => Err(StoreError::KeyMismatch),
    }
}

/// Applies migrations from the current `user_version` up to `target`.
pub(crate) fn migrate_to(
    conn: &mut Connection,
    keys: &Keys,
    target: i64,
) -> Result<(), StoreError> {
    let current = user_version(conn)?;
    if current > latest_version() {
        return Err(StoreError::SchemaTooNew {
            found: current,
            supported: latest_version(),
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate() {
        let number = i64::try_from(index + 1).unwrap_or(i64::MAX);
        if number <= current || number > target {
            continue;
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        if number == 1 {
            let canary = keys.seal(&key_check_binding(), KEY_CHECK_PLAINTEXT)?;
            tx.execute(
                "INSERT INTO meta (name, sealed) VALUES (?1, ?2)",
                rusqlite::params![KEY_CHECK_NAME, canary],
            )?;
        }
        tx.pragma_update(None, "user_version", number)?;
        tx.commit()?;
        tracing::info!(migration = number, "field store schema migrated");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::DataKey;

    fn schema_of(conn: &Connection) -> Vec<(String, String, Option<String>)> {
        let mut stmt = conn
            .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn upgrading_from_every_old_schema_equals_a_fresh_schema() {
        let keys = Keys::derive(&DataKey::generate().unwrap()).unwrap();
        let mut fresh = Connection::open_in_memory().unwrap();
        migrate_to(&mut fresh, &keys, latest_version()).unwrap();
        let expected = schema_of(&fresh);
        for start in 0..latest_version() {
            let mut conn = Connection::open_in_memory().unwrap();
            migrate_to(&mut conn, &keys, start).unwrap();
            assert_eq!(user_version(&conn).unwrap(), start);
            migrate_to(&mut conn, &keys, latest_version()).unwrap();
            assert_eq!(schema_of(&conn), expected, "upgrade from {start}");
            assert_eq!(user_version(&conn).unwrap(), latest_version());
            verify_key(&conn, &keys).unwrap();
        }
    }

    #[test]
    fn a_schema_newer_than_this_build_is_refused() {
        let keys = Keys::derive(&DataKey::generate().unwrap()).unwrap();
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", latest_version() + 1)
            .unwrap();
        assert!(matches!(
            migrate_to(&mut conn, &keys, latest_version()),
            Err(StoreError::SchemaTooNew { .. })
        ));
    }

    #[test]
    fn key_check_rejects_another_key() {
        let keys = Keys::derive(&DataKey::generate().unwrap()).unwrap();
        let other = Keys::derive(&DataKey::generate().unwrap()).unwrap();
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, &keys, latest_version()).unwrap();
        assert!(matches!(
            verify_key(&conn, &other),
            Err(StoreError::KeyMismatch)
        ));
    }
}

//! Schema versions, kept in `PRAGMA user_version`.
//!
//! `schema.sql` is version 1 and creates a new registry whole. Later changes
//! are appended to `MIGRATIONS` as `migrations/NNNN_what.sql`: never reorder,
//! edit or remove an entry, because registries in the field are at every
//! version ever released. All pending steps run in one transaction, so a
//! failed upgrade leaves the registry at its old version; the transaction
//! commits only if no reference dangles afterwards (`foreign_key_check`).
//! A step runs inside that transaction, so it cannot switch foreign keys
//! off: rebuild a table by creating the new one, copying, dropping the old
//! one and renaming, in an order that keeps every reference whole.
//!
//! `tests/fixtures/registry-vN.db` is a registry as release N wrote it;
//! `migrations::every_released_registry_upgrades_whole` upgrades each.
//! When a step is added, add the fixture of the version before it (see
//! `tests/fixtures/README.md`).

use anyhow::{bail, Context, Result};
use rusqlite::Connection;

/// Marks a file as a pressreg registry ("PREG").
pub const APPLICATION_ID: i64 = 0x5052_4547;

/// The schema, step by step. Index 0 is version 1. NEVER reorder or remove.
const MIGRATIONS: &[&str] = &[include_str!("../../schema.sql")];

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Reads the version of an open database, refusing one that is not a
/// registry or is newer than this program.
pub fn check_version(conn: &Connection, path: &str) -> Result<i64> {
    // One statement, so one snapshot: read one by one, the three could
    // straddle another pressreg's commit of a new registry and show its
    // tables without its mark.
    let (version, app_id, tables): (i64, i64, i64) = conn.query_row(
        "SELECT (SELECT user_version FROM pragma_user_version),
                (SELECT application_id FROM pragma_application_id),
                (SELECT count(*) FROM sqlite_master)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    if app_id != APPLICATION_ID && (tables > 0 || version != 0) {
        bail!("'{path}' is not a pressreg registry (it is an SQLite database of another program)");
    }
    if version > SCHEMA_VERSION {
        bail!(
            "registry '{path}' has schema version {version}, newer than this program's \
             ({SCHEMA_VERSION}): use a newer pressreg"
        );
    }
    Ok(version)
}

/// Brings the schema up to `SCHEMA_VERSION` in one transaction.
/// Running it on an up-to-date registry changes nothing.
pub fn migrate(conn: &mut Connection, path: &str) -> Result<()> {
    migrate_with(conn, path, MIGRATIONS)
}

/// `migrate` with the steps given (the tests inject a failing last step).
fn migrate_with(conn: &mut Connection, path: &str, steps: &[&str]) -> Result<()> {
    let latest = steps.len() as i64;
    let version = check_version(conn, path)?;
    if version >= latest {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Another pressreg may have created the schema while this one waited
    // for the write lock (two commands run at once on a new registry).
    if check_version(&tx, path)? >= latest {
        return Ok(());
    }
    for (i, step) in steps.iter().enumerate().skip(version as usize) {
        tx.execute_batch(step).with_context(|| {
            format!(
                "failed to upgrade registry '{path}' to schema version {} (it is unchanged, still at version {version})",
                i + 1
            )
        })?;
    }
    let dangling: i64 = tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })?;
    if dangling > 0 {
        bail!(
            "failed to upgrade registry '{path}' to schema version {latest}: {dangling} references would dangle (it is unchanged, still at version {version})"
        );
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.pragma_update(None, "user_version", latest)?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema_of(conn: &Connection) -> Vec<(String, String)> {
        let mut stmt = conn
            .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn fresh_registry_schema_equals_schema_sql() -> Result<()> {
        let mut migrated = Connection::open_in_memory()?;
        migrate(&mut migrated, "mem")?;
        let plain = Connection::open_in_memory()?;
        plain.execute_batch(include_str!("../../schema.sql"))?;
        assert_eq!(schema_of(&migrated), schema_of(&plain));
        let v: i64 = migrated.pragma_query_value(None, "user_version", |r| r.get(0))?;
        assert_eq!(v, SCHEMA_VERSION);
        Ok(())
    }

    #[test]
    fn migrating_twice_is_a_no_op() -> Result<()> {
        let mut conn = Connection::open_in_memory()?;
        migrate(&mut conn, "mem")?;
        let before = schema_of(&conn);
        migrate(&mut conn, "mem")?;
        assert_eq!(schema_of(&conn), before);
        Ok(())
    }

    #[test]
    fn newer_registry_is_refused() -> Result<()> {
        let mut conn = Connection::open_in_memory()?;
        migrate(&mut conn, "mem")?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)?;
        let err = migrate(&mut conn, "reg.db").unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "registry 'reg.db' has schema version {}, newer than this program's ({}): use a newer pressreg",
                SCHEMA_VERSION + 1,
                SCHEMA_VERSION
            )
        );
        Ok(())
    }

    /// R12: a failure in the last step of an upgrade leaves the registry
    /// at its old version with its rows, and says so.
    #[test]
    fn a_failed_last_step_leaves_the_old_version_whole() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("old.db");
        let mut conn = Connection::open(&path)?;
        migrate_with(&mut conn, "old.db", &MIGRATIONS[..1])?;
        conn.execute_batch(
            "INSERT INTO actor (uid, name) VALUES ('00000000-0000-4000-8000-000000000001', 'Taliban');",
        )?;
        let schema = schema_of(&conn);
        let second = "ALTER TABLE actor ADD COLUMN website TEXT;";
        let third = "CREATE TABLE extra (x TEXT); INSERT INTO no_such_table VALUES (1);";
        let err = migrate_with(&mut conn, "old.db", &[MIGRATIONS[0], second, third]).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "failed to upgrade registry 'old.db' to schema version 3 (it is unchanged, still at version 1): no such table: no_such_table: Error code 1: SQL error or missing database"
        );
        drop(conn);
        let conn = Connection::open(&path)?;
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        assert_eq!(v, 1);
        assert_eq!(schema_of(&conn), schema);
        let actors: i64 = conn.query_row("SELECT count(*) FROM actor", [], |r| r.get(0))?;
        assert_eq!(actors, 1);
        Ok(())
    }

    /// An upgrade that would leave a reference dangling is rolled back.
    #[test]
    fn an_upgrade_that_breaks_a_reference_is_rolled_back() -> Result<()> {
        let mut conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", false)?;
        migrate_with(&mut conn, "mem", &MIGRATIONS[..1])?;
        let step = "INSERT INTO actor_type_period (actor_id, type) VALUES (99, 'armed_group');";
        let err = migrate_with(&mut conn, "mem", &[MIGRATIONS[0], step]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "failed to upgrade registry 'mem' to schema version 2: 1 references would dangle (it is unchanged, still at version 1)"
        );
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        assert_eq!(v, 1);
        Ok(())
    }

    #[test]
    fn other_programs_databases_are_refused() -> Result<()> {
        let mut conn = Connection::open_in_memory()?;
        conn.execute_batch("CREATE TABLE notes (x TEXT)")?;
        assert!(migrate(&mut conn, "other.db").is_err());
        Ok(())
    }
}

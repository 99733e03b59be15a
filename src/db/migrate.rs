//! Schema versions, kept in `PRAGMA user_version`.
//!
//! `schema.sql` is the complete current schema and creates a new registry
//! whole. A registry made by an older program is brought up to date by the
//! steps in `UPGRADES` (`migrations/NNNN_what.sql`, NNNN the version it leads
//! to): never reorder, edit or remove an entry, because registries in the
//! field are at every version ever released. `migrations/0001_schema.sql` is
//! version 1 as released, kept so that a test can upgrade it. A change to
//! the schema goes in both places, and a test checks that a new registry and
//! an upgraded version-1 registry end with the same tables, columns, indexes,
//! triggers and views. All pending steps run in one transaction, so a failed
//! upgrade leaves the registry at its old version.

use anyhow::{bail, Context, Result};
use rusqlite::Connection;

/// Marks a file as a pressreg registry ("PREG").
pub const APPLICATION_ID: i64 = 0x5052_4547;

/// The schema of a new registry, at `SCHEMA_VERSION`.
const SCHEMA: &str = include_str!("../../schema.sql");

/// The upgrades, step by step: index 0 takes version 1 to version 2.
/// NEVER reorder or remove.
const UPGRADES: &[&str] = &[
    // 2: the view `involvement_actor_type`, the one rule for an actor's type
    // on an act's dates.
    include_str!("../../migrations/0002_involvement_actor_type.sql"),
    // 3: sources say whose story they repeat (`via`); sources and claims
    // can be withdrawn.
    include_str!("../../migrations/0003_withdrawn.sql"),
];

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = 1 + UPGRADES.len() as i64;

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
    let version = check_version(conn, path)?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Another pressreg may have created the schema while this one waited
    // for the write lock (two commands run at once on a new registry).
    if check_version(&tx, path)? == SCHEMA_VERSION {
        return Ok(());
    }
    if version == 0 {
        tx.execute_batch(SCHEMA)
            .context("failed to create the registry's schema")?;
    } else {
        for (i, step) in UPGRADES.iter().enumerate().skip(version as usize - 1) {
            tx.execute_batch(step)
                .with_context(|| format!("failed to apply schema step {}", i + 2))?;
        }
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
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

    /// A registry made by the first release (`migrations/0001_schema.sql`
    /// is its schema as released) upgrades to exactly the schema of a new
    /// one, keeping its rows.
    #[test]
    fn a_version_1_registry_upgrades_to_the_current_schema() -> Result<()> {
        let mut old = Connection::open_in_memory()?;
        old.execute_batch(include_str!("../../migrations/0001_schema.sql"))?;
        old.pragma_update(None, "application_id", APPLICATION_ID)?;
        old.pragma_update(None, "user_version", 1)?;
        old.execute(
            "INSERT INTO ref_counter (prefix, last) VALUES ('AF-2021', 7)",
            [],
        )?;
        migrate(&mut old, "old.db")?;
        let plain = Connection::open_in_memory()?;
        plain.execute_batch(include_str!("../../schema.sql"))?;
        assert_eq!(shape_of(&old), shape_of(&plain));
        let v: i64 = old.pragma_query_value(None, "user_version", |r| r.get(0))?;
        assert_eq!(v, SCHEMA_VERSION);
        let last: i64 = old.query_row("SELECT last FROM ref_counter", [], |r| r.get(0))?;
        assert_eq!(last, 7);
        Ok(())
    }

    /// Every table's columns (name, type, not null, default, key) and
    /// every index and trigger with its SQL: what an upgrade must reproduce.
    /// (ALTER TABLE rewrites a table's SQL text in its own layout, so a
    /// table's text cannot be compared.)
    fn shape_of(conn: &Connection) -> Vec<String> {
        let mut out = Vec::new();
        let mut stmt = conn
            .prepare(
                "SELECT type, name, coalesce(sql, '') FROM sqlite_master
                 WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .unwrap();
        let objects: Vec<(String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for (kind, name, sql) in objects {
            // Indexes and triggers are never altered: their text must match.
            if kind == "table" {
                out.push(format!("{kind} {name}"));
            } else {
                out.push(format!("{kind} {name} {sql}"));
            }
            if kind == "table" {
                let mut cols = conn
                    .prepare("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid")
                    .unwrap();
                let rows: Vec<String> = cols
                    .query_map([&name], |r| {
                        Ok(format!(
                            "  {} {} {} {:?} {}",
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, i64>(2)?,
                            r.get::<_, Option<String>>(3)?,
                            r.get::<_, i64>(4)?
                        ))
                    })
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap();
                out.extend(rows);
            }
        }
        out
    }

    #[test]
    fn a_version_1_registry_is_upgraded_to_the_current_schema() -> Result<()> {
        let mut old = Connection::open_in_memory()?;
        old.execute_batch(include_str!("../../migrations/0001_schema.sql"))?;
        old.pragma_update(None, "application_id", APPLICATION_ID)?;
        old.pragma_update(None, "user_version", 1)?;
        old.execute_batch(
            "INSERT INTO incident (uid, ref, country, created_at, updated_at, date_precision)
             VALUES ('00000000-0000-0000-0000-000000000001', 'AF-0000-0001', 'AF', 'x', 'x', 'unknown');
             INSERT INTO source (uid, incident_id, url)
             VALUES ('00000000-0000-0000-0000-000000000002', 1, 'https://a.example');",
        )?;
        migrate(&mut old, "old.db")?;
        let fresh = Connection::open_in_memory()?;
        fresh.execute_batch(include_str!("../../schema.sql"))?;
        assert_eq!(shape_of(&old), shape_of(&fresh));
        let v: i64 = old.pragma_query_value(None, "user_version", |r| r.get(0))?;
        assert_eq!(v, SCHEMA_VERSION);
        let kept: (String, String, Option<String>) =
            old.query_row("SELECT url, via, withdrawn_at FROM source", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        assert_eq!(kept, ("https://a.example".into(), String::new(), None));
        // The upgrade keeps the rule a withdrawn claim is never accepted.
        let both = old.execute(
            "INSERT INTO claim (uid, incident_id, source_id, subject, subject_uid, field, value,
                                accepted, withdrawn_at)
             VALUES ('00000000-0000-0000-0000-000000000003', 1, 1, 'incident',
                     '00000000-0000-0000-0000-000000000001', 'admin2', 'x', 1, 'now')",
            [],
        );
        assert!(both.is_err());
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

    #[test]
    fn other_programs_databases_are_refused() -> Result<()> {
        let mut conn = Connection::open_in_memory()?;
        conn.execute_batch("CREATE TABLE notes (x TEXT)")?;
        assert!(migrate(&mut conn, "other.db").is_err());
        Ok(())
    }
}

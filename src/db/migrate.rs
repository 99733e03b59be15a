//! Schema versions, kept in `PRAGMA user_version`.
//!
//! `schema.sql` is the complete current schema and creates a new registry
//! whole. A registry made by an older program is brought up to date by the
//! steps in `UPGRADES` (`migrations/NNNN_what.sql`, NNNN the version it leads
//! to): never reorder, edit or remove an entry, because registries in the
//! field are at every version ever released. A change to the schema goes in
//! both places, and a test checks that a new registry and an upgraded
//! version-1 registry end with the same tables, columns, indexes, triggers
//! and views. All pending steps run in one transaction, so a failed upgrade
//! leaves the registry at its old version; the transaction commits only if
//! no reference dangles afterwards (`foreign_key_check`). A step runs inside
//! that transaction, so it cannot switch foreign keys off: rebuild a table by
//! creating the new one, copying, dropping the old one and renaming, in an
//! order that keeps every reference whole.
//!
//! `tests/fixtures/registry-vN.db` is a registry as release N wrote it;
//! `migrations::every_released_registry_upgrades_whole` upgrades each
//! through the program. When a step is added, add the fixture of the
//! version before it (see `tests/fixtures/README.md`).

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
    // on an act's dates; sources say whose story they repeat (`via`), and
    // sources and claims can be withdrawn; erasure: `revision.erased_by`,
    // the actions `purge` and `copy`, and an update trigger that lets a
    // purge erase values and nothing else.
    include_str!("../../migrations/0002_actor_types_withdrawals_erasure.sql"),
    // 3: the seal of the revision log's head (an HMAC under the registry
    // key), for encrypted registries.
    include_str!("../../migrations/0003_seal.sql"),
    // 4: merging registries: refs renumbered by a merge kept as aliases,
    // and what each registry has seen of the other's revisions.
    include_str!("../../migrations/0004_merge.sql"),
    // 5: the counting units of the default profile, kept on write for
    // summaries (`units.rs`); filled as the step runs (`UNITS_VERSION`).
    include_str!("../../migrations/0005_count_units.sql"),
];
/// The version whose step made table `seal`: an encrypted registry opened
/// from before it is sealed once, as it is upgraded (`open_keyed`).
pub const SEAL_VERSION: i64 = 3;
/// The version whose step made table `count_unit`: a registry upgraded
/// past it gets its units computed, by the profile's code, in the upgrade's
/// transaction.
pub const UNITS_VERSION: i64 = 5;
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
    migrate_with(conn, path, UPGRADES)
}

/// `migrate` for a registry whose version `check_version` has just read
/// on this connection: an up-to-date one costs no second query.
pub fn migrate_from(conn: &mut Connection, path: &str, version: i64) -> Result<()> {
    if version >= SCHEMA_VERSION {
        return Ok(());
    }
    migrate(conn, path)
}

/// What the header of an unencrypted SQLite file says (its first 100
/// bytes): `user_version` and `application_id`, without opening it.
/// Stale only when a newer header waits in the `-wal` file, which the
/// open that follows reads (and `migrate` checks again).
pub fn header_version(header: &[u8; 100]) -> (i64, i64) {
    let at = |i: usize| {
        i64::from(u32::from_be_bytes([
            header[i],
            header[i + 1],
            header[i + 2],
            header[i + 3],
        ]))
    };
    (at(60), at(68))
}

/// `migrate` with the upgrade steps given (the tests append a failing or
/// reference-breaking step to `UPGRADES`): `upgrades[i]` takes version
/// i+1 to i+2. A new registry is `schema.sql` whole (version
/// `SCHEMA_VERSION`) and then any step past it.
fn migrate_with(conn: &mut Connection, path: &str, upgrades: &[&str]) -> Result<()> {
    let latest = 1 + upgrades.len() as i64;
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
    let from = if version == 0 {
        tx.execute_batch(SCHEMA)
            .context("failed to create the registry's schema")?;
        SCHEMA_VERSION
    } else {
        version
    };
    for (i, step) in upgrades.iter().enumerate().skip(from as usize - 1) {
        tx.execute_batch(step).with_context(|| {
            format!(
                "failed to upgrade registry '{path}' to schema version {} (it is unchanged, still at version {version})",
                i + 2
            )
        })?;
    }
    // The units are made by Rust, not SQL (the profile's rules live there
    // once): a registry that had incidents before the table existed gets
    // them now, in the same transaction.
    if version > 0 && version < UNITS_VERSION && latest >= UNITS_VERSION {
        super::units::rebuild(&tx).with_context(|| {
            format!(
                "failed to upgrade registry '{path}' to schema version {UNITS_VERSION} (it is unchanged, still at version {version})"
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

    /// The header read without a connection says what SQLite says.
    #[test]
    fn the_header_gives_the_version_and_the_mark() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("r.db");
        let mut conn = Connection::open(&path)?;
        migrate(&mut conn, "r.db")?;
        drop(conn);
        let mut header = [0u8; 100];
        header.copy_from_slice(&std::fs::read(&path)?[..100]);
        assert_eq!(header_version(&header), (SCHEMA_VERSION, APPLICATION_ID));
        Ok(())
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

    /// A copy, in `dir`, of the registry the first release wrote
    /// (`tests/fixtures/registry-v1.db`, never edited).
    fn version_1_registry(dir: &tempfile::TempDir) -> Result<std::path::PathBuf> {
        let path = dir.path().join("old.db");
        std::fs::copy(
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/registry-v1.db"),
            &path,
        )?;
        Ok(path)
    }

    fn count(conn: &Connection, table: &str) -> Result<i64> {
        Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
    }

    /// A registry made by the first release upgrades to exactly the schema
    /// of a new one, keeping its rows.
    #[test]
    fn a_version_1_registry_upgrades_to_the_current_schema() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let mut old = Connection::open(version_1_registry(&dir)?)?;
        let v: i64 = old.pragma_query_value(None, "user_version", |r| r.get(0))?;
        assert_eq!(v, 1);
        migrate(&mut old, "old.db")?;
        let plain = Connection::open_in_memory()?;
        plain.execute_batch(include_str!("../../schema.sql"))?;
        assert_eq!(shape_of(&old), shape_of(&plain));
        let v: i64 = old.pragma_query_value(None, "user_version", |r| r.get(0))?;
        assert_eq!(v, SCHEMA_VERSION);
        assert_eq!(count(&old, "incident")?, 18);
        assert_eq!(count(&old, "involvement_actor_type")?, 69);
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

    /// Version 2's columns arrive empty on the released registry's rows,
    /// and its rule holds after the upgrade: a withdrawn claim is never
    /// accepted.
    #[test]
    fn a_version_1_registry_gains_withdrawals_and_keeps_their_rule() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let mut old = Connection::open(version_1_registry(&dir)?)?;
        migrate(&mut old, "old.db")?;
        let (sources, via, withdrawn): (i64, i64, i64) = old.query_row(
            "SELECT count(*), count(*) FILTER (WHERE via = ''),
                    count(*) FILTER (WHERE withdrawn_at IS NULL) FROM source",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        assert_eq!((sources, via, withdrawn), (40, 40, 40));
        old.execute_batch(
            "INSERT INTO incident (uid, ref, country, created_at, updated_at, date_precision)
             VALUES ('00000000-0000-0000-0000-000000000001', 'AF-0000-0001', 'AF', 'x', 'x', 'unknown');
             INSERT INTO source (uid, incident_id, url)
             VALUES ('00000000-0000-0000-0000-000000000002',
                     (SELECT id FROM incident WHERE ref = 'AF-0000-0001'), 'https://a.example');",
        )?;
        // The upgrade keeps the rule a withdrawn claim is never accepted.
        let both = old.execute(
            "INSERT INTO claim (uid, incident_id, source_id, subject, subject_uid, field, value,
                                accepted, withdrawn_at)
             VALUES ('00000000-0000-0000-0000-000000000003',
                     (SELECT id FROM incident WHERE ref = 'AF-0000-0001'),
                     (SELECT id FROM source WHERE url = 'https://a.example'), 'incident',
                     '00000000-0000-0000-0000-000000000001', 'admin2', 'x', 1, 'now')",
            [],
        );
        assert!(both.is_err());
        Ok(())
    }

    /// Step 2 rebuilds the revision table for erasure: every row comes
    /// across as it was, hashes and all (the chain is not rewritten), and
    /// the log stays append-only.
    #[test]
    fn the_erasure_step_carries_the_log_over() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let mut old = Connection::open(version_1_registry(&dir)?)?;
        let row = |c: &Connection| -> Result<(Option<String>, String)> {
            Ok(
                c.query_row("SELECT new, hash FROM revision WHERE id = 1", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?,
            )
        };
        let before = row(&old)?;
        let revisions = count(&old, "revision")?;
        migrate(&mut old, "old.db")?;
        assert_eq!(row(&old)?, before);
        assert_eq!(count(&old, "revision")?, revisions);
        let erased: i64 = old.query_row(
            "SELECT count(*) FROM revision WHERE erased_by IS NOT NULL",
            [],
            |r| r.get(0),
        )?;
        assert_eq!(erased, 0);
        assert!(old.execute("UPDATE revision SET reason = 'x'", []).is_err());
        assert!(old.execute("DELETE FROM revision", []).is_err());
        Ok(())
    }

    /// Whether `sql` (one `?` for the value) is accepted, undone either way.
    fn accepts(conn: &Connection, sql: &str, value: Option<&str>) -> bool {
        conn.execute_batch("SAVEPOINT probe").unwrap();
        let ok = conn.execute(sql, [value]).is_ok();
        conn.execute_batch("ROLLBACK TO probe; RELEASE probe")
            .unwrap();
        ok
    }

    /// schema.sql writes its vocabulary CHECKs as `x = 'a' OR …` (fast to
    /// insert); a registry made before keeps its `x IN (…)` lists. Both are
    /// the same guarantee: on the released registry's rows, upgraded, and
    /// on the same rows in a new registry, exactly the vocabulary (and NULL
    /// where a column may be NULL) is accepted, and every near miss refused.
    #[test]
    fn the_vocabulary_checks_of_old_and_new_registries_are_the_same() -> Result<()> {
        use crate::vocab::*;
        let dir = tempfile::tempdir()?;
        let mut old = Connection::open(version_1_registry(&dir)?)?;
        migrate(&mut old, "old.db")?;
        let mut new = Connection::open_in_memory()?;
        migrate(&mut new, "mem")?;
        // The released registry's rows, copied into the new one.
        for table in [
            "incident",
            "incident_relation",
            "victim",
            "act",
            "actor",
            "actor_type_period",
            "involvement",
            "source",
            "claim",
        ] {
            let cols: Vec<String> = new
                .prepare("SELECT name FROM pragma_table_info(?)")?
                .query_map([table], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let marks = vec!["?"; cols.len()].join(", ");
            let cols = cols.join(", ");
            let mut read = old.prepare(&format!("SELECT {cols} FROM {table}"))?;
            let width = read.column_count();
            let rows: Vec<Vec<rusqlite::types::Value>> = read
                .query_map([], |r| (0..width).map(|i| r.get(i)).collect())?
                .collect::<rusqlite::Result<_>>()?;
            let mut write =
                new.prepare(&format!("INSERT INTO {table} ({cols}) VALUES ({marks})"))?;
            for row in rows {
                write.execute(rusqlite::params_from_iter(row))?;
            }
        }
        // A row of each table, with the columns a value depends on set so
        // that only the vocabulary decides.
        let first = |t: &str| format!("WHERE id = (SELECT min(id) FROM {t})");
        let cases: Vec<(String, &[&str], bool)> = vec![
            (format!("UPDATE incident SET date_precision = ?1, date_end = NULL, date_start = CASE WHEN ?1 = 'unknown' THEN NULL ELSE '2020-01-01' END {}", first("incident")), DatePrecision::NAMES, false),
            (format!("UPDATE incident SET calendar = ? {}", first("incident")), Calendar::NAMES, false),
            (format!("UPDATE incident SET context = ? {}", first("incident")), Context::NAMES, false),
            (format!("UPDATE incident SET verification = ? {}", first("incident")), Verification::NAMES, false),
            (format!("UPDATE incident SET work_link = ? {}", first("incident")), WorkLink::NAMES, false),
            (format!("UPDATE incident SET justice = ? {}", first("incident")), Justice::NAMES, false),
            (format!("UPDATE incident SET confidentiality = ? {}", first("incident")), Confidentiality::NAMES, false),
            (format!("UPDATE incident_relation SET relation = ? {}", first("incident_relation")), Relation::NAMES, false),
            (format!("UPDATE victim SET sex = ? {}", first("victim")), Sex::NAMES, false),
            (format!("UPDATE victim SET local_or_foreign = ? {}", first("victim")), LocalOrForeign::NAMES, true),
            (format!("UPDATE victim SET category = ? {}", first("victim")), Category::NAMES, false),
            (format!("UPDATE victim SET employment = ? {}", first("victim")), Employment::NAMES, false),
            (format!("UPDATE victim SET status = ? {}", first("victim")), VictimStatus::NAMES, false),
            (format!("UPDATE victim SET confidentiality = ? {}", first("victim")), Confidentiality::NAMES, false),
            (format!("UPDATE act SET type = ?, death_context = NULL {}", first("act")), ActType::NAMES, false),
            (format!("UPDATE act SET type = 'killed', death_context = ? {}", first("act")), DeathContext::NAMES, true),
            (format!("UPDATE act SET method = ? {}", first("act")), Method::NAMES, false),
            (format!("UPDATE act SET date_end = NULL, date_precision = ?1, date_start = CASE WHEN ?1 IS NULL THEN NULL ELSE '2020-01-01' END {}", first("act")), DatePrecision::NAMES, true),
            (format!("UPDATE actor_type_period SET type = ? {}", first("actor_type_period")), ActorType::NAMES, false),
            (format!("UPDATE involvement SET role = ? {}", first("involvement")), Role::NAMES, false),
            (format!("UPDATE involvement SET basis = ? {}", first("involvement")), Basis::NAMES, false),
            (format!("UPDATE involvement SET confidence = ? {}", first("involvement")), Confidence::NAMES, false),
            (format!("UPDATE source SET type = ? {}", first("source")), SourceType::NAMES, false),
            (format!("UPDATE source SET reliability = ? {}", first("source")), Reliability::NAMES, false),
            (format!("UPDATE claim SET subject = ? {}", first("claim")), ClaimSubject::NAMES, false),
            (format!("UPDATE claim SET stance = ? {}", first("claim")), Stance::NAMES, false),
            (
                "INSERT INTO revision (at, by, entity, entity_id, action, hash) VALUES ('t', 'b', ?, 1, 'create', printf('%064d', 0))".to_string(),
                &["incident", "incident_relation", "victim", "act", "actor", "actor_type_period", "involvement", "source", "claim"],
                false,
            ),
            (
                "INSERT INTO revision (at, by, entity, entity_id, action, hash) VALUES ('t', 'b', 'act', 1, ?, printf('%064d', 0))".to_string(),
                &["create", "update", "delete", "restore", "purge", "copy"],
                false,
            ),
        ];
        for (sql, names, nullable) in cases {
            let mut candidates: Vec<Option<String>> =
                names.iter().map(|n| Some(n.to_string())).collect();
            let a = names.iter().copied().find(|n| !n.is_empty()).unwrap_or("x");
            let b = names[names.len() - 1];
            for near in [
                String::new(),
                "x".to_string(),
                a.to_uppercase(),
                format!("{a} "),
                format!("{a},{b}"),
                format!("{a}|{b}"),
                format!("'{a}'"),
                a[1..].to_string(),
                "A".to_string(),
                "ABC".to_string(),
            ] {
                if !names.contains(&near.as_str()) {
                    candidates.push(Some(near));
                }
            }
            candidates.push(None);
            for value in &candidates {
                let want = match value {
                    Some(v) => names.contains(&v.as_str()),
                    None => nullable,
                };
                let v = value.as_deref();
                assert_eq!(
                    accepts(&new, &sql, v),
                    want,
                    "new registry: {sql} with {v:?}"
                );
                assert_eq!(
                    accepts(&old, &sql, v),
                    want,
                    "old registry: {sql} with {v:?}"
                );
            }
        }
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
    /// at its old version with its rows (the real step 2 undone too), and
    /// says so.
    #[test]
    fn a_failed_last_step_leaves_the_old_version_whole() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = version_1_registry(&dir)?;
        let mut conn = Connection::open(&path)?;
        let schema = schema_of(&conn);
        let actors = count(&conn, "actor")?;
        let third = "ALTER TABLE actor ADD COLUMN website TEXT;";
        let fourth = "CREATE TABLE extra (x TEXT); INSERT INTO no_such_table VALUES (1);";
        let err = migrate_with(&mut conn, "old.db", &[UPGRADES[0], third, fourth]).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "failed to upgrade registry 'old.db' to schema version 4 (it is unchanged, still at version 1): no such table: no_such_table: Error code 1: SQL error or missing database"
        );
        drop(conn);
        let conn = Connection::open(&path)?;
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        assert_eq!(v, 1);
        assert_eq!(schema_of(&conn), schema);
        assert_eq!(count(&conn, "actor")?, actors);
        Ok(())
    }

    /// An upgrade that would leave a reference dangling is rolled back.
    #[test]
    fn an_upgrade_that_breaks_a_reference_is_rolled_back() -> Result<()> {
        let mut conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", false)?;
        migrate(&mut conn, "mem")?;
        let step = "INSERT INTO actor_type_period (actor_id, type) VALUES (99, 'armed_group');";
        let steps: Vec<&str> = UPGRADES.iter().copied().chain([step]).collect();
        let err = migrate_with(&mut conn, "mem", &steps).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "failed to upgrade registry 'mem' to schema version {}: 1 references would dangle (it is unchanged, still at version {SCHEMA_VERSION})",
                SCHEMA_VERSION + 1
            )
        );
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        assert_eq!(v, SCHEMA_VERSION);
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

//! Schema upgrades (SECURITY R12): a registry of every released schema
//! version, kept in `tests/fixtures/`, upgrades to the latest in one
//! transaction with every row kept. (A failing last step, and a reference
//! an upgrade would break, are tested in `src/db/migrate.rs`; a registry
//! newer than the program is refused untouched in `safety`.)

use std::path::Path;

use crate::fixtures::TOOFAN_BARE;
use crate::Sandbox;

fn integrity(s: &Sandbox) -> String {
    let conn = s.conn();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check")
}

/// Every table of a registry with its row count, read behind the
/// program's back.
fn table_rows(db: &Path) -> Vec<(String, i64)> {
    let conn = crate::open_keyed(db);
    let tables: Vec<String> = {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .expect("prepare");
        let rows = stmt.query_map([], |r| r.get(0)).expect("tables");
        rows.collect::<Result<_, _>>().expect("read tables")
    };
    tables
        .into_iter()
        .map(|t| {
            let n = conn
                .query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))
                .expect("count");
            (t, n)
        })
        .collect()
}

fn user_version(db: &Path) -> i64 {
    let conn = crate::open_keyed(db);
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("user_version")
}

/// R12: a registry of every released schema version (`tests/fixtures/`)
/// upgrades to the latest in one go with every row kept, no reference
/// dangling, and the file whole; every version before the latest has its
/// fixture.
#[test]
fn every_released_registry_upgrades_whole() {
    let latest = {
        let s = Sandbox::new();
        s.ok(TOOFAN_BARE);
        user_version(s.db())
    };
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut versions = vec![];
    for entry in std::fs::read_dir(&fixtures).expect("tests/fixtures") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        let Some(n) = name
            .strip_prefix("registry-v")
            .and_then(|n| n.strip_suffix(".db"))
        else {
            continue;
        };
        let version: i64 = n.parse().expect("registry-vN.db");
        versions.push(version);
        // A released registry is plaintext: opened with no key.
        let s = Sandbox::empty_plaintext();
        std::fs::copy(&path, s.db()).expect("copy the fixture");
        assert_eq!(user_version(s.db()), version, "{name}");
        let before = table_rows(s.db());
        let check = s.run(&["check"]);
        assert_eq!((check.code, check.stderr.as_str()), (0, ""), "{name}");
        assert!(
            check
                .stdout
                .starts_with("integrity:    ok\nforeign keys: ok\nrevision log: ok ("),
            "{name}: {}",
            check.stdout
        );
        assert_eq!(user_version(s.db()), latest, "{name}");
        let after = table_rows(s.db());
        // Tables a later version added start empty; none is lost.
        for (table, n) in &before {
            assert!(
                after.contains(&(table.clone(), *n)),
                "{name}: {table} had {n} rows, now {after:?}"
            );
        }
        assert_eq!(integrity(&s), "ok", "{name}");
        let conn = s.conn();
        let dangling: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .expect("foreign_key_check");
        assert_eq!(dangling, 0, "{name}");
    }
    versions.sort();
    assert!(versions.contains(&1), "no fixture of schema version 1");
    for v in 1..latest {
        assert!(
            versions.contains(&v),
            "no fixture tests/fixtures/registry-v{v}.db of a released schema version"
        );
    }
}

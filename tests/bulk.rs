//! An import into an empty registry is a bulk load (src/db/bulk.rs): the
//! rollback journal instead of the WAL, and for a plaintext registry its
//! query indexes built after the rows. What it writes is what any write
//! writes: every record checked, every row in the revision log, so `check`
//! replays and verifies it, a value changed behind the program's back is
//! caught, `--as-of` rebuilds the registry before and after the load, and
//! the registry ends with the schema and journal of one made by `init`.

use crate::{Sandbox, NOW};

/// The sample registry as a native CSV and as JSONL, exported from a
/// registry that holds it.
fn sample_exports() -> (Sandbox, String, String) {
    let source = Sandbox::new();
    source.load_sample();
    let csv = source.path("sample.csv");
    let jsonl = source.path("sample.jsonl");
    for (path, format) in [(&csv, "csv"), (&jsonl, "jsonl")] {
        source.ok(&[
            "export",
            "--format",
            format,
            "--profile",
            "full",
            "-o",
            path.to_str().expect("utf-8"),
        ]);
    }
    let (csv, jsonl) = (
        csv.to_str().expect("utf-8").to_string(),
        jsonl.to_str().expect("utf-8").to_string(),
    );
    (source, csv, jsonl)
}

/// Every table, index, view and trigger with its SQL.
fn schema(conn: &rusqlite::Connection) -> Vec<(String, String)> {
    conn.prepare("SELECT name, coalesce(sql, '') FROM sqlite_master ORDER BY name")
        .expect("read the schema")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("read the schema")
        .collect::<Result<_, _>>()
        .expect("read the schema")
}

fn journal_mode(conn: &rusqlite::Connection) -> String {
    conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("read the journal mode")
}

/// A new registry, plaintext or encrypted, as `init` makes it.
fn registry(plaintext: bool) -> Sandbox {
    if plaintext {
        let s = Sandbox::empty_plaintext();
        s.run(&["init", "--plaintext"]);
        s
    } else {
        Sandbox::new()
    }
}

/// The lines of `check`'s report that say what it verified.
fn verdict(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|l| {
            l.starts_with("revision log:") || l.starts_with("replay:") || l.starts_with("units:")
        })
        .collect()
}

#[test]
fn a_bulk_import_is_logged_whole_and_check_verifies_it() {
    let (_source, csv, jsonl) = sample_exports();
    for plaintext in [true, false] {
        for (file, format, revisions) in [(&csv, "native", 227), (&jsonl, "jsonl", 250)] {
            let s = registry(plaintext);
            let fresh = schema(&s.conn());
            let r = s.run(&["import", file, "--format", format]);
            assert_eq!(r.code, 0, "{format}: {}", r.stderr);
            assert!(
                r.stderr.ends_with(
                    "imported 18 incidents (18 added, 0 updated, 0 unchanged, 0 skipped)\n"
                ),
                "{}",
                r.stderr
            );
            let conn = s.conn();
            assert_eq!(
                schema(&conn),
                fresh,
                "the indexes are built again as they were"
            );
            assert_eq!(journal_mode(&conn), "wal");
            let r = s.run(&["check"]);
            assert_eq!(r.code, 0, "{format} plaintext={plaintext}: {}", r.stdout);
            assert_eq!(
                verdict(&r.stdout),
                [
                    format!("revision log: ok ({revisions} revisions, hash chain intact)").as_str(),
                    "replay:       ok (every table matches the revision log)",
                    // The counting units the load made in one pass.
                    "units:        ok (the counting units match a recount)",
                ],
                "{format} plaintext={plaintext}"
            );
        }
    }
}

#[test]
fn a_value_changed_after_a_bulk_import_is_caught() {
    let (_source, csv, _) = sample_exports();
    for plaintext in [true, false] {
        let s = registry(plaintext);
        s.run(&["import", &csv, "--format", "native"]);
        s.conn()
            .execute("UPDATE act SET type = 'wounded' WHERE id = 3", [])
            .expect("tamper");
        let r = s.run(&["check"]);
        assert_eq!(r.code, 1, "{}", r.stdout);
        let replay: Vec<&str> = r
            .stdout
            .lines()
            .skip_while(|l| !l.starts_with("replay:"))
            .take(2)
            .collect();
        assert_eq!(replay.len(), 2, "{}", r.stdout);
        assert_eq!(
            replay[0],
            "replay:       1 difference between the tables and the revision log"
        );
        assert_eq!(
            replay[1],
            "  act 3 (AF-2021-0002 victim 1, wounded): type is 'wounded' in the table but 'property_attacked' in the revision log"
        );
    }
}

#[test]
fn as_of_rebuilds_the_registry_before_and_after_a_bulk_import() {
    let (_source, csv, _) = sample_exports();
    let s = registry(true);
    let summary = ["summary", "--by", "country,act", "--format", "csv"];
    let stdout = |args: &[&str]| {
        let r = s.run(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        r.stdout
    };
    let empty = stdout(&summary);
    let r = s.run(&["import", &csv, "--format", "native"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let now = stdout(&summary);
    assert!(now.contains("AF,killed,"), "{now}");
    let mut after = summary.to_vec();
    after.extend(["--as-of", &NOW[..10]]);
    assert_eq!(stdout(&after), now);
    let mut before = summary.to_vec();
    before.extend(["--as-of", "2021-12-30"]);
    assert_eq!(stdout(&before), empty);
    assert_eq!(empty, "country,act,victims\ntotal,,0\n");
}

#[test]
fn a_refused_bulk_import_leaves_the_registry_as_init_made_it() {
    let (_source, csv, _) = sample_exports();
    let text = std::fs::read_to_string(&csv).expect("read the export");
    // The last row's act type, made unknown: every other row is good.
    let bad = match text.trim_end().rsplit_once(",killed,") {
        Some((head, tail)) => format!("{head},kiled,{tail}\n"),
        None => panic!("the sample has a killing on its last row"),
    };
    for plaintext in [true, false] {
        let s = registry(plaintext);
        let fresh = schema(&s.conn());
        let path = s.write("bad.csv", &bad);
        let r = s.run(&[
            "import",
            path.to_str().expect("utf-8"),
            "--format",
            "native",
        ]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(
            r.stderr
                .ends_with("rows are invalid; nothing was imported\n"),
            "{}",
            r.stderr
        );
        let conn = s.conn();
        assert_eq!(schema(&conn), fresh);
        assert_eq!(journal_mode(&conn), "wal");
        assert_eq!(s.rows("incident"), 0);
        assert_eq!(s.rows("revision"), 0);
        // And the next import is a bulk load again, whole.
        let r = s.run(&["import", &csv, "--format", "native"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(s.rows("incident"), 18);
    }
}

//! `pressreg backup`: a verified, owner-only copy that never overwrites a
//! file (SECURITY.md R10, R11), and the rule that only backup code opens a
//! second database (R23).

use std::path::Path;

use crate::Sandbox;

/// Every table of a database file with its row count, read behind the
/// program's back.
fn table_counts(path: &Path) -> Vec<(String, i64)> {
    let conn = crate::open_keyed(path);
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             ORDER BY name",
        )
        .expect("tables")
        .query_map([], |r| r.get(0))
        .expect("tables")
        .collect::<Result<_, _>>()
        .expect("tables");
    names
        .into_iter()
        .map(|t| {
            let n = conn
                .query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))
                .expect("count");
            (t, n)
        })
        .collect()
}

/// One column of a pragma's rows.
fn pragma_rows(path: &Path, pragma: &str) -> Vec<String> {
    let conn = crate::open_keyed(path);
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}")).expect(pragma);
    stmt.query_map([], |r| r.get::<_, String>(0))
        .expect(pragma)
        .collect::<Result<_, _>>()
        .expect(pragma)
}

/// R11: the backup is reported only once verified, and a reader finds in
/// it exactly what the registry holds; R10: it is owner-only.
#[test]
fn backup_is_a_verified_copy_of_every_table() {
    let s = Sandbox::new();
    s.load_sample();
    let r = s.run(&["backup", "copy.db"]);
    let head = crate::check::head_of(s.db());
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr),
        (
            0,
            "",
            format!(
                "pressreg: backed up 18 incidents and 250 revisions to 'copy.db' (verified: \
                 integrity ok, every table's row count equal)\npressreg: head of its revision \
                 log: {head} (keep this line apart from the registry and the copy: 'pressreg \
                 check --expect-head {head}' proves the log still holds it)\n"
            )
        )
    );
    let copy = s.path("copy.db");
    // R14: the head the backup printed anchors the copy and the registry.
    assert_eq!(crate::check::head_of(&copy), head);
    for db in [s.db(), copy.as_path()] {
        let r = on(db, &["check", "--expect-head", &head]);
        assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{}", r.stdout);
    }
    assert_eq!(pragma_rows(&copy, "integrity_check"), ["ok"]);
    assert_eq!(
        pragma_rows(&copy, "cipher_integrity_check"),
        Vec::<String>::new()
    );
    let counts = table_counts(&copy);
    assert_eq!(counts, table_counts(s.db()));
    assert!(counts.contains(&("incident".to_string(), 18)), "{counts:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The copy is a registry in its own right.
    let r = check(&copy);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("revision log: ok (250 revisions, hash chain intact)"),
        "{}",
        r.stdout
    );
}

/// `pressreg --db PATH check` on another file than the sandbox's registry.
pub fn check(path: &Path) -> crate::Run {
    on(path, &["check"])
}

/// `pressreg --db PATH ARGS` on another file than the sandbox's registry.
/// An encrypted file is given the sandboxes' test key (in a key file of
/// its own); a plaintext one no key, as the program requires.
pub fn on(path: &Path, args: &[&str]) -> crate::Run {
    let keys = tempfile::tempdir().expect("temporary directory");
    let key_file = keys.path().join("test.key");
    std::fs::write(&key_file, format!("{}\n", crate::TEST_KEY)).expect("write the test key");
    let plaintext = std::fs::read(path)
        .map(|b| b.starts_with(b"SQLite format 3\0"))
        .unwrap_or(false);
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_pressreg"));
    c.arg("--db")
        .arg(path)
        .args(args)
        .env("PRESSREG_NOW", crate::NOW)
        .env("PRESSREG_USER", "tester")
        .env_remove("PRESSREG_DB")
        .env_remove("PRESSREG_KEY")
        .env_remove("PRESSREG_NEW_KEY");
    if plaintext {
        c.env_remove("PRESSREG_KEY_FILE");
    } else {
        c.env("PRESSREG_KEY_FILE", &key_file);
    }
    crate::Run::from(c.output().expect("run pressreg"))
}

/// R11: a backup never writes over a file, empty or not, and leaves it as
/// it was; a path it cannot create is named.
#[test]
fn backup_refuses_an_existing_file() {
    let s = Sandbox::new();
    s.load_sample();
    let full = s.write("full.db", "keep me");
    let empty = s.write("empty.db", "");
    let cases: &[(&str, &str)] = &[
        (
            "full.db",
            "pressreg: 'full.db' already exists: a backup is never written over a file (choose a \
             new name)\n",
        ),
        (
            "empty.db",
            "pressreg: 'empty.db' already exists: a backup is never written over a file (choose a \
             new name)\n",
        ),
        (
            "registry.db",
            "pressreg: 'registry.db' already exists: a backup is never written over a file \
             (choose a new name)\n",
        ),
        (
            "no/such/dir.db",
            "pressreg: failed to create the backup 'no/such/dir.db': No such file or directory \
             (os error 2)\n",
        ),
    ];
    let before = table_counts(s.db());
    for (path, stderr) in cases {
        assert_eq!(s.fails(&["backup", path], 1), *stderr, "{path}");
    }
    assert_eq!(std::fs::read(&full).expect("read"), b"keep me");
    assert_eq!(std::fs::read(&empty).expect("read"), b"");
    assert!(!s.path("no").exists());
    assert_eq!(table_counts(s.db()), before);
}

/// A backup needs a registry to copy, and makes no file without one.
#[test]
fn backup_of_no_registry_makes_nothing() {
    let s = Sandbox::empty();
    assert_eq!(
        s.fails(&["backup", "copy.db"], 1),
        format!(
            "pressreg: no registry at '{}' (create one with 'pressreg init')\n",
            s.db().display()
        )
    );
    assert!(!s.path("copy.db").exists());
}

/// R23: no command hands SQL to the user, and only the backup code opens a
/// second database: `ATTACH` and `sqlcipher_export` appear in no other
/// source file.
#[test]
fn attach_appears_only_in_backup_code() {
    let allowed = ["src/db/backup.rs", "src/db/fieldcopy.rs"];
    let mut found = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read source");
            let name = path.to_string_lossy().replace('\\', "/");
            if (text.contains("ATTACH") || text.to_lowercase().contains("sqlcipher_export"))
                && !allowed.contains(&name.as_str())
            {
                found.push(name);
            }
        }
    }
    found.sort();
    assert_eq!(found, Vec::<String>::new());
}

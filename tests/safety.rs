//! The safety bars of SECURITY.md that the registry core answers for:
//! files that are not registries are refused and left byte for byte as they
//! were (R12, R13); new files are owner-only (R10); the revision log is
//! append-only (R15); a failed command writes nothing (R5); a second writer
//! waits, then fails cleanly (R9); two writers at once both succeed; only
//! `init` creates a registry, never on an empty file or `/dev/null`.
//! Encryption (R1–R4, R21) is in `crypt.rs`.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::fixtures::{ATTACH_TO_AF_2021_0001, TOOFAN_BARE};
use crate::Sandbox;

fn sha256(path: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(path).expect("read file")))
}

/// Every command that opens the registry, with arguments that would
/// otherwise be valid.
fn every_command() -> Vec<Vec<&'static str>> {
    let mut all: Vec<&[&str]> = vec![&["init"], TOOFAN_BARE, &["show", "AF-2021-0001"]];
    all.extend(ATTACH_TO_AF_2021_0001);
    all.extend_from_slice(&[
        &["actor", "add", "Taliban", "--type", "armed_group"],
        &["actor", "list"],
        &["actor", "show", "Taliban"],
        &["list"],
        &["edit", "AF-2021-0001", "--set", "title=x", "--reason", "r"],
        &["delete", "AF-2021-0001", "--reason", "r"],
        &["restore", "AF-2021-0001"],
        &["history", "AF-2021-0001"],
        &["check"],
        &["export"],
        &["export", "--format", "jsonl", "--profile", "full"],
        &["letter"],
    ]);
    all.iter().map(|a| a.to_vec()).collect()
}

/// Runs every command on the file at the sandbox's registry path and
/// checks each is refused with `message` and the file is unchanged.
#[track_caller]
fn refused_untouched(s: &Sandbox, message: &str) {
    let before = sha256(s.db());
    for args in every_command() {
        assert_eq!(
            s.fails(&args, 1),
            format!("pressreg: {message}\n"),
            "{args:?}"
        );
        assert_eq!(sha256(s.db()), before, "{args:?} changed the file");
    }
    let add_file = s.write(
        "one.json",
        r#"{"country": "AF", "date": "2021-08-08", "victims": [{"name": "A"}]}"#,
    );
    for command in ["add --file", "import"] {
        let mut args: Vec<&str> = command.split(' ').collect();
        args.push(add_file.to_str().expect("path"));
        assert_eq!(
            s.fails(&args, 1),
            format!("pressreg: {message}\n"),
            "{command}"
        );
        assert_eq!(sha256(s.db()), before, "{command} changed the file");
    }
}

#[test]
fn a_text_file_is_not_a_registry() {
    let s = Sandbox::empty();
    s.write("registry.db", "name,phone\nwitness,+93700000000\n");
    let message = format!(
        "'{}' is not a pressreg registry (not an SQLite database)",
        s.db().display()
    );
    refused_untouched(&s, &message);
}

/// A file that starts like an SQLite database but is not one passes the
/// header check; SQLite itself then says it is not a database, and that
/// verdict (its error code) is what refuses it.
#[test]
fn a_file_with_an_sqlite_header_and_no_database_is_not_a_registry() {
    // A plaintext header: with a key given it would be refused as "not
    // encrypted" before SQLite could say what it is.
    let s = Sandbox::empty_plaintext();
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend(std::iter::repeat_n(0xFFu8, 200));
    s.write("registry.db", bytes);
    let message = format!(
        "'{}' is not a pressreg registry (not an SQLite database)",
        s.db().display()
    );
    refused_untouched(&s, &message);
}

#[test]
fn another_programs_sqlite_database_is_not_a_registry() {
    let s = Sandbox::empty_plaintext();
    {
        let conn = rusqlite::Connection::open(s.db()).expect("create");
        conn.execute_batch(
            "CREATE TABLE contacts (name TEXT, phone TEXT);
                            INSERT INTO contacts VALUES ('witness', '+93700000000');",
        )
        .expect("fill");
    }
    let message = format!(
        "'{}' is not a pressreg registry (it is an SQLite database of another program)",
        s.db().display()
    );
    refused_untouched(&s, &message);
}

#[test]
fn a_registry_from_a_newer_pressreg_is_refused() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    {
        let conn = s.conn();
        conn.pragma_update(None, "user_version", 99)
            .expect("bump version");
    }
    let message = format!(
        "registry '{}' has schema version 99, newer than this program's (3): use a newer pressreg",
        s.db().display()
    );
    refused_untouched(&s, &message);
}

#[cfg(unix)]
#[test]
fn new_registry_files_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    // Keep the registry open so SQLite keeps its -wal and -shm files.
    let conn = s.conn();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM incident", [], |r| r.get(0))
        .expect("read");
    assert_eq!(n, 1);
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{}{suffix}", s.db().display());
        let mode = std::fs::metadata(&path)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{path} has mode {:o}", mode & 0o777);
    }
}

#[test]
fn the_revision_log_refuses_update_and_delete() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    let before = s.rows("revision");
    let conn = s.conn();
    for sql in [
        "UPDATE revision SET reason = 'tampered' WHERE id = 1",
        "DELETE FROM revision WHERE id = 1",
        "DELETE FROM revision",
    ] {
        let err = conn.execute(sql, []).expect_err(sql);
        assert_eq!(err.to_string(), "the revision log is append-only", "{sql}");
    }
    drop(conn);
    assert_eq!(s.rows("revision"), before);
}

#[test]
fn add_file_with_a_bad_second_record_writes_nothing() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    let (incidents, revisions) = (s.rows("incident"), s.rows("revision"));
    let good = r#"{"country": "AF", "date": "2021-08-09", "victims": [{"name": "A", "acts": [{"type": "killed"}]}]}"#;
    // Caught by validation, before the transaction.
    let invalid = s.write(
        "invalid.jsonl",
        format!("{good}\n{}\n", r#"{"country": "AF", "date": "2021-02-30"}"#),
    );
    assert_eq!(
        s.fails(&["add", "--file", invalid.to_str().expect("path")], 1),
        "pressreg: incident 2: date: '2021-02-30' is not a date: day 30 does not exist in that month\n"
    );
    // Caught inside the transaction, after the first incident was inserted.
    let late = s.write(
        "late.jsonl",
        format!(
            "{good}\n{}\n",
            r#"{"country": "AF", "date": "2021-08-10", "victims": [{"name": "B", "acts": [{"type": "killed", "perpetrators": [{"actor": "Nobody"}]}]}]}"#
        ),
    );
    assert_eq!(
        s.fails(&["add", "--file", late.to_str().expect("path")], 1),
        "pressreg: incident 2: unknown actor 'Nobody' (add it with 'pressreg actor add \"Nobody\" --type TYPE', or give its type)\n"
    );
    assert_eq!(s.rows("incident"), incidents);
    assert_eq!(s.rows("revision"), revisions);
    assert_eq!(s.rows("actor"), 0);
    // The reference the rolled-back insert took is handed out again.
    assert_eq!(s.ok(TOOFAN_BARE), "AF-2021-0002\n");
}

#[test]
fn a_second_writer_waits_then_fails_cleanly_and_succeeds_once_released() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    let before = s.rows("revision");
    let mut conn = s.conn();
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .expect("hold the write lock");
    let args = [
        "source",
        "add",
        "AF-2021-0001",
        "--url",
        "https://a.example",
    ];
    let started = Instant::now();
    assert_eq!(
        s.fails(&args, 1),
        "pressreg: the registry is busy: another pressreg is writing to it; try again when it is done\n"
    );
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(4500) && waited < Duration::from_secs(10),
        "waited {waited:?}, expected about 5 s"
    );
    tx.rollback().expect("release");
    drop(conn);
    assert_eq!(s.rows("revision"), before);
    assert_eq!(s.ok(&args), "1\n");
}

#[test]
fn two_writers_at_once_both_succeed() {
    let s = Sandbox::new();
    let spawn = || {
        s.cmd(TOOFAN_BARE)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn pressreg")
    };
    let (a, b) = (spawn(), spawn());
    let mut refs = Vec::new();
    for child in [a, b] {
        let out = child.wait_with_output().expect("wait");
        assert_eq!(
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).to_string()
            ),
            (Some(0), String::new())
        );
        refs.push(String::from_utf8(out.stdout).expect("utf-8"));
    }
    refs.sort();
    assert_eq!(refs, ["AF-2021-0001\n", "AF-2021-0002\n"]);
}

/// DESIGN §3: only `init` creates a registry. Every other command, reading
/// or writing, refuses a missing registry and creates nothing (a typo in
/// `--db` does not start a new, empty registry).
#[test]
fn only_init_creates_a_registry() {
    let s = Sandbox::empty();
    let message = format!(
        "pressreg: no registry at '{}' (create one with 'pressreg init')\n",
        s.db().display()
    );
    let add_file = s.write(
        "one.json",
        r#"{"country": "AF", "date": "2021-08-08", "victims": [{"name": "A"}]}"#,
    );
    let mut commands: Vec<Vec<&str>> = every_command().into_iter().skip(1).collect();
    commands.push(vec!["add", "--file", add_file.to_str().expect("path")]);
    commands.push(vec!["import", add_file.to_str().expect("path")]);
    commands.push(vec!["rekey"]);
    for args in commands {
        assert_eq!(s.fails(&args, 1), message, "{args:?}");
        let mut left: Vec<String> = std::fs::read_dir(s.dir())
            .expect("read the sandbox")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["one.json", "test.key"], "{args:?} left files behind");
    }
}

/// R13: an empty file (say, made by `touch` or `mktemp`) is not a
/// registry: no command, `init` included, turns it into one.
#[test]
fn an_empty_file_is_not_a_registry() {
    let s = Sandbox::empty();
    s.write("registry.db", "");
    let message = format!(
        "'{}' is not a pressreg registry (an empty file; 'pressreg init' makes a registry at a new path)",
        s.db().display()
    );
    refused_untouched(&s, &message);
    assert!(!s.path("registry.db-wal").exists());
}

/// R13: `/dev/null` (or any file that is not a regular file) is refused by
/// every command, `init` included.
#[cfg(unix)]
#[test]
fn dev_null_is_not_a_registry() {
    let s = Sandbox::empty();
    std::os::unix::fs::symlink("/dev/null", s.db()).expect("link /dev/null");
    let message = format!(
        "'{}' is not a pressreg registry (not a regular file)",
        s.db().display()
    );
    refused_untouched(&s, &message);
    let mode = std::fs::metadata("/dev/null").expect("stat /dev/null");
    assert!(!mode.is_file());
}

/// A crash mid-import (SIGKILL, at several moments) leaves the registry as
/// it was or, had the import committed, with all of it: never a part, and
/// never a damaged file.
#[test]
fn killing_an_import_midway_leaves_the_registry_whole() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    let mut lines = String::new();
    for n in 0..3000 {
        lines.push_str(&format!(
            r#"{{"date":"2021-05-01","country":"MX","victims":[{{"name":"Reporter {n}","acts":[{{"type":"threatened"}}]}}],"sources":[{{"url":"https://example.org/{n}"}}]}}"#
        ));
        lines.push('\n');
    }
    let file = s.write("many.jsonl", lines);
    let file = file.to_str().expect("UTF-8 path");
    let mut outcomes = std::collections::BTreeSet::new();
    for delay_ms in [5u64, 40, 120, 400] {
        let mut child = s
            .cmd(&["import", file, "--on-conflict", "skip"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the import");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL: no chance to roll back by itself
        let _ = child.wait();
        assert_eq!(
            s.run(&["check"]).code,
            0,
            "check after a kill at {delay_ms} ms"
        );
        let incidents = s.rows("incident");
        assert!(
            incidents == 1 || incidents == 3001,
            "after a kill at {delay_ms} ms the registry holds {incidents} incidents"
        );
        outcomes.insert(incidents);
    }
    assert!(
        outcomes.contains(&1),
        "no kill landed before the commit: {outcomes:?}"
    );
}

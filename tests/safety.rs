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
    // The program's own version, as its new registry carries it.
    let current: i64 = {
        let conn = s.conn();
        let v = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("read version");
        conn.pragma_update(None, "user_version", 99)
            .expect("bump version");
        v
    };
    let message = format!(
        "registry '{}' has schema version 99, newer than this program's ({current}): use a newer pressreg",
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

/// The pressreg binary built with plain SQLite instead of SQLCipher
/// (`--no-default-features --features plain-sqlite`), in a target
/// directory of its own so that it never replaces the binary the other
/// tests run. Built once per test run; the first build compiles SQLite and
/// every dependency again (about a minute and a half on two cores), later
/// ones are incremental.
fn plain_sqlite_binary() -> &'static Path {
    static BUILT: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let target = root.join("target").join("plain");
        let out = std::process::Command::new(option_env!("CARGO").unwrap_or("cargo"))
            .current_dir(root)
            .args([
                "build",
                "--locked",
                "--offline",
                "--no-default-features",
                "--features",
                "plain-sqlite",
                "--bin",
                "pressreg",
                "--target-dir",
            ])
            .arg(&target)
            // The test run's own build settings are not this build's.
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("CARGO_BUILD_TARGET_DIR")
            .stdin(Stdio::null())
            .output()
            .expect("run cargo");
        assert!(
            out.status.success(),
            "building pressreg with plain SQLite failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        target.join("debug").join("pressreg")
    })
}

/// Every file in `dir` with its SHA-256.
fn files_in(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("read the sandbox")
        .map(|e| {
            let e = e.expect("entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                sha256(&e.path()),
            )
        })
        .collect();
    files.sort();
    files
}

/// R2: a pressreg linked with plain SQLite (where `PRAGMA cipher_version`
/// returns no row) refuses every command that would open or make a
/// registry, encrypted or plaintext, in one line, exit 1, and creates or
/// changes no file. A plaintext registry is refused too: such a build
/// would create new registries unencrypted without noticing, so it is not
/// trusted with any.
#[test]
fn r2_a_build_without_sqlcipher_refuses_every_command_and_touches_nothing() {
    let plain = plain_sqlite_binary();
    let refusal = "pressreg: this pressreg was built without SQLCipher, so it cannot protect a \
                   registry: refusing to open or create one (build it with the default 'sqlcipher' \
                   feature)\n";
    let encrypted = Sandbox::new();
    encrypted.ok(TOOFAN_BARE);
    let plaintext = Sandbox::empty_plaintext();
    plaintext.run(&["init", "--plaintext"]);
    plaintext.run(TOOFAN_BARE);
    assert_eq!(plaintext.rows("incident"), 1);
    for s in [&encrypted, &plaintext] {
        let one = s.write(
            "one.json",
            r#"{"country": "AF", "date": "2021-08-08", "victims": [{"name": "A"}]}"#,
        );
        let one = one.to_str().expect("utf-8 path");
        let mut commands = every_command();
        commands.extend([
            vec!["init", "--plaintext"],
            vec!["add", "--file", one],
            vec!["import", one],
            vec!["summary"],
            vec!["export", "--profile", "full", "-o", "out.csv"],
            vec!["backup", "copy.db"],
            vec!["backup", "field.db", "--profile", "partner"],
            vec!["rekey", "--new-key-file", "new.key"],
            vec!["delete", "AF-2021-0001", "--purge", "--reason", "r"],
        ]);
        for args in commands {
            let before = files_in(s.dir());
            let mut c = std::process::Command::new(plain);
            c.current_dir(s.dir())
                .env_remove("PRESSREG_DB")
                .env_remove("PRESSREG_KEY")
                .env_remove("PRESSREG_NEW_KEY")
                .env("PRESSREG_NOW", crate::NOW)
                .env("PRESSREG_USER", "tester")
                .arg("--db")
                .arg(s.db())
                .args(&args)
                .stdin(Stdio::null());
            if std::ptr::eq(s, &encrypted) {
                c.env("PRESSREG_KEY_FILE", s.key_file());
            } else {
                c.env_remove("PRESSREG_KEY_FILE");
            }
            let r = crate::Run::from(c.output().expect("run the plain build"));
            assert_eq!(
                (r.code, r.stdout.as_str(), r.stderr.as_str()),
                (1, "", refusal),
                "{args:?}"
            );
            assert_eq!(
                files_in(s.dir()),
                before,
                "{args:?} created or changed a file"
            );
        }
        // A new registry is not made either, encrypted or not.
        for init in [&["init"][..], &["init", "--plaintext"]] {
            let mut c = std::process::Command::new(plain);
            c.current_dir(s.dir())
                .env_remove("PRESSREG_KEY")
                .arg("--db")
                .arg(s.path("fresh.db"))
                .args(init)
                .stdin(Stdio::null());
            if init.len() == 1 {
                // A key file that does not exist yet: init would write it.
                c.env("PRESSREG_KEY_FILE", s.path("fresh.key"));
            } else {
                c.env_remove("PRESSREG_KEY_FILE");
            }
            let r = crate::Run::from(c.output().expect("run the plain build"));
            assert_eq!((r.code, r.stderr.as_str()), (1, refusal), "{init:?}");
            assert!(!s.path("fresh.db").exists() && !s.path("fresh.key").exists());
        }
    }
}

/// R6: `add` killed (SIGKILL, no chance to clean up) after a random delay
/// of 0–50 ms, 200 times over, on an encrypted registry: after each kill
/// the file is whole (`integrity_check` ok, no page failing its HMAC), the
/// incident is there with its victim, act and revision rows or not at all,
/// and it is there whenever the command had already printed its ref.
/// `check` then finds the log's chain and seal whole.
#[test]
fn r6_add_killed_at_any_moment_never_corrupts_or_loses_a_confirmed_incident() {
    let s = Sandbox::new();
    // A small generator (xorshift) seeded from the clock: each run kills
    // at other moments; the seed is in every failure message.
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
        | 1;
    let start_seed = seed;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut committed, mut confirmed, mut lost) = (0i64, 0, 0);
    for round in 0..200 {
        let delay = Duration::from_micros(next() % 50_001);
        let mut child = s
            .cmd(TOOFAN_BARE)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start add");
        std::thread::sleep(delay);
        // SIGKILL (std's kill on Unix); one already done is not an error.
        let _ = child.kill();
        let out = child.wait_with_output().expect("wait for add");
        let printed = String::from_utf8_lossy(&out.stdout).into_owned();
        let at = format!("round {round} (seed {start_seed}, kill after {delay:?})");

        let conn = s.conn();
        let pragma = |sql: &str| -> Vec<String> {
            let mut stmt = conn.prepare(sql).expect("prepare");
            let rows = stmt.query_map([], |r| r.get(0)).expect("query");
            rows.collect::<Result<_, _>>().expect("read")
        };
        assert_eq!(pragma("PRAGMA integrity_check"), ["ok"], "{at}");
        assert_eq!(
            pragma("PRAGMA cipher_integrity_check"),
            Vec::<String>::new(),
            "{at}"
        );
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
        let incidents = count("SELECT count(*) FROM incident");
        assert!(
            incidents == committed || incidents == committed + 1,
            "{at}: {incidents} incidents after {committed}"
        );
        // Whole or absent: each incident has its victim, its act and the
        // revision rows that created all three.
        assert_eq!(count("SELECT count(*) FROM victim"), incidents, "{at}");
        assert_eq!(count("SELECT count(*) FROM act"), incidents, "{at}");
        for entity in ["incident", "victim", "act"] {
            assert_eq!(
                count(&format!(
                    "SELECT count(*) FROM revision WHERE entity = '{entity}' AND action = 'create'"
                )),
                incidents,
                "{at}: {entity} revisions"
            );
        }
        let reference = format!("AF-2021-{:04}", committed + 1);
        if printed.contains(&reference) {
            assert_eq!(
                incidents,
                committed + 1,
                "{at}: {reference} was confirmed, then lost"
            );
            confirmed += 1;
        } else if incidents == committed {
            lost += 1;
        }
        committed = incidents;
    }
    assert_eq!(s.run(&["check"]).code, 0, "check after 200 kills");
    // The delays must have caught both sides of the commit.
    assert!(
        confirmed > 0 && lost > 0,
        "confirmed {confirmed}, killed before the commit {lost}"
    );
}

//! Nothing lost (SECURITY R5, R7, R12): a write that fails ends the whole
//! command and leaves the registry as it was, disk full included; an
//! import never deletes or blanks what its file did not carry; an output
//! file never replaces the registry, nor any file without --force; every
//! released schema version upgrades in one transaction.

use std::path::Path;
use std::process::Command;

use crate::fixtures::TOOFAN_BARE;
use crate::{require, Sandbox};

/// A size-limited tmpfs mounted over a sandbox's directory, unmounted
/// when dropped.
struct Tmpfs<'a>(&'a Path);

impl Drop for Tmpfs<'_> {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.0).status();
    }
}

/// Mounts a tmpfs of `size` over `dir` (CI runs the tests as root; see
/// `require` for a machine where mounting is not allowed).
#[track_caller]
fn tmpfs<'a>(dir: &'a Path, size: &str) -> Option<Tmpfs<'a>> {
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0700")])
        .arg("tmpfs")
        .arg(dir)
        .output()
        .is_ok_and(|o| o.status.success());
    require(
        mounted.then_some(Tmpfs(dir)),
        "a size-limited tmpfs for the disk-full test (mount -t tmpfs needs root)",
        ".ci/run runs the tests as root, where mount -t tmpfs works",
    )
}

/// A JSONL import of `n` incidents, each with a summary of `size` bytes.
fn incidents(n: usize, size: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let summary: String = format!("incident {i} ")
            .chars()
            .cycle()
            .take(size)
            .collect();
        out.push_str(&format!(
            r#"{{"country":"AF","date":"2021-08-08","title":"Incident {i}","summary":"{summary}","victims":[{{"name":"Victim {i}","acts":[{{"type":"threatened"}}]}}]}}"#
        ));
        out.push('\n');
    }
    out
}

/// Every revision, as text, read behind the program's back.
fn revision_log(s: &Sandbox) -> Vec<String> {
    let conn = rusqlite::Connection::open(s.db()).expect("open registry");
    let mut stmt = conn
        .prepare(
            "SELECT id || ' ' || entity || ' ' || action || ' ' || hash FROM revision ORDER BY id",
        )
        .expect("prepare");
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .expect("query");
    rows.collect::<Result<_, _>>().expect("read revisions")
}

fn integrity(s: &Sandbox) -> String {
    let conn = rusqlite::Connection::open(s.db()).expect("open registry");
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check")
}

/// R7: an import much larger than SQLite's page cache fills the disk in
/// the middle of the transaction (not at its commit). It fails with the
/// disk-full message, the registry is as before, and once space is freed
/// it is intact and takes writes again.
#[test]
fn a_large_import_that_fills_the_disk_writes_nothing() {
    let s = Sandbox::new();
    let Some(_mount) = tmpfs(s.dir(), "24m") else {
        return;
    };
    s.ok(TOOFAN_BARE);
    let (count, log) = (s.rows("incident"), revision_log(&s));
    // Room the test frees afterwards, as a user would.
    let filler = s.write("filler", vec![0u8; 1 << 20]);
    // The file lies outside the tmpfs, whose every byte is for the registry.
    let elsewhere = tempfile::tempdir().expect("temporary directory");
    let input = elsewhere.path().join("large.jsonl");
    std::fs::write(&input, incidents(4000, 6000)).expect("write the import");
    let r = s.run(&["import", input.to_str().expect("utf-8 path")]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            1,
            "",
            "pressreg: disk full: nothing was written (free some space and run the command again)\n"
        )
    );
    std::fs::remove_file(filler).expect("free space");
    assert_eq!(s.rows("incident"), count);
    assert_eq!(revision_log(&s), log);
    assert_eq!(integrity(&s), "ok");
    assert_eq!(
        s.ok(&["check"]),
        "integrity:    ok\n\
foreign keys: ok\n\
revision log: ok (3 revisions, hash chain intact)\n\
incidents:    1 (0 deleted)\n\
victims:      1\n\
acts:         1\n\
actors:       0\n\
sources:      0\n\
claims:       0\n\
revisions:    3\n"
    );
    assert_eq!(s.ok(TOOFAN_BARE), "AF-2021-0002\n");
}

/// R5: a statement the registry fails to carry out after the first
/// incident is in (here a trigger planted behind the program's back) ends
/// the import; it is not listed as one more bad row.
#[test]
fn a_failed_write_in_an_import_ends_it_and_writes_nothing() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    {
        let conn = rusqlite::Connection::open(s.db()).expect("open registry");
        conn.execute_batch(
            "CREATE TRIGGER injected AFTER INSERT ON incident
             WHEN (SELECT count(*) FROM incident) > 2
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
        )
        .expect("plant the trigger");
    }
    let (count, log) = (s.rows("incident"), revision_log(&s));
    s.write("three.jsonl", incidents(3, 10));
    assert_eq!(
        s.fails(&["import", "three.jsonl"], 1),
        "pressreg: row 2: the registry failed to store this incident, so nothing was imported: \
failed to insert into incident: injected failure: Error code 1811: A RAISE function within a trigger fired\n"
    );
    assert_eq!(s.rows("incident"), count);
    assert_eq!(revision_log(&s), log);
}

//! Nothing lost (SECURITY R5, R7, R12): a write that fails ends the whole
//! command and leaves the registry as it was, disk full included; an
//! import never deletes or blanks what its file did not carry; an output
//! file never replaces the registry, nor any file without --force. (That
//! every released schema version upgrades whole is in `migrations`.)

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
    let conn = s.conn();
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
    let conn = s.conn();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check")
}

/// R7: an import much larger than SQLite's page cache fills the disk in
/// the middle of the transaction (not at its commit). It fails with the
/// disk-full message, the registry is as before, and once space is freed
/// it is intact and takes writes again.
#[test]
fn a_large_import_that_fills_the_disk_writes_nothing() {
    // The registry is made inside the tmpfs, after it is mounted.
    let s = Sandbox::empty();
    let Some(_mount) = tmpfs(s.dir(), "24m") else {
        return;
    };
    s.init();
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
        format!(
            "integrity:    ok\n\
foreign keys: ok\n\
revision log: ok (3 revisions, hash chain intact)\n\
replay:       ok (every table matches the revision log)\n\
units:        ok (the counting units match a recount)\n\
head:         {}\n\
seal:         ok (the head is sealed with the registry's key)\n\
incidents:    1 (0 deleted)\n\
victims:      1\n\
acts:         1\n\
actors:       0\n\
sources:      0\n\
claims:       0\n\
revisions:    3\n",
            crate::check::head_of(s.db())
        )
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
        let conn = s.conn();
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

fn sha256(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(std::fs::read(path).expect("read file")))
}

/// `export -o` and `summary --chart` never write over the registry or the
/// files SQLite keeps beside it, however the path is spelled, and not even
/// with --force.
#[test]
fn an_output_path_that_is_the_registry_is_refused() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    let before = sha256(s.db());
    let db = s.db().display().to_string();
    std::fs::hard_link(s.db(), s.path("linked.db")).expect("hard link");
    for (path, what) in [
        (db.clone(), "the registry itself"),
        ("registry.db".to_string(), "the registry itself"),
        ("./registry.db".to_string(), "the registry itself"),
        ("linked.db".to_string(), "the registry itself"),
        (format!("{db}-wal"), "the registry's write-ahead log"),
        (
            "registry.db-shm".to_string(),
            "the registry's shared-memory file",
        ),
        (
            "registry.db-journal".to_string(),
            "the registry's rollback journal",
        ),
    ] {
        let message = format!("pressreg: '{path}' is {what}; give another output file\n");
        for force in [false, true] {
            let mut export = vec!["export", "-o", &path];
            let mut chart = vec!["summary", "--chart", &path];
            if force {
                export.push("--force");
                chart.push("--force");
            }
            assert_eq!(s.fails(&export, 1), message, "{export:?}");
            assert_eq!(s.fails(&chart, 1), message, "{chart:?}");
        }
        assert_eq!(sha256(s.db()), before, "{path}");
    }
    assert_eq!(
        std::fs::read_dir(s.dir())
            .expect("list the sandbox")
            .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
            .filter(|n| n != "registry.db" && n != "linked.db" && n != "test.key")
            .collect::<Vec<_>>(),
        Vec::<String>::new()
    );
}

/// An existing output file is replaced only with --force.
#[test]
fn an_existing_output_file_needs_force() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    for (args, file) in [
        (vec!["export", "-o", "out.csv"], "out.csv"),
        (vec!["summary", "--chart", "c.svg"], "c.svg"),
    ] {
        s.write(file, "keep me\n");
        let r = s.run(&args);
        assert_eq!(
            (r.code, r.stderr.as_str()),
            (
                1,
                format!("pressreg: '{file}' already exists (give --force to replace it)\n")
                    .as_str()
            ),
            "{args:?}"
        );
        assert_eq!(
            std::fs::read_to_string(s.path(file)).expect("read"),
            "keep me\n"
        );
        let mut forced = args.clone();
        forced.push("--force");
        let r = s.run(&forced);
        assert_eq!(r.code, 0, "{forced:?}: {}", r.stderr);
        assert_ne!(
            std::fs::read_to_string(s.path(file)).expect("read"),
            "keep me\n"
        );
    }
}

/// --force says which file it may replace: there must be one.
#[test]
fn force_without_an_output_file_is_a_usage_error() {
    let s = Sandbox::new();
    assert_eq!(
        s.fails(&["export", "--force"], 2),
        "pressreg: the following required arguments were not provided: --output <FILE> (Usage: pressreg export --output <FILE> --force)\n"
    );
    assert_eq!(
        s.fails(&["summary", "--force"], 2),
        "pressreg: the following required arguments were not provided: --chart <FILE.svg> (Usage: pressreg summary --chart <FILE.svg> --force)\n"
    );
}

/// A signal that ends an export while it writes leaves neither the output
/// file nor its temporary file.
#[cfg(unix)]
#[test]
fn a_signal_during_an_export_leaves_no_file() {
    use std::os::unix::process::ExitStatusExt;
    use std::time::{Duration, Instant};
    let s = Sandbox::new();
    s.write("many.jsonl", incidents(3000, 2000));
    let r = s.run(&["import", "many.jsonl"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "imported 3000 incidents (3000 added, 0 updated, 0 unchanged, 0 skipped)\n"
        )
    );
    let names = |s: &Sandbox| -> Vec<String> {
        std::fs::read_dir(s.dir())
            .expect("list the sandbox")
            .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
            .filter(|n| n.contains("out.jsonl"))
            .collect()
    };
    let mut killed = 0;
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        let mut child = s
            .cmd(&["export", "--format", "jsonl", "-o", "out.jsonl"])
            .stdin(std::process::Stdio::null())
            .spawn()
            .expect("spawn export");
        // Wait for the temporary file, then stop the export while it writes.
        let start = Instant::now();
        while names(&s).is_empty() && start.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(1));
        }
        // SAFETY: kill(2) on a child this test spawned and has not reaped.
        unsafe { libc::kill(child.id() as libc::pid_t, signal) };
        let status = child.wait().expect("wait for export");
        if status.signal() == Some(signal) {
            killed += 1;
            assert_eq!(names(&s), Vec::<String>::new(), "after signal {signal}");
        } else {
            // It finished first: the file is whole, and there is no other.
            assert_eq!(names(&s), vec!["out.jsonl".to_string()]);
            std::fs::remove_file(s.path("out.jsonl")).expect("remove");
        }
    }
    assert!(killed > 0, "every export finished before its signal");
}

/// A public incident with everything a public export withholds: private
/// notes, coordinates, notes on acts and perpetrators, an anonymous victim
/// with a real name, a restricted victim, a confidential source.
const WITHHELD: &str = r#"{"uid":"00000000-0000-4000-8000-000000000001","ref":"AF-2021-0001",
 "date":"2021-03-02","country":"AF","admin1":"Nangarhar","locality":"Jalalabad",
 "latitude":34.43,"longitude":70.45,"geo_precision":1,
 "title":"Shooting","private_notes":"the witness lives in District 3",
 "victims":[
  {"uid":"00000000-0000-4000-8000-000000000002","name":"Named Reporter","private_notes":"family phone",
   "acts":[{"uid":"00000000-0000-4000-8000-000000000005","type":"killed","note":"shot at the gate",
     "perpetrators":[{"actor":"Gunmen","actor_type":"unknown","note":"two men on a motorbike"}]}]},
  {"uid":"00000000-0000-4000-8000-000000000003","name":"Real Name","anonymous":true,"name_variants":["R. Name"],
   "acts":[{"uid":"00000000-0000-4000-8000-000000000006","type":"threatened"}]},
  {"uid":"00000000-0000-4000-8000-000000000004","name":"Hidden Witness","confidentiality":"restricted",
   "acts":[{"uid":"00000000-0000-4000-8000-000000000007","type":"threatened"}]}],
 "sources":[{"publisher":"Pajhwok","url":"https://pajhwok.com/x","note":"called the editor"},
            {"type":"interview","publisher":"a colleague","confidential":true}]}"#;

/// The registry of `WITHHELD` and its full export.
fn withheld() -> (Sandbox, String) {
    let s = Sandbox::new();
    s.write("one.jsonl", WITHHELD.replace('\n', " "));
    let r = s.run(&["import", "one.jsonl"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "imported 1 incident (1 added, 0 updated, 0 unchanged, 0 skipped)\n"
        )
    );
    let full = s.ok(&["export", "--profile", "full", "--format", "jsonl"]);
    (s, full)
}

/// Re-importing pressreg's own public (or partner) export with
/// `--on-conflict update`, as a coordinator does with a file a colleague
/// sent back, deletes nothing and blanks nothing the export withheld; what
/// the colleague changed in it is taken.
#[test]
fn updating_from_a_withholding_export_keeps_what_it_withheld() {
    for profile in ["public", "partner", "internal"] {
        for format in ["csv", "jsonl"] {
            let (s, full) = withheld();
            let file = format!("sent-back.{format}");
            s.ok(&[
                "export",
                "--profile",
                profile,
                "--format",
                format,
                "-o",
                &file,
            ]);
            let r = s.run(&["import", &file, "--on-conflict", "update"]);
            assert_eq!(
                (r.code, r.stderr.as_str()),
                (
                    0,
                    "imported 0 of 1 incident (0 added, 0 updated, 1 unchanged, 0 skipped)\n"
                ),
                "{profile} {format}"
            );
            assert_eq!(
                s.ok(&["export", "--profile", "full", "--format", "jsonl"]),
                full,
                "{profile} {format}"
            );
            // The colleague corrected the title.
            let sent = std::fs::read_to_string(s.path(&file)).expect("read export");
            s.write(&file, sent.replace("Shooting", "Jalalabad shooting"));
            let r = s.run(&["import", &file, "--on-conflict", "update"]);
            assert_eq!(
                (r.code, r.stderr.as_str()),
                (
                    0,
                    "imported 1 incident (0 added, 1 updated, 0 unchanged, 0 skipped)\n"
                ),
                "{profile} {format}"
            );
            let now = s.ok(&["export", "--profile", "full", "--format", "jsonl"]);
            let mut expected: serde_json::Value = serde_json::from_str(&full).expect("JSON");
            let mut got: serde_json::Value = serde_json::from_str(&now).expect("JSON");
            expected["title"] = "Jalalabad shooting".into();
            expected["updated_at"] = got["updated_at"].clone();
            assert_eq!(got["title"], "Jalalabad shooting");
            got.as_object_mut().map(|o| o.remove("claims"));
            expected.as_object_mut().map(|o| o.remove("claims"));
            assert_eq!(got, expected, "{profile} {format}");
        }
    }
}

/// A full export edited to drop the coordinates updates both at once (the
/// registry requires both or neither).
#[test]
fn updating_coordinates_sets_latitude_and_longitude_together() {
    let (s, full) = withheld();
    let without = full.replace(r#""latitude":34.43,"longitude":70.45,"#, "");
    assert_ne!(without, full);
    s.write("edited.jsonl", &without);
    let r = s.run(&["import", "edited.jsonl", "--on-conflict", "update"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "imported 1 incident (0 added, 1 updated, 0 unchanged, 0 skipped)\n"
        )
    );
    let now: serde_json::Value =
        serde_json::from_str(&s.ok(&["export", "--profile", "full", "--format", "jsonl"]))
            .expect("JSON");
    assert_eq!(
        (&now["latitude"], &now["longitude"]),
        (&serde_json::Value::Null, &serde_json::Value::Null)
    );
}

/// What an export says of its profile is checked: a name it does not know,
/// a file mixing exports, a pseudonym with nothing to find its victim by.
#[test]
fn export_profile_marks_are_checked() {
    let (s, _) = withheld();
    let csv = s.ok(&["export"]);
    let header = csv.lines().next().expect("header");
    assert!(
        header.ends_with(",source_publishers,export_profile"),
        "{header}"
    );
    s.write("unknown.csv", csv.replace(",public\r\n", ",secret\r\n"));
    assert_eq!(
        s.fails(&["import", "unknown.csv", "--on-conflict", "update"], 1),
        "row 2, column export_profile: unknown export profile 'secret' (accepted: public, partner, internal, full)\n\
pressreg: 1 of 2 rows are invalid; nothing was imported\n"
    );
    let public = s.ok(&["export", "--format", "jsonl"]);
    assert!(
        public.starts_with(r#"{"export_profile":"public","uid":"#),
        "{public}"
    );
    // Another incident, not from an export.
    let other = r#"{"country":"AF","date":"2021-05-05","victims":[{"name":"B"}]}"#;
    s.write("mixed.jsonl", format!("{public}{other}\n"));
    assert_eq!(
        s.fails(&["import", "mixed.jsonl", "--on-conflict", "update"], 1),
        "row 2, column export_profile: none here, 'public' on row 1 (a file is one export: import each export on its own)\n\
pressreg: 1 of 2 rows are invalid; nothing was imported\n"
    );
    s.write(
        "no-uid.jsonl",
        public.replace(r#""uid":"00000000-0000-4000-8000-000000000003","#, ""),
    );
    assert_eq!(
        s.fails(&["import", "no-uid.jsonl", "--on-conflict", "update"], 1),
        "row 1: victim 'Victim AF-2021-0001-2' is anonymous in a public export, which gives a pseudonym and not the name: give its victim_uid, or add the victim with 'pressreg victim add'\n\
pressreg: 1 of 1 rows are invalid; nothing was imported\n"
    );
}

/// A full export that marks an incident deleted still deletes it on update,
/// and the revision log says so (the other fields go in one statement).
#[test]
fn updating_from_a_full_export_logs_a_deletion_as_one() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    let full = s.ok(&["export", "--profile", "full", "--format", "jsonl"]);
    s.write(
        "deleted.jsonl",
        full.replace(
            r#""created_at""#,
            r#""deleted_at":"2021-12-01T00:00:00Z","created_at""#,
        ),
    );
    let r = s.run(&["import", "deleted.jsonl", "--on-conflict", "update"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "imported 1 incident (0 added, 1 updated, 0 unchanged, 0 skipped)\n"
        )
    );
    let history = s.ok(&["history", "AF-2021-0001"]);
    assert_eq!(
        history.lines().last(),
        Some("2021-12-31T12:00:00Z  tester  delete  incident  deleted_at  (none) → '2021-12-01T00:00:00Z'  import deleted.jsonl (jsonl)")
    );
}

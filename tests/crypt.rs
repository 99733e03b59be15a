//! Encryption at rest (SECURITY.md R1–R4, R10, R21): what is on disk is
//! noise without the key; a wrong or missing key refuses in one line and
//! changes no byte; a key never shows in output, files or the command line;
//! `init` makes encrypted registries unless `--plaintext`, and a plaintext
//! registry says so on every write; `rekey` changes the key.
//!
//! Most tests use the sandbox's raw key file (fast); the passphrase path
//! (PBKDF2, about 0.2 s per open) is tested through `PRESSREG_KEY` and a
//! pseudo-terminal.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::fixtures::{ATTACH_TO_AF_2021_0001, TOOFAN_BARE};
use crate::{Run, Sandbox, NOW, TEST_KEY};

/// Changes to a command's environment: a None value removes the variable.
type Env<'a> = Vec<(&'a str, Option<&'a str>)>;

/// Every file in `dir` with the SHA-256 of its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .expect("read the sandbox")
        .map(|e| {
            let e = e.expect("entry");
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (
                e.file_name().to_string_lossy().into_owned(),
                hex::encode(Sha256::digest(bytes)),
            )
        })
        .collect()
}

/// Whether `needle` occurs anywhere in `hay`.
fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Runs `args` with the environment of the sandbox changed by `env`
/// (a None value removes the variable).
fn run_env(s: &Sandbox, args: &[&str], env: &[(&str, Option<&str>)]) -> Run {
    let mut c = s.cmd(args);
    for (k, v) in env {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    Run::from(c.stdin(Stdio::null()).output().expect("run pressreg"))
}

/// Every command that opens a registry, with arguments that are otherwise
/// valid on a registry holding AF-2021-0001.
fn every_command() -> Vec<Vec<&'static str>> {
    let mut all: Vec<&[&str]> = vec![&["init"], TOOFAN_BARE, &["show", "AF-2021-0001"]];
    all.extend(ATTACH_TO_AF_2021_0001);
    all.extend_from_slice(&[
        &["actor", "add", "Taliban", "--type", "armed_group"],
        &["actor", "list"],
        &["list"],
        &["edit", "AF-2021-0001", "--set", "title=x", "--reason", "r"],
        &["delete", "AF-2021-0001", "--reason", "r"],
        &["restore", "AF-2021-0001"],
        &["history", "AF-2021-0001"],
        &["check"],
        &["export", "--format", "jsonl", "--profile", "full"],
        &["summary", "--year", "2021"],
        &["letter"],
        &["rekey", "--new-key-file", "new.key"],
    ]);
    all.iter().map(|a| a.to_vec()).collect()
}

/// Every command run with `env` fails with exactly `message`, and no file
/// of the sandbox changes (nor does one appear: no -wal, -shm or key file).
#[track_caller]
fn every_command_refused(s: &Sandbox, env: &[(&str, Option<&str>)], message: &str) {
    let before = snapshot(s.dir());
    for args in every_command() {
        let r = run_env(s, &args, env);
        assert_eq!(
            (r.code, r.stdout.as_str(), r.stderr.as_str()),
            (1, "", message),
            "{args:?}"
        );
        assert_eq!(snapshot(s.dir()), before, "{args:?} changed a file");
    }
}

/// Marker strings, one in each table a user's words reach.
const CANARIES: &[&str] = &[
    "CanaryTitle",
    "CanarySummary",
    "CanaryPlace",
    "CanaryProvince",
    "CanaryVictim",
    "CanaryOutlet",
    "CanaryActor",
    "canary-source.example",
    "CanaryPublisher",
    "+93700123456",
    "CanaryClaim",
    "CanaryReason",
];

/// Writes every canary into the sandbox's registry through the program.
fn plant_canaries(s: &Sandbox) {
    s.ok(&["actor", "add", "CanaryActor", "--type", "armed_group"]);
    s.ok(&[
        "add",
        "--date",
        "2021-08-08",
        "--country",
        "AF",
        "--title",
        "CanaryTitle",
        "--summary",
        "CanarySummary",
        "--place",
        "CanaryPlace",
        "--admin1",
        "CanaryProvince",
        "--victim",
        "CanaryVictim",
        "--outlet",
        "CanaryOutlet",
        "--act",
        "killed",
        "--actor",
        "CanaryActor",
        "--source-url",
        "https://canary-source.example/report",
        "--publisher",
        "CanaryPublisher (witness +93700123456)",
        "--confidential-source",
    ]);
    s.ok(&[
        "claim",
        "add",
        "AF-2021-0001",
        "--source",
        "1",
        "--field",
        "admin2",
        "--value",
        "CanaryClaim",
    ]);
    s.ok(&[
        "edit",
        "AF-2021-0001",
        "--set",
        "verification=corroborated",
        "--reason",
        "CanaryReason",
    ]);
}

/// The bytes of the registry and of each companion file that exists.
fn registry_files(s: &Sandbox) -> Vec<(String, Vec<u8>)> {
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .filter_map(|suffix| {
            let p = format!("{}{suffix}", s.db().display());
            std::fs::read(&p).ok().map(|b| (p, b))
        })
        .collect()
}

/// R1: with every table holding a marker, no marker is in the registry,
/// its -wal or its -shm, and the file does not start with SQLite's
/// header. A plaintext registry with the same content shows the markers
/// (so the scan does find what is there).
#[test]
fn r1_an_encrypted_registry_shows_no_content_on_disk() {
    let s = Sandbox::new();
    // A reader kept open keeps the -wal and -shm files, and the frames
    // the commands write, on disk for the scan.
    let held = s.conn();
    let _: i64 = held
        .query_row("SELECT count(*) FROM incident", [], |r| r.get(0))
        .expect("read");
    plant_canaries(&s);
    assert_eq!(s.rows("incident"), 1);
    let files = registry_files(&s);
    let wal = files.iter().find(|(p, _)| p.ends_with("-wal"));
    assert!(
        wal.is_some_and(|(_, b)| b.len() > 4096),
        "the test needs a -wal file with frames in it"
    );
    assert!(files.iter().any(|(p, _)| p.ends_with("-shm")));
    for (path, bytes) in &files {
        for canary in CANARIES {
            assert!(!contains(bytes, canary), "{canary} is readable in {path}");
        }
    }
    assert_ne!(&files[0].1[..16], b"SQLite format 3\0");
    drop(held);

    let plain = Sandbox::empty();
    let r = run_env(
        &plain,
        &["init", "--plaintext"],
        &[("PRESSREG_KEY_FILE", None)],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for args in [
        &["actor", "add", "CanaryActor", "--type", "armed_group"][..],
        &[
            "add",
            "--date",
            "2021-08-08",
            "--country",
            "AF",
            "--victim",
            "CanaryVictim",
            "--act",
            "killed",
        ],
    ] {
        assert_eq!(
            run_env(&plain, args, &[("PRESSREG_KEY_FILE", None)]).code,
            0
        );
    }
    let bytes: Vec<u8> = registry_files(&plain)
        .into_iter()
        .flat_map(|(_, b)| b)
        .collect();
    assert!(contains(&bytes, "CanaryVictim") && contains(&bytes, "CanaryActor"));
}

/// R11 through R1's scan: a backup of an encrypted registry is keyed as
/// the registry is, so no marker is in the copy's bytes, and the copy
/// opens with the registry's key.
#[test]
fn r11_an_encrypted_backup_shows_no_content_on_disk() {
    let s = Sandbox::new();
    plant_canaries(&s);
    let r = s.run(&["backup", "copy.db"]);
    let head = crate::check::head_of(s.db());
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr),
        (
            0,
            "",
            format!(
                "pressreg: backed up 1 incidents and 9 revisions to 'copy.db' (verified: \
                 integrity ok, every table's row count equal)\npressreg: head of its revision \
                 log: {head} (keep this line apart from the registry and the copy: 'pressreg \
                 check --expect-head {head}' proves the log still holds it)\n"
            )
        )
    );
    let copy = std::fs::read(s.path("copy.db")).expect("read the backup");
    for canary in CANARIES {
        assert!(
            !contains(&copy, canary),
            "{canary} is readable in the backup"
        );
    }
    assert_ne!(&copy[..16], b"SQLite format 3\0");
    let r = crate::backup::check(&s.path("copy.db"));
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{}", r.stdout);
}

/// R3: a registry made with one key, opened with another (a key file or
/// a passphrase): exit 1, one line, no byte of any file changed, and none
/// of SQLCipher's own `ERROR CORE` log.
#[test]
fn r3_a_wrong_key_is_refused_in_one_line_and_changes_nothing() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    let other = s.write("other.key", format!("{}\n", "ab".repeat(32)));
    let other = other.to_str().expect("path");
    let message = format!(
        "pressreg: '{}' does not open with the key file '{other}': wrong key, or not a pressreg registry\n",
        s.db().display()
    );
    every_command_refused(&s, &[("PRESSREG_KEY_FILE", Some(other))], &message);
    // The passphrase path, once (each try costs a key derivation).
    let before = snapshot(s.dir());
    let r = run_env(
        &s,
        &["list"],
        &[
            ("PRESSREG_KEY_FILE", None),
            ("PRESSREG_KEY", Some("not the key of this registry")),
        ],
    );
    assert_eq!(
        (r.code, r.stderr),
        (
            1,
            format!(
                "pressreg: '{}' does not open with PRESSREG_KEY: wrong key, or not a pressreg registry\n",
                s.db().display()
            )
        )
    );
    assert_eq!(snapshot(s.dir()), before);
    assert_eq!(s.rows("incident"), 1);
}

/// R21: in key-file mode, without the key file every command says the key
/// is unavailable and leaves the registry as it is: destroying the key
/// file is destroying the data (crypto-shred).
#[test]
fn r21_without_its_key_file_nothing_opens_the_registry() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    std::fs::remove_file(s.key_file()).expect("destroy the key file");
    let message = format!(
        "pressreg: key unavailable: the key file '{}' (PRESSREG_KEY_FILE) does not exist; without it the registry cannot be opened\n",
        s.key_file().display()
    );
    every_command_refused(&s, &[], &message);
    // Nor does it open with no key given at all, off a terminal.
    let message = format!(
        "pressreg: key unavailable: '{}' is encrypted and no key was given (set PRESSREG_KEY_FILE to its key file or PRESSREG_KEY to its passphrase, or run on a terminal to type it)\n",
        s.db().display()
    );
    every_command_refused(&s, &[("PRESSREG_KEY_FILE", None)], &message);
}

/// A key given for a plaintext registry is refused, not ignored: the user
/// believes the data is encrypted (the bug where PRESSREG_KEY was silently
/// ignored and the file written in plaintext).
#[test]
fn a_key_given_for_a_plaintext_registry_is_refused() {
    let s = Sandbox::empty();
    let r = run_env(&s, &["init", "--plaintext"], &[("PRESSREG_KEY_FILE", None)]);
    assert_eq!(r.code, 0);
    let message = format!(
        "pressreg: '{}' is not encrypted, but PRESSREG_KEY_FILE is set: refusing to use it as if it were (unset PRESSREG_KEY_FILE to open this plaintext registry)\n",
        s.db().display()
    );
    every_command_refused(&s, &[], &message);
    let message = format!(
        "pressreg: '{}' is not encrypted, but PRESSREG_KEY is set: refusing to use it as if it were (unset PRESSREG_KEY to open this plaintext registry)\n",
        s.db().display()
    );
    every_command_refused(
        &s,
        &[
            ("PRESSREG_KEY_FILE", None),
            ("PRESSREG_KEY", Some("a long enough passphrase")),
        ],
        &message,
    );
}

/// `init --plaintext` says what it means, and every write to a plaintext
/// registry says it again; reads do not.
#[test]
fn a_plaintext_registry_is_told_on_every_write() {
    let s = Sandbox::empty();
    let plain = [("PRESSREG_KEY_FILE", None)];
    let r = run_env(&s, &["init", "--plaintext"], &plain);
    assert_eq!(
        (r.code, r.stdout, r.stderr),
        (
            0,
            format!("{}\n", s.db().display()),
            "pressreg: created a new registry that is NOT encrypted (--plaintext): anyone who gets the file can read it; keep only public data in it\n".to_string()
        )
    );
    let note = "pressreg: note: this registry is not encrypted (made with 'init --plaintext'): keep only public data in it\n";
    let r = run_env(&s, TOOFAN_BARE, &plain);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "AF-2021-0001\n", note)
    );
    for args in ATTACH_TO_AF_2021_0001 {
        let r = run_env(&s, args, &plain);
        assert_eq!((r.code, r.stderr.as_str()), (0, note), "{args:?}");
    }
    for args in [
        &["list"][..],
        &["check"],
        &["init", "--plaintext"],
        &["init"],
    ] {
        let r = run_env(&s, args, &plain);
        assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{args:?}");
    }
    // A refused write wrote nothing, so it says only why.
    let r = run_env(
        &s,
        &[
            "source",
            "add",
            "XX-2021-0001",
            "--url",
            "https://a.example",
        ],
        &plain,
    );
    assert_eq!(r.code, 1);
    assert!(!r.stderr.contains("note:"), "{}", r.stderr);
}

/// `init` without a key and without a terminal, with two keys, with a
/// short passphrase, or with --plaintext and a key: refused, nothing made.
#[test]
fn init_needs_exactly_one_key_or_plaintext() {
    let s = Sandbox::empty();
    let cases: [(&[&str], Env, String); 4] = [
        (
            &["init"],
            vec![("PRESSREG_KEY_FILE", None)],
            "pressreg: no key for the new registry: set PRESSREG_KEY_FILE to a key file (a new random key is written there if it does not exist), or PRESSREG_KEY to a passphrase, or run on a terminal to type one\n".to_string(),
        ),
        (
            &["init"],
            vec![("PRESSREG_KEY", Some("a long enough passphrase"))],
            "pressreg: both PRESSREG_KEY_FILE and PRESSREG_KEY are set: give the key one way (unset one of them)\n".to_string(),
        ),
        (
            &["init"],
            vec![("PRESSREG_KEY_FILE", None), ("PRESSREG_KEY", Some("short pass"))],
            "pressreg: PRESSREG_KEY is too short (10 characters; accepted: at least 12, e.g. four or five unrelated words)\n".to_string(),
        ),
        (
            &["init", "--plaintext"],
            vec![],
            "pressreg: --plaintext and PRESSREG_KEY_FILE contradict each other: unset PRESSREG_KEY_FILE, or drop --plaintext to encrypt\n".to_string(),
        ),
    ];
    let before = snapshot(s.dir());
    for (args, env, message) in &cases {
        let r = run_env(&s, args, env);
        assert_eq!(
            (r.code, r.stdout.as_str(), r.stderr.as_str()),
            (1, "", message.as_str())
        );
        assert_eq!(snapshot(s.dir()), before, "{args:?} {env:?}");
    }
}

/// `init` with a key file that does not exist yet writes a new random key
/// there (owner-only); run again, it changes nothing and says nothing.
#[test]
fn init_writes_a_new_key_file_and_is_idempotent() {
    let s = Sandbox::empty();
    let key = s.path("usb.key");
    let k = key.to_str().expect("path");
    let r = run_env(&s, &["init"], &[("PRESSREG_KEY_FILE", Some(k))]);
    assert_eq!(
        (r.code, r.stdout, r.stderr),
        (
            0,
            format!("{}\n", s.db().display()),
            format!("pressreg: created a new encrypted registry; its key is in the new key file '{k}': keep that file apart from the registry (on removable media), since whoever has both can read it and without it nothing can be read back\n")
        )
    );
    let text = std::fs::read_to_string(&key).expect("the key file");
    assert!(text.len() == 65 && text.ends_with('\n'), "{text:?}");
    assert!(text[..64].bytes().all(|b| b.is_ascii_hexdigit()));
    assert_ne!(&text[..64], TEST_KEY);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let before = snapshot(s.dir());
    let r = run_env(&s, &["init"], &[("PRESSREG_KEY_FILE", Some(k))]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert_eq!(r.stdout, format!("{}\n", s.db().display()));
    assert_eq!(snapshot(s.dir()), before);
    let r = run_env(&s, TOOFAN_BARE, &[("PRESSREG_KEY_FILE", Some(k))]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "AF-2021-0001\n"));
}

/// A key file that is not one is named, with what is accepted.
#[test]
fn a_key_file_that_is_not_a_key_is_refused() {
    let s = Sandbox::new();
    let bad = s.write("bad.key", "correct horse battery staple\n");
    let bad = bad.to_str().expect("path");
    let r = run_env(&s, &["list"], &[("PRESSREG_KEY_FILE", Some(bad))]);
    assert_eq!(
        (r.code, r.stderr),
        (
            1,
            format!("pressreg: '{bad}' is not a pressreg key file (accepted: 64 hexadecimal characters, as 'pressreg init' writes)\n")
        )
    );
}

/// R4 (environment): a passphrase in PRESSREG_KEY opens the registry and
/// appears in no output and no file; no flag takes a key.
#[test]
fn r4_a_passphrase_from_the_environment_is_never_shown_or_stored() {
    let s = Sandbox::empty();
    let pass = "Zebra-Quartz-Lantern-7731";
    let env = [("PRESSREG_KEY_FILE", None), ("PRESSREG_KEY", Some(pass))];
    let mut seen = String::new();
    for args in [
        &["init"][..],
        TOOFAN_BARE,
        &["list"],
        &["show", "AF-2021-0001", "--format", "json"],
        &[
            "export",
            "--profile",
            "full",
            "--format",
            "jsonl",
            "-o",
            "full.jsonl",
        ],
        &["history", "AF-2021-0001"],
        &["check"],
    ] {
        let r = run_env(&s, args, &env);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        seen.push_str(&r.stdout);
        seen.push_str(&r.stderr);
    }
    assert!(seen.contains("AF-2021-0001"));
    assert!(!seen.contains(pass));
    for (name, _) in snapshot(s.dir()) {
        let bytes = std::fs::read(s.path(&name)).expect("read");
        assert!(!contains(&bytes, pass), "{name} holds the passphrase");
    }
    assert!(s.path("full.jsonl").exists());
    // No flag accepts a key: it would show in `ps` and shell history.
    for flag in ["--key", "--passphrase", "--password", "--key-hex"] {
        let r = run_env(&s, &["list", flag, pass], &env);
        assert_eq!(r.code, 2, "{flag}");
        assert!(
            r.stderr
                .starts_with(&format!("pressreg: unexpected argument '{flag}' found")),
            "{}",
            r.stderr
        );
        assert!(!r.stderr.contains(pass), "{}", r.stderr);
    }
}

/// A pseudo-terminal session driven by `script` (util-linux): what was
/// shown on the terminal is collected as it comes, so a test can wait for
/// a prompt before typing.
struct Terminal {
    child: std::process::Child,
    shown: Arc<Mutex<Vec<u8>>>,
}

impl Terminal {
    fn start(s: &Sandbox, args: &str, env: &[(&str, &str)]) -> Terminal {
        let line = format!(
            "'{}' --db '{}' {args}",
            env!("CARGO_BIN_EXE_pressreg"),
            s.db().display()
        );
        let mut c = Command::new("script");
        c.args(["-qefc", &line, "/dev/null"])
            .current_dir(s.dir())
            .env_remove("PRESSREG_DB")
            .env_remove("PRESSREG_KEY")
            .env_remove("PRESSREG_KEY_FILE")
            .env_remove("PRESSREG_NEW_KEY")
            .env("PRESSREG_NOW", NOW)
            .env("PRESSREG_USER", "tester")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (k, v) in env {
            c.env(k, v);
        }
        let mut child = c.spawn().expect("start script");
        let mut out = child.stdout.take().expect("stdout");
        let shown = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&shown);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = out.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().expect("lock").extend_from_slice(&buf[..n]);
            }
        });
        Terminal { child, shown }
    }

    /// Waits until the terminal has shown `text` (at most 30 s).
    #[track_caller]
    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while !contains(&self.shown.lock().expect("lock"), text) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the terminal never showed {text:?}; it showed {:?}",
                String::from_utf8_lossy(&self.shown.lock().expect("lock"))
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn type_line(&mut self, text: &str) {
        let stdin = self.child.stdin.as_mut().expect("stdin");
        stdin
            .write_all(format!("{text}\n").as_bytes())
            .and_then(|_| stdin.flush())
            .expect("type");
    }

    /// Waits for the end; returns the exit code and all the terminal showed.
    fn finish(mut self) -> (i32, String) {
        drop(self.child.stdin.take());
        let status = self.child.wait().expect("wait for script");
        // The reader thread ends with the pseudo-terminal.
        std::thread::sleep(Duration::from_millis(100));
        let shown = String::from_utf8_lossy(&self.shown.lock().expect("lock")).into_owned();
        (status.code().unwrap_or(-1), shown)
    }
}

/// R4 (prompt): a passphrase typed at the terminal, twice for `init`, once
/// to open, is not echoed, and appears in no output and no file.
#[test]
fn r4_a_passphrase_typed_at_the_terminal_is_not_echoed_or_stored() {
    if !crate::pseudo_terminal() {
        return;
    }
    let s = Sandbox::empty();
    let pass = "Walnut-Orbit-Fjord-4412";
    let mut t = Terminal::start(&s, "init", &[]);
    t.wait_for("New passphrase for the new registry: ");
    t.type_line(pass);
    t.wait_for("The same passphrase again: ");
    t.type_line(pass);
    let (code, shown) = t.finish();
    assert_eq!(code, 0, "{shown}");
    assert!(
        shown.contains("created a new encrypted registry (key: the passphrase typed)"),
        "{shown}"
    );
    assert!(!shown.contains(pass), "the passphrase was echoed: {shown}");

    let mut t = Terminal::start(
        &s,
        "add --date 2021-08-08 --country AF --victim 'Toofan Omar' --act killed",
        &[],
    );
    t.wait_for(&format!("Passphrase for '{}': ", s.db().display()));
    t.type_line(pass);
    let (code, shown) = t.finish();
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("AF-2021-0001"), "{shown}");
    assert!(!shown.contains(pass), "the passphrase was echoed: {shown}");

    // The same passphrase from the environment opens what was typed.
    let r = run_env(
        &s,
        &["list", "--format", "csv"],
        &[("PRESSREG_KEY_FILE", None), ("PRESSREG_KEY", Some(pass))],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Toofan Omar"));
    for (name, _) in snapshot(s.dir()) {
        let bytes = std::fs::read(s.path(&name)).expect("read");
        assert!(!contains(&bytes, pass), "{name} holds the passphrase");
    }

    // Two different passphrases: nothing is made.
    let other = Sandbox::empty();
    let mut t = Terminal::start(&other, "init", &[]);
    t.wait_for("New passphrase for the new registry: ");
    t.type_line(pass);
    t.wait_for("The same passphrase again: ");
    t.type_line("Walnut-Orbit-Fjord-4413");
    let (code, shown) = t.finish();
    assert_eq!(code, 1);
    assert!(
        shown.contains("pressreg: the two passphrases differ; nothing was changed"),
        "{shown}"
    );
    assert!(!other.db().exists());
}

/// `rekey` from the sandbox's key file to a new one: the data is intact,
/// the new key opens it, the old one no longer does; then to a passphrase
/// and back.
#[test]
fn rekey_changes_the_key_and_the_old_one_no_longer_opens() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    let listed = s.ok(&["list", "--format", "csv"]);
    let new_key = s.path("new.key");
    let n = new_key.to_str().expect("path");
    let r = s.run(&["rekey", "--new-key-file", n]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr),
        (
            0,
            "",
            format!(
                "pressreg: '{}' is now encrypted with the key file '{n}'; the old key no longer opens it (copies made before still open with it)\n",
                s.db().display()
            )
        )
    );
    let old = s.run(&["list"]);
    assert_eq!(old.code, 1);
    assert!(old.stderr.contains("wrong key"), "{}", old.stderr);
    let with_new = [("PRESSREG_KEY_FILE", Some(n))];
    let r = run_env(&s, &["list", "--format", "csv"], &with_new);
    assert_eq!((r.code, r.stdout.as_str()), (0, listed.as_str()));
    assert_eq!(run_env(&s, &["check"], &with_new).code, 0);

    // To a passphrase (PRESSREG_NEW_KEY), and the passphrase opens it.
    let pass = "Copper-Meadow-Signal-2208";
    let r = run_env(
        &s,
        &["rekey"],
        &[
            ("PRESSREG_KEY_FILE", Some(n)),
            ("PRESSREG_NEW_KEY", Some(pass)),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(run_env(&s, &["list"], &with_new).code, 1);
    let r = run_env(
        &s,
        &["list", "--format", "csv"],
        &[("PRESSREG_KEY_FILE", None), ("PRESSREG_KEY", Some(pass))],
    );
    assert_eq!((r.code, r.stdout.as_str()), (0, listed.as_str()));
}

/// `rekey` with no new key, or on a plaintext registry, is refused and
/// changes nothing.
#[test]
fn rekey_refusals_change_nothing() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    let before = snapshot(s.dir());
    assert_eq!(
        s.fails(&["rekey"], 1),
        "pressreg: no key for the registry: set PRESSREG_KEY_FILE to a key file (a new random key is written there if it does not exist), or PRESSREG_NEW_KEY to a passphrase, or run on a terminal to type one\n"
    );
    assert_eq!(snapshot(s.dir()), before);

    let p = Sandbox::empty();
    let plain = [("PRESSREG_KEY_FILE", None)];
    assert_eq!(run_env(&p, &["init", "--plaintext"], &plain).code, 0);
    let before = snapshot(p.dir());
    let r = run_env(&p, &["rekey", "--new-key-file", "new.key"], &plain);
    assert_eq!(
        (r.code, r.stderr),
        (
            1,
            format!(
                "pressreg: '{}' is not encrypted, so it has no key to change (to encrypt it, export it with --profile full --format jsonl and import that into a registry made by 'pressreg init')\n",
                p.db().display()
            )
        )
    );
    assert_eq!(snapshot(p.dir()), before);
}

/// R10 for an encrypted registry: the file and its -wal and -shm are
/// owner-only.
#[cfg(unix)]
#[test]
fn r10_encrypted_registry_files_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let s = Sandbox::new();
    let held = s.conn();
    let _: i64 = held
        .query_row("SELECT count(*) FROM incident", [], |r| r.get(0))
        .expect("read");
    s.ok(TOOFAN_BARE);
    let paths: Vec<PathBuf> = ["", "-wal", "-shm"]
        .iter()
        .map(|x| PathBuf::from(format!("{}{x}", s.db().display())))
        .collect();
    for p in paths {
        let mode = std::fs::metadata(&p)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{}", p.display());
    }
}

/// `rekey` needs the registry to itself: with another connection reading
/// it, it fails as busy, and the old key still opens everything.
#[test]
fn rekey_while_the_registry_is_in_use_is_busy_and_changes_nothing() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    let held = s.conn();
    let _: i64 = held
        .query_row("SELECT count(*) FROM incident", [], |r| r.get(0))
        .expect("read");
    let r = s.run(&["rekey", "--new-key-file", "new.key"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "pressreg: the registry is busy: another pressreg is writing to it; try again when it is done\n"
        )
    );
    assert!(!s.path("new.key").exists());
    drop(held);
    assert_eq!(s.ok(&["list", "--format", "csv"]).lines().count(), 2);
}

/// With no --db, the registry is pressreg.db in the user's data directory:
/// a command other than `init` creates not even that directory; `init`
/// makes it owner-only.
#[test]
fn only_init_creates_the_default_data_directory() {
    let s = Sandbox::empty();
    let data = s.path("xdg");
    let registry = data.join("pressreg").join("pressreg.db");
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_pressreg"))
            .args(args)
            .current_dir(s.dir())
            .env_remove("PRESSREG_DB")
            .env_remove("PRESSREG_KEY")
            .env("PRESSREG_KEY_FILE", s.key_file())
            .env("XDG_DATA_HOME", &data)
            .env("PRESSREG_NOW", NOW)
            .stdin(Stdio::null())
            .output()
            .expect("run pressreg");
        Run::from(out)
    };
    for args in [&["list"][..], TOOFAN_BARE] {
        let r = run(args);
        assert_eq!(
            (r.code, r.stderr),
            (
                1,
                format!(
                    "pressreg: no registry at '{}' (create one with 'pressreg init')\n",
                    registry.display()
                )
            ),
            "{args:?}"
        );
        assert!(!data.exists(), "{args:?} created the data directory");
    }
    let r = run(&["init"]);
    assert_eq!((r.code, r.stdout), (0, format!("{}\n", registry.display())));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = registry.parent().expect("data directory");
        let mode = std::fs::metadata(dir).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
    assert_eq!(run(TOOFAN_BARE).stdout, "AF-2021-0001\n");
}

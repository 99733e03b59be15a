//! The one integration-test crate: every test drives the real binary in a
//! hermetic sandbox (its own temporary directory and registry, a pinned
//! clock and user, no inherited registry or colour settings) and asserts
//! what a user would see: whole stdout, stderr and exit code.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod act;
mod actor;
mod add;
mod asof;
mod backup;
mod bulk;
mod check;
mod claim;
mod cpj;
mod crypt;
mod delete;
mod duplicates;
mod edit;
mod entry;
mod erase;
mod errors;
mod export;
mod exposure;
mod fixtures;
mod help;
mod history;
mod hostile;
mod import;
mod letter;
mod list;
mod looks;
mod merge;
mod merge_records;
mod migrations;
mod nothing_lost;
mod perpetrator;
mod profiles;
mod prompt;
mod readme;
mod roundtrip;
mod safety;
mod sample;
mod show;
mod source;
mod summary;
mod tempfiles;
mod units;
mod uspft;
mod victim;

/// The pinned "now" of every test: the end of the sample year.
pub const NOW: &str = "2021-12-31T12:00:00Z";

/// The raw 256-bit key of every sandbox's registry, in its key file: a raw
/// key skips SQLCipher's 0.2 s key derivation, so the suite stays fast
/// (`tests/crypt.rs` covers the passphrase path).
pub const TEST_KEY: &str = "70726573737265672074657374206b65792c206e657665722075736564212121";

/// A connection to the registry file at `path` behind the program's back,
/// keyed with [`TEST_KEY`] unless the file is a plaintext SQLite database
/// (a `--plaintext` registry, the v1 fixture): keyed like the program's.
#[track_caller]
pub fn open_keyed(path: &Path) -> rusqlite::Connection {
    let plaintext = std::fs::read(path)
        .map(|b| b.starts_with(b"SQLite format 3\0"))
        .unwrap_or(false);
    let conn = rusqlite::Connection::open(path).expect("open registry");
    if !plaintext {
        conn.pragma_update(None, "key", format!("x'{TEST_KEY}'"))
            .expect("key the registry");
    }
    conn
}

/// A temporary directory with a registry path, its key file, and a pinned
/// environment.
pub struct Sandbox {
    dir: tempfile::TempDir,
    db: PathBuf,
    key_file: PathBuf,
    /// Commands get `PRESSREG_KEY_FILE` (false: no key at all).
    keyed: bool,
}

/// What a command printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Sandbox {
    /// A sandbox with a new, empty registry, encrypted with [`TEST_KEY`]
    /// (made by `init`, as a user makes one).
    #[track_caller]
    pub fn new() -> Sandbox {
        let s = Sandbox::empty();
        s.init();
        s
    }

    /// Makes the sandbox's registry with `init`, encrypted with [`TEST_KEY`]
    /// (writing the key file again: a test may have mounted a file system
    /// over the sandbox's directory).
    #[track_caller]
    pub fn init(&self) {
        std::fs::write(&self.key_file, format!("{TEST_KEY}\n")).expect("write the test key");
        let s = self;
        let r = s.run(&["init"]);
        assert_eq!(
            (r.code, r.stderr.as_str()),
            (
                0,
                format!(
                    "pressreg: created a new encrypted registry (key: the key file '{}')\n",
                    s.key_file.display()
                )
                .as_str()
            ),
            "init failed"
        );
    }

    /// A sandbox with no registry file yet (its key file exists), for
    /// `init` itself and for what other commands do without a registry.
    pub fn empty() -> Sandbox {
        let dir = tempfile::tempdir().expect("temporary directory");
        let db = dir.path().join("registry.db");
        let key_file = dir.path().join("test.key");
        std::fs::write(&key_file, format!("{TEST_KEY}\n")).expect("write the test key");
        Sandbox {
            dir,
            db,
            key_file,
            keyed: true,
        }
    }

    /// A sandbox with no registry file yet whose commands are given no
    /// key: for plaintext registries (`init --plaintext`).
    pub fn empty_plaintext() -> Sandbox {
        Sandbox {
            keyed: false,
            ..Sandbox::empty()
        }
    }

    /// The key file every command is given (`PRESSREG_KEY_FILE`).
    pub fn key_file(&self) -> &Path {
        &self.key_file
    }

    /// A connection to the registry behind the program's back, keyed like
    /// the program's (for checks, and for damage a test does on purpose).
    #[track_caller]
    pub fn conn(&self) -> rusqlite::Connection {
        open_keyed(&self.db)
    }

    /// The sandbox directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The registry path every command is given.
    pub fn db(&self) -> &Path {
        &self.db
    }

    /// A path inside the sandbox.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file inside the sandbox and returns its path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, contents).expect("write fixture");
        p
    }

    /// The command `pressreg --db <registry> ARGS`, in the sandbox.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_pressreg"));
        c.current_dir(self.dir.path())
            .env_remove("PRESSREG_DB")
            .env_remove("PRESSREG_KEY")
            .env_remove("PRESSREG_NEW_KEY")
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            // Tables fit COLUMNS when it is set: a test's output must not
            // depend on the terminal `cargo test` runs in.
            .env_remove("COLUMNS")
            // Summaries count from the stored units unless a test asks
            // for the streamed count (tests/units.rs compares the two).
            .env_remove("PRESSREG_STREAM_COUNTS")
            .env("PRESSREG_NOW", NOW)
            .env("PRESSREG_USER", "tester")
            .arg("--db")
            .arg(&self.db)
            .args(args);
        if self.keyed {
            c.env("PRESSREG_KEY_FILE", &self.key_file);
        } else {
            c.env_remove("PRESSREG_KEY_FILE");
        }
        c
    }

    /// Runs a command with no input.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = self
            .cmd(args)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run pressreg");
        Run::from(out)
    }

    /// Runs a command with `input` on stdin.
    pub fn run_with_input(&self, args: &[&str], input: &str) -> Run {
        use std::io::Write;
        let mut child = self
            .cmd(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn pressreg");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
        Run::from(child.wait_with_output().expect("wait for pressreg"))
    }

    /// Runs a command that must succeed silently; returns its stdout.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert_eq!(
            (r.code, r.stderr.as_str()),
            (0, ""),
            "pressreg {args:?}\nstdout:\n{}",
            r.stdout
        );
        r.stdout
    }

    /// Runs a command that must fail with `code` and print nothing on
    /// stdout; returns its stderr.
    #[track_caller]
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let r = self.run(args);
        assert_eq!(r.code, code, "pressreg {args:?}\nstderr:\n{}", r.stderr);
        assert_eq!(r.stdout, "", "pressreg {args:?} printed on stdout");
        r.stderr
    }

    /// How many rows `table` of the registry holds (0 when there is no
    /// registry file), read behind the program's back.
    #[track_caller]
    pub fn rows(&self, table: &str) -> i64 {
        if !self.db.exists() {
            return 0;
        }
        self.conn()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .expect("count rows")
    }

    /// Loads the sample registry of `data/` into this sandbox.
    #[track_caller]
    pub fn load_sample(&self) {
        let data = fixtures::sample_path();
        let r = self.run(&["add", "--file", data.to_str().expect("utf-8 path")]);
        assert_eq!(r.code, 0, "loading the sample failed: {}", r.stderr);
    }
}

impl Default for Sandbox {
    fn default() -> Self {
        Sandbox::new()
    }
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        Run {
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
            code: out.status.code().unwrap_or(-1),
        }
    }
}

/// Whether this is CI's run (`CI=true`, as `.ci/run` is started there).
fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The one rule for a test that needs something from the machine (the real
/// data, python3 with pandas, a pseudo-terminal): `found` is Some when it is
/// here, and the test runs. When it is missing:
/// - under `CI=true` the test fails, naming `what` is missing and `install`,
///   how `.ci/run` provides it, so a green CI means every test really ran;
/// - elsewhere (a developer's machine) the test returns without checking
///   anything, after a `NOT RUN` note written straight to the process's
///   stderr: past the test harness's capture, so the note shows in
///   `cargo test`'s output although the test is counted as passed.
#[track_caller]
pub fn require<T>(found: Option<T>, what: &str, install: &str) -> Option<T> {
    if found.is_some() {
        return found;
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let at = std::panic::Location::caller();
    if under_ci() {
        panic!("CI=true and {what} is missing, so {test} cannot run: {install}");
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "NOT RUN: {test} ({at}): {what} is missing: {install} (under CI=true this test fails)"
    );
    None
}

/// A file of `../shared/realdata` (see its README.md), or None when the real
/// data is not beside the checkout (see [`require`]).
#[track_caller]
pub fn realdata(name: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/realdata")
        .join(name);
    let what = format!("the real data {}", p.display());
    require(
        p.exists().then_some(p),
        &what,
        "it is not in the repository; put shared/ beside the checkout (CI lays it there; .ci/run checks it is there first)",
    )
}

/// Whether util-linux's `script` can run a command on a pseudo-terminal
/// here, as the tests of what pressreg does on a terminal need (see
/// [`require`] for what happens when it cannot).
#[track_caller]
pub fn pseudo_terminal() -> bool {
    let opened = std::process::Command::new("script")
        .args(["-qec", "true", "/dev/null"])
        .stdin(std::process::Stdio::null())
        .output();
    let (what, install) = match opened {
        Err(_) => (
            "util-linux's `script` (to run pressreg on a pseudo-terminal)",
            ".ci/run installs it with apt-get install bsdutils",
        ),
        Ok(out) if !out.status.success() => (
            "a pseudo-terminal (`script -qec true /dev/null` failed)",
            "the machine must let a process open /dev/ptmx; .ci/run cannot provide one",
        ),
        Ok(_) => return true,
    };
    require(None::<()>, what, install).is_some()
}

/// Whether tmux is here, as the tests that type into pressreg's questions
/// and read the screen need (tests/prompt.rs; see [`require`]).
#[track_caller]
pub fn tmux() -> bool {
    let found = std::process::Command::new("tmux")
        .arg("-V")
        .stdin(std::process::Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success());
    require(
        found.then_some(()),
        "tmux (to type into pressreg's questions and read the screen)",
        ".ci/run installs it with apt-get install tmux",
    )
    .is_some()
}

/// The rule of [`require`] itself, end to end: this very test binary runs
/// one test that needs `script`, with nothing on PATH. Under CI=true it
/// fails naming what is missing and how .ci/run installs it; elsewhere it
/// passes with a NOT RUN line on stderr.
#[test]
fn a_missing_need_fails_under_ci_and_is_only_noted_elsewhere() {
    let empty = tempfile::tempdir().expect("temporary directory");
    let test = "show::show_escapes_control_and_bidi_characters_on_a_terminal";
    let run = |ci: bool| {
        let mut c = Command::new(std::env::current_exe().expect("this test binary"));
        c.args(["--exact", test]).env("PATH", empty.path());
        if ci {
            c.env("CI", "true");
        } else {
            c.env_remove("CI");
        }
        Run::from(c.output().expect("run the test binary"))
    };
    let missing = "util-linux's `script` (to run pressreg on a pseudo-terminal) is missing";
    let install = ".ci/run installs it with apt-get install bsdutils";
    let r = run(true);
    assert_eq!(r.code, 101, "{}", r.stdout);
    assert!(
        r.stdout.contains(&format!(
            "CI=true and {missing}, so {test} cannot run: {install}\n"
        )),
        "{}",
        r.stdout
    );
    let r = run(false);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stdout.contains("test result: ok. 1 passed"),
        "{}",
        r.stdout
    );
    // The note names the test, then where it needed the missing thing
    // (tests/show.rs, at a line that moves as the file changes).
    let note = r
        .stderr
        .lines()
        .find(|l| l.starts_with("NOT RUN: "))
        .unwrap_or_default();
    assert!(
        note.starts_with(&format!("NOT RUN: {test} (tests/show.rs:"))
            && note.ends_with(&format!(
                "): {missing}: {install} (under CI=true this test fails)"
            )),
        "{}",
        r.stderr
    );
}

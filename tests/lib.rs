//! The one integration-test crate: every test drives the real binary in a
//! hermetic sandbox (its own temporary directory and registry, a pinned
//! clock and user, no inherited registry or colour settings) and asserts
//! what a user would see: whole stdout, stderr and exit code.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod actor;
mod add;
mod asof;
mod attach;
mod check;
mod claims;
mod cpj;
mod delete;
mod edit;
mod errors;
mod export;
mod exposure;
mod history;
mod import;
mod letter;
mod list;
mod profiles;
mod prompt;
mod readme;
mod roundtrip;
mod safety;
mod sample;
mod show;
mod summary;
mod uspft;

/// The pinned "now" of every test: the end of the sample year.
pub const NOW: &str = "2021-12-31T12:00:00Z";

/// A temporary directory with a registry path and a pinned environment.
pub struct Sandbox {
    dir: tempfile::TempDir,
    db: PathBuf,
}

/// What a command printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Sandbox {
    /// A new, empty sandbox (the registry file does not exist yet).
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temporary directory");
        let db = dir.path().join("registry.db");
        Sandbox { dir, db }
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
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env("PRESSREG_NOW", NOW)
            .env("PRESSREG_USER", "tester")
            .arg("--db")
            .arg(&self.db)
            .args(args);
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
        let conn = rusqlite::Connection::open(&self.db).expect("open registry");
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .expect("count rows")
    }

    /// Loads the sample registry of `data/` into this sandbox.
    #[track_caller]
    pub fn load_sample(&self) {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/incidents.jsonl");
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

/// A file of `../shared/realdata`, or None (with a note on stderr) when the
/// real data is not beside the checkout.
pub fn realdata(name: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/realdata")
        .join(name);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "SKIPPED: {} not found; real-data checks need ../shared/realdata",
            p.display()
        );
        None
    }
}

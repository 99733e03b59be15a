//! No plaintext temporary files (SECURITY R22): under `strace`, a large
//! import, export and sorted list open nothing but the registry, its
//! journals, the named input and the requested output (written under a
//! temporary name beside it and renamed into place, so it is the output
//! itself), plus the system's own read-only files. SQLite's sorter and
//! temporary tables stay in memory (`temp_store = MEMORY`, src/db/mod.rs).

use std::path::Path;

use crate::{require, Sandbox};

/// Whether `strace` can trace a process here (see [`require`]).
fn strace() -> bool {
    let traced = std::process::Command::new("strace")
        .args(["-o", "/dev/null", "true"])
        .stdin(std::process::Stdio::null())
        .output();
    let (what, install) = match traced {
        Err(_) => (
            "strace (to see which files pressreg opens)",
            ".ci/run installs it with apt-get install strace",
        ),
        Ok(out) if !out.status.success() => (
            "permission to trace a process (`strace -o /dev/null true` failed)",
            "the machine must allow ptrace; .ci/run cannot provide it",
        ),
        Ok(_) => return true,
    };
    require(None::<()>, what, install).is_some()
}

/// Runs pressreg with `args` under strace and returns each file it opened
/// successfully, with whether it opened it for writing.
fn opened(s: &Sandbox, args: &[&str]) -> Vec<(String, bool)> {
    let log = s.path("strace.log");
    let cmd = s.cmd(args);
    let program = cmd.get_program().to_owned();
    let argv: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
    let mut traced = std::process::Command::new("strace");
    traced
        .args(["-f", "-qq", "-e", "trace=open,openat,creat", "-o"])
        .arg(&log)
        .arg(program)
        .args(argv);
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => traced.env(k, v),
            None => traced.env_remove(k),
        };
    }
    let out = traced
        .current_dir(s.dir())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run strace");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&log).expect("read strace log");
    std::fs::remove_file(&log).expect("remove strace log");
    text.lines()
        .filter(|l| !l.contains("= -1 "))
        .filter_map(|l| {
            let path = l.split('"').nth(1)?;
            let flags = l.rsplit_once("\", ")?.1;
            let writes = ["O_WRONLY", "O_RDWR", "O_CREAT"]
                .iter()
                .any(|f| flags.contains(f))
                || l.contains("creat(");
            Some((path.to_string(), writes))
        })
        .collect()
}

/// What in `opened` is not the registry, its journals, `input` or
/// `output` (or its temporary name beside it), nor their directory, nor a
/// read-only file of the system outside the sandbox.
fn strangers(s: &Sandbox, opened: &[(String, bool)], input: &str, output: &str) -> Vec<String> {
    let dir = s.dir();
    let registry = s
        .db()
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    let key_file = s
        .key_file()
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    // The key file is read, never written (a write would show as one).
    let ours = |name: &str| {
        name == registry
            || name == key_file
            || ["-wal", "-shm", "-journal"]
                .iter()
                .any(|j| name == format!("{registry}{j}"))
            || name == input
            || name == output
            || (name.starts_with(&format!(".{output}.")) && name.ends_with(".tmp"))
    };
    opened
        .iter()
        .filter(|(path, writes)| {
            let p = Path::new(path);
            // The directory itself is opened to make a rename durable.
            if p == dir || path == "." {
                return false;
            }
            let inside = p.is_relative() || p.starts_with(dir);
            match (inside, p.file_name().and_then(|n| n.to_str())) {
                (true, Some(name)) => !ours(name),
                (true, None) => true,
                (false, _) => *writes,
            }
        })
        .map(|(path, writes)| format!("{path} ({})", if *writes { "written" } else { "read" }))
        .collect()
}

#[test]
fn a_large_import_export_and_sort_open_no_temporary_file() {
    if !strace() {
        return;
    }
    let s = Sandbox::new();
    let mut jsonl = String::new();
    for i in 0..3000 {
        jsonl.push_str(&format!(
            r#"{{"country":"AF","title":"Incident {i}","date":"2021-{:02}-{:02}","summary":"{}","victims":[{{"name":"Victim {i}","acts":[{{"type":"killed"}}]}}]}}"#,
            i % 12 + 1,
            i % 28 + 1,
            "words ".repeat(50)
        ));
        jsonl.push('\n');
    }
    s.write("big.jsonl", jsonl);
    let import = opened(&s, &["import", "big.jsonl"]);
    assert_eq!(s.rows("incident"), 3000);
    let export = opened(&s, &["export", "--format", "csv", "-o", "out.csv"]);
    assert!(s.path("out.csv").exists());
    let sorted = opened(&s, &["list", "--format", "csv", "--from", "2021-06"]);
    let mut found = strangers(&s, &import, "big.jsonl", "");
    found.extend(strangers(&s, &export, "", "out.csv"));
    found.extend(strangers(&s, &sorted, "", ""));
    assert_eq!(found, Vec::<String>::new());
    // The trace did see the registry (the test would pass vacuously if
    // strace saw nothing).
    assert!(
        export.iter().any(|(p, _)| p.ends_with("registry.db-wal")),
        "{export:?}"
    );
    assert!(
        export.iter().any(|(p, w)| p.ends_with(".tmp") && *w),
        "{export:?}"
    );
}

/// The filter itself: what SQLite's spilled sorter, a stray copy of the
/// output or a file read beside the registry would open is named, and the
/// registry, its journals, the output's temporary name and the system's
/// read-only files are not.
#[test]
fn a_temporary_file_is_named() {
    let s = Sandbox::new();
    let dir = s.dir().display().to_string();
    let opened: Vec<(String, bool)> = [
        (format!("{dir}/registry.db"), true),
        (format!("{dir}/registry.db-wal"), true),
        ("./.out.csv.123.tmp".to_string(), true),
        ("/usr/lib/x86_64-linux-gnu/libc.so.6".to_string(), false),
        ("/var/tmp/etilqs_3f2a".to_string(), true),
        (format!("{dir}/out.csv.bak"), true),
        (format!("{dir}/notes.txt"), false),
    ]
    .into_iter()
    .collect();
    assert_eq!(
        strangers(&s, &opened, "", "out.csv"),
        [
            "/var/tmp/etilqs_3f2a (written)".to_string(),
            format!("{dir}/out.csv.bak (written)"),
            format!("{dir}/notes.txt (read)"),
        ]
    );
}

//! The README's tour is executed: every ```console block in README.md is
//! run, command by command, in one fresh sandbox per block, and what each
//! command prints (stdout then stderr) must equal the lines under it. So the
//! README can never drift from what the program prints.
//!
//! Conventions in README.md:
//! * a line `$ pressreg …` (or any `$ ` command) is run with `sh -c` in a
//!   temporary directory holding a link to the checkout's `data/`;
//! * `PRESSREG_DB` points at a registry in that directory and
//!   `PRESSREG_KEY_FILE` at `registry.key` beside it (`init` writes it), the
//!   clock is pinned (`PRESSREG_NOW=2021-12-31T12:00:00Z`), the user is
//!   `analyst`;
//! * the lines up to the next `$ ` line are the expected output; a last
//!   line `[exit N]` expects that exit code (else 0); `[..]` in an expected
//!   line matches any text there (a temporary path).

use std::path::Path;
use std::process::Command;

struct Step {
    line: usize,
    command: String,
    expected: String,
    code: i32,
}

fn console_blocks(readme: &str) -> Vec<Vec<Step>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<Step>> = None;
    for (i, line) in readme.lines().enumerate() {
        match &mut current {
            None if line.trim_start() == "```console" => current = Some(Vec::new()),
            None => {}
            Some(steps) if line.trim_start() == "```" => {
                blocks.push(std::mem::take(steps));
                current = None;
            }
            Some(steps) => {
                if let Some(cmd) = line.strip_prefix("$ ") {
                    steps.push(Step {
                        line: i + 1,
                        command: cmd.to_string(),
                        expected: String::new(),
                        code: 0,
                    });
                } else if let Some(step) = steps.last_mut() {
                    if let Some(code) = line
                        .strip_prefix("[exit ")
                        .and_then(|r| r.strip_suffix(']'))
                    {
                        step.code = code.parse().expect("[exit N] with a number");
                    } else {
                        step.expected.push_str(line);
                        step.expected.push('\n');
                    }
                }
            }
        }
    }
    blocks
}

/// Whether `got` equals `expected`, where `[..]` in an expected line
/// stands for any text within that line.
fn matches(expected: &str, got: &str) -> bool {
    let (e, g): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), got.lines().collect());
    e.len() == g.len()
        && expected.ends_with('\n') == got.ends_with('\n')
        && e.iter().zip(&g).all(|(e, g)| line_matches(e, g))
}

fn line_matches(expected: &str, got: &str) -> bool {
    let parts: Vec<&str> = expected.split("[..]").collect();
    if parts.len() == 1 {
        return expected == got;
    }
    let mut rest = got;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    true
}

#[test]
fn readme_tour_prints_what_the_readme_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_pressreg"))
        .parent()
        .expect("bin dir");
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let blocks = console_blocks(&readme);
    assert!(!blocks.is_empty(), "README.md has no console blocks");
    let mut failures = Vec::new();
    for block in blocks {
        let dir = tempfile::tempdir().expect("temporary directory");
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("data"), dir.path().join("data")).expect("link data/");
        for step in block {
            let out = Command::new("sh")
                .arg("-c")
                .arg(&step.command)
                .current_dir(dir.path())
                .env("PATH", &path)
                .env("PRESSREG_DB", dir.path().join("registry.db"))
                .env("PRESSREG_NOW", "2021-12-31T12:00:00Z")
                .env("PRESSREG_USER", "analyst")
                .env("COLUMNS", "100")
                .env_remove("NO_COLOR")
                .env_remove("PRESSREG_KEY")
                .env_remove("PRESSREG_NEW_KEY")
                .env("PRESSREG_KEY_FILE", dir.path().join("registry.key"))
                .output()
                .expect("run sh");
            let mut got = String::from_utf8_lossy(&out.stdout).into_owned();
            got.push_str(&String::from_utf8_lossy(&out.stderr));
            let code = out.status.code().unwrap_or(-1);
            if !matches(&step.expected, &got) || code != step.code {
                failures.push(format!(
                    "README.md:{}: $ {}\n--- expected (exit {})\n{}--- got (exit {})\n{}",
                    step.line, step.command, step.code, step.expected, code, got
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The quick start is one command that ends with a populated registry, a
/// list, a summary, a chart and a letter: run after its build step (the
/// binary under test stands for `target/release/pressreg`), it succeeds,
/// and the chart it draws is byte for byte `docs/summary-2021.svg`, the
/// image the README shows.
#[test]
fn the_quick_start_draws_the_chart_the_readme_shows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let build = "cargo build --release --locked && P=target/release/pressreg && ";
    let line = readme
        .lines()
        .find(|l| l.starts_with(build))
        .expect("the quick start's command in README.md");
    let rest = &line[build.len()..];
    assert!(readme.contains("![") && readme.contains("](docs/summary-2021.svg)"));
    let dir = tempfile::tempdir().expect("temporary directory");
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("data"), dir.path().join("data")).expect("link data/");
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("P='{}' && {rest}", env!("CARGO_BIN_EXE_pressreg")))
        .current_dir(dir.path())
        .env_remove("PRESSREG_DB")
        .env_remove("PRESSREG_KEY")
        .env_remove("PRESSREG_KEY_FILE")
        .env_remove("COLUMNS")
        .env("PRESSREG_USER", "analyst")
        .output()
        .expect("run sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("AF-2021-0013"), "{stdout}");
    assert!(stdout.contains("Profile victims"), "{stdout}");
    assert!(
        stdout.contains("AF-2021-0008 — On 8 August 2021"),
        "{stdout}"
    );
    let letter = std::fs::read_to_string(dir.path().join("letter-2021.csv")).expect("the letter");
    assert_eq!(letter.lines().count(), 19, "{letter}");
    let drawn = std::fs::read(dir.path().join("summary-2021.svg")).expect("the chart");
    let shown = std::fs::read(root.join("docs/summary-2021.svg")).expect("docs/summary-2021.svg");
    assert!(
        drawn == shown,
        "docs/summary-2021.svg is not what the quick start draws: copy the new chart there"
    );
}

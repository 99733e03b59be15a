//! The speed bars of PERFORMANCE.md, measured side by side with the sqlite3
//! shell doing the same work on the same data in the same run.
//!
//! Run: `cargo bench` (N = 100,000 acts) or `BENCH_ACTS=1000000 cargo bench`.
//! Needs `sqlite3` and `/usr/bin/time` on the PATH. Prints one row per bar
//! with both wall times, the ratio and the bar; peak memory (max RSS) is
//! read from `/usr/bin/time`.
//!
//! Data: a generator below writes a registry-shaped JSONL (skewed countries,
//! several victims for some incidents, 1–3 perpetrators per act, sources,
//! Arabic and Pashto names, commas, quotes and newlines in text). pressreg
//! loads it and exports the native CSV; that CSV is what both pressreg
//! (`import`) and the shell (`.import` into one flat table) load for B1.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A small deterministic generator (xorshift64*), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Index into a list whose first items are much likelier (Zipf-like).
    fn skewed(&mut self, n: usize) -> usize {
        let a = self.below(n);
        let b = self.below(n);
        a.min(b).min(self.below(n))
    }
}

const COUNTRIES: &[&str] = &[
    "AF", "IQ", "SY", "PH", "MX", "PK", "CO", "IN", "SO", "RU", "DZ", "BR", "UA", "YE", "HN", "BD",
    "TR", "NG", "CD", "SD", "LY", "PS", "IL", "GT", "VE", "PE", "NP", "LK", "MM", "KE", "ET", "CM",
    "GR", "NL", "GE", "US", "GB", "FR", "DE", "ES", "IT", "EG", "SA", "IR", "KZ", "TJ", "AZ", "BY",
    "ZW", "UG", "TZ", "GH", "ML", "BF", "NE", "TD", "CF", "SS", "HT", "EC",
];
const FIRST: &[&str] = &[
    "Ahmad",
    "Mina",
    "Danish",
    "Gustavo",
    "Peter",
    "Maria",
    "احمد",
    "مینه",
    "Nematullah",
    "Sadia",
    "Ali Reza",
    "Hamid",
    "Giorgos",
    "Aleksandre",
    "Zhanna",
    "O'Brien",
    "José",
];
const LAST: &[&str] = &[
    "Khairi",
    "Siddiqui",
    "Sánchez",
    "de Vries",
    "Karaivaz",
    "Hemat",
    "Sharifi",
    "Omar",
    "خیری",
    "Seighani",
    "Lashkarava",
    "Wahidi, Jr.",
    "\"Par Gyi\"",
    "Nguyen",
    "Okafor",
];
const ACTS: &[&str] = &[
    "killed",
    "wounded",
    "assaulted",
    "threatened",
    "detained",
    "kidnapped",
    "harassed",
    "equipment_seized",
    "charged",
    "denied_access",
    "attempted_killing",
    "hostage",
];
const ACTORS: &[(&str, &str)] = &[
    ("Taliban", "armed_group"),
    ("Islamic State Khorasan Province", "armed_group"),
    ("National police", "state_police"),
    ("Army", "state_military"),
    ("Cartel del Golfo", "criminal_group"),
    ("Unknown perpetrator", "unknown"),
    ("Mob", "mob"),
    ("Ministry of Information", "state_official"),
];

/// Writes `acts` acts' worth of incidents as JSONL; returns the path.
fn generate(dir: &Path, acts: usize) -> PathBuf {
    let path = dir.join("generated.jsonl");
    let mut rng = Rng(0x5eed_1234_abcd_9876);
    let mut out = String::with_capacity(acts * 900);
    let mut written = 0;
    let mut n = 0;
    let actor_defs: Vec<String> = ACTORS
        .iter()
        .map(|(name, t)| format!(r#"{{"name":"{name}","types":[{{"type":"{t}"}}]}}"#))
        .collect();
    while written < acts {
        n += 1;
        let country = COUNTRIES[rng.skewed(COUNTRIES.len())];
        let year = 1992 + rng.below(30);
        let date = format!("{year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28));
        let victims = if rng.below(10) == 0 {
            2 + rng.below(3)
        } else {
            1
        };
        let mut vs = Vec::new();
        for _ in 0..victims {
            let acts_here = 1 + usize::from(rng.below(4) == 0);
            let mut a = Vec::new();
            for _ in 0..acts_here {
                let t = ACTS[rng.skewed(ACTS.len())];
                let perps = 1 + rng.below(3);
                let p: Vec<String> = (0..perps)
                    .map(|_| {
                        let (actor, _) = ACTORS[rng.below(ACTORS.len())];
                        format!(
                            r#"{{"actor":"{actor}","basis":"official_accusation","confidence":"possible"}}"#
                        )
                    })
                    .collect();
                let dc = if t == "killed" {
                    r#","death_context":"targeted""#
                } else {
                    ""
                };
                a.push(format!(
                    r#"{{"type":"{t}"{dc},"perpetrators":[{}]}}"#,
                    p.join(",")
                ));
                written += 1;
            }
            let name = format!(
                "{} {}",
                FIRST[rng.below(FIRST.len())],
                LAST[rng.below(LAST.len())]
            );
            vs.push(format!(
                r#"{{"name":{},"sex":"{}","outlet":"Radio {n}, \"Voice\" of {country}","jobs":["reporter"],"mediums":["radio"],"acts":[{}]}}"#,
                serde_like_string(&name),
                if rng.below(5) == 0 { "female" } else { "male" },
                a.join(",")
            ));
        }
        let _ = writeln!(
            out,
            r#"{{"date":"{date}","country":"{country}","admin1":"Province {}","place":"Road {n}, near the market","summary":"Line one, with a comma.\nLine two \"quoted\".","verification":"corroborated","work_link":"confirmed","victims":[{}],"sources":[{{"url":"https://example.org/report/{n}","publisher":"Example News"}}],"actors":[{}]}}"#,
            rng.below(30),
            vs.join(","),
            actor_defs.join(",")
        );
    }
    std::fs::write(&path, out).expect("write generated data");
    path
}

/// A JSON string literal (names hold quotes and non-ASCII letters).
fn serde_like_string(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// Wall seconds and peak memory (MiB) of one whole-process run.
struct Measure {
    secs: f64,
    max_rss_mib: f64,
}

fn measure(dir: &Path, program: &str, args: &[&str], stdin: Option<&Path>) -> Measure {
    let mut cmd = Command::new("/usr/bin/time");
    cmd.arg("-f")
        .arg("@@%e %M")
        .arg(program)
        .args(args)
        .current_dir(dir);
    cmd.env("PRESSREG_NOW", "2024-01-01T00:00:00Z")
        .env("PRESSREG_USER", "bench");
    if let Some(p) = stdin {
        cmd.stdin(std::fs::File::open(p).expect("stdin file"));
    }
    cmd.stdout(std::process::Stdio::null());
    // Wall time from here (microseconds); /usr/bin/time's own figure has a
    // 10 ms resolution, too coarse for a one-incident add. Both sides pay
    // the same small wrapper cost.
    let start = std::time::Instant::now();
    let out = cmd.output().expect("run /usr/bin/time");
    let secs = start.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{program} {args:?} failed:\n{err}");
    let line = err
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("@@"))
        .expect("time output");
    let mut it = line.split_whitespace();
    let _coarse_secs = it.next();
    let kib: f64 = it.next().and_then(|s| s.parse().ok()).expect("max rss");
    Measure {
        secs,
        max_rss_mib: kib / 1024.0,
    }
}

/// Makes an empty registry `db` in `dir` with `init` (not measured):
/// plaintext, or encrypted with the key the environment gives.
fn init(dir: &Path, bin: &str, db: &str, plaintext: bool) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("{db}{suffix}")));
    }
    let mut c = Command::new(bin);
    c.current_dir(dir).args(["--db", db, "init"]);
    if plaintext {
        c.arg("--plaintext");
    }
    let out = c.output().expect("run init");
    assert!(
        out.status.success(),
        "init {db} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A pressreg figure against another pressreg figure (encrypted against
/// plaintext).
fn versus(id: &str, work: &str, ours: &Measure, base: &Measure, bar: f64) {
    let ratio = ours.secs / base.secs.max(0.001);
    println!(
        "{id:<3} {work:<44} pressreg {:>8.4}s  plaintext {:>8.4}s  ratio {:>5.2}  bar ≤ {bar:.2}  {}",
        ours.secs,
        base.secs,
        ratio,
        if ratio <= bar { "ok" } else { "MISSED" }
    );
}

/// The median of `runs` measurements.
fn median(runs: usize, mut f: impl FnMut() -> Measure) -> Measure {
    let mut all: Vec<Measure> = (0..runs).map(|_| f()).collect();
    all.sort_by(|a, b| a.secs.total_cmp(&b.secs));
    all.swap_remove(runs / 2)
}

fn row(id: &str, work: &str, ours: &Measure, shell: &Measure, bar: f64) {
    let ratio = ours.secs / shell.secs.max(0.001);
    println!(
        "{id:<3} {work:<44} pressreg {:>8.4}s  sqlite3 {:>8.4}s  ratio {:>5.2}  bar ≤ {bar:.2}  {}",
        ours.secs,
        shell.secs,
        ratio,
        if ratio <= bar { "ok" } else { "MISSED" }
    );
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument is ignored.
    let acts: usize = std::env::var("BENCH_ACTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let bin = env!("CARGO_BIN_EXE_pressreg");
    let tmp = tempfile::tempdir().expect("temporary directory");
    let dir = tmp.path();
    println!(
        "pressreg benchmark: {acts} acts, median of {runs} runs, in {}",
        dir.display()
    );

    // The plaintext figures first: no key from the caller's environment.
    std::env::remove_var("PRESSREG_KEY");
    std::env::remove_var("PRESSREG_KEY_FILE");
    let jsonl = generate(dir, acts);
    let seed_db = dir.join("seed.db");
    let seed = seed_db.to_str().expect("utf-8");
    init(dir, bin, seed, true);
    measure(
        dir,
        bin,
        &[
            "--db",
            seed,
            "import",
            jsonl.to_str().expect("utf-8"),
            "--format",
            "jsonl",
        ],
        None,
    );
    let csv = dir.join("acts.csv");
    measure(
        dir,
        bin,
        &[
            "--db",
            seed,
            "export",
            "--format",
            "csv",
            "--profile",
            "full",
            "-o",
            csv.to_str().expect("utf-8"),
        ],
        None,
    );
    let csv_s = csv.to_str().expect("utf-8");

    // B1: import into an empty registry vs the shell's .import of the same CSV.
    let b1 = median(runs, || {
        init(dir, bin, "b1.db", true);
        measure(
            dir,
            bin,
            &["--db", "b1.db", "import", csv_s, "--format", "native"],
            None,
        )
    });
    let flat = dir.join("flat.db");
    let s1 = median(runs, || {
        let _ = std::fs::remove_file(&flat);
        measure(
            dir,
            "sqlite3",
            &["flat.db", &format!(".import --csv {csv_s} flat")],
            None,
        )
    });
    row(
        "B1",
        "import N acts (full model vs one flat table)",
        &b1,
        &s1,
        1.0,
    );

    // B2: summaries.
    let b2a = median(runs, || {
        measure(
            dir,
            bin,
            &[
                "--db", "b1.db", "summary", "--from", "1992", "--to", "2021", "--by", "year,act",
                "--format", "csv",
            ],
            None,
        )
    });
    let shell = median(runs, || {
        measure(
            dir,
            "sqlite3",
            &[
                "flat.db",
                "SELECT substr(date_start,1,4), act_type, count(*) FROM flat GROUP BY 1, 2",
            ],
            None,
        )
    });
    row("B2", "summary --by year,act", &b2a, &shell, 0.5);
    let b2b = median(runs, || {
        measure(
            dir,
            bin,
            &[
                "--db",
                "b1.db",
                "summary",
                "--year",
                "2021",
                "--by",
                "actor_type",
                "--format",
                "csv",
            ],
            None,
        )
    });
    let shell = median(runs, || {
        measure(dir, "sqlite3", &["flat.db", "SELECT perpetrator_types, count(*) FROM flat WHERE date_start LIKE '2021%' GROUP BY 1"], None)
    });
    row(
        "B2",
        "summary --year 2021 --by actor_type",
        &b2b,
        &shell,
        0.5,
    );

    // B3: a filtered list.
    let ours = median(runs, || {
        measure(
            dir,
            bin,
            &[
                "--db",
                "b1.db",
                "list",
                "--country",
                "AF",
                "--year",
                "2021",
                "--format",
                "jsonl",
            ],
            None,
        )
    });
    let shell = median(runs, || {
        measure(
            dir,
            "sqlite3",
            &[
                "-json",
                "flat.db",
                "SELECT * FROM flat WHERE country = 'AF' AND date_start LIKE '2021%'",
            ],
            None,
        )
    });
    row(
        "B3",
        "list --country AF --year 2021 --format jsonl",
        &ours,
        &shell,
        1.0,
    );

    // B4: full CSV export.
    let b4 = median(runs, || {
        measure(
            dir,
            bin,
            &[
                "--db",
                "b1.db",
                "export",
                "--format",
                "csv",
                "--profile",
                "full",
                "-o",
                "out.csv",
            ],
            None,
        )
    });
    // Like with like: the shell writes a file too (`.once`). pressreg's
    // file is also synced to disk before it replaces anything (an export
    // is complete or absent), which the shell does not do; the stdout row
    // below compares the two without the disk.
    let shell = median(runs, || {
        measure(
            dir,
            "sqlite3",
            &[
                "-csv",
                "-header",
                "flat.db",
                ".once shell.csv",
                "SELECT * FROM flat",
            ],
            None,
        )
    });
    row(
        "B4",
        "export --format csv --profile full -o FILE",
        &b4,
        &shell,
        0.7,
    );
    let ours = median(runs, || {
        measure(
            dir,
            bin,
            &[
                "--db",
                "b1.db",
                "export",
                "--format",
                "csv",
                "--profile",
                "full",
            ],
            None,
        )
    });
    let shell = median(runs, || {
        measure(
            dir,
            "sqlite3",
            &["-csv", "-header", "flat.db", "SELECT * FROM flat"],
            None,
        )
    });
    row("B4", "export ... to stdout (/dev/null)", &ours, &shell, 0.7);

    // B5: one add, a whole process.
    let add = |db: &'static str| {
        [
            "--db",
            db,
            "add",
            "--date",
            "2021-08-08",
            "--country",
            "AF",
            "--victim",
            "Bench Victim",
            "--act",
            "killed",
            "--actor",
            "Taliban",
        ]
    };
    let b5 = median(runs.max(5), || measure(dir, bin, &add("b1.db"), None));
    let shell = median(runs.max(5), || {
        measure(dir, "sqlite3", &["flat.db", "INSERT INTO flat (country, date_start, act_type) VALUES ('AF', '2021-08-08', 'killed')"], None)
    });
    row("B5", "add one incident (whole process)", &b5, &shell, 1.0);

    // B7: peak memory of B1, B2 and B4 (compare the figures of N = 100,000
    // and N = 1,000,000 runs: streaming keeps them flat).
    let b2 = b2a.max_rss_mib.max(b2b.max_rss_mib);
    println!(
        "B7  peak memory: import {:.1} MiB, summary {b2:.1} MiB, export {:.1} MiB  bar ≤ 64 MiB  {}",
        b1.max_rss_mib,
        b4.max_rss_mib,
        if b1.max_rss_mib <= 64.0 && b2 <= 64.0 && b4.max_rss_mib <= 64.0 {
            "ok"
        } else {
            "MISSED"
        }
    );

    // B5 and B6 encrypted: the same import and add, with a key file (a raw
    // key: no key derivation), then with a passphrase (PBKDF2, 256,000
    // rounds, on every open).
    std::env::set_var("PRESSREG_KEY_FILE", dir.join("bench.key"));
    let b6k = median(runs, || {
        init(dir, bin, "b6k.db", false);
        measure(
            dir,
            bin,
            &["--db", "b6k.db", "import", csv_s, "--format", "native"],
            None,
        )
    });
    versus("B6", "import N acts, encrypted (key file)", &b6k, &b1, 1.3);
    let b5k = median(runs.max(5), || measure(dir, bin, &add("b6k.db"), None));
    versus(
        "B5",
        "add one incident, encrypted (key file)",
        &b5k,
        &b5,
        1.5,
    );
    std::env::remove_var("PRESSREG_KEY_FILE");
    std::env::set_var("PRESSREG_KEY", "bench passphrase of some length");
    let b6p = median(runs, || {
        init(dir, bin, "b6p.db", false);
        measure(
            dir,
            bin,
            &["--db", "b6p.db", "import", csv_s, "--format", "native"],
            None,
        )
    });
    versus(
        "B6",
        "import N acts, encrypted (passphrase)",
        &b6p,
        &b1,
        1.3,
    );
    let b5p = median(runs.max(5), || measure(dir, bin, &add("b6p.db"), None));
    println!(
        "B5  {:<44} pressreg {:>8.4}s  bar ≤ 0.2500s  {}",
        "add one incident, encrypted (passphrase)",
        b5p.secs,
        if b5p.secs <= 0.25 { "ok" } else { "MISSED" }
    );
    std::env::remove_var("PRESSREG_KEY");
    println!("B8 (duplicates) waits for `duplicates`.");
}

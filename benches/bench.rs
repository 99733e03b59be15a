//! The speed bars of PERFORMANCE.md, measured side by side with the sqlite3
//! shell doing the same work on the same data in the same run.
//!
//! Run: `cargo bench` (N = 100,000 acts) or `BENCH_ACTS=1000000 cargo bench`
//! (`BENCH_ACTS=10000,100000,1000000` runs every N in turn and ends with a
//! scale table: time, peak memory and time per act of import, summary,
//! export and duplicates at each N);
//! `BENCH_BARS=B1` runs only the import bar (B1 always runs: it makes the
//! registry and the flat table the others read), `BENCH_RUNS` sets the
//! number of runs a median is taken of, and `BENCH_DIR` keeps the data and
//! registries in that directory (`BENCH_DIR/nN`, for a profiler) instead of a temporary one;
//! `BENCH_PRESSREG=path` measures that binary instead (an earlier build). Needs `sqlite3` and
//! `/usr/bin/time` on the PATH. Prints one row per bar with both wall
//! times, both peak memories (max RSS, from `/usr/bin/time`), the ratio
//! and the bar. Each bar is one function (`bar_b1` …), so that bars can be
//! added or changed without touching the others. `BENCH_BARS=B4P` adds the
//! prototype of the storage that would meet B4 (`bar_b4p`); `BENCH_REUSE=1`
//! with a `BENCH_DIR` of a finished run measures the reading bars (B4, B4P)
//! again on its registry without loading anything.
//!
//! Data: a generator below writes a registry-shaped JSONL (skewed countries,
//! several victims for some incidents, 1–3 perpetrators per act, sources,
//! Arabic and Pashto names, commas, quotes and newlines in text). pressreg
//! loads it and exports the native CSV; that CSV is what both pressreg
//! (`import`) and the shell load for B1: `.import` into one flat table, and
//! a set-based load into pressreg's own normalised tables (`NORMALISED`).

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
        "{id:<3} {work:<44} pressreg {:>8.4}s {:>6.1} MiB  sqlite3 {:>8.4}s {:>6.1} MiB  ratio {:>5.2}  bar ≤ {bar:.2}  {}",
        ours.secs,
        ours.max_rss_mib,
        shell.secs,
        shell.max_rss_mib,
        ratio,
        if ratio <= bar { "ok" } else { "MISSED" }
    );
}

/// What every bar works on: the program, the data, the scratch directory.
struct Bench {
    bin: &'static str,
    dir: PathBuf,
    /// The native CSV every import bar loads.
    csv: String,
    runs: usize,
    /// The bars to run (`BENCH_BARS=B1,B4`); all when empty.
    only: Vec<String>,
}

impl Bench {
    /// The bars `only` names, run in `dir` on its native CSV `acts.csv`.
    fn new(bin: &'static str, dir: &Path, runs: usize, only: &[String]) -> Bench {
        Bench {
            bin,
            dir: dir.to_path_buf(),
            csv: dir.join("acts.csv").to_str().expect("utf-8").to_string(),
            runs,
            only: only.to_vec(),
        }
    }

    /// Whether `bar` runs: named, or every bar when none is named.
    fn wants(&self, bar: &str) -> bool {
        self.only.is_empty() || self.names(bar)
    }

    /// Whether `bar` is named (the prototype runs only then: minutes at
    /// 1,000,000 acts).
    fn names(&self, bar: &str) -> bool {
        self.only.iter().any(|b| b.eq_ignore_ascii_case(bar))
    }

    /// The median of `runs` whole-process runs of pressreg with `args`.
    fn ours(&self, args: &[&str]) -> Measure {
        median(self.runs, || measure(&self.dir, self.bin, args, None))
    }

    /// The median of `runs` runs of the sqlite3 shell with `args`.
    fn shell(&self, args: &[&str]) -> Measure {
        median(self.runs, || measure(&self.dir, "sqlite3", args, None))
    }
}

/// The sqlite3 shell's set-based load of the native CSV into pressreg's
/// own normalised tables (schema.sql as it stands: the same tables, CHECKs
/// and indexes), B1's second reference. It writes what `import` writes but
/// the revision log, so B1 against it is the cost of checking each record
/// and of the log, and B1 against the flat `.import` adds the cost of the
/// model. The CSV's lists (`a|b`) become JSON arrays by replacing the
/// separator, which holds for the generated data (no `|`, `\` or `"` inside
/// a list item). Involvements and sources get random uids, as `import`
/// gives them (the native CSV carries none).
const NORMALISED: &str = r#"
.import --csv --schema temp acts.csv staging
BEGIN;
-- An incident's and a victim's columns repeat on each of their rows: their
-- first rows, in one streaming pass.
CREATE TEMP TABLE firsts AS
SELECT *, lag(incident_uid) OVER (ORDER BY rowid) IS NOT incident_uid AS first_of_incident,
       lag(victim_uid) OVER (ORDER BY rowid) IS NOT victim_uid AS first_of_victim
FROM temp.staging;
INSERT INTO incident (uid, ref, title, summary, date_start, date_end, date_precision,
    date_approximate, date_as_reported, calendar, country, admin1, admin2, locality, place,
    latitude, longitude, geo_precision, context, verification, work_link, justice,
    confidentiality, created_at, updated_at)
SELECT incident_uid, incident_ref, title, summary, nullif(date_start, ''), nullif(date_end, ''),
    date_precision, date_approximate = 'true', date_as_reported, calendar, country, admin1,
    admin2, locality, place, CAST(nullif(latitude, '') AS REAL),
    CAST(nullif(longitude, '') AS REAL), CAST(geo_precision AS INTEGER), context, verification,
    work_link, justice, confidentiality, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'
FROM temp.firsts WHERE first_of_incident;
INSERT INTO ref_counter (prefix, last)
SELECT substr(ref, 1, length(ref) - 5), max(CAST(substr(ref, -4) AS INTEGER))
FROM incident GROUP BY 1;
INSERT INTO victim (uid, incident_id, position, name, name_variants, anonymous, sex, age,
    nationality, local_or_foreign, category, employment, jobs, mediums, outlet, beats, status,
    confidentiality)
SELECT f.victim_uid, i.id, CAST(f.victim_position AS INTEGER), f.victim_name,
    CASE f.name_variants WHEN '' THEN '[]' ELSE '["' || replace(f.name_variants, '|', '","') || '"]' END,
    f.anonymous = 'true', f.sex, CAST(nullif(f.age, '') AS INTEGER), f.nationality,
    nullif(f.local_or_foreign, ''), f.category, f.employment,
    CASE f.jobs WHEN '' THEN '[]' ELSE '["' || replace(f.jobs, '|', '","') || '"]' END,
    CASE f.mediums WHEN '' THEN '[]' ELSE '["' || replace(f.mediums, '|', '","') || '"]' END,
    f.outlet,
    CASE f.beats WHEN '' THEN '[]' ELSE '["' || replace(f.beats, '|', '","') || '"]' END,
    f.status, f.victim_confidentiality
FROM temp.firsts f JOIN incident i ON i.uid = f.incident_uid
WHERE f.first_of_victim AND f.victim_uid <> '';
INSERT INTO source (uid, incident_id, url, publisher)
SELECT NEW_UUID, i.id, u.value, p.value
FROM temp.firsts f JOIN incident i ON i.uid = f.incident_uid,
     json_each('["' || replace(f.source_urls, '|', '","') || '"]') u,
     json_each('["' || replace(f.source_publishers, '|', '","') || '"]') p
WHERE f.first_of_incident AND f.source_urls <> '' AND p.key = u.key;
INSERT INTO act (uid, incident_id, victim_id, type, death_context, method, date_start,
    date_end, date_precision)
SELECT s.act_uid, v.incident_id, v.id, s.act_type, nullif(s.death_context, ''), s.method,
    nullif(s.act_date_start, ''), nullif(s.act_date_end, ''), nullif(s.act_date_precision, '')
FROM temp.staging s JOIN victim v ON v.uid = s.victim_uid
WHERE s.act_uid <> '';
CREATE TEMP TABLE perps AS
SELECT s.act_uid, p.value AS name, t.value AS type, b.value AS basis, c.value AS confidence
FROM temp.staging s,
     json_each('["' || replace(s.perpetrators, '|', '","') || '"]') p,
     json_each('["' || replace(s.perpetrator_types, '|', '","') || '"]') t,
     json_each('["' || replace(s.attribution_basis, '|', '","') || '"]') b,
     json_each('["' || replace(s.attribution_confidence, '|', '","') || '"]') c
WHERE s.act_uid <> '' AND s.perpetrators <> '' AND t.key = p.key AND b.key = p.key
  AND c.key = p.key;
CREATE TEMP TABLE actor_types AS SELECT name, type FROM temp.perps GROUP BY name COLLATE NOCASE;
INSERT INTO actor (uid, name) SELECT NEW_UUID, name FROM temp.actor_types;
INSERT INTO actor_type_period (actor_id, type)
SELECT a.id, t.type FROM temp.actor_types t JOIN actor a ON a.name = t.name;
INSERT INTO involvement (uid, act_id, actor_id, basis, confidence)
SELECT NEW_UUID, act.id, actor.id, p.basis, p.confidence
FROM temp.perps p JOIN act ON act.uid = p.act_uid JOIN actor ON actor.name = p.name;
COMMIT;
"#;

/// A random uid, evaluated per row.
const NEW_UUID: &str = "lower(printf('%s-%s-%s-%s-%s', hex(randomblob(4)), hex(randomblob(2)), \
     hex(randomblob(2)), hex(randomblob(2)), hex(randomblob(6))))";

/// The rows of each normalised table, to hold the reference to the same
/// work as `import`.
fn table_rows(dir: &Path, db: &str) -> String {
    let out = Command::new("sqlite3")
        .current_dir(dir)
        .arg(db)
        .arg(
            "SELECT (SELECT count(*) FROM incident), (SELECT count(*) FROM victim),
                    (SELECT count(*) FROM act), (SELECT count(*) FROM actor),
                    (SELECT count(*) FROM actor_type_period), (SELECT count(*) FROM involvement),
                    (SELECT count(*) FROM source)",
        )
        .output()
        .expect("run sqlite3");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// B1: import into an empty registry, against the shell's `.import` of the
/// same CSV into one flat table and against its set-based load into the
/// same normalised tables. Returns pressreg's figure (B6 and B7 read it).
fn bar_b1(b: &Bench) -> Measure {
    let ours = median(b.runs, || {
        init(&b.dir, b.bin, "b1.db", true);
        measure(
            &b.dir,
            b.bin,
            &["--db", "b1.db", "import", &b.csv, "--format", "native"],
            None,
        )
    });
    let flat = b.dir.join("flat.db");
    let shell = median(b.runs, || {
        let _ = std::fs::remove_file(&flat);
        measure(
            &b.dir,
            "sqlite3",
            &["flat.db", &format!(".import --csv {} flat", b.csv)],
            None,
        )
    });
    row("B1", "import N acts (vs flat .import)", &ours, &shell, 4.0);
    let script = b.dir.join("normalised.sql");
    std::fs::write(
        &script,
        format!(
            "{}\n{}",
            include_str!("../schema.sql"),
            NORMALISED.replace("NEW_UUID", NEW_UUID)
        ),
    )
    .expect("write the reference script");
    let normalised = median(b.runs, || {
        let _ = std::fs::remove_file(b.dir.join("normalised.db"));
        measure(&b.dir, "sqlite3", &["normalised.db"], Some(&script))
    });
    row(
        "B1",
        "import N acts (vs normalised set-based SQL)",
        &ours,
        &normalised,
        1.0,
    );
    let (mine, theirs) = (
        table_rows(&b.dir, "b1.db"),
        table_rows(&b.dir, "normalised.db"),
    );
    assert_eq!(
        mine, theirs,
        "the normalised reference must write the rows import writes"
    );
    ours
}

/// B2: summaries. Returns the first summary's figure with the peak memory
/// of both (B7 and the scale table read it).
fn bar_b2(b: &Bench) -> Measure {
    let ours = b.ours(&[
        "--db", "b1.db", "summary", "--from", "1992", "--to", "2021", "--by", "year,act",
        "--format", "csv",
    ]);
    let shell = b.shell(&[
        "flat.db",
        "SELECT substr(date_start,1,4), act_type, count(*) FROM flat GROUP BY 1, 2",
    ]);
    row("B2", "summary --by year,act", &ours, &shell, 0.5);
    let (first_secs, peak) = (ours.secs, ours.max_rss_mib);
    let ours = b.ours(&[
        "--db",
        "b1.db",
        "summary",
        "--year",
        "2021",
        "--by",
        "actor_type",
        "--format",
        "csv",
    ]);
    let shell = b.shell(&[
        "flat.db",
        "SELECT perpetrator_types, count(*) FROM flat WHERE date_start LIKE '2021%' GROUP BY 1",
    ]);
    row(
        "B2",
        "summary --year 2021 --by actor_type",
        &ours,
        &shell,
        0.5,
    );
    Measure {
        secs: first_secs,
        max_rss_mib: peak.max(ours.max_rss_mib),
    }
}

/// B3: a filtered list.
fn bar_b3(b: &Bench) {
    let ours = b.ours(&[
        "--db",
        "b1.db",
        "list",
        "--country",
        "AF",
        "--year",
        "2021",
        "--format",
        "jsonl",
    ]);
    let shell = b.shell(&[
        "-json",
        "flat.db",
        "SELECT * FROM flat WHERE country = 'AF' AND date_start LIKE '2021%'",
    ]);
    row(
        "B3",
        "list --country AF --year 2021 --format jsonl",
        &ours,
        &shell,
        1.0,
    );
}

/// B4: full CSV export. Returns pressreg's figure (B7 reads it).
fn bar_b4(b: &Bench) -> Measure {
    // Each run writes a new file, as the shell's `.once` does: `export`
    // refuses to replace one without --force.
    let out = b.dir.join("out.csv");
    let ours = median(b.runs, || {
        let _ = std::fs::remove_file(&out);
        measure(
            &b.dir,
            b.bin,
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
    let shell = b.shell(&[
        "-csv",
        "-header",
        "flat.db",
        ".once shell.csv",
        "SELECT * FROM flat",
    ]);
    row(
        "B4",
        "export --format csv --profile full -o FILE",
        &ours,
        &shell,
        0.7,
    );
    let stdout = b.ours(&[
        "--db",
        "b1.db",
        "export",
        "--format",
        "csv",
        "--profile",
        "full",
    ]);
    let shell = b.shell(&["-csv", "-header", "flat.db", "SELECT * FROM flat"]);
    row(
        "B4",
        "export ... to stdout (/dev/null)",
        &stdout,
        &shell,
        0.7,
    );
    ours
}

/// A cell as `native::escape` writes it: a leading `= + - @`, tab, CR or
/// LF (after any leading `'`) gets a `'` before it.
fn sql_escape(x: &str) -> String {
    format!(
        "(CASE WHEN substr(ltrim({x}, ''''), 1, 1) IN ('=', '+', '-', '@', char(9), char(13), char(10)) \
         THEN '''' || {x} ELSE {x} END)"
    )
}

/// One free-text list item as `native::join_text` writes it (`\` and `|`
/// escaped with `\`).
fn sql_item(x: &str) -> String {
    format!("replace(replace({x}, '\\', '\\\\'), '|', '\\|')")
}

/// The cells `export --format csv --profile full` writes, one row per CSV
/// line, computed from the normalised tables by set-based SQL: B4P's
/// derivation of the flat export table (the prototype's stand-in for
/// `native::rows`, which the product would call per incident). `{which}`
/// selects the incidents (`1`, or `i.id = ?1` to refill one). Columns:
/// k (the export order: date, then id; undated last), incident_id, pos,
/// act_id, then the 53 cells of `native::COLUMNS`.
/// `columns` as `x AS {prefix}N` for a CTE named `cte`, and the same cells
/// as `{cte}.{prefix}N` for the select that reads it.
fn aliased(columns: &[String], cte: &str, prefix: &str) -> (String, String) {
    let named = columns
        .iter()
        .enumerate()
        .map(|(n, x)| format!("{x} AS {prefix}{n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let read = (0..columns.len())
        .map(|n| format!("{cte}.{prefix}{n}"))
        .collect::<Vec<_>>()
        .join(", ");
    (named, read)
}

fn b4p_cells_sql(which: &str) -> String {
    let e = sql_escape;
    let bool_text = |x: &str| format!("(CASE {x} WHEN 1 THEN 'true' ELSE 'false' END)");
    let vocab_list = |x: &str| {
        format!("coalesce((SELECT group_concat(j.value, '|' ORDER BY j.key) FROM json_each({x}) j), '')")
    };
    let text_list = |x: &str| {
        format!(
            "coalesce((SELECT group_concat({}, '|' ORDER BY j.key) FROM json_each({x}) j), '')",
            sql_item("j.value")
        )
    };
    let incident = [
        e("i.ref"),
        "i.uid".into(),
        "coalesce(i.date_start, '')".into(),
        "coalesce(i.date_end, '')".into(),
        "i.date_precision".into(),
        bool_text("i.date_approximate"),
        e("i.date_as_reported"),
        "i.calendar".into(),
        "i.country".into(),
        e("i.admin1"),
        e("i.admin2"),
        e("i.locality"),
        e("i.place"),
        "coalesce(CAST(i.latitude AS TEXT), '')".into(),
        "coalesce(CAST(i.longitude AS TEXT), '')".into(),
        "CAST(i.geo_precision AS TEXT)".into(),
        "i.context".into(),
        "i.verification".into(),
        "i.work_link".into(),
        "i.justice".into(),
        "i.confidentiality".into(),
        e("i.title"),
        e("i.summary"),
    ];
    let victim = [
        "CAST(row_number() OVER (PARTITION BY w.incident_id ORDER BY w.position) AS TEXT)".into(),
        "w.uid".into(),
        e("w.name"),
        e(&text_list("w.name_variants")),
        bool_text("w.anonymous"),
        "w.sex".into(),
        "coalesce(CAST(w.age AS TEXT), '')".into(),
        "w.nationality".into(),
        "coalesce(w.local_or_foreign, '')".into(),
        "w.category".into(),
        "w.employment".into(),
        vocab_list("w.jobs"),
        vocab_list("w.mediums"),
        e("w.outlet"),
        vocab_list("w.beats"),
        "w.status".into(),
        "w.confidentiality".into(),
    ];
    let act = [
        "a.uid".into(),
        "a.type".into(),
        "coalesce(a.death_context, '')".into(),
        "a.method".into(),
        "coalesce(a.date_start, '')".into(),
        "coalesce(a.date_end, '')".into(),
        "coalesce(a.date_precision, '')".into(),
        e("coalesce(p.names, '')"),
        "coalesce(p.types, '')".into(),
        "coalesce(p.basis, '')".into(),
        "coalesce(p.confidence, '')".into(),
    ];
    // Each part's cells are named in its CTE and read back by name; the
    // counts come from the lists, so a column added to one stays in step.
    let no_victim = vec!["''"; victim.len()].join(", ");
    let no_act = vec!["''"; act.len()].join(", ");
    let (incident, inc_cells) = aliased(&incident, "inc", "c");
    let (victim, vic_cells) = aliased(&victim, "vic", "v");
    let act = act.join(", ");
    let sources = format!(
        "{}, {}",
        e("coalesce(src.urls, '')"),
        e("coalesce(src.pubs, '')")
    );
    format!(
        "WITH inc AS (
           SELECT i.id,
                  CASE WHEN i.date_start IS NULL THEN (1 << 62) + i.id
                       ELSE (CAST(julianday(i.date_start) AS INTEGER) << 32) + i.id END AS k,
                  {incident}
           FROM incident i WHERE i.deleted_at IS NULL AND {which}),
         vic AS (
           SELECT w.id, w.incident_id, {victim}
           FROM victim w JOIN inc ON inc.id = w.incident_id),
         src AS (
           SELECT s.incident_id,
                  group_concat({url}, '|' ORDER BY s.id) AS urls,
                  group_concat({publisher}, '|' ORDER BY s.id) AS pubs
           FROM source s JOIN inc ON inc.id = s.incident_id
           WHERE s.confidential = 0 AND s.withdrawn_at IS NULL GROUP BY s.incident_id),
         perps AS (
           SELECT t.act_id,
                  group_concat({name}, '|' ORDER BY t.involvement_id) AS names,
                  group_concat(coalesce(t.actor_type, ''), '|' ORDER BY t.involvement_id) AS types,
                  group_concat(t.basis, '|' ORDER BY t.involvement_id) AS basis,
                  group_concat(t.confidence, '|' ORDER BY t.involvement_id) AS confidence
           FROM involvement_actor_type t JOIN actor r ON r.id = t.actor_id
           JOIN inc ON inc.id = t.incident_id
           GROUP BY t.act_id)
         SELECT inc.k, inc.id, 0, 0, {inc_cells}, {no_victim}, {no_act}, {sources}
         FROM inc LEFT JOIN src ON src.incident_id = inc.id
         WHERE NOT EXISTS (SELECT 1 FROM victim w WHERE w.incident_id = inc.id)
         UNION ALL
         SELECT inc.k, inc.id, CAST(vic.v0 AS INTEGER), 0, {inc_cells}, {vic_cells}, {no_act}, {sources}
         FROM vic JOIN inc ON inc.id = vic.incident_id LEFT JOIN src ON src.incident_id = inc.id
         WHERE NOT EXISTS (SELECT 1 FROM act a WHERE a.victim_id = vic.id)
         UNION ALL
         SELECT inc.k, inc.id, CAST(vic.v0 AS INTEGER), a.id, {inc_cells}, {vic_cells}, {act}, {sources}
         FROM act a JOIN vic ON vic.id = a.victim_id JOIN inc ON inc.id = vic.incident_id
              LEFT JOIN perps p ON p.act_id = a.id LEFT JOIN src ON src.incident_id = inc.id
         ORDER BY 1, 3, 4",
        url = sql_item("s.url"),
        publisher = sql_item("s.publisher"),
        name = sql_item("r.name"),
    )
}

/// The columns of `export_cells`: the order key, the incident, the
/// victim's position and the act (0 for none), then the 53 cells.
fn b4p_cell_columns() -> String {
    (0..53)
        .map(|n| format!("x{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes one CSV line of 53 cells as `export --profile full` does (the
/// profile's name as the last cell; the writer ends lines with CRLF).
fn b4p_lines(cells: &[&[u8]], w: &mut csv::Writer<Vec<u8>>) {
    w.write_record(cells.iter().copied().chain([&b"full"[..]]))
        .expect("format a line");
}

/// Recomputes the stored CSV lines of one incident (what a write would do
/// for each incident it touched): delete its row, derive its cells, format
/// them, insert. Returns whether the incident has lines (a deleted one has
/// none).
fn b4p_refill(conn: &rusqlite::Connection, incident: i64) -> bool {
    conn.prepare_cached("DELETE FROM export_csv WHERE incident_id = ?1")
        .and_then(|mut s| s.execute([incident]))
        .expect("delete the incident's lines");
    let mut stmt = conn
        .prepare_cached(&b4p_cells_sql("i.id = ?1"))
        .expect("prepare the cells of one incident");
    let mut rows = stmt.query([incident]).expect("query the cells");
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut key = None;
    while let Some(r) = rows.next().expect("read the cells") {
        key = Some(r.get::<_, i64>(0).expect("key"));
        let cells: Vec<&[u8]> = (4..57)
            .map(|i| r.get_ref(i).and_then(|v| Ok(v.as_bytes()?)).expect("cell"))
            .collect();
        b4p_lines(&cells, &mut w);
    }
    let Some(key) = key else { return false };
    let lines = w.into_inner().expect("lines");
    conn.prepare_cached("INSERT INTO export_csv (k, incident_id, lines) VALUES (?1, ?2, ?3)")
        .and_then(|mut s| s.execute(rusqlite::params![key, incident, lines]))
        .expect("insert the incident's lines");
    true
}

/// The prototype's export, run as its own process (the bench runs itself
/// with BENCH_B4P_WRITE set) so that it is timed like `export -o`: a
/// read-only snapshot, the header, every line in export order, the file
/// synced, then renamed over the target (`output::OutputFile`'s protocol).
/// `cells` writes one stored row of 53 cells per line through the csv
/// crate; `lines` writes each incident's stored, already formatted lines.
fn b4p_write(layout: &str) {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let var = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name} unset"));
    let (db, out, header) = (
        var("BENCH_B4P_DB"),
        var("BENCH_B4P_OUT"),
        var("BENCH_B4P_HEADER"),
    );
    let conn =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open the copy");
    conn.pragma_update(None, "cache_size", -32768)
        .expect("cache_size");
    conn.execute_batch("BEGIN").expect("snapshot");
    let temp = format!("{out}.tmp");
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temp)
        .expect("create the output");
    let mut f = std::io::BufWriter::with_capacity(1 << 16, file);
    f.write_all(header.as_bytes()).expect("header");
    match layout {
        "cells" => {
            let mut stmt = conn
                .prepare(&format!(
                    "SELECT {} FROM export_cells ORDER BY rowid",
                    b4p_cell_columns()
                ))
                .expect("prepare");
            let mut rows = stmt.query([]).expect("query");
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(&mut f);
            while let Some(r) = rows.next().expect("row") {
                // Cell by cell, then the record's end: no allocation per line.
                for i in 0..53 {
                    let cell = r.get_ref(i).and_then(|v| Ok(v.as_bytes()?)).expect("cell");
                    w.write_field(cell).expect("write");
                }
                w.write_field(b"full").expect("write");
                w.write_record(std::iter::empty::<&[u8]>()).expect("write");
            }
            w.flush().expect("flush");
        }
        _ => {
            let mut stmt = conn
                .prepare("SELECT lines FROM export_csv ORDER BY k")
                .expect("prepare");
            let mut rows = stmt.query([]).expect("query");
            while let Some(r) = rows.next().expect("row") {
                let lines = r.get_ref(0).and_then(|v| Ok(v.as_bytes()?)).expect("lines");
                f.write_all(lines).expect("write");
            }
        }
    }
    let file = f.into_inner().expect("flush");
    file.sync_all().expect("sync");
    std::fs::rename(&temp, &out).expect("rename");
}

/// B4P: the storage that would meet B4, measured as a prototype on a copy
/// of B1's registry. The design: a derived table `export_csv` of one row
/// per live incident — key `k` = the export order (the start date's day
/// number × 2^32 + the incident's id; undated incidents after every dated
/// one), the incident's id (unique, to find its row on a write) and its
/// lines exactly as `export --format csv --profile full` writes them —
/// so that a full CSV export is one scan of one table in key order,
/// written as it is stored. Printed: (1) pressreg's export, the shell's
/// `.once` of the flat table, and two prototype writers (the cells of each
/// line through the csv crate; the stored lines), each output asserted
/// byte-identical to pressreg's own export; (2) what keeping the table
/// costs: a set-based fill of the whole table (derive the cells with SQL,
/// format each incident's lines, insert) against B1's import, one `add`,
/// the refill of one incident in its own commit, and the refill of every
/// incident of the actor with the most acts (what a change of that
/// actor's name or type would cost).
fn bar_b4p(b: &Bench, import: Option<&Measure>) {
    let dir = &b.dir;
    let copy = dir.join("b4p.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("b4p.db{suffix}")));
    }
    {
        let c = rusqlite::Connection::open(dir.join("b1.db")).expect("open b1.db");
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .expect("checkpoint");
    }
    std::fs::copy(dir.join("b1.db"), &copy).expect("copy the registry");
    let reference = dir.join("b4p-pressreg.csv");
    let export = median(b.runs, || {
        let _ = std::fs::remove_file(&reference);
        measure(
            dir,
            b.bin,
            &[
                "--db",
                "b4p.db",
                "export",
                "--format",
                "csv",
                "--profile",
                "full",
                "-o",
                "b4p-pressreg.csv",
            ],
            None,
        )
    });
    let expected = std::fs::read(&reference).expect("read pressreg's export");
    let header_end = expected
        .windows(2)
        .position(|w| w == b"\r\n")
        .expect("header")
        + 2;
    let header = std::str::from_utf8(&expected[..header_end]).expect("utf-8 header");

    // (2a) The set-based fill: cells by SQL, then each incident's lines.
    let conn = rusqlite::Connection::open(&copy).expect("open the copy");
    conn.pragma_update(None, "synchronous", "FULL")
        .expect("synchronous");
    conn.pragma_update(None, "cache_size", -32768)
        .expect("cache_size");
    let start = std::time::Instant::now();
    let cell_columns = b4p_cell_columns();
    conn.execute_batch(&format!(
        "BEGIN;
         CREATE TABLE export_cells (k INTEGER, incident_id INTEGER, pos INTEGER, act_id INTEGER, {cell_columns});
         INSERT INTO export_cells {};
         COMMIT;",
        b4p_cells_sql("1")
    ))
    .expect("derive the cells");
    let cells_secs = start.elapsed().as_secs_f64();
    let start = std::time::Instant::now();
    conn.execute_batch(
        "BEGIN;
         CREATE TABLE export_csv (k INTEGER PRIMARY KEY, incident_id INTEGER NOT NULL UNIQUE,
                                  lines TEXT NOT NULL);",
    )
    .expect("create export_csv");
    let (mut incidents, mut lines) = (0u64, 0u64);
    {
        let mut read = conn
            .prepare(&format!(
                "SELECT k, incident_id, {cell_columns} FROM export_cells ORDER BY rowid"
            ))
            .expect("prepare");
        let mut insert = conn
            .prepare("INSERT INTO export_csv (k, incident_id, lines) VALUES (?1, ?2, ?3)")
            .expect("prepare");
        let mut rows = read.query([]).expect("query");
        let new_writer = || {
            csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new())
        };
        let mut current: Option<(i64, i64)> = None;
        let mut w = new_writer();
        while let Some(r) = rows.next().expect("row") {
            let key: (i64, i64) = (r.get(0).expect("k"), r.get(1).expect("id"));
            if current.is_some_and(|c| c != key) {
                let (k, id) = current.expect("current");
                let done = std::mem::replace(&mut w, new_writer());
                insert
                    .execute(rusqlite::params![k, id, done.into_inner().expect("lines")])
                    .expect("insert");
                incidents += 1;
            }
            current = Some(key);
            let cells: Vec<&[u8]> = (2..55)
                .map(|i| r.get_ref(i).and_then(|v| Ok(v.as_bytes()?)).expect("cell"))
                .collect();
            b4p_lines(&cells, &mut w);
            lines += 1;
        }
        if let Some((k, id)) = current {
            insert
                .execute(rusqlite::params![k, id, w.into_inner().expect("lines")])
                .expect("insert");
            incidents += 1;
        }
    }
    conn.execute_batch("COMMIT").expect("commit");
    let lines_secs = start.elapsed().as_secs_f64();

    // (1) Writing it, against pressreg's export and the shell's `.once`.
    std::env::set_var("BENCH_B4P_DB", &copy);
    std::env::set_var("BENCH_B4P_HEADER", header);
    let me = std::env::current_exe().expect("the bench's own path");
    let me = me.to_str().expect("utf-8");
    let mut written = Vec::new();
    for layout in ["cells", "lines"] {
        let out = dir.join(format!("b4p-{layout}.csv"));
        std::env::set_var("BENCH_B4P_WRITE", layout);
        std::env::set_var("BENCH_B4P_OUT", &out);
        let m = median(b.runs, || {
            let _ = std::fs::remove_file(&out);
            measure(dir, me, &[], None)
        });
        assert!(
            std::fs::read(&out).expect("read the prototype's CSV") == expected,
            "the prototype's CSV ({layout}) must be byte-identical to pressreg's export"
        );
        written.push(m);
    }
    std::env::remove_var("BENCH_B4P_WRITE");
    let shell = b.shell(&[
        "-csv",
        "-header",
        "flat.db",
        ".once shell.csv",
        "SELECT * FROM flat",
    ]);
    println!(
        "B4P flat export table on a copy of B1's registry: {incidents} incidents, {lines} lines, identical to pressreg's export"
    );
    row(
        "B4P",
        "pressreg export -o FILE (today)",
        &export,
        &shell,
        0.7,
    );
    row(
        "B4P",
        "prototype: stored cells, csv crate -o FILE",
        &written[0],
        &shell,
        0.7,
    );
    row(
        "B4P",
        "prototype: stored lines per incident -o FILE",
        &written[1],
        &shell,
        0.7,
    );

    // (2b) Keeping it on write.
    println!(
        "B4P keep: set-based fill {:.2}s (cells by SQL {:.2}s + lines formatted and inserted {:.2}s){}",
        cells_secs + lines_secs,
        cells_secs,
        lines_secs,
        import.map_or(String::new(), |i| format!(
            " = {:.0}% of B1's import ({:.2}s)",
            100.0 * (cells_secs + lines_secs) / i.secs.max(0.001),
            i.secs
        ))
    );
    drop(conn);
    let add_runs = b.runs.max(5);
    let add = median(add_runs, || measure(dir, b.bin, &add("b4p.db"), None));
    let conn = rusqlite::Connection::open(&copy).expect("open the copy");
    conn.pragma_update(None, "synchronous", "FULL")
        .expect("synchronous");
    conn.pragma_update(None, "cache_size", -32768)
        .expect("cache_size");
    conn.execute_batch("DROP TABLE export_cells")
        .expect("drop the cells");
    let newest: Vec<i64> = conn
        .prepare("SELECT id FROM incident ORDER BY id DESC LIMIT ?1")
        .and_then(|mut s| s.query_map([add_runs as i64], |r| r.get(0))?.collect())
        .expect("the added incidents");
    let spread: Vec<i64> = conn
        .prepare("SELECT id FROM incident WHERE id % 3001 = 7")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("incidents across the registry");
    let mut cpu = Vec::new();
    let mut whole = Vec::new();
    for &id in newest.iter().chain(&spread) {
        let start = std::time::Instant::now();
        conn.execute_batch("BEGIN IMMEDIATE").expect("begin");
        assert!(b4p_refill(&conn, id), "incident {id} has lines");
        cpu.push(start.elapsed().as_secs_f64());
        conn.execute_batch("COMMIT").expect("commit");
        whole.push(start.elapsed().as_secs_f64());
    }
    let mid = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "B4P keep: one add {:.2} ms (median of {add_runs}); refilling one incident {:.3} ms before its commit, {:.2} ms with its own commit (median of {})",
        add.secs * 1e3,
        mid(&mut cpu) * 1e3,
        mid(&mut whole) * 1e3,
        cpu.len()
    );
    let (actor, of_actor): (String, Vec<i64>) = {
        let actor: String = conn
            .query_row(
                "SELECT r.name FROM involvement v JOIN actor r ON r.id = v.actor_id
                 GROUP BY r.id ORDER BY count(*) DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .expect("the busiest actor");
        let ids = conn
            .prepare(
                "SELECT DISTINCT a.incident_id FROM involvement v JOIN act a ON a.id = v.act_id
                 JOIN actor r ON r.id = v.actor_id WHERE r.name = ?1",
            )
            .and_then(|mut s| s.query_map([&actor], |r| r.get(0))?.collect())
            .expect("the actor's incidents");
        (actor, ids)
    };
    let start = std::time::Instant::now();
    conn.execute_batch("BEGIN IMMEDIATE").expect("begin");
    for &id in &of_actor {
        b4p_refill(&conn, id);
    }
    conn.execute_batch("COMMIT").expect("commit");
    println!(
        "B4P keep: refilling the {} incidents of '{actor}' (a change of its name or type) {:.2}s",
        of_actor.len(),
        start.elapsed().as_secs_f64()
    );
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("b4p.db{suffix}")));
    }
    for f in ["b4p-pressreg.csv", "b4p-cells.csv", "b4p-lines.csv"] {
        let _ = std::fs::remove_file(dir.join(f));
    }
}

/// `add` of one incident into `db`.
fn add(db: &str) -> [&str; 13] {
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
}

/// B5: one add, a whole process. Returns pressreg's figure (B5 encrypted
/// reads it).
fn bar_b5(b: &Bench) -> Measure {
    let runs = b.runs.max(5);
    let ours = median(runs, || measure(&b.dir, b.bin, &add("b1.db"), None));
    let shell = median(runs, || {
        measure(&b.dir, "sqlite3", &["flat.db", "INSERT INTO flat (country, date_start, act_type) VALUES ('AF', '2021-08-08', 'killed')"], None)
    });
    row("B5", "add one incident (whole process)", &ours, &shell, 1.5);
    ours
}

/// B7: peak memory of B1, B2 and B4 (compare the figures of N = 100,000
/// and N = 1,000,000 runs: streaming keeps them flat).
fn bar_b7(import: &Measure, summary: Option<f64>, export: &Measure) {
    let summary_mib = summary.unwrap_or(0.0);
    println!(
        "B7  peak memory: import {:.1} MiB, summary {}, export {:.1} MiB  bar ≤ 64 MiB  {}",
        import.max_rss_mib,
        summary.map_or("not run".to_string(), |m| format!("{m:.1} MiB")),
        export.max_rss_mib,
        if import.max_rss_mib <= 64.0 && summary_mib <= 64.0 && export.max_rss_mib <= 64.0 {
            "ok"
        } else {
            "MISSED"
        }
    );
}

/// B5 and B6 encrypted: the same import and add, with a key file (a raw
/// key: no key derivation), then with a passphrase (PBKDF2, 256,000
/// rounds, on every open).
fn bar_b6(b: &Bench, b1: &Measure, b5: &Measure) {
    let key_file = b.dir.join("bench.key");
    let keys = [
        (
            "key file",
            "b6k.db",
            "PRESSREG_KEY_FILE",
            key_file.to_str().expect("utf-8"),
        ),
        (
            "passphrase",
            "b6p.db",
            "PRESSREG_KEY",
            "bench passphrase of some length",
        ),
    ];
    for (how, db, var, value) in keys {
        std::env::set_var(var, value);
        let import = median(b.runs, || {
            init(&b.dir, b.bin, db, false);
            measure(
                &b.dir,
                b.bin,
                &["--db", db, "import", &b.csv, "--format", "native"],
                None,
            )
        });
        versus(
            "B6",
            &format!("import N acts, encrypted ({how})"),
            &import,
            b1,
            1.3,
        );
        let add = median(b.runs.max(5), || measure(&b.dir, b.bin, &add(db), None));
        let what = format!("add one incident, encrypted ({how})");
        if var == "PRESSREG_KEY" {
            // A passphrase is derived on every open (PBKDF2): its bar is
            // a time a person waits, not a ratio.
            println!(
                "B5  {what:<44} pressreg {:>8.4}s  bar ≤ 0.2500s  {}",
                add.secs,
                if add.secs <= 0.25 { "ok" } else { "MISSED" }
            );
        } else {
            versus("B5", &what, &add, b5, 1.5);
        }
        std::env::remove_var(var);
    }
}

/// The figures of one scale (N acts) for the scale table.
struct Scale {
    acts: usize,
    import: Measure,
    summary: Option<Measure>,
    export: Option<Measure>,
    duplicates: Option<Measure>,
}

/// Runs the bars `only` names (all when empty) at N = `acts`, in `dir`.
fn run_at(bin: &'static str, dir: &Path, acts: usize, runs: usize, only: &[String]) -> Scale {
    println!(
        "pressreg benchmark: {acts} acts, median of {runs} runs, in {}",
        dir.display()
    );
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
    let _ = std::fs::remove_file(&csv);
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
    // The seed and its JSONL are not read again: at 1,000,000 acts they
    // are a gigabyte of disk.
    for f in [seed_db.clone(), jsonl] {
        let _ = std::fs::remove_file(f);
    }
    let b = Bench::new(bin, dir, runs, only);

    // B1 makes the registry and the flat table every other bar reads.
    let b1 = bar_b1(&b);
    let b2 = b.wants("B2").then(|| bar_b2(&b));
    if b.wants("B3") {
        bar_b3(&b);
    }
    let b4 = b.wants("B4").then(|| bar_b4(&b));
    // The prototype runs only when named (BENCH_BARS=B4P): it copies the
    // registry and fills a table, minutes at 1,000,000 acts.
    if b.names("B4P") {
        bar_b4p(&b, Some(&b1));
    }
    let b5 = b.wants("B5").then(|| bar_b5(&b));
    if let Some(b4) = &b4 {
        bar_b7(&b1, b2.as_ref().map(|m| m.max_rss_mib), b4);
    } else {
        println!("B7  peak memory: import {:.1} MiB", b1.max_rss_mib);
    }
    if let (true, Some(b5)) = (b.wants("B6"), &b5) {
        bar_b6(&b, &b1, b5);
    }
    let b8 = b.wants("B8").then(|| bar_b8(&b));
    Scale {
        acts,
        import: b1,
        summary: b2,
        export: b4,
        duplicates: b8,
    }
}

/// Where one work's figure is in a scale's row.
type Figure = fn(&Scale) -> Option<&Measure>;

/// The scale table: each work's time and peak memory at every N, with the
/// time per act, so that growth faster than linear shows as a rising
/// figure in the last column.
fn scale_table(scales: &[Scale]) {
    println!();
    println!("scale: time, peak memory and time per 1,000 acts");
    let works: [(&str, Figure); 4] = [
        ("import", |s| Some(&s.import)),
        ("summary --by year,act", |s| s.summary.as_ref()),
        ("export --profile full -o", |s| s.export.as_ref()),
        ("duplicates", |s| s.duplicates.as_ref()),
    ];
    for (work, of) in works {
        for s in scales {
            if let Some(m) = of(s) {
                println!(
                    "{work:<26} {:>9} acts  {:>9.3}s  {:>7.1} MiB  {:>8.4}s per 1,000 acts",
                    s.acts,
                    m.secs,
                    m.max_rss_mib,
                    m.secs * 1000.0 / s.acts as f64
                );
            }
        }
    }
}

fn main() {
    // B4P runs this program again as its prototype export.
    if let Ok(layout) = std::env::var("BENCH_B4P_WRITE") {
        b4p_write(&layout);
        return;
    }
    // `cargo bench` passes `--bench`; any other argument is ignored.
    // BENCH_ACTS=10000,100000,1000000 runs the bars at each N in turn and
    // ends with the scale table.
    let scales: Vec<usize> = std::env::var("BENCH_ACTS")
        .ok()
        .map(|s| {
            s.split(',')
                .map(|n| {
                    n.trim()
                        .replace('_', "")
                        .parse()
                        .expect("BENCH_ACTS: numbers")
                })
                .collect()
        })
        .unwrap_or_else(|| vec![100_000]);
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let only: Vec<String> = std::env::var("BENCH_BARS")
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    // BENCH_PRESSREG measures another build (an earlier commit's) the same way.
    let bin: &'static str = match std::env::var("BENCH_PRESSREG") {
        Ok(other) => Box::leak(other.into_boxed_str()),
        Err(_) => env!("CARGO_BIN_EXE_pressreg"),
    };
    // The plaintext figures first: no key from the caller's environment.
    std::env::remove_var("PRESSREG_KEY");
    std::env::remove_var("PRESSREG_KEY_FILE");
    // BENCH_DIR keeps the data and registries for a profiler afterwards
    // (the last N's, in BENCH_DIR/nN).
    let tmp = tempfile::tempdir().expect("temporary directory");
    let kept = std::env::var_os("BENCH_DIR").map(PathBuf::from);
    if let Some(k) = &kept {
        std::fs::create_dir_all(k).expect("create BENCH_DIR");
    }
    let dir = kept.as_deref().unwrap_or(tmp.path());
    // BENCH_REUSE=1 with a BENCH_DIR that holds a finished run's data
    // (nN/b1.db, flat.db, acts.csv) skips generating, loading and B1, to
    // measure or profile the reading bars again.
    if kept.is_some() && std::env::var_os("BENCH_REUSE").is_some_and(|v| v == "1") {
        for acts in scales {
            let here = dir.join(format!("n{acts}"));
            let b = Bench::new(bin, &here, runs, &only);
            println!(
                "B1  not run (BENCH_REUSE): the registry and flat table of {}",
                here.display()
            );
            if b.wants("B4") {
                bar_b4(&b);
            }
            if b.names("B4P") {
                bar_b4p(&b, None);
            }
        }
        return;
    }
    let mut done = Vec::new();
    let last = scales.len().saturating_sub(1);
    for (i, acts) in scales.into_iter().enumerate() {
        // Each N starts afresh in its own directory; all but the last are
        // removed once measured (a million acts leave gigabytes).
        let here = dir.join(format!("n{acts}"));
        let _ = std::fs::remove_dir_all(&here);
        std::fs::create_dir_all(&here).expect("create the scale's directory");
        done.push(run_at(bin, &here, acts, runs, &only));
        if i < last {
            let _ = std::fs::remove_dir_all(&here);
        }
    }
    if done.len() > 1 {
        scale_table(&done);
    }
}

/// B8: `duplicates` over the registry B1 loaded, against a wall-time bar
/// (no shell counterpart: the sqlite3 shell has no transliteration keys).
/// The bar is for 100,000 incidents: run with BENCH_ACTS=150000 (about
/// 1.5 acts per generated incident); the row says how many there were.
fn bar_b8(b: &Bench) -> Measure {
    let (dir, bin, db, runs) = (b.dir.as_path(), b.bin, "b1.db", b.runs);
    let out = Command::new("sqlite3")
        .current_dir(dir)
        .args([db, "SELECT count(*) FROM incident"])
        .output()
        .expect("run sqlite3");
    let incidents = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let b8 = median(runs, || {
        measure(
            dir,
            bin,
            &["--db", db, "duplicates", "--format", "csv"],
            None,
        )
    });
    println!(
        "B8  {:<44} pressreg {:>8.4}s  bar ≤ 5.0000s  {}  (peak {:.1} MiB)",
        format!("duplicates over {incidents} incidents"),
        b8.secs,
        if b8.secs <= 5.0 { "ok" } else { "MISSED" },
        b8.max_rss_mib
    );
    b8
}

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
//! added or changed without touching the others.
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
    fn wants(&self, bar: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|b| b.eq_ignore_ascii_case(bar))
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
    let ours = b.ours(&[
        "--db",
        "b1.db",
        "export",
        "--format",
        "csv",
        "--profile",
        "full",
        "-o",
        "out.csv",
    ]);
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
    let b = Bench {
        bin,
        dir: dir.to_path_buf(),
        csv: csv.to_str().expect("utf-8").to_string(),
        runs,
        only: only.to_vec(),
    };

    // B1 makes the registry and the flat table every other bar reads.
    let b1 = bar_b1(&b);
    let b2 = b.wants("B2").then(|| bar_b2(&b));
    if b.wants("B3") {
        bar_b3(&b);
    }
    let b4 = b.wants("B4").then(|| bar_b4(&b));
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

//! `pressreg import --format cpj` on CPJ's real exports and on small
//! inline files (the importer: src/exchange/cpj.rs).
//!
//! Drives `import`, which is built on branch exchange-a: register this file
//! (`mod cpj;` in tests/lib.rs) once both branches are merged.

use std::collections::BTreeMap;

use crate::fixtures::{CPJ_KILLED_2020, CPJ_KILLED_2022};
use crate::{realdata, Run, Sandbox};

/// CPJ's 2022 cases must not be "in the future" of the pinned clock.
const LATER: &str = "2023-01-01T00:00:00Z";

fn import(s: &Sandbox, args: &[&str]) -> Run {
    let out = s
        .cmd(args)
        .env("PRESSREG_NOW", LATER)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run pressreg");
    Run::from(out)
}

/// Per year: all victims, journalist + confirmed, journalist + unconfirmed,
/// media worker, then killings by death context (targeted = CPJ's Murder,
/// crossfire, dangerous assignment, unknown): the README's columns.
fn yearly(s: &Sandbox) -> BTreeMap<i64, [i64; 8]> {
    let db = s.conn();
    let mut stmt = db
        .prepare(
            "SELECT CAST(substr(i.date_start, 1, 4) AS INTEGER),
                    count(*),
                    sum(v.category = 'journalist' AND i.work_link = 'confirmed'),
                    sum(v.category = 'journalist' AND i.work_link = 'unconfirmed'),
                    sum(v.category = 'media_worker'),
                    sum(a.death_context IS 'targeted'),
                    sum(a.death_context IS 'crossfire'),
                    sum(a.death_context IS 'dangerous_assignment'),
                    sum(a.death_context IS 'unknown')
             FROM incident i JOIN victim v ON v.incident_id = i.id
             JOIN act a ON a.victim_id = v.id AND a.type = 'killed'
             GROUP BY 1",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            let mut counts = [0i64; 8];
            for (k, c) in counts.iter_mut().enumerate() {
                *c = r.get(k + 1)?;
            }
            Ok((r.get::<_, i64>(0)?, counts))
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn cpj_2022_export_imports_with_the_readme_yearly_counts() {
    let Some(file) = realdata("cpj_killed_1992_2022.csv") else {
        return;
    };
    let s = Sandbox::new();
    let r = import(&s, &["import", file.to_str().unwrap(), "--format", "cpj"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "",
            "2 junk rows skipped: rows 2165, 2166 (junk row: no year, name or type)\n\
             imported 2163 incidents (2163 added, 0 updated, 0 unchanged, 0 skipped)\n"
        )
    );
    assert_eq!(yearly(&s), CPJ_KILLED_2022.iter().copied().collect());
}

#[test]
fn cpj_2020_snapshot_imports_with_its_counts_and_every_case_is_found_again_in_2022() {
    let (Some(old), Some(new)) = (
        realdata("cpj_killed_1992_2020.csv"),
        realdata("cpj_killed_1992_2022.csv"),
    ) else {
        return;
    };
    let s = Sandbox::new();
    let r = import(&s, &["import", old.to_str().unwrap(), "--format", "cpj"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "imported 2033 incidents (2033 added, 0 updated, 0 unchanged, 0 skipped)\n"
        )
    );
    assert_eq!(yearly(&s), CPJ_KILLED_2020.iter().copied().collect());
    // The later snapshot adds 130 cases and finds all 2,033 old ones.
    let r = import(
        &s,
        &[
            "import",
            new.to_str().unwrap(),
            "--format",
            "cpj",
            "--on-conflict",
            "skip",
        ],
    );
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "2 junk rows skipped: rows 2165, 2166 (junk row: no year, name or type)\n\
             imported 2163 incidents (130 added, 0 updated, 0 unchanged, 2033 skipped)\n"
        )
    );
}

const HEADER: &str = "year,combinedStatus,fullName,sortName,primaryNationality,secondaryNationality,tertiaryNationality,gender,type,lastStatus,typeOfDeath,status,employedAs,organizations,jobs,coverage,mediums,country,location,region,state,locality,province,localOrForeign,sourcesOfFire,motiveConfirmed,accountabilityCrossfire,accountabilityAssignment,impunityMurder,tortured,captive,threatened,charges,motive,lengthOfSentence,healthProblems,impCountry,entry,sentenceDate,sentence,locationImprisoned,Type of journalist";

fn row(year: &str, name: &str, death: &str, country: &str) -> String {
    format!(
        "{year},Confirmed,{name},,,,,Male,Journalist,Killed,{death},Killed,Staff,Radio X,Editor,\
         War,Radio,{country},Gaza City,,,Gaza City,,Local,Military Officials,Confirmed,,,,,,,,,,,,,,,,Staff"
    )
}

#[test]
fn cpj_bad_rows_are_listed_and_nothing_is_imported() {
    let s = Sandbox::new();
    let file = s.write(
        "cpj.csv",
        format!(
            "{HEADER}\r\n{}\r\n{}\r\n{}",
            row(
                "2014",
                "Ana",
                "Murder",
                "Israel and the Occupied Palestinian Territory"
            ),
            row("2014", "Ben", "Murdr", "Syria"),
            row("20x4", "Cem", "Murder", "Atlantis"),
        ),
    );
    let err = s.fails(&["import", file.to_str().unwrap(), "--format", "cpj"], 1);
    assert_eq!(
        err,
        "row 3, column typeOfDeath: unknown typeOfDeath 'Murdr' (accepted: Murder, Crossfire, \
         Dangerous Assignment, Unknown, N/A, (empty))\n\
         row 4, column year: '20x4' is not a year (accepted: a four-digit year such as 2007)\n\
         pressreg: 2 of 3 rows are invalid; nothing was imported\n"
    );
    if s.db().exists() {
        let db = s.conn();
        let n: i64 = db
            .query_row("SELECT count(*) FROM incident", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }
}

#[test]
fn cpj_combined_territory_is_placed_by_its_location() {
    let s = Sandbox::new();
    let file = s.write(
        "cpj.csv",
        format!(
            "{HEADER}\r\n{}",
            row(
                "2014",
                "Ana",
                "Murder",
                "Israel and the Occupied Palestinian Territory"
            )
        ),
    );
    let r = import(&s, &["import", file.to_str().unwrap(), "--format", "cpj"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "imported 1 incident (1 added, 0 updated, 0 unchanged, 0 skipped)\n"
        )
    );
    let db = s.conn();
    let (country, locality, precision): (String, String, String) = db
        .query_row(
            "SELECT country, locality, date_precision FROM incident",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (country.as_str(), locality.as_str(), precision.as_str()),
        ("PS", "Gaza City", "year")
    );
}

/// Checked against the world (issue "Counting and reporting", item 3): after
/// importing CPJ's export, `summary --profile cpj --by year` gives CPJ's own
/// yearly figures: all killed (2007: 113, 2018: 88), journalists with the
/// motive confirmed and unconfirmed, media workers, and the death contexts of
/// the confirmed cases — every cell of the table in realdata/README.md.
#[test]
fn cpj_summary_gives_cpjs_published_yearly_counts() {
    let Some(path) = realdata("cpj_killed_1992_2022.csv") else {
        return;
    };
    let s = Sandbox::new();
    let r = import(&s, &["import", path.to_str().expect("UTF-8 path")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = s
        .cmd(&[
            "summary",
            "--profile",
            "cpj",
            "--from",
            "1992",
            "--to",
            "2022",
            "--by",
            "year",
        ])
        .args(["--format", "csv"])
        .env("PRESSREG_NOW", LATER)
        .output()
        .expect("run summary");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The same table as the import test checks, one row a year, then the
    // column totals.
    let mut want = String::from(
        "year,killed,confirmed,unconfirmed,media_workers,murder,crossfire,dangerous_assignment,unknown\n",
    );
    let mut total = [0i64; 8];
    let line = |counts: &[i64; 8]| counts.map(|c| c.to_string()).join(",");
    for (year, counts) in CPJ_KILLED_2022 {
        want.push_str(&format!("{year},{}\n", line(counts)));
        for (t, c) in total.iter_mut().zip(counts) {
            *t += c;
        }
    }
    want.push_str(&format!("total,{}\n", line(&total)));
    assert_eq!(total, [2163, 1450, 597, 116, 924, 320, 195, 11]);
    assert_eq!(String::from_utf8(out.stdout).expect("UTF-8"), want);
}

/// Issue "Exchange", item 2: the 2020 snapshot, then the 2022 export with
/// `--on-conflict update`, updates rather than duplicates; what the 2022
/// layout does not carry (photos) is kept; a second update changes nothing.
#[test]
fn cpj_2020_then_2022_with_update_updates_and_keeps_what_2022_leaves_out() {
    let (Some(old), Some(new)) = (
        realdata("cpj_killed_1992_2020.csv"),
        realdata("cpj_killed_1992_2022.csv"),
    ) else {
        return;
    };
    let s = Sandbox::new();
    let (old, new) = (old.to_str().expect("UTF-8"), new.to_str().expect("UTF-8"));
    assert_eq!(import(&s, &["import", old]).code, 0);
    let photos = s.rows("claim WHERE field = 'photo'");
    assert!(photos > 400, "the 2020 layout has photos: {photos}");
    let junk = "2 junk rows skipped: rows 2165, 2166 (junk row: no year, name or type)\n";
    let r = import(&s, &["import", new, "--on-conflict", "update"]);
    assert_eq!(
        (r.code, r.stderr),
        (0, format!("{junk}imported 2163 incidents (130 added, 64 updated, 1969 unchanged, 0 skipped)\n"))
    );
    assert_eq!(s.rows("incident"), 2163);
    assert_eq!(s.rows("claim WHERE field = 'photo'"), photos);
    // What the 2022 export contradicts stays, superseded: 24 impunity
    // findings CPJ revised, and one accountability finding.
    assert_eq!(s.rows("claim WHERE field = 'justice' AND accepted = 0"), 24);
    assert_eq!(
        s.rows("claim WHERE field LIKE 'accountability%' AND accepted = 0"),
        1
    );
    let r = import(&s, &["import", new, "--on-conflict", "update"]);
    assert_eq!(
        (r.code, r.stderr),
        (
            0,
            format!(
                "{junk}imported 2163 incidents (0 added, 0 updated, 2163 unchanged, 0 skipped)\n"
            )
        )
    );
}

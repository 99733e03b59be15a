//! `pressreg import`: validation before writing, conflicts, formats and
//! strict CSV reading.

use crate::fixtures::{fixture, load_fixture, show_json};
use crate::Sandbox;

const HEADER: &str = "incident_ref,date_start,country,title,victim_name,act_type\n";

#[test]
fn import_native_csv_groups_rows_into_incidents() {
    let s = Sandbox::new();
    s.write(
        "in.csv",
        format!(
            "{HEADER}\
AF-2021-0001,2021-08-08,AF,Radio manager killed,Toofan Omar,killed\n\
AF-2021-0001,2021-08-08,AF,Radio manager killed,Toofan Omar,threatened\n\
AF-2021-0002,2021-08-10,AF,Reporter detained,Nemat Rawan,detained\n"
        ),
    );
    let r = s.run(&["import", "in.csv"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "",
            "imported 2 incidents (2 added, 0 updated, 0 unchanged, 0 skipped)\n"
        )
    );
    let out = s.ok(&["export", "--format", "jsonl"]);
    let first: serde_json::Value =
        serde_json::from_str(out.lines().next().expect("a line")).expect("JSON");
    assert_eq!(first["ref"], "AF-2021-0001");
    assert_eq!(first["victims"].as_array().map(|v| v.len()), Some(1));
    assert_eq!(
        first["victims"][0]["acts"].as_array().map(|v| v.len()),
        Some(2)
    );
}

#[test]
fn import_lists_every_bad_row_and_writes_nothing() {
    let s = Sandbox::new();
    s.write(
        "bad.csv",
        format!(
            "{HEADER}\
AF-2021-0001,2021-08-08,AF,Fine,A,killed\n\
AF-2021-0002,2021-02-30,AF,Bad date,B,killed\n\
AF-2021-0003,2021-08-08,AF,Bad act,C,shot\n\
AF-2021-0004,2021-08-08,XX,Bad country,D,killed\n"
        ),
    );
    assert_eq!(
        s.fails(&["import", "bad.csv"], 1),
        "row 3, column date_start: '2021-02-30' is not a date\n\
row 4, column act_type: unknown act type 'shot' (accepted: killed, tortured, sexual_violence, disappeared, missing, detained, kidnapped, hostage, attempted_killing, wounded, assaulted, threatened, harassed, surveilled, charged, sued, subpoenaed, equipment_seized, property_attacked, denied_access, border_stopped, censored, dismissed, smeared, other)\n\
row 5, column country: unknown country 'XX' (accepted: an ISO 3166-1 code such as AF or AFG, a name such as Afghanistan, or an ISO 3166-3 code of a former state such as YUCS)\n\
pressreg: 3 of 4 rows are invalid; nothing was imported\n"
    );
    assert_eq!(s.rows("revision"), 0, "a refused import must write nothing");
}

#[test]
fn import_counts_bad_rows_beyond_twenty() {
    let s = Sandbox::new();
    let mut csv = HEADER.to_string();
    for i in 1..=25 {
        csv.push_str(&format!("AF-2021-{i:04},2021-13-01,AF,t,v,killed\n"));
    }
    s.write("bad.csv", csv);
    let err = s.fails(&["import", "bad.csv"], 1);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 22, "{err}");
    assert_eq!(
        lines[0],
        "row 2, column date_start: '2021-13-01' is not a date"
    );
    assert_eq!(
        lines[19],
        "row 21, column date_start: '2021-13-01' is not a date"
    );
    assert_eq!(lines[20], "… and 5 more bad rows");
    assert_eq!(
        lines[21],
        "pressreg: 25 of 25 rows are invalid; nothing was imported"
    );
}

#[test]
fn import_refuses_unknown_columns_naming_them() {
    let s = Sandbox::new();
    s.write(
        "in.csv",
        "incident_ref,country,colour,size\nAF-2021-0001,AF,red,2\n",
    );
    let err = s.fails(&["import", "in.csv"], 1);
    assert!(
        err.starts_with("pressreg: row 1: unknown columns 'colour', 'size' (accepted: incident_ref, incident_uid, date_start,"),
        "{err}"
    );
    assert!(
        err.ends_with(", source_urls, source_publishers, export_profile)\n"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn import_refuses_rows_of_one_incident_that_disagree() {
    let s = Sandbox::new();
    s.write(
        "in.csv",
        format!(
            "{HEADER}AF-2021-0001,2021-08-08,AF,One title,A,killed\nAF-2021-0001,2021-08-08,AF,Another title,A,wounded\n"
        ),
    );
    assert_eq!(
        s.fails(&["import", "in.csv"], 1),
        "row 3, column title: 'Another title' differs from row 2 of the same incident ('One title')\n\
pressreg: 1 of 2 rows are invalid; nothing was imported\n"
    );
}

#[test]
fn import_refuses_malformed_csv_with_row_and_reason() {
    let cases: &[(&str, &[u8], &str)] = &[
        (
            "ragged",
            b"incident_ref,country\nAF-2021-0001,AF,extra\n",
            "row 2: the row has 3 fields, the header has 2 (accepted: one field per header column)\n",
        ),
        (
            "open quote",
            b"incident_ref,country,title\nAF-2021-0001,AF,\"never closed\nAF-2021-0002,AF,x\n",
            "row 2, column title: a quote is opened and never closed; the rest of the file would be read into this field (accepted: quotes in pairs, as RFC 4180 says)\n",
        ),
        (
            "invalid UTF-8",
            b"incident_ref,country,title\nAF-2021-0001,AF,caf\xe9\n",
            "row 2, column title: invalid UTF-8 at byte 4 of the field (save the file as UTF-8)\n",
        ),
        (
            "NUL",
            b"incident_ref,country,title\nAF-2021-0001,AF,a\x00b\n",
            "row 2, column title: the field holds the control character U+0000 at character 2 (accepted: text without control characters other than tab and line breaks)\n",
        ),
    ];
    for (name, input, expected) in cases {
        let s = Sandbox::new();
        s.write("in.csv", input);
        let err = s.fails(&["import", "in.csv", "--format", "native"], 1);
        let first = err.lines().next().unwrap_or("");
        assert_eq!(format!("{first}\n"), *expected, "{name}: {err}");
        assert!(err.ends_with("nothing was imported\n"), "{name}: {err}");
        assert_eq!(s.rows("revision"), 0, "{name}");
    }
}

#[test]
fn import_refuses_a_field_above_the_cap() {
    let s = Sandbox::new();
    let mut input = b"incident_ref,country,summary\nAF-2021-0001,AF,".to_vec();
    input.extend(std::iter::repeat_n(b'x', (1 << 20) + 1));
    input.push(b'\n');
    s.write("in.csv", input);
    assert_eq!(
        s.fails(&["import", "in.csv"], 1),
        "row 2, column summary: the field is 1048577 bytes long (accepted: at most 1048576 bytes)\n\
pressreg: 1 of 1 rows are invalid; nothing was imported\n"
    );
}

#[test]
fn import_accepts_bom_crlf_and_newlines_in_quotes() {
    let s = Sandbox::new();
    s.write(
        "in.csv",
        "\u{feff}incident_ref,date_start,country,summary\r\nAF-2021-0001,2021-08-08,AF,\"two\r\nlines\"\r\n",
    );
    let r = s.run(&["import", "in.csv"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "imported 1 incident (1 added, 0 updated, 0 unchanged, 0 skipped)\n"
        )
    );
    let out = s.ok(&["export", "--format", "jsonl"]);
    assert!(out.contains("\"summary\":\"two\\r\\nlines\""), "{out}");
}

#[test]
fn import_conflicts_fail_by_default_and_skip_changes_nothing() {
    let s = Sandbox::new();
    load_fixture(&s);
    s.write("again.jsonl", fixture());
    let before = s.rows("revision");
    assert_eq!(
        s.fails(&["import", "again.jsonl"], 1),
        "row 1: incident uid 00000000-0000-4000-8000-000000000001 is already in the registry as AF-2021-0007 (choose --on-conflict skip or update)\n\
row 2: incident uid 00000000-0000-4000-8000-000000000002 is already in the registry as AF-2021-0008 (choose --on-conflict skip or update)\n\
row 3: incident uid 00000000-0000-4000-8000-000000000003 is already in the registry as MX-2021-0001 (choose --on-conflict skip or update)\n\
row 4: incident uid 00000000-0000-4000-8000-000000000004 is already in the registry as MX-2021-0002 (choose --on-conflict skip or update)\n\
pressreg: 4 of 4 rows are invalid; nothing was imported\n"
    );
    let r = s.run(&["import", "again.jsonl", "--on-conflict", "skip"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "imported 0 of 4 incidents (0 added, 0 updated, 0 unchanged, 4 skipped)\n"
        )
    );
    assert_eq!(s.rows("revision"), before);
}

#[test]
fn import_update_applies_each_change_through_the_revision_log() {
    let s = Sandbox::new();
    load_fixture(&s);
    let changed = fixture()
        .replace("\"title\":\"Outlet raided\"", "\"title\":\"Outlet raided again\"")
        .replace(
            "{\"uid\":\"00000000-0000-4000-8000-000000000044\",\"url\":\"https://articulo19.org/x\",\"publisher\":\"Article 19\"}",
            "{\"uid\":\"00000000-0000-4000-8000-000000000045\",\"url\":\"https://cpj.org/y\",\"publisher\":\"CPJ\"}",
        );
    assert_ne!(changed, fixture());
    s.write("changed.jsonl", changed);
    let before = s.rows("revision");
    let r = s.run(&[
        "import",
        "changed.jsonl",
        "--on-conflict",
        "update",
        "--dry-run",
    ]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "would import 1 of 4 incidents (0 added, 1 updated, 3 unchanged, 0 skipped)\n\
would update: MX-2021-0002\n\
nothing was written (--dry-run)\n"
        )
    );
    assert_eq!(s.rows("revision"), before);
    let r = s.run(&["import", "changed.jsonl", "--on-conflict", "update"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "imported 1 of 4 incidents (0 added, 1 updated, 3 unchanged, 0 skipped)\n"
        )
    );
    let conn = s.conn();
    let mut stmt = conn
        .prepare(
            "SELECT entity, action, coalesce(field, ''), reason FROM revision WHERE id > ? ORDER BY id",
        )
        .expect("prepare");
    let rows: Vec<String> = stmt
        .query_map([before], |r| {
            Ok(format!(
                "{} {} {} | {}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?
            ))
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(
        rows,
        [
            "incident update title | import changed.jsonl (jsonl)",
            "source create  | import changed.jsonl (jsonl)",
            "source delete  | import changed.jsonl (jsonl)",
        ]
    );
}

#[test]
fn import_dry_run_reports_and_writes_nothing() {
    let s = Sandbox::new();
    s.write("in.jsonl", fixture());
    let r = s.run(&["import", "in.jsonl", "--dry-run"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "",
            "would import 4 incidents (4 added, 0 updated, 0 unchanged, 0 skipped)\n\
would add: AF-2021-0007, AF-2021-0008, MX-2021-0001, MX-2021-0002\n\
nothing was written (--dry-run)\n"
        )
    );
    assert_eq!(s.rows("revision"), 0, "a dry run must write nothing");
}

#[test]
fn import_records_where_records_came_from() {
    let s = Sandbox::new();
    s.write("in.jsonl", fixture());
    s.run(&["import", "in.jsonl"]);
    let conn = s.conn();
    let reasons: Vec<String> = conn
        .prepare("SELECT DISTINCT reason FROM revision")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(reasons, ["import in.jsonl (jsonl)"]);
    assert_eq!(s.rows("incident"), 4);
}

#[test]
fn import_reads_stdin_and_guesses_the_format() {
    let s = Sandbox::new();
    let r = s.run_with_input(&["import", "-"], &fixture());
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "imported 4 incidents (4 added, 0 updated, 0 unchanged, 0 skipped)\n"
        )
    );
    let r = s.run_with_input(&["import", "-"], "name,age\nx,1\n");
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "pressreg: cannot tell the format of '-' from its header: the closest is pressreg's own CSV (native): it lacks 'incident_ref', 'incident_uid', 'date_start', 'date_end', 'date_precision', 'date_approximate', 'date_as_reported', 'calendar' and 44 more; it has 'name', which pressreg's own CSV (native) does not (give --format native, jsonl, cpj or uspft)\n"
        )
    );
}

#[test]
fn an_unknown_duplicate_of_is_answered_with_the_ref_it_was_meant_to_be() {
    let s = Sandbox::new();
    s.ok(&[
        "add",
        "--date",
        "2021-08-08",
        "--country",
        "AF",
        "--victim",
        "Toofan Omar",
        "--act",
        "killed",
    ]);
    s.write(
        "in.jsonl",
        "{\"country\":\"AF\",\"date\":\"2021-08-09\",\"duplicate_of\":\"AF-2021-0009\",\
         \"victims\":[{\"name\":\"X\",\"acts\":[{\"type\":\"killed\"}]}]}\n",
    );
    assert_eq!(
        s.fails(&["import", "in.jsonl"], 1),
        "row 1: duplicate_of: no incident 'AF-2021-0009' in the registry: did you mean \
         'AF-2021-0001'? ('pressreg list' shows every ref)\n\
         pressreg: 1 of 1 rows are invalid; nothing was imported\n"
    );
    assert_eq!(s.rows("incident"), 1);
}

#[test]
fn import_jsonl_names_the_line_of_a_bad_record() {
    let s = Sandbox::new();
    s.write(
        "in.jsonl",
        "{\"country\":\"AF\",\"date\":\"2021-08-08\"}\n{\"country\":\"AF\",\"colour\":1}\nnot json\n",
    );
    let err = s.fails(&["import", "in.jsonl"], 1);
    assert_eq!(
        err,
        "row 2: unknown field `colour`, expected one of `uid`, `ref`, `title`, `summary`, `date`, `date_start`, `date_end`, `date_precision`, `date_approximate`, `date_as_reported`, `calendar`, `country`, `admin1`, `admin2`, `locality`, `place`, `latitude`, `longitude`, `geo_precision`, `context`, `verification`, `work_link`, `justice`, `confidentiality`, `private_notes`, `duplicate_of`, `created_at`, `updated_at`, `deleted_at`, `victims`, `sources`, `claims`, `relations`, `actors` (at character 24)\n\
row 3: expected ident (at character 2)\n\
pressreg: 2 of 3 rows are invalid; nothing was imported\n"
    );
}

#[test]
fn import_update_removes_what_the_record_no_longer_has() {
    let s = Sandbox::new();
    load_fixture(&s);
    let full = s.ok(&["export", "--profile", "full", "--format", "jsonl"]);
    let mut first: serde_json::Value =
        serde_json::from_str(full.lines().nth(2).expect("AF-2021-0007")).expect("JSON");
    assert_eq!(first["ref"], "AF-2021-0007");
    // Drop the internal victim and the second perpetrator; add a victim.
    let victims = first["victims"].as_array_mut().expect("victims");
    victims.pop();
    victims[0]["acts"][0]["perpetrators"]
        .as_array_mut()
        .expect("perpetrators")
        .pop();
    victims.push(serde_json::json!({"name": "New Victim", "acts": [{"type": "wounded"}]}));
    s.write("one.jsonl", format!("{first}\n"));
    let r = s.run(&["import", "one.jsonl", "--on-conflict", "update"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "imported 1 incident (0 added, 1 updated, 0 unchanged, 0 skipped)\n"
        )
    );
    let conn = s.conn();
    let log: Vec<String> = conn
        .prepare(
            "SELECT entity || ' ' || action FROM revision
             WHERE reason = 'import one.jsonl (jsonl)' ORDER BY id",
        )
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(
        log,
        [
            "involvement delete",
            "victim create",
            "act create",
            "victim delete"
        ]
    );
    // The same file again finds nothing to change.
    let r = s.run(&["import", "one.jsonl", "--on-conflict", "update"]);
    assert_eq!(
        r.stderr,
        "imported 0 of 1 incident (0 added, 0 updated, 1 unchanged, 0 skipped)\n"
    );
}

#[test]
fn import_reports_a_bad_incident_once_and_goes_on() {
    let s = Sandbox::new();
    s.write(
        "in.csv",
        format!(
            "{HEADER}\
AF-2021-0001,2021-02-30,AF,Bad date,A,killed\n\
AF-2021-0001,2021-02-30,AF,Bad date,A,wounded\n\
AF-2021-0002,2021-08-08,AF,Fine,B,killed\n\
AF-2021-0002,2021-08-08,AF,Fine,B,stabbed\n"
        ),
    );
    let err = s.fails(&["import", "in.csv"], 1);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[0],
        "row 2, column date_start: '2021-02-30' is not a date"
    );
    assert!(
        lines[1]
            .starts_with("row 5, column act_type: unknown act type 'stabbed' (accepted: killed,"),
        "{err}"
    );
    assert_eq!(
        lines[2],
        "pressreg: 2 of 4 rows are invalid; nothing was imported"
    );
    assert_eq!(lines.len(), 3);
}

#[test]
fn import_reads_perpetrators_as_parallel_lists() {
    let s = Sandbox::new();
    let header = "incident_ref,date_start,country,victim_name,act_type,perpetrators,perpetrator_types,attribution_basis,attribution_confidence\n";
    s.write(
        "bad.csv",
        format!("{header}AF-2021-0001,2021-08-08,AF,A,killed,Taliban|ISKP,armed_group,claimed|denied,likely|possible\n"),
    );
    assert_eq!(
        s.fails(&["import", "bad.csv"], 1),
        "row 2, column perpetrator_types: has 1 values but perpetrators has 2 (the lists run in parallel)\n\
pressreg: 1 of 1 rows are invalid; nothing was imported\n"
    );
    s.write(
        "good.csv",
        format!("{header}AF-2021-0001,2021-08-08,AF,A,killed,Taliban|ISKP,armed_group|armed_group,denied|claimed,possible|likely\n"),
    );
    assert_eq!(s.run(&["import", "good.csv"]).code, 0);
    let out = s.ok(&["export", "--format", "jsonl"]);
    let rec: serde_json::Value = serde_json::from_str(out.trim()).expect("JSON");
    let p = &rec["victims"][0]["acts"][0]["perpetrators"];
    assert_eq!(
        (
            &p[0]["actor"],
            &p[0]["basis"],
            &p[1]["actor"],
            &p[1]["confidence"]
        ),
        (
            &serde_json::json!("Taliban"),
            &serde_json::json!("denied"),
            &serde_json::json!("ISKP"),
            &serde_json::json!("likely")
        )
    );
}

/// The rows of one incident split apart by another incident would make two
/// records of one: the second is refused, naming its row, and nothing is
/// imported (found without keeping every key read, so memory stays flat).
#[test]
fn import_refuses_an_incident_whose_rows_are_split_apart() {
    let s = Sandbox::new();
    s.write(
        "split.csv",
        format!(
            "{HEADER}\
AF-2021-0001,2021-08-08,AF,Radio manager killed,Toofan Omar,killed\n\
AF-2021-0002,2021-08-10,AF,Reporter detained,Nemat Rawan,detained\n\
AF-2021-0001,2021-08-08,AF,Radio manager killed,Toofan Omar,threatened\n"
        ),
    );
    assert_eq!(
        s.fails(&["import", "split.csv"], 1),
        "row 4: incident 'AF-2021-0001' appears again in this file (keep all the rows of an \
         incident together, and each incident once)\n\
         pressreg: 1 of 3 rows are invalid; nothing was imported\n"
    );
    assert_eq!(s.rows("revision"), 0, "a refused import writes nothing");
}

/// The same incident twice in one JSONL file is refused too, also when
/// updating: the second copy must not silently overwrite the first.
#[test]
fn import_refuses_the_same_incident_twice_even_when_updating() {
    let s = Sandbox::new();
    let line = r#"{"uid":"00000000-0000-4000-8000-000000000001","date":"2021-08-08","country":"AF","victims":[{"name":"A","acts":[{"type":"killed"}]}]}"#;
    s.write("twice.jsonl", format!("{line}\n{line}\n"));
    for conflict in ["fail", "update"] {
        assert_eq!(
            s.fails(&["import", "twice.jsonl", "--on-conflict", conflict], 1),
            "row 2: incident 'AF-2021-0001' appears again in this file (keep all the rows of an \
             incident together, and each incident once)\n\
             pressreg: 1 of 2 rows are invalid; nothing was imported\n",
            "--on-conflict {conflict}"
        );
    }
}

/// Under --on-conflict update, claims are evidence and are not deleted: a
/// claim the file no longer repeats stays as it was, and one the same
/// source now contradicts stays visible but is no longer accepted.
#[test]
fn import_update_keeps_claims_and_supersedes_contradicted_ones() {
    let s = Sandbox::new();
    let uid = "00000000-0000-4000-8000-0000000000aa";
    let record = |claims: &str| {
        format!(
            r#"{{"uid":"{uid}","date":"2021-08-08","country":"AF","victims":[{{"name":"A","acts":[{{"type":"killed"}}]}}],"sources":[{{"uid":"00000000-0000-4000-8000-0000000000bb","url":"https://example.org/wire","publisher":"Wire"}}],"claims":[{claims}]}}"#
        )
    };
    let first = r#"{"source":"1","field":"date_start","value":"2021-08-08","accepted":true},{"source":"1","field":"admin2","value":"Nawa"}"#;
    let second = r#"{"source":"1","field":"date_start","value":"2021-08-09","accepted":true}"#;
    s.write("first.jsonl", record(first) + "\n");
    s.write("second.jsonl", record(second) + "\n");
    s.ok(&["add", "--file", "first.jsonl"]);
    let r = s.run(&["import", "second.jsonl", "--on-conflict", "update"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "imported 1 incident (0 added, 1 updated, 0 unchanged, 0 skipped)\n"
        )
    );
    let shown = show_json(&s, "AF-2021-0001");
    let claims: Vec<(String, String, bool)> = shown["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .map(|c| {
            (
                c["field"].as_str().unwrap_or("").to_string(),
                c["value"].as_str().unwrap_or("").to_string(),
                c["accepted"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    assert_eq!(
        claims,
        vec![
            ("date_start".into(), "2021-08-08".into(), false),
            ("admin2".into(), "Nawa".into(), false),
            ("date_start".into(), "2021-08-09".into(), true),
        ]
    );
}

/// Imports `input` as `format` and returns stderr, checking that nothing
/// was written.
#[track_caller]
fn refused_import(input: &[u8], format: &str) -> String {
    let s = Sandbox::new();
    let name = if format == "jsonl" {
        "in.jsonl"
    } else {
        "in.csv"
    };
    s.write(name, input);
    let err = s.fails(&["import", name, "--format", format], 1);
    assert_eq!(s.rows("revision"), 0, "{err}");
    err
}

const CONTROL: &str = "(accepted: text without control characters other than tab and line breaks)";
const QUOTING: &str = "(accepted: the whole field in quotes, each quote inside it doubled)";
const OPEN_QUOTE: &str = "a quote is opened and never closed; the rest of the file would be read into this field (accepted: quotes in pairs, as RFC 4180 says)";

/// See: safety issue, "Native CSV with an unclosed quote after a stray quote
/// elsewhere swallows the following rows into one name and imports '2
/// incidents', exit 0 (the check counts quote characters)".
#[test]
fn native_csv_unclosed_quote_after_a_stray_quote_is_refused() {
    let input = format!(
        "{HEADER}\
AF-2021-0001,2021-08-08,AF,Reporter shot,Sean O\"Brien,killed\n\
AF-2021-0002,2021-08-09,AF,Editor shot,\"Ana,killed\n\
AF-2021-0003,2021-08-10,AF,Writer shot,Zia,killed\n"
    );
    assert_eq!(
        refused_import(input.as_bytes(), "native"),
        format!(
            "row 2, column victim_name: a quote inside an unquoted field {QUOTING}\n\
row 3, column victim_name: {OPEN_QUOTE}\n\
pressreg: 2 of 2 rows are invalid; nothing was imported\n"
        )
    );
}

/// See: issue 7, "a row with control characters in three columns was
/// reported as `column fullName` five times in six runs and `column
/// organizations` once (a `HashMap` walked in random order)".
#[test]
fn cpj_row_with_control_characters_names_the_first_column_in_header_order() {
    let header = "year,combinedStatus,fullName,sortName,primaryNationality,secondaryNationality,tertiaryNationality,gender,type,lastStatus,typeOfDeath,status,employedAs,organizations,jobs,coverage,mediums,country,location,region,state,locality,province,localOrForeign,sourcesOfFire,motiveConfirmed,accountabilityCrossfire,accountabilityAssignment,impunityMurder,tortured,captive,threatened,charges,motive,lengthOfSentence,healthProblems,impCountry,entry,sentenceDate,sentence,locationImprisoned,Type of journalist";
    let mut cells = vec![""; 42];
    cells[0] = "2007";
    cells[2] = "Ana\u{1}";
    cells[13] = "Radio\u{2}";
    cells[17] = "Iraq\u{3}";
    let input = format!("{header}\r\n{}\r\n", cells.join(","));
    for _ in 0..6 {
        assert_eq!(
            refused_import(input.as_bytes(), "cpj"),
            format!(
                "row 2, column fullName: the field holds the control character U+0001 at character 4 {CONTROL}\n\
pressreg: 1 of 1 rows are invalid; nothing was imported\n"
            )
        );
    }
}

/// Issue 7: native CSV and the monitors' CSV had two readers with other
/// rules and messages. One reader now: the same fault gives the same
/// message whatever the format.
#[test]
fn every_csv_format_is_read_by_one_reader_with_one_set_of_messages() {
    let cpj_header = "year,combinedStatus,fullName,sortName,primaryNationality,secondaryNationality,tertiaryNationality,gender,type,lastStatus,typeOfDeath,status,employedAs,organizations,jobs,coverage,mediums,country,location,region,state,locality,province,localOrForeign,sourcesOfFire,motiveConfirmed,accountabilityCrossfire,accountabilityAssignment,impunityMurder,tortured,captive,threatened,charges,motive,lengthOfSentence,healthProblems,impCountry,entry,sentenceDate,sentence,locationImprisoned,Type of journalist";
    // The third column of each header: fullName (CPJ), country (native).
    let third = |format: &str| {
        if format == "cpj" {
            "fullName"
        } else {
            "country"
        }
    };
    let width = |format: &str| if format == "cpj" { 42 } else { 6 };
    for format in ["cpj", "native"] {
        let header = if format == "cpj" {
            cpj_header
        } else {
            HEADER.trim_end()
        };
        let row = |third_cell: &str| {
            let mut cells = vec![""; width(format)];
            cells[2] = third_cell;
            cells.join(",")
        };
        let cases: Vec<(Vec<u8>, String)> = vec![
            (
                format!("{header}\n{}\n", row("a\u{0}b")).into_bytes(),
                format!("row 2, column {}: the field holds the control character U+0000 at character 2 {CONTROL}", third(format)),
            ),
            (
                format!("{header}\n{}\n", row("a\u{1b}[2J")).into_bytes(),
                format!("row 2, column {}: the field holds the control character U+001B at character 2 {CONTROL}", third(format)),
            ),
            (
                // Latin-1 "café": 0xE9 alone is not UTF-8.
                format!("{header}\n{}\n", row("caf#"))
                    .bytes()
                    .map(|b| if b == b'#' { 0xE9 } else { b })
                    .collect(),
                format!("row 2, column {}: invalid UTF-8 at byte 4 of the field (save the file as UTF-8)", third(format)),
            ),
            (
                format!("{header}\n{},extra\n", row("x")).into_bytes(),
                format!("row 2: the row has {} fields, the header has {} (accepted: one field per header column)", width(format) + 1, width(format)),
            ),
            (
                format!("{header}\n{}\n", row("O\"Brien")).into_bytes(),
                format!("row 2, column {}: a quote inside an unquoted field {QUOTING}", third(format)),
            ),
            (
                format!("{header}\n{}\n", row("\"Ana\" Bo")).into_bytes(),
                format!("row 2, column {}: text after the closing quote {QUOTING}", third(format)),
            ),
            (
                format!("{header}\n{}\n", row("\"open")).into_bytes(),
                format!("row 2, column {}: {OPEN_QUOTE}", third(format)),
            ),
        ];
        for (input, expected) in cases {
            let err = refused_import(&input, format);
            assert_eq!(
                err.lines().next().unwrap_or(""),
                expected,
                "{format}: {err}"
            );
        }
    }
}

#[test]
fn import_refuses_an_empty_file_and_a_repeated_column() {
    for format in ["native", "cpj", "uspft"] {
        assert_eq!(
            refused_import(b"", format),
            "pressreg: row 1: the file is empty (a CSV file starts with a header row)\n"
        );
    }
    assert_eq!(
        refused_import(
            b"incident_ref,country,country\nAF-2021-0001,AF,AF\n",
            "native"
        ),
        "pressreg: row 1, column country: the column appears twice (accepted: each column once)\n"
    );
    assert_eq!(
        refused_import(b"title,slug,title\n", "uspft"),
        "pressreg: row 1, column title: the column appears twice (accepted: each column once)\n"
    );
}

#[test]
fn import_stops_at_a_record_above_the_cap() {
    // 17 MiB without a line break: refused before it is held whole.
    let mut input = b"incident_ref,country,summary\nAF-2021-0001,AF,".to_vec();
    for _ in 0..17 {
        input.extend(std::iter::repeat_n(b'x', 1 << 19));
        input.push(b',');
        input.extend(std::iter::repeat_n(b'x', 1 << 19));
    }
    assert_eq!(
        refused_import(&input, "native"),
        "row 2: the record is longer than 16 MiB (accepted: at most that)\n\
pressreg: 1 of 1 rows are invalid; nothing was imported\n"
    );
}

/// Issue 7: free text is checked by one rule on every path; JSONL had none.
/// See also: safety issue, "NUL bytes through JSON, a 50 MB JSON field (a
/// cap, like CSV's)".
#[test]
fn jsonl_free_text_is_checked_by_the_one_rule() {
    let nul = br#"{"country":"AF","date":"2021-08-08","summary":"a\u0000b"}"#;
    assert_eq!(
        refused_import(nul, "jsonl"),
        format!(
            "row 1: summary holds the control character U+0000 at character 2 {CONTROL}\n\
pressreg: 1 of 1 rows are invalid; nothing was imported\n"
        )
    );
    let nested = br#"{"country":"AF","date":"2021-08-08","victims":[{"name":"X","acts":[{"type":"killed","perpetrators":[{"actor":"Army\u009b"}]}]}]}"#;
    assert_eq!(
        refused_import(nested, "jsonl"),
        format!(
            "row 1: victim 1: act 1: perpetrator 1: actor holds the control character U+009B at character 5 {CONTROL}\n\
pressreg: 1 of 1 rows are invalid; nothing was imported\n"
        )
    );
    let big = format!(
        "{{\"country\":\"AF\",\"date\":\"2021-08-08\",\"victims\":[{{\"name\":\"{}\"}}]}}\n",
        "x".repeat(50_000_000)
    );
    assert_eq!(
        refused_import(big.as_bytes(), "jsonl"),
        "row 1: victim 1: name is 50000000 bytes long (accepted: at most 1048576 bytes)\n\
pressreg: 1 of 1 rows are invalid; nothing was imported\n"
    );
}

/// `validate` says which field is wrong; for native CSV, `import` turns an
/// incident's field into its column (issue 7: callers render the field
/// path, nobody rewrites message prefixes).
#[test]
fn native_csv_validation_errors_name_the_column() {
    let input =
        "incident_ref,date_start,country,title,victim_name,act_type,latitude,longitude,age\n\
AF-2021-0001,2022-01-02,AF,x,V,killed,,,\n\
AF-2021-0002,2021-01-02,ZZ,x,V,killed,,,\n\
AF-2021-0003,2021-01-02,AF,x,V,killed,95,0,\n\
AF-2021-0004,2021-01-02,AF,x,V,killed,,,130\n";
    assert_eq!(
        refused_import(input.as_bytes(), "native"),
        "row 2, column date_start: date 2022-01-02 is in the future (today is 2021-12-31)\n\
row 3, column country: unknown country 'ZZ' (accepted: an ISO 3166-1 code such as AF or AFG, a name such as Afghanistan, or an ISO 3166-3 code of a former state such as YUCS)\n\
row 4, column latitude: latitude 95 is out of range (accepted: -90 to 90)\n\
row 5: victim 1: age 130 is out of range (accepted: 0 to 120)\n\
pressreg: 4 of 4 rows are invalid; nothing was imported\n"
    );
}

#[test]
fn import_refuses_an_unclean_header_and_an_unreadable_file() {
    assert_eq!(
        refused_import(b"incident_ref,coun\x01try\n", "native"),
        format!(
            "pressreg: row 1, column 2: the field holds the control character U+0001 at character 5 {CONTROL}\n"
        )
    );
    let s = Sandbox::new();
    std::fs::create_dir(s.path("dir.csv")).expect("make a directory");
    for format in ["native", "cpj", "uspft"] {
        assert_eq!(
            s.fails(&["import", "dir.csv", "--format", format], 1),
            "pressreg: row 1: cannot read the file: Is a directory (os error 21)\n"
        );
    }
    assert_eq!(s.rows("revision"), 0);
}

/// Records that carry no uid get version-8 uids (RFC 9562) that sort, in
/// every table, in the order the import wrote the rows, so that a large
/// import appends to each uid index; `check` verifies what it wrote, and
/// uids a record carries are kept as they are.
#[test]
fn new_uids_are_v8_and_sort_in_the_order_of_writing() {
    let s = Sandbox::new();
    let mut csv = String::from(
        "incident_ref,incident_uid,date_start,country,title,victim_name,act_type,perpetrators,perpetrator_types,source_urls\n",
    );
    for i in 1..=40 {
        let uid = if i == 7 {
            "00000000-0000-4000-8000-000000000007".to_string()
        } else {
            String::new()
        };
        for act in ["threatened", "detained"] {
            csv.push_str(&format!(
                "AF-2021-{i:04},{uid},2021-08-08,AF,Incident {i},Victim {i},{act},Police,state_police,https://example.org/{i}\n"
            ));
        }
    }
    s.write("in.csv", csv);
    let r = s.run(&["import", "in.csv"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "imported 40 incidents (40 added, 0 updated, 0 unchanged, 0 skipped)\n"
        )
    );
    let conn = s.conn();
    for table in [
        "incident",
        "victim",
        "act",
        "involvement",
        "source",
        "actor",
    ] {
        let uids: Vec<String> = conn
            .prepare(&format!("SELECT uid FROM {table} ORDER BY id"))
            .expect("prepare")
            .query_map([], |r| r.get(0))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("uids");
        let made: Vec<&String> = uids
            .iter()
            .filter(|u| u.as_str() != "00000000-0000-4000-8000-000000000007")
            .collect();
        assert!(!made.is_empty(), "{table}");
        for u in &made {
            let parsed = uuid::Uuid::parse_str(u).expect("a uuid");
            assert_eq!(parsed.get_version_num(), 8, "{table} {u}");
            assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122, "{table} {u}");
        }
        assert!(made.windows(2).all(|p| p[0] < p[1]), "{table}: {made:?}");
    }
    let kept: i64 = conn
        .query_row(
            "SELECT count(*) FROM incident WHERE uid = '00000000-0000-4000-8000-000000000007' AND ref = 'AF-2021-0007'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(kept, 1);
    let out = s.ok(&["check"]);
    assert!(
        out.contains("every table matches the revision log"),
        "{out}"
    );
}

//! `pressreg export`: the formats, the profiles and the output file.

use serde_json::{json, Value};

use crate::fixtures::{load_fixture, uid};
use crate::Sandbox;

const HEADER: &str = "incident_ref,incident_uid,date_start,date_end,date_precision,date_approximate,date_as_reported,calendar,country,admin1,admin2,locality,place,latitude,longitude,geo_precision,context,verification,work_link,justice,confidentiality,title,summary,victim_position,victim_uid,victim_name,name_variants,anonymous,sex,age,nationality,local_or_foreign,category,employment,jobs,mediums,outlet,beats,status,victim_confidentiality,act_uid,act_type,death_context,method,act_date_start,act_date_end,act_date_precision,perpetrators,perpetrator_types,attribution_basis,attribution_confidence,source_urls,source_publishers,export_profile\r\n";

#[test]
fn export_public_csv_is_the_documented_long_format() {
    let s = Sandbox::new();
    load_fixture(&s);
    let incident = "AF-2021-0007,00000000-0000-4000-8000-000000000001,2021-08-08,,day,false,2021-08-08,gregorian,AF,Kabul,Deh Sabz,Deh Sabz,,,,3,at_home,corroborated,likely,no_information,public,'=Radio manager killed,\"Shot at home, then \"\"finished\"\" in Kabul,\nsays the family.\"";
    let sources = "https://bdnews24.com/world/2021/08/09/taliban-kill|https://example.org/a\\|b,bdnews24|-Wire,public\r\n";
    let expected = format!(
        "{HEADER}\
MX-2021-0002,00000000-0000-4000-8000-000000000004,2021-05-03,,day,true,2021-05-03?,gregorian,MX,Guerrero,,,,,,0,unknown,reported,unknown,no_information,public,Outlet raided,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,https://articulo19.org/x,Article 19,public\r\n\
{incident},1,00000000-0000-4000-8000-000000000011,Toofan Omar,Toofan Omari,false,male,40,AF,local,journalist,unknown,reporter|editor,radio,Paktia Ghag Radio,politics,dead,public,00000000-0000-4000-8000-000000000021,killed,targeted,shooting,,,,Taliban|Islamic State Khorasan,armed_group|armed_group,official_accusation|claimed,possible|likely,{sources}\
{incident},2,00000000-0000-4000-8000-000000000012,Victim AF-2021-0007-2,,true,female,,,,media_worker,unknown,,,,,unknown,public,00000000-0000-4000-8000-000000000022,threatened,,online,,,,,,,,{sources}\
{incident},2,00000000-0000-4000-8000-000000000012,Victim AF-2021-0007-2,,true,female,,,,media_worker,unknown,,,,,unknown,public,00000000-0000-4000-8000-000000000023,wounded,,unknown,2021-08-09,,day,,,,,{sources}"
    );
    assert_eq!(s.ok(&["export"]), expected);
}

#[test]
fn export_partner_keeps_coordinates_and_partner_records_only() {
    let s = Sandbox::new();
    load_fixture(&s);
    let out = s.ok(&["export", "--profile", "partner", "--format", "json"]);
    let records: Vec<Value> = serde_json::from_str(&out).expect("a JSON array");
    let refs: Vec<&str> = records.iter().filter_map(|r| r["ref"].as_str()).collect();
    assert_eq!(refs, ["MX-2021-0002", "AF-2021-0007", "AF-2021-0008"]);
    assert_eq!(
        (&records[1]["latitude"], &records[1]["longitude"]),
        (&json!(34.61), &json!(69.25))
    );
    // Partner sees no private notes, no confidential source, and the
    // anonymous victim only as the pseudonym.
    assert_eq!(records[1]["victims"][1]["name"], "Victim AF-2021-0007-2");
    assert!(!out.contains("ANON-SECRET"), "{out}");
    assert!(!out.contains("NOTE-SECRET"), "{out}");
    assert!(!out.contains("CONTACT-SECRET"), "{out}");
    assert!(!out.contains("INTERNAL-SECRET"), "{out}");
    assert!(!out.contains("RESTRICTED-SECRET"), "{out}");
}

#[test]
fn export_internal_and_full_profiles_widen_step_by_step() {
    let s = Sandbox::new();
    load_fixture(&s);
    let internal = s.ok(&["export", "--profile", "internal", "--format", "jsonl"]);
    assert_eq!(internal.lines().count(), 3);
    assert!(internal.contains("INTERNAL-SECRET Person"));
    assert!(!internal.contains("NOTE-SECRET"));
    assert!(!internal.contains("CONTACT-SECRET"));
    let full = s.ok(&["export", "--profile", "full", "--format", "jsonl"]);
    assert_eq!(full.lines().count(), 4);
    for marker in [
        "NOTE-SECRET",
        "CONTACT-SECRET",
        "RESTRICTED-SECRET",
        "ANON-SECRET",
    ] {
        assert!(full.contains(marker), "full export lacks {marker}");
    }
}

#[test]
fn export_filters_select_incidents() {
    let s = Sandbox::new();
    load_fixture(&s);
    let out = s.ok(&["export", "--country", "MX", "--format", "jsonl"]);
    assert_eq!(out.lines().count(), 1);
    assert!(out
        .starts_with("{\"export_profile\":\"public\",\"uid\":\"00000000-0000-4000-8000-000000000004\",\"ref\":\"MX-2021-0002\""));
    assert_eq!(
        s.ok(&["export", "--year", "2020", "--format", "json"]),
        "[]\n"
    );
    assert_eq!(s.ok(&["export", "--year", "2020"]), HEADER);
}

#[cfg(unix)]
#[test]
fn export_to_a_file_is_owner_only_with_a_bom_when_asked() {
    use std::os::unix::fs::PermissionsExt;
    let s = Sandbox::new();
    load_fixture(&s);
    assert_eq!(s.ok(&["export", "--bom", "-o", "out.csv"]), "");
    let bytes = std::fs::read(s.path("out.csv")).expect("export file");
    assert!(bytes.starts_with(b"\xEF\xBB\xBFincident_ref,incident_uid,"));
    let mode = std::fs::metadata(s.path("out.csv"))
        .expect("stat")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // Without -o (or with -o -) the same bytes go to stdout, without BOM.
    let stdout = s.ok(&["export", "-o", "-"]);
    assert_eq!(stdout.as_bytes(), &bytes[3..]);
}

#[test]
fn export_that_fails_leaves_no_file() {
    let s = Sandbox::new();
    load_fixture(&s);
    let err = s.fails(&["export", "-o", "missing-dir/out.csv"], 1);
    assert_eq!(
        err,
        "pressreg: failed to create 'missing-dir/out.csv': No such file or directory (os error 2)\n"
    );
    // A registry that cannot be read: nothing is created either.
    let other = Sandbox::empty();
    let err = other.fails(&["export", "-o", "out.csv"], 1);
    assert!(err.starts_with("pressreg: no registry at"), "{err}");
    assert!(!other.path("out.csv").exists());
    let leftovers: Vec<_> = std::fs::read_dir(s.dir())
        .expect("list sandbox")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn export_refuses_an_unknown_profile() {
    let s = Sandbox::new();
    load_fixture(&s);
    assert_eq!(
        s.fails(&["export", "--profile", "everyone"], 1),
        "pressreg: invalid value 'everyone' for --profile (accepted: public, partner, internal, full)\n"
    );
}

/// Runs python3 with `script` on the export; None when python3, or the
/// module `module` the script imports, is missing here (see
/// `crate::require`).
#[track_caller]
fn python(module: &str, script: &str, csv_path: &std::path::Path) -> Option<String> {
    let Ok(out) = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(csv_path)
        .output()
    else {
        return crate::require(
            None,
            "python3",
            ".ci/run installs it with apt-get install python3",
        );
    };
    let err = String::from_utf8_lossy(&out.stderr);
    if err.contains(&format!("No module named '{module}'")) {
        return crate::require(
            None,
            &format!("the Python module {module}"),
            &format!(".ci/run installs it with python3 -m pip install {module} (or apt-get install python3-{module})"),
        );
    }
    assert!(out.status.success(), "python failed: {err}");
    Some(String::from_utf8_lossy(&out.stdout).to_string())
}

#[test]
fn export_csv_opens_in_python_csv_and_pandas_with_no_options() {
    let s = Sandbox::new();
    load_fixture(&s);
    s.ok(&["export", "--profile", "partner", "-o", "out.csv"]);
    let path = s.path("out.csv");
    let csv_script = "import csv,sys\nrows=list(csv.reader(open(sys.argv[1],newline='',encoding='utf-8')))\nprint(len(rows),len(rows[0]),{len(r) for r in rows}=={len(rows[0])},rows[2][21],rows[2][13],repr(rows[2][22]))";
    let Some(out) = python("csv", csv_script, &path) else {
        return;
    };
    assert_eq!(
        out,
        "6 54 True '=Radio manager killed 34.61 'Shot at home, then \"finished\" in Kabul,\\nsays the family.'\n"
    );
    let pandas_script = "import pandas,sys\nd=pandas.read_csv(sys.argv[1])\nprint(d.shape, d['latitude'].dtype, d['age'].dtype, list(d['incident_ref']))";
    let Some(out) = python("pandas", pandas_script, &path) else {
        return;
    };
    assert_eq!(
        out,
        "(5, 54) float64 float64 ['MX-2021-0002', 'AF-2021-0007', 'AF-2021-0007', 'AF-2021-0007', 'AF-2021-0008']\n"
    );
}

#[test]
fn export_writes_deleted_incidents_only_in_full_jsonl_when_asked() {
    let s = Sandbox::new();
    let deleted = json!({
        "uid": uid(9), "ref": "AF-2021-0099", "title": "Deleted", "date": "2021-01-05",
        "country": "AF", "deleted_at": "2021-02-01T00:00:00Z"
    });
    s.write("deleted.jsonl", format!("{deleted}\n"));
    let r = s.run(&["import", "deleted.jsonl"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "imported 1 incident (1 added, 0 updated, 0 unchanged, 0 skipped)\n"
        )
    );
    assert_eq!(
        s.ok(&["export", "--profile", "full", "--format", "json"]),
        "[]\n"
    );
    let out = s.ok(&[
        "export",
        "--profile",
        "full",
        "--format",
        "jsonl",
        "--include-deleted",
    ]);
    assert!(
        out.contains("\"deleted_at\":\"2021-02-01T00:00:00Z\""),
        "{out}"
    );
    assert_eq!(
        s.ok(&["export", "--format", "jsonl", "--include-deleted"]),
        "",
        "only the full profile writes deleted incidents"
    );
    assert_eq!(
        s.fails(&["export", "--profile", "full", "--include-deleted"], 1),
        "pressreg: deleted incidents travel only in JSON or JSONL (give --format jsonl with --include-deleted)\n"
    );
    // And they come back deleted.
    let other = Sandbox::new();
    other.write("backup.jsonl", &out);
    assert_eq!(other.run(&["import", "backup.jsonl"]).code, 0);
    assert_eq!(
        other.ok(&[
            "export",
            "--profile",
            "full",
            "--format",
            "jsonl",
            "--include-deleted"
        ]),
        out
    );
}

/// Only `full` carries the name of a victim who asked not to be named
/// (DESIGN §2): partner and internal exports show the pseudonym too, and no
/// profile but `full` carries what could identify them: name variants,
/// outlet, age, nationality.
#[test]
fn only_full_exports_name_an_anonymous_victim_or_what_identifies_them() {
    let s = crate::fixtures::audience_registry();
    for profile in ["public", "partner", "internal"] {
        let out = s.ok(&[
            "export",
            "--profile",
            profile,
            "--format",
            "json",
            "--country",
            "AF",
        ]);
        let records: Vec<Value> = serde_json::from_str(&out).expect("a JSON array");
        let herat = records
            .iter()
            .find(|r| r["ref"] == "AF-2021-0003")
            .expect("AF-2021-0003 is public");
        let anonymous = herat["victims"]
            .as_array()
            .and_then(|v| v.iter().find(|v| v["anonymous"] == true))
            .expect("the anonymous victim");
        assert_eq!(anonymous["name"], "Victim AF-2021-0003-3", "{profile}");
        assert_eq!(
            ["name_variants", "outlet", "age", "nationality"].map(|f| anonymous.get(f).cloned()),
            [None, Some(json!("")), Some(Value::Null), Some(json!(""))],
            "{profile}: {anonymous}"
        );
        assert!(!out.contains("Anon"), "{profile}: {out}");
    }
    let full = s.ok(&["export", "--profile", "full", "--format", "jsonl"]);
    assert!(full.contains(r#""name":"Anon Name""#), "{full}");
    assert!(full.contains(r#""outlet":"Anon Outlet","#), "{full}");
    // The public CSV row: pseudonym, no age, nationality or outlet.
    let csv = s.ok(&["export", "--act", "threatened"]);
    let row = csv
        .lines()
        .find(|l| l.contains(",threatened,"))
        .expect("the threat");
    let cells: Vec<&str> = row.split(',').collect();
    let header: Vec<&str> = HEADER.trim_end().split(',').collect();
    let cell = |name: &str| cells[header.iter().position(|h| *h == name).expect(name)];
    assert_eq!(
        [
            cell("victim_name"),
            cell("name_variants"),
            cell("age"),
            cell("nationality"),
            cell("outlet"),
            cell("anonymous")
        ],
        ["Victim AF-2021-0003-3", "", "", "", "", "true"]
    );
}

/// Filters of a public (or partner, or internal) export match only what it
/// shows: the name or outlet of a victim who asked not to be named, a
/// hidden victim's name, or an actor known only from hidden records finds
/// nothing, exactly as a name nobody has; `full` finds them.
#[test]
fn export_filters_do_not_confirm_hidden_names() {
    let s = crate::fixtures::audience_registry();
    for (flag, value) in [
        ("--victim", "Anon Name"),
        ("--outlet", "Anon Outlet"),
        ("--victim", "Hidden Person"),
        ("--victim", "Restricted Person"),
        ("--victim", "Partner Person"),
        ("--actor", "Hidden Gang"),
        ("--actor", "Secret Militia"),
        ("--victim", "Nobody At All"),
    ] {
        assert_eq!(s.ok(&["export", flag, value]), HEADER, "{flag} {value}");
        assert_eq!(s.ok(&["export", flag, value, "--format", "json"]), "[]\n");
    }
    let refs = |args: &[&str]| -> Vec<String> {
        let out = s.ok(&[&["export", "--format", "jsonl"], args].concat());
        out.lines()
            .map(|l| serde_json::from_str::<Value>(l).expect("JSON")["ref"].to_string())
            .collect()
    };
    assert!(refs(&["--victim", "Anon Name", "--profile", "internal"]).is_empty());
    assert_eq!(
        refs(&["--victim", "Anon Name", "--profile", "full"]),
        [r#""AF-2021-0003""#]
    );
    assert_eq!(
        refs(&["--outlet", "Anon Outlet", "--profile", "full"]),
        [r#""AF-2021-0003""#]
    );
    assert_eq!(
        refs(&["--victim", "Partner Person", "--profile", "partner"]),
        [r#""AF-2021-0004""#]
    );
    assert!(refs(&["--actor", "Hidden Gang", "--profile", "internal"]).is_empty());
    assert_eq!(
        refs(&["--actor", "Hidden Gang", "--profile", "full"]),
        [r#""AF-2021-0003""#]
    );
    // A shown victim's name still finds the case.
    assert_eq!(refs(&["--victim", "open person"]), [r#""AF-2021-0003""#]);
}

/// `--disputed` matches only a disagreement the output shows: a claim by a
/// confidential source (which no profile but `full` carries) does not make
/// a public incident disputed for the public, in an export or a summary.
#[test]
fn disputed_matches_only_disagreements_the_audience_is_shown() {
    let s = Sandbox::new();
    let incident = r#"{"date":"2021-05-01","country":"MX","admin1":"Guerrero",
      "victims":[{"name":"Ana","acts":[{"type":"threatened"}]}],
      "sources":[{"publisher":"Wire","url":"https://x.org/a"},
                 {"publisher":"Contact","url":"tel:+52-1","confidential":true}],
      "claims":[{"source":"2","field":"admin1","value":"Oaxaca"}]}"#;
    assert_eq!(
        crate::fixtures::add_json(&s, "d.json", incident),
        "MX-2021-0001"
    );
    assert_eq!(s.ok(&["export", "--disputed"]), HEADER);
    assert_eq!(
        s.ok(&[
            "export",
            "--disputed",
            "--profile",
            "internal",
            "--format",
            "json"
        ]),
        "[]\n"
    );
    let full = s.ok(&[
        "export",
        "--disputed",
        "--profile",
        "full",
        "--format",
        "jsonl",
    ]);
    assert_eq!(full.lines().count(), 1, "{full}");
    let csv = |audience: &str| {
        s.run(&[
            "summary",
            "--disputed",
            "--audience",
            audience,
            "--format",
            "csv",
        ])
        .stdout
    };
    assert_eq!(csv("public"), "year,victims\ntotal,0\n");
    assert_eq!(csv("full"), "year,victims\n2021,1\ntotal,1\n");
    // A public source's claim is a disagreement the public is shown.
    s.ok(&[
        "claim",
        "add",
        "MX-2021-0001",
        "--source",
        "1",
        "--field",
        "admin1",
        "--value",
        "Sonora",
    ]);
    let public = s.ok(&["export", "--disputed", "--format", "jsonl"]);
    assert_eq!(public.lines().count(), 1, "{public}");
    assert!(
        public.contains("Sonora") && !public.contains("Oaxaca"),
        "{public}"
    );
    assert_eq!(csv("public"), "year,victims\n2021,1\ntotal,1\n");
    // Without --disputed the case is public and counted.
    assert_eq!(
        s.run(&["summary", "--format", "csv"]).stdout,
        "year,victims\n2021,1\ntotal,1\n"
    );
}

/// A partner or internal export read back with `--on-conflict update`
/// changes nothing: the pseudonym and the blanks it gives an anonymous
/// victim are not values the colleague cleared.
#[test]
fn a_partner_export_read_back_keeps_what_it_withheld_of_anonymous_victims() {
    let s = crate::fixtures::audience_registry();
    let before = s.ok(&["export", "--profile", "full", "--format", "jsonl"]);
    for profile in ["partner", "internal"] {
        let file = format!("{profile}.jsonl");
        s.ok(&[
            "export",
            "--profile",
            profile,
            "--format",
            "jsonl",
            "-o",
            &file,
        ]);
        let r = s.run(&["import", &file, "--on-conflict", "update"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(
            s.ok(&["export", "--profile", "full", "--format", "jsonl"]),
            before,
            "{profile}"
        );
    }
    assert!(before.contains(r#""outlet":"Anon Outlet""#), "{before}");
}

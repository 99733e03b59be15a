//! `pressreg list`.

use crate::fixtures::{add_json, registry};
use crate::Sandbox;

#[test]
fn list_shows_one_line_per_incident_as_a_table() {
    let s = registry();
    assert_eq!(
        s.ok(&["list"]),
        "\
REF           DATE             PLACE                     VICTIMS  NAMES                                               ACTS               PERPETRATORS                                         VERIFICATION
AF-2021-0003  ~25–26 Feb 2021  Ghor, AF                        1  Victim AF-2021-0003-1                               killed                                                                  reported
AF-2021-0001  2 Mar 2021       Jalalabad, Nangarhar, AF        4  Mursal Wahidi; Sadia Sadat; Shahnaz Roafi; unnamed  killed×3, wounded  Islamic State Khorasan (likely), Taliban (possible)  corroborated
GR-2021-0001  Apr 2021         Alimos, Attica, GR              1  Giorgos Karaivaz                                    threatened         unknown (unknown)                                    reported
AF-2021-0002  8 Aug 2021       Deh Sabz, Kabul, AF             1  Toofan Omar                                         killed             Taliban (possible)                                   reported
"
    );
}

#[test]
fn list_alias_ls_and_filters() {
    let s = registry();
    assert_eq!(
        s.ok(&["ls", "--country", "GR", "--format", "csv"]),
        "ref,date,place,victims,names,acts,perpetrators,verification\n\
         GR-2021-0001,2021-04,\"Alimos, Attica, GR\",1,Giorgos Karaivaz,threatened,unknown (unknown),reported\n"
    );
    assert_eq!(
        s.ok(&["list", "--victim", "omari", "--format", "jsonl"]),
        "{\"ref\":\"AF-2021-0002\",\"date\":\"2021-08-08\",\"place\":\"Deh Sabz, Kabul, AF\",\"victims\":1,\
         \"names\":\"Toofan Omar\",\"acts\":\"killed\",\"perpetrators\":\"Taliban (possible)\",\
         \"verification\":\"reported\"}\n"
    );
    let ids: Vec<String> = s
        .ok(&["list", "--act", "wounded", "--format", "csv"])
        .lines()
        .map(|l| l.split(',').next().unwrap_or("").to_string())
        .collect();
    assert_eq!(ids, ["ref", "AF-2021-0001"]);
}

#[test]
fn list_json_has_the_same_fields_as_csv() {
    let s = registry();
    assert_eq!(
        s.ok(&["list", "--country", "GR", "--format", "json"]),
        r#"[
  {
    "ref": "GR-2021-0001",
    "date": "2021-04",
    "place": "Alimos, Attica, GR",
    "victims": 1,
    "names": "Giorgos Karaivaz",
    "acts": "threatened",
    "perpetrators": "unknown (unknown)",
    "verification": "reported"
  }
]
"#
    );
}

#[test]
fn list_with_no_match_says_so_on_stderr() {
    let s = registry();
    let r = s.run(&["list", "--country", "MX"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "", "pressreg: no incidents match\n")
    );
    assert_eq!(
        s.ok(&["list", "--country", "MX", "--format", "csv"]),
        "ref,date,place,victims,names,acts,perpetrators,verification\n"
    );
    assert_eq!(
        s.ok(&["list", "--country", "MX", "--format", "json"]),
        "[]\n"
    );
    assert_eq!(s.ok(&["list", "--country", "MX", "--format", "jsonl"]), "");
}

#[test]
fn list_hides_deleted_incidents_unless_asked() {
    let s = registry();
    s.run(&[
        "delete",
        "AF-2021-0003",
        "--reason",
        "duplicate of another record",
    ]);
    let plain = s.ok(&["list", "--format", "csv"]);
    assert!(!plain.contains("AF-2021-0003"), "{plain}");
    let all = s.ok(&[
        "list",
        "--include-deleted",
        "--country",
        "AF",
        "--from",
        "2021-02",
        "--to",
        "2021-02",
    ]);
    assert_eq!(
        all,
        "\
REF                     DATE             PLACE     VICTIMS  NAMES                  ACTS    PERPETRATORS  VERIFICATION
AF-2021-0003 (deleted)  ~25–26 Feb 2021  Ghor, AF        1  Victim AF-2021-0003-1  killed                reported
"
    );
}

#[test]
fn list_neutralises_formulas_in_csv() {
    let s = Sandbox::new();
    s.ok(&[
        "add",
        "--date",
        "2021-05-01",
        "--country",
        "MX",
        "--admin1",
        "=HYPERLINK(\"x\")",
        "--victim",
        "@SUM(A1)",
        "--act",
        "threatened",
    ]);
    assert_eq!(
        s.ok(&["list", "--format", "csv"]),
        "ref,date,place,victims,names,acts,perpetrators,verification\n\
         MX-2021-0001,2021-05-01,\"'=HYPERLINK(\"\"x\"\"), MX\",1,'@SUM(A1),threatened,,reported\n"
    );
}

#[test]
fn list_refuses_a_bad_filter() {
    let s = registry();
    assert_eq!(
        s.fails(&["list", "--country", "XX"], 1),
        "pressreg: unknown country 'XX' (accepted: an ISO 3166-1 code such as AF or AFG, \
         a name such as Afghanistan, or an ISO 3166-3 code of a former state such as YUCS)\n"
    );
}

#[test]
fn list_of_a_missing_registry_is_an_error() {
    let s = Sandbox::empty();
    let err = s.fails(&["list"], 1);
    assert!(
        err.starts_with("pressreg: no registry at '")
            && err.ends_with("(create one with 'pressreg init')\n"),
        "{err}"
    );
}

#[test]
fn list_json_and_jsonl_carry_the_same_records() {
    let s = registry();
    let array: serde_json::Value = serde_json::from_str(&s.ok(&["list", "--format", "json"]))
        .expect("list --format json is JSON");
    let lines: Vec<serde_json::Value> = s
        .ok(&["list", "--format", "jsonl"])
        .lines()
        .map(|l| serde_json::from_str(l).expect("each jsonl line is JSON"))
        .collect();
    assert_eq!(array, serde_json::Value::Array(lines));
    assert_eq!(array.as_array().map(Vec::len), Some(4));
    assert_eq!(
        array[1]["names"],
        "Mursal Wahidi; Sadia Sadat; Shahnaz Roafi; unnamed"
    );
    assert_eq!(array[0]["names"], "Victim AF-2021-0003-1");
}

/// Colour only when asked or on a terminal, and never with NO_COLOR: with
/// `--color always` the table's header is bold; NO_COLOR wins over it.
#[test]
fn color_always_bolds_the_header_unless_no_color() {
    let s = crate::Sandbox::new();
    s.ok(&[
        "add",
        "--date",
        "2021-08-08",
        "--country",
        "AF",
        "--victim",
        "A",
        "--act",
        "killed",
    ]);
    let coloured = s.ok(&["--color", "always", "list"]);
    assert!(coloured.starts_with("\u{1b}[1mREF"), "{coloured:?}");
    let plain = s.ok(&["list"]);
    assert!(plain.starts_with("REF "), "{plain:?}");
    let out = s
        .cmd(&["--color", "always", "list"])
        .env("NO_COLOR", "1")
        .output()
        .expect("run pressreg");
    assert_eq!(String::from_utf8_lossy(&out.stdout), plain);
}

/// `list` is a working view for those who hold the registry (README,
/// Safety): it lists records at every level and finds a case by the name of
/// a victim who asked not to be named, while showing them by pseudonym.
#[test]
fn list_is_a_working_view_that_finds_every_name_but_prints_pseudonyms() {
    let s = crate::fixtures::audience_registry();
    let out = s.ok(&["list", "--victim", "Anon Name", "--format", "csv"]);
    assert!(out.starts_with("ref,date,place,victims,names,"), "{out}");
    assert!(out.contains("\nAF-2021-0003,2021-04-01,"), "{out}");
    assert!(out.contains("Victim AF-2021-0003-3"), "{out}");
    assert!(!out.contains("Anon Name"), "{out}");
    let all = s.ok(&["list", "--format", "csv"]);
    assert_eq!(all.lines().count(), 5, "{all}");
}

/// A line break in a recorded value never starts a line of the table: a
/// name written over two lines stays in its row.
#[test]
fn a_line_break_in_a_name_stays_in_its_row() {
    let s = Sandbox::new();
    crate::fixtures::add_json(
        &s,
        "n.json",
        r#"{"date":"2021-05-01","country":"MX","victims":[{"name":"Ana\nMX-2021-0099  2021-01-01","acts":[{"type":"threatened"}]}]}"#,
    );
    let table = s.ok(&["list"]);
    assert_eq!(table.lines().count(), 2, "{table}");
    assert!(table.contains("Ana MX-2021-0099  2021-01-01"), "{table}");
}

/// The Taliban, an armed group to 2021-08-15 and the de facto authority
/// from 2021-08-16, with a killing on each boundary day, one in "August
/// 2021" and one with no date.
fn taliban_registry() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&[
        "actor",
        "add",
        "Taliban",
        "--type",
        "armed_group",
        "--to",
        "2021-08-15",
    ]);
    s.ok(&[
        "actor",
        "add",
        "Taliban",
        "--type",
        "de_facto_authority",
        "--from",
        "2021-08-16",
    ]);
    for date in ["2021-08-15", "2021-08-16", "2021-08"] {
        s.ok(&[
            "add",
            "--date",
            date,
            "--country",
            "AF",
            "--victim",
            date,
            "--act",
            "killed",
            "--actor",
            "Taliban",
        ]);
    }
    add_json(
        &s,
        "undated.json",
        r#"{"country":"AF","victims":[{"name":"undated","acts":[{"type":"killed","perpetrators":[{"actor":"Taliban"}]}]}]}"#,
    );
    s
}

/// See: issue 7. Undated, or dated over a span that crosses the change, the
/// Taliban's type cannot be told: every command says `unknown`, and no
/// filter for a type that might have been takes the incident.
#[test]
fn an_actors_type_on_a_date_is_one_answer_everywhere() {
    let s = taliban_registry();
    let refs = |t: &str| s.ok(&["list", "--actor-type", t, "--format", "csv"]);
    assert_eq!(
        refs("armed_group"),
        "ref,date,place,victims,names,acts,perpetrators,verification\n\
         AF-2021-0001,2021-08-15,AF,1,2021-08-15,killed,Taliban (unknown),reported\n"
    );
    assert_eq!(
        refs("de_facto_authority"),
        "ref,date,place,victims,names,acts,perpetrators,verification\n\
         AF-2021-0002,2021-08-16,AF,1,2021-08-16,killed,Taliban (unknown),reported\n"
    );
    assert_eq!(
        refs("unknown"),
        "ref,date,place,victims,names,acts,perpetrators,verification\n\
         AF-2021-0003,2021-08,AF,1,2021-08,killed,Taliban (unknown),reported\n\
         AF-0000-0001,unknown,AF,1,undated,killed,Taliban (unknown),reported\n"
    );
    // A summary's CSV has its heading on stderr.
    let summary = |args: &[&str]| -> String {
        let r = s.run(&[&["summary", "--format", "csv"], args].concat());
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    let by_type = summary(&["--by", "actor_type"]);
    assert_eq!(
        by_type,
        "actor_type,victims\narmed_group,1\nde_facto_authority,1\nunknown,2\ntotal,4\n"
    );
    for (t, n) in [
        ("armed_group", 1),
        ("de_facto_authority", 1),
        ("unknown", 2),
    ] {
        let counted = summary(&["--actor-type", t, "--by", "act"]);
        assert_eq!(
            counted,
            format!("act,victims\nkilled,{n}\ntotal,{n}\n"),
            "{t}"
        );
    }
    let show = |r: &str| -> String {
        s.ok(&["show", r])
            .lines()
            .filter(|l| l.contains("perpetrator:"))
            .collect()
    };
    assert_eq!(
        show("AF-0000-0001"),
        "    perpetrator:   Taliban (type unknown on that date) — basis: unknown, confidence: unknown"
    );
    assert_eq!(
        show("AF-2021-0003"),
        "    perpetrator:   Taliban (type unknown on that date) — basis: unknown, confidence: unknown"
    );
    assert_eq!(
        show("AF-2021-0001"),
        "    perpetrator:   Taliban (armed_group on that date) — basis: unknown, confidence: unknown"
    );
    let export = s.ok(&["export", "--format", "jsonl", "--profile", "full"]);
    let types: Vec<String> = export
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            let t = &v["victims"][0]["acts"][0]["perpetrators"][0]["actor_type"];
            format!("{} {t}", v["ref"].as_str().unwrap_or("?"))
        })
        .collect();
    assert_eq!(
        types,
        [
            "AF-2021-0003 null",
            "AF-2021-0001 \"armed_group\"",
            "AF-2021-0002 \"de_facto_authority\"",
            "AF-0000-0001 null"
        ]
    );
}

/// See: issue 7. A name holding the separator bytes the listing once split
/// on (stored before input refused them, or written by another program)
/// comes back whole.
#[test]
fn list_keeps_names_that_hold_separator_characters() {
    let s = Sandbox::new();
    s.ok(&[
        "add",
        "--date",
        "2021-05-01",
        "--country",
        "MX",
        "--victim",
        "placeholder",
        "--act",
        "threatened",
        "--actor",
        "Cartel",
        "--actor-type",
        "criminal_group",
    ]);
    {
        let conn = s.conn();
        conn.execute(
            "UPDATE victim SET name = 'Ali' || char(31) || 'Khan' || char(30) || 'Jr'",
            [],
        )
        .expect("store the name");
        conn.execute("UPDATE actor SET name = 'Los' || char(31) || 'Zetas'", [])
            .expect("store the actor");
    }
    assert_eq!(
        s.ok(&["list", "--format", "csv"]),
        "ref,date,place,victims,names,acts,perpetrators,verification\n\
         MX-2021-0001,2021-05-01,MX,1,Ali\u{1f}Khan\u{1e}Jr,threatened,Los\u{1f}Zetas (unknown),reported\n"
    );
    assert_eq!(
        s.ok(&["list", "--format", "jsonl"]),
        "{\"ref\":\"MX-2021-0001\",\"date\":\"2021-05-01\",\"place\":\"MX\",\"victims\":1,\
         \"names\":\"Ali\\u001fKhan\\u001eJr\",\"acts\":\"threatened\",\
         \"perpetrators\":\"Los\\u001fZetas (unknown)\",\"verification\":\"reported\"}\n"
    );
}

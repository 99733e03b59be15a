//! `pressreg summary`: formats, suppression, the records counted, and every
//! error a user can meet. The registry is the one of `profiles.rs`.

use crate::fixtures::{counting_registry as registry, strip};
use crate::Sandbox;

/// CSV: the table alone on stdout, numbers as numbers, totals last; the
/// heading and footnotes on stderr as comment lines.
#[test]
fn csv_is_one_table_on_stdout_with_the_heading_on_stderr() {
    let s = registry();
    let r = s.run(&[
        "summary",
        "--profile",
        "cpj",
        "--by",
        "year",
        "--format",
        "csv",
    ]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout,
        "year,killed,confirmed,unconfirmed,media_workers,murder,crossfire,dangerous_assignment,unknown\n\
         2020,1,1,0,0,0,1,0,0\n\
         2021,3,1,1,1,1,0,0,0\n\
         total,4,2,1,1,1,1,0,0\n"
    );
    assert_eq!(
        r.stderr,
        strip(
            r#"
# Profile cpj: CPJ: journalists and media workers killed, by year of death; motive confirmed apart from unconfirmed; death context for confirmed cases.
# Records: all dates; all countries; verification other than rejected, duplicate or out_of_scope; deleted incidents left out; public records only.
# As of 2021-12-31T12:00:00Z.
# Left out: 3 incidents (1 rejected, 1 duplicate, 1 deleted); --verification or --include-deleted counts them.
"#
        )
    );
}

/// A name from the registry that a spreadsheet would run as a formula is
/// neutralised in CSV; counts and `<N` are left as they are.
#[test]
fn csv_neutralises_formulas_in_names() {
    let s = Sandbox::new();
    s.write(
        "f.json",
        r#"{"date":"2021-05-05","country":"AF","victims":[{"name":"V","acts":[{"type":"threatened","perpetrators":[{"actor":"=HYPERLINK(\"x\")","actor_type":"mob"}]}]}]}"#,
    );
    s.ok(&["add", "--file", "f.json"]);
    let r = s.run(&[
        "summary",
        "--by",
        "actor",
        "--format",
        "csv",
        "--min-cell",
        "2",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "actor,victims\n\"'=HYPERLINK(\"\"x\"\")\",<2\ntotal,<2\n"
    );
}

/// A bad `--as-of` date is refused with what is accepted.
#[test]
fn as_of_needs_a_date() {
    let s = registry();
    assert_eq!(
        s.fails(&["summary", "--as-of", "2021-13-01"], 1),
        "pressreg: --as-of '2021-13-01' is not a date or a moment (accepted: YYYY-MM-DD, or \
         YYYY-MM-DDTHH:MM:SSZ as history prints it)\n"
    );
}

/// `--chart` writes the yearly series as an SVG a report can use, and the
/// summary printed beside it is the one printed without it.
#[test]
fn chart_writes_an_svg_beside_the_summary() {
    let s = registry();
    let plain = s.ok(&[
        "summary", "--from", "2020", "--to", "2021", "--by", "year,act",
    ]);
    let with_chart = s.ok(&[
        "summary", "--from", "2020", "--to", "2021", "--by", "year,act", "--chart", "c.svg",
    ]);
    assert_eq!(with_chart, plain);
    let svg = std::fs::read_to_string(s.path("c.svg")).expect("the chart was written");
    assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(80)]);
    for text in ["\n2020\n", "\n2021\n", "\nkilled\n", "\nwounded\n"] {
        assert!(svg.contains(text), "the chart lacks {text}");
    }
}

/// A chart that cannot be written is an error naming the file, and no
/// summary is printed.
#[test]
fn chart_errors_name_the_file() {
    let s = registry();
    let err = s.fails(&["summary", "--chart", "no/such/dir/c.svg"], 1);
    assert!(
        err.starts_with("pressreg: failed to write chart 'no/such/dir/c.svg': "),
        "{err}"
    );
}

#[test]
fn an_unknown_dimension_lists_the_accepted_ones() {
    let s = registry();
    assert_eq!(
        s.fails(&["summary", "--by", "year,colour"], 1),
        "pressreg: invalid value 'colour' for --by (accepted: year, month, country, admin1, act, \
         death_context, actor, actor_type, state, sex, category, employment, medium, work_link, \
         verification, justice)\n"
    );
}

#[test]
fn an_unknown_profile_or_format_lists_the_accepted_ones() {
    let s = registry();
    assert_eq!(
        s.fails(&["summary", "--profile", "nobody"], 1),
        "pressreg: invalid value 'nobody' for --profile (accepted: victims, incidents, sdg, cpj, rsf, nai)\n"
    );
    assert_eq!(
        s.fails(&["summary", "--format", "xml"], 1),
        "pressreg: invalid value 'xml' for --format (accepted: table, csv, json, md)\n"
    );
}

#[test]
fn min_cell_must_be_one_or_more() {
    let s = registry();
    assert_eq!(
        s.fails(&["summary", "--min-cell", "0"], 1),
        "pressreg: invalid value '0' for --min-cell: must be a whole number, 1 or more\n"
    );
}

#[test]
fn explain_needs_one_year_and_prints_text() {
    let s = registry();
    assert_eq!(
        s.fails(&["summary", "--explain"], 2),
        "pressreg: --explain needs one year: give --year YYYY\n"
    );
    assert_eq!(
        s.fails(
            &["summary", "--explain", "--from", "2020", "--to", "2021"],
            2
        ),
        "pressreg: --explain needs one year: give --year YYYY\n"
    );
    assert_eq!(
        s.fails(
            &["summary", "--explain", "--year", "2021", "--format", "json"],
            2
        ),
        "pressreg: --explain prints text for people: leave out --format\n"
    );
}

#[test]
fn a_dimension_named_twice_is_a_usage_error() {
    let s = registry();
    assert_eq!(
        s.fails(&["summary", "--by", "year,act,year"], 2),
        "pressreg: --by names 'year' twice\n"
    );
}

#[test]
fn years_bound_the_period_from_and_to() {
    let s = registry();
    let r = s.run(&[
        "summary", "--from", "2020", "--to", "2020", "--format", "csv",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "year,victims\n2020,1\ntotal,1\n")
    );
    assert!(
        r.stderr.contains("# Records: acts dated 2020 to 2020;"),
        "{}",
        r.stderr
    );
}

#[test]
fn summary_needs_a_registry() {
    let s = Sandbox::empty();
    let err = s.fails(&["summary"], 1);
    assert!(
        err.starts_with("pressreg: no registry at '")
            && err.ends_with("(create one with 'pressreg init')\n"),
        "{err}"
    );
}

/// JSON: one object; counts are numbers; the overlap and what was left out are footnotes.
#[test]
fn json_has_the_heading_rows_totals_and_footnotes() {
    let s = registry();
    assert_eq!(
        s.ok(&[
            "summary",
            "--profile",
            "nai",
            "--year",
            "2021",
            "--by",
            "actor",
            "--format",
            "json"
        ]),
        strip(
            r#"
{
  "profile": "nai",
  "rule": "journalists and media workers killed, abducted or wounded by armed groups (the actor's type on the act's date), each once per year under the gravest",
  "records": "acts dated 2021; all countries; verification other than rejected, duplicate or out_of_scope; deleted incidents left out; public records only",
  "as_of": "2021-12-31T12:00:00Z",
  "min_cell": 1,
  "by": [
    "actor"
  ],
  "columns": [
    "killed",
    "abducted",
    "wounded",
    "victims"
  ],
  "rows": [
    {
      "actor": "Islamic State Khorasan",
      "killed": 1,
      "abducted": 0,
      "wounded": 1,
      "victims": 2
    },
    {
      "actor": "Taliban",
      "killed": 3,
      "abducted": 0,
      "wounded": 2,
      "victims": 5
    }
  ],
  "totals": {
    "killed": 3,
    "abducted": 0,
    "wounded": 2,
    "victims": 5
  },
  "footnotes": [
    "Rows overlap: one victim or incident can count in several rows (several perpetrators, mediums, acts or dates); each total counts it once and is not the sum of its rows.",
    "Left out: 3 incidents (1 rejected, 1 duplicate, 1 deleted); --verification or --include-deleted counts them."
  ]
}
"#
        )
    );
}

/// Markdown: heading paragraph, table with right-aligned counts, footnotes as a list.
#[test]
fn markdown_has_the_heading_as_a_paragraph() {
    let s = registry();
    assert_eq!(
        s.ok(&[
            "summary",
            "--profile",
            "rsf",
            "--year",
            "2021",
            "--format",
            "md"
        ]),
        strip(
            r#"
Profile rsf: RSF: each journalist or media worker once per year under one status: killed in connection with their work > hostage > detained > missing, the last three only if still held or missing on 1 December.
Records: acts dated 2021; all countries; verification other than rejected, duplicate or out_of_scope; deleted incidents left out; public records only.
As of 2021-12-31T12:00:00Z.

| year | killed | hostage | detained | missing | victims |
|---|---:|---:|---:|---:|---:|
| 2021 | 4 | 1 | 0 | 0 | 5 |
| **total** | 4 | 1 | 0 | 0 | 5 |

- Left out: 3 incidents (1 rejected, 1 duplicate, 1 deleted); --verification or --include-deleted counts them.
- 2 incidents have only a year or an approximate date; they count in their year.
"#
        )
    );
}

/// Counts of 1 and 2 print as <3. The 3 beside the lone <3 of its row is
/// withheld (—) so the <3 cannot be worked out from the row's 5. The state
/// row's 1, 1 and 2 are shown as — rather than <3, <3, <3, which would
/// pin them (1 + 1 = 2); and the A total is withheld, since the non-state
/// row (— + <3 = 5) and the A column (— + <3 = 4) together would pin the
/// killings at 3.
#[test]
fn min_cell_suppresses_small_counts_and_their_complements() {
    let s = registry();
    assert_eq!(
        s.ok(&[
            "summary",
            "--profile",
            "sdg",
            "--year",
            "2021",
            "--by",
            "state",
            "--min-cell",
            "3"
        ]),
        strip(
            r#"
Profile sdg: UN SDG 16.10.1: each journalist or media worker once per year under the most serious act (A > C > B > D > E > F).
Records: acts dated 2021; all countries; verification other than rejected, duplicate or out_of_scope; deleted incidents left out; public records only.
As of 2021-12-31T12:00:00Z.

STATE      A_KILLING  B_DISAPPEARANCE  C_TORTURE  D_DETENTION  E_KIDNAPPING  F_OTHER  VICTIMS
non_state          —                0          0            0             0       <3        —
state              0                0          0            —             —        0        —
total              —                0          0           <3            <3       <3        7

Verified: as in the total (corroborated or verified incidents); reported, not yet verified: <3, not counted (--verification names the levels to count).
Left out: 3 incidents (1 rejected, 1 duplicate, 1 deleted); --verification or --include-deleted counts them.
1 incident has only a year or an approximate date; it counts in its year.
Counts from 1 to 2 are shown as <3; — marks a count withheld, of any size, so that no small count can be worked out from the others.
"#
        )
    );
}

/// The deleted killing counts with --include-deleted; rejected and duplicate ones only when --verification names them.
#[test]
fn include_deleted_and_verification_bring_left_out_incidents_back() {
    let s = registry();
    assert_eq!(
        s.ok(&[
            "summary",
            "--include-deleted",
            "--act",
            "killed",
            "--by",
            "verification"
        ]),
        strip(
            r#"
Profile victims: each victim once per act type per year (a victim killed and wounded counts under both).
Records: all dates; all countries; acts killed; verification other than rejected, duplicate or out_of_scope; deleted incidents included; public records only.
As of 2021-12-31T12:00:00Z.

VERIFICATION  VICTIMS
reported            2  █████████████▍
corroborated        3  ████████████████████
verified            1  ██████▋
total               6

Left out: 2 incidents (1 rejected, 1 duplicate); --verification or --include-deleted counts them.
1 incident has only a year or an approximate date; it counts in its year.
"#
        )
    );
}

/// Naming verification levels counts exactly those.
#[test]
fn verification_named_counts_rejected_incidents() {
    let s = registry();
    assert_eq!(
        s.ok(&[
            "summary",
            "--verification",
            "rejected,duplicate",
            "--by",
            "verification,act"
        ]),
        strip(
            r#"
Profile victims: each victim once per act type per year (a victim killed and wounded counts under both).
Records: all dates; all countries; verification rejected, duplicate; deleted incidents left out; public records only.
As of 2021-12-31T12:00:00Z.

VERIFICATION  ACT     VICTIMS
rejected      killed        1  ████████████████████
duplicate     killed        1  ████████████████████
total                       2
"#
        )
    );
}

/// A victim with two mediums counts under each; months unknown for year-only dates.
#[test]
fn month_and_medium_break_down_and_overlap() {
    let s = registry();
    assert_eq!(
        s.ok(&[
            "summary",
            "--year",
            "2021",
            "--by",
            "month,medium",
            "--act",
            "killed,wounded"
        ]),
        strip(
            r#"
Profile victims: each victim once per act type per year (a victim killed and wounded counts under both).
Records: acts dated 2021; all countries; acts killed, wounded; verification other than rejected, duplicate or out_of_scope; deleted incidents left out; public records only.
As of 2021-12-31T12:00:00Z.

MONTH    MEDIUM      VICTIMS
2021-01  radio             1  ██████████
2021-03  television        2  ████████████████████
2021-03  online            1  ██████████
2021-06  unknown           2  ████████████████████
2021-08  unknown           1  ██████████
unknown  unknown           1  ██████████
total                      7

Rows overlap: one victim or incident can count in several rows (several perpetrators, mediums, acts or dates); each total counts it once and is not the sum of its rows.
Left out: 3 incidents (1 rejected, 1 duplicate, 1 deleted); --verification or --include-deleted counts them.
1 incident has only a year or an approximate date; it counts in its year.
"#
        )
    );
}

/// The heading beside CSV is talk for people: control characters in it are
/// escaped even when stdout is a file.
#[test]
fn csv_notes_on_stderr_are_escaped() {
    let s = registry();
    let r = s.run(&["summary", "--actor", "x\u{1b}[31m", "--format", "csv"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "year,victims\ntotal,0\n"));
    assert!(
        r.stderr
            .contains("# Records: all dates; all countries; actor x\\u{001B}[31m;"),
        "{}",
        r.stderr
    );
}

/// A summary speaks for an audience, public by default: no row names an
/// actor or a province that only a restricted or partner record holds,
/// and the counts leave those records out. Wider audiences count more.
#[test]
fn summary_names_and_counts_only_what_its_audience_may_see() {
    let s = crate::fixtures::audience_registry();
    let public = strip(
        r#"
Profile victims: each victim once per act type per year (a victim killed and wounded counts under both).
Records: acts dated 2021; all countries; verification other than rejected, duplicate or out_of_scope; deleted incidents left out; public records only.
As of 2021-12-31T12:00:00Z.

ACTOR    ADMIN1  VICTIMS
Taliban  Herat         2  ████████████████████
Taliban  Kabul         1  ██████████
total                  3
"#,
    );
    let by = ["summary", "--year", "2021", "--by", "actor,admin1"];
    assert_eq!(s.ok(&by), public);
    assert_eq!(s.ok(&[&by[..], &["--audience", "public"]].concat()), public);
    let partner = s.ok(&[&by[..], &["--audience", "partner"]].concat());
    assert!(
        partner.contains("public and partner records only.\n"),
        "{partner}"
    );
    assert!(partner.contains("Taliban  Balkh         1"), "{partner}");
    assert!(
        !partner.contains("Secret") && !partner.contains("Hidden"),
        "{partner}"
    );
    assert_eq!(
        s.ok(&[&by[..], &["--audience", "full"]].concat()),
        strip(
            r#"
Profile victims: each victim once per act type per year (a victim killed and wounded counts under both).
Records: acts dated 2021; all countries; verification other than rejected, duplicate or out_of_scope; deleted incidents left out; records at every confidentiality level.
As of 2021-12-31T12:00:00Z.

ACTOR           ADMIN1           VICTIMS
Hidden Gang     Herat                  1  ██████████
Secret Militia  Secret Province        1  ██████████
Taliban         Balkh                  1  ██████████
Taliban         Herat                  2  ████████████████████
Taliban         Kabul                  1  ██████████
total                                  6
"#
        )
    );
}

/// `--explain` lists refs and actors: for the public, only public ones.
#[test]
fn explain_lists_only_what_its_audience_may_see() {
    let s = crate::fixtures::audience_registry();
    assert_eq!(
        s.ok(&["summary", "--year", "2021", "--explain"]),
        strip(
            r#"
Totals for 2021, each by its own profile's rule:
  victims   3  a victim per act type
  incidents 2  incidents, with 3 victims
  sdg       3  journalists and media workers under their most serious act, verified cases
  cpj       1  journalists and media workers killed
  rsf       1  journalists and media workers killed, or hostage, detained or missing on 1 December
  nai       2  journalists and media workers killed, abducted or wounded by armed groups

Every profile gives the victim count: no victim has several acts, and every one fits every rule.
"#
        )
    );
    let full = s.ok(&[
        "summary",
        "--year",
        "2021",
        "--explain",
        "--audience",
        "full",
    ]);
    assert!(
        full.ends_with("nai 4 vs victims killed, wounded, kidnapped or hostage 5: only acts by armed groups on the act's date — AF-2021-0003 Hidden Gang criminal_group on 2021-04-01\n"),
        "{full}"
    );
}

/// Filters match only what the audience is shown: a hidden victim's name,
/// an anonymous victim's name or outlet, or an actor known only from a
/// hidden record finds nothing, exactly as a name nobody has would.
#[test]
fn summary_filters_do_not_confirm_hidden_names() {
    let s = crate::fixtures::audience_registry();
    for (flag, value) in [
        ("--victim", "Anon Name"),
        ("--victim", "Hidden Person"),
        ("--victim", "Restricted Person"),
        ("--victim", "Partner Person"),
        ("--outlet", "Anon Outlet"),
        ("--actor", "Hidden Gang"),
        ("--actor", "Secret Militia"),
    ] {
        let r = s.run(&["summary", "--year", "2021", flag, value, "--format", "csv"]);
        assert_eq!(
            (r.code, r.stdout.as_str()),
            (0, "year,victims\ntotal,0\n"),
            "{flag} {value}"
        );
    }
    // The same names, for an audience allowed to see them, are found.
    let found = |args: &[&str]| {
        s.run(&[&["summary", "--year", "2021"], args, &["--format", "csv"]].concat())
            .stdout
    };
    assert_eq!(
        found(&["--victim", "Anon Name", "--audience", "partner"]),
        "year,victims\ntotal,0\n"
    );
    assert_eq!(
        found(&["--victim", "Anon Name", "--audience", "full"]),
        "year,victims\n2021,3\ntotal,3\n"
    );
    assert_eq!(
        found(&["--outlet", "Anon Outlet", "--audience", "full"]),
        "year,victims\n2021,3\ntotal,3\n"
    );
    assert_eq!(
        found(&["--victim", "Partner Person", "--audience", "partner"]),
        "year,victims\n2021,1\ntotal,1\n"
    );
    assert_eq!(
        found(&["--actor", "Hidden Gang", "--audience", "internal"]),
        "year,victims\ntotal,0\n"
    );
    assert_eq!(
        found(&["--actor", "Hidden Gang", "--audience", "full"]),
        "year,victims\n2021,1\ntotal,1\n"
    );
}

/// A summary counts one incident at a time, so an incident's acts must come
/// together however they were stored: acts added to an incident after
/// other incidents were recorded (stored after theirs), and acts dated in
/// the period when their incident is not (read apart, in act order), still
/// make one unit per victim, act type and year.
#[test]
fn acts_added_later_still_count_once_per_victim() {
    let s = Sandbox::new();
    let add = |date: &str, victim: &str, act: &str| {
        s.ok(&[
            "add",
            "--date",
            date,
            "--country",
            "AF",
            "--victim",
            victim,
            "--act",
            act,
        ]);
    };
    add("2021-03-01", "One", "killed");
    add("2021-04-01", "Two", "killed");
    add("2019-06-01", "Four", "killed");
    add("2020-12-30", "Three", "wounded");
    let act = |reference: &str, kind: &str, date: Option<&str>| {
        let mut args = vec!["act", "add", reference, "--victim", "1", "--type", kind];
        if let Some(d) = date {
            args.extend(["--date", d]);
        }
        s.ok(&args);
    };
    // One: a second killing and a wounding, stored after every other act.
    act("AF-2021-0001", "killed", Some("2021-05-01"));
    act("AF-2021-0001", "wounded", None);
    // Three (incident dated 2020): two killings dated in January 2021,
    // with Two's act stored between them.
    act("AF-2020-0001", "killed", Some("2021-01-02"));
    act("AF-2021-0002", "threatened", None);
    act("AF-2020-0001", "killed", Some("2021-01-03"));
    // killed: One, Two, Three; wounded: One; threatened: Two.
    let r = s.run(&[
        "summary", "--year", "2021", "--by", "act", "--format", "csv",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (
            0,
            "act,victims\nkilled,3\nwounded,1\nthreatened,1\ntotal,5\n"
        )
    );
    // Every year: Three's wounding counts in 2020, Four's killing in 2019.
    let r = s.run(&["summary", "--by", "year,act", "--format", "csv"]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (
            0,
            "year,act,victims\n2019,killed,1\n2020,wounded,1\n2021,killed,3\n2021,wounded,1\n\
             2021,threatened,1\ntotal,,7\n"
        )
    );
}

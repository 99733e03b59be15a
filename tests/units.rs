//! The counting units kept on write (`src/db/units.rs`): every summary
//! they answer prints, byte for byte, what the streaming count prints
//! (`PRESSREG_STREAM_COUNTS` forces the latter), on the sample registry and
//! on CPJ's real export, for every audience and stored dimension, and after
//! each kind of change; `check` finds units changed behind the program's
//! back; an upgraded registry gets its units.

use crate::{realdata, Run, Sandbox};

/// A summary both ways: from the stored units, and streamed from the facts.
/// Both must give the same stdout, stderr and exit code; returns stdout.
#[track_caller]
fn both(s: &Sandbox, args: &[&str]) -> String {
    let table = s.run(args);
    let streamed = Run::from(
        s.cmd(args)
            .env("PRESSREG_STREAM_COUNTS", "1")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run pressreg"),
    );
    assert_eq!(
        (table.code, table.stdout.as_str(), table.stderr.as_str()),
        (
            streamed.code,
            streamed.stdout.as_str(),
            streamed.stderr.as_str()
        ),
        "summary {args:?}: from the units (left) and streamed (right) differ"
    );
    assert_eq!(table.code, 0, "{args:?}: {}", table.stderr);
    table.stdout
}

const AUDIENCES: [&str; 4] = ["public", "partner", "internal", "full"];

/// Summaries over every audience, the stored dimensions alone and
/// together, whole-year periods and none, deleted included or not, and
/// verification levels named. `wide`: every combination, else a few.
#[track_caller]
fn compare(s: &Sandbox, periods: &[&[&str]], wide: bool) {
    let dims: &[&str] = if wide {
        &[
            "year",
            "act",
            "year,act",
            "act,year",
            "actor_type",
            "state",
            "year,actor_type",
            "act,state",
            "actor_type,state",
            "state,act,year,actor_type",
        ]
    } else {
        &["year,act", "actor_type,state"]
    };
    for audience in AUDIENCES {
        for period in periods {
            for by in dims {
                let mut args = vec!["summary", "--audience", audience, "--by", by];
                args.extend_from_slice(period);
                both(s, &args);
            }
            let mut args = vec!["summary", "--audience", audience, "--by", "year,act"];
            args.extend_from_slice(period);
            for extra in [
                &["--include-deleted"][..],
                &["--verification", "reported,rejected"],
                &["--format", "json", "--min-cell", "3"],
            ] {
                let mut args = args.clone();
                args.extend_from_slice(extra);
                both(s, &args);
            }
        }
    }
}

/// `check` passes and says the units match a recount.
#[track_caller]
fn checks(s: &Sandbox) {
    let out = s.ok(&["check"]);
    assert!(
        out.contains("\nunits:        ok (the counting units match a recount)\n"),
        "{out}"
    );
}

const SAMPLE_PERIODS: &[&[&str]] = &[
    &[],
    &["--year", "2021"],
    &["--from", "2020", "--to", "2021"],
];

/// On the sample registry, and after every kind of change that moves a
/// unit: verification, deletion and restoring, a victim's and an
/// incident's confidentiality, an actor's type over time, a new incident
/// with a vague or no date, merged records, a purge.
#[test]
fn units_answer_as_the_streaming_count_does_through_every_change() {
    let s = Sandbox::new();
    s.load_sample();
    compare(&s, SAMPLE_PERIODS, true);
    checks(&s);

    let changes: &[&[&str]] = &[
        &[
            "edit",
            "AF-2021-0001",
            "--set",
            "verification=rejected",
            "--reason",
            "t",
        ],
        &[
            "edit",
            "AF-2021-0010",
            "--set",
            "verification=duplicate",
            "--reason",
            "t",
        ],
        &["delete", "AF-2021-0002", "--reason", "t"],
        &["restore", "AF-2021-0002"],
        &["delete", "AF-2021-0004", "--reason", "t"],
        &[
            "edit",
            "AF-2021-0003",
            "--set",
            "victim.1.confidentiality=restricted",
            "--reason",
            "t",
        ],
        &[
            "edit",
            "AF-2021-0007",
            "--set",
            "victim.2.confidentiality=partner",
            "--reason",
            "t",
        ],
        &[
            "edit",
            "MX-2021-0001",
            "--set",
            "confidentiality=internal",
            "--reason",
            "t",
        ],
        // An actor's type over time: the act of 2021 counts under unknown,
        // then, once the actor has a type from 2021, under it.
        &[
            "actor",
            "add",
            "Local militia",
            "--type",
            "armed_group",
            "--to",
            "2020-12-31",
        ],
        &[
            "add",
            "--date",
            "2021-03-01",
            "--country",
            "AF",
            "--victim",
            "Militia Victim",
            "--act",
            "threatened",
            "--actor",
            "Local militia",
        ],
        &[
            "actor",
            "add",
            "Local militia",
            "--type",
            "paramilitary",
            "--from",
            "2021-01-01",
        ],
        &[
            "add",
            "--date",
            "2020",
            "--country",
            "AF",
            "--victim",
            "Year Only",
            "--act",
            "killed",
            "--actor",
            "Taliban",
        ],
        &["add", "--file", "NODATE"],
        &[
            "add",
            "--date",
            "2019-05?",
            "--country",
            "AF",
            "--victim",
            "Approximate",
            "--act",
            "killed",
        ],
        &[
            "edit",
            "AF-2021-0011",
            "--set",
            "date=2021-08-10",
            "--reason",
            "t",
        ],
        &[
            "merge-records",
            "AF-2021-0008",
            "AF-2021-0012",
            "--reason",
            "t",
        ],
        &["delete", "GE-2021-0001", "--purge", "--reason", "t"],
    ];
    let nodate = s.write(
        "nodate.jsonl",
        r#"{"country":"AF","victims":[{"name":"No Date","acts":[{"type":"wounded"}]}]}"#,
    );
    let nodate = nodate.to_str().expect("UTF-8 path");
    for change in changes {
        let change: Vec<&str> = change
            .iter()
            .map(|a| if *a == "NODATE" { nodate } else { a })
            .collect();
        let r = s.run(&change);
        assert_eq!(r.code, 0, "{change:?}: {}", r.stderr);
        compare(&s, SAMPLE_PERIODS, false);
        checks(&s);
    }
    compare(&s, SAMPLE_PERIODS, true);
}

/// On CPJ's real export (2,163 killings, 1992–2022).
#[test]
fn units_answer_as_the_streaming_count_does_on_cpjs_export() {
    let Some(file) = realdata("cpj_killed_1992_2022.csv") else {
        return;
    };
    let s = Sandbox::new();
    let r = Run::from(
        s.cmd(&[
            "import",
            file.to_str().expect("UTF-8 path"),
            "--format",
            "cpj",
        ])
        .env("PRESSREG_NOW", "2023-01-01T00:00:00Z")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run pressreg"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    compare(
        &s,
        &[
            &[],
            &["--year", "2012"],
            &["--from", "1992", "--to", "2021"],
        ],
        true,
    );
    // Every victim once per act type: 2,163 killed, some of them also
    // tortured, held or threatened first.
    let out = both(&s, &["summary", "--by", "act", "--format", "csv"]);
    assert_eq!(
        out,
        "act,victims\nkilled,2163\ntortured,105\nhostage,200\nthreatened,392\ntotal,2860\n"
    );
    checks(&s);
}

/// A summary the units answer reads them (a unit changed behind the
/// program's back changes it), and `check` reports the change: the
/// incident, and how its units differ from a recount.
#[test]
fn check_finds_units_changed_behind_the_programs_back() {
    let s = Sandbox::new();
    s.load_sample();
    let before = s.run(&["summary", "--by", "act", "--format", "csv"]).stdout;
    s.conn()
        .execute(
            "UPDATE count_unit SET act = 'wounded' WHERE id =
               (SELECT min(u.id) FROM count_unit u JOIN incident i ON i.id = u.incident_id
                WHERE i.ref = 'GR-2021-0001')",
            [],
        )
        .expect("tamper");
    let after = s.run(&["summary", "--by", "act", "--format", "csv"]).stdout;
    assert_eq!(
        (
            before.contains("\nkilled,19\n"),
            after.contains("\nkilled,18\n")
        ),
        (true, true),
        "{before}{after}"
    );
    // Every kind of summary the units answer reads them.
    for args in [
        &["summary", "--by", "year,act", "--audience", "partner"][..],
        &["summary", "--year", "2021", "--by", "act,actor_type"],
        &[
            "summary",
            "--from",
            "2021",
            "--to",
            "2021",
            "--by",
            "act,state",
            "--include-deleted",
        ],
        &[
            "summary",
            "--by",
            "act",
            "--verification",
            "corroborated",
            "--audience",
            "full",
        ],
    ] {
        let streamed = Run::from(
            s.cmd(args)
                .env("PRESSREG_STREAM_COUNTS", "1")
                .output()
                .expect("run pressreg"),
        );
        assert_ne!(s.run(args).stdout, streamed.stdout, "{args:?}");
    }
    let r = s.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains(
            "\nunits:        1 difference between the stored counting units and a recount\n  \
             GR-2021-0001: 1 counting unit stored, 1 made from its records (they differ)\n"
        ),
        "{}",
        r.stdout
    );
    assert_eq!(
        r.stderr,
        "pressreg: the counting units were changed outside pressreg: GR-2021-0001: 1 counting \
         unit stored, 1 made from its records (they differ)\n"
    );

    // A unit removed, and one for an incident that has none.
    s.conn()
        .execute_batch(
            "DELETE FROM count_unit WHERE incident_id = (SELECT id FROM incident WHERE ref = 'NL-2021-0001');
             INSERT INTO count_unit (incident_id, victim_id, year, act, verification, deleted,
                                     confidentiality, victim_confidentiality, dates)
             VALUES (999, 1, 2021, 'killed', 'verified', 0, 'public', 'public', 0);",
        )
        .expect("tamper");
    let r = s.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains(
            "\nunits:        4 differences between the stored counting units and a recount\n  \
             GR-2021-0001: 1 counting unit stored, 1 made from its records (they differ)\n  \
             NL-2021-0001: 0 counting units stored, 2 made from its records\n  \
             incident 999: 1 counting unit stored, 0 made from its records\n  \
             1 perpetrator type stored for no counting unit\n"
        ),
        "{}",
        r.stdout
    );
}

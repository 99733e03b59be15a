//! `pressreg edit`.

use crate::fixtures::{add_json, revisions, Rev, HEMAT, JALALABAD, TOOFAN, TOOFAN_BARE};
use crate::{Run, Sandbox};

fn rev(entity: &str, field: &str, old: &str, new: &str, reason: &str) -> Rev {
    (
        entity.into(),
        "update".into(),
        Some(field.into()),
        Some(old.into()),
        Some(new.into()),
        reason.into(),
    )
}

#[test]
fn edit_changes_fields_and_logs_one_revision_each() {
    let s = Sandbox::new();
    add_json(&s, "hemat.json", HEMAT);
    let before = revisions(&s).len();
    assert_eq!(
        s.ok(&[
            "edit",
            "AF-2021-0001",
            "--set",
            "verification=verified",
            "--set",
            "victim.1.name_variants=Niamatullah Hemat, Nematullah Himat",
            "--set",
            "act.1.1.note=taken from his home at night",
            "--set",
            "source.2.reliability=high",
            "--reason",
            "checked with NAI",
        ]),
        "\
verification: 'corroborated' → 'verified'
victim 1 name_variants: '[\"Niamatullah Hemat\"]' → '[\"Niamatullah Hemat\",\"Nematullah Himat\"]'
act 1.1 note: '' → 'taken from his home at night'
source 2 reliability: 'medium' → 'high'
"
    );
    let after = revisions(&s);
    assert_eq!(
        after[before..],
        [
            rev(
                "incident",
                "verification",
                "\"corroborated\"",
                "\"verified\"",
                "checked with NAI"
            ),
            rev(
                "victim",
                "name_variants",
                "\"[\\\"Niamatullah Hemat\\\"]\"",
                "\"[\\\"Niamatullah Hemat\\\",\\\"Nematullah Himat\\\"]\"",
                "checked with NAI"
            ),
            rev(
                "act",
                "note",
                "\"\"",
                "\"taken from his home at night\"",
                "checked with NAI"
            ),
            rev(
                "source",
                "reliability",
                "\"medium\"",
                "\"high\"",
                "checked with NAI"
            ),
        ]
    );
}

#[test]
fn edit_sets_updated_at_when_time_has_passed() {
    let s = Sandbox::new();
    s.ok(TOOFAN);
    let before = revisions(&s).len();
    let out = s
        .cmd(&[
            "edit",
            "AF-2021-0001",
            "--set",
            "title=Toofan Omar shot dead",
            "--reason",
            "title",
        ])
        .env("PRESSREG_NOW", "2022-01-05T09:30:00Z")
        .output()
        .expect("run");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "title: '' → 'Toofan Omar shot dead'\n"
    );
    assert_eq!(
        revisions(&s)[before..],
        [
            rev(
                "incident",
                "title",
                "\"\"",
                "\"Toofan Omar shot dead\"",
                "title"
            ),
            rev(
                "incident",
                "updated_at",
                "\"2021-12-31T12:00:00Z\"",
                "\"2022-01-05T09:30:00Z\"",
                "title"
            ),
        ]
    );
}

#[test]
fn edit_date_sets_every_date_field_like_add() {
    let s = Sandbox::new();
    s.ok(TOOFAN);
    assert_eq!(
        s.ok(&[
            "edit",
            "AF-2021-0001",
            "--set",
            "date=2021-08?",
            "--set",
            "coordinates=34.52,69.17",
            "--reason",
            "r"
        ]),
        "\
date_start: '2021-08-08' → '2021-08-01'
date_end: (none) → '2021-08-31'
date_precision: 'day' → 'month'
date_approximate: 0 → 1
date_as_reported: '2021-08-08' → '2021-08?'
latitude: (none) → 34.52
longitude: (none) → 69.17
"
    );
    // Clearing fields the schema ties together works in one step.
    assert_eq!(
        s.ok(&[
            "edit",
            "AF-2021-0001",
            "--set",
            "date=",
            "--set",
            "coordinates=",
            "--reason",
            "r"
        ]),
        "\
date_start: '2021-08-01' → (none)
date_end: '2021-08-31' → (none)
date_precision: 'month' → 'unknown'
date_approximate: 1 → 0
date_as_reported: '2021-08?' → ''
latitude: 34.52 → (none)
longitude: 69.17 → (none)
"
    );
    assert_eq!(
        s.ok(&[
            "edit",
            "AF-2021-0001",
            "--set",
            "calendar=solar_hijri",
            "--set",
            "date=1400-05-17",
            "--reason",
            "r"
        ]),
        "\
date_start: (none) → '2021-08-08'
date_precision: 'unknown' → 'day'
date_as_reported: '' → '1400-05-17'
calendar: 'gregorian' → 'solar_hijri'
"
    );
}

#[test]
fn edit_dry_run_prints_and_writes_nothing() {
    let s = Sandbox::new();
    add_json(&s, "jalalabad.json", JALALABAD);
    let before = revisions(&s);
    let page = s.ok(&["show", "AF-2021-0001"]);
    let r = s.run(&[
        "edit",
        "AF-2021-0001",
        "--set",
        "act.1.1.type=wounded",
        "--set",
        "act.1.1.death_context=",
        "--set",
        "victim.4.status=dead",
        "--reason",
        "r",
        "--dry-run",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "act 1.1 type: 'killed' → 'wounded'\nact 1.1 death_context: 'targeted' → (none)\nvictim 4 status: 'wounded' → 'dead'\n",
            "pressreg: dry run: 3 changes to AF-2021-0001 not written\n"
        )
    );
    assert_eq!(revisions(&s), before);
    assert_eq!(s.ok(&["show", "AF-2021-0001"]), page);
}

#[test]
fn edit_that_changes_nothing_says_so() {
    let s = Sandbox::new();
    s.ok(TOOFAN);
    let before = revisions(&s);
    let r = s.run(&[
        "edit",
        "AF-2021-0001",
        "--set",
        "admin1=Kabul",
        "--set",
        "victim.1.sex=male",
        "--reason",
        "r",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "victim 1 sex: 'unknown' → 'male'\n",
            "pressreg: admin1 already is 'Kabul': nothing to change\n"
        )
    );
    assert_eq!(revisions(&s).len(), before.len() + 1);
}

/// Every refused edit: its message, exit code, and no revision written.
#[test]
fn edit_errors_name_the_problem_and_write_nothing() {
    let s = Sandbox::new();
    s.ok(TOOFAN);
    let before = revisions(&s);
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["edit", "AF-2021-0009", "--set", "title=x", "--reason", "r"],
            1,
            "pressreg: no incident 'AF-2021-0009' in the registry: did you mean 'AF-2021-0001'? ('pressreg list' shows every ref)\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "titel=x", "--reason", "r"],
            1,
            "pressreg: unknown field 'titel': did you mean 'title'? (accepted: title, summary, date, calendar, country, \
             admin1, admin2, locality, place, coordinates, geo_precision, context, verification, \
             work_link, justice, confidentiality, private_notes, duplicate_of, victim.N.FIELD, \
             act.V.A.FIELD, source.N.FIELD)\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "victim.1.nme=x", "--reason", "r"],
            1,
            "pressreg: unknown victim field 'nme' in --set 'victim.1.nme': did you mean 'name'? (accepted: name, \
             name_variants, anonymous, sex, age, nationality, local_or_foreign, category, \
             employment, jobs, mediums, outlet, beats, status, confidentiality, private_notes)\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "act.1.x.type=killed", "--reason", "r"],
            1,
            "pressreg: --set 'act.1.x.type': 'x' is not a number (accepted: 1, 2, …)\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "title", "--reason", "r"],
            1,
            "pressreg: --set 'title' is not FIELD=VALUE (e.g. --set place=Kabul)\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "context=battle", "--reason", "r"],
            1,
            "pressreg: --set context: unknown context 'battle' (accepted: armed_clashes, embedded, \
             protest, riot, at_home, commuting, at_work, in_custody, at_border, online, court, \
             other, unknown)\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "victim.1.jobs=editor,cook", "--reason", "r"],
            1,
            "pressreg: --set victim.1.jobs: unknown job 'cook' (accepted: reporter, photographer, \
             camera_operator, editor, producer, presenter, columnist, publisher, technician, \
             fixer, translator, driver, security, other)\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "date=2021-02-30", "--reason", "r"],
            1,
            "pressreg: date: '2021-02-30' is not a date: day 30 does not exist in that month\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "country=XX", "--reason", "r"],
            1,
            "pressreg: --set country: unknown country 'XX' (accepted: an ISO 3166-1 code \
             such as AF or AFG, a name such as Afghanistan, or an ISO 3166-3 code of a former state \
             such as YUCS)\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "victim.1.age=200", "--reason", "r"],
            1,
            "pressreg: --set victim.1.age: '200' is not an age (accepted: 0 to 120, or empty to clear)\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "victim.1.anonymous=perhaps", "--reason", "r"],
            1,
            "pressreg: --set victim.1.anonymous: 'perhaps' is not true or false (accepted: true, \
             false, yes, no, 1, 0)\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "coordinates=north", "--reason", "r"],
            1,
            "pressreg: --set coordinates: 'north' is not LAT,LON (accepted: e.g. 34.52,69.17, or \
             empty to clear)\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "coordinates=95,10", "--reason", "r"],
            1,
            "pressreg: latitude 95 is out of range (accepted: -90 to 90)\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "source.1.published_on=9 Aug", "--reason", "r"],
            1,
            "pressreg: --set source.1.published_on: published_on '9 Aug' is not a date (accepted: \
             YYYY-MM-DD, e.g. 2021-03-14)\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "act.1.1.type=wounded", "--reason", "r"],
            1,
            "pressreg: act 1.1: death context is only for killings (this act is 'wounded')\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "act.1.1.date=2021-08-01", "--reason", "r"],
            1,
            "pressreg: act 1.1: date 2021-08-01 is before the incident's date 2021-08-08\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "victim.2.name=x", "--reason", "r"],
            1,
            "pressreg: no victim 2 in AF-2021-0001 (victims: 1)\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "act.1.2.type=killed", "--reason", "r"],
            1,
            "pressreg: no act 1.2 in AF-2021-0001 (victim 1 has 1 act)\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "source.2.url=x", "--reason", "r"],
            1,
            "pressreg: no source 2 in AF-2021-0001 (it has 1 source)\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "source.1.url=", "--set", "source.1.publisher=", "--reason", "r"],
            1,
            "pressreg: source 1: give at least a URL, a publisher or a title\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "calendar=solar_hijri", "--reason", "r"],
            1,
            "pressreg: --set calendar: the calendar is the one the date was reported in; set it \
             with the date (--set date=… --set calendar=…)\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "duplicate_of=AF-2021-0001", "--reason", "r"],
            1,
            "pressreg: duplicate_of 'AF-2021-0001' is this incident itself\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "duplicate_of=AF-2020-0001", "--reason", "r"],
            1,
            "pressreg: duplicate_of: no incident 'AF-2020-0001' in the registry: did you mean \
             'AF-2021-0001'? ('pressreg list' shows every ref)\n",
        ),
        (
            &["edit", "AF-2021-0001", "--set", "title=x", "--reason", "  "],
            1,
            "pressreg: --reason is empty (say why the change is made; it is kept in the revision log)\n",
        ),
    ];
    for (args, code, message) in cases {
        assert_eq!(s.fails(args, *code), *message, "pressreg {args:?}");
        assert_eq!(revisions(&s), before, "pressreg {args:?} wrote a revision");
    }
    let usage = s.fails(&["edit", "AF-2021-0001", "--set", "title=x"], 2);
    assert!(
        usage.starts_with("pressreg: the following required arguments were not provided"),
        "{usage}"
    );
    s.run(&["delete", "AF-2021-0001", "--reason", "test"]);
    let before = revisions(&s);
    assert_eq!(
        s.fails(&["edit", "AF-2021-0001", "--set", "title=x", "--reason", "r"], 1),
        "pressreg: 'AF-2021-0001' is deleted (restore it first with 'pressreg restore AF-2021-0001')\n"
    );
    assert_eq!(revisions(&s), before);
}

// --- `edit REF` with no --set: the incident in $EDITOR ---

/// The person at the keyboard, scripted: round N keeps what the editor was
/// shown (shown.N) and the modes of the file and its directory (modes.N),
/// then applies the sed program in $EDIT_N, or empties the file for EMPTY.
const EDITOR: &str = r#"#!/bin/sh
dir=$(dirname "$0")
n=$(( $(cat "$dir/rounds" 2>/dev/null || echo 0) + 1 ))
echo "$n" > "$dir/rounds"
cp "$1" "$dir/shown.$n"
stat -c '%a' "$1" "$(dirname "$1")" > "$dir/modes.$n"
echo "$1" > "$dir/path"
eval "program=\${EDIT_$n}"
if [ "$program" = EMPTY ]; then : > "$1"; else sed -i "$program" "$1"; fi
"#;

/// Runs `pressreg ARGS` with the scripted editor doing `rounds`.
fn with_editor(s: &Sandbox, args: &[&str], rounds: &[&str]) -> Run {
    let script = s.write("editor.sh", EDITOR);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
            .expect("make the editor runnable");
    }
    let mut c = s.cmd(args);
    c.env_remove("VISUAL").env("EDITOR", &script);
    for (i, r) in rounds.iter().enumerate() {
        c.env(format!("EDIT_{}", i + 1), r);
    }
    Run::from(c.output().expect("run pressreg"))
}

fn shown(s: &Sandbox, round: usize) -> String {
    std::fs::read_to_string(s.path(&format!("shown.{round}"))).expect("the editor ran")
}

fn rounds(s: &Sandbox) -> String {
    std::fs::read_to_string(s.path("rounds")).unwrap_or_default()
}

/// What the editor is shown for TOOFAN_BARE, without its reason line.
const TOOFAN_FILE: &str = r#"# pressreg edit AF-2021-0001: a plaintext copy of the record, in a private directory,
# removed when you are done.
# Change the values and save, then close the editor: the changes are checked
# by the rules of 'edit --set' and written as one change with the reason.
# Lists are ["a", "b"]; "" clears an optional field. Victims, acts and
# sources are added or removed by their own commands, not here.
# An unchanged file writes nothing; an empty file gives up.

reason = ""

title = ""
summary = ""
date = "2021-08-08"
calendar = "gregorian"
country = "AF"
admin1 = ""
admin2 = ""
locality = ""
place = ""
coordinates = ""
geo_precision = 0
context = "unknown"
verification = "reported"
work_link = "unknown"
justice = "no_information"
confidentiality = "public"
private_notes = ""
duplicate_of = ""

[[victim]] # victim 1
name = "Toofan Omar"
name_variants = []
anonymous = false
sex = "unknown"
age = ""
nationality = ""
local_or_foreign = ""
category = "journalist"
employment = "unknown"
jobs = []
mediums = []
outlet = ""
beats = []
status = "unknown"
confidentiality = "public"
private_notes = ""

[[victim.act]] # act 1.1
type = "killed"
death_context = ""
method = "unknown"
date = ""
note = ""
"#;

#[test]
fn edit_without_set_opens_the_incident_in_the_editor_and_writes_one_change() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    let before = revisions(&s).len();
    let run = with_editor(
        &s,
        &["edit", "AF-2021-0001"],
        &[
            r#"s/^reason = ""/reason = "Khaama Press"/; s/^admin2 = ""/admin2 = "Nawa"/; s/^jobs = \[\]/jobs = ["editor", "reporter"]/; s/^age = ""/age = 34/; s/^death_context = ""/death_context = "targeted"/"#,
        ],
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{}", run.stdout);
    assert_eq!(
        run.stdout,
        "\
admin2: '' → 'Nawa'
victim 1 age: (none) → 34
victim 1 jobs: '[]' → '[\"reporter\",\"editor\"]'
act 1.1 death_context: (none) → 'targeted'
"
    );
    assert_eq!(shown(&s, 1), TOOFAN_FILE);
    // One write, every change carrying the reason.
    let after = revisions(&s);
    assert_eq!(after.len(), before + 4, "{after:?}");
    assert!(
        after[before..].iter().all(|r| r.5 == "Khaama Press"),
        "{after:?}"
    );
    // The file was private, and is gone with its directory.
    let modes = std::fs::read_to_string(s.path("modes.1")).expect("modes");
    assert_eq!(modes, "600\n700\n");
    let path = std::fs::read_to_string(s.path("path")).expect("path");
    let path = std::path::Path::new(path.trim());
    assert!(path.ends_with("AF-2021-0001.toml"), "{}", path.display());
    assert!(!path.exists() && !path.parent().expect("dir").exists());
}

#[test]
fn the_reason_can_be_given_as_a_flag_and_dry_run_writes_nothing() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    let before = revisions(&s);
    let run = with_editor(
        &s,
        &["edit", "AF-2021-0001", "--reason", "CPJ", "--dry-run"],
        &[r#"s/^title = ""/title = "Editor shot in Kabul"/"#],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "title: '' → 'Editor shot in Kabul'\n");
    assert_eq!(
        run.stderr,
        "pressreg: dry run: 1 change to AF-2021-0001 not written\n"
    );
    assert!(shown(&s, 1).contains("\nreason = \"CPJ\"\n"));
    assert_eq!(revisions(&s), before);
}

#[test]
fn an_invalid_file_reopens_with_the_error_on_top_until_it_is_right() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    let before = revisions(&s).len();
    let run = with_editor(
        &s,
        &["edit", "AF-2021-0001"],
        &[
            // No reason.
            r#"s/^context = "unknown"/context = "warzone"/"#,
            // An unknown value.
            r#"s/^reason = ""/reason = "CPJ"/"#,
            // Not TOML.
            r#"s/^context = "warzone"/context = armed/"#,
            // A victim added.
            r#"s/^context = armed/context = "unknown"/; $a [[victim]]\nname = "X""#,
            // An unknown field.
            r#"/^name = "X"/d; /^\[\[victim\]\]$/d; s/^place = ""/plaace = "Nawa"/"#,
            r#"s/^plaace/place/"#,
        ],
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{}", run.stdout);
    assert_eq!(run.stdout, "place: '' → 'Nawa'\n");
    assert_eq!(rounds(&s), "6\n");
    let tops: Vec<String> = (2..=6)
        .map(|n| shown(&s, n).lines().take(2).collect::<Vec<_>>().join("\n"))
        .collect();
    let fix = "# Fix it and save, or empty the file to give up.";
    assert_eq!(
        tops,
        [
            format!("# pressreg: reason is empty (say why on the line reason = \"…\"; it is kept in the revision log)\n{fix}"),
            format!("# pressreg: context: unknown context 'warzone' (accepted: armed_clashes, embedded, protest, riot, at_home, commuting, at_work, in_custody, at_border, online, court, other, unknown)\n{fix}"),
            format!("# pressreg: line 24, column 11: the file is not valid TOML: string values must be quoted, expected literal string\n{fix}"),
            format!("# pressreg: victims cannot be added or removed here (AF-2021-0001 has 1; 'pressreg victim add' adds one)\n{fix}"),
            format!("# pressreg: unknown field 'plaace' in the incident: did you mean 'place'? (accepted: title, summary, date, calendar, country, admin1, admin2, locality, place, coordinates, geo_precision, context, verification, work_link, justice, confidentiality, private_notes, duplicate_of)\n{fix}"),
        ]
    );
    // Only one error stays on top: the rest is the person's file.
    assert!(!shown(&s, 6).contains("reason is empty"));
    assert_eq!(revisions(&s).len(), before + 1);
}

#[test]
fn an_unchanged_file_writes_nothing_and_an_empty_one_gives_up() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    let before = revisions(&s);
    let run = with_editor(&s, &["edit", "AF-2021-0001"], &[""]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            0,
            "",
            "pressreg: the file was not changed: nothing written to AF-2021-0001\n"
        )
    );
    // A changed reason alone is no change.
    std::fs::remove_file(s.path("rounds")).expect("reset");
    let run = with_editor(
        &s,
        &["edit", "AF-2021-0001"],
        &[r#"s/^reason = ""/reason = "x"/"#],
    );
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            0,
            "pressreg: the file was not changed: nothing written to AF-2021-0001\n"
        )
    );
    std::fs::remove_file(s.path("rounds")).expect("reset");
    let run = with_editor(&s, &["edit", "AF-2021-0001"], &["EMPTY"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            1,
            "",
            "pressreg: the file was empty: AF-2021-0001 was not changed; nothing was written\n"
        )
    );
    assert_eq!(revisions(&s), before);
}

#[test]
fn a_failing_editor_or_a_deleted_incident_writes_nothing() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    let before = revisions(&s);
    let mut c = s.cmd(&["edit", "AF-2021-0001"]);
    c.env_remove("VISUAL").env("EDITOR", "false");
    let run = Run::from(c.output().expect("run"));
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            1,
            "",
            "pressreg: the editor 'false' failed (exit status: 1); nothing was written\n"
        )
    );
    assert_eq!(revisions(&s), before);
    s.run(&["delete", "AF-2021-0001", "--reason", "test"]);
    let run = with_editor(&s, &["edit", "AF-2021-0001"], &[""]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (1, "pressreg: 'AF-2021-0001' is deleted (restore it first with 'pressreg restore AF-2021-0001')\n")
    );
    assert_eq!(rounds(&s), "", "the editor was opened");
}

#[test]
fn the_file_keeps_its_victims_acts_and_sources_and_values_are_text() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    let before = revisions(&s);
    let run = with_editor(
        &s,
        &["edit", "AF-2021-0001", "--reason", "r"],
        &[
            r#"$a [[source]]\nurl = "https://x.org""#,
            r#"s/^\[\[source\]\]$/victim = 3/; /^url = /d"#,
            r#"/^victim = 3$/d; s/^note = ""/note = { a = 1 }/"#,
            r#"s/^note = .*/note = ""/; s/^\[\[victim.act\]\].*/[[victim.act]]\ntype = "killed"\n[[victim.act]]/"#,
            "EMPTY",
        ],
    );
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            1,
            "",
            "pressreg: the file was empty: AF-2021-0001 was not changed; nothing was written\n"
        )
    );
    let tops: Vec<String> = (2..=5)
        .map(|n| shown(&s, n).lines().next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        tops,
        [
            "# pressreg: sources cannot be added or removed here (AF-2021-0001 has 0; 'pressreg source add' adds one)",
            "# pressreg: unknown field 'victim' in act 1.1 (accepted: type, death_context, method, date, note)",
            "# pressreg: note in act 1.1 is not a text, number, true/false or list",
            "# pressreg: acts cannot be added or removed here (victim 1 has 1; 'pressreg act add' adds one)",
        ]
    );
    assert_eq!(revisions(&s), before);
}

/// SECURITY R22: a signal while the editor has the file open leaves no
/// plaintext copy behind.
#[test]
fn a_signal_while_the_editor_is_open_removes_the_file() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    let before = revisions(&s);
    // The editor changes the file, then pressreg (its parent, or the
    // shell's parent) is sent SIGTERM.
    let script = s.write(
        "term.sh",
        r#"#!/bin/sh
echo "$1" > "$(dirname "$0")/path"
sed -i 's/^title = ""/title = "x"/' "$1"
p=$PPID
if [ "$(cat /proc/$p/comm)" != pressreg ]; then p=$(cut -d' ' -f4 /proc/$p/stat); fi
kill -TERM "$p"
sleep 1
"#,
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
            .expect("make the editor runnable");
    }
    // The editor's private directory is made in the sandbox, not the
    // system temp dir, so that the check below sees everything it left.
    let tmp = s.path("tmp");
    std::fs::create_dir(&tmp).expect("make the sandbox's temp dir");
    let mut c = s.cmd(&["edit", "AF-2021-0001", "--reason", "r"]);
    c.env_remove("VISUAL")
        .env("EDITOR", &script)
        .env("XDG_RUNTIME_DIR", &tmp)
        .env("TMPDIR", &tmp);
    let out = c.output().expect("run pressreg");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(out.status.signal(), Some(15), "{out:?}");
    }
    let path = std::fs::read_to_string(s.path("path")).expect("the editor ran");
    let path = std::path::Path::new(path.trim());
    assert!(path.ends_with("AF-2021-0001.toml"), "{}", path.display());
    assert!(path.starts_with(&tmp), "{}", path.display());
    assert!(!path.exists(), "{} was left behind", path.display());
    // Nor its private directory.
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .expect("read the sandbox's temp dir")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(left, Vec::<std::path::PathBuf>::new());
    assert_eq!(revisions(&s), before);
}

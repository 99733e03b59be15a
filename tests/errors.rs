//! Every user-facing error of the attach, actor and add commands: the exact
//! one line on stderr, the exit code (1 for bad input, 2 for a malformed
//! command line), and that nothing was written.

use crate::fixtures::{ATTACH_TO_AF_2021_0001, TOOFAN_BARE};
use crate::Sandbox;

const ACT_TYPES: &str = "killed, tortured, sexual_violence, disappeared, missing, detained, kidnapped, hostage, attempted_killing, wounded, assaulted, threatened, harassed, surveilled, charged, sued, subpoenaed, equipment_seized, property_attacked, denied_access, border_stopped, censored, dismissed, smeared, other";
const ACTOR_TYPES: &str = "state_military, state_police, state_intelligence, state_official, judiciary, de_facto_authority, armed_group, paramilitary, criminal_group, mob, private_individual, political_party, employer, foreign_state, unknown";
const COUNTRY: &str = "(accepted: an ISO 3166-1 code such as AF or AFG, a name such as Afghanistan, or an ISO 3166-3 code of a former state such as YUCS)";

/// A registry with one incident (AF-2021-0001, 2021-08-08, one victim
/// killed) and one source.
fn registry() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&[TOOFAN_BARE, &["--source-url", "https://a.example/1"]].concat());
    s
}

/// Asserts that each command fails with `code` and exactly `stderr`, and
/// that the registry's revision log did not grow.
#[track_caller]
fn refused(s: &Sandbox, cases: &[(&[&str], i32, &str)]) {
    let before = s.rows("revision");
    for (args, code, stderr) in cases {
        assert_eq!(
            s.fails(args, *code),
            format!("pressreg: {stderr}\n"),
            "{args:?}"
        );
    }
    assert_eq!(
        s.rows("revision"),
        before,
        "a refused command wrote to the registry"
    );
}

/// Asserts that each command fails with `code` and exactly `stderr` and
/// that nothing was written to the registry.
#[track_caller]
fn refused_before_creating(cases: &[(&[&str], i32, &str)]) {
    for (args, code, stderr) in cases {
        let s = Sandbox::new();
        assert_eq!(
            s.fails(args, *code),
            format!("pressreg: {stderr}\n"),
            "{args:?}"
        );
        assert_eq!(s.rows("revision"), 0, "{args:?} wrote to the registry");
    }
}

const ADD: &[&str] = &["add", "--country", "AF", "--victim", "V", "--act", "killed"];

fn add_with(extra: &[&'static str]) -> Vec<&'static str> {
    let mut v = ADD.to_vec();
    v.extend_from_slice(extra);
    v
}

#[test]
fn impossible_dates() {
    refused_before_creating(&[
        (
            &add_with(&["--date", "2021-02-30"]),
            1,
            "--date: '2021-02-30' is not a date: day 30 does not exist in that month",
        ),
        (
            &["actor", "add", "X", "--type", "mob", "--to", "2021-02-30"],
            1,
            "--to '2021-02-30' is not a date (accepted: YYYY-MM-DD, e.g. 2021-03-14)",
        ),
    ]);
    let s = registry();
    refused(
        &s,
        &[
            (
                &[
                    "act",
                    "add",
                    "AF-2021-0001",
                    "--victim",
                    "1",
                    "--type",
                    "wounded",
                    "--date",
                    "2021-02-30",
                ],
                1,
                "--date: '2021-02-30' is not a date: day 30 does not exist in that month",
            ),
            (
                &[
                    "victim",
                    "add",
                    "AF-2021-0001",
                    "--name",
                    "X",
                    "--act",
                    "killed",
                    "--act-date",
                    "2021-13-01",
                ],
                1,
                "--act-date: '2021-13-01' is not a date: month 13 does not exist",
            ),
            (
                &[
                    "source",
                    "add",
                    "AF-2021-0001",
                    "--url",
                    "x",
                    "--published-on",
                    "2021-02-30",
                ],
                1,
                "--published-on '2021-02-30' is not a date (accepted: YYYY-MM-DD, e.g. 2021-03-14)",
            ),
            (
                &[
                    "source",
                    "add",
                    "AF-2021-0001",
                    "--url",
                    "x",
                    "--accessed-on",
                    "yesterday",
                ],
                1,
                "--accessed-on 'yesterday' is not a date (accepted: YYYY-MM-DD, e.g. 2021-03-14)",
            ),
        ],
    );
}

#[test]
fn future_dates() {
    refused_before_creating(&[
        (
            &add_with(&["--date", "2022-01-01"]),
            1,
            "--date: '2022-01-01' is in the future (today is 2021-12-31)",
        ),
        (
            &["actor", "add", "X", "--type", "mob", "--from", "2022-01-01"],
            1,
            "--from 2022-01-01 is in the future (today is 2021-12-31)",
        ),
    ]);
    let s = registry();
    refused(
        &s,
        &[
            (
                &[
                    "act",
                    "add",
                    "AF-2021-0001",
                    "--victim",
                    "1",
                    "--type",
                    "wounded",
                    "--date",
                    "2022-06-01",
                ],
                1,
                "--date: '2022-06-01' is in the future (today is 2021-12-31)",
            ),
            (
                &[
                    "victim",
                    "add",
                    "AF-2021-0001",
                    "--name",
                    "X",
                    "--act",
                    "killed",
                    "--act-date",
                    "2022-02-01",
                ],
                1,
                "--act-date: '2022-02-01' is in the future (today is 2021-12-31)",
            ),
            (
                &[
                    "source",
                    "add",
                    "AF-2021-0001",
                    "--url",
                    "x",
                    "--published-on",
                    "2022-03-01",
                ],
                1,
                "--published-on 2022-03-01 is in the future (today is 2021-12-31)",
            ),
        ],
    );
}

#[test]
fn act_dates_before_the_incident_and_death_context_outside_killings() {
    let s = registry();
    refused(
        &s,
        &[
            (
                &[
                    "act",
                    "add",
                    "AF-2021-0001",
                    "--victim",
                    "1",
                    "--type",
                    "wounded",
                    "--date",
                    "2021-08-07",
                ],
                1,
                "--date 2021-08-07 is before the incident's date 2021-08-08",
            ),
            (
                &[
                    "victim",
                    "add",
                    "AF-2021-0001",
                    "--name",
                    "X",
                    "--act",
                    "killed",
                    "--act-date",
                    "2021-08-01",
                ],
                1,
                "--act-date 2021-08-01 is before the incident's date 2021-08-08",
            ),
            (
                &[
                    "act",
                    "add",
                    "AF-2021-0001",
                    "--victim",
                    "1",
                    "--type",
                    "wounded",
                    "--death-context",
                    "crossfire",
                ],
                1,
                "death context is only for killings (this act is 'wounded')",
            ),
            (
                &[
                    "victim",
                    "add",
                    "AF-2021-0001",
                    "--name",
                    "X",
                    "--act",
                    "kidnapped",
                    "--death-context",
                    "targeted",
                ],
                1,
                "death context is only for killings (this act is 'kidnapped')",
            ),
        ],
    );
}

#[test]
fn unknown_countries() {
    refused_before_creating(&[(
        &[
            "add",
            "--date",
            "2021-08-08",
            "--country",
            "ZZ",
            "--victim",
            "V",
            "--act",
            "killed",
        ],
        1,
        &format!("--country: unknown country 'ZZ' {COUNTRY}"),
    )]);
    let s = registry();
    refused(
        &s,
        &[(
            &[
                "victim",
                "add",
                "AF-2021-0001",
                "--name",
                "X",
                "--nationality",
                "XX",
            ],
            1,
            &format!("--nationality: unknown country 'XX' {COUNTRY}"),
        )],
    );
}

#[test]
fn unknown_vocabulary_values() {
    refused_before_creating(&[
        (
            &[
                "add",
                "--date",
                "2021-08-08",
                "--country",
                "AF",
                "--victim",
                "V",
                "--act",
                "beaten",
            ],
            1,
            &format!("invalid value 'beaten' for --act (accepted: {ACT_TYPES})"),
        ),
        (
            &["actor", "add", "X", "--type", "militia"],
            1,
            &format!("invalid value 'militia' for --type (accepted: {ACTOR_TYPES})"),
        ),
    ]);
    let s = registry();
    refused(&s, &[
        (&["act", "add", "AF-2021-0001", "--victim", "1", "--type", "beaten"], 1,
         &format!("invalid value 'beaten' for --type (accepted: {ACT_TYPES})")),
        (&["perpetrator", "add", "AF-2021-0001", "--act", "1.1", "--actor", "X", "--actor-type", "militia"], 1,
         &format!("invalid value 'militia' for --actor-type (accepted: {ACTOR_TYPES})")),
        (&["perpetrator", "add", "AF-2021-0001", "--act", "1.1", "--actor", "X", "--basis", "rumour"], 1,
         "invalid value 'rumour' for --basis (accepted: claimed, acknowledged, denied, court_finding, official_accusation, arrest, accused_by_victim, accused_by_colleagues, witness, monitor_assessment, inferred, unknown)"),
        (&["source", "add", "AF-2021-0001", "--url", "x", "--type", "blog"], 1,
         "invalid value 'blog' for --type (accepted: news_report, wire_report, monitor_statement, un_statement, official_statement, perpetrator_claim, social_media, interview, court_document, medical_record, photo_video, other)"),
        (&["claim", "add", "AF-2021-0001", "--source", "1", "--field", "admin1", "--value", "x", "--stance", "maybe"], 1,
         "invalid value 'maybe' for --stance (accepted: asserts, denies, corrects)"),
        (&["claim", "add", "AF-2021-0001", "--source", "1", "--field", "colour", "--value", "x"], 1,
         "unknown field 'colour' for a claim about an incident (accepted: title, summary, date, date_start, date_end, country, admin1, admin2, locality, place, coordinates, context, verification, work_link, justice)"),
        (&["victim", "add", "AF-2021-0001", "--name", "X", "--sex", "f"], 1,
         "invalid value 'f' for --sex (accepted: female, male, other, unknown)"),
    ]);
}

#[test]
fn unknown_refs_victims_acts_sources_and_actors() {
    let s = registry();
    refused(&s, &[
        (&["victim", "add", "AF-2021-0099", "--name", "X"], 1,
         "no incident 'AF-2021-0099' in the registry (refs look like AF-2021-0001; 'pressreg list' shows every ref)"),
        (&["act", "add", "AF-2021-0099", "--victim", "1", "--type", "wounded"], 1,
         "no incident 'AF-2021-0099' in the registry (refs look like AF-2021-0001; 'pressreg list' shows every ref)"),
        (&["act", "add", "AF-2021-0001", "--victim", "3", "--type", "wounded"], 1,
         "incident 'AF-2021-0001' has no victim 3 (it has 1 victim; see 'pressreg show AF-2021-0001')"),
        (&["perpetrator", "add", "AF-2021-0001", "--act", "1.5", "--actor", "X", "--actor-type", "mob"], 1,
         "victim 1 of incident 'AF-2021-0001' has no act 5 (it has 1 act; see 'pressreg show AF-2021-0001')"),
        (&["perpetrator", "add", "AF-2021-0001", "--act", "one", "--actor", "X", "--actor-type", "mob"], 1,
         "--act 'one' is not an act address (accepted: VICTIM.ACT, e.g. 1.2)"),
        (&["perpetrator", "add", "AF-2021-0001", "--act", "1.1", "--actor", "Nobody"], 1,
         "unknown actor 'Nobody' (add it with 'pressreg actor add \"Nobody\" --type TYPE', or give its type)"),
        (&["source", "add", "XX-2021-0001", "--url", "x"], 1,
         "no incident 'XX-2021-0001' in the registry (refs look like AF-2021-0001; 'pressreg list' shows every ref)"),
        (&["claim", "add", "AF-2021-0001", "--source", "2", "--field", "admin2", "--value", "x"], 1,
         "--source '2' is not a source of incident 'AF-2021-0001' (it has 1 source; give a number or a URL)"),
        (&["claim", "add", "AF-2021-0001", "--source", "https://b.example", "--field", "admin2", "--value", "x"], 1,
         "--source 'https://b.example' is not a source of incident 'AF-2021-0001' (it has 1 source; give a number or a URL)"),
        (&["claim", "add", "AF-2021-0001", "--source", "1", "--subject", "victim", "--victim", "2", "--field", "name", "--value", "x"], 1,
         "incident 'AF-2021-0001' has no victim 2 (it has 1 victim; see 'pressreg show AF-2021-0001')"),
        (&["claim", "add", "AF-2021-0001", "--source", "1", "--subject", "involvement", "--act", "1.1", "--field", "basis", "--value", "x"], 1,
         "act 1.1 has no perpetrator linked"),
        (&["actor", "show", "Nobody"], 1,
         "no actor 'Nobody': the registry holds no actors yet"),
    ]);
}

#[test]
fn attaching_to_a_missing_registry_does_not_create_one() {
    let s = Sandbox::empty();
    let missing = format!(
        "no registry at '{}' (create one with 'pressreg init')",
        s.db().display()
    );
    for args in [
        &["victim", "add", "AF-2021-0001", "--name", "X"][..],
        &[
            "act",
            "add",
            "AF-2021-0001",
            "--victim",
            "1",
            "--type",
            "wounded",
        ],
        &["source", "add", "AF-2021-0001", "--url", "x"],
        &[
            "perpetrator",
            "add",
            "AF-2021-0001",
            "--all-acts",
            "--actor",
            "Taliban",
        ],
        &[
            "claim",
            "add",
            "AF-2021-0001",
            "--source",
            "1",
            "--field",
            "admin2",
            "--value",
            "x",
        ],
        &["actor", "list"],
        &["actor", "show", "Taliban"],
        // Changing an incident needs a registry that holds it: a missing
        // one is not created (empty) on the way to saying so.
        &["edit", "AF-2021-0001", "--set", "title=x", "--reason", "r"],
        &["delete", "AF-2021-0001", "--reason", "r"],
        &["restore", "AF-2021-0001"],
    ] {
        assert_eq!(
            s.fails(args, 1),
            format!("pressreg: {missing}\n"),
            "{args:?}"
        );
    }
    assert!(!s.db().exists());
}

#[test]
fn empty_required_fields() {
    refused_before_creating(&[
        (
            &[
                "add",
                "--date",
                "2021-08-08",
                "--country",
                "AF",
                "--victim",
                " ",
                "--act",
                "killed",
            ],
            1,
            "missing --victim (or --file with whole incidents; --anonymous for an unnamed victim), e.g. pressreg add --date 2021-08-08 --country AF --victim \"Toofan Omar\" --act killed",
        ),
        (
            &["actor", "add", " ", "--type", "mob"],
            1,
            "the actor's name is empty (give a name such as Taliban)",
        ),
    ]);
    let s = registry();
    refused(
        &s,
        &[
            (
                &["victim", "add", "AF-2021-0001", "--name", ""],
                1,
                "--name is required (the victim's name, or --anonymous)",
            ),
            (
                &[
                    "perpetrator",
                    "add",
                    "AF-2021-0001",
                    "--all-acts",
                    "--actor",
                    "",
                ],
                1,
                "--actor is empty (name the actor, or 'unknown')",
            ),
            (
                &["source", "add", "AF-2021-0001", "--url", "  "],
                1,
                "--url is empty (give where the source is)",
            ),
            (
                &[
                    "claim",
                    "add",
                    "AF-2021-0001",
                    "--source",
                    "1",
                    "--field",
                    "",
                    "--value",
                    "x",
                ],
                1,
                "--field is empty (name the field the source speaks of)",
            ),
            (
                &["actor", "add", "X", "--type", "mob", "--alias", ""],
                1,
                "--alias is empty (give another name the actor is known by)",
            ),
        ],
    );
}

#[test]
fn missing_required_flags() {
    refused_before_creating(&[
        (&["add", "--country", "AF", "--victim", "V", "--act", "killed"], 1,
         "missing --date (or --file with whole incidents; --anonymous for an unnamed victim), e.g. pressreg add --date 2021-08-08 --country AF --victim \"Toofan Omar\" --act killed"),
        (&["add", "--date", "2021-08-08", "--victim", "V", "--act", "killed"], 1,
         "missing --country (or --file with whole incidents; --anonymous for an unnamed victim), e.g. pressreg add --date 2021-08-08 --country AF --victim \"Toofan Omar\" --act killed"),
        (&["add", "--date", "2021-08-08", "--country", "AF", "--victim", "V"], 1,
         "missing --act (or --file with whole incidents; --anonymous for an unnamed victim), e.g. pressreg add --date 2021-08-08 --country AF --victim \"Toofan Omar\" --act killed"),
        (&["add", "--country", "AF"], 1,
         "missing --date, --victim, --act (or --file with whole incidents; --anonymous for an unnamed victim), e.g. pressreg add --date 2021-08-08 --country AF --victim \"Toofan Omar\" --act killed"),
        (&["actor", "add", "X"], 2,
         "the following required arguments were not provided: --type <TYPE> (Usage: pressreg actor add --type <TYPE> <NAME>)"),
    ]);
    let s = registry();
    refused(&s, &[
        (&["victim", "add", "AF-2021-0001"], 1,
         "--name is required (the victim's name, or --anonymous)"),
        (&["act", "add", "AF-2021-0001", "--victim", "1"], 2,
         "the following required arguments were not provided: --type <TYPE> (Usage: pressreg act add --victim <N> --type <TYPE> <REF>)"),
        (&["perpetrator", "add", "AF-2021-0001", "--actor", "X"], 2,
         "the following required arguments were not provided: --act <V.A> (Usage: pressreg perpetrator add --actor <NAME> --act <V.A> <REF>)"),
        (&["source", "add", "AF-2021-0001"], 2,
         "the following required arguments were not provided: --url <URL> (Usage: pressreg source add --url <URL> <REF>)"),
        (&["claim", "add", "AF-2021-0001", "--source", "1", "--field", "method", "--value", "x", "--subject", "act"], 1,
         "--subject act needs --act V.A (the act's address)"),
        (&["claim", "add", "AF-2021-0001", "--source", "1", "--field", "name", "--value", "x", "--subject", "victim"], 1,
         "--subject victim needs --victim N (the victim's position)"),
    ]);
}

#[test]
fn the_same_attribution_twice_is_refused() {
    let s = registry();
    s.ok(&[
        "victim",
        "add",
        "AF-2021-0001",
        "--name",
        "Second",
        "--act",
        "killed",
    ]);
    s.ok(&[
        "perpetrator",
        "add",
        "AF-2021-0001",
        "--act",
        "2.1",
        "--actor",
        "Taliban",
        "--actor-type",
        "armed_group",
        "--basis",
        "official_accusation",
    ]);
    refused(
        &s,
        &[(
            &["perpetrator", "add", "AF-2021-0001", "--all-acts", "--actor", "taliban",
              "--basis", "official_accusation"],
            1,
            "'taliban' is already linked to act 2.1 as perpetrator on basis official_accusation (nothing was written)",
        )],
    );
    // Another basis for the same actor is another attribution.
    assert_eq!(
        s.ok(&[
            "perpetrator",
            "add",
            "AF-2021-0001",
            "--act",
            "2.1",
            "--actor",
            "Taliban",
            "--basis",
            "denied"
        ]),
        "2.1\n"
    );
}

#[test]
fn unknown_flags_are_usage_errors() {
    refused_before_creating(&[
        (&add_with(&["--date", "2021-08-08", "--bogus"]), 2,
         "unexpected argument '--bogus' found (Usage: pressreg add --country <CC> --victim <NAME> --act <ACT> --date <DATE>)"),
        (&["actor", "add", "X", "--type", "mob", "--since", "2021"], 2,
         "unexpected argument '--since' found (Usage: pressreg actor add --type <TYPE> <NAME>)"),
    ]);
    let s = registry();
    refused(&s, &[
        (&["victim", "add", "AF-2021-0001", "--name", "X", "--bogus"], 2,
         "unexpected argument '--bogus' found (Usage: pressreg victim add --name <NAME> <REF>)"),
        (&["perpetrator", "add", "AF-2021-0001", "--act", "1.1", "--all-acts", "--actor", "X"], 2,
         "the argument '--act <V.A>' cannot be used with '--all-acts' (Usage: pressreg perpetrator add --actor <NAME> --act <V.A> <REF>)"),
        (&["victim", "remove", "AF-2021-0001"], 2,
         "unrecognized subcommand 'remove' (Usage: pressreg victim [OPTIONS] <COMMAND>)"),
    ]);
}

/// An add refused inside its transaction (here: an actor nobody defined)
/// writes nothing, not even the revision of its incident.
#[test]
fn a_refused_first_add_writes_nothing() {
    let s = crate::Sandbox::new();
    assert_eq!(
        s.fails(
            &["add", "--date", "2021-08-08", "--country", "AF", "--victim", "A", "--act", "killed",
              "--actor", "Unknown gunmen"],
            1
        ),
        "pressreg: unknown actor 'Unknown gunmen' (add it with 'pressreg actor add \"Unknown gunmen\" --type TYPE', or give its type)\n"
    );
    assert_eq!(
        s.rows("revision"),
        0,
        "the refused add wrote to the registry"
    );
}

const CONTROL: &str = "(accepted: text without control characters other than tab and line breaks)";

/// Issue 7: "Free text is checked differently on every path (CPJ/USPFT
/// refuse control characters; native CSV refuses NUL only; `add`, `edit`
/// and JSONL accept anything)". One rule now, each path naming the field
/// its own way.
#[test]
fn free_text_with_control_characters_is_refused_on_every_path() {
    refused_before_creating(&[
        (
            &add_with(&["--date", "2021-08-08", "--title", "Bell\u{7}"]),
            1,
            &format!("--title: title holds the control character U+0007 at character 5 {CONTROL}"),
        ),
        (
            &[
                "add", "--date", "2021-08-08", "--country", "AF", "--victim",
                "Evil\u{1b}[31mRed", "--act", "killed",
            ],
            1,
            &format!("--victim: name holds the control character U+001B at character 5 {CONTROL}"),
        ),
        (
            &add_with(&["--date", "2021-08-08", "--name-variant", "ok", "--name-variant", "b\u{8}ad"]),
            1,
            &format!("--name-variant: name_variants 2 holds the control character U+0008 at character 2 {CONTROL}"),
        ),
        (
            // (NUL cannot be passed in an argument; DEL can.)
            &add_with(&["--date", "2021-08-08", "--actor", "Army\u{7f}"]),
            1,
            &format!("--actor: actor holds the control character U+007F at character 5 {CONTROL}"),
        ),
    ]);
    let s = Sandbox::new();
    s.write(
        "two.jsonl",
        "{\"country\":\"AF\",\"date\":\"2021-08-08\"}\n\
         {\"country\":\"AF\",\"date\":\"2021-08-08\",\"summary\":\"a\\u0000b\"}\n",
    );
    let file = s.path("two.jsonl");
    assert_eq!(
        s.fails(&["add", "--file", file.to_str().unwrap_or("")], 1),
        format!(
            "pressreg: incident 2: summary holds the control character U+0000 at character 2 {CONTROL}\n"
        )
    );
    assert_eq!(s.rows("revision"), 0);
    let s = registry();
    refused(
        &s,
        &[
            (
                &[
                    "edit",
                    "AF-2021-0001",
                    "--set",
                    "title=a\u{1b}b",
                    "--reason",
                    "r",
                ],
                1,
                &format!("title holds the control character U+001B at character 2 {CONTROL}"),
            ),
            (
                &[
                    "edit",
                    "AF-2021-0001",
                    "--set",
                    "victim.1.name=T\u{85}",
                    "--reason",
                    "r",
                ],
                1,
                &format!(
                    "victim 1: name holds the control character U+0085 at character 2 {CONTROL}"
                ),
            ),
        ],
    );
}

/// The free-text rule holds for the commands that attach one thing to a
/// recorded incident, and for `actor add`: each names the flag (or the
/// argument) that carried the text, and nothing is written.
#[test]
fn free_text_with_control_characters_is_refused_by_attaching_commands() {
    let s = registry();
    refused(
        &s,
        &[
            (
                &[
                    "source",
                    "add",
                    "AF-2021-0001",
                    "--url",
                    "https://b.example/\u{1b}[2J",
                ],
                1,
                &format!("--url: url holds the control character U+001B at character 19 {CONTROL}"),
            ),
            (
                &[
                    "source",
                    "add",
                    "AF-2021-0001",
                    "--url",
                    "https://b.example/2",
                    "--publisher",
                    "Pajhwok",
                    "--note",
                    "call\u{7}back",
                ],
                1,
                &format!(
                    "--note: note holds the control character U+0007 at character 5 {CONTROL}"
                ),
            ),
            (
                &[
                    "source",
                    "add",
                    "AF-2021-0001",
                    "--url",
                    "https://b.example/3",
                    "--via",
                    "Reu\u{8}ters",
                ],
                1,
                &format!("--via: via holds the control character U+0008 at character 4 {CONTROL}"),
            ),
            (
                &[
                    "claim",
                    "add",
                    "AF-2021-0001",
                    "--source",
                    "1",
                    "--field",
                    "admin2",
                    "--value",
                    "Na\u{9b}wa",
                ],
                1,
                &format!(
                    "--value: value holds the control character U+009B at character 3 {CONTROL}"
                ),
            ),
            (
                &[
                    "claim",
                    "add",
                    "AF-2021-0001",
                    "--source",
                    "1\u{7f}",
                    "--field",
                    "admin2",
                    "--value",
                    "Nawa",
                ],
                1,
                &format!(
                    "--source: source holds the control character U+007F at character 2 {CONTROL}"
                ),
            ),
            (
                &[
                    "perpetrator",
                    "add",
                    "AF-2021-0001",
                    "--act",
                    "1.1",
                    "--actor",
                    "Tali\u{1b}ban",
                    "--actor-type",
                    "armed_group",
                ],
                1,
                &format!(
                    "--actor: actor holds the control character U+001B at character 5 {CONTROL}"
                ),
            ),
            (
                &[
                    "perpetrator",
                    "add",
                    "AF-2021-0001",
                    "--act",
                    "1.1",
                    "--actor",
                    "unknown",
                    "--note",
                    "seen\u{7}",
                ],
                1,
                &format!(
                    "--note: note holds the control character U+0007 at character 5 {CONTROL}"
                ),
            ),
        ],
    );
    refused_before_creating(&[
        (
            &["actor", "add", "Tali\u{1b}ban", "--type", "armed_group"],
            1,
            &format!("<NAME>: name holds the control character U+001B at character 5 {CONTROL}"),
        ),
        (
            &[
                "actor",
                "add",
                "Taliban",
                "--type",
                "armed_group",
                "--alias",
                "IEA",
                "--alias",
                "Emirate\u{85}",
            ],
            1,
            &format!(
                "--alias: aliases 2 holds the control character U+0085 at character 8 {CONTROL}"
            ),
        ),
    ]);
}

/// Tab and line breaks are text: a summary may hold paragraphs.
#[test]
fn tabs_and_line_breaks_in_free_text_are_kept() {
    let s = Sandbox::new();
    s.ok(&add_with(&[
        "--date",
        "2021-08-08",
        "--summary",
        "one\tcolumn\r\nand another\nline",
    ]));
    assert!(s
        .ok(&["show", "AF-2021-0001", "--format", "json"])
        .contains(r#""summary": "one\tcolumn\r\nand another\nline""#));
}

/// See: safety issue, "NUL bytes through JSON, a 50 MB JSON field (a cap,
/// like CSV's)" must be refused by `add --file`; so is a file above the
/// cap of what `add --file` reads whole.
#[test]
fn add_file_refuses_an_oversized_field_and_an_oversized_file() {
    let s = Sandbox::new();
    s.write(
        "big.json",
        format!(
            "{{\"country\":\"AF\",\"date\":\"2021-08-08\",\"title\":\"{}\"}}",
            "x".repeat(50_000_000)
        ),
    );
    let file = s.path("big.json");
    assert_eq!(
        s.fails(&["add", "--file", file.to_str().unwrap_or("")], 1),
        "pressreg: incident 1: title is 50000000 bytes long (accepted: at most 1048576 bytes)\n"
    );
    s.write("huge.jsonl", " ".repeat((64 << 20) + 1));
    let file = s.path("huge.jsonl");
    assert_eq!(
        s.fails(&["add", "--file", file.to_str().unwrap_or("")], 1),
        format!(
            "pressreg: '{}' is larger than 64 MiB (accepted: at most 64 MiB with --file; \
             'pressreg import' reads larger files)\n",
            file.display()
        )
    );
    assert_eq!(s.rows("revision"), 0);
}

/// `--year` with `--from` or `--to` is one usage error, declared once for
/// every command with the shared filters: the same line and exit 2 from
/// each, and no registry created.
#[test]
fn year_with_from_or_to_is_the_same_usage_error_everywhere() {
    for command in ["list", "export", "summary", "letter"] {
        refused_before_creating(&[
            (
                &[command, "--year", "2021", "--from", "2020"],
                2,
                &format!(
                    "the argument '--year <YYYY>' cannot be used with '--from <DATE>' (Usage: pressreg {command} --year <YYYY>)"
                ),
            ),
            (
                &[command, "--to", "2021-06", "--year", "2021"],
                2,
                &format!(
                    "the argument '--to <DATE>' cannot be used with '--year <YYYY>' (Usage: pressreg {command} --to <DATE>)"
                ),
            ),
        ]);
    }
}

#[test]
fn claim_accept_retract_edit_and_source_retract_errors() {
    let s = registry();
    s.ok(&[
        "perpetrator",
        "add",
        "AF-2021-0001",
        "--act",
        "1.1",
        "--actor",
        "Taliban",
        "--actor-type",
        "armed_group",
    ]);
    for (field, value, extra) in [
        ("date", "Sunday", &[][..]),
        ("admin2", "Nawa", &["--stance", "denies"][..]),
        ("admin2", "Nad Ali", &[][..]),
    ] {
        let mut args = vec![
            "claim",
            "add",
            "AF-2021-0001",
            "--source",
            "1",
            "--field",
            field,
            "--value",
            value,
        ];
        args.extend_from_slice(extra);
        s.ok(&args);
    }
    s.ok(&[
        "claim",
        "add",
        "AF-2021-0001",
        "--source",
        "1",
        "--subject",
        "involvement",
        "--act",
        "1.1",
        "--field",
        "actor",
        "--value",
        "Islamic State",
    ]);
    refused(&s, &[
        (&["claim", "accept", "AF-2021-0001", "9"], 1,
         "no claim 9 in AF-2021-0001 (it has 4 claims; 'pressreg show AF-2021-0001' numbers them)"),
        (&["claim", "accept", "AF-2021-0001", "1"], 1,
         "claim 1 of AF-2021-0001: date: 'Sunday' is not a date (accepted: YYYY-MM-DD, YYYY-MM, YYYY, START/END, or any of them ending in '?', e.g. 2021-03-14 or 2021-03?)"),
        (&["claim", "accept", "AF-2021-0001", "2"], 1,
         "claim 2 of AF-2021-0001 denies 'Nawa': a denial cannot be accepted (accept the claim that gives the value, or edit the field)"),
        (&["claim", "accept", "AF-2021-0001", "4"], 1,
         "claim 4 of AF-2021-0001 names an actor: a perpetrator is changed with 'pressreg perpetrator add', not by accepting a claim"),
        (&["claim", "accept", "AF-2021-0001", "1", "--reason", " "], 1,
         "--reason is empty (say why; it is kept in the revision log)"),
        (&["claim", "accept", "AF-2021-0001", "x"], 1,
         "invalid value 'x' for <N>: invalid digit found in string"),
        (&["claim", "retract", "AF-2021-0001", "1"], 2,
         "the following required arguments were not provided: --reason <TEXT> (Usage: pressreg claim retract --reason <TEXT> <REF> <N>)"),
        (&["claim", "retract", "AF-2021-0001", "5", "--reason", "x"], 1,
         "no claim 5 in AF-2021-0001 (it has 4 claims; 'pressreg show AF-2021-0001' numbers them)"),
        (&["claim", "edit", "AF-2021-0001", "3", "--reason", "x"], 1,
         "claim edit needs --value or --stance (what the source says, or how)"),
        (&["claim", "edit", "AF-2021-0001", "3", "--value", "Nawa", "--stance", "denies", "--reason", "x"], 1,
         "claim 2 of AF-2021-0001 already says that (same source, field, value and stance)"),
        (&["source", "retract", "AF-2021-0001", "2", "--reason", "x"], 1,
         "no source 2 in AF-2021-0001 (it has 1 source)"),
        (&["source", "retract", "AF-2021-0002", "1", "--reason", "x"], 1,
         "no incident 'AF-2021-0002' in the registry: did you mean 'AF-2021-0001'? ('pressreg list' shows every ref)"),
    ]);
}

#[test]
fn attaching_to_a_deleted_incident_is_refused() {
    let s = Sandbox::new();
    let file = s.write(
        "deleted.json",
        r#"{"country": "AF", "date": "2021-08-08",
            "victims": [{"name": "A", "acts": [{"type": "killed"}]}]}"#,
    );
    assert_eq!(
        s.ok(&["add", "--file", file.to_str().expect("path")]),
        "AF-2021-0001\n"
    );
    // `add` records an incident alive (a deleted_at given is refused).
    let r = s.run(&[
        "delete",
        "AF-2021-0001",
        "--reason",
        "a test of deleted incidents",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let before = s.rows("revision");
    let refused = "pressreg: incident 'AF-2021-0001' is deleted (restore it with 'pressreg restore AF-2021-0001' first)\n";
    for args in ATTACH_TO_AF_2021_0001 {
        assert_eq!(s.fails(args, 1), refused, "{args:?}");
    }
    assert_eq!(s.rows("revision"), before);
}

/// A near miss is answered with what it probably meant, by the same words
/// on every path a vocabulary value comes in (flags, CSV, edit --set);
/// commands and flags keep clap's own tip; nonsense gets only the list.
#[test]
fn near_misses_are_answered_with_what_was_meant() {
    refused_before_creating(&[
        (&add_with(&["--date", "2021-08-08", "--method", "shot"]), 1,
         "invalid value 'shot' for --method: did you mean 'shooting'? (accepted: shooting, explosive, stabbing, beating, vehicle, arson, poisoning, abduction, legal_process, online, other, unknown)"),
        (&add_with(&["--date", "2021-08-08", "--actor", "Taliban", "--confidence", "likley"]), 1,
         "invalid value 'likley' for --confidence: did you mean 'likely'? (accepted: confirmed, likely, possible, unlikely, unknown)"),
        (&add_with(&["--date", "2021-08-08", "--category", "manager"]), 1,
         "invalid value 'manager' for --category: did you mean 'media_manager'? (accepted: journalist, citizen_journalist, media_worker, media_manager, government_media_official, media_outlet, associate, other)"),
        (&["add", "--date", "2021-08-08", "--country", "AF", "--victim", "V", "--act", "kidnaped"], 1,
         &format!("invalid value 'kidnaped' for --act: did you mean 'kidnapped'? (accepted: {ACT_TYPES})")),
        (&["add", "--date", "2021-08-08", "--country", "Afganistan", "--victim", "V", "--act", "killed"], 1,
         &format!("--country: unknown country 'Afganistan': did you mean Afghanistan (AF)? {COUNTRY}")),
        (&["summry", "--year", "2021"], 2,
         "unrecognized subcommand 'summry'; a similar subcommand exists: 'summary' (Usage: pressreg [OPTIONS] <COMMAND>)"),
        (&add_with(&["--date", "2021-08-08", "--victm", "X"]), 2,
         "unexpected argument '--victm' found; a similar argument exists: '--victim' (Usage: pressreg add --country <CC> --victim <NAME> --act <ACT> --date <DATE>)"),
        (&["list", "--act", "kidnaped"], 1,
         &format!("invalid value 'kidnaped' for --act: did you mean 'kidnapped'? (accepted: {ACT_TYPES})")),
    ]);
    let s = registry();
    refused(&s, &[
        (&["edit", "af-2021-0001", "--set", "victim.1.category=manager", "--reason", "r"], 1,
         "--set victim.1.category: unknown victim category 'manager': did you mean 'media_manager'? (accepted: journalist, citizen_journalist, media_worker, media_manager, government_media_official, media_outlet, associate, other)"),
        (&["edit", "AF-2021-0001", "--set", "verification=verifed", "--reason", "r"], 1,
         "--set verification: unknown verification 'verifed': did you mean 'verified'? (accepted: reported, corroborated, verified, disputed, rejected, out_of_scope, duplicate)"),
        (&["show", "af-2021-0099"], 1,
         "no incident 'af-2021-0099' in the registry (refs look like AF-2021-0001; 'pressreg list' shows every ref)"),
        (&["show", "af-2021-00001"], 1,
         "no incident 'af-2021-00001' in the registry: did you mean 'AF-2021-0001'? ('pressreg list' shows every ref)"),
    ]);
    // An empty registry has no ref to show as an example.
    assert_eq!(
        Sandbox::new().fails(&["show", "AF-2021-0001"], 1),
        "pressreg: no incident 'AF-2021-0001': the registry holds no incidents yet\n"
    );
    s.write(
        "bad.csv",
        "incident_ref,date_start,country,act_type\nX-1,2021-02-03,AF,kidnaped\n",
    );
    assert_eq!(
        s.fails(&["import", "bad.csv"], 1),
        format!("row 2, column act_type: unknown act type 'kidnaped': did you mean 'kidnapped'? (accepted: {ACT_TYPES})\npressreg: 1 of 1 rows are invalid; nothing was imported\n")
    );
}

/// Free text may begin with '-', but a flag where a value should be means
/// the value was forgotten; a flag with no value at all says so.
#[test]
fn a_forgotten_value_is_named() {
    refused_before_creating(&[
        (&add_with(&["--date", "2021-08-08", "--title", "--summary"]), 1,
         "invalid value '--summary' for --title: a flag where its value should be (a value may begin with '-', e.g. -2+3)"),
        (&add_with(&["--date", "2021-08-08", "--title"]), 2,
         "--title needs a value (give --title <TEXT>)"),
    ]);
}

/// A mistyped --db is not a new registry: the one beside it is named.
#[test]
fn a_mistyped_db_names_the_registry_beside_it() {
    let s = Sandbox::new();
    let typo = s.path("registri.db");
    let near = s.db().display().to_string();
    let r = std::process::Command::new(env!("CARGO_BIN_EXE_pressreg"))
        .args(["--db", typo.to_str().expect("utf-8"), "list"])
        .output()
        .expect("run pressreg");
    assert_eq!(r.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&r.stderr),
        format!(
            "pressreg: no registry at '{}' (create one with 'pressreg init'); did you mean --db {near}?\n",
            typo.display()
        )
    );
    assert!(!typo.exists());
    let far = s.path("elsewhere.db");
    let r = std::process::Command::new(env!("CARGO_BIN_EXE_pressreg"))
        .args(["--db", far.to_str().expect("utf-8"), "list"])
        .output()
        .expect("run pressreg");
    assert_eq!(
        String::from_utf8_lossy(&r.stderr),
        format!(
            "pressreg: no registry at '{}' (create one with 'pressreg init')\n",
            far.display()
        )
    );
}

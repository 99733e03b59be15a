//! `pressreg claim add|accept|retract|edit`, and `source retract|edit`:
//! what each source says, and how the record settles on one claim; `edit` on
//! a field with claims, and the count of independent publishers.

use crate::fixtures::{attached_incident as incident, show_json};
use crate::Sandbox;

/// AF-2021-0001 (2021-08-08, Lashkar Gah) with two sources: 1 Reuters,
/// 2 The Hans India repeating Khaama Press.
fn registry() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&[
        "add",
        "--date",
        "2021-08-08",
        "--country",
        "AF",
        "--admin1",
        "Helmand",
        "--locality",
        "Lashkar Gah",
        "--victim",
        "Nematullah Hemat",
        "--act",
        "kidnapped",
        "--source-url",
        "https://bdnews24.com/x",
    ]);
    s.ok(&[
        "source",
        "edit",
        "AF-2021-0001",
        "1",
        "--set",
        "publisher=Reuters",
        "--reason",
        "publisher",
    ]);
    assert_eq!(
        s.ok(&[
            "source",
            "add",
            "AF-2021-0001",
            "--url",
            "https://thehansindia.com/y",
            "--publisher",
            "The Hans India",
            "--via",
            "Khaama Press",
        ]),
        "2\n"
    );
    s
}

fn claim(s: &Sandbox, source: &str, field: &str, value: &str) -> String {
    s.ok(&[
        "claim",
        "add",
        "AF-2021-0001",
        "--source",
        source,
        "--field",
        field,
        "--value",
        value,
    ])
}

/// The claims section of `show`.
fn claims_shown(s: &Sandbox) -> String {
    let page = s.ok(&["show", "AF-2021-0001"]);
    let start = page.find("claims (").expect("a claims section");
    let rest = &page[start..];
    rest[..rest.find("\n\n").expect("end of section") + 1].to_string()
}

#[test]
fn accepting_a_claim_sets_the_record_and_unaccepts_the_others() {
    let s = registry();
    // The record has this date already: nothing changes, nothing is said.
    assert_eq!(
        s.ok(&[
            "claim",
            "add",
            "AF-2021-0001",
            "--source",
            "1",
            "--field",
            "date",
            "--value",
            "2021-08-08",
            "--accepted",
        ]),
        "1\n"
    );
    assert_eq!(claim(&s, "2", "date", "2021-08-09"), "2\n");
    let r = s.run(&["claim", "accept", "AF-2021-0001", "2", "--reason", "NAI"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "date_start: '2021-08-08' → '2021-08-09'\n\
             date_as_reported: '2021-08-08' → '2021-08-09'\n\
             claim 2 accepted\n\
             claim 1 no longer accepted\n",
            ""
        )
    );
    assert_eq!(
        claims_shown(&s),
        "claims (! = the sources disagree):\n\
         ! date: 2021-08-08 per Reuters [1] · 2021-08-09 per The Hans India [2, accepted]\n"
    );
    // Every change went through the revision log with the reason.
    let history = s.ok(&["history", "AF-2021-0001"]);
    let accepted: Vec<&str> = history.lines().filter(|l| l.ends_with("NAI")).collect();
    // Two columns of the date, then the two flags.
    assert_eq!(accepted.len(), 4, "{history}");
    // Accepting it again changes nothing.
    let r = s.run(&["claim", "accept", "AF-2021-0001", "2"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "",
            "pressreg: claim 2 is accepted already and the record has its value: nothing to change\n"
        )
    );
}

#[test]
fn claim_add_accepted_sets_the_value_and_says_so_on_stderr() {
    let s = registry();
    assert_eq!(claim(&s, "1", "admin2", "Lashkar Gah"), "1\n");
    let r = s.run(&[
        "claim",
        "add",
        "AF-2021-0001",
        "--source",
        "2",
        "--field",
        "admin2",
        "--value",
        "Nawa",
        "--accepted",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "2\n", "pressreg: admin2: '' → 'Nawa'\n")
    );
    let rec: serde_json::Value =
        serde_json::from_str(&s.ok(&["show", "AF-2021-0001", "--format", "json"])).expect("json");
    assert_eq!(rec["admin2"], "Nawa");
    assert_eq!(rec["claims"][0]["accepted"], false);
    assert_eq!(rec["claims"][1]["accepted"], true);
}

#[test]
fn a_claim_made_twice_is_refused_and_listed_once() {
    let s = registry();
    assert_eq!(claim(&s, "2", "date", "2021-08-09"), "1\n");
    let before = s.rows("revision");
    assert_eq!(
        s.fails(
            &[
                "claim",
                "add",
                "AF-2021-0001",
                "--source",
                "2",
                "--field",
                "date",
                "--value",
                "2021-08-09"
            ],
            1
        ),
        "pressreg: claim 1 of AF-2021-0001 already says that (source 2, date, '2021-08-09'): nothing added\n"
    );
    assert_eq!(s.rows("revision"), before);
    // Another source saying the same is another claim.
    assert_eq!(claim(&s, "1", "date", "2021-08-09"), "2\n");
    assert_eq!(
        claims_shown(&s),
        "claims (! = the sources disagree):\n  \
         date: 2021-08-09 per The Hans India [1] · 2021-08-09 per Reuters [2]\n"
    );
}

#[test]
fn edit_on_a_field_with_claims_says_which_claim_it_agrees_with() {
    let s = registry();
    claim(&s, "1", "locality", "Lashkar Gah");
    claim(&s, "2", "locality", "Nawa");
    let r = s.run(&[
        "edit",
        "AF-2021-0001",
        "--set",
        "locality=Nawa",
        "--reason",
        "NAI",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "locality: 'Lashkar Gah' → 'Nawa'\n",
            "pressreg: locality now agrees with claim 2\n"
        )
    );
    let r = s.run(&[
        "edit",
        "AF-2021-0001",
        "--set",
        "locality=Nad Ali",
        "--reason",
        "court record",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "locality: 'Nawa' → 'Nad Ali'\n",
            "pressreg: locality now agrees with none of its claims (claims 1, 2)\n"
        )
    );
    assert_eq!(
        claims_shown(&s),
        "claims (! = the sources disagree):\n\
         ! locality: Lashkar Gah per Reuters [1] · Nawa per The Hans India [2]\n"
    );
}

#[test]
fn a_retracted_claim_is_kept_marked_and_stays_home() {
    let s = registry();
    claim(&s, "1", "admin2", "Lashkar Gah");
    let r = s.run(&[
        "claim",
        "add",
        "AF-2021-0001",
        "--source",
        "2",
        "--field",
        "admin2",
        "--value",
        "Nawa",
        "--accepted",
    ]);
    assert_eq!(r.stderr, "pressreg: admin2: '' → 'Nawa'\n");
    let r = s.run(&[
        "claim",
        "retract",
        "AF-2021-0001",
        "2",
        "--reason",
        "entered on the wrong incident",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "claim 2 withdrawn\n",
            "pressreg: the record keeps its admin2 (accept another claim or edit the field)\n"
        )
    );
    // Listed, but no longer a disagreement.
    assert_eq!(
        claims_shown(&s),
        "claims (! = the sources disagree):\n  \
         admin2: Lashkar Gah per Reuters [1] · Nawa per The Hans India [2, withdrawn]\n"
    );
    let public = s.ok(&["export", "--format", "jsonl", "--profile", "public"]);
    assert!(
        public.contains("\"value\":\"Lashkar Gah\"") && !public.contains("\"value\":\"Nawa\""),
        "{public}"
    );
    let full = s.ok(&["export", "--format", "jsonl", "--profile", "full"]);
    assert!(
        full.contains("\"value\":\"Nawa\",\"stance\":\"asserts\",\"accepted\":false,\"withdrawn_at\":\"2021-12-31T12:00:00Z\""),
        "{full}"
    );
    // A withdrawn claim is not accepted, edited or withdrawn again.
    for (args, stderr) in [
        (
            &["claim", "accept", "AF-2021-0001", "2"][..],
            "pressreg: claim 2 of AF-2021-0001 is withdrawn (since 2021-12-31T12:00:00Z): it cannot be accepted\n",
        ),
        (
            &["claim", "retract", "AF-2021-0001", "2", "--reason", "x"][..],
            "pressreg: claim 2 of AF-2021-0001 is already withdrawn (since 2021-12-31T12:00:00Z)\n",
        ),
        (
            &["claim", "edit", "AF-2021-0001", "2", "--value", "Nad Ali", "--reason", "x"][..],
            "pressreg: claim 2 of AF-2021-0001 is withdrawn (since 2021-12-31T12:00:00Z): add a new claim instead\n",
        ),
    ] {
        assert_eq!(s.fails(args, 1), stderr, "{args:?}");
    }
}

#[test]
fn correcting_an_accepted_claim_moves_the_record_with_it() {
    let s = registry();
    let r = s.run(&[
        "claim",
        "add",
        "AF-2021-0001",
        "--source",
        "2",
        "--field",
        "admin2",
        "--value",
        "Nawa",
        "--accepted",
    ]);
    assert_eq!(r.stderr, "pressreg: admin2: '' → 'Nawa'\n");
    let r = s.run(&[
        "claim",
        "edit",
        "AF-2021-0001",
        "1",
        "--value",
        "Nad Ali",
        "--reason",
        "misread the district",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "claim 1 value: 'Nawa' → 'Nad Ali'\nadmin2: 'Nawa' → 'Nad Ali'\n",
            ""
        )
    );
    // A claim that is not accepted is corrected alone.
    claim(&s, "1", "locality", "Lashkar");
    let r = s.run(&[
        "claim",
        "edit",
        "AF-2021-0001",
        "2",
        "--value",
        "Lashkar Gah",
        "--stance",
        "corrects",
        "--reason",
        "spelling",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "claim 2 value: 'Lashkar' → 'Lashkar Gah'\nclaim 2 stance: 'asserts' → 'corrects'\n",
            ""
        )
    );
    let r = s.run(&[
        "claim",
        "edit",
        "AF-2021-0001",
        "2",
        "--value",
        "Lashkar Gah",
        "--reason",
        "again",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "",
            "pressreg: claim 2 already says that: nothing to change\n"
        )
    );
}

#[test]
fn a_retracted_source_takes_its_claims_and_stops_counting() {
    let s = registry();
    claim(&s, "1", "locality", "Lashkar Gah");
    claim(&s, "2", "locality", "Nawa");
    claim(&s, "2", "date", "2021-08-09");
    let r = s.run(&[
        "source",
        "retract",
        "AF-2021-0001",
        "2",
        "--reason",
        "about another abduction",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "source 2 withdrawn\nclaim 2 withdrawn\nclaim 3 withdrawn\n",
            ""
        )
    );
    let page = s.ok(&["show", "AF-2021-0001"]);
    assert!(
        page.contains(
            "  2. news_report · The Hans India · https://thehansindia.com/y · via Khaama Press · reliability unknown (withdrawn 2021-12-31T12:00:00Z)\n"
        ),
        "{page}"
    );
    let csv = s.ok(&["export", "--format", "csv", "--profile", "full"]);
    assert!(!csv.contains("thehansindia"), "{csv}");
    assert_eq!(
        s.fails(
            &["claim", "add", "AF-2021-0001", "--source", "2", "--field", "admin2", "--value", "Nawa"],
            1
        ),
        "pressreg: --source '2' of AF-2021-0001 is withdrawn (since 2021-12-31T12:00:00Z): a withdrawn source makes no new claims\n"
    );
    assert_eq!(
        s.fails(
            &["source", "retract", "AF-2021-0001", "2", "--reason", "x"],
            1
        ),
        "pressreg: source 2 of AF-2021-0001 is already withdrawn (since 2021-12-31T12:00:00Z)\n"
    );
}

#[test]
fn source_edit_is_edit_of_source_fields() {
    let s = registry();
    let r = s.run(&[
        "source",
        "edit",
        "AF-2021-0001",
        "2",
        "--set",
        "reliability=medium",
        "--set",
        "via=",
        "--reason",
        "Khaama's own report",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "source 2 reliability: 'unknown' → 'medium'\nsource 2 via: 'Khaama Press' → ''\n",
            ""
        )
    );
    assert_eq!(
        s.fails(
            &["source", "edit", "AF-2021-0001", "2", "--set", "colour=red", "--reason", "x"],
            1
        ),
        "pressreg: unknown source field 'colour' in --set 'source.2.colour' (accepted: type, publisher, url, title, published_on, accessed_on, language, reliability, confidential, note, via)\n"
    );
}

/// `verification` is what the documenters decided; `show` says how many
/// independent publishers back the incident when the two disagree. Copies
/// of one wire story count once.
#[test]
fn copies_of_one_wire_story_are_one_publisher() {
    let s = registry();
    let verification = |s: &Sandbox| {
        s.ok(&["show", "AF-2021-0001"])
            .lines()
            .find(|l| l.starts_with("verification:"))
            .expect("a verification line")
            .to_string()
    };
    assert_eq!(
        verification(&s),
        "verification:      reported (2 independent publishers)"
    );
    s.ok(&[
        "source",
        "edit",
        "AF-2021-0001",
        "2",
        "--set",
        "via=reuters",
        "--reason",
        "a Reuters copy",
    ]);
    assert_eq!(verification(&s), "verification:      reported");
    s.ok(&[
        "edit",
        "AF-2021-0001",
        "--set",
        "verification=corroborated",
        "--reason",
        "x",
    ]);
    assert_eq!(
        verification(&s),
        "verification:      corroborated (but 1 independent publisher)"
    );
}

#[test]
fn withdrawn_sources_and_claims_round_trip_through_a_full_backup() {
    let s = registry();
    claim(&s, "2", "date", "2021-08-09");
    s.ok(&["claim", "retract", "AF-2021-0001", "1", "--reason", "x"]);
    s.ok(&["source", "retract", "AF-2021-0001", "2", "--reason", "x"]);
    let full = s.ok(&["export", "--format", "jsonl", "--profile", "full"]);
    let t = Sandbox::new();
    let file = t.write("full.jsonl", &full);
    let r = t.run(&["import", file.to_str().expect("path")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        t.ok(&["export", "--format", "jsonl", "--profile", "full"]),
        full
    );
}

#[test]
fn a_letter_does_not_repeat_a_withdrawn_claim() {
    let s = registry();
    claim(&s, "1", "date", "2021-08-08");
    claim(&s, "2", "date", "2021-08-09");
    let letter = |s: &Sandbox| s.ok(&["letter", "--format", "txt"]);
    assert!(
        letter(&s).contains("The Hans India reported 9 August 2021"),
        "{}",
        letter(&s)
    );
    s.ok(&[
        "claim",
        "retract",
        "AF-2021-0001",
        "2",
        "--reason",
        "misread",
    ]);
    assert!(!letter(&s).contains("9 August"), "{}", letter(&s));
}

/// A withdrawn source is neither cited nor heard in a letter: its claims
/// are withdrawn with it.
#[test]
fn a_letter_does_not_cite_a_withdrawn_source() {
    let s = registry();
    claim(&s, "1", "date", "2021-08-08");
    claim(&s, "2", "date", "2021-08-09");
    assert!(
        s.ok(&["letter", "--format", "csv"])
            .contains("The Hans India"),
        "the source is cited before it is withdrawn"
    );
    s.ok(&[
        "source",
        "retract",
        "AF-2021-0001",
        "2",
        "--reason",
        "about another attack",
    ]);
    assert_eq!(
        s.ok(&["letter", "--format", "csv"]),
        "\
ref,date,country,sentence,sources
AF-2021-0001,2021-08-08,AF,\"On 8 August 2021, Nematullah Hemat, a journalist, was abducted in Lashkar Gah, Helmand province, Afghanistan (not yet corroborated). Reports differ on the date: Reuters reported 8 August 2021.\",\"Reuters, https://bdnews24.com/x\"
"
    );
}

/// `import --on-conflict update` of a later full backup brings a claim's
/// withdrawal (and the accepted flags) across.
#[test]
fn an_update_import_carries_a_withdrawal() {
    let s = registry();
    let r = s.run(&[
        "claim",
        "add",
        "AF-2021-0001",
        "--source",
        "2",
        "--field",
        "admin2",
        "--value",
        "Nawa",
        "--accepted",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let t = Sandbox::new();
    let before = t.write(
        "before.jsonl",
        s.ok(&["export", "--format", "jsonl", "--profile", "full"]),
    );
    assert_eq!(t.run(&["import", before.to_str().expect("path")]).code, 0);
    // The record keeps Nawa (said on stderr).
    assert_eq!(
        s.run(&[
            "claim",
            "retract",
            "AF-2021-0001",
            "1",
            "--reason",
            "misread"
        ])
        .code,
        0
    );
    let after = s.ok(&["export", "--format", "jsonl", "--profile", "full"]);
    let file = t.write("after.jsonl", &after);
    let r = t.run(&[
        "import",
        file.to_str().expect("path"),
        "--on-conflict",
        "update",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "",
            "imported 1 incident (0 added, 1 updated, 0 unchanged, 0 skipped)\n"
        )
    );
    assert_eq!(
        t.ok(&["export", "--format", "jsonl", "--profile", "full"]),
        after
    );
}

#[test]
fn claim_add_about_the_incident_a_victim_an_act_and_an_involvement() {
    let s = Sandbox::new();
    incident(&s);
    s.ok(&[
        "source",
        "add",
        "AF-2021-0001",
        "--url",
        "https://a.example/1",
    ]);
    s.ok(&[
        "source",
        "add",
        "AF-2021-0001",
        "--url",
        "https://b.example/2",
    ]);
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
    // An accepted claim sets the record's value (said on stderr; stdout
    // is the claim's number).
    let r = s.run(&[
        "claim",
        "add",
        "AF-2021-0001",
        "--source",
        "1",
        "--field",
        "admin2",
        "--value",
        "Lashkar Gah",
        "--accepted",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "1\n", "pressreg: admin2: '' → 'Lashkar Gah'\n")
    );
    assert_eq!(
        s.ok(&[
            "claim",
            "add",
            "AF-2021-0001",
            "--source",
            "https://b.example/2",
            "--field",
            "admin2",
            "--value",
            "Nawa",
            "--stance",
            "corrects"
        ]),
        "2\n"
    );
    assert_eq!(
        s.ok(&[
            "claim",
            "add",
            "AF-2021-0001",
            "--source",
            "2",
            "--subject",
            "victim",
            "--victim",
            "1",
            "--field",
            "status",
            "--value",
            "dead"
        ]),
        "3\n"
    );
    assert_eq!(
        s.ok(&[
            "claim",
            "add",
            "AF-2021-0001",
            "--source",
            "2",
            "--subject",
            "act",
            "--act",
            "1.1",
            "--field",
            "method",
            "--value",
            "shooting"
        ]),
        "4\n"
    );
    assert_eq!(
        s.ok(&[
            "claim",
            "add",
            "AF-2021-0001",
            "--source",
            "2",
            "--subject",
            "involvement",
            "--act",
            "1.1",
            "--field",
            "basis",
            "--value",
            "denied",
            "--stance",
            "denies"
        ]),
        "5\n"
    );
    let rec = show_json(&s, "AF-2021-0001");
    let c = &rec["claims"];
    assert_eq!(c[0]["value"], "Lashkar Gah");
    assert_eq!(c[0]["accepted"], true);
    assert_eq!(rec["admin2"], "Lashkar Gah");
    assert_eq!(c[1]["stance"], "corrects");
    assert_eq!(c[1]["source"], rec["sources"][1]["uid"]);
    assert_eq!(c[2]["subject"], "victim");
    assert_eq!(c[2]["subject_uid"], rec["victims"][0]["uid"]);
    assert_eq!(c[3]["subject_uid"], rec["victims"][0]["acts"][0]["uid"]);
    assert_eq!(
        c[4]["subject_uid"],
        rec["victims"][0]["acts"][0]["perpetrators"][0]["uid"]
    );
    // A mistyped --actor is answered with the actor it was meant to be.
    assert_eq!(
        s.fails(
            &[
                "claim",
                "add",
                "AF-2021-0001",
                "--source",
                "2",
                "--subject",
                "involvement",
                "--act",
                "1.1",
                "--actor",
                "Talibn",
                "--field",
                "basis",
                "--value",
                "claimed",
            ],
            1
        ),
        "pressreg: no actor 'Talibn' in the registry: did you mean 'Taliban'? ('pressreg actor \
         list' shows every actor)\n"
    );
}

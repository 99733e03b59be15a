//! `pressreg actor add|list|show`.

use crate::Sandbox;

fn taliban(s: &Sandbox) {
    assert_eq!(
        s.ok(&[
            "actor",
            "add",
            "Taliban",
            "--type",
            "armed_group",
            "--to",
            "2021-08-15",
            "--alias",
            "Islamic Emirate",
        ]),
        ""
    );
    assert_eq!(
        s.ok(&[
            "actor",
            "add",
            "Taliban",
            "--type",
            "de_facto_authority",
            "--from",
            "2021-08-16"
        ]),
        ""
    );
}

fn add_on(s: &Sandbox, date: &str, victim: &str) -> String {
    s.ok(&[
        "add",
        "--date",
        date,
        "--country",
        "AF",
        "--victim",
        victim,
        "--act",
        "detained",
        "--actor",
        "Taliban",
        "--basis",
        "official_accusation",
        "--confidence",
        "possible",
    ])
}

#[test]
fn an_act_counts_under_the_actor_type_in_force_on_its_date() {
    let s = Sandbox::new();
    taliban(&s);
    assert_eq!(add_on(&s, "2021-08-08", "A"), "AF-2021-0001\n");
    assert_eq!(add_on(&s, "2021-09-08", "B"), "AF-2021-0002\n");
    for (reference, expected) in [
        ("AF-2021-0001", "armed_group"),
        ("AF-2021-0002", "de_facto_authority"),
    ] {
        let rec = crate::fixtures::show_json(&s, reference);
        assert_eq!(
            rec["victims"][0]["acts"][0]["perpetrators"][0]["actor_type"], expected,
            "{reference}"
        );
    }
}

#[test]
fn overlapping_periods_are_refused_and_nothing_is_written() {
    let s = Sandbox::new();
    taliban(&s);
    assert_eq!(
        s.fails(&["actor", "add", "Taliban", "--type", "mob", "--from", "2021-08-01"], 1),
        "pressreg: that period overlaps the actor's period as armed_group (the beginning to 2021-08-15): give --from/--to so periods do not overlap\n"
    );
    assert_eq!(
        s.ok(&["actor", "list", "--format", "csv"]),
        "name,aliases,types,acts\nTaliban,Islamic Emirate,armed_group to 2021-08-15|de_facto_authority from 2021-08-16,0\n"
    );
}

#[test]
fn actor_list_in_every_format() {
    let s = Sandbox::new();
    taliban(&s);
    s.ok(&[
        "actor",
        "add",
        "Islamic State Khorasan",
        "--type",
        "armed_group",
        "--alias",
        "ISKP",
        "--alias",
        "IS-K",
    ]);
    add_on(&s, "2021-08-08", "A");
    add_on(&s, "2021-09-08", "B");
    assert_eq!(
        s.ok(&["actor", "list"]),
        "\
NAME                    ALIASES          TYPES                                                          ACTS
Islamic State Khorasan  ISKP, IS-K       armed_group                                                       0
Taliban                 Islamic Emirate  armed_group to 2021-08-15; de_facto_authority from 2021-08-16     2
"
    );
    assert_eq!(
        s.ok(&["actor", "list", "--format", "csv"]),
        "name,aliases,types,acts\n\
         Islamic State Khorasan,ISKP|IS-K,armed_group,0\n\
         Taliban,Islamic Emirate,armed_group to 2021-08-15|de_facto_authority from 2021-08-16,2\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&s.ok(&["actor", "list", "--format", "json"])).expect("json");
    assert_eq!(
        json,
        serde_json::json!([
            {"name": "Islamic State Khorasan", "aliases": ["ISKP", "IS-K"],
             "types": [{"type": "armed_group"}], "acts": 0},
            {"name": "Taliban", "aliases": ["Islamic Emirate"],
             "types": [{"type": "armed_group", "valid_to": "2021-08-15"},
                       {"type": "de_facto_authority", "valid_from": "2021-08-16"}],
             "acts": 2},
        ])
    );
}

#[test]
fn actor_show_lists_periods_aliases_and_links() {
    let s = Sandbox::new();
    taliban(&s);
    add_on(&s, "2021-08-08", "A");
    add_on(&s, "2021-09-08", "B");
    // Found by alias, whatever the case.
    assert_eq!(
        s.ok(&["actor", "show", "islamic emirate"]),
        "\
name: Taliban
aliases: Islamic Emirate
types:
  armed_group to 2021-08-15
  de_facto_authority from 2021-08-16
acts:
  REF           DATE        ACT  ACT_TYPE  ACTOR_TYPE          ROLE         BASIS                CONFIDENCE
  AF-2021-0001  2021-08-08  1.1  detained  armed_group         perpetrator  official_accusation  possible
  AF-2021-0002  2021-09-08  1.1  detained  de_facto_authority  perpetrator  official_accusation  possible
"
    );
    let json: serde_json::Value =
        serde_json::from_str(&s.ok(&["actor", "show", "Taliban", "--format", "json"]))
            .expect("json");
    assert_eq!(json["links"][1]["actor_type"], "de_facto_authority");
    assert_eq!(json["links"][1]["ref"], "AF-2021-0002");
    assert_eq!(json["links"][0]["basis"], "official_accusation");
}

#[test]
fn an_alias_of_another_actor_is_refused() {
    let s = Sandbox::new();
    taliban(&s);
    assert_eq!(
        s.fails(
            &[
                "actor",
                "add",
                "Haqqani network",
                "--type",
                "armed_group",
                "--alias",
                "islamic emirate"
            ],
            1
        ),
        "pressreg: alias 'islamic emirate' already names actor 'Taliban'\n"
    );
    assert_eq!(
        s.fails(&["actor", "show", "Haqqani network"], 1),
        "pressreg: no actor 'Haqqani network' in the registry ('pressreg actor list' shows every \
         actor, e.g. 'Taliban')\n"
    );
    assert_eq!(
        s.fails(&["actor", "show", "talibn"], 1),
        "pressreg: no actor 'talibn' in the registry: did you mean 'Taliban'? ('pressreg actor list' \
         shows every actor)\n"
    );
}

#[test]
fn actor_dates_are_checked() {
    let s = Sandbox::new();
    assert_eq!(
        s.fails(
            &["actor", "add", "X", "--type", "mob", "--from", "2021-02-30"],
            1
        ),
        "pressreg: --from '2021-02-30' is not a date (accepted: YYYY-MM-DD, e.g. 2021-03-14)\n"
    );
    assert_eq!(
        s.fails(
            &["actor", "add", "X", "--type", "mob", "--from", "2022-01-01"],
            1
        ),
        "pressreg: --from 2022-01-01 is in the future (today is 2021-12-31)\n"
    );
    assert_eq!(
        s.fails(
            &[
                "actor",
                "add",
                "X",
                "--type",
                "mob",
                "--from",
                "2021-05-01",
                "--to",
                "2021-04-01"
            ],
            1
        ),
        "pressreg: --to 2021-04-01 is before --from 2021-05-01\n"
    );
    assert_eq!(
        s.fails(&["actor", "add", "X", "--type", "militia"], 1),
        "pressreg: invalid value 'militia' for --type (accepted: state_military, state_police, state_intelligence, state_official, judiciary, de_facto_authority, armed_group, paramilitary, criminal_group, mob, private_individual, political_party, employer, foreign_state, unknown)\n"
    );
    assert_eq!(s.rows("revision"), 0, "refused input must write nothing");
}

#[test]
fn actor_help_has_examples() {
    let s = Sandbox::new();
    for args in [
        &["actor", "--help"][..],
        &["actor", "add", "--help"],
        &["actor", "list", "--help"],
        &["actor", "show", "--help"],
    ] {
        let help = s.ok(args);
        assert!(
            help.contains("\nEXAMPLES:\n  pressreg "),
            "{args:?}:\n{help}"
        );
    }
}

#[test]
fn the_same_period_again_only_adds_aliases() {
    let s = Sandbox::new();
    taliban(&s);
    let revisions = || {
        let conn = s.conn();
        conn.query_row("SELECT count(*) FROM revision", [], |r| r.get::<_, i64>(0))
            .expect("count")
    };
    let before = revisions();
    s.ok(&[
        "actor",
        "add",
        "Taliban",
        "--type",
        "de_facto_authority",
        "--from",
        "2021-08-16",
    ]);
    assert_eq!(revisions(), before);
    s.ok(&[
        "actor",
        "add",
        "Taliban",
        "--type",
        "de_facto_authority",
        "--from",
        "2021-08-16",
        "--alias",
        "IEA",
    ]);
    assert_eq!(revisions(), before + 1);
    assert_eq!(
        s.ok(&["actor", "list", "--format", "csv"]),
        "name,aliases,types,acts\nTaliban,Islamic Emirate|IEA,armed_group to 2021-08-15|de_facto_authority from 2021-08-16,0\n"
    );
}

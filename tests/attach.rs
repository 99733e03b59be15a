//! `pressreg victim add`, `act add`, `perpetrator add`, `source add`,
//! `claim add`.

use crate::fixtures::{show_json, ATTACH_TO_AF_2021_0001};
use crate::Sandbox;

/// The Jalalabad-style incident: one victim killed, recorded with flags.
fn incident(s: &Sandbox) {
    assert_eq!(
        s.ok(&[
            "add",
            "--date",
            "2021-08-08",
            "--country",
            "AF",
            "--admin1",
            "Kabul",
            "--victim",
            "Toofan Omar",
            "--act",
            "killed",
            "--death-context",
            "targeted",
        ]),
        "AF-2021-0001\n"
    );
}

#[test]
fn victim_add_prints_the_position_and_stores_the_victim() {
    let s = Sandbox::new();
    incident(&s);
    let out = s.ok(&[
        "victim",
        "add",
        "AF-2021-0001",
        "--name",
        "Nematullah Hemat",
        "--name-variant",
        "Nematullah Himat",
        "--sex",
        "male",
        "--age",
        "30",
        "--nationality",
        "af",
        "--category",
        "journalist",
        "--employment",
        "staff",
        "--job",
        "reporter,camera_operator",
        "--medium",
        "television",
        "--outlet",
        "Ghargasht TV",
        "--beat",
        "politics",
        "--status",
        "held",
        "--act",
        "kidnapped",
        "--method",
        "abduction",
        "--act-date",
        "2021-08-09",
    ]);
    assert_eq!(out, "2\n");
    let rec = show_json(&s, "AF-2021-0001");
    let v = &rec["victims"][1];
    assert_eq!(v["name"], "Nematullah Hemat");
    assert_eq!(v["name_variants"], serde_json::json!(["Nematullah Himat"]));
    assert_eq!(v["nationality"], "AF");
    assert_eq!(
        v["jobs"],
        serde_json::json!(["reporter", "camera_operator"])
    );
    assert_eq!(v["status"], "held");
    assert_eq!(v["acts"][0]["type"], "kidnapped");
    assert_eq!(v["acts"][0]["method"], "abduction");
    assert_eq!(v["acts"][0]["date_start"], "2021-08-09");
    assert_eq!(rec["updated_at"], "2021-12-31T12:00:00Z");
    assert_eq!(
        s.ok(&["victim", "add", "AF-2021-0001", "--anonymous"]),
        "3\n"
    );
}

#[test]
fn act_add_prints_the_address_victim_dot_act() {
    let s = Sandbox::new();
    incident(&s);
    s.ok(&["victim", "add", "AF-2021-0001", "--name", "Hemat"]);
    assert_eq!(
        s.ok(&[
            "act",
            "add",
            "AF-2021-0001",
            "--victim",
            "1",
            "--type",
            "wounded"
        ]),
        "1.2\n"
    );
    assert_eq!(
        s.ok(&[
            "act",
            "add",
            "AF-2021-0001",
            "--victim",
            "2",
            "--type",
            "kidnapped",
            "--method",
            "abduction",
            "--date",
            "2021-08-09",
            "--note",
            "taken on the road",
        ]),
        "2.1\n"
    );
    assert_eq!(
        s.ok(&[
            "act",
            "add",
            "AF-2021-0001",
            "--victim",
            "1",
            "--type",
            "threatened"
        ]),
        "1.3\n"
    );
    let rec = show_json(&s, "AF-2021-0001");
    let acts = &rec["victims"][0]["acts"];
    assert_eq!(acts[1]["type"], "wounded");
    assert_eq!(acts[2]["type"], "threatened");
    let act = &rec["victims"][1]["acts"][0];
    assert_eq!(act["note"], "taken on the road");
    assert_eq!(act["date_start"], "2021-08-09");
}

#[test]
fn several_actors_per_act_with_basis_and_confidence() {
    // IS claimed the killings; police accused the Taliban; the Taliban denied.
    let s = Sandbox::new();
    incident(&s);
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
        "victim",
        "add",
        "AF-2021-0001",
        "--name",
        "Third",
        "--act",
        "killed",
    ]);
    assert_eq!(
        s.ok(&[
            "perpetrator",
            "add",
            "AF-2021-0001",
            "--all-acts",
            "--actor",
            "Islamic State Khorasan",
            "--actor-type",
            "armed_group",
            "--basis",
            "claimed",
            "--confidence",
            "likely",
        ]),
        "1.1\n2.1\n3.1\n"
    );
    assert_eq!(
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
            "--basis",
            "official_accusation",
            "--confidence",
            "possible",
            "--role",
            "perpetrator",
            "--note",
            "police spokesman",
        ]),
        "1.1\n"
    );
    assert_eq!(
        s.ok(&[
            "perpetrator",
            "add",
            "AF-2021-0001",
            "--act",
            "1.1",
            "--actor",
            "taliban",
            "--basis",
            "denied",
            "--confidence",
            "unlikely",
        ]),
        "1.1\n"
    );
    let rec = show_json(&s, "AF-2021-0001");
    let p = &rec["victims"][0]["acts"][0]["perpetrators"];
    let summary: Vec<(String, String, String)> = p
        .as_array()
        .expect("perpetrators")
        .iter()
        .map(|x| {
            (
                x["actor"].as_str().unwrap_or("").to_string(),
                x["basis"].as_str().unwrap_or("").to_string(),
                x["confidence"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let t = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        summary,
        vec![
            t("Islamic State Khorasan", "claimed", "likely"),
            t("Taliban", "official_accusation", "possible"),
            t("Taliban", "denied", "unlikely"),
        ]
    );
    assert_eq!(
        rec["victims"][2]["acts"][0]["perpetrators"][0]["actor"],
        "Islamic State Khorasan"
    );
}

#[test]
fn source_add_prints_the_source_number() {
    let s = Sandbox::new();
    incident(&s);
    assert_eq!(
        s.ok(&[
            "source",
            "add",
            "AF-2021-0001",
            "--url",
            "https://www.reuters.com/a",
            "--publisher",
            "Reuters",
            "--type",
            "wire_report",
            "--title",
            "Journalist killed",
            "--published-on",
            "2021-08-09",
            "--accessed-on",
            "2021-08-10",
            "--language",
            "en",
            "--reliability",
            "high",
        ]),
        "1\n"
    );
    assert_eq!(
        s.ok(&[
            "source",
            "add",
            "AF-2021-0001",
            "--url",
            "tel:+93700000000",
            "--type",
            "interview",
            "--confidential",
            "--note",
            "colleague",
        ]),
        "2\n"
    );
    let rec = show_json(&s, "AF-2021-0001");
    let src = &rec["sources"];
    assert_eq!(src[0]["publisher"], "Reuters");
    assert_eq!(src[0]["type"], "wire_report");
    assert_eq!(src[0]["published_on"], "2021-08-09");
    assert_eq!(src[0]["accessed_on"], "2021-08-10");
    assert_eq!(src[0]["reliability"], "high");
    assert_eq!(src[1]["confidential"], true);
    assert_eq!(src[1]["note"], "colleague");
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
}

#[test]
fn each_attach_command_is_one_logged_change_that_updates_the_incident() {
    let s = Sandbox::new();
    incident(&s);
    let before = s.rows("revision");
    // A day later, so that updated_at changes.
    let out = s
        .cmd(&[
            "source",
            "add",
            "AF-2021-0001",
            "--url",
            "https://a.example/1",
        ])
        .env("PRESSREG_NOW", "2022-01-05T09:00:00Z")
        .output()
        .expect("run pressreg");
    assert_eq!(
        (
            out.status.code(),
            out.stdout.as_slice(),
            out.stderr.as_slice()
        ),
        (Some(0), &b"1\n"[..], &b""[..])
    );
    // The source's creation and the incident's updated_at.
    assert_eq!(s.rows("revision"), before + 2);
    assert_eq!(
        show_json(&s, "AF-2021-0001")["updated_at"],
        "2022-01-05T09:00:00Z"
    );
    let conn = s.conn();
    let (entity, field, by, reason): (String, String, String, String) = conn
        .query_row(
            "SELECT entity, field, by, reason FROM revision ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("last revision");
    assert_eq!(
        (
            entity.as_str(),
            field.as_str(),
            by.as_str(),
            reason.as_str()
        ),
        ("incident", "updated_at", "tester", "source add")
    );
}

#[test]
fn attaching_to_a_deleted_incident_is_refused() {
    let s = Sandbox::new();
    let file = s.write(
        "deleted.json",
        r#"{"country": "AF", "date": "2021-08-08", "deleted_at": "2021-09-01T00:00:00Z",
            "victims": [{"name": "A", "acts": [{"type": "killed"}]}]}"#,
    );
    assert_eq!(
        s.ok(&["add", "--file", file.to_str().expect("path")]),
        "AF-2021-0001\n"
    );
    let before = s.rows("revision");
    let refused = "pressreg: incident 'AF-2021-0001' is deleted (restore it with 'pressreg restore AF-2021-0001' first)\n";
    for args in ATTACH_TO_AF_2021_0001 {
        assert_eq!(s.fails(args, 1), refused, "{args:?}");
    }
    assert_eq!(s.rows("revision"), before);
}

#[test]
fn attach_help_has_examples() {
    let s = Sandbox::new();
    for cmd in ["victim", "act", "perpetrator", "source", "claim"] {
        for args in [&[cmd, "--help"][..], &[cmd, "add", "--help"]] {
            let help = s.ok(args);
            assert!(
                help.contains("\nEXAMPLES:\n  pressreg "),
                "{args:?}:\n{help}"
            );
        }
    }
}

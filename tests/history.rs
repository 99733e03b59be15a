//! `pressreg history`.

use crate::fixtures::{add_json, HEMAT, JALALABAD};
use crate::Sandbox;

#[test]
fn history_lists_every_revision_of_the_incident_in_order() {
    let s = Sandbox::new();
    add_json(&s, "jalalabad.json", JALALABAD);
    s.ok(&[
        "edit",
        "AF-2021-0001",
        "--set",
        "victim.4.anonymous=true",
        "--set",
        "act.2.1.death_context=targeted",
        "--reason",
        "family asked",
    ]);
    s.run(&["delete", "AF-2021-0001", "--reason", "test"]);
    assert_eq!(s.ok(&["history", "AF-2021-0001"]), "\
AT                    BY      ACTION  WHAT                                           FIELD          CHANGE                           REASON
2021-12-31T12:00:00Z  tester  create  incident                                                      created                          add
2021-12-31T12:00:00Z  tester  create  victim 1                                                      created                          add
2021-12-31T12:00:00Z  tester  create  act 1.1                                                       created                          add
2021-12-31T12:00:00Z  tester  create  perpetrator Islamic State Khorasan of act 1.1                 created                          add
2021-12-31T12:00:00Z  tester  create  perpetrator Taliban of act 1.1                                created                          add
2021-12-31T12:00:00Z  tester  create  victim 2                                                      created                          add
2021-12-31T12:00:00Z  tester  create  act 2.1                                                       created                          add
2021-12-31T12:00:00Z  tester  create  perpetrator Islamic State Khorasan of act 2.1                 created                          add
2021-12-31T12:00:00Z  tester  create  victim 3                                                      created                          add
2021-12-31T12:00:00Z  tester  create  act 3.1                                                       created                          add
2021-12-31T12:00:00Z  tester  create  victim 4                                                      created                          add
2021-12-31T12:00:00Z  tester  create  act 4.1                                                       created                          add
2021-12-31T12:00:00Z  tester  create  source 1                                                      created                          add
2021-12-31T12:00:00Z  tester  update  act 2.1                                        death_context  (none) → 'targeted'              family asked
2021-12-31T12:00:00Z  tester  update  victim 4                                       anonymous      0 → 1                            family asked
2021-12-31T12:00:00Z  tester  delete  incident                                       deleted_at     (none) → '2021-12-31T12:00:00Z'  test
");
}

#[test]
fn history_json_decodes_values() {
    let s = Sandbox::new();
    add_json(&s, "jalalabad.json", JALALABAD);
    s.ok(&[
        "edit",
        "AF-2021-0001",
        "--set",
        "victim.2.age=19",
        "--reason",
        "AFJC",
    ]);
    let json: serde_json::Value =
        serde_json::from_str(&s.ok(&["history", "AF-2021-0001", "--format", "json"]))
            .expect("history --format json prints JSON");
    let all = json.as_array().expect("an array");
    let last = &all[all.len() - 1];
    assert_eq!(
        (
            &last["what"],
            &last["field"],
            &last["old"],
            &last["new"],
            &last["change"],
            &last["reason"]
        ),
        (
            &serde_json::json!("victim 2"),
            &serde_json::json!("age"),
            &serde_json::Value::Null,
            &serde_json::json!(19),
            &serde_json::json!("(none) → 19"),
            &serde_json::json!("AFJC")
        )
    );
    assert_eq!(all[0]["change"], "created");
    assert_eq!(all[0]["new"]["ref"], "AF-2021-0001");
}

#[test]
fn history_of_an_unknown_ref_is_an_error() {
    let s = Sandbox::new();
    add_json(&s, "jalalabad.json", JALALABAD);
    assert_eq!(
        s.fails(&["history", "AF-2020-0001"], 1),
        "pressreg: no incident 'AF-2020-0001' in the registry: did you mean 'AF-2021-0001'? ('pressreg list' shows every ref)\n"
    );
}

#[test]
fn history_names_sources_and_claims_as_show_numbers_them() {
    let s = Sandbox::new();
    add_json(&s, "hemat.json", HEMAT);
    let whats: Vec<String> = s
        .ok(&["history", "AF-2021-0001", "--format", "json"])
        .parse::<serde_json::Value>()
        .expect("JSON")
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["what"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        whats,
        [
            "incident",
            "victim 1",
            "act 1.1",
            "perpetrator Taliban of act 1.1",
            "source 1",
            "source 2",
            "source 3",
            "claim on date_start by source 1",
            "claim on date_start by source 2",
            "claim on locality by source 1",
            "claim on admin2 by source 2",
        ]
    );
}

/// SECURITY R15: the revision log keeps no value of a secret field —
/// private notes, a source's note, a confidential source's publisher,
/// address and title, a claim about private notes — in creates, edits or
/// anything else; it still says who changed such a field, when and why,
/// its hash chain holds, and `--as-of` still rebuilds the registry.
#[test]
fn the_revision_log_keeps_no_secret_values() {
    let s = Sandbox::new();
    let incident = r#"{"date":"2021-05-01","country":"MX","private_notes":"CANARY-incident-note",
      "victims":[{"name":"Ana","private_notes":"CANARY-victim-note","acts":[{"type":"threatened"}]}],
      "sources":[{"publisher":"Public Wire","url":"https://x.org/a","note":"CANARY-public-source-note"},
                 {"publisher":"CANARY-contact","url":"tel:+52-CANARY-phone","title":"CANARY-interview",
                  "note":"CANARY-source-note","confidential":true}],
      "claims":[{"source":"1","field":"private_notes","value":"CANARY-claimed-note"},
                {"source":"1","field":"admin1","value":"Guerrero"}]}"#;
    assert_eq!(add_json(&s, "c.json", incident), "MX-2021-0001");
    // (It also notes that private_notes now agrees with none of its claims.)
    let edited = s.run(&[
        "edit",
        "MX-2021-0001",
        "--set",
        "private_notes=CANARY-edited-note",
        "--set",
        "victim.1.private_notes=",
        "--set",
        "source.2.url=tel:+52-CANARY-new-phone",
        "--reason",
        "moved to paper",
    ]);
    assert_eq!(edited.code, 0, "{}", edited.stderr);
    // A source made confidential in the same edit as its new address.
    s.ok(&[
        "edit",
        "MX-2021-0001",
        "--set",
        "source.1.confidential=true",
        "--set",
        "source.1.publisher=CANARY-fixer",
        "--reason",
        "a fixer, not a wire",
    ]);
    let logged: Vec<String> = crate::fixtures::revisions(&s)
        .into_iter()
        .map(|r| format!("{r:?}"))
        .collect();
    for row in &logged {
        assert!(!row.contains("CANARY"), "{row}");
    }
    // Values that are not secret are still logged.
    assert!(logged.iter().any(|r| r.contains("Guerrero")), "{logged:?}");
    let history = s.ok(&["history", "MX-2021-0001"]);
    for line in [
        "update  incident                            private_notes  (not kept) → (not kept)  moved to paper",
        "update  victim 1                            private_notes  (not kept) → ''          moved to paper",
        "update  source 2                            url            (not kept) → (not kept)  moved to paper",
        "update  source 1                            publisher      (not kept) → (not kept)  a fixer, not a wire",
    ] {
        assert!(history.contains(line), "{line}\n{history}");
    }
    assert_eq!(logged.len(), 12);
    assert!(s
        .ok(&["check"])
        .contains("revision log: ok (12 revisions, hash chain intact)"));
    let csv = ["summary", "--by", "act", "--format", "csv"];
    let then = s.run(&[&csv[..], &["--as-of", "2021-12-31"]].concat());
    assert_eq!((then.code, then.stdout), (0, s.run(&csv).stdout));
    // The registry itself still holds the values.
    let page = s.ok(&["show", "MX-2021-0001"]);
    assert!(
        page.contains("CANARY-edited-note") && page.contains("CANARY-fixer"),
        "{page}"
    );
}

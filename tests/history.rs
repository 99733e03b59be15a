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
        "pressreg: no incident 'AF-2020-0001' in the registry (see 'pressreg list' for refs)\n"
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

//! The sample registry in `data/incidents.jsonl`: it loads whole, holds
//! exactly the incidents, victims and acts of the 2021 fact sheet, and
//! keeps the modelling the README tour relies on (claims on disputed dates,
//! the Taliban's change of type, stable refs and uids).

use serde_json::Value;

use crate::fixtures::show_json;
use crate::Sandbox;

const REFS: &str = "AF-2021-0001\nAF-2021-0002\nAF-2021-0003\nAF-2021-0004\nAF-2021-0005\n\
AF-2021-0006\nAF-2021-0007\nAF-2021-0008\nAF-2021-0009\nAF-2021-0010\nAF-2021-0011\n\
AF-2021-0012\nAF-2021-0013\nGR-2021-0001\nMM-2021-0001\nMX-2021-0001\nGE-2021-0001\n\
NL-2021-0001\n";

/// One integer from the registry file.
fn count(s: &Sandbox, sql: &str) -> i64 {
    let conn = s.conn();
    conn.query_row(sql, [], |r| r.get(0)).expect(sql)
}

/// Every (actor, actor_type) pair of an incident's involvements.
fn actor_types(rec: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for victim in rec["victims"].as_array().expect("victims") {
        for act in victim["acts"].as_array().expect("acts") {
            for p in act["perpetrators"].as_array().expect("perpetrators") {
                out.push((
                    p["actor"].as_str().unwrap_or("").to_string(),
                    p["actor_type"].as_str().unwrap_or("").to_string(),
                ));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn sample_loads_whole_and_prints_every_ref() {
    let s = Sandbox::new();
    assert_eq!(
        s.ok(&[
            "add",
            "--file",
            crate::fixtures::sample_path().to_str().expect("utf-8 path")
        ]),
        REFS
    );
}

#[test]
fn sample_holds_the_fact_sheets_incidents_victims_and_acts() {
    let s = Sandbox::new();
    s.load_sample();
    assert_eq!(count(&s, "SELECT count(*) FROM incident"), 18);
    assert_eq!(count(&s, "SELECT count(*) FROM victim"), 39);
    assert_eq!(count(&s, "SELECT count(*) FROM act"), 49);
    assert_eq!(count(&s, "SELECT count(*) FROM involvement"), 69);
    assert_eq!(count(&s, "SELECT count(*) FROM source"), 40);
    assert_eq!(count(&s, "SELECT count(*) FROM claim"), 21);
    assert_eq!(count(&s, "SELECT count(*) FROM incident_relation"), 1);
    assert_eq!(count(&s, "SELECT count(*) FROM actor"), 6);
    let conn = s.conn();
    let mut stmt = conn
        .prepare("SELECT type || ' ' || count(*) FROM act GROUP BY type ORDER BY type")
        .expect("prepare");
    let by_type: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    assert_eq!(
        by_type,
        [
            "assaulted 3",
            "attempted_killing 1",
            "charged 1",
            "detained 3",
            "equipment_seized 2",
            "kidnapped 1",
            "killed 19",
            "property_attacked 1",
            "tortured 2",
            "wounded 16",
        ]
    );
}

#[test]
fn every_sample_incident_has_a_source_and_is_public() {
    let s = Sandbox::new();
    s.load_sample();
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM incident
             WHERE NOT EXISTS (SELECT 1 FROM source WHERE source.incident_id = incident.id)"
        ),
        0
    );
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM incident WHERE confidentiality <> 'public'"
        ),
        0
    );
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM victim WHERE confidentiality <> 'public' OR private_notes <> ''"
        ),
        0
    );
}

#[test]
fn hemat_has_an_accepted_and_a_rejected_date_claim() {
    let s = Sandbox::new();
    s.load_sample();
    let rec = show_json(&s, "AF-2021-0008");
    assert_eq!(rec["date_start"], "2021-08-08");
    assert_eq!(rec["locality"], "Lashkar Gah");
    let dates: Vec<(String, bool)> = rec["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .filter(|c| c["field"] == "date_start")
        .map(|c| {
            (
                c["value"].as_str().unwrap_or("").to_string(),
                c["accepted"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    assert_eq!(
        dates,
        [
            ("2021-08-08".to_string(), true),
            ("2021-08-09".to_string(), false)
        ]
    );
}

#[test]
fn the_talibans_type_follows_the_date_of_each_act() {
    let s = Sandbox::new();
    s.load_sample();
    // Toofan Omar, 8 August: before the fall of Kabul.
    assert_eq!(
        actor_types(&show_json(&s, "AF-2021-0007")),
        [("Taliban".to_string(), "armed_group".to_string())]
    );
    // Daryabi and Naqdi, 8 September: after it.
    assert_eq!(
        actor_types(&show_json(&s, "AF-2021-0011")),
        [("Taliban".to_string(), "de_facto_authority".to_string())]
    );
}

#[test]
fn the_false_death_report_is_kept_and_rejected() {
    let s = Sandbox::new();
    s.load_sample();
    let rec = show_json(&s, "AF-2021-0009");
    let yaad = &rec["victims"][0];
    assert_eq!(yaad["name"], "Ziar Khan Yaad");
    assert_eq!(yaad["status"], "wounded");
    let on_status: Vec<(String, String, bool)> = rec["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .filter(|c| c["field"] == "status" && c["subject_uid"] == yaad["uid"])
        .map(|c| {
            (
                c["value"].as_str().unwrap_or("").to_string(),
                c["stance"].as_str().unwrap_or("").to_string(),
                c["accepted"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    let dead = |stance: &str, accepted| ("dead".to_string(), stance.to_string(), accepted);
    assert_eq!(
        on_status,
        [
            dead("asserts", false),
            dead("denies", true),
            dead("denies", true)
        ]
    );
}

#[test]
fn injury_and_death_keep_their_own_dates() {
    let s = Sandbox::new();
    s.load_sample();
    for (reference, first, died) in [
        ("GE-2021-0001", ("assaulted", "2021-07-05"), "2021-07-11"),
        ("NL-2021-0001", ("wounded", "2021-07-06"), "2021-07-15"),
    ] {
        let rec = show_json(&s, reference);
        let acts: Vec<(String, String)> = rec["victims"][0]["acts"]
            .as_array()
            .expect("acts")
            .iter()
            .map(|a| {
                (
                    a["type"].as_str().unwrap_or("").to_string(),
                    a["date_start"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        assert_eq!(
            acts,
            [
                (first.0.to_string(), first.1.to_string()),
                ("killed".to_string(), died.to_string())
            ],
            "{reference}"
        );
    }
}

#[test]
fn the_attack_on_aimaqs_family_follows_up_his_killing() {
    let s = Sandbox::new();
    s.load_sample();
    let rec = show_json(&s, "AF-2021-0002");
    assert_eq!(
        rec["relations"],
        serde_json::json!([{
            "related": "AF-2021-0001",
            "relation": "follow_up",
            "note": "An attack on the family of the journalist killed on 1 January."
        }])
    );
    assert_eq!(rec["date_start"], "2021-02-25");
    assert_eq!(rec["date_end"], "2021-02-26");
}

/// Drops what the registry adds on output (timestamps, the resolved actor
/// type, local/foreign derived from nationality) and empty values, which
/// the file leaves out.
fn comparable(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, v)| {
                    !matches!(
                        k.as_str(),
                        "created_at" | "updated_at" | "actor_type" | "local_or_foreign"
                    ) && !matches!(v, Value::Null | Value::Bool(false))
                        && v.as_str() != Some("")
                        && v.as_array().is_none_or(|a| !a.is_empty())
                })
                .map(|(k, v)| (k.clone(), comparable(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(comparable).collect()),
        other => other.clone(),
    }
}

#[test]
fn every_sample_line_comes_back_unchanged_from_show() {
    let s = Sandbox::new();
    s.load_sample();
    let text = std::fs::read_to_string(crate::fixtures::sample_path()).expect("read the sample");
    for line in text.lines() {
        let given: Value = serde_json::from_str(line).expect("a JSON line");
        let reference = given["ref"].as_str().expect("every line has a ref");
        assert_eq!(
            comparable(&show_json(&s, reference)),
            comparable(&given),
            "{reference}"
        );
    }
}

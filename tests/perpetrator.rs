//! `pressreg perpetrator add`: several actors per act, each link with its
//! basis and confidence.

use crate::fixtures::{attached_incident as incident, show_json};
use crate::Sandbox;

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

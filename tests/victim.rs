//! `pressreg victim add`.

use crate::fixtures::{attached_incident as incident, show_json};
use crate::Sandbox;

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

//! `pressreg act add`.

use crate::fixtures::{attached_incident as incident, show_json};
use crate::Sandbox;

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

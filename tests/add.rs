//! `pressreg add`.

use crate::Sandbox;

const TOOFAN: &[&str] = &[
    "add", "--date", "2021-08-08", "--country", "AF", "--admin1", "Kabul", "--admin2", "Deh Sabz",
    "--victim", "Toofan Omar", "--outlet", "Paktia Ghag Radio", "--job", "editor", "--act",
    "killed", "--death-context", "targeted", "--actor", "Taliban", "--actor-type", "armed_group",
    "--basis", "official_accusation", "--confidence", "possible", "--source-url",
    "https://bdnews24.com/world/2021/08/09/taliban-kill-afghan-radio-station-manager-kidnap-journalist",
];

#[test]
fn add_prints_only_the_new_ref() {
    let s = Sandbox::new();
    assert_eq!(s.ok(TOOFAN), "AF-2021-0001\n");
    assert_eq!(s.ok(TOOFAN), "AF-2021-0002\n");
}

#[test]
fn add_refuses_an_impossible_date_and_writes_nothing() {
    let s = Sandbox::new();
    let mut args = TOOFAN.to_vec();
    args[2] = "2021-02-30";
    assert_eq!(
        s.fails(&args, 1),
        "pressreg: --date: '2021-02-30' is not a date: day 30 does not exist in that month\n"
    );
    assert_eq!(s.rows("revision"), 0, "a refused add must write nothing");
}

//! Export → import → export gives back what went out: byte for byte for
//! CSV, the whole registry for JSONL with the full profile.

use crate::fixtures::load_fixture;
use crate::Sandbox;

/// Exports from `from`, imports into a fresh registry, exports again.
fn round_trip(from: &Sandbox, export: &[&str], file: &str) -> (String, String) {
    let first = from.ok(export);
    let to = Sandbox::new();
    to.write(file, &first);
    let r = to.run(&["import", file]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    (first, to.ok(export))
}

#[test]
fn csv_round_trips_byte_for_byte_in_every_profile() {
    let s = Sandbox::new();
    load_fixture(&s);
    for profile in ["public", "partner", "internal", "full"] {
        let args = ["export", "--profile", profile, "--format", "csv"];
        let (first, second) = round_trip(&s, &args, "export.csv");
        assert_eq!(first, second, "profile {profile}");
    }
}

#[test]
fn jsonl_full_export_gives_back_the_same_registry() {
    let s = Sandbox::new();
    load_fixture(&s);
    let args = ["export", "--profile", "full", "--format", "jsonl"];
    let (first, second) = round_trip(&s, &args, "backup.jsonl");
    assert_eq!(first.lines().count(), 4);
    assert_eq!(first, second);
}

#[test]
fn reimporting_with_skip_changes_nothing() {
    let s = Sandbox::new();
    load_fixture(&s);
    let csv = s.ok(&["export", "--profile", "full"]);
    s.write("again.csv", &csv);
    let before = s.rows("revision");
    let r = s.run(&["import", "again.csv", "--on-conflict", "skip"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "imported 0 of 4 incidents (0 added, 0 updated, 0 unchanged, 4 skipped)\n"
        )
    );
    assert_eq!(s.rows("revision"), before);
    // And an update from the CSV it just wrote finds nothing to change in
    // the fields the CSV holds, except what the CSV cannot carry.
    let full = s.ok(&["export", "--profile", "full"]);
    assert_eq!(full, csv);
}

#[test]
fn real_cpj_data_round_trips_through_csv_and_jsonl() {
    let Some(cpj) = crate::realdata("cpj_killed_1992_2020.csv") else {
        return;
    };
    let s = Sandbox::new();
    let r = s.run(&["import", cpj.to_str().expect("utf-8 path")]);
    // What the import says and counts is checked in tests/cpj.rs.
    assert_eq!(r.code, 0, "{}", r.stderr);
    for format in ["csv", "jsonl"] {
        let args = ["export", "--profile", "full", "--format", format];
        let file = format!("cpj.{format}");
        let (first, second) = round_trip(&s, &args, &file);
        assert!(first.lines().count() > 1000, "{format}");
        assert!(first == second, "{format} export changed on the way back");
    }
}

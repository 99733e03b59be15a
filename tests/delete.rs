//! `pressreg delete` and `pressreg restore`.

use crate::fixtures::{registry, revisions, TOOFAN};
use crate::Sandbox;

#[test]
fn delete_hides_and_restore_brings_back_with_one_revision_each() {
    let s = registry();
    let before = revisions(&s).len();
    let r = s.run(&["delete", "AF-2021-0002", "--reason", "false report"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "",
            "pressreg: deleted AF-2021-0002 (undo with 'pressreg restore AF-2021-0002')\n"
        )
    );
    assert!(!s.ok(&["list", "--format", "csv"]).contains("AF-2021-0002"));
    let r = s.run(&["restore", "AF-2021-0002"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "", "pressreg: restored AF-2021-0002\n")
    );
    assert!(s.ok(&["list", "--format", "csv"]).contains("AF-2021-0002"));
    let revs = revisions(&s);
    assert_eq!(
        revs[before..],
        [
            (
                "incident".to_string(),
                "delete".to_string(),
                Some("deleted_at".to_string()),
                Some("null".to_string()),
                Some("\"2021-12-31T12:00:00Z\"".to_string()),
                "false report".to_string()
            ),
            (
                "incident".to_string(),
                "restore".to_string(),
                Some("deleted_at".to_string()),
                Some("\"2021-12-31T12:00:00Z\"".to_string()),
                Some("null".to_string()),
                "restore".to_string()
            ),
        ]
    );
}

#[test]
fn delete_and_restore_errors_write_nothing() {
    let s = Sandbox::new();
    s.ok(TOOFAN);
    s.run(&["delete", "AF-2021-0001", "--reason", "test"]);
    let before = revisions(&s);
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["delete", "AF-2021-0001", "--reason", "again"],
            1,
            "pressreg: 'AF-2021-0001' is already deleted (since 2021-12-31T12:00:00Z; 'pressreg \
             restore AF-2021-0001' brings it back)\n",
        ),
        (
            &["delete", "AF-2021-0042", "--reason", "x"],
            1,
            "pressreg: no incident 'AF-2021-0042' in the registry (refs look like AF-2021-0001; 'pressreg list' shows every ref)\n",
        ),
        (
            &["delete", "AF-2021-0001", "--reason", " "],
            1,
            "pressreg: --reason is empty (say why the incident is deleted; it is kept in the \
             revision log)\n",
        ),
        (
            &["restore", "AF-2021-0001", "--reason", ""],
            1,
            "pressreg: --reason is empty (leave it out, or say why the incident comes back)\n",
        ),
        (
            &["restore", "AF-2021-0042"],
            1,
            "pressreg: no incident 'AF-2021-0042' in the registry (refs look like AF-2021-0001; 'pressreg list' shows every ref)\n",
        ),
    ];
    for (args, code, message) in cases {
        assert_eq!(s.fails(args, *code), *message, "pressreg {args:?}");
        assert_eq!(revisions(&s), before, "pressreg {args:?} wrote a revision");
    }
    let usage = s.fails(&["delete", "AF-2021-0001"], 2);
    assert!(
        usage.starts_with("pressreg: the following required arguments were not provided"),
        "{usage}"
    );
    s.run(&["restore", "AF-2021-0001", "--reason", "confirmed after all"]);
    let before = revisions(&s);
    assert_eq!(
        s.fails(&["restore", "AF-2021-0001"], 1),
        "pressreg: 'AF-2021-0001' is not deleted\n"
    );
    assert_eq!(revisions(&s), before);
}

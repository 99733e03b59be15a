//! `pressreg check`.

use crate::fixtures::{registry, TOOFAN};
use crate::Sandbox;

#[test]
fn check_reports_a_whole_registry() {
    let s = registry();
    s.run(&["delete", "AF-2021-0003", "--reason", "test"]);
    assert_eq!(
        s.ok(&["check"]),
        "\
integrity:    ok
foreign keys: ok
revision log: ok (32 revisions, hash chain intact)
incidents:    4 (1 deleted)
victims:      7
acts:         7
actors:       3
sources:      2
claims:       0
revisions:    32
"
    );
}

#[test]
fn check_finds_a_revision_edited_behind_the_programs_back() {
    let s = Sandbox::new();
    s.ok(TOOFAN);
    s.ok(&[
        "edit",
        "AF-2021-0001",
        "--set",
        "verification=corroborated",
        "--reason",
        "second source",
    ]);
    {
        let conn = s.conn();
        conn.execute_batch(
            "DROP TRIGGER revision_no_update;
             UPDATE revision SET reason = 'nothing happened' WHERE id = 3;
             CREATE TRIGGER revision_no_update BEFORE UPDATE ON revision
             BEGIN
                 SELECT RAISE(ABORT, 'the revision log is append-only');
             END;",
        )
        .expect("tamper");
    }
    let r = s.run(&["check"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            1,
            "\
integrity:    ok
foreign keys: ok
revision log: BROKEN at revision 3 (at 2021-12-31T12:00:00Z, act id 1, incident AF-2021-0001): the row was changed or removed outside pressreg
incidents:    1 (0 deleted)
victims:      1
acts:         1
actors:       1
sources:      1
claims:       0
revisions:    8
",
            "pressreg: the revision log was changed outside pressreg: the chain breaks at revision 3 \
             (at 2021-12-31T12:00:00Z, act id 1, incident AF-2021-0001)\n"
        )
    );
}

#[test]
fn check_finds_a_removed_revision() {
    let s = Sandbox::new();
    s.ok(TOOFAN);
    {
        let conn = s.conn();
        conn.execute_batch(
            "DROP TRIGGER revision_no_delete;
             DELETE FROM revision WHERE id = 4;
             CREATE TRIGGER revision_no_delete BEFORE DELETE ON revision
             BEGIN
                 SELECT RAISE(ABORT, 'the revision log is append-only');
             END;",
        )
        .expect("tamper");
    }
    assert_eq!(
        s.run(&["check"]).stderr,
        "pressreg: the revision log was changed outside pressreg: the chain breaks at revision 5 \
         (at 2021-12-31T12:00:00Z, actor_type_period id 1)\n"
    );
}

#[test]
fn check_finds_a_damaged_page() {
    let s = Sandbox::new();
    s.ok(TOOFAN);
    let (page_size, root): (i64, i64) = {
        let conn = s.conn();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .expect("checkpoint");
        // SQLCipher answers PRAGMA page_size as text.
        let size: String = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .expect("page size");
        let size: i64 = size.parse().expect("a number");
        let root = conn
            .query_row(
                "SELECT rootpage FROM sqlite_schema WHERE name = 'victim'",
                [],
                |r| r.get(0),
            )
            .expect("root page");
        (size, root)
    };
    let mut bytes = std::fs::read(s.db()).expect("read registry");
    let start = ((root - 1) * page_size) as usize;
    // The page header's cell count: claim far more cells than fit.
    bytes[start + 3] = 0xff;
    bytes[start + 4] = 0xff;
    std::fs::write(s.db(), &bytes).expect("write registry");
    let r = s.run(&["check"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            1,
            "\
integrity:    1 problem
  SQLite could not read the file through: SQL logic error
foreign keys: 1 problem
  SQLite could not read the file through: SQL logic error
revision log: could not be read: SQL logic error: Error code 1: SQL error or missing database
counts:       could not be counted: SQL logic error: Error code 1: SQL error or missing database
",
            // An encrypted page that fails its HMAC is what SQLCipher
            // calls an "SQL logic error" in integrity_check.
            "pressreg: the registry file is damaged: SQLite could not read the file through: \
             SQL logic error\n"
        )
    );
}

#[test]
fn check_finds_a_row_pointing_to_nothing() {
    let s = Sandbox::new();
    s.ok(TOOFAN);
    {
        let conn = s.conn();
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO victim (uid, incident_id, position, name)
             VALUES ('99999999-9999-4999-8999-999999999999', 42, 1, 'orphan');",
        )
        .expect("insert an orphan");
    }
    let r = s.run(&["check"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "pressreg: broken link: victim row 2 points to a missing incident\n"
        )
    );
    assert!(
        r.stdout.starts_with(
            "integrity:    ok\nforeign keys: 1 problem\n  victim row 2 points to a missing incident\n"
        ),
        "{}",
        r.stdout
    );
}

//! `pressreg check`.

use crate::fixtures::{registry, sample_path, TOOFAN};
use crate::Sandbox;

#[test]
fn check_reports_a_whole_registry() {
    let s = registry();
    s.run(&["delete", "AF-2021-0003", "--reason", "test"]);
    assert_eq!(
        s.ok(&["check"]),
        format!(
            "\
integrity:    ok
foreign keys: ok
revision log: ok (32 revisions, hash chain intact)
replay:       ok (every table matches the revision log)
units:        ok (the counting units match a recount)
head:         {}
seal:         ok (the head is sealed with the registry's key)
incidents:    4 (1 deleted)
victims:      7
acts:         7
actors:       3
sources:      2
claims:       0
revisions:    32
",
            head(&s)
        )
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
        (r.code, r.stdout, r.stderr.as_str()),
        (
            1,
            format!(
                "\
integrity:    ok
foreign keys: ok
revision log: BROKEN at revision 3 (at 2021-12-31T12:00:00Z, act id 1, incident AF-2021-0001): the row was changed or removed outside pressreg
replay:       ok (every table matches the revision log)
units:        ok (the counting units match a recount)
head:         {}
seal:         ok (the head is sealed with the registry's key)
incidents:    1 (0 deleted)
victims:      1
acts:         1
actors:       1
sources:      1
claims:       0
revisions:    8
",
                head(&s)
            ),
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

/// R14: a flipped byte in an encrypted page is caught by the page's HMAC.
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
        (r.code, r.stdout, r.stderr),
        (
            1,
            format!(
                "\
integrity:    2 problems
  page HMAC check: HMAC verification failed for page {root}
  SQLite could not read the file through: SQL logic error
foreign keys: 1 problem
  SQLite could not read the file through: SQL logic error
revision log: could not be read: SQL logic error: Error code 1: SQL error or missing database
replay:       could not be done: the file is damaged
units:        could not be recounted: the file is damaged
counts:       could not be counted: SQL logic error: Error code 1: SQL error or missing database
"
            ),
            // SQLCipher's page check names the page; SQLite's own check
            // only sees an "SQL logic error", which stops every read of
            // check after it.
            format!(
                "pressreg: the registry file is damaged: page HMAC check: HMAC verification \
                 failed for page {root}\n"
            )
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

/// The head `check` prints, read from the file behind the program's back:
/// the last revision's id and hash.
fn head(s: &Sandbox) -> String {
    head_of(s.db())
}

/// The head `check` prints for the registry at `path` (other tests' exact
/// outputs of check use it too).
pub fn head_of(path: &std::path::Path) -> String {
    let conn = crate::open_keyed(path);
    conn.query_row(
        "SELECT id || ':' || hash FROM revision ORDER BY id DESC LIMIT 1",
        [],
        |r| r.get(0),
    )
    .expect("read the head")
}

/// Runs SQL on the registry as the sqlite3 shell would (foreign keys off
/// unless the SQL turns them on), with the log's append-only triggers
/// dropped for the while, as someone who knows the schema would.
fn tamper(s: &Sandbox, sql: &str) {
    let conn = s.conn();
    conn.execute_batch(&format!(
        "DROP TRIGGER revision_no_update;
         DROP TRIGGER revision_no_delete;
         {sql};
         CREATE TRIGGER revision_no_update BEFORE UPDATE ON revision
         BEGIN
             SELECT RAISE(ABORT, 'the revision log is append-only');
         END;
         CREATE TRIGGER revision_no_delete BEFORE DELETE ON revision
         BEGIN
             SELECT RAISE(ABORT, 'the revision log is append-only');
         END;"
    ))
    .expect("tamper");
}

/// Recomputes every hash of the revision log as `pressreg` would, the way
/// a forger who has read the source can.
fn recompute_chain(s: &Sandbox) {
    use sha2::{Digest, Sha256};
    let conn = s.conn();
    let rows: Vec<(i64, Vec<Option<String>>)> = {
        let mut stmt = conn
            .prepare(
                "SELECT id, at, by, entity, CAST(entity_id AS TEXT), CAST(incident_id AS TEXT),
                        action, field, old, new, reason
                 FROM revision ORDER BY id",
            )
            .expect("read the log");
        stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                (1..11).map(|i| r.get(i)).collect::<Result<_, _>>()?,
            ))
        })
        .expect("read the log")
        .collect::<Result<_, _>>()
        .expect("read the log")
    };
    let mut prev = "0".repeat(64);
    let mut hashes = Vec::new();
    for (id, fields) in rows {
        let mut h = Sha256::new();
        for field in std::iter::once(Some(prev.clone())).chain(fields) {
            match field {
                Some(f) => {
                    h.update(f.len().to_string().as_bytes());
                    h.update(b":");
                    h.update(f.as_bytes());
                }
                None => h.update(b"-"),
            }
        }
        prev = hex::encode(h.finalize());
        hashes.push((id, prev.clone()));
    }
    let sets: Vec<String> = hashes
        .iter()
        .map(|(id, hash)| format!("UPDATE revision SET hash = '{hash}' WHERE id = {id}"))
        .collect();
    tamper(s, &sets.join(";\n"));
}

#[test]
fn check_finds_a_victim_edited_in_the_table() {
    let s = registry();
    let before = head(&s);
    tamper(&s, "UPDATE victim SET name = 'Someone Else' WHERE id = 5");
    let r = s.run(&["check"]);
    assert_eq!(
        (r.code, r.stdout, r.stderr),
        (
            1,
            format!(
                "\
integrity:    ok
foreign keys: ok
revision log: ok (31 revisions, hash chain intact)
replay:       1 difference between the tables and the revision log
  victim 5 (AF-2021-0002 victim 1): name is 'Someone Else' in the table but 'Toofan Omar' in the revision log
units:        ok (the counting units match a recount)
head:         {before}
seal:         ok (the head is sealed with the registry's key)
incidents:    4 (0 deleted)
victims:      7
acts:         7
actors:       3
sources:      2
claims:       0
revisions:    31
"
            ),
            "pressreg: the tables were changed outside pressreg: victim 5 (AF-2021-0002 victim 1): \
             name is 'Someone Else' in the table but 'Toofan Omar' in the revision log\n"
                .to_string()
        )
    );
}

#[test]
fn check_finds_a_victim_deleted_from_the_table() {
    let s = registry();
    let before = head(&s);
    // With foreign keys on, the victim's act and its perpetrator go too,
    // so no link is left broken for the foreign key check to find.
    tamper(
        &s,
        "PRAGMA foreign_keys = ON; DELETE FROM victim WHERE id = 5",
    );
    let r = s.run(&["check"]);
    assert_eq!(
        (r.code, r.stdout, r.stderr),
        (
            1,
            format!(
                "\
integrity:    ok
foreign keys: ok
revision log: ok (31 revisions, hash chain intact)
replay:       3 differences between the tables and the revision log
  victim 5 (AF-2021-0002 victim 1) is in the revision log but not in the table
  act 5 (AF-2021-0002 victim 1, killed) is in the revision log but not in the table
  involvement 4 (AF-2021-0002 victim 1, killed, Taliban) is in the revision log but not in the table
units:        1 difference between the stored counting units and a recount
  AF-2021-0002: 1 counting unit stored, 0 made from its records
head:         {before}
seal:         ok (the head is sealed with the registry's key)
incidents:    4 (0 deleted)
victims:      6
acts:         6
actors:       3
sources:      2
claims:       0
revisions:    31
"
            ),
            "pressreg: the tables were changed outside pressreg: victim 5 (AF-2021-0002 victim 1) \
             is in the revision log but not in the table\n"
                .to_string()
        )
    );
}

#[test]
fn check_finds_the_last_revisions_removed() {
    let s = registry();
    let recorded = head(&s);
    tamper(
        &s,
        "DELETE FROM revision WHERE id > (SELECT max(id) - 20 FROM revision)",
    );
    let (cut, old_hash) = (head(&s), &recorded[3..]);
    let r = s.run(&["check"]);
    assert_eq!(
        (r.code, r.stdout, r.stderr),
        (
            1,
            format!(
                "\
integrity:    ok
foreign keys: ok
revision log: ok (11 revisions, hash chain intact)
replay:       20 differences between the tables and the revision log
  incident 2 (AF-2021-0002) is in the table but not in the revision log
  incident 3 (AF-2021-0003) is in the table but not in the revision log
  incident 4 (GR-2021-0001) is in the table but not in the revision log
  victim 3 (AF-2021-0001 victim 3) is in the table but not in the revision log
  victim 4 (AF-2021-0001 victim 4) is in the table but not in the revision log
  victim 5 (AF-2021-0002 victim 1) is in the table but not in the revision log
  victim 6 (AF-2021-0003 victim 1) is in the table but not in the revision log
  victim 7 (GR-2021-0001 victim 1) is in the table but not in the revision log
  act 3 (AF-2021-0001 victim 3, killed) is in the table but not in the revision log
  act 4 (AF-2021-0001 victim 4, wounded) is in the table but not in the revision log
  … and 10 more
units:        ok (the counting units match a recount)
head:         {cut}
seal:         BROKEN: the seal vouches for revision 31 with the hash {old_hash}, but the log ends at {cut}: the log was rewritten or cut without the key
incidents:    4 (0 deleted)
victims:      7
acts:         7
actors:       3
sources:      2
claims:       0
revisions:    11
"
            ),
            format!(
                "pressreg: the revision log was changed outside pressreg: the seal vouches for \
                 revision 31 with the hash {old_hash}, but the log ends at {cut}: the log was \
                 rewritten or cut without the key\n"
            )
        )
    );
    // With the head recorded before, check names the cut first.
    let r = s.run(&["check", "--expect-head", &recorded]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "pressreg: the revision log does not hold the expected head: the log ends at \
             revision 11, before revision 31: revisions were removed from its end\n"
        )
    );
    assert!(
        r.stdout.contains(
            "\nexpected:     BROKEN: the log ends at revision 11, before revision 31: \
             revisions were removed from its end\n"
        ),
        "{}",
        r.stdout
    );
}

/// R14: a forger with the key (the sqlite3 shell of SQLCipher) renames a
/// victim in the table and in the revision that created her, and
/// recomputes the unkeyed hash chain: nothing in the tables or the log
/// disagrees, but the head's seal in the file, an HMAC under a key derived
/// from the registry key, no longer matches.
#[test]
fn check_finds_a_forged_revision_with_the_chain_recomputed() {
    let s = registry();
    let recorded = head(&s);
    forge_a_victim(&s);
    let forged = head(&s);
    assert_ne!(forged, recorded);
    let (old_hash, new_hash) = (&recorded[3..], &forged[3..]);
    let seal = format!(
        "the seal vouches for revision 31 with the hash {old_hash}, but the log ends at {forged}: \
         the log was rewritten or cut without the key"
    );
    let r = s.run(&["check"]);
    assert_eq!(
        (r.code, r.stdout, r.stderr),
        (
            1,
            format!(
                "\
integrity:    ok
foreign keys: ok
revision log: ok (31 revisions, hash chain intact)
replay:       ok (every table matches the revision log)
units:        ok (the counting units match a recount)
head:         {forged}
seal:         BROKEN: {seal}
incidents:    4 (0 deleted)
victims:      7
acts:         7
actors:       3
sources:      2
claims:       0
revisions:    31
"
            ),
            format!("pressreg: the revision log was changed outside pressreg: {seal}\n")
        )
    );
    // A head recorded outside the file says the same, first.
    let r = s.run(&["check", "--expect-head", &recorded]);
    assert_eq!(
        (r.code, r.stderr),
        (
            1,
            format!(
                "pressreg: the revision log does not hold the expected head: revision 31 has the \
                 hash {new_hash}, not {old_hash}: the log up to it was rewritten\n"
            )
        )
    );
    assert!(r.stdout.contains(&format!(
        "\nseal:         BROKEN: {seal}\nexpected:     BROKEN: revision 31 has the hash {new_hash}, \
         not {old_hash}: the log up to it was rewritten\n"
    )));
}

/// R14: the forger also writes the new head into the seal row, but cannot
/// make its MAC without the key the seal key is derived from.
#[test]
fn check_finds_a_seal_rewritten_without_the_key() {
    let s = registry();
    forge_a_victim(&s);
    let forged = head(&s);
    let (n, hash) = forged.split_once(':').expect("N:HASH");
    tamper(
        &s,
        &format!(
            "UPDATE seal SET revision = {n}, hash = '{hash}', mac = '{}'",
            "ab".repeat(32)
        ),
    );
    let r = s.run(&["check"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "pressreg: the revision log was changed outside pressreg: the seal of revision 31 was \
             not made with this registry's key: the log was rewritten without it\n"
        )
    );
    // And a seal removed altogether is missed.
    tamper(&s, "DELETE FROM seal");
    let r = s.run(&["check"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "pressreg: the revision log was changed outside pressreg: the log reaches revision 31 \
             but carries no seal: it was written without the key\n"
        )
    );
}

/// R14 on a plaintext registry: the same forgery leaves nothing in the
/// file that disagrees (there is no key to seal with), and only the head
/// recorded outside the file catches it.
#[test]
fn a_plaintext_forgery_is_caught_only_by_a_recorded_head() {
    let s = Sandbox::empty_plaintext();
    s.run(&["init", "--plaintext"]);
    s.run(TOOFAN);
    let recorded = head(&s);
    forge_a_victim(&s);
    let forged = head(&s);
    let out = s.ok(&["check"]);
    assert!(
        out.contains(&format!(
            "\nreplay:       ok (every table matches the revision log)\nunits:        ok (the counting units match a recount)\nhead:         {forged}\n\
             seal:         none (not encrypted: keep the head line apart from the file)\n"
        )),
        "{out}"
    );
    let (old_hash, new_hash) = (&recorded[2..], &forged[2..]);
    let r = s.run(&["check", "--expect-head", &recorded]);
    assert_eq!(
        (r.code, r.stderr),
        (
            1,
            format!(
                "pressreg: the revision log does not hold the expected head: revision 7 has the \
                 hash {new_hash}, not {old_hash}: the log up to it was rewritten\n"
            )
        )
    );
}

/// Renames the victim Toofan Omar in the table and in the revision that
/// created her, then makes the chain whole again.
fn forge_a_victim(s: &Sandbox) {
    tamper(
        s,
        "UPDATE victim SET name = 'Someone Else' WHERE name = 'Toofan Omar';
         UPDATE revision SET new = replace(new, '\"Toofan Omar\"', '\"Someone Else\"')
         WHERE entity = 'victim' AND action = 'create' AND new LIKE '%\"Toofan Omar\"%'",
    );
    recompute_chain(s);
}

#[test]
fn a_head_recorded_earlier_still_holds_after_more_changes() {
    let s = Sandbox::new();
    s.ok(TOOFAN);
    let recorded = head(&s);
    s.ok(&[
        "edit",
        "AF-2021-0001",
        "--set",
        "verification=corroborated",
        "--reason",
        "second source",
    ]);
    let out = s.ok(&["check", "--expect-head", &recorded]);
    assert!(
        out.contains(&format!(
            "\nhead:         {}\nseal:         ok (the head is sealed with the registry's key)\n\
             expected:     ok (the log holds revision 7 as recorded)\n",
            head(&s)
        )),
        "{out}"
    );
    assert_ne!(head(&s), recorded);
}

#[test]
fn a_malformed_expected_head_is_refused() {
    let s = Sandbox::new();
    s.ok(TOOFAN);
    assert_eq!(
        s.fails(&["check", "--expect-head", "7:abc"], 1),
        "pressreg: --expect-head '7:abc' is not a chain head (accepted: N:HASH as check prints \
         it, a revision number, a colon and 64 hex digits)\n"
    );
}

#[test]
fn an_expected_head_names_a_revision_removed_from_the_middle_or_an_emptied_log() {
    let s = Sandbox::new();
    s.ok(TOOFAN);
    let conn = s.conn();
    let fifth: String = conn
        .query_row("SELECT '5:' || hash FROM revision WHERE id = 5", [], |r| {
            r.get(0)
        })
        .expect("read revision 5");
    drop(conn);
    tamper(&s, "DELETE FROM revision WHERE id = 5");
    let r = s.run(&["check", "--expect-head", &fifth]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains("\nexpected:     BROKEN: revision 5 was removed from the log\n"),
        "{}",
        r.stdout
    );
    tamper(&s, "DELETE FROM revision");
    let r = s.run(&["check", "--expect-head", &fifth]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "pressreg: the revision log does not hold the expected head: the log is empty, but \
             it reached revision 5: revisions were removed from its end\n"
        )
    );
    assert!(
        r.stdout.contains(
            "\nhead:         none (the log is empty)\nseal:         BROKEN: the seal vouches for \
             revision 7, but the log is empty: revisions were removed\nexpected:     BROKEN: the \
             log is empty, but it reached revision 5: revisions were removed from its end\n"
        ),
        "{}",
        r.stdout
    );
}

/// Every kind of change the program makes goes through the revision log,
/// so the replay matches the tables after all of them (a write that
/// bypassed the log would show here as a difference).
#[test]
fn the_replay_matches_after_every_kind_of_change() {
    let s = Sandbox::new();
    let sample = sample_path();
    done(&s, &["import", sample.to_str().expect("utf-8 path")]);
    done(
        &s,
        &[
            "source",
            "add",
            "AF-2021-0001",
            "--url",
            "https://example.org/x",
            "--via",
            "Reuters",
        ],
    );
    done(
        &s,
        &[
            "claim",
            "add",
            "AF-2021-0001",
            "--source",
            "1",
            "--field",
            "admin2",
            "--value",
            "Behsud",
        ],
    );
    done(
        &s,
        &["claim", "accept", "AF-2021-0001", "2", "--reason", "r"],
    );
    done(
        &s,
        &["claim", "retract", "AF-2021-0001", "2", "--reason", "r"],
    );
    done(
        &s,
        &[
            "source",
            "edit",
            "AF-2021-0001",
            "1",
            "--set",
            "publisher=Zed",
            "--reason",
            "r",
        ],
    );
    done(
        &s,
        &["source", "retract", "AF-2021-0001", "2", "--reason", "r"],
    );
    done(
        &s,
        &["victim", "add", "AF-2021-0001", "--name", "New Person"],
    );
    done(
        &s,
        &[
            "edit",
            "AF-2021-0002",
            "--set",
            "victim.1.name=Xy",
            "--set",
            "act.1.1.method=shooting",
            "--reason",
            "t",
        ],
    );
    // A private note: the log withholds its value, so the replay cannot
    // vouch for it, and must not call it a difference either.
    done(
        &s,
        &[
            "edit",
            "AF-2021-0002",
            "--set",
            "private_notes=the family's address",
            "--reason",
            "t",
        ],
    );
    done(&s, &["delete", "AF-2021-0003", "--reason", "x"]);
    done(&s, &["restore", "AF-2021-0003"]);
    done(
        &s,
        &["actor", "add", "Some Militia", "--type", "armed_group"],
    );
    let modified = std::fs::read_to_string(&sample)
        .expect("read the sample")
        .replace(
            "\"verification\":\"corroborated\"",
            "\"verification\":\"verified\"",
        );
    let path = s.write("modified.jsonl", modified);
    done(
        &s,
        &[
            "import",
            path.to_str().expect("utf-8 path"),
            "--on-conflict",
            "update",
        ],
    );
    let out = s.ok(&["check"]);
    assert!(
        out.contains("\nreplay:       ok (every table matches the revision log)\n"),
        "{out}"
    );
}

/// Runs a command that must succeed (notes on stderr are fine).
#[track_caller]
fn done(s: &Sandbox, args: &[&str]) {
    let r = s.run(args);
    assert_eq!(r.code, 0, "pressreg {args:?}\nstderr:\n{}", r.stderr);
}

/// An encrypted registry from before seals (schema version 2, no table
/// `seal`) is sealed once, by the upgrade that makes the table, and
/// `check` then vouches for its head; a seal removed later is not made
/// again by merely opening the registry.
#[test]
fn an_encrypted_registry_from_before_seals_is_sealed_by_its_upgrade() {
    let s = Sandbox::new();
    s.ok(TOOFAN);
    tamper(
        &s,
        "DROP TABLE seal; DROP TABLE ref_alias; DROP TABLE revision_origin; \
         DROP TABLE revision_known; DROP TABLE count_unit; DROP TABLE count_unit_actor; \
         PRAGMA user_version = 2",
    );
    let out = s.ok(&["check"]);
    assert!(
        out.contains("\nseal:         ok (the head is sealed with the registry's key)\n"),
        "{out}"
    );
    tamper(&s, "DELETE FROM seal");
    let r = s.run(&["check"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "pressreg: the revision log was changed outside pressreg: the log reaches revision 7 \
             but carries no seal: it was written without the key\n"
        )
    );
}

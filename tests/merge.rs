//! `pressreg merge OTHER.db`: three documenters edit copies of one
//! registry offline and a coordinator brings them together; merging is
//! idempotent, commutative in content, and loses no record or revision.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use proptest::prelude::*;

use crate::{open_keyed, Run, Sandbox};

/// Runs pressreg on registry `db` of the sandbox as documenter `user` on
/// day `day` of December 2021.
fn run_as(s: &Sandbox, db: &str, user: &str, day: u32, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_pressreg"))
        .current_dir(s.dir())
        .env_remove("PRESSREG_DB")
        .env_remove("PRESSREG_KEY")
        .env_remove("PRESSREG_NEW_KEY")
        .env_remove("NO_COLOR")
        .env("PRESSREG_NOW", format!("2021-12-{day:02}T12:00:00Z"))
        .env("PRESSREG_USER", user)
        .env("PRESSREG_KEY_FILE", s.key_file())
        .arg("--db")
        .arg(s.path(db))
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run pressreg");
    Run::from(out)
}

/// Like `run_as`, for a command that must succeed; its stdout and stderr.
#[track_caller]
fn ok_as(s: &Sandbox, db: &str, user: &str, day: u32, args: &[&str]) -> (String, String) {
    let r = run_as(s, db, user, day, args);
    assert_eq!(r.code, 0, "pressreg {args:?} on {db}\n{}", r.stderr);
    (r.stdout, r.stderr)
}

/// The registry's content as merging promises to keep it: every record of
/// every table, links written as uids, without the names that are local
/// to one registry (row ids, refs, victims' positions).
fn content(db: &Path) -> BTreeSet<String> {
    let conn = open_keyed(db);
    let mut out = BTreeSet::new();
    let uid_of = |table: &str, id: i64| -> String {
        conn.query_row(
            &format!("SELECT uid FROM {table} WHERE id = ?"),
            [id],
            |r| r.get(0),
        )
        .unwrap_or_else(|_| format!("{table}#{id}?"))
    };
    for table in [
        "incident",
        "victim",
        "act",
        "actor",
        "actor_type_period",
        "involvement",
        "source",
        "claim",
        "incident_relation",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table}"))
            .expect("prepare");
        let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
        let rows: Vec<Vec<rusqlite::types::Value>> = stmt
            .query_map([], |r| (0..names.len()).map(|i| r.get(i)).collect())
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        for row in rows {
            let mut fields = vec![table.to_string()];
            for (name, value) in names.iter().zip(row) {
                let target = match name.as_str() {
                    "id" | "ref" | "position" => continue,
                    "incident_id" | "duplicate_of" | "related_id" => Some("incident"),
                    "victim_id" => Some("victim"),
                    "act_id" => Some("act"),
                    "actor_id" => Some("actor"),
                    "source_id" => Some("source"),
                    _ => None,
                };
                let shown = match (target, value) {
                    (Some(t), rusqlite::types::Value::Integer(id)) => uid_of(t, id),
                    (_, v) => format!("{v:?}"),
                };
                fields.push(format!("{name}={shown}"));
            }
            out.insert(fields.join(" "));
        }
    }
    out
}

/// The identities of every revision a registry has seen: its own (or
/// the origin a merge kept) and those merged in.
fn seen(db: &Path) -> BTreeSet<String> {
    let conn = open_keyed(db);
    let mut stmt = conn
        .prepare(
            "SELECT coalesce(o.origin, r.hash) FROM revision r
             LEFT JOIN revision_origin o ON o.revision_id = r.id
             UNION SELECT identity FROM revision_known",
        )
        .expect("prepare");
    let rows = stmt.query_map([], |r| r.get(0)).expect("query");
    rows.collect::<Result<_, _>>().expect("identities")
}

fn revisions(db: &Path) -> i64 {
    open_keyed(db)
        .query_row("SELECT count(*) FROM revision", [], |r| r.get(0))
        .expect("count")
}

/// The coordinator's registry with four incidents, copied to each
/// documenter's laptop.
fn base(s: &Sandbox) {
    let db = "registry.db";
    let adds: [&[&str]; 4] = [
        &[
            "add",
            "--date",
            "2021-08-08",
            "--country",
            "AF",
            "--admin1",
            "Kabul",
            "--victim",
            "Toofan Omar",
            "--act",
            "killed",
            "--actor",
            "Taliban",
            "--actor-type",
            "armed_group",
            "--source-url",
            "https://example.org/1",
        ],
        &[
            "add",
            "--date",
            "2021-08-09",
            "--country",
            "AF",
            "--admin1",
            "Helmand",
            "--victim",
            "Nematullah Hemat",
            "--act",
            "kidnapped",
        ],
        &[
            "add",
            "--date",
            "2021-08-10",
            "--country",
            "AF",
            "--admin1",
            "Kandahar",
            "--victim",
            "Wali",
            "--act",
            "threatened",
        ],
        &[
            "add",
            "--date",
            "2021-08-11",
            "--country",
            "AF",
            "--admin1",
            "Herat",
            "--victim",
            "Witness",
            "--act",
            "threatened",
        ],
    ];
    for add in adds {
        ok_as(s, db, "coord", 1, add);
    }
    for laptop in ["farida.db", "jawad.db", "malalai.db"] {
        std::fs::copy(s.db(), s.path(laptop)).expect("copy the registry");
    }
}

/// Farida, Jawad and Malalai edit their copies in different ways.
fn documenters_work(s: &Sandbox) {
    // Farida: two fields of 0001 (one Jawad also changes), a new incident,
    // and 0002 deleted as a false report.
    ok_as(
        s,
        "farida.db",
        "farida",
        2,
        &[
            "edit",
            "AF-2021-0001",
            "--set",
            "admin2=Deh Sabz",
            "--set",
            "verification=corroborated",
            "--reason",
            "second outlet",
        ],
    );
    ok_as(
        s,
        "farida.db",
        "farida",
        2,
        &[
            "add",
            "--date",
            "2021-09-01",
            "--country",
            "AF",
            "--admin1",
            "Kabul",
            "--victim",
            "Farida's case",
            "--act",
            "threatened",
        ],
    );
    ok_as(
        s,
        "farida.db",
        "farida",
        2,
        &["delete", "AF-2021-0002", "--reason", "false report"],
    );
    // Jawad: 0001's verification and title, 0002 (deleted by Farida)
    // edited, a new incident with the same ref as Farida's, a second
    // victim on 0003, and 0004 edited (erased by Malalai).
    ok_as(
        s,
        "jawad.db",
        "jawad",
        3,
        &[
            "edit",
            "AF-2021-0001",
            "--set",
            "verification=verified",
            "--set",
            "title=Radio editor killed",
            "--reason",
            "NAI confirmed",
        ],
    );
    ok_as(
        s,
        "jawad.db",
        "jawad",
        3,
        &[
            "edit",
            "AF-2021-0002",
            "--set",
            "admin2=Nawa",
            "--reason",
            "per Pajhwok",
        ],
    );
    ok_as(
        s,
        "jawad.db",
        "jawad",
        3,
        &[
            "add",
            "--date",
            "2021-09-02",
            "--country",
            "AF",
            "--admin1",
            "Balkh",
            "--victim",
            "Jawad's case",
            "--act",
            "detained",
        ],
    );
    ok_as(
        s,
        "jawad.db",
        "jawad",
        3,
        &[
            "victim",
            "add",
            "AF-2021-0003",
            "--name",
            "Sayed",
            "--act",
            "threatened",
        ],
    );
    ok_as(
        s,
        "jawad.db",
        "jawad",
        3,
        &[
            "edit",
            "AF-2021-0004",
            "--set",
            "admin2=Injil",
            "--reason",
            "district known",
        ],
    );
    // Malalai: erases 0004 for good, and edits 0003.
    ok_as(
        s,
        "malalai.db",
        "malalai",
        4,
        &[
            "delete",
            "AF-2021-0004",
            "--purge",
            "--reason",
            "the witness asked to be erased",
        ],
    );
    ok_as(
        s,
        "malalai.db",
        "malalai",
        4,
        &[
            "edit",
            "AF-2021-0003",
            "--set",
            "admin2=Spin Boldak",
            "--reason",
            "local radio",
        ],
    );
}

#[test]
fn three_documenters_come_together() {
    let s = Sandbox::new();
    base(&s);
    documenters_work(&s);
    let coord = |args: &[&str]| ok_as(&s, "registry.db", "coord", 5, args);

    assert_eq!(
        coord(&["merge", "farida.db"]),
        (
            String::new(),
            "pressreg: merged 'farida.db': 1 incident added, 2 updated, 0 conflicts
added: AF-2021-0005
updated: AF-2021-0001, AF-2021-0002
"
            .to_string()
        )
    );
    assert_eq!(
        coord(&["merge", "jawad.db"]),
        (
            String::new(),
            "pressreg: merged 'jawad.db': 1 incident added, 4 updated, 1 conflict
added: AF-2021-0006
updated: AF-2021-0001, AF-2021-0002, AF-2021-0003, AF-2021-0004
renumbered: their AF-2021-0005 is AF-2021-0006 here (AF-2021-0005 was taken; show and history accept the old ref when no incident here has it)
conflict: AF-2021-0001 verification: 'corroborated' here (by farida), 'verified' there (by jawad); the record shows 'verified', claims 1 and 2 keep both (for 'corroborated': pressreg claim accept AF-2021-0001 1)
"
            .to_string()
        )
    );
    assert_eq!(
        coord(&["merge", "malalai.db"]),
        (
            String::new(),
            "pressreg: merged 'malalai.db': 0 incidents added, 1 updated, 1 erased, 0 conflicts
updated: AF-2021-0003
erased: AF-2021-0004 (erased for good in 'malalai.db')
"
            .to_string()
        )
    );
    assert_eq!(
        coord(&["list", "--include-deleted"]).0,
        "REF                     DATE         PLACE                      VICTIMS  NAMES             ACTS          PERPETRATORS       VERIFICATION
AF-2021-0001            8 Aug 2021   Deh Sabz, Kabul, AF              1  Toofan Omar       killed        Taliban (unknown)  verified
AF-2021-0002 (deleted)  9 Aug 2021   Nawa, Helmand, AF                1  Nematullah Hemat  kidnapped                        reported
AF-2021-0003            10 Aug 2021  Spin Boldak, Kandahar, AF        2  Wali; Sayed       threatened×2                     reported
AF-2021-0005            1 Sep 2021   Kabul, AF                        1  Farida's case     threatened                       reported
AF-2021-0006            2 Sep 2021   Balkh, AF                        1  Jawad's case      detained                         reported
"
    );
    // Both values of the verification stay, as claims.
    let show = coord(&["show", "AF-2021-0001"]).0;
    assert!(
        show.contains(
            "! verification: corroborated per farida [1] · verified per jawad [2, accepted]\n"
        ),
        "{show}"
    );
    // Jawad's old ref is taken here by Farida's incident: it shows
    // Farida's, and says where Jawad's went.
    let r = run_as(&s, "registry.db", "coord", 5, &["history", "AF-2021-0005"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "pressreg: AF-2021-0005 was also the ref of AF-2021-0006 in a registry merged in (renumbered here)\n"
        )
    );
    // The conflict is settled like any disagreement of sources.
    assert_eq!(
        coord(&[
            "claim",
            "accept",
            "AF-2021-0001",
            "1",
            "--reason",
            "NAI has not verified it"
        ])
        .0,
        "verification: 'verified' → 'corroborated'\nclaim 1 accepted\nclaim 2 no longer accepted\n"
    );
    let check = run_as(&s, "registry.db", "coord", 5, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stdout.contains("replay:       ok"),
        "{}",
        check.stdout
    );

    // Merging any of them again changes nothing.
    let before = (content(s.db()), revisions(s.db()));
    for laptop in ["farida.db", "jawad.db", "malalai.db"] {
        assert_eq!(
            coord(&["merge", laptop]).1,
            format!("pressreg: merged '{laptop}': 0 incidents added, 0 updated, 0 conflicts\n")
        );
    }
    assert_eq!((content(s.db()), revisions(s.db())), before);

    // Each documenter takes the coordinator's registry back and ends with
    // the same records; the old ref still finds Jawad's incident on his
    // laptop under the number it had there.
    for (laptop, user) in [
        ("farida.db", "farida"),
        ("jawad.db", "jawad"),
        ("malalai.db", "malalai"),
    ] {
        ok_as(&s, laptop, user, 6, &["merge", "registry.db"]);
        assert_eq!(content(&s.path(laptop)), content(s.db()), "{laptop}");
        let check = run_as(&s, laptop, user, 6, &["check"]);
        assert_eq!(check.code, 0, "{laptop}: {}", check.stderr);
    }
    // Nothing erased by Malalai came back anywhere.
    for db in ["registry.db", "farida.db", "jawad.db", "malalai.db"] {
        let conn = open_keyed(&s.path(db));
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM victim WHERE name = 'Witness'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(n, 0, "{db}");
    }
}

#[test]
fn an_encrypted_registry_merges_with_its_own_key_file() {
    let s = Sandbox::new();
    base(&s);
    // Another documenter's registry under another key.
    let other = s.path("other.db");
    let other_key = s.write(
        "other.key",
        "6f7468657220646f63756d656e7465722068617320697473206f776e206b6579\n",
    );
    let r = Command::new(env!("CARGO_BIN_EXE_pressreg"))
        .env("PRESSREG_NOW", "2021-12-02T12:00:00Z")
        .env("PRESSREG_USER", "other")
        .env("PRESSREG_KEY_FILE", &other_key)
        .env_remove("PRESSREG_KEY")
        .arg("--db")
        .arg(&other)
        .args(["init"])
        .output()
        .expect("init");
    assert!(r.status.success());
    let r = Command::new(env!("CARGO_BIN_EXE_pressreg"))
        .env("PRESSREG_NOW", "2021-12-02T12:00:00Z")
        .env("PRESSREG_USER", "other")
        .env("PRESSREG_KEY_FILE", &other_key)
        .env_remove("PRESSREG_KEY")
        .arg("--db")
        .arg(&other)
        .args([
            "add",
            "--date",
            "2021-08-08",
            "--country",
            "AF",
            "--victim",
            "X",
            "--act",
            "killed",
        ])
        .output()
        .expect("add");
    assert_eq!(String::from_utf8_lossy(&r.stdout), "AF-2021-0001\n");

    // With this registry's key the other does not open: nothing is written.
    let r = run_as(&s, "registry.db", "coord", 5, &["merge", "other.db"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            1,
            "",
            format!(
                "pressreg: 'other.db' does not open with the key file '{}': wrong key, or not a pressreg registry (give its own key with --other-key-file PATH)\n",
                s.key_file().display()
            )
            .as_str()
        )
    );
    let r = run_as(
        &s,
        "registry.db",
        "coord",
        5,
        &["merge", "other.db", "--other-key-file", "other.key"],
    );
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "pressreg: merged 'other.db': 1 incident added, 0 updated, 0 conflicts
added: AF-2021-0005
renumbered: their AF-2021-0001 is AF-2021-0005 here (AF-2021-0001 was taken; show and history accept the old ref when no incident here has it)
"
        )
    );
}

#[test]
fn merge_errors_name_the_file_and_write_nothing() {
    let s = Sandbox::new();
    base(&s);
    let before = revisions(s.db());
    assert_eq!(
        s.fails(&["merge", "missing.db"], 1),
        "pressreg: no registry at 'missing.db' (create one with 'pressreg init')\n"
    );
    assert_eq!(
        s.fails(&["merge", s.db().to_str().expect("utf-8")], 1),
        format!(
            "pressreg: '{}' is this registry (merge another documenter's registry into it)\n",
            s.db().display()
        )
    );
    assert_eq!(
        s.fails(&["merge", "farida.db", "--reason", " "], 1),
        "pressreg: --reason is empty (leave it out, or say what this merge brings in)\n"
    );
    assert_eq!(revisions(s.db()), before);
}

/// What a documenter may do to their copy in the property test.
#[derive(Clone, Debug)]
enum Op {
    Edit(usize, usize, usize),
    Add(usize),
    Delete(usize),
    Restore(usize),
    Purge(usize),
    AddVictim(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (1..=3usize, 0..3usize, 0..3usize).prop_map(|(i, f, v)| Op::Edit(i, f, v)),
        2 => (0..2usize).prop_map(Op::Add),
        1 => (1..=3usize).prop_map(Op::Delete),
        1 => (1..=3usize).prop_map(Op::Restore),
        1 => (1..=3usize).prop_map(Op::Purge),
        1 => (1..=3usize).prop_map(Op::AddVictim),
    ]
}

/// Applies `op` to a copy; a refused op (editing an erased incident)
/// writes nothing, which is fine here.
fn apply(s: &Sandbox, db: &str, user: &str, day: u32, op: &Op) {
    let reference = |i: &usize| format!("AF-2021-{i:04}");
    let fields = ["admin2", "verification", "title"];
    let values = [
        ["Deh Sabz", "corroborated", "First title"],
        ["Nawa", "verified", "Second title"],
        ["Injil", "disputed", "Third title"],
    ];
    let args: Vec<String> = match op {
        Op::Edit(i, f, v) => vec![
            "edit".into(),
            reference(i),
            "--set".into(),
            format!("{}={}", fields[*f], values[*v][*f]),
            "--reason".into(),
            "edit".into(),
        ],
        Op::Add(c) => vec![
            "add".into(),
            "--date".into(),
            "2021-10-01".into(),
            "--country".into(),
            ["AF", "PK"][*c].into(),
            "--victim".into(),
            format!("{user} {day}"),
            "--act".into(),
            "threatened".into(),
        ],
        Op::Delete(i) => vec!["delete".into(), reference(i), "--reason".into(), "x".into()],
        Op::Restore(i) => vec!["restore".into(), reference(i)],
        Op::Purge(i) => vec![
            "delete".into(),
            reference(i),
            "--purge".into(),
            "--reason".into(),
            "x".into(),
        ],
        Op::AddVictim(i) => vec![
            "victim".into(),
            "add".into(),
            reference(i),
            "--name".into(),
            format!("{user} {day}"),
            "--act".into(),
            "wounded".into(),
        ],
    };
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_as(s, db, user, day, &args);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// Two copies edited in any way: merging A into B and B into A gives
    /// the same content; merging again changes nothing; nothing either
    /// side had and did not delete is lost, and every revision either side
    /// had is seen by the result.
    #[test]
    fn merge_is_idempotent_commutative_and_loses_nothing(
        a_ops in prop::collection::vec(op(), 0..5),
        b_ops in prop::collection::vec(op(), 0..5),
    ) {
        let s = Sandbox::new();
        for i in 1..=3 {
            ok_as(&s, "registry.db", "coord", 1, &[
                "add", "--date", &format!("2021-08-0{i}"), "--country", "AF", "--victim",
                &format!("Victim {i}"), "--act", "killed",
            ]);
        }
        std::fs::copy(s.db(), s.path("a.db")).expect("copy");
        std::fs::copy(s.db(), s.path("b.db")).expect("copy");
        for (n, op) in a_ops.iter().enumerate() {
            apply(&s, "a.db", "alice", 2 + n as u32, op);
        }
        for (n, op) in b_ops.iter().enumerate() {
            apply(&s, "b.db", "bob", 2 + n as u32, op);
        }
        std::fs::copy(s.path("a.db"), s.path("ab.db")).expect("copy");
        std::fs::copy(s.path("b.db"), s.path("ba.db")).expect("copy");
        ok_as(&s, "ab.db", "coord", 20, &["merge", "b.db"]);
        ok_as(&s, "ba.db", "coord", 20, &["merge", "a.db"]);
        let ab = content(&s.path("ab.db"));
        prop_assert_eq!(&ab, &content(&s.path("ba.db")));
        // Idempotent: again, nothing changes, not even the log.
        let revs = revisions(&s.path("ab.db"));
        let (_, again) = ok_as(&s, "ab.db", "coord", 21, &["merge", "b.db"]);
        prop_assert_eq!(again, "pressreg: merged 'b.db': 0 incidents added, 0 updated, 0 conflicts\n");
        prop_assert_eq!(revisions(&s.path("ab.db")), revs);
        prop_assert_eq!(&content(&s.path("ab.db")), &ab);
        // No revision lost: everything either side had seen is seen.
        let seen_ab = seen(&s.path("ab.db"));
        for side in ["a.db", "b.db"] {
            let missing: Vec<String> = seen(&s.path(side)).difference(&seen_ab).cloned().collect();
            prop_assert!(missing.is_empty(), "{} revisions of {} lost", missing.len(), side);
        }
        // No record lost: every victim either side holds is in the merge
        // unless the other side deleted it, or erased its incident.
        let conn = open_keyed(&s.path("ab.db"));
        let victims = |db: &str| -> BTreeSet<(String, String)> {
            let c = open_keyed(&s.path(db));
            let mut stmt = c
                .prepare("SELECT v.uid, i.uid FROM victim v JOIN incident i ON i.id = v.incident_id")
                .expect("prepare");
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("query");
            rows.collect::<Result<_, _>>().expect("uids")
        };
        let incidents = |db: &str| -> BTreeSet<String> {
            let c = open_keyed(&s.path(db));
            let mut stmt = c.prepare("SELECT uid FROM incident").expect("prepare");
            let rows = stmt.query_map([], |r| r.get(0)).expect("query");
            rows.collect::<Result<_, _>>().expect("uids")
        };
        let (in_a, in_b, base) = (victims("a.db"), victims("b.db"), victims("registry.db"));
        let (inc_a, inc_b) = (incidents("a.db"), incidents("b.db"));
        for (uid, incident) in in_a.iter().chain(&in_b) {
            let here: bool = conn
                .query_row("SELECT EXISTS (SELECT 1 FROM victim WHERE uid = ?)", [uid], |r| r.get(0))
                .expect("exists");
            let pair = (uid.clone(), incident.clone());
            let deleted_by_other = base.contains(&pair) && !(in_a.contains(&pair) && in_b.contains(&pair));
            let erased_by_other = !(inc_a.contains(incident) && inc_b.contains(incident))
                && base.iter().any(|(_, i)| i == incident);
            prop_assert!(here || deleted_by_other || erased_by_other, "victim {} lost", uid);
        }
        for db in ["ab.db", "ba.db"] {
            let check = run_as(&s, db, "coord", 22, &["check"]);
            prop_assert_eq!(check.code, 0, "{}: {}", db, check.stderr);
        }
    }
}

#[test]
fn importing_a_full_export_renumbers_a_ref_taken_here() {
    let s = Sandbox::new();
    base(&s);
    // Another documenter's registry, exported whole.
    ok_as(&s, "registry.db", "coord", 2, &["backup", "other.db"]);
    ok_as(
        &s,
        "other.db",
        "other",
        3,
        &[
            "add",
            "--date",
            "2021-09-03",
            "--country",
            "AF",
            "--victim",
            "Elsewhere",
            "--act",
            "threatened",
        ],
    );
    ok_as(
        &s,
        "registry.db",
        "coord",
        3,
        &[
            "add",
            "--date",
            "2021-09-04",
            "--country",
            "AF",
            "--victim",
            "Here",
            "--act",
            "wounded",
        ],
    );
    ok_as(
        &s,
        "other.db",
        "other",
        3,
        &[
            "export",
            "--profile",
            "full",
            "--format",
            "jsonl",
            "-o",
            "other.jsonl",
        ],
    );
    let (_, said) = ok_as(
        &s,
        "registry.db",
        "coord",
        4,
        &["import", "other.jsonl", "--on-conflict", "skip"],
    );
    assert_eq!(
        said,
        "imported 1 of 5 incidents (1 added, 0 updated, 0 unchanged, 4 skipped)
renumbered: AF-2021-0005 in the file is AF-2021-0006 here (AF-2021-0005 was taken; show and history accept the old ref when no incident here has it)
"
    );
    let r = run_as(&s, "registry.db", "coord", 4, &["show", "AF-2021-0005"]);
    assert_eq!(
        r.stderr,
        "pressreg: AF-2021-0005 was also the ref of AF-2021-0006 in a registry merged in (renumbered here)\n"
    );
    // The same file again: matched by uid, nothing renumbered twice.
    let (_, said) = ok_as(
        &s,
        "registry.db",
        "coord",
        5,
        &["import", "other.jsonl", "--on-conflict", "skip"],
    );
    assert_eq!(
        said,
        "imported 0 of 5 incidents (0 added, 0 updated, 0 unchanged, 5 skipped)\n"
    );
}

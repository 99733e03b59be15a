//! `pressreg delete --purge`: erasure for good (SECURITY.md R20). The text
//! leaves the tables, the revision log's values, the file and its WAL; the
//! log keeps that an erasure happened, by whom and why, and still verifies.

use crate::fixtures::TOOFAN;
use crate::Sandbox;

/// The canary every erased value carries (long enough never to occur by
/// chance in a page of binary data).
const CANARY: &str = "zqxcanary";

/// Whether the registry file or its WAL holds the canary, in any case.
fn canary_on_disk(s: &Sandbox) -> Vec<String> {
    let mut found = Vec::new();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut path = s.db().as_os_str().to_owned();
        path.push(suffix);
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let lower = bytes.to_ascii_lowercase();
        if lower.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()) {
            found.push(format!("registry.db{suffix}"));
        }
    }
    found
}

/// AF-2021-0001 (Toofan Omar) to keep, and AF-2021-0002 whose victim name,
/// source URL, confidential source note and private notes carry the
/// canary.
fn registry_with_canary() -> Sandbox {
    fill_with_canary(Sandbox::new(), "")
}

/// What every write to a plaintext registry adds on stderr.
const PLAINTEXT_NOTE: &str = "pressreg: note: this registry is not encrypted (made with 'init \
                              --plaintext'): keep only public data in it\n";

/// The same registry in plaintext: only there can a scan of the file's
/// bytes see whether the purge rewrote them (an encrypted file never shows
/// the canary, purged or not).
fn plaintext_registry_with_canary() -> Sandbox {
    let s = Sandbox::empty_plaintext();
    let r = s.run(&["init", "--plaintext"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    fill_with_canary(s, PLAINTEXT_NOTE)
}

/// Adds the two incidents to `s`, whose writes print `note` on stderr.
fn fill_with_canary(s: Sandbox, note: &str) -> Sandbox {
    let ok = |args: &[&str]| {
        let r = s.run(args);
        assert_eq!((r.code, r.stderr.as_str()), (0, note), "{args:?}");
    };
    ok(TOOFAN);
    ok(&[
        "add",
        "--date",
        "2021-09-01",
        "--country",
        "AF",
        "--victim",
        "Zqxcanary Witness",
        "--act",
        "threatened",
        "--source-url",
        "https://a.example/zqxcanary",
    ]);
    ok(&[
        "source",
        "add",
        "AF-2021-0002",
        "--url",
        "https://b.example/interview",
        "--type",
        "interview",
        "--confidential",
        "--note",
        "zqxcanary phone +93 700 000 000",
    ]);
    ok(&[
        "edit",
        "AF-2021-0002",
        "--set",
        "private_notes=met the zqxcanary family",
        "--reason",
        "notes",
    ]);
    s
}

/// R20: after a purge no canary is left in the database or its WAL, the
/// revision log records the erasure without it, and `check` passes.
#[test]
fn purge_leaves_no_trace_of_the_text_on_disk() {
    let s = plaintext_registry_with_canary();
    assert_eq!(
        canary_on_disk(&s),
        ["registry.db"],
        "the test needs a canary to look for"
    );
    // Another connection stays open meanwhile (a second pressreg, a
    // backup tool): the purge's own close then does not fold the WAL into
    // the file, so only its explicit checkpoints and VACUUM can.
    let watcher = s.conn();
    let _: i64 = watcher
        .query_row("SELECT count(*) FROM incident", [], |r| r.get(0))
        .expect("read");
    let r = s.run(&[
        "delete",
        "AF-2021-0002",
        "--purge",
        "--reason",
        "the witness asked to be erased",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr),
        (
            0,
            "",
            PLAINTEXT_NOTE.to_string()
                + "pressreg: erased AF-2021-0002 for good: the incident, 1 victim, 1 act, 2 \
                   sources, 0 claims and the values of 6 revisions (the revision log keeps that \
                   it was erased, by whom and why)\n"
        )
    );
    assert_eq!(canary_on_disk(&s), Vec::<String>::new());
    drop(watcher);
    assert_eq!(canary_on_disk(&s), Vec::<String>::new());

    let conn = s.conn();
    let audit: Vec<(String, String, String, String)> = conn
        .prepare("SELECT by, entity, action, reason FROM revision WHERE action = 'purge'")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(
        audit,
        [(
            "tester".to_string(),
            "incident".to_string(),
            "purge".to_string(),
            "the witness asked to be erased".to_string()
        )]
    );
    let left: i64 = conn
        .query_row(
            "SELECT count(*) FROM revision WHERE incident_id = 2 AND action <> 'purge' \
             AND (old IS NOT NULL OR new IS NOT NULL)",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(left, 0);
    drop(conn);

    assert_eq!(
        s.ok(&["check"]),
        format!(
            "integrity:    ok\nforeign keys: ok\nrevision log: ok (14 revisions, hash chain intact)\n\
             replay:       ok (every table matches the revision log)\nunits:        ok (the counting units match a recount)\nhead:         {}\n\
             seal:         none (not encrypted: keep the head line apart from the file)\nincidents:    1 (0 deleted)\nvictims:      1\nacts:         1\nactors:       1\n\
             sources:      1\nclaims:       0\nrevisions:    14\n",
            crate::check::head_of(s.db())
        )
    );
    assert_eq!(s.ok(&["list", "--format", "csv"]).lines().count(), 2);
    // The past is rebuilt without the erased incident.
    let r = s.run(&["summary", "--as-of", "2021-12-31", "--format", "csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.to_ascii_lowercase().contains(CANARY));
    // Every command that names the ref says it was erased, when, by whom
    // and why.
    for args in [
        &["history", "AF-2021-0002"][..],
        &["delete", "AF-2021-0002", "--purge", "--reason", "again"],
    ] {
        assert_eq!(
            s.fails(args, 1),
            "pressreg: 'AF-2021-0002' was erased for good at 2021-12-31T12:00:00Z by tester: the \
             witness asked to be erased\n",
            "{args:?}"
        );
    }
}

/// A purge that cannot run says why and writes nothing.
#[test]
fn purge_errors_write_nothing() {
    let s = registry_with_canary();
    s.ok(&[
        "edit",
        "AF-2021-0002",
        "--set",
        "duplicate_of=AF-2021-0001",
        "--reason",
        "same killing",
    ]);
    let revisions = s.rows("revision");
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["delete", "AF-2021-0042", "--purge", "--reason", "x"],
            1,
            "pressreg: no incident 'AF-2021-0042' in the registry: did you mean 'AF-2021-0002'? ('pressreg list' shows every ref)\n",
        ),
        (
            &["delete", "AF-2021-0002", "--purge"],
            2,
            "pressreg: the following required arguments were not provided: --reason <TEXT> \
             (Usage: pressreg delete --reason <TEXT> --purge <REF>)\n",
        ),
        (
            &["delete", "AF-2021-0002", "--purge", "--reason", "  "],
            1,
            "pressreg: --reason is empty (say why the incident is deleted; it is kept in the \
             revision log)\n",
        ),
        (
            &["delete", "AF-2021-0001", "--purge", "--reason", "x"],
            1,
            "pressreg: 'AF-2021-0001' cannot be purged while AF-2021-0002 is marked as its \
             duplicate\n",
        ),
    ];
    for (args, code, stderr) in cases {
        assert_eq!(s.fails(args, *code), *stderr, "{args:?}");
    }
    assert_eq!(s.rows("revision"), revisions);
    assert_eq!(s.rows("incident"), 2);
}

/// AF-2021-0001 (Toofan Omar, public) with a second victim at internal
/// level, a confidential source and private notes that carry the canary,
/// and AF-2021-0002, a restricted incident whose victim is the canary.
fn registry_for_the_field() -> Sandbox {
    let s = Sandbox::new();
    s.ok(TOOFAN);
    s.ok(&[
        "victim",
        "add",
        "AF-2021-0001",
        "--name",
        "Zqxcanary Colleague",
        "--act",
        "wounded",
    ]);
    s.ok(&[
        "edit",
        "AF-2021-0001",
        "--set",
        "victim.2.confidentiality=internal",
        "--set",
        "private_notes=zqxcanary: the driver's brother",
        "--reason",
        "levels",
    ]);
    s.ok(&[
        "source",
        "add",
        "AF-2021-0001",
        "--url",
        "https://b.example/zqxcanary",
        "--type",
        "interview",
        "--confidential",
        "--note",
        "zqxcanary phone +93 700 000 000",
    ]);
    s.ok(&[
        "add",
        "--date",
        "2021-09-01",
        "--country",
        "AF",
        "--victim",
        "Zqxcanary Restricted",
        "--act",
        "threatened",
        "--confidentiality",
        "restricted",
    ]);
    s
}

/// R24: a partner field copy holds no restricted or internal record, no
/// confidential source and no private note, in its tables, its revision
/// log or its bytes; its own log records the copy and verifies.
#[test]
fn partner_field_copy_leaves_the_secrets_home() {
    let s = registry_for_the_field();
    let r = s.run(&["backup", "field.db", "--profile", "partner"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "",
            "pressreg: wrote the partner field copy 'field.db' (verified): 1 incidents kept; left \
             out 1 incidents, 1 victims and 1 confidential sources above that level, and every \
             private note; its revision log starts afresh with what it holds\n"
        )
    );
    let copy = s.path("field.db");
    let bytes = std::fs::read(&copy).expect("read").to_ascii_lowercase();
    assert!(
        !bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()),
        "the field copy holds the canary"
    );
    assert!(!s.path("field.db-wal").exists());
    let r = crate::backup::check(&copy);
    assert_eq!(
        (r.code, r.stdout, r.stderr.as_str()),
        (
            0,
            format!(
                "integrity:    ok\nforeign keys: ok\nrevision log: ok (23 revisions, hash chain \
                 intact)\nreplay:       ok (every table matches the revision log)\nunits:        ok (the counting units match a recount)\nhead:         \
                 {}\nseal:         ok (the head is sealed with the registry's key)\nincidents:    1 (0 deleted)\nvictims:      1\nacts:         1\nactors:       \
                 1\nsources:      1\nclaims:       0\nrevisions:    23\n",
                crate::check::head_of(&copy)
            ),
            ""
        )
    );
    let conn = crate::open_keyed(&copy);
    let audit: (String, String, String) = conn
        .query_row(
            "SELECT by, action, reason FROM revision WHERE action = 'copy'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("the copy is in the log");
    assert_eq!(
        audit,
        (
            "tester".to_string(),
            "copy".to_string(),
            "field copy (partner profile)".to_string()
        )
    );
    // The registry itself is unchanged, canary and all.
    assert_eq!(s.rows("incident"), 2);
    assert_eq!(s.rows("source"), 2);
}

/// A field copy is refused like a backup over an existing file, and a
/// public copy is an export, not a registry.
#[test]
fn field_copy_errors_make_nothing() {
    let s = registry_for_the_field();
    s.write("field.db", "keep me");
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["backup", "field.db", "--profile", "partner"],
            1,
            "pressreg: 'field.db' already exists: a backup is never written over a file (choose \
             a new name)\n",
        ),
        (
            &["backup", "public.db", "--profile", "public"],
            1,
            "pressreg: invalid value 'public' for --profile (accepted: full, internal, partner)\n",
        ),
    ];
    for (args, code, stderr) in cases {
        assert_eq!(s.fails(args, *code), *stderr, "{args:?}");
    }
    assert_eq!(std::fs::read(s.path("field.db")).expect("read"), b"keep me");
    assert!(!s.path("public.db").exists());
}

/// A purge whose file cannot be rewritten at once (another connection
/// reads an old snapshot) says what is done and what is not; the next
/// purge rewrites the file.
#[test]
fn purge_says_when_the_file_could_not_be_rewritten() {
    let s = registry_with_canary();
    let reader = s.conn();
    reader.execute_batch("BEGIN").expect("begin");
    let _: i64 = reader
        .query_row("SELECT count(*) FROM incident", [], |r| r.get(0))
        .expect("read");
    assert_eq!(
        s.fails(
            &["delete", "AF-2021-0002", "--purge", "--reason", "asked"],
            1
        ),
        "pressreg: erased AF-2021-0002 from the tables and the revision log, but another \
         pressreg is reading the registry, so erased text may remain in its WAL file until the \
         next purge or field copy\n"
    );
    reader.execute_batch("COMMIT").expect("commit");
    assert_eq!(s.rows("incident"), 1);
    assert_eq!(
        s.run(&["delete", "AF-2021-0001", "--purge", "--reason", "both"])
            .code,
        0
    );
    drop(reader);
    assert_eq!(canary_on_disk(&s), Vec::<String>::new());
}

/// An internal field copy keeps partner and internal records and source
/// notes, and leaves out restricted ones, confidential sources and
/// private notes.
#[test]
fn internal_field_copy_keeps_internal_records() {
    let s = registry_for_the_field();
    s.ok(&[
        "source",
        "add",
        "AF-2021-0001",
        "--url",
        "https://c.example/report",
        "--note",
        "called back on Monday",
    ]);
    let r = s.run(&["backup", "office.db", "--profile", "internal"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            "pressreg: wrote the internal field copy 'office.db' (verified): 1 incidents kept; \
             left out 1 incidents, 0 victims and 1 confidential sources above that level, and \
             every private note; its revision log starts afresh with what it holds\n"
        )
    );
    let conn = crate::open_keyed(&s.path("office.db"));
    let victims: i64 = conn
        .query_row("SELECT count(*) FROM victim", [], |r| r.get(0))
        .expect("count");
    let notes: Vec<String> = conn
        .prepare("SELECT note FROM source ORDER BY id")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    let private: String = conn
        .query_row("SELECT private_notes FROM incident", [], |r| r.get(0))
        .expect("notes");
    assert_eq!(victims, 2);
    assert_eq!(notes, ["", "called back on Monday"]);
    assert_eq!(private, "");
}

/// A field copy of a registry with an earlier purge: both erasures vouch
/// for their rows, so the copy's chain verifies, and its past rebuilds
/// from its own log.
#[test]
fn field_copy_after_a_purge_verifies_and_rebuilds() {
    let s = registry_with_canary();
    assert_eq!(
        s.run(&["delete", "AF-2021-0002", "--purge", "--reason", "asked"])
            .code,
        0
    );
    assert_eq!(
        s.run(&["backup", "field.db", "--profile", "partner"]).code,
        0
    );
    let copy = s.path("field.db");
    let r = crate::backup::check(&copy);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{}", r.stdout);
    let past = crate::backup::on(
        &copy,
        &["summary", "--as-of", "2021-12-31", "--format", "csv"],
    );
    let now = crate::backup::on(&copy, &["summary", "--format", "csv"]);
    assert_eq!(past.code, 0, "{}", past.stderr);
    let body = |out: &str| {
        out.lines()
            .skip_while(|l| !l.starts_with("year"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(body(&past.stdout), body(&now.stdout));
    assert!(!body(&now.stdout).is_empty(), "{}", now.stdout);
}

//! `pressreg merge-records KEEP DROP --reason TEXT` and its undoing by
//! `restore DROP`.

use crate::duplicates::sample_with_hemat_twice;
use crate::fixtures::revisions;
use crate::Sandbox;

/// `show` without its uid line (uids of added records are random).
fn show(s: &Sandbox, reference: &str) -> String {
    s.ok(&["show", reference])
        .lines()
        .filter(|l| !l.starts_with("uid:"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The first four lines of `check` (the rest names the head and counts).
fn check(s: &Sandbox) -> String {
    let out = s.ok(&["check"]);
    out.lines().take(4).map(|l| format!("{l}\n")).collect()
}

/// Runs a command that must succeed (it may note what it did).
#[track_caller]
fn done(s: &Sandbox, args: &[&str]) {
    let r = s.run(args);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
}

fn full_export(s: &Sandbox) -> String {
    s.ok(&["export", "--format", "jsonl", "--profile", "full"])
}

const MERGED: &str = "pressreg: merged AF-2021-0014 into AF-2021-0008: 1 victim already there \
     (Nimatullah Hemat = Nematullah Hemat), 0 victims moved, 0 acts moved, 1 act already there \
     (with 0 perpetrator links more), 1 source moved, 0 claims moved, 3 claims added for values \
     that disagree; AF-2021-0014 is marked duplicate of AF-2021-0008 (undo with 'pressreg \
     restore AF-2021-0014')\n";

#[test]
fn the_second_hemat_report_folds_into_the_first_and_restore_undoes_it_whole() {
    let s = sample_with_hemat_twice();
    let before = full_export(&s);
    let logged = revisions(&s).len();
    let r = s.run(&[
        "merge-records",
        "AF-2021-0008",
        "AF-2021-0014",
        "--reason",
        "same kidnapping, two wires",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "", MERGED)
    );
    assert_eq!(
        check(&s),
        format!(
            "integrity:    ok\nforeign keys: ok\nrevision log: ok ({} revisions, hash chain intact)\nreplay:       ok (every table matches the revision log)\n",
            logged + 7
        )
    );
    // DROP stays, marked, and points to KEEP; its victim and act stay
    // behind (KEEP has that person and that act).
    assert_eq!(
        show(&s, "AF-2021-0014"),
        "AF-2021-0014\n\
         date:              2021-08-09\n\
         place:             Nawa, Helmand, Afghanistan (AF)\n\
         context:           unknown\n\
         verification:      duplicate\n\
         work link:         unknown\n\
         justice:           no_information (impunity: complete)\n\
         confidentiality:   public\n\
         duplicate of:      AF-2021-0008\n\
         \n\
         victim 1: Nimatullah Hemat\n\
         \x20 sex:             male\n\
         \x20 category:        journalist\n\
         \x20 employment:      unknown\n\
         \x20 outlet:          Gharghasht TV\n\
         \x20 status:          unknown\n\
         \x20 confidentiality: public\n\
         \x20 act 1.1: kidnapped\n\
         \x20   perpetrator:   Taliban (armed_group on that date) — basis: official_accusation, confidence: possible\n\
         \n\
         created:           2021-12-31T12:00:00Z\n\
         updated:           2021-12-31T12:00:00Z\n"
    );
    // KEEP has the spelling, the source, and DROP's other values as claims.
    let kept = show(&s, "AF-2021-0008");
    assert!(
        kept.contains("  also written:    Niamatullah Hemat, Nimatullah Hemat\n"),
        "{kept}"
    );
    assert!(
        kept.contains("  3. news_report · https://www.khaama.com/journalist-taken-hostage · reliability unknown\n"),
        "{kept}"
    );
    let claims = &kept[kept.find("claims").expect("claims")..kept.find("\ncreated").expect("end")];
    assert_eq!(
        claims,
        "claims (! = the sources disagree):\n\
         \x20 admin2: Nawa per The Hans India [4] · Nawa per https://www.khaama.com/journalist-taken-hostage [6]\n\
         ! date_start: 2021-08-08 per bdnews24.com (Reuters) [1, accepted] · 2021-08-09 per The Hans India [2] · 2021-08-09 per https://www.khaama.com/journalist-taken-hostage [5]\n\
         \x20 locality: Lashkar Gah per bdnews24.com (Reuters) [3, accepted]\n\
         \x20 victim 1 outlet: Gharghasht TV per https://www.khaama.com/journalist-taken-hostage [7]\n"
    );
    // The duplicate is out of the duplicates it was in.
    assert_eq!(
        s.run(&["duplicates"]).stderr,
        "pressreg: no likely duplicates among 18 incidents\n"
    );
    // The log says what happened, with the reason, on both incidents.
    let merge_reason = "merge-records AF-2021-0014 into AF-2021-0008: same kidnapping, two wires";
    let revs = revisions(&s);
    let run: Vec<(&str, &str, Option<&str>)> = revs[logged..]
        .iter()
        .map(|(entity, action, field, _, _, reason)| {
            assert_eq!(reason, merge_reason);
            (entity.as_str(), action.as_str(), field.as_deref())
        })
        .collect();
    assert_eq!(
        run,
        [
            ("incident", "update", Some("duplicate_of")),
            ("victim", "update", Some("name_variants")),
            ("source", "update", Some("incident_id")),
            ("claim", "create", None),
            ("claim", "create", None),
            ("claim", "create", None),
            ("incident", "update", Some("verification")),
        ]
    );
    // The ref is not reused.
    assert_eq!(s.ok(crate::duplicates::HEMAT_AGAIN), "AF-2021-0015\n");
    assert_eq!(
        s.run(&["delete", "AF-2021-0015", "--purge", "--reason", "test"])
            .code,
        0
    );

    let r = s.run(&["restore", "AF-2021-0014"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "",
            "pressreg: restored AF-2021-0014: undid its merge into AF-2021-0008 (7 changes set back)\n"
        )
    );
    assert_eq!(full_export(&s), before);
    let after = revisions(&s);
    let undo: Vec<(&str, &str, Option<&str>, &str)> = after[after.len() - 7..]
        .iter()
        .map(|(entity, action, field, _, _, reason)| {
            (
                entity.as_str(),
                action.as_str(),
                field.as_deref(),
                reason.as_str(),
            )
        })
        .collect();
    let why = "restore: undo merge-records AF-2021-0014 into AF-2021-0008: restore";
    assert_eq!(
        undo,
        [
            ("incident", "update", Some("verification"), why),
            ("claim", "delete", None, why),
            ("claim", "delete", None, why),
            ("claim", "delete", None, why),
            ("source", "update", Some("incident_id"), why),
            ("victim", "update", Some("name_variants"), why),
            ("incident", "update", Some("duplicate_of"), why),
        ]
    );
    assert!(check(&s).ends_with("replay:       ok (every table matches the revision log)\n"));
    // And it can be merged again.
    let r = s.run(&[
        "merge-records",
        "AF-2021-0008",
        "AF-2021-0014",
        "--reason",
        "same kidnapping, two wires",
    ]);
    assert_eq!((r.code, r.stderr.as_str()), (0, MERGED));
}

/// The colleagues, and an unrelated threat the next day (AF-2021-0003).
fn colleagues_and_a_threat() -> Sandbox {
    let s = colleagues();
    s.ok(&[
        "add",
        "--date",
        "2021-08-09",
        "--country",
        "AF",
        "--victim",
        "Mina Khairi",
        "--act",
        "threatened",
    ]);
    s
}

/// Two reports of one attack on two colleagues, each naming one of them.
fn colleagues() -> Sandbox {
    let s = Sandbox::new();
    for (victim, url) in [
        ("Toofan Omar", "https://example.org/one"),
        ("Sayed Kazim", "https://example.org/two"),
    ] {
        s.ok(&[
            "add",
            "--date",
            "2021-08-08",
            "--country",
            "AF",
            "--admin1",
            "Kabul",
            "--victim",
            victim,
            "--act",
            "killed",
            "--actor",
            "Taliban",
            "--actor-type",
            "armed_group",
            "--source-url",
            url,
        ]);
    }
    s
}

#[test]
fn another_victim_moves_with_its_acts_and_comes_back_on_restore() {
    let s = colleagues();
    let before = full_export(&s);
    let r = s.run(&[
        "merge-records",
        "AF-2021-0001",
        "AF-2021-0002",
        "--reason",
        "one attack on two colleagues",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "",
            "pressreg: merged AF-2021-0002 into AF-2021-0001: 1 victim moved, 1 act moved, 1 \
             source moved, 0 claims moved, 0 claims added for values that disagree; \
             AF-2021-0002 is marked duplicate of AF-2021-0001 (undo with 'pressreg restore \
             AF-2021-0002')\n"
        )
    );
    assert_eq!(
        s.ok(&["list", "--format", "csv"]),
        "ref,date,place,victims,names,acts,perpetrators,verification\n\
         AF-2021-0001,2021-08-08,\"Kabul, AF\",2,Toofan Omar; Sayed Kazim,killed×2,Taliban (unknown),reported\n\
         AF-2021-0002,2021-08-08,\"Kabul, AF\",0,,,,duplicate\n"
    );
    assert!(check(&s).ends_with("replay:       ok (every table matches the revision log)\n"));
    assert_eq!(
        s.run(&["restore", "AF-2021-0002"]).stderr,
        "pressreg: restored AF-2021-0002: undid its merge into AF-2021-0001 (5 changes set back)\n"
    );
    assert_eq!(full_export(&s), before);
    assert!(check(&s).ends_with("replay:       ok (every table matches the revision log)\n"));
}

#[test]
fn refused_merges_say_why_and_write_nothing() {
    let s = colleagues_and_a_threat();
    done(
        &s,
        &[
            "merge-records",
            "AF-2021-0001",
            "AF-2021-0003",
            "--reason",
            "test",
        ],
    );
    s.ok(&[
        "add",
        "--date",
        "2021-08-10",
        "--country",
        "AF",
        "--victim",
        "Ziar Khan Yaad",
        "--act",
        "threatened",
    ]);
    done(&s, &["delete", "AF-2021-0004", "--reason", "test"]);
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &[
                "merge-records",
                "AF-2021-0001",
                "AF-2021-0001",
                "--reason",
                "x",
            ],
            1,
            "pressreg: KEEP and DROP are the same incident (AF-2021-0001): name two incidents\n",
        ),
        (
            &[
                "merge-records",
                "AF-2021-0001",
                "AF-2021-0099",
                "--reason",
                "x",
            ],
            1,
            "pressreg: no incident 'AF-2021-0099' in the registry (refs look like AF-2021-0001; 'pressreg list' shows every ref)\n",
        ),
        (
            &[
                "merge-records",
                "AF-2021-0002",
                "AF-2021-0003",
                "--reason",
                "x",
            ],
            1,
            "pressreg: 'AF-2021-0003' is already a duplicate of 'AF-2021-0001' ('pressreg \
             restore AF-2021-0003' undoes that merge)\n",
        ),
        (
            &[
                "merge-records",
                "AF-2021-0003",
                "AF-2021-0002",
                "--reason",
                "x",
            ],
            1,
            "pressreg: 'AF-2021-0003' is itself a duplicate of 'AF-2021-0001': keep \
             'AF-2021-0001' instead\n",
        ),
        (
            &[
                "merge-records",
                "AF-2021-0001",
                "AF-2021-0004",
                "--reason",
                "x",
            ],
            1,
            "pressreg: 'AF-2021-0004' is deleted: restore it first ('pressreg restore \
             AF-2021-0004')\n",
        ),
        (
            &[
                "merge-records",
                "AF-2021-0001",
                "AF-2021-0002",
                "--reason",
                " ",
            ],
            1,
            "pressreg: --reason is empty (say why the two are one incident; it is kept in the \
             revision log)\n",
        ),
    ];
    let logged = revisions(&s);
    for (args, code, stderr) in cases {
        assert_eq!(s.fails(args, *code), *stderr, "{args:?}");
        assert_eq!(revisions(&s), logged, "{args:?} wrote");
    }
    assert_eq!(
        s.fails(&["merge-records", "AF-2021-0001", "AF-2021-0002"], 2),
        "pressreg: the following required arguments were not provided: --reason <TEXT> (Usage: \
         pressreg merge-records --reason <TEXT> <KEEP> <DROP>)\n"
    );
    assert_eq!(revisions(&s), logged);
}

#[test]
fn restore_refuses_to_undo_a_merge_a_later_change_built_on() {
    let s = colleagues_and_a_threat();
    done(
        &s,
        &[
            "merge-records",
            "AF-2021-0001",
            "AF-2021-0002",
            "--reason",
            "one attack",
        ],
    );
    // The kept incident is folded in turn into a third.
    done(
        &s,
        &[
            "merge-records",
            "AF-2021-0003",
            "AF-2021-0001",
            "--reason",
            "one attack",
        ],
    );
    let logged = revisions(&s);
    let id: i64 = s
        .conn()
        .query_row(
            "SELECT id FROM source WHERE url = 'https://example.org/two'",
            [],
            |r| r.get(0),
        )
        .expect("the source");
    let err = s.fails(&["restore", "AF-2021-0002"], 1);
    let prefix = format!(
        "pressreg: cannot undo the merge: source #{id}'s incident_id was changed after it (revision "
    );
    assert!(err.starts_with(&prefix), "{err}");
    assert!(
        err.ends_with(" set it); undo the later change first\n"),
        "{err}"
    );
    assert_eq!(revisions(&s), logged);
    // Undoing the later merge first lets the earlier one be undone.
    done(&s, &["restore", "AF-2021-0001"]);
    done(&s, &["restore", "AF-2021-0002"]);
    assert!(check(&s).ends_with("replay:       ok (every table matches the revision log)\n"));
}

#[test]
fn restore_does_not_undo_a_duplicate_marked_by_edit() {
    let s = colleagues();
    done(
        &s,
        &[
            "edit",
            "AF-2021-0002",
            "--set",
            "duplicate_of=AF-2021-0001",
            "--reason",
            "same",
        ],
    );
    assert_eq!(
        s.fails(&["restore", "AF-2021-0002"], 1),
        "pressreg: 'AF-2021-0002' was marked a duplicate by import or edit, not by \
         merge-records, so there is no merge to undo (clear it with 'pressreg edit AF-2021-0002 \
         --set duplicate_of= --reason TEXT')\n"
    );
}

//! `summary --as-of`: the registry as it stood at the end of a past day,
//! rebuilt from the revision log, gives exactly the summary printed then.

use crate::Sandbox;

/// Runs `pressreg ARGS` with the clock at `now`; returns stdout (asserting
/// success).
#[track_caller]
fn at(s: &Sandbox, now: &str, args: &[&str]) -> String {
    let out = s
        .cmd(args)
        .env("PRESSREG_NOW", now)
        .output()
        .expect("run pressreg");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "pressreg {args:?}: {stderr}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

const CASES: &str = r#"{"date":"2021-08-08","country":"AF","admin1":"Kabul","victims":[{"name":"Toofan Omar","acts":[{"type":"killed","perpetrators":[{"actor":"Taliban","actor_type":"armed_group","basis":"official_accusation","confidence":"possible"}]}]}]}
{"date":"2021-08-08","country":"AF","admin1":"Helmand","victims":[{"name":"Nematullah Hemat","acts":[{"type":"kidnapped","perpetrators":[{"actor":"Taliban"}]}]}]}
{"date":"2021-03-02","country":"AF","admin1":"Nangarhar","victims":[{"name":"Mursal Wahidi","acts":[{"type":"killed"}]},{"name":"Sadia Sadat","acts":[{"type":"killed"}]}]}
"#;

#[test]
fn as_of_reproduces_a_summary_after_later_edits_and_deletes() {
    let s = Sandbox::new();
    s.write("cases.jsonl", CASES);
    let first_day = "2021-09-01T10:00:00Z";
    at(&s, first_day, &["add", "--file", "cases.jsonl"]);
    let summary = [
        "summary",
        "--year",
        "2021",
        "--by",
        "admin1,act",
        "--format",
        "csv",
    ];
    let then = at(&s, first_day, &summary);
    assert_eq!(
        then,
        "admin1,act,victims\nHelmand,kidnapped,1\nKabul,killed,1\nNangarhar,killed,2\ntotal,,4\n"
    );

    // Weeks later the record changes: a correction, a deletion, a new case.
    let later = "2021-10-15T09:30:00Z";
    at(
        &s,
        later,
        &[
            "edit",
            "AF-2021-0001",
            "--set",
            "admin1=Kabul city",
            "--reason",
            "fix",
        ],
    );
    at(
        &s,
        later,
        &["delete", "AF-2021-0002", "--reason", "entered twice"],
    );
    at(
        &s,
        later,
        &[
            "add",
            "--date",
            "2021-10-01",
            "--country",
            "AF",
            "--victim",
            "X",
            "--act",
            "wounded",
        ],
    );
    let now = at(&s, later, &summary);
    assert_ne!(now, then, "the later changes must show in today's summary");

    // Rebuilt from the revision log, the first day's summary comes back
    // exactly, and so does today's.
    let mut as_of = summary.to_vec();
    as_of.extend(["--as-of", "2021-09-01"]);
    assert_eq!(at(&s, later, &as_of), then);
    let mut as_of_today = summary.to_vec();
    as_of_today.extend(["--as-of", "2021-10-15"]);
    assert_eq!(at(&s, later, &as_of_today), now);
}

#[test]
fn as_of_heading_says_it_was_rebuilt() {
    let s = Sandbox::new();
    s.write("cases.jsonl", CASES);
    at(
        &s,
        "2021-09-01T10:00:00Z",
        &["add", "--file", "cases.jsonl"],
    );
    let out = at(
        &s,
        "2021-10-15T09:30:00Z",
        &["summary", "--year", "2021", "--as-of", "2021-09-01"],
    );
    assert!(
        out.contains("2021-09-01 (rebuilt from the revision log)"),
        "{out}"
    );
}

/// See: issue 9. Two imports on one day: a moment between them gives the
/// summary as it stood after the first, and the heading names the moment.
#[test]
fn as_of_a_moment_tells_two_imports_on_one_day_apart() {
    let s = Sandbox::new();
    let (first, second) = CASES.split_at(CASES.find("\n{").expect("two lines") + 1);
    s.write("first.jsonl", first);
    s.write("second.jsonl", second);
    at(&s, "2021-09-01T10:00:00Z", &["import", "first.jsonl"]);
    at(&s, "2021-09-01T15:00:00Z", &["import", "second.jsonl"]);
    let summary = |as_of: &str| {
        at(
            &s,
            "2021-09-02T08:00:00Z",
            &["summary", "--year", "2021", "--by", "act", "--as-of", as_of],
        )
    };
    assert_eq!(
        summary("2021-09-01T12:00:00Z"),
        "\
Profile victims: each victim once per act type per year (a victim killed and wounded counts under both).
Records: acts dated 2021; all countries; verification other than rejected, duplicate or out_of_scope; deleted incidents left out.
As of 2021-09-01T12:00:00Z (rebuilt from the revision log).

ACT     VICTIMS
killed        1  ████████████████████
total         1
"
    );
    // The end of the day has both imports.
    assert_eq!(
        summary("2021-09-01"),
        "\
Profile victims: each victim once per act type per year (a victim killed and wounded counts under both).
Records: acts dated 2021; all countries; verification other than rejected, duplicate or out_of_scope; deleted incidents left out.
As of 2021-09-01 (rebuilt from the revision log).

ACT        VICTIMS
killed           3  ████████████████████
kidnapped        1  ██████▋
total            4
"
    );
}

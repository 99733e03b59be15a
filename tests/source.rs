//! `pressreg source add` (retracting and editing a source: tests/claim.rs,
//! where sources and the claims they make settle together).

use crate::fixtures::{attached_incident as incident, show_json};
use crate::Sandbox;

#[test]
fn source_add_prints_the_source_number() {
    let s = Sandbox::new();
    incident(&s);
    assert_eq!(
        s.ok(&[
            "source",
            "add",
            "AF-2021-0001",
            "--url",
            "https://www.reuters.com/a",
            "--publisher",
            "Reuters",
            "--type",
            "wire_report",
            "--title",
            "Journalist killed",
            "--published-on",
            "2021-08-09",
            "--accessed-on",
            "2021-08-10",
            "--language",
            "en",
            "--reliability",
            "high",
        ]),
        "1\n"
    );
    assert_eq!(
        s.ok(&[
            "source",
            "add",
            "AF-2021-0001",
            "--url",
            "tel:+93700000000",
            "--type",
            "interview",
            "--confidential",
            "--note",
            "colleague",
        ]),
        "2\n"
    );
    let rec = show_json(&s, "AF-2021-0001");
    let src = &rec["sources"];
    assert_eq!(src[0]["publisher"], "Reuters");
    assert_eq!(src[0]["type"], "wire_report");
    assert_eq!(src[0]["published_on"], "2021-08-09");
    assert_eq!(src[0]["accessed_on"], "2021-08-10");
    assert_eq!(src[0]["reliability"], "high");
    assert_eq!(src[1]["confidential"], true);
    assert_eq!(src[1]["note"], "colleague");
}

#[test]
fn each_attach_command_is_one_logged_change_that_updates_the_incident() {
    let s = Sandbox::new();
    incident(&s);
    let before = s.rows("revision");
    // A day later, so that updated_at changes.
    let out = s
        .cmd(&[
            "source",
            "add",
            "AF-2021-0001",
            "--url",
            "https://a.example/1",
        ])
        .env("PRESSREG_NOW", "2022-01-05T09:00:00Z")
        .output()
        .expect("run pressreg");
    assert_eq!(
        (
            out.status.code(),
            out.stdout.as_slice(),
            out.stderr.as_slice()
        ),
        (Some(0), &b"1\n"[..], &b""[..])
    );
    // The source's creation and the incident's updated_at.
    assert_eq!(s.rows("revision"), before + 2);
    assert_eq!(
        show_json(&s, "AF-2021-0001")["updated_at"],
        "2022-01-05T09:00:00Z"
    );
    let conn = s.conn();
    let (entity, field, by, reason): (String, String, String, String) = conn
        .query_row(
            "SELECT entity, field, by, reason FROM revision ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("last revision");
    assert_eq!(
        (
            entity.as_str(),
            field.as_str(),
            by.as_str(),
            reason.as_str()
        ),
        ("incident", "updated_at", "tester", "source add")
    );
}

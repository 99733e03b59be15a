//! `pressreg letter`: the cases as sentences, public records only.
// See: issue "Counting and reporting" (DESIGN §5, §6).

use crate::Sandbox;

/// Ten incidents covering every wording branch the letter has, with
/// markers in everything that must never appear: private notes, a
/// confidential source and its claim, an anonymous victim's name and
/// outlet, partner/internal/restricted incidents, a restricted victim in a
/// public incident, a public incident whose only victim is not public, and
/// a rejected report.
const CASES: &str = r#"{"country":"AF","date":"2021-08-08","admin1":"Kabul","admin2":"Deh Sabz","verification":"corroborated","private_notes":"PRIVATE-NOTE-MARKER","victims":[{"name":"Toofan Omar","category":"media_manager","outlet":"Paktia Ghag Radio","private_notes":"VICTIM-NOTE-MARKER","acts":[{"type":"killed","method":"shooting","death_context":"targeted","perpetrators":[{"actor":"Taliban","actor_type":"armed_group","basis":"official_accusation","confidence":"possible"}]}]}],"sources":[{"url":"https://example.org/a","publisher":"bdnews24"},{"url":"","publisher":"CONFIDENTIAL-SOURCE-MARKER","type":"interview","confidential":true}],"claims":[{"source":"2","field":"date","value":"CLAIM-MARKER"}]}
{"country":"AF","date":"2021-03-02","locality":"Jalalabad","admin1":"Nangarhar","verification":"verified","victims":[{"name":"Mursal Wahidi","category":"media_worker","outlet":"Enikass Radio & TV","acts":[{"type":"killed","method":"shooting","perpetrators":[{"actor":"Islamic State Khorasan","actor_type":"armed_group","basis":"claimed"},{"actor":"Taliban","basis":"official_accusation"},{"actor":"Taliban","basis":"denied"}]}]},{"name":"Sadia Sadat","category":"media_worker","outlet":"Enikass Radio & TV","acts":[{"type":"killed","method":"shooting"}]},{"name":"Shahnaz Roafi","category":"media_worker","outlet":"Enikass Radio & TV","acts":[{"type":"killed","method":"shooting"}]}]}
{"country":"AF","date":"2021-02-25/2021-02-26","date_as_reported":"the night of 25 February","admin1":"Kabul","verification":"reported","victims":[{"name":"Ali Reza","jobs":["reporter"],"outlet":"Tolo News","acts":[{"type":"killed","method":"explosive"}]},{"name":"ANONYMOUS-NAME-MARKER","anonymous":true,"status":"exiled","outlet":"ANONYMOUS-OUTLET-MARKER","acts":[{"type":"wounded","method":"explosive"}]}]}
{"country":"AF","date":"2021-05","locality":"Lashkar Gah","admin1":"Helmand","verification":"corroborated","victims":[{"name":"Hemat","category":"journalist","status":"released","acts":[{"type":"kidnapped","method":"abduction","perpetrators":[{"actor":"Taliban","basis":"arrest"}]}]}],"sources":[{"url":"https://example.org/r","publisher":"Reuters"},{"url":"https://example.org/ap","publisher":"AP"}],"claims":[{"source":"1","field":"date","value":"2021-05-09","accepted":true},{"source":"2","field":"date","value":"2021-05-10"},{"source":"2","field":"admin2","value":"Nawa"}]}
{"country":"PK","date":"2021?","admin1":"Sindh","verification":"corroborated","victims":[{"name":"Ayesha Khan","jobs":["editor","reporter"],"outlet":"Dawn","status":"held","acts":[{"type":"detained","method":"legal_process","perpetrators":[{"actor":"Sindh police","actor_type":"state_police","basis":"acknowledged"}]}]}]}
{"country":"AF","date":"2021-06-01","confidentiality":"partner","victims":[{"name":"PARTNER-MARKER","acts":[{"type":"killed"}]}]}
{"country":"AF","date":"2021-06-02","confidentiality":"internal","victims":[{"name":"INTERNAL-MARKER","acts":[{"type":"killed"}]}]}
{"country":"AF","date":"2021-06-03","confidentiality":"restricted","victims":[{"name":"RESTRICTED-MARKER","acts":[{"type":"killed"}]}]}
{"country":"AF","date":"2021-06-04","verification":"rejected","victims":[{"name":"REJECTED-MARKER","acts":[{"type":"killed"}]}]}
{"country":"AF","date":"2021-07-01","victims":[{"name":"ONLY-VICTIM-NOT-PUBLIC-MARKER","confidentiality":"internal","acts":[{"type":"killed"}]}]}
{"country":"US","date":"2021-01-06?","locality":"Washington","verification":"verified","victims":[{"name":"Sam Lee","jobs":["photographer"],"outlet":"AP","acts":[{"type":"assaulted","method":"beating","perpetrators":[{"actor":"John Doe","actor_type":"private_individual","basis":"court_finding"},{"actor":"rioters","actor_type":"mob","basis":"accused_by_victim"}]},{"type":"equipment_seized"}]},{"name":"","category":"media_worker","outlet":"AP","acts":[{"type":"threatened","method":"online"}]},{"name":"RESTRICTED-VICTIM-MARKER","confidentiality":"restricted","acts":[{"type":"killed"}]}]}"#;

fn registry() -> Sandbox {
    let s = Sandbox::new();
    let file = s.write("cases.jsonl", CASES);
    s.ok(&["add", "--file", file.to_str().unwrap()]);
    s
}

const FOOTNOTE: &str = "Counting: each journalist or media worker in the cases above is counted \
once under each harm done to them (someone abducted and later killed counts as abducted and as \
killed), so the figures can add up to more than the number of people; media outlets are not \
counted as people; only records marked public are included.";

#[test]
fn letter_words_every_public_case() {
    let s = registry();
    let expected = format!(
        "\
PK-2021-0001 — Around 2021, Ayesha Khan, a reporter at Dawn, was detained in Sindh province, Pakistan. Ayesha Khan remains in detention. The Sindh police acknowledged responsibility for the detention.

US-2021-0001 — Around 6 January 2021, Sam Lee, a photographer at AP, was beaten and had their equipment seized in Washington, the United States. An unidentified media worker at AP was threatened online. A court found John Doe responsible; the victim blamed the rioters.

AF-2021-0003 — On the night of 25–26 February 2021, Ali Reza, a reporter at Tolo News, was killed in a bomb attack in Kabul province, Afghanistan (single source, not yet corroborated). A journalist who asked not to be named was wounded in a bomb attack. The journalist who asked not to be named has since gone into exile. The perpetrators have not been identified; no group claimed the killing.

AF-2021-0002 — On 2 March 2021, Mursal Wahidi, Sadia Sadat and Shahnaz Roafi, media workers at Enikass Radio & TV, were shot dead in Jalalabad, Nangarhar province, Afghanistan. The Islamic State Khorasan claimed responsibility for the killings; officials suspected the Taliban; the Taliban denied involvement.

AF-2021-0004 — In May 2021, Hemat, a journalist, was abducted in Lashkar Gah, Helmand province, Afghanistan. Hemat was later released. Police arrested a suspect they said belonged to the Taliban; no group claimed the abduction. Reports differ on the date: Reuters reported 9 May 2021; AP reported 10 May 2021. Reports differ on the district: AP reported Nawa.

AF-2021-0001 — On 8 August 2021, Toofan Omar, a media manager at Paktia Ghag Radio, was shot dead in Deh Sabz district, Kabul province, Afghanistan. Officials suspected the Taliban; no group claimed the killing.

In total, the registry records 5 journalists and media workers killed, 1 wounded, 1 abducted, 1 detained and 2 targeted in other ways in these 6 cases.

{FOOTNOTE}
"
    );
    assert_eq!(s.ok(&["letter"]), expected);
}

#[test]
fn letter_in_markdown_puts_refs_in_bold() {
    let s = registry();
    let expected = format!(
        "\
**PK-2021-0001** — Around 2021, Ayesha Khan, a reporter at Dawn, was detained in Sindh province, Pakistan. Ayesha Khan remains in detention. The Sindh police acknowledged responsibility for the detention.

In total, the registry records 1 journalist or media worker detained in this case.

_{FOOTNOTE}_
"
    );
    assert_eq!(
        s.ok(&["letter", "--country", "PK", "--format", "md"]),
        expected
    );
}

#[test]
fn letter_as_csv_has_one_row_per_case() {
    let s = registry();
    assert_eq!(
        s.ok(&["letter", "--format", "csv", "--country", "AF", "--from", "2021-03"]),
        "\
ref,date,country,sentence
AF-2021-0002,2021-03-02,AF,\"On 2 March 2021, Mursal Wahidi, Sadia Sadat and Shahnaz Roafi, media workers at Enikass Radio & TV, were shot dead in Jalalabad, Nangarhar province, Afghanistan. The Islamic State Khorasan claimed responsibility for the killings; officials suspected the Taliban; the Taliban denied involvement.\"
AF-2021-0004,2021-05,AF,\"In May 2021, Hemat, a journalist, was abducted in Lashkar Gah, Helmand province, Afghanistan. Hemat was later released. Police arrested a suspect they said belonged to the Taliban; no group claimed the abduction. Reports differ on the date: Reuters reported 9 May 2021; AP reported 10 May 2021. Reports differ on the district: AP reported Nawa.\"
AF-2021-0001,2021-08-08,AF,\"On 8 August 2021, Toofan Omar, a media manager at Paktia Ghag Radio, was shot dead in Deh Sabz district, Kabul province, Afghanistan. Officials suspected the Taliban; no group claimed the killing.\"
"
    );
}

#[test]
fn letter_never_shows_what_is_not_public() {
    let s = registry();
    for format in ["txt", "md", "csv"] {
        let out = s.ok(&["letter", "--format", format]);
        assert!(!out.contains("MARKER"), "{format}:\n{out}");
    }
}

#[test]
fn letter_includes_a_rejected_report_only_when_asked_and_says_so() {
    let s = registry();
    assert_eq!(
        s.ok(&["letter", "--format", "csv", "--verification", "rejected"]),
        "\
ref,date,country,sentence
AF-2021-0008,2021-06-04,AF,\"On 4 June 2021, REJECTED-MARKER, a journalist, was killed in Afghanistan (rejected as a false report). The perpetrators have not been identified; no group claimed the killing.\"
"
    );
}

#[test]
fn letter_with_no_public_case_says_so_on_stderr() {
    let s = registry();
    let r = s.run(&["letter", "--country", "DE"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "",
            "pressreg: no public incident matches these filters\n"
        )
    );
    assert_eq!(
        s.ok(&["letter", "--country", "DE", "--format", "csv"]),
        "ref,date,country,sentence\n"
    );
}

#[test]
fn letter_refuses_an_unknown_format() {
    let s = registry();
    assert_eq!(
        s.fails(&["letter", "--format", "pdf"], 1),
        "pressreg: invalid value 'pdf' for --format (accepted: txt, md, csv)\n"
    );
}

#[test]
fn letter_marks_a_deleted_incident_it_was_asked_for() {
    let s = registry();
    // `delete` is another branch's work: soft-delete behind its back.
    s.conn()
        .execute(
            "UPDATE incident SET deleted_at = '2021-12-31T12:00:00Z' WHERE ref = 'PK-2021-0001'",
            [],
        )
        .unwrap();
    assert!(!s.ok(&["letter"]).contains("PK-2021-0001"));
    assert!(s
        .ok(&["letter", "--country", "PK", "--include-deleted"])
        .starts_with("PK-2021-0001 — Around 2021, Ayesha Khan, a reporter at Dawn, was detained in Sindh province, Pakistan (deleted from the registry)."));
}

//! `pressreg letter`: the cases as sentences with their sources, for an
//! audience (public by default), every clause traceable to the record.
// See: issue "Counting and reporting" (DESIGN §5, §6); issue 9 "Letters
// that say what is not recorded"; issue 8 (safety), the letter's part.

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

/// The footnote, for the records `covered`.
fn footnote(covered: &str) -> String {
    format!(
        "Counting: each journalist or media worker in the cases above is counted once under each \
         harm done to them (someone abducted and later killed counts as abducted and as killed), \
         so the figures can add up to more than the number of people; media outlets are not \
         counted as people; {covered}."
    )
}

const PUBLIC: &str = "only records marked public are included";

#[test]
fn letter_words_every_public_case() {
    let s = registry();
    let expected = format!(
        "\
PK-2021-0001 — Around 2021, Ayesha Khan, a reporter at Dawn, was detained in Sindh province, Pakistan. Ayesha Khan remains in detention. The Sindh police acknowledged responsibility for the detention.

US-2021-0001 — Around 6 January 2021, Sam Lee, a photographer at AP, was beaten and had their equipment seized in Washington, the United States. An unidentified media worker at AP was threatened online. A court found John Doe responsible; the victim blamed the rioters.

AF-2021-0003 — On the night of 25–26 February 2021, Ali Reza, a reporter at Tolo News, was killed in a bomb attack in Kabul province, Afghanistan (not yet corroborated). A journalist who asked not to be named was wounded in a bomb attack. The journalist who asked not to be named has since gone into exile.

AF-2021-0002 — On 2 March 2021, Mursal Wahidi, Sadia Sadat and Shahnaz Roafi, media workers at Enikass Radio & TV, were shot dead in Jalalabad, Nangarhar province, Afghanistan. The Islamic State Khorasan claimed responsibility for the killings; officials suspected the Taliban; the Taliban denied involvement.

AF-2021-0004 — In May 2021, Hemat, a journalist, was abducted in Lashkar Gah, Helmand province, Afghanistan. Hemat was later released. Police arrested a suspect they said belonged to the Taliban. Reports differ on the date: Reuters reported 9 May 2021; AP reported 10 May 2021. Reports differ on the district: AP reported Nawa. Sources: Reuters; AP.

AF-2021-0001 — On 8 August 2021, Toofan Omar, a media manager at Paktia Ghag Radio, was shot dead in Deh Sabz district, Kabul province, Afghanistan. Officials suspected the Taliban. Source: bdnews24.

In total, the registry records 5 journalists and media workers killed, 1 wounded, 1 abducted, 1 detained and 2 targeted in other ways in these 6 cases.

{}
",
        footnote(PUBLIC)
    );
    assert_eq!(s.ok(&["letter"]), expected);
}

#[test]
fn letter_in_markdown_puts_refs_in_bold_and_links_sources() {
    let s = registry();
    let expected = format!(
        "\
**PK-2021-0001** — Around 2021, Ayesha Khan, a reporter at Dawn, was detained in Sindh province, Pakistan. Ayesha Khan remains in detention. The Sindh police acknowledged responsibility for the detention.

In total, the registry records 1 journalist or media worker detained in this case.

_{}_
",
        footnote(PUBLIC)
    );
    assert_eq!(
        s.ok(&["letter", "--country", "PK", "--format", "md"]),
        expected
    );
    assert_eq!(
        s.ok(&["letter", "--victim", "Hemat", "--format", "md"]),
        format!(
            "\
**AF-2021-0004** — In May 2021, Hemat, a journalist, was abducted in Lashkar Gah, Helmand province, Afghanistan. Hemat was later released. Police arrested a suspect they said belonged to the Taliban. Reports differ on the date: Reuters reported 9 May 2021; AP reported 10 May 2021. Reports differ on the district: AP reported Nawa. Sources: [Reuters](https://example.org/r); [AP](https://example.org/ap).

In total, the registry records 1 journalist or media worker abducted in this case.

_{}_
",
            footnote(PUBLIC)
        )
    );
}

#[test]
fn letter_as_csv_has_one_row_per_case_with_its_sources() {
    let s = registry();
    assert_eq!(
        s.ok(&["letter", "--format", "csv", "--country", "AF", "--from", "2021-03"]),
        "\
ref,date,country,sentence,sources
AF-2021-0002,2021-03-02,AF,\"On 2 March 2021, Mursal Wahidi, Sadia Sadat and Shahnaz Roafi, media workers at Enikass Radio & TV, were shot dead in Jalalabad, Nangarhar province, Afghanistan. The Islamic State Khorasan claimed responsibility for the killings; officials suspected the Taliban; the Taliban denied involvement.\",
AF-2021-0004,2021-05,AF,\"In May 2021, Hemat, a journalist, was abducted in Lashkar Gah, Helmand province, Afghanistan. Hemat was later released. Police arrested a suspect they said belonged to the Taliban. Reports differ on the date: Reuters reported 9 May 2021; AP reported 10 May 2021. Reports differ on the district: AP reported Nawa.\",\"Reuters, https://example.org/r; AP, https://example.org/ap\"
AF-2021-0001,2021-08-08,AF,\"On 8 August 2021, Toofan Omar, a media manager at Paktia Ghag Radio, was shot dead in Deh Sabz district, Kabul province, Afghanistan. Officials suspected the Taliban.\",\"bdnews24, https://example.org/a\"
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

/// The sample registry of `data/`, loaded as the README's quick start does.
fn sample() -> Sandbox {
    let s = Sandbox::new();
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/incidents.jsonl");
    let r = s.run(&["import", data.to_str().unwrap(), "--on-conflict", "skip"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "",
            "imported 18 incidents (18 added, 0 updated, 0 unchanged, 0 skipped)\n"
        )
    );
    s
}

const SAMPLE_AUGUST: &str = "\
AF-2021-0006 — On 6 August 2021, Dawa Khan Menapal, a government media official at Government Media and Information Centre, was shot dead in Kabul, Kabul province, Afghanistan. The Taliban claimed responsibility for the killing. Sources: DNA India; National Post (wire feed).

AF-2021-0007 — On 8 August 2021, Toofan Omar, an editor at Paktia Ghag Radio, and Sayed Kazim were shot dead in Deh Sabz district, Kabul province, Afghanistan. Officials suspected the Taliban. Sources: bdnews24.com (Reuters), 9 August 2021; The Killid Group (tkg.af), 9 August 2021; Committee to Protect Journalists (CPJ).

AF-2021-0008 — On 8 August 2021, Nematullah Hemat, a reporter at Gharghasht TV; head of Boost radio, was abducted from his home in Lashkar Gah, Helmand province, Afghanistan. Nematullah Hemat remains missing. Officials suspected the Taliban; colleagues blamed the Taliban. Reports differ on the date: bdnews24.com (Reuters) reported 8 August 2021; The Hans India reported 9 August 2021. Reports differ on the district: The Hans India reported Nawa. Sources: bdnews24.com (Reuters), 9 August 2021; The Hans India, 9 August 2021.

AF-2021-0009 — On 25 August 2021, Ziar Khan Yaad, a reporter at TOLOnews, and Baes Majidi, a camera operator at TOLOnews, were beaten and had their equipment seized at work in Kabul, Kabul province, Afghanistan. The victims blamed the Taliban. Sources: Hindustan Times, 26 August 2021; Kshvid; Social media posts and some news sites (not archived).

AF-2021-0010 — On 26 August 2021, Alireza Ahmadi, a journalist at Raha Press, was killed in a bomb attack in Kabul, Kabul province, Afghanistan (not yet corroborated). The Islamic State Khorasan Province claimed responsibility for the killing. Sources: Moskovskij Komsomolets (mk.ru), 27 August 2021; Afghanistan Journalists Center (AFJC), via Rukhshana Media.

In total, the registry records 4 journalists and media workers killed, 1 abducted and 2 targeted in other ways in these 5 cases.

";

/// Hemat was taken from his home (context `at_home`); two sources are
/// cited with their dates; nothing says no group claimed the abduction,
/// because nothing recorded says so.
#[test]
fn letter_on_the_sample_registry_says_what_is_recorded_and_cites_it() {
    let s = sample();
    assert_eq!(
        s.ok(&[
            "letter",
            "--country",
            "AF",
            "--from",
            "2021-08",
            "--to",
            "2021-08"
        ]),
        format!("{SAMPLE_AUGUST}{}\n", footnote(PUBLIC))
    );
}

/// The same report recorded twice is listed once. `claim add` refuses the
/// very claim the sample already holds (claim 2), but the source's date
/// may be recorded again as `date`, which a letter words as `date_start`.
#[test]
fn a_claim_recorded_twice_is_reported_once() {
    let s = sample();
    let claim = |field| {
        [
            "claim",
            "add",
            "AF-2021-0008",
            "--source",
            "2",
            "--field",
            field,
            "--value",
            "2021-08-09",
        ]
    };
    assert_eq!(
        s.fails(&claim("date_start"), 1),
        "pressreg: claim 2 of AF-2021-0008 already says that (source 2, date_start, '2021-08-09'): nothing added\n"
    );
    s.ok(&claim("date"));
    assert_eq!(
        s.ok(&["letter", "--victim", "Nematullah Hemat", "--format", "csv"]),
        "\
ref,date,country,sentence,sources
AF-2021-0008,2021-08-08,AF,\"On 8 August 2021, Nematullah Hemat, a reporter at Gharghasht TV; head of Boost radio, was abducted from his home in Lashkar Gah, Helmand province, Afghanistan. Nematullah Hemat remains missing. Officials suspected the Taliban; colleagues blamed the Taliban. Reports differ on the date: bdnews24.com (Reuters) reported 8 August 2021; The Hans India reported 9 August 2021. Reports differ on the district: The Hans India reported Nawa.\",\"bdnews24.com (Reuters), 9 August 2021, https://bdnews24.com/world/2021/08/09/taliban-kill-afghan-radio-station-manager-kidnap-journalist; The Hans India, 9 August 2021, https://thehansindia.com/amp/news/international/journalist-taken-hostage-by-taliban-in-helmand-province-700694\"
"
    );
}

/// A one-incident registry from `json`, worded as a CSV row.
fn worded(json: &str) -> String {
    worded_registry(json).ok(&["letter", "--format", "csv"])
}

/// A registry holding the one incident in `json`.
/// Each clause is traceable: a record without the field gets no clause, the
/// same record with it gets the clause, and nothing else changes.
#[test]
fn each_clause_appears_only_when_its_field_is_recorded() {
    const HEAD: &str = "ref,date,country,sentence,sources\nAF-2021-0001,2021-08-08,AF,";
    // (what is added to the bare record, the row the letter prints)
    let cases: &[(&str, &str, &str)] = &[
        ("", "", "\"On 8 August 2021, Ahmad Shah, a journalist, was abducted in Afghanistan.\","),
        (
            "",
            r#""sex":"male","#,
            "\"On 8 August 2021, Ahmad Shah, a journalist, was abducted in Afghanistan.\",",
        ),
        (
            r#""context":"at_home","#,
            "",
            "\"On 8 August 2021, Ahmad Shah, a journalist, was abducted from their home in Afghanistan.\",",
        ),
        (
            r#""context":"at_home","#,
            r#""sex":"male","#,
            "\"On 8 August 2021, Ahmad Shah, a journalist, was abducted from his home in Afghanistan.\",",
        ),
        (
            r#""context":"protest","#,
            "",
            "\"On 8 August 2021, Ahmad Shah, a journalist, was abducted at a protest in Afghanistan.\",",
        ),
        (
            r#""admin1":"Helmand","locality":"Lashkar Gah","#,
            "",
            "\"On 8 August 2021, Ahmad Shah, a journalist, was abducted in Lashkar Gah, Helmand province, Afghanistan.\",",
        ),
        (
            "",
            r#""jobs":["reporter"],"outlet":"Radio Nawa","#,
            "\"On 8 August 2021, Ahmad Shah, a reporter at Radio Nawa, was abducted in Afghanistan.\",",
        ),
        (
            "",
            r#""status":"released","#,
            "\"On 8 August 2021, Ahmad Shah, a journalist, was abducted in Afghanistan. Ahmad Shah was later released.\",",
        ),
        (
            r#""verification":"reported","#,
            "",
            "\"On 8 August 2021, Ahmad Shah, a journalist, was abducted in Afghanistan (not yet corroborated).\",",
        ),
        // Two sources, level still `reported`: the note follows the level,
        // the sources sentence the sources.
        (
            r#""verification":"reported","sources":[{"url":"https://example.org/r","publisher":"Reuters","published_on":"2021-08-09"},{"url":"https://example.org/k","publisher":"Khaama Press","published_on":"2021-08-10"}],"#,
            "",
            "\"On 8 August 2021, Ahmad Shah, a journalist, was abducted in Afghanistan (not yet corroborated).\",\"Reuters, 9 August 2021, https://example.org/r; Khaama Press, 10 August 2021, https://example.org/k\"",
        ),
        (
            r#""sources":[{"url":"https://example.org/r","publisher":"Reuters","published_on":"2021-08-09"},{"url":"","publisher":"Witness","confidential":true}],"#,
            "",
            "\"On 8 August 2021, Ahmad Shah, a journalist, was abducted in Afghanistan.\",\"Reuters, 9 August 2021, https://example.org/r\"",
        ),
        (
            r#""sources":[{"url":"https://example.org/r","publisher":"Reuters"},{"url":"https://example.org/k","publisher":"Khaama Press"}],"claims":[{"source":"1","field":"date","value":"2021-08-08","accepted":true},{"source":"2","field":"date","value":"2021-08-09"}],"#,
            "",
            "\"On 8 August 2021, Ahmad Shah, a journalist, was abducted in Afghanistan. Reports differ on the date: Reuters reported 8 August 2021; Khaama Press reported 9 August 2021.\",\"Reuters, https://example.org/r; Khaama Press, https://example.org/k\"",
        ),
    ];
    for (incident, victim, row) in cases {
        // Corroborated unless the case is about the verification level.
        let level = if incident.contains("verification") {
            ""
        } else {
            r#""verification":"corroborated","#
        };
        let json = format!(
            r#"{{"country":"AF","date":"2021-08-08",{level}{incident}"victims":[{{"name":"Ahmad Shah",{victim}"acts":[{{"type":"kidnapped"}}]}}]}}"#
        );
        assert_eq!(worded(&json), format!("{HEAD}{row}\n"), "{json}");
    }
}

/// Who did it is said only from the links recorded: no link, no sentence.
#[test]
fn perpetrators_are_spoken_of_only_as_recorded() {
    let cases: &[(&str, &str)] = &[
        ("", ""),
        (
            r#"{"actor":"Taliban","actor_type":"armed_group","basis":"claimed"}"#,
            " The Taliban claimed responsibility for the killing.",
        ),
        (
            r#"{"actor":"Taliban","actor_type":"armed_group","basis":"denied"}"#,
            " The Taliban denied involvement.",
        ),
        (
            r#"{"actor":"Unknown perpetrator","actor_type":"unknown","basis":"unknown"}"#,
            " The perpetrators have not been identified.",
        ),
    ];
    for (link, sentence) in cases {
        let json = format!(
            r#"{{"country":"AF","date":"2021-08-08","verification":"verified","victims":[{{"name":"Ahmad Shah","acts":[{{"type":"killed","perpetrators":[{link}]}}]}}]}}"#
        );
        assert_eq!(
            worded(&json),
            format!(
                "ref,date,country,sentence,sources\nAF-2021-0001,2021-08-08,AF,\"On 8 August \
                 2021, Ahmad Shah, a journalist, was killed in Afghanistan.{sentence}\",\n"
            ),
            "{json}"
        );
    }
}

/// Claims on fields a letter does not word (coordinates, notes, the
/// summary) never appear, whichever input path brought them and whichever
/// profile the letter is for.
#[test]
fn claims_on_fields_a_letter_does_not_word_never_appear() {
    let s = Sandbox::new();
    let file = s.write(
        "one.json",
        r#"{"country":"AF","date":"2021-08-08","verification":"verified","victims":[{"name":"Ahmad Shah","acts":[{"type":"killed"}]}],"sources":[{"url":"https://example.org/r","publisher":"Reuters"}],"claims":[{"source":"1","field":"latitude","value":"34.111111"},{"source":"1","field":"longitude","value":"69.222222"},{"source":"1","field":"private_notes","value":"NOTE-MARKER"},{"source":"1","field":"summary","value":"SUMMARY-MARKER"}]}"#,
    );
    s.ok(&["add", "--file", file.to_str().unwrap()]);
    for profile in ["public", "partner", "internal", "full"] {
        assert_eq!(
            s.ok(&["letter", "--format", "csv", "--profile", profile]),
            "ref,date,country,sentence,sources\nAF-2021-0001,2021-08-08,AF,\"On 8 August 2021, \
             Ahmad Shah, a journalist, was killed in Afghanistan.\",\"Reuters, \
             https://example.org/r\"\n",
            "{profile}"
        );
    }
}

/// --disputed finds a case only when the letter shows a dispute: not by a
/// confidential source's claim, nor by a claim on a field it does not word.
#[test]
fn disputed_matches_only_disagreements_the_letter_shows() {
    let s = worded_registry(
        r#"{"country":"AF","date":"2021-08-08","verification":"verified","victims":[{"name":"Ahmad Shah","acts":[{"type":"killed"}]}],"sources":[{"url":"https://example.org/r","publisher":"Reuters"},{"url":"","publisher":"Witness","confidential":true}],"claims":[{"source":"1","field":"latitude","value":"34.111111"},{"source":"2","field":"date","value":"2021-08-09"}]}"#,
    );
    let r = s.run(&["letter", "--disputed"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "",
            "pressreg: no public incident matches these filters\n"
        )
    );
    s.ok(&[
        "claim",
        "add",
        "AF-2021-0001",
        "--source",
        "1",
        "--field",
        "locality",
        "--value",
        "Kabul",
    ]);
    assert_eq!(
        s.ok(&["letter", "--disputed", "--format", "csv"]),
        "ref,date,country,sentence,sources\nAF-2021-0001,2021-08-08,AF,\"On 8 August 2021, \
         Ahmad Shah, a journalist, was killed in Afghanistan. Reports differ on the place: \
         Reuters reported Kabul.\",\"Reuters, https://example.org/r\"\n"
    );
}

/// Filters match what the letter shows only: a name, outlet, act or actor
/// that only a hidden victim has finds nothing, so a letter cannot confirm
/// which case a hidden name belongs to.
#[test]
fn filters_match_only_what_the_letter_shows() {
    let s = registry();
    let more = s.write(
        "more.json",
        r#"{"country":"AF","date":"2021-09-01","victims":[{"name":"Farid","acts":[{"type":"threatened"}]},{"name":"HIDDEN-MARKER","confidentiality":"internal","acts":[{"type":"killed","perpetrators":[{"actor":"Secret Militia","actor_type":"armed_group","basis":"witness"}]}]}]}"#,
    );
    s.ok(&["add", "--file", more.to_str().unwrap()]);
    for filter in [
        &["--victim", "ANONYMOUS-NAME"][..],
        &["--outlet", "ANONYMOUS-OUTLET"],
        &["--victim", "RESTRICTED-VICTIM"],
        &["--victim", "HIDDEN-MARKER"],
        &["--actor", "Secret Militia"],
        &[
            "--actor-type",
            "armed_group",
            "--country",
            "AF",
            "--from",
            "2021-09",
        ],
        &["--act", "killed", "--country", "US"],
    ] {
        let args: Vec<&str> = ["letter"].iter().chain(filter).copied().collect();
        let r = s.run(&args);
        assert_eq!(
            (r.code, r.stdout.as_str(), r.stderr.as_str()),
            (
                0,
                "",
                "pressreg: no public incident matches these filters\n"
            ),
            "{filter:?}"
        );
    }
    // The same filters on what the letter does show still find the case.
    assert_eq!(
        s.ok(&["letter", "--victim", "Farid"]),
        format!(
            "\
AF-2021-0010 — On 1 September 2021, Farid, a journalist, was threatened in Afghanistan (not yet corroborated).

In total, the registry records 1 journalist or media worker targeted in other ways in this case.

{}
",
            footnote(PUBLIC)
        )
    );
    // An audience that may see the victim finds the case by them.
    assert_eq!(
        s.ok(&["letter", "--actor", "Secret Militia", "--profile", "internal"]),
        format!(
            "\
AF-2021-0010 — On 1 September 2021, Farid, a journalist, was threatened in Afghanistan (not yet corroborated). HIDDEN-MARKER, a journalist, was killed. Witnesses identified the perpetrators as the Secret Militia.

In total, the registry records 1 journalist or media worker killed and 1 targeted in other ways in this case.

{}
",
            footnote("records marked restricted are left out")
        )
    );
}

/// `--profile` speaks for the audience `export` does, and says which
/// records it covers; an anonymous victim is never named, and a
/// confidential source never cited, even in a full letter.
#[test]
fn letter_for_partners_speaks_of_partner_records() {
    let s = registry();
    let expected = format!(
        "\
AF-2021-0005 — On 1 June 2021, PARTNER-MARKER, a journalist, was killed in Afghanistan (not yet corroborated).

In total, the registry records 1 journalist or media worker killed in this case.

{}
",
        footnote("only records marked public or partner are included")
    );
    assert_eq!(
        s.ok(&[
            "letter",
            "--profile",
            "partner",
            "--from",
            "2021-06",
            "--to",
            "2021-07"
        ]),
        expected
    );
    let full = s.ok(&["letter", "--profile", "full"]);
    assert!(full.contains("RESTRICTED-MARKER") && full.contains("ONLY-VICTIM-NOT-PUBLIC-MARKER"));
    for hidden in [
        "ANONYMOUS-NAME-MARKER",
        "ANONYMOUS-OUTLET-MARKER",
        "CONFIDENTIAL-SOURCE-MARKER",
        "CLAIM-MARKER",
        "PRIVATE-NOTE-MARKER",
        "VICTIM-NOTE-MARKER",
    ] {
        assert!(!full.contains(hidden), "{hidden}:\n{full}");
    }
    assert!(full.ends_with(&format!(
        "{}\n",
        footnote("records at every confidentiality level are included")
    )));
    let r = s.run(&["letter", "--profile", "internal", "--country", "DE"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "",
            "pressreg: no incident the internal profile shows matches these filters\n"
        )
    );
}

#[test]
fn letter_refuses_an_unknown_profile() {
    let s = registry();
    assert_eq!(
        s.fails(&["letter", "--profile", "everyone"], 1),
        "pressreg: invalid value 'everyone' for --profile (accepted: public, partner, internal, full)\n"
    );
}

/// A line break in a name (written behind the program's back: input
/// checks are another matter) does not start a new paragraph or row.
#[test]
fn names_with_line_breaks_stay_on_one_line() {
    let s = worded_registry(
        r#"{"country":"AF","date":"2021-08-08","verification":"verified","victims":[{"name":"Ahmad Shah","outlet":"Radio Nawa","acts":[{"type":"killed"}]}],"sources":[{"url":"https://example.org/r","publisher":"Reuters"}]}"#,
    );
    let conn = s.conn();
    conn.execute(
        "UPDATE victim SET name = 'Ahmad' || char(10) || 'Shah', outlet = 'Radio' || char(13, 10) || 'Nawa'",
        [],
    )
    .unwrap();
    conn.execute(
        "UPDATE source SET publisher = 'Reu' || char(10) || 'ters'",
        [],
    )
    .unwrap();
    assert_eq!(
        s.ok(&["letter"]),
        format!(
            "\
AF-2021-0001 — On 8 August 2021, Ahmad Shah, a journalist at Radio Nawa, was killed in Afghanistan. Source: Reu ters.

In total, the registry records 1 journalist or media worker killed in this case.

{}
",
            footnote(PUBLIC)
        )
    );
}

fn worded_registry(json: &str) -> Sandbox {
    let s = Sandbox::new();
    let file = s.write("one.json", json);
    s.ok(&["add", "--file", file.to_str().unwrap()]);
    s
}

#[test]
fn letter_includes_a_rejected_report_only_when_asked_and_says_so() {
    let s = registry();
    assert_eq!(
        s.ok(&["letter", "--format", "csv", "--verification", "rejected"]),
        "\
ref,date,country,sentence,sources
AF-2021-0008,2021-06-04,AF,\"On 4 June 2021, REJECTED-MARKER, a journalist, was killed in Afghanistan (rejected as a false report).\",
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
        "ref,date,country,sentence,sources\n"
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

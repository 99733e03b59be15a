//! `pressreg show`.

use crate::fixtures::{add_json, HEMAT, JALALABAD};
use crate::Sandbox;

#[test]
fn show_prints_a_readable_page_with_disagreements() {
    let s = Sandbox::new();
    assert_eq!(add_json(&s, "hemat.json", HEMAT), "AF-2021-0001");
    assert_eq!(s.ok(&["show", "AF-2021-0001"]), "\
AF-2021-0001  Nematullah Hemat abducted
date:              2021-08-08 — as reported: 'Sunday'
place:             Lashkar Gah, Helmand, Afghanistan (AF)
context:           unknown
verification:      corroborated
work link:         likely
justice:           no_investigation (impunity: complete)
confidentiality:   public
summary:           Gharghasht TV reporter abducted from his home.
                   Whereabouts unknown.

victim 1: Nematullah Hemat
  also written:    Niamatullah Hemat
  sex:             male
  age:             30
  nationality:     AF, local (derived)
  category:        journalist
  employment:      staff
  jobs:            reporter
  mediums:         television
  outlet:          Gharghasht TV
  status:          missing
  confidentiality: public
  act 1.1: kidnapped, method abduction
    perpetrator:   Taliban (armed_group on that date) — basis: official_accusation, confidence: likely

sources:
  1. wire_report · Reuters · https://bdnews24.com/x · published 2021-08-09 · reliability high
  2. news_report · Khaama Press · https://khaama.com/y · reliability medium
  3. interview · a colleague · reliability unknown (confidential)

claims (! = the sources disagree):
  admin2: Nawa per Khaama Press [4]
! date_start: 2021-08-08 per Reuters [1, accepted] · 2021-08-09 per Khaama Press [2]
  locality: Lashkar Gah per Reuters [3, accepted]

created:           2021-12-31T12:00:00Z
updated:           2021-12-31T12:00:00Z
uid:               22222222-2222-4222-8222-222222222222
");
}

#[test]
fn show_numbers_victims_and_acts_as_edit_addresses_them() {
    let s = Sandbox::new();
    assert_eq!(add_json(&s, "jalalabad.json", JALALABAD), "AF-2021-0001");
    assert_eq!(s.ok(&["show", "AF-2021-0001"]), "\
AF-2021-0001  Three Enikass media workers shot dead
date:              2021-03-02
place:             Jalalabad, Nangarhar, Afghanistan (AF)
context:           unknown
verification:      corroborated (but 1 independent publisher)
work link:         unknown
justice:           no_information (impunity: complete)
confidentiality:   public

victim 1: Mursal Wahidi
  sex:             female
  category:        media_worker
  employment:      unknown
  outlet:          Enikass Radio & TV
  status:          dead
  confidentiality: public
  act 1.1: killed (targeted), method shooting
    perpetrator:   Islamic State Khorasan (armed_group on that date) — basis: claimed, confidence: likely
    perpetrator:   Taliban (armed_group on that date) — basis: arrest, confidence: possible

victim 2: Sadia Sadat
  sex:             female
  category:        media_worker
  employment:      unknown
  status:          dead
  confidentiality: public
  act 2.1: killed
    perpetrator:   Islamic State Khorasan (armed_group on that date) — basis: claimed, confidence: likely

victim 3: Shahnaz Roafi
  sex:             female
  category:        media_worker
  employment:      unknown
  status:          dead
  confidentiality: public
  act 3.1: killed

victim 4: unnamed
  sex:             female
  category:        journalist
  employment:      unknown
  status:          wounded
  confidentiality: public
  act 4.1: wounded

sources:
  1. news_report · Al Arabiya · https://english.alarabiya.net/x · reliability medium

created:           2021-12-31T12:00:00Z
updated:           2021-12-31T12:00:00Z
uid:               11111111-1111-4111-8111-111111111111
");
}

#[test]
fn show_gives_the_actor_type_on_the_acts_date_and_the_reported_calendar() {
    let s = Sandbox::new();
    add_json(&s, "hemat.json", HEMAT);
    // 17 Sonbola 1400 is 8 September 2021: the Taliban were the de facto
    // authority by then.
    s.ok(&[
        "add",
        "--date",
        "1400-06-17?",
        "--calendar",
        "solar_hijri",
        "--country",
        "AF",
        "--admin1",
        "Kabul",
        "--locality",
        "Kart-e-Char",
        "--victim",
        "Taqi Daryabi",
        "--age",
        "22",
        "--act",
        "detained",
        "--actor",
        "taliban",
        "--basis",
        "accused_by_victim",
        "--confidence",
        "confirmed",
        "--context",
        "protest",
    ]);
    s.run(&["delete", "AF-2021-0002", "--reason", "entered twice"]);
    let page = s.ok(&["show", "AF-2021-0002"]);
    let head: Vec<&str> = page.lines().take(4).collect();
    assert_eq!(
        head,
        [
            "AF-2021-0002",
            "DELETED:           2021-12-31T12:00:00Z (entered twice)",
            "date:              2021-09-08? — as reported: '1400-06-17?' in the solar_hijri calendar",
            "place:             Kart-e-Char, Kabul, Afghanistan (AF)",
        ]
    );
    assert!(
        page.contains(
            "  act 1.1: detained\n    perpetrator:   Taliban (de_facto_authority on that date) — \
             basis: accused_by_victim, confidence: confirmed\n"
        ),
        "{page}"
    );
}

#[test]
fn show_json_is_the_nested_record() {
    let s = Sandbox::new();
    add_json(&s, "jalalabad.json", JALALABAD);
    let json: serde_json::Value =
        serde_json::from_str(&s.ok(&["show", "AF-2021-0001", "--format", "json"]))
            .expect("show --format json prints JSON");
    assert_eq!(json["ref"], "AF-2021-0001");
    assert_eq!(json["victims"].as_array().map(Vec::len), Some(4));
    assert_eq!(
        json["victims"][0]["acts"][0]["perpetrators"][1]["actor"],
        "Taliban"
    );
}

#[test]
fn show_of_an_unknown_ref_is_an_error() {
    let s = Sandbox::new();
    add_json(&s, "jalalabad.json", JALALABAD);
    assert_eq!(
        s.fails(&["show", "AF-2021-0099"], 1),
        "pressreg: no incident 'AF-2021-0099' in the registry (refs look like AF-2021-0001; 'pressreg list' shows every ref)\n"
    );
}

#[test]
fn show_escapes_control_and_bidi_characters_on_a_terminal() {
    let s = Sandbox::new();
    s.ok(&[
        "add",
        "--date",
        "2021-05-01",
        "--country",
        "MX",
        "--victim",
        "Evil",
        "--act",
        "threatened",
    ]);
    // `add` refuses control characters now; a registry written before that
    // rule may still hold them, and must not reach a terminal raw.
    s.conn()
        .execute(
            "UPDATE victim SET name = 'Evil' || char(27) || '[31mRed' || char(8238) || 'gnp'",
            [],
        )
        .expect("plant an old name");
    // Piped, the page is data and stays raw.
    assert!(s
        .ok(&["show", "MX-2021-0001"])
        .contains("victim 1: Evil\u{1b}[31mRed\u{202E}gnp\n"));
    // On a terminal (a pseudo-terminal made by util-linux's `script`), it is escaped.
    if !crate::pseudo_terminal() {
        return;
    }
    let line = format!(
        "'{}' --db '{}' show MX-2021-0001",
        env!("CARGO_BIN_EXE_pressreg"),
        s.db().display()
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("PRESSREG_NOW", crate::NOW)
        .env("PRESSREG_KEY_FILE", s.key_file())
        .env_remove("PRESSREG_DB")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run script");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    assert!(
        page.contains("victim 1: Evil\\u{001B}[31mRed\\u{202E}gnp\n"),
        "{page}"
    );
    assert!(!page.contains('\u{1b}'), "{page}");
}

#[test]
fn show_gives_relations_and_withheld_names() {
    let s = Sandbox::new();
    add_json(&s, "jalalabad.json", JALALABAD);
    let follow_up = r#"{"date":"2021-03-10","country":"AF","admin1":"Nangarhar",
      "victims":[{"name":"Zahra Ahmadi","anonymous":true,"category":"media_worker",
                  "acts":[{"type":"threatened","method":"online","note":"messages on WhatsApp"}]}],
      "relations":[{"related":"AF-2021-0001","relation":"follow_up","note":"threats after the killings"}]}"#;
    assert_eq!(add_json(&s, "follow.json", follow_up), "AF-2021-0002");
    let page = s.ok(&["show", "AF-2021-0002"]);
    let body: Vec<&str> = page.lines().skip(8).take(13).collect();
    assert_eq!(
        body,
        [
            "",
            "victim 1: Victim AF-2021-0002-1",
            "  name (withheld): Zahra Ahmadi",
            "  anonymous:       yes",
            "  sex:             unknown",
            "  category:        media_worker",
            "  employment:      unknown",
            "  status:          unknown",
            "  confidentiality: public",
            "  act 1.1: threatened, method online",
            "    note:          messages on WhatsApp",
            "",
            "related incidents:",
        ]
    );
    assert!(
        page.contains(
            "related incidents:\n  follow_up AF-2021-0001 — threats after the killings\n"
        ),
        "{page}"
    );
}

/// A line break in a recorded value never starts a line of the page: in a
/// name, a title, an outlet or a source it becomes a space; long text (a
/// summary, a note) continues indented under its label.
#[test]
fn show_never_lets_a_line_break_in_a_value_start_a_line() {
    let s = Sandbox::new();
    let incident = r#"{"uid":"00000000-0000-4000-8000-000000000001","date":"2021-05-01","country":"MX",
      "title":"Raid\nvictim 9: Fake Person","summary":"Line one\nLine two",
      "victims":[{"name":"Toofan\nvictim 2: Omar","outlet":"Radio\r\nX",
                  "acts":[{"type":"threatened","note":"first\u2028second"}]}],
      "sources":[{"publisher":"Wire\nService","url":"https://x.org/a","title":"T\n1. fake source"}]}"#;
    assert_eq!(add_json(&s, "n.json", incident), "MX-2021-0001");
    assert_eq!(
        s.ok(&["show", "MX-2021-0001"]),
        "MX-2021-0001  Raid victim 9: Fake Person
date:              2021-05-01
place:             Mexico (MX)
context:           unknown
verification:      reported
work link:         unknown
justice:           no_information (impunity: complete)
confidentiality:   public
summary:           Line one
                   Line two

victim 1: Toofan victim 2: Omar
  sex:             unknown
  category:        journalist
  employment:      unknown
  outlet:          Radio X
  status:          unknown
  confidentiality: public
  act 1.1: threatened
    note:          first
                   second

sources:
  1. news_report · Wire Service · T 1. fake source · https://x.org/a · reliability unknown

created:           2021-12-31T12:00:00Z
updated:           2021-12-31T12:00:00Z
uid:               00000000-0000-4000-8000-000000000001
"
    );
}

/// What `script` shows of `pressreg ARGS` run on a pseudo-terminal.
fn on_terminal(s: &Sandbox, args: &[&str]) -> String {
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let line = format!(
        "'{}' --db '{}' {} 2>/dev/null",
        env!("CARGO_BIN_EXE_pressreg"),
        s.db().display(),
        quoted.join(" ")
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("PRESSREG_NOW", crate::NOW)
        .env("PRESSREG_USER", "tester")
        .env("PRESSREG_KEY_FILE", s.key_file())
        .env_remove("PRESSREG_KEY")
        .env_remove("PRESSREG_DB")
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run script");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
}

/// Output to a terminal is escaped whatever the format: a name that clears
/// the screen (ESC[2J), writes the clipboard (OSC 52) or reverses the text
/// (U+202E) reaches the terminal as visible escapes from every command and
/// format; piped, the data stays raw.
#[test]
fn every_format_is_escaped_on_a_terminal() {
    let s = Sandbox::new();
    let evil = "Evil\u{1b}[2J\u{1b}]52;c;SGk=\u{7}\u{202E}gnp";
    let incident = serde_json::json!({
        "date": "2021-05-01", "country": "MX", "admin1": "Evil",
        "victims": [{"name": "Evil", "outlet": "Evil",
                     "acts": [{"type": "killed", "perpetrators": [{"actor": "Evil", "actor_type": "mob"}]}]}],
        "sources": [{"publisher": "Evil", "url": "https://x.org/a"}]
    });
    assert_eq!(
        add_json(&s, "evil.json", &incident.to_string()),
        "MX-2021-0001"
    );
    // `add` refuses control characters; a registry written before that rule
    // (or edited by hand) may still hold them.
    let conn = s.conn();
    for sql in [
        "UPDATE incident SET admin1 = ?1",
        "UPDATE victim SET name = ?1, outlet = ?1",
        "UPDATE actor SET name = ?1",
        "UPDATE source SET publisher = ?1",
    ] {
        conn.execute(sql, [evil]).expect("plant an old value");
    }
    // Piped: raw (CSV and JSONL carry the characters as they are).
    assert!(s.ok(&["export"]).contains(evil));
    assert!(s.ok(&["list", "--format", "csv"]).contains(evil));
    if !crate::pseudo_terminal() {
        return;
    }
    let commands: &[&[&str]] = &[
        &["show", "MX-2021-0001"],
        &["show", "MX-2021-0001", "--format", "json"],
        &["list"],
        &["list", "--format", "csv"],
        &["list", "--format", "json"],
        &["list", "--format", "jsonl"],
        &["export"],
        &["export", "--format", "json"],
        &["export", "--format", "jsonl"],
        &["summary", "--by", "actor,admin1"],
        &["summary", "--by", "actor,admin1", "--format", "csv"],
        &["summary", "--by", "actor,admin1", "--format", "json"],
        &["summary", "--by", "actor,admin1", "--format", "md"],
        &["summary", "--year", "2021", "--explain"],
        &["letter"],
        &["letter", "--format", "csv"],
        &["letter", "--format", "md"],
        &["history", "MX-2021-0001"],
        &["history", "MX-2021-0001", "--format", "json"],
        &["actor", "list"],
        &["actor", "list", "--format", "csv"],
        &["actor", "list", "--format", "json"],
        &["actor", "show", evil],
        &["actor", "show", evil, "--format", "json"],
    ];
    for args in commands {
        // A table's bold header and its statuses' colours are the
        // program's own.
        let mut out = on_terminal(&s, args);
        for own in ["[1m", "[0m", "[32m", "[33m", "[35m", "[90m", "[39m"] {
            out = out.replace(&format!("\u{1b}{own}"), "");
        }
        for raw in ['\u{1b}', '\u{7}', '\u{202E}'] {
            assert!(!out.contains(raw), "{args:?} shows {raw:?} raw:\n{out}");
        }
        assert!(out.contains("Evil"), "{args:?}:\n{out}");
    }
    let csv = on_terminal(&s, &["export"]);
    assert!(
        csv.contains("Evil\\u{001B}[2J\\u{001B}]52;c;SGk=\\u{0007}\\u{202E}gnp"),
        "{csv}"
    );
}

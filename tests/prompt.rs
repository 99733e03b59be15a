//! `pressreg add` with no flags on a terminal: it asks for each field.
//!
//! Run for real through a pseudo-terminal made by `script` (util-linux),
//! so stdin is a terminal exactly as when a documenter types. stdout and
//! stderr are sent to files inside the pseudo-terminal session, so the test
//! sees exactly what each stream carried (the terminal's echo of the typed
//! answers stays in `script`'s own transcript, which is ignored).

use std::io::Write;
use std::process::{Command, Stdio};

use crate::fixtures::show_json;
use crate::{Sandbox, NOW};

/// What an interactive `add` printed and how it exited.
struct Session {
    code: i32,
    stdout: String,
    stderr: String,
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Runs `pressreg add` on a pseudo-terminal, typing `input`; None when
/// there is no pseudo-terminal here (see `crate::require`).
#[track_caller]
fn interactive(s: &Sandbox, input: &str) -> Option<Session> {
    if !crate::pseudo_terminal() {
        return None;
    }
    let out = s.path("stdout.txt");
    let err = s.path("stderr.txt");
    let line = format!(
        "{} --db {} add >{} 2>{}",
        quote(env!("CARGO_BIN_EXE_pressreg")),
        quote(&s.db().display().to_string()),
        quote(&out.display().to_string()),
        quote(&err.display().to_string()),
    );
    let mut child = Command::new("script")
        .args(["-qefc", &line, "/dev/null"])
        .current_dir(s.dir())
        .env_remove("PRESSREG_DB")
        .env_remove("PRESSREG_KEY")
        .env("PRESSREG_KEY_FILE", s.key_file())
        .env("PRESSREG_NOW", NOW)
        .env("PRESSREG_USER", "tester")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the pseudo-terminal test needs `script` from util-linux");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("type the answers");
    let status = child.wait_with_output().expect("wait for script").status;
    Some(Session {
        code: status.code().unwrap_or(-1),
        stdout: std::fs::read_to_string(out).unwrap_or_default(),
        stderr: std::fs::read_to_string(err).unwrap_or_default(),
    })
}

const DATE_Q: &str =
    "Date (YYYY-MM-DD, YYYY-MM, YYYY or START/END; end with ? if approximate) [2021-12-31]: ";

#[test]
fn prompts_for_each_field_and_asks_again_on_a_bad_answer() {
    let s = Sandbox::new();
    let typed = "2021-02-30\n2021-08-08\nZZ\naf\nKabul\nDeh Sabz\nDarul Aman Road\n\n\
                 Toofan Omar\nPaktia Ghag Radio\nkiled\nkilled\ntargetted\ntargeted\n\
                 Taliban\narmed_group\nofficial_accusation\npossible\n\
                 https://bdnews24.com/x\n";
    let Some(run) = interactive(&s, typed) else {
        return;
    };
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "AF-2021-0001\n"),
        "{}",
        run.stderr
    );
    let expected = [
        DATE_Q,
        "pressreg: --date: '2021-02-30' is not a date: day 30 does not exist in that month\n",
        DATE_Q,
        "Country (ISO code: AF, MX, US): ",
        "pressreg: unknown country 'ZZ' (accepted: an ISO 3166-1 code such as AF or AFG, a name such as Afghanistan, or an ISO 3166-3 code of a former state such as YUCS)\n",
        "Country (ISO code: AF, MX, US): ",
        "Province or state (optional): ",
        "District (optional): ",
        "Place (optional): ",
        "Victim's name: ",
        "pressreg: --victim is required (the victim's name, or --anonymous)\n",
        "Victim's name: ",
        "Outlet (optional): ",
        "Act (killed, wounded, kidnapped, detained, threatened, …): ",
        "pressreg: unknown act type 'kiled': did you mean 'killed'? (accepted: killed, tortured, sexual_violence, disappeared, missing, detained, kidnapped, hostage, attempted_killing, wounded, assaulted, threatened, harassed, surveilled, charged, sued, subpoenaed, equipment_seized, property_attacked, denied_access, border_stopped, censored, dismissed, smeared, other)\n",
        "Act (killed, wounded, kidnapped, detained, threatened, …): ",
        "Death context (targeted, crossfire, dangerous_assignment, …) [unknown]: ",
        "pressreg: unknown death context 'targetted': did you mean 'targeted'? (accepted: targeted, crossfire, dangerous_assignment, indiscriminate, in_custody, after_assault, unknown)\n",
        "Death context (targeted, crossfire, dangerous_assignment, …) [unknown]: ",
        "Suspected perpetrator (an actor's name) (optional): ",
        "Type of 'Taliban', new to the registry (armed_group, state_police, …) [unknown]: ",
        "Basis of the attribution (claimed, official_accusation, witness, …) [unknown]: ",
        "Confidence (confirmed, likely, possible, unlikely, unknown) [unknown]: ",
        "Source URL (optional): ",
    ]
    .concat();
    assert_eq!(run.stderr, expected);
    let rec = show_json(&s, "AF-2021-0001");
    assert_eq!(rec["date_start"], "2021-08-08");
    assert_eq!(rec["country"], "AF");
    assert_eq!(rec["admin1"], "Kabul");
    assert_eq!(rec["admin2"], "Deh Sabz");
    assert_eq!(rec["place"], "Darul Aman Road");
    let v = &rec["victims"][0];
    assert_eq!(v["name"], "Toofan Omar");
    assert_eq!(v["outlet"], "Paktia Ghag Radio");
    let act = &v["acts"][0];
    assert_eq!(act["type"], "killed");
    assert_eq!(act["death_context"], "targeted");
    let p = &act["perpetrators"][0];
    assert_eq!(p["actor"], "Taliban");
    assert_eq!(p["actor_type"], "armed_group");
    assert_eq!(p["basis"], "official_accusation");
    assert_eq!(p["confidence"], "possible");
    assert_eq!(rec["sources"][0]["url"], "https://bdnews24.com/x");
}

#[test]
fn enter_accepts_the_defaults_and_a_known_actor_is_not_asked_its_type() {
    let s = Sandbox::new();
    s.ok(&["actor", "add", "Taliban", "--type", "armed_group"]);
    // Date: today; admin1, admin2, place, outlet: empty; death context:
    // unknown; basis and confidence: unknown; no source.
    let typed = "\nMX\n\n\n\nMiroslava Breach\n\nkilled\n\ntaliban\n\n\n\n";
    let Some(run) = interactive(&s, typed) else {
        return;
    };
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "MX-2021-0001\n"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("Type of"), "{}", run.stderr);
    let rec = show_json(&s, "MX-2021-0001");
    assert_eq!(rec["date_start"], "2021-12-31");
    assert_eq!(rec["admin1"], "");
    let act = &rec["victims"][0]["acts"][0];
    assert_eq!(act["death_context"], "unknown");
    assert_eq!(act["perpetrators"][0]["actor"], "Taliban");
    assert_eq!(act["perpetrators"][0]["basis"], "unknown");
    assert_eq!(rec["sources"], serde_json::json!([]));
}

#[test]
fn input_ending_early_writes_nothing() {
    let s = Sandbox::new();
    let Some(run) = interactive(&s, "2021-08-08\nAF\n") else {
        return;
    };
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.ends_with(
            "Province or state (optional): \npressreg: input ended before the incident was complete; nothing was written\n"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(s.rows("revision"), 0);
}

#[test]
fn without_a_terminal_add_needs_flags() {
    let s = Sandbox::new();
    assert_eq!(
        s.fails(&["add"], 1),
        "pressreg: missing --date, --country, --victim, --act (or --file with whole incidents; \
         --anonymous for an unnamed victim), e.g. pressreg add --date 2021-08-08 --country AF \
         --victim \"Toofan Omar\" --act killed\n"
    );
    assert_eq!(s.rows("revision"), 0);
}

#[test]
fn add_help_tells_of_prompting_and_has_examples() {
    let s = Sandbox::new();
    let help = s.ok(&["add", "--help"]);
    assert!(help.contains("\nEXAMPLES:\n  pressreg add"), "{help}");
    assert!(
        help.contains("pressreg add                      # on a terminal: asks for each field"),
        "{help}"
    );
}

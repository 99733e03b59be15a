//! `pressreg add` with no flags on a terminal: it asks for each field.
//!
//! Run for real in tmux: pressreg gets a terminal exactly as when a
//! documenter types, the test types keys with `send-keys` (waiting for each
//! question to be on the screen first, as a person would) and reads the
//! screen with `capture-pane`. stdout goes to a file, so the test sees that
//! it carries the new ref only; the questions are on the terminal (stderr).

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::fixtures::show_json;
use crate::{Sandbox, NOW};

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A pressreg command running in its own tmux server.
struct Screen {
    socket: PathBuf,
    stdout: PathBuf,
    code: PathBuf,
}

impl Screen {
    /// Starts `pressreg add` on an 100×50 terminal; None when tmux is not
    /// here (see `crate::require`).
    #[track_caller]
    fn add(s: &Sandbox) -> Option<Screen> {
        if !crate::tmux() {
            return None;
        }
        let screen = Screen {
            socket: s.path("tmux.sock"),
            stdout: s.path("stdout.txt"),
            code: s.path("code.txt"),
        };
        let line = format!(
            "cd {dir} && PRESSREG_KEY_FILE={key} PRESSREG_NOW={NOW} PRESSREG_USER=tester \
             {bin} --db {db} add >{out}; echo $? >{code}; sleep 600",
            dir = quote(&s.dir().display().to_string()),
            key = quote(&s.key_file().display().to_string()),
            bin = quote(env!("CARGO_BIN_EXE_pressreg")),
            db = quote(&s.db().display().to_string()),
            out = quote(&screen.stdout.display().to_string()),
            code = quote(&screen.code.display().to_string()),
        );
        let started = screen
            .tmux()
            .args(["new-session", "-d", "-x", "100", "-y", "50", &line])
            .status()
            .expect("start tmux");
        assert!(started.success(), "tmux new-session failed");
        Some(screen)
    }

    fn tmux(&self) -> Command {
        let mut c = Command::new("tmux");
        c.arg("-S")
            .arg(&self.socket)
            .env_remove("TMUX")
            .env_remove("PRESSREG_DB")
            .env_remove("PRESSREG_KEY")
            .env_remove("NO_COLOR");
        c
    }

    /// The screen as text, trailing blanks removed.
    fn text(&self) -> String {
        let out = self
            .tmux()
            .args(["capture-pane", "-p"])
            .output()
            .expect("capture the screen");
        let text = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        let mut text = lines.join("\n");
        text.truncate(text.trim_end().len());
        text
    }

    /// Waits until the screen shows `what`; the screen then.
    #[track_caller]
    fn wait_for(&self, what: &str) -> String {
        let start = Instant::now();
        loop {
            let text = self.text();
            if text.contains(what) {
                return text;
            }
            if start.elapsed() > Duration::from_secs(60) {
                panic!("the screen never showed {what:?}; it shows:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends tmux keys (`Enter`, `Down`, `C-c`) or, with `literal`, text.
    fn keys(&self, keys: &[&str], literal: bool) {
        let mut c = self.tmux();
        c.arg("send-keys");
        if literal {
            c.arg("-l");
        }
        let ok = c.args(keys).status().expect("send keys").success();
        assert!(ok, "tmux send-keys {keys:?} failed");
    }

    /// Waits for `question`, types `text` and presses Enter.
    #[track_caller]
    fn answer(&self, question: &str, text: &str) {
        self.wait_for(&format!("? {question}"));
        if !text.is_empty() {
            self.keys(&[text], true);
        }
        self.keys(&["Enter"], false);
    }

    /// Waits for the command to end: its exit code and stdout.
    #[track_caller]
    fn end(&self) -> (i32, String) {
        let start = Instant::now();
        while !self.code.exists()
            || std::fs::read_to_string(&self.code)
                .unwrap_or_default()
                .is_empty()
        {
            if start.elapsed() > Duration::from_secs(60) {
                panic!("pressreg never ended; the screen shows:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let code = std::fs::read_to_string(&self.code).expect("exit code");
        (
            code.trim().parse().expect("a number"),
            std::fs::read_to_string(&self.stdout).unwrap_or_default(),
        )
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = self.tmux().arg("kill-server").status();
    }
}

/// What the screen shows once every question is answered as in the first
/// test, down to the confirmation.
const ANSWERED: &str = "\
> Date 2021-08-08
> Country AF  Afghanistan
> Province or state Kabul
> District Deh Sabz
> City or village
> Place Darul Aman Road
> Circumstances unknown
> Victim's name Toofan Omar
> Category journalist
> Jobs editor
> Outlet Paktia Ghag Radio
> What was done killed
> Death context targeted
> Method unknown
> Suspected perpetrator Taliban
> Type of 'Taliban', new to the registry armed_group
> Basis of the attribution official_accusation
> Confidence possible
> Source URL https://bdnews24.com/x
> Publisher bdnews24
> What happened Shot on his way to work.

To be recorded:
  Date           2021-08-08
  Where          Darul Aman Road, Deh Sabz, Kabul, Afghanistan (AF)
  Circumstances  unknown
  Victim         Toofan Omar (journalist, editor), Paktia Ghag Radio
  Act            killed (targeted), method unknown
  Perpetrator    Taliban (new actor: armed_group), basis official_accusation, confidence possible
  Source         https://bdnews24.com/x (bdnews24)
  What happened  Shot on his way to work.
";

/// Types the first test's answers, up to the confirmation.
#[track_caller]
fn log_toofan_omar(t: &Screen) {
    t.answer("Date", "2021-08-08");
    // Type-to-filter: four letters find the country.
    t.wait_for("? Country");
    t.keys(&["afgh"], true);
    t.wait_for("> AF  Afghanistan");
    t.keys(&["Enter"], false);
    t.answer("Province or state", "Kabul");
    t.answer("District", "Deh Sabz");
    t.answer("City or village", "");
    t.answer("Place", "Darul Aman Road");
    t.answer("Circumstances", "");
    t.answer("Victim's name", "Toofan Omar");
    t.answer("Category", "");
    t.wait_for("? Jobs");
    t.keys(&["editor"], true);
    t.wait_for("> [ ] editor");
    t.keys(&["Space"], false);
    t.wait_for("> [x] editor");
    t.keys(&["Enter"], false);
    t.answer("Outlet", "Paktia Ghag Radio");
    t.answer("What was done", "killed");
    t.answer("Death context", "targeted");
    t.answer("Method", "");
    t.answer("Suspected perpetrator", "Taliban");
    t.answer("Type of 'Taliban', new to the registry", "armed");
    t.answer("Basis of the attribution", "official");
    t.answer("Confidence", "possible");
    t.answer("Source URL", "https://bdnews24.com/x");
    t.answer("Publisher", "bdnews24");
    t.answer("What happened", "Shot on his way to work.");
}

#[test]
fn a_new_user_logs_an_incident_by_choices_and_confirms_it() {
    let s = Sandbox::new();
    let Some(t) = Screen::add(&s) else {
        return;
    };
    // A date that does not exist is refused with the rule --date uses, and
    // the question stays until it is fixed.
    t.answer("Date", "2021-02-30");
    let screen = t.wait_for("# '2021-02-30' is not a date");
    assert!(
        screen.starts_with(
            "# '2021-02-30' is not a date: day 30 does not exist in that month\n\
             ? Date (2021-12-31) 2021-02-30"
        ),
        "{screen}"
    );
    t.keys(&["BSpace"; 10], false);
    log_toofan_omar(&t);
    let screen = t.wait_for("? Record this incident? (Y/n)");
    assert_eq!(screen, format!("{ANSWERED}\n? Record this incident? (Y/n)"));
    t.keys(&["Enter"], false);
    assert_eq!(t.end(), (0, "AF-2021-0001\n".to_string()), "{}", t.text());
    let rec = show_json(&s, "AF-2021-0001");
    assert_eq!(rec["date_start"], "2021-08-08");
    assert_eq!(rec["country"], "AF");
    assert_eq!(rec["admin1"], "Kabul");
    assert_eq!(rec["admin2"], "Deh Sabz");
    assert_eq!(rec["place"], "Darul Aman Road");
    assert_eq!(rec["summary"], "Shot on his way to work.");
    let v = &rec["victims"][0];
    assert_eq!(v["name"], "Toofan Omar");
    assert_eq!(v["jobs"], serde_json::json!(["editor"]));
    assert_eq!(v["outlet"], "Paktia Ghag Radio");
    let act = &v["acts"][0];
    assert_eq!(act["type"], "killed");
    assert_eq!(act["death_context"], "targeted");
    let p = &act["perpetrators"][0];
    assert_eq!(p["actor"], "Taliban");
    assert_eq!(p["basis"], "official_accusation");
    assert_eq!(p["confidence"], "possible");
    assert_eq!(rec["sources"][0]["url"], "https://bdnews24.com/x");
    assert_eq!(rec["sources"][0]["publisher"], "bdnews24");
    let actor = s.ok(&["actor", "show", "Taliban"]);
    assert!(actor.contains("armed_group"), "{actor}");
}

#[test]
fn the_last_incident_gives_the_defaults_and_known_actors_are_suggested() {
    let s = Sandbox::new();
    s.ok(&[
        "add",
        "--date",
        "2021-03-01",
        "--country",
        "MX",
        "--admin1",
        "Chihuahua",
        "--admin2",
        "Chihuahua",
        "--locality",
        "Chihuahua",
        "--context",
        "at_work",
        "--victim",
        "Miroslava Breach",
        "--act",
        "killed",
        "--actor",
        "La Línea",
        "--actor-type",
        "armed_group",
    ]);
    let Some(t) = Screen::add(&s) else {
        return;
    };
    t.answer("Date", "2021-04-02");
    // Enter keeps the last incident's country, province, district, city
    // and circumstances.
    t.wait_for("> MX  Mexico");
    t.keys(&["Enter"], false);
    let screen = t.wait_for("? Province or state (Chihuahua)");
    assert!(screen.contains("> Country MX  Mexico"), "{screen}");
    t.keys(&["Enter"], false);
    t.answer("District (Chihuahua)", "");
    t.answer("City or village (Chihuahua)", "");
    t.answer("Place", "");
    t.wait_for("> at_work");
    t.keys(&["Enter"], false);
    // An empty name is refused, and the question stays.
    t.answer("Victim's name", "");
    t.wait_for("# the victim's name is required\n? Victim's name");
    t.keys(&["Javier Valdez"], true);
    t.keys(&["Enter"], false);
    t.answer("Category", "");
    t.answer("Jobs", "");
    t.answer("Outlet", "");
    t.answer("What was done", "");
    t.answer("Death context", "");
    t.answer("Method", "");
    // Typing part of a known actor's name suggests it; Tab takes it.
    t.wait_for("? Suspected perpetrator");
    t.keys(&["lín"], true);
    t.wait_for("  La Línea");
    t.keys(&["Tab"], false);
    t.wait_for("? Suspected perpetrator La Línea");
    t.keys(&["Enter"], false);
    // A known actor is not asked its type.
    let screen = t.wait_for("? Basis of the attribution");
    assert!(!screen.contains("Type of"), "{screen}");
    t.keys(&["Enter"], false);
    t.answer("Confidence", "");
    t.answer("Source URL", "");
    t.answer("Publisher", "");
    t.answer("What happened", "");
    t.answer("Record this incident?", "y");
    assert_eq!(t.end(), (0, "MX-2021-0002\n".to_string()), "{}", t.text());
    let rec = show_json(&s, "MX-2021-0002");
    assert_eq!(rec["date_start"], "2021-04-02");
    assert_eq!(rec["admin1"], "Chihuahua");
    assert_eq!(rec["locality"], "Chihuahua");
    assert_eq!(rec["context"], "at_work");
    assert_eq!(rec["victims"][0]["name"], "Javier Valdez");
    let act = &rec["victims"][0]["acts"][0];
    assert_eq!(act["type"], "killed");
    assert_eq!(act["death_context"], "unknown");
    assert_eq!(act["perpetrators"][0]["actor"], "La Línea");
    assert_eq!(rec["sources"], serde_json::json!([]));
}

#[test]
fn ctrl_c_at_any_question_writes_nothing() {
    let s = Sandbox::new();
    let Some(t) = Screen::add(&s) else {
        return;
    };
    t.answer("Date", "2021-08-08");
    t.answer("Country", "");
    t.wait_for("? Province or state");
    t.keys(&["C-c"], false);
    assert_eq!(t.end(), (1, String::new()));
    assert!(
        t.text().ends_with(
            "? Province or state\n\
             pressreg: stopped before the incident was recorded; nothing was written"
        ),
        "{}",
        t.text()
    );
    assert_eq!(s.rows("revision"), 0);
    assert_eq!(s.rows("incident"), 0);
}

#[test]
fn answering_no_to_the_summary_writes_nothing() {
    let s = Sandbox::new();
    let Some(t) = Screen::add(&s) else {
        return;
    };
    log_toofan_omar(&t);
    t.answer("Record this incident?", "n");
    assert_eq!(t.end(), (1, String::new()));
    assert_eq!(
        t.text(),
        format!(
            "{ANSWERED}\n> Record this incident? No\n\
             pressreg: not recorded; nothing was written"
        )
    );
    assert_eq!(s.rows("revision"), 0);
    assert_eq!(s.rows("actor"), 0);
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

//! What people see at a terminal: tables that fit its width (`--width`,
//! `COLUMNS`, the terminal's own size; `--wide` for everything), dates
//! with their precision, colour only on a terminal and never with
//! `NO_COLOR`.

use std::process::{Command, Stdio};

use crate::{require, Sandbox};

/// The sample registry of `data/`.
fn sample() -> Sandbox {
    let s = Sandbox::new();
    s.load_sample();
    s
}

/// Every line of `text` is at most `width` characters wide.
fn assert_fits(text: &str, width: usize) {
    for line in text.lines() {
        assert!(
            line.chars().count() <= width,
            "{} > {width}: {line}",
            line.chars().count()
        );
    }
}

#[test]
fn list_fits_80_columns() {
    let s = sample();
    let out = s.ok(&["--width", "80", "list", "--country", "AF"]);
    assert_fits(&out, 80);
    assert_eq!(
        out,
        "\
REF           DATE            PLACE       NAMES        ACTS         VERIFICATION
AF-2021-0001  1 Jan 2021      Dara-e-Ta…  Bismillah …  killed       corroborated
AF-2021-0002  25–26 Feb 2021  Tagha Tei…  unnamed×13   killed×3, …  reported
AF-2021-0003  2 Mar 2021      Jalalabad…  Mursal Wah…  killed×3, …  corroborated
AF-2021-0004  3 Jun 2021      Kabul, Ka…  Mina Khair…  killed×2, …  corroborated
AF-2021-0005  16 Jul 2021     Spin Bold…  Danish Sid…  killed, wo…  corroborated
AF-2021-0006  6 Aug 2021      Kabul, Ka…  Dawa Khan …  killed       corroborated
AF-2021-0007  8 Aug 2021      Deh Sabz,…  Toofan Oma…  killed×2     corroborated
AF-2021-0008  8 Aug 2021      Lashkar G…  Nematullah…  kidnapped    corroborated
AF-2021-0009  25 Aug 2021     Kabul, Ka…  Ziar Khan …  assaulted×…  corroborated
AF-2021-0010  26 Aug 2021     Kabul, Ka…  Alireza Ah…  killed       reported
AF-2021-0011  8 Sep 2021      Kabul, Ka…  Taqi Darya…  tortured×2…  corroborated
AF-2021-0012  29 Oct 2021     Kabul, Ka…  Ali Reza S…  attempted_…  reported
AF-2021-0013  13 Nov 2021     Kabul, Ka…  Hamid Seig…  killed       reported
"
    );
}

#[test]
fn list_at_120_columns_keeps_every_column() {
    let s = sample();
    let out = s.ok(&[
        "--width",
        "120",
        "list",
        "--country",
        "AF",
        "--year",
        "2021",
    ]);
    assert_fits(&out, 120);
    assert_eq!(
        out,
        "\
REF           DATE            PLACE                  VICTIMS  NAMES                  ACTS                   VERIFICATION
AF-2021-0001  1 Jan 2021      Dara-e-Taimur, Ghor,…        1  Bismillah Adel Aimaq   killed                 corroborated
AF-2021-0002  25–26 Feb 2021  Tagha Teimour, Ghor,…       13  unnamed×13             killed×3, wounded×10…  reported
AF-2021-0003  2 Mar 2021      Jalalabad, Nangarhar…        4  Mursal Wahidi; Sadia…  killed×3, wounded      corroborated
AF-2021-0004  3 Jun 2021      Kabul, Kabul, AF             3  Mina Khairi; unnamed…  killed×2, wounded      corroborated
AF-2021-0005  16 Jul 2021     Spin Boldak, Kandaha…        1  Danish Siddiqui        killed, wounded        corroborated
AF-2021-0006  6 Aug 2021      Kabul, Kabul, AF             1  Dawa Khan Menapal      killed                 corroborated
AF-2021-0007  8 Aug 2021      Deh Sabz, Kabul, AF          2  Toofan Omar; Sayed K…  killed×2               corroborated
AF-2021-0008  8 Aug 2021      Lashkar Gah, Helmand…        1  Nematullah Hemat       kidnapped              corroborated
AF-2021-0009  25 Aug 2021     Kabul, Kabul, AF             2  Ziar Khan Yaad; Baes…  assaulted×2, equipme…  corroborated
AF-2021-0010  26 Aug 2021     Kabul, Kabul, AF             1  Alireza Ahmadi         killed                 reported
AF-2021-0011  8 Sep 2021      Kabul, Kabul, AF             2  Taqi Daryabi; Nematu…  tortured×2, detained…  corroborated
AF-2021-0012  29 Oct 2021     Kabul, Kabul, AF             1  Ali Reza Sharifi       attempted_killing, w…  reported
AF-2021-0013  13 Nov 2021     Kabul, Kabul, AF             1  Hamid Seighani         killed                 reported
"
    );
}

/// `COLUMNS` gives the width even in a pipe; `--wide` shows everything
/// whatever it says, as a pipe without it does.
#[test]
fn columns_sets_the_width_and_wide_shows_everything() {
    let s = sample();
    let with_columns = |args: &[&str]| {
        let out = s
            .cmd(args)
            .env("COLUMNS", "80")
            .stdin(Stdio::null())
            .output()
            .expect("run pressreg");
        assert!(out.status.success());
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    assert_eq!(with_columns(&["list"]), s.ok(&["--width", "80", "list"]));
    let wide = with_columns(&["--wide", "list"]);
    assert_eq!(wide, s.ok(&["list"]));
    assert!(!wide.contains('…'), "{wide}");
    assert!(wide.contains(
        "Islamic State Khorasan Province (likely), Taliban (possible), Taliban (denied)"
    ));
}

#[test]
fn history_fits_80_columns() {
    let s = sample();
    let out = s.ok(&["--width", "80", "history", "AF-2021-0006"]);
    assert_fits(&out, 80);
    assert_eq!(
        out,
        "\
AT                    BY      ACTION  WHAT                FIELD  CHANGE   REASON
2021-12-31T12:00:00Z  tester  create  incident                   created  add
2021-12-31T12:00:00Z  tester  create  victim 1                   created  add
2021-12-31T12:00:00Z  tester  create  act 1.1                    created  add
2021-12-31T12:00:00Z  tester  create  perpetrator Talib…         created  add
2021-12-31T12:00:00Z  tester  create  source 1                   created  add
2021-12-31T12:00:00Z  tester  create  source 2                   created  add
"
    );
}

#[test]
fn actor_list_fits_80_columns() {
    let s = sample();
    let out = s.ok(&["--width", "80", "actor", "list"]);
    assert_fits(&out, 80);
    assert_eq!(
        out,
        "\
NAME                             ALIASES              TYPES                 ACTS
Far-right mob                                         mob                      2
Islamic State Khorasan Province  Islamic State, IS-…  armed_group              6
Myanmar military                 Tatmadaw             state_military           2
Organised crime (unnamed group)                       criminal_group           2
Taliban                          Islamic Emirate of…  armed_group to 2021…    32
Unknown perpetrator                                   unknown                  6
"
    );
}

/// The rule summaries are wide tables of counts: at 80 columns their
/// headers wrap at `_`, the gap narrows, the bars go, the heading and
/// footnotes wrap between words; no count is cut.
#[test]
fn summaries_fit_80_columns() {
    let s = sample();
    let sdg = s.ok(&[
        "--width",
        "80",
        "summary",
        "--year",
        "2021",
        "--profile",
        "sdg",
        "--by",
        "state",
    ]);
    assert_fits(&sdg, 80);
    assert_eq!(
        sdg,
        "\
Profile sdg: UN SDG 16.10.1: each journalist or media worker once per year under
the most serious act (A > C > B > D > E > F).
Records: acts dated 2021; all countries; verification other than rejected,
duplicate or out_of_scope; deleted incidents left out; public records only.
As of 2021-12-31T12:00:00Z.

STATE     A       B             C       D         E          F     VICTIMS
          KILLING DISAPPEARANCE TORTURE DETENTION KIDNAPPING OTHER
non_state       9             0       0         0          1     1      11
state           0             0       2         1          0     2       5
unknown         4             0       0         0          0     0       4
total          12             0       2         1          1     3      19

Verified: 19 (corroborated or verified incidents); reported, not yet verified:
3, not counted (--verification names the levels to count).
Rows overlap: one victim or incident can count in several rows (several
perpetrators, mediums, acts or dates); each total counts it once and is not the
sum of its rows.
"
    );
    let cpj = s.ok(&[
        "--width",
        "80",
        "summary",
        "--year",
        "2021",
        "--profile",
        "cpj",
    ]);
    assert_fits(&cpj, 80);
    assert_eq!(
        cpj,
        "\
Profile cpj: CPJ: journalists and media workers killed, by year of death; motive
confirmed apart from unconfirmed; death context for confirmed cases.
Records: acts dated 2021; all countries; verification other than rejected,
duplicate or out_of_scope; deleted incidents left out; public records only.
As of 2021-12-31T12:00:00Z.

YEAR  KILLED CONFIRMED UNCONFIRMED MEDIA   MURDER CROSSFIRE DANGEROUS  UNKNOWN
                                   WORKERS                  ASSIGNMENT
2021      13         3           7       3      2         1          0       0
total     13         3           7       3      2         1          0       0
"
    );
    // With room, the bars come back, shorter than at full width.
    let act = s.ok(&["--width", "40", "summary", "--year", "2021", "--by", "act"]);
    assert_fits(&act, 40);
    assert_eq!(
        act.split("\n\n").nth(1).expect("the table"),
        "\
ACT                VICTIMS
killed                  19  ██████████
tortured                 2  █▏
detained                 3  █▋
kidnapped                1  ▌
attempted_killing        1  ▌
wounded                 16  ████████▌
assaulted                3  █▋
charged                  1  ▌
equipment_seized         2  █▏
property_attacked        1  ▌
total                   49
"
    );
}

#[test]
fn a_width_too_small_to_read_is_refused() {
    let s = sample();
    assert_eq!(
        s.fails(&["--width", "10", "list"], 1),
        "pressreg: invalid value '10' for --width: 10 is not in 20..=65535
"
    );
    assert_eq!(
        s.fails(&["--wide", "--width", "80", "list"], 2),
        "pressreg: the argument '--wide' cannot be used with '--width <N>' (Usage: pressreg --db <PATH> --wide <COMMAND>)
"
    );
}

/// `pressreg ARGS` on a pseudo-terminal `columns` wide (util-linux
/// `script`; `stty` sets the size), with `extra` in the environment; what
/// the terminal shows.
fn on_terminal(s: &Sandbox, columns: u16, extra: &[(&str, &str)], args: &[&str]) -> Option<String> {
    require(
        Command::new("script").arg("--version").output().ok(),
        "on_terminal",
        "util-linux `script` (apt-get install bsdutils)",
    )?;
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let line = format!(
        "stty cols {columns} rows 40; '{}' --db '{}' {} 2>/dev/null",
        env!("CARGO_BIN_EXE_pressreg"),
        s.db().display(),
        quoted.join(" ")
    );
    let mut c = Command::new("script");
    c.args(["-qec", &line, "/dev/null"])
        .env("PRESSREG_NOW", crate::NOW)
        .env("PRESSREG_KEY_FILE", s.key_file())
        .env_remove("PRESSREG_KEY")
        .env_remove("PRESSREG_DB")
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .stdin(Stdio::null());
    for (k, v) in extra {
        c.env(k, v);
    }
    let out = c.output().expect("run script");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    Some(String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"))
}

/// The terminal's colour codes taken out.
fn plain(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("\u{1b}[") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let end = after.find('m').map_or(after.len(), |e| e + 1);
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// On a terminal with no `COLUMNS`, a table takes the terminal's width.
#[test]
fn a_table_fits_the_terminal_it_is_shown_on() {
    let s = sample();
    for columns in [80u16, 120] {
        let Some(shown) = on_terminal(&s, columns, &[], &["list"]) else {
            return;
        };
        let shown = plain(&shown);
        assert_fits(&shown, usize::from(columns));
        assert_eq!(shown, s.ok(&["--width", &columns.to_string(), "list"]));
    }
}

/// Colour only on a terminal: bold headers and the verification's colour,
/// the word always there; never with NO_COLOR, nor in a pipe unless
/// `--color always` (which NO_COLOR still wins over).
#[test]
fn statuses_are_coloured_on_a_terminal_only_and_never_with_no_color() {
    let s = sample();
    let Some(coloured) = on_terminal(&s, 200, &[], &["list", "--country", "AF"]) else {
        return;
    };
    assert!(coloured.starts_with("\u{1b}[1mREF"), "{coloured:?}");
    let green = "\u{1b}[32mcorroborated\u{1b}[39m";
    let yellow = "\u{1b}[33mreported\u{1b}[39m";
    assert!(coloured.contains(green), "{coloured:?}");
    assert!(coloured.contains(yellow), "{coloured:?}");
    let Some(no_color) = on_terminal(&s, 200, &[("NO_COLOR", "1")], &["list", "--country", "AF"])
    else {
        return;
    };
    assert!(!no_color.contains('\u{1b}'), "{no_color:?}");
    assert_eq!(no_color, plain(&coloured));

    let piped = s.ok(&["list", "--country", "AF"]);
    assert!(!piped.contains('\u{1b}'));
    let always = s.ok(&["--color", "always", "list", "--country", "AF"]);
    assert!(always.contains(green), "{always:?}");
    let out = s
        .cmd(&["--color", "always", "list", "--country", "AF"])
        .env("NO_COLOR", "1")
        .output()
        .expect("run pressreg");
    assert_eq!(String::from_utf8_lossy(&out.stdout), piped);
}

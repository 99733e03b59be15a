//! Entry that forgives what is plainly meant and still refuses nonsense:
//! refs in any case, country names and alpha-3 codes, free text that
//! begins with '-', the registry user's name; and shell completion and the
//! manual page, generated from the same definitions that parse.

use crate::fixtures::TOOFAN_BARE;
use crate::Sandbox;

/// What the shell is offered for the words of a command line (the last
/// one being completed), as fish asks for it: one candidate a line, its
/// description after a tab.
fn completions(s: &Sandbox, words: &[&str]) -> String {
    let db = s.db().display().to_string();
    let mut args = vec!["--", "pressreg", "--db", db.as_str()];
    args.extend_from_slice(words);
    let out = s
        .cmd(&args)
        .env("COMPLETE", "fish")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run pressreg");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "completing {words:?}"
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The candidates alone, without their descriptions.
fn values(listing: &str) -> Vec<&str> {
    listing
        .lines()
        .map(|l| l.split('\t').next().unwrap_or(""))
        .collect()
}

#[test]
fn refs_are_found_in_any_case() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    assert_eq!(
        s.ok(&[
            "source",
            "add",
            "af-2021-0001",
            "--url",
            "https://a.example/1"
        ]),
        "1\n"
    );
    assert_eq!(
        s.ok(&["victim", "add", " Af-2021-0001 ", "--name", "X"]),
        "2\n"
    );
    assert!(s.ok(&["show", "af-2021-0001"]).contains("AF-2021-0001"));
    assert_eq!(
        s.ok(&["history", "af-2021-0001"]),
        s.ok(&["history", "AF-2021-0001"])
    );
}

#[test]
fn countries_by_name_and_alpha3_are_stored_as_codes() {
    let s = Sandbox::new();
    for (country, stored) in [
        ("Afghanistan", "AF-2021-0001"),
        ("afg", "AF-2021-0002"),
        ("Ivory Coast", "CI-2021-0001"),
        ("UK", "GB-2021-0001"),
    ] {
        let args = [
            "add",
            "--date",
            "2021-08-08",
            "--country",
            country,
            "--victim",
            "V",
            "--act",
            "threatened",
        ];
        assert_eq!(s.ok(&args), format!("{stored}\n"), "{country}");
    }
    assert_eq!(
        s.ok(&["list", "--country", "afghanistan", "--format", "csv"])
            .lines()
            .count(),
        3
    );
}

#[test]
fn free_text_may_begin_with_a_hyphen() {
    let s = Sandbox::new();
    s.ok(&[
        "add",
        "--date",
        "2021-08-08",
        "--country",
        "AF",
        "--victim",
        "-Anonymous-",
        "--act",
        "threatened",
        "--title",
        "-2+3",
    ]);
    let shown = s.ok(&["show", "AF-2021-0001", "--format", "json"]);
    assert!(shown.contains("\"title\": \"-2+3\""), "{shown}");
    assert!(shown.contains("\"name\": \"-Anonymous-\""), "{shown}");
}

#[test]
fn the_revision_log_names_the_user_without_pressreg_user_or_user() {
    let s = Sandbox::new();
    let out = s
        .cmd(TOOFAN_BARE)
        .env_remove("PRESSREG_USER")
        .env_remove("USER")
        .env_remove("LOGNAME")
        .env_remove("USERNAME")
        .output()
        .expect("run pressreg");
    assert_eq!(out.status.code(), Some(0));
    // The account the tests run as, whatever it is called, and not
    // "unknown" (the env vars above are what told it before).
    let history = s.ok(&["history", "AF-2021-0001"]);
    let by: Vec<&str> = history
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert!(!by.is_empty(), "{history}");
    assert!(
        by.iter().all(|b| *b != "unknown" && *b != "tester"),
        "{history}"
    );
}

#[test]
fn completion_offers_commands_flags_vocabularies_refs_and_actors() {
    let s = Sandbox::new();
    s.load_sample();
    assert_eq!(values(&completions(&s, &["summ"])), ["summary"]);
    assert_eq!(values(&completions(&s, &["add", "--vict"])), ["--victim"]);
    assert_eq!(
        values(&completions(&s, &["add", "--act", "kid"])),
        ["kidnapped"]
    );
    assert_eq!(
        values(&completions(&s, &["add", "--method", "sh"])),
        ["shooting"]
    );
    assert_eq!(
        values(&completions(&s, &["show", "af-2021-001"])),
        [
            "AF-2021-0010",
            "AF-2021-0011",
            "AF-2021-0012",
            "AF-2021-0013"
        ]
    );
    assert_eq!(
        values(&completions(&s, &["source", "add", "M"])),
        ["MM-2021-0001", "MX-2021-0001"]
    );
    assert_eq!(
        values(&completions(&s, &["list", "--actor", "Tal"])),
        ["Taliban"]
    );
    assert_eq!(
        values(&completions(&s, &["list", "--country", "A"]))[..3],
        ["AD", "AE", "AF"]
    );
}

#[test]
fn completion_of_an_encrypted_registry_never_asks_for_its_key() {
    let s = Sandbox::new();
    s.ok(TOOFAN_BARE);
    let db = s.db().display().to_string();
    let out = s
        .cmd(&["--", "pressreg", "--db", &db, "show", "AF"])
        .env("COMPLETE", "fish")
        .env_remove("PRESSREG_KEY_FILE")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run pressreg");
    assert_eq!(
        (
            out.status.code(),
            out.stdout.as_slice(),
            out.stderr.as_slice()
        ),
        (Some(0), &b""[..], &b""[..])
    );
}

#[test]
fn completions_register_with_every_shell() {
    let s = Sandbox::new();
    assert_eq!(
        s.ok(&["completions", "fish"]),
        "complete --keep-order --exclusive --command pressreg --arguments \"(COMPLETE=fish pressreg -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))\"\n"
    );
    for shell in ["bash", "zsh", "powershell", "elvish"] {
        let script = s.ok(&["completions", shell]);
        assert!(script.contains("COMPLETE"), "{shell}:\n{script}");
        assert!(script.contains("pressreg"), "{shell}:\n{script}");
    }
}

#[test]
fn the_manual_names_every_command_and_its_flags() {
    let s = Sandbox::new();
    let page = s.ok(&["man"]);
    assert!(page.starts_with(".ie \\n(.g .ds Aq \\(aq"), "{page}");
    assert!(page.contains(".TH pressreg 1"), "{page}");
    for command in [
        "init",
        "add",
        "source",
        "list",
        "show",
        "edit",
        "import",
        "export",
        "summary",
        "letter",
        "check",
        "backup",
        "completions",
        "man",
    ] {
        assert!(
            page.contains(&format!("pressreg\\-{command}(1)")),
            "{command} missing:\n{page}"
        );
    }
    assert!(page.contains("PRESSREG_USER"), "{page}");
    let dir = s.path("man1");
    s.ok(&["man", "--dir", dir.to_str().expect("utf-8")]);
    let add = std::fs::read_to_string(dir.join("pressreg-add.1")).expect("pressreg-add.1");
    for flag in ["\\-\\-date", "\\-\\-country", "\\-\\-victim", "\\-\\-act"] {
        assert!(add.contains(flag), "{flag} missing:\n{add}");
    }
    assert!(dir.join("pressreg-source-retract.1").exists());
}

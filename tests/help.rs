//! Every command's help ends with EXAMPLES of real invocations.

use crate::Sandbox;

#[test]
fn attach_help_has_examples() {
    let s = Sandbox::new();
    for cmd in ["victim", "act", "perpetrator", "source", "claim"] {
        for args in [&[cmd, "--help"][..], &[cmd, "add", "--help"]] {
            let help = s.ok(args);
            assert!(
                help.contains("\nEXAMPLES:\n  pressreg "),
                "{args:?}:\n{help}"
            );
        }
    }
}

/// Help shows no empty defaults, names the environment (PRESSREG_USER
/// among it), and its examples are never wrapped in the middle of a flag
/// on a terminal of 80 columns: a long one is broken before a flag, with
/// the shell's continuation, so it can still be pasted.
#[test]
fn help_is_without_noise_and_fits_80_columns() {
    let s = Sandbox::new();
    let add = s.ok(&["add", "--help"]);
    assert!(!add.contains("[default: ]"), "{add}");
    assert!(!add.contains("[default: \"\"]"), "{add}");
    let top = s.ok(&["--help"]);
    assert!(
        top.contains(
            "\n  PRESSREG_USER      the name the revision log gives to your changes\n\
             \x20                    [default: your login name]\n"
        ),
        "{top}"
    );
    let act = s
        .cmd(&["act", "add", "--help"])
        .env("COLUMNS", "80")
        .output()
        .expect("run pressreg");
    let act = String::from_utf8(act.stdout).expect("utf-8");
    let examples = &act[act.find("EXAMPLES:").expect("examples")..];
    assert_eq!(
        examples,
        "EXAMPLES:\n  \
         pressreg act add AF-2021-0001 --victim 1 --type wounded --method shooting\n  \
         pressreg act add AF-2021-0001 --victim 1 --type killed \\\n      \
         --death-context after_assault \\\n      \
         --date 2021-08-15 --note \"died of his wounds in hospital\"\n"
    );
}

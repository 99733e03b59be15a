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

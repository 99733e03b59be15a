//! `pressreg completions SHELL`: the lines that make a shell complete
//! pressreg's commands, flags, vocabularies, refs and actor names
//! (`complete.rs` does the completing).

use anyhow::Result;

use super::Ctx;
use crate::cli::Shell;

/// Print the script that makes a shell complete pressreg's commands
///
/// Completes commands, flags, every vocabulary (`--act k<Tab>`), country
/// codes, and the refs and actor names of the registry on the command line
/// (its --db, else PRESSREG_DB, else the default; an encrypted one only
/// with PRESSREG_KEY_FILE or PRESSREG_KEY set, never by asking).
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  echo 'source <(pressreg completions bash)' >> ~/.bashrc
  echo 'source <(pressreg completions zsh)' >> ~/.zshrc
  pressreg completions fish > ~/.config/fish/completions/pressreg.fish")]
pub struct Args {
    /// The shell
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

/// Runs `completions`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let mut text = Vec::new();
    crate::complete::registration(args.shell, &mut text)?;
    Ok(ctx.out.print_built(&String::from_utf8_lossy(&text))?)
}

//! `pressreg man`: the manual page, generated from the same definitions
//! that parse the command line (`complete.rs`).

use std::path::PathBuf;

use anyhow::Result;

use super::Ctx;

/// Print the manual page (roff), or write one page per command to a folder
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg man | man -l -
  pressreg man --dir ~/.local/share/man/man1")]
pub struct Args {
    /// Write pressreg.1 and a page per command (pressreg-add.1, …) here
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Runs `man`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let mut page = Vec::new();
    crate::complete::manual(args.dir.as_deref(), &mut page)?;
    if args.dir.is_none() {
        ctx.out.print_built(&String::from_utf8_lossy(&page))?;
    }
    Ok(())
}

//! `pressreg init`: create the registry (or confirm it exists) and print
//! its path.

use anyhow::Result;

use super::Ctx;
use crate::db::Access;

/// Create the registry file (safe to run again)
///
/// Creates an empty registry at --db (or PRESSREG_DB, or pressreg.db in the
/// user's data directory) with owner-only permissions, and prints its path.
/// Running it on an existing registry changes nothing; a file that is not a
/// registry is refused and left untouched.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg --db afghanistan.db init
  PRESSREG_DB=~/registry.db pressreg init")]
pub struct Args {}

/// Runs `init`.
pub fn run(ctx: &Ctx, _args: Args) -> Result<()> {
    let db = ctx.open(Access::Write)?;
    if db.created() {
        ctx.out
            .note("created a new registry (not encrypted: keep it on an encrypted disk)");
    }
    ctx.out.print(&format!("{}\n", db.path().display()))?;
    Ok(())
}

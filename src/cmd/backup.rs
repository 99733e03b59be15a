//! `pressreg backup FILE`: a verified copy of the registry, made while it
//! is in use, encrypted as the registry is. Says on stderr what the copy
//! holds once it has been checked; prints nothing on stdout.

use std::path::PathBuf;

use anyhow::Result;

use super::Ctx;
use crate::db::Access;

/// Copy the registry to a new file, verified
///
/// Takes a consistent copy while other pressregs may be writing (SQLite's
/// online backup), keyed like the registry, owner-only (0600). The copy is
/// reopened and checked (integrity, revision chain, every table's row
/// count) before the command reports it; a copy that fails the check is
/// removed. FILE must not exist: a backup never overwrites a file.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg backup /media/usb/registry-2021-12-31.db")]
pub struct Args {
    /// The new file to write (must not exist)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// Runs `backup`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let mut db = ctx.open(Access::Read)?;
    let copied = db.backup(&args.file)?;
    ctx.out.note(&format!(
        "backed up {} incidents and {} revisions to '{}' (verified: integrity ok, every table's row count equal)",
        copied.rows("incident"),
        copied.rows("revision"),
        args.file.display()
    ));
    Ok(())
}

//! `pressreg restore REF`: undo a soft delete. `deleted_at` is cleared
//! through the revision log, with the reason, and the incident is back in
//! lists, exports and summaries. Prints what it did on stderr only.

use anyhow::{bail, Result};

use super::Ctx;
use crate::db::Access;

/// Restore a deleted incident
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg restore AF-2021-0009
  pressreg restore AF-2021-0009 --reason \"the report was confirmed after all\"")]
pub struct Args {
    /// The incident's ref (AF-2021-0007) or uid
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Why: kept in the revision log [default: restore]
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

/// Runs `restore`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let reason = match args.reason.as_deref().map(str::trim) {
        Some("") => bail!("--reason is empty (leave it out, or say why the incident comes back)"),
        Some(r) => r,
        None => "restore",
    };
    let mut db = ctx.open(Access::Change)?;
    let reference = db.write(reason, |w| {
        let id = w.require_incident(&args.reference)?;
        let reference = w.reference(id)?;
        w.restore(id, &reference)?;
        Ok(reference)
    })?;
    ctx.out.note(&format!("restored {reference}"));
    Ok(())
}

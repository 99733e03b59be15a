//! `pressreg delete REF --reason TEXT`: soft delete (undone by `restore`). Nothing is erased: `deleted_at` is set (or cleared)
//! through the revision log, with the reason, and a deleted incident is
//! left out of lists, exports and summaries unless they ask for it.
//!
//! Both print what they did on stderr and nothing on stdout.

use anyhow::{bail, Result};

use super::Ctx;
use crate::db::Access;

/// Delete an incident (it can be restored)
///
/// Marks the incident as deleted: it disappears from list, export, summary
/// and letter (unless --include-deleted), and stays in the registry with
/// its history. The reason is kept in the revision log.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg delete AF-2021-0009 --reason \"false report: the reporter is alive\"
  pressreg restore AF-2021-0009 --reason \"deleted by mistake\"")]
pub struct Args {
    /// The incident's ref (AF-2021-0007) or uid
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Why: kept in the revision log
    #[arg(long, value_name = "TEXT", required = true)]
    pub reason: String,
}

/// Runs `delete`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let reason = args.reason.trim();
    if reason.is_empty() {
        bail!(
            "--reason is empty (say why the incident is deleted; it is kept in the revision log)"
        );
    }
    let mut db = ctx.open(Access::Change)?;
    let reference = db.write(reason, |w| {
        let id = w.require_incident(&args.reference)?;
        let reference = w.reference(id)?;
        w.soft_delete(id, &reference)?;
        Ok(reference)
    })?;
    ctx.out.note(&format!(
        "deleted {reference} (undo with 'pressreg restore {reference}')"
    ));
    Ok(())
}

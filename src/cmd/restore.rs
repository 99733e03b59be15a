//! `pressreg restore REF`: undo a soft delete. `deleted_at` is cleared
//! through the revision log, with the reason, and the incident is back in
//! lists, exports and summaries. On an incident `merge-records` folded
//! into another (and not deleted since), it undoes that merge as a whole
//! (`db::fold`). Prints what it did on stderr only.

use anyhow::{bail, Result};

use super::Ctx;
use crate::db::Access;

/// Restore a deleted incident, or undo a merge-records
///
/// On a deleted incident, undoes the delete. On an incident merge-records
/// folded into another, undoes the whole merge: its victims, acts,
/// sources and claims go back, the claims and names it added are removed,
/// and it is no longer a duplicate.
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
        Some(r) => Some(r),
        None => None,
    };
    let mut db = ctx.open(Access::Change)?;
    // A merged incident that is not deleted comes back from its merge;
    // the log says so in the reason of every change.
    let merged = {
        let r = db.read()?;
        let id = r.require_incident(&args.reference)?;
        let rec = r.load_incident(id)?;
        match (&rec.duplicate_of, rec.deleted_at) {
            (Some(keep), None) => Some((r.reference(id)?, keep.clone())),
            _ => None,
        }
    };
    if let Some((reference, keep)) = merged {
        let logged = format!(
            "restore: undo merge-records {reference} into {keep}: {}",
            reason.unwrap_or("restore")
        );
        let undone = db.write(&logged, |w| {
            let id = w.require_incident(&args.reference)?;
            w.unfold(id)
        })?;
        ctx.out.note(&format!(
            "restored {reference}: undid its merge into {} ({} change{} set back)",
            undone.keep,
            undone.changes,
            if undone.changes == 1 { "" } else { "s" }
        ));
        return Ok(());
    }
    let reason = reason.unwrap_or("restore");
    let reference = db.write(reason, |w| {
        let id = w.require_incident(&args.reference)?;
        let reference = w.reference(id)?;
        w.restore(id, &reference)?;
        Ok(reference)
    })?;
    ctx.out.note(&format!("restored {reference}"));
    Ok(())
}

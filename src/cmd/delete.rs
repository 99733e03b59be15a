//! `pressreg delete REF --reason TEXT`: soft delete (undone by `restore`).
//! Nothing is erased: `deleted_at` is set (or cleared) through the revision
//! log, with the reason, and a deleted incident is left out of lists,
//! exports and summaries unless they ask for it.
//!
//! `delete REF --purge --reason TEXT` erases the incident for good (R20):
//! its rows, the values of its revisions, and the old pages of the file
//! and WAL; the log keeps that it was erased, by whom and why.
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
  pressreg restore AF-2021-0009 --reason \"deleted by mistake\"
  pressreg delete AF-2021-0009 --purge --reason \"the witness asked to be erased\"")]
pub struct Args {
    /// The incident's ref (AF-2021-0007) or uid
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Why: kept in the revision log
    #[arg(long, value_name = "TEXT", required = true)]
    pub reason: String,
    /// Erase the incident for good (cannot be undone): its victims, acts,
    /// sources and claims, the values of its revisions, and their traces in
    /// the file and its WAL; the revision log keeps that it was erased, by
    /// whom and why
    #[arg(long)]
    pub purge: bool,
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
    if args.purge {
        let purged = db.write(reason, |w| {
            let id = w.require_incident(&args.reference)?;
            w.purge(id)
        })?;
        // The erasure has committed: say so even when the file could not be
        // rewritten yet.
        db.wipe().map_err(|e| {
            anyhow::anyhow!(
                "erased {} from the tables and the revision log, but {e:#}",
                purged.reference
            )
        })?;
        ctx.out.note(&format!(
            "erased {} for good: the incident, {}, {}, {}, {} and the values of {} (the revision \
             log keeps that it was erased, by whom and why)",
            purged.reference,
            counted(purged.victims, "victim"),
            counted(purged.acts, "act"),
            counted(purged.sources, "source"),
            counted(purged.claims, "claim"),
            counted(purged.revisions as i64, "revision"),
        ));
        return Ok(());
    }
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

/// `1 victim`, `2 victims`, `0 victims`.
fn counted(n: i64, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

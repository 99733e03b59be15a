//! `pressreg merge OTHER.db`: brings another documenter's registry in,
//! matching records by uid (the rules are `db::merge`'s). Prints on stderr
//! what came in, what was renumbered and every conflict, with the claims
//! that keep both values; nothing on stdout.

use std::path::PathBuf;

use anyhow::{anyhow, bail, Result};

use super::Ctx;
use crate::db::{key, Access, Db, Merged};

/// Merge another documenter's registry into this one
///
/// Records are matched by uid. An incident new to this registry is added
/// (renumbered if its ref is taken here, the old ref kept as an alias that
/// show and history accept); a field changed on one side only since the
/// two registries diverged takes that side's value; a field changed on
/// both sides is listed as a conflict and both values are kept as claims,
/// to settle with `claim accept` or `edit`. Records deleted or erased on
/// one side are deleted or erased on the other. Merging the same registry
/// again changes nothing.
///
/// The other registry opens with --other-key-file, else with this
/// registry's key (PRESSREG_KEY_FILE, PRESSREG_KEY or the prompt).
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg merge farida.db --other-key-file farida.key
  pressreg merge field-copy.db --reason \"Kabul team, March\"")]
pub struct Args {
    /// The other registry (a pressreg file, encrypted or not)
    #[arg(value_name = "OTHER.db")]
    pub file: PathBuf,
    /// A file holding the other registry's key (as PRESSREG_KEY_FILE does
    /// for this one)
    #[arg(long, value_name = "PATH")]
    pub other_key_file: Option<PathBuf>,
    /// Why: kept with every change in the revision log [default: merge
    /// OTHER.db]
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

/// Runs `merge`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let shown = args.file.display().to_string();
    let reason = match args.reason.as_deref().map(str::trim) {
        Some("") => bail!("--reason is empty (leave it out, or say what this merge brings in)"),
        Some(r) => r.to_string(),
        None => format!("merge {shown}"),
    };
    let ours = ctx.db_path()?;
    if let (Ok(a), Ok(b)) = (ours.canonicalize(), args.file.canonicalize()) {
        if a == b {
            bail!("'{shown}' is this registry (merge another documenter's registry into it)");
        }
    }
    let mut db = ctx.open(Access::Change)?;
    let other = match &args.other_key_file {
        Some(path) => Db::open_with_key(&args.file, &key::read_key_file(path)?)?,
        None => Db::open(&args.file, Access::Read).map_err(|e| {
            // An encrypted file that this registry's key does not open is
            // most often another documenter's, under their own key.
            let encrypted = std::fs::read(&args.file)
                .is_ok_and(|b| !b.is_empty() && !b.starts_with(b"SQLite format 3\0"));
            if encrypted {
                anyhow!("{e:#} (give its own key with --other-key-file PATH)")
            } else {
                e
            }
        })?,
    };
    let merged = db.merge_from(&other, &reason)?;
    ctx.out.talk(&report(&shown, &merged));
    Ok(())
}

fn counted(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// What the merge did, for stderr.
fn report(shown: &str, m: &Merged) -> String {
    let mut parts = vec![
        format!("{} added", counted(m.added.len(), "incident")),
        format!("{} updated", m.updated.len()),
    ];
    if !m.purged.is_empty() {
        parts.push(format!("{} erased", m.purged.len()));
    }
    parts.push(counted(m.conflicts.len(), "conflict"));
    let mut text = format!("pressreg: merged '{shown}': {}\n", parts.join(", "));
    for (what, refs) in [("added", &m.added), ("updated", &m.updated)] {
        if !refs.is_empty() {
            text.push_str(&format!("{what}: {}\n", refs.join(", ")));
        }
    }
    for (theirs, ours) in &m.renumbered {
        text.push_str(&format!(
            "renumbered: their {theirs} is {ours} here ({theirs} was taken; show and history \
             accept the old ref when no incident here has it)\n"
        ));
    }
    for r in &m.purged {
        text.push_str(&format!("erased: {r} (erased for good in '{shown}')\n"));
    }
    if m.deleted > 0 {
        text.push_str(&format!(
            "deleted: {} (deleted in '{shown}')\n",
            counted(m.deleted, "record")
        ));
    }
    if m.actors > 0 {
        text.push_str(&format!("actors added: {}\n", m.actors));
    }
    for c in &m.conflicts {
        let (shows, other) = if c.theirs_shown {
            (&c.theirs, &c.ours)
        } else {
            (&c.ours, &c.theirs)
        };
        text.push_str(&format!(
            "conflict: {} {}: '{}' here (by {}), '{}' there (by {}); the record shows '{shows}'",
            c.reference, c.what, c.ours, c.by.0, c.theirs, c.by.1
        ));
        match c.claims {
            Some((a, b)) => {
                let other_n = if c.theirs_shown { a } else { b };
                text.push_str(&format!(
                    ", claims {a} and {b} keep both (for '{other}': pressreg claim accept {} {other_n})\n",
                    c.reference
                ));
            }
            None => text.push_str(&format!(" (for '{other}': pressreg edit)\n")),
        }
    }
    text
}

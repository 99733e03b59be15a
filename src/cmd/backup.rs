//! `pressreg backup FILE [--profile partner|internal]`: a verified copy of
//! the registry, made while it is in use, encrypted as the registry is;
//! with a profile, a field copy that holds only what that profile may see
//! (SECURITY.md R24). Says on stderr what the copy holds once it has been
//! checked; prints nothing on stdout.

use std::path::PathBuf;

use anyhow::Result;

use super::Ctx;
use crate::db::{Access, Trim};
use crate::exchange::profile::Profile;

/// Copy the registry to a new file, verified
///
/// Takes a consistent copy while other pressregs may be writing (SQLite's
/// online backup), keyed like the registry, owner-only (0600). The copy is
/// reopened and checked (integrity, revision chain, every table's row
/// count) before the command reports it; a copy that fails the check is
/// removed. FILE must not exist: a backup never overwrites a file. It then
/// prints the head of the revision log (N:HASH): kept apart from both
/// files, `check --expect-head N:HASH` proves later that the log of the
/// registry, or of the copy, still holds it unchanged.
///
/// With --profile partner or internal it is a field copy: records and
/// victims above that level, confidential sources and private notes (for
/// partner, source notes and links between incidents too) are left out,
/// the copy's revision log keeps no value of the registry's history and
/// starts afresh with what the copy holds, and the file is rewritten so
/// nothing left out survives in it.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg backup /media/usb/registry-2021-12-31.db
  pressreg backup field.db --profile partner")]
pub struct Args {
    /// The new file to write (must not exist)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Who the copy is for: full (everything), or a field copy for internal
    /// or partner use
    #[arg(long, value_enum, value_name = "PROFILE", default_value_t = CopyProfile::Full)]
    pub profile: CopyProfile,
}

/// The profiles a copy can be made for. A public copy is an export, not a
/// registry (`export --profile public`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CopyProfile {
    /// Everything: a backup
    Full,
    /// No restricted records, private notes or confidential sources
    Internal,
    /// Public and partner records only; no private notes, source notes,
    /// confidential sources or links between incidents
    Partner,
}

/// Runs `backup`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let mut db = ctx.open(Access::Read)?;
    let shown = args.file.display();
    let (name, profile) = match args.profile {
        CopyProfile::Full => {
            let copied = db.backup(&args.file)?;
            ctx.out.note(&format!(
                "backed up {} incidents and {} revisions to '{shown}' (verified: integrity ok, \
                 every table's row count equal)",
                copied.rows("incident"),
                copied.rows("revision"),
            ));
            // The head goes to the user, not into a file beside the copy:
            // a forger who can rewrite the copy could rewrite that too.
            if let Some(head) = &copied.head {
                ctx.out.note(&format!(
                    "head of its revision log: {head} (keep this line apart from the registry and the \
                     copy: 'pressreg check --expect-head {head}' proves the log still holds it)"
                ));
            }
            return Ok(());
        }
        CopyProfile::Internal => ("internal", Profile::Internal),
        CopyProfile::Partner => ("partner", Profile::Partner),
    };
    let trim = Trim {
        profile: name,
        levels: profile.levels(),
        source_notes: profile == Profile::Partner,
        relations: profile == Profile::Partner,
    };
    let t = db.field_copy(&args.file, &trim)?;
    ctx.out.note(&format!(
        "wrote the {name} field copy '{shown}' (verified): {} incidents kept; left out {} \
         incidents, {} victims and {} confidential sources above that level, and every private \
         note; its revision log starts afresh with what it holds",
        t.incidents_kept, t.incidents_dropped, t.victims_dropped, t.sources_dropped
    ));
    Ok(())
}

//! `pressreg rekey`: change the key of an encrypted registry, in one
//! transaction; afterwards the old key no longer opens it.

use std::path::PathBuf;

use anyhow::Result;

use super::Ctx;
use crate::db::{key, Access, Db};

/// Change the key of an encrypted registry
///
/// Opens the registry with its current key (PRESSREG_KEY_FILE, PRESSREG_KEY
/// or a passphrase typed), then re-encrypts every page with the new key, in
/// one transaction: the new key comes from --new-key-file (a new random key
/// is written there when the file does not exist), else the passphrase in
/// PRESSREG_NEW_KEY, else a passphrase typed twice on the terminal. Needs
/// the registry to itself: with another pressreg using it, it fails as busy
/// and changes nothing. Copies and backups made before keep the old key.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  PRESSREG_KEY_FILE=/media/usb/old.key pressreg rekey --new-key-file /media/usb/new.key
  pressreg rekey            # asks for the current passphrase, then the new one twice")]
pub struct Args {
    /// Re-encrypt with the key in this file (a new random key is written
    /// there, owner-only, when it does not exist)
    #[arg(long, value_name = "PATH")]
    pub new_key_file: Option<PathBuf>,
}

/// Runs `rekey`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let mut db = ctx.open(Access::Write)?;
    // Refused before a new passphrase is asked for.
    db.require_encrypted()?;
    let (new, written) = key::for_new(
        args.new_key_file.as_deref(),
        key::NEW_KEY_VAR,
        "the registry",
    )?;
    let changed = db.rekey(&new);
    let path = db.path().to_path_buf();
    drop(db);
    if let Err(e) = changed {
        if let Some(p) = &written {
            let _ = std::fs::remove_file(p);
        }
        return Err(e);
    }
    // The new key must open what was written before anything is said.
    Db::open_with_key(&path, &new)?;
    ctx.out.note(&format!(
        "'{}' is now encrypted with {}; the old key no longer opens it (copies made before still open with it)",
        path.display(),
        new.origin()
    ));
    Ok(())
}

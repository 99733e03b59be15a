//! `pressreg init`: create the registry, encrypted unless `--plaintext`
//! (or confirm it exists), and print its path. The only command that
//! creates a registry.

use anyhow::{bail, Result};

use super::Ctx;
use crate::db::{key, Access, Db};

/// Create the registry file, encrypted (safe to run again)
///
/// Creates a new registry at --db (or PRESSREG_DB, or pressreg.db in the
/// user's data directory), owner-only, and prints its path. It is encrypted
/// with the key file named by PRESSREG_KEY_FILE (a new random key is
/// written there when the file does not exist: keep it on removable media,
/// apart from the registry), else the passphrase in PRESSREG_KEY, else a
/// passphrase typed twice on the terminal. With --plaintext it is not
/// encrypted: only for public data. Running it on an existing registry
/// opens it (with its key) and changes nothing; a file that is not a
/// registry is refused and left untouched.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  PRESSREG_KEY_FILE=/media/usb/pressreg.key pressreg --db afghanistan.db init
  pressreg --db afghanistan.db init            # asks for a passphrase twice
  pressreg --db cpj-public.db init --plaintext")]
pub struct Args {
    /// Do not encrypt the registry (only for data that is public anyway)
    #[arg(long)]
    pub plaintext: bool,
}

/// Runs `init`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let path = ctx.db_path()?;
    let shown = path.display().to_string();
    if ctx.uses_default_path() {
        crate::cli::create_data_dir()?;
    }
    if path.symlink_metadata().is_ok() {
        // Idempotent: what is there is opened as any command opens it, so
        // a wrong key or a file that is not a registry is refused as such.
        let db = ctx.open(Access::Read)?;
        ctx.out.print(&format!("{}\n", db.path().display()))?;
        return Ok(());
    }
    if args.plaintext {
        if let Some(var) = key::given_name() {
            bail!("--plaintext and {var} contradict each other: unset {var}, or drop --plaintext to encrypt");
        }
        Db::create(&path, None)?;
        ctx.out.print(&format!("{shown}\n"))?;
        ctx.out.note(
            "created a new registry that is NOT encrypted (--plaintext): anyone who gets the file can read it; keep only public data in it",
        );
        return Ok(());
    }
    let key_file = key::key_file_from_env()?;
    // R2 before anything is written, the key file included.
    key::require_linked_sqlcipher()?;
    let (key, written) = key::for_new(key_file.as_deref(), key::KEY_VAR, "the new registry")?;
    if let Err(e) = Db::create(&path, Some(&key)) {
        if let Some(p) = &written {
            let _ = std::fs::remove_file(p);
        }
        return Err(e);
    }
    ctx.out.print(&format!("{shown}\n"))?;
    match written {
        Some(p) => ctx.out.note(&format!(
            "created a new encrypted registry; its key is in the new key file '{}': keep that file apart from the registry (on removable media), since whoever has both can read it and without it nothing can be read back",
            p.display()
        )),
        None => ctx.out.note(&format!("created a new encrypted registry (key: {})", key.origin())),
    }
    Ok(())
}

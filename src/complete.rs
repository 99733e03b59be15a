//! Shell completion and the manual page, both generated from the clap
//! definitions in `cli.rs` so they can never disagree with the program.
//!
//! Completion is dynamic (`clap_complete`'s `CompleteEnv`): the shell calls
//! `pressreg` itself with `COMPLETE=<shell>` set, so commands, flags and
//! every vocabulary come from the same `Command` that parses, and refs and
//! actor names come from the registry the command line names (its `--db`,
//! else `PRESSREG_DB`, else the default). `pressreg completions SHELL`
//! prints the few lines a shell needs to register that call.
//!
//! Completing never asks for anything and never fails aloud: an encrypted
//! registry is read only with a key given in the environment
//! (`PRESSREG_KEY_FILE`, `PRESSREG_KEY`), never a prompt in the middle of
//! a Tab, and a registry that cannot be read offers nothing.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::PathBuf;

use anyhow::{anyhow, Result};
use clap_complete::engine::CompletionCandidate;
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};

use crate::cli::{self, Shell};
use crate::db::{key, Access, Db};

/// The environment variable the shell sets when it asks for completions.
pub const VAR: &str = "COMPLETE";

/// Answers the shell when it asks for completions (and exits); otherwise
/// returns and the program goes on.
pub fn answer_shell() {
    clap_complete::CompleteEnv::with_factory(cli::command)
        .var(VAR)
        .complete();
}

/// Prints the script that registers completion with `shell`.
pub fn registration(shell: Shell, out: &mut dyn Write) -> Result<()> {
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::Powershell => &Powershell,
        Shell::Elvish => &Elvish,
    };
    // The script calls `pressreg` by name: found on PATH when the user
    // presses Tab, so it survives reinstalling to another place.
    completer.write_registration(VAR, "pressreg", "pressreg", "pressreg", out)?;
    Ok(())
}

/// Writes the manual: `pressreg.1` to `out`, or with `dir` one page per
/// command there (`pressreg.1`, `pressreg-add.1`, …).
pub fn manual(dir: Option<&std::path::Path>, out: &mut dyn Write) -> Result<()> {
    let cmd = cli::command();
    match dir {
        None => clap_mangen::Man::new(cmd).render(out)?,
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| anyhow!("cannot create '{}': {e}", dir.display()))?;
            clap_mangen::generate_to(cmd, dir)
                .map_err(|e| anyhow!("cannot write the manual to '{}': {e}", dir.display()))?;
        }
    }
    Ok(())
}

/// Live incidents' refs starting with what was typed (case does not
/// matter, as for every ref), each with its date, country and victims.
pub fn refs(current: &OsStr) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy().to_ascii_uppercase();
    let mut found = Vec::new();
    let _ = with_registry(|db| {
        let r = db.read()?;
        r.list(&crate::db::query::Filter::default(), |row| {
            if row.reference.to_ascii_uppercase().starts_with(&typed) {
                let date = row.date_start.map(|d| d.to_string()).unwrap_or_default();
                let help = format!("{date} {} {}", row.country, row.victims.join(", "));
                found.push(CompletionCandidate::new(row.reference).help(Some(help.into())));
            }
            Ok(())
        })
    });
    found
}

/// Every actor's name in the registry.
pub fn actors() -> Vec<CompletionCandidate> {
    let mut found = Vec::new();
    let _ = with_registry(|db| {
        for actor in db.read()?.actors()? {
            found.push(CompletionCandidate::new(actor.actor.name));
        }
        Ok(())
    });
    found
}

/// Every ISO 3166-1 code, with its country's name.
pub fn countries() -> Vec<CompletionCandidate> {
    let mut all: Vec<_> = rust_iso3166::ALL.iter().collect();
    all.sort_by_key(|c| c.alpha2);
    all.into_iter()
        .map(|c| CompletionCandidate::new(c.alpha2).help(Some(c.name.into())))
        .collect()
}

/// Runs `f` on the registry named by the command line being completed, if
/// it can be opened without asking for a key.
fn with_registry(f: impl FnOnce(&mut Db) -> Result<()>) -> Result<()> {
    let path = cli::registry_path(&completed_db())?;
    let mut header = [0u8; 16];
    std::fs::File::open(&path)?.read_exact(&mut header)?;
    let plaintext = &header == b"SQLite format 3\0";
    if !plaintext && key::given()?.is_none() {
        return Ok(());
    }
    let mut db = Db::open(&path, Access::Read)?;
    f(&mut db)
}

/// The `--db` of the command line being completed (the words after `--`),
/// else `PRESSREG_DB`.
fn completed_db() -> Option<PathBuf> {
    let args: Vec<String> = std::env::args().skip_while(|a| a != "--").skip(1).collect();
    let mut given = None;
    for (i, a) in args.iter().enumerate() {
        if a == "--db" {
            given = args.get(i + 1).map(PathBuf::from);
        } else if let Some(p) = a.strip_prefix("--db=") {
            given = Some(PathBuf::from(p));
        }
    }
    given.or_else(|| {
        std::env::var_os("PRESSREG_DB")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
}

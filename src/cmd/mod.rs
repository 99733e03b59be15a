//! One module per command, each with its clap `Args` and a `run`, and the
//! few helpers several commands share (the context, flag names in
//! validation messages, a past day).
//!
//! Every `run` reaches the registry only through `Ctx::open` and then a
//! `db::Reader` (`Db::read`) or a `db::Writer` (`Db::write`); it prints
//! data with `Out::print` and notes with `Out::note`, and ends with `Ok` or
//! an error (`Usage` for a command line that cannot work): `main` turns
//! that into the `pressreg:` line and the exit code.

pub mod act;
pub mod actor;
pub mod add;
pub mod backup;
pub mod check;
pub mod claim;
pub mod completions;
pub mod delete;
pub mod duplicates;
pub mod edit;
pub mod export;
pub mod history;
pub mod import;
pub mod init;
pub mod letter;
pub mod list;
pub mod man;
pub mod merge;
pub mod merge_records;
pub mod perpetrator;
pub mod rekey;
pub mod restore;
pub mod show;
pub mod source;
pub mod summary;
pub mod victim;

use std::path::PathBuf;

use anyhow::{anyhow, bail, Result};

use crate::cli::{self, Cli, Command};
use crate::db::{Access, Db};
use crate::output::Out;

/// What every command gets: where the registry is and how to print.
pub struct Ctx {
    db: Option<PathBuf>,
    /// How to present output.
    pub out: Out,
}

impl Ctx {
    /// The registry's path as the user chose it (or the default).
    pub fn db_path(&self) -> Result<PathBuf> {
        cli::registry_path(&self.db)
    }

    /// Whether the registry is the default one in the user's data
    /// directory (no `--db`, no `PRESSREG_DB`).
    pub fn uses_default_path(&self) -> bool {
        self.db.is_none()
    }

    /// Opens the registry; only `init` creates one (`Db::create`), so a
    /// missing registry is an error whatever `access` is.
    pub fn open(&self, access: Access) -> Result<Db> {
        let path = self.db_path()?;
        Db::open(&path, access).map_err(|e| match nearby_registry(&path) {
            Some(near) => anyhow!("{e:#}; did you mean --db {}?", near.display()),
            None => e,
        })
    }
}

/// For a registry path that does not exist (a mistyped `--db`), the file
/// beside it with the same extension whose name is nearest, if one is near
/// (`afghanstan.db` → `afghanistan.db`).
fn nearby_registry(path: &std::path::Path) -> Option<PathBuf> {
    if path.symlink_metadata().is_ok() {
        return None;
    }
    let typed = path.file_name()?.to_string_lossy().to_lowercase();
    let ext = path.extension();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file() && e.path().extension() == ext)
        .map(|e| {
            let name = e.file_name().to_string_lossy().to_lowercase();
            (strsim::jaro_winkler(&typed, &name), e.file_name())
        })
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| path.with_file_name(name))
}

/// A plain ISO day that is not in the future.
fn past_day(
    text: Option<&str>,
    flag: &str,
    today: chrono::NaiveDate,
) -> Result<Option<chrono::NaiveDate>> {
    let Some(text) = text else { return Ok(None) };
    let day = crate::dates::parse_day(text, flag)?;
    if day > today {
        bail!("{flag} {day} is in the future (today is {today})");
    }
    Ok(Some(day))
}

/// Names validation errors after the flags the user typed: `validate.rs`
/// speaks of record fields ("act 1: date …"), the user typed flags.
fn flag_names(e: anyhow::Error, renames: &[(&str, &str)]) -> anyhow::Error {
    let text = format!("{e:#}");
    for (field, flag) in renames {
        if let Some(rest) = text.strip_prefix(field) {
            return anyhow!("{flag}{rest}");
        }
    }
    anyhow!(text)
}

/// A validation error about a record given by flags, said with the flag
/// that set the field (`--note: note holds …`), as `add` says it; a field
/// no flag sets keeps `validate`'s own words.
fn flagged(e: &crate::validate::Invalid, flags: &[(&str, &str)]) -> anyhow::Error {
    match flags.iter().find(|(field, _)| *field == e.field) {
        Some((_, flag)) => anyhow!("{flag}: {}", e.message),
        None => anyhow!("{e}"),
    }
}

/// A command line that cannot work, found after clap parsed it (a flag
/// that needs another): `main` reports it as a usage error, like clap's.
#[derive(Debug)]
pub struct Usage(pub String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// Runs the command the user chose.
pub fn run(cli: Cli) -> Result<()> {
    let ctx = Ctx {
        db: cli.db,
        out: Out::new(cli.color, cli.wide, cli.width.map(usize::from)),
    };
    match cli.command {
        Command::Init(args) => init::run(&ctx, args),
        Command::Rekey(args) => rekey::run(&ctx, args),
        Command::Add(args) => add::run(&ctx, *args),
        Command::Victim(args) => victim::run(&ctx, args),
        Command::Act(args) => act::run(&ctx, args),
        Command::Perpetrator(args) => perpetrator::run(&ctx, args),
        Command::Source(args) => source::run(&ctx, args),
        Command::Claim(args) => claim::run(&ctx, args),
        Command::Actor(args) => actor::run(&ctx, args),
        Command::List(args) => list::run(&ctx, args),
        Command::Show(args) => show::run(&ctx, args),
        Command::Edit(args) => edit::run(&ctx, args),
        Command::Delete(args) => delete::run(&ctx, args),
        Command::Restore(args) => restore::run(&ctx, args),
        Command::History(args) => history::run(&ctx, args),
        Command::Import(args) => import::run(&ctx, args),
        Command::Export(args) => export::run(&ctx, args),
        Command::Summary(args) => summary::run(&ctx, args),
        Command::Letter(args) => letter::run(&ctx, args),
        Command::Duplicates(args) => duplicates::run(&ctx, args),
        Command::MergeRecords(args) => merge_records::run(&ctx, args),
        Command::Check(args) => check::run(&ctx, args),
        Command::Backup(args) => backup::run(&ctx, args),
        Command::Completions(args) => completions::run(&ctx, args),
        Command::Man(args) => man::run(&ctx, args),
        Command::Merge(args) => merge::run(&ctx, args),
    }
}

//! One module per command, each with its clap `Args` and a `run`. This file
//! only dispatches: no logic lives here.

pub mod actor;
pub mod add;
pub mod attach;
pub mod check;
pub mod delete;
pub mod edit;
pub mod export;
pub mod history;
pub mod import;
pub mod init;
pub mod letter;
pub mod list;
pub mod show;
pub mod summary;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

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

    /// Opens the registry for reading or writing.
    pub fn open(&self, access: Access) -> Result<Db> {
        Db::open(&self.db_path()?, access)
    }
}

/// Removes a registry file and its WAL companions: what a command that
/// created the registry does when nothing went in, so that a refused
/// command leaves nothing behind.
pub fn remove_registry(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

/// Runs the command the user chose.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let ctx = Ctx {
        db: cli.db,
        out: Out::new(cli.color),
    };
    match cli.command {
        Command::Init(args) => init::run(&ctx, args),
        Command::Add(args) => add::run(&ctx, *args),
        Command::Victim(args) => attach::run_victim(&ctx, args),
        Command::Act(args) => attach::run_act(&ctx, args),
        Command::Perpetrator(args) => attach::run_perpetrator(&ctx, args),
        Command::Source(args) => attach::run_source(&ctx, args),
        Command::Claim(args) => attach::run_claim(&ctx, args),
        Command::Actor(args) => actor::run(&ctx, args),
        Command::List(args) => list::run(&ctx, args),
        Command::Show(args) => show::run(&ctx, args),
        Command::Edit(args) => edit::run(&ctx, args),
        Command::Delete(args) => delete::run_delete(&ctx, args),
        Command::Restore(args) => delete::run_restore(&ctx, args),
        Command::History(args) => history::run(&ctx, args),
        Command::Import(args) => import::run(&ctx, args),
        Command::Export(args) => export::run(&ctx, args),
        Command::Summary(args) => summary::run(&ctx, args),
        Command::Letter(args) => letter::run(&ctx, args),
        Command::Check(args) => check::run(&ctx, args),
    }
}

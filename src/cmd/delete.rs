//! `pressreg delete` (being built).

use std::process::ExitCode;

use anyhow::{bail, Result};

use super::Ctx;

/// Arguments of `delete`.
#[derive(Debug, clap::Args)]
pub struct DeleteArgs {}

/// Runs the command.
pub fn run_delete(_ctx: &Ctx, _args: DeleteArgs) -> Result<ExitCode> {
    bail!("'delete' is not built yet")
}

/// Arguments of `delete`.
#[derive(Debug, clap::Args)]
pub struct RestoreArgs {}

/// Runs the command.
pub fn run_restore(_ctx: &Ctx, _args: RestoreArgs) -> Result<ExitCode> {
    bail!("'delete' is not built yet")
}

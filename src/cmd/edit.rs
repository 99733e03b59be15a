//! `pressreg edit` (being built).

use std::process::ExitCode;

use anyhow::{bail, Result};

use super::Ctx;

/// Arguments of `edit`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_ctx: &Ctx, _args: Args) -> Result<ExitCode> {
    bail!("'edit' is not built yet")
}

//! `pressreg list` (being built).

use std::process::ExitCode;

use anyhow::{bail, Result};

use super::Ctx;

/// Arguments of `list`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_ctx: &Ctx, _args: Args) -> Result<ExitCode> {
    bail!("'list' is not built yet")
}

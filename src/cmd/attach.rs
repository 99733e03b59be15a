//! `pressreg attach` (being built).

use std::process::ExitCode;

use anyhow::{bail, Result};

use super::Ctx;

/// Arguments of `attach`.
#[derive(Debug, clap::Args)]
pub struct VictimArgs {}

/// Runs the command.
pub fn run_victim(_ctx: &Ctx, _args: VictimArgs) -> Result<ExitCode> {
    bail!("'attach' is not built yet")
}

/// Arguments of `attach`.
#[derive(Debug, clap::Args)]
pub struct ActArgs {}

/// Runs the command.
pub fn run_act(_ctx: &Ctx, _args: ActArgs) -> Result<ExitCode> {
    bail!("'attach' is not built yet")
}

/// Arguments of `attach`.
#[derive(Debug, clap::Args)]
pub struct PerpetratorArgs {}

/// Runs the command.
pub fn run_perpetrator(_ctx: &Ctx, _args: PerpetratorArgs) -> Result<ExitCode> {
    bail!("'attach' is not built yet")
}

/// Arguments of `attach`.
#[derive(Debug, clap::Args)]
pub struct SourceArgs {}

/// Runs the command.
pub fn run_source(_ctx: &Ctx, _args: SourceArgs) -> Result<ExitCode> {
    bail!("'attach' is not built yet")
}

/// Arguments of `attach`.
#[derive(Debug, clap::Args)]
pub struct ClaimArgs {}

/// Runs the command.
pub fn run_claim(_ctx: &Ctx, _args: ClaimArgs) -> Result<ExitCode> {
    bail!("'attach' is not built yet")
}

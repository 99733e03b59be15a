//! `pressreg show REF`: one whole incident.

use std::process::ExitCode;

use anyhow::Result;

use super::Ctx;
use crate::db::{read, Access};

/// Show one incident with its victims, acts, perpetrators and sources
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg show AF-2021-0007
  pressreg show AF-2021-0007 --format json")]
pub struct Args {
    /// The incident's ref (AF-2021-0007) or uid
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
}

/// How `show` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ShowFormat {
    /// A readable page
    Text,
    /// The nested record, as JSONL export writes it
    Json,
}

/// Runs `show`.
pub fn run(ctx: &Ctx, args: Args) -> Result<ExitCode> {
    let db = ctx.open(Access::Read)?;
    let id = read::require_incident(db.conn(), &args.reference)?;
    let mut rec = read::load_incident(db.conn(), id)?;
    let country = rec.country.clone();
    for v in &mut rec.victims {
        v.local_or_foreign = v.local_or_foreign_in(&country);
    }
    match args.format {
        ShowFormat::Json => {
            ctx.out
                .print(&format!("{}\n", serde_json::to_string_pretty(&rec)?))?;
        }
        ShowFormat::Text => {
            ctx.out
                .print(&format!("{}\n", serde_json::to_string_pretty(&rec)?))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

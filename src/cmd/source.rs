//! `pressreg source add REF`: add a source backing an incident; prints its
//! number in the incident.
//!
//! One transaction: the values are checked with the rules of `validate.rs`, a
//! deleted incident is refused, every row goes through `db::Writer` (so it is
//! in the revision log) and the incident is marked as updated.

use anyhow::{bail, Result};

use super::{past_day, Ctx};
use crate::clock;
use crate::db::Access;
use crate::model::*;
use crate::vocab::*;

/// Add a source to an incident
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg source add AF-2021-0001 --url https://www.reuters.com/... --publisher Reuters \\
      --type wire_report --published-on 2021-08-09 --reliability high")]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

/// What `source` can do.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Add(AddArgs),
}

/// Add a source (a report, a statement, an interview) to an incident
///
/// Prints the source's number in the incident (1, 2, …), which `claim add
/// --source` takes.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg source add AF-2021-0001 --url https://www.reuters.com/... --publisher Reuters \\
      --type wire_report --published-on 2021-08-09 --reliability high
  pressreg source add AF-2021-0001 --url https://twitter.com/... --type perpetrator_claim \\
      --publisher \"Amaq\" --language ar
  pressreg source add AF-2021-0001 --url tel:+93700000000 --type interview --confidential \\
      --note \"colleague of the victim\"")]
pub struct AddArgs {
    /// The incident's ref (AF-2021-0007)
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Where the source is
    #[arg(long, value_name = "URL")]
    pub url: String,
    /// Who published it
    #[arg(long, value_name = "NAME", default_value = "")]
    pub publisher: String,
    /// What kind of source it is
    #[arg(long = "type", value_enum, value_name = "TYPE", default_value_t = SourceType::NewsReport)]
    pub source_type: SourceType,
    /// Its title or headline
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub title: String,
    /// Date of publication (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub published_on: Option<String>,
    /// When it was read (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub accessed_on: Option<String>,
    /// Its language (en, fa, ps, ar, …)
    #[arg(long, value_name = "CODE", default_value = "")]
    pub language: String,
    /// How far it can be trusted
    #[arg(long, value_enum, default_value_t = Reliability::Unknown)]
    pub reliability: Reliability,
    /// The source must never leave the registry (an interview, a contact)
    #[arg(long)]
    pub confidential: bool,
    /// A note on the source
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub note: String,
}

/// Runs `source add`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let Command::Add(args) = args.command;
    let today = clock::today()?;
    let url = args.url.trim();
    if url.is_empty() {
        bail!("--url is empty (give where the source is)");
    }
    let mut source = SourceRecord::new(url);
    source.source_type = args.source_type;
    source.publisher = args.publisher.trim().to_string();
    source.title = args.title.trim().to_string();
    source.published_on = past_day(args.published_on.as_deref(), "--published-on", today)?;
    source.accessed_on = past_day(args.accessed_on.as_deref(), "--accessed-on", today)?;
    source.language = args.language.trim().to_string();
    source.reliability = args.reliability;
    source.confidential = args.confidential;
    source.note = args.note.trim().to_string();
    let mut db = ctx.open(Access::Change)?;
    let number = db.write("source add", |w| {
        let target = w.open_incident(&args.reference)?;
        let id = w.add_source(target.id, &source)?;
        w.touch(target.id)?;
        w.source_number(target.id, id)
    })?;
    ctx.out.print(&format!("{number}\n"))?;
    Ok(())
}

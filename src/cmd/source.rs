//! `pressreg source add|retract|edit`: the sources backing an incident.
//! `add` prints the new source's number; `retract` marks a source (and the
//! claims it makes) withdrawn, kept in history; `edit` is `edit REF --set
//! source.N.FIELD=VALUE` under another name.
//!
//! Each is one transaction: the values are checked with the rules of
//! `validate.rs`, a deleted incident is refused, every row goes through the
//! revision log and the incident is marked as updated.

use anyhow::{bail, Result};

use super::{past_day, Ctx};
use crate::clock;
use crate::db::Access;
use crate::model::*;
use crate::validate::{self, Part};
use crate::vocab::*;

/// Add, correct or withdraw the sources of an incident
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
    Retract(RetractArgs),
    Edit(EditArgs),
}

/// Withdraw a source (one that landed on the wrong incident, or that its
/// publisher withdrew) with every claim it makes
///
/// The source keeps its number and stays in `show` and `history`, marked
/// withdrawn; it no longer counts as a publisher, and it leaves only in a
/// full backup. The record keeps its values.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg source retract AF-2021-0001 2 --reason \"about the Kandahar attack, not this one\"")]
pub struct RetractArgs {
    /// The incident's ref (AF-2021-0007)
    #[arg(value_name = "REF")]
    pub reference: String,
    /// The source's number in the incident
    #[arg(value_name = "N")]
    pub number: usize,
    /// Why: kept in the revision log
    #[arg(long, value_name = "TEXT", required = true)]
    pub reason: String,
}

/// Change fields of a source (as `edit REF --set source.N.FIELD=VALUE`)
///
/// Fields: type, publisher, url, title, published_on, accessed_on,
/// language, reliability, confidential (true/false), note, via.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg source edit AF-2021-0001 2 --set publisher=\"Khaama Press\" --reason \"publisher was missing\"
  pressreg source edit AF-2021-0001 3 --set via=Reuters --reason \"a copy of the Reuters wire\"")]
pub struct EditArgs {
    /// The incident's ref (AF-2021-0007)
    #[arg(value_name = "REF")]
    pub reference: String,
    /// The source's number in the incident
    #[arg(value_name = "N")]
    pub number: usize,
    /// A change, FIELD=VALUE (repeatable)
    #[arg(long = "set", value_name = "FIELD=VALUE", required = true)]
    pub set: Vec<String>,
    /// Why: kept with every change in the revision log
    #[arg(long, value_name = "TEXT", required = true)]
    pub reason: String,
    /// Print the changes and write nothing
    #[arg(long)]
    pub dry_run: bool,
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
    /// The publisher whose story this repeats (a newspaper printing a wire)
    #[arg(long, value_name = "NAME", default_value = "")]
    pub via: String,
}

/// Runs `source`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    match args.command {
        Command::Add(a) => add(ctx, a),
        Command::Retract(a) => retract(ctx, a),
        Command::Edit(a) => {
            let set: Vec<String> = a
                .set
                .iter()
                .map(|s| format!("source.{}.{}", a.number, s.trim_start()))
                .collect();
            super::edit::change(ctx, &a.reference, &set, &a.reason, a.dry_run)
        }
    }
}

/// Runs `source retract`.
fn retract(ctx: &Ctx, args: RetractArgs) -> Result<()> {
    let reason = args.reason.trim();
    if reason.is_empty() {
        bail!("--reason is empty (say why; it is kept in the revision log)");
    }
    let mut db = ctx.open(Access::Change)?;
    let withdrawn = db.write(reason, |w| {
        let target = w.open_incident(&args.reference)?;
        w.retract_source(&target, args.number)
    })?;
    let mut text = format!("source {} withdrawn\n", args.number);
    for n in withdrawn {
        text.push_str(&format!("claim {n} withdrawn\n"));
    }
    ctx.out.print(&text)?;
    Ok(())
}

/// Runs `source add`.
fn add(ctx: &Ctx, args: AddArgs) -> Result<()> {
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
    source.via = args.via.trim().to_string();
    validate::source_texts(&source, Part::Source(1)).map_err(|e| {
        super::flagged(
            &e,
            &[
                ("url", "--url"),
                ("publisher", "--publisher"),
                ("title", "--title"),
                ("language", "--language"),
                ("note", "--note"),
                ("via", "--via"),
            ],
        )
    })?;
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

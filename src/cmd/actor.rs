//! `pressreg actor add|list|show`: the actors perpetrators are drawn from,
//! and their type over time.
//!
//! An actor's type can change (the Taliban were an armed group until
//! 2021-08-15 and the de facto authority from 2021-08-16); an act is counted
//! under the type in force on its date. `actor add` on an existing actor
//! adds a type period, and refuses one that overlaps a period it has.

use anyhow::{anyhow, bail, Result};
use chrono::NaiveDate;
use serde_json::json;

use super::Ctx;
use crate::cli::Format;
use crate::db::{Access, ActorSummary};
use crate::model::{ActorRecord, ActorTypePeriod};
use crate::output::{self, Col};
use crate::validate::{self, Part};
use crate::vocab::*;
use crate::{clock, dates};

/// Record actors (perpetrators) and their type over time
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg actor add Taliban --type armed_group --to 2021-08-15 --alias \"Islamic Emirate\"
  pressreg actor add Taliban --type de_facto_authority --from 2021-08-16
  pressreg actor list
  pressreg actor show Taliban")]
pub struct Args {
    #[command(subcommand)]
    pub command: ActorCommand,
}

/// What `actor` can do.
#[derive(Debug, clap::Subcommand)]
pub enum ActorCommand {
    Add(AddArgs),
    #[command(visible_alias = "ls")]
    List(ListArgs),
    Show(ShowArgs),
}

/// Create an actor, or give an existing one a type for a period
///
/// A new actor gets the type for the period given (all time when neither
/// --from nor --to is given). An existing actor (matched by name or alias,
/// whatever the case) gets one more type period; a period that overlaps
/// one it has is refused, and one it has already changes nothing. --alias
/// adds other names the actor is known by.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg actor add Taliban --type armed_group --to 2021-08-15 --alias \"Islamic Emirate\"
  pressreg actor add Taliban --type de_facto_authority --from 2021-08-16
  pressreg actor add \"Islamic State Khorasan\" --type armed_group --alias ISKP --alias IS-K")]
pub struct AddArgs {
    /// The actor's name
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The actor's type during the period
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub actor_type: ActorType,
    /// First day of the period (YYYY-MM-DD; open when left out)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day of the period (YYYY-MM-DD; open when left out)
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Another name the actor is known by (repeatable)
    #[arg(long, value_name = "NAME")]
    pub alias: Vec<String>,
}

/// List actors with their aliases, types over time and linked acts
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg actor list
  pressreg actor list --format csv > actors.csv
  pressreg actor list --format json")]
pub struct ListArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Show an actor: its type periods, aliases, and the acts it is linked to
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg actor show Taliban
  pressreg actor show \"islamic emirate\"
  pressreg actor show Taliban --format json")]
pub struct ShowArgs {
    /// The actor's name or alias
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
}

/// How `actor show` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ShowFormat {
    /// A readable page
    Text,
    /// One JSON object
    Json,
}

/// Runs `actor`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    match args.command {
        ActorCommand::Add(a) => add(ctx, a),
        ActorCommand::List(a) => list(ctx, a),
        ActorCommand::Show(a) => show(ctx, a),
    }
}

fn add(ctx: &Ctx, args: AddArgs) -> Result<()> {
    let today = clock::today()?;
    let name = args.name.trim().to_string();
    if name.is_empty() {
        bail!("the actor's name is empty (give a name such as Taliban)");
    }
    let from = day(args.from.as_deref(), "--from", today)?;
    let to = day(args.to.as_deref(), "--to", today)?;
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            bail!("--to {t} is before --from {f}");
        }
    }
    let period = ActorTypePeriod {
        actor_type: args.actor_type,
        valid_from: from,
        valid_to: to,
    };
    // The rule is applied to what is written: the new actor's name and
    // every alias (an existing actor's name is not written again).
    let given = ActorRecord {
        uid: None,
        name: name.clone(),
        aliases: args.alias.clone(),
        note: String::new(),
        types: vec![],
    };
    validate::actor_texts(&given, Part::Actor(1))
        .map_err(|e| super::flagged(&e, &[("name", "<NAME>"), ("aliases", "--alias")]))?;
    let mut db = ctx.open(Access::Write)?;
    db.write("actor add", |w| {
        match w.actor_by_name(&name)? {
            Some(id) => {
                // The same period again changes nothing, so that a script
                // can run `actor add` every time (and to add aliases).
                if !w.load_actor(id)?.types.contains(&period) {
                    w.add_actor_period(id, &period)?;
                }
                w.add_aliases(id, &args.alias)?;
            }
            None => {
                let id = w.add_actor(&ActorRecord {
                    uid: None,
                    name: name.clone(),
                    aliases: vec![],
                    note: String::new(),
                    types: vec![period.clone()],
                })?;
                w.add_aliases(id, &args.alias)?;
            }
        }
        Ok(())
    })?;
    Ok(())
}

fn list(ctx: &Ctx, args: ListArgs) -> Result<()> {
    let mut db = ctx.open(Access::Read)?;
    let all = db.read()?.actors()?;
    let text = match args.format {
        Format::Table => {
            let rows: Vec<Vec<String>> = all
                .iter()
                .map(|a| {
                    vec![
                        a.actor.name.clone(),
                        a.actor.aliases.join(", "),
                        a.actor
                            .types
                            .iter()
                            .map(period_text)
                            .collect::<Vec<_>>()
                            .join("; "),
                        a.acts.to_string(),
                    ]
                })
                .collect();
            output::table(
                &ctx.out,
                &["name", "aliases", "types", "acts"],
                &[Col::Keep, Col::Text, Col::Text, Col::Count],
                &rows,
            )
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["name", "aliases", "types", "acts"])?;
            for a in &all {
                let types = a
                    .actor
                    .types
                    .iter()
                    .map(period_text)
                    .collect::<Vec<_>>()
                    .join("|");
                w.write_record([
                    output::csv_text(&a.actor.name).as_ref(),
                    output::csv_text(&a.actor.aliases.join("|")).as_ref(),
                    output::csv_text(&types).as_ref(),
                    &a.acts.to_string(),
                ])?;
            }
            String::from_utf8(w.into_inner().map_err(|e| anyhow!("{e}"))?)?
        }
        Format::Json => {
            let values: Vec<_> = all.iter().map(summary_json).collect();
            format!("{}\n", serde_json::to_string_pretty(&values)?)
        }
        Format::Jsonl => all
            .iter()
            .map(|a| format!("{}\n", summary_json(a)))
            .collect(),
    };
    // The table's cells are escaped already and its header may be bold.
    if args.format == Format::Table {
        ctx.out.print_built(&text)?;
    } else {
        ctx.out.print(&text)?;
    }
    Ok(())
}

fn show(ctx: &Ctx, args: ShowArgs) -> Result<()> {
    let mut db = ctx.open(Access::Read)?;
    let r = db.read()?;
    let Some(id) = r.actor_by_name(&args.name)? else {
        bail!("{}", r.unknown_actor(&args.name)?);
    };
    let actor = r.load_actor(id)?;
    let links = r.actor_links(id)?;
    let text = match args.format {
        ShowFormat::Json => {
            let links: Vec<_> = links
                .iter()
                .map(|l| {
                    json!({
                        "ref": l.reference,
                        "date": l.date,
                        "act": l.act,
                        "act_type": l.act_type,
                        "actor_type": l.actor_type,
                        "role": l.role,
                        "basis": l.basis,
                        "confidence": l.confidence,
                    })
                })
                .collect();
            let value = json!({
                "name": actor.name,
                "aliases": actor.aliases,
                "types": actor.types,
                "links": links,
            });
            format!("{}\n", serde_json::to_string_pretty(&value)?)
        }
        ShowFormat::Text => {
            let mut s = format!("name: {}\n", ctx.out.text(&actor.name));
            if !actor.aliases.is_empty() {
                s.push_str(&format!(
                    "aliases: {}\n",
                    ctx.out.text(&actor.aliases.join(", "))
                ));
            }
            s.push_str("types:\n");
            for p in &actor.types {
                s.push_str(&format!("  {}\n", period_text(p)));
            }
            if links.is_empty() {
                s.push_str("linked to no act\n");
            } else {
                s.push_str("acts:\n");
                let rows: Vec<Vec<String>> = links
                    .iter()
                    .map(|l| {
                        vec![
                            l.reference.clone(),
                            l.date.map(|d| d.to_string()).unwrap_or_default(),
                            l.act.clone(),
                            l.act_type.to_string(),
                            l.actor_type.map(|t| t.to_string()).unwrap_or_default(),
                            l.role.to_string(),
                            l.basis.to_string(),
                            l.confidence.to_string(),
                        ]
                    })
                    .collect();
                let table = output::table(
                    &ctx.out,
                    &[
                        "ref",
                        "date",
                        "act",
                        "act_type",
                        "actor_type",
                        "role",
                        "basis",
                        "confidence",
                    ],
                    &[
                        Col::Keep,
                        Col::Keep,
                        Col::Keep,
                        Col::Text,
                        Col::Text,
                        Col::Text,
                        Col::Text,
                        Col::Text,
                    ],
                    &rows,
                );
                for line in table.lines() {
                    s.push_str(&format!("  {line}\n"));
                }
            }
            s
        }
    };
    // The page's text went through Out::text; its table may be bold.
    if args.format == ShowFormat::Text {
        ctx.out.print_built(&text)?;
    } else {
        ctx.out.print(&text)?;
    }
    Ok(())
}

/// One type period in words: `armed_group to 2021-08-15`.
fn period_text(p: &ActorTypePeriod) -> String {
    match (p.valid_from, p.valid_to) {
        (None, None) => p.actor_type.to_string(),
        (Some(f), None) => format!("{} from {f}", p.actor_type),
        (None, Some(t)) => format!("{} to {t}", p.actor_type),
        (Some(f), Some(t)) => format!("{} from {f} to {t}", p.actor_type),
    }
}

fn summary_json(a: &ActorSummary) -> serde_json::Value {
    json!({
        "name": a.actor.name,
        "aliases": a.actor.aliases,
        "types": a.actor.types,
        "acts": a.acts,
    })
}

/// A plain ISO day that is not in the future.
fn day(text: Option<&str>, flag: &str, today: NaiveDate) -> Result<Option<NaiveDate>> {
    let Some(text) = text else { return Ok(None) };
    let d = dates::parse_day(text, flag)?;
    if d > today {
        bail!("{flag} {d} is in the future (today is {today})");
    }
    Ok(Some(d))
}

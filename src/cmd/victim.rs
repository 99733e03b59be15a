//! `pressreg victim add REF`: add a victim (and optionally the act against
//! them) to an incident; prints the victim's position so scripts can chain.
//!
//! One transaction: the values are checked with the rules of `validate.rs`, a
//! deleted incident is refused, every row goes through `db::Writer` (so it is
//! in the revision log) and the incident is marked as updated.

use anyhow::{bail, Result};

use super::{flag_names, Ctx};
use crate::db::Access;
use crate::model::*;
use crate::vocab::*;
use crate::{clock, validate};

/// Add a victim to an incident
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg victim add AF-2021-0001 --name \"Nematullah Hemat\" --outlet \"Ghargasht TV\" --act kidnapped
  pressreg victim add AF-2021-0001 --anonymous --sex female --category media_worker")]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

/// What `victim` can do.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Add(AddArgs),
}

/// Add a victim (and optionally the act against them) to an incident
///
/// Prints the victim's position in the incident (1, 2, …), which `act add
/// --victim` and `claim add --victim` take.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg victim add AF-2021-0001 --name \"Nematullah Hemat\" --outlet \"Ghargasht TV\" \\
      --job reporter --act kidnapped --method abduction
  pressreg victim add AF-2021-0001 --name \"Mina Khairi\" --sex female --act killed \\
      --death-context indiscriminate --method explosive
  pressreg victim add AF-2021-0001 --anonymous --category media_worker --act threatened")]
pub struct AddArgs {
    /// The incident's ref (AF-2021-0007)
    #[arg(value_name = "REF")]
    pub reference: String,
    /// The victim's name
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Another spelling of the name (repeatable)
    #[arg(long, value_name = "NAME")]
    pub name_variant: Vec<String>,
    /// The victim asked not to be named: exports show a pseudonym
    #[arg(long)]
    pub anonymous: bool,
    #[arg(long, value_enum, default_value_t = Sex::Unknown)]
    pub sex: Sex,
    #[arg(long, value_name = "YEARS")]
    pub age: Option<u8>,
    /// ISO country code of the victim's nationality
    #[arg(long, value_name = "CC", default_value = "")]
    pub nationality: String,
    #[arg(long, value_enum, default_value_t = Category::Journalist)]
    pub category: Category,
    #[arg(long, value_enum, default_value_t = Employment::Unknown)]
    pub employment: Employment,
    /// A job the victim held (repeatable, or comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "JOB")]
    pub job: Vec<Job>,
    /// A medium the victim worked in (repeatable, or comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "MEDIUM")]
    pub medium: Vec<Medium>,
    /// The outlet the victim worked for
    #[arg(long, value_name = "NAME", default_value = "")]
    pub outlet: String,
    /// A subject the victim covered (repeatable, or comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "BEAT")]
    pub beat: Vec<Beat>,
    /// Where the victim stands now
    #[arg(long, value_enum, default_value_t = VictimStatus::Unknown)]
    pub status: VictimStatus,
    /// What was done to the victim (more with 'act add')
    #[arg(long, value_enum, help_heading = "Act")]
    pub act: Option<ActType>,
    /// For a killing: targeted, crossfire, …
    #[arg(long, value_enum, help_heading = "Act", requires = "act")]
    pub death_context: Option<DeathContext>,
    #[arg(long, value_enum, help_heading = "Act", requires = "act")]
    pub method: Option<Method>,
    /// The act's own date, when it differs from the incident's
    #[arg(long, value_name = "DATE", help_heading = "Act", requires = "act")]
    pub act_date: Option<String>,
}

/// Runs `victim add`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let Command::Add(args) = args.command;
    let today = clock::today()?;
    let name = args.name.as_deref().unwrap_or("").trim().to_string();
    if name.is_empty() && !args.anonymous {
        bail!("--name is required (the victim's name, or --anonymous)");
    }
    let mut victim = VictimRecord::new(&name);
    victim.name_variants = args.name_variant.clone();
    victim.anonymous = args.anonymous;
    victim.sex = args.sex;
    victim.age = args.age;
    victim.nationality = args.nationality.clone();
    victim.category = args.category;
    victim.employment = args.employment;
    victim.jobs = args.job.clone();
    victim.mediums = args.medium.clone();
    victim.outlet = args.outlet.trim().to_string();
    victim.beats = args.beat.clone();
    victim.status = args.status;
    if let Some(t) = args.act {
        let mut act = ActRecord::new(t);
        act.death_context = args.death_context;
        act.method = args.method.unwrap_or(Method::Unknown);
        act.date = args.act_date.clone();
        victim.acts.push(act);
    }
    let mut db = ctx.open(Access::Change)?;
    let position = db.write("victim add", |w| {
        let target = w.open_incident(&args.reference)?;
        validate::normalize_victim(&mut victim, today, target.date_start).map_err(|e| {
            flag_names(
                e,
                &[
                    ("act 1: date", "--act-date"),
                    ("act 1: ", ""),
                    ("nationality", "--nationality"),
                ],
            )
        })?;
        let id = w.add_victim(target.id, &victim)?;
        w.touch(target.id)?;
        w.victim_position(id)
    })?;
    ctx.out.print(&format!("{position}\n"))?;
    Ok(())
}

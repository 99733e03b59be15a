//! `pressreg act add REF --victim N`: add an act against a victim of an
//! incident; prints its address `V.A`.
//!
//! One transaction: the values are checked with the rules of `validate.rs`, a
//! deleted incident is refused, every row goes through `db::Writer` (so it is
//! in the revision log) and the incident is marked as updated.

use anyhow::Result;

use super::{flag_names, Ctx};
use crate::db::Access;
use crate::model::*;
use crate::vocab::*;
use crate::{clock, validate};

/// Add an act against a victim of an incident
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg act add AF-2021-0001 --victim 1 --type wounded --method shooting
  pressreg act add AF-2021-0001 --victim 1 --type killed --death-context after_assault --date 2021-08-15")]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

/// What `act` can do.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Add(AddArgs),
}

/// Add an act (one thing done to one victim) to an incident
///
/// Prints the act's address V.A: the victim's position, a dot, and the
/// act's order among that victim's acts (1.2 is victim 1's second act), as
/// `show` prints it and `perpetrator add --act` takes it.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg act add AF-2021-0001 --victim 1 --type wounded --method shooting
  pressreg act add AF-2021-0001 --victim 1 --type killed --death-context after_assault \\
      --date 2021-08-15 --note \"died of his wounds in hospital\"")]
pub struct AddArgs {
    /// The incident's ref (AF-2021-0007)
    #[arg(value_name = "REF")]
    pub reference: String,
    /// The victim's position in the incident (1, 2, …)
    #[arg(long, value_name = "N")]
    pub victim: i64,
    /// What was done to the victim
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub act_type: ActType,
    /// For a killing: targeted, crossfire, …
    #[arg(long, value_enum)]
    pub death_context: Option<DeathContext>,
    #[arg(long, value_enum, default_value_t = Method::Unknown)]
    pub method: Method,
    /// The act's own date, when it differs from the incident's (died later)
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// A note on the act
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub note: String,
}

/// Runs `act add`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let Command::Add(args) = args.command;
    let today = clock::today()?;
    let mut act = ActRecord::new(args.act_type);
    act.death_context = args.death_context;
    act.method = args.method;
    act.date = args.date.clone();
    act.note = args.note.trim().to_string();
    let mut db = ctx.open(Access::Change)?;
    let address = db.write("act add", |w| {
        let target = w.open_incident(&args.reference)?;
        let (victim_id, _) = w.victim_at(&target, args.victim)?;
        validate::normalize_act(&mut act, today, target.date_start)
            .map_err(|e| flag_names(e, &[("date", "--date")]))?;
        let id = w.add_act(target.id, victim_id, &act)?;
        w.touch(target.id)?;
        Ok(format!("{}.{}", args.victim, w.act_order(id)?))
    })?;
    ctx.out.print(&format!("{address}\n"))?;
    Ok(())
}

//! `pressreg perpetrator add REF`: link an actor to one act or to every act
//! of an incident, with the basis and confidence of the attribution.
//!
//! One transaction: the values are checked with the rules of `validate.rs`, a
//! deleted incident is refused, every row goes through `db::Writer` (so it is
//! in the revision log) and the incident is marked as updated.

use anyhow::{bail, Result};

use super::Ctx;
use crate::db::Access;
use crate::model::*;
use crate::validate::{self, Part};
use crate::vocab::*;

/// Link a suspected perpetrator to acts of an incident
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg perpetrator add AF-2021-0001 --all-acts --actor \"Islamic State Khorasan\" \\
      --actor-type armed_group --basis claimed --confidence likely
  pressreg perpetrator add AF-2021-0001 --act 1.1 --actor Taliban --basis denied --confidence unlikely")]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

/// What `perpetrator` can do.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Add(AddArgs),
}

/// Link an actor to one act, or to every act, of an incident
///
/// Several actors can be linked to one act, each with the basis and
/// confidence of the attribution: IS claimed the Jalalabad killings, the
/// police accused the Taliban, the Taliban denied. Prints the address of
/// each act linked.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg perpetrator add AF-2021-0001 --all-acts --actor \"Islamic State Khorasan\" \\
      --actor-type armed_group --basis claimed --confidence likely
  pressreg perpetrator add AF-2021-0001 --all-acts --actor Taliban \\
      --basis official_accusation --confidence possible
  pressreg perpetrator add AF-2021-0001 --act 1.1 --actor Taliban --basis denied --confidence unlikely")]
pub struct AddArgs {
    /// The incident's ref (AF-2021-0007)
    #[arg(value_name = "REF")]
    pub reference: String,
    /// The act, as VICTIM.ACT (1.2)
    #[arg(
        long,
        value_name = "V.A",
        required_unless_present = "all_acts",
        conflicts_with = "all_acts"
    )]
    pub act: Option<String>,
    /// Link the actor to every act of the incident
    #[arg(long)]
    pub all_acts: bool,
    /// The actor's name or alias
    #[arg(long, value_name = "NAME")]
    pub actor: String,
    /// The actor's type, when the actor is new to the registry
    #[arg(long, value_enum)]
    pub actor_type: Option<ActorType>,
    #[arg(long, value_enum, default_value_t = Role::Perpetrator)]
    pub role: Role,
    /// On what the attribution rests
    #[arg(long, value_enum, default_value_t = Basis::Unknown)]
    pub basis: Basis,
    /// How sure the attribution is
    #[arg(long, value_enum, default_value_t = Confidence::Unknown)]
    pub confidence: Confidence,
    /// A note on the attribution
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub note: String,
}

/// Runs `perpetrator add`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let Command::Add(args) = args.command;
    let actor = args.actor.trim();
    if actor.is_empty() {
        bail!("--actor is empty (name the actor, or 'unknown')");
    }
    let mut inv = InvolvementRecord::new(actor);
    inv.actor_type = args.actor_type;
    inv.role = args.role;
    inv.basis = args.basis;
    inv.confidence = args.confidence;
    inv.note = args.note.trim().to_string();
    validate::involvement_texts(&inv, Part::Perpetrator(1, 1, 1))
        .map_err(|e| super::flagged(&e, &[("actor", "--actor"), ("note", "--note")]))?;
    let mut db = ctx.open(Access::Change)?;
    let linked = db.write("perpetrator add", |w| {
        let target = w.open_incident(&args.reference)?;
        let acts = match &args.act {
            Some(a) => vec![w.act_at(&target, a)?],
            None => w.all_acts(&target)?,
        };
        for act in &acts {
            if w.already_linked(act.id, &inv.actor, inv.role, inv.basis)? {
                bail!(
                    "'{}' is already linked to act {} as {} on basis {} (nothing was written)",
                    inv.actor,
                    act.address,
                    inv.role,
                    inv.basis
                );
            }
            w.add_involvement(target.id, act.id, &inv)?;
        }
        w.touch(target.id)?;
        Ok(acts.into_iter().map(|a| a.address).collect::<Vec<_>>())
    })?;
    ctx.out.print(&format!("{}\n", linked.join("\n")))?;
    Ok(())
}

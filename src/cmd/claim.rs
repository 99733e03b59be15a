//! `pressreg claim add|accept|retract|edit`: what one source says about one
//! field of the incident, a victim, an act or an involvement, and how the
//! record settles on one claim (`db::claims` holds the rules).
//!
//! Each command is one transaction: a deleted incident is refused, every
//! row goes through the revision log and the incident is marked as
//! updated. `add` refuses a claim its source already makes (same field,
//! value and stance) and a claim of a withdrawn source; `add --accepted`
//! is `add` then `accept`.

use anyhow::{anyhow, bail, Result};

use super::Ctx;
use crate::clock;
use crate::db::{self, Access, Reader, Target};
use crate::fields;
use crate::model::*;
use crate::validate::{self, Part};
use crate::vocab::*;

/// Record what a source says about one field, and settle on one claim
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg claim add AF-2021-0001 --source 2 --field admin2 --value Nawa")]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

/// What `claim` can do.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Add(AddArgs),
    Accept(AcceptArgs),
    Retract(RetractArgs),
    Edit(EditArgs),
}

/// The record takes a claim's value
///
/// Sets the field the claim speaks of to its value (each changed field is
/// a revision) and unaccepts the other claims about that field. Prints the
/// changes as `edit` does, then the claims whose flag changed. N is the
/// claim's number, as `claim add` printed it and `show` lists it.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg claim accept AF-2021-0001 2 --reason \"NAI confirmed Nawa\"")]
pub struct AcceptArgs {
    /// The incident's ref (AF-2021-0007)
    #[arg(value_name = "REF")]
    pub reference: String,
    /// The claim's number in the incident
    #[arg(value_name = "N")]
    pub number: usize,
    /// Why: kept with every change in the revision log
    #[arg(long, value_name = "TEXT", default_value = "claim accept")]
    pub reason: String,
}

/// Withdraw a claim (kept in history and in `show`, marked withdrawn)
///
/// A withdrawn claim is no longer accepted, no longer counts as a
/// disagreement and leaves only in a full backup. The record keeps its
/// value: accept another claim or edit the field.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg claim retract AF-2021-0001 3 --reason \"entered on the wrong victim\"")]
pub struct RetractArgs {
    /// The incident's ref (AF-2021-0007)
    #[arg(value_name = "REF")]
    pub reference: String,
    /// The claim's number in the incident
    #[arg(value_name = "N")]
    pub number: usize,
    /// Why: kept in the revision log
    #[arg(long, value_name = "TEXT", required = true)]
    pub reason: String,
}

/// Correct what a claim says (its value or stance)
///
/// When the claim is accepted the record follows the corrected value.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg claim edit AF-2021-0001 2 --value \"Nad Ali\" --reason \"misread the district\"")]
pub struct EditArgs {
    /// The incident's ref (AF-2021-0007)
    #[arg(value_name = "REF")]
    pub reference: String,
    /// The claim's number in the incident
    #[arg(value_name = "N")]
    pub number: usize,
    /// What the source says
    #[arg(long, value_name = "VALUE")]
    pub value: Option<String>,
    /// Whether the source asserts, denies or corrects the value
    #[arg(long, value_enum)]
    pub stance: Option<Stance>,
    /// Why: kept in the revision log
    #[arg(long, value_name = "TEXT", required = true)]
    pub reason: String,
}

/// Record what one source says about one field of the incident, a victim,
/// an act or a perpetrator link
///
/// The record keeps the accepted value; claims keep disagreements visible
/// (one wire says Sunday in Lashkar Gah, another Monday in Nawa). Prints
/// the claim's number in the incident.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg claim add AF-2021-0001 --source 1 --field date --value 2021-08-08 --accepted
  pressreg claim add AF-2021-0001 --source https://www.reuters.com/... --field admin2 \\
      --value Nawa --stance corrects
  pressreg claim add AF-2021-0001 --source 2 --subject victim --victim 1 --field status --value held
  pressreg claim add AF-2021-0001 --source 3 --subject involvement --act 1.1 --actor Taliban \\
      --field basis --value denied --stance denies")]
pub struct AddArgs {
    /// The incident's ref (AF-2021-0007)
    #[arg(value_name = "REF")]
    pub reference: String,
    /// The source: its number in the incident, or its URL
    #[arg(long, value_name = "N|URL")]
    pub source: String,
    /// The field the source speaks of (date, admin2, name, status, basis, …)
    #[arg(long, value_name = "FIELD")]
    pub field: String,
    /// What the source says
    #[arg(long, value_name = "VALUE")]
    pub value: String,
    /// What the claim is about
    #[arg(long, value_enum, default_value_t = ClaimSubject::Incident)]
    pub subject: ClaimSubject,
    /// The victim, for --subject victim
    #[arg(long, value_name = "N")]
    pub victim: Option<i64>,
    /// The act, for --subject act or involvement (1.2)
    #[arg(long, value_name = "V.A")]
    pub act: Option<String>,
    /// The actor, for --subject involvement when the act has several
    #[arg(long, value_name = "NAME")]
    pub actor: Option<String>,
    /// Whether the source asserts, denies or corrects the value
    #[arg(long, value_enum, default_value_t = Stance::Asserts)]
    pub stance: Stance,
    /// The record takes this claim's value (as `claim accept` does)
    #[arg(long)]
    pub accepted: bool,
}

/// Runs `claim`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    match args.command {
        Command::Add(a) => add(ctx, a),
        Command::Accept(a) => accept(ctx, a),
        Command::Retract(a) => retract(ctx, a),
        Command::Edit(a) => edit(ctx, a),
    }
}

fn reason(text: &str) -> Result<&str> {
    let reason = text.trim();
    if reason.is_empty() {
        bail!("--reason is empty (say why; it is kept in the revision log)");
    }
    Ok(reason)
}

/// The lines `accept` prints: the record's changes, then the flags.
fn accepted_lines(ctx: &Ctx, done: &db::Accepted) -> String {
    let mut text = super::edit::change_lines(ctx, &done.changed);
    for f in &done.flags {
        text.push_str(&format!(
            "claim {} {}\n",
            f.number,
            if f.accepted {
                "accepted"
            } else {
                "no longer accepted"
            }
        ));
    }
    text
}

/// Runs `claim accept`.
fn accept(ctx: &Ctx, args: AcceptArgs) -> Result<()> {
    let reason = reason(&args.reason)?;
    let today = clock::today()?;
    let mut db = ctx.open(Access::Change)?;
    let done = db.write(reason, |w| {
        let target = w.open_incident(&args.reference)?;
        w.accept_claim(&target, args.number, today)
    })?;
    ctx.out.print(&accepted_lines(ctx, &done))?;
    if done.changed.is_empty() && done.flags.is_empty() {
        ctx.out.note(&format!(
            "claim {} is accepted already and the record has its value: nothing to change",
            args.number
        ));
    }
    Ok(())
}

/// Runs `claim retract`.
fn retract(ctx: &Ctx, args: RetractArgs) -> Result<()> {
    let reason = reason(&args.reason)?;
    let mut db = ctx.open(Access::Change)?;
    let c = db.write(reason, |w| {
        let target = w.open_incident(&args.reference)?;
        w.retract_claim(&target, args.number)
    })?;
    ctx.out
        .print(&format!("claim {} withdrawn\n", args.number))?;
    if c.accepted {
        ctx.out.note(&format!(
            "the record keeps its {} (accept another claim or edit the field)",
            db::field_name(&c)
        ));
    }
    Ok(())
}

/// Runs `claim edit`.
fn edit(ctx: &Ctx, args: EditArgs) -> Result<()> {
    let reason = reason(&args.reason)?;
    if args.value.is_none() && args.stance.is_none() {
        bail!("claim edit needs --value or --stance (what the source says, or how)");
    }
    let today = clock::today()?;
    let mut db = ctx.open(Access::Change)?;
    let (changes, followed) = db.write(reason, |w| {
        let target = w.open_incident(&args.reference)?;
        w.correct_claim(
            &target,
            args.number,
            args.value.as_deref(),
            args.stance,
            today,
        )
    })?;
    let mut text = String::new();
    for c in &changes {
        text.push_str(&format!(
            "claim {} {}: '{}' → '{}'\n",
            args.number,
            c.field,
            ctx.out.text(&c.old),
            ctx.out.text(&c.new)
        ));
    }
    if let Some(done) = &followed {
        text.push_str(&accepted_lines(ctx, done));
    }
    ctx.out.print(&text)?;
    if changes.is_empty() {
        ctx.out.note(&format!(
            "claim {} already says that: nothing to change",
            args.number
        ));
    }
    Ok(())
}

/// Runs `claim add`.
fn add(ctx: &Ctx, args: AddArgs) -> Result<()> {
    let today = clock::today()?;
    let field = args.field.trim().to_string();
    let claim = ClaimRecord {
        uid: None,
        source: args.source.clone(),
        subject: args.subject,
        subject_uid: None,
        field: field.clone(),
        value: args.value.trim().to_string(),
        stance: args.stance,
        // Stored accepted at once (one revision), then settled.
        accepted: args.accepted,
        withdrawn_at: None,
    };
    validate::claim_texts(&claim, Part::Claim(1)).map_err(|e| {
        super::flagged(
            &e,
            &[
                ("source", "--source"),
                ("field", "--field"),
                ("value", "--value"),
            ],
        )
    })?;
    if field.is_empty() {
        bail!("--field is empty (name the field the source speaks of)");
    }
    let accepted_fields = fields::Entity::from(args.subject).claimable();
    if !accepted_fields.contains(&field.as_str()) {
        bail!(
            "unknown field '{field}' for a claim about {} {}{} (accepted: {})",
            article(args.subject),
            args.subject,
            crate::vocab::did_you_mean(&field, &accepted_fields),
            accepted_fields.join(", ")
        );
    }
    match args.subject {
        ClaimSubject::Incident if args.victim.is_some() || args.act.is_some() => {
            bail!("--victim and --act name the subject of a claim: give --subject victim, act or involvement")
        }
        ClaimSubject::Victim if args.victim.is_none() => {
            bail!("--subject victim needs --victim N (the victim's position)")
        }
        ClaimSubject::Act | ClaimSubject::Involvement if args.act.is_none() => {
            bail!(
                "--subject {} needs --act V.A (the act's address)",
                args.subject
            )
        }
        _ => {}
    }
    let mut db = ctx.open(Access::Change)?;
    let (number, accepted) = db.write("claim add", |w| {
        let target = w.open_incident(&args.reference)?;
        let source_id = w.source_at(&target, &args.source)?;
        if let Some(since) = w.source_withdrawn_at(source_id)? {
            bail!(
                "--source '{}' of {} is withdrawn (since {since}): a withdrawn source makes no new claims",
                args.source.trim(),
                target.reference
            );
        }
        let subject_uid = subject_uid(w, &target, &args)?;
        if let Some(same) = w.same_claim(
            &target,
            source_id,
            subject_uid,
            &field,
            &args.value,
            args.stance,
        )? {
            bail!(
                "claim {} of {} already says that (source {}, {}, '{}'): nothing added",
                same.number,
                target.reference,
                same.source_number,
                db::field_name(&same),
                same.value
            );
        }
        let claim = ClaimRecord {
            subject_uid,
            ..claim.clone()
        };
        let id = w.add_claim(&target, source_id, &claim)?;
        w.touch(target.id)?;
        let number = w.claim_number(target.id, id)?;
        let accepted = if args.accepted {
            Some(w.accept_claim(&target, number as usize, today)?)
        } else {
            None
        };
        Ok((number, accepted))
    })?;
    ctx.out.print(&format!("{number}\n"))?;
    // The number alone is stdout (scripts read it); what the record took
    // from the claim is said on stderr.
    if let Some(done) = accepted {
        for line in super::edit::change_lines(ctx, &done.changed).lines() {
            ctx.out.note(line);
        }
        for f in done.flags.iter().filter(|f| !f.accepted) {
            ctx.out
                .note(&format!("claim {} no longer accepted", f.number));
        }
    }
    Ok(())
}

fn subject_uid(r: &Reader<'_>, target: &Target, args: &AddArgs) -> Result<Option<uuid::Uuid>> {
    Ok(match args.subject {
        ClaimSubject::Incident => None,
        ClaimSubject::Victim => {
            let n = args.victim.ok_or_else(|| anyhow!("--victim is required"))?;
            Some(r.victim_at(target, n)?.1)
        }
        ClaimSubject::Act => {
            let a = args.act.as_deref().unwrap_or("");
            Some(r.act_at(target, a)?.uid)
        }
        ClaimSubject::Involvement => {
            let a = args.act.as_deref().unwrap_or("");
            let act = r.act_at(target, a)?;
            Some(r.involvement_of(&act, args.actor.as_deref())?)
        }
    })
}

fn article(subject: ClaimSubject) -> &'static str {
    match subject {
        ClaimSubject::Incident | ClaimSubject::Act | ClaimSubject::Involvement => "an",
        ClaimSubject::Victim => "a",
    }
}

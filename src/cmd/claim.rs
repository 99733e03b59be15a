//! `pressreg claim add REF --source N`: record what one source says about
//! one field of the incident, a victim, an act or an involvement.
//!
//! One transaction: the values are checked with the rules of `validate.rs`, a
//! deleted incident is refused, every row goes through `db::Writer` (so it is
//! in the revision log) and the incident is marked as updated.

use anyhow::{anyhow, bail, Result};

use super::Ctx;
use crate::db::{Access, Reader, Target};
use crate::model::*;
use crate::vocab::*;

/// Record what a source says about one field
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
    /// The record takes this claim's value
    #[arg(long)]
    pub accepted: bool,
}

/// The fields a claim can be about, per subject.
const CLAIM_FIELDS: &[(ClaimSubject, &[&str])] = &[
    (
        ClaimSubject::Incident,
        &[
            "title",
            "summary",
            "date",
            "date_start",
            "date_end",
            "country",
            "admin1",
            "admin2",
            "locality",
            "place",
            "coordinates",
            "context",
            "verification",
            "work_link",
            "justice",
        ],
    ),
    (
        ClaimSubject::Victim,
        &[
            "name",
            "sex",
            "age",
            "nationality",
            "category",
            "employment",
            "jobs",
            "mediums",
            "outlet",
            "beats",
            "status",
        ],
    ),
    (
        ClaimSubject::Act,
        &[
            "type",
            "death_context",
            "method",
            "date",
            "date_start",
            "date_end",
        ],
    ),
    (
        ClaimSubject::Involvement,
        &["actor", "role", "basis", "confidence"],
    ),
];

/// Runs `claim add`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let Command::Add(args) = args.command;
    let field = args.field.trim().to_string();
    if field.is_empty() {
        bail!("--field is empty (name the field the source speaks of)");
    }
    let accepted_fields = CLAIM_FIELDS
        .iter()
        .find(|(s, _)| *s == args.subject)
        .map(|(_, f)| *f)
        .unwrap_or(&[]);
    if !accepted_fields.contains(&field.as_str()) {
        bail!(
            "unknown field '{field}' for a claim about {} {} (accepted: {})",
            article(args.subject),
            args.subject,
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
    let number = db.write("claim add", |w| {
        let target = w.open_incident(&args.reference)?;
        let source_id = w.source_at(&target, &args.source)?;
        let subject_uid = subject_uid(w, &target, &args)?;
        let claim = ClaimRecord {
            uid: None,
            source: args.source.clone(),
            subject: args.subject,
            subject_uid,
            field: field.clone(),
            value: args.value.clone(),
            stance: args.stance,
            accepted: args.accepted,
        };
        let id = w.add_claim(&target, source_id, &claim)?;
        w.touch(target.id)?;
        w.claim_number(target.id, id)
    })?;
    ctx.out.print(&format!("{number}\n"))?;
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

//! `pressreg victim add`, `act add`, `perpetrator add`, `source add` and
//! `claim add`: attach more to an incident as the story firms up.
//!
//! Every command here is one transaction: it checks its values with the
//! rules of `validate.rs`, refuses a deleted incident, writes through
//! `db::write` (so every row is in the revision log), marks the incident
//! as updated, and prints only the address of what it added (a victim's
//! position, an act's `V.A`, a source's number) so scripts can chain them.

use std::process::ExitCode;

use anyhow::{anyhow, bail, Result};

use super::Ctx;
use crate::db::attach::{self as at, Target};
use crate::db::{write, Access, Db};
use crate::model::*;
use crate::vocab::*;
use crate::{clock, dates, validate};

// ---------------------------------------------------------------- victim --

/// Add a victim to an incident
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg victim add AF-2021-0001 --name \"Nematullah Hemat\" --outlet \"Ghargasht TV\" --act kidnapped
  pressreg victim add AF-2021-0001 --anonymous --sex female --category media_worker")]
pub struct VictimArgs {
    #[command(subcommand)]
    pub command: VictimCommand,
}

/// What `victim` can do.
#[derive(Debug, clap::Subcommand)]
pub enum VictimCommand {
    Add(VictimAddArgs),
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
pub struct VictimAddArgs {
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
pub fn run_victim(ctx: &Ctx, args: VictimArgs) -> Result<ExitCode> {
    let VictimCommand::Add(args) = args.command;
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
    let mut db = open(ctx)?;
    let position = db.write("victim add", |w| {
        let target = at::open_incident(w.tx(), &args.reference)?;
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
        let id = write::add_victim(w, target.id, &[], &victim)?;
        at::touch(w, target.id)?;
        at::victim_position(w.tx(), id)
    })?;
    ctx.out.print(&format!("{position}\n"))?;
    Ok(ExitCode::SUCCESS)
}

// ------------------------------------------------------------------- act --

/// Add an act against a victim of an incident
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg act add AF-2021-0001 --victim 1 --type wounded --method shooting
  pressreg act add AF-2021-0001 --victim 1 --type killed --death-context after_assault --date 2021-08-15")]
pub struct ActArgs {
    #[command(subcommand)]
    pub command: ActCommand,
}

/// What `act` can do.
#[derive(Debug, clap::Subcommand)]
pub enum ActCommand {
    Add(ActAddArgs),
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
pub struct ActAddArgs {
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
pub fn run_act(ctx: &Ctx, args: ActArgs) -> Result<ExitCode> {
    let ActCommand::Add(args) = args.command;
    let today = clock::today()?;
    let mut act = ActRecord::new(args.act_type);
    act.death_context = args.death_context;
    act.method = args.method;
    act.date = args.date.clone();
    act.note = args.note.trim().to_string();
    let mut db = open(ctx)?;
    let address = db.write("act add", |w| {
        let target = at::open_incident(w.tx(), &args.reference)?;
        let (victim_id, _) = at::victim_at(w.tx(), &target, args.victim)?;
        validate::normalize_act(&mut act, today, target.date_start)
            .map_err(|e| flag_names(e, &[("date", "--date")]))?;
        let id = write::add_act(w, target.id, victim_id, &[], &act)?;
        at::touch(w, target.id)?;
        Ok(format!("{}.{}", args.victim, at::act_order(w.tx(), id)?))
    })?;
    ctx.out.print(&format!("{address}\n"))?;
    Ok(ExitCode::SUCCESS)
}

// ----------------------------------------------------------- perpetrator --

/// Link a suspected perpetrator to acts of an incident
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg perpetrator add AF-2021-0001 --all-acts --actor \"Islamic State Khorasan\" \\
      --actor-type armed_group --basis claimed --confidence likely
  pressreg perpetrator add AF-2021-0001 --act 1.1 --actor Taliban --basis denied --confidence unlikely")]
pub struct PerpetratorArgs {
    #[command(subcommand)]
    pub command: PerpetratorCommand,
}

/// What `perpetrator` can do.
#[derive(Debug, clap::Subcommand)]
pub enum PerpetratorCommand {
    Add(PerpetratorAddArgs),
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
pub struct PerpetratorAddArgs {
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
pub fn run_perpetrator(ctx: &Ctx, args: PerpetratorArgs) -> Result<ExitCode> {
    let PerpetratorCommand::Add(args) = args.command;
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
    let mut db = open(ctx)?;
    let linked = db.write("perpetrator add", |w| {
        let target = at::open_incident(w.tx(), &args.reference)?;
        let acts = match &args.act {
            Some(a) => vec![at::act_at(w.tx(), &target, a)?],
            None => at::all_acts(w.tx(), &target)?,
        };
        for act in &acts {
            if at::already_linked(w.tx(), act.id, &inv.actor, inv.role, inv.basis)? {
                bail!(
                    "'{}' is already linked to act {} as {} on basis {} (nothing was written)",
                    inv.actor,
                    act.address,
                    inv.role,
                    inv.basis
                );
            }
            write::add_involvement(w, target.id, act.id, &[], &inv)?;
        }
        at::touch(w, target.id)?;
        Ok(acts.into_iter().map(|a| a.address).collect::<Vec<_>>())
    })?;
    ctx.out.print(&format!("{}\n", linked.join("\n")))?;
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------- source --

/// Add a source to an incident
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg source add AF-2021-0001 --url https://www.reuters.com/... --publisher Reuters \\
      --type wire_report --published-on 2021-08-09 --reliability high")]
pub struct SourceArgs {
    #[command(subcommand)]
    pub command: SourceCommand,
}

/// What `source` can do.
#[derive(Debug, clap::Subcommand)]
pub enum SourceCommand {
    Add(SourceAddArgs),
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
pub struct SourceAddArgs {
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
pub fn run_source(ctx: &Ctx, args: SourceArgs) -> Result<ExitCode> {
    let SourceCommand::Add(args) = args.command;
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
    let mut db = open(ctx)?;
    let number = db.write("source add", |w| {
        let target = at::open_incident(w.tx(), &args.reference)?;
        let id = write::add_source(w, target.id, &source)?;
        at::touch(w, target.id)?;
        at::source_number(w.tx(), target.id, id)
    })?;
    ctx.out.print(&format!("{number}\n"))?;
    Ok(ExitCode::SUCCESS)
}

// ----------------------------------------------------------------- claim --

/// Record what a source says about one field
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg claim add AF-2021-0001 --source 2 --field admin2 --value Nawa")]
pub struct ClaimArgs {
    #[command(subcommand)]
    pub command: ClaimCommand,
}

/// What `claim` can do.
#[derive(Debug, clap::Subcommand)]
pub enum ClaimCommand {
    Add(ClaimAddArgs),
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
pub struct ClaimAddArgs {
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
pub fn run_claim(ctx: &Ctx, args: ClaimArgs) -> Result<ExitCode> {
    let ClaimCommand::Add(args) = args.command;
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
    let mut db = open(ctx)?;
    let number = db.write("claim add", |w| {
        let target = at::open_incident(w.tx(), &args.reference)?;
        let source_id = at::source_at(w.tx(), &target, &args.source)?;
        let subject_uid = subject_uid(w.tx(), &target, &args)?;
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
        let id = write::add_claim(w, target.id, &target.uid, source_id, &claim)?;
        at::touch(w, target.id)?;
        at::claim_number(w.tx(), target.id, id)
    })?;
    ctx.out.print(&format!("{number}\n"))?;
    Ok(ExitCode::SUCCESS)
}

fn subject_uid(
    conn: &rusqlite::Connection,
    target: &Target,
    args: &ClaimAddArgs,
) -> Result<Option<uuid::Uuid>> {
    Ok(match args.subject {
        ClaimSubject::Incident => None,
        ClaimSubject::Victim => {
            let n = args.victim.ok_or_else(|| anyhow!("--victim is required"))?;
            Some(at::victim_at(conn, target, n)?.1)
        }
        ClaimSubject::Act => {
            let a = args.act.as_deref().unwrap_or("");
            Some(at::act_at(conn, target, a)?.uid)
        }
        ClaimSubject::Involvement => {
            let a = args.act.as_deref().unwrap_or("");
            let act = at::act_at(conn, target, a)?;
            Some(at::involvement_of(conn, &act, args.actor.as_deref())?.1)
        }
    })
}

fn article(subject: ClaimSubject) -> &'static str {
    match subject {
        ClaimSubject::Incident | ClaimSubject::Act | ClaimSubject::Involvement => "an",
        ClaimSubject::Victim => "a",
    }
}

// --------------------------------------------------------------- helpers --

/// Opens the registry for writing, refusing to create one: an incident to
/// attach to can only be in a registry that exists.
pub fn open(ctx: &Ctx) -> Result<Db> {
    let path = ctx.db_path()?;
    if !path.exists() {
        bail!(
            "no registry at '{}' (create one with 'pressreg init')",
            path.display()
        );
    }
    ctx.open(Access::Write)
}

/// A plain ISO day that is not in the future.
fn past_day(
    text: Option<&str>,
    flag: &str,
    today: chrono::NaiveDate,
) -> Result<Option<chrono::NaiveDate>> {
    let Some(text) = text else { return Ok(None) };
    let day = dates::parse_day(text, flag)?;
    if day > today {
        bail!("{flag} {day} is in the future (today is {today})");
    }
    Ok(Some(day))
}

/// Names validation errors after the flags the user typed: `validate.rs`
/// speaks of record fields ("act 1: date …"), the user typed flags.
fn flag_names(e: anyhow::Error, renames: &[(&str, &str)]) -> anyhow::Error {
    let text = format!("{e:#}");
    for (field, flag) in renames {
        if let Some(rest) = text.strip_prefix(field) {
            return anyhow!("{flag}{rest}");
        }
    }
    anyhow!(text)
}

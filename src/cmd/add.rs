//! `pressreg add`: record an incident with its first victim, act,
//! perpetrator and source from flags, or whole incidents from a JSON or
//! JSONL file, or, with no flags on a terminal, by asking for each field.
//! Prints only the new refs on stdout, so `ref=$(pressreg add …)` works.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use anyhow::{anyhow, bail, Context as _, Result};

use super::Ctx;
use crate::db::{Access, Db};
use crate::model::*;
use crate::prompt;
use crate::validate::{self, Invalid, Part};
use crate::vocab::*;
use crate::{clock, dates, output};

/// Record a new incident
///
/// From flags: the incident, its first victim, the act against them, the
/// suspected perpetrator and a source. More victims, acts, perpetrators and
/// sources can be attached afterwards (`victim add`, `act add`, …).
///
/// From a file (--file): one JSON incident, or JSONL with one incident per
/// line, in the nested format `show --format json` prints. All incidents go
/// in together or none does.
///
/// With none of --file, --date, --country, --victim and --act, on a
/// terminal: asks for each field in turn, with choices to pick with the
/// arrow keys or by typing part of them, the place and circumstances of the
/// incident added last as defaults, and the whole incident to confirm
/// before it is written. Ctrl-C or Esc writes nothing.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg add --date 2021-08-08 --country AF --admin1 Kabul --admin2 \"Deh Sabz\" \\
      --victim \"Toofan Omar\" --outlet \"Paktia Ghag Radio\" --job editor \\
      --act killed --death-context targeted --actor Taliban --actor-type armed_group \\
      --basis official_accusation --confidence possible --source-url https://bdnews24.com/...
  pressreg add --date 1400-05-17 --calendar solar_hijri --country AF --victim \"...\" --act killed
  pressreg add                      # on a terminal: asks for each field
  pressreg add --file incident.json
  pressreg add --file - < incidents.jsonl")]
pub struct Args {
    /// Read whole incidents from this JSON or JSONL file ('-' for stdin)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["date", "country", "victim", "act"])]
    pub file: Option<PathBuf>,

    /// When: YYYY-MM-DD, YYYY-MM, YYYY, START/END; end with '?' if approximate
    #[arg(long, value_name = "DATE", help_heading = "Incident")]
    pub date: Option<String>,
    /// The calendar --date is written in
    #[arg(long, value_enum, default_value_t = Calendar::Gregorian, help_heading = "Incident")]
    pub calendar: Calendar,
    /// ISO 3166-1 country code (AF, MX, US)
    #[arg(long, value_name = "CC", help_heading = "Incident")]
    pub country: Option<String>,
    /// Province or state
    #[arg(
        long,
        value_name = "NAME",
        help_heading = "Incident",
        default_value = ""
    )]
    pub admin1: String,
    /// District
    #[arg(
        long,
        value_name = "NAME",
        help_heading = "Incident",
        default_value = ""
    )]
    pub admin2: String,
    /// City or village
    #[arg(
        long,
        value_name = "NAME",
        help_heading = "Incident",
        default_value = ""
    )]
    pub locality: String,
    /// The place in words ("Darul Aman Road")
    #[arg(
        long,
        value_name = "TEXT",
        help_heading = "Incident",
        default_value = ""
    )]
    pub place: String,
    /// Latitude and longitude, as LAT,LON
    #[arg(long, value_name = "LAT,LON", help_heading = "Incident")]
    pub coordinates: Option<String>,
    /// 0 unknown, 1 exact place, 2 near a town, 3 region only
    #[arg(long, value_name = "N", help_heading = "Incident", default_value_t = 0)]
    pub geo_precision: u8,
    /// A short title
    #[arg(
        long,
        value_name = "TEXT",
        help_heading = "Incident",
        default_value = ""
    )]
    pub title: String,
    /// What happened, in a few sentences
    #[arg(
        long,
        value_name = "TEXT",
        help_heading = "Incident",
        default_value = ""
    )]
    pub summary: String,
    /// The circumstances
    #[arg(long, value_enum, default_value_t = Context::Unknown, help_heading = "Incident")]
    pub context: Context,
    /// How far the report is verified
    #[arg(long, value_enum, default_value_t = Verification::Reported, help_heading = "Incident")]
    pub verification: Verification,
    /// Was it because of journalism
    #[arg(long, value_enum, default_value_t = WorkLink::Unknown, help_heading = "Incident")]
    pub work_link: WorkLink,
    /// How far justice has gone
    #[arg(long, value_enum, default_value_t = Justice::NoInformation, help_heading = "Incident")]
    pub justice: Justice,
    /// Who may see the incident
    #[arg(long, value_enum, default_value_t = Confidentiality::Public, help_heading = "Incident")]
    pub confidentiality: Confidentiality,

    /// The victim's name
    #[arg(long, value_name = "NAME", help_heading = "Victim")]
    pub victim: Option<String>,
    /// Another spelling of the name (repeatable)
    #[arg(long, value_name = "NAME", help_heading = "Victim")]
    pub name_variant: Vec<String>,
    /// The victim asked not to be named: exports show a pseudonym
    #[arg(long, help_heading = "Victim")]
    pub anonymous: bool,
    #[arg(long, value_enum, default_value_t = Sex::Unknown, help_heading = "Victim")]
    pub sex: Sex,
    #[arg(long, value_name = "YEARS", help_heading = "Victim")]
    pub age: Option<u8>,
    /// ISO country code of the victim's nationality
    #[arg(long, value_name = "CC", help_heading = "Victim", default_value = "")]
    pub nationality: String,
    #[arg(long, value_enum, default_value_t = Category::Journalist, help_heading = "Victim")]
    pub category: Category,
    #[arg(long, value_enum, default_value_t = Employment::Unknown, help_heading = "Victim")]
    pub employment: Employment,
    /// A job the victim held (repeatable, or comma-separated)
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "JOB",
        help_heading = "Victim"
    )]
    pub job: Vec<Job>,
    /// A medium the victim worked in (repeatable, or comma-separated)
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "MEDIUM",
        help_heading = "Victim"
    )]
    pub medium: Vec<Medium>,
    /// The outlet the victim worked for
    #[arg(long, value_name = "NAME", help_heading = "Victim", default_value = "")]
    pub outlet: String,
    /// A subject the victim covered (repeatable, or comma-separated)
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "BEAT",
        help_heading = "Victim"
    )]
    pub beat: Vec<Beat>,
    /// Where the victim stands now
    #[arg(long, value_enum, default_value_t = VictimStatus::Unknown, help_heading = "Victim")]
    pub status: VictimStatus,

    /// What was done to the victim
    #[arg(long, value_enum, help_heading = "Act")]
    pub act: Option<ActType>,
    /// For a killing: targeted, crossfire, …
    #[arg(long, value_enum, help_heading = "Act")]
    pub death_context: Option<DeathContext>,
    #[arg(long, value_enum, default_value_t = Method::Unknown, help_heading = "Act")]
    pub method: Method,
    /// The act's own date, when it differs from the incident's (died later)
    #[arg(long, value_name = "DATE", help_heading = "Act")]
    pub act_date: Option<String>,

    /// The suspected perpetrator (an actor's name or alias)
    #[arg(long, value_name = "NAME", help_heading = "Perpetrator")]
    pub actor: Option<String>,
    /// The actor's type, when the actor is new to the registry
    #[arg(long, value_enum, help_heading = "Perpetrator")]
    pub actor_type: Option<ActorType>,
    #[arg(long, value_enum, default_value_t = Role::Perpetrator, help_heading = "Perpetrator")]
    pub role: Role,
    /// On what the attribution rests
    #[arg(long, value_enum, default_value_t = Basis::Unknown, help_heading = "Perpetrator")]
    pub basis: Basis,
    /// How sure the attribution is
    #[arg(long, value_enum, default_value_t = Confidence::Unknown, help_heading = "Perpetrator")]
    pub confidence: Confidence,

    /// Where the report is
    #[arg(long, value_name = "URL", help_heading = "Source")]
    pub source_url: Option<String>,
    #[arg(long, value_enum, default_value_t = SourceType::NewsReport, help_heading = "Source")]
    pub source_type: SourceType,
    /// Who published it
    #[arg(long, value_name = "NAME", help_heading = "Source", default_value = "")]
    pub publisher: String,
    /// Date of publication (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", help_heading = "Source")]
    pub published_on: Option<String>,
    /// The source must never leave the registry (an interview, a contact)
    #[arg(long, help_heading = "Source")]
    pub confidential_source: bool,
}

/// Runs `add`.
pub fn run(ctx: &Ctx, mut args: Args) -> Result<()> {
    let today = clock::today()?;
    let mut opened = None;
    let interactive =
        wants_prompts(&args) && std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if interactive {
        // Opened first, so a file that is not a registry (or a wrong
        // passphrase) is refused before the documenter types anything, and
        // opened once, so a passphrase is asked for once.
        let mut db = ctx.open(Access::Write)?;
        ask(&mut db, &mut args, today)?;
        opened = Some(db);
    }
    let records = match &args.file {
        Some(path) => read_file(path)?,
        None => vec![from_flags(&args)?],
    };
    let records = records
        .into_iter()
        .enumerate()
        .map(|(i, rec)| {
            validate::normalize(rec, today)
                .and_then(|rec| validate::new_record(&rec).map(|()| rec))
                .map_err(|e| {
                    if args.file.is_some() {
                        anyhow!("incident {}: {e}", i + 1)
                    } else {
                        anyhow!("{}", said_with_flag(&e))
                    }
                })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut db = match opened {
        Some(db) => db,
        None => ctx.open(Access::Write)?,
    };
    if interactive {
        eprint!("{}", summary(&records[0], args.actor_type));
        if !prompt::confirm("Record this incident?", true)? {
            bail!("not recorded; nothing was written");
        }
    }
    let refs = db.write("add", |w| {
        records
            .iter()
            .enumerate()
            .map(|(i, rec)| {
                w.insert_incident(rec)
                    .map(|ins| ins.reference)
                    .map_err(|e| {
                        if records.len() > 1 {
                            anyhow!("incident {}: {e:#}", i + 1)
                        } else {
                            e
                        }
                    })
            })
            .collect::<Result<Vec<_>>>()
    })?;
    let mut text = refs.join("\n");
    text.push('\n');
    ctx.out.print(&text)?;
    Ok(())
}

/// A validation error about an incident given by flags, said with the flag
/// that set the field (`--victim: name holds …`).
fn said_with_flag(e: &Invalid) -> String {
    let flag = match (e.part, e.field) {
        (Part::Incident, "date" | "date_as_reported") => "--date",
        (Part::Incident, "country") => "--country",
        (Part::Incident, "title") => "--title",
        (Part::Incident, "summary") => "--summary",
        (Part::Incident, "admin1") => "--admin1",
        (Part::Incident, "admin2") => "--admin2",
        (Part::Incident, "locality") => "--locality",
        (Part::Incident, "place") => "--place",
        (Part::Incident, "latitude" | "longitude") => "--coordinates",
        (Part::Incident, "geo_precision") => "--geo-precision",
        (Part::Victim(_), "name") => "--victim",
        (Part::Victim(_), "name_variants") => "--name-variant",
        (Part::Victim(_), "nationality") => "--nationality",
        (Part::Victim(_), "age") => "--age",
        (Part::Victim(_), "outlet") => "--outlet",
        (Part::Act(..), "date") => "--act-date",
        (Part::Act(..), "death_context") => "--death-context",
        (Part::Perpetrator(..), "actor") => "--actor",
        (Part::Source(_), "url") => "--source-url",
        (Part::Source(_), "publisher") => "--publisher",
        (Part::Source(_), "published_on") => "--published-on",
        _ => return e.to_string(),
    };
    format!("{flag}: {}", e.message)
}

/// Whether `add` was run with no incident to add: no --file and none of
/// the flags an incident needs. Other flags given (say --confidentiality)
/// are kept, and shown as the default of their question.
fn wants_prompts(args: &Args) -> bool {
    args.file.is_none()
        && args.date.is_none()
        && args.country.is_none()
        && args.victim.is_none()
        && args.act.is_none()
}

/// Fills `args` by asking for each field on the terminal: choices for
/// vocabularies, countries and known actors found by typing, and the
/// place and circumstances of the incident added last as defaults. Each
/// typed answer is checked by its flag's rule, so a documenter in the field
/// is told at once, in the same words.
fn ask(db: &mut Db, args: &mut Args, today: chrono::NaiveDate) -> Result<()> {
    prompt::style();
    let (last, actors) = {
        let r = db.read()?;
        let actors: Vec<String> = r.actors()?.into_iter().map(|a| a.actor.name).collect();
        (r.last_added()?, actors)
    };
    let calendar = args.calendar;
    let today_text = today.to_string();
    args.date = Some(prompt::text(
        "Date",
        &today_text,
        "YYYY-MM-DD, YYYY-MM, YYYY or START/END; end with ? if approximate",
        move |s| dates::parse(s, calendar, today).map(|_| ()),
    )?);
    let country = prompt::choose_code(
        "Country",
        &crate::country::choices(),
        last.as_ref().map(|l| l.country.as_str()),
    )?;
    args.country = Some(country.to_string());
    // The last incident's place is offered only in the same country.
    let same = last.as_ref().filter(|l| l.country == country);
    let was = |f: fn(&IncidentRecord) -> &String| same.map(|l| f(l).clone()).unwrap_or_default();
    let free = |_: &str| Ok(());
    args.admin1 = prompt::text("Province or state", &was(|l| &l.admin1), "", free)?;
    args.admin2 = prompt::text("District", &was(|l| &l.admin2), "", free)?;
    args.locality = prompt::text("City or village", &was(|l| &l.locality), "", free)?;
    args.place = prompt::text("Place", "", "the place in words, optional", free)?;
    args.context = prompt::choose(
        "Circumstances",
        last.as_ref().map_or(args.context, |l| l.context),
    )?;
    args.victim = Some(prompt::text("Victim's name", "", "", |s| {
        match s.is_empty() {
            true => bail!("the victim's name is required"),
            false => Ok(()),
        }
    })?);
    args.category = prompt::choose("Category", args.category)?;
    args.job = prompt::choose_many("Jobs", &args.job)?;
    args.outlet = prompt::text("Outlet", &args.outlet.clone(), "optional", free)?;
    let act = prompt::choose("What was done", ActType::Killed)?;
    args.act = Some(act);
    if act == ActType::Killed {
        args.death_context = Some(prompt::choose("Death context", DeathContext::Unknown)?);
    }
    args.method = prompt::choose("Method", args.method)?;
    let actor = prompt::text_from(
        "Suspected perpetrator",
        actors,
        "an actor's name (Tab takes the first suggestion); Enter alone for none",
    )?;
    if !actor.is_empty() {
        let known = db.read()?.actor_by_name(&actor)?.is_some();
        if !known {
            args.actor_type = Some(prompt::choose(
                &format!("Type of '{}', new to the registry", output::flat(&actor)),
                ActorType::Unknown,
            )?);
        }
        args.basis = prompt::choose("Basis of the attribution", args.basis)?;
        args.confidence = prompt::choose("Confidence", args.confidence)?;
        args.actor = Some(actor);
    }
    let url = prompt::text("Source URL", "", "optional", free)?;
    if !url.is_empty() {
        args.source_url = Some(url);
    }
    args.publisher = prompt::text("Publisher", &args.publisher.clone(), "optional", free)?;
    args.summary = prompt::text(
        "What happened",
        &args.summary.clone(),
        "a few sentences, optional",
        free,
    )?;
    Ok(())
}

/// The incident as the documenter is asked to confirm it.
fn summary(rec: &IncidentRecord, new_actor: Option<ActorType>) -> String {
    let t = |s: &str| output::flat(s).into_owned();
    let mut where_ = vec![];
    for part in [&rec.place, &rec.locality, &rec.admin2, &rec.admin1] {
        if !part.is_empty() {
            where_.push(t(part));
        }
    }
    where_.push(format!(
        "{} ({})",
        crate::country::name(&rec.country),
        rec.country
    ));
    let mut out = String::from("\nTo be recorded:\n");
    let mut line = |k: &str, v: String| out.push_str(&format!("  {k:<15}{v}\n"));
    let date = match rec.date_end {
        Some(end) if Some(end) != rec.date_start => format!(
            "{}/{end}",
            rec.date_start.map(|d| d.to_string()).unwrap_or_default()
        ),
        _ => rec.date_as_reported.clone(),
    };
    line("Date", t(&date));
    line("Where", where_.join(", "));
    line("Circumstances", rec.context.as_str().to_string());
    for v in &rec.victims {
        let mut who = format!("{} ({}", t(&v.name), v.category.as_str());
        for j in &v.jobs {
            who.push_str(&format!(", {}", j.as_str()));
        }
        who.push(')');
        if !v.outlet.is_empty() {
            who.push_str(&format!(", {}", t(&v.outlet)));
        }
        line("Victim", who);
        for a in &v.acts {
            let mut what = a.act_type.as_str().to_string();
            if let Some(dc) = a.death_context {
                what.push_str(&format!(" ({})", dc.as_str()));
            }
            what.push_str(&format!(", method {}", a.method.as_str()));
            line("Act", what);
            for p in &a.perpetrators {
                let mut by = t(&p.actor);
                if let Some(ty) = new_actor {
                    by.push_str(&format!(" (new actor: {})", ty.as_str()));
                }
                by.push_str(&format!(
                    ", basis {}, confidence {}",
                    p.basis.as_str(),
                    p.confidence.as_str()
                ));
                line("Perpetrator", by);
            }
        }
    }
    for s in &rec.sources {
        let mut src = t(&s.url);
        if !s.publisher.is_empty() {
            src.push_str(&format!(" ({})", t(&s.publisher)));
        }
        line("Source", src);
    }
    if !rec.summary.is_empty() {
        line("What happened", t(&rec.summary));
    }
    out.push('\n');
    out
}

/// Builds the record the flags describe.
fn from_flags(args: &Args) -> Result<IncidentRecord> {
    let name = args.victim.clone().unwrap_or_default();
    // Every missing flag at once: at 2 a.m. one per run is three runs.
    let missing: Vec<&str> = [
        ("--date", args.date.is_none()),
        ("--country", args.country.is_none()),
        ("--victim", name.trim().is_empty() && !args.anonymous),
        ("--act", args.act.is_none()),
    ]
    .into_iter()
    .filter_map(|(flag, absent)| absent.then_some(flag))
    .collect();
    let (Some(date), Some(country), Some(act_type), true) = (
        args.date.as_deref(),
        args.country.as_deref(),
        args.act,
        missing.is_empty(),
    ) else {
        bail!(
            "missing {} (or --file with whole incidents; --anonymous for an unnamed victim), e.g. \
             pressreg add --date 2021-08-08 --country AF --victim \"Toofan Omar\" --act killed",
            missing.join(", ")
        );
    };
    let spec = dates::parse(date, args.calendar, clock::today()?).context("--date")?;
    let (latitude, longitude) = match &args.coordinates {
        Some(c) => {
            let parsed = c.split_once(',').and_then(|(a, b)| {
                Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?))
            });
            let (lat, lon) = parsed.ok_or_else(|| {
                anyhow!("--coordinates '{c}' is not LAT,LON (accepted: e.g. 34.52,69.17)")
            })?;
            (Some(lat), Some(lon))
        }
        None => (None, None),
    };
    let mut act = ActRecord::new(act_type);
    act.death_context = args.death_context;
    act.method = args.method;
    act.date = args.act_date.clone();
    if let Some(actor) = &args.actor {
        let mut inv = InvolvementRecord::new(actor);
        inv.actor_type = args.actor_type;
        inv.role = args.role;
        inv.basis = args.basis;
        inv.confidence = args.confidence;
        act.perpetrators.push(inv);
    } else if args.actor_type.is_some() {
        bail!("--actor-type needs --actor (name the actor)");
    }
    let mut victim = VictimRecord::new(name.trim());
    victim.name_variants = args.name_variant.clone();
    victim.anonymous = args.anonymous;
    victim.sex = args.sex;
    victim.age = args.age;
    victim.nationality = args.nationality.clone();
    victim.category = args.category;
    victim.employment = args.employment;
    victim.jobs = args.job.clone();
    victim.mediums = args.medium.clone();
    victim.outlet = args.outlet.clone();
    victim.beats = args.beat.clone();
    victim.status = args.status;
    victim.acts.push(act);
    let mut sources = Vec::new();
    if args.source_url.is_some() || !args.publisher.is_empty() {
        let mut s = SourceRecord::new(args.source_url.as_deref().unwrap_or(""));
        s.source_type = args.source_type;
        s.publisher = args.publisher.clone();
        s.published_on = args
            .published_on
            .as_deref()
            .map(|d| dates::parse_day(d, "--published-on"))
            .transpose()?;
        s.confidential = args.confidential_source;
        sources.push(s);
    }
    Ok(IncidentRecord {
        title: args.title.clone(),
        summary: args.summary.clone(),
        date_start: spec.start,
        date_end: spec.end,
        date_precision: Some(spec.precision),
        date_approximate: spec.approximate,
        date_as_reported: spec.as_reported,
        calendar: args.calendar,
        country: country.to_string(),
        admin1: args.admin1.clone(),
        admin2: args.admin2.clone(),
        locality: args.locality.clone(),
        place: args.place.clone(),
        latitude,
        longitude,
        geo_precision: args.geo_precision,
        context: args.context,
        verification: args.verification,
        work_link: args.work_link,
        justice: args.justice,
        confidentiality: args.confidentiality,
        victims: vec![victim],
        sources,
        ..IncidentRecord::default()
    })
}

/// Reads one JSON incident or JSONL incidents from a file or stdin.
pub fn read_file(path: &PathBuf) -> Result<Vec<IncidentRecord>> {
    let shown = path.display().to_string();
    let mut bytes = Vec::new();
    // Read whole, so bounded: past the cap of one JSONL line the file is
    // for `import`, which streams.
    let cap = crate::exchange::jsonl::MAX_LINE;
    if shown == "-" {
        std::io::stdin()
            .take(cap + 1)
            .read_to_end(&mut bytes)
            .context("failed to read stdin")?;
    } else {
        std::fs::File::open(path)
            .and_then(|f| f.take(cap + 1).read_to_end(&mut bytes))
            .with_context(|| format!("failed to read '{shown}'"))?;
    }
    if bytes.len() as u64 > cap {
        bail!(
            "'{shown}' is larger than {} MiB (accepted: at most {} MiB with --file; \
             'pressreg import' reads larger files)",
            cap >> 20,
            cap >> 20
        );
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow!(
            "'{shown}': invalid UTF-8 at byte {} (save the file as UTF-8)",
            e.utf8_error().valid_up_to() + 1
        )
    })?;
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        bail!("'{shown}' holds no incident");
    }
    // One JSON object (possibly pretty-printed), else JSONL.
    if let Ok(rec) = serde_json::from_str::<IncidentRecord>(trimmed) {
        return Ok(vec![rec]);
    }
    let mut out = Vec::new();
    for (i, line) in trimmed.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let rec = serde_json::from_str::<IncidentRecord>(line)
            .map_err(|e| anyhow!("'{shown}' line {}: {e}", i + 1))?;
        out.push(rec);
    }
    Ok(out)
}

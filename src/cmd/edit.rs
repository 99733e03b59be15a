//! `pressreg edit REF --set FIELD=VALUE... --reason TEXT [--dry-run]`:
//! change fields of an incident, its victims, acts and sources.
//!
//! Every value is checked by the rules `add` uses (vocabularies, dates,
//! country codes, then `validate::normalize` on the whole changed record),
//! and every changed field is one revision row carrying the reason. The
//! changes are printed on stdout as `field: 'old' → 'new'`; `--dry-run`
//! prints them and writes nothing.

use std::str::FromStr;

use anyhow::{anyhow, bail, Context as _, Result};

use super::Ctx;
use crate::db::edit::{Changed, Located};
use crate::db::Access;
use crate::model::*;
use crate::validate::{self, Invalid, Part};
use crate::vocab::*;
use crate::{clock, country, dates};

/// Change fields of an incident
///
/// FIELD is an incident field, or victim.N.FIELD (N: the victim's number in
/// 'show'), act.V.A.FIELD (act V.A in 'show'), source.N.FIELD. Lists
/// (name_variants, jobs, mediums, beats) are comma-separated; an empty
/// VALUE clears an optional field. Setting `date` parses it as `add --date`
/// does, in the calendar given with `--set calendar=…` (Gregorian if none),
/// and sets the date fields and the calendar together.
///
/// Incident fields: title, summary, date, calendar, country, admin1, admin2,
/// locality, place, coordinates (LAT,LON), geo_precision, context,
/// verification, work_link, justice, confidentiality, private_notes,
/// duplicate_of (a ref).
///
/// Victim fields: name, name_variants, anonymous (true/false), sex, age,
/// nationality, local_or_foreign, category, employment, jobs, mediums,
/// beats, outlet, status, confidentiality, private_notes.
///
/// Act fields: type, death_context, method, date, note.
///
/// Source fields: type, publisher, url, title, published_on, accessed_on,
/// language, reliability, confidential (true/false), note.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg edit AF-2021-0007 --set verification=corroborated --reason \"second source\"
  pressreg edit AF-2021-0007 --set date=2021-08-09 --set admin2=Nawa \\
      --reason \"Khaama Press\" --dry-run
  pressreg edit AF-2021-0007 --set victim.1.name_variants=\"Toofan Omari,Tufan Omar\" \\
      --reason spelling
  pressreg edit AF-2021-0007 --set act.1.1.death_context=targeted --reason \"CPJ\"")]
pub struct Args {
    /// The incident's ref (AF-2021-0007) or uid
    #[arg(value_name = "REF")]
    pub reference: String,
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

const INCIDENT_FIELDS: &[&str] = &[
    "title",
    "summary",
    "date",
    "calendar",
    "country",
    "admin1",
    "admin2",
    "locality",
    "place",
    "coordinates",
    "geo_precision",
    "context",
    "verification",
    "work_link",
    "justice",
    "confidentiality",
    "private_notes",
    "duplicate_of",
];

const VICTIM_FIELDS: &[&str] = &[
    "name",
    "name_variants",
    "anonymous",
    "sex",
    "age",
    "nationality",
    "local_or_foreign",
    "category",
    "employment",
    "jobs",
    "mediums",
    "beats",
    "outlet",
    "status",
    "confidentiality",
    "private_notes",
];

const ACT_FIELDS: &[&str] = &["type", "death_context", "method", "date", "note"];

const SOURCE_FIELDS: &[&str] = &[
    "type",
    "publisher",
    "url",
    "title",
    "published_on",
    "accessed_on",
    "language",
    "reliability",
    "confidential",
    "note",
];

/// What a `--set` names.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    Incident,
    Victim(i64),
    Act(i64, usize),
    Source(usize),
}

/// One `--set`, split and checked against the field lists.
#[derive(Clone, Debug)]
struct Setting {
    /// As the user wrote the field (for messages).
    path: String,
    target: Target,
    field: &'static str,
    value: String,
}

/// Runs `edit`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let reason = args.reason.trim();
    if reason.is_empty() {
        bail!("--reason is empty (say why the change is made; it is kept in the revision log)");
    }
    let settings = args
        .set
        .iter()
        .map(|s| parse_setting(s))
        .collect::<Result<Vec<_>>>()?;
    let today = clock::today()?;
    let mut db = ctx.open(Access::Change)?;
    let apply = |w: &mut crate::db::Writer<'_>| -> Result<(Located, Vec<Changed>)> {
        let id = w.require_incident(&args.reference)?;
        let before = w.locate(id)?;
        if before.record.deleted_at.is_some() {
            bail!(
                "'{}' is deleted (restore it first with 'pressreg restore {}')",
                before.reference,
                before.reference
            );
        }
        let mut rec = before.record.clone();
        apply_settings(&mut rec, &before, &settings)?;
        let rec =
            validate::normalize(rec, today).map_err(|e| anyhow!("{}", said_at(&e, &before)))?;
        let changed = w.save(&before, &rec)?;
        Ok((before, changed))
    };
    let (before, changed) = if args.dry_run {
        db.dry_run(reason, apply)?
    } else {
        db.write(reason, apply)?
    };
    let mut text = String::new();
    for c in &changed {
        let field = if c.what == "incident" {
            c.field.clone()
        } else {
            format!("{} {}", c.what, c.field)
        };
        text.push_str(&format!(
            "{}: {} → {}\n",
            ctx.out.text(&field),
            ctx.out.text(&c.old_shown()),
            ctx.out.text(&c.new_shown())
        ));
    }
    ctx.out.print(&text)?;
    for s in &settings {
        if !touches(s, &changed) {
            ctx.out.note(&format!(
                "{} already is '{}': nothing to change",
                s.path, s.value
            ));
        }
    }
    if args.dry_run {
        ctx.out.note(&format!(
            "dry run: {} change{} to {} not written",
            changed.len(),
            if changed.len() == 1 { "" } else { "s" },
            before.reference
        ));
    }
    Ok(())
}

/// Says a validation error as `show` and `--set` name records: the
/// victim's stored position, and an act as `act 1.2` (victim position .
/// act order).
fn said_at(e: &Invalid, at: &Located) -> String {
    let position = |v: usize| {
        at.victims
            .get(v.wrapping_sub(1))
            .map_or(v as i64, |(p, _, _)| *p)
    };
    match e.part {
        Part::Victim(v) => format!("victim {}: {}", position(v), e.said()),
        Part::Act(v, a) => format!("act {}.{a}: {}", position(v), e.said()),
        Part::Perpetrator(v, a, p) => {
            format!("act {}.{a}: perpetrator {p}: {}", position(v), e.said())
        }
        _ => e.to_string(),
    }
}

/// Whether a setting changed at least one stored field.
fn touches(s: &Setting, changed: &[Changed]) -> bool {
    let what = match &s.target {
        Target::Incident => "incident".to_string(),
        Target::Victim(n) => format!("victim {n}"),
        Target::Act(v, a) => format!("act {v}.{a}"),
        Target::Source(n) => format!("source {n}"),
    };
    let single = [s.field];
    let columns: &[&str] = match (&s.target, s.field) {
        (Target::Incident, "date") => &[
            "date_start",
            "date_end",
            "date_precision",
            "date_approximate",
            "date_as_reported",
            "calendar",
        ],
        (Target::Incident, "coordinates") => &["latitude", "longitude"],
        (Target::Act(..), "date") => &["date_start", "date_end", "date_precision"],
        _ => &single,
    };
    changed
        .iter()
        .any(|c| c.what == what && columns.contains(&c.field.as_str()))
}

fn accepted_fields() -> String {
    format!(
        "{}, victim.N.FIELD, act.V.A.FIELD, source.N.FIELD",
        INCIDENT_FIELDS.join(", ")
    )
}

/// Splits `FIELD=VALUE` and checks the field's name and address form.
fn parse_setting(s: &str) -> Result<Setting> {
    let (path, value) = s
        .split_once('=')
        .ok_or_else(|| anyhow!("--set '{s}' is not FIELD=VALUE"))?;
    let path = path.trim();
    let parts: Vec<&str> = path.split('.').collect();
    let number = |p: &str| -> Result<i64> {
        p.parse::<i64>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| anyhow!("--set '{path}': '{p}' is not a number (accepted: 1, 2, …)"))
    };
    let known = |list: &'static [&'static str], f: &str, kind: &str| -> Result<&'static str> {
        list.iter().copied().find(|x| *x == f).ok_or_else(|| {
            anyhow!(
                "unknown {kind}field '{f}' in --set '{path}' (accepted: {})",
                list.join(", ")
            )
        })
    };
    let (target, field) = match parts.as_slice() {
        [f] => (
            Target::Incident,
            INCIDENT_FIELDS
                .iter()
                .copied()
                .find(|x| x == f)
                .ok_or_else(|| anyhow!("unknown field '{f}' (accepted: {})", accepted_fields()))?,
        ),
        ["victim", n, f] => (
            Target::Victim(number(n)?),
            known(VICTIM_FIELDS, f, "victim ")?,
        ),
        ["act", v, a, f] => (
            Target::Act(number(v)?, number(a)? as usize),
            known(ACT_FIELDS, f, "act ")?,
        ),
        ["source", n, f] => (
            Target::Source(number(n)? as usize),
            known(SOURCE_FIELDS, f, "source ")?,
        ),
        _ => bail!("unknown field '{path}' (accepted: {})", accepted_fields()),
    };
    Ok(Setting {
        path: path.to_string(),
        target,
        field,
        value: value.to_string(),
    })
}

/// Applies every setting to the loaded record.
fn apply_settings(rec: &mut IncidentRecord, at: &Located, settings: &[Setting]) -> Result<()> {
    let calendar = settings
        .iter()
        .find(|s| s.target == Target::Incident && s.field == "calendar")
        .map(|s| vocab_value::<Calendar>(&s.value))
        .transpose()
        .context("--set calendar")?;
    if calendar.is_some()
        && !settings
            .iter()
            .any(|s| s.target == Target::Incident && s.field == "date")
    {
        bail!("--set calendar: the calendar is the one the date was reported in; set it with the date (--set date=… --set calendar=…)");
    }
    for s in settings {
        let context = format!("--set {}", s.path);
        match s.target {
            Target::Incident => set_incident(rec, s, calendar).context(context)?,
            Target::Victim(n) => {
                let i = victim_index(at, n)?;
                set_victim(&mut rec.victims[i], s).context(context)?;
            }
            Target::Act(v, a) => {
                let i = victim_index(at, v)?;
                let count = rec.victims[i].acts.len();
                let act = rec.victims[i].acts.get_mut(a - 1).ok_or_else(|| {
                    anyhow!(
                        "no act {v}.{a} in {} (victim {v} has {count} act{})",
                        at.reference,
                        if count == 1 { "" } else { "s" }
                    )
                })?;
                set_act(act, s).context(context)?;
            }
            Target::Source(n) => {
                let count = rec.sources.len();
                let source = rec.sources.get_mut(n - 1).ok_or_else(|| {
                    anyhow!(
                        "no source {n} in {} (it has {count} source{})",
                        at.reference,
                        if count == 1 { "" } else { "s" }
                    )
                })?;
                set_source(source, s).context(context)?;
            }
        }
    }
    Ok(())
}

fn victim_index(at: &Located, n: i64) -> Result<usize> {
    at.victim_index(n).ok_or_else(|| {
        let have: Vec<String> = at.victims.iter().map(|(p, _, _)| p.to_string()).collect();
        anyhow!(
            "no victim {n} in {} (victims: {})",
            at.reference,
            if have.is_empty() {
                "none".to_string()
            } else {
                have.join(", ")
            }
        )
    })
}

fn vocab_value<T: FromStr<Err = VocabError>>(s: &str) -> Result<T> {
    Ok(s.trim().parse::<T>()?)
}

fn optional_vocab<T: FromStr<Err = VocabError>>(s: &str) -> Result<Option<T>> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        vocab_value(s).map(Some)
    }
}

fn vocab_list<T: FromStr<Err = VocabError>>(s: &str) -> Result<Vec<T>> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| Ok(p.parse::<T>()?))
        .collect()
}

fn text_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

fn boolean(s: &str) -> Result<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" => Ok(false),
        _ => bail!("'{s}' is not true or false (accepted: true, false, yes, no, 1, 0)"),
    }
}

fn optional_day(s: &str, field: &str) -> Result<Option<chrono::NaiveDate>> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        dates::parse_day(s, field).map(Some)
    }
}

fn set_incident(rec: &mut IncidentRecord, s: &Setting, calendar: Option<Calendar>) -> Result<()> {
    let v = s.value.as_str();
    match s.field {
        "title" => rec.title = v.to_string(),
        "summary" => rec.summary = v.to_string(),
        "date" => {
            rec.calendar = calendar.unwrap_or(Calendar::Gregorian);
            rec.date_start = None;
            rec.date_end = None;
            rec.date_approximate = false;
            rec.date_as_reported = String::new();
            if v.trim().is_empty() || v.trim() == "unknown" {
                rec.date_precision = Some(DatePrecision::Unknown);
            } else {
                rec.date_precision = None;
                rec.date = Some(v.to_string());
            }
        }
        // Applied with the date.
        "calendar" => {}
        "country" => rec.country = country::check(v)?,
        "admin1" => rec.admin1 = v.to_string(),
        "admin2" => rec.admin2 = v.to_string(),
        "locality" => rec.locality = v.to_string(),
        "place" => rec.place = v.to_string(),
        "coordinates" => {
            if v.trim().is_empty() {
                rec.latitude = None;
                rec.longitude = None;
            } else {
                let parsed = v.split_once(',').and_then(|(a, b)| {
                    Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?))
                });
                let (lat, lon) = parsed.ok_or_else(|| {
                    anyhow!("'{v}' is not LAT,LON (accepted: e.g. 34.52,69.17, or empty to clear)")
                })?;
                rec.latitude = Some(lat);
                rec.longitude = Some(lon);
            }
        }
        "geo_precision" => {
            rec.geo_precision =
                v.trim()
                    .parse::<u8>()
                    .ok()
                    .filter(|n| *n <= 3)
                    .ok_or_else(|| {
                        anyhow!(
                    "'{v}' is not a geo precision (accepted: 0 unknown, 1 exact, 2 near, 3 region)"
                )
                    })?
        }
        "context" => rec.context = vocab_value(v)?,
        "verification" => rec.verification = vocab_value(v)?,
        "work_link" => rec.work_link = vocab_value(v)?,
        "justice" => rec.justice = vocab_value(v)?,
        "confidentiality" => rec.confidentiality = vocab_value(v)?,
        "private_notes" => rec.private_notes = v.to_string(),
        "duplicate_of" => rec.duplicate_of = (!v.trim().is_empty()).then(|| v.trim().to_string()),
        other => bail!("unknown field '{other}'"),
    }
    Ok(())
}

fn set_victim(victim: &mut VictimRecord, s: &Setting) -> Result<()> {
    let v = s.value.as_str();
    match s.field {
        "name" => victim.name = v.to_string(),
        "name_variants" => victim.name_variants = text_list(v),
        "anonymous" => victim.anonymous = boolean(v)?,
        "sex" => victim.sex = vocab_value(v)?,
        "age" => {
            victim.age = if v.trim().is_empty() {
                None
            } else {
                Some(
                    v.trim()
                        .parse::<u8>()
                        .ok()
                        .filter(|a| *a <= 120)
                        .ok_or_else(|| {
                            anyhow!("'{v}' is not an age (accepted: 0 to 120, or empty to clear)")
                        })?,
                )
            }
        }
        "nationality" => {
            victim.nationality = if v.trim().is_empty() {
                String::new()
            } else {
                country::check(v)?
            }
        }
        "local_or_foreign" => victim.local_or_foreign = optional_vocab(v)?,
        "category" => victim.category = vocab_value(v)?,
        "employment" => victim.employment = vocab_value(v)?,
        "jobs" => victim.jobs = vocab_list(v)?,
        "mediums" => victim.mediums = vocab_list(v)?,
        "beats" => victim.beats = vocab_list(v)?,
        "outlet" => victim.outlet = v.to_string(),
        "status" => victim.status = vocab_value(v)?,
        "confidentiality" => victim.confidentiality = vocab_value(v)?,
        "private_notes" => victim.private_notes = v.to_string(),
        other => bail!("unknown victim field '{other}'"),
    }
    Ok(())
}

fn set_act(act: &mut ActRecord, s: &Setting) -> Result<()> {
    let v = s.value.as_str();
    match s.field {
        "type" => act.act_type = vocab_value(v)?,
        "death_context" => act.death_context = optional_vocab(v)?,
        "method" => act.method = vocab_value(v)?,
        "date" => {
            act.date_start = None;
            act.date_end = None;
            act.date_precision = None;
            act.date = (!v.trim().is_empty()).then(|| v.to_string());
        }
        "note" => act.note = v.to_string(),
        other => bail!("unknown act field '{other}'"),
    }
    Ok(())
}

fn set_source(source: &mut SourceRecord, s: &Setting) -> Result<()> {
    let v = s.value.as_str();
    match s.field {
        "type" => source.source_type = vocab_value(v)?,
        "publisher" => source.publisher = v.to_string(),
        "url" => source.url = v.to_string(),
        "title" => source.title = v.to_string(),
        "published_on" => source.published_on = optional_day(v, "published_on")?,
        "accessed_on" => source.accessed_on = optional_day(v, "accessed_on")?,
        "language" => source.language = v.to_string(),
        "reliability" => source.reliability = vocab_value(v)?,
        "confidential" => source.confidential = boolean(v)?,
        "note" => source.note = v.to_string(),
        other => bail!("unknown source field '{other}'"),
    }
    Ok(())
}

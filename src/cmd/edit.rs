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
use crate::clock;
use crate::db::edit::{Changed, Located};
use crate::db::{Access, Agreement};
use crate::fields::{self, Entity as FieldEntity};
use crate::model::*;
use crate::validate::{self, Invalid, Part};
use crate::vocab::*;

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
/// outlet, beats, status, confidentiality, private_notes.
///
/// Act fields: type, death_context, method, date, note.
///
/// Source fields: type, publisher, url, title, published_on, accessed_on,
/// language, reliability, confidential (true/false), note, via.
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
    change(ctx, &args.reference, &args.set, &args.reason, args.dry_run)
}

/// Applies `FIELD=VALUE` settings to incident `reference` (`edit`, and
/// `source edit`, which addresses `source.N.FIELD`).
pub fn change(
    ctx: &Ctx,
    reference: &str,
    set: &[String],
    reason: &str,
    dry_run: bool,
) -> Result<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        bail!("--reason is empty (say why the change is made; it is kept in the revision log)");
    }
    let settings = set
        .iter()
        .map(|s| parse_setting(s))
        .collect::<Result<Vec<_>>>()?;
    let today = clock::today()?;
    let mut db = ctx.open(Access::Change)?;
    type Done = (Located, Vec<Changed>, Vec<Agreement>);
    let apply = |w: &mut crate::db::Writer<'_>| -> Result<Done> {
        let id = w.require_incident(reference)?;
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
        let agreements = w.settle_after_edit(id, &changed, today)?;
        Ok((before, changed, agreements))
    };
    let (before, changed, agreements) = if dry_run {
        db.dry_run(reason, apply)?
    } else {
        db.write(reason, apply)?
    };
    ctx.out.print(&change_lines(ctx, &changed))?;
    for s in &settings {
        if !touches(s, &changed) {
            ctx.out.note(&format!(
                "{} already is '{}': nothing to change",
                s.path, s.value
            ));
        }
    }
    // A field with claims says which of them the record now agrees with
    // (their accepted flags follow).
    for a in &agreements {
        let list = |n: &[usize]| {
            n.iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let plural = |n: &[usize]| if n.len() == 1 { "claim" } else { "claims" };
        if a.agrees.is_empty() {
            ctx.out.note(&format!(
                "{} now agrees with none of its claims ({} {})",
                a.field,
                plural(&a.others),
                list(&a.others)
            ));
        } else {
            ctx.out.note(&format!(
                "{} now agrees with {} {}",
                a.field,
                plural(&a.agrees),
                list(&a.agrees)
            ));
        }
    }
    if dry_run {
        ctx.out.note(&format!(
            "dry run: {} change{} to {} not written",
            changed.len(),
            if changed.len() == 1 { "" } else { "s" },
            before.reference
        ));
    }
    Ok(())
}

/// The changes as `edit` prints them: `field: 'old' → 'new'`, one a line.
pub fn change_lines(ctx: &Ctx, changed: &[Changed]) -> String {
    let mut text = String::new();
    for c in changed {
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
    text
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
    let entity = match s.target {
        Target::Incident => FieldEntity::Incident,
        Target::Victim(_) => FieldEntity::Victim,
        Target::Act(..) => FieldEntity::Act,
        Target::Source(_) => FieldEntity::Source,
    };
    let columns: Vec<&str> = entity
        .fields()
        .into_iter()
        .find(|f| f.name == s.field)
        .map_or_else(|| vec![s.field], |f| f.columns);
    changed
        .iter()
        .any(|c| c.what == what && columns.contains(&c.field.as_str()))
}

fn accepted_fields() -> String {
    format!(
        "{}, victim.N.FIELD, act.V.A.FIELD, source.N.FIELD",
        FieldEntity::Incident.editable().join(", ")
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
    let known = |entity: FieldEntity, f: &str, kind: &str| -> Result<&'static str> {
        let list = entity.editable();
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
            FieldEntity::Incident
                .editable()
                .into_iter()
                .find(|x| x == f)
                .ok_or_else(|| anyhow!("unknown field '{f}' (accepted: {})", accepted_fields()))?,
        ),
        ["victim", n, f] => (
            Target::Victim(number(n)?),
            known(FieldEntity::Victim, f, "victim ")?,
        ),
        ["act", v, a, f] => (
            Target::Act(number(v)?, number(a)? as usize),
            known(FieldEntity::Act, f, "act ")?,
        ),
        ["source", n, f] => (
            Target::Source(number(n)? as usize),
            known(FieldEntity::Source, f, "source ")?,
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
            // The calendar is applied after the date, which resets it.
            Target::Incident if s.field == "calendar" => {}
            Target::Incident => {
                fields::set(fields::INCIDENT, rec, s.field, &s.value).context(context)?
            }
            Target::Victim(n) => {
                let i = victim_index(at, n)?;
                fields::set(fields::VICTIM, &mut rec.victims[i], s.field, &s.value)
                    .context(context)?;
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
                fields::set(fields::ACT, act, s.field, &s.value).context(context)?;
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
                fields::set(fields::SOURCE, source, s.field, &s.value).context(context)?;
            }
        }
    }
    if let Some(c) = calendar {
        rec.calendar = c;
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

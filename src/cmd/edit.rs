//! `pressreg edit REF --set FIELD=VALUE... --reason TEXT [--dry-run]`:
//! change fields of an incident, its victims, acts and sources.
//!
//! Every value is checked by the rules `add` uses (vocabularies, dates,
//! country codes, then `validate::normalize` on the whole changed record),
//! and every changed field is one revision row carrying the reason. The
//! changes are printed on stdout as `field: 'old' → 'new'`; `--dry-run`
//! prints them and writes nothing.
//!
//! `pressreg edit REF` with no --set opens the incident's editable fields as
//! a TOML file in $VISUAL or $EDITOR (`prompt::EditFile`: private, removed
//! after); each value changed there becomes a `--set` setting, so it is
//! checked by the same rules and written in one write with the file's
//! reason. A file that fails reopens with the error on top.

use std::str::FromStr;

use anyhow::{anyhow, bail, Context as _, Result};

use super::Ctx;
use crate::clock;
use crate::db::edit::{Changed, Located};
use crate::db::{Access, Agreement, Db};
use crate::fields::{self, Entity as FieldEntity};
use crate::model::*;
use crate::validate::{self, Invalid, Part};
use crate::vocab::*;

/// Change fields of an incident
///
/// With no --set, the incident opens as a TOML file in $VISUAL or $EDITOR
/// (else vi): change values, fill in `reason`, save and close, and every
/// change is checked as --set checks it and written together. A file that
/// fails reopens with the error on top; an unchanged file writes nothing;
/// an empty file gives up. The file is a plaintext copy of the record in a
/// private directory, removed when the editor is done.
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
  pressreg edit AF-2021-0007 --set act.1.1.death_context=targeted --reason \"CPJ\"
  pressreg edit AF-2021-0007        # in $EDITOR")]
pub struct Args {
    /// The incident's ref (AF-2021-0007) or uid
    #[arg(value_name = "REF")]
    pub reference: String,
    /// A change, FIELD=VALUE (repeatable); without any, the incident opens
    /// in $VISUAL or $EDITOR
    #[arg(long = "set", value_name = "FIELD=VALUE", requires = "reason")]
    pub set: Vec<String>,
    /// Why: kept with every change in the revision log (in the editor, the
    /// file's `reason` line)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
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
    if args.set.is_empty() {
        return in_editor(ctx, &args);
    }
    let reason = args.reason.as_deref().unwrap_or_default();
    change(ctx, &args.reference, &args.set, reason, args.dry_run)
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
    if reason.trim().is_empty() {
        bail!("--reason is empty (say why the change is made; it is kept in the revision log)");
    }
    let settings = set
        .iter()
        .map(|s| parse_setting(s))
        .collect::<Result<Vec<_>>>()?;
    let mut db = ctx.open(Access::Change)?;
    apply(ctx, &mut db, reference, &settings, reason.trim(), dry_run)
}

/// Applies checked settings to incident `reference` in one write, and says
/// what changed.
fn apply(
    ctx: &Ctx,
    db: &mut Db,
    reference: &str,
    settings: &[Setting],
    reason: &str,
    dry_run: bool,
) -> Result<()> {
    let today = clock::today()?;
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
        apply_settings(&mut rec, &before, settings)?;
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
    for s in settings {
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
        .ok_or_else(|| anyhow!("--set '{s}' is not FIELD=VALUE (e.g. --set place=Kabul)"))?;
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
                "unknown {kind}field '{f}' in --set '{path}'{} (accepted: {})",
                crate::vocab::did_you_mean(f, &list),
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
                .ok_or_else(|| {
                    anyhow!(
                        "unknown field '{f}'{} (accepted: {})",
                        crate::vocab::did_you_mean(f, &FieldEntity::Incident.editable()),
                        accepted_fields()
                    )
                })?,
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

// --- editing in $EDITOR ---

/// What a person is told on top of the file, after an error or first.
const HOW: &str = "\
# Change the values and save, then close the editor: the changes are checked
# by the rules of 'edit --set' and written as one change with the reason.
# Lists are [\"a\", \"b\"]; \"\" clears an optional field. Victims, acts and
# sources are added or removed by their own commands, not here.
# An unchanged file writes nothing; an empty file gives up.
";

/// `edit REF` with no --set: the incident's editable fields in a TOML file
/// in the person's editor; on save, every changed value becomes a setting
/// checked and applied as `--set` does, in one write. When that fails the
/// file reopens with the error on top.
fn in_editor(ctx: &Ctx, args: &Args) -> Result<()> {
    let mut db = ctx.open(Access::Change)?;
    let at = {
        let r = db.read()?;
        let id = r.require_incident(&args.reference)?;
        r.locate(id)?
    };
    if at.record.deleted_at.is_some() {
        bail!(
            "'{}' is deleted (restore it first with 'pressreg restore {}')",
            at.reference,
            at.reference
        );
    }
    let original = document(&at, args.reason.as_deref().unwrap_or_default());
    let before = values(&original)?;
    let name = format!(
        "{}.toml",
        crate::output::flat(&at.reference).replace('/', "_")
    );
    let file = crate::prompt::EditFile::create(&name, &original)?;
    loop {
        let text = file.edit()?;
        let meaningful = text
            .lines()
            .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
        if !meaningful {
            bail!(
                "the file was empty: {} was not changed; nothing was written",
                at.reference
            );
        }
        let result = values(&text).and_then(|after| {
            let (settings, reason) = settings_from(&at, &before, &after)?;
            if settings.is_empty() {
                return Ok(false);
            }
            if reason.trim().is_empty() {
                bail!(
                    "reason is empty (say why on the line reason = \"…\"; it is kept in the revision log)"
                );
            }
            let settings = settings
                .iter()
                .map(|s| parse_setting(s))
                .collect::<Result<Vec<_>>>()?;
            apply(ctx, &mut db, &at.reference, &settings, reason.trim(), args.dry_run)?;
            Ok(true)
        });
        match result {
            Ok(true) => return Ok(()),
            Ok(false) => {
                ctx.out.note(&format!(
                    "the file was not changed: nothing written to {}",
                    at.reference
                ));
                return Ok(());
            }
            Err(e) => {
                let said = format!("{e:#}");
                // The file's values are named as the file names them.
                let said = said.strip_prefix("--set ").unwrap_or(&said);
                let said = crate::output::flat(said).into_owned();
                file.write(&format!(
                    "# pressreg: {said}\n# Fix it and save, or empty the file to give up.\n{}",
                    without_error(&text)
                ))?;
            }
        }
    }
}

/// The file's text without the error lines a previous round put on top.
fn without_error(text: &str) -> String {
    let mut lines = text.lines().peekable();
    if lines.peek().is_some_and(|l| l.starts_with("# pressreg: ")) {
        lines.next();
        if lines
            .peek()
            .is_some_and(|l| l.starts_with("# Fix it and save"))
        {
            lines.next();
        }
    }
    let mut out: String = lines.collect::<Vec<_>>().join("\n");
    out.push('\n');
    out
}

/// The editable fields of one part of the incident, as the file shows them:
/// (field, TOML value).
/// A field JSON leaves out when it holds its default (`anonymous`,
/// `name_variants`) shows as the field table stores it.
fn part_values(
    entity: FieldEntity,
    json: &serde_json::Value,
    stored: &[(&'static str, fields::Stored)],
) -> Vec<(&'static str, toml::Value)> {
    entity
        .editable()
        .into_iter()
        .map(|name| {
            let value = match json.get(name) {
                Some(serde_json::Value::String(s)) => toml::Value::String(s.clone()),
                Some(serde_json::Value::Bool(b)) => toml::Value::Boolean(*b),
                Some(serde_json::Value::Number(n)) => match n.as_i64() {
                    Some(i) => toml::Value::Integer(i),
                    None => toml::Value::String(n.to_string()),
                },
                Some(serde_json::Value::Array(items)) => toml::Value::Array(
                    items
                        .iter()
                        .map(|i| match i {
                            serde_json::Value::String(s) => toml::Value::String(s.clone()),
                            other => toml::Value::String(other.to_string()),
                        })
                        .collect(),
                ),
                _ => match stored.iter().find(|(n, _)| *n == name).map(|(_, v)| v) {
                    Some(fields::Stored::Integer(i)) => toml::Value::Boolean(*i != 0),
                    Some(fields::Stored::Text(t)) if t == "[]" => toml::Value::Array(Vec::new()),
                    _ => toml::Value::String(String::new()),
                },
            };
            (name, value)
        })
        .collect()
}

/// An incident's `date` as `add --date` takes it back.
fn date_text(rec: &IncidentRecord) -> String {
    if !rec.date_as_reported.is_empty() {
        return rec.date_as_reported.clone();
    }
    match (rec.date_start, rec.date_end) {
        (Some(s), Some(e)) if e != s => format!("{s}/{e}"),
        (Some(s), _) => s.to_string(),
        (None, _) => "unknown".to_string(),
    }
}

/// An act's own `date` as `--set act.V.A.date` takes it back.
fn act_date_text(act: &ActRecord) -> String {
    match (act.date_start, act.date_end) {
        (Some(s), Some(e)) if e != s => format!("{s}/{e}"),
        (Some(s), _) => s.to_string(),
        (None, _) => String::new(),
    }
}

/// The file a person edits: the reason, then every editable field of the
/// incident, its victims and acts, and its sources.
fn document(at: &Located, reason: &str) -> String {
    let rec = &at.record;
    let line = |out: &mut String, name: &str, value: &toml::Value| {
        out.push_str(&format!("{name} = {value}\n"));
    };
    let json = |v: &dyn erased::Json| v.json();
    let mut out = format!(
        "# pressreg edit {}: a plaintext copy of the record, in a private directory,\n\
         # removed when you are done.\n{HOW}\n",
        crate::output::flat(&at.reference)
    );
    line(&mut out, "reason", &toml::Value::String(reason.to_string()));
    out.push('\n');
    for (name, mut value) in part_values(
        FieldEntity::Incident,
        &json(rec),
        &fields::stored(fields::INCIDENT, rec),
    ) {
        match name {
            "date" => value = toml::Value::String(date_text(rec)),
            "coordinates" => {
                value = toml::Value::String(match (rec.latitude, rec.longitude) {
                    (Some(a), Some(b)) => format!("{a},{b}"),
                    _ => String::new(),
                })
            }
            _ => {}
        }
        line(&mut out, name, &value);
    }
    for (i, v) in rec.victims.iter().enumerate() {
        let position = at.victims.get(i).map_or(i as i64 + 1, |(p, _, _)| *p);
        out.push_str(&format!("\n[[victim]] # victim {position}\n"));
        for (name, value) in part_values(
            FieldEntity::Victim,
            &json(v),
            &fields::stored(fields::VICTIM, v),
        ) {
            line(&mut out, name, &value);
        }
        for (a, act) in v.acts.iter().enumerate() {
            out.push_str(&format!("\n[[victim.act]] # act {position}.{}\n", a + 1));
            for (name, mut value) in part_values(
                FieldEntity::Act,
                &json(act),
                &fields::stored(fields::ACT, act),
            ) {
                if name == "date" {
                    value = toml::Value::String(act_date_text(act));
                }
                line(&mut out, name, &value);
            }
        }
    }
    for (n, s) in rec.sources.iter().enumerate() {
        out.push_str(&format!("\n[[source]] # source {}\n", n + 1));
        for (name, value) in part_values(
            FieldEntity::Source,
            &json(s),
            &fields::stored(fields::SOURCE, s),
        ) {
            line(&mut out, name, &value);
        }
    }
    out
}

/// Serialising any part of a record to JSON, to read its fields by name.
mod erased {
    pub trait Json {
        fn json(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap_or_default()
        }
    }
}

/// The file's values: `--set` paths (`title`, `victim.1.name`, `act.1.1.type`,
/// `source.1.url`) with their text, and `reason`. A file that is not TOML,
/// or holds a field the file never offered, is an error.
fn values(text: &str) -> Result<Vec<(String, String)>> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        anyhow!("the file is not valid TOML: {}", e.message().trim())
            .context(locate_error(text, &e))
    })?;
    let mut out = Vec::new();
    let fields = |entity: FieldEntity,
                  what: &str,
                  prefix: &str,
                  t: &toml::Table,
                  skip: &[&str],
                  out: &mut Vec<(String, String)>|
     -> Result<()> {
        let accepted = entity.editable();
        for (key, value) in t {
            if skip.contains(&key.as_str()) {
                continue;
            }
            if !accepted.contains(&key.as_str()) {
                bail!(
                    "unknown field '{key}' in {what}{} (accepted: {})",
                    crate::vocab::did_you_mean(key, &accepted),
                    accepted.join(", ")
                );
            }
            out.push((format!("{prefix}{key}"), text_of(value, what, key)?));
        }
        Ok(())
    };
    let mut top = table.clone();
    let reason = top.remove("reason");
    let victims = top.remove("victim");
    let sources = top.remove("source");
    fields(
        FieldEntity::Incident,
        "the incident",
        "",
        &top,
        &[],
        &mut out,
    )?;
    out.push((
        "reason".to_string(),
        match reason {
            Some(v) => text_of(&v, "the incident", "reason")?,
            None => String::new(),
        },
    ));
    for (i, v) in array_of_tables(victims, "victim")?.iter().enumerate() {
        let n = i + 1;
        fields(
            FieldEntity::Victim,
            &format!("victim {n}"),
            &format!("victim.{n}."),
            v,
            &["act"],
            &mut out,
        )?;
        let acts = array_of_tables(v.get("act").cloned(), "victim.act")?;
        for (a, act) in acts.iter().enumerate() {
            let a = a + 1;
            fields(
                FieldEntity::Act,
                &format!("act {n}.{a}"),
                &format!("act.{n}.{a}."),
                act,
                &[],
                &mut out,
            )?;
        }
        out.push((format!("victim.{n}#acts"), acts.len().to_string()));
    }
    let sources = array_of_tables(sources, "source")?;
    for (i, s) in sources.iter().enumerate() {
        let n = i + 1;
        fields(
            FieldEntity::Source,
            &format!("source {n}"),
            &format!("source.{n}."),
            s,
            &[],
            &mut out,
        )?;
    }
    out.push(("#sources".to_string(), sources.len().to_string()));
    Ok(out)
}

/// Where a TOML error is, as `line L, column C`.
fn locate_error(text: &str, e: &toml::de::Error) -> String {
    match e.span() {
        Some(span) => {
            let upto = &text[..span.start.min(text.len())];
            let line = upto.matches('\n').count() + 1;
            let column = upto.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}")
        }
        None => "the file".to_string(),
    }
}

fn array_of_tables(value: Option<toml::Value>, name: &str) -> Result<Vec<toml::Table>> {
    match value {
        None => Ok(Vec::new()),
        Some(toml::Value::Array(items)) => items
            .into_iter()
            .map(|i| match i {
                toml::Value::Table(t) => Ok(t),
                _ => Err(anyhow!("[[{name}]] must be a table of fields")),
            })
            .collect(),
        Some(_) => bail!("[[{name}]] must be a table of fields"),
    }
}

/// A value of the file as the text `--set` takes.
fn text_of(value: &toml::Value, what: &str, key: &str) -> Result<String> {
    Ok(match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Array(items) => items
            .iter()
            .map(|i| text_of(i, what, key))
            .collect::<Result<Vec<_>>>()?
            .join(","),
        _ => bail!("{key} in {what} is not a text, number, true/false or list"),
    })
}

/// The `--set` settings for every value that differs from the file as it
/// was written, and the reason. Victims, acts and sources must be the ones
/// the file offered.
fn settings_from(
    at: &Located,
    before: &[(String, String)],
    after: &[(String, String)],
) -> Result<(Vec<String>, String)> {
    let count = |list: &[(String, String)], key: &str| {
        list.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    };
    let victims =
        |list: &[(String, String)]| list.iter().filter(|(k, _)| k.ends_with("#acts")).count();
    if victims(before) != victims(after) {
        bail!(
            "victims cannot be added or removed here ({} has {}; 'pressreg victim add' adds one)",
            at.reference,
            victims(before)
        );
    }
    for (k, v) in before.iter().filter(|(k, _)| k.ends_with("#acts")) {
        if count(after, k).as_deref() != Some(v.as_str()) {
            let n = k.trim_start_matches("victim.").trim_end_matches("#acts");
            bail!(
                "acts cannot be added or removed here (victim {n} has {v}; 'pressreg act add' adds one)"
            );
        }
    }
    if count(before, "#sources") != count(after, "#sources") {
        bail!(
            "sources cannot be added or removed here ({} has {}; 'pressreg source add' adds one)",
            at.reference,
            count(before, "#sources").unwrap_or_default()
        );
    }
    // Positions in the file are counted from 1; `--set` names a victim by
    // its stored position.
    let position = |n: &str| -> String {
        n.parse::<usize>()
            .ok()
            .and_then(|i| at.victims.get(i - 1))
            .map_or(n.to_string(), |(p, _, _)| p.to_string())
    };
    let mut settings = Vec::new();
    let mut reason = String::new();
    let mut date_touched = false;
    for (key, value) in after {
        if key.contains('#') {
            continue;
        }
        if key == "reason" {
            reason = value.clone();
            continue;
        }
        // A field the file held but the person deleted keeps its value.
        let Some(old) = count(before, key) else {
            continue;
        };
        if old == *value {
            continue;
        }
        if key == "date" || key == "calendar" {
            date_touched = true;
            continue;
        }
        let path = match key.split('.').collect::<Vec<_>>().as_slice() {
            ["victim", n, f] => format!("victim.{}.{f}", position(n)),
            ["act", v, a, f] => format!("act.{}.{a}.{f}", position(v)),
            _ => key.clone(),
        };
        settings.push(format!("{path}={value}"));
    }
    // The date is read in its calendar, so the two go together.
    if date_touched {
        for key in ["date", "calendar"] {
            let v = count(after, key)
                .or_else(|| count(before, key))
                .unwrap_or_default();
            settings.push(format!("{key}={v}"));
        }
    }
    Ok((settings, reason))
}

//! `pressreg show REF`: one whole incident, as a readable page or as the
//! nested JSON record.
//!
//! The page numbers victims by position (`victim 2`) and acts by victim and
//! order (`act 2.1`), sources by order (`source 1`): `edit` and `history`
//! address records the same way. Sources' disagreements (claims) are shown,
//! never resolved silently. The page reaches a terminal escaped
//! (`Out::print`), so a hostile name cannot rewrite it, and a line break in
//! a recorded value never starts a line of the page: one-line places (names,
//! titles, sources, claims) get the value flattened (`output::flat`), long
//! text (a summary, notes) continues indented under its label.

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use uuid::Uuid;

use super::list::date_text;
use super::Ctx;
use crate::country;
use crate::db::edit::Located;
use crate::db::listing::victim_label;
use crate::db::Access;
use crate::model::*;
use crate::output::flat;
use crate::vocab::*;

/// Show one incident with its victims, acts, perpetrators and sources
///
/// The text page gives every field, each victim with the acts against them
/// (numbered `1.1`, `1.2`: victim . act, as 'edit' addresses them), the
/// perpetrators with the basis and confidence of each attribution and the
/// actor's type on the act's date, the sources, and what the sources say,
/// with their disagreements marked.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg show AF-2021-0007
  pressreg show AF-2021-0007 --format json")]
pub struct Args {
    /// The incident's ref (AF-2021-0007) or uid
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
}

/// How `show` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ShowFormat {
    /// A readable page
    Text,
    /// The nested record, as JSONL export writes it
    Json,
}

/// Runs `show`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let mut db = ctx.open(Access::Read)?;
    let r = db.read()?;
    let id = r.require_incident(&args.reference)?;
    if let Some(note) = r.alias_note(&args.reference, id)? {
        ctx.out.note(&note);
    }
    match args.format {
        ShowFormat::Json => {
            let rec = r.load_incident(id)?;
            ctx.out
                .print(&format!("{}\n", serde_json::to_string_pretty(&rec)?))?;
        }
        ShowFormat::Text => {
            let located = r.locate(id)?;
            let deletion = r.deletion_reason(id)?;
            let page = page(&located, deletion.as_deref());
            ctx.out.print(&page)?;
        }
    }
    Ok(())
}

/// Width of the labels in the page's `label: value` lines.
const LABEL: usize = 18;

/// A `label: value` line, indented; nothing when the value is empty. A
/// line break in the value becomes a space.
fn field(out: &mut String, indent: usize, label: &str, value: &str) {
    text_field(out, indent, label, &flat(value));
}

/// A `label: value` field of long text (a summary, notes): its lines
/// continue indented under the value column, so none starts a line of the
/// page.
fn text_field(out: &mut String, indent: usize, label: &str, value: &str) {
    if value.is_empty() {
        return;
    }
    let label = format!("{label}:");
    let width = LABEL.saturating_sub(indent).max(label.len());
    // Multi-line text (a summary) continues under the value column.
    let pad = " ".repeat(indent + width + 1);
    let value = value
        .trim_end()
        .replace("\r\n", "\n")
        .replace(
            ['\r', '\u{0B}', '\u{0C}', '\u{85}', '\u{2028}', '\u{2029}'],
            "\n",
        )
        .replace('\n', &format!("\n{pad}"));
    out.push_str(&format!("{}{label:<width$} {value}\n", " ".repeat(indent)));
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        ""
    }
}

fn impunity(j: Justice) -> &'static str {
    match j.impunity() {
        Impunity::Complete => "complete",
        Impunity::Partial => "partial",
        Impunity::None => "none",
    }
}

fn list<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The whole page for one incident.
fn page(at: &Located, deletion_reason: Option<&str>) -> String {
    let rec = &at.record;
    let reference = at.reference.as_str();
    let mut out = String::new();
    out.push_str(&flat(reference));
    if !rec.title.is_empty() {
        out.push_str(&format!("  {}", flat(&rec.title)));
    }
    out.push('\n');
    if let Some(deleted) = rec.deleted_at {
        field(
            &mut out,
            0,
            "DELETED",
            &format!(
                "{} ({})",
                crate::clock::stamp(deleted),
                deletion_reason.unwrap_or("no reason recorded")
            ),
        );
    }

    // When.
    let date = date_text(
        rec.date_start,
        rec.date_end,
        rec.date_precision.unwrap_or(DatePrecision::Unknown),
        rec.date_approximate,
    );
    let mut when = date.clone();
    if let Some(p) = rec.date_precision {
        // A range does not say by itself how precise it is.
        if date.contains('/') {
            when.push_str(&format!(" (precision: {p})"));
        }
    }
    if !rec.date_as_reported.is_empty() && rec.date_as_reported != date {
        when.push_str(&format!(" — as reported: '{}'", rec.date_as_reported));
    }
    if rec.calendar != Calendar::Gregorian {
        when.push_str(&format!(" in the {} calendar", rec.calendar));
    }
    field(&mut out, 0, "date", &when);

    // Where.
    let mut place: Vec<String> = [&rec.place, &rec.locality, &rec.admin2, &rec.admin1]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.to_string())
        .collect();
    place.push(format!("{} ({})", country::name(&rec.country), rec.country));
    field(&mut out, 0, "place", &place.join(", "));
    if let (Some(lat), Some(lon)) = (rec.latitude, rec.longitude) {
        field(
            &mut out,
            0,
            "coordinates",
            &format!("{lat}, {lon} (geo precision {})", rec.geo_precision),
        );
    }
    field(&mut out, 0, "context", rec.context.as_str());
    // The verification is the documenters' judgement; the count of
    // independent publishers is said beside it when the two disagree.
    let publishers = rec.independent_publishers();
    let backed = match rec.verification {
        Verification::Corroborated | Verification::Verified if publishers < 2 => Some(format!(
            "{} (but {} independent publisher{})",
            rec.verification,
            publishers,
            if publishers == 1 { "" } else { "s" }
        )),
        Verification::Reported if publishers >= 2 => Some(format!(
            "{} ({publishers} independent publishers)",
            rec.verification
        )),
        _ => None,
    };
    field(
        &mut out,
        0,
        "verification",
        backed.as_deref().unwrap_or(rec.verification.as_str()),
    );
    field(&mut out, 0, "work link", rec.work_link.as_str());
    field(
        &mut out,
        0,
        "justice",
        &format!("{} (impunity: {})", rec.justice, impunity(rec.justice)),
    );
    field(&mut out, 0, "confidentiality", rec.confidentiality.as_str());
    if let Some(d) = &rec.duplicate_of {
        field(&mut out, 0, "duplicate of", d);
    }
    text_field(&mut out, 0, "summary", &rec.summary);
    text_field(&mut out, 0, "private notes", &rec.private_notes);

    // Victims and acts; the labels let claims name their subject.
    let mut subjects: HashMap<Uuid, String> = HashMap::new();
    for (vi, v) in rec.victims.iter().enumerate() {
        let position = at.victims.get(vi).map_or(vi as i64 + 1, |(p, _, _)| *p);
        if let Some(uid) = v.uid {
            subjects.insert(uid, format!("victim {position}"));
        }
        out.push('\n');
        out.push_str(&format!(
            "victim {position}: {}\n",
            flat(&victim_label(reference, position, &v.name, v.anonymous))
        ));
        if v.anonymous && !v.name.is_empty() {
            field(&mut out, 2, "name (withheld)", &v.name);
        }
        field(&mut out, 2, "also written", &v.name_variants.join(", "));
        field(&mut out, 2, "anonymous", yes(v.anonymous));
        field(&mut out, 2, "sex", v.sex.as_str());
        field(
            &mut out,
            2,
            "age",
            &v.age.map(|a| a.to_string()).unwrap_or_default(),
        );
        let origin = match (
            v.local_or_foreign,
            country::is_foreign(&v.nationality, &rec.country),
        ) {
            (Some(lf), _) => lf.to_string(),
            (None, Some(true)) => "foreign (derived)".to_string(),
            (None, Some(false)) => "local (derived)".to_string(),
            (None, None) => String::new(),
        };
        let nationality = match (v.nationality.as_str(), origin.as_str()) {
            ("", "") => String::new(),
            ("", o) => o.to_string(),
            (n, "") => n.to_string(),
            (n, o) => format!("{n}, {o}"),
        };
        field(&mut out, 2, "nationality", &nationality);
        field(&mut out, 2, "category", v.category.as_str());
        field(&mut out, 2, "employment", v.employment.as_str());
        field(&mut out, 2, "jobs", &list(&v.jobs));
        field(&mut out, 2, "mediums", &list(&v.mediums));
        field(&mut out, 2, "beats", &list(&v.beats));
        field(&mut out, 2, "outlet", &v.outlet);
        field(&mut out, 2, "status", v.status.as_str());
        field(&mut out, 2, "confidentiality", v.confidentiality.as_str());
        text_field(&mut out, 2, "private notes", &v.private_notes);
        for (ai, a) in v.acts.iter().enumerate() {
            let number = format!("{position}.{}", ai + 1);
            if let Some(uid) = a.uid {
                subjects.insert(uid, format!("act {number}"));
            }
            let mut line = format!("  act {number}: {}", a.act_type);
            if let Some(dc) = a.death_context {
                line.push_str(&format!(" ({dc})"));
            }
            if a.method != Method::Unknown {
                line.push_str(&format!(", method {}", a.method));
            }
            if a.date_start.is_some() {
                let d = date_text(
                    a.date_start,
                    a.date_end,
                    a.date_precision.unwrap_or(DatePrecision::Day),
                    false,
                );
                line.push_str(&format!(", on {d}"));
            }
            out.push_str(&line);
            out.push('\n');
            text_field(&mut out, 4, "note", &a.note);
            for p in &a.perpetrators {
                if let Some(uid) = p.uid {
                    subjects.insert(uid, format!("act {number} perpetrator {}", p.actor));
                }
                let kind = p
                    .actor_type
                    .map_or("type unknown on that date".to_string(), |t| {
                        format!("{t} on that date")
                    });
                field(
                    &mut out,
                    4,
                    p.role.as_str(),
                    &format!(
                        "{} ({kind}) — basis: {}, confidence: {}",
                        p.actor, p.basis, p.confidence
                    ),
                );
                text_field(&mut out, 6, "note", &p.note);
            }
        }
    }

    // Sources, numbered in the order they were recorded.
    let mut source_names: HashMap<String, String> = HashMap::new();
    if !rec.sources.is_empty() {
        out.push_str("\nsources:\n");
    }
    for (si, s) in rec.sources.iter().enumerate() {
        let number = si + 1;
        let who = if !s.publisher.is_empty() {
            s.publisher.clone()
        } else if !s.url.is_empty() {
            s.url.clone()
        } else {
            format!("source {number}")
        };
        if let Some(uid) = s.uid {
            source_names.insert(uid.to_string(), who.clone());
        }
        let mut parts = vec![format!("{number}. {}", s.source_type)];
        for part in [&s.publisher, &s.title, &s.url] {
            if !part.is_empty() {
                parts.push(part.clone());
            }
        }
        if !s.via.is_empty() {
            parts.push(format!("via {}", s.via));
        }
        if let Some(d) = s.published_on {
            parts.push(format!("published {d}"));
        }
        if let Some(d) = s.accessed_on {
            parts.push(format!("accessed {d}"));
        }
        if !s.language.is_empty() {
            parts.push(format!("language {}", s.language));
        }
        parts.push(format!("reliability {}", s.reliability));
        let mut line = format!("  {}", parts.join(" · "));
        if s.confidential {
            line.push_str(" (confidential)");
        }
        if let Some(t) = s.withdrawn_at {
            line.push_str(&format!(" (withdrawn {})", crate::clock::stamp(t)));
        }
        out.push_str(&flat(&line));
        out.push('\n');
        if !s.note.is_empty() {
            text_field(&mut out, 5, "note", &s.note);
        }
    }

    // Claims, grouped by what they are about; disagreements marked.
    if !rec.claims.is_empty() {
        out.push_str("\nclaims (! = the sources disagree):\n");
        let mut groups: BTreeMap<(String, String), Vec<(usize, &ClaimRecord)>> = BTreeMap::new();
        for (i, c) in rec.claims.iter().enumerate() {
            let subject = match c.subject_uid {
                None => String::new(),
                Some(uid) => subjects
                    .get(&uid)
                    .cloned()
                    .unwrap_or_else(|| format!("{} {uid}", c.subject)),
            };
            groups
                .entry((subject, c.field.clone()))
                .or_default()
                .push((i + 1, c));
        }
        for ((subject, fieldname), claims) in groups {
            // Withdrawn claims are listed but disagree with nothing.
            let standing = || claims.iter().filter(|(_, c)| c.withdrawn_at.is_none());
            let mut values: Vec<&str> = standing().map(|(_, c)| c.value.as_str()).collect();
            values.sort_unstable();
            values.dedup();
            let disagree = values.len() > 1 || standing().any(|(_, c)| c.stance != Stance::Asserts);
            let said: Vec<String> = claims
                .iter()
                .map(|(number, c)| {
                    let who = source_names
                        .get(&c.source)
                        .cloned()
                        .unwrap_or_else(|| c.source.clone());
                    let mut s = match c.stance {
                        Stance::Asserts => format!("{} per {who}", c.value),
                        Stance::Denies => format!("not {} per {who}", c.value),
                        Stance::Corrects => format!("{} per {who} (correction)", c.value),
                    };
                    s.push_str(&format!(" [{number}"));
                    if c.accepted {
                        s.push_str(", accepted");
                    }
                    if c.withdrawn_at.is_some() {
                        s.push_str(", withdrawn");
                    }
                    s.push(']');
                    s
                })
                .collect();
            let name = if subject.is_empty() {
                fieldname
            } else {
                format!("{subject} {fieldname}")
            };
            let line = format!(
                "{} {name}: {}",
                if disagree { "!" } else { " " },
                said.join(" · ")
            );
            out.push_str(&flat(&line));
            out.push('\n');
        }
    }

    if !rec.relations.is_empty() {
        out.push_str("\nrelated incidents:\n");
        for r in &rec.relations {
            let mut line = format!("  {} {}", r.relation, r.related);
            if !r.note.is_empty() {
                line.push_str(&format!(" — {}", r.note));
            }
            out.push_str(&flat(&line));
            out.push('\n');
        }
    }

    out.push('\n');
    let stamp =
        |t: Option<chrono::DateTime<chrono::Utc>>| t.map(crate::clock::stamp).unwrap_or_default();
    field(&mut out, 0, "created", &stamp(rec.created_at));
    field(&mut out, 0, "updated", &stamp(rec.updated_at));
    field(
        &mut out,
        0,
        "uid",
        &rec.uid.map(|u| u.to_string()).unwrap_or_default(),
    );
    out
}

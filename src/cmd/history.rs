//! `pressreg history REF`: the revision log of one incident (its victims,
//! acts, perpetrators, sources and claims included), oldest first.

use anyhow::Result;
use serde::Serialize;
use serde_json::Value as Json;

use super::Ctx;
use crate::db::{is_withheld, Access};
use crate::output::{self, Col};

/// Show the revision log of an incident
///
/// Every change ever made to the incident and what is attached to it, in
/// order: when, by whom, what (`incident`, `victim 2`, `act 1.1`,
/// `source 1` — numbered as 'show' numbers them), which field, the old and
/// the new value, and the reason given.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg history AF-2021-0007
  pressreg history AF-2021-0007 --format json")]
pub struct Args {
    /// The incident's ref (AF-2021-0007) or uid
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = HistoryFormat::Table)]
    pub format: HistoryFormat,
}

/// How `history` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum HistoryFormat {
    /// Aligned columns for people
    Table,
    /// One JSON array, with the old and new values decoded
    Json,
}

/// The table's columns; the JSON objects carry the same keys and more.
const COLUMNS: &[&str] = &["at", "by", "action", "what", "field", "change", "reason"];

/// How the columns fit a narrow terminal: when and the action whole, what
/// changed and how cut; the reason, then who, left out when too narrow for
/// them (`--wide` or `--format json` has them all).
const COLS: &[Col] = &[
    Col::Keep,
    Col::SpareText,
    Col::Keep,
    Col::Text,
    Col::Text,
    Col::Text,
    Col::SpareText,
];

/// One revision as printed.
#[derive(Debug, Serialize)]
struct Line {
    id: i64,
    at: String,
    by: String,
    action: String,
    what: String,
    field: Option<String>,
    change: String,
    old: Json,
    new: Json,
    reason: String,
}

/// Runs `history`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let mut db = ctx.open(Access::Read)?;
    let r = db.read()?;
    let id = r.require_incident(&args.reference)?;
    if let Some(note) = r.alias_note(&args.reference, id)? {
        ctx.out.note(&note);
    }
    let lines: Vec<Line> = r
        .history(id)?
        .into_iter()
        .map(|(rev, what)| {
            let old = decode(rev.old.as_deref());
            let new = decode(rev.new.as_deref());
            let change = match (rev.action.as_str(), &rev.field) {
                ("create", _) => "created".to_string(),
                ("delete", None) => "erased".to_string(),
                _ => format!("{} → {}", shown(&old), shown(&new)),
            };
            Line {
                id: rev.id,
                at: rev.at,
                by: rev.by,
                action: rev.action,
                what,
                field: rev.field,
                change,
                old,
                new,
                reason: rev.reason,
            }
        })
        .collect();
    match args.format {
        HistoryFormat::Json => {
            ctx.out
                .print(&format!("{}\n", serde_json::to_string_pretty(&lines)?))?;
        }
        HistoryFormat::Table => {
            let rows: Vec<Vec<String>> = lines
                .iter()
                .map(|l| {
                    vec![
                        l.at.clone(),
                        l.by.clone(),
                        l.action.clone(),
                        l.what.clone(),
                        l.field.clone().unwrap_or_default(),
                        l.change.clone(),
                        l.reason.clone(),
                    ]
                })
                .collect();
            ctx.out
                .print_built(&output::table(&ctx.out, COLUMNS, COLS, &rows))?;
        }
    }
    Ok(())
}

/// A revision value: JSON-encoded text, decoded (raw text if it is not JSON).
fn decode(s: Option<&str>) -> Json {
    match s {
        None => Json::Null,
        Some(s) => serde_json::from_str(s).unwrap_or_else(|_| Json::String(s.to_string())),
    }
}

/// A value as people read it: text quoted, nothing as `(none)`, a secret
/// field's value (which the log does not keep) as `(not kept)`.
fn shown(v: &Json) -> String {
    match v {
        v if is_withheld(v) => "(not kept)".to_string(),
        Json::Null => "(none)".to_string(),
        Json::String(s) => format!("'{s}'"),
        other => other.to_string(),
    }
}

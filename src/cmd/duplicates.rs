//! `pressreg duplicates`: likely duplicate incidents, each pair with a
//! score and its reasons, best first. The records are read (through the
//! `Reader`) as the chosen profile may see them; which pairs are compared
//! and how they score is `crate::dups`.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use super::Ctx;
use crate::cli::{FilterArgs, Format};
use crate::db::fold::DupRow;
use crate::db::listing::victim_label;
use crate::db::Access;
use crate::dups::{self, Person, Record};
use crate::exchange::profile::Profile;
use crate::output::{self, Col};
use crate::vocab::DatePrecision;

/// List likely duplicate incidents, best first
///
/// Compares incidents in the same country whose dates lie within 31 days
/// of each other, and scores each pair (0–100): the same victim by name or
/// a transliteration variant (Toofan Omar / Toofan Omari, Nematullah /
/// Nimatullah), dates within a few days, the same province and district or
/// locality, the same outlet. Pairs scoring 50 or more are listed, each
/// with its reasons; `merge-records REF OTHER` folds one into the other.
///
/// What it may see is --profile's: by default `internal`, the
/// coordinator's working view (every record but restricted ones). Names
/// and outlets of victims who asked not to be named are neither matched
/// nor shown (they appear by pseudonym) unless --profile full; with
/// --profile public only public records and public victims are compared.
/// Incidents already marked a duplicate of another are left out, deleted
/// ones unless --include-deleted.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg duplicates
  pressreg duplicates --country AF --year 2021
  pressreg duplicates --format csv > pairs.csv
  pressreg merge-records AF-2021-0007 AF-2021-0009 --reason \"same attack, two outlets\"")]
pub struct Args {
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Whose view: which records, names and outlets are compared and shown
    #[arg(long, value_enum, default_value_t = Profile::Internal)]
    pub profile: Profile,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The fields of one pair: JSON keys = CSV headers = table columns.
pub const FIELDS: &[&str] = &["score", "ref", "other", "reasons"];

/// How each column gives way on a narrow terminal: the reasons are cut.
const COLS: &[Col] = &[Col::Count, Col::Keep, Col::Keep, Col::Text];

/// One pair, as printed.
#[derive(Debug, Serialize)]
struct Line<'a> {
    score: i32,
    #[serde(rename = "ref")]
    reference: &'a str,
    other: &'a str,
    reasons: &'a [String],
}

/// Runs `duplicates`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let mut filter = args.filters.to_filter()?;
    filter.confidentiality = args.profile.levels();
    filter.shown_victims_only = args.profile != Profile::Full;
    let mut db = ctx.open(Access::Read)?;
    let rows = db.read()?.duplicate_candidates(&filter)?;
    let records: Vec<Record> = rows.iter().map(|r| record(args.profile, r)).collect();
    let pairs = dups::find(&records);
    let lines: Vec<Line<'_>> = pairs
        .iter()
        .map(|p| Line {
            score: p.score,
            reference: &records[p.first].reference,
            other: &records[p.second].reference,
            reasons: &p.reasons,
        })
        .collect();
    match args.format {
        Format::Table => {
            if lines.is_empty() {
                ctx.out.note(&format!(
                    "no likely duplicates among {} incident{}",
                    records.len(),
                    if records.len() == 1 { "" } else { "s" }
                ));
                return Ok(());
            }
            let rows: Vec<Vec<String>> = lines
                .iter()
                .map(|l| {
                    vec![
                        l.score.to_string(),
                        l.reference.to_string(),
                        l.other.to_string(),
                        l.reasons.join("; "),
                    ]
                })
                .collect();
            ctx.out
                .print_built(&output::table(&ctx.out, FIELDS, COLS, &rows))?;
        }
        Format::Csv => {
            let mut csv = csv::Writer::from_writer(ctx.out.stdout());
            csv.write_record(FIELDS)?;
            for l in &lines {
                csv.write_record([
                    l.score.to_string(),
                    l.reference.to_string(),
                    l.other.to_string(),
                    output::csv_text(&l.reasons.join("; ")).into_owned(),
                ])?;
            }
            csv.flush()?;
        }
        Format::Json => {
            let mut out = ctx.out.stdout();
            serde_json::to_writer_pretty(&mut out, &lines)?;
            out.write_all(b"\n")?;
            out.flush()?;
        }
        Format::Jsonl => {
            let mut out = ctx.out.stdout();
            for l in &lines {
                serde_json::to_writer(&mut out, l)?;
                out.write_all(b"\n")?;
            }
            out.flush()?;
        }
    }
    Ok(())
}

/// An incident as `profile` may see it: only the victims at its levels;
/// the name, variants and outlet of a victim who asked not to be named
/// only for `full` (else the pseudonym, and nothing to match on).
fn record(profile: Profile, r: &DupRow) -> Record {
    let victims = r
        .victims
        .iter()
        .filter(|v| profile.allows(v.confidentiality))
        .map(|v| {
            let shown = !v.anonymous || profile == Profile::Full;
            let label = if shown && !v.name.trim().is_empty() {
                v.name.clone()
            } else {
                victim_label(&r.reference, v.position, &v.name, v.anonymous)
            };
            Person {
                label,
                names: if shown {
                    std::iter::once(&v.name)
                        .chain(&v.name_variants)
                        .cloned()
                        .collect()
                } else {
                    vec![]
                },
                outlet: if shown {
                    v.outlet.clone()
                } else {
                    String::new()
                },
            }
        })
        .collect();
    Record {
        reference: r.reference.clone(),
        start: r.date_start,
        end: r.date_end,
        exact_day: r.date_precision == DatePrecision::Day
            && r.date_end.is_none_or(|e| Some(e) == r.date_start),
        country: r.country.clone(),
        admin1: r.admin1.clone(),
        admin2: r.admin2.clone(),
        locality: r.locality.clone(),
        victims,
    }
}

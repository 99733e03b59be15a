//! `pressreg list`: one line per incident (ref, date, place, victims, acts,
//! perpetrators, verification), as a table for people or CSV/JSON/JSONL for
//! programs with the same field names. The rows come from one query
//! (`Reader::list`), so the list stays fast on large registries.

use std::io::Write;

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use super::Ctx;
use crate::cli::{FilterArgs, Format};
use crate::dates::{self, Shape};
use crate::db::listing::ListRow;
use crate::db::Access;
use crate::output::{self, Col};
use crate::vocab::*;

/// List incidents, one line each
///
/// Each line gives the incident's ref, its date as precisely as it is
/// known (`2021-08-08`, `2021-08`, `2021`, a range `START/END`, a trailing
/// `?` when approximate), the place, the victims (anonymous victims by
/// pseudonym), the acts with their counts, the perpetrators with the
/// confidence of the attribution, and the verification. Deleted incidents
/// are left out unless --include-deleted is given.
///
/// A working view for those who hold the registry, like `show`: it lists
/// records at every confidentiality level, and its filters match every
/// recorded name and outlet, an anonymous victim's too (finding a case is
/// its job); the lines still show anonymous victims by pseudonym. What is
/// meant for others comes from `export`, `summary` or `letter`, which
/// speak for an audience.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg list
  pressreg ls --country AF --year 2021
  pressreg list --act killed --actor-type armed_group --format csv > killed.csv
  pressreg list --victim omar --format json")]
pub struct Args {
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The fields of one line, in column order; JSON keys = CSV headers =
/// table columns.
pub const FIELDS: &[&str] = &[
    "ref",
    "date",
    "place",
    "victims",
    "names",
    "acts",
    "perpetrators",
    "verification",
];

/// How each field's column fits a narrow terminal: the ref, date and
/// verification whole, the text cut; the perpetrators, then the victim
/// count (the names show how many), left out on a terminal too narrow for
/// them.
const COLS: &[Col] = &[
    Col::Keep,
    Col::Keep,
    Col::Text,
    Col::SpareCount,
    Col::Text,
    Col::Text,
    Col::SpareText,
    Col::Status,
];

/// One line of the list, as printed.
#[derive(Debug, Serialize)]
struct Line {
    #[serde(rename = "ref")]
    reference: String,
    date: String,
    place: String,
    victims: i64,
    names: String,
    acts: String,
    perpetrators: String,
    verification: String,
    /// Shown in the table only (machine formats list deleted incidents
    /// only when asked to with --include-deleted).
    #[serde(skip)]
    deleted: bool,
}

/// Runs `list`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let filter = args.filters.to_filter()?;
    let mut db = ctx.open(Access::Read)?;
    let reader = db.read()?;
    if args.format == Format::Table {
        // A table needs every row to size its columns.
        let mut rows: Vec<Vec<String>> = Vec::new();
        reader.list(&filter, |r| {
            let l = line(&r);
            let mut row = cells(&l);
            if l.deleted {
                row[0].push_str(" (deleted)");
            }
            // People read the date in words, as precisely as it is known.
            row[1] = dates::shown(
                r.date_start,
                r.date_end,
                r.date_precision,
                r.date_approximate,
            );
            rows.push(row);
            Ok(())
        })?;
        if rows.is_empty() {
            ctx.out.note("no incidents match");
        } else {
            ctx.out
                .print_built(&output::table(&ctx.out, FIELDS, COLS, &rows))?;
        }
        return Ok(());
    }
    // Machine formats stream: memory stays flat on a large registry.
    // Escaped on a terminal, whatever the format.
    let stdout = ctx.out.stdout();
    if args.format == Format::Csv {
        let mut csv = csv::Writer::from_writer(stdout);
        csv.write_record(FIELDS)?;
        reader.list(&filter, |r| {
            let row: Vec<String> = cells(&line(&r))
                .into_iter()
                .enumerate()
                // The victim count is a number this program wrote.
                .map(|(i, c)| {
                    if i == 3 {
                        c
                    } else {
                        output::csv_text(&c).into_owned()
                    }
                })
                .collect();
            Ok(csv.write_record(&row)?)
        })?;
        csv.flush()?;
        return Ok(());
    }
    let mut stdout = stdout;
    let mut count = 0usize;
    let json = args.format == Format::Json;
    reader.list(&filter, |r| {
        let l = line(&r);
        if json {
            // The same layout as serde_json's pretty array, one item at a time.
            stdout.write_all(if count == 0 { b"[\n" } else { b",\n" })?;
            let item = serde_json::to_string_pretty(&l)?;
            let indented: Vec<String> = item.lines().map(|x| format!("  {x}")).collect();
            stdout.write_all(indented.join("\n").as_bytes())?;
        } else {
            serde_json::to_writer(&mut stdout, &l)?;
            stdout.write_all(b"\n")?;
        }
        count += 1;
        Ok(())
    })?;
    if json {
        stdout.write_all(if count == 0 { b"[]\n" } else { b"\n]\n" })?;
    }
    stdout.flush()?;
    Ok(())
}

fn line(r: &ListRow) -> Line {
    Line {
        reference: r.reference.clone(),
        deleted: r.deleted,
        date: date_text(
            r.date_start,
            r.date_end,
            r.date_precision,
            r.date_approximate,
        ),
        place: place_text(&r.locality, &r.admin2, &r.admin1, &r.country),
        victims: r.victim_count,
        names: names_text(&r.victims),
        acts: acts_text(&r.acts),
        perpetrators: perpetrators_text(&r.perpetrators),
        verification: r.verification.to_string(),
    }
}

fn cells(l: &Line) -> Vec<String> {
    vec![
        l.reference.clone(),
        l.date.clone(),
        l.place.clone(),
        l.victims.to_string(),
        l.names.clone(),
        l.acts.clone(),
        l.perpetrators.clone(),
        l.verification.clone(),
    ]
}

/// A date as precisely as it is known: `2021-08-08`, `2021-08`, `2021`,
/// `2021-02-25/2021-02-26`, with a trailing `?` when approximate, or
/// `unknown`.
pub fn date_text(
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    precision: DatePrecision,
    approximate: bool,
) -> String {
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let mut text = match dates::shape(start, end, precision) {
        None => return "unknown".to_string(),
        Some(Shape::Day(d)) => day(d),
        Some(Shape::Year(d)) => d.format("%Y").to_string(),
        Some(Shape::Month(d)) => d.format("%Y-%m").to_string(),
        Some(Shape::Range(s, e)) => format!("{}/{}", day(s), day(e)),
    };
    if approximate {
        text.push('?');
    }
    text
}

/// The place as `locality (or district), province, CC`, leaving out what
/// is not known.
pub fn place_text(locality: &str, admin2: &str, admin1: &str, country: &str) -> String {
    let local = if locality.is_empty() {
        admin2
    } else {
        locality
    };
    [local, admin1, country]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
}

/// Acts with their counts: `killed×3, wounded`.
pub fn acts_text(acts: &[(ActType, i64)]) -> String {
    acts.iter()
        .map(|(t, n)| {
            if *n > 1 {
                format!("{t}×{n}")
            } else {
                t.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Perpetrators with the confidence of the attribution, and the role when
/// it is not plain perpetration: `Taliban (possible)`,
/// `Police (failed_to_protect, likely)`; an actor's denial reads
/// `Taliban (denied)`, not as a weak accusation.
pub fn perpetrators_text(perps: &[(String, Role, Confidence, bool)]) -> String {
    perps
        .iter()
        .map(|(name, role, confidence, denied)| {
            if *denied {
                format!("{name} (denied)")
            } else if *role == Role::Perpetrator {
                format!("{name} ({confidence})")
            } else {
                format!("{name} ({role}, {confidence})")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Victims' names joined with `; `, a run of the same name written once
/// with its count (`unnamed×10`), so a massacre's row stays readable.
pub fn names_text(names: &[String]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < names.len() {
        let run = names[i..].iter().take_while(|n| **n == names[i]).count();
        parts.push(if run > 1 {
            format!("{}×{run}", names[i])
        } else {
            names[i].clone()
        });
        i += run;
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::{names_text, perpetrators_text};
    use crate::vocab::{Confidence, Role};

    #[test]
    fn a_run_of_one_name_is_counted_not_repeated() {
        let names: Vec<String> = ["Mina Khairi", "unnamed", "unnamed", "unnamed"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(names_text(&names), "Mina Khairi; unnamed×3");
    }

    #[test]
    fn a_denial_reads_as_a_denial() {
        let perps = vec![
            (
                "Islamic State".to_string(),
                Role::Perpetrator,
                Confidence::Likely,
                false,
            ),
            (
                "Taliban".to_string(),
                Role::Perpetrator,
                Confidence::Unlikely,
                true,
            ),
            (
                "Police".to_string(),
                Role::FailedToProtect,
                Confidence::Possible,
                false,
            ),
        ];
        assert_eq!(
            perpetrators_text(&perps),
            "Islamic State (likely), Taliban (denied), Police (failed_to_protect, possible)"
        );
    }

    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn dates_show_their_precision() {
        use DatePrecision::*;
        assert_eq!(
            date_text(Some(d("2021-08-08")), None, Day, false),
            "2021-08-08"
        );
        assert_eq!(
            date_text(Some(d("2021-02-01")), Some(d("2021-02-28")), Month, false),
            "2021-02"
        );
        assert_eq!(
            date_text(Some(d("2021-01-01")), Some(d("2021-12-31")), Year, true),
            "2021?"
        );
        assert_eq!(
            date_text(Some(d("2021-02-25")), Some(d("2021-02-26")), Week, false),
            "2021-02-25/2021-02-26"
        );
        // A solar Hijri year spans two Gregorian years: shown as the range.
        assert_eq!(
            date_text(Some(d("2021-03-21")), Some(d("2022-03-20")), Year, false),
            "2021-03-21/2022-03-20"
        );
        assert_eq!(date_text(None, None, Unknown, false), "unknown");
    }
}

//! `pressreg check`: is the registry whole? SQLite's integrity check,
//! foreign keys, the revision log's hash chain (an edit made behind the
//! program's back breaks it, and check says at which revision), and counts.
//!
//! The report goes to stdout; when anything is wrong, the command fails
//! with the first problem (one line on stderr, exit 1, as `main` reports
//! every failure).

use anyhow::Result;

use super::Ctx;
use crate::db::Access;

/// Check the registry for damage and tampering
///
/// Runs SQLite's integrity check and foreign key check, verifies the hash
/// chain of the revision log (every change is chained to the one before, so
/// a row edited or removed outside pressreg shows as a break), and counts
/// what the registry holds. Exits 1 when anything is wrong.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg check
  pressreg --db field-copy.db check && echo whole")]
pub struct Args {}

/// Runs `check`.
pub fn run(ctx: &Ctx, _args: Args) -> Result<()> {
    let mut db = ctx.open(Access::Read)?;
    let r = db.read()?;
    let mut report = String::new();
    let mut first: Option<String> = None;
    let note = |first: &mut Option<String>, problem: String| {
        if first.is_none() {
            *first = Some(problem);
        }
    };

    let damage = r.integrity_problems();
    section(&mut report, "integrity", &damage);
    if let Some(p) = damage.first() {
        note(&mut first, format!("the registry file is damaged: {p}"));
    }

    let links = r.foreign_key_problems();
    section(&mut report, "foreign keys", &links);
    if let Some(p) = links.first() {
        note(&mut first, format!("broken link: {p}"));
    }

    match r.chain() {
        Ok(chain) => match chain.broken_at {
            None => report.push_str(&format!(
                "{:<14}ok ({} revisions, hash chain intact)\n",
                "revision log:", chain.checked
            )),
            Some((rev, reference)) => {
                let whose = match reference {
                    Some(r) => format!(", incident {r}"),
                    None => String::new(),
                };
                let place = format!(
                    "revision {} (at {}, {} id {}{whose})",
                    rev.id, rev.at, rev.entity, rev.entity_id
                );
                report.push_str(&format!(
                    "{:<14}BROKEN at {place}: the row was changed or removed outside pressreg\n",
                    "revision log:"
                ));
                note(
                    &mut first,
                    format!("the revision log was changed outside pressreg: the chain breaks at {place}"),
                );
            }
        },
        Err(e) => {
            report.push_str(&format!(
                "{:<14}could not be read: {e:#}\n",
                "revision log:"
            ));
            note(
                &mut first,
                format!("the revision log could not be read: {e:#}"),
            );
        }
    }

    match r.counts() {
        Ok(counts) => {
            let get = |n: &str| counts.iter().find(|(k, _)| *k == n).map_or(0, |(_, v)| *v);
            for (name, value) in &counts {
                match *name {
                    "deleted" => {}
                    "incidents" => report.push_str(&format!(
                        "{:<14}{value} ({} deleted)\n",
                        "incidents:",
                        get("deleted")
                    )),
                    _ => report.push_str(&format!("{:<14}{value}\n", format!("{name}:"))),
                }
            }
        }
        Err(e) => {
            report.push_str(&format!("{:<14}could not be counted: {e:#}\n", "counts:"));
            note(
                &mut first,
                format!("the registry could not be counted: {e:#}"),
            );
        }
    }

    ctx.out.print(&ctx.out.text(&report))?;
    match first {
        None => Ok(()),
        Some(problem) => Err(anyhow::anyhow!(problem)),
    }
}

/// A report line: `ok`, or the number of problems and each on its own line.
fn section(report: &mut String, name: &str, problems: &[String]) {
    let label = format!("{name}:");
    if problems.is_empty() {
        report.push_str(&format!("{label:<14}ok\n"));
    } else {
        report.push_str(&format!(
            "{label:<14}{} problem{}\n",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        ));
        for p in problems {
            report.push_str(&format!("  {p}\n"));
        }
    }
}

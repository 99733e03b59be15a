//! `pressreg check`: is the registry whole? SQLite's integrity check,
//! SQLCipher's check of every page's HMAC (encrypted registries), foreign
//! keys, the revision log's hash chain (an edit made behind the
//! program's back breaks it, and check says at which revision), every table
//! against the log replayed (a table edited behind the program's back
//! differs, and check names the first field), the log's head against one
//! recorded earlier (`--expect-head`: a shortened or recomputed log), the
//! counting units summaries answer from against a recount, the
//! head's seal (encrypted registries: an HMAC under the registry key, kept
//! in the file, which a log rewritten without the key does not match), and
//! counts.
//!
//! The report goes to stdout; when anything is wrong, the command fails
//! with the first problem (one line on stderr, exit 1, as `main` reports
//! every failure).

use anyhow::Result;

use super::Ctx;
use crate::db::{Access, Head};

/// Check the registry for damage and tampering
///
/// Runs SQLite's integrity check, SQLCipher's check of every page's HMAC
/// (encrypted registries) and the foreign key check, verifies the hash
/// chain of the revision log (every change is chained to the one before, so
/// a row edited or removed outside pressreg shows as a break), replays the
/// log and compares every table with it, recounts the counting units that
/// summaries read, prints the log's head and, for an
/// encrypted registry, verifies the head's seal (an HMAC under the registry
/// key kept in the file), and counts what the registry holds. Exits 1 when
/// anything is wrong.
///
/// Keep the head line somewhere the registry's file is not (a notebook, the
/// backup's folder): `check --expect-head N:HASH` then proves that the log
/// still reaches that revision unchanged, which a log cut short or
/// rewritten with recomputed hashes cannot.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg check
  pressreg --db field-copy.db check && echo whole
  pressreg check | grep '^head:'          # keep this line away from the registry
  pressreg check --expect-head 18:3c1f…   # the N:HASH it printed, in full")]
pub struct Args {
    /// A head printed by an earlier check (N:HASH): fail unless the log
    /// still holds revision N with that hash
    #[arg(long, value_name = "N:HASH")]
    expect_head: Option<String>,
}

/// How many table differences the report lists (all are counted).
const SHOWN_DIFFERENCES: usize = 10;

/// Runs `check`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let expected = match &args.expect_head {
        None => None,
        Some(text) => Some(Head::parse(text).ok_or_else(|| {
            anyhow::anyhow!(
                "--expect-head '{text}' is not a chain head (accepted: N:HASH as check prints it, \
                 a revision number, a colon and 64 hex digits)"
            )
        })?),
    };
    let mut db = ctx.open(Access::Read)?;
    // A clone: the reader below borrows the registry.
    let key = db.key().cloned();
    let r = db.read()?;
    let mut report = String::new();
    let mut first: Option<String> = None;
    let note = |first: &mut Option<String>, problem: String| {
        if first.is_none() {
            *first = Some(problem);
        }
    };

    // SQLCipher's own check of every page's HMAC (encrypted registries)
    // comes first: a page changed without the key (a flipped bit, a page
    // from another file) is named by number, where SQLite's check cannot
    // read past it.
    let mut damage: Vec<String> = match key {
        Some(_) => r
            .cipher_problems()
            .into_iter()
            .map(|p| format!("page HMAC check: {p}"))
            .collect(),
        None => Vec::new(),
    };
    damage.extend(r.integrity_problems());
    section(&mut report, "integrity", &damage);
    if let Some(p) = damage.first() {
        note(&mut first, format!("the registry file is damaged: {p}"));
    }

    let links = r.foreign_key_problems();
    section(&mut report, "foreign keys", &links);
    if let Some(p) = links.first() {
        note(&mut first, format!("broken link: {p}"));
    }

    let head = match r.chain() {
        Ok(chain) => {
            match chain.broken_at {
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
            }
            Some(chain.head)
        }
        Err(e) => {
            report.push_str(&format!(
                "{:<14}could not be read: {e:#}\n",
                "revision log:"
            ));
            note(
                &mut first,
                format!("the revision log could not be read: {e:#}"),
            );
            None
        }
    };

    // The recorded head is compared before the replay, so that a log cut
    // short or rewritten is reported as such rather than as the table
    // differences it leaves; its line comes after the head's.
    let expected_line = expected
        .as_ref()
        .map(|expected| match r.anchor_problem(expected) {
            Ok(None) => format!(
                "ok (the log holds revision {} as recorded)",
                expected.revision
            ),
            Ok(Some(p)) => {
                note(
                    &mut first,
                    format!("the revision log does not hold the expected head: {p}"),
                );
                format!("BROKEN: {p}")
            }
            Err(e) => {
                note(
                    &mut first,
                    format!("the revision log could not be read: {e:#}"),
                );
                format!("could not be read: {e:#}")
            }
        });

    // The seal, like the recorded head, is weighed before the replay: a
    // log cut or rewritten is named as such, not as the table differences
    // it leaves.
    let seal_line = match (&key, &head) {
        (None, _) => {
            Some("none (not encrypted: keep the head line apart from the file)".to_string())
        }
        (Some(key), Some(head)) => Some(match r.seal_problem(key, head.as_ref()) {
            Ok(None) => "ok (the head is sealed with the registry's key)".to_string(),
            Ok(Some(p)) => {
                note(
                    &mut first,
                    format!("the revision log was changed outside pressreg: {p}"),
                );
                format!("BROKEN: {p}")
            }
            Err(e) => {
                note(&mut first, format!("the seal could not be read: {e:#}"));
                format!("could not be read: {e:#}")
            }
        }),
        // The log could not be read: reported above.
        (Some(_), None) => None,
    };

    let damaged = !damage.is_empty();
    let problem = comparison(
        &mut report,
        &Comparison {
            label: "replay:",
            ok: "ok (every table matches the revision log)",
            between: "between the tables and the revision log",
            outside: "the tables were changed outside pressreg",
            failed: "could not be done",
            failed_note: "the revision log could not be replayed",
        },
        r.replay_differences(SHOWN_DIFFERENCES),
        damaged,
    );
    if let Some(p) = problem {
        note(&mut first, p);
    }
    // The counting units summaries answer from are derived, not logged:
    // they are held to a recount from the tables.
    let problem = comparison(
        &mut report,
        &Comparison {
            label: "units:",
            ok: "ok (the counting units match a recount)",
            between: "between the stored counting units and a recount",
            outside: "the counting units were changed outside pressreg",
            failed: "could not be recounted",
            failed_note: "the counting units could not be recounted",
        },
        r.unit_differences(SHOWN_DIFFERENCES),
        damaged,
    );
    if let Some(p) = problem {
        note(&mut first, p);
    }

    match &head {
        Some(Some(h)) => report.push_str(&format!("{:<14}{h}\n", "head:")),
        Some(None) => report.push_str(&format!("{:<14}none (the log is empty)\n", "head:")),
        None => {}
    }
    if let Some(line) = seal_line {
        report.push_str(&format!("{:<14}{line}\n", "seal:"));
    }
    if let Some(line) = expected_line {
        report.push_str(&format!("{:<14}{line}\n", "expected:"));
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

/// How the report words one comparison of stored rows with what they are
/// recomputed from (the tables with the log's replay, the counting units
/// with a recount).
struct Comparison {
    label: &'static str,
    ok: &'static str,
    between: &'static str,
    outside: &'static str,
    failed: &'static str,
    failed_note: &'static str,
}

/// Reports one comparison: `ok`, or the differences (the first few, each
/// on its own line), or why it could not be made. Returns the problem that
/// makes `check` fail, if any.
fn comparison(
    report: &mut String,
    c: &Comparison,
    result: Result<(Vec<String>, usize)>,
    damaged: bool,
) -> Option<String> {
    let label = c.label;
    match result {
        Ok((_, 0)) => {
            report.push_str(&format!("{label:<14}{}\n", c.ok));
            None
        }
        Ok((shown, total)) => {
            report.push_str(&format!(
                "{label:<14}{total} difference{} {}\n",
                if total == 1 { "" } else { "s" },
                c.between
            ));
            for d in &shown {
                report.push_str(&format!("  {d}\n"));
            }
            if total > shown.len() {
                report.push_str(&format!("  … and {} more\n", total - shown.len()));
            }
            shown.first().map(|d| format!("{}: {d}", c.outside))
        }
        // A damaged file is already reported above; SQLite's error would
        // only say so again, less plainly.
        Err(_) if damaged => {
            report.push_str(&format!("{label:<14}{}: the file is damaged\n", c.failed));
            None
        }
        Err(e) => {
            report.push_str(&format!("{label:<14}{}: {e:#}\n", c.failed));
            Some(format!("{}: {e:#}", c.failed_note))
        }
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

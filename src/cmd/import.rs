//! `pressreg import`: incidents in from native CSV, JSONL, CPJ's or the
//! U.S. Press Freedom Tracker's export (DESIGN §3, §4).
//!
//! What must stay true: the whole file goes in as one transaction or not at
//! all. Records are validated and written inside the open transaction as
//! they stream in (memory stays flat); every bad row is collected, and if
//! there is one the transaction is rolled back and the bad rows are listed
//! on stderr. A statement the registry fails to carry out (disk full, I/O
//! error) is not a bad row: it ends the import at once, and nothing is
//! written (`db::failure`). Every revision carries the reason `import <file> (<format>)`.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use anyhow::{anyhow, bail, Context as _, Result};

use super::Ctx;
use crate::db::{failure, Access, IncidentId, Writer};
use crate::exchange::profile::{Carried, Profile};
use crate::exchange::{cpj, jsonl, native, uspft, Item, RowError};
use crate::model::{IncidentRecord, RelationRecord};
use crate::{clock, output, validate};

/// The formats `import` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormat {
    /// pressreg's own CSV (as `export --format csv` writes it)
    Native,
    /// One incident per line (as `export --format jsonl` writes it)
    Jsonl,
    /// CPJ's CSV export of killed journalists
    Cpj,
    /// The U.S. Press Freedom Tracker's CSV export
    Uspft,
}

impl ImportFormat {
    fn name(self) -> &'static str {
        match self {
            ImportFormat::Native => "native",
            ImportFormat::Jsonl => "jsonl",
            ImportFormat::Cpj => "cpj",
            ImportFormat::Uspft => "uspft",
        }
    }
}

/// What to do with a record that is already in the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OnConflict {
    /// Refuse the import, naming the record
    Fail,
    /// Keep the stored incident
    Skip,
    /// Bring the stored incident up to date, change by change
    Update,
}

/// Import incidents from a file
///
/// Every row is checked first: if any row is bad, nothing is written and
/// every bad row is listed with its row number, column and reason. A good
/// file goes in as one transaction. Records already in the registry are
/// matched by uid (by ref when the record has no uid). With --on-conflict
/// update, only what the file holds changes: an export says its profile,
/// and what that profile leaves out (private notes, confidential sources,
/// restricted victims, coordinates, anonymous victims' names) stays.
///
/// The format is taken from the file's header (CPJ, USPFT, native CSV) or
/// its extension (.jsonl, .json) when --format is not given.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg import incidents.csv
  pressreg import backup.jsonl --on-conflict skip
  pressreg import cpj_killed_1992_2022.csv --format cpj --dry-run
  pressreg export --profile full --format jsonl | pressreg --db other.db import - --format jsonl")]
pub struct Args {
    /// The file to read ('-' for stdin)
    #[arg(value_name = "FILE")]
    pub file: String,
    /// The file's format [default: from its header or extension]
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,
    /// Check and count, but write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// What to do with an incident already in the registry
    #[arg(long, value_enum, default_value_t = OnConflict::Fail, value_name = "WHAT")]
    pub on_conflict: OnConflict,
}

/// How many bad rows are listed before the rest are only counted.
const SHOWN_ERRORS: usize = 20;

/// What an import did (or found wrong).
#[derive(Default)]
struct Outcome {
    rows: usize,
    records: usize,
    added: Tally,
    updated: Tally,
    unchanged: Tally,
    skipped: Tally,
    /// Whether to keep the refs (for --dry-run), not only the counts, so
    /// that a large import keeps its memory flat.
    keep_refs: bool,
    junk: Vec<usize>,
    /// What the importer decided where a row did not say (the first ones),
    /// and how many there were.
    notes: Vec<RowError>,
    note_count: usize,
    /// Why the first junk row was skipped.
    junk_reason: Option<String>,
    bad: usize,
    shown: Vec<RowError>,
    /// Links to other incidents, made once every incident is in.
    links: Vec<(usize, IncidentId, Option<String>, Vec<RelationRecord>)>,
    /// The last revision before this import: an incident with a revision
    /// after it was already written by this import.
    first_revision: i64,
    /// The export profile the file says it comes from, and the row that
    /// said it first (`None` inside: the file does not say).
    profile: Option<(usize, Option<Profile>)>,
    /// Whether the format holds whole records (native CSV does not).
    whole_format: bool,
    /// Incidents whose ref was taken here, renumbered (the first ones:
    /// their ref in the file, their ref here), and how many.
    renumbered_shown: Vec<(String, String)>,
    renumbered: usize,
}

/// How many incidents went one way, and (when kept) their refs.
#[derive(Default)]
struct Tally {
    count: usize,
    refs: Vec<String>,
}

impl Tally {
    fn push(&mut self, reference: String, keep: bool) {
        self.count += 1;
        if keep {
            self.refs.push(reference);
        }
    }
}

impl Outcome {
    /// What the file's records hold, for `--on-conflict update`.
    fn carried(&self) -> Carried {
        Carried {
            profile: self.profile.and_then(|(_, p)| p).unwrap_or(Profile::Full),
            whole_format: self.whole_format,
        }
    }

    fn bad_row(&mut self, e: RowError) {
        self.bad += 1;
        if self.shown.len() < SHOWN_ERRORS {
            self.shown.push(e);
        }
    }
}

/// Runs the command.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let (input, name, size): (Box<dyn Read>, String, Option<u64>) = if args.file == "-" {
        (Box::new(io::stdin().lock()), "stdin".to_string(), None)
    } else {
        let path = Path::new(&args.file);
        let file = File::open(path).with_context(|| format!("cannot open '{}'", args.file))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| args.file.clone());
        let size = file
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        (Box::new(file), name, size)
    };
    // The bar counts the bytes read, so it has a total, a rate and a time
    // left; it is drawn once the registry is open.
    let bar = output::import_progress(size);
    let input: Box<dyn Read> = Box::new(bar.wrap_read(input));
    let mut input = BufReader::with_capacity(64 * 1024, input);
    let format = match args.format {
        Some(f) => f,
        None => guess_format(&args.file, &mut input)?,
    };
    let reason = format!("import {} ({})", output::one_line(&name), format.name());
    let today = clock::today()?;
    let mut db = ctx.open(Access::Write)?;
    let mut outcome = Outcome {
        keep_refs: args.dry_run,
        whole_format: format != ImportFormat::Native,
        ..Outcome::default()
    };
    output::show_progress(&bar);
    let work = |w: &mut Writer<'_>| -> Result<()> {
        outcome.first_revision = w.last_revision_id()?;
        let mut items = 0;
        let mut sink = |item: Item| -> Result<()> {
            // A profile mark is said of a row, not read as one.
            if !matches!(item, Item::Profile { .. }) {
                items += 1;
                output::imported(&bar, items as u64);
            }
            handle(w, &mut outcome, item, today, args.on_conflict, format)
        };
        let native_rows = match format {
            ImportFormat::Native => native::read_counting(input, &mut sink)?,
            ImportFormat::Jsonl => {
                jsonl::read(input, &mut sink)?;
                0
            }
            ImportFormat::Cpj => {
                cpj::read(input, &mut sink)?;
                0
            }
            ImportFormat::Uspft => {
                uspft::read(input, &mut sink)?;
                0
            }
        };
        outcome.rows = native_rows.max(items);
        for (row, id, duplicate_of, relations) in std::mem::take(&mut outcome.links) {
            if let Err(e) = link(w, id, duplicate_of, &relations) {
                if failure::is_write_failure(&e) {
                    return Err(aborted(row, e));
                }
                outcome.bad_row(RowError {
                    row,
                    column: None,
                    message: format!("{e:#}"),
                });
            }
        }
        if outcome.bad > 0 {
            bail!(Refused);
        }
        Ok(())
    };
    let result = if args.dry_run {
        db.dry_run(&reason, |w| {
            w.remember_actors();
            work(w)
        })
    } else {
        db.bulk_write(&reason, work)
    };
    bar.finish_and_clear();
    drop(db);
    if let Err(e) = result {
        if e.downcast_ref::<Refused>().is_none() {
            return Err(e);
        }
        let mut stderr = String::new();
        for row in &outcome.shown {
            stderr.push_str(&output::one_line(&row.to_string()));
            stderr.push('\n');
        }
        if outcome.bad > outcome.shown.len() {
            stderr.push_str(&format!(
                "… and {} more bad rows\n",
                outcome.bad - outcome.shown.len()
            ));
        }
        ctx.out.talk(&stderr);
        bail!(
            "{} of {} rows are invalid; nothing was imported",
            outcome.bad,
            outcome.rows
        );
    }
    ctx.out.talk(&summary(&outcome, args.dry_run));
    Ok(())
}

/// The error that rolls an import back once its bad rows are collected.
#[derive(Debug)]
struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the import has invalid rows")
    }
}

impl std::error::Error for Refused {}

/// A statement the registry failed to carry out while writing the
/// incident of `row`: the end of the import, never one more bad row
/// (`db::failure`). A full disk is told as such by `Db::write`.
fn aborted(row: usize, e: anyhow::Error) -> anyhow::Error {
    e.context(format!(
        "row {row}: the registry failed to store this incident, so nothing was imported"
    ))
}

/// Validates and writes one item inside the open transaction.
fn handle(
    w: &mut Writer<'_>,
    outcome: &mut Outcome,
    item: Item,
    today: chrono::NaiveDate,
    on_conflict: OnConflict,
    format: ImportFormat,
) -> Result<()> {
    match item {
        Item::Invalid(e) => outcome.bad_row(e),
        Item::Note(note) => {
            outcome.note_count += 1;
            if outcome.notes.len() < SHOWN_ERRORS {
                outcome.notes.push(note);
            }
        }
        Item::Skipped { row, reason } => {
            outcome.junk.push(row);
            outcome.junk_reason.get_or_insert(reason);
        }
        Item::Profile { row, profile } => match outcome.profile {
            None => outcome.profile = Some((row, profile)),
            Some((first, said)) if said != profile => {
                let name = |p: Option<Profile>| match p {
                    Some(p) => format!("'{}'", p.name()),
                    None => "none".to_string(),
                };
                outcome.bad_row(RowError {
                    row,
                    column: Some("export_profile".into()),
                    message: format!(
                        "{} here, {} on row {first} (a file is one export: import each export on its own)",
                        name(profile),
                        name(said)
                    ),
                });
            }
            Some(_) => {}
        },
        Item::Record { row, record } => {
            outcome.records += 1;
            if let Err(e) = write_record(w, outcome, row, *record, today, on_conflict) {
                if failure::is_write_failure(&e) {
                    return Err(aborted(row, e));
                }
                // A native CSV names an incident field's column; other
                // formats' columns are not the record's fields.
                let column = match (format, e.downcast_ref::<validate::Invalid>()) {
                    (ImportFormat::Native, Some(invalid)) => native::column_of(invalid),
                    _ => None,
                };
                outcome.bad_row(RowError {
                    row,
                    column: column.map(str::to_string),
                    message: format!("{e:#}"),
                });
            }
        }
    }
    Ok(())
}

fn write_record(
    w: &mut Writer<'_>,
    outcome: &mut Outcome,
    row: usize,
    record: IncidentRecord,
    today: chrono::NaiveDate,
    on_conflict: OnConflict,
) -> Result<()> {
    let mut rec = validate::normalize(record, today)?;
    let existing = match (&rec.uid, &rec.reference) {
        (Some(uid), _) => w.incident_by_uid(uid)?,
        (None, Some(r)) => w.incident_by_ref(r)?,
        (None, None) => None,
    };
    if let Some(id) = existing {
        let stored_ref = stored_ref(w, id)?;
        // Found without remembering every key read (memory stays flat):
        // the incident already has revisions from this very import, or
        // the registry had no incident when the import began.
        if w.began_empty() || w.changed_since(id, outcome.first_revision)? {
            bail!(
                "incident '{stored_ref}' appears again in this file (keep all the rows of an incident together, and each incident once)"
            );
        }
        return match on_conflict {
            OnConflict::Fail => Err(match rec.uid {
                Some(uid) => anyhow!(
                    "incident uid {uid} is already in the registry as {stored_ref} (choose --on-conflict skip or update)"
                ),
                None => anyhow!(
                    "incident '{stored_ref}' is already in the registry (choose --on-conflict skip or update)"
                ),
            }),
            OnConflict::Skip => {
                outcome.skipped.push(stored_ref, outcome.keep_refs);
                Ok(())
            }
            OnConflict::Update => {
                if w.update_incident(id, &rec, outcome.carried())? {
                    outcome.updated.push(stored_ref, outcome.keep_refs);
                } else {
                    outcome.unchanged.push(stored_ref, outcome.keep_refs);
                }
                Ok(())
            }
        };
    }
    // Links to other incidents wait until every incident is in, so that
    // file order does not matter.
    let duplicate_of = rec.duplicate_of.take();
    let relations = std::mem::take(&mut rec.relations);
    // A ref another incident here already has (two documenters both
    // numbered one AF-2021-0014): the incoming one gets the next number
    // and keeps its old ref as an alias, as `merge` does.
    let renumbered = match rec.reference.take() {
        Some(r) if w.ref_taken(&r)? => Some(r),
        other => {
            rec.reference = other;
            None
        }
    };
    let inserted = w.insert_incident(&rec)?;
    if let Some(old) = renumbered {
        w.add_ref_alias(inserted.id, &old)?;
        outcome.renumbered += 1;
        if outcome.renumbered_shown.len() < SHOWN_ERRORS {
            outcome
                .renumbered_shown
                .push((old, inserted.reference.clone()));
        }
    }
    if duplicate_of.is_some() || !relations.is_empty() {
        outcome
            .links
            .push((row, inserted.id, duplicate_of, relations));
    }
    outcome.added.push(inserted.reference, outcome.keep_refs);
    Ok(())
}

fn stored_ref(w: &Writer<'_>, id: IncidentId) -> Result<String> {
    Ok(w.load_incident(id)?.reference.unwrap_or_default())
}

fn link(
    w: &mut Writer<'_>,
    id: IncidentId,
    duplicate_of: Option<String>,
    relations: &[RelationRecord],
) -> Result<()> {
    if let Some(r) = duplicate_of {
        let Some(other) = w.incident_by_ref(&r)? else {
            bail!("duplicate_of: {}", w.unknown_ref(&r)?);
        };
        w.set_duplicate_of(id, other)?;
    }
    for relation in relations {
        w.add_relation(id, relation)?;
    }
    Ok(())
}

/// What the import did (or would do), for stderr.
fn summary(o: &Outcome, dry_run: bool) -> String {
    let mut text = String::new();
    for note in &o.notes {
        text.push_str(&output::one_line(&note.to_string()));
        text.push('\n');
    }
    if o.note_count > o.notes.len() {
        text.push_str(&format!(
            "… and {} more notes\n",
            o.note_count - o.notes.len()
        ));
    }
    if !o.junk.is_empty() {
        let shown: Vec<String> = o
            .junk
            .iter()
            .take(SHOWN_ERRORS)
            .map(|r| r.to_string())
            .collect();
        let more = if o.junk.len() > SHOWN_ERRORS {
            " …"
        } else {
            ""
        };
        let why = o
            .junk_reason
            .as_deref()
            .map(|r| format!(" ({})", output::one_line(r)))
            .unwrap_or_default();
        text.push_str(&format!(
            "{} junk row{} skipped: row{} {}{more}{why}\n",
            o.junk.len(),
            if o.junk.len() == 1 { "" } else { "s" },
            if o.junk.len() == 1 { "" } else { "s" },
            shown.join(", ")
        ));
    }
    let verb = if dry_run { "would import" } else { "imported" };
    // Only what is added or updated is imported: "imported 18 incidents"
    // when all 18 were skipped told the user the opposite of what happened.
    let written = o.added.count + o.updated.count;
    let of = if written == o.records {
        String::new()
    } else {
        format!("{written} of ")
    };
    text.push_str(&format!(
        "{verb} {of}{} incident{} ({} added, {} updated, {} unchanged, {} skipped)\n",
        o.records,
        if o.records == 1 { "" } else { "s" },
        o.added.count,
        o.updated.count,
        o.unchanged.count,
        o.skipped.count
    ));
    for (theirs, ours) in &o.renumbered_shown {
        text.push_str(&format!(
            "renumbered: {theirs} in the file is {ours} here ({theirs} was taken; show and history accept the old ref when no incident here has it)\n"
        ));
    }
    if o.renumbered > o.renumbered_shown.len() {
        text.push_str(&format!(
            "… and {} more renumbered\n",
            o.renumbered - o.renumbered_shown.len()
        ));
    }
    if dry_run {
        for (what, refs) in [
            ("add", &o.added.refs),
            ("update", &o.updated.refs),
            ("skip", &o.skipped.refs),
        ] {
            if !refs.is_empty() {
                text.push_str(&format!("would {what}: {}\n", refs.join(", ")));
            }
        }
        text.push_str("nothing was written (--dry-run)\n");
    }
    text
}

/// Tells the format from the file's extension or its first line.
fn guess_format(file: &str, input: &mut BufReader<Box<dyn Read>>) -> Result<ImportFormat> {
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".jsonl") || lower.ends_with(".json") || lower.ends_with(".ndjson") {
        return Ok(ImportFormat::Jsonl);
    }
    let head = input.fill_buf().context("cannot read the file")?;
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
    // Header names, with any quotes around them taken off.
    let fields: Vec<&[u8]> = first_line
        .split(|&b| b == b',')
        .map(|f| f.strip_suffix(b"\r").unwrap_or(f))
        .map(|f| {
            f.strip_prefix(b"\"")
                .and_then(|f| f.strip_suffix(b"\""))
                .unwrap_or(f)
        })
        .collect();
    let header: HashSet<&[u8]> = fields.iter().copied().collect();
    let starts = |names: [&str; 3]| {
        fields.len() >= 3 && names.iter().zip(&fields).all(|(n, f)| n.as_bytes() == *f)
    };
    if starts(["year", "combinedStatus", "fullName"])
        || starts(["status", "entry_date", "ambiguous_entry_date"])
        || header.contains(&b"cpj.org_url"[..])
    {
        Ok(ImportFormat::Cpj)
    } else if starts(["title", "slug", "first_published_at"]) {
        Ok(ImportFormat::Uspft)
    } else if header.contains(&b"incident_ref"[..]) || header.contains(&b"incident_uid"[..]) {
        Ok(ImportFormat::Native)
    } else if head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        Ok(ImportFormat::Jsonl)
    } else {
        // Say which format the header comes closest to, and how it differs.
        let names: Vec<String> = fields
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        let layouts = cpj::layouts();
        let mut formats: Vec<(&str, &[&str])> = layouts
            .iter()
            .map(|(name, columns)| (*name, columns.as_slice()))
            .collect();
        formats.push(("uspft's export", uspft::COLUMNS));
        formats.push(("pressreg's own CSV (native)", native::COLUMNS));
        bail!(
            "cannot tell the format of '{file}' from its header: {} (give --format native, jsonl, cpj or uspft)",
            output::one_line(&cpj::closest(&names, &formats))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(file: &str, head: &str) -> Result<ImportFormat> {
        let input: Box<dyn Read> = Box::new(io::Cursor::new(head.as_bytes().to_vec()));
        guess_format(file, &mut BufReader::new(input))
    }

    #[test]
    fn the_format_is_told_by_header_or_extension() {
        let cases = [
            (
                "a.csv",
                "year,combinedStatus,fullName,sortName\n",
                ImportFormat::Cpj,
            ),
            (
                "a.csv",
                "\"year\",\"combinedStatus\",\"fullName\"\r\n",
                ImportFormat::Cpj,
            ),
            (
                "a.csv",
                "\u{feff}title,slug,first_published_at,x\n",
                ImportFormat::Uspft,
            ),
            (
                "a.csv",
                "incident_ref,incident_uid,date_start\n",
                ImportFormat::Native,
            ),
            ("a.txt", "date_start,incident_uid\n", ImportFormat::Native),
            ("-", "{\"country\":\"AF\"}\n", ImportFormat::Jsonl),
            ("a.JSONL", "", ImportFormat::Jsonl),
            (
                "a.csv",
                "status,entry_date,ambiguous_entry_date,journalist/media worker_name\r\n",
                ImportFormat::Cpj,
            ),
        ];
        for (file, head, expected) in cases {
            assert_eq!(guess(file, head).ok(), Some(expected), "{file} {head:?}");
        }
        assert_eq!(
            guess("x.csv", "foo,bar\n").err().map(|e| e.to_string()),
            Some("cannot tell the format of 'x.csv' from its header: none of its columns is a column of any known format (give --format native, jsonl, cpj or uspft)".into())
        );
    }

    #[test]
    fn the_summary_names_junk_rows_and_why() {
        let mut o = Outcome {
            records: 18,
            added: Tally {
                count: 18,
                refs: vec![],
            },
            junk: vec![2165, 2166],
            junk_reason: Some("an empty row at the end of the spreadsheet".into()),
            ..Outcome::default()
        };
        assert_eq!(
            summary(&o, false),
            "2 junk rows skipped: rows 2165, 2166 (an empty row at the end of the spreadsheet)\n\
imported 18 incidents (18 added, 0 updated, 0 unchanged, 0 skipped)\n"
        );
        o.junk = (1..=25).collect();
        assert!(summary(&o, false).starts_with(
            "25 junk rows skipped: rows 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 … (an empty"
        ));
    }
}

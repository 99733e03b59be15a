//! `pressreg export`: incidents out as CSV (native long format), JSON or
//! JSONL, through an export profile (DESIGN §4, §6).
//!
//! What must stay true: the default profile is `public`; a profile is an
//! allow-list (`exchange::profile`); `-o FILE` is never the registry, needs
//! `--force` to replace a file, and is written through `output::OutputFile`
//! (owner-only, atomic, no temporary file left by a failure or a signal);
//! stdout carries only the data.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::{bail, Result};

use super::Ctx;
use crate::cli::FilterArgs;
use crate::db::{query, Access, Reader};
use crate::exchange::profile::{self, Profile};
use crate::exchange::{jsonl, native};
use crate::output;

/// The formats `export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Native CSV, one row per act, for spreadsheets
    Csv,
    /// One JSON array of incidents
    Json,
    /// One incident per line; with --profile full, a lossless copy
    Jsonl,
}

/// Export incidents as CSV, JSON or JSONL
///
/// The profile decides what leaves the registry: public (the default)
/// writes public records only, with anonymous victims pseudonymised,
/// coordinates coarsened and confidential sources and notes dropped;
/// partner and internal add records of those levels; full writes
/// everything, for backups and merges (`import` reads it back), and is the
/// only profile that writes deleted incidents (with --include-deleted).
///
/// CSV columns, in order: incident_ref, incident_uid, date_start, date_end,
/// date_precision, date_approximate, date_as_reported, calendar, country,
/// admin1, admin2, locality, place, latitude, longitude, geo_precision,
/// context, verification, work_link, justice, confidentiality, title,
/// summary, victim_position, victim_uid, victim_name, name_variants,
/// anonymous, sex, age, nationality, local_or_foreign, category,
/// employment, jobs, mediums, outlet, beats, status, victim_confidentiality,
/// act_uid, act_type, death_context, method, act_date_start, act_date_end,
/// act_date_precision, perpetrators, perpetrator_types, attribution_basis,
/// attribution_confidence, source_urls, source_publishers, export_profile
/// (the profile the file was written under). In JSON and JSONL, every
/// record of a profile other than full starts with "export_profile". An
/// import reads the mark back: `--on-conflict update` then changes only
/// what that profile carries. Several values
/// in a cell are joined with '|'; text cells that a spreadsheet would read
/// as a formula start with "'".
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg export --year 2021 -o incidents-2021.csv
  pressreg export --country AF --format json
  pressreg export --profile partner --format csv --bom -o for-partners.csv
  pressreg export --profile full --format jsonl --include-deleted -o backup.jsonl")]
pub struct Args {
    #[command(flatten)]
    pub filters: FilterArgs,
    /// The output format
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv, help_heading = "Output")]
    pub format: ExportFormat,
    /// Who the export is for
    #[arg(long, value_enum, default_value_t = Profile::Public, help_heading = "Output")]
    pub profile: Profile,
    /// Write to FILE (created owner-only) instead of stdout ('-')
    #[arg(short = 'o', long, value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists (never the registry)
    #[arg(long, requires = "output", help_heading = "Output")]
    pub force: bool,
    /// Start a CSV with a byte-order mark (for Excel)
    #[arg(long, help_heading = "Output")]
    pub bom: bool,
}

/// Runs the command.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let mut filter = args.filters.to_filter()?;
    if args.profile != Profile::Full {
        filter.confidentiality = args.profile.levels();
        filter.include_deleted = false;
        // Filters match what the export shows: a --victim or --outlet that
        // found a case by a hidden name would confirm whose case it is.
        filter.shown_victims_only = true;
    }
    if filter.include_deleted && args.format == ExportFormat::Csv {
        // The CSV has no deleted_at column: deleted incidents would come
        // back to life on import.
        bail!("deleted incidents travel only in JSON or JSONL (give --format jsonl with --include-deleted)");
    }
    let target = args
        .output
        .as_ref()
        .filter(|p| p.as_os_str() != "-")
        .cloned();
    if let Some(path) = &target {
        output::check_output_path(path, &ctx.db_path()?, args.force)?;
    }
    let mut db = ctx.open(Access::Read)?;
    let reader = db.read()?;
    match target {
        Some(path) => {
            let file = output::OutputFile::create(&path)?;
            let mut out = BufWriter::new(file);
            write_export(&reader, &filter, &args, &mut out)?;
            let file = out.into_inner().map_err(|e| e.into_error())?;
            file.commit()?;
        }
        None => {
            // Escaped on a terminal (an export read on screen must not
            // let a name rewrite it); raw to a pipe.
            let mut out = ctx.out.stdout();
            write_export(&reader, &filter, &args, &mut out)?;
            out.flush()?;
        }
    }
    Ok(())
}

fn write_export(
    reader: &Reader<'_>,
    filter: &query::Filter,
    args: &Args,
    out: &mut dyn Write,
) -> Result<()> {
    let bar = output::progress(reader.count_incidents(filter)?);
    let mut csv_out = None;
    if args.format == ExportFormat::Csv {
        if args.bom {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Shared::default());
        w.write_record(native::COLUMNS.iter().chain([&native::PROFILE_COLUMN]))?;
        drain(&mut w, out)?;
        csv_out = Some(w);
    } else if args.format == ExportFormat::Json {
        out.write_all(b"[")?;
    }
    let mut first = true;
    reader.for_each_incident(filter, |id| {
        bar.inc(1);
        // The CSV holds no claims or relations; --disputed reads the claims.
        let rec = if args.format == ExportFormat::Csv && !filter.disputed {
            reader.load_incident_without_claims(id)?
        } else {
            reader.load_incident(id)?
        };
        // The positions name anonymous victims' pseudonyms, which only the
        // other profiles write: `full` writes the names.
        let positions = if args.profile == Profile::Full {
            Vec::new()
        } else {
            reader.victim_positions(id)?
        };
        let Some(mut rec) = profile::apply_owned(args.profile, rec, &positions) else {
            return Ok(());
        };
        if filter.disputed && !profile::shows_disagreement(&rec) {
            return Ok(());
        }
        match (&mut csv_out, args.format) {
            (Some(w), _) => {
                native::write_rows(&rec, args.profile.name(), w)?;
                drain(w, out)?;
            }
            (None, _) => {
                // Actors in name order, not in the order this registry
                // happened to create them, so that a registry rebuilt from
                // the export exports the same bytes. (The CSV has no actor
                // list: each act names its own perpetrators.)
                rec.actors
                    .sort_by_cached_key(|a| (a.name.to_lowercase(), a.name.clone()));
                if args.format == ExportFormat::Json {
                    out.write_all(if first { b"\n" } else { b",\n" })?;
                    serde_json::to_writer(&mut *out, &jsonl::Exported::new(args.profile, &rec))?;
                } else {
                    jsonl::write_record(out, args.profile, &rec)?;
                }
            }
        }
        first = false;
        Ok(())
    })?;

    if csv_out.is_none() && args.format == ExportFormat::Json {
        out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
    }
    bar.finish_and_clear();
    Ok(())
}

/// Moves what the CSV writer has buffered to `out`.
fn drain(w: &mut csv::Writer<Shared>, out: &mut dyn Write) -> Result<()> {
    w.flush()?;
    let mut buf = w.get_ref().0.borrow_mut();
    out.write_all(&buf)?;
    buf.clear();
    Ok(())
}

/// A buffer the CSV writer fills and `drain` empties, so that rows reach
/// the output incident by incident.
#[derive(Default)]
struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

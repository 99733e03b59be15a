//! `pressreg export`: incidents out as CSV (native long format), JSON or
//! JSONL, through an export profile (DESIGN §4, §6).
//!
//! What must stay true: the default profile is `public`; a profile is an
//! allow-list (`exchange::profile`); `-o FILE` is created owner-only and
//! written atomically (a temporary file beside it, renamed when complete),
//! so a failed export leaves no file; stdout carries only the data.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};

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
/// attribution_confidence, source_urls, source_publishers. Several values
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
    }
    if filter.include_deleted && args.format == ExportFormat::Csv {
        // The CSV has no deleted_at column: deleted incidents would come
        // back to life on import.
        bail!("deleted incidents travel only in JSON or JSONL (give --format jsonl with --include-deleted)");
    }
    let mut db = ctx.open(Access::Read)?;
    let reader = db.read()?;
    let target = args
        .output
        .as_ref()
        .filter(|p| p.as_os_str() != "-")
        .cloned();
    match target {
        Some(path) => {
            let file = AtomicFile::create(&path)?;
            let mut out = BufWriter::new(file);
            write_export(&reader, &filter, &args, &mut out)?;
            let file = out.into_inner().map_err(|e| e.into_error())?;
            file.commit()?;
        }
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
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
    let bar = output::progress(Some(reader.count_incidents(filter)?));
    let mut csv_out = None;
    if args.format == ExportFormat::Csv {
        if args.bom {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Shared::default());
        w.write_record(native::COLUMNS)?;
        drain(&mut w, out)?;
        csv_out = Some(w);
    } else if args.format == ExportFormat::Json {
        out.write_all(b"[")?;
    }
    let mut first = true;
    reader.for_each_incident(filter, |id| {
        bar.inc(1);
        let rec = reader.load_incident(id)?;
        let positions = reader.victim_positions(id)?;
        let Some(mut rec) = profile::apply(args.profile, &rec, &positions) else {
            return Ok(());
        };
        // Actors in name order, not in the order this registry happened to
        // create them, so that a registry rebuilt from the export exports
        // the same bytes.
        rec.actors
            .sort_by_key(|a| (a.name.to_lowercase(), a.name.clone()));
        match (&mut csv_out, args.format) {
            (Some(w), _) => {
                for row in native::rows(&rec) {
                    w.write_record(&row)?;
                }
                drain(w, out)?;
            }
            (None, ExportFormat::Json) => {
                out.write_all(if first { b"\n" } else { b",\n" })?;
                serde_json::to_writer(&mut *out, &rec)?;
            }
            (None, _) => jsonl::write_record(out, &rec)?,
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

/// A file written beside its final path and renamed into place only when
/// complete; dropped uncommitted, it is removed.
struct AtomicFile {
    file: Option<fs::File>,
    temp: PathBuf,
    path: PathBuf,
}

impl AtomicFile {
    fn create(path: &Path) -> Result<AtomicFile> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "export".into());
        let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options
            .open(&temp)
            .with_context(|| format!("failed to create '{}'", path.display()))?;
        Ok(AtomicFile {
            file: Some(file),
            temp,
            path: path.to_path_buf(),
        })
    }

    fn commit(mut self) -> Result<()> {
        if let Some(file) = self.file.take() {
            file.sync_all()
                .with_context(|| format!("failed to write '{}'", self.path.display()))?;
        }
        if let Err(e) = fs::rename(&self.temp, &self.path) {
            let _ = fs::remove_file(&self.temp);
            return Err(e).with_context(|| format!("failed to write '{}'", self.path.display()));
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("file already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.is_some() {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

//! Output: stdout is data, stderr is talk.
//!
//! Invariants:
//! * every line the program says about itself (a failure in `main`, a
//!   note such as `restored AF-2021-0001` from a command, a refused answer
//!   to the prompter) is made by `said`: one line, `pressreg: ` first,
//!   escaped;
//! * whatever reaches a terminal on stdout is escaped (control,
//!   bidi-override and zero-width characters), whatever the format: tables,
//!   pages, CSV, JSON; `Out::print` and `Out::stdout` do it, so a command
//!   cannot forget. Pipes and files get the data raw. Only text built from
//!   `Out::text` pieces plus this program's own colour codes (tables) goes
//!   out through `Out::print_built`;
//! * colour only on a terminal, only with `--color auto|always`, never with
//!   `NO_COLOR`;
//! * every CSV cell this program writes that a spreadsheet would run as a
//!   formula (starting with `=`, `+`, `-`, `@`, tab, CR or LF) is prefixed
//!   with `'`, unless it is a number the program wrote itself;
//! * a file written with `-o` or `--chart` (`OutputFile`) is never the
//!   registry or its `-wal`, `-shm` or `-journal` file, replaces an existing
//!   file only with `--force`, is created owner-only beside its final path
//!   and renamed into place only when complete: a failed command, or one a
//!   signal ends, leaves neither a partial file nor its temporary file.

use std::borrow::Cow;
use std::fs;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};

use comfy_table::{presets, Cell, CellAlignment, ContentArrangement, Table};

use crate::cli::ColorWhen;

/// Where a command's data goes and how to present it.
pub struct Out {
    /// Whether stdout is a terminal (tables, escaping, progress bars).
    pub terminal: bool,
    /// Whether to use colour.
    pub color: bool,
}

impl Out {
    /// Decides from the real stdout and the colour flag.
    pub fn new(color: ColorWhen) -> Out {
        let terminal = io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match color {
            ColorWhen::Always => !no_color,
            ColorWhen::Never => false,
            ColorWhen::Auto => terminal && !no_color,
        };
        Out { terminal, color }
    }

    /// Free text as it may be shown: escaped on a terminal, raw otherwise.
    pub fn text<'a>(&self, s: &'a str) -> Cow<'a, str> {
        if self.terminal {
            sanitize(s)
        } else {
            Cow::Borrowed(s)
        }
    }

    /// Writes data to stdout: escaped on a terminal, raw otherwise.
    pub fn print(&self, s: &str) -> io::Result<()> {
        self.print_built(&self.text(s))
    }

    /// Writes text whose registry pieces already went through `Out::text`
    /// and that may hold this program's colour codes (a table's bold
    /// header), which `print` would escape.
    pub fn print_built(&self, s: &str) -> io::Result<()> {
        let mut stdout = io::stdout().lock();
        stdout.write_all(s.as_bytes())?;
        stdout.flush()
    }

    /// Stdout for data written as it is made (export, list): buffered, and
    /// escaped on a terminal like `print`.
    pub fn stdout(&self) -> Box<dyn Write> {
        let stdout = io::BufWriter::new(io::stdout());
        if self.terminal {
            Box::new(Escaping::new(stdout))
        } else {
            Box::new(stdout)
        }
    }

    /// A note for people on stderr, beside the data (`pressreg: restored
    /// AF-2021-0001`, `pressreg: no incidents match`).
    pub fn note(&self, message: &str) {
        say(message);
    }

    /// Talk for people on stderr that is more than one note (an import's
    /// report, the heading and footnotes of a CSV summary), as it is,
    /// escaped whatever stderr is.
    pub fn talk(&self, text: &str) {
        eprint!("{}", sanitize(text));
    }
}

/// What starts every line the program says about itself on stderr.
const PREFIX: &str = "pressreg: ";

/// Writes one line on stderr: `pressreg: ` and the message on one line.
/// `main` reports failures with it and `Out::note` notes, so every such
/// line looks the same.
pub fn say(message: &str) {
    eprint!("{}", said(message));
}

/// The line `say` writes (for a writer other than stderr: the prompter's).
pub fn said(message: &str) -> String {
    format!("{PREFIX}{}\n", one_line(message))
}

/// A writer that escapes what it passes on as `sanitize` does. Writes may
/// split a character between them: the incomplete end waits for the next
/// write (or the flush).
pub struct Escaping<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> Escaping<W> {
    pub fn new(inner: W) -> Escaping<W> {
        Escaping {
            inner,
            pending: Vec::new(),
        }
    }

    /// Passes on every complete character held; an invalid byte (this
    /// program writes only UTF-8, so none is expected) goes as U+FFFD.
    fn pass(&mut self, end: bool) -> io::Result<()> {
        loop {
            match std::str::from_utf8(&self.pending) {
                Ok(text) => {
                    // A CR at the end may be half of a CRLF: wait for the rest.
                    let keep = usize::from(!end && text.ends_with('\r'));
                    let done = text.len() - keep;
                    self.inner.write_all(sanitize(&text[..done]).as_bytes())?;
                    self.pending.drain(..done);
                    return Ok(());
                }
                Err(e) => {
                    let good = e.valid_up_to();
                    let text = String::from_utf8_lossy(&self.pending[..good]).into_owned();
                    self.inner.write_all(sanitize(&text).as_bytes())?;
                    match e.error_len() {
                        // An incomplete character at the end: wait for the rest.
                        None if !end => {
                            self.pending.drain(..good);
                            return Ok(());
                        }
                        None => {
                            self.inner.write_all(b"\\u{FFFD}")?;
                            self.pending.clear();
                            return Ok(());
                        }
                        Some(bad) => {
                            self.inner.write_all(b"\\u{FFFD}")?;
                            self.pending.drain(..good + bad);
                        }
                    }
                }
            }
        }
    }
}

impl<W: Write> Write for Escaping<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        self.pass(false)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.pass(true)?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for Escaping<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Whether stderr is a terminal (for progress bars).
pub fn stderr_is_terminal() -> bool {
    io::stderr().is_terminal()
}

/// Escapes characters that could rewrite or hide what a terminal shows:
/// C0/C1 controls (newline and tab kept, and a carriage return right before
/// a newline, as CSV ends its lines; a lone one could write over a line),
/// bidi overrides and isolates, zero-width characters.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    fn bad(c: char) -> bool {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
    }
    let line_end = |i: usize, c: char| c == '\r' && s[i + 1..].starts_with('\n');
    if !s.char_indices().any(|(i, c)| bad(c) && !line_end(i, c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.char_indices() {
        if bad(c) && !line_end(i, c) {
            out.push_str(&format!("\\u{{{:04X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for a place that is one line (a name in a page, a title): every
/// line break (LF, CR, VT, FF, NEL, U+2028, U+2029) becomes one space, so a
/// value can never start a line of its own and pass for the program's.
pub fn flat(s: &str) -> Cow<'_, str> {
    fn brk(c: char) -> bool {
        matches!(
            c,
            '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
        )
    }
    if !s.contains(brk) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut after_break = false;
    for c in s.chars() {
        if brk(c) {
            if !after_break {
                out.push(' ');
            }
            after_break = true;
        } else {
            out.push(c);
            after_break = false;
        }
    }
    Cow::Owned(out)
}

/// An error message on one line: newlines and controls become spaces.
pub fn one_line(s: &str) -> String {
    let escaped = sanitize(s);
    escaped
        .split(['\n', '\r', '\t'])
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A text cell made safe for spreadsheets (OWASP CSV injection advice).
pub fn csv_text(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// A table for people: a header row and aligned columns, no borders; each
/// cell on one line.
/// Columns listed in `right` are right-aligned (counts).
pub fn table(out: &Out, headers: &[&str], rows: &[Vec<String>], right: &[usize]) -> String {
    let mut t = Table::new();
    t.load_style(presets::NOTHING);
    t.set_content_arrangement(ContentArrangement::Disabled);
    t.force_no_tty();
    t.set_header(headers.iter().map(|h| Cell::new(h.to_uppercase())));
    for row in rows {
        t.add_row(row.iter().enumerate().map(|(i, c)| {
            // A table cell is one line: a line break in a value would
            // start a row of its own.
            let cell = Cell::new(flat(&out.text(c)));
            if right.contains(&i) {
                cell.set_alignment(CellAlignment::Right)
            } else {
                cell
            }
        }));
    }
    let mut text: String = t
        .to_string()
        .lines()
        .map(|l| l.trim_end())
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    // Colour was decided once (Out::new): a bold header on a terminal,
    // unless NO_COLOR or --color never; plain text everywhere else.
    if out.color {
        if let Some(end) = text.find('\n') {
            text.replace_range(..end, &format!("\u{1b}[1m{}\u{1b}[0m", &text[..end]));
        }
    }
    text
}

/// A progress bar on stderr (a counter when the length is unknown) when
/// stderr is a terminal; hidden otherwise, so pipes see nothing extra.
pub fn progress(len: Option<u64>) -> indicatif::ProgressBar {
    if !stderr_is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    match len {
        Some(len) => {
            let bar = indicatif::ProgressBar::new(len);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{wide_bar} {pos}/{len} incidents ({eta} left)",
            ) {
                bar.set_style(style);
            }
            bar
        }
        None => {
            let bar = indicatif::ProgressBar::new_spinner();
            // The count, so a long import shows it is moving and how fast.
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{spinner} {human_pos} records read ({elapsed})",
            ) {
                bar.set_style(style);
            }
            bar
        }
    }
}

/// The registry's own files: the database and what SQLite keeps beside
/// it, with what each is called in a message.
const REGISTRY_FILES: &[(&str, &str)] = &[
    ("", "the registry itself"),
    ("-wal", "the registry's write-ahead log"),
    ("-shm", "the registry's shared-memory file"),
    ("-journal", "the registry's rollback journal"),
];

/// Refuses an output path that is one of the registry's files (by name, or
/// the same file under another name or link) or, without `force`, any
/// existing file.
pub fn check_output_path(path: &Path, registry: &Path, force: bool) -> Result<()> {
    let shown = path.display();
    let output = same_place(path);
    let existing = fs::metadata(path).ok();
    for (suffix, what) in REGISTRY_FILES {
        let mut name = registry.as_os_str().to_owned();
        name.push(suffix);
        let file = Path::new(&name);
        let same_file = match (&existing, fs::metadata(file)) {
            (Some(a), Ok(b)) => same_inode(a, &b),
            _ => false,
        };
        if same_file || (output.is_some() && output == same_place(file)) {
            bail!("'{shown}' is {what}; give another output file");
        }
    }
    if existing.is_some() && !force {
        bail!("'{shown}' already exists (give --force to replace it)");
    }
    Ok(())
}

/// `path` with its directory resolved, so that two spellings of one place
/// compare equal (the file itself need not exist).
fn same_place(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(fs::canonicalize(dir).ok()?.join(name))
}

#[cfg(unix)]
fn same_inode(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_inode(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    false
}

/// A file written beside its final path and renamed into place only when
/// complete; dropped uncommitted, or when a signal ends the process, its
/// temporary file is removed.
pub struct OutputFile {
    file: Option<fs::File>,
    temp: PathBuf,
    path: PathBuf,
}

impl OutputFile {
    /// Starts writing `path` (checked with `check_output_path` first).
    pub fn create(path: &Path) -> Result<OutputFile> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "output".into());
        let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        // Registered before the file exists, so that no moment leaves a
        // temporary file a signal would not remove.
        signals::remove_on_signal(&temp);
        let file = match options.open(&temp) {
            Ok(f) => f,
            Err(e) => {
                signals::forget();
                return Err(e).with_context(|| format!("failed to create '{}'", path.display()));
            }
        };
        Ok(OutputFile {
            file: Some(file),
            temp,
            path: path.to_path_buf(),
        })
    }

    /// Makes the file complete on disk and moves it to its final path.
    pub fn commit(mut self) -> Result<()> {
        if let Some(file) = self.file.take() {
            if let Err(e) = file.sync_all() {
                let _ = fs::remove_file(&self.temp);
                signals::forget();
                return Err(e)
                    .with_context(|| format!("failed to write '{}'", self.path.display()));
            }
        }
        let renamed = fs::rename(&self.temp, &self.path);
        if renamed.is_err() {
            let _ = fs::remove_file(&self.temp);
        }
        signals::forget();
        renamed.with_context(|| format!("failed to write '{}'", self.path.display()))
    }
}

impl Write for OutputFile {
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

impl Drop for OutputFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.temp);
            signals::forget();
        }
    }
}

/// The temporary file a signal must not leave behind. One at a time: a
/// command writes one output file at a time (or has one file open in the
/// person's editor, `prompt::EditFile`).
#[cfg(unix)]
pub(crate) mod signals {
    use std::ffi::CString;
    use std::path::Path;
    use std::sync::atomic::{AtomicPtr, Ordering};
    use std::sync::Once;

    /// The temporary file's path as a C string (owned; null when none).
    static TEMP: AtomicPtr<libc::c_char> = AtomicPtr::new(std::ptr::null_mut());
    static INSTALL: Once = Once::new();

    /// The signals that end a process by default and that a user or a
    /// system sends to stop a command.
    const SIGNALS: [libc::c_int; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

    extern "C" fn on_signal(signal: libc::c_int) {
        let temp = TEMP.swap(std::ptr::null_mut(), Ordering::SeqCst);
        // SAFETY: unlink, signal and raise are async-signal-safe; `temp` is
        // null or a C string leaked by `remove_on_signal` and never freed
        // once taken here.
        unsafe {
            if !temp.is_null() {
                libc::unlink(temp);
            }
            // Then die of the signal as if there were no handler, so that
            // the exit status says what happened.
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }

    pub fn remove_on_signal(path: &Path) {
        use std::os::unix::ffi::OsStrExt;
        INSTALL.call_once(|| {
            for signal in SIGNALS {
                // SAFETY: installs a handler that only calls
                // async-signal-safe functions.
                unsafe {
                    libc::signal(signal, on_signal as *const () as libc::sighandler_t);
                }
            }
        });
        let Ok(c) = CString::new(path.as_os_str().as_bytes()) else {
            return;
        };
        free(TEMP.swap(c.into_raw(), Ordering::SeqCst));
    }

    pub fn forget() {
        free(TEMP.swap(std::ptr::null_mut(), Ordering::SeqCst));
    }

    fn free(p: *mut libc::c_char) {
        if !p.is_null() {
            // SAFETY: every non-null pointer in TEMP came from
            // CString::into_raw, and the swap gave this one to us alone.
            drop(unsafe { CString::from_raw(p) });
        }
    }
}

#[cfg(not(unix))]
pub(crate) mod signals {
    pub fn remove_on_signal(_: &std::path::Path) {}
    pub fn forget() {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_escapes_controls_and_bidi() {
        assert_eq!(sanitize("a\u{1b}[31mb"), "a\\u{001B}[31mb");
        assert_eq!(sanitize("x\u{202E}y"), "x\\u{202E}y");
        assert_eq!(sanitize("Toofan Omar"), "Toofan Omar");
        assert_eq!(sanitize("a,b\r\nc\rEvil"), "a,b\r\nc\\u{000D}Evil");
    }

    #[test]
    fn the_escaping_writer_escapes_characters_split_between_writes() {
        let mut out = Vec::new();
        {
            let mut w = Escaping::new(&mut out);
            let text = "a\u{1b}]52;c;x\u{7}\u{202E}é\r\nb\rc\n".as_bytes();
            // Byte by byte: every character but ASCII is split.
            for b in text {
                w.write_all(&[*b]).expect("write");
            }
            w.write_all(&[0xE2]).expect("write");
            w.flush().expect("flush");
        }
        assert_eq!(
            String::from_utf8(out).expect("UTF-8"),
            "a\\u{001B}]52;c;x\\u{0007}\\u{202E}é\r\nb\\u{000D}c\n\\u{FFFD}"
        );
    }

    #[test]
    fn flat_text_never_breaks_a_line() {
        assert_eq!(flat("Toofan\r\nvictim 2: Omar"), "Toofan victim 2: Omar");
        assert_eq!(flat("a\u{2028}b\u{85}c\u{0B}d"), "a b c d");
        assert_eq!(flat("Toofan Omar"), "Toofan Omar");
    }

    /// A note or an error carrying text from a file or the registry stays
    /// one line and cannot drive the terminal.
    #[test]
    fn said_lines_are_one_escaped_line() {
        assert_eq!(
            said("restored AF-2021-0001"),
            "pressreg: restored AF-2021-0001\n"
        );
        assert_eq!(
            said("title already is 'a\nb\u{1b}[2J': nothing to change"),
            "pressreg: title already is 'a b\\u{001B}[2J': nothing to change\n"
        );
    }

    #[test]
    fn formula_cells_are_neutralised() {
        for s in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_text(s).starts_with('\''), "{s}");
        }
        assert_eq!(csv_text("Kabul"), "Kabul");
    }
}

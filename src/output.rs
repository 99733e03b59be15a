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
//!   `NO_COLOR`; in tables only a header's weight and a status's colour,
//!   so nothing is said by colour alone;
//! * a table fits the width it is given (`Out::width`): long text is cut
//!   with `…`, headers wrap at `_`, bars shrink; every row stays one line.
//!   `--wide` (no width) shows every cell whole;
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

use comfy_table::{
    presets, Cell, CellAlignment, ColumnConstraint, ContentArrangement, Row, Table, Width,
};

use crate::cli::ColorWhen;

/// Where a command's data goes and how to present it.
pub struct Out {
    /// Whether stdout is a terminal (tables, escaping, progress bars).
    pub terminal: bool,
    /// Whether to use colour.
    pub color: bool,
    /// The width tables must fit, in columns, or none (`--wide`, or a pipe
    /// without `COLUMNS` or `--width`).
    pub width: Option<usize>,
}

/// How wide a table may be, decided as `gh` and `ls` do: `--wide` has no
/// limit; `--width N` is N; else `COLUMNS` when it is a number; else, on a
/// terminal, the terminal's width (80 when it cannot be read); else (a
/// pipe or a file, read by a program) no limit, so nothing is cut on the
/// way to `grep` or `cut`.
pub fn table_width(
    wide: bool,
    width: Option<usize>,
    columns: Option<&str>,
    terminal: bool,
) -> Option<usize> {
    if wide {
        return None;
    }
    if let Some(w) = width {
        return Some(w);
    }
    if let Some(w) = columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w > 0)
    {
        return Some(w);
    }
    terminal.then(|| terminal_columns().unwrap_or(80))
}

/// The terminal's width in columns, as the kernel reports it for stdout.
#[cfg(unix)]
fn terminal_columns() -> Option<usize> {
    // SAFETY: TIOCGWINSZ fills the one `winsize` it is given, which lives
    // in this frame; on failure it is left zeroed and the call says so.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
    (ok && size.ws_col > 0).then_some(usize::from(size.ws_col))
}

#[cfg(not(unix))]
fn terminal_columns() -> Option<usize> {
    None
}

impl Out {
    /// Decides from the real stdout, the colour flag and the width flags.
    pub fn new(color: ColorWhen, wide: bool, width: Option<usize>) -> Out {
        let terminal = io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match color {
            ColorWhen::Always => !no_color,
            ColorWhen::Never => false,
            ColorWhen::Auto => terminal && !no_color,
        };
        let columns = std::env::var("COLUMNS").ok();
        Out {
            terminal,
            color,
            width: table_width(wide, width, columns.as_deref(), terminal),
        }
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

/// What a table column holds, which says how it gives up width when the
/// table is too wide for `Out::width`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Col {
    /// Shown whole, always (a ref, a date): what a row is found by.
    Keep,
    /// Free text (names, places): cut with `…`, the widest first.
    Text,
    /// Text that is left out rather than cut to nothing on a narrow
    /// terminal (perpetrators in `list`): `--wide` shows it.
    SpareText,
    /// A count: right-aligned and shown whole; its header wraps at `_`.
    Count,
    /// A count left out on a narrow terminal, as `SpareText`.
    SpareCount,
    /// A status word (verification): shown whole, and coloured when colour
    /// is on.
    Status,
    /// A bar drawn by `bar`: drawn shorter when space is short, left out
    /// when fewer than `MIN_BAR` cells are left. Always the last column.
    Bar,
}

impl Col {
    fn text(self) -> bool {
        matches!(self, Col::Text | Col::SpareText)
    }

    fn count(self) -> bool {
        matches!(self, Col::Count | Col::SpareCount)
    }

    fn spare(self) -> bool {
        matches!(self, Col::SpareText | Col::SpareCount)
    }
}

/// The longest bar a table draws, in cells.
pub const BAR: u64 = 20;

/// Below this many cells a bar says too little: the column is left out.
const MIN_BAR: usize = 5;

/// Text is cut to this width before a spare column is left out...
const COMFORT: usize = 16;

/// ...and to this one (or its header's longest word) after.
const MIN_TEXT: usize = 6;

/// A table for people: a header row and aligned columns, no borders; each
/// row on one line, fitted to `out.width`. What gives way, in this order
/// (see `Col`): bars shrink, then go; counts' headers wrap; the gap between
/// columns narrows from two spaces to one if that is enough; text is cut;
/// spare columns are left out, the rightmost first; text is cut further;
/// the gap narrows. A table that cannot fit even so is shown at its
/// narrowest.
pub fn table(out: &Out, headers: &[&str], cols: &[Col], rows: &[Vec<String>]) -> String {
    debug_assert_eq!(headers.len(), cols.len());
    let headers: Vec<String> = headers.iter().map(|h| h.to_uppercase()).collect();
    // A table cell is one line: a line break in a value would start a row
    // of its own.
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| flat(&out.text(c)).into_owned()).collect())
        .collect();
    let natural = natural_widths(&headers, &rows);
    let (widths, gap) = match out.width {
        Some(limit) => fit(&headers, cols, &rows, &natural, limit),
        None => (natural.clone(), 2),
    };

    let mut t = Table::new();
    t.load_style(presets::NOTHING);
    t.set_content_arrangement(ContentArrangement::Disabled);
    t.force_no_tty();
    let shown: Vec<usize> = (0..cols.len()).filter(|&i| widths[i] > 0).collect();
    t.set_header(shown.iter().map(|&i| {
        let text = if widths[i] < natural[i] {
            wrap_header(&headers[i], widths[i])
        } else {
            headers[i].clone()
        };
        Cell::new(text)
    }));
    for row in &rows {
        let mut r = Row::from(shown.iter().map(|&i| {
            let text = match cols[i] {
                Col::Bar if widths[i] < natural[i] => shrink_bar(&row[i], widths[i]),
                _ => row[i].clone(),
            };
            let cell = Cell::new(text);
            if cols[i].count() {
                cell.set_alignment(CellAlignment::Right)
            } else {
                cell
            }
        }));
        r.max_height(1);
        t.add_row(r);
    }
    let left = u16::from(gap == 2);
    for (n, &i) in shown.iter().enumerate() {
        if let Some(column) = t.column_mut(n) {
            column.set_padding((left, 1));
            // Cut at the width, not at the last space before it: no
            // cell holds a NUL (controls are escaped), so there is no word
            // to keep whole.
            column.set_delimiter('\0');
            if widths[i] < natural[i] {
                let w = u16::try_from(widths[i] + usize::from(left) + 1).unwrap_or(u16::MAX);
                column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(w)));
            }
        }
    }
    let mut lines: Vec<String> = t
        .to_string()
        .lines()
        .map(|l| l.trim_end())
        .map(|l| {
            if left == 1 {
                l.strip_prefix(' ').unwrap_or(l)
            } else {
                l
            }
        })
        .map(str::to_string)
        .collect();
    // Colour was decided once (Out::new), and goes on after the layout so
    // that it takes no width: bold header lines, and each status word in
    // its colour (a status column is the last one holding its word).
    if out.color {
        let header = lines.len().saturating_sub(rows.len());
        for line in &mut lines[..header] {
            *line = format!("{BOLD}{line}{RESET}");
        }
        for (line, row) in lines[header..].iter_mut().zip(&rows) {
            for &i in shown.iter().filter(|&&i| cols[i] == Col::Status) {
                let word = &row[i];
                if let (Some(color), Some(at)) = (status_color(word), line.rfind(word.as_str())) {
                    line.insert_str(at + word.len(), RESET_COLOR);
                    line.insert_str(at, color);
                }
            }
        }
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// The terminal codes of the table's colours (SGR).
const BOLD: &str = "\u{1b}[1m";
const RESET: &str = "\u{1b}[0m";
const RESET_COLOR: &str = "\u{1b}[39m";

/// Each column's width with nothing cut: its header's or its widest
/// cell's, in terminal columns.
fn natural_widths(headers: &[String], rows: &[Vec<String>]) -> Vec<usize> {
    let mut t = Table::new();
    t.load_style(presets::NOTHING);
    t.set_header(headers);
    for row in rows {
        t.add_row(row);
    }
    t.column_max_content_widths()
        .into_iter()
        .map(usize::from)
        .collect()
}

/// The width of columns shown side by side with `gap` spaces between them
/// (a width of 0 is a column left out).
fn total(widths: &[usize], gap: usize) -> usize {
    let shown: Vec<usize> = widths.iter().copied().filter(|w| *w > 0).collect();
    shown.iter().sum::<usize>() + gap * shown.len().saturating_sub(1)
}

/// The columns' widths (0: left out) and the gap between columns for a
/// table to fit `limit` (see `table` for the order in which things give).
fn fit(
    headers: &[String],
    cols: &[Col],
    rows: &[Vec<String>],
    natural: &[usize],
    limit: usize,
) -> (Vec<usize>, usize) {
    let mut widths = natural.to_vec();
    if total(&widths, 2) <= limit {
        return (widths, 2);
    }
    let word = |h: &str| h.split('_').map(|w| w.chars().count()).max().unwrap_or(0);
    for i in (0..cols.len()).filter(|&i| cols[i] == Col::Bar) {
        let others = total(&widths, 2) - widths[i];
        let room = limit.saturating_sub(others + 2).min(natural[i]);
        widths[i] = if room >= MIN_BAR { room } else { 0 };
    }
    for i in (0..cols.len()).filter(|&i| cols[i].count()) {
        if total(&widths, 2) <= limit {
            break;
        }
        let cells = rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
        let least = cells.max(word(&headers[i])).min(natural[i]);
        let over = total(&widths, 2) - limit;
        widths[i] -= over.min(widths[i] - least);
    }
    for gap in [2, 1] {
        if total(&widths, gap) <= limit {
            return (widths, gap);
        }
    }
    // Text cut, the widest column first, down to `floor` (or the header's
    // longest word, or what it holds).
    let cut = |widths: &mut Vec<usize>, floor: usize| {
        while total(widths, 2) > limit {
            let widest = (0..cols.len())
                .filter(|&i| {
                    cols[i].text() && widths[i] > floor.max(word(&headers[i])).min(natural[i])
                })
                .max_by_key(|&i| (widths[i], std::cmp::Reverse(i)));
            match widest {
                Some(i) => widths[i] -= 1,
                None => break,
            }
        }
    };
    let mut base = widths.clone();
    cut(&mut widths, COMFORT);
    for spare in (0..cols.len()).rev().filter(|&i| cols[i].spare()) {
        if total(&widths, 2) <= limit {
            break;
        }
        base[spare] = 0;
        widths = base.clone();
        cut(&mut widths, COMFORT);
    }
    cut(&mut widths, MIN_TEXT);
    let gap = if total(&widths, 2) > limit { 1 } else { 2 };
    (widths, gap)
}

/// A header over several lines of at most `width` columns, broken at `_`
/// (which the break replaces).
fn wrap_header(header: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    for word in header.split('_') {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push('_');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines.join("\n")
}

/// The eighths of a cell in each bar character.
const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/// A bar of `width` cells for `n` out of `max`, in eighths of a cell.
pub fn bar(n: u64, max: u64, width: u64) -> String {
    if max == 0 || n == 0 {
        return String::new();
    }
    // At least one eighth, so a count above zero is never drawn as nothing.
    eighths_bar(((n * width * 8 + max / 2) / max).max(1))
}

fn eighths_bar(eighths: u64) -> String {
    let mut s = "█".repeat((eighths / 8) as usize);
    s.push_str(PARTS[(eighths % 8) as usize]);
    s
}

/// A bar drawn `BAR` cells long at most, drawn again at most `width` long:
/// the same proportion, and never nothing for a count above zero.
fn shrink_bar(drawn: &str, width: usize) -> String {
    let eighths: u64 = drawn
        .chars()
        .map(|c| match c {
            '█' => 8,
            c => PARTS
                .iter()
                .position(|p| p.starts_with(c))
                .map_or(0, |p| p as u64),
        })
        .sum();
    if eighths == 0 {
        return String::new();
    }
    eighths_bar(((eighths * width as u64 + BAR / 2) / BAR).max(1))
}

/// The colour of a status word on a colour terminal: settled green, open
/// yellow, contested magenta, set aside grey. The word is always there too.
fn status_color(word: &str) -> Option<&'static str> {
    match word {
        "verified" | "corroborated" => Some("\u{1b}[32m"),
        "reported" => Some("\u{1b}[33m"),
        "disputed" => Some("\u{1b}[35m"),
        "rejected" | "duplicate" | "out_of_scope" => Some("\u{1b}[90m"),
        _ => None,
    }
}

/// Prose (a summary's heading or footnotes) wrapped at `out.width` between
/// words, each paragraph (line) on its own.
pub fn wrap(out: &Out, text: &str) -> String {
    let Some(width) = out.width else {
        return text.to_string();
    };
    let mut wrapped = String::with_capacity(text.len() + 16);
    for (n, paragraph) in text.split('\n').enumerate() {
        if n > 0 {
            wrapped.push('\n');
        }
        let mut len = 0;
        for (i, word) in paragraph.split(' ').enumerate() {
            let w = word.chars().count();
            if i > 0 {
                if len + 1 + w > width && len > 0 {
                    wrapped.push('\n');
                    len = 0;
                } else {
                    wrapped.push(' ');
                    len += 1;
                }
            }
            wrapped.push_str(word);
            len += w;
        }
    }
    wrapped
}

/// What the export's bar shows: how far, of how many, how fast, how long
/// is left.
const EXPORT_BAR: &str = "{wide_bar} {human_pos}/{human_len} incidents · {rate} · {eta} left";
/// What an import's bar shows, by bytes of the file read.
const IMPORT_BAR: &str =
    "{wide_bar} {binary_bytes}/{binary_total_bytes} · {binary_bytes_per_sec} · {eta} left · {msg}";
/// What an import from stdin shows: no total is known.
const IMPORT_SPINNER: &str = "{spinner} {binary_bytes} read · {binary_bytes_per_sec} · {msg}";

/// A bar (or a spinner, with no total) with its template; a template this
/// program wrote is valid (a unit test checks each).
fn bar_with(len: Option<u64>, template: &str) -> indicatif::ProgressBar {
    let bar = match len {
        Some(len) => indicatif::ProgressBar::new(len),
        None => indicatif::ProgressBar::new_spinner(),
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        let style = style.with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&rate(state.per_sec()));
            },
        );
        bar.set_style(style.progress_chars("█▉▊▋▌▍▎▏ "));
    }
    bar
}

/// Items per second as a person reads a rate: whole items with thousands
/// grouped (`4,784/s`), one decimal only below ten (`2.5/s`), where it
/// still says something. indicatif's own `{per_sec}` prints four
/// decimals (`4,784.2885/s`).
fn rate(per_sec: f64) -> String {
    if !per_sec.is_finite() || per_sec <= 0.0 {
        return "0/s".to_string();
    }
    if per_sec < 9.95 {
        return format!("{per_sec:.1}/s");
    }
    let whole = format!("{:.0}", per_sec);
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{grouped}/s")
}

/// A progress bar of `len` incidents on stderr when stderr is a terminal;
/// hidden otherwise, so pipes and logs see nothing extra.
pub fn progress(len: u64) -> indicatif::ProgressBar {
    if !stderr_is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    bar_with(Some(len), EXPORT_BAR)
}

/// A progress bar of an import's input by bytes (`total`: the file's
/// size; none for stdin: a spinner), not drawn until `show`: the
/// registry's key may have to be asked for on this terminal first. Read
/// through `ProgressBar::wrap_read`; `imported` says how many records.
pub fn import_progress(total: Option<u64>) -> indicatif::ProgressBar {
    let template = if total.is_some() {
        IMPORT_BAR
    } else {
        IMPORT_SPINNER
    };
    let bar = bar_with(total, template);
    bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    bar
}

/// Draws a bar made by `import_progress`, on a terminal only.
pub fn show_progress(bar: &indicatif::ProgressBar) {
    if stderr_is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    }
}

/// Tells an import's bar how many records are read (every thousandth, so
/// the count costs nothing on a large import).
pub fn imported(bar: &indicatif::ProgressBar, records: u64) {
    match records {
        1 => bar.set_message("1 record"),
        n if n % 1000 == 0 => bar.set_message(format!("{n} records")),
        _ => {}
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
    /// The private directory holding it, when it has one of its own
    /// (`prompt::EditFile`): removed after the file, if then empty.
    static DIR: AtomicPtr<libc::c_char> = AtomicPtr::new(std::ptr::null_mut());
    static INSTALL: Once = Once::new();

    /// The signals that end a process by default and that a user or a
    /// system sends to stop a command.
    const SIGNALS: [libc::c_int; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

    extern "C" fn on_signal(signal: libc::c_int) {
        let temp = TEMP.swap(std::ptr::null_mut(), Ordering::SeqCst);
        let dir = DIR.swap(std::ptr::null_mut(), Ordering::SeqCst);
        // SAFETY: unlink, rmdir, signal and raise are async-signal-safe;
        // `temp` and `dir` are null or C strings leaked by
        // `remove_on_signal` and never freed once taken here.
        unsafe {
            if !temp.is_null() {
                libc::unlink(temp);
            }
            if !dir.is_null() {
                libc::rmdir(dir);
            }
            // Then die of the signal as if there were no handler, so that
            // the exit status says what happened.
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }

    pub fn remove_on_signal(path: &Path) {
        remove_on_signal_in(path, None);
    }

    /// As `remove_on_signal`, and `dir` (the file's own private directory)
    /// after it, so that nothing is left in the temp directory either.
    pub fn remove_on_signal_in(path: &Path, dir: Option<&Path>) {
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
        let d = dir
            .and_then(|d| CString::new(d.as_os_str().as_bytes()).ok())
            .map_or(std::ptr::null_mut(), CString::into_raw);
        free(DIR.swap(d, Ordering::SeqCst));
        free(TEMP.swap(c.into_raw(), Ordering::SeqCst));
    }

    pub fn forget() {
        free(TEMP.swap(std::ptr::null_mut(), Ordering::SeqCst));
        free(DIR.swap(std::ptr::null_mut(), Ordering::SeqCst));
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
    pub fn remove_on_signal_in(_: &std::path::Path, _: Option<&std::path::Path>) {}
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
    fn progress_templates_are_valid() {
        for t in [EXPORT_BAR, IMPORT_BAR, IMPORT_SPINNER] {
            assert!(indicatif::ProgressStyle::with_template(t).is_ok(), "{t}");
        }
    }

    #[test]
    fn a_rate_reads_as_whole_items_with_thousands_grouped() {
        assert_eq!(rate(4784.2885), "4,784/s");
        assert_eq!(rate(1_234_567.5), "1,234,568/s");
        assert_eq!(rate(999.6), "1,000/s");
        assert_eq!(rate(120.4), "120/s");
        assert_eq!(rate(9.96), "10/s");
        assert_eq!(rate(2.54), "2.5/s");
        assert_eq!(rate(0.0), "0/s");
        assert_eq!(rate(f64::NAN), "0/s");
    }

    #[test]
    fn bars_are_proportional_in_eighths() {
        assert_eq!(bar(10, 10, 4), "████");
        assert_eq!(bar(5, 10, 4), "██");
        assert_eq!(bar(1, 16, 4), "▎");
        assert_eq!(bar(1, 1000, 4), "▏");
        assert_eq!(bar(0, 10, 4), "");
        assert_eq!(bar(9, 16, 4), "██▎");
    }

    /// A bar drawn again shorter keeps its proportion, and a count above
    /// zero keeps at least an eighth.
    #[test]
    fn a_shrunk_bar_keeps_its_proportion() {
        assert_eq!(shrink_bar(&bar(10, 10, BAR), 10), "██████████");
        assert_eq!(shrink_bar(&bar(5, 10, BAR), 10), "█████");
        assert_eq!(shrink_bar(&bar(9, 16, BAR), 8), "████▌");
        assert_eq!(shrink_bar(&bar(1, 1000, BAR), 5), "▏");
        assert_eq!(shrink_bar("", 5), "");
    }

    #[test]
    fn headers_wrap_at_underscores() {
        assert_eq!(wrap_header("A_KILLING", 7), "A\nKILLING");
        assert_eq!(
            wrap_header("DANGEROUS_ASSIGNMENT", 10),
            "DANGEROUS\nASSIGNMENT"
        );
        assert_eq!(wrap_header("E_KIDNAPPING", 12), "E_KIDNAPPING");
        assert_eq!(wrap_header("A_B_CDEF", 4), "A_B\nCDEF");
    }

    /// `--wide` wins; then `--width`; then `COLUMNS`; a terminal without
    /// them is measured (80 when it cannot be); a pipe has no limit.
    #[test]
    fn the_table_width_follows_flags_then_columns_then_the_terminal() {
        assert_eq!(table_width(true, None, Some("80"), true), None);
        assert_eq!(table_width(false, Some(60), Some("80"), true), Some(60));
        assert_eq!(table_width(false, None, Some("100"), false), Some(100));
        assert_eq!(table_width(false, None, Some("wide"), false), None);
        assert_eq!(table_width(false, None, None, false), None);
        assert!(table_width(false, None, None, true).is_some());
    }

    #[test]
    fn prose_wraps_between_words() {
        let out = Out {
            terminal: false,
            color: false,
            width: Some(12),
        };
        assert_eq!(
            wrap(&out, "one two three four\nfive"),
            "one two\nthree four\nfive"
        );
        assert_eq!(wrap(&out, "a-very-long-word x"), "a-very-long-word\nx");
    }

    #[test]
    fn formula_cells_are_neutralised() {
        for s in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_text(s).starts_with('\''), "{s}");
        }
        assert_eq!(csv_text("Kabul"), "Kabul");
    }
}

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
//!   with `'`, unless it is a number the program wrote itself.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};

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

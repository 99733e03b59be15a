//! Output: stdout is data, stderr is talk.
//!
//! Invariants:
//! * every line the program says about itself (a failure in `main`, a
//!   note such as `restored AF-2021-0001` from a command, a refused answer
//!   to the prompter) is made by `said`: one line, `pressreg: ` first,
//!   escaped;
//! * free text from the registry is escaped before it reaches a terminal
//!   (control, bidi-override and zero-width characters), and written raw to
//!   pipes and files;
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

    /// Writes `s` to stdout.
    pub fn print(&self, s: &str) -> io::Result<()> {
        let mut stdout = io::stdout().lock();
        stdout.write_all(s.as_bytes())?;
        stdout.flush()
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

/// Whether stderr is a terminal (for progress bars).
pub fn stderr_is_terminal() -> bool {
    io::stderr().is_terminal()
}

/// Escapes characters that could rewrite or hide what a terminal shows:
/// C0/C1 controls (newline and tab kept), bidi overrides and isolates,
/// zero-width characters.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    fn bad(c: char) -> bool {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
    }
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            out.push_str(&format!("\\u{{{:04X}}}", c as u32));
        } else {
            out.push(c);
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

/// A table for people: a header row and aligned columns, no borders.
/// Columns listed in `right` are right-aligned (counts).
pub fn table(out: &Out, headers: &[&str], rows: &[Vec<String>], right: &[usize]) -> String {
    let mut t = Table::new();
    t.load_style(presets::NOTHING);
    t.set_content_arrangement(ContentArrangement::Disabled);
    t.force_no_tty();
    t.set_header(headers.iter().map(|h| Cell::new(h.to_uppercase())));
    for row in rows {
        t.add_row(row.iter().enumerate().map(|(i, c)| {
            let cell = Cell::new(out.text(c));
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

//! A summary as people and programs read it: table (with small bars), CSV,
//! JSON and Markdown.
//!
//! Invariants:
//! * every format carries the same heading (what was counted, by which rule,
//!   over which records, as of when) and the same footnotes: inside the
//!   report for table, Markdown and JSON; on stderr for CSV, which has no
//!   place for them, so that its stdout stays one clean table;
//! * counts are numbers in CSV and JSON; a count below `--min-cell` is the
//!   text `<N`, a count withheld to protect it is `—` (JSON: null);
//! * text from the registry is escaped for terminals and neutralised for
//!   spreadsheets.

use serde_json::{json, Map, Value};

use super::suppress::Shown;
use crate::output::{self, Col, Out};

/// A summary ready to print.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub profile: String,
    pub rule: String,
    /// Which records were counted, in words.
    pub records: String,
    /// When the registry was read ("2021-12-31T12:00:00Z", or a past day
    /// rebuilt from the revision log).
    pub as_of: String,
    pub by: Vec<String>,
    pub columns: Vec<String>,
    pub rows: Vec<(Vec<String>, Vec<Shown>)>,
    pub totals: Vec<Shown>,
    /// The column the terminal bars show.
    pub main: usize,
    pub min_cell: u64,
    pub footnotes: Vec<String>,
}

impl Report {
    /// The heading lines, as every format states them.
    pub fn heading(&self) -> Vec<String> {
        vec![
            format!("Profile {}: {}.", self.profile, self.rule),
            format!("Records: {}.", self.records),
            format!("As of {}.", self.as_of),
        ]
    }

    fn cell(&self, s: Shown) -> String {
        match s {
            Shown::Count(n) => n.to_string(),
            Shown::Small => format!("<{}", self.min_cell),
            Shown::Withheld => "—".to_string(),
        }
    }

    fn json_cell(&self, s: Shown) -> Value {
        match s {
            Shown::Count(n) => json!(n),
            Shown::Small => json!(format!("<{}", self.min_cell)),
            Shown::Withheld => Value::Null,
        }
    }

    /// The label of the totals row in the first column.
    fn total_key(&self) -> Vec<String> {
        let mut key = vec![String::new(); self.by.len().max(1)];
        key[0] = "total".to_string();
        key
    }
}

/// The table for a terminal or a pager: heading, counts with bars, totals,
/// footnotes.
pub fn table(out: &Out, r: &Report) -> String {
    let mut text = output::wrap(out, &out.text(&r.heading().join("\n")));
    text.push_str("\n\n");
    let mut headers: Vec<&str> = r.by.iter().map(String::as_str).collect();
    if headers.is_empty() {
        headers.push("");
    }
    let dims = headers.len();
    headers.extend(r.columns.iter().map(String::as_str));
    headers.push("");
    let max = r
        .rows
        .iter()
        .filter_map(|(_, c)| match c[r.main] {
            Shown::Count(n) => Some(n),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (key, cells) in &r.rows {
        let mut row = if key.is_empty() {
            vec![String::new()]
        } else {
            key.clone()
        };
        row.extend(cells.iter().map(|&c| r.cell(c)));
        // A hidden count gets no bar: its length would give it away.
        row.push(match cells[r.main] {
            Shown::Count(n) => output::bar(n, max, output::BAR),
            _ => String::new(),
        });
        rows.push(row);
    }
    let mut total = r.total_key();
    total.extend(r.totals.iter().map(|&c| r.cell(c)));
    total.push(String::new());
    rows.push(total);
    let mut cols = vec![Col::Text; dims];
    cols.extend(r.columns.iter().map(|_| Col::Count));
    cols.push(Col::Bar);
    text.push_str(&output::table(out, &headers, &cols, &rows));
    if !r.footnotes.is_empty() {
        text.push('\n');
        text.push_str(&output::wrap(out, &r.footnotes.join("\n")));
        text.push('\n');
    }
    text
}

/// CSV: a header and one row per line, the totals last. The heading and
/// footnotes are returned apart, for stderr.
pub fn csv(r: &Report) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = if r.by.is_empty() {
        vec![String::new()]
    } else {
        r.by.clone()
    };
    header.extend(r.columns.iter().cloned());
    w.write_record(&header)?;
    let mut write = |key: &[String], cells: &[Shown]| -> anyhow::Result<()> {
        let mut rec: Vec<String> = key
            .iter()
            .map(|k| output::csv_text(k).into_owned())
            .collect();
        if rec.is_empty() {
            rec.push(String::new());
        }
        // Counts are the program's own numbers; `<N` and `—` cannot start a
        // formula.
        rec.extend(cells.iter().map(|&c| r.cell(c)));
        w.write_record(&rec)?;
        Ok(())
    };
    for (key, cells) in &r.rows {
        write(key, cells)?;
    }
    write(&r.total_key(), &r.totals)?;
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// The heading and footnotes as comment lines, for stderr beside CSV.
pub fn csv_notes(r: &Report) -> String {
    r.heading()
        .iter()
        .chain(&r.footnotes)
        .map(|l| format!("# {l}\n"))
        .collect()
}

/// JSON: one object with the heading fields, the rows, the totals and the
/// footnotes.
pub fn json(r: &Report) -> anyhow::Result<String> {
    let rows: Vec<Value> = r
        .rows
        .iter()
        .map(|(key, cells)| {
            let mut obj = Map::new();
            for (d, v) in r.by.iter().zip(key) {
                obj.insert(d.clone(), json!(v));
            }
            for (c, &s) in r.columns.iter().zip(cells) {
                obj.insert(c.clone(), r.json_cell(s));
            }
            Value::Object(obj)
        })
        .collect();
    let totals: Map<String, Value> = r
        .columns
        .iter()
        .zip(&r.totals)
        .map(|(c, &s)| (c.clone(), r.json_cell(s)))
        .collect();
    let doc = json!({
        "profile": r.profile,
        "rule": r.rule,
        "records": r.records,
        "as_of": r.as_of,
        "min_cell": r.min_cell,
        "by": r.by,
        "columns": r.columns,
        "rows": rows,
        "totals": totals,
        "footnotes": r.footnotes,
    });
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    Ok(text)
}

/// Markdown: the heading as a paragraph, a table, the footnotes as a list.
pub fn markdown(r: &Report) -> String {
    fn esc(s: &str) -> String {
        s.replace('\\', "\\\\")
            .replace('|', "\\|")
            .replace(['\n', '\r'], " ")
    }
    let mut text = r.heading().join("\n");
    text.push_str("\n\n");
    let mut header: Vec<String> = r.by.iter().map(|d| esc(d)).collect();
    if header.is_empty() {
        header.push(String::new());
    }
    let dims = header.len();
    header.extend(r.columns.iter().map(|c| esc(c)));
    text.push_str(&format!("| {} |\n", header.join(" | ")));
    let align: Vec<&str> = (0..header.len())
        .map(|i| if i < dims { "---" } else { "---:" })
        .collect();
    text.push_str(&format!("|{}|\n", align.join("|")));
    let line = |key: &[String], cells: &[Shown], bold: bool| -> String {
        let mut cols: Vec<String> = key.iter().map(|k| esc(k)).collect();
        if cols.is_empty() {
            cols.push(String::new());
        }
        if bold {
            cols[0] = format!("**{}**", cols[0]);
        }
        cols.extend(cells.iter().map(|&c| esc(&r.cell(c))));
        format!("| {} |\n", cols.join(" | "))
    };
    for (key, cells) in &r.rows {
        text.push_str(&line(key, cells, false));
    }
    text.push_str(&line(&r.total_key(), &r.totals, true));
    if !r.footnotes.is_empty() {
        text.push('\n');
        for f in &r.footnotes {
            text.push_str(&format!("- {}\n", esc(f)));
        }
    }
    text
}

//! JSONL: one `IncidentRecord` per line, the lossless format (DESIGN §4).
//! Reading streams line by line with a bound on line length; writing is one
//! `serde_json` line per record, so field names equal the JSON of `show`.

use std::io::{BufRead, BufReader, Read, Write};

use anyhow::Result;

use super::{Item, RowError};
use crate::model::IncidentRecord;

/// The longest line accepted, in bytes.
pub const MAX_LINE: u64 = 64 << 20;

/// Reads JSONL, one record per line (row N is line N); blank lines are
/// passed over.
pub fn read(input: impl Read, sink: &mut dyn FnMut(Item) -> Result<()>) -> Result<()> {
    let mut reader = BufReader::new(input);
    let mut line = Vec::new();
    let mut row = 0;
    loop {
        line.clear();
        row += 1;
        let n = (&mut reader)
            .take(MAX_LINE + 1)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(());
        }
        if n as u64 > MAX_LINE {
            sink(Item::Invalid(RowError {
                row,
                column: None,
                message: format!(
                    "the line is longer than {} MiB (accepted: one incident per line)",
                    MAX_LINE >> 20
                ),
            }))?;
            return Ok(());
        }
        let mut bytes = &line[..];
        if row == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                sink(Item::Invalid(RowError {
                    row,
                    column: None,
                    message: format!(
                        "invalid UTF-8 at byte {} of the line (save the file as UTF-8)",
                        e.valid_up_to() + 1
                    ),
                }))?;
                continue;
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<IncidentRecord>(text) {
            Ok(record) => sink(Item::Record {
                row,
                record: Box::new(record),
            })?,
            Err(e) => sink(Item::Invalid(RowError {
                row,
                column: None,
                message: json_message(&e),
            }))?,
        }
    }
}

/// serde's message without its "at line 1 column N" tail (the row is
/// given already), but with the column kept for long lines.
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => format!("{} (at character {})", &text[..i], e.column()),
        None => text,
    }
}

/// Writes one record as one line.
pub fn write_record(out: &mut dyn Write, rec: &IncidentRecord) -> Result<()> {
    serde_json::to_writer(&mut *out, rec)?;
    out.write_all(b"\n")?;
    Ok(())
}

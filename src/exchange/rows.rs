//! The strict CSV reading the monitor importers share (CPJ, USPFT).
//!
//! What must stay true: rows are numbered as a spreadsheet numbers them
//! (header = row 1, first record = row 2, a record with line breaks inside
//! a field is still one row); a ragged row, a NUL or an over-long field is
//! reported for that row and reading goes on; invalid UTF-8 and I/O errors
//! stop reading with an error that names the row. Memory stays flat: one
//! record is held at a time, and no physical line may exceed
//! [`MAX_FIELD`], so a file without line breaks cannot fill memory.

use std::collections::HashMap;
use std::io::{self, Read};

use anyhow::{anyhow, Result};
use uuid::Uuid;

use super::RowError;

/// The longest field (and physical line) accepted: 1 MiB.
pub const MAX_FIELD: usize = 1 << 20;

/// The namespace of every uid the monitor importers derive (UUID v5), so a
/// re-import of the same case gives the same uids.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x6f1c_2a57_0b3e_4d8a_9c41_5e2f_7a90_b3d1);

/// A uid derived from `key`.
pub fn uid(key: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, key.as_bytes())
}

/// A uid for a part of a record (`"victim/1"`), derived from its incident's.
pub fn part_uid(incident: &Uuid, part: &str) -> Uuid {
    Uuid::new_v5(incident, part.as_bytes())
}

/// One record's fields, found by column name.
pub struct Row<'a> {
    pub row: usize,
    columns: &'a HashMap<String, usize>,
    fields: Vec<&'a str>,
}

impl<'a> Row<'a> {
    /// The field of `column`, or "" when the file has no such column.
    pub fn get(&self, column: &str) -> &'a str {
        self.columns
            .get(column)
            .and_then(|&i| self.fields.get(i).copied())
            .unwrap_or("")
    }

    /// An error about `column` of this row.
    pub fn error(&self, column: &str, message: String) -> RowError {
        RowError {
            row: self.row,
            column: Some(column.to_string()),
            message,
        }
    }
}

/// Fails a physical line longer than [`MAX_FIELD`] before it is buffered.
struct LineCap<R> {
    inner: R,
    line: usize,
}

impl<R: Read> Read for LineCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            if b == b'\n' {
                self.line = 0;
            } else {
                self.line += 1;
                if self.line > MAX_FIELD {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("a line is longer than {MAX_FIELD} bytes (the limit of one field)"),
                    ));
                }
            }
        }
        Ok(n)
    }
}

/// Reads `input` as CSV with a header, checks the header with `header`
/// (which returns an error message for a header it cannot take) and hands
/// each record to `each`; rows `each` rejects, and malformed rows, become
/// `Item::Invalid` through `invalid`.
pub fn read_csv(
    input: impl Read,
    header: &dyn Fn(&[String]) -> Result<(), RowError>,
    each: &mut dyn FnMut(&Row<'_>) -> Result<()>,
    invalid: &mut dyn FnMut(RowError) -> Result<()>,
) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(LineCap {
            inner: input,
            line: 0,
        });
    let mut record = csv::ByteRecord::new();
    let mut columns: HashMap<String, usize> = HashMap::new();
    let mut row = 0usize;
    loop {
        row += 1;
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => match e.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => {
                    invalid(RowError {
                        row,
                        column: None,
                        message: format!(
                            "the row has {len} fields, the header has {expected_len} \
                             (accepted: one field per header column)"
                        ),
                    })?;
                    continue;
                }
                csv::ErrorKind::Io(_) => return Err(anyhow!("row {row}: cannot read: {e}")),
                _ => return Err(anyhow!("row {row}: {e}")),
            },
        }
        let mut fields = Vec::with_capacity(record.len());
        for (i, bytes) in record.iter().enumerate() {
            let text = std::str::from_utf8(bytes).map_err(|_| {
                anyhow!(
                    "row {row}: field {} is not valid UTF-8 (accepted: UTF-8 text)",
                    i + 1
                )
            })?;
            fields.push(text);
        }
        if row == 1 {
            let mut names: Vec<String> = fields.iter().map(|s| s.to_string()).collect();
            if let Some(first) = names.first_mut() {
                if let Some(rest) = first.strip_prefix('\u{feff}') {
                    *first = rest.to_string();
                }
            }
            header(&names).map_err(|e| anyhow!("{e}"))?;
            for (i, name) in names.iter().enumerate() {
                if columns.insert(name.clone(), i).is_some() {
                    return Err(anyhow!("row 1: column '{name}' appears twice"));
                }
            }
            continue;
        }
        let bad = |name: &str, message: String| RowError {
            row,
            column: Some(name.to_string()),
            message,
        };
        let mut problem = None;
        for (name, &i) in &columns {
            let text = fields.get(i).copied().unwrap_or("");
            if text.contains('\0') {
                problem = Some(bad(
                    name,
                    "contains a NUL character (accepted: text without NUL)".into(),
                ));
            } else if text.len() > MAX_FIELD {
                problem = Some(bad(
                    name,
                    format!(
                        "is {} bytes long (accepted: at most {MAX_FIELD})",
                        text.len()
                    ),
                ));
            }
        }
        if let Some(p) = problem {
            invalid(p)?;
            continue;
        }
        each(&Row {
            row,
            columns: &columns,
            fields,
        })?;
    }
    Ok(())
}

/// Checks a header: every column must be known, the required ones present.
pub fn check_header(
    names: &[String],
    required: &[&str],
    optional: &[&str],
) -> Result<(), RowError> {
    for name in names {
        if !required.contains(&name.as_str()) && !optional.contains(&name.as_str()) {
            return Err(RowError {
                row: 1,
                column: Some(name.clone()),
                message: format!(
                    "unknown column '{name}' (accepted: {})",
                    required
                        .iter()
                        .chain(optional)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
    }
    for want in required {
        if !names.iter().any(|n| n == want) {
            return Err(RowError {
                row: 1,
                column: Some((*want).to_string()),
                message: format!("the header lacks the required column '{want}'"),
            });
        }
    }
    Ok(())
}

/// Finds `value` in `table` (exactly, or ignoring case when asked), or
/// an error message listing the accepted values.
pub fn pick<T: Copy>(
    column: &str,
    value: &str,
    table: &[(&str, T)],
    ignore_case: bool,
) -> Result<T, String> {
    table
        .iter()
        .find(|(k, _)| {
            if ignore_case {
                k.eq_ignore_ascii_case(value)
            } else {
                *k == value
            }
        })
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let mut names: Vec<&str> = Vec::new();
            for (k, _) in table {
                let shown = if k.is_empty() { "(empty)" } else { k };
                if !names.iter().any(|n| n.eq_ignore_ascii_case(shown)) {
                    names.push(shown);
                }
            }
            format!(
                "unknown {column} '{value}' (accepted: {})",
                names.join(", ")
            )
        })
}

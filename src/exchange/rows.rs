//! The strict CSV reading the monitor importers share (CPJ, USPFT).
//!
//! What must stay true: rows are numbered as a spreadsheet numbers them
//! (header = row 1, first record = row 2, a record with line breaks inside
//! a field is still one row); a ragged row, a control character (NUL…) or
//! an over-long field is
//! reported for that row and reading goes on; invalid UTF-8 and I/O errors
//! stop reading with an error that names the row. Memory stays flat: one
//! record is held at a time, and no physical line may exceed
//! [`MAX_FIELD`], so a file without line breaks cannot fill memory.

use std::cell::Cell;
use std::collections::HashMap;
use std::io::{self, Read};
use std::rc::Rc;

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

/// The longest record accepted before reading stops (16 MiB): a quote left
/// open must not pull the rest of a large file into memory.
pub const MAX_RECORD: u64 = 16 << 20;

/// Watches the bytes going into the CSV parser: fails a physical line
/// longer than [`MAX_FIELD`] or a record longer than [`MAX_RECORD`] before
/// they are buffered, and counts quote characters (an odd count at the end
/// means a quote was never closed).
struct Guard<R> {
    inner: R,
    line: usize,
    quotes: Rc<Cell<u64>>,
    pending: Rc<Cell<u64>>,
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pending.get() > MAX_RECORD {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "a record is longer than {} MiB (is a quote left open?)",
                    MAX_RECORD >> 20
                ),
            ));
        }
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            if b == b'"' {
                self.quotes.set(self.quotes.get() + 1);
            }
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
        self.pending.set(self.pending.get() + n as u64);
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
    let quotes = Rc::new(Cell::new(0u64));
    let pending = Rc::new(Cell::new(0u64));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(Guard {
            inner: input,
            line: 0,
            quotes: quotes.clone(),
            pending: pending.clone(),
        });
    let mut record = csv::ByteRecord::new();
    let mut columns: HashMap<String, usize> = HashMap::new();
    let mut row = 0usize;
    loop {
        row += 1;
        let read = reader.read_byte_record(&mut record);
        // The parser reads ahead; what it holds unparsed is at most a buffer.
        pending.set(0);
        match read {
            Ok(false) => {
                if row == 1 {
                    return Err(anyhow!(
                        "row 1: the file is empty (a CSV file starts with a header row)"
                    ));
                }
                if quotes.get() % 2 == 1 {
                    return Err(anyhow!(
                        "row {}: a quote is opened and never closed \
                         (accepted: quotes in pairs, as RFC 4180 says)",
                        row.saturating_sub(1).max(1)
                    ));
                }
                break;
            }
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
            if let Some(c) = text
                .chars()
                .find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            {
                problem = Some(bad(
                    name,
                    format!(
                        "contains the control character U+{:04X} (accepted: text without \
                         control characters other than tab and line breaks)",
                        c as u32
                    ),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &[u8]) -> (Vec<String>, Result<()>) {
        let mut seen = Vec::new();
        let mut bad = Vec::new();
        let result = read_csv(
            input,
            &|_| Ok(()),
            &mut |row| {
                seen.push(format!("{}:{}", row.row, row.get("b")));
                Ok(())
            },
            &mut |e| {
                bad.push(e.to_string());
                Ok(())
            },
        );
        seen.extend(bad);
        (seen, result)
    }

    #[test]
    fn rows_are_numbered_like_a_spreadsheet_across_line_breaks() {
        let (seen, result) = run(b"a,b\r\n1,\"x\r\ny\"\n2,z\n");
        result.unwrap();
        assert_eq!(seen, vec!["2:x\r\ny", "3:z"]);
    }

    #[test]
    fn an_empty_file_is_an_error() {
        let (_, result) = run(b"");
        assert_eq!(
            result.unwrap_err().to_string(),
            "row 1: the file is empty (a CSV file starts with a header row)"
        );
    }

    #[test]
    fn an_open_quote_stops_reading_with_the_row() {
        let (_, result) = run(b"a,b\n1,2\n3,\"4\n5,6\n");
        assert_eq!(
            result.unwrap_err().to_string(),
            "row 3: a quote is opened and never closed (accepted: quotes in pairs, as RFC 4180 says)"
        );
    }

    #[test]
    fn an_over_long_line_stops_reading() {
        let mut input = b"a,b\n1,".to_vec();
        input.extend(std::iter::repeat_n(b'x', MAX_FIELD + 10));
        let (_, result) = run(&input);
        let err = result.unwrap_err().to_string();
        assert!(err.starts_with("row 2: "), "{err}");
        assert!(err.contains("a line is longer than 1048576 bytes"), "{err}");
    }

    proptest::proptest! {
        /// No input makes an importer panic: it reads, or says why not.
        #[test]
        fn importers_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..600)) {
            let _ = crate::exchange::cpj::read(bytes.as_slice(), &mut |_| Ok(()));
            let _ = crate::exchange::uspft::read(bytes.as_slice(), &mut |_| Ok(()));
        }

        /// Rows made of CPJ-like values around a real header never panic
        /// either, and each row gives exactly one item.
        #[test]
        fn cpj_rows_give_one_item_each(
            cells in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "", "2007", "N/A", "Murder", "Confirmed", "Journalist", "Yes",
                        "Iraq", "\"a, b\"", "\u{0}", "Killed", "1e9", "Israel and the Occupied Palestinian Territory",
                    ]),
                    42,
                ),
                0..6,
            )
        ) {
            let mut text = String::from(CPJ_HEADER);
            for row in &cells {
                text.push_str("\r\n");
                text.push_str(&row.join(","));
            }
            let mut n = 0;
            crate::exchange::cpj::read(text.as_bytes(), &mut |_| { n += 1; Ok(()) }).unwrap();
            proptest::prop_assert_eq!(n, cells.len());
        }
    }

    const CPJ_HEADER: &str = "year,combinedStatus,fullName,sortName,primaryNationality,secondaryNationality,tertiaryNationality,gender,type,lastStatus,typeOfDeath,status,employedAs,organizations,jobs,coverage,mediums,country,location,region,state,locality,province,localOrForeign,sourcesOfFire,motiveConfirmed,accountabilityCrossfire,accountabilityAssignment,impunityMurder,tortured,captive,threatened,charges,motive,lengthOfSentence,healthProblems,impCountry,entry,sentenceDate,sentence,locationImprisoned,Type of journalist";

    #[test]
    fn a_bom_is_not_part_of_the_first_column() {
        let mut names = Vec::new();
        read_csv(
            "\u{feff}a,b\n1,2\n".as_bytes(),
            &|n| {
                assert_eq!(n, ["a", "b"]);
                Ok(())
            },
            &mut |row| {
                names.push(row.get("a").to_string());
                Ok(())
            },
            &mut |_| Ok(()),
        )
        .unwrap();
        assert_eq!(names, ["1"]);
    }
}

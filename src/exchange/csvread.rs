//! Strict, bounded CSV reading for every CSV importer (SECURITY R19).
//!
//! The csv crate alone is lenient: it has no field-size limit, lets an
//! unterminated quote swallow the rest of a file, and accepts NUL bytes.
//! `CsvReader` wraps it so that each of these is refused with the row and
//! the reason:
//! * a BOM is accepted (the csv crate strips it from the header);
//! * CRLF, LF and newlines inside quoted fields are read as RFC 4180 says;
//! * a row with more or fewer fields than the header is an error;
//! * invalid UTF-8 and NUL bytes are errors naming the row and column;
//! * a field longer than `MAX_FIELD` bytes is an error naming row and
//!   column, and a record longer than `MAX_RECORD` bytes stops the read
//!   before it can fill memory;
//! * a quote that is never closed is an error (detected by counting quote
//!   characters: a well-formed file has an even number of them).
//!
//! Rows are numbered as a spreadsheet numbers them: the header is row 1, the
//! first record row 2, whatever newlines quoted fields hold.

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

use super::RowError;

/// The longest field accepted, in bytes (1 MiB: far above any summary or
/// HTML body in the monitors' exports).
pub const MAX_FIELD: usize = 1 << 20;

/// The longest record accepted, in bytes, before the reader stops.
pub const MAX_RECORD: u64 = 16 << 20;

/// Counts what passes through: quote characters (for unterminated quotes)
/// and bytes since the last complete record (for the record cap).
struct Counting<R> {
    inner: R,
    quotes: Rc<Cell<u64>>,
    pending: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pending.get() > MAX_RECORD {
            return Err(io::Error::other(format!(
                "a record is longer than {} MiB (is a quote left open?)",
                MAX_RECORD >> 20
            )));
        }
        let n = self.inner.read(buf)?;
        let q = buf[..n].iter().filter(|&&b| b == b'"').count() as u64;
        self.quotes.set(self.quotes.get() + q);
        self.pending.set(self.pending.get() + n as u64);
        Ok(n)
    }
}

/// One record: its spreadsheet row number and its fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub row: usize,
    pub fields: Vec<String>,
}

/// A strict CSV reader (see the module documentation).
pub struct CsvReader<R: Read> {
    reader: csv::Reader<Counting<R>>,
    headers: Vec<String>,
    record: csv::ByteRecord,
    quotes: Rc<Cell<u64>>,
    pending: Rc<Cell<u64>>,
    /// The row of the last record read (1: the header).
    row: usize,
    done: bool,
}

impl<R: Read> CsvReader<R> {
    /// Reads the header row. An empty input is an error.
    pub fn new(input: R) -> Result<Self, RowError> {
        let quotes = Rc::new(Cell::new(0));
        let pending = Rc::new(Cell::new(0));
        let counting = Counting {
            inner: input,
            quotes: quotes.clone(),
            pending: pending.clone(),
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .has_headers(true)
            .from_reader(counting);
        let raw = reader.byte_headers().map_err(|e| csv_error(e, 1))?.clone();
        if raw.is_empty() || (raw.len() == 1 && raw[0].is_empty()) {
            return Err(RowError {
                row: 1,
                column: None,
                message: "the file is empty (a CSV file starts with a header row)".into(),
            });
        }
        let mut headers = Vec::with_capacity(raw.len());
        for (i, field) in raw.iter().enumerate() {
            headers.push(text(field, 1, &format!("{}", i + 1))?);
        }
        Ok(CsvReader {
            reader,
            headers,
            record: csv::ByteRecord::new(),
            quotes,
            pending,
            row: 1,
            done: false,
        })
    }

    /// The header's column names.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The next record, an error for one bad row (reading goes on), or None
    /// at the end. After an error that leaves the rest of the file
    /// unreadable (an open quote, an I/O failure) the reader stops.
    pub fn next_row(&mut self) -> Option<Result<Row, RowError>> {
        if self.done {
            return None;
        }
        match self.reader.read_byte_record(&mut self.record) {
            Ok(true) => {
                self.pending.set(0);
                self.row += 1;
                Some(self.decode())
            }
            Ok(false) => {
                self.done = true;
                if self.quotes.get() % 2 == 1 {
                    return Some(Err(RowError {
                        row: self.row.max(2),
                        column: None,
                        message: "a quoted field is never closed (unterminated '\"'); \
                                  the rest of the file would be read into it"
                            .into(),
                    }));
                }
                None
            }
            Err(e) => {
                self.row += 1;
                let fatal = !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. });
                if fatal {
                    self.done = true;
                }
                self.pending.set(0);
                Some(Err(csv_error(e, self.row)))
            }
        }
    }

    fn decode(&self) -> Result<Row, RowError> {
        let mut fields = Vec::with_capacity(self.record.len());
        for (i, field) in self.record.iter().enumerate() {
            let column = self
                .headers
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("{}", i + 1));
            fields.push(text(field, self.row, &column)?);
        }
        Ok(Row {
            row: self.row,
            fields,
        })
    }
}

/// A field as text, refusing what no importer should accept.
fn text(field: &[u8], row: usize, column: &str) -> Result<String, RowError> {
    let err = |message: String| RowError {
        row,
        column: Some(column.to_string()),
        message,
    };
    if field.len() > MAX_FIELD {
        return Err(err(format!(
            "the field is {} bytes long (accepted: at most {} bytes)",
            field.len(),
            MAX_FIELD
        )));
    }
    if field.contains(&0) {
        return Err(err("the field holds a NUL byte".into()));
    }
    match std::str::from_utf8(field) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err(err(format!(
            "invalid UTF-8 at byte {} of the field (save the file as UTF-8)",
            e.valid_up_to() + 1
        ))),
    }
}

fn csv_error(e: csv::Error, row: usize) -> RowError {
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("the row has {len} fields but the header has {expected_len}"),
        csv::ErrorKind::Io(io) => format!("cannot read the file: {io}"),
        csv::ErrorKind::Utf8 { err, .. } => format!("invalid UTF-8: {err}"),
        _ => format!("cannot read the row: {e}"),
    };
    RowError {
        row,
        column: None,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(input: &[u8]) -> Vec<Result<Row, RowError>> {
        let mut r = match CsvReader::new(input) {
            Ok(r) => r,
            Err(e) => return vec![Err(e)],
        };
        let mut out = Vec::new();
        while let Some(x) = r.next_row() {
            out.push(x);
        }
        out
    }

    fn errors(input: &[u8]) -> Vec<String> {
        read_all(input)
            .into_iter()
            .filter_map(|r| r.err().map(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn bom_crlf_and_quoted_newlines_are_read() {
        let rows = read_all(b"\xEF\xBB\xBFa,b\r\n1,\"x\r\ny\"\r\n2,\"say \"\"hi\"\"\"\r\n");
        let rows: Vec<Row> = rows.into_iter().map(|r| r.unwrap()).collect();
        assert_eq!(
            rows,
            vec![
                Row {
                    row: 2,
                    fields: vec!["1".into(), "x\r\ny".into()]
                },
                Row {
                    row: 3,
                    fields: vec!["2".into(), "say \"hi\"".into()]
                },
            ]
        );
        let r = CsvReader::new(&b"\xEF\xBB\xBFa,b\n"[..]).unwrap();
        assert_eq!(r.headers(), ["a", "b"]);
    }

    #[test]
    fn ragged_rows_are_refused_with_their_row() {
        assert_eq!(
            errors(b"a,b\n1,2\n1,2,3\n4\n5,6\n"),
            [
                "row 3: the row has 3 fields but the header has 2",
                "row 4: the row has 1 fields but the header has 2"
            ]
        );
    }

    #[test]
    fn an_unterminated_quote_is_refused() {
        assert_eq!(
            errors(b"a,b\n1,2\n3,\"open\n4,5\n"),
            ["row 3: a quoted field is never closed (unterminated '\"'); the rest of the file would be read into it"]
        );
    }

    #[test]
    fn invalid_utf8_and_nul_are_refused_with_row_and_column() {
        assert_eq!(
            errors(b"a,b\n1,caf\xE9\n2,x\x00y\n"),
            [
                "row 2, column b: invalid UTF-8 at byte 4 of the field (save the file as UTF-8)",
                "row 3, column b: the field holds a NUL byte"
            ]
        );
    }

    #[test]
    fn oversized_fields_are_refused() {
        let mut input = b"a,b\n1,".to_vec();
        input.extend(std::iter::repeat_n(b'x', MAX_FIELD + 1));
        input.extend(b"\n2,ok\n");
        assert_eq!(
            errors(&input),
            ["row 2, column b: the field is 1048577 bytes long (accepted: at most 1048576 bytes)"]
        );
    }

    #[test]
    fn a_runaway_record_stops_the_read() {
        let mut input = b"a,b\n1,".to_vec();
        input.extend(std::iter::repeat_n(b'x', (MAX_RECORD + 100_000) as usize));
        let errs = errors(&input);
        assert_eq!(errs.len(), 1);
        assert!(errs[0].starts_with("row 2: cannot read the file: a record is longer than 16 MiB"));
    }

    #[test]
    fn an_empty_file_is_refused() {
        assert_eq!(
            errors(b""),
            ["row 1: the file is empty (a CSV file starts with a header row)"]
        );
    }
}

//! The one CSV reader: strict and bounded (SECURITY R19), for every CSV
//! format (native, CPJ, USPFT), with one set of messages.
//!
//! The csv crate is lenient where an importer must not be: a quote inside
//! an unquoted field is taken as text, an unterminated quote swallows the
//! rest of the file, a field has no size limit. So this module parses RFC
//! 4180 itself, as a byte-at-a-time state machine over a buffered reader.
//!
//! What must stay true:
//! * rows are numbered as a spreadsheet numbers them: the header is row 1,
//!   the first record row 2, whatever line breaks quoted fields hold; a
//!   blank line is no record but counts as a row;
//! * a byte-order mark is accepted; CRLF, LF and line breaks inside quoted
//!   fields are read as RFC 4180 says;
//! * a problem inside a row (a quote inside an unquoted field, text after a
//!   closing quote, invalid UTF-8, a control character, a field over
//!   [`MAX_FIELD`], a ragged row) is an error for that row, naming the
//!   first bad column in header order, and reading goes on;
//! * a quote never closed, a record over [`MAX_RECORD`], a file over
//!   [`MAX_FILE`] or an I/O failure is an error that stops reading (the
//!   rest of the file cannot be read as rows);
//! * memory stays flat: one record at a time, each field held only up to
//!   its cap.
//!
//! Cells pass through the free-text rule of `validate` (the one rule for
//! every input path); `validate` applies it again, field by field, to the
//! records an importer builds.

use std::io::{BufRead, BufReader, Read};

use super::RowError;
use crate::validate;

/// The longest field accepted, in bytes: the free-text cap of `validate`.
pub const MAX_FIELD: usize = validate::MAX_TEXT;

/// The longest record accepted, in bytes (16 MiB), before reading stops:
/// a quote left open must not pull the rest of a large file into memory.
pub const MAX_RECORD: usize = 16 << 20;

/// The largest file accepted, in bytes (4 GiB: a million-act export is well
/// under it).
pub const MAX_FILE: u64 = 4 << 30;

/// How to write a quote inside a field, for messages.
const QUOTING: &str = "accepted: the whole field in quotes, each quote inside it doubled";

/// The caps a reader enforces (the constants above; smaller in tests).
#[derive(Clone, Copy, Debug)]
pub struct Caps {
    pub field: usize,
    pub record: usize,
    pub file: u64,
}

impl Default for Caps {
    fn default() -> Self {
        Caps {
            field: MAX_FIELD,
            record: MAX_RECORD,
            file: MAX_FILE,
        }
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
    input: BufReader<R>,
    caps: Caps,
    headers: Vec<String>,
    /// The row of the last record read (1: the header).
    row: usize,
    /// Bytes read so far (for the file cap).
    read: u64,
    /// The last record ended with CR: a LF right after it belongs to it.
    after_cr: bool,
    done: bool,
}

/// A record as parsed, before decoding.
struct Raw {
    fields: Vec<Vec<u8>>,
    /// The byte length of each field (a field over the cap is not kept
    /// whole).
    lengths: Vec<usize>,
    /// The first quoting problem of the record, by column index.
    quoting: Option<(usize, &'static str)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field.
    Start,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: closing, or the first of a pair.
    QuoteInQuoted,
}

impl<R: Read> CsvReader<R> {
    /// Reads the header row. An empty input, or a header that is not
    /// clean text with each column once, is an error.
    pub fn new(input: R) -> Result<Self, RowError> {
        Self::with_caps(input, Caps::default())
    }

    /// As `new`, with other caps (for tests of the caps).
    pub fn with_caps(input: R, caps: Caps) -> Result<Self, RowError> {
        let mut reader = CsvReader {
            input: BufReader::with_capacity(64 * 1024, input),
            caps,
            headers: Vec::new(),
            row: 0,
            read: 0,
            after_cr: false,
            done: false,
        };
        reader.skip_bom()?;
        let raw = match reader.raw_record()? {
            Some(raw) if !(raw.fields.len() == 1 && raw.lengths[0] == 0) => raw,
            _ => {
                return Err(RowError {
                    row: 1,
                    column: None,
                    message: "the file is empty (a CSV file starts with a header row)".into(),
                })
            }
        };
        let names: Vec<String> = (1..=raw.fields.len()).map(|i| i.to_string()).collect();
        let headers = decode(raw, reader.row, &names, &caps)?;
        for (i, name) in headers.iter().enumerate() {
            if headers[..i].contains(name) {
                return Err(RowError {
                    row: reader.row,
                    column: Some(name.clone()),
                    message: "the column appears twice (accepted: each column once)".into(),
                });
            }
        }
        reader.headers = headers;
        Ok(reader)
    }

    /// The header's column names.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The next record, an error for one bad row (reading goes on), or None
    /// at the end. After an error that leaves the rest of the file
    /// unreadable the reader stops.
    pub fn next_row(&mut self) -> Option<Result<Row, RowError>> {
        if self.done {
            return None;
        }
        let raw = match self.raw_record() {
            Ok(Some(raw)) => raw,
            Ok(None) => {
                self.done = true;
                return None;
            }
            Err(e) => {
                self.done = true;
                return Some(Err(e));
            }
        };
        let row = self.row;
        if raw.fields.len() != self.headers.len() && raw.quoting.is_none() {
            return Some(Err(RowError {
                row,
                column: None,
                message: format!(
                    "the row has {} fields, the header has {} (accepted: one field per header column)",
                    raw.fields.len(),
                    self.headers.len()
                ),
            }));
        }
        Some(decode(raw, row, &self.headers, &self.caps).map(|fields| Row { row, fields }))
    }

    fn skip_bom(&mut self) -> Result<(), RowError> {
        let head = self.input.fill_buf().map_err(|e| io_error(&e, 1))?;
        if head.starts_with(b"\xEF\xBB\xBF") {
            self.input.consume(3);
            self.read = 3;
        }
        Ok(())
    }

    /// The column name for error messages: the header's, or the position
    /// of a field beyond it.
    fn column(&self, i: usize) -> String {
        self.headers
            .get(i)
            .cloned()
            .unwrap_or_else(|| (i + 1).to_string())
    }

    /// Parses the next record (a blank line is counted, not returned), or
    /// None at the end.
    fn raw_record(&mut self) -> Result<Option<Raw>, RowError> {
        let mut row = self.row + 1;
        let mut raw = Raw {
            fields: Vec::new(),
            lengths: Vec::new(),
            quoting: None,
        };
        let mut field: Vec<u8> = Vec::new();
        let mut length = 0usize;
        let mut state = State::Start;
        let mut record = 0usize;
        loop {
            let buf = match self.input.fill_buf() {
                Ok(buf) => buf,
                Err(e) => return Err(io_error(&e, row)),
            };
            if buf.is_empty() {
                // The end of the input.
                if state == State::Quoted {
                    return Err(self.open_quote(row, raw.fields.len()));
                }
                if raw.fields.is_empty() && state == State::Start {
                    return Ok(None);
                }
                raw.fields.push(field);
                raw.lengths.push(length);
                self.row = row;
                return Ok(Some(raw));
            }
            let mut used = 0;
            let mut end = false;
            while used < buf.len() {
                // A run of ordinary bytes inside a field is taken at once
                // (byte by byte, reading took a third longer).
                let plain = match state {
                    State::Quoted => buf[used..].iter().position(|&b| b == b'"'),
                    State::Unquoted => buf[used..]
                        .iter()
                        .position(|&b| matches!(b, b',' | b'\n' | b'\r' | b'"')),
                    _ => Some(0),
                }
                .unwrap_or(buf.len() - used)
                .min(self.caps.record + 1 - record);
                if plain > 0 {
                    let room = (self.caps.field + 1).saturating_sub(field.len());
                    field.extend_from_slice(&buf[used..used + plain.min(room)]);
                    length += plain;
                    record += plain;
                    used += plain;
                    if record > self.caps.record {
                        break;
                    }
                    continue;
                }
                let b = buf[used];
                used += 1;
                if self.after_cr {
                    self.after_cr = false;
                    if b == b'\n' {
                        continue;
                    }
                }
                record += 1;
                let column = raw.fields.len();
                let mut keep = true;
                match (state, b) {
                    (State::Start, b'"') => {
                        state = State::Quoted;
                        keep = false;
                    }
                    (State::Quoted, b'"') => {
                        state = State::QuoteInQuoted;
                        keep = false;
                    }
                    (State::QuoteInQuoted, b'"') => state = State::Quoted,
                    (State::Quoted, _) => {}
                    (_, b',') => {
                        raw.fields.push(std::mem::take(&mut field));
                        raw.lengths.push(length);
                        length = 0;
                        state = State::Start;
                        keep = false;
                    }
                    (_, b'\n' | b'\r') => {
                        self.after_cr = b == b'\r';
                        if state == State::Start && raw.fields.is_empty() {
                            // A blank line: no record, but a row, as a
                            // spreadsheet shows it.
                            row += 1;
                            record = 0;
                            continue;
                        }
                        end = true;
                        break;
                    }
                    (State::Start, _) => state = State::Unquoted,
                    (State::Unquoted, b'"') => {
                        raw.quoting
                            .get_or_insert((column, "a quote inside an unquoted field"));
                    }
                    (State::Unquoted, _) => {}
                    (State::QuoteInQuoted, _) => {
                        raw.quoting
                            .get_or_insert((column, "text after the closing quote"));
                        state = State::Unquoted;
                    }
                }
                if keep {
                    length += 1;
                    // Past the cap the field is only counted, not kept.
                    if field.len() <= self.caps.field {
                        field.push(b);
                    }
                }
                if record > self.caps.record {
                    break;
                }
            }
            self.input.consume(used);
            self.read += used as u64;
            if self.read > self.caps.file {
                return Err(RowError {
                    row,
                    column: None,
                    message: format!(
                        "the file is larger than {} (accepted: at most that; split it into several files)",
                        size(self.caps.file)
                    ),
                });
            }
            if record > self.caps.record {
                if state == State::Quoted {
                    return Err(self.open_quote(row, raw.fields.len()));
                }
                return Err(RowError {
                    row,
                    column: None,
                    message: format!(
                        "the record is longer than {} (accepted: at most that)",
                        size(self.caps.record as u64)
                    ),
                });
            }
            if end {
                raw.fields.push(field);
                raw.lengths.push(length);
                self.row = row;
                return Ok(Some(raw));
            }
        }
    }

    /// The error for a quote opened in `column` of `row` and never closed.
    fn open_quote(&self, row: usize, column: usize) -> RowError {
        RowError {
            row,
            column: Some(self.column(column)),
            message: "a quote is opened and never closed; the rest of the file would be read \
                      into this field (accepted: quotes in pairs, as RFC 4180 says)"
                .into(),
        }
    }
}

/// Turns a parsed record into text, or the error for its first bad column
/// (in header order).
fn decode(raw: Raw, row: usize, names: &[String], caps: &Caps) -> Result<Vec<String>, RowError> {
    let quoting = raw.quoting;
    let mut out = Vec::with_capacity(raw.fields.len());
    for (i, (bytes, length)) in raw.fields.into_iter().zip(raw.lengths).enumerate() {
        let err = |message: String| RowError {
            row,
            column: Some(names.get(i).cloned().unwrap_or_else(|| (i + 1).to_string())),
            message,
        };
        if let Some((column, problem)) = quoting {
            if column == i {
                return Err(err(format!("{problem} ({QUOTING})")));
            }
        }
        if length > caps.field {
            return Err(err(format!(
                "the field is {length} bytes long (accepted: at most {} bytes)",
                caps.field
            )));
        }
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                return Err(err(format!(
                    "invalid UTF-8 at byte {} of the field (save the file as UTF-8)",
                    e.utf8_error().valid_up_to() + 1
                )))
            }
        };
        if let Some(problem) = validate::text_problem(&text) {
            return Err(err(format!("the field {problem}")));
        }
        out.push(text);
    }
    Ok(out)
}

fn io_error(e: &std::io::Error, row: usize) -> RowError {
    RowError {
        row,
        column: None,
        message: format!("cannot read the file: {e}"),
    }
}

/// A size in MiB or GiB, for messages.
fn size(bytes: u64) -> String {
    if bytes >= 1 << 30 && bytes.is_multiple_of(1 << 30) {
        format!("{} GiB", bytes >> 30)
    } else if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_with(input: &[u8], caps: Caps) -> Vec<Result<Row, RowError>> {
        let mut r = match CsvReader::with_caps(input, caps) {
            Ok(r) => r,
            Err(e) => return vec![Err(e)],
        };
        let mut out = Vec::new();
        while let Some(x) = r.next_row() {
            out.push(x);
        }
        out
    }

    fn read_all(input: &[u8]) -> Vec<Result<Row, RowError>> {
        read_with(input, Caps::default())
    }

    fn errors(input: &[u8]) -> Vec<String> {
        read_all(input)
            .into_iter()
            .filter_map(|r| r.err().map(|e| e.to_string()))
            .collect()
    }

    fn rows(input: &[u8]) -> Vec<(usize, Vec<String>)> {
        read_all(input)
            .into_iter()
            .map(|r| {
                let r = r.unwrap_or_else(|e| panic!("{e}"));
                (r.row, r.fields)
            })
            .collect()
    }

    #[test]
    fn bom_crlf_and_quoted_newlines_are_read() {
        assert_eq!(
            rows(b"\xEF\xBB\xBFa,b\r\n1,\"x\r\ny\"\r\n2,\"say \"\"hi\"\"\"\r\n"),
            vec![
                (2, vec!["1".to_string(), "x\r\ny".to_string()]),
                (3, vec!["2".to_string(), "say \"hi\"".to_string()]),
            ]
        );
        let r = CsvReader::new(&b"\xEF\xBB\xBFa,b\n"[..]).unwrap();
        assert_eq!(r.headers(), ["a", "b"]);
    }

    #[test]
    fn blank_lines_empty_fields_and_a_missing_last_newline() {
        assert_eq!(
            rows(b"a,b\n\n1,\n,\"\"\r\n\r\n3,4"),
            vec![
                (3, vec!["1".to_string(), String::new()]),
                (4, vec![String::new(), String::new()]),
                (6, vec!["3".to_string(), "4".to_string()]),
            ]
        );
        assert_eq!(
            errors(b"\n\na,a\n"),
            ["row 3, column a: the column appears twice (accepted: each column once)"]
        );
    }

    #[test]
    fn ragged_rows_are_refused_with_their_row() {
        assert_eq!(
            errors(b"a,b\n1,2\n1,2,3\n4\n5,6\n"),
            [
                "row 3: the row has 3 fields, the header has 2 (accepted: one field per header column)",
                "row 4: the row has 1 fields, the header has 2 (accepted: one field per header column)"
            ]
        );
    }

    #[test]
    fn an_unterminated_quote_is_refused_with_row_and_column() {
        assert_eq!(
            errors(b"a,b\n1,2\n3,\"open\n4,5\n"),
            ["row 3, column b: a quote is opened and never closed; the rest of the file would be \
              read into this field (accepted: quotes in pairs, as RFC 4180 says)"]
        );
    }

    /// See: safety issue, "native CSV with an unclosed quote after a stray
    /// quote elsewhere swallows the following rows" (the old reader counted
    /// quote characters, and two odd ones made an even count).
    #[test]
    fn unclosed_quote_after_a_stray_quote_is_refused() {
        assert_eq!(
            errors(b"a,b\n1,O\"Brien\n2,\"open\n3,x\n4,y\n"),
            [
                "row 2, column b: a quote inside an unquoted field (accepted: the whole field in \
                 quotes, each quote inside it doubled)",
                "row 3, column b: a quote is opened and never closed; the rest of the file would \
                 be read into this field (accepted: quotes in pairs, as RFC 4180 says)"
            ]
        );
        // The other order: the open quote is closed by the stray one, and
        // the text after it gives the row away.
        assert_eq!(
            errors(b"a,b\n1,\"open\n2,O\"Brien\n"),
            [
                "row 2, column b: text after the closing quote (accepted: the whole field in \
              quotes, each quote inside it doubled)"
            ]
        );
    }

    #[test]
    fn invalid_utf8_and_control_characters_are_refused_with_row_and_column() {
        assert_eq!(
            errors(b"a,b\n1,caf\xE9\n2,x\x00y\n3,\x1b[31m\n4,\"tab\tand\nnewline\"\n"),
            [
                "row 2, column b: invalid UTF-8 at byte 4 of the field (save the file as UTF-8)",
                "row 3, column b: the field holds the control character U+0000 at character 2 \
                 (accepted: text without control characters other than tab and line breaks)",
                "row 4, column b: the field holds the control character U+001B at character 1 \
                 (accepted: text without control characters other than tab and line breaks)"
            ]
        );
    }

    /// See: issue 7, "a row with control characters in three columns was
    /// reported as `column fullName` five times in six runs and `column
    /// organizations` once" (a HashMap walked in random order).
    #[test]
    fn the_first_bad_column_in_header_order_is_named() {
        for _ in 0..20 {
            assert_eq!(
                errors(b"a,b,c,d\n1,x\x01,y\x02,z\x03\n"),
                [
                    "row 2, column b: the field holds the control character U+0001 at character 2 \
                  (accepted: text without control characters other than tab and line breaks)"
                ]
            );
        }
    }

    #[test]
    fn header_problems_are_refused() {
        assert_eq!(
            errors(b"a,b,a\n1,2,3\n"),
            ["row 1, column a: the column appears twice (accepted: each column once)"]
        );
        assert_eq!(
            errors(b"a,b\x00\n1,2\n"),
            [
                "row 1, column 2: the field holds the control character U+0000 at character 2 \
              (accepted: text without control characters other than tab and line breaks)"
            ]
        );
        assert_eq!(
            errors(b""),
            ["row 1: the file is empty (a CSV file starts with a header row)"]
        );
        assert_eq!(
            errors(b"\n\r\n"),
            ["row 1: the file is empty (a CSV file starts with a header row)"]
        );
    }

    #[test]
    fn oversized_fields_are_refused_and_reading_goes_on() {
        let mut input = b"a,b\n1,".to_vec();
        input.extend(std::iter::repeat_n(b'x', MAX_FIELD + 1));
        input.extend(b"\n2,ok\n");
        let got = read_all(&input);
        assert_eq!(
            got[0].as_ref().unwrap_err().to_string(),
            "row 2, column b: the field is 1048577 bytes long (accepted: at most 1048576 bytes)"
        );
        assert_eq!(got[1].as_ref().unwrap().fields, ["2", "ok"]);
    }

    #[test]
    fn a_runaway_record_stops_the_read() {
        let caps = Caps {
            field: 10,
            record: 100,
            file: 1000,
        };
        let mut input = b"a,b\n1,".to_vec();
        input.extend(std::iter::repeat_n(b'x', 150));
        input.extend(b"\n2,3\n");
        let got: Vec<String> = read_with(&input, caps)
            .into_iter()
            .map(|r| r.map_or_else(|e| e.to_string(), |r| r.fields.join(",")))
            .collect();
        assert_eq!(
            got,
            ["row 2: the record is longer than 100 bytes (accepted: at most that)"]
        );
        let mut input = b"a,b\n1,\"".to_vec();
        input.extend(std::iter::repeat_n(b'x', 150));
        assert_eq!(
            read_with(&input, caps)[0].as_ref().unwrap_err().to_string(),
            "row 2, column b: a quote is opened and never closed; the rest of the file would be \
             read into this field (accepted: quotes in pairs, as RFC 4180 says)"
        );
        assert_eq!(size(MAX_RECORD as u64), "16 MiB");
    }

    #[test]
    fn a_file_above_the_cap_stops_the_read() {
        let caps = Caps {
            field: 100,
            record: 100,
            file: 50,
        };
        let input = b"a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n11,12\n13,14\n15,16\n17,18\n19,20\n".repeat(2);
        let got = read_with(&input, caps);
        // Header and rows 2 to 10 take 49 bytes; row 11 passes the cap.
        assert_eq!(got.len(), 10);
        assert!(got[..9].iter().all(Result::is_ok));
        assert_eq!(
            got[9].as_ref().unwrap_err().to_string(),
            "row 11: the file is larger than 50 bytes (accepted: at most that; split it into several files)"
        );
        assert_eq!(size(MAX_FILE), "4 GiB");
    }

    proptest::proptest! {
        /// Whatever the bytes, the reader ends without panicking, every row
        /// it gives has one field per header column, rows are numbered
        /// upwards, and nothing after a stopping error is read.
        #[test]
        fn any_input_reads_or_is_refused(bytes in proptest::collection::vec(
            proptest::sample::select(vec![b'a', b'"', b',', b'\n', b'\r', 0u8, 0xE9, b' ']),
            0..300,
        )) {
            let caps = Caps { field: 8, record: 64, file: 200 };
            if let Ok(mut r) = CsvReader::with_caps(bytes.as_slice(), caps) {
                let width = r.headers().len();
                let mut last = 1;
                while let Some(next) = r.next_row() {
                    let row = match &next {
                        Ok(row) => {
                            proptest::prop_assert_eq!(row.fields.len(), width);
                            row.row
                        }
                        Err(e) => e.row,
                    };
                    proptest::prop_assert!(row > last);
                    last = row;
                }
            }
        }

        /// Any table of text written as RFC 4180 says reads back as written.
        #[test]
        fn written_csv_reads_back(cells in proptest::collection::vec(
            proptest::collection::vec("[a-z\"', \t\r\né]{0,6}", 3),
            1..6,
        )) {
            let mut text = String::from("a,b,c\r\n");
            for row in &cells {
                let quoted: Vec<String> = row
                    .iter()
                    .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
                    .collect();
                text.push_str(&quoted.join(","));
                text.push('\n');
            }
            let got: Vec<Vec<String>> = rows(text.as_bytes()).into_iter().map(|(_, f)| f).collect();
            proptest::prop_assert_eq!(got, cells);
        }
    }
}

//! Ways in and out of the registry (DESIGN §4): the formats (native CSV,
//! JSONL, and the CPJ and U.S. Press Freedom Tracker exports), what each
//! export profile lets out, and the shape every importer produces so that
//! `import` can validate, count and write records the same way whatever the
//! format.
//!
//! Nothing here touches the registry: importers turn text into records and
//! exporters records into text; `cmd::import` and `cmd::export` move them
//! through the storage layer (`db::Writer`, `db::Reader`).
//!
//! Importers stream: they hand each record to a sink as soon as it is read,
//! so memory stays flat however large the file.

use std::fmt;

use crate::model::IncidentRecord;

/// A problem with one row of an input file. Rows are numbered as a
/// spreadsheet numbers them: the header is row 1, the first record row 2
/// (in JSONL, row N is line N).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    /// The column (CSV header name or JSON field), when one is to blame.
    pub column: Option<String>,
    /// What is wrong, naming the value and what would be accepted.
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(f, "row {}, column {c}: {}", self.row, self.message),
            None => write!(f, "row {}: {}", self.row, self.message),
        }
    }
}

impl std::error::Error for RowError {}

/// What an importer found at one place in its input.
#[derive(Debug)]
pub enum Item {
    /// A record read from `row` (its first row, when it spans several).
    Record {
        row: usize,
        record: Box<IncidentRecord>,
    },
    /// A row left out on purpose (a spreadsheet's junk trailer), with why.
    Skipped { row: usize, reason: String },
    /// A row that cannot be imported.
    Invalid(RowError),
    /// What the importer decided for the record just handed over where its
    /// row did not say (CPJ's combined territory without a place), so that
    /// the decision is reported, never silent. It names the row and column.
    Note(RowError),
}

pub mod countries;
pub mod cpj;
pub mod csvread;
pub mod jsonl;
pub mod native;
pub mod profile;
mod rows;
pub mod uspft;

/// Where an importer hands each item it reads. Returning an error stops the
/// import (an I/O failure, say); a bad row is not an error but an
/// `Item::Invalid`, so that every bad row can be listed.
///
/// Every importer (`native::read`, `jsonl::read`, `cpj::read`,
/// `uspft::read`) has the one signature
///
/// ```text
/// pub fn read(input: impl std::io::Read,
///             sink: &mut dyn FnMut(Item) -> anyhow::Result<()>)
///             -> anyhow::Result<()>
/// ```
///
/// (`&mut Sink` is the same type). It streams: one item per record, in
/// file order, handed over as soon as the record is complete (a record
/// may be followed by a `Note` about it). Every CSV importer reads through
/// `csvread::CsvReader` (the monitors' through `rows::read_csv` on top of
/// it), which refuses malformed files (ragged rows, stray or unclosed
/// quotes, control characters, invalid UTF-8, oversized fields, records and
/// files) with the row, column and reason.
pub type Sink<'a> = dyn FnMut(Item) -> anyhow::Result<()> + 'a;

//! The problem of one row of an input file, as every importer reports it.
//! In a file of its own so that the fuzz target (fuzz/), which compiles the
//! CSV reader straight from src/, can take it without the importers.

use std::fmt;

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

//! Fuzz target for the CSV importer's reader (src/exchange/csvread.rs, the
//! one reader of every CSV format): any bytes must read to the end with the
//! promises of `csvread::check_any_input` kept, under small caps and the
//! real ones. Run with `cargo +nightly fuzz run csv_import` from the
//! project root (README.md, "Fuzzing").
//!
//! pressreg is one binary crate with no library to depend on, so this
//! target compiles the reader, and the modules its free-text rule needs,
//! straight from ../src with `#[path]`: the fuzzed code is the shipped code,
//! with no copy and no change to the crate's layout.
#![no_main]
#![allow(dead_code)]

#[path = "../../src/country.rs"]
mod country;
#[path = "../../src/exchange/csvread.rs"]
mod csvread;
#[path = "../../src/dates.rs"]
mod dates;
#[path = "../../src/model.rs"]
mod model;
#[path = "../../src/exchange/row_error.rs"]
mod row_error;
#[path = "../../src/validate.rs"]
mod validate;
#[path = "../../src/vocab.rs"]
mod vocab;

// csvread names `super::RowError`: here its parent is this crate's root.
use row_error::RowError;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = csvread::fuzz_one(data) {
        panic!("{broken}");
    }
});

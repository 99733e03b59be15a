//! What the monitor importers (CPJ, USPFT) share on top of the one CSV
//! reader (`csvread`): fields found by column name, header checks,
//! vocabulary look-ups, and the uids they derive.
//!
//! What must stay true: every CSV byte is read by `csvread::CsvReader`
//! (one set of rules and messages for every CSV format); a header the
//! importer cannot take stops reading, a bad row is handed to `invalid`
//! and reading goes on.

use std::collections::HashMap;
use std::io::Read;

use anyhow::{anyhow, Result};
use uuid::Uuid;

use super::csvread::CsvReader;
use super::RowError;

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
    fields: &'a [String],
}

impl<'a> Row<'a> {
    /// The field of `column`, or "" when the file has no such column.
    pub fn get(&self, column: &str) -> &'a str {
        self.columns
            .get(column)
            .and_then(|&i| self.fields.get(i))
            .map_or("", String::as_str)
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

/// Reads `input` as CSV with a header, checks the header with `header`
/// (which returns an error for a header it cannot take: reading stops) and
/// hands each record to `each`; malformed rows go to `invalid`.
pub fn read_csv(
    input: impl Read,
    header: &dyn Fn(&[String]) -> Result<(), RowError>,
    each: &mut dyn FnMut(&Row<'_>) -> Result<()>,
    invalid: &mut dyn FnMut(RowError) -> Result<()>,
) -> Result<()> {
    let mut reader = CsvReader::new(input).map_err(|e| anyhow!("{e}"))?;
    header(reader.headers()).map_err(|e| anyhow!("{e}"))?;
    // Only looked up by name, never walked: problems are found by the
    // reader, in header order.
    let columns: HashMap<String, usize> = reader
        .headers()
        .iter()
        .enumerate()
        .map(|(i, name)| (name.clone(), i))
        .collect();
    while let Some(next) = reader.next_row() {
        match next {
            Ok(row) => each(&Row {
                row: row.row,
                columns: &columns,
                fields: &row.fields,
            })?,
            Err(e) => invalid(e)?,
        }
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

    /// See: issue 7, "a row with control characters in three columns was
    /// reported as `column fullName` five times in six runs and `column
    /// organizations` once": the first bad column in header order is named.
    #[test]
    fn the_first_bad_column_in_header_order_is_named() {
        for _ in 0..20 {
            let (seen, result) = run(b"a,b,c\n1,x\x01,y\x02\n2,z,w\n");
            result.unwrap();
            assert_eq!(
                seen,
                [
                    "3:z",
                    "row 2, column b: the field holds the control character U+0001 at character 2 \
                     (accepted: text without control characters other than tab and line breaks)"
                ]
            );
        }
    }

    #[test]
    fn a_header_refused_stops_reading() {
        let result = read_csv(
            &b"a,b\n1,2\n"[..],
            &|_| {
                Err(RowError {
                    row: 1,
                    column: Some("b".into()),
                    message: "unknown column 'b'".into(),
                })
            },
            &mut |_| panic!("a row was read"),
            &mut |_| panic!("a row was read"),
        );
        assert_eq!(
            result.unwrap_err().to_string(),
            "row 1, column b: unknown column 'b'"
        );
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
}

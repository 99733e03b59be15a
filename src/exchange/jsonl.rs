//! JSONL: one `IncidentRecord` per line, the lossless format (DESIGN §4).
//! Reading streams line by line with a bound on line length; writing is one
//! `serde_json` line per record, so field names equal the JSON of `show`.

use std::io::{BufRead, BufReader, Read, Write};

use anyhow::Result;

use super::profile::Profile;
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
    let mut last_profile = None;
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
        let (profile, parsed) = if text.contains(PROFILE_KEY) {
            marked(text, row)
        } else {
            (Ok(None), serde_json::from_str::<IncidentRecord>(text))
        };
        let profile = match profile {
            Ok(p) => p,
            Err(e) => {
                sink(Item::Invalid(e))?;
                continue;
            }
        };
        // Said when it changes (and for the first record), so that a file
        // mixing exports is caught without one item per line.
        if parsed.is_ok() && last_profile != Some(profile) {
            last_profile = Some(profile);
            sink(Item::Profile { row, profile })?;
        }
        match parsed {
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

/// The key an export of a profile other than `full` starts each record
/// with (`profile::Carried`); not part of the record.
pub const PROFILE_KEY: &str = "export_profile";

/// A line holding `PROFILE_KEY`: the profile it names, and the record
/// without it.
fn marked(
    text: &str,
    row: usize,
) -> (
    Result<Option<Profile>, RowError>,
    serde_json::Result<IncidentRecord>,
) {
    let mut object = match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text)
    {
        Ok(o) => o,
        Err(e) => return (Ok(None), Err(e)),
    };
    let profile = match object.remove(PROFILE_KEY) {
        None => Ok(None),
        Some(serde_json::Value::String(name)) => Profile::from_name(&name).map(Some).ok_or(name),
        Some(other) => Err(other.to_string()),
    }
    .map_err(|name| RowError {
        row,
        column: Some(PROFILE_KEY.into()),
        message: format!(
            "unknown export profile '{name}' (accepted: public, partner, internal, full)"
        ),
    });
    (
        profile,
        serde_json::from_value(serde_json::Value::Object(object)),
    )
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

/// Writes one record as an export of `profile` writes it, as one line.
pub fn write_record(out: &mut dyn Write, profile: Profile, rec: &IncidentRecord) -> Result<()> {
    serde_json::to_writer(&mut *out, &Exported::new(profile, rec))?;
    out.write_all(b"\n")?;
    Ok(())
}

/// A record as an export of `profile` writes it: led by `PROFILE_KEY`
/// unless the profile is `full` (a record that does not say is whole).
#[derive(serde::Serialize)]
pub struct Exported<'a> {
    #[serde(rename = "export_profile", skip_serializing_if = "Option::is_none")]
    pub profile: Option<&'static str>,
    #[serde(flatten)]
    pub record: &'a IncidentRecord,
}

impl<'a> Exported<'a> {
    pub fn new(profile: Profile, record: &'a IncidentRecord) -> Exported<'a> {
        Exported {
            profile: (profile != Profile::Full).then_some(profile.name()),
            record,
        }
    }
}

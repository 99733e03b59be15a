//! The registry as it stood at the end of a past day, rebuilt from the
//! revision log (`summary --as-of`).

use anyhow::{bail, Result};
use chrono::NaiveDate;
use rusqlite::Connection;

use super::Db;

/// Replays every revision made up to the end of `day` (UTC) into a new
/// in-memory registry.
pub fn rebuild(_conn: &Connection, _day: NaiveDate) -> Result<Db> {
    bail!("--as-of is not built yet")
}

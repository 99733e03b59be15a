//! What `pressreg check` looks at: SQLite's own integrity check, foreign
//! keys, the revision log's hash chain, and how much the registry holds.
//!
//! Every step reports its problems as text instead of failing, so that a
//! damaged file still gets a full report (a corrupt page can make a query
//! fail outright; that failure is itself the finding).

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension};

use super::revision::{self, Revision};

/// The problems `PRAGMA integrity_check` reports (empty: none).
pub fn integrity_problems(conn: &Connection) -> Vec<String> {
    let run = || -> rusqlite::Result<Vec<String>> {
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect()
    };
    match run() {
        Ok(rows) => rows.into_iter().filter(|r| r != "ok").collect(),
        Err(e) => vec![format!("SQLite could not read the file through: {e}")],
    }
}

/// Rows that point to a row that does not exist (`PRAGMA
/// foreign_key_check`), as `victim row 5 points to a missing incident`.
pub fn foreign_key_problems(conn: &Connection) -> Vec<String> {
    let run = || -> rusqlite::Result<Vec<String>> {
        let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |r| {
            let table: String = r.get(0)?;
            let rowid: Option<i64> = r.get(1)?;
            let parent: String = r.get(2)?;
            Ok(format!(
                "{table} row {} points to a missing {parent}",
                rowid.map_or("?".to_string(), |i| i.to_string())
            ))
        })?;
        rows.collect()
    };
    match run() {
        Ok(rows) => rows,
        Err(e) => vec![format!("SQLite could not read the file through: {e}")],
    }
}

/// The result of walking the revision chain.
#[derive(Debug)]
pub struct Chain {
    /// Rows checked (up to and including the break).
    pub checked: usize,
    /// The first row whose hash does not follow from the rows before it,
    /// with the ref of its incident when it has one.
    pub broken_at: Option<(Revision, Option<String>)>,
}

/// Walks the revision log's hash chain.
pub fn chain(conn: &Connection) -> Result<Chain> {
    let (broken, checked) = revision::verify_chain(conn)?;
    let broken_at = match broken {
        None => None,
        Some(id) => {
            let rev = revision::revisions(conn, "id = ?", &[&id])?
                .into_iter()
                .next()
                .ok_or_else(|| anyhow::anyhow!("revision {id} vanished while checking"))?;
            let reference = match rev.incident_id {
                Some(i) => conn
                    .query_row("SELECT ref FROM incident WHERE id = ?", [i], |r| r.get(0))
                    .optional()?,
                None => None,
            };
            Some((rev, reference))
        }
    };
    Ok(Chain { checked, broken_at })
}

/// Row counts: incidents (and how many are deleted), victims, acts, actors,
/// sources, claims, revisions.
pub fn counts(conn: &Connection) -> Result<Vec<(&'static str, i64)>> {
    let mut out = Vec::new();
    for (name, sql) in [
        ("incidents", "SELECT count(*) FROM incident"),
        (
            "deleted",
            "SELECT count(*) FROM incident WHERE deleted_at IS NOT NULL",
        ),
        ("victims", "SELECT count(*) FROM victim"),
        ("acts", "SELECT count(*) FROM act"),
        ("actors", "SELECT count(*) FROM actor"),
        ("sources", "SELECT count(*) FROM source"),
        ("claims", "SELECT count(*) FROM claim"),
        ("revisions", "SELECT count(*) FROM revision"),
    ] {
        out.push((name, conn.query_row(sql, [], |r| r.get(0))?));
    }
    Ok(out)
}

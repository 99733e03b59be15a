//! What `pressreg check` looks at: SQLite's own integrity check, foreign
//! keys, the revision log's hash chain and its head, every table against
//! the log replayed, and how much the registry holds.
//!
//! Every step reports its problems as text instead of failing, so that a
//! damaged file still gets a full report (a corrupt page can make a query
//! fail outright; that failure is itself the finding).

use anyhow::Result;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use super::asof;
use super::revision::{self, Entity, Revision};
use super::seal::Head;

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

/// What SQLCipher's `cipher_integrity_check` reports on an encrypted
/// registry: one row per page whose HMAC does not match (empty: none).
pub fn cipher_problems(conn: &Connection) -> Vec<String> {
    let run = || -> rusqlite::Result<Vec<String>> {
        let mut stmt = conn.prepare("PRAGMA cipher_integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect()
    };
    run().unwrap_or_else(|e| vec![format!("SQLCipher could not read the file through: {e}")])
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
    /// The last row (none: the log is empty).
    pub head: Option<Head>,
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
    let head = super::seal::head(conn)?;
    Ok(Chain {
        checked,
        broken_at,
        head,
    })
}

/// Why the log does not reach `expected` (none: it holds that revision
/// with that hash). With the chain intact, a match proves every row up to
/// it is as it was when the head was recorded.
pub fn anchor_problem(conn: &Connection, expected: &Head) -> Result<Option<String>> {
    let last: Option<i64> = conn.query_row("SELECT max(id) FROM revision", [], |r| r.get(0))?;
    let hash: Option<String> = conn
        .query_row(
            "SELECT hash FROM revision WHERE id = ?",
            [expected.revision],
            |r| r.get(0),
        )
        .optional()?;
    let n = expected.revision;
    Ok(match (hash, last) {
        (Some(hash), _) if hash == expected.hash => None,
        (Some(hash), _) => Some(format!(
            "revision {n} has the hash {hash}, not {}: the log up to it was rewritten",
            expected.hash
        )),
        (None, Some(last)) if last < n => Some(format!(
            "the log ends at revision {last}, before revision {n}: revisions were removed from its end"
        )),
        (None, None) => Some(format!(
            "the log is empty, but it reached revision {n}: revisions were removed from its end"
        )),
        (None, Some(_)) => Some(format!("revision {n} was removed from the log")),
    })
}

/// The tables the revision log records, in the order `check` compares them.
const LOGGED: [Entity; 9] = [
    Entity::Incident,
    Entity::IncidentRelation,
    Entity::Victim,
    Entity::Act,
    Entity::Actor,
    Entity::ActorTypePeriod,
    Entity::Involvement,
    Entity::Source,
    Entity::Claim,
];

/// Where the tables differ from the revision log replayed from its first
/// row (`summary --as-of`'s replay, to now): the first `limit`
/// differences, one per row naming the first field that differs, and how
/// many there are in all.
pub fn replay_differences(conn: &Connection, limit: usize) -> Result<(Vec<String>, usize)> {
    let rebuilt = asof::rebuild_now(conn)?;
    let mut found = Found {
        shown: Vec::new(),
        total: 0,
        limit,
    };
    for entity in LOGGED {
        compare_table(conn, rebuilt.conn(), entity, &mut found)?;
    }
    Ok((found.shown, found.total))
}

/// Differences found so far.
struct Found {
    shown: Vec<String>,
    total: usize,
    limit: usize,
}

impl Found {
    fn add(&mut self, difference: impl FnOnce() -> Result<String>) -> Result<()> {
        self.total += 1;
        if self.shown.len() < self.limit {
            self.shown.push(difference()?);
        }
        Ok(())
    }
}

/// Walks one table in the registry and in the replayed log side by side,
/// in id order (both are rowid tables, so this is one pass over each).
fn compare_table(
    live: &Connection,
    replayed: &Connection,
    entity: Entity,
    found: &mut Found,
) -> Result<()> {
    let table = entity.table();
    let sql = format!("SELECT * FROM {table} ORDER BY id");
    let mut live_stmt = live.prepare(&sql)?;
    let mut log_stmt = replayed.prepare(&sql)?;
    let names: Vec<String> = live_stmt
        .column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    // Match columns by name: a registry upgraded by migrations may order
    // them differently from a new one.
    let log_names: Vec<&str> = log_stmt.column_names();
    let pairs: Vec<(usize, usize)> = names
        .iter()
        .enumerate()
        .filter_map(|(i, n)| log_names.iter().position(|l| l == n).map(|j| (i, j)))
        .collect();
    let log_width = log_names.len();
    let id_at = |names: &[String]| names.iter().position(|n| n == "id").unwrap_or(0);
    let live_id = id_at(&names);
    let log_id = pairs
        .iter()
        .find(|(i, _)| *i == live_id)
        .map_or(0, |(_, j)| *j);
    let row_of = |r: &rusqlite::Row<'_>, width: usize| -> rusqlite::Result<Vec<Value>> {
        (0..width).map(|i| r.get(i)).collect()
    };
    let id_of = |row: &[Value], at: usize| match row.get(at) {
        Some(Value::Integer(i)) => *i,
        _ => 0,
    };
    let withheld_marker = revision::withheld().to_string();
    let mut live_rows = live_stmt.query([])?;
    let mut log_rows = log_stmt.query([])?;
    let mut a = next_row(&mut live_rows, names.len(), &row_of)?;
    let mut b = next_row(&mut log_rows, log_width, &row_of)?;
    loop {
        // Which side has the lower id next: that row is missing on the
        // other side.
        let order = match (&a, &b) {
            (None, None) => return Ok(()),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => id_of(x, live_id).cmp(&id_of(y, log_id)),
        };
        match (order, &a, &b) {
            (std::cmp::Ordering::Less, Some(row), _) => {
                let id = id_of(row, live_id);
                found.add(|| {
                    Ok(format!(
                        "{} is in the table but not in the revision log",
                        describe(live, entity, id)?
                    ))
                })?;
                a = next_row(&mut live_rows, names.len(), &row_of)?;
            }
            (std::cmp::Ordering::Greater, _, Some(logged)) => {
                let id = id_of(logged, log_id);
                found.add(|| {
                    Ok(format!(
                        "{} is in the revision log but not in the table",
                        describe(replayed, entity, id)?
                    ))
                })?;
                b = next_row(&mut log_rows, log_width, &row_of)?;
            }
            (_, Some(row), Some(logged)) => {
                // A value the log withholds (a private note) is not in
                // the log to compare with.
                let differs = |(i, j): &&(usize, usize)| {
                    row[*i] != logged[*j]
                        && !matches!(&logged[*j], Value::Text(t) if *t == withheld_marker)
                };
                if let Some((i, j)) = pairs.iter().find(differs) {
                    let id = id_of(row, live_id);
                    found.add(|| {
                        Ok(format!(
                            "{}: {} is {} in the table but {} in the revision log",
                            describe(live, entity, id)?,
                            names[*i],
                            shown(&row[*i]),
                            shown(&logged[*j])
                        ))
                    })?;
                }
                a = next_row(&mut live_rows, names.len(), &row_of)?;
                b = next_row(&mut log_rows, log_width, &row_of)?;
            }
            // The orders above name a side that has a row.
            _ => return Ok(()),
        }
    }
}

fn next_row(
    rows: &mut rusqlite::Rows<'_>,
    width: usize,
    row_of: &impl Fn(&rusqlite::Row<'_>, usize) -> rusqlite::Result<Vec<Value>>,
) -> Result<Option<Vec<Value>>> {
    Ok(match rows.next()? {
        Some(r) => Some(row_of(r, width)?),
        None => None,
    })
}

/// A value as a difference shows it: text quoted, NULL as NULL.
fn shown(value: &Value) -> String {
    match value {
        Value::Null => "NULL".to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(s) => format!("'{s}'"),
        Value::Blob(b) => format!("x'{}'", hex::encode(b)),
    }
}

/// A row as a person finds it: `victim 3 (AF-2021-0002 victim 1)`, read
/// from the side that holds it (the parenthesis is left out when its
/// parent rows are gone too).
fn describe(conn: &Connection, entity: Entity, id: i64) -> Result<String> {
    let sql = match entity {
        Entity::Incident => "SELECT ref FROM incident WHERE id = ?",
        Entity::Victim => {
            "SELECT i.ref || ' victim ' || v.position FROM victim v
             JOIN incident i ON i.id = v.incident_id WHERE v.id = ?"
        }
        Entity::Act => {
            "SELECT i.ref || ' victim ' || v.position || ', ' || a.type FROM act a
             JOIN victim v ON v.id = a.victim_id JOIN incident i ON i.id = a.incident_id
             WHERE a.id = ?"
        }
        Entity::Involvement => {
            "SELECT i.ref || ' victim ' || v.position || ', ' || a.type || ', ' || ac.name
             FROM involvement n JOIN act a ON a.id = n.act_id JOIN victim v ON v.id = a.victim_id
             JOIN incident i ON i.id = a.incident_id JOIN actor ac ON ac.id = n.actor_id
             WHERE n.id = ?"
        }
        Entity::IncidentRelation => {
            "SELECT i.ref FROM incident_relation x JOIN incident i ON i.id = x.incident_id
             WHERE x.id = ?"
        }
        Entity::Source => {
            "SELECT i.ref FROM source x JOIN incident i ON i.id = x.incident_id WHERE x.id = ?"
        }
        Entity::Claim => {
            "SELECT i.ref FROM claim x JOIN incident i ON i.id = x.incident_id WHERE x.id = ?"
        }
        Entity::Actor => "SELECT name FROM actor WHERE id = ?",
        Entity::ActorTypePeriod => {
            "SELECT a.name FROM actor_type_period p JOIN actor a ON a.id = p.actor_id
             WHERE p.id = ?"
        }
    };
    let what: Option<String> = conn
        .prepare_cached(sql)?
        .query_row([id], |r| r.get(0))
        .optional()?
        .flatten();
    let table = entity.table();
    Ok(match what {
        Some(w) => format!("{table} {id} ({w})"),
        None => format!("{table} {id}"),
    })
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

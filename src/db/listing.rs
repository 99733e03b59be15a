//! The rows of `pressreg list`: one per incident, built by ONE query with
//! correlated aggregates (victims, acts by type, perpetrators), so that a
//! list over a registry of a million acts never loads incidents one by one.
//!
//! What must stay true: the victim names here follow the same rules as
//! every other output (an anonymous victim is its pseudonym
//! `Victim REF-POSITION`, a victim without a name is `unnamed`).

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::Connection;

use super::query::Filter;
use crate::vocab::*;

/// One incident as `list` shows it, before formatting.
#[derive(Clone, Debug, PartialEq)]
pub struct ListRow {
    pub reference: String,
    pub date_start: Option<NaiveDate>,
    pub date_end: Option<NaiveDate>,
    pub date_precision: DatePrecision,
    pub date_approximate: bool,
    pub country: String,
    pub admin1: String,
    pub admin2: String,
    pub locality: String,
    pub victim_count: i64,
    /// Display names in position order (pseudonyms, `unnamed`).
    pub victims: Vec<String>,
    /// Each act type with how many acts of it, in vocabulary order.
    pub acts: Vec<(ActType, i64)>,
    /// Distinct (actor, role, confidence, denied), in the order they were
    /// linked; `denied` when the attribution's basis is the actor's denial.
    pub perpetrators: Vec<(String, Role, Confidence, bool)>,
    pub verification: Verification,
    pub deleted: bool,
}

/// The display name of a victim: the pseudonym of an anonymous victim,
/// `unnamed` for an unknown name, else the name.
pub fn victim_label(reference: &str, position: i64, name: &str, anonymous: bool) -> String {
    if anonymous {
        format!("Victim {reference}-{position}")
    } else if name.trim().is_empty() {
        "unnamed".to_string()
    } else {
        name.to_string()
    }
}

// ASCII unit and record separators between aggregated values: they split
// display cells only, never stored data.
const UNIT: char = '\u{1f}';
const PART: char = '\u{1e}';

/// Calls `each` with every incident matching `filter`, by date then ref,
/// with its aggregates: rows stream, so memory stays flat however many
/// incidents match.
pub fn for_each(
    conn: &Connection,
    filter: &Filter,
    mut each: impl FnMut(ListRow) -> Result<()>,
) -> Result<()> {
    let (cond, params) = filter.to_sql();
    let sql = format!(
        "SELECT i.ref, i.date_start, i.date_end, i.date_precision, i.date_approximate,
                i.country, i.admin1, i.admin2, i.locality, i.verification,
                i.deleted_at IS NOT NULL,
                (SELECT group_concat(w.position || char(30) || w.anonymous || char(30) || w.name,
                                     char(31) ORDER BY w.position)
                   FROM victim w WHERE w.incident_id = i.id),
                (SELECT group_concat(t.type || char(30) || t.n, char(31))
                   FROM (SELECT a.type, count(*) AS n FROM act a
                         WHERE a.incident_id = i.id GROUP BY a.type) t),
                (SELECT group_concat(v.role || char(30) || v.confidence || char(30)
                                     || (v.basis = 'denied') || char(30) || r.name,
                                     char(31) ORDER BY v.id)
                   FROM act a JOIN involvement v ON v.act_id = a.id
                              JOIN actor r ON r.id = v.actor_id
                   WHERE a.incident_id = i.id)
         FROM incident i
         WHERE {cond}
         ORDER BY i.date_start IS NULL, i.date_start, i.ref"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    while let Some(r) = rows.next()? {
        let reference: String = r.get(0)?;
        let victims: Option<String> = r.get(11)?;
        let acts: Option<String> = r.get(12)?;
        let perps: Option<String> = r.get(13)?;
        let victims = split_victims(&reference, victims.as_deref());
        each(ListRow {
            victim_count: victims.len() as i64,
            victims,
            reference,
            date_start: r.get(1)?,
            date_end: r.get(2)?,
            date_precision: r.get(3)?,
            date_approximate: r.get(4)?,
            country: r.get(5)?,
            admin1: r.get(6)?,
            admin2: r.get(7)?,
            locality: r.get(8)?,
            verification: r.get(9)?,
            deleted: r.get(10)?,
            acts: split_acts(acts.as_deref()),
            perpetrators: split_perpetrators(perps.as_deref()),
        })?;
    }
    Ok(())
}

/// The units of a `group_concat`, each split into at most `parts` parts
/// (the last part, a name, may hold anything).
fn units(s: Option<&str>, parts: usize) -> impl Iterator<Item = Vec<&str>> {
    s.unwrap_or("")
        .split(UNIT)
        .filter(|u| !u.is_empty())
        .map(move |u| u.splitn(parts, PART).collect())
}

fn split_victims(reference: &str, s: Option<&str>) -> Vec<String> {
    units(s, 3)
        .filter_map(|p| match p.as_slice() {
            [pos, anon, name] => Some(victim_label(
                reference,
                pos.parse().unwrap_or(0),
                name,
                *anon == "1",
            )),
            _ => None,
        })
        .collect()
}

fn split_acts(s: Option<&str>) -> Vec<(ActType, i64)> {
    let mut acts: Vec<(ActType, i64)> = units(s, 2)
        .filter_map(|p| match p.as_slice() {
            [t, n] => Some((t.parse().ok()?, n.parse().ok()?)),
            _ => None,
        })
        .collect();
    acts.sort_by_key(|(t, _)| *t);
    acts
}

fn split_perpetrators(s: Option<&str>) -> Vec<(String, Role, Confidence, bool)> {
    let mut out: Vec<(String, Role, Confidence, bool)> = Vec::new();
    for p in units(s, 4) {
        if let [role, confidence, denied, name] = p.as_slice() {
            let (Ok(role), Ok(confidence)) = (role.parse(), confidence.parse()) else {
                continue;
            };
            let item = (name.to_string(), role, confidence, *denied == "1");
            if !out.contains(&item) {
                out.push(item);
            }
        }
    }
    out
}

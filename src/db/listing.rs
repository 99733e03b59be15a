//! The rows of `pressreg list`: one per incident, built by ONE query with
//! correlated aggregates (victims, acts by type, perpetrators), so that a
//! list over a registry of a million acts never loads incidents one by one.
//! Each aggregate comes back as a JSON array (`json_group_array`), never as
//! text joined with separator characters, which stored text may contain.
//!
//! What must stay true: the victim names here follow the same rules as
//! every other output (an anonymous victim is its pseudonym
//! `Victim REF-POSITION`, a victim without a name is `unnamed`).

use anyhow::{Context, Result};
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
                (SELECT json_group_array(json_array(w.position, w.anonymous, w.name)
                                         ORDER BY w.position)
                   FROM victim w WHERE w.incident_id = i.id),
                (SELECT json_group_array(json_array(t.type, t.n))
                   FROM (SELECT a.type, count(*) AS n FROM act a
                         WHERE a.incident_id = i.id GROUP BY a.type) t),
                (SELECT json_group_array(json_array(v.role, v.confidence, v.basis = 'denied',
                                                    r.name) ORDER BY v.id)
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
        // SQL booleans come back as the numbers 0 and 1.
        let victims: Vec<(i64, i64, String)> = json(r, 11, &reference)?;
        let victims = victims
            .iter()
            .map(|(position, anonymous, name)| {
                victim_label(&reference, *position, name, *anonymous == 1)
            })
            .collect::<Vec<_>>();
        let mut acts: Vec<(ActType, i64)> = json(r, 12, &reference)?;
        acts.sort_by_key(|(t, _)| *t);
        let links: Vec<(Role, Confidence, i64, String)> = json(r, 13, &reference)?;
        let mut perpetrators: Vec<(String, Role, Confidence, bool)> = Vec::new();
        for (role, confidence, denied, name) in links {
            let item = (name, role, confidence, denied == 1);
            if !perpetrators.contains(&item) {
                perpetrators.push(item);
            }
        }
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
            acts,
            perpetrators,
        })?;
    }
    Ok(())
}

/// A list the query built with `json_group_array`: JSON, so that a name
/// may hold any character (separator bytes in stored text once cut names
/// short).
fn json<T: serde::de::DeserializeOwned>(
    r: &rusqlite::Row<'_>,
    column: usize,
    reference: &str,
) -> Result<T> {
    let text: String = r.get(column)?;
    serde_json::from_str(&text)
        .with_context(|| format!("failed to read the list of incident {reference}"))
}

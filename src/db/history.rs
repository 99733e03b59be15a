//! Names for the records a revision is about, as `show` numbers them
//! (`victim 2`, `act 1.2`, `source 1`), for `history` and `check`.
//!
//! The numbering is computed from the rows as they stand now; a record
//! erased for good keeps only its kind and database id (`act #12`).

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::Connection;

use super::revision::{self, Revision};

/// Every revision of incident `id` (its victims, acts, sources… included),
/// in log order.
pub fn of_incident(conn: &Connection, id: i64) -> Result<Vec<Revision>> {
    revision::revisions(conn, "incident_id = ?", &[&id])
}

/// (entity, entity id) → how `show` names it, for the records of incident
/// `id`.
pub fn labels(conn: &Connection, id: i64) -> Result<HashMap<(String, i64), String>> {
    let mut out = HashMap::new();
    let queries: [(&str, &str); 7] = [
        (
            "incident",
            "SELECT id, 'incident' FROM incident WHERE id = ?1",
        ),
        (
            "victim",
            "SELECT id, 'victim ' || position FROM victim WHERE incident_id = ?1",
        ),
        (
            "act",
            "SELECT a.id, 'act ' || w.position || '.'
                    || row_number() OVER (PARTITION BY a.victim_id ORDER BY a.id)
             FROM act a JOIN victim w ON w.id = a.victim_id WHERE a.incident_id = ?1",
        ),
        (
            "involvement",
            "SELECT v.id, 'perpetrator ' || r.name || ' of act ' || x.label
             FROM involvement v JOIN actor r ON r.id = v.actor_id
             JOIN (SELECT a.id, w.position || '.'
                          || row_number() OVER (PARTITION BY a.victim_id ORDER BY a.id) AS label
                   FROM act a JOIN victim w ON w.id = a.victim_id
                   WHERE a.incident_id = ?1) x ON x.id = v.act_id",
        ),
        (
            "source",
            "SELECT id, 'source ' || row_number() OVER (ORDER BY id)
             FROM source WHERE incident_id = ?1",
        ),
        (
            "claim",
            "SELECT c.id, 'claim on ' || c.field || ' by source ' || s.n
             FROM claim c
             JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n
                   FROM source WHERE incident_id = ?1) s ON s.id = c.source_id
             WHERE c.incident_id = ?1",
        ),
        (
            "incident_relation",
            "SELECT l.id, l.relation || ' ' || o.ref
             FROM incident_relation l JOIN incident o ON o.id = l.related_id
             WHERE l.incident_id = ?1",
        ),
    ];
    for (entity, sql) in queries {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (entity_id, label) = row?;
            out.insert((entity.to_string(), entity_id), label);
        }
    }
    Ok(out)
}

/// The label of a revision's record, or its kind and id when it is gone.
pub fn label_of(labels: &HashMap<(String, i64), String>, rev: &Revision) -> String {
    labels
        .get(&(rev.entity.clone(), rev.entity_id))
        .cloned()
        .unwrap_or_else(|| format!("{} #{}", rev.entity, rev.entity_id))
}

/// The reason given with the latest soft delete of incident `id`.
pub fn deletion_reason(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(revision::revisions(
        conn,
        "incident_id = ? AND entity = 'incident' AND field = 'deleted_at' AND action = 'delete'",
        &[&id],
    )?
    .pop()
    .map(|r| r.reason))
}

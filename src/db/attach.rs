//! Look-ups for attaching records to an existing incident (`victim add`,
//! `act add`, `perpetrator add`, `source add`, `claim add`).
//!
//! Users name records by position, never by database id: victim `2` is the
//! incident's second victim (its `position`), act `2.1` is the first act
//! against that victim (acts in the order they were recorded), source `3`
//! is the third source recorded for the incident. These functions turn such
//! addresses into ids, with errors that say what the incident does have.
//!
//! Invariant: a deleted incident is never written to (`open_incident`).

use anyhow::{anyhow, bail, Result};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use super::ids::*;
use super::read;
use super::revision::{Entity, Writer};
use super::write::text;

/// The incident a command attaches to.
#[derive(Clone, Debug)]
pub struct Target {
    /// Database id.
    pub id: IncidentId,
    /// The ref as stored (`AF-2021-0001`).
    pub reference: String,
    /// Never changes.
    pub uid: Uuid,
    /// The incident's first possible date.
    pub date_start: Option<NaiveDate>,
}

/// An act named by its address `V.A`.
#[derive(Clone, Debug)]
pub struct ActAt {
    /// Database id.
    pub id: ActId,
    /// The address as the user sees it (`1.2`).
    pub address: String,
    /// The act's uid.
    pub uid: Uuid,
}

/// The incident with this ref, refusing one that is deleted.
pub fn open_incident(conn: &Connection, reference: &str) -> Result<Target> {
    let id = IncidentId(read::require_incident(conn, reference)?);
    let (stored, uid, date_start, deleted): (String, String, Option<NaiveDate>, Option<String>) =
        conn.query_row(
            "SELECT ref, uid, date_start, deleted_at FROM incident WHERE id = ?",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
    if deleted.is_some() {
        bail!("incident '{stored}' is deleted (restore it with 'pressreg restore {stored}' first)");
    }
    Ok(Target {
        id,
        reference: stored,
        uid: Uuid::parse_str(&uid).map_err(|e| anyhow!("incident '{reference}': bad uid: {e}"))?,
        date_start,
    })
}

/// Marks the incident as changed now (`updated_at`), in the revision log.
pub fn touch(w: &mut Writer<'_>, incident: IncidentId) -> Result<()> {
    let at = w.at().to_string();
    w.update(
        Entity::Incident,
        incident.0,
        Some(incident.0),
        "updated_at",
        text(&at),
    )?;
    Ok(())
}

/// The number of victims of an incident.
pub fn victim_count(conn: &Connection, incident_id: IncidentId) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM victim WHERE incident_id = ?",
        [incident_id],
        |r| r.get(0),
    )?)
}

/// The id and uid of victim `position` of an incident.
pub fn victim_at(conn: &Connection, target: &Target, position: i64) -> Result<(VictimId, Uuid)> {
    let found: Option<(VictimId, String)> = conn
        .query_row(
            "SELECT id, uid FROM victim WHERE incident_id = ?1 AND position = ?2",
            params![target.id, position],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match found {
        Some((id, uid)) => Ok((id, parse_uid(&uid)?)),
        None => bail!(
            "incident '{}' has no victim {position} (it has {}; see 'pressreg show {}')",
            target.reference,
            plural(victim_count(conn, target.id)?, "victim"),
            target.reference
        ),
    }
}

/// The position of a victim within its incident.
pub fn victim_position(conn: &Connection, victim_id: VictimId) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT position FROM victim WHERE id = ?",
        [victim_id],
        |r| r.get(0),
    )?)
}

/// The order (1-based) of an act among the acts against its victim.
pub fn act_order(conn: &Connection, act_id: ActId) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM act a, act b
         WHERE b.id = ?1 AND a.victim_id = b.victim_id AND a.id <= b.id",
        [act_id],
        |r| r.get(0),
    )?)
}

/// The act at address `V.A` of an incident (`1.2`: victim 1's second act).
pub fn act_at(conn: &Connection, target: &Target, address: &str) -> Result<ActAt> {
    let parsed = address.trim().split_once('.').and_then(|(v, a)| {
        let v: i64 = v.parse().ok()?;
        let a: i64 = a.parse().ok()?;
        (v >= 1 && a >= 1).then_some((v, a))
    });
    let (v, a) = parsed.ok_or_else(|| {
        anyhow!("--act '{address}' is not an act address (accepted: VICTIM.ACT, e.g. 1.2)")
    })?;
    let (victim_id, _) = victim_at(conn, target, v)?;
    let found: Option<(ActId, String)> = conn
        .query_row(
            "SELECT id, uid FROM act WHERE victim_id = ?1 ORDER BY id LIMIT 1 OFFSET ?2",
            params![victim_id, a - 1],
            |r| Ok((r.get::<_, ActId>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?;
    match found {
        Some((id, uid)) => Ok(ActAt {
            id,
            address: format!("{v}.{a}"),
            uid: parse_uid(&uid)?,
        }),
        None => {
            let n: i64 = conn.query_row(
                "SELECT count(*) FROM act WHERE victim_id = ?",
                [victim_id],
                |r| r.get(0),
            )?;
            bail!(
                "victim {v} of incident '{}' has no act {a} (it has {}; see 'pressreg show {}')",
                target.reference,
                plural(n, "act"),
                target.reference
            )
        }
    }
}

/// Every act of an incident, in the order of victims and then acts.
pub fn all_acts(conn: &Connection, target: &Target) -> Result<Vec<ActAt>> {
    let mut stmt = conn.prepare(
        "SELECT act.id, act.uid, victim.position,
                row_number() OVER (PARTITION BY act.victim_id ORDER BY act.id)
         FROM act JOIN victim ON victim.id = act.victim_id
         WHERE act.incident_id = ?
         ORDER BY victim.position, act.id",
    )?;
    let rows = stmt.query_map([target.id], |r| {
        Ok((
            r.get::<_, ActId>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, uid, v, a) = row?;
        out.push(ActAt {
            id,
            address: format!("{v}.{a}"),
            uid: parse_uid(&uid)?,
        });
    }
    if out.is_empty() {
        bail!(
            "incident '{}' has no acts yet (add one with 'pressreg act add {} --victim N --type TYPE')",
            target.reference,
            target.reference
        );
    }
    Ok(out)
}

/// The uid of the involvement of `actor` in an act; the act's only
/// involvement when no actor is named.
pub fn involvement_of(conn: &Connection, act: &ActAt, actor: Option<&str>) -> Result<Uuid> {
    let mut stmt = conn.prepare(
        "SELECT involvement.uid, actor.id FROM involvement
         JOIN actor ON actor.id = involvement.actor_id
         WHERE act_id = ? ORDER BY involvement.id",
    )?;
    let rows: Vec<(String, i64)> = stmt
        .query_map([act.id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let chosen = match actor {
        Some(name) => {
            let Some(actor_id) = read::actor_id_by_name(conn, name)? else {
                bail!("{}", read::unknown_actor(conn, name)?);
            };
            rows.into_iter()
                .find(|r| r.1 == actor_id)
                .ok_or_else(|| anyhow!("actor '{name}' is not linked to act {}", act.address))?
        }
        None => match rows.len() {
            0 => bail!("act {} has no perpetrator linked", act.address),
            1 => rows.into_iter().next().ok_or_else(|| anyhow!("no row"))?,
            n => bail!(
                "act {} has {n} perpetrators linked: name one with --actor",
                act.address
            ),
        },
    };
    parse_uid(&chosen.0)
}

/// The number (1-based, in the order recorded) of a source of an incident.
pub fn source_number(
    conn: &Connection,
    incident_id: IncidentId,
    source_id: SourceId,
) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM source WHERE incident_id = ?1 AND id <= ?2",
        params![incident_id, source_id],
        |r| r.get(0),
    )?)
}

/// The source of an incident named by its number or its URL.
pub fn source_at(conn: &Connection, target: &Target, key: &str) -> Result<SourceId> {
    let key = key.trim();
    let found: Option<SourceId> = match key.parse::<i64>() {
        Ok(n) if n >= 1 => conn
            .query_row(
                "SELECT id FROM source WHERE incident_id = ?1 ORDER BY id LIMIT 1 OFFSET ?2",
                params![target.id, n - 1],
                |r| r.get(0),
            )
            .optional()?,
        _ => conn
            .query_row(
                "SELECT id FROM source WHERE incident_id = ?1 AND url <> '' AND url = ?2
                 ORDER BY id LIMIT 1",
                params![target.id, key],
                |r| r.get(0),
            )
            .optional()?,
    };
    found.ok_or_else(|| {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM source WHERE incident_id = ?",
                [target.id],
                |r| r.get(0),
            )
            .unwrap_or(0);
        anyhow!(
            "--source '{key}' is not a source of incident '{}' (it has {}; give a number or a URL)",
            target.reference,
            plural(n, "source")
        )
    })
}

/// The number (1-based) of a claim among the incident's claims.
pub fn claim_number(conn: &Connection, incident_id: IncidentId, claim_id: ClaimId) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM claim WHERE incident_id = ?1 AND id <= ?2",
        params![incident_id, claim_id],
        |r| r.get(0),
    )?)
}

fn parse_uid(s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|e| anyhow!("bad uid '{s}' in the registry: {e}"))
}

fn plural(n: i64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Whether `actor` is already linked to an act in this role on this basis
/// (the same attribution recorded twice would be counted twice).
pub fn already_linked(
    conn: &Connection,
    act_id: ActId,
    actor: &str,
    role: crate::vocab::Role,
    basis: crate::vocab::Basis,
) -> Result<bool> {
    let Some(actor_id) = read::actor_id_by_name(conn, actor)? else {
        return Ok(false);
    };
    Ok(conn
        .query_row(
            "SELECT 1 FROM involvement
             WHERE act_id = ?1 AND actor_id = ?2 AND role = ?3 AND basis = ?4",
            params![act_id, actor_id, role, basis],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

//! Actors as `actor list` and `actor show` see them: each with its aliases,
//! its type over time, and the acts it is linked to.
//!
//! An act is counted under the actor's type on the act's dates (its own,
//! else the incident's), as the view `involvement_actor_type` decides (the
//! rule of `ActorRecord::type_on`); deleted incidents are left out of counts
//! and links.

use anyhow::{bail, Result};
use chrono::NaiveDate;
use rusqlite::{params, Connection};

use super::read;
use super::revision::{Entity, Writer};
use super::write::text_list;
use crate::model::ActorRecord;
use crate::vocab::*;

/// An actor with the number of acts it is linked to.
#[derive(Clone, Debug)]
pub struct ActorSummary {
    /// The actor with its aliases and type periods.
    pub actor: ActorRecord,
    /// Acts (in incidents not deleted) the actor is linked to.
    pub acts: i64,
}

/// One link of an actor to an act.
#[derive(Clone, Debug)]
pub struct Link {
    /// The incident's ref.
    pub reference: String,
    /// The date the act is counted on (its own, else the incident's).
    pub date: Option<NaiveDate>,
    /// The act's address in its incident (`1.2`).
    pub act: String,
    /// What was done.
    pub act_type: ActType,
    pub role: Role,
    pub basis: Basis,
    pub confidence: Confidence,
    /// The actor's type on the act's dates (None: it cannot be told).
    pub actor_type: Option<ActorType>,
}

/// Every actor, by name.
pub fn list(conn: &Connection) -> Result<Vec<ActorSummary>> {
    let mut stmt = conn.prepare(
        "SELECT actor.id,
                (SELECT count(DISTINCT involvement.act_id) FROM involvement
                 JOIN act ON act.id = involvement.act_id
                 JOIN incident ON incident.id = act.incident_id
                 WHERE involvement.actor_id = actor.id AND incident.deleted_at IS NULL)
         FROM actor ORDER BY name COLLATE NOCASE",
    )?;
    let rows: Vec<(i64, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(id, acts)| {
            Ok(ActorSummary {
                actor: read::load_actor(conn, id)?,
                acts,
            })
        })
        .collect()
}

/// The acts an actor is linked to, by incident date.
pub fn links(conn: &Connection, actor_id: i64) -> Result<Vec<Link>> {
    let mut stmt = conn.prepare(
        "SELECT incident.ref, coalesce(act.date_start, incident.date_start), victim.position,
                (SELECT count(*) FROM act a WHERE a.victim_id = act.victim_id AND a.id <= act.id),
                act.type, involvement.role, involvement.basis, involvement.confidence,
                (SELECT t.actor_type FROM involvement_actor_type t
                  WHERE t.involvement_id = involvement.id)
         FROM involvement
         JOIN act ON act.id = involvement.act_id
         JOIN victim ON victim.id = act.victim_id
         JOIN incident ON incident.id = act.incident_id
         WHERE involvement.actor_id = ?1 AND incident.deleted_at IS NULL
         ORDER BY incident.date_start IS NULL, incident.date_start, incident.ref,
                  victim.position, act.id, involvement.id",
    )?;
    let rows = stmt.query_map(params![actor_id], |r| {
        Ok(Link {
            reference: r.get(0)?,
            date: r.get(1)?,
            act: format!("{}.{}", r.get::<_, i64>(2)?, r.get::<_, i64>(3)?),
            act_type: r.get(4)?,
            role: r.get(5)?,
            basis: r.get(6)?,
            confidence: r.get(7)?,
            actor_type: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds aliases to an actor (those it has already are skipped), refusing
/// one that names another actor. Returns how many were added.
pub fn add_aliases(w: &mut Writer<'_>, actor_id: i64, aliases: &[String]) -> Result<usize> {
    let mut actor = read::load_actor(w.tx(), actor_id)?;
    let mut added = 0;
    for alias in aliases {
        let alias = alias.trim();
        if alias.is_empty() {
            bail!("--alias is empty (give another name the actor is known by)");
        }
        if let Some(other) = read::actor_id_by_name(w.tx(), alias)? {
            if other != actor_id {
                let name = read::load_actor(w.tx(), other)?.name;
                bail!("alias '{alias}' already names actor '{name}'");
            }
            continue;
        }
        actor.aliases.push(alias.to_string());
        added += 1;
    }
    if added > 0 {
        w.update(
            Entity::Actor,
            actor_id,
            None,
            "aliases",
            text_list(&actor.aliases),
        )?;
    }
    Ok(added)
}

//! Bringing a stored incident up to date from an imported record
//! (`import --on-conflict update`), and the small reads exports need.
//!
//! Every change goes through `Writer::update`, `write::add_*` or
//! `Writer::delete`, so the revision log says field by field what the
//! import changed; a record equal to what is stored changes nothing and
//! logs nothing. Victims, acts, involvements, sources and claims are
//! matched by uid; records without uids (native CSV carries none for
//! involvements and sources; other monitors' exports none at all) are
//! matched by their natural key, so that updating twice from the same file
//! changes nothing the second time: a victim by name, an act by its type,
//! an involvement by its actor, a source by its URL and publisher. Victims,
//! acts, involvements and sources the record no longer has are deleted
//! (children first, so that every deleted row is logged). Claims are
//! evidence and are never deleted here: one the record does not repeat
//! stays, and one its source now contradicts (same source, subject and
//! field) stays but is no longer accepted. Relations and `duplicate_of` are
//! left as they are.

use anyhow::Result;
use rusqlite::types::Value;
use rusqlite::OptionalExtension;

use super::read;
use super::revision::{Entity, Writer};
use super::write::{self, boolean, text, vocab};
use crate::clock;
use crate::model::*;

/// The victims' positions within an incident, in the order `load_incident`
/// returns them (for stable pseudonyms).
pub fn victim_positions(conn: &rusqlite::Connection, incident_id: i64) -> Result<Vec<i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT position FROM victim WHERE incident_id = ? ORDER BY position")?;
    let rows = stmt.query_map([incident_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// (id, uid, key) of the rows of `table` where `owner_column` = `owner`.
fn children(w: &Writer<'_>, sql: &str, owner: i64) -> Result<Vec<(i64, String, String)>> {
    let mut stmt = w.tx().prepare(sql)?;
    let rows = stmt.query_map([owner], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sets each column; true when any value changed.
fn set(
    w: &mut Writer<'_>,
    entity: Entity,
    id: i64,
    incident_id: i64,
    cols: Vec<(&str, Value)>,
) -> Result<bool> {
    let mut changed = false;
    for (column, value) in cols {
        changed |= w.update(entity, id, Some(incident_id), column, value)?;
    }
    Ok(changed)
}

/// Updates the incident `id` to match `rec` (normalized). Returns whether
/// anything changed.
pub fn update_incident(w: &mut Writer<'_>, id: i64, rec: &IncidentRecord) -> Result<bool> {
    for actor in &rec.actors {
        write::ensure_actor_definition(w, actor)?;
    }
    let mut changed = set(w, Entity::Incident, id, id, {
        let mut cols = write::incident_fields(rec);
        cols.push((
            "deleted_at",
            rec.deleted_at
                .map_or(Value::Null, |t| text(&clock::stamp(t))),
        ));
        cols
    })?;
    changed |= update_victims(w, id, rec)?;
    let source_ids = update_sources(w, id, rec, &mut changed)?;
    changed |= update_claims(w, id, rec, &source_ids)?;
    if changed {
        let at = rec
            .updated_at
            .map(clock::stamp)
            .unwrap_or_else(|| w.at().to_string());
        w.update(Entity::Incident, id, Some(id), "updated_at", text(&at))?;
    }
    Ok(changed)
}

fn update_victims(w: &mut Writer<'_>, incident_id: i64, rec: &IncidentRecord) -> Result<bool> {
    let stored = children(
        w,
        "SELECT id, uid, name FROM victim WHERE incident_id = ? ORDER BY position",
        incident_id,
    )?;
    let mut changed = false;
    let mut kept = Vec::new();
    for v in &rec.victims {
        let found = stored.iter().find(|(id, uid, name)| {
            !kept.contains(id)
                && match v.uid {
                    Some(u) => *uid == u.to_string(),
                    None => !v.name.is_empty() && name.eq_ignore_ascii_case(&v.name),
                }
        });
        let Some((victim_id, _, _)) = found else {
            write::add_victim(w, incident_id, &rec.actors, v)?;
            changed = true;
            continue;
        };
        kept.push(*victim_id);
        changed |= set(
            w,
            Entity::Victim,
            *victim_id,
            incident_id,
            write::victim_fields(v),
        )?;
        changed |= update_acts(w, incident_id, *victim_id, &rec.actors, &v.acts)?;
    }
    for (victim_id, _, _) in stored.iter().filter(|(id, _, _)| !kept.contains(id)) {
        delete_acts_of(w, incident_id, *victim_id, &[])?;
        w.delete(Entity::Victim, *victim_id, Some(incident_id))?;
        changed = true;
    }
    Ok(changed)
}

/// Deletes the acts of a victim except those in `keep`, with their
/// involvements.
fn delete_acts_of(
    w: &mut Writer<'_>,
    incident_id: i64,
    victim_id: i64,
    keep: &[i64],
) -> Result<bool> {
    let acts = children(
        w,
        "SELECT id, uid, '' FROM act WHERE victim_id = ?",
        victim_id,
    )?;
    let mut changed = false;
    for (act_id, _, _) in acts.iter().filter(|(id, _, _)| !keep.contains(id)) {
        for (inv, _, _) in children(
            w,
            "SELECT id, uid, '' FROM involvement WHERE act_id = ?",
            *act_id,
        )? {
            w.delete(Entity::Involvement, inv, Some(incident_id))?;
        }
        w.delete(Entity::Act, *act_id, Some(incident_id))?;
        changed = true;
    }
    Ok(changed)
}

fn update_acts(
    w: &mut Writer<'_>,
    incident_id: i64,
    victim_id: i64,
    actors: &[ActorRecord],
    acts: &[ActRecord],
) -> Result<bool> {
    let stored = children(
        w,
        "SELECT id, uid, type FROM act WHERE victim_id = ? ORDER BY id",
        victim_id,
    )?;
    let mut changed = false;
    let mut kept = Vec::new();
    for a in acts {
        let found = stored.iter().find(|(id, uid, act_type)| {
            !kept.contains(id)
                && match a.uid {
                    Some(u) => *uid == u.to_string(),
                    None => act_type == a.act_type.as_str(),
                }
        });
        let Some((act_id, _, _)) = found else {
            kept.push(write::add_act(w, incident_id, victim_id, actors, a)?);
            changed = true;
            continue;
        };
        kept.push(*act_id);
        changed |= set(w, Entity::Act, *act_id, incident_id, write::act_fields(a))?;
        changed |= update_involvements(w, incident_id, *act_id, actors, &a.perpetrators)?;
    }
    changed |= delete_acts_of(w, incident_id, victim_id, &kept)?;
    Ok(changed)
}

fn update_involvements(
    w: &mut Writer<'_>,
    incident_id: i64,
    act_id: i64,
    actors: &[ActorRecord],
    invs: &[InvolvementRecord],
) -> Result<bool> {
    let stored = children(
        w,
        "SELECT involvement.id, involvement.uid, actor.name FROM involvement
         JOIN actor ON actor.id = involvement.actor_id WHERE act_id = ?",
        act_id,
    )?;
    let mut changed = false;
    let mut kept = Vec::new();
    for inv in invs {
        let actor_id = read::actor_id_by_name(w.tx(), &inv.actor)?;
        let found = stored.iter().find(|(id, uid, name)| {
            !kept.contains(id)
                && match inv.uid {
                    Some(u) => *uid == u.to_string(),
                    None => name.eq_ignore_ascii_case(&inv.actor),
                }
        });
        let same_actor = |id: i64| -> Result<bool> {
            let stored_actor: Option<i64> = w
                .tx()
                .query_row("SELECT actor_id FROM involvement WHERE id = ?", [id], |r| {
                    r.get(0)
                })
                .optional()?;
            Ok(actor_id.is_some() && stored_actor == actor_id)
        };
        match found {
            Some((inv_id, _, _)) if same_actor(*inv_id)? => {
                kept.push(*inv_id);
                changed |= set(
                    w,
                    Entity::Involvement,
                    *inv_id,
                    incident_id,
                    vec![
                        ("role", vocab(inv.role)),
                        ("basis", vocab(inv.basis)),
                        ("confidence", vocab(inv.confidence)),
                        ("note", text(&inv.note)),
                    ],
                )?;
            }
            _ => {
                let id = write::add_involvement(w, incident_id, act_id, actors, inv)?;
                kept.push(id);
                changed = true;
            }
        }
    }
    for (inv_id, _, _) in stored.iter().filter(|(id, _, _)| !kept.contains(id)) {
        w.delete(Entity::Involvement, *inv_id, Some(incident_id))?;
        changed = true;
    }
    Ok(changed)
}

/// Updates the sources; returns the ids of the record's sources in order.
fn update_sources(
    w: &mut Writer<'_>,
    incident_id: i64,
    rec: &IncidentRecord,
    changed: &mut bool,
) -> Result<Vec<(i64, SourceRecord)>> {
    let stored = children(
        w,
        "SELECT id, uid, url || char(31) || publisher FROM source WHERE incident_id = ?",
        incident_id,
    )?;
    let mut ids = Vec::new();
    let mut kept: Vec<i64> = Vec::new();
    for s in &rec.sources {
        let key = format!("{}\u{1f}{}", s.url, s.publisher);
        let found = stored.iter().find(|(id, uid, k)| {
            !kept.contains(id)
                && match s.uid {
                    Some(u) => *uid == u.to_string(),
                    None => *k == key,
                }
        });
        let id = match found {
            Some((id, _, _)) => {
                *changed |= set(w, Entity::Source, *id, incident_id, write::source_fields(s))?;
                *id
            }
            None => {
                *changed = true;
                write::add_source(w, incident_id, s)?
            }
        };
        kept.push(id);
        ids.push((id, s.clone()));
    }
    for (source_id, _, _) in stored.iter().filter(|(id, _, _)| !kept.contains(id)) {
        for (claim, _, _) in children(
            w,
            "SELECT id, uid, '' FROM claim WHERE source_id = ?",
            *source_id,
        )? {
            w.delete(Entity::Claim, claim, Some(incident_id))?;
        }
        w.delete(Entity::Source, *source_id, Some(incident_id))?;
        *changed = true;
    }
    Ok(ids)
}

fn update_claims(
    w: &mut Writer<'_>,
    incident_id: i64,
    rec: &IncidentRecord,
    source_ids: &[(i64, SourceRecord)],
) -> Result<bool> {
    let stored = children(
        w,
        "SELECT id, uid, source_id || char(31) || subject_uid || char(31) || field
         FROM claim WHERE incident_id = ?",
        incident_id,
    )?;
    let incident_uid: String = w.tx().query_row(
        "SELECT uid FROM incident WHERE id = ?",
        [incident_id],
        |r| r.get(0),
    )?;
    let incident_uid = uuid::Uuid::parse_str(&incident_uid)?;
    let mut changed = false;
    let mut kept = Vec::new();
    // What each claim of the record is about: (source, subject, field).
    let mut said: Vec<String> = Vec::new();
    for c in &rec.claims {
        let source_id = write::resolve_claim_source(w, incident_id, &c.source, source_ids)?;
        let subject = c.subject_uid.unwrap_or(incident_uid);
        said.push(format!("{source_id}\u{1f}{subject}\u{1f}{}", c.field));
        let found = c
            .uid
            .and_then(|u| stored.iter().find(|(_, uid, _)| *uid == u.to_string()));
        match found {
            Some((id, _, _)) => {
                kept.push(*id);
                // A withdrawn claim is never accepted (a CHECK): the flag is
                // cleared before withdrawing, set after un-withdrawing.
                let accepted = ("accepted", boolean(c.accepted && c.withdrawn_at.is_none()));
                let withdrawn = (
                    "withdrawn_at",
                    c.withdrawn_at
                        .map_or(Value::Null, |t| text(&crate::clock::stamp(t))),
                );
                let mut cols = vec![
                    ("source_id", Value::Integer(source_id)),
                    ("field", text(&c.field)),
                    ("value", text(&c.value)),
                    ("stance", vocab(c.stance)),
                ];
                if c.withdrawn_at.is_some() {
                    cols.extend([accepted, withdrawn]);
                } else {
                    cols.extend([withdrawn, accepted]);
                }
                changed |= set(w, Entity::Claim, *id, incident_id, cols)?;
            }
            None => {
                let id = write::add_claim(w, incident_id, &incident_uid, source_id, c)?;
                kept.push(id);
                changed = true;
            }
        }
    }
    // A claim the record does not repeat stays: a later export that
    // leaves a column out (CPJ's photos) does not make what a source said
    // untrue. Where the same source now says something else about the same
    // field, the old claim stays visible but is no longer accepted.
    for (id, _, about) in stored.iter().filter(|(id, _, _)| !kept.contains(id)) {
        if said.contains(about) {
            changed |= set(
                w,
                Entity::Claim,
                *id,
                incident_id,
                vec![("accepted", boolean(false))],
            )?;
        }
    }
    Ok(changed)
}

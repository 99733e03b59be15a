//! Changing an incident in place (`edit`, `delete`, `restore`).
//!
//! `edit` works on the whole record: the command loads it (`locate`),
//! changes the loaded record, checks it with the same rules as `add`
//! (`validate::normalize`), and `save` writes back only what differs, one
//! `Writer::update_many` per row so that each changed field gets its own
//! revision row while CHECKs that tie fields together see the final row.
//!
//! Addresses are the ones `show` prints: victim N is the victim at position
//! N; act V.A is the A-th act (in the order they were recorded) of victim V;
//! source N is the N-th source (in the order they were recorded).

use anyhow::{bail, Result};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use super::read;
use super::revision::{Entity, Writer};
use super::write::{self, text};
use crate::model::*;

/// An incident as loaded for editing, with the database ids behind each
/// address.
#[derive(Clone, Debug)]
pub struct Located {
    pub id: i64,
    pub reference: String,
    pub record: IncidentRecord,
    /// (position, victim id, act ids in order), parallel to
    /// `record.victims`.
    pub victims: Vec<(i64, i64, Vec<i64>)>,
    /// Source ids, parallel to `record.sources`.
    pub sources: Vec<i64>,
    /// Involvement ids per victim and act, parallel to each act's
    /// `perpetrators`.
    pub involvements: Vec<Vec<Vec<i64>>>,
}

impl Located {
    /// The index in `record.victims` of the victim at `position`.
    pub fn victim_index(&self, position: i64) -> Option<usize> {
        self.victims.iter().position(|(p, _, _)| *p == position)
    }
}

/// Loads incident `id` with the ids behind every address.
pub fn locate(conn: &Connection, id: i64) -> Result<Located> {
    let record = read::load_incident(conn, id)?;
    let reference = record.reference.clone().unwrap_or_default();
    let mut victims = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT position, id FROM victim WHERE incident_id = ? ORDER BY position",
    )?;
    let rows: Vec<(i64, i64)> = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut acts = conn.prepare_cached("SELECT id FROM act WHERE victim_id = ? ORDER BY id")?;
    let mut links =
        conn.prepare_cached("SELECT id FROM involvement WHERE act_id = ? ORDER BY id")?;
    let mut involvements = Vec::new();
    for (position, victim_id) in rows {
        let ids: Vec<i64> = acts
            .query_map([victim_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut per_act = Vec::new();
        for act_id in &ids {
            per_act.push(
                links
                    .query_map([act_id], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<i64>>>()?,
            );
        }
        involvements.push(per_act);
        victims.push((position, victim_id, ids));
    }
    let mut stmt =
        conn.prepare_cached("SELECT id FROM source WHERE incident_id = ? ORDER BY id")?;
    let sources = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Located {
        id,
        reference,
        record,
        victims,
        sources,
        involvements,
    })
}

/// One field that changed.
#[derive(Clone, Debug, PartialEq)]
pub struct Changed {
    /// `incident`, `victim 2`, `act 1.2`, `source 1`.
    pub what: String,
    pub field: String,
    pub old: Value,
    pub new: Value,
}

/// Writes every field of `new` that differs from the stored incident
/// `before` describes, and stamps `updated_at` when anything changed.
/// `new` must have passed `validate::normalize`.
pub fn save(w: &mut Writer<'_>, before: &Located, new: &IncidentRecord) -> Result<Vec<Changed>> {
    let id = before.id;
    let mut changed = Vec::new();
    let duplicate_of = match &new.duplicate_of {
        Some(r) if !r.trim().is_empty() => {
            let Some(other) = read::incident_id_by_ref(w.tx(), r)? else {
                bail!("duplicate_of: {}", read::unknown_ref(w.tx(), r)?);
            };
            if other == id {
                bail!("duplicate_of '{r}' is this incident itself");
            }
            Value::Integer(other)
        }
        _ => Value::Null,
    };
    let incident_fields = incident_columns(new, duplicate_of);
    let mut push = |what: &str, list: Vec<(String, Value, Value)>| {
        changed.extend(list.into_iter().map(|(field, old, new)| Changed {
            what: what.to_string(),
            field,
            old,
            new,
        }))
    };
    push(
        "incident",
        w.update_many(Entity::Incident, id, Some(id), &incident_fields)?,
    );
    for (vi, v) in new.victims.iter().enumerate() {
        let Some((position, victim_id, act_ids)) = before.victims.get(vi) else {
            continue;
        };
        push(
            &format!("victim {position}"),
            w.update_many(
                Entity::Victim,
                *victim_id,
                Some(id),
                &write::victim_fields(v),
            )?,
        );
        for (ai, a) in v.acts.iter().enumerate() {
            if let Some(act_id) = act_ids.get(ai) {
                push(
                    &format!("act {position}.{}", ai + 1),
                    w.update_many(Entity::Act, *act_id, Some(id), &write::act_fields(a))?,
                );
                let links = before
                    .involvements
                    .get(vi)
                    .and_then(|acts| acts.get(ai))
                    .map_or(&[][..], |l| l.as_slice());
                for (p, link) in a.perpetrators.iter().zip(links) {
                    push(
                        &format!("act {position}.{} perpetrator {}", ai + 1, p.actor),
                        w.update_many(
                            Entity::Involvement,
                            *link,
                            Some(id),
                            &write::involvement_fields(p),
                        )?,
                    );
                }
            }
        }
    }
    for (si, s) in new.sources.iter().enumerate() {
        if let Some(source_id) = before.sources.get(si) {
            push(
                &format!("source {}", si + 1),
                w.update_many(
                    Entity::Source,
                    *source_id,
                    Some(id),
                    &write::source_fields(s),
                )?,
            );
        }
    }
    if !changed.is_empty() {
        let at = text(w.at());
        w.update(Entity::Incident, id, Some(id), "updated_at", at)?;
    }
    Ok(changed)
}

fn incident_columns(r: &IncidentRecord, duplicate_of: Value) -> Vec<(&'static str, Value)> {
    let mut cols = write::incident_fields(r);
    cols.push(("duplicate_of", duplicate_of));
    cols
}

/// When incident `id` was deleted (None: it is not).
pub fn deleted_at(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT deleted_at FROM incident WHERE id = ?", [id], |r| {
            r.get::<_, Option<String>>(0)
        })
        .optional()?
        .flatten())
}

/// Soft-deletes incident `id` (sets `deleted_at`; the revision carries the
/// writer's reason). Deleting a deleted incident is an error.
pub fn soft_delete(w: &mut Writer<'_>, id: i64, reference: &str) -> Result<()> {
    if let Some(at) = deleted_at(w.tx(), id)? {
        bail!("'{reference}' is already deleted (since {at}; 'pressreg restore {reference}' brings it back)");
    }
    let at = text(w.at());
    w.update(Entity::Incident, id, Some(id), "deleted_at", at)?;
    Ok(())
}

/// Undoes a soft delete. Restoring an incident that is not deleted is an
/// error.
pub fn restore(w: &mut Writer<'_>, id: i64, reference: &str) -> Result<()> {
    if deleted_at(w.tx(), id)?.is_none() {
        bail!("'{reference}' is not deleted");
    }
    w.update(Entity::Incident, id, Some(id), "deleted_at", Value::Null)?;
    Ok(())
}

/// The ref of incident `id`.
pub fn reference(conn: &Connection, id: i64) -> Result<String> {
    Ok(conn.query_row("SELECT ref FROM incident WHERE id = ?", [id], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{revision, write, Db};
    use crate::vocab::ActType;

    #[test]
    fn save_writes_only_what_changed_with_one_revision_per_field() -> Result<()> {
        let today = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("a date");
        let mut db = Db::in_memory()?;
        let mut rec = IncidentRecord {
            country: "AF".into(),
            date: Some("2021-08-08".into()),
            ..IncidentRecord::default()
        };
        let mut victim = VictimRecord::new("Toofan Omar");
        victim.acts.push(ActRecord::new(ActType::Killed));
        rec.victims.push(victim);
        let rec = crate::validate::normalize(rec, today)?;
        let id = db.write("add", |w| Ok(write::insert_incident(w, &rec)?.id))?;

        let before = locate(db.conn(), id)?;
        let mut new = before.record.clone();
        new.latitude = Some(34.5);
        new.longitude = Some(69.2);
        new.victims[0].name = "Toofan Omari".into();
        let changed = db.write("spelling", |w| save(w, &before, &new))?;
        let fields: Vec<(&str, &str)> = changed
            .iter()
            .map(|c| (c.what.as_str(), c.field.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("incident", "latitude"),
                ("incident", "longitude"),
                ("victim 1", "name")
            ]
        );
        let logged: Vec<Option<String>> = revision::revisions(
            db.conn(),
            "reason = 'spelling' AND field <> 'updated_at'",
            &[],
        )?
        .into_iter()
        .map(|r| r.field)
        .collect();
        assert_eq!(
            logged,
            [
                Some("latitude".to_string()),
                Some("longitude".to_string()),
                Some("name".to_string())
            ]
        );
        assert_eq!(revision::verify_chain(db.conn())?.0, None);

        // Saving the same record again changes nothing and logs nothing.
        let again = locate(db.conn(), id)?;
        let count = revision::revisions(db.conn(), "1", &[])?.len();
        assert!(db.write("again", |w| save(w, &again, &new))?.is_empty());
        assert_eq!(revision::revisions(db.conn(), "1", &[])?.len(), count);
        Ok(())
    }
}

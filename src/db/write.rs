//! Writing records: a whole incident, or one victim, act, perpetrator,
//! source, claim or actor at a time. Every function takes the `Writer`, so
//! every row it writes is in the revision log. Records are expected to have
//! passed `validate::normalize`; the schema's CHECKs are the last guard.

use anyhow::{anyhow, bail, Context, Result};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension};
use uuid::Uuid;

use super::read;
use super::revision::{Entity, Writer};
use super::uid;
use crate::clock;
use crate::fields::{self, Stored};
use crate::model::*;
use crate::vocab::*;

/// Text as a database value.
pub fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

/// An optional date as a database value.
pub fn date(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Null, |d| {
        Value::Text(d.format("%Y-%m-%d").to_string())
    })
}

/// A vocabulary value as a database value.
pub fn vocab<T: Vocabulary>(v: T) -> Value {
    Value::Text(v.as_str().to_string())
}

/// A flag as a database value (0 or 1).
pub fn boolean(b: bool) -> Value {
    Value::Integer(i64::from(b))
}

/// A value of the field table as a database value.
pub fn stored(v: Stored) -> Value {
    match v {
        Stored::Null => Value::Null,
        Stored::Integer(i) => Value::Integer(i),
        Stored::Real(f) => Value::Real(f),
        Stored::Text(s) => Value::Text(s),
    }
}

/// A list of free-text strings as a JSON array.
pub fn text_list(values: &[String]) -> Value {
    stored(fields::text_list(values))
}

/// The stored columns of a record as the field table lists them.
fn columns<R>(table: &'static [fields::Field<R>], rec: &R) -> Vec<(&'static str, Value)> {
    fields::stored(table, rec)
        .into_iter()
        .map(|(name, v)| (name, stored(v)))
        .collect()
}

/// The columns an incident record sets, in schema order: everything but
/// its identity (uid, ref), links and timestamps. `add`, `edit` and
/// `import --on-conflict update` all write incidents through this one
/// mapping (the field table), so a field cannot be forgotten by one of them.
pub fn incident_fields(rec: &IncidentRecord) -> Vec<(&'static str, Value)> {
    columns(fields::INCIDENT, rec)
}

/// The columns a victim record sets (all but uid, incident and position).
pub fn victim_fields(v: &VictimRecord) -> Vec<(&'static str, Value)> {
    columns(fields::VICTIM, v)
}

/// The columns an act record sets (all but uid, incident and victim); an
/// own date without a precision is a day.
pub fn act_fields(a: &ActRecord) -> Vec<(&'static str, Value)> {
    columns(fields::ACT, a)
}

/// The columns a perpetrator link sets (all but uid, act and actor).
pub fn involvement_fields(p: &InvolvementRecord) -> Vec<(&'static str, Value)> {
    columns(fields::INVOLVEMENT, p)
}

/// The columns a source record sets (all but uid and incident).
pub fn source_fields(s: &SourceRecord) -> Vec<(&'static str, Value)> {
    columns(fields::SOURCE, s)
}

/// What inserting an incident produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inserted {
    pub id: i64,
    pub reference: String,
}

/// Inserts a whole incident with its victims, acts, perpetrators, sources,
/// claims and relations. The record must be normalized.
pub fn insert_incident(w: &mut Writer<'_>, rec: &IncidentRecord) -> Result<Inserted> {
    let uid = match rec.uid {
        Some(uid) => {
            if read::incident_id_by_uid(w.tx(), &uid)?.is_some() {
                bail!("an incident with uid {uid} is already in the registry");
            }
            uid
        }
        // A fresh uid is in no registry (`uid`): nothing to look up.
        None => uid::fresh(),
    };
    let reference = match &rec.reference {
        Some(r) => claim_reference(w, r)?,
        None => next_reference(w, &rec.country, rec.date_start)?,
    };
    let created = rec
        .created_at
        .map(clock::stamp)
        .unwrap_or_else(|| w.at().to_string());
    let updated = rec
        .updated_at
        .map(clock::stamp)
        .unwrap_or_else(|| created.clone());
    let duplicate_of = match &rec.duplicate_of {
        Some(r) => Value::Integer(
            read::incident_id_by_ref(w.tx(), r)?
                .ok_or_else(|| anyhow!("duplicate_of '{r}' is not an incident in the registry"))?,
        ),
        None => Value::Null,
    };
    let mut cols = vec![("uid", text(&uid.to_string())), ("ref", text(&reference))];
    cols.extend(incident_fields(rec));
    cols.extend([
        ("duplicate_of", duplicate_of),
        ("created_at", text(&created)),
        ("updated_at", text(&updated)),
        (
            "deleted_at",
            rec.deleted_at
                .map_or(Value::Null, |t| text(&clock::stamp(t))),
        ),
    ]);
    let id = w.insert(Entity::Incident, None, &cols)?;
    for actor in &rec.actors {
        ensure_actor_definition(w, actor)?;
    }
    // A new incident's victims take positions 1, 2, 3… in order.
    for (position, victim) in (1..).zip(&rec.victims) {
        add_victim_at(w, id, position, &rec.actors, victim)?;
    }
    let mut source_ids = Vec::new();
    for source in &rec.sources {
        source_ids.push((add_source(w, id, source)?, source.clone()));
    }
    for claim in &rec.claims {
        let source_id = resolve_claim_source(w, id, &claim.source, &source_ids)?;
        add_claim(w, id, &uid, source_id, claim)?;
    }
    for relation in &rec.relations {
        add_relation(w, id, relation)?;
    }
    Ok(Inserted { id, reference })
}

/// Adds a victim (with its acts) to an incident; returns the victim's id.
pub fn add_victim(
    w: &mut Writer<'_>,
    incident_id: i64,
    actors: &[ActorRecord],
    v: &VictimRecord,
) -> Result<i64> {
    let position: i64 = w
        .tx()
        .prepare_cached("SELECT coalesce(max(position), 0) + 1 FROM victim WHERE incident_id = ?")?
        .query_row([incident_id], |r| r.get(0))?;
    add_victim_at(w, incident_id, position, actors, v)
}

/// Adds a victim at a position known to be free.
fn add_victim_at(
    w: &mut Writer<'_>,
    incident_id: i64,
    position: i64,
    actors: &[ActorRecord],
    v: &VictimRecord,
) -> Result<i64> {
    let uid = v.uid.unwrap_or_else(uid::fresh);
    let mut cols = vec![
        ("uid", text(&uid.to_string())),
        ("incident_id", Value::Integer(incident_id)),
        ("position", Value::Integer(position)),
    ];
    cols.extend(victim_fields(v));
    let victim_id = w.insert(Entity::Victim, Some(incident_id), &cols)?;
    for act in &v.acts {
        add_act(w, incident_id, victim_id, actors, act)?;
    }
    Ok(victim_id)
}

/// Adds an act (with its perpetrators) against a victim; returns its id.
pub fn add_act(
    w: &mut Writer<'_>,
    incident_id: i64,
    victim_id: i64,
    actors: &[ActorRecord],
    a: &ActRecord,
) -> Result<i64> {
    let uid = a.uid.unwrap_or_else(uid::fresh);
    let mut cols = vec![
        ("uid", text(&uid.to_string())),
        ("incident_id", Value::Integer(incident_id)),
        ("victim_id", Value::Integer(victim_id)),
    ];
    cols.extend(act_fields(a));
    let act_id = w.insert(Entity::Act, Some(incident_id), &cols)?;
    for inv in &a.perpetrators {
        add_involvement(w, incident_id, act_id, actors, inv)?;
    }
    Ok(act_id)
}

/// Links an actor to an act; the actor is created when it does not exist
/// and the record says what type it is.
pub fn add_involvement(
    w: &mut Writer<'_>,
    incident_id: i64,
    act_id: i64,
    actors: &[ActorRecord],
    inv: &InvolvementRecord,
) -> Result<i64> {
    let actor_id = match w.actor_id_by_name(&inv.actor)? {
        Some(id) => id,
        None => {
            if let Some(def) = actors
                .iter()
                .find(|a| a.name.eq_ignore_ascii_case(&inv.actor))
            {
                ensure_actor_definition(w, def)?
            } else if let Some(t) = inv.actor_type {
                add_actor(
                    w,
                    &ActorRecord {
                        uid: None,
                        name: inv.actor.clone(),
                        aliases: vec![],
                        note: String::new(),
                        types: vec![ActorTypePeriod {
                            actor_type: t,
                            valid_from: None,
                            valid_to: None,
                        }],
                    },
                )?
            } else {
                bail!(
                    "unknown actor '{}' (add it with 'pressreg actor add \"{}\" --type TYPE', or give its type)",
                    inv.actor,
                    inv.actor
                );
            }
        }
    };
    let uid = inv.uid.unwrap_or_else(uid::fresh);
    w.insert(
        Entity::Involvement,
        Some(incident_id),
        &[
            ("uid", text(&uid.to_string())),
            ("act_id", Value::Integer(act_id)),
            ("actor_id", Value::Integer(actor_id)),
        ]
        .into_iter()
        .chain(involvement_fields(inv))
        .collect::<Vec<_>>(),
    )
}

/// Adds an actor with its type periods; returns its id. The name must be new.
pub fn add_actor(w: &mut Writer<'_>, actor: &ActorRecord) -> Result<i64> {
    if read::actor_id_by_name(w.tx(), &actor.name)?.is_some() {
        bail!(
            "actor '{}' already exists (see 'pressreg actor show')",
            actor.name
        );
    }
    let uid = actor.uid.unwrap_or_else(uid::fresh);
    let id = w.insert(
        Entity::Actor,
        None,
        &[
            ("uid", text(&uid.to_string())),
            ("name", text(&actor.name)),
            ("aliases", text_list(&actor.aliases)),
            ("note", text(&actor.note)),
        ],
    )?;
    for period in &actor.types {
        add_actor_period(w, id, period)?;
    }
    Ok(id)
}

/// The id of the actor a definition describes, creating it when missing.
/// An existing actor keeps its own type periods.
pub fn ensure_actor_definition(w: &mut Writer<'_>, actor: &ActorRecord) -> Result<i64> {
    if let Some(uid) = actor.uid {
        if let Some(id) = w.actor_id_by_uid(&uid)? {
            return Ok(id);
        }
    }
    match w.actor_id_by_name(&actor.name)? {
        Some(id) => Ok(id),
        None => add_actor(w, actor),
    }
}

/// Adds a type period to an actor, refusing one that overlaps another.
pub fn add_actor_period(w: &mut Writer<'_>, actor_id: i64, p: &ActorTypePeriod) -> Result<i64> {
    let overlapping: Option<(String, Option<String>, Option<String>)> = w
        .tx()
        .prepare_cached(
            "SELECT type, valid_from, valid_to FROM actor_type_period
             WHERE actor_id = ?1
               AND (valid_from IS NULL OR ?3 IS NULL OR valid_from <= ?3)
               AND (valid_to IS NULL OR ?2 IS NULL OR valid_to >= ?2)",
        )?
        .query_row(
            params![actor_id, date(p.valid_from), date(p.valid_to)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some((t, from, to)) = overlapping {
        bail!(
            "that period overlaps the actor's period as {t} ({} to {}): give --from/--to so periods do not overlap",
            from.as_deref().unwrap_or("the beginning"),
            to.as_deref().unwrap_or("now")
        );
    }
    w.insert(
        Entity::ActorTypePeriod,
        None,
        &[
            ("actor_id", Value::Integer(actor_id)),
            ("type", vocab(p.actor_type)),
            ("valid_from", date(p.valid_from)),
            ("valid_to", date(p.valid_to)),
        ],
    )
}

/// Adds a source to an incident; returns its id.
pub fn add_source(w: &mut Writer<'_>, incident_id: i64, s: &SourceRecord) -> Result<i64> {
    let uid = s.uid.unwrap_or_else(uid::fresh);
    let mut cols = vec![
        ("uid", text(&uid.to_string())),
        ("incident_id", Value::Integer(incident_id)),
    ];
    cols.extend(source_fields(s));
    w.insert(Entity::Source, Some(incident_id), &cols)
}

/// Finds the source a claim names: by uid, URL, or 1-based position among
/// `new_sources` (the sources of the record being written), then among the
/// incident's stored sources.
pub fn resolve_claim_source(
    w: &Writer<'_>,
    incident_id: i64,
    key: &str,
    new_sources: &[(i64, SourceRecord)],
) -> Result<i64> {
    if let Ok(n) = key.parse::<usize>() {
        if n >= 1 && n <= new_sources.len() {
            return Ok(new_sources[n - 1].0);
        }
    }
    for (id, s) in new_sources {
        if s.uid.map(|u| u.to_string()).as_deref() == Some(key)
            || (!s.url.is_empty() && s.url == key)
        {
            return Ok(*id);
        }
    }
    let found: Option<i64> = w
        .tx()
        .prepare_cached(
            "SELECT id FROM source WHERE incident_id = ?1 AND (uid = ?2 OR (url <> '' AND url = ?2))
             ORDER BY id LIMIT 1")?.query_row(params![incident_id, key],
            |r| r.get(0),
        )
        .optional()?;
    found.ok_or_else(|| {
        anyhow!(
            "claim source '{key}' is not a source of this incident (give its uid, URL or number)"
        )
    })
}

/// Adds a claim by a source about a field of the incident or of one of its
/// victims, acts or involvements.
pub fn add_claim(
    w: &mut Writer<'_>,
    incident_id: i64,
    incident_uid: &Uuid,
    source_id: i64,
    c: &ClaimRecord,
) -> Result<i64> {
    let subject_uid = c.subject_uid.unwrap_or(*incident_uid);
    if c.subject != ClaimSubject::Incident || c.subject_uid.is_some() {
        let table = c.subject.as_str();
        let column = if c.subject == ClaimSubject::Involvement {
            "(SELECT incident_id FROM act WHERE act.id = involvement.act_id)"
        } else if c.subject == ClaimSubject::Incident {
            "id"
        } else {
            "incident_id"
        };
        let owner: Option<i64> = w
            .tx()
            .prepare_cached(&format!("SELECT {column} FROM {table} WHERE uid = ?"))?
            .query_row([subject_uid.to_string()], |r| r.get(0))
            .optional()?;
        if owner != Some(incident_id) {
            bail!("claim subject {table} {subject_uid} is not part of this incident");
        }
    }
    let uid = c.uid.unwrap_or_else(uid::fresh);
    w.insert(
        Entity::Claim,
        Some(incident_id),
        &[
            ("uid", text(&uid.to_string())),
            ("incident_id", Value::Integer(incident_id)),
            ("source_id", Value::Integer(source_id)),
            ("subject", vocab(c.subject)),
            ("subject_uid", text(&subject_uid.to_string())),
            ("field", text(&c.field)),
            ("value", text(&c.value)),
            ("stance", vocab(c.stance)),
            ("accepted", boolean(c.accepted && c.withdrawn_at.is_none())),
            (
                "withdrawn_at",
                c.withdrawn_at
                    .map_or(Value::Null, |t| text(&clock::stamp(t))),
            ),
        ],
    )
}

/// Links an incident to another, named by ref or uid.
pub fn add_relation(w: &mut Writer<'_>, incident_id: i64, r: &RelationRecord) -> Result<i64> {
    let related = read::incident_id_by_ref(w.tx(), &r.related)?
        .ok_or_else(|| anyhow!("related incident '{}' is not in the registry", r.related))?;
    w.insert(
        Entity::IncidentRelation,
        Some(incident_id),
        &[
            ("incident_id", Value::Integer(incident_id)),
            ("related_id", Value::Integer(related)),
            ("relation", vocab(r.relation)),
            ("note", text(&r.note)),
        ],
    )
}

/// The prefix of a reference: country and year (`AF-2021`); `0000` when the
/// year is unknown.
fn prefix(country: &str, start: Option<NaiveDate>) -> String {
    match start {
        Some(d) => format!("{country}-{}", d.format("%Y")),
        None => format!("{country}-0000"),
    }
}

/// Hands out the next reference for a country and year. Numbers are never
/// reused: the counter only grows, whatever is deleted.
fn next_reference(w: &mut Writer<'_>, country: &str, start: Option<NaiveDate>) -> Result<String> {
    let prefix = prefix(country, start);
    let last: i64 = w
        .tx()
        .prepare_cached(
            "INSERT INTO ref_counter (prefix, last) VALUES (?1, 1)
             ON CONFLICT (prefix) DO UPDATE SET last = last + 1
             RETURNING last",
        )?
        .query_row([&prefix], |r| r.get(0))
        .context("failed to assign a reference")?;
    Ok(format!("{prefix}-{last:04}"))
}

/// Keeps a reference given with a record (an import of another registry),
/// refusing one in use and moving the counter past it.
fn claim_reference(w: &mut Writer<'_>, reference: &str) -> Result<String> {
    let (prefix, number) = split_reference(reference)
        .ok_or_else(|| anyhow!("ref '{reference}' is not a reference (accepted: CC-YYYY-NNNN)"))?;
    if read::incident_id_by_ref(w.tx(), reference)?.is_some() {
        bail!("ref '{reference}' is already used by another incident");
    }
    w.tx()
        .prepare_cached(
            "INSERT INTO ref_counter (prefix, last) VALUES (?1, ?2)
         ON CONFLICT (prefix) DO UPDATE SET last = max(last, ?2)",
        )?
        .execute(params![prefix, number])?;
    Ok(reference.to_string())
}

/// Splits `AF-2021-0007` into (`AF-2021`, 7).
pub fn split_reference(reference: &str) -> Option<(String, i64)> {
    let (prefix, number) = reference.rsplit_once('-')?;
    let (country, year) = prefix.split_once('-')?;
    let ok = (country.len() == 2 || country.len() == 4)
        && country.bytes().all(|b| b.is_ascii_uppercase())
        && year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && number.len() >= 4
        && number.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| Some((prefix.to_string(), number.parse().ok()?)))
        .flatten()
}

#[cfg(test)]
mod tests {
    use anyhow::Result;

    use crate::db::Db;
    use crate::fields::Entity;

    /// The table and `schema.sql` name the same columns, in the same
    /// order: a column added to the schema without a row here (or the
    /// reverse) fails.
    #[test]
    fn the_table_matches_the_schema() -> Result<()> {
        let db = Db::in_memory()?;
        for entity in [
            Entity::Incident,
            Entity::Victim,
            Entity::Act,
            Entity::Involvement,
            Entity::Source,
        ] {
            let mut stmt = db
                .conn()
                .prepare("SELECT name FROM pragma_table_info(?) ORDER BY cid")?;
            let schema: Vec<String> = stmt
                .query_map([entity.table()], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let system = entity.system_columns();
            let fields: Vec<String> = entity
                .fields()
                .into_iter()
                .filter(|f| f.stored)
                .flat_map(|f| f.columns)
                .map(str::to_string)
                .collect();
            let schema_fields: Vec<String> = schema
                .iter()
                .filter(|c| !system.contains(&c.as_str()))
                .cloned()
                .collect();
            assert_eq!(fields, schema_fields, "{}", entity.table());
            for s in system {
                assert!(schema.iter().any(|c| c == s), "{}.{s}", entity.table());
            }
            // A composite names columns that are fields of their own.
            for f in entity.fields().into_iter().filter(|f| !f.stored) {
                for c in &f.columns {
                    assert!(schema.iter().any(|s| s == c), "{}.{}", f.name, c);
                }
            }
        }
        Ok(())
    }
}

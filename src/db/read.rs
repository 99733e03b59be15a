//! Reading records back: whole incidents as nested records, and the
//! look-ups commands need (a ref, an actor's name, an actor's type on a date).

use anyhow::{anyhow, Context as _, Result};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row};
use uuid::Uuid;

use crate::model::*;

/// The id of the incident with this ref (or uid), deleted or not; else of
/// the one a merge renumbered from this ref (`ref_alias`, the first when
/// several were). Case does not matter: refs are written upper case
/// (`AF-2021-0002`) and uids lower case, but a user types `af-2021-0002` at
/// 2 a.m. A ref stored as given (an imported one) is still found as typed.
/// This is the one place a typed ref becomes an incident.
pub fn incident_id_by_ref(conn: &Connection, reference: &str) -> Result<Option<i64>> {
    let typed = reference.trim();
    let upper = typed.to_ascii_uppercase();
    // Three equalities on unique columns: SQLite answers each from its
    // index, where `COLLATE NOCASE` would read the whole table.
    let found = conn
        .prepare_cached("SELECT id FROM incident WHERE ref = ?1 OR ref = ?2 OR uid = ?3")?
        .query_row([typed, &upper, &typed.to_ascii_lowercase()], |r| r.get(0))
        .optional()?;
    if found.is_some() {
        return Ok(found);
    }
    Ok(conn
        .prepare_cached("SELECT min(incident_id) FROM ref_alias WHERE alias = ?1 OR alias = ?2")?
        .query_row([typed, &upper], |r| r.get(0))?)
}

/// The id of the incident with this uid.
pub fn incident_id_by_uid(conn: &Connection, uid: &Uuid) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM incident WHERE uid = ?")?
        .query_row([uid.to_string()], |r| r.get(0))
        .optional()?)
}

/// The id of the newest revision (0 for an empty log).
pub fn last_revision_id(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM revision")?
        .query_row([], |r| r.get(0))?)
}

/// Whether the incident has any revision newer than `revision_id`.
pub fn changed_since(conn: &Connection, incident_id: i64, revision_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM revision WHERE incident_id = ? AND id > ?)")?
        .query_row([incident_id, revision_id], |r| r.get(0))?)
}

/// The id of an incident named by a user, or an error naming the ref (and,
/// for an incident erased for good, when, by whom and why).
pub fn require_incident(conn: &Connection, reference: &str) -> Result<i64> {
    if let Some(id) = incident_id_by_ref(conn, reference)? {
        return Ok(id);
    }
    let purge = match super::erase::purge_of(conn, reference)? {
        Some(p) => Some(p),
        None => super::erase::purge_of(conn, &reference.trim().to_ascii_uppercase())?,
    };
    match purge {
        Some(p) => Err(anyhow!(
            "'{reference}' was erased for good at {} by {}: {}",
            p.at,
            p.by,
            p.reason
        )),
        None => Err(anyhow!("{}", unknown_ref(conn, reference)?)),
    }
}

/// Why `reference` names no incident, with a correct example: the ref it
/// was probably meant to be (one character off: `AF-2021-0099` for
/// `AF-2021-0009`), else the shape of a ref, shown by a real one.
pub fn unknown_ref(conn: &Connection, reference: &str) -> Result<String> {
    let wanted = reference.trim().to_ascii_uppercase();
    let mut first = None;
    let mut nearest: Option<(usize, String)> = None;
    let mut stmt = conn.prepare("SELECT ref FROM incident ORDER BY ref")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let r: String = row.get(0)?;
        // One edit away, no more: every ref has the same shape, so a
        // looser measure would find a "nearest" ref for anything.
        let distance = strsim::levenshtein(&wanted, &r.to_ascii_uppercase());
        if distance <= 1 && nearest.as_ref().is_none_or(|(d, _)| distance < *d) {
            nearest = Some((distance, r.clone()));
        }
        first.get_or_insert(r);
    }
    Ok(match (nearest, first) {
        (Some((_, near)), _) => format!(
            "no incident '{reference}' in the registry: did you mean '{near}'? \
             ('pressreg list' shows every ref)"
        ),
        (None, Some(example)) => format!(
            "no incident '{reference}' in the registry (refs look like {example}; \
             'pressreg list' shows every ref)"
        ),
        (None, None) => format!("no incident '{reference}': the registry holds no incidents yet"),
    })
}

/// Why `name` names no actor, with a correct example (one rule for
/// `actor show` and a claim's `--actor`).
pub fn unknown_actor(conn: &Connection, name: &str) -> Result<String> {
    let names = conn
        .prepare("SELECT name FROM actor ORDER BY name COLLATE NOCASE")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(unknown_actor_among(name, &names))
}

/// Why `name` names no actor, with a correct example: the actor's name it
/// was probably meant to be (`Talibn`, `taleban`), else one the registry
/// has.
fn unknown_actor_among(name: &str, names: &[String]) -> String {
    let wanted = name.trim().to_lowercase();
    // Jaro-Winkler, as for the vocabularies: a shared beginning is how a
    // name is mistyped or shortened; 0.85 keeps unrelated names out.
    let nearest = names
        .iter()
        .map(|n| (strsim::jaro_winkler(&wanted, &n.to_lowercase()), n))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match (nearest, names.first()) {
        (Some((_, near)), _) => format!(
            "no actor '{name}' in the registry: did you mean '{near}'? \
             ('pressreg actor list' shows every actor)"
        ),
        (None, Some(example)) => format!(
            "no actor '{name}' in the registry ('pressreg actor list' shows every actor, \
             e.g. '{example}')"
        ),
        (None, None) => format!("no actor '{name}': the registry holds no actors yet"),
    }
}

/// The id of the actor with this name or alias (case does not matter).
pub fn actor_id_by_name(conn: &Connection, name: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM actor WHERE name = ?1 COLLATE NOCASE
             UNION ALL
             SELECT actor.id FROM actor, json_each(actor.aliases)
             WHERE json_each.value = ?1 COLLATE NOCASE
             LIMIT 1",
        )?
        .query_row([name.trim()], |r| r.get(0))
        .optional()?)
}

fn parse_stamp(s: Option<String>) -> Option<DateTime<Utc>> {
    s.and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
        .map(|t| t.with_timezone(&Utc))
}

fn json_list<T: serde::de::DeserializeOwned>(text: &str) -> Vec<T> {
    serde_json::from_str(text).unwrap_or_default()
}

fn uid(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<Uuid>> {
    let s: String = r.get(i)?;
    Ok(Uuid::parse_str(&s).ok())
}

/// Actors already read, by id, for commands that read many incidents in
/// one read transaction (an export): each actor is read once, and its type
/// on an act's date is worked out from its periods without a query. Keep
/// one only as long as the transaction that filled it.
#[derive(Default)]
pub struct ActorCache(std::collections::HashMap<i64, ActorRecord>);

impl ActorCache {
    fn get(&mut self, conn: &Connection, actor_id: i64) -> Result<&ActorRecord> {
        Ok(match self.0.entry(actor_id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(load_actor(conn, actor_id)?),
        })
    }
}

/// Loads one incident with everything attached to it.
pub fn load_incident(conn: &Connection, id: i64) -> Result<IncidentRecord> {
    load_incident_with(conn, id, &mut ActorCache::default(), true)
}

/// `load_incident`, reading actors through `actors`; without its claims
/// and relations when `all` is false (two statements fewer for a reader
/// that writes neither, such as the CSV of an export).
pub fn load_incident_with(
    conn: &Connection,
    id: i64,
    actors: &mut ActorCache,
    all: bool,
) -> Result<IncidentRecord> {
    let mut rec = conn
        .prepare_cached(
            "SELECT uid, ref, title, summary, date_start, date_end, date_precision,
                    date_approximate, date_as_reported, calendar, country, admin1, admin2,
                    locality, place, latitude, longitude, geo_precision, context, verification,
                    work_link, justice, confidentiality, private_notes,
                    (SELECT d.ref FROM incident d WHERE d.id = incident.duplicate_of),
                    created_at, updated_at, deleted_at
             FROM incident WHERE id = ?",
        )?
        .query_row([id], |r| {
            Ok(IncidentRecord {
                uid: uid(r, 0)?,
                reference: Some(r.get(1)?),
                title: r.get(2)?,
                summary: r.get(3)?,
                date: None,
                date_start: r.get(4)?,
                date_end: r.get(5)?,
                date_precision: Some(r.get(6)?),
                date_approximate: r.get(7)?,
                date_as_reported: r.get(8)?,
                calendar: r.get(9)?,
                country: r.get(10)?,
                admin1: r.get(11)?,
                admin2: r.get(12)?,
                locality: r.get(13)?,
                place: r.get(14)?,
                latitude: r.get(15)?,
                longitude: r.get(16)?,
                geo_precision: r.get(17)?,
                context: r.get(18)?,
                verification: r.get(19)?,
                work_link: r.get(20)?,
                justice: r.get(21)?,
                confidentiality: r.get(22)?,
                private_notes: r.get(23)?,
                duplicate_of: r.get(24)?,
                created_at: parse_stamp(r.get(25)?),
                updated_at: parse_stamp(r.get(26)?),
                deleted_at: parse_stamp(r.get(27)?),
                victims: vec![],
                sources: vec![],
                claims: vec![],
                relations: vec![],
                actors: vec![],
            })
        })
        .with_context(|| format!("failed to read incident {id}"))?;

    let mut victims = conn.prepare_cached(
        "SELECT id, uid, name, name_variants, anonymous, sex, age, nationality, local_or_foreign,
                category, employment, jobs, mediums, outlet, beats, status, confidentiality,
                private_notes
         FROM victim WHERE incident_id = ? ORDER BY position",
    )?;
    let rows = victims.query_map([id], |r| {
        let id: i64 = r.get(0)?;
        let v = VictimRecord {
            uid: uid(r, 1)?,
            name: r.get(2)?,
            name_variants: json_list(&r.get::<_, String>(3)?),
            anonymous: r.get(4)?,
            sex: r.get(5)?,
            age: r.get(6)?,
            nationality: r.get(7)?,
            local_or_foreign: r.get(8)?,
            category: r.get(9)?,
            employment: r.get(10)?,
            jobs: json_list(&r.get::<_, String>(11)?),
            mediums: json_list(&r.get::<_, String>(12)?),
            outlet: r.get(13)?,
            beats: json_list(&r.get::<_, String>(14)?),
            status: r.get(15)?,
            confidentiality: r.get(16)?,
            private_notes: r.get(17)?,
            acts: vec![],
        };
        Ok((id, v))
    })?;
    let mut actor_ids = Vec::new();
    for row in rows {
        let (victim_id, mut v) = row?;
        v.acts = load_acts(
            conn,
            victim_id,
            (rec.date_start, rec.date_end),
            &mut actor_ids,
            actors,
        )?;
        rec.victims.push(v);
    }

    let mut sources = conn.prepare_cached(
        "SELECT uid, type, publisher, url, title, published_on, accessed_on, language,
                reliability, confidential, note, via, withdrawn_at
         FROM source WHERE incident_id = ? ORDER BY id",
    )?;
    rec.sources = sources
        .query_map([id], |r| {
            Ok(SourceRecord {
                uid: uid(r, 0)?,
                source_type: r.get(1)?,
                publisher: r.get(2)?,
                url: r.get(3)?,
                title: r.get(4)?,
                published_on: r.get(5)?,
                accessed_on: r.get(6)?,
                language: r.get(7)?,
                reliability: r.get(8)?,
                confidential: r.get(9)?,
                note: r.get(10)?,
                via: r.get(11)?,
                withdrawn_at: parse_stamp(r.get(12)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;

    if all {
        load_claims_and_relations(conn, id, &mut rec)?;
    }

    actor_ids.sort_unstable();
    actor_ids.dedup();
    for actor_id in actor_ids {
        rec.actors.push(actors.get(conn, actor_id)?.clone());
    }
    Ok(rec)
}

/// Reads the claims and relations of incident `id` into `rec`.
fn load_claims_and_relations(conn: &Connection, id: i64, rec: &mut IncidentRecord) -> Result<()> {
    let mut claims = conn.prepare_cached(
        "SELECT claim.uid, source.uid, claim.subject, claim.subject_uid, claim.field,
                claim.value, claim.stance, claim.accepted, incident.uid, claim.withdrawn_at
         FROM claim JOIN source ON source.id = claim.source_id
                    JOIN incident ON incident.id = claim.incident_id
         WHERE claim.incident_id = ? ORDER BY claim.id",
    )?;
    rec.claims = claims
        .query_map([id], |r| {
            let subject_uid: String = r.get(3)?;
            let incident_uid: String = r.get(8)?;
            Ok(ClaimRecord {
                uid: uid(r, 0)?,
                source: r.get(1)?,
                subject: r.get(2)?,
                subject_uid: if subject_uid == incident_uid {
                    None
                } else {
                    Uuid::parse_str(&subject_uid).ok()
                },
                field: r.get(4)?,
                value: r.get(5)?,
                stance: r.get(6)?,
                accepted: r.get(7)?,
                withdrawn_at: parse_stamp(r.get(9)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;

    let mut relations = conn.prepare_cached(
        "SELECT other.ref, relation, note FROM incident_relation
         JOIN incident other ON other.id = incident_relation.related_id
         WHERE incident_relation.incident_id = ? ORDER BY incident_relation.id",
    )?;
    rec.relations = relations
        .query_map([id], |r| {
            Ok(RelationRecord {
                related: r.get(0)?,
                relation: r.get(1)?,
                note: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(())
}

fn load_acts(
    conn: &Connection,
    victim_id: i64,
    incident_dates: (Option<NaiveDate>, Option<NaiveDate>),
    actor_ids: &mut Vec<i64>,
    actors: &mut ActorCache,
) -> Result<Vec<ActRecord>> {
    let mut acts = conn.prepare_cached(
        "SELECT id, uid, type, death_context, method, date_start, date_end, date_precision, note
         FROM act WHERE victim_id = ? ORDER BY id",
    )?;
    let rows: Vec<(i64, ActRecord)> = acts
        .query_map([victim_id], |r| {
            Ok((
                r.get(0)?,
                ActRecord {
                    uid: uid(r, 1)?,
                    act_type: r.get(2)?,
                    death_context: r.get(3)?,
                    method: r.get(4)?,
                    date: None,
                    date_start: r.get(5)?,
                    date_end: r.get(6)?,
                    date_precision: r.get(7)?,
                    note: r.get(8)?,
                    perpetrators: vec![],
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(rows.len());
    let mut invs = conn.prepare_cached(
        "SELECT involvement.uid, actor.name, actor.id, role, basis, confidence, involvement.note
         FROM involvement JOIN actor ON actor.id = involvement.actor_id
         WHERE act_id = ? ORDER BY involvement.id",
    )?;
    for (act_id, mut act) in rows {
        let (first, last) = act_days(
            act.date_start,
            act.date_end,
            incident_dates.0,
            incident_dates.1,
        );
        let found: Vec<(InvolvementRecord, i64)> = invs
            .query_map([act_id], |r| {
                Ok((
                    InvolvementRecord {
                        uid: uid(r, 0)?,
                        actor: r.get(1)?,
                        actor_type: None,
                        role: r.get(3)?,
                        basis: r.get(4)?,
                        confidence: r.get(5)?,
                        note: r.get(6)?,
                    },
                    r.get(2)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (mut inv, actor_id) in found {
            inv.actor_type = actors.get(conn, actor_id)?.type_on(first, last);
            actor_ids.push(actor_id);
            act.perpetrators.push(inv);
        }
        out.push(act);
    }
    Ok(out)
}

/// Loads an actor with its type periods.
pub fn load_actor(conn: &Connection, actor_id: i64) -> Result<ActorRecord> {
    let mut actor = conn
        .prepare_cached("SELECT uid, name, aliases, note FROM actor WHERE id = ?")?
        .query_row([actor_id], |r| {
            Ok(ActorRecord {
                uid: uid(r, 0)?,
                name: r.get(1)?,
                aliases: json_list(&r.get::<_, String>(2)?),
                note: r.get(3)?,
                types: vec![],
            })
        })?;
    let mut periods = conn.prepare_cached(
        "SELECT type, valid_from, valid_to FROM actor_type_period
         WHERE actor_id = ? ORDER BY valid_from IS NOT NULL, valid_from, id",
    )?;
    actor.types = periods
        .query_map([actor_id], |r| {
            Ok(ActorTypePeriod {
                actor_type: r.get(0)?,
                valid_from: r.get(1)?,
                valid_to: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(actor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_actor_is_answered_with_the_nearest_name_or_an_example() {
        let names = ["Haqqani network".to_string(), "Taliban".to_string()];
        assert_eq!(
            unknown_actor_among("talibn", &names),
            "no actor 'talibn' in the registry: did you mean 'Taliban'? \
             ('pressreg actor list' shows every actor)"
        );
        assert_eq!(
            unknown_actor_among("Nobody", &names),
            "no actor 'Nobody' in the registry ('pressreg actor list' shows every actor, \
             e.g. 'Haqqani network')"
        );
        assert_eq!(
            unknown_actor_among("Nobody", &[]),
            "no actor 'Nobody': the registry holds no actors yet"
        );
    }
}

//! The counting units kept on write (tables `count_unit`,
//! `count_unit_actor`): the units of the default profile, `victims`, made
//! by the profile's own code (`count::Profile::units`) from the same facts
//! a summary streams (`facts::for_each_incident`), so that a summary the
//! table can answer is one GROUP BY instead of a join over every act.
//!
//! Invariants:
//! * the tables hold exactly the units the profile makes from the registry
//!   as it stands: `Db::write` replaces the units of every incident its
//!   revisions touched before it commits (`refresh`), an upgrade fills them
//!   (`rebuild`), and `check` recomputes and compares (`differences`). No
//!   counting rule is written here or in SQL: a unit, its year, its act
//!   type and its perpetrators' types are what `count` makes of the facts;
//! * units are stored for every incident, deleted or not, at every
//!   verification level and confidentiality: a summary's filter picks them;
//! * a summary is answered from the tables only when every part of its
//!   filter is a column of `count_unit` (whole years, audience,
//!   verification, deletion) and every `--by` dimension is stored
//!   (`answer`, else None: the summary streams the facts).

use anyhow::Result;
use chrono::Datelike;
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};

use super::facts::{self, Fact, FactQuery};
use super::query::Filter;
use crate::count::{self, Dim, Profile};
use crate::vocab::*;

/// The profile whose units are kept.
pub const PROFILE: Profile = Profile::Victims;

/// The `--by` dimensions the tables store, with the column of each.
const STORED: [(Dim, &str); 4] = [
    (Dim::Year, "u.year"),
    (Dim::Act, "u.act"),
    (Dim::ActorType, "x.actor_type"),
    (Dim::State, "x.state"),
];

/// A write that adds more than this share of the revision log (one in
/// `FULL_PASS`) recomputes every unit in one pass instead of looking up the
/// incidents it touched (a bulk import: one streaming pass, memory flat).
const FULL_PASS: i64 = 4;

/// One stored unit, as `check` compares it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct StoredUnit {
    victim_id: i64,
    year: Option<i64>,
    act: String,
    verification: String,
    deleted: bool,
    confidentiality: String,
    victim_confidentiality: String,
    /// 1: stands on a vague date; 2: on an unknown one.
    dates: i64,
    /// (actor_type, state) as `--by` shows them, sorted, each once.
    actors: Vec<(String, String)>,
}

/// The one value of a single-valued dimension for a fact.
fn value(dim: Dim, fact: &Fact) -> String {
    dim.values(fact, PROFILE)
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// The units the profile makes of one incident's facts.
fn units_of(facts: &[Fact]) -> Vec<StoredUnit> {
    PROFILE
        .units(facts)
        .into_iter()
        .filter_map(|unit| {
            let first = *unit.facts.first()?;
            let (vague, undated) = count::vague_dates(std::slice::from_ref(&unit));
            let mut actors: Vec<(String, String)> = unit
                .facts
                .iter()
                .map(|f| (value(Dim::ActorType, f), value(Dim::State, f)))
                .collect();
            actors.sort();
            actors.dedup();
            Some(StoredUnit {
                victim_id: first.victim_id,
                year: first.date.map(|d| i64::from(d.year())),
                act: value(Dim::Act, first),
                verification: first.verification.as_str().to_string(),
                deleted: first.deleted,
                confidentiality: first.confidentiality.as_str().to_string(),
                victim_confidentiality: first.victim_confidentiality.as_str().to_string(),
                dates: i64::from(vague > 0) | (i64::from(undated > 0) << 1),
                actors,
            })
        })
        .collect()
}

/// Calls `each` with the units of every incident (or of `only`), one
/// incident at a time.
fn for_each_incident_units(
    conn: &Connection,
    only: Option<&[i64]>,
    mut each: impl FnMut(i64, Vec<StoredUnit>) -> Result<()>,
) -> Result<()> {
    // Every incident, whatever its verification, deletion or audience.
    let filter = Filter {
        verification: Verification::ALL.to_vec(),
        include_deleted: true,
        attribution: PROFILE.spec().attribution,
        ..Filter::default()
    };
    let q = FactQuery {
        filter: &filter,
        with_actors: true,
        actor_names: false,
        refs: false,
        country: false,
        admin1: false,
        mediums: false,
        victims: false,
        audience: true,
        only,
    };
    facts::for_each_incident(conn, &q, |facts| {
        let id = facts[0].incident_id;
        each(id, units_of(facts))
    })
}

/// Stores one incident's units.
fn store(conn: &Connection, incident_id: i64, units: &[StoredUnit]) -> Result<()> {
    let mut unit_stmt = conn.prepare_cached(
        "INSERT INTO count_unit (incident_id, victim_id, year, act, verification, deleted,
                                 confidentiality, victim_confidentiality, dates)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut actor_stmt = conn.prepare_cached(
        "INSERT INTO count_unit_actor (unit_id, actor_type, state) VALUES (?1, ?2, ?3)",
    )?;
    for u in units {
        unit_stmt.execute(params![
            incident_id,
            u.victim_id,
            u.year,
            u.act,
            u.verification,
            u.deleted,
            u.confidentiality,
            u.victim_confidentiality,
            u.dates
        ])?;
        let id = conn.last_insert_rowid();
        for (actor_type, state) in &u.actors {
            actor_stmt.execute(params![id, actor_type, state])?;
        }
    }
    Ok(())
}

/// Recomputes every unit (an upgrade, a bulk load, a field copy).
pub(in crate::db) fn rebuild(conn: &Connection) -> Result<()> {
    conn.execute_batch("DELETE FROM count_unit_actor; DELETE FROM count_unit;")?;
    for_each_incident_units(conn, None, |id, units| store(conn, id, &units))
}

/// The last revision's id (0: none), taken before a write so that
/// `refresh` can tell which revisions the write made.
pub(in crate::db) fn log_head(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT coalesce(max(id), 0) FROM revision", [], |r| {
            r.get(0)
        })?,
    )
}

/// Replaces the units of every incident the revisions after `since` touched:
/// the incident of each revision, and every incident linked to an actor
/// whose name or type periods changed (its type on an act's date moves the
/// unit between `--by actor_type` rows). A revision that names no incident
/// and no actor (a field copy's), or a write that adds a large share of the
/// log, recomputes them all.
pub(in crate::db) fn refresh(conn: &Connection, since: i64) -> Result<()> {
    let head = log_head(conn)?;
    if head == since {
        return Ok(());
    }
    let unattributed: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM revision WHERE id > ?1 AND incident_id IS NULL
                          AND entity <> 'actor' AND entity <> 'actor_type_period')",
        [since],
        |r| r.get(0),
    )?;
    if unattributed || (head - since) * FULL_PASS > head {
        return rebuild(conn);
    }
    // A period's actor: from the row, or from the row the log recorded as
    // created or deleted.
    let touched: Vec<i64> = conn
        .prepare(
            "SELECT incident_id FROM revision WHERE id > ?1 AND incident_id IS NOT NULL
             UNION
             SELECT a.incident_id FROM involvement inv JOIN act a ON a.id = inv.act_id
              WHERE inv.actor_id IN (
                SELECT entity_id FROM revision WHERE id > ?1 AND entity = 'actor'
                UNION
                SELECT coalesce((SELECT p.actor_id FROM actor_type_period p WHERE p.id = r.entity_id),
                                json_extract(r.old, '$.actor_id'), json_extract(r.new, '$.actor_id'))
                FROM revision r WHERE r.id > ?1 AND r.entity = 'actor_type_period')",
        )?
        .query_map([since], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if touched.is_empty() {
        return Ok(());
    }
    let ids = serde_json::to_string(&touched)?;
    conn.execute(
        "DELETE FROM count_unit_actor WHERE unit_id IN
           (SELECT id FROM count_unit WHERE incident_id IN (SELECT value FROM json_each(?1)))",
        [&ids],
    )?;
    conn.execute(
        "DELETE FROM count_unit WHERE incident_id IN (SELECT value FROM json_each(?1))",
        [&ids],
    )?;
    for_each_incident_units(conn, Some(&touched), |id, units| store(conn, id, &units))
}

/// The stored units of one incident.
fn stored(conn: &Connection, incident_id: i64) -> Result<Vec<StoredUnit>> {
    let mut units_stmt = conn.prepare_cached(
        "SELECT id, victim_id, year, act, verification, deleted, confidentiality,
                victim_confidentiality, dates
         FROM count_unit WHERE incident_id = ?",
    )?;
    let mut actors_stmt = conn.prepare_cached(
        "SELECT actor_type, state FROM count_unit_actor WHERE unit_id = ? ORDER BY 1, 2",
    )?;
    let rows: Vec<(i64, StoredUnit)> = units_stmt
        .query_map([incident_id], |r| {
            Ok((
                r.get(0)?,
                StoredUnit {
                    victim_id: r.get(1)?,
                    year: r.get(2)?,
                    act: r.get(3)?,
                    verification: r.get(4)?,
                    deleted: r.get(5)?,
                    confidentiality: r.get(6)?,
                    victim_confidentiality: r.get(7)?,
                    dates: r.get(8)?,
                    actors: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, mut unit) in rows {
        unit.actors = actors_stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        out.push(unit);
    }
    Ok(out)
}

/// Where the stored units differ from the units the profile makes of the
/// registry now: the first `limit` differences (one per incident), and how
/// many there are in all.
pub(in crate::db) fn differences(conn: &Connection, limit: usize) -> Result<(Vec<String>, usize)> {
    let mut shown = Vec::new();
    let mut total = 0usize;
    let mut note = |text: String| {
        total += 1;
        if shown.len() < limit {
            shown.push(text);
        }
    };
    let name = |id: i64| -> Result<String> {
        let reference: Option<String> = conn
            .prepare_cached("SELECT ref FROM incident WHERE id = ?")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        Ok(reference.unwrap_or_else(|| format!("incident {id}")))
    };
    for_each_incident_units(conn, None, |id, mut recounted| {
        let mut kept = stored(conn, id)?;
        recounted.sort();
        kept.sort();
        if kept != recounted {
            note(format!(
                "{}: {} stored, {} made from its records{}",
                name(id)?,
                units(kept.len()),
                recounted.len(),
                if kept.len() == recounted.len() {
                    " (they differ)"
                } else {
                    ""
                }
            ));
        }
        Ok(())
    })?;
    // Units of an incident that has no acts, or no longer exists.
    let orphans: Vec<(i64, i64)> = conn
        .prepare(
            "SELECT incident_id, count(*) FROM count_unit u
             WHERE NOT EXISTS (SELECT 1 FROM act a WHERE a.incident_id = u.incident_id)
             GROUP BY incident_id ORDER BY incident_id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, n) in orphans {
        note(format!(
            "{}: {} stored, 0 made from its records",
            name(id)?,
            units(n as usize)
        ));
    }
    let loose: i64 = conn.query_row(
        "SELECT count(*) FROM count_unit_actor x
         WHERE NOT EXISTS (SELECT 1 FROM count_unit u WHERE u.id = x.unit_id)",
        [],
        |r| r.get(0),
    )?;
    if loose > 0 {
        note(format!(
            "{loose} perpetrator type{} stored for no counting unit",
            if loose == 1 { "" } else { "s" }
        ));
    }
    Ok((shown, total))
}

/// "1 counting unit", "2 counting units".
fn units(n: usize) -> String {
    if n == 1 {
        "1 counting unit".into()
    } else {
        format!("{n} counting units")
    }
}

/// What a summary counted from the stored units.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// One entry per row: the dimension values and the units in it.
    pub rows: Vec<(Vec<String>, Vec<u64>)>,
    /// Every unit once.
    pub total: u64,
    /// Incidents among those counted with a vague date, and with none.
    pub vague: usize,
    pub undated: usize,
}

/// The years a period covers when it is whole years (or open), as the
/// table can select them; None for a period that starts or ends within a
/// year.
fn whole_years(
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> Option<(Option<i32>, Option<i32>)> {
    let first = match from {
        None => None,
        Some(d) if d.ordinal() == 1 => Some(d.year()),
        Some(_) => return None,
    };
    let last = match to {
        None => None,
        Some(d) if d.month() == 12 && d.day() == 31 => Some(d.year()),
        Some(_) => return None,
    };
    Some((first, last))
}

/// Counts the `victims` profile's units for `filter`, by `by`, from the
/// tables, or None when the tables cannot answer it exactly (see the
/// module).
pub fn answer(conn: &Connection, filter: &Filter, by: &[Dim]) -> Result<Option<Answer>> {
    // Named one by one, so that a new filter is weighed here too.
    let Filter {
        from,
        to,
        countries,
        admin1,
        acts,
        actor,
        actor_types,
        verification,
        work_link,
        victim,
        outlet,
        disputed,
        include_deleted,
        confidentiality,
        shown_victims_only,
        attribution,
    } = filter;
    let narrowed = !countries.is_empty()
        || admin1.is_some()
        || !acts.is_empty()
        || actor.is_some()
        || !actor_types.is_empty()
        || !work_link.is_empty()
        || victim.is_some()
        || outlet.is_some()
        || *disputed
        || *attribution != PROFILE.spec().attribution;
    let Some((first, last)) = whole_years(*from, *to) else {
        return Ok(None);
    };
    let columns: Option<Vec<&str>> = by
        .iter()
        .map(|d| STORED.iter().find(|(s, _)| s == d).map(|(_, c)| *c))
        .collect();
    let Some(columns) = columns else {
        return Ok(None);
    };
    if narrowed || columns.is_empty() {
        return Ok(None);
    }

    let mut conds: Vec<String> = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    let text = |v: &str| Value::Text(v.to_string());
    if !include_deleted {
        conds.push("u.deleted = 0".into());
    }
    if verification.is_empty() {
        conds.push(
            "u.verification <> 'rejected' AND u.verification <> 'out_of_scope'
             AND u.verification <> 'duplicate'"
                .into(),
        );
    } else {
        conds.push(format!(
            "u.verification IN ({})",
            vec!["?"; verification.len()].join(", ")
        ));
        params.extend(verification.iter().map(|v| text(v.as_str())));
    }
    if !confidentiality.is_empty() {
        let marks = vec!["?"; confidentiality.len()].join(", ");
        conds.push(format!("u.confidentiality IN ({marks})"));
        params.extend(confidentiality.iter().map(|v| text(v.as_str())));
        if *shown_victims_only {
            conds.push(format!("u.victim_confidentiality IN ({marks})"));
            params.extend(confidentiality.iter().map(|v| text(v.as_str())));
        }
    }
    if let Some(y) = first {
        conds.push("u.year >= ?".into());
        params.push(Value::Integer(i64::from(y)));
    }
    if let Some(y) = last {
        conds.push("u.year <= ?".into());
        params.push(Value::Integer(i64::from(y)));
    }
    let cond = conds.join(" AND ");
    let list = columns.join(", ");
    let per_actor = columns.iter().any(|c| c.starts_with("x."));
    // A unit falls once in each row it is in: once per row by year and
    // act; by perpetrator type, in each of its types' rows.
    let sql = if per_actor {
        format!(
            "SELECT {list}, count(DISTINCT u.id) FROM count_unit u
             JOIN count_unit_actor x ON x.unit_id = u.id
             WHERE {cond} GROUP BY {list}"
        )
    } else {
        format!("SELECT {list}, count(*) FROM count_unit u WHERE {cond} GROUP BY {list}")
    };
    let mut stmt = conn.prepare(&sql)?;
    let mut out = stmt.query(rusqlite::params_from_iter(&params))?;
    let mut rows = Vec::new();
    while let Some(r) = out.next()? {
        let mut values = Vec::with_capacity(by.len());
        for (i, dim) in by.iter().enumerate() {
            values.push(if *dim == Dim::Year {
                count::year_text(r.get::<_, Option<i64>>(i)?.map(|y| y as i32))
            } else {
                r.get(i)?
            });
        }
        rows.push((values, vec![r.get::<_, u64>(by.len())?]));
    }
    // Each unit is in one row by year and act: the rows add up to the
    // total. A unit can be in several rows by perpetrator type.
    let total: u64 = if per_actor {
        conn.query_row(
            &format!("SELECT count(*) FROM count_unit u WHERE {cond}"),
            rusqlite::params_from_iter(&params),
            |r| r.get(0),
        )?
    } else {
        rows.iter().map(|(_, n)| n[0]).sum()
    };
    // The footnotes count incidents, each once, among the units counted.
    let (vague, undated) = conn.query_row(
        &format!(
            "SELECT count(DISTINCT CASE WHEN u.dates & 1 THEN u.incident_id END),
                    count(DISTINCT CASE WHEN u.dates & 2 THEN u.incident_id END)
             FROM count_unit u INDEXED BY count_unit_dates WHERE u.dates <> 0 AND {cond}"
        ),
        rusqlite::params_from_iter(&params),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Some(Answer {
        rows,
        total,
        vague,
        undated,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    fn day(s: &str) -> chrono::NaiveDate {
        s.parse().expect("a test date")
    }

    /// The table answers only what it holds exactly: whole years, the
    /// audience, verification and deletion, by stored dimensions; any
    /// other summary is left to the streamed count.
    #[test]
    fn only_summaries_the_table_holds_are_answered_from_it() -> Result<()> {
        let db = Db::in_memory()?;
        let conn = db.conn();
        let whole = Filter {
            from: Some(day("1992-01-01")),
            to: Some(day("2021-12-31")),
            confidentiality: vec![Confidentiality::Public],
            shown_victims_only: true,
            ..Filter::default()
        };
        let by = [Dim::Year, Dim::Act, Dim::ActorType, Dim::State];
        assert!(answer(conn, &whole, &by)?.is_some());
        assert!(answer(conn, &Filter::default(), &[Dim::Year])?.is_some());
        let not_answered = [
            Filter {
                from: Some(day("2021-03-01")),
                ..whole.clone()
            },
            Filter {
                to: Some(day("2021-06-30")),
                ..whole.clone()
            },
            Filter {
                countries: vec!["AF".into()],
                ..whole.clone()
            },
            Filter {
                acts: vec![ActType::Killed],
                ..whole.clone()
            },
            Filter {
                actor_types: vec![ActorType::ArmedGroup],
                ..whole.clone()
            },
            Filter {
                victim: Some("Omar".into()),
                ..whole.clone()
            },
            Filter {
                disputed: true,
                ..whole.clone()
            },
        ];
        for filter in &not_answered {
            assert_eq!(answer(conn, filter, &by)?, None, "{filter:?}");
        }
        for dim in [Dim::Month, Dim::Country, Dim::Actor, Dim::Sex, Dim::Medium] {
            assert_eq!(answer(conn, &whole, &[Dim::Year, dim])?, None, "{dim:?}");
        }
        Ok(())
    }
}

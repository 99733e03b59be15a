//! The registry as it stood at a past moment, or at the end of a past day,
//! rebuilt from the revision log (`summary --as-of`).
//!
//! Every revision stamped up to that moment (inclusive), or up to the end of
//! the day (UTC), is replayed, in log
//! order, into a new in-memory registry with the same schema: a create
//! inserts the logged row with its original id, an update (including a soft
//! delete or restore, which are updates of `incident.deleted_at`) sets the
//! one field, and a hard delete removes the row (its children go with it
//! through `ON DELETE CASCADE`, as they did in the real registry). The log
//! rows themselves are copied too, and the reference counters are advanced
//! as the creates pass, so the result holds every table as it stood.
//!
//! What must stay true:
//! * the log is trusted for values, not for names: every table and column
//!   name read from it is checked against the schema before it reaches SQL;
//! * a revision that cannot be applied (its row is missing, which happens
//!   only when the clock went backwards between commands or the file was
//!   edited by hand) is an error naming the revision, never silently skipped.

use std::collections::{HashMap, HashSet};

use anyhow::{anyhow, bail, Context, Result};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{params, Connection};
use serde_json::Value as Json;

use super::revision::{from_json, Entity};
use super::write::split_reference;
use super::Db;

/// A point in the revision log to rebuild the registry at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsOf {
    /// The end of a day (UTC): every change stamped that day or before.
    Day(NaiveDate),
    /// A moment: every change stamped at or before it, so that two imports
    /// made on one day can be told apart.
    Moment(DateTime<Utc>),
}

impl AsOf {
    /// Reads `--as-of`: a day (YYYY-MM-DD) or a moment (RFC 3339, as the
    /// revision log and `history` print them).
    pub fn parse(text: &str) -> Result<AsOf> {
        let t = text.trim();
        if let Ok(day) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            if day.format("%Y-%m-%d").to_string() == t {
                return Ok(AsOf::Day(day));
            }
        }
        DateTime::parse_from_rfc3339(t)
            .map(|m| AsOf::Moment(m.with_timezone(&Utc)))
            .map_err(|_| {
                anyhow!(
                    "--as-of '{text}' is not a date or a moment (accepted: YYYY-MM-DD, or \
                     YYYY-MM-DDTHH:MM:SSZ as history prints it)"
                )
            })
    }

    /// Whether a change stamped `at` was made by then.
    fn includes(&self, at: DateTime<Utc>) -> Result<bool> {
        Ok(match self {
            AsOf::Day(day) => {
                let next = day
                    .succ_opt()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .map(|t| t.and_utc())
                    .ok_or_else(|| anyhow!("--as-of {day} is too far in the future"))?;
                at < next
            }
            AsOf::Moment(m) => at <= *m,
        })
    }
}

impl std::fmt::Display for AsOf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AsOf::Day(day) => write!(f, "{day}"),
            AsOf::Moment(m) => write!(
                f,
                "{}",
                m.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            ),
        }
    }
}

/// Replays every revision made by `as_of` into a new in-memory registry.
pub fn rebuild(conn: &Connection, as_of: AsOf) -> Result<Db> {
    // Refuse a day with no next day before reading anything.
    as_of.includes(DateTime::<Utc>::MIN_UTC)?;
    let db = Db::in_memory()?;
    let target = db.conn();
    target.set_prepared_statement_cache_capacity(64);
    let columns = schema_columns(target)?;
    // One transaction for the whole replay: tens of thousands of rows in
    // autocommit mode would each pay for their own commit.
    let tx = target.unchecked_transaction()?;
    let mut stmt = conn
        .prepare(
            "SELECT id, at, by, entity, entity_id, incident_id, action, field, old, new,
                    reason, hash
             FROM revision ORDER BY id",
        )
        .context("failed to read the revision log")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let rev = Logged {
            id: row.get(0)?,
            at: row.get(1)?,
            entity: row.get(3)?,
            entity_id: row.get(4)?,
            action: row.get(6)?,
            field: row.get(7)?,
            new: row.get(9)?,
        };
        if !as_of.includes(stamped(&rev)?)? {
            continue;
        }
        replay(&tx, &columns, &rev)
            .with_context(|| format!("cannot rebuild the registry as of {as_of}"))?;
        let copy: Vec<Value> = (0..12)
            .map(|i| row.get(i))
            .collect::<rusqlite::Result<_>>()?;
        tx.prepare_cached(
            "INSERT INTO revision (id, at, by, entity, entity_id, incident_id, action, field,
                                   old, new, reason, hash)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )?
        .execute(rusqlite::params_from_iter(copy))?;
    }
    tx.commit()?;
    Ok(db)
}

/// The fields of a revision row that replaying needs.
struct Logged {
    id: i64,
    at: String,
    entity: String,
    entity_id: i64,
    action: String,
    field: Option<String>,
    new: Option<String>,
}

/// When a revision was made. The program stamps RFC 3339 UTC with seconds,
/// but the text is parsed rather than compared so that an offset or
/// fractional seconds written by another version still sort correctly.
fn stamped(rev: &Logged) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(&rev.at)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            anyhow!(
                "revision {} has the timestamp '{}', which is not RFC 3339 (run 'pressreg check')",
                rev.id,
                rev.at
            )
        })
}

/// Every logged table's columns, from the schema itself.
fn schema_columns(conn: &Connection) -> Result<HashMap<&'static str, HashSet<String>>> {
    let mut out = HashMap::new();
    for entity in [
        Entity::Incident,
        Entity::IncidentRelation,
        Entity::Victim,
        Entity::Act,
        Entity::Actor,
        Entity::ActorTypePeriod,
        Entity::Involvement,
        Entity::Source,
        Entity::Claim,
    ] {
        let mut stmt = conn.prepare("SELECT name FROM pragma_table_info(?)")?;
        let names = stmt
            .query_map([entity.table()], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<HashSet<_>>>()?;
        out.insert(entity.table(), names);
    }
    Ok(out)
}

/// Applies one revision to the registry being rebuilt.
fn replay(
    tx: &Connection,
    columns: &HashMap<&'static str, HashSet<String>>,
    rev: &Logged,
) -> Result<()> {
    let entity = Entity::from_table(&rev.entity).ok_or_else(|| {
        anyhow!(
            "revision {} is about an unknown table '{}'",
            rev.id,
            rev.entity
        )
    })?;
    let table = entity.table();
    let known = &columns[table];
    let check = |name: &str| -> Result<()> {
        if known.contains(name) {
            Ok(())
        } else {
            bail!(
                "revision {} names '{name}', which is not a column of {table}",
                rev.id
            )
        }
    };
    let parse = |text: &Option<String>, what: &str| -> Result<Json> {
        let text = text
            .as_deref()
            .ok_or_else(|| anyhow!("revision {} has no {what} value", rev.id))?;
        serde_json::from_str(text)
            .map_err(|e| anyhow!("revision {} has an unreadable {what} value: {e}", rev.id))
    };
    match (rev.action.as_str(), &rev.field) {
        // A soft delete or restore is an update of deleted_at.
        ("update" | "delete" | "restore", Some(field)) => {
            check(field)?;
            let value = from_json(&parse(&rev.new, "new")?);
            let changed = tx
                .prepare_cached(&format!("UPDATE {table} SET {field} = ? WHERE id = ?"))?
                .execute(params![value, rev.entity_id])?;
            if changed == 0 {
                bail!(
                    "revision {} ({}) changes {table} {}, which did not exist yet at that \
                     point of the log (was the clock set back?)",
                    rev.id,
                    rev.at,
                    rev.entity_id
                );
            }
        }
        ("create", None) => {
            let Json::Object(row) = parse(&rev.new, "new")? else {
                bail!("revision {} does not hold a whole row", rev.id);
            };
            let mut names = Vec::with_capacity(row.len());
            let mut values = Vec::with_capacity(row.len());
            for (name, value) in &row {
                check(name)?;
                names.push(name.as_str());
                values.push(from_json(value));
            }
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                names.join(", "),
                vec!["?"; names.len()].join(", ")
            );
            tx.prepare_cached(&sql)?
                .execute(rusqlite::params_from_iter(values))
                .with_context(|| {
                    format!(
                        "revision {} could not recreate {table} {}",
                        rev.id, rev.entity_id
                    )
                })?;
            if entity == Entity::Incident {
                advance_counter(tx, &row)?;
            }
        }
        // Rows already gone through a cascade are fine: the real registry
        // lost them the same way.
        ("delete", None) => {
            tx.prepare_cached(&format!("DELETE FROM {table} WHERE id = ?"))?
                .execute([rev.entity_id])?;
        }
        (action, _) => bail!(
            "revision {} has the action '{action}' with field {:?}, which cannot be replayed",
            rev.id,
            rev.field
        ),
    }
    Ok(())
}

/// Moves the reference counter past a recreated incident's ref, as
/// assigning or keeping that ref did in the real registry.
fn advance_counter(tx: &Connection, row: &serde_json::Map<String, Json>) -> Result<()> {
    let Some((prefix, number)) = row
        .get("ref")
        .and_then(Json::as_str)
        .and_then(split_reference)
    else {
        return Ok(());
    };
    tx.prepare_cached(
        "INSERT INTO ref_counter (prefix, last) VALUES (?1, ?2)
         ON CONFLICT (prefix) DO UPDATE SET last = max(last, ?2)",
    )?
    .execute(params![prefix, number])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::revision::{row_json, Writer};
    use crate::db::write;
    use crate::model::*;
    use crate::vocab::*;

    const TABLES: &[&str] = &[
        "ref_counter",
        "incident",
        "incident_relation",
        "victim",
        "act",
        "actor",
        "actor_type_period",
        "involvement",
        "source",
        "claim",
        "revision",
    ];

    /// Every row of every table, in id order, as text.
    fn dump(conn: &Connection) -> Vec<String> {
        let mut out = Vec::new();
        for table in TABLES {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
                .unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    let values: Vec<Value> = (0..n).map(|i| r.get(i)).collect::<Result<_, _>>()?;
                    Ok(format!("{table}: {values:?}"))
                })
                .unwrap();
            out.extend(rows.map(Result::unwrap));
        }
        out
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn record(victim: &str, date: &str) -> IncidentRecord {
        let mut inv = InvolvementRecord::new("Taliban");
        inv.actor_type = Some(ActorType::ArmedGroup);
        inv.basis = Basis::OfficialAccusation;
        let mut act = ActRecord::new(ActType::Killed);
        act.method = Method::Shooting;
        act.perpetrators.push(inv);
        let mut v = VictimRecord::new(victim);
        v.acts.push(act);
        let rec = IncidentRecord {
            country: "AF".into(),
            date: Some(date.into()),
            admin1: "Kabul".into(),
            victims: vec![v],
            sources: vec![SourceRecord::new("https://example.org/a")],
            claims: vec![ClaimRecord {
                uid: None,
                source: "1".into(),
                subject: ClaimSubject::Incident,
                subject_uid: None,
                field: "date".into(),
                value: "2021-05-02".into(),
                stance: Stance::Asserts,
                accepted: false,
                withdrawn_at: None,
            }],
            ..IncidentRecord::default()
        };
        crate::validate::normalize(rec, day("2021-12-31")).unwrap()
    }

    fn write_at<T>(
        db: &mut Db,
        at: &str,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        db.write("test", |w| {
            w.set_at(at);
            f(w)
        })
    }

    /// A registry written on three days: two incidents on 1 June (the
    /// second one second before midnight), then on 2 June an edit, a soft
    /// delete, a new victim, a purged source and a third incident.
    fn registry() -> (Db, Vec<String>) {
        let mut db = Db::in_memory().unwrap();
        let first = write_at(&mut db, "2021-06-01T09:00:00Z", |w| {
            write::insert_incident(w, &record("Toofan Omar", "2021-05-01"))
        })
        .unwrap();
        let second = write_at(&mut db, "2021-06-01T23:59:59Z", |w| {
            write::insert_incident(w, &record("Mursal Wahidi", "2021-03-02"))
        })
        .unwrap();
        let at_t1 = dump(db.conn());
        write_at(&mut db, "2021-06-02T00:00:00Z", |w| {
            w.update(
                Entity::Incident,
                first.id,
                Some(first.id),
                "admin2",
                Value::Text("Deh Sabz".into()),
            )?;
            w.update(
                Entity::Incident,
                second.id,
                Some(second.id),
                "deleted_at",
                Value::Text("2021-06-02T00:00:00Z".into()),
            )?;
            write::add_victim(w, first.id, &[], &VictimRecord::new("Sadia Sadat"))?;
            let source: i64 = w.tx().query_row(
                "SELECT id FROM source WHERE incident_id = ?",
                [second.id],
                |r| r.get(0),
            )?;
            w.delete(Entity::Source, source, Some(second.id))?;
            write::insert_incident(w, &record("Shahnaz Roafi", "2021-03-02"))
        })
        .unwrap();
        (db, at_t1)
    }

    #[test]
    fn rebuild_gives_the_registry_as_it_stood_at_the_end_of_a_day() {
        let (db, at_t1) = registry();
        let then = rebuild(db.conn(), AsOf::Day(day("2021-06-01"))).unwrap();
        assert_eq!(dump(then.conn()), at_t1);
        // The counter came back too: the next AF-2021 ref is 0003 again.
        let last: i64 = then
            .conn()
            .query_row(
                "SELECT last FROM ref_counter WHERE prefix = 'AF-2021'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(last, 2);
    }

    #[test]
    fn rebuild_on_the_last_day_gives_the_registry_as_it_is() {
        let (db, _) = registry();
        let now = rebuild(db.conn(), AsOf::Day(day("2021-06-02"))).unwrap();
        assert_eq!(dump(now.conn()), dump(db.conn()));
        let deleted = row_json(now.conn(), Entity::Incident, 2).unwrap();
        assert_eq!(deleted["deleted_at"], "2021-06-02T00:00:00Z");
    }

    /// Two writes on one day: a moment between them tells them apart.
    #[test]
    fn rebuild_at_a_moment_keeps_what_was_made_by_then() {
        let (db, at_t1) = registry();
        let between = AsOf::parse("2021-06-01T23:59:58Z").unwrap();
        let first = rebuild(db.conn(), between).unwrap();
        // The second incident, made at 23:59:59, is not there yet.
        let count: i64 = first
            .conn()
            .query_row("SELECT count(*) FROM incident", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, 1);
        // The moment of the second write includes it: the end of the day.
        let exact = rebuild(db.conn(), AsOf::parse("2021-06-01T23:59:59Z").unwrap()).unwrap();
        assert_eq!(dump(exact.conn()), at_t1);
        // An offset is read as the same instant.
        let offset = rebuild(db.conn(), AsOf::parse("2021-06-02T01:59:59+02:00").unwrap()).unwrap();
        assert_eq!(dump(offset.conn()), at_t1);
    }

    #[test]
    fn as_of_reads_a_day_or_a_moment() {
        assert_eq!(
            AsOf::parse("2021-06-01").unwrap(),
            AsOf::Day(day("2021-06-01"))
        );
        assert_eq!(
            AsOf::parse("2021-06-01T10:00:00Z").unwrap().to_string(),
            "2021-06-01T10:00:00Z"
        );
        assert_eq!(
            AsOf::parse("2021-06-01 10:00").unwrap_err().to_string(),
            "--as-of '2021-06-01 10:00' is not a date or a moment (accepted: YYYY-MM-DD, or \
             YYYY-MM-DDTHH:MM:SSZ as history prints it)"
        );
    }

    #[test]
    fn rebuild_before_the_first_revision_is_empty() {
        let (db, _) = registry();
        let before = rebuild(db.conn(), AsOf::Day(day("2021-05-31"))).unwrap();
        assert_eq!(dump(before.conn()), Vec::<String>::new());
    }

    #[test]
    fn a_restore_and_a_purge_replay_too() {
        let (mut db, _) = registry();
        write_at(&mut db, "2021-06-03T08:00:00Z", |w| {
            w.update(Entity::Incident, 2, Some(2), "deleted_at", Value::Null)?;
            // A purge: the incident row goes, its victims and acts cascade.
            w.delete(Entity::Incident, 1, Some(1))
        })
        .unwrap();
        let now = rebuild(db.conn(), AsOf::Day(day("2021-06-03"))).unwrap();
        assert_eq!(dump(now.conn()), dump(db.conn()));
    }

    #[test]
    fn a_column_name_smuggled_into_the_log_is_refused() {
        let (db, _) = registry();
        db.conn()
            .execute(
                "INSERT INTO revision (at, by, entity, entity_id, action, field, old, new, hash)
                 VALUES ('2021-06-01T10:00:00Z', 'x', 'incident', 1, 'update',
                         'title = 1; --', '\"\"', '\"x\"', ?)",
                ["0".repeat(64)],
            )
            .unwrap();
        let err = rebuild(db.conn(), AsOf::Day(day("2021-06-02")))
            .err()
            .unwrap();
        assert_eq!(
            format!("{err:#}"),
            "cannot rebuild the registry as of 2021-06-02: revision 25 names 'title = 1; --', \
             which is not a column of incident"
        );
    }

    #[test]
    fn a_clock_set_back_is_reported_not_skipped() {
        let (mut db, _) = registry();
        // Made "on 1 June" after the 2 June commands: it edits the incident
        // created on 2 June, which a rebuild as of 1 June does not have.
        write_at(&mut db, "2021-06-01T12:00:00Z", |w| {
            w.update(
                Entity::Incident,
                3,
                Some(3),
                "title",
                Value::Text("x".into()),
            )
        })
        .unwrap();
        let err = rebuild(db.conn(), AsOf::Day(day("2021-06-01")))
            .err()
            .unwrap();
        assert!(
            format!("{err:#}").contains("changes incident 3, which did not exist yet"),
            "{err:#}"
        );
    }
}

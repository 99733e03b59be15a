//! The revision log: every write goes through `Writer`, which appends the
//! matching revision rows in the same transaction.
//!
//! A create stores the whole new row as a JSON object in `new`; an update
//! stores one field's old and new value, each JSON-encoded so that types
//! survive; a delete stores the whole old row in `old`. That is enough to
//! rebuild the registry as it stood at any moment (`summary --as-of`).
//!
//! `hash` = SHA-256 over the previous row's hash and this row's fields, each
//! length-prefixed, so a row edited or removed behind the program's back
//! breaks the chain at that row.
//!
//! The log keeps no value of a secret field (SECURITY R15), in any
//! registry: a field no profile but `full` carries (the field table's
//! `restricted` level: private notes, a source's note), the publisher,
//! address and title of a confidential source, a claim's value about a
//! restricted field (`secret_columns`). Their place holds `{"withheld": true}`
//! (`WITHHELD`), so the log still says who changed such a field, when and
//! why, and the hash chain covers the row as stored. A value erased or
//! edited away is then gone from the log too, which an encrypted file alone
//! would not give a registry unlocked later. What this costs: `history`
//! cannot show old private notes, and `--as-of` rebuilds secret fields as
//! the marker (no count reads them). A source marked confidential only
//! after it was recorded keeps its earlier values in the log (the log is
//! append-only): mark it confidential when adding it.
//!
//! Erasure (`erase.rs`) is the one exception to "never changed": a purge
//! sets a row's `old` and `new` to NULL and names itself in `erased_by`,
//! after listing the row's id and hash in its own (chained) `new`. Such a
//! row's hash cannot be recomputed any more; the chain walk takes it as
//! the purge vouches for it and goes on from it, so a purge keeps `check`
//! passing while a row erased behind the program's back still breaks it.

use std::collections::HashMap;

use anyhow::{Context, Result};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde_json::{Map, Value as Json};
use sha2::{Digest, Sha256};

use super::reader::Reader;
use crate::vocab::{ClaimSubject, Confidentiality};
use crate::{clock, fields};

/// The tables a revision can be about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Entity {
    Incident,
    IncidentRelation,
    Victim,
    Act,
    Actor,
    ActorTypePeriod,
    Involvement,
    Source,
    Claim,
}

impl Entity {
    /// The table's name (also the revision's `entity`).
    pub fn table(self) -> &'static str {
        match self {
            Entity::Incident => "incident",
            Entity::IncidentRelation => "incident_relation",
            Entity::Victim => "victim",
            Entity::Act => "act",
            Entity::Actor => "actor",
            Entity::ActorTypePeriod => "actor_type_period",
            Entity::Involvement => "involvement",
            Entity::Source => "source",
            Entity::Claim => "claim",
        }
    }

    /// The entity named by a revision row.
    pub fn from_table(name: &str) -> Option<Entity> {
        Some(match name {
            "incident" => Entity::Incident,
            "incident_relation" => Entity::IncidentRelation,
            "victim" => Entity::Victim,
            "act" => Entity::Act,
            "actor" => Entity::Actor,
            "actor_type_period" => Entity::ActorTypePeriod,
            "involvement" => Entity::Involvement,
            "source" => Entity::Source,
            "claim" => Entity::Claim,
            _ => return None,
        })
    }
}

/// One row of the revision log.
#[derive(Clone, Debug, PartialEq)]
pub struct Revision {
    pub id: i64,
    pub at: String,
    pub by: String,
    pub entity: String,
    pub entity_id: i64,
    pub incident_id: Option<i64>,
    pub action: String,
    pub field: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
    pub reason: String,
    pub hash: String,
    /// The purge or copy revision that erased `old` and `new`.
    pub erased_by: Option<i64>,
}

/// What the log holds in place of a secret field's value.
pub fn withheld() -> Json {
    serde_json::json!({ "withheld": true })
}

/// Whether a logged value is the `withheld()` marker.
pub fn is_withheld(value: &Json) -> bool {
    value.get("withheld") == Some(&Json::Bool(true))
}

/// The columns of `entity`'s fields that no profile but `full` carries
/// (the field table's `restricted` level: private notes, a source's note).
/// Worked out once per table: every logged insert asks.
fn restricted(entity: fields::Entity) -> Vec<&'static str> {
    use std::sync::OnceLock;
    static TABLES: [OnceLock<Vec<&'static str>>; 5] = [const { OnceLock::new() }; 5];
    let slot = match entity {
        fields::Entity::Incident => 0,
        fields::Entity::Victim => 1,
        fields::Entity::Act => 2,
        fields::Entity::Involvement => 3,
        fields::Entity::Source => 4,
    };
    TABLES[slot]
        .get_or_init(|| {
            entity
                .fields()
                .into_iter()
                .filter(|f| f.level == Confidentiality::Restricted)
                .flat_map(|f| f.columns)
                .collect()
        })
        .clone()
}

/// The columns of row `id` whose values the log must not keep, as the row
/// stands in `tx`: the fields no profile but `full` carries, the who and
/// where of a confidential source (its publisher, address and title), and
/// a claim's value about such a field.
fn secret_columns(tx: &Connection, entity: Entity, id: i64) -> Result<Vec<&'static str>> {
    let confidential = entity == Entity::Source
        && tx
            .prepare_cached("SELECT confidential FROM source WHERE id = ?")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .unwrap_or(false);
    let about: Option<(ClaimSubject, String)> = if entity == Entity::Claim {
        tx.prepare_cached("SELECT subject, field FROM claim WHERE id = ?")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
    } else {
        None
    };
    Ok(secret_of(
        entity,
        confidential,
        about.as_ref().map(|(s, f)| (*s, f.as_str())),
    ))
}

/// The secret columns of a row about to be logged as created, from the
/// values it was inserted with (a row just inserted holds exactly them),
/// so that an import asks the registry nothing back for its sources and
/// claims. A value not among `cols` is read from the row.
fn secret_columns_created(
    tx: &Connection,
    entity: Entity,
    id: i64,
    cols: &[(&str, Value)],
) -> Result<Vec<&'static str>> {
    let value = |name: &str| cols.iter().find(|(n, _)| *n == name).map(|(_, v)| v);
    match (
        entity,
        value("confidential"),
        value("subject"),
        value("field"),
    ) {
        (Entity::Source, Some(Value::Integer(confidential)), _, _) => {
            Ok(secret_of(entity, *confidential != 0, None))
        }
        (Entity::Claim, _, Some(Value::Text(subject)), Some(Value::Text(field))) => {
            match subject.parse::<ClaimSubject>() {
                Ok(subject) => Ok(secret_of(entity, false, Some((subject, field)))),
                Err(_) => secret_columns(tx, entity, id),
            }
        }
        (Entity::Source | Entity::Claim, ..) => secret_columns(tx, entity, id),
        _ => Ok(secret_of(entity, false, None)),
    }
}

/// The secret columns of an `entity` row: its restricted fields; for a
/// `confidential` source also its publisher, address and title; for a
/// claim `about` a restricted field, its value.
fn secret_of(
    entity: Entity,
    confidential: bool,
    about: Option<(ClaimSubject, &str)>,
) -> Vec<&'static str> {
    match entity {
        Entity::Incident => restricted(fields::Entity::Incident),
        Entity::Victim => restricted(fields::Entity::Victim),
        Entity::Act => restricted(fields::Entity::Act),
        Entity::Involvement => restricted(fields::Entity::Involvement),
        Entity::Source => {
            let mut columns = restricted(fields::Entity::Source);
            if confidential {
                columns.extend(["publisher", "url", "title"]);
            }
            columns
        }
        Entity::Claim => match about {
            Some((subject, field))
                if fields::Entity::from(subject).level(field)
                    == Some(Confidentiality::Restricted) =>
            {
                vec!["value"]
            }
            _ => vec![],
        },
        _ => vec![],
    }
}

/// Whether a value says something (an empty one is kept: "no private
/// notes" gives nothing away, and the log shows the field was empty).
fn says_something(value: &Json) -> bool {
    !matches!(value, Json::Null) && value.as_str() != Some("")
}

/// A row's JSON with its secret columns withheld.
fn without_secrets(mut row: Map<String, Json>, secret: &[&str]) -> Map<String, Json> {
    for column in secret {
        if let Some(v) = row.get_mut(*column) {
            if says_something(v) {
                *v = withheld();
            }
        }
    }
    row
}

/// A field's value as logged: JSON, or the marker when it is secret.
fn logged(value: &Value, field: &str, secret: &[&str]) -> String {
    let value = to_json(value);
    if secret.contains(&field) && says_something(&value) {
        withheld().to_string()
    } else {
        value.to_string()
    }
}

/// Writes rows and their revisions inside one transaction. It reads
/// through the `Reader` methods (it derefs to one over its own
/// transaction), so a command sees what it has just written.
pub struct Writer<'t> {
    tx: &'t Transaction<'t>,
    read: Reader<'t>,
    at: String,
    by: String,
    reason: String,
    prev_hash: String,
    /// Actor ids found by name, alias or uid (lower-cased ASCII, as
    /// `COLLATE NOCASE` compares), kept only during a bulk load, which
    /// renames, re-aliases and deletes no actor (`remember_actors`).
    actors: Option<HashMap<String, i64>>,
    /// The indexes a bulk load into an empty registry dropped, to be built
    /// again before it commits (`defer_indexes`).
    deferred: Vec<String>,
    /// The registry held no incident when this bulk load began: an
    /// incident found in it now was written by this very load.
    fresh: bool,
}

impl<'t> Writer<'t> {
    /// A writer stamping every revision with now, the user and `reason`.
    pub(in crate::db) fn new(tx: &'t Transaction<'t>, reason: &str) -> Result<Self> {
        let prev_hash = last_hash(tx)?;
        Ok(Writer {
            tx,
            read: Reader::within(tx),
            at: clock::stamp(clock::now()?),
            by: clock::user(),
            reason: reason.to_string(),
            prev_hash,
            actors: None,
            deferred: Vec::new(),
            fresh: false,
        })
    }

    /// Keeps the actors found by name or uid for the rest of this write: a
    /// bulk load looks the same few actors up for every act. Only for
    /// writes that rename, re-alias and delete no actor (an import).
    pub fn remember_actors(&mut self) {
        self.actors.get_or_insert_with(HashMap::new);
    }

    /// The actor named `name` (or with it as an alias), as
    /// `read::actor_id_by_name` finds it.
    pub(in crate::db) fn actor_id_by_name(&mut self, name: &str) -> Result<Option<i64>> {
        let key = format!("name:{}", name.trim().to_ascii_lowercase());
        if let Some(id) = self.actors.as_ref().and_then(|m| m.get(&key)) {
            return Ok(Some(*id));
        }
        let found = super::read::actor_id_by_name(self.tx, name)?;
        if let (Some(id), Some(map)) = (found, self.actors.as_mut()) {
            map.insert(key, id);
        }
        Ok(found)
    }

    /// The actor with this uid.
    pub(in crate::db) fn actor_id_by_uid(&mut self, uid: &uuid::Uuid) -> Result<Option<i64>> {
        let key = format!("uid:{uid}");
        if let Some(id) = self.actors.as_ref().and_then(|m| m.get(&key)) {
            return Ok(Some(*id));
        }
        let found: Option<i64> = self
            .tx
            .prepare_cached("SELECT id FROM actor WHERE uid = ?")?
            .query_row([uid.to_string()], |r| r.get(0))
            .optional()?;
        if let (Some(id), Some(map)) = (found, self.actors.as_mut()) {
            map.insert(key, id);
        }
        Ok(found)
    }

    /// For a bulk load into a registry without incidents: drops the
    /// indexes that serve only queries, so that each row costs its table
    /// and its UNIQUE keys, and `build_deferred_indexes` builds them again
    /// in one sorted pass each before the load commits (should the load
    /// fail, the rollback brings them back). The indexes the load itself
    /// searches by stay: the UNIQUE ones, a source's incident (a claim's
    /// source), an actor's type periods (the overlap check). Returns whether
    /// the registry was empty, and so whether any index was dropped.
    pub fn defer_indexes(&mut self) -> Result<bool> {
        let empty: bool =
            self.tx
                .query_row("SELECT NOT EXISTS (SELECT 1 FROM incident)", [], |r| {
                    r.get(0)
                })?;
        if !empty {
            return Ok(false);
        }
        self.fresh = true;
        let indexes: Vec<(String, String)> = self
            .tx
            .prepare(
                "SELECT name, sql FROM sqlite_master
                 WHERE type = 'index' AND sql IS NOT NULL
                   AND name NOT IN ('source_incident', 'actor_type_period_actor')
                 ORDER BY name",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (name, sql) in indexes {
            // Unique indexes are constraints: they stay, whatever their name.
            if sql.to_ascii_uppercase().starts_with("CREATE UNIQUE") {
                continue;
            }
            self.tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
            self.deferred.push(sql);
        }
        Ok(true)
    }

    /// Builds again the indexes `defer_indexes` dropped, from their own SQL
    /// text (so the schema is exactly as it was).
    pub fn build_deferred_indexes(&mut self) -> Result<()> {
        let deferred = std::mem::take(&mut self.deferred);
        if deferred.is_empty() {
            return Ok(());
        }
        // SQLite's sorter holds as much as `cache_size` in memory before it
        // spills, on top of the page cache, which by now is full of the
        // load's dirty pages: lowering `cache_size` alone frees none of
        // them (dirty pages are pinned until written). So write them out
        // (still inside the transaction: the rollback journal or WAL undoes
        // them as before), free the cache, and build with a quarter of it
        // for the sorter and the cache each; together they stay under the
        // memory bar (PERFORMANCE.md B7).
        self.tx.cache_flush()?;
        self.tx.release_memory()?;
        let cache: i64 = self
            .tx
            .pragma_query_value(None, "cache_size", |r| r.get(0))?;
        self.tx.pragma_update(None, "cache_size", cache / 4)?;
        for sql in deferred {
            self.tx
                .execute_batch(&sql)
                .context("failed to build the registry's indexes")?;
        }
        self.tx.pragma_update(None, "cache_size", cache)?;
        Ok(())
    }

    /// Whether this bulk load began on a registry without incidents.
    pub fn began_empty(&self) -> bool {
        self.fresh
    }

    /// The transaction, for reads and for tables outside the log
    /// (`ref_counter`).
    pub(in crate::db) fn tx(&self) -> &Transaction<'t> {
        self.tx
    }

    /// The timestamp this command stamps its writes with.
    pub(in crate::db) fn at(&self) -> &str {
        &self.at
    }

    /// Stamps the following revisions with `at` instead of now, so that a
    /// test can write a registry over several days without touching the
    /// process environment (`PRESSREG_NOW` is shared by parallel tests).
    #[cfg(test)]
    pub fn set_at(&mut self, at: &str) {
        self.at = at.to_string();
    }

    /// The reason this command's revisions give.
    pub(in crate::db) fn reason(&self) -> &str {
        &self.reason
    }

    /// Runs `f` with its revisions giving `reason` instead of the
    /// command's (a merge names, change by change, whose change it
    /// carries).
    pub(in crate::db) fn with_reason<T>(
        &mut self,
        reason: &str,
        f: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<T> {
        let own = std::mem::replace(&mut self.reason, reason.to_string());
        let done = f(self);
        self.reason = own;
        done
    }

    /// Inserts a row and logs its creation; returns the new id.
    pub(in crate::db) fn insert(
        &mut self,
        entity: Entity,
        incident_id: Option<i64>,
        cols: &[(&str, Value)],
    ) -> Result<i64> {
        let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
        let marks = vec!["?"; cols.len()].join(", ");
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            entity.table(),
            names.join(", "),
            marks
        );
        let values: Vec<&Value> = cols.iter().map(|(_, v)| v).collect();
        self.tx
            .prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(values))
            .with_context(|| format!("failed to insert into {}", entity.table()))?;
        let id = self.tx.last_insert_rowid();
        let row = created_row(
            id,
            cols,
            &secret_columns_created(self.tx, entity, id, cols)?,
        )?;
        let incident = if entity == Entity::Incident {
            Some(id)
        } else {
            incident_id
        };
        self.log(entity, id, incident, "create", None, None, Some(row))?;
        Ok(id)
    }

    /// Sets one field and logs the old and new value. Returns false (and
    /// logs nothing) when the value does not change.
    pub(in crate::db) fn update(
        &mut self,
        entity: Entity,
        id: i64,
        incident_id: Option<i64>,
        field: &str,
        new: Value,
    ) -> Result<bool> {
        let old: Value = self
            .tx
            .prepare_cached(&format!(
                "SELECT {field} FROM {} WHERE id = ?",
                entity.table()
            ))?
            .query_row([id], |r| r.get(0))
            .with_context(|| format!("failed to read {}.{field}", entity.table()))?;
        if old == new {
            return Ok(false);
        }
        self.tx
            .prepare_cached(&format!(
                "UPDATE {} SET {field} = ? WHERE id = ?",
                entity.table()
            ))?
            .execute(params![new, id])
            .with_context(|| format!("failed to update {}.{field}", entity.table()))?;
        let action = match (entity, field, &new) {
            (Entity::Incident, "deleted_at", Value::Null) => "restore",
            (Entity::Incident, "deleted_at", _) => "delete",
            _ => "update",
        };
        let secret = secret_columns(self.tx, entity, id)?;
        self.log(
            entity,
            id,
            incident_id,
            action,
            Some(field),
            Some(logged(&old, field, &secret)),
            Some(logged(&new, field, &secret)),
        )?;
        Ok(true)
    }

    /// Sets several fields of one row in one statement, so that CHECKs tying
    /// fields together (a date and its precision, latitude and longitude)
    /// see only the final row, and logs one revision per field that changes.
    /// Returns the changed fields with their old and new values.
    pub(in crate::db) fn update_many(
        &mut self,
        entity: Entity,
        id: i64,
        incident_id: Option<i64>,
        fields: &[(&str, Value)],
    ) -> Result<Vec<(String, Value, Value)>> {
        if fields.is_empty() {
            return Ok(vec![]);
        }
        let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
        let olds: Vec<Value> = self
            .tx
            .prepare_cached(&format!(
                "SELECT {} FROM {} WHERE id = ?",
                names.join(", "),
                entity.table()
            ))?
            .query_row([id], |r| (0..names.len()).map(|i| r.get(i)).collect())
            .with_context(|| format!("failed to read {} {id}", entity.table()))?;
        let changed: Vec<(String, Value, Value)> = fields
            .iter()
            .zip(olds)
            .filter(|((_, new), old)| old != new)
            .map(|((name, new), old)| (name.to_string(), old, new.clone()))
            .collect();
        if changed.is_empty() {
            return Ok(changed);
        }
        let sets: Vec<String> = changed.iter().map(|(n, _, _)| format!("{n} = ?")).collect();
        let mut values: Vec<&Value> = changed.iter().map(|(_, _, v)| v).collect();
        let id_value = Value::Integer(id);
        values.push(&id_value);
        self.tx
            .prepare_cached(&format!(
                "UPDATE {} SET {} WHERE id = ?",
                entity.table(),
                sets.join(", ")
            ))?
            .execute(rusqlite::params_from_iter(values))
            .with_context(|| format!("failed to update {} {id}", entity.table()))?;
        let secret = secret_columns(self.tx, entity, id)?;
        for (field, old, new) in &changed {
            self.log(
                entity,
                id,
                incident_id,
                "update",
                Some(field),
                Some(logged(old, field, &secret)),
                Some(logged(new, field, &secret)),
            )?;
        }
        Ok(changed)
    }

    /// Deletes a row for good and logs the row as it was.
    pub(in crate::db) fn delete(
        &mut self,
        entity: Entity,
        id: i64,
        incident_id: Option<i64>,
    ) -> Result<()> {
        let secret = secret_columns(self.tx, entity, id)?;
        let old = match row_json(self.tx, entity, id)? {
            Json::Object(row) => Json::Object(without_secrets(row, &secret)),
            other => other,
        };
        self.tx
            .prepare_cached(&format!("DELETE FROM {} WHERE id = ?", entity.table()))?
            .execute([id])?;
        self.log(
            entity,
            id,
            incident_id,
            "delete",
            None,
            Some(old.to_string()),
            None,
        )?;
        Ok(())
    }

    /// Appends one revision row, chained to the one before.
    #[allow(clippy::too_many_arguments)]
    pub(in crate::db) fn log(
        &mut self,
        entity: Entity,
        entity_id: i64,
        incident_id: Option<i64>,
        action: &str,
        field: Option<&str>,
        old: Option<String>,
        new: Option<String>,
    ) -> Result<()> {
        let mut rev = Revision {
            id: 0,
            at: self.at.clone(),
            by: self.by.clone(),
            entity: entity.table().to_string(),
            entity_id,
            incident_id,
            action: action.to_string(),
            field: field.map(str::to_string),
            old,
            new,
            reason: self.reason.clone(),
            hash: String::new(),
            erased_by: None,
        };
        rev.hash = chain_hash(&self.prev_hash, &rev);
        self.tx
            .prepare_cached(
                "INSERT INTO revision (at, by, entity, entity_id, incident_id, action, field, old, new, reason, hash)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")?.execute(params![
                    rev.at, rev.by, rev.entity, rev.entity_id, rev.incident_id, rev.action,
                    rev.field, rev.old, rev.new, rev.reason, rev.hash
                ],
            )
            .context("failed to append to the revision log")?;
        self.prev_hash = rev.hash;
        Ok(())
    }
}

impl<'t> std::ops::Deref for Writer<'t> {
    type Target = Reader<'t>;

    fn deref(&self) -> &Reader<'t> {
        &self.read
    }
}

/// A database value as JSON (text stays text, integers stay integers).
pub fn to_json(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Integer(i) => Json::from(*i),
        Value::Real(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Text(s) => Json::from(s.as_str()),
        Value::Blob(b) => Json::from(hex::encode(b)),
    }
}

/// A JSON value as a database value (the inverse of `to_json`).
pub fn from_json(value: &Json) -> Value {
    match value {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Integer(i64::from(*b)),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Real(n.as_f64().unwrap_or(0.0)),
        },
        Json::String(s) => Value::Text(s.clone()),
        other => Value::Text(other.to_string()),
    }
}

/// The JSON object of a created row: `id` first, then `cols` in order,
/// secret columns withheld. The same text as building a `Map` and printing
/// it, written straight into one string: an import logs millions.
fn created_row(id: i64, cols: &[(&str, Value)], secret: &[&str]) -> Result<String> {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(64 + cols.len() * 24);
    write!(out, "{{\"id\":{id}")?;
    for (name, value) in cols {
        if *name == "id" {
            continue;
        }
        out.push(',');
        out.push_str(&serde_json::to_string(name)?);
        out.push(':');
        let shown = match value {
            _ if secret.contains(name) => {
                let json = to_json(value);
                if says_something(&json) {
                    withheld().to_string()
                } else {
                    json.to_string()
                }
            }
            Value::Null => "null".to_string(),
            Value::Integer(i) => i.to_string(),
            Value::Text(t) => serde_json::to_string(t)?,
            other => to_json(other).to_string(),
        };
        out.push_str(&shown);
    }
    out.push('}');
    Ok(out)
}

/// A whole row as a JSON object of its columns.
pub fn row_json(conn: &Connection, entity: Entity, id: i64) -> Result<Json> {
    let mut stmt = conn.prepare(&format!("SELECT * FROM {} WHERE id = ?", entity.table()))?;
    let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    let row = stmt.query_row([id], |r| {
        let mut map = Map::new();
        for (i, name) in names.iter().enumerate() {
            let v: Value = r.get(i)?;
            map.insert(name.clone(), to_json(&v));
        }
        Ok(map)
    })?;
    Ok(Json::Object(row))
}

fn last_hash(conn: &Connection) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT hash FROM revision ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| "0".repeat(64)))
}

/// The chained hash of a revision row (its `id` and `hash` are not hashed).
pub fn chain_hash(prev: &str, rev: &Revision) -> String {
    let mut h = Sha256::new();
    let mut put = |s: Option<&str>| match s {
        Some(s) => {
            h.update(s.len().to_string().as_bytes());
            h.update(b":");
            h.update(s.as_bytes());
        }
        None => h.update(b"-"),
    };
    put(Some(prev));
    put(Some(&rev.at));
    put(Some(&rev.by));
    put(Some(&rev.entity));
    put(Some(&rev.entity_id.to_string()));
    put(rev.incident_id.map(|i| i.to_string()).as_deref());
    put(Some(&rev.action));
    put(rev.field.as_deref());
    put(rev.old.as_deref());
    put(rev.new.as_deref());
    put(Some(&rev.reason));
    hex::encode(h.finalize())
}

/// The columns `SELECT_REVISION` lists, as a `Revision`.
fn revision_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Revision> {
    Ok(Revision {
        id: r.get(0)?,
        at: r.get(1)?,
        by: r.get(2)?,
        entity: r.get(3)?,
        entity_id: r.get(4)?,
        incident_id: r.get(5)?,
        action: r.get(6)?,
        field: r.get(7)?,
        old: r.get(8)?,
        new: r.get(9)?,
        reason: r.get(10)?,
        hash: r.get(11)?,
        erased_by: r.get(12)?,
    })
}

/// Reads revision rows matching `where_sql` (with `args`), in log order.
pub fn revisions(
    conn: &Connection,
    where_sql: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Revision>> {
    let sql = format!("SELECT {COLUMNS} FROM revision WHERE {where_sql} ORDER BY id");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(args, revision_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Walks the whole chain; returns the id of the first row whose hash does
/// not follow from the rows before it, and the number of rows checked. An
/// erased row counts as following when the purge that erased it lists its
/// id with exactly its hash.
pub fn verify_chain(conn: &Connection) -> Result<(Option<i64>, usize)> {
    let vouched = vouched(conn)?;
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM revision ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    let mut prev = "0".repeat(64);
    let mut count = 0;
    while let Some(r) = rows.next()? {
        let rev = revision_from_row(r)?;
        count += 1;
        let follows = match rev.erased_by {
            None => chain_hash(&prev, &rev) == rev.hash,
            Some(by) => {
                by > rev.id
                    && rev.old.is_none()
                    && rev.new.is_none()
                    && vouched.get(&(by, rev.id)) == Some(&rev.hash)
            }
        };
        if !follows {
            return Ok((Some(rev.id), count));
        }
        prev = rev.hash;
    }
    Ok((None, count))
}

/// The columns `revision_from_row` reads, in its order.
const COLUMNS: &str =
    "id, at, by, entity, entity_id, incident_id, action, field, old, new, reason, hash, erased_by";

/// (erasing revision, erased revision) → the erased row's hash, as every
/// purge and copy revision lists them in its `new` (`{"erased": [[id,
/// hash], …]}`). A list that does not parse vouches for nothing, so the
/// rows it erased show as breaks.
fn vouched(conn: &Connection) -> Result<std::collections::HashMap<(i64, i64), String>> {
    let mut out = std::collections::HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT id, new FROM revision WHERE action IN ('purge', 'copy') AND erased_by IS NULL",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?))
    })?;
    for row in rows {
        let (by, new) = row?;
        let Some(Json::Object(record)) = new.and_then(|n| serde_json::from_str(&n).ok()) else {
            continue;
        };
        let Some(Json::Array(erased)) = record.get("erased") else {
            continue;
        };
        for pair in erased {
            if let (Some(id), Some(hash)) = (
                pair.get(0).and_then(Json::as_i64),
                pair.get(1).and_then(Json::as_str),
            ) {
                out.insert((by, id), hash.to_string());
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The log's text for a created row is what printing the row as a
    /// JSON object gives, secrets withheld: quotes, backslashes, control
    /// characters and non-ASCII text escaped alike, numbers alike.
    #[test]
    fn a_created_row_is_logged_as_its_json_object() -> Result<()> {
        let cols: Vec<(&str, Value)> = vec![
            ("uid", Value::Text("0b5c".into())),
            ("name", Value::Text("\"Par Gyi\", \\ \n\t\u{1} خیری".into())),
            ("age", Value::Integer(-42)),
            ("latitude", Value::Real(34.5)),
            ("longitude", Value::Real(-0.125)),
            ("end", Value::Null),
            ("private_notes", Value::Text("the family's address".into())),
            ("note", Value::Text(String::new())),
            ("confidential", Value::Integer(1)),
            ("title", Value::Null),
        ];
        let secret = ["private_notes", "note", "confidential", "title"];
        let mut row = Map::new();
        row.insert("id".into(), Json::from(7));
        for (name, value) in &cols {
            row.insert((*name).to_string(), to_json(value));
        }
        let expected = Json::Object(without_secrets(row, &secret)).to_string();
        assert_eq!(created_row(7, &cols, &secret)?, expected);
        assert!(expected.contains(r#""private_notes":{"withheld":true}"#));
        assert!(expected.contains(r#""note":"""#));
        Ok(())
    }
}

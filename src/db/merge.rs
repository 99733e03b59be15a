//! Merging another documenter's registry into this one (`pressreg merge
//! OTHER.db`): records are matched by uid, and each side's revision log
//! tells which of two differing values is the newer.
//!
//! # Who has seen what
//!
//! Every revision has an *identity*: the hash it got in the registry that
//! first wrote it. A revision a merge writes to carry the other side's
//! change keeps that change's identity (`revision_origin`), and a merge
//! records every identity of the other side (`revision_known`). So each
//! registry knows the set of changes it has seen, K, whether it wrote them,
//! copied them with the file, or merged them in. Two copies of one file
//! share the identities of everything before they diverged: the common
//! ancestor is that shared part, found without storing it.
//!
//! For each column of a record both sides hold, the *setter* is the
//! identity of the last revision that set it (its creation, when nothing
//! changed it since). With values that differ, ours set by `s` and theirs
//! by `t`:
//! * `t` is in our K: we saw their value and moved on; ours stays;
//! * else `s` is in their K: only they changed it since; theirs is taken,
//!   logged here with `t`'s identity;
//! * else both changed it: a conflict. The record takes the value set
//!   last (`at`, then identity, so that both directions agree) and, for a
//!   field claims can speak of, keeps both values as claims, from one
//!   confidential source per documenter, to be settled with `claim accept`
//!   or `edit`. Their uids (and identities) derive from the conflict
//!   itself, so a conflict met from both sides is one pair of claims.
//!
//! A record only one side holds is new when the other side has not seen
//! its creation, and was deleted there when it has: it is added, or
//! deleted here too (a victim, act, perpetrator link, source or claim,
//! children first, each logged), or, for an incident (which a soft delete
//! keeps), purged here too, because the other side erased it for good and
//! its text must not come back. A soft delete is a change of `deleted_at`
//! like any other field: deleted on one side and edited on the other, the
//! incident ends deleted with the edit (`restore` shows it).
//!
//! # Local names
//!
//! A ref, a victim's position and a row's id name a record within one
//! registry; they are not merged. A new incident keeps its ref unless this
//! registry uses it, in which case it gets the next number here and its
//! old ref becomes an alias (`ref_alias`) that `show` and `history` accept;
//! a new victim whose position is taken gets the next one. Merging A into B
//! and B into A therefore gives the same records, values, claims and
//! deletions, with refs that differ where they collided.
//!
//! # What is not merged
//!
//! Actors are matched by uid, else by name, and only added; actor type
//! periods and links between incidents are added when missing. The other
//! side's revisions are not copied row by row: each change taken is logged
//! here (who merged, when, and the other side's author and time in the
//! reason), and an incident added arrives as its current state.
//!
//! `revision_origin` and `revision_known` sit beside the hash chain, not in
//! it: editing them behind the program's back changes what a later merge
//! decides (it may see a conflict, or take a value), never a record, and
//! every change a merge makes is itself a chained revision.
//!
//! `import` of a full JSONL export has no revision log to read, so it
//! cannot tell which side changed a field (see `cmd::import`); it shares
//! only the renumbering of a ref taken here (`Writer::ref_taken`,
//! `Writer::add_ref_alias`).

use std::collections::{BTreeSet, HashMap, HashSet};

use anyhow::{Context, Result};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::ids::{ClaimId, IncidentId};
use super::revision::{Entity, Writer};
use super::Db;
use crate::fields;
use crate::vocab::Confidentiality;

/// What a merge did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Merged {
    /// Incidents added, by their ref here.
    pub added: Vec<String>,
    /// Incidents that were here and changed.
    pub updated: Vec<String>,
    /// (their ref, our new ref) of incidents renumbered on the way in.
    pub renumbered: Vec<(String, String)>,
    /// Incidents erased there, and so here.
    pub purged: Vec<String>,
    /// Records deleted there, and so here (victims, acts, links, sources,
    /// claims).
    pub deleted: usize,
    /// Actors added.
    pub actors: usize,
    pub conflicts: Vec<Conflict>,
}

/// A field both sides changed.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    /// The incident's ref here.
    pub reference: String,
    /// The field, with its record when it is not the incident's
    /// (`victim 2 name`).
    pub what: String,
    pub ours: String,
    pub theirs: String,
    /// Whose value the record now shows.
    pub theirs_shown: bool,
    /// Who set each value (ours, theirs).
    pub by: (String, String),
    /// The claims keeping the two values (ours, theirs), by number in the
    /// incident; None for a field claims cannot speak of.
    pub claims: Option<(i64, i64)>,
}

impl Writer<'_> {
    /// Whether an incident here has exactly this ref (an alias does not
    /// count).
    pub fn ref_taken(&self, reference: &str) -> Result<bool> {
        Ok(self
            .tx()
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM incident WHERE ref = ?)")?
            .query_row([reference.trim()], |r| r.get(0))?)
    }

    /// Keeps `alias`, the ref another registry gave incident `id`, so that
    /// `show` and `history` still find it by that ref.
    pub fn add_ref_alias(&mut self, id: IncidentId, alias: &str) -> Result<()> {
        self.tx()
            .prepare_cached("INSERT OR IGNORE INTO ref_alias (alias, incident_id) VALUES (?, ?)")?
            .execute(params![alias.trim(), id.0])?;
        Ok(())
    }
}

impl Db {
    /// Merges `other` into this registry in one transaction; an erasure
    /// carried over is followed by `wipe`, as `delete --purge` is.
    pub fn merge_from(&mut self, other: &Db, reason: &str) -> Result<Merged> {
        let theirs = {
            let tx = other.conn().unchecked_transaction()?;
            let side = Side::load(&tx)?;
            tx.commit()?;
            side
        };
        let merged = self.write(reason, |w| merge(w, &theirs))?;
        if !merged.purged.is_empty() {
            self.wipe()?;
        }
        Ok(merged)
    }
}

/// Who last set a column, and when.
#[derive(Clone, Debug, Default)]
struct Setter {
    identity: String,
    at: String,
    by: String,
    reason: String,
}

impl Setter {
    /// The reason a merge logs for carrying this change: whose it was,
    /// when, and why.
    fn told(&self, merge: &str) -> String {
        format!("{merge}: {} at {}: {}", self.by, self.at, self.reason)
    }
}

/// The setters of one row.
#[derive(Clone, Debug, Default)]
struct RowLog {
    create: Setter,
    fields: HashMap<String, Setter>,
}

impl RowLog {
    fn setter(&self, column: &str) -> &Setter {
        self.fields.get(column).unwrap_or(&self.create)
    }
}

/// One table as read: its columns and rows, with indexes by id and uid.
struct Table {
    cols: Vec<String>,
    rows: Vec<Vec<Value>>,
    by_id: HashMap<i64, usize>,
    by_uid: HashMap<String, usize>,
}

impl Table {
    fn load(conn: &Connection, entity: Entity) -> Result<Table> {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {} ORDER BY id", entity.table()))?;
        let cols: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
        let n = cols.len();
        let rows: Vec<Vec<Value>> = stmt
            .query_map([], |r| (0..n).map(|i| r.get(i)).collect())?
            .collect::<rusqlite::Result<_>>()?;
        let id_at = cols.iter().position(|c| c == "id");
        let uid_at = cols.iter().position(|c| c == "uid");
        let mut by_id = HashMap::new();
        let mut by_uid = HashMap::new();
        for (i, row) in rows.iter().enumerate() {
            if let Some(Value::Integer(id)) = id_at.map(|c| &row[c]) {
                by_id.insert(*id, i);
            }
            if let Some(Value::Text(uid)) = uid_at.map(|c| &row[c]) {
                by_uid.insert(uid.clone(), i);
            }
        }
        Ok(Table {
            cols,
            rows,
            by_id,
            by_uid,
        })
    }

    fn col(&self, name: &str) -> Option<usize> {
        self.cols.iter().position(|c| c == name)
    }

    fn get(&self, row: usize, name: &str) -> Value {
        self.col(name)
            .map_or(Value::Null, |c| self.rows[row][c].clone())
    }

    fn int(&self, row: usize, name: &str) -> Option<i64> {
        match self.get(row, name) {
            Value::Integer(i) => Some(i),
            _ => None,
        }
    }

    fn text(&self, row: usize, name: &str) -> String {
        match self.get(row, name) {
            Value::Text(s) => s,
            _ => String::new(),
        }
    }

    /// The uid of the row with this id.
    fn uid_of(&self, id: i64) -> Option<String> {
        self.by_id.get(&id).map(|&i| self.text(i, "uid"))
    }
}

/// A registry as a merge reads it.
struct Side {
    tables: HashMap<Entity, Table>,
    rows: HashMap<(Entity, i64), RowLog>,
    /// The identities of every change this side has seen.
    known: HashSet<String>,
    aliases: Vec<(String, i64)>,
    counters: Vec<(String, i64)>,
}

/// The tables merged, parents first.
const TABLES: [Entity; 9] = [
    Entity::Actor,
    Entity::ActorTypePeriod,
    Entity::Incident,
    Entity::Victim,
    Entity::Act,
    Entity::Involvement,
    Entity::Source,
    Entity::Claim,
    Entity::IncidentRelation,
];

impl Side {
    fn load(conn: &Connection) -> Result<Side> {
        let mut tables = HashMap::new();
        for entity in TABLES {
            tables.insert(entity, Table::load(conn, entity)?);
        }
        let mut rows: HashMap<(Entity, i64), RowLog> = HashMap::new();
        let mut known = HashSet::new();
        let mut stmt = conn.prepare(
            "SELECT r.entity, r.entity_id, r.action, r.field, coalesce(o.at, r.at),
                    coalesce(o.by, r.by), coalesce(o.origin, r.hash), r.reason
             FROM revision r LEFT JOIN revision_origin o ON o.revision_id = r.id
             ORDER BY r.id",
        )?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let entity: String = r.get(0)?;
            let entity_id: i64 = r.get(1)?;
            let action: String = r.get(2)?;
            let field: Option<String> = r.get(3)?;
            let setter = Setter {
                at: r.get(4)?,
                by: r.get(5)?,
                identity: r.get(6)?,
                reason: r.get(7)?,
            };
            known.insert(setter.identity.clone());
            let Some(entity) = Entity::from_table(&entity) else {
                continue;
            };
            let key = (entity, entity_id);
            match (action.as_str(), field) {
                // An id can be reused after its row is deleted: a create
                // starts the row's story afresh.
                ("create", _) => {
                    rows.insert(
                        key,
                        RowLog {
                            create: setter,
                            fields: HashMap::new(),
                        },
                    );
                }
                (_, Some(field)) => {
                    rows.entry(key).or_default().fields.insert(field, setter);
                }
                ("delete", None) => {
                    rows.remove(&key);
                }
                _ => {}
            }
        }
        let mut stmt = conn.prepare("SELECT identity FROM revision_known")?;
        for identity in stmt.query_map([], |r| r.get::<_, String>(0))? {
            known.insert(identity?);
        }
        let aliases = conn
            .prepare("SELECT alias, incident_id FROM ref_alias ORDER BY alias, incident_id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let counters = conn
            .prepare("SELECT prefix, last FROM ref_counter ORDER BY prefix")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Side {
            tables,
            rows,
            known,
            aliases,
            counters,
        })
    }

    fn table(&self, entity: Entity) -> &Table {
        &self.tables[&entity]
    }

    fn row_log(&self, entity: Entity, id: i64) -> RowLog {
        self.rows.get(&(entity, id)).cloned().unwrap_or_default()
    }

    /// Whether this side has seen the creation of row `id` of the other
    /// side, whose log is `log`.
    fn saw_creation(&self, log: &RowLog) -> bool {
        !log.create.identity.is_empty() && self.known.contains(&log.create.identity)
    }
}

/// The columns holding ids of other rows, and the table they point to.
fn link_of(entity: Entity, column: &str) -> Option<Entity> {
    Some(match (entity, column) {
        (_, "incident_id") | (Entity::Incident, "duplicate_of") => Entity::Incident,
        (Entity::IncidentRelation, "related_id") => Entity::Incident,
        (_, "victim_id") => Entity::Victim,
        (_, "act_id") => Entity::Act,
        (_, "actor_id") => Entity::Actor,
        (_, "source_id") => Entity::Source,
        _ => return None,
    })
}

/// Columns that name a row within one registry: never merged.
fn local(entity: Entity, column: &str) -> bool {
    column == "id"
        || column == "uid"
        || (entity == Entity::Incident && column == "ref")
        || (entity == Entity::Victim && column == "position")
}

/// A merge in progress.
struct Merger<'a> {
    ours: Side,
    theirs: &'a Side,
    /// (table, uid) → our id, for rows added by this merge.
    added_ids: HashMap<(Entity, String), i64>,
    /// The setters of rows this merge added (their creation there). Kept
    /// apart from the snapshot's: an added row may get the id of a row
    /// this merge erased.
    added_logs: HashMap<(Entity, i64), RowLog>,
    /// Their actor id → ours (actors also match by name).
    actors: HashMap<i64, i64>,
    /// Our incidents this merge changed.
    touched: BTreeSet<i64>,
    added: Vec<i64>,
    merged: Merged,
}

fn merge(w: &mut Writer<'_>, theirs: &Side) -> Result<Merged> {
    let ours = Side::load(w.tx())?;
    let mut m = Merger {
        ours,
        theirs,
        added_ids: HashMap::new(),
        added_logs: HashMap::new(),
        actors: HashMap::new(),
        touched: BTreeSet::new(),
        added: Vec::new(),
        merged: Merged::default(),
    };
    m.purges(w)?;
    m.actors(w)?;
    m.incidents(w)?;
    for entity in [
        Entity::Victim,
        Entity::Act,
        Entity::Involvement,
        Entity::Source,
        Entity::Claim,
    ] {
        m.children(w, entity)?;
    }
    m.deletions(w)?;
    m.relations(w)?;
    m.names(w)?;
    m.remember(w)?;
    let mut merged = std::mem::take(&mut m.merged);
    for id in &m.added {
        merged.added.push(reference(w, *id)?);
        m.touched.remove(id);
    }
    for id in &m.touched {
        if let Some(r) = reference_opt(w, *id)? {
            merged.updated.push(r);
        }
    }
    merged.added.sort();
    merged.updated.sort();
    Ok(merged)
}

fn reference(w: &Writer<'_>, id: i64) -> Result<String> {
    reference_opt(w, id)?.with_context(|| format!("incident {id} vanished during the merge"))
}

fn reference_opt(w: &Writer<'_>, id: i64) -> Result<Option<String>> {
    Ok(w.tx()
        .prepare_cached("SELECT ref FROM incident WHERE id = ?")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// The identity of a revision a merge writes on its own account (a
/// conflict's claim and source): the same in every registry that meets
/// the conflict.
fn derived_identity(uid: &str) -> String {
    hex::encode(Sha256::digest(format!("pressreg merge {uid}").as_bytes()))
}

fn derived_uid(text: &str) -> String {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, text.as_bytes()).to_string()
}

/// Records that the revisions after `before` carry the changes of these
/// setters (by field; `None` for a create).
fn set_origins(
    w: &Writer<'_>,
    before: i64,
    origin_of: impl Fn(Option<&str>) -> Option<Setter>,
) -> Result<()> {
    let written: Vec<(i64, Option<String>)> = w
        .tx()
        .prepare_cached("SELECT id, field FROM revision WHERE id > ? ORDER BY id")?
        .query_map([before], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, field) in written {
        if let Some(origin) = origin_of(field.as_deref()) {
            w.tx()
                .prepare_cached(
                    "INSERT OR REPLACE INTO revision_origin (revision_id, origin, at, by)
                     VALUES (?, ?, ?, ?)",
                )?
                .execute(params![id, origin.identity, origin.at, origin.by])?;
        }
    }
    Ok(())
}

fn last_revision(w: &Writer<'_>) -> Result<i64> {
    Ok(w.tx()
        .prepare_cached("SELECT coalesce(max(id), 0) FROM revision")?
        .query_row([], |r| r.get(0))?)
}

fn shown(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(s) => s.clone(),
        Value::Blob(b) => hex::encode(b),
    }
}

impl Merger<'_> {
    /// Our id of the row with this uid.
    fn our_id(&self, entity: Entity, uid: &str) -> Option<i64> {
        if let Some(id) = self.added_ids.get(&(entity, uid.to_string())) {
            return Some(*id);
        }
        let t = self.ours.table(entity);
        t.by_uid.get(uid).and_then(|&i| t.int(i, "id"))
    }

    /// Our id for their id `id` of a row of `entity`.
    fn translate(&self, entity: Entity, id: i64) -> Option<i64> {
        if entity == Entity::Actor {
            return self.actors.get(&id).copied();
        }
        let uid = self.theirs.table(entity).uid_of(id)?;
        self.our_id(entity, &uid)
    }

    /// Their row's columns with links translated to our ids; None when a
    /// row it points to is not here (deleted or erased here).
    fn translated(&self, entity: Entity, row: usize) -> Option<Vec<(String, Value)>> {
        let t = self.theirs.table(entity);
        let mut out = Vec::new();
        for (c, name) in t.cols.iter().enumerate() {
            let value = t.rows[row][c].clone();
            let value = match (link_of(entity, name), &value) {
                (Some(target), Value::Integer(id)) => match self.translate(target, *id) {
                    Some(ours) => Value::Integer(ours),
                    // A duplicate_of pointing at an incident not here is
                    // left unset rather than losing the whole incident.
                    None if name == "duplicate_of" => Value::Null,
                    None => return None,
                },
                _ => value,
            };
            out.push((name.clone(), value));
        }
        Some(out)
    }

    /// The incident a row of ours belongs to.
    fn incident_of(&self, w: &Writer<'_>, entity: Entity, id: i64) -> Result<Option<i64>> {
        let sql = match entity {
            Entity::Incident => return Ok(Some(id)),
            Entity::Actor | Entity::ActorTypePeriod => return Ok(None),
            Entity::Involvement => {
                "SELECT a.incident_id FROM involvement v JOIN act a ON a.id = v.act_id WHERE v.id = ?"
                    .to_string()
            }
            other => format!("SELECT incident_id FROM {} WHERE id = ?", other.table()),
        };
        Ok(w.tx()
            .prepare_cached(&sql)?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    /// Incidents erased there that are still here: erased here too.
    fn purges(&mut self, w: &mut Writer<'_>) -> Result<()> {
        let t = self.ours.table(Entity::Incident);
        let mut doomed = Vec::new();
        for (uid, &i) in &t.by_uid {
            let Some(id) = t.int(i, "id") else { continue };
            let log = self.ours.row_log(Entity::Incident, id);
            if !self.theirs.table(Entity::Incident).by_uid.contains_key(uid)
                && self.theirs.saw_creation(&log)
            {
                doomed.push(id);
            }
        }
        doomed.sort_unstable();
        for id in doomed {
            let purged = w.purge(IncidentId(id))?;
            self.merged.purged.push(purged.reference);
        }
        Ok(())
    }

    /// Actors: matched by uid, else by name; added when new.
    fn actors(&mut self, w: &mut Writer<'_>) -> Result<()> {
        let side = self.theirs;
        let theirs = side.table(Entity::Actor);
        let ours = self.ours.table(Entity::Actor);
        let by_name: HashMap<String, i64> = (0..ours.rows.len())
            .filter_map(|i| Some((ours.text(i, "name").to_lowercase(), ours.int(i, "id")?)))
            .collect();
        for i in 0..theirs.rows.len() {
            let Some(their_id) = theirs.int(i, "id") else {
                continue;
            };
            let uid = theirs.text(i, "uid");
            let name = theirs.text(i, "name").to_lowercase();
            if let Some(id) = self.our_id(Entity::Actor, &uid) {
                self.actors.insert(their_id, id);
                self.merge_row(w, Entity::Actor, id, i)?;
            } else if let Some(&id) = by_name.get(&name) {
                self.actors.insert(their_id, id);
            } else {
                let id = self.insert(w, Entity::Actor, i, None)?;
                self.actors.insert(their_id, id);
                self.merged.actors += 1;
            }
        }
        // Type periods: added when this actor has none like it.
        let periods = side.table(Entity::ActorTypePeriod);
        let key = |actor: Option<i64>, t: &Table, i: usize| {
            (
                actor,
                t.text(i, "type"),
                t.get(i, "valid_from"),
                t.get(i, "valid_to"),
            )
        };
        let ours_p = self.ours.table(Entity::ActorTypePeriod);
        let have: Vec<_> = (0..ours_p.rows.len())
            .map(|i| key(ours_p.int(i, "actor_id"), ours_p, i))
            .collect();
        for i in 0..periods.rows.len() {
            let actor = periods
                .int(i, "actor_id")
                .and_then(|a| self.actors.get(&a).copied());
            let k = key(actor, periods, i);
            if actor.is_some() && !have.contains(&k) {
                self.insert(w, Entity::ActorTypePeriod, i, None)?;
            }
        }
        Ok(())
    }

    /// Incidents: new ones added first (so that `duplicate_of` can point at
    /// any of them), then every one both sides hold merged field by field.
    fn incidents(&mut self, w: &mut Writer<'_>) -> Result<()> {
        let side = self.theirs;
        let theirs = side.table(Entity::Incident);
        let mut both = Vec::new();
        for i in 0..theirs.rows.len() {
            let Some(their_id) = theirs.int(i, "id") else {
                continue;
            };
            let uid = theirs.text(i, "uid");
            if let Some(id) = self.our_id(Entity::Incident, &uid) {
                both.push((id, i));
                continue;
            }
            let log = self.theirs.row_log(Entity::Incident, their_id);
            if self.ours.saw_creation(&log) {
                continue;
            }
            let id = self.insert(w, Entity::Incident, i, None)?;
            self.added.push(id);
            both.push((id, i));
        }
        for (id, i) in both {
            self.merge_row(w, Entity::Incident, id, i)?;
        }
        Ok(())
    }

    /// Victims, acts, perpetrator links, sources or claims: merged when both
    /// sides hold them, added when new.
    fn children(&mut self, w: &mut Writer<'_>, entity: Entity) -> Result<()> {
        let side = self.theirs;
        let theirs = side.table(entity);
        for i in 0..theirs.rows.len() {
            let Some(their_id) = theirs.int(i, "id") else {
                continue;
            };
            let uid = theirs.text(i, "uid");
            if let Some(id) = self.our_id(entity, &uid) {
                self.merge_row(w, entity, id, i)?;
                continue;
            }
            let log = self.theirs.row_log(entity, their_id);
            if self.ours.saw_creation(&log) {
                continue;
            }
            let Some(cols) = self.translated(entity, i) else {
                // Its incident (or victim, act, source) is gone here.
                continue;
            };
            let incident = match entity {
                Entity::Involvement => {
                    let act = cols
                        .iter()
                        .find(|(n, _)| n == "act_id")
                        .and_then(|(_, v)| match v {
                            Value::Integer(a) => Some(*a),
                            _ => None,
                        });
                    match act {
                        Some(a) => self.incident_of(w, Entity::Act, a)?,
                        None => None,
                    }
                }
                _ => cols
                    .iter()
                    .find(|(n, _)| n == "incident_id")
                    .and_then(|(_, v)| match v {
                        Value::Integer(a) => Some(*a),
                        _ => None,
                    }),
            };
            self.insert(w, entity, i, incident)?;
            if let Some(incident) = incident {
                self.touched.insert(incident);
            }
        }
        Ok(())
    }

    /// Adds their row `i` here (links translated, a ref or position in
    /// use renumbered), logged with the identity of its creation there.
    fn insert(
        &mut self,
        w: &mut Writer<'_>,
        entity: Entity,
        i: usize,
        incident: Option<i64>,
    ) -> Result<i64> {
        let theirs = self.theirs;
        let t = theirs.table(entity);
        let their_id = t.int(i, "id").unwrap_or_default();
        let mut cols: Vec<(String, Value)> = self
            .translated(entity, i)
            .with_context(|| format!("a {} to add points at a row not here", entity.table()))?
            .into_iter()
            .filter(|(n, _)| n != "id")
            .collect();
        for (name, value) in cols.iter_mut() {
            match (entity, name.as_str()) {
                // Set once every incident is in (`incidents`).
                (Entity::Incident, "duplicate_of") => *value = Value::Null,
                (Entity::Incident, "ref") => {
                    let theirs_ref = shown(value);
                    let ours_ref = self.free_ref(w, &theirs_ref)?;
                    if ours_ref != theirs_ref {
                        self.merged
                            .renumbered
                            .push((theirs_ref.clone(), ours_ref.clone()));
                    }
                    *value = Value::Text(ours_ref);
                }
                (Entity::Victim, "position") => {
                    let incident = incident.unwrap_or_default();
                    let taken: bool = w
                        .tx()
                        .prepare_cached(
                            "SELECT EXISTS (SELECT 1 FROM victim WHERE incident_id = ? AND position = ?)",
                        )?
                        .query_row(params![incident, &*value], |r| r.get(0))?;
                    if taken {
                        let next: i64 = w
                            .tx()
                            .prepare_cached(
                                "SELECT coalesce(max(position), 0) + 1 FROM victim WHERE incident_id = ?",
                            )?
                            .query_row([incident], |r| r.get(0))?;
                        *value = Value::Integer(next);
                    }
                }
                _ => {}
            }
        }
        let log = self.theirs.row_log(entity, their_id);
        let before = last_revision(w)?;
        let named: Vec<(&str, Value)> = cols.iter().map(|(n, v)| (n.as_str(), v.clone())).collect();
        let reason = log.create.told(w.reason());
        let id = w.with_reason(&reason, |w| w.insert(entity, incident, &named))?;
        if !log.create.identity.is_empty() {
            set_origins(w, before, |_| Some(log.create.clone()))?;
        }
        if entity == Entity::Incident {
            let theirs_ref = t.text(i, "ref");
            let ours_ref = reference(w, id)?;
            if ours_ref != theirs_ref {
                w.tx()
                    .prepare_cached(
                        "INSERT OR IGNORE INTO ref_alias (alias, incident_id) VALUES (?, ?)",
                    )?
                    .execute(params![theirs_ref, id])?;
            }
        }
        let uid = t.text(i, "uid");
        if !uid.is_empty() {
            self.added_ids.insert((entity, uid), id);
        }
        self.added_logs.insert(
            (entity, id),
            RowLog {
                create: log.create.clone(),
                fields: HashMap::new(),
            },
        );
        Ok(id)
    }

    /// `wanted` when no incident here has it, else the next number of its
    /// prefix; the counter moves past whatever is used.
    fn free_ref(&self, w: &Writer<'_>, wanted: &str) -> Result<String> {
        let (prefix, number) = super::write::split_reference(wanted)
            .with_context(|| format!("their ref '{wanted}' is not a reference"))?;
        let used: bool = w
            .tx()
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM incident WHERE ref = ?)")?
            .query_row([wanted], |r| r.get(0))?;
        let number = if used {
            let last: i64 = w
                .tx()
                .prepare_cached("SELECT coalesce(max(last), 0) FROM ref_counter WHERE prefix = ?")?
                .query_row([&prefix], |r| r.get(0))?;
            last.max(number) + 1
        } else {
            number
        };
        w.tx()
            .prepare_cached(
                "INSERT INTO ref_counter (prefix, last) VALUES (?1, ?2)
                 ON CONFLICT (prefix) DO UPDATE SET last = max(last, ?2)",
            )?
            .execute(params![prefix, number])?;
        Ok(format!("{prefix}-{number:04}"))
    }

    /// Merges their row `i` into our row `id`, column by column.
    fn merge_row(&mut self, w: &mut Writer<'_>, entity: Entity, id: i64, i: usize) -> Result<()> {
        let Some(theirs_cols) = self.translated(entity, i) else {
            return Ok(());
        };
        let their_id = self.theirs.table(entity).int(i, "id").unwrap_or_default();
        let their_log = self.theirs.row_log(entity, their_id);
        let added = self.added_logs.get(&(entity, id)).cloned();
        let our_log = added
            .clone()
            .unwrap_or_else(|| self.ours.row_log(entity, id));
        // The row as this merge found it, unless the merge itself wrote it.
        let snapshot = self.ours.table(entity);
        let in_snapshot = snapshot.by_id.get(&id).filter(|_| added.is_none());
        let ours_row: HashMap<String, Value> = if let Some(&r) = in_snapshot {
            snapshot
                .cols
                .iter()
                .cloned()
                .zip(snapshot.rows[r].iter().cloned())
                .collect()
        } else {
            let mut stmt = w
                .tx()
                .prepare_cached(&format!("SELECT * FROM {} WHERE id = ?", entity.table()))?;
            let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
            stmt.query_row([id], |r| {
                names
                    .iter()
                    .enumerate()
                    .map(|(c, n)| Ok((n.clone(), r.get::<_, Value>(c)?)))
                    .collect()
            })?
        };
        let theirs_row: HashMap<String, Value> = theirs_cols.iter().cloned().collect();
        let mut take: Vec<(String, Value, Setter)> = Vec::new();
        let mut givers: Vec<Setter> = Vec::new();
        let mut clashes: Vec<(String, Setter, Setter, bool)> = Vec::new();
        for (name, tv) in &theirs_cols {
            if local(entity, name) {
                continue;
            }
            let Some(ov) = ours_row.get(name) else {
                continue;
            };
            if ov == tv {
                continue;
            }
            let t = their_log.setter(name);
            let s = our_log.setter(name);
            if self.ours.known.contains(&t.identity) {
                continue;
            }
            if self.theirs.known.contains(&s.identity) {
                take.push((name.clone(), tv.clone(), t.clone()));
                givers.push(t.clone());
                continue;
            }
            let theirs_win = (&t.at, &t.identity) > (&s.at, &s.identity);
            if theirs_win {
                take.push((name.clone(), tv.clone(), t.clone()));
                givers.push(t.clone());
            }
            // Both sides touched the incident, or both deleted it: the
            // times are bookkeeping, settled by the same rule and not worth
            // a claim.
            let bookkeeping = entity == Entity::Incident
                && (name == "updated_at"
                    || (name == "deleted_at" && *ov != Value::Null && *tv != Value::Null));
            if !bookkeeping {
                clashes.push((name.clone(), s.clone(), t.clone(), theirs_win));
            }
        }
        if take.is_empty() && clashes.is_empty() {
            return Ok(());
        }
        let incident = self.incident_of(w, entity, id)?;
        if !take.is_empty() {
            let before = last_revision(w)?;
            let fields: Vec<(&str, Value)> = take
                .iter()
                .map(|(n, v, _)| (n.as_str(), v.clone()))
                .collect();
            let merge = w.reason().to_string();
            let reason = match givers.first() {
                Some(g) if givers.iter().all(|o| o.identity == g.identity) => g.told(&merge),
                Some(_) => {
                    let mut who: Vec<&str> = givers.iter().map(|g| g.by.as_str()).collect();
                    who.sort_unstable();
                    who.dedup();
                    format!("{merge}: changes by {}", who.join(", "))
                }
                None => merge,
            };
            w.with_reason(&reason, |w| w.update_many(entity, id, incident, &fields))?;
            set_origins(w, before, |field| {
                take.iter()
                    .find(|(n, _, _)| Some(n.as_str()) == field)
                    .map(|(_, _, o)| o.clone())
                    .filter(|o| !o.identity.is_empty())
            })?;
            if let Some(incident) = incident {
                self.touched.insert(incident);
            }
        }
        if !clashes.is_empty() {
            self.conflicts(w, entity, incident, &ours_row, &theirs_row, clashes)?;
        }
        Ok(())
    }

    /// Lists a row's conflicting fields and keeps both values of each as
    /// claims where claims can speak of the field.
    #[allow(clippy::too_many_arguments)]
    fn conflicts(
        &mut self,
        w: &mut Writer<'_>,
        entity: Entity,
        incident: Option<i64>,
        ours_row: &HashMap<String, Value>,
        theirs_row: &HashMap<String, Value>,
        clashes: Vec<(String, Setter, Setter, bool)>,
    ) -> Result<()> {
        let kind = match entity {
            Entity::Incident => Some(fields::Entity::Incident),
            Entity::Victim => Some(fields::Entity::Victim),
            Entity::Act => Some(fields::Entity::Act),
            Entity::Involvement => Some(fields::Entity::Involvement),
            Entity::Source => Some(fields::Entity::Source),
            _ => None,
        };
        let summaries = kind.map(|k| k.fields()).unwrap_or_default();
        let reference = match incident {
            Some(i) => reference(w, i)?,
            None => String::new(),
        };
        let label = match entity {
            Entity::Incident => String::new(),
            Entity::Victim => format!("victim {} ", shown(&ours_row["position"])),
            other => format!("{} ", other.table()),
        };
        let mut done: HashSet<String> = HashSet::new();
        for (column, s, t, theirs_win) in clashes {
            let field = summaries
                .iter()
                .find(|f| f.columns.contains(&column.as_str()));
            let name = field.map_or(column.clone(), |f| f.name.to_string());
            if !done.insert(name.clone()) {
                continue;
            }
            let render = |row: &HashMap<String, Value>| match field {
                Some(f) if f.name == "date" => date_text(row),
                Some(f) => f
                    .columns
                    .iter()
                    .map(|c| row.get(*c).map(shown).unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join(","),
                None => row.get(&column).map(shown).unwrap_or_default(),
            };
            // A field only a full export carries (private notes) is not
            // repeated on a terminal; its claims keep it.
            let secret = field.is_some_and(|f| f.level == Confidentiality::Restricted);
            let (ours, theirs) = (render(ours_row), render(theirs_row));
            let told = |v: &str| {
                if secret {
                    "(withheld)".to_string()
                } else {
                    v.to_string()
                }
            };
            let subject = match entity {
                Entity::Incident => Some("incident"),
                Entity::Victim => Some("victim"),
                Entity::Act => Some("act"),
                Entity::Involvement => Some("involvement"),
                _ => None,
            };
            let claims = match (subject, field, incident) {
                (Some(subject), Some(f), Some(incident)) if f.claim => {
                    let subject_uid = shown(&ours_row["uid"]);
                    let a = self.claim(
                        w,
                        incident,
                        subject,
                        &subject_uid,
                        &name,
                        &ours,
                        &s,
                        !theirs_win,
                    )?;
                    let b = self.claim(
                        w,
                        incident,
                        subject,
                        &subject_uid,
                        &name,
                        &theirs,
                        &t,
                        theirs_win,
                    )?;
                    Some((a, b))
                }
                _ => None,
            };
            if let Some(incident) = incident {
                self.touched.insert(incident);
            }
            self.merged.conflicts.push(Conflict {
                reference: reference.clone(),
                what: format!("{label}{name}"),
                ours: told(&ours),
                theirs: told(&theirs),
                theirs_shown: theirs_win,
                by: (s.by.clone(), t.by.clone()),
                claims,
            });
        }
        Ok(())
    }

    /// The claim keeping one side's value of a conflicting field (made
    /// once, whichever registry meets the conflict first); its number.
    #[allow(clippy::too_many_arguments)]
    fn claim(
        &mut self,
        w: &mut Writer<'_>,
        incident: i64,
        subject: &str,
        subject_uid: &str,
        field: &str,
        value: &str,
        setter: &Setter,
        accepted: bool,
    ) -> Result<i64> {
        let incident_uid = reference_uid(w, incident)?;
        let source_uid = derived_uid(&format!("source {incident_uid} {}", setter.by));
        let source = match self.our_id(Entity::Source, &source_uid) {
            Some(s) if exists(w, Entity::Source, s)? => s,
            _ => {
                let before = last_revision(w)?;
                let id = w.insert(
                    Entity::Source,
                    Some(incident),
                    &[
                        ("uid", Value::Text(source_uid.clone())),
                        ("incident_id", Value::Integer(incident)),
                        ("type", Value::Text("other".into())),
                        ("publisher", Value::Text(setter.by.clone())),
                        ("title", Value::Text("registry merge".into())),
                        ("confidential", Value::Integer(1)),
                    ],
                )?;
                let origin = Setter {
                    identity: derived_identity(&source_uid),
                    ..setter.clone()
                };
                set_origins(w, before, |_| Some(origin.clone()))?;
                self.added_ids.insert((Entity::Source, source_uid), id);
                id
            }
        };
        let claim_uid = derived_uid(&format!("claim {subject_uid} {field} {}", setter.identity));
        let claim = match self.our_id(Entity::Claim, &claim_uid) {
            Some(c) if exists(w, Entity::Claim, c)? => c,
            _ => {
                let before = last_revision(w)?;
                let id = w.insert(
                    Entity::Claim,
                    Some(incident),
                    &[
                        ("uid", Value::Text(claim_uid.clone())),
                        ("incident_id", Value::Integer(incident)),
                        ("source_id", Value::Integer(source)),
                        ("subject", Value::Text(subject.into())),
                        ("subject_uid", Value::Text(subject_uid.into())),
                        ("field", Value::Text(field.into())),
                        ("value", Value::Text(value.into())),
                        ("stance", Value::Text("asserts".into())),
                        ("accepted", Value::Integer(i64::from(accepted))),
                    ],
                )?;
                let origin = Setter {
                    identity: derived_identity(&claim_uid),
                    ..setter.clone()
                };
                set_origins(w, before, |_| Some(origin.clone()))?;
                self.added_ids.insert((Entity::Claim, claim_uid), id);
                id
            }
        };
        super::attach::claim_number(w.tx(), IncidentId(incident), ClaimId(claim))
    }

    /// Records here whose creation they saw but which they no longer have:
    /// deleted there, so deleted here (children first, each logged).
    fn deletions(&mut self, w: &mut Writer<'_>) -> Result<()> {
        for entity in [
            Entity::Claim,
            Entity::Involvement,
            Entity::Act,
            Entity::Source,
            Entity::Victim,
        ] {
            let t = self.ours.table(entity);
            let mut doomed = Vec::new();
            for (uid, &i) in &t.by_uid {
                let Some(id) = t.int(i, "id") else { continue };
                if self.theirs.table(entity).by_uid.contains_key(uid)
                    || !self.theirs.saw_creation(&self.ours.row_log(entity, id))
                {
                    continue;
                }
                // By uid: its id may have gone to a row this merge added.
                let now: Option<i64> = w
                    .tx()
                    .prepare_cached(&format!("SELECT id FROM {} WHERE uid = ?", entity.table()))?
                    .query_row([uid], |r| r.get(0))
                    .optional()?;
                doomed.extend(now);
            }
            doomed.sort_unstable();
            for id in doomed {
                self.delete(w, entity, id)?;
            }
        }
        Ok(())
    }

    /// Deletes our row `id` (if still here) with the rows that hang on it.
    fn delete(&mut self, w: &mut Writer<'_>, entity: Entity, id: i64) -> Result<()> {
        if !exists(w, entity, id)? {
            return Ok(());
        }
        let children: &[(Entity, &str)] = match entity {
            Entity::Victim => &[(Entity::Act, "victim_id")],
            Entity::Act => &[(Entity::Involvement, "act_id")],
            Entity::Source => &[(Entity::Claim, "source_id")],
            _ => &[],
        };
        for (child, column) in children {
            let ids: Vec<i64> = w
                .tx()
                .prepare(&format!(
                    "SELECT id FROM {} WHERE {column} = ? ORDER BY id",
                    child.table()
                ))?
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for child_id in ids {
                self.delete(w, *child, child_id)?;
            }
        }
        let incident = self.incident_of(w, entity, id)?;
        w.delete(entity, id, incident)?;
        self.merged.deleted += 1;
        if let Some(incident) = incident {
            self.touched.insert(incident);
        }
        Ok(())
    }

    /// Links between incidents: added when both are here and the link is
    /// not.
    fn relations(&mut self, w: &mut Writer<'_>) -> Result<()> {
        let side = self.theirs;
        let t = side.table(Entity::IncidentRelation);
        for i in 0..t.rows.len() {
            let Some(cols) = self.translated(Entity::IncidentRelation, i) else {
                continue;
            };
            let get = |n: &str| {
                cols.iter()
                    .find(|(c, _)| c == n)
                    .map_or(Value::Null, |(_, v)| v.clone())
            };
            let there: bool = w
                .tx()
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM incident_relation
                     WHERE incident_id = ? AND related_id = ? AND relation = ?)",
                )?
                .query_row(
                    params![get("incident_id"), get("related_id"), get("relation")],
                    |r| r.get(0),
                )?;
            if !there {
                let incident = match get("incident_id") {
                    Value::Integer(i) => Some(i),
                    _ => None,
                };
                self.insert(w, Entity::IncidentRelation, i, incident)?;
                if let Some(incident) = incident {
                    self.touched.insert(incident);
                }
            }
        }
        Ok(())
    }

    /// Their aliases and ref counters: a ref they renumbered still finds its
    /// incident here, and no number they handed out is handed out here.
    fn names(&mut self, w: &mut Writer<'_>) -> Result<()> {
        let side = self.theirs;
        for (alias, their_id) in &side.aliases {
            if let Some(id) = self.translate(Entity::Incident, *their_id) {
                if reference(w, id)? != *alias {
                    w.tx()
                        .prepare_cached(
                            "INSERT OR IGNORE INTO ref_alias (alias, incident_id) VALUES (?, ?)",
                        )?
                        .execute(params![alias, id])?;
                }
            }
        }
        for (prefix, last) in &side.counters {
            w.tx()
                .prepare_cached(
                    "INSERT INTO ref_counter (prefix, last) VALUES (?1, ?2)
                     ON CONFLICT (prefix) DO UPDATE SET last = max(last, ?2)",
                )?
                .execute(params![prefix, last])?;
        }
        Ok(())
    }

    /// Everything they have seen is now seen here.
    fn remember(&mut self, w: &mut Writer<'_>) -> Result<()> {
        let mut stmt = w
            .tx()
            .prepare_cached("INSERT OR IGNORE INTO revision_known (identity) VALUES (?)")?;
        let mut new: Vec<&String> = self
            .theirs
            .known
            .iter()
            .filter(|k| !self.ours.known.contains(*k))
            .collect();
        new.sort();
        for identity in new {
            stmt.execute([identity])?;
        }
        Ok(())
    }
}

fn exists(w: &Writer<'_>, entity: Entity, id: i64) -> Result<bool> {
    Ok(w.tx()
        .prepare_cached(&format!(
            "SELECT EXISTS (SELECT 1 FROM {} WHERE id = ?)",
            entity.table()
        ))?
        .query_row([id], |r| r.get(0))?)
}

fn reference_uid(w: &Writer<'_>, incident: i64) -> Result<String> {
    Ok(w.tx()
        .prepare_cached("SELECT uid FROM incident WHERE id = ?")?
        .query_row([incident], |r| r.get(0))?)
}

/// An incident's or act's dates as `edit --set date=` takes them.
fn date_text(row: &HashMap<String, Value>) -> String {
    let get = |c: &str| row.get(c).map(shown).unwrap_or_default();
    let start = get("date_start");
    if start.is_empty() {
        return "unknown".into();
    }
    let start = match get("date_precision").as_str() {
        "year" => start.chars().take(4).collect(),
        "month" => start.chars().take(7).collect(),
        _ => start,
    };
    let end = get("date_end");
    let mut text = if end.is_empty() || get("date_precision") != "day" {
        start
    } else {
        format!("{start}/{end}")
    };
    if get("date_approximate") == "1" {
        text.push('?');
    }
    text
}

/// What a user naming an incident by `given` should know when a merge
/// renumbered an incident from that ref: the ref now names this incident
/// while an incident merged in had it before, or `given` is this
/// incident's old ref.
pub fn alias_note(conn: &Connection, given: &str, id: i64) -> Result<Option<String>> {
    let given = given.trim();
    let reference: String = conn
        .prepare_cached("SELECT ref FROM incident WHERE id = ?")?
        .query_row([id], |r| r.get(0))?;
    let others: Vec<String> = conn
        .prepare_cached(
            "SELECT i.ref FROM ref_alias a JOIN incident i ON i.id = a.incident_id
             WHERE a.alias = ?1 AND a.incident_id <> ?2 ORDER BY i.ref",
        )?
        .query_map(params![given, id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if reference == given && !others.is_empty() {
        return Ok(Some(format!(
            "{given} was also the ref of {} in a registry merged in (renumbered here)",
            others.join(", ")
        )));
    }
    if reference != given {
        let aliased: bool = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM ref_alias WHERE alias = ? AND incident_id = ?)",
            )?
            .query_row(params![given, id], |r| r.get(0))?;
        if aliased {
            return Ok(Some(format!(
                "{given} is {reference} here (renumbered when it was merged in)"
            )));
        }
    }
    Ok(None)
}

//! Duplicates: reading the incidents `duplicates` compares, and folding one
//! incident into another (`merge-records`), and undoing that fold
//! (`restore`).
//!
//! A fold is one `Db::write`: every row it moves, every claim it adds and
//! the marking of the dropped incident are revisions with one reason, in
//! one run of the log. Its first revision is always the dropped incident's
//! `duplicate_of` (refused when already set), so `restore` finds the run by
//! that revision: the rows that follow it with the same time, user and
//! reason, which no other command writes (its reason names both refs).
//! Undoing replays the run backwards through the writer (an update is set
//! back, a created row is deleted), after checking that no later revision
//! changed what it would set back.

use std::collections::HashMap;

use anyhow::{anyhow, bail, Context, Result};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::OptionalExtension;

use uuid::Uuid;

use super::ids::IncidentId;
use super::query::Filter;
use super::reader::Reader;
use super::revision::{self, Entity, Writer};
use super::{attach, write};
use crate::model::{ClaimRecord, SourceRecord};
use crate::vocab::*;

/// An incident as `duplicates` reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct DupRow {
    pub reference: String,
    pub date_start: Option<NaiveDate>,
    pub date_end: Option<NaiveDate>,
    pub date_precision: DatePrecision,
    pub country: String,
    pub admin1: String,
    pub admin2: String,
    pub locality: String,
    pub victims: Vec<DupVictim>,
}

/// A victim as `duplicates` reads it.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct DupVictim {
    pub position: i64,
    pub name: String,
    pub name_variants: Vec<String>,
    pub anonymous: bool,
    pub confidentiality: Confidentiality,
    pub outlet: String,
}

impl Reader<'_> {
    /// Every incident matching `filter` that is not already marked a
    /// duplicate of another, in the order they were recorded, with its
    /// victims: one query, so 100,000 incidents are read in one pass.
    pub fn duplicate_candidates(&self, filter: &Filter) -> Result<Vec<DupRow>> {
        let (cond, params) = filter.to_sql();
        let sql = format!(
            "SELECT i.ref, i.date_start, i.date_end, i.date_precision, i.country, i.admin1,
                    i.admin2, i.locality,
                    (SELECT json_group_array(json_object(
                                'position', w.position, 'name', w.name,
                                'name_variants', json(w.name_variants),
                                'anonymous', json(CASE w.anonymous WHEN 1 THEN 'true' ELSE 'false' END),
                                'confidentiality', w.confidentiality, 'outlet', w.outlet)
                            ORDER BY w.position)
                       FROM victim w WHERE w.incident_id = i.id)
             FROM incident i
             WHERE i.duplicate_of IS NULL AND {cond}
             ORDER BY i.id"
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let reference: String = r.get(0)?;
            let victims: String = r.get(8)?;
            let victims: Vec<DupVictim> = serde_json::from_str(&victims)
                .with_context(|| format!("failed to read the victims of {reference}"))?;
            out.push(DupRow {
                reference,
                date_start: r.get(1)?,
                date_end: r.get(2)?,
                date_precision: r.get(3)?,
                country: r.get(4)?,
                admin1: r.get(5)?,
                admin2: r.get(6)?,
                locality: r.get(7)?,
                victims,
            });
        }
        Ok(out)
    }
}

/// What `merge-records` folds, decided by the command: which victims of
/// the dropped incident are people the kept one already has, the names
/// those victims add, and the dropped record's values that disagree with
/// the kept one's, as claims (their `source` is filled in here).
#[derive(Clone, Debug, Default)]
pub struct FoldPlan {
    /// (victim of DROP, the same person in KEEP), by uid.
    pub same_person: Vec<(Uuid, Uuid)>,
    /// Each KEEP victim's name variants after the fold.
    pub variants: Vec<(Uuid, Vec<String>)>,
    /// Claims on KEEP (or its victims) carrying DROP's disagreeing values.
    pub claims: Vec<ClaimRecord>,
}

/// What a fold did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Folded {
    pub victims_moved: usize,
    pub victims_merged: usize,
    pub acts_moved: usize,
    /// Acts of a merged victim that KEEP already records (same type).
    pub acts_merged: usize,
    /// Perpetrator links of those acts that KEEP's act did not have.
    pub links_moved: usize,
    pub sources: usize,
    pub claims_moved: usize,
    pub claims_added: usize,
    /// Whether a source standing for the dropped record was added (it had
    /// none to carry its values).
    pub record_source: bool,
}

/// What undoing a fold did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unfolded {
    /// The incident the dropped one had been folded into.
    pub keep: String,
    /// How many changes were set back.
    pub changes: usize,
}

fn row_ids(w: &Writer<'_>, sql: &str, id: i64) -> Result<Vec<(i64, String)>> {
    let mut stmt = w.tx().prepare(sql)?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Writer<'_> {
    /// Folds incident `drop` into `keep` (both checked by the caller: two
    /// incidents, neither deleted nor already a duplicate): moves every
    /// victim (a victim `plan` says is a person KEEP has gives that
    /// person its acts and names instead, and stays behind with DROP), act
    /// (with its involvements; an act of a merged victim that KEEP records
    /// with the same type gives it only the perpetrator links it lacks, and
    /// stays behind), source and claim, adds the plan's claims,
    /// and marks DROP `duplicate` of KEEP. Its first revision is DROP's
    /// `duplicate_of`: `unfold` starts from it.
    pub fn fold(&mut self, keep: IncidentId, drop: IncidentId, plan: &FoldPlan) -> Result<Folded> {
        let (keep, drop) = (keep.0, drop.0);
        self.update(
            Entity::Incident,
            drop,
            Some(drop),
            "duplicate_of",
            Value::Integer(keep),
        )?;
        let uid_of = |w: &Writer<'_>, id: i64| -> Result<String> {
            Ok(w.tx()
                .query_row("SELECT uid FROM incident WHERE id = ?", [id], |r| r.get(0))?)
        };
        let (keep_uid, drop_uid) = (uid_of(self, keep)?, uid_of(self, drop)?);
        let mut done = Folded::default();
        let mut next: i64 = self.tx().query_row(
            "SELECT coalesce(max(position), 0) + 1 FROM victim WHERE incident_id = ?",
            [keep],
            |r| r.get(0),
        )?;
        let victims = row_ids(
            self,
            "SELECT id, uid FROM victim WHERE incident_id = ? ORDER BY position",
            drop,
        )?;
        let mut subject_map: HashMap<String, String> = HashMap::new();
        subject_map.insert(drop_uid.clone(), keep_uid.clone());
        for (victim, uid) in victims {
            let acts = row_ids(
                self,
                "SELECT id, uid FROM act WHERE victim_id = ? ORDER BY id",
                victim,
            )?;
            let same = plan
                .same_person
                .iter()
                .find(|(d, _)| d.to_string() == uid)
                .map(|(_, k)| k.to_string());
            match same {
                Some(kept_uid) => {
                    let kept: i64 = self.tx().query_row(
                        "SELECT id FROM victim WHERE uid = ? AND incident_id = ?",
                        rusqlite::params![kept_uid, keep],
                        |r| r.get(0),
                    )?;
                    for (act, act_uid) in &acts {
                        // The same act reported twice (kidnapped, and
                        // kidnapped): its perpetrators join the act KEEP has.
                        let twin: Option<(i64, String)> = self
                            .tx()
                            .query_row(
                                "SELECT k.id, k.uid FROM act k JOIN act d ON d.type = k.type
                                 WHERE k.victim_id = ?1 AND d.id = ?2 ORDER BY k.id LIMIT 1",
                                [kept, *act],
                                |r| Ok((r.get(0)?, r.get(1)?)),
                            )
                            .optional()?;
                        match twin {
                            Some((twin, twin_uid)) => {
                                let links = row_ids(
                                    self,
                                    "SELECT id, uid FROM involvement WHERE act_id = ? ORDER BY id",
                                    *act,
                                )?;
                                for (link, _) in links {
                                    let known: bool = self.tx().query_row(
                                        "SELECT EXISTS (SELECT 1 FROM involvement k JOIN involvement d
                                           ON d.actor_id = k.actor_id AND d.role = k.role
                                          AND d.basis = k.basis AND d.confidence = k.confidence
                                         WHERE k.act_id = ?1 AND d.id = ?2)",
                                        [twin, link],
                                        |r| r.get(0),
                                    )?;
                                    if !known {
                                        self.update(
                                            Entity::Involvement,
                                            link,
                                            Some(keep),
                                            "act_id",
                                            Value::Integer(twin),
                                        )?;
                                        done.links_moved += 1;
                                    }
                                }
                                subject_map.insert(act_uid.clone(), twin_uid);
                                done.acts_merged += 1;
                            }
                            None => {
                                self.update_many(
                                    Entity::Act,
                                    *act,
                                    Some(keep),
                                    &[
                                        ("incident_id", Value::Integer(keep)),
                                        ("victim_id", Value::Integer(kept)),
                                    ],
                                )?;
                                done.acts_moved += 1;
                            }
                        }
                    }
                    subject_map.insert(uid, kept_uid);
                    done.victims_merged += 1;
                }
                None => {
                    move_victim(self, victim, keep, next)?;
                    next += 1;
                    for (act, _) in &acts {
                        self.update(
                            Entity::Act,
                            *act,
                            Some(keep),
                            "incident_id",
                            Value::Integer(keep),
                        )?;
                    }
                    done.acts_moved += acts.len();
                    done.victims_moved += 1;
                }
            }
        }
        for (uid, variants) in &plan.variants {
            let kept: i64 = self.tx().query_row(
                "SELECT id FROM victim WHERE uid = ? AND incident_id = ?",
                rusqlite::params![uid.to_string(), keep],
                |r| r.get(0),
            )?;
            self.update(
                Entity::Victim,
                kept,
                Some(keep),
                "name_variants",
                write::text_list(variants),
            )?;
        }
        let sources = row_ids(
            self,
            "SELECT id, CASE WHEN withdrawn_at IS NULL THEN '' ELSE 'withdrawn' END
             FROM source WHERE incident_id = ? ORDER BY id",
            drop,
        )?;
        for (source, _) in &sources {
            self.update(
                Entity::Source,
                *source,
                Some(keep),
                "incident_id",
                Value::Integer(keep),
            )?;
        }
        done.sources = sources.len();
        let claims = row_ids(
            self,
            "SELECT id, subject_uid FROM claim WHERE incident_id = ? ORDER BY id",
            drop,
        )?;
        for (claim, subject) in claims {
            let subject = subject_map.get(&subject).cloned().unwrap_or(subject);
            self.update_many(
                Entity::Claim,
                claim,
                Some(keep),
                &[
                    ("incident_id", Value::Integer(keep)),
                    ("subject_uid", Value::Text(subject)),
                ],
            )?;
            done.claims_moved += 1;
        }
        if !plan.claims.is_empty() {
            // DROP's values came from its sources; the first that stands
            // speaks for them, else a source standing for the record.
            let source = match sources.iter().find(|(_, w)| w.is_empty()) {
                Some((id, _)) => *id,
                None => {
                    done.record_source = true;
                    let reference: String = self.tx().query_row(
                        "SELECT ref FROM incident WHERE id = ?",
                        [drop],
                        |r| r.get(0),
                    )?;
                    write::add_source(self, keep, &record_source(&reference))?
                }
            };
            let keep_uid = Uuid::parse_str(&keep_uid)?;
            for claim in &plan.claims {
                write::add_claim(self, keep, &keep_uid, source, claim)?;
                done.claims_added += 1;
            }
        }
        self.update(
            Entity::Incident,
            drop,
            Some(drop),
            "verification",
            Value::Text(Verification::Duplicate.as_str().to_string()),
        )?;
        attach::touch(self, IncidentId(keep))?;
        attach::touch(self, IncidentId(drop))?;
        Ok(done)
    }

    /// Undoes the fold that marked `drop` a duplicate: every revision of
    /// that one write, set back newest first, each row's fields together
    /// (a victim's incident and position move back as one). Refuses when a
    /// later revision changed something the fold wrote.
    pub fn unfold(&mut self, drop: IncidentId) -> Result<Unfolded> {
        let drop = drop.0;
        let start: Option<(i64, String, String, String)> = self
            .tx()
            .query_row(
                "SELECT id, at, by, reason FROM revision
                 WHERE entity = 'incident' AND entity_id = ?1 AND field = 'duplicate_of'
                   AND action = 'update' AND new IS NOT NULL AND new <> 'null'
                 ORDER BY id DESC LIMIT 1",
                [drop],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((first, at, by, reason)) =
            start.filter(|(_, _, _, r)| r.starts_with("merge-records "))
        else {
            let reference = super::edit::reference(self.tx(), drop)?;
            bail!(
                "'{reference}' was marked a duplicate by import or edit, not by merge-records, so there is no merge to undo (clear it with 'pressreg edit {reference} --set duplicate_of= --reason TEXT')"
            );
        };
        type Logged = (
            i64,
            String,
            i64,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let run: Vec<Logged> = {
            let mut stmt = self.tx().prepare(
                "SELECT id, at, by, reason, entity, entity_id, action, field, old, new
                 FROM revision WHERE id >= ? ORDER BY id",
            )?;
            let mut rows = stmt.query([first])?;
            let mut run = Vec::new();
            while let Some(r) = rows.next()? {
                let (rat, rby, rreason): (String, String, String) =
                    (r.get(1)?, r.get(2)?, r.get(3)?);
                if rat != at || rby != by || rreason != reason {
                    break;
                }
                run.push((
                    r.get(0)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                ));
            }
            run
        };
        let keep: String = self.tx().query_row(
            "SELECT k.ref FROM incident d JOIN incident k ON k.id = d.duplicate_of WHERE d.id = ?",
            [drop],
            |r| r.get(0),
        )?;
        let mut changes = 0;
        let mut i = run.len();
        while i > 0 {
            // The revisions of one row written together (update_many) go
            // back together.
            let (_, entity, id, action, _, _, _) = &run[i - 1];
            let mut j = i - 1;
            while j > 0 && run[j - 1].1 == *entity && run[j - 1].2 == *id && run[j - 1].3 == *action
            {
                j -= 1;
            }
            let group = &run[j..i];
            let ent = Entity::from_table(entity).ok_or_else(|| {
                anyhow!("revision {} names an unknown table '{entity}'", group[0].0)
            })?;
            let incident = incident_of(self, ent, *id)?;
            match action.as_str() {
                "create" => {
                    for (rev, _, id, _, _, _, _) in group.iter().rev() {
                        let exists: bool = self.tx().query_row(
                            &format!("SELECT count(*) FROM {} WHERE id = ?", ent.table()),
                            [id],
                            |r| r.get(0),
                        )?;
                        if !exists {
                            bail!("cannot undo the merge: the {entity} it added (revision {rev}) has been erased since");
                        }
                        self.delete(ent, *id, incident)?;
                        changes += 1;
                    }
                }
                "update" => {
                    // Per field, the value before the run's first change
                    // of it, after checking the row holds what its last
                    // change set.
                    let mut fields: Vec<(&str, Value)> = Vec::new();
                    for (rev, _, id, _, field, old, new) in group {
                        let field = field.as_deref().unwrap_or_default();
                        let parse = |s: &Option<String>| -> Result<serde_json::Value> {
                            Ok(serde_json::from_str(s.as_deref().unwrap_or("null"))?)
                        };
                        let (old, new) = (parse(old)?, parse(new)?);
                        if revision::is_withheld(&old) {
                            bail!("cannot undo the merge: revision {rev} withholds the old value of {entity}.{field}");
                        }
                        let last = group.iter().rev().find(|g| g.4.as_deref() == Some(field));
                        if last.map(|g| g.0) == Some(*rev) {
                            let now: Option<Value> = self
                                .tx()
                                .query_row(
                                    &format!("SELECT {field} FROM {} WHERE id = ?", ent.table()),
                                    [id],
                                    |r| r.get(0),
                                )
                                .optional()?;
                            let Some(now) = now else {
                                bail!("cannot undo the merge: {entity} #{id}, which it changed (revision {rev}), has been erased since");
                            };
                            if field != "updated_at" && now != revision::from_json(&new) {
                                bail!("cannot undo the merge: {entity} #{id}'s {field} was changed after it (revision {rev} set it); undo the later change first");
                            }
                        }
                        if !fields.iter().any(|(f, _)| *f == field) {
                            fields.push((field, revision::from_json(&old)));
                        }
                    }
                    fields.retain(|(f, _)| *f != "updated_at");
                    let back =
                        |f: &str| fields.iter().find(|(n, _)| *n == f).map(|(_, v)| v.clone());
                    match (ent, back("incident_id"), back("position")) {
                        (
                            Entity::Victim,
                            Some(Value::Integer(home)),
                            Some(Value::Integer(position)),
                        ) => {
                            changes += 1;
                            move_victim(self, *id, home, position)?;
                        }
                        _ if !fields.is_empty() => {
                            changes += self.update_many(ent, *id, incident, &fields)?.len();
                        }
                        _ => {}
                    }
                }
                other => bail!(
                    "cannot undo the merge: revision {} is a {other}",
                    group[0].0
                ),
            }
            i = j;
        }
        attach::touch(self, IncidentId(drop))?;
        Ok(Unfolded { keep, changes })
    }
}

/// Moves victim `id` to position `position` of incident `incident`, through
/// a position no other victim holds: the log is replayed one field at a
/// time (`check`, `--as-of`), and neither the old incident's nor the new
/// one's positions may be taken twice on the way.
fn move_victim(w: &mut Writer<'_>, id: i64, incident: i64, position: i64) -> Result<()> {
    let aside = 1_000_000_000 + id;
    w.update(
        Entity::Victim,
        id,
        Some(incident),
        "position",
        Value::Integer(aside),
    )?;
    w.update(
        Entity::Victim,
        id,
        Some(incident),
        "incident_id",
        Value::Integer(incident),
    )?;
    w.update(
        Entity::Victim,
        id,
        Some(incident),
        "position",
        Value::Integer(position),
    )?;
    Ok(())
}

/// The incident a row belongs to, for its revision.
fn incident_of(w: &Writer<'_>, entity: Entity, id: i64) -> Result<Option<i64>> {
    let sql = match entity {
        Entity::Incident => return Ok(Some(id)),
        Entity::Involvement => {
            "SELECT a.incident_id FROM involvement v JOIN act a ON a.id = v.act_id WHERE v.id = ?"
        }
        Entity::Victim | Entity::Act | Entity::Source | Entity::Claim => match entity {
            Entity::Victim => "SELECT incident_id FROM victim WHERE id = ?",
            Entity::Act => "SELECT incident_id FROM act WHERE id = ?",
            Entity::Source => "SELECT incident_id FROM source WHERE id = ?",
            _ => "SELECT incident_id FROM claim WHERE id = ?",
        },
        _ => return Ok(None),
    };
    Ok(w.tx().query_row(sql, [id], |r| r.get(0)).optional()?)
}

/// The source that stands for a dropped record with no source of its own.
fn record_source(reference: &str) -> SourceRecord {
    SourceRecord {
        source_type: SourceType::Other,
        title: format!("record {reference}, folded in by merge-records"),
        ..SourceRecord::new("")
    }
}

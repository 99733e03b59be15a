//! Erasure for good (`delete --purge`, SECURITY.md R20): an incident's
//! rows leave the tables, its revisions lose their values, and the file
//! and its WAL are rewritten so the text is gone from the disk too.
//!
//! What must stay true:
//! * the erasure itself is logged: one `purge` revision (who, when, why,
//!   which ref) whose `new` lists every erased revision's id and hash, so
//!   the hash chain still verifies (`revision::verify_chain`) and a value
//!   erased behind the program's back does not;
//! * the purge revision holds no value of the incident: its ref and the
//!   erased rows' hashes only;
//! * after the transaction, `Db::wipe` checkpoints the WAL, `VACUUM`s the
//!   file and checkpoints again (with `secure_delete` on, as on every
//!   connection), so neither the file nor the `-wal` keeps the old pages.

use anyhow::{bail, Context, Result};
use rusqlite::{params, Connection};
use serde_json::json;

use super::ids::IncidentId;
use super::revision::{Entity, Writer};
use super::Db;

/// What a purge erased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Purged {
    /// The incident's ref.
    pub reference: String,
    pub victims: i64,
    pub acts: i64,
    pub sources: i64,
    pub claims: i64,
    /// Revisions whose values were erased.
    pub revisions: usize,
}

impl Writer<'_> {
    /// Erases an incident for good: its rows (victims, acts, perpetrator
    /// links, sources, claims, links to other incidents) and the values of
    /// every revision about it, logging one `purge` revision. Refuses an
    /// incident another one is marked a duplicate of.
    pub fn purge(&mut self, id: IncidentId) -> Result<Purged> {
        let tx = self.tx();
        let reference: String =
            tx.query_row("SELECT ref FROM incident WHERE id = ?", [id.0], |r| {
                r.get(0)
            })?;
        let duplicates: Vec<String> = tx
            .prepare("SELECT ref FROM incident WHERE duplicate_of = ? ORDER BY ref")?
            .query_map([id.0], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if !duplicates.is_empty() {
            bail!(
                "'{reference}' cannot be purged while {} {} marked as its duplicate",
                duplicates.join(", "),
                if duplicates.len() == 1 { "is" } else { "are" }
            );
        }
        let count = |table: &str| -> Result<i64> {
            Ok(tx.query_row(
                &format!("SELECT count(*) FROM {table} WHERE incident_id = ?"),
                [id.0],
                |r| r.get(0),
            )?)
        };
        let (victims, acts, sources, claims) = (
            count("victim")?,
            count("act")?,
            count("source")?,
            count("claim")?,
        );
        // Children go through ON DELETE CASCADE, as a replay of the purge
        // revision removes them (`asof`).
        tx.execute("DELETE FROM incident WHERE id = ?", [id.0])
            .with_context(|| format!("failed to purge {reference}"))?;
        let erased = unerased(tx, "incident_id = ?", [id.0])?;
        let by = self.log_erasure(
            Entity::Incident,
            id.0,
            Some(id.0),
            "purge",
            ("ref", &reference),
            &erased,
        )?;
        erase_values(self.tx(), &erased, by)?;
        Ok(Purged {
            reference,
            victims,
            acts,
            sources,
            claims,
            revisions: erased.len(),
        })
    }

    /// Logs the revision that erases `erased` (a purge or a copy): what it
    /// erased for (`("ref", "AF-2021-0002")`, `("profile", "partner")`)
    /// and each erased row's id and hash; returns its id.
    pub(in crate::db) fn log_erasure(
        &mut self,
        entity: Entity,
        entity_id: i64,
        incident_id: Option<i64>,
        action: &str,
        (key, value): (&str, &str),
        erased: &[(i64, String)],
    ) -> Result<i64> {
        let list: Vec<serde_json::Value> =
            erased.iter().map(|(id, hash)| json!([id, hash])).collect();
        let mut record = serde_json::Map::new();
        record.insert(key.to_string(), json!(value));
        record.insert("erased".to_string(), json!(list));
        let record = serde_json::Value::Object(record);
        self.log(
            entity,
            entity_id,
            incident_id,
            action,
            None,
            None,
            Some(record.to_string()),
        )?;
        Ok(self.tx().last_insert_rowid())
    }
}

/// When, by whom and why an incident was erased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Purge {
    pub at: String,
    pub by: String,
    pub reason: String,
}

/// The purge of the incident with this ref, if it was erased for good.
pub(in crate::db) fn purge_of(conn: &Connection, reference: &str) -> Result<Option<Purge>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached(
            "SELECT at, by, reason FROM revision
             WHERE action = 'purge' AND json_extract(new, '$.ref') = ? ORDER BY id DESC LIMIT 1",
        )?
        .query_row([reference], |r| {
            Ok(Purge {
                at: r.get(0)?,
                by: r.get(1)?,
                reason: r.get(2)?,
            })
        })
        .optional()?)
}

/// The id and hash of every revision matching `where_sql` (with `args`)
/// whose values are not yet erased.
pub(in crate::db) fn unerased(
    conn: &Connection,
    where_sql: &str,
    args: impl rusqlite::Params,
) -> Result<Vec<(i64, String)>> {
    let rows = conn
        .prepare(&format!(
            "SELECT id, hash FROM revision WHERE ({where_sql}) AND erased_by IS NULL ORDER BY id"
        ))?
        .query_map(args, |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Sets the values of `erased` to NULL, naming revision `by` as the one
/// that erased them.
pub(in crate::db) fn erase_values(
    conn: &Connection,
    erased: &[(i64, String)],
    by: i64,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "UPDATE revision SET old = NULL, new = NULL, erased_by = ? WHERE id = ? AND erased_by IS NULL",
    )?;
    for (id, _) in erased {
        if stmt.execute(params![by, id])? != 1 {
            bail!("revision {id} could not be erased");
        }
    }
    Ok(())
}

impl Db {
    /// Rewrites the file so that nothing deleted survives in it or in its
    /// WAL: checkpoint, `VACUUM`, checkpoint (R20). Run after a purge has
    /// committed (`VACUUM` cannot run inside a transaction).
    pub fn wipe(&mut self) -> Result<()> {
        checkpoint(&self.conn)?;
        self.conn
            .execute_batch("VACUUM")
            .map_err(super::busy_message)
            .context("failed to rewrite the registry file")?;
        checkpoint(&self.conn)
    }
}

/// Copies every WAL frame into the file and empties the WAL; refuses to
/// pretend when another connection still reads old frames.
fn checkpoint(conn: &Connection) -> Result<()> {
    let busy: i64 = conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
        .map_err(super::busy_message)?;
    if busy != 0 {
        bail!(
            "another pressreg is reading the registry, so erased text may remain in its WAL file \
             until the next purge or field copy"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::revision::verify_chain;
    use crate::model::*;

    /// An incident in AF with one victim killed.
    fn record(victim: &str) -> IncidentRecord {
        let mut v = VictimRecord::new(victim);
        v.acts.push(ActRecord::new(crate::vocab::ActType::Killed));
        let rec = IncidentRecord {
            country: "AF".into(),
            date: Some("2021-05-01".into()),
            victims: vec![v],
            ..IncidentRecord::default()
        };
        crate::validate::normalize(rec, chrono::NaiveDate::from_ymd_opt(2021, 12, 31).unwrap())
            .unwrap()
    }

    #[test]
    fn a_purge_erases_values_and_keeps_the_chain() -> Result<()> {
        let mut db = Db::in_memory()?;
        let rec = record("Canary Witness");
        let kept = db.write("add", |w| w.insert_incident(&rec))?;
        let gone = db.write("add", |w| w.insert_incident(&rec))?;
        let purged = db.write("witness asked", |w| w.purge(gone.id))?;
        assert_eq!((purged.victims, purged.acts), (1, 1));
        db.wipe()?;
        assert_eq!(verify_chain(db.conn())?.0, None);
        let left: i64 = db.conn().query_row(
            "SELECT count(*) FROM revision WHERE instr(coalesce(old, '') || coalesce(new, ''), 'Canary') > 0",
            [],
            |r| r.get(0),
        )?;
        // The kept incident's revisions still hold the name.
        assert!(left > 0);
        let erased_rows: i64 = db.conn().query_row(
            "SELECT count(*) FROM revision WHERE incident_id = ? AND erased_by IS NOT NULL",
            [gone.id.0],
            |r| r.get(0),
        )?;
        assert_eq!(erased_rows as usize, purged.revisions);
        let _ = kept;
        Ok(())
    }

    #[test]
    fn a_value_erased_behind_the_programs_back_breaks_the_chain() -> Result<()> {
        let mut db = Db::in_memory()?;
        let rec = record("V");
        db.write("add", |w| w.insert_incident(&rec))?;
        let gone = db.write("add", |w| w.insert_incident(&rec))?;
        db.write("why", |w| w.purge(gone.id))?;
        let purge: i64 = db
            .conn()
            .query_row("SELECT max(id) FROM revision", [], |r| r.get(0))?;
        // The first incident's create row was never listed by the purge:
        // the trigger lets the update through (a purge exists), the chain
        // does not.
        db.conn().execute(
            "UPDATE revision SET old = NULL, new = NULL, erased_by = ? WHERE id = 1",
            [purge],
        )?;
        assert_eq!(verify_chain(db.conn())?.0, Some(1));
        Ok(())
    }

    #[test]
    fn the_log_refuses_any_other_change() -> Result<()> {
        let mut db = Db::in_memory()?;
        db.write("add", |w| w.insert_incident(&record("V")))?;
        for sql in [
            "UPDATE revision SET reason = 'x'",
            "UPDATE revision SET new = NULL",
            "UPDATE revision SET old = NULL, new = NULL, erased_by = 1",
            "DELETE FROM revision",
        ] {
            let err = db.conn().execute(sql, []).unwrap_err();
            assert!(
                err.to_string().contains("append-only") || err.to_string().contains("CHECK"),
                "{sql}: {err}"
            );
        }
        Ok(())
    }
}

//! Field copies (`pressreg backup FILE --profile partner|internal`,
//! SECURITY.md R24): a registry to carry into the field that holds only
//! what the profile may see.
//!
//! A field copy is a verified backup that is then trimmed in its own file,
//! in one transaction: incidents and victims above the profile's level go
//! (their acts, perpetrator links and claims with them), confidential
//! sources go, private notes are blanked, and for `partner` source notes
//! too; duplicate links and (for `partner`) links between incidents go, as
//! in the profile's exports.
//!
//! The copy's revision log must not carry what was dropped, and must still
//! verify with `check`: every earlier revision's values are erased (vouched
//! for by one `copy` revision, as a purge vouches for its rows), then every
//! row the copy keeps is logged afresh as a `create`. Its history starts at
//! the copy; `summary --as-of` on it rebuilds what it holds. Last, the file
//! is rewritten (`Db::wipe`) so that no dropped page survives.

use std::path::Path;

use anyhow::{Context, Result};
use rusqlite::Connection;

use super::backup::remove_on_failure;
use super::erase::{erase_values, unerased};
use super::revision::{row_json, Entity, Writer};
use super::{integrity, revision, Access, Db};
use crate::vocab::Confidentiality;

/// What a field copy keeps out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trim {
    /// The profile's name, for the log (`partner`).
    pub profile: &'static str,
    /// The confidentiality levels the copy keeps.
    pub levels: Vec<Confidentiality>,
    /// Blank source notes too (`partner`).
    pub source_notes: bool,
    /// Drop links between incidents too (`partner`).
    pub relations: bool,
}

/// What a field copy left out and kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trimmed {
    pub incidents_kept: i64,
    pub incidents_dropped: usize,
    pub victims_dropped: usize,
    pub sources_dropped: usize,
}

impl Db {
    /// Writes a field copy of the registry to `dest` (which must not
    /// exist) and verifies it; on any failure the copy is removed.
    pub fn field_copy(&mut self, dest: &Path, trim: &Trim) -> Result<Trimmed> {
        self.backup(dest)?;
        remove_on_failure(dest, || {
            let shown = dest.display().to_string();
            // Opened with the very key the registry was: no second prompt.
            let mut copy = match &self.key {
                Some(key) => Db::open_with_key(dest, key)?,
                None => Db::open(dest, Access::Change)?,
            };
            let reason = format!("field copy ({} profile)", trim.profile);
            let trimmed = copy.write(&reason, |w| w.trim(trim))?;
            copy.wipe()?;
            verify(copy.conn(), &shown)?;
            Ok(trimmed)
        })
    }
}

impl Writer<'_> {
    /// Drops what `trim` keeps out, erases the log's values and logs what
    /// is left afresh.
    fn trim(&mut self, trim: &Trim) -> Result<Trimmed> {
        let tx = self.tx();
        let levels = trim
            .levels
            .iter()
            .map(|l| format!("'{}'", l.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        let mut out = Trimmed::default();
        tx.execute("UPDATE incident SET duplicate_of = NULL", [])?;
        if trim.relations {
            tx.execute("DELETE FROM incident_relation", [])?;
        }
        out.incidents_dropped = tx.execute(
            &format!("DELETE FROM incident WHERE confidentiality NOT IN ({levels})"),
            [],
        )?;
        out.victims_dropped = tx.execute(
            &format!("DELETE FROM victim WHERE confidentiality NOT IN ({levels})"),
            [],
        )?;
        out.sources_dropped = tx.execute("DELETE FROM source WHERE confidential = 1", [])?;
        // A claim about a dropped victim, act or link, or about a private
        // note, would carry what was dropped.
        tx.execute_batch(
            "DELETE FROM claim WHERE field = 'private_notes'
                 OR (subject = 'victim' AND subject_uid NOT IN (SELECT uid FROM victim))
                 OR (subject = 'act' AND subject_uid NOT IN (SELECT uid FROM act))
                 OR (subject = 'involvement' AND subject_uid NOT IN (SELECT uid FROM involvement));
             UPDATE incident SET private_notes = '' WHERE private_notes <> '';
             UPDATE victim SET private_notes = '' WHERE private_notes <> '';",
        )?;
        if trim.source_notes {
            tx.execute("UPDATE source SET note = '' WHERE note <> ''", [])?;
        }
        out.incidents_kept = tx.query_row("SELECT count(*) FROM incident", [], |r| r.get(0))?;

        // Earlier purge and copy revisions hold refs and hashes only, and
        // must keep vouching for the rows they erased.
        let erased = unerased(tx, "action NOT IN ('purge', 'copy')", [])?;
        let by = self.log_erasure(
            Entity::Incident,
            0,
            None,
            "copy",
            ("profile", trim.profile),
            &erased,
        )?;
        erase_values(self.tx(), &erased, by)?;
        self.log_afresh()?;
        Ok(out)
    }

    /// Logs every row of the copy as a `create`, parents before children,
    /// so that replaying the log rebuilds the copy.
    fn log_afresh(&mut self) -> Result<()> {
        let tables: [(Entity, &str); 9] = [
            (Entity::Actor, "SELECT id, NULL FROM actor ORDER BY id"),
            (
                Entity::ActorTypePeriod,
                "SELECT id, NULL FROM actor_type_period ORDER BY id",
            ),
            (Entity::Incident, "SELECT id, id FROM incident ORDER BY id"),
            (
                Entity::IncidentRelation,
                "SELECT id, incident_id FROM incident_relation ORDER BY id",
            ),
            (
                Entity::Victim,
                "SELECT id, incident_id FROM victim ORDER BY id",
            ),
            (Entity::Act, "SELECT id, incident_id FROM act ORDER BY id"),
            (
                Entity::Involvement,
                "SELECT v.id, a.incident_id FROM involvement v JOIN act a ON a.id = v.act_id
                 ORDER BY v.id",
            ),
            (
                Entity::Source,
                "SELECT id, incident_id FROM source ORDER BY id",
            ),
            (
                Entity::Claim,
                "SELECT id, incident_id FROM claim ORDER BY id",
            ),
        ];
        for (entity, sql) in tables {
            let rows: Vec<(i64, Option<i64>)> = self
                .tx()
                .prepare(sql)?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (id, incident) in rows {
                let row = row_json(self.tx(), entity, id)?;
                self.log(
                    entity,
                    id,
                    incident,
                    "create",
                    None,
                    None,
                    Some(row.to_string()),
                )?;
            }
        }
        Ok(())
    }
}

/// The trimmed copy is whole: SQLite's integrity check and the revision
/// chain.
fn verify(conn: &Connection, shown: &str) -> Result<()> {
    let fail = |what: String| {
        anyhow::anyhow!("the field copy '{shown}' failed verification ({what}); it was removed")
    };
    if let Some(p) = integrity::integrity_problems(conn).first() {
        return Err(fail(format!("integrity check: {p}")));
    }
    if let (Some(id), _) =
        revision::verify_chain(conn).context("failed to read the copy's revision log")?
    {
        return Err(fail(format!("the revision chain breaks at revision {id}")));
    }
    Ok(())
}

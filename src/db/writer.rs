//! What a command may write, as methods of the `Writer` that `Db::write`
//! hands it: whole records in, ids out. Each method writes its rows and
//! their revisions in the command's one transaction; how a record maps to
//! columns is `write`, `edit` and `upsert`'s business, and SQL stays in
//! this module's siblings.

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::types::Value;

use super::attach::{self, Target};
use super::claims::{self, Accepted, Agreement, ClaimChange, StoredClaim};
use super::edit::{self, Changed, Located};
use super::ids::*;
use super::revision::{Entity, Writer};
use super::{actors, upsert, write};
use crate::model::*;
use crate::vocab::Stance;

/// An incident just recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Added {
    pub id: IncidentId,
    /// Its ref (`AF-2021-0001`).
    pub reference: String,
}

impl Writer<'_> {
    /// Records a whole incident (normalized) with everything attached.
    pub fn insert_incident(&mut self, rec: &IncidentRecord) -> Result<Added> {
        let inserted = write::insert_incident(self, rec)?;
        Ok(Added {
            id: IncidentId(inserted.id),
            reference: inserted.reference,
        })
    }

    /// Brings a stored incident in line with `rec` (normalized); whether
    /// anything changed.
    pub fn update_incident(&mut self, id: IncidentId, rec: &IncidentRecord) -> Result<bool> {
        upsert::update_incident(self, id.0, rec)
    }

    /// Writes every field of `new` that differs from what `before` loaded.
    pub fn save(&mut self, before: &Located, new: &IncidentRecord) -> Result<Vec<Changed>> {
        edit::save(self, before, new)
    }

    /// Marks an incident as a duplicate of another.
    pub fn set_duplicate_of(&mut self, id: IncidentId, original: IncidentId) -> Result<()> {
        self.update(
            Entity::Incident,
            id.0,
            Some(id.0),
            "duplicate_of",
            Value::Integer(original.0),
        )?;
        Ok(())
    }

    /// Links an incident to another.
    pub fn add_relation(&mut self, id: IncidentId, relation: &RelationRecord) -> Result<()> {
        write::add_relation(self, id.0, relation)?;
        Ok(())
    }

    /// Soft-deletes an incident (refusing one already deleted).
    pub fn soft_delete(&mut self, id: IncidentId, reference: &str) -> Result<()> {
        edit::soft_delete(self, id.0, reference)
    }

    /// Undoes a soft delete (refusing an incident that is not deleted).
    pub fn restore(&mut self, id: IncidentId, reference: &str) -> Result<()> {
        edit::restore(self, id.0, reference)
    }

    /// Marks an incident as changed now (`updated_at`).
    pub fn touch(&mut self, incident: IncidentId) -> Result<()> {
        attach::touch(self, incident)
    }

    /// Adds a victim (with its acts) to an incident.
    pub fn add_victim(&mut self, incident: IncidentId, victim: &VictimRecord) -> Result<VictimId> {
        write::add_victim(self, incident.0, &[], victim).map(VictimId)
    }

    /// Adds an act (with its perpetrators) against a victim.
    pub fn add_act(
        &mut self,
        incident: IncidentId,
        victim: VictimId,
        act: &ActRecord,
    ) -> Result<ActId> {
        write::add_act(self, incident.0, victim.0, &[], act).map(ActId)
    }

    /// Links an actor to an act; an actor new to the registry is created
    /// with the type the record gives.
    pub fn add_involvement(
        &mut self,
        incident: IncidentId,
        act: ActId,
        involvement: &InvolvementRecord,
    ) -> Result<()> {
        write::add_involvement(self, incident.0, act.0, &[], involvement)?;
        Ok(())
    }

    /// Adds a source to an incident.
    pub fn add_source(&mut self, incident: IncidentId, source: &SourceRecord) -> Result<SourceId> {
        write::add_source(self, incident.0, source).map(SourceId)
    }

    /// Records what one source says about one field of an incident.
    pub fn add_claim(
        &mut self,
        target: &Target,
        source: SourceId,
        claim: &ClaimRecord,
    ) -> Result<ClaimId> {
        write::add_claim(self, target.id.0, &target.uid, source.0, claim).map(ClaimId)
    }

    /// Records a new actor (refusing a name already known).
    pub fn add_actor(&mut self, actor: &ActorRecord) -> Result<ActorId> {
        write::add_actor(self, actor).map(ActorId)
    }

    /// Adds a type period to an actor (refusing one that overlaps).
    pub fn add_actor_period(&mut self, actor: ActorId, period: &ActorTypePeriod) -> Result<()> {
        write::add_actor_period(self, actor.0, period)?;
        Ok(())
    }

    /// Adds aliases to an actor; how many were new.
    pub fn add_aliases(&mut self, actor: ActorId, aliases: &[String]) -> Result<usize> {
        actors::add_aliases(self, actor.0, aliases)
    }

    // --- claims that settle (`claims`) ---

    /// Accepts claim `n` of an incident: the record takes its value and the
    /// other claims about that field are no longer accepted.
    pub fn accept_claim(
        &mut self,
        target: &Target,
        n: usize,
        today: NaiveDate,
    ) -> Result<Accepted> {
        claims::accept(self, target, n, today)
    }

    /// Withdraws claim `n` (the record keeps its value); the claim as it
    /// was.
    pub fn retract_claim(&mut self, target: &Target, n: usize) -> Result<StoredClaim> {
        claims::retract(self, target, n)
    }

    /// Corrects claim `n`'s value or stance; what changed, and what the
    /// record did when the claim is accepted.
    pub fn correct_claim(
        &mut self,
        target: &Target,
        n: usize,
        value: Option<&str>,
        stance: Option<Stance>,
        today: NaiveDate,
    ) -> Result<(Vec<ClaimChange>, Option<Accepted>)> {
        claims::correct(self, target, n, value, stance, today)
    }

    /// Withdraws source `n` with every standing claim it makes; the
    /// numbers of those claims.
    pub fn retract_source(&mut self, target: &Target, n: usize) -> Result<Vec<usize>> {
        claims::retract_source(self, target, n)
    }

    /// After an edit, accepts exactly the standing claims about a changed
    /// field that the record now agrees with; per field, which those are.
    pub fn settle_after_edit(
        &mut self,
        incident: IncidentId,
        changed: &[Changed],
        today: NaiveDate,
    ) -> Result<Vec<Agreement>> {
        claims::settle_after_edit(self, incident, changed, today)
    }
}

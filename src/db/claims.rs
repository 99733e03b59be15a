//! Claims that settle (DESIGN §2 source and claim): the record holds the
//! accepted value, so accepting a claim sets the record's field through the
//! revision log and unaccepts the other claims about that field; `edit`
//! re-settles the flags of the claims about what it changed; claims and
//! sources are retracted (marked withdrawn, kept) and corrected.
//!
//! A claim "agrees" with the record when setting the record's field to the
//! claim's value (by the field table's setter, then `validate::normalize`)
//! would change none of the field's columns. A denial never agrees and is
//! never accepted: it says what the value is not.
//!
//! Claims are numbered 1, 2, … in the order they were recorded, withdrawn
//! ones included, so a number never moves.

use anyhow::{anyhow, bail, Result};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::Connection;
use uuid::Uuid;

use super::attach::Target;
use super::edit::{self, Changed, Located};
use super::ids::*;
use super::revision::{Entity, Writer};
use super::write::{boolean, text};
use crate::fields::{self, Stored};
use crate::model::*;
use crate::vocab::*;

/// A claim as stored, with the numbers users see.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredClaim {
    pub id: ClaimId,
    /// Its number in the incident (1-based, in the order recorded).
    pub number: usize,
    pub source_id: SourceId,
    /// Its source's number in the incident.
    pub source_number: usize,
    pub subject: ClaimSubject,
    pub subject_uid: Uuid,
    pub field: String,
    pub value: String,
    pub stance: Stance,
    pub accepted: bool,
    pub withdrawn_at: Option<String>,
}

/// Every claim of incident `incident_id`, in the order recorded.
pub fn claims(conn: &Connection, incident: IncidentId) -> Result<Vec<StoredClaim>> {
    let mut stmt = conn.prepare_cached(
        "SELECT claim.id, claim.source_id,
                (SELECT count(*) FROM source s WHERE s.incident_id = claim.incident_id AND s.id <= claim.source_id),
                claim.subject, claim.subject_uid, claim.field, claim.value, claim.stance,
                claim.accepted, claim.withdrawn_at
         FROM claim WHERE claim.incident_id = ? ORDER BY claim.id",
    )?;
    let rows = stmt
        .query_map([incident.0], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, ClaimSubject>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Stance>(7)?,
                r.get::<_, bool>(8)?,
                r.get::<_, Option<String>>(9)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .enumerate()
        .map(|(i, r)| {
            Ok(StoredClaim {
                id: ClaimId(r.0),
                number: i + 1,
                source_id: SourceId(r.1),
                source_number: r.2 as usize,
                subject: r.3,
                subject_uid: Uuid::parse_str(&r.4)
                    .map_err(|e| anyhow!("bad uid '{}' in the registry: {e}", r.4))?,
                field: r.5,
                value: r.6,
                stance: r.7,
                accepted: r.8,
                withdrawn_at: r.9,
            })
        })
        .collect()
}

/// Claim number `n` of an incident.
pub fn claim_at(conn: &Connection, target: &Target, n: usize) -> Result<StoredClaim> {
    let all = claims(conn, target.id)?;
    let count = all.len();
    all.into_iter().find(|c| c.number == n).ok_or_else(|| {
        anyhow!(
            "no claim {n} in {} (it has {count} claim{}; 'pressreg show {}' numbers them)",
            target.reference,
            if count == 1 { "" } else { "s" },
            target.reference
        )
    })
}

/// The standing claim of the same source saying the same thing about the
/// same field, if any (a claim recorded twice would be listed twice).
pub fn same_claim(
    conn: &Connection,
    target: &Target,
    source_id: SourceId,
    subject_uid: Option<Uuid>,
    field: &str,
    value: &str,
    stance: Stance,
) -> Result<Option<StoredClaim>> {
    let subject = subject_uid.unwrap_or(target.uid);
    Ok(claims(conn, target.id)?.into_iter().find(|c| {
        c.withdrawn_at.is_none()
            && c.source_id == source_id
            && c.subject_uid == subject
            && c.field == field
            && c.value.trim() == value.trim()
            && c.stance == stance
    }))
}

/// When source `source_id` was withdrawn (None: it stands).
pub fn source_withdrawn_at(conn: &Connection, source: SourceId) -> Result<Option<String>> {
    Ok(conn.query_row(
        "SELECT withdrawn_at FROM source WHERE id = ?",
        [source.0],
        |r| r.get(0),
    )?)
}

/// Sets the subject's field of `rec` to the claim's value.
fn set_claimed(rec: &mut IncidentRecord, c: &StoredClaim) -> Result<()> {
    let field = c.field.as_str();
    let value = c.value.as_str();
    let uid = Some(c.subject_uid);
    let missing = || {
        anyhow!(
            "claim {}: its {} is no longer in the record",
            c.number,
            c.subject
        )
    };
    match c.subject {
        ClaimSubject::Incident => fields::set(fields::INCIDENT, rec, field, value),
        ClaimSubject::Victim => {
            let v = rec
                .victims
                .iter_mut()
                .find(|v| v.uid == uid)
                .ok_or_else(missing)?;
            fields::set(fields::VICTIM, v, field, value)
        }
        ClaimSubject::Act => {
            let a = rec
                .victims
                .iter_mut()
                .flat_map(|v| v.acts.iter_mut())
                .find(|a| a.uid == uid)
                .ok_or_else(missing)?;
            fields::set(fields::ACT, a, field, value)
        }
        ClaimSubject::Involvement => {
            let p = rec
                .victims
                .iter_mut()
                .flat_map(|v| v.acts.iter_mut())
                .flat_map(|a| a.perpetrators.iter_mut())
                .find(|p| p.uid == uid)
                .ok_or_else(missing)?;
            fields::set(fields::INVOLVEMENT, p, field, value)
        }
    }
}

/// The stored columns of the claim's field in `rec` (empty when the
/// subject is gone).
fn columns_of(rec: &IncidentRecord, c: &StoredClaim) -> Vec<(&'static str, Stored)> {
    fn pick<R>(
        table: &'static [fields::Field<R>],
        r: &R,
        field: &str,
    ) -> Vec<(&'static str, Stored)> {
        let wanted = fields::find(table, field)
            .map(|f| f.columns())
            .unwrap_or_default();
        fields::stored(table, r)
            .into_iter()
            .filter(|(name, _)| wanted.contains(name))
            .collect()
    }
    let uid = Some(c.subject_uid);
    match c.subject {
        ClaimSubject::Incident => pick(fields::INCIDENT, rec, &c.field),
        ClaimSubject::Victim => rec
            .victims
            .iter()
            .find(|v| v.uid == uid)
            .map(|v| pick(fields::VICTIM, v, &c.field))
            .unwrap_or_default(),
        ClaimSubject::Act => rec
            .victims
            .iter()
            .flat_map(|v| v.acts.iter())
            .find(|a| a.uid == uid)
            .map(|a| pick(fields::ACT, a, &c.field))
            .unwrap_or_default(),
        ClaimSubject::Involvement => rec
            .victims
            .iter()
            .flat_map(|v| v.acts.iter())
            .flat_map(|a| a.perpetrators.iter())
            .find(|p| p.uid == uid)
            .map(|p| pick(fields::INVOLVEMENT, p, &c.field))
            .unwrap_or_default(),
    }
}

/// The record with the claim's value, checked as `add` checks a record.
fn with_claim(rec: &IncidentRecord, c: &StoredClaim, today: NaiveDate) -> Result<IncidentRecord> {
    let mut new = rec.clone();
    set_claimed(&mut new, c)?;
    Ok(crate::validate::normalize(new, today)?)
}

/// Whether the record already has what the claim says.
pub fn agrees(rec: &IncidentRecord, c: &StoredClaim, today: NaiveDate) -> bool {
    if c.stance == Stance::Denies || c.withdrawn_at.is_some() {
        return false;
    }
    if c.subject == ClaimSubject::Involvement && c.field == "actor" {
        return rec
            .victims
            .iter()
            .flat_map(|v| v.acts.iter())
            .flat_map(|a| a.perpetrators.iter())
            .any(|p| p.uid == Some(c.subject_uid) && p.actor.eq_ignore_ascii_case(c.value.trim()));
    }
    let Ok(now) = crate::validate::normalize(rec.clone(), today) else {
        return false;
    };
    match with_claim(rec, c, today) {
        Ok(new) => columns_of(&now, c) == columns_of(&new, c),
        Err(_) => false,
    }
}

/// A flag of a claim that changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    pub number: usize,
    pub accepted: bool,
}

/// What accepting a claim did.
#[derive(Clone, Debug, PartialEq)]
pub struct Accepted {
    /// The record's fields that changed.
    pub changed: Vec<Changed>,
    /// Claims whose accepted flag changed (the accepted one first).
    pub flags: Vec<Flag>,
}

fn set_flag(
    w: &mut Writer<'_>,
    incident: IncidentId,
    claim: ClaimId,
    accepted: bool,
) -> Result<()> {
    w.update(
        Entity::Claim,
        claim.0,
        Some(incident.0),
        "accepted",
        boolean(accepted),
    )?;
    Ok(())
}

/// Accepts claim `n`: the record takes its value (one revision per changed
/// column) and the other claims about the same field are no longer
/// accepted.
pub fn accept(w: &mut Writer<'_>, target: &Target, n: usize, today: NaiveDate) -> Result<Accepted> {
    let c = claim_at(w.tx(), target, n)?;
    if let Some(at) = &c.withdrawn_at {
        bail!(
            "claim {n} of {} is withdrawn (since {at}): it cannot be accepted",
            target.reference
        );
    }
    if c.stance == Stance::Denies {
        bail!(
            "claim {n} of {} denies '{}': a denial cannot be accepted (accept the claim that gives the value, or edit the field)",
            target.reference,
            c.value
        );
    }
    if c.subject == ClaimSubject::Involvement && c.field == "actor" {
        bail!(
            "claim {n} of {} names an actor: a perpetrator is changed with 'pressreg perpetrator add', not by accepting a claim",
            target.reference
        );
    }
    let before = edit::locate(w.tx(), target.id.0)?;
    let new = with_claim(&before.record, &c, today)
        .map_err(|e| anyhow!("claim {n} of {}: {e:#}", target.reference))?;
    let changed = edit::save(w, &before, &new)?;
    let mut flags = Vec::new();
    if !c.accepted {
        set_flag(w, target.id, c.id, true)?;
        flags.push(Flag {
            number: n,
            accepted: true,
        });
    }
    for other in claims(w.tx(), target.id)? {
        if other.id != c.id
            && other.accepted
            && other.subject_uid == c.subject_uid
            && other.field == c.field
        {
            set_flag(w, target.id, other.id, false)?;
            flags.push(Flag {
                number: other.number,
                accepted: false,
            });
        }
    }
    if changed.is_empty() && !flags.is_empty() {
        super::attach::touch(w, target.id)?;
    }
    Ok(Accepted { changed, flags })
}

/// Which stored columns a claim's field covers, as `Changed` names them
/// (`incident`, `victim 2`, `act 1.2`, `act 1.2 perpetrator NAME`).
fn place_of(at: &Located, c: &StoredClaim) -> Option<String> {
    let uid = Some(c.subject_uid);
    let rec = &at.record;
    match c.subject {
        ClaimSubject::Incident => Some("incident".to_string()),
        ClaimSubject::Victim => rec
            .victims
            .iter()
            .zip(&at.victims)
            .find(|(v, _)| v.uid == uid)
            .map(|(_, (p, _, _))| format!("victim {p}")),
        ClaimSubject::Act => rec
            .victims
            .iter()
            .zip(&at.victims)
            .find_map(|(v, (p, _, _))| {
                v.acts
                    .iter()
                    .position(|a| a.uid == uid)
                    .map(|i| format!("act {p}.{}", i + 1))
            }),
        ClaimSubject::Involvement => {
            rec.victims
                .iter()
                .zip(&at.victims)
                .find_map(|(v, (p, _, _))| {
                    v.acts.iter().enumerate().find_map(|(i, a)| {
                        a.perpetrators
                            .iter()
                            .find(|l| l.uid == uid)
                            .map(|l| format!("act {p}.{} perpetrator {}", i + 1, l.actor))
                    })
                })
        }
    }
}

/// What the record agrees with after an edit, for one field with claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agreement {
    /// As `edit` prints a field (`admin2`, `victim 1 status`).
    pub field: String,
    /// The standing claims it now agrees with.
    pub agrees: Vec<usize>,
    /// The standing claims about it that it does not agree with.
    pub others: Vec<usize>,
}

/// After `edit` changed `changed`, sets each standing claim about a
/// changed field to accepted exactly when the record now agrees with it,
/// and says, per field, which claims that is.
pub fn settle_after_edit(
    w: &mut Writer<'_>,
    incident: IncidentId,
    changed: &[Changed],
    today: NaiveDate,
) -> Result<Vec<Agreement>> {
    if changed.is_empty() {
        return Ok(vec![]);
    }
    let at = edit::locate(w.tx(), incident.0)?;
    let mut out: Vec<Agreement> = Vec::new();
    for c in claims(w.tx(), incident)? {
        if c.withdrawn_at.is_some() {
            continue;
        }
        let Some(place) = place_of(&at, &c) else {
            continue;
        };
        let columns: Vec<&str> = fields::Entity::from(c.subject)
            .fields()
            .into_iter()
            .find(|f| f.name == c.field)
            .map(|f| f.columns)
            .unwrap_or_default();
        let touched = changed
            .iter()
            .any(|ch| ch.what == place && columns.contains(&ch.field.as_str()));
        if !touched {
            continue;
        }
        let agrees = agrees(&at.record, &c, today);
        if agrees != c.accepted {
            set_flag(w, incident, c.id, agrees)?;
        }
        let name = if place == "incident" {
            c.field.clone()
        } else {
            format!("{place} {}", c.field)
        };
        let entry = match out.iter_mut().position(|a| a.field == name) {
            Some(i) => &mut out[i],
            None => {
                out.push(Agreement {
                    field: name,
                    agrees: vec![],
                    others: vec![],
                });
                let last = out.len() - 1;
                &mut out[last]
            }
        };
        if agrees {
            entry.agrees.push(c.number);
        } else {
            entry.others.push(c.number);
        }
    }
    Ok(out)
}

/// Retracts claim `n`: marks it withdrawn (and no longer accepted). The
/// record keeps its value. Returns the claim as it was.
pub fn retract(w: &mut Writer<'_>, target: &Target, n: usize) -> Result<StoredClaim> {
    let c = claim_at(w.tx(), target, n)?;
    if let Some(at) = &c.withdrawn_at {
        bail!(
            "claim {n} of {} is already withdrawn (since {at})",
            target.reference
        );
    }
    withdraw_claim(w, target.id, &c)?;
    super::attach::touch(w, target.id)?;
    Ok(c)
}

fn withdraw_claim(w: &mut Writer<'_>, incident: IncidentId, c: &StoredClaim) -> Result<()> {
    if c.accepted {
        set_flag(w, incident, c.id, false)?;
    }
    let at = text(w.at());
    w.update(Entity::Claim, c.id.0, Some(incident.0), "withdrawn_at", at)?;
    Ok(())
}

/// A change to a claim.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimChange {
    pub field: &'static str,
    pub old: String,
    pub new: String,
}

/// Corrects claim `n`'s value or stance. When the claim is accepted the
/// record follows it (as `accept` sets it); a denial is no longer accepted.
pub fn correct(
    w: &mut Writer<'_>,
    target: &Target,
    n: usize,
    value: Option<&str>,
    stance: Option<Stance>,
    today: NaiveDate,
) -> Result<(Vec<ClaimChange>, Option<Accepted>)> {
    let c = claim_at(w.tx(), target, n)?;
    if let Some(at) = &c.withdrawn_at {
        bail!(
            "claim {n} of {} is withdrawn (since {at}): add a new claim instead",
            target.reference
        );
    }
    let new_value = value.map_or(c.value.clone(), |v| v.trim().to_string());
    let new_stance = stance.unwrap_or(c.stance);
    if let Some(same) = same_claim(
        w.tx(),
        target,
        c.source_id,
        Some(c.subject_uid),
        &c.field,
        &new_value,
        new_stance,
    )?
    .filter(|s| s.id != c.id)
    {
        bail!(
            "claim {} of {} already says that (same source, field, value and stance)",
            same.number,
            target.reference
        );
    }
    let mut changes = Vec::new();
    if new_value != c.value {
        w.update(
            Entity::Claim,
            c.id.0,
            Some(target.id.0),
            "value",
            text(&new_value),
        )?;
        changes.push(ClaimChange {
            field: "value",
            old: c.value.clone(),
            new: new_value.clone(),
        });
    }
    if new_stance != c.stance {
        w.update(
            Entity::Claim,
            c.id.0,
            Some(target.id.0),
            "stance",
            Value::Text(new_stance.as_str().to_string()),
        )?;
        changes.push(ClaimChange {
            field: "stance",
            old: c.stance.as_str().to_string(),
            new: new_stance.as_str().to_string(),
        });
    }
    if changes.is_empty() {
        return Ok((changes, None));
    }
    let followed = if c.accepted && new_stance == Stance::Denies {
        set_flag(w, target.id, c.id, false)?;
        Some(Accepted {
            changed: vec![],
            flags: vec![Flag {
                number: n,
                accepted: false,
            }],
        })
    } else if c.accepted {
        Some(accept(w, target, n, today)?)
    } else {
        None
    };
    super::attach::touch(w, target.id)?;
    Ok((changes, followed))
}

/// Retracts source `n` and every standing claim it makes. Returns the
/// numbers of the claims withdrawn with it.
pub fn retract_source(w: &mut Writer<'_>, target: &Target, n: usize) -> Result<Vec<usize>> {
    let ids: Vec<i64> = w
        .tx()
        .prepare_cached("SELECT id FROM source WHERE incident_id = ? ORDER BY id")?
        .query_map([target.id.0], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let source_id = *n.checked_sub(1).and_then(|i| ids.get(i)).ok_or_else(|| {
        anyhow!(
            "no source {n} in {} (it has {} source{})",
            target.reference,
            ids.len(),
            if ids.len() == 1 { "" } else { "s" }
        )
    })?;
    if let Some(at) = source_withdrawn_at(w.tx(), SourceId(source_id))? {
        bail!(
            "source {n} of {} is already withdrawn (since {at})",
            target.reference
        );
    }
    let at = text(w.at());
    w.update(
        Entity::Source,
        source_id,
        Some(target.id.0),
        "withdrawn_at",
        at,
    )?;
    let mut withdrawn = Vec::new();
    for c in claims(w.tx(), target.id)? {
        if c.source_id == SourceId(source_id) && c.withdrawn_at.is_none() {
            withdraw_claim(w, target.id, &c)?;
            withdrawn.push(c.number);
        }
    }
    super::attach::touch(w, target.id)?;
    Ok(withdrawn)
}

/// The claim's field as messages name it (`admin2`, `victim status`).
pub fn field_name(c: &StoredClaim) -> String {
    match c.subject {
        ClaimSubject::Incident => c.field.clone(),
        s => format!("{s} {}", c.field),
    }
}

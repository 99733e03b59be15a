//! `pressreg merge-records KEEP DROP --reason TEXT`: folds a duplicate
//! incident into the one kept. This module decides what the fold means
//! (which victims are one person, by the name keys of `crate::dups`; which
//! of DROP's values disagree with KEEP's and become claims); the storage
//! layer (`db::fold`) moves the rows in one write, which `restore DROP`
//! undoes as a whole.

use anyhow::{bail, Result};

use super::Ctx;
use crate::db::fold::{FoldPlan, Folded};
use crate::db::Access;
use crate::dups::names::{self, NameMatch};
use crate::fields::{self, Stored};
use crate::model::{ClaimRecord, IncidentRecord, VictimRecord};
use crate::vocab::*;

/// Fold a duplicate incident into the one kept
///
/// Moves every victim, act (with its perpetrators), source and claim of
/// DROP into KEEP. A victim of DROP who is a person KEEP already has (the
/// same name or a transliteration variant: Nematullah / Nimatullah Hemat)
/// is not doubled: KEEP's victim takes the acts and the spelling as a name
/// variant, and DROP's row stays behind. An act KEEP's victim already has
/// (the same type) is not doubled either: KEEP's act takes the perpetrator
/// links it lacks, and DROP's act stays behind with DROP's victim. Where DROP's record says
/// something else than KEEP's (the first day, the province, district, locality
/// or place, the context, work link or justice; a merged victim's sex, age,
/// nationality, category, employment, outlet or status), the value becomes
/// a claim on KEEP by DROP's first source, so the disagreement stays in
/// view (`show KEEP`). DROP is marked `duplicate` with `duplicate_of`
/// KEEP: it stays in the registry, its ref is never reused, and `show
/// DROP` points to KEEP. `restore DROP` undoes the whole merge.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg duplicates
  pressreg merge-records AF-2021-0008 AF-2021-0014 --reason \"same kidnapping, two wires\"
  pressreg show AF-2021-0014
  pressreg restore AF-2021-0014")]
pub struct Args {
    /// The incident kept (its ref or uid)
    #[arg(value_name = "KEEP")]
    pub keep: String,
    /// The duplicate folded into it (its ref or uid)
    #[arg(value_name = "DROP")]
    pub drop: String,
    /// Why they are one incident: kept in the revision log
    #[arg(long, value_name = "TEXT", required = true)]
    pub reason: String,
}

/// The incident fields whose disagreeing values become claims.
const INCIDENT_FIELDS: &[&str] = &[
    "date_start",
    "admin1",
    "admin2",
    "locality",
    "place",
    "context",
    "work_link",
    "justice",
];

/// The fields of a merged victim whose disagreeing values become claims.
const VICTIM_FIELDS: &[&str] = &[
    "sex",
    "age",
    "nationality",
    "category",
    "employment",
    "outlet",
    "status",
];

/// Runs `merge-records`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let reason = args.reason.trim();
    if reason.is_empty() {
        bail!(
            "--reason is empty (say why the two are one incident; it is kept in the revision log)"
        );
    }
    let mut db = ctx.open(Access::Change)?;
    let (keep_ref, drop_ref) = {
        let r = db.read()?;
        let keep = r.require_incident(&args.keep)?;
        let drop = r.require_incident(&args.drop)?;
        (r.reference(keep)?, r.reference(drop)?)
    };
    let logged = format!("merge-records {drop_ref} into {keep_ref}: {reason}");
    let (done, merged) = db.write(&logged, |w| {
        let keep = w.require_incident(&args.keep)?;
        let drop = w.require_incident(&args.drop)?;
        if keep == drop {
            bail!("KEEP and DROP are the same incident ({keep_ref}): name two incidents");
        }
        let (k, d) = (w.load_incident(keep)?, w.load_incident(drop)?);
        for (rec, reference) in [(&k, &keep_ref), (&d, &drop_ref)] {
            if rec.deleted_at.is_some() {
                bail!("'{reference}' is deleted: restore it first ('pressreg restore {reference}')");
            }
        }
        if let Some(other) = &d.duplicate_of {
            bail!("'{drop_ref}' is already a duplicate of '{other}' ('pressreg restore {drop_ref}' undoes that merge)");
        }
        if let Some(other) = &k.duplicate_of {
            bail!("'{keep_ref}' is itself a duplicate of '{other}': keep '{other}' instead");
        }
        let (plan, merged) = plan(&k, &d);
        Ok((w.fold(keep, drop, &plan)?, merged))
    })?;
    ctx.out.note(&report(&keep_ref, &drop_ref, &done, &merged));
    Ok(())
}

/// What the note says the merge did.
fn report(keep: &str, drop: &str, done: &Folded, merged: &[String]) -> String {
    fn n(count: usize, noun: &str) -> String {
        format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
    }
    let mut parts = Vec::new();
    if !merged.is_empty() {
        parts.push(format!(
            "{} already there ({})",
            n(done.victims_merged, "victim"),
            merged.join("; ")
        ));
    }
    parts.push(format!("{} moved", n(done.victims_moved, "victim")));
    let mut acts = format!("{} moved", n(done.acts_moved, "act"));
    if done.acts_merged > 0 {
        acts.push_str(&format!(
            ", {} already there (with {} more)",
            n(done.acts_merged, "act"),
            n(done.links_moved, "perpetrator link")
        ));
    }
    parts.push(acts);
    parts.push(format!("{} moved", n(done.sources, "source")));
    parts.push(format!("{} moved", n(done.claims_moved, "claim")));
    let mut added = format!(
        "{} added for values that disagree",
        n(done.claims_added, "claim")
    );
    if done.record_source {
        added.push_str(&format!(
            " (by a source standing for {drop}, which had none)"
        ));
    }
    parts.push(added);
    format!(
        "merged {drop} into {keep}: {}; {drop} is marked duplicate of {keep} (undo with 'pressreg restore {drop}')",
        parts.join(", ")
    )
}

/// The names a victim is known by.
fn keys(v: &VictimRecord) -> Vec<names::NameKey> {
    std::iter::once(&v.name)
        .chain(&v.name_variants)
        .filter_map(|n| names::key(n))
        .collect()
}

/// Whether two victims are one person by name.
fn same_person(a: &VictimRecord, b: &VictimRecord) -> bool {
    let (ka, kb) = (keys(a), keys(b));
    ka.iter().any(|x| {
        kb.iter().any(|y| match names::compare(x, y) {
            Some(NameMatch::Same | NameMatch::Variant) => x.tokens.len() >= 2,
            Some(NameMatch::Partial) => true,
            None => false,
        })
    })
}

/// A stored value as claim text, or None when it says nothing (empty,
/// unknown, no information).
fn said(value: &Stored) -> Option<String> {
    let text = match value {
        Stored::Null => return None,
        Stored::Integer(i) => i.to_string(),
        Stored::Real(f) => f.to_string(),
        Stored::Text(s) => s.clone(),
    };
    (!matches!(text.trim(), "" | "unknown" | "no_information")).then_some(text)
}

/// The fold of `d` into `k`: victims that are one person, the names they
/// add, and DROP's disagreeing values as claims; with the merged victims
/// named for the note.
fn plan(k: &IncidentRecord, d: &IncidentRecord) -> (FoldPlan, Vec<String>) {
    let mut plan = FoldPlan::default();
    let mut merged = Vec::new();
    let claim = |subject, subject_uid, field: &str, value: String| ClaimRecord {
        uid: None,
        source: String::new(),
        subject,
        subject_uid,
        field: field.to_string(),
        value,
        stance: Stance::Asserts,
        accepted: false,
        withdrawn_at: None,
    };
    let claimable = fields::Entity::Incident.claimable();
    let (ks, ds) = (
        fields::stored(fields::INCIDENT, k),
        fields::stored(fields::INCIDENT, d),
    );
    for field in INCIDENT_FIELDS.iter().filter(|f| claimable.contains(f)) {
        let get = |s: &[(&str, Stored)]| {
            s.iter()
                .find(|(n, _)| n == field)
                .and_then(|(_, v)| said(v))
        };
        let (kv, dv) = (get(&ks), get(&ds));
        if let Some(dv) = dv {
            if kv.as_deref() != Some(dv.as_str()) {
                plan.claims
                    .push(claim(ClaimSubject::Incident, None, field, dv));
            }
        }
    }
    let victim_claimable = fields::Entity::Victim.claimable();
    for dv in &d.victims {
        let Some(kv) = k.victims.iter().find(|kv| same_person(kv, dv)) else {
            continue;
        };
        let (Some(kuid), Some(duid)) = (kv.uid, dv.uid) else {
            continue;
        };
        plan.same_person.push((duid, kuid));
        merged.push(if kv.name == dv.name {
            kv.name.clone()
        } else {
            format!("{} = {}", dv.name, kv.name)
        });
        // The variants so far (a victim merged twice adds to the first).
        let mut variants = plan
            .variants
            .iter()
            .find(|(u, _)| *u == kuid)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| kv.name_variants.clone());
        for name in std::iter::once(&dv.name).chain(&dv.name_variants) {
            if !name.trim().is_empty() && *name != kv.name && !variants.contains(name) {
                variants.push(name.clone());
            }
        }
        if variants != kv.name_variants {
            plan.variants.retain(|(u, _)| *u != kuid);
            plan.variants.push((kuid, variants));
        }
        let (ks, ds) = (
            fields::stored(fields::VICTIM, kv),
            fields::stored(fields::VICTIM, dv),
        );
        for field in VICTIM_FIELDS
            .iter()
            .filter(|f| victim_claimable.contains(f))
        {
            let get = |s: &[(&str, Stored)]| {
                s.iter()
                    .find(|(n, _)| n == field)
                    .and_then(|(_, v)| said(v))
            };
            if let Some(value) = get(&ds) {
                if get(&ks).as_deref() != Some(value.as_str()) {
                    plan.claims
                        .push(claim(ClaimSubject::Victim, Some(kuid), field, value));
                }
            }
        }
    }
    (plan, merged)
}

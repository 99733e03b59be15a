//! Export profiles (DESIGN §6, SECURITY R16): what may leave the registry.
//!
//! Which fields travel is the field table's `level` (`crate::fields`): a
//! field a profile does not allow is cleared, and a test checks every
//! stored column against it. Every column of `schema.sql` must have a row
//! in that table with a level (another test), so a field added later
//! cannot travel before someone has decided where it may go. Claims travel
//! only about fields the profile carries (by the same table; a claim
//! about a field the table does not know stays home). What must stay true:
//! * `public` holds only records whose confidentiality is public: anonymous
//!   victims appear as a stable pseudonym (`Victim AF-2021-0007-1`) with no
//!   name variants; no private notes, no notes at all, no confidential
//!   source, no claim from a dropped source or about a dropped victim or a
//!   hidden field; no coordinates (geo precision becomes 3, the province);
//!   no relations or duplicate links (they name other incidents);
//! * `partner` adds partner-level records and keeps coordinates and act
//!   notes; still no private notes, source notes or confidential sources;
//! * `internal` adds internal-level records and relations; still no private
//!   notes and no confidential sources (they never leave the registry
//!   except in a full backup);
//! * no profile but `full` carries a withdrawn source or claim;
//! * `full` is everything, for backups and merges.

use uuid::Uuid;

use crate::fields;
use crate::model::*;
use crate::vocab::Confidentiality;

/// Who an export is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Profile {
    /// Public records only, anonymous victims pseudonymised, coordinates coarsened
    Public,
    /// Public and partner records; coordinates kept
    Partner,
    /// Everything but restricted records, private notes and confidential sources
    Internal,
    /// Everything, for backups and merges
    Full,
}

impl Profile {
    /// Whether a record at `level` may appear.
    pub fn allows(self, level: Confidentiality) -> bool {
        use Confidentiality::*;
        match self {
            Profile::Public => level == Public,
            Profile::Partner => matches!(level, Public | Partner),
            Profile::Internal => matches!(level, Public | Partner | Internal),
            Profile::Full => true,
        }
    }

    /// The incident levels this profile may export (for the query).
    pub fn levels(self) -> Vec<Confidentiality> {
        use Confidentiality::*;
        [Public, Partner, Internal, Restricted]
            .into_iter()
            .filter(|l| self.allows(*l))
            .collect()
    }
}

/// The record as `profile` lets it leave, or None when it may not.
/// `positions` are the victims' stable positions within the incident (for
/// pseudonyms), in the order of `rec.victims`. Which fields stay home is
/// the field table's `level`; the rules here are about whole records
/// (confidential sources, restricted victims, pseudonyms, relations).
pub fn apply(profile: Profile, rec: &IncidentRecord, positions: &[i64]) -> Option<IncidentRecord> {
    if profile == Profile::Full {
        return Some(rec.clone());
    }
    if !profile.allows(rec.confidentiality) || rec.deleted_at.is_some() {
        return None;
    }
    let allows = |level| profile.allows(level);
    let public = profile == Profile::Public;
    let reference = rec.reference.clone().unwrap_or_default();
    let mut kept_subjects: Vec<Uuid> = Vec::new();
    let mut victims = Vec::new();
    for (i, v) in rec.victims.iter().enumerate() {
        if !profile.allows(v.confidentiality) {
            continue;
        }
        let position = positions.get(i).copied().unwrap_or(i as i64 + 1);
        let hide_name = public && v.anonymous;
        let mut victim = v.clone();
        fields::hide(fields::VICTIM, &mut victim, allows);
        victim.local_or_foreign = v.local_or_foreign_in(&rec.country);
        if hide_name {
            victim.name = format!("Victim {reference}-{position}");
            victim.name_variants = vec![];
        } else if let Some(u) = v.uid {
            kept_subjects.push(u);
        }
        for act in &mut victim.acts {
            kept_subjects.extend(act.uid);
            act.date = None;
            fields::hide(fields::ACT, act, allows);
            for p in &mut act.perpetrators {
                kept_subjects.extend(p.uid);
                fields::hide(fields::INVOLVEMENT, p, allows);
            }
        }
        victims.push(victim);
    }
    let mut kept_sources: Vec<String> = Vec::new();
    let sources: Vec<SourceRecord> = rec
        .sources
        .iter()
        .filter(|s| !s.confidential && s.withdrawn_at.is_none())
        .map(|s| {
            if let Some(u) = s.uid {
                kept_sources.push(u.to_string());
            }
            let mut s = s.clone();
            fields::hide(fields::SOURCE, &mut s, allows);
            s
        })
        .collect();
    // A claim travels when its source and its subject do and the field it
    // speaks of may (a claim about a hidden field would carry its value).
    let claims = rec
        .claims
        .iter()
        .filter(|c| c.withdrawn_at.is_none() && kept_sources.contains(&c.source))
        .filter(|c| c.subject_uid.is_none_or(|u| kept_subjects.contains(&u)))
        .filter(|c| {
            fields::Entity::from(c.subject)
                .level(&c.field)
                .is_some_and(allows)
        })
        .cloned()
        .collect();
    let actors = rec
        .actors
        .iter()
        .filter(|a| {
            victims.iter().any(|v| {
                v.acts.iter().any(|act| {
                    act.perpetrators
                        .iter()
                        .any(|p| p.actor.eq_ignore_ascii_case(&a.name))
                })
            })
        })
        .map(|a| ActorRecord {
            uid: a.uid,
            name: a.name.clone(),
            aliases: a.aliases.clone(),
            note: if public {
                String::new()
            } else {
                a.note.clone()
            },
            types: a.types.clone(),
        })
        .collect();
    let mut out = IncidentRecord {
        date: None,
        deleted_at: None,
        victims,
        sources,
        claims,
        relations: if profile.allows(Confidentiality::Internal) {
            rec.relations.clone()
        } else {
            vec![]
        },
        actors,
        ..rec.clone()
    };
    fields::hide(fields::INCIDENT, &mut out, allows);
    // Without coordinates the place is known to the province at best.
    let coordinates = fields::Entity::Incident.level("coordinates");
    if !coordinates.is_some_and(allows) && out.geo_precision != 0 {
        out.geo_precision = 3;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{self, Stored};
    use crate::vocab::{ActType, ClaimSubject, Stance};

    fn record() -> IncidentRecord {
        let mut act = ActRecord::new(ActType::Killed);
        act.uid = Some(Uuid::new_v4());
        act.note = "act note".into();
        let mut p = InvolvementRecord::new("Taliban");
        p.uid = Some(Uuid::new_v4());
        p.note = "link note".into();
        act.perpetrators.push(p);
        let mut victim = VictimRecord::new("Toofan Omar");
        victim.uid = Some(Uuid::new_v4());
        victim.private_notes = "a phone number".into();
        victim.acts.push(act);
        let mut source = SourceRecord::new("https://example.org/a");
        source.uid = Some(Uuid::new_v4());
        source.note = "source note".into();
        let claim = |field: &str| ClaimRecord {
            uid: None,
            source: source.uid.map(|u| u.to_string()).unwrap_or_default(),
            subject: ClaimSubject::Incident,
            subject_uid: None,
            field: field.into(),
            value: "x".into(),
            stance: Stance::Asserts,
            accepted: false,
            withdrawn_at: None,
        };
        IncidentRecord {
            reference: Some("AF-2021-0001".into()),
            country: "AF".into(),
            latitude: Some(31.6),
            longitude: Some(64.4),
            geo_precision: 1,
            private_notes: "incident notes".into(),
            duplicate_of: Some("AF-2021-0002".into()),
            claims: vec![
                claim("summary"),
                claim("coordinates"),
                claim("private_notes"),
                claim("no_such_field"),
            ],
            victims: vec![victim],
            sources: vec![source],
            ..IncidentRecord::default()
        }
    }

    /// What each profile leaves out is what the field table's levels say:
    /// every stored column keeps its value exactly when the profile allows
    /// the field's level (geo precision is coarsened by its own rule).
    #[test]
    fn profiles_hide_what_the_field_table_says() {
        let rec = record();
        for profile in [Profile::Public, Profile::Partner, Profile::Internal] {
            let out = apply(profile, &rec, &[1]).expect("a public record");
            let kept = |before: Vec<(&'static str, Stored)>,
                        after: Vec<(&'static str, Stored)>,
                        entity: fields::Entity| {
                for ((name, b), (_, a)) in before.into_iter().zip(after) {
                    if name == "geo_precision" {
                        continue;
                    }
                    let level = entity.level(name).expect("a field of the table");
                    let shown = profile.allows(level);
                    assert_eq!(a == b, shown, "{profile:?} {entity:?}.{name}");
                }
            };
            kept(
                fields::stored(fields::INCIDENT, &rec),
                fields::stored(fields::INCIDENT, &out),
                fields::Entity::Incident,
            );
            assert_eq!(
                out.duplicate_of.is_some(),
                profile.allows(Confidentiality::Internal)
            );
            kept(
                fields::stored(fields::VICTIM, &rec.victims[0]),
                fields::stored(fields::VICTIM, &out.victims[0]),
                fields::Entity::Victim,
            );
            kept(
                fields::stored(fields::ACT, &rec.victims[0].acts[0]),
                fields::stored(fields::ACT, &out.victims[0].acts[0]),
                fields::Entity::Act,
            );
            kept(
                fields::stored(fields::INVOLVEMENT, &rec.victims[0].acts[0].perpetrators[0]),
                fields::stored(fields::INVOLVEMENT, &out.victims[0].acts[0].perpetrators[0]),
                fields::Entity::Involvement,
            );
            kept(
                fields::stored(fields::SOURCE, &rec.sources[0]),
                fields::stored(fields::SOURCE, &out.sources[0]),
                fields::Entity::Source,
            );
            let claims: Vec<&str> = out.claims.iter().map(|c| c.field.as_str()).collect();
            let expected: &[&str] = if profile == Profile::Public {
                &["summary"]
            } else {
                &["summary", "coordinates"]
            };
            assert_eq!(claims, expected, "{profile:?}");
        }
    }
}

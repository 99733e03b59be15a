//! Export profiles (DESIGN §6, SECURITY R16): what may leave the registry.
//!
//! Every profile builds a new record from an allow-list: a field is copied
//! only when the profile names it, so a field added to the model later
//! stays home until someone decides it may travel. What must stay true:
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
//! * `full` is everything, for backups and merges.

use uuid::Uuid;

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

/// Fields a public claim may speak of (a claim about anything else could
/// carry a hidden value: a name, a note, coordinates).
const PUBLIC_CLAIM_FIELDS: &[&str] = &[
    "title",
    "date",
    "date_start",
    "date_end",
    "date_precision",
    "date_approximate",
    "date_as_reported",
    "country",
    "admin1",
    "admin2",
    "locality",
    "place",
    "context",
    "verification",
    "work_link",
    "justice",
    "sex",
    "age",
    "nationality",
    "category",
    "employment",
    "jobs",
    "mediums",
    "outlet",
    "beats",
    "status",
    "type",
    "death_context",
    "method",
    "actor",
    "role",
    "basis",
    "confidence",
];

/// The record as `profile` lets it leave, or None when it may not.
/// `positions` are the victims' stable positions within the incident (for
/// pseudonyms), in the order of `rec.victims`.
pub fn apply(profile: Profile, rec: &IncidentRecord, positions: &[i64]) -> Option<IncidentRecord> {
    if profile == Profile::Full {
        return Some(rec.clone());
    }
    if !profile.allows(rec.confidentiality) || rec.deleted_at.is_some() {
        return None;
    }
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
        let acts = v
            .acts
            .iter()
            .map(|a| {
                if let Some(u) = a.uid {
                    kept_subjects.push(u);
                }
                ActRecord {
                    uid: a.uid,
                    act_type: a.act_type,
                    death_context: a.death_context,
                    method: a.method,
                    date: None,
                    date_start: a.date_start,
                    date_end: a.date_end,
                    date_precision: a.date_precision,
                    note: if public {
                        String::new()
                    } else {
                        a.note.clone()
                    },
                    perpetrators: a
                        .perpetrators
                        .iter()
                        .map(|p| {
                            if let Some(u) = p.uid {
                                kept_subjects.push(u);
                            }
                            InvolvementRecord {
                                uid: p.uid,
                                actor: p.actor.clone(),
                                actor_type: p.actor_type,
                                role: p.role,
                                basis: p.basis,
                                confidence: p.confidence,
                                note: if public {
                                    String::new()
                                } else {
                                    p.note.clone()
                                },
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        if !hide_name {
            if let Some(u) = v.uid {
                kept_subjects.push(u);
            }
        }
        victims.push(VictimRecord {
            uid: v.uid,
            name: if hide_name {
                format!("Victim {reference}-{position}")
            } else {
                v.name.clone()
            },
            name_variants: if hide_name {
                vec![]
            } else {
                v.name_variants.clone()
            },
            anonymous: v.anonymous,
            sex: v.sex,
            age: v.age,
            nationality: v.nationality.clone(),
            local_or_foreign: v.local_or_foreign_in(&rec.country),
            category: v.category,
            employment: v.employment,
            jobs: v.jobs.clone(),
            mediums: v.mediums.clone(),
            outlet: v.outlet.clone(),
            beats: v.beats.clone(),
            status: v.status,
            confidentiality: v.confidentiality,
            private_notes: String::new(),
            acts,
        });
    }
    let mut kept_sources: Vec<String> = Vec::new();
    let sources: Vec<SourceRecord> = rec
        .sources
        .iter()
        .filter(|s| !s.confidential)
        .map(|s| {
            if let Some(u) = s.uid {
                kept_sources.push(u.to_string());
            }
            SourceRecord {
                uid: s.uid,
                source_type: s.source_type,
                publisher: s.publisher.clone(),
                url: s.url.clone(),
                title: s.title.clone(),
                published_on: s.published_on,
                accessed_on: s.accessed_on,
                language: s.language.clone(),
                reliability: s.reliability,
                confidential: false,
                note: String::new(),
            }
        })
        .collect();
    let claims = rec
        .claims
        .iter()
        .filter(|c| kept_sources.contains(&c.source))
        .filter(|c| c.subject_uid.is_none_or(|u| kept_subjects.contains(&u)))
        .filter(|c| !public || PUBLIC_CLAIM_FIELDS.contains(&c.field.as_str()))
        .filter(|c| c.field != "private_notes" && c.field != "note")
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
    let coarse = public && rec.geo_precision != 0;
    Some(IncidentRecord {
        uid: rec.uid,
        reference: rec.reference.clone(),
        title: rec.title.clone(),
        summary: rec.summary.clone(),
        date: None,
        date_start: rec.date_start,
        date_end: rec.date_end,
        date_precision: rec.date_precision,
        date_approximate: rec.date_approximate,
        date_as_reported: rec.date_as_reported.clone(),
        calendar: rec.calendar,
        country: rec.country.clone(),
        admin1: rec.admin1.clone(),
        admin2: rec.admin2.clone(),
        locality: rec.locality.clone(),
        place: rec.place.clone(),
        latitude: if public { None } else { rec.latitude },
        longitude: if public { None } else { rec.longitude },
        geo_precision: if coarse { 3 } else { rec.geo_precision },
        context: rec.context,
        verification: rec.verification,
        work_link: rec.work_link,
        justice: rec.justice,
        confidentiality: rec.confidentiality,
        private_notes: String::new(),
        duplicate_of: if profile == Profile::Internal {
            rec.duplicate_of.clone()
        } else {
            None
        },
        created_at: rec.created_at,
        updated_at: rec.updated_at,
        deleted_at: None,
        victims,
        sources,
        claims,
        relations: if profile == Profile::Internal {
            rec.relations.clone()
        } else {
            vec![]
        },
        actors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::ActType;

    const LEVELS: [Confidentiality; 4] = [
        Confidentiality::Public,
        Confidentiality::Partner,
        Confidentiality::Internal,
        Confidentiality::Restricted,
    ];

    /// An incident at `level` whose every withheld value is a canary: the
    /// private notes, a confidential source, the names of anonymous victims,
    /// coordinates; `victims` gives each victim's level and anonymity.
    fn record(level: usize, victims: &[(usize, bool)]) -> IncidentRecord {
        let mut rec = IncidentRecord {
            reference: Some("AF-2021-0007".into()),
            country: "AF".into(),
            confidentiality: LEVELS[level],
            private_notes: "CANARY-incident-notes".into(),
            latitude: Some(34.5),
            longitude: Some(69.2),
            geo_precision: 1,
            ..IncidentRecord::default()
        };
        for (i, &(level, anonymous)) in victims.iter().enumerate() {
            let name = if anonymous {
                format!("CANARY-anonymous-{i}")
            } else {
                format!("Named {i}")
            };
            let mut v = VictimRecord::new(&name);
            v.anonymous = anonymous;
            v.confidentiality = LEVELS[level];
            v.private_notes = "CANARY-victim-notes".into();
            v.acts.push(ActRecord::new(ActType::Killed));
            rec.victims.push(v);
        }
        let mut secret = SourceRecord::new("https://CANARY-confidential.example/");
        secret.confidential = true;
        rec.sources = vec![SourceRecord::new("https://open.example/"), secret];
        rec
    }

    proptest::proptest! {
        /// Whatever the levels and anonymity, a profile lets out a record
        /// only at a level it allows, and of it only the victims at a level
        /// it allows, in order; never a private note or a confidential
        /// source; in `public` no anonymous victim's name and no
        /// coordinates; and each wider profile lets out at least as much.
        #[test]
        fn a_profile_lets_out_only_what_it_allows(
            level in 0usize..4,
            victims in proptest::collection::vec((0usize..4, proptest::bool::ANY), 0..4),
        ) {
            let rec = record(level, &victims);
            let mut wider_sees = usize::MAX;
            for profile in [Profile::Internal, Profile::Partner, Profile::Public] {
                let out = apply(profile, &rec, &[]);
                proptest::prop_assert_eq!(out.is_some(), profile.allows(LEVELS[level]));
                let Some(out) = out else { continue };
                let text = serde_json::to_string(&out).unwrap();
                let leaked = text.contains("CANARY-incident-notes")
                    || text.contains("CANARY-victim-notes")
                    || text.contains("CANARY-confidential");
                proptest::prop_assert!(!leaked, "{:?}: {}", profile, text);
                let want: Vec<usize> = victims
                    .iter()
                    .enumerate()
                    .filter(|(_, (l, _))| profile.allows(LEVELS[*l]))
                    .map(|(i, _)| i)
                    .collect();
                proptest::prop_assert_eq!(out.victims.len(), want.len());
                for (v, &i) in out.victims.iter().zip(&want) {
                    if !(profile == Profile::Public && victims[i].1) {
                        proptest::prop_assert_eq!(&v.name, &rec.victims[i].name);
                    }
                }
                if profile == Profile::Public {
                    proptest::prop_assert!(!text.contains("CANARY-anonymous"), "{}", text);
                    proptest::prop_assert_eq!((out.latitude, out.longitude), (None, None));
                }
                proptest::prop_assert!(out.victims.len() <= wider_sees);
                wider_sees = out.victims.len();
            }
        }
    }
}

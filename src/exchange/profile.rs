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

    /// The profile's name, as `--profile` takes it and an export records
    /// it (`export_profile`).
    pub fn name(self) -> &'static str {
        match self {
            Profile::Public => "public",
            Profile::Partner => "partner",
            Profile::Internal => "internal",
            Profile::Full => "full",
        }
    }

    /// The profile called `name` (as `name` gives it).
    pub fn from_name(name: &str) -> Option<Profile> {
        [
            Profile::Public,
            Profile::Partner,
            Profile::Internal,
            Profile::Full,
        ]
        .into_iter()
        .find(|p| p.name() == name)
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

/// What a file read back into the registry can be trusted to hold, so that
/// `import --on-conflict update` changes only that (DESIGN §4): a value the
/// export left out or disguised (a withheld note, a pseudonym, coarsened
/// coordinates, a record of a level the profile leaves home) is not a
/// value the colleague cleared. The profile comes from the file
/// (`export_profile`); a file that does not say is taken as `full`. The
/// format narrows it: native CSV never holds notes, private notes,
/// involvement roles, deletion marks, confidential sources or source
/// details other than URL and publisher.
///
/// The rules mirror `apply`, one for each thing it withholds; the test
/// `carried_mirrors_apply` holds the two together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Carried {
    /// The profile the file was exported under.
    pub profile: Profile,
    /// False for native CSV, which holds less than a record.
    pub whole_format: bool,
}

impl Carried {
    fn full(self) -> bool {
        self.profile == Profile::Full && self.whole_format
    }

    /// Private notes (of incidents and victims), source notes, deletion
    /// marks and confidential sources: only a full JSON or JSONL export.
    pub fn private(self) -> bool {
        self.full()
    }

    /// Notes on acts and involvements (and involvement roles): not in CSV,
    /// not in public exports.
    pub fn notes(self) -> bool {
        self.whole_format && self.profile != Profile::Public
    }

    /// Involvement roles and the source details other than URL and
    /// publisher: not in CSV.
    pub fn details(self) -> bool {
        self.whole_format
    }

    /// Coordinates and their precision: public exports drop or coarsen
    /// them.
    pub fn coordinates(self) -> bool {
        self.profile != Profile::Public
    }

    /// An anonymous victim's name and name variants: public exports give a
    /// pseudonym.
    pub fn anonymous_names(self) -> bool {
        self.profile != Profile::Public
    }

    /// A victim's local-or-foreign as stored: other profiles than full
    /// write it worked out from the nationality when it is not stored.
    pub fn local_or_foreign(self) -> bool {
        self.profile == Profile::Full
    }

    /// Whether a stored victim of `level` would have been in the file (one
    /// that would not, is not deleted for being absent).
    pub fn victim(self, level: Confidentiality) -> bool {
        self.profile.allows(level)
    }

    /// Whether a stored source would have been in the file.
    pub fn source(self, confidential: bool) -> bool {
        !confidential || self.full()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::Confidentiality as C;

    fn canary() -> IncidentRecord {
        let json = r#"{"uid":"11111111-1111-4111-8111-111111111111","ref":"AF-2021-0001",
          "date":"2021-03-02","country":"AF","latitude":34.4,"longitude":70.4,"geo_precision":1,
          "private_notes":"PN","confidentiality":"public",
          "victims":[
            {"uid":"22222222-2222-4222-8222-222222222222","name":"Named","private_notes":"VPN","nationality":"AF",
             "acts":[{"type":"killed","note":"AN","perpetrators":[{"actor":"X","note":"IN"}]}]},
            {"uid":"33333333-3333-4333-8333-333333333333","name":"Real Name","anonymous":true,
             "name_variants":["Real"]},
            {"name":"Restricted","confidentiality":"restricted"},
            {"name":"Partner","confidentiality":"partner"},
            {"name":"Internal","confidentiality":"internal"}],
          "sources":[{"publisher":"P","url":"https://p","note":"SN","title":"T"},
                     {"publisher":"Q","confidential":true}]}"#;
        serde_json::from_str(json).expect("canary record")
    }

    /// For every profile, what `Carried` says the file holds is what
    /// `apply` lets out: a withheld value is blanked or disguised, a
    /// carried one kept.
    #[test]
    fn carried_mirrors_apply() {
        let rec = canary();
        for profile in [
            Profile::Public,
            Profile::Partner,
            Profile::Internal,
            Profile::Full,
        ] {
            let c = Carried {
                profile,
                whole_format: true,
            };
            let out = apply(profile, &rec, &[1, 2, 3, 4, 5]).expect("a public incident");
            assert_eq!(out.private_notes == "PN", c.private(), "{profile:?}");
            assert_eq!(out.victims[0].private_notes == "VPN", c.private());
            assert_eq!(out.sources.iter().any(|s| s.note == "SN"), c.private());
            assert_eq!(out.sources.iter().any(|s| s.confidential), c.source(true));
            assert!(out.sources.iter().any(|s| s.title == "T") && c.details());
            let act = &out.victims[0].acts[0];
            assert_eq!(act.note == "AN", c.notes(), "{profile:?}");
            assert_eq!(act.perpetrators[0].note == "IN", c.notes(), "{profile:?}");
            assert_eq!(
                out.latitude.is_some() && out.geo_precision == 1,
                c.coordinates()
            );
            assert_eq!(
                out.victims[1].name == "Real Name" && !out.victims[1].name_variants.is_empty(),
                c.anonymous_names()
            );
            for (level, name) in [
                (C::Partner, "Partner"),
                (C::Internal, "Internal"),
                (C::Restricted, "Restricted"),
            ] {
                assert_eq!(
                    out.victims.iter().any(|v| v.name == name),
                    c.victim(level),
                    "{profile:?} {name}"
                );
            }
            assert_eq!(
                out.victims[0].local_or_foreign.is_none(),
                c.local_or_foreign(),
                "{profile:?}"
            );
            assert!(c.victim(C::Public) && c.source(false));
        }
    }
}

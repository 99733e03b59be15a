//! Export profiles (DESIGN §6, SECURITY R16): what may leave the registry.
//!
//! Which fields travel is the field table's `level` (`crate::fields`): a
//! field a profile does not allow is cleared, and a test checks every
//! stored column against it. Every column of `schema.sql` must have a row
//! in that table with a level (another test), so a field added later
//! cannot travel before someone has decided where it may go. Claims travel
//! only about fields the profile carries (by the same table; a claim
//! about a field the table does not know stays home). What must stay true:
//! * outside `full`, a victim who asked not to be named (`anonymous`)
//!   appears as a stable pseudonym (`Victim AF-2021-0007-1`) with no name
//!   variants, outlet, age or nationality (each could name them: one
//!   47-year-old Dutch reporter at a small outlet is one person), and no
//!   claim about them travels (a claim could carry the name);
//! * `public` holds only records whose confidentiality is public; no
//!   private notes, no notes at all, no confidential
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

/// The fields of a victim who asked not to be named that no profile but
/// `full` carries: the name (a pseudonym stands in) and what could
/// identify them. `apply` blanks them; a file read back does not hold them.
pub const ANONYMOUS_WITHHELD: &[&str] = &["name", "name_variants", "outlet", "age", "nationality"];

/// Whether a record as it leaves (after `apply`) shows a disagreement:
/// marked disputed, or a claim not accepted. `--disputed` in output for an
/// audience asks this of what it shows, so it cannot confirm a
/// disagreement only a confidential source or a hidden field holds.
pub fn shows_disagreement(shown: &IncidentRecord) -> bool {
    shown.verification == crate::vocab::Verification::Disputed
        || shown.claims.iter().any(|c| !c.accepted)
}

/// `apply` to a record the caller no longer needs: `full` hands it back
/// as it is instead of copying it (an export of every incident).
pub fn apply_owned(
    profile: Profile,
    rec: IncidentRecord,
    positions: &[i64],
) -> Option<IncidentRecord> {
    if profile == Profile::Full {
        return Some(rec);
    }
    apply(profile, &rec, positions)
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
        // Only `full` (a backup) carries the name of a victim who asked not
        // to be named, nor what would identify them (DESIGN §2, §6): the
        // fields of ANONYMOUS_WITHHELD.
        let hide_name = v.anonymous;
        let mut victim = v.clone();
        fields::hide(fields::VICTIM, &mut victim, allows);
        victim.local_or_foreign = v.local_or_foreign_in(&rec.country);
        if hide_name {
            victim.name = format!("Victim {reference}-{position}");
            victim.name_variants = vec![];
            victim.outlet = String::new();
            victim.age = None;
            victim.nationality = String::new();
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

/// Property tests: whatever the levels and anonymity of a record.
#[cfg(test)]
mod properties {
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
        /// source; in no profile but `full` an anonymous victim's
        /// name, and in `public` no coordinates; and each wider profile lets out at least as much.
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
                    if !victims[i].1 {
                        proptest::prop_assert_eq!(&v.name, &rec.victims[i].name);
                    }
                }
                // Only `full` carries an anonymous victim's name.
                proptest::prop_assert!(!text.contains("CANARY-anonymous"), "{}", text);
                if profile == Profile::Public {
                    proptest::prop_assert_eq!((out.latitude, out.longitude), (None, None));
                }
                proptest::prop_assert!(out.victims.len() <= wider_sees);
                wider_sees = out.victims.len();
            }
        }
    }
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

    /// An anonymous victim's name and what identifies them
    /// (`ANONYMOUS_WITHHELD`): every profile but full gives a pseudonym and
    /// blanks the rest.
    pub fn anonymous_names(self) -> bool {
        self.profile == Profile::Full
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
mod carried_tests {
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
             "name_variants":["Real"],"outlet":"Small Radio","age":47,"nationality":"NL"},
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
            let anonymous = &out.victims[1];
            for (field, shown) in [
                ("name", anonymous.name == "Real Name"),
                ("name_variants", !anonymous.name_variants.is_empty()),
                ("outlet", anonymous.outlet == "Small Radio"),
                ("age", anonymous.age == Some(47)),
                ("nationality", anonymous.nationality == "NL"),
            ] {
                assert!(ANONYMOUS_WITHHELD.contains(&field));
                assert_eq!(shown, c.anonymous_names(), "{profile:?} {field}");
            }
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

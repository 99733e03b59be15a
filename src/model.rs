//! The incident as one nested record: the shape of `add --file`, of
//! `show --format json` and of every JSONL line (DESIGN §4).
//!
//! Scalar fields are named as their columns in `schema.sql` (`ref` and
//! `type` under those names in JSON). Records link to each other by `uid`
//! or by name, never by database id, so a record means the same thing in
//! any registry: an involvement names its actor, a claim its source (uid,
//! URL or position), a relation or `duplicate_of` the other incident's ref.
//! On input every `uid` may be left out (one is made); a shorthand `date`
//! ("2021-08-08?", "2021-08") may stand for the date fields. Unknown fields
//! are refused, so a typo is an error and not lost data.
//!
//! Plain data: nothing here knows the database. `db` reads and writes these
//! records and is the only place that knows how they map to rows.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::vocab::*;

fn is_false(b: &bool) -> bool {
    !*b
}

/// One incident with everything attached to it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentRecord {
    /// Never changes; how registries are merged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    /// The public reference (`AF-2021-0007`); assigned when missing.
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// Shorthand input for the date fields, parsed as `add --date` is.
    #[serde(default, skip_serializing)]
    pub date: Option<String>,
    #[serde(default)]
    pub date_start: Option<NaiveDate>,
    #[serde(default)]
    pub date_end: Option<NaiveDate>,
    #[serde(default)]
    pub date_precision: Option<DatePrecision>,
    #[serde(default)]
    pub date_approximate: bool,
    #[serde(default)]
    pub date_as_reported: String,
    #[serde(default)]
    pub calendar: Calendar,
    pub country: String,
    #[serde(default)]
    pub admin1: String,
    #[serde(default)]
    pub admin2: String,
    #[serde(default)]
    pub locality: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub latitude: Option<f64>,
    #[serde(default)]
    pub longitude: Option<f64>,
    #[serde(default)]
    pub geo_precision: u8,
    #[serde(default)]
    pub context: Context,
    #[serde(default)]
    pub verification: Verification,
    #[serde(default)]
    pub work_link: WorkLink,
    #[serde(default)]
    pub justice: Justice,
    #[serde(default)]
    pub confidentiality: Confidentiality,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub private_notes: String,
    /// The ref of the incident this one duplicates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub victims: Vec<VictimRecord>,
    #[serde(default)]
    pub sources: Vec<SourceRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<ClaimRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<RelationRecord>,
    /// Full definitions of the actors this incident's involvements name,
    /// so that a JSONL line stands on its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<ActorRecord>,
}

/// A victim and the acts against them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VictimRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub name_variants: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub anonymous: bool,
    #[serde(default)]
    pub sex: Sex,
    #[serde(default)]
    pub age: Option<u8>,
    #[serde(default)]
    pub nationality: String,
    /// Left out: derived from nationality and country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_or_foreign: Option<LocalOrForeign>,
    #[serde(default)]
    pub category: Category,
    #[serde(default)]
    pub employment: Employment,
    #[serde(default)]
    pub jobs: Vec<Job>,
    #[serde(default)]
    pub mediums: Vec<Medium>,
    #[serde(default)]
    pub outlet: String,
    #[serde(default)]
    pub beats: Vec<Beat>,
    #[serde(default)]
    pub status: VictimStatus,
    #[serde(default)]
    pub confidentiality: Confidentiality,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub private_notes: String,
    #[serde(default)]
    pub acts: Vec<ActRecord>,
}

/// One violation against the victim it is nested in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    #[serde(rename = "type")]
    pub act_type: ActType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub death_context: Option<DeathContext>,
    #[serde(default)]
    pub method: Method,
    /// Shorthand input for the act's own dates.
    #[serde(default, skip_serializing)]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_start: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_end: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_precision: Option<DatePrecision>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default)]
    pub perpetrators: Vec<InvolvementRecord>,
}

/// An actor linked to an act, with the basis and confidence of the link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvolvementRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    /// The actor's name (matched without regard to case).
    pub actor: String,
    /// On input: the type to give the actor if it does not exist yet. On
    /// output: the actor's type in force on the act's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_type: Option<ActorType>,
    #[serde(default)]
    pub role: Role,
    #[serde(default)]
    pub basis: Basis,
    #[serde(default)]
    pub confidence: Confidence,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// An actor and its type over time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default)]
    pub types: Vec<ActorTypePeriod>,
}

/// An actor's type between two dates (open when missing).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorTypePeriod {
    #[serde(rename = "type")]
    pub actor_type: ActorType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<NaiveDate>,
}

/// Where facts about the incident come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    #[serde(rename = "type", default)]
    pub source_type: SourceType,
    #[serde(default)]
    pub publisher: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub published_on: Option<NaiveDate>,
    #[serde(default)]
    pub accessed_on: Option<NaiveDate>,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub reliability: Reliability,
    #[serde(default, skip_serializing_if = "is_false")]
    pub confidential: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// The publisher whose story this one repeats (a wire copied by a
    /// newspaper); empty when it is the publisher's own.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub via: String,
    /// When the source was retracted (None: it stands).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_at: Option<DateTime<Utc>>,
}

/// What one source says about one field of one record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    /// The source: its uid, its URL, or its 1-based position in `sources`.
    pub source: String,
    #[serde(default)]
    pub subject: ClaimSubject,
    /// The victim, act or involvement the claim is about (None: the incident).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_uid: Option<Uuid>,
    pub field: String,
    pub value: String,
    #[serde(default)]
    pub stance: Stance,
    #[serde(default)]
    pub accepted: bool,
    /// When the claim was retracted (None: it stands).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_at: Option<DateTime<Utc>>,
}

/// A link to another incident, by its ref or uid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationRecord {
    pub related: String,
    pub relation: Relation,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl VictimRecord {
    /// A victim with every field at its default, for builders.
    pub fn new(name: &str) -> Self {
        VictimRecord {
            uid: None,
            name: name.to_string(),
            name_variants: vec![],
            anonymous: false,
            sex: Sex::Unknown,
            age: None,
            nationality: String::new(),
            local_or_foreign: None,
            category: Category::Journalist,
            employment: Employment::Unknown,
            jobs: vec![],
            mediums: vec![],
            outlet: String::new(),
            beats: vec![],
            status: VictimStatus::Unknown,
            confidentiality: Confidentiality::Public,
            private_notes: String::new(),
            acts: vec![],
        }
    }
}

impl ActorRecord {
    /// The actor's type on the days an act may have happened on, `first` to
    /// `last` (see [`act_days`]; None: the act is undated, so any day): the
    /// type of the period that holds every one of those days, bounds
    /// inclusive and missing bounds open. None when no period does, because
    /// the days straddle a change of type, some of them have no type
    /// recorded, or the act is undated and the actor's type is bounded in
    /// time: the type cannot be told, and counts as unknown. Periods never
    /// overlap (`db::write::add_actor_period` refuses it); were two written
    /// behind the program's back to hold the days, the latest-starting one,
    /// then the last added, wins.
    ///
    /// The view `involvement_actor_type` in `schema.sql` is this rule in
    /// SQL, for filters and counts; a test in `db::facts` holds the two
    /// together.
    pub fn type_on(&self, first: Option<NaiveDate>, last: Option<NaiveDate>) -> Option<ActorType> {
        self.types
            .iter()
            .filter(|p| {
                p.valid_from.is_none_or(|f| first.is_some_and(|d| f <= d))
                    && p.valid_to.is_none_or(|t| last.is_some_and(|d| t >= d))
            })
            .max_by_key(|p| p.valid_from)
            .map(|p| p.actor_type)
    }
}

/// The first and last day an act may have happened on: its own dates when
/// it has them, else its incident's; a single day when there is no end.
/// (None, None) for an act whose date is unknown.
pub fn act_days(
    act_start: Option<NaiveDate>,
    act_end: Option<NaiveDate>,
    incident_start: Option<NaiveDate>,
    incident_end: Option<NaiveDate>,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    match act_start {
        Some(start) => (Some(start), Some(act_end.unwrap_or(start))),
        None => (incident_start, incident_end.or(incident_start)),
    }
}

impl VictimRecord {
    /// Local or foreign: as a documenter set it, else derived from the
    /// victim's nationality against the incident's country (DESIGN §2).
    /// The registry stores only what was set, so outputs call this.
    pub fn local_or_foreign_in(&self, country: &str) -> Option<LocalOrForeign> {
        self.local_or_foreign.or_else(|| {
            crate::country::is_foreign(&self.nationality, country).map(|foreign| {
                if foreign {
                    LocalOrForeign::Foreign
                } else {
                    LocalOrForeign::Local
                }
            })
        })
    }
}

impl ActRecord {
    /// An act of `act_type` with every other field at its default.
    pub fn new(act_type: ActType) -> Self {
        ActRecord {
            uid: None,
            act_type,
            death_context: None,
            method: Method::Unknown,
            date: None,
            date_start: None,
            date_end: None,
            date_precision: None,
            note: String::new(),
            perpetrators: vec![],
        }
    }
}

impl InvolvementRecord {
    /// A link to `actor` with every other field at its default.
    pub fn new(actor: &str) -> Self {
        InvolvementRecord {
            uid: None,
            actor: actor.to_string(),
            actor_type: None,
            role: Role::Perpetrator,
            basis: Basis::Unknown,
            confidence: Confidence::Unknown,
            note: String::new(),
        }
    }
}

impl SourceRecord {
    /// A source with every field at its default.
    pub fn new(url: &str) -> Self {
        SourceRecord {
            uid: None,
            source_type: SourceType::NewsReport,
            publisher: String::new(),
            url: url.to_string(),
            title: String::new(),
            published_on: None,
            accessed_on: None,
            language: String::new(),
            reliability: Reliability::Unknown,
            confidential: false,
            note: String::new(),
            via: String::new(),
            withdrawn_at: None,
        }
    }

    /// Who stands behind what the source says, for counting independent
    /// publishers: the publisher it repeats, else its own publisher, else
    /// the host of its URL (case and spacing ignored). None when nothing
    /// names it (it counts on its own).
    pub fn publisher_key(&self) -> Option<String> {
        let host = || {
            let rest = self
                .url
                .split_once("://")
                .map_or(self.url.as_str(), |(_, r)| r);
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            host.strip_prefix("www.").unwrap_or(host).to_string()
        };
        [
            self.via.trim().to_string(),
            self.publisher.trim().to_string(),
            host(),
        ]
        .into_iter()
        .find(|k| !k.is_empty())
        .map(|k| k.to_lowercase())
    }
}

impl IncidentRecord {
    /// How many independent publishers back the incident: standing
    /// sources, a wire story and its copies counted once (see
    /// `SourceRecord::publisher_key`).
    pub fn independent_publishers(&self) -> usize {
        let mut keys: Vec<Option<String>> = self
            .sources
            .iter()
            .filter(|s| s.withdrawn_at.is_none())
            .map(SourceRecord::publisher_key)
            .collect();
        let unnamed = keys.iter().filter(|k| k.is_none()).count();
        keys.retain(Option::is_some);
        keys.sort();
        keys.dedup();
        keys.len() + unnamed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a test date")
    }

    #[test]
    fn an_actors_type_is_the_one_in_force_on_the_day() {
        let taliban = ActorRecord {
            uid: None,
            name: "Taliban".into(),
            aliases: vec![],
            note: String::new(),
            types: vec![
                ActorTypePeriod {
                    actor_type: ActorType::ArmedGroup,
                    valid_from: None,
                    valid_to: Some(day("2021-08-15")),
                },
                ActorTypePeriod {
                    actor_type: ActorType::DeFactoAuthority,
                    valid_from: Some(day("2021-08-16")),
                    valid_to: None,
                },
            ],
        };
        let on = |d: &str| taliban.type_on(Some(day(d)), Some(day(d)));
        assert_eq!(on("2021-08-15"), Some(ActorType::ArmedGroup));
        assert_eq!(on("2021-08-16"), Some(ActorType::DeFactoAuthority));
        // A span across the change, or no date at all: it cannot be told.
        assert_eq!(
            taliban.type_on(Some(day("2021-08-01")), Some(day("2021-08-31"))),
            None
        );
        assert_eq!(taliban.type_on(None, None), None);
        // A span inside one period is that period's type.
        assert_eq!(
            taliban.type_on(Some(day("2021-02-25")), Some(day("2021-02-26"))),
            Some(ActorType::ArmedGroup)
        );
    }
}

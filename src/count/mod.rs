//! Counting by the rules of each monitor (DESIGN §5).
//!
//! The facts (one row per act and perpetrator link, `db::facts`) are turned
//! into *units* by a profile (`profiles`): the thing counted once (a victim
//! per act type per year, an incident, a victim per year under its most
//! serious act…) with the columns it counts in. The units are then spread
//! over the rows of `--by` here, small cells are suppressed (`suppress`),
//! and the result is rendered (`render`).
//!
//! Invariants:
//! * a unit counts at most once in a cell, and once in each column total,
//!   however many perpetrators, mediums or acts it has: perpetrators are
//!   never added up as victims;
//! * when a unit falls in several rows (a victim of two actors under
//!   `--by actor`), the table says the rows overlap, the totals still count
//!   it once, and no total is treated as the sum of its rows.

pub mod explain;
pub mod profiles;
pub mod render;
pub mod suppress;

use std::collections::{BTreeSet, HashMap};

use chrono::Datelike;

use crate::db::facts::Fact;
use crate::vocab::*;

pub use profiles::{Profile, Spec, Unit};

/// A dimension a summary can be broken down by (`--by`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Dim {
    Year,
    Month,
    Country,
    Admin1,
    Act,
    #[value(name = "death_context")]
    DeathContext,
    Actor,
    #[value(name = "actor_type")]
    ActorType,
    State,
    Sex,
    Category,
    Employment,
    Medium,
    #[value(name = "work_link")]
    WorkLink,
    Verification,
    Justice,
}

impl Dim {
    /// The dimension's name, as `--by` takes it and as a column header.
    pub fn name(self) -> &'static str {
        match self {
            Dim::Year => "year",
            Dim::Month => "month",
            Dim::Country => "country",
            Dim::Admin1 => "admin1",
            Dim::Act => "act",
            Dim::DeathContext => "death_context",
            Dim::Actor => "actor",
            Dim::ActorType => "actor_type",
            Dim::State => "state",
            Dim::Sex => "sex",
            Dim::Category => "category",
            Dim::Employment => "employment",
            Dim::Medium => "medium",
            Dim::WorkLink => "work_link",
            Dim::Verification => "verification",
            Dim::Justice => "justice",
        }
    }

    /// Whether the dimension needs the perpetrators of each act.
    pub fn needs_actors(self) -> bool {
        matches!(self, Dim::Actor | Dim::ActorType | Dim::State)
    }

    /// The values of this dimension for one fact (several for mediums).
    pub fn values(self, fact: &Fact, profile: Profile) -> Vec<String> {
        const UNKNOWN: &str = "unknown";
        let one = |s: &str| vec![s.to_string()];
        match self {
            Dim::Year => one(&year_of(fact)),
            Dim::Month => match (fact.date, fact.precision) {
                (Some(d), DatePrecision::Day | DatePrecision::Week | DatePrecision::Month) => {
                    vec![d.format("%Y-%m").to_string()]
                }
                _ => one(UNKNOWN),
            },
            Dim::Country => one(&fact.country),
            Dim::Admin1 if fact.admin1.is_empty() => one(UNKNOWN),
            Dim::Admin1 => one(&fact.admin1),
            Dim::Act => one(fact.act_type.as_str()),
            Dim::DeathContext => match (fact.act_type, fact.death_context) {
                (ActType::Killed, Some(c)) => one(c.as_str()),
                (ActType::Killed, None) => one(UNKNOWN),
                _ => one("not_killed"),
            },
            Dim::Actor => one(fact.actor.as_deref().unwrap_or(UNKNOWN)),
            Dim::ActorType => match (fact.actor_type, profile) {
                (Some(t), Profile::Cpj) => one(t.cpj_source_of_fire()),
                (None, Profile::Cpj) => one(ActorType::Unknown.cpj_source_of_fire()),
                (Some(t), _) => one(t.as_str()),
                (None, _) => one(UNKNOWN),
            },
            Dim::State => one(fact
                .actor_type
                .map_or(StateSide::Unknown, |t| t.state_side())
                .as_str()),
            Dim::Sex => one(fact.sex.as_str()),
            Dim::Category => one(fact.category.as_str()),
            Dim::Employment => one(fact.employment.as_str()),
            Dim::Medium => {
                let list: Vec<String> = serde_json::from_str(&fact.mediums).unwrap_or_default();
                if list.is_empty() {
                    one(UNKNOWN)
                } else {
                    list
                }
            }
            Dim::WorkLink => one(fact.work_link.as_str()),
            Dim::Verification => one(fact.verification.as_str()),
            Dim::Justice => one(fact.justice.as_str()),
        }
    }

    /// Where a value sorts: in the order of its vocabulary, numbers and
    /// names in text order, "unknown" last.
    fn sort_key(self, value: &str) -> (u8, usize, String) {
        fn pos<T: Vocabulary>(v: &str) -> Option<usize> {
            T::NAMES.iter().position(|n| *n == v)
        }
        let vocab = match self {
            Dim::Act => pos::<ActType>(value),
            Dim::DeathContext => pos::<DeathContext>(value),
            Dim::Sex => pos::<Sex>(value),
            Dim::Category => pos::<Category>(value),
            Dim::Employment => pos::<Employment>(value),
            Dim::Medium => pos::<Medium>(value),
            Dim::WorkLink => pos::<WorkLink>(value),
            Dim::Verification => pos::<Verification>(value),
            Dim::Justice => pos::<Justice>(value),
            _ => None,
        };
        match vocab {
            _ if value == "unknown" => (2, 0, String::new()),
            Some(i) => (0, i, String::new()),
            None => (1, 0, value.to_string()),
        }
    }
}

/// The year a fact counts in, or "unknown".
pub fn year_of(fact: &Fact) -> String {
    fact.date
        .map_or_else(|| "unknown".to_string(), |d| d.year().to_string())
}

/// The counts of one summary, before suppression.
#[derive(Clone, Debug, PartialEq)]
pub struct Counts {
    /// The `--by` dimensions, in order.
    pub by: Vec<Dim>,
    /// One entry per row: the dimension values and a count per column.
    pub rows: Vec<(Vec<String>, Vec<u64>)>,
    /// Each column's total: every unit once.
    pub totals: Vec<u64>,
    /// Whether some unit falls in more than one row.
    pub overlap: bool,
}

/// Spreads the units over the rows of `by`.
pub fn tabulate(units: &[Unit<'_>], spec: &Spec, by: &[Dim], profile: Profile) -> Counts {
    let width = spec.columns.len();
    let mut cells: HashMap<Vec<String>, Vec<u64>> = HashMap::new();
    let mut totals = vec![0u64; width];
    let mut overlap = false;
    for unit in units {
        let mut keys: BTreeSet<Vec<String>> = BTreeSet::new();
        for fact in &unit.facts {
            let mut combos: Vec<Vec<String>> = vec![Vec::with_capacity(by.len())];
            for dim in by {
                let values = dim.values(fact, profile);
                combos = combos
                    .into_iter()
                    .flat_map(|c| {
                        values.iter().map(move |v| {
                            let mut c = c.clone();
                            c.push(v.clone());
                            c
                        })
                    })
                    .collect();
            }
            keys.extend(combos);
        }
        overlap |= keys.len() > 1;
        for key in keys {
            let row = cells.entry(key).or_insert_with(|| vec![0; width]);
            for &c in &unit.columns {
                row[c] += 1;
            }
        }
        for &c in &unit.columns {
            totals[c] += 1;
        }
    }
    let mut rows: Vec<(Vec<String>, Vec<u64>)> = cells.into_iter().collect();
    rows.sort_by_cached_key(|(key, _)| {
        key.iter()
            .zip(by)
            .map(|(v, d)| d.sort_key(v))
            .collect::<Vec<_>>()
    });
    Counts {
        by: by.to_vec(),
        rows,
        totals,
        overlap,
    }
}

/// Incidents whose dates are only a year, approximate, or unknown, among
/// those counted.
pub fn vague_dates(units: &[Unit<'_>]) -> (usize, usize) {
    let mut vague = BTreeSet::new();
    let mut unknown = BTreeSet::new();
    for fact in units.iter().flat_map(|u| u.facts.iter()) {
        match fact.precision {
            DatePrecision::Unknown => {
                unknown.insert(fact.incident_id);
            }
            DatePrecision::Year => {
                vague.insert(fact.incident_id);
            }
            _ if fact.approximate => {
                vague.insert(fact.incident_id);
            }
            _ => {}
        }
    }
    (vague.len(), unknown.len())
}

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

pub mod chart;
pub mod explain;
pub mod profiles;
pub mod render;
pub mod suppress;

use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

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

    /// The value of this dimension for one fact, without allocating
    /// where it can.
    fn val<'a>(self, fact: &'a Fact, profile: Profile) -> Val<'a> {
        const UNKNOWN: &str = "unknown";
        match self {
            Dim::Year => Val::Year(fact.date.map(|d| d.year())),
            Dim::Month => Val::Month(match (fact.date, fact.precision) {
                (Some(d), DatePrecision::Day | DatePrecision::Week | DatePrecision::Month) => {
                    Some((d.year(), d.month()))
                }
                _ => None,
            }),
            Dim::Country => Val::Text(&fact.country),
            Dim::Admin1 if fact.admin1.is_empty() => Val::Text(UNKNOWN),
            Dim::Admin1 => Val::Text(&fact.admin1),
            Dim::Act => Val::Text(fact.act_type.as_str()),
            Dim::DeathContext => Val::Text(match (fact.act_type, fact.death_context) {
                (ActType::Killed, Some(c)) => c.as_str(),
                (ActType::Killed, None) => UNKNOWN,
                _ => "not_killed",
            }),
            Dim::Actor => Val::Text(fact.actor.as_deref().unwrap_or(UNKNOWN)),
            Dim::ActorType => Val::Text(match (fact.actor_type, profile) {
                (t, Profile::Cpj) => t.unwrap_or(ActorType::Unknown).cpj_source_of_fire(),
                (Some(t), _) => t.as_str(),
                (None, _) => UNKNOWN,
            }),
            Dim::State => Val::Text(
                fact.actor_type
                    .map_or(StateSide::Unknown, |t| t.state_side())
                    .as_str(),
            ),
            Dim::Sex => Val::Text(fact.sex.as_str()),
            Dim::Category => Val::Text(fact.category.as_str()),
            Dim::Employment => Val::Text(fact.employment.as_str()),
            Dim::Medium => {
                let list: Vec<String> = serde_json::from_str(&fact.mediums).unwrap_or_default();
                if list.is_empty() {
                    Val::Text(UNKNOWN)
                } else {
                    Val::Texts(list)
                }
            }
            Dim::WorkLink => Val::Text(fact.work_link.as_str()),
            Dim::Verification => Val::Text(fact.verification.as_str()),
            Dim::Justice => Val::Text(fact.justice.as_str()),
        }
    }

    /// The values of this dimension for one fact (several for mediums).
    pub fn values(self, fact: &Fact, profile: Profile) -> Vec<String> {
        match self.val(fact, profile) {
            Val::Year(y) => vec![year_text(y)],
            Val::Month(m) => vec![month_text(m)],
            Val::Text(t) => vec![t.to_string()],
            Val::Texts(v) => v,
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

/// The facts a profile counts, and those it shows apart because their
/// incident is below its verification threshold (sdg: reported or
/// disputed). `named`: `--verification` named the levels, which are then
/// all counted.
pub fn split_by_verification(spec: &Spec, facts: Vec<Fact>, named: bool) -> (Vec<Fact>, Vec<Fact>) {
    if named
        || profiles::RECORDED
            .iter()
            .all(|v| spec.verification.contains(v))
    {
        return (facts, Vec::new());
    }
    facts
        .into_iter()
        .partition(|f| spec.counts_verification(f.verification, named))
}

/// The year a fact counts in, or "unknown".
pub fn year_of(fact: &Fact) -> String {
    fact.date
        .map_or_else(|| "unknown".to_string(), |d| d.year().to_string())
}

/// A dimension's value for one fact.
enum Val<'a> {
    Year(Option<i32>),
    Month(Option<(i32, u32)>),
    Text(&'a str),
    Texts(Vec<String>),
}

/// A year as the `year` dimension shows it ("unknown" when undated).
pub fn year_text(y: Option<i32>) -> String {
    y.map_or_else(|| "unknown".to_string(), |y| y.to_string())
}

fn month_text(m: Option<(i32, u32)>) -> String {
    m.map_or_else(|| "unknown".to_string(), |(y, m)| format!("{y}-{m:02}"))
}

/// A fast hasher for the small integer keys of counting (FxHash's mix):
/// SipHash's protection against chosen keys buys nothing here.
#[derive(Default, Clone, Copy)]
pub struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with the fast hasher.
pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// Every dimension at most once in `--by`, so a row key has room for all.
const MAX_DIMS: usize = 16;
type RowKey = [u32; MAX_DIMS];

/// Numbers for dimension values, so that spreading a million units over
/// the rows hashes small arrays and allocates nothing per unit.
struct Coder {
    maps: Vec<FxMap<String, u32>>,
    names: Vec<Vec<String>>,
}

impl Coder {
    fn codes(&mut self, pos: usize, val: Val<'_>, out: &mut Vec<u32>) {
        match val {
            // Year and month are their own codes (0: unknown).
            Val::Year(y) => out.push(y.map_or(0, |y| y.max(0) as u32 + 1)),
            Val::Month(m) => out.push(m.map_or(0, |(y, m)| y.max(0) as u32 * 100 + m)),
            Val::Text(t) => out.push(self.intern(pos, t)),
            Val::Texts(list) => {
                for t in &list {
                    let c = self.intern(pos, t);
                    out.push(c);
                }
            }
        }
    }

    fn intern(&mut self, pos: usize, t: &str) -> u32 {
        if let Some(&c) = self.maps[pos].get(t) {
            return c;
        }
        let c = self.names[pos].len() as u32;
        self.names[pos].push(t.to_string());
        self.maps[pos].insert(t.to_string(), c);
        c
    }

    fn decode(&self, pos: usize, dim: Dim, code: u32) -> String {
        match dim {
            Dim::Year => year_text(code.checked_sub(1).map(|y| y as i32)),
            Dim::Month => month_text((code > 0).then_some(((code / 100) as i32, code % 100))),
            _ => self.names[pos]
                .get(code as usize)
                .cloned()
                .unwrap_or_default(),
        }
    }
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

/// The counts of a summary as its units arrive, a few at a time: the
/// cells, not the units, are kept, so a summary's memory does not grow
/// with the registry. A unit must come whole in one `add` (all its facts).
pub struct Tally {
    by: Vec<Dim>,
    profile: Profile,
    width: usize,
    coder: Coder,
    cells: FxMap<RowKey, Vec<u64>>,
    totals: Vec<u64>,
    overlap: bool,
    keys: Vec<RowKey>,
    codes: Vec<u32>,
}

impl Tally {
    /// An empty tally for the rows of `by` and the columns of `spec`.
    pub fn new(spec: &Spec, by: &[Dim], profile: Profile) -> Tally {
        let by = by[..by.len().min(MAX_DIMS)].to_vec();
        let width = spec.columns.len();
        Tally {
            coder: Coder {
                maps: vec![FxMap::default(); by.len()],
                names: vec![Vec::new(); by.len()],
            },
            by,
            profile,
            width,
            cells: FxMap::default(),
            totals: vec![0u64; width],
            overlap: false,
            keys: Vec::new(),
            codes: Vec::new(),
        }
    }

    /// Counts `units`: each once in every row it falls in, and once in
    /// each of its columns' totals.
    pub fn add(&mut self, units: &[Unit<'_>]) {
        let Tally {
            by,
            profile,
            width,
            coder,
            cells,
            totals,
            overlap,
            keys,
            codes,
        } = self;
        for unit in units {
            keys.clear();
            for fact in &unit.facts {
                let start = keys.len();
                keys.push([0; MAX_DIMS]);
                for (pos, dim) in by.iter().enumerate() {
                    codes.clear();
                    coder.codes(pos, dim.val(fact, *profile), codes);
                    if let [one] = codes[..] {
                        for k in &mut keys[start..] {
                            k[pos] = one;
                        }
                    } else {
                        // Several values (mediums): one row key for each.
                        let partial: Vec<RowKey> = keys.drain(start..).collect();
                        for k in partial {
                            for &c in codes.iter() {
                                let mut k = k;
                                k[pos] = c;
                                keys.push(k);
                            }
                        }
                    }
                }
            }
            if keys.len() > 1 {
                keys.sort_unstable();
                keys.dedup();
            }
            *overlap |= keys.len() > 1;
            for key in keys.iter() {
                let row = cells.entry(*key).or_insert_with(|| vec![0; *width]);
                for &c in unit.columns.iter() {
                    row[c] += 1;
                }
            }
            for &c in unit.columns.iter() {
                totals[c] += 1;
            }
        }
    }

    /// The counts, rows in the order of their dimensions' values.
    pub fn finish(self) -> Counts {
        let Tally {
            by,
            coder,
            cells,
            totals,
            overlap,
            ..
        } = self;
        let mut rows: Vec<(Vec<String>, Vec<u64>)> = cells
            .into_iter()
            .map(|(key, counts)| {
                let values = by
                    .iter()
                    .enumerate()
                    .map(|(pos, dim)| coder.decode(pos, *dim, key[pos]))
                    .collect();
                (values, counts)
            })
            .collect();
        sort_rows(&by, &mut rows);
        Counts {
            by,
            rows,
            totals,
            overlap,
        }
    }
}

impl Counts {
    /// Counts whose cells were counted elsewhere (from the stored units,
    /// `db::units`), each unit once in every row it falls in and once in
    /// each column total: rows in `Tally::finish`'s order, and the rows
    /// overlap exactly when they add up to more than the totals (some unit
    /// is in several rows).
    pub fn from_cells(
        by: &[Dim],
        mut rows: Vec<(Vec<String>, Vec<u64>)>,
        totals: Vec<u64>,
    ) -> Counts {
        let by = by[..by.len().min(MAX_DIMS)].to_vec();
        sort_rows(&by, &mut rows);
        let in_rows: u64 = rows.iter().flat_map(|(_, cells)| cells).sum();
        let overlap = in_rows > totals.iter().sum();
        Counts {
            by,
            rows,
            totals,
            overlap,
        }
    }
}

/// Rows in the order of their dimensions' values.
fn sort_rows(by: &[Dim], rows: &mut [(Vec<String>, Vec<u64>)]) {
    rows.sort_by_cached_key(|(key, _)| {
        key.iter()
            .zip(by)
            .map(|(v, d)| d.sort_key(v))
            .collect::<Vec<_>>()
    });
}

/// Incidents whose dates are only a year, approximate, or unknown, among
/// those counted (a summary adds these up incident by incident: the facts
/// of one incident come together).
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

//! The counting profiles: what each monitor counts, and as what unit
//! (DESIGN §5). A profile turns facts into units; a unit counts once.
//!
//! Rules kept here (each is stated in the summary's heading):
//! * victims: a victim once per act type per year;
//! * incidents: an incident once, with its victims as a second column;
//! * sdg: a victim once per year under the most serious act
//!   (A > C > B > D > E > F);
//! * cpj: killed journalists (journalist, citizen journalist, media manager)
//!   and media workers whose killing is not known to be unrelated to their
//!   work, by year of death; journalists with the motive confirmed apart
//!   from the rest; death contexts for the confirmed cases, as CPJ does;
//! * sdg, rsf and nai count journalists and media workers only
//!   (`Category::is_media_personnel`), not family, outlets or others;
//! * rsf: a victim once per year under one status: killed > hostage
//!   (kidnapped, hostage) > detained > missing (disappeared, missing);
//! * nai: victims killed, abducted (kidnapped, hostage) or wounded by a
//!   perpetrator that was an armed group on the act's date, once per year
//!   under the gravest of the three.

use chrono::Datelike;

use super::FxMap;
use crate::db::facts::Fact;
use crate::vocab::*;

/// A counting profile (`--profile`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Profile {
    /// Every act type; a victim once per act type per year
    Victims,
    /// Every incident once, with the number of its victims
    Incidents,
    /// UN SDG 16.10.1: a victim once per year under the most serious act
    Sdg,
    /// CPJ: killed journalists and media workers, by year of death
    Cpj,
    /// RSF: killed, hostage, detained, missing; one status per person
    Rsf,
    /// Killed, wounded or abducted by armed groups
    Nai,
}

impl Profile {
    /// The profile's name, as `--profile` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Victims => "victims",
            Profile::Incidents => "incidents",
            Profile::Sdg => "sdg",
            Profile::Cpj => "cpj",
            Profile::Rsf => "rsf",
            Profile::Nai => "nai",
        }
    }

    /// Whether the profile's rule reads the victim's category (all but
    /// victims and incidents count journalists and media workers only).
    pub fn needs_categories(self) -> bool {
        !matches!(self, Profile::Victims | Profile::Incidents)
    }

    /// Whether the profile needs each act's perpetrators.
    pub fn needs_actors(self) -> bool {
        matches!(self, Profile::Nai)
    }

    /// The columns, rule and relations of the profile.
    pub fn spec(self) -> Spec {
        let cols = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        match self {
            Profile::Victims => Spec {
                rule: "each victim once per act type per year (a victim killed and wounded counts under both)",
                columns: cols(&["victims"]),
                relations: vec![],
                main: 0,
            },
            Profile::Incidents => Spec {
                rule: "each incident once, with the number of its victims",
                columns: cols(&["incidents", "victims"]),
                relations: vec![],
                main: 0,
            },
            Profile::Sdg => Spec {
                rule: "UN SDG 16.10.1: each journalist or media worker once per year under the most serious act (A > C > B > D > E > F)",
                columns: cols(&[
                    "a_killing",
                    "b_disappearance",
                    "c_torture",
                    "d_detention",
                    "e_kidnapping",
                    "f_other",
                    "victims",
                ]),
                relations: vec![(6, vec![0, 1, 2, 3, 4, 5])],
                main: 6,
            },
            Profile::Cpj => Spec {
                rule: "CPJ: journalists and media workers killed, by year of death; motive confirmed apart from unconfirmed; death context for confirmed cases",
                columns: cols(&[
                    "killed",
                    "confirmed",
                    "unconfirmed",
                    "media_workers",
                    "murder",
                    "crossfire",
                    "dangerous_assignment",
                    "unknown",
                ]),
                relations: vec![(0, vec![1, 2, 3]), (1, vec![4, 5, 6, 7])],
                main: 0,
            },
            Profile::Rsf => Spec {
                rule: "RSF: each journalist or media worker once per year under one status: killed > hostage > detained > missing",
                columns: cols(&["killed", "hostage", "detained", "missing", "victims"]),
                relations: vec![(4, vec![0, 1, 2, 3])],
                main: 4,
            },
            Profile::Nai => Spec {
                rule: "journalists and media workers killed, abducted or wounded by armed groups (the actor's type on the act's date), each once per year under the gravest",
                columns: cols(&["killed", "abducted", "wounded", "victims"]),
                relations: vec![(3, vec![0, 1, 2])],
                main: 3,
            },
        }
    }

    /// The units of this profile among `facts`.
    pub fn units<'a>(self, facts: &'a [Fact]) -> Vec<Unit<'a>> {
        match self {
            Profile::Victims => group(facts, |f| {
                Some((f.victim_id, f.act_type as i64, f.date.map(|d| d.year())))
            })
            .into_iter()
            .map(|facts| Unit {
                facts,
                columns: Columns::new(&[0]),
            })
            .collect(),
            Profile::Incidents => {
                let mut units: Vec<Unit<'a>> = group(facts, |f| Some((f.incident_id, 0, None)))
                    .into_iter()
                    .map(|facts| Unit {
                        facts,
                        columns: Columns::new(&[0]),
                    })
                    .collect();
                units.extend(
                    group(facts, |f| Some((f.victim_id, 0, None)))
                        .into_iter()
                        .map(|facts| Unit {
                            facts,
                            columns: Columns::new(&[1]),
                        }),
                );
                units
            }
            Profile::Sdg => gravest(facts, |f| {
                if !f.category.is_media_personnel() {
                    return None;
                }
                let col = match f.act_type.sdg() {
                    SdgCategory::A => 0,
                    SdgCategory::B => 1,
                    SdgCategory::C => 2,
                    SdgCategory::D => 3,
                    SdgCategory::E => 4,
                    SdgCategory::F => 5,
                };
                Some((f.act_type.sdg().seriousness(), Columns::new(&[col, 6])))
            }),
            Profile::Cpj => gravest(facts, |f| {
                if f.act_type != ActType::Killed || f.work_link == WorkLink::NotWorkRelated {
                    return None;
                }
                let cols = match cpj_kind(f.category)? {
                    CpjKind::MediaWorker => Columns::new(&[0, 3]),
                    CpjKind::Journalist if f.work_link == WorkLink::Confirmed => {
                        Columns::new(&[0, 1, cpj_death_column(f.death_context)])
                    }
                    CpjKind::Journalist => Columns::new(&[0, 2]),
                };
                Some((1, cols))
            }),
            Profile::Rsf => gravest(facts, |f| {
                if !f.category.is_media_personnel() {
                    return None;
                }
                use ActType::*;
                let (rank, col) = match f.act_type {
                    Killed => (4, 0),
                    Kidnapped | Hostage => (3, 1),
                    Detained => (2, 2),
                    Disappeared | Missing => (1, 3),
                    _ => return None,
                };
                Some((rank, Columns::new(&[col, 4])))
            }),
            Profile::Nai => gravest(facts, |f| {
                if f.actor_type != Some(ActorType::ArmedGroup) || !f.category.is_media_personnel() {
                    return None;
                }
                use ActType::*;
                let (rank, col) = match f.act_type {
                    Killed => (3, 0),
                    Kidnapped | Hostage => (2, 1),
                    Wounded => (1, 2),
                    _ => return None,
                };
                Some((rank, Columns::new(&[col, 3])))
            }),
        }
    }
}

/// The shape of a profile's table.
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    /// The rule, as the heading states it.
    pub rule: &'static str,
    /// The count columns, as CSV headers and JSON fields.
    pub columns: Vec<String>,
    /// Columns that are the sum of others in every row: (total, parts).
    pub relations: Vec<(usize, Vec<usize>)>,
    /// The column the terminal bars are drawn for.
    pub main: usize,
}

/// One thing counted once: the facts it stands on and its columns.
#[derive(Clone, Debug, PartialEq)]
pub struct Unit<'a> {
    pub facts: Vec<&'a Fact>,
    pub columns: Columns,
}

/// The columns a unit counts in: at most three, kept inline because a
/// summary makes a million of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Columns {
    cols: [usize; 3],
    len: usize,
}

impl Columns {
    /// The columns `c` (beyond three are ignored: no profile has more).
    pub fn new(c: &[usize]) -> Columns {
        let len = c.len().min(3);
        let mut cols = [0; 3];
        cols[..len].copy_from_slice(&c[..len]);
        Columns { cols, len }
    }
}

impl std::ops::Deref for Columns {
    type Target = [usize];
    fn deref(&self) -> &[usize] {
        &self.cols[..self.len]
    }
}

type Key = (i64, i64, Option<i32>);

/// Groups facts by key, keeping the order facts first appear in.
fn group<'a>(facts: &'a [Fact], key: impl Fn(&Fact) -> Option<Key>) -> Vec<Vec<&'a Fact>> {
    let mut index: FxMap<Key, usize> =
        FxMap::with_capacity_and_hasher(facts.len(), Default::default());
    let mut groups: Vec<Vec<&'a Fact>> = Vec::new();
    for f in facts {
        let Some(k) = key(f) else { continue };
        let i = *index.entry(k).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[i].push(f);
    }
    groups
}

/// One unit per victim and year: the facts of the gravest qualifying acts
/// (by `rank`), counted in the columns of the first of them.
fn gravest<'a>(facts: &'a [Fact], rank: impl Fn(&Fact) -> Option<(u8, Columns)>) -> Vec<Unit<'a>> {
    let mut index: FxMap<Key, usize> =
        FxMap::with_capacity_and_hasher(facts.len(), Default::default());
    let mut units: Vec<(u8, Unit<'a>)> = Vec::new();
    for f in facts {
        let Some((r, columns)) = rank(f) else {
            continue;
        };
        let k = (f.victim_id, 0, f.date.map(|d| d.year()));
        match index.get(&k) {
            Some(&i) => {
                let (best, unit) = &mut units[i];
                if r > *best {
                    *best = r;
                    *unit = Unit {
                        facts: vec![f],
                        columns,
                    };
                } else if r == *best {
                    unit.facts.push(f);
                }
            }
            None => {
                index.insert(k, units.len());
                units.push((
                    r,
                    Unit {
                        facts: vec![f],
                        columns,
                    },
                ));
            }
        }
    }
    units.into_iter().map(|(_, u)| u).collect()
}

enum CpjKind {
    Journalist,
    MediaWorker,
}

/// CPJ counts journalists (its definition takes in citizen journalists and
/// editors or managers of outlets) and media workers (drivers, fixers,
/// translators…); not government media officials, outlets or associates.
fn cpj_kind(c: Category) -> Option<CpjKind> {
    match c {
        Category::Journalist | Category::CitizenJournalist | Category::MediaManager => {
            Some(CpjKind::Journalist)
        }
        Category::MediaWorker => Some(CpjKind::MediaWorker),
        _ => None,
    }
}

/// CPJ's type of death: murder (targeted, in custody, after an assault),
/// crossfire (also indiscriminate attacks), dangerous assignment, unknown.
fn cpj_death_column(c: Option<DeathContext>) -> usize {
    use DeathContext::*;
    match c {
        Some(Targeted | InCustody | AfterAssault) => 4,
        Some(Crossfire | Indiscriminate) => 5,
        Some(DangerousAssignment) => 6,
        Some(Unknown) | None => 7,
    }
}

/// Why a killed victim is not in the CPJ count, or None if it is.
pub fn cpj_exclusion(f: &Fact) -> Option<String> {
    if cpj_kind(f.category).is_none() {
        return Some(format!("{} not a journalist or media worker", f.category));
    }
    if f.work_link == WorkLink::NotWorkRelated {
        return Some("killing not related to their work".to_string());
    }
    None
}

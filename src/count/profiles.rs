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
//! * rsf: a victim once per year under one status: killed (unless the
//!   killing is known to be unrelated to their work) > hostage > detained >
//!   missing, where hostage, detained and missing count a person still held
//!   or missing on each 1 December of the period, whenever they were taken
//!   (`rsf_round_ups`, `rsf_status`);
//! * nai: victims killed, abducted (kidnapped, hostage) or wounded by a
//!   perpetrator that was an armed group on the act's date, once per year
//!   under the gravest of the three;
//! * each profile states which verification levels it counts (sdg: verified
//!   and corroborated incidents only, the rest shown apart) and which links
//!   make an actor the perpetrator (`Attribution::PERPETRATOR` for all).

use chrono::{Datelike, NaiveDate};

use super::FxMap;
use crate::db::facts::Fact;
use crate::db::query::Attribution;
use crate::vocab::*;

/// The verification levels every profile but sdg counts: all but the
/// rejected, duplicate and out-of-scope records a summary leaves out.
pub const RECORDED: &[Verification] = &[
    Verification::Reported,
    Verification::Corroborated,
    Verification::Verified,
    Verification::Disputed,
];

/// The levels sdg counts: what two independent sources or the
/// documenters' own review have established.
const ESTABLISHED: &[Verification] = &[Verification::Corroborated, Verification::Verified];

/// A counting profile (`--profile`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Profile {
    /// Every act type; a victim once per act type per year
    Victims,
    /// Every incident once, with the number of its victims
    Incidents,
    /// UN SDG 16.10.1: a victim once per year under the most serious act; verified cases
    Sdg,
    /// CPJ: killed journalists and media workers, by year of death
    Cpj,
    /// RSF: killed; hostage, detained, missing on 1 December; one status per person
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
                acts: "every act type",
                victims: "everyone recorded as a victim, including family, associates and outlets",
                verification: RECORDED,
                attribution: Attribution::PERPETRATOR,
                dates: "an act counts in the year of its own date, else its incident's",
                method: "pressreg's own count, no outside method",
            },
            Profile::Incidents => Spec {
                rule: "each incident once, with the number of its victims",
                columns: cols(&["incidents", "victims"]),
                relations: vec![],
                main: 0,
                acts: "every act type",
                victims: "everyone recorded as a victim",
                verification: RECORDED,
                attribution: Attribution::PERPETRATOR,
                dates: "an incident counts in each year one of its acts is dated in",
                method: "pressreg's own count, no outside method",
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
                acts: "killing (A), enforced disappearance (B), torture (C), arbitrary detention (D), kidnapping (E), other attacks (F)",
                victims: "journalists, citizen journalists, media workers and managers, government media officials",
                verification: ESTABLISHED,
                attribution: Attribution::PERPETRATOR,
                dates: "the year of the act's own date, else its incident's",
                method: "UN SDG indicator 16.10.1 metadata (UNESCO, OHCHR): verified cases only; https://unstats.un.org/sdgs/metadata/files/Metadata-16-10-01.pdf",
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
                acts: "killings; not a killing known to be unrelated to their work",
                victims: "journalists (with citizen journalists and media managers) and media workers",
                verification: RECORDED,
                attribution: Attribution::PERPETRATOR,
                dates: "the year of death",
                method: "CPJ's database methodology: motive confirmed or unconfirmed, media workers apart; https://cpj.org/data-methodology/",
            },
            Profile::Rsf => Spec {
                rule: "RSF: each journalist or media worker once per year under one status: killed in connection with their work > hostage > detained > missing, the last three only if still held or missing on 1 December",
                columns: cols(&["killed", "hostage", "detained", "missing", "victims"]),
                relations: vec![(4, vec![0, 1, 2, 3])],
                main: 4,
                acts: "killed in connection with their work (not a killing known to be unrelated to it); hostage (kidnapped, hostage), detained and missing (disappeared, missing, or taken with their fate unknown) if still held or missing on 1 December, whatever year they were taken",
                victims: "journalists, citizen journalists, media workers and managers, government media officials",
                verification: RECORDED,
                attribution: Attribution::PERPETRATOR,
                dates: "killed: the year of death; held or missing: every 1 December from when they were taken, judged by the victim's status now",
                method: "RSF's yearly round-up (killed 1 Jan to 1 Dec in connection with their work; detained and hostage: held on 1 Dec; missing: cumulative), e.g. Round-up 2021 of 16 December 2021; https://rsf.org/en/barometer",
            },
            Profile::Nai => Spec {
                rule: "journalists and media workers killed, abducted or wounded by armed groups (the actor's type on the act's date), each once per year under the gravest",
                columns: cols(&["killed", "abducted", "wounded", "victims"]),
                relations: vec![(3, vec![0, 1, 2])],
                main: 3,
                acts: "killed, abducted (kidnapped, hostage) or wounded",
                victims: "journalists, citizen journalists, media workers and managers, government media officials",
                verification: RECORDED,
                attribution: Attribution::PERPETRATOR,
                dates: "the year of the act's own date, else its incident's; the actor's type on those dates",
                method: "the \"at least N journalists killed, wounded or abducted by armed groups\" figure of Afghan media monitors such as Nai; no published method",
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
                let (rank, col) = match rsf_status(f) {
                    Ok(RsfStatus::Killed) => (4, 0),
                    Ok(RsfStatus::Hostage) => (3, 1),
                    Ok(RsfStatus::Detained) => (2, 2),
                    Ok(RsfStatus::Missing) => (1, 3),
                    Err(_) => return None,
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
    /// What is done to a victim that counts.
    pub acts: &'static str,
    /// Who counts as a victim.
    pub victims: &'static str,
    /// The verification levels counted when `--verification` names none;
    /// the others are shown apart.
    pub verification: &'static [Verification],
    /// Which links make an actor the perpetrator.
    pub attribution: Attribution,
    /// Which date a unit counts on.
    pub dates: &'static str,
    /// The published method followed, with where it is published.
    pub method: &'static str,
}

impl Spec {
    /// Whether the profile counts a fact at this verification level;
    /// `named`: the filter named the levels, which are then counted as
    /// asked.
    pub fn counts_verification(&self, v: Verification, named: bool) -> bool {
        named || self.verification.contains(&v)
    }

    /// The verification rule in words.
    pub fn verification_rule(&self) -> String {
        let names =
            |v: &[Verification]| v.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ");
        let apart: Vec<Verification> = RECORDED
            .iter()
            .filter(|v| !self.verification.contains(v))
            .copied()
            .collect();
        if apart.is_empty() {
            format!(
                "{} (not rejected, duplicate or out_of_scope)",
                names(self.verification)
            )
        } else {
            format!(
                "{} only; {} shown apart as not yet verified",
                names(self.verification),
                names(&apart)
            )
        }
    }
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

/// The status RSF's round-up counts a fact under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RsfStatus {
    Killed,
    Hostage,
    Detained,
    Missing,
}

/// Why RSF's round-up does not count a fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RsfOut {
    /// Not an act the round-up counts (wounded, threatened…).
    OtherAct,
    /// A killing known to be unrelated to the victim's work.
    NotWorkRelated,
    /// Taken, then released, escaped, exiled, found or dead: the status
    /// says they are no longer held (the registry has no day of release,
    /// so someone freed after 1 December is left out too).
    NoLongerHeld(VictimStatus),
    /// The status is unknown: whether they were still held cannot be told.
    StatusUnknown,
    /// Taken after 1 December, or on a day not known: the round-up of that
    /// year was already made, or the day cannot be placed before it.
    AfterRoundUp,
}

/// The 1 December of a fact's year: the day RSF's round-up counts who is
/// held, or None for an undated fact.
pub fn round_up_day(f: &Fact) -> Option<NaiveDate> {
    f.date
        .and_then(|d| NaiveDate::from_ymd_opt(d.year(), 12, 1))
}

/// RSF's status for one fact, or why the round-up leaves it out. Killed:
/// in connection with their work, which RSF requires, so not a killing
/// known to be unrelated (`not_work_related`). Hostage, detained, missing:
/// a stock on 1 December, not the events of the year, so the act must be
/// dated by then and the victim still held (status `held`) or missing
/// (status `missing`; someone taken whose fate is unknown counts as
/// missing, as RSF counts them). The status is where the victim stands
/// now: the registry keeps no day of release.
pub fn rsf_status(f: &Fact) -> Result<RsfStatus, RsfOut> {
    if f.act_type == ActType::Killed {
        return rsf_held(f);
    }
    match (f.date, round_up_day(f)) {
        (Some(d), Some(day)) if d <= day => rsf_held(f),
        _ => {
            // Still say why a fact that is not held at all is left out.
            rsf_held(f)?;
            Err(RsfOut::AfterRoundUp)
        }
    }
}

/// RSF's status for one fact whatever its date: killed (in connection with
/// their work), or, by the victim's status now, held or missing.
fn rsf_held(f: &Fact) -> Result<RsfStatus, RsfOut> {
    use ActType::*;
    if f.act_type == Killed {
        return if f.work_link == WorkLink::NotWorkRelated {
            Err(RsfOut::NotWorkRelated)
        } else {
            Ok(RsfStatus::Killed)
        };
    }
    match (f.act_type, f.status) {
        (Kidnapped | Hostage, VictimStatus::Held) => Ok(RsfStatus::Hostage),
        (Detained, VictimStatus::Held) => Ok(RsfStatus::Detained),
        (Kidnapped | Hostage | Detained | Disappeared | Missing, VictimStatus::Missing) => {
            Ok(RsfStatus::Missing)
        }
        (Disappeared | Missing, VictimStatus::Held) => Ok(RsfStatus::Missing),
        (Kidnapped | Hostage | Detained | Disappeared | Missing, VictimStatus::Unknown) => {
            Err(RsfOut::StatusUnknown)
        }
        (Kidnapped | Hostage | Detained | Disappeared | Missing, status) => {
            Err(RsfOut::NoLongerHeld(status))
        }
        _ => Err(RsfOut::OtherAct),
    }
}

/// The facts RSF's round-ups count over a period (`from`, `to`, inclusive;
/// open when None), read no later than `today`: the killings dated in the
/// period, and for every person taken (in the period or before it) and
/// still held or missing, one copy of the act dated on each 1 December of
/// the period since they were taken. RSF's held and missing figures are a
/// stock on the day of the round-up, not the events of the year: someone
/// held since 2019 counts in 2019, 2020 and 2021.
pub fn rsf_round_ups(
    in_period: &[Fact],
    before: &[Fact],
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<Fact> {
    let last = to.map_or(today, |t| t.min(today));
    let mut out = Vec::new();
    for f in in_period.iter().chain(before) {
        let Some(date) = f.date else { continue };
        match rsf_held(f) {
            Ok(RsfStatus::Killed) => {
                if from.is_none_or(|d| date >= d) {
                    out.push(f.clone());
                }
            }
            Ok(_) => {
                let mut year = date.year();
                while let Some(day) = NaiveDate::from_ymd_opt(year, 12, 1) {
                    if day > last {
                        break;
                    }
                    if day >= date && from.is_none_or(|d| day >= d) {
                        let mut held = f.clone();
                        // The act's own precision stays: the footnote on
                        // vague dates is about what is known of it.
                        held.date = Some(day);
                        out.push(held);
                    }
                    year += 1;
                }
            }
            Err(_) => {}
        }
    }
    out
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

//! Likely duplicate incidents (`pressreg duplicates`): which pairs of
//! records are compared, how a pair is scored and why. Pure: the command
//! reads the records (as its audience may see them) and hands them here.
//!
//! **Blocking.** Only incidents in the same country whose dates lie within
//! `WINDOW_DAYS` of each other are compared (each country's incidents are
//! sorted by date and swept once), so the work grows with the registry
//! times the incidents of a month in one country, never with all pairs.
//! Undated incidents are not compared. Names are folded into keys once per
//! victim (`names`), not once per comparison.
//!
//! **Score** (0–100; a pair is listed from `THRESHOLD`):
//! - the same victim: the same name 60, a transliteration variant 50, a
//!   longer name holding every token of the other 35, a one-word name 30;
//!   both incidents name victims and none is the same person: −20;
//! - dates: the same day 20, 1–3 days apart 15, 4–7 days 10, 8–31 days 3;
//!   when either date is only a month, a year or a range, 5 if the periods
//!   overlap and nothing if they do not;
//! - the same country 5, province 10, district or locality 5;
//! - the same outlet 15 (two reports of one attack on unnamed staff of one
//!   outlet, on one day in one province, reach the threshold).

pub mod names;

use std::collections::HashMap;

use chrono::NaiveDate;

use names::{NameKey, NameMatch};

/// The widest gap in days between two incidents' dates that may still be
/// one attack reported twice.
pub const WINDOW_DAYS: i64 = 31;

/// The lowest score listed.
pub const THRESHOLD: i32 = 50;

/// One incident, as the audience may see it.
#[derive(Clone, Debug, Default)]
pub struct Record {
    pub reference: String,
    pub start: Option<NaiveDate>,
    /// The last day it may have happened on (= start for a single day).
    pub end: Option<NaiveDate>,
    /// Whether the date is a single day (not a month, a year or a range).
    pub exact_day: bool,
    pub country: String,
    pub admin1: String,
    pub admin2: String,
    pub locality: String,
    pub victims: Vec<Person>,
}

/// One victim, as the audience may see it.
#[derive(Clone, Debug, Default)]
pub struct Person {
    /// How the victim is shown (a name, a pseudonym, `unnamed`).
    pub label: String,
    /// The name and its variants the audience may see (none for a victim
    /// it sees by pseudonym).
    pub names: Vec<String>,
    /// The outlet the audience may see ("" when it may not).
    pub outlet: String,
}

/// A likely duplicate: indexes into the records given, `first` < `second`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    pub score: i32,
    pub first: usize,
    pub second: usize,
    pub reasons: Vec<String>,
}

/// A record with its keys computed once.
struct Keyed<'r> {
    record: &'r Record,
    /// Per victim, the keys of its names.
    victims: Vec<Vec<NameKey>>,
    /// Each outlet's key with the outlet as recorded.
    outlets: Vec<(NameKey, &'r str)>,
    start: NaiveDate,
    end: NaiveDate,
}

/// Every pair of `records` scoring `THRESHOLD` or more, best first (then by
/// the records' order).
pub fn find(records: &[Record]) -> Vec<Pair> {
    let mut by_country: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        if r.start.is_some() {
            by_country.entry(r.country.as_str()).or_default().push(i);
        }
    }
    let keyed: Vec<Option<Keyed<'_>>> = records
        .iter()
        .map(|r| {
            let start = r.start?;
            Some(Keyed {
                record: r,
                victims: r
                    .victims
                    .iter()
                    .map(|v| v.names.iter().filter_map(|n| names::key(n)).collect())
                    .collect(),
                outlets: r
                    .victims
                    .iter()
                    .filter_map(|v| Some((names::key(&v.outlet)?, v.outlet.trim())))
                    .collect(),
                start,
                end: r.end.unwrap_or(start).max(start),
            })
        })
        .collect();
    let mut pairs = Vec::new();
    for members in by_country.values_mut() {
        members.sort_by_key(|&i| (keyed[i].as_ref().map(|k| k.start), i));
        for (n, &i) in members.iter().enumerate() {
            let Some(a) = &keyed[i] else { continue };
            let reach = a.end + chrono::Duration::days(WINDOW_DAYS);
            for &j in &members[n + 1..] {
                let Some(b) = &keyed[j] else { continue };
                if b.start > reach {
                    break;
                }
                let (first, second) = if i < j { (i, j) } else { (j, i) };
                let (x, y) = if i < j { (a, b) } else { (b, a) };
                if let Some((points, _)) = score(x, y, false) {
                    let reasons = score(x, y, true).map(|(_, r)| r).unwrap_or_default();
                    pairs.push(Pair {
                        score: points,
                        first,
                        second,
                        reasons,
                    });
                }
            }
        }
    }
    pairs.sort_by(|p, q| {
        q.score
            .cmp(&p.score)
            .then(p.first.cmp(&q.first))
            .then(p.second.cmp(&q.second))
    });
    pairs
}

/// The best match between a victim of `a` and one of `b`, with their labels.
fn same_victim<'r>(a: &Keyed<'r>, b: &Keyed<'r>) -> Option<(NameMatch, &'r str, &'r str)> {
    let mut best: Option<(NameMatch, &str, &str)> = None;
    for (va, ka) in a.record.victims.iter().zip(&a.victims) {
        for (vb, kb) in b.record.victims.iter().zip(&b.victims) {
            for x in ka {
                for y in kb {
                    if let Some(m) = names::compare(x, y) {
                        // A one-word name is weak evidence: Maher is many people.
                        let m = if m == NameMatch::Same && x.tokens.len() < 2 {
                            NameMatch::Partial
                        } else {
                            m
                        };
                        if best.is_none_or(|(bm, _, _)| m > bm) {
                            best = Some((m, &va.label, &vb.label));
                        }
                    }
                }
            }
        }
    }
    best
}

/// The score of a pair and its reasons, if it reaches `THRESHOLD`. Most
/// pairs compared do not: the reasons are worded only for those that do
/// (`explain`), so a sweep over 100,000 incidents formats no text it
/// throws away.
fn score(a: &Keyed<'_>, b: &Keyed<'_>, explain: bool) -> Option<(i32, Vec<String>)> {
    let mut total = 0;
    let mut reasons = Vec::new();
    macro_rules! say {
        ($($t:tt)*) => {
            if explain {
                reasons.push(format!($($t)*));
            }
        };
    }
    match same_victim(a, b) {
        Some((m, la, lb)) => {
            let one_word = a
                .victims
                .iter()
                .chain(&b.victims)
                .flatten()
                .all(|k| k.tokens.len() < 2);
            match m {
                NameMatch::Same => {
                    total += 60;
                    say!("same victim ({la})");
                }
                NameMatch::Variant => {
                    total += 50;
                    say!("same victim spelled differently ({la} / {lb})");
                }
                NameMatch::Partial if one_word => {
                    total += 30;
                    say!("same one-word name ({la} / {lb})");
                }
                NameMatch::Partial => {
                    total += 35;
                    say!("same victim, fuller name ({la} / {lb})");
                }
            }
        }
        None => {
            let named = |k: &Keyed<'_>| k.victims.iter().any(|v| !v.is_empty());
            if named(a) && named(b) {
                total -= 20;
                say!("different victims named");
            }
        }
    }
    let gap = if b.start > a.end {
        (b.start - a.end).num_days()
    } else if a.start > b.end {
        (a.start - b.end).num_days()
    } else {
        0
    };
    let exact = a.record.exact_day && b.record.exact_day;
    let plural = if gap == 1 { "" } else { "s" };
    // A month or a year is not a day: two such periods side by side (31
    // December, 1 January) say nothing of one attack.
    match gap {
        0 if exact => {
            total += 20;
            say!("same day ({})", a.start);
        }
        0 => {
            total += 5;
            say!("overlapping dates");
        }
        _ => {
            total += match gap {
                _ if !exact => 0,
                1..=3 => 15,
                4..=7 => 10,
                _ => 3,
            };
            say!("dates {gap} day{plural} apart");
        }
    }
    total += 5;
    say!("same country ({})", a.record.country);
    let same = |x: &str, y: &str| !x.trim().is_empty() && x.trim().eq_ignore_ascii_case(y.trim());
    if same(&a.record.admin1, &b.record.admin1) {
        total += 10;
        say!("same province ({})", a.record.admin1.trim());
    }
    if same(&a.record.admin2, &b.record.admin2) {
        total += 5;
        say!("same district ({})", a.record.admin2.trim());
    } else if same(&a.record.locality, &b.record.locality) {
        total += 5;
        say!("same locality ({})", a.record.locality.trim());
    }
    // One outlet named more fully in one report (Gharghasht TV / Gharghasht
    // TV; head of Boost radio) is still the same outlet.
    let outlet = a.outlets.iter().find_map(|(x, shown)| {
        let other = b
            .outlets
            .iter()
            .find(|(y, _)| names::compare(x, y).is_some())?;
        Some(if shown.len() <= other.1.len() {
            *shown
        } else {
            other.1
        })
    });
    if let Some(o) = outlet {
        total += 15;
        say!("same outlet ({o})");
    }
    (total >= THRESHOLD).then_some((total.min(100), reasons))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    fn record(reference: &str, date: &str, admin1: &str, victim: &str, outlet: &str) -> Record {
        Record {
            reference: reference.into(),
            start: day(date),
            end: day(date),
            exact_day: true,
            country: "AF".into(),
            admin1: admin1.into(),
            victims: vec![Person {
                label: victim.into(),
                names: vec![victim.into()],
                outlet: outlet.into(),
            }],
            ..Record::default()
        }
    }

    #[test]
    fn the_issues_hemat_reports_pair_with_their_reasons() {
        let mut a = record(
            "AF-2021-0001",
            "2021-08-08",
            "Helmand",
            "Nematullah Hemat",
            "Ghag Radio",
        );
        a.locality = "Lashkar Gah".into();
        let mut b = record(
            "AF-2021-0002",
            "2021-08-09",
            "Helmand",
            "Nimatullah Hemat",
            "Ghag Radio",
        );
        b.admin2 = "Nawa".into();
        let pairs = find(&[a, b]);
        assert_eq!(
            pairs,
            vec![Pair {
                score: 95,
                first: 0,
                second: 1,
                reasons: vec![
                    "same victim spelled differently (Nematullah Hemat / Nimatullah Hemat)".into(),
                    "dates 1 day apart".into(),
                    "same country (AF)".into(),
                    "same province (Helmand)".into(),
                    "same outlet (Ghag Radio)".into(),
                ]
            }]
        );
    }

    #[test]
    fn other_countries_far_dates_and_undated_records_are_not_compared() {
        let a = record("AF-2021-0001", "2021-08-08", "", "Toofan Omar", "");
        let mut b = a.clone();
        b.country = "PK".into();
        let c = record("AF-2021-0003", "2021-10-08", "", "Toofan Omar", "");
        let mut d = a.clone();
        d.start = None;
        d.end = None;
        assert_eq!(find(&[a, b, c, d]), vec![]);
    }

    #[test]
    fn different_named_victims_on_one_day_are_not_listed() {
        let a = record(
            "AF-2021-0001",
            "2021-08-08",
            "Helmand",
            "Mina Khairi",
            "Ghag Radio",
        );
        let b = record(
            "AF-2021-0002",
            "2021-08-08",
            "Helmand",
            "Sadia Sharifi",
            "Ghag Radio",
        );
        assert_eq!(find(&[a, b]), vec![]);
    }

    #[test]
    fn unnamed_victims_pair_only_on_day_place_and_outlet() {
        let a = record("AF-2021-0001", "2021-08-08", "Helmand", "", "Ghag Radio");
        let b = record("AF-2021-0002", "2021-08-08", "Helmand", "", "Ghag Radio");
        let c = record("AF-2021-0003", "2021-08-08", "Kabul", "", "Ghag Radio");
        let found = find(&[a, b, c]);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].first, found[0].second, found[0].score),
            (0, 1, 50)
        );
    }

    #[test]
    fn year_precision_dates_pair_on_the_full_name_only() {
        let mut a = record("IQ-2006-0001", "2006-01-01", "", "Maher", "");
        a.end = day("2006-12-31");
        a.exact_day = false;
        let mut b = a.clone();
        b.reference = "IQ-2006-0002".into();
        assert_eq!(find(&[a.clone(), b]), vec![]);
        let mut c = a.clone();
        c.victims[0].names = vec!["Ali Hussein Maher".into()];
        let mut d = c.clone();
        d.victims[0].names = vec!["Ali Husein Maher".into()];
        let found = find(&[c, d]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].score, 60);
    }

    #[test]
    fn pairs_come_best_first() {
        let a = record("AF-2021-0001", "2021-08-08", "Helmand", "Toofan Omar", "");
        let b = record("AF-2021-0002", "2021-08-20", "", "Toofan Omari", "");
        let c = record("AF-2021-0003", "2021-08-08", "Helmand", "Toofan Omar", "");
        let found = find(&[a, b, c]);
        let order: Vec<(usize, usize, i32)> =
            found.iter().map(|p| (p.first, p.second, p.score)).collect();
        assert_eq!(order, vec![(0, 2, 95), (0, 1, 58), (1, 2, 58)]);
    }
}

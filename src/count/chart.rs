//! The yearly series of a summary as stacked bars (`--chart`): the
//! numbers behind the picture are the summary's own units, and a count
//! below `--min-cell` is not drawn.

use std::collections::{BTreeMap, BTreeSet};

use super::{year_of, Dim, Profile, Spec, Unit};
use crate::chart::StackedBars;

/// The yearly series as stacked bars: one bar per year, one layer per act
/// type (victims, incidents), per column of the profile's rule (sdg, cpj,
/// rsf, nai), or per value of the first `--by` dimension other than year;
/// the title names the records counted (`scope`, the filters in words).
#[cfg(test)]
pub fn stacked_bars(
    profile: Profile,
    by: &[Dim],
    min: u64,
    units: &[Unit<'_>],
    spec: &Spec,
    scope: &str,
) -> StackedBars {
    let mut bars = Bars::new(profile, by, spec);
    bars.add(units);
    bars.finish(min, scope)
}

/// The bars as units arrive, a few at a time (a unit comes whole in one
/// `add`): only the cells are kept.
pub struct Bars<'s> {
    profile: Profile,
    spec: &'s Spec,
    series_dim: Option<Dim>,
    by_column: bool,
    parts: Vec<usize>,
    cells: BTreeMap<(String, String), u64>,
    years: BTreeSet<String>,
    names: Vec<String>,
}

impl<'s> Bars<'s> {
    /// No bars yet, for a summary of `profile` by `by`.
    pub fn new(profile: Profile, by: &[Dim], spec: &'s Spec) -> Bars<'s> {
        let series_dim = by.iter().copied().find(|d| *d != Dim::Year);
        Bars {
            profile,
            spec,
            series_dim,
            by_column: series_dim.is_none()
                && !matches!(profile, Profile::Victims | Profile::Incidents),
            parts: spec
                .relations
                .first()
                .map(|r| r.1.clone())
                .unwrap_or_default(),
            cells: BTreeMap::new(),
            years: BTreeSet::new(),
            names: Vec::new(),
        }
    }

    /// Counts `units`, each once in every (year, layer) it falls in.
    pub fn add(&mut self, units: &[Unit<'_>]) {
        let (profile, spec) = (self.profile, self.spec);
        for unit in units {
            if profile == Profile::Incidents && !unit.columns.contains(&0) {
                continue;
            }
            let mut keys: BTreeSet<(String, String)> = BTreeSet::new();
            for f in &unit.facts {
                let year = year_of(f);
                self.years.insert(year.clone());
                if self.by_column {
                    for &c in unit.columns.iter().filter(|c| self.parts.contains(c)) {
                        keys.insert((year.clone(), spec.columns[c].clone()));
                    }
                } else {
                    for v in self.series_dim.unwrap_or(Dim::Act).values(f, profile) {
                        keys.insert((year.clone(), v));
                    }
                }
            }
            for k in keys {
                if !self.names.contains(&k.1) {
                    self.names.push(k.1.clone());
                }
                *self.cells.entry(k).or_default() += 1;
            }
        }
    }

    /// The chart, titled with what it counts (`scope`, the filters in
    /// words); a count below `min` is not drawn.
    pub fn finish(self, min: u64, scope: &str) -> StackedBars {
        let Bars {
            profile,
            spec,
            by_column,
            parts,
            cells,
            years,
            mut names,
            ..
        } = self;
        if by_column {
            names = parts.iter().map(|&c| spec.columns[c].clone()).collect();
        } else {
            names.sort();
        }
        let labels: Vec<String> = years.into_iter().collect();
        let series = names
            .iter()
            .map(|name| {
                let values = labels
                    .iter()
                    .map(|y| {
                        let v = cells.get(&(y.clone(), name.clone())).copied().unwrap_or(0);
                        // A small count is not drawn: its height would give it away.
                        if v < min {
                            0
                        } else {
                            v
                        }
                    })
                    .collect();
                (name.clone(), values)
            })
            .collect();
        let mut title = format!(
            "{} by year ({} profile)",
            unit_noun(profile),
            profile.name()
        );
        // The filters, so a chart shown on its own says what it counts.
        if !scope.is_empty() {
            title.push_str(&format!(": {scope}"));
        }
        if min > 1 {
            title.push_str(&format!("; counts below {min} not drawn"));
        }
        StackedBars {
            title,
            x_label: "year".into(),
            y_label: unit_noun(profile).into(),
            labels,
            series,
        }
    }
}

fn unit_noun(p: Profile) -> &'static str {
    match p {
        Profile::Incidents => "incidents",
        _ => "victims",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::facts::Fact;
    use crate::vocab::*;
    use chrono::NaiveDate;

    fn fact(victim: i64, year: i32, act: ActType) -> Fact {
        Fact {
            incident_id: victim,
            incident_ref: String::new(),
            date: NaiveDate::from_ymd_opt(year, 6, 1),
            precision: DatePrecision::Day,
            approximate: false,
            country: "AF".into(),
            admin1: String::new(),
            verification: Verification::Reported,
            work_link: WorkLink::Confirmed,
            justice: Justice::NoInformation,
            victim_id: victim,
            sex: Sex::Unknown,
            category: Category::Journalist,
            employment: Employment::Unknown,
            mediums: String::new(),
            status: VictimStatus::Unknown,
            act_id: victim * 10 + act as i64,
            act_type: act,
            death_context: None,
            actor_id: None,
            actor: None,
            actor_type: None,
            deleted: false,
            confidentiality: Confidentiality::Public,
            victim_confidentiality: Confidentiality::Public,
        }
    }

    #[test]
    fn bars_are_years_and_layers_are_act_types_or_rule_columns() {
        let facts = vec![
            fact(1, 2020, ActType::Killed),
            fact(2, 2021, ActType::Killed),
            fact(2, 2021, ActType::Wounded),
            fact(3, 2021, ActType::Killed),
            fact(4, 2021, ActType::Detained),
        ];
        let units = Profile::Victims.units(&facts);
        let chart = stacked_bars(
            Profile::Victims,
            &[Dim::Year],
            1,
            &units,
            &Profile::Victims.spec(),
            "",
        );
        assert_eq!(chart.labels, vec!["2020", "2021"]);
        assert_eq!(
            chart.series,
            vec![
                ("detained".to_string(), vec![0, 1]),
                ("killed".to_string(), vec![1, 2]),
                ("wounded".to_string(), vec![0, 1]),
            ]
        );
        assert_eq!(chart.y_label, "victims");

        // Under sdg the layers are the categories, each victim once; with
        // --min-cell 2 the counts of 1 are not drawn.
        let units = Profile::Sdg.units(&facts);
        let chart = stacked_bars(
            Profile::Sdg,
            &[Dim::Year],
            2,
            &units,
            &Profile::Sdg.spec(),
            "2020 to 2021; country AF",
        );
        assert_eq!(chart.series[0], ("a_killing".to_string(), vec![0, 2]));
        assert_eq!(chart.series[3], ("d_detention".to_string(), vec![0, 0]));
        assert_eq!(
            chart.title,
            "victims by year (sdg profile): 2020 to 2021; country AF; counts below 2 not drawn"
        );
    }
}

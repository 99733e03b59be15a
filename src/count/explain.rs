//! `summary --explain`: every profile's total for one year, and for each
//! profile that differs from the plain victim count, which incidents make
//! the difference and why; with `--profile`, that profile's rule (acts,
//! victims, verification, attribution, dates, the published method) and
//! what it leaves out. Numbers the analyst cannot explain are numbers they
//! cannot publish.

use std::collections::{BTreeMap, BTreeSet};

use super::profiles::{cpj_exclusion, rsf_status, Profile, RsfOut, RsfStatus};
use super::split_by_verification;
use crate::db::facts::Fact;
use crate::output::Out;
use crate::vocab::*;

/// One victim's acts in the year, as the explanation needs them.
struct Victim<'a> {
    incident_ref: &'a str,
    acts: BTreeSet<ActType>,
    facts: Vec<&'a Fact>,
}

/// The explanation of one year's totals (the facts are that year's, with
/// their perpetrators; `rsf_facts` are RSF's round-up of that year, from
/// `profiles::rsf_round_ups`): every profile's, or `only` that profile's.
/// `named`: `--verification` named the levels to count.
pub fn explain(
    out: &Out,
    facts: &[Fact],
    rsf_facts: &[Fact],
    year: i32,
    only: Option<Profile>,
    named: bool,
) -> String {
    let mut victims: BTreeMap<(String, i64), Victim<'_>> = BTreeMap::new();
    for f in facts {
        let v = victims
            .entry((f.incident_ref.clone(), f.victim_id))
            .or_insert_with(|| Victim {
                incident_ref: &f.incident_ref,
                acts: BTreeSet::new(),
                facts: Vec::new(),
            });
        v.acts.insert(f.act_type);
        v.facts.push(f);
    }
    // Each profile counts the facts at its own verification threshold.
    let total = |p: Profile| {
        let source = if p == Profile::Rsf { rsf_facts } else { facts };
        let (counted, _) = split_by_verification(&p.spec(), source.to_vec(), named);
        p.units(&counted)
            .iter()
            .filter(|u| u.columns.contains(&0) || p != Profile::Incidents)
            .count()
    };
    let units_of = |types: &[ActType]| -> usize {
        victims
            .values()
            .map(|v| {
                v.acts
                    .iter()
                    .filter(|a| types.is_empty() || types.contains(a))
                    .count()
            })
            .sum()
    };
    let all = units_of(&[]);
    let incidents = total(Profile::Incidents);
    let sdg = total(Profile::Sdg);
    let cpj = total(Profile::Cpj);
    let rsf = total(Profile::Rsf);
    let nai = total(Profile::Nai);
    let mut text = String::new();
    match only {
        Some(p) => {
            let spec = p.spec();
            let n = match p {
                Profile::Victims => all,
                _ => total(p),
            };
            text.push_str(&format!(
                "Profile {} for {year}: {n} — {}.\n",
                p.name(),
                spec.rule
            ));
            for (what, rule) in [
                ("acts", spec.acts.to_string()),
                ("victims", spec.victims.to_string()),
                ("verification", spec.verification_rule()),
                ("attribution", spec.attribution.describe()),
                ("dates", spec.dates.to_string()),
                ("method", spec.method.to_string()),
            ] {
                text.push_str(&format!("  {what:<13} {rule}\n"));
            }
        }
        None => {
            text.push_str(&format!(
                "Totals for {year}, each by its own profile's rule:\n"
            ));
            let lines = [
                ("victims", all, "a victim per act type".to_string()),
                (
                    "incidents",
                    incidents,
                    format!("incidents, with {} victims", victims.len()),
                ),
                (
                    "sdg",
                    sdg,
                    "journalists and media workers under their most serious act, verified cases"
                        .into(),
                ),
                ("cpj", cpj, "journalists and media workers killed".into()),
                (
                    "rsf",
                    rsf,
                    "journalists and media workers killed, or hostage, detained or missing on 1 December"
                        .into(),
                ),
                (
                    "nai",
                    nai,
                    "journalists and media workers killed, abducted or wounded by armed groups"
                        .into(),
                ),
            ];
            let width = lines
                .iter()
                .map(|l| l.1.to_string().len())
                .max()
                .unwrap_or(1);
            for (name, n, what) in &lines {
                text.push_str(&format!("  {name:<9} {n:>width$}  {what}\n"));
            }
        }
    }
    text.push('\n');
    // Each note says which profiles it explains.
    let mut notes: Vec<(&[Profile], String)> = Vec::new();
    let joined = |acts: &BTreeSet<ActType>, only: &[ActType]| -> String {
        acts.iter()
            .filter(|a| only.is_empty() || only.contains(a))
            .map(|a| a.as_str())
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let several = |only: &[ActType]| -> Vec<String> {
        victims
            .values()
            .filter(|v| is_media(v))
            .filter(|v| {
                v.acts
                    .iter()
                    .filter(|a| only.is_empty() || only.contains(a))
                    .count()
                    > 1
            })
            .map(|v| format!("{} ({})", out.text(v.incident_ref), joined(&v.acts, only)))
            .collect()
    };

    // sdg, rsf and nai count people who work in media; the registry also
    // records their families and others attacked with them.
    let mut outside: BTreeMap<(String, String), usize> = BTreeMap::new();
    for v in victims.values().filter(|v| !is_media(v)) {
        let category = v.facts.first().map_or("other", |f| f.category.as_str());
        *outside
            .entry((out.text(v.incident_ref).into_owned(), category.to_string()))
            .or_default() += 1;
    }
    const MEDIA_ONLY: &[Profile] = &[Profile::Sdg, Profile::Rsf, Profile::Nai];
    if !outside.is_empty() {
        let listed: Vec<String> = outside
            .iter()
            .map(|((r, c), n)| {
                if *n > 1 {
                    format!("{r} {c}×{n}")
                } else {
                    format!("{r} {c}")
                }
            })
            .collect();
        notes.push((
            MEDIA_ONLY,
            format!(
                "sdg, rsf and nai count journalists and media workers only: {} left out of them — {}",
                plural(outside.values().sum(), "victim", "victims"),
                listed.join("; ")
            ),
        ));
    }

    // sdg counts verified cases; the others are shown apart.
    let sdg_spec = Profile::Sdg.spec();
    let unverified: Vec<&Victim<'_>> = victims
        .values()
        .filter(|v| is_media(v))
        .filter(|v| {
            v.facts
                .first()
                .is_some_and(|f| !sdg_spec.counts_verification(f.verification, named))
        })
        .collect();
    if !unverified.is_empty() {
        let refs: Vec<String> = unverified
            .iter()
            .map(|v| {
                let level = v.facts.first().map_or("", |f| f.verification.as_str());
                format!("{} {level}", out.text(v.incident_ref))
            })
            .collect();
        notes.push((
            &[Profile::Sdg],
            format!(
                "sdg counts verified cases ({}): verified: {sdg}; reported, not yet verified: {} — {}",
                sdg_spec
                    .verification
                    .iter()
                    .map(|v| v.as_str())
                    .collect::<Vec<_>>()
                    .join(" or "),
                unverified.len(),
                refs.join("; ")
            ),
        ));
    }
    if sdg != all {
        let mut why = reasons(
            "a victim with several act types counts once, under the most serious",
            several(&[]),
            !outside.is_empty(),
        );
        if !unverified.is_empty() {
            why.push_str("; and the victims not yet verified above");
        }
        notes.push((
            &[Profile::Sdg],
            format!("sdg {sdg} vs victims {all}: {why}"),
        ));
    }

    let killed = units_of(&[ActType::Killed]);
    if cpj != killed {
        let left: Vec<String> = victims
            .values()
            .filter_map(|v| {
                let f = v.facts.iter().find(|f| f.act_type == ActType::Killed)?;
                cpj_exclusion(f).map(|why| format!("{} {why}", out.text(v.incident_ref)))
            })
            .collect();
        notes.push((
            &[Profile::Cpj],
            format!(
                "cpj {cpj} vs victims killed {killed}: {} not counted by CPJ's rule — {}",
                plural(killed - cpj, "killed victim", "killed victims"),
                left.join("; ")
            ),
        ));
    }

    use ActType::*;
    let rsf_acts = [Killed, Kidnapped, Hostage, Detained, Disappeared, Missing];
    let rsf_base = units_of(&rsf_acts);
    // Who RSF's round-up leaves out, and why, by victim.
    let mut rsf_out: Vec<String> = Vec::new();
    for v in victims.values().filter(|v| is_media(v)) {
        let statuses: Vec<_> = v.facts.iter().map(|f| (f, rsf_status(f))).collect();
        if statuses.iter().any(|(_, s)| s.is_ok()) {
            continue;
        }
        let mut why: BTreeSet<String> = BTreeSet::new();
        for (f, s) in &statuses {
            let act = f.act_type.as_str();
            match s {
                Err(RsfOut::NotWorkRelated) => {
                    why.insert("killed, not related to their work".into());
                }
                Err(RsfOut::NoLongerHeld(status)) => {
                    why.insert(format!("{act}, now {status}: not held on 1 December"));
                }
                Err(RsfOut::StatusUnknown) => {
                    why.insert(format!(
                        "{act}, status unknown: whether still held on 1 December cannot be told"
                    ));
                }
                Err(RsfOut::AfterRoundUp) => {
                    why.insert(format!("{act} after 1 December or on a day not known"));
                }
                Err(RsfOut::OtherAct) | Ok(_) => {}
            }
        }
        if !why.is_empty() {
            let why: Vec<String> = why.into_iter().collect();
            rsf_out.push(format!("{} {}", out.text(v.incident_ref), why.join(", ")));
        }
    }
    // Who the round-up counts from an earlier year: taken before it, still
    // held or missing on its 1 December.
    let in_year: BTreeSet<i64> = victims.keys().map(|(_, id)| *id).collect();
    let mut earlier: BTreeSet<String> = BTreeSet::new();
    for f in rsf_facts {
        if f.category.is_media_personnel()
            && !in_year.contains(&f.victim_id)
            && rsf_status(f).is_ok_and(|s| s != RsfStatus::Killed)
        {
            earlier.insert(format!("{} {}", out.text(&f.incident_ref), f.act_type));
        }
    }
    // Someone taken whose fate is unknown counts as missing, not hostage
    // or detained: say who, as the analyst would look for them elsewhere.
    let as_missing: Vec<String> = victims
        .values()
        .filter(|v| is_media(v))
        .filter_map(|v| {
            let f = v.facts.iter().find(|f| {
                matches!(f.act_type, Kidnapped | Hostage | Detained)
                    && rsf_status(f) == Ok(RsfStatus::Missing)
            })?;
            Some(format!("{} {}", out.text(v.incident_ref), f.act_type))
        })
        .collect();
    if rsf != rsf_base || !earlier.is_empty() {
        let mut why = reasons(
            "one status per person, the gravest",
            several(&rsf_acts),
            !outside.is_empty(),
        );
        if !rsf_out.is_empty() {
            let list = rsf_out.join("; ");
            why = if why.is_empty() {
                list
            } else {
                format!("{list}; and {why}")
            };
        }
        if !earlier.is_empty() {
            let list = format!(
                "taken before {year}, still held or missing on 1 December — {}",
                earlier.into_iter().collect::<Vec<_>>().join("; ")
            );
            why = if why.is_empty() {
                list
            } else {
                format!("{why}; and {list}")
            };
        }
        notes.push((
            &[Profile::Rsf],
            format!(
                "rsf {rsf} vs victims killed, hostage, kidnapped, detained, disappeared or missing {rsf_base}: {why}"
            ),
        ));
    }
    if !as_missing.is_empty() {
        notes.push((
            &[Profile::Rsf],
            format!(
                "rsf counts as missing, not hostage or detained, whoever was taken and is now missing — {}",
                as_missing.join("; ")
            ),
        ));
    }
    if only == Some(Profile::Rsf) || !rsf_out.is_empty() {
        notes.push((
            &[Profile::Rsf],
            "rsf reads who is held or missing on 1 December from each victim's status now: the \
         registry keeps no day of release, so someone freed since is counted on no 1 December, \
         not even those when they were held; someone taken in an earlier year and still held or \
         missing counts on every 1 December since, as RSF counts them"
                .to_string(),
        ));
    }

    let nai_acts = [Killed, Wounded, Kidnapped, Hostage];
    let nai_base = units_of(&nai_acts);
    if nai != nai_base {
        let mut why: Vec<String> = Vec::new();
        for v in victims.values().filter(|v| is_media(v)) {
            let relevant: Vec<&&Fact> = v
                .facts
                .iter()
                .filter(|f| nai_acts.contains(&f.act_type))
                .collect();
            if relevant.is_empty()
                || relevant
                    .iter()
                    .any(|f| f.actor_type == Some(ActorType::ArmedGroup))
            {
                continue;
            }
            let mut by: BTreeSet<String> = BTreeSet::new();
            for f in &relevant {
                match (&f.actor, f.actor_type) {
                    (Some(name), t) => {
                        let t = t.map_or("unknown type", |t| t.as_str());
                        let on = f.date.map_or(String::new(), |d| format!(" on {d}"));
                        by.insert(format!("{} {t}{on}", out.text(name)));
                    }
                    (None, _) => {
                        by.insert("no perpetrator by an accepted link".to_string());
                    }
                }
            }
            let by: Vec<String> = by.into_iter().collect();
            why.push(format!("{} {}", out.text(v.incident_ref), by.join(", ")));
        }
        let mut note = format!(
            "nai {nai} vs victims killed, wounded, kidnapped or hostage {nai_base}: only acts by armed groups on the act's date"
        );
        if !why.is_empty() {
            note.push_str(&format!(" — {}", why.join("; ")));
        }
        let once: Vec<String> = victims
            .values()
            .filter(|v| is_media(v))
            .filter(|v| {
                v.facts
                    .iter()
                    .filter(|f| nai_acts.contains(&f.act_type))
                    .any(|f| f.actor_type == Some(ActorType::ArmedGroup))
                    && v.acts.iter().filter(|a| nai_acts.contains(a)).count() > 1
            })
            .map(|v| {
                format!(
                    "{} ({})",
                    out.text(v.incident_ref),
                    joined(&v.acts, &nai_acts)
                )
            })
            .collect();
        if !once.is_empty() {
            note.push_str(&format!("; and each victim once — {}", once.join("; ")));
        }
        if !outside.is_empty() {
            note.push_str("; and the victims above who are not journalists or media workers");
        }
        notes.push((&[Profile::Nai], note));
    }

    let shown: Vec<&String> = notes
        .iter()
        .filter(|(about, _)| only.is_none_or(|p| about.contains(&p)))
        .map(|(_, n)| n)
        .collect();
    if shown.is_empty() {
        text.push_str(match only {
            None => "Every profile gives the victim count: no victim has several acts, and every one fits every rule.\n",
            Some(_) => "Nothing recorded that year is left out by this rule.\n",
        });
    } else {
        for n in shown {
            text.push_str(n);
            text.push('\n');
        }
    }
    text
}

/// "1 killed victim", "3 killed victims".
/// A difference's reasons: `rule — cases`, then the people left out as not
/// working in media when there are any.
fn reasons(rule: &str, cases: Vec<String>, outside: bool) -> String {
    let mut parts = Vec::new();
    if !cases.is_empty() {
        parts.push(format!("{rule} — {}", cases.join("; ")));
    }
    if outside {
        parts.push("the victims above who are not journalists or media workers".to_string());
    }
    parts.join("; and ")
}

/// Whether a victim works in media (sdg, rsf and nai count only them).
fn is_media(v: &Victim<'_>) -> bool {
    v.facts
        .first()
        .is_none_or(|f| f.category.is_media_personnel())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

//! Who is said to have done it, and on what basis.

use std::collections::HashMap;

use super::{and_list, capitalize};
use crate::model::*;
use crate::vocab::*;

/// Whether an actor's name reads with "the" ("the Taliban").
fn takes_the(actor_type: Option<ActorType>) -> bool {
    use ActorType::*;
    matches!(
        actor_type,
        Some(
            ArmedGroup
                | Paramilitary
                | CriminalGroup
                | StateMilitary
                | StatePolice
                | StateIntelligence
                | DeFactoAuthority
                | Mob
                | Judiciary
                | PoliticalParty
        )
    )
}

/// Who is said to have done it, and on what basis: one sentence, from the
/// recorded links between acts and actors only. None when no link is
/// recorded: that nobody claimed it, or nobody was identified, is not
/// something a missing record says.
pub(super) fn attribution(victims: &[&VictimRecord]) -> Option<String> {
    let acts: Vec<&ActRecord> = victims.iter().flat_map(|v| &v.acts).collect();
    let killed = victims
        .iter()
        .filter(|v| v.acts.iter().any(|a| a.act_type == ActType::Killed))
        .count();
    let has = |t: &[ActType]| acts.iter().any(|a| t.contains(&a.act_type));
    let noun = if killed > 1 {
        "killings"
    } else if killed == 1 {
        "killing"
    } else if has(&[ActType::Kidnapped, ActType::Hostage]) {
        "abduction"
    } else if has(&[ActType::Detained]) {
        "detention"
    } else {
        "attack"
    };

    let mut unknown_recorded = false;
    // Each actor once per basis, in the order first recorded.
    let mut by_basis: HashMap<Basis, Vec<String>> = HashMap::new();
    // Which victims each basis comes from ("the victim blamed" or "the
    // victims blamed").
    let mut sources_of: HashMap<Basis, Vec<usize>> = HashMap::new();
    let links = victims.iter().enumerate().flat_map(|(i, v)| {
        v.acts
            .iter()
            .flat_map(move |a| a.perpetrators.iter().map(move |p| (i, p)))
    });
    for (victim, inv) in links {
        let name = inv.actor.trim();
        // An actor of type `unknown` ("Unknown perpetrator", "unidentified
        // gunmen") names no one: the sentence says nobody is identified
        // rather than "attributed to Unknown perpetrator".
        if inv.role == Role::FailedToProtect {
            continue;
        }
        if name.is_empty()
            || name.eq_ignore_ascii_case("unknown")
            || inv.actor_type == Some(ActorType::Unknown)
        {
            unknown_recorded = true;
            continue;
        }
        // "The Taliban", but not "the the Taliban" nor "the al-Shabaab"
        // (al- is the article already).
        let lower = name.to_lowercase();
        let has_article = ["the ", "al-", "al "].iter().any(|a| lower.starts_with(a));
        let shown = if takes_the(inv.actor_type) && !has_article {
            format!("the {name}")
        } else {
            name.to_string()
        };
        let list = by_basis.entry(inv.basis).or_default();
        if !list.contains(&shown) {
            list.push(shown);
        }
        let from = sources_of.entry(inv.basis).or_default();
        if !from.contains(&victim) {
            from.push(victim);
        }
    }
    let victim_word = match sources_of.get(&Basis::AccusedByVictim) {
        Some(v) if v.len() > 1 => "the victims",
        _ => "the victim",
    };
    let order = [
        Basis::Claimed,
        Basis::Acknowledged,
        Basis::CourtFinding,
        Basis::Arrest,
        Basis::OfficialAccusation,
        Basis::AccusedByVictim,
        Basis::AccusedByColleagues,
        Basis::Witness,
        Basis::MonitorAssessment,
        Basis::Inferred,
        Basis::Unknown,
        Basis::Denied,
    ];
    let mut clauses = Vec::new();
    for basis in order {
        let Some(actors) = by_basis.get(&basis) else {
            continue;
        };
        let x = and_list(actors);
        let is = if actors.len() == 1 { "is" } else { "are" };
        clauses.push(match basis {
            Basis::Claimed => format!("{x} claimed responsibility for the {noun}"),
            Basis::Acknowledged => format!("{x} acknowledged responsibility for the {noun}"),
            Basis::CourtFinding => format!("a court found {x} responsible"),
            Basis::Arrest => format!("police arrested a suspect they said belonged to {x}"),
            Basis::OfficialAccusation => format!("officials suspected {x}"),
            Basis::AccusedByVictim => format!("{victim_word} blamed {x}"),
            Basis::AccusedByColleagues => format!("colleagues blamed {x}"),
            Basis::Witness => format!("witnesses identified the perpetrators as {x}"),
            Basis::MonitorAssessment => format!("monitors attribute the {noun} to {x}"),
            Basis::Inferred => format!("{x} {is} believed to be responsible"),
            Basis::Unknown => format!("the {noun} has been attributed to {x}"),
            Basis::Denied => format!("{x} denied involvement"),
        });
    }
    // "Not identified" only when an actor recorded as unknown says so, and
    // no one is named on a basis other than a denial.
    let only_denials = by_basis.keys().all(|b| *b == Basis::Denied);
    if unknown_recorded && only_denials {
        clauses.insert(0, "the perpetrators have not been identified".into());
    }
    if clauses.is_empty() {
        return None;
    }
    Some(format!("{}.", capitalize(&clauses.join("; "))))
}

#[cfg(test)]
mod tests {
    use super::*;
    fn victim(name: &str, anonymous: bool, acts: &[(ActType, Method)]) -> VictimRecord {
        let mut v = VictimRecord::new(name);
        v.anonymous = anonymous;
        v.outlet = "Radio Nawa".into();
        for (t, m) in acts {
            let mut a = ActRecord::new(*t);
            a.method = *m;
            v.acts.push(a);
        }
        v
    }

    fn attributed(act: ActType, links: &[(&str, ActorType, Basis)]) -> Option<String> {
        let mut v = victim("Ahmad Shah", false, &[(act, Method::Unknown)]);
        for (name, t, basis) in links {
            let mut inv = InvolvementRecord::new(name);
            inv.actor_type = Some(*t);
            inv.basis = *basis;
            v.acts[0].perpetrators.push(inv);
        }
        attribution(&[&v])
    }

    #[test]
    fn attribution_follows_the_basis() {
        use ActorType::*;
        let said = |s: &str| Some(s.to_string());
        assert_eq!(
            attributed(ActType::Wounded, &[("Jamaat", ArmedGroup, Basis::Witness)]),
            said("Witnesses identified the perpetrators as the Jamaat.")
        );
        assert_eq!(
            attributed(
                ActType::Threatened,
                &[("Omar Khan", PrivateIndividual, Basis::Inferred)]
            ),
            said("Omar Khan is believed to be responsible.")
        );
        assert_eq!(
            attributed(
                ActType::Hostage,
                &[("Al-Shabaab", ArmedGroup, Basis::Denied)]
            ),
            said("Al-Shabaab denied involvement.")
        );
        assert_eq!(
            attributed(
                ActType::Hostage,
                &[
                    ("Al-Shabaab", ArmedGroup, Basis::Denied),
                    ("Unknown perpetrator", Unknown, Basis::Unknown)
                ]
            ),
            said("The perpetrators have not been identified; Al-Shabaab denied involvement.")
        );
        assert_eq!(
            attributed(
                ActType::Killed,
                &[
                    ("NDS", StateIntelligence, Basis::MonitorAssessment),
                    ("X", Unknown, Basis::Unknown)
                ]
            ),
            said("Monitors attribute the killing to the NDS.")
        );
        assert_eq!(
            attributed(
                ActType::Killed,
                &[
                    ("Taliban", ArmedGroup, Basis::OfficialAccusation),
                    ("Unknown perpetrator", Unknown, Basis::Unknown)
                ]
            ),
            said("Officials suspected the Taliban.")
        );
        assert_eq!(
            attributed(ActType::Detained, &[("unknown", Unknown, Basis::Unknown)]),
            said("The perpetrators have not been identified.")
        );
    }

    #[test]
    fn nothing_is_said_of_the_perpetrators_when_no_link_is_recorded() {
        assert_eq!(attributed(ActType::Killed, &[]), None);
        assert_eq!(attributed(ActType::Kidnapped, &[]), None);
    }
}

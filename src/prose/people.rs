//! Who, and what was done to them: victims described by role, outlet and
//! name (or not named), the verbs for their harms, and where they stand now.

use chrono::NaiveDate;

use super::when::act_date;
use super::{and_list, article, capitalize, number_word};
use crate::model::*;
use crate::vocab::*;

/// What a victim's role is called, singular and plural.
pub(super) fn role(v: &VictimRecord) -> (String, String) {
    let job = v.jobs.iter().find(|j| **j != Job::Other).map(|j| match j {
        Job::CameraOperator => "camera operator",
        Job::Security => "security guard",
        other => other.as_str(),
    });
    let word = job.unwrap_or(match v.category {
        Category::Journalist => "journalist",
        Category::CitizenJournalist => "citizen journalist",
        Category::MediaWorker => "media worker",
        Category::MediaManager => "media manager",
        Category::GovernmentMediaOfficial => "government media official",
        Category::MediaOutlet => "media outlet",
        Category::Associate => {
            return (
                "relative or associate of a journalist".into(),
                "relatives or associates of journalists".into(),
            )
        }
        Category::Other => return ("person".into(), "people".into()),
    });
    (word.to_string(), format!("{word}s"))
}

/// How a group of victims is named in a sentence.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Who {
    /// Named victims sharing a role and an outlet.
    Named { role: String, outlet: String },
    /// Victims who asked not to be named, by role (their outlet is left
    /// out: it could identify them).
    Anonymous { role: String },
    /// Victims whose names are not known.
    Unidentified { role: String, outlet: String },
}

/// The people in one sentence: each kind of `Who` with its names (or, for
/// the nameless, how many).
pub(super) fn describe(victims: &[&VictimRecord]) -> (String, bool) {
    let mut units: Vec<(Who, Vec<&VictimRecord>)> = Vec::new();
    for v in victims {
        let (role, _) = role(v);
        let outlet = if v.category == Category::MediaOutlet {
            String::new()
        } else {
            v.outlet.trim().to_string()
        };
        let who = if v.anonymous {
            Who::Anonymous { role }
        } else if v.name.trim().is_empty() {
            Who::Unidentified { role, outlet }
        } else {
            Who::Named { role, outlet }
        };
        match units.iter_mut().find(|(w, _)| *w == who) {
            Some((_, list)) => list.push(v),
            None => units.push((who, vec![v])),
        }
    }
    let mut pieces = Vec::new();
    for (who, list) in &units {
        let (one, many) = role(list[0]);
        let n = list.len();
        let noun = if n == 1 { one.clone() } else { many };
        let at = |outlet: &str| {
            if outlet.is_empty() {
                String::new()
            } else {
                format!(" at {outlet}")
            }
        };
        pieces.push(match who {
            // Nothing is known of their role or outlet: the name alone
            // ("Sayed Kazim"), not "Sayed Kazim, a person,".
            Who::Named { outlet, .. } if outlet.is_empty() && one == "person" => {
                let names: Vec<String> = list.iter().map(|v| v.name.trim().to_string()).collect();
                and_list(&names)
            }
            Who::Named { outlet, .. } => {
                let names: Vec<String> = list.iter().map(|v| v.name.trim().to_string()).collect();
                let lead = if n == 1 {
                    format!("{} ", article(&one))
                } else {
                    String::new()
                };
                format!("{}, {lead}{noun}{},", and_list(&names), at(outlet))
            }
            Who::Anonymous { .. } => {
                let count = if n == 1 {
                    article(&one).to_string()
                } else {
                    number_word(n)
                };
                format!("{count} {noun} who asked not to be named")
            }
            Who::Unidentified { outlet, .. } => {
                let count = if n == 1 {
                    "an".to_string()
                } else {
                    number_word(n)
                };
                format!("{count} unidentified {noun}{}", at(outlet))
            }
        });
    }
    let text = and_list(&pieces).replace(",,", ",");
    (text, victims.len() > 1)
}

/// A verb phrase for one act: passive ones share "was"/"were".
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Verb {
    /// Takes "was"/"were": "shot dead".
    Passive(&'static str),
    /// Stands alone: "went missing".
    Active(&'static str),
}

fn verb(act: &ActRecord) -> Verb {
    use ActType as T;
    use Method as M;
    use Verb::{Active, Passive};
    match (act.act_type, act.method) {
        (T::Killed, _) if act.death_context == Some(DeathContext::InCustody) => {
            Active("died in custody")
        }
        (T::Killed, M::Shooting) => Passive("shot dead"),
        (T::Killed, M::Explosive) => Passive("killed in a bomb attack"),
        (T::Killed, M::Stabbing) => Passive("stabbed to death"),
        (T::Killed, M::Beating) => Passive("beaten to death"),
        (T::Killed, M::Arson) => Passive("killed in an arson attack"),
        (T::Killed, M::Poisoning) => Passive("poisoned"),
        (T::Killed, M::Vehicle) => Passive("run over and killed"),
        (T::Killed, _) if act.death_context == Some(DeathContext::Crossfire) => {
            Passive("killed in crossfire")
        }
        (T::Killed, _) => Passive("killed"),
        (T::Tortured, _) => Passive("tortured"),
        (T::SexualViolence, _) => Passive("subjected to sexual violence"),
        (T::Disappeared, _) => Passive("forcibly disappeared"),
        (T::Missing, _) => Active("went missing"),
        (T::Detained, _) => Passive("detained"),
        (T::Kidnapped, _) => Passive("abducted"),
        (T::Hostage, _) => Passive("taken hostage"),
        (T::AttemptedKilling, M::Shooting) => Passive("shot at"),
        (T::AttemptedKilling, M::Explosive) => Passive("targeted in a bomb attack"),
        (T::AttemptedKilling, _) => Active("survived an attempted killing"),
        (T::Wounded, M::Shooting) => Passive("shot and wounded"),
        (T::Wounded, M::Explosive) => Passive("wounded in a bomb attack"),
        (T::Wounded, M::Stabbing) => Passive("stabbed and wounded"),
        (T::Wounded, _) => Passive("wounded"),
        (T::Assaulted, M::Beating) => Passive("beaten"),
        (T::Assaulted, _) => Passive("assaulted"),
        (T::Threatened, M::Online) => Passive("threatened online"),
        (T::Threatened, _) => Passive("threatened"),
        (T::Harassed, M::Online) => Passive("harassed online"),
        (T::Harassed, _) => Passive("harassed"),
        (T::Surveilled, _) => Passive("put under surveillance"),
        (T::Charged, _) => Passive("charged with a criminal offence"),
        (T::Sued, _) => Passive("sued"),
        (T::Subpoenaed, _) => Passive("subpoenaed"),
        (T::EquipmentSeized, _) => Active("had their equipment seized"),
        (T::PropertyAttacked, M::Arson) => Active("had their property set on fire"),
        (T::PropertyAttacked, _) => Active("had their property attacked"),
        (T::DeniedAccess, _) => Passive("denied access"),
        (T::BorderStopped, _) => Passive("stopped at the border"),
        (T::Censored, _) => Passive("censored"),
        (T::Dismissed, _) => Passive("dismissed"),
        (T::Smeared, _) => Passive("subjected to a smear campaign"),
        (T::Other, _) => Passive("targeted"),
    }
}

/// What was done to a victim: each verb with the act's own date, if any.
type Harms = Vec<(Verb, String)>;

/// Everything done to one victim, in the order recorded, each once, with
/// the act's own date where it has one.
fn verbs_of(v: &VictimRecord, incident: Option<NaiveDate>) -> Harms {
    let mut out: Harms = Vec::new();
    let wounded = v.acts.iter().any(|a| a.act_type == ActType::Wounded);
    for act in &v.acts {
        let when = act_date(act, incident);
        // Wounded in the attack, died later: "died of their wounds on …".
        let verb = if act.act_type == ActType::Killed && wounded && !when.is_empty() {
            Verb::Active("died of their wounds")
        } else {
            verb(act)
        };
        let harm = (verb, when);
        if !out.contains(&harm) {
            out.push(harm);
        }
    }
    if out.is_empty() {
        out.push((Verb::Passive("targeted"), String::new()));
    }
    out
}

/// "was abducted and shot dead", "were detained and had their equipment
/// seized"; `their` is the victims' possessive ("his", "her", "their").
fn verb_phrase(verbs: &[(Verb, String)], plural: bool, their: &str) -> String {
    let be = if plural { "were" } else { "was" };
    let mut parts = Vec::new();
    let mut after_be = false;
    for (v, when) in verbs {
        match v {
            Verb::Passive(p) if after_be => parts.push(format!("{p}{when}")),
            Verb::Passive(p) => {
                parts.push(format!("{be} {p}{when}"));
                after_be = true;
            }
            Verb::Active(a) => {
                parts.push(format!("{}{when}", a.replace("their", their)));
                after_be = false;
            }
        }
    }
    and_list(&parts)
}

/// "his" or "her" for one victim whose sex is recorded, "their" otherwise.
pub(super) fn possessive(victims: &[&VictimRecord]) -> &'static str {
    match victims {
        [one] => match one.sex {
            Sex::Male => "his",
            Sex::Female => "her",
            Sex::Other | Sex::Unknown => "their",
        },
        _ => "their",
    }
}

/// Whether what was first done to a victim took them somewhere (taken
/// "from their home", not shot "at their home").
pub(super) fn taken_away(v: &VictimRecord) -> bool {
    v.acts.first().is_some_and(|a| {
        matches!(
            a.act_type,
            ActType::Detained | ActType::Kidnapped | ActType::Hostage | ActType::Disappeared
        )
    })
}

/// Where a victim stands now, when it follows on from what was done to
/// them: "Hemat was later released.", "Ayesha Khan remains in detention."
/// Singular and plural forms.
fn status_phrase(v: &VictimRecord) -> Option<(&'static str, &'static str)> {
    use ActType as T;
    let had = |types: &[ActType]| v.acts.iter().any(|a| types.contains(&a.act_type));
    let taken = [
        T::Detained,
        T::Kidnapped,
        T::Hostage,
        T::Disappeared,
        T::Missing,
    ];
    match v.status {
        VictimStatus::Held if had(&[T::Detained]) => {
            Some(("remains in detention", "remain in detention"))
        }
        VictimStatus::Held if had(&taken) => Some(("remains held", "remain held")),
        VictimStatus::Released if had(&taken) => {
            Some(("was later released", "were later released"))
        }
        VictimStatus::Missing if had(&taken) => Some(("remains missing", "remain missing")),
        VictimStatus::Escaped if had(&taken) => Some(("later escaped", "later escaped")),
        VictimStatus::Exiled => Some(("has since gone into exile", "have since gone into exile")),
        _ => None,
    }
}

/// One sentence per status, naming the victims it is about (those who
/// asked not to be named by their role only).
pub(super) fn status_sentences(victims: &[&VictimRecord]) -> Vec<String> {
    let mut groups: Vec<((&str, &str), Vec<String>)> = Vec::new();
    for v in victims {
        let Some(phrase) = status_phrase(v) else {
            continue;
        };
        let (role, _) = role(v);
        let who = if v.anonymous {
            format!("the {role} who asked not to be named")
        } else if v.name.trim().is_empty() {
            format!("the unidentified {role}")
        } else {
            v.name.trim().to_string()
        };
        match groups.iter_mut().find(|(p, _)| *p == phrase) {
            Some((_, list)) => list.push(who),
            None => groups.push((phrase, vec![who])),
        }
    }
    groups
        .into_iter()
        .map(|((one, many), who)| {
            let verb = if who.len() == 1 { one } else { many };
            format!("{} {verb}.", capitalize(&and_list(&who)))
        })
        .collect()
}

/// One clause per distinct set of harms: "A and B, reporters at X, were
/// shot dead", "C was wounded", each with the victims it speaks of.
pub(super) fn harm_clauses<'a>(
    victims: &[&'a VictimRecord],
    incident: Option<NaiveDate>,
) -> Vec<(String, Vec<&'a VictimRecord>)> {
    let mut groups: Vec<(Harms, Vec<&'a VictimRecord>)> = Vec::new();
    for v in victims.iter().copied() {
        let verbs = verbs_of(v, incident);
        match groups.iter_mut().find(|(k, _)| *k == verbs) {
            Some((_, list)) => list.push(v),
            None => groups.push((verbs, vec![v])),
        }
    }
    groups
        .into_iter()
        .map(|(verbs, list)| {
            let (who, plural) = describe(&list);
            let text = format!("{who} {}", verb_phrase(&verbs, plural, possessive(&list)));
            (text, list)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_of_unknown_role_is_named_alone() {
        let mut editor = crate::model::VictimRecord::new("Toofan Omar");
        editor.jobs = vec![crate::vocab::Job::Editor];
        editor.outlet = "Paktia Ghag Radio".into();
        let mut other = crate::model::VictimRecord::new("Sayed Kazim");
        other.category = crate::vocab::Category::Other;
        assert_eq!(
            super::describe(&[&editor, &other]).0,
            "Toofan Omar, an editor at Paktia Ghag Radio, and Sayed Kazim"
        );
    }

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

    #[test]
    fn victims_are_grouped_by_what_was_done_to_them() {
        let shot = [
            (ActType::Kidnapped, Method::Abduction),
            (ActType::Killed, Method::Shooting),
        ];
        let seized = [
            (ActType::Detained, Method::Unknown),
            (ActType::EquipmentSeized, Method::Unknown),
        ];
        let a = victim("Ahmad Shah", false, &shot);
        let b = victim("x", true, &shot);
        let c = victim("y", true, &shot);
        let d = victim("Bilal Sarwary", false, &seized);
        assert_eq!(
            harm_clauses(&[&a, &b, &c, &d], None)
                .into_iter()
                .map(|(text, _)| text)
                .collect::<Vec<_>>(),
            [
                "Ahmad Shah, a journalist at Radio Nawa, and two journalists who asked not to be \
                 named were abducted and shot dead",
                "Bilal Sarwary, a journalist at Radio Nawa, was detained and had their equipment \
                 seized",
            ]
        );
    }

    #[test]
    fn an_act_on_its_own_date_says_when() {
        let mut v = victim("Ahmad Shah", false, &[(ActType::Wounded, Method::Shooting)]);
        let mut died = ActRecord::new(ActType::Killed);
        died.date_start = Some("2021-07-15".parse().unwrap());
        v.acts.push(died);
        let incident = Some("2021-07-06".parse().unwrap());
        assert_eq!(
            harm_clauses(&[&v], incident)
                .into_iter()
                .map(|(text, _)| text)
                .collect::<Vec<_>>(),
            [
                "Ahmad Shah, a journalist at Radio Nawa, was shot and wounded and died of their \
                 wounds on 15 July 2021"
            ]
        );
    }
}

//! The cases of a letter as English sentences, and the counts paragraph
//! taken from the same sentences: what `pressreg letter` prints.
//!
//! What must stay true (DESIGN §6, SECURITY R16):
//! * only public records leave: incidents, victims and sources whose level
//!   is public; never a private note, a confidential source or what it
//!   claims, nor any note or summary text (free text is not reviewed for
//!   publication, the generated sentences are);
//! * a victim who asked not to be named is described, never named, and
//!   without their outlet, which could name them as surely;
//! * every number in the counts paragraph is a count of the people named or
//!   described in the sentences above it.

use std::collections::HashMap;

use anyhow::Result;
use chrono::{Datelike, NaiveDate};

use crate::country;
use crate::model::*;
use crate::output::csv_text;
use crate::vocab::*;

/// One incident, worded.
pub struct Case {
    reference: String,
    /// The date in the notation `add --date` takes (`2021-08`, `…/…`, `?`).
    date: String,
    country: String,
    text: String,
    tally: Tally,
}

/// How many people in the sentences suffered each harm the counts name.
#[derive(Default)]
struct Tally {
    killed: usize,
    wounded: usize,
    abducted: usize,
    detained: usize,
    other: usize,
}

impl Case {
    /// The case as the public may read it; None when it has no public
    /// victim to speak of.
    pub fn from_record(rec: &IncidentRecord) -> Option<Case> {
        let victims: Vec<&VictimRecord> = rec
            .victims
            .iter()
            .filter(|v| v.confidentiality == Confidentiality::Public)
            .collect();
        if victims.is_empty() {
            return None;
        }
        let clauses = harm_clauses(&victims, rec.date_start);
        let mut first = format!(
            "{}, {} in {}",
            date_phrase(rec),
            clauses[0],
            place_phrase(rec)
        );
        match rec.verification {
            Verification::Reported => first.push_str(" (single source, not yet corroborated)"),
            Verification::Disputed => first.push_str(" (disputed)"),
            // Only when asked for with --verification: say so, or a false
            // report would read as fact.
            Verification::Rejected => first.push_str(" (rejected as a false report)"),
            Verification::OutOfScope => first.push_str(" (out of the registry's scope)"),
            Verification::Duplicate => first.push_str(" (a duplicate record)"),
            Verification::Corroborated | Verification::Verified => {}
        }
        if rec.deleted_at.is_some() {
            // Only with --include-deleted.
            first.push_str(" (deleted from the registry)");
        }
        let mut sentences = vec![format!("{first}.")];
        sentences.extend(
            clauses
                .iter()
                .skip(1)
                .map(|c| format!("{}.", capitalize(c))),
        );
        sentences.extend(status_sentences(&victims));
        sentences.push(attribution(&victims));
        sentences.extend(differences(rec));
        let reference = rec.reference.clone().unwrap_or_default();
        Some(Case {
            reference,
            date: date_code(rec),
            country: rec.country.clone(),
            text: sentences.join(" "),
            tally: tally(&victims),
        })
    }
}

// ---------------------------------------------------------------- output

const FOOTNOTE: &str = "Counting: each journalist or media worker in the cases above is \
counted once under each harm done to them (someone abducted and later killed counts as \
abducted and as killed), so the figures can add up to more than the number of people; \
media outlets are not counted as people; only records marked public are included.";

pub fn paragraphs(cases: &[Case], markdown: bool) -> String {
    let mut out = String::new();
    for case in cases {
        if markdown {
            out.push_str(&format!(
                "**{}** — {}\n\n",
                md_escape(&case.reference),
                md_escape(&case.text)
            ));
        } else {
            out.push_str(&format!("{} — {}\n\n", case.reference, case.text));
        }
    }
    out.push_str(&counts(cases));
    out.push_str("\n\n");
    if markdown {
        out.push_str(&format!("_{FOOTNOTE}_\n"));
    } else {
        out.push_str(FOOTNOTE);
        out.push('\n');
    }
    out
}

pub fn csv(cases: &[Case]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["ref", "date", "country", "sentence"])?;
    for c in cases {
        w.write_record([
            csv_text(&c.reference).as_ref(),
            csv_text(&c.date).as_ref(),
            csv_text(&c.country).as_ref(),
            csv_text(&c.text).as_ref(),
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// Escapes the characters Markdown would read as formatting.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The counts paragraph.
fn counts(cases: &[Case]) -> String {
    let mut t = Tally::default();
    for c in cases {
        t.killed += c.tally.killed;
        t.wounded += c.tally.wounded;
        t.abducted += c.tally.abducted;
        t.detained += c.tally.detained;
        t.other += c.tally.other;
    }
    let parts: Vec<(usize, &str)> = [
        (t.killed, "killed"),
        (t.wounded, "wounded"),
        (t.abducted, "abducted"),
        (t.detained, "detained"),
        (t.other, "targeted in other ways"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .collect();
    let scope = if cases.len() == 1 {
        "in this case".to_string()
    } else {
        format!("in these {} cases", cases.len())
    };
    if parts.is_empty() {
        return format!(
            "In total, the registry records no journalists or media workers harmed {scope}."
        );
    }
    let words: Vec<String> = parts
        .iter()
        .enumerate()
        .map(|(i, (n, what))| match (i, n) {
            (0, 1) => format!("1 journalist or media worker {what}"),
            (0, _) => format!("{n} journalists and media workers {what}"),
            _ => format!("{n} {what}"),
        })
        .collect();
    format!(
        "In total, the registry records {} {scope}.",
        and_list(&words)
    )
}

fn tally(victims: &[&VictimRecord]) -> Tally {
    let mut t = Tally::default();
    for v in victims
        .iter()
        .filter(|v| v.category != Category::MediaOutlet)
    {
        let has = |types: &[ActType]| v.acts.iter().any(|a| types.contains(&a.act_type));
        let killed = has(&[ActType::Killed]);
        let wounded = has(&[ActType::Wounded]);
        let abducted = has(&[ActType::Kidnapped, ActType::Hostage]);
        let detained = has(&[ActType::Detained]);
        t.killed += usize::from(killed);
        t.wounded += usize::from(wounded);
        t.abducted += usize::from(abducted);
        t.detained += usize::from(detained);
        t.other += usize::from(!(killed || wounded || abducted || detained));
    }
    t
}

// ----------------------------------------------------------------- dates

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month(d: NaiveDate) -> &'static str {
    MONTHS[d.month0() as usize]
}

/// `8 August 2021`.
fn day_text(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), month(d), d.year())
}

fn last_of_month(d: NaiveDate) -> bool {
    d.succ_opt().is_none_or(|n| n.month() != d.month())
}

/// Whether `start` to `end` is one whole calendar month.
fn whole_month(start: NaiveDate, end: NaiveDate) -> bool {
    start.day() == 1
        && last_of_month(end)
        && (start.year(), start.month()) == (end.year(), end.month())
}

/// Whether `start` to `end` is one whole calendar year.
fn whole_year(start: NaiveDate, end: NaiveDate) -> bool {
    start.ordinal() == 1 && (end.month(), end.day()) == (12, 31) && start.year() == end.year()
}

/// Two days as compactly as reads well, joined by `sep`: `25 and 26
/// February 2021`, `28 February and 2 March 2021`.
fn span(a: NaiveDate, b: NaiveDate, sep: &str) -> String {
    if a.year() != b.year() {
        format!("{}{sep}{}", day_text(a), day_text(b))
    } else if a.month() != b.month() {
        format!("{} {}{sep}{}", a.day(), month(a), day_text(b))
    } else {
        format!("{}{sep}{}", a.day(), day_text(b))
    }
}

/// When, as the opening of the case's first sentence.
fn date_phrase(rec: &IncidentRecord) -> String {
    let Some(start) = rec.date_start else {
        return "On a date that is not known".into();
    };
    let around = rec.date_approximate;
    let end = rec.date_end.filter(|e| *e != start);
    let Some(end) = end else {
        return format!(
            "{} {}",
            if around { "Around" } else { "On" },
            day_text(start)
        );
    };
    let in_or_around = if around { "Around" } else { "In" };
    if whole_month(start, end) {
        format!("{in_or_around} {} {}", month(start), start.year())
    } else if whole_year(start, end) {
        format!("{in_or_around} {}", start.year())
    } else if around {
        format!("Around {}", span(start, end, "–"))
    } else if end.pred_opt() == Some(start) && rec.date_as_reported.to_lowercase().contains("night")
    {
        format!("On the night of {}", span(start, end, "–"))
    } else {
        format!("Between {}", span(start, end, " and "))
    }
}

/// The date in `add --date` notation, for the CSV.
fn date_code(rec: &IncidentRecord) -> String {
    let Some(start) = rec.date_start else {
        return String::new();
    };
    let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let mut code = match rec.date_end.filter(|e| *e != start) {
        None => iso(start),
        Some(end) if whole_month(start, end) => start.format("%Y-%m").to_string(),
        Some(end) if whole_year(start, end) => start.format("%Y").to_string(),
        Some(end) => format!("{}/{}", iso(start), iso(end)),
    };
    if rec.date_approximate {
        code.push('?');
    }
    code
}

// ----------------------------------------------------------------- place

/// Where: locality, district, province, country. The words "district" and
/// "province" are added only where they are what those levels are called.
fn place_phrase(rec: &IncidentRecord) -> String {
    let (admin2_word, admin1_word) = match rec.country.as_str() {
        "AF" | "PK" => ("district", "province"),
        "IQ" | "SY" | "YE" | "EG" => ("district", "governorate"),
        "PH" => ("", "province"),
        "MX" | "IN" | "NG" | "BR" => ("", "state"),
        _ => ("", ""),
    };
    let labelled = |name: &str, word: &str| {
        let name = name.trim();
        if name.is_empty() || word.is_empty() || name.to_lowercase().ends_with(word) {
            name.to_string()
        } else {
            format!("{name} {word}")
        }
    };
    let mut parts: Vec<String> = Vec::new();
    for part in [
        rec.locality.trim().to_string(),
        labelled(&rec.admin2, admin2_word),
        labelled(&rec.admin1, admin1_word),
        country::name(&rec.country),
    ] {
        let repeated = parts.last().is_some_and(|p| p.eq_ignore_ascii_case(&part));
        if !part.is_empty() && !repeated {
            parts.push(part);
        }
    }
    parts.join(", ")
}

// ---------------------------------------------------------------- people

/// What a victim's role is called, singular and plural.
fn role(v: &VictimRecord) -> (String, String) {
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

fn article(word: &str) -> &'static str {
    match word.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

fn number_word(n: usize) -> String {
    const WORDS: [&str; 11] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| w.to_string())
}

/// `A`, `A and B`, `A, B and C`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
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
fn describe(victims: &[&VictimRecord]) -> (String, bool) {
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

// ------------------------------------------------------------------ acts

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

/// When an act happened, when its own date differs from the incident's
/// (shot on 6 July, died on 15 July): " on 15 July 2021".
fn act_date(act: &ActRecord, incident: Option<NaiveDate>) -> String {
    let Some(start) = act.date_start.filter(|d| Some(*d) != incident) else {
        return String::new();
    };
    match act.date_precision {
        None | Some(DatePrecision::Day) => format!(" on {}", day_text(start)),
        Some(DatePrecision::Month) => format!(" in {} {}", month(start), start.year()),
        Some(DatePrecision::Year) => format!(" in {}", start.year()),
        Some(DatePrecision::Week | DatePrecision::Unknown) => String::new(),
    }
}

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
/// seized".
fn verb_phrase(verbs: &[(Verb, String)], plural: bool) -> String {
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
                parts.push(format!("{a}{when}"));
                after_be = false;
            }
        }
    }
    and_list(&parts)
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
fn status_sentences(victims: &[&VictimRecord]) -> Vec<String> {
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
/// shot dead", "C was wounded".
fn harm_clauses(victims: &[&VictimRecord], incident: Option<NaiveDate>) -> Vec<String> {
    let mut groups: Vec<(Harms, Vec<&VictimRecord>)> = Vec::new();
    for v in victims {
        let verbs = verbs_of(v, incident);
        match groups.iter_mut().find(|(k, _)| *k == verbs) {
            Some((_, list)) => list.push(v),
            None => groups.push((verbs, vec![v])),
        }
    }
    groups
        .iter()
        .map(|(verbs, list)| {
            let (who, plural) = describe(list);
            format!("{who} {}", verb_phrase(verbs, plural))
        })
        .collect()
}

// ----------------------------------------------------------- attribution

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

/// Who is said to have done it, and on what basis: one sentence.
fn attribution(victims: &[&VictimRecord]) -> String {
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
    let violent = has(&[
        ActType::Killed,
        ActType::Wounded,
        ActType::AttemptedKilling,
        ActType::Kidnapped,
        ActType::Hostage,
    ]);

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
        if inv.role == Role::FailedToProtect
            || name.is_empty()
            || name.eq_ignore_ascii_case("unknown")
            || inv.actor_type == Some(ActorType::Unknown)
        {
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
    let claimed =
        by_basis.contains_key(&Basis::Claimed) || by_basis.contains_key(&Basis::Acknowledged);
    let only_denials = by_basis.keys().all(|b| *b == Basis::Denied);
    if only_denials {
        clauses.insert(0, "the perpetrators have not been identified".into());
    }
    if violent && !claimed {
        clauses.push(format!("no group claimed the {noun}"));
    }
    format!("{}.", capitalize(&clauses.join("; ")))
}

// ------------------------------------------------------ disputed claims

/// "Reports differ on the date: Pajhwok reported 8 August 2021; Tolo News
/// reported 9 August 2021." for every incident field public sources
/// disagree on. Claims by confidential sources, and withdrawn sources and
/// claims, are never read.
fn differences(rec: &IncidentRecord) -> Vec<String> {
    let public: HashMap<String, &SourceRecord> = rec
        .sources
        .iter()
        .filter(|s| !s.confidential && s.withdrawn_at.is_none())
        .filter_map(|s| Some((s.uid?.to_string(), s)))
        .collect();
    let claims: Vec<(&ClaimRecord, &SourceRecord)> = rec
        .claims
        .iter()
        .filter(|c| c.withdrawn_at.is_none())
        .filter(|c| c.subject == ClaimSubject::Incident && c.subject_uid.is_none())
        .filter_map(|c| Some((c, *public.get(&c.source)?)))
        .collect();
    let mut fields: Vec<&str> = Vec::new();
    for (c, _) in &claims {
        if !fields.contains(&c.field.as_str()) {
            fields.push(&c.field);
        }
    }
    let mut out = Vec::new();
    for field in fields {
        let on_field: Vec<&(&ClaimRecord, &SourceRecord)> =
            claims.iter().filter(|(c, _)| c.field == field).collect();
        if on_field.iter().all(|(c, _)| c.accepted) {
            continue;
        }
        let said: Vec<String> = on_field
            .iter()
            .map(|(c, s)| {
                let who = if s.publisher.trim().is_empty() {
                    "one report".to_string()
                } else {
                    s.publisher.trim().to_string()
                };
                let value = claim_value(field, &c.value);
                match c.stance {
                    Stance::Asserts => format!("{who} reported {value}"),
                    Stance::Denies => format!("{who} denied {value}"),
                    Stance::Corrects => format!("{who} corrected it to {value}"),
                }
            })
            .collect();
        out.push(format!(
            "Reports differ on the {}: {}.",
            field_label(field),
            said.join("; ")
        ));
    }
    out
}

fn field_label(field: &str) -> String {
    match field {
        "date" | "date_start" => "date".into(),
        "date_end" => "end date".into(),
        "admin1" => "province".into(),
        "admin2" => "district".into(),
        "locality" | "place" => "place".into(),
        other => other.replace('_', " "),
    }
}

fn claim_value(field: &str, value: &str) -> String {
    let value = value.trim();
    if field.starts_with("date") {
        if let Ok(d) = value.parse::<NaiveDate>() {
            return day_text(d);
        }
    }
    value.to_string()
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {

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
    use super::*;

    fn on(date: &str, end: Option<&str>, approximate: bool, reported: &str) -> String {
        let rec = IncidentRecord {
            date_start: Some(date.parse().unwrap()),
            date_end: end.map(|e| e.parse().unwrap()),
            date_approximate: approximate,
            date_as_reported: reported.into(),
            ..IncidentRecord::default()
        };
        date_phrase(&rec)
    }

    #[test]
    fn dates_read_as_precisely_as_they_are_known() {
        assert_eq!(on("2021-08-08", None, false, ""), "On 8 August 2021");
        assert_eq!(on("2021-08-08", None, true, ""), "Around 8 August 2021");
        assert_eq!(
            on("2021-08-01", Some("2021-08-31"), false, ""),
            "In August 2021"
        );
        assert_eq!(
            on("2021-02-01", Some("2021-02-28"), true, ""),
            "Around February 2021"
        );
        assert_eq!(on("2021-01-01", Some("2021-12-31"), false, ""), "In 2021");
        assert_eq!(
            on(
                "2021-02-25",
                Some("2021-02-26"),
                false,
                "night of 25 February"
            ),
            "On the night of 25–26 February 2021"
        );
        assert_eq!(
            on("2021-02-25", Some("2021-02-26"), false, ""),
            "Between 25 and 26 February 2021"
        );
        assert_eq!(
            on("2021-02-27", Some("2021-03-02"), false, ""),
            "Between 27 February and 2 March 2021"
        );
        assert_eq!(
            on("2020-12-30", Some("2021-01-02"), true, ""),
            "Around 30 December 2020–2 January 2021"
        );
        assert_eq!(
            date_phrase(&IncidentRecord::default()),
            "On a date that is not known"
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
            harm_clauses(&[&a, &b, &c, &d], None),
            [
                "Ahmad Shah, a journalist at Radio Nawa, and two journalists who asked not to be \
                 named were abducted and shot dead",
                "Bilal Sarwary, a journalist at Radio Nawa, was detained and had their equipment \
                 seized",
            ]
        );
    }

    fn attributed(act: ActType, links: &[(&str, ActorType, Basis)]) -> String {
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
        assert_eq!(
            attributed(ActType::Wounded, &[("Jamaat", ArmedGroup, Basis::Witness)]),
            "Witnesses identified the perpetrators as the Jamaat; no group claimed the attack."
        );
        assert_eq!(
            attributed(
                ActType::Threatened,
                &[("Omar Khan", PrivateIndividual, Basis::Inferred)]
            ),
            "Omar Khan is believed to be responsible."
        );
        assert_eq!(
            attributed(
                ActType::Hostage,
                &[("Al-Shabaab", ArmedGroup, Basis::Denied)]
            ),
            "The perpetrators have not been identified; Al-Shabaab denied involvement; \
             no group claimed the abduction."
        );
        assert_eq!(
            attributed(
                ActType::Killed,
                &[
                    ("NDS", StateIntelligence, Basis::MonitorAssessment),
                    ("X", Unknown, Basis::Unknown)
                ]
            ),
            "Monitors attribute the killing to the NDS; no group claimed the killing."
        );
        assert_eq!(
            attributed(
                ActType::Killed,
                &[
                    ("Taliban", ArmedGroup, Basis::OfficialAccusation),
                    ("Unknown perpetrator", Unknown, Basis::Unknown)
                ]
            ),
            "Officials suspected the Taliban; no group claimed the killing."
        );
        assert_eq!(
            attributed(ActType::Detained, &[("unknown", Unknown, Basis::Unknown)]),
            "The perpetrators have not been identified."
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
            harm_clauses(&[&v], incident),
            [
                "Ahmad Shah, a journalist at Radio Nawa, was shot and wounded and died of their \
                 wounds on 15 July 2021"
            ]
        );
    }

    #[test]
    fn markdown_formatting_in_names_is_escaped() {
        assert_eq!(md_escape("*Radio_1* [x]"), "\\*Radio\\_1\\* \\[x\\]");
    }
}

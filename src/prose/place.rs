//! Where: the place of an incident, and the circumstances recorded in its
//! `context` ("from his home", "at a protest"), as words.

use super::people::{possessive, taken_away};
use crate::country;
use crate::model::*;
use crate::vocab::Context;

/// Where: locality, district, province, country. The words "district" and
/// "province" are added only where they are what those levels are called.
pub(super) fn place_phrase(rec: &IncidentRecord) -> String {
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

/// The incident's recorded context, worded to follow the first clause
/// ("was abducted from his home", "was beaten at a protest"); None when no
/// context is recorded, or when the clause already says it ("died in
/// custody", "threatened online"). `victims` are the first clause's.
pub(super) fn context_phrase(
    context: Context,
    clause: &str,
    victims: &[&VictimRecord],
) -> Option<String> {
    let home = || {
        let taken = victims.first().is_some_and(|v| taken_away(v));
        match (victims.len(), taken) {
            (1, true) => format!("from {} home", possessive(victims)),
            (1, false) => format!("at {} home", possessive(victims)),
            // Several people: one home or several is not recorded.
            (_, true) => "from home".to_string(),
            (_, false) => "at home".to_string(),
        }
    };
    let phrase = match context {
        Context::ArmedClashes => "during armed clashes".to_string(),
        Context::Embedded => "while embedded".to_string(),
        Context::Protest => "at a protest".to_string(),
        Context::Riot => "during a riot".to_string(),
        Context::AtHome => home(),
        Context::Commuting => "while commuting".to_string(),
        Context::AtWork => "at work".to_string(),
        Context::InCustody => "in custody".to_string(),
        Context::AtBorder => "at the border".to_string(),
        Context::Online => "online".to_string(),
        Context::Court => "in court".to_string(),
        Context::Other | Context::Unknown => return None,
    };
    (!clause.ends_with(&phrase) && !clause.contains(&format!("{phrase} "))).then_some(phrase)
}

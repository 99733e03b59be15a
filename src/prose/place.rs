//! Where: the place of an incident as words.

use crate::country;
use crate::model::*;

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

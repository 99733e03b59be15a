//! Country codes, checked against ISO 3166 (the `rust_iso3166` crate), and
//! the country names a user may type instead.
//!
//! A registry stores ISO 3166-1 alpha-2 codes, and the four-letter ISO 3166-3
//! code of a state that no longer exists (YUCS: Yugoslavia), because a
//! killing in 1992 happened in a country that was not yet Bosnia and
//! Herzegovina. Lower case is accepted on input and stored upper case; so
//! are an alpha-3 code (AFG) and a name (`Afghanistan`, `Ivory Coast`,
//! `UK`): the names the importers know (`exchange::countries`, one table for
//! both). A near miss (`Afganistan`) is refused with the name and code it
//! probably meant, never guessed.

use anyhow::{bail, Result};

/// What `check` accepts, for its messages.
const ACCEPTED: &str = "an ISO 3166-1 code such as AF or AFG, a name such as Afghanistan, \
                        or an ISO 3166-3 code of a former state such as YUCS";

/// Checks a country code (or name) and returns the code, upper-cased.
pub fn check(code: &str) -> Result<String> {
    let upper = code.trim().to_ascii_uppercase();
    let known = match upper.len() {
        2 => rust_iso3166::from_alpha2(&upper).map(|c| c.alpha2),
        3 => rust_iso3166::from_alpha3(&upper).map(|c| c.alpha2),
        4 => rust_iso3166::iso3166_3::from_code(&upper).map(|_| ""),
        _ => None,
    };
    match known {
        Some("") => return Ok(upper),
        Some(alpha2) => return Ok(alpha2.to_string()),
        None => {}
    }
    if let Some(found) = crate::exchange::countries::resolve(code, &[]) {
        return Ok(found.to_string());
    }
    match nearest(code) {
        Some((name, found)) => {
            bail!("unknown country '{code}': did you mean {name} ({found})? (accepted: {ACCEPTED})")
        }
        None => bail!("unknown country '{code}' (accepted: {ACCEPTED})"),
    }
}

/// The ISO country whose name is nearest to a misspelt `typed`, if one is
/// near enough (Jaro-Winkler 0.9: `Afganistan`, `Columbia`, not `Atlantis`).
fn nearest(typed: &str) -> Option<(String, &'static str)> {
    let key = typed.trim().to_lowercase();
    if key.chars().count() < 4 {
        return None;
    }
    rust_iso3166::ALL
        .iter()
        .map(|c| {
            let short = short_name(c.name);
            let plain = short.trim_start_matches("the ").to_string();
            (
                strsim::jaro_winkler(&key, &plain.to_lowercase()),
                plain,
                c.alpha2,
            )
        })
        .filter(|(score, _, _)| *score >= 0.9)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name, code)| (name, code))
}

/// Every current country as (alpha-2 code, short name), by name: the
/// choices an interactive `add` offers (a former state is given by flag).
pub fn choices() -> Vec<(&'static str, String)> {
    let mut all: Vec<(&'static str, String)> = rust_iso3166::ALL
        .iter()
        .map(|c| (c.alpha2, short_name(c.name)))
        .collect();
    all.sort_by_key(|(_, name)| name.trim_start_matches("the ").to_lowercase());
    all
}

/// The English short name of a stored code, or the code itself.
pub fn name(code: &str) -> String {
    match code.len() {
        2 => rust_iso3166::from_alpha2(code).map(|c| short_name(c.name)),
        4 => rust_iso3166::iso3166_3::from_code(code).map(|c| short_name(c.name)),
        _ => None,
    }
    .unwrap_or_else(|| code.to_string())
}

/// ISO's names put qualifiers after a comma or in brackets ("Congo, Democratic
/// Republic of the"; "Iran (Islamic Republic of)"); letters and summaries read
/// better with a few common short forms.
fn short_name(iso: &str) -> String {
    let fixed = match iso {
        "United States of America" => "the United States",
        "United Kingdom of Great Britain and Northern Ireland" => "the United Kingdom",
        "Russian Federation" => "Russia",
        "Iran (Islamic Republic of)" => "Iran",
        "Syrian Arab Republic" => "Syria",
        "Netherlands, Kingdom of the" | "Netherlands" => "the Netherlands",
        "Philippines" => "the Philippines",
        "Korea, Republic of" => "South Korea",
        "Venezuela (Bolivarian Republic of)" => "Venezuela",
        "Bolivia (Plurinational State of)" => "Bolivia",
        "Türkiye" => "Türkiye",
        "Palestine, State of" => "Palestine",
        "Congo, Democratic Republic of the" => "the Democratic Republic of the Congo",
        other => other,
    };
    fixed.to_string()
}

/// Whether a victim of `nationality` is foreign in `country` (None when the
/// nationality is not known).
pub fn is_foreign(nationality: &str, country: &str) -> Option<bool> {
    (!nationality.is_empty()).then(|| !nationality.eq_ignore_ascii_case(country))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_checked_and_upper_cased() {
        assert_eq!(check("af").unwrap(), "AF");
        assert_eq!(check("YUCS").unwrap(), "YUCS");
        assert!(check("XX").is_err());
        assert_eq!(check("AFG").unwrap(), "AF");
    }

    #[test]
    fn names_are_accepted_and_near_misses_suggested() {
        assert_eq!(check("Afghanistan").unwrap(), "AF");
        assert_eq!(check("ivory coast").unwrap(), "CI");
        assert_eq!(check("UK").unwrap(), "GB");
        let err = check("Afganistan").unwrap_err().to_string();
        assert!(
            err.starts_with(
                "unknown country 'Afganistan': did you mean Afghanistan (AF)? (accepted:"
            ),
            "{err}"
        );
        let err = check("Atlantis").unwrap_err().to_string();
        assert!(
            err.starts_with("unknown country 'Atlantis' (accepted:"),
            "{err}"
        );
    }

    #[test]
    fn names_read_naturally() {
        assert_eq!(name("AF"), "Afghanistan");
        assert_eq!(name("US"), "the United States");
    }
}

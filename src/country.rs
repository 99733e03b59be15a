//! Country codes, checked against ISO 3166 (the `rust_iso3166` crate).
//!
//! A registry stores ISO 3166-1 alpha-2 codes, and the four-letter ISO 3166-3
//! code of a state that no longer exists (YUCS: Yugoslavia), because a
//! killing in 1992 happened in a country that was not yet Bosnia and
//! Herzegovina. Lower case is accepted on input and stored upper case.

use anyhow::{bail, Result};

/// Checks a country code and returns it upper-cased.
pub fn check(code: &str) -> Result<String> {
    let upper = code.trim().to_ascii_uppercase();
    let known = match upper.len() {
        2 => rust_iso3166::from_alpha2(&upper).is_some(),
        4 => rust_iso3166::iso3166_3::from_code(&upper).is_some(),
        _ => false,
    };
    if !known {
        bail!(
            "unknown country '{code}' (accepted: an ISO 3166-1 alpha-2 code such as AF, MX, US, \
             or an ISO 3166-3 code of a former state such as YUCS)"
        );
    }
    Ok(upper)
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
        assert!(check("Afghanistan").is_err());
    }

    #[test]
    fn names_read_naturally() {
        assert_eq!(name("AF"), "Afghanistan");
        assert_eq!(name("US"), "the United States");
    }
}

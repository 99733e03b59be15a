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

mod blame;
mod claims;
mod people;
mod place;
mod render;
mod when;

use crate::model::*;
use crate::vocab::*;

use render::Tally;
pub use render::{csv, paragraphs};

/// One incident, worded.
pub struct Case {
    reference: String,
    /// The date in the notation `add --date` takes (`2021-08`, `…/…`, `?`).
    date: String,
    country: String,
    text: String,
    tally: Tally,
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
        let clauses = people::harm_clauses(&victims, rec.date_start);
        let mut first = format!(
            "{}, {} in {}",
            when::date_phrase(rec),
            clauses[0],
            place::place_phrase(rec)
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
        sentences.extend(people::status_sentences(&victims));
        sentences.push(blame::attribution(&victims));
        sentences.extend(claims::differences(rec));
        let reference = rec.reference.clone().unwrap_or_default();
        Some(Case {
            reference,
            date: when::date_code(rec),
            country: rec.country.clone(),
            text: sentences.join(" "),
            tally: render::tally(&victims),
        })
    }
}

pub(crate) fn article(word: &str) -> &'static str {
    match word.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

pub(crate) fn number_word(n: usize) -> String {
    const WORDS: [&str; 11] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| w.to_string())
}

/// `A`, `A and B`, `A, B and C`.
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

pub(crate) fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

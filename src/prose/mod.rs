//! The cases of a letter as English sentences, with the sources to cite
//! for each, and the counts paragraph taken from the same sentences: what
//! `pressreg letter` prints.
//!
//! What must stay true (DESIGN §6, SECURITY R16):
//! * a letter speaks for an audience as `export` does: the record is first
//!   cut by the export profile's allow-list (`exchange::profile`), so a
//!   record, victim, claim or label the profile hides is never worded;
//! * whatever the profile, never a private note, a note or summary (free
//!   text is not reviewed for publication, the generated sentences are), a
//!   confidential source or what it claims;
//! * a victim who asked not to be named is described, never named, and
//!   without their outlet, which could name them as surely;
//! * every clause comes from a recorded field, link or claim: nothing is
//!   said because something is missing (no "nobody claimed it" because no
//!   claim is recorded). The tests build records with and without each
//!   field and check that its clause appears only when it is recorded;
//! * each case is one line: line breaks in recorded text become spaces;
//! * every number in the counts paragraph is a count of the people named or
//!   described in the sentences above it.

mod blame;
mod claims;
mod people;
mod place;
mod render;
mod sources;
mod when;

use crate::exchange::profile::{self, Profile};
use crate::model::*;
use crate::vocab::*;

use render::Tally;
pub use render::{csv, paragraphs};
use sources::Citation;

/// One incident, worded.
pub struct Case {
    reference: String,
    /// The date in the notation `add --date` takes (`2021-08`, `…/…`, `?`).
    date: String,
    country: String,
    text: String,
    /// The public sources to cite, in the order recorded.
    sources: Vec<Citation>,
    /// Whether the letter shows the case as disputed: by its verification
    /// level, or by what its sources are shown to disagree on.
    pub disputed: bool,
    tally: Tally,
}

impl Case {
    /// The case as `audience` may read it; None when the profile hides the
    /// incident or leaves it no victim to speak of.
    pub fn from_record(audience: Profile, rec: &IncidentRecord) -> Option<Case> {
        // The query has already decided whether deleted incidents are
        // wanted (--include-deleted); the profile would drop them all.
        let mut rec = rec.clone();
        let deleted_at = rec.deleted_at.take();
        // Pseudonyms are never printed (anonymous victims are described),
        // so victims' positions do not matter here.
        let rec = profile::apply(audience, &rec, &[])?;
        let victims: Vec<&VictimRecord> = rec.victims.iter().collect();
        if victims.is_empty() {
            return None;
        }
        let clauses = people::harm_clauses(&victims, rec.date_start);
        let (clause, first_victims) = &clauses[0];
        let mut first = format!("{}, {clause}", when::date_phrase(&rec));
        if let Some(context) = place::context_phrase(rec.context, clause, first_victims) {
            first.push(' ');
            first.push_str(&context);
        }
        first.push_str(" in ");
        first.push_str(&place::place_phrase(&rec));
        first.push_str(verification_note(rec.verification));
        if deleted_at.is_some() {
            // Only with --include-deleted.
            first.push_str(" (deleted from the registry)");
        }
        let mut sentences = vec![format!("{first}.")];
        sentences.extend(
            clauses
                .iter()
                .skip(1)
                .map(|(c, _)| format!("{}.", capitalize(c))),
        );
        sentences.extend(people::status_sentences(&victims));
        sentences.extend(blame::attribution(&victims));
        let differences = claims::differences(&rec);
        let disputed = rec.verification == Verification::Disputed || !differences.is_empty();
        sentences.extend(differences);
        Some(Case {
            reference: one_line(rec.reference.as_deref().unwrap_or_default()),
            date: when::date_code(&rec),
            country: one_line(&rec.country),
            text: one_line(&sentences.join(" ")),
            sources: sources::citations(&rec),
            disputed,
            tally: render::tally(&victims),
        })
    }
}

/// What the incident's verification level says, after the first clause.
/// It follows the recorded level only: how many sources there are is
/// what the sources sentence shows.
fn verification_note(level: Verification) -> &'static str {
    match level {
        Verification::Reported => " (not yet corroborated)",
        Verification::Disputed => " (disputed)",
        // Only when asked for with --verification: say so, or a false
        // report would read as fact.
        Verification::Rejected => " (rejected as a false report)",
        Verification::OutOfScope => " (out of the registry's scope)",
        Verification::Duplicate => " (a duplicate record)",
        Verification::Corroborated | Verification::Verified => "",
    }
}

/// Recorded text on one line: a line break (or any control character) in a
/// name would otherwise start a new paragraph, or a new CSV-looking row,
/// in the letter.
pub(crate) fn one_line(s: &str) -> String {
    let breaks = |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    if !s.contains(breaks) {
        return s.to_string();
    }
    s.split(breaks)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
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

//! The sources to cite for a case: each public source's publisher and
//! publication date, as recorded. A confidential source is never cited,
//! whatever the profile.

use chrono::NaiveDate;

use super::one_line;
use super::when::day_text;
use crate::model::*;

/// One source as a letter cites it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Citation {
    /// The publisher, or the URL when no publisher is recorded.
    pub label: String,
    pub published_on: Option<NaiveDate>,
    pub url: String,
}

impl Citation {
    /// `Reuters, 9 August 2021`, or the publisher alone when no date is
    /// recorded.
    pub fn text(&self) -> String {
        match self.published_on {
            Some(d) => format!("{}, {}", self.label, day_text(d)),
            None => self.label.clone(),
        }
    }
}

/// The record's non-confidential, unwithdrawn sources that name something
/// to cite (a publisher or a URL), each once, in the order recorded.
pub(super) fn citations(rec: &IncidentRecord) -> Vec<Citation> {
    let mut out: Vec<Citation> = Vec::new();
    for s in rec
        .sources
        .iter()
        .filter(|s| !s.confidential && s.withdrawn_at.is_none())
    {
        let url = one_line(s.url.trim());
        let publisher = one_line(s.publisher.trim());
        let label = if publisher.is_empty() {
            url.clone()
        } else {
            publisher
        };
        if label.is_empty() {
            continue;
        }
        let c = Citation {
            label,
            published_on: s.published_on,
            url,
        };
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// "Sources: Reuters, 9 August 2021; AP." (None when nothing is cited);
/// `cite` words one source.
pub(super) fn sentence(cited: &[Citation], cite: impl Fn(&Citation) -> String) -> Option<String> {
    let lead = match cited.len() {
        0 => return None,
        1 => "Source",
        _ => "Sources",
    };
    let list: Vec<String> = cited.iter().map(cite).collect();
    Some(format!("{lead}: {}.", list.join("; ")))
}

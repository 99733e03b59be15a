//! The letter's layout: paragraphs (text or Markdown), CSV rows, and the
//! counts paragraph taken from the people the sentences speak of.

use anyhow::Result;

use super::sources::{self, Citation};
use super::{and_list, Case};
use crate::exchange::profile::Profile;
use crate::model::*;
use crate::output::csv_text;
use crate::vocab::*;

/// How many people in the sentences suffered each harm the counts name.
#[derive(Default)]
pub(super) struct Tally {
    killed: usize,
    wounded: usize,
    abducted: usize,
    detained: usize,
    other: usize,
}

/// How the counts were made, and which records they cover.
fn footnote(audience: Profile) -> String {
    let covered = match audience {
        Profile::Public => "only records marked public are included",
        Profile::Partner => "only records marked public or partner are included",
        Profile::Internal => "records marked restricted are left out",
        Profile::Full => "records at every confidentiality level are included",
    };
    format!(
        "Counting: each journalist or media worker in the cases above is counted once under \
         each harm done to them (someone abducted and later killed counts as abducted and as \
         killed), so the figures can add up to more than the number of people; media outlets \
         are not counted as people; {covered}."
    )
}

/// The cases as paragraphs, each with its sources, then the counts and how
/// they were made: plain text, or Markdown with the refs in bold and the
/// sources linked.
pub fn paragraphs(cases: &[Case], markdown: bool, audience: Profile) -> String {
    let mut out = String::new();
    for case in cases {
        let cited = if markdown {
            sources::sentence(&case.sources, md_citation)
        } else {
            sources::sentence(&case.sources, Citation::text)
        };
        let cited = cited.map(|c| format!(" {c}")).unwrap_or_default();
        if markdown {
            out.push_str(&format!(
                "**{}** — {}{cited}\n\n",
                md_escape(&case.reference),
                md_escape(&case.text)
            ));
        } else {
            out.push_str(&format!("{} — {}{cited}\n\n", case.reference, case.text));
        }
    }
    out.push_str(&counts(cases));
    out.push_str("\n\n");
    if markdown {
        out.push_str(&format!("_{}_\n", footnote(audience)));
    } else {
        out.push_str(&footnote(audience));
        out.push('\n');
    }
    out
}

/// One row per case; `sources` cites each source with its URL, so a
/// spreadsheet holds everything a footnote needs.
pub fn csv(cases: &[Case]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["ref", "date", "country", "sentence", "sources"])?;
    for c in cases {
        let cited: Vec<String> = c
            .sources
            .iter()
            .map(|s| {
                if s.url.is_empty() || s.url == s.label {
                    s.text()
                } else {
                    format!("{}, {}", s.text(), s.url)
                }
            })
            .collect();
        w.write_record([
            csv_text(&c.reference).as_ref(),
            csv_text(&c.date).as_ref(),
            csv_text(&c.country).as_ref(),
            csv_text(&c.text).as_ref(),
            csv_text(&cited.join("; ")).as_ref(),
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// A source as a Markdown link to its web address; as text when the
/// address is not a web one (a `javascript:` link must not become
/// clickable).
fn md_citation(c: &Citation) -> String {
    let text = md_escape(&c.text());
    let lower = c.url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return text;
    }
    let mut url = String::with_capacity(c.url.len());
    for ch in c.url.chars() {
        match ch {
            ' ' => url.push_str("%20"),
            '(' => url.push_str("%28"),
            ')' => url.push_str("%29"),
            '<' => url.push_str("%3C"),
            '>' => url.push_str("%3E"),
            '\\' => url.push_str("%5C"),
            _ => url.push(ch),
        }
    }
    format!("[{text}]({url})")
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

pub(super) fn tally(victims: &[&VictimRecord]) -> Tally {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_become_markdown_links() {
        let cite = |url: &str| Citation {
            label: "Radio_1".into(),
            published_on: "2021-08-09".parse().ok(),
            url: url.into(),
        };
        assert_eq!(
            md_citation(&cite("https://example.org/a (b)")),
            "[Radio\\_1, 9 August 2021](https://example.org/a%20%28b%29)"
        );
        assert_eq!(
            md_citation(&cite("javascript:alert(1)")),
            "Radio\\_1, 9 August 2021"
        );
    }

    #[test]
    fn markdown_formatting_in_names_is_escaped() {
        assert_eq!(md_escape("*Radio_1* [x]"), "\\*Radio\\_1\\* \\[x\\]");
    }
}

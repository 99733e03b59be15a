//! What the sources disagree on.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::when::day_text;
use crate::model::*;
use crate::vocab::*;

/// "Reports differ on the date: Pajhwok reported 8 August 2021; Tolo News
/// reported 9 August 2021." for every incident field public sources
/// disagree on, each report once however often it was recorded. Only the
/// fields a letter words (date and place) are read: a claim on any other
/// field could carry a value the letter's audience must not see
/// (coordinates, a note, a summary). Claims by confidential sources, and
/// withdrawn sources and claims, are never read.
pub(super) fn differences(rec: &IncidentRecord) -> Vec<String> {
    let public: HashMap<String, &SourceRecord> = rec
        .sources
        .iter()
        .filter(|s| !s.confidential && s.withdrawn_at.is_none())
        .filter_map(|s| Some((s.uid?.to_string(), s)))
        .collect();
    let claims: Vec<(&str, &ClaimRecord, &SourceRecord)> = rec
        .claims
        .iter()
        .filter(|c| c.withdrawn_at.is_none())
        .filter(|c| c.subject == ClaimSubject::Incident && c.subject_uid.is_none())
        .filter_map(|c| Some((field_label(&c.field)?, c, *public.get(&c.source)?)))
        .collect();
    let mut labels: Vec<&str> = Vec::new();
    for (label, _, _) in &claims {
        if !labels.contains(label) {
            labels.push(label);
        }
    }
    let mut out = Vec::new();
    for label in labels {
        let on_field: Vec<&(&str, &ClaimRecord, &SourceRecord)> =
            claims.iter().filter(|(l, _, _)| *l == label).collect();
        if on_field.iter().all(|(_, c, _)| c.accepted) {
            continue;
        }
        let mut said: Vec<String> = Vec::new();
        for (_, c, s) in on_field {
            let who = if s.publisher.trim().is_empty() {
                "one report".to_string()
            } else {
                s.publisher.trim().to_string()
            };
            let value = claim_value(&c.field, &c.value);
            let report = match c.stance {
                Stance::Asserts => format!("{who} reported {value}"),
                Stance::Denies => format!("{who} denied {value}"),
                Stance::Corrects => format!("{who} corrected it to {value}"),
            };
            if !said.contains(&report) {
                said.push(report);
            }
        }
        out.push(format!(
            "Reports differ on the {label}: {}.",
            said.join("; ")
        ));
    }
    out
}

/// What the letter calls a field it words; None for every other field.
fn field_label(field: &str) -> Option<&'static str> {
    Some(match field {
        "date" | "date_start" => "date",
        "date_end" => "end date",
        "admin1" => "province",
        "admin2" => "district",
        "locality" | "place" => "place",
        _ => return None,
    })
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

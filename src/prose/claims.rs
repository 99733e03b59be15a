//! What the sources disagree on.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::when::day_text;
use crate::model::*;
use crate::vocab::*;

/// "Reports differ on the date: Pajhwok reported 8 August 2021; Tolo News
/// reported 9 August 2021." for every incident field public sources
/// disagree on. Claims by confidential sources are never read.
pub(super) fn differences(rec: &IncidentRecord) -> Vec<String> {
    let public: HashMap<String, &SourceRecord> = rec
        .sources
        .iter()
        .filter(|s| !s.confidential)
        .filter_map(|s| Some((s.uid?.to_string(), s)))
        .collect();
    let claims: Vec<(&ClaimRecord, &SourceRecord)> = rec
        .claims
        .iter()
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

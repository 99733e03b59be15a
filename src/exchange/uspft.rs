//! `--format uspft`: the U.S. Press Freedom Tracker's incident export
//! (pressfreedomtracker.us/data), one incident per row (DESIGN §4).
//!
//! What must stay true: no column is dropped silently (what has no field of
//! its own is written into an act's note or the summary's "Tracker details"
//! lines); the values the importer interprets (categories, booleans, states,
//! actors, arrest status) are checked and an unknown one is an
//! `Item::Invalid` naming row, column and value; the Python `repr` leaks
//! (`None`, `True`/`False`, `[]`, `['PENDING']`) never reach the registry as
//! text.
//!
//! | tracker column | registry field | mapping |
//! |---|---|---|
//! | `slug` | `uid`, source `url` | uid = UUID v5 of "uspft\|" + slug |
//! | `title` | `title`, source `title` | |
//! | `date`, `exact_date_unknown` | dates | False → precision `day`; True → precision `month` (1st to last of the month), as reported "DATE (exact date unknown)" |
//! | `state` | `country`, `admin1` | "California (CA)", "NY", "North Carolina", "District of Columbia" → admin1 = the ISO 3166-2 `US-xx` name; a country name (Canada, Finland, Russia…) → that country; None → empty |
//! | `city` | `locality` | None → empty |
//! | `teaser`, `body` | `summary` | HTML → plain text (tags stripped, entities decoded, paragraphs kept) |
//! | `categories` | one act per category, for every victim | the Tracker's own category definitions (README, "U.S. Press Freedom Tracker"): Physical Attack → `assaulted` (`killed` with the tag `killed`); Arrest / Criminal Charge → `detained` (with no `arrest_status`: `charged`); Equipment Search or Seizure → `equipment_seized`; Equipment Damage → `property_attacked`; Border Stop → `border_stopped`; Subpoena / Legal Order → `subpoenaed`; Denial of Access → `denied_access`; Chilling Statement → `threatened`; Prior Restraint → `censored`; Leak Case → `other` (a source prosecuted, not an act against a journalist); Other Incident → `other`; empty → one `other` act, noted. Every act's note starts "tracker category: NAME" |
//! | `tags` | `killed` → the act `killed` and victim status `dead`; `threats`, `email threat` → the act `threatened`; a tag ending in "protest", or `kettle` → context `protest` | tags that name an act no category of the export covers; every other tag is a topic label, kept in "Tracker details" |
//! | `current_charges`, `dropped_charges`, `status_of_charges`, `charged_under_espionage_act` | act `charged` | when charges are listed, the status is pending, dropped, convicted or acquitted, or the Espionage Act flag is True |
//! | `targeted_journalists`, `targets`, `targeted_institutions` | victims | one `journalist` per `TargetedJournalist object (N)`, named from `targets` (less the institutions) when the names pair up one to one, else unnamed; with no journalist listed: each person in `targets` → category `other` (in a leak case, the source), each institution → `media_outlet`; nothing named → one unnamed victim, category `other` |
//! | `affiliation` | victim `outlet` (not of institutions) | None → empty; Independent → employment `freelance` |
//! | `arrest_status` | victim `status` (not of institutions), `detained` note | still in custody → `held`; … and released → `released` |
//! | `actor`, `assailant` | involvements on every act (basis `monitor_assessment`, confidence `likely`) | law enforcement → `state_police`; private individual, public figure, private security → `private_individual`; politician → `state_official`; unknown → `unknown` |
//! | `was_journalist_targeted` | `work_link` + claim | yes → `likely`; no, unknown, None → `unknown` |
//! | `first_published_at`, `last_published_at`, `latest_revision_created_at`, `authors` | source `published_on`, source `note` | |
//! | equipment, arrest, border, subpoena, prior-restraint and leak columns | the note of the act they describe | e.g. "equipment seized: camera: count of 1; status of seized equipment: returned in full" |
//! | `updates`, `links`, `tags`, `targets`, `targeted_institutions`, `target_nationality`, `politicians_or_public_figures_involved`, `lawsuit_name`, `venue`, `teaser_image`, `image_caption`, … | `summary`, "Tracker details" lines | and any act-specific column whose act is absent |
//! | (every row) | one source | `monitor_statement`, "U.S. Press Freedom Tracker", the slug URL, reliability `high`; verification `verified` |

use std::io::Read;

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use rust_iso3166::iso3166_2;

use super::countries;
use super::rows::{self, check_header, pick, Row};
use super::{Item, RowError};
use crate::model::*;
use crate::vocab::*;

/// The export's 62 columns; all required.
pub const COLUMNS: &[&str] = &[
    "title",
    "slug",
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
    "authors",
    "updates",
    "categories",
    "links",
    "equipment_seized",
    "equipment_broken",
    "targeted_journalists",
    "date",
    "exact_date_unknown",
    "affiliation",
    "city",
    "state",
    "body",
    "teaser",
    "teaser_image",
    "primary_video",
    "image_caption",
    "arrest_status",
    "status_of_charges",
    "release_date",
    "detention_date",
    "unnecessary_use_of_force",
    "lawsuit_name",
    "status_of_seized_equipment",
    "is_search_warrant_obtained",
    "actor",
    "border_point",
    "stopped_at_border",
    "target_us_citizenship_status",
    "denial_of_entry",
    "stopped_previously",
    "did_authorities_ask_for_device_access",
    "did_authorities_ask_for_social_media_user",
    "did_authorities_ask_for_social_media_pass",
    "did_authorities_ask_about_work",
    "were_devices_searched_or_seized",
    "assailant",
    "was_journalist_targeted",
    "charged_under_espionage_act",
    "subpoena_type",
    "subpoena_statuses",
    "held_in_contempt",
    "detention_status",
    "third_party_in_possession_of_communications",
    "third_party_business",
    "legal_order_type",
    "status_of_prior_restraint",
    "targets",
    "targeted_institutions",
    "tags",
    "current_charges",
    "dropped_charges",
    "venue",
    "target_nationality",
    "workers_whose_communications_were_obtained",
    "targets_whose_communications_were_obtained",
    "politicians_or_public_figures_involved",
];

/// The publisher every tracker record is sourced to.
pub const PUBLISHER: &str = "U.S. Press Freedom Tracker";

/// Tracker categories → act types.
pub const CATEGORIES: &[(&str, ActType)] = &[
    ("Physical Attack", ActType::Assaulted),
    ("Arrest / Criminal Charge", ActType::Detained),
    ("Equipment Search or Seizure", ActType::EquipmentSeized),
    ("Equipment Damage", ActType::PropertyAttacked),
    ("Border Stop", ActType::BorderStopped),
    ("Subpoena / Legal Order", ActType::Subpoenaed),
    ("Denial of Access", ActType::DeniedAccess),
    ("Chilling Statement", ActType::Threatened),
    ("Prior Restraint", ActType::Censored),
    (LEAK_CASE, ActType::Other),
    ("Other Incident", ActType::Other),
];

/// The category whose target is a source, not a journalist.
const LEAK_CASE: &str = "Leak Case";

/// The tag the Tracker puts on an attack in which a journalist died.
const KILLED_TAG: &str = "killed";

/// Tags that record a threat.
const THREAT_TAGS: &[&str] = &["threats", "email threat"];

/// `status_of_charges` values that say the target was charged.
const CHARGED_STATUSES: &[&str] = &[
    "charges pending",
    "charges dropped",
    "convicted",
    "acquitted",
];

/// Whom an incident's victims are: what the export says, and no more.
#[derive(Debug, PartialEq)]
enum Target {
    /// One `TargetedJournalist object (N)`: named when `targets` names
    /// exactly as many people as there are such entries.
    Journalist(String),
    /// A `targeted_institutions` entry, when no journalist is listed.
    Institution(String),
    /// A person in `targets`, when no journalist is listed (in a leak
    /// case, the source).
    Person(String),
    /// Nothing named: one victim stands for the unknown target, so the
    /// incident's acts are kept.
    Unnamed,
}

/// A Python-list-like column ("A, B") as its items; `None` is no item.
fn entries(row: &Row<'_>, column: &str) -> Vec<String> {
    value(row, column)
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// The victims an incident has, given its number of targeted journalists.
fn targets(row: &Row<'_>, journalists: usize) -> Vec<Target> {
    let institutions = entries(row, "targeted_institutions");
    // `targets` lists the targeted journalists' names and institutions
    // together; the people are what is not an institution.
    let people: Vec<String> = entries(row, "targets")
        .into_iter()
        .filter(|t| !institutions.contains(t))
        .collect();
    if journalists > 0 {
        // Names are given to the unnamed entries only when they pair up
        // one to one; otherwise a name could land on the wrong count.
        if people.len() == journalists {
            return people.into_iter().map(Target::Journalist).collect();
        }
        return (0..journalists)
            .map(|_| Target::Journalist(String::new()))
            .collect();
    }
    let mut out: Vec<Target> = people.into_iter().map(Target::Person).collect();
    out.extend(institutions.into_iter().map(Target::Institution));
    if out.is_empty() {
        out.push(Target::Unnamed);
    }
    out
}

const ACTORS: &[(&str, (&str, ActorType))] = &[
    (
        "law enforcement",
        (
            "Law enforcement (U.S. Press Freedom Tracker)",
            ActorType::StatePolice,
        ),
    ),
    (
        "private individual",
        (
            "Private individual (U.S. Press Freedom Tracker)",
            ActorType::PrivateIndividual,
        ),
    ),
    (
        "public figure",
        (
            "Public figure (U.S. Press Freedom Tracker)",
            ActorType::PrivateIndividual,
        ),
    ),
    (
        "private security",
        (
            "Private security (U.S. Press Freedom Tracker)",
            ActorType::PrivateIndividual,
        ),
    ),
    (
        "politician",
        (
            "Politician (U.S. Press Freedom Tracker)",
            ActorType::StateOfficial,
        ),
    ),
    (
        "unknown",
        ("Unknown (U.S. Press Freedom Tracker)", ActorType::Unknown),
    ),
    ("None", ("", ActorType::Unknown)),
];

const ARREST_STATUS: &[(&str, VictimStatus)] = &[
    ("None", VictimStatus::Unknown),
    ("arrested and released", VictimStatus::Released),
    (
        "detained and released without being processed",
        VictimStatus::Released,
    ),
    ("arrested and still in custody", VictimStatus::Held),
];

const TARGETED: &[(&str, WorkLink)] = &[
    ("yes", WorkLink::Likely),
    ("no", WorkLink::Unknown),
    ("unknown", WorkLink::Unknown),
    ("None", WorkLink::Unknown),
];

const BOOL: &[(&str, bool)] = &[("True", true), ("False", false)];

const BOOLEAN_COLUMNS: &[&str] = &[
    "exact_date_unknown",
    "unnecessary_use_of_force",
    "is_search_warrant_obtained",
    "stopped_at_border",
    "denial_of_entry",
    "stopped_previously",
    "charged_under_espionage_act",
];

use ActType as A;

/// Where each descriptive column goes: the note of the act of the first of
/// these types the incident has, or (none present) the summary's "Tracker details".
const DETAILS: &[(&str, &str, &[ActType])] = &[
    ("arrest_status", "arrest status", &[A::Detained]),
    ("detention_date", "detained on", &[A::Detained]),
    ("release_date", "released on", &[A::Detained]),
    ("detention_status", "detention status", &[A::Detained]),
    (
        "unnecessary_use_of_force",
        "unnecessary use of force",
        &[A::Detained, A::Assaulted],
    ),
    ("current_charges", "charges", &[A::Charged]),
    ("dropped_charges", "dropped charges", &[A::Charged]),
    (
        "status_of_charges",
        "status of charges",
        &[A::Charged, A::Detained],
    ),
    (
        "charged_under_espionage_act",
        "charged under the Espionage Act",
        &[A::Charged],
    ),
    (
        "equipment_seized",
        "equipment seized",
        &[A::EquipmentSeized],
    ),
    (
        "status_of_seized_equipment",
        "status of seized equipment",
        &[A::EquipmentSeized],
    ),
    (
        "is_search_warrant_obtained",
        "search warrant obtained",
        &[A::EquipmentSeized],
    ),
    (
        "equipment_broken",
        "equipment broken",
        &[A::PropertyAttacked],
    ),
    ("border_point", "border point", &[A::BorderStopped]),
    (
        "stopped_at_border",
        "stopped at the border",
        &[A::BorderStopped],
    ),
    (
        "target_us_citizenship_status",
        "citizenship status",
        &[A::BorderStopped],
    ),
    ("denial_of_entry", "denied entry", &[A::BorderStopped]),
    (
        "stopped_previously",
        "stopped previously",
        &[A::BorderStopped],
    ),
    (
        "did_authorities_ask_for_device_access",
        "asked for device access",
        &[A::BorderStopped, A::EquipmentSeized],
    ),
    (
        "did_authorities_ask_for_social_media_user",
        "asked for social media user names",
        &[A::BorderStopped],
    ),
    (
        "did_authorities_ask_for_social_media_pass",
        "asked for social media passwords",
        &[A::BorderStopped],
    ),
    (
        "did_authorities_ask_about_work",
        "asked about work",
        &[A::BorderStopped],
    ),
    (
        "were_devices_searched_or_seized",
        "devices searched or seized",
        &[A::BorderStopped, A::EquipmentSeized],
    ),
    ("subpoena_type", "subpoena type", &[A::Subpoenaed]),
    ("subpoena_statuses", "subpoena status", &[A::Subpoenaed]),
    ("held_in_contempt", "held in contempt", &[A::Subpoenaed]),
    ("legal_order_type", "legal order type", &[A::Subpoenaed]),
    (
        "third_party_in_possession_of_communications",
        "third party holding communications",
        &[A::Subpoenaed, A::Surveilled],
    ),
    (
        "third_party_business",
        "third-party business",
        &[A::Subpoenaed, A::Surveilled],
    ),
    (
        "workers_whose_communications_were_obtained",
        "workers whose communications were obtained",
        &[A::Surveilled, A::Subpoenaed],
    ),
    (
        "targets_whose_communications_were_obtained",
        "targets whose communications were obtained",
        &[A::Surveilled, A::Subpoenaed],
    ),
    (
        "status_of_prior_restraint",
        "status of prior restraint",
        &[A::Censored],
    ),
    ("lawsuit_name", "lawsuit", &[]),
    ("venue", "venue", &[]),
    ("targets", "targets", &[]),
    ("targeted_institutions", "targeted institutions", &[]),
    ("target_nationality", "target nationality", &[]),
    (
        "politicians_or_public_figures_involved",
        "politicians or public figures involved",
        &[],
    ),
    ("tags", "tags", &[]),
    ("links", "links", &[]),
    ("updates", "updates", &[]),
    ("teaser_image", "image", &[]),
    ("image_caption", "image caption", &[]),
    ("primary_video", "video", &[]),
];

/// Reads a tracker export, handing each record or bad row to `sink` as it
/// is read.
pub fn read(input: impl Read, sink: &mut dyn FnMut(Item) -> Result<()>) -> Result<()> {
    let sink = std::cell::RefCell::new(sink);
    rows::read_csv(
        input,
        &|names| check_header(names, COLUMNS, &[]),
        &mut |row| {
            let item = match record(row) {
                Ok(rec) => Item::Record {
                    row: row.row,
                    record: Box::new(rec),
                },
                Err(e) => Item::Invalid(e),
            };
            (sink.borrow_mut())(item)
        },
        &mut |e| (sink.borrow_mut())(Item::Invalid(e)),
    )
}

/// A field with the export's "nothing" spellings (`None`, `False`, `[]`)
/// turned into "", `True` into "yes" and a Python list into its items.
fn value(row: &Row<'_>, column: &str) -> String {
    let v = row.get(column).trim();
    match v {
        "" | "None" | "False" | "[]" => String::new(),
        "True" => "yes".to_string(),
        _ if v.starts_with('[') && v.ends_with(']') => v[1..v.len() - 1]
            .split(',')
            .map(|s| s.trim().trim_matches(|c| c == '\'' || c == '"'))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        _ => v.to_string(),
    }
}

fn day(row: &Row<'_>, column: &str, text: &str) -> Result<NaiveDate, RowError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        row.error(
            column,
            format!("'{text}' is not a date (accepted: YYYY-MM-DD)"),
        )
    })
}

/// The United States' ISO 3166-2 subdivisions, in `rust_iso3166`'s order
/// for "US", named one by one: asking the crate for a country's
/// subdivisions (`CountryCode::subdivisions`) links its table of every
/// country's, some 32,000 pointers that the loader relocates at every
/// start of every command (about half of all the binary's relocations,
/// 0.45 ms; README "Speed", B5).
const US_SUBDIVISIONS: &[iso3166_2::Subdivision] = &[
    iso3166_2::US_AK,
    iso3166_2::US_AL,
    iso3166_2::US_AR,
    iso3166_2::US_AS,
    iso3166_2::US_AZ,
    iso3166_2::US_CA,
    iso3166_2::US_CO,
    iso3166_2::US_CT,
    iso3166_2::US_DC,
    iso3166_2::US_DE,
    iso3166_2::US_FL,
    iso3166_2::US_GA,
    iso3166_2::US_GU,
    iso3166_2::US_HI,
    iso3166_2::US_IA,
    iso3166_2::US_ID,
    iso3166_2::US_IL,
    iso3166_2::US_IN,
    iso3166_2::US_KS,
    iso3166_2::US_KY,
    iso3166_2::US_LA,
    iso3166_2::US_MA,
    iso3166_2::US_MD,
    iso3166_2::US_ME,
    iso3166_2::US_MI,
    iso3166_2::US_MN,
    iso3166_2::US_MO,
    iso3166_2::US_MP,
    iso3166_2::US_MS,
    iso3166_2::US_MT,
    iso3166_2::US_NC,
    iso3166_2::US_ND,
    iso3166_2::US_NE,
    iso3166_2::US_NH,
    iso3166_2::US_NJ,
    iso3166_2::US_NM,
    iso3166_2::US_NV,
    iso3166_2::US_NY,
    iso3166_2::US_OH,
    iso3166_2::US_OK,
    iso3166_2::US_OR,
    iso3166_2::US_PA,
    iso3166_2::US_PR,
    iso3166_2::US_RI,
    iso3166_2::US_SC,
    iso3166_2::US_SD,
    iso3166_2::US_TN,
    iso3166_2::US_TX,
    iso3166_2::US_UM,
    iso3166_2::US_UT,
    iso3166_2::US_VA,
    iso3166_2::US_VI,
    iso3166_2::US_VT,
    iso3166_2::US_WA,
    iso3166_2::US_WI,
    iso3166_2::US_WV,
    iso3166_2::US_WY,
];

/// The state column → (country, admin1).
fn place(row: &Row<'_>) -> Result<(String, String), RowError> {
    let raw = row.get("state").trim();
    if raw.is_empty() || raw == "None" {
        return Ok(("US".into(), String::new()));
    }
    let us = US_SUBDIVISIONS;
    // "California (CA)" or "NY": the code decides, and the name must agree.
    let (name, code) = match raw.strip_suffix(')').and_then(|s| s.rsplit_once(" (")) {
        Some((name, code)) => (Some(name.trim()), Some(code)),
        None if raw.len() == 2 && raw.chars().all(|c| c.is_ascii_uppercase()) => (None, Some(raw)),
        None => (Some(raw), None),
    };
    let found = match code {
        Some(code) => us
            .iter()
            .find(|s| s.code == format!("US-{code}"))
            .filter(|s| name.is_none_or(|n| n.eq_ignore_ascii_case(s.name))),
        None => us
            .iter()
            .find(|s| name.is_some_and(|n| n.eq_ignore_ascii_case(s.name))),
    };
    if let Some(s) = found {
        return Ok(("US".into(), s.name.to_string()));
    }
    if code.is_none() {
        if let Some(country) = countries::resolve(raw, &[]) {
            return Ok((country.to_string(), String::new()));
        }
    }
    Err(row.error(
        "state",
        format!(
            "unknown state '{raw}' (accepted: a U.S. state as 'California (CA)', 'CA' or \
             'California', District of Columbia, a country name, or None)"
        ),
    ))
}

fn record(row: &Row<'_>) -> Result<IncidentRecord, RowError> {
    let get = |c: &str| row.get(c).trim();
    for column in BOOLEAN_COLUMNS {
        pick(column, get(column), BOOL, false).map_err(|m| row.error(column, m))?;
    }
    let slug = get("slug");
    if slug.is_empty() {
        return Err(row.error(
            "slug",
            "is empty (accepted: the incident's pressfreedomtracker.us URL)".into(),
        ));
    }
    let uid = rows::uid(&format!("uspft|{slug}"));

    // Dates.
    let date_text = get("date");
    let date = day(row, "date", date_text)?;
    let (start, end, precision, as_reported) = if get("exact_date_unknown") == "True" {
        let first = date.with_day(1).unwrap_or(date);
        let next = if date.month() == 12 {
            NaiveDate::from_ymd_opt(date.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(date.year(), date.month() + 1, 1)
        };
        let last = next.and_then(|n| n.pred_opt()).unwrap_or(date);
        (
            first,
            last,
            DatePrecision::Month,
            format!("{date_text} (exact date unknown)"),
        )
    } else {
        (date, date, DatePrecision::Day, date_text.to_string())
    };
    for column in ["release_date", "detention_date"] {
        let v = value(row, column);
        if !v.is_empty() {
            day(row, column, &v)?;
        }
    }

    let (country, admin1) = place(row)?;
    let city = value(row, "city");

    // Acts, by category (the Tracker's definitions: see `CATEGORIES`).
    let tags: Vec<&str> = get("tags")
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    let killed = tags.iter().any(|t| t.eq_ignore_ascii_case(KILLED_TAG));
    let arrested = !value(row, "arrest_status").is_empty();
    let mut leak_case = false;
    let mut act_types: Vec<(ActType, String)> = Vec::new();
    for category in get("categories")
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let t = pick("categories", category, CATEGORIES, false)
            .map_err(|m| row.error("categories", m))?;
        let mut note = format!("tracker category: {category}");
        let t = match t {
            // The export has no "killed" category: the Tracker marks a
            // death with the tag, on the attack that caused it.
            ActType::Assaulted if killed => {
                note.push_str("; tracker tag: killed");
                ActType::Killed
            }
            // "Arrested and taken into custody and/or charged with a
            // crime": with no arrest status, only the charge is known.
            ActType::Detained if !arrested => {
                note.push_str("; no arrest status: charged, not known to be detained");
                ActType::Charged
            }
            ActType::Other if category == LEAK_CASE => {
                leak_case = true;
                note.push_str(
                    " (a government employee or contractor investigated or prosecuted for \
                     disclosing information to journalists)",
                );
                ActType::Other
            }
            t => t,
        };
        // Two categories of one act type (Leak Case and Other Incident)
        // make one act that names both.
        match act_types.iter_mut().find(|(have, _)| *have == t) {
            Some((_, first)) => {
                first.push_str("; ");
                first.push_str(&note);
            }
            None => act_types.push((t, note)),
        }
    }
    if killed && !act_types.iter().any(|(t, _)| *t == ActType::Killed) {
        act_types.push((ActType::Killed, "tracker tag: killed".to_string()));
    }
    // Threats by private persons fit none of the export's categories (a
    // Chilling Statement is a public statement); the tag records them.
    for tag in tags
        .iter()
        .filter(|t| THREAT_TAGS.iter().any(|w| t.eq_ignore_ascii_case(w)))
    {
        let line = format!("tracker tag: {tag}");
        match act_types
            .iter_mut()
            .find(|(t, _)| *t == ActType::Threatened)
        {
            Some((_, note)) => {
                note.push_str("; ");
                note.push_str(&line);
            }
            None => act_types.push((ActType::Threatened, line)),
        }
    }
    if act_types.is_empty() {
        act_types.push((
            ActType::Other,
            "the tracker gives no category for this incident".to_string(),
        ));
    }
    let charged_because =
        if !value(row, "current_charges").is_empty() || !value(row, "dropped_charges").is_empty() {
            Some("charged (the tracker lists charges)")
        } else if CHARGED_STATUSES.contains(&get("status_of_charges")) {
            Some("charged (the tracker's status of charges says so)")
        } else if get("charged_under_espionage_act") == "True" {
            Some("charged under the Espionage Act (the tracker says so)")
        } else {
            None
        };
    if let Some(why) = charged_because {
        match act_types.iter_mut().find(|(t, _)| *t == ActType::Charged) {
            Some((_, note)) => {
                note.push_str("; ");
                note.push_str(why);
            }
            None => act_types.push((ActType::Charged, why.to_string())),
        }
    }
    let mut details: Vec<String> = Vec::new();
    for (column, label, homes) in DETAILS {
        let v = value(row, column);
        if v.is_empty() {
            continue;
        }
        let v = if *column == "image_caption" || *column == "updates" {
            html_to_text(&v)
        } else {
            v
        };
        if v.is_empty() {
            continue;
        }
        let line = format!("{label}: {v}");
        let home = homes
            .iter()
            .find_map(|h| act_types.iter().position(|(t, _)| t == h));
        match home.and_then(|i| act_types.get_mut(i)) {
            Some((_, note)) => {
                note.push_str("; ");
                note.push_str(&line);
            }
            None => details.push(line),
        }
    }

    // Who did it.
    let mut perpetrators: Vec<InvolvementRecord> = Vec::new();
    for column in ["actor", "assailant"] {
        let (name, actor_type) =
            pick(column, get(column), ACTORS, false).map_err(|m| row.error(column, m))?;
        if name.is_empty() || perpetrators.iter().any(|p| p.actor == name) {
            continue;
        }
        let mut inv = InvolvementRecord::new(name);
        inv.actor_type = Some(actor_type);
        inv.basis = Basis::MonitorAssessment;
        inv.confidence = Confidence::Likely;
        inv.note = format!("tracker {column}: {}", get(column));
        perpetrators.push(inv);
    }

    // Victims: who the Tracker says was targeted, as it says it.
    let listed = get("targeted_journalists");
    let mut count = 0usize;
    for part in listed.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let ok = part
            .strip_prefix("TargetedJournalist object (")
            .and_then(|s| s.strip_suffix(')'))
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if !ok {
            return Err(row.error(
                "targeted_journalists",
                format!(
                    "unknown targeted_journalists entry '{part}' (accepted: \
                     'TargetedJournalist object (N)', separated by ', ', or empty)"
                ),
            ));
        }
        count += 1;
    }
    let status = if killed {
        VictimStatus::Dead
    } else {
        pick("arrest_status", get("arrest_status"), ARREST_STATUS, false)
            .map_err(|m| row.error("arrest_status", m))?
    };
    let affiliation = value(row, "affiliation");
    let mut victims = Vec::new();
    for (i, target) in targets(row, count).into_iter().enumerate() {
        let i = i + 1;
        let (name, category, aside) = match &target {
            Target::Journalist(name) => (name.as_str(), Category::Journalist, ""),
            Target::Institution(name) => (
                name.as_str(),
                Category::MediaOutlet,
                "; victim: an institution the tracker lists as targeted",
            ),
            Target::Person(name) if leak_case => (
                name.as_str(),
                Category::Other,
                "; victim: the source the tracker names in a leak case, not a journalist",
            ),
            Target::Person(name) => (
                name.as_str(),
                Category::Other,
                "; victim: a target the tracker names but does not list as a targeted journalist",
            ),
            Target::Unnamed => (
                "",
                Category::Other,
                "; victim: the tracker names no target; who was targeted is unknown",
            ),
        };
        let mut v = VictimRecord::new(name);
        v.uid = Some(rows::part_uid(&uid, &format!("victim/{i}")));
        v.category = category;
        if category != Category::MediaOutlet {
            v.status = status;
            if affiliation == "Independent" {
                v.employment = Employment::Freelance;
            } else {
                v.outlet = affiliation.clone();
            }
        }
        for (t, note) in &act_types {
            let mut act = ActRecord::new(*t);
            act.uid = Some(rows::part_uid(&uid, &format!("victim/{i}/act/{t}")));
            act.note = format!("{note}{aside}");
            for (pi, p) in perpetrators.iter().enumerate() {
                let mut p = p.clone();
                p.uid = Some(rows::part_uid(
                    &uid,
                    &format!("victim/{i}/act/{t}/actor/{pi}"),
                ));
                act.perpetrators.push(p);
            }
            v.acts.push(act);
        }
        victims.push(v);
    }

    let work_link = pick(
        "was_journalist_targeted",
        get("was_journalist_targeted"),
        TARGETED,
        false,
    )
    .map_err(|m| row.error("was_journalist_targeted", m))?;
    let mut claims = Vec::new();
    let targeted = value(row, "was_journalist_targeted");
    if !targeted.is_empty() {
        claims.push(ClaimRecord {
            uid: Some(rows::part_uid(&uid, "claim/was_journalist_targeted")),
            source: "1".to_string(),
            subject: ClaimSubject::Incident,
            subject_uid: None,
            field: "was_journalist_targeted".to_string(),
            value: targeted,
            stance: Stance::Asserts,
            accepted: true,
            withdrawn_at: None,
        });
    }

    let context = if act_types.iter().any(|(t, _)| *t == ActType::BorderStopped)
        || get("stopped_at_border") == "True"
    {
        Context::AtBorder
    } else if tags.iter().any(|t| {
        let last = t.rsplit(' ').next().unwrap_or(t);
        last.eq_ignore_ascii_case("protest") || t.eq_ignore_ascii_case("kettle")
    }) {
        Context::Protest
    } else {
        Context::Unknown
    };

    // The summary: teaser, body, then what has no field of its own.
    let mut parts: Vec<String> = Vec::new();
    for column in ["teaser", "body"] {
        let text = html_to_text(get(column));
        if !text.is_empty() && !parts.contains(&text) {
            parts.push(text);
        }
    }
    if !details.is_empty() {
        parts.push(format!("Tracker details:\n{}", details.join("\n")));
    }

    let mut source = SourceRecord::new(slug);
    source.uid = Some(rows::part_uid(&uid, "source/uspft"));
    source.source_type = SourceType::MonitorStatement;
    source.publisher = PUBLISHER.to_string();
    source.title = get("title").to_string();
    source.reliability = Reliability::High;
    let first = get("first_published_at");
    if first.len() >= 10 && first != "None" {
        source.published_on = Some(day(row, "first_published_at", &first[..10])?);
    }
    let mut source_notes = Vec::new();
    for (column, label) in [
        ("last_published_at", "last published"),
        ("latest_revision_created_at", "latest revision"),
        ("authors", "authors"),
    ] {
        let v = value(row, column);
        if !v.is_empty() {
            source_notes.push(format!("{label}: {v}"));
        }
    }
    source.note = source_notes.join("; ");

    Ok(IncidentRecord {
        uid: Some(uid),
        title: get("title").to_string(),
        summary: parts.join("\n\n"),
        date_start: Some(start),
        date_end: Some(end),
        date_precision: Some(precision),
        date_as_reported: as_reported,
        country,
        admin1,
        locality: city,
        context,
        verification: Verification::Verified,
        work_link,
        victims,
        sources: vec![source],
        claims,
        ..IncidentRecord::default()
    })
}

/// HTML as plain text: tags stripped (script and style with their
/// content), entities decoded, runs of white space made one space, and
/// block elements (p, div, li, blockquote, headings…) kept as paragraphs
/// separated by a blank line; `<br>` is a line break.
pub fn html_to_text(html: &str) -> String {
    const BLOCK: &[&str] = &[
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "blockquote",
        "aside",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "table",
        "tr",
        "figure",
        "figcaption",
        "section",
        "article",
        "pre",
    ];
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut rest = html;
    let push_text = |current: &mut String, text: &str| {
        for c in decode_entities(text).chars() {
            if c.is_whitespace() {
                if !current.is_empty() && !current.ends_with([' ', '\n']) {
                    current.push(' ');
                }
            } else {
                current.push(c);
            }
        }
    };
    let flush = |current: &mut String, paragraphs: &mut Vec<String>| {
        let text = current
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string();
        if !text.is_empty() {
            paragraphs.push(text);
        }
        current.clear();
    };
    while let Some(lt) = rest.find('<') {
        push_text(&mut current, &rest[..lt]);
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
            // A lone '<': text, not a tag.
            push_text(&mut current, &rest[lt..]);
            rest = "";
            break;
        };
        let tag = &after[..gt];
        rest = &after[gt + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if (name == "script" || name == "style") && !tag.starts_with('/') {
            let close = format!("</{name}");
            match rest.to_ascii_lowercase().find(&close) {
                Some(at) => {
                    rest = &rest[at..];
                    if let Some(gt) = rest.find('>') {
                        rest = &rest[gt + 1..];
                    }
                }
                None => rest = "",
            }
            continue;
        }
        if name == "br" {
            while current.ends_with(' ') {
                current.pop();
            }
            current.push('\n');
        } else if BLOCK.contains(&name.as_str()) {
            flush(&mut current, &mut paragraphs);
        }
    }
    push_text(&mut current, rest);
    flush(&mut current, &mut paragraphs);
    paragraphs.join("\n\n")
}

/// Decodes HTML character references; an unknown one is kept as written.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[..e];
            let c = if let Some(num) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
            } else if let Some(num) = name.strip_prefix('#') {
                num.parse::<u32>().ok().and_then(char::from_u32)
            } else {
                match name {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some('\u{a0}'),
                    "mdash" => Some('—'),
                    "ndash" => Some('–'),
                    "hellip" => Some('…'),
                    "rsquo" => Some('’'),
                    "lsquo" => Some('‘'),
                    "rdquo" => Some('”'),
                    "ldquo" => Some('“'),
                    _ => None,
                }
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::cpj::tests::{items, realdata, today};
    use crate::validate;
    use std::collections::{BTreeMap, HashSet};

    fn read_slice(input: &[u8], sink: &mut dyn FnMut(Item) -> Result<()>) -> Result<()> {
        read(input, sink)
    }

    /// The subdivisions named one by one are exactly the crate's for "US",
    /// in its order (the first match by name wins).
    #[test]
    fn us_subdivisions_are_the_crates() {
        let us = rust_iso3166::from_alpha2("US");
        let crates = us.as_ref().and_then(|c| c.subdivisions());
        assert_eq!(crates, Some(US_SUBDIVISIONS));
    }

    /// A one-record export; `change` sets columns by name.
    fn csv_with(change: &[(&str, &str)]) -> String {
        let mut values: std::collections::HashMap<&str, String> =
            COLUMNS.iter().map(|c| (*c, "None".to_string())).collect();
        for (k, v) in [
            ("title", "Reporter arrested at protest"),
            ("slug", "https://pressfreedomtracker.us/all-incidents/reporter-arrested/"),
            ("first_published_at", "2017-06-01 18:56:58.597549+00:00"),
            ("categories", "Arrest / Criminal Charge, Equipment Search or Seizure"),
            ("targeted_journalists", "TargetedJournalist object (12), TargetedJournalist object (13)"),
            ("date", "2017-05-20"),
            ("exact_date_unknown", "False"),
            ("affiliation", "The Fresno Bee"),
            ("city", "Fresno"),
            ("state", "California (CA)"),
            ("body", "<div class=\"rich-text\"><p>Police &amp; deputies\r\narrested&nbsp;two reporters.</p><p>They were released.<br/>Charges &#x27;dropped&#39;.</p><script>var x = 1;</script></div>"),
            ("teaser", ""),
            ("arrest_status", "arrested and released"),
            ("status_of_charges", "charges dropped"),
            ("unnecessary_use_of_force", "False"),
            ("is_search_warrant_obtained", "False"),
            ("actor", "law enforcement"),
            ("stopped_at_border", "False"),
            ("denial_of_entry", "False"),
            ("stopped_previously", "False"),
            ("charged_under_espionage_act", "False"),
            ("subpoena_statuses", "[]"),
            ("equipment_seized", "camera: count of 1"),
            ("dropped_charges", "failure to disperse"),
            ("tags", "protest"),
            ("targets", "Ana, Ben"),
        ] {
            values.insert(k, v.to_string());
        }
        for (k, v) in change {
            values.insert(k, v.to_string());
        }
        let cells: Vec<String> = COLUMNS
            .iter()
            .map(|c| {
                let v = values[c].clone();
                if v.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", v.replace('"', "\"\""))
                } else {
                    v
                }
            })
            .collect();
        format!("{}\r\n{}\r\n", COLUMNS.join(","), cells.join(","))
    }

    fn one(change: &[(&str, &str)]) -> Result<IncidentRecord, RowError> {
        let mut got = items(csv_with(change).as_bytes(), read_slice);
        assert_eq!(got.len(), 1, "{got:?}");
        match got.remove(0) {
            Item::Record { row, record } => {
                assert_eq!(row, 2);
                Ok(*record)
            }
            Item::Invalid(e) => Err(e),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_row_maps_to_an_incident() {
        let r = one(&[]).unwrap();
        assert_eq!(r.title, "Reporter arrested at protest");
        assert_eq!(r.date_start, NaiveDate::from_ymd_opt(2017, 5, 20));
        assert_eq!(r.date_precision, Some(DatePrecision::Day));
        assert_eq!(
            (r.country.as_str(), r.admin1.as_str(), r.locality.as_str()),
            ("US", "California", "Fresno")
        );
        assert_eq!(r.context, Context::Protest);
        assert_eq!(
            r.summary,
            "Police & deputies arrested two reporters.\n\nThey were released.\nCharges \
             'dropped'.\n\nTracker details:\ntargets: Ana, Ben\ntags: protest"
        );
        // Two targeted journalists, and `targets` names two people.
        let names: Vec<(&str, Category)> = r
            .victims
            .iter()
            .map(|v| (v.name.as_str(), v.category))
            .collect();
        assert_eq!(
            names,
            [("Ana", Category::Journalist), ("Ben", Category::Journalist)]
        );
        let v = &r.victims[0];
        assert_eq!(
            (v.outlet.as_str(), v.status),
            ("The Fresno Bee", VictimStatus::Released)
        );
        let acts: Vec<(ActType, &str)> = v
            .acts
            .iter()
            .map(|a| (a.act_type, a.note.as_str()))
            .collect();
        assert_eq!(
            acts,
            vec![
                (ActType::Detained, "tracker category: Arrest / Criminal Charge; arrest status: arrested and released"),
                (ActType::EquipmentSeized, "tracker category: Equipment Search or Seizure; equipment seized: camera: count of 1"),
                (ActType::Charged, "charged (the tracker lists charges); dropped charges: failure to disperse; status of charges: charges dropped"),
            ]
        );
        let p = &v.acts[0].perpetrators[0];
        assert_eq!(
            (p.actor.as_str(), p.actor_type, p.basis),
            (
                "Law enforcement (U.S. Press Freedom Tracker)",
                Some(ActorType::StatePolice),
                Basis::MonitorAssessment
            )
        );
        let s = &r.sources[0];
        assert_eq!(
            (
                s.url.as_str(),
                s.publisher.as_str(),
                s.source_type,
                s.published_on
            ),
            (
                "https://pressfreedomtracker.us/all-incidents/reporter-arrested/",
                PUBLISHER,
                SourceType::MonitorStatement,
                NaiveDate::from_ymd_opt(2017, 6, 1)
            )
        );
        assert_eq!(
            r.uid,
            Some(rows::uid(
                "uspft|https://pressfreedomtracker.us/all-incidents/reporter-arrested/"
            ))
        );
        validate::normalize(r, today()).unwrap();
    }

    #[test]
    fn uncertain_dates_places_and_empty_categories() {
        let r = one(&[
            ("exact_date_unknown", "True"),
            ("date", "2019-02-12"),
            ("state", "NY"),
            ("categories", ""),
            ("targeted_journalists", ""),
            ("targets", "None"),
            ("dropped_charges", ""),
        ])
        .unwrap();
        assert_eq!(r.date_start, NaiveDate::from_ymd_opt(2019, 2, 1));
        assert_eq!(r.date_end, NaiveDate::from_ymd_opt(2019, 2, 28));
        assert_eq!(r.date_precision, Some(DatePrecision::Month));
        assert_eq!(r.date_as_reported, "2019-02-12 (exact date unknown)");
        assert_eq!(r.admin1, "New York");
        // Nobody named: one victim stands for the unknown target, and is
        // not made a journalist.
        assert_eq!(r.victims.len(), 1);
        assert_eq!(
            (r.victims[0].name.as_str(), r.victims[0].category),
            ("", Category::Other)
        );
        assert_eq!(r.victims[0].acts[0].act_type, ActType::Other);
        assert_eq!(
            r.victims[0].acts[0].note,
            "the tracker gives no category for this incident; victim: the tracker names no \
             target; who was targeted is unknown"
        );
        // Details whose act is absent go to the summary.
        assert!(
            r.summary
                .contains("\narrest status: arrested and released\n"),
            "{}",
            r.summary
        );
        let place = |s: &str| {
            let r = one(&[("state", s)]).unwrap();
            (r.country, r.admin1)
        };
        assert_eq!(
            place("District of Columbia"),
            ("US".into(), "District of Columbia".into())
        );
        assert_eq!(
            place("North Carolina"),
            ("US".into(), "North Carolina".into())
        );
        assert_eq!(place("None"), ("US".into(), "".into()));
        assert_eq!(place("Finland"), ("FI".into(), "".into()));
        assert_eq!(place("Lebanon "), ("LB".into(), "".into()));
    }

    #[test]
    fn every_category_and_actor_maps() {
        for (category, t) in CATEGORIES {
            let r = one(&[("categories", category)]).unwrap();
            assert_eq!(r.victims[0].acts[0].act_type, *t);
        }
        for (value, (name, t)) in ACTORS.iter().filter(|(v, _)| *v != "None") {
            let r = one(&[("actor", "None"), ("assailant", value)]).unwrap();
            let p = &r.victims[0].acts[0].perpetrators[0];
            assert_eq!((p.actor.as_str(), p.actor_type), (*name, Some(*t)));
        }
    }

    #[test]
    fn unknown_values_are_invalid() {
        let err = |change: &[(&str, &str)]| one(change).unwrap_err().to_string();
        assert_eq!(
            err(&[("categories", "Physical Attack, Alien Abduction")]),
            "row 2, column categories: unknown categories 'Alien Abduction' (accepted: Physical \
             Attack, Arrest / Criminal Charge, Equipment Search or Seizure, Equipment Damage, \
             Border Stop, Subpoena / Legal Order, Denial of Access, Chilling Statement, Prior \
             Restraint, Leak Case, Other Incident)"
        );
        assert_eq!(
            err(&[("state", "Narnia (NA)")]),
            "row 2, column state: unknown state 'Narnia (NA)' (accepted: a U.S. state as \
             'California (CA)', 'CA' or 'California', District of Columbia, a country name, or None)"
        );
        assert_eq!(
            err(&[("date", "2017-02-30")]),
            "row 2, column date: '2017-02-30' is not a date (accepted: YYYY-MM-DD)"
        );
        assert_eq!(
            err(&[("stopped_at_border", "yes")]),
            "row 2, column stopped_at_border: unknown stopped_at_border 'yes' (accepted: True, False)"
        );
        assert!(err(&[("assailant", "robot")]).starts_with(
            "row 2, column assailant: unknown assailant 'robot' (accepted: law enforcement,"
        ));
        assert!(err(&[("arrest_status", "jailed")])
            .starts_with("row 2, column arrest_status: unknown arrest_status 'jailed'"));
        assert!(err(&[("targeted_journalists", "Jane Doe")]).starts_with(
            "row 2, column targeted_journalists: unknown targeted_journalists entry 'Jane Doe'"
        ));
        assert!(err(&[("was_journalist_targeted", "maybe")])
            .starts_with("row 2, column was_journalist_targeted: unknown"));
        assert_eq!(
            err(&[("slug", "")]),
            "row 2, column slug: is empty (accepted: the incident's pressfreedomtracker.us URL)"
        );
    }

    /// (name, category, act types) of each victim.
    fn victims(r: &IncidentRecord) -> Vec<(String, Category, Vec<ActType>)> {
        r.victims
            .iter()
            .map(|v| {
                (
                    v.name.clone(),
                    v.category,
                    v.acts.iter().map(|a| a.act_type).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn victims_are_whom_the_tracker_names_and_no_one_else() {
        use Category as C;
        let v = |change: &[(&str, &str)]| {
            let mut all = vec![
                ("categories", "Denial of Access"),
                ("dropped_charges", ""),
                ("status_of_charges", "None"),
            ];
            all.extend_from_slice(change);
            victims(&one(&all).unwrap())
        };
        // Names pair up with the listed journalists only one to one.
        assert_eq!(
            v(&[("targets", "Ana")]),
            vec![
                ("".into(), C::Journalist, vec![ActType::DeniedAccess]),
                ("".into(), C::Journalist, vec![ActType::DeniedAccess]),
            ]
        );
        // An institution in `targets` is not a journalist's name.
        assert_eq!(
            v(&[
                ("targeted_journalists", "TargetedJournalist object (4)"),
                ("targets", "Ana, NPR"),
                ("targeted_institutions", "NPR"),
            ]),
            vec![("Ana".into(), C::Journalist, vec![ActType::DeniedAccess])]
        );
        // No journalist listed: the institutions are the victims.
        let outlets = one(&[
            ("categories", "Chilling Statement"),
            ("targeted_journalists", ""),
            ("targets", "CNN, NPR"),
            ("targeted_institutions", "CNN, NPR"),
            ("dropped_charges", ""),
            ("status_of_charges", "None"),
        ])
        .unwrap();
        assert_eq!(
            victims(&outlets),
            vec![
                ("CNN".into(), C::MediaOutlet, vec![ActType::Threatened]),
                ("NPR".into(), C::MediaOutlet, vec![ActType::Threatened]),
            ]
        );
        assert_eq!(
            (
                outlets.victims[0].outlet.as_str(),
                outlets.victims[0].status,
                outlets.victims[0].acts[0].note.as_str()
            ),
            (
                "",
                VictimStatus::Unknown,
                "tracker category: Chilling Statement; victim: an institution the tracker lists \
                 as targeted"
            )
        );
        // A leak case: the source, charged, is not a journalist.
        let leak = one(&[
            ("categories", "Leak Case"),
            ("targeted_journalists", ""),
            ("targets", "Reality Winner"),
            ("affiliation", "None"),
            ("arrest_status", "None"),
            ("status_of_charges", "None"),
            ("dropped_charges", ""),
            ("charged_under_espionage_act", "True"),
            (
                "workers_whose_communications_were_obtained",
                "The Intercept",
            ),
        ])
        .unwrap();
        assert_eq!(
            victims(&leak),
            vec![(
                "Reality Winner".into(),
                C::Other,
                vec![ActType::Other, ActType::Charged]
            )]
        );
        let notes: Vec<&str> = leak.victims[0]
            .acts
            .iter()
            .map(|a| a.note.as_str())
            .collect();
        assert_eq!(
            notes,
            [
                "tracker category: Leak Case (a government employee or contractor investigated \
                 or prosecuted for disclosing information to journalists); victim: the source \
                 the tracker names in a leak case, not a journalist",
                "charged under the Espionage Act (the tracker says so); charged under the \
                 Espionage Act: yes; victim: the source the tracker names in a leak case, not a \
                 journalist",
            ]
        );
        // What the Tracker says about the journalists stays in the summary.
        assert!(leak
            .summary
            .contains("\nworkers whose communications were obtained: The Intercept\n"));
        // Anyone else named without being listed as a journalist.
        assert_eq!(
            v(&[("targeted_journalists", ""), ("targets", "Tina Moore")]),
            vec![("Tina Moore".into(), C::Other, vec![ActType::DeniedAccess])]
        );
    }

    #[test]
    fn the_killed_tag_makes_the_attack_a_killing() {
        let r = one(&[
            ("categories", "Physical Attack"),
            ("tags", "killed"),
            ("targets", "None"),
            ("arrest_status", "None"),
            ("status_of_charges", "None"),
            ("dropped_charges", ""),
        ])
        .unwrap();
        let got: Vec<(ActType, &str, VictimStatus)> = r
            .victims
            .iter()
            .flat_map(|v| {
                v.acts
                    .iter()
                    .map(move |a| (a.act_type, a.note.as_str(), v.status))
            })
            .collect();
        let killed = (
            ActType::Killed,
            "tracker category: Physical Attack; tracker tag: killed",
            VictimStatus::Dead,
        );
        assert_eq!(got, vec![killed, killed]);
        // The tag without the attack category still records the killing.
        // Two categories of one act type: one act, both named.
        let r = one(&[
            ("categories", "Leak Case, Other Incident"),
            ("status_of_charges", "None"),
            ("dropped_charges", ""),
        ])
        .unwrap();
        assert_eq!(
            r.victims[0]
                .acts
                .iter()
                .map(|a| (a.act_type, a.note.as_str()))
                .collect::<Vec<_>>(),
            vec![(
                ActType::Other,
                "tracker category: Leak Case (a government employee or contractor investigated \
                 or prosecuted for disclosing information to journalists); tracker category: \
                 Other Incident"
            )]
        );
        let r = one(&[("categories", "Chilling Statement"), ("tags", "Killed")]).unwrap();
        let types: Vec<ActType> = r.victims[0].acts.iter().map(|a| a.act_type).collect();
        assert_eq!(
            types,
            vec![ActType::Threatened, ActType::Killed, ActType::Charged]
        );
    }

    #[test]
    fn arrests_charges_threats_and_protest_tags() {
        // "Arrested … and/or charged": no arrest status, only the charge.
        let r = one(&[
            ("categories", "Arrest / Criminal Charge"),
            ("arrest_status", "None"),
            ("dropped_charges", ""),
            ("status_of_charges", "charges pending"),
        ])
        .unwrap();
        let acts: Vec<(ActType, &str)> = r.victims[0]
            .acts
            .iter()
            .map(|a| (a.act_type, a.note.as_str()))
            .collect();
        assert_eq!(
            acts,
            vec![(
                ActType::Charged,
                "tracker category: Arrest / Criminal Charge; no arrest status: charged, not \
                 known to be detained; charged (the tracker's status of charges says so); status \
                 of charges: charges pending"
            )]
        );
        // "not charged" and "unknown" say no charge.
        for status in ["not charged", "unknown"] {
            let r = one(&[("dropped_charges", ""), ("status_of_charges", status)]).unwrap();
            assert!(r.victims[0]
                .acts
                .iter()
                .all(|a| a.act_type != ActType::Charged));
        }
        // A threat tag records the threat; with a Chilling Statement it
        // adds to that act's note.
        let threats = |categories: &str, tags: &str| -> Vec<(ActType, String)> {
            one(&[
                ("categories", categories),
                ("tags", tags),
                ("dropped_charges", ""),
                ("status_of_charges", "None"),
            ])
            .unwrap()
            .victims[0]
                .acts
                .iter()
                .map(|a| (a.act_type, a.note.clone()))
                .collect()
        };
        assert_eq!(
            threats("Other Incident", "threats, Don Lemon"),
            vec![
                (ActType::Other, "tracker category: Other Incident".into()),
                (ActType::Threatened, "tracker tag: threats".into()),
            ]
        );
        assert_eq!(
            threats("Chilling Statement", "email threat"),
            vec![(
                ActType::Threatened,
                "tracker category: Chilling Statement; tracker tag: email threat".into()
            )]
        );
        let context = |tags: &str| one(&[("tags", tags)]).unwrap().context;
        assert_eq!(context("Trump inauguration protest"), Context::Protest);
        assert_eq!(context("kettle"), Context::Protest);
        assert_eq!(context("Trump rally, protester"), Context::Unknown);
    }

    #[test]
    fn multi_line_bodies_with_crlf_and_bare_lf() {
        let crlf = one(&[("body", "<p>one\r\ntwo</p>\r\n<p>three</p>")]).unwrap();
        let lf = one(&[("body", "<p>one\ntwo</p>\n<p>three</p>")]).unwrap();
        assert!(crlf.summary.starts_with("one two\n\nthree\n\n"));
        assert_eq!(crlf.summary, lf.summary);
        let mut text = csv_with(&[("body", "<p>a\nb</p>")]);
        text.push_str(
            csv_with(&[("slug", "https://x/2"), ("body", "<p>c\r\nd</p>")])
                .split_once("\r\n")
                .unwrap()
                .1,
        );
        let rows: Vec<usize> = items(text.as_bytes(), read_slice)
            .iter()
            .map(|i| match i {
                Item::Record { row, .. } => *row,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(rows, vec![2, 3]);
    }

    #[test]
    fn html_entities_and_emoji() {
        assert_eq!(
            html_to_text("a &lt;b&gt; &#128266; &unknown; &amp"),
            "a <b> 🔊 &unknown; &amp"
        );
        assert_eq!(html_to_text("<ul><li>x</li><li>y</li></ul>"), "x\n\ny");
    }

    #[test]
    fn real_export_gives_the_readme_counts() {
        let Some(path) = realdata("uspft_incidents_2020.csv") else {
            return;
        };
        let file = std::fs::File::open(path).unwrap();
        let mut records = Vec::new();
        read(std::io::BufReader::new(file), &mut |item| {
            match item {
                Item::Record { record, .. } => {
                    validate::normalize((*record).clone(), today())?;
                    records.push(*record)
                }
                other => panic!("{other:?}"),
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(records.len(), 449);
        let uids: HashSet<_> = records.iter().map(|r| r.uid).collect();
        assert_eq!(uids.len(), 449);
        // Per year: incidents, then one column per category (README order).
        let mut got: BTreeMap<i32, [u32; 12]> = BTreeMap::new();
        for r in &records {
            let row = got.entry(r.date_start.unwrap().year()).or_default();
            row[0] += 1;
            for a in &r.victims[0].acts {
                let named =
                    |(c, _): &(&str, ActType)| a.note.contains(&format!("tracker category: {c}"));
                if let Some(i) = CATEGORIES.iter().position(named) {
                    row[i + 1] += 1;
                }
            }
        }
        let want: BTreeMap<i32, [u32; 12]> = [
            (2014, [1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
            (2016, [2, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0]),
            (2017, [144, 49, 38, 24, 8, 16, 8, 12, 19, 1, 1, 7]),
            (2018, [133, 36, 11, 7, 5, 11, 25, 13, 9, 5, 4, 20]),
            (2019, [152, 34, 9, 9, 12, 16, 27, 22, 9, 7, 3, 22]),
            (2020, [17, 3, 1, 0, 2, 0, 2, 4, 3, 0, 0, 4]),
        ]
        .into_iter()
        .collect();
        assert_eq!(got, want);
        let uncategorised = records
            .iter()
            .filter(|r| {
                r.victims[0].acts[0]
                    .note
                    .starts_with("the tracker gives no category")
            })
            .count();
        assert_eq!(uncategorised, 1);
        let multi_line = records.iter().filter(|r| r.summary.contains('\n')).count();
        assert!(multi_line > 168, "{multi_line}");
        assert!(records
            .iter()
            .all(|r| !r.summary.contains("<p>") && !r.summary.contains("&quot;")));
    }
}

//! `--format cpj`: CPJ's CSV export of journalists and media workers killed
//! (cpj.org/data), read into one incident per row (DESIGN §4).
//!
//! What must stay true: every column is mapped on purpose (the table below);
//! a value outside CPJ's vocabulary is an `Item::Invalid` naming row, column
//! and value, never a silent `unknown`; an empty field and CPJ's `N/A` are
//! told apart; uids are derived from the case itself, so importing a later
//! snapshot finds the cases of an earlier one.
//!
//! | CPJ column | registry field | mapping |
//! |---|---|---|
//! | `year` | `date_start`, `date_end`, `date_precision`, `date_as_reported` | Y-01-01 … Y-12-31, precision `year`, as reported "Y" |
//! | `fullName` | victim `name`, `title` | trimmed; CPJ's nicknames (`"Par Gyi"`) kept as text |
//! | `type` | victim `category` | Journalist → `journalist`; Media Worker → `media_worker` |
//! | `motiveConfirmed`, `combinedStatus` | `work_link`, `verification` | Confirmed → `confirmed` + `verified`; Unconfirmed → `unconfirmed` + `reported`; motive N/A (media workers) takes combinedStatus: Confirmed → `confirmed` + `verified`, Killed → `unknown` + `reported` |
//! | `status`, `lastStatus` | victim `status` `dead`; act `killed` | only `Killed` (or empty lastStatus) accepted |
//! | `typeOfDeath` | act `death_context` | Murder → `targeted`; Crossfire → `crossfire`; Dangerous Assignment → `dangerous_assignment`; Unknown → `unknown`; N/A or empty → none |
//! | `sourcesOfFire` | involvements on the `killed` act (basis `monitor_assessment`, confidence `likely`) | split on `,`: Political Group → "Political group (CPJ source of fire)" `armed_group`; Military Officials → `state_military`; Government Officials → `state_official`; Criminal Group → `criminal_group`; Paramilitary Group → `paramilitary`; Local Residents → `private_individual`; Mob Violence → `mob`; Unknown Fire, Unknown → `unknown` |
//! | `impunityMurder` | `justice` + claim `justice` (CPJ's wording) | Full Justice → `convicted_all`; Partial Impunity → `convicted_some`; Complete Impunity → `closed_unsolved`; empty → `no_information` |
//! | `tortured`, `captive`, `threatened` | extra acts `tortured`, `hostage`, `threatened` | Yes → the act; No or empty → nothing |
//! | `accountabilityCrossfire`, `accountabilityAssignment` | claims of the same name | Yes / No kept as CPJ wrote it |
//! | `employedAs`, `Type of journalist` | victim `employment` | Staff → `staff`; Freelance → `freelance`; they must agree |
//! | `organizations` | victim `outlet` | separators `,` and `;` become `; ` |
//! | `jobs` | victim `jobs` | Broadcast/Print/Internet Reporter, Reporter → `reporter`; Camera Operator → `camera_operator`; Editor → `editor`; Photographer → `photographer`; Columnist/Commentator → `columnist`; Producer, Production manager → `producer`; Publisher/Owner, Owner/Publisher → `publisher`; Technician → `technician`; Documentary Filmmaker → `other` (case ignored) |
//! | `mediums` | victim `mediums` | Print → `print`; Television → `television`; Internet → `online`; Radio → `radio`; Documentary Film → `documentary` |
//! | `coverage` | victim `beats` | Politics (and the typo Politcs) → `politics`; War; Human Rights → `human_rights`; Corruption; Crime; Culture; Business; Sports; Unknown → none |
//! | `gender` | victim `sex` | Male → `male`; Female → `female`; empty → `unknown` |
//! | `localOrForeign` | victim `local_or_foreign` | Local / Foreign / empty |
//! | `primaryNationality` | victim `nationality` | country name → code (`countries.rs`); the combined territory is decided by the incident's place, as for `country` |
//! | `secondaryNationality`, `tertiaryNationality` | victim claims `nationality` | country name → code |
//! | `country` | `country` | country name → code (`countries.rs`); the combined "Israel and the Occupied Palestinian Territory" is PS when the place columns name Gaza or the West Bank, else IL |
//! | `state`, `province`, `region` | `admin1` | the first non-empty; the others go to `place` |
//! | `locality` | `locality` | |
//! | `location` | `place` | when it says more than `locality` |
//! | `photoUrl`, `photoCredit` (2020 export) | victim claim `photo` | "URL (credit: …)" |
//! | `sortName` | victim `name_variants` | |
//! | `charges`, `motive`, `lengthOfSentence`, `healthProblems`, `impCountry`, `entry`, `sentenceDate`, `sentence`, `locationImprisoned` | – | CPJ's imprisoned schema: must be empty in a killed export, else the row is invalid |
//! | (every row) | one source | `monitor_statement`, "Committee to Protect Journalists", <https://cpj.org/data/>, reliability `high` |

use std::collections::HashMap;
use std::io::Read;

use anyhow::Result;
use chrono::NaiveDate;

use super::countries;
use super::rows::{self, check_header, pick, Row};
use super::{Item, RowError};
use crate::model::*;
use crate::vocab::*;

/// The columns both CPJ exports have.
const REQUIRED: &[&str] = &[
    "year",
    "combinedStatus",
    "fullName",
    "sortName",
    "primaryNationality",
    "secondaryNationality",
    "tertiaryNationality",
    "gender",
    "type",
    "lastStatus",
    "typeOfDeath",
    "status",
    "employedAs",
    "organizations",
    "jobs",
    "coverage",
    "mediums",
    "country",
    "location",
    "region",
    "state",
    "locality",
    "province",
    "localOrForeign",
    "sourcesOfFire",
    "motiveConfirmed",
    "accountabilityCrossfire",
    "accountabilityAssignment",
    "impunityMurder",
    "tortured",
    "captive",
    "threatened",
    "charges",
    "motive",
    "lengthOfSentence",
    "healthProblems",
    "impCountry",
    "entry",
    "sentenceDate",
    "sentence",
    "locationImprisoned",
];

/// Columns only some exports have (photos until 2020; the 2022 copy's
/// added `Type of journalist`).
const OPTIONAL: &[&str] = &["photoUrl", "photoCredit", "Type of journalist"];

/// Columns of CPJ's imprisoned schema: always empty in the killed export.
const IMPRISONED: &[&str] = &[
    "charges",
    "motive",
    "lengthOfSentence",
    "healthProblems",
    "impCountry",
    "entry",
    "sentenceDate",
    "sentence",
    "locationImprisoned",
];

/// The publisher every CPJ record is sourced to.
pub const PUBLISHER: &str = "Committee to Protect Journalists";
/// The URL every CPJ record is sourced to.
pub const URL: &str = "https://cpj.org/data/";

const TYPE: &[(&str, Category)] = &[
    ("Journalist", Category::Journalist),
    ("Media Worker", Category::MediaWorker),
];

const TYPE_OF_DEATH: &[(&str, Option<DeathContext>)] = &[
    ("Murder", Some(DeathContext::Targeted)),
    ("Crossfire", Some(DeathContext::Crossfire)),
    (
        "Dangerous Assignment",
        Some(DeathContext::DangerousAssignment),
    ),
    ("Unknown", Some(DeathContext::Unknown)),
    ("N/A", None),
    ("", None),
];

/// `sourcesOfFire` values → the generic actor standing for each.
pub const SOURCES_OF_FIRE: &[(&str, (&str, ActorType))] = &[
    (
        "Political Group",
        (
            "Political group (CPJ source of fire)",
            ActorType::ArmedGroup,
        ),
    ),
    (
        "Military Officials",
        (
            "Military officials (CPJ source of fire)",
            ActorType::StateMilitary,
        ),
    ),
    (
        "Government Officials",
        (
            "Government officials (CPJ source of fire)",
            ActorType::StateOfficial,
        ),
    ),
    (
        "Criminal Group",
        (
            "Criminal group (CPJ source of fire)",
            ActorType::CriminalGroup,
        ),
    ),
    (
        "Paramilitary Group",
        (
            "Paramilitary group (CPJ source of fire)",
            ActorType::Paramilitary,
        ),
    ),
    (
        "Local Residents",
        (
            "Local residents (CPJ source of fire)",
            ActorType::PrivateIndividual,
        ),
    ),
    (
        "Mob Violence",
        ("Mob violence (CPJ source of fire)", ActorType::Mob),
    ),
    (
        "Unknown Fire",
        ("Unknown fire (CPJ source of fire)", ActorType::Unknown),
    ),
    (
        "Unknown",
        ("Unknown (CPJ source of fire)", ActorType::Unknown),
    ),
];

const IMPUNITY: &[(&str, Justice)] = &[
    ("Complete Impunity", Justice::ClosedUnsolved),
    ("Partial Impunity", Justice::ConvictedSome),
    ("Full Justice", Justice::ConvictedAll),
    ("", Justice::NoInformation),
];

const YES_NO: &[(&str, bool)] = &[("Yes", true), ("No", false), ("", false)];

const EMPLOYMENT: &[(&str, Option<Employment>)] = &[
    ("Staff", Some(Employment::Staff)),
    ("Freelance", Some(Employment::Freelance)),
    ("", None),
];

const TYPE_OF_JOURNALIST: &[(&str, Option<Employment>)] = &[
    ("Staff", Some(Employment::Staff)),
    ("Freelance", Some(Employment::Freelance)),
    ("Media Worker", None),
    ("", None),
];

const JOBS: &[(&str, Job)] = &[
    ("Broadcast Reporter", Job::Reporter),
    ("Print Reporter", Job::Reporter),
    ("Internet Reporter", Job::Reporter),
    ("Reporter", Job::Reporter),
    ("Camera Operator", Job::CameraOperator),
    ("Editor", Job::Editor),
    ("Photographer", Job::Photographer),
    ("Columnist/Commentator", Job::Columnist),
    ("Producer", Job::Producer),
    ("Production manager", Job::Producer),
    ("Publisher/Owner", Job::Publisher),
    ("Owner/Publisher", Job::Publisher),
    ("Technician", Job::Technician),
    ("Documentary Filmmaker", Job::Other),
];

const MEDIUMS: &[(&str, Medium)] = &[
    ("Print", Medium::Print),
    ("Television", Medium::Television),
    ("Internet", Medium::Online),
    ("Radio", Medium::Radio),
    ("Documentary Film", Medium::Documentary),
];

const COVERAGE: &[(&str, Option<Beat>)] = &[
    ("Politics", Some(Beat::Politics)),
    ("Politcs", Some(Beat::Politics)),
    ("War", Some(Beat::War)),
    ("Human Rights", Some(Beat::HumanRights)),
    ("Corruption", Some(Beat::Corruption)),
    ("Crime", Some(Beat::Crime)),
    ("Culture", Some(Beat::Culture)),
    ("Business", Some(Beat::Business)),
    ("Sports", Some(Beat::Sports)),
    ("Unknown", None),
];

const GENDER: &[(&str, Sex)] = &[
    ("Male", Sex::Male),
    ("Female", Sex::Female),
    ("", Sex::Unknown),
];

const LOCAL_OR_FOREIGN: &[(&str, Option<LocalOrForeign>)] = &[
    ("Local", Some(LocalOrForeign::Local)),
    ("Foreign", Some(LocalOrForeign::Foreign)),
    ("", None),
];

const KILLED: &[(&str, ())] = &[("Killed", ())];
const KILLED_OR_EMPTY: &[(&str, ())] = &[("Killed", ()), ("", ())];

/// The reason given for CPJ's spreadsheet leftovers.
pub const JUNK: &str = "junk row: no year, name or type";

/// Reads a CPJ "killed" export, handing each record, junk row or bad row
/// to `sink` as it is read.
pub fn read(input: impl Read, sink: &mut dyn FnMut(Item) -> Result<()>) -> Result<()> {
    let mut seen: HashMap<String, u32> = HashMap::new();
    let sink = std::cell::RefCell::new(sink);
    rows::read_csv(
        input,
        &|names| check_header(names, REQUIRED, OPTIONAL),
        &mut |row| {
            let item = if is_junk(row) {
                Item::Skipped {
                    row: row.row,
                    reason: JUNK.to_string(),
                }
            } else {
                match record(row, &mut seen) {
                    Ok(rec) => Item::Record {
                        row: row.row,
                        record: Box::new(rec),
                    },
                    Err(e) => Item::Invalid(e),
                }
            };
            (sink.borrow_mut())(item)
        },
        &mut |e| (sink.borrow_mut())(Item::Invalid(e)),
    )
}

fn is_junk(row: &Row<'_>) -> bool {
    ["year", "fullName", "type"]
        .iter()
        .all(|c| row.get(c).trim().is_empty())
}

/// The consonant letters of a name, lower-cased and without accents:
/// "Lasantha Wickramatunga" and "Lasantha Wickrematunge" agree.
pub fn skeleton(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().to_lowercase().chars() {
        let folded = fold(c);
        if folded.is_ascii_alphabetic() {
            if !"aeiou".contains(folded) {
                out.push(folded);
            }
        } else if c.is_alphabetic() && !c.is_ascii() && folded == c {
            // A letter of another script: keep it, so such names still differ.
            out.push(c);
        }
    }
    out
}

/// A Latin letter with its accent taken off (lower case in, ASCII out);
/// any other character unchanged.
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' | 'ĝ' | 'ģ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' | 'i' => 'i',
        'ł' | 'ľ' | 'ĺ' | 'ļ' => 'l',
        'ñ' | 'ń' | 'ň' | 'ņ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' | 'ŕ' => 'r',
        'ś' | 'ş' | 'š' | 'ș' => 's',
        'ţ' | 'ť' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

/// Splits a multi-valued CPJ cell on `,`, trimmed, empty parts dropped,
/// each value once.
fn split(cell: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for part in cell.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if !out.contains(&part) {
            out.push(part);
        }
    }
    out
}

fn country_code(row: &Row<'_>, column: &str, places: &[&str]) -> Result<String, RowError> {
    let value = row.get(column).trim();
    countries::resolve(value, places)
        .map(str::to_string)
        .ok_or_else(|| {
            row.error(
                column,
                format!(
                    "unknown country name '{value}' (accepted: the names in the table of \
                     src/exchange/countries.rs, such as Afghanistan, USA, Yugoslavia)"
                ),
            )
        })
}

fn record(row: &Row<'_>, seen: &mut HashMap<String, u32>) -> Result<IncidentRecord, RowError> {
    let get = |c: &str| row.get(c).trim();
    let vocab = |c: &'static str| move |m: String| row.error(c, m);

    for column in IMPRISONED {
        let v = get(column);
        if !v.is_empty() {
            return Err(row.error(
                column,
                format!(
                    "'{v}' cannot be imported: {column} belongs to CPJ's imprisoned database \
                     (accepted: empty in the killed export)"
                ),
            ));
        }
    }

    let year_text = get("year");
    let year: i32 = match year_text.parse::<i32>() {
        Ok(y) if year_text.len() == 4 && (1000..=9999).contains(&y) => y,
        _ => {
            return Err(row.error(
                "year",
                format!("'{year_text}' is not a year (accepted: a four-digit year such as 2007)"),
            ))
        }
    };
    let (Some(start), Some(end)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(row.error("year", format!("'{year_text}' is not a year")));
    };

    let name = get("fullName");
    if name.is_empty() {
        return Err(row.error(
            "fullName",
            "is empty (accepted: the victim's name as CPJ gives it, e.g. Unidentified)".into(),
        ));
    }
    let category = pick("type", get("type"), TYPE, false).map_err(vocab("type"))?;
    pick("status", get("status"), KILLED, false).map_err(vocab("status"))?;
    pick("lastStatus", get("lastStatus"), KILLED_OR_EMPTY, false).map_err(vocab("lastStatus"))?;

    let combined = get("combinedStatus");
    let motive = get("motiveConfirmed");
    let (work_link, verification) = work_link(row, category, combined, motive)?;
    let death_context = pick("typeOfDeath", get("typeOfDeath"), TYPE_OF_DEATH, false)
        .map_err(vocab("typeOfDeath"))?;

    // Place.
    let places: Vec<&str> = ["location", "locality", "province", "state", "region"]
        .iter()
        .map(|c| get(c))
        .filter(|p| !p.is_empty())
        .collect();
    let country = country_code(row, "country", &places)?;
    let mut admin1 = String::new();
    let mut place_parts: Vec<String> = Vec::new();
    for column in ["state", "province", "region"] {
        let v = get(column);
        if v.is_empty() {
            continue;
        }
        if admin1.is_empty() {
            admin1 = v.to_string();
        } else if v != admin1 {
            place_parts.push(v.to_string());
        }
    }
    let locality = get("locality").to_string();
    let location = get("location");
    if !location.is_empty() && location != locality && !place_parts.iter().any(|p| p == location) {
        place_parts.insert(0, location.to_string());
    }

    // The uid: a key that survives CPJ's later edits of spelling and spacing.
    let base = format!("cpj|{year}|{country}|{}", skeleton(name));
    let n = seen.entry(base.clone()).or_insert(0);
    *n += 1;
    let uid = rows::uid(&format!("{base}|{n}"));

    // The victim.
    let mut victim = VictimRecord::new(name);
    victim.uid = Some(rows::part_uid(&uid, "victim/1"));
    victim.category = category;
    victim.status = VictimStatus::Dead;
    victim.sex = pick("gender", get("gender"), GENDER, false).map_err(vocab("gender"))?;
    victim.local_or_foreign = pick(
        "localOrForeign",
        get("localOrForeign"),
        LOCAL_OR_FOREIGN,
        false,
    )
    .map_err(vocab("localOrForeign"))?;
    if !get("primaryNationality").is_empty() {
        victim.nationality = country_code(row, "primaryNationality", &places)?;
    }
    let sort_name = get("sortName");
    if !sort_name.is_empty() && sort_name != name {
        victim.name_variants.push(sort_name.to_string());
    }
    victim.employment = employment(row)?;
    victim.outlet = outlet(get("organizations"));
    for value in split(get("jobs")) {
        let job = pick("jobs", value, JOBS, true).map_err(vocab("jobs"))?;
        if !victim.jobs.contains(&job) {
            victim.jobs.push(job);
        }
    }
    for value in split(get("mediums")) {
        let medium = pick("mediums", value, MEDIUMS, false).map_err(vocab("mediums"))?;
        if !victim.mediums.contains(&medium) {
            victim.mediums.push(medium);
        }
    }
    for value in split(get("coverage")) {
        if let Some(beat) = pick("coverage", value, COVERAGE, false).map_err(vocab("coverage"))? {
            if !victim.beats.contains(&beat) {
                victim.beats.push(beat);
            }
        }
    }

    // The acts.
    let mut killed = ActRecord::new(ActType::Killed);
    killed.uid = Some(rows::part_uid(&uid, "victim/1/act/killed"));
    killed.death_context = death_context;
    for value in split(get("sourcesOfFire")) {
        let (actor, actor_type) =
            pick("sourcesOfFire", value, SOURCES_OF_FIRE, false).map_err(vocab("sourcesOfFire"))?;
        let mut inv = InvolvementRecord::new(actor);
        inv.uid = Some(rows::part_uid(
            &uid,
            &format!("killed/source of fire/{value}"),
        ));
        inv.actor_type = Some(actor_type);
        inv.basis = Basis::MonitorAssessment;
        inv.confidence = Confidence::Likely;
        inv.note = format!("CPJ sourcesOfFire: {value}");
        killed.perpetrators.push(inv);
    }
    victim.acts.push(killed);
    for (column, act_type, note) in [
        ("tortured", ActType::Tortured, "CPJ: tortured"),
        ("captive", ActType::Hostage, "CPJ: held captive"),
        ("threatened", ActType::Threatened, "CPJ: threatened"),
    ] {
        if pick(column, get(column), YES_NO, false).map_err(vocab(column))? {
            let mut act = ActRecord::new(act_type);
            act.uid = Some(rows::part_uid(&uid, &format!("victim/1/act/{column}")));
            act.note = note.to_string();
            victim.acts.push(act);
        }
    }

    let justice = pick("impunityMurder", get("impunityMurder"), IMPUNITY, false)
        .map_err(vocab("impunityMurder"))?;

    // Claims: CPJ's own words where the registry's vocabulary is coarser.
    let victim_uid = victim.uid;
    let mut claims = Vec::new();
    let mut claim = |subject: ClaimSubject, field: &str, value: String| {
        let subject_uid = if subject == ClaimSubject::Victim {
            victim_uid
        } else {
            None
        };
        claims.push(ClaimRecord {
            uid: Some(rows::part_uid(&uid, &format!("claim/{field}/{value}"))),
            source: "1".to_string(),
            subject,
            subject_uid,
            field: field.to_string(),
            value,
            stance: Stance::Asserts,
            accepted: true,
        });
    };
    let impunity = get("impunityMurder");
    if !impunity.is_empty() {
        claim(ClaimSubject::Incident, "justice", impunity.to_string());
    }
    for column in ["accountabilityCrossfire", "accountabilityAssignment"] {
        let v = get(column);
        pick(column, v, YES_NO, false).map_err(vocab(column))?;
        if !v.is_empty() {
            claim(ClaimSubject::Incident, column, v.to_string());
        }
    }
    for column in ["secondaryNationality", "tertiaryNationality"] {
        if !get(column).is_empty() {
            let code = country_code(row, column, &places)?;
            claim(ClaimSubject::Victim, "nationality", code);
        }
    }
    let photo = get("photoUrl");
    let credit = get("photoCredit");
    if !photo.is_empty() || !credit.is_empty() {
        let text = match (photo.is_empty(), credit.is_empty()) {
            (false, false) => format!("{photo} (credit: {credit})"),
            (false, true) => photo.to_string(),
            _ => format!("(credit: {credit})"),
        };
        claim(ClaimSubject::Victim, "photo", text);
    }

    let mut source = SourceRecord::new(URL);
    source.uid = Some(rows::part_uid(&uid, "source/cpj"));
    source.source_type = SourceType::MonitorStatement;
    source.publisher = PUBLISHER.to_string();
    source.title = "CPJ database of journalists and media workers killed".to_string();
    source.reliability = Reliability::High;

    Ok(IncidentRecord {
        uid: Some(uid),
        title: format!("{name} killed in {} ({year})", get("country")),
        date_start: Some(start),
        date_end: Some(end),
        date_precision: Some(DatePrecision::Year),
        date_as_reported: year.to_string(),
        country,
        admin1,
        locality,
        place: place_parts.join("; "),
        verification,
        work_link,
        justice,
        victims: vec![victim],
        sources: vec![source],
        claims,
        ..IncidentRecord::default()
    })
}

/// The work link and verification from `motiveConfirmed` and
/// `combinedStatus`, which must agree.
fn work_link(
    row: &Row<'_>,
    category: Category,
    combined: &str,
    motive: &str,
) -> Result<(WorkLink, Verification), RowError> {
    const COMBINED: &[(&str, WorkLink)] = &[
        ("Confirmed", WorkLink::Confirmed),
        ("Unconfirmed", WorkLink::Unconfirmed),
        ("Killed", WorkLink::Unknown),
    ];
    const MOTIVE: &[(&str, Option<WorkLink>)] = &[
        ("Confirmed", Some(WorkLink::Confirmed)),
        ("Unconfirmed", Some(WorkLink::Unconfirmed)),
        ("N/A", None),
    ];
    let from_combined = pick("combinedStatus", combined, COMBINED, false)
        .map_err(|m| row.error("combinedStatus", m))?;
    let from_motive = pick("motiveConfirmed", motive, MOTIVE, false)
        .map_err(|m| row.error("motiveConfirmed", m))?;
    let link = match from_motive {
        Some(link) if link == from_combined => link,
        Some(_) => {
            return Err(row.error(
                "motiveConfirmed",
                format!(
                    "'{motive}' contradicts combinedStatus '{combined}' (accepted: the same \
                     Confirmed/Unconfirmed in both, or N/A)"
                ),
            ))
        }
        None if category == Category::Journalist => {
            return Err(row.error(
                "motiveConfirmed",
                "'N/A' is for media workers; a journalist's motive is Confirmed or Unconfirmed"
                    .into(),
            ))
        }
        None => from_combined,
    };
    let verification = if combined == "Confirmed" {
        Verification::Verified
    } else {
        Verification::Reported
    };
    Ok((link, verification))
}

fn employment(row: &Row<'_>) -> Result<Employment, RowError> {
    let employed = pick(
        "employedAs",
        row.get("employedAs").trim(),
        EMPLOYMENT,
        false,
    )
    .map_err(|m| row.error("employedAs", m))?;
    let kind = row.get("Type of journalist").trim();
    let typed = pick("Type of journalist", kind, TYPE_OF_JOURNALIST, false)
        .map_err(|m| row.error("Type of journalist", m))?;
    match (employed, typed) {
        (Some(a), Some(b)) if a != b => Err(row.error(
            "Type of journalist",
            format!(
                "'{kind}' contradicts employedAs '{}' (accepted: the same Staff/Freelance, \
                 Media Worker, or empty)",
                row.get("employedAs").trim()
            ),
        )),
        (Some(e), _) | (None, Some(e)) => Ok(e),
        (None, None) => Ok(Employment::Unknown),
    }
}

/// CPJ separates outlets with `,` or `; `; the registry writes `; `.
fn outlet(cell: &str) -> String {
    cell.split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashSet};
    use std::path::PathBuf;

    /// A file of `../shared/realdata`, or None (with a note) when absent.
    pub(crate) fn realdata(name: &str) -> Option<PathBuf> {
        let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/realdata")
            .join(name);
        if p.exists() {
            Some(p)
        } else {
            eprintln!("SKIPPED: {} not found", p.display());
            None
        }
    }

    pub(crate) fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
    }

    /// An importer's `read` over a byte slice.
    pub(crate) type Reader = fn(&[u8], &mut dyn FnMut(Item) -> Result<()>) -> Result<()>;

    /// Everything `read` hands out, in order.
    pub(crate) fn items(input: &[u8], reader: Reader) -> Vec<Item> {
        let mut out = Vec::new();
        reader(input, &mut |i| {
            out.push(i);
            Ok(())
        })
        .unwrap();
        out
    }

    fn read_slice(input: &[u8], sink: &mut dyn FnMut(Item) -> Result<()>) -> Result<()> {
        read(input, sink)
    }

    const HEADER: &str = "year,combinedStatus,fullName,sortName,primaryNationality,secondaryNationality,tertiaryNationality,gender,type,lastStatus,typeOfDeath,status,employedAs,organizations,jobs,coverage,mediums,country,location,region,state,locality,province,localOrForeign,sourcesOfFire,motiveConfirmed,accountabilityCrossfire,accountabilityAssignment,impunityMurder,tortured,captive,threatened,charges,motive,lengthOfSentence,healthProblems,impCountry,entry,sentenceDate,sentence,locationImprisoned,Type of journalist";

    /// One good row; `change` sets columns by name.
    fn csv_with(change: &[(&str, &str)]) -> String {
        let names: Vec<&str> = HEADER.split(',').collect();
        let mut values: HashMap<&str, String> = [
            ("year", "2007"),
            ("combinedStatus", "Confirmed"),
            ("fullName", "Aung Kyaw Naing, \"Par Gyi\""),
            ("primaryNationality", "Myanmar"),
            ("gender", "Male"),
            ("type", "Journalist"),
            ("lastStatus", "Killed"),
            ("typeOfDeath", "Murder"),
            ("status", "Killed"),
            ("employedAs", "Freelance"),
            ("organizations", "Freelance; Universal TV, Radio Kulmiye"),
            ("jobs", "Broadcast reporter,Publisher/Owner, editor"),
            ("coverage", "Politcs, War, Unknown"),
            ("mediums", "Internet, Documentary Film"),
            ("country", "Myanmar"),
            ("location", "an area near Kyaikmaraw"),
            ("state", "Mon State"),
            ("locality", "Kyaikmaraw"),
            ("localOrForeign", "Local"),
            ("sourcesOfFire", "Military Officials, Unknown Fire"),
            ("motiveConfirmed", "Confirmed"),
            ("impunityMurder", "Complete Impunity"),
            ("tortured", "Yes"),
            ("captive", "Yes"),
            ("threatened", "No"),
            ("Type of journalist", "Freelance"),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect();
        for (k, v) in change {
            values.insert(k, v.to_string());
        }
        let cells: Vec<String> = names
            .iter()
            .map(|n| {
                let v = values.get(n).cloned().unwrap_or_default();
                if v.contains([',', '"']) {
                    format!("\"{}\"", v.replace('"', "\"\""))
                } else {
                    v
                }
            })
            .collect();
        format!("{HEADER}\r\n{}", cells.join(","))
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

    fn invalid(change: &[(&str, &str)]) -> String {
        one(change).unwrap_err().to_string()
    }

    #[test]
    fn a_row_maps_every_column() {
        let r = one(&[]).unwrap();
        assert_eq!(r.date_start, NaiveDate::from_ymd_opt(2007, 1, 1));
        assert_eq!(r.date_end, NaiveDate::from_ymd_opt(2007, 12, 31));
        assert_eq!(r.date_precision, Some(DatePrecision::Year));
        assert_eq!(r.date_as_reported, "2007");
        assert_eq!(r.country, "MM");
        assert_eq!(r.admin1, "Mon State");
        assert_eq!(r.locality, "Kyaikmaraw");
        assert_eq!(r.place, "an area near Kyaikmaraw");
        assert_eq!(r.work_link, WorkLink::Confirmed);
        assert_eq!(r.verification, Verification::Verified);
        assert_eq!(r.justice, Justice::ClosedUnsolved);
        let v = &r.victims[0];
        assert_eq!(v.name, "Aung Kyaw Naing, \"Par Gyi\"");
        assert_eq!(v.nationality, "MM");
        assert_eq!(v.sex, Sex::Male);
        assert_eq!(v.category, Category::Journalist);
        assert_eq!(v.employment, Employment::Freelance);
        assert_eq!(v.outlet, "Freelance; Universal TV; Radio Kulmiye");
        assert_eq!(v.jobs, vec![Job::Reporter, Job::Publisher, Job::Editor]);
        assert_eq!(v.beats, vec![Beat::Politics, Beat::War]);
        assert_eq!(v.mediums, vec![Medium::Online, Medium::Documentary]);
        assert_eq!(v.local_or_foreign, Some(LocalOrForeign::Local));
        assert_eq!(v.status, VictimStatus::Dead);
        let acts: Vec<ActType> = v.acts.iter().map(|a| a.act_type).collect();
        assert_eq!(
            acts,
            vec![ActType::Killed, ActType::Tortured, ActType::Hostage]
        );
        let killed = &v.acts[0];
        assert_eq!(killed.death_context, Some(DeathContext::Targeted));
        let actors: Vec<(&str, Option<ActorType>, Basis, Confidence)> = killed
            .perpetrators
            .iter()
            .map(|p| (p.actor.as_str(), p.actor_type, p.basis, p.confidence))
            .collect();
        assert_eq!(
            actors,
            vec![
                (
                    "Military officials (CPJ source of fire)",
                    Some(ActorType::StateMilitary),
                    Basis::MonitorAssessment,
                    Confidence::Likely
                ),
                (
                    "Unknown fire (CPJ source of fire)",
                    Some(ActorType::Unknown),
                    Basis::MonitorAssessment,
                    Confidence::Likely
                ),
            ]
        );
        assert_eq!(r.claims.len(), 1);
        assert_eq!(
            (r.claims[0].field.as_str(), r.claims[0].value.as_str()),
            ("justice", "Complete Impunity")
        );
        let s = &r.sources[0];
        assert_eq!(
            (
                s.source_type,
                s.publisher.as_str(),
                s.url.as_str(),
                s.reliability
            ),
            (
                SourceType::MonitorStatement,
                PUBLISHER,
                URL,
                Reliability::High
            )
        );
        validate::normalize(r, today()).unwrap();
    }

    use crate::validate;

    #[test]
    fn each_vocabulary_maps() {
        let ctx = |v: &str| one(&[("typeOfDeath", v)]).unwrap().victims[0].acts[0].death_context;
        assert_eq!(ctx("Crossfire"), Some(DeathContext::Crossfire));
        assert_eq!(
            ctx("Dangerous Assignment"),
            Some(DeathContext::DangerousAssignment)
        );
        assert_eq!(ctx("Unknown"), Some(DeathContext::Unknown));
        assert_eq!(ctx("N/A"), None);
        assert_eq!(ctx(""), None);
        let justice = |v: &str| one(&[("impunityMurder", v)]).unwrap().justice;
        assert_eq!(justice("Partial Impunity"), Justice::ConvictedSome);
        assert_eq!(justice("Full Justice"), Justice::ConvictedAll);
        assert_eq!(justice(""), Justice::NoInformation);
        let unconfirmed = one(&[
            ("combinedStatus", "Unconfirmed"),
            ("motiveConfirmed", "Unconfirmed"),
            ("typeOfDeath", "N/A"),
        ])
        .unwrap();
        assert_eq!(unconfirmed.work_link, WorkLink::Unconfirmed);
        assert_eq!(unconfirmed.verification, Verification::Reported);
        let worker = |status: &str| {
            let r = one(&[
                ("type", "Media Worker"),
                ("combinedStatus", status),
                ("motiveConfirmed", "N/A"),
                ("Type of journalist", "Media Worker"),
                ("employedAs", ""),
            ])
            .unwrap();
            (r.victims[0].category, r.work_link, r.victims[0].employment)
        };
        assert_eq!(
            worker("Confirmed"),
            (
                Category::MediaWorker,
                WorkLink::Confirmed,
                Employment::Unknown
            )
        );
        assert_eq!(
            worker("Killed"),
            (
                Category::MediaWorker,
                WorkLink::Unknown,
                Employment::Unknown
            )
        );
        let v = one(&[
            ("gender", "Female"),
            ("localOrForeign", "Foreign"),
            ("employedAs", "Staff"),
            ("Type of journalist", ""),
            ("jobs", "Camera Operator,Photographer,Columnist/Commentator,Producer,Production manager,Owner/Publisher,Technician,Documentary Filmmaker,Print Reporter,Internet Reporter,Reporter,producer"),
            ("mediums", "Print,Television,Radio"),
            ("coverage", "Human Rights,Corruption,Crime,Culture,Business,Sports"),
            ("tortured", ""),
            ("captive", "No"),
            ("threatened", "Yes"),
        ])
        .unwrap()
        .victims
        .remove(0);
        assert_eq!(v.sex, Sex::Female);
        assert_eq!(v.local_or_foreign, Some(LocalOrForeign::Foreign));
        assert_eq!(v.employment, Employment::Staff);
        assert_eq!(
            v.jobs,
            vec![
                Job::CameraOperator,
                Job::Photographer,
                Job::Columnist,
                Job::Producer,
                Job::Publisher,
                Job::Technician,
                Job::Other,
                Job::Reporter
            ]
        );
        assert_eq!(
            v.mediums,
            vec![Medium::Print, Medium::Television, Medium::Radio]
        );
        assert_eq!(
            v.beats,
            vec![
                Beat::HumanRights,
                Beat::Corruption,
                Beat::Crime,
                Beat::Culture,
                Beat::Business,
                Beat::Sports
            ]
        );
        let acts: Vec<ActType> = v.acts.iter().map(|a| a.act_type).collect();
        assert_eq!(acts, vec![ActType::Killed, ActType::Threatened]);
    }

    #[test]
    fn every_source_of_fire_maps_back_to_cpj() {
        for (value, (actor, actor_type)) in SOURCES_OF_FIRE {
            let back = actor_type.cpj_source_of_fire();
            // CPJ writes both "Unknown" and "Unknown Fire"; the registry has one.
            let expected = if *value == "Unknown" {
                "Unknown Fire"
            } else {
                value
            };
            assert_eq!(back, expected, "{actor}");
            let r = one(&[("sourcesOfFire", value)]).unwrap();
            assert_eq!(r.victims[0].acts[0].perpetrators[0].actor, *actor);
        }
    }

    #[test]
    fn countries_and_places() {
        let r = one(&[
            ("country", "Israel and the Occupied Palestinian Territory"),
            ("location", "Beit Lahiya, Gaza"),
            ("locality", "Beit Lahiya, Gaza"),
            ("state", ""),
            (
                "primaryNationality",
                "Israel and the Occupied Palestinian Territory",
            ),
            ("secondaryNationality", "USA"),
        ])
        .unwrap();
        assert_eq!(r.country, "PS");
        assert_eq!(r.place, "");
        assert_eq!(r.victims[0].nationality, "PS");
        assert!(r.claims.iter().any(|c| c.field == "nationality"
            && c.value == "US"
            && c.subject == ClaimSubject::Victim));
        let r = one(&[
            ("country", "Israel and the Occupied Palestinian Territory"),
            ("location", "Tel Aviv"),
            ("locality", "Tel Aviv"),
        ])
        .unwrap();
        assert_eq!(r.country, "IL");
        assert_eq!(one(&[("country", "Yugoslavia")]).unwrap().country, "YUCS");
        let r = one(&[
            ("state", "Mon"),
            ("province", "Kyaikmaraw district"),
            ("region", "South"),
        ])
        .unwrap();
        assert_eq!(r.admin1, "Mon");
        assert_eq!(
            r.place,
            "an area near Kyaikmaraw; Kyaikmaraw district; South"
        );
    }

    #[test]
    fn unknown_values_are_invalid_and_name_row_column_value() {
        assert_eq!(
            invalid(&[("typeOfDeath", "Murdr")]),
            "row 2, column typeOfDeath: unknown typeOfDeath 'Murdr' (accepted: Murder, \
             Crossfire, Dangerous Assignment, Unknown, N/A, (empty))"
        );
        assert_eq!(
            invalid(&[("sourcesOfFire", "Political Group, Aliens")]),
            "row 2, column sourcesOfFire: unknown sourcesOfFire 'Aliens' (accepted: Political \
             Group, Military Officials, Government Officials, Criminal Group, Paramilitary \
             Group, Local Residents, Mob Violence, Unknown Fire, Unknown)"
        );
        assert_eq!(
            invalid(&[("country", "Atlantis")]),
            "row 2, column country: unknown country name 'Atlantis' (accepted: the names in the \
             table of src/exchange/countries.rs, such as Afghanistan, USA, Yugoslavia)"
        );
        assert_eq!(
            invalid(&[("year", "19x2")]),
            "row 2, column year: '19x2' is not a year (accepted: a four-digit year such as 2007)"
        );
        assert_eq!(
            invalid(&[("year", "")]),
            "row 2, column year: '' is not a year (accepted: a four-digit year such as 2007)"
        );
        assert!(invalid(&[("impunityMurder", "Impunity")])
            .starts_with("row 2, column impunityMurder: unknown impunityMurder 'Impunity'"));
        assert!(invalid(&[("mediums", "Telepathy")])
            .starts_with("row 2, column mediums: unknown mediums 'Telepathy'"));
        assert!(invalid(&[("jobs", "Astronaut")])
            .starts_with("row 2, column jobs: unknown jobs 'Astronaut'"));
        assert!(invalid(&[("coverage", "Weather")])
            .starts_with("row 2, column coverage: unknown coverage 'Weather'"));
        assert!(invalid(&[("gender", "M")]).starts_with("row 2, column gender: unknown gender 'M'"));
        assert!(invalid(&[("tortured", "yes")])
            .starts_with("row 2, column tortured: unknown tortured 'yes'"));
        assert!(invalid(&[("type", "Blogger")])
            .starts_with("row 2, column type: unknown type 'Blogger'"));
        assert_eq!(
            invalid(&[("motiveConfirmed", "Unconfirmed")]),
            "row 2, column motiveConfirmed: 'Unconfirmed' contradicts combinedStatus 'Confirmed' \
             (accepted: the same Confirmed/Unconfirmed in both, or N/A)"
        );
        assert_eq!(
            invalid(&[("sentence", "5 years")]),
            "row 2, column sentence: '5 years' cannot be imported: sentence belongs to CPJ's \
             imprisoned database (accepted: empty in the killed export)"
        );
        assert_eq!(
            invalid(&[("employedAs", "Staff")]),
            "row 2, column Type of journalist: 'Freelance' contradicts employedAs 'Staff' \
             (accepted: the same Staff/Freelance, Media Worker, or empty)"
        );
    }

    #[test]
    fn header_problems_stop_reading() {
        let text = csv_with(&[]).replacen("typeOfDeath", "deathType", 1);
        let err = read(text.as_bytes(), &mut |_| Ok(())).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("row 1, column deathType: unknown column 'deathType' (accepted: year,"));
        let text = csv_with(&[]).replacen(",typeOfDeath", "", 1);
        let err = read(text.as_bytes(), &mut |_| Ok(())).unwrap_err();
        assert!(err.to_string().starts_with("row 1, column "), "{err}");
    }

    #[test]
    fn junk_ragged_nul_and_bad_utf8_rows() {
        let mut text = csv_with(&[]);
        text.push_str(&format!("\r\n{}1585{}", ",".repeat(7), ",".repeat(34)));
        text.push_str("\r\n2007,Confirmed\r\n");
        let nul = csv_with(&[("fullName", "A\0B")]);
        text.push_str(nul.split("\r\n").nth(1).unwrap());
        let got = items(text.as_bytes(), read_slice);
        assert!(matches!(got[0], Item::Record { row: 2, .. }));
        match &got[1] {
            Item::Skipped { row, reason } => assert_eq!((*row, reason.as_str()), (3, JUNK)),
            other => panic!("{other:?}"),
        }
        match &got[2] {
            Item::Invalid(e) => assert_eq!(
                e.to_string(),
                "row 4: the row has 2 fields, the header has 42 (accepted: one field per header column)"
            ),
            other => panic!("{other:?}"),
        }
        match &got[3] {
            Item::Invalid(e) => assert_eq!(
                e.to_string(),
                "row 5, column fullName: contains the control character U+0000 (accepted: text \
                 without control characters other than tab and line breaks)"
            ),
            other => panic!("{other:?}"),
        }
        let mut bytes = csv_with(&[]).into_bytes();
        bytes.extend_from_slice(b"\r\n");
        bytes.extend_from_slice(&csv_with(&[("fullName", "Ana")]).into_bytes()[HEADER.len() + 2..]);
        let at = bytes.len() - 300;
        bytes.insert(at, 0xff);
        let err = read(bytes.as_slice(), &mut |_| Ok(())).unwrap_err();
        assert!(err.to_string().starts_with("row 3: field "), "{err}");
    }

    #[test]
    fn skeleton_survives_respelling_and_spaces() {
        assert_eq!(
            skeleton(" Lasantha Wickramatunga "),
            skeleton("Lasantha Wickrematunge")
        );
        assert_eq!(skeleton("Révolution"), "rvltn");
        assert_ne!(skeleton("Maher"), skeleton("Mahir Ali"));
    }

    /// The per-year counts of the README's tables: all, journalist +
    /// confirmed, journalist + unconfirmed, media worker, Murder, Crossfire,
    /// Dangerous Assignment, Unknown.
    fn yearly(records: &[IncidentRecord]) -> BTreeMap<i32, [u32; 8]> {
        use chrono::Datelike;
        let mut out: BTreeMap<i32, [u32; 8]> = BTreeMap::new();
        for r in records {
            let row = out.entry(r.date_start.unwrap().year()).or_default();
            let v = &r.victims[0];
            row[0] += 1;
            match (v.category, r.work_link) {
                (Category::Journalist, WorkLink::Confirmed) => row[1] += 1,
                (Category::Journalist, WorkLink::Unconfirmed) => row[2] += 1,
                (Category::MediaWorker, _) => row[3] += 1,
                other => panic!("{other:?}"),
            }
            match v.acts[0].death_context {
                Some(DeathContext::Targeted) => row[4] += 1,
                Some(DeathContext::Crossfire) => row[5] += 1,
                Some(DeathContext::DangerousAssignment) => row[6] += 1,
                Some(DeathContext::Unknown) => row[7] += 1,
                _ => {}
            }
        }
        out
    }

    /// Reads a real file: its records (each normalized) and skipped rows.
    type Skipped = Vec<(usize, String)>;

    fn real(name: &str) -> Option<(Vec<IncidentRecord>, Skipped)> {
        let path = realdata(name)?;
        let file = std::fs::File::open(path).unwrap();
        let mut records = Vec::new();
        let mut skipped = Vec::new();
        read(std::io::BufReader::new(file), &mut |item| {
            match item {
                Item::Record { record, .. } => {
                    validate::normalize((*record).clone(), today())?;
                    records.push(*record)
                }
                Item::Skipped { row, reason } => skipped.push((row, reason)),
                Item::Invalid(e) => panic!("{e}"),
                Item::Profile { .. } => panic!("CPJ's files name no export profile"),
            }
            Ok(())
        })
        .unwrap();
        Some((records, skipped))
    }

    const YEARS_2022: &[(i32, [u32; 8])] = &[
        (1992, [56, 45, 11, 0, 31, 8, 6, 0]),
        (1993, [72, 56, 16, 0, 38, 8, 10, 0]),
        (1994, [84, 66, 18, 0, 56, 9, 0, 1]),
        (1995, [60, 51, 9, 0, 44, 7, 0, 0]),
        (1996, [34, 26, 8, 0, 24, 1, 1, 0]),
        (1997, [35, 26, 9, 0, 18, 1, 7, 0]),
        (1998, [36, 24, 12, 0, 21, 2, 1, 0]),
        (1999, [53, 36, 17, 0, 17, 12, 7, 0]),
        (2000, [45, 24, 21, 0, 16, 3, 5, 0]),
        (2001, [54, 37, 17, 0, 27, 6, 4, 0]),
        (2002, [35, 21, 14, 0, 14, 4, 3, 0]),
        (2003, [60, 42, 11, 7, 24, 16, 2, 0]),
        (2004, [87, 61, 14, 12, 36, 20, 5, 0]),
        (2005, [64, 50, 11, 3, 40, 6, 4, 0]),
        (2006, [103, 57, 29, 17, 49, 6, 2, 0]),
        (2007, [113, 70, 23, 20, 51, 12, 6, 1]),
        (2008, [69, 42, 24, 3, 28, 7, 7, 0]),
        (2009, [102, 76, 23, 3, 54, 13, 8, 1]),
        (2010, [80, 44, 32, 4, 27, 6, 11, 0]),
        (2011, [86, 49, 32, 5, 26, 7, 16, 0]),
        (2012, [106, 74, 30, 2, 37, 24, 12, 1]),
        (2013, [102, 74, 24, 4, 33, 26, 14, 1]),
        (2014, [93, 62, 20, 11, 28, 23, 11, 0]),
        (2015, [100, 73, 24, 3, 51, 17, 5, 0]),
        (2016, [81, 51, 28, 2, 19, 26, 3, 3]),
        (2017, [75, 47, 20, 8, 18, 17, 11, 1]),
        (2018, [88, 56, 22, 10, 36, 10, 10, 0]),
        (2019, [51, 26, 25, 0, 10, 8, 6, 2]),
        (2020, [50, 32, 17, 1, 22, 3, 7, 0]),
        (2021, [45, 28, 17, 0, 22, 4, 2, 0]),
        (2022, [44, 24, 19, 1, 7, 8, 9, 0]),
    ];

    const YEARS_2020: &[(i32, [u32; 8])] = &[
        (1992, [55, 44, 11, 0, 30, 8, 6, 0]),
        (1993, [72, 56, 16, 0, 38, 8, 10, 0]),
        (1994, [84, 66, 18, 0, 56, 9, 0, 1]),
        (1995, [60, 51, 9, 0, 44, 7, 0, 0]),
        (1996, [34, 26, 8, 0, 24, 1, 1, 0]),
        (1997, [35, 26, 9, 0, 18, 1, 7, 0]),
        (1998, [36, 24, 12, 0, 21, 2, 1, 0]),
        (1999, [53, 36, 17, 0, 17, 12, 7, 0]),
        (2000, [45, 24, 21, 0, 16, 3, 5, 0]),
        (2001, [54, 37, 17, 0, 27, 6, 4, 0]),
        (2002, [35, 21, 14, 0, 14, 4, 3, 0]),
        (2003, [60, 42, 11, 7, 24, 16, 2, 0]),
        (2004, [87, 61, 14, 12, 36, 20, 5, 0]),
        (2005, [64, 50, 11, 3, 40, 6, 4, 0]),
        (2006, [103, 57, 29, 17, 49, 6, 2, 0]),
        (2007, [112, 70, 22, 20, 51, 12, 6, 1]),
        (2008, [69, 42, 24, 3, 28, 7, 7, 0]),
        (2009, [102, 76, 23, 3, 54, 13, 8, 1]),
        (2010, [80, 44, 32, 4, 27, 6, 11, 0]),
        (2011, [86, 49, 32, 5, 24, 7, 18, 0]),
        (2012, [106, 74, 30, 2, 37, 24, 12, 1]),
        (2013, [102, 74, 24, 4, 33, 26, 14, 1]),
        (2014, [93, 62, 20, 11, 28, 23, 11, 0]),
        (2015, [100, 73, 24, 3, 51, 17, 5, 0]),
        (2016, [80, 50, 28, 2, 19, 26, 3, 2]),
        (2017, [75, 47, 20, 8, 18, 17, 11, 1]),
        (2018, [88, 56, 22, 10, 36, 11, 9, 0]),
        (2019, [50, 25, 25, 0, 10, 8, 6, 1]),
        (2020, [13, 6, 7, 0, 2, 2, 2, 0]),
    ];

    #[test]
    fn real_2022_export_gives_the_readme_counts() {
        let Some((records, skipped)) = real("cpj_killed_1992_2022.csv") else {
            return;
        };
        assert_eq!(records.len(), 2163);
        assert_eq!(
            skipped,
            vec![(2165, JUNK.to_string()), (2166, JUNK.to_string())]
        );
        let want: BTreeMap<i32, [u32; 8]> = YEARS_2022.iter().copied().collect();
        assert_eq!(yearly(&records), want);
        let uids: HashSet<_> = records.iter().map(|r| r.uid.unwrap()).collect();
        assert_eq!(uids.len(), 2163);
    }

    #[test]
    fn real_2020_export_gives_the_readme_counts_and_its_cases_are_found_in_2022() {
        let Some((old, skipped)) = real("cpj_killed_1992_2020.csv") else {
            return;
        };
        assert_eq!(old.len(), 2033);
        assert!(skipped.is_empty());
        let want: BTreeMap<i32, [u32; 8]> = YEARS_2020.iter().copied().collect();
        assert_eq!(yearly(&old), want);
        let Some((new, _)) = real("cpj_killed_1992_2022.csv") else {
            return;
        };
        let new_uids: HashSet<_> = new.iter().map(|r| r.uid.unwrap()).collect();
        let lost: Vec<String> = old
            .iter()
            .filter(|r| !new_uids.contains(&r.uid.unwrap()))
            .map(|r| r.title.clone())
            .collect();
        assert!(lost.is_empty(), "{} not found: {lost:?}", lost.len());
    }
}

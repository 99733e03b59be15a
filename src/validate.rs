//! Checks a record before it is written and fills what follows from it.
//!
//! Everything that can be wrong with a user's record is caught here, on
//! every input path (flags, `add --file`, JSONL, every CSV format), so that
//! nothing reaches the database half-checked. The schema's CHECKs stay as
//! the last guard.
//!
//! What must stay true:
//! * a problem comes back as an [`Invalid`]: the part of the record
//!   (`victim 2: act 1`), the field, and a message naming the value and what
//!   is accepted. Each caller says where in its own terms (`--victim`,
//!   `act 1.2`, `row 14`); nobody rewrites the message text;
//! * the free-text rule ([`text_problem`]) is the only one: every text
//!   field of a record, and every cell of a CSV file, passes through it.

use std::fmt;

use chrono::NaiveDate;

use crate::country;
use crate::dates;
use crate::model::*;
use crate::vocab::*;

/// The longest free-text value accepted, in bytes (1 MiB: far above any
/// summary or HTML body in the monitors' exports), whatever the input.
pub const MAX_TEXT: usize = 1 << 20;

/// Which part of a record a problem is in. Numbers are 1-based positions
/// in the record's lists (not stored positions: a caller that knows them,
/// like `edit`, translates).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Incident,
    Victim(usize),
    Act(usize, usize),
    Perpetrator(usize, usize, usize),
    Source(usize),
    Claim(usize),
    Relation(usize),
    Actor(usize),
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Part::Incident => Ok(()),
            Part::Victim(v) => write!(f, "victim {v}"),
            Part::Act(v, a) => write!(f, "victim {v}: act {a}"),
            Part::Perpetrator(v, a, p) => write!(f, "victim {v}: act {a}: perpetrator {p}"),
            Part::Source(s) => write!(f, "source {s}"),
            Part::Claim(c) => write!(f, "claim {c}"),
            Part::Relation(r) => write!(f, "relation {r}"),
            Part::Actor(a) => write!(f, "actor {a}"),
        }
    }
}

/// A record that cannot be written, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    /// Where in the record.
    pub part: Part,
    /// The field, as the JSON field is named (`name`, `date`, `latitude`).
    pub field: &'static str,
    /// What is wrong, naming the value and what would be accepted.
    pub message: String,
    /// Whether the message is said after the field's name (`date: '2021-02-30'
    /// is not a date`) rather than naming the field itself (`latitude 95 is
    /// out of range`). A caller naming the field its own way (a flag) puts
    /// its name where the label goes.
    pub labelled: bool,
}

impl Invalid {
    fn new(part: Part, field: &'static str, message: impl Into<String>) -> Invalid {
        Invalid {
            part,
            field,
            message: message.into(),
            labelled: false,
        }
    }

    fn labelled(part: Part, field: &'static str, message: impl Into<String>) -> Invalid {
        Invalid {
            labelled: true,
            ..Invalid::new(part, field, message)
        }
    }

    /// The message with its label, without the part (`date: …`).
    pub fn said(&self) -> String {
        if self.labelled {
            format!("{}: {}", self.field, self.message)
        } else {
            self.message.clone()
        }
    }
}

/// The default rendering: `victim 2: act 1: <message>`.
impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.part {
            Part::Incident => f.write_str(&self.said()),
            part => write!(f, "{part}: {}", self.said()),
        }
    }
}

impl std::error::Error for Invalid {}

/// What is wrong with a piece of free text, or None: longer than
/// [`MAX_TEXT`], or a control character other than tab and line breaks
/// (NUL, escape sequences, backspace, C1 controls: none is legitimate in
/// text a person wrote, and some rewrite a terminal). The message reads
/// after the thing's name ("the field holds …", "name holds …").
pub fn text_problem(text: &str) -> Option<String> {
    if text.len() > MAX_TEXT {
        return Some(format!(
            "is {} bytes long (accepted: at most {MAX_TEXT} bytes)",
            text.len()
        ));
    }
    // Every control character is a byte below 0x20, 0x7F, or (C1) 0xC2
    // followed by 0x80..=0x9F: most text is passed on one byte scan.
    if !text
        .bytes()
        .any(|b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F || b == 0xC2)
    {
        return None;
    }
    let (at, c) = text
        .chars()
        .enumerate()
        .find(|&(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))?;
    Some(format!(
        "holds the control character U+{:04X} at character {} (accepted: text without \
         control characters other than tab and line breaks)",
        c as u32,
        at + 1
    ))
}

/// Applies the free-text rule to one field.
fn text(part: Part, field: &'static str, value: &str) -> Result<(), Invalid> {
    match text_problem(value) {
        Some(problem) => Err(Invalid::new(part, field, format!("{field} {problem}"))),
        None => Ok(()),
    }
}

/// Applies the free-text rule to each value of a list field (`name_variants
/// 2 holds …`).
fn texts(part: Part, field: &'static str, values: &[String]) -> Result<(), Invalid> {
    for (i, value) in values.iter().enumerate() {
        if let Some(problem) = text_problem(value) {
            return Err(Invalid::new(
                part,
                field,
                format!("{field} {} {problem}", i + 1),
            ));
        }
    }
    Ok(())
}

/// Applies the free-text rule to every text field of `rec`, in the order
/// the record lists them, so the same record always names the same field.
fn check_texts(rec: &IncidentRecord) -> Result<(), Invalid> {
    let at = Part::Incident;
    text(at, "ref", rec.reference.as_deref().unwrap_or(""))?;
    text(at, "title", &rec.title)?;
    text(at, "summary", &rec.summary)?;
    text(at, "date", rec.date.as_deref().unwrap_or(""))?;
    text(at, "date_as_reported", &rec.date_as_reported)?;
    text(at, "country", &rec.country)?;
    text(at, "admin1", &rec.admin1)?;
    text(at, "admin2", &rec.admin2)?;
    text(at, "locality", &rec.locality)?;
    text(at, "place", &rec.place)?;
    text(at, "private_notes", &rec.private_notes)?;
    text(
        at,
        "duplicate_of",
        rec.duplicate_of.as_deref().unwrap_or(""),
    )?;
    for (vi, v) in rec.victims.iter().enumerate() {
        victim_texts(v, vi + 1)?;
    }
    for (si, s) in rec.sources.iter().enumerate() {
        source_texts(s, Part::Source(si + 1))?;
    }
    for (ci, c) in rec.claims.iter().enumerate() {
        claim_texts(c, Part::Claim(ci + 1))?;
    }
    for (ri, r) in rec.relations.iter().enumerate() {
        let at = Part::Relation(ri + 1);
        text(at, "related", &r.related)?;
        text(at, "note", &r.note)?;
    }
    for (ai, a) in rec.actors.iter().enumerate() {
        actor_texts(a, Part::Actor(ai + 1))?;
    }
    Ok(())
}

/// The free-text rule on a source given as `at` (for a command that adds
/// one source to an incident: `source add`).
pub fn source_texts(s: &SourceRecord, at: Part) -> Result<(), Invalid> {
    text(at, "publisher", &s.publisher)?;
    text(at, "url", &s.url)?;
    text(at, "title", &s.title)?;
    text(at, "language", &s.language)?;
    text(at, "note", &s.note)?;
    text(at, "via", &s.via)
}

/// The free-text rule on a claim given as `at` (for `claim add`).
pub fn claim_texts(c: &ClaimRecord, at: Part) -> Result<(), Invalid> {
    text(at, "source", &c.source)?;
    text(at, "field", &c.field)?;
    text(at, "value", &c.value)
}

/// The free-text rule on an actor given as `at` (for `actor add`).
pub fn actor_texts(a: &ActorRecord, at: Part) -> Result<(), Invalid> {
    text(at, "name", &a.name)?;
    texts(at, "aliases", &a.aliases)?;
    text(at, "note", &a.note)
}

/// The free-text rule on a perpetrator given as `at` (for `perpetrator
/// add`).
pub fn involvement_texts(p: &InvolvementRecord, at: Part) -> Result<(), Invalid> {
    text(at, "actor", &p.actor)?;
    text(at, "note", &p.note)
}

fn victim_texts(v: &VictimRecord, vi: usize) -> Result<(), Invalid> {
    let at = Part::Victim(vi);
    text(at, "name", &v.name)?;
    texts(at, "name_variants", &v.name_variants)?;
    text(at, "nationality", &v.nationality)?;
    text(at, "outlet", &v.outlet)?;
    text(at, "private_notes", &v.private_notes)?;
    for (ai, a) in v.acts.iter().enumerate() {
        act_texts(a, vi, ai + 1)?;
    }
    Ok(())
}

fn act_texts(a: &ActRecord, vi: usize, ai: usize) -> Result<(), Invalid> {
    let at = Part::Act(vi, ai);
    text(at, "date", a.date.as_deref().unwrap_or(""))?;
    text(at, "note", &a.note)?;
    for (pi, p) in a.perpetrators.iter().enumerate() {
        involvement_texts(p, Part::Perpetrator(vi, ai, pi + 1))?;
    }
    Ok(())
}

/// Validates `rec` and returns it normalized: the `date` shorthand parsed
/// into the date fields, codes upper-cased, text trimmed.
pub fn normalize(mut rec: IncidentRecord, today: NaiveDate) -> Result<IncidentRecord, Invalid> {
    check_texts(&rec)?;
    let at = Part::Incident;
    rec.country =
        country::check(&rec.country).map_err(|e| Invalid::new(at, "country", format!("{e:#}")))?;
    if let Some(text) = rec.date.take() {
        if rec.date_start.is_some() {
            return Err(Invalid::new(
                at,
                "date",
                "give either date or date_start, not both",
            ));
        }
        let spec = dates::parse(&text, rec.calendar, today)
            .map_err(|e| Invalid::labelled(at, "date", format!("{e:#}")))?;
        rec.date_start = spec.start;
        rec.date_end = spec.end;
        rec.date_precision = Some(spec.precision);
        rec.date_approximate = spec.approximate;
        if rec.date_as_reported.is_empty() {
            rec.date_as_reported = spec.as_reported;
        }
    }
    check_dates(at, rec.date_start, rec.date_end, rec.date_precision, today)?;
    if rec.date_start.is_none() {
        rec.date_precision = Some(DatePrecision::Unknown);
    } else if rec.date_precision.is_none() {
        rec.date_precision = Some(DatePrecision::Day);
    }
    match (rec.latitude, rec.longitude) {
        (None, None) => {}
        (Some(lat), Some(lon)) => {
            if !(-90.0..=90.0).contains(&lat) {
                return Err(Invalid::new(
                    at,
                    "latitude",
                    format!("latitude {lat} is out of range (accepted: -90 to 90)"),
                ));
            }
            if !(-180.0..=180.0).contains(&lon) {
                return Err(Invalid::new(
                    at,
                    "longitude",
                    format!("longitude {lon} is out of range (accepted: -180 to 180)"),
                ));
            }
        }
        (lat, _) => {
            return Err(Invalid::new(
                at,
                if lat.is_some() {
                    "longitude"
                } else {
                    "latitude"
                },
                "give both latitude and longitude, or neither",
            ))
        }
    }
    if rec.geo_precision > 3 {
        return Err(Invalid::new(
            at,
            "geo_precision",
            format!(
                "geo_precision {} is out of range (accepted: 0 unknown, 1 exact, 2 near, 3 region)",
                rec.geo_precision
            ),
        ));
    }
    for field in [
        &mut rec.title,
        &mut rec.admin1,
        &mut rec.admin2,
        &mut rec.locality,
        &mut rec.place,
    ] {
        *field = field.trim().to_string();
    }
    let incident_date = rec.date_start;
    for (vi, v) in rec.victims.iter_mut().enumerate() {
        victim(v, vi + 1, today, incident_date)?;
    }
    for (si, s) in rec.sources.iter().enumerate() {
        if s.url.trim().is_empty() && s.publisher.trim().is_empty() && s.title.trim().is_empty() {
            return Err(Invalid::new(
                Part::Source(si + 1),
                "url",
                "give at least a URL, a publisher or a title",
            ));
        }
    }
    for (ci, c) in rec.claims.iter().enumerate() {
        if c.field.trim().is_empty() {
            return Err(Invalid::new(
                Part::Claim(ci + 1),
                "field",
                "field is empty (name the field the source speaks of)",
            ));
        }
    }
    Ok(rec)
}

/// Validates a victim and its acts on their own (a victim added to an
/// incident); the message is relative to the victim (`act 1: date: …`).
pub fn normalize_victim(
    v: &mut VictimRecord,
    today: NaiveDate,
    incident_date: Option<NaiveDate>,
) -> anyhow::Result<()> {
    victim_texts(v, 1)
        .and_then(|()| victim(v, 1, today, incident_date))
        .map_err(|e| anyhow::anyhow!("{}", within_victim(&e)))
}

/// Validates an act and its perpetrators on their own (an act added to a
/// victim); the message is relative to the act (`perpetrator 1: …`).
pub fn normalize_act(
    a: &mut ActRecord,
    today: NaiveDate,
    incident_date: Option<NaiveDate>,
) -> anyhow::Result<()> {
    act_texts(a, 1, 1)
        .and_then(|()| act(a, 1, 1, today, incident_date))
        .map_err(|e| {
            anyhow::anyhow!(
                "{}",
                match e.part {
                    Part::Perpetrator(_, _, p) => format!("perpetrator {p}: {}", e.said()),
                    _ => e.said(),
                }
            )
        })
}

/// `e` said from inside its victim: `act 1: …` rather than `victim 1: act 1: …`.
fn within_victim(e: &Invalid) -> String {
    match e.part {
        Part::Act(_, a) => format!("act {a}: {}", e.said()),
        Part::Perpetrator(_, a, p) => format!("act {a}: perpetrator {p}: {}", e.said()),
        _ => e.said(),
    }
}

fn victim(
    v: &mut VictimRecord,
    vi: usize,
    today: NaiveDate,
    incident_date: Option<NaiveDate>,
) -> Result<(), Invalid> {
    let at = Part::Victim(vi);
    // A name may be unknown (DESIGN §2): the victim is then "unnamed".
    v.name = v.name.trim().to_string();
    if !v.nationality.is_empty() {
        v.nationality = country::check(&v.nationality)
            .map_err(|e| Invalid::labelled(at, "nationality", format!("{e:#}")))?;
    }
    if let Some(age) = v.age {
        if age > 120 {
            return Err(Invalid::new(
                at,
                "age",
                format!("age {age} is out of range (accepted: 0 to 120)"),
            ));
        }
    }
    for (ai, a) in v.acts.iter_mut().enumerate() {
        act(a, vi, ai + 1, today, incident_date)?;
    }
    Ok(())
}

fn act(
    a: &mut ActRecord,
    vi: usize,
    ai: usize,
    today: NaiveDate,
    incident_date: Option<NaiveDate>,
) -> Result<(), Invalid> {
    let at = Part::Act(vi, ai);
    if let Some(text) = a.date.take() {
        let spec = dates::parse(&text, Calendar::Gregorian, today)
            .map_err(|e| Invalid::labelled(at, "date", format!("{e:#}")))?;
        a.date_start = spec.start;
        a.date_end = spec.end;
        a.date_precision = Some(spec.precision);
    }
    check_dates(at, a.date_start, a.date_end, a.date_precision, today)?;
    if let (Some(own), Some(incident)) = (a.date_start, incident_date) {
        if own < incident {
            return Err(Invalid::new(
                at,
                "date",
                format!("date {own} is before the incident's date {incident}"),
            ));
        }
    }
    if a.death_context.is_some() && a.act_type != ActType::Killed {
        return Err(Invalid::new(
            at,
            "death_context",
            format!(
                "death context is only for killings (this act is '{}')",
                a.act_type
            ),
        ));
    }
    for (pi, p) in a.perpetrators.iter_mut().enumerate() {
        p.actor = p.actor.trim().to_string();
        if p.actor.is_empty() {
            return Err(Invalid::new(
                Part::Perpetrator(vi, ai, pi + 1),
                "actor",
                "actor is empty (name the actor, or 'unknown')",
            ));
        }
    }
    Ok(())
}

/// Checks the date range of `at`.
fn check_dates(
    at: Part,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    precision: Option<DatePrecision>,
    today: NaiveDate,
) -> Result<(), Invalid> {
    let bad = |message: String| Err(Invalid::labelled(at, "date", message));
    if let Some(s) = start {
        if s > today {
            return Err(Invalid::new(
                at,
                "date",
                format!("date {s} is in the future (today is {today})"),
            ));
        }
    }
    match (start, end) {
        (None, Some(_)) => return bad("an end date needs a start date".into()),
        (Some(s), Some(e)) if e < s => return bad(format!("ends on {e}, before it starts on {s}")),
        _ => {}
    }
    if start.is_some() && precision == Some(DatePrecision::Unknown) {
        return bad("precision 'unknown' goes with no date; give the precision of the date".into());
    }
    if start.is_none() && matches!(precision, Some(p) if p != DatePrecision::Unknown) {
        return bad(format!(
            "precision '{}' needs a date",
            precision.map_or("", |p| p.as_str())
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_text_rule_keeps_tab_and_line_breaks_and_refuses_other_controls() {
        assert_eq!(text_problem("two\tcolumns\r\nand\nlines"), None);
        assert_eq!(text_problem("right\u{202E}to left"), None);
        for (text, code, at) in [
            ("a\u{0}", "0000", 2),
            ("\u{1b}[2J", "001B", 1),
            ("bell\u{7}", "0007", 5),
            ("é\u{7f}", "007F", 2),
            ("x\u{85}", "0085", 2),
        ] {
            assert_eq!(
                text_problem(text).unwrap(),
                format!(
                    "holds the control character U+{code} at character {at} (accepted: text \
                     without control characters other than tab and line breaks)"
                )
            );
        }
        assert_eq!(text_problem(&"x".repeat(MAX_TEXT)), None);
        assert_eq!(
            text_problem(&"x".repeat(MAX_TEXT + 1)).unwrap(),
            "is 1048577 bytes long (accepted: at most 1048576 bytes)"
        );
    }

    #[test]
    fn an_error_says_where_and_which_field() {
        let mut rec = IncidentRecord {
            country: "AF".into(),
            ..IncidentRecord::default()
        };
        let mut victim = VictimRecord::new("V");
        let mut act = ActRecord::new(ActType::Killed);
        act.date = Some("2021-13-01".into());
        victim.acts.push(act);
        rec.victims = vec![VictimRecord::new("W"), victim];
        let e = normalize(rec.clone(), day("2021-12-31")).unwrap_err();
        assert_eq!(
            (e.part, e.field, e.labelled),
            (Part::Act(2, 1), "date", true)
        );
        assert!(
            e.to_string()
                .starts_with("victim 2: act 1: date: '2021-13-01' is not a date"),
            "{e}"
        );
        rec.victims[1].acts[0].date = None;
        rec.victims[1].acts[0].perpetrators = vec![InvolvementRecord::new("Army\u{1}")];
        let e = normalize(rec, day("2021-12-31")).unwrap_err();
        assert_eq!((e.part, e.field), (Part::Perpetrator(2, 1, 1), "actor"));
        assert_eq!(
            e.to_string(),
            "victim 2: act 1: perpetrator 1: actor holds the control character U+0001 at \
             character 5 (accepted: text without control characters other than tab and line \
             breaks)"
        );
    }

    #[test]
    fn a_victim_or_act_checked_alone_is_named_from_inside() {
        let mut victim = VictimRecord::new("V");
        let mut act = ActRecord::new(ActType::Wounded);
        act.death_context = Some(DeathContext::Crossfire);
        victim.acts.push(act.clone());
        assert_eq!(
            normalize_victim(&mut victim, day("2021-12-31"), None)
                .unwrap_err()
                .to_string(),
            "act 1: death context is only for killings (this act is 'wounded')"
        );
        act.death_context = None;
        act.perpetrators = vec![InvolvementRecord::new(" ")];
        assert_eq!(
            normalize_act(&mut act, day("2021-12-31"), None)
                .unwrap_err()
                .to_string(),
            "perpetrator 1: actor is empty (name the actor, or 'unknown')"
        );
    }
}

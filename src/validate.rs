//! Checks a record before it is written and fills what follows from it.
//!
//! Everything that can be wrong with a user's record is caught here, with a
//! message that says where ("victim 2, act 1: …") and what is accepted, so
//! that nothing reaches the database half-checked. The schema's CHECKs stay
//! as the last guard.

use anyhow::{anyhow, bail, Context as _, Result};
use chrono::NaiveDate;

use crate::country;
use crate::dates;
use crate::model::*;
use crate::vocab::*;

/// Validates `rec` and returns it normalized: the `date` shorthand parsed
/// into the date fields, codes upper-cased, text trimmed.
pub fn normalize(mut rec: IncidentRecord, today: NaiveDate) -> Result<IncidentRecord> {
    rec.country = country::check(&rec.country)?;
    if let Some(text) = rec.date.take() {
        if rec.date_start.is_some() {
            bail!("give either date or date_start, not both");
        }
        let spec = dates::parse(&text, rec.calendar, today).context("date")?;
        rec.date_start = spec.start;
        rec.date_end = spec.end;
        rec.date_precision = Some(spec.precision);
        rec.date_approximate = spec.approximate;
        if rec.date_as_reported.is_empty() {
            rec.date_as_reported = spec.as_reported;
        }
    }
    check_dates(
        rec.date_start,
        rec.date_end,
        rec.date_precision,
        today,
        "date",
    )?;
    if rec.date_start.is_none() {
        rec.date_precision = Some(DatePrecision::Unknown);
    } else if rec.date_precision.is_none() {
        rec.date_precision = Some(DatePrecision::Day);
    }
    match (rec.latitude, rec.longitude) {
        (None, None) => {}
        (Some(lat), Some(lon)) => {
            if !(-90.0..=90.0).contains(&lat) {
                bail!("latitude {lat} is out of range (accepted: -90 to 90)");
            }
            if !(-180.0..=180.0).contains(&lon) {
                bail!("longitude {lon} is out of range (accepted: -180 to 180)");
            }
        }
        _ => bail!("give both latitude and longitude, or neither"),
    }
    if rec.geo_precision > 3 {
        bail!(
            "geo_precision {} is out of range (accepted: 0 unknown, 1 exact, 2 near, 3 region)",
            rec.geo_precision
        );
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
        let at = format!("victim {}", vi + 1);
        normalize_victim(v, today, incident_date).with_context(|| at.clone())?;
    }
    for (si, s) in rec.sources.iter().enumerate() {
        check_source(s).with_context(|| format!("source {}", si + 1))?;
    }
    for (ci, c) in rec.claims.iter().enumerate() {
        if c.field.trim().is_empty() {
            bail!(
                "claim {}: field is empty (name the field the source speaks of)",
                ci + 1
            );
        }
    }
    Ok(rec)
}

/// Validates a victim and its acts.
pub fn normalize_victim(
    v: &mut VictimRecord,
    today: NaiveDate,
    incident_date: Option<NaiveDate>,
) -> Result<()> {
    // A name may be unknown (DESIGN §2): the victim is then "unnamed".
    v.name = v.name.trim().to_string();
    if !v.nationality.is_empty() {
        v.nationality = country::check(&v.nationality).context("nationality")?;
    }
    if let Some(age) = v.age {
        if age > 120 {
            bail!("age {age} is out of range (accepted: 0 to 120)");
        }
    }
    for (ai, a) in v.acts.iter_mut().enumerate() {
        normalize_act(a, today, incident_date).with_context(|| format!("act {}", ai + 1))?;
    }
    Ok(())
}

/// Validates an act and its perpetrators.
pub fn normalize_act(
    a: &mut ActRecord,
    today: NaiveDate,
    incident_date: Option<NaiveDate>,
) -> Result<()> {
    if let Some(text) = a.date.take() {
        let spec = dates::parse(&text, Calendar::Gregorian, today).context("date")?;
        a.date_start = spec.start;
        a.date_end = spec.end;
        a.date_precision = Some(spec.precision);
    }
    check_dates(a.date_start, a.date_end, a.date_precision, today, "date")?;
    if let (Some(own), Some(incident)) = (a.date_start, incident_date) {
        if own < incident {
            bail!("date {own} is before the incident's date {incident}");
        }
    }
    if a.death_context.is_some() && a.act_type != ActType::Killed {
        bail!(
            "death context is only for killings (this act is '{}')",
            a.act_type
        );
    }
    for (pi, p) in a.perpetrators.iter_mut().enumerate() {
        p.actor = p.actor.trim().to_string();
        if p.actor.is_empty() {
            bail!(
                "perpetrator {}: actor is empty (name the actor, or 'unknown')",
                pi + 1
            );
        }
    }
    Ok(())
}

fn check_source(s: &SourceRecord) -> Result<()> {
    if s.url.trim().is_empty() && s.publisher.trim().is_empty() && s.title.trim().is_empty() {
        bail!("give at least a URL, a publisher or a title");
    }
    Ok(())
}

fn check_dates(
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    precision: Option<DatePrecision>,
    today: NaiveDate,
    what: &str,
) -> Result<()> {
    if let Some(s) = start {
        if s > today {
            bail!("{what} {s} is in the future (today is {today})");
        }
    }
    match (start, end) {
        (None, Some(_)) => bail!("{what}: an end date needs a start date"),
        (Some(s), Some(e)) if e < s => bail!("{what}: ends on {e}, before it starts on {s}"),
        _ => {}
    }
    if start.is_some() && precision == Some(DatePrecision::Unknown) {
        bail!("{what}: precision 'unknown' goes with no date; give the precision of the date");
    }
    if start.is_none() && matches!(precision, Some(p) if p != DatePrecision::Unknown) {
        return Err(anyhow!(
            "{what}: precision '{}' needs a date",
            precision.map_or("", |p| p.as_str())
        ));
    }
    Ok(())
}

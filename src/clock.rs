//! The only place that reads the wall clock.
//!
//! `PRESSREG_NOW` (RFC 3339) pins "now" so that tests, and documenters
//! re-creating an old entry, get the same timestamps every run.

use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

/// The current time, or `PRESSREG_NOW` when it is set.
pub fn now() -> Result<DateTime<Utc>> {
    match std::env::var("PRESSREG_NOW") {
        Ok(text) if !text.is_empty() => DateTime::parse_from_rfc3339(&text)
            .map(|t| t.with_timezone(&Utc))
            .with_context(|| {
                format!("PRESSREG_NOW '{text}' is not a time (accepted: RFC 3339, e.g. 2021-12-31T12:00:00Z)")
            }),
        #[allow(clippy::disallowed_methods)] // the one sanctioned caller
        _ => Ok(Utc::now()),
    }
}

/// Today's date in UTC.
pub fn today() -> Result<NaiveDate> {
    Ok(now()?.date_naive())
}

/// A timestamp as the registry stores it: RFC 3339, UTC, seconds.
pub fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Who is making a change: `PRESSREG_USER`, else the login name.
pub fn user() -> String {
    ["PRESSREG_USER", "USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
}

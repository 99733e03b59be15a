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

/// Who is making a change, as the revision log names them:
/// `PRESSREG_USER`, else the login name (`USER`, `LOGNAME`, `USERNAME`),
/// else the account the process runs as (a cron job or a container has no
/// `USER`), and `unknown` only when none of these exists.
pub fn user() -> String {
    ["PRESSREG_USER", "USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .or_else(account_name)
        .unwrap_or_else(|| "unknown".to_string())
}

/// The name of the account the process runs as.
#[cfg(unix)]
fn account_name() -> Option<String> {
    let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    let mut buf = vec![0 as libc::c_char; 4096];
    // SAFETY: getpwuid_r writes only into `entry` and `buf` (whose length
    // it is given) and sets `found` to `&entry` or null; the name is read
    // before either goes out of scope.
    let rc = unsafe {
        libc::getpwuid_r(
            libc::getuid(),
            &mut entry,
            buf.as_mut_ptr(),
            buf.len(),
            &mut found,
        )
    };
    if rc != 0 || found.is_null() || entry.pw_name.is_null() {
        return None;
    }
    // SAFETY: pw_name points into `buf`, NUL-terminated by getpwuid_r.
    let name = unsafe { std::ffi::CStr::from_ptr(entry.pw_name) };
    Some(name.to_string_lossy().into_owned()).filter(|n| !n.is_empty())
}

#[cfg(not(unix))]
fn account_name() -> Option<String> {
    None
}

//! Telling a failed write from a refused record.
//!
//! A record that breaks a rule (a bad date, an unknown actor) is the
//! user's to fix, and a command like `import` collects such refusals to
//! list them all. A statement SQLite could not carry out (disk full, I/O
//! error, a constraint the program should never have let through) is not
//! one more bad row: after some of them SQLite has already rolled the
//! whole transaction back, and every later statement would run on its own
//! and be committed at once. Such a failure must end the command.

use rusqlite::ErrorCode;

/// Whether `e` (anywhere in its chain) is a statement SQLite failed to
/// carry out.
pub fn is_write_failure(e: &anyhow::Error) -> bool {
    e.chain()
        .any(|c| c.downcast_ref::<rusqlite::Error>().is_some())
}

/// Whether `e` (anywhere in its chain) is SQLite's "database or disk is
/// full".
pub fn is_disk_full(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        matches!(
            c.downcast_ref::<rusqlite::Error>(),
            Some(rusqlite::Error::SqliteFailure(f, _)) if f.code == ErrorCode::DiskFull
        )
    })
}

/// The message of a write that failed because the disk is full, whatever
/// wrapped it: the one line every command prints.
pub const DISK_FULL: &str =
    "disk full: nothing was written (free some space and run the command again)";

/// `e`, or the disk-full message when that is what `e` is.
pub fn explain(e: anyhow::Error) -> anyhow::Error {
    if is_disk_full(&e) {
        anyhow::anyhow!(DISK_FULL)
    } else {
        e
    }
}

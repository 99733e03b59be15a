//! Copies of the registry (`pressreg backup FILE`): page for page through
//! SQLite's online backup API, from one read snapshot of the registry, so
//! the copy is consistent while other pressregs write.
//!
//! Invariants:
//! * a copy is never written over an existing file (`create_new`), and the
//!   file is made owner-only (0600) before SQLite opens it;
//! * the copy is keyed exactly as the registry is (the same `PRAGMA key`
//!   before its first page is written): SQLCipher's backup API copies pages
//!   as they are stored, so source and copy must share key and settings;
//! * a copy is reported only after it has been reopened and verified
//!   (integrity check, SQLCipher's page check, the revision chain, and
//!   every table's row count equal to the snapshot's); a copy that fails is
//!   removed with its journal files, so no half-written copy is left.
//!
//! This module (and `fieldcopy`, which trims such a copy) is the only
//! place that opens a second database: no command attaches or exports
//! into another file with SQL (SECURITY.md R23).

use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::{busy_message, integrity, migrate, remove_files, revision, Db, Key};

/// What a verified copy holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copied {
    /// Every table with its row count (equal in the registry's snapshot
    /// and in the copy).
    pub tables: Vec<(String, i64)>,
    /// The revision log's head in the copy (and in the registry's snapshot
    /// it was taken from); None when the log is empty.
    pub head: Option<super::Head>,
}

impl Copied {
    /// The row count of one table (0 when there is no such table).
    pub fn rows(&self, table: &str) -> i64 {
        self.tables
            .iter()
            .find(|(t, _)| t == table)
            .map_or(0, |(_, n)| *n)
    }
}

impl Db {
    /// Copies the whole registry to `dest` (which must not exist) and
    /// verifies the copy.
    pub fn backup(&mut self, dest: &Path) -> Result<Copied> {
        let key = self.key_pragma();
        copy(&mut self.conn, dest, key.as_deref().map(String::as_str))
    }

    /// The value the registry's connection was keyed with (`PRAGMA key`),
    /// so that a copy is keyed the same way; None for a plaintext registry.
    pub(in crate::db) fn key_pragma(&self) -> Option<zeroize::Zeroizing<String>> {
        self.key.as_ref().map(Key::pragma_value)
    }
}

/// Copies `src` to a new file `dest`, keyed with `key` as `src` is, and
/// verifies it; on any failure the new file is removed.
fn copy(src: &mut Connection, dest: &Path, key: Option<&str>) -> Result<Copied> {
    let shown = dest.display().to_string();
    create_new_private(dest, &shown)?;
    remove_on_failure(dest, || {
        let copied = copy_into(src, dest, &shown, key)?;
        verify(dest, &shown, key, &copied.tables)?;
        Ok(copied)
    })
}

/// Runs `f` on a new copy at `path`, removing the copy (with its journal
/// files) when `f` fails: no half-made copy is ever left.
pub(in crate::db) fn remove_on_failure<T>(path: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let done = f();
    if done.is_err() {
        remove_files(path);
    }
    done
}

/// The page copy itself, from one snapshot; returns the snapshot's row
/// counts and the head of its revision log.
fn copy_into(src: &mut Connection, dest: &Path, shown: &str, key: Option<&str>) -> Result<Copied> {
    let mut to = open_keyed(dest, shown, key)?;
    // One read transaction: the counts and the pages come from the same
    // snapshot, whatever another pressreg commits meanwhile.
    let snapshot = src
        .transaction_with_behavior(TransactionBehavior::Deferred)
        .map_err(busy_message)?;
    let tables = table_counts(&snapshot)?;
    let head = super::seal::head(&snapshot)?;
    {
        let backup = Backup::new(&snapshot, &mut to)
            .with_context(|| format!("failed to start the backup to '{shown}'"))?;
        // All pages in one step: the copy is taken under one read lock.
        match backup
            .step(-1)
            .with_context(|| format!("failed to write the backup '{shown}'"))?
        {
            StepResult::Done => {}
            StepResult::Busy | StepResult::Locked => {
                bail!("the registry is busy: another pressreg is writing to it; try again when it is done")
            }
            other => bail!("the backup to '{shown}' stopped before the end ({other:?})"),
        }
    }
    snapshot.finish()?;
    to.close().map_err(|(_, e)| e)?;
    Ok(Copied { tables, head })
}

/// Reopens the copy as a new reader would and checks it against `tables`.
fn verify(dest: &Path, shown: &str, key: Option<&str>, tables: &[(String, i64)]) -> Result<()> {
    let conn = open_keyed(dest, shown, key)?;
    let fail = |what: String| {
        anyhow::anyhow!("the backup '{shown}' failed verification ({what}); it was removed")
    };
    migrate::check_version(&conn, shown).map_err(|e| fail(format!("{e:#}")))?;
    if let Some(p) = integrity::integrity_problems(&conn).first() {
        return Err(fail(format!("integrity check: {p}")));
    }
    if let Some(p) = integrity::cipher_problems(&conn).first() {
        return Err(fail(format!("cipher integrity check: {p}")));
    }
    if let (Some(id), _) = revision::verify_chain(&conn)? {
        return Err(fail(format!("the revision chain breaks at revision {id}")));
    }
    let copied = table_counts(&conn)?;
    if copied != tables {
        for ((table, want), (_, got)) in tables.iter().zip(copied.iter()) {
            if want != got {
                return Err(fail(format!(
                    "table {table} has {got} rows, the registry {want}"
                )));
            }
        }
        return Err(fail("its tables differ from the registry's".into()));
    }
    Ok(())
}

/// Every table of the schema with its row count, by name.
pub(in crate::db) fn table_counts(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    names
        .into_iter()
        .map(|name| {
            let n: i64 = conn.query_row(&format!("SELECT count(*) FROM \"{name}\""), [], |r| {
                r.get(0)
            })?;
            Ok((name, n))
        })
        .collect()
}

/// Opens a copy, keyed with `key` before anything reads or writes a page.
pub(in crate::db) fn open_keyed(path: &Path, shown: &str, key: Option<&str>) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("failed to open the backup '{shown}'"))?;
    if let Some(key) = key {
        conn.pragma_update(None, "key", key)
            .with_context(|| format!("failed to key the backup '{shown}'"))?;
        // SQLCipher turns its stderr log on with the first key (as in
        // key::apply).
        conn.pragma_update(None, "cipher_log_level", "NONE")?;
    }
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "secure_delete", true)?;
    Ok(conn)
}

/// Creates `path` empty and owner-only; an existing file (or anything else
/// at that path) is refused and left as it is.
pub(in crate::db) fn create_new_private(path: &Path, shown: &str) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
            "'{shown}' already exists: a backup is never written over a file (choose a new name)"
        ),
        Err(e) => Err(e).with_context(|| format!("failed to create the backup '{shown}'")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_key() -> Key {
        Key::raw([7u8; 32], "the test key")
    }

    /// The copy holds what the registry holds, table by table, and the
    /// counts reported are the copy's.
    #[test]
    fn a_backup_has_every_row_of_the_registry() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("registry.db");
        let mut db = Db::create(&path, Some(&test_key()))?;
        let dest = dir.path().join("copy.db");
        let copied = db.backup(&dest)?;
        // The copy opens with the registry's key.
        let conn = open_keyed(
            &dest,
            "copy.db",
            db.key_pragma().as_deref().map(String::as_str),
        )?;
        assert_eq!(table_counts(&conn)?, copied.tables);
        assert_eq!(table_counts(db.conn())?, copied.tables);
        Ok(())
    }

    #[test]
    fn a_backup_never_writes_over_a_file() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let mut db = Db::create(&dir.path().join("registry.db"), Some(&test_key()))?;
        let dest = dir.path().join("there.db");
        std::fs::write(&dest, "")?;
        let err = db.backup(&dest).unwrap_err();
        assert!(format!("{err:#}").contains("already exists"), "{err:#}");
        assert_eq!(std::fs::read(&dest)?, b"");
        Ok(())
    }
}

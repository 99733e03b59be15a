//! The storage layer: the registry file, opening it safely, and every query.
//! This module and its children are the only place that names rusqlite or
//! holds SQL text, so that a server database (DESIGN §8) can one day stand
//! behind the same methods without touching `cmd/`.
//!
//! What commands get:
//! * `Db::read()`: a `Reader` on one snapshot (a read transaction), with
//!   methods such as `load_incident`, `list`, `facts`, `history`;
//! * `Db::write(reason, |w| …)` (and `Db::dry_run`): a `Writer` inside one
//!   `BEGIN IMMEDIATE` transaction, with methods such as `insert_incident`,
//!   `add_victim`, `set_duplicate_of`, each logging its revisions; it reads
//!   through the `Reader` methods too, and sees what it has written;
//! * `Db::backup` and `Db::field_copy`: verified copies in a new file;
//!   `Writer::purge` then `Db::wipe`: erasure for good;
//! * ids as types (`IncidentId`, `VictimId`, `ActId`, `ActorId`,
//!   `SourceId`, `ClaimId`), whose numbers only this module sees.
//!
//! No connection, transaction or SQL value leaves this module.
//! `sql_types` holds every conversion between the program's types and
//! SQLite's.
//!
//! Invariants:
//! * a file that is not a registry, or is newer than this program, is
//!   refused before anything is written to it (its bytes stay as they were);
//!   a file that is not an SQLite database at all is recognised by its
//!   header or by SQLite's own error code, never by the words of a message;
//! * a new registry file is created with owner-only permissions before
//!   SQLite opens it, and SQLite gives its `-wal` and `-shm` files the same;
//! * every connection has foreign keys on, WAL, `synchronous=FULL`,
//!   `secure_delete`, in-memory temporary storage and a 5-second busy
//!   timeout;
//! * a command writes in one transaction (`Db::write`): all of it or none;
//!   a read command reads one snapshot (`Db::read`).

mod actors;
mod asof;
mod attach;
mod backup;
mod claims;
pub mod edit;
mod erase;
pub mod facts;
pub mod failure;
mod fieldcopy;
mod history;
mod ids;
mod integrity;
pub mod listing;
mod migrate;
pub mod query;
mod read;
mod reader;
mod revision;
mod seal;
mod sql_types;
mod upsert;
mod write;
mod writer;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub use actors::ActorSummary;
pub use asof::AsOf;
pub use attach::Target;
pub use claims::{field_name, Accepted, Agreement};
pub use fieldcopy::Trim;
pub use ids::{ActorId, IncidentId};
pub use reader::Reader;
pub use revision::{is_withheld, Writer};
pub use seal::Head;

/// How a command uses the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reads only: a missing file is an error, nothing is created.
    Read,
    /// Changes what a registry holds (an incident to edit, delete or
    /// attach to): a missing file is an error, nothing is created.
    Change,
    /// Writes new records: a missing file is created as a new registry.
    Write,
}

/// An open registry.
pub struct Db {
    conn: Connection,
    path: PathBuf,
    /// Whether this open created the file (not another pressreg, not
    /// before).
    created: bool,
}

impl Db {
    /// Opens (or, for `Access::Write`, creates) the registry at `path`.
    pub fn open(path: &Path, access: Access) -> Result<Db> {
        let shown = path.display().to_string();
        let exists = path.exists();
        if !exists && access != Access::Write {
            bail!("no registry at '{shown}' (create one with 'pressreg init')");
        }
        let created = if exists {
            refuse_non_sqlite(path)?;
            false
        } else {
            create_private(path)?
        };
        // Check what the file is before any pragma can write to it: turning
        // on WAL rewrites the header of a database that is not ours.
        {
            let probe = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .with_context(|| format!("failed to open registry '{shown}'"))?;
            probe.busy_timeout(Duration::from_secs(5))?;
            migrate::check_version(&probe, &shown).map_err(|e| not_a_registry(e, &shown))?;
        }
        // Read commands open read-write too: a WAL reader needs the -shm
        // file, and an older registry is brought up to date on any open.
        // `Access` decides only whether a missing file may be created.
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags)
            .with_context(|| format!("failed to open registry '{shown}'"))?;
        configure(&conn).with_context(|| format!("failed to configure registry '{shown}'"))?;
        migrate::migrate(&mut conn, &shown)?;
        Ok(Db {
            conn,
            path: path.to_path_buf(),
            created,
        })
    }

    /// An in-memory registry, for unit tests and for rebuilding the past.
    pub fn in_memory() -> Result<Db> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn)?;
        migrate::migrate(&mut conn, ":memory:")?;
        Ok(Db {
            conn,
            path: PathBuf::from(":memory:"),
            created: false,
        })
    }

    /// Whether this open created the registry file.
    pub fn created(&self) -> bool {
        self.created
    }

    /// Closes the registry and, when this open created the file, removes
    /// it with its WAL companions: a command that created the registry and
    /// then put nothing in (refused, or a dry run) leaves nothing behind.
    pub fn close_discarding_new(self) {
        let Db {
            conn,
            path,
            created,
        } = self;
        drop(conn);
        if created {
            remove_files(&path);
        }
    }

    /// The file the registry lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for this module's own queries and tests.
    pub(in crate::db) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one immediate transaction with a revision writer; commits
    /// only if `f` succeeds, so a failed command changes nothing.
    pub fn write<T>(
        &mut self,
        reason: &str,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(busy_message)?;
        let value = {
            let mut writer = Writer::new(&tx, reason)?;
            f(&mut writer).map_err(failure::explain)?
        };
        // SQLite rolls the whole transaction back by itself after some
        // failures (disk full, I/O error); committing then would commit
        // nothing, or whatever ran after it on its own.
        if tx.is_autocommit() {
            bail!("the registry rolled this command back: nothing was written");
        }
        tx.commit().map_err(busy_message)?;
        Ok(value)
    }

    /// Runs `f` in a transaction that is always rolled back: the preview of
    /// `--dry-run` sees exactly what the real run would do.
    pub fn dry_run<T>(
        &mut self,
        reason: &str,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(busy_message)?;
        let value = {
            let mut writer = Writer::new(&tx, reason)?;
            f(&mut writer).map_err(failure::explain)?
        };
        tx.rollback()?;
        Ok(value)
    }

    /// A reader on one snapshot: every query a command makes through it
    /// sees the same state, whatever another pressreg commits meanwhile.
    pub fn read(&mut self) -> Result<Reader<'_>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)?;
        Ok(Reader::snapshot(tx))
    }
}

fn configure(conn: &Connection) -> Result<()> {
    // rusqlite's default is 5 s; set it anyway so the bar is explicit.
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "secure_delete", true)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // A bulk import spills SQLite's default 2 MB page cache many times over;
    // 32 MiB halves such writes while keeping peak memory under the 64 MB
    // bar (PERFORMANCE.md B7). Pages are only held as they are used.
    conn.pragma_update(None, "cache_size", -32768)?;
    conn.set_prepared_statement_cache_capacity(64);
    let mode = switch_to_wal(conn)?;
    if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
        bail!("could not switch to WAL journal mode (got '{mode}')");
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

/// Sets WAL mode. Switching a new registry needs an exclusive lock, and
/// SQLite answers "busy" at once, without its busy handler, while another
/// pressreg is opening the same new file: retry for the busy timeout.
fn switch_to_wal(conn: &Connection) -> Result<String> {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        match conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0)) {
            Ok(mode) => return Ok(mode),
            Err(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => return Err(busy_message(e)),
        }
    }
}

/// Removes a registry file and its WAL companions.
fn remove_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

/// Creates an empty file readable by its owner only; false when another
/// pressreg created it first.
fn create_private(path: &Path) -> Result<bool> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(true),
        // Another pressreg created it a moment ago (two commands started at
        // once on a new registry): what it is gets checked like any file.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            refuse_non_sqlite(path).map(|()| false)
        }
        Err(e) => Err(e).with_context(|| format!("failed to create registry '{}'", path.display())),
    }
}

/// Refuses a non-empty file that does not start with SQLite's header.
fn refuse_non_sqlite(path: &Path) -> Result<()> {
    let mut header = [0u8; 16];
    let mut file = std::fs::File::open(path)
        .with_context(|| format!("failed to open registry '{}'", path.display()))?;
    let n = file.read(&mut header)?;
    // An empty file is a registry not yet written; anything else must be a
    // whole SQLite header.
    if n > 0 && (n < 16 || header != *b"SQLite format 3\0") {
        return Err(not_a_database(&path.display().to_string()));
    }
    Ok(())
}

fn not_a_database(shown: &str) -> anyhow::Error {
    anyhow::anyhow!("'{shown}' is not a pressreg registry (not an SQLite database)")
}

/// A file with SQLite's header but not SQLite's structure is recognised by
/// SQLite's own verdict (`SQLITE_NOTADB`), not by the words of its message.
fn not_a_registry(e: anyhow::Error, shown: &str) -> anyhow::Error {
    let code = e
        .downcast_ref::<rusqlite::Error>()
        .and_then(rusqlite::Error::sqlite_error_code);
    if code == Some(rusqlite::ErrorCode::NotADatabase) {
        not_a_database(shown)
    } else {
        e
    }
}

/// Turns SQLite's "database is locked" into a message a documenter can act on.
fn busy_message(e: rusqlite::Error) -> anyhow::Error {
    if let rusqlite::Error::SqliteFailure(f, _) = &e {
        if f.code == rusqlite::ErrorCode::DatabaseBusy {
            return anyhow::anyhow!(
                "the registry is busy: another pressreg is writing to it; try again when it is done"
            );
        }
        if f.code == rusqlite::ErrorCode::DiskFull {
            return anyhow::anyhow!(failure::DISK_FULL);
        }
    }
    anyhow::Error::new(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pragma(db: &Db, name: &str) -> rusqlite::types::Value {
        db.conn()
            .pragma_query_value(None, name, |r| r.get(0))
            .unwrap_or_else(|e| panic!("PRAGMA {name}: {e}"))
    }

    /// R8: every connection, new file or existing, for reading or writing,
    /// has the pragmas SECURITY.md asks for.
    #[test]
    fn every_connection_has_the_safety_pragmas() -> Result<()> {
        use rusqlite::types::Value::{Integer, Text};
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("registry.db");
        for access in [Access::Write, Access::Write, Access::Read] {
            let db = Db::open(&path, access)?;
            assert_eq!(pragma(&db, "foreign_keys"), Integer(1));
            assert_eq!(pragma(&db, "journal_mode"), Text("wal".into()));
            assert_eq!(pragma(&db, "synchronous"), Integer(2));
            assert_eq!(pragma(&db, "secure_delete"), Integer(1));
            assert_ne!(pragma(&db, "temp_store"), Integer(1));
            match pragma(&db, "busy_timeout") {
                Integer(ms) => assert!(ms >= 5000, "busy_timeout {ms}"),
                other => panic!("busy_timeout {other:?}"),
            }
        }
        Ok(())
    }

    /// A command whose transaction SQLite rolled back behind its back (as
    /// it does after a full disk) is refused at commit, not committed as
    /// whatever ran after.
    #[test]
    fn a_transaction_rolled_back_behind_the_writer_is_not_committed() -> Result<()> {
        let mut db = Db::in_memory()?;
        let err = db
            .write("test", |w| {
                w.tx().execute_batch("ROLLBACK")?;
                Ok(())
            })
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the registry rolled this command back: nothing was written"
        );
        Ok(())
    }

    /// R10: the registry file is created owner-only whatever the umask.
    #[cfg(unix)]
    #[test]
    fn a_new_registry_is_owner_only() -> Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("registry.db");
        let _db = Db::open(&path, Access::Write)?;
        let mode = std::fs::metadata(&path)?.permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        Ok(())
    }
}

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
//! * only `Db::create` (the `init` command) makes a registry; every other
//!   open refuses a missing or empty file;
//! * a file that is not a registry, is newer than this program, or does not
//!   open with the key given is refused before anything is written to it
//!   (its bytes stay as they were); a file that is not an SQLite database
//!   at all is recognised by its header (or its length, for an encrypted
//!   one) or by SQLite's own error code, never by the words of a message;
//! * a registry is encrypted (SQLCipher, `key.rs`) unless it was made with
//!   `init --plaintext`; a key given for a plaintext file is refused, and
//!   every write to a plaintext registry says it is not encrypted; a build
//!   whose library is not SQLCipher opens and makes no registry at all;
//! * every write to an encrypted registry seals the revision log's new
//!   head in the same transaction (`seal.rs`);
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
mod bulk;
mod claims;
pub mod edit;
mod erase;
pub mod facts;
pub mod failure;
mod fieldcopy;
pub mod fold;
mod history;
mod ids;
mod integrity;
pub mod key;
pub mod listing;
mod merge;
mod migrate;
pub mod query;
mod read;
mod reader;
mod revision;
mod seal;
mod sql_types;
mod uid;
pub mod units;
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
pub use key::Key;
pub use merge::Merged;
pub use reader::Reader;
pub use revision::{is_withheld, Writer};
pub use seal::Head;

/// How a command uses the registry. All refuse a missing file: only
/// `init` (`Db::create`) makes a registry, so a typo in `--db` is an error,
/// not a new empty registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reads only.
    Read,
    /// Changes what a registry holds (an incident to edit, delete or
    /// attach to).
    Change,
    /// Writes new records.
    Write,
}

/// An open registry.
pub struct Db {
    conn: Connection,
    path: PathBuf,
    /// Not encrypted (`init --plaintext`): every write says so.
    plaintext: bool,
    /// The key `open` applied (None for a plaintext registry): a backup is
    /// keyed with it, so that the copy is as encrypted as the registry.
    key: Option<Key>,
}

/// What the bytes of a file say it is, before SQLite touches it.
enum FileKind {
    /// Starts with SQLite's header: an unencrypted database, with the
    /// `user_version` and `application_id` its header holds.
    Plain { version: i64, app_id: i64 },
    /// Pages of noise: an encrypted registry, or something else that only
    /// the key can tell apart.
    Encrypted,
}

impl Db {
    /// Opens the existing registry at `path`, encrypted (with the key from
    /// `key::for_existing`) or not. Nothing is created, and a file that does
    /// not open is left byte for byte as it was.
    pub fn open(path: &Path, _access: Access) -> Result<Db> {
        key::require_linked_sqlcipher()?;
        let shown = path.display().to_string();
        match inspect(path, &shown)? {
            FileKind::Plain { version, app_id } => open_plain(path, &shown, version, app_id),
            FileKind::Encrypted => {
                let key = key::for_existing(&shown)?;
                open_keyed(path, &shown, &key, false)
            }
        }
    }

    /// Opens the existing encrypted registry at `path` with `key`.
    pub fn open_with_key(path: &Path, key: &Key) -> Result<Db> {
        key::require_linked_sqlcipher()?;
        let shown = path.display().to_string();
        match inspect(path, &shown)? {
            FileKind::Plain { .. } => bail!("'{shown}' is not encrypted"),
            FileKind::Encrypted => open_keyed(path, &shown, key, false),
        }
    }

    /// Creates a new registry at `path` (which must not exist): encrypted
    /// with `key`, or plaintext when `key` is None. A failure leaves no file.
    pub fn create(path: &Path, key: Option<&Key>) -> Result<Db> {
        // R2 before the file exists: a plain SQLite build must not leave
        // even an empty file behind, encrypted or not.
        key::require_linked_sqlcipher()?;
        let shown = path.display().to_string();
        create_private(path)?;
        let made = match key {
            Some(key) => open_keyed(path, &shown, key, true),
            None => open_conn(path, &shown, true),
        };
        if made.is_err() {
            remove_files(path);
        }
        made
    }

    /// Refuses a plaintext registry, which has no key to change.
    pub fn require_encrypted(&self) -> Result<()> {
        if self.plaintext {
            bail!(
                "'{}' is not encrypted, so it has no key to change (to encrypt it, export it with \
                 --profile full --format jsonl and import that into a registry made by 'pressreg init')",
                self.path.display()
            );
        }
        Ok(())
    }

    /// Changes the key of an encrypted registry in one transaction: after
    /// it, only `new` opens the file. Needs the registry to itself.
    pub fn rekey(&mut self, new: &Key) -> Result<()> {
        self.require_encrypted()?;
        // SQLCipher rewrites every page in one rollback-journal
        // transaction; WAL frames written under the old key would not
        // read under the new one, so the WAL is emptied and set aside.
        let busy: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
            .map_err(busy_message)?;
        if busy != 0 {
            return Err(busy_message(busy_error()));
        }
        let mode: String = self
            .conn
            .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))
            .map_err(busy_message)?;
        if !mode.eq_ignore_ascii_case("delete") {
            return Err(busy_message(busy_error()));
        }
        let changed = key::rekey(&self.conn, new);
        let back = switch_to_wal(&self.conn);
        changed?;
        back?;
        // The seal was made with the old key: make it again with the new.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(busy_message)?;
        seal::store(&tx, new.secret())?;
        tx.commit().map_err(busy_message)?;
        self.key = Some(new.clone());
        Ok(())
    }

    /// An in-memory registry, for unit tests and for rebuilding the past.
    pub fn in_memory() -> Result<Db> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn)?;
        migrate::migrate(&mut conn, ":memory:")?;
        Ok(Db {
            conn,
            path: PathBuf::from(":memory:"),
            plaintext: false,
            key: None,
        })
    }

    /// The file the registry lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The key the registry was opened with (None: plaintext), for `check`
    /// to verify the seal with.
    pub fn key(&self) -> Option<&Key> {
        self.key.as_ref()
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
        let since = units::log_head(&tx)?;
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
        // The counting units follow every change in the same transaction.
        units::refresh(&tx, since)?;
        // The seal covers the head this very transaction leaves (R14).
        if let Some(key) = &self.key {
            seal::store(&tx, key.secret()).map_err(busy_message)?;
        }
        tx.commit().map_err(busy_message)?;
        if self.plaintext {
            // A user who chose `--plaintext` is reminded on every write
            // what that means (written through `output::say`, like every
            // `pressreg:` line).
            crate::output::say(
                "note: this registry is not encrypted (made with 'init --plaintext'): keep only public data in it",
            );
        }
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

/// Says what the file at `path` is, refusing what cannot be a registry:
/// no file, not a regular file, an empty file, or a file that is neither
/// an SQLite database nor whole encrypted pages.
fn inspect(path: &Path, shown: &str) -> Result<FileKind> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            bail!("no registry at '{shown}' (create one with 'pressreg init')")
        }
        Err(e) => bail!("failed to open registry '{shown}': {e}"),
    };
    if !meta.is_file() {
        bail!("'{shown}' is not a pressreg registry (not a regular file)");
    }
    if meta.len() == 0 {
        bail!("'{shown}' is not a pressreg registry (an empty file; 'pressreg init' makes a registry at a new path)");
    }
    let mut header = [0u8; 100];
    let mut file =
        std::fs::File::open(path).with_context(|| format!("failed to open registry '{shown}'"))?;
    let mut n = 0;
    while n < header.len() {
        match file.read(&mut header[n..])? {
            0 => break,
            got => n += got,
        }
    }
    if n >= 16 && header[..16] == *b"SQLite format 3\0" {
        let (version, app_id) = if n == 100 {
            migrate::header_version(&header)
        } else {
            (0, 0)
        };
        return Ok(FileKind::Plain { version, app_id });
    }
    // SQLCipher writes whole pages of at least 512 bytes: a file of
    // another length is not an encrypted registry, whatever the key.
    if meta.len() < 512 || meta.len() % 512 != 0 {
        return Err(not_a_database(shown));
    }
    Ok(FileKind::Encrypted)
}

/// Opens an unencrypted registry, refusing when a key was given: the user
/// believes their data is encrypted, and it is not.
fn open_plain(path: &Path, shown: &str, version: i64, app_id: i64) -> Result<Db> {
    // Refused before the probe below, which would leave -wal and -shm
    // files beside a WAL database it cannot clean up after.
    if let Some(var) = key::given_name() {
        bail!(
            "'{shown}' is not encrypted, but {var} is set: refusing to use it as if it were \
             (unset {var} to open this plaintext registry)"
        );
    }
    // Check what the file is before any pragma can write to it: turning
    // on WAL rewrites the header of a database that is not ours. A header
    // with pressreg's mark and a version this program knows settles it
    // without a connection (the common case, and the fast one); anything
    // else is asked of SQLite on a read-only connection.
    let ours =
        app_id == migrate::APPLICATION_ID && (1..=migrate::SCHEMA_VERSION).contains(&version);
    if !ours {
        let probe = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("failed to open registry '{shown}'"))?;
        probe.busy_timeout(Duration::from_secs(5))?;
        migrate::check_version(&probe, shown).map_err(|e| not_a_registry(e, shown))?;
    }
    open_conn(path, shown, false)
}

/// Opens (or, with `create`, makes) an unencrypted registry: configure,
/// then bring the schema up to date.
fn open_conn(path: &Path, shown: &str, create: bool) -> Result<Db> {
    // Read commands open read-write too: a WAL reader needs the -shm
    // file, and an older registry is brought up to date on any open.
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let mut conn = Connection::open_with_flags(path, flags)
        .with_context(|| format!("failed to open registry '{shown}'"))?;
    configure(&conn).with_context(|| format!("failed to configure registry '{shown}'"))?;
    migrate::migrate(&mut conn, shown)?;
    Ok(Db {
        conn,
        path: path.to_path_buf(),
        plaintext: true,
        key: None,
    })
}

/// Opens (or, with `create`, makes) an encrypted registry with `key`. The
/// key is tried with a read before anything can write: a wrong key
/// changes no byte of the file.
fn open_keyed(path: &Path, shown: &str, key: &Key, create: bool) -> Result<Db> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let mut conn = Connection::open_with_flags(path, flags)
        .with_context(|| format!("failed to open registry '{shown}'"))?;
    conn.busy_timeout(Duration::from_secs(5))?;
    key::apply(&conn, key)?;
    let wrong = || {
        anyhow::anyhow!(
            "'{shown}' does not open with {}: wrong key, or not a pressreg registry",
            key.origin()
        )
    };
    // The version check is the key's test: its first read of page 1
    // fails with SQLITE_NOTADB under a wrong key.
    let before = match migrate::check_version(&conn, shown) {
        Ok(v) => v,
        Err(e) => {
            return Err(
                match e
                    .downcast_ref::<rusqlite::Error>()
                    .and_then(rusqlite::Error::sqlite_error_code)
                {
                    Some(rusqlite::ErrorCode::NotADatabase) => wrong(),
                    _ => match e.downcast::<rusqlite::Error>() {
                        Ok(e) => busy_message(e),
                        Err(e) => e,
                    },
                },
            )
        }
    };
    configure(&conn).with_context(|| format!("failed to configure registry '{shown}'"))?;
    migrate::migrate_from(&mut conn, shown, before)?;
    if (1..migrate::SEAL_VERSION).contains(&before) {
        // A registry from before seals gets its first one with the upgrade
        // that made the table, and never again outside a write: `check`
        // then finds a seal removed later.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(busy_message)?;
        seal::store(&tx, key.secret())?;
        tx.commit().map_err(busy_message)?;
    }
    Ok(Db {
        conn,
        path: path.to_path_buf(),
        plaintext: false,
        key: Some(key.clone()),
    })
}

/// Creates an empty file readable by its owner only, refusing to reuse
/// any file that is already there.
fn create_private(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .map(|_| ())
        .with_context(|| format!("failed to create registry '{}'", path.display()))
}

/// Removes a registry file and its companions: a failed `init` leaves
/// nothing behind.
fn remove_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
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

fn busy_error() -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY), None)
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

    fn test_key() -> Key {
        Key::raw([7u8; 32], "the test key")
    }

    /// R8: every connection, new file or existing, encrypted or not, has
    /// the pragmas SECURITY.md asks for.
    #[test]
    fn every_connection_has_the_safety_pragmas() -> Result<()> {
        use rusqlite::types::Value::{Integer, Text};
        let dir = tempfile::tempdir()?;
        let plain = dir.path().join("plain.db");
        let secret = dir.path().join("secret.db");
        let key = test_key();
        let dbs = [
            Db::create(&plain, None)?,
            Db::open(&plain, Access::Read)?,
            Db::create(&secret, Some(&key))?,
            Db::open_with_key(&secret, &key)?,
        ];
        for db in &dbs {
            assert_eq!(pragma(db, "foreign_keys"), Integer(1));
            assert_eq!(pragma(db, "journal_mode"), Text("wal".into()));
            assert_eq!(pragma(db, "synchronous"), Integer(2));
            assert_eq!(pragma(db, "secure_delete"), Integer(1));
            assert_ne!(pragma(db, "temp_store"), Integer(1));
            match pragma(db, "busy_timeout") {
                Integer(ms) => assert!(ms >= 5000, "busy_timeout {ms}"),
                other => panic!("busy_timeout {other:?}"),
            }
        }
        assert!(dbs[0].plaintext && dbs[1].plaintext && !dbs[2].plaintext && !dbs[3].plaintext);
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
        let _db = Db::create(&path, Some(&test_key()))?;
        let mode = std::fs::metadata(&path)?.permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        Ok(())
    }

    /// `create` never reuses a file, and a failed create leaves none.
    #[test]
    fn create_refuses_an_existing_file() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("registry.db");
        std::fs::write(&path, "")?;
        assert!(Db::create(&path, None).is_err());
        assert_eq!(std::fs::read(&path)?, b"");
        Ok(())
    }
}

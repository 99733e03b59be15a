//! A bulk load (`import`): one write like `Db::write`, set up for many
//! records at once. What it changes, and why it is safe:
//!
//! * actors are looked up once per name, not once per act (`Writer::
//!   remember_actors`): an import renames, re-aliases and deletes none;
//! * into a registry without incidents, the journal is SQLite's rollback
//!   journal instead of the WAL for the load: WAL writes every page twice
//!   (once to the `-wal` file, once at the checkpoint), while a rollback
//!   journal of an empty file holds only its few original pages. The WAL
//!   comes back as the load ends, committed or not; when another
//!   connection has the file open the switch is not made and the load runs
//!   in WAL as any write. A crash during the load leaves a hot journal that
//!   the next open rolls back, as it would the WAL;
//! * into a plaintext registry without incidents, the indexes that serve
//!   only queries are dropped and built again, sorted, before the load
//!   commits (`Writer::defer_indexes`), with SQLite's sorter spilling to
//!   temporary files so that memory stays flat. An encrypted registry keeps
//!   its indexes during the load: its sorter must stay in memory (SECURITY
//!   R22, no plaintext temporary files), which a million rows would not fit.
//!
//! Every record is checked and logged exactly as by `Db::write`: the load
//! changes how SQLite stores the rows, never which rows or revisions.

use anyhow::Result;

use super::{switch_to_wal, Db, Writer};

impl Db {
    /// Runs `f` like `write`, set up for a bulk load (see the module).
    pub fn bulk_write<T>(
        &mut self,
        reason: &str,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        let empty: bool =
            self.conn
                .query_row("SELECT NOT EXISTS (SELECT 1 FROM incident)", [], |r| {
                    r.get(0)
                })?;
        // Leaving WAL needs the file to ourselves; a busy file stays in WAL.
        let rollback_journal = empty
            && self
                .conn
                .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))
                .is_ok_and(|mode| mode.eq_ignore_ascii_case("delete"));
        let defer = empty && self.plaintext;
        if defer {
            self.conn.pragma_update(None, "temp_store", "FILE")?;
        }
        let result = self.write(reason, |w| {
            w.remember_actors();
            if defer {
                w.defer_indexes()?;
            }
            let value = f(w)?;
            w.build_deferred_indexes()?;
            Ok(value)
        });
        let memory = if defer {
            self.conn.pragma_update(None, "temp_store", "MEMORY")
        } else {
            Ok(())
        };
        let wal = if rollback_journal {
            switch_to_wal(&self.conn).map(|_| ())
        } else {
            Ok(())
        };
        let value = result?;
        memory?;
        wal?;
        Ok(value)
    }
}

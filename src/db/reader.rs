//! `Reader`: everything a command may read, on one snapshot.
//!
//! `Db::read` opens a read transaction and hands out a `Reader` over it:
//! every method a command calls on it sees the registry as it stood when
//! the first one ran, however many queries it takes (`show` reads the
//! incident, its ids and its deletion reason; `export` reads thousands of
//! incidents while another pressreg may be writing). A `Writer` reads
//! through the same methods, inside its own transaction, so a write sees
//! what it has written.
//!
//! The methods take and return the program's types (records, ids,
//! vocabularies); which SQL answers them is this module's business, so a
//! server database could stand behind the same methods.

use std::cell::RefCell;

use anyhow::Result;
use rusqlite::{Connection, Transaction};
use uuid::Uuid;

use super::actors::{self, ActorSummary, Link};
use super::attach::{self, ActAt, Target};
use super::claims::{self, StoredClaim};
use super::edit::{self, Located};
use super::facts::{self, Fact, FactQuery, LeftOut};
use super::ids::*;
use super::integrity::{self, Chain};
use super::listing::{self, ListRow};
use super::query::{self, Filter};
use super::read::{self, ActorCache};
use super::revision::Revision;
use super::seal::Head;
use super::{asof, history, units, upsert, Db};
use crate::count::Dim;
use crate::model::{ActorRecord, IncidentRecord};
use crate::vocab::{Basis, Role, Stance};

/// What a reader reads through.
enum Conn<'t> {
    /// Its own read transaction (`Db::read`).
    Snapshot(Transaction<'t>),
    /// A writer's transaction.
    Within(&'t Connection),
}

/// Read access to the registry on one snapshot.
pub struct Reader<'t> {
    conn: Conn<'t>,
    /// Actors already read. Only a snapshot keeps them: nothing changes
    /// under it, while a writer may change an actor between two reads.
    actors: Option<RefCell<ActorCache>>,
}

impl<'t> Reader<'t> {
    pub(super) fn snapshot(tx: Transaction<'t>) -> Reader<'t> {
        Reader {
            conn: Conn::Snapshot(tx),
            actors: Some(RefCell::default()),
        }
    }

    pub(super) fn within(conn: &'t Connection) -> Reader<'t> {
        Reader {
            conn: Conn::Within(conn),
            actors: None,
        }
    }

    pub(in crate::db) fn conn(&self) -> &Connection {
        match &self.conn {
            Conn::Snapshot(tx) => tx,
            Conn::Within(conn) => conn,
        }
    }

    // --- incidents ---

    /// The incident with this ref (or uid), deleted or not.
    pub fn incident_by_ref(&self, reference: &str) -> Result<Option<IncidentId>> {
        Ok(read::incident_id_by_ref(self.conn(), reference)?.map(IncidentId))
    }

    /// Why `reference` names no incident, with a correct example.
    pub fn unknown_ref(&self, reference: &str) -> Result<String> {
        read::unknown_ref(self.conn(), reference)
    }

    /// The incident with this uid.
    pub fn incident_by_uid(&self, uid: &Uuid) -> Result<Option<IncidentId>> {
        Ok(read::incident_id_by_uid(self.conn(), uid)?.map(IncidentId))
    }

    /// The incident a user named, or an error naming the ref.
    pub fn require_incident(&self, reference: &str) -> Result<IncidentId> {
        read::require_incident(self.conn(), reference).map(IncidentId)
    }

    /// The incident added last that is not deleted: an interactive `add`
    /// offers its place and circumstances as defaults, since a documenter
    /// in the field logs one area's incidents in a row.
    pub fn last_added(&self) -> Result<Option<IncidentRecord>> {
        use rusqlite::OptionalExtension as _;
        let id: Option<i64> = self
            .conn()
            .prepare_cached(
                "SELECT id FROM incident WHERE deleted_at IS NULL ORDER BY id DESC LIMIT 1",
            )?
            .query_row([], |r| r.get(0))
            .optional()?;
        id.map(|id| self.load_incident(IncidentId(id))).transpose()
    }

    /// One incident with everything attached to it.
    pub fn load_incident(&self, id: IncidentId) -> Result<IncidentRecord> {
        self.load(id, true)
    }

    /// One incident without its claims and relations (left empty): what
    /// the native CSV holds, for an export that writes every incident.
    pub fn load_incident_without_claims(&self, id: IncidentId) -> Result<IncidentRecord> {
        self.load(id, false)
    }

    fn load(&self, id: IncidentId, all: bool) -> Result<IncidentRecord> {
        match &self.actors {
            Some(cache) => {
                read::load_incident_with(self.conn(), id.0, &mut cache.borrow_mut(), all)
            }
            None => read::load_incident_with(self.conn(), id.0, &mut Default::default(), all),
        }
    }

    /// The incident a counted fact comes from (a summary for an audience
    /// asks what that audience is shown of it).
    pub fn incident_of(&self, fact: &Fact) -> Result<IncidentRecord> {
        self.load_incident(IncidentId(fact.incident_id))
    }

    /// One incident with the ids behind every address (`victim 2`,
    /// `act 1.2`, `source 1`), as `edit` and `show` need it.
    pub fn locate(&self, id: IncidentId) -> Result<Located> {
        edit::locate(self.conn(), id.0)
    }

    /// The ref of an incident.
    pub fn reference(&self, id: IncidentId) -> Result<String> {
        edit::reference(self.conn(), id.0)
    }

    /// The reason given with the incident's latest soft delete.
    pub fn deletion_reason(&self, id: IncidentId) -> Result<Option<String>> {
        history::deletion_reason(self.conn(), id.0)
    }

    /// The positions of the incident's victims, in the order
    /// `load_incident` returns them.
    pub fn victim_positions(&self, id: IncidentId) -> Result<Vec<i64>> {
        upsert::victim_positions(self.conn(), id.0)
    }

    /// How many incidents match `filter`.
    pub fn count_incidents(&self, filter: &Filter) -> Result<u64> {
        Ok(query::count_incidents(self.conn(), filter)?)
    }

    /// Calls `each` with every incident matching `filter`, by date then in
    /// the order recorded, streaming.
    pub fn for_each_incident(
        &self,
        filter: &Filter,
        mut each: impl FnMut(IncidentId) -> Result<()>,
    ) -> Result<()> {
        query::for_each_incident_id(self.conn(), filter, |id| each(IncidentId(id)))
    }

    /// Calls `each` with the list line of every incident matching `filter`.
    pub fn list(&self, filter: &Filter, each: impl FnMut(ListRow) -> Result<()>) -> Result<()> {
        listing::for_each(self.conn(), filter, each)
    }

    /// Calls `each` with the facts a summary counts, one incident at a
    /// time (streaming: a summary's memory does not grow with the
    /// registry).
    pub fn for_each_incident_facts(
        &self,
        q: &FactQuery<'_>,
        each: impl FnMut(&mut Vec<Fact>) -> Result<()>,
    ) -> Result<()> {
        facts::for_each_incident(self.conn(), q, each)
    }

    /// What a summary's filter leaves out, by reason.
    pub fn left_out(&self, filter: &Filter) -> Result<LeftOut> {
        facts::left_out(self.conn(), filter)
    }

    /// A `victims` summary counted from the stored units, or None when
    /// they cannot answer it exactly (`units::answer`).
    pub fn count_units(&self, filter: &Filter, by: &[Dim]) -> Result<Option<units::Answer>> {
        units::answer(self.conn(), filter, by)
    }

    /// Where the stored counting units differ from a recount (for
    /// `check`): the first `limit`, and how many in all.
    pub fn unit_differences(&self, limit: usize) -> Result<(Vec<String>, usize)> {
        units::differences(self.conn(), limit)
    }

    /// Every revision of an incident (what is attached to it included), in
    /// log order, each with the name `show` gives its record.
    pub fn history(&self, id: IncidentId) -> Result<Vec<(Revision, String)>> {
        let labels = history::labels(self.conn(), id.0)?;
        Ok(history::of_incident(self.conn(), id.0)?
            .into_iter()
            .map(|rev| {
                let label = history::label_of(&labels, &rev);
                (rev, label)
            })
            .collect())
    }

    /// A note for a user who named incident `id` by `given`, when a merge
    /// renumbered an incident from that ref (`merge::alias_note`).
    pub fn alias_note(&self, given: &str, id: IncidentId) -> Result<Option<String>> {
        super::merge::alias_note(self.conn(), given, id.0)
    }

    /// The id of the newest revision (0 for an empty log).
    pub fn last_revision_id(&self) -> Result<i64> {
        read::last_revision_id(self.conn())
    }

    /// Whether the incident has a revision newer than `revision_id`.
    pub fn changed_since(&self, id: IncidentId, revision_id: i64) -> Result<bool> {
        read::changed_since(self.conn(), id.0, revision_id)
    }

    /// The registry as it stood at the end of a day, or at a moment,
    /// rebuilt from the revision log into a registry in memory.
    pub fn as_of(&self, point: asof::AsOf) -> Result<Db> {
        asof::rebuild(self.conn(), point)
    }

    // --- actors ---

    /// The actor with this name or alias (case does not matter).
    pub fn actor_by_name(&self, name: &str) -> Result<Option<ActorId>> {
        Ok(read::actor_id_by_name(self.conn(), name)?.map(ActorId))
    }

    /// Why `name` names no actor: the nearest name, else an example.
    pub fn unknown_actor(&self, name: &str) -> Result<String> {
        read::unknown_actor(self.conn(), name)
    }

    /// An actor with its type periods.
    pub fn load_actor(&self, id: ActorId) -> Result<ActorRecord> {
        read::load_actor(self.conn(), id.0)
    }

    /// Every actor, by name, with the number of acts linked to it.
    pub fn actors(&self) -> Result<Vec<ActorSummary>> {
        actors::list(self.conn())
    }

    /// The acts an actor is linked to.
    pub fn actor_links(&self, id: ActorId) -> Result<Vec<Link>> {
        actors::links(self.conn(), id.0)
    }

    // --- records by the addresses users give ---

    /// The incident a command attaches to, refusing one that is deleted.
    pub fn open_incident(&self, reference: &str) -> Result<Target> {
        attach::open_incident(self.conn(), reference)
    }

    /// Victim `position` of an incident, with its uid.
    pub fn victim_at(&self, target: &Target, position: i64) -> Result<(VictimId, Uuid)> {
        attach::victim_at(self.conn(), target, position)
    }

    /// The position of a victim within its incident.
    pub fn victim_position(&self, id: VictimId) -> Result<i64> {
        attach::victim_position(self.conn(), id)
    }

    /// The act at address `V.A` of an incident.
    pub fn act_at(&self, target: &Target, address: &str) -> Result<ActAt> {
        attach::act_at(self.conn(), target, address)
    }

    /// Every act of an incident, by victim and then act.
    pub fn all_acts(&self, target: &Target) -> Result<Vec<ActAt>> {
        attach::all_acts(self.conn(), target)
    }

    /// The order (1-based) of an act among the acts against its victim.
    pub fn act_order(&self, id: ActId) -> Result<i64> {
        attach::act_order(self.conn(), id)
    }

    /// The uid of `actor`'s link to an act (the act's only link when no
    /// actor is named).
    pub fn involvement_of(&self, act: &ActAt, actor: Option<&str>) -> Result<Uuid> {
        attach::involvement_of(self.conn(), act, actor)
    }

    /// Whether `actor` is already linked to an act in this role on this
    /// basis.
    pub fn already_linked(
        &self,
        act: ActId,
        actor: &str,
        role: Role,
        basis: Basis,
    ) -> Result<bool> {
        attach::already_linked(self.conn(), act, actor, role, basis)
    }

    /// The source of an incident named by its number or its URL.
    pub fn source_at(&self, target: &Target, key: &str) -> Result<SourceId> {
        attach::source_at(self.conn(), target, key)
    }

    /// The number (1-based, in the order recorded) of a source.
    pub fn source_number(&self, incident: IncidentId, source: SourceId) -> Result<i64> {
        attach::source_number(self.conn(), incident, source)
    }

    /// The standing claim of the same source saying the same thing about
    /// the same field (`subject_uid` None: the incident itself), if any.
    pub fn same_claim(
        &self,
        target: &Target,
        source: SourceId,
        subject_uid: Option<Uuid>,
        field: &str,
        value: &str,
        stance: Stance,
    ) -> Result<Option<StoredClaim>> {
        claims::same_claim(
            self.conn(),
            target,
            source,
            subject_uid,
            field,
            value,
            stance,
        )
    }

    /// When a source was withdrawn (None: it stands).
    pub fn source_withdrawn_at(&self, source: SourceId) -> Result<Option<String>> {
        claims::source_withdrawn_at(self.conn(), source)
    }

    /// The number (1-based) of a claim among the incident's claims.
    pub fn claim_number(&self, incident: IncidentId, claim: ClaimId) -> Result<i64> {
        attach::claim_number(self.conn(), incident, claim)
    }

    // --- checks ---

    /// What SQLite's integrity check finds wrong (nothing: empty).
    pub fn integrity_problems(&self) -> Vec<String> {
        integrity::integrity_problems(self.conn())
    }

    /// Pages whose SQLCipher HMAC does not match (nothing: empty).
    pub fn cipher_problems(&self) -> Vec<String> {
        integrity::cipher_problems(self.conn())
    }

    /// Why the seal in the file does not vouch for the log's `head` under
    /// `key` (none: it does).
    pub fn seal_problem(&self, key: &super::Key, head: Option<&Head>) -> Result<Option<String>> {
        Ok(super::seal::problem(self.conn(), key.secret(), head)?)
    }

    /// Rows whose links point nowhere.
    pub fn foreign_key_problems(&self) -> Vec<String> {
        integrity::foreign_key_problems(self.conn())
    }

    /// The revision log's hash chain, walked.
    pub fn chain(&self) -> Result<Chain> {
        integrity::chain(self.conn())
    }

    /// Why the revision log does not reach the head recorded earlier
    /// (none: it holds that revision with that hash).
    pub fn anchor_problem(&self, expected: &Head) -> Result<Option<String>> {
        integrity::anchor_problem(self.conn(), expected)
    }

    /// Where the tables differ from the revision log replayed: the first
    /// `limit` differences and how many there are.
    pub fn replay_differences(&self, limit: usize) -> Result<(Vec<String>, usize)> {
        integrity::replay_differences(self.conn(), limit)
    }

    /// Row counts, by what they count.
    pub fn counts(&self) -> Result<Vec<(&'static str, i64)>> {
        integrity::counts(self.conn())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActRecord, VictimRecord};
    use crate::vocab::ActType;

    fn add(db: &mut Db, victim: &str) -> Result<IncidentId> {
        let today = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("a date");
        let mut rec = IncidentRecord {
            country: "AF".into(),
            date: Some("2021-08-08".into()),
            ..IncidentRecord::default()
        };
        let mut v = VictimRecord::new(victim);
        v.acts.push(ActRecord::new(ActType::Killed));
        rec.victims.push(v);
        let rec = crate::validate::normalize(rec, today)?;
        Ok(db.write("add", |w| w.insert_incident(&rec))?.id)
    }

    /// What another pressreg commits while a reader is open does not show
    /// to it: a command's reads agree with each other. A new reader sees it.
    #[test]
    fn a_reader_sees_one_snapshot() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("registry.db");
        let key = crate::db::Key::raw([7u8; 32], "the test key");
        let mut mine = Db::create(&path, Some(&key))?;
        let mut other = Db::open_with_key(&path, &key)?;
        let first = add(&mut mine, "Toofan Omar")?;
        let all = Filter::default();

        let r = mine.read()?;
        assert_eq!(r.count_incidents(&all)?, 1);
        let second = add(&mut other, "Sayed Kazim")?;
        assert_eq!(r.count_incidents(&all)?, 1);
        let mut seen = Vec::new();
        r.for_each_incident(&all, |id| {
            seen.push(id);
            Ok(())
        })?;
        assert_eq!(seen, [first]);
        assert!(r.incident_by_ref("AF-2021-0002")?.is_none());
        drop(r);

        let r = mine.read()?;
        assert_eq!(r.count_incidents(&all)?, 2);
        assert_eq!(r.incident_by_ref("AF-2021-0002")?, Some(second));
        Ok(())
    }
}

//! The ids of stored rows, one type per table, so that a victim's id cannot
//! be passed where an act's is wanted. Commands get them from the reader or
//! the writer and hand them back; only the storage layer sees the number
//! inside (SQLite's rowid today, whatever key a server database uses later).

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub(in crate::db) i64);
    )+};
}

ids! {
    /// An incident.
    IncidentId,
    /// A victim of an incident.
    VictimId,
    /// An act against a victim.
    ActId,
    /// An actor (a perpetrator, named once for all incidents).
    ActorId,
    /// A source of an incident.
    SourceId,
    /// What one source says about one field.
    ClaimId,
}

//! How the program's own types cross into SQLite and back: every
//! vocabulary as its text, every id as its integer. The only place these
//! types meet rusqlite, so the model and the vocabularies stay free of it.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use super::ids::*;
use crate::vocab::*;

macro_rules! vocabulary_sql {
    ($($name:ident),+ $(,)?) => {$(
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let s = value.as_str()?;
                s.parse().map_err(|e| FromSqlError::Other(Box::new(e)))
            }
        }
    )+};
}

vocabulary_sql! {
    DatePrecision, Calendar, Context, Verification, WorkLink, Justice, Confidentiality, Sex,
    LocalOrForeign, Category, Employment, Job, Medium, Beat, VictimStatus, ActType,
    DeathContext, Method, ActorType, Role, Basis, Confidence, SourceType, Reliability,
    ClaimSubject, Stance, Relation,
}

macro_rules! id_sql {
    ($($name:ident),+ $(,)?) => {$(
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.0))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                value.as_i64().map($name)
            }
        }
    )+};
}

id_sql! { IncidentId, VictimId, ActId, ActorId, SourceId, ClaimId }

impl super::edit::Changed {
    /// The value before, as `edit` prints it.
    pub fn old_shown(&self) -> String {
        shown(&self.old)
    }

    /// The value after, as `edit` prints it.
    pub fn new_shown(&self) -> String {
        shown(&self.new)
    }
}

/// A stored value as people read it: text quoted, nothing as `(none)`.
fn shown(v: &rusqlite::types::Value) -> String {
    use rusqlite::types::Value;
    match v {
        Value::Null => "(none)".to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(s) => format!("'{s}'"),
        Value::Blob(b) => format!("{} bytes", b.len()),
    }
}

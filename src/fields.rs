//! The field table: every field of an incident, victim, act, perpetrator
//! link and source, once. Each row says how the field is stored (the
//! columns of `schema.sql`), whether `edit --set` may change it, whether a
//! claim may speak of it, which export profile may carry it, which native
//! CSV column holds it, and how a typed value is stored, set from text and
//! hidden. The writer (`db::write`), `edit --set`, `claim add`, the export
//! profiles and the CSV column check all read this table, so adding a field
//! is one row here (plus the model's struct field); tests check the table
//! against `schema.sql` (`pragma_table_info`) and against native CSV.

use std::str::FromStr;

use anyhow::{anyhow, bail, Result};
use chrono::NaiveDate;

use crate::model::*;
use crate::vocab::*;
use crate::{country, dates};

/// A value as the database stores it, without tying this module to the
/// database library (`db::write` turns it into a SQLite value).
#[derive(Clone, Debug, PartialEq)]
pub enum Stored {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
}

/// How a field is kept.
pub enum Kind<R: 'static> {
    /// One column of the same name, written from the record by the function.
    Column(fn(&R) -> Stored),
    /// A name for several columns set together (`date`, `coordinates`); the
    /// columns are fields of their own.
    Composite(&'static [&'static str]),
    /// A link to another row (`duplicate_of`, an involvement's actor): the
    /// column holds an id the writer resolves, so the record's value is a
    /// name or reference.
    Link(&'static str),
}

/// One field of one entity.
pub struct Field<R: 'static> {
    /// The name `edit --set`, `claim add --field` and JSON use.
    pub name: &'static str,
    pub kind: Kind<R>,
    /// Whether `edit --set` may change it.
    pub edit: bool,
    /// Whether `claim add --field` may speak of it.
    pub claim: bool,
    /// The lowest confidentiality an export must allow to carry it: a
    /// `public` field travels in every profile, `restricted` only in `full`.
    pub level: Confidentiality,
    /// Its native CSV column, when the CSV holds it.
    pub csv: Option<&'static str>,
    /// Sets it from text (as typed after `--set FIELD=`, or a claim's value).
    pub set: Option<fn(&mut R, &str) -> Result<()>>,
    /// Clears it, for a profile that may not carry it (required when the
    /// level is not public).
    pub hide: Option<fn(&mut R)>,
}

impl<R> Field<R> {
    /// The columns it stores into.
    pub fn columns(&self) -> Vec<&'static str> {
        match &self.kind {
            Kind::Column(_) => vec![self.name],
            Kind::Composite(cols) => cols.to_vec(),
            Kind::Link(col) => vec![col],
        }
    }
}

/// The entities that have a table of fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entity {
    Incident,
    Victim,
    Act,
    Involvement,
    Source,
}

impl Entity {
    /// Its table in `schema.sql`.
    #[cfg(test)]
    pub fn table(self) -> &'static str {
        match self {
            Entity::Incident => "incident",
            Entity::Victim => "victim",
            Entity::Act => "act",
            Entity::Involvement => "involvement",
            Entity::Source => "source",
        }
    }

    /// Columns of its table that are identity, placement or bookkeeping,
    /// not fields: set by the program, never by `--set` or a claim.
    #[cfg(test)]
    pub fn system_columns(self) -> &'static [&'static str] {
        match self {
            Entity::Incident => &["id", "uid", "ref", "created_at", "updated_at", "deleted_at"],
            Entity::Victim => &["id", "uid", "incident_id", "position"],
            Entity::Act => &["id", "uid", "incident_id", "victim_id"],
            Entity::Involvement => &["id", "uid", "act_id"],
            Entity::Source => &["id", "uid", "incident_id"],
        }
    }

    /// Name, edit, claim and level of each of its fields (for lists that
    /// do not need the record type).
    pub fn fields(self) -> Vec<Summary> {
        fn of<R>(t: &'static [Field<R>]) -> Vec<Summary> {
            t.iter()
                .map(|f| Summary {
                    name: f.name,
                    columns: f.columns(),
                    stored: matches!(f.kind, Kind::Column(_) | Kind::Link(_)),
                    edit: f.edit,
                    claim: f.claim,
                    level: f.level,
                    csv: f.csv,
                })
                .collect()
        }
        match self {
            Entity::Incident => of(INCIDENT),
            Entity::Victim => of(VICTIM),
            Entity::Act => of(ACT),
            Entity::Involvement => of(INVOLVEMENT),
            Entity::Source => of(SOURCE),
        }
    }

    /// The names `edit --set` accepts, in table order.
    pub fn editable(self) -> Vec<&'static str> {
        self.fields()
            .into_iter()
            .filter(|f| f.edit)
            .map(|f| f.name)
            .collect()
    }

    /// The names a claim may speak of, in table order.
    pub fn claimable(self) -> Vec<&'static str> {
        self.fields()
            .into_iter()
            .filter(|f| f.claim)
            .map(|f| f.name)
            .collect()
    }

    /// The export level of field `name`; None for a name the table does
    /// not know (which no export but `full` carries).
    pub fn level(self, name: &str) -> Option<Confidentiality> {
        self.fields()
            .into_iter()
            .find(|f| f.name == name)
            .map(|f| f.level)
    }
}

impl From<ClaimSubject> for Entity {
    fn from(s: ClaimSubject) -> Entity {
        match s {
            ClaimSubject::Incident => Entity::Incident,
            ClaimSubject::Victim => Entity::Victim,
            ClaimSubject::Act => Entity::Act,
            ClaimSubject::Involvement => Entity::Involvement,
        }
    }
}

/// A field without its record type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub name: &'static str,
    pub columns: Vec<&'static str>,
    /// Whether it is one column of the table (not a composite name).
    pub stored: bool,
    pub edit: bool,
    pub claim: bool,
    pub level: Confidentiality,
    pub csv: Option<&'static str>,
}

/// The stored columns of `rec`, in table order: what the writer inserts
/// and compares. Links are left to the caller, which resolves them.
pub fn stored<R>(table: &'static [Field<R>], rec: &R) -> Vec<(&'static str, Stored)> {
    table
        .iter()
        .filter_map(|f| match f.kind {
            Kind::Column(get) => Some((f.name, get(rec))),
            _ => None,
        })
        .collect()
}

/// The field `name` of a table.
pub fn find<R>(table: &'static [Field<R>], name: &str) -> Option<&'static Field<R>> {
    table.iter().find(|f| f.name == name)
}

/// Sets field `name` of `rec` from text.
pub fn set<R>(table: &'static [Field<R>], rec: &mut R, name: &str, value: &str) -> Result<()> {
    match find(table, name).and_then(|f| f.set) {
        Some(set) => set(rec, value),
        None => bail!("field '{name}' cannot be set from text"),
    }
}

/// Clears every field of `rec` an export allowing `allows` may not carry.
pub fn hide<R>(table: &'static [Field<R>], rec: &mut R, allows: impl Fn(Confidentiality) -> bool) {
    for f in table {
        if !allows(f.level) {
            if let Some(hide) = f.hide {
                hide(rec);
            }
        }
    }
}

// Conversions to stored values.

fn text(s: &str) -> Stored {
    Stored::Text(s.to_string())
}

fn date(d: Option<NaiveDate>) -> Stored {
    d.map_or(Stored::Null, |d| {
        Stored::Text(d.format("%Y-%m-%d").to_string())
    })
}

fn vocab<T: Vocabulary>(v: T) -> Stored {
    Stored::Text(v.as_str().to_string())
}

fn opt_vocab<T: Vocabulary>(v: Option<T>) -> Stored {
    v.map_or(Stored::Null, vocab)
}

/// A set of vocabulary values in the schema's canonical JSON form: in
/// vocabulary order, each once.
pub fn vocab_set<T: Vocabulary + PartialEq>(values: &[T]) -> Stored {
    let names: Vec<&str> = T::ALL
        .iter()
        .filter(|v| values.contains(v))
        .map(|v| v.as_str())
        .collect();
    Stored::Text(serde_json::to_string(&names).unwrap_or_else(|_| "[]".into()))
}

/// A list of free-text strings as a JSON array.
pub fn text_list(values: &[String]) -> Stored {
    Stored::Text(serde_json::to_string(values).unwrap_or_else(|_| "[]".into()))
}

fn boolean(b: bool) -> Stored {
    Stored::Integer(i64::from(b))
}

fn real(v: Option<f64>) -> Stored {
    v.map_or(Stored::Null, Stored::Real)
}

// Parsing text, as `--set` and claims give it.

fn one<T: FromStr<Err = VocabError>>(s: &str) -> Result<T> {
    Ok(s.trim().parse::<T>()?)
}

fn optional<T: FromStr<Err = VocabError>>(s: &str) -> Result<Option<T>> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        one(s).map(Some)
    }
}

fn many<T: FromStr<Err = VocabError>>(s: &str) -> Result<Vec<T>> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| Ok(p.parse::<T>()?))
        .collect()
}

fn words(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

fn flag(s: &str) -> Result<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" => Ok(false),
        _ => bail!("'{s}' is not true or false (accepted: true, false, yes, no, 1, 0)"),
    }
}

fn optional_day(s: &str, field: &str) -> Result<Option<NaiveDate>> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        dates::parse_day(s, field).map(Some)
    }
}

/// A date the record keeps at day precision (a claim's `date_start`).
fn day_of(s: &str, field: &str) -> Result<NaiveDate> {
    dates::parse_day(s, field)
}

fn coordinates(v: &str) -> Result<Option<(f64, f64)>> {
    if v.trim().is_empty() {
        return Ok(None);
    }
    let parsed = v
        .split_once(',')
        .and_then(|(a, b)| Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?)));
    parsed.map(Some).ok_or_else(|| {
        anyhow!("'{v}' is not LAT,LON (accepted: e.g. 34.52,69.17, or empty to clear)")
    })
}

fn geo_precision(v: &str) -> Result<u8> {
    v.trim()
        .parse::<u8>()
        .ok()
        .filter(|n| *n <= 3)
        .ok_or_else(|| {
            anyhow!("'{v}' is not a geo precision (accepted: 0 unknown, 1 exact, 2 near, 3 region)")
        })
}

fn age(v: &str) -> Result<Option<u8>> {
    if v.trim().is_empty() {
        return Ok(None);
    }
    v.trim()
        .parse::<u8>()
        .ok()
        .filter(|a| *a <= 120)
        .map(Some)
        .ok_or_else(|| anyhow!("'{v}' is not an age (accepted: 0 to 120, or empty to clear)"))
}

fn nationality(v: &str) -> Result<String> {
    if v.trim().is_empty() {
        Ok(String::new())
    } else {
        country::check(v)
    }
}

/// The incident's date written as `add --date` takes it; `validate`
/// parses it in the record's calendar (Gregorian unless `calendar` is set
/// after it).
fn set_incident_date(rec: &mut IncidentRecord, v: &str) {
    rec.calendar = Calendar::Gregorian;
    rec.date_start = None;
    rec.date_end = None;
    rec.date_approximate = false;
    rec.date_as_reported = String::new();
    if v.trim().is_empty() || v.trim() == "unknown" {
        rec.date_precision = Some(DatePrecision::Unknown);
        rec.date = None;
    } else {
        rec.date_precision = None;
        rec.date = Some(v.to_string());
    }
}

/// The precision an incident's stored date has: as recorded, else a day
/// when there is a date and unknown when there is none.
fn incident_precision(rec: &IncidentRecord) -> DatePrecision {
    rec.date_precision.unwrap_or(if rec.date_start.is_some() {
        DatePrecision::Day
    } else {
        DatePrecision::Unknown
    })
}

/// An act's own date precision: a date without one is a day.
fn act_precision(a: &ActRecord) -> Option<DatePrecision> {
    match (a.date_start, a.date_precision) {
        (Some(_), None) => Some(DatePrecision::Day),
        (_, p) => p,
    }
}

use Confidentiality::{Internal, Partner, Public, Restricted};

/// The incident's fields, in schema order (a composite name just before
/// the columns it stands for).
pub static INCIDENT: &[Field<IncidentRecord>] = &[
    Field {
        name: "title",
        kind: Kind::Column(|r| text(&r.title)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("title"),
        set: Some(|r, v| {
            r.title = v.to_string();
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "summary",
        kind: Kind::Column(|r| text(&r.summary)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("summary"),
        set: Some(|r, v| {
            r.summary = v.to_string();
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "date",
        kind: Kind::Composite(&[
            "date_start",
            "date_end",
            "date_precision",
            "date_approximate",
            "date_as_reported",
            "calendar",
        ]),
        edit: true,
        claim: true,
        level: Public,
        csv: None,
        set: Some(|r, v| {
            set_incident_date(r, v);
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "date_start",
        kind: Kind::Column(|r| date(r.date_start)),
        edit: false,
        claim: true,
        level: Public,
        csv: Some("date_start"),
        set: Some(|r, v| {
            let d = day_of(v, "date_start")?;
            // A start after the recorded end leaves a one-day date.
            if r.date_end.is_some_and(|e| e < d) {
                r.date_end = None;
            }
            if matches!(r.date_precision, None | Some(DatePrecision::Unknown)) {
                r.date_precision = Some(DatePrecision::Day);
            }
            r.date_start = Some(d);
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "date_end",
        kind: Kind::Column(|r| date(r.date_end)),
        edit: false,
        claim: true,
        level: Public,
        csv: Some("date_end"),
        set: Some(|r, v| {
            r.date_end = optional_day(v, "date_end")?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "date_precision",
        kind: Kind::Column(|r| vocab(incident_precision(r))),
        edit: false,
        claim: false,
        level: Public,
        csv: Some("date_precision"),
        set: None,
        hide: None,
    },
    Field {
        name: "date_approximate",
        kind: Kind::Column(|r| boolean(r.date_approximate)),
        edit: false,
        claim: false,
        level: Public,
        csv: Some("date_approximate"),
        set: None,
        hide: None,
    },
    Field {
        name: "date_as_reported",
        kind: Kind::Column(|r| text(&r.date_as_reported)),
        edit: false,
        claim: false,
        level: Public,
        csv: Some("date_as_reported"),
        set: None,
        hide: None,
    },
    Field {
        name: "calendar",
        kind: Kind::Column(|r| vocab(r.calendar)),
        edit: true,
        claim: false,
        level: Public,
        csv: Some("calendar"),
        set: Some(|r, v| {
            r.calendar = one(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "country",
        kind: Kind::Column(|r| text(&r.country)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("country"),
        set: Some(|r, v| {
            r.country = country::check(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "admin1",
        kind: Kind::Column(|r| text(&r.admin1)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("admin1"),
        set: Some(|r, v| {
            r.admin1 = v.to_string();
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "admin2",
        kind: Kind::Column(|r| text(&r.admin2)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("admin2"),
        set: Some(|r, v| {
            r.admin2 = v.to_string();
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "locality",
        kind: Kind::Column(|r| text(&r.locality)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("locality"),
        set: Some(|r, v| {
            r.locality = v.to_string();
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "place",
        kind: Kind::Column(|r| text(&r.place)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("place"),
        set: Some(|r, v| {
            r.place = v.to_string();
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "coordinates",
        kind: Kind::Composite(&["latitude", "longitude"]),
        edit: true,
        claim: true,
        level: Partner,
        csv: None,
        set: Some(|r, v| {
            let c = coordinates(v)?;
            r.latitude = c.map(|c| c.0);
            r.longitude = c.map(|c| c.1);
            Ok(())
        }),
        hide: Some(|r| {
            r.latitude = None;
            r.longitude = None;
        }),
    },
    Field {
        name: "latitude",
        kind: Kind::Column(|r| real(r.latitude)),
        edit: false,
        claim: false,
        level: Partner,
        csv: Some("latitude"),
        set: None,
        hide: Some(|r| r.latitude = None),
    },
    Field {
        name: "longitude",
        kind: Kind::Column(|r| real(r.longitude)),
        edit: false,
        claim: false,
        level: Partner,
        csv: Some("longitude"),
        set: None,
        hide: Some(|r| r.longitude = None),
    },
    Field {
        name: "geo_precision",
        kind: Kind::Column(|r| Stored::Integer(i64::from(r.geo_precision))),
        edit: true,
        claim: false,
        level: Public,
        csv: Some("geo_precision"),
        set: Some(|r, v| {
            r.geo_precision = geo_precision(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "context",
        kind: Kind::Column(|r| vocab(r.context)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("context"),
        set: Some(|r, v| {
            r.context = one(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "verification",
        kind: Kind::Column(|r| vocab(r.verification)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("verification"),
        set: Some(|r, v| {
            r.verification = one(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "work_link",
        kind: Kind::Column(|r| vocab(r.work_link)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("work_link"),
        set: Some(|r, v| {
            r.work_link = one(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "justice",
        kind: Kind::Column(|r| vocab(r.justice)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("justice"),
        set: Some(|r, v| {
            r.justice = one(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "confidentiality",
        kind: Kind::Column(|r| vocab(r.confidentiality)),
        edit: true,
        claim: false,
        level: Public,
        csv: Some("confidentiality"),
        set: Some(|r, v| {
            r.confidentiality = one(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "private_notes",
        kind: Kind::Column(|r| text(&r.private_notes)),
        edit: true,
        claim: false,
        level: Restricted,
        csv: None,
        set: Some(|r, v| {
            r.private_notes = v.to_string();
            Ok(())
        }),
        hide: Some(|r| r.private_notes.clear()),
    },
    Field {
        name: "duplicate_of",
        kind: Kind::Link("duplicate_of"),
        edit: true,
        claim: false,
        level: Internal,
        csv: None,
        set: Some(|r, v| {
            r.duplicate_of = (!v.trim().is_empty()).then(|| v.trim().to_string());
            Ok(())
        }),
        hide: Some(|r| r.duplicate_of = None),
    },
];

/// A victim's fields, in schema order.
pub static VICTIM: &[Field<VictimRecord>] = &[
    Field {
        name: "name",
        kind: Kind::Column(|v| text(&v.name)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("victim_name"),
        set: Some(|r, v| {
            r.name = v.to_string();
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "name_variants",
        kind: Kind::Column(|v| text_list(&v.name_variants)),
        edit: true,
        claim: false,
        level: Public,
        csv: Some("name_variants"),
        set: Some(|r, v| {
            r.name_variants = words(v);
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "anonymous",
        kind: Kind::Column(|v| boolean(v.anonymous)),
        edit: true,
        claim: false,
        level: Public,
        csv: Some("anonymous"),
        set: Some(|r, v| {
            r.anonymous = flag(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "sex",
        kind: Kind::Column(|v| vocab(v.sex)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("sex"),
        set: Some(|r, v| {
            r.sex = one(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "age",
        kind: Kind::Column(|v| {
            v.age
                .map_or(Stored::Null, |a| Stored::Integer(i64::from(a)))
        }),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("age"),
        set: Some(|r, v| {
            r.age = age(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "nationality",
        kind: Kind::Column(|v| text(&v.nationality)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("nationality"),
        set: Some(|r, v| {
            r.nationality = nationality(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "local_or_foreign",
        kind: Kind::Column(|v| opt_vocab(v.local_or_foreign)),
        edit: true,
        claim: false,
        level: Public,
        csv: Some("local_or_foreign"),
        set: Some(|r, v| {
            r.local_or_foreign = optional(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "category",
        kind: Kind::Column(|v| vocab(v.category)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("category"),
        set: Some(|r, v| {
            r.category = one(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "employment",
        kind: Kind::Column(|v| vocab(v.employment)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("employment"),
        set: Some(|r, v| {
            r.employment = one(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "jobs",
        kind: Kind::Column(|v| vocab_set(&v.jobs)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("jobs"),
        set: Some(|r, v| {
            r.jobs = many(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "mediums",
        kind: Kind::Column(|v| vocab_set(&v.mediums)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("mediums"),
        set: Some(|r, v| {
            r.mediums = many(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "outlet",
        kind: Kind::Column(|v| text(&v.outlet)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("outlet"),
        set: Some(|r, v| {
            r.outlet = v.to_string();
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "beats",
        kind: Kind::Column(|v| vocab_set(&v.beats)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("beats"),
        set: Some(|r, v| {
            r.beats = many(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "status",
        kind: Kind::Column(|v| vocab(v.status)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("status"),
        set: Some(|r, v| {
            r.status = one(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "confidentiality",
        kind: Kind::Column(|v| vocab(v.confidentiality)),
        edit: true,
        claim: false,
        level: Public,
        csv: Some("victim_confidentiality"),
        set: Some(|r, v| {
            r.confidentiality = one(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "private_notes",
        kind: Kind::Column(|v| text(&v.private_notes)),
        edit: true,
        claim: false,
        level: Restricted,
        csv: None,
        set: Some(|r, v| {
            r.private_notes = v.to_string();
            Ok(())
        }),
        hide: Some(|r| r.private_notes.clear()),
    },
];

/// An act's fields, in schema order.
pub static ACT: &[Field<ActRecord>] = &[
    Field {
        name: "type",
        kind: Kind::Column(|a| vocab(a.act_type)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("act_type"),
        set: Some(|r, v| {
            r.act_type = one(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "death_context",
        kind: Kind::Column(|a| opt_vocab(a.death_context)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("death_context"),
        set: Some(|r, v| {
            r.death_context = optional(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "method",
        kind: Kind::Column(|a| vocab(a.method)),
        edit: true,
        claim: true,
        level: Public,
        csv: Some("method"),
        set: Some(|r, v| {
            r.method = one(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "date",
        kind: Kind::Composite(&["date_start", "date_end", "date_precision"]),
        edit: true,
        claim: true,
        level: Public,
        csv: None,
        set: Some(|r, v| {
            r.date_start = None;
            r.date_end = None;
            r.date_precision = None;
            r.date = (!v.trim().is_empty()).then(|| v.to_string());
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "date_start",
        kind: Kind::Column(|a| date(a.date_start)),
        edit: false,
        claim: true,
        level: Public,
        csv: Some("act_date_start"),
        set: Some(|r, v| {
            let d = day_of(v, "date_start")?;
            if r.date_end.is_some_and(|e| e < d) {
                r.date_end = None;
            }
            if r.date_precision.is_none() {
                r.date_precision = Some(DatePrecision::Day);
            }
            r.date_start = Some(d);
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "date_end",
        kind: Kind::Column(|a| date(a.date_end)),
        edit: false,
        claim: true,
        level: Public,
        csv: Some("act_date_end"),
        set: Some(|r, v| {
            r.date_end = optional_day(v, "date_end")?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "date_precision",
        kind: Kind::Column(|a| opt_vocab(act_precision(a))),
        edit: false,
        claim: false,
        level: Public,
        csv: Some("act_date_precision"),
        set: None,
        hide: None,
    },
    Field {
        name: "note",
        kind: Kind::Column(|a| text(&a.note)),
        edit: true,
        claim: false,
        level: Partner,
        csv: None,
        set: Some(|r, v| {
            r.note = v.to_string();
            Ok(())
        }),
        hide: Some(|r| r.note.clear()),
    },
];

/// A perpetrator link's fields, in schema order.
pub static INVOLVEMENT: &[Field<InvolvementRecord>] = &[
    Field {
        name: "actor",
        kind: Kind::Link("actor_id"),
        edit: false,
        claim: true,
        level: Public,
        csv: Some("perpetrators"),
        set: None,
        hide: None,
    },
    Field {
        name: "role",
        kind: Kind::Column(|p| vocab(p.role)),
        edit: false,
        claim: true,
        level: Public,
        csv: None,
        set: Some(|r, v| {
            r.role = one(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "basis",
        kind: Kind::Column(|p| vocab(p.basis)),
        edit: false,
        claim: true,
        level: Public,
        csv: Some("attribution_basis"),
        set: Some(|r, v| {
            r.basis = one(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "confidence",
        kind: Kind::Column(|p| vocab(p.confidence)),
        edit: false,
        claim: true,
        level: Public,
        csv: Some("attribution_confidence"),
        set: Some(|r, v| {
            r.confidence = one(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "note",
        kind: Kind::Column(|p| text(&p.note)),
        edit: false,
        claim: false,
        level: Partner,
        csv: None,
        set: Some(|r, v| {
            r.note = v.to_string();
            Ok(())
        }),
        hide: Some(|r| r.note.clear()),
    },
];

/// A source's fields, in schema order. A confidential source never leaves
/// the registry but in a full backup (a rule of the profiles, not a field
/// level: the whole source stays home).
pub static SOURCE: &[Field<SourceRecord>] = &[
    Field {
        name: "type",
        kind: Kind::Column(|s| vocab(s.source_type)),
        edit: true,
        claim: false,
        level: Public,
        csv: None,
        set: Some(|r, v| {
            r.source_type = one(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "publisher",
        kind: Kind::Column(|s| text(&s.publisher)),
        edit: true,
        claim: false,
        level: Public,
        csv: Some("source_publishers"),
        set: Some(|r, v| {
            r.publisher = v.to_string();
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "url",
        kind: Kind::Column(|s| text(&s.url)),
        edit: true,
        claim: false,
        level: Public,
        csv: Some("source_urls"),
        set: Some(|r, v| {
            r.url = v.to_string();
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "title",
        kind: Kind::Column(|s| text(&s.title)),
        edit: true,
        claim: false,
        level: Public,
        csv: None,
        set: Some(|r, v| {
            r.title = v.to_string();
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "published_on",
        kind: Kind::Column(|s| date(s.published_on)),
        edit: true,
        claim: false,
        level: Public,
        csv: None,
        set: Some(|r, v| {
            r.published_on = optional_day(v, "published_on")?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "accessed_on",
        kind: Kind::Column(|s| date(s.accessed_on)),
        edit: true,
        claim: false,
        level: Public,
        csv: None,
        set: Some(|r, v| {
            r.accessed_on = optional_day(v, "accessed_on")?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "language",
        kind: Kind::Column(|s| text(&s.language)),
        edit: true,
        claim: false,
        level: Public,
        csv: None,
        set: Some(|r, v| {
            r.language = v.to_string();
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "reliability",
        kind: Kind::Column(|s| vocab(s.reliability)),
        edit: true,
        claim: false,
        level: Public,
        csv: None,
        set: Some(|r, v| {
            r.reliability = one(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "confidential",
        kind: Kind::Column(|s| boolean(s.confidential)),
        edit: true,
        claim: false,
        level: Public,
        csv: None,
        set: Some(|r, v| {
            r.confidential = flag(v)?;
            Ok(())
        }),
        hide: None,
    },
    Field {
        name: "note",
        kind: Kind::Column(|s| text(&s.note)),
        edit: true,
        claim: false,
        level: Restricted,
        csv: None,
        set: Some(|r, v| {
            r.note = v.to_string();
            Ok(())
        }),
        hide: Some(|r| r.note.clear()),
    },
    Field {
        name: "via",
        kind: Kind::Column(|s| text(&s.via)),
        edit: true,
        claim: false,
        level: Public,
        csv: None,
        set: Some(|r, v| {
            r.via = v.trim().to_string();
            Ok(())
        }),
        hide: None,
    },
    // Set by `source retract`; a withdrawn source leaves only in a full
    // backup (a rule of the profiles), so the level is moot.
    Field {
        name: "withdrawn_at",
        kind: Kind::Column(|s| {
            s.withdrawn_at
                .map_or(Stored::Null, |t| Stored::Text(crate::clock::stamp(t)))
        }),
        edit: false,
        claim: false,
        level: Public,
        csv: None,
        set: None,
        hide: None,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    /// A field a profile may leave out can be cleared; a field `edit` or
    /// a claim may set can be set.
    #[test]
    fn every_field_has_what_its_flags_need() {
        fn check<R>(table: &'static [Field<R>], what: &str) {
            for f in table {
                if f.level != Public {
                    assert!(f.hide.is_some(), "{what}.{} has no hide", f.name);
                }
                if f.edit {
                    assert!(f.set.is_some(), "{what}.{} has no set", f.name);
                }
                // `claim accept` sets the record from a claim; only a link
                // (an involvement's actor) is changed another way.
                if f.claim && !matches!(f.kind, Kind::Link(_)) {
                    assert!(
                        f.set.is_some(),
                        "{what}.{} is claimable but has no set",
                        f.name
                    );
                }
            }
            let mut names: Vec<&str> = table.iter().map(|f| f.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), table.len(), "{what}: a name twice");
        }
        check(INCIDENT, "incident");
        check(VICTIM, "victim");
        check(ACT, "act");
        check(INVOLVEMENT, "involvement");
        check(SOURCE, "source");
    }

    #[test]
    fn lists_come_out_in_table_order() {
        assert_eq!(
            Entity::Act.editable(),
            ["type", "death_context", "method", "date", "note"]
        );
        assert_eq!(
            Entity::Involvement.claimable(),
            ["actor", "role", "basis", "confidence"]
        );
        assert_eq!(Entity::Incident.level("private_notes"), Some(Restricted));
        assert_eq!(Entity::Incident.level("no_such_field"), None);
    }
}

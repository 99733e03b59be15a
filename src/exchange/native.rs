//! Native CSV: the long format for spreadsheets (DESIGN §4).
//!
//! One row per act; a victim with no acts is one row with empty act
//! columns, an incident with no victims one row with empty victim and act
//! columns. Incident columns repeat on every row of the incident, victim
//! columns on every row of the victim. The columns are `COLUMNS`, in that
//! order, always; several values in one cell are joined with `|` (a `|` or
//! `\` inside a free-text value is escaped with `\`); perpetrators are
//! parallel lists (`perpetrators`, `perpetrator_types`, `attribution_basis`,
//! `attribution_confidence`), sources too (`source_urls`,
//! `source_publishers`).
//!
//! What must stay true:
//! * export → import → export gives the same bytes (every field the CSV
//!   holds round-trips);
//! * every free-text cell is neutralised for spreadsheets (`'` before a
//!   leading `= + - @`, tab, CR or LF; and before a `'` that would make the
//!   result ambiguous), and import undoes exactly that; numbers the program
//!   writes (position, age, coordinates, geo precision) are never touched;
//! * import refuses unknown columns, and rows of one incident that disagree
//!   about the incident's (or a victim's) fields.
//!
//! Not held by the CSV (use JSONL for a lossless copy): private notes,
//! notes, claims, relations, actor periods, involvement roles and uids,
//! source details other than URL and publisher, confidential sources.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Read;
use std::str::FromStr;

use anyhow::Result;
use chrono::NaiveDate;
use uuid::Uuid;

use super::csvread::CsvReader;
use super::profile::Profile;
use super::{Item, RowError, Sink};
use crate::model::*;
use crate::vocab::*;

/// The columns of native CSV, in order.
pub const COLUMNS: &[&str] = &[
    "incident_ref",
    "incident_uid",
    "date_start",
    "date_end",
    "date_precision",
    "date_approximate",
    "date_as_reported",
    "calendar",
    "country",
    "admin1",
    "admin2",
    "locality",
    "place",
    "latitude",
    "longitude",
    "geo_precision",
    "context",
    "verification",
    "work_link",
    "justice",
    "confidentiality",
    "title",
    "summary",
    "victim_position",
    "victim_uid",
    "victim_name",
    "name_variants",
    "anonymous",
    "sex",
    "age",
    "nationality",
    "local_or_foreign",
    "category",
    "employment",
    "jobs",
    "mediums",
    "outlet",
    "beats",
    "status",
    "victim_confidentiality",
    "act_uid",
    "act_type",
    "death_context",
    "method",
    "act_date_start",
    "act_date_end",
    "act_date_precision",
    "perpetrators",
    "perpetrator_types",
    "attribution_basis",
    "attribution_confidence",
    "source_urls",
    "source_publishers",
];

/// The last column `export` writes, after `COLUMNS`: the profile the file
/// was exported under, the same on every row (`profile::Carried`). Not part
/// of a record; a file without it is taken as a full export.
pub const PROFILE_COLUMN: &str = "export_profile";

/// The first column after the incident's own (the victim's position).
const FIRST_VICTIM_COLUMN: usize = 23;
/// The first act column.
const FIRST_ACT_COLUMN: usize = 40;
/// The first source column (sources belong to the incident).
const FIRST_SOURCE_COLUMN: usize = 51;

/// Whether a spreadsheet could read `s` as a formula, or `s` is such a
/// value already escaped (so that escaping stays reversible).
fn needs_escape(s: &str) -> bool {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') => true,
        Some('\'') => needs_escape(&s[1..]),
        _ => false,
    }
}

/// A free-text cell made safe for spreadsheets (OWASP's advice, as
/// `output::csv_text`, plus escaping of an existing leading `'` where
/// needed so that `unescape` can undo it exactly); borrowed when nothing
/// needs escaping (most cells of an export).
fn escape(s: &str) -> Cow<'_, str> {
    if needs_escape(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The inverse of `escape`.
pub fn unescape(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if needs_escape(rest) => rest,
        _ => s,
    }
}

/// Joins free-text values with `|`, escaping `\` and `|` inside them.
fn join_text(values: &[String]) -> String {
    values
        .iter()
        .map(|v| v.replace('\\', "\\\\").replace('|', "\\|"))
        .collect::<Vec<_>>()
        .join("|")
}

/// Splits a cell written by `join_text`; an empty cell is no values.
fn split_text(cell: &str) -> Vec<String> {
    if cell.is_empty() {
        return vec![];
    }
    let mut out = vec![String::new()];
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(last)) = (chars.next(), out.last_mut()) {
                    last.push(next);
                }
            }
            '|' => out.push(String::new()),
            _ => {
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    out
}

fn join_vocab<T: Vocabulary>(values: &[T]) -> String {
    values
        .iter()
        .map(|v| v.as_str())
        .collect::<Vec<_>>()
        .join("|")
}

fn date(d: Option<NaiveDate>) -> Cow<'static, str> {
    Cow::Owned(
        d.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
    )
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> Cow<'static, str> {
    Cow::Owned(v.map(|v| v.to_string()).unwrap_or_default())
}

/// A vocabulary value's text (borrowed: the names are static).
fn word<T: Vocabulary>(v: T) -> Cow<'static, str> {
    Cow::Borrowed(v.as_str())
}

/// An optional vocabulary value's text, empty for none.
fn opt_word<T: Vocabulary>(v: Option<T>) -> Cow<'static, str> {
    Cow::Borrowed(v.map_or("", |v| v.as_str()))
}

fn boolean(b: bool) -> Cow<'static, str> {
    Cow::Borrowed(if b { "true" } else { "false" })
}

fn uid(u: Option<Uuid>) -> Cow<'static, str> {
    opt(u)
}

/// Writes the rows of one incident (already passed through its export
/// profile) to `w`, each followed by `last` (the export's profile column).
/// The cells are written one by one, borrowed where they can be: an export
/// writes a row per act, and building each row as owned strings was a
/// fifth of its time.
pub fn write_rows<W: std::io::Write>(
    rec: &IncidentRecord,
    last: &str,
    w: &mut csv::Writer<W>,
) -> csv::Result<()> {
    let incident: [Cow<'_, str>; FIRST_VICTIM_COLUMN] = [
        escape(rec.reference.as_deref().unwrap_or("")),
        uid(rec.uid),
        date(rec.date_start),
        date(rec.date_end),
        opt_word(rec.date_precision),
        boolean(rec.date_approximate),
        escape(&rec.date_as_reported),
        word(rec.calendar),
        Cow::Borrowed(rec.country.as_str()),
        escape(&rec.admin1),
        escape(&rec.admin2),
        escape(&rec.locality),
        escape(&rec.place),
        opt(rec.latitude),
        opt(rec.longitude),
        Cow::Owned(rec.geo_precision.to_string()),
        word(rec.context),
        word(rec.verification),
        word(rec.work_link),
        word(rec.justice),
        word(rec.confidentiality),
        escape(&rec.title),
        escape(&rec.summary),
    ];
    // A withdrawn source has no column to say so: it is left out.
    let sources: Vec<&SourceRecord> = rec
        .sources
        .iter()
        .filter(|s| !s.confidential && s.withdrawn_at.is_none())
        .collect();
    let urls: Vec<String> = sources.iter().map(|s| s.url.clone()).collect();
    let publishers: Vec<String> = sources.iter().map(|s| s.publisher.clone()).collect();
    let (urls, publishers) = (join_text(&urls), join_text(&publishers));
    let source_cells = [escape(&urls), escape(&publishers)];
    let empty_victim = [const { Cow::Borrowed("") }; FIRST_ACT_COLUMN - FIRST_VICTIM_COLUMN];
    let empty_act = [const { Cow::Borrowed("") }; FIRST_SOURCE_COLUMN - FIRST_ACT_COLUMN];
    let mut row = |victim: &[Cow<'_, str>], act: &[Cow<'_, str>]| -> csv::Result<()> {
        for cell in incident
            .iter()
            .chain(victim)
            .chain(act)
            .chain(&source_cells)
        {
            w.write_field(cell.as_bytes())?;
        }
        w.write_field(last)?;
        w.write_record(None::<&[u8]>)
    };
    if rec.victims.is_empty() {
        return row(&empty_victim, &empty_act);
    }
    for (vi, v) in rec.victims.iter().enumerate() {
        let variants = join_text(&v.name_variants);
        let victim: [Cow<'_, str>; FIRST_ACT_COLUMN - FIRST_VICTIM_COLUMN] = [
            Cow::Owned((vi + 1).to_string()),
            uid(v.uid),
            escape(&v.name),
            escape(&variants),
            boolean(v.anonymous),
            word(v.sex),
            opt(v.age),
            Cow::Borrowed(v.nationality.as_str()),
            opt_word(v.local_or_foreign),
            word(v.category),
            word(v.employment),
            Cow::Owned(join_vocab(&v.jobs)),
            Cow::Owned(join_vocab(&v.mediums)),
            escape(&v.outlet),
            Cow::Owned(join_vocab(&v.beats)),
            word(v.status),
            word(v.confidentiality),
        ];
        if v.acts.is_empty() {
            row(&victim, &empty_act)?;
        }
        for a in &v.acts {
            let names: Vec<String> = a.perpetrators.iter().map(|p| p.actor.clone()).collect();
            let names = join_text(&names);
            let list = |f: &dyn Fn(&InvolvementRecord) -> &'static str| {
                Cow::Owned(a.perpetrators.iter().map(f).collect::<Vec<_>>().join("|"))
            };
            let act: [Cow<'_, str>; FIRST_SOURCE_COLUMN - FIRST_ACT_COLUMN] = [
                uid(a.uid),
                word(a.act_type),
                opt_word(a.death_context),
                word(a.method),
                date(a.date_start),
                date(a.date_end),
                opt_word(a.date_precision),
                escape(&names),
                list(&|p| p.actor_type.map_or("", |t| t.as_str())),
                list(&|p| p.basis.as_str()),
                list(&|p| p.confidence.as_str()),
            ];
            row(&victim, &act)?;
        }
    }
    Ok(())
}

/// Reads native CSV, handing over one record per incident (rows sharing an
/// `incident_ref`, which must be consecutive). `import` calls
/// `read_counting` to report rows; this is the signature every importer has.
#[allow(dead_code)]
pub fn read(input: impl Read, sink: &mut dyn FnMut(Item) -> Result<()>) -> Result<()> {
    read_counting(input, sink).map(|_| ())
}

/// As `read`, and returns the number of data rows read.
pub fn read_counting(input: impl Read, sink: &mut Sink<'_>) -> Result<usize> {
    // A header that cannot be read stops the import with one line, as
    // for every CSV format: there are no rows to list.
    let mut reader = CsvReader::new(input).map_err(|e| anyhow::anyhow!("{e}"))?;
    let index = column_index(reader.headers()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let profile_column = reader.headers().iter().position(|h| h == PROFILE_COLUMN);
    let mut last_profile: Option<String> = None;
    let mut current: Option<Builder> = None;
    let mut rows = 0;
    while let Some(next) = reader.next_row() {
        rows += 1;
        let row = match next {
            Ok(r) => r,
            Err(e) => {
                if let Some(b) = current.as_mut() {
                    b.bad = true;
                }
                sink(Item::Invalid(e))?;
                continue;
            }
        };
        if let Some(i) = profile_column {
            let cell = row.fields.get(i).map_or("", |c| c.trim());
            if last_profile.as_deref() != Some(cell) {
                last_profile = Some(cell.to_string());
                let item = match cell {
                    "" => Item::Profile {
                        row: row.row,
                        profile: None,
                    },
                    name => match Profile::from_name(name) {
                        Some(p) => Item::Profile {
                            row: row.row,
                            profile: Some(p),
                        },
                        None => Item::Invalid(RowError {
                            row: row.row,
                            column: Some(PROFILE_COLUMN.into()),
                            message: format!(
                                "unknown export profile '{name}' (accepted: public, partner, internal, full)"
                            ),
                        }),
                    },
                };
                sink(item)?;
            }
        }
        let cells = Cells {
            row: row.row,
            fields: &row.fields,
            index: &index,
        };
        let key = incident_key(&cells);
        let same = match (&current, &key) {
            (Some(b), Some(k)) => b.key.as_deref() == Some(k.as_str()),
            _ => false,
        };
        if !same {
            if let Some(b) = current.take() {
                b.finish(sink)?;
            }
            // An incident whose rows are split apart comes in twice; `import`
            // refuses the second (without a set of every key read, which
            // would grow with the file).
            match Builder::start(&cells, key) {
                Ok(b) => current = Some(b),
                Err(e) => {
                    // Keep the rows that follow with this incident so that
                    // they are not read as incidents of their own.
                    current = Some(Builder::broken(incident_key(&cells), row.row));
                    sink(Item::Invalid(e))?;
                    continue;
                }
            }
        }
        if let Some(b) = current.as_mut() {
            if b.first_incident.is_empty() {
                // The incident's first row was refused already: its other
                // rows cannot be checked against it.
                continue;
            }
            if let Err(e) = b.add_row(&cells) {
                b.bad = true;
                sink(Item::Invalid(e))?;
            }
        }
    }
    if let Some(b) = current.take() {
        b.finish(sink)?;
    }
    Ok(rows)
}

/// The column holding the field a validation error is about, when it is an
/// incident's field: the incident's columns repeat on each of its rows, so
/// the first row is the right one to name (a victim's or an act's is on a
/// row of its own, which the record no longer knows).
pub fn column_of(e: &crate::validate::Invalid) -> Option<&'static str> {
    if e.part != crate::validate::Part::Incident {
        return None;
    }
    match e.field {
        "ref" => Some("incident_ref"),
        "date" => Some("date_start"),
        field => COLUMNS.iter().copied().find(|c| *c == field),
    }
}

/// Maps each known column to its place in the file; unknown columns are
/// an error naming them (the reader has refused repeated ones).
fn column_index(headers: &[String]) -> Result<Vec<Option<usize>>, RowError> {
    let mut index = vec![None; COLUMNS.len()];
    let mut unknown = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if h == PROFILE_COLUMN {
            continue;
        }
        match COLUMNS.iter().position(|c| c == h) {
            Some(c) => index[c] = Some(i),
            None => unknown.push(format!("'{h}'")),
        }
    }
    if !unknown.is_empty() {
        return Err(RowError {
            row: 1,
            column: None,
            message: format!(
                "unknown column{} {} (accepted: {}, {PROFILE_COLUMN})",
                if unknown.len() == 1 { "" } else { "s" },
                unknown.join(", "),
                COLUMNS.join(", ")
            ),
        });
    }
    if index[0].is_none() && index[1].is_none() {
        return Err(RowError {
            row: 1,
            column: None,
            message: "the header has neither incident_ref nor incident_uid (one of them groups rows into incidents)".into(),
        });
    }
    Ok(index)
}

/// One row's cells, looked up by column name.
struct Cells<'a> {
    row: usize,
    fields: &'a [String],
    index: &'a [Option<usize>],
}

impl Cells<'_> {
    fn raw(&self, column: usize) -> &str {
        self.index[column]
            .and_then(|i| self.fields.get(i))
            .map_or("", |s| s.as_str())
    }

    fn get(&self, name: &str) -> &str {
        match COLUMNS.iter().position(|c| *c == name) {
            Some(c) => self.raw(c),
            None => "",
        }
    }

    fn text(&self, name: &str) -> String {
        unescape(self.get(name)).to_string()
    }

    fn err(&self, name: &str, message: String) -> RowError {
        RowError {
            row: self.row,
            column: Some(name.to_string()),
            message,
        }
    }

    fn parse<T: FromStr>(&self, name: &str) -> Result<Option<T>, RowError>
    where
        T::Err: std::fmt::Display,
    {
        let s = self.get(name).trim();
        if s.is_empty() {
            return Ok(None);
        }
        s.parse()
            .map(Some)
            .map_err(|e| self.err(name, format!("{e}")))
    }

    fn vocab<T: FromStr + Default>(&self, name: &str) -> Result<T, RowError>
    where
        T::Err: std::fmt::Display,
    {
        Ok(self.parse(name)?.unwrap_or_default())
    }

    fn vocab_list<T: FromStr>(&self, name: &str) -> Result<Vec<T>, RowError>
    where
        T::Err: std::fmt::Display,
    {
        let s = self.get(name).trim();
        if s.is_empty() {
            return Ok(vec![]);
        }
        s.split('|')
            .map(|v| v.trim().parse().map_err(|e| self.err(name, format!("{e}"))))
            .collect()
    }

    fn number<T: FromStr>(&self, name: &str, what: &str) -> Result<Option<T>, RowError> {
        let s = self.get(name).trim();
        if s.is_empty() {
            return Ok(None);
        }
        s.parse()
            .map(Some)
            .map_err(|_| self.err(name, format!("'{s}' is not {what}")))
    }

    fn date(&self, name: &str) -> Result<Option<NaiveDate>, RowError> {
        let s = self.get(name).trim();
        if s.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| self.err(name, format!("'{s}' is not a date")))
    }

    fn boolean(&self, name: &str) -> Result<bool, RowError> {
        match self.get(name).trim() {
            "" | "false" | "no" | "0" => Ok(false),
            "true" | "yes" | "1" => Ok(true),
            other => Err(self.err(
                name,
                format!("'{other}' is not true or false (accepted: true, false)"),
            )),
        }
    }

    fn uid(&self, name: &str) -> Result<Option<Uuid>, RowError> {
        let s = self.get(name).trim();
        if s.is_empty() {
            return Ok(None);
        }
        Uuid::parse_str(s)
            .map(Some)
            .map_err(|_| self.err(name, format!("'{s}' is not a uid (accepted: a UUID)")))
    }

    /// Whether the cells in `from..to` are all empty.
    fn empty(&self, from: usize, to: usize) -> bool {
        (from..to).all(|c| self.raw(c).trim().is_empty())
    }
}

/// What groups rows into one incident: the ref, else the uid; None when
/// the row has neither (it is an incident on its own).
fn incident_key(cells: &Cells<'_>) -> Option<String> {
    let r = unescape(cells.raw(0)).trim();
    if !r.is_empty() {
        return Some(r.to_string());
    }
    let u = cells.raw(1).trim();
    (!u.is_empty()).then(|| u.to_string())
}

/// An incident being assembled from its rows.
struct Builder {
    key: Option<String>,
    row: usize,
    first_incident: Vec<String>,
    record: IncidentRecord,
    /// The first row of each victim, by uid or position, and its index.
    victims: HashMap<String, (usize, Vec<String>)>,
    bad: bool,
}

impl Builder {
    fn broken(key: Option<String>, row: usize) -> Builder {
        Builder {
            key,
            row,
            first_incident: vec![],
            record: IncidentRecord::default(),
            victims: HashMap::new(),
            bad: true,
        }
    }

    fn start(c: &Cells<'_>, key: Option<String>) -> Result<Builder, RowError> {
        let mut rec = IncidentRecord {
            uid: c.uid("incident_uid")?,
            reference: Some(c.text("incident_ref")).filter(|r| !r.trim().is_empty()),
            title: c.text("title"),
            summary: c.text("summary"),
            date_start: c.date("date_start")?,
            date_end: c.date("date_end")?,
            date_precision: c.parse("date_precision")?,
            date_approximate: c.boolean("date_approximate")?,
            date_as_reported: c.text("date_as_reported"),
            calendar: c.vocab("calendar")?,
            country: match c.get("country").trim() {
                "" => String::new(),
                code => {
                    crate::country::check(code).map_err(|e| c.err("country", format!("{e:#}")))?
                }
            },
            admin1: c.text("admin1"),
            admin2: c.text("admin2"),
            locality: c.text("locality"),
            place: c.text("place"),
            latitude: c.number("latitude", "a latitude (accepted: -90 to 90)")?,
            longitude: c.number("longitude", "a longitude (accepted: -180 to 180)")?,
            geo_precision: c
                .number("geo_precision", "a geo precision (accepted: 0, 1, 2, 3)")?
                .unwrap_or(0),
            context: c.vocab("context")?,
            verification: c.vocab("verification")?,
            work_link: c.vocab("work_link")?,
            justice: c.vocab("justice")?,
            confidentiality: c.vocab("confidentiality")?,
            ..IncidentRecord::default()
        };
        let urls = split_text(&c.text("source_urls"));
        let publishers = split_text(&c.text("source_publishers"));
        for i in 0..urls.len().max(publishers.len()) {
            let mut s = SourceRecord::new(urls.get(i).map_or("", |s| s.as_str()));
            s.publisher = publishers.get(i).cloned().unwrap_or_default();
            rec.sources.push(s);
        }
        Ok(Builder {
            key,
            row: c.row,
            first_incident: (0..FIRST_VICTIM_COLUMN)
                .chain(FIRST_SOURCE_COLUMN..COLUMNS.len())
                .map(|i| c.raw(i).to_string())
                .collect(),
            record: rec,
            victims: HashMap::new(),
            bad: false,
        })
    }

    fn add_row(&mut self, c: &Cells<'_>) -> Result<(), RowError> {
        // Every row repeats the incident's columns: they must agree.
        for (k, i) in (0..FIRST_VICTIM_COLUMN)
            .chain(FIRST_SOURCE_COLUMN..COLUMNS.len())
            .enumerate()
        {
            if self.first_incident.get(k).map(|s| s.as_str()) != Some(c.raw(i)) {
                return Err(c.err(
                    COLUMNS[i],
                    format!(
                        "'{}' differs from row {} of the same incident ('{}')",
                        c.raw(i),
                        self.row,
                        self.first_incident.get(k).map_or("", |s| s.as_str())
                    ),
                ));
            }
        }
        if c.empty(FIRST_VICTIM_COLUMN, FIRST_SOURCE_COLUMN) {
            return Ok(());
        }
        let victim_key = match c.get("victim_uid").trim() {
            "" => format!("#{}", c.get("victim_position").trim()),
            u => u.to_string(),
        };
        let victim_cells: Vec<String> = (FIRST_VICTIM_COLUMN..FIRST_ACT_COLUMN)
            .map(|i| c.raw(i).to_string())
            .collect();
        let index = match self.victims.get(&victim_key) {
            Some((index, first)) => {
                for (k, i) in (FIRST_VICTIM_COLUMN..FIRST_ACT_COLUMN).enumerate() {
                    if first[k] != victim_cells[k] {
                        return Err(c.err(
                            COLUMNS[i],
                            format!(
                                "'{}' differs from an earlier row of the same victim ('{}')",
                                victim_cells[k], first[k]
                            ),
                        ));
                    }
                }
                *index
            }
            None => {
                let v = victim(c)?;
                self.record.victims.push(v);
                let index = self.record.victims.len() - 1;
                self.victims.insert(victim_key, (index, victim_cells));
                index
            }
        };
        if !c.empty(FIRST_ACT_COLUMN, FIRST_SOURCE_COLUMN) {
            let a = act(c)?;
            self.record.victims[index].acts.push(a);
        }
        Ok(())
    }

    fn finish(self, sink: &mut dyn FnMut(Item) -> Result<()>) -> Result<()> {
        if self.bad {
            return Ok(());
        }
        sink(Item::Record {
            row: self.row,
            record: Box::new(self.record),
        })
    }
}

fn victim(c: &Cells<'_>) -> Result<VictimRecord, RowError> {
    let mut v = VictimRecord::new(&c.text("victim_name"));
    v.uid = c.uid("victim_uid")?;
    v.name_variants = split_text(&c.text("name_variants"));
    v.anonymous = c.boolean("anonymous")?;
    v.sex = c.vocab("sex")?;
    v.age = c.number("age", "an age (accepted: 0 to 120)")?;
    v.nationality = c.get("nationality").trim().to_string();
    v.local_or_foreign = c.parse("local_or_foreign")?;
    v.category = c.vocab("category")?;
    v.employment = c.vocab("employment")?;
    v.jobs = c.vocab_list("jobs")?;
    v.mediums = c.vocab_list("mediums")?;
    v.outlet = c.text("outlet");
    v.beats = c.vocab_list("beats")?;
    v.status = c.vocab("status")?;
    v.confidentiality = c.vocab("victim_confidentiality")?;
    c.number::<usize>("victim_position", "a position (accepted: 1, 2, 3, …)")?;
    Ok(v)
}

fn act(c: &Cells<'_>) -> Result<ActRecord, RowError> {
    let act_type: ActType = c.parse("act_type")?.ok_or_else(|| {
        c.err(
            "act_type",
            "is empty but the row has other act columns (name the act)".into(),
        )
    })?;
    let mut a = ActRecord::new(act_type);
    a.uid = c.uid("act_uid")?;
    a.death_context = c.parse("death_context")?;
    a.method = c.vocab("method")?;
    a.date_start = c.date("act_date_start")?;
    a.date_end = c.date("act_date_end")?;
    a.date_precision = c.parse("act_date_precision")?;
    let names = split_text(&c.text("perpetrators"));
    let parallel = |name: &str| -> Result<Vec<String>, RowError> {
        let cell = c.get(name);
        if cell.trim().is_empty() {
            return Ok(vec![String::new(); names.len()]);
        }
        let values: Vec<String> = cell.split('|').map(|s| s.trim().to_string()).collect();
        if values.len() != names.len() {
            return Err(c.err(
                name,
                format!(
                    "has {} values but perpetrators has {} (the lists run in parallel)",
                    values.len(),
                    names.len()
                ),
            ));
        }
        Ok(values)
    };
    let types = parallel("perpetrator_types")?;
    let basis = parallel("attribution_basis")?;
    let confidence = parallel("attribution_confidence")?;
    for (i, name) in names.iter().enumerate() {
        let mut p = InvolvementRecord::new(name);
        let pick = |list: &[String]| list.get(i).filter(|s| !s.is_empty()).cloned();
        if let Some(t) = pick(&types) {
            p.actor_type = Some(
                t.parse()
                    .map_err(|e: VocabError| c.err("perpetrator_types", e.to_string()))?,
            );
        }
        if let Some(b) = pick(&basis) {
            p.basis = b
                .parse()
                .map_err(|e: VocabError| c.err("attribution_basis", e.to_string()))?;
        }
        if let Some(k) = pick(&confidence) {
            p.confidence = k
                .parse()
                .map_err(|e: VocabError| c.err("attribution_confidence", e.to_string()))?;
        }
        a.perpetrators.push(p);
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_is_reversible() {
        for s in [
            "", "plain", "=SUM(A1)", "-3", "'=x", "''=x", "'hello", "''", "'", "@a", "\tx",
        ] {
            assert_eq!(unescape(&escape(s)), s, "{s:?}");
        }
        assert_eq!(escape("=1+1"), "'=1+1");
        assert_eq!(escape("'hello"), "'hello");
    }

    #[test]
    fn lists_split_as_they_were_joined() {
        for v in [
            vec![],
            vec!["a".to_string()],
            vec!["a|b".into(), "c\\".into()],
            vec!["".into(), "x".into()],
        ] {
            assert_eq!(split_text(&join_text(&v)), v);
        }
    }

    proptest::proptest! {
        #[test]
        fn escaping_round_trips_any_text(s in ".*") {
            let escaped = escape(&s);
            proptest::prop_assert_eq!(unescape(&escaped), s.as_str());
            let first = escape(&s).chars().next();
            proptest::prop_assert!(!matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n')));
        }

        #[test]
        fn lists_round_trip(v in proptest::collection::vec(".*", 2..5)) {
            proptest::prop_assert_eq!(split_text(&join_text(&v)), v);
        }

        #[test]
        fn any_bytes_are_read_or_refused_without_panic(
            body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)
        ) {
            let mut input = COLUMNS.join(",").into_bytes();
            input.push(b'\n');
            input.extend(body);
            let mut items = 0;
            read(&input[..], &mut |_| { items += 1; Ok(()) }).map_err(|e| {
                proptest::test_runner::TestCaseError::fail(e.to_string())
            })?;
        }
    }

    /// Every CSV column is a field of the field table (in the group of
    /// its entity) or one of the few that place a row; every field the
    /// table says the CSV holds is a column.
    #[test]
    fn the_columns_are_the_field_tables() {
        use crate::fields::Entity;
        const PLACING: &[&str] = &[
            "incident_ref",
            "incident_uid",
            "victim_position",
            "victim_uid",
            "act_uid",
            "perpetrator_types",
        ];
        let groups = [
            (Entity::Incident, 0..FIRST_VICTIM_COLUMN),
            (Entity::Victim, FIRST_VICTIM_COLUMN..FIRST_ACT_COLUMN),
            (Entity::Act, FIRST_ACT_COLUMN..FIRST_SOURCE_COLUMN),
            (Entity::Involvement, FIRST_ACT_COLUMN..FIRST_SOURCE_COLUMN),
            (Entity::Source, FIRST_SOURCE_COLUMN..COLUMNS.len()),
        ];
        let mut from_table = Vec::new();
        for (entity, range) in groups {
            for f in entity.fields() {
                if let Some(column) = f.csv {
                    let at = COLUMNS.iter().position(|c| *c == column);
                    assert!(
                        at.is_some_and(|i| range.contains(&i)),
                        "{column} ({entity:?}.{}) is not in its group",
                        f.name
                    );
                    from_table.push(column);
                }
            }
        }
        let mut in_csv: Vec<&str> = COLUMNS
            .iter()
            .copied()
            .filter(|c| !PLACING.contains(c))
            .collect();
        from_table.sort_unstable();
        in_csv.sort_unstable();
        assert_eq!(from_table, in_csv);
    }

    #[test]
    fn the_column_groups_are_where_the_constants_say() {
        assert_eq!(COLUMNS[FIRST_VICTIM_COLUMN], "victim_position");
        assert_eq!(COLUMNS[FIRST_ACT_COLUMN], "act_uid");
        assert_eq!(COLUMNS[FIRST_SOURCE_COLUMN], "source_urls");
    }
}

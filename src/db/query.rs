//! The filters shared by `list`, `export`, `summary` and `letter`
//! (DESIGN §3), turned into one SQL condition on `incident` (alias `i`).

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::Connection;

use crate::vocab::*;

/// Which incidents a command is about. Empty lists mean "any".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    /// First day (inclusive) the incident's start date may fall on.
    pub from: Option<NaiveDate>,
    /// Last day (inclusive) the incident's start date may fall on.
    pub to: Option<NaiveDate>,
    pub countries: Vec<String>,
    pub admin1: Option<String>,
    pub acts: Vec<ActType>,
    pub actor: Option<String>,
    pub actor_types: Vec<ActorType>,
    pub verification: Vec<Verification>,
    pub work_link: Vec<WorkLink>,
    /// Matches a victim's name or any of its variants, ignoring case.
    pub victim: Option<String>,
    pub outlet: Option<String>,
    /// Only incidents whose sources disagree (or marked disputed).
    pub disputed: bool,
    pub include_deleted: bool,
    /// Only incidents at these confidentiality levels (empty: all).
    pub confidentiality: Vec<Confidentiality>,
    /// Victim-level filters (act, actor, actor type, victim, outlet) match
    /// only through victims at the `confidentiality` levels, and never
    /// through the name or outlet of a victim who asked not to be named:
    /// output for an audience must not confirm which case a value it hides
    /// belongs to.
    pub shown_victims_only: bool,
}

fn in_list<T: Vocabulary>(column: &str, values: &[T], params: &mut Vec<Value>) -> String {
    let marks = vec!["?"; values.len()].join(", ");
    params.extend(values.iter().map(|v| Value::Text(v.as_str().to_string())));
    format!("{column} IN ({marks})")
}

/// `LIKE` pattern for a substring, with the user's `%`, `_` and `\` taken
/// literally.
fn contains_pattern(s: &str) -> Value {
    let escaped = s
        .trim()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    Value::Text(format!("%{escaped}%"))
}

impl Filter {
    /// The condition on victim `w` that `shown_victims_only` adds (empty
    /// when it is off); `names` also leaves out anonymous victims.
    fn shown(&self, w: &str, names: bool, params: &mut Vec<Value>) -> String {
        if !self.shown_victims_only {
            return String::new();
        }
        let mut cond = String::new();
        if !self.confidentiality.is_empty() {
            let list = in_list(
                &format!("{w}.confidentiality"),
                &self.confidentiality,
                params,
            );
            cond.push_str(&format!(" AND {list}"));
        }
        if names {
            cond.push_str(&format!(" AND {w}.anonymous = 0"));
        }
        cond
    }

    /// The condition on a counted act's victim (`victim_id`, a column) that
    /// `shown_victims_only` adds for a summary: the victim's own level is
    /// one the audience may see. "1" when it is off.
    pub fn shown_victim(&self, victim_id: &str, params: &mut Vec<Value>) -> String {
        let shown = self.shown("w", false, params);
        if shown.is_empty() {
            return "1".into();
        }
        format!("EXISTS (SELECT 1 FROM victim w WHERE w.id = {victim_id}{shown})")
    }

    /// The SQL condition (on `incident AS i`) and its parameters.
    pub fn to_sql(&self) -> (String, Vec<Value>) {
        let mut conds: Vec<String> = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        if !self.include_deleted {
            conds.push("i.deleted_at IS NULL".into());
        }
        if let Some(from) = self.from {
            conds.push("i.date_start >= ?".into());
            params.push(Value::Text(from.format("%Y-%m-%d").to_string()));
        }
        if let Some(to) = self.to {
            conds.push("i.date_start <= ?".into());
            params.push(Value::Text(to.format("%Y-%m-%d").to_string()));
        }
        if !self.countries.is_empty() {
            let marks = vec!["?"; self.countries.len()].join(", ");
            conds.push(format!("i.country IN ({marks})"));
            params.extend(self.countries.iter().map(|c| Value::Text(c.clone())));
        }
        if let Some(a) = &self.admin1 {
            conds.push("i.admin1 = ? COLLATE NOCASE".into());
            params.push(Value::Text(a.trim().to_string()));
        }
        if !self.acts.is_empty() {
            let list = in_list("a.type", &self.acts, &mut params);
            let shown = self.shown("w", false, &mut params);
            conds.push(format!(
                "EXISTS (SELECT 1 FROM act a JOIN victim w ON w.id = a.victim_id
                         WHERE a.incident_id = i.id AND {list}{shown})"
            ));
        }
        if let Some(actor) = &self.actor {
            let shown = self.shown("w", false, &mut params);
            conds.push(format!(
                "EXISTS (SELECT 1 FROM act a JOIN involvement v ON v.act_id = a.id
                         JOIN actor r ON r.id = v.actor_id JOIN victim w ON w.id = a.victim_id
                         WHERE a.incident_id = i.id{shown}
                           AND (r.name = ? COLLATE NOCASE
                                OR EXISTS (SELECT 1 FROM json_each(r.aliases) j
                                           WHERE j.value = ? COLLATE NOCASE)))"
            ));
            params.push(Value::Text(actor.trim().to_string()));
            params.push(Value::Text(actor.trim().to_string()));
        }
        if !self.actor_types.is_empty() {
            let list = in_list("p.type", &self.actor_types, &mut params);
            let shown = self.shown("w", false, &mut params);
            conds.push(format!(
                "EXISTS (SELECT 1 FROM act a JOIN involvement v ON v.act_id = a.id
                         JOIN actor_type_period p ON p.actor_id = v.actor_id
                         JOIN victim w ON w.id = a.victim_id
                         WHERE a.incident_id = i.id AND {list}{shown}
                           AND (p.valid_from IS NULL OR coalesce(a.date_start, i.date_start) IS NULL
                                OR p.valid_from <= coalesce(a.date_start, i.date_start))
                           AND (p.valid_to IS NULL OR coalesce(a.date_start, i.date_start) IS NULL
                                OR p.valid_to >= coalesce(a.date_start, i.date_start)))"
            ));
        }
        if !self.verification.is_empty() {
            conds.push(in_list("i.verification", &self.verification, &mut params));
        }
        if !self.work_link.is_empty() {
            conds.push(in_list("i.work_link", &self.work_link, &mut params));
        }
        if !self.confidentiality.is_empty() {
            conds.push(in_list(
                "i.confidentiality",
                &self.confidentiality,
                &mut params,
            ));
        }
        if let Some(name) = &self.victim {
            let shown = self.shown("w", true, &mut params);
            conds.push(format!(
                "EXISTS (SELECT 1 FROM victim w WHERE w.incident_id = i.id{shown}
                         AND (w.name LIKE ? ESCAPE '\\'
                              OR EXISTS (SELECT 1 FROM json_each(w.name_variants) j
                                         WHERE j.value LIKE ? ESCAPE '\\')))"
            ));
            params.push(contains_pattern(name));
            params.push(contains_pattern(name));
        }
        if let Some(outlet) = &self.outlet {
            let shown = self.shown("w", true, &mut params);
            conds.push(format!(
                "EXISTS (SELECT 1 FROM victim w WHERE w.incident_id = i.id{shown}
                         AND w.outlet LIKE ? ESCAPE '\\')"
            ));
            params.push(contains_pattern(outlet));
        }
        if self.disputed {
            conds.push(
                "(i.verification = 'disputed'
                  OR EXISTS (SELECT 1 FROM claim c WHERE c.incident_id = i.id AND c.accepted = 0))"
                    .into(),
            );
        }
        let sql = if conds.is_empty() {
            "1".to_string()
        } else {
            conds.join(" AND ")
        };
        (sql, params)
    }
}

/// How many incidents match (for a progress bar).
pub fn count_incidents(conn: &Connection, filter: &Filter) -> rusqlite::Result<u64> {
    let (cond, params) = filter.to_sql();
    conn.query_row(
        &format!("SELECT count(*) FROM incident i WHERE {cond}"),
        rusqlite::params_from_iter(params),
        |r| r.get(0),
    )
}

/// Calls `each` with the id of every matching incident, by date (undated
/// last), then in the order they were recorded. The rows stream straight
/// off the date index, with no sort, so memory stays flat however many
/// incidents there are.
pub fn for_each_incident_id(
    conn: &Connection,
    filter: &Filter,
    mut each: impl FnMut(i64) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let (cond, params) = filter.to_sql();
    for (dated, order) in [("IS NOT NULL", "i.date_start, i.id"), ("IS NULL", "i.id")] {
        let sql = format!(
            "SELECT i.id FROM incident i WHERE i.date_start {dated} AND {cond} ORDER BY {order}"
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
        while let Some(r) = rows.next()? {
            each(r.get(0)?)?;
        }
    }
    Ok(())
}

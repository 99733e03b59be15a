//! The filters shared by `list`, `export`, `summary` and `letter`
//! (DESIGN §3), turned into one SQL condition on `incident` (alias `i`),
//! and the attribution rule: which links to an act make an actor its
//! perpetrator, for the `--actor` and `--actor-type` filters and for every
//! count alike.

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
    /// Which links `--actor` and `--actor-type` follow.
    pub attribution: Attribution,
}

/// Which links to an act make an actor its perpetrator (DESIGN §5): the
/// roles, bases and confidences accepted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Attribution {
    pub roles: &'static [Role],
    pub bases: &'static [Basis],
    pub confidences: &'static [Confidence],
}

impl Attribution {
    /// The rule of every profile and filter: a link whose basis is the
    /// actor's denial, whose confidence is `unlikely`, or whose role is
    /// `failed_to_protect` records a claim or a failure, not who did it, so
    /// it never makes the actor the perpetrator. Every other link counts: a
    /// suspicion (`possible`) is how most attacks on journalists are ever
    /// attributed, and the monitors publish perpetrators on that footing.
    pub const PERPETRATOR: Attribution = Attribution {
        roles: &[
            Role::Perpetrator,
            Role::Ordered,
            Role::Accomplice,
            Role::Unknown,
        ],
        bases: &[
            Basis::Claimed,
            Basis::Acknowledged,
            Basis::CourtFinding,
            Basis::OfficialAccusation,
            Basis::Arrest,
            Basis::AccusedByVictim,
            Basis::AccusedByColleagues,
            Basis::Witness,
            Basis::MonitorAssessment,
            Basis::Inferred,
            Basis::Unknown,
        ],
        confidences: &[
            Confidence::Confirmed,
            Confidence::Likely,
            Confidence::Possible,
            Confidence::Unknown,
        ],
    };

    /// The rule as an SQL condition on the link columns of `alias` (an
    /// `involvement` row or the view `involvement_actor_type`). Only
    /// vocabulary words reach the text, never user input.
    pub fn sql(&self, alias: &str) -> String {
        fn list<T: Vocabulary>(values: &[T]) -> String {
            values
                .iter()
                .map(|v| format!("'{}'", v.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        }
        format!(
            "{alias}.role IN ({}) AND {alias}.basis IN ({}) AND {alias}.confidence IN ({})",
            list(self.roles),
            list(self.bases),
            list(self.confidences)
        )
    }

    /// The rule in words, naming what it leaves out.
    pub fn describe(&self) -> String {
        fn left_out<T: Vocabulary + PartialEq>(accepted: &[T]) -> Vec<&'static str> {
            T::ALL
                .iter()
                .filter(|v| !accepted.contains(v))
                .map(|v| v.as_str())
                .collect()
        }
        let mut parts = Vec::new();
        for (what, out) in [
            ("role", left_out(self.roles)),
            ("basis", left_out(self.bases)),
            ("confidence", left_out(self.confidences)),
        ] {
            if !out.is_empty() {
                parts.push(format!("{what} {}", out.join(" or ")));
            }
        }
        if parts.is_empty() {
            "every linked actor counts as a perpetrator".into()
        } else {
            format!(
                "a linked actor counts as a perpetrator unless the link's {}",
                parts.join(", ")
            )
        }
    }
}

impl Default for Attribution {
    fn default() -> Self {
        Attribution::PERPETRATOR
    }
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
            // Only links that make the actor the perpetrator: a denial or a
            // failure to protect does not put an incident under its name.
            let attributed = self.attribution.sql("v");
            let shown = self.shown("w", false, &mut params);
            conds.push(format!(
                "EXISTS (SELECT 1 FROM act a JOIN involvement v ON v.act_id = a.id
                         JOIN actor r ON r.id = v.actor_id JOIN victim w ON w.id = a.victim_id
                         WHERE a.incident_id = i.id AND {attributed}{shown}
                           AND (r.name = ? COLLATE NOCASE
                                OR EXISTS (SELECT 1 FROM json_each(r.aliases) j
                                           WHERE j.value = ? COLLATE NOCASE)))"
            ));
            params.push(Value::Text(actor.trim().to_string()));
            params.push(Value::Text(actor.trim().to_string()));
        }
        if !self.actor_types.is_empty() {
            // The type on the act's dates, from the view that holds the rule;
            // a type that cannot be told is `unknown`, as summaries show it.
            let list = in_list(
                "coalesce(t.actor_type, 'unknown')",
                &self.actor_types,
                &mut params,
            );
            let attributed = self.attribution.sql("t");
            let shown = self.shown("w", false, &mut params);
            conds.push(format!(
                "EXISTS (SELECT 1 FROM involvement_actor_type t
                         JOIN act a ON a.id = t.act_id JOIN victim w ON w.id = a.victim_id
                         WHERE t.incident_id = i.id AND {attributed} AND {list}{shown})"
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

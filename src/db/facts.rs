//! The countable facts behind `summary`: one row per act and perpetrator
//! link, with everything a counting profile needs, fetched in one pass.
//!
//! Invariants:
//! * the period of a summary applies to the act's own date when it has one,
//!   else to its incident's (a journalist shot in December and dead in
//!   January counts in January);
//! * an actor's type is the one in force on that same date
//!   (`actor_type_period`), so the Taliban are an armed group before
//!   2021-08-16 and the de facto authority after;
//! * rejected, duplicate and out-of-scope incidents are left out unless the
//!   filter names verification levels; deleted ones unless it includes them.
//!   `left_out` counts what was left out, for the summary's footnote.

use chrono::NaiveDate;
use rusqlite::types::{Type, Value};
use rusqlite::Connection;

use super::query::Filter;
use crate::vocab::*;

/// One act against one victim, with one of its perpetrators (or none).
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    pub incident_id: i64,
    pub incident_ref: String,
    /// The date the act counts on: its own start date, else its incident's.
    pub date: Option<NaiveDate>,
    /// How precise that date is.
    pub precision: DatePrecision,
    /// Whether the incident's date is approximate.
    pub approximate: bool,
    pub country: String,
    pub admin1: String,
    pub verification: Verification,
    pub work_link: WorkLink,
    pub justice: Justice,
    pub victim_id: i64,
    pub sex: Sex,
    pub category: Category,
    pub employment: Employment,
    /// The victim's mediums, as stored (a JSON array).
    pub mediums: String,
    pub act_id: i64,
    pub act_type: ActType,
    pub death_context: Option<DeathContext>,
    /// The actor linked to the act in this row (None: no perpetrator known).
    pub actor_id: Option<super::ActorId>,
    pub actor: Option<String>,
    /// The actor's type in force on `date`.
    pub actor_type: Option<ActorType>,
}

/// What to fetch: the filter, and which of the costlier fields a summary
/// needs. Without perpetrators the query is one row per act; a text field
/// not asked for comes back empty, so a million rows allocate nothing for it.
#[derive(Clone, Copy, Debug)]
pub struct FactQuery<'a> {
    pub filter: &'a Filter,
    /// The perpetrators and their type on the act's date.
    pub with_actors: bool,
    /// The actors' names (with `with_actors`).
    pub actor_names: bool,
    pub refs: bool,
    pub country: bool,
    pub admin1: bool,
    pub mediums: bool,
    /// The victim's sex, category and employment (else left at defaults).
    pub victims: bool,
}

/// The filter without its period, plus the verification levels counted by
/// default: the condition every part of the fact query shares.
fn base_condition(filter: &Filter) -> (String, Vec<Value>) {
    let undated = Filter {
        from: None,
        to: None,
        ..filter.clone()
    };
    let (mut sql, mut params) = undated.to_sql();
    if filter.verification.is_empty() {
        sql.push_str(" AND i.verification NOT IN ('rejected', 'out_of_scope', 'duplicate')");
    }
    // A summary for an audience counts only the victims it may see.
    let shown = filter.shown_victim("a.victim_id", &mut params);
    sql.push_str(&format!(" AND {shown}"));
    (sql, params)
}

/// `column` within the filter's period (both bounds inclusive).
fn in_period(column: &str, filter: &Filter, params: &mut Vec<Value>) -> String {
    let mut conds = Vec::new();
    if let Some(from) = filter.from {
        conds.push(format!("{column} >= ?"));
        params.push(Value::Text(from.format("%Y-%m-%d").to_string()));
    }
    if let Some(to) = filter.to {
        conds.push(format!("{column} <= ?"));
        params.push(Value::Text(to.format("%Y-%m-%d").to_string()));
    }
    if conds.is_empty() {
        "1".into()
    } else {
        format!("({})", conds.join(" AND "))
    }
}

/// Whether the period holds every incident date in the registry, so that
/// the incident date index would only slow the scan down.
fn period_holds_everything(conn: &Connection, filter: &Filter) -> anyhow::Result<bool> {
    if filter.from.is_none() && filter.to.is_none() {
        return Ok(true);
    }
    let (first, last): (Option<String>, Option<String>) = conn.query_row(
        "SELECT min(date_start), max(date_start) FROM incident",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    Ok(filter
        .from
        .is_none_or(|f| first.is_none_or(|x| x >= day(f)))
        && filter.to.is_none_or(|t| last.is_none_or(|x| x <= day(t))))
}

/// Every fact matching the filter, in one query.
///
/// A period that selects part of the registry is read through the incident
/// date index, plus the few acts whose own date falls in the period while
/// their incident's does not (`act_own_date`); a period that holds every
/// incident is one scan.
pub fn facts(conn: &Connection, q: &FactQuery<'_>) -> anyhow::Result<Vec<Fact>> {
    let text = |wanted: bool, column: &'static str| if wanted { column } else { "''" };
    let actor_name = text(q.actor_names, "r.name");
    let actor_cols = if q.with_actors {
        format!("inv.actor_id, {actor_name},
         (SELECT p.type FROM actor_type_period p
           WHERE p.actor_id = inv.actor_id
             AND (coalesce(a.date_start, i.date_start) IS NULL
                  OR ((p.valid_from IS NULL OR p.valid_from <= coalesce(a.date_start, i.date_start))
                      AND (p.valid_to IS NULL OR p.valid_to >= coalesce(a.date_start, i.date_start))))
           ORDER BY p.valid_from DESC LIMIT 1)")
    } else {
        "NULL, NULL, NULL".to_string()
    };
    let actor_joins = match (q.with_actors, q.actor_names) {
        (true, true) => {
            "LEFT JOIN involvement inv ON inv.act_id = a.id
             LEFT JOIN actor r ON r.id = inv.actor_id"
        }
        (true, false) => "LEFT JOIN involvement inv ON inv.act_id = a.id",
        (false, _) => "",
    };
    // The victim's row is read only when its fields are counted.
    let (victim_join, victim_cols) = if q.victims {
        (
            "JOIN victim v ON v.id = a.victim_id",
            format!(
                "v.sex, v.category, v.employment, {}",
                text(q.mediums, "v.mediums")
            ),
        )
    } else {
        ("", "'unknown', 'journalist', 'unknown', ''".to_string())
    };
    let (reference, country, admin1) = (
        text(q.refs, "i.ref"),
        text(q.country, "i.country"),
        text(q.admin1, "i.admin1"),
    );
    let select = format!(
        "SELECT i.id, {reference}, coalesce(a.date_start, i.date_start),
                CASE WHEN a.date_start IS NULL THEN i.date_precision ELSE a.date_precision END,
                i.date_approximate, {country}, {admin1}, i.verification, i.work_link, i.justice,
                a.victim_id, {victim_cols},
                a.id, a.type, a.death_context, {actor_cols}"
    );
    let (base, base_params) = base_condition(q.filter);
    let mut params: Vec<Value> = Vec::new();
    let sql = if period_holds_everything(conn, q.filter)? {
        params.extend(base_params);
        let period = in_period(
            "coalesce(a.date_start, i.date_start)",
            q.filter,
            &mut params,
        );
        format!(
            "{select}
             FROM incident i
             JOIN act a ON a.incident_id = i.id
             {victim_join}
             {actor_joins}
             WHERE {base} AND {period}"
        )
    } else {
        params.extend(base_params.clone());
        let incident_in = in_period("i.date_start", q.filter, &mut params);
        let act_in = in_period("a.date_start", q.filter, &mut params);
        params.extend(base_params);
        let act_in_2 = in_period("a.date_start", q.filter, &mut params);
        let incident_in_2 = in_period("i.date_start", q.filter, &mut params);
        format!(
            "{select}
             FROM incident i
             JOIN act a ON a.incident_id = i.id
             {victim_join}
             {actor_joins}
             WHERE {base} AND {incident_in} AND (a.date_start IS NULL OR {act_in})
             UNION ALL
             {select}
             FROM act a
             JOIN incident i ON i.id = a.incident_id
             {victim_join}
             {actor_joins}
             WHERE {base} AND a.date_start IS NOT NULL AND {act_in_2}
               AND (i.date_start IS NULL OR NOT {incident_in_2})"
        )
    };
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
        Ok(Fact {
            incident_id: r.get(0)?,
            incident_ref: r.get(1)?,
            date: r
                .get_ref(2)?
                .as_str_or_null()
                .map_err(|e| rusqlite::Error::FromSqlConversionFailure(2, Type::Text, Box::new(e)))?
                .and_then(day),
            precision: r.get(3)?,
            approximate: r.get(4)?,
            country: r.get(5)?,
            admin1: r.get(6)?,
            verification: r.get(7)?,
            work_link: r.get(8)?,
            justice: r.get(9)?,
            victim_id: r.get(10)?,
            sex: r.get(11)?,
            category: r.get(12)?,
            employment: r.get(13)?,
            mediums: r.get(14)?,
            act_id: r.get(15)?,
            act_type: r.get(16)?,
            death_context: r.get(17)?,
            actor_id: r.get(18)?,
            actor: r.get::<_, Option<String>>(19)?.filter(|_| q.actor_names),
            actor_type: r.get(20)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// A stored ISO day, read without the cost of a general date parser (a
/// summary reads a million of them).
fn day(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// Incidents the filter would otherwise match that a summary leaves out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LeftOut {
    pub rejected: u64,
    pub duplicate: u64,
    pub out_of_scope: u64,
    pub deleted: u64,
}

/// Counts the incidents left out by verification (when the filter names no
/// levels) and by deletion (when it does not include deleted ones).
pub fn left_out(conn: &Connection, filter: &Filter) -> anyhow::Result<LeftOut> {
    let widened = Filter {
        include_deleted: true,
        verification: if filter.verification.is_empty() {
            Verification::ALL.to_vec()
        } else {
            filter.verification.clone()
        },
        ..filter.clone()
    };
    // Only the incidents left out are looked at, one by one: no join over
    // every act (a summary of a million acts must not pay twice).
    let undated = Filter {
        from: None,
        to: None,
        ..widened
    };
    let (mut cond, mut params) = undated.to_sql();
    let mut period = String::new();
    if let Some(from) = filter.from {
        period.push_str(" AND coalesce(a.date_start, i.date_start) >= ?");
        params.push(Value::Text(from.format("%Y-%m-%d").to_string()));
    }
    if let Some(to) = filter.to {
        period.push_str(" AND coalesce(a.date_start, i.date_start) <= ?");
        params.push(Value::Text(to.format("%Y-%m-%d").to_string()));
    }
    cond.push_str(
        " AND (i.deleted_at IS NOT NULL
               OR i.verification IN ('rejected', 'out_of_scope', 'duplicate'))",
    );
    let sql = format!(
        "SELECT i.verification, i.deleted_at IS NOT NULL, count(*)
         FROM incident i
         WHERE {cond}
           AND EXISTS (SELECT 1 FROM act a WHERE a.incident_id = i.id{period})
         GROUP BY 1, 2"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    let mut out = LeftOut::default();
    while let Some(r) = rows.next()? {
        let verification: Verification = r.get(0)?;
        let deleted: bool = r.get(1)?;
        let n: u64 = r.get(2)?;
        if deleted {
            if !filter.include_deleted {
                out.deleted += n;
            }
            continue;
        }
        if filter.verification.is_empty() {
            match verification {
                Verification::Rejected => out.rejected += n,
                Verification::Duplicate => out.duplicate += n,
                Verification::OutOfScope => out.out_of_scope += n,
                _ => {}
            }
        }
    }
    Ok(out)
}

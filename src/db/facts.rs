//! The countable facts behind `summary`: one row per act and perpetrator
//! link, with everything a counting profile needs, fetched in one pass.
//!
//! Invariants:
//! * the period of a summary applies to the act's own date when it has one,
//!   else to its incident's (a journalist shot in December and dead in
//!   January counts in January);
//! * an actor's type is the one in force on the act's dates, from the view
//!   `involvement_actor_type` (the Taliban are an armed group to 2021-08-15
//!   and the de facto authority from 2021-08-16; undated, or dated August
//!   2021, their type cannot be told and counts as unknown);
//! * an actor is an act's perpetrator only by a link the filter's
//!   attribution rule accepts (never a denial, an `unlikely` link or a
//!   failure to protect);
//! * rejected, duplicate and out-of-scope incidents are left out unless the
//!   filter names verification levels; deleted ones unless it includes them.
//!   `left_out` counts what was left out, for the summary's footnote;
//! * a summary for an audience (`shown_victims_only`) counts only incidents
//!   and victims at the filter's confidentiality levels.

use chrono::NaiveDate;
use rusqlite::types::{Type, Value};
use rusqlite::Connection;

use super::query::Filter;
use crate::count::FxMap;
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
    /// Where the victim stands now (held, released, missing…).
    pub status: VictimStatus,
    pub act_id: i64,
    pub act_type: ActType,
    pub death_context: Option<DeathContext>,
    /// The actor linked to the act in this row (None: no perpetrator known).
    pub actor_id: Option<super::ActorId>,
    pub actor: Option<String>,
    /// The actor's type on the act's dates (None: no actor, or its type
    /// cannot be told).
    pub actor_type: Option<ActorType>,
    /// Whether the incident is deleted, and the incident's and the
    /// victim's confidentiality (with `FactQuery::audience`; else false,
    /// public, public): what the stored units are filtered by.
    pub deleted: bool,
    pub confidentiality: Confidentiality,
    pub victim_confidentiality: Confidentiality,
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
    /// The victim's sex, category, employment and status (else left at
    /// defaults).
    pub victims: bool,
    /// Deletion and the incident's and victim's confidentiality.
    pub audience: bool,
    /// Only these incidents (None: every incident the filter matches).
    pub only: Option<&'a [i64]>,
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

/// Calls `each` with the facts of one incident at a time, every fact
/// matching the filter once, so that a summary of a million acts holds one
/// incident's facts, not all of them. Within an incident the facts come in
/// the order the query gives them (a profile's unit takes the columns of
/// its first gravest fact); `each` may take them out of the vector.
///
/// A period that holds every incident is one scan. A period that selects
/// part of the registry is read through the incident date index, plus the
/// few acts whose own date falls in the period while their incident's does
/// not (`act_own_date`): those come in the order of the acts, so they are
/// read first and handed over by incident at the end (an incident is in
/// one part or the other, never both).
pub fn for_each_incident(
    conn: &Connection,
    q: &FactQuery<'_>,
    mut each: impl FnMut(&mut Vec<Fact>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let text = |wanted: bool, column: &'static str| if wanted { column } else { "''" };
    let actor_name = text(q.actor_names, "r.name");
    let actor_cols = if q.with_actors {
        // The type comes from the one view that holds the rule; looked up
        // by the involvement's key, it costs one indexed probe per link.
        format!(
            "inv.actor_id, {actor_name},
             (SELECT t.actor_type FROM involvement_actor_type t
               WHERE t.involvement_id = inv.id)"
        )
    } else {
        "NULL, NULL, NULL".to_string()
    };
    // Only the links the filter's attribution rule accepts: an act whose
    // every link is a denial counts as one with no perpetrator.
    let attributed = q.filter.attribution.sql("inv");
    let actor_joins = match (q.with_actors, q.actor_names) {
        (true, true) => format!(
            "LEFT JOIN involvement inv ON inv.act_id = a.id AND {attributed}
             LEFT JOIN actor r ON r.id = inv.actor_id"
        ),
        (true, false) => format!("LEFT JOIN involvement inv ON inv.act_id = a.id AND {attributed}"),
        (false, _) => String::new(),
    };
    // The victim's row is read only when its fields are counted. CROSS
    // JOIN keeps the victim an inner loop, so an incident's rows stay
    // together.
    let (victim_join, victim_cols) = if q.victims {
        (
            "CROSS JOIN victim v ON v.id = a.victim_id",
            format!(
                "v.sex, v.category, v.employment, {}, v.status",
                text(q.mediums, "v.mediums")
            ),
        )
    } else {
        (
            "",
            "'unknown', 'journalist', 'unknown', '', 'unknown'".to_string(),
        )
    };
    let (reference, country, admin1) = (
        text(q.refs, "i.ref"),
        text(q.country, "i.country"),
        text(q.admin1, "i.admin1"),
    );
    let audience_cols = if q.audience {
        "i.deleted_at IS NOT NULL, i.confidentiality,
         (SELECT w.confidentiality FROM victim w WHERE w.id = a.victim_id)"
    } else {
        "0, 'public', 'public'"
    };
    let select = format!(
        "SELECT i.id, {reference}, coalesce(a.date_start, i.date_start),
                CASE WHEN a.date_start IS NULL THEN i.date_precision ELSE a.date_precision END,
                i.date_approximate, {country}, {admin1}, i.verification, i.work_link, i.justice,
                a.victim_id, {victim_cols},
                a.id, a.type, a.death_context, {actor_cols}, {audience_cols}"
    );
    let (mut base, mut base_params) = base_condition(q.filter);
    if let Some(ids) = q.only {
        // One parameter whatever the number of incidents: a JSON array.
        base.push_str(" AND i.id IN (SELECT value FROM json_each(?))");
        base_params.push(Value::Text(serde_json::to_string(ids)?));
    }
    let mut params: Vec<Value> = Vec::new();
    // A partial period's acts dated apart from their incident, by
    // incident, in the order their incidents first came.
    let mut apart: FxMap<i64, Vec<Fact>> = FxMap::default();
    let mut apart_order: Vec<i64> = Vec::new();
    // The incident is the outer loop (CROSS JOIN: SQLite does not reorder
    // it), so the rows of one incident come together.
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
             CROSS JOIN act a ON a.incident_id = i.id
             {victim_join}
             {actor_joins}
             WHERE {base} AND {period}"
        )
    } else {
        let mut own: Vec<Value> = base_params.clone();
        let act_in = in_period("a.date_start", q.filter, &mut own);
        let incident_in = in_period("i.date_start", q.filter, &mut own);
        let own_sql = format!(
            "{select}
             FROM act a
             JOIN incident i ON i.id = a.incident_id
             {victim_join}
             {actor_joins}
             WHERE {base} AND a.date_start IS NOT NULL AND {act_in}
               AND (i.date_start IS NULL OR NOT {incident_in})"
        );
        let mut stmt = conn.prepare(&own_sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(own))?;
        while let Some(r) = rows.next()? {
            let f = fact_of(r, q)?;
            apart
                .entry(f.incident_id)
                .or_insert_with(|| {
                    apart_order.push(f.incident_id);
                    Vec::new()
                })
                .push(f);
        }
        params.extend(base_params);
        let incident_in = in_period("i.date_start", q.filter, &mut params);
        let act_in = in_period("a.date_start", q.filter, &mut params);
        format!(
            "{select}
             FROM incident i
             CROSS JOIN act a ON a.incident_id = i.id
             {victim_join}
             {actor_joins}
             WHERE {base} AND {incident_in} AND (a.date_start IS NULL OR {act_in})"
        )
    };
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    let mut chunk: Vec<Fact> = Vec::new();
    while let Some(r) = rows.next()? {
        let f = fact_of(r, q)?;
        if chunk.last().is_some_and(|l| l.incident_id != f.incident_id) {
            each(&mut chunk)?;
            chunk.clear();
        }
        chunk.push(f);
    }
    if !chunk.is_empty() {
        each(&mut chunk)?;
    }
    for id in apart_order {
        if let Some(mut rest) = apart.remove(&id) {
            each(&mut rest)?;
        }
    }
    Ok(())
}

/// One row of the fact query as a fact.
fn fact_of(r: &rusqlite::Row<'_>, q: &FactQuery<'_>) -> rusqlite::Result<Fact> {
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
        status: r.get(15)?,
        act_id: r.get(16)?,
        act_type: r.get(17)?,
        death_context: r.get(18)?,
        actor_id: r.get(19)?,
        actor: r.get::<_, Option<String>>(20)?.filter(|_| q.actor_names),
        actor_type: r.get(21)?,
        deleted: r.get(22)?,
        confidentiality: r.get(23)?,
        victim_confidentiality: r.get(24)?,
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{read, write, Db};
    use crate::model::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("a test date")
    }

    fn period(t: ActorType, from: Option<&str>, to: Option<&str>) -> ActorTypePeriod {
        ActorTypePeriod {
            actor_type: t,
            valid_from: from.map(day),
            valid_to: to.map(day),
        }
    }

    fn actor(name: &str, types: Vec<ActorTypePeriod>) -> ActorRecord {
        ActorRecord {
            uid: None,
            name: name.into(),
            aliases: vec![],
            note: String::new(),
            types,
        }
    }

    /// An incident dated `date` (None: unknown) with one victim and one
    /// act by each of the three actors; the act has its own dates when
    /// `act_date` is given.
    fn incident(date: Option<&str>, act_date: Option<&str>) -> IncidentRecord {
        let mut act = ActRecord::new(ActType::Killed);
        act.date = act_date.map(Into::into);
        for name in ["Taliban", "Police", "IS-K"] {
            act.perpetrators.push(InvolvementRecord::new(name));
        }
        let mut victim = VictimRecord::new("V");
        victim.acts.push(act);
        let rec = IncidentRecord {
            country: "AF".into(),
            date: date.map(Into::into),
            victims: vec![victim],
            actors: vec![
                actor(
                    "Taliban",
                    vec![
                        period(ActorType::ArmedGroup, None, Some("2021-08-15")),
                        period(ActorType::DeFactoAuthority, Some("2021-08-16"), None),
                    ],
                ),
                // A type recorded only from 2020: earlier days have none.
                actor(
                    "Police",
                    vec![period(ActorType::StatePolice, Some("2020-01-01"), None)],
                ),
                actor("IS-K", vec![period(ActorType::ArmedGroup, None, None)]),
            ],
            ..IncidentRecord::default()
        };
        crate::validate::normalize(rec, day("2021-12-31")).expect("a valid record")
    }

    /// The facts of one incident come in one call, every one once, also
    /// when a partial period reads an act dated apart from its incident
    /// (shot in December, dead in January) by the act's own date: a
    /// summary counts each incident's units in that call and keeps
    /// nothing else.
    #[test]
    fn each_incidents_facts_come_together_once() -> anyhow::Result<()> {
        let mut db = Db::in_memory()?;
        let mut ids = Vec::new();
        for (date, act_date) in [
            (Some("2020-12-20"), Some("2021-01-05")),
            (Some("2021-03-01"), None),
            (Some("2019-06-01"), None),
            (Some("2021-07-01"), Some("2021-07-02")),
            (None, Some("2021-02-01")),
        ] {
            // Two acts each: the incident's own (undated) and the given one.
            let mut rec = incident(date, act_date);
            let mut second = ActRecord::new(ActType::Wounded);
            second.perpetrators.push(InvolvementRecord::new("IS-K"));
            rec.victims[0].acts.push(second);
            ids.push(db.write("test", |w| write::insert_incident(w, &rec))?.id);
        }
        let conn = db.conn();
        let chunks = |filter: &Filter| -> anyhow::Result<Vec<(i64, Vec<ActType>)>> {
            let mut out = Vec::new();
            let q = FactQuery {
                filter,
                with_actors: true,
                actor_names: false,
                refs: false,
                country: false,
                admin1: false,
                mediums: false,
                victims: true,
                audience: false,
                only: None,
            };
            for_each_incident(conn, &q, |facts| {
                let id = facts[0].incident_id;
                assert!(facts.iter().all(|f| f.incident_id == id));
                let mut acts: Vec<ActType> = facts.iter().map(|f| f.act_type).collect();
                acts.dedup();
                out.push((id, acts));
                Ok(())
            })?;
            out.sort_by_key(|(id, _)| *id);
            Ok(out)
        };
        use ActType::*;
        let year_2021 = Filter {
            from: Some(day("2021-01-01")),
            to: Some(day("2021-12-31")),
            ..Filter::default()
        };
        // 2021: the first incident by its killing's own date only; the
        // third not at all; the fifth (undated) by its act's date only.
        assert_eq!(
            chunks(&year_2021)?,
            vec![
                (ids[0], vec![Killed]),
                (ids[1], vec![Killed, Wounded]),
                (ids[3], vec![Killed, Wounded]),
                (ids[4], vec![Killed]),
            ]
        );
        let everything = Filter::default();
        let all = chunks(&everything)?;
        assert_eq!(all.len(), 5);
        assert!(all.iter().all(|(_, acts)| acts == &vec![Killed, Wounded]));
        Ok(())
    }

    /// The view `involvement_actor_type` (filters, counts) and
    /// `ActorRecord::type_on` (show, export) give the same type for every
    /// link: dated, undated, on the boundary day, and over spans that do or
    /// do not straddle a change of type.
    #[test]
    fn the_view_and_type_on_agree_on_an_actors_type() -> anyhow::Result<()> {
        use ActorType::*;
        // (incident date, act's own date, Taliban, Police, IS-K)
        type Case = (
            Option<&'static str>,
            Option<&'static str>,
            Option<ActorType>,
            Option<ActorType>,
            Option<ActorType>,
        );
        let cases: &[Case] = &[
            // Undated: only an actor whose one type holds for all time.
            (None, None, None, None, Some(ArmedGroup)),
            // The boundary days.
            (
                Some("2021-08-15"),
                None,
                Some(ArmedGroup),
                Some(StatePolice),
                Some(ArmedGroup),
            ),
            (
                Some("2021-08-16"),
                None,
                Some(DeFactoAuthority),
                Some(StatePolice),
                Some(ArmedGroup),
            ),
            // A month, a year and a range across the change: cannot be told.
            (
                Some("2021-08"),
                None,
                None,
                Some(StatePolice),
                Some(ArmedGroup),
            ),
            (
                Some("2021"),
                None,
                None,
                Some(StatePolice),
                Some(ArmedGroup),
            ),
            (
                Some("2021-08-15/2021-08-16"),
                None,
                None,
                Some(StatePolice),
                Some(ArmedGroup),
            ),
            // A range and a month inside one period.
            (
                Some("2021-02-25/2021-02-26"),
                None,
                Some(ArmedGroup),
                Some(StatePolice),
                Some(ArmedGroup),
            ),
            (
                Some("2021-09"),
                None,
                Some(DeFactoAuthority),
                Some(StatePolice),
                Some(ArmedGroup),
            ),
            // Before the police's type was recorded; a year reaching into it.
            (
                Some("2019-05-01"),
                None,
                Some(ArmedGroup),
                None,
                Some(ArmedGroup),
            ),
            (
                Some("2019/2020"),
                None,
                Some(ArmedGroup),
                None,
                Some(ArmedGroup),
            ),
            // The act's own date wins over its incident's.
            (
                Some("2021-08-10"),
                Some("2021-08-20"),
                Some(DeFactoAuthority),
                Some(StatePolice),
                Some(ArmedGroup),
            ),
            (
                None,
                Some("2021-08-01"),
                Some(ArmedGroup),
                Some(StatePolice),
                Some(ArmedGroup),
            ),
        ];
        let mut db = Db::in_memory()?;
        let mut ids = Vec::new();
        for (date, act_date, ..) in cases {
            let rec = incident(*date, *act_date);
            ids.push(db.write("test", |w| write::insert_incident(w, &rec))?.id);
        }
        let conn = db.conn();
        for (case, id) in cases.iter().zip(ids) {
            let (date, act_date, taliban, police, isk) = *case;
            let expected = [taliban, police, isk];
            let mut stmt = conn.prepare(
                "SELECT actor_type FROM involvement_actor_type
                 WHERE incident_id = ? ORDER BY involvement_id",
            )?;
            let from_view: Vec<Option<ActorType>> = stmt
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let rec = read::load_incident(conn, id)?;
            let in_memory: Vec<Option<ActorType>> = rec.victims[0].acts[0]
                .perpetrators
                .iter()
                .map(|p| p.actor_type)
                .collect();
            assert_eq!(from_view, expected, "view, {date:?} {act_date:?}");
            assert_eq!(in_memory, expected, "type_on, {date:?} {act_date:?}");
        }
        Ok(())
    }
}

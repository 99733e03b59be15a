//! `pressreg summary`: counts by year, country, act, perpetrator type…,
//! by the rules of each monitor (DESIGN §5). Parse, fetch the facts, count
//! by the profile, render; the rules live in `crate::count`. A `victims`
//! summary whose filter and dimensions the stored counting units hold
//! (`db::units`) is counted from them instead, to the same table.
//!
//! A summary speaks for an audience (`--audience`, public by default) as
//! `export --profile` does: it counts only the incidents and victims that
//! audience may see, so no row label (an actor, a province), no `--explain`
//! ref and no count comes from a record it may not see, and its filters
//! match only what that audience would be shown (an anonymous victim's
//! name or outlet matches nothing outside `full`).

use std::collections::BTreeSet;
use std::path::PathBuf;

use anyhow::Result;

use super::Ctx;
use crate::chart;
use crate::cli::FilterArgs;
use crate::clock;
use crate::count::render::{self, Report};
use crate::count::suppress::{self, Relation};
use crate::count::{self, explain, Dim, Profile};
use crate::db::facts::{Fact, FactQuery, LeftOut};
use crate::db::query::Filter;
use crate::db::{Access, ActorId, AsOf};
use crate::exchange::profile::Profile as Audience;
use crate::output;
use crate::vocab::ActorType;

/// Set (to anything) to count every summary from the facts as they stream,
/// never from the stored units: the tests compare the two ways.
const STREAM_VAR: &str = "PRESSREG_STREAM_COUNTS";

/// The formats of a summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SummaryFormat {
    /// Aligned columns with small bars, heading and footnotes
    Table,
    /// A header and one row per line; heading and footnotes on stderr
    Csv,
    /// One object: heading fields, rows, totals, footnotes
    Json,
    /// A Markdown table with the heading as a paragraph
    Md,
}

/// Count victims or incidents by year, country, act, perpetrator…
///
/// Every summary says what it counts, by which rule, over which records and
/// as of when. Rejected, duplicate and out-of-scope incidents are left out
/// unless --verification names them, deleted ones unless --include-deleted;
/// a footnote counts them. Acts count in the year of their own date when
/// they have one (shot in December, died in January: January).
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg summary --year 2021
  pressreg summary --from 2019 --to 2021 --by year,act
  pressreg summary --year 2021 --profile sdg --by state,sex
  pressreg summary --profile cpj --by year --format csv > cpj.csv
  pressreg summary --year 2021 --profile nai --min-cell 3 --format md
  pressreg summary --from 2018 --to 2021 --chart killed.svg --act killed
  pressreg summary --year 2021 --explain
  pressreg summary --year 2021 --profile rsf --explain
  pressreg summary --year 2021 --as-of 2021-09-01T12:00:00Z
  pressreg summary --year 2021 --by admin1 --audience internal")]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,

    /// Break the counts down by these dimensions, comma-separated
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "year",
        value_name = "DIM,..."
    )]
    pub by: Vec<Dim>,

    /// The counting rule: which unit counts once, and under what
    /// [default: victims]
    #[arg(long, value_enum)]
    pub profile: Option<Profile>,

    /// How to print the summary
    #[arg(long, value_enum, default_value_t = SummaryFormat::Table)]
    pub format: SummaryFormat,

    /// Show counts from 1 to N-1 as <N, and withhold any count that would
    /// let one be worked out
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = parse_min_cell)]
    pub min_cell: u64,

    /// Count the registry as it stood at the end of this day (YYYY-MM-DD)
    /// or at this moment (2021-06-01T10:00:00Z), rebuilt from the revision
    /// log
    #[arg(long, value_name = "DATE|MOMENT")]
    pub as_of: Option<String>,

    /// Also draw the yearly series as stacked bars in this SVG file
    #[arg(long, value_name = "FILE.svg")]
    pub chart: Option<PathBuf>,

    /// Replace the --chart file if it exists (never the registry)
    #[arg(long, requires = "chart")]
    pub force: bool,

    /// With --year: each profile's total, and which incidents make them
    /// differ; with --profile, that profile's rule and what it leaves out
    #[arg(long)]
    pub explain: bool,

    /// Who the summary is for: it counts and names only the records
    /// `export --profile` would give that audience
    #[arg(long, value_enum, default_value_t = Audience::Public)]
    pub audience: Audience,
}

/// Runs `summary`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    if let Some(problem) = usage_problem(&args) {
        return Err(super::Usage(problem).into());
    }
    let profile = args.profile.unwrap_or(Profile::Victims);
    let spec = profile.spec();
    let mut filter = args.filter.to_filter()?;
    filter.attribution = spec.attribution;
    let as_of_point = args.as_of.as_deref().map(AsOf::parse).transpose()?;
    if args.audience != Audience::Full {
        filter.confidentiality = args.audience.levels();
        filter.shown_victims_only = true;
    }
    if let Some(path) = &args.chart {
        output::check_output_path(path, &ctx.db_path()?, args.force)?;
    }
    let mut db = ctx.open(Access::Read)?;
    // --as-of counts a registry rebuilt (in memory) from one snapshot of
    // the log; otherwise the registry itself, on one snapshot.
    let (mut past, as_of) = match as_of_point {
        Some(point) => (
            Some(db.read()?.as_of(point)?),
            format!("{point} (rebuilt from the revision log)"),
        ),
        None => (None, clock::stamp(clock::now()?)),
    };
    let reader = match &mut past {
        Some(past) => past.read()?,
        None => db.read()?,
    };

    let actor_id = match &filter.actor {
        Some(name) => reader.actor_by_name(name)?,
        None => None,
    };
    let with_actors = args.explain
        || profile.needs_actors()
        || args.by.iter().any(|d| d.needs_actors())
        || filter.actor.is_some()
        || !filter.actor_types.is_empty();
    let uses = |d: Dim| args.by.contains(&d);
    // RSF's held and missing figures are a stock on each 1 December, so
    // rsf (and --explain, which shows it) reads the acts before the period.
    let rounds_up = args.explain || profile == Profile::Rsf;
    let wide = Filter {
        from: None,
        ..filter.clone()
    };
    let query = FactQuery {
        filter: if rounds_up { &wide } else { &filter },
        with_actors,
        actor_names: args.explain || uses(Dim::Actor),
        refs: args.explain,
        country: uses(Dim::Country),
        admin1: uses(Dim::Admin1),
        mediums: uses(Dim::Medium),
        victims: args.explain
            || profile.needs_categories()
            || [Dim::Sex, Dim::Category, Dim::Employment, Dim::Medium]
                .iter()
                .any(|d| uses(*d)),
        audience: false,
        only: None,
    };
    let today = match as_of_point {
        Some(AsOf::Day(day)) => day,
        Some(AsOf::Moment(m)) => m.date_naive(),
        None => clock::today()?,
    };
    let named = !filter.verification.is_empty();

    // The default profile's units are kept on write (`db::units`): a
    // summary they answer exactly is counted from them; any other streams
    // the facts. Both give the same table (tests/units.rs holds them to it).
    let answered = if as_of_point.is_none()
        && !args.explain
        && args.chart.is_none()
        && profile == crate::db::units::PROFILE
        && std::env::var_os(STREAM_VAR).is_none_or(|v| v.is_empty())
    {
        reader.count_units(&filter, &args.by)?
    } else {
        None
    };
    let (counts, unverified, vague, undated, bars) = match answered {
        Some(answer) => (
            count::Counts::from_cells(&args.by, answer.rows, vec![answer.total]),
            0,
            answer.vague,
            answer.undated,
            None,
        ),
        None => {
            // The facts come one incident at a time and are counted as they come:
            // every unit of every profile stands on one victim's or one incident's
            // facts, so none spans two incidents, and only the cells are kept.
            let mut tally = count::Tally::new(&spec, &args.by, profile);
            let mut bars = args
                .chart
                .as_ref()
                .map(|_| count::chart::Bars::new(profile, &args.by, &spec));
            let (mut unverified, mut vague, mut undated) = (0usize, 0usize, 0usize);
            // --explain reads one year and lists what it counts: it keeps them.
            let (mut explained, mut explained_rsf) = (Vec::new(), Vec::new());
            reader.for_each_incident_facts(&query, |facts| {
                restrict(facts, &filter, actor_id);
                if facts.is_empty() {
                    return Ok(());
                }
                if filter.disputed && args.audience != Audience::Full {
                    // The query matched any disagreement; count only incidents
                    // whose disagreement the audience would be shown.
                    let rec = reader.incident_of(&facts[0])?;
                    let shown = crate::exchange::profile::apply(args.audience, &rec, &[])
                        .is_some_and(|r| crate::exchange::profile::shows_disagreement(&r));
                    if !shown {
                        return Ok(());
                    }
                }
                let mut facts = std::mem::take(facts);
                let mut before: Vec<Fact> = Vec::new();
                if let (true, Some(from)) = (rounds_up, filter.from) {
                    (facts, before) = facts
                        .into_iter()
                        .partition(|f| f.date.is_some_and(|d| d >= from));
                }
                let rsf_facts = if rounds_up {
                    count::profiles::rsf_round_ups(&facts, &before, filter.from, filter.to, today)
                } else {
                    Vec::new()
                };
                if args.explain {
                    explained.extend(facts);
                    explained_rsf.extend(rsf_facts);
                    return Ok(());
                }
                if profile == Profile::Rsf {
                    facts = rsf_facts;
                }
                let (facts, apart) = count::split_by_verification(&spec, facts, named);
                let units = profile.units(&facts);
                unverified += profile
                    .units(&apart)
                    .iter()
                    .filter(|u| u.columns.contains(&spec.main))
                    .count();
                tally.add(&units);
                if let Some(bars) = &mut bars {
                    bars.add(&units);
                }
                // An incident's facts all come in this one call, so counting its
                // vague dates here counts each incident once.
                let (v, u) = count::vague_dates(&units);
                vague += v;
                undated += u;
                Ok(())
            })?;

            if args.explain {
                let year = args.filter.year.unwrap_or_default();
                let text = explain::explain(
                    &ctx.out,
                    &explained,
                    &explained_rsf,
                    year,
                    args.profile,
                    named,
                );
                ctx.out.print(&text)?;
                return Ok(());
            }

            (tally.finish(), unverified, vague, undated, bars)
        }
    };
    let shown = suppress_counts(&counts, &spec.relations, args.min_cell);
    let left_out = reader.left_out(&filter)?;

    let width = spec.columns.len();
    let report = Report {
        profile: profile.name().to_string(),
        rule: spec.rule.to_string(),
        records: describe(&args.filter, &filter, args.audience),
        as_of,
        by: args.by.iter().map(|d| d.name().to_string()).collect(),
        columns: spec.columns.clone(),
        rows: counts
            .rows
            .iter()
            .enumerate()
            .map(|(i, (key, _))| (key.clone(), shown[i * width..(i + 1) * width].to_vec()))
            .collect(),
        totals: shown[counts.rows.len() * width..].to_vec(),
        main: spec.main,
        min_cell: args.min_cell,
        footnotes: footnotes(
            &args,
            profile,
            counts.overlap,
            &left_out,
            vague,
            undated,
            (
                counts.totals.get(spec.main).copied().unwrap_or(0),
                unverified,
            ),
        ),
    };

    if let (Some(path), Some(bars)) = (&args.chart, bars) {
        let scope = scope(&args.filter, &filter, args.audience);
        chart::write_svg(&bars.finish(args.min_cell, &scope), path)?;
    }

    match args.format {
        // The table escapes its text itself; its header may be bold.
        SummaryFormat::Table => ctx.out.print_built(&render::table(&ctx.out, &report))?,
        SummaryFormat::Csv => {
            // Talk for people on stderr: escaped whatever stdout is.
            ctx.out.talk(&render::csv_notes(&report));
            ctx.out.print(&render::csv(&report)?)?;
        }
        SummaryFormat::Json => ctx.out.print(&render::json(&report)?)?,
        SummaryFormat::Md => ctx.out.print(&render::markdown(&report))?,
    }
    Ok(())
}

/// `--min-cell`: a whole number, 1 (no suppression) or more.
fn parse_min_cell(text: &str) -> Result<u64, String> {
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| "must be a whole number, 1 or more".to_string())
}

/// A combination of flags that cannot work, as a usage error.
fn usage_problem(args: &Args) -> Option<String> {
    if args.explain && args.filter.year.is_none() {
        return Some("--explain needs one year: give --year YYYY".into());
    }
    if args.explain && !matches!(args.format, SummaryFormat::Table) {
        return Some("--explain prints text for people: leave out --format".into());
    }
    let mut seen = BTreeSet::new();
    for d in &args.by {
        if !seen.insert(d.name()) {
            return Some(format!("--by names '{}' twice", d.name()));
        }
    }
    None
}

/// Keeps only the facts the filter names at the level of acts: a summary
/// with `--act killed` counts killings, not everything done in incidents
/// with a killing.
fn restrict(facts: &mut Vec<Fact>, filter: &Filter, actor_id: Option<ActorId>) {
    facts.retain(|f| {
        (filter.acts.is_empty() || filter.acts.contains(&f.act_type))
            && (filter.actor_types.is_empty()
                || (f.actor_id.is_some()
                    && filter
                        .actor_types
                        .contains(&f.actor_type.unwrap_or(ActorType::Unknown))))
            && (filter.actor.is_none() || (actor_id.is_some() && f.actor_id == actor_id))
    });
}

/// The counts and their totals as one list, suppressed as `--min-cell`
/// asks, with the row relations of the profile and, when rows do not
/// overlap, each column's total over its rows.
fn suppress_counts(
    counts: &count::Counts,
    row_relations: &[Relation],
    min: u64,
) -> Vec<suppress::Shown> {
    let width = counts.totals.len();
    let n = counts.rows.len();
    let mut values: Vec<u64> = Vec::with_capacity((n + 1) * width);
    for (_, cells) in &counts.rows {
        values.extend(cells);
    }
    values.extend(&counts.totals);
    let mut relations: Vec<Relation> = Vec::new();
    for r in 0..=n {
        for (t, parts) in row_relations {
            relations.push((r * width + t, parts.iter().map(|p| r * width + p).collect()));
        }
    }
    if !counts.overlap {
        for c in 0..width {
            relations.push((n * width + c, (0..n).map(|r| r * width + c).collect()));
        }
    }
    suppress::suppress(&values, &relations, min)
}

/// The filters a chart's title names, short: what differs from counting
/// every public record of every date and country (the heading says the
/// rest in full).
fn scope(args: &FilterArgs, filter: &Filter, audience: Audience) -> String {
    let names = |v: Vec<&str>| v.join(", ");
    let mut parts: Vec<String> = Vec::new();
    match (args.year, &args.from, &args.to) {
        (Some(y), _, _) => parts.push(y.to_string()),
        (None, Some(f), Some(t)) => parts.push(format!("{f} to {t}")),
        (None, Some(f), None) => parts.push(format!("from {f}")),
        (None, None, Some(t)) => parts.push(format!("to {t}")),
        (None, None, None) => {}
    }
    if !filter.countries.is_empty() {
        parts.push(format!("country {}", filter.countries.join(", ")));
    }
    if let Some(a) = &filter.admin1 {
        parts.push(a.clone());
    }
    if !filter.acts.is_empty() {
        parts.push(names(filter.acts.iter().map(|a| a.as_str()).collect()));
    }
    if let Some(a) = &filter.actor {
        parts.push(format!("actor {a}"));
    }
    if !filter.actor_types.is_empty() {
        parts.push(format!(
            "by {}",
            names(filter.actor_types.iter().map(|a| a.as_str()).collect())
        ));
    }
    if !filter.verification.is_empty() {
        parts.push(names(
            filter.verification.iter().map(|a| a.as_str()).collect(),
        ));
    }
    if !filter.work_link.is_empty() {
        parts.push(format!(
            "work link {}",
            names(filter.work_link.iter().map(|a| a.as_str()).collect())
        ));
    }
    if let Some(v) = &filter.victim {
        parts.push(format!("victim {v}"));
    }
    if let Some(o) = &filter.outlet {
        parts.push(format!("outlet {o}"));
    }
    if filter.disputed {
        parts.push("disputed".into());
    }
    if filter.include_deleted {
        parts.push("deleted included".into());
    }
    match audience {
        Audience::Public => {}
        Audience::Partner => parts.push("public and partner records".into()),
        Audience::Internal => parts.push("restricted records left out".into()),
        Audience::Full => parts.push("every confidentiality level".into()),
    }
    parts.join("; ")
}

/// The records counted, in words, for the heading.
fn describe(args: &FilterArgs, filter: &Filter, audience: Audience) -> String {
    let list = |v: &[String]| v.join(", ");
    let names = |v: Vec<&str>| v.join(", ");
    let mut parts: Vec<String> = Vec::new();
    parts.push(match (args.year, &args.from, &args.to) {
        (Some(y), _, _) => format!("acts dated {y}"),
        (None, Some(f), Some(t)) => format!("acts dated {f} to {t}"),
        (None, Some(f), None) => format!("acts dated from {f}"),
        (None, None, Some(t)) => format!("acts dated to {t}"),
        (None, None, None) => "all dates".into(),
    });
    if filter.countries.is_empty() {
        parts.push("all countries".into());
    } else {
        parts.push(format!("country {}", list(&filter.countries)));
    }
    if let Some(a) = &filter.admin1 {
        parts.push(format!("admin1 {a}"));
    }
    if !filter.acts.is_empty() {
        parts.push(format!(
            "acts {}",
            names(filter.acts.iter().map(|a| a.as_str()).collect())
        ));
    }
    if let Some(a) = &filter.actor {
        parts.push(format!("actor {a}"));
    }
    if !filter.actor_types.is_empty() {
        parts.push(format!(
            "actor type on the act's date {}",
            names(filter.actor_types.iter().map(|a| a.as_str()).collect())
        ));
    }
    if filter.verification.is_empty() {
        parts.push("verification other than rejected, duplicate or out_of_scope".into());
    } else {
        parts.push(format!(
            "verification {}",
            names(filter.verification.iter().map(|a| a.as_str()).collect())
        ));
    }
    if !filter.work_link.is_empty() {
        parts.push(format!(
            "work link {}",
            names(filter.work_link.iter().map(|a| a.as_str()).collect())
        ));
    }
    if let Some(v) = &filter.victim {
        parts.push(format!("victim named like {v}"));
    }
    if let Some(o) = &filter.outlet {
        parts.push(format!("outlet like {o}"));
    }
    if filter.disputed {
        parts.push("disputed only".into());
    }
    parts.push(if filter.include_deleted {
        "deleted incidents included".into()
    } else {
        "deleted incidents left out".into()
    });
    parts.push(
        match audience {
            Audience::Public => "public records only",
            Audience::Partner => "public and partner records only",
            Audience::Internal => "restricted records left out",
            Audience::Full => "records at every confidentiality level",
        }
        .into(),
    );
    parts.join("; ")
}

/// The footnotes: overlapping rows, what was left out, vague dates,
/// suppression.
fn footnotes(
    args: &Args,
    profile: Profile,
    overlap: bool,
    left: &LeftOut,
    vague: usize,
    undated: usize,
    (verified, unverified): (u64, usize),
) -> Vec<String> {
    let mut notes = Vec::new();
    if unverified > 0 {
        let spec = profile.spec();
        let levels: Vec<&str> = spec.verification.iter().map(|v| v.as_str()).collect();
        // Under --min-cell the total is in the table, suppressed as it must
        // be, and a small count here is shown as the table would show it.
        let verified = if args.min_cell > 1 {
            "as in the total".to_string()
        } else {
            verified.to_string()
        };
        let unverified = if (unverified as u64) < args.min_cell {
            format!("<{}", args.min_cell)
        } else {
            unverified.to_string()
        };
        notes.push(format!(
            "Verified: {verified} ({} incidents); reported, not yet verified: {unverified}, not \
             counted (--verification names the levels to count).",
            levels.join(" or ")
        ));
    }
    if overlap {
        notes.push("Rows overlap: one victim or incident can count in several rows (several perpetrators, mediums, acts or dates); each total counts it once and is not the sum of its rows.".to_string());
    }
    if profile == Profile::Cpj && args.by.contains(&Dim::ActorType) {
        notes.push(
            "actor_type shows CPJ's source of fire for the actor's type on the act's date.".into(),
        );
    }
    let parts: Vec<String> = [
        (left.rejected, "rejected"),
        (left.duplicate, "duplicate"),
        (left.out_of_scope, "out_of_scope"),
        (left.deleted, "deleted"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    if !parts.is_empty() {
        let n = left.rejected + left.duplicate + left.out_of_scope + left.deleted;
        notes.push(format!(
            "Left out: {n} {} ({}); --verification or --include-deleted counts them.",
            plural(n, "incident", "incidents"),
            parts.join(", ")
        ));
    }
    if vague > 0 {
        notes.push(if vague == 1 {
            "1 incident has only a year or an approximate date; it counts in its year.".into()
        } else {
            format!("{vague} incidents have only a year or an approximate date; they count in their year.")
        });
    }
    if undated > 0 {
        notes.push(if undated == 1 {
            "1 incident has no known date; it counts under year unknown.".into()
        } else {
            format!("{undated} incidents have no known date; they count under year unknown.")
        });
    }
    if args.min_cell > 1 {
        let n = args.min_cell;
        let small = if n == 2 {
            "Counts of 1".to_string()
        } else {
            format!("Counts from 1 to {}", n - 1)
        };
        notes.push(format!(
            "{small} are shown as <{n}; — marks a count withheld, of any size, so that no small count can be worked out from the others."
        ));
    }
    notes
}

fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

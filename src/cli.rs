//! The command line: global options, the list of commands, the flag groups
//! several commands share (with the conflicts between their flags, declared
//! here once so every command refuses them alike), where the registry is,
//! and how clap's errors are reported (through `output::say`, like every
//! `pressreg:` line; exit 1 for a refused value, 2 for a malformed command
//! line).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::cmd;
use crate::db::query::Filter;
use crate::vocab::*;
use crate::{clock, country, dates};

/// A registry of attacks on journalists and media workers.
///
/// pressreg records incidents (killings, kidnappings, wounding, arrests,
/// threats) with their victims, acts, suspected perpetrators and sources, in
/// one SQLite file; it answers with lists, yearly summaries by the rules of
/// other monitors, CSV and JSON exports, and text for advocacy letters.
#[derive(Debug, Parser)]
#[command(
    name = "pressreg",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(after_help = "EXAMPLES:
  pressreg init
  pressreg add --date 2021-08-08 --country AF --victim \"Toofan Omar\" --act killed \\
      --actor Taliban --actor-type armed_group --source-url https://example.org/report
  pressreg list --country AF --year 2021
  pressreg summary --year 2021 --by country,act")]
pub struct Cli {
    /// The registry file [default: pressreg.db in the user's data directory]
    #[arg(long, global = true, env = "PRESSREG_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// When to use colour on the terminal
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Command,
}

/// When to colour output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Only on a terminal, and never with NO_COLOR set
    Auto,
    Always,
    Never,
}

/// Every command. The source tree mirrors this list: `src/cmd/<name>.rs`.
#[derive(Debug, Subcommand)]
pub enum Command {
    Init(cmd::init::Args),
    Rekey(cmd::rekey::Args),
    Add(Box<cmd::add::Args>),
    Victim(cmd::victim::Args),
    Act(cmd::act::Args),
    Perpetrator(cmd::perpetrator::Args),
    Source(cmd::source::Args),
    Claim(cmd::claim::Args),
    Actor(cmd::actor::Args),
    #[command(visible_alias = "ls")]
    List(cmd::list::Args),
    Show(cmd::show::Args),
    Edit(cmd::edit::Args),
    Delete(cmd::delete::Args),
    Restore(cmd::restore::Args),
    History(cmd::history::Args),
    Import(cmd::import::Args),
    Export(cmd::export::Args),
    Summary(cmd::summary::Args),
    Letter(cmd::letter::Args),
    Duplicates(cmd::duplicates::Args),
    MergeRecords(cmd::merge_records::Args),
    Check(cmd::check::Args),
    Backup(cmd::backup::Args),
}

/// The output formats of `list`, `show` and friends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for people
    Table,
    Csv,
    /// One JSON array
    Json,
    /// One JSON object per line
    Jsonl,
}

/// The filters shared by list, export, summary and letter.
#[derive(Debug, Default, Clone, Args)]
#[command(next_help_heading = "Filters")]
pub struct FilterArgs {
    /// Only incidents in this year (not with --from/--to)
    // One declaration for every command with these filters: clap refuses
    // --year with --from or --to as a usage error, so no command has to.
    #[arg(long, value_name = "YYYY", conflicts_with_all = ["from", "to"])]
    pub year: Option<i32>,
    /// Only incidents on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only incidents on or before this date (YYYY, YYYY-MM or YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only incidents in these countries (ISO codes, comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "CC")]
    pub country: Vec<String>,
    /// Only incidents in this province or state
    #[arg(long, value_name = "NAME")]
    pub admin1: Option<String>,
    /// Only incidents with one of these acts
    #[arg(long, value_delimiter = ',', value_name = "TYPE")]
    pub act: Vec<ActType>,
    /// Only incidents in which this actor (name or alias) is named
    #[arg(long, value_name = "NAME")]
    pub actor: Option<String>,
    /// Only incidents with a perpetrator of this type on the act's date
    #[arg(long, value_delimiter = ',', value_name = "TYPE")]
    pub actor_type: Vec<ActorType>,
    /// Only incidents at these verification levels
    #[arg(long, value_delimiter = ',', value_name = "LEVEL")]
    pub verification: Vec<Verification>,
    /// Only incidents with these work links
    #[arg(long, value_delimiter = ',', value_name = "LINK")]
    pub work_link: Vec<WorkLink>,
    /// Only incidents with a victim of this name (or name variant)
    #[arg(long, value_name = "NAME")]
    pub victim: Option<String>,
    /// Only incidents with a victim working for this outlet
    #[arg(long, value_name = "NAME")]
    pub outlet: Option<String>,
    /// Only incidents whose sources disagree
    #[arg(long)]
    pub disputed: bool,
    /// Include deleted incidents
    #[arg(long)]
    pub include_deleted: bool,
}

impl FilterArgs {
    /// The checked filter, or an error naming the bad value.
    pub fn to_filter(&self) -> Result<Filter> {
        let today = clock::today()?;
        let mut filter = Filter {
            countries: self
                .country
                .iter()
                .map(|c| country::check(c))
                .collect::<Result<_>>()?,
            admin1: self.admin1.clone(),
            acts: self.act.clone(),
            actor: self.actor.clone(),
            actor_types: self.actor_type.clone(),
            verification: self.verification.clone(),
            work_link: self.work_link.clone(),
            victim: self.victim.clone(),
            outlet: self.outlet.clone(),
            disputed: self.disputed,
            include_deleted: self.include_deleted,
            ..Filter::default()
        };
        if let Some(y) = self.year {
            if !(1900..=9999).contains(&y) {
                return Err(anyhow!("--year {y} is not a year (accepted: 1900 to 9999)"));
            }
            filter.from = chrono::NaiveDate::from_ymd_opt(y, 1, 1);
            filter.to = chrono::NaiveDate::from_ymd_opt(y, 12, 31);
        }
        // Bounds are inclusive whole periods: --to 2021 means to 31 December.
        // They may lie in the future ("--to 2030"). clap has made sure they
        // do not come with --year.
        let far = chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(today);
        if let Some(f) = &self.from {
            let spec =
                dates::parse(f, Calendar::Gregorian, far).map_err(|e| anyhow!("--from: {e}"))?;
            filter.from = spec.start;
        }
        if let Some(t) = &self.to {
            let spec =
                dates::parse(t, Calendar::Gregorian, far).map_err(|e| anyhow!("--to: {e}"))?;
            filter.to = spec.end.or(spec.start);
        }
        Ok(filter)
    }
}

/// Where the registry is: `--db`, else `PRESSREG_DB`, else `pressreg.db` in
/// the user's data directory. Nothing is created here: a command that only
/// reads creates nothing, and only `init` makes the data directory
/// (`create_data_dir`).
pub fn registry_path(cli_db: &Option<PathBuf>) -> Result<PathBuf> {
    if let Some(p) = cli_db {
        return Ok(p.clone());
    }
    Ok(data_dir()?.join("pressreg.db"))
}

fn data_dir() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("org", "pressreg", "pressreg").ok_or_else(|| {
        anyhow!("cannot find a data directory for the registry: give --db PATH or set PRESSREG_DB")
    })?;
    Ok(dirs.data_dir().to_path_buf())
}

/// Creates the user's data directory for the default registry, owner-only.
pub fn create_data_dir() -> Result<()> {
    let dir = data_dir()?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| anyhow!("failed to create data directory '{}': {e}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
    }
    Ok(())
}

/// Prints a clap error and returns its exit code. Help and version go to
/// stdout with 0. A value clap refused (an unknown act type, say) is bad
/// input like any other: one line naming the value and what is accepted,
/// exit 1. Other mistakes in the command line are usage errors: exit 2.
pub fn report_parse_error(err: clap::Error) -> ExitCode {
    match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let arg = match err.get(ContextKind::InvalidArg) {
                Some(ContextValue::String(s)) => {
                    s.split_whitespace().next().unwrap_or("").to_string()
                }
                _ => String::new(),
            };
            let value = match err.get(ContextKind::InvalidValue) {
                Some(ContextValue::String(s)) => s.clone(),
                _ => String::new(),
            };
            let accepted = match err.get(ContextKind::ValidValue) {
                Some(ContextValue::Strings(v)) => format!(" (accepted: {})", v.join(", ")),
                _ => String::new(),
            };
            let detail = match err.kind() {
                ErrorKind::ValueValidation => {
                    use std::error::Error;
                    err.source().map(|s| format!(": {s}")).unwrap_or_default()
                }
                _ => String::new(),
            };
            crate::output::say(&format!(
                "invalid value '{value}' for {arg}{detail}{accepted}"
            ));
            ExitCode::FAILURE
        }
        _ => {
            let rendered = err.render().to_string();
            let mut first = rendered
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ")
                .to_string();
            // clap lists the missing arguments on the lines that follow;
            // the one line we print must still name them.
            if let Some(ContextValue::Strings(missing)) = err.get(ContextKind::InvalidArg) {
                first = format!("{}: {}", first.trim_end_matches(':'), missing.join(", "));
            }
            let tip = rendered
                .lines()
                .find(|l| l.trim_start().starts_with("Usage:"))
                .map(|u| format!(" ({})", u.trim()))
                .unwrap_or_default();
            crate::output::say(&format!("{first}{tip}"));
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}

//! The command line: global options, the list of commands, the flag groups
//! several commands share (with the conflicts between their flags, declared
//! here once so every command refuses them alike), where the registry is,
//! and how clap's errors are reported (through `output::say`, like every
//! `pressreg:` line; exit 1 for a refused value, 2 for a malformed command
//! line).

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use clap_complete::engine::{ArgValueCandidates, ArgValueCompleter};

use crate::cmd;
use crate::db::query::Filter;
use crate::vocab::*;
use crate::{clock, complete, country, dates};

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
  pressreg summary --year 2021 --by country,act

ENVIRONMENT:
  PRESSREG_DB        the registry file, when --db is not given
  PRESSREG_KEY_FILE  the key file of an encrypted registry
  PRESSREG_KEY       its passphrase, for scripts (else it is asked for)
  PRESSREG_USER      the name the revision log gives to your changes
                     [default: your login name]
  NO_COLOR           no colour (with --color auto)")]
pub struct Cli {
    /// The registry file [default: pressreg.db in the user's data directory]
    #[arg(long, global = true, env = "PRESSREG_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// When to use colour on the terminal
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    /// Show tables whole, however wide (else they fit the terminal)
    #[arg(long, global = true, conflicts_with = "width")]
    pub wide: bool,

    /// Fit tables in N columns [default: COLUMNS, else the terminal's width; no limit in a pipe]
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(20..))]
    pub width: Option<u16>,

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
    Completions(cmd::completions::Args),
    Man(cmd::man::Args),
    Merge(cmd::merge::Args),
}

/// The shells `completions` writes for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

/// The command line as parsed, completed and documented: the derived
/// definitions with the rules every command shares applied once here, so
/// no command has to remember them ([`arg_rules`]).
pub fn command() -> clap::Command {
    house_rules(Cli::command())
}

/// Parses the process's arguments with [`command`]'s rules.
pub fn parse() -> Result<Cli, clap::Error> {
    let args: Vec<OsString> = std::env::args_os().collect();
    let mut cmd = named_with_rules(Cli::command(), &args);
    let matches = cmd.try_get_matches_from_mut(args)?;
    Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut cmd))
}

/// [`command`] as far as `args` can reach it: the house rules on the
/// top level and on every command whose name or alias is one of the
/// words, the others as derived. Walking all 26 commands' flags cost
/// every run a share of its start (B5: one `add`, a whole process), and
/// a run parses, or shows the help of, only commands it names. Any word
/// counts, not only the command's place: `--db add` names the file, but
/// the command after it gets its rules all the same.
fn named_with_rules(cmd: clap::Command, args: &[OsString]) -> clap::Command {
    let named = |c: &clap::Command| {
        args.iter()
            .any(|a| a == c.get_name() || c.get_all_aliases().any(|alias| a == alias))
    };
    top_rules(cmd).mut_subcommands(|sub| if named(&sub) { house_rules(sub) } else { sub })
}

fn house_rules(cmd: clap::Command) -> clap::Command {
    top_rules(cmd).mut_subcommands(house_rules)
}

/// The rules of one command, without its subcommands.
fn top_rules(cmd: clap::Command) -> clap::Command {
    let examples = cmd.get_after_help().map(|h| fit_examples(&h.to_string()));
    let cmd = match examples {
        Some(text) => cmd.after_help(text),
        None => cmd,
    };
    cmd.mut_args(arg_rules)
}

/// A value that may begin with '-', unless it is a long flag's name: with
/// `--title --date 2021` the title was forgotten, and `--date` must not
/// become the title.
fn not_a_flag(value: &str) -> Result<String, String> {
    let flag_like = value.strip_prefix("--").is_some_and(|rest| {
        rest.starts_with(|c: char| c.is_ascii_lowercase())
            && rest.chars().all(|c| c.is_ascii_lowercase() || c == '-')
    });
    if flag_like {
        return Err(
            "a flag where its value should be (a value may begin with '-', e.g. -2+3)".to_string(),
        );
    }
    Ok(value.to_string())
}

/// The widest example line: clap wraps help at the terminal's width, and
/// a line wider than a terminal of 80 columns would be cut between a flag
/// and its value.
const EXAMPLE_WIDTH: usize = 78;

/// Breaks each example command wider than [`EXAMPLE_WIDTH`] before one of
/// its flags, with the shell's ` \` continuation, so every example can be
/// pasted as it reads and is never wrapped in the middle of a flag.
fn fit_examples(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut continued = false;
    for line in text.lines() {
        let command = continued || line.contains("pressreg ");
        continued = line.ends_with('\\');
        if line.chars().count() <= EXAMPLE_WIDTH || !command {
            out.push(line.to_string());
            continue;
        }
        let (body, tail) = match line.strip_suffix(" \\") {
            Some(body) => (body, " \\"),
            None => (line, ""),
        };
        let indent = body.len() - body.trim_start().len();
        let next_indent = " ".repeat(if indent <= 2 { indent + 4 } else { indent });
        let mut pieces = flag_pieces(body.trim_start()).into_iter();
        let mut current = format!(
            "{}{}",
            " ".repeat(indent),
            pieces.next().unwrap_or_default()
        );
        for piece in pieces {
            if current.chars().count() + 1 + piece.chars().count() + 2 > EXAMPLE_WIDTH {
                out.push(format!("{current} \\"));
                current = format!("{next_indent}{piece}");
            } else {
                current = format!("{current} {piece}");
            }
        }
        out.push(format!("{current}{tail}"));
    }
    out.join("\n")
}

/// A command's words grouped so each group starts with a flag (`--act
/// killed`), keeping quoted text whole.
fn flag_pieces(command: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in command.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                word.push(c);
            }
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    let mut pieces: Vec<String> = Vec::new();
    for w in words {
        match pieces.last_mut() {
            Some(last) if !w.starts_with('-') => {
                last.push(' ');
                last.push_str(&w);
            }
            _ => pieces.push(w),
        }
    }
    pieces
}

/// The rules every argument follows, by what it takes:
/// * an empty default is no default worth showing (`[default: ""]`);
/// * free text and names may begin with '-' (`--title -2+3`, a latitude
///   south of the equator) without `--title=-2+3`; a flag the command
///   knows still ends the value;
/// * a ref, an actor's name and a country code complete from the registry
///   or ISO 3166 (`complete.rs`); vocabularies complete by themselves.
fn arg_rules(arg: Arg) -> Arg {
    let value_name = arg
        .get_value_names()
        .and_then(|names| names.first())
        .map(|n| n.as_str().to_string())
        .unwrap_or_default();
    let defaults = arg.get_default_values();
    let empty_default = !defaults.is_empty() && defaults.iter().all(|d| d.is_empty());
    let is_actor = arg.get_id() == "actor";
    let mut arg = arg.hide_default_value(empty_default);
    let text = arg.get_value_parser().type_id() == clap::builder::ValueParser::string().type_id();
    if text && matches!(value_name.as_str(), "TEXT" | "NAME" | "LAT,LON") {
        arg = arg
            .allow_hyphen_values(true)
            .value_parser(clap::builder::ValueParser::new(not_a_flag));
    }
    match value_name.as_str() {
        "REF" => arg = arg.add(ArgValueCompleter::new(complete::refs)),
        "CC" => arg = arg.add(ArgValueCandidates::new(complete::countries)),
        _ if is_actor => arg = arg.add(ArgValueCandidates::new(complete::actors)),
        _ => {}
    }
    arg
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
/// input like any other: one line naming the value, what it probably
/// meant (the same `vocab::did_you_mean` as every other path) and what is
/// accepted, exit 1. Other mistakes in the command line are usage errors:
/// one line with every missing flag at once, clap's own tip (`a similar
/// argument exists: '--victim'`) and the usage, exit 2.
pub fn report_parse_error(err: clap::Error) -> ExitCode {
    let arg = match err.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => s.split_whitespace().next().unwrap_or("").to_string(),
        _ => String::new(),
    };
    let value = match err.get(ContextKind::InvalidValue) {
        Some(ContextValue::String(s)) => s.clone(),
        _ => String::new(),
    };
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
        // clap says "invalid value" for a flag given no value at all.
        ErrorKind::InvalidValue if value.is_empty() => {
            let full = match err.get(ContextKind::InvalidArg) {
                Some(ContextValue::String(s)) => s.clone(),
                _ => arg.clone(),
            };
            crate::output::say(&format!("{arg} needs a value (give {full})"));
            ExitCode::from(2)
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let (accepted, suggestion) = match err.get(ContextKind::ValidValue) {
                Some(ContextValue::Strings(v)) => {
                    let names: Vec<&str> = v.iter().map(String::as_str).collect();
                    (
                        format!(" (accepted: {})", v.join(", ")),
                        crate::vocab::did_you_mean(&value, &names),
                    )
                }
                _ => (String::new(), String::new()),
            };
            let detail = match err.kind() {
                ErrorKind::ValueValidation => {
                    use std::error::Error;
                    err.source().map(|s| format!(": {s}")).unwrap_or_default()
                }
                _ => String::new(),
            };
            crate::output::say(&format!(
                "invalid value '{value}' for {arg}{detail}{suggestion}{accepted}"
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
            // the one line we print must still name them, all of them.
            if let Some(ContextValue::Strings(missing)) = err.get(ContextKind::InvalidArg) {
                first = format!("{}: {}", first.trim_end_matches(':'), missing.join(", "));
            }
            // clap's tips ("a similar argument exists: '--victim'") are
            // the did-you-mean for commands and flags: keep them.
            let tips: String = rendered
                .lines()
                .filter_map(|l| l.trim_start().strip_prefix("tip: "))
                // "to pass '--since' as a value, use '-- --since'": free
                // text takes a leading '-' as it is, so that tip misleads.
                .filter(|t| !t.starts_with("to pass '"))
                .map(|t| format!("; {t}"))
                .collect();
            crate::output::say(&format!("{first}{tips}{}", usage_of(&rendered)));
            ExitCode::from(2)
        }
    }
}

/// ` (Usage: …)` from clap's rendered error, or nothing.
fn usage_of(rendered: &str) -> String {
    rendered
        .lines()
        .find(|l| l.trim_start().starts_with("Usage:"))
        .map(|u| format!(" ({})", u.trim()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Debug;

    #[test]
    fn verify_cli() {
        command().debug_assert();
    }

    /// A run gets the rules of every command it names, as [`command`]
    /// has them: each command's help (every flag, default and example) and
    /// its completers and parsers are the same whichever way the tree was
    /// made.
    #[test]
    fn a_named_command_has_the_rules_of_the_whole_tree() {
        fn rules(
            root: &mut clap::Command,
            path: &[String],
        ) -> (String, Vec<impl PartialEq + Debug>) {
            root.build();
            let mut c = root;
            for name in path {
                c = c.find_subcommand_mut(name).expect("named command");
            }
            let args = c
                .get_arguments()
                .map(|a| {
                    (
                        a.get_id().to_string(),
                        a.get::<ArgValueCompleter>().is_some(),
                        a.get::<ArgValueCandidates>().is_some(),
                        a.is_allow_hyphen_values_set(),
                        a.get_value_parser().type_id(),
                    )
                })
                .collect();
            (c.render_long_help().to_string(), args)
        }
        fn walk(path: &mut Vec<String>) {
            let args: Vec<OsString> = std::iter::once("pressreg")
                .chain(path.iter().map(String::as_str))
                .map(OsString::from)
                .collect();
            let mut whole = command();
            let mut named = named_with_rules(Cli::command(), &args);
            assert_eq!(rules(&mut named, path), rules(&mut whole, path), "{path:?}");
            let subs: Vec<String> = path
                .iter()
                .fold(&whole, |c, n| c.find_subcommand(n).expect("command"))
                .get_subcommands()
                .map(|s| s.get_name().to_string())
                .filter(|name| name != "help")
                .collect();
            for sub in subs {
                path.push(sub);
                walk(path);
                path.pop();
            }
        }
        walk(&mut Vec::new());
    }

    #[test]
    fn every_example_fits_a_terminal_of_80_columns() {
        fn walk(cmd: &clap::Command) {
            if let Some(help) = cmd.get_after_help() {
                for line in help.to_string().lines() {
                    assert!(
                        line.chars().count() <= EXAMPLE_WIDTH,
                        "{}: {line}",
                        cmd.get_name()
                    );
                }
            }
            cmd.get_subcommands().for_each(walk);
        }
        walk(&command());
    }

    #[test]
    fn long_examples_break_before_a_flag() {
        let long = "  pressreg act add AF-2021-0001 --victim 1 --type killed --death-context after_assault --date 2021-08-15";
        assert_eq!(
            fit_examples(long),
            "  pressreg act add AF-2021-0001 --victim 1 --type killed \\\n      \
             --death-context after_assault --date 2021-08-15"
        );
        let quoted = "  pressreg actor add \"Islamic State Khorasan\" --type armed_group --alias ISKP --alias IS-K";
        assert_eq!(
            fit_examples(quoted),
            "  pressreg actor add \"Islamic State Khorasan\" --type armed_group \\\n      \
             --alias ISKP --alias IS-K"
        );
    }
}

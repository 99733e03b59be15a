//! `pressreg letter`: the cases as sentences an advocacy officer can paste
//! into a letter, each with its sources, then a paragraph of counts taken
//! from the same sentences. The wording lives in `crate::prose`; this
//! command chooses the records: those the profile may show (public by
//! default), matched by filters on what the profile shows only, and
//! rejected, out-of-scope and duplicate reports are left out unless asked
//! for with `--verification`.

use anyhow::Result;
use clap::ValueEnum;

use super::Ctx;
use crate::cli::FilterArgs;
use crate::db::Access;
use crate::exchange::profile::Profile;
use crate::prose::{self, Case};
use crate::vocab::*;

/// The cases as sentences for an advocacy letter, with their sources and a counts paragraph
///
/// Public records only unless --profile says otherwise: the letter shows
/// what `export` with the same profile shows, and filters match only what
/// it shows. Victims who asked not to be named are described, never named;
/// notes, summaries and confidential sources never appear, whatever the
/// profile. Every clause comes from a recorded field, link or claim.
/// Rejected, out-of-scope and duplicate reports are left out unless
/// --verification asks for them.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg letter --country AF --year 2021
  pressreg letter --country AF --act killed --format md > cases.md
  pressreg letter --from 2021-08 --to 2021-12 --format csv > cases.csv
  pressreg letter --profile partner --country AF --year 2021")]
pub struct Args {
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Who the letter is for: which records it may speak of
    #[arg(long, value_enum, default_value_t = Profile::Public)]
    pub profile: Profile,
    /// Output format
    #[arg(long, value_enum, default_value_t = LetterFormat::Txt)]
    pub format: LetterFormat,
}

/// How `letter` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LetterFormat {
    /// Plain text: one paragraph per line (pastes without broken lines)
    Txt,
    /// Markdown: the same paragraphs with the refs in bold
    Md,
    /// One row per case: ref, date, country, sentence, sources
    Csv,
}

/// Runs `letter`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let mut filter = args.filters.to_filter()?;
    filter.confidentiality = args.profile.levels();
    filter.shown_victims_only = true;
    if filter.verification.is_empty() {
        filter.verification = Verification::ALL
            .iter()
            .copied()
            .filter(|v| v.counted_by_default())
            .collect();
    }
    let mut db = ctx.open(Access::Read)?;
    let r = db.read()?;
    let mut cases = Vec::new();
    r.for_each_incident(&filter, |id| {
        let Some(case) = Case::from_record(args.profile, &r.load_incident(id)?) else {
            return Ok(());
        };
        // The query matches any unaccepted claim; the letter shows only
        // some (public sources, dates and places): --disputed must not
        // confirm a disagreement the letter hides.
        if !filter.disputed || case.disputed {
            cases.push(case);
        }
        Ok(())
    })?;
    if cases.is_empty() && args.format != LetterFormat::Csv {
        match args.profile {
            Profile::Public => ctx.out.note("no public incident matches these filters"),
            p => ctx.out.note(&format!(
                "no incident the {} profile shows matches these filters",
                p.to_possible_value()
                    .map(|v| v.get_name().to_string())
                    .unwrap_or_default()
            )),
        }
        return Ok(());
    }
    let text = match args.format {
        LetterFormat::Txt => prose::paragraphs(&cases, false, args.profile),
        LetterFormat::Md => prose::paragraphs(&cases, true, args.profile),
        LetterFormat::Csv => prose::csv(&cases)?,
    };
    ctx.out.print(&ctx.out.text(&text))?;
    Ok(())
}

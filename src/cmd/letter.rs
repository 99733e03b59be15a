//! `pressreg letter`: the cases as sentences an advocacy officer can paste
//! into a letter, then a paragraph of counts taken from the same sentences.
//! The wording lives in `crate::prose`; this command chooses the records:
//! public ones only, and rejected, out-of-scope and duplicate reports are
//! left out unless asked for with `--verification`.

use anyhow::Result;

use super::Ctx;
use crate::cli::FilterArgs;
use crate::db::Access;
use crate::prose::{self, Case};
use crate::vocab::*;

/// The cases as sentences for an advocacy letter, with a counts paragraph
///
/// Public records only: incidents, victims and sources marked public;
/// victims who asked not to be named are described, not named; private
/// notes and confidential sources never appear. Rejected, out-of-scope and
/// duplicate reports are left out unless --verification asks for them.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  pressreg letter --country AF --year 2021
  pressreg letter --country AF --act killed --format md > cases.md
  pressreg letter --from 2021-08 --to 2021-12 --format csv > cases.csv")]
pub struct Args {
    #[command(flatten)]
    pub filters: FilterArgs,
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
    /// One row per case: ref, date, country, sentence
    Csv,
}

/// Runs `letter`.
pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let mut filter = args.filters.to_filter()?;
    filter.confidentiality = vec![Confidentiality::Public];
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
        if let Some(case) = Case::from_record(&r.load_incident(id)?) {
            cases.push(case);
        }
        Ok(())
    })?;
    if cases.is_empty() && args.format != LetterFormat::Csv {
        ctx.out.note("no public incident matches these filters");
        return Ok(());
    }
    let text = match args.format {
        LetterFormat::Txt => prose::paragraphs(&cases, false),
        LetterFormat::Md => prose::paragraphs(&cases, true),
        LetterFormat::Csv => prose::csv(&cases)?,
    };
    ctx.out.print(&ctx.out.text(&text))?;
    Ok(())
}

//! pressreg: a command-line registry of attacks on journalists and media
//! workers, on embedded SQLite.
//!
//! `main` owns the exit codes: 0 success, 1 failure (one line
//! `pressreg: …` on stderr), 2 usage error (clap's, or a `cmd::Usage` a
//! command found). Commands return `Ok` or an error; nothing else picks an
//! exit code or exits the process.

mod chart;
mod cli;
mod clock;
mod cmd;
mod complete;
mod count;
mod country;
mod dates;
mod db;
mod dups;
mod exchange;
mod fields;
mod model;
mod output;
mod prompt;
mod prose;
mod validate;
mod vocab;

use std::process::ExitCode;

fn main() -> ExitCode {
    // A shell asking for completions (COMPLETE=bash) is answered, and the
    // process ends there.
    complete::answer_shell();
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(err) => return cli::report_parse_error(err),
    };
    match cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // A closed pipe (`pressreg list | head`) is the reader's choice,
            // not a failure.
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            output::say(&format!("{err:#}"));
            if err.downcast_ref::<cmd::Usage>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

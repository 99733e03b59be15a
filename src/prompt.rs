//! Asking a person for values, one line at a time (`pressreg add` on a
//! terminal with no flags).
//!
//! Invariants: questions and error lines go to the writer given (stderr),
//! never to stdout, which stays data only; an invalid answer is answered with
//! the same one-line error a flag would get and the question is asked again;
//! Enter takes the default shown in brackets; the end of input stops the
//! command before anything is written.

use std::io::{BufRead, Write};

use anyhow::{bail, Context as _, Result};

/// Asks questions on `output` and reads answers from `input`.
pub struct Prompter<R, W> {
    input: R,
    output: W,
}

impl<R: BufRead, W: Write> Prompter<R, W> {
    /// A prompter reading `input` and asking on `output`.
    pub fn new(input: R, output: W) -> Self {
        Prompter { input, output }
    }

    /// Asks `question` until `parse` accepts the answer. An empty answer is
    /// `default` when there is one; a default of "" is shown as optional.
    pub fn ask<T>(
        &mut self,
        question: &str,
        default: Option<&str>,
        parse: impl Fn(&str) -> Result<T>,
    ) -> Result<T> {
        loop {
            match default {
                Some("") => write!(self.output, "{question} (optional): "),
                Some(d) => write!(self.output, "{question} [{d}]: "),
                None => write!(self.output, "{question}: "),
            }
            .and_then(|_| self.output.flush())
            .context("failed to write the question")?;
            let mut line = String::new();
            let n = self
                .input
                .read_line(&mut line)
                .context("failed to read the answer")?;
            if n == 0 {
                let _ = writeln!(self.output);
                bail!("input ended before the incident was complete; nothing was written");
            }
            let answer = line.trim();
            let answer = match default {
                Some(d) if answer.is_empty() => d,
                _ => answer,
            };
            match parse(answer) {
                Ok(value) => return Ok(value),
                Err(e) => {
                    // The same line the flag would get from `main`.
                    let line = crate::output::said(&format!("{e:#}"));
                    self.output
                        .write_all(line.as_bytes())
                        .context("failed to write the error")?;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(s: &str) -> Result<u32> {
        s.parse()
            .map_err(|_| anyhow::anyhow!("'{s}' is not a number"))
    }

    #[test]
    fn asks_again_after_an_invalid_answer() -> Result<()> {
        let mut out = Vec::new();
        let n = Prompter::new("x\n7\n".as_bytes(), &mut out).ask("Age", None, number)?;
        assert_eq!(n, 7);
        assert_eq!(
            String::from_utf8(out)?,
            "Age: pressreg: 'x' is not a number\nAge: "
        );
        Ok(())
    }

    #[test]
    fn enter_takes_the_default() -> Result<()> {
        let mut out = Vec::new();
        let n = Prompter::new("\n".as_bytes(), &mut out).ask("Age", Some("30"), number)?;
        assert_eq!(n, 30);
        assert_eq!(String::from_utf8(out)?, "Age [30]: ");
        Ok(())
    }

    #[test]
    fn end_of_input_is_an_error() {
        let mut out = Vec::new();
        let err = Prompter::new("".as_bytes(), &mut out)
            .ask("Age", None, number)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "input ended before the incident was complete; nothing was written"
        );
    }
}

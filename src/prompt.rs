//! Asking a person: questions on a terminal (`pressreg add` with no flags)
//! and a record opened in their editor (`pressreg edit REF` with no --set).
//!
//! The questions are drawn by the `inquire` crate, which owns the terminal
//! (raw mode, arrow keys, filtering, restoring the terminal on every exit):
//! this module only says what to ask and turns its answers and errors into
//! the program's. Invariants: questions go to stderr, never to stdout, which
//! stays data only; an answer is checked by the caller's rule, the one its
//! flag uses, and a rejected answer shows that rule's message under the
//! question until it is fixed; Ctrl-C or Esc stops the command with
//! nothing written.
//!
//! The editor's file is the one place an incident's plaintext leaves the
//! encrypted registry while the program runs (SECURITY R22): it is made in
//! a directory only the user can enter (mode 0700, under $XDG_RUNTIME_DIR,
//! a memory file system, when there is one), as a file only the user can
//! read (0600), removed with its directory when the editor is done or on
//! any error; on SIGTERM, SIGHUP or SIGQUIT the signal handler of `output`
//! removes the file (the empty directory stays: a handler can only unlink
//! one path safely). While the editor runs, Ctrl-C belongs to the editor.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{anyhow, bail, Context as _, Result};
use inquire::autocompletion::Replacement;
use inquire::error::CustomUserError;
use inquire::validator::Validation;
use inquire::{Autocomplete, Confirm, InquireError, MultiSelect, Select, Text};

use crate::vocab::Vocabulary;

/// What the command says when the person stops it with Ctrl-C or Esc.
pub const STOPPED: &str = "stopped before the incident was recorded; nothing was written";

/// Sets how questions look: colour only when NO_COLOR is not set.
pub fn style() {
    let config = if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        inquire::ui::RenderConfig::empty()
    } else {
        inquire::ui::RenderConfig::default_colored()
    };
    inquire::set_global_render_config(config);
}

/// The program's error for a question that was not answered.
fn stopped(e: InquireError) -> anyhow::Error {
    match e {
        InquireError::OperationCanceled | InquireError::OperationInterrupted => anyhow!(STOPPED),
        other => anyhow!("failed to ask on the terminal: {other}"),
    }
}

/// A rule's verdict as a question shows it.
fn verdict(result: Result<()>) -> Result<Validation, CustomUserError> {
    Ok(match result {
        Ok(()) => Validation::Valid,
        Err(e) => Validation::Invalid(format!("{e:#}").into()),
    })
}

/// Asks for free text; Enter takes `default`. `check` is the rule the
/// field's flag uses.
pub fn text(
    question: &str,
    default: &str,
    help: &str,
    check: impl Fn(&str) -> Result<()> + Clone + 'static,
) -> Result<String> {
    let mut q = Text::new(question).with_validator(move |s: &str| verdict(check(s.trim())));
    if !default.is_empty() {
        q = q.with_default(default);
    }
    if !help.is_empty() {
        q = q.with_help_message(help);
    }
    Ok(q.prompt().map_err(stopped)?.trim().to_string())
}

/// Free text with suggestions from `known` as the person types (Tab takes
/// the highlighted one); any other text is accepted too.
pub fn text_from(question: &str, known: Vec<String>, help: &str) -> Result<String> {
    let q = Text::new(question)
        .with_autocomplete(Suggest(known))
        .with_help_message(help);
    Ok(q.prompt().map_err(stopped)?.trim().to_string())
}

/// Suggestions: the known names holding what was typed, ignoring case.
#[derive(Clone)]
struct Suggest(Vec<String>);

impl Autocomplete for Suggest {
    fn get_suggestions(&mut self, input: &str) -> Result<Vec<String>, CustomUserError> {
        let typed = input.trim().to_lowercase();
        if typed.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .0
            .iter()
            .filter(|n| n.to_lowercase().contains(&typed))
            .take(8)
            .cloned()
            .collect())
    }

    /// Tab takes the highlighted suggestion, else the first.
    fn get_completion(
        &mut self,
        input: &str,
        highlighted: Option<String>,
    ) -> Result<Replacement, CustomUserError> {
        match highlighted {
            Some(h) => Ok(Some(h)),
            None => Ok(self.get_suggestions(input)?.into_iter().next()),
        }
    }
}

/// One value of a vocabulary, chosen with the arrow keys or by typing part
/// of it; the cursor starts on `default`.
pub fn choose<T: Vocabulary + PartialEq>(question: &str, default: T) -> Result<T> {
    let start = T::ALL.iter().position(|v| *v == default).unwrap_or(0);
    let picked = Select::new(question, T::NAMES.to_vec())
        .with_starting_cursor(start)
        .with_page_size(8)
        .raw_prompt()
        .map_err(stopped)?;
    Ok(T::ALL[picked.index])
}

/// Any number of values of a vocabulary (Space marks one, Enter ends).
pub fn choose_many<T: Vocabulary + PartialEq>(question: &str, marked: &[T]) -> Result<Vec<T>> {
    let defaults: Vec<usize> = T::ALL
        .iter()
        .enumerate()
        .filter(|(_, v)| marked.contains(v))
        .map(|(i, _)| i)
        .collect();
    let picked = MultiSelect::new(question, T::NAMES.to_vec())
        .with_default(&defaults)
        .with_page_size(8)
        .with_help_message("↑↓ to move, Space to mark, type to filter, Enter when done")
        .raw_prompt()
        .map_err(stopped)?;
    Ok(picked.into_iter().map(|o| T::ALL[o.index]).collect())
}

/// One of `choices` (code, name), found by typing part of its name or
/// code; the cursor starts on `default`. Returns the code.
pub fn choose_code(
    question: &str,
    choices: &[(&'static str, String)],
    default: Option<&str>,
) -> Result<&'static str> {
    let shown: Vec<String> = choices
        .iter()
        .map(|(code, name)| format!("{code}  {name}"))
        .collect();
    let start = default
        .and_then(|d| choices.iter().position(|(c, _)| c.eq_ignore_ascii_case(d)))
        .unwrap_or(0);
    let picked = Select::new(question, shown)
        .with_starting_cursor(start)
        .with_page_size(8)
        .with_help_message("type part of the name or code, ↑↓ to move, Enter to choose")
        .raw_prompt()
        .map_err(stopped)?;
    Ok(choices[picked.index].0)
}

/// Asks a yes-or-no question.
pub fn confirm(question: &str, default: bool) -> Result<bool> {
    Confirm::new(question)
        .with_default(default)
        .prompt()
        .map_err(stopped)
}

/// The editor to run: $VISUAL, else $EDITOR, else `vi`, as git and crontab
/// choose.
pub fn editor() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// A private file for the editor: its directory (0700) and path, both
/// removed when dropped.
pub struct EditFile {
    dir: PathBuf,
    path: PathBuf,
}

impl EditFile {
    /// Makes the file `name` holding `text` in a new private directory.
    pub fn create(name: &str, text: &str) -> Result<EditFile> {
        let base = std::env::var_os("XDG_RUNTIME_DIR")
            .map(PathBuf::from)
            .filter(|d| d.is_dir())
            .unwrap_or_else(std::env::temp_dir);
        let dir = make_private_dir(&base)?;
        let path = dir.join(name);
        // Registered before the file exists, so that a signal at any moment
        // leaves no plaintext behind.
        crate::output::signals::remove_on_signal_in(&path, Some(&dir));
        let file = EditFile { dir, path };
        file.write(text)?;
        Ok(file)
    }

    /// Replaces the file's text (the next round of editing).
    pub fn write(&self, text: &str) -> Result<()> {
        use std::io::Write as _;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        options
            .open(&self.path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .with_context(|| format!("failed to write '{}'", self.path.display()))
    }

    /// Runs the editor on the file and reads back what it saved.
    pub fn edit(&self) -> Result<String> {
        let editor = editor();
        // Through the shell, as git does, so that EDITOR="code --wait" works.
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!("{editor} \"$1\""))
            .arg(&editor)
            .arg(&self.path);
        let status = without_interrupts(|| command.status())
            .with_context(|| format!("failed to run the editor '{editor}'"))?;
        if !status.success() {
            bail!("the editor '{editor}' failed ({status}); nothing was written");
        }
        std::fs::read_to_string(&self.path)
            .with_context(|| format!("failed to read '{}'", self.path.display()))
    }
}

impl Drop for EditFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        crate::output::signals::forget();
        // Whatever the editor left beside it (a swap file) goes too.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A new directory under `base` that only the user may enter.
fn make_private_dir(base: &Path) -> Result<PathBuf> {
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    let seed = uuid::Uuid::new_v4().simple().to_string();
    let dir = base.join(format!("pressreg-edit-{}", &seed[..12]));
    builder.create(&dir).with_context(|| {
        format!(
            "failed to create a private directory in '{}'",
            base.display()
        )
    })?;
    Ok(dir)
}

/// Runs `f` with SIGINT and SIGQUIT ignored, as `system(3)` does while a
/// child owns the terminal: Ctrl-C in the editor is the editor's.
#[cfg(unix)]
fn without_interrupts<T>(f: impl FnOnce() -> T) -> T {
    // SAFETY: `signal` with SIG_IGN and restoring the previous handler are
    // plain calls with no memory effects on this program.
    let (int, quit) = unsafe {
        (
            libc::signal(libc::SIGINT, libc::SIG_IGN),
            libc::signal(libc::SIGQUIT, libc::SIG_IGN),
        )
    };
    let out = f();
    // SAFETY: puts back the handlers `signal` returned above.
    unsafe {
        libc::signal(libc::SIGINT, int);
        libc::signal(libc::SIGQUIT, quit);
    }
    out
}

#[cfg(not(unix))]
fn without_interrupts<T>(f: impl FnOnce() -> T) -> T {
    f()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_hold_what_was_typed_ignoring_case() {
        let mut s = Suggest(vec!["Taliban".into(), "Los Zetas".into(), "Police".into()]);
        assert_eq!(s.get_suggestions("li").unwrap(), vec!["Taliban", "Police"]);
        assert!(s.get_suggestions("").unwrap().is_empty());
    }

    #[test]
    fn a_rule_s_message_is_shown_under_the_question() {
        assert!(matches!(verdict(Ok(())), Ok(Validation::Valid)));
        match verdict(Err(anyhow!("'ZZ' is not known"))) {
            Ok(Validation::Invalid(m)) => {
                assert_eq!(
                    m,
                    inquire::validator::ErrorMessage::from("'ZZ' is not known")
                )
            }
            _ => panic!("not invalid"),
        }
    }
}

//! The registry's key: where it comes from and how a connection is keyed.
//!
//! A key is a passphrase (SQLCipher stretches it with PBKDF2-HMAC-SHA512,
//! 256,000 rounds: about 0.2 s per open, on purpose) or a raw 256-bit key
//! read from a key file (no stretching: it is already random). It comes
//! from, in this order:
//! * `PRESSREG_KEY_FILE`: the path of a key file (64 hexadecimal
//!   characters, as `init` and `rekey` write them);
//! * `PRESSREG_KEY`: a passphrase, for scripts;
//! * a prompt on the terminal, typed without echo.
//!
//! Never from a flag: a flag's value shows in `ps` and in shell history.
//!
//! Invariants: the key never appears in a message (messages name where the
//! key came from, never what it is) and is wiped from memory when dropped
//! (`zeroize`); no registry is opened or made, encrypted or not, before
//! `require_linked_sqlcipher` has seen a SQLCipher library (R2), so a build
//! of plain SQLite cannot write plaintext where the user expects
//! encryption; the prompt reads without echo (`rpassword`).

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use rusqlite::Connection;
use zeroize::Zeroizing;

/// The environment variable naming a key file.
pub const KEY_FILE_VAR: &str = "PRESSREG_KEY_FILE";
/// The environment variable holding a passphrase.
pub const KEY_VAR: &str = "PRESSREG_KEY";
/// The environment variable holding the new passphrase for `rekey`.
pub const NEW_KEY_VAR: &str = "PRESSREG_NEW_KEY";

/// The shortest passphrase accepted for a new key. PBKDF2 slows a guesser
/// down, it does not make a short passphrase long.
pub const MIN_PASSPHRASE: usize = 12;

/// A key, wiped from memory when dropped (`zeroize`; best effort: SQLite
/// keeps its own copy for as long as the connection is open). A clone is
/// wiped when it is dropped too.
#[derive(Clone)]
pub struct Key {
    secret: Zeroizing<Vec<u8>>,
    raw: bool,
    origin: String,
}

impl Key {
    /// A passphrase, with where it came from (for messages).
    pub fn passphrase(text: String, origin: &str) -> Key {
        Key {
            secret: Zeroizing::new(text.into_bytes()),
            raw: false,
            origin: origin.to_string(),
        }
    }

    /// A raw 256-bit key, with where it came from (for messages).
    pub(crate) fn raw(bytes: [u8; 32], origin: &str) -> Key {
        Key {
            secret: Zeroizing::new(bytes.to_vec()),
            raw: true,
            origin: origin.to_string(),
        }
    }

    /// Where the key came from, as a user would name it
    /// (`the key file 'k.key'`, `PRESSREG_KEY`, `the passphrase typed`).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The value of `PRAGMA key`: a passphrase as typed, a raw key in
    /// SQLCipher's `x'…'` form (which skips the key derivation). Wiped when
    /// the caller drops it.
    pub(in crate::db) fn pragma_value(&self) -> Zeroizing<String> {
        Zeroizing::new(if self.raw {
            format!("x'{}'", hex::encode(&*self.secret))
        } else {
            String::from_utf8_lossy(&self.secret).into_owned()
        })
    }

    /// The key's bytes (a passphrase as typed, a raw key as its 32 bytes),
    /// from which the revision log's seal key is derived (`seal.rs`).
    pub(in crate::db) fn secret(&self) -> &[u8] {
        &self.secret
    }
}

/// What a build without SQLCipher says to every command that would open or
/// make a registry (R2).
pub const NOT_SQLCIPHER: &str =
    "this pressreg was built without SQLCipher, so it cannot protect a \
     registry: refusing to open or create one (build it with the default 'sqlcipher' feature)";

/// R2: the library must be SQLCipher before a key is used, else keying
/// is silently ignored and the file is written in plaintext. `version` is
/// the result of `PRAGMA cipher_version` (no row on plain SQLite).
pub fn require_sqlcipher(version: Option<String>) -> Result<String> {
    match version {
        Some(v) if !v.trim().is_empty() => Ok(v),
        _ => bail!("{NOT_SQLCIPHER}"),
    }
}

/// The linked library's `PRAGMA cipher_version`, checked (R2).
pub fn cipher_version(conn: &Connection) -> Result<String> {
    use rusqlite::OptionalExtension;
    let version = conn
        .query_row("PRAGMA cipher_version", [], |r| r.get::<_, String>(0))
        .optional()?;
    require_sqlcipher(version)
}

/// R2 for the library this program is linked with, before any file is
/// opened or made: asked once per process (an in-memory connection, tens
/// of microseconds), then remembered.
pub fn require_linked_sqlcipher() -> Result<()> {
    static LINKED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *LINKED.get_or_init(|| {
        Connection::open_in_memory()
            .map_err(anyhow::Error::from)
            .and_then(|c| cipher_version(&c))
            .is_ok()
    });
    if ok {
        Ok(())
    } else {
        bail!("{NOT_SQLCIPHER}")
    }
}

/// Keys `conn` with `key` and silences SQLCipher's own log, whose
/// `ERROR CORE` lines on a wrong key would reach the user's terminal.
pub fn apply(conn: &Connection, key: &Key) -> Result<()> {
    cipher_version(conn)?;
    conn.pragma_update(None, "key", &*key.pragma_value())?;
    // SQLCipher turns its stderr log on when the first key is set, so the
    // level is lowered after keying.
    conn.pragma_update(None, "cipher_log_level", "NONE")?;
    // Off, explicitly (SQLCipher's default since 4.5). On, SQLCipher wraps
    // SQLite's allocator to mlock every allocation and wipe it when freed:
    // measured here, that made an encrypted import 4 times slower than a
    // plaintext one (PERFORMANCE.md B6 asks at most 1.3). What it guards
    // against is someone reading the memory of a running pressreg, which
    // the key does not protect against anyway (README "Encryption"), and
    // freed pages reaching swap; its mlock is capped by RLIMIT_MEMLOCK
    // (8 MiB for a user, less than the page cache), so it never kept a
    // large command out of swap. SQLCipher still locks and wipes its own
    // key material, and `Key` wipes pressreg's copy (zeroize).
    conn.pragma_update(None, "cipher_memory_security", false)?;
    Ok(())
}

/// Changes the key of `conn`'s database to `key` (`PRAGMA rekey`).
pub fn rekey(conn: &Connection, key: &Key) -> Result<()> {
    cipher_version(conn)?;
    conn.pragma_update(None, "rekey", &*key.pragma_value())?;
    Ok(())
}

/// The key file named by `PRESSREG_KEY_FILE`, if any; refuses
/// `PRESSREG_KEY` set as well (which of the two would be meant?).
pub fn key_file_from_env() -> Result<Option<PathBuf>> {
    let file = std::env::var_os(KEY_FILE_VAR).filter(|v| !v.is_empty());
    if file.is_some() && std::env::var_os(KEY_VAR).is_some_and(|v| !v.is_empty()) {
        bail!(
            "both {KEY_FILE_VAR} and {KEY_VAR} are set: give the key one way (unset one of them)"
        );
    }
    Ok(file.map(PathBuf::from))
}

/// A key the user gave without being asked (key file or `PRESSREG_KEY`),
/// or None.
pub fn given() -> Result<Option<Key>> {
    let file = key_file_from_env()?;
    let pass = std::env::var_os(KEY_VAR).filter(|v| !v.is_empty());
    match (file, pass) {
        (Some(path), _) => read_key_file(&path).map(Some),
        (None, Some(pass)) => {
            let pass = pass
                .into_string()
                .map_err(|_| anyhow!("{KEY_VAR} is not valid UTF-8"))?;
            Ok(Some(Key::passphrase(pass, KEY_VAR)))
        }
        (None, None) => Ok(None),
    }
}

/// Whether a key was given without being asked for (so a plaintext file
/// must be refused rather than used as if it were encrypted).
pub fn given_name() -> Option<&'static str> {
    [KEY_FILE_VAR, KEY_VAR]
        .into_iter()
        .find(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()))
}

/// The key of an existing encrypted registry: given, or typed at a prompt
/// on a terminal; else "key unavailable".
pub fn for_existing(shown: &str) -> Result<Key> {
    if let Some(key) = given()? {
        return Ok(key);
    }
    if std::io::stdin().is_terminal() {
        let pass = read_hidden(&format!("Passphrase for '{shown}': "))?;
        return Ok(Key::passphrase(pass.to_string(), "the passphrase typed"));
    }
    bail!(
        "key unavailable: '{shown}' is encrypted and no key was given \
         (set {KEY_FILE_VAR} to its key file or {KEY_VAR} to its passphrase, or run on a terminal to type it)"
    )
}

/// The key for a new registry (`init`) or a new key (`rekey`):
/// `key_file` (created with a new random key when missing), else the
/// passphrase in `env_var`, else one typed twice on a terminal.
pub fn for_new(
    key_file: Option<&Path>,
    env_var: &str,
    what: &str,
) -> Result<(Key, Option<PathBuf>)> {
    if let Some(path) = key_file {
        if path.exists() {
            return Ok((read_key_file(path)?, None));
        }
        let key = write_new_key_file(path)?;
        return Ok((key, Some(path.to_path_buf())));
    }
    if let Some(pass) = std::env::var_os(env_var).filter(|v| !v.is_empty()) {
        let pass = pass
            .into_string()
            .map_err(|_| anyhow!("{env_var} is not valid UTF-8"))?;
        check_strength(&pass, env_var)?;
        return Ok((Key::passphrase(pass, env_var), None));
    }
    if std::io::stdin().is_terminal() {
        let first = read_hidden(&format!("New passphrase for {what}: "))?;
        check_strength(&first, "the passphrase")?;
        let second = read_hidden("The same passphrase again: ")?;
        if first != second {
            bail!("the two passphrases differ; nothing was changed");
        }
        return Ok((
            Key::passphrase(first.to_string(), "the passphrase typed"),
            None,
        ));
    }
    bail!(
        "no key for {what}: set {KEY_FILE_VAR} to a key file (a new random key is written there if it does not exist), \
         or {env_var} to a passphrase, or run on a terminal to type one"
    )
}

fn check_strength(pass: &str, origin: &str) -> Result<()> {
    let n = pass.chars().count();
    if n < MIN_PASSPHRASE {
        bail!(
            "{origin} is too short ({n} characters; accepted: at least {MIN_PASSPHRASE}, \
             e.g. four or five unrelated words)"
        );
    }
    Ok(())
}

/// Reads a key file: 64 hexadecimal characters, optionally followed by a
/// newline.
pub fn read_key_file(path: &Path) -> Result<Key> {
    let shown = path.display();
    let origin = format!("the key file '{shown}'");
    let mut text = String::new();
    match std::fs::File::open(path) {
        Ok(mut f) => {
            // A key file is 65 bytes; reading a little more is enough to
            // tell it is not one.
            Read::by_ref(&mut f)
                .take(256)
                .read_to_string(&mut text)
                .map_err(|_| not_a_key_file(&shown))?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "key unavailable: the key file '{shown}' ({KEY_FILE_VAR}) does not exist; \
             without it the registry cannot be opened"
        ),
        Err(e) => bail!("key unavailable: cannot read the key file '{shown}': {e}"),
    }
    let text = Zeroizing::new(text);
    let hex_text = text.strip_suffix('\n').unwrap_or(&text);
    let mut bytes = Zeroizing::new([0u8; 32]);
    let valid = hex_text.len() == 64 && hex::decode_to_slice(hex_text, &mut *bytes).is_ok();
    if !valid {
        return Err(not_a_key_file(&shown));
    }
    Ok(Key::raw(*bytes, &origin))
}

fn not_a_key_file(shown: &impl std::fmt::Display) -> anyhow::Error {
    anyhow!(
        "'{shown}' is not a pressreg key file (accepted: 64 hexadecimal characters, as 'pressreg init' writes)"
    )
}

/// Writes a new random 256-bit key to `path`, owner-only, refusing to
/// replace any file.
fn write_new_key_file(path: &Path) -> Result<Key> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut *bytes))
        .context("cannot read random bytes from /dev/urandom for a new key")?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let shown = path.display();
    let mut file = options
        .open(path)
        .with_context(|| format!("failed to create the key file '{shown}'"))?;
    let mut text = Zeroizing::new(hex::encode(*bytes).into_bytes());
    text.push(b'\n');
    let written = file.write_all(&text).and_then(|_| file.sync_all());
    if let Err(e) = written {
        let _ = std::fs::remove_file(path);
        bail!("failed to write the key file '{shown}': {e}");
    }
    Ok(Key::raw(*bytes, &format!("the key file '{shown}'")))
}

/// Reads one line from the terminal with echo off (`rpassword`, which
/// turns echo off on the terminal itself and restores it even when reading
/// fails); the prompt goes to the terminal.
fn read_hidden(prompt: &str) -> Result<Zeroizing<String>> {
    let mut pass = Zeroizing::new(
        rpassword::prompt_password(prompt).context("failed to read the passphrase")?,
    );
    // A line ended by Ctrl-D rather than Enter is still read whole.
    let trimmed = pass.trim_end_matches(['\n', '\r']).len();
    pass.truncate(trimmed);
    if pass.is_empty() {
        bail!("no passphrase was typed; nothing was changed");
    }
    Ok(pass)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// R2: no row (plain SQLite) and an empty answer both refuse; a
    /// SQLCipher version is accepted.
    #[test]
    fn only_a_sqlcipher_library_may_take_a_key() {
        for missing in [None, Some(String::new()), Some("  ".to_string())] {
            let err = require_sqlcipher(missing.clone()).expect_err("refused");
            assert_eq!(
                err.to_string(),
                "this pressreg was built without SQLCipher, so it cannot protect a registry: \
                 refusing to open or create one (build it with the default 'sqlcipher' feature)",
                "{missing:?}"
            );
        }
        assert_eq!(
            require_sqlcipher(Some("4.6.1 community".into())).expect("accepted"),
            "4.6.1 community"
        );
    }

    /// This build links SQLCipher (the check runs on the real library).
    #[test]
    fn this_build_is_sqlcipher() -> Result<()> {
        let conn = Connection::open_in_memory()?;
        assert!(cipher_version(&conn)?.starts_with('4'));
        Ok(())
    }

    #[test]
    fn a_key_file_is_64_hex_characters() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let good = dir.path().join("good.key");
        std::fs::write(&good, format!("{}\n", "ab".repeat(32)))?;
        let key = read_key_file(&good)?;
        assert_eq!(*key.pragma_value(), format!("x'{}'", "ab".repeat(32)));
        for bad in ["", "ab", &"zz".repeat(32), &"ab".repeat(33)] {
            let p = dir.path().join("bad.key");
            std::fs::write(&p, bad)?;
            let err = read_key_file(&p).err().map(|e| e.to_string());
            assert_eq!(
                err.as_deref(),
                Some(&*format!(
                    "'{}' is not a pressreg key file (accepted: 64 hexadecimal characters, as 'pressreg init' writes)",
                    p.display()
                )),
                "{bad:?}"
            );
        }
        Ok(())
    }

    #[test]
    fn a_new_key_file_is_random_owner_only_and_never_replaces_a_file() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let p = dir.path().join("new.key");
        let a = write_new_key_file(&p)?;
        assert_eq!(read_key_file(&p)?.secret(), a.secret());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&p)?.permissions().mode() & 0o777, 0o600);
        }
        assert!(write_new_key_file(&p).is_err());
        let b = write_new_key_file(&dir.path().join("other.key"))?;
        assert_ne!(a.secret(), b.secret());
        Ok(())
    }
}

//! The revision log's head and what vouches for it from outside the chain.
//!
//! The hash chain shows that no row was changed on its own, but whoever can
//! write the file can also remove the last rows or rewrite a row and
//! recompute every hash after it: the chain is intact again. What catches
//! that is a head (`revision N, hash H`) kept where the forger cannot
//! rewrite it too:
//! * for every registry, an anchor outside the file: `check` prints the
//!   head, and `check --expect-head N:H` proves the log still holds
//!   revision N with hash H (so nothing before it was rewritten, since each
//!   hash covers all the rows before it), and reaches at least that far (so
//!   the end was not cut off);
//! * for an encrypted registry, a MAC of the head under a key derived from
//!   the registry key (`head_mac`), stored in the file itself (the one row
//!   of table `seal`, rewritten by every write in the write's own
//!   transaction) and verified by `check`: rewriting or cutting the log
//!   then needs the key, not only the chain's (public) recipe.
//!
//! HMAC-SHA-256 comes from the maintained `hmac` crate (RustCrypto, over
//! the `sha2` the chain already uses), whose comparison is constant-time;
//! the RFC 4231 vectors below pin the construction.

use std::fmt;

use hmac::{Hmac, Mac};
use rusqlite::{Connection, OptionalExtension};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The last row of the revision log: its id and its chained hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub revision: i64,
    pub hash: String,
}

impl Head {
    /// Reads a head as `check` prints it: `N:HASH` (64 hex digits).
    pub fn parse(text: &str) -> Option<Head> {
        let (n, hash) = text.split_once(':')?;
        let revision: i64 = n.parse().ok().filter(|n| *n >= 1)?;
        let hash = hash.to_ascii_lowercase();
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        Some(Head { revision, hash })
    }
}

impl fmt::Display for Head {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.revision, self.hash)
    }
}

/// The MAC of a chain head under the registry key, as hex. The MAC key is
/// derived from the registry key, so the head's MAC never reveals
/// anything usable against the key itself, and the message names what it
/// is for, so it cannot be mistaken for another MAC made with that key.
pub fn head_mac(registry_key: &[u8], head: &Head) -> String {
    hex::encode(head_hmac(registry_key, head).finalize().into_bytes())
}

/// Whether `mac` (hex) is the MAC of `head` under `registry_key`, compared
/// in constant time (`Mac::verify_slice`), so that timing does not guide a
/// forger byte by byte.
pub fn head_mac_matches(registry_key: &[u8], head: &Head, mac: &str) -> bool {
    match hex::decode(mac) {
        Ok(bytes) => head_hmac(registry_key, head).verify_slice(&bytes).is_ok(),
        Err(_) => false,
    }
}

fn head_hmac(registry_key: &[u8], head: &Head) -> HmacSha256 {
    let key = zeroize::Zeroizing::new(hmac_sha256(
        registry_key,
        b"pressreg revision-log head key v1",
    ));
    let mut mac = HmacSha256::new_from_slice(&*key).expect("HMAC takes a key of any length");
    mac.update(format!("pressreg revision-log head v1\n{head}").as_bytes());
    mac
}

/// HMAC-SHA-256 (RFC 2104).
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// The log's last row (none: the log is empty).
pub fn head(conn: &Connection) -> rusqlite::Result<Option<Head>> {
    conn.query_row(
        "SELECT id, hash FROM revision ORDER BY id DESC LIMIT 1",
        [],
        |r| {
            Ok(Head {
                revision: r.get(0)?,
                hash: r.get(1)?,
            })
        },
    )
    .optional()
}

/// Stores the MAC of the log's current head under `registry_key` (inside
/// the caller's transaction, so the seal and the rows it covers commit
/// together). An empty log keeps no seal.
pub fn store(conn: &Connection, registry_key: &[u8]) -> rusqlite::Result<()> {
    match head(conn)? {
        Some(h) => conn
            .prepare_cached(
                "INSERT INTO seal (id, revision, hash, mac) VALUES (1, ?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET revision = ?1, hash = ?2, mac = ?3",
            )?
            .execute(rusqlite::params![
                h.revision,
                h.hash,
                head_mac(registry_key, &h)
            ])
            .map(|_| ()),
        None => conn.execute("DELETE FROM seal", []).map(|_| ()),
    }
}

/// Why the stored seal does not vouch for the log's head (none: it does).
/// `head` is the log's last row as `check` read it.
pub fn problem(
    conn: &Connection,
    registry_key: &[u8],
    head: Option<&Head>,
) -> Result<Option<String>, rusqlite::Error> {
    let stored: Option<(i64, String, String)> = conn
        .query_row(
            "SELECT revision, hash, mac FROM seal WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(match (stored, head) {
        (None, None) => None,
        (None, Some(h)) => Some(format!(
            "the log reaches revision {} but carries no seal: it was written without the key",
            h.revision
        )),
        (Some((revision, _, _)), None) => Some(format!(
            "the seal vouches for revision {revision}, but the log is empty: revisions were removed"
        )),
        (Some((revision, hash, mac)), Some(h)) => {
            let sealed = Head { revision, hash };
            if !head_mac_matches(registry_key, &sealed, &mac) {
                Some(format!(
                    "the seal of revision {revision} was not made with this registry's key: the log was rewritten without it"
                ))
            } else if sealed != *h {
                Some(format!(
                    "the seal vouches for revision {revision} with the hash {}, but the log ends at {h}: \
                     the log was rewritten or cut without the key",
                    sealed.hash
                ))
            } else {
                None
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(revision: i64, fill: char) -> Head {
        Head {
            revision,
            hash: fill.to_string().repeat(64),
        }
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2: a short key.
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a key longer than the block is hashed first.
        assert_eq!(
            hex::encode(hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn the_head_mac_depends_on_the_key_the_revision_and_the_hash() {
        let key = b"correct horse battery staple";
        let mac = head_mac(key, &head(18, 'a'));
        assert_eq!(mac.len(), 64);
        assert!(head_mac_matches(key, &head(18, 'a'), &mac));
        // A shortened log, a rewritten log, another key: each fails.
        assert!(!head_mac_matches(key, &head(17, 'a'), &mac));
        assert!(!head_mac_matches(key, &head(18, 'b'), &mac));
        assert!(!head_mac_matches(b"another key", &head(18, 'a'), &mac));
        assert!(!head_mac_matches(key, &head(18, 'a'), &mac[..63]));
        // The MAC is not the plain HMAC under the registry key itself.
        let plain = hex::encode(hmac_sha256(
            key,
            format!("pressreg revision-log head v1\n{}", head(18, 'a')).as_bytes(),
        ));
        assert_ne!(mac, plain);
    }

    #[test]
    fn a_head_reads_back_as_check_prints_it() {
        let h = head(18, 'f');
        assert_eq!(Head::parse(&h.to_string()), Some(h.clone()));
        assert_eq!(Head::parse(&format!("18:{}", "F".repeat(64))), Some(h));
        for bad in [
            String::new(),
            "18".into(),
            "x:ffff".into(),
            format!("0:{}", "f".repeat(64)),
            format!("18:{}", "f".repeat(63)),
            format!("18:{}", "g".repeat(64)),
            format!("-1:{}", "f".repeat(64)),
        ] {
            assert_eq!(Head::parse(&bad), None, "{bad}");
        }
    }
}

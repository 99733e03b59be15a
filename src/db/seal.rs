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
//!   the registry key (`head_mac`), which can be stored in the file itself:
//!   rewriting the log then needs the key.
//!
//! HMAC-SHA-256 is written out here (RFC 2104) over the `sha2` the chain
//! already uses, rather than adding a crate for a dozen lines; the RFC 4231
//! test vectors below keep it honest.

use std::fmt;

use sha2::{Digest, Sha256};

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
#[allow(dead_code)] // see head_mac_matches
pub fn head_mac(registry_key: &[u8], head: &Head) -> String {
    let key = hmac_sha256(registry_key, b"pressreg revision-log head key v1");
    let message = format!("pressreg revision-log head v1\n{head}");
    hex::encode(hmac_sha256(&key, message.as_bytes()))
}

/// Whether `mac` is the MAC of `head` under `registry_key`. Compared in
/// constant time, so that timing does not guide a forger byte by byte.
// Called once a registry has a key (SQLCipher, being added): then every
// write stores the head's MAC and `check` verifies it.
#[allow(dead_code)]
pub fn head_mac_matches(registry_key: &[u8], head: &Head, mac: &str) -> bool {
    let want = head_mac(registry_key, head);
    want.len() == mac.len()
        && want
            .bytes()
            .zip(mac.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// HMAC-SHA-256 (RFC 2104).
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|k| k ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
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

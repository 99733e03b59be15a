//! The uids the registry gives new records: UUIDv8 (RFC 9562 §5.8) laid
//! out as a random per-process part around a counter, so that the uids one
//! run makes sort in the order it made them.
//!
//! Why not random (v4) uids: every table keeps a UNIQUE index on `uid`, and
//! a random key lands on a random page of it. Once an index outgrows
//! SQLite's page cache (at about a million acts during an `import`), every
//! insert reads and dirties a page of its own. Uids that follow each other
//! land side by side, on the few pages the cache already holds.
//!
//! Why not time-ordered (v7) uids: a v7 uid carries the millisecond its
//! record was created, for ever, in every internal export and merge, and
//! the uid of a victim or source added later would date that addition
//! although the record's own timestamps say nothing of it (an import keeps
//! the `created_at` it is given). These uids hold no clock reading; all
//! they tell is which of two records one process made first, which the
//! registry's row ids tell as well. Public exports replace uids anyway
//! (`exchange::profile`).
//!
//! The 122 free bits of a UUID, most significant first:
//!
//! * 48 bits drawn at random once per process (the run's prefix);
//! * a 40-bit counter, starting at 0 in each process, split around the
//!   version (`8`) and variant (`10`) bits, which are the same in every
//!   uid and so do not disturb the order;
//! * 34 more bits drawn at random once per process.
//!
//! Unique within a process by the counter, and between processes (two
//! registries that are later merged) by the 82 random bits: two runs
//! collide only if all 82 agree, about one chance in 10^24 per pair of
//! runs. Uids made by other means stay valid: v4 uids of older registries,
//! v5 uids derived from outside keys (`exchange::rows`), any uid a file
//! brings. After 2^40 uids in one process (not reachable in practice) the
//! counter is exhausted and new uids are random v4 ones: still unique,
//! no longer ordered.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use uuid::{Builder, Uuid};

/// The counter's width in bits.
const COUNTER_BITS: u32 = 40;

/// This process's random bits (the bytes of a v4 uid, drawn from the
/// operating system once), and its counter.
static RUN: OnceLock<[u8; 16]> = OnceLock::new();
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A new uid, later in order than every uid this process made before.
pub fn fresh() -> Uuid {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    if n >= 1 << COUNTER_BITS {
        return Uuid::new_v4();
    }
    let run = RUN.get_or_init(|| *Uuid::new_v4().as_bytes());
    Builder::from_custom_bytes(layout(run, n)).into_uuid()
}

/// The uid bytes for counter value `n` of the run with random bytes `run`
/// (the version and variant bits are set by `Builder`).
fn layout(run: &[u8; 16], n: u64) -> [u8; 16] {
    let mut b = [0u8; 16];
    b[..6].copy_from_slice(&run[..6]);
    // Byte 6's high nibble is the version: the counter's top 4 bits follow.
    b[6] = ((n >> 36) & 0x0f) as u8;
    b[7] = (n >> 28) as u8;
    // Byte 8's top two bits are the variant: 6 counter bits follow.
    b[8] = ((n >> 22) & 0x3f) as u8;
    b[9] = (n >> 14) as u8;
    b[10] = (n >> 6) as u8;
    // The counter's last 6 bits, then the first 2 of the random tail.
    b[11] = (((n & 0x3f) as u8) << 2) | (run[11] & 0x03);
    b[12..].copy_from_slice(&run[12..]);
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::{Variant, Version};

    /// Uids made one after another are RFC 9562 version 8 uids, all
    /// different, and sort (as bytes and as the text the registry stores)
    /// in the order they were made.
    #[test]
    fn uids_of_a_run_are_v8_and_sort_in_creation_order() {
        let uids: Vec<Uuid> = (0..10_000).map(|_| fresh()).collect();
        for u in &uids {
            assert_eq!(u.get_version(), Some(Version::Custom), "{u}");
            assert_eq!(u.get_variant(), Variant::RFC4122, "{u}");
        }
        for pair in uids.windows(2) {
            assert!(pair[0] < pair[1], "{} then {}", pair[0], pair[1]);
            assert!(pair[0].to_string() < pair[1].to_string());
        }
        // One process, one prefix and one tail.
        let prefix = |u: &Uuid| (u.as_bytes()[..6].to_vec(), u.as_bytes()[12..].to_vec());
        assert!(uids.iter().all(|u| prefix(u) == prefix(&uids[0])));
    }

    /// Every bit of the 40-bit counter lands in the uid, in order, and
    /// none touches the version, the variant or the random bits.
    #[test]
    fn the_counter_fills_its_bits_in_order() {
        let run = [0xa5u8; 16];
        let mut counts: Vec<u64> = (0..COUNTER_BITS)
            .flat_map(|bit| [1u64 << bit, (1u64 << bit) + 1, (1u64 << (bit + 1)) - 1])
            .collect();
        counts.sort_unstable();
        counts.dedup();
        let mut last = None;
        for n in counts {
            let u = Builder::from_custom_bytes(layout(&run, n)).into_uuid();
            assert_eq!(u.get_version_num(), 8);
            assert_eq!(u.get_variant(), Variant::RFC4122);
            assert_eq!(&u.as_bytes()[..6], &run[..6]);
            assert_eq!(&u.as_bytes()[12..], &run[12..]);
            assert_eq!(u.as_bytes()[11] & 0x03, run[11] & 0x03);
            if let Some(prev) = last {
                assert!(prev < u, "counter {n}");
            }
            last = Some(u);
        }
        let top = Builder::from_custom_bytes(layout(&run, (1 << COUNTER_BITS) - 1)).into_uuid();
        let zero = Builder::from_custom_bytes(layout(&run, 0)).into_uuid();
        assert!(zero < top);
        // The counter's bits and the fixed ones, seen in the text.
        assert_eq!(top.to_string(), "a5a5a5a5-a5a5-8fff-bfff-fffda5a5a5a5");
        assert_eq!(zero.to_string(), "a5a5a5a5-a5a5-8000-8000-0001a5a5a5a5");
    }
}

//! Small-cell suppression with complementary suppression (`--min-cell N`,
//! SECURITY R17), so that a published table cannot single out a person.
//!
//! A table is a list of counts and the relations among them: a total and
//! the parts it is the sum of (a row's total and its cells, a column's total
//! and its rows). Invariants of the result:
//! * every count shown is 0 or at least N; counts from 1 to N-1 are hidden;
//! * in every relation, either nothing is hidden or at least two members
//!   are, so no hidden count is the difference of the ones shown;
//! * nor can a hidden count be pinned down by bounds: since `<N` says
//!   "1 to N-1" and `—` says "N or more", a row of 4 with a `—` and a `<3`
//!   would give both away (3 and 1); such a relation hides one more.

/// How one count is published.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// Shown as it is.
    Count(u64),
    /// Between 1 and N-1: shown as `<N`.
    Small,
    /// Withheld so that a small count cannot be worked out: shown as `—`.
    Withheld,
}

/// A total and the parts it is the sum of, as indices into the counts.
pub type Relation = (usize, Vec<usize>);

/// Decides how each count is published under `--min-cell min`.
pub fn suppress(values: &[u64], relations: &[Relation], min: u64) -> Vec<Shown> {
    let mut hidden: Vec<bool> = values.iter().map(|&v| v > 0 && v < min).collect();
    loop {
        let mut changed = false;
        for (total, parts) in relations {
            let members = std::iter::once(*total).chain(parts.iter().copied());
            let n_hidden = members.clone().filter(|&i| hidden[i]).count();
            if n_hidden == 0 || (n_hidden > 1 && !pinned(values, &hidden, min, *total, parts)) {
                continue;
            }
            // Hide the smallest part that can be hidden (0 stays 0: a zero
            // gives nothing away); the total only when no part can be.
            let pick = parts
                .iter()
                .copied()
                .filter(|&i| !hidden[i] && values[i] > 0)
                .min_by_key(|&i| (values[i], i))
                .or_else(|| Some(*total).filter(|&t| !hidden[t] && values[t] > 0));
            if let Some(i) = pick {
                hidden[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    values
        .iter()
        .zip(&hidden)
        .map(|(&v, &h)| match (h, v < min) {
            (false, _) => Shown::Count(v),
            (true, true) => Shown::Small,
            (true, false) => Shown::Withheld,
        })
        .collect()
}

/// The least and most a hidden count may be, as its marker says.
fn prior(v: u64, min: u64) -> (i128, i128) {
    if v < min {
        (1, min as i128 - 1)
    } else {
        (min as i128, i128::from(u64::MAX))
    }
}

/// Whether the relation `total = sum(parts)`, with the markers' bounds,
/// leaves some hidden member only one possible value it did not already
/// have from its marker alone.
fn pinned(values: &[u64], hidden: &[bool], min: u64, total: usize, parts: &[usize]) -> bool {
    // Each member's interval: exact when shown, its marker's bounds when
    // hidden. Parts count +1, the total -1: the members sum to zero.
    let range = |i: usize| -> (i128, i128) {
        if hidden[i] {
            prior(values[i], min)
        } else {
            (values[i] as i128, values[i] as i128)
        }
    };
    let members: Vec<(usize, i128)> = std::iter::once((total, -1))
        .chain(parts.iter().map(|&p| (p, 1)))
        .collect();
    let (lo_sum, hi_sum) = members.iter().fold((0i128, 0i128), |(lo, hi), &(i, sign)| {
        let (a, b) = range(i);
        if sign > 0 {
            (lo + a, hi + b)
        } else {
            (lo - b, hi - a)
        }
    });
    members.iter().any(|&(i, sign)| {
        if !hidden[i] {
            return false;
        }
        let (a, b) = range(i);
        // sign * x = -(sum of the others); the others span
        // [lo_sum - own_lo, hi_sum - own_hi] where own is sign * x.
        let (own_lo, own_hi) = if sign > 0 { (a, b) } else { (-b, -a) };
        let (others_lo, others_hi) = (lo_sum - own_lo, hi_sum - own_hi);
        let (x_lo, x_hi) = if sign > 0 {
            (-others_hi, -others_lo)
        } else {
            (others_lo, others_hi)
        };
        let (lo, hi) = (x_lo.max(a), x_hi.min(b));
        lo == hi && a != b
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A grid of `rows` × `cols` cells with row totals, column totals and a
    /// grand total, laid out row by row with the totals last.
    fn grid(rows: usize, cols: usize, cells: &[u64]) -> (Vec<u64>, Vec<Relation>) {
        let w = cols + 1;
        let mut values = vec![0u64; (rows + 1) * w];
        for r in 0..rows {
            for c in 0..cols {
                let v = cells[r * cols + c];
                values[r * w + c] = v;
                values[r * w + cols] += v;
                values[rows * w + c] += v;
                values[rows * w + cols] += v;
            }
        }
        let mut relations = Vec::new();
        for r in 0..=rows {
            relations.push((r * w + cols, (0..cols).map(|c| r * w + c).collect()));
        }
        for c in 0..=cols {
            relations.push((rows * w + c, (0..rows).map(|r| r * w + c).collect()));
        }
        (values, relations)
    }

    #[test]
    fn one_small_cell_in_a_row_takes_a_second_with_it() {
        // 2 | 5 | 9 = 16 ; with N = 3 the 2 alone could be worked out.
        let shown = suppress(&[2, 5, 9, 16], &[(3, vec![0, 1, 2])], 3);
        assert_eq!(
            shown,
            vec![
                Shown::Small,
                Shown::Withheld,
                Shown::Count(9),
                Shown::Count(16)
            ]
        );
    }

    #[test]
    fn a_small_cell_beside_zeros_hides_the_total() {
        let shown = suppress(&[0, 2, 2], &[(2, vec![0, 1])], 3);
        assert_eq!(shown, vec![Shown::Count(0), Shown::Small, Shown::Small]);
        let shown = suppress(&[0, 2, 0, 2], &[(3, vec![0, 1, 2])], 2);
        assert_eq!(
            shown,
            vec![
                Shown::Count(0),
                Shown::Count(2),
                Shown::Count(0),
                Shown::Count(2)
            ]
        );
    }

    proptest! {
        #[test]
        fn no_published_count_is_small_and_none_hidden_is_derivable(
            rows in 1usize..5,
            cols in 1usize..5,
            cells in proptest::collection::vec(0u64..8, 16),
            min in 1u64..6,
        ) {
            let (values, relations) = grid(rows, cols, &cells);
            let shown = suppress(&values, &relations, min);
            for (v, s) in values.iter().zip(&shown) {
                if let Shown::Count(c) = s {
                    prop_assert!(*c == 0 || *c >= min, "published {c} below {min}");
                    prop_assert_eq!(c, v);
                }
            }
            for (total, parts) in &relations {
                let members: Vec<usize> =
                    std::iter::once(*total).chain(parts.iter().copied()).collect();
                let hidden: Vec<usize> = members
                    .iter()
                    .copied()
                    .filter(|&i| !matches!(shown[i], Shown::Count(_)))
                    .collect();
                if (2..=3).contains(&hidden.len()) {
                    // Every hidden count must have at least two values that
                    // fit the relation and every marker's bounds.
                    let big = values[*total] + min + 2;
                    let bounds = |i: usize| {
                        if values[i] < min { (1, min - 1) } else { (min, big) }
                    };
                    for &target in &hidden {
                        let mut seen = std::collections::BTreeSet::new();
                        let ranges: Vec<(u64, u64)> = hidden.iter().map(|&i| bounds(i)).collect();
                        let mut pick = vec![0u64; hidden.len()];
                        fn walk(
                            k: usize, ranges: &[(u64, u64)], pick: &mut Vec<u64>,
                            f: &mut dyn FnMut(&[u64]),
                        ) {
                            if k == ranges.len() { f(pick); return; }
                            for v in ranges[k].0..=ranges[k].1 { pick[k] = v; walk(k + 1, ranges, pick, f); }
                        }
                        walk(0, &ranges, &mut pick, &mut |p: &[u64]| {
                            let val = |i: usize| {
                                hidden.iter().position(|&h| h == i).map_or(values[i], |k| p[k])
                            };
                            if val(*total) == parts.iter().map(|&q| val(q)).sum::<u64>() {
                                seen.insert(p[hidden.iter().position(|&h| h == target).unwrap_or(0)]);
                            }
                        });
                        // A pinned count is allowed only where nothing was
                        // left to hide: every member hidden or 0 (the
                        // markers themselves then say too much, as `<2`
                        // says 1), or its marker alone says it.
                        let (lo, hi) = bounds(target);
                        let exhausted = members
                            .iter()
                            .all(|&i| values[i] == 0 || !matches!(shown[i], Shown::Count(_)));
                        prop_assert!(seen.len() != 1 || lo == hi || exhausted, "hidden cell {} pinned to {:?}", target, seen);
                    }
                }
                if hidden.len() == 1 {
                    // The one hidden count would be the difference of the
                    // others: that must never happen.
                    let i = hidden[0];
                    let derived = if i == *total {
                        parts.iter().map(|&p| values[p]).sum::<u64>()
                    } else {
                        values[*total]
                            - parts.iter().filter(|&&p| p != i).map(|&p| values[p]).sum::<u64>()
                    };
                    prop_assert_ne!(derived, values[i], "cell {} derivable", i);
                }
            }
        }
    }
}

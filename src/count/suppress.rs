//! Small-cell suppression with complementary suppression (`--min-cell N`,
//! SECURITY R17), so that a published table cannot single out a person.
//!
//! A table is a list of counts and the relations among them: a total and
//! the parts it is the sum of (a row's total and its cells, a column's total
//! and its rows). Invariants of the result:
//! * every count shown is 0 or at least N; counts from 1 to N-1 are hidden;
//! * in every relation, either nothing is hidden or at least two members
//!   are, so no hidden count is the difference of the ones shown;
//! * nor can a hidden count be pinned down by bounds. `<N` says "1 to
//!   N-1"; `—` says only "withheld". Where a relation's `<N` markers still
//!   pin its members (`<3` + `<3` = `<3` can only be 1 + 1 = 2) and nothing
//!   is left to hide, those small counts are shown as `—` too, so the
//!   markers stop saying more than the table may.

/// How one count is published.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// Shown as it is.
    Count(u64),
    /// Between 1 and N-1: shown as `<N`.
    Small,
    /// Withheld so that a small count cannot be worked out: shown as `—`,
    /// which says nothing of its size.
    Withheld,
}

/// A total and the parts it is the sum of, as indices into the counts.
pub type Relation = (usize, Vec<usize>);

/// Decides how each count is published under `--min-cell min`.
pub fn suppress(values: &[u64], relations: &[Relation], min: u64) -> Vec<Shown> {
    let mut hidden: Vec<bool> = values.iter().map(|&v| v > 0 && v < min).collect();
    let mut masked = vec![false; values.len()];
    // Each round hides or widens at least one count, so this ends.
    for _ in 0..=2 * values.len() {
        let mut grew = complement_step(values, relations, min, &mut hidden);
        while grew {
            grew = complement_step(values, relations, min, &mut hidden);
        }
        mask_pinned(values, relations, min, &hidden, &mut masked);
        // Relations can also pin a count together (a row says 3 or 4, a
        // column 2 or 3: it is 3). Where that happens, hide the smallest
        // count shown beside it, or drop the bounds of the small markers
        // beside it, and go round again.
        let shown = classify(values, &hidden, &masked, min);
        let pinned_cells = jointly_pinned(values, &shown, relations, min);
        if pinned_cells.is_empty() {
            return shown;
        }
        let mut acted = false;
        for cell in pinned_cells {
            let beside: Vec<usize> = relations
                .iter()
                .filter(|(t, p)| *t == cell || p.contains(&cell))
                .flat_map(|(t, p)| std::iter::once(*t).chain(p.iter().copied()))
                .collect();
            if let Some(&i) = beside
                .iter()
                .filter(|&&i| !hidden[i] && values[i] > 0)
                .min_by_key(|&&i| (values[i], i))
            {
                hidden[i] = true;
                acted = true;
                break;
            }
            for &i in &beside {
                if hidden[i] && !masked[i] && values[i] < min {
                    masked[i] = true;
                    acted = true;
                }
            }
            if acted {
                break;
            }
        }
        if !acted {
            break;
        }
    }
    classify(values, &hidden, &masked, min)
}

/// One pass of complementary suppression: in every relation with exactly
/// one hidden member, or whose markers pin a member, hide one more (the
/// smallest part that is not 0; the total only when no part can be).
/// Returns whether anything was hidden.
fn complement_step(values: &[u64], relations: &[Relation], min: u64, hidden: &mut [bool]) -> bool {
    let mut changed = false;
    for (total, parts) in relations {
        let members = std::iter::once(*total).chain(parts.iter().copied());
        let n_hidden = members.clone().filter(|&i| hidden[i]).count();
        if n_hidden == 0 || (n_hidden > 1 && !pinned(values, hidden, min, *total, parts)) {
            continue;
        }
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
    changed
}

/// Where the `<N` markers of a relation still pin a member and nothing is
/// left to hide, show its small members as `—` (no bounds).
fn mask_pinned(
    values: &[u64],
    relations: &[Relation],
    min: u64,
    hidden: &[bool],
    masked: &mut [bool],
) {
    loop {
        let mut changed = false;
        for (total, parts) in relations {
            if !pinned_with(values, hidden, masked, min, *total, parts) {
                continue;
            }
            for i in std::iter::once(*total).chain(parts.iter().copied()) {
                if hidden[i] && values[i] < min && !masked[i] {
                    masked[i] = true;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
}

fn classify(values: &[u64], hidden: &[bool], masked: &[bool], min: u64) -> Vec<Shown> {
    values
        .iter()
        .zip(hidden.iter().zip(masked))
        .map(|(&v, (&h, &m))| match (h, v < min && !m) {
            (false, _) => Shown::Count(v),
            (true, true) => Shown::Small,
            (true, false) => Shown::Withheld,
        })
        .collect()
}

/// The hidden counts that all the relations together pin to one value
/// their own marker does not already say, found by narrowing every count's
/// interval through every relation until nothing changes.
fn jointly_pinned(values: &[u64], shown: &[Shown], relations: &[Relation], min: u64) -> Vec<usize> {
    let top: i128 = values.iter().map(|&v| i128::from(v)).sum::<i128>() + i128::from(min) + 1;
    let marker = |i: usize| -> (i128, i128) {
        match shown[i] {
            Shown::Count(v) => (i128::from(v), i128::from(v)),
            Shown::Small => (1, i128::from(min) - 1),
            Shown::Withheld => (1, top),
        }
    };
    let mut range: Vec<(i128, i128)> = (0..values.len()).map(marker).collect();
    for _ in 0..64 {
        let mut changed = false;
        for (total, parts) in relations {
            let (parts_lo, parts_hi) = parts
                .iter()
                .fold((0, 0), |(lo, hi), &p| (lo + range[p].0, hi + range[p].1));
            // The total lies within the parts' sum, and each part within
            // the total less the others.
            let t = (range[*total].0.max(parts_lo), range[*total].1.min(parts_hi));
            changed |= t != range[*total];
            range[*total] = t;
            for &p in parts {
                let (others_lo, others_hi) = (parts_lo - range[p].0, parts_hi - range[p].1);
                let r = (
                    range[p].0.max(t.0 - others_hi),
                    range[p].1.min(t.1 - others_lo),
                );
                changed |= r != range[p];
                range[p] = r;
            }
        }
        if !changed {
            break;
        }
    }
    (0..values.len())
        .filter(|&i| {
            let (lo, hi) = marker(i);
            !matches!(shown[i], Shown::Count(_)) && range[i].0 == range[i].1 && lo != hi
        })
        .collect()
}

/// The least and most a hidden count may be, as its marker says: `<N` is 1
/// to N-1; `—` only that it is not 0.
fn prior(v: u64, min: u64, masked: bool) -> (i128, i128) {
    if v < min && !masked {
        (1, min as i128 - 1)
    } else {
        (1, i128::from(u64::MAX))
    }
}

/// `pinned` before any small count is masked.
fn pinned(values: &[u64], hidden: &[bool], min: u64, total: usize, parts: &[usize]) -> bool {
    pinned_with(
        values,
        hidden,
        &vec![false; values.len()],
        min,
        total,
        parts,
    )
}

/// Whether the relation `total = sum(parts)`, with the markers' bounds,
/// leaves some hidden member only one possible value it did not already
/// have from its marker alone.
fn pinned_with(
    values: &[u64],
    hidden: &[bool],
    masked: &[bool],
    min: u64,
    total: usize,
    parts: &[usize],
) -> bool {
    // Each member's interval: exact when shown, its marker's bounds when
    // hidden. Parts count +1, the total -1: the members sum to zero.
    let range = |i: usize| -> (i128, i128) {
        if hidden[i] {
            prior(values[i], min, masked[i])
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
    fn small_markers_that_pin_each_other_say_nothing() {
        // 1 | 1 | total 2 with N = 3: as `<3`, `<3`, `<3` a reader works out
        // 1, 1 and 2. Shown as `—` they say nothing of their size.
        let shown = suppress(&[1, 1, 2], &[(2, vec![0, 1])], 3);
        assert_eq!(
            shown,
            vec![Shown::Withheld, Shown::Withheld, Shown::Withheld]
        );
        // 1 | 0 | total 1: `<3` and `<3`, equal but not worked out.
        let shown = suppress(&[1, 0, 1], &[(2, vec![0, 1])], 3);
        assert_eq!(shown, vec![Shown::Small, Shown::Count(0), Shown::Small]);
    }

    #[test]
    fn a_row_and_a_column_together_pin_nothing() {
        // The sdg table by state of the tests: killings 3 | 0 | 1 (total 4),
        // other acts 2 | 0 | 0; row totals 5, 0, 1. Non-state killings alone
        // would be worked out from their row (5 - <3) and column (4 - <3).
        let (values, relations) = grid(3, 2, &[3, 2, 0, 0, 1, 0]);
        let shown = suppress(&values, &relations, 3);
        assert_eq!(
            jointly_pinned(&values, &shown, &relations, 3),
            Vec::<usize>::new(),
            "{shown:?}"
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
                    // What a reader knows of each hidden count: `<N` is 1
                    // to N-1, `—` only that it is not 0.
                    let bounds = |i: usize| {
                        if shown[i] == Shown::Small { (1, min - 1) } else { (1, big) }
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
                        // A hidden count may be pinned only where its own
                        // marker already says it (`<2` can only mean 1).
                        let (lo, hi) = bounds(target);
                        prop_assert!(seen.len() != 1 || lo == hi, "hidden cell {} pinned to {:?}", target, seen);
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

//! Small-cell suppression with complementary suppression (`--min-cell N`,
//! SECURITY R17), so that a published table cannot single out a person.
//!
//! A table is a list of counts and the relations among them: a total and
//! the parts it is the sum of (a row's total and its cells, a column's total
//! and its rows). Invariants of the result:
//! * every count shown is 0 or at least N; counts from 1 to N-1 are hidden;
//! * in every relation, either nothing is hidden or at least two members
//!   are, so no hidden count is the difference of the ones shown.

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
            if members.clone().filter(|&i| hidden[i]).count() != 1 {
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

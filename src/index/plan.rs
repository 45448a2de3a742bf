//! Query evaluation over posting lists: seed from the smallest positive set, then filter the
//! candidates through the other sets.
//!
//! A filter becomes *operands*, each the union of a few posting lists: `l=v` → `[l=v]`,
//! `l=(a,b)` → `[l=a, l=b]`, `l!=` → `[l]` (the label-name list); and the same lists for the
//! negative forms (`l!=v`, `l!=(..)`, `l=`), whose members are removed. The result is
//!
//! ```text
//! (P1 ∩ P2 ∩ … ) \ (N1 ∪ N2 ∪ … )
//! ```
//!
//! Plan:
//!
//! 1. If a positive operand is empty (an unknown pair, `l=()`), the answer is empty: stop.
//! 2. The positive with the fewest ids (sum of its lists' lengths) is the seed; its union is
//!    materialised as a sorted `Vec<u32>` of candidates (one list: copied; several: ORed into a
//!    bitset over their span when dense, else merged).
//! 3. Every other operand, positives by increasing size then negatives, filters the candidates:
//!    each of its lists marks its members among them in one pass over the smaller side (a list
//!    much shorter than the candidates gallops through them; otherwise the candidates are walked
//!    chunk by chunk with a branch-free bit test against bitmap chunks, and against array chunks
//!    spread into a scratch bitmap), then the candidates are compacted.
//!
//! Why fast: the work is about `|seed| × operands` cheap, cache-friendly bit tests, independent
//! of the number of series, and never touches a string. Why not check each candidate's labels
//! instead: that needs a forward table (id → interned pairs), which `benches/index.rs` measures
//! as several times slower on the main filter (a cache miss per candidate) and as several times
//! the memory of the whole index.

use super::postings::{Postings, Scratch};

/// The union of some posting lists (one matcher's set).
pub(crate) struct Operand<'a> {
    lists: Vec<&'a Postings>,
}

impl<'a> Operand<'a> {
    /// An operand over `lists` (duplicates, e.g. from `l=(v,v)`, are dropped; empty lists too).
    pub(crate) fn new(mut lists: Vec<&'a Postings>) -> Self {
        lists.retain(|p| !p.is_empty());
        lists.sort_unstable_by_key(|p| *p as *const Postings as usize);
        lists.dedup_by(|a, b| std::ptr::eq(*a, *b));
        Operand { lists }
    }

    /// Upper bound of the ids in the union (exact when the lists are disjoint).
    fn estimate(&self) -> usize {
        self.lists.iter().map(|p| p.len()).sum()
    }

    fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }

    /// The union, ascending.
    fn materialise(&self) -> Vec<u32> {
        union(&self.lists)
    }

    /// Keeps the candidates that are (`keep_members`) or are not in the union: each list ORs its
    /// members into a mask (see [`Postings::mark_members`]), then one branch-free compaction.
    fn filter(&self, candidates: &mut Vec<u32>, keep_members: bool) {
        if self.lists.is_empty() {
            if keep_members {
                candidates.clear();
            }
            return;
        }
        let mut mask = vec![false; candidates.len()];
        let mut scratch = Scratch::default();
        for list in &self.lists {
            list.mark_members(candidates, &mut mask, &mut scratch);
        }
        let mut kept = 0;
        for i in 0..candidates.len() {
            candidates[kept] = candidates[i];
            kept += (mask[i] == keep_members) as usize;
        }
        candidates.truncate(kept);
    }
}

/// `(∩ positives) \ (∪ negatives)`, ascending. `positives` must not be empty.
pub(crate) fn evaluate(
    mut positives: Vec<Operand<'_>>,
    mut negatives: Vec<Operand<'_>>,
) -> Vec<u32> {
    if positives.is_empty() || positives.iter().any(Operand::is_empty) {
        return Vec::new();
    }
    positives.sort_by_key(Operand::estimate);
    let mut candidates = positives[0].materialise();
    for op in &positives[1..] {
        if candidates.is_empty() {
            return candidates;
        }
        op.filter(&mut candidates, true);
    }
    // Larger negative sets first: they remove the most candidates for the next ones.
    negatives.sort_by_key(|op| std::cmp::Reverse(op.estimate()));
    for op in &negatives {
        if candidates.is_empty() {
            break;
        }
        op.filter(&mut candidates, false);
    }
    candidates
}

/// The union of sorted lists, ascending and deduplicated. Dense enough (at least one id per
/// 128 bits of their span): OR them into a bitset and read it back, O(span / 64 + total).
/// Otherwise balanced pairwise merging, O(total × log lists).
fn union(lists: &[&Postings]) -> Vec<u32> {
    match lists {
        [] => Vec::new(),
        [one] => one.to_vec(),
        _ => {
            let total: usize = lists.iter().map(|p| p.len()).sum();
            let (lo, hi) = lists
                .iter()
                .filter_map(|p| p.bounds())
                .fold((u32::MAX, 0), |(lo, hi), (a, b)| (lo.min(a), hi.max(b)));
            if lo > hi {
                return Vec::new(); // only empty lists (callers drop those)
            }
            let base = lo & !0xFFFF;
            let words = ((hi - base) >> 6) as usize + 1;
            if words <= total * 2 {
                let mut bits = vec![0u64; words];
                for p in lists {
                    p.or_into(&mut bits, base);
                }
                let mut out = Vec::with_capacity(total);
                for (w, &word) in bits.iter().enumerate() {
                    let mut word = word;
                    while word != 0 {
                        out.push(base + ((w as u32) << 6 | word.trailing_zeros()));
                        word &= word - 1;
                    }
                }
                return out;
            }
            let mut runs: Vec<Vec<u32>> = lists.iter().map(|p| p.to_vec()).collect();
            while runs.len() > 1 {
                let mut next = Vec::with_capacity(runs.len().div_ceil(2));
                let mut it = runs.into_iter();
                while let Some(a) = it.next() {
                    match it.next() {
                        Some(b) => next.push(merge(&a, &b)),
                        None => next.push(a),
                    }
                }
                runs = next;
            }
            runs.pop().unwrap_or_default()
        }
    }
}

/// Merges two ascending lists, dropping duplicates.
fn merge(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        out.push(x.min(y));
        i += (x <= y) as usize;
        j += (y <= x) as usize;
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(ids: impl IntoIterator<Item = u32>) -> Postings {
        let mut p = Postings::new();
        for id in ids {
            p.insert(id);
        }
        p
    }

    #[test]
    fn merge_and_union() {
        assert_eq!(merge(&[1, 3, 5], &[2, 3, 6, 7]), [1, 2, 3, 5, 6, 7]);
        let (a, b, c) = (list([1, 9]), list([2, 9, 70_000]), list([0]));
        assert_eq!(union(&[&a, &b, &c]), [0, 1, 2, 9, 70_000]);
        assert_eq!(union(&[]), Vec::<u32>::new());
        // Dense (bitset) and sparse (merge) unions agree with a sorted set.
        let (d1, d2) = (
            list((0..100_000).step_by(5)),
            list((70_000..200_000).step_by(3)),
        );
        let (s1, s2) = (list([5, 4_000_000_000]), list([9, 70_000, 4_000_000_000]));
        for ls in [
            vec![&d1, &d2],
            vec![&s1, &s2],
            vec![&d1, &s2],
            vec![&s1, &s2, &d2],
        ] {
            let want: std::collections::BTreeSet<u32> =
                ls.iter().flat_map(|p| p.to_vec()).collect();
            assert_eq!(union(&ls), want.into_iter().collect::<Vec<_>>());
        }
    }

    #[test]
    fn intersect_and_subtract() {
        let evens = list((0..100_000).step_by(2));
        let threes = list((0..100_000).step_by(3));
        let small = list([6, 7, 12, 13, 99_996]);
        let sixes: Vec<u32> = (0..100_000).step_by(6).collect();
        let got = evaluate(
            vec![Operand::new(vec![&evens]), Operand::new(vec![&threes])],
            vec![],
        );
        assert_eq!(got, sixes);
        let got = evaluate(
            vec![Operand::new(vec![&evens]), Operand::new(vec![&small])],
            vec![Operand::new(vec![&threes])],
        );
        assert_eq!(got, Vec::<u32>::new());
        let got = evaluate(
            vec![Operand::new(vec![&small, &evens])],
            vec![Operand::new(vec![&threes])],
        );
        let want: Vec<u32> = (0..100_000)
            .filter(|i| (i % 2 == 0 || [7, 13].contains(i)) && i % 3 != 0)
            .collect();
        assert_eq!(got, want);
        // Both walking directions of a many-list operand.
        let few = vec![5u32, 6, 7, 60_000];
        let mut c1 = few.clone();
        Operand::new(vec![&evens, &threes]).filter(&mut c1, true);
        let mut c2 = (0..100_000).collect::<Vec<u32>>();
        Operand::new(vec![&small, &list([5])]).filter(&mut c2, false);
        assert_eq!(c1, [6, 60_000]);
        assert_eq!(c2.len(), 100_000 - 6);
        assert!(evaluate(vec![Operand::new(vec![])], vec![]).is_empty());
    }
}

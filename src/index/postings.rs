//! Posting lists: the sorted set of series ids that carry one label pair (or one label name).
//!
//! A [`Postings`] is a set of `u32` ids with three representations, chosen by size so that a
//! list of one id costs no allocation and a list of every series costs one bit per series:
//!
//! | representation | holds                               | heap bytes per id            | insert / remove           |
//! |----------------|-------------------------------------|------------------------------|---------------------------|
//! | inline         | up to 3 ids, in the struct          | 0                            | O(1)                      |
//! | array chunk    | ≤ 4096 ids sharing the high 16 bits | 2 (`Vec<u16>` of low halves) | O(log n) + a ≤ 8 KiB move |
//! | bitmap chunk   | > 3072 ids sharing the high 16 bits | 8192 / count (< 2)           | O(1)                      |
//!
//! Above 3 ids the list is *chunked* (the Roaring layout): ids are grouped by their high 16 bits
//! into chunks kept in key order; a chunk is a sorted `Vec<u16>` of low halves until it holds more
//! than 4096 ids (at which point 8 KiB of bitmap is no larger), then a 1024-word bitmap; a bitmap
//! that drops to 3072 ids turns back into an array (the gap avoids flapping). A chunked list that
//! drops to 2 ids goes back inline.
//!
//! Why: a plain sorted `Vec<u32>` costs 4 bytes per id and an O(n) `memmove` per removal; the
//! label-name lists (`host` → every series) hold every id, so deleting series one by one from a
//! large index would be O(total series) each. Chunking bounds a removal to one chunk (at most
//! 8 KiB moved, or one bit), and halves (arrays) or divides by up to 16 (dense bitmaps) the
//! memory.
//!
//! Queries read a list in full ([`Postings::extend_into`], [`Postings::or_into`] a bitset), or
//! test a sorted candidate list against it in one pass ([`Postings::mark_members`]); a [`Probe`]
//! is a membership cursor for ascending ids with early exit.

/// Ids held inline (no heap allocation) when the list is this small.
const INLINE_CAP: usize = 3;
/// A chunked list shrinking to this many ids moves back inline.
const INLINE_BACK: usize = 2;
/// An array chunk growing beyond this many ids becomes a bitmap (4096 × 2 bytes = the bitmap).
const ARRAY_MAX: usize = 4096;
/// A bitmap chunk shrinking to this many ids becomes an array again.
const ARRAY_BACK: usize = 3072;
/// 64-bit words in a bitmap chunk (65536 bits).
const WORDS: usize = 1024;

/// A sorted set of series ids, stored compactly (see the module docs).
#[derive(Debug, Clone)]
pub(crate) struct Postings(Repr);

#[derive(Debug, Clone)]
enum Repr {
    /// `ids[..len]`, ascending.
    Inline { len: u8, ids: [u32; INLINE_CAP] },
    /// More than [`INLINE_BACK`] ids.
    Chunked(Box<Chunked>),
}

#[derive(Debug, Clone)]
struct Chunked {
    /// Total ids over all chunks.
    len: usize,
    /// Non-empty chunks in ascending key order.
    chunks: Vec<Chunk>,
}

#[derive(Debug, Clone)]
struct Chunk {
    /// The high 16 bits shared by every id of the chunk.
    key: u16,
    data: Data,
}

#[derive(Debug, Clone)]
enum Data {
    /// Low halves, ascending, 1..=ARRAY_MAX of them.
    Array(Vec<u16>),
    /// Bit `lo` set for each id; `card` bits are set (> ARRAY_BACK).
    Bitmap { card: u32, words: Box<[u64; WORDS]> },
}

#[inline]
fn split(id: u32) -> (u16, u16) {
    ((id >> 16) as u16, id as u16)
}

impl Default for Postings {
    fn default() -> Self {
        Postings::new()
    }
}

impl Postings {
    /// An empty list.
    pub(crate) fn new() -> Self {
        Postings(Repr::Inline {
            len: 0,
            ids: [0; INLINE_CAP],
        })
    }

    /// Number of ids.
    pub(crate) fn len(&self) -> usize {
        match &self.0 {
            Repr::Inline { len, .. } => *len as usize,
            Repr::Chunked(c) => c.len,
        }
    }

    /// True if the list holds no id.
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True if `id` is in the list (random access; use a [`Probe`] for ascending runs).
    #[cfg(test)]
    pub(crate) fn contains(&self, id: u32) -> bool {
        match &self.0 {
            Repr::Inline { len, ids } => ids[..*len as usize].contains(&id),
            Repr::Chunked(c) => {
                let (hi, lo) = split(id);
                match c.chunks.binary_search_by_key(&hi, |ch| ch.key) {
                    Ok(i) => c.chunks[i].data.contains(lo),
                    Err(_) => false,
                }
            }
        }
    }

    /// Adds `id`; returns false if it was already there.
    pub(crate) fn insert(&mut self, id: u32) -> bool {
        match &mut self.0 {
            Repr::Inline { len, ids } => {
                let n = *len as usize;
                let pos = match ids[..n].binary_search(&id) {
                    Ok(_) => return false,
                    Err(pos) => pos,
                };
                if n < INLINE_CAP {
                    ids.copy_within(pos..n, pos + 1);
                    ids[pos] = id;
                    *len += 1;
                    return true;
                }
                let mut all = Vec::with_capacity(n + 1);
                all.extend_from_slice(&ids[..pos]);
                all.push(id);
                all.extend_from_slice(&ids[pos..n]);
                self.0 = Repr::Chunked(Box::new(Chunked::from_sorted(&all)));
                true
            }
            Repr::Chunked(c) => c.insert(id),
        }
    }

    /// Removes `id`; returns false if it was not there.
    pub(crate) fn remove(&mut self, id: u32) -> bool {
        match &mut self.0 {
            Repr::Inline { len, ids } => {
                let n = *len as usize;
                match ids[..n].binary_search(&id) {
                    Ok(pos) => {
                        ids.copy_within(pos + 1..n, pos);
                        *len -= 1;
                        true
                    }
                    Err(_) => false,
                }
            }
            Repr::Chunked(c) => {
                if !c.remove(id) {
                    return false;
                }
                if c.len <= INLINE_BACK {
                    let mut ids = [0; INLINE_CAP];
                    let mut n = 0;
                    c.for_each(|id| {
                        ids[n] = id;
                        n += 1;
                    });
                    self.0 = Repr::Inline { len: n as u8, ids };
                }
                true
            }
        }
    }

    /// Appends every id, ascending, to `out`.
    pub(crate) fn extend_into(&self, out: &mut Vec<u32>) {
        out.reserve(self.len());
        match &self.0 {
            Repr::Inline { len, ids } => out.extend_from_slice(&ids[..*len as usize]),
            Repr::Chunked(c) => c.for_each(|id| out.push(id)),
        }
    }

    /// The ids, ascending.
    pub(crate) fn to_vec(&self) -> Vec<u32> {
        let mut v = Vec::new();
        self.extend_into(&mut v);
        v
    }

    /// Calls `f` on the ids in ascending order until it returns true; returns whether it did.
    pub(crate) fn any(&self, mut f: impl FnMut(u32) -> bool) -> bool {
        match &self.0 {
            Repr::Inline { len, ids } => ids[..*len as usize].iter().any(|&id| f(id)),
            Repr::Chunked(c) => c.chunks.iter().any(|ch| {
                let base = (ch.key as u32) << 16;
                match &ch.data {
                    Data::Array(a) => a.iter().any(|&lo| f(base | lo as u32)),
                    Data::Bitmap { words, .. } => words.iter().enumerate().any(|(w, &bits)| {
                        let mut bits = bits;
                        while bits != 0 {
                            let id = base | (w as u32) << 6 | bits.trailing_zeros();
                            if f(id) {
                                return true;
                            }
                            bits &= bits - 1;
                        }
                        false
                    }),
                }
            }),
        }
    }

    /// The smallest and the largest id, if any.
    pub(crate) fn bounds(&self) -> Option<(u32, u32)> {
        match &self.0 {
            Repr::Inline { len: 0, .. } => None,
            Repr::Inline { len, ids } => Some((ids[0], ids[*len as usize - 1])),
            Repr::Chunked(c) => {
                let (first, last) = (c.chunks.first()?, c.chunks.last()?);
                let lo = match &first.data {
                    Data::Array(a) => *a.first()? as u32,
                    Data::Bitmap { words, .. } => {
                        let w = words.iter().position(|&w| w != 0)?;
                        (w as u32) << 6 | words[w].trailing_zeros()
                    }
                };
                let hi = match &last.data {
                    Data::Array(a) => *a.last()? as u32,
                    Data::Bitmap { words, .. } => {
                        let w = words.iter().rposition(|&w| w != 0)?;
                        (w as u32) << 6 | (63 - words[w].leading_zeros())
                    }
                };
                Some(((first.key as u32) << 16 | lo, (last.key as u32) << 16 | hi))
            }
        }
    }

    /// Sets bit `id - base` of `bits` for every id; `base` is a multiple of 65536 (so bitmap
    /// chunks are ORed in whole words) and `bits` covers every id.
    pub(crate) fn or_into(&self, bits: &mut [u64], base: u32) {
        debug_assert_eq!(base & 0xFFFF, 0);
        fn set(bits: &mut [u64], i: u32) {
            bits[(i >> 6) as usize] |= 1 << (i & 63);
        }
        match &self.0 {
            Repr::Inline { len, ids } => ids[..*len as usize]
                .iter()
                .for_each(|&id| set(bits, id - base)),
            Repr::Chunked(c) => {
                for ch in &c.chunks {
                    let start = ((ch.key as u32) << 16) - base;
                    match &ch.data {
                        Data::Array(a) => a.iter().for_each(|&lo| set(bits, start | lo as u32)),
                        Data::Bitmap { words, .. } => {
                            let w0 = (start >> 6) as usize;
                            let end = (w0 + WORDS).min(bits.len());
                            for (dst, src) in bits[w0..end].iter_mut().zip(words.iter()) {
                                *dst |= src;
                            }
                        }
                    }
                }
            }
        }
    }

    /// Sets `mask[i] = true` for every `candidates[i]` (ascending) that is in the list; leaves
    /// the other flags alone, so several lists can be ORed into one mask.
    ///
    /// Why fast: it walks whichever side is smaller. A list much shorter than the candidates is
    /// iterated and each of its ids galloped to in `candidates`; otherwise the candidates are
    /// walked chunk by chunk — a branch-free bit test per candidate in a bitmap chunk, in an array
    /// chunk the same test against the array spread into `scratch` (or a forward gallop when the
    /// array is much longer than the candidates in its range) — with no per-candidate dispatch on
    /// the representation.
    pub(crate) fn mark_members(
        &self,
        candidates: &[u32],
        mask: &mut [bool],
        scratch: &mut Scratch,
    ) {
        debug_assert_eq!(candidates.len(), mask.len());
        if self.len().saturating_mul(4) < candidates.len() {
            let mut pos = 0;
            self.any(|id| {
                pos = gallop(candidates, pos, id);
                match candidates.get(pos) {
                    None => true, // past the last candidate: stop
                    Some(&c) => {
                        mask[pos] |= c == id;
                        false
                    }
                }
            });
            return;
        }
        let Repr::Chunked(c) = &self.0 else {
            // Inline lists have at most 3 ids: always the branch above unless candidates < 12.
            let mut pos = 0;
            for id in self.to_vec() {
                pos = gallop(candidates, pos, id);
                if let Some(&c) = candidates.get(pos) {
                    mask[pos] |= c == id;
                }
            }
            return;
        };
        let mut i = 0;
        for ch in &c.chunks {
            let base = (ch.key as u32) << 16;
            i = gallop(candidates, i, base);
            let end = match base.checked_add(1 << 16) {
                Some(next) => gallop(candidates, i, next),
                None => candidates.len(),
            };
            let (group, flags) = (&candidates[i..end], &mut mask[i..end]);
            match &ch.data {
                Data::Bitmap { words, .. } => {
                    for (f, &id) in flags.iter_mut().zip(group) {
                        *f |= bit(words, id as u16);
                    }
                }
                Data::Array(a) if a.len() <= 4 * group.len() => {
                    // Comparable sizes: spread the array into a scratch bitmap, test bits without
                    // branches (a merge or a gallop mispredicts on interleaved ids), clean up.
                    let bits = scratch.words();
                    for &v in a {
                        bits[(v >> 6) as usize] |= 1 << (v & 63);
                    }
                    for (f, &id) in flags.iter_mut().zip(group) {
                        *f |= bit(bits, id as u16);
                    }
                    for &v in a {
                        bits[(v >> 6) as usize] = 0;
                    }
                }
                Data::Array(a) => {
                    let mut p = 0;
                    for (f, &id) in flags.iter_mut().zip(group) {
                        let lo = id as u16;
                        p = gallop(a, p, lo);
                        match a.get(p) {
                            Some(&v) => *f |= v == lo,
                            None => break,
                        }
                    }
                }
            }
            i = end;
            if i == candidates.len() {
                break;
            }
        }
    }

    /// A membership cursor for ascending ids.
    pub(crate) fn probe(&self) -> Probe<'_> {
        Probe {
            list: self,
            chunk: 0,
            pos: 0,
            last: 0,
        }
    }

    /// Heap bytes held (capacities; the struct itself is counted by its owner).
    pub(crate) fn heap_bytes(&self) -> usize {
        match &self.0 {
            Repr::Inline { .. } => 0,
            Repr::Chunked(c) => {
                std::mem::size_of::<Chunked>()
                    + c.chunks.capacity() * std::mem::size_of::<Chunk>()
                    + c.chunks
                        .iter()
                        .map(|ch| ch.data.heap_bytes())
                        .sum::<usize>()
            }
        }
    }

    /// Releases spare capacity.
    pub(crate) fn shrink_to_fit(&mut self) {
        if let Repr::Chunked(c) = &mut self.0 {
            c.chunks.shrink_to_fit();
            for ch in &mut c.chunks {
                if let Data::Array(a) = &mut ch.data {
                    a.shrink_to_fit();
                }
            }
        }
    }
}

impl Chunked {
    /// From ascending, distinct ids.
    fn from_sorted(ids: &[u32]) -> Chunked {
        let mut c = Chunked {
            len: 0,
            chunks: Vec::with_capacity(1),
        };
        for &id in ids {
            c.insert(id);
        }
        c
    }

    fn insert(&mut self, id: u32) -> bool {
        let (hi, lo) = split(id);
        // Fast path: ids mostly arrive in ascending order, so the last chunk is the usual target.
        let idx = match self.chunks.last() {
            Some(last) if last.key == hi => self.chunks.len() - 1,
            Some(last) if last.key < hi => self.new_chunk(self.chunks.len(), hi),
            None => self.new_chunk(0, hi),
            _ => match self.chunks.binary_search_by_key(&hi, |ch| ch.key) {
                Ok(i) => i,
                Err(i) => self.new_chunk(i, hi),
            },
        };
        let added = self.chunks[idx].data.insert(lo);
        self.len += added as usize;
        added
    }

    fn new_chunk(&mut self, at: usize, key: u16) -> usize {
        self.chunks.insert(
            at,
            Chunk {
                key,
                data: Data::Array(Vec::new()),
            },
        );
        at
    }

    fn remove(&mut self, id: u32) -> bool {
        let (hi, lo) = split(id);
        let Ok(idx) = self.chunks.binary_search_by_key(&hi, |ch| ch.key) else {
            return false;
        };
        if !self.chunks[idx].data.remove(lo) {
            return false;
        }
        self.len -= 1;
        if self.chunks[idx].data.card() == 0 {
            self.chunks.remove(idx);
        }
        true
    }

    fn for_each(&self, mut f: impl FnMut(u32)) {
        for ch in &self.chunks {
            let base = (ch.key as u32) << 16;
            match &ch.data {
                Data::Array(a) => a.iter().for_each(|&lo| f(base | lo as u32)),
                Data::Bitmap { words, .. } => {
                    for (w, &bits) in words.iter().enumerate() {
                        let mut bits = bits;
                        while bits != 0 {
                            f(base | (w as u32) << 6 | bits.trailing_zeros());
                            bits &= bits - 1;
                        }
                    }
                }
            }
        }
    }
}

impl Data {
    fn card(&self) -> usize {
        match self {
            Data::Array(a) => a.len(),
            Data::Bitmap { card, .. } => *card as usize,
        }
    }

    #[cfg(test)]
    fn contains(&self, lo: u16) -> bool {
        match self {
            Data::Array(a) => a.binary_search(&lo).is_ok(),
            Data::Bitmap { words, .. } => bit(words, lo),
        }
    }

    fn insert(&mut self, lo: u16) -> bool {
        match self {
            Data::Array(a) => {
                let pos = match a.last() {
                    Some(&last) if last < lo => a.len(),
                    None => 0,
                    _ => match a.binary_search(&lo) {
                        Ok(_) => return false,
                        Err(pos) => pos,
                    },
                };
                a.insert(pos, lo);
                if a.len() > ARRAY_MAX {
                    let mut words = Box::new([0u64; WORDS]);
                    for &v in a.iter() {
                        words[(v >> 6) as usize] |= 1 << (v & 63);
                    }
                    *self = Data::Bitmap {
                        card: a.len() as u32,
                        words,
                    };
                }
                true
            }
            Data::Bitmap { card, words } => {
                let (w, b) = ((lo >> 6) as usize, 1u64 << (lo & 63));
                if words[w] & b != 0 {
                    return false;
                }
                words[w] |= b;
                *card += 1;
                true
            }
        }
    }

    fn remove(&mut self, lo: u16) -> bool {
        match self {
            Data::Array(a) => match a.binary_search(&lo) {
                Ok(pos) => {
                    a.remove(pos);
                    // Give back memory when a shrinking array uses under a quarter of it.
                    if a.capacity() > 64 && a.len() < a.capacity() / 4 {
                        a.shrink_to(a.capacity() / 2);
                    }
                    true
                }
                Err(_) => false,
            },
            Data::Bitmap { card, words } => {
                let (w, b) = ((lo >> 6) as usize, 1u64 << (lo & 63));
                if words[w] & b == 0 {
                    return false;
                }
                words[w] &= !b;
                *card -= 1;
                if *card as usize <= ARRAY_BACK {
                    let mut a = Vec::with_capacity(*card as usize);
                    for (w, &bits) in words.iter().enumerate() {
                        let mut bits = bits;
                        while bits != 0 {
                            a.push((w as u16) << 6 | bits.trailing_zeros() as u16);
                            bits &= bits - 1;
                        }
                    }
                    *self = Data::Array(a);
                }
                true
            }
        }
    }

    fn heap_bytes(&self) -> usize {
        match self {
            Data::Array(a) => a.capacity() * 2,
            Data::Bitmap { .. } => WORDS * 8,
        }
    }
}

#[inline]
fn bit(words: &[u64; WORDS], lo: u16) -> bool {
    words[(lo >> 6) as usize] >> (lo & 63) & 1 != 0
}

/// First index `i >= from` with `s[i] >= x` (or `s.len()`), by galloping from `from`: cheap when
/// successive searches move forward by small steps, O(log distance) otherwise.
#[inline]
pub(crate) fn gallop<T: Ord + Copy>(s: &[T], from: usize, x: T) -> usize {
    let n = s.len();
    if from >= n || s[from] >= x {
        return from;
    }
    // Invariant: s[lo] < x; the answer is in (lo, hi].
    let mut lo = from;
    let mut step = 1;
    let mut hi = from + 1;
    while hi < n && s[hi] < x {
        lo = hi;
        step <<= 1;
        hi = lo + step;
    }
    let hi = hi.min(n);
    lo + 1 + s[lo + 1..hi].partition_point(|&v| v < x)
}

/// A reusable 65536-bit scratch bitmap for [`Postings::mark_members`], allocated on first use
/// and always left all-zero.
#[derive(Default)]
pub(crate) struct Scratch(Option<Box<[u64; WORDS]>>);

impl Scratch {
    fn words(&mut self) -> &mut [u64; WORDS] {
        self.0.get_or_insert_with(|| Box::new([0; WORDS]))
    }
}

/// Membership tests for ascending ids against one [`Postings`].
///
/// Why fast: a query's candidates are sorted, so each test resumes at the chunk and array
/// position where the previous one stopped; a run of tests over a list costs about one pass of
/// the smaller side. Why correct: ids never go backwards (checked in debug builds), so nothing
/// before the cursor can match a later id.
pub(crate) struct Probe<'a> {
    list: &'a Postings,
    chunk: usize,
    pos: usize,
    last: u32,
}

impl Probe<'_> {
    /// True if `id` is in the list. `id` must be >= every id given before.
    #[inline]
    pub(crate) fn contains(&mut self, id: u32) -> bool {
        debug_assert!(id >= self.last, "probe ids must ascend");
        self.last = id;
        match &self.list.0 {
            Repr::Inline { len, ids } => ids[..*len as usize].contains(&id),
            Repr::Chunked(c) => {
                let (hi, lo) = split(id);
                while self.chunk < c.chunks.len() && c.chunks[self.chunk].key < hi {
                    self.chunk += 1;
                    self.pos = 0;
                }
                let Some(ch) = c.chunks.get(self.chunk) else {
                    return false;
                };
                if ch.key != hi {
                    return false;
                }
                match &ch.data {
                    Data::Array(a) => {
                        self.pos = gallop(a, self.pos, lo);
                        a.get(self.pos) == Some(&lo)
                    }
                    Data::Bitmap { words, .. } => bit(words, lo),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn rng(seed: &mut u64) -> u64 {
        *seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn check(p: &Postings, model: &BTreeSet<u32>) {
        assert_eq!(p.len(), model.len());
        assert_eq!(p.to_vec(), model.iter().copied().collect::<Vec<_>>());
        let mut probe = p.probe();
        for id in (0..300_000u32).step_by(7) {
            assert_eq!(probe.contains(id), model.contains(&id), "id {id}");
        }
        for &id in model.iter().take(50) {
            assert!(p.contains(id));
        }
    }

    #[test]
    fn small_lists_stay_inline() {
        let mut p = Postings::new();
        assert!(p.insert(5) && p.insert(1) && p.insert(3));
        assert!(!p.insert(3));
        assert_eq!(p.heap_bytes(), 0);
        assert_eq!(p.to_vec(), [1, 3, 5]);
        assert!(p.insert(2));
        assert!(p.heap_bytes() > 0);
        assert!(p.remove(1) && p.remove(5));
        assert_eq!(p.heap_bytes(), 0, "back inline at {INLINE_BACK}");
        assert_eq!(p.to_vec(), [2, 3]);
        assert!(!p.remove(9));
        assert!(p.remove(2) && p.remove(3) && p.is_empty());
    }

    #[test]
    fn dense_lists_become_bitmaps_and_back() {
        let mut p = Postings::new();
        let mut model = BTreeSet::new();
        for id in 0..70_000u32 {
            p.insert(id);
            model.insert(id);
        }
        check(&p, &model);
        // 65536 ids in chunk 0 as a bitmap, 4464 in chunk 1 as a bitmap: 16 KiB.
        assert!(p.heap_bytes() < 17_000, "{}", p.heap_bytes());
        for id in (0..70_000u32).filter(|i| i % 3 != 0) {
            assert!(p.remove(id));
            model.remove(&id);
        }
        check(&p, &model);
        for id in (0..70_000u32).filter(|i| i % 30 != 0) {
            p.remove(id);
            model.remove(&id);
        }
        check(&p, &model);
        assert!(p.heap_bytes() < 8_000, "arrays again: {}", p.heap_bytes());
    }

    #[test]
    fn random_operations_match_a_btreeset() {
        let mut seed = 7;
        for round in 0..40 {
            let mut p = Postings::new();
            let mut model = BTreeSet::new();
            let span = [10u64, 1_000, 70_000, 300_000][round % 4];
            let ops = 1 + rng(&mut seed) % 20_000;
            for _ in 0..ops {
                let id = (rng(&mut seed) % span) as u32;
                if rng(&mut seed) % 3 == 0 {
                    assert_eq!(p.remove(id), model.remove(&id));
                } else {
                    assert_eq!(p.insert(id), model.insert(id));
                }
            }
            check(&p, &model);
        }
    }

    #[test]
    fn mark_members_matches_contains() {
        let mut seed = 3;
        for round in 0..60 {
            let span = [20u64, 5_000, 70_000, 400_000][round % 4];
            let mut p = Postings::new();
            for _ in 0..rng(&mut seed) % [3, 50, 5_000, 60_000][round % 4] {
                p.insert((rng(&mut seed) % span) as u32);
            }
            let mut cands: Vec<u32> = (0..rng(&mut seed) % 20_000)
                .map(|_| (rng(&mut seed) % span) as u32)
                .collect();
            cands.push(u32::MAX);
            cands.sort_unstable();
            cands.dedup();
            let mut mask = vec![false; cands.len()];
            let mut scratch = Scratch::default();
            p.mark_members(&cands, &mut mask, &mut scratch);
            assert!(scratch.words().iter().all(|&w| w == 0));
            for (i, &c) in cands.iter().enumerate() {
                assert_eq!(mask[i], p.contains(c), "round {round} id {c}");
            }
        }
        // The last chunk (key 0xFFFF) on the chunk-walking path.
        let mut top = Postings::new();
        for id in [7, 8]
            .into_iter()
            .chain((u32::MAX - 100..=u32::MAX).step_by(2))
        {
            top.insert(id);
        }
        let cands: Vec<u32> = [7].into_iter().chain(u32::MAX - 120..=u32::MAX).collect();
        assert!(top.len() * 4 >= cands.len());
        let mut mask = vec![false; cands.len()];
        top.mark_members(&cands, &mut mask, &mut Scratch::default());
        for (i, &c) in cands.iter().enumerate() {
            assert_eq!(mask[i], top.contains(c), "id {c}");
        }
    }

    #[test]
    fn gallop_finds_the_lower_bound() {
        let s: Vec<u32> = (0..100).map(|i| i * 3).collect();
        for from in [0, 1, 17, 99, 100] {
            for x in 0..310 {
                let want = from.max(s.partition_point(|&v| v < x));
                assert_eq!(
                    gallop(&s, from, x),
                    want.min(s.len()).max(from),
                    "from {from} x {x}"
                );
            }
        }
    }

    #[test]
    fn bounds_and_or_into() {
        let mut seed = 5;
        for round in 0..30 {
            let span = [10u64, 70_000, 300_000][round % 3];
            let mut p = Postings::new();
            let mut model = BTreeSet::new();
            for _ in 0..rng(&mut seed) % [4, 100, 80_000][round % 3] {
                let id = (rng(&mut seed) % span) as u32 + 131_072;
                p.insert(id);
                model.insert(id);
            }
            assert_eq!(
                p.bounds(),
                model.first().zip(model.last()).map(|(a, b)| (*a, *b))
            );
            let mut bits = vec![0u64; (span as usize + 65_536) / 64 + 1];
            p.or_into(&mut bits, 131_072);
            let got: Vec<u32> = (0..bits.len() * 64)
                .filter(|&i| bits[i / 64] >> (i % 64) & 1 == 1)
                .map(|i| i as u32 + 131_072)
                .collect();
            assert_eq!(got, model.iter().copied().collect::<Vec<_>>());
        }
    }

    #[test]
    fn any_stops_early() {
        let mut p = Postings::new();
        for id in [1, 70_000, 140_000, 140_001] {
            p.insert(id);
        }
        let mut seen = Vec::new();
        assert!(p.any(|id| {
            seen.push(id);
            id >= 70_000
        }));
        assert_eq!(seen, [1, 70_000]);
    }
}

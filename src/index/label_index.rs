//! The inverted label index: label pair → ids, label name → ids.
//!
//! Series are identified by dense `u32` ids that the engine assigns; the index never sees keys.
//! Layout:
//!
//! ```text
//! names: HashMap<name, NameEntry>
//!   NameEntry.all:    Postings        ids having some pair named `name`  (for l!=, l=)
//!   NameEntry.values: HashMap<value, Postings>                           (for l=v, l!=v, lists)
//! ```
//!
//! Each distinct name and each distinct (name, value) is stored once: the maps are the string
//! table (a name or value string is freed when its last series goes). Postings are compact sorted
//! id sets (`postings.rs`); evaluation is in `plan.rs`.
//!
//! Only labelled series are in the index; a series with no labels is never returned (every
//! filter has a positive matcher), which is RedisTimeSeries' behaviour.

use std::collections::HashMap;
use std::mem::size_of;

use super::filter::{Filter, Matcher};
use super::plan::{evaluate, Operand};
use super::postings::Postings;

#[derive(Debug, Clone, Default)]
struct NameEntry {
    /// Ids having at least one pair with this name.
    all: Postings,
    /// Ids per value.
    values: HashMap<Box<str>, Postings>,
}

/// An inverted index from label pairs to series ids, answering [`Filter`]s.
///
/// ```
/// use tsdb_wasm::index::{Filter, LabelIndex};
/// let labels = |xs: &[(&str, &str)]| xs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect::<Vec<_>>();
/// let mut index = LabelIndex::new();
/// index.insert(0, &labels(&[("metric", "cpu"), ("region", "eu"), ("env", "prod")]));
/// index.insert(1, &labels(&[("metric", "cpu"), ("region", "us"), ("env", "dev")]));
/// index.insert(2, &labels(&[("metric", "mem"), ("region", "eu")]));
///
/// let f = Filter::from_exprs(["metric=cpu", "region=(eu,us)", "env!=dev"]).unwrap();
/// assert_eq!(index.query(&f), [0]);
///
/// // TS.ALTER: remove the old set, insert the new one (same id).
/// index.remove(1, &labels(&[("metric", "cpu"), ("region", "us"), ("env", "dev")]));
/// index.insert(1, &labels(&[("metric", "cpu"), ("region", "us")]));
/// assert_eq!(index.query(&f), [0, 1]);
/// assert_eq!(index.values("region"), ["eu", "us"]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct LabelIndex {
    names: HashMap<Box<str>, NameEntry>,
}

impl LabelIndex {
    /// An empty index.
    pub fn new() -> Self {
        LabelIndex::default()
    }

    /// Indexes series `id` under each of its label pairs (duplicate names and repeated pairs are
    /// fine). An empty list indexes nothing: such a series can never be matched. Calling it again
    /// for the same id adds pairs; to change a series' labels, [`remove`](Self::remove) the old
    /// list first.
    ///
    /// Cost: two hash lookups and two posting-list inserts per pair, O(1) when ids are assigned
    /// in increasing order.
    pub fn insert(&mut self, id: u32, labels: &[(String, String)]) {
        for (name, value) in labels {
            let entry = match self.names.get_mut(name.as_str()) {
                Some(e) => e,
                None => self.names.entry(name.as_str().into()).or_default(),
            };
            entry.all.insert(id);
            match entry.values.get_mut(value.as_str()) {
                Some(p) => {
                    p.insert(id);
                }
                None => {
                    let mut p = Postings::new();
                    p.insert(id);
                    entry.values.insert(value.as_str().into(), p);
                }
            }
        }
    }

    /// Removes series `id` from the index. `labels` must be the list it was inserted with (the
    /// engine's stored labels); pairs that are not indexed for `id` are ignored. Names and values
    /// left without series are dropped.
    ///
    /// Cost per pair: two hash lookups and two posting-list removals, each bounded by one chunk of
    /// the list (at most an 8 KiB move, independent of the number of series).
    pub fn remove(&mut self, id: u32, labels: &[(String, String)]) {
        for (name, value) in labels {
            let Some(entry) = self.names.get_mut(name.as_str()) else {
                continue;
            };
            if let Some(p) = entry.values.get_mut(value.as_str()) {
                p.remove(id);
                if p.is_empty() {
                    entry.values.remove(value.as_str());
                }
            }
            // With duplicate names (`a=1 a=2`), `id` leaves `a`'s list at the first pair; the
            // second removal is a no-op.
            entry.all.remove(id);
            if entry.all.is_empty() {
                self.names.remove(name.as_str());
            }
        }
    }

    /// Drops everything (FLUSHALL) and releases the memory.
    pub fn clear(&mut self) {
        self.names = HashMap::new();
    }

    /// True if no series is indexed.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The ids of the series that pass `filter`, ascending. The engine maps them to keys and sorts
    /// those by bytes for the reply.
    ///
    /// See `plan.rs` for the evaluation order; the cost is about the size of the most selective
    /// positive matcher's set times the number of matchers.
    pub fn query(&self, filter: &Filter) -> Vec<u32> {
        let mut positives = Vec::new();
        let mut negatives = Vec::new();
        for m in filter.matchers() {
            let entry = self.names.get(m.label());
            let pair = |v: &str| entry.and_then(|e| e.values.get(v));
            let op = match m {
                Matcher::Eq { value, .. } | Matcher::NotEq { value, .. } => {
                    Operand::new(pair(value).into_iter().collect())
                }
                Matcher::In { values, .. } | Matcher::NotIn { values, .. } => {
                    Operand::new(values.iter().filter_map(|v| pair(v)).collect())
                }
                Matcher::Present { .. } | Matcher::Absent { .. } => {
                    Operand::new(entry.map(|e| &e.all).into_iter().collect())
                }
            };
            match m {
                Matcher::Eq { .. } | Matcher::In { .. } | Matcher::Present { .. } => {
                    positives.push(op)
                }
                Matcher::NotEq { .. } | Matcher::NotIn { .. } | Matcher::Absent { .. } => {
                    negatives.push(op)
                }
            }
        }
        evaluate(positives, negatives)
    }

    /// Every label name of the indexed series, ascending by bytes (TS.QUERYLABELS LABELS without
    /// FILTER).
    pub fn label_names(&self) -> Vec<&str> {
        sorted(self.names.keys().map(|k| &**k))
    }

    /// Every value of label `name` among the indexed series, ascending by bytes; empty for an
    /// unknown name (TS.QUERYLABELS VALUES without FILTER).
    pub fn values(&self, name: &str) -> Vec<&str> {
        self.names
            .get(name)
            .map_or_else(Vec::new, |e| sorted(e.values.keys().map(|k| &**k)))
    }

    /// Each value of label `name` with its number of series, ascending by value (for a series
    /// browser).
    pub fn value_counts(&self, name: &str) -> Vec<(&str, usize)> {
        let mut v: Vec<(&str, usize)> = self.names.get(name).map_or_else(Vec::new, |e| {
            e.values.iter().map(|(k, p)| (&**k, p.len())).collect()
        });
        v.sort_unstable();
        v
    }

    /// Number of series having some pair named `name`.
    pub fn series_with_label(&self, name: &str) -> usize {
        self.names.get(name).map_or(0, |e| e.all.len())
    }

    /// The label names carried by at least one of `ids` (ascending ids, as [`query`](Self::query)
    /// returns them), ascending by bytes: TS.QUERYLABELS LABELS FILTER … is
    /// `label_names_among(&query(filter))`.
    pub fn label_names_among(&self, ids: &[u32]) -> Vec<&str> {
        sorted(
            self.names
                .iter()
                .filter(|(_, e)| intersects(&e.all, ids))
                .map(|(k, _)| &**k),
        )
    }

    /// The values of label `name` carried by at least one of `ids` (ascending), ascending by
    /// bytes: TS.QUERYLABELS VALUES name FILTER … is `values_among(name, &query(filter))`.
    pub fn values_among(&self, name: &str, ids: &[u32]) -> Vec<&str> {
        match self.names.get(name) {
            Some(e) if intersects(&e.all, ids) => sorted(
                e.values
                    .iter()
                    .filter(|(_, p)| intersects(p, ids))
                    .map(|(k, _)| &**k),
            ),
            _ => Vec::new(),
        }
    }

    /// Bytes held by the index: the structs, hash tables (buckets and control bytes, at their
    /// capacity), strings and posting lists (at their capacity). Allocator overhead is not counted.
    pub fn mem_bytes(&self) -> usize {
        size_of::<Self>()
            + table_bytes::<Box<str>, NameEntry>(self.names.capacity())
            + self
                .names
                .iter()
                .map(|(name, e)| {
                    name.len()
                        + e.all.heap_bytes()
                        + table_bytes::<Box<str>, Postings>(e.values.capacity())
                        + e.values
                            .iter()
                            .map(|(v, p)| v.len() + p.heap_bytes())
                            .sum::<usize>()
                })
                .sum::<usize>()
    }

    /// Releases spare capacity (e.g. after a bulk load such as a snapshot restore).
    pub fn shrink_to_fit(&mut self) {
        self.names.shrink_to_fit();
        for e in self.names.values_mut() {
            e.all.shrink_to_fit();
            e.values.shrink_to_fit();
            e.values.values_mut().for_each(Postings::shrink_to_fit);
        }
    }
}

/// Heap bytes of a std `HashMap` (SwissTable) able to hold `capacity` entries: buckets are the
/// next power of two of capacity × 8/7, each an entry plus one control byte, plus 16 control
/// bytes of padding.
fn table_bytes<K, V>(capacity: usize) -> usize {
    if capacity == 0 {
        return 0;
    }
    let buckets = if capacity < 8 {
        (capacity + 1).next_power_of_two()
    } else {
        (capacity * 8 / 7).next_power_of_two()
    };
    buckets * (size_of::<(K, V)>() + 1) + 16
}

fn sorted<'a>(it: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut v: Vec<&str> = it.collect();
    v.sort_unstable();
    v
}

/// True if the list and the ascending `ids` share an id: walks the smaller side and searches
/// the other (galloping over `ids`, or an ascending probe of the list), stopping at the first hit.
fn intersects(list: &Postings, ids: &[u32]) -> bool {
    if list.len() <= ids.len() {
        let mut pos = 0;
        list.any(|id| {
            pos = super::postings::gallop(ids, pos, id);
            ids.get(pos) == Some(&id)
        })
    } else {
        let mut probe = list.probe();
        ids.iter().any(|&id| probe.contains(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(xs: &[(&str, &str)]) -> Vec<(String, String)> {
        xs.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    /// The fixtures' universe: a..e = 0..4.
    fn universe() -> LabelIndex {
        let mut ix = LabelIndex::new();
        ix.insert(0, &labels(&[("l", "v"), ("m", "x")]));
        ix.insert(1, &labels(&[("l", "w")]));
        ix.insert(2, &labels(&[("m", "y")]));
        ix.insert(3, &labels(&[("l", "v w")]));
        ix.insert(4, &labels(&[("l", "V"), ("m", "x")]));
        ix
    }

    fn q(ix: &LabelIndex, f: &str) -> Vec<u32> {
        ix.query(&Filter::from_exprs(f.split(' ')).unwrap())
    }

    #[test]
    fn fixture_universe_queries() {
        let ix = universe();
        assert_eq!(q(&ix, "l=v"), [0]);
        assert_eq!(q(&ix, "m=x l!=v"), [4]);
        assert_eq!(q(&ix, "m=x l!=nothing"), [0, 4]);
        assert_eq!(q(&ix, "m=(x,y) l!=v"), [2, 4]);
        assert_eq!(q(&ix, "m=(x,y) l="), [2]);
        assert_eq!(q(&ix, "l=v l="), Vec::<u32>::new());
        assert_eq!(q(&ix, "m=(x,y) l!="), [0, 4]);
        assert_eq!(q(&ix, "l=(v,w) m!="), [0]);
        assert_eq!(q(&ix, "m=(x,y)"), [0, 2, 4]);
        assert_eq!(q(&ix, "l=(v,w,v)"), [0, 1]);
        assert_eq!(q(&ix, "l=(v,w,V) l!=(v)"), [1, 4]);
        assert_eq!(q(&ix, "l=()"), Vec::<u32>::new());
        assert_eq!(q(&ix, "l=() m=x"), Vec::<u32>::new());
        assert_eq!(q(&ix, "l!=() m=x"), [0, 4]);
        assert_eq!(q(&ix, "l=(v,w) l=(w,V)"), [1]);
        assert_eq!(q(&ix, "l=v l!=v"), Vec::<u32>::new());
        assert_eq!(q(&ix, "m=x =l"), Vec::<u32>::new());
        assert_eq!(q(&ix, "m=x !=l"), [0, 4]);
        assert_eq!(q(&ix, "l!= l=(v,w)"), [0, 1]);
    }

    #[test]
    fn remove_alter_and_helpers() {
        let mut ix = universe();
        assert_eq!(ix.label_names(), ["l", "m"]);
        assert_eq!(ix.values("l"), ["V", "v", "v w", "w"]);
        assert_eq!(ix.values("zz"), Vec::<&str>::new());
        assert_eq!(ix.value_counts("m"), [("x", 2), ("y", 1)]);
        assert_eq!(ix.series_with_label("l"), 4);
        assert_eq!(ix.label_names_among(&[2]), ["m"]);
        assert_eq!(ix.values_among("l", &[1, 2, 3]), ["v w", "w"]);
        assert_eq!(ix.values_among("m", &[1, 3]), Vec::<&str>::new());
        ix.remove(0, &labels(&[("l", "v"), ("m", "x")]));
        ix.insert(0, &labels(&[("m", "z")]));
        assert_eq!(q(&ix, "l=v"), Vec::<u32>::new());
        assert_eq!(q(&ix, "m=z"), [0]);
        assert_eq!(ix.values("l"), ["V", "v w", "w"]);
        for (id, l) in [
            (0, vec![("m", "z")]),
            (1, vec![("l", "w")]),
            (2, vec![("m", "y")]),
            (3, vec![("l", "v w")]),
        ] {
            ix.remove(id, &labels(&l));
        }
        ix.remove(4, &labels(&[("l", "V"), ("m", "x")]));
        assert!(ix.is_empty());
        assert_eq!(ix.label_names(), Vec::<&str>::new());
    }

    #[test]
    fn duplicate_names_are_all_indexed() {
        let mut ix = LabelIndex::new();
        let dup = labels(&[("g", "a"), ("g", "b"), ("g", "a")]);
        ix.insert(7, &dup);
        ix.insert(8, &labels(&[("g", "a")]));
        assert_eq!(q(&ix, "g=a"), [7, 8]);
        assert_eq!(q(&ix, "g=b"), [7]);
        assert_eq!(q(&ix, "g=a g!=b"), [8]);
        assert_eq!(ix.series_with_label("g"), 2);
        ix.remove(7, &dup);
        assert_eq!(q(&ix, "g=(a,b)"), [8]);
        assert_eq!(ix.values("g"), ["a"]);
    }

    #[test]
    fn memory_is_released() {
        let mut ix = LabelIndex::new();
        let empty = ix.mem_bytes();
        let sets: Vec<_> = (0..20_000u32)
            .map(|i| {
                labels(&[
                    ("host", &format!("h{}", i % 500)),
                    ("env", ["a", "b"][i as usize % 2]),
                ])
            })
            .collect();
        for (i, l) in sets.iter().enumerate() {
            ix.insert(i as u32, l);
        }
        let full = ix.mem_bytes();
        assert!(full > empty + 20_000, "{full}");
        for (i, l) in sets.iter().enumerate() {
            ix.remove(i as u32, l);
        }
        assert!(ix.is_empty());
        ix.shrink_to_fit();
        assert!(ix.mem_bytes() < 1_000, "{}", ix.mem_bytes());
        ix.insert(1, &sets[1]);
        ix.clear();
        assert!(ix.is_empty() && ix.mem_bytes() == empty);
    }
}

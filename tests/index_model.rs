//! The label index against two references:
//!
//! 1. **The recorded server.** Every TS.QUERYINDEX / TS.MGET / TS.MRANGE / TS.MREVRANGE of the
//!    `labels` and `multi` fixtures (recorded from RedisTimeSeries 1.12) is replayed through
//!    `Filter::parse` + `LabelIndex`: a small key table applies the recorded writes (TS.CREATE,
//!    TS.ALTER, TS.ADD/INCRBY/DECRBY auto-create, DEL, RENAME) with the `LABELS` rules of
//!    multi.md section 2.2, and each filter reply is compared — the key list when the server
//!    answered, the text when it answered a filter error. Replies decided by other options (a
//!    bad COUNT, GROUPBY groups) only check that the filter parses.
//! 2. **A naive model.** Thousands of random series with random label lists (duplicate names
//!    included) go through random creates, deletes, re-labels (ALTER) and FLUSHALLs, with ids
//!    reused as the engine reuses them; random filters of every matcher kind are evaluated by the
//!    index and by a linear scan implementing multi.md section 3.4 independently; the results must
//!    be identical, and so must the label-name / value helpers.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use tsdb_wasm::index::{Filter, LabelIndex};

type Labels = Vec<(String, String)>;

// ------------------------------------------------------------------------------------------------
// 1. Fixture replay

/// redis-cli argument splitting: whitespace-separated, double quotes with `\"`, `\\`, `\n`,
/// `\r`, `\t`, `\xHH` escapes.
fn split_args(line: &str) -> Vec<String> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i == b.len() {
            break;
        }
        let mut arg = Vec::new();
        if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' && i + 1 < b.len() {
                    i += 1;
                    match b[i] {
                        b'n' => arg.push(b'\n'),
                        b'r' => arg.push(b'\r'),
                        b't' => arg.push(b'\t'),
                        b'x' => {
                            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
                            arg.push(u8::from_str_radix(hex, 16).unwrap());
                            i += 2;
                        }
                        c => arg.push(c),
                    }
                } else {
                    arg.push(b[i]);
                }
                i += 1;
            }
            i += 1; // closing quote
        } else {
            while i < b.len() && !b[i].is_ascii_whitespace() {
                arg.push(b[i]);
                i += 1;
            }
        }
        out.push(String::from_utf8(arg).unwrap());
    }
    out
}

/// First argument equal to `keyword`, ASCII case-insensitively, over the whole argv.
fn arg_index(argv: &[String], keyword: &str) -> Option<usize> {
    argv.iter().position(|a| a.eq_ignore_ascii_case(keyword))
}

/// The `LABELS` list: every token after the first `LABELS`, in pairs, an odd one dropped.
fn labels_of(argv: &[String]) -> Option<Labels> {
    let pos = arg_index(argv, "LABELS")?;
    Some(
        argv[pos + 1..]
            .chunks_exact(2)
            .map(|p| (p[0].clone(), p[1].clone()))
            .collect(),
    )
}

/// Keys → (id, labels), with the index, ids reused like the engine's free list.
#[derive(Default)]
struct Db {
    keys: BTreeMap<String, (u32, Labels)>,
    index: LabelIndex,
    free: Vec<u32>,
    next: u32,
}

impl Db {
    fn create(&mut self, key: &str, labels: Labels) {
        let id = self.free.pop().unwrap_or_else(|| {
            self.next += 1;
            self.next - 1
        });
        self.index.insert(id, &labels);
        self.keys.insert(key.to_string(), (id, labels));
    }

    fn delete(&mut self, key: &str) {
        if let Some((id, labels)) = self.keys.remove(key) {
            self.index.remove(id, &labels);
            self.free.push(id);
        }
    }

    /// The keys selected by `filter`, in byte order.
    fn select(&self, filter: &Filter) -> Vec<String> {
        let ids: BTreeSet<u32> = self.index.query(filter).into_iter().collect();
        self.keys
            .iter()
            .filter(|(_, (id, _))| ids.contains(id))
            .map(|(k, _)| k.clone())
            .collect()
    }
}

const FILTER_ERRORS: [&str; 2] = [
    "ERR TSDB: failed parsing labels",
    "ERR TSDB: please provide at least one matcher",
];

/// Checks a filter reply; returns whether something was compared.
fn check_filter(
    case: &str,
    cmd: &str,
    db: &Db,
    exprs: &[String],
    reply: &Value,
    keys_of: impl Fn(&Value) -> Option<Vec<String>>,
) -> bool {
    let parsed = Filter::parse(exprs);
    if let Some(err) = reply.get("error").and_then(Value::as_str) {
        if !FILTER_ERRORS.contains(&err) {
            return false; // decided by another option
        }
        let got = parsed
            .as_ref()
            .map(|_| ())
            .map_err(|e| e.message().to_string());
        assert_eq!(got, Err(err.to_string()), "[{case}] {cmd}");
        return true;
    }
    let filter = parsed
        .unwrap_or_else(|e| panic!("[{case}] {cmd}: server accepted the filter, we said {e}"));
    if let Some(want) = keys_of(reply) {
        assert_eq!(db.select(&filter), want, "[{case}] {cmd}");
    }
    true
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn first_elements(v: &Value) -> Option<Vec<String>> {
    Some(
        v.as_array()?
            .iter()
            .map(|e| e[0].as_str().unwrap().to_string())
            .collect(),
    )
}

#[test]
fn fixture_filters_match_the_recorded_server() {
    let mut checked = 0;
    for area in ["labels", "multi"] {
        let path = format!(
            "{}/tests/compat/fixtures/{area}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let fixture: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for case in fixture["cases"].as_array().unwrap() {
            let name = case["name"].as_str().unwrap();
            let mut db = Db::default();
            let commands = case["commands"].as_array().unwrap();
            let replies = case["replies"].as_array().unwrap();
            for (cmd, reply) in commands.iter().zip(replies) {
                let cmd = cmd.as_str().unwrap();
                let argv = split_args(cmd);
                let failed = reply.get("error").is_some();
                let name_upper = argv[0].to_ascii_uppercase();
                match name_upper.as_str() {
                    "TS.CREATE" if !failed => {
                        db.create(&argv[1], labels_of(&argv).unwrap_or_default())
                    }
                    "TS.ADD" | "TS.INCRBY" | "TS.DECRBY"
                        if !failed && !db.keys.contains_key(&argv[1]) =>
                    {
                        db.create(&argv[1], labels_of(&argv).unwrap_or_default())
                    }
                    "TS.ALTER" if !failed => {
                        if let Some(new) = labels_of(&argv) {
                            let (id, old) = db.keys.get_mut(&argv[1]).unwrap();
                            db.index.remove(*id, old);
                            db.index.insert(*id, &new);
                            *old = new;
                        }
                    }
                    "DEL" => argv[1..].iter().for_each(|k| db.delete(k)),
                    "RENAME" if !failed && argv[1] != argv[2] => {
                        db.delete(&argv[2]);
                        let entry = db.keys.remove(&argv[1]).unwrap();
                        db.keys.insert(argv[2].clone(), entry); // same id: the index is untouched
                    }
                    "FLUSHALL" => {
                        db = Db::default();
                    }
                    "TS.QUERYINDEX" if argv.len() > 1 => {
                        checked +=
                            check_filter(name, cmd, &db, &argv[1..], reply, |v| Some(strings(v)))
                                as usize;
                    }
                    "TS.MGET" => {
                        if let Some(f) = arg_index(&argv, "FILTER") {
                            checked +=
                                check_filter(name, cmd, &db, &argv[f + 1..], reply, first_elements)
                                    as usize;
                        }
                    }
                    "TS.MRANGE" | "TS.MREVRANGE" => {
                        let Some(f) = arg_index(&argv, "FILTER") else {
                            continue;
                        };
                        let (end, grouped) = match arg_index(&argv, "GROUPBY") {
                            Some(g) if g > f => (g, true),
                            Some(_) => continue,
                            None => (argv.len(), false),
                        };
                        if end == f + 1 {
                            continue; // "missing labels for filter argument"
                        }
                        let keys = |v: &Value| if grouped { None } else { first_elements(v) };
                        checked +=
                            check_filter(name, cmd, &db, &argv[f + 1..end], reply, keys) as usize;
                    }
                    _ => {}
                }
            }
        }
    }
    assert!(checked > 300, "only {checked} filter replies compared");
    eprintln!("{checked} recorded filter replies compared");
}

// ------------------------------------------------------------------------------------------------
// 2. Random model

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &'a [&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Names and values that survive the filter grammar (no `=`, `!`, `(`, `)`, `,`), with spaces
/// and multibyte text. `env` is common (dense postings, bitmap chunks), `host` diverse.
const NAMES: &[&str] = &[
    "env", "env", "env", "host", "host", "region", "a", "b", "x y", "é",
];
const VALUES: &[&str] = &["0", "1", "2", "3", "v w", "日本", "V"];

fn random_value(rng: &mut Rng, name: &str) -> String {
    match name {
        "host" => format!("h{}", rng.below(300)),
        "env" => ["prod", "dev", "test"][rng.below(3)].to_string(),
        _ => rng.pick(VALUES).to_string(),
    }
}

fn random_labels(rng: &mut Rng) -> Labels {
    let n = [0, 1, 2, 3, 3, 4, 5, 6][rng.below(8)];
    let mut labels: Labels = (0..n)
        .map(|_| {
            let name = rng.pick(NAMES);
            (name.to_string(), random_value(rng, name))
        })
        .collect();
    if n > 0 && rng.chance(75) {
        // Most series have an `env`, as real fleets do (and its lists grow dense).
        labels.insert(rng.below(n), ("env".to_string(), random_value(rng, "env")));
    }
    labels
}

/// A matcher of the model: kind and operands, independent of the library's `Matcher`.
#[derive(Debug)]
enum M {
    Eq(String, String),
    NotEq(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Present(String),
    Absent(String),
}

impl M {
    fn expr(&self) -> String {
        match self {
            M::Eq(l, v) => format!("{l}={v}"),
            M::NotEq(l, v) => format!("{l}!={v}"),
            M::In(l, vs) => format!("{l}=({})", vs.join(",")),
            M::NotIn(l, vs) => format!("{l}!=({})", vs.join(",")),
            M::Present(l) => format!("{l}!="),
            M::Absent(l) => format!("{l}="),
        }
    }

    fn positive(&self) -> bool {
        matches!(self, M::Eq(..) | M::In(..))
    }

    /// multi.md 3.4, written out on the raw label list.
    fn keeps(&self, labels: &Labels) -> bool {
        fn values_of<'a>(labels: &'a Labels, l: &'a str) -> impl Iterator<Item = &'a str> + 'a {
            labels
                .iter()
                .filter(move |(n, _)| n == l)
                .map(|(_, v)| v.as_str())
        }
        match self {
            M::Eq(l, v) => values_of(labels, l).any(|x| x == v),
            M::NotEq(l, v) => values_of(labels, l).all(|x| x != v),
            M::In(l, vs) => values_of(labels, l).any(|x| vs.iter().any(|v| v == x)),
            M::NotIn(l, vs) => values_of(labels, l).all(|x| vs.iter().all(|v| v != x)),
            M::Present(l) => values_of(labels, l).next().is_some(),
            M::Absent(l) => values_of(labels, l).next().is_none(),
        }
    }
}

fn random_filter(rng: &mut Rng) -> Vec<M> {
    let n = 1 + rng.below(4);
    let mut ms: Vec<M> = (0..n)
        .map(|_| {
            let label = if rng.chance(5) {
                "nope".to_string()
            } else {
                rng.pick(NAMES).to_string()
            };
            let value = |rng: &mut Rng| {
                if rng.chance(5) {
                    "zz".to_string()
                } else {
                    random_value(rng, &label)
                }
            };
            let list = |rng: &mut Rng| {
                let k = [0, 1, 2, 2, 3, 5, 12][rng.below(7)];
                (0..k).map(|_| value(rng)).collect::<Vec<_>>()
            };
            match rng.below(6) {
                0 => M::Eq(label.clone(), value(rng)),
                1 => M::NotEq(label.clone(), value(rng)),
                2 => M::In(label.clone(), list(rng)),
                3 => M::NotIn(label.clone(), list(rng)),
                4 => M::Present(label.clone()),
                _ => M::Absent(label.clone()),
            }
        })
        .collect();
    if !ms.iter().any(M::positive) && rng.chance(85) {
        let name = rng.pick(NAMES);
        let v = random_value(rng, name);
        ms.push(M::Eq(name.to_string(), v));
    }
    ms
}

/// The model: series slots (None = free) beside the index under test; slot `s` is id
/// `s * stride` (stride > 1 spreads the ids over many 65536-id chunks).
struct Model {
    rng: Rng,
    index: LabelIndex,
    series: Vec<Option<Labels>>,
    free: Vec<usize>,
    live: usize,
    stride: u32,
    queries: usize,
    nonempty: usize,
}

impl Model {
    fn id(&self, slot: usize) -> u32 {
        slot as u32 * self.stride
    }

    fn random_live_slot(&mut self) -> usize {
        loop {
            let s = self.rng.below(self.series.len());
            if self.series[s].is_some() {
                return s;
            }
        }
    }

    fn create(&mut self) {
        let labels = random_labels(&mut self.rng);
        let slot = self.free.pop().unwrap_or_else(|| {
            self.series.push(None);
            self.series.len() - 1
        });
        self.index.insert(self.id(slot), &labels);
        self.series[slot] = Some(labels);
        self.live += 1;
    }

    fn delete(&mut self, slot: usize) {
        let old = self.series[slot].take().unwrap();
        self.index.remove(self.id(slot), &old);
        self.free.push(slot);
        self.live -= 1;
    }

    /// TS.ALTER: same id, new list.
    fn relabel(&mut self, slot: usize) {
        let old = self.series[slot].take().unwrap();
        self.index.remove(self.id(slot), &old);
        let new = random_labels(&mut self.rng);
        self.index.insert(self.id(slot), &new);
        self.series[slot] = Some(new);
    }

    fn flushall(&mut self) {
        self.index.clear();
        self.series.clear();
        self.free.clear();
        self.live = 0;
    }

    /// Random filters through the index and through the naive scan.
    fn check_queries(&mut self, n: usize) {
        for _ in 0..n {
            let ms = random_filter(&mut self.rng);
            let exprs: Vec<String> = ms.iter().map(M::expr).collect();
            let parsed = Filter::parse(&exprs);
            if !ms.iter().any(M::positive) {
                assert_eq!(
                    parsed.unwrap_err().message(),
                    "ERR TSDB: please provide at least one matcher",
                    "{exprs:?}"
                );
                continue;
            }
            let filter = parsed.unwrap_or_else(|e| panic!("{exprs:?}: {e}"));
            let want: Vec<u32> = self
                .series
                .iter()
                .enumerate()
                .filter_map(|(slot, l)| l.as_ref().map(|l| (slot, l)))
                .filter(|(_, l)| ms.iter().all(|m| m.keeps(l)))
                .map(|(slot, _)| self.id(slot))
                .collect();
            let got = self.index.query(&filter);
            assert_eq!(got, want, "filter {exprs:?}");
            for (slot, l) in self
                .series
                .iter()
                .enumerate()
                .filter_map(|(s, l)| l.as_ref().map(|l| (s, l)))
                .take(50)
            {
                assert_eq!(
                    filter.matches(l),
                    want.contains(&self.id(slot)),
                    "Filter::matches {exprs:?} {l:?}"
                );
            }
            self.queries += 1;
            self.nonempty += !got.is_empty() as usize;
            // Helpers over the result.
            let all_labels = || {
                want.iter().flat_map(|id| {
                    self.series[(id / self.stride) as usize]
                        .as_ref()
                        .unwrap()
                        .iter()
                })
            };
            let names: BTreeSet<&str> = all_labels().map(|(n, _)| n.as_str()).collect();
            assert_eq!(
                self.index.label_names_among(&got),
                names.into_iter().collect::<Vec<_>>()
            );
            let values: BTreeSet<&str> = all_labels()
                .filter(|(n, _)| n == "host")
                .map(|(_, v)| v.as_str())
                .collect();
            assert_eq!(
                self.index.values_among("host", &got),
                values.into_iter().collect::<Vec<_>>()
            );
        }
    }

    /// Whole-index helpers against the model.
    fn check_helpers(&self) {
        let labels = || self.series.iter().flatten().flat_map(|l| l.iter());
        let names: BTreeSet<&str> = labels().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            self.index.label_names(),
            names.iter().copied().collect::<Vec<_>>()
        );
        for name in &names {
            let values: BTreeSet<&str> = labels()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .collect();
            assert_eq!(
                self.index.values(name),
                values.iter().copied().collect::<Vec<_>>(),
                "{name}"
            );
            for (v, c) in self.index.value_counts(name) {
                let want = self
                    .series
                    .iter()
                    .flatten()
                    .filter(|l| l.iter().any(|(n, x)| n == name && x == v))
                    .count();
                assert_eq!(c, want, "{name}={v}");
            }
            let with = self
                .series
                .iter()
                .flatten()
                .filter(|l| l.iter().any(|(n, _)| n == name))
                .count();
            assert_eq!(self.index.series_with_label(name), with, "{name}");
        }
    }
}

/// Runs `ops` random operations (create / delete / re-label, a rare FLUSHALL) around
/// `target_live` live series, checking queries every `queries_every` operations; then deletes
/// everything in random order, still checking, and expects an empty index.
fn run_model(seed: u64, ops: usize, target_live: usize, stride: u32, queries_every: usize) {
    let mut m = Model {
        rng: Rng(seed),
        index: LabelIndex::new(),
        series: Vec::new(),
        free: Vec::new(),
        live: 0,
        stride,
        queries: 0,
        nonempty: 0,
    };
    let mut max_env = 0;
    for op in 0..ops {
        let roll = m.rng.below(100);
        if op > 0 && m.rng.below(ops) == 0 {
            m.flushall();
        } else if roll < if m.live < target_live { 60 } else { 35 } || m.live == 0 {
            m.create();
        } else {
            let slot = m.random_live_slot();
            if roll < 75 {
                m.delete(slot);
            } else {
                m.relabel(slot);
            }
        }
        if op % queries_every == 0 {
            m.check_queries(4);
            max_env = max_env.max(m.index.series_with_label("env"));
        }
    }
    m.check_helpers();
    let (queries, nonempty) = (m.queries, m.nonempty);
    assert!(
        queries > 100 && nonempty * 5 > queries,
        "weak coverage: {nonempty} non-empty of {queries}"
    );
    eprintln!(
        "seed {seed}: {queries} queries ({nonempty} non-empty), {} live series, `env` on up to {max_env} ids, {} index bytes",
        m.live,
        m.index.mem_bytes()
    );
    // Drain: bitmaps shrink back to arrays and inline lists on the way down.
    let mut step = 0;
    while m.live > 0 {
        let slot = m.random_live_slot();
        m.delete(slot);
        step += 1;
        if step % (queries_every * 2) == 0 {
            m.check_queries(2);
        }
    }
    m.check_helpers();
    assert!(
        m.index.is_empty(),
        "index not empty after removing every series"
    );
}

#[test]
fn model_dense_ids_with_bitmap_chunks() {
    // ~6000 live series: `env` and the label-name lists exceed 4096 ids in one chunk.
    run_model(1, 30_000, 6_000, 1, 150);
}

#[test]
fn model_sparse_ids_over_many_chunks() {
    run_model(2, 12_000, 2_000, 977, 60);
}

#[test]
fn model_small_and_churning() {
    for seed in 10..16 {
        run_model(seed, 2_000, 60, 1, 10);
    }
}

#[test]
fn parser_round_trip_and_quirks_on_random_text() {
    // Random expressions over the grammar's special characters: parse must never panic, and a
    // successful parse of `l=v` / `l!=v` style text must agree with the index on a tiny universe.
    let mut rng = Rng(99);
    let alphabet = ['l', 'v', '=', '!', '(', ')', ',', ' ', 'é', '\0'];
    let mut index = LabelIndex::new();
    index.insert(0, &[("l".to_string(), "v".to_string())]);
    for _ in 0..20_000 {
        let len = rng.below(9);
        let s: String = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len())])
            .collect();
        match Filter::from_exprs([s.as_str()]) {
            Ok(f) => {
                let want = f.matches(&[("l".to_string(), "v".to_string())]);
                assert_eq!(
                    index.query(&f),
                    if want { vec![0] } else { vec![] },
                    "{s:?}"
                );
            }
            Err(e) => assert!(FILTER_ERRORS.contains(&e.message()), "{s:?}: {e}"),
        }
    }
}

//! Unit tests of the chunk as a whole (codec tests live beside each codec; randomised tests in
//! `tests/chunk_props.rs`).

use super::*;
use super::index;

fn same_summary(a: &Summary, b: &Summary) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

fn decode_all(c: &Chunk) -> (Vec<i64>, Vec<f64>) {
    let (mut t, mut v) = (Vec::new(), Vec::new());
    c.decode_into(&mut t, &mut v).unwrap();
    (t, v)
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

/// Pushes like the series layer: into the last chunk, overflow into new chunks.
fn ingest(enc: Encoding, budget: usize, ts: &[i64], vs: &[f64]) -> Vec<Chunk> {
    let mut chunks = vec![Chunk::new(enc, budget)];
    for (&t, &v) in ts.iter().zip(vs) {
        if let Err(over) = chunks.last_mut().unwrap().push(t, v) {
            assert_eq!(*over.ts.last().unwrap(), t, "the new sample comes last");
            chunks.extend(Chunk::build(enc, budget, &over.ts, &over.vals));
        }
    }
    chunks
}

fn check(chunks: &[Chunk], ts: &[i64], vs: &[f64]) {
    let (mut t, mut v) = (Vec::new(), Vec::new());
    for c in chunks {
        assert!(c.data_bytes() <= c.budget().max(MIN_CHUNK_SIZE), "budget");
        let (ct, cv) = decode_all(c);
        assert_eq!(ct.len(), c.len());
        assert!(same_summary(c.summary(), &Summary::of(&ct, &cv)), "summary");
        let n: usize = c.blocks().map(|b| b.unwrap().len()).sum();
        assert_eq!(n, c.len());
        t.extend(ct);
        v.extend(cv);
    }
    assert_eq!(t, ts);
    assert_eq!(bits(&v), bits(vs));
}

fn series(n: usize) -> (Vec<i64>, Vec<f64>) {
    let ts: Vec<i64> = (0..n as i64).map(|i| 1_700_000_000_000 + i * 1000).collect();
    let mut x = 2137i64;
    let vs = (0..n as i64)
        .map(|i| {
            x += (i * 7919 % 41) - 20;
            x as f64 / 100.0
        })
        .collect();
    (ts, vs)
}

#[test]
fn regular_series_round_trip_and_compress() {
    let (ts, vs) = series(20_000);
    let chunks = ingest(Encoding::Compressed, DEFAULT_CHUNK_SIZE, &ts, &vs);
    check(&chunks, &ts, &vs);
    let mem: usize = chunks.iter().map(Chunk::mem_bytes).sum();
    assert!((mem as f64) < 1.2 * ts.len() as f64, "{} B/sample", mem as f64 / ts.len() as f64);
    assert!(chunks[..chunks.len() - 1].iter().all(Chunk::is_full));
}

#[test]
fn uncompressed_is_16_bytes_per_sample() {
    let (ts, vs) = series(1000);
    let chunks = ingest(Encoding::Uncompressed, 4096, &ts, &vs);
    check(&chunks, &ts, &vs);
    assert_eq!(chunks[0].len(), 256);
    assert_eq!(chunks[0].data_bytes(), 4096);
    assert_eq!(chunks.len(), 4);
}

#[test]
fn tiny_budgets_and_incompressible_values() {
    let ts: Vec<i64> = (0..600).map(|i| i * i * 1_000_003).collect();
    let vs: Vec<f64> =
        (0..600u64).map(|i| f64::from_bits(i.wrapping_mul(0x9E37_79B9_7F4A_7C15))).collect();
    for budget in [0, 1, 16, 48, 49, 100, 333, 4096] {
        for enc in [Encoding::Compressed, Encoding::Uncompressed] {
            let chunks = ingest(enc, budget, &ts, &vs);
            check(&chunks, &ts, &vs);
            let built = Chunk::build(enc, budget, &ts, &vs);
            check(&built, &ts, &vs);
        }
    }
}

#[test]
fn extreme_timestamps() {
    let cases: Vec<Vec<i64>> = vec![
        vec![0, i64::MAX],
        vec![0, 1, i64::MAX - 1, i64::MAX],
        (0..300).map(|i| if i < 299 { i } else { i64::MAX }).collect(),
        (0..300).map(|i| i64::MAX - 299 + i).collect(),
        vec![i64::MIN, -1, 0, 1, i64::MAX],
        (0..200).map(|i| (i as i64) << 55).collect(),
    ];
    for ts in cases {
        let vs: Vec<f64> = ts.iter().map(|&t| t as f64).collect();
        for budget in [48, 4096] {
            check(&ingest(Encoding::Compressed, budget, &ts, &vs), &ts, &vs);
        }
    }
}

#[test]
fn overflow_restores_the_summary() {
    // A value stream whose blocks do not fit a small budget after the first.
    let ts: Vec<i64> = (1..=400).collect();
    let vs: Vec<f64> =
        (0..400u64).map(|i| f64::from_bits(i.wrapping_mul(0xD1B5_4A32_D192_ED03) | 1)).collect();
    let mut c = Chunk::new(Encoding::Compressed, 1200);
    let mut kept = 0;
    for i in 0..400 {
        match c.push(ts[i], vs[i]) {
            Ok(()) => kept += 1,
            Err(over) => {
                assert_eq!(kept + 1, c.len() + over.ts.len());
                assert_eq!(over.ts, ts[c.len()..=i]);
                assert_eq!(bits(&over.vals), bits(&vs[c.len()..=i]));
                assert!(same_summary(c.summary(), &Summary::of(&ts[..c.len()], &vs[..c.len()])));
                assert!(c.is_full());
                assert!(c.data_bytes() <= 1200);
                return;
            }
        }
    }
    panic!("never overflowed");
}

#[test]
fn ranges_and_blocks() {
    let (ts, vs) = series(3000);
    let chunks = Chunk::build(Encoding::Compressed, 1 << 20, &ts, &vs);
    assert_eq!(chunks.len(), 1);
    let c = &chunks[0];
    let mut prev_end = i64::MIN;
    for b in c.blocks() {
        let b = b.unwrap();
        assert!(b.start() > prev_end && b.end() >= b.start());
        let (mut bt, mut bv) = (Vec::new(), Vec::new());
        b.decode_into(&mut bt, &mut bv).unwrap();
        assert_eq!((bt[0], *bt.last().unwrap(), bt.len()), (b.start(), b.end(), b.len()));
        prev_end = b.end();
    }
    for (from, to) in [
        (0, i64::MAX),
        (ts[5], ts[5]),
        (ts[100] + 1, ts[2999] - 1),
        (ts[2950], ts[2990]),
        (5, 4),
        (ts[2999] + 1, i64::MAX),
    ] {
        let (mut rt, mut rv) = (Vec::new(), Vec::new());
        c.decode_range_into(from, to, &mut rt, &mut rv).unwrap();
        let want: Vec<usize> = (0..ts.len()).filter(|&i| ts[i] >= from && ts[i] <= to).collect();
        assert_eq!(rt, want.iter().map(|&i| ts[i]).collect::<Vec<_>>());
        assert_eq!(bits(&rv), want.iter().map(|&i| vs[i].to_bits()).collect::<Vec<_>>());
    }
    assert_eq!(c.last_sample(), Some((ts[2999], vs[2999])));
}

#[test]
fn seal_tail_frees_the_tail() {
    let (ts, vs) = series(1000);
    let mut c = Chunk::build(Encoding::Compressed, DEFAULT_CHUNK_SIZE, &ts, &vs).pop().unwrap();
    let before = c.mem_bytes();
    assert!(c.seal_tail());
    assert!(c.mem_bytes() < before);
    assert_eq!(c.last_sample(), Some((ts[999], vs[999])));
    c.push(ts[999] + 5, 1.5).unwrap();
    let (t, _) = decode_all(&c);
    assert_eq!(*t.last().unwrap(), ts[999] + 5);
    assert_eq!(t.len(), c.len());
}

#[test]
fn snapshot_round_trip_and_every_prefix_fails() {
    let (ts, vs) = series(700);
    let mut chunks = Chunk::build(Encoding::Compressed, 600, &ts, &vs);
    chunks.extend(Chunk::build(Encoding::Uncompressed, 200, &ts[..20], &vs[..20]));
    chunks.push(Chunk::new(Encoding::Compressed, 4096));
    for c in &chunks {
        let mut out = vec![7u8];
        c.write_to(&mut out);
        out.push(9);
        let mut pos = 1;
        let r = Chunk::read_from(&out, &mut pos).unwrap();
        assert_eq!(pos, out.len() - 1);
        assert_eq!(decode_all(&r).0, decode_all(c).0);
        assert_eq!(bits(&decode_all(&r).1), bits(&decode_all(c).1));
        assert!(same_summary(r.summary(), c.summary()));
        assert_eq!(
            (r.is_full(), r.budget(), r.encoding(), r.data_bytes()),
            (c.is_full(), c.budget(), c.encoding(), c.data_bytes())
        );
        let body = &out[1..out.len() - 1];
        for cut in 0..body.len() {
            let mut pos = 0;
            let e = Chunk::read_from(&body[..cut], &mut pos).unwrap_err();
            assert_eq!(e.kind(), crate::error::ErrorKind::Corrupt);
        }
    }
}

#[test]
fn bit_flips_never_panic() {
    let (ts, mut vs) = series(400);
    vs[17] = f64::NAN;
    vs[18] = 1.0 / 3.0;
    let c = Chunk::build(Encoding::Compressed, 4096, &ts, &vs).pop().unwrap();
    let mut out = Vec::new();
    c.write_to(&mut out);
    for i in 0..out.len() * 8 {
        let mut bad = out.clone();
        bad[i / 8] ^= 1 << (i % 8);
        let mut pos = 0;
        if let Ok(r) = Chunk::read_from(&bad, &mut pos) {
            let (t, v) = decode_all(&r);
            assert_eq!(t.len(), r.len());
            assert!(t.windows(2).all(|w| w[0] < w[1]));
            assert!(same_summary(r.summary(), &Summary::of(&t, &v)));
        }
    }
}

/// A small deterministic generator (xorshift).
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Mixed data: decimal walks with NaN, near-decimals, specials, raw bits; regular timestamps
/// with a gap one sample in `odds` on average, and irregular stretches.
fn mixed_gaps(g: &mut Gen, n: usize, odds: u64) -> (Vec<i64>, Vec<f64>) {
    let (mut ts, mut vs) = (Vec::new(), Vec::new());
    let (mut t, mut x) = (g.below(1 << 40) as i64, 0i64);
    let irregular = g.below(3) == 0;
    for _ in 0..n {
        t += match g.below(odds) {
            0 => 1 + g.below(1 << 20) as i64,
            _ if irregular => 1 + g.below(7) as i64,
            _ => 1000,
        };
        x += g.below(101) as i64 - 50;
        let v = match g.below(100) {
            0 => f64::NAN,
            1 => f64::from_bits(g.next()),
            2 => f64::from_bits((x as f64 / 100.0).to_bits() + 1),
            3 => -0.0,
            _ => x as f64 / 100.0,
        };
        ts.push(t);
        vs.push(v);
    }
    (ts, vs)
}

/// The index agrees with the decoded blocks: counts, bounds, stats, positions, ends, regularity
/// (counted in `regular_seen`) and the spans of regular groups.
fn check_index(c: &Chunk, regular_seen: &mut usize) {
    let Some(groups) = c.groups() else { return };
    let (mut seen, mut prev_end) = (0usize, None);
    for g in groups {
        let (mut t, mut v) = (Vec::new(), Vec::new());
        let mut want =
            index::Stats { nan: 0, sum: 0.0, min: f64::INFINITY, max: f64::NEG_INFINITY, min_at: 0, max_at: 0, own: 0.0 };
        for (k, b) in g.blocks().enumerate() {
            let b = b.unwrap();
            let (bt, bv) = {
                let (mut bt, mut bv) = (Vec::new(), Vec::new());
                b.decode_into(&mut bt, &mut bv).unwrap();
                (bt, bv)
            };
            // A block's own sum: sequential from 0, NaN included (what a scan of it adds).
            let own = bv.iter().fold(0.0, |s, &x| s + x);
            assert_eq!(g.own_sum(k).to_bits(), own.to_bits(), "block {k}: {bv:?}");
            let st = index::stats_from(&bv, if t.is_empty() { 0.0 } else { want.sum });
            if st.min < want.min {
                (want.min, want.min_at) = (st.min, t.len() + st.min_at);
            }
            if st.max > want.max {
                (want.max, want.max_at) = (st.max, t.len() + st.max_at);
            }
            want.sum = st.sum;
            want.nan += st.nan;
            t.extend(bt);
            v.extend(bv);
        }
        // Regular groups: spans from the index, exactly the headers' (after any blocks passed
        // without reading theirs); the flag exactly when the naive definition holds.
        let step = t.get(1).map_or(0, |&x| x - t[0]);
        let regular = t.len() == g.blocks().count() * BLOCK_LEN
            && 0 < step
            && step < u32::MAX as i64
            && t.windows(2).all(|w| w[1] - w[0] == step)
            && prev_end.is_none_or(|p| t[0] == p + step);
        assert_eq!(g.blocks().span().is_some(), regular, "regular group {}", regular_seen);
        if regular {
            *regular_seen += 1;
            assert_eq!(g.start(), t[0]);
            let n = g.blocks().count();
            for skipped in 0..n {
                let mut blocks = g.blocks();
                for k in 0..n {
                    let s = blocks.span().unwrap();
                    let want = Span { start: t[k * BLOCK_LEN], end: t[k * BLOCK_LEN + BLOCK_LEN - 1], len: BLOCK_LEN };
                    assert_eq!(s, want);
                    if k < skipped {
                        blocks.pass(s);
                    } else {
                        let b = blocks.next().unwrap().unwrap();
                        assert_eq!(b.span(), want);
                        let (mut bt, mut bv) = (Vec::new(), Vec::new());
                        b.decode_into(&mut bt, &mut bv).unwrap();
                        assert_eq!(bt, t[k * BLOCK_LEN..(k + 1) * BLOCK_LEN]);
                    }
                }
                assert!(blocks.span().is_none() && blocks.next().is_none());
            }
        }
        let st = g.stats();
        assert_eq!((g.len(), g.end()), (t.len(), *t.last().unwrap()));
        assert!(g.start() <= t[0] && prev_end.is_none_or(|p| g.start() > p));
        if prev_end.is_none() {
            assert_eq!(g.start(), t[0]);
        }
        assert_eq!((st.nan, st.min_at, st.max_at), (want.nan, want.min_at, want.max_at));
        assert_eq!(bits(&[st.min, st.max]), bits(&[want.min, want.max]));
        assert!(st.sum == want.sum || (st.sum.is_nan() && want.sum.is_nan()));
        if st.nan < t.len() {
            assert_eq!(g.ts_at(st.min_at).unwrap(), t[st.min_at]);
            assert_eq!(g.ts_at(st.max_at).unwrap(), t[st.max_at]);
            let f = v.iter().position(|x| !x.is_nan()).unwrap();
            let l = v.iter().rposition(|x| !x.is_nan()).unwrap();
            let (gf, gl) = (g.first_valid().unwrap().unwrap(), g.last_valid().unwrap().unwrap());
            assert_eq!((gf.0, gf.1.to_bits(), gl.0, gl.1.to_bits()), (t[f], v[f].to_bits(), t[l], v[l].to_bits()));
        }
        seen += t.len();
        prev_end = Some(g.end());
    }
    let tail = c.tail_block().map_or(0, |b| b.len());
    assert_eq!(seen + tail, c.len());
}

/// Ingests through `push_many` in batches of random sizes, as `Series::append_batch` does.
fn ingest_many(g: &mut Gen, budget: usize, ts: &[i64], vs: &[f64]) -> Vec<Chunk> {
    let mut chunks = vec![Chunk::new(Encoding::Compressed, budget)];
    let mut i = 0;
    while i < ts.len() {
        let end = (i + 1 + g.below(400) as usize).min(ts.len());
        let mut j = i;
        while j < end {
            let (used, over) = chunks.last_mut().unwrap().push_many(&ts[j..end], &vs[j..end]);
            j += used;
            if let Some(over) = over {
                chunks.extend(Chunk::build(Encoding::Compressed, budget, &over.ts, &over.vals));
            }
        }
        i = end;
    }
    chunks
}

#[test]
fn push_many_equals_pushes_and_the_index_is_exact() {
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    let mut regular = 0;
    for round in 0..40 {
        let n = 1 + g.below(3000) as usize;
        // Every other round with rare gaps: regular groups (see `check_index`).
        let (ts, vs) = mixed_gaps(&mut g, n, if round % 2 == 0 { 50 } else { 3000 });
        let budget = [48, 200, 1024, 4096, 65536][round % 5];
        let one = ingest(Encoding::Compressed, budget, &ts, &vs);
        let many = ingest_many(&mut g, budget, &ts, &vs);
        check(&many, &ts, &vs);
        assert_eq!(one.len(), many.len(), "round {round}");
        for (a, b) in one.iter().zip(&many) {
            let (mut x, mut y) = (Vec::new(), Vec::new());
            a.write_to(&mut x);
            b.write_to(&mut y);
            assert_eq!(x, y, "round {round}: same bytes");
            assert!(same_summary(a.summary(), b.summary()));
            assert_eq!(a.index.raw(), b.index.raw(), "round {round}: same index");
            check_index(b, &mut regular);
            // A restored chunk rebuilds the same index.
            let r = Chunk::read_from(&x, &mut 0).unwrap();
            assert_eq!(r.index.raw(), b.index.raw(), "round {round}: restored index");
        }
    }
    // The arithmetic spans were checked, not only the header walk.
    assert!(regular > 20, "{regular} regular groups");
}

#[test]
fn index_with_huge_steps() {
    // Steps beyond u32 are not kept in the index: the walk finds them in the headers.
    let ts: Vec<i64> = (0..2000).map(|i| i * (1 << 33) + (i % 3)).collect();
    let vs: Vec<f64> = (0..2000).map(|i| (i % 17) as f64).collect();
    for c in Chunk::build(Encoding::Compressed, 4096, &ts, &vs) {
        check_index(&c, &mut 0);
    }
    let ts: Vec<i64> = (0..2000).map(|i| i * (1 << 33)).collect();
    for c in Chunk::build(Encoding::Compressed, 4096, &ts, &vs) {
        check_index(&c, &mut 0);
    }
}

#[test]
fn regular_groups_need_contiguous_blocks() {
    // A step of 1000 with a 500 longer interval before every block `b` with b % 5 == 3: at a
    // group's first block (b = 8, 28, ...) and inside groups (b = 3, 13, ...).
    let ts: Vec<i64> = (0..20_000).map(|i| i * 1000 + 500 * ((i / BLOCK_LEN as i64 + 2) / 5)).collect();
    let vs: Vec<f64> = (0..20_000).map(|i| (i % 17) as f64).collect();
    let mut regular = 0;
    for c in Chunk::build(Encoding::Compressed, 4096, &ts, &vs) {
        check_index(&c, &mut regular);
    }
    assert!(regular > 0);
}

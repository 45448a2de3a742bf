//! Randomised round trips of every codec and of whole chunks, on random and adversarial
//! timestamps and values; snapshots that are truncated or damaged must fail cleanly.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use tsdb_wasm::chunk::varint::Cursor;
use tsdb_wasm::chunk::{decimal, gorilla, intseq, Chunk, Encoding, Summary, MIN_CHUNK_SIZE};

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn same_summary(a: &Summary, b: &Summary) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

/// A value: decimal, near-decimal, special, or any bit pattern.
fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => (-1_000_000i64..1_000_000, 0u32..6).prop_map(|(n, e)| n as f64 / 10f64.powi(e as i32)),
        2 => (-1_000_000i64..1_000_000, 1u32..6, -2i64..=2)
            .prop_map(|(n, e, k)| f64::from_bits((n as f64 / 10f64.powi(e as i32)).to_bits().wrapping_add(k as u64))),
        1 => any::<u64>().prop_map(f64::from_bits),
        1 => prop_oneof![
            Just(f64::NAN),
            Just(f64::from_bits(0x7ff0_0000_0000_0001)),
            Just(f64::from_bits(0xfff8_dead_beef_cafe)),
            Just(-0.0),
            Just(0.0),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(5e-324),
            Just(f64::MAX),
            Just(f64::MIN),
        ],
    ]
}

/// Values: a random mix, a smooth random walk, or long runs of repeats.
fn values(n: usize) -> impl Strategy<Value = Vec<f64>> {
    prop_oneof![
        prop::collection::vec(value(), n),
        (any::<i32>(), prop::collection::vec(-50i64..50, n), 0u32..4).prop_map(
            |(start, steps, e)| {
                let mut x = start as i64;
                steps
                    .iter()
                    .map(|s| {
                        x += s;
                        x as f64 / 10f64.powi(e as i32)
                    })
                    .collect()
            }
        ),
        (value(), value(), prop::collection::vec(0u8..10, n))
            .prop_map(|(a, b, pick)| pick.iter().map(|&p| if p == 0 { b } else { a }).collect()),
    ]
}

/// Strictly increasing timestamps anywhere in i64, with adversarial gaps.
fn timestamps(n: usize) -> impl Strategy<Value = Vec<i64>> {
    let start = prop_oneof![
        Just(0i64),
        Just(i64::MIN),
        any::<i64>(),
        Just(1_700_000_000_000i64),
        Just(i64::MAX - 100)
    ];
    let gap = prop_oneof![
        6 => Just(1000u64),
        2 => 1u64..5,
        2 => (1u64..4).prop_map(|d| d * 86_400_000),
        1 => 995u64..1006,
        1 => 1u64..u64::MAX,
    ];
    (start, prop::collection::vec(gap, n)).prop_map(move |(start, gaps)| {
        let mut out = vec![start];
        let mut t = start;
        for g in gaps {
            match t.checked_add_unsigned(g) {
                Some(x) => {
                    t = x;
                    out.push(t);
                }
                None => break,
            }
        }
        out.truncate(n.max(1));
        out
    })
}

fn samples(max: usize) -> impl Strategy<Value = (Vec<i64>, Vec<f64>)> {
    (1..max).prop_flat_map(|n| (timestamps(n), values(n))).prop_map(|(t, mut v)| {
        v.truncate(t.len());
        let t = t[..v.len()].to_vec();
        (t, v)
    })
}

fn decode_all(c: &Chunk) -> (Vec<i64>, Vec<f64>) {
    let (mut t, mut v) = (Vec::new(), Vec::new());
    c.decode_into(&mut t, &mut v).unwrap();
    (t, v)
}

fn ingest(enc: Encoding, budget: usize, ts: &[i64], vs: &[f64]) -> Vec<Chunk> {
    let mut chunks = vec![Chunk::new(enc, budget)];
    for (&t, &v) in ts.iter().zip(vs) {
        if let Err(over) = chunks.last_mut().unwrap().push(t, v) {
            chunks.extend(Chunk::build(enc, budget, &over.ts, &over.vals));
        }
    }
    chunks.retain(|c| !c.is_empty());
    chunks
}

fn encoding() -> impl Strategy<Value = Encoding> {
    prop_oneof![4 => Just(Encoding::Compressed), 1 => Just(Encoding::Uncompressed)]
}

fn budget() -> impl Strategy<Value = usize> {
    prop_oneof![Just(4096usize), Just(MIN_CHUNK_SIZE), 0usize..300, 48usize..10_000]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn chunks_round_trip((ts, vs) in samples(1000), enc in encoding(), budget in budget(), range in any::<(i64, i64)>()) {
        for chunks in [ingest(enc, budget, &ts, &vs), Chunk::build(enc, budget, &ts, &vs)] {
            let (mut t, mut v) = (Vec::new(), Vec::new());
            for c in &chunks {
                prop_assert!(c.data_bytes() <= budget.max(MIN_CHUNK_SIZE));
                let (ct, cv) = decode_all(c);
                prop_assert_eq!(ct.len(), c.len());
                prop_assert!(same_summary(c.summary(), &Summary::of(&ct, &cv)), "summary");
                prop_assert_eq!((c.start(), c.end()), (ct[0], *ct.last().unwrap()));
                let mut n = 0;
                for b in c.blocks() {
                    let b = b.unwrap();
                    let (mut bt, mut bv) = (Vec::new(), Vec::new());
                    b.decode_into(&mut bt, &mut bv).unwrap();
                    prop_assert_eq!((bt[0], *bt.last().unwrap(), bt.len()), (b.start(), b.end(), b.len()));
                    n += b.len();
                }
                prop_assert_eq!(n, c.len());
                t.extend(ct);
                v.extend(cv);
            }
            prop_assert_eq!(&t, &ts);
            prop_assert_eq!(bits(&v), bits(&vs));
            // A range query equals the naive filter.
            let (from, to) = (range.0.min(range.1), range.0.max(range.1));
            let (from, to) = if range.0 % 2 == 0 { (ts[ts.len() / 3], ts[ts.len() / 2]) } else { (from, to) };
            let (mut rt, mut rv) = (Vec::new(), Vec::new());
            for c in &chunks {
                c.decode_range_into(from, to, &mut rt, &mut rv).unwrap();
            }
            let want: Vec<usize> = (0..ts.len()).filter(|&i| ts[i] >= from && ts[i] <= to).collect();
            prop_assert_eq!(rt, want.iter().map(|&i| ts[i]).collect::<Vec<_>>());
            prop_assert_eq!(bits(&rv), want.iter().map(|&i| vs[i].to_bits()).collect::<Vec<_>>());
        }
    }

    #[test]
    fn snapshots_round_trip_and_fail_cleanly((ts, vs) in samples(400), enc in encoding(), budget in budget(), flips in prop::collection::vec(any::<usize>(), 1..8)) {
        for c in ingest(enc, budget, &ts, &vs) {
            let mut out = Vec::new();
            c.write_to(&mut out);
            let mut pos = 0;
            let r = Chunk::read_from(&out, &mut pos).unwrap();
            prop_assert_eq!(pos, out.len());
            let ((a, b), (x, y)) = (decode_all(&r), decode_all(&c));
            prop_assert_eq!(a, x);
            prop_assert_eq!(bits(&b), bits(&y));
            prop_assert!(same_summary(r.summary(), c.summary()));
            // Every prefix fails (checked on a sample of cut points for long chunks).
            let step = (out.len() / 64).max(1);
            for cut in (0..out.len()).step_by(step).chain(out.len().saturating_sub(9)..out.len()) {
                let mut pos = 0;
                prop_assert!(Chunk::read_from(&out[..cut], &mut pos).is_err());
            }
            // Flipped bits: an error or a consistent chunk, never a panic.
            let mut bad = out.clone();
            for f in &flips {
                let i = f % (bad.len() * 8);
                bad[i / 8] ^= 1 << (i % 8);
            }
            let mut pos = 0;
            if let Ok(r) = Chunk::read_from(&bad, &mut pos) {
                let (t, v) = decode_all(&r);
                prop_assert_eq!(t.len(), r.len());
                prop_assert!(t.windows(2).all(|w| w[0] < w[1]));
                prop_assert!(same_summary(r.summary(), &Summary::of(&t, &v)));
            }
        }
    }

    #[test]
    fn garbage_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let mut pos = 0;
        let _ = Chunk::read_from(&bytes, &mut pos);
        let mut with_header = vec![0u8, 0, 0x80, 0x20, (bytes.len() as u8) & 0x7f];
        with_header.extend_from_slice(&bytes);
        let mut pos = 0;
        let _ = Chunk::read_from(&with_header, &mut pos);
    }

    #[test]
    fn intseq_round_trips(xs in prop::collection::vec(prop_oneof![any::<u64>(), 0u64..10, Just(u64::MAX), Just(1u64 << 63)], 1..=128), order in 0usize..3) {
        let mut out = Vec::new();
        intseq::encode(&xs, order, &mut out);
        let mut got = vec![0; xs.len()];
        let mut cur = Cursor::new(&out, 0);
        intseq::decode(&mut cur, &mut got).unwrap();
        prop_assert_eq!(cur.pos(), out.len());
        prop_assert_eq!(got, xs);
    }

    #[test]
    fn decimal_round_trips(vs in (1usize..=128).prop_flat_map(values)) {
        let mut out = Vec::new();
        if decimal::encode(&vs, &mut out).is_some() {
            let mut got = vec![0.0; vs.len()];
            let mut cur = Cursor::new(&out, 0);
            decimal::decode(&mut cur, &mut got).unwrap();
            prop_assert_eq!(cur.pos(), out.len());
            prop_assert_eq!(bits(&got), bits(&vs));
        }
    }

    #[test]
    fn gorilla_round_trips((ts, vs) in samples(600)) {
        let mut out = Vec::new();
        gorilla::encode(&ts, &vs, &mut out);
        let (mut t, mut v) = (vec![0; ts.len()], vec![0.0; ts.len()]);
        prop_assert_eq!(gorilla::decode(&out, &mut t, &mut v).unwrap(), out.len());
        prop_assert_eq!(t, ts);
        prop_assert_eq!(bits(&v), bits(&vs));
    }
}

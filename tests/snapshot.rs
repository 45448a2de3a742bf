//! Snapshots: exact round trips, and every truncation and single-bit flip rejected cleanly.
#![cfg(not(target_arch = "wasm32"))]

use tsdb_wasm::{execute, Engine, ErrorKind, Reply};

fn build() -> Engine {
    let mut e = Engine::new();
    let cmds = [
        "TS.CREATE temp RETENTION 100000 CHUNK_SIZE 128 DUPLICATE_POLICY LAST IGNORE 5 0.5 LABELS room kitchen unit C",
        "TS.CREATE raw ENCODING UNCOMPRESSED CHUNK_SIZE 64 LABELS kind raw",
        "TS.CREATE empty",
    ];
    for c in cmds {
        assert_eq!(execute(&mut e, c, 0), Reply::ok(), "{c}");
    }
    let specials = [f64::NAN, -0.0, 5e-324, f64::MAX, -1e300, f64::from_bits(0x7ff8_0000_dead_beef)];
    for i in 0..200i64 {
        let v = if i % 97 == 0 { specials[(i / 97) as usize % specials.len()] } else { (i as f64 * 0.37).sin() * 20.0 };
        e.add("temp", 1_000 + i * 250, (v * 100.0).round() / 100.0, &Default::default()).unwrap();
        e.add("raw", i * 7, v, &Default::default()).unwrap();
    }
    e.delete_range("temp", 20_000, 25_000).unwrap();
    e
}

/// Per series: key, samples (value bits) and TS.INFO text.
type Dump = Vec<(String, Vec<(i64, u64)>, String)>;

fn dump(e: &Engine) -> Dump {
    e.sorted_keys()
        .into_iter()
        .map(|k| {
            let (ts, vs) = e.range(k, 0, i64::MAX).unwrap();
            let mut info = e.info(k).unwrap();
            info.memory_usage = 0;
            (k.to_owned(), ts.into_iter().zip(vs.into_iter().map(f64::to_bits)).collect(), format!("{info:?}"))
        })
        .collect()
}

#[test]
fn round_trip_is_exact() {
    let e = build();
    let bytes = e.snapshot();
    assert_eq!(&bytes[..8], b"TSDBSNAP");
    let r = Engine::restore(&bytes).unwrap();
    assert_eq!(dump(&r), dump(&e));
    // And the restored engine keeps working exactly like the original.
    let (mut a, mut b) = (e, r);
    for cmd in ["TS.ADD temp 200000 1.5", "TS.ADD raw 5 2", "TS.ADD empty 1 1", "TS.DEL temp - 2000"] {
        assert_eq!(format!("{:?}", execute(&mut a, cmd, 0)), format!("{:?}", execute(&mut b, cmd, 0)), "{cmd}");
    }
    assert_eq!(dump(&a), dump(&b));
    assert_eq!(b.snapshot(), a.snapshot());
}

#[test]
fn empty_database_round_trips() {
    let e = Engine::new();
    assert!(Engine::restore(&e.snapshot()).unwrap().is_empty());
}

#[test]
fn every_truncation_is_rejected() {
    for bytes in [build().snapshot(), golden_engine().snapshot()] {
        for n in 0..bytes.len() {
            let err = Engine::restore(&bytes[..n]).err().unwrap_or_else(|| panic!("prefix of {n} bytes accepted"));
            assert_eq!(err.kind(), ErrorKind::Corrupt);
        }
    }
}

#[test]
fn every_single_bit_flip_is_rejected() {
    let bytes = golden_engine().snapshot();
    let mut copy = bytes.clone();
    for i in 0..bytes.len() {
        for bit in 0..8 {
            copy[i] ^= 1 << bit;
            let err = Engine::restore(&copy).err().unwrap_or_else(|| panic!("flip of byte {i} bit {bit} accepted"));
            assert_eq!(err.kind(), ErrorKind::Corrupt);
            copy[i] ^= 1 << bit;
        }
    }
}

#[test]
fn errors_say_what_is_wrong() {
    let bytes = build().snapshot();
    let msg = |b: &[u8]| Engine::restore(b).err().map(|e| e.message().to_owned()).unwrap_or_default();
    assert!(msg(b"hello world, not a snapshot").contains("bad magic"));
    let mut v2 = bytes.clone();
    v2[8] = 2;
    assert!(msg(&v2).contains("unsupported snapshot format version 2"));
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(msg(&longer).contains("does not match its header"));
    let mut flipped = bytes.clone();
    flipped[40] ^= 0x10;
    assert!(msg(&flipped).contains("checksum mismatch"));
}

/// The database frozen in tests/fixtures/golden-v1.snap (format version 1).
fn golden_engine() -> Engine {
    let mut e = Engine::new();
    for c in [
        "TS.CREATE src RETENTION 0 DUPLICATE_POLICY SUM LABELS sensor t1 room lab",
        "TS.CREATE avg10 LABELS sensor t1 agg avg",
        "TS.CREATE max10 ENCODING UNCOMPRESSED",
        "TS.CREATERULE src avg10 AGGREGATION avg 10",
        "TS.CREATERULE src max10 AGGREGATION max 10 5",
        "TS.CREATE irregular CHUNK_SIZE 48 IGNORE 3 0.5 LABELS kind \"with space\"",
    ] {
        assert_eq!(execute(&mut e, c, 0), Reply::ok(), "{c}");
    }
    for i in 0..300i64 {
        let v = if i % 50 == 7 { f64::NAN } else { ((i * 37) % 101) as f64 / 4.0 - 3.0 };
        e.add("src", i * 3, v, &Default::default()).unwrap();
        e.add("irregular", i * i + (i % 5), -v, &Default::default()).unwrap();
    }
    e
}

#[test]
fn golden_snapshot_stays_readable() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/golden-v1.snap");
    let want = golden_engine();
    if std::env::var_os("TSDB_WRITE_GOLDEN").is_some() {
        std::fs::write(path, want.snapshot()).unwrap();
    }
    let bytes = std::fs::read(path).expect("tests/fixtures/golden-v1.snap (TSDB_WRITE_GOLDEN=1 writes it)");
    let got = Engine::restore(&bytes).unwrap();
    assert_eq!(dump(&got), dump(&want));
    // Chunks and rule state are kept as stored: writing the restored database gives the same bytes.
    assert_eq!(got.snapshot(), bytes);
    // The rules and their open buckets came back: the next sample closes the open bucket.
    let (mut a, mut b) = (want, got);
    for cmd in ["TS.ADD src 2000 1", "TS.RANGE avg10 880 +", "TS.RANGE max10 - + COUNT 3", "TS.GET avg10 LATEST"] {
        assert_eq!(format!("{:?}", execute(&mut a, cmd, 0)), format!("{:?}", execute(&mut b, cmd, 0)), "{cmd}");
    }
}

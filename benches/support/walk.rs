//! The benches' data: a regular 1 s series of 2-decimal random-walk values (deterministic
//! xorshift), starting at [`T0`].

/// First timestamp (a multiple of 10 000 000 ms and of 60 000 ms, so bucket grids aligned to 0
/// start at the first sample).
pub const T0: i64 = 1_700_000_000_000;

/// `n` samples of the random walk: timestamps and values.
pub fn random_walk(n: usize) -> (Vec<i64>, Vec<f64>) {
    let mut s = 0x2545_F491_4F6C_DD1Du64;
    let mut x = 2137i64;
    let mut ts = Vec::with_capacity(n);
    let mut vs = Vec::with_capacity(n);
    for i in 0..n {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        x += (s % 101) as i64 - 50;
        ts.push(T0 + i as i64 * 1000);
        vs.push(x as f64 / 100.0);
    }
    (ts, vs)
}

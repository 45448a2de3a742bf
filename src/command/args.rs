//! Argument parsing shared by every command: numbers as RedisTimeSeries reads them.

/// Parses an integer as Redis' `string2ll` does: an optional `-`, then `0` alone or digits
/// without a leading zero; no `+`, no spaces, no junk; overflow rejected.
pub fn parse_i64(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 20 {
        return None;
    }
    if b == b"0" {
        return Some(0);
    }
    let (neg, digits) = match b[0] {
        b'-' => (true, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() || !(b'1'..=b'9').contains(&digits[0]) {
        return None;
    }
    let mut v: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    if neg {
        if v > 1u64 << 63 {
            None
        } else {
            Some((v as i64).wrapping_neg())
        }
    } else {
        i64::try_from(v).ok()
    }
}

/// Parses a sample value: `[-]digits[.digits][(e|E)[+|-]digits]`, or `nan` (any case, optional
/// `-`) as NaN — the syntax later RedisTimeSeries releases accept. No `+`, no leading `.`, no
/// trailing `.`, no `inf`, no spaces, no junk after the number. Values that overflow to ±inf are
/// rejected.
pub fn parse_value(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let body = b.strip_prefix(b"-").unwrap_or(b);
    if body.eq_ignore_ascii_case(b"nan") {
        return Some(f64::NAN);
    }
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < body.len() && body[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if digits(&mut i) == 0 {
        return None;
    }
    if i < body.len() && body[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return None;
        }
    }
    if i < body.len() && (body[i] == b'e' || body[i] == b'E') {
        i += 1;
        if i < body.len() && (body[i] == b'+' || body[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return None;
        }
    }
    if i != body.len() {
        return None;
    }
    let v: f64 = s.parse().ok()?;
    v.is_finite().then_some(v)
}

/// Parses a double option argument (IGNORE maxValDiff, FILTER_BY_VALUE...) with the same syntax
/// as values, NaN excluded.
pub fn parse_f64_arg(s: &str) -> Option<f64> {
    parse_value(s).filter(|v| !v.is_nan())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_as_string2ll() {
        assert_eq!(parse_i64("0"), Some(0));
        assert_eq!(parse_i64("123"), Some(123));
        assert_eq!(parse_i64("-5"), Some(-5));
        assert_eq!(parse_i64("9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64("-9223372036854775808"), Some(i64::MIN));
        for bad in ["", "-", "01", "-0", "+1", "1.0", " 1", "1 ", "9223372036854775808", "1e3", "0x1"] {
            assert_eq!(parse_i64(bad), None, "{bad}");
        }
    }

    #[test]
    fn values_strict() {
        assert_eq!(parse_value("1e3"), Some(1000.0));
        assert_eq!(parse_value("1E-1"), Some(0.1));
        assert_eq!(parse_value("-0").map(f64::to_bits), Some((-0.0f64).to_bits()));
        assert_eq!(parse_value("007.5"), Some(7.5));
        assert_eq!(parse_value("4.9e-324"), Some(5e-324));
        assert!(parse_value("nan").unwrap().is_nan());
        assert!(parse_value("-NaN").unwrap().is_nan());
        for bad in ["", ".1", "5.", "+5", "inf", "-inf", "1a", "0x1", "1.0.0", "1,0", " 5", "1e", "1e+", "1e400", "--1", "-"] {
            assert_eq!(parse_value(bad), None, "{bad}");
        }
    }
}

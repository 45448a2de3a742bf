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

/// Parses a sample value as later RedisTimeSeries releases do: a JSON number
/// `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?` over the whole argument with a finite result,
/// or `nan` / `+nan` / `-nan` in any case (NaN values, RedisTimeSeries 8.6). Rejected: `+5`,
/// `.5`, `5.`, `007`, `inf`, `1e400`, spaces, and any junk after the number (1.12 took the
/// numeric prefix of `1a` or `0x1`; fixed releases reject them).
pub fn parse_value(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let unsigned = b.strip_prefix(b"-").or_else(|| b.strip_prefix(b"+")).unwrap_or(b);
    if unsigned.eq_ignore_ascii_case(b"nan") {
        return Some(f64::NAN);
    }
    let body = b.strip_prefix(b"-").unwrap_or(b);
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < body.len() && body[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let int_digits = digits(&mut i);
    if int_digits == 0 || (int_digits > 1 && body[0] == b'0') {
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
        assert_eq!(parse_value("0.5"), Some(0.5));
        assert_eq!(parse_value("4.9e-324"), Some(5e-324));
        assert!(parse_value("nan").unwrap().is_nan());
        assert!(parse_value("-NaN").unwrap().is_nan());
        assert!(parse_value("+nan").unwrap().is_nan());
        for bad in ["", ".1", "5.", "+5", "inf", "-inf", "1a", "0x1", "1.0.0", "1,0", " 5", "1e", "1e+", "1e400", "--1", "-", "007", "00.5", "-01", "+1", "nana", "--nan"] {
            assert_eq!(parse_value(bad), None, "{bad}");
        }
    }
}

/// Parses a double as Redis' `string2d` does (C `strtod` over the whole argument): accepts `+`,
/// `.5`, `5.`, leading zeros, exponents, hex (`0x10`, `0x1p-2`), `inf` / `infinity`; rejects
/// leading spaces, junk after the number, NaN, and results that overflow to ±inf or underflow to
/// zero (ERANGE). Used by TS.INCRBY / TS.DECRBY addends and IGNORE maxValDiff.
pub fn parse_redis_double(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (neg, body) = match b.first()? {
        b'+' => (false, &b[1..]),
        b'-' => (true, &b[1..]),
        _ => (false, b),
    };
    let sign = if neg { -1.0 } else { 1.0 };
    if body.eq_ignore_ascii_case(b"inf") || body.eq_ignore_ascii_case(b"infinity") {
        return Some(sign * f64::INFINITY);
    }
    let v = if body.len() > 2 && body[0] == b'0' && (body[1] | 0x20) == b'x' {
        parse_hex_float(&body[2..])?
    } else {
        // Decimal: digits with an optional '.', at least one digit, then an optional exponent
        // with at least one digit.
        let mut i = 0;
        let mut mantissa_digits = 0;
        let mut nonzero = false;
        while i < body.len() && (body[i].is_ascii_digit() || body[i] == b'.') {
            if body[i] == b'.' {
                if body[..i].contains(&b'.') {
                    return None;
                }
            } else {
                mantissa_digits += 1;
                nonzero |= body[i] != b'0';
            }
            i += 1;
        }
        if mantissa_digits == 0 {
            return None;
        }
        if i < body.len() {
            if body[i] | 0x20 != b'e' {
                return None;
            }
            let mut j = i + 1;
            if j < body.len() && (body[j] == b'+' || body[j] == b'-') {
                j += 1;
            }
            if j >= body.len() || !body[j..].iter().all(u8::is_ascii_digit) {
                return None;
            }
        }
        let v: f64 = std::str::from_utf8(body).ok()?.parse().ok()?;
        if v == 0.0 && nonzero {
            return None; // underflow
        }
        v
    };
    if v.is_infinite() || v.is_nan() {
        return None; // overflow
    }
    Some(sign * v)
}

/// The part of a C hex float after `0x`: hex digits with an optional `.`, then an optional
/// binary exponent `p[+-]digits`.
fn parse_hex_float(b: &[u8]) -> Option<f64> {
    let mut mant: f64 = 0.0;
    let mut exp: i64 = 0;
    let mut digits = 0;
    let mut seen_dot = false;
    let mut nonzero = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'.' {
            if seen_dot {
                return None;
            }
            seen_dot = true;
        } else if let Some(d) = (c as char).to_digit(16) {
            digits += 1;
            nonzero |= d != 0;
            if mant < 1e300 {
                mant = mant * 16.0 + f64::from(d);
                if seen_dot {
                    exp -= 4;
                }
            } else if !seen_dot {
                exp += 4;
            }
        } else {
            break;
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    if i < b.len() {
        if b[i] | 0x20 != b'p' {
            return None;
        }
        let rest = std::str::from_utf8(&b[i + 1..]).ok()?;
        let digits_part = rest.strip_prefix(['+', '-']).unwrap_or(rest);
        if digits_part.is_empty() || !digits_part.bytes().all(|d| d.is_ascii_digit()) {
            return None;
        }
        let e: i64 = rest.parse().unwrap_or(if rest.starts_with('-') { -100_000 } else { 100_000 });
        exp = exp.saturating_add(e);
    }
    let v = mant * 2f64.powi(exp.clamp(-2000, 2000) as i32);
    if v == 0.0 && nonzero {
        return None;
    }
    Some(v)
}

#[cfg(test)]
mod redis_double_tests {
    use super::parse_redis_double as p;

    #[test]
    fn strtod_forms() {
        assert_eq!(p("+1"), Some(1.0));
        assert_eq!(p(".5"), Some(0.5));
        assert_eq!(p("5."), Some(5.0));
        assert_eq!(p("007"), Some(7.0));
        assert_eq!(p("0x10"), Some(16.0));
        assert_eq!(p("0x1p-2"), Some(0.25));
        assert_eq!(p("-0x.8"), Some(-0.5));
        assert_eq!(p("1e3"), Some(1000.0));
        assert_eq!(p("inf"), Some(f64::INFINITY));
        assert_eq!(p("-Infinity"), Some(f64::NEG_INFINITY));
        assert_eq!(p("1e-310"), Some(1e-310));
        for bad in ["", " 1", "1 ", "1a", "nan", "1e400", "1e-400", "0x", "1e", "--1", "1.2.3", "."] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }
}

//! Splits a command line into arguments as redis-cli does.
//!
//! Whitespace separates arguments; `"double quotes"` allow `\n \r \t \b \a \\ \" \xHH` escapes;
//! `'single quotes'` allow only `\'`. A closing quote must be followed by whitespace or the end.

use crate::error::{Error, Result};

/// The arguments of `line`, or an error for unbalanced quotes.
pub fn tokenize(line: &str) -> Result<Vec<String>> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let n = bytes.len();
    let unbalanced = || Error::invalid("ERR Protocol error: unbalanced quotes in request");
    loop {
        while i < n && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= n {
            return Ok(out);
        }
        let mut cur: Vec<u8> = Vec::new();
        let (mut dq, mut sq) = (false, false);
        loop {
            if i >= n {
                if dq || sq {
                    return Err(unbalanced());
                }
                break;
            }
            let c = bytes[i];
            if dq {
                if c == b'\\' && i + 3 < n && bytes[i + 1] == b'x' && is_hex(bytes[i + 2]) && is_hex(bytes[i + 3]) {
                    cur.push(hex(bytes[i + 2]) * 16 + hex(bytes[i + 3]));
                    i += 3;
                } else if c == b'\\' && i + 1 < n {
                    i += 1;
                    cur.push(match bytes[i] {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 8,
                        b'a' => 7,
                        other => other,
                    });
                } else if c == b'"' {
                    if i + 1 < n && !bytes[i + 1].is_ascii_whitespace() {
                        return Err(unbalanced());
                    }
                    i += 1;
                    break;
                } else {
                    cur.push(c);
                }
            } else if sq {
                if c == b'\\' && i + 1 < n && bytes[i + 1] == b'\'' {
                    i += 1;
                    cur.push(b'\'');
                } else if c == b'\'' {
                    if i + 1 < n && !bytes[i + 1].is_ascii_whitespace() {
                        return Err(unbalanced());
                    }
                    i += 1;
                    break;
                } else {
                    cur.push(c);
                }
            } else if c.is_ascii_whitespace() {
                break;
            } else if c == b'"' {
                dq = true;
            } else if c == b'\'' {
                sq = true;
            } else {
                cur.push(c);
            }
            i += 1;
        }
        // \xHH escapes may produce invalid UTF-8; keys and labels are JS strings, so such
        // bytes are replaced rather than rejected.
        out.push(String::from_utf8(cur).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()));
    }
}

fn is_hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

fn hex(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        _ => b - b'A' + 10,
    }
}

#[cfg(test)]
mod tests {
    use super::tokenize;

    #[test]
    fn splits_and_unquotes() {
        assert_eq!(tokenize("  TS.ADD  k 1\t2 ").unwrap(), ["TS.ADD", "k", "1", "2"]);
        assert_eq!(tokenize(r#"a "b c" 'd e' "x\"y" "\x41\n""#).unwrap(), ["a", "b c", "d e", "x\"y", "A\n"]);
        assert_eq!(tokenize(r#"'it\'s' """#).unwrap(), ["it's", ""]);
        assert_eq!(tokenize("").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn rejects_unbalanced_quotes() {
        for bad in [r#"a "b"#, "a 'b", r#""a"b"#, "'a'b"] {
            assert!(tokenize(bad).is_err(), "{bad}");
        }
    }
}

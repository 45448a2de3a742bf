//! Key glob matching for `KEYS pattern`, with Redis' `stringmatchlen` semantics.
//!
//! | pattern   | matches                                                                  |
//! |-----------|--------------------------------------------------------------------------|
//! | `*`       | any run of bytes (also empty)                                            |
//! | `?`       | exactly one byte (not one character: `é` is two bytes, so `??`)          |
//! | `[abc]`   | one byte of the set; `[^abc]` one byte not in it                         |
//! | `[a-z]`   | one byte in the range (ends may be given in either order: `[z-a]`)       |
//! | `\x`      | the byte `x` literally (also inside `[...]`)                             |
//! | other     | itself; case-sensitive; the whole key must match                         |
//!
//! Redis' corner cases are kept, as `util.c` has them: an unterminated `[abc` at the end of the
//! pattern acts as `[abc]`; a lone `[` at the end matches nothing; `[^` at the end matches any
//! byte; in `[a-]` the `]` is read as the range's end (range `]`..`a`, class unterminated); a
//! trailing `\` is a literal backslash; recursion deeper than 1000 `*`s fails the match (abuse
//! guard); once the rest of the pattern after a `*` fails at every position, earlier `*`s stop
//! trying longer runs (no exponential blow-up). Range ends are compared as C `char` on x86-64
//! Linux (signed), as the reference server does: bytes >= 0x80 sort *before* ASCII in a range.
//! The exact pattern `*` matches every key including the empty key
//! (`KEYS *` lists all keys; `stringmatchlen` alone would not match the empty key).

/// True if `key` matches the glob `pattern` (see the module docs).
///
/// ```
/// use tsdb_wasm::index::glob::glob_match;
/// assert!(glob_match("cpu:*:eu", "cpu:host1:eu"));
/// assert!(glob_match("h[a-f]llo", "hello"));
/// assert!(!glob_match("h[^e]llo", "hello"));
/// assert!(glob_match(r"a\*b", "a*b") && !glob_match(r"a\*b", "aXb"));
/// assert!(!glob_match("hello", "Hello")); // case-sensitive
/// ```
pub fn glob_match(pattern: impl AsRef<[u8]>, key: impl AsRef<[u8]>) -> bool {
    let (pattern, key) = (pattern.as_ref(), key.as_ref());
    if pattern == b"*" {
        return true;
    }
    let mut skip_longer = false;
    string_match(pattern, key, &mut skip_longer, 0)
}

/// A pattern prepared for matching many keys: literal and `prefix*` patterns (the common
/// `KEYS` shapes) skip the general matcher.
///
/// ```
/// use tsdb_wasm::index::glob::Glob;
/// let g = Glob::new("sensor:*");
/// let keys = ["sensor:1", "sensor:2", "other"];
/// let hits: Vec<_> = keys.iter().filter(|k| g.matches(k)).collect();
/// assert_eq!(hits, [&"sensor:1", &"sensor:2"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    pattern: Box<[u8]>,
    shape: Shape,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Exactly `*`.
    All,
    /// No special byte: equality.
    Literal,
    /// A non-empty literal prefix of this length followed only by `*`s.
    Prefix(usize),
    /// Anything else.
    General,
}

fn is_special(b: u8) -> bool {
    matches!(b, b'*' | b'?' | b'[' | b'\\')
}

impl Glob {
    /// Prepares `pattern`.
    pub fn new(pattern: impl AsRef<[u8]>) -> Glob {
        let p = pattern.as_ref();
        let literal_len = p.iter().position(|&b| is_special(b)).unwrap_or(p.len());
        let shape = if p == b"*" {
            Shape::All
        } else if literal_len == p.len() {
            Shape::Literal
        } else if literal_len > 0 && p[literal_len..].iter().all(|&b| b == b'*') {
            Shape::Prefix(literal_len)
        } else {
            Shape::General
        };
        Glob {
            pattern: p.into(),
            shape,
        }
    }

    /// True if `key` matches; the same answer as [`glob_match`].
    pub fn matches(&self, key: impl AsRef<[u8]>) -> bool {
        let key = key.as_ref();
        match self.shape {
            Shape::All => true,
            Shape::Literal => *self.pattern == *key,
            Shape::Prefix(n) => key.starts_with(&self.pattern[..n]),
            Shape::General => string_match(&self.pattern, key, &mut false, 0),
        }
    }
}

/// Redis `stringmatchlen_impl` (case-sensitive). `at` reads the pattern as the C code does,
/// with a NUL terminator past its end.
fn string_match(pattern: &[u8], string: &[u8], skip_longer: &mut bool, nesting: u32) -> bool {
    if nesting > 1000 {
        return false;
    }
    let at = |i: usize| pattern.get(i).copied().unwrap_or(0);
    let (mut p, mut s) = (0usize, 0usize);
    let plen = pattern.len();
    let slen = string.len();
    while p < plen && s < slen {
        match pattern[p] {
            b'*' => {
                while p < plen && at(p + 1) == b'*' {
                    p += 1;
                }
                if plen - p == 1 {
                    return true;
                }
                while s < slen {
                    if string_match(&pattern[p + 1..], &string[s..], skip_longer, nesting + 1) {
                        return true;
                    }
                    if *skip_longer {
                        return false;
                    }
                    s += 1;
                }
                // The rest of the pattern matches nowhere in the rest of the string: a longer
                // run for an earlier `*` cannot help either.
                *skip_longer = true;
                return false;
            }
            b'?' => s += 1,
            b'[' => {
                p += 1;
                let not = at(p) == b'^';
                if not {
                    p += 1;
                }
                let c = string[s];
                let mut hit = false;
                loop {
                    if at(p) == b'\\' && plen - p >= 2 {
                        p += 1;
                        hit |= pattern[p] == c;
                    } else if at(p) == b']' {
                        break;
                    } else if p == plen {
                        // Unterminated: step back so the shared advance below ends the pattern.
                        p -= 1;
                        break;
                    } else if plen - p >= 3 && pattern[p + 1] == b'-' {
                        // C `char` is signed on x86-64.
                        let (mut lo, mut hi) = (pattern[p] as i8, pattern[p + 2] as i8);
                        if lo > hi {
                            std::mem::swap(&mut lo, &mut hi);
                        }
                        hit |= (lo..=hi).contains(&(c as i8));
                        p += 2;
                    } else {
                        hit |= pattern[p] == c;
                    }
                    p += 1;
                }
                if hit == not {
                    return false;
                }
                s += 1;
            }
            b => {
                let lit = if b == b'\\' && plen - p >= 2 {
                    p += 1;
                    pattern[p]
                } else {
                    b
                };
                if lit != string[s] {
                    return false;
                }
                s += 1;
            }
        }
        p += 1;
        if s == slen {
            while at(p) == b'*' {
                p += 1;
            }
            break;
        }
    }
    p >= plen && s == slen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(p: &str, k: &str) -> bool {
        let a = glob_match(p, k);
        assert_eq!(
            a,
            Glob::new(p).matches(k),
            "Glob and glob_match disagree on {p:?} {k:?}"
        );
        a
    }

    #[test]
    fn fixture_cases() {
        // generic/keys-exact-and-star
        for (p, m) in [
            ("hello", true),
            ("*", true),
            ("h*", true),
            ("*o", true),
            ("*ell*", true),
            ("hell", false),
            ("nomatch", false),
        ] {
            assert_eq!(both(p, "hello"), m, "{p}");
        }
        // generic/keys-question-mark
        for (p, m) in [
            ("h?llo", true),
            ("h??lo", true),
            ("?ello", true),
            ("hell?", true),
            ("h?lo", false),
            ("hello?", false),
        ] {
            assert_eq!(both(p, "hello"), m, "{p}");
        }
        // generic/keys-brackets
        for (p, m) in [
            ("h[ae]llo", true),
            ("h[a-f]llo", true),
            ("h[^e]llo", false),
            ("h[^a]llo", true),
            ("h[x-z]llo", false),
            ("h[e]llo", true),
        ] {
            assert_eq!(both(p, "hello"), m, "{p}");
        }
        // generic/keys-case-sensitive
        assert!(!both("hello", "Hello") && both("H*", "Hello") && !both("h*", "Hello"));
        // generic/keys-escapes
        assert!(
            both(r"a\*b", "a*b")
                && both("a*b", "a*b")
                && both("a?b", "a*b")
                && both(r"x\?y", "x?y")
        );
        assert!(!both(r"x\?y", "xay") && both("x*", "x?y") && !both("a*", "x?y"));
        // generic/keys-with-spaces
        assert!(both("a b", "a b") && both("a*", "a b"));
    }

    #[test]
    fn stars() {
        assert!(both("*", ""), "KEYS * lists the empty key");
        assert!(
            !both("**", ""),
            "stringmatchlen never matches an empty string with a non-empty pattern"
        );
        assert!(!both("a*", ""));
        assert!(
            both("a*", "a") && both("a**", "a") && both("a*b*c", "abc") && both("a*b*c", "aXXbYYc")
        );
        assert!(
            !both("a*b*c", "aXXbYYcd")
                && both("*c", "abc")
                && both("*b*", "abc")
                && !both("*d*", "abc")
        );
        assert!(both("***", "x") && both("*?", "x") && !both("*??", "x"));
        assert!(both("?*", "x") && both("a*", "a*"));
    }

    #[test]
    fn brackets_and_escapes() {
        assert!(
            both("[abc]", "b")
                && !both("[abc]", "d")
                && both("[^abc]", "d")
                && !both("[^abc]", "a")
        );
        assert!(both("[z-a]", "m"), "reversed range");
        // `]` is taken as the range end (the class is then unterminated): `]`..`a` = `] ^ _ \` a`.
        assert!(both("[a-]", "]") && both("[a-]", "^") && both("[a-]", "a") && !both("[a-]", "b"));
        assert!(both(r"[\]]", "]") && both(r"[\-]", "-") && !both(r"[\-]", "a"));
        assert!(!both("[]", "]"));
        assert!(
            both("[abc", "b"),
            "unterminated class at the end acts as closed"
        );
        assert!(!both("a[", "a["), "lone [ at the end matches nothing");
        assert!(both("[^", "x"), "[^ at the end matches any byte");
        assert!(both("x\\", "x\\"), "trailing backslash is literal");
        assert!(both(r"\a", "a") && both(r"\\", "\\"));
        assert!(both("[a-c]x", "bx") && !both("[a-c]x", "dx") && !both("[a-c]", ""));
        assert!(!both("[\u{e9}]", "\u{e9}"), "two bytes vs one class byte");
        assert!(both("?", "a") && !both("?", "\u{e9}") && both("??", "\u{e9}"));
    }

    #[test]
    fn signed_char_ranges() {
        // 0xC3 (first byte of é) as a signed char is negative: inside [\x80-a] only with signed
        // comparison, i.e. -61 in [-128, 97].
        let p = [b'[', 0x80, b'-', b'a', b']', b'?'];
        assert!(glob_match(p, "é".as_bytes()));
        assert!(glob_match(p, "a!"));
        assert!(!glob_match(p, "b!"));
    }

    #[test]
    fn pathological_patterns_are_fast_and_bounded() {
        let s = "a".repeat(60);
        let p = "*a".repeat(30) + "b";
        assert!(!both(&p, &s));
        let deep = "*a".repeat(1100);
        let long = "a".repeat(1100);
        assert!(!both(&deep, &long), "nesting > 1000 fails, as Redis");
        let ok = "*a".repeat(900);
        assert!(both(&ok, &long));
    }

    #[test]
    fn shapes() {
        assert_eq!(Glob::new("*").shape, Shape::All);
        assert_eq!(Glob::new("abc").shape, Shape::Literal);
        assert_eq!(Glob::new("ab**").shape, Shape::Prefix(2));
        assert_eq!(Glob::new("**").shape, Shape::General);
        assert_eq!(Glob::new("a*b").shape, Shape::General);
        assert_eq!(Glob::new(r"a\*").shape, Shape::General);
        assert!(Glob::new("").matches("") && !Glob::new("").matches("a") && !glob_match("", "a"));
    }
}

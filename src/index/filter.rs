//! Label filters: the `FILTER` expressions of TS.MGET / TS.MRANGE / TS.QUERYINDEX, parsed with
//! RedisTimeSeries 1.12's exact grammar (docs/semantics/multi.md section 3).
//!
//! Each expression is one command argument; the list is ANDed.
//!
//! | expression    | [`Matcher`]            | keeps a series that…                          | counts as a matcher |
//! |---------------|------------------------|-----------------------------------------------|---------------------|
//! | `l=v`         | [`Matcher::Eq`]        | has the pair `(l, v)`                         | yes                 |
//! | `l=(a,b)`     | [`Matcher::In`]        | has `(l, a)` or `(l, b)`; `l=()` keeps none   | yes (even `l=()`)   |
//! | `l!=`         | [`Matcher::Present`]   | has some pair named `l`                       | no                  |
//! | `l!=v`        | [`Matcher::NotEq`]     | has no pair `(l, v)` (lacking `l` is fine)    | no                  |
//! | `l!=(a,b)`    | [`Matcher::NotIn`]     | has neither `(l, a)` nor `(l, b)`             | no                  |
//! | `l=`          | [`Matcher::Absent`]    | has no pair named `l`                         | no                  |
//!
//! A series with duplicate names (`a=1 a=2`) is seen through *all* its pairs: `a=1` and `a=2` both
//! keep it, `a!=1` drops it.
//!
//! Tokenizing is C `strtok` with a separator *set*, as 1.12 does it, quirks included:
//!
//! 1. The first of these substrings found decides the type: `!=(` list-not-match, else `!=`
//!    not-equal/present, else `=(` list-match, else `=` equal/absent, else
//!    `ERR TSDB: failed parsing labels`.
//! 2. Split on the *characters* of that operator (`!=(`, `!=`, `=(` or `=`), runs of them counting
//!    as one and leading ones skipped: the first piece is the name (none → error), the second the
//!    value part, the rest is ignored. So `l==v` is `l=v`, `l=v=x` is `l=v`, `=v` is `v=` and
//!    `!=v` is `v!=`.
//! 3. A list's value part must end with `)`, which is stripped (`l=(v`, `l=(v)x`, `l=(` are
//!    errors); empty inside → the empty list; otherwise it is split on `,` and every element must
//!    be non-empty (`l=(v,)`, `l=(,v)`, `l=(v,,w)` are errors). `l=((v))` is the one-value list
//!    `v)`; `l=(v)(w)` is `l=(v)`.
//!
//! Nothing is trimmed or unquoted: quoting belongs to the command tokenizer (`"l=v w"` arrives as
//! one argument `l=v w`), a `"` inside an expression is an ordinary byte. An expression is cut at
//! its first NUL byte, as the C string functions of 1.12 cut it.
//!
//! A list that parses but has no [`Matcher::Eq`] and no [`Matcher::In`] (including an empty list)
//! is `ERR TSDB: please provide at least one matcher`; a parse error anywhere wins over it.

use crate::error::{Error, Result};

/// `ERR TSDB: failed parsing labels`: an expression that does not parse.
pub const FAILED_PARSING_LABELS: &str = "ERR TSDB: failed parsing labels";
/// `ERR TSDB: please provide at least one matcher`: no `l=v` / `l=(...)` in the list.
pub const NO_MATCHER: &str = "ERR TSDB: please provide at least one matcher";

fn failed_parsing() -> Error {
    Error::invalid(FAILED_PARSING_LABELS)
}

/// One filter expression, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Matcher {
    /// `label=value`: the series has the pair.
    Eq {
        /// Label name.
        label: String,
        /// Value.
        value: String,
    },
    /// `label!=value`: the series does not have the pair (series without `label` pass).
    NotEq {
        /// Label name.
        label: String,
        /// Value.
        value: String,
    },
    /// `label=(v1,v2,..)`: the series has `label` with one of the values; `label=()` matches
    /// nothing (but still satisfies the "at least one matcher" rule).
    In {
        /// Label name.
        label: String,
        /// Values, as written (duplicates kept; they are harmless).
        values: Vec<String>,
    },
    /// `label!=(v1,v2,..)`: the series has `label` with none of the values; `label!=()` keeps
    /// everything.
    NotIn {
        /// Label name.
        label: String,
        /// Values, as written.
        values: Vec<String>,
    },
    /// `label!=` (no value): the series has some pair named `label`.
    Present {
        /// Label name.
        label: String,
    },
    /// `label=` (no value): the series has no pair named `label`.
    Absent {
        /// Label name.
        label: String,
    },
}

/// The operator class of an expression, decided by substring tests in this order.
#[derive(Clone, Copy)]
enum Op {
    ListNotMatch,
    NotEq,
    ListMatch,
    Eq,
}

impl Op {
    fn of(s: &str) -> Option<Op> {
        if s.contains("!=(") {
            Some(Op::ListNotMatch)
        } else if s.contains("!=") {
            Some(Op::NotEq)
        } else if s.contains("=(") {
            Some(Op::ListMatch)
        } else if s.contains('=') {
            Some(Op::Eq)
        } else {
            None
        }
    }

    /// The `strtok` separator set.
    fn separators(self) -> &'static [u8] {
        match self {
            Op::ListNotMatch => b"!=(",
            Op::NotEq => b"!=",
            Op::ListMatch => b"=(",
            Op::Eq => b"=",
        }
    }
}

/// C `strtok` over a separator set: the non-empty runs of non-separator bytes. Separators are
/// ASCII, so the pieces are valid UTF-8.
fn strtok<'a>(s: &'a str, separators: &'static [u8]) -> impl Iterator<Item = &'a str> {
    s.split(move |c: char| c.is_ascii() && separators.contains(&(c as u8)))
        .filter(|t| !t.is_empty())
}

/// The elements of a list's inside (after the closing `)` is stripped).
fn list_values(inner: &str) -> Result<Vec<String>> {
    if inner.is_empty() {
        return Ok(Vec::new());
    }
    let expected = inner.bytes().filter(|&b| b == b',').count() + 1;
    let values: Vec<String> = strtok(inner, b",").map(str::to_owned).collect();
    if values.len() < expected {
        return Err(failed_parsing());
    }
    Ok(values)
}

impl Matcher {
    /// Parses one filter expression (one command argument) with 1.12's grammar; does not apply
    /// the "at least one matcher" rule (that is [`Filter::parse`]'s).
    ///
    /// ```
    /// use tsdb_wasm::index::Matcher;
    /// let m = Matcher::parse("region=(eu,us)").unwrap();
    /// assert_eq!(m, Matcher::In { label: "region".into(), values: vec!["eu".into(), "us".into()] });
    /// // strtok quirks: a run of `=` is one separator, and the rest after the value is ignored.
    /// assert_eq!(Matcher::parse("l==v=x").unwrap(), Matcher::parse("l=v").unwrap());
    /// assert_eq!(Matcher::parse("env!=").unwrap(), Matcher::Present { label: "env".into() });
    /// assert_eq!(
    ///     Matcher::parse("l=(v,)").unwrap_err().message(),
    ///     "ERR TSDB: failed parsing labels"
    /// );
    /// ```
    pub fn parse(expr: &str) -> Result<Matcher> {
        let s = match expr.find('\0') {
            Some(nul) => &expr[..nul],
            None => expr,
        };
        let op = Op::of(s).ok_or_else(failed_parsing)?;
        let mut tokens = strtok(s, op.separators());
        let label = tokens.next().ok_or_else(failed_parsing)?.to_owned();
        let value = tokens.next();
        Ok(match op {
            Op::Eq => match value {
                Some(v) => Matcher::Eq {
                    label,
                    value: v.to_owned(),
                },
                None => Matcher::Absent { label },
            },
            Op::NotEq => match value {
                Some(v) => Matcher::NotEq {
                    label,
                    value: v.to_owned(),
                },
                None => Matcher::Present { label },
            },
            Op::ListMatch | Op::ListNotMatch => {
                let inner = value
                    .and_then(|v| v.strip_suffix(')'))
                    .ok_or_else(failed_parsing)?;
                let values = list_values(inner)?;
                match op {
                    Op::ListMatch => Matcher::In { label, values },
                    _ => Matcher::NotIn { label, values },
                }
            }
        })
    }

    /// The label name the matcher tests.
    pub fn label(&self) -> &str {
        match self {
            Matcher::Eq { label, .. }
            | Matcher::NotEq { label, .. }
            | Matcher::In { label, .. }
            | Matcher::NotIn { label, .. }
            | Matcher::Present { label }
            | Matcher::Absent { label } => label,
        }
    }

    /// True for `l=v` and `l=(...)`, the kinds that satisfy "at least one matcher".
    pub fn is_matcher(&self) -> bool {
        matches!(self, Matcher::Eq { .. } | Matcher::In { .. })
    }

    /// True if a series with these labels passes this one expression.
    ///
    /// ```
    /// use tsdb_wasm::index::Matcher;
    /// let labels = [("a".to_string(), "1".to_string()), ("a".to_string(), "2".to_string())];
    /// assert!(Matcher::parse("a=2").unwrap().matches(&labels)); // duplicates: every pair counts
    /// assert!(!Matcher::parse("a!=1").unwrap().matches(&labels));
    /// assert!(Matcher::parse("b!=1").unwrap().matches(&labels)); // lacking `b` passes `b!=1`
    /// ```
    pub fn matches(&self, labels: &[(String, String)]) -> bool {
        let has = |l: &str, v: &str| labels.iter().any(|(n, x)| n == l && x == v);
        let has_in = |l: &str, vs: &[String]| {
            labels
                .iter()
                .any(|(n, x)| n == l && vs.iter().any(|v| v == x))
        };
        let has_name = |l: &str| labels.iter().any(|(n, _)| n == l);
        match self {
            Matcher::Eq { label, value } => has(label, value),
            Matcher::NotEq { label, value } => !has(label, value),
            Matcher::In { label, values } => has_in(label, values),
            Matcher::NotIn { label, values } => !has_in(label, values),
            Matcher::Present { label } => has_name(label),
            Matcher::Absent { label } => !has_name(label),
        }
    }
}

/// A parsed, valid filter: the AND of its [`Matcher`]s, at least one of them `l=v` or `l=(...)`.
///
/// Build one from the arguments after `FILTER` ([`Filter::parse`]), from any list of expression
/// strings such as the typed JS API's `["metric=cpu", "region=(eu,us)"]`
/// ([`Filter::from_exprs`]), or from matchers ([`Filter::new`]). Evaluate it over many series with
/// [`crate::index::LabelIndex::query`], or on one label list with [`Filter::matches`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Filter {
    matchers: Vec<Matcher>,
}

impl Filter {
    /// Parses the FILTER expressions, one per argument, exactly as RedisTimeSeries 1.12 does: the
    /// first expression that does not parse gives `ERR TSDB: failed parsing labels`; then a list
    /// with no `l=v` / `l=(...)` (an empty list included) gives
    /// `ERR TSDB: please provide at least one matcher`.
    ///
    /// ```
    /// use tsdb_wasm::index::Filter;
    /// let args: Vec<String> = ["metric=cpu", "region=(eu,us)", "env!=dev"].map(String::from).to_vec();
    /// let f = Filter::parse(&args).unwrap();
    /// assert_eq!(f.matchers().len(), 3);
    ///
    /// let only_negative = vec!["env!=dev".to_string()];
    /// assert_eq!(
    ///     Filter::parse(&only_negative).unwrap_err().message(),
    ///     "ERR TSDB: please provide at least one matcher"
    /// );
    /// let bad = vec!["env!=dev".to_string(), "oops".to_string()];
    /// assert_eq!(Filter::parse(&bad).unwrap_err().message(), "ERR TSDB: failed parsing labels");
    /// ```
    pub fn parse(args: &[String]) -> Result<Filter> {
        Filter::from_exprs(args)
    }

    /// [`Filter::parse`] over any list of expression strings (`&[&str]`, `Vec<String>`, an
    /// iterator…): the constructor for typed APIs. Same grammar, same errors.
    ///
    /// ```
    /// use tsdb_wasm::index::Filter;
    /// let f = Filter::from_exprs(["metric=cpu", "region=(eu,us)"]).unwrap();
    /// assert_eq!(f.matchers()[1].label(), "region");
    /// assert!(Filter::from_exprs(Vec::<String>::new()).is_err());
    /// ```
    pub fn from_exprs<I, S>(exprs: I) -> Result<Filter>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let matchers = exprs
            .into_iter()
            .map(|e| Matcher::parse(e.as_ref()))
            .collect::<Result<Vec<_>>>()?;
        Filter::new(matchers)
    }

    /// A filter from matchers; `ERR TSDB: please provide at least one matcher` unless one of them
    /// is [`Matcher::Eq`] or [`Matcher::In`].
    ///
    /// ```
    /// use tsdb_wasm::index::{Filter, Matcher};
    /// let f = Filter::new(vec![Matcher::Eq { label: "host".into(), value: "a".into() }]).unwrap();
    /// assert_eq!(f.matchers().len(), 1);
    /// assert!(Filter::new(vec![Matcher::Present { label: "host".into() }]).is_err());
    /// ```
    pub fn new(matchers: Vec<Matcher>) -> Result<Filter> {
        if !matchers.iter().any(Matcher::is_matcher) {
            return Err(Error::invalid(NO_MATCHER));
        }
        Ok(Filter { matchers })
    }

    /// The matchers, in the order given.
    pub fn matchers(&self) -> &[Matcher] {
        &self.matchers
    }

    /// True if a series with these labels passes every matcher. O(matchers × labels): the
    /// reference semantics for one series; use the index for many.
    ///
    /// ```
    /// use tsdb_wasm::index::Filter;
    /// let f = Filter::from_exprs(["metric=cpu", "env!=dev"]).unwrap();
    /// let labels = vec![("metric".to_string(), "cpu".to_string())];
    /// assert!(f.matches(&labels));
    /// assert!(!f.matches(&[])); // no labels: never matched (a positive matcher is required)
    /// ```
    pub fn matches(&self, labels: &[(String, String)]) -> bool {
        self.matchers.iter().all(|m| m.matches(labels))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eq(l: &str, v: &str) -> Matcher {
        Matcher::Eq {
            label: l.into(),
            value: v.into(),
        }
    }
    fn neq(l: &str, v: &str) -> Matcher {
        Matcher::NotEq {
            label: l.into(),
            value: v.into(),
        }
    }
    fn is(l: &str, vs: &[&str]) -> Matcher {
        Matcher::In {
            label: l.into(),
            values: vs.iter().map(|s| s.to_string()).collect(),
        }
    }
    fn not_in(l: &str, vs: &[&str]) -> Matcher {
        Matcher::NotIn {
            label: l.into(),
            values: vs.iter().map(|s| s.to_string()).collect(),
        }
    }
    fn present(l: &str) -> Matcher {
        Matcher::Present { label: l.into() }
    }
    fn absent(l: &str) -> Matcher {
        Matcher::Absent { label: l.into() }
    }

    fn p(s: &str) -> Matcher {
        Matcher::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }
    fn bad(s: &str) {
        let e = Matcher::parse(s).expect_err(s);
        assert_eq!(e.message(), FAILED_PARSING_LABELS, "{s:?}");
        assert_eq!(e.kind(), crate::error::ErrorKind::InvalidArgument);
    }

    #[test]
    fn the_six_forms() {
        assert_eq!(p("l=v"), eq("l", "v"));
        assert_eq!(p("l!=v"), neq("l", "v"));
        assert_eq!(p("l="), absent("l"));
        assert_eq!(p("l!="), present("l"));
        assert_eq!(p("l=(a,b)"), is("l", &["a", "b"]));
        assert_eq!(p("l!=(a,b)"), not_in("l", &["a", "b"]));
        assert_eq!(p("l=(v)"), is("l", &["v"]));
        assert_eq!(p("l=()"), is("l", &[]));
        assert_eq!(p("l!=()"), not_in("l", &[]));
        assert_eq!(p("l=(v,w,v)"), is("l", &["v", "w", "v"]));
    }

    #[test]
    fn strtok_quirks_from_the_spec_table() {
        assert_eq!(p("l==v"), eq("l", "v")); // filter/strtok-double-equals
        assert_eq!(p("l=v=x"), eq("l", "v")); // filter/strtok-value-cut-at-second-equals
        assert_eq!(p("=v"), absent("v")); // filter/strtok-leading-equals-is-skipped
        assert_eq!(p("!=v"), present("v"));
        assert_eq!(p("=l"), absent("l"));
        assert_eq!(p("l!=v!=w"), neq("l", "v")); // filter/strtok-neq-value-cut-at-bang
        assert_eq!(p("l=a!=v"), neq("l", "a"));
        assert_eq!(p("l=(v)(w)"), is("l", &["v"])); // filter/list-only-first-group-used
        assert_eq!(p("l=(w)(v)"), is("l", &["w"]));
        assert_eq!(p("l!=(v)(w)"), not_in("l", &["v"]));
        assert_eq!(p("l=((v))"), is("l", &["v)"])); // filter/nested-paren-value
        assert_eq!(p("l=x(v)"), eq("l", "x(v)")); // filter/paren-not-after-equals-is-plain-value
        assert_eq!(p("l=v)"), eq("l", "v)"));
        assert_eq!(p("l=)"), eq("l", ")"));
        assert_eq!(p("(=v"), eq("(", "v"));
        assert_eq!(p("l=v,w"), eq("l", "v,w")); // filter/comma-without-parens-is-plain-value
        assert_eq!(p("l = v"), eq("l ", " v")); // filter/spaces-not-trimmed
        assert_eq!(p(" l=v"), eq(" l", "v"));
        assert_eq!(p("l=v "), eq("l", "v "));
        assert_eq!(p("l=(v w,w)"), is("l", &["v w", "w"])); // filter/list-match-with-spaces-kept
        assert_eq!(p("l=( v w , w )"), is("l", &[" v w ", " w "]));
        assert_eq!(p("e=f!g"), eq("e", "f!g")); // labels/bang-in-name-and-value
        assert_eq!(p("e=(f!g)"), is("e", &["f!g"]));
        assert_eq!(p("a=b=1"), eq("a", "b")); // labels/equals-in-name
        assert_eq!(p("a=x=y"), eq("a", "x")); // labels/equals-in-value-stored-but-not-matchable
        assert_eq!(p("a(=1"), eq("a(", "1")); // labels/name-with-paren-comma-accepted
        assert_eq!(p("c,d=3"), eq("c,d", "3"));
        assert_eq!(p("a b=(c d)"), is("a b", &["c d"]));
        assert_eq!(p("日本=(語,x)"), is("日本", &["語", "x"])); // labels/multibyte-utf8
        assert_eq!(p("1!="), present("1")); // labels/key-named-labels-quirk
        assert_eq!(p("l!=(w,V)"), not_in("l", &["w", "V"]));
        assert_eq!(p("l!=((v)"), not_in("l", &["v"])); // `(` is a separator of `!=(`
        assert_eq!(p("l=!v"), eq("l", "!v"));
        assert_eq!(p("l!v=w"), eq("l!v", "w"));
        assert_eq!(p("\"l\"=\"v\""), eq("\"l\"", "\"v\"")); // no unquoting here
    }

    #[test]
    fn parse_errors() {
        for s in [
            "",
            "l",
            "x",
            "l!v",
            "FILTER",
            "WITHLABELS", // no `=`: filter/no-operator, empty-string, bang-without-equals
            "=",
            "!=",
            "=(",
            "=()",
            "=(v)",
            "==",
            "!=(",
            "!=()", // filter/bare-operators
            "l=(v",
            "l=(",
            "l!=(",
            "l!=(v", // filter/unclosed-list
            "l=(v,)",
            "l=(,v)",
            "l=(,)",
            "l=(v,,w)",
            "l!=(v,)", // filter/list-empty-element
            "l=(v)x",
            "l=()x",
            "l!=()x", // filter/list-junk-after-paren
            "l=(b=c)",
            "a=(x=y)", // filter/list-value-with-equals-rejected
        ] {
            bad(s);
        }
    }

    #[test]
    fn nul_ends_the_expression() {
        assert_eq!(p("l=v\0w"), eq("l", "v"));
        assert_eq!(p("l=\0(v)"), absent("l"));
        bad("l\0=v");
        bad("\0");
    }

    #[test]
    fn matcher_rule_and_error_order() {
        let f = |xs: &[&str]| Filter::from_exprs(xs).map_err(|e| e.message().to_string());
        let none = Err(NO_MATCHER.to_string());
        let parse = Err(FAILED_PARSING_LABELS.to_string());
        assert_eq!(f(&[]), none);
        for alone in [
            &["l!=v"][..],
            &["l="],
            &["l!="],
            &["l!=(v)"],
            &["l!=()"],
            &["m=", "l!="],
            &["l!=v", "m!=(x)", "l="],
        ] {
            assert_eq!(f(alone), none, "{alone:?}");
        }
        assert_eq!(f(&["=v"]), none); // parsed as `v=`, not a matcher
        assert_eq!(f(&["!=v"]), none);
        assert!(f(&["l=()"]).is_ok(), "the empty list counts as a matcher");
        assert!(f(&["l!=", "l=(v,w)"]).is_ok());
        // A parse error anywhere wins (filter/parse-error-beats-matcher-error).
        assert_eq!(f(&["l!=v", "x"]), parse);
        assert_eq!(f(&["x", "l!=v"]), parse);
        assert_eq!(f(&["l=(v)", "="]), parse);
        assert_eq!(f(&["FILTER", "l=v"]), parse);
        assert_eq!(f(&["l=v", "FILTER"]), parse);
        let args: Vec<String> = vec!["l=v".into(), "m!=".into()];
        assert_eq!(
            Filter::parse(&args).unwrap().matchers(),
            &[eq("l", "v"), present("m")]
        );
    }

    #[test]
    fn evaluation_on_one_label_list() {
        let labels = |xs: &[(&str, &str)]| {
            xs.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect::<Vec<_>>()
        };
        let a = labels(&[("l", "v"), ("m", "x")]);
        let c = labels(&[("m", "y")]);
        let dup = labels(&[("g", "a"), ("g", "b")]);
        let m = |s: &str| Filter::from_exprs(s.split(' ')).unwrap();
        assert!(m("l=v").matches(&a));
        assert!(!m("l=V").matches(&a));
        assert!(m("m=(x,y) l!=v").matches(&c));
        assert!(!m("m=(x,y) l!=v").matches(&a));
        assert!(m("m=(x,y) l=").matches(&c));
        assert!(!m("m=(x,y) l!=").matches(&c));
        assert!(!m("l=()").matches(&a));
        assert!(m("l=v l!=()").matches(&a));
        assert!(!m("l=v l!=v").matches(&a));
        assert!(m("g=a g=b").matches(&dup));
        assert!(!m("g=a g!=b").matches(&dup));
        assert!(!m("g=(b) g!=(a,z)").matches(&dup));
        assert!(!m("l=v").matches(&[]));
    }
}

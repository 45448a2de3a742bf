//! RESP2-shaped replies.

use crate::error::Error;

/// A reply as RedisTimeSeries gives it over RESP2.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// `:n`
    Integer(i64),
    /// A double (RESP2 sends it as a string; JS receives a number).
    Double(f64),
    /// A simple or bulk string.
    Str(String),
    /// `*n ...`
    Array(Vec<Reply>),
    /// Nil bulk string.
    Nil,
    /// An error reply (top level, or an element of an array such as TS.MADD's).
    Error(Error),
}

impl Reply {
    /// `+OK`
    pub fn ok() -> Reply {
        Reply::Str("OK".into())
    }

    /// A string reply.
    pub fn str(s: impl Into<String>) -> Reply {
        Reply::Str(s.into())
    }

    /// `[[ts, value], ...]`, as TS.RANGE replies.
    pub fn samples(ts: &[i64], vals: &[f64]) -> Reply {
        Reply::Array(ts.iter().zip(vals).map(|(&t, &v)| Reply::sample(t, v)).collect())
    }

    /// `[ts, value]`
    pub fn sample(ts: i64, v: f64) -> Reply {
        Reply::Array(vec![Reply::Integer(ts), Reply::Double(v)])
    }
}

impl From<Error> for Reply {
    fn from(e: Error) -> Reply {
        Reply::Error(e)
    }
}

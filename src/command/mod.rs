//! RedisTimeSeries command text: tokenising, parsing, dispatch and RESP2-shaped replies.

mod args;
mod info;
mod keys;
mod mrange;
mod multi;
mod nrange;
mod options;
mod read;
mod reply;
mod rules;
mod tokenize;
mod write;

pub use args::{parse_i64, parse_redis_double, parse_value};
pub use reply::Reply;
pub use tokenize::tokenize;

use crate::engine::Engine;
use crate::error::Error;

/// Runs one command line (as redis-cli takes it) and returns its reply. Never panics; errors are
/// [`Reply::Error`]. `now_ms` is the clock used for `*` timestamps.
pub fn execute(engine: &mut Engine, line: &str, now_ms: i64) -> Reply {
    match tokenize(line) {
        Ok(args) => execute_args(engine, &args, now_ms),
        Err(e) => Reply::Error(e),
    }
}

/// Runs one command given as arguments (the command name first).
pub fn execute_args(engine: &mut Engine, args: &[String], now_ms: i64) -> Reply {
    let Some((name, rest)) = args.split_first() else {
        return Reply::Error(Error::invalid("ERR empty command"));
    };
    let ctx = Ctx { name, args: rest, now_ms };
    let result = match name.to_ascii_uppercase().as_str() {
        "TS.CREATE" => write::create(engine, &ctx),
        "TS.ALTER" => write::alter(engine, &ctx),
        "TS.ADD" => write::add(engine, &ctx),
        "TS.MADD" => write::madd(engine, &ctx),
        "TS.INCRBY" => write::incr_by(engine, &ctx, 1.0),
        "TS.DECRBY" => write::incr_by(engine, &ctx, -1.0),
        "TS.DEL" => write::del(engine, &ctx),
        "TS.INFO" => info::info(engine, &ctx),
        "TS.GET" => read::get(engine, &ctx),
        "TS.QUERYINDEX" => multi::query_index(engine, &ctx),
        "TS.MGET" => multi::mget(engine, &ctx),
        "TS.QUERYLABELS" => multi::query_labels(engine, &ctx),
        "TS.MRANGE" => mrange::mrange_fwd(engine, &ctx),
        "TS.MREVRANGE" => mrange::mrevrange(engine, &ctx),
        "TS.NRANGE" => nrange::nrange_fwd(engine, &ctx),
        "TS.NREVRANGE" => nrange::nrevrange(engine, &ctx),
        "TS.RANGE" => read::range(engine, &ctx),
        "TS.REVRANGE" => read::revrange(engine, &ctx),
        "TS.CREATERULE" => rules::create_rule(engine, &ctx),
        "TS.DELETERULE" => rules::delete_rule(engine, &ctx),
        "DEL" => keys::del(engine, &ctx),
        "EXISTS" => keys::exists(engine, &ctx),
        "TYPE" => keys::type_(engine, &ctx),
        "KEYS" => keys::keys(engine, &ctx),
        "RENAME" => keys::rename(engine, &ctx),
        "FLUSHALL" => keys::flushall(engine, &ctx),
        _ => Err(unknown_command(name, rest)),
    };
    result.unwrap_or_else(Reply::Error)
}

/// The command being run.
pub(crate) struct Ctx<'a> {
    /// The command name as given.
    pub name: &'a str,
    /// The arguments after the name.
    pub args: &'a [String],
    /// Clock for `*` timestamps.
    pub now_ms: i64,
}

impl Ctx<'_> {
    /// The arity error of this command.
    pub fn arity(&self) -> Error {
        Error::arity(self.name)
    }
}

fn unknown_command(name: &str, rest: &[String]) -> Error {
    let mut msg = format!("ERR unknown command '{name}', with args beginning with: ");
    for a in rest {
        msg.push_str(&format!("'{a}' "));
    }
    Error::invalid(msg)
}

//! Generic key commands: DEL, EXISTS, TYPE, KEYS, RENAME, FLUSHALL (write.md §11).

use super::{Ctx, Reply};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::index::Glob;

/// `DEL key [key ...]`: series deleted (a repeated key counts once).
pub fn del(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    if ctx.args.is_empty() {
        return Err(ctx.arity());
    }
    Ok(Reply::Integer(engine.delete_keys(ctx.args) as i64))
}

/// `EXISTS key [key ...]`: how many of the keys exist (repeats count again).
pub fn exists(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    if ctx.args.is_empty() {
        return Err(ctx.arity());
    }
    Ok(Reply::Integer(ctx.args.iter().filter(|k| engine.id(k).is_some()).count() as i64))
}

/// `TYPE key`: `TSDB-TYPE` or `none`.
pub fn type_(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    if ctx.args.len() != 1 {
        return Err(ctx.arity());
    }
    Ok(Reply::str(if engine.id(&ctx.args[0]).is_some() { "TSDB-TYPE" } else { "none" }))
}

/// `KEYS pattern`: matching keys, in byte order (Redis gives no order).
pub fn keys(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    if ctx.args.len() != 1 {
        return Err(ctx.arity());
    }
    let glob = Glob::new(ctx.args[0].as_bytes());
    let keys = engine
        .sorted_keys()
        .into_iter()
        .filter(|k| glob.matches(k.as_bytes()))
        .map(Reply::str)
        .collect();
    Ok(Reply::Array(keys))
}

/// `RENAME key newkey`
pub fn rename(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    if ctx.args.len() != 2 {
        return Err(ctx.arity());
    }
    engine.rename(&ctx.args[0], &ctx.args[1])?;
    Ok(Reply::ok())
}

/// `FLUSHALL [ASYNC | SYNC]`
pub fn flushall(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    match ctx.args {
        [] => {}
        [mode] if mode.eq_ignore_ascii_case("async") || mode.eq_ignore_ascii_case("sync") => {}
        _ => return Err(Error::invalid("ERR syntax error")),
    }
    engine.flush();
    Ok(Reply::ok())
}

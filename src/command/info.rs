//! TS.INFO key [DEBUG] (docs/semantics/write.md §9).

use super::{Ctx, Reply};
use crate::engine::Engine;
use crate::error::Result;

/// `TS.INFO key [DEBUG]`
pub fn info(engine: &mut Engine, ctx: &Ctx) -> Result<Reply> {
    if ctx.args.is_empty() || ctx.args.len() > 2 {
        return Err(ctx.arity());
    }
    let info = engine.info(&ctx.args[0])?;
    let o = &info.options;
    let debug = ctx.args.iter().any(|a| a.eq_ignore_ascii_case("debug"));
    let str = |v: &str| Reply::Str(v.to_owned());
    let int = Reply::Integer;
    let labels = o.labels.iter().map(|(k, v)| Reply::Array(vec![str(k), str(v)])).collect();
    let rules = info
        .rules
        .iter()
        .map(|r| {
            let agg = r.aggregator.to_ascii_uppercase();
            Reply::Array(vec![str(&r.dest), int(r.bucket_ms), str(&agg), int(r.align)])
        })
        .collect();
    let mut out = vec![
        str("totalSamples"),
        int(info.total_samples as i64),
        str("memoryUsage"),
        int(info.memory_usage as i64),
        str("firstTimestamp"),
        int(info.first_timestamp),
        str("lastTimestamp"),
        int(info.last_timestamp),
        str("retentionTime"),
        int(o.retention_ms as i64),
        str("chunkCount"),
        int(info.chunk_count as i64),
        str("chunkSize"),
        int(o.chunk_size as i64),
        str("chunkType"),
        str(o.encoding.name()),
        str("duplicatePolicy"),
        o.duplicate_policy.map_or(Reply::Nil, |p| str(p.name())),
        str("labels"),
        Reply::Array(labels),
        str("sourceKey"),
        info.source_key.as_deref().map_or(Reply::Nil, str),
        str("rules"),
        Reply::Array(rules),
        str("ignoreMaxTimeDiff"),
        int(o.ignore_max_time_diff as i64),
        str("ignoreMaxValDiff"),
        Reply::Double(o.ignore_max_val_diff),
    ];
    if debug {
        out.push(str("keySelfName"));
        out.push(str(&ctx.args[0]));
        out.push(str("Chunks"));
        let chunks = info
            .chunks
            .iter()
            .map(|c| {
                Reply::Array(vec![
                    str("startTimestamp"),
                    int(c.start),
                    str("endTimestamp"),
                    int(c.end),
                    str("samples"),
                    int(c.samples as i64),
                    str("size"),
                    int(c.bytes as i64),
                    str("bytesPerSample"),
                    Reply::Double(c.bytes as f64 / c.samples.max(1) as f64),
                ])
            })
            .collect();
        out.push(Reply::Array(chunks));
    }
    Ok(Reply::Array(out))
}

//! Options shared by TS.CREATE, TS.ALTER, TS.ADD, TS.INCRBY and TS.DECRBY.

use super::args::{parse_f64_arg, parse_i64};
use crate::chunk::Encoding;
use crate::error::{Error, Result};
use crate::series::{validate_chunk_size, DuplicatePolicy, SeriesOptions};

/// Parses series-creation options from `args` (keywords case-insensitive, in any order; LABELS
/// takes the rest). `extra` is offered every keyword it does not know first: it returns how many
/// arguments it consumed (0 = not its keyword).
pub fn parse_create_options(
    args: &[String],
    opts: &mut SeriesOptions,
    mut extra: impl FnMut(&str, &[String]) -> Result<usize>,
) -> Result<()> {
    let mut i = 0;
    while i < args.len() {
        let kw = args[i].to_ascii_uppercase();
        let val = args.get(i + 1);
        match kw.as_str() {
            "RETENTION" => {
                let v = val.and_then(|s| parse_i64(s)).filter(|&v| v >= 0);
                opts.retention_ms = v.ok_or_else(|| Error::invalid("ERR TSDB: Couldn't parse RETENTION"))? as u64;
                i += 2;
            }
            "ENCODING" => {
                let enc = match val.map(|s| s.to_ascii_uppercase()).as_deref() {
                    Some("COMPRESSED") => Encoding::Compressed,
                    Some("UNCOMPRESSED") => Encoding::Uncompressed,
                    _ => return Err(Error::invalid("ERR TSDB: unknown ENCODING parameter")),
                };
                opts.encoding = enc;
                i += 2;
            }
            "CHUNK_SIZE" => {
                let v = val.and_then(|s| parse_i64(s)).and_then(|v| u64::try_from(v).ok());
                opts.chunk_size = validate_chunk_size(v.unwrap_or(1))?;
                i += 2;
            }
            "DUPLICATE_POLICY" => {
                let p = val.and_then(|s| DuplicatePolicy::parse(s));
                opts.duplicate_policy = Some(p.ok_or_else(|| Error::invalid("ERR TSDB: Unknown DUPLICATE_POLICY"))?);
                i += 2;
            }
            "IGNORE" => {
                let t = val.and_then(|s| parse_i64(s)).filter(|&v| v >= 0);
                let v = args.get(i + 2).and_then(|s| parse_f64_arg(s)).filter(|&v| v >= 0.0);
                match (t, v) {
                    (Some(t), Some(v)) => {
                        opts.ignore_max_time_diff = t as u64;
                        opts.ignore_max_val_diff = v;
                    }
                    _ => return Err(Error::invalid("ERR TSDB: Couldn't parse IGNORE")),
                }
                i += 3;
            }
            "LABELS" => {
                let rest = &args[i + 1..];
                if rest.len() % 2 != 0 {
                    return Err(Error::invalid("ERR TSDB: wrong number of arguments for labels"));
                }
                opts.labels = rest.chunks_exact(2).map(|p| (p[0].clone(), p[1].clone())).collect();
                return Ok(());
            }
            _ => {
                let used = extra(&kw, &args[i..])?;
                if used == 0 {
                    return Err(Error::invalid(format!("ERR TSDB: unknown option '{}'", args[i])));
                }
                i += used;
            }
        }
    }
    Ok(())
}

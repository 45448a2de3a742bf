//! Parsing of the TS.RANGE / TS.REVRANGE arguments into a [`RangeRequest`], with RedisTimeSeries
//! 1.12's rules and error texts (docs/semantics/query.md §1–§2, errors-query.md).
//!
//! Options are not parsed left to right: each is located by a search of the whole argument
//! vector (key and timestamps included) for the first token equal to its keyword, ASCII
//! case-insensitively; its parser reads the tokens after it. Unclaimed tokens are ignored. The
//! checks run in a fixed order and the first failure answers: from, to, LATEST, COUNT,
//! AGGREGATION (with EMPTY and BUCKETTIMESTAMP positions), ALIGN, FILTER_BY_VALUE,
//! FILTER_BY_TS. TS.MRANGE reuses [`parse_range_request`] with its own positions.

use super::aggregator::Aggregator;
use super::bucket::BucketTimestamp;
use super::request::{Aggregation, Align, RangeRequest, MAX_FILTER_BY_TS};
use crate::command::{parse_i64, parse_redis_double};
use crate::error::{Error, Result};

/// Index of the first argument at or after `from` equal to `kw` (ASCII case-insensitive).
fn find_from(args: &[String], kw: &str, from: usize) -> Option<usize> {
    args.get(from..)?.iter().position(|a| a.eq_ignore_ascii_case(kw)).map(|i| i + from)
}

fn find(args: &[String], kw: &str) -> Option<usize> {
    find_from(args, kw, 0)
}

fn invalid(msg: &'static str) -> Error {
    Error::invalid(msg)
}

/// A timestamp argument: a strict integer >= 0.
fn timestamp(s: &str) -> Option<i64> {
    parse_i64(s).filter(|&t| t >= 0)
}

/// Parses an aggregator name or a comma-separated list of them (`min,max,avg`, no spaces; an
/// extension of Redis 8.8). Unknown names, empty items → `TSDB: Unknown aggregation type`.
///
/// ```
/// use tsdb_wasm::query::{parse_aggregators, Aggregator};
/// assert_eq!(parse_aggregators("min,AVG").unwrap(), vec![Aggregator::Min, Aggregator::Avg]);
/// assert!(parse_aggregators("avg,").is_err());
/// ```
pub fn parse_aggregators(s: &str) -> Result<Vec<Aggregator>> {
    s.split(',')
        .map(|name| Aggregator::parse(name).ok_or_else(|| invalid("ERR TSDB: Unknown aggregation type")))
        .collect()
}

/// Parses the range arguments of TS.RANGE / TS.REVRANGE (and TS.MRANGE's common part).
///
/// `args` are the arguments after the command name (the keyword search covers all of them);
/// `args[ts_at]` and `args[ts_at + 1]` are fromTimestamp and toTimestamp (the caller checked
/// the arity); `command` names the command in arity errors (`TS.RANGE` → `'ts.range'`). The
/// key lookup, which RedisTimeSeries does first, is the caller's. `reverse` is left false.
///
/// ```
/// use tsdb_wasm::query::{parse_range_request, Aggregator};
/// let args: Vec<String> = "k - + COUNT 3 AGGREGATION min,max 60000 EMPTY"
///     .split(' ').map(String::from).collect();
/// let req = parse_range_request(&args, 1, "TS.RANGE").unwrap();
/// assert_eq!((req.from, req.to, req.count), (0, i64::MAX, Some(3)));
/// let agg = req.aggregation.unwrap();
/// assert_eq!(agg.aggregators, vec![Aggregator::Min, Aggregator::Max]);
/// assert!(agg.empty);
/// let bad: Vec<String> = "k - + COUNT 0".split(' ').map(String::from).collect();
/// assert_eq!(parse_range_request(&bad, 1, "TS.RANGE").unwrap_err().message(), "ERR TSDB: Invalid COUNT value");
/// ```
pub fn parse_range_request(args: &[String], ts_at: usize, command: &str) -> Result<RangeRequest> {
    let arity = || Error::arity(command);
    let from_arg = args.get(ts_at).ok_or_else(arity)?;
    let to_arg = args.get(ts_at + 1).ok_or_else(arity)?;
    let open_from = from_arg == "-";
    let from =
        if open_from { 0 } else { timestamp(from_arg).ok_or_else(|| invalid("ERR TSDB: wrong fromTimestamp"))? };
    let open_to = to_arg == "+";
    let to =
        if open_to { i64::MAX } else { timestamp(to_arg).ok_or_else(|| invalid("ERR TSDB: wrong toTimestamp"))? };
    let mut req = RangeRequest::new(from, to);
    req.latest = find(args, "LATEST").is_some();
    req.count = parse_count(args)?;
    req.aggregation = parse_aggregation(args, command)?;
    if let Some(i) = find(args, "ALIGN") {
        let v = args.get(i + 1).ok_or_else(arity)?;
        let align = match v.to_ascii_lowercase().as_str() {
            "start" | "-" => Align::Start,
            "end" | "+" => Align::End,
            _ => Align::At(timestamp(v).ok_or_else(|| invalid("ERR TSDB: unknown ALIGN parameter"))?),
        };
        let agg = req
            .aggregation
            .as_mut()
            .ok_or_else(|| invalid("ERR TSDB: ALIGN parameter can only be used with AGGREGATION"))?;
        if align == Align::Start && open_from {
            return Err(invalid("ERR TSDB: start alignment can only be used with explicit start timestamp"));
        }
        if align == Align::End && open_to {
            return Err(invalid("ERR TSDB: end alignment can only be used with explicit end timestamp"));
        }
        agg.align = align;
    }
    if let Some(i) = find(args, "FILTER_BY_VALUE") {
        if i + 2 >= args.len() {
            return Err(invalid("ERR TSDB: FILTER_BY_VALUE one or more arguments are missing"));
        }
        let min = parse_redis_double(&args[i + 1]).ok_or_else(|| invalid("ERR TSDB: Couldn't parse MIN"))?;
        let max = parse_redis_double(&args[i + 2]).ok_or_else(|| invalid("ERR TSDB: Couldn't parse MAX"))?;
        req.filter_by_value = Some((min, max));
    }
    if let Some(i) = find(args, "FILTER_BY_TS") {
        let missing = || invalid("ERR TSDB: FILTER_BY_TS one or more arguments are missing");
        let list: Vec<i64> = args[i + 1..].iter().map_while(|a| timestamp(a)).take(MAX_FILTER_BY_TS).collect();
        if list.is_empty() {
            return Err(missing());
        }
        req.set_filter_by_ts(&list);
    }
    Ok(req)
}

/// COUNT: the first `COUNT` token, skipping one that is the aggregator (or reducer) name.
fn parse_count(args: &[String]) -> Result<Option<u64>> {
    let Some(mut c) = find(args, "COUNT") else { return Ok(None) };
    for kw in ["AGGREGATION", "REDUCE"] {
        if let Some(a) = find(args, kw) {
            if c == a + 1 {
                match find_from(args, "COUNT", a + 2) {
                    Some(next) => c = next,
                    None => return Ok(None),
                }
            }
        }
    }
    let v = args.get(c + 1).ok_or_else(|| invalid("ERR TSDB: COUNT argument is missing"))?;
    let n = parse_i64(v).ok_or_else(|| invalid("ERR TSDB: Couldn't parse COUNT"))?;
    if n <= 0 {
        return Err(invalid("ERR TSDB: Invalid COUNT value"));
    }
    Ok(Some(n as u64))
}

/// AGGREGATION aggregator bucketDuration, with EMPTY and BUCKETTIMESTAMP.
fn parse_aggregation(args: &[String], command: &str) -> Result<Option<Aggregation>> {
    let Some(a) = find(args, "AGGREGATION") else { return Ok(None) };
    let bad = || invalid("ERR TSDB: Couldn't parse AGGREGATION");
    let (Some(name), Some(dur)) = (args.get(a + 1), args.get(a + 2)) else { return Err(bad()) };
    let duration = parse_i64(dur).ok_or_else(bad)?;
    let aggregators = parse_aggregators(name)?;
    if duration <= 0 {
        return Err(invalid("ERR TSDB: bucketDuration must be greater than zero"));
    }
    let mut agg = Aggregation::new(Aggregator::Avg, duration);
    agg.aggregators = aggregators;
    if let Some(e) = find(args, "EMPTY") {
        if e != a + 3 && e != a + 5 {
            return Err(invalid("ERR TSDB: EMPTY flag should be the 3rd or 5th flag after AGGREGATION flag"));
        }
        agg.empty = true;
    }
    if let Some(b) = find(args, "BUCKETTIMESTAMP") {
        if b != a + 3 && b != a + 4 {
            return Err(invalid("ERR TSDB: BUCKETTIMESTAMP flag should be the 3rd or 4th flag after AGGREGATION flag"));
        }
        let v = args.get(b + 1).ok_or_else(|| Error::arity(command))?;
        agg.bucket_timestamp =
            BucketTimestamp::parse(v).ok_or_else(|| invalid("ERR TSDB: unknown BUCKETTIMESTAMP parameter"))?;
    }
    Ok(Some(agg))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<RangeRequest> {
        let args: Vec<String> = s.split(' ').map(String::from).collect();
        parse_range_request(&args, 1, "TS.RANGE")
    }

    fn err(s: &str) -> String {
        parse(s).unwrap_err().message().to_owned()
    }

    #[test]
    fn errors_in_order() {
        assert_eq!(err("k a b COUNT x"), "ERR TSDB: wrong fromTimestamp");
        assert_eq!(err("k - + COUNT 0 AGGREGATION foo 10"), "ERR TSDB: Invalid COUNT value");
        assert_eq!(err("k - + AGGREGATION count COUNT 2"), "ERR TSDB: Couldn't parse AGGREGATION");
        assert_eq!(
            err("k - + AGGREGATION sum 5 x EMPTY"),
            "ERR TSDB: EMPTY flag should be the 3rd or 5th flag after AGGREGATION flag"
        );
        assert_eq!(
            err("k - + AGGREGATION sum 5 BUCKETTIMESTAMP"),
            "ERR wrong number of arguments for 'ts.range' command"
        );
        assert_eq!(
            err("k - + ALIGN start FILTER_BY_VALUE x 1"),
            "ERR TSDB: ALIGN parameter can only be used with AGGREGATION"
        );
        assert_eq!(err("k - + FILTER_BY_TS x COUNT x"), "ERR TSDB: Couldn't parse COUNT");
        assert_eq!(err("count - +"), "ERR TSDB: Couldn't parse COUNT");
    }

    #[test]
    fn count_after_aggregator_named_count() {
        let r = parse("k - + AGGREGATION COUNT 5 COUNT 3").unwrap();
        assert_eq!(r.count, Some(3));
        let r = parse("k - + AGGREGATION count 5").unwrap();
        assert_eq!(r.count, None);
    }

    #[test]
    fn filter_by_ts_takes_at_most_128() {
        let list: Vec<String> = (0..200).map(|t| t.to_string()).collect();
        let r = parse(&format!("k - + FILTER_BY_TS {}", list.join(" "))).unwrap();
        assert_eq!(r.filter_by_ts.unwrap().len(), 128);
        let r = parse("k - + FILTER_BY_TS 5 1 5 x 2").unwrap();
        assert_eq!(r.filter_by_ts.unwrap(), vec![1, 5]);
    }
}

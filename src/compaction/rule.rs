//! One compaction rule and its open bucket; the snapshot encoding of both.
//!
//! Snapshot layout ([`Rule::write_to`]), all integers varints unless noted:
//!
//! | field        | encoding                   | meaning                                       |
//! |--------------|----------------------------|-----------------------------------------------|
//! | version      | u8 = 1                     |                                               |
//! | dest         | varint (u32)               | destination series id                         |
//! | aggregator   | u8                         | [`Aggregator::code`]                          |
//! | duration     | varint, 1..=i64::MAX       | bucket duration, ms                           |
//! | align        | varint, 0..=i64::MAX       | alignTimestamp                                |
//! | open         | u8 0 / 1                   | an open bucket follows                        |
//! | - start      | zigzag                     | bucket start (on the rule's grid; may be < 0) |
//! | - acc        | count, nan count, then sum, sum², min, max as u64 LE bits, first, last (sample?), mean (f64?) | the [`Acc`] |
//! | - twa        | left (sample?), ta (zigzag), first, last (sample?), area (u64 LE bits) | the [`Twa`] |
//!
//! `sample?` is u8 0, or u8 1 + zigzag ts + u64 LE value bits; `f64?` likewise without ts.
//! [`Rule::read_from`] checks every field and the consistency of the state (counts, samples
//! inside the bucket, aggregates consistent with the samples' presence); it cannot know whether
//! `dest` names a series: the caller checks that.

use crate::chunk::varint::{self, Cursor};
use crate::engine::{Engine, RuleInfo, SeriesId};
use crate::error::{Error, Result};
use crate::query::{Acc, Aggregator, Buckets, Twa};

/// The bucket a rule is filling: its start and the aggregation of the samples so far.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenBucket {
    /// Bucket start (may be negative; written at `max(0, start)`).
    pub start: i64,
    /// The samples' aggregate.
    pub acc: Acc,
    /// The twa state (left neighbour, area) — kept for every aggregator, used by twa.
    pub twa: Twa,
}

impl OpenBucket {
    /// An empty bucket starting at `start`, with twa's left neighbour `left`.
    pub fn new(start: i64, left: Option<(i64, f64)>) -> OpenBucket {
        OpenBucket { start, acc: Acc::new(), twa: Twa::new(left, start.max(0)) }
    }

    /// Adds a sample later than the ones in the bucket.
    pub fn add(&mut self, t: i64, v: f64) {
        self.acc.add(t, v);
        self.twa.add(t, v);
    }

    /// The bucket's value with `right` as twa's right neighbour (`None` for LATEST), or `None`
    /// when the bucket holds no input for the aggregator.
    pub fn value(&self, agg: Aggregator, duration: i64, right: Option<(i64, f64)>) -> Option<f64> {
        match agg {
            Aggregator::Twa => self.twa.finish(right, self.start.saturating_add(duration)),
            _ => agg.finish(&self.acc),
        }
    }

    /// twa's left neighbour for the next bucket: this bucket's last valid sample, else its own
    /// left neighbour.
    pub fn last_valid(&self) -> Option<(i64, f64)> {
        self.acc.last.or(self.twa.left)
    }
}

/// A compaction rule of a source series (TS.CREATERULE).
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Destination series.
    pub dest: SeriesId,
    /// The aggregator.
    pub aggregator: Aggregator,
    /// Bucket duration in ms (> 0).
    pub bucket_duration: i64,
    /// alignTimestamp (>= 0).
    pub align: i64,
    /// The bucket being filled, if any.
    pub open: Option<OpenBucket>,
}

impl Rule {
    /// A new rule without an open bucket.
    pub fn new(dest: SeriesId, aggregator: Aggregator, bucket_duration: i64, align: i64) -> Rule {
        Rule { dest, aggregator, bucket_duration, align, open: None }
    }

    /// The rule's bucket grid.
    pub fn grid(&self) -> Buckets {
        Buckets::new(self.bucket_duration, self.align)
    }

    /// The TS.INFO view of this rule (`None` if the destination is gone).
    pub fn info(&self, engine: &Engine) -> Option<RuleInfo> {
        let dest = engine.entry(self.dest)?;
        Some(RuleInfo {
            dest: dest.key.clone(),
            bucket_ms: self.bucket_duration,
            aggregator: self.aggregator.name().to_owned(),
            align: self.align,
        })
    }

    /// Serialises the rule and its open bucket (layout in the module documentation).
    ///
    /// ```
    /// use tsdb_wasm::compaction::{OpenBucket, Rule};
    /// use tsdb_wasm::query::Aggregator;
    /// let mut rule = Rule::new(3, Aggregator::Avg, 60_000, 0);
    /// let mut open = OpenBucket::new(120_000, None);
    /// open.add(125_000, 2.5);
    /// rule.open = Some(open);
    /// let mut bytes = Vec::new();
    /// rule.write_to(&mut bytes);
    /// let mut pos = 0;
    /// assert_eq!(Rule::read_from(&bytes, &mut pos).unwrap(), rule);
    /// assert_eq!(pos, bytes.len());
    /// assert!(Rule::read_from(&bytes[..bytes.len() - 1], &mut 0).is_err());
    /// ```
    pub fn write_to(&self, out: &mut Vec<u8>) {
        out.push(1);
        varint::put(out, u64::from(self.dest));
        out.push(self.aggregator.code());
        varint::put(out, self.bucket_duration as u64);
        varint::put(out, self.align as u64);
        let Some(o) = &self.open else {
            out.push(0);
            return;
        };
        out.push(1);
        varint::put(out, varint::zigzag(o.start));
        let a = &o.acc;
        varint::put(out, a.count);
        varint::put(out, a.nan_count);
        for f in [a.sum, a.sum_sq, a.min, a.max] {
            out.extend_from_slice(&f.to_bits().to_le_bytes());
        }
        put_sample(out, a.first);
        put_sample(out, a.last);
        put_f64(out, a.mean);
        put_sample(out, o.twa.left);
        varint::put(out, varint::zigzag(o.twa.ta));
        put_sample(out, o.twa.first);
        put_sample(out, o.twa.last);
        out.extend_from_slice(&o.twa.area.to_bits().to_le_bytes());
    }

    /// Reads a rule written by [`Rule::write_to`] at `*pos`, advancing it; damaged or
    /// inconsistent bytes give `Error::corrupt`.
    pub fn read_from(bytes: &[u8], pos: &mut usize) -> Result<Rule> {
        let mut c = Cursor::new(bytes, *pos);
        if c.u8()? != 1 {
            return Err(Error::corrupt("unknown rule format version"));
        }
        let dest = c.varint_max(u64::from(u32::MAX), "rule destination")? as SeriesId;
        let aggregator = Aggregator::from_code(c.u8()?).ok_or_else(|| Error::corrupt("unknown rule aggregator"))?;
        let duration = c.varint_max(i64::MAX as u64, "rule bucket duration")? as i64;
        if duration == 0 {
            return Err(Error::corrupt("rule bucket duration out of range"));
        }
        let align = c.varint_max(i64::MAX as u64, "rule alignment")? as i64;
        let mut rule = Rule::new(dest, aggregator, duration, align);
        rule.open = match c.u8()? {
            0 => None,
            1 => Some(read_open(&mut c, &rule)?),
            _ => return Err(Error::corrupt("rule open-bucket flag")),
        };
        *pos = c.pos();
        Ok(rule)
    }
}

fn put_sample(out: &mut Vec<u8>, s: Option<(i64, f64)>) {
    match s {
        None => out.push(0),
        Some((t, v)) => {
            out.push(1);
            varint::put(out, varint::zigzag(t));
            out.extend_from_slice(&v.to_bits().to_le_bytes());
        }
    }
}

fn put_f64(out: &mut Vec<u8>, v: Option<f64>) {
    match v {
        None => out.push(0),
        Some(v) => {
            out.push(1);
            out.extend_from_slice(&v.to_bits().to_le_bytes());
        }
    }
}

fn f64_at(c: &mut Cursor<'_>) -> Result<f64> {
    Ok(f64::from_bits(c.u64_le()?))
}

fn sample_at(c: &mut Cursor<'_>) -> Result<Option<(i64, f64)>> {
    match c.u8()? {
        0 => Ok(None),
        1 => Ok(Some((c.zigzag()?, f64_at(c)?))),
        _ => Err(Error::corrupt("rule sample flag")),
    }
}

fn read_open(c: &mut Cursor<'_>, rule: &Rule) -> Result<OpenBucket> {
    let bad = |what: &str| Error::corrupt(format!("rule open bucket: {what}"));
    let start = c.zigzag()?;
    if rule.grid().start_of(start.max(0)) != start {
        return Err(bad("start not on the bucket grid"));
    }
    let end = start.saturating_add(rule.bucket_duration);
    let count = c.varint()?;
    let nan_count = c.varint()?;
    let (sum, sum_sq, min, max) = (f64_at(c)?, f64_at(c)?, f64_at(c)?, f64_at(c)?);
    let first = sample_at(c)?;
    let last = sample_at(c)?;
    let mean = match c.u8()? {
        0 => None,
        1 => Some(f64_at(c)?),
        _ => return Err(bad("mean flag")),
    };
    let left = sample_at(c)?;
    let ta = c.zigzag()?;
    let twa_first = sample_at(c)?;
    let twa_last = sample_at(c)?;
    let area = f64_at(c)?;
    let acc = Acc { count, nan_count, sum, sum_sq, min, max, first, last, mean };
    let valid = count.checked_sub(nan_count).ok_or_else(|| bad("more NaN samples than samples"))?;
    let inside = |s: Option<(i64, f64)>| s.is_none_or(|(t, v)| t >= start.max(0) && t < end && !v.is_nan());
    let extremes = if valid > 0 {
        !min.is_nan() && !max.is_nan() && min <= max
    } else {
        min == f64::INFINITY && max == f64::NEG_INFINITY && sum == 0.0 && sum_sq == 0.0 && mean.is_none()
    };
    let consistent = extremes
        && (valid > 0) == first.is_some()
        && (valid > 0) == last.is_some()
        && first.zip(last).is_none_or(|(f, l)| f.0 <= l.0)
        && inside(first)
        && inside(last)
        && twa_first == first
        && twa_last == last
        && ta == start.max(0)
        && left.is_none_or(|(t, v)| t < first.map_or(end, |f| f.0) && !v.is_nan());
    if !consistent {
        return Err(bad("inconsistent state"));
    }
    Ok(OpenBucket { start, acc, twa: Twa { left, ta, first: twa_first, last: twa_last, area } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_every_prefix_fails() {
        let mut r = Rule::new(7, Aggregator::Twa, 10, 3);
        let mut o = OpenBucket::new(-7, Some((0, 1.0)));
        o.add(1, 2.5);
        o.add(2, f64::NAN);
        r.open = Some(o);
        for rule in [Rule::new(1, Aggregator::Sum, 60_000, 0), r] {
            let mut buf = Vec::new();
            rule.write_to(&mut buf);
            let mut pos = 0;
            let back = Rule::read_from(&buf, &mut pos).unwrap();
            assert_eq!(pos, buf.len());
            assert_eq!(format!("{back:?}"), format!("{rule:?}"));
            for n in 0..buf.len() {
                assert!(Rule::read_from(&buf[..n], &mut 0).is_err(), "prefix {n}");
            }
        }
    }

    #[test]
    fn inconsistent_state_is_rejected() {
        let mut r = Rule::new(1, Aggregator::Sum, 10, 0);
        let mut o = OpenBucket::new(20, None);
        o.add(25, 1.0);
        r.open = Some(o.clone());
        o.start = 30; // the sample lies outside the bucket
        let mut bad = r.clone();
        bad.open = Some(o);
        let mut buf = Vec::new();
        bad.write_to(&mut buf);
        assert!(Rule::read_from(&buf, &mut 0).is_err());
        let mut buf = Vec::new();
        r.write_to(&mut buf);
        buf[2] = 99; // aggregator code
        assert!(Rule::read_from(&buf, &mut 0).is_err());
    }
}

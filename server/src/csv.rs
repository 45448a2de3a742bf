//! Reading a time-series CSV: a header row, one time column, numeric columns.
//!
//! * Fields are comma-separated; double-quoted fields may contain commas and `""`
//!   (RFC 4180), but not line breaks. `\r\n` line ends are accepted.
//! * The time column is the one named by the caller, else the first whose name is
//!   `date`, `time`, `timestamp`, `datetime` or `ts` (any case), else the first column.
//!   Times are ISO 8601 dates (`2000-06-05`, midnight UTC), date-times
//!   (`2010-01-01T01:00`, `…T01:00:00.250`, a space instead of `T`, an optional `Z` or
//!   `±HH:MM` offset; no offset means UTC), or plain numbers: epoch milliseconds when
//!   |x| ≥ 10¹¹, else epoch seconds.
//! * Every other column whose non-empty cells all parse as finite numbers is a series;
//!   other columns (text) are ignored. Empty cells are missing samples.
//! * Rows with an unparseable time, and rows whose time is not after the previous
//!   row's (series timestamps must rise strictly), are skipped and counted.

/// A parsed CSV: times and numeric columns, row-aligned.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub time_column: String,
    pub times: Vec<i64>,
    /// (column name, one cell per row; `None` where the cell was empty).
    pub columns: Vec<(String, Vec<Option<f64>>)>,
    /// Rows dropped: bad time, or time not after the previous row.
    pub skipped_rows: usize,
}

/// Split one CSV line into fields.
pub fn split_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut in_quotes = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, in_quotes) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', true) => in_quotes = false,
            ('"', false) if cur.is_empty() => in_quotes = true,
            (',', false) => fields.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    fields.push(cur);
    fields
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn num<T: std::str::FromStr>(s: &str, len: usize) -> Option<T> {
    if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parse a time cell to ms since the epoch (UTC); see the module docs for the forms.
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.len() >= 10 && s.as_bytes()[4] == b'-' {
        return parse_iso(s);
    }
    let x: f64 = s.parse().ok()?;
    if !x.is_finite() {
        return None;
    }
    Some(if x.abs() >= 1e11 {
        x.round() as i64
    } else {
        (x * 1000.0).round() as i64
    })
}

fn parse_iso(s: &str) -> Option<i64> {
    let (y, m, d) = (
        num::<i64>(&s[0..4], 4)?,
        num::<u32>(s.get(5..7)?, 2)?,
        num::<u32>(s.get(8..10)?, 2)?,
    );
    if s.as_bytes().get(7) != Some(&b'-') || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut ms = days_from_civil(y, m, d) * 86_400_000;
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(ms);
    }
    let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' '))?;
    // Split off the zone: 'Z' or the last '+'/'-'.
    let (clock, zone) = if let Some(c) = rest.strip_suffix('Z') {
        (c, 0)
    } else if let Some(pos) = rest.rfind(['+', '-']) {
        let z = &rest[pos + 1..].replace(':', "");
        let (zh, zm) = (
            num::<i64>(z.get(0..2)?, 2)?,
            if z.len() == 4 {
                num::<i64>(&z[2..4], 2)?
            } else {
                0
            },
        );
        if z.len() != 2 && z.len() != 4 {
            return None;
        }
        let sign = if rest.as_bytes()[pos] == b'-' { -1 } else { 1 };
        (&rest[..pos], sign * (zh * 60 + zm) * 60_000)
    } else {
        (rest, 0)
    };
    let mut parts = clock.splitn(3, ':');
    let h: i64 = num(parts.next()?, 2)?;
    let mi: i64 = num(parts.next()?, 2)?;
    let (sec, frac_ms) = match parts.next() {
        None => (0, 0.0),
        Some(sec) => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            let frac_ms = if frac.is_empty() {
                0.0
            } else {
                if !frac.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                format!("0.{frac}").parse::<f64>().ok()? * 1000.0
            };
            (num::<i64>(whole, 2)?, frac_ms)
        }
    };
    if h > 24 || mi > 59 || sec > 60 {
        return None;
    }
    ms += ((h * 60 + mi) * 60 + sec) * 1000 + frac_ms.round() as i64 - zone;
    Some(ms)
}

const TIME_NAMES: &[&str] = &["date", "time", "timestamp", "datetime", "ts"];

/// Parse CSV text. Errors name what is wrong (no header, no numeric column, no row).
pub fn parse(text: &str, time_column: Option<&str>) -> Result<Table, String> {
    let mut lines = text
        .lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.trim().is_empty());
    let header = split_line(lines.next().ok_or("the file is empty")?);
    let header: Vec<String> = header.into_iter().map(|h| h.trim().to_string()).collect();
    let tcol = match time_column {
        Some(name) => header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("no column named {name:?}"))?,
        None => header
            .iter()
            .position(|h| TIME_NAMES.contains(&h.to_ascii_lowercase().as_str()))
            .unwrap_or(0),
    };
    let mut times = Vec::new();
    let mut cells: Vec<Vec<Option<f64>>> = vec![Vec::new(); header.len()];
    let mut numeric = vec![true; header.len()];
    let mut skipped = 0;
    for line in lines {
        let fields = split_line(line);
        let t = match fields.get(tcol).and_then(|f| parse_time(f)) {
            Some(t) if times.last().map_or(true, |&p| t > p) => t,
            _ => {
                skipped += 1;
                continue;
            }
        };
        times.push(t);
        for (c, col) in cells.iter_mut().enumerate() {
            if c == tcol {
                continue;
            }
            let f = fields.get(c).map(|f| f.trim()).unwrap_or("");
            if f.is_empty() {
                col.push(None);
            } else {
                match f.parse::<f64>() {
                    Ok(v) if v.is_finite() => col.push(Some(v)),
                    _ => {
                        numeric[c] = false;
                        col.push(None);
                    }
                }
            }
        }
    }
    if times.is_empty() {
        return Err(format!(
            "no row with a valid time in column {:?}",
            header[tcol]
        ));
    }
    let columns: Vec<(String, Vec<Option<f64>>)> = header
        .iter()
        .zip(cells)
        .enumerate()
        .filter(|(c, (_, col))| *c != tcol && numeric[*c] && col.iter().any(|v| v.is_some()))
        .map(|(_, (name, col))| (name.clone(), col))
        .collect();
    if columns.is_empty() {
        return Err("no numeric column besides the time column".into());
    }
    Ok(Table {
        time_column: header[tcol].clone(),
        times,
        columns,
        skipped_rows: skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(parse_time("1970-01-01"), Some(0));
        assert_eq!(parse_time("1958-03-29"), Some(-371_174_400_000));
        assert_eq!(parse_time("2000-06-05T00:30"), Some(960_165_000_000));
        assert_eq!(parse_time("2010-01-01T01:00:00"), Some(1_262_307_600_000));
        assert_eq!(
            parse_time("2010-01-01 01:00:00.25Z"),
            Some(1_262_307_600_250)
        );
        assert_eq!(
            parse_time("2010-01-01T03:00:00+02:00"),
            Some(1_262_307_600_000)
        );
        assert_eq!(parse_time("2010-01-01T00:00-0100"), Some(1_262_307_600_000));
        assert_eq!(parse_time("1700000000"), Some(1_700_000_000_000));
        assert_eq!(parse_time("1700000000123"), Some(1_700_000_000_123));
        for bad in [
            "",
            "2010-13-01",
            "2010-01-01X",
            "2010-1-01",
            "2010-01-01T1:00",
            "nan",
            "2010-01-01T01:00+1",
            "abc",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn mangled_times_never_panic() {
        let good = "2010-01-01T01:00:00.250+02:00";
        let subs = [
            "",
            "é",
            "\u{1F600}",
            "-",
            ":",
            "+",
            "Z",
            ".",
            " ",
            "9",
            "\0",
        ];
        for i in 0..=good.len() {
            for sub in subs {
                for cut in [0, 1] {
                    let s = format!(
                        "{}{}{}",
                        &good[..i],
                        sub,
                        &good[(i + cut).min(good.len())..]
                    );
                    let _ = parse_time(&s);
                }
            }
        }
    }

    #[test]
    fn quoted_fields() {
        assert_eq!(
            split_line(r#"a,"b,c","d""e",,"#),
            vec!["a", "b,c", "d\"e", "", ""]
        );
    }

    #[test]
    fn table_columns_gaps_and_skips() {
        let t = parse(
            "name,date,v,w\r\nx,2000-01-02,1.5,\nx,2000-01-01,9,9\ny,2000-01-03,,2\nz,bad,1,1\n",
            None,
        )
        .unwrap();
        assert_eq!(t.time_column, "date");
        assert_eq!(t.times.len(), 2);
        assert_eq!(t.skipped_rows, 2); // out of order, bad time
        let names: Vec<&str> = t.columns.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["v", "w"]); // "name" is text
        assert_eq!(t.columns[0].1, vec![Some(1.5), None]);
        assert_eq!(t.columns[1].1, vec![None, Some(2.0)]);
        assert!(parse("", None).is_err());
        assert!(parse("date,v\n2000-01-01,a\n", None).is_err());
        assert!(parse("a,b\n1,2\n", Some("zz")).is_err());
    }

    #[test]
    fn the_bundled_datasets_parse() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../bench/data");
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().and_then(|x| x.to_str()) != Some("csv") {
                continue;
            }
            let t = parse(&std::fs::read_to_string(&p).unwrap(), None).unwrap();
            assert!(t.times.len() > 1000, "{p:?}");
            assert!(!t.columns.is_empty());
        }
    }
}

//! CSV replay: stream a recorded dataset as live telemetry, sped up.
//!
//! Each numeric column of the CSV becomes a series keyed `<column>:<file stem>`
//! (e.g. `temperature:seattle_weather_hourly_normals`) with labels `metric` (the
//! column), `source` (the file stem) and `file` (the file name).
//!
//! Schedule: row `r` is due at wall time `start + (t_r − t_0) / speed`; a poll emits
//! the rows that became due, whole (all columns of a row are in the same batch). With
//! `--speed auto` the speed is chosen to play the whole file in 60 seconds. With
//! looping (the default) the file starts over after one typical row step.
//!
//! Timestamps (`--replay-time`):
//! * `live` (default): the row's scheduled wall-clock time, in ms since the epoch —
//!   the data looks like it is being measured now (and pre-1970 data gets positive
//!   timestamps, which the engine requires). Rows that land in the same millisecond are
//!   nudged 1 ms apart so timestamps rise strictly.
//! * `original`: the CSV's own timestamps; each further loop pass is shifted by the
//!   file's span plus one step, so timestamps keep rising.

use std::path::Path;
use std::sync::Arc;

use crate::batch::Batch;
use crate::csv::Table;
use crate::hub::{Hub, HubError};
use crate::source::{Poll, Source};

/// How fast to replay.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    /// Play the whole file in this many seconds.
    Auto(f64),
    /// Data time per wall time (3600 = one hour of data per second).
    Factor(f64),
}

/// Which timestamps replayed samples carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplayTime {
    Live,
    Original,
}

#[derive(Clone, Debug)]
pub struct ReplayConfig {
    pub path: std::path::PathBuf,
    pub speed: Speed,
    pub time: ReplayTime,
    pub looping: bool,
    pub time_column: Option<String>,
}

/// See the module docs.
pub struct Replay {
    table: Table,
    ids: Vec<u32>,
    /// Data ms per wall ms.
    speed: f64,
    /// Data-time length of one pass (span plus one step).
    pass_ms: i64,
    start_wall: i64,
    looping: bool,
    time: ReplayTime,
    /// Next row and pass.
    row: usize,
    pass: u64,
    last_ts: Option<i64>,
}

impl Replay {
    /// Read and parse the CSV, register its series in `hub`.
    pub fn open(cfg: &ReplayConfig, hub: &Arc<Hub>, start_wall: i64) -> Result<Replay, String> {
        let text = std::fs::read_to_string(&cfg.path)
            .map_err(|e| format!("{}: {e}", cfg.path.display()))?;
        let table = crate::csv::parse(&text, cfg.time_column.as_deref())
            .map_err(|e| format!("{}: {e}", cfg.path.display()))?;
        Replay::from_table(table, &cfg.path, cfg, hub, start_wall).map_err(|e| e.to_string())
    }

    pub fn from_table(
        table: Table,
        path: &Path,
        cfg: &ReplayConfig,
        hub: &Arc<Hub>,
        start_wall: i64,
    ) -> Result<Replay, HubError> {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("replay")
            .to_string();
        let file = path
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or("replay.csv")
            .to_string();
        let mut ids = Vec::new();
        for (name, _) in &table.columns {
            let labels = vec![
                ("metric".into(), name.clone()),
                ("source".into(), stem.clone()),
                ("file".into(), file.clone()),
            ];
            ids.push(hub.register(&format!("{name}:{stem}"), labels)?);
        }
        let t0 = table.times[0];
        let span = table.times[table.times.len() - 1] - t0;
        let rows = table.times.len() as i64;
        let step = if rows > 1 {
            (span / (rows - 1)).max(1)
        } else {
            1000
        };
        let speed = match cfg.speed {
            Speed::Factor(f) => f,
            Speed::Auto(secs) => ((span + step) as f64 / (secs * 1000.0)).max(1e-9),
        };
        Ok(Replay {
            table,
            ids,
            speed,
            pass_ms: span + step,
            start_wall,
            looping: cfg.looping,
            time: cfg.time,
            row: 0,
            pass: 0,
            last_ts: None,
        })
    }

    pub fn series_count(&self) -> usize {
        self.ids.len()
    }

    /// The effective speed factor (data ms per wall ms).
    pub fn speed(&self) -> f64 {
        self.speed
    }

    pub fn skipped_rows(&self) -> usize {
        self.table.skipped_rows
    }

    /// Data time of row `row` in pass `pass`, relative to the first row.
    fn data_offset(&self, pass: u64, row: usize) -> i64 {
        (pass as i64)
            .saturating_mul(self.pass_ms)
            .saturating_add(self.table.times[row] - self.table.times[0])
    }

    fn due_wall(&self, pass: u64, row: usize) -> i64 {
        // `as` saturates; a tiny speed factor puts rows in the far future, not overflow.
        self.start_wall
            .saturating_add((self.data_offset(pass, row) as f64 / self.speed).floor() as i64)
    }
}

impl Source for Replay {
    fn mode(&self) -> &'static str {
        "replay"
    }

    fn rate_hz(&self) -> f64 {
        let rows = self.table.times.len() as f64;
        rows / (self.pass_ms as f64 / self.speed / 1000.0)
    }

    fn poll(&mut self, now_ms: i64, max_samples: usize, out: &mut Batch) -> Poll {
        loop {
            if self.row == self.table.times.len() {
                if !self.looping {
                    return Poll::Finished;
                }
                self.row = 0;
                self.pass += 1;
            }
            let due = self.due_wall(self.pass, self.row);
            if due > now_ms {
                return Poll::Ready;
            }
            if out.len() + self.table.columns.len() > max_samples.max(self.table.columns.len()) {
                return Poll::More; // bound one batch, at a row boundary
            }
            let ts = match self.time {
                ReplayTime::Live => self.last_ts.map_or(due, |p| due.max(p + 1)),
                ReplayTime::Original => self.table.times[0] + self.data_offset(self.pass, self.row),
            };
            for (c, (_, cells)) in self.table.columns.iter().enumerate() {
                if let Some(v) = cells[self.row] {
                    out.push(self.ids[c], ts, v);
                }
            }
            self.last_ts = Some(ts);
            self.row += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::HubLimits;

    fn replay(text: &str, speed: Speed, time: ReplayTime, looping: bool) -> (Replay, Arc<Hub>) {
        let hub = Arc::new(Hub::new(HubLimits::default()));
        let cfg = ReplayConfig {
            path: "data/x.csv".into(),
            speed,
            time,
            looping,
            time_column: None,
        };
        let table = crate::csv::parse(text, None).unwrap();
        (
            Replay::from_table(table, &cfg.path, &cfg, &hub, 1_000_000).unwrap(),
            hub,
        )
    }

    const CSV: &str = "date,a,b\n2000-01-01,1,10\n2000-01-02,2,\n2000-01-03,3,30\n";
    const DAY: i64 = 86_400_000;

    #[test]
    fn registers_series_with_labels() {
        let (_, hub) = replay(CSV, Speed::Factor(1.0), ReplayTime::Live, false);
        let s = hub.series_from(0);
        assert_eq!(s[1].key, "b:x");
        assert_eq!(s[1].label("source"), Some("x"));
        assert_eq!(s[1].label("file"), Some("x.csv"));
    }

    #[test]
    fn plays_at_speed_with_live_timestamps_and_stops() {
        // One day of data per second of wall time.
        let (mut r, _) = replay(
            CSV,
            Speed::Factor(DAY as f64 / 1000.0),
            ReplayTime::Live,
            false,
        );
        let mut b = Batch::default();
        assert_eq!(r.poll(1_000_000, 100, &mut b), Poll::Ready);
        assert_eq!(
            (b.ts.clone(), b.values.clone()),
            (vec![1_000_000, 1_000_000], vec![1.0, 10.0])
        );
        let mut b = Batch::default();
        assert_eq!(r.poll(1_001_999, 100, &mut b), Poll::Ready);
        assert_eq!(b.ts, vec![1_001_000]); // row 2 has no `b`
        let mut b = Batch::default();
        assert_eq!(r.poll(1_002_000, 100, &mut b), Poll::Finished);
        assert_eq!(b.values, vec![3.0, 30.0]);
    }

    #[test]
    fn loops_with_rising_original_timestamps() {
        let (mut r, _) = replay(CSV, Speed::Auto(3.0), ReplayTime::Original, true);
        let mut b = Batch::default();
        assert_eq!(r.poll(1_000_000 + 4_500, 100, &mut b), Poll::Ready); // 1.5 passes of 3 s
        let a_ts: Vec<i64> = (0..b.len())
            .filter(|&i| b.ids[i] == 0)
            .map(|i| b.ts[i])
            .collect();
        let t0 = 946_684_800_000;
        assert_eq!(
            a_ts,
            vec![t0, t0 + DAY, t0 + 2 * DAY, t0 + 3 * DAY, t0 + 4 * DAY]
        );
    }

    #[test]
    fn live_timestamps_never_collide() {
        let (mut r, _) = replay(CSV, Speed::Factor(1e12), ReplayTime::Live, true);
        let mut b = Batch::default();
        assert_eq!(r.poll(1_000_000, 1000, &mut b), Poll::More);
        assert!(b.len() <= 1000);
        let a_ts: Vec<i64> = (0..b.len())
            .filter(|&i| b.ids[i] == 0)
            .map(|i| b.ts[i])
            .collect();
        assert!(a_ts.len() > 300);
        assert!(a_ts.windows(2).all(|w| w[0] < w[1]));
    }
}

//! Rolling windows of samples (latencies, batch sizes) summarised like librdkafka's
//! rd_avg_t for the statistics JSON: written by the threads that measure, read and reset
//! by the statistics emitter.

use std::sync::Mutex;

/// Adds one sample to a shared window (a poisoned lock still records).
pub fn add_sample(w: &Mutex<Window>, v: i64) {
    w.lock().unwrap_or_else(|e| e.into_inner()).add(v);
}

/// Summarises and resets a shared window.
pub fn rollover(w: &Mutex<Window>) -> WindowSummary {
    w.lock().unwrap_or_else(|e| e.into_inner()).rollover()
}

/// A rolling window of samples (microseconds), summarised like librdkafka's rd_avg_t:
/// min, max, avg, sum, cnt, stddev and percentiles, reset at each stats emission.
#[derive(Default, Clone, Debug)]
pub struct Window {
    samples: Vec<i64>,
    sum: i64,
    min: i64,
    max: i64,
}

/// Cap on kept samples; beyond it the window keeps every n-th (still bounded memory).
const MAX_SAMPLES: usize = 10_000;

#[derive(Default, Clone, Debug, PartialEq)]
pub struct WindowSummary {
    pub min: i64,
    pub max: i64,
    pub avg: i64,
    pub sum: i64,
    pub cnt: i64,
    pub stddev: i64,
    pub p50: i64,
    pub p75: i64,
    pub p90: i64,
    pub p95: i64,
    pub p99: i64,
    pub p99_99: i64,
}

impl Window {
    pub fn add(&mut self, v: i64) {
        if self.samples.is_empty() {
            self.min = v;
            self.max = v;
        } else {
            self.min = self.min.min(v);
            self.max = self.max.max(v);
        }
        self.sum += v;
        if self.samples.len() < MAX_SAMPLES {
            self.samples.push(v);
        } else {
            let i = fastrand::usize(..self.samples.len());
            self.samples[i] = v;
        }
    }

    /// Summarises and resets the window.
    pub fn rollover(&mut self) -> WindowSummary {
        let mut s = std::mem::take(&mut self.samples);
        let cnt = s.len() as i64;
        if cnt == 0 {
            return WindowSummary::default();
        }
        s.sort_unstable();
        let avg = self.sum / cnt;
        let var = s.iter().map(|&v| ((v - avg) as f64).powi(2)).sum::<f64>() / cnt as f64;
        let pct = |p: f64| s[(((cnt as f64) * p).ceil() as usize).clamp(1, s.len()) - 1];
        let out = WindowSummary {
            min: self.min,
            max: self.max,
            avg,
            sum: self.sum,
            cnt,
            stddev: var.sqrt() as i64,
            p50: pct(0.50),
            p75: pct(0.75),
            p90: pct(0.90),
            p95: pct(0.95),
            p99: pct(0.99),
            p99_99: pct(0.9999),
        };
        self.sum = 0;
        self.samples = Vec::with_capacity(s.len().min(1024));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn window_summary() {
        let mut w = Window::default();
        for v in 1..=100 {
            w.add(v);
        }
        let s = w.rollover();
        assert_eq!((s.min, s.max, s.cnt, s.sum, s.avg), (1, 100, 100, 5050, 50));
        assert_eq!((s.p50, s.p90, s.p99), (50, 90, 99));
        assert_eq!(w.rollover().cnt, 0);
    }
}

//! Clocks: a monotonic microsecond clock for timers and latencies, and the wall clock
//! for message timestamps, read through the monotonic one.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

/// Microseconds on a monotonic clock since process start.
pub fn now_us() -> i64 {
    static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    EPOCH.get_or_init(Instant::now).elapsed().as_micros() as i64
}

/// Wall clock milliseconds since the Unix epoch.
pub fn wallclock_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Wall-clock offset (µs) from the monotonic clock, re-synced by the main thread each
/// second, so a message's timestamp and enqueue time come from one clock read (clock
/// reads were a fifth of producer CPU on virtual machines with slow clock sources).
static WALL_OFFSET_US: AtomicI64 = AtomicI64::new(i64::MIN);

/// Re-reads the wall clock (called each second by the main thread).
pub fn resync_wallclock() {
    let wall_us = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0);
    WALL_OFFSET_US.store(wall_us - now_us(), Ordering::Relaxed);
}

/// Wall clock milliseconds for a monotonic `now_us()` reading.
pub fn wallclock_ms_at(mono_us: i64) -> i64 {
    let mut off = WALL_OFFSET_US.load(Ordering::Relaxed);
    if off == i64::MIN {
        resync_wallclock();
        off = WALL_OFFSET_US.load(Ordering::Relaxed);
    }
    (mono_us + off) / 1000
}

//! The client's main thread (librdkafka's rdk:main): the timers of everything that has
//! no thread of its own.

use super::metadata;
use super::parts::Client;
use crate::clock::resync_wallclock;
use crate::consumer::offset_file;
use crate::event::Event;
use crate::instance::{set_log_thread, MainOp};
use crate::producer::{pid, txn};
use crate::stats;
use crossbeam_channel::Receiver;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Runs until destroy: metadata refreshes (periodic, and asked for), the periodic scan
/// of topics waiting for metadata, the idempotent and transactional producer's work,
/// the wall clock re-sync and statistics.
pub(super) fn run(client: Arc<Client>, rx: Receiver<MainOp>) {
    set_log_thread("main");
    let refresh_interval = client.rk.settings.metadata_refresh_interval_ms;
    let stats_interval = client.rk.settings.stats_interval_ms;
    let mut next_full_refresh = Instant::now();
    let mut next_stats =
        (stats_interval > 0).then(|| Instant::now() + Duration::from_millis(stats_interval as u64));
    let mut next_scan = Instant::now();
    let mut fast_refresh_at: Option<Instant> = None;
    let mut next_clock_sync = Instant::now();
    let mut eos_at: Option<Instant> = None;
    let mut kinit = super::credentials::Kinit::new();
    loop {
        let now = Instant::now();
        let mut wake = next_scan.min(if refresh_interval > 0 {
            next_full_refresh
        } else {
            now + Duration::from_secs(1)
        });
        if let Some(e) = eos_at {
            wake = wake.min(e);
        }
        if let Some(s) = next_stats {
            wake = wake.min(s);
        }
        if let Some(f) = fast_refresh_at {
            wake = wake.min(f);
        }
        let op = rx.recv_timeout(wake.saturating_duration_since(now));
        if client.rk.is_terminating() {
            return;
        }
        match op {
            Ok(MainOp::Terminate) | Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return,
            Ok(MainOp::Kick) => {}
            Ok(MainOp::Refresh) => {
                // Coalesce bursts (many topics created at once) into one request.
                let at = Instant::now() + Duration::from_millis(1);
                fast_refresh_at = Some(fast_refresh_at.map_or(at, |f| f.min(at)));
            }
            Err(_) => {}
        }
        let now = Instant::now();
        if fast_refresh_at.is_some_and(|f| f <= now) || (refresh_interval > 0 && next_full_refresh <= now) {
            fast_refresh_at = None;
            client.rk.refresh_started();
            metadata::refresh_known_topics(&client);
            if refresh_interval > 0 && next_full_refresh <= now {
                next_full_refresh = now + Duration::from_millis(refresh_interval as u64);
            }
        }
        if next_clock_sync <= now {
            next_clock_sync = now + Duration::from_secs(1);
            resync_wallclock();
            flush_offset_files(&client);
            // As librdkafka's 1 s timer: no broker up, try another ("no cluster
            // connection"), so each unreachable broker is tried and reported.
            if fast_refresh_at.is_none() && !client.brokers.all().iter().any(|b| b.is_up()) {
                client.rk.refresh_started();
                metadata::refresh_known_topics(&client);
            }
        }
        super::credentials::tick(&client, &mut kinit);
        let a = pid::tick(&client.producer);
        let b = txn::work::tick(&client.producer);
        eos_at = match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if next_scan <= now {
            next_scan = now + Duration::from_millis(100);
            let needs_refresh = metadata::scan_topics(&client);
            if needs_refresh && fast_refresh_at.is_none() {
                let since = client.cache.last_refresh_ms.load(Ordering::Acquire);
                let elapsed = client.rk.start.elapsed().as_millis() as i64 - since;
                let backoff = client.rk.settings.retry_backoff_ms.max(250);
                fast_refresh_at = Some(now + Duration::from_millis((backoff - elapsed).max(0) as u64));
            }
        }
        if let Some(s) = next_stats {
            if s <= now {
                next_stats = Some(now + Duration::from_millis(stats_interval as u64));
                let json = stats::emit(&client.producer, &client.consumer);
                client.rk.main_q.push(Event::Stats(json));
            }
        }
    }
}

/// offset.store.method=file: stored offsets reach their files about once a second
/// (librdkafka writes them on its commit timer).
fn flush_offset_files(client: &Client) {
    for t in client.cache.known_topics().iter().filter(|t| t.settings.offset_file.is_some()) {
        for p in t.state().partitions.iter() {
            offset_file::flush(&client.rk, p, false);
        }
    }
}

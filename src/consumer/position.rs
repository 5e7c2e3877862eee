//! A consumed partition's position on the application side: start, stop, seek and
//! pause its fetch, take fetched messages (moving the position and the prefetch
//! accounting), and queue consumer errors for it. Needs only the client instance, so
//! the legacy API (`rd_kafka_consume_start(rkt, …)`) can use it from a topic handle.

use super::offset_file;
use crate::cursor::{offset_str, FetchState, OffsetSink, OFFSET_INVALID, OFFSET_STORED};
use crate::error::ErrorCode;
use crate::event::Event;
use crate::instance::{dbg, Instance};
use crate::message::{Buf, Message};
use crate::metadata::Partition;
use std::sync::Arc;

/// Starts (or restarts) fetching a partition at `offset` (absolute or logical).
pub fn start(rk: &Instance, p: &Arc<Partition>, offset: i64) {
    start_quiet(rk, p, offset);
    wake_leader(rk, p);
}

/// Starts fetching partitions together: each leader is woken once all are set, so its
/// first Fetch (and offset lookup) covers all of them. Woken one by one, the first
/// partition's Fetch could wait fetch.wait.max.ms at its log end while the others,
/// started an instant later, queue behind it.
pub fn start_all(rk: &Instance, parts: &[(Arc<Partition>, i64)]) {
    for (p, offset) in parts {
        start_quiet(rk, p, *offset);
    }
    for (p, _) in parts {
        wake_leader(rk, p);
    }
}

fn start_quiet(rk: &Instance, p: &Arc<Partition>, offset: i64) {
    let mut offset = offset;
    if let Some((dir, sync_ms)) = &p.settings.offset_file {
        // offset.store.method=file: the stored offset is the file's.
        offset_file::flush(rk, p, true);
        let (file, at) = offset_file::open(rk, p, dir, *sync_ms);
        let mut c = p.cons();
        c.offset_sink = file.map(|f| Box::new(f) as Box<dyn OffsetSink>);
        if offset == OFFSET_STORED && at >= 0 {
            (c.stored_offset, c.committed_offset, offset) = (at, at, at);
        }
    }
    {
        let mut c = p.cons();
        c.version += 1;
        c.fetching = true;
        c.paused = false;
        c.lib_paused = false;
        c.stopped_err = false;
        c.resolving = false;
        c.backoff_until_us = 0;
        c.eof_at = OFFSET_INVALID;
        c.next_offset = offset;
        c.app_offset = if offset >= 0 { offset } else { OFFSET_INVALID };
        c.app_epoch = -1;
        // Purged under the lock: a fetch response pushes under it too (see handle_partition).
        purge_fetchq(p, &c);
    }
    rk.dbg(dbg::FETCH, "FETCHSTART", || {
        format!("{} [{}]: start fetching at offset {}", p.topic_name, p.id, offset_str(offset))
    });
}

/// Stops fetching and drops what was fetched but not consumed (an offset file gets the
/// stored offset and is closed).
pub fn stop(rk: &Instance, p: &Arc<Partition>) {
    offset_file::flush(rk, p, true);
    {
        let mut c = p.cons();
        c.version += 1;
        c.fetching = false;
        c.resolving = false;
        purge_fetchq(p, &c);
    }
}

/// Moves the fetch position (rd_kafka_seek): fetched-but-unconsumed messages are dropped.
pub fn seek(rk: &Instance, p: &Arc<Partition>, offset: i64) {
    {
        let mut c = p.cons();
        c.version += 1;
        c.next_offset = offset;
        c.resolving = false;
        c.stopped_err = false;
        c.eof_at = OFFSET_INVALID;
        if offset >= 0 {
            c.app_offset = offset;
            c.app_epoch = -1;
        }
        purge_fetchq(p, &c);
    }
    wake_leader(rk, p);
}

/// Pausing drops what was fetched but not consumed and rewinds the fetch position to
/// the application's, as librdkafka does: nothing more is handed out while paused, and
/// resume fetches again from where the application is.
pub fn pause(rk: &Instance, p: &Arc<Partition>, paused: bool) {
    set_paused(rk, p, false, paused);
}

/// The library's pause while the application handles a rebalance (librdkafka's
/// LIB_PAUSE), kept apart from the application's own: the rebalance is not served
/// behind a queue of messages.
pub fn lib_pause(rk: &Instance, p: &Arc<Partition>, paused: bool) {
    set_paused(rk, p, true, paused);
}

fn set_paused(rk: &Instance, p: &Arc<Partition>, by_lib: bool, on: bool) {
    {
        let mut c = p.cons();
        let was = c.paused || c.lib_paused;
        if by_lib {
            c.lib_paused = on;
        } else {
            c.paused = on;
        }
        if on && !was && c.app_offset >= 0 {
            c.version += 1;
            c.next_offset = c.app_offset;
            purge_fetchq(p, &c);
        }
    }
    if !on {
        wake_leader(rk, p);
    }
}

/// Drops what sits in the partition's own queue (forwarded messages are dropped as
/// outdated when taken). Called with the fetch state lock held.
fn purge_fetchq(p: &Arc<Partition>, st: &FetchState) {
    let dropped = p.fetchq.drain();
    let bytes: usize = dropped.iter().map(|e| if let Event::Fetch(m) = e { m.size() } else { 0 }).sum();
    p.cursor.unqueued(st, dropped.len() as i64, bytes as i64);
}

/// Wakes the broker thread fetching `p`, or asks for metadata when it has no leader.
pub fn wake_leader(rk: &Instance, p: &Partition) {
    if !p.cursor.wake_fetcher() {
        rk.request_refresh();
    }
}

/// Called when the application takes a fetched message: updates the prefetch counters
/// and the position, and wakes the fetchers that were waiting for room.
///
/// Returns false for an outdated message — fetched before a seek, stop or revoke of its
/// partition — which the caller drops instead of delivering (as librdkafka does).
pub fn on_delivered(rk: &Instance, m: &Message) -> bool {
    taken(rk, m, true)
}

/// A fetched message dropped without reaching the application (closing, or a plain
/// poll): the prefetch accounting moves, the position and stored offset do not — a
/// commit must never cover a message the application did not get.
pub fn on_dropped(rk: &Instance, m: &Message) {
    taken(rk, m, false);
}

fn taken(rk: &Instance, m: &Message, delivered: bool) -> bool {
    let Some(p) = m.cursor.as_ref() else { return true };
    let mut c = p.lock();
    p.unqueued(&c, 1, m.size() as i64);
    let current = c.version == m.fetch_version && c.fetching;
    if delivered && current && m.c.err == 0 && m.c.offset >= 0 {
        // As librdkafka: the position carries the message's leader epoch.
        c.app_offset = m.c.offset + 1;
        c.app_epoch = m.leader_epoch;
        if rk.settings.enable_auto_offset_store {
            c.store(m.c.offset + 1, m.leader_epoch, None);
        }
    }
    if let Some(pool) = &c.prefetch {
        pool.release(rk.settings.queued_min_messages as i64, rk.settings.queued_max_bytes as i64);
    }
    current
}

/// Queues a consumer error for the application (returned by consume/consumer_poll as a
/// message with `err` set).
pub fn push_error(rk: &Instance, p: &Arc<Partition>, err: ErrorCode, offset: i64, msg: String) {
    let mut m = Message::new(p.rkt, p.id, Buf::Owned(msg.clone().into_bytes().into_boxed_slice()), Buf::None);
    m.c.err = err.0;
    m.c.offset = offset;
    // librdkafka's consumer error op is zeroed: its message's leader epoch reads 0.
    m.leader_epoch = 0;
    m.errstr = std::ffi::CString::new(msg.clone()).ok().map(Box::new);
    m.cursor = Some(p.cursor.clone());
    m.fetch_version = p.cons().version;
    rk.dbg(dbg::FETCH, "CONSUMERERR", || format!("{} [{}]: {}", p.topic_name, p.id, msg));
    let mut c = p.cons();
    p.cursor.queued(&mut c, &p.fetchq.prefetch(), 1, m.size() as i64);
    p.fetchq.push(Event::Fetch(m));
}

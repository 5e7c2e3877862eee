//! The high-level consumer: rd_kafka_assign and rd_kafka_consumer_poll, closing,
//! positions, pausing, seeking and storing offsets of assigned partitions, watermarks
//! and offsets_for_times. Group membership (subscribe, commits) is `group*.rs`; the
//! legacy partition consumer, `consume.rs`.

use super::boundary::obj;
use super::error::error_to_c;
use super::fetched::{error_message, next_message};
use super::group::close_group;
use super::handle::Handle;
use super::message::{deliver, msg_into_c};
use super::queue::new_handle;
use super::tplist::{set_leader_epoch, tpl_from_vec, tpl_to_vec, TopicPartitionOwned};
use super::types::*;
use super::util::{cstr, timeout_of};
use crate::client::Client;
use crate::conf::ClientType;
use crate::consumer::{assignment, offsets, position};
use crate::error::{ErrorCode, KafkaError};
use crate::metadata::Partition;
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn consumer_client(rk: *mut rd_kafka_t) -> Option<&'static Handle> {
    // SAFETY: the caller passes the handle it got from rd_kafka_new (or NULL).
    let h = unsafe { obj::<Handle>(rk)? };
    (h.client.rk.kind == ClientType::Consumer).then_some(h)
}

/// The high-level consumer calls need group.id, as in librdkafka (_UNKNOWN_GROUP), and
/// fail with _DESTROY once the consumer is closed.
fn group_consumer(rk: *mut rd_kafka_t) -> Result<&'static Handle, ErrorCode> {
    let h = consumer_client(rk).ok_or(ErrorCode::_INVALID_ARG)?;
    let g = h.client.consumer.group.get().ok_or(ErrorCode::_UNKNOWN_GROUP)?;
    if g.closed.load(std::sync::atomic::Ordering::Acquire) {
        return Err(ErrorCode::_DESTROY);
    }
    Ok(h)
}

fn partition_of(c: &Arc<Client>, topic: &str, partition: i32) -> Option<Arc<Partition>> {
    c.cache.topic(topic, None, None).ok()?.ensure_partition(partition)
}

/// Routes the main queue (errors, stats, logs) to the consumer queue, so that
/// rd_kafka_consumer_poll() serves everything.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_poll_set_consumer(rk: *mut rd_kafka_t) -> rd_kafka_resp_err_t {
    let Some(h) = consumer_client(rk) else { return ErrorCode::_INVALID_ARG.0 };
    h.client.rk.main_q.forward(Some(h.client.consumer.queue.clone()));
    0
}

/// Replaces the assignment: starts fetching the given partitions (at their `offset`:
/// absolute, BEGINNING, END, or INVALID/STORED = committed offset, else auto.offset.reset)
/// and stops the others. NULL unassigns everything.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_assign(
    rk: *mut rd_kafka_t,
    partitions: *const rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    let h = match group_consumer(rk) {
        Ok(h) => h,
        Err(e) => return e.0,
    };
    let parts = tpl_to_vec(partitions).into_iter().map(|t| (t.topic, t.partition, t.offset)).collect();
    match assignment::assign(&h.client.consumer, parts, false) {
        Ok(()) => 0,
        Err(e) => e.code.0,
    }
}

/// Returns the current assignment (free with rd_kafka_topic_partition_list_destroy()).
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_assignment(
    rk: *mut rd_kafka_t,
    partitions: *mut *mut rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    non_null!(partitions, ErrorCode::_INVALID_ARG.0);
    let Some(h) = consumer_client(rk) else { return ErrorCode::_INVALID_ARG.0 };
    let v: Vec<TopicPartitionOwned> = h
        .client
        .consumer
        .assignment()
        .iter()
        .map(|p| TopicPartitionOwned {
            offset: p.cons().assigned_offset,
            ..TopicPartitionOwned::new(&p.topic_name, p.id)
        })
        .collect();
    *partitions = tpl_from_vec(&v);
    0
}

/// Polls the consumer for a message or event; returns a message (possibly with `err`
/// set for consumer errors such as _PARTITION_EOF) or NULL on timeout.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consumer_poll(
    rk: *mut rd_kafka_t,
    timeout_ms: c_int,
) -> *mut rd_kafka_message_t {
    let h = match group_consumer(rk) {
        Ok(h) => h,
        Err(ErrorCode::_INVALID_ARG) => return std::ptr::null_mut(),
        Err(e) => return msg_into_c(error_message(e, e.description().as_ref())),
    };
    if let Some(g) = h.client.consumer.group.get() {
        // A counter, not a clock read per call: the group thread watches it move.
        g.polls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    loop {
        match next_message(rk, h, &h.client.consumer.queue, timeout_of(timeout_ms)) {
            Some(m) => {
                if let Some(p) = deliver(&h.client.rk, m) {
                    return p;
                }
            }
            None => return std::ptr::null_mut(),
        }
    }
}

/// Closes the consumer: stops fetching and drops the assignment. The handle must still
/// be destroyed with rd_kafka_destroy().
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_consumer_close(rk: *mut rd_kafka_t) -> rd_kafka_resp_err_t {
    let h = match group_consumer(rk) {
        Ok(h) => h,
        Err(e) => return e.0,
    };
    if let Some(g) = h.client.consumer.group.get() {
        // As librdkafka: after a fatal error the application's close does nothing but
        // say so (destroy cleans up quietly).
        if h.client.rk.fatal_error().is_some() {
            return ErrorCode::_FATAL.0;
        }
        close_group(rk, &h.client, g);
        g.closed.store(true, std::sync::atomic::Ordering::Release);
    }
    let old: Vec<Arc<Partition>> = std::mem::take(&mut *h.client.consumer.assignment());
    for p in old {
        position::stop(&h.client.rk, &p);
        p.fetchq.forward(None);
    }
    0
}

/// For each element: applies `f` to its partition, writing `err` back.
unsafe fn each_partition(
    rk: *mut rd_kafka_t,
    list: *mut rd_kafka_topic_partition_list_t,
    f: impl FnMut(&Arc<Client>, &Arc<Partition>, &mut rd_kafka_topic_partition_t),
) -> rd_kafka_resp_err_t {
    each_partition_opt(rk, list, Find::Create, f)
}

/// How an element's partition object is found; none is _UNKNOWN_PARTITION.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Find {
    /// Made for any topic and partition not seen yet.
    Create,
    /// Only one that exists.
    Existing,
    /// Made when the client knows the topic (librdkafka's toppar lookup without create).
    KnownTopic,
}

unsafe fn each_partition_opt(
    rk: *mut rd_kafka_t,
    list: *mut rd_kafka_topic_partition_list_t,
    find: Find,
    mut f: impl FnMut(&Arc<Client>, &Arc<Partition>, &mut rd_kafka_topic_partition_t),
) -> rd_kafka_resp_err_t {
    let Some(h) = consumer_client(rk) else { return ErrorCode::_INVALID_ARG.0 };
    let Some(l) = list.as_mut() else { return ErrorCode::_INVALID_ARG.0 };
    for i in 0..l.cnt.max(0) as usize {
        let e = &mut *l.elems.add(i);
        let Some(topic) = cstr(e.topic) else {
            e.err = ErrorCode::_INVALID_ARG.0;
            continue;
        };
        let p = match find {
            Find::Create => partition_of(&h.client, topic, e.partition),
            Find::Existing => h.client.cache.get(topic).and_then(|t| t.partition(e.partition)),
            Find::KnownTopic => h.client.cache.get(topic).and_then(|t| t.ensure_partition(e.partition)),
        };
        match p {
            Some(p) => {
                e.err = 0;
                f(&h.client, &p, e);
            }
            None => e.err = ErrorCode::_UNKNOWN_PARTITION.0,
        }
    }
    0
}

/// librdkafka reports _UNKNOWN_PARTITION for a partition the cluster does not have.
fn pause_or_err(c: &Arc<Client>, p: &Arc<Partition>, e: &mut rd_kafka_topic_partition_t, pause: bool) {
    let exists = c.cache.get(&p.topic_name).is_some_and(|t| {
        let st = t.state();
        !st.known || p.id < st.count
    });
    if exists {
        position::pause(&c.rk, p, pause);
    } else {
        e.err = ErrorCode::_UNKNOWN_PARTITION.0;
    }
}

/// Fills each element's `offset` with the consumer position (next offset to consume).
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_position(
    rk: *mut rd_kafka_t,
    partitions: *mut rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    each_partition(rk, partitions, |_, p, e| {
        let (offset, epoch) = {
            let c = p.cons();
            (c.app_offset, c.app_epoch)
        };
        e.offset = offset;
        set_leader_epoch(e, epoch);
    })
}

/// Pauses fetching the given partitions.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_pause_partitions(
    rk: *mut rd_kafka_t,
    partitions: *mut rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    each_partition_opt(rk, partitions, Find::Existing, |c, p, e| pause_or_err(c, p, e, true))
}

/// Resumes fetching the given partitions.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_resume_partitions(
    rk: *mut rd_kafka_t,
    partitions: *mut rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    each_partition_opt(rk, partitions, Find::Existing, |c, p, e| pause_or_err(c, p, e, false))
}

/// Seeks each partition to its element's `offset`. Returns NULL or an error object.
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_seek_partitions(
    rk: *mut rd_kafka_t,
    partitions: *mut rd_kafka_topic_partition_list_t,
    timeout_ms: c_int,
) -> *mut rd_kafka_error_t {
    let _ = timeout_ms;

    // As librdkafka: a partition of a topic this client does not know is
    // _UNKNOWN_PARTITION, one that is not being fetched _STATE.
    match each_partition_opt(rk, partitions, Find::KnownTopic, |c, p, e| {
        if p.cons().fetching {
            position::seek(&c.rk, p, e.offset);
        } else {
            e.err = ErrorCode::_STATE.0;
        }
    }) {
        0 => std::ptr::null_mut(),
        e => error_to_c(KafkaError::new(ErrorCode(e), "seek failed")),
    }
}

/// Stores each element's offset (with its leader epoch and metadata) as the partition's
/// next commit position. As librdkafka: refused with enable.auto.offset.store; per
/// element _UNKNOWN_PARTITION for a topic this client does not know, _STATE for a
/// partition not assigned (a group consumer's); the call fails only when no element
/// could be stored.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_offsets_store(
    rk: *mut rd_kafka_t,
    offsets: *mut rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    let Some(h) = consumer_client(rk) else { return ErrorCode::_INVALID_ARG.0 };
    if h.client.rk.settings.enable_auto_offset_store {
        return ErrorCode::_INVALID_ARG.0;
    }
    let group = h.client.consumer.group.get().is_some();
    let (mut ok, mut last_err) = (0, 0);
    let r = each_partition_opt(rk, offsets, Find::KnownTopic, |c, p, e| {
        let assigned = c.consumer.assignment().iter().any(|a| Arc::ptr_eq(a, p));
        if group && e.offset >= 0 && !assigned {
            e.err = ErrorCode::_STATE.0;
            return;
        }
        let metadata = (!e.metadata.is_null()).then(|| {
            let b = std::slice::from_raw_parts(e.metadata as *const u8, e.metadata_size);
            String::from_utf8_lossy(b).into_owned()
        });
        let epoch = super::tplist::rd_kafka_topic_partition_get_leader_epoch(e);
        p.cons().store(e.offset, epoch, metadata);
        ok += 1;
    });
    if r != 0 {
        return r;
    }
    let l = &*offsets;
    for i in 0..l.cnt.max(0) as usize {
        let e = (*l.elems.add(i)).err;
        if e != 0 {
            last_err = e;
        }
    }
    if l.cnt > 0 && ok == 0 {
        last_err
    } else {
        0
    }
}

/// Queries the broker for the low and high watermark offsets of a partition.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_query_watermark_offsets(
    rk: *mut rd_kafka_t,
    topic: *const c_char,
    partition: i32,
    low: *mut i64,
    high: *mut i64,
    timeout_ms: c_int,
) -> rd_kafka_resp_err_t {
    let Some(h) = obj::<Handle>(rk) else { return ErrorCode::_INVALID_ARG.0 };
    let Some(t) = cstr(topic) else { return ErrorCode::_INVALID_ARG.0 };
    let timeout = crate::capi::util::wait_of(timeout_ms);
    let until = Instant::now() + timeout;
    // As librdkafka: the leader from a metadata lookup; a broker's answer without one is
    // _UNKNOWN_PARTITION; no answer (no broker up yet) is retried until the timeout.
    if !has_leader(&h.client, t, partition) {
        // Known to the cache, so that the refresh's answer is kept (as offsets::lookup does).
        let _ = h.client.cache.hint(t);
    }
    while !has_leader(&h.client, t, partition) {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return no_leader_in_time(&h.client);
        }
        let (tx, rx) = crossbeam_channel::bounded(1);
        h.client.rk.refresh_topics_now(
            vec![t.to_string()],
            Box::new(move |answered| {
                let _ = tx.send(answered);
            }),
        );
        match rx.recv_timeout(left) {
            Ok(true) if !has_leader(&h.client, t, partition) => return ErrorCode::_UNKNOWN_PARTITION.0,
            Ok(true) => {}
            Ok(false) => std::thread::sleep(left.min(Duration::from_millis(100))),
            Err(_) => return no_leader_in_time(&h.client),
        }
    }
    // Two requests: one ListOffsets may not name a partition twice.
    let one = |ts: i64| {
        let left = until.saturating_duration_since(Instant::now());
        offsets::lookup(&h.client.consumer, vec![(t.to_string(), partition, ts)], left)
            .map(|v| v.first().map(|(_, r)| *r).unwrap_or(Err(ErrorCode::_BAD_MSG)))
    };
    match one(-2).and_then(|lo| one(-1).map(|hi| (lo, hi))) {
        Ok((lo, hi)) => match (lo, hi) {
            (Ok((lo, _, _)), Ok((hi, _, _))) => {
                if !low.is_null() {
                    *low = lo;
                }
                if !high.is_null() {
                    *high = hi;
                }
                0
            }
            (Err(e), _) | (_, Err(e)) => e.0,
        },
        Err(e) => e.0,
    }
}

/// Returns the watermarks last seen in fetch responses (no broker request; -1001 if none).
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_get_watermark_offsets(
    rk: *mut rd_kafka_t,
    topic: *const c_char,
    partition: i32,
    low: *mut i64,
    high: *mut i64,
) -> rd_kafka_resp_err_t {
    let Some(h) = obj::<Handle>(rk) else { return ErrorCode::_INVALID_ARG.0 };
    let Some(t) = cstr(topic) else { return ErrorCode::_INVALID_ARG.0 };
    // As librdkafka: an unknown partition gets an entry, and its watermarks are -1001.
    let Some(p) = partition_of(&h.client, t, partition) else { return ErrorCode::_UNKNOWN_PARTITION.0 };
    let c = p.cons();
    if !low.is_null() {
        *low = c.lo;
    }
    if !high.is_null() {
        *high = c.hi;
    }
    0
}

/// Looks up, for each element, the earliest offset whose timestamp is >= the element's
/// `offset` (a timestamp in ms); writes the offset (or -1) and per-element errors.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_offsets_for_times(
    rk: *mut rd_kafka_t,
    offsets: *mut rd_kafka_topic_partition_list_t,
    timeout_ms: c_int,
) -> rd_kafka_resp_err_t {
    let Some(h) = obj::<Handle>(rk) else { return ErrorCode::_INVALID_ARG.0 };
    let Some(l) = offsets.as_mut() else { return ErrorCode::_INVALID_ARG.0 };
    let mut asks = Vec::new();
    for i in 0..l.cnt.max(0) as usize {
        let e = &*l.elems.add(i);
        if let Some(t) = cstr(e.topic) {
            // A partition listed twice is asked once, for its last timestamp (as librdkafka).
            match asks.iter_mut().find(|(at, ap, _): &&mut (String, i32, i64)| at == t && *ap == e.partition)
            {
                Some(a) => a.2 = e.offset,
                None => asks.push((t.to_string(), e.partition, e.offset)),
            }
        }
    }
    let res = match offsets::lookup(&h.client.consumer, asks, crate::capi::util::wait_of(timeout_ms)) {
        Ok(v) => v,
        Err(e) => return e.0,
    };
    let mut first_err = 0;
    for i in 0..l.cnt.max(0) as usize {
        let e = &mut *l.elems.add(i);
        let Some(t) = cstr(e.topic) else { continue };
        match res.iter().find(|((rt, rp), _)| rt == t && *rp == e.partition).map(|(_, r)| *r) {
            Some(Ok((off, _, epoch))) => {
                e.offset = off;
                e.err = 0;
                set_leader_epoch(e, epoch);
            }
            Some(Err(err)) => {
                e.err = err.0;
                if first_err == 0 {
                    first_err = err.0;
                }
            }
            None => e.err = ErrorCode::_TIMED_OUT.0,
        }
    }
    // No leader found in time with every broker down: librdkafka says so.
    if first_err == ErrorCode::_TIMED_OUT.0 {
        return no_leader_in_time(&h.client);
    }
    first_err
}

/// Returns the consumer queue (what rd_kafka_consumer_poll() serves).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_queue_get_consumer(rk: *mut rd_kafka_t) -> *mut rd_kafka_queue_t {
    let Some(h) = consumer_client(rk) else { return std::ptr::null_mut() };
    new_handle(h.client.consumer.queue.clone(), rk)
}

/// Returns a partition's own queue (its messages can then be served separately with
/// rd_kafka_queue_forward() or rd_kafka_consume_queue()).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_queue_get_partition(
    rk: *mut rd_kafka_t,
    topic: *const c_char,
    partition: i32,
) -> *mut rd_kafka_queue_t {
    let Some(h) = consumer_client(rk) else { return std::ptr::null_mut() };
    let Some(t) = cstr(topic) else { return std::ptr::null_mut() };
    let Some(p) = partition_of(&h.client, t, partition) else { return std::ptr::null_mut() };
    new_handle(p.fetchq.clone(), rk)
}

/// Whether metadata names a leader for `topic` [`partition`].
/// What a lookup that found no leader in time fails with: _ALL_BROKERS_DOWN when no
/// broker is up (librdkafka's answer then), else _TIMED_OUT.
fn no_leader_in_time(client: &Client) -> rd_kafka_resp_err_t {
    if client.brokers.all().iter().any(|b| b.is_up()) {
        ErrorCode::_TIMED_OUT.0
    } else {
        ErrorCode::_ALL_BROKERS_DOWN.0
    }
}

fn has_leader(client: &Client, topic: &str, partition: i32) -> bool {
    client.cache.get(topic).is_some_and(|t| {
        let st = t.state();
        st.known
            && partition >= 0
            && st.partitions.get(partition as usize).is_some_and(|p| p.leader_id.load(Ordering::Acquire) >= 0)
    })
}

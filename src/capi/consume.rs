//! The consumer C API: the legacy partition consumer (rd_kafka_consume_*), the
//! assign-based high-level consumer (rd_kafka_assign, rd_kafka_consumer_poll), seeking,
//! pausing, positions, watermarks and offsets_for_times.

use super::boundary::{arc, obj};
use super::error::error_to_c;
use super::handle::Handle;
use super::message::{msg_into_c, msg_take};
use super::poll::dispatch;
use super::queue::QueueHandle;
use super::tplist::{tpl_from_vec, tpl_to_vec, TopicPartitionOwned};
use super::types::*;
use super::util::{cstr, set_last_error};
use crate::client::Client;
use crate::conf::ClientType;
use crate::consumer::{assignment, offsets, position};
use crate::error::{ErrorCode, KafkaError};
use crate::event::{Event, Queue};
use crate::instance::Instance;
use crate::message::{Buf, Message};
use crate::metadata::{Partition, Topic};
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, c_void, size_t, ssize_t};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub type rd_kafka_consume_cb_t = Option<unsafe extern "C" fn(*mut rd_kafka_message_t, *mut c_void)>;

fn deadline(timeout_ms: c_int) -> Option<Instant> {
    (timeout_ms >= 0).then(|| Instant::now() + Duration::from_millis(timeout_ms as u64))
}

fn timeout_of(timeout_ms: c_int) -> Option<Duration> {
    (timeout_ms >= 0).then(|| Duration::from_millis(timeout_ms as u64))
}

fn left(d: Option<Instant>) -> Option<Duration> {
    d.map(|d| d.saturating_duration_since(Instant::now()))
}

/// Hands a fetched message to the application (ownership passes: rd_kafka_message_destroy),
/// or drops it when outdated (fetched before a seek/stop/revoke of its partition).
fn deliver(rk: &Instance, m: Box<Message>) -> Option<*mut rd_kafka_message_t> {
    position::on_delivered(rk, &m).then(|| msg_into_c(m))
}

/// Pops until a current message arrives or the deadline passes. With `serve` (a queue
/// of a handle: consumer queue, forwarded main queue) other events are served through
/// their callbacks and consumer errors come back as messages, as librdkafka's queue
/// consumers do; a partition's own queue carries messages only.
unsafe fn pop_current(
    rk: &Instance,
    q: &Arc<Queue>,
    until: Option<Instant>,
    serve: Option<(*mut rd_kafka_t, &Handle)>,
) -> Option<*mut rd_kafka_message_t> {
    loop {
        let m = match serve {
            Some((rk, h)) => next_message(rk, h, q, left(until)),
            None => match q.pop(left(until))? {
                Event::Fetch(m) => Some(m),
                _ => None,
            },
        };
        if let Some(p) = m.and_then(|m| deliver(rk, m)) {
            return Some(p);
        }
        if until.is_some_and(|d| Instant::now() >= d) {
            return None;
        }
    }
}

/// An error event turned into a message with `err` set, as consumer_poll returns them.
fn error_message(code: ErrorCode, msg: &str) -> Box<Message> {
    let mut m = Message::new(0, -1, Buf::Owned(msg.as_bytes().into()), Buf::None);
    m.c.err = code.0;
    m.errstr = std::ffi::CString::new(msg).ok();
    m
}

/// Pops the next message from `q`, serving other events through their callbacks.
/// Consumer errors become messages; client-level errors (broker failures,
/// _ALL_BROKERS_DOWN) always go to error_cb or the log, as in librdkafka.
unsafe fn next_message(
    rk: *mut rd_kafka_t,
    h: &Handle,
    q: &Arc<Queue>,
    timeout: Option<Duration>,
) -> Option<Box<Message>> {
    // The deadline is only computed once a non-message event was served: the common case
    // (a message is waiting) reads no clock.
    let mut until: Option<Option<Instant>> = None;
    loop {
        let ev = match until {
            None => q.pop(timeout)?,
            Some(u) => q.pop(left(u))?,
        };
        match ev {
            Event::Fetch(m) => return Some(m),
            Event::ConsumerError { code, msg } => return Some(error_message(code, &msg)),
            other => {
                dispatch(rk, h, other);
            }
        }
        let u = *until.get_or_insert_with(|| timeout.map(|t| Instant::now() + t));
        if u.is_some_and(|d| Instant::now() >= d) {
            return None;
        }
    }
}

unsafe fn topic_partition(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
) -> Result<(Arc<Instance>, Arc<Partition>), ErrorCode> {
    let t = arc::<Topic>(rkt).ok_or(ErrorCode::_INVALID_ARG)?;
    let c = t.rk.clone();
    if c.kind != ClientType::Consumer {
        return Err(ErrorCode::_INVALID_ARG);
    }
    let p = t.ensure_partition(partition).ok_or(ErrorCode::_UNKNOWN_PARTITION)?;
    Ok((c, p))
}

/// Starts consuming `partition` of `rkt` at `offset` (absolute, RD_KAFKA_OFFSET_BEGINNING,
/// _END, _STORED or RD_KAFKA_OFFSET_TAIL(n)). Returns 0, or -1 with errno set.
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_consume_start(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
    offset: i64,
) -> c_int {
    match topic_partition(rkt, partition) {
        Ok((c, p)) => {
            // The legacy API reads the partition's own queue: undo any forwarding.
            p.fetchq.forward(None);
            position::start(&c, &p, offset);
            set_last_error(ErrorCode::NO_ERROR);
            0
        }
        Err(e) => {
            set_last_error(e);
            -1
        }
    }
}

/// Like rd_kafka_consume_start() but messages go to `rkqu`.
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_consume_start_queue(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
    offset: i64,
    rkqu: *mut rd_kafka_queue_t,
) -> c_int {
    let Some(qh) = obj::<QueueHandle>(rkqu) else {
        set_last_error(ErrorCode::_INVALID_ARG);
        return -1;
    };
    match topic_partition(rkt, partition) {
        Ok((c, p)) => {
            p.fetchq.forward(Some(qh.q.clone()));
            position::start(&c, &p, offset);
            0
        }
        Err(e) => {
            set_last_error(e);
            -1
        }
    }
}

/// Stops consuming a partition started with rd_kafka_consume_start*().
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_consume_stop(rkt: *mut rd_kafka_topic_t, partition: i32) -> c_int {
    match topic_partition(rkt, partition) {
        Ok((_, p)) => {
            position::stop(&p);
            p.fetchq.forward(None);
            0
        }
        Err(e) => {
            set_last_error(e);
            -1
        }
    }
}

/// Consumes one message from a partition started with rd_kafka_consume_start(). Returns
/// NULL on timeout (errno ETIMEDOUT). Destroy the message with rd_kafka_message_destroy().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consume(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
    timeout_ms: c_int,
) -> *mut rd_kafka_message_t {
    let (c, p) = match topic_partition(rkt, partition) {
        Ok(x) => x,
        Err(e) => {
            set_last_error(e);
            return std::ptr::null_mut();
        }
    };
    match pop_current(&c, &p.fetchq, deadline(timeout_ms), None) {
        Some(m) => m,
        None => {
            set_last_error(ErrorCode::_TIMED_OUT);
            std::ptr::null_mut()
        }
    }
}

unsafe fn fill_batch(
    c: &Instance,
    q: &Arc<Queue>,
    serve: Option<(*mut rd_kafka_t, &Handle)>,
    timeout_ms: c_int,
    out: *mut *mut rd_kafka_message_t,
    size: size_t,
) -> ssize_t {
    let until = deadline(timeout_ms);
    let mut n = 0usize;
    while n < size {
        match pop_current(c, q, until, serve) {
            Some(m) => {
                *out.add(n) = m;
                n += 1;
            }
            None => break,
        }
    }
    n as ssize_t
}

/// Consumes up to `rkmessages_size` messages, waiting at most `timeout_ms`. Returns the
/// number of messages written to `rkmessages`, or -1 on error.
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_consume_batch(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
    timeout_ms: c_int,
    rkmessages: *mut *mut rd_kafka_message_t,
    rkmessages_size: size_t,
) -> ssize_t {
    non_null!(rkmessages, -1);
    match topic_partition(rkt, partition) {
        Ok((c, p)) => fill_batch(&c, &p.fetchq, None, timeout_ms, rkmessages, rkmessages_size),
        Err(e) => {
            set_last_error(e);
            -1
        }
    }
}

unsafe fn run_callback(
    c: &Instance,
    q: &Arc<Queue>,
    serve: Option<(*mut rd_kafka_t, &Handle)>,
    timeout_ms: c_int,
    cb: rd_kafka_consume_cb_t,
    opaque: *mut c_void,
) -> c_int {
    let Some(cb) = cb else { return -1 };
    let until = deadline(timeout_ms);
    let mut n = 0;
    let max = c.conf.int("consume.callback.max.messages").max(0) as usize;
    while max == 0 || (n as usize) < max {
        let m = pop_current(c, q, if n == 0 { until } else { Some(Instant::now()) }, serve);
        match m {
            Some(p) => {
                cb(p, opaque);
                drop(msg_take(p));
                n += 1;
            }
            None => break,
        }
    }
    n
}

/// Calls `consume_cb` for each message available within `timeout_ms`; the messages are
/// freed after the callback returns. Returns the number of messages served, or -1.
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_consume_callback(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
    timeout_ms: c_int,
    consume_cb: rd_kafka_consume_cb_t,
    opaque: *mut c_void,
) -> c_int {
    match topic_partition(rkt, partition) {
        Ok((c, p)) => run_callback(&c, &p.fetchq, None, timeout_ms, consume_cb, opaque),
        Err(e) => {
            set_last_error(e);
            -1
        }
    }
}

/// A queue with its handle, for the queue consumers; polling the consumer queue counts
/// as an application poll for max.poll.interval.ms, as in librdkafka.
unsafe fn queue_serve(
    rkqu: *mut rd_kafka_queue_t,
) -> Option<(&'static QueueHandle, Arc<Instance>, (*mut rd_kafka_t, &'static Handle))> {
    let qh: &'static QueueHandle = obj::<QueueHandle>(rkqu)?;
    let rk = qh.rk as *mut rd_kafka_t;
    let h = obj::<Handle>(rk)?;
    if Arc::ptr_eq(&qh.q, &h.client.consumer.queue) {
        if let Some(g) = h.client.consumer.group.get() {
            g.polls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }
    Some((qh, h.client.rk.clone(), (rk, h)))
}

/// Consumes one message from a queue (see rd_kafka_consume_start_queue()).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consume_queue(
    rkqu: *mut rd_kafka_queue_t,
    timeout_ms: c_int,
) -> *mut rd_kafka_message_t {
    let Some((qh, c, serve)) = queue_serve(rkqu) else { return std::ptr::null_mut() };
    match pop_current(&c, &qh.q, deadline(timeout_ms), Some(serve)) {
        Some(m) => m,
        None => {
            set_last_error(ErrorCode::_TIMED_OUT);
            std::ptr::null_mut()
        }
    }
}

/// Batch variant of rd_kafka_consume_queue().
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_consume_batch_queue(
    rkqu: *mut rd_kafka_queue_t,
    timeout_ms: c_int,
    rkmessages: *mut *mut rd_kafka_message_t,
    rkmessages_size: size_t,
) -> ssize_t {
    non_null!(rkmessages, -1);
    let Some((qh, c, serve)) = queue_serve(rkqu) else { return -1 };
    fill_batch(&c, &qh.q, Some(serve), timeout_ms, rkmessages, rkmessages_size)
}

/// Callback variant of rd_kafka_consume_queue().
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_consume_callback_queue(
    rkqu: *mut rd_kafka_queue_t,
    timeout_ms: c_int,
    consume_cb: rd_kafka_consume_cb_t,
    opaque: *mut c_void,
) -> c_int {
    let Some((qh, c, serve)) = queue_serve(rkqu) else { return -1 };
    run_callback(&c, &qh.q, Some(serve), timeout_ms, consume_cb, opaque)
}

/// Seeks a consumed partition to `offset`; fetched-but-unconsumed messages are dropped.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_seek(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
    offset: i64,
    timeout_ms: c_int,
) -> rd_kafka_resp_err_t {
    match topic_partition(rkt, partition) {
        // A partition not being fetched cannot seek: librdkafka reports _STATE to a
        // caller that waits for the outcome (timeout_ms != 0).
        Ok((_, p)) if !p.cons().fetching => {
            if timeout_ms != 0 {
                ErrorCode::_STATE.0
            } else {
                0
            }
        }
        Ok((c, p)) => {
            position::seek(&c, &p, offset);
            0
        }
        Err(e) => e.0,
    }
}

/// Stores `offset` + 1 as the partition's next commit position.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_offset_store(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
    offset: i64,
) -> rd_kafka_resp_err_t {
    match topic_partition(rkt, partition) {
        Ok((_, p)) => {
            p.cons().stored_offset = offset + 1;
            0
        }
        Err(e) => e.0,
    }
}

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
        Err(e) => e.0,
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
        super::group::close_group(rk, &h.client, g);
        g.closed.store(true, std::sync::atomic::Ordering::Release);
    }
    let old: Vec<Arc<Partition>> = std::mem::take(&mut *h.client.consumer.assignment());
    for p in old {
        position::stop(&p);
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
    each_partition_opt(rk, list, true, f)
}

/// `create`: make partition objects for partitions not seen yet (else _UNKNOWN_PARTITION).
unsafe fn each_partition_opt(
    rk: *mut rd_kafka_t,
    list: *mut rd_kafka_topic_partition_list_t,
    create: bool,
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
        let p = if create {
            partition_of(&h.client, topic, e.partition)
        } else {
            h.client.cache.get(topic).and_then(|t| t.partition(e.partition))
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
    each_partition(rk, partitions, |_, p, e| e.offset = p.cons().app_offset)
}

/// Pauses fetching the given partitions.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_pause_partitions(
    rk: *mut rd_kafka_t,
    partitions: *mut rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    each_partition_opt(rk, partitions, false, |c, p, e| pause_or_err(c, p, e, true))
}

/// Resumes fetching the given partitions.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_resume_partitions(
    rk: *mut rd_kafka_t,
    partitions: *mut rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    each_partition_opt(rk, partitions, false, |c, p, e| pause_or_err(c, p, e, false))
}

/// Seeks each partition to its element's `offset`. Returns NULL or an error object.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_seek_partitions(
    rk: *mut rd_kafka_t,
    partitions: *mut rd_kafka_topic_partition_list_t,
    timeout_ms: c_int,
) -> *mut rd_kafka_error_t {
    let _ = timeout_ms;

    match each_partition(rk, partitions, |c, p, e| {
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

/// Stores each element's `offset` as the partition's next commit position.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_offsets_store(
    rk: *mut rd_kafka_t,
    offsets: *mut rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    each_partition(rk, offsets, |_, p, e| p.cons().stored_offset = e.offset)
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
    let timeout = Duration::from_millis(timeout_ms.max(0) as u64);
    let until = Instant::now() + timeout;
    // Two requests: one ListOffsets may not name a partition twice.
    let one = |ts: i64| {
        let left = until.saturating_duration_since(Instant::now());
        offsets::lookup(&h.client.consumer, vec![(t.to_string(), partition, ts)], left)
            .map(|v| v.first().map(|(_, r)| *r).unwrap_or(Err(ErrorCode::_BAD_MSG)))
    };
    match one(-2).and_then(|lo| one(-1).map(|hi| (lo, hi))) {
        Ok((lo, hi)) => match (lo, hi) {
            (Ok((lo, _)), Ok((hi, _))) => {
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
    let res = match offsets::lookup(&h.client.consumer, asks, Duration::from_millis(timeout_ms.max(0) as u64))
    {
        Ok(v) => v,
        Err(e) => return e.0,
    };
    let mut first_err = 0;
    for i in 0..l.cnt.max(0) as usize {
        let e = &mut *l.elems.add(i);
        let Some(t) = cstr(e.topic) else { continue };
        match res.iter().find(|((rt, rp), _)| rt == t && *rp == e.partition).map(|(_, r)| *r) {
            Some(Ok((off, _))) => {
                e.offset = off;
                e.err = 0;
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
    if first_err == ErrorCode::_TIMED_OUT.0 && !h.client.brokers.all().iter().any(|b| b.is_up()) {
        return ErrorCode::_ALL_BROKERS_DOWN.0;
    }
    first_err
}

/// Returns the consumer queue (what rd_kafka_consumer_poll() serves).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_queue_get_consumer(rk: *mut rd_kafka_t) -> *mut rd_kafka_queue_t {
    let Some(h) = consumer_client(rk) else { return std::ptr::null_mut() };
    super::queue::new_handle(h.client.consumer.queue.clone(), rk)
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
    super::queue::new_handle(p.fetchq.clone(), rk)
}

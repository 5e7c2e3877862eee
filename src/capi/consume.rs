//! The legacy consumer: rd_kafka_consume_start/stop of one partition of a topic handle
//! and rd_kafka_consume*() reading it (or a queue it is forwarded to), rd_kafka_seek()
//! and rd_kafka_offset_store(). The high-level consumer is `consumer.rs`.

use super::boundary::{arc, obj};
use super::fetched::{left, next_message};
use super::handle::Handle;
use super::message::{deliver, msg_take};
use super::queue::QueueHandle;
use super::types::*;
use super::util::set_last_error;
use crate::conf::ClientType;
use crate::consumer::position;
use crate::error::ErrorCode;
use crate::event::{Event, Queue};
use crate::instance::Instance;
use crate::metadata::{Partition, Topic};
use kafkars_macros::ffi_fn;
use libc::{c_int, c_void, size_t, ssize_t};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub type rd_kafka_consume_cb_t = Option<unsafe extern "C" fn(*mut rd_kafka_message_t, *mut c_void)>;

fn deadline(timeout_ms: c_int) -> Option<Instant> {
    (timeout_ms >= 0).then(|| Instant::now() + Duration::from_millis(timeout_ms as u64))
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
        Ok((c, p)) => {
            position::stop(&c, &p);
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
            p.cons().store(offset + 1, -1, None);
            0
        }
        Err(e) => e.0,
    }
}

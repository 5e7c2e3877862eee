//! Event queues (rd_kafka_queue_*).

use super::boundary::{destroy, into_c, obj, opt_obj, tag};
use super::event::EventHandle;
use super::handle::Handle;
use super::poll::dispatch;
use super::types::*;
use crate::event::{Event, Queue, Wakeup};
use kafkars_macros::ffi_fn;
use libc::{c_int, c_void, size_t};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What `rd_kafka_queue_t *` points to.
#[repr(C)]
pub(crate) struct QueueHandle {
    /// tag::QUEUE while alive (must stay the first field).
    pub tag: u64,
    pub q: Arc<Queue>,
    /// The owning handle (librdkafka requires queues to be destroyed before it).
    pub rk: usize,
}

tagged!(QueueHandle => rd_kafka_queue_t, tag::QUEUE);

/// A new queue handle for `q` owned by the client `rk`.
pub(crate) fn new_handle(q: Arc<Queue>, rk: *mut rd_kafka_t) -> *mut rd_kafka_queue_t {
    into_c(Box::new(QueueHandle { tag: tag::QUEUE, q, rk: rk as usize }))
}

/// Creates a new application queue. Destroy with rd_kafka_queue_destroy().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_queue_new(rk: *mut rd_kafka_t) -> *mut rd_kafka_queue_t {
    if obj::<Handle>(rk).is_none() {
        return std::ptr::null_mut();
    }
    new_handle(Queue::new(), rk)
}

/// Returns a reference to the main queue (what rd_kafka_poll() serves).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_queue_get_main(rk: *mut rd_kafka_t) -> *mut rd_kafka_queue_t {
    let Some(h) = obj::<Handle>(rk) else { return std::ptr::null_mut() };
    new_handle(h.client.rk.main_q.clone(), rk)
}

/// Releases a queue reference.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_queue_destroy(rkqu: *mut rd_kafka_queue_t) {
    destroy::<QueueHandle>(rkqu);
}

/// Number of events waiting in the queue.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_queue_length(rkqu: *mut rd_kafka_queue_t) -> size_t {
    obj::<QueueHandle>(rkqu).map_or(0, |q| q.q.len())
}

/// Forwards `src`'s events to `dst` (NULL `dst` stops forwarding).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_queue_forward(src: *mut rd_kafka_queue_t, dst: *mut rd_kafka_queue_t) {
    let (Some(s), Ok(d)) = (obj::<QueueHandle>(src), opt_obj::<QueueHandle>(dst)) else { return };
    s.q.forward(d.map(|d| d.q.clone()));
}

/// Makes a blocking rd_kafka_queue_poll() on this queue return early.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_queue_yield(rkqu: *mut rd_kafka_queue_t) {
    if let Some(q) = obj::<QueueHandle>(rkqu) {
        q.q.wake();
    }
}

/// Polls the queue for one event, waiting up to `timeout_ms` (-1 = forever). Returns an
/// event to destroy with rd_kafka_event_destroy(), or NULL on timeout.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_queue_poll(
    rkqu: *mut rd_kafka_queue_t,
    timeout_ms: c_int,
) -> *mut rd_kafka_event_t {
    let Some(qh) = obj::<QueueHandle>(rkqu) else { return std::ptr::null_mut() };
    let deadline = (timeout_ms >= 0).then(|| Instant::now() + Duration::from_millis(timeout_ms as u64));
    loop {
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        let Some(ev) = qh.q.pop(left) else { return std::ptr::null_mut() };
        let rk = qh.rk as *mut rd_kafka_t;
        match obj::<Handle>(rk) {
            // As librdkafka (rd_kafka_event_setup): whatever can be an event is handed
            // out as one here, callbacks or not; rd_kafka_poll() and
            // rd_kafka_queue_poll_callback() call the callbacks. Throttle reports have
            // no event type: their callback runs.
            Some(h) if matches!(ev, Event::Throttle { .. }) => {
                dispatch(rk, h, ev);
            }
            _ => return EventHandle::into_raw(ev, obj::<Handle>(rk).map_or(0, |h| h.cbs.opaque)),
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return std::ptr::null_mut();
        }
    }
}

/// Serves the queue with callbacks (like rd_kafka_poll() on this queue). Returns the
/// number of events served.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_queue_poll_callback(
    rkqu: *mut rd_kafka_queue_t,
    timeout_ms: c_int,
) -> c_int {
    let Some(qh) = obj::<QueueHandle>(rkqu) else { return 0 };
    let rk = qh.rk as *mut rd_kafka_t;
    let Some(h) = obj::<Handle>(rk) else { return 0 };
    let mut n = 0;
    let t = (timeout_ms >= 0).then(|| Duration::from_millis(timeout_ms as u64));
    if let Some(ev) = qh.q.pop(t) {
        n += dispatch(rk, h, ev);
        while let Some(ev) = qh.q.try_pop() {
            n += dispatch(rk, h, ev);
        }
    }
    n
}

/// Writes `payload` to `fd` when an event is added to the (previously served) queue, for
/// IO-based event loops; `fd` -1 turns it off. The payload is copied. Enable it on the
/// final queue of a forwarding chain; the descriptor should be non-blocking.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_queue_io_event_enable(
    rkqu: *mut rd_kafka_queue_t,
    fd: c_int,
    payload: *const c_void,
    size: size_t,
) {
    let Some(q) = obj::<QueueHandle>(rkqu) else { return };
    if fd == -1 {
        q.q.set_wakeup(None);
        return;
    }
    let payload = if payload.is_null() || size == 0 {
        Vec::new()
    } else {
        std::slice::from_raw_parts(payload as *const u8, size).to_vec()
    };
    let write = move || {
        // SAFETY: an owned buffer written to the application's descriptor; errors are
        // ignored as in librdkafka (nothing else to do about them).
        unsafe { libc::write(fd, payload.as_ptr() as *const c_void, payload.len()) };
    };
    q.q.set_wakeup(Some(Wakeup::new(Arc::new(write), true)));
}

pub type rd_kafka_queue_event_cb_t =
    Option<unsafe extern "C" fn(rk: *mut rd_kafka_t, qev_opaque: *mut c_void)>;

/// Calls `event_cb` (from an internal thread) when an event is added to the empty queue;
/// NULL turns it off. The callback must be quick and must not call kafkars for this handle.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_queue_cb_event_enable(
    rkqu: *mut rd_kafka_queue_t,
    event_cb: rd_kafka_queue_event_cb_t,
    qev_opaque: *mut c_void,
) {
    let Some(q) = obj::<QueueHandle>(rkqu) else { return };
    match event_cb {
        None => q.q.set_wakeup(None),
        Some(f) => {
            let (rk, op) = (q.rk, qev_opaque as usize);
            // SAFETY: the application's callback with its own handle and opaque, as
            // librdkafka calls it; the queue (and so this closure) dies before the handle.
            q.q.set_wakeup(Some(Wakeup::new(
                Arc::new(move || unsafe { f(rk as *mut rd_kafka_t, op as *mut c_void) }),
                false,
            )));
        }
    }
}

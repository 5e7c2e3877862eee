//! The background queue (rd_kafka_queue_get_background()) and the `rdk:background`
//! thread that serves it through background_event_cb, started on first use or by
//! rd_kafka_new() when that callback is set.

use super::boundary::{obj, obj_mut};
use super::conf::{rd_kafka_background_event_cb_t, ConfHandle};
use super::event::EventHandle;
use super::handle::Handle;
use super::poll::{dispatch, wanted_as_event};
use super::queue::new_handle;
use super::types::*;
use crate::event::Queue;
use crate::instance::ThreadKind;
use kafkars_macros::ffi_fn;
use libc::c_void;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

/// Sets the callback that serves events put on the background queue
/// (rd_kafka_queue_get_background()), called from kafkars' background thread. The
/// application destroys each event with rd_kafka_event_destroy().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_background_event_cb(
    conf: *mut rd_kafka_conf_t,
    event_cb: rd_kafka_background_event_cb_t,
) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.background_event_cb = event_cb;
    }
}

/// The handle's background queue, starting the background thread on first use: events
/// arriving there are handed to background_event_cb (or dropped without one).
pub(crate) unsafe fn background_queue(rk: *mut rd_kafka_t) -> Option<Arc<Queue>> {
    let h = obj::<Handle>(rk)?;
    let rk_addr = rk as usize;
    Some(
        h.background
            .get_or_init(|| {
                let q = Queue::new();
                let served = q.clone();
                let client = Arc::downgrade(&h.client);
                let cb = h.cbs.background_event_cb;
                let opaque = h.cbs.opaque;
                let icpt_rk = h.client.rk.clone();
                let spawned = std::thread::Builder::new().name("rdk:background".into()).spawn(move || {
                    crate::instance::set_log_thread("background");
                    icpt_rk.icpt(|i| i.on_thread_start(ThreadKind::Background, "background"));
                    serve_background(client, served, rk_addr, cb, opaque);
                    icpt_rk.icpt(|i| i.on_thread_exit(ThreadKind::Background, "background"));
                });
                match spawned {
                    Ok(t) => h.client.rk.push_thread(t),
                    Err(e) => {
                        h.client.rk.log(3, "BACKGROUND", &format!("Failed to create background thread: {e}"))
                    }
                }
                q
            })
            .clone(),
    )
}

/// The background thread's loop: serves the queue until the client terminates.
unsafe fn serve_background(
    client: std::sync::Weak<crate::client::Client>,
    served: Arc<Queue>,
    rk_addr: usize,
    cb: rd_kafka_background_event_cb_t,
    opaque: usize,
) {
    loop {
        match client.upgrade() {
            Some(c) if !c.rk.terminating.load(Ordering::Acquire) => {}
            _ => return,
        }
        let Some(ev) = served.pop(Some(Duration::from_millis(100))) else { continue };
        let rk = rk_addr as *mut rd_kafka_t;
        // SAFETY: the handle outlives this thread: rd_kafka_destroy joins it
        // (through the client's thread list) before freeing the handle.
        let Some(h) = obj::<Handle>(rk) else { return };
        // As librdkafka: events go to background_event_cb; what has its own
        // callback (a log with log_cb set, ...) is served through it here.
        match cb {
            Some(f) if wanted_as_event(h, &ev) => {
                f(rk, EventHandle::into_raw(ev, opaque), opaque as *mut c_void)
            }
            _ => {
                dispatch(rk, h, ev);
            }
        }
    }
}

/// Returns a new reference to the background queue (destroy it with
/// rd_kafka_queue_destroy()); events put there are served by background_event_cb on
/// kafkars' background thread.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_queue_get_background(rk: *mut rd_kafka_t) -> *mut rd_kafka_queue_t {
    match background_queue(rk) {
        Some(q) => new_handle(q, rk),
        None => std::ptr::null_mut(),
    }
}

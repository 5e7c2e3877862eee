//! Serving events on the polling thread: each event goes to the application's callback
//! (`dispatch`) or, when asked for as an event object, is returned as one
//! (`wanted_as_event`); rd_kafka_poll() serves the main queue.

use super::boundary::obj;
use super::handle::Handle;
use super::message::msg_c;
use super::tplist::{commit_tplist, rd_kafka_topic_partition_list_destroy, tplist_of};
use super::types::*;
use super::util::{malloc_cstr, timeout_of, to_cstring};
use crate::event::{CommitCb, Event};
use kafkars_macros::ffi_fn;
use libc::{c_int, c_void};

/// The function type of a commit_queue callback, carried in a commit result.
type CommitCbFn = unsafe extern "C" fn(
    *mut rd_kafka_t,
    rd_kafka_resp_err_t,
    *mut rd_kafka_topic_partition_list_t,
    *mut c_void,
);

/// Serves one event through the application's callbacks. Returns 1 if it counted.
pub(crate) unsafe fn dispatch(rk: *mut rd_kafka_t, h: &Handle, ev: Event) -> c_int {
    let opaque = h.cbs.opaque as *mut c_void;
    match ev {
        Event::Dr(msgs) => {
            for m in msgs.iter() {
                let p = msg_c(m);
                if let Some(cb) = h.cbs.dr_msg_cb {
                    cb(rk, p, opaque);
                } else if let Some(cb) = h.cbs.dr_cb {
                    cb(rk, m.c.payload as *mut c_void, m.c.len, m.c.err, opaque, m.c.private as *mut c_void);
                }
            }
            crate::message::recycle(msgs);
        }
        // Messages are served by the consume calls; one reaching a plain poll (e.g. after
        // rd_kafka_poll_set_consumer) is handed to the consume path's accounting and dropped.
        Event::Fetch(m) => match h.cbs.consume_cb {
            // As librdkafka: rd_kafka_poll() hands messages to consume_cb when set.
            Some(cb) => {
                if let Some(p) = super::message::deliver(&h.client.rk, m) {
                    cb(p, opaque);
                    super::message::rd_kafka_message_destroy(p);
                }
            }
            None => crate::consumer::position::on_dropped(&h.client.rk, &m),
        },
        Event::Rebalance { err, partitions, protocol } => {
            match h.cbs.rebalance_cb {
                Some(cb) => {
                    let list = tplist_of(&partitions, None);
                    cb(rk, err.0, list, opaque);
                    rd_kafka_topic_partition_list_destroy(list);
                }
                None => {
                    let _ = crate::consumer::group::rebalance::apply_rebalance(
                        &h.client.consumer,
                        err,
                        &partitions,
                        protocol,
                    );
                }
            }
            if let Some(g) = h.client.consumer.group.get() {
                g.send(crate::consumer::group::handle::GroupOp::RebalanceDone);
            }
        }
        Event::OffsetCommit(r) => {
            let target = match r.cb {
                CommitCb::Conf => h.cbs.offset_commit_cb.map(|cb| (cb, opaque)),
                // SAFETY: stored from a commit_queue_cb_t and its opaque by rd_kafka_commit_queue.
                CommitCb::App(f, o) => {
                    Some((unsafe { std::mem::transmute::<usize, CommitCbFn>(f) }, o as *mut c_void))
                }
                CommitCb::Nothing => None,
            };
            if let Some((cb, op)) = target {
                let list = commit_tplist(&r);
                cb(rk, r.err.0, list, op);
                rd_kafka_topic_partition_list_destroy(list);
            }
        }
        Event::ConsumerError { code, msg } => {
            if let Some(cb) = h.cbs.error_cb {
                let s = to_cstring(&msg);
                cb(rk, code.0, s.as_ptr(), opaque);
            }
        }
        Event::Error { code, msg, .. } => {
            if let Some(cb) = h.cbs.error_cb {
                let s = to_cstring(&msg);
                cb(rk, code.0, s.as_ptr(), opaque);
            } else {
                h.client.rk.log(3, "ERROR", &format!("{}: {}", h.client.rk.name, msg));
            }
        }
        Event::Stats(json) => {
            if let Some(cb) = h.cbs.stats_cb {
                let p = malloc_cstr(&json);
                if cb(rk, p, json.len(), opaque) == 0 {
                    libc::free(p as *mut c_void);
                }
            }
        }
        Event::Throttle { broker_name, broker_id, throttle_ms } => {
            if let Some(cb) = h.cbs.throttle_cb {
                let s = to_cstring(&broker_name);
                cb(rk, s.as_ptr(), broker_id, throttle_ms, opaque);
            }
        }
        // A queued log (log.queue=true) is served like a direct one: log_cb, or the default
        // stderr printer.
        Event::Log { level, fac, msg } => {
            if let Some(f) = &h.client.rk.hooks.log {
                f(level, &fac, &msg);
            }
        }
        // As librdkafka: served by callbacks (not returned as an event), it is dropped.
        Event::AdminResult { .. } => {}
        Event::OAuthRefresh { config } => {
            if let Some(cb) = h.cbs.oauthbearer_token_refresh_cb {
                let s = to_cstring(&config);
                let cfg = if config.is_empty() { std::ptr::null() } else { s.as_ptr() };
                cb(rk, cfg, opaque);
            }
        }
    }
    1
}

/// Serves the main queue: waits up to `timeout_ms` for the first event, then serves all
/// that are ready. Returns the number of events served.
pub(crate) unsafe fn poll_main(rk: *mut rd_kafka_t, h: &Handle, timeout_ms: c_int) -> c_int {
    let mut n = 0;
    let q = &h.client.rk.main_q;
    if let Some(ev) = q.pop(timeout_of(timeout_ms)) {
        n += dispatch(rk, h, ev);
        while let Some(ev) = q.try_pop() {
            n += dispatch(rk, h, ev);
        }
    }
    n
}

/// Polls the handle for events (delivery reports, errors, stats, throttle), calling the
/// configured callbacks. Returns the number of events served.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_poll(rk: *mut rd_kafka_t, timeout_ms: c_int) -> c_int {
    let Some(h) = obj::<Handle>(rk) else { return 0 };
    poll_main(rk, h, timeout_ms)
}

/// Whether the application asked for this event as an event object (rd_kafka_conf_set_events);
/// otherwise an event with a configured callback is served through that callback.
pub(crate) fn wanted_as_event(h: &Handle, ev: &Event) -> bool {
    match ev {
        Event::Dr(_) => {
            h.cbs.events & RD_KAFKA_EVENT_DR != 0 || (h.cbs.dr_msg_cb.is_none() && h.cbs.dr_cb.is_none())
        }
        Event::Error { .. } => h.cbs.events & RD_KAFKA_EVENT_ERROR != 0 || h.cbs.error_cb.is_none(),
        Event::Stats(_) => h.cbs.events & RD_KAFKA_EVENT_STATS != 0 || h.cbs.stats_cb.is_none(),
        Event::Log { .. } => h.cbs.events & RD_KAFKA_EVENT_LOG != 0 || h.cbs.log_cb.is_none(),
        Event::Throttle { .. } => false,
        Event::Fetch(_) => true,
        Event::AdminResult(_) => true,
        Event::OAuthRefresh { .. } => {
            h.cbs.events & crate::event::EVENT_OAUTHBEARER_TOKEN_REFRESH != 0
                || h.cbs.oauthbearer_token_refresh_cb.is_none()
        }
        Event::Rebalance { .. } => {
            h.cbs.events & RD_KAFKA_EVENT_REBALANCE != 0
                || h.client
                    .consumer
                    .group
                    .get()
                    .is_some_and(|g| g.close_via_events.load(std::sync::atomic::Ordering::Acquire))
        }
        Event::OffsetCommit(_) => h.cbs.events & RD_KAFKA_EVENT_OFFSET_COMMIT != 0,
        Event::ConsumerError { .. } => h.cbs.events & RD_KAFKA_EVENT_ERROR != 0 || h.cbs.error_cb.is_none(),
    }
}

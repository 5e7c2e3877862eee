//! Consumer group membership: subscribe, incremental assignment, rebalance protocol,
//! member id, and closing the member. Commits are `group_commit.rs`, group metadata
//! objects `group_metadata.rs`, rd_kafka_list_groups `group_list.rs`.

use super::boundary::{obj, opt_obj};
use super::error::error_to_c;
use super::handle::Handle;
use super::poll::dispatch;
use super::queue::QueueHandle;
use super::tplist::{tpl_to_vec, tplist_of};
use super::types::*;
use super::util::malloc_cstr;
use crate::client::Client;
use crate::conf::ClientType;
use crate::consumer::group::handle::{Group, GroupOp};
use crate::error::{ErrorCode, KafkaError};
use crate::event::{Event, RebalanceProtocol};
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The group of consumer handle `rk`: _INVALID_ARG for anything but a consumer,
/// _UNKNOWN_GROUP without group.id, _DESTROY once closed.
pub(crate) unsafe fn group_of<'a>(
    rk: *mut rd_kafka_t,
) -> Result<(&'a Arc<Client>, &'a Arc<Group>), ErrorCode> {
    let h = obj::<Handle>(rk).ok_or(ErrorCode::_INVALID_ARG)?;
    if h.client.rk.kind != ClientType::Consumer {
        return Err(ErrorCode::_INVALID_ARG);
    }
    let g = h.client.consumer.group.get().ok_or(ErrorCode::_UNKNOWN_GROUP)?;
    if g.closed.load(std::sync::atomic::Ordering::Acquire) {
        return Err(ErrorCode::_DESTROY);
    }
    Ok((&h.client, g))
}

/// Subscribes to topics (names, or "^regex" patterns); replaces any earlier subscription.
/// The group assigns partitions asynchronously (rebalance_cb on rd_kafka_consumer_poll()).
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_subscribe(
    rk: *mut rd_kafka_t,
    topics: *const rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    let (c, g) = match group_of(rk) {
        Ok(x) => x,
        Err(e) => return e.0,
    };
    if topics.is_null() {
        return ErrorCode::_INVALID_ARG.0;
    }
    let names: Vec<String> = tpl_to_vec(topics).into_iter().map(|t| t.topic).collect();
    if names.is_empty() {
        return ErrorCode::_INVALID_ARG.0;
    }
    for n in &names {
        if let Some(pat) = n.strip_prefix('^') {
            if regex_lite::Regex::new(&format!("^{pat}")).is_err() {
                return ErrorCode::_INVALID_ARG.0;
            }
        }
    }
    // The main queue is served by consumer_poll from now on, as in librdkafka.
    c.rk.main_q.forward(Some(c.consumer.queue.clone()));
    g.view().subscription = names.clone();
    g.send(GroupOp::Subscribe(names));
    0
}

/// Removes the subscription: partitions are revoked and the member leaves the group.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_unsubscribe(rk: *mut rd_kafka_t) -> rd_kafka_resp_err_t {
    match group_of(rk) {
        Ok((_, g)) => {
            g.view().subscription.clear();
            g.send(GroupOp::Unsubscribe);
            0
        }
        Err(e) => e.0,
    }
}

/// Returns the current subscription (free with rd_kafka_topic_partition_list_destroy()).
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_subscription(
    rk: *mut rd_kafka_t,
    topics: *mut *mut rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    non_null!(topics, ErrorCode::_INVALID_ARG.0);
    let (_, g) = match group_of(rk) {
        Ok(x) => x,
        Err(e) => return e.0,
    };
    let subs: Vec<(String, i32)> =
        g.view().subscription.iter().map(|t| (t.clone(), RD_KAFKA_PARTITION_UA)).collect();
    *topics = tplist_of(&subs, None);
    0
}

/// Adds partitions to the assignment (cooperative rebalancing). Returns NULL or an error.
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_incremental_assign(
    rk: *mut rd_kafka_t,
    partitions: *const rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_error_t {
    let Some(h) = obj::<Handle>(rk) else {
        return error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "Invalid handle"));
    };
    let parts = tpl_to_vec(partitions).into_iter().map(|t| (t.topic, t.partition, t.offset)).collect();
    match crate::consumer::assignment::assign(&h.client.consumer, parts, true) {
        Ok(()) => std::ptr::null_mut(),
        Err(e) => error_to_c(e),
    }
}

/// Removes partitions from the assignment (cooperative rebalancing). Returns NULL or an error.
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_incremental_unassign(
    rk: *mut rd_kafka_t,
    partitions: *const rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_error_t {
    let Some(h) = obj::<Handle>(rk) else {
        return error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "Invalid handle"));
    };
    let parts: Vec<(String, i32)> =
        tpl_to_vec(partitions).into_iter().map(|t| (t.topic, t.partition)).collect();
    match crate::consumer::assignment::unassign_incremental(&h.client.consumer, &parts) {
        Ok(()) => std::ptr::null_mut(),
        Err(e) => error_to_c(KafkaError::new(e, "incremental unassign failed: a partition is not assigned")),
    }
}

/// Whether the current assignment was lost (session timed out, fenced) rather than revoked.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_assignment_lost(rk: *mut rd_kafka_t) -> c_int {
    group_of(rk).map_or(0, |(_, g)| g.view().assignment_lost as c_int)
}

/// The rebalance protocol in use: "NONE", "EAGER" or "COOPERATIVE".
#[ffi_fn(default = c"NONE".as_ptr())]
pub unsafe extern "C" fn rd_kafka_rebalance_protocol(rk: *mut rd_kafka_t) -> *const c_char {
    match group_of(rk).ok().and_then(|(_, g)| g.view().protocol) {
        Some(RebalanceProtocol::Eager) => c"EAGER".as_ptr(),
        Some(RebalanceProtocol::Cooperative) => c"COOPERATIVE".as_ptr(),
        None => c"NONE".as_ptr(),
    }
}

/// The group member id (malloc'd; free with rd_kafka_mem_free()), or NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_memberid(rk: *const rd_kafka_t) -> *mut c_char {
    let Ok((_, g)) = group_of(rk as *mut rd_kafka_t) else { return std::ptr::null_mut() };
    // Before joining librdkafka returns "" (not NULL).
    malloc_cstr(&g.view().member_id)
}

/// Closes the group member: final commit (with enable.auto.commit), revoke through
/// rebalance_cb (served here), LeaveGroup; then stops all fetching.
pub(crate) unsafe fn close_group(rk: *mut rd_kafka_t, c: &Arc<Client>, g: &Arc<Group>) {
    let (tx, rx) = crossbeam_channel::bounded(1);
    g.send(GroupOp::Close(tx));
    let deadline = Instant::now()
        + Duration::from_millis(c.rk.conf.int("session.timeout.ms").clamp(1000, 10_000) as u64);
    let h = obj::<Handle>(rk);
    loop {
        // Serve the revoke callback and commit results while the group winds down.
        if let Some(h) = h {
            while let Some(ev) = c.consumer.queue.try_pop() {
                match ev {
                    Event::Fetch(m) => {
                        crate::consumer::position::on_dropped(&c.rk, &m);
                    }
                    other => {
                        dispatch(rk, h, other);
                    }
                }
            }
        }
        if rx.recv_timeout(Duration::from_millis(10)).is_ok() || Instant::now() >= deadline {
            // One more round: the revoke may have been queued just before "done".
            if let Some(h) = h {
                while let Some(ev) = c.consumer.queue.try_pop() {
                    match ev {
                        Event::Fetch(m) => {
                            crate::consumer::position::on_dropped(&c.rk, &m);
                        }
                        other => {
                            dispatch(rk, h, other);
                        }
                    }
                }
            }
            break;
        }
    }
}

/// Starts closing the consumer without blocking: the revoke arrives as a REBALANCE event
/// on `rkqu` (not through rebalance_cb), which the application serves (and answers with
/// rd_kafka_assign()/rd_kafka_incremental_unassign()) until rd_kafka_consumer_closed().
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_consumer_close_queue(
    rk: *mut rd_kafka_t,
    rkqu: *mut rd_kafka_queue_t,
) -> *mut rd_kafka_error_t {
    let (c, g) = match group_of(rk) {
        Ok(x) => x,
        Err(e) => return error_to_c(KafkaError::new(e, e.description())),
    };
    let Ok(q) = opt_obj::<QueueHandle>(rkqu) else {
        return error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "Invalid queue"));
    };
    if let Some(q) = q {
        c.consumer.queue.forward(Some(q.q.clone()));
    }
    g.close_via_events.store(true, std::sync::atomic::Ordering::Release);
    let (tx, rx) = crossbeam_channel::bounded(1);
    *g.close_done.lock().unwrap_or_else(|e| e.into_inner()) = Some(rx);
    g.send(GroupOp::Close(tx));
    std::ptr::null_mut()
}

/// Whether the consumer is closed: rd_kafka_consumer_close() returned, or the close
/// started by rd_kafka_consumer_close_queue() finished and the assignment is released.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_consumer_closed(rk: *mut rd_kafka_t) -> c_int {
    use std::sync::atomic::Ordering;

    let Some(h) = obj::<Handle>(rk) else { return 0 };
    let Some(g) = h.client.consumer.group.get() else { return 0 };
    if g.closed.load(Ordering::Acquire) {
        return 1;
    }
    let mut done = g.close_done.lock().unwrap_or_else(|e| e.into_inner());
    let finished = match done.as_ref() {
        Some(rx) => rx.try_recv().is_ok() || g.close_finished.load(Ordering::Acquire),
        None => false,
    };
    if finished {
        g.close_finished.store(true, Ordering::Release);
        if h.client.consumer.assignment().is_empty() {
            *done = None;
            g.closed.store(true, Ordering::Release);
            return 1;
        }
    }
    0
}

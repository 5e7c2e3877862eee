//! Committing offsets to the group (rd_kafka_commit, commit_message, commit_queue) and
//! reading committed offsets back (rd_kafka_committed).

use super::boundary::{obj, opt_obj};
use super::group::group_of;
use super::message::msg;
use super::queue::QueueHandle;
use super::tplist::{commit_tplist, rd_kafka_topic_partition_list_destroy, set_leader_epoch, tpl_to_vec};
use super::types::*;
use super::util::{cstr, malloc_cstr};
use crate::consumer::group::handle::{CommitReply, GroupOp};
use crate::error::ErrorCode;
use crate::event::{CommitCb, CommitOffset, CommitResult};
use crate::metadata::Topic;
use kafkars_macros::ffi_fn;
use libc::{c_int, c_void, size_t};
use std::time::{Duration, Instant};

/// Each partition to commit: offset, leader epoch and metadata.
type CommitOffsets = Vec<CommitOffset>;

unsafe fn commit_offsets(list: *const rd_kafka_topic_partition_list_t) -> Option<CommitOffsets> {
    if list.is_null() {
        return None;
    }
    Some(
        tpl_to_vec(list)
            .into_iter()
            .map(|t| CommitOffset {
                leader_epoch: t.leader_epoch,
                metadata: t.metadata.map(|m| String::from_utf8_lossy(&m).into_owned()),
                ..CommitOffset::new(&t.topic, t.partition, t.offset)
            })
            .collect(),
    )
}

unsafe fn do_commit(
    rk: *mut rd_kafka_t,
    offsets: Option<CommitOffsets>,
    is_async: bool,
) -> rd_kafka_resp_err_t {
    let (c, g) = match group_of(rk) {
        Ok(x) => x,
        Err(e) => return e.0,
    };
    if is_async {
        g.send(GroupOp::Commit(offsets, CommitReply::Callback));
        return 0;
    }
    let (tx, rx) = crossbeam_channel::bounded(1);
    let reply = if c.rk.hooks.offset_commit_cb { CommitReply::Both(tx) } else { CommitReply::Channel(tx) };
    g.send(GroupOp::Commit(offsets, reply));
    let timeout = Duration::from_millis(c.rk.settings.socket_timeout_ms.max(1000) as u64);
    match rx.recv_timeout(timeout) {
        Ok(r) => r.err.0,
        Err(_) => ErrorCode::_TIMED_OUT.0,
    }
}

/// Commits offsets (NULL: the stored offsets of the current assignment). With `async_`
/// the result goes to offset_commit_cb; otherwise waits and returns it.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_commit(
    rk: *mut rd_kafka_t,
    offsets: *const rd_kafka_topic_partition_list_t,
    async_: c_int,
) -> rd_kafka_resp_err_t {
    do_commit(rk, commit_offsets(offsets), async_ != 0)
}

/// Commits the offset after `rkmessage` (its offset + 1).
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_commit_message(
    rk: *mut rd_kafka_t,
    rkmessage: *const rd_kafka_message_t,
    async_: c_int,
) -> rd_kafka_resp_err_t {
    let Some(m) = msg(rkmessage) else { return ErrorCode::_INVALID_ARG.0 };
    if m.c.err != 0 {
        return ErrorCode::_INVALID_ARG.0;
    }
    let Some(t) = obj::<Topic>(m.c.rkt as *const rd_kafka_topic_t) else {
        return ErrorCode::_INVALID_ARG.0;
    };
    // As librdkafka: the offset after the message, without its leader epoch.
    do_commit(rk, Some(vec![CommitOffset::new(&t.name, m.c.partition, m.c.offset + 1)]), async_ != 0)
}

pub type rd_kafka_commit_queue_cb_t = Option<
    unsafe extern "C" fn(
        *mut rd_kafka_t,
        rd_kafka_resp_err_t,
        *mut rd_kafka_topic_partition_list_t,
        *mut c_void,
    ),
>;

/// Commits and reports the result on `rkqu` as an OFFSET_COMMIT event (or calls `cb` when
/// `rkqu` is NULL, waiting for the result).
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_commit_queue(
    rk: *mut rd_kafka_t,
    offsets: *const rd_kafka_topic_partition_list_t,
    rkqu: *mut rd_kafka_queue_t,
    cb: rd_kafka_commit_queue_cb_t,
    opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    let (c, g) = match group_of(rk) {
        Ok(x) => x,
        Err(e) => return e.0,
    };
    let Ok(q) = opt_obj::<QueueHandle>(rkqu) else { return ErrorCode::_INVALID_ARG.0 };
    let offsets = commit_offsets(offsets);
    // With a queue the commit is asynchronous: its result (even _NO_OFFSET) is served
    // there, calling `cb`.
    if let Some(q) = q {
        let ccb = cb.map_or(CommitCb::Nothing, |f| CommitCb::App(f as usize, opaque as usize));
        g.send(GroupOp::Commit(offsets, CommitReply::Queue(q.q.clone(), ccb)));
        return 0;
    }
    let (tx, rx) = crossbeam_channel::bounded::<CommitResult>(1);
    // Without a callback of its own, offset_commit_cb hears about it too (as librdkafka).
    let reply = if cb.is_none() && c.rk.hooks.offset_commit_cb {
        CommitReply::Both(tx)
    } else {
        CommitReply::Channel(tx)
    };
    g.send(GroupOp::Commit(offsets, reply));
    let timeout = Duration::from_millis(c.rk.settings.socket_timeout_ms.max(1000) as u64);
    let Ok(r) = rx.recv_timeout(timeout) else { return ErrorCode::_TIMED_OUT.0 };
    if let Some(cb) = cb {
        let l = commit_tplist(&r);
        cb(rk, r.err.0, l, opaque);
        rd_kafka_topic_partition_list_destroy(l);
    }
    r.err.0
}

/// Looks up the committed offsets of the given partitions (fills `offset`, `metadata`
/// and per-element `err`).
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_committed(
    rk: *mut rd_kafka_t,
    partitions: *mut rd_kafka_topic_partition_list_t,
    timeout_ms: c_int,
) -> rd_kafka_resp_err_t {
    let (_, g) = match group_of(rk) {
        Ok(x) => x,
        Err(e) => return e.0,
    };
    let Some(l) = partitions.as_mut() else { return ErrorCode::_INVALID_ARG.0 };
    let tps: Vec<(String, i32)> =
        tpl_to_vec(partitions).into_iter().map(|t| (t.topic, t.partition)).collect();
    let deadline = Instant::now() + crate::capi::util::wait_of(timeout_ms);
    let res = loop {
        let (tx, rx) = crossbeam_channel::bounded(1);
        g.send(GroupOp::QueryCommitted(tps.clone(), tx));
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(Err(ErrorCode::_WAIT_COORD)) | Ok(Err(ErrorCode::_TRANSPORT)) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20))
            }
            // Still no coordinator when the time is up: the wait timed out (as librdkafka).
            Ok(Err(ErrorCode::_WAIT_COORD)) => break Err(ErrorCode::_TIMED_OUT),
            Ok(r) => break r,
            Err(_) => break Err(ErrorCode::_TIMED_OUT),
        }
    };
    let v = match res {
        Ok(v) => v,
        Err(e) => return e.0,
    };
    for i in 0..l.cnt.max(0) as usize {
        let e = &mut *l.elems.add(i);
        let Some(t) = cstr(e.topic) else { continue };
        match v.iter().find(|((rt, rp), _)| rt == t && *rp == e.partition).map(|(_, r)| r.clone()) {
            Some(Ok(c)) => {
                // No committed offset (-1 on the wire) reads as OFFSET_INVALID, as in librdkafka.
                e.offset = if c.offset < 0 { crate::consumer::OFFSET_INVALID } else { c.offset };
                e.err = 0;
                set_leader_epoch(e, c.leader_epoch);
                if let Some(md) = c.metadata.filter(|m| !m.is_empty()) {
                    if !e.metadata.is_null() {
                        libc::free(e.metadata);
                    }
                    e.metadata = malloc_cstr(&md) as *mut c_void;
                    e.metadata_size = md.len() as size_t;
                }
            }
            Some(Err(err)) => e.err = err.0,
            None => e.err = ErrorCode::_BAD_MSG.0,
        }
    }
    0
}

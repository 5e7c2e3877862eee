//! Consumer group C API: subscribe, incremental assignment, commits, committed offsets,
//! member id and consumer group metadata.

use super::boundary::{destroy, into_c, obj, opt_obj, tag};
use super::error::error_to_c;
use super::handle::Handle;
use super::queue::QueueHandle;
use super::tplist::{commit_tplist, tpl_to_vec, tplist_of};
use super::types::*;
use super::util::{cstr, malloc_cstr, to_cstring};
use crate::client::Client;
use crate::conf::ClientType;
use crate::consumer::group::handle::{CommitReply, Group, GroupOp};
use crate::error::{ErrorCode, KafkaError};
use crate::event::Event;
use crate::event::RebalanceProtocol;
use crate::event::{CommitCb, CommitResult};
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, c_void, size_t};
use std::sync::Arc;
use std::time::{Duration, Instant};

unsafe fn group_of<'a>(rk: *mut rd_kafka_t) -> Result<(&'a Arc<Client>, &'a Arc<Group>), ErrorCode> {
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
#[ffi_fn]
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
        Err(e) => {
            error_to_c(KafkaError::new(e, "incremental assign failed: a partition is already assigned"))
        }
    }
}

/// Removes partitions from the assignment (cooperative rebalancing). Returns NULL or an error.
#[ffi_fn]
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

unsafe fn commit_offsets(
    list: *const rd_kafka_topic_partition_list_t,
) -> Option<Vec<(String, i32, i64, Option<String>)>> {
    if list.is_null() {
        return None;
    }
    Some(
        tpl_to_vec(list)
            .into_iter()
            .map(|t| {
                (t.topic, t.partition, t.offset, t.metadata.map(|m| String::from_utf8_lossy(&m).into_owned()))
            })
            .collect(),
    )
}

unsafe fn do_commit(
    rk: *mut rd_kafka_t,
    offsets: Option<Vec<(String, i32, i64, Option<String>)>>,
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
    let Some(m) = super::message::msg(rkmessage) else { return ErrorCode::_INVALID_ARG.0 };
    if m.c.err != 0 {
        return ErrorCode::_INVALID_ARG.0;
    }
    let Some(t) = super::boundary::obj::<crate::metadata::Topic>(m.c.rkt as *const rd_kafka_topic_t) else {
        return ErrorCode::_INVALID_ARG.0;
    };
    do_commit(rk, Some(vec![(t.name.clone(), m.c.partition, m.c.offset + 1, None)]), async_ != 0)
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
        super::tplist::rd_kafka_topic_partition_list_destroy(l);
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
    let deadline = Instant::now() + Duration::from_millis(timeout_ms.max(0) as u64);
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
            Some(Ok((off, md))) => {
                // No committed offset (-1 on the wire) reads as OFFSET_INVALID, as in librdkafka.
                e.offset = if off < 0 { crate::consumer::OFFSET_INVALID } else { off };
                e.err = 0;
                if let Some(md) = md.filter(|m| !m.is_empty()) {
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

/// What `rd_kafka_consumer_group_metadata_t *` points to.
#[repr(C)]
pub struct GroupMetadata {
    /// tag::GROUP_METADATA while alive (must stay the first field).
    tag: u64,
    pub group_id: String,
    pub generation_id: i32,
    pub member_id: String,
    pub group_instance_id: Option<String>,
    /// NUL-terminated copies handed out by the accessors, made on first use.
    cstrs: std::sync::OnceLock<[Option<std::ffi::CString>; 3]>,
}

impl GroupMetadata {
    fn new(
        group_id: String,
        generation_id: i32,
        member_id: String,
        group_instance_id: Option<String>,
    ) -> Box<Self> {
        Box::new(GroupMetadata {
            tag: tag::GROUP_METADATA,
            group_id,
            generation_id,
            member_id,
            group_instance_id,
            cstrs: std::sync::OnceLock::new(),
        })
    }

    /// 0: group id, 1: member id, 2: group instance id (NULL when unset).
    fn c_str(&self, i: usize) -> *const c_char {
        let c = self.cstrs.get_or_init(|| {
            [
                Some(to_cstring(&self.group_id)),
                Some(to_cstring(&self.member_id)),
                self.group_instance_id.as_deref().map(to_cstring),
            ]
        });
        c[i].as_ref().map_or(std::ptr::null(), |s| s.as_ptr())
    }
}

#[repr(C)]
pub struct rd_kafka_consumer_group_metadata_t {
    _private: [u8; 0],
}

/// The consumer's group metadata (for send_offsets_to_transaction); destroy with
/// rd_kafka_consumer_group_metadata_destroy().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata(
    rk: *mut rd_kafka_t,
) -> *mut rd_kafka_consumer_group_metadata_t {
    let Ok((c, g)) = group_of(rk) else { return std::ptr::null_mut() };
    let v = g.view();
    into_c(GroupMetadata::new(
        g.group_id.clone(),
        v.generation,
        v.member_id.clone(),
        c.rk.conf.string("group.instance.id").filter(|s| !s.is_empty()),
    ))
}

/// Creates group metadata for a group id (generation -1, no member id).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_new(
    group_id: *const c_char,
) -> *mut rd_kafka_consumer_group_metadata_t {
    let Some(gid) = cstr(group_id) else { return std::ptr::null_mut() };
    into_c(GroupMetadata::new(gid.to_string(), -1, String::new(), None))
}

/// Creates group metadata with every field given (`group_instance_id` may be NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_new_with_genid(
    group_id: *const c_char,
    generation_id: i32,
    member_id: *const c_char,
    group_instance_id: *const c_char,
) -> *mut rd_kafka_consumer_group_metadata_t {
    let (Some(gid), Some(mid)) = (cstr(group_id), cstr(member_id)) else { return std::ptr::null_mut() };
    let iid = cstr(group_instance_id).map(str::to_string);
    into_c(GroupMetadata::new(gid.to_string(), generation_id, mid.to_string(), iid))
}

tagged!(GroupMetadata => rd_kafka_consumer_group_metadata_t, tag::GROUP_METADATA);

/// The group id of group metadata (valid while it lives).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_group_id(
    group_metadata: *const rd_kafka_consumer_group_metadata_t,
) -> *const c_char {
    obj::<GroupMetadata>(group_metadata).map_or(std::ptr::null(), |m| m.c_str(0))
}

/// The member id of group metadata (valid while it lives).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_member_id(
    group_metadata: *const rd_kafka_consumer_group_metadata_t,
) -> *const c_char {
    obj::<GroupMetadata>(group_metadata).map_or(std::ptr::null(), |m| m.c_str(1))
}

/// The group instance id of group metadata, or NULL (valid while it lives).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_group_instance_id(
    group_metadata: *const rd_kafka_consumer_group_metadata_t,
) -> *const c_char {
    obj::<GroupMetadata>(group_metadata).map_or(std::ptr::null(), |m| m.c_str(2))
}

/// The generation id of group metadata (-1 for NULL).
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_generation_id(
    group_metadata: *const rd_kafka_consumer_group_metadata_t,
) -> i32 {
    obj::<GroupMetadata>(group_metadata).map_or(-1, |m| m.generation_id)
}

/// Destroys group metadata.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_destroy(
    cgmd: *mut rd_kafka_consumer_group_metadata_t,
) {
    destroy::<GroupMetadata>(cgmd)
}

const CGMD_MAGIC: &[u8; 4] = b"KRG1";

fn put_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => {
            out.extend_from_slice(&(s.len() as i32).to_be_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        None => out.extend_from_slice(&(-1i32).to_be_bytes()),
    }
}

fn get_str(b: &[u8], pos: &mut usize) -> Result<Option<String>, ()> {
    let n = i32::from_be_bytes(b.get(*pos..*pos + 4).ok_or(())?.try_into().map_err(|_| ())?);
    *pos += 4;
    if n < 0 {
        return Ok(None);
    }
    let s = b.get(*pos..*pos + n as usize).ok_or(())?;
    *pos += n as usize;
    Ok(Some(String::from_utf8(s.to_vec()).map_err(|_| ())?))
}

/// Serializes group metadata into a malloc'd buffer (free with rd_kafka_mem_free()).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_write(
    cgmd: *const rd_kafka_consumer_group_metadata_t,
    bufferp: *mut *mut c_void,
    sizep: *mut size_t,
) -> *mut rd_kafka_error_t {
    let Some(m) = obj::<GroupMetadata>(cgmd) else {
        return error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "NULL metadata"));
    };
    non_null!(bufferp, error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "NULL bufferp")));
    non_null!(sizep, error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "NULL sizep")));
    let mut out = CGMD_MAGIC.to_vec();
    out.extend_from_slice(&m.generation_id.to_be_bytes());
    put_str(&mut out, Some(&m.group_id));
    put_str(&mut out, Some(&m.member_id));
    put_str(&mut out, m.group_instance_id.as_deref());
    let p = libc::malloc(out.len()) as *mut u8;
    if p.is_null() {
        return error_to_c(KafkaError::new(ErrorCode::_FAIL, "out of memory"));
    }
    std::ptr::copy_nonoverlapping(out.as_ptr(), p, out.len());
    *bufferp = p as *mut c_void;
    *sizep = out.len();
    std::ptr::null_mut()
}

/// Reads group metadata written by rd_kafka_consumer_group_metadata_write().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_read(
    cgmdp: *mut *mut rd_kafka_consumer_group_metadata_t,
    buffer: *const c_void,
    size: size_t,
) -> *mut rd_kafka_error_t {
    non_null!(cgmdp, error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "NULL cgmdp")));
    if buffer.is_null() {
        return error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "NULL buffer"));
    }
    let b = std::slice::from_raw_parts(buffer as *const u8, size);
    let bad = || {
        error_to_c(KafkaError::new(
            ErrorCode::_BAD_MSG,
            "Input buffer is not a serialized consumer group metadata object",
        ))
    };
    if b.len() < 8 || &b[..4] != CGMD_MAGIC {
        return bad();
    }
    let gen = i32::from_be_bytes([b[4], b[5], b[6], b[7]]);
    let mut pos = 8;
    let (Ok(Some(gid)), Ok(Some(mid)), Ok(iid)) =
        (get_str(b, &mut pos), get_str(b, &mut pos), get_str(b, &mut pos))
    else {
        return bad();
    };
    *cgmdp = into_c(GroupMetadata::new(gid, gen, mid, iid));
    std::ptr::null_mut()
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
                        super::poll::dispatch(rk, h, other);
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
                            super::poll::dispatch(rk, h, other);
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
#[ffi_fn]
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

/// Owns what an `rd_kafka_group_list` points into (the C struct comes first). A public
/// struct C reads, so no type tag: rd_kafka_group_list_destroy() is its one converter.
#[repr(C)]
struct GroupListHolder {
    list: rd_kafka_group_list,
    groups: Vec<rd_kafka_group_info>,
    members: Vec<Vec<rd_kafka_group_member_info>>,
    strings: Vec<std::ffi::CString>,
    blobs: Vec<Vec<u8>>,
}

/// Lists consumer groups (all, or just `group`) with their members, asking every broker
/// (ListGroups + DescribeGroups). Free the result with rd_kafka_group_list_destroy().
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_list_groups(
    rk: *mut rd_kafka_t,
    group: *const c_char,
    grplistp: *mut *const rd_kafka_group_list,
    timeout_ms: c_int,
) -> rd_kafka_resp_err_t {
    let Some(h) = obj::<Handle>(rk) else { return ErrorCode::_INVALID_ARG.0 };
    non_null!(grplistp, ErrorCode::_INVALID_ARG.0);
    let only = cstr(group).map(str::to_string);
    let timeout = Duration::from_millis(timeout_ms.max(0) as u64);
    match crate::consumer::group::list::list_groups(&h.client.consumer, only, timeout) {
        Ok(groups) => {
            let mut holder = Box::new(GroupListHolder {
                list: rd_kafka_group_list { groups: std::ptr::null_mut(), group_cnt: 0 },
                groups: Vec::new(),
                members: Vec::new(),
                strings: Vec::new(),
                blobs: Vec::new(),
            });
            let s = |x: &str, keep: &mut Vec<std::ffi::CString>| -> *mut c_char {
                keep.push(to_cstring(x));
                keep.last().map_or(std::ptr::null_mut(), |c| c.as_ptr() as *mut c_char)
            };
            for g in &groups {
                let mut ms = Vec::new();
                for m in &g.members {
                    holder.blobs.push(m.metadata.clone());
                    let md = holder
                        .blobs
                        .last_mut()
                        .map_or(std::ptr::null_mut(), |b| b.as_mut_ptr() as *mut c_void);
                    holder.blobs.push(m.assignment.clone());
                    let asg = holder
                        .blobs
                        .last_mut()
                        .map_or(std::ptr::null_mut(), |b| b.as_mut_ptr() as *mut c_void);
                    ms.push(rd_kafka_group_member_info {
                        member_id: s(&m.member_id, &mut holder.strings),
                        client_id: s(&m.client_id, &mut holder.strings),
                        client_host: s(&m.client_host, &mut holder.strings),
                        member_metadata: md,
                        member_metadata_size: m.metadata.len() as c_int,
                        member_assignment: asg,
                        member_assignment_size: m.assignment.len() as c_int,
                    });
                }
                let mp = ms.as_mut_ptr();
                let cnt = ms.len() as c_int;
                holder.members.push(ms);
                let host = s(&g.broker_host, &mut holder.strings);
                holder.groups.push(rd_kafka_group_info {
                    broker: rd_kafka_metadata_broker_t { id: g.broker_id, host, port: g.broker_port },
                    group: s(&g.group, &mut holder.strings),
                    err: g.err.0,
                    state: s(&g.state, &mut holder.strings),
                    protocol_type: s(&g.protocol_type, &mut holder.strings),
                    protocol: s(&g.protocol, &mut holder.strings),
                    members: mp,
                    member_cnt: cnt,
                });
            }
            holder.list.groups = holder.groups.as_mut_ptr();
            holder.list.group_cnt = holder.groups.len() as c_int;
            *grplistp = Box::into_raw(holder) as *const rd_kafka_group_list;
            0
        }
        Err(e) => e.0,
    }
}

/// Frees a list returned by rd_kafka_list_groups().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_group_list_destroy(grplist: *const rd_kafka_group_list) {
    non_null!(grplist);
    drop(Box::from_raw(grplist as *mut GroupListHolder))
}

//! The share consumer (KIP-932, rd_kafka_share_*): a consumer client (`rd_kafka_t`,
//! made by rd_kafka_new) with a share group member on top (`crate::share`). As in
//! librdkafka, one thread at a time may be inside its calls (another gets _CONFLICT),
//! and none from inside the acknowledgement-commit callback (_STATE).

use super::boundary::{into_c, obj, obj_mut, tag, take};
use super::client::{rd_kafka_destroy_flags, rd_kafka_new};
use super::conf::{rd_kafka_conf_destroy, ConfHandle};
use super::error::error_to_c;
use super::handle::Handle;
use super::poll::poll_main;
use super::share_batch::{batch_into_c, offsets_list};
use super::tplist::{tpl_from_vec, tpl_to_vec, TopicPartitionOwned};
use super::types::*;
use super::util::{cstr, timeout_of, write_errstr};
use crate::error::{ErrorCode, KafkaError};
use crate::share::ShareConsumer;
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, c_void, size_t};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

type AckCommitCb = unsafe extern "C" fn(
    *mut rd_kafka_share_t,
    *mut rd_kafka_share_partition_offsets_list_t,
    rd_kafka_resp_err_t,
    *mut c_void,
);

/// What `rd_kafka_share_t *` points to. As librdkafka's, its first member is the
/// client underneath (librdkafka's tests read it), so the tag comes second.
#[repr(C)]
pub(crate) struct ShareHandle {
    /// The consumer client underneath (its logs, SASL, destroy).
    rk: *mut rd_kafka_t,
    pub tag: u64,
    /// None without group.id (as librdkafka: no group, calls answer so).
    sc: Option<Arc<ShareConsumer>>,
    /// The thread inside a call (0: none), and how deep.
    owner: AtomicU64,
    depth: AtomicU32,
    in_cb: AtomicBool,
    closing: AtomicBool,
    closed: AtomicBool,
    cb: Mutex<Option<(AckCommitCb, usize)>>,
}

tagged!(ShareHandle => rd_kafka_share_t, tag::SHARE, second);

// SAFETY: `rk` is the client handle, itself usable from any thread.
unsafe impl Send for ShareHandle {}
unsafe impl Sync for ShareHandle {}

thread_local! {
    static THREAD_ID: Cell<u64> = const { Cell::new(0) };
}

/// A number for the calling thread, never 0.
fn thread_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    THREAD_ID.with(|c| {
        if c.get() == 0 {
            c.set(NEXT.fetch_add(1, Ordering::Relaxed));
        }
        c.get()
    })
}

/// Being inside a call: released on drop.
struct Gate<'a>(&'a ShareHandle);

impl Drop for Gate<'_> {
    fn drop(&mut self) {
        if self.0.depth.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.owner.store(0, Ordering::Release);
        }
    }
}

/// Enters a call: the handle, or the error librdkafka gives.
unsafe fn enter<'a>(p: *mut rd_kafka_share_t) -> Result<(&'a ShareHandle, Gate<'a>), KafkaError> {
    let Some(h) = obj::<ShareHandle>(p) else {
        return Err(if p.is_null() {
            KafkaError::new(ErrorCode::_STATE, "Share consumer handle is NULL")
        } else {
            KafkaError::new(ErrorCode::_INVALID_ARG, "Not a share consumer handle")
        });
    };
    let me = thread_id();
    let cur = h.owner.load(Ordering::Acquire);
    if cur != me {
        if let Err(other) = h.owner.compare_exchange(0, me, Ordering::AcqRel, Ordering::Acquire) {
            return Err(KafkaError::new(
                ErrorCode::_CONFLICT,
                format!(
                    "Share consumer is not safe for multi-threaded access. currentThread(id: {me}) otherThread(id: {other})"
                ),
            ));
        }
    }
    if h.in_cb.load(Ordering::Acquire) {
        if cur != me {
            h.owner.store(0, Ordering::Release);
        }
        return Err(KafkaError::new(
            ErrorCode::_STATE,
            "Share consumer methods are not accessible from user-defined acknowledgement commit callback",
        ));
    }
    h.depth.fetch_add(1, Ordering::AcqRel);
    Ok((h, Gate(h)))
}

fn closed_error(h: &ShareHandle) -> Result<(), KafkaError> {
    if h.closed.load(Ordering::Acquire) || h.closing.load(Ordering::Acquire) {
        return Err(KafkaError::new(ErrorCode::_STATE, "Share consumer is closed"));
    }
    Ok(())
}

/// The group member of an open share consumer (subscription calls): closed → _STATE,
/// no group.id → _UNKNOWN_GROUP.
fn group_member(h: &ShareHandle) -> Result<&Arc<ShareConsumer>, KafkaError> {
    closed_error(h)?;
    h.sc.as_ref().ok_or_else(|| KafkaError::from_code(ErrorCode::_UNKNOWN_GROUP))
}

/// Serves the client's main queue (error, throttle, stats, log and OAUTHBEARER
/// callbacks): librdkafka's share calls drain it on the caller's thread, as nothing else
/// polls a share consumer's client. The caller still holds the share handle, so another
/// thread calling in from a callback gets _CONFLICT.
unsafe fn serve_main(h: &ShareHandle) {
    if let Some(ch) = obj::<Handle>(h.rk) {
        poll_main(h.rk, ch, 0);
    }
}

/// Calls the acknowledgement-commit callback with the outcomes that arrived, after the
/// main queue's callbacks.
unsafe fn serve_callbacks(p: *mut rd_kafka_share_t, h: &ShareHandle) {
    serve_main(h);
    let Some(sc) = &h.sc else { return };
    let cb = *h.cb.lock().unwrap_or_else(|e| e.into_inner());
    let results = sc.take_results();
    let Some((f, opaque)) = cb else { return };
    for r in results {
        let list = offsets_list(&r.tp.topic, r.tp.partition, r.offsets);
        h.in_cb.store(true, Ordering::Release);
        f(p, list, r.err.0, opaque as *mut c_void);
        h.in_cb.store(false, Ordering::Release);
        super::share_batch::rd_kafka_share_partition_offsets_list_destroy(list);
    }
}

/// The refusals librdkafka makes when finalizing a share consumer's configuration.
/// (share.acknowledgement.mode is a free string there: anything but "explicit" is
/// implicit, so no value is refused.)
fn share_conf_error(ch: &ConfHandle) -> Option<&'static str> {
    let c = &ch.conf;
    let tc = ch.conf.default_topic_conf();
    let set = |k: &str| c.is_set(k);
    let checks: [(bool, &'static str); 24] = [
        (ch.cbs.rebalance_cb.is_some(), "`rebalance_cb` is not applicable for share consumer"),
        (ch.cbs.events & RD_KAFKA_EVENT_REBALANCE != 0, "`RD_KAFKA_EVENT_REBALANCE` is not applicable for share consumer"),
        (ch.cbs.offset_commit_cb.is_some(), "`offset_commit_cb` is not applicable for share consumer"),
        (ch.cbs.consume_cb.is_some(), "`consume_cb` is not applicable for share consumer"),
        (set("enable.auto.commit"), "`enable.auto.commit` is not applicable for share consumer"),
        (set("group.protocol"), "`group.protocol` is not applicable for share consumer"),
        (set("socket.max.fails"), "`socket.max.fails` must be 1 for share consumer; changing it is not allowed"),
        (set("partition.assignment.strategy"), "`partition.assignment.strategy` is not applicable for share consumer"),
        (set("group.instance.id"), "`group.instance.id` is not applicable for share consumer"),
        (set("isolation.level"), "`isolation.level` is not applicable for share consumer"),
        (set("group.remote.assignor"), "`group.remote.assignor` is not applicable for share consumer"),
        (set("queued.min.messages"), "`queued.min.messages` is not applicable for share consumer"),
        (set("queued.max.messages.kbytes"), "`queued.max.messages.kbytes` is not applicable for share consumer"),
        (set("fetch.queue.backoff.ms"), "`fetch.queue.backoff.ms` is not applicable for share consumer"),
        (set("fetch.error.backoff.ms"), "`fetch.error.backoff.ms` is not applicable for share consumer"),
        (set("enable.partition.eof"), "`enable.partition.eof` is not applicable for share consumer"),
        (set("message.copy.max.bytes"), "`message.copy.max.bytes` is not applicable for share consumer"),
        (set("topic.blacklist"), "`topic.blacklist` is not applicable for share consumer"),
        (
            set("allow.auto.create.topics"),
            "allow.auto.create.topics is currently not supported for share consumer and will be enabled in the General Availability (GA) release",
        ),
        (tc.is_set("auto.offset.reset"), "`auto.offset.reset` is not applicable for share consumer"),
        (tc.is_set("consume.callback.max.messages"), "`consume.callback.max.messages` is not applicable for share consumer"),
        (
            set("session.timeout.ms"),
            "`session.timeout.ms` is not supported for `group.protocol=consumer` or share consumer. It is defined broker side",
        ),
        (set("group.protocol.type"), "`group.protocol.type` is not supported for `group.protocol=consumer` or share consumer"),
        (
            set("heartbeat.interval.ms"),
            "`heartbeat.interval.ms` is not supported for `group.protocol=consumer` or share consumer. It is defined broker side",
        ),
    ];
    checks.iter().find(|(bad, _)| *bad).map(|(_, m)| *m)
}

/// Creates a share consumer. On success takes ownership of `conf`; on failure returns
/// NULL with the reason in `errstr` and leaves `conf` to the caller.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_share_consumer_new(
    conf: *mut rd_kafka_conf_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut rd_kafka_share_t {
    if conf.is_null() {
        write_errstr(errstr, errstr_size, "rd_kafka_share_consumer_new(): conf argument must not be NULL");
        return std::ptr::null_mut();
    }
    let Some(ch) = obj_mut::<ConfHandle>(conf) else {
        write_errstr(errstr, errstr_size, "Invalid configuration object (not an rd_kafka_conf_t)");
        super::util::set_last_error(ErrorCode::_INVALID_ARG);
        return std::ptr::null_mut();
    };
    ch.sync_in();
    if let Some(e) = share_conf_error(ch) {
        write_errstr(errstr, errstr_size, e);
        super::util::set_last_error(ErrorCode::_INVALID_ARG);
        return std::ptr::null_mut();
    }
    let group_id = ch.conf.string("group.id").filter(|g| !g.is_empty());
    let explicit = ch.conf.string("share.acknowledgement.mode").as_deref() == Some("explicit");
    // The client underneath has no classic group member: the share member is ours. Its
    // defaults differ as librdkafka's do for share consumers.
    let mut inner = ch.clone();
    inner.tconf_view = None;
    let _ = inner.conf.set("group.id", "");
    for (k, v) in [
        ("connections.max.idle.ms", "540000"),
        ("reconnect.backoff.ms", "50"),
        ("reconnect.backoff.max.ms", "1000"),
        ("enable.auto.commit", "false"),
    ] {
        if !inner.conf.is_set(k) {
            let _ = inner.conf.set(k, v);
        }
    }
    let inner_conf = into_c(Box::new(inner));
    let rk = rd_kafka_new(RD_KAFKA_CONSUMER, inner_conf, errstr, errstr_size);
    if rk.is_null() {
        rd_kafka_conf_destroy(inner_conf);
        return std::ptr::null_mut();
    }
    let Some(h) = obj::<Handle>(rk) else { return std::ptr::null_mut() };
    let c = &h.client;
    let sc = match group_id {
        Some(g) => match ShareConsumer::start(&c.rk, &c.cache, &c.brokers, g, explicit) {
            Ok(sc) => Some(sc),
            Err(e) => {
                write_errstr(errstr, errstr_size, &e);
                rd_kafka_destroy_flags(rk, 0);
                return std::ptr::null_mut();
            }
        },
        None => None,
    };
    c.rk.log(
        4,
        "SHARECONSUMER",
        "The share consumer is in \"Preview\" and is not recommended for production use",
    );
    rd_kafka_conf_destroy(conf);
    into_c(Box::new(ShareHandle {
        rk,
        tag: tag::SHARE,
        sc,
        owner: AtomicU64::new(0),
        depth: AtomicU32::new(0),
        in_cb: AtomicBool::new(false),
        closing: AtomicBool::new(false),
        closed: AtomicBool::new(false),
        cb: Mutex::new(None),
    }))
}

fn err_of(r: Result<(), KafkaError>) -> rd_kafka_resp_err_t {
    r.err().map_or(0, |e| e.code.0)
}

fn error_of(r: Result<(), KafkaError>) -> *mut rd_kafka_error_t {
    r.err().map_or(std::ptr::null_mut(), error_to_c)
}

/// Sets (or clears, with NULL) the callback told each partition's acknowledgement
/// outcome; it runs inside the share calls of the application's thread.
#[ffi_fn(default = super::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_share_set_acknowledgement_commit_cb(
    rkshare: *mut rd_kafka_share_t,
    // Written out (not Option<AckCommitCb>) so that cbindgen emits a function pointer.
    cb: Option<
        unsafe extern "C" fn(
            *mut rd_kafka_share_t,
            *mut rd_kafka_share_partition_offsets_list_t,
            rd_kafka_resp_err_t,
            *mut c_void,
        ),
    >,
    opaque: *mut c_void,
) -> *mut rd_kafka_error_t {
    error_of((|| {
        let (h, _g) = enter(rkshare)?;
        closed_error(h)?;
        *h.cb.lock().unwrap_or_else(|e| e.into_inner()) = cb.map(|f| (f, opaque as usize));
        if let Some(sc) = &h.sc {
            sc.want_results(cb.is_some());
        }
        Ok(())
    })())
}

/// Subscribes to topics (names only; an empty list unsubscribes).
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_share_subscribe(
    rkshare: *mut rd_kafka_share_t,
    topics: *const rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    err_of((|| {
        let (h, _g) = enter(rkshare)?;
        let sc = group_member(h)?;
        if topics.is_null() {
            return Err(KafkaError::from_code(ErrorCode::_INVALID_ARG));
        }
        let names: Vec<String> = tpl_to_vec(topics).into_iter().map(|t| t.topic).collect();
        let mut seen = std::collections::HashSet::new();
        if names.iter().any(|n| n.is_empty() || !seen.insert(n.clone())) {
            return Err(KafkaError::from_code(ErrorCode::_INVALID_ARG));
        }
        sc.subscribe(names);
        Ok(())
    })())
}

/// Unsubscribes: the member leaves the share group.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_share_unsubscribe(rkshare: *mut rd_kafka_share_t) -> rd_kafka_resp_err_t {
    err_of((|| {
        let (h, _g) = enter(rkshare)?;
        let sc = group_member(h)?;
        sc.subscribe(Vec::new());
        Ok(())
    })())
}

/// The current subscription (a new list; destroy it).
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_share_subscription(
    rkshare: *mut rd_kafka_share_t,
    topics: *mut *mut rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    err_of((|| {
        let (h, _g) = enter(rkshare)?;
        let sc = group_member(h)?;
        if topics.is_null() {
            return Err(KafkaError::from_code(ErrorCode::_INVALID_ARG));
        }
        let v: Vec<TopicPartitionOwned> =
            sc.subscription().iter().map(|t| TopicPartitionOwned::new(t, RD_KAFKA_PARTITION_UA)).collect();
        *topics = tpl_from_vec(&v);
        Ok(())
    })())
}

/// Polls for a batch of records: `*rkmessages` is the batch (destroy it with
/// rd_kafka_messages_destroy()), or NULL on error or when the timeout passes first.
#[ffi_fn(default = super::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_share_poll(
    rkshare: *mut rd_kafka_share_t,
    timeout_ms: c_int,
    rkmessages: *mut *mut rd_kafka_messages_t,
) -> *mut rd_kafka_error_t {
    if !rkmessages.is_null() {
        *rkmessages = std::ptr::null_mut();
    }
    error_of((|| {
        let (h, _g) = enter(rkshare)?;
        if !h.closed.load(Ordering::Acquire) {
            serve_main(h);
        }
        let Some(sc) = &h.sc else {
            return Err(KafkaError::new(
                ErrorCode::_STATE,
                "rd_kafka_share_poll(): Consumer group not initialized",
            ));
        };
        closed_error(h)?;
        if rkmessages.is_null() {
            return Err(KafkaError::new(ErrorCode::_INVALID_ARG, "rkmessages must not be NULL"));
        }
        serve_callbacks(rkshare, h);
        let r = sc.poll(timeout_of(timeout_ms));
        serve_callbacks(rkshare, h);
        if let Some(msgs) = r? {
            *rkmessages = batch_into_c(msgs);
        }
        Ok(())
    })())
}

/// Acknowledges a record as ACCEPTed (explicit mode).
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_share_acknowledge(
    rkshare: *mut rd_kafka_share_t,
    rkmessage: *const rd_kafka_message_t,
) -> rd_kafka_resp_err_t {
    rd_kafka_share_acknowledge_type(rkshare, rkmessage, 1)
}

fn ack(
    h: &ShareHandle,
    topic: Option<&str>,
    partition: i32,
    offset: i64,
    typ: c_int,
) -> Result<(), KafkaError> {
    closed_error(h)?;
    let Some(topic) = topic.filter(|_| partition >= 0 && offset >= 0) else {
        return Err(KafkaError::from_code(ErrorCode::_INVALID_ARG));
    };
    let Some(sc) = &h.sc else { return Err(KafkaError::from_code(ErrorCode::_STATE)) };
    if !sc.explicit() {
        return Err(KafkaError::from_code(ErrorCode::_STATE));
    }
    if !(1..=3).contains(&typ) {
        return Err(KafkaError::from_code(ErrorCode::_INVALID_ARG));
    }
    match sc.acknowledge(topic, partition, offset, typ as i8) {
        ErrorCode::NO_ERROR => Ok(()),
        e => Err(KafkaError::from_code(e)),
    }
}

/// Acknowledges a record with a type: ACCEPT (1), RELEASE (2) or REJECT (3).
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_share_acknowledge_type(
    rkshare: *mut rd_kafka_share_t,
    rkmessage: *const rd_kafka_message_t,
    ack_type: c_int,
) -> rd_kafka_resp_err_t {
    err_of((|| {
        let (h, _g) = enter(rkshare)?;
        let Some(m) = super::message::msg(rkmessage) else {
            return Err(KafkaError::from_code(ErrorCode::_INVALID_ARG));
        };
        if m.c.rkt == 0 {
            return Err(KafkaError::from_code(ErrorCode::_STATE));
        }
        let topic = cstr(super::topic::rd_kafka_topic_name(m.c.rkt as *const rd_kafka_topic_t));
        ack(h, topic, m.c.partition, m.c.offset, ack_type)
    })())
}

/// Acknowledges a record by topic, partition and offset.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_share_acknowledge_offset(
    rkshare: *mut rd_kafka_share_t,
    topic: *const c_char,
    partition: i32,
    offset: i64,
    ack_type: c_int,
) -> rd_kafka_resp_err_t {
    err_of((|| {
        let (h, _g) = enter(rkshare)?;
        ack(h, cstr(topic), partition, offset, ack_type)
    })())
}

/// Sends the acknowledgements made so far without waiting (their outcome goes to the
/// acknowledgement-commit callback).
#[ffi_fn(default = super::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_share_commit_async(
    rkshare: *mut rd_kafka_share_t,
) -> *mut rd_kafka_error_t {
    error_of((|| {
        let (h, _g) = enter(rkshare)?;
        closed_error(h)?;
        serve_callbacks(rkshare, h);
        if let Some(sc) = &h.sc {
            sc.commit_async();
        }
        Ok(())
    })())
}

/// Sends the acknowledgements made so far and waits for their outcome: `*partitions`
/// lists each partition with its error (NULL when nothing was pending).
#[ffi_fn(default = super::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_share_commit_sync(
    rkshare: *mut rd_kafka_share_t,
    timeout_ms: c_int,
    partitions: *mut *mut rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_error_t {
    if !partitions.is_null() {
        *partitions = std::ptr::null_mut();
    }
    error_of((|| {
        let (h, _g) = enter(rkshare)?;
        closed_error(h)?;
        serve_callbacks(rkshare, h);
        let Some(sc) = &h.sc else { return Ok(()) };
        if let Some(res) = sc.commit_sync(timeout_of(timeout_ms)) {
            let v: Vec<TopicPartitionOwned> = res
                .iter()
                .map(|(tp, e)| TopicPartitionOwned {
                    err: e.0,
                    ..TopicPartitionOwned::new(&tp.topic, tp.partition)
                })
                .collect();
            if !partitions.is_null() {
                *partitions = tpl_from_vec(&v);
            }
        }
        serve_callbacks(rkshare, h);
        Ok(())
    })())
}

/// Closes: sends pending acknowledgements, closes the share sessions and leaves the
/// group (bounded by socket.timeout.ms). rd_kafka_share_destroy() must still follow.
#[ffi_fn(default = super::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_share_consumer_close(
    rkshare: *mut rd_kafka_share_t,
) -> *mut rd_kafka_error_t {
    error_of((|| {
        let (h, _g) = enter(rkshare)?;
        closed_error(h)?;
        h.closing.store(true, Ordering::Release);
        if let Some(sc) = &h.sc {
            sc.close();
        }
        serve_callbacks(rkshare, h);
        h.closing.store(false, Ordering::Release);
        h.closed.store(true, Ordering::Release);
        Ok(())
    })())
}

/// Closes like rd_kafka_share_consumer_close() (kafkars finishes before returning;
/// `rkqu` must be a queue). rd_kafka_share_consumer_closed() then says 1.
#[ffi_fn(default = super::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_share_consumer_close_queue(
    rkshare: *mut rd_kafka_share_t,
    rkqu: *mut rd_kafka_queue_t,
) -> *mut rd_kafka_error_t {
    {
        let r = enter(rkshare).and_then(|(h, g)| closed_error(h).map(|_| g));
        if let Err(e) = r {
            return error_to_c(e);
        }
    }
    if obj::<super::queue::QueueHandle>(rkqu).is_none() {
        return error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "Queue must be specified"));
    }
    rd_kafka_share_consumer_close(rkshare)
}

/// 1 when the share consumer has finished closing, else 0.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_share_consumer_closed(rkshare: *mut rd_kafka_share_t) -> c_int {
    obj::<ShareHandle>(rkshare).map_or(0, |h| h.closed.load(Ordering::Acquire) as c_int)
}

/// Destroys the share consumer (closing it first); NULL-safe.
#[ffi_fn(default = super::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_share_destroy(rkshare: *mut rd_kafka_share_t) -> *mut rd_kafka_error_t {
    rd_kafka_share_destroy_flags(rkshare, 0)
}

/// Destroys the share consumer; RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE skips the close.
#[ffi_fn(default = super::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_share_destroy_flags(
    rkshare: *mut rd_kafka_share_t,
    flags: c_int,
) -> *mut rd_kafka_error_t {
    let rk = {
        let (h, _g) = match enter(rkshare) {
            Ok(x) => x,
            Err(e) => return error_to_c(e),
        };
        if let Some(sc) = &h.sc {
            if !h.closed.load(Ordering::Acquire) && flags & 0x8 == 0 {
                sc.close();
            } else {
                sc.stop();
            }
        }
        h.rk
    };
    drop(take::<ShareHandle>(rkshare));
    rd_kafka_destroy_flags(rk, flags);
    std::ptr::null_mut()
}

/// The inner client, or the error for a bad handle.
unsafe fn inner(rkshare: *mut rd_kafka_share_t) -> Result<*mut rd_kafka_t, KafkaError> {
    match obj::<ShareHandle>(rkshare) {
        Some(h) => Ok(h.rk),
        None => Err(KafkaError::new(ErrorCode::_INVALID_ARG, "rkshare is NULL or uninitialized")),
    }
}

/// Forwards the share consumer's logs to `rkqu` (NULL: its main queue); needs log.queue.
#[ffi_fn(default = super::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_share_set_log_queue(
    rkshare: *mut rd_kafka_share_t,
    rkqu: *mut rd_kafka_queue_t,
) -> *mut rd_kafka_error_t {
    let rk = match inner(rkshare) {
        Ok(rk) => rk,
        Err(e) => return error_to_c(e),
    };
    match super::compat::rd_kafka_set_log_queue(rk, rkqu) {
        0 => std::ptr::null_mut(),
        e if e == ErrorCode::_NOT_CONFIGURED.0 => {
            error_to_c(KafkaError::new(ErrorCode::_NOT_CONFIGURED, "log.queue is not set to true"))
        }
        e => error_to_c(KafkaError::from_code(ErrorCode(e))),
    }
}

/// SASL callbacks served by the background thread (rd_kafka_sasl_background_callbacks_enable).
#[ffi_fn(default = super::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_share_sasl_background_callbacks_enable(
    rkshare: *mut rd_kafka_share_t,
) -> *mut rd_kafka_error_t {
    match inner(rkshare) {
        Ok(rk) => super::compat::rd_kafka_sasl_background_callbacks_enable(rk),
        Err(e) => error_to_c(e),
    }
}

/// New SASL PLAIN/SCRAM credentials (rd_kafka_sasl_set_credentials).
#[ffi_fn(default = super::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_share_sasl_set_credentials(
    rkshare: *mut rd_kafka_share_t,
    username: *const c_char,
    password: *const c_char,
) -> *mut rd_kafka_error_t {
    match inner(rkshare) {
        Ok(rk) => super::compat::rd_kafka_sasl_set_credentials(rk, username, password),
        Err(e) => error_to_c(e),
    }
}

/// The SASL callback queue (rd_kafka_queue_get_sasl); NULL when none.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_share_queue_get_sasl(
    rkshare: *mut rd_kafka_share_t,
) -> *mut rd_kafka_queue_t {
    match inner(rkshare) {
        Ok(rk) => super::compat::rd_kafka_queue_get_sasl(rk),
        Err(_) => std::ptr::null_mut(),
    }
}

/// Sets the OAUTHBEARER token (rd_kafka_oauthbearer_set_token).
#[ffi_fn(default = ErrorCode::_FAIL.0)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn rd_kafka_share_oauthbearer_set_token(
    rkshare: *mut rd_kafka_share_t,
    token_value: *const c_char,
    md_lifetime_ms: i64,
    md_principal_name: *const c_char,
    extensions: *mut *const c_char,
    extension_size: size_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    match inner(rkshare) {
        Ok(rk) => super::compat::rd_kafka_oauthbearer_set_token(
            rk,
            token_value,
            md_lifetime_ms,
            md_principal_name,
            extensions,
            extension_size,
            errstr,
            errstr_size,
        ),
        Err(e) => {
            write_errstr(errstr, errstr_size, &e.msg);
            e.code.0
        }
    }
}

/// Reports an OAUTHBEARER token failure (rd_kafka_oauthbearer_set_token_failure).
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_share_oauthbearer_set_token_failure(
    rkshare: *mut rd_kafka_share_t,
    errstr: *const c_char,
) -> rd_kafka_resp_err_t {
    match inner(rkshare) {
        Ok(rk) => super::compat::rd_kafka_oauthbearer_set_token_failure(rk, errstr),
        Err(e) => e.code.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_handles_and_conf_are_refused() {
        unsafe {
            let mut errstr = [0 as c_char; 256];
            assert!(rd_kafka_share_consumer_new(std::ptr::null_mut(), errstr.as_mut_ptr(), errstr.len())
                .is_null());
            let msg = std::ffi::CStr::from_ptr(errstr.as_ptr()).to_str().unwrap();
            assert_eq!(msg, "rd_kafka_share_consumer_new(): conf argument must not be NULL");
            let conf = super::super::conf::rd_kafka_conf_new();
            obj_mut::<ConfHandle>(conf).unwrap().conf.set("enable.auto.commit", "false").unwrap();
            assert!(rd_kafka_share_consumer_new(conf, errstr.as_mut_ptr(), errstr.len()).is_null());
            let msg = std::ffi::CStr::from_ptr(errstr.as_ptr()).to_str().unwrap();
            assert_eq!(msg, "`enable.auto.commit` is not applicable for share consumer");
            rd_kafka_conf_destroy(conf);
            assert_eq!(rd_kafka_share_subscribe(std::ptr::null_mut(), std::ptr::null()), ErrorCode::_STATE.0);
            let mut fake = [0u64; 8];
            let wrong = fake.as_mut_ptr() as *mut rd_kafka_share_t;
            assert_eq!(rd_kafka_share_acknowledge(wrong, std::ptr::null()), ErrorCode::_INVALID_ARG.0);
            let mut batch = std::ptr::dangling_mut::<rd_kafka_messages_t>();
            let e = rd_kafka_share_poll(std::ptr::null_mut(), 0, &mut batch);
            assert!(batch.is_null());
            assert_eq!(super::super::error::rd_kafka_error_code(e), ErrorCode::_STATE.0);
            super::super::error::rd_kafka_error_destroy(e);
            assert_eq!(super::super::share_batch::rd_kafka_messages_count(std::ptr::null()), 0);
            super::super::share_batch::rd_kafka_messages_destroy(std::ptr::null_mut());
        }
    }
}

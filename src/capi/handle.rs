//! rd_kafka_new / destroy, polling and callback dispatch, and handle-wide calls.

use super::boundary::{into_c, obj, obj_mut, tag, take};
use super::conf::{Callbacks, ConfHandle, TopicExtras};
use super::types::*;
use super::util::{cstr, malloc_cstr, set_last_error, to_cstring, write_errstr};
use crate::client::Client;
use crate::conf::ClientType;
use crate::error::ErrorCode;
use crate::event::CommitCb;
use crate::event::Event;
use crate::instance::Hooks;
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, c_void, size_t};
use std::ffi::CString;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What `rd_kafka_t *` points to.
#[repr(C)]
pub struct Handle {
    /// tag::CLIENT while alive (must stay the first field).
    pub tag: u64,
    pub client: Arc<Client>,
    pub cbs: Callbacks,
    pub topic_extras: TopicExtras,
    pub cname: CString,
    /// The background queue and its serving thread, created on first use.
    pub background: std::sync::OnceLock<Arc<crate::event::Queue>>,
}

tagged!(Handle => rd_kafka_t, tag::CLIENT);

fn timeout(ms: c_int) -> Option<Duration> {
    if ms < 0 {
        None
    } else {
        Some(Duration::from_millis(ms as u64))
    }
}

/// Prints a log line the way librdkafka's default logger does.
fn print_log(level: c_int, fac: &str, name: &str, msg: &str) {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    eprintln!("%{}|{}.{:03}|{}|{}| {}", level, now.as_secs(), now.subsec_millis(), fac, name, msg);
}

/// Creates a producer or consumer handle. On success takes ownership of `conf`; on
/// failure returns NULL with the reason in `errstr` and leaves `conf` to the caller.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_new(
    type_: rd_kafka_type_t,
    conf: *mut rd_kafka_conf_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut rd_kafka_t {
    let kind = match type_ {
        RD_KAFKA_PRODUCER => ClientType::Producer,
        RD_KAFKA_CONSUMER => ClientType::Consumer,
        _ => {
            write_errstr(errstr, errstr_size, "Invalid client type");
            set_last_error(ErrorCode::_INVALID_ARG);
            return std::ptr::null_mut();
        }
    };
    let mut ch: ConfHandle = match obj_mut::<ConfHandle>(conf) {
        Some(c) => {
            c.sync_in();
            let mut d = c.clone();
            d.tconf_view = None;
            d
        }
        None if conf.is_null() => ConfHandle::new(),
        None => {
            write_errstr(errstr, errstr_size, "Invalid configuration object (not an rd_kafka_conf_t)");
            set_last_error(ErrorCode::_INVALID_ARG);
            return std::ptr::null_mut();
        }
    };
    if let Err(e) = ch.conf.finalize(kind, crate::instance::SW_VERSION) {
        write_errstr(errstr, errstr_size, &e);
        set_last_error(ErrorCode::_INVALID_ARG);
        return std::ptr::null_mut();
    }
    let mut tconf = ch.conf.default_topic_conf().clone();
    if let Err(e) = tconf.finalize(kind, &ch.conf) {
        write_errstr(errstr, errstr_size, &e);
        set_last_error(ErrorCode::_INVALID_ARG);
        return std::ptr::null_mut();
    }
    ch.conf.set_default_topic_conf(tconf);
    let cbs = ch.cbs;
    // The log hook needs the handle's address, known only after it is boxed.
    let rk_addr = Arc::new(AtomicUsize::new(0));
    let name_cell: Arc<std::sync::OnceLock<String>> = Arc::new(std::sync::OnceLock::new());
    let log: Option<crate::instance::LogFn> = if cbs.log_cb_null {
        None
    } else {
        let rk_addr = rk_addr.clone();
        let name_cell = name_cell.clone();
        let cb = cbs.log_cb;
        Some(Box::new(move |level: i32, fac: &str, msg: &str| match cb {
            Some(f) => {
                let fac = to_cstring(fac);
                let msg = to_cstring(msg);
                f(rk_addr.load(Ordering::Acquire) as *const rd_kafka_t, level, fac.as_ptr(), msg.as_ptr());
            }
            None => print_log(level, fac, name_cell.get().map_or("", |s| s.as_str()), msg),
        }))
    };
    let dr_enabled = cbs.dr_msg_cb.is_some() || cbs.dr_cb.is_some() || cbs.events & RD_KAFKA_EVENT_DR != 0;
    let hooks = Hooks {
        log,
        dr_enabled,
        rebalance_cb: cbs.rebalance_cb.is_some() || cbs.events & RD_KAFKA_EVENT_REBALANCE != 0,
        offset_commit_cb: cbs.offset_commit_cb.is_some() || cbs.events & RD_KAFKA_EVENT_OFFSET_COMMIT != 0,
        error_cb: cbs.error_cb.is_some() || cbs.events & RD_KAFKA_EVENT_ERROR != 0,
    };
    let client = match Client::new(kind, ch.conf.clone(), hooks) {
        Ok(c) => c,
        Err(e) => {
            write_errstr(errstr, errstr_size, &e);
            set_last_error(ErrorCode::_INVALID_ARG);
            return std::ptr::null_mut();
        }
    };
    let _ = name_cell.set(client.rk.name.clone());
    let h = Box::new(Handle {
        tag: tag::CLIENT,
        cname: to_cstring(&client.rk.name),
        client,
        cbs,
        topic_extras: ch.topic_extras,
        background: std::sync::OnceLock::new(),
    });
    let rk = into_c(h);
    rk_addr.store(rk as usize, Ordering::Release);
    if cbs.background_event_cb.is_some() {
        // As librdkafka: a background_event_cb starts the background thread with the handle.
        super::compat::background_queue(rk);
    }
    if !conf.is_null() {
        super::conf::rd_kafka_conf_destroy(conf);
    }
    rk
}

/// Destroys the handle: stops all threads and frees everything it owns. Messages not
/// yet delivered are dropped (call rd_kafka_flush() first).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_destroy(rk: *mut rd_kafka_t) {
    // The tag is cleared first: threads still running (the background queue's) see a
    // dead handle and stop.
    let Some(h) = take::<Handle>(rk) else { return };
    h.client.shutdown();
    drop(h.client.rk.main_q.drain());
}

/// Like rd_kafka_destroy(); `flags` (RD_KAFKA_DESTROY_F_*) only affect consumers.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_destroy_flags(rk: *mut rd_kafka_t, flags: c_int) {
    let _ = flags;
    rd_kafka_destroy(rk)
}

/// Serves one event through the application's callbacks. Returns 1 if it counted.
pub(crate) unsafe fn dispatch(rk: *mut rd_kafka_t, h: &Handle, ev: Event) -> c_int {
    let opaque = h.cbs.opaque as *mut c_void;
    match ev {
        Event::Dr(msgs) => {
            for m in msgs.iter() {
                let p = super::message::msg_c(m);
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
        Event::Fetch(m) => {
            crate::consumer::position::on_dropped(&h.client.rk, &m);
        }
        Event::Rebalance { err, partitions, protocol } => {
            match h.cbs.rebalance_cb {
                Some(cb) => {
                    let list = super::tplist::tplist_of(&partitions, None);
                    cb(rk, err.0, list, opaque);
                    super::tplist::rd_kafka_topic_partition_list_destroy(list);
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
                CommitCb::App(f, o) => Some((
                    unsafe { std::mem::transmute::<usize, super::group::CommitCbFn>(f) },
                    o as *mut c_void,
                )),
                CommitCb::Nothing => None,
            };
            if let Some((cb, op)) = target {
                let list = super::tplist::commit_tplist(&r);
                cb(rk, r.err.0, list, op);
                super::tplist::rd_kafka_topic_partition_list_destroy(list);
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
    }
    1
}

/// Serves the main queue: waits up to `timeout_ms` for the first event, then serves all
/// that are ready. Returns the number of events served.
pub(crate) unsafe fn poll_main(rk: *mut rd_kafka_t, h: &Handle, timeout_ms: c_int) -> c_int {
    let mut n = 0;
    let q = &h.client.rk.main_q;
    if let Some(ev) = q.pop(timeout(timeout_ms)) {
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

/// Waits until all outstanding produce requests and delivery reports are done, serving
/// rd_kafka_poll() meanwhile. Returns RD_KAFKA_RESP_ERR__TIMED_OUT if `timeout_ms` passed.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_flush(rk: *mut rd_kafka_t, timeout_ms: c_int) -> rd_kafka_resp_err_t {
    let Some(h) = obj::<Handle>(rk) else { return ErrorCode::_INVALID_ARG.0 };
    let c = &h.client;
    let deadline = timeout(timeout_ms).map(|d| Instant::now() + d);
    c.producer.flushing.fetch_add(1, Ordering::AcqRel);
    for b in c.brokers.all() {
        b.wake();
    }
    let res = loop {
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        let step = left.map_or(100, |l| l.as_millis().min(100) as c_int);
        if h.cbs.events & RD_KAFKA_EVENT_DR == 0 || h.cbs.dr_msg_cb.is_some() || h.cbs.dr_cb.is_some() {
            poll_main(rk, h, step);
        } else {
            // Event API users serve their queue themselves: just wait.
            c.producer.outq.wait_until(Some(Instant::now() + Duration::from_millis(step as u64)), |q| {
                q.cnt.load(Ordering::Acquire) == 0
            });
        }
        if outq_len(h) == 0 {
            break 0;
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            break ErrorCode::_TIMED_OUT.0;
        }
    };
    c.producer.flushing.fetch_sub(1, Ordering::AcqRel);
    res
}

fn outq_len(h: &Handle) -> c_int {
    (h.client.producer.outq.cnt.load(Ordering::Acquire) + h.client.rk.main_q.len()) as c_int
}

/// Number of messages and requests waiting to be sent or acknowledged, plus events
/// waiting to be served.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_outq_len(rk: *mut rd_kafka_t) -> c_int {
    obj::<Handle>(rk).map_or(0, outq_len)
}

/// Purges messages: RD_KAFKA_PURGE_F_QUEUE (not yet sent) and/or RD_KAFKA_PURGE_F_INFLIGHT
/// (awaiting response). Purged messages get delivery reports with _PURGE_QUEUE/_PURGE_INFLIGHT.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_purge(rk: *mut rd_kafka_t, purge_flags: c_int) -> rd_kafka_resp_err_t {
    let Some(h) = obj::<Handle>(rk) else { return ErrorCode::_INVALID_ARG.0 };
    if h.client.rk.kind != ClientType::Producer {
        return ErrorCode::_INVALID_ARG.0;
    }
    if purge_flags & !(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT | RD_KAFKA_PURGE_F_NON_BLOCKING)
        != 0
    {
        return ErrorCode::_INVALID_ARG.0;
    }
    if purge_flags & RD_KAFKA_PURGE_F_INFLIGHT != 0 {
        h.client.brokers.purge_inflight(purge_flags & RD_KAFKA_PURGE_F_NON_BLOCKING == 0);
    }
    if purge_flags & RD_KAFKA_PURGE_F_QUEUE != 0 {
        crate::producer::deliver::purge_queues(&h.client.producer);
    }
    0
}

/// Returns the handle's name, e.g. "rdkafka#producer-1".
#[ffi_fn(default = c"".as_ptr())]
pub unsafe extern "C" fn rd_kafka_name(rk: *const rd_kafka_t) -> *const c_char {
    obj::<Handle>(rk).map_or(c"".as_ptr(), |h| h.cname.as_ptr())
}

/// Returns the handle type (RD_KAFKA_PRODUCER or RD_KAFKA_CONSUMER).
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_type(rk: *const rd_kafka_t) -> rd_kafka_type_t {
    obj::<Handle>(rk).map_or(-1, |h| {
        if h.client.rk.kind == ClientType::Producer {
            RD_KAFKA_PRODUCER
        } else {
            RD_KAFKA_CONSUMER
        }
    })
}

/// Returns the application opaque set with rd_kafka_conf_set_opaque().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_opaque(rk: *const rd_kafka_t) -> *mut c_void {
    obj::<Handle>(rk).map_or(std::ptr::null_mut(), |h| h.cbs.opaque as *mut c_void)
}

/// Waits for the first metadata response up to `timeout_ms`.
unsafe fn wait_metadata(h: &Handle, timeout_ms: c_int) -> bool {
    let deadline = timeout(timeout_ms).map(|d| Instant::now() + d);
    loop {
        if h.client.cache.cluster.read().map(|c| c.brokers_known).unwrap_or(false) {
            return true;
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return false;
        }
        h.client.rk.request_refresh();
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Returns the cluster id (malloc'd; free with rd_kafka_mem_free()) or NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_clusterid(rk: *mut rd_kafka_t, timeout_ms: c_int) -> *mut c_char {
    let Some(h) = obj::<Handle>(rk) else { return std::ptr::null_mut() };
    if !wait_metadata(h, timeout_ms) {
        return std::ptr::null_mut();
    }
    let id = h.client.cache.cluster.read().ok().and_then(|c| c.cluster_id.clone());
    id.map_or(std::ptr::null_mut(), |s| malloc_cstr(&s))
}

/// Returns the current controller broker id, or -1.
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_controllerid(rk: *mut rd_kafka_t, timeout_ms: c_int) -> i32 {
    let Some(h) = obj::<Handle>(rk) else { return -1 };
    if !wait_metadata(h, timeout_ms) {
        return -1;
    }
    h.client.cache.cluster.read().map(|c| c.controller_id).unwrap_or(-1)
}

/// Returns the fatal error code (and its reason in `errstr`), or NO_ERROR.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_fatal_error(
    rk: *mut rd_kafka_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    let Some(h) = obj::<Handle>(rk) else { return ErrorCode::_INVALID_ARG.0 };
    match h.client.rk.fatal_error() {
        Some((code, msg)) => {
            write_errstr(errstr, errstr_size, &msg);
            code.0
        }
        None => 0,
    }
}

/// Sets the log level (syslog levels 0..7).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_set_log_level(rk: *mut rd_kafka_t, level: c_int) {
    if let Some(h) = obj::<Handle>(rk) {
        h.client.rk.log_level.store(level, Ordering::Relaxed);
    }
}

/// The default logger: prints to stderr in librdkafka's format.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_log_print(
    rk: *const rd_kafka_t,
    level: c_int,
    fac: *const c_char,
    buf: *const c_char,
) {
    let name = obj::<Handle>(rk).map_or("", |h| h.client.rk.name.as_str());
    print_log(level, cstr(fac).unwrap_or(""), name, cstr(buf).unwrap_or(""));
}

/// Logger that writes to syslog; here it prints like rd_kafka_log_print.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_log_syslog(
    rk: *const rd_kafka_t,
    level: c_int,
    fac: *const c_char,
    buf: *const c_char,
) {
    rd_kafka_log_print(rk, level, fac, buf)
}

/// Frees memory returned by kafkars (e.g. rd_kafka_clusterid(), kept stats JSON).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mem_free(rk: *mut rd_kafka_t, ptr: *mut c_void) {
    let _ = rk;
    libc::free(ptr)
}

/// calloc() through the library's allocator.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mem_calloc(rk: *mut rd_kafka_t, num: size_t, size: size_t) -> *mut c_void {
    let _ = rk;
    libc::calloc(num, size)
}

/// malloc() through the library's allocator.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mem_malloc(rk: *mut rd_kafka_t, size: size_t) -> *mut c_void {
    let _ = rk;
    libc::malloc(size)
}

/// Makes a blocking rd_kafka_poll() (or similar) return as soon as possible.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_yield(rk: *mut rd_kafka_t) {
    if let Some(h) = obj::<Handle>(rk) {
        h.client.rk.main_q.wake();
    }
}

/// Waits until all handles are destroyed; returns 0, or -1 on timeout.
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_wait_destroyed(timeout_ms: c_int) -> c_int {
    // Destroy is synchronous here: nothing lingers after rd_kafka_destroy() returns.
    let _ = timeout_ms;
    0
}

/// Adds brokers ("host:port,...") at runtime; returns how many were added.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_brokers_add(rk: *mut rd_kafka_t, brokerlist: *const c_char) -> c_int {
    let (Some(h), Some(list)) = (obj::<Handle>(rk), cstr(brokerlist)) else { return 0 };
    h.client.brokers.add_list(list) as c_int
}

/// Returns the librdkafka API version implemented (0xMMmmrrff).
#[ffi_fn(default = crate::RD_KAFKA_VERSION)]
pub unsafe extern "C" fn rd_kafka_version() -> c_int {
    crate::RD_KAFKA_VERSION
}

/// Returns the version string: the librdkafka API level and kafkars' own version.
#[ffi_fn(default = c"2.16.0-kafkars".as_ptr())]
pub unsafe extern "C" fn rd_kafka_version_str() -> *const c_char {
    static V: std::sync::OnceLock<CString> = std::sync::OnceLock::new();
    V.get_or_init(|| to_cstring(&format!("2.16.0-kafkars-{}", env!("CARGO_PKG_VERSION")))).as_ptr()
}

/// Returns the number of threads created by kafkars (librdkafka test helper).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_thread_cnt() -> c_int {
    0
}

/// The debug contexts `debug` accepts, comma-separated (librdkafka's list).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_get_debug_contexts() -> *const c_char {
    c"all,generic,broker,topic,metadata,feature,queue,msg,protocol,cgrp,security,fetch,interceptor,plugin,consumer,admin,eos,mock,assignor,conf".as_ptr()
}

/// The ids of the brokers learned from metadata, in a malloc'd array the caller frees;
/// `*cntp` gets their number.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_brokers_learned_ids(rk: *mut rd_kafka_t, cntp: *mut size_t) -> *mut i32 {
    let Some(h) = obj::<Handle>(rk) else { return std::ptr::null_mut() };
    let ids: Vec<i32> = h.client.brokers.all().iter().map(|b| b.id).filter(|id| *id >= 0).collect();
    if !cntp.is_null() {
        *cntp = ids.len();
    }
    let p = libc::malloc(ids.len().max(1) * std::mem::size_of::<i32>()) as *mut i32;
    if !p.is_null() {
        std::ptr::copy_nonoverlapping(ids.as_ptr(), p, ids.len());
    }
    p
}

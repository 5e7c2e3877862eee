//! The client handle (`rd_kafka_t`) and the handle-wide calls that need nothing else:
//! name, type, cluster and controller ids, fatal error, logging, memory, brokers,
//! versions. Creating and destroying it is `client.rs`; serving its events, `poll.rs`.

use super::boundary::{obj, tag};
use super::conf::{rd_kafka_log_cb_t, Callbacks, ConfHandle, TopicExtras};
use super::interceptor::CInterceptors;
use super::types::*;
use super::util::{cstr, malloc_cstr, timeout_of, to_cstring, write_errstr};
use crate::client::Client;
use crate::conf::ClientType;
use crate::error::ErrorCode;
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, c_void, size_t};
use std::ffi::CString;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What `rd_kafka_t *` points to.
#[repr(C)]
pub(crate) struct Handle {
    /// tag::CLIENT while alive (must stay the first field).
    pub tag: u64,
    pub client: Arc<Client>,
    pub cbs: Callbacks,
    pub topic_extras: TopicExtras,
    pub cname: CString,
    /// The background queue and its serving thread, created on first use.
    pub background: std::sync::OnceLock<Arc<crate::event::Queue>>,
    /// The configuration the handle was made with (rd_kafka_conf()).
    pub conf: Box<ConfHandle>,
    /// Interceptors added by on_new, if any.
    pub icpt: Option<Arc<CInterceptors>>,
    /// The log callback (a rd_kafka_log_cb_t), 0 for the default printer, NO_LOGGER
    /// when log_cb was set to NULL; rd_kafka_set_logger() changes it.
    pub logger: Arc<AtomicUsize>,
    /// The embedded mock cluster's C object, made by rd_kafka_handle_mock_cluster().
    pub mock: std::sync::OnceLock<Box<super::mock_cluster::MockCluster>>,
}

/// Handles between rd_kafka_new()'s start and the handle going live, and from
/// rd_kafka_destroy()'s start to its end: address, type, opaque and name (a C string
/// the handle owns, or null). Callbacks get the handle then (logs, interceptors, the
/// certificate check) and ask rd_kafka_opaque() or rd_kafka_name() for their context,
/// as librdkafka++'s log callback does.
struct Transient {
    rk: usize,
    kind: rd_kafka_type_t,
    opaque: usize,
    name: usize,
}

static TRANSIENT: std::sync::Mutex<Vec<Transient>> = std::sync::Mutex::new(Vec::new());

pub(crate) fn transient_add(
    rk: *const rd_kafka_t,
    kind: rd_kafka_type_t,
    opaque: usize,
    name: *const c_char,
) {
    let t = Transient { rk: rk as usize, kind, opaque, name: name as usize };
    TRANSIENT.lock().unwrap_or_else(|e| e.into_inner()).push(t);
}

pub(crate) fn transient_remove(rk: *const rd_kafka_t) {
    TRANSIENT.lock().unwrap_or_else(|e| e.into_inner()).retain(|t| t.rk != rk as usize);
}

fn transient<T>(rk: *const rd_kafka_t, f: impl FnOnce(&Transient) -> T) -> Option<T> {
    let l = TRANSIENT.lock().unwrap_or_else(|e| e.into_inner());
    l.iter().find(|t| t.rk == rk as usize).map(f)
}

/// `Handle::logger` when the application turned logging off.
pub(crate) const NO_LOGGER: usize = usize::MAX;
pub(crate) type LogCbFn = unsafe extern "C" fn(*const rd_kafka_t, c_int, *const c_char, *const c_char);

tagged!(Handle => rd_kafka_t, tag::CLIENT);

/// Prints a log line the way librdkafka's default logger does.
pub(crate) fn print_log(level: c_int, fac: &str, name: &str, msg: &str) {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    eprintln!("%{}|{}.{:03}|{}|{}| {}", level, now.as_secs(), now.subsec_millis(), fac, name, msg);
}

/// Returns the handle's name, e.g. "rdkafka#producer-1".
#[ffi_fn(default = c"".as_ptr())]
pub unsafe extern "C" fn rd_kafka_name(rk: *const rd_kafka_t) -> *const c_char {
    match obj::<Handle>(rk) {
        Some(h) => h.cname.as_ptr(),
        None => match transient(rk, |t| t.name as *const c_char) {
            Some(p) if !p.is_null() => p,
            _ => c"".as_ptr(),
        },
    }
}

/// Returns the handle type (RD_KAFKA_PRODUCER or RD_KAFKA_CONSUMER).
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_type(rk: *const rd_kafka_t) -> rd_kafka_type_t {
    match obj::<Handle>(rk) {
        Some(h) if h.client.rk.kind == ClientType::Producer => RD_KAFKA_PRODUCER,
        Some(_) => RD_KAFKA_CONSUMER,
        None => transient(rk, |t| t.kind).unwrap_or(-1),
    }
}

/// Returns the application opaque set with rd_kafka_conf_set_opaque().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_opaque(rk: *const rd_kafka_t) -> *mut c_void {
    match obj::<Handle>(rk) {
        Some(h) => h.cbs.opaque as *mut c_void,
        None => transient(rk, |t| t.opaque).unwrap_or(0) as *mut c_void,
    }
}

/// Waits for the first metadata response up to `timeout_ms`.
unsafe fn wait_metadata(h: &Handle, timeout_ms: c_int) -> bool {
    let deadline = timeout_of(timeout_ms).map(|d| Instant::now() + d);
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
    // rd_kafka_name(): a handle still being made or destroyed has its name too.
    let name = cstr(rd_kafka_name(rk)).unwrap_or("");
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

/// The handle's configuration (read-only; it lives as long as the handle).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf(rk: *mut rd_kafka_t) -> *const rd_kafka_conf_t {
    obj::<Handle>(rk).map_or(std::ptr::null(), |h| super::boundary::handle_of(&*h.conf))
}

/// Replaces the log callback (deprecated in librdkafka: set log_cb on the conf).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_set_logger(rk: *mut rd_kafka_t, func: rd_kafka_log_cb_t) {
    if let Some(h) = obj::<Handle>(rk) {
        h.logger.store(func.map_or(0, |f| f as usize), Ordering::Release);
    }
}

/// Raises a fatal error on the handle, for testing how an application handles one
/// ("test_fatal_error: <reason>"). Returns RD_KAFKA_RESP_ERR__PREV_IN_PROGRESS when a
/// fatal error was raised before.
#[ffi_fn(default = ErrorCode::_INVALID_ARG.0)]
pub unsafe extern "C" fn rd_kafka_test_fatal_error(
    rk: *mut rd_kafka_t,
    err: rd_kafka_resp_err_t,
    reason: *const c_char,
) -> rd_kafka_resp_err_t {
    let Some(h) = obj::<Handle>(rk) else { return ErrorCode::_INVALID_ARG.0 };
    let reason = format!("test_fatal_error: {}", cstr(reason).unwrap_or(""));
    if h.client.raise_fatal(ErrorCode(err), reason) {
        0
    } else {
        ErrorCode::_PREV_IN_PROGRESS.0
    }
}

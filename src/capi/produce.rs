//! rd_kafka_produce, rd_kafka_produceva, rd_kafka_produce_batch (rd_kafka_producev is
//! in the C shim, since stable Rust cannot define variadic functions), and the calls
//! that wait for or empty the producer queue: rd_kafka_flush, outq_len, purge.

use super::boundary::{adopt, arc, into_c, obj};
use super::foreign::foreign;
use super::handle::Handle;
use super::poll::poll_main;
use super::types::*;
use super::util::{cstr, set_last_error, timeout_of};
use crate::conf::ClientType;
use crate::error::{ErrorCode, KafkaError};
use crate::instance::Instance;
use crate::message::{Buf, Headers};
use crate::metadata::Topic;
use crate::producer::enqueue::{self as producer, ProduceArgs};
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, c_void, size_t};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Splits the payload per flags: F_COPY copies (into the message's single allocation),
/// F_FREE takes ownership, otherwise the application's buffer is referenced.
unsafe fn payload_parts<'a>(
    payload: *mut c_void,
    len: size_t,
    flags: c_int,
) -> (Option<&'a [u8]>, Option<Buf>) {
    if payload.is_null() {
        (None, None)
    } else if flags & RD_KAFKA_MSG_F_COPY != 0 {
        (Some(std::slice::from_raw_parts(payload as *const u8, len)), None)
    } else {
        (None, Some(Buf::Foreign(foreign(payload, len, flags & RD_KAFKA_MSG_F_FREE != 0))))
    }
}

/// Sizes beyond message.max.bytes are refused before any byte is read (as librdkafka):
/// a bogus length must give MSG_SIZE_TOO_LARGE, not a read past the caller's buffer.
fn too_large(rk: &Instance, len: size_t, keylen: size_t) -> bool {
    len.saturating_add(keylen) > rk.settings.message_max_bytes
}

/// librdkafka always copies the key.
unsafe fn key_slice<'a>(key: *const c_void, len: size_t) -> Option<&'a [u8]> {
    if key.is_null() {
        None
    } else {
        Some(std::slice::from_raw_parts(key as *const u8, len))
    }
}

/// A failed produce leaves the payload with the application: never free it.
fn give_back(r: crate::producer::enqueue::Rejected) -> Option<Box<Headers>> {
    if let Some(Buf::Foreign(mut f)) = r.foreign {
        f.disarm();
    }
    match r.msg {
        Some(mut m) => {
            if let Buf::Foreign(f) = &mut m.payload {
                f.disarm();
            }
            m.accounted = false;
            m.headers.take()
        }
        None => r.headers,
    }
}

/// Produces one message to `rkt`. Returns 0 on success, or -1 with rd_kafka_last_error()
/// and errno set (the payload then still belongs to the caller).
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_produce(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
    msgflags: c_int,
    payload: *mut c_void,
    len: size_t,
    key: *const c_void,
    keylen: size_t,
    msg_opaque: *mut c_void,
) -> c_int {
    // Borrowed: the application's handle keeps the topic alive for the call.
    let Some(topic) = obj::<Topic>(rkt) else {
        set_last_error(ErrorCode::_INVALID_ARG);
        return -1;
    };
    if too_large(&topic.rk, if payload.is_null() { 0 } else { len }, if key.is_null() { 0 } else { keylen }) {
        set_last_error(ErrorCode::MSG_SIZE_TOO_LARGE);
        return -1;
    }
    let (pl, foreign) = payload_parts(payload, len, msgflags);
    let args = ProduceArgs {
        partition,
        payload: pl,
        foreign,
        key: key_slice(key, keylen),
        timestamp: 0,
        headers: None,
        opaque: msg_opaque as usize,
        block: msgflags & RD_KAFKA_MSG_F_BLOCK != 0,
    };
    match producer::produce(topic, args) {
        Ok(()) => {
            set_last_error(ErrorCode::NO_ERROR);
            0
        }
        Err((e, m)) => {
            give_back(m);
            set_last_error(e);
            -1
        }
    }
}

/// Produces one message described by an array of tagged values (RD_KAFKA_VTYPE_*).
/// Returns NULL on success or an error object (free with rd_kafka_error_destroy()).
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_produceva(
    rk: *mut rd_kafka_t,
    vus: *const rd_kafka_vu_t,
    cnt: size_t,
) -> *mut rd_kafka_error_t {
    let err = |code: ErrorCode, msg: &str| super::error::error_to_c(KafkaError::new(code, msg));
    let Some(h) = obj::<Handle>(rk) else { return err(ErrorCode::_INVALID_ARG, "rk is NULL") };
    if vus.is_null() && cnt > 0 {
        return err(ErrorCode::_INVALID_ARG, "vus is NULL");
    }
    let mut topic: Option<Arc<Topic>> = None;
    let mut partition = RD_KAFKA_PARTITION_UA;
    let (mut payload, mut plen) = (std::ptr::null_mut::<c_void>(), 0usize);
    let (mut key, mut klen) = (std::ptr::null::<c_void>(), 0usize);
    let mut opaque = 0usize;
    let mut flags = 0;
    let mut ts = 0i64;
    let mut hdrs: Option<Box<Headers>> = None;
    let mut app_hdrs: *mut rd_kafka_headers_t = std::ptr::null_mut();
    for i in 0..cnt {
        let vu = &*vus.add(i);
        match vu.vtype {
            RD_KAFKA_VTYPE_END => break,
            RD_KAFKA_VTYPE_TOPIC => {
                let Some(name) = cstr(vu.u.cstr) else {
                    return err(ErrorCode::_INVALID_ARG, "Invalid topic name");
                };
                match h.client.cache.topic(name, None, h_partitioner(h)) {
                    Ok(t) => topic = Some(t),
                    Err(e) => return err(ErrorCode::_INVALID_ARG, &e),
                }
            }
            RD_KAFKA_VTYPE_RKT => match arc::<Topic>(vu.u.rkt) {
                Some(t) => topic = Some(t),
                None => return err(ErrorCode::_INVALID_ARG, "Invalid topic handle"),
            },
            RD_KAFKA_VTYPE_PARTITION => partition = vu.u.i32,
            RD_KAFKA_VTYPE_VALUE => {
                payload = vu.u.mem.ptr;
                plen = vu.u.mem.size;
            }
            RD_KAFKA_VTYPE_KEY => {
                key = vu.u.mem.ptr;
                klen = vu.u.mem.size;
            }
            RD_KAFKA_VTYPE_OPAQUE => opaque = vu.u.ptr as usize,
            RD_KAFKA_VTYPE_MSGFLAGS => flags = vu.u.i,
            RD_KAFKA_VTYPE_TIMESTAMP => ts = vu.u.i64,
            RD_KAFKA_VTYPE_HEADER => {
                if !app_hdrs.is_null() {
                    return err(
                        ErrorCode::_CONFLICT,
                        "VTYPE_HEADER and VTYPE_HEADERS are mutually exclusive",
                    );
                }
                let hd = vu.u.header;
                let Some(name) = cstr(hd.name) else {
                    return err(ErrorCode::_INVALID_ARG, "Invalid header name");
                };
                let val = if hd.val.is_null() {
                    None
                } else {
                    let n =
                        if hd.size < 0 { libc::strlen(hd.val as *const c_char) } else { hd.size as usize };
                    Some(std::slice::from_raw_parts(hd.val as *const u8, n))
                };
                hdrs.get_or_insert_with(|| Box::new(Headers::with_capacity(4))).add(name, val);
            }
            RD_KAFKA_VTYPE_HEADERS => {
                if hdrs.is_some() {
                    return err(
                        ErrorCode::_CONFLICT,
                        "VTYPE_HEADER and VTYPE_HEADERS are mutually exclusive",
                    );
                }
                app_hdrs = vu.u.headers;
            }
            _ => return err(ErrorCode::_INVALID_ARG, "Unsupported VTYPE"),
        }
    }
    let Some(topic) = topic else { return err(ErrorCode::_INVALID_ARG, "Topic name or object required") };
    if !app_hdrs.is_null() {
        // Ownership of the headers passes to the message only on success.
        match adopt::<Headers>(app_hdrs) {
            Some(hd) => hdrs = Some(hd),
            None => return err(ErrorCode::_INVALID_ARG, "Invalid headers object"),
        }
    }
    if too_large(&h.client.rk, if payload.is_null() { 0 } else { plen }, if key.is_null() { 0 } else { klen })
    {
        if let (Some(hd), false) = (hdrs, app_hdrs.is_null()) {
            // The application keeps its headers on failure.
            let _ = into_c(hd);
        }
        return err(ErrorCode::MSG_SIZE_TOO_LARGE, &produce_errstr(ErrorCode::MSG_SIZE_TOO_LARGE));
    }
    let (pl, foreign) = payload_parts(payload, plen, flags);
    let args = ProduceArgs {
        partition,
        payload: pl,
        foreign,
        key: key_slice(key, klen),
        timestamp: ts,
        headers: hdrs,
        opaque,
        block: flags & RD_KAFKA_MSG_F_BLOCK != 0,
    };
    match producer::produce(&topic, args) {
        Ok(()) => std::ptr::null_mut(),
        Err((code, m)) => {
            if let Some(hd) = give_back(m) {
                if !app_hdrs.is_null() {
                    // Hand the application's headers back untouched.
                    let _ = into_c(hd);
                }
            }
            err(code, &produce_errstr(code))
        }
    }
}

fn produce_errstr(code: ErrorCode) -> String {
    code.description().to_string()
}

fn h_partitioner(h: &Handle) -> Option<crate::metadata::PartitionerFn> {
    super::topic::partitioner_fn(h.topic_extras)
}

/// Produces an array of messages to `rkt`. Returns how many were enqueued; failed ones
/// have their `err` field set. With RD_KAFKA_MSG_F_PARTITION each message's own
/// `partition` field is used.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_produce_batch(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
    msgflags: c_int,
    rkmessages: *mut rd_kafka_message_t,
    message_cnt: c_int,
) -> c_int {
    let Some(topic) = obj::<Topic>(rkt) else {
        set_last_error(ErrorCode::_INVALID_ARG);
        return 0;
    };
    if rkmessages.is_null() || message_cnt <= 0 {
        return 0;
    }
    let mut ok = 0;
    for i in 0..message_cnt as usize {
        let m = &mut *rkmessages.add(i);
        let part = if msgflags & RD_KAFKA_MSG_F_PARTITION != 0 { m.partition } else { partition };
        if too_large(
            &topic.rk,
            if m.payload.is_null() { 0 } else { m.len },
            if m.key.is_null() { 0 } else { m.key_len },
        ) {
            m.err = ErrorCode::MSG_SIZE_TOO_LARGE.0;
            continue;
        }
        let (pl, foreign) = payload_parts(m.payload, m.len, msgflags);
        let args = ProduceArgs {
            partition: part,
            payload: pl,
            foreign,
            key: key_slice(m.key, m.key_len),
            timestamp: 0,
            headers: None,
            opaque: m._private as usize,
            block: msgflags & RD_KAFKA_MSG_F_BLOCK != 0,
        };
        match producer::produce(topic, args) {
            Ok(()) => {
                m.err = 0;
                ok += 1;
            }
            Err((e, back)) => {
                give_back(back);
                m.err = e.0;
            }
        }
    }
    ok
}

/// Waits until all outstanding produce requests and delivery reports are done, serving
/// rd_kafka_poll() meanwhile. Returns RD_KAFKA_RESP_ERR__TIMED_OUT if `timeout_ms` passed.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_flush(rk: *mut rd_kafka_t, timeout_ms: c_int) -> rd_kafka_resp_err_t {
    let Some(h) = obj::<Handle>(rk) else { return ErrorCode::_INVALID_ARG.0 };
    let c = &h.client;
    let deadline = timeout_of(timeout_ms).map(|d| Instant::now() + d);
    c.producer.flushing.fetch_add(1, Ordering::AcqRel);
    for b in c.brokers.all() {
        b.wake();
    }
    // As librdkafka: serve once without waiting, then wait in steps of at most 10 ms
    // (the count also falls without an event: delivery reports off, purges).
    let mut first = true;
    let res = loop {
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        let step =
            if std::mem::take(&mut first) { 0 } else { left.map_or(10, |l| l.as_millis().min(10) as c_int) };
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
        crate::producer::eos::purge_queues(&h.client.producer);
    }
    0
}

//! rd_kafka_message_* accessors. A `rd_kafka_message_t *` is the address of a core
//! `Message`, whose first field has the C layout.

use super::boundary::{adopt, handle_of_mut, into_c};
use super::types::*;
use crate::consumer::position;
use crate::error::ErrorCode;
use crate::instance::Instance;
use crate::message::{Headers, Message};
use kafkars_macros::ffi_fn;
use libc::c_char;

// `rd_kafka_message_t` is a public struct (C reads its fields and may allocate its
// own), so it cannot carry a type tag: these are its only conversions, and NULL is all
// they can refuse.

pub(crate) unsafe fn msg<'a>(m: *const rd_kafka_message_t) -> Option<&'a Message> {
    (m as *const Message).as_ref()
}

pub(crate) unsafe fn msg_mut<'a>(m: *mut rd_kafka_message_t) -> Option<&'a mut Message> {
    (m as *mut Message).as_mut()
}

/// The C view of a message Rust keeps owning (delivery reports, event messages).
pub(crate) fn msg_c(m: &Message) -> *const rd_kafka_message_t {
    m as *const Message as *const rd_kafka_message_t
}

/// Hands a message to C, which frees it with rd_kafka_message_destroy().
pub(crate) fn msg_into_c(m: Box<Message>) -> *mut rd_kafka_message_t {
    Box::into_raw(m) as *mut rd_kafka_message_t
}

/// Takes back a message `msg_into_c` handed out.
pub(crate) unsafe fn msg_take(m: *mut rd_kafka_message_t) -> Option<Box<Message>> {
    (!m.is_null()).then(|| Box::from_raw(m as *mut Message))
}

/// Frees a message returned by a consume call. Do not call it on delivery reports.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_message_destroy(rkmessage: *mut rd_kafka_message_t) {
    if let Some(m) = msg_take(rkmessage) {
        crate::message::release(m);
    }
}

/// Returns the error string for an errored message, or "" (librdkafka: NULL if no error).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_message_errstr(rkmessage: *const rd_kafka_message_t) -> *const c_char {
    let Some(m) = msg(rkmessage) else { return std::ptr::null() };
    if m.c.err == 0 {
        return std::ptr::null();
    }
    match &m.errstr {
        Some(s) => s.as_ptr(),
        None => super::error::rd_kafka_err2str(m.c.err),
    }
}

/// Returns the message timestamp and, if `tstype` is non-NULL, its type.
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_message_timestamp(
    rkmessage: *const rd_kafka_message_t,
    tstype: *mut rd_kafka_timestamp_type_t,
) -> i64 {
    let Some(m) = msg(rkmessage) else {
        if !tstype.is_null() {
            *tstype = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
        }
        return -1;
    };
    // librdkafka: an errored message has no timestamp.
    let t = if m.c.err != 0 { RD_KAFKA_TIMESTAMP_NOT_AVAILABLE } else { m.tstype };
    if !tstype.is_null() {
        *tstype = t;
    }
    if t == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE {
        -1
    } else {
        m.timestamp
    }
}

/// Produce-to-acknowledgement latency in microseconds, or -1.
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_message_latency(rkmessage: *const rd_kafka_message_t) -> i64 {
    msg(rkmessage).map_or(-1, |m| m.latency_us)
}

/// The broker the message was produced to or fetched from, or -1.
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_message_broker_id(rkmessage: *const rd_kafka_message_t) -> i32 {
    msg(rkmessage).map_or(-1, |m| m.broker_id)
}

/// Persistence status (RD_KAFKA_MSG_STATUS_*).
#[ffi_fn(default = RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED)]
pub unsafe extern "C" fn rd_kafka_message_status(
    rkmessage: *const rd_kafka_message_t,
) -> rd_kafka_msg_status_t {
    msg(rkmessage).map_or(RD_KAFKA_MSG_STATUS_NOT_PERSISTED, |m| m.status)
}

/// The partition leader epoch of the message, or -1.
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_message_leader_epoch(rkmessage: *const rd_kafka_message_t) -> i32 {
    msg(rkmessage).map_or(-1, |m| m.leader_epoch)
}

/// Gets the message's headers (owned by the message). Returns _NOENT if it has none.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_message_headers(
    rkmessage: *const rd_kafka_message_t,
    hdrsp: *mut *mut rd_kafka_headers_t,
) -> rd_kafka_resp_err_t {
    let Some(m) = msg_mut(rkmessage as *mut rd_kafka_message_t) else { return ErrorCode::_INVALID_ARG.0 };
    non_null!(hdrsp, ErrorCode::_INVALID_ARG.0);
    match m.headers.as_mut() {
        Some(h) => {
            *hdrsp = handle_of_mut(&mut **h);
            0
        }
        None => ErrorCode::_NOENT.0,
    }
}

/// Like rd_kafka_message_headers() but transfers ownership of the headers to the caller.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_message_detach_headers(
    rkmessage: *mut rd_kafka_message_t,
    hdrsp: *mut *mut rd_kafka_headers_t,
) -> rd_kafka_resp_err_t {
    let Some(m) = msg_mut(rkmessage) else { return ErrorCode::_INVALID_ARG.0 };
    non_null!(hdrsp, ErrorCode::_INVALID_ARG.0);
    match m.headers.take() {
        Some(h) => {
            *hdrsp = into_c(h);
            0
        }
        None => ErrorCode::_NOENT.0,
    }
}

/// Replaces the message's headers; the message takes ownership of `hdrs` (may be NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_message_set_headers(
    rkmessage: *mut rd_kafka_message_t,
    hdrs: *mut rd_kafka_headers_t,
) {
    let Some(m) = msg_mut(rkmessage) else { return };
    if hdrs.is_null() {
        m.headers = None;
    } else if let Some(h) = adopt::<Headers>(hdrs) {
        // The list lives on in the message: librdkafka hands the same pointer out again.
        m.headers = Some(h);
    }
}

/// The producer's error string for a failed delivery report (NULL when there is no
/// error or no more precise text than the error code's).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_message_produce_errstr(
    rkmessage: *const rd_kafka_message_t,
) -> *const c_char {
    match msg(rkmessage) {
        Some(m) if m.c.err != 0 => m.errstr.as_ref().map_or(std::ptr::null(), |s| s.as_ptr()),
        _ => std::ptr::null(),
    }
}

/// Stores the offset after a consumed message (its offset + 1) for the next commit.
/// Errors: _INVALID_ARG for a failed or non-consumed message, _STATE when its partition
/// is not being consumed (no longer assigned).
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_offset_store_message(
    rkmessage: *mut rd_kafka_message_t,
) -> *mut rd_kafka_error_t {
    use super::error::error_to_c;
    use crate::error::KafkaError;

    let Some(m) = msg(rkmessage) else {
        return error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "Invalid message"));
    };
    if m.c.err != 0 {
        return error_to_c(KafkaError::new(
            ErrorCode::_INVALID_ARG,
            format!("Message consumption failed: {}", ErrorCode(m.c.err).description()),
        ));
    }
    let Some(p) = m.cursor.as_ref() else {
        return error_to_c(KafkaError::new(
            ErrorCode::_INVALID_ARG,
            "Invalid message object, not a consumed message",
        ));
    };
    let mut c = p.lock();
    if !c.fetching {
        return error_to_c(KafkaError::new(ErrorCode::_STATE, "Partition is not assigned"));
    }
    c.store(m.c.offset + 1, m.leader_epoch, None);
    std::ptr::null_mut()
}

/// Hands a fetched message to the application (ownership passes: rd_kafka_message_destroy),
/// or drops it when outdated (fetched before a seek/stop/revoke of its partition).
pub(crate) fn deliver(rk: &Instance, mut m: Box<Message>) -> Option<*mut rd_kafka_message_t> {
    if !position::on_delivered(rk, &m) {
        return None;
    }
    if m.c.err == 0 {
        rk.icpt(|i| i.on_consume(&mut m));
    }
    Some(msg_into_c(m))
}

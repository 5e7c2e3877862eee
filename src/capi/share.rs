//! The share consumer (KIP-932, rd_kafka_share_*): not implemented yet. Every entry point
//! exists so programs built against librdkafka 2.16 load, and fails saying so:
//! rd_kafka_share_consumer_new() returns NULL with that errstr, so no valid share handle
//! ever exists and the other calls answer _NOT_IMPLEMENTED.

use super::error::error_to_c;
use super::types::*;
use super::util::write_errstr;
use crate::error::{ErrorCode, KafkaError};
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, c_void, size_t};

const NOT_IMPLEMENTED: &str = "kafkars: the share consumer (KIP-932) is not implemented yet";

fn not_implemented() -> *mut rd_kafka_error_t {
    error_to_c(KafkaError::new(ErrorCode::_NOT_IMPLEMENTED, NOT_IMPLEMENTED))
}

/// Creates a share consumer: not implemented yet, returns NULL with an errstr saying so
/// (`conf` stays the caller's, as on any rd_kafka_new() failure).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_share_consumer_new(
    conf: *mut rd_kafka_conf_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut rd_kafka_share_t {
    let _ = conf;
    write_errstr(errstr, errstr_size, NOT_IMPLEMENTED);
    super::util::set_last_error(ErrorCode::_NOT_IMPLEMENTED);
    std::ptr::null_mut()
}

/// Sets the acknowledgement commit callback: not implemented yet.
#[ffi_fn(default = not_implemented())]
pub unsafe extern "C" fn rd_kafka_share_set_acknowledgement_commit_cb(
    rkshare: *mut rd_kafka_share_t,
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
    let _ = (rkshare, cb, opaque);
    not_implemented()
}

/// Subscribes a share consumer: not implemented yet.
#[ffi_fn(default = ErrorCode::_NOT_IMPLEMENTED.0)]
pub unsafe extern "C" fn rd_kafka_share_subscribe(
    rkshare: *mut rd_kafka_share_t,
    topics: *const rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    let _ = (rkshare, topics);
    ErrorCode::_NOT_IMPLEMENTED.0
}

/// Unsubscribes a share consumer: not implemented yet.
#[ffi_fn(default = ErrorCode::_NOT_IMPLEMENTED.0)]
pub unsafe extern "C" fn rd_kafka_share_unsubscribe(rkshare: *mut rd_kafka_share_t) -> rd_kafka_resp_err_t {
    let _ = rkshare;
    ErrorCode::_NOT_IMPLEMENTED.0
}

/// A share consumer's subscription: not implemented yet.
#[ffi_fn(default = ErrorCode::_NOT_IMPLEMENTED.0)]
pub unsafe extern "C" fn rd_kafka_share_subscription(
    rkshare: *mut rd_kafka_share_t,
    topics: *mut *mut rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    let _ = rkshare;
    if !topics.is_null() {
        *topics = std::ptr::null_mut();
    }
    ErrorCode::_NOT_IMPLEMENTED.0
}

/// Polls a share consumer for a batch: not implemented yet (`*rkmessages` set to NULL).
#[ffi_fn(default = not_implemented())]
pub unsafe extern "C" fn rd_kafka_share_poll(
    rkshare: *mut rd_kafka_share_t,
    timeout_ms: c_int,
    rkmessages: *mut *mut rd_kafka_messages_t,
) -> *mut rd_kafka_error_t {
    let _ = (rkshare, timeout_ms);
    if !rkmessages.is_null() {
        *rkmessages = std::ptr::null_mut();
    }
    not_implemented()
}

/// Acknowledges a message: not implemented yet.
#[ffi_fn(default = ErrorCode::_NOT_IMPLEMENTED.0)]
pub unsafe extern "C" fn rd_kafka_share_acknowledge(
    rkshare: *mut rd_kafka_share_t,
    rkmessage: *const rd_kafka_message_t,
) -> rd_kafka_resp_err_t {
    let _ = (rkshare, rkmessage);
    ErrorCode::_NOT_IMPLEMENTED.0
}

/// Acknowledges a message with a type: not implemented yet.
#[ffi_fn(default = ErrorCode::_NOT_IMPLEMENTED.0)]
pub unsafe extern "C" fn rd_kafka_share_acknowledge_type(
    rkshare: *mut rd_kafka_share_t,
    rkmessage: *const rd_kafka_message_t,
    ack_type: c_int,
) -> rd_kafka_resp_err_t {
    let _ = (rkshare, rkmessage, ack_type);
    ErrorCode::_NOT_IMPLEMENTED.0
}

/// Acknowledges an offset: not implemented yet.
#[ffi_fn(default = ErrorCode::_NOT_IMPLEMENTED.0)]
pub unsafe extern "C" fn rd_kafka_share_acknowledge_offset(
    rkshare: *mut rd_kafka_share_t,
    topic: *const c_char,
    partition: i32,
    offset: i64,
    ack_type: c_int,
) -> rd_kafka_resp_err_t {
    let _ = (rkshare, topic, partition, offset, ack_type);
    ErrorCode::_NOT_IMPLEMENTED.0
}

/// Commits acknowledgements asynchronously: not implemented yet.
#[ffi_fn(default = not_implemented())]
pub unsafe extern "C" fn rd_kafka_share_commit_async(
    rkshare: *mut rd_kafka_share_t,
) -> *mut rd_kafka_error_t {
    let _ = rkshare;
    not_implemented()
}

/// Commits acknowledgements synchronously: not implemented yet (`*partitions` NULL).
#[ffi_fn(default = not_implemented())]
pub unsafe extern "C" fn rd_kafka_share_commit_sync(
    rkshare: *mut rd_kafka_share_t,
    timeout_ms: c_int,
    partitions: *mut *mut rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_error_t {
    let _ = (rkshare, timeout_ms);
    if !partitions.is_null() {
        *partitions = std::ptr::null_mut();
    }
    not_implemented()
}

/// Closes a share consumer: not implemented yet.
#[ffi_fn(default = not_implemented())]
pub unsafe extern "C" fn rd_kafka_share_consumer_close(
    rkshare: *mut rd_kafka_share_t,
) -> *mut rd_kafka_error_t {
    let _ = rkshare;
    not_implemented()
}

/// Closes a share consumer asynchronously: not implemented yet.
#[ffi_fn(default = not_implemented())]
pub unsafe extern "C" fn rd_kafka_share_consumer_close_queue(
    rkshare: *mut rd_kafka_share_t,
    rkqu: *mut rd_kafka_queue_t,
) -> *mut rd_kafka_error_t {
    let _ = (rkshare, rkqu);
    not_implemented()
}

/// Whether a share consumer is closed: 1 (none is ever open).
#[ffi_fn(default = 1)]
pub unsafe extern "C" fn rd_kafka_share_consumer_closed(rkshare: *mut rd_kafka_share_t) -> c_int {
    let _ = rkshare;
    1
}

/// Destroys a share consumer: nothing to free (none is ever created); NULL-safe.
#[ffi_fn(default = not_implemented())]
pub unsafe extern "C" fn rd_kafka_share_destroy(rkshare: *mut rd_kafka_share_t) -> *mut rd_kafka_error_t {
    if rkshare.is_null() {
        return std::ptr::null_mut();
    }
    not_implemented()
}

/// Destroys a share consumer with flags: see rd_kafka_share_destroy().
#[ffi_fn(default = not_implemented())]
pub unsafe extern "C" fn rd_kafka_share_destroy_flags(
    rkshare: *mut rd_kafka_share_t,
    flags: c_int,
) -> *mut rd_kafka_error_t {
    let _ = flags;
    rd_kafka_share_destroy(rkshare)
}

/// Forwards a share consumer's logs: not implemented yet.
#[ffi_fn(default = not_implemented())]
pub unsafe extern "C" fn rd_kafka_share_set_log_queue(
    rkshare: *mut rd_kafka_share_t,
    rkqu: *mut rd_kafka_queue_t,
) -> *mut rd_kafka_error_t {
    let _ = (rkshare, rkqu);
    not_implemented()
}

/// SASL callbacks on the background thread for a share consumer: not implemented yet.
#[ffi_fn(default = not_implemented())]
pub unsafe extern "C" fn rd_kafka_share_sasl_background_callbacks_enable(
    rkshare: *mut rd_kafka_share_t,
) -> *mut rd_kafka_error_t {
    let _ = rkshare;
    not_implemented()
}

/// SASL credentials for a share consumer: not implemented yet.
#[ffi_fn(default = not_implemented())]
pub unsafe extern "C" fn rd_kafka_share_sasl_set_credentials(
    rkshare: *mut rd_kafka_share_t,
    username: *const c_char,
    password: *const c_char,
) -> *mut rd_kafka_error_t {
    let _ = (rkshare, username, password);
    not_implemented()
}

/// A share consumer's SASL queue: NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_share_queue_get_sasl(
    rkshare: *mut rd_kafka_share_t,
) -> *mut rd_kafka_queue_t {
    let _ = rkshare;
    std::ptr::null_mut()
}

/// OAUTHBEARER token for a share consumer: _NOT_IMPLEMENTED.
#[ffi_fn(default = ErrorCode::_NOT_IMPLEMENTED.0)]
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
    let _ = (rkshare, token_value, md_lifetime_ms, md_principal_name, extensions, extension_size);
    write_errstr(errstr, errstr_size, NOT_IMPLEMENTED);
    ErrorCode::_NOT_IMPLEMENTED.0
}

/// OAUTHBEARER token failure for a share consumer: _NOT_IMPLEMENTED.
#[ffi_fn(default = ErrorCode::_NOT_IMPLEMENTED.0)]
pub unsafe extern "C" fn rd_kafka_share_oauthbearer_set_token_failure(
    rkshare: *mut rd_kafka_share_t,
    errstr: *const c_char,
) -> rd_kafka_resp_err_t {
    let _ = (rkshare, errstr);
    ErrorCode::_NOT_IMPLEMENTED.0
}

/// Entries in an acknowledgement result list (never produced yet): 0.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_share_partition_offsets_list_count(
    list: *const rd_kafka_share_partition_offsets_list_t,
) -> size_t {
    let _ = list;
    0
}

/// An entry of an acknowledgement result list (never produced yet): NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_share_partition_offsets_list_get(
    list: *const rd_kafka_share_partition_offsets_list_t,
    index: size_t,
) -> *const rd_kafka_share_partition_offsets_t {
    let _ = (list, index);
    std::ptr::null()
}

/// Frees an acknowledgement result list (never produced yet): nothing to do.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_share_partition_offsets_list_destroy(
    list: *mut rd_kafka_share_partition_offsets_list_t,
) {
    let _ = list;
}

/// The partition of an acknowledgement result entry: NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_share_partition_offsets_partition(
    po: *const rd_kafka_share_partition_offsets_t,
) -> *const rd_kafka_topic_partition_t {
    let _ = po;
    std::ptr::null()
}

/// The offsets of an acknowledgement result entry: NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_share_partition_offsets_offsets(
    po: *const rd_kafka_share_partition_offsets_t,
) -> *const i64 {
    let _ = po;
    std::ptr::null()
}

/// The offset count of an acknowledgement result entry: 0.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_share_partition_offsets_offsets_cnt(
    po: *const rd_kafka_share_partition_offsets_t,
) -> size_t {
    let _ = po;
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_consumer_fails_clearly() {
        unsafe {
            let conf = super::super::conf::rd_kafka_conf_new();
            let mut errstr = [0 as c_char; 128];
            let rk = rd_kafka_share_consumer_new(conf, errstr.as_mut_ptr(), errstr.len());
            assert!(rk.is_null());
            let msg = std::ffi::CStr::from_ptr(errstr.as_ptr()).to_str().unwrap();
            assert_eq!(msg, NOT_IMPLEMENTED);
            super::super::conf::rd_kafka_conf_destroy(conf); // still the caller's
            let mut batch = std::ptr::dangling_mut::<rd_kafka_messages_t>();
            let e = rd_kafka_share_poll(std::ptr::null_mut(), 0, &mut batch);
            assert!(batch.is_null());
            assert_eq!(super::super::error::rd_kafka_error_code(e), ErrorCode::_NOT_IMPLEMENTED.0);
            super::super::error::rd_kafka_error_destroy(e);
            assert_eq!(
                rd_kafka_share_subscribe(std::ptr::null_mut(), std::ptr::null()),
                ErrorCode::_NOT_IMPLEMENTED.0
            );
            assert!(rd_kafka_share_destroy(std::ptr::null_mut()).is_null());
            assert_eq!(super::super::compat::rd_kafka_messages_count(std::ptr::null()), 0);
            assert!(super::super::compat::rd_kafka_messages_get(std::ptr::null(), 0).is_null());
        }
    }
}

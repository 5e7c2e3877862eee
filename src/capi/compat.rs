//! The rest of librdkafka's surface that kcat and confluent-kafka-python import: the
//! log queue, SASL/OAUTHBEARER entry points (kafkars has no SASL
//! yet: they answer as a librdkafka built without it) and the share consumer (KIP-932),
//! whose entry points fail saying it is not implemented.

use super::boundary::{obj, obj_mut, opt_obj};
use super::conf::{rd_kafka_oauthbearer_token_refresh_cb_t, ConfHandle};
use super::error::error_to_c;
use super::handle::Handle;
use super::queue::QueueHandle;
use super::types::*;
use super::util::write_errstr;
use crate::error::{ErrorCode, KafkaError};
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, size_t};

/// Sets the OAUTHBEARER token refresh callback. kafkars has no SASL yet, so it is never
/// called.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_oauthbearer_token_refresh_cb(
    conf: *mut rd_kafka_conf_t,
    cb: rd_kafka_oauthbearer_token_refresh_cb_t,
) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.oauthbearer_token_refresh_cb = cb;
    }
}

/// Enables the SASL callback queue (rd_kafka_queue_get_sasl()); it only ever carries
/// events of SASL mechanisms using callbacks, which kafkars does not have yet.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_enable_sasl_queue(conf: *mut rd_kafka_conf_t, enable: c_int) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.sasl_queue = enable != 0;
    }
}

/// Forwards logs (and debug) to `rkqu`, or to the main queue if NULL, to be served by a
/// poll call on the application's thread. Requires log.queue=true, else
/// RD_KAFKA_RESP_ERR__NOT_CONFIGURED; logs wait until a queue is set.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_set_log_queue(
    rk: *mut rd_kafka_t,
    rkqu: *mut rd_kafka_queue_t,
) -> rd_kafka_resp_err_t {
    let Some(h) = obj::<Handle>(rk) else { return ErrorCode::_INVALID_ARG.0 };
    let Some(logq) = &h.client.rk.log_q else { return ErrorCode::_NOT_CONFIGURED.0 };
    let dst = match opt_obj::<QueueHandle>(rkqu) {
        Ok(Some(q)) => q.q.clone(),
        Ok(None) => h.client.rk.main_q.clone(),
        Err(_) => return ErrorCode::_INVALID_ARG.0,
    };
    logq.forward(Some(dst));
    0
}

/// The SASL callback queue: NULL, as no SASL mechanism using callbacks is configured
/// (kafkars has no SASL yet).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_queue_get_sasl(rk: *mut rd_kafka_t) -> *mut rd_kafka_queue_t {
    let _ = rk;
    std::ptr::null_mut()
}

/// Serves SASL callbacks on the background thread: fails with _NOT_CONFIGURED, as no
/// SASL mechanism using callbacks is configured.
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_sasl_background_callbacks_enable(
    rk: *mut rd_kafka_t,
) -> *mut rd_kafka_error_t {
    let _ = rk;
    error_to_c(KafkaError::new(ErrorCode::_NOT_CONFIGURED, "No SASL mechanism using callbacks is configured"))
}

/// Sets the SASL username and password used by later authentications. kafkars has no
/// SASL yet (a SASL security.protocol is refused by rd_kafka_new), so nothing uses them.
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_sasl_set_credentials(
    rk: *mut rd_kafka_t,
    username: *const c_char,
    password: *const c_char,
) -> *mut rd_kafka_error_t {
    if username.is_null() || password.is_null() {
        return error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "Username and password are required"));
    }
    if obj::<Handle>(rk).is_none() {
        return error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "Invalid handle"));
    }
    std::ptr::null_mut()
}

const NO_OAUTHBEARER: &str = "kafkars: SASL OAUTHBEARER is not implemented yet";

/// Sets the OAUTHBEARER token: _NOT_IMPLEMENTED, as from a librdkafka built without
/// SASL OAUTHBEARER support.
#[ffi_fn(default = ErrorCode::_NOT_IMPLEMENTED.0)]
pub unsafe extern "C" fn rd_kafka_oauthbearer_set_token(
    rk: *mut rd_kafka_t,
    token_value: *const c_char,
    md_lifetime_ms: i64,
    md_principal_name: *const c_char,
    extensions: *mut *const c_char,
    extension_size: size_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    let _ = (rk, token_value, md_lifetime_ms, md_principal_name, extensions, extension_size);
    write_errstr(errstr, errstr_size, NO_OAUTHBEARER);
    ErrorCode::_NOT_IMPLEMENTED.0
}

/// Reports a failed OAUTHBEARER token refresh: _NOT_IMPLEMENTED (no SASL yet).
#[ffi_fn(default = ErrorCode::_NOT_IMPLEMENTED.0)]
pub unsafe extern "C" fn rd_kafka_oauthbearer_set_token_failure(
    rk: *mut rd_kafka_t,
    errstr: *const c_char,
) -> rd_kafka_resp_err_t {
    let _ = (rk, errstr);
    ErrorCode::_NOT_IMPLEMENTED.0
}

/// How many times a share-consumer message was delivered: 0, as for every message of a
/// regular consumer or producer.
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_message_delivery_count(rkmessage: *const rd_kafka_message_t) -> i16 {
    let _ = rkmessage;
    0
}

/// Message count of a share-consumer batch (never produced by kafkars yet): 0.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_messages_count(messages: *const rd_kafka_messages_t) -> size_t {
    let _ = messages;
    0
}

/// A message of a share-consumer batch (never produced by kafkars yet): NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_messages_get(
    messages: *const rd_kafka_messages_t,
    index: size_t,
) -> *mut rd_kafka_message_t {
    let _ = (messages, index);
    std::ptr::null_mut()
}

/// Frees a share-consumer batch (NULL-safe; kafkars never hands one out yet).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_messages_destroy(messages: *mut rd_kafka_messages_t) {
    let _ = messages;
}

//! The rest of librdkafka's surface that kcat and confluent-kafka-python import: the
//! log queue and the SASL entry points (credentials, OAUTHBEARER tokens, the SASL queue).

use super::background::background_queue;
use super::boundary::{obj, obj_mut, opt_obj};
use super::conf::{rd_kafka_oauthbearer_token_refresh_cb_t, ConfHandle};
use super::error::error_to_c;
use super::handle::Handle;
use super::queue::new_handle;
use super::queue::QueueHandle;
use super::types::*;
use super::util::{cstr, write_errstr, write_errstr_bytes};
use crate::error::{ErrorCode, KafkaError};
use crate::security::oauthbearer::Token;
use crate::security::sasl::Mechanism;
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, size_t};

/// Sets the OAUTHBEARER token refresh callback, called from rd_kafka_poll() (or the
/// SASL queue's poll) when a token is needed: at start and at 80% of its lifetime.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_oauthbearer_token_refresh_cb(
    conf: *mut rd_kafka_conf_t,
    cb: rd_kafka_oauthbearer_token_refresh_cb_t,
) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.oauthbearer_token_refresh_cb = cb;
        let _ = c.conf.set_ptr("oauthbearer_token_refresh_cb", cb.map_or(0, |f| f as usize));
    }
}

/// Enables the SASL callback queue (rd_kafka_queue_get_sasl()): OAUTHBEARER token
/// refreshes are served from it instead of the main queue.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_enable_sasl_queue(conf: *mut rd_kafka_conf_t, enable: c_int) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.sasl_queue = enable != 0;
        let _ = c.conf.set("enable_sasl_queue", if enable != 0 { "true" } else { "false" });
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

/// The SASL callback queue (OAUTHBEARER with rd_kafka_conf_enable_sasl_queue(), or
/// OIDC): a new reference, destroy with rd_kafka_queue_destroy(); NULL when none.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_queue_get_sasl(rk: *mut rd_kafka_t) -> *mut rd_kafka_queue_t {
    let Some(h) = obj::<Handle>(rk) else { return std::ptr::null_mut() };
    match &h.client.rk.sasl_q {
        Some(q) => new_handle(q.clone(), rk),
        None => std::ptr::null_mut(),
    }
}

/// Serves SASL callbacks (the token refresh callback) on kafkars' background thread,
/// so the application need not poll for them; _NOT_CONFIGURED without a SASL queue.
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_sasl_background_callbacks_enable(
    rk: *mut rd_kafka_t,
) -> *mut rd_kafka_error_t {
    let Some(h) = obj::<Handle>(rk) else {
        return error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "Invalid handle"));
    };
    let Some(saslq) = h.client.rk.sasl_q.clone() else {
        return error_to_c(KafkaError::new(
            ErrorCode::_NOT_CONFIGURED,
            "No SASL mechanism using callbacks is configured",
        ));
    };
    let Some(bgq) = background_queue(rk) else {
        return error_to_c(KafkaError::new(
            ErrorCode::_CRIT_SYS_RESOURCE,
            "The background thread is not available",
        ));
    };
    saslq.forward(Some(bgq));
    std::ptr::null_mut()
}

/// Sets the SASL username and password (PLAIN, SCRAM) used from the next
/// authentication on; connections already authenticated stay as they are.
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_sasl_set_credentials(
    rk: *mut rd_kafka_t,
    username: *const c_char,
    password: *const c_char,
) -> *mut rd_kafka_error_t {
    let (Some(user), Some(pass)) = (cstr(username), cstr(password)) else {
        return error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "Username and password are required"));
    };
    let Some(h) = obj::<Handle>(rk) else {
        return error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "Invalid handle"));
    };
    if let Some(sasl) = &h.client.rk.sasl {
        sasl.set_credentials(user, pass);
    }
    std::ptr::null_mut()
}

/// Sets the OAUTHBEARER token (from the refresh callback): checked as librdkafka checks
/// it; brokers waiting for a token connect at once. _STATE when OAUTHBEARER is not the
/// configured mechanism, _INVALID_ARG (errstr says why) for a bad token.
#[ffi_fn(default = ErrorCode::_INVALID_ARG.0)]
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
    let Some(h) = obj::<Handle>(rk) else { return ErrorCode::_INVALID_ARG.0 };
    let Some(sasl) = h.client.rk.sasl.as_ref().filter(|s| s.mechanism == Mechanism::OAuthBearer) else {
        write_errstr(errstr, errstr_size, "SASL/OAUTHBEARER is not the configured authentication mechanism");
        return ErrorCode::_STATE.0;
    };
    let (Some(value), Some(principal)) = (cstr(token_value), cstr(md_principal_name)) else {
        let which = if token_value.is_null() { "token_value" } else { "md_principal_name" };
        write_errstr(errstr, errstr_size, &format!("{which} must not be NULL"));
        return ErrorCode::_INVALID_ARG.0;
    };
    if !extension_size.is_multiple_of(2) {
        write_errstr(
            errstr,
            errstr_size,
            &format!("Incorrect extension size (must be a non-negative multiple of 2): {extension_size}"),
        );
        return ErrorCode::_INVALID_ARG.0;
    }
    let mut ext = Vec::with_capacity(extension_size / 2);
    if extension_size > 0 && !extensions.is_null() {
        let list = std::slice::from_raw_parts(extensions, extension_size);
        for kv in list.chunks(2) {
            ext.push((cstr(kv[0]).unwrap_or("").to_string(), cstr(kv[1]).unwrap_or("").to_string()));
        }
    }
    let token = Token {
        value: value.to_string(),
        principal: principal.to_string(),
        extensions: ext,
        lifetime_ms: md_lifetime_ms,
    };
    match sasl.tokens.set(token) {
        Ok(()) => {
            h.client.rk.dbg(crate::instance::dbg::SECURITY, "BRKMAIN", || {
                "Waking up waiting broker threads after setting OAUTHBEARER token".into()
            });
            h.client.brokers.wake_all();
            0
        }
        Err((code, e)) => {
            write_errstr_bytes(errstr, errstr_size, &e);
            code.0
        }
    }
}

/// Reports that the refresh callback could not get a token: the error is raised once
/// (error_cb, _AUTHENTICATION) and the refresh retried in 10 s; a token still valid
/// stays in use.
#[ffi_fn(default = ErrorCode::_INVALID_ARG.0)]
pub unsafe extern "C" fn rd_kafka_oauthbearer_set_token_failure(
    rk: *mut rd_kafka_t,
    errstr: *const c_char,
) -> rd_kafka_resp_err_t {
    let Some(h) = obj::<Handle>(rk) else { return ErrorCode::_INVALID_ARG.0 };
    let Some(sasl) = h.client.rk.sasl.as_ref().filter(|s| s.mechanism == Mechanism::OAuthBearer) else {
        return ErrorCode::_STATE.0;
    };
    let Some(reason) = cstr(errstr).filter(|e| !e.is_empty()) else { return ErrorCode::_INVALID_ARG.0 };
    if sasl.tokens.set_failure(reason) {
        h.client
            .rk
            .error(ErrorCode::_AUTHENTICATION, format!("Failed to acquire SASL OAUTHBEARER token: {reason}"));
    }
    0
}

//! rd_kafka_AdminOptions_*: the C handle over `admin::AdminOptions`.

use super::conv::{errstr_result, int_array, IntoC};
use super::{rd_kafka_AdminOptions_t, rd_kafka_IsolationLevel_t, rd_kafka_admin_op_t};
use super::{rd_kafka_consumer_group_state_t, rd_kafka_consumer_group_type_t};
use crate::admin::{AdminOp, AdminOptions};
use crate::capi::boundary::{destroy, obj, obj_mut, tag};
use crate::capi::error::{error_to_c, result_to_c};
use crate::capi::handle::Handle;
use crate::capi::types::*;
use crate::capi::util::write_errstr;
use crate::error::{ErrorCode, KafkaError};
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, c_void, size_t};
use std::ptr::null_mut;

/// What `rd_kafka_AdminOptions_t *` points to.
#[repr(C)]
pub(super) struct AdminOptionsHandle {
    /// tag::ADMIN_OPTIONS while alive (must stay the first field).
    tag: u64,
    pub(super) options: AdminOptions,
}

tagged!(AdminOptionsHandle => rd_kafka_AdminOptions_t, tag::ADMIN_OPTIONS);

/// The client's socket.timeout.ms, which librdkafka's admin requests time out after by
/// default (None without a client).
unsafe fn socket_timeout_ms(rk: *mut rd_kafka_t) -> Option<i64> {
    obj::<Handle>(rk).map(|h| h.client.rk.settings.socket_timeout_ms)
}

/// Creates admin options for `for_api` (RD_KAFKA_ADMIN_OP_*, ANY for all); NULL if
/// `for_api` is out of range. Destroy with rd_kafka_AdminOptions_destroy().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AdminOptions_new(
    rk: *mut rd_kafka_t,
    for_api: rd_kafka_admin_op_t,
) -> *mut rd_kafka_AdminOptions_t {
    let op = AdminOp::from_number(for_api);
    // 0 is RD_KAFKA_ADMIN_OP_ANY: options for every operation.
    if op.is_none() && for_api != 0 {
        return null_mut();
    }
    AdminOptionsHandle { tag: tag::ADMIN_OPTIONS, options: AdminOptions::new(op, socket_timeout_ms(rk)) }
        .into_c()
}

/// Destroys admin options (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AdminOptions_destroy(options: *mut rd_kafka_AdminOptions_t) {
    destroy::<AdminOptionsHandle>(options)
}

/// Sets an integer option: NO_ERROR, or an error code with `errstr` filled.
unsafe fn set_int(
    options: *mut rd_kafka_AdminOptions_t,
    errstr: *mut c_char,
    errstr_size: size_t,
    set: impl FnOnce(&mut AdminOptions) -> Result<(), KafkaError>,
) -> rd_kafka_resp_err_t {
    let Some(o) = obj_mut::<AdminOptionsHandle>(options) else {
        write_errstr(errstr, errstr_size, "options must not be NULL");
        return ErrorCode::_INVALID_ARG.0;
    };
    errstr_result(set(&mut o.options), errstr, errstr_size)
}

/// Sets an option, answering with an error object (NULL on success).
unsafe fn set_int_e(
    options: *mut rd_kafka_AdminOptions_t,
    set: impl FnOnce(&mut AdminOptions) -> Result<(), KafkaError>,
) -> *mut rd_kafka_error_t {
    let Some(o) = obj_mut::<AdminOptionsHandle>(options) else {
        return error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "options must not be NULL"));
    };
    result_to_c(set(&mut o.options))
}

/// Sets the overall request timeout (0..3600000 ms).
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_request_timeout(
    options: *mut rd_kafka_AdminOptions_t,
    timeout_ms: c_int,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    set_int(options, errstr, errstr_size, |o| o.set_request_timeout(timeout_ms))
}

/// Sets the broker-side operation timeout (-1..3600000 ms) for the operations that have one.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_operation_timeout(
    options: *mut rd_kafka_AdminOptions_t,
    timeout_ms: c_int,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    set_int(options, errstr, errstr_size, |o| o.set_operation_timeout(timeout_ms))
}

/// Asks the broker to only validate the request (0 or 1) where the operation supports it.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_validate_only(
    options: *mut rd_kafka_AdminOptions_t,
    true_or_false: c_int,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    set_int(options, errstr, errstr_size, |o| o.set_validate_only(true_or_false))
}

/// Sends the request to broker `broker_id` instead of the controller/coordinator.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_broker(
    options: *mut rd_kafka_AdminOptions_t,
    broker_id: i32,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    set_int(options, errstr, errstr_size, |o| o.set_broker(broker_id))
}

/// Requires stable offsets (ListConsumerGroupOffsets). Returns NULL or an error object.
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_require_stable_offsets(
    options: *mut rd_kafka_AdminOptions_t,
    true_or_false: c_int,
) -> *mut rd_kafka_error_t {
    set_int_e(options, |o| o.set_require_stable_offsets(true_or_false))
}

/// Asks for authorized operations in describe results. Returns NULL or an error object.
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_include_authorized_operations(
    options: *mut rd_kafka_AdminOptions_t,
    true_or_false: c_int,
) -> *mut rd_kafka_error_t {
    set_int_e(options, |o| o.set_include_authorized_operations(true_or_false))
}

/// Sets the isolation level (ListOffsets). Returns NULL or an error object.
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_isolation_level(
    options: *mut rd_kafka_AdminOptions_t,
    value: rd_kafka_IsolationLevel_t,
) -> *mut rd_kafka_error_t {
    set_int_e(options, |o| o.set_isolation_level(value))
}

/// Sets a list of enum values (`cnt` at `vals`; `what` names one in the error when the
/// array is missing).
unsafe fn set_list(
    options: *mut rd_kafka_AdminOptions_t,
    vals: *const c_int,
    cnt: size_t,
    what: &str,
    set: impl FnOnce(&mut AdminOptions, &[c_int]) -> Result<(), KafkaError>,
) -> *mut rd_kafka_error_t {
    let Some(o) = obj_mut::<AdminOptionsHandle>(options) else {
        return error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "options must not be NULL"));
    };
    let Some(vals) = int_array(vals, cnt) else {
        return error_to_c(KafkaError::new(
            ErrorCode::_INVALID_ARG,
            format!("{what} array must not be NULL"),
        ));
    };
    result_to_c(set(&mut o.options, vals))
}

/// Lists only groups in these states (ListConsumerGroups). Returns NULL or an error object.
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_match_consumer_group_states(
    options: *mut rd_kafka_AdminOptions_t,
    consumer_group_states: *const rd_kafka_consumer_group_state_t,
    consumer_group_states_cnt: size_t,
) -> *mut rd_kafka_error_t {
    set_list(options, consumer_group_states, consumer_group_states_cnt, "consumer group state", |o, v| {
        o.set_match_consumer_group_states(v)
    })
}

/// Lists only groups of these types (ListConsumerGroups; UNKNOWN is not allowed). Returns
/// NULL or an error object.
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_match_consumer_group_types(
    options: *mut rd_kafka_AdminOptions_t,
    consumer_group_types: *const rd_kafka_consumer_group_type_t,
    consumer_group_types_cnt: size_t,
) -> *mut rd_kafka_error_t {
    set_list(options, consumer_group_types, consumer_group_types_cnt, "consumer group type", |o, v| {
        o.set_match_consumer_group_types(v)
    })
}

/// Sets the opaque that the result event's rd_kafka_event_opaque() returns.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_opaque(
    options: *mut rd_kafka_AdminOptions_t,
    ev_opaque: *mut c_void,
) {
    if let Some(o) = obj_mut::<AdminOptionsHandle>(options) {
        o.options.set_opaque(ev_opaque as usize);
    }
}

#[cfg(test)]
mod tests {
    use super::super::conv::test_util::{errbuf, s};
    use super::*;
    use crate::capi::error::{rd_kafka_error_code, rd_kafka_error_destroy};

    #[test]
    fn admin_options_validate_like_librdkafka() {
        unsafe {
            assert!(rd_kafka_AdminOptions_new(null_mut(), -1).is_null());
            assert!(rd_kafka_AdminOptions_new(null_mut(), 23).is_null());
            let o = rd_kafka_AdminOptions_new(null_mut(), 2); // DeleteTopics
                                                              // Made for DeleteTopics: validate_only is not for it (below).
            let mut e = errbuf();
            let (ep, el) = (e.as_mut_ptr(), e.len());
            assert_eq!(rd_kafka_AdminOptions_set_request_timeout(o, 5000, ep, el), 0);
            assert_eq!(rd_kafka_AdminOptions_set_request_timeout(o, -5, ep, el), ErrorCode::_INVALID_ARG.0);
            assert_eq!(rd_kafka_AdminOptions_set_operation_timeout(o, -1, ep, el), 0);
            assert_eq!(rd_kafka_AdminOptions_set_validate_only(o, 1, ep, el), ErrorCode::_INVALID_ARG.0);
            assert!(s(ep).contains("validate_only"));
            assert_eq!(rd_kafka_AdminOptions_set_broker(o, -1, ep, el), ErrorCode::_INVALID_ARG.0);
            assert_eq!(rd_kafka_AdminOptions_set_broker(o, 3, ep, el), 0);
            let err = rd_kafka_AdminOptions_set_require_stable_offsets(o, 1);
            assert_eq!(rd_kafka_error_code(err), ErrorCode::_INVALID_ARG.0);
            rd_kafka_error_destroy(err);
            rd_kafka_AdminOptions_destroy(o);

            let o = rd_kafka_AdminOptions_new(null_mut(), 0);
            assert_eq!(rd_kafka_AdminOptions_set_validate_only(o, 2, ep, el), ErrorCode::_INVALID_ARG.0);
            assert_eq!(rd_kafka_AdminOptions_set_validate_only(o, 1, ep, el), 0);
            assert!(rd_kafka_AdminOptions_set_isolation_level(o, 1).is_null());
            assert!(rd_kafka_AdminOptions_set_include_authorized_operations(o, 1).is_null());
            let states = [3, 5];
            assert!(rd_kafka_AdminOptions_set_match_consumer_group_states(o, states.as_ptr(), 2).is_null());
            let dup = [3, 3];
            let err = rd_kafka_AdminOptions_set_match_consumer_group_states(o, dup.as_ptr(), 2);
            assert_eq!(rd_kafka_error_code(err), ErrorCode::_INVALID_ARG.0);
            rd_kafka_error_destroy(err);
            let err = rd_kafka_AdminOptions_set_match_consumer_group_states(o, std::ptr::null(), 1);
            assert_eq!(rd_kafka_error_code(err), ErrorCode::_INVALID_ARG.0);
            rd_kafka_error_destroy(err);
            assert!(rd_kafka_AdminOptions_set_match_consumer_group_states(o, std::ptr::null(), 0).is_null());
            let unknown = [0];
            let err = rd_kafka_AdminOptions_set_match_consumer_group_types(o, unknown.as_ptr(), 1);
            assert_eq!(rd_kafka_error_code(err), ErrorCode::_INVALID_ARG.0);
            rd_kafka_error_destroy(err);
            let types = [1, 2];
            assert!(rd_kafka_AdminOptions_set_match_consumer_group_types(o, types.as_ptr(), 2).is_null());
            rd_kafka_AdminOptions_destroy(o);

            // NULL options never crash.
            assert_eq!(
                rd_kafka_AdminOptions_set_request_timeout(null_mut(), 1, ep, el),
                ErrorCode::_INVALID_ARG.0
            );
            let err = rd_kafka_AdminOptions_set_isolation_level(null_mut(), 0);
            assert_eq!(rd_kafka_error_code(err), ErrorCode::_INVALID_ARG.0);
            rd_kafka_error_destroy(err);
            rd_kafka_AdminOptions_set_opaque(null_mut(), null_mut());
            rd_kafka_AdminOptions_destroy(null_mut());
        }
    }
}

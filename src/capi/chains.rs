//! Interceptor chains (librdkafka's interceptor lists): functions added with a name
//! and an opaque, called in the order they were added. A name may add a given
//! function once per chain (_CONFLICT), except to on_conf_destroy, as in librdkafka.
//! The configuration-level chains travel with the conf object; the instance-level ones
//! are filled by on_new interceptors (see `interceptor`).

use super::types::*;
use super::util::{cstr, to_cstring};
use crate::error::ErrorCode;
use libc::{c_char, c_int, c_void, size_t};

pub type on_conf_set_t = unsafe extern "C" fn(
    *mut rd_kafka_conf_t,
    *const c_char,
    *const c_char,
    *mut c_char,
    size_t,
    *mut c_void,
) -> rd_kafka_conf_res_t;
pub type on_conf_dup_t = unsafe extern "C" fn(
    *mut rd_kafka_conf_t,
    *const rd_kafka_conf_t,
    size_t,
    *const *const c_char,
    *mut c_void,
) -> rd_kafka_resp_err_t;
pub type on_conf_destroy_t = unsafe extern "C" fn(*mut c_void) -> rd_kafka_resp_err_t;
pub type on_new_t = unsafe extern "C" fn(
    *mut rd_kafka_t,
    *const rd_kafka_conf_t,
    *mut c_void,
    *mut c_char,
    size_t,
) -> rd_kafka_resp_err_t;
pub type on_destroy_t = unsafe extern "C" fn(*mut rd_kafka_t, *mut c_void) -> rd_kafka_resp_err_t;
/// on_send, on_acknowledgement and on_consume.
pub type on_message_t =
    unsafe extern "C" fn(*mut rd_kafka_t, *mut rd_kafka_message_t, *mut c_void) -> rd_kafka_resp_err_t;
pub type on_commit_t = unsafe extern "C" fn(
    *mut rd_kafka_t,
    *const rd_kafka_topic_partition_list_t,
    rd_kafka_resp_err_t,
    *mut c_void,
) -> rd_kafka_resp_err_t;
pub type on_request_sent_t = unsafe extern "C" fn(
    *mut rd_kafka_t,
    c_int,
    *const c_char,
    i32,
    i16,
    i16,
    i32,
    size_t,
    *mut c_void,
) -> rd_kafka_resp_err_t;
pub type on_response_received_t = unsafe extern "C" fn(
    *mut rd_kafka_t,
    c_int,
    *const c_char,
    i32,
    i16,
    i16,
    i32,
    size_t,
    i64,
    rd_kafka_resp_err_t,
    *mut c_void,
) -> rd_kafka_resp_err_t;
pub type on_thread_t =
    unsafe extern "C" fn(*mut rd_kafka_t, c_int, *const c_char, *mut c_void) -> rd_kafka_resp_err_t;
pub type on_broker_state_change_t = unsafe extern "C" fn(
    *mut rd_kafka_t,
    i32,
    *const c_char,
    *const c_char,
    c_int,
    *const c_char,
    *mut c_void,
) -> rd_kafka_resp_err_t;

// librdkafka's interceptor function types (typedefs of function types, so the add
// functions take `rd_kafka_interceptor_f_on_send_t *`): declared in the header's
// prelude (build.rs); here only markers for the pointer parameters.
pub struct rd_kafka_interceptor_f_on_conf_set_t {
    _function: [u8; 0],
}
pub struct rd_kafka_interceptor_f_on_conf_dup_t {
    _function: [u8; 0],
}
pub struct rd_kafka_interceptor_f_on_conf_destroy_t {
    _function: [u8; 0],
}
pub struct rd_kafka_interceptor_f_on_new_t {
    _function: [u8; 0],
}
pub struct rd_kafka_interceptor_f_on_destroy_t {
    _function: [u8; 0],
}
pub struct rd_kafka_interceptor_f_on_send_t {
    _function: [u8; 0],
}
pub struct rd_kafka_interceptor_f_on_acknowledgement_t {
    _function: [u8; 0],
}
pub struct rd_kafka_interceptor_f_on_consume_t {
    _function: [u8; 0],
}
pub struct rd_kafka_interceptor_f_on_commit_t {
    _function: [u8; 0],
}
pub struct rd_kafka_interceptor_f_on_request_sent_t {
    _function: [u8; 0],
}
pub struct rd_kafka_interceptor_f_on_response_received_t {
    _function: [u8; 0],
}
pub struct rd_kafka_interceptor_f_on_thread_start_t {
    _function: [u8; 0],
}
pub struct rd_kafka_interceptor_f_on_thread_exit_t {
    _function: [u8; 0],
}
pub struct rd_kafka_interceptor_f_on_broker_state_change_t {
    _function: [u8; 0],
}

/// The function a `rd_kafka_interceptor_f_*_t *` parameter points to.
pub(crate) fn fn_of<T, F: Copy>(p: *mut T) -> Option<F> {
    // SAFETY: F is the function pointer type the marker T stands for; NULL is None.
    (!p.is_null()).then(|| unsafe { std::mem::transmute_copy::<*mut T, F>(&p) })
}

/// One interceptor function with its interceptor's name and opaque.
#[derive(Clone)]
pub(crate) struct Method<F> {
    pub name: String,
    pub f: F,
    pub opaque: *mut c_void,
}

/// A chain of interceptor functions.
pub(crate) type Chain<F> = Vec<Method<F>>;

/// Adds `f` to `chain`, refusing the same function from the same interceptor twice
/// when `unique`.
pub(crate) unsafe fn add<F: Copy>(
    chain: &mut Chain<F>,
    name: *const c_char,
    f: Option<F>,
    opaque: *mut c_void,
    unique: bool,
    same: impl Fn(&F, &F) -> bool,
) -> rd_kafka_resp_err_t {
    let (Some(name), Some(f)) = (cstr(name), f) else { return ErrorCode::_INVALID_ARG.0 };
    if unique && chain.iter().any(|m| m.name == name && same(&m.f, &f)) {
        return ErrorCode::_CONFLICT.0;
    }
    chain.push(Method { name: name.to_string(), f, opaque });
    0
}

/// The configuration-level chains, and the properties interceptors took.
#[derive(Clone, Default)]
pub(crate) struct ConfChains {
    pub on_conf_set: Chain<on_conf_set_t>,
    pub on_conf_dup: Chain<on_conf_dup_t>,
    pub on_conf_destroy: Chain<on_conf_destroy_t>,
    pub on_new: Chain<on_new_t>,
    /// Properties an on_conf_set answered OK for: applied again to a duplicate.
    pub config: Vec<(String, Option<String>)>,
}

impl ConfChains {
    /// The on_conf_destroy chain: the conf (or the handle made from it) is gone.
    pub(crate) fn conf_destroyed(&self) {
        for m in &self.on_conf_destroy {
            // SAFETY: added through rd_kafka_conf_interceptor_add_on_conf_destroy.
            unsafe { (m.f)(m.opaque) };
        }
    }
}

// SAFETY: the opaques belong to the interceptors, which librdkafka lets run on any thread.
unsafe impl Send for ConfChains {}
unsafe impl Sync for ConfChains {}

/// The instance-level chains, added by on_new interceptors.
#[derive(Default)]
pub(crate) struct Chains {
    pub on_destroy: Chain<on_destroy_t>,
    pub on_send: Chain<on_message_t>,
    pub on_acknowledgement: Chain<on_message_t>,
    pub on_consume: Chain<on_message_t>,
    pub on_commit: Chain<on_commit_t>,
    pub on_request_sent: Chain<on_request_sent_t>,
    pub on_response_received: Chain<on_response_received_t>,
    pub on_thread_start: Chain<on_thread_t>,
    pub on_thread_exit: Chain<on_thread_t>,
    pub on_broker_state_change: Chain<on_broker_state_change_t>,
}

impl Chains {
    pub(crate) fn is_empty(&self) -> bool {
        self.on_destroy.is_empty()
            && self.on_send.is_empty()
            && self.on_acknowledgement.is_empty()
            && self.on_consume.is_empty()
            && self.on_commit.is_empty()
            && self.on_request_sent.is_empty()
            && self.on_response_received.is_empty()
            && self.on_thread_start.is_empty()
            && self.on_thread_exit.is_empty()
            && self.on_broker_state_change.is_empty()
    }
}

/// Compares two function pointers by address.
pub(crate) fn same_fn<F: Copy>(a: &F, b: &F) -> bool {
    // SAFETY: F is a function pointer type, the size of usize.
    unsafe { std::mem::transmute_copy::<F, usize>(a) == std::mem::transmute_copy::<F, usize>(b) }
}

/// Runs an on_conf_set chain (a copy: the interceptors may use the conf meanwhile):
/// the first interceptor that knows the property decides.
pub(crate) unsafe fn run_conf_set(
    chain: &[Method<on_conf_set_t>],
    conf: *mut rd_kafka_conf_t,
    name: &str,
    value: Option<&str>,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_conf_res_t {
    let cname = to_cstring(name);
    let cval = value.map(to_cstring);
    let vptr = cval.as_ref().map_or(std::ptr::null(), |v| v.as_ptr());
    let mut scratch = [0 as c_char; 1];
    let (buf, size) = if errstr.is_null() { (scratch.as_mut_ptr(), 0) } else { (errstr, errstr_size) };
    for m in chain {
        let res = (m.f)(conf, cname.as_ptr(), vptr, buf, size, m.opaque);
        if res != RD_KAFKA_CONF_UNKNOWN {
            return res;
        }
    }
    RD_KAFKA_CONF_UNKNOWN
}

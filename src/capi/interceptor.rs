//! The interceptor API (rd_kafka_conf_interceptor_add_on_*, rd_kafka_interceptor_add_on_*)
//! and the instance's interceptors as the layers below call them. The instance-level
//! chains are added by on_new interceptors and fixed from then on, so the threads
//! calling them need no lock.

use super::boundary::{obj, obj_mut};
use super::chains::*;
use super::conf::ConfHandle;
use super::tplist::{commit_tplist, rd_kafka_topic_partition_list_destroy};
use super::types::*;
use super::util::{cstr, to_cstring};
use crate::error::ErrorCode;
use crate::event::CommitResult;
use crate::instance::{Instance, Interceptors, ThreadKind, Wire};
use crate::message::Message;
use crate::metadata::Topic;
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, c_void};
use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock, Weak};

/// A handle being created, while its on_new chain runs.
struct Creating {
    rk: usize,
    chains: Chains,
}

thread_local! {
    /// While rd_kafka_new runs the on_new chain: the handle being created and the
    /// instance chains its interceptors add.
    static CREATING: RefCell<Option<Creating>> = const { RefCell::new(None) };
}

/// Runs the on_new chain for the handle at `rk` (not usable yet, as in librdkafka)
/// and returns what it added, with the failures to log once the handle exists.
pub(crate) unsafe fn run_on_new(
    rk: *mut rd_kafka_t,
    conf: &ConfHandle,
) -> (Option<Arc<CInterceptors>>, Vec<String>) {
    CREATING.with(|c| *c.borrow_mut() = Some(Creating { rk: rk as usize, chains: Chains::default() }));
    let mut failures = Vec::new();
    let confp = conf as *const ConfHandle as *const rd_kafka_conf_t;
    for m in &conf.icpt.on_new {
        let mut buf = [0 as c_char; 512];
        let err = (m.f)(rk, confp, m.opaque, buf.as_mut_ptr(), buf.len());
        if err != 0 {
            let detail = cstr(buf.as_ptr()).unwrap_or("");
            failures.push(failed_text(
                &m.name,
                "on_new",
                ErrorCode(err),
                (!detail.is_empty()).then_some(detail),
            ));
        }
    }
    let chains = CREATING.with(|c| c.borrow_mut().take()).map(|c| c.chains).unwrap_or_default();
    let icpt = (!chains.is_empty()).then(|| {
        Arc::new(CInterceptors { rk: AtomicUsize::new(rk as usize), inst: OnceLock::new(), chains })
    });
    (icpt, failures)
}

fn failed_text(name: &str, method: &str, err: ErrorCode, detail: Option<&str>) -> String {
    let detail = detail.map_or(String::new(), |d| format!(": {d}"));
    format!("Interceptor {name} failed {method}: {}{detail}", err.description())
}

/// Adds to an instance chain: only while the handle's on_new chain runs.
unsafe fn add_instance(
    rk: *mut rd_kafka_t,
    add: impl FnOnce(&mut Chains) -> rd_kafka_resp_err_t,
) -> rd_kafka_resp_err_t {
    CREATING.with(|c| match c.borrow_mut().as_mut() {
        Some(c) if c.rk == rk as usize => add(&mut c.chains),
        // After creation the chains are read by every thread without a lock.
        _ => ErrorCode::_STATE.0,
    })
}

/// The instance's interceptors, as the layers below call them.
pub(crate) struct CInterceptors {
    rk: AtomicUsize,
    /// Where failures are logged, once the instance exists (weak: it holds us).
    pub inst: OnceLock<Weak<Instance>>,
    chains: Chains,
}

// SAFETY: the opaques belong to the interceptors, which librdkafka calls from any thread.
unsafe impl Send for CInterceptors {}
unsafe impl Sync for CInterceptors {}

impl CInterceptors {
    fn rk(&self) -> *mut rd_kafka_t {
        self.rk.load(Ordering::Acquire) as *mut rd_kafka_t
    }

    /// Logs a failed interceptor call as librdkafka does (warning, "ICFAIL").
    fn failed(&self, name: &str, method: &str, err: rd_kafka_resp_err_t, m: Option<&Message>) {
        let Some(rk) = self.inst.get().and_then(Weak::upgrade) else { return };
        let text = match m {
            Some(m) => {
                // SAFETY: a message's topic handle outlives it.
                let topic = unsafe { obj::<Topic>(m.c.rkt as *const rd_kafka_topic_t) }
                    .map_or("", |t| t.name.as_str());
                let what = format!("for message on {topic} [{}] @ {}", m.c.partition, m.c.offset);
                failed_text(name, &format!("{method} {what}"), ErrorCode(err), None)
            }
            None => failed_text(name, method, ErrorCode(err), None),
        };
        rk.log(4, "ICFAIL", &text);
    }

    fn message(&self, chain: &Chain<on_message_t>, method: &str, m: &mut Message) {
        let p = m as *mut Message as *mut rd_kafka_message_t;
        for i in chain {
            // SAFETY: the message is live and laid out as rd_kafka_message_t (first field).
            let err = unsafe { (i.f)(self.rk(), p, i.opaque) };
            if err != 0 {
                self.failed(&i.name, method, err, Some(m));
            }
        }
    }

    fn thread(&self, chain: &Chain<on_thread_t>, method: &str, kind: ThreadKind, name: &str) {
        let cname = to_cstring(name);
        for i in chain {
            // SAFETY: arguments live for the call.
            let err = unsafe { (i.f)(self.rk(), kind as c_int, cname.as_ptr(), i.opaque) };
            if err != 0 {
                self.failed(&i.name, method, err, None);
            }
        }
    }
}

impl Interceptors for CInterceptors {
    fn on_destroy(&self) {
        for i in &self.chains.on_destroy {
            // SAFETY: the handle is still live (destroy waits for the main thread).
            let err = unsafe { (i.f)(self.rk(), i.opaque) };
            if err != 0 {
                self.failed(&i.name, "on_destroy", err, None);
            }
        }
    }

    fn on_send(&self, m: &mut Message) {
        self.message(&self.chains.on_send, "on_send", m)
    }

    fn on_acknowledgement(&self, m: &mut Message) {
        self.message(&self.chains.on_acknowledgement, "on_acknowledgement", m)
    }

    fn on_consume(&self, m: &mut Message) {
        self.message(&self.chains.on_consume, "on_consume", m)
    }

    fn on_commit(&self, r: &CommitResult) {
        if self.chains.on_commit.is_empty() {
            return;
        }
        let list = commit_tplist(r);
        for i in &self.chains.on_commit {
            // SAFETY: the list lives until destroyed below.
            let err = unsafe { (i.f)(self.rk(), list, r.err.0, i.opaque) };
            if err != 0 {
                self.failed(&i.name, "on_commit", err, None);
            }
        }
        // SAFETY: made above, destroyed once.
        unsafe { rd_kafka_topic_partition_list_destroy(list) };
    }

    fn on_request_sent(&self, w: &Wire<'_>) {
        let b = to_cstring(w.broker);
        for i in &self.chains.on_request_sent {
            // SAFETY: arguments live for the call.
            let err = unsafe {
                (i.f)(
                    self.rk(),
                    w.fd,
                    b.as_ptr(),
                    w.broker_id,
                    w.api_key,
                    w.api_version,
                    w.corr_id,
                    w.size,
                    i.opaque,
                )
            };
            if err != 0 {
                self.failed(&i.name, "on_request_sent", err, None);
            }
        }
    }

    fn on_response_received(&self, w: &Wire<'_>, rtt_us: i64, err: ErrorCode) {
        let b = to_cstring(w.broker);
        for i in &self.chains.on_response_received {
            let (key, ver, corr) = (w.api_key, w.api_version, w.corr_id);
            // SAFETY: arguments live for the call.
            let e = unsafe {
                (i.f)(
                    self.rk(),
                    w.fd,
                    b.as_ptr(),
                    w.broker_id,
                    key,
                    ver,
                    corr,
                    w.size,
                    rtt_us,
                    err.0,
                    i.opaque,
                )
            };
            if e != 0 {
                self.failed(&i.name, "on_response_received", e, None);
            }
        }
    }

    fn on_thread_start(&self, kind: ThreadKind, name: &str) {
        self.thread(&self.chains.on_thread_start, "on_thread_start", kind, name)
    }

    fn on_thread_exit(&self, kind: ThreadKind, name: &str) {
        self.thread(&self.chains.on_thread_exit, "on_thread_exit", kind, name)
    }

    fn on_broker_state_change(&self, id: i32, secproto: &str, host: &str, port: i32, state: &str) {
        let (p, n, s) = (to_cstring(secproto), to_cstring(host), to_cstring(state));
        for i in &self.chains.on_broker_state_change {
            // SAFETY: arguments live for the call.
            let err = unsafe { (i.f)(self.rk(), id, p.as_ptr(), n.as_ptr(), port, s.as_ptr(), i.opaque) };
            if err != 0 {
                self.failed(&i.name, "on_broker_state_change", err, None);
            }
        }
    }
}

/// Adds an on_conf_set interceptor: called for every rd_kafka_conf_set() on this
/// conf before the property is looked up; the first interceptor that does not answer
/// RD_KAFKA_CONF_UNKNOWN decides. Returns RD_KAFKA_RESP_ERR__CONFLICT when this
/// interceptor already added this function.
#[ffi_fn(default = ErrorCode::_INVALID_ARG.0)]
pub unsafe extern "C" fn rd_kafka_conf_interceptor_add_on_conf_set(
    conf: *mut rd_kafka_conf_t,
    ic_name: *const c_char,
    on_conf_set: *mut rd_kafka_interceptor_f_on_conf_set_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    let Some(c) = obj_mut::<ConfHandle>(conf) else { return ErrorCode::_INVALID_ARG.0 };
    add(&mut c.icpt.on_conf_set, ic_name, fn_of(on_conf_set), ic_opaque, true, same_fn)
}

/// Adds an on_conf_dup interceptor: called when this conf is duplicated, with the new
/// conf, so the interceptor can add itself to it.
#[ffi_fn(default = ErrorCode::_INVALID_ARG.0)]
pub unsafe extern "C" fn rd_kafka_conf_interceptor_add_on_conf_dup(
    conf: *mut rd_kafka_conf_t,
    ic_name: *const c_char,
    on_conf_dup: *mut rd_kafka_interceptor_f_on_conf_dup_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    let Some(c) = obj_mut::<ConfHandle>(conf) else { return ErrorCode::_INVALID_ARG.0 };
    add(&mut c.icpt.on_conf_dup, ic_name, fn_of(on_conf_dup), ic_opaque, true, same_fn)
}

/// Adds an on_conf_destroy interceptor: called when this conf (or the configuration
/// of the handle it created) is destroyed. The same function may be added twice.
#[ffi_fn(default = ErrorCode::_INVALID_ARG.0)]
pub unsafe extern "C" fn rd_kafka_conf_interceptor_add_on_conf_destroy(
    conf: *mut rd_kafka_conf_t,
    ic_name: *const c_char,
    on_conf_destroy: *mut rd_kafka_interceptor_f_on_conf_destroy_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    let Some(c) = obj_mut::<ConfHandle>(conf) else { return ErrorCode::_INVALID_ARG.0 };
    add(&mut c.icpt.on_conf_destroy, ic_name, fn_of(on_conf_destroy), ic_opaque, false, same_fn)
}

/// Adds an on_new interceptor: called by rd_kafka_new() before the handle starts any
/// thread; the place to add the instance interceptors (rd_kafka_interceptor_add_on_*).
#[ffi_fn(default = ErrorCode::_INVALID_ARG.0)]
pub unsafe extern "C" fn rd_kafka_conf_interceptor_add_on_new(
    conf: *mut rd_kafka_conf_t,
    ic_name: *const c_char,
    on_new: *mut rd_kafka_interceptor_f_on_new_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    let Some(c) = obj_mut::<ConfHandle>(conf) else { return ErrorCode::_INVALID_ARG.0 };
    add(&mut c.icpt.on_new, ic_name, fn_of(on_new), ic_opaque, true, same_fn)
}

/// Adds an on_destroy interceptor (from on_new only): called by rd_kafka_destroy().
#[ffi_fn(default = ErrorCode::_INVALID_ARG.0)]
pub unsafe extern "C" fn rd_kafka_interceptor_add_on_destroy(
    rk: *mut rd_kafka_t,
    ic_name: *const c_char,
    on_destroy: *mut rd_kafka_interceptor_f_on_destroy_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    add_instance(rk, |c| add(&mut c.on_destroy, ic_name, fn_of(on_destroy), ic_opaque, true, same_fn))
}

/// Adds an on_send interceptor (from on_new only): called for each produced message
/// before it is partitioned, on the producing thread.
#[ffi_fn(default = ErrorCode::_INVALID_ARG.0)]
pub unsafe extern "C" fn rd_kafka_interceptor_add_on_send(
    rk: *mut rd_kafka_t,
    ic_name: *const c_char,
    on_send: *mut rd_kafka_interceptor_f_on_send_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    add_instance(rk, |c| add(&mut c.on_send, ic_name, fn_of(on_send), ic_opaque, true, same_fn))
}

/// Adds an on_acknowledgement interceptor (from on_new only): called for each
/// produced message once its outcome is known (acked or failed), from an internal
/// thread, or on the producing thread when the message is refused after on_send.
#[ffi_fn(default = ErrorCode::_INVALID_ARG.0)]
pub unsafe extern "C" fn rd_kafka_interceptor_add_on_acknowledgement(
    rk: *mut rd_kafka_t,
    ic_name: *const c_char,
    on_acknowledgement: *mut rd_kafka_interceptor_f_on_acknowledgement_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    add_instance(rk, |c| {
        add(&mut c.on_acknowledgement, ic_name, fn_of(on_acknowledgement), ic_opaque, true, same_fn)
    })
}

/// Adds an on_consume interceptor (from on_new only): called for each consumed
/// message just before the application gets it.
#[ffi_fn(default = ErrorCode::_INVALID_ARG.0)]
pub unsafe extern "C" fn rd_kafka_interceptor_add_on_consume(
    rk: *mut rd_kafka_t,
    ic_name: *const c_char,
    on_consume: *mut rd_kafka_interceptor_f_on_consume_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    add_instance(rk, |c| add(&mut c.on_consume, ic_name, fn_of(on_consume), ic_opaque, true, same_fn))
}

/// Adds an on_commit interceptor (from on_new only): called with the offsets of each
/// finished commit (automatic or not) and its outcome.
#[ffi_fn(default = ErrorCode::_INVALID_ARG.0)]
pub unsafe extern "C" fn rd_kafka_interceptor_add_on_commit(
    rk: *mut rd_kafka_t,
    ic_name: *const c_char,
    on_commit: *mut rd_kafka_interceptor_f_on_commit_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    add_instance(rk, |c| add(&mut c.on_commit, ic_name, fn_of(on_commit), ic_opaque, true, same_fn))
}

/// Adds an on_request_sent interceptor (from on_new only): called on the broker
/// thread for each request written to a broker connection.
#[ffi_fn(default = ErrorCode::_INVALID_ARG.0)]
pub unsafe extern "C" fn rd_kafka_interceptor_add_on_request_sent(
    rk: *mut rd_kafka_t,
    ic_name: *const c_char,
    on_request_sent: *mut rd_kafka_interceptor_f_on_request_sent_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    add_instance(rk, |c| {
        add(&mut c.on_request_sent, ic_name, fn_of(on_request_sent), ic_opaque, true, same_fn)
    })
}

/// Adds an on_response_received interceptor (from on_new only): called on the broker
/// thread for each response read (or an unknown correlation id, with _NOENT).
#[ffi_fn(default = ErrorCode::_INVALID_ARG.0)]
pub unsafe extern "C" fn rd_kafka_interceptor_add_on_response_received(
    rk: *mut rd_kafka_t,
    ic_name: *const c_char,
    on_response_received: *mut rd_kafka_interceptor_f_on_response_received_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    add_instance(rk, |c| {
        add(&mut c.on_response_received, ic_name, fn_of(on_response_received), ic_opaque, true, same_fn)
    })
}

/// Adds an on_thread_start interceptor (from on_new only): called on each internal
/// thread as it starts, with its type (RD_KAFKA_THREAD_*) and name.
#[ffi_fn(default = ErrorCode::_INVALID_ARG.0)]
pub unsafe extern "C" fn rd_kafka_interceptor_add_on_thread_start(
    rk: *mut rd_kafka_t,
    ic_name: *const c_char,
    on_thread_start: *mut rd_kafka_interceptor_f_on_thread_start_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    add_instance(rk, |c| {
        add(&mut c.on_thread_start, ic_name, fn_of(on_thread_start), ic_opaque, true, same_fn)
    })
}

/// Adds an on_thread_exit interceptor (from on_new only): called on each internal
/// thread as it ends.
#[ffi_fn(default = ErrorCode::_INVALID_ARG.0)]
pub unsafe extern "C" fn rd_kafka_interceptor_add_on_thread_exit(
    rk: *mut rd_kafka_t,
    ic_name: *const c_char,
    on_thread_exit: *mut rd_kafka_interceptor_f_on_thread_exit_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    add_instance(rk, |c| add(&mut c.on_thread_exit, ic_name, fn_of(on_thread_exit), ic_opaque, true, same_fn))
}

/// Adds an on_broker_state_change interceptor (from on_new only): called on the
/// broker thread when a broker connection changes state ("CONNECT", "UP", "DOWN", …).
#[ffi_fn(default = ErrorCode::_INVALID_ARG.0)]
pub unsafe extern "C" fn rd_kafka_interceptor_add_on_broker_state_change(
    rk: *mut rd_kafka_t,
    ic_name: *const c_char,
    on_broker_state_change: *mut rd_kafka_interceptor_f_on_broker_state_change_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    add_instance(rk, |c| {
        add(&mut c.on_broker_state_change, ic_name, fn_of(on_broker_state_change), ic_opaque, true, same_fn)
    })
}

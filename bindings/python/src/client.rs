//! One librdkafka client as the Python classes hold it: the config dict made into a
//! rd_kafka_conf_t (the callables among it kept here), the handle, and the callbacks that
//! librdkafka runs on the thread that polls, which call back into Python. A callback's
//! exception stops the poll (rd_kafka_yield) and is raised by the call that served it.

use crate::error::{exc, KafkaError};
use crate::ffi;
use crate::types::{list_to_py, Message};
use crate::util::{cstring, text};
use libc::{c_char, c_int, c_void, size_t};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyTuple};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const ERR_ASSIGN: c_int = -175;
pub const ERR_REVOKE: c_int = -174;
const ERR_FATAL: c_int = -150;
const ERR_INVALID_ARG: c_int = -186;
const ERR_SASL_AUTHENTICATION_FAILED: c_int = 58;

/// The Python callables a client serves, and what the callbacks leave behind.
#[derive(Default)]
pub struct State {
    pub error_cb: Option<Py<PyAny>>,
    pub throttle_cb: Option<Py<PyAny>>,
    pub stats_cb: Option<Py<PyAny>>,
    pub logger: Option<Py<PyAny>>,
    pub oauth_cb: Option<Py<PyAny>>,
    /// oauth_cb has given a token librdkafka took (the constructor waits for the first).
    pub oauth_token_set: AtomicBool,
    pub on_delivery: Option<Py<PyAny>>,
    pub on_commit: Option<Py<PyAny>>,
    pub dr_only_error: bool,
    /// The first exception a callback raised, for the serving call to raise.
    pub pending: Mutex<Option<PyErr>>,
    /// A share consumer's acknowledgement-commit callback.
    pub ack_commit_cb: Mutex<Option<Py<PyAny>>>,
    pub rebalance: Mutex<Rebalance>,
    /// The Python object whose call is serving callbacks (the consumer for on_assign).
    pub current: Mutex<Option<Py<PyAny>>>,
}

/// A consumer's rebalance callbacks, and whether the one running has (un)assigned.
#[derive(Default)]
pub struct Rebalance {
    pub on_assign: Option<Py<PyAny>>,
    pub on_revoke: Option<Py<PyAny>>,
    pub on_lost: Option<Py<PyAny>>,
    pub in_callback: bool,
    pub assigned: bool,
}

/// The handle, for closures that run without the GIL.
#[derive(Clone, Copy)]
pub struct Rk(pub *mut ffi::rd_kafka_t);
// SAFETY: librdkafka handles are thread-safe; the pointer is only passed to its API.
unsafe impl Send for Rk {}
unsafe impl Sync for Rk {}

impl Rk {
    /// The pointer (a method, so that closures capture the whole Send wrapper).
    pub fn p(self) -> *mut ffi::rd_kafka_t {
        self.0
    }
}

/// One client: its handle and the state its callbacks use (the handle's opaque).
pub struct Client {
    rk: Rk,
    state: *mut State,
    pub kind: c_int,
    /// False until a handle was made (a subclass's instance before its `__init__`).
    configured: bool,
}

// SAFETY: the state is only touched with the GIL held (callbacks attach first).
unsafe impl Send for Client {}
unsafe impl Sync for Client {}

impl Client {
    /// A client from confluent_kafka's arguments: a config dict and/or keyword arguments.
    pub fn new(
        py: Python<'_>,
        kind: c_int,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Client> {
        Client::new_with(py, kind, args, kwargs, None)
    }

    /// As new(), `hook` setting more of the conf before the handle is made (the admin
    /// client's background_event_cb).
    pub fn new_with(
        py: Python<'_>,
        kind: c_int,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
        hook: Option<unsafe fn(*mut ffi::rd_kafka_conf_t)>,
    ) -> PyResult<Client> {
        let (c, state) = new_conf(py, kind, args, kwargs)?;
        if let Some(h) = hook {
            unsafe { h(c) };
        }
        let mut errstr = [0 as c_char; 512];
        let rk = unsafe { ffi::rd_kafka_new(kind, c, errstr.as_mut_ptr(), errstr.len()) };
        if rk.is_null() {
            unsafe {
                ffi::rd_kafka_conf_destroy(c);
                drop(Box::from_raw(state));
            }
            let what = if kind == ffi::PRODUCER { "producer" } else { "consumer" };
            let why = unsafe { text(errstr.as_ptr()) };
            return Err(exc(py, ERR_INVALID_ARG, Some(format!("Failed to create {what}: {why}"))));
        }
        unsafe {
            if (*state).logger.is_some() {
                // Logs go to the main queue, served by poll() (NULL: the main queue).
                ffi::rd_kafka_set_log_queue(rk, std::ptr::null_mut());
            }
            if kind == ffi::CONSUMER {
                ffi::rd_kafka_poll_set_consumer(rk);
            }
        }
        if unsafe { (*state).oauth_cb.is_some() } {
            let h = Rk(rk);
            let first =
                unsafe { first_token(py, &*state, || ffi::rd_kafka_sasl_background_callbacks_enable(h.p())) };
            if let Err(e) = first {
                py.detach(move || unsafe { ffi::rd_kafka_destroy(h.p()) });
                unsafe { drop(Box::from_raw(state)) };
                return Err(e);
            }
        }
        Ok(Client { rk: Rk(rk), state, kind, configured: true })
    }

    /// The client a native class's `__new__` makes: built from the arguments for the
    /// class itself (`exact`); for a subclass, no handle until its `__init__` runs
    /// (confluent_kafka configures in tp_init, so `super().__init__(conf)` works).
    pub fn for_new(
        py: Python<'_>,
        exact: bool,
        kind: c_int,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Client> {
        if exact {
            return Client::new(py, kind, args, kwargs);
        }
        Ok(Client {
            rk: Rk(std::ptr::null_mut()),
            state: Box::into_raw(Box::<State>::default()),
            kind,
            configured: false,
        })
    }

    /// `__init__`: makes a subclass's handle; a no-op on one already made (the class
    /// itself configures in `__new__`).
    pub fn init(
        &mut self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        if !self.configured {
            *self = Client::new(py, self.kind, args, kwargs)?;
        }
        Ok(())
    }

    /// The handle; RuntimeError once closed.
    pub fn rk(&self) -> PyResult<Rk> {
        if self.rk.0.is_null() {
            Err(pyo3::exceptions::PyRuntimeError::new_err(if self.kind == ffi::PRODUCER {
                "Producer has been closed"
            } else {
                "Consumer closed"
            }))
        } else {
            Ok(self.rk)
        }
    }

    /// The handle for the calls confluent_kafka shares between client types
    /// (list_topics, cluster_id); RuntimeError "Handle has been closed" once closed.
    pub fn handle(&self) -> PyResult<Rk> {
        if self.rk.0.is_null() {
            Err(pyo3::exceptions::PyRuntimeError::new_err("Handle has been closed"))
        } else {
            Ok(self.rk)
        }
    }

    pub fn state(&self) -> &State {
        unsafe { &*self.state }
    }

    /// Runs `step` (one bounded wait, without the GIL) until it reports work done, the
    /// timeout passes, or a callback raised; Ctrl-C interrupts between steps.
    pub fn serve<T: Send>(
        &self,
        py: Python<'_>,
        me: &Bound<'_, PyAny>,
        timeout: Option<f64>,
        step: impl FnMut(Rk, i32) -> Option<T> + Send,
    ) -> PyResult<Option<T>> {
        let rk = self.rk()?;
        serve(py, self.state(), me, rk, timeout, step)
    }

    /// Destroys the handle (once); what callbacks still raised is dropped.
    pub fn destroy(&mut self, py: Python<'_>) {
        let rk = self.rk;
        if rk.0.is_null() {
            return;
        }
        self.rk = Rk(std::ptr::null_mut());
        py.detach(|| unsafe { ffi::rd_kafka_destroy(rk.p()) });
    }
}

/// Runs `step(handle, ms)` (one wait of at most `ms`, without the GIL) until it reports
/// work done, the timeout passes, or a callback raised (kept in `st`); Ctrl-C interrupts
/// between steps, which last at most 200 ms.
pub fn serve<H: Copy + Send + Sync, T: Send>(
    py: Python<'_>,
    st: &State,
    me: &Bound<'_, PyAny>,
    h: H,
    timeout: Option<f64>,
    mut step: impl FnMut(H, i32) -> Option<T> + Send,
) -> PyResult<Option<T>> {
    let deadline = crate::util::timeout_ms(timeout);
    let end = (deadline >= 0).then(|| Instant::now() + Duration::from_millis(deadline as u64));
    *st.current.lock().unwrap() = Some(me.clone().unbind());
    let res = loop {
        let left =
            end.map_or(200, |e| e.saturating_duration_since(Instant::now()).as_millis().min(200) as i32);
        let got = py.detach(|| step(h, left));
        if let Some(e) = st.pending.lock().unwrap().take() {
            break Err(e);
        }
        if got.is_some() {
            break Ok(got);
        }
        if let Err(e) = py.check_signals() {
            break Err(e);
        }
        if end.is_some_and(|e| Instant::now() >= e) {
            break Ok(None);
        }
    };
    *st.current.lock().unwrap() = None;
    res
}

impl Drop for Client {
    fn drop(&mut self) {
        if !self.rk.0.is_null() {
            Python::attach(|py| self.destroy(py));
        }
        unsafe { drop(Box::from_raw(self.state)) };
    }
}

/// The configuration of a client of `kind` (PRODUCER, CONSUMER or SHARE) from
/// confluent_kafka's arguments (a config dict and/or keyword arguments), with the
/// callbacks its Python callables need; the state those callables live in is the
/// conf's opaque, owned by the caller (the conf too, until a handle takes it).
pub fn new_conf(
    py: Python<'_>,
    kind: c_int,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<(*mut ffi::rd_kafka_conf_t, *mut State)> {
    let conf = conf_dict(py, args, kwargs)?;
    let mut st = Box::<State>::default();
    let c = unsafe { ffi::rd_kafka_conf_new() };
    let res = configure(py, c, &conf, &mut st, kind);
    if let Err(e) = res {
        unsafe { ffi::rd_kafka_conf_destroy(c) };
        return Err(e);
    }
    unsafe {
        ffi::rd_kafka_conf_set_error_cb(c, Some(error_cb));
        ffi::rd_kafka_conf_set_throttle_cb(c, Some(throttle_cb));
        if st.stats_cb.is_some() {
            ffi::rd_kafka_conf_set_stats_cb(c, Some(stats_cb));
        }
        if st.logger.is_some() {
            ffi::rd_kafka_conf_set_log_cb(c, Some(log_cb));
            if let Err(e) = set(c, "log.queue", "true") {
                ffi::rd_kafka_conf_destroy(c);
                return Err(exc(py, ERR_INVALID_ARG, Some(e)));
            }
        }
        if st.oauth_cb.is_some() {
            ffi::rd_kafka_conf_set_oauthbearer_token_refresh_cb(c, Some(oauth_cb));
            // Its own queue, served on the background thread (first_token).
            ffi::rd_kafka_conf_enable_sasl_queue(c, 1);
        }
        if kind == ffi::PRODUCER {
            ffi::rd_kafka_conf_set_dr_msg_cb(c, Some(dr_msg_cb));
        } else if kind == ffi::CONSUMER {
            ffi::rd_kafka_conf_set_rebalance_cb(c, Some(rebalance_cb));
            ffi::rd_kafka_conf_set_offset_commit_cb(c, Some(commit_cb));
        }
    }
    let state = Box::into_raw(st);
    unsafe { ffi::rd_kafka_conf_set_opaque(c, state as *mut c_void) };
    Ok((c, state))
}

/// The one dict confluent_kafka's constructors take: the positional dict, if any,
/// updated with the keyword arguments.
pub fn conf_dict<'py>(
    py: Python<'py>,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let conf = PyDict::new(py);
    match args.len() {
        0 if kwargs.is_none_or(|k| k.is_empty()) => {
            return Err(PyTypeError::new_err("expected configuration dict"))
        }
        0 => {}
        1 => conf.update(
            args.get_item(0)?
                .downcast::<PyDict>()
                .map_err(|_| PyTypeError::new_err("expected configuration dict"))?
                .as_mapping(),
        )?,
        _ => return Err(PyTypeError::new_err("expected tuple containing single dict")),
    }
    if let Some(kw) = kwargs {
        conf.update(kw.as_mapping())?;
    }
    Ok(conf)
}

unsafe fn set(c: *mut ffi::rd_kafka_conf_t, k: &str, v: &str) -> Result<(), String> {
    let mut errstr = [0 as c_char; 512];
    let (k, v) = (cstring(k), cstring(v));
    if ffi::rd_kafka_conf_set(c, k.as_ptr(), v.as_ptr(), errstr.as_mut_ptr(), errstr.len()) == ffi::CONF_OK {
        Ok(())
    } else {
        Err(text(errstr.as_ptr()))
    }
}

/// A config value as librdkafka's string: bools lower-case, anything else as str()
/// gives it (as confluent_kafka; librdkafka then judges the value).
fn value_text(_k: &str, v: &Bound<'_, PyAny>) -> PyResult<String> {
    if v.is_instance_of::<PyBool>() {
        Ok(if v.extract::<bool>()? { "true" } else { "false" }.to_string())
    } else {
        Ok(v.str()?.to_string())
    }
}

fn callable(k: &str, v: &Bound<'_, PyAny>) -> PyResult<Option<Py<PyAny>>> {
    if v.is_none() {
        return Ok(None);
    }
    if !v.is_callable() {
        // confluent_kafka's two ways of saying it.
        if k == "on_delivery" || k == "on_commit" {
            return Err(exc(v.py(), ERR_INVALID_ARG, Some(format!("{k} requires a callable object"))));
        }
        return Err(PyTypeError::new_err(format!("expected {k} property as a callable function")));
    }
    Ok(Some(v.clone().unbind()))
}

fn configure(
    py: Python<'_>,
    c: *mut ffi::rd_kafka_conf_t,
    conf: &Bound<'_, PyDict>,
    st: &mut State,
    kind: c_int,
) -> PyResult<()> {
    let mut has_group = false;
    for (k, v) in conf.iter() {
        // A key that is not a str is what str() makes of it (as confluent_kafka).
        let k: String = k.str()?.to_string();
        match k.as_str() {
            "error_cb" => st.error_cb = callable(&k, &v)?,
            "throttle_cb" => st.throttle_cb = callable(&k, &v)?,
            "stats_cb" => st.stats_cb = callable(&k, &v)?,
            "oauth_cb" => st.oauth_cb = callable(&k, &v)?,
            "on_delivery" | "delivery.report.callback" if kind == ffi::PRODUCER => {
                st.on_delivery = callable(&k, &v)?
            }
            "on_commit" if kind == ffi::CONSUMER => st.on_commit = callable(&k, &v)?,
            "logger" => st.logger = (!v.is_none()).then(|| v.clone().unbind()),
            "delivery.report.only.error" if kind == ffi::PRODUCER => st.dr_only_error = v.is_truthy()?,
            "default.topic.config" => {
                let d = v
                    .downcast::<PyDict>()
                    .map_err(|_| PyTypeError::new_err("expected default.topic.config as a dict"))?;
                for (tk, tv) in d.iter() {
                    let tk: String = tk.extract()?;
                    let tv = value_text(&tk, &tv)?;
                    unsafe { set(c, &tk, &tv) }.map_err(|e| exc(py, ERR_INVALID_ARG, Some(e)))?;
                }
            }
            _ => {
                if v.is_none() {
                    continue;
                }
                let val = value_text(&k, &v)?;
                if k == "group.id" && !val.is_empty() {
                    has_group = true;
                }
                unsafe { set(c, &k, &val) }.map_err(|e| exc(py, ERR_INVALID_ARG, Some(e)))?;
            }
        }
    }
    if kind != ffi::PRODUCER && !has_group {
        return Err(PyValueError::new_err("Failed to create consumer: group.id must be set"));
    }
    Ok(())
}

pub unsafe fn state_of<'a>(rk: *const ffi::rd_kafka_t) -> &'a State {
    &*(ffi::rd_kafka_opaque(rk) as *const State)
}

/// Runs a callback's Python side; its exception is kept for the serving call and the
/// poll stops.
unsafe fn call_back(rk: *mut ffi::rd_kafka_t, f: impl FnOnce(Python<'_>, &State) -> PyResult<()>) {
    Python::attach(|py| {
        let st = state_of(rk);
        if let Err(e) = f(py, st) {
            let mut p = st.pending.lock().unwrap();
            if p.is_none() {
                *p = Some(e);
            }
            drop(p);
            ffi::rd_kafka_yield(rk);
        }
    })
}

unsafe extern "C" fn dr_msg_cb(rk: *mut ffi::rd_kafka_t, m: *const ffi::rd_kafka_message_t, _: *mut c_void) {
    call_back(rk, |py, st| {
        let own = (*m)._private as *mut Py<PyAny>;
        let own = (!own.is_null()).then(|| *Box::from_raw(own));
        if st.dr_only_error && (*m).err == 0 {
            return Ok(());
        }
        let Some(cb) = own.as_ref().or(st.on_delivery.as_ref()) else { return Ok(()) };
        let mut msg = Message::from_c(py, m)?;
        // A delivery report's message has no headers or leader epoch in confluent_kafka.
        msg.headers = None;
        msg.leader_epoch = None;
        let err = msg.error.as_ref().map(|e| e.clone_ref(py));
        cb.call1(py, (err.unwrap_or_else(|| py.None()), Py::new(py, msg)?))?;
        Ok(())
    })
}

unsafe extern "C" fn error_cb(rk: *mut ffi::rd_kafka_t, err: c_int, reason: *const c_char, _: *mut c_void) {
    call_back(rk, |py, st| {
        let Some(cb) = &st.error_cb else { return Ok(()) };
        let mut e = KafkaError::of(err, Some(text(reason)));
        if err == ERR_FATAL {
            let mut buf = [0 as c_char; 512];
            e.code = ffi::rd_kafka_fatal_error(rk, buf.as_mut_ptr(), buf.len());
            e.reason = Some(text(buf.as_ptr()));
            e.fatal = true;
        }
        cb.call1(py, (Py::new(py, e)?,))?;
        Ok(())
    })
}

unsafe extern "C" fn throttle_cb(
    rk: *mut ffi::rd_kafka_t,
    name: *const c_char,
    id: i32,
    ms: c_int,
    _: *mut c_void,
) {
    call_back(rk, |py, st| {
        let Some(cb) = &st.throttle_cb else { return Ok(()) };
        let ev =
            py.import("kafkars")?.getattr("ThrottleEvent")?.call1((text(name), id, ms as f64 / 1000.0))?;
        cb.call1(py, (ev,))?;
        Ok(())
    })
}

unsafe extern "C" fn stats_cb(
    rk: *mut ffi::rd_kafka_t,
    json: *mut c_char,
    len: size_t,
    _: *mut c_void,
) -> c_int {
    call_back(rk, |py, st| {
        let Some(cb) = &st.stats_cb else { return Ok(()) };
        let s = String::from_utf8_lossy(std::slice::from_raw_parts(json as *const u8, len)).into_owned();
        cb.call1(py, (s,))?;
        Ok(())
    });
    0
}

unsafe extern "C" fn log_cb(
    rk: *const ffi::rd_kafka_t,
    level: c_int,
    fac: *const c_char,
    buf: *const c_char,
) {
    call_back(rk as *mut _, |py, st| {
        let Some(logger) = &st.logger else { return Ok(()) };
        // syslog levels as logging's: 0-2 CRITICAL, 3 ERROR, 4 WARNING, 5-6 INFO, 7 DEBUG.
        let lvl = match level {
            0..=2 => 50,
            3 => 40,
            4 => 30,
            5 | 6 => 20,
            _ => 10,
        };
        let name = text(ffi::rd_kafka_name(rk));
        logger.call_method1(py, "log", (lvl, "%s [%s] %s", text(fac), name, text(buf)))?;
        Ok(())
    })
}

/// As confluent_kafka: oauth_cb runs on librdkafka's background thread (`enable` turns
/// that on), the first time while the constructor waits (up to 10 s) for the token,
/// which then fails with SASL_AUTHENTICATION_FAILED if none came.
pub unsafe fn first_token(
    py: Python<'_>,
    st: &State,
    enable: impl FnOnce() -> *mut ffi::ErrorT,
) -> PyResult<()> {
    let e = enable();
    if !e.is_null() {
        ffi::rd_kafka_error_destroy(e);
    }
    let end = Instant::now() + Duration::from_secs(10);
    while !st.oauth_token_set.load(Ordering::Acquire) {
        if Instant::now() >= end {
            let why = "OAuth token not set within 10 seconds timeout";
            return Err(exc(py, ERR_SASL_AUTHENTICATION_FAILED, Some(why.into())));
        }
        py.check_signals()?;
        py.detach(|| std::thread::sleep(Duration::from_millis(10)));
    }
    Ok(())
}

/// Runs on the background thread: nobody serves its exception, which becomes the token
/// failure librdkafka reports (and retries after).
unsafe extern "C" fn oauth_cb(rk: *mut ffi::rd_kafka_t, config: *const c_char, _: *mut c_void) {
    Python::attach(|py| {
        let st = state_of(rk);
        let Some(cb) = &st.oauth_cb else { return };
        let cfg = (!config.is_null()).then(|| text(config));
        match cb.call1(py, (cfg,)).and_then(|r| set_token(py, rk, r.bind(py))) {
            Ok(()) => st.oauth_token_set.store(true, Ordering::Release),
            Err(e) => {
                let why = cstring(&format!("oauth_cb failed: {e}"));
                ffi::rd_kafka_oauthbearer_set_token_failure(rk, why.as_ptr());
            }
        }
    })
}

/// oauth_cb's answer: (token, expiry in seconds since the epoch[, principal[, extensions]]).
unsafe fn set_token(py: Python<'_>, rk: *mut ffi::rd_kafka_t, r: &Bound<'_, PyAny>) -> PyResult<()> {
    let t: &Bound<'_, PyTuple> =
        r.downcast().map_err(|_| PyTypeError::new_err("expected oauth_cb to return a tuple"))?;
    let token: String = t.get_item(0)?.extract()?;
    let expiry: f64 = t.get_item(1)?.extract()?;
    let principal: String = if t.len() > 2 { t.get_item(2)?.extract()? } else { String::new() };
    let mut ext: Vec<std::ffi::CString> = Vec::new();
    if t.len() > 3 {
        let d = t.get_item(3)?;
        let d = d.downcast::<PyDict>()?;
        for (k, v) in d.iter() {
            ext.push(cstring(&k.extract::<String>()?));
            ext.push(cstring(&v.extract::<String>()?));
        }
    }
    let ptrs: Vec<*const c_char> = ext.iter().map(|s| s.as_ptr()).collect();
    let (tok, pr) = (cstring(&token), cstring(&principal));
    let mut errstr = [0 as c_char; 512];
    let err = ffi::rd_kafka_oauthbearer_set_token(
        rk,
        tok.as_ptr(),
        (expiry * 1000.0) as i64,
        pr.as_ptr(),
        if ptrs.is_empty() { std::ptr::null() } else { ptrs.as_ptr() },
        ptrs.len(),
        errstr.as_mut_ptr(),
        errstr.len(),
    );
    if err != 0 {
        return Err(exc(py, err, Some(text(errstr.as_ptr()))));
    }
    Ok(())
}

unsafe extern "C" fn rebalance_cb(
    rk: *mut ffi::rd_kafka_t,
    err: c_int,
    parts: *mut ffi::rd_kafka_topic_partition_list_t,
    _: *mut c_void,
) {
    call_back(rk, |py, st| {
        let cooperative = text(ffi::rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE";
        let lost = err == ERR_REVOKE && ffi::rd_kafka_assignment_lost(rk) != 0;
        let cb = {
            let mut r = st.rebalance.lock().unwrap();
            r.in_callback = true;
            r.assigned = false;
            let cb = match err {
                ERR_ASSIGN => r.on_assign.as_ref(),
                _ if lost && r.on_lost.is_some() => r.on_lost.as_ref(),
                _ => r.on_revoke.as_ref(),
            };
            cb.map(|c| c.clone_ref(py))
        };
        let mut res = Ok(());
        if let Some(cb) = cb {
            let me =
                st.current.lock().unwrap().as_ref().map(|m| m.clone_ref(py)).unwrap_or_else(|| py.None());
            res = list_to_py(py, parts).and_then(|l| cb.call1(py, (me, l)).map(|_| ()));
        }
        let assigned = {
            let mut r = st.rebalance.lock().unwrap();
            r.in_callback = false;
            r.assigned
        };
        // What the application did not do in its callback, done for it.
        if !assigned {
            if cooperative {
                let e = if err == ERR_ASSIGN {
                    ffi::rd_kafka_incremental_assign(rk, parts)
                } else {
                    ffi::rd_kafka_incremental_unassign(rk, parts)
                };
                if !e.is_null() {
                    ffi::rd_kafka_error_destroy(e);
                }
            } else {
                ffi::rd_kafka_assign(rk, if err == ERR_ASSIGN { parts } else { std::ptr::null() });
            }
        }
        res
    })
}

unsafe extern "C" fn commit_cb(
    rk: *mut ffi::rd_kafka_t,
    err: c_int,
    offsets: *mut ffi::rd_kafka_topic_partition_list_t,
    _: *mut c_void,
) {
    call_back(rk, |py, st| {
        let Some(cb) = &st.on_commit else { return Ok(()) };
        let e = if err != 0 { Py::new(py, KafkaError::of(err, None))?.into_any() } else { py.None() };
        cb.call1(py, (e, list_to_py(py, offsets)?))?;
        Ok(())
    })
}

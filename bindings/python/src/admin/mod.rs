//! `_native._AdminClientImpl`: librdkafka's admin API as plain data (see
//! notes/python_admin_native.md). Each operation's options carry an id (the opaque); its
//! result arrives as an event on kafkars' background thread, which takes the GIL, turns
//! the result into tuples and lists and calls the operation's `on_done(result, error)`.
//! The ids and their callables live in one registry so that exactly one of "the result
//! came" and "the client was closed" (_DESTROY) calls each on_done.

mod args;
mod ext;
pub mod ffi;
mod results;

use crate::client::{Client, Rk};
use crate::error::{check_error, exc, KafkaError};
use crate::ffi as core;
use crate::util::{cstring, text};
use args::{parse_args, Request};
use libc::{c_char, c_int, c_void};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple, PyType, PyWeakrefMethods, PyWeakrefReference};
use pyo3::IntoPyObjectExt;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const ERR_DESTROY: i32 = -197;
const ERR_FAIL: i32 = -196;
const ERR_INVALID_ARG: i32 = -186;
const ERR_TIMED_OUT: i32 = -185;

/// An operation whose result has not been delivered: its client and its callable.
struct Pending {
    owner: u64,
    on_done: Py<PyAny>,
}

/// Operations in flight, by id (the options' opaque; ids are never reused).
static PENDING: Mutex<BTreeMap<u64, Pending>> = Mutex::new(BTreeMap::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Takes an operation out of the registry (the lock is never held while Python runs:
/// dropping a callable may run arbitrary code, including another _call).
fn take(id: u64) -> Option<Pending> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner()).remove(&id)
}

fn take_all(owner: u64) -> Vec<Pending> {
    let mut m = PENDING.lock().unwrap_or_else(|e| e.into_inner());
    let ids: Vec<u64> = m.iter().filter(|(_, p)| p.owner == owner).map(|(k, _)| *k).collect();
    ids.iter().filter_map(|k| m.remove(k)).collect()
}

/// Calls on_done(result, error); its exception goes to sys.unraisablehook.
fn finish(py: Python<'_>, p: Pending, result: Py<PyAny>, error: Option<KafkaError>) {
    let err = match error.map(|e| Py::new(py, e)).transpose() {
        Ok(e) => e.map_or_else(|| py.None(), |e| e.into_any()),
        Err(e) => {
            e.write_unraisable(py, None);
            py.None()
        }
    };
    if let Err(e) = p.on_done.call1(py, (result, err)) {
        e.write_unraisable(py, Some(p.on_done.bind(py)));
    }
}

/// The background thread's event callback: delivers an admin result to its on_done.
unsafe extern "C" fn event_cb(_rk: *mut core::rd_kafka_t, ev: *mut ffi::V, _opaque: *mut c_void) {
    let id = ffi::rd_kafka_event_opaque(ev) as usize as u64;
    if id != 0 {
        // A panic must not unwind into C.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| deliver(ev, id)));
    }
    ffi::rd_kafka_event_destroy(ev);
}

unsafe fn deliver(ev: *mut ffi::V, id: u64) {
    Python::attach(|py| {
        let Some(p) = take(id) else { return };
        let code = ffi::rd_kafka_event_error(ev);
        if code != 0 {
            let why = ffi::rd_kafka_event_error_string(ev);
            let why = (!why.is_null()).then(|| text(why));
            return finish(py, p, py.None(), Some(KafkaError::of(code, why)));
        }
        match results::convert(py, ev) {
            Ok(r) => finish(py, p, r, None),
            Err(e) => {
                // A result the binding could not read: say so rather than never answer.
                let why = format!("kafkars: unreadable admin result: {e}");
                e.write_unraisable(py, None);
                finish(py, p, py.None(), Some(KafkaError::of(ERR_FAIL, Some(why))));
            }
        }
    })
}

unsafe fn set_event_cb(c: *mut core::rd_kafka_conf_t) {
    ffi::rd_kafka_conf_set_background_event_cb(c, Some(event_cb));
}

/// Clients that started operations (weak references), closed at exit: a result
/// arriving while the interpreter finalizes would make the background thread take the
/// GIL then, which Python answers by ending the thread under kafkars' feet.
static LIVE: Mutex<Vec<Py<PyWeakrefReference>>> = Mutex::new(Vec::new());
static AT_EXIT: AtomicBool = AtomicBool::new(false);

fn track(slf: &Bound<'_, AdminClientImpl>) -> PyResult<()> {
    let py = slf.py();
    if slf.borrow().tracked.swap(true, Ordering::Relaxed) {
        return Ok(());
    }
    let w = PyWeakrefReference::new(slf)?.unbind();
    let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    live.retain(|w| w.bind(py).upgrade().is_some());
    live.push(w);
    drop(live);
    if !AT_EXIT.swap(true, Ordering::Relaxed) {
        py.import("atexit")?.call_method1("register", (wrap_pyfunction!(close_admin_clients, py)?,))?;
    }
    Ok(())
}

/// Closes the admin clients still open (registered with atexit).
#[pyfunction]
fn close_admin_clients(py: Python<'_>) {
    let live = std::mem::take(&mut *LIVE.lock().unwrap_or_else(|e| e.into_inner()));
    for w in live {
        if let Some(o) = w.bind(py).upgrade() {
            if let Ok(c) = o.downcast::<AdminClientImpl>() {
                if let Ok(mut c) = c.try_borrow_mut() {
                    c.shut(py);
                }
            }
        }
    }
}

/// The background queue reference the operations are sent to.
struct Bg(ffi::Q);
// SAFETY: a queue handle is only passed to librdkafka, which is thread-safe.
unsafe impl Send for Bg {}
unsafe impl Sync for Bg {}

/// The native admin client (confluent_kafka's _AdminClientImpl).
#[pyclass(module = "kafkars", name = "_AdminClientImpl", subclass, weakref)]
pub struct AdminClientImpl {
    c: Option<Client>,
    bg: Bg,
    id: u64,
    tracked: AtomicBool,
    /// Calls using the handle without the GIL and without a borrow (Busy guards).
    busy: Arc<AtomicUsize>,
    /// close() was asked while poll() had the client borrowed.
    closing: Arc<AtomicBool>,
    /// A subclass's instance (AdminClient) whose `__init__` has not made the handle yet.
    pending_init: bool,
}

/// A use of the handle without the GIL and without a borrow of the client (an on_done
/// may close it meanwhile): the handle is not destroyed before the guard drops.
struct Busy(Arc<AtomicUsize>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl AdminClientImpl {
    fn handle(&self) -> PyResult<(Rk, Busy)> {
        let rk = self.client()?.rk()?;
        self.busy.fetch_add(1, Ordering::AcqRel);
        Ok((rk, Busy(self.busy.clone())))
    }

    /// handle() for list_topics/list_groups, whose closed error is confluent_kafka's
    /// metadata calls' one.
    fn metadata_handle(&self) -> PyResult<(Rk, Busy)> {
        self.handle().map_err(|_| PyRuntimeError::new_err("Handle has been closed"))
    }

    fn client(&self) -> PyResult<&Client> {
        match &self.c {
            Some(c) if !self.closing.load(Ordering::Acquire) => Ok(c),
            _ => Err(PyRuntimeError::new_err("AdminClient has been closed")),
        }
    }

    /// Destroys the handle (without the GIL: the background thread may be waiting for
    /// it), then answers what is still pending with _DESTROY.
    fn shut(&mut self, py: Python<'_>) {
        let Some(mut c) = self.c.take() else { return };
        let busy = self.busy.clone();
        py.detach(|| {
            while busy.load(Ordering::Acquire) > 0 {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        });
        if !self.bg.0.is_null() {
            unsafe { core::rd_kafka_queue_destroy(self.bg.0) };
            self.bg.0 = std::ptr::null_mut();
        }
        if std::thread::current().name() == Some("rdk:background") {
            // Closed from an on_done: the background thread cannot join itself, so
            // another thread destroys the handle once this callback has returned.
            let _ = std::thread::Builder::new().name("kafkars-admin-close".into()).spawn(move || drop(c));
        } else {
            c.destroy(py);
        }
        for p in take_all(self.id) {
            finish(py, p, py.None(), Some(KafkaError::of(ERR_DESTROY, Some("Handle is terminating".into()))));
        }
    }
}

impl AdminClientImpl {
    fn build(
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let c = Client::new_with(py, core::PRODUCER, args, kwargs, Some(set_event_cb))?;
        let q = unsafe { ffi::rd_kafka_queue_get_background(c.rk()?.p()) };
        if q.is_null() {
            return Err(exc(py, ERR_FAIL, Some("Failed to get the background queue".into())));
        }
        Ok(AdminClientImpl {
            c: Some(c),
            bg: Bg(q),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            tracked: AtomicBool::new(false),
            busy: Arc::default(),
            closing: Arc::default(),
            pending_init: false,
        })
    }
}

impl Drop for AdminClientImpl {
    fn drop(&mut self) {
        if self.c.is_some() {
            Python::attach(|py| self.shut(py));
        }
    }
}

#[pymethods]
impl AdminClientImpl {
    /// The client from confluent_kafka's arguments; a subclass's instance (AdminClient)
    /// gets its handle from `__init__`, so a subclass may take other arguments.
    #[new]
    #[classmethod]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(
        cls: &Bound<'_, PyType>,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        if cls.is(py.get_type::<AdminClientImpl>()) {
            return AdminClientImpl::build(py, args, kwargs);
        }
        Ok(AdminClientImpl {
            c: None,
            bg: Bg(std::ptr::null_mut()),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            tracked: AtomicBool::new(false),
            busy: Arc::default(),
            closing: Arc::default(),
            pending_init: true,
        })
    }

    /// Makes the handle of a subclass's instance (`super().__init__(conf)`).
    #[pyo3(name = "__init__", signature = (*args, **kwargs))]
    fn init(
        &mut self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        if self.pending_init {
            *self = AdminClientImpl::build(py, args, kwargs)?;
        }
        Ok(())
    }

    /// Serves callbacks (error_cb, stats_cb, throttle_cb, logs), waiting up to `timeout`
    /// seconds for one; returns how many were served.
    /// Raises RuntimeError "AdminClient has been closed" when it is (or was never made):
    /// for the checks confluent_kafka makes only after that one.
    fn _check_open(&self) -> PyResult<()> {
        self.client().map(|_| ())
    }

    #[pyo3(signature = (timeout=None))]
    fn poll(slf: &Bound<'_, Self>, py: Python<'_>, timeout: Option<f64>) -> PyResult<i32> {
        let me = slf.borrow();
        let closing = me.closing.clone();
        let n = me.client()?.serve(py, slf.as_any(), timeout, |rk: Rk, ms| {
            let n = unsafe { core::rd_kafka_poll(rk.p(), ms) };
            // A close() asked meanwhile (from a callback) ends the poll.
            (n > 0 || closing.load(Ordering::Acquire)).then_some(n)
        });
        drop(me);
        if closing.load(Ordering::Acquire) {
            if let Ok(mut me) = slf.try_borrow_mut() {
                me.shut(py);
            }
        }
        Ok(n?.unwrap_or(0).max(0))
    }

    fn __len__(&self) -> usize {
        self.c
            .as_ref()
            .and_then(|c| c.rk().ok())
            .map_or(0, |rk| unsafe { core::rd_kafka_outq_len(rk.p()) }.max(0) as usize)
    }

    /// The cluster's metadata (ClusterMetadata), of one topic or all.
    #[pyo3(signature = (topic=None, timeout=-1.0))]
    fn list_topics(
        slf: &Bound<'_, Self>,
        py: Python<'_>,
        topic: Option<&str>,
        timeout: Option<f64>,
    ) -> PyResult<Py<PyAny>> {
        let (rk, _busy) = slf.borrow().metadata_handle()?;
        crate::metadata::list_topics(py, rk, topic, timeout.unwrap_or(-1.0))
    }

    /// The groups (rd_kafka_list_groups) as plain data: [(broker (id, host, port), group,
    /// err, state, protocol_type, protocol, [(member_id, client_id, client_host,
    /// metadata: bytes, assignment: bytes)])].
    #[pyo3(signature = (group=None, timeout=-1.0))]
    fn list_groups(
        slf: &Bound<'_, Self>,
        py: Python<'_>,
        group: Option<&str>,
        timeout: Option<f64>,
    ) -> PyResult<Py<PyAny>> {
        let (rk, _busy) = slf.borrow().metadata_handle()?;
        let ms = crate::util::timeout_ms(timeout);
        let g = group.map(cstring);
        let gp = crate::producer::Ptr(g.as_ref().map_or(std::ptr::null(), |g| g.as_ptr()) as *mut c_char);
        let (err, l) = py.detach(move || {
            let gp = gp;
            let mut l: *const ffi::GroupList = std::ptr::null();
            let err = unsafe { ffi::rd_kafka_list_groups(rk.p(), gp.0, &mut l, ms) };
            (err, crate::producer::Ptr(l as *mut ffi::GroupList))
        });
        if err != 0 {
            return Err(exc(py, err, None));
        }
        let res = unsafe { groups_to_py(py, &*l.0) };
        unsafe { ffi::rd_kafka_group_list_destroy(l.0) };
        res
    }

    /// The cluster id (from the metadata), waiting up to `timeout` seconds (-1: forever).
    #[pyo3(signature = (timeout=-1.0))]
    fn cluster_id(slf: &Bound<'_, Self>, py: Python<'_>, timeout: Option<f64>) -> PyResult<String> {
        let (rk, _busy) = slf.borrow().handle()?;
        let ms = crate::util::timeout_ms(timeout);
        let id = py.detach(move || crate::producer::Ptr(unsafe { core::rd_kafka_clusterid(rk.p(), ms) }));
        if id.0.is_null() {
            return Err(exc(
                py,
                ERR_TIMED_OUT,
                Some(
                    "Failed to retrieve cluster id: Local: Timed out. The broker must support KIP-78 \
                     (>= 0.10.1) for the cluster id to be available."
                        .into(),
                ),
            ));
        }
        let s = unsafe { text(id.0) };
        unsafe { core::rd_kafka_mem_free(rk.p(), id.0 as *mut c_void) };
        Ok(s)
    }

    /// Sets the SASL username and password used from the next authentication on.
    fn set_sasl_credentials(&self, py: Python<'_>, username: &str, password: &str) -> PyResult<()> {
        let (u, p) = (cstring(username), cstring(password));
        let rk = self.client()?.rk()?;
        unsafe { check_error(py, core::rd_kafka_sasl_set_credentials(rk.p(), u.as_ptr(), p.as_ptr())) }
    }

    /// Destroys the client; pending operations' on_done get _DESTROY.
    fn close(slf: &Bound<'_, Self>, py: Python<'_>) {
        match slf.try_borrow_mut() {
            Ok(mut me) => me.shut(py),
            // poll() is serving this client on another thread (this close() is in one of
            // its callbacks): it closes the client as it returns.
            Err(_) => {
                if let Ok(me) = slf.try_borrow() {
                    me.closing.store(true, Ordering::Release);
                }
            }
        }
    }

    /// Starts admin operation `op` (snake case) with plain-data `args` and `options`;
    /// `on_done(result, error)` is called once, later, from the background thread.
    #[pyo3(signature = (op, args, options, on_done))]
    fn _call(
        slf: &Bound<'_, Self>,
        py: Python<'_>,
        op: &str,
        args: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyAny>>,
        on_done: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        if !on_done.is_callable() {
            return Err(PyTypeError::new_err("on_done must be callable"));
        }
        track(slf)?;
        let me = slf.borrow();
        let (rk, busy) = me.handle()?;
        let (code, req) = parse_args(py, op, args)?;
        let opts = Opts(unsafe { ffi::rd_kafka_AdminOptions_new(rk.p(), code) });
        if opts.0.is_null() {
            return Err(exc(py, ERR_INVALID_ARG, Some(format!("{op}: no admin options for this operation"))));
        }
        apply_options(py, opts.0, options)?;
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        PENDING
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, Pending { owner: me.id, on_done: on_done.clone().unbind() });
        unsafe { ffi::rd_kafka_AdminOptions_set_opaque(opts.0, id as usize as *mut c_void) };
        let q = crate::producer::Ptr(me.bg.0);
        // Unborrowed from here (`busy` keeps the handle alive): an on_done may close().
        drop(me);
        // Without the GIL, as the result may be delivered (taking the GIL) at once.
        py.detach(move || {
            let (req, opts, q): (Request, Opts, crate::producer::Ptr<_>) = (req, opts, q);
            req.launch(rk.p(), opts.0, q.0);
        });
        drop(busy);
        Ok(())
    }
}

/// AdminOptions, destroyed on drop.
struct Opts(*mut ffi::V);
// SAFETY: handed to librdkafka only.
unsafe impl Send for Opts {}

impl Drop for Opts {
    fn drop(&mut self) {
        if !self.0.is_null() {
            unsafe { ffi::rd_kafka_AdminOptions_destroy(self.0) }
        }
    }
}

/// An old-style setter's answer (code + errstr) as KafkaException.
fn old(py: Python<'_>, code: c_int, errstr: &[c_char]) -> PyResult<()> {
    if code == 0 {
        Ok(())
    } else {
        Err(exc(py, code, Some(unsafe { text(errstr.as_ptr()) })))
    }
}

fn opt<'py, T: FromPyObject<'py>>(k: &str, v: &Bound<'py, PyAny>) -> PyResult<T> {
    v.extract().map_err(|e| args::shape_err(v.py(), &format!("option {k}"), "", e))
}

fn ints(k: &str, v: &Bound<'_, PyAny>) -> PyResult<Vec<c_int>> {
    opt::<Vec<c_int>>(k, v)
}

/// Sets the options dict's keys (None values are absent) on `o`.
fn apply_options(py: Python<'_>, o: *mut ffi::V, d: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
    let Some(d) = d.filter(|d| !d.is_none()) else { return Ok(()) };
    let d = d.downcast::<PyDict>().map_err(|_| PyTypeError::new_err("options must be a dict"))?;
    let mut eb = [0 as c_char; 512];
    let (e, n) = (eb.as_mut_ptr(), eb.len());
    for (k, v) in d.iter() {
        if v.is_none() {
            continue;
        }
        let k: String = k.extract().map_err(|_| PyTypeError::new_err("option names must be str"))?;
        let ms = |v: &Bound<'_, PyAny>| -> PyResult<c_int> {
            Ok((opt::<f64>(&k, v)? * 1000.0).clamp(i32::MIN as f64, i32::MAX as f64) as c_int)
        };
        unsafe {
            match k.as_str() {
                "request_timeout" => {
                    old(py, ffi::rd_kafka_AdminOptions_set_request_timeout(o, ms(&v)?, e, n), &eb)?
                }
                "operation_timeout" => {
                    old(py, ffi::rd_kafka_AdminOptions_set_operation_timeout(o, ms(&v)?, e, n), &eb)?
                }
                "validate_only" => old(
                    py,
                    ffi::rd_kafka_AdminOptions_set_validate_only(o, v.is_truthy()? as c_int, e, n),
                    &eb,
                )?,
                "broker" => old(py, ffi::rd_kafka_AdminOptions_set_broker(o, opt(&k, &v)?, e, n), &eb)?,
                "require_stable_offsets" => check_error(
                    py,
                    ffi::rd_kafka_AdminOptions_set_require_stable_offsets(o, v.is_truthy()? as c_int),
                )?,
                "include_authorized_operations" => check_error(
                    py,
                    ffi::rd_kafka_AdminOptions_set_include_authorized_operations(o, v.is_truthy()? as c_int),
                )?,
                "isolation_level" => {
                    check_error(py, ffi::rd_kafka_AdminOptions_set_isolation_level(o, opt(&k, &v)?))?
                }
                "match_consumer_group_states" => {
                    let s = ints(&k, &v)?;
                    check_error(
                        py,
                        ffi::rd_kafka_AdminOptions_set_match_consumer_group_states(o, s.as_ptr(), s.len()),
                    )?
                }
                "match_consumer_group_types" => {
                    let s = ints(&k, &v)?;
                    check_error(
                        py,
                        ffi::rd_kafka_AdminOptions_set_match_consumer_group_types(o, s.as_ptr(), s.len()),
                    )?
                }
                "match_transaction_states" => {
                    let s = ints(&k, &v)?;
                    check_error(
                        py,
                        ffi::kafkars_AdminOptions_set_match_transaction_states(o, s.as_ptr(), s.len()),
                    )?
                }
                "match_producer_ids" => {
                    let s: Vec<i64> = opt(&k, &v)?;
                    check_error(py, ffi::kafkars_AdminOptions_set_match_producer_ids(o, s.as_ptr(), s.len()))?
                }
                "min_transaction_duration_ms" => {
                    check_error(py, ffi::kafkars_AdminOptions_set_min_transaction_duration(o, opt(&k, &v)?))?
                }
                "transactional_id_pattern" => {
                    let p = cstring(&opt::<String>(&k, &v)?);
                    check_error(py, ffi::kafkars_AdminOptions_set_transactional_id_pattern(o, p.as_ptr()))?
                }
                _ => return Err(PyValueError::new_err(format!("unknown admin option '{k}'"))),
            }
        }
    }
    Ok(())
}

/// rd_kafka_list_groups()' answer as plain data.
unsafe fn groups_to_py(py: Python<'_>, l: &ffi::GroupList) -> PyResult<Py<PyAny>> {
    let mut out = Vec::new();
    for i in 0..l.group_cnt.max(0) as usize {
        let g = &*l.groups.add(i);
        let mut members = Vec::new();
        for j in 0..g.member_cnt.max(0) as usize {
            let m = &*g.members.add(j);
            let bytes = |p: *mut c_void, n: c_int| {
                let s = if p.is_null() {
                    &[][..]
                } else {
                    std::slice::from_raw_parts(p as *const u8, n.max(0) as usize)
                };
                PyBytes::new(py, s).unbind()
            };
            members.push(
                (
                    text(m.member_id),
                    text(m.client_id),
                    text(m.client_host),
                    bytes(m.member_metadata, m.member_metadata_size),
                    bytes(m.member_assignment, m.member_assignment_size),
                )
                    .into_py_any(py)?,
            );
        }
        let broker = (g.broker.id, text(g.broker.host), g.broker.port);
        let err = results::code_err(py, g.err, None)?;
        out.push(
            (broker, text(g.group), err, text(g.state), text(g.protocol_type), text(g.protocol), members)
                .into_py_any(py)?,
        );
    }
    out.into_py_any(py)
}

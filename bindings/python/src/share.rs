//! ShareConsumer, as confluent_kafka's (KIP-932 share groups) over librdkafka 2.16's
//! rd_kafka_share_* API: poll() returns a batch (Messages), records are acknowledged
//! (implicitly by the next poll or commit, or one by one in explicit mode), commits send
//! the acknowledgements. Its errors are typed as confluent_kafka types them: _STATE is
//! IllegalStateException, _CONFLICT ConcurrentModificationException (both RuntimeErrors,
//! not KafkaExceptions), _INVALID_ARG ValueError; the rest KafkaException.

use crate::client::{conf_dict, first_token, new_conf, serve, State};
use crate::error::{exc, KafkaError};
use crate::ffi;
use crate::message::Message;
use crate::types::{CList, TopicPartition};
use crate::util::{cstring, err2str, text, timeout_ms};
use libc::{c_char, c_int, c_void};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PySet, PyTuple, PyType};
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};

pyo3::create_exception!(
    kafkars,
    IllegalStateException,
    PyRuntimeError,
    "A share consumer call made in a state that does not allow it (_STATE): closed, not subscribed, an acknowledgement in implicit mode, from inside the acknowledgement-commit callback.\n\n:param str message: what happened, as args[0]."
);
pyo3::create_exception!(
    kafkars,
    ConcurrentModificationException,
    PyRuntimeError,
    "A share consumer called from a second thread while another thread is inside one of its calls (_CONFLICT).\n\n:param str message: what happened, as args[0]."
);

const ERR_CONFLICT: i32 = -173;
const ERR_STATE: i32 = -172;
const ERR_INVALID_ARG: i32 = -186;
const ACCEPT: c_int = 1;

/// The exception confluent_kafka raises for a share consumer's error `code`.
fn share_error(py: Python<'_>, code: i32, msg: String) -> PyErr {
    match code {
        ERR_STATE => IllegalStateException::new_err(msg),
        ERR_CONFLICT => ConcurrentModificationException::new_err(msg),
        ERR_INVALID_ARG => PyValueError::new_err(msg),
        _ => exc(py, code, Some(msg)),
    }
}

/// For a response error code: "`what`: <the code's description>".
fn check_code(py: Python<'_>, code: i32, what: &str) -> PyResult<()> {
    if code == 0 {
        return Ok(());
    }
    Err(share_error(py, code, format!("{what}: {}", err2str(code))))
}

/// For an rd_kafka_error_t: its own text (destroyed here; NULL: fine). A KafkaError
/// keeps the error's flags, so a fatal one says fatal() as confluent_kafka's does.
unsafe fn check_obj(py: Python<'_>, e: *mut ffi::ErrorT) -> PyResult<()> {
    if e.is_null() {
        return Ok(());
    }
    let code = ffi::rd_kafka_error_code(e);
    if !matches!(code, ERR_STATE | ERR_CONFLICT | ERR_INVALID_ARG) {
        return Err(KafkaError::from_c(e).raise(py));
    }
    let msg = text(ffi::rd_kafka_error_string(e));
    ffi::rd_kafka_error_destroy(e);
    Err(share_error(py, code, msg))
}

/// The share handle, for closures that run without the GIL.
#[derive(Clone, Copy)]
struct Sh(*mut ffi::share_t);
// SAFETY: the share consumer's calls check the calling thread themselves (_CONFLICT).
unsafe impl Send for Sh {}
unsafe impl Sync for Sh {}

impl Sh {
    fn p(self) -> *mut ffi::share_t {
        self.0
    }
}

/// A polled batch, for the closures that run without the GIL.
struct Batch(*mut ffi::messages_t);
unsafe impl Send for Batch {}

/// A Kafka share consumer (confluent_kafka.ShareConsumer on kafkars): a member of a share
/// group (KIP-932), which gives its records out to all its members, each record to one
/// member at a time for a limited time (its acquisition lock). poll() returns a batch of
/// records (Messages); each is acknowledged as ACCEPT, RELEASE (give it out again) or
/// REJECT. In share.acknowledgement.mode=implicit (the default) the next poll() or
/// commit accepts the previous batch; in explicit mode the application acknowledges each
/// record (acknowledge()) before polling again. Commits send the acknowledgements; close()
/// sends what is pending and leaves the group. Not to be used from two threads at once
/// (ConcurrentModificationException). Usable as a context manager (closed on exit).
///
/// :param dict conf: the configuration: librdkafka properties, group.id required, plus
///     the Python callables error_cb, throttle_cb, stats_cb, oauth_cb and logger, as for
///     Consumer (served by poll(), the commits and close()); on_commit is refused.
///     Keyword arguments are added to it.
/// :raises ValueError: when group.id is not set, on_commit is given, or the share
///     consumer cannot be made ("Failed to create share consumer: ...").
/// :raises TypeError: when the configuration is not a dict or a callback not callable.
/// :raises KafkaException: when a property is unknown or invalid (_INVALID_ARG).
#[pyclass(module = "kafkars", subclass)]
pub struct ShareConsumer {
    sh: AtomicPtr<c_void>,
    /// The state the callbacks use (the handle's opaque); null before `__init__`.
    state: AtomicPtr<State>,
    initialized: AtomicBool,
}

#[pymethods]
impl ShareConsumer {
    /// The class itself is made from its arguments here; a subclass's instance in its
    /// `__init__` (`super().__init__(conf)`), as confluent_kafka's type configures in
    /// tp_init.
    #[new]
    #[classmethod]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(
        cls: &Bound<'_, PyType>,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let me = ShareConsumer {
            sh: AtomicPtr::new(std::ptr::null_mut()),
            state: AtomicPtr::new(std::ptr::null_mut()),
            initialized: AtomicBool::new(false),
        };
        if cls.is(py.get_type::<ShareConsumer>()) {
            me.init(py, args, kwargs)?;
        }
        Ok(me)
    }

    /// Makes the share consumer from the configuration (confluent_kafka configures in
    /// `__init__`, so `super().__init__(conf)` works in a subclass); once only.
    #[pyo3(name = "__init__", signature = (*args, **kwargs))]
    fn init(
        &self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        if self.initialized.load(Ordering::Acquire) {
            return Err(PyRuntimeError::new_err("ShareConsumer already initialized"));
        }
        // Share consumers acknowledge, they do not commit offsets: no on_commit.
        if conf_dict(py, args, kwargs)?.contains("on_commit")? {
            return Err(PyValueError::new_err("on_commit is not supported on ShareConsumer"));
        }
        let (conf, state) = new_conf(py, ffi::SHARE, args, kwargs)?;
        let mut errstr = [0 as c_char; 512];
        let sh = unsafe { ffi::rd_kafka_share_consumer_new(conf, errstr.as_mut_ptr(), errstr.len()) };
        if sh.is_null() {
            unsafe {
                ffi::rd_kafka_conf_destroy(conf);
                drop(Box::from_raw(state));
            }
            let why = unsafe { text(errstr.as_ptr()) };
            return Err(PyValueError::new_err(format!("Failed to create share consumer: {why}")));
        }
        let h = Sh(sh);
        let st = unsafe { &*state };
        if st.logger.is_some() {
            // Logs go to the main queue, which the share calls serve (NULL: that queue).
            unsafe { ignore(ffi::rd_kafka_share_set_log_queue(sh, std::ptr::null_mut())) };
        }
        if st.oauth_cb.is_some() {
            let first = unsafe {
                first_token(py, st, || ffi::rd_kafka_share_sasl_background_callbacks_enable(h.p()))
            };
            if let Err(e) = first {
                py.detach(move || unsafe { ignore(ffi::rd_kafka_share_destroy(h.p())) });
                unsafe { drop(Box::from_raw(state)) };
                return Err(e);
            }
        }
        self.state.store(state, Ordering::Release);
        self.sh.store(sh, Ordering::Release);
        self.initialized.store(true, Ordering::Release);
        Ok(())
    }

    /// Subscribes to `topics`, replacing the previous subscription; an empty list
    /// unsubscribes. Names are literal (a leading "^" is no regex here).
    ///
    /// :param list(str) topics: the topic names (other items are taken as str() gives them).
    /// :returns: None
    /// :raises TypeError: when topics is not a list.
    /// :raises ValueError: for an empty or repeated name.
    /// :raises IllegalStateException: when the consumer is closed.
    fn subscribe(&self, py: Python<'_>, topics: &Bound<'_, PyAny>) -> PyResult<()> {
        let sh = self.handle()?;
        let l = topics
            .downcast::<PyList>()
            .map_err(|_| PyTypeError::new_err("expected list of topic unicode strings"))?;
        let list = CList::new(l.len());
        for t in l.iter() {
            let name = cstring(&t.str()?.to_string());
            unsafe { ffi::rd_kafka_topic_partition_list_add(list.0, name.as_ptr(), -1) };
        }
        check_code(py, unsafe { ffi::rd_kafka_share_subscribe(sh.p(), list.0) }, "Failed to subscribe")
    }

    /// Removes the subscription: the member leaves the share group.
    ///
    /// :returns: None
    /// :raises IllegalStateException: when the consumer is closed.
    fn unsubscribe(&self, py: Python<'_>) -> PyResult<()> {
        let sh = self.handle()?;
        check_code(py, unsafe { ffi::rd_kafka_share_unsubscribe(sh.p()) }, "Failed to unsubscribe")
    }

    /// The topics subscribed to.
    ///
    /// :returns: the topic names (empty when not subscribed).
    /// :rtype: list(str)
    /// :raises IllegalStateException: when the consumer is closed.
    fn subscription(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        let sh = self.handle()?;
        let mut l = std::ptr::null_mut();
        check_code(
            py,
            unsafe { ffi::rd_kafka_share_subscription(sh.p(), &mut l) },
            "Failed to get subscription",
        )?;
        let l = CList(l);
        Ok(l.to_py(py)?.iter().map(|t| t.borrow(py).topic.clone()).collect())
    }

    /// The next batch of records (acknowledging the previous one in implicit mode),
    /// serving the callbacks meanwhile. A record whose error() is set reports an error.
    ///
    /// :param float timeout: the longest wait in seconds; -1 (default): no limit.
    /// :returns: the records (an empty Messages when the timeout passed first).
    /// :rtype: Messages
    /// :raises IllegalStateException: when not subscribed, when records of the previous
    ///     batch are unacknowledged in explicit mode, or when the consumer is closed.
    /// :raises KafkaException: for other errors.
    /// :raises KeyboardInterrupt: on Ctrl-C.
    #[pyo3(signature = (timeout=-1.0))]
    fn poll(slf: &Bound<'_, Self>, py: Python<'_>, timeout: f64) -> PyResult<Py<PyAny>> {
        let me = slf.borrow();
        let sh = me.handle()?;
        let st = me.state();
        let got = serve(py, st, slf.as_any(), sh, Some(timeout), |sh: Sh, ms| {
            let mut b = std::ptr::null_mut();
            let e = unsafe { ffi::rd_kafka_share_poll(sh.p(), ms, &mut b) };
            if !e.is_null() {
                unsafe { ffi::rd_kafka_messages_destroy(b) };
                return Some(Err(ErrObj(e)));
            }
            if b.is_null() || unsafe { ffi::rd_kafka_messages_count(b) } == 0 {
                unsafe { ffi::rd_kafka_messages_destroy(b) };
                return None;
            }
            Some(Ok(Batch(b)))
        })?;
        let msgs = PyList::empty(py);
        match got {
            Some(Err(ErrObj(e))) => unsafe { check_obj(py, e)? },
            Some(Ok(Batch(b))) => {
                let res = unsafe { batch_to_py(py, b, &msgs) };
                unsafe { ffi::rd_kafka_messages_destroy(b) };
                res?;
            }
            None => {}
        }
        let messages = py.import("kafkars._model")?.getattr("Messages")?;
        Ok(messages.call_method1("_from_list", (msgs,))?.unbind())
    }

    /// Acknowledges a record poll() returned (explicit mode): the acknowledgement goes to
    /// the broker with the next poll() or commit.
    ///
    /// :param Message message: the record.
    /// :param AcknowledgeType ack_type: ACCEPT (default), RELEASE or REJECT.
    /// :returns: None
    /// :raises TypeError: when message is not a Message or ack_type not an int.
    /// :raises ValueError: when ack_type is not one of the three, the message has no topic,
    ///     or its partition or offset is negative.
    /// :raises IllegalStateException: in implicit mode, for a record not in flight, or when
    ///     the consumer is closed.
    #[pyo3(signature = (message, ack_type=None))]
    fn acknowledge(
        &self,
        py: Python<'_>,
        message: &Bound<'_, PyAny>,
        ack_type: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let sh = self.handle()?;
        let m =
            message.downcast::<Message>().map_err(|_| PyTypeError::new_err("expected a Message"))?.borrow();
        let typ = ack_type_of(ack_type)?;
        let what = "Failed to acknowledge message";
        let Some(topic) = m.topic.as_ref().map(|t| t.extract::<String>(py)).transpose()? else {
            return check_code(py, ERR_INVALID_ARG, what);
        };
        let (partition, offset) = (m.partition.unwrap_or(-1), m.offset.unwrap_or(-1));
        ack(py, sh, &topic, partition, offset, typ, what)
    }

    /// Acknowledges a record by topic, partition and offset (explicit mode), as
    /// acknowledge() does.
    ///
    /// :param str topic: the topic.
    /// :param int partition: the partition.
    /// :param int offset: the record's offset.
    /// :param AcknowledgeType ack_type: ACCEPT (default), RELEASE or REJECT.
    /// :returns: None
    /// :raises TypeError: when an argument has the wrong type.
    /// :raises ValueError: when ack_type is not one of the three, or the partition or
    ///     offset is negative.
    /// :raises IllegalStateException: in implicit mode, for a record not in flight, or when
    ///     the consumer is closed.
    #[pyo3(signature = (topic, partition, offset, ack_type=None))]
    fn acknowledge_offset(
        &self,
        py: Python<'_>,
        topic: &Bound<'_, PyAny>,
        partition: &Bound<'_, PyAny>,
        offset: &Bound<'_, PyAny>,
        ack_type: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        // The closed state comes first, before the arguments are looked at.
        let sh = self.handle()?;
        let topic: String = topic.extract()?;
        let partition: i32 = partition.extract()?;
        let offset: i64 = offset.extract()?;
        let typ = ack_type_of(ack_type)?;
        ack(py, sh, &topic, partition, offset, typ, "Failed to acknowledge offset")
    }

    /// Sends the pending acknowledgements (implicit mode: the last batch, all accepted)
    /// and waits for the broker's answer.
    ///
    /// :param float timeout: the longest wait in seconds (default 60; -1: no limit).
    /// :returns: per partition acknowledged, None or the KafkaException it failed with;
    ///     empty when nothing was pending.
    /// :rtype: dict(TopicPartition, KafkaException or None)
    /// :raises IllegalStateException: when the consumer is closed.
    /// :raises KafkaException: when the commit fails as a whole.
    #[pyo3(signature = (timeout=60.0))]
    fn commit_sync(&self, py: Python<'_>, timeout: f64) -> PyResult<Py<PyDict>> {
        let sh = self.handle()?;
        let ms = timeout_ms(Some(timeout));
        let (e, l) = py.detach(|| {
            let mut l = std::ptr::null_mut();
            let e = unsafe { ffi::rd_kafka_share_commit_sync(sh.p(), ms, &mut l) };
            (ErrObj(e), ListObj(l))
        });
        let l = CList(l.0);
        self.raise_pending()?;
        unsafe { check_obj(py, e.0)? };
        let out = PyDict::new(py);
        for tp in l.to_py(py)? {
            let tp = tp.borrow(py);
            let key = Py::new(py, TopicPartition::of(tp.topic.clone(), tp.partition))?;
            let v = match &tp.error {
                Some(err) => KafkaError::of(err.get().code, None).raise(py).into_value(py).into_any(),
                None => py.None(),
            };
            out.set_item(key, v)?;
        }
        Ok(out.unbind())
    }

    /// Sends the pending acknowledgements without waiting; their outcome goes to the
    /// acknowledgement-commit callback.
    ///
    /// :returns: None
    /// :raises IllegalStateException: when the consumer is closed.
    /// :raises KafkaException: when it fails.
    fn commit_async(&self, py: Python<'_>) -> PyResult<()> {
        let sh = self.handle()?;
        let e = py.detach(|| ErrObj(unsafe { ffi::rd_kafka_share_commit_async(sh.p()) }));
        self.raise_pending()?;
        unsafe { check_obj(py, e.0) }
    }

    /// Sets (or clears, with None) the callback told the outcome of acknowledgements:
    /// ``callback(offsets, exception)`` with offsets a dict of TopicPartition to the set
    /// of offsets acknowledged, exception None or a KafkaException. It runs inside poll(),
    /// the commits and close(), where the share consumer's calls are refused
    /// (IllegalStateException).
    ///
    /// :param callable callback: the callback, or None.
    /// :returns: None
    /// :raises TypeError: when callback is neither callable nor None.
    /// :raises IllegalStateException: when the consumer is closed.
    fn set_acknowledgement_commit_callback(
        &self,
        py: Python<'_>,
        callback: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let sh = self.handle()?;
        if !callback.is_none() && !callback.is_callable() {
            return Err(PyTypeError::new_err("callback must be callable or None"));
        }
        let cb = (!callback.is_none()).then(|| callback.clone().unbind());
        let on = cb.is_some();
        *self.state().ack_commit_cb.lock().unwrap() = cb;
        let opaque = self.state.load(Ordering::Acquire) as *mut c_void;
        let f: Option<ffi::AckCommitCb> = if on { Some(ack_commit_cb) } else { None };
        unsafe { check_obj(py, ffi::rd_kafka_share_set_acknowledgement_commit_cb(sh.p(), f, opaque)) }
    }

    /// Sets new SASL PLAIN/SCRAM credentials, used from the next authentication.
    ///
    /// :param str username: the user name.
    /// :param str password: the password.
    /// :returns: None
    /// :raises TypeError: when either is not a str.
    /// :raises IllegalStateException: when the consumer is closed.
    fn set_sasl_credentials(
        &self,
        py: Python<'_>,
        username: &Bound<'_, PyAny>,
        password: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let sh = self.handle()?;
        let (u, p): (String, String) = (username.extract()?, password.extract()?);
        let (u, p) = (cstring(&u), cstring(&p));
        unsafe { check_obj(py, ffi::rd_kafka_share_sasl_set_credentials(sh.p(), u.as_ptr(), p.as_ptr())) }
    }

    /// Closes the share consumer: sends the pending acknowledgements, leaves the group
    /// (within about socket.timeout.ms) and frees it; a no-op when closed already.
    ///
    /// :returns: None
    /// :raises KafkaException: when closing fails.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let sh = Sh(self.sh.load(Ordering::Acquire));
        if sh.0.is_null() {
            return Ok(());
        }
        let e = py.detach(|| ErrObj(unsafe { ffi::rd_kafka_share_consumer_close(sh.p()) }));
        if !e.0.is_null() && unsafe { ffi::rd_kafka_error_code(e.0) } == ERR_CONFLICT {
            return unsafe { check_obj(py, e.0) };
        }
        self.destroy(py);
        let pending = self.raise_pending();
        unsafe { check_obj(py, e.0)? };
        pending
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) -> PyResult<bool> {
        self.close(py)?;
        Ok(false)
    }
}

impl ShareConsumer {
    /// The handle; IllegalStateException once closed (or never made).
    fn handle(&self) -> PyResult<Sh> {
        let p = self.sh.load(Ordering::Acquire);
        if p.is_null() {
            return Err(IllegalStateException::new_err("Share consumer closed"));
        }
        Ok(Sh(p))
    }

    fn state(&self) -> &State {
        // Set with the handle and kept until drop; handle() has checked it.
        unsafe { &*self.state.load(Ordering::Acquire) }
    }

    /// What a callback raised during the last call.
    fn raise_pending(&self) -> PyResult<()> {
        let st = self.state.load(Ordering::Acquire);
        if st.is_null() {
            return Ok(());
        }
        match unsafe { (*st).pending.lock().unwrap().take() } {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Destroys the handle (once), closing it first if close() did not.
    fn destroy(&self, py: Python<'_>) {
        let sh = Sh(self.sh.swap(std::ptr::null_mut(), Ordering::AcqRel));
        if !sh.0.is_null() {
            py.detach(|| unsafe { ignore(ffi::rd_kafka_share_destroy(sh.p())) });
        }
    }
}

impl Drop for ShareConsumer {
    fn drop(&mut self) {
        Python::attach(|py| self.destroy(py));
        let st = self.state.swap(std::ptr::null_mut(), Ordering::AcqRel);
        if !st.is_null() {
            unsafe { drop(Box::from_raw(st)) };
        }
    }
}

/// An rd_kafka_error_t handed back from a call without the GIL.
struct ErrObj(*mut ffi::ErrorT);
unsafe impl Send for ErrObj {}

/// A result list handed back from a call without the GIL.
struct ListObj(*mut ffi::rd_kafka_topic_partition_list_t);
unsafe impl Send for ListObj {}

unsafe fn ignore(e: *mut ffi::ErrorT) {
    if !e.is_null() {
        ffi::rd_kafka_error_destroy(e);
    }
}

/// An AcknowledgeType (or any int); ACCEPT when not given.
fn ack_type_of(t: Option<&Bound<'_, PyAny>>) -> PyResult<c_int> {
    match t {
        None => Ok(ACCEPT),
        // Out of c_int's range is as invalid as 0 or 4: the C call says so.
        Some(t) => Ok(t.extract::<i64>()?.clamp(0, i64::from(c_int::MAX)) as c_int),
    }
}

fn ack(
    py: Python<'_>,
    sh: Sh,
    topic: &str,
    partition: i32,
    offset: i64,
    typ: c_int,
    what: &str,
) -> PyResult<()> {
    let t = cstring(topic);
    let code = unsafe { ffi::rd_kafka_share_acknowledge_offset(sh.p(), t.as_ptr(), partition, offset, typ) };
    check_code(py, code, what)
}

/// The batch's messages as Python Messages, appended to `out`.
unsafe fn batch_to_py(py: Python<'_>, b: *mut ffi::messages_t, out: &Bound<'_, PyList>) -> PyResult<()> {
    for i in 0..ffi::rd_kafka_messages_count(b) {
        let m = ffi::rd_kafka_messages_get(b, i);
        if m.is_null() {
            continue;
        }
        let mut msg = Message::from_c(py, m)?;
        msg.delivery_count = ffi::rd_kafka_message_delivery_count(m);
        out.append(Py::new(py, msg)?)?;
    }
    Ok(())
}

/// Calls the application's acknowledgement-commit callback: (dict of TopicPartition to
/// the set of offsets, None or KafkaException). Its exception is raised by the call that
/// served it.
unsafe extern "C" fn ack_commit_cb(
    _sh: *mut ffi::share_t,
    list: *mut ffi::share_offsets_list_t,
    err: ffi::Err,
    opaque: *mut c_void,
) {
    Python::attach(|py| {
        let st = &*(opaque as *const State);
        let Some(cb) = st.ack_commit_cb.lock().unwrap().as_ref().map(|c| c.clone_ref(py)) else { return };
        let res = (|| -> PyResult<()> {
            let offsets = PyDict::new(py);
            for i in 0..ffi::rd_kafka_share_partition_offsets_list_count(list) {
                let po = ffi::rd_kafka_share_partition_offsets_list_get(list, i);
                let tp = &*ffi::rd_kafka_share_partition_offsets_partition(po);
                let n = ffi::rd_kafka_share_partition_offsets_offsets_cnt(po);
                let p = ffi::rd_kafka_share_partition_offsets_offsets(po);
                let offs = if n == 0 { &[][..] } else { std::slice::from_raw_parts(p, n) };
                let key = Py::new(py, TopicPartition::of(text(tp.topic), tp.partition))?;
                offsets.set_item(key, PySet::new(py, offs)?)?;
            }
            let e = if err != 0 {
                KafkaError::of(err, None).raise(py).into_value(py).into_any()
            } else {
                py.None()
            };
            cb.call1(py, (offsets, e))?;
            Ok(())
        })();
        if let Err(e) = res {
            let mut p = st.pending.lock().unwrap();
            if p.is_none() {
                *p = Some(e);
            }
        }
    })
}

//! Producer, as confluent_kafka's: produce() with a per-message delivery callback,
//! poll()/flush() serving the callbacks, purge, metadata and transactions.

use crate::client::{Client, Rk};
use crate::error::KafkaError;
use crate::error::{check, check_error};
use crate::ffi;
use crate::metadata::{cluster_id, group_metadata_read, list_topics};
use crate::types::{headers_to_c, to_c_list};
use crate::util::{cstring, err2str, payload, timeout_ms};
use pyo3::exceptions::{PyBufferError, PyNotImplementedError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyInt, PyList, PyString, PyTuple, PyType};
use std::borrow::Cow;
use std::mem::zeroed;

const ERR_QUEUE_FULL: i32 = -184;
const ERR_INVALID_ARG: i32 = -186;
const PURGE_QUEUE: i32 = 0x1;
const PURGE_INFLIGHT: i32 = 0x2;
const PURGE_NON_BLOCKING: i32 = 0x4;

/// A Kafka producer (confluent_kafka.Producer on kafkars): produce() queues messages,
/// which are sent in the background; poll() or flush() serve the delivery reports and
/// other callbacks on the calling thread. Usable as a context manager (closed on exit).
///
/// :param dict conf: the configuration: librdkafka properties (values are passed as
///     str(); bools as "true"/"false"), plus the Python callables error_cb(KafkaError),
///     throttle_cb(ThrottleEvent), stats_cb(json_str), oauth_cb(config_str) (returning
///     (token, expiry_seconds[, principal[, extensions]])), on_delivery(err, msg), and
///     logger (a logging.Logger). Keyword arguments are added to it.
/// :raises TypeError: when the configuration is not a dict, or error_cb, throttle_cb,
///     stats_cb or oauth_cb is not callable.
/// :raises KafkaException: when a property is unknown or invalid (_INVALID_ARG).
#[pyclass(module = "kafkars", subclass)]
pub struct Producer {
    c: Client,
}

fn vu(vtype: i32) -> ffi::rd_kafka_vu_t {
    let mut v: ffi::rd_kafka_vu_t = unsafe { zeroed() };
    v.vtype = vtype;
    v
}

#[pymethods]
impl Producer {
    #[new]
    #[classmethod]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(
        cls: &Bound<'_, PyType>,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let exact = cls.is(py.get_type::<Producer>());
        Ok(Producer { c: Client::for_new(py, exact, ffi::PRODUCER, args, kwargs)? })
    }

    /// Makes the handle of a subclass's instance (`super().__init__(conf)`); a no-op on
    /// one already made, as the base class configures in `__new__`.
    #[pyo3(name = "__init__", signature = (*args, **kwargs))]
    fn init(
        &mut self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        self.c.init(py, args, kwargs)
    }

    /// Queues a message for `topic`; it is sent in the background. Its delivery report
    /// goes to `on_delivery` (else `callback`, else the configuration's on_delivery) as
    /// (KafkaError or None, Message), from a later poll() or flush().
    ///
    /// :param str topic: the topic.
    /// :param value: the payload (str is encoded as UTF-8), or None.
    /// :type value: str or bytes
    /// :param key: the key (str is encoded as UTF-8), or None.
    /// :type key: str or bytes
    /// :param int partition: the partition; -1 (default): the configured partitioner
    ///     picks it.
    /// :param callable on_delivery: this message's delivery report callback.
    /// :param callable callback: the same (an older name), used when on_delivery is not.
    /// :param int timestamp: the timestamp in milliseconds since the epoch; 0 (default):
    ///     now.
    /// :param headers: a dict, or a list of (name, value) tuples (values str, bytes or
    ///     None).
    /// :type headers: dict or list
    /// :returns: None
    /// :raises BufferError: when the producer's queue is full (queue.buffering.max.*);
    ///     poll() to make room.
    /// :raises KafkaException: when the message cannot be queued (say, too large, or an
    ///     unknown partition).
    /// :raises TypeError: for a key, value, header or callback of a wrong type.
    /// :raises RuntimeError: when the producer is closed.
    #[pyo3(signature = (topic, value=None, key=None, partition=-1, on_delivery=None, callback=None, timestamp=0, headers=None))]
    #[allow(clippy::too_many_arguments)]
    fn produce(
        &self,
        py: Python<'_>,
        topic: &str,
        value: Option<&Bound<'_, PyAny>>,
        key: Option<&Bound<'_, PyAny>>,
        partition: i32,
        on_delivery: Option<&Bound<'_, PyAny>>,
        callback: Option<&Bound<'_, PyAny>>,
        timestamp: i64,
        headers: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let rk = self.c.rk()?;
        let value = payload(value)?;
        let key = payload(key)?;
        let cb = on_delivery.or(callback).filter(|c| !c.is_none());
        if let Some(cb) = cb {
            if !cb.is_callable() {
                return Err(pyo3::exceptions::PyTypeError::new_err("on_delivery expects a callable"));
            }
        }
        let hdrs = headers_to_c(headers)?;
        let t = cstring(topic);
        let opaque = cb.map_or(std::ptr::null_mut(), |c| Box::into_raw(Box::new(c.clone().unbind())));
        let mut vus = [
            vu(ffi::VTYPE_TOPIC),
            vu(ffi::VTYPE_PARTITION),
            vu(ffi::VTYPE_MSGFLAGS),
            vu(ffi::VTYPE_OPAQUE),
            vu(ffi::VTYPE_VALUE),
            vu(ffi::VTYPE_KEY),
            vu(ffi::VTYPE_TIMESTAMP),
            vu(ffi::VTYPE_HEADERS),
        ];
        vus[0].u.cstr = t.as_ptr();
        vus[1].u.i32 = partition;
        vus[2].u.i = ffi::MSG_F_COPY;
        vus[3].u.ptr = opaque as *mut libc::c_void;
        vus[4].u.mem = ffi_mem(value.as_deref());
        vus[5].u.mem = ffi_mem(key.as_deref());
        vus[6].u.i64 = timestamp;
        let n = if hdrs.is_null() { 7 } else { 8 };
        vus[7].u.headers = hdrs;
        let e = unsafe { ffi::rd_kafka_produceva(rk.p(), vus.as_ptr(), n) };
        if e.is_null() {
            return Ok(());
        }
        // Not queued: what was handed over stays ours.
        unsafe {
            if !opaque.is_null() {
                drop(Box::from_raw(opaque));
            }
            if !hdrs.is_null() {
                ffi::rd_kafka_headers_destroy(hdrs);
            }
        }
        let err = unsafe { crate::error::KafkaError::from_c(e) };
        if err.code == ERR_QUEUE_FULL {
            return Err(PyBufferError::new_err(err.reason.clone().unwrap_or_default()));
        }
        Err(crate::error::failed(py, err.code, "Unable to produce message"))
    }

    /// Queues `messages` (a list of dicts: value, key, callback; partition and headers
    /// are read but, as in confluent_kafka, every message goes to `partition` and without
    /// headers) for `topic`; returns how many were queued. A message that was not gets
    /// an '_error' KafkaError in its dict.
    #[pyo3(signature = (topic, messages, partition=-1, callback=None, on_delivery=None))]
    fn produce_batch(
        &self,
        py: Python<'_>,
        topic: &str,
        messages: &Bound<'_, PyAny>,
        partition: i32,
        callback: Option<&Bound<'_, PyAny>>,
        on_delivery: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<i32> {
        let list =
            messages.downcast::<PyList>().map_err(|_| PyTypeError::new_err("messages must be a list"))?;
        if list.is_empty() {
            return Ok(0);
        }
        let rk = self.c.rk()?;
        let t = cstring(topic);
        let rkt = unsafe { ffi::rd_kafka_topic_new(rk.p(), t.as_ptr(), std::ptr::null_mut()) };
        if rkt.is_null() {
            return Err(crate::error::exc(py, ERR_INVALID_ARG, Some(format!("Invalid topic: {topic}"))));
        }
        let res = produce_batch(py, rkt, list, partition, callback.or(on_delivery).filter(|c| !c.is_none()));
        unsafe { ffi::rd_kafka_topic_destroy(rkt) };
        res
    }

    /// Serves delivery reports and other callbacks, waiting up to `timeout` seconds
    /// (-1/None: forever) for one; returns how many were served.
    #[pyo3(signature = (timeout=None))]
    fn poll(slf: &Bound<'_, Self>, py: Python<'_>, timeout: Option<f64>) -> PyResult<i32> {
        let me = slf.borrow();
        let n = me.c.serve(py, slf.as_any(), timeout, |rk: Rk, ms| {
            let n = unsafe { ffi::rd_kafka_poll(rk.p(), ms) };
            (n > 0).then_some(n)
        })?;
        Ok(n.unwrap_or(0))
    }

    /// Waits until every queued message is delivered (or failed), serving delivery
    /// reports and other callbacks meanwhile.
    ///
    /// :param float timeout: the longest wait in seconds; None or negative (default):
    ///     no limit.
    /// :returns: how many messages are still queued or in flight (0: all done).
    /// :rtype: int
    /// :raises RuntimeError: when the producer is closed.
    /// :raises Exception: what a callback raised.
    #[pyo3(signature = (timeout=None))]
    fn flush(slf: &Bound<'_, Self>, py: Python<'_>, timeout: Option<f64>) -> PyResult<i32> {
        let me = slf.borrow();
        me.c.serve(py, slf.as_any(), timeout, |rk: Rk, ms| unsafe {
            ffi::rd_kafka_flush(rk.p(), ms);
            (ffi::rd_kafka_outq_len(rk.p()) == 0).then_some(())
        })?;
        Ok(unsafe { ffi::rd_kafka_outq_len(me.c.rk()?.p()) })
    }

    fn __len__(&self) -> usize {
        // A closed producer has nothing queued.
        self.c.rk().map_or(0, |rk| unsafe { ffi::rd_kafka_outq_len(rk.p()) }.max(0) as usize)
    }

    /// Flushes (waits for the queued messages, serving callbacks), then destroys the
    /// producer; later calls raise RuntimeError. Closing again does nothing.
    ///
    /// :param float timeout: the longest wait for the flush in seconds; None (default) or
    ///     negative: no limit.
    /// :returns: True when no message was left undelivered (or it was already closed).
    /// :rtype: bool
    #[pyo3(signature = (timeout=None))]
    fn close(slf: &Bound<'_, Self>, py: Python<'_>, timeout: Option<f64>) -> PyResult<bool> {
        if slf.borrow().c.rk().is_err() {
            return Ok(true);
        }
        let left = Producer::flush(slf, py, timeout)?;
        slf.borrow_mut().c.destroy(py);
        Ok(left == 0)
    }

    fn __bool__(&self) -> bool {
        true
    }

    /// Context manager entry.
    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Context manager exit: flushes and destroys the producer.
    fn __exit__(
        slf: &Bound<'_, Self>,
        py: Python<'_>,
        _a: Py<PyAny>,
        _b: Py<PyAny>,
        _c: Py<PyAny>,
    ) -> PyResult<()> {
        Producer::close(slf, py, None).map(|_| ())
    }

    /// Purges messages not yet delivered. Their delivery reports, served by a later
    /// poll() or flush(), carry the error _PURGE_QUEUE or _PURGE_INFLIGHT.
    ///
    /// :param bool in_queue: purge the messages still queued (default True).
    /// :param bool in_flight: purge the messages sent and awaiting an answer (default
    ///     True).
    /// :param bool blocking: wait for the purge to complete (default True).
    /// :returns: None
    /// :raises KafkaException: when the purge fails.
    /// :raises RuntimeError: when the producer is closed.
    #[pyo3(signature = (in_queue=None, in_flight=None, blocking=None))]
    fn purge(
        &self,
        py: Python<'_>,
        in_queue: Option<&Bound<'_, PyAny>>,
        in_flight: Option<&Bound<'_, PyAny>>,
        blocking: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let rk = self.c.rk()?;
        // Any object is a flag (its truth), as confluent_kafka reads them; absent is true.
        let flag = |v: Option<&Bound<'_, PyAny>>| v.map_or(Ok(true), |v| v.is_truthy());
        let (in_queue, in_flight, blocking) = (flag(in_queue)?, flag(in_flight)?, flag(blocking)?);
        let flags = (in_queue as i32 * PURGE_QUEUE)
            | (in_flight as i32 * PURGE_INFLIGHT)
            | (!blocking as i32 * PURGE_NON_BLOCKING);
        check(py, py.detach(|| unsafe { ffi::rd_kafka_purge(rk.p(), flags) }))
    }

    /// Asks the cluster for its metadata: brokers, and topics with their partitions.
    ///
    /// :param str topic: only this topic; None (default): all topics.
    /// :param float timeout: the longest wait in seconds; -1 (default): no limit.
    /// :returns: the metadata.
    /// :rtype: kafkars.admin.ClusterMetadata
    /// :raises KafkaException: when it fails or times out (_TRANSPORT, _TIMED_OUT, ...).
    /// :raises RuntimeError: when the producer is closed.
    #[pyo3(signature = (topic=None, timeout=-1.0))]
    fn list_topics(&self, py: Python<'_>, topic: Option<&str>, timeout: f64) -> PyResult<Py<PyAny>> {
        list_topics(py, self.c.handle()?, topic, timeout)
    }

    /// The cluster id, waiting up to `timeout` seconds (-1: forever) for metadata.
    #[pyo3(signature = (timeout=-1.0))]
    fn cluster_id(&self, py: Python<'_>, timeout: f64) -> PyResult<String> {
        cluster_id(py, self.c.handle()?, timeout)
    }

    /// Initializes the transactions of a producer configured with a transactional.id:
    /// registers it with the transaction coordinator (fencing a previous instance) and
    /// finishes what that instance left. Call once, before begin_transaction().
    ///
    /// :param float timeout: the longest wait in seconds; -1 (default): no limit.
    /// :returns: None
    /// :raises KafkaException: on failure; its KafkaError tells what to do next
    ///     (retriable(), txn_requires_abort(), fatal()).
    /// :raises RuntimeError: when the producer is closed.
    #[pyo3(signature = (timeout=-1.0))]
    fn init_transactions(&self, py: Python<'_>, timeout: f64) -> PyResult<()> {
        let (rk, t) = (self.c.rk()?, timeout_ms(Some(timeout)));
        let e = py.detach(move || Ptr(unsafe { ffi::rd_kafka_init_transactions(rk.p(), t) }));
        unsafe { check_error(py, e.0) }
    }

    /// Starts a transaction: the messages produced from now on are part of it, until
    /// commit_transaction() or abort_transaction().
    ///
    /// :returns: None
    /// :raises KafkaException: on failure; its KafkaError tells what to do next
    ///     (retriable(), txn_requires_abort(), fatal()).
    /// :raises RuntimeError: when the producer is closed.
    fn begin_transaction(&self, py: Python<'_>) -> PyResult<()> {
        unsafe { check_error(py, ffi::rd_kafka_begin_transaction(self.c.rk()?.p())) }
    }

    /// Adds a consumer's offsets to the current transaction: they are committed to the
    /// consumer's group when the transaction commits (consume-transform-produce).
    ///
    /// :param list(TopicPartition) positions: the offsets to commit (the next offsets to
    ///     consume, as Consumer.position() gives them).
    /// :param bytes group_metadata: the consumer's Consumer.consumer_group_metadata().
    /// :param float timeout: the longest wait in seconds; -1 (default): no limit.
    /// :returns: None
    /// :raises TypeError: when positions is not a list of TopicPartition.
    /// :raises KafkaException: on failure; its KafkaError tells what to do next
    ///     (retriable(), txn_requires_abort(), fatal()).
    /// :raises RuntimeError: when the producer is closed.
    #[pyo3(signature = (positions, group_metadata, timeout=-1.0))]
    fn send_offsets_to_transaction(
        &self,
        py: Python<'_>,
        positions: &Bound<'_, PyAny>,
        group_metadata: &[u8],
        timeout: f64,
    ) -> PyResult<()> {
        let rk = self.c.rk()?;
        let list = to_c_list(positions)?;
        let meta = group_metadata_read(py, group_metadata)?;
        let (l, t) = (Ptr(list.0 as *mut _), timeout_ms(Some(timeout)));
        let e = py.detach(move || {
            let (l, meta) = (l, meta);
            Ptr(unsafe { ffi::rd_kafka_send_offsets_to_transaction(rk.p(), l.0 as *const _, meta.0, t) })
        });
        unsafe { check_error(py, e.0) }
    }

    /// Commits the current transaction, first waiting for its messages to be delivered.
    ///
    /// :param float timeout: the longest wait in seconds; -1 (default): no limit.
    /// :returns: None
    /// :raises KafkaException: on failure; its KafkaError tells what to do next
    ///     (retriable(), txn_requires_abort(), fatal()).
    /// :raises RuntimeError: when the producer is closed.
    #[pyo3(signature = (timeout=-1.0))]
    fn commit_transaction(&self, py: Python<'_>, timeout: f64) -> PyResult<()> {
        let (rk, t) = (self.c.rk()?, timeout_ms(Some(timeout)));
        let e = py.detach(move || Ptr(unsafe { ffi::rd_kafka_commit_transaction(rk.p(), t) }));
        unsafe { check_error(py, e.0) }
    }

    /// Aborts the current transaction: read_committed consumers never see its messages.
    ///
    /// :param float timeout: the longest wait in seconds; -1 (default): no limit.
    /// :returns: None
    /// :raises KafkaException: on failure; its KafkaError tells what to do next
    ///     (retriable(), txn_requires_abort(), fatal()).
    /// :raises RuntimeError: when the producer is closed.
    #[pyo3(signature = (timeout=-1.0))]
    fn abort_transaction(&self, py: Python<'_>, timeout: f64) -> PyResult<()> {
        let (rk, t) = (self.c.rk()?, timeout_ms(Some(timeout)));
        let e = py.detach(move || Ptr(unsafe { ffi::rd_kafka_abort_transaction(rk.p(), t) }));
        unsafe { check_error(py, e.0) }
    }

    /// Sets the SASL username and password (for PLAIN and SCRAM), used from the next
    /// authentication on; existing connections are not affected.
    ///
    /// :param str username: the new username.
    /// :param str password: the new password.
    /// :returns: None
    /// :raises KafkaException: when it fails.
    /// :raises RuntimeError: when the producer is closed.
    fn set_sasl_credentials(&self, py: Python<'_>, username: &str, password: &str) -> PyResult<()> {
        let (u, p) = (cstring(username), cstring(password));
        unsafe {
            check_error(py, ffi::rd_kafka_sasl_set_credentials(self.c.rk()?.p(), u.as_ptr(), p.as_ptr()))
        }
    }
}

/// One message of produce_batch() as read from its dict: payload, key, callback.
type BatchItem<'a> = (Option<Cow<'a, [u8]>>, Option<Cow<'a, [u8]>>, Option<Bound<'a, PyAny>>);

/// Reads produce_batch()'s message dicts (confluent_kafka's checks and texts), hands
/// them to rd_kafka_produce_batch(), and marks the refused ones with '_error'.
fn produce_batch<'py>(
    py: Python<'py>,
    rkt: *mut ffi::rd_kafka_topic_t,
    list: &Bound<'py, PyList>,
    partition: i32,
    default_cb: Option<&Bound<'py, PyAny>>,
) -> PyResult<i32> {
    let dicts: Vec<Bound<'py, PyAny>> = list.iter().collect();
    let mut items: Vec<BatchItem<'_>> = Vec::with_capacity(dicts.len());
    for (i, d) in dicts.iter().enumerate() {
        let d = d
            .downcast::<PyDict>()
            .map_err(|_| PyTypeError::new_err(format!("Message at index {i} must be a dict")))?;
        let field = |name: &str| -> PyResult<Option<Bound<'py, PyAny>>> {
            Ok(d.get_item(name)?.filter(|v| !v.is_none()))
        };
        let bytes = |v: Option<Bound<'py, PyAny>>, what: &str| -> PyResult<Option<Cow<'static, [u8]>>> {
            match v {
                None => Ok(None),
                Some(v) if v.is_instance_of::<PyBytes>() || v.is_instance_of::<PyString>() => {
                    Ok(payload(Some(&v))?.map(|b| Cow::Owned(b.into_owned())))
                }
                Some(_) => {
                    Err(PyTypeError::new_err(format!("Message {what} at index {i} must be bytes or str")))
                }
            }
        };
        let value = bytes(field("value")?, "value")?;
        let key = bytes(field("key")?, "key")?;
        if let Some(p) = field("partition")? {
            if !p.is_instance_of::<PyInt>() {
                return Err(PyTypeError::new_err(format!("Message partition at index {i} must be int")));
            }
        }
        if field("timestamp")?.is_some() {
            return Err(PyNotImplementedError::new_err(
                "Message timestamps are not currently supported in batch mode",
            ));
        }
        let cb = field("callback")?.or_else(|| default_cb.cloned());
        if let Some(h) = field("headers")? {
            // Read as confluent_kafka reads them, then dropped: the batch API has none.
            let hdrs = headers_to_c(Some(&h))
                .map_err(|_| PyValueError::new_err(format!("Invalid headers at index {i}")))?;
            if !hdrs.is_null() {
                unsafe { ffi::rd_kafka_headers_destroy(hdrs) };
            }
        }
        items.push((value, key, cb));
    }
    let mut msgs: Vec<ffi::rd_kafka_message_t> = items
        .iter()
        .map(|(value, key, cb)| {
            let mut m: ffi::rd_kafka_message_t = unsafe { zeroed() };
            let (v, k) = (ffi_mem(value.as_deref()), ffi_mem(key.as_deref()));
            (m.payload, m.len, m.key, m.key_len) = (v.ptr, v.size, k.ptr, k.size);
            m.partition = partition;
            m._private = cb.as_ref().map_or(std::ptr::null_mut(), |c| {
                Box::into_raw(Box::new(c.clone().unbind())) as *mut libc::c_void
            });
            m
        })
        .collect();
    let good = unsafe {
        ffi::rd_kafka_produce_batch(rkt, partition, ffi::MSG_F_COPY, msgs.as_mut_ptr(), msgs.len() as i32)
    };
    for (m, d) in msgs.iter().zip(&dicts) {
        if m.err == 0 {
            continue;
        }
        // Not queued: the callback stays ours.
        if !m._private.is_null() {
            drop(unsafe { Box::from_raw(m._private as *mut Py<PyAny>) });
        }
        let e = KafkaError::of(m.err, Some(format!("Message failed: {}", err2str(m.err))));
        d.set_item("_error", Py::new(py, e)?)?;
    }
    Ok(good)
}

fn ffi_mem(b: Option<&[u8]>) -> kafkars::capi::rd_kafka_vu_mem {
    match b {
        Some(b) => kafkars::capi::rd_kafka_vu_mem { ptr: b.as_ptr() as *mut libc::c_void, size: b.len() },
        None => kafkars::capi::rd_kafka_vu_mem { ptr: std::ptr::null_mut(), size: 0 },
    }
}

/// A C pointer carried across a GIL release.
pub struct Ptr<T>(pub *mut T);
// SAFETY: only passed to librdkafka, whose objects are thread-safe to hand over.
unsafe impl<T> Send for Ptr<T> {}

impl<T> Clone for Ptr<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Ptr<T> {}

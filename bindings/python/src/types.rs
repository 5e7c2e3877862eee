//! TopicPartition and Message, as confluent_kafka's C types: what lists of partitions and
//! consumed or delivered messages look like in Python, and their C conversions.

use crate::error::KafkaError;
use crate::ffi;
use crate::util::{cstring, text};
use pyo3::basic::CompareOp;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// A topic partition with an offset, as requests take and results give it.
#[pyclass(module = "kafkars", subclass, get_all, set_all)]
pub struct TopicPartition {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    pub metadata: Option<String>,
    pub leader_epoch: Option<i32>,
    pub error: Option<Py<KafkaError>>,
}

#[pymethods]
impl TopicPartition {
    #[new]
    #[pyo3(signature = (topic, partition=-1, offset=-1001, metadata=None, leader_epoch=None))]
    fn new(
        topic: String,
        partition: i32,
        offset: i64,
        metadata: Option<String>,
        leader_epoch: Option<i32>,
    ) -> Self {
        let leader_epoch = leader_epoch.filter(|e| *e >= 0);
        TopicPartition { topic, partition, offset, metadata, leader_epoch, error: None }
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let epoch = self.leader_epoch.map_or("None".to_string(), |e| e.to_string());
        let error = match &self.error {
            Some(e) => e.get().__repr__(),
            None => "None".to_string(),
        };
        let _ = py;
        format!(
            "TopicPartition{{topic={},partition={},offset={},leader_epoch={},error={}}}",
            self.topic, self.partition, self.offset, epoch, error
        )
    }

    fn __str__(&self, py: Python<'_>) -> String {
        self.__repr__(py)
    }

    fn __hash__(&self) -> u64 {
        let mut h = DefaultHasher::new();
        (&self.topic, self.partition).hash(&mut h);
        h.finish()
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        let Ok(o) = other.downcast::<TopicPartition>() else {
            return Ok(py.NotImplemented());
        };
        let o = o.borrow();
        let ord = (&self.topic, self.partition).cmp(&(&o.topic, o.partition));
        Ok(op.matches(ord).into_pyobject(py)?.to_owned().into_any().unbind())
    }
}

/// A C partition list of `parts` (a list of TopicPartition); TypeError otherwise.
pub fn to_c_list(parts: &Bound<'_, PyAny>) -> PyResult<CList> {
    let items: Vec<Bound<'_, PyAny>> = if let Ok(l) = parts.downcast::<PyList>() {
        l.iter().collect()
    } else if let Ok(t) = parts.downcast::<PyTuple>() {
        t.iter().collect()
    } else {
        return Err(PyTypeError::new_err("expected list of TopicPartition"));
    };
    let list = CList::new(items.len());
    for item in items {
        let tp = item
            .downcast::<TopicPartition>()
            .map_err(|_| PyTypeError::new_err("expected list of TopicPartition"))?;
        list.push(&tp.borrow());
    }
    Ok(list)
}

/// An owned rd_kafka_topic_partition_list_t.
pub struct CList(pub *mut ffi::rd_kafka_topic_partition_list_t);

impl CList {
    pub fn new(n: usize) -> CList {
        CList(unsafe { ffi::rd_kafka_topic_partition_list_new(n as i32) })
    }

    pub fn push(&self, tp: &TopicPartition) {
        unsafe {
            let t = cstring(&tp.topic);
            let p = ffi::rd_kafka_topic_partition_list_add(self.0, t.as_ptr(), tp.partition);
            (*p).offset = tp.offset;
            if let Some(m) = &tp.metadata {
                let m = m.as_bytes();
                let buf = libc::malloc(m.len().max(1)) as *mut u8;
                std::ptr::copy_nonoverlapping(m.as_ptr(), buf, m.len());
                (*p).metadata = buf as *mut libc::c_void;
                (*p).metadata_size = m.len();
            }
            if let Some(e) = tp.leader_epoch {
                ffi::rd_kafka_topic_partition_set_leader_epoch(p, e);
            }
        }
    }

    /// The list as Python TopicPartitions (errors on the entries that have one).
    pub fn to_py(&self, py: Python<'_>) -> PyResult<Vec<Py<TopicPartition>>> {
        unsafe { list_to_py(py, self.0) }
    }
}

impl Drop for CList {
    fn drop(&mut self) {
        if !self.0.is_null() {
            unsafe { ffi::rd_kafka_topic_partition_list_destroy(self.0) }
        }
    }
}

/// A C partition list (not owned) as Python TopicPartitions.
pub unsafe fn list_to_py(
    py: Python<'_>,
    l: *const ffi::rd_kafka_topic_partition_list_t,
) -> PyResult<Vec<Py<TopicPartition>>> {
    let mut out = Vec::new();
    if l.is_null() {
        return Ok(out);
    }
    for i in 0..(*l).cnt as usize {
        let p = &*(*l).elems.add(i);
        let metadata = (!p.metadata.is_null()).then(|| {
            let b = std::slice::from_raw_parts(p.metadata as *const u8, p.metadata_size);
            String::from_utf8_lossy(b).into_owned()
        });
        let epoch = ffi::rd_kafka_topic_partition_get_leader_epoch(p);
        let error = if p.err != 0 { Some(Py::new(py, KafkaError::of(p.err, None))?) } else { None };
        out.push(Py::new(
            py,
            TopicPartition {
                topic: text(p.topic),
                partition: p.partition,
                offset: p.offset,
                metadata,
                leader_epoch: (epoch >= 0).then_some(epoch),
                error,
            },
        )?);
    }
    Ok(out)
}

/// A consumed or delivered message (or a consumer error event). The topic and error are
/// whatever set_topic()/set_error() put there, as in confluent_kafka (normally a str and
/// a KafkaError).
#[pyclass(module = "kafkars", subclass)]
pub struct Message {
    pub topic: Option<Py<PyAny>>,
    pub partition: Option<i32>,
    pub offset: Option<i64>,
    pub key: Option<Py<PyAny>>,
    pub value: Option<Py<PyAny>>,
    pub headers: Option<Py<PyAny>>,
    pub error: Option<Py<PyAny>>,
    pub timestamp: (i32, i64),
    pub latency: Option<f64>,
    pub leader_epoch: Option<i32>,
    /// Share consumers only (confluent_kafka's delivery_count()); None here otherwise.
    pub delivery_count: Option<i64>,
}

/// Message()'s parameters, in confluent_kafka's positional order.
const MESSAGE_ARGS: [&str; 11] = [
    "topic",
    "partition",
    "offset",
    "key",
    "value",
    "headers",
    "error",
    "timestamp",
    "latency",
    "leader_epoch",
    "delivery_count",
];

#[pymethods]
impl Message {
    /// A message built in Python, as confluent_kafka 2.16 allows: every field optional,
    /// negative numbers meaning "none", CPython's argument errors.
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        if args.len() > MESSAGE_ARGS.len() {
            return Err(PyTypeError::new_err(format!(
                "function takes at most {} arguments ({} given)",
                MESSAGE_ARGS.len(),
                args.len() + kwargs.map_or(0, |k| k.len())
            )));
        }
        let mut given: Vec<Option<Bound<'_, PyAny>>> = vec![None; MESSAGE_ARGS.len()];
        for (i, a) in args.iter().enumerate() {
            given[i] = Some(a);
        }
        for (k, v) in kwargs.into_iter().flat_map(|k| k.iter()) {
            let name: String = k.extract()?;
            let Some(i) = MESSAGE_ARGS.iter().position(|n| *n == name) else {
                return Err(PyTypeError::new_err(format!(
                    "'{name}' is an invalid keyword argument for this function"
                )));
            };
            if given[i].is_some() {
                return Err(PyTypeError::new_err(format!(
                    "argument for function given by name ('{name}') and position ({})",
                    i + 1
                )));
            }
            given[i] = Some(v);
        }
        let obj = |i: usize| given[i].as_ref().filter(|v| !v.is_none()).map(|v| v.clone().unbind());
        let int =
            |i: usize| -> PyResult<Option<i64>> { given[i].as_ref().map(|v| v.extract::<i64>()).transpose() };
        let timestamp = match &given[7] {
            None => (0, 0),
            Some(t) => t
                .downcast::<PyTuple>()
                .ok()
                .filter(|t| t.len() == 2)
                .and_then(|t| t.extract::<(i32, i64)>().ok())
                .ok_or_else(|| PyTypeError::new_err("timestamp must be a tuple of (int, int)"))?,
        };
        let latency = given[8].as_ref().map(|v| v.extract::<f64>()).transpose()?;
        Ok(Message {
            topic: obj(0),
            partition: int(1)?.filter(|p| *p >= 0).map(|p| p as i32),
            offset: int(2)?.filter(|o| *o >= 0),
            key: obj(3),
            value: obj(4),
            headers: obj(5),
            error: obj(6),
            timestamp,
            latency: latency.filter(|l| *l >= 0.0),
            leader_epoch: int(9)?.filter(|e| *e >= 0).map(|e| e as i32),
            delivery_count: int(10)?.filter(|d| *d > 0),
        })
    }

    /// The message's error (a KafkaError), or None.
    fn error(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.error.as_ref().map(|e| e.clone_ref(py))
    }

    fn topic(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.topic.as_ref().map(|t| t.clone_ref(py))
    }

    /// Sets what topic() returns (any object, as confluent_kafka takes it).
    #[pyo3(signature = (*args, **kwargs))]
    fn set_topic(&mut self, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
        self.topic = one_arg("set_topic", args, kwargs)?;
        Ok(())
    }

    /// Sets what error() returns (any object, as confluent_kafka takes it).
    #[pyo3(signature = (*args, **kwargs))]
    fn set_error(&mut self, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
        self.error = one_arg("set_error", args, kwargs)?;
        Ok(())
    }

    fn partition(&self) -> Option<i32> {
        self.partition
    }

    fn offset(&self) -> Option<i64> {
        self.offset
    }

    fn key(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.key.as_ref().map(|k| k.clone_ref(py))
    }

    fn value(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.value.as_ref().map(|k| k.clone_ref(py))
    }

    /// The headers as a list of (name, value) tuples, or None.
    fn headers(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.headers.as_ref().map(|k| k.clone_ref(py))
    }

    /// (timestamp type, timestamp in ms): TIMESTAMP_NOT_AVAILABLE, _CREATE_TIME or
    /// _LOG_APPEND_TIME.
    fn timestamp(&self) -> (i32, i64) {
        self.timestamp
    }

    /// Seconds from produce() to the delivery report (None when not a delivery report).
    fn latency(&self) -> Option<f64> {
        self.latency
    }

    fn leader_epoch(&self) -> Option<i32> {
        self.leader_epoch
    }

    fn delivery_count(&self) -> Option<i64> {
        self.delivery_count
    }

    fn set_key(&mut self, key: Option<Py<PyAny>>) {
        self.key = key;
    }

    fn set_value(&mut self, value: Option<Py<PyAny>>) {
        self.value = value;
    }

    fn set_headers(&mut self, headers: Option<Py<PyAny>>) {
        self.headers = headers;
    }

    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        match &self.value {
            Some(v) => v.bind(py).len(),
            None => Ok(0),
        }
    }
}

/// The one positional argument of a Message setter (None: cleared), with CPython's
/// errors for METH_O methods.
fn one_arg(
    name: &str,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Option<Py<PyAny>>> {
    if kwargs.is_some_and(|k| !k.is_empty()) {
        return Err(PyTypeError::new_err(format!("Message.{name}() takes no keyword arguments")));
    }
    if args.len() != 1 {
        return Err(PyTypeError::new_err(format!(
            "Message.{name}() takes exactly one argument ({} given)",
            args.len()
        )));
    }
    let v = args.get_item(0)?;
    Ok((!v.is_none()).then(|| v.unbind()))
}

impl Message {
    /// A C message as Python (the C message stays the caller's).
    pub unsafe fn from_c(py: Python<'_>, m: *const ffi::rd_kafka_message_t) -> PyResult<Message> {
        let r = &*m;
        let bytes = |p: *const libc::c_void, n: usize| -> Option<Py<PyAny>> {
            (!p.is_null())
                .then(|| PyBytes::new(py, std::slice::from_raw_parts(p as *const u8, n)).into_any().unbind())
        };
        let topic = (!r.rkt.is_null())
            .then(|| PyString::new(py, &text(ffi::rd_kafka_topic_name(r.rkt))).into_any().unbind());
        let error = if r.err != 0 {
            let reason = text(ffi::rd_kafka_message_errstr(m));
            Some(Py::new(py, KafkaError::of(r.err, (!reason.is_empty()).then_some(reason)))?.into_any())
        } else {
            None
        };
        let mut tstype = 0;
        let ts = ffi::rd_kafka_message_timestamp(m, &mut tstype);
        let latency = ffi::rd_kafka_message_latency(m);
        let epoch = ffi::rd_kafka_message_leader_epoch(m);
        Ok(Message {
            topic,
            partition: (r.partition >= 0).then_some(r.partition),
            offset: (r.offset >= 0).then_some(r.offset),
            key: bytes(r.key, r.key_len),
            value: bytes(r.payload, r.len),
            headers: headers_of(py, m)?,
            error,
            timestamp: (tstype, ts),
            latency: (latency >= 0).then(|| latency as f64 / 1e6),
            leader_epoch: (epoch >= 0).then_some(epoch),
            delivery_count: None,
        })
    }
}

/// A message's headers as a list of (name, value) tuples, None when it has none.
unsafe fn headers_of(py: Python<'_>, m: *const ffi::rd_kafka_message_t) -> PyResult<Option<Py<PyAny>>> {
    let mut h: *mut ffi::rd_kafka_headers_t = std::ptr::null_mut();
    if ffi::rd_kafka_message_headers(m, &mut h) != 0 || h.is_null() {
        return Ok(None);
    }
    let list = PyList::empty(py);
    let mut i = 0;
    loop {
        let (mut name, mut val, mut size) = (std::ptr::null(), std::ptr::null(), 0usize);
        if ffi::rd_kafka_header_get_all(h, i, &mut name, &mut val, &mut size) != 0 {
            break;
        }
        let v: Py<PyAny> = if val.is_null() {
            py.None()
        } else {
            PyBytes::new(py, std::slice::from_raw_parts(val as *const u8, size)).into_any().unbind()
        };
        list.append((text(name), v))?;
        i += 1;
    }
    Ok(Some(list.into_any().unbind()))
}

/// Headers given to produce(): a dict or a list of (name, value) tuples, values bytes,
/// str or None. NULL for None.
pub fn headers_to_c(h: Option<&Bound<'_, PyAny>>) -> PyResult<*mut ffi::rd_kafka_headers_t> {
    let Some(h) = h.filter(|h| !h.is_none()) else { return Ok(std::ptr::null_mut()) };
    let pairs: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)> = if let Ok(d) = h.downcast::<PyDict>() {
        d.iter().collect()
    } else if let Ok(l) = h.downcast::<PyList>() {
        l.iter().map(|x| x.extract()).collect::<PyResult<_>>().map_err(|_| bad_headers(h))?
    } else {
        return Err(bad_headers(h));
    };
    let hdrs = unsafe { ffi::rd_kafka_headers_new(pairs.len()) };
    for (k, v) in pairs {
        // A name that is not a str is what str() makes of it (as confluent_kafka).
        let name: String = match k.str() {
            Ok(n) => n.to_string(),
            Err(e) => {
                unsafe { ffi::rd_kafka_headers_destroy(hdrs) };
                return Err(e);
            }
        };
        let value = match crate::util::payload(Some(&v)) {
            Ok(v) => v,
            Err(_) => {
                unsafe { ffi::rd_kafka_headers_destroy(hdrs) };
                return Err(PyTypeError::new_err(format!(
                    "header value for '{name}' must be bytes, str or None"
                )));
            }
        };
        let (vp, vn) = value
            .as_deref()
            .map_or((std::ptr::null(), 0), |b| (b.as_ptr() as *const libc::c_void, b.len() as isize));
        unsafe {
            ffi::rd_kafka_header_add(hdrs, name.as_ptr() as *const libc::c_char, name.len() as isize, vp, vn)
        };
    }
    Ok(hdrs)
}

fn bad_headers(h: &Bound<'_, PyAny>) -> PyErr {
    let t = h.get_type().name().map(|n| n.to_string()).unwrap_or_default();
    PyTypeError::new_err(format!("expected headers to be dict or list of (key, value) tuples, not {t}"))
}

//! TopicPartition, as confluent_kafka's C type: what lists of partitions look like in
//! Python, and their C conversions; message headers to C. (Message is in message.rs.)

use crate::error::KafkaError;
use crate::ffi;
use crate::util::{cstring, text};
use pyo3::basic::CompareOp;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple, PyType};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

pub use crate::message::Message;

impl TopicPartition {
    /// The constructor's arguments: (topic, partition, offset, metadata, leader_epoch),
    /// by position or keyword.
    fn set_from(&mut self, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
        const NAMES: [&str; 5] = ["topic", "partition", "offset", "metadata", "leader_epoch"];
        if args.len() > NAMES.len() {
            return Err(PyTypeError::new_err(format!(
                "TopicPartition() takes at most 5 arguments ({} given)",
                args.len()
            )));
        }
        let mut vals: [Option<Bound<'_, PyAny>>; 5] = Default::default();
        for (i, a) in args.iter().enumerate() {
            vals[i] = Some(a);
        }
        if let Some(kw) = kwargs {
            for (k, v) in kw.iter() {
                let k: String = k.extract()?;
                let i = NAMES.iter().position(|n| *n == k).ok_or_else(|| {
                    PyTypeError::new_err(format!("'{k}' is an invalid keyword argument for TopicPartition()"))
                })?;
                if vals[i].is_some() {
                    return Err(PyTypeError::new_err(format!(
                        "argument for TopicPartition() given by name ('{k}') and position"
                    )));
                }
                vals[i] = Some(v);
            }
        }
        let [topic, partition, offset, metadata, leader_epoch] = vals;
        let topic = topic.ok_or_else(|| {
            PyTypeError::new_err("TopicPartition() missing required argument 'topic' (pos 1)")
        })?;
        // pyo3's own wording for a bad argument, as the signature-parsed constructor gave.
        fn arg<'py, T: FromPyObject<'py>>(name: &str, v: &Bound<'py, PyAny>) -> PyResult<T> {
            v.extract().map_err(|e| {
                let py = v.py();
                PyErr::from_type(e.get_type(py), format!("argument '{name}': {}", e.value(py)))
            })
        }
        self.topic = arg("topic", &topic)?;
        self.partition = partition.map_or(Ok(-1), |v| arg("partition", &v))?;
        self.offset = offset.map_or(Ok(-1001), |v| arg("offset", &v))?;
        self.metadata = metadata.filter(|v| !v.is_none()).map(|v| arg("metadata", &v)).transpose()?;
        self.leader_epoch = leader_epoch
            .filter(|v| !v.is_none())
            .map(|v| arg::<i32>("leader_epoch", &v))
            .transpose()?
            .filter(|e| *e >= 0);
        Ok(())
    }
}

/// A topic partition with an offset (and commit metadata and leader epoch), as
/// requests take it (assign, commit, seek, committed, offsets_for_times, ...) and
/// results give it, with the partition's error if any. The attributes are writable.
/// Equality, ordering and hash go by (topic, partition) only.
///
/// :param str topic: the topic name.
/// :param int partition: the partition (default -1: none).
/// :param int offset: an offset, or one of the logical offsets OFFSET_BEGINNING,
///     OFFSET_END, OFFSET_STORED and OFFSET_INVALID (default: OFFSET_INVALID, -1001).
/// :param str metadata: commit metadata (default None).
/// :param int leader_epoch: the leader epoch of the offset (default None; a negative
///     one is taken as None).
#[pyclass(module = "kafkars", subclass, get_all, set_all)]
pub struct TopicPartition {
    /// The topic name.
    ///
    /// :type: str
    pub topic: String,
    /// The partition number (-1: none).
    ///
    /// :type: int
    pub partition: i32,
    /// The offset, or a logical offset (OFFSET_BEGINNING, OFFSET_END,
    /// OFFSET_STORED, OFFSET_INVALID). In offsets_for_times() requests, a timestamp in
    /// milliseconds.
    ///
    /// :type: int
    pub offset: i64,
    /// The commit metadata, or None.
    ///
    /// :type: str
    pub metadata: Option<String>,
    /// The leader epoch of the offset, or None when unknown.
    ///
    /// :type: int
    pub leader_epoch: Option<i32>,
    /// This partition's error in a result, else None.
    ///
    /// :type: KafkaError
    pub error: Option<Py<KafkaError>>,
}

impl TopicPartition {
    /// A topic's partition with no offset (OFFSET_INVALID) and nothing else.
    pub fn of(topic: String, partition: i32) -> TopicPartition {
        TopicPartition { topic, partition, offset: -1001, metadata: None, leader_epoch: None, error: None }
    }
}

#[pymethods]
impl TopicPartition {
    /// TopicPartition(topic, partition=-1, offset=-1001, metadata=None, leader_epoch=None).
    /// A subclass's instance gets its fields from `__init__` (`super().__init__(...)`), as
    /// confluent_kafka's does, so the subclass may take other arguments.
    #[new]
    #[classmethod]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(
        cls: &Bound<'_, PyType>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let mut tp = TopicPartition {
            topic: String::new(),
            partition: -1,
            offset: -1001,
            metadata: None,
            leader_epoch: None,
            error: None,
        };
        if cls.is(cls.py().get_type::<TopicPartition>()) {
            tp.set_from(args, kwargs)?;
        }
        Ok(tp)
    }

    /// Sets the fields of a subclass's instance (a no-op difference on the base class,
    /// whose `__new__` already set them from the same arguments).
    #[pyo3(name = "__init__", signature = (*args, **kwargs))]
    fn init(&mut self, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
        self.set_from(args, kwargs)
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

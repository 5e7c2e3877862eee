//! Message, as confluent_kafka's C type: a consumed or delivered message (or a consumer
//! error event), which Python code may also build, compare and pickle.

use crate::error::KafkaError;
use crate::ffi;
use crate::util::text;
use pyo3::basic::CompareOp;
use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyList, PyString, PyTuple, PyType};

/// A consumed or delivered message (or a consumer error event). The topic and error are
/// whatever set_topic()/set_error() put there, as in confluent_kafka (normally a str and
/// a KafkaError).
///
/// The numbers hold what confluent_kafka's C fields hold: `Message.__new__(Message)` (no
/// `__init__`) has zeros, `Message()` has "none" (None here, -1 or -1001 in `__reduce__`).
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
    /// Seconds, in whole microseconds (confluent_kafka keeps microseconds).
    pub latency: Option<f64>,
    pub leader_epoch: Option<i32>,
    /// Share consumers only (confluent_kafka's delivery_count()): > 0 when known; -1 when
    /// not, 0 in a message `__init__` never ran on (what `__reduce__` shows).
    pub delivery_count: i16,
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

/// Adds Message to the module with `__init__` as its init slot. pyo3 makes `__init__` a
/// plain method, which `Message(...)` would not call; assigning it again on the (mutable,
/// heap) type makes CPython dispatch the type's init to it, as for a Python class. So
/// `Message.__new__(Message)` gives the zeroed message and `Message()` the empty one.
pub fn add(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Message>()?;
    let ty = m.py().get_type::<Message>();
    ty.setattr("__init__", ty.getattr("__init__")?)?;
    Ok(())
}

#[pymethods]
impl Message {
    /// A zeroed message (what confluent_kafka's allocation gives); `__init__` fills it.
    #[new]
    #[pyo3(signature = (*_args, **_kwargs))]
    fn new(_args: &Bound<'_, PyTuple>, _kwargs: Option<&Bound<'_, PyDict>>) -> Self {
        Message {
            topic: None,
            partition: Some(0),
            offset: Some(0),
            key: None,
            value: None,
            headers: None,
            error: None,
            timestamp: (0, 0),
            latency: Some(0.0),
            leader_epoch: Some(0),
            delivery_count: 0,
        }
    }

    /// Message(topic=None, partition=-1, offset=-1001, key=None, value=None, headers=None,
    /// error=None, timestamp=None, latency=-1.0, leader_epoch=-1, delivery_count=-1), as
    /// confluent_kafka 2.16 takes it: negative numbers mean "none", any object goes for
    /// the others, CPython's argument errors. Every field is set anew.
    #[pyo3(name = "__init__", signature = (*args, **kwargs))]
    fn init(&mut self, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
        let given = bind_args(args, kwargs)?;
        // The numbers are converted first (an error changes nothing), in argument order.
        let partition =
            given[1].as_ref().map_or(Ok(-1), |v| c_int(v, i32::MIN as i64, i32::MAX as i64, ""))?;
        let offset = given[2].as_ref().map_or(Ok(-1001), long_long)?;
        let latency = given[8].as_ref().map_or(Ok(-1.0), |v| v.extract::<f64>())?;
        let epoch = given[9].as_ref().map_or(Ok(-1), |v| c_int(v, i32::MIN as i64, i32::MAX as i64, ""))?;
        let count =
            given[10].as_ref().map_or(Ok(-1), |v| c_int(v, i16::MIN as i64, i16::MAX as i64, " short"))?;
        // Then the objects, then the timestamp: a bad timestamp leaves the objects set and
        // the numbers as they were, as in confluent_kafka.
        let obj = |i: usize| given[i].as_ref().filter(|v| !v.is_none()).map(|v| v.clone().unbind());
        self.topic = obj(0);
        self.key = obj(3);
        self.value = obj(4);
        self.headers = obj(5);
        self.error = obj(6);
        self.timestamp = timestamp_arg(given[7].as_ref())?;
        self.partition = (partition >= 0).then_some(partition as i32);
        self.offset = (offset >= 0).then_some(offset);
        self.latency = latency_of(latency);
        self.leader_epoch = (epoch >= 0).then_some(epoch as i32);
        self.delivery_count = if count > 0 { count as i16 } else { -1 };
        Ok(())
    }

    /// The error of a consumer error event or a failed delivery.
    ///
    /// :returns: the KafkaError (or what set_error() set), or None for a proper message.
    /// :rtype: KafkaError or None
    fn error(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.error.as_ref().map(|e| e.clone_ref(py))
    }

    /// The message's topic.
    ///
    /// :returns: the topic name (or what set_topic() set), or None.
    /// :rtype: str or None
    fn topic(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.topic.as_ref().map(|t| t.clone_ref(py))
    }

    /// Replaces what topic() returns.
    ///
    /// :param object value: the new topic (any object; None clears it).
    /// :returns: None
    /// :raises TypeError: unless given exactly one positional argument.
    #[pyo3(signature = (*args, **kwargs))]
    fn set_topic(&mut self, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
        self.topic = one_arg("set_topic", args, kwargs)?;
        Ok(())
    }

    /// Replaces what error() returns.
    ///
    /// :param object value: the new error (any object; None clears it).
    /// :returns: None
    /// :raises TypeError: unless given exactly one positional argument.
    #[pyo3(signature = (*args, **kwargs))]
    fn set_error(&mut self, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
        self.error = one_arg("set_error", args, kwargs)?;
        Ok(())
    }

    /// The message's partition.
    ///
    /// :returns: the partition, or None when unknown (some error events and failed
    ///     deliveries).
    /// :rtype: int or None
    fn partition(&self) -> Option<i32> {
        self.partition
    }

    /// The message's offset.
    ///
    /// :returns: the offset, or None when unknown (error events, failed deliveries).
    /// :rtype: int or None
    fn offset(&self) -> Option<i64> {
        self.offset
    }

    /// The message's key.
    ///
    /// :returns: the key (bytes as consumed; whatever a deserializer or set_key() made
    ///     of it), or None.
    /// :rtype: bytes or None
    fn key(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.key.as_ref().map(|k| k.clone_ref(py))
    }

    /// The message's value (payload).
    ///
    /// :returns: the value (bytes as consumed; whatever a deserializer or set_value()
    ///     made of it), or None.
    /// :rtype: bytes or None
    fn value(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.value.as_ref().map(|k| k.clone_ref(py))
    }

    /// The message's headers, in order, duplicates kept.
    ///
    /// :returns: a list of (name, value) tuples (str, bytes or None), or None when the
    ///     message has none (delivery reports never carry them).
    /// :rtype: list(tuple(str, bytes)) or None
    fn headers(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.headers.as_ref().map(|k| k.clone_ref(py))
    }

    /// The message's timestamp and its type.
    ///
    /// :returns: (timestamp type, timestamp in milliseconds since the epoch); the type
    ///     is TIMESTAMP_NOT_AVAILABLE (the timestamp is then meaningless),
    ///     TIMESTAMP_CREATE_TIME (set by the producer) or TIMESTAMP_LOG_APPEND_TIME (set
    ///     by the broker).
    /// :rtype: tuple(int, int)
    fn timestamp(&self) -> (i32, i64) {
        self.timestamp
    }

    /// The time the message took from produce() to its delivery report.
    ///
    /// :returns: seconds (microsecond precision), or None when not a delivery report.
    /// :rtype: float or None
    fn latency(&self) -> Option<f64> {
        self.latency
    }

    /// The leader epoch of the message's partition when it was fetched.
    ///
    /// :returns: the leader epoch, or None when unknown.
    /// :rtype: int or None
    fn leader_epoch(&self) -> Option<i32> {
        self.leader_epoch
    }

    /// How many times a share consumer was given this message.
    ///
    /// :returns: the delivery count (>= 1), or None when unknown. kafkars has no share
    ///     consumer, so only a Message built with a delivery_count has one.
    /// :rtype: int or None
    fn delivery_count(&self) -> Option<i16> {
        (self.delivery_count > 0).then_some(self.delivery_count)
    }

    /// Replaces what key() returns.
    ///
    /// :param object value: the new key (any object; None clears it).
    /// :returns: None
    /// :raises TypeError: unless given exactly one positional argument.
    #[pyo3(signature = (*args, **kwargs))]
    fn set_key(&mut self, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
        self.key = one_arg("set_key", args, kwargs)?;
        Ok(())
    }

    /// Replaces what value() returns.
    ///
    /// :param object value: the new value (any object; None clears it).
    /// :returns: None
    /// :raises TypeError: unless given exactly one positional argument.
    #[pyo3(signature = (*args, **kwargs))]
    fn set_value(&mut self, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
        self.value = one_arg("set_value", args, kwargs)?;
        Ok(())
    }

    /// Replaces what headers() returns.
    ///
    /// :param object value: the new headers (any object; None clears it).
    /// :returns: None
    /// :raises TypeError: unless given exactly one positional argument.
    #[pyo3(signature = (*args, **kwargs))]
    fn set_headers(&mut self, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
        self.headers = one_arg("set_headers", args, kwargs)?;
        Ok(())
    }

    /// len(value()): 0 without a value, TypeError for a value without a length.
    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        match &self.value {
            Some(v) => v.bind(py).len(),
            None => Ok(0),
        }
    }

    /// (Message, the constructor's arguments), for pickle and copy; a subclass's instance
    /// comes back as a Message, as in confluent_kafka.
    fn __reduce__(&self, py: Python<'_>) -> PyResult<(Py<PyType>, Py<PyTuple>)> {
        let obj = |o: &Option<Py<PyAny>>| o.as_ref().map_or_else(|| py.None(), |o| o.clone_ref(py));
        let latency = self.latency.filter(|l| *l >= 0.0).unwrap_or(-1.0);
        let args = (
            obj(&self.topic),
            self.partition.unwrap_or(-1),
            self.offset.unwrap_or(-1001),
            obj(&self.key),
            obj(&self.value),
            obj(&self.headers),
            obj(&self.error),
            self.timestamp,
            latency,
            self.leader_epoch.unwrap_or(-1),
            self.delivery_count,
        );
        Ok((py.get_type::<Message>().unbind(), args.into_pyobject(py)?.unbind()))
    }

    /// == and != compare the fields (objects with ==, in confluent_kafka's order; not the
    /// timestamp type nor the delivery count); a non-Message is unequal. No ordering, and
    /// no hash (a Message is mutable).
    fn __richcmp__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let want = match op {
            CompareOp::Eq => true,
            CompareOp::Ne => false,
            _ => return Ok(py.NotImplemented()),
        };
        let same = match other.downcast::<Message>() {
            Ok(o) => {
                // Copies first: an object's __eq__ may call back into either message.
                let (a, b) = (Fields::of(&slf.borrow(), py), Fields::of(&o.borrow(), py));
                a.same_as(&b, py)?
            }
            Err(_) => false,
        };
        Ok(PyBool::new(py, same == want).to_owned().into_any().unbind())
    }
}

/// What == compares of a Message.
struct Fields {
    objects: [Option<Py<PyAny>>; 5],
    numbers: (Option<i32>, Option<i64>, Option<i32>, Option<f64>, i64),
}

impl Fields {
    fn of(m: &Message, py: Python<'_>) -> Fields {
        let c = |o: &Option<Py<PyAny>>| o.as_ref().map(|o| o.clone_ref(py));
        Fields {
            objects: [c(&m.topic), c(&m.value), c(&m.key), c(&m.headers), c(&m.error)],
            numbers: (m.partition, m.offset, m.leader_epoch, m.latency, m.timestamp.1),
        }
    }

    /// Equal objects (both None, the same object, or == true, stopping at the first that
    /// differs; its error propagates), then equal numbers.
    fn same_as(&self, o: &Fields, py: Python<'_>) -> PyResult<bool> {
        for (a, b) in self.objects.iter().zip(&o.objects) {
            let eq = match (a, b) {
                (None, None) => true,
                (Some(a), Some(b)) => a.is(b) || a.bind(py).eq(b.bind(py))?,
                _ => false,
            };
            if !eq {
                return Ok(false);
            }
        }
        Ok(self.numbers == o.numbers)
    }
}

/// Message()'s arguments by position, from position or keyword, with CPython's errors.
fn bind_args<'py>(
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Vec<Option<Bound<'py, PyAny>>>> {
    if args.len() > MESSAGE_ARGS.len() {
        return Err(PyTypeError::new_err(format!(
            "function takes at most {} arguments ({} given)",
            MESSAGE_ARGS.len(),
            args.len() + kwargs.map_or(0, |k| k.len())
        )));
    }
    let mut given: Vec<Option<Bound<'py, PyAny>>> = vec![None; MESSAGE_ARGS.len()];
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
    Ok(given)
}

/// An int argument of a C integer type in [min, max] (CPython's "i"/"h" conversions and
/// errors; `kind` is " short" for a short).
fn c_int(v: &Bound<'_, PyAny>, min: i64, max: i64, kind: &str) -> PyResult<i64> {
    let n: i64 = v.extract()?;
    if n > max {
        Err(PyOverflowError::new_err(format!("signed{kind} integer is greater than maximum")))
    } else if n < min {
        Err(PyOverflowError::new_err(format!("signed{kind} integer is less than minimum")))
    } else {
        Ok(n)
    }
}

/// A long long argument (CPython's "L" conversion and its overflow error).
fn long_long(v: &Bound<'_, PyAny>) -> PyResult<i64> {
    v.extract::<i64>().map_err(|e| {
        if e.is_instance_of::<PyOverflowError>(v.py()) {
            PyOverflowError::new_err("int too big to convert")
        } else {
            e
        }
    })
}

/// The timestamp argument: None (0, 0), or a 2-tuple of ints whose type is kept in a C
/// int (wrapping, as confluent_kafka's does).
fn timestamp_arg(v: Option<&Bound<'_, PyAny>>) -> PyResult<(i32, i64)> {
    let Some(v) = v.filter(|v| !v.is_none()) else { return Ok((0, 0)) };
    let t = v
        .downcast::<PyTuple>()
        .ok()
        .filter(|t| t.len() == 2)
        .ok_or_else(|| PyTypeError::new_err("timestamp must be a tuple of (int, int)"))?;
    let kind: i64 = t.get_item(0)?.extract()?;
    Ok((kind as i32, t.get_item(1)?.extract()?))
}

/// A latency argument as confluent_kafka keeps it: negative is none, else whole
/// microseconds in a 64-bit int, where NaN and out-of-range values become the int's
/// minimum (x86's conversion, which confluent_kafka's C cast does on its wheels).
fn latency_of(l: f64) -> Option<f64> {
    if l < 0.0 {
        return None;
    }
    let us = l * 1e6;
    let us = if us.is_nan() || us >= i64::MAX as f64 { i64::MIN } else { us as i64 };
    Some(us as f64 / 1e6)
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
            delivery_count: -1,
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

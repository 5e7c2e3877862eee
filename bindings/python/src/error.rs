//! KafkaError and KafkaException, as confluent_kafka defines them: the error object with
//! its code, name, text and flags, every error code as a class attribute.

use crate::ffi;
use crate::util::{err2str, text};
use pyo3::basic::CompareOp;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyType;

pyo3::create_exception!(kafkars, KafkaException, PyException, "A Kafka error; args[0] is a KafkaError.");

/// An error from the client or the broker: a code (a class attribute of KafkaError,
/// listed below), a text, and whether it is fatal, retriable or requires a transaction
/// abort. Raised inside KafkaException (as args[0]) and given to error_cb, on_delivery
/// and on_commit, and by Message.error(). It compares and hashes as its code, so
/// ``err == KafkaError._PARTITION_EOF`` works.
///
/// :param int error: the error code.
/// :param str reason: the text; None (default) uses the code's description.
/// :param bool fatal: whether the client can no longer be used.
/// :param bool retriable: whether the failed call may succeed when retried.
/// :param bool txn_requires_abort: whether the current transaction must be aborted.
#[pyclass(module = "kafkars", subclass, frozen)]
#[derive(Clone)]
pub struct KafkaError {
    pub code: i32,
    pub reason: Option<String>,
    pub fatal: bool,
    pub retriable: bool,
    pub txn_requires_abort: bool,
}

#[pymethods]
impl KafkaError {
    #[new]
    #[pyo3(signature = (error, reason=None, fatal=false, retriable=false, txn_requires_abort=false))]
    fn new(
        error: i32,
        reason: Option<String>,
        fatal: bool,
        retriable: bool,
        txn_requires_abort: bool,
    ) -> Self {
        KafkaError { code: error, reason, fatal, retriable, txn_requires_abort }
    }

    /// The error code.
    ///
    /// :returns: the code, one of the KafkaError class attributes
    ///     (KafkaError.<NAME>): negative for client (local) errors, whose names start
    ///     with '_', positive for broker errors.
    /// :rtype: int
    fn code(&self) -> i32 {
        self.code
    }

    /// The error code's name.
    ///
    /// :returns: the name of the code, as its class attribute is named
    ///     ("_MSG_TIMED_OUT", "UNKNOWN_TOPIC_OR_PART").
    /// :rtype: str
    fn name(&self) -> String {
        unsafe { text(ffi::rd_kafka_err2name(self.code)) }
    }

    /// The error's text.
    ///
    /// :returns: the reason given, else the description of the code.
    /// :rtype: str
    fn str(&self) -> String {
        self.text()
    }

    /// Whether the error is fatal: the client can no longer be used and should be closed
    /// (for instance a fenced idempotent or transactional producer).
    ///
    /// :returns: True for a fatal error.
    /// :rtype: bool
    fn fatal(&self) -> bool {
        self.fatal
    }

    /// Whether the failed operation may succeed when retried.
    ///
    /// :returns: True for a retriable error.
    /// :rtype: bool
    fn retriable(&self) -> bool {
        self.retriable
    }

    /// Whether the current transaction must be aborted (abort_transaction()) before the
    /// producer can go on; only transactional producer errors set it.
    ///
    /// :returns: True when the transaction must be aborted.
    /// :rtype: bool
    fn txn_requires_abort(&self) -> bool {
        self.txn_requires_abort
    }

    fn __str__(&self) -> String {
        self.__repr__()
    }

    pub fn __repr__(&self) -> String {
        let fatal = if self.fatal { "FATAL," } else { "" };
        format!("KafkaError{{{fatal}code={},val={},str=\"{}\"}}", self.name(), self.code, self.text())
    }

    fn __hash__(&self) -> isize {
        self.code as isize
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        let code = if let Ok(e) = other.downcast::<KafkaError>() {
            e.get().code
        } else if let Ok(c) = other.extract::<i32>() {
            c
        } else {
            return Ok(py.NotImplemented());
        };
        Ok(op.matches(self.code.cmp(&code)).into_pyobject(py)?.to_owned().into_any().unbind())
    }
}

impl KafkaError {
    pub fn of(code: i32, reason: Option<String>) -> KafkaError {
        KafkaError { code, reason, fatal: false, retriable: false, txn_requires_abort: false }
    }

    fn text(&self) -> String {
        match &self.reason {
            Some(r) => r.clone(),
            None => err2str(self.code),
        }
    }

    /// An rd_kafka_error_t as Python's KafkaError (the error is destroyed).
    pub unsafe fn from_c(e: *mut ffi::ErrorT) -> KafkaError {
        let k = KafkaError {
            code: ffi::rd_kafka_error_code(e),
            reason: Some(text(ffi::rd_kafka_error_string(e))),
            fatal: ffi::rd_kafka_error_is_fatal(e) != 0,
            retriable: ffi::rd_kafka_error_is_retriable(e) != 0,
            txn_requires_abort: ffi::rd_kafka_error_txn_requires_abort(e) != 0,
        };
        ffi::rd_kafka_error_destroy(e);
        k
    }

    /// KafkaException(self).
    pub fn raise(self, py: Python<'_>) -> PyErr {
        match Py::new(py, self) {
            Ok(e) => KafkaException::new_err((e,)),
            Err(e) => e,
        }
    }
}

/// KafkaException whose text is confluent_kafka's: `what` and the code's description.
pub fn failed(py: Python<'_>, code: i32, what: &str) -> PyErr {
    exc(py, code, Some(format!("{what}: {}", err2str(code))))
}

/// Raises `failed(what)` for a response error code (0: fine).
pub fn check_what(py: Python<'_>, code: i32, what: &str) -> PyResult<()> {
    if code == 0 {
        Ok(())
    } else {
        Err(failed(py, code, what))
    }
}

/// KafkaException for a response error code (with an optional reason).
pub fn exc(py: Python<'_>, code: i32, reason: Option<String>) -> PyErr {
    KafkaError::of(code, reason).raise(py)
}

/// Raises for an rd_kafka_error_t (NULL: fine).
pub unsafe fn check_error(py: Python<'_>, e: *mut ffi::ErrorT) -> PyResult<()> {
    if e.is_null() {
        Ok(())
    } else {
        Err(KafkaError::from_c(e).raise(py))
    }
}

/// Raises for a response error code (0: fine).
pub fn check(py: Python<'_>, code: i32) -> PyResult<()> {
    if code == 0 {
        Ok(())
    } else {
        Err(exc(py, code, None))
    }
}

/// Every error code as a class attribute (KafkaError._MSG_TIMED_OUT, KafkaError.NO_ERROR),
/// and listed with its description in the class's docstring.
pub fn add_codes(t: &Bound<'_, PyType>) -> PyResult<()> {
    let mut descs: *const ffi::rd_kafka_err_desc = std::ptr::null();
    let mut cnt = 0usize;
    unsafe { ffi::rd_kafka_get_err_descs(&mut descs, &mut cnt) };
    let doc: Option<String> = t.getattr("__doc__")?.extract()?;
    let mut doc = doc.unwrap_or_default();
    doc.push_str("\n\nError codes (class attributes, int):\n\n");
    for i in 0..cnt {
        let d = unsafe { &*descs.add(i) };
        if d.name.is_null() {
            continue;
        }
        let name = unsafe { text(d.name) };
        // Markers of the code range, not codes (confluent_kafka leaves them out).
        if name == "_BEGIN" || name == "_END" {
            continue;
        }
        t.setattr(name.as_str(), d.code)?;
        let desc = unsafe { text(d.desc) };
        doc.push_str(&format!("- :py:const:`{name}` ({}): {desc}\n", d.code));
    }
    t.setattr("__doc__", doc)
}

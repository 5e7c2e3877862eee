//! Small conversions between C and Python shared by the classes.

use crate::ffi;
use libc::c_char;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use std::borrow::Cow;
use std::ffi::{CStr, CString};

/// A C string as Rust (empty for NULL).
pub unsafe fn text(p: *const c_char) -> String {
    if p.is_null() {
        String::new()
    } else {
        CStr::from_ptr(p).to_string_lossy().into_owned()
    }
}

/// A Rust string as C (interior NULs cut, as C would see it).
pub fn cstring(s: &str) -> CString {
    CString::new(s.split('\0').next().unwrap_or("")).unwrap_or_default()
}

/// librdkafka's description of an error code.
pub fn err2str(code: i32) -> String {
    unsafe { text(ffi::rd_kafka_err2str(code)) }
}

/// The bytes of a value or key: bytes, or str encoded as UTF-8, or None; else TypeError
/// (confluent_kafka's text).
pub fn payload<'a>(v: Option<&'a Bound<'a, PyAny>>) -> PyResult<Option<Cow<'a, [u8]>>> {
    match v {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => {
            if let Ok(b) = v.downcast::<PyBytes>() {
                Ok(Some(Cow::Borrowed(b.as_bytes())))
            } else if let Ok(s) = v.downcast::<PyString>() {
                Ok(Some(Cow::Owned(s.to_cow()?.into_owned().into_bytes())))
            } else {
                Err(PyTypeError::new_err(format!(
                    "a bytes-like object is required, not '{}'",
                    v.get_type().name()?
                )))
            }
        }
    }
}

/// Seconds as Python gives them (None or negative: forever) to librdkafka milliseconds.
pub fn timeout_ms(t: Option<f64>) -> i32 {
    match t {
        None => -1,
        Some(t) if t < 0.0 => -1,
        Some(t) => (t * 1000.0).min(i32::MAX as f64) as i32,
    }
}

//! Small helpers shared by the C entry points.

use crate::error::ErrorCode;
use libc::{c_char, c_int};
use std::cell::Cell;
use std::ffi::{CStr, CString};
use std::time::Duration;

thread_local! {
    static LAST_ERROR: Cell<i32> = const { Cell::new(0) };
}

/// Records the calling thread's last error (rd_kafka_last_error) and sets errno the way
/// librdkafka's legacy API does.
pub(crate) fn set_last_error(err: ErrorCode) {
    LAST_ERROR.with(|c| c.set(err.0));
    let e = match err {
        ErrorCode::NO_ERROR => 0,
        ErrorCode::_QUEUE_FULL => libc::ENOBUFS,
        ErrorCode::MSG_SIZE_TOO_LARGE => libc::EMSGSIZE,
        ErrorCode::_UNKNOWN_PARTITION => libc::ESRCH,
        ErrorCode::_UNKNOWN_TOPIC => libc::ENOENT,
        ErrorCode::_FATAL => libc::ECANCELED,
        ErrorCode::_TIMED_OUT => libc::ETIMEDOUT,
        ErrorCode::_CONFLICT => libc::EBUSY,
        _ => libc::EINVAL,
    };
    set_errno(e);
}

pub(crate) fn last_error() -> i32 {
    LAST_ERROR.with(|c| c.get())
}

pub(crate) fn set_errno(e: c_int) {
    // SAFETY: __errno_location returns this thread's errno slot.
    unsafe { *libc::__errno_location() = e };
}

/// Borrows a C string as UTF-8 (lossy input is rejected as None).
///
/// # Safety
/// `p` is NULL or a valid NUL-terminated string that outlives the result.
pub(crate) unsafe fn cstr<'a>(p: *const c_char) -> Option<&'a str> {
    if p.is_null() {
        return None;
    }
    CStr::from_ptr(p).to_str().ok()
}

/// Copies `msg` into a caller's `errstr` buffer, truncating and NUL-terminating.
///
/// # Safety
/// `buf` is NULL or valid for `size` bytes.
pub(crate) unsafe fn write_errstr(buf: *mut c_char, size: usize, msg: &str) {
    write_errstr_bytes(buf, size, msg.as_bytes())
}

/// As `write_errstr`, for a text that names a raw byte (not always UTF-8).
pub(crate) unsafe fn write_errstr_bytes(buf: *mut c_char, size: usize, msg: &[u8]) {
    if buf.is_null() || size == 0 {
        return;
    }
    let n = msg.len().min(size - 1);
    std::ptr::copy_nonoverlapping(msg.as_ptr() as *const c_char, buf, n);
    *buf.add(n) = 0;
}

/// A malloc'd NUL-terminated copy (for strings the application frees with free() or
/// rd_kafka_mem_free).
pub(crate) fn malloc_cstr(s: &str) -> *mut c_char {
    // SAFETY: malloc of len+1 bytes, fully initialised below.
    unsafe {
        let p = libc::malloc(s.len() + 1) as *mut c_char;
        if p.is_null() {
            return p;
        }
        std::ptr::copy_nonoverlapping(s.as_ptr() as *const c_char, p, s.len());
        *p.add(s.len()) = 0;
        p
    }
}

/// Interior NULs would truncate a C string; replace them rather than fail.
pub(crate) fn to_cstring(s: &str) -> CString {
    CString::new(s.replace('\0', "\\0")).unwrap_or_default()
}

/// A C timeout in milliseconds: negative waits forever (None).
pub(crate) fn timeout_of(ms: c_int) -> Option<Duration> {
    (ms >= 0).then(|| Duration::from_millis(ms as u64))
}

/// How long a blocking call with a C timeout may wait: negative is forever, as
/// librdkafka's rd_timeout_init() reads RD_POLL_INFINITE (a year stands for it).
pub(crate) fn wait_of(ms: c_int) -> Duration {
    timeout_of(ms).unwrap_or(Duration::from_secs(365 * 24 * 3600))
}

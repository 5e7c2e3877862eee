//! Error codes and error objects: rd_kafka_err2str/err2name, rd_kafka_get_err_descs,
//! the legacy errno helpers and `rd_kafka_error_t`. The variadic rd_kafka_error_new()
//! lives in the C shim, which formats the message and calls `kafkars_error_new_str`.

use super::boundary::{destroy, into_c, obj, tag};
use super::types::*;
use crate::error::{errno_to_err, ErrorCode, KafkaError, ERROR_TABLE};
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, size_t};
use std::cell::RefCell;
use std::ffi::CString;
use std::sync::OnceLock;

/// NUL-terminated names and descriptions, and the `rd_kafka_err_desc` array laid out as
/// librdkafka's: indexed by `code - RD_KAFKA_RESP_ERR__BEGIN`, unused slots zeroed.
struct Tables {
    /// Per slot: (name, description); the description is None for _BEGIN/_END.
    slots: Vec<Option<(CString, Option<CString>)>>,
    descs: Vec<rd_kafka_err_desc>,
}

// SAFETY: the raw pointers in `descs` point into `slots`' heap strings, which are
// never modified or freed once the tables are built.
unsafe impl Sync for Tables {}
unsafe impl Send for Tables {}

const BEGIN: i32 = ErrorCode::_BEGIN.0;

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let n = (ErrorCode::END_ALL.0 - BEGIN) as usize;
        let mut slots: Vec<Option<(CString, Option<CString>)>> = (0..n).map(|_| None).collect();
        for &(code, name, desc) in ERROR_TABLE {
            let desc = (!desc.is_empty()).then(|| CString::new(desc).unwrap_or_default());
            slots[(code - BEGIN) as usize] = Some((CString::new(name).unwrap_or_default(), desc));
        }
        let descs = slots
            .iter()
            .enumerate()
            .map(|(i, s)| match s {
                Some((name, desc)) => rd_kafka_err_desc {
                    code: i as i32 + BEGIN,
                    name: name.as_ptr(),
                    desc: desc.as_ref().map_or(std::ptr::null(), |d| d.as_ptr()),
                },
                None => rd_kafka_err_desc { code: 0, name: std::ptr::null(), desc: std::ptr::null() },
            })
            .collect();
        Tables { slots, descs }
    })
}

/// The (name, description) of a code librdkafka describes, else None.
fn described(err: i32) -> Option<&'static (CString, Option<CString>)> {
    if err <= BEGIN || err >= ErrorCode::END_ALL.0 {
        return None;
    }
    tables().slots[(err - BEGIN) as usize].as_ref().filter(|(_, d)| d.is_some())
}

thread_local! {
    // Separate buffers, so err2name and err2str of unknown codes can share one printf.
    static STR_BUF: RefCell<[u8; 32]> = const { RefCell::new([0; 32]) };
    static NAME_BUF: RefCell<[u8; 32]> = const { RefCell::new([0; 32]) };
}

/// Writes `s` into a thread-local buffer and returns it (valid until the next call on
/// this thread, as librdkafka's static TLS buffer).
fn tls_cstr(key: &'static std::thread::LocalKey<RefCell<[u8; 32]>>, s: &str) -> *const c_char {
    key.with(|b| {
        let mut b = b.borrow_mut();
        let n = s.len().min(b.len() - 1);
        b[..n].copy_from_slice(&s.as_bytes()[..n]);
        b[n] = 0;
        b.as_ptr() as *const c_char
    })
}

/// The human readable description of error code `err`.
#[ffi_fn(default = c"".as_ptr())]
pub unsafe extern "C" fn rd_kafka_err2str(err: rd_kafka_resp_err_t) -> *const c_char {
    match described(err) {
        Some((_, Some(d))) => d.as_ptr(),
        _ => tls_cstr(&STR_BUF, &format!("Err-{}?", err)),
    }
}

/// The enum name of error code `err`, without the `RD_KAFKA_RESP_ERR_` prefix.
#[ffi_fn(default = c"".as_ptr())]
pub unsafe extern "C" fn rd_kafka_err2name(err: rd_kafka_resp_err_t) -> *const c_char {
    match described(err) {
        Some((n, _)) => n.as_ptr(),
        None => tls_cstr(&NAME_BUF, &format!("ERR_{}?", err)),
    }
}

/// The full list of error codes: an array indexed by `code - RD_KAFKA_RESP_ERR__BEGIN`
/// whose unused entries have a NULL name.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_get_err_descs(errdescs: *mut *const rd_kafka_err_desc, cntp: *mut size_t) {
    let d = &tables().descs;
    if !errdescs.is_null() {
        *errdescs = d.as_ptr();
    }
    if !cntp.is_null() {
        *cntp = d.len();
    }
}

/// The last error code set by a legacy API call on this thread.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_last_error() -> rd_kafka_resp_err_t {
    super::util::last_error()
}

/// Convert a system errno left by a legacy API call to an error code.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_errno2err(errnox: c_int) -> rd_kafka_resp_err_t {
    errno_to_err(errnox).0
}

/// This thread's errno.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_errno() -> c_int {
    // SAFETY: __errno_location returns this thread's errno slot.
    unsafe { *libc::__errno_location() }
}

/// What a `rd_kafka_error_t *` points to: the error plus the strings C borrows.
#[repr(C)]
pub(crate) struct CError {
    /// tag::ERROR while alive (must stay the first field).
    tag: u64,
    pub err: KafkaError,
    name: CString,
    string: CString,
}

/// Hands an error object to C (freed with rd_kafka_error_destroy).
pub(crate) fn error_to_c(e: KafkaError) -> *mut rd_kafka_error_t {
    let c = CError {
        tag: tag::ERROR,
        name: super::util::to_cstring(&e.name()),
        string: super::util::to_cstring(&e.string()),
        err: e,
    };
    into_c(Box::new(c))
}

/// An error object whose rd_kafka_error_string() is `text` exactly, even "" (librdkafka's
/// per-user SCRAM errors carry the broker's message as it came).
pub(crate) fn error_to_c_exact(e: KafkaError, text: &str) -> *mut rd_kafka_error_t {
    let c = CError {
        tag: tag::ERROR,
        name: super::util::to_cstring(&e.name()),
        string: super::util::to_cstring(text),
        err: e,
    };
    into_c(Box::new(c))
}

/// What a function returning an error object gives C when it panicked: NULL would read
/// as success.
pub(crate) fn internal_error() -> *mut rd_kafka_error_t {
    error_to_c(KafkaError::new(ErrorCode::_FAIL, "kafkars: internal error (reported on stderr)"))
}

/// `Err(e)` as a C error object, `Ok` as NULL (the usual rd_kafka_error_t return).
pub(crate) fn result_to_c(r: crate::error::Result<()>) -> *mut rd_kafka_error_t {
    match r {
        Ok(()) => std::ptr::null_mut(),
        Err(e) => error_to_c(e),
    }
}

tagged!(CError => rd_kafka_error_t, tag::ERROR);

/// Creates an error object with `code` and message `msg` (NULL or "" = the code's
/// description); the C shim's rd_kafka_error_new() formats into `msg`.
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn kafkars_error_new_str(
    code: rd_kafka_resp_err_t,
    msg: *const c_char,
) -> *mut rd_kafka_error_t {
    let msg = if msg.is_null() {
        String::new()
    } else {
        std::ffi::CStr::from_ptr(msg).to_string_lossy().into_owned()
    };
    error_to_c(KafkaError::new(ErrorCode(code), msg))
}

/// The error code of `error`, or NO_ERROR if `error` is NULL.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_error_code(error: *const rd_kafka_error_t) -> rd_kafka_resp_err_t {
    obj::<CError>(error).map_or(0, |e| e.err.code.0)
}

/// The error code name of `error` (as rd_kafka_err2name()), or "" if `error` is NULL.
#[ffi_fn(default = c"".as_ptr())]
pub unsafe extern "C" fn rd_kafka_error_name(error: *const rd_kafka_error_t) -> *const c_char {
    obj::<CError>(error).map_or(c"".as_ptr(), |e| e.name.as_ptr())
}

/// The human readable error string of `error`, or "" if `error` is NULL.
#[ffi_fn(default = c"".as_ptr())]
pub unsafe extern "C" fn rd_kafka_error_string(error: *const rd_kafka_error_t) -> *const c_char {
    obj::<CError>(error).map_or(c"".as_ptr(), |e| e.string.as_ptr())
}

/// 1 if `error` is fatal (the client instance is no longer usable), else 0.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_error_is_fatal(error: *const rd_kafka_error_t) -> c_int {
    obj::<CError>(error).map_or(0, |e| e.err.fatal as c_int)
}

/// 1 if the operation may be retried, else 0.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_error_is_retriable(error: *const rd_kafka_error_t) -> c_int {
    obj::<CError>(error).map_or(0, |e| e.err.retriable as c_int)
}

/// 1 if the transaction must be aborted (rd_kafka_abort_transaction()), else 0.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_error_txn_requires_abort(error: *const rd_kafka_error_t) -> c_int {
    obj::<CError>(error).map_or(0, |e| e.err.txn_requires_abort as c_int)
}

/// Free an error object (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_error_destroy(error: *mut rd_kafka_error_t) {
    destroy::<CError>(error)
}

#[cfg(test)]
mod tests {
    use super::super::boundary::take;
    use super::*;
    use std::ffi::CStr;

    fn s(p: *const c_char) -> String {
        // SAFETY: the functions under test return valid C strings.
        unsafe { CStr::from_ptr(p).to_str().unwrap().to_string() }
    }

    #[test]
    fn err2str_err2name() {
        unsafe {
            assert_eq!(s(rd_kafka_err2str(-185)), "Local: Timed out");
            assert_eq!(s(rd_kafka_err2name(-185)), "_TIMED_OUT");
            assert_eq!(s(rd_kafka_err2name(0)), "NO_ERROR");
            assert_eq!(s(rd_kafka_err2str(-1)), "Unknown broker error");
            for (c, st, n) in [
                (-200, "Err--200?", "ERR_-200?"),
                (-100, "Err--100?", "ERR_-100?"),
                (98, "Err-98?", "ERR_98?"),
                (i32::MIN, "Err--2147483648?", "ERR_-2147483648?"),
            ] {
                let (ps, pn) = (rd_kafka_err2str(c), rd_kafka_err2name(c));
                assert_eq!((s(ps), s(pn)), (st.to_string(), n.to_string()));
            }
        }
    }

    #[test]
    fn err_descs_layout() {
        let mut p: *const rd_kafka_err_desc = std::ptr::null();
        let mut n: size_t = 0;
        unsafe { rd_kafka_get_err_descs(&mut p, &mut n) };
        assert_eq!(n as i32, ErrorCode::END_ALL.0 + 200);
        // SAFETY: p points at n entries.
        let d = unsafe { std::slice::from_raw_parts(p, n) };
        assert_eq!(s(d[0].name), "_BEGIN");
        assert!(d[0].desc.is_null());
        assert_eq!((d[100].code, s(d[100].name)), (-100, "_END".to_string()));
        assert!(d[100].desc.is_null());
        assert!(d[101].name.is_null());
        assert_eq!((d[200].code, s(d[200].desc)), (0, "Success".to_string()));
        let named = d.iter().filter(|e| !e.name.is_null()).count();
        assert_eq!(named, ERROR_TABLE.len());
        unsafe { rd_kafka_get_err_descs(std::ptr::null_mut(), std::ptr::null_mut()) };
    }

    #[test]
    fn error_objects() {
        unsafe {
            let e = kafkars_error_new_str(-172, c"bad state".as_ptr());
            assert_eq!(rd_kafka_error_code(e), -172);
            assert_eq!(s(rd_kafka_error_name(e)), "_STATE");
            assert_eq!(s(rd_kafka_error_string(e)), "bad state");
            assert_eq!(
                rd_kafka_error_is_fatal(e)
                    + rd_kafka_error_is_retriable(e)
                    + rd_kafka_error_txn_requires_abort(e),
                0
            );
            rd_kafka_error_destroy(e);
            let e = kafkars_error_new_str(4242, std::ptr::null());
            assert_eq!(s(rd_kafka_error_string(e)), "Err-4242?");
            assert_eq!(s(rd_kafka_error_name(e)), "ERR_4242?");
            rd_kafka_error_destroy(e);
            let e = error_to_c(
                KafkaError::new_fatal(ErrorCode::PRODUCER_FENCED, "")
                    .with_retriable()
                    .with_txn_requires_abort(),
            );
            assert_eq!(
                rd_kafka_error_is_fatal(e)
                    + rd_kafka_error_is_retriable(e)
                    + rd_kafka_error_txn_requires_abort(e),
                3
            );
            assert_eq!(take::<CError>(e).unwrap().err.code, ErrorCode::PRODUCER_FENCED);
            assert_eq!(rd_kafka_error_code(std::ptr::null()), 0);
            assert_eq!(s(rd_kafka_error_string(std::ptr::null())), "");
            assert_eq!(s(rd_kafka_error_name(std::ptr::null())), "");
            rd_kafka_error_destroy(std::ptr::null_mut());
            assert!(result_to_c(Ok(())).is_null());
        }
    }

    #[test]
    fn errno_helpers() {
        super::super::util::set_last_error(ErrorCode::_QUEUE_FULL);
        unsafe {
            assert_eq!(rd_kafka_last_error(), -184);
            assert_eq!(rd_kafka_errno(), libc::ENOBUFS);
            assert_eq!(rd_kafka_errno2err(libc::ENOBUFS), -184);
            assert_eq!(rd_kafka_errno2err(12345), ErrorCode::_FAIL.0);
        }
    }

    #[ffi_fn(default = internal_error())]
    pub unsafe extern "C" fn kafkars_test_error_panics() -> *mut rd_kafka_error_t {
        panic!("on purpose")
    }

    /// A function answering an error object must not answer NULL (success) after a panic.
    #[test]
    fn a_panic_in_an_error_returning_function_is_an_error() {
        unsafe {
            let e = kafkars_test_error_panics();
            assert!(!e.is_null());
            assert_eq!(rd_kafka_error_code(e), ErrorCode::_FAIL.0);
            rd_kafka_error_destroy(e);
        }
    }
}

//! Message headers (`rd_kafka_headers_t`): a boxed core `Headers` behind the opaque
//! pointer. Returned name/value pointers come from the `Headers` C cache, so they stay
//! valid until the list is next changed or destroyed, as librdkafka promises.

use super::boundary::{destroy, into_c, obj, obj_mut, tag};
use super::types::*;
use crate::error::ErrorCode;
use crate::message::Headers;
use kafkars_macros::ffi_fn;
use libc::{c_char, c_void, size_t, ssize_t};
use std::borrow::Cow;
use std::ffi::CStr;

/// `initial_count` is only a hint; a huge one must not abort on allocation.
const MAX_PREALLOC: usize = 1024;

// The core's `Headers` is handed to C as it is: messages own theirs (Box<Headers>).
tagged!(Headers => rd_kafka_headers_t, tag::HEADERS);

/// A C name (NUL-terminated) as the Rust name it would have been stored under.
unsafe fn c_name<'a>(name: *const c_char) -> Cow<'a, str> {
    String::from_utf8_lossy(CStr::from_ptr(name).to_bytes())
}

/// The value pointer and size C sees for one header (NULL, 0 for a null value).
fn value_out(v: &Option<Box<[u8]>>) -> (*const c_void, size_t) {
    match v {
        Some(b) => (b.as_ptr() as *const c_void, b.len() - 1),
        None => (std::ptr::null(), 0),
    }
}

/// Create a new headers list with room for `initial_count` headers.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_headers_new(initial_count: size_t) -> *mut rd_kafka_headers_t {
    into_c(Box::new(Headers::with_capacity(initial_count.min(MAX_PREALLOC))))
}

/// Destroy the headers list (NULL is ignored).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_headers_destroy(hdrs: *mut rd_kafka_headers_t) {
    destroy::<Headers>(hdrs);
}

/// Make a copy of headers list `src`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_headers_copy(src: *const rd_kafka_headers_t) -> *mut rd_kafka_headers_t {
    match obj::<Headers>(src) {
        Some(h) => into_c(Box::new(h.clone())),
        None => std::ptr::null_mut(),
    }
}

/// Add header `name` (of `name_size` bytes, -1 = strlen) with value `value` (copied) of
/// `value_size` bytes (-1 = strlen). A NULL `value` adds a null-valued header.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_header_add(
    hdrs: *mut rd_kafka_headers_t,
    name: *const c_char,
    name_size: ssize_t,
    value: *const c_void,
    value_size: ssize_t,
) -> rd_kafka_resp_err_t {
    let Some(h) = obj_mut::<Headers>(hdrs) else { return ErrorCode::_INVALID_ARG.0 };
    // A header name or value longer than the protocol's i32 cannot be sent: refused
    // before reading (librdkafka would read past the buffer).
    if name.is_null() || name_size < -1 || name_size > i32::MAX as ssize_t || value_size > i32::MAX as ssize_t
    {
        return ErrorCode::_INVALID_ARG.0;
    }
    let name_bytes = if name_size == -1 {
        CStr::from_ptr(name).to_bytes()
    } else {
        std::slice::from_raw_parts(name as *const u8, name_size as usize)
    };
    let val = if value.is_null() {
        None
    } else if value_size == -1 {
        Some(CStr::from_ptr(value as *const c_char).to_bytes())
    } else if value_size < -1 {
        return ErrorCode::_INVALID_ARG.0;
    } else {
        Some(std::slice::from_raw_parts(value as *const u8, value_size as usize))
    };
    h.add(&String::from_utf8_lossy(name_bytes), val);
    ErrorCode::NO_ERROR.0
}

/// Remove all headers named `name`; `RD_KAFKA_RESP_ERR__NOENT` if there were none.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_header_remove(
    hdrs: *mut rd_kafka_headers_t,
    name: *const c_char,
) -> rd_kafka_resp_err_t {
    let Some(h) = obj_mut::<Headers>(hdrs) else { return ErrorCode::_INVALID_ARG.0 };
    non_null!(name, ErrorCode::_INVALID_ARG.0);
    if h.remove(&c_name(name)) {
        ErrorCode::NO_ERROR.0
    } else {
        ErrorCode::_NOENT.0
    }
}

/// Finds the `idx`-th header named `name`, counting from the end when `from_end`.
unsafe fn get_named(
    hdrs: *const rd_kafka_headers_t,
    idx: usize,
    from_end: bool,
    name: *const c_char,
    valuep: *mut *const c_void,
    sizep: *mut size_t,
) -> rd_kafka_resp_err_t {
    let Some(h) = obj::<Headers>(hdrs) else { return ErrorCode::_INVALID_ARG.0 };
    if name.is_null() || valuep.is_null() || sizep.is_null() {
        return ErrorCode::_INVALID_ARG.0;
    }
    let name = c_name(name);
    let view = h.c_view();
    let mut matches = h.list.iter().zip(view).filter(|((n, _), _)| **n == *name).map(|(_, c)| c);
    let found = if from_end { matches.next_back() } else { matches.nth(idx) };
    match found {
        Some(c) => {
            let (v, s) = value_out(&c.value);
            *valuep = v;
            *sizep = s;
            ErrorCode::NO_ERROR.0
        }
        None => ErrorCode::_NOENT.0,
    }
}

/// Find the last header named `name`: its value (NUL-terminated, or NULL for a null
/// value) in `*valuep` and its size in `*sizep`; `RD_KAFKA_RESP_ERR__NOENT` if none.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_header_get_last(
    hdrs: *const rd_kafka_headers_t,
    name: *const c_char,
    valuep: *mut *const c_void,
    sizep: *mut size_t,
) -> rd_kafka_resp_err_t {
    get_named(hdrs, 0, true, name, valuep, sizep)
}

/// Iterate the headers named `name`: the `idx`-th match (from 0), as
/// rd_kafka_header_get_last(); `RD_KAFKA_RESP_ERR__NOENT` past the last.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_header_get(
    hdrs: *const rd_kafka_headers_t,
    idx: size_t,
    name: *const c_char,
    valuep: *mut *const c_void,
    sizep: *mut size_t,
) -> rd_kafka_resp_err_t {
    get_named(hdrs, idx, false, name, valuep, sizep)
}

/// Iterate all headers: name, value and size of the `idx`-th header;
/// `RD_KAFKA_RESP_ERR__NOENT` past the last.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_header_get_all(
    hdrs: *const rd_kafka_headers_t,
    idx: size_t,
    namep: *mut *const c_char,
    valuep: *mut *const c_void,
    sizep: *mut size_t,
) -> rd_kafka_resp_err_t {
    let Some(h) = obj::<Headers>(hdrs) else { return ErrorCode::_INVALID_ARG.0 };
    if namep.is_null() || valuep.is_null() || sizep.is_null() {
        return ErrorCode::_INVALID_ARG.0;
    }
    match h.c_view().get(idx) {
        Some(c) => {
            let (v, s) = value_out(&c.value);
            *namep = c.name.as_ptr();
            *valuep = v;
            *sizep = s;
            ErrorCode::NO_ERROR.0
        }
        None => ErrorCode::_NOENT.0,
    }
}

/// Number of headers in the list (0 for NULL).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_header_cnt(hdrs: *const rd_kafka_headers_t) -> size_t {
    obj::<Headers>(hdrs).map_or(0, |h| h.list.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr;

    unsafe fn last(h: *const rd_kafka_headers_t, name: &[u8]) -> (i32, Option<Vec<u8>>, *const c_void) {
        let mut v: *const c_void = ptr::null();
        let mut s: size_t = 0;
        let e = rd_kafka_header_get_last(h, name.as_ptr() as *const c_char, &mut v, &mut s);
        let bytes =
            if v.is_null() { None } else { Some(std::slice::from_raw_parts(v as *const u8, s + 1).to_vec()) };
        (e, bytes, v)
    }

    #[test]
    fn add_get_remove_copy() {
        unsafe {
            let h = rd_kafka_headers_new(2);
            assert_eq!(rd_kafka_header_add(h, c"a".as_ptr(), -1, c"one".as_ptr() as _, -1), 0);
            assert_eq!(rd_kafka_header_add(h, c"bxx".as_ptr(), 1, b"two!".as_ptr() as _, 3), 0);
            assert_eq!(rd_kafka_header_add(h, c"a".as_ptr(), -1, ptr::null(), 5), 0);
            assert_eq!(rd_kafka_header_add(h, c"e".as_ptr(), -1, b"".as_ptr() as _, 0), 0);
            assert_eq!(rd_kafka_header_cnt(h), 4);
            // Values carry a trailing NUL that the size leaves out.
            assert_eq!(last(h, b"b\0"), (0, Some(b"two\0".to_vec()), last(h, b"b\0").2));
            let (e, v, p) = last(h, b"a\0");
            assert_eq!((e, v, p.is_null()), (0, None, true));
            let (e, v, p) = last(h, b"e\0");
            assert_eq!((e, v, p.is_null()), (0, Some(b"\0".to_vec()), false));
            assert_eq!(last(h, b"zz\0").0, ErrorCode::_NOENT.0);

            let mut v: *const c_void = ptr::null();
            let mut s: size_t = 9;
            assert_eq!(rd_kafka_header_get(h, 0, c"a".as_ptr(), &mut v, &mut s), 0);
            assert_eq!(CStr::from_ptr(v as _).to_bytes(), b"one");
            assert_eq!(rd_kafka_header_get(h, 1, c"a".as_ptr(), &mut v, &mut s), 0);
            assert!(v.is_null() && s == 0);
            assert_eq!(rd_kafka_header_get(h, 2, c"a".as_ptr(), &mut v, &mut s), ErrorCode::_NOENT.0);

            let mut n: *const c_char = ptr::null();
            assert_eq!(rd_kafka_header_get_all(h, 1, &mut n, &mut v, &mut s), 0);
            assert_eq!(CStr::from_ptr(n).to_bytes(), b"b");
            assert_eq!(rd_kafka_header_get_all(h, 4, &mut n, &mut v, &mut s), ErrorCode::_NOENT.0);

            let c = rd_kafka_headers_copy(h);
            assert_eq!(rd_kafka_header_remove(h, c"a".as_ptr()), 0);
            assert_eq!(rd_kafka_header_remove(h, c"a".as_ptr()), ErrorCode::_NOENT.0);
            assert_eq!(rd_kafka_header_cnt(h), 2);
            assert_eq!(rd_kafka_header_cnt(c), 4);
            assert_eq!(last(c, b"a\0").0, 0);
            rd_kafka_headers_destroy(h);
            rd_kafka_headers_destroy(c);
        }
    }

    #[test]
    fn null_arguments_are_errors_not_crashes() {
        unsafe {
            let mut v: *const c_void = ptr::null();
            let mut s: size_t = 0;
            let mut n: *const c_char = ptr::null();
            assert_eq!(
                rd_kafka_header_add(ptr::null_mut(), c"a".as_ptr(), -1, ptr::null(), 0),
                ErrorCode::_INVALID_ARG.0
            );
            assert_eq!(rd_kafka_header_remove(ptr::null_mut(), c"a".as_ptr()), ErrorCode::_INVALID_ARG.0);
            assert_eq!(
                rd_kafka_header_get_last(ptr::null(), c"a".as_ptr(), &mut v, &mut s),
                ErrorCode::_INVALID_ARG.0
            );
            assert_eq!(
                rd_kafka_header_get_all(ptr::null(), 0, &mut n, &mut v, &mut s),
                ErrorCode::_INVALID_ARG.0
            );
            assert_eq!(rd_kafka_header_cnt(ptr::null()), 0);
            assert!(rd_kafka_headers_copy(ptr::null()).is_null());
            rd_kafka_headers_destroy(ptr::null_mut());
            let h = rd_kafka_headers_new(usize::MAX);
            assert_eq!(rd_kafka_header_add(h, ptr::null(), -1, ptr::null(), 0), ErrorCode::_INVALID_ARG.0);
            assert_eq!(rd_kafka_header_add(h, c"a".as_ptr(), -2, ptr::null(), 0), ErrorCode::_INVALID_ARG.0);
            assert_eq!(
                rd_kafka_header_get_last(h, c"a".as_ptr(), ptr::null_mut(), &mut s),
                ErrorCode::_INVALID_ARG.0
            );
            rd_kafka_headers_destroy(h);
        }
    }
}

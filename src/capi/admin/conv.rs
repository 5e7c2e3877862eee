//! Conversions the admin C surface shares: C strings, arrays and partition lists into
//! domain values, handles handed to C, and the empty answers of results that have no
//! entries yet.

use super::rd_kafka_AclOperation_t;
use crate::admin::TopicPartition;
use crate::capi::boundary::{destroy, into_c, obj, Tagged};
use crate::capi::tplist::tpl_to_vec;
use crate::capi::types::*;
use crate::capi::util::write_errstr;
use crate::error::KafkaError;
use libc::{c_char, c_int, size_t};
use std::ffi::{CStr, CString};
use std::ptr::{null, null_mut};

/// `x.into_c()`: hands a handle to C (boundary::into_c).
pub(super) trait IntoC: Tagged {
    fn into_c(self) -> *mut Self::C {
        into_c(Box::new(self))
    }
}

impl<T: Tagged> IntoC for T {}

/// Destroys each object of an array (not the array itself); NULL entries and objects of
/// another type are skipped.
pub(super) unsafe fn destroy_array<T: Tagged>(arr: *mut *mut T::C, cnt: size_t) {
    if arr.is_null() {
        return;
    }
    for i in 0..cnt {
        destroy::<T>(*arr.add(i));
    }
}

pub(super) fn c_or_null(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(null(), |c| c.as_ptr())
}

/// A copy of C string `p` (None for NULL), byte for byte: what getters hand back.
pub(super) unsafe fn owned_cstring(p: *const c_char) -> Option<CString> {
    (!p.is_null()).then(|| CStr::from_ptr(p).to_owned())
}

/// A C string as the domain keeps it (invalid UTF-8 replaced).
pub(super) fn text(s: &CStr) -> String {
    s.to_string_lossy().into_owned()
}

/// `text` of a string C may have left out.
pub(super) fn opt_text(s: &Option<CString>) -> Option<String> {
    s.as_deref().map(text)
}

/// C string `p` as the domain keeps it (None for NULL).
pub(super) unsafe fn owned_string(p: *const c_char) -> Option<String> {
    (!p.is_null()).then(|| text(CStr::from_ptr(p)))
}

/// The `n` ints at `p`; None when `p` is NULL but `n` is not 0.
pub(super) unsafe fn int_array<'a>(p: *const c_int, n: size_t) -> Option<&'a [c_int]> {
    match (n, p.is_null()) {
        (0, _) => Some(&[]),
        (_, true) => None,
        (_, false) => Some(std::slice::from_raw_parts(p, n)),
    }
}

/// A copy of a C partition list (None for NULL).
pub(super) unsafe fn partition_list(
    list: *const rd_kafka_topic_partition_list_t,
) -> Option<Vec<TopicPartition>> {
    (!list.is_null()).then(|| {
        tpl_to_vec(list)
            .into_iter()
            .map(|p| TopicPartition {
                topic: p.topic,
                partition: p.partition,
                offset: p.offset,
                metadata: p.metadata,
                leader_epoch: p.leader_epoch,
            })
            .collect()
    })
}

/// NO_ERROR, or the error's code with its message in `errstr`.
pub(super) unsafe fn errstr_result(
    r: Result<(), KafkaError>,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    match r {
        Ok(()) => 0,
        Err(e) => {
            write_errstr(errstr, errstr_size, &e.msg);
            e.code.0
        }
    }
}

/// Copies of what each request object of an array holds (`get`); None when the array is
/// NULL but `cnt` is not 0, or an entry is NULL or of another type.
pub(super) unsafe fn items<T: Tagged, D>(
    arr: *mut *mut T::C,
    cnt: size_t,
    get: impl Fn(&T) -> D,
) -> Option<Vec<D>> {
    if cnt == 0 {
        return Some(Vec::new());
    }
    if arr.is_null() {
        return None;
    }
    (0..cnt).map(|i| obj::<T>(*arr.add(i)).map(&get)).collect()
}

/// An empty result array: NULL with a count of 0.
pub(super) unsafe fn empty<T>(cntp: *mut size_t) -> *mut *const T {
    if !cntp.is_null() {
        *cntp = 0;
    }
    null_mut()
}

/// An empty array of authorized operations: NULL with a count of 0.
pub(super) unsafe fn no_operations(cntp: *mut size_t) -> *const rd_kafka_AclOperation_t {
    if !cntp.is_null() {
        *cntp = 0;
    }
    null()
}

#[cfg(test)]
pub(super) mod test_util {
    use libc::c_char;
    use std::ffi::CStr;

    /// The C string at `p`, which must not be NULL.
    pub fn s(p: *const c_char) -> String {
        assert!(!p.is_null());
        unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
    }

    pub fn errbuf() -> [c_char; 256] {
        [0; 256]
    }
}

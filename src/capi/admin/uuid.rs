//! rd_kafka_Uuid_*: the UUID handle over the domain's Uuid, with its base64 text for C.

use super::conv::IntoC;
use super::*;
use crate::admin::Uuid;
use crate::capi::boundary::{destroy, obj, tag};
use crate::capi::util::to_cstring;
use kafkars_macros::ffi_fn;
use libc::c_char;
use std::ffi::CString;
use std::ptr::{null, null_mut};

/// What `rd_kafka_Uuid_t *` points to: the UUID, and its base64 text as
/// rd_kafka_Uuid_base64str() hands it out.
#[repr(C)]
pub(crate) struct UuidHandle {
    /// tag::UUID while alive (must stay the first field).
    tag: u64,
    uuid: Uuid,
    base64: CString,
}

tagged!(UuidHandle => rd_kafka_Uuid_t, tag::UUID);

impl UuidHandle {
    pub(crate) fn new(uuid: Uuid) -> UuidHandle {
        UuidHandle { tag: tag::UUID, uuid, base64: to_cstring(&uuid.base64()) }
    }
}

/// Hands a new UUID handle to C.
fn uuid_into_c(uuid: Uuid) -> *mut rd_kafka_Uuid_t {
    UuidHandle::new(uuid).into_c()
}

/// Creates a UUID from its two 64-bit halves. Destroy with rd_kafka_Uuid_destroy().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_Uuid_new(
    most_significant_bits: i64,
    least_significant_bits: i64,
) -> *mut rd_kafka_Uuid_t {
    uuid_into_c(Uuid::new(most_significant_bits, least_significant_bits))
}

/// Copies a UUID (NULL for NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_Uuid_copy(uuid: *const rd_kafka_Uuid_t) -> *mut rd_kafka_Uuid_t {
    obj::<UuidHandle>(uuid).map_or(null_mut(), |u| uuid_into_c(u.uuid))
}

/// Destroys a UUID (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_Uuid_destroy(uuid: *mut rd_kafka_Uuid_t) {
    destroy::<UuidHandle>(uuid)
}

/// The UUID as base64 (22 characters, no padding; owned by the UUID), or NULL for NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_Uuid_base64str(uuid: *const rd_kafka_Uuid_t) -> *const c_char {
    obj::<UuidHandle>(uuid).map_or(null(), |u| u.base64.as_ptr())
}

/// The UUID's least significant 64 bits (0 for NULL).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_Uuid_least_significant_bits(uuid: *const rd_kafka_Uuid_t) -> i64 {
    obj::<UuidHandle>(uuid).map_or(0, |u| u.uuid.least_significant_bits)
}

/// The UUID's most significant 64 bits (0 for NULL).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_Uuid_most_significant_bits(uuid: *const rd_kafka_Uuid_t) -> i64 {
    obj::<UuidHandle>(uuid).map_or(0, |u| u.uuid.most_significant_bits)
}

#[cfg(test)]
mod tests {
    use super::super::conv::test_util::s;
    use super::*;

    #[test]
    fn uuids() {
        unsafe {
            let u = rd_kafka_Uuid_new(0x0123456789abcdef, 0xfedcba9876543210u64 as i64);
            assert_eq!(s(rd_kafka_Uuid_base64str(u)), "ASNFZ4mrze/+3LqYdlQyEA");
            assert_eq!(rd_kafka_Uuid_most_significant_bits(u), 0x0123456789abcdef);
            let c = rd_kafka_Uuid_copy(u);
            assert_eq!(rd_kafka_Uuid_least_significant_bits(c), 0xfedcba9876543210u64 as i64);
            rd_kafka_Uuid_destroy(u);
            rd_kafka_Uuid_destroy(c);
            let one = rd_kafka_Uuid_new(0, 1);
            assert_eq!(s(rd_kafka_Uuid_base64str(one)), "AAAAAAAAAAAAAAAAAAAAAQ");
            rd_kafka_Uuid_destroy(one);
            assert!(rd_kafka_Uuid_base64str(null()).is_null());
            assert!(rd_kafka_Uuid_copy(null()).is_null());
        }
    }
}

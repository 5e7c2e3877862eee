//! Records: the DeleteRecords handle over the domain's request, and the ListOffsets
//! partition results.

use super::conv::{destroy_array, partition_list, IntoC};
use super::*;
use crate::admin::DeleteRecords;
use crate::capi::boundary::{destroy, tag};
use kafkars_macros::ffi_fn;
use libc::size_t;
use std::ptr::{null, null_mut};

/// What `rd_kafka_DeleteRecords_t *` points to.
#[allow(dead_code)] // the admin client to come reads the request
#[repr(C)]
struct DeleteRecordsHandle {
    /// tag::DELETE_RECORDS while alive (must stay the first field).
    tag: u64,
    request: DeleteRecords,
}

tagged!(DeleteRecordsHandle => rd_kafka_DeleteRecords_t, tag::DELETE_RECORDS);

/// Creates a request to delete records before the given offsets (the list is copied).
/// NULL if `before_offsets` is NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteRecords_new(
    before_offsets: *const rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_DeleteRecords_t {
    partition_list(before_offsets).map_or(null_mut(), |before_offsets| {
        DeleteRecordsHandle { tag: tag::DELETE_RECORDS, request: DeleteRecords { before_offsets } }.into_c()
    })
}

/// Destroys a DeleteRecords (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteRecords_destroy(del_records: *mut rd_kafka_DeleteRecords_t) {
    destroy::<DeleteRecordsHandle>(del_records)
}

/// Destroys each DeleteRecords of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteRecords_destroy_array(
    del_records: *mut *mut rd_kafka_DeleteRecords_t,
    del_record_cnt: size_t,
) {
    destroy_array::<DeleteRecordsHandle>(del_records, del_record_cnt)
}

// ListOffsets results are not created yet: their accessors answer the empty value of
// their type without touching the pointer.

/// A ListOffsets partition result (no results exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListOffsetsResultInfo_topic_partition(
    result_info: *const rd_kafka_ListOffsetsResultInfo_t,
) -> *const rd_kafka_topic_partition_t {
    let _ = result_info;
    null()
}

/// A ListOffsets result's timestamp (no results exist yet: -1).
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_ListOffsetsResultInfo_timestamp(
    result_info: *const rd_kafka_ListOffsetsResultInfo_t,
) -> i64 {
    let _ = result_info;
    -1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capi::boundary::obj;
    use crate::capi::tplist::{
        rd_kafka_topic_partition_list_add, rd_kafka_topic_partition_list_destroy,
        rd_kafka_topic_partition_list_new,
    };

    #[test]
    fn delete_records_copies_its_list() {
        unsafe {
            let l = rd_kafka_topic_partition_list_new(1);
            (*rd_kafka_topic_partition_list_add(l, c"t".as_ptr(), 0)).offset = 7;
            let dr = rd_kafka_DeleteRecords_new(l);
            rd_kafka_topic_partition_list_destroy(l);
            let offsets = &obj::<DeleteRecordsHandle>(dr).unwrap().request.before_offsets;
            assert_eq!(offsets.iter().map(|p| (p.topic.as_str(), p.offset)).collect::<Vec<_>>(), [("t", 7)]);
            assert!(rd_kafka_DeleteRecords_new(null()).is_null());
            let mut arr = [dr, null_mut()];
            rd_kafka_DeleteRecords_destroy_array(arr.as_mut_ptr(), 2);
            rd_kafka_DeleteRecords_destroy(null_mut());
        }
    }
}

//! Records: the DeleteRecords handle over the domain's request, and the ListOffsets
//! partition results.

use super::conv::{destroy_array, items, partition_list, IntoC};
use super::view::OwnedList;
use super::*;
use crate::admin::result::ListOffsetsInfo;
use crate::admin::DeleteRecords;
use crate::admin::TopicPartition;
use crate::capi::boundary::obj;
use crate::capi::boundary::{destroy, tag};
use kafkars_macros::ffi_fn;
use libc::size_t;
use std::ptr::{null, null_mut};

/// What `rd_kafka_DeleteRecords_t *` points to.
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

/// The requests of an array of DeleteRecords handles.
pub(super) unsafe fn delete_records(
    arr: *mut *mut rd_kafka_DeleteRecords_t,
    cnt: size_t,
) -> Option<Vec<Vec<TopicPartition>>> {
    items::<DeleteRecordsHandle, _>(arr, cnt, |h| h.request.before_offsets.clone())
}

/// What `rd_kafka_ListOffsetsResultInfo_t *` points to: one partition of ListOffsets.
#[repr(C)]
pub(crate) struct ListOffsetsInfoHandle {
    /// tag::LIST_OFFSETS_INFO while alive (must stay the first field).
    tag: u64,
    part: OwnedList,
    timestamp: i64,
}

tagged!(ListOffsetsInfoHandle => rd_kafka_ListOffsetsResultInfo_t, tag::LIST_OFFSETS_INFO);

impl ListOffsetsInfoHandle {
    pub(crate) fn new(i: &ListOffsetsInfo) -> ListOffsetsInfoHandle {
        ListOffsetsInfoHandle {
            tag: tag::LIST_OFFSETS_INFO,
            part: OwnedList::new(std::slice::from_ref(&i.part)),
            timestamp: i.timestamp,
        }
    }
}

/// The partition: its offset, error and leader epoch (owned by the result).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ListOffsetsResultInfo_topic_partition(
    result_info: *const rd_kafka_ListOffsetsResultInfo_t,
) -> *const rd_kafka_topic_partition_t {
    obj::<ListOffsetsInfoHandle>(result_info).map_or(null(), |i| i.part.first())
}

/// The timestamp of the record at the offset (-1 when none).
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_ListOffsetsResultInfo_timestamp(
    result_info: *const rd_kafka_ListOffsetsResultInfo_t,
) -> i64 {
    obj::<ListOffsetsInfoHandle>(result_info).map_or(-1, |i| i.timestamp)
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

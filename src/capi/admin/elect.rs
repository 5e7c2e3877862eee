//! Leader elections: the ElectLeaders handle over the domain's request, and the partition
//! results of ElectLeaders.

use super::conv::{partition_list, IntoC};
use super::view::{OwnedError, OwnedList};
use super::*;
use crate::admin::result::PartitionResult;
use crate::admin::ElectLeaders;
use crate::capi::boundary::{destroy, obj, tag};
use crate::error::{ErrorCode, KafkaError};
use kafkars_macros::ffi_fn;
use std::ptr::null;

/// What `rd_kafka_ElectLeaders_t *` points to.
#[repr(C)]
struct ElectLeadersHandle {
    /// tag::ELECT_LEADERS while alive (must stay the first field).
    tag: u64,
    request: ElectLeaders,
}

tagged!(ElectLeadersHandle => rd_kafka_ElectLeaders_t, tag::ELECT_LEADERS);

/// Creates a leader election request (RD_KAFKA_ELECTION_TYPE_*; `partitions` copied, NULL
/// for all partitions).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ElectLeaders_new(
    election_type: rd_kafka_ElectionType_t,
    partitions: *mut rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_ElectLeaders_t {
    let request = ElectLeaders { election_type, partitions: partition_list(partitions) };
    ElectLeadersHandle { tag: tag::ELECT_LEADERS, request }.into_c()
}

/// Destroys a leader election request (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_ElectLeaders_destroy(elect_leaders: *mut rd_kafka_ElectLeaders_t) {
    destroy::<ElectLeadersHandle>(elect_leaders)
}

/// The request of an ElectLeaders handle: election type and partitions.
pub(super) unsafe fn request(
    el: *mut rd_kafka_ElectLeaders_t,
) -> Option<(i32, Option<Vec<crate::admin::TopicPartition>>)> {
    obj::<ElectLeadersHandle>(el).map(|h| (h.request.election_type, h.request.partitions.clone()))
}

/// What `rd_kafka_topic_partition_result_t *` points to: one partition of ElectLeaders.
#[repr(C)]
pub(crate) struct PartitionResultHandle {
    /// tag::PARTITION_RESULT while alive (must stay the first field).
    tag: u64,
    part: OwnedList,
    /// Never NULL, as librdkafka's (code 0 on success).
    error: OwnedError,
}

tagged!(PartitionResultHandle => rd_kafka_topic_partition_result_t, tag::PARTITION_RESULT);

impl PartitionResultHandle {
    pub(crate) fn new(p: &PartitionResult) -> PartitionResultHandle {
        let err = Some(p.err.clone().unwrap_or_else(|| KafkaError::new(ErrorCode::NO_ERROR, "")));
        PartitionResultHandle {
            tag: tag::PARTITION_RESULT,
            part: OwnedList::new(std::slice::from_ref(p)),
            error: OwnedError::new(&err),
        }
    }
}

/// The partition (owned by the result).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_partition_result_partition(
    partition_result: *const rd_kafka_topic_partition_result_t,
) -> *const rd_kafka_topic_partition_t {
    obj::<PartitionResultHandle>(partition_result).map_or(null(), |p| p.part.first())
}

/// The partition's outcome: never NULL in a result (code NO_ERROR on success).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_partition_result_error(
    partition_result: *const rd_kafka_topic_partition_result_t,
) -> *const rd_kafka_error_t {
    obj::<PartitionResultHandle>(partition_result).map_or(null(), |p| p.error.get())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capi::boundary::obj;
    use crate::capi::tplist::{
        rd_kafka_topic_partition_list_add, rd_kafka_topic_partition_list_destroy,
        rd_kafka_topic_partition_list_new,
    };
    use std::ptr::null_mut;

    #[test]
    fn elections_copy_their_list() {
        unsafe {
            let l = rd_kafka_topic_partition_list_new(1);
            rd_kafka_topic_partition_list_add(l, c"t".as_ptr(), 0);
            let el = rd_kafka_ElectLeaders_new(1, l);
            rd_kafka_topic_partition_list_destroy(l);
            let req = &obj::<ElectLeadersHandle>(el).unwrap().request;
            assert_eq!((req.election_type, req.partitions.as_ref().map(Vec::len)), (1, Some(1)));
            rd_kafka_ElectLeaders_destroy(el);
            let all = rd_kafka_ElectLeaders_new(0, null_mut());
            assert_eq!(obj::<ElectLeadersHandle>(all).map(|h| h.request.partitions.is_none()), Some(true));
            rd_kafka_ElectLeaders_destroy(all);
            assert!(rd_kafka_topic_partition_result_partition(null()).is_null());
        }
    }
}

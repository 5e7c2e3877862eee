//! Leader elections: the ElectLeaders handle over the domain's request, and the partition
//! results of ElectLeaders.

use super::conv::{partition_list, IntoC};
use super::*;
use crate::admin::ElectLeaders;
use crate::capi::boundary::{destroy, tag};
use kafkars_macros::ffi_fn;
use std::ptr::null;

/// What `rd_kafka_ElectLeaders_t *` points to.
#[allow(dead_code)] // the admin client to come reads the request
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

// Partition results are not created yet: their accessors answer NULL without touching
// the pointer.

/// A partition result's partition (no results exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_partition_result_partition(
    partition_result: *const rd_kafka_topic_partition_result_t,
) -> *const rd_kafka_topic_partition_t {
    let _ = partition_result;
    null()
}

/// A partition result's error (no results exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_partition_result_error(
    partition_result: *const rd_kafka_topic_partition_result_t,
) -> *const rd_kafka_error_t {
    let _ = partition_result;
    null()
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

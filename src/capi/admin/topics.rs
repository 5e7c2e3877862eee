//! Topics: the NewTopic, DeleteTopic, NewPartitions and TopicCollection handles over the
//! domain's requests, and the topic results and descriptions of results.

use super::conv::{destroy_array, empty, errstr_result, int_array, no_operations, owned_string, IntoC};
use super::*;
use crate::admin::{DeleteTopic, NewPartitions, NewTopic, TopicCollection};
use crate::capi::boundary::{destroy, obj_mut, tag};
use crate::capi::util::write_errstr;
use crate::error::ErrorCode;
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, size_t};
use std::ptr::{null, null_mut};

/// What `rd_kafka_NewTopic_t *` points to.
#[repr(C)]
struct NewTopicHandle {
    /// tag::NEW_TOPIC while alive (must stay the first field).
    tag: u64,
    topic: NewTopic,
}

tagged!(NewTopicHandle => rd_kafka_NewTopic_t, tag::NEW_TOPIC);

/// What `rd_kafka_DeleteTopic_t *` points to.
#[allow(dead_code)] // the admin client to come reads the request
#[repr(C)]
struct DeleteTopicHandle {
    /// tag::DELETE_TOPIC while alive (must stay the first field).
    tag: u64,
    topic: DeleteTopic,
}

tagged!(DeleteTopicHandle => rd_kafka_DeleteTopic_t, tag::DELETE_TOPIC);

/// What `rd_kafka_NewPartitions_t *` points to.
#[repr(C)]
struct NewPartitionsHandle {
    /// tag::NEW_PARTITIONS while alive (must stay the first field).
    tag: u64,
    parts: NewPartitions,
}

tagged!(NewPartitionsHandle => rd_kafka_NewPartitions_t, tag::NEW_PARTITIONS);

/// What `rd_kafka_TopicCollection_t *` points to.
#[allow(dead_code)] // the admin client to come reads the request
#[repr(C)]
struct TopicCollectionHandle {
    /// tag::TOPIC_COLLECTION while alive (must stay the first field).
    tag: u64,
    topics: TopicCollection,
}

tagged!(TopicCollectionHandle => rd_kafka_TopicCollection_t, tag::TOPIC_COLLECTION);

/// Creates a topic to create: `num_partitions` 1..100000 or -1 (broker default),
/// `replication_factor` -1..10000. NULL with `errstr` filled on a bad argument.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_NewTopic_new(
    topic: *const c_char,
    num_partitions: c_int,
    replication_factor: c_int,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut rd_kafka_NewTopic_t {
    let Some(topic) = owned_string(topic) else {
        write_errstr(errstr, errstr_size, "topic name must not be NULL");
        return null_mut();
    };
    match NewTopic::new(topic, num_partitions, replication_factor) {
        Ok(topic) => NewTopicHandle { tag: tag::NEW_TOPIC, topic }.into_c(),
        Err(e) => {
            write_errstr(errstr, errstr_size, &e.msg);
            null_mut()
        }
    }
}

/// Destroys a NewTopic (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_NewTopic_destroy(new_topic: *mut rd_kafka_NewTopic_t) {
    destroy::<NewTopicHandle>(new_topic)
}

/// Destroys each NewTopic of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_NewTopic_destroy_array(
    new_topics: *mut *mut rd_kafka_NewTopic_t,
    new_topic_cnt: size_t,
) {
    destroy_array::<NewTopicHandle>(new_topics, new_topic_cnt)
}

/// The `broker_id_cnt` broker ids at `broker_ids`, read when the domain asks for them
/// (None if the array is NULL).
unsafe fn broker_id_reader(
    broker_ids: *const i32,
    broker_id_cnt: size_t,
) -> impl FnOnce() -> Option<Vec<i32>> {
    move || int_array(broker_ids, broker_id_cnt).map(<[i32]>::to_vec)
}

/// Sets the replicas of `partition` (added in order from 0). Needs replication_factor -1
/// and an explicit partition count; _INVALID_ARG with `errstr` filled otherwise.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_NewTopic_set_replica_assignment(
    new_topic: *mut rd_kafka_NewTopic_t,
    partition: i32,
    broker_ids: *mut i32,
    broker_id_cnt: size_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    let Some(t) = obj_mut::<NewTopicHandle>(new_topic) else {
        write_errstr(errstr, errstr_size, "new_topic must not be NULL");
        return ErrorCode::_INVALID_ARG.0;
    };
    let r =
        t.topic.set_replica_assignment(partition, broker_id_cnt, broker_id_reader(broker_ids, broker_id_cnt));
    errstr_result(r, errstr, errstr_size)
}

/// Sets a topic config property for the topic to create (`value` NULL: broker default).
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_NewTopic_set_config(
    new_topic: *mut rd_kafka_NewTopic_t,
    name: *const c_char,
    value: *const c_char,
) -> rd_kafka_resp_err_t {
    let (Some(t), Some(name)) = (obj_mut::<NewTopicHandle>(new_topic), owned_string(name)) else {
        return ErrorCode::_INVALID_ARG.0;
    };
    t.topic.set_config(name, owned_string(value));
    0
}

/// Creates a topic to delete (NULL if `topic` is NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteTopic_new(topic: *const c_char) -> *mut rd_kafka_DeleteTopic_t {
    owned_string(topic).map_or(null_mut(), |topic| {
        DeleteTopicHandle { tag: tag::DELETE_TOPIC, topic: DeleteTopic { topic } }.into_c()
    })
}

/// Destroys a DeleteTopic (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteTopic_destroy(del_topic: *mut rd_kafka_DeleteTopic_t) {
    destroy::<DeleteTopicHandle>(del_topic)
}

/// Destroys each DeleteTopic of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_DeleteTopic_destroy_array(
    del_topics: *mut *mut rd_kafka_DeleteTopic_t,
    del_topic_cnt: size_t,
) {
    destroy_array::<DeleteTopicHandle>(del_topics, del_topic_cnt)
}

/// Creates a request to grow `topic` to `new_total_cnt` partitions (1..100000). NULL with
/// `errstr` filled on a bad argument.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_NewPartitions_new(
    topic: *const c_char,
    new_total_cnt: size_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut rd_kafka_NewPartitions_t {
    let Some(topic) = owned_string(topic) else {
        write_errstr(errstr, errstr_size, "topic name must not be NULL");
        return null_mut();
    };
    match NewPartitions::new(topic, new_total_cnt) {
        Ok(parts) => NewPartitionsHandle { tag: tag::NEW_PARTITIONS, parts }.into_c(),
        Err(e) => {
            write_errstr(errstr, errstr_size, &e.msg);
            null_mut()
        }
    }
}

/// Destroys a NewPartitions (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_NewPartitions_destroy(new_parts: *mut rd_kafka_NewPartitions_t) {
    destroy::<NewPartitionsHandle>(new_parts)
}

/// Destroys each NewPartitions of an array (not the array itself).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_NewPartitions_destroy_array(
    new_parts: *mut *mut rd_kafka_NewPartitions_t,
    new_parts_cnt: size_t,
) {
    destroy_array::<NewPartitionsHandle>(new_parts, new_parts_cnt)
}

/// Sets the replicas of new partition `new_partition_idx` (0 = the first new one, added in
/// order). _INVALID_ARG with `errstr` filled on a bad argument.
#[ffi_fn(default = ErrorCode::_FAIL.0)]
pub unsafe extern "C" fn rd_kafka_NewPartitions_set_replica_assignment(
    new_parts: *mut rd_kafka_NewPartitions_t,
    new_partition_idx: i32,
    broker_ids: *mut i32,
    broker_id_cnt: size_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    let Some(p) = obj_mut::<NewPartitionsHandle>(new_parts) else {
        write_errstr(errstr, errstr_size, "new_parts must not be NULL");
        return ErrorCode::_INVALID_ARG.0;
    };
    let r = p.parts.set_replica_assignment(
        new_partition_idx,
        broker_id_cnt,
        broker_id_reader(broker_ids, broker_id_cnt),
    );
    errstr_result(r, errstr, errstr_size)
}

/// Creates a collection of topic names (copied) for DescribeTopics. NULL if the array or
/// one of its names is NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicCollection_of_topic_names(
    topics: *mut *const c_char,
    topics_cnt: size_t,
) -> *mut rd_kafka_TopicCollection_t {
    if topics.is_null() && topics_cnt > 0 {
        return null_mut();
    }
    let names: Option<Vec<String>> = (0..topics_cnt).map(|i| owned_string(*topics.add(i))).collect();
    names.map_or(null_mut(), |topics| {
        TopicCollectionHandle { tag: tag::TOPIC_COLLECTION, topics: TopicCollection { topics } }.into_c()
    })
}

/// Destroys a TopicCollection (NULL is allowed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicCollection_destroy(topics: *mut rd_kafka_TopicCollection_t) {
    destroy::<TopicCollectionHandle>(topics)
}

// Topic results and descriptions are not created yet: their accessors answer the empty
// value of their type without touching the pointer.

/// A topic result's error code (no results exist yet: NO_ERROR).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_topic_result_error(
    topicres: *const rd_kafka_topic_result_t,
) -> rd_kafka_resp_err_t {
    let _ = topicres;
    0
}

/// A topic result's error string (no results exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_result_error_string(
    topicres: *const rd_kafka_topic_result_t,
) -> *const c_char {
    let _ = topicres;
    null()
}

/// A topic result's topic name (no results exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_result_name(
    topicres: *const rd_kafka_topic_result_t,
) -> *const c_char {
    let _ = topicres;
    null()
}

/// A topic description's name (no descriptions exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicDescription_name(
    topicdesc: *const rd_kafka_TopicDescription_t,
) -> *const c_char {
    let _ = topicdesc;
    null()
}

/// A topic description's topic id (no descriptions exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicDescription_topic_id(
    topicdesc: *const rd_kafka_TopicDescription_t,
) -> *const rd_kafka_Uuid_t {
    let _ = topicdesc;
    null()
}

/// Whether a described topic is internal (no descriptions exist yet: 0).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_TopicDescription_is_internal(
    topicdesc: *const rd_kafka_TopicDescription_t,
) -> c_int {
    let _ = topicdesc;
    0
}

/// A topic description's error (no descriptions exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicDescription_error(
    topicdesc: *const rd_kafka_TopicDescription_t,
) -> *const rd_kafka_error_t {
    let _ = topicdesc;
    null()
}

/// The partitions of a topic description (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicDescription_partitions(
    topicdesc: *const rd_kafka_TopicDescription_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_TopicPartitionInfo_t {
    let _ = topicdesc;
    empty(cntp)
}

/// The authorized operations of a topic description (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicDescription_authorized_operations(
    topicdesc: *const rd_kafka_TopicDescription_t,
    cntp: *mut size_t,
) -> *const rd_kafka_AclOperation_t {
    let _ = topicdesc;
    no_operations(cntp)
}

/// A partition's id in a topic description (no descriptions exist yet: 0).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_TopicPartitionInfo_partition(
    partition: *const rd_kafka_TopicPartitionInfo_t,
) -> c_int {
    let _ = partition;
    0
}

/// A partition's leader in a topic description (no descriptions exist yet: NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicPartitionInfo_leader(
    partition: *const rd_kafka_TopicPartitionInfo_t,
) -> *const rd_kafka_Node_t {
    let _ = partition;
    null()
}

/// The in-sync replicas of a partition (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicPartitionInfo_isr(
    partition: *const rd_kafka_TopicPartitionInfo_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_Node_t {
    let _ = partition;
    empty(cntp)
}

/// The replicas of a partition (none yet: NULL, count 0).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicPartitionInfo_replicas(
    partition: *const rd_kafka_TopicPartitionInfo_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_Node_t {
    let _ = partition;
    empty(cntp)
}

#[cfg(test)]
mod tests {
    use super::super::conv::test_util::{errbuf, s};
    use super::*;
    use crate::capi::boundary::obj;

    #[test]
    fn new_topic_and_partitions() {
        unsafe {
            let mut e = errbuf();
            let (ep, el) = (e.as_mut_ptr(), e.len());
            assert!(rd_kafka_NewTopic_new(null(), 1, 1, ep, el).is_null());
            assert_eq!(s(ep), "topic name must not be NULL");
            // librdkafka lets 0 partitions through to the broker.
            rd_kafka_NewTopic_destroy(rd_kafka_NewTopic_new(c"t".as_ptr(), 0, 1, ep, el));
            assert!(rd_kafka_NewTopic_new(c"t".as_ptr(), 100_001, 1, ep, el).is_null());
            assert!(s(ep).contains("num_partitions"));
            assert!(rd_kafka_NewTopic_new(c"t".as_ptr(), 3, 10_001, ep, el).is_null());
            assert!(s(ep).contains("replication_factor"));

            let t = rd_kafka_NewTopic_new(c"t".as_ptr(), 3, 2, ep, el);
            let mut ids = [1, 2];
            assert_eq!(
                rd_kafka_NewTopic_set_replica_assignment(t, 0, ids.as_mut_ptr(), 2, ep, el),
                ErrorCode::_INVALID_ARG.0
            );
            assert_eq!(rd_kafka_NewTopic_set_config(t, c"cleanup.policy".as_ptr(), c"compact".as_ptr()), 0);
            assert_eq!(rd_kafka_NewTopic_set_config(t, null(), c"x".as_ptr()), ErrorCode::_INVALID_ARG.0);
            let t2 = rd_kafka_NewTopic_new(c"t2".as_ptr(), 2, -1, ep, el);
            assert_eq!(
                rd_kafka_NewTopic_set_replica_assignment(t2, 1, ids.as_mut_ptr(), 2, ep, el),
                ErrorCode::_INVALID_ARG.0
            );
            assert_eq!(
                rd_kafka_NewTopic_set_replica_assignment(t2, 0, null_mut(), 2, ep, el),
                ErrorCode::_INVALID_ARG.0
            );
            assert_eq!(s(ep), "broker_ids must not be NULL");
            assert_eq!(rd_kafka_NewTopic_set_replica_assignment(t2, 0, ids.as_mut_ptr(), 2, ep, el), 0);
            assert_eq!(rd_kafka_NewTopic_set_replica_assignment(t2, 1, ids.as_mut_ptr(), 2, ep, el), 0);
            assert_eq!(obj::<NewTopicHandle>(t2).map(|h| h.topic.replicas().len()), Some(2));
            assert_eq!(
                rd_kafka_NewTopic_set_replica_assignment(null_mut(), 0, ids.as_mut_ptr(), 2, ep, el),
                ErrorCode::_INVALID_ARG.0
            );
            let mut arr = [t, t2];
            rd_kafka_NewTopic_destroy_array(arr.as_mut_ptr(), 2);
            rd_kafka_NewTopic_destroy_array(null_mut(), 5);
            rd_kafka_NewTopic_destroy(null_mut());

            assert!(rd_kafka_NewPartitions_new(c"t".as_ptr(), 0, ep, el).is_null());
            let p = rd_kafka_NewPartitions_new(c"t".as_ptr(), 4, ep, el);
            assert!(!p.is_null());
            assert_eq!(rd_kafka_NewPartitions_set_replica_assignment(p, 0, ids.as_mut_ptr(), 2, ep, el), 0);
            assert_eq!(
                rd_kafka_NewPartitions_set_replica_assignment(p, 2, ids.as_mut_ptr(), 2, ep, el),
                ErrorCode::_INVALID_ARG.0
            );
            rd_kafka_NewPartitions_destroy(p);

            let d = rd_kafka_DeleteTopic_new(c"t".as_ptr());
            assert!(!d.is_null() && rd_kafka_DeleteTopic_new(null()).is_null());
            rd_kafka_DeleteTopic_destroy(d);
        }
    }

    #[test]
    fn topic_collections_copy_the_names() {
        unsafe {
            let names = [c"a".as_ptr(), c"b".as_ptr()];
            let tc = rd_kafka_TopicCollection_of_topic_names(names.as_ptr() as *mut _, 2);
            assert_eq!(
                obj::<TopicCollectionHandle>(tc).map(|h| h.topics.topics.clone()),
                Some(vec!["a".into(), "b".into()])
            );
            rd_kafka_TopicCollection_destroy(tc);
            let tc = rd_kafka_TopicCollection_of_topic_names(null_mut(), 0);
            assert!(!tc.is_null());
            rd_kafka_TopicCollection_destroy(tc);
            assert!(rd_kafka_TopicCollection_of_topic_names(null_mut(), 1).is_null());
            let with_null = [c"a".as_ptr(), null()];
            assert!(rd_kafka_TopicCollection_of_topic_names(with_null.as_ptr() as *mut _, 2).is_null());
        }
    }
}

//! Topics: the NewTopic, DeleteTopic, NewPartitions and TopicCollection handles over the
//! domain's requests, and the topic results and descriptions of results.

use super::conv::{
    destroy_array, empty, errstr_result, int_array, items, no_operations, owned_string, IntoC,
};
use super::node::{node_ptr, NodeHandle};
use super::uuid::UuidHandle;
use super::view::{cstr, err_parts, ptr_of, Arr, OwnedError};
use super::*;
use crate::admin::result::{TopicDescription, TopicResult};
use crate::admin::{DeleteTopic, NewPartitions, NewTopic, TopicCollection};
use crate::capi::boundary::{destroy, handle_of, obj, obj_mut, tag};
use crate::capi::util::write_errstr;
use crate::error::ErrorCode;
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, size_t};
use std::ffi::CString;
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
        write_errstr(errstr, errstr_size, "Invalid topic name");
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
        write_errstr(errstr, errstr_size, "Invalid topic name");
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

/// The topics of an array of NewTopic handles (None if one is not a NewTopic).
pub(super) unsafe fn new_topics(arr: *mut *mut rd_kafka_NewTopic_t, cnt: size_t) -> Option<Vec<NewTopic>> {
    items::<NewTopicHandle, _>(arr, cnt, |h| h.topic.clone())
}

/// The names of an array of DeleteTopic handles.
pub(super) unsafe fn delete_topics(
    arr: *mut *mut rd_kafka_DeleteTopic_t,
    cnt: size_t,
) -> Option<Vec<String>> {
    items::<DeleteTopicHandle, _>(arr, cnt, |h| h.topic.topic.clone())
}

/// The requests of an array of NewPartitions handles.
pub(super) unsafe fn new_partitions(
    arr: *mut *mut rd_kafka_NewPartitions_t,
    cnt: size_t,
) -> Option<Vec<NewPartitions>> {
    items::<NewPartitionsHandle, _>(arr, cnt, |h| h.parts.clone())
}

/// The names of a TopicCollection.
pub(super) unsafe fn collection(tc: *const rd_kafka_TopicCollection_t) -> Option<Vec<String>> {
    obj::<TopicCollectionHandle>(tc).map(|h| h.topics.topics.clone())
}

/// What `rd_kafka_topic_result_t *` points to: one topic of CreateTopics, DeleteTopics
/// or CreatePartitions.
#[repr(C)]
pub(crate) struct TopicResultHandle {
    /// tag::TOPIC_RESULT while alive (must stay the first field).
    tag: u64,
    name: CString,
    err: rd_kafka_resp_err_t,
    errstr: Option<CString>,
}

tagged!(TopicResultHandle => rd_kafka_topic_result_t, tag::TOPIC_RESULT);

impl TopicResultHandle {
    pub(crate) fn new(r: &TopicResult) -> TopicResultHandle {
        let (err, errstr) = err_parts(&r.err);
        TopicResultHandle { tag: tag::TOPIC_RESULT, name: cstr(&r.name), err, errstr }
    }
}

/// What `rd_kafka_TopicPartitionInfo_t *` points to: a partition of a described topic.
#[repr(C)]
pub(crate) struct PartitionInfoHandle {
    /// tag::PARTITION_INFO while alive (must stay the first field).
    tag: u64,
    id: i32,
    leader: Option<Box<NodeHandle>>,
    isr: Arr<NodeHandle>,
    replicas: Arr<NodeHandle>,
}

tagged!(PartitionInfoHandle => rd_kafka_TopicPartitionInfo_t, tag::PARTITION_INFO);

/// What `rd_kafka_TopicDescription_t *` points to: one topic of DescribeTopics.
#[repr(C)]
pub(crate) struct TopicDescriptionHandle {
    /// tag::TOPIC_DESCRIPTION while alive (must stay the first field).
    tag: u64,
    name: CString,
    topic_id: Box<UuidHandle>,
    internal: bool,
    error: OwnedError,
    partitions: Arr<PartitionInfoHandle>,
    ops: Option<Vec<rd_kafka_AclOperation_t>>,
}

tagged!(TopicDescriptionHandle => rd_kafka_TopicDescription_t, tag::TOPIC_DESCRIPTION);

impl TopicDescriptionHandle {
    pub(crate) fn new(d: &TopicDescription) -> TopicDescriptionHandle {
        let partitions = d.partitions.iter().map(|p| PartitionInfoHandle {
            tag: tag::PARTITION_INFO,
            id: p.id,
            leader: p.leader.as_ref().map(|n| Box::new(NodeHandle::new(n))),
            isr: NodeHandle::list(&p.isr),
            replicas: NodeHandle::list(&p.replicas),
        });
        TopicDescriptionHandle {
            tag: tag::TOPIC_DESCRIPTION,
            name: cstr(&d.name),
            topic_id: Box::new(UuidHandle::new(d.topic_id)),
            internal: d.internal,
            error: OwnedError::new(&d.err),
            partitions: Arr::new(partitions),
            ops: d.authorized_ops.clone(),
        }
    }
}

/// An array of authorized operations for C (NULL, count 0, when not reported).
pub(crate) unsafe fn ops_out(
    ops: &Option<Vec<rd_kafka_AclOperation_t>>,
    cntp: *mut size_t,
) -> *const rd_kafka_AclOperation_t {
    match ops {
        Some(v) => {
            if !cntp.is_null() {
                *cntp = v.len();
            }
            if v.is_empty() {
                null()
            } else {
                v.as_ptr()
            }
        }
        None => no_operations(cntp),
    }
}

/// The topic's error code (NO_ERROR on success).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_topic_result_error(
    topicres: *const rd_kafka_topic_result_t,
) -> rd_kafka_resp_err_t {
    obj::<TopicResultHandle>(topicres).map_or(0, |t| t.err)
}

/// The topic's error message (NULL on success).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_result_error_string(
    topicres: *const rd_kafka_topic_result_t,
) -> *const c_char {
    obj::<TopicResultHandle>(topicres).map_or(null(), |t| ptr_of(&t.errstr))
}

/// The topic's name.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_result_name(
    topicres: *const rd_kafka_topic_result_t,
) -> *const c_char {
    obj::<TopicResultHandle>(topicres).map_or(null(), |t| t.name.as_ptr())
}

/// The described topic's name.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicDescription_name(
    topicdesc: *const rd_kafka_TopicDescription_t,
) -> *const c_char {
    obj::<TopicDescriptionHandle>(topicdesc).map_or(null(), |t| t.name.as_ptr())
}

/// The topic's id (all zeros when the broker does not report ids).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicDescription_topic_id(
    topicdesc: *const rd_kafka_TopicDescription_t,
) -> *const rd_kafka_Uuid_t {
    obj::<TopicDescriptionHandle>(topicdesc).map_or(null(), |t| handle_of(&*t.topic_id))
}

/// 1 if the topic is internal to Kafka (__consumer_offsets, ...).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_TopicDescription_is_internal(
    topicdesc: *const rd_kafka_TopicDescription_t,
) -> c_int {
    obj::<TopicDescriptionHandle>(topicdesc).map_or(0, |t| t.internal as c_int)
}

/// The topic's error (NULL on success), owned by the result.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicDescription_error(
    topicdesc: *const rd_kafka_TopicDescription_t,
) -> *const rd_kafka_error_t {
    obj::<TopicDescriptionHandle>(topicdesc).map_or(null(), |t| t.error.get())
}

/// The topic's partitions, by partition id.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicDescription_partitions(
    topicdesc: *const rd_kafka_TopicDescription_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_TopicPartitionInfo_t {
    match obj::<TopicDescriptionHandle>(topicdesc) {
        Some(t) => t.partitions.out(cntp),
        None => empty(cntp),
    }
}

/// The operations the client may do on the topic (NULL, count 0, unless asked for with
/// include_authorized_operations).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicDescription_authorized_operations(
    topicdesc: *const rd_kafka_TopicDescription_t,
    cntp: *mut size_t,
) -> *const rd_kafka_AclOperation_t {
    match obj::<TopicDescriptionHandle>(topicdesc) {
        Some(t) => ops_out(&t.ops, cntp),
        None => no_operations(cntp),
    }
}

/// The partition's id.
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_TopicPartitionInfo_partition(
    partition: *const rd_kafka_TopicPartitionInfo_t,
) -> c_int {
    obj::<PartitionInfoHandle>(partition).map_or(0, |p| p.id)
}

/// The partition's leader (NULL when it has none).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicPartitionInfo_leader(
    partition: *const rd_kafka_TopicPartitionInfo_t,
) -> *const rd_kafka_Node_t {
    obj::<PartitionInfoHandle>(partition).map_or(null(), |p| node_ptr(&p.leader))
}

/// The partition's in-sync replicas.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicPartitionInfo_isr(
    partition: *const rd_kafka_TopicPartitionInfo_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_Node_t {
    match obj::<PartitionInfoHandle>(partition) {
        Some(p) => p.isr.out(cntp),
        None => empty(cntp),
    }
}

/// The partition's replicas.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_TopicPartitionInfo_replicas(
    partition: *const rd_kafka_TopicPartitionInfo_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_Node_t {
    match obj::<PartitionInfoHandle>(partition) {
        Some(p) => p.replicas.out(cntp),
        None => empty(cntp),
    }
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
            assert_eq!(s(ep), "Invalid topic name");
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

//! kafkars extensions to the Admin API, in librdkafka's style (request objects, options,
//! a result event and its accessors): the operations on replicas that kafka-python's
//! KafkaAdminClient offers and librdkafka lacks. DescribeLogDirs, AlterReplicaLogDirs,
//! AlterPartitionReassignments, ListPartitionReassignments.

use super::call::{call, invalid, no_duplicates};
use super::conv::{destroy_array, empty, int_array, items, owned_string, partition_list, IntoC};
use super::elect::PartitionResultHandle;
use super::results::{out, result_of};
use super::view::{cstr, Arr, OwnedError, OwnedList};
use super::*;
use crate::admin::engine::Payload;
use crate::admin::reassign::{PartitionReassignment, ReplicaLogDir};
use crate::admin::result::{BrokerLogDirs, OngoingReassignment, PartitionResult, ReplicaLogDirResult};
use crate::admin::run;
use crate::admin::AdminOp;
use crate::capi::boundary::{destroy, obj, tag};
use crate::capi::util::write_errstr;
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, size_t};
use std::ffi::CString;
use std::ptr::{null, null_mut};

/// What `kafkars_PartitionReassignment_t *` points to.
#[repr(C)]
struct ReassignmentHandle {
    /// tag::REASSIGNMENT while alive (must stay the first field).
    tag: u64,
    request: PartitionReassignment,
}

tagged!(ReassignmentHandle => kafkars_PartitionReassignment_t, tag::REASSIGNMENT);

/// Creates a reassignment of `topic` [`partition`] to the `replica_cnt` brokers at
/// `replicas` (the first is the preferred leader); NULL `replicas` cancels a reassignment
/// in progress. NULL with `errstr` filled for an empty topic, a negative partition or an
/// empty list. Destroy with kafkars_PartitionReassignment_destroy(). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_PartitionReassignment_new(
    topic: *const c_char,
    partition: i32,
    replicas: *const i32,
    replica_cnt: size_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut kafkars_PartitionReassignment_t {
    let ids = if replicas.is_null() { None } else { int_array(replicas, replica_cnt).map(|s| s.to_vec()) };
    let r = PartitionReassignment::new(owned_string(topic).unwrap_or_default(), partition, ids);
    match r {
        Ok(request) => ReassignmentHandle { tag: tag::REASSIGNMENT, request }.into_c(),
        Err(e) => {
            write_errstr(errstr, errstr_size, &e.msg);
            null_mut()
        }
    }
}

/// Destroys a reassignment (NULL is allowed). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_PartitionReassignment_destroy(pr: *mut kafkars_PartitionReassignment_t) {
    destroy::<ReassignmentHandle>(pr)
}

/// Destroys each reassignment of an array (not the array itself). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_PartitionReassignment_destroy_array(
    prs: *mut *mut kafkars_PartitionReassignment_t,
    cnt: size_t,
) {
    destroy_array::<ReassignmentHandle>(prs, cnt)
}

/// Moves partitions to new replicas, or cancels their reassignment (on the controller;
/// operation_timeout is the broker's timeout). The result
/// (KAFKARS_EVENT_ALTERPARTITIONREASSIGNMENTS_RESULT) is emitted on `rkqu`: one
/// rd_kafka_topic_partition_result_t per partition, in request order. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_AlterPartitionReassignments(
    rk: *mut rd_kafka_t,
    prs: *mut *mut kafkars_PartitionReassignment_t,
    cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::AlterPartitionReassignments, options, rkqu) else { return };
    c.run(
        items::<ReassignmentHandle, _>(prs, cnt, |h| h.request.clone()),
        |r| {
            if r.is_empty() {
                return Err(invalid("No partition reassignments specified"));
            }
            no_duplicates(r.iter().map(|x| (&x.topic, x.partition)), "Duplicate partitions not allowed")
        },
        run::replicas::alter_reassignments,
        |r: Vec<PartitionResult>| -> Payload { Box::new(Arr::new(r.iter().map(PartitionResultHandle::new))) },
    )
}

/// The reassignments in progress of `partitions` (NULL: of every partition), from the
/// controller. The result (KAFKARS_EVENT_LISTPARTITIONREASSIGNMENTS_RESULT) is emitted
/// on `rkqu`. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_ListPartitionReassignments(
    rk: *mut rd_kafka_t,
    partitions: *const rd_kafka_topic_partition_list_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::ListPartitionReassignments, options, rkqu) else { return };
    c.run(
        Some(partition_list(partitions)),
        |p| match p {
            Some(p) => {
                no_duplicates(p.iter().map(|x| (&x.topic, x.partition)), "Duplicate partitions not allowed")
            }
            None => Ok(()),
        },
        run::replicas::list_reassignments,
        |r: Vec<OngoingReassignment>| -> Payload { Box::new(Arr::new(r.iter().map(OngoingHandle::new))) },
    )
}

/// The log directories of the brokers at `broker_ids` (none: every broker of the
/// cluster; the options' broker: that one), with the replicas of `partitions` (NULL:
/// every replica) they hold. The result (KAFKARS_EVENT_DESCRIBELOGDIRS_RESULT) is
/// emitted on `rkqu`: one kafkars_BrokerLogDirs_t per broker. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_DescribeLogDirs(
    rk: *mut rd_kafka_t,
    partitions: *const rd_kafka_topic_partition_list_t,
    broker_ids: *const i32,
    broker_id_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::DescribeLogDirs, options, rkqu) else { return };
    let args = int_array(broker_ids, broker_id_cnt).map(|ids| (partition_list(partitions), ids.to_vec()));
    c.run(
        args,
        |(_, ids)| no_duplicates(ids.iter(), "Duplicate broker ids not allowed"),
        run::replicas::describe_log_dirs,
        |r: Vec<BrokerLogDirs>| -> Payload { Box::new(Arr::new(r.iter().map(BrokerLogDirsHandle::new))) },
    )
}

/// The event as an AlterPartitionReassignments result, or NULL. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_event_AlterPartitionReassignments_result(
    rkev: *mut rd_kafka_event_t,
) -> *const kafkars_AlterPartitionReassignments_result_t {
    result_of(rkev, AdminOp::AlterPartitionReassignments)
}

/// The event as a ListPartitionReassignments result, or NULL. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_event_ListPartitionReassignments_result(
    rkev: *mut rd_kafka_event_t,
) -> *const kafkars_ListPartitionReassignments_result_t {
    result_of(rkev, AdminOp::ListPartitionReassignments)
}

/// The event as a DescribeLogDirs result, or NULL. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_event_DescribeLogDirs_result(
    rkev: *mut rd_kafka_event_t,
) -> *const kafkars_DescribeLogDirs_result_t {
    result_of(rkev, AdminOp::DescribeLogDirs)
}

/// Each partition's outcome (error code NO_ERROR on success), in request order; owned by
/// the result. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_AlterPartitionReassignments_result_partitions(
    result: *const kafkars_AlterPartitionReassignments_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_topic_partition_result_t {
    out::<PartitionResultHandle>(result, cntp)
}

/// The reassignments in progress; owned by the result. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_ListPartitionReassignments_result_reassignments(
    result: *const kafkars_ListPartitionReassignments_result_t,
    cntp: *mut size_t,
) -> *mut *const kafkars_OngoingReassignment_t {
    out::<OngoingHandle>(result, cntp)
}

/// One broker's answer each; owned by the result. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_DescribeLogDirs_result_brokers(
    result: *const kafkars_DescribeLogDirs_result_t,
    cntp: *mut size_t,
) -> *mut *const kafkars_BrokerLogDirs_t {
    out::<BrokerLogDirsHandle>(result, cntp)
}

/// What `kafkars_OngoingReassignment_t *` points to.
#[repr(C)]
struct OngoingHandle {
    /// tag::REASSIGNMENT_STATE while alive (must stay the first field).
    tag: u64,
    part: OwnedList,
    replicas: Vec<i32>,
    adding: Vec<i32>,
    removing: Vec<i32>,
}

tagged!(OngoingHandle => kafkars_OngoingReassignment_t, tag::REASSIGNMENT_STATE);

impl OngoingHandle {
    fn new(o: &OngoingReassignment) -> OngoingHandle {
        OngoingHandle {
            tag: tag::REASSIGNMENT_STATE,
            part: OwnedList::new(&[PartitionResult::new(&o.topic, o.partition, -1001)]),
            replicas: o.replicas.clone(),
            adding: o.adding.clone(),
            removing: o.removing.clone(),
        }
    }
}

/// Broker ids for C (NULL, count 0, when none).
unsafe fn ids_out(v: &[i32], cntp: *mut size_t) -> *const i32 {
    if !cntp.is_null() {
        *cntp = v.len();
    }
    if v.is_empty() {
        null()
    } else {
        v.as_ptr()
    }
}

/// The partition being reassigned. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_OngoingReassignment_partition(
    o: *const kafkars_OngoingReassignment_t,
) -> *const rd_kafka_topic_partition_t {
    obj::<OngoingHandle>(o).map_or(null(), |o| o.part.first())
}

/// The partition's replicas, target and current. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_OngoingReassignment_replicas(
    o: *const kafkars_OngoingReassignment_t,
    cntp: *mut size_t,
) -> *const i32 {
    obj::<OngoingHandle>(o).map_or_else(|| ids_out(&[], cntp), |o| ids_out(&o.replicas, cntp))
}

/// The replicas being added. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_OngoingReassignment_adding_replicas(
    o: *const kafkars_OngoingReassignment_t,
    cntp: *mut size_t,
) -> *const i32 {
    obj::<OngoingHandle>(o).map_or_else(|| ids_out(&[], cntp), |o| ids_out(&o.adding, cntp))
}

/// The replicas being removed. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_OngoingReassignment_removing_replicas(
    o: *const kafkars_OngoingReassignment_t,
    cntp: *mut size_t,
) -> *const i32 {
    obj::<OngoingHandle>(o).map_or_else(|| ids_out(&[], cntp), |o| ids_out(&o.removing, cntp))
}

/// What `kafkars_ReplicaInfo_t *` points to: one replica in a log directory.
#[repr(C)]
struct ReplicaInfoHandle {
    /// tag::REPLICA_INFO while alive (must stay the first field).
    tag: u64,
    part: OwnedList,
    size: i64,
    offset_lag: i64,
    is_future: bool,
}

tagged!(ReplicaInfoHandle => kafkars_ReplicaInfo_t, tag::REPLICA_INFO);

/// What `kafkars_LogDir_t *` points to.
#[repr(C)]
struct LogDirHandle {
    /// tag::LOG_DIR while alive (must stay the first field).
    tag: u64,
    path: CString,
    error: OwnedError,
    total_bytes: i64,
    usable_bytes: i64,
    replicas: Arr<ReplicaInfoHandle>,
}

tagged!(LogDirHandle => kafkars_LogDir_t, tag::LOG_DIR);

/// What `kafkars_BrokerLogDirs_t *` points to.
#[repr(C)]
struct BrokerLogDirsHandle {
    /// tag::BROKER_LOG_DIRS while alive (must stay the first field).
    tag: u64,
    broker_id: i32,
    error: OwnedError,
    log_dirs: Arr<LogDirHandle>,
}

tagged!(BrokerLogDirsHandle => kafkars_BrokerLogDirs_t, tag::BROKER_LOG_DIRS);

impl BrokerLogDirsHandle {
    fn new(b: &BrokerLogDirs) -> BrokerLogDirsHandle {
        let dirs = b.log_dirs.iter().map(|d| LogDirHandle {
            tag: tag::LOG_DIR,
            path: cstr(&d.path),
            error: OwnedError::new(&d.err),
            total_bytes: d.total_bytes,
            usable_bytes: d.usable_bytes,
            replicas: Arr::new(d.replicas.iter().map(|r| ReplicaInfoHandle {
                tag: tag::REPLICA_INFO,
                part: OwnedList::new(&[PartitionResult::new(&r.topic, r.partition, -1001)]),
                size: r.size,
                offset_lag: r.offset_lag,
                is_future: r.is_future,
            })),
        });
        BrokerLogDirsHandle {
            tag: tag::BROKER_LOG_DIRS,
            broker_id: b.broker_id,
            error: OwnedError::new(&b.err),
            log_dirs: Arr::new(dirs),
        }
    }
}

/// The broker's id. (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_BrokerLogDirs_broker_id(b: *const kafkars_BrokerLogDirs_t) -> i32 {
    obj::<BrokerLogDirsHandle>(b).map_or(-1, |b| b.broker_id)
}

/// Why the broker could not answer (NULL when it did). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_BrokerLogDirs_error(
    b: *const kafkars_BrokerLogDirs_t,
) -> *const rd_kafka_error_t {
    obj::<BrokerLogDirsHandle>(b).map_or(null(), |b| b.error.get())
}

/// The broker's log directories. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_BrokerLogDirs_log_dirs(
    b: *const kafkars_BrokerLogDirs_t,
    cntp: *mut size_t,
) -> *mut *const kafkars_LogDir_t {
    match obj::<BrokerLogDirsHandle>(b) {
        Some(b) => b.log_dirs.out(cntp),
        None => empty(cntp),
    }
}

/// The directory's path. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_LogDir_path(d: *const kafkars_LogDir_t) -> *const c_char {
    obj::<LogDirHandle>(d).map_or(null(), |d| d.path.as_ptr())
}

/// The directory's error (NULL when fine, KAFKA_STORAGE_ERROR when offline). (kafkars
/// extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_LogDir_error(d: *const kafkars_LogDir_t) -> *const rd_kafka_error_t {
    obj::<LogDirHandle>(d).map_or(null(), |d| d.error.get())
}

/// The volume's size in bytes (-1 when the broker does not tell). (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_LogDir_total_bytes(d: *const kafkars_LogDir_t) -> i64 {
    obj::<LogDirHandle>(d).map_or(-1, |d| d.total_bytes)
}

/// The volume's free bytes (-1 when the broker does not tell). (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_LogDir_usable_bytes(d: *const kafkars_LogDir_t) -> i64 {
    obj::<LogDirHandle>(d).map_or(-1, |d| d.usable_bytes)
}

/// The replicas in the directory. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_LogDir_replicas(
    d: *const kafkars_LogDir_t,
    cntp: *mut size_t,
) -> *mut *const kafkars_ReplicaInfo_t {
    match obj::<LogDirHandle>(d) {
        Some(d) => d.replicas.out(cntp),
        None => empty(cntp),
    }
}

/// The replica's partition. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_ReplicaInfo_partition(
    r: *const kafkars_ReplicaInfo_t,
) -> *const rd_kafka_topic_partition_t {
    obj::<ReplicaInfoHandle>(r).map_or(null(), |r| r.part.first())
}

/// The replica's size in bytes. (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_ReplicaInfo_size(r: *const kafkars_ReplicaInfo_t) -> i64 {
    obj::<ReplicaInfoHandle>(r).map_or(-1, |r| r.size)
}

/// How far the replica lags the leader's log end (or the current replica's, for a
/// future one). (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_ReplicaInfo_offset_lag(r: *const kafkars_ReplicaInfo_t) -> i64 {
    obj::<ReplicaInfoHandle>(r).map_or(-1, |r| r.offset_lag)
}

/// 1 if the replica is a future one (being moved here by AlterReplicaLogDirs). (kafkars
/// extension)
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn kafkars_ReplicaInfo_is_future(r: *const kafkars_ReplicaInfo_t) -> c_int {
    obj::<ReplicaInfoHandle>(r).map_or(0, |r| r.is_future as c_int)
}

/// What `kafkars_ReplicaLogDir_t *` points to: a request's move, or a result's.
#[repr(C)]
struct ReplicaLogDirHandle {
    /// tag::REPLICA_LOG_DIR while alive (must stay the first field).
    tag: u64,
    dir: ReplicaLogDir,
    topic: CString,
    path: CString,
}

tagged!(ReplicaLogDirHandle => kafkars_ReplicaLogDir_t, tag::REPLICA_LOG_DIR);

impl ReplicaLogDirHandle {
    fn new(dir: ReplicaLogDir) -> ReplicaLogDirHandle {
        ReplicaLogDirHandle { tag: tag::REPLICA_LOG_DIR, topic: cstr(&dir.topic), path: cstr(&dir.path), dir }
    }
}

/// Creates the move of broker `broker_id`'s replica of `topic` [`partition`] to the log
/// directory `path` (an absolute path on that broker). NULL with `errstr` filled for bad
/// arguments. Destroy with kafkars_ReplicaLogDir_destroy(). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_ReplicaLogDir_new(
    topic: *const c_char,
    partition: i32,
    broker_id: i32,
    path: *const c_char,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut kafkars_ReplicaLogDir_t {
    let (t, p) = (owned_string(topic).unwrap_or_default(), owned_string(path).unwrap_or_default());
    match ReplicaLogDir::new(t, partition, broker_id, p) {
        Ok(d) => ReplicaLogDirHandle::new(d).into_c(),
        Err(e) => {
            write_errstr(errstr, errstr_size, &e.msg);
            null_mut()
        }
    }
}

/// Destroys a replica move (NULL is allowed). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_ReplicaLogDir_destroy(rld: *mut kafkars_ReplicaLogDir_t) {
    destroy::<ReplicaLogDirHandle>(rld)
}

/// Destroys each replica move of an array (not the array itself). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_ReplicaLogDir_destroy_array(
    rlds: *mut *mut kafkars_ReplicaLogDir_t,
    cnt: size_t,
) {
    destroy_array::<ReplicaLogDirHandle>(rlds, cnt)
}

/// The replica's topic. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_ReplicaLogDir_topic(rld: *const kafkars_ReplicaLogDir_t) -> *const c_char {
    obj::<ReplicaLogDirHandle>(rld).map_or(null(), |d| d.topic.as_ptr())
}

/// The replica's partition. (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_ReplicaLogDir_partition(rld: *const kafkars_ReplicaLogDir_t) -> i32 {
    obj::<ReplicaLogDirHandle>(rld).map_or(-1, |d| d.dir.partition)
}

/// The broker holding the replica. (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_ReplicaLogDir_broker_id(rld: *const kafkars_ReplicaLogDir_t) -> i32 {
    obj::<ReplicaLogDirHandle>(rld).map_or(-1, |d| d.dir.broker_id)
}

/// The log directory the replica moves to. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_ReplicaLogDir_path(rld: *const kafkars_ReplicaLogDir_t) -> *const c_char {
    obj::<ReplicaLogDirHandle>(rld).map_or(null(), |d| d.path.as_ptr())
}

/// What `kafkars_ReplicaLogDirResult_t *` points to.
#[repr(C)]
struct ReplicaLogDirResultHandle {
    /// tag::REPLICA_LOG_DIR_RESULT while alive (must stay the first field).
    tag: u64,
    replica: ReplicaLogDirHandle,
    error: OwnedError,
}

tagged!(ReplicaLogDirResultHandle => kafkars_ReplicaLogDirResult_t, tag::REPLICA_LOG_DIR_RESULT);

/// Moves replicas to other log directories of their brokers: one AlterReplicaLogDirs
/// per broker (the options' broker: all to that one). The result
/// (KAFKARS_EVENT_ALTERREPLICALOGDIRS_RESULT) is emitted on `rkqu`: one
/// kafkars_ReplicaLogDirResult_t per move, in request order. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_AlterReplicaLogDirs(
    rk: *mut rd_kafka_t,
    rlds: *mut *mut kafkars_ReplicaLogDir_t,
    cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::AlterReplicaLogDirs, options, rkqu) else { return };
    c.run(
        items::<ReplicaLogDirHandle, _>(rlds, cnt, |h| h.dir.clone()),
        |d| {
            if d.is_empty() {
                return Err(invalid("No replica log directories specified"));
            }
            no_duplicates(
                d.iter().map(|x| (&x.topic, x.partition, x.broker_id)),
                "Duplicate replicas not allowed",
            )
        },
        run::replicas::alter_replica_log_dirs,
        |r: Vec<ReplicaLogDirResult>| -> Payload {
            Box::new(Arr::new(r.into_iter().map(|x| ReplicaLogDirResultHandle {
                tag: tag::REPLICA_LOG_DIR_RESULT,
                error: OwnedError::new(&x.err),
                replica: ReplicaLogDirHandle::new(x.dir),
            })))
        },
    )
}

/// The event as an AlterReplicaLogDirs result, or NULL. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_event_AlterReplicaLogDirs_result(
    rkev: *mut rd_kafka_event_t,
) -> *const kafkars_AlterReplicaLogDirs_result_t {
    result_of(rkev, AdminOp::AlterReplicaLogDirs)
}

/// Each move's outcome, in request order; owned by the result. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_AlterReplicaLogDirs_result_replicas(
    result: *const kafkars_AlterReplicaLogDirs_result_t,
    cntp: *mut size_t,
) -> *mut *const kafkars_ReplicaLogDirResult_t {
    out::<ReplicaLogDirResultHandle>(result, cntp)
}

/// The move (read it with kafkars_ReplicaLogDir_*()). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_ReplicaLogDirResult_replica(
    x: *const kafkars_ReplicaLogDirResult_t,
) -> *const kafkars_ReplicaLogDir_t {
    obj::<ReplicaLogDirResultHandle>(x).map_or(null(), |x| crate::capi::boundary::handle_of(&x.replica))
}

/// Why the replica was not moved (NULL when it was), e.g. LOG_DIR_NOT_FOUND. (kafkars
/// extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_ReplicaLogDirResult_error(
    x: *const kafkars_ReplicaLogDirResult_t,
) -> *const rd_kafka_error_t {
    obj::<ReplicaLogDirResultHandle>(x).map_or(null(), |x| x.error.get())
}

#[cfg(test)]
mod tests {
    use super::super::conv::test_util::{errbuf, s};
    use super::super::options::{
        rd_kafka_AdminOptions_destroy, rd_kafka_AdminOptions_new,
        rd_kafka_AdminOptions_set_operation_timeout, rd_kafka_AdminOptions_set_request_timeout,
    };
    use super::*;
    use crate::capi::client::{rd_kafka_destroy, rd_kafka_new};
    use crate::capi::event::{rd_kafka_event_destroy, rd_kafka_event_error, rd_kafka_event_name};
    use crate::capi::queue::{rd_kafka_queue_destroy, rd_kafka_queue_new, rd_kafka_queue_poll};
    use crate::error::ErrorCode;

    #[test]
    fn extensions_answer_like_librdkafkas_operations() {
        unsafe {
            let mut e = errbuf();
            let (ep, el) = (e.as_mut_ptr(), e.len());
            assert!(kafkars_PartitionReassignment_new(c"t".as_ptr(), 0, [1].as_ptr(), 0, ep, el).is_null());
            assert_eq!(s(ep), "replicas must not be empty (NULL cancels the reassignment)");
            let cancel = kafkars_PartitionReassignment_new(c"t".as_ptr(), 0, null(), 0, ep, el);
            let dup = kafkars_PartitionReassignment_new(c"t".as_ptr(), 0, [1, 2].as_ptr(), 2, ep, el);
            assert!(!cancel.is_null() && !dup.is_null());

            let rk = rd_kafka_new(RD_KAFKA_PRODUCER, null_mut(), ep, el);
            let q = rd_kafka_queue_new(rk);
            let o = rd_kafka_AdminOptions_new(rk, 1006);
            assert!(!o.is_null());
            assert_eq!(rd_kafka_AdminOptions_set_operation_timeout(o, 1000, ep, el), 0);
            assert_eq!(rd_kafka_AdminOptions_set_request_timeout(o, 100, ep, el), 0);
            // The same partition twice is refused at once; without a broker, the rest
            // times out at the request timeout.
            let mut both = [cancel, dup];
            kafkars_AlterPartitionReassignments(rk, both.as_mut_ptr(), 2, o, q);
            let ev = rd_kafka_queue_poll(q, 5000);
            assert_eq!(s(rd_kafka_event_name(ev)), "AlterPartitionReassignmentsResult");
            assert_eq!(rd_kafka_event_error(ev), ErrorCode::_INVALID_ARG.0);
            assert!(!kafkars_event_AlterPartitionReassignments_result(ev).is_null());
            assert!(kafkars_event_DescribeLogDirs_result(ev).is_null());
            rd_kafka_event_destroy(ev);
            kafkars_ListPartitionReassignments(rk, null(), o, q);
            kafkars_DescribeLogDirs(rk, null(), null(), 0, o, q);
            // Both run at once: either may answer first.
            let mut names = Vec::new();
            for _ in 0..2 {
                let ev = rd_kafka_queue_poll(q, 5000);
                let name = s(rd_kafka_event_name(ev));
                assert_eq!(rd_kafka_event_error(ev), ErrorCode::_TIMED_OUT.0, "{name}");
                names.push(name);
                let mut cnt = 7;
                assert!(kafkars_DescribeLogDirs_result_brokers(ev, &mut cnt).is_null());
                assert_eq!(cnt, 0);
                rd_kafka_event_destroy(ev);
            }
            names.sort();
            assert_eq!(names, ["DescribeLogDirsResult", "ListPartitionReassignmentsResult"]);
            kafkars_PartitionReassignment_destroy_array(both.as_mut_ptr(), 2);
            rd_kafka_AdminOptions_destroy(o);
            rd_kafka_queue_destroy(q);
            rd_kafka_destroy(rk);
        }
    }
}

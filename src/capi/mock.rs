//! The mock cluster API of librdkafka (rdkafka_mock.h) on kafkars' own mock cluster
//! (`crate::mock`): clusters made for tests, and the faults they inject.

use super::boundary::{into_c, obj, take};
use super::handle::Handle;
use super::mock_cluster::{MockCluster, MockRequest, MockTargetAssignment};
use super::tplist::tpl_to_vec;
use super::types::*;
use super::util::cstr;
use crate::error::ErrorCode;
use crate::mock::Cluster;
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, size_t};
use std::sync::Arc;

fn err_of(r: Result<(), ErrorCode>) -> rd_kafka_resp_err_t {
    r.err().unwrap_or(ErrorCode::NO_ERROR).into()
}

/// The cluster behind `mcluster`, or an _INVALID_ARG answer.
pub(super) unsafe fn cluster<'a>(mcluster: *const rd_kafka_mock_cluster_t) -> Result<&'a Cluster, ErrorCode> {
    obj::<MockCluster>(mcluster).map(|m| &*m.cluster).ok_or(ErrorCode::_INVALID_ARG)
}

/// Runs `f` on the cluster and a topic name; _INVALID_ARG for NULL pointers.
unsafe fn on_topic(
    mcluster: *const rd_kafka_mock_cluster_t,
    topic: *const c_char,
    f: impl FnOnce(&Cluster, &str) -> Result<(), ErrorCode>,
) -> rd_kafka_resp_err_t {
    err_of(cluster(mcluster).and_then(|c| f(c, cstr(topic).ok_or(ErrorCode::_INVALID_ARG)?)))
}

/// Creates a mock cluster of `broker_cnt` brokers (ids 1..broker_cnt) listening on
/// 127.0.0.1; `rk` is kept for rd_kafka_mock_cluster_handle(). NULL on failure.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_cluster_new(
    rk: *mut rd_kafka_t,
    broker_cnt: c_int,
) -> *mut rd_kafka_mock_cluster_t {
    if broker_cnt < 0 {
        return std::ptr::null_mut();
    }
    match Cluster::new(broker_cnt as usize) {
        Ok(c) => into_c(MockCluster::new(Arc::new(c), rk as usize, false)),
        Err(_) => std::ptr::null_mut(),
    }
}

/// Stops the cluster and frees it. The cluster of test.mock.num.brokers belongs to
/// its client and is left alone.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_cluster_destroy(mcluster: *mut rd_kafka_mock_cluster_t) {
    if obj::<MockCluster>(mcluster).is_some_and(|m| !m.embedded) {
        drop(take::<MockCluster>(mcluster));
    }
}

/// The client handle the cluster was created with.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_cluster_handle(
    mcluster: *const rd_kafka_mock_cluster_t,
) -> *mut rd_kafka_t {
    obj::<MockCluster>(mcluster).map_or(std::ptr::null_mut(), |m| m.rk as *mut rd_kafka_t)
}

/// The mock cluster of a client made with test.mock.num.brokers, else NULL.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_handle_mock_cluster(rk: *const rd_kafka_t) -> *mut rd_kafka_mock_cluster_t {
    let Some(h) = obj::<Handle>(rk) else { return std::ptr::null_mut() };
    let Some(c) = &h.client.mock else { return std::ptr::null_mut() };
    let m = h.mock.get_or_init(|| MockCluster::new(c.clone(), rk as usize, true));
    &**m as *const MockCluster as *mut rd_kafka_mock_cluster_t
}

/// The brokers' "host:port,..." list, for bootstrap.servers.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_cluster_bootstraps(
    mcluster: *const rd_kafka_mock_cluster_t,
) -> *const c_char {
    obj::<MockCluster>(mcluster).map_or(std::ptr::null(), |m| m.bootstraps.as_ptr())
}

/// Forgets the errors pushed for `api_key` with rd_kafka_mock_push_request_errors().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_clear_request_errors(
    mcluster: *mut rd_kafka_mock_cluster_t,
    api_key: i16,
) {
    if let Ok(c) = cluster(mcluster) {
        c.clear_request_errors(api_key);
    }
}

/// The next `cnt` requests of `api_key` to any broker are answered with these errors,
/// in order (_TRANSPORT closes the connection instead).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_push_request_errors_array(
    mcluster: *mut rd_kafka_mock_cluster_t,
    api_key: i16,
    cnt: size_t,
    errors: *const rd_kafka_resp_err_t,
) {
    let Ok(c) = cluster(mcluster) else { return };
    if errors.is_null() && cnt > 0 {
        return;
    }
    let errs: Vec<ErrorCode> = (0..cnt).map(|i| ErrorCode(*errors.add(i))).collect();
    c.push_request_errors(api_key, &errs);
}

/// rd_kafka_mock_broker_push_request_error_rtts() with its arguments collected.
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn kafkars_mock_broker_push_request_error_rtts_array(
    mcluster: *mut rd_kafka_mock_cluster_t,
    broker_id: i32,
    api_key: i16,
    cnt: size_t,
    errors: *const rd_kafka_resp_err_t,
    rtts: *const c_int,
) -> rd_kafka_resp_err_t {
    if cnt > 0 && (errors.is_null() || rtts.is_null()) {
        return ErrorCode::_INVALID_ARG.into();
    }
    let errs: Vec<(ErrorCode, u64)> =
        (0..cnt).map(|i| (ErrorCode(*errors.add(i)), (*rtts.add(i)).max(0) as u64)).collect();
    err_of(cluster(mcluster).and_then(|c| c.broker_push_request_errors(broker_id, api_key, &errs)))
}

/// How many pushed errors remain for `api_key` on broker `broker_id`.
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn rd_kafka_mock_broker_error_stack_cnt(
    mcluster: *mut rd_kafka_mock_cluster_t,
    broker_id: i32,
    api_key: i16,
    cntp: *mut size_t,
) -> rd_kafka_resp_err_t {
    match cluster(mcluster).and_then(|c| c.broker_error_stack_cnt(broker_id, api_key)) {
        Ok(n) => {
            if !cntp.is_null() {
                *cntp = n;
            }
            ErrorCode::NO_ERROR.into()
        }
        Err(e) => e.into(),
    }
}

/// The error Metadata answers for `topic` (creating it if needed).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_topic_set_error(
    mcluster: *mut rd_kafka_mock_cluster_t,
    topic: *const c_char,
    err: rd_kafka_resp_err_t,
) {
    on_topic(mcluster, topic, |c, t| {
        c.topic_set_error(t, ErrorCode(err));
        Ok(())
    });
}

/// Creates a topic; replication_factor -1 (or 0): the cluster's default (up to 3).
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn rd_kafka_mock_topic_create(
    mcluster: *mut rd_kafka_mock_cluster_t,
    topic: *const c_char,
    partition_cnt: c_int,
    replication_factor: c_int,
) -> rd_kafka_resp_err_t {
    on_topic(mcluster, topic, |c, t| c.topic_create(t, partition_cnt, replication_factor))
}

/// Deletes a topic and its logs.
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn rd_kafka_mock_topic_delete(
    mcluster: *mut rd_kafka_mock_cluster_t,
    topic: *const c_char,
) -> rd_kafka_resp_err_t {
    on_topic(mcluster, topic, |c, t| c.topic_delete(t))
}

/// Moves a partition's log start offset to `before_offset` (-1: the end).
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn rd_kafka_mock_partition_delete_records(
    mcluster: *mut rd_kafka_mock_cluster_t,
    topic: *const c_char,
    partition: i32,
    before_offset: i64,
) -> rd_kafka_resp_err_t {
    on_topic(mcluster, topic, |c, t| c.partition_delete_records(t, partition, before_offset))
}

/// Makes `broker_id` the partition's leader (-1: no leader) and bumps its leader epoch.
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn rd_kafka_mock_partition_set_leader(
    mcluster: *mut rd_kafka_mock_cluster_t,
    topic: *const c_char,
    partition: i32,
    broker_id: i32,
) -> rd_kafka_resp_err_t {
    on_topic(mcluster, topic, |c, t| c.partition_set_leader(t, partition, broker_id))
}

/// Makes `broker_id` the partition's preferred read replica (KIP-392).
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn rd_kafka_mock_partition_set_follower(
    mcluster: *mut rd_kafka_mock_cluster_t,
    topic: *const c_char,
    partition: i32,
    broker_id: i32,
) -> rd_kafka_resp_err_t {
    on_topic(mcluster, topic, |c, t| c.partition_set_follower(t, partition, broker_id))
}

/// Pushes a leader (id and epoch) that the next Metadata answer reports for the
/// partition instead of the real one, and that a Fetch error names as the current
/// leader (KIP-951): a stale or early view of leadership, once per push.
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn rd_kafka_mock_partition_push_leader_response(
    mcluster: *mut rd_kafka_mock_cluster_t,
    topic: *const c_char,
    partition: c_int,
    leader_id: i32,
    leader_epoch: i32,
) -> rd_kafka_resp_err_t {
    on_topic(mcluster, topic, |c, t| c.partition_push_leader_response(t, partition, leader_id, leader_epoch))
}

/// Takes the broker down: its connections close and new ones are closed at once.
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn rd_kafka_mock_broker_set_down(
    mcluster: *mut rd_kafka_mock_cluster_t,
    broker_id: i32,
) -> rd_kafka_resp_err_t {
    err_of(cluster(mcluster).and_then(|c| c.broker_set_up(broker_id, false)))
}

/// Brings the broker back up.
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn rd_kafka_mock_broker_set_up(
    mcluster: *mut rd_kafka_mock_cluster_t,
    broker_id: i32,
) -> rd_kafka_resp_err_t {
    err_of(cluster(mcluster).and_then(|c| c.broker_set_up(broker_id, true)))
}

/// Changes the host and port Metadata advertises for the broker (a proxy in front).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_broker_set_host_port(
    mcluster: *mut rd_kafka_mock_cluster_t,
    broker_id: i32,
    host: *const c_char,
    port: c_int,
) {
    let (Ok(c), Some(h)) = (cluster(mcluster), cstr(host)) else { return };
    let _ = c.broker_set_host_port(broker_id, h, port.clamp(0, 65535) as u16);
}

/// Delays the broker's responses by `rtt_ms` (broker_id -1: every broker).
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn rd_kafka_mock_broker_set_rtt(
    mcluster: *mut rd_kafka_mock_cluster_t,
    broker_id: i32,
    rtt_ms: c_int,
) -> rd_kafka_resp_err_t {
    err_of(cluster(mcluster).and_then(|c| c.broker_set_rtt(broker_id, rtt_ms.max(0) as u64)))
}

/// Sets the rack Metadata reports for the broker (NULL: none).
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn rd_kafka_mock_broker_set_rack(
    mcluster: *mut rd_kafka_mock_cluster_t,
    broker_id: i32,
    rack: *const c_char,
) -> rd_kafka_resp_err_t {
    err_of(cluster(mcluster).and_then(|c| c.broker_set_rack(broker_id, cstr(rack))))
}

/// Takes the broker out of Metadata and down (the cluster shrinks).
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn rd_kafka_mock_broker_decommission(
    mcluster: *mut rd_kafka_mock_cluster_t,
    broker_id: i32,
) -> rd_kafka_resp_err_t {
    err_of(cluster(mcluster).and_then(|c| {
        c.broker_set_in_metadata(broker_id, false)?;
        c.broker_set_up(broker_id, false)
    }))
}

/// Leaves the broker out of Metadata; it keeps serving its connections.
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn rd_kafka_mock_broker_remove_from_metadata(
    mcluster: *mut rd_kafka_mock_cluster_t,
    broker_id: i32,
) -> rd_kafka_resp_err_t {
    err_of(cluster(mcluster).and_then(|c| c.broker_set_in_metadata(broker_id, false)))
}

/// Adds a broker with a new listener; _INVALID_ARG if the id exists, as in librdkafka.
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn rd_kafka_mock_broker_add(
    mcluster: *mut rd_kafka_mock_cluster_t,
    broker_id: i32,
) -> rd_kafka_resp_err_t {
    err_of(cluster(mcluster).and_then(|c| c.broker_add(broker_id)))
}

/// Makes `broker_id` the coordinator of `key` ("group" or "transaction" key_type).
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn rd_kafka_mock_coordinator_set(
    mcluster: *mut rd_kafka_mock_cluster_t,
    key_type: *const c_char,
    key: *const c_char,
    broker_id: i32,
) -> rd_kafka_resp_err_t {
    let (Some(t), Some(k)) = (cstr(key_type), cstr(key)) else { return ErrorCode::_INVALID_ARG.into() };
    err_of(cluster(mcluster).and_then(|c| c.coordinator_set(t, k, broker_id)))
}

/// Changes the versions ApiVersions offers for `api_key` (-1, -1: not offered).
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn rd_kafka_mock_set_apiversion(
    mcluster: *mut rd_kafka_mock_cluster_t,
    api_key: i16,
    min_version: i16,
    max_version: i16,
) -> rd_kafka_resp_err_t {
    err_of(cluster(mcluster).map(|c| c.set_apiversion(api_key, min_version, max_version)))
}

/// group.initial.rebalance.delay.ms of the cluster's group coordinators (default 3000).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_group_initial_rebalance_delay_ms(
    mcluster: *mut rd_kafka_mock_cluster_t,
    delay_ms: i32,
) {
    if let Ok(c) = cluster(mcluster) {
        c.group_initial_rebalance_delay_ms(delay_ms.max(0) as u64);
    }
}

/// Starts recording the requests every broker serves (forgetting any recorded).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_start_request_tracking(mcluster: *mut rd_kafka_mock_cluster_t) {
    if let Ok(c) = cluster(mcluster) {
        c.track_requests(true);
    }
}

/// Stops recording requests and forgets those recorded.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_stop_request_tracking(mcluster: *mut rd_kafka_mock_cluster_t) {
    if let Ok(c) = cluster(mcluster) {
        c.track_requests(false);
    }
}

/// Forgets the requests recorded so far (tracking stays on).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_clear_requests(mcluster: *mut rd_kafka_mock_cluster_t) {
    if let Ok(c) = cluster(mcluster) {
        c.clear_requests();
    }
}

/// Copies of the requests recorded, oldest first, and their count in `*cntp`; NULL
/// when there are none. Free with rd_kafka_mock_request_destroy_array().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_get_requests(
    mcluster: *mut rd_kafka_mock_cluster_t,
    cntp: *mut size_t,
) -> *mut *mut rd_kafka_mock_request_t {
    let reqs = cluster(mcluster).map(|c| c.requests()).unwrap_or_default();
    if !cntp.is_null() {
        *cntp = reqs.len();
    }
    if reqs.is_empty() {
        return std::ptr::null_mut();
    }
    let ptrs: Box<[*mut rd_kafka_mock_request_t]> =
        reqs.into_iter().map(|(b, k, t)| into_c(MockRequest::new(b, k, t))).collect();
    Box::into_raw(ptrs) as *mut *mut rd_kafka_mock_request_t
}

/// Frees one request copy.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_request_destroy(mreq: *mut rd_kafka_mock_request_t) {
    drop(take::<MockRequest>(mreq));
}

/// Frees the array rd_kafka_mock_get_requests() returned, and its requests.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_request_destroy_array(
    mreqs: *mut *mut rd_kafka_mock_request_t,
    mreq_cnt: size_t,
) {
    if mreqs.is_null() {
        return;
    }
    let all: Box<[*mut rd_kafka_mock_request_t]> =
        Box::from_raw(std::ptr::slice_from_raw_parts_mut(mreqs, mreq_cnt));
    for &r in all.iter() {
        drop(take::<MockRequest>(r));
    }
}

/// The id of the broker that received the request.
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_mock_request_id(mreq: *mut rd_kafka_mock_request_t) -> i32 {
    obj::<MockRequest>(mreq).map_or(-1, |r| r.broker)
}

/// The request's API key.
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_mock_request_api_key(mreq: *mut rd_kafka_mock_request_t) -> i16 {
    obj::<MockRequest>(mreq).map_or(-1, |r| r.api_key)
}

/// When the request was received, on a monotonic clock in microseconds.
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn rd_kafka_mock_request_timestamp(mreq: *mut rd_kafka_mock_request_t) -> i64 {
    obj::<MockRequest>(mreq).map_or(-1, |r| r.timestamp_us)
}

/// Makes `controller_id` the controller Metadata reports (-1: none). kafkars' mock
/// starts with broker 1 as the controller, as a Kafka cluster has one.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_set_controller_id(
    mcluster: *mut rd_kafka_mock_cluster_t,
    controller_id: i32,
) {
    if let Ok(c) = cluster(mcluster) {
        c.set_controller_id(controller_id);
    }
}

/// A lagging follower's log start (`lo`) and end (`hi`) offsets, -1 for the leader's:
/// fetches from the follower see them (the topic is created if missing).
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn rd_kafka_mock_partition_set_follower_wmarks(
    mcluster: *mut rd_kafka_mock_cluster_t,
    topic: *const c_char,
    partition: i32,
    lo: i64,
    hi: i64,
) -> rd_kafka_resp_err_t {
    on_topic(mcluster, topic, |c, t| c.partition_set_follower_wmarks(t, partition, lo, hi))
}

/// rd_kafka_mock_partition_push_request_errors() with its arguments collected.
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn kafkars_mock_partition_push_request_errors_array(
    mcluster: *mut rd_kafka_mock_cluster_t,
    topic: *const c_char,
    partition: i32,
    api_key: i16,
    cnt: size_t,
    errors: *const rd_kafka_resp_err_t,
) -> rd_kafka_resp_err_t {
    if cnt > 0 && errors.is_null() {
        return ErrorCode::_INVALID_ARG.into();
    }
    let errs: Vec<ErrorCode> = (0..cnt).map(|i| ErrorCode(*errors.add(i))).collect();
    on_topic(mcluster, topic, |c, t| c.partition_push_request_errors(t, partition, api_key, &errs))
}

/// The metric name prefixes GetTelemetrySubscriptions asks clients to push (KIP-714):
/// none for NULL or a count of 0, every metric for a first "". Clients holding the
/// previous subscription get UNKNOWN_SUBSCRIPTION_ID on their next push and fetch it
/// again. _INVALID_ARG for a NULL array with a count, a NULL or non-UTF-8 name, or a
/// pointer that is not a mock cluster.
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn rd_kafka_mock_telemetry_set_requested_metrics(
    mcluster: *mut rd_kafka_mock_cluster_t,
    metrics: *mut *mut c_char,
    metrics_cnt: size_t,
) -> rd_kafka_resp_err_t {
    let names = || -> Result<Vec<String>, ErrorCode> {
        if metrics_cnt > 0 && metrics.is_null() {
            return Err(ErrorCode::_INVALID_ARG);
        }
        (0..metrics_cnt)
            .map(|i| cstr(*metrics.add(i)).map(str::to_string).ok_or(ErrorCode::_INVALID_ARG))
            .collect()
    };
    err_of(cluster(mcluster).and_then(|c| names().map(|n| c.telemetry_set_requested_metrics(n))))
}

/// The push interval GetTelemetrySubscriptions tells clients, in milliseconds; 0 or
/// less: 5 minutes (librdkafka's mock's default). _INVALID_ARG for a pointer that is
/// not a mock cluster.
#[ffi_fn(default = rd_kafka_resp_err_t::from(ErrorCode::_INVALID_ARG))]
pub unsafe extern "C" fn rd_kafka_mock_telemetry_set_push_interval(
    mcluster: *mut rd_kafka_mock_cluster_t,
    push_interval_ms: i64,
) -> rd_kafka_resp_err_t {
    err_of(cluster(mcluster).map(|c| c.telemetry_set_push_interval(push_interval_ms)))
}

/// KIP-848: a target assignment for `member_cnt` consumer group members, member
/// `member_ids[i]` getting the partitions of `assignment[i]` (topic names; the lists
/// are copied). NULL for a negative count, NULL arrays with a count, or a NULL or
/// non-UTF-8 member id. Free with rd_kafka_mock_cgrp_consumer_target_assignment_destroy().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_cgrp_consumer_target_assignment_new(
    member_ids: *mut *mut c_char,
    member_cnt: c_int,
    assignment: *mut *mut rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_mock_cgrp_consumer_target_assignment_t {
    if member_cnt < 0 || (member_cnt > 0 && (member_ids.is_null() || assignment.is_null())) {
        return std::ptr::null_mut();
    }
    let mut members = Vec::with_capacity(member_cnt as usize);
    for i in 0..member_cnt as usize {
        let Some(id) = cstr(*member_ids.add(i)) else { return std::ptr::null_mut() };
        let tps = tpl_to_vec(*assignment.add(i)).into_iter().map(|tp| (tp.topic, tp.partition)).collect();
        members.push((id.to_string(), tps));
    }
    into_c(MockTargetAssignment::new(members))
}

/// Frees a target assignment (NULL or another object: nothing happens).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_cgrp_consumer_target_assignment_destroy(
    target_assignment: *mut rd_kafka_mock_cgrp_consumer_target_assignment_t,
) {
    drop(take::<MockTargetAssignment>(target_assignment));
}

/// KIP-848: makes `target_assignment` (copied) the target assignment of consumer
/// group `group_id`, overriding the server-side assignor and bumping the group
/// epoch; members it does not name get nothing. NULL goes back to the assignor. As
/// in librdkafka's mock, a group no member has joined yet is left alone; so are
/// NULL or wrong pointers.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_cgrp_consumer_target_assignment(
    mcluster: *mut rd_kafka_mock_cluster_t,
    group_id: *const c_char,
    target_assignment: *mut rd_kafka_mock_cgrp_consumer_target_assignment_t,
) {
    let (Ok(c), Some(gid)) = (cluster(mcluster), cstr(group_id)) else { return };
    let manual = if target_assignment.is_null() {
        None
    } else {
        match obj::<MockTargetAssignment>(target_assignment) {
            Some(t) => Some(t.members.clone()),
            None => return,
        }
    };
    c.cgrp_consumer_target_assignment(gid, manual);
}

/// KIP-848: group.consumer.session.timeout.ms of the cluster's consumer groups: a
/// member not heard from for that long is removed (default 30000).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_set_group_consumer_session_timeout_ms(
    mcluster: *mut rd_kafka_mock_cluster_t,
    group_consumer_session_timeout_ms: c_int,
) {
    if let Ok(c) = cluster(mcluster) {
        c.set_group_consumer_session_timeout_ms(group_consumer_session_timeout_ms.max(0) as u64);
    }
}

/// KIP-848: group.consumer.heartbeat.interval.ms, the interval ConsumerGroupHeartbeat
/// responses give members (default 3000).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_mock_set_group_consumer_heartbeat_interval_ms(
    mcluster: *mut rd_kafka_mock_cluster_t,
    group_consumer_heartbeat_interval_ms: c_int,
) {
    if let Ok(c) = cluster(mcluster) {
        c.set_group_consumer_heartbeat_interval_ms(group_consumer_heartbeat_interval_ms.max(0));
    }
}

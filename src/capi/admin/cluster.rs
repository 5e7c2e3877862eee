//! kafkars extensions on the cluster itself, in librdkafka's admin style, as
//! kafka-python's KafkaAdminClient offers them: DescribeMetadataQuorum,
//! DescribeFeatures, UpdateFeatures, ListConfigResources.

use super::call::{call, invalid, no_duplicates};
use super::conv::{destroy_array, empty, int_array, items, owned_string, IntoC};
use super::node::NodeHandle;
use super::results::{out, result_of};
use super::uuid::UuidHandle;
use super::view::{cstr, payload, Arr, OwnedError};
use super::*;
use crate::admin::engine::Payload;
use crate::admin::features::FeatureUpdate;
use crate::admin::result::{ConfigResourceListing, FeatureUpdateResult, Features, QuorumInfo, ReplicaState};
use crate::admin::run;
use crate::admin::AdminOp;
use crate::capi::boundary::{destroy, handle_of, obj, tag};
use crate::capi::util::write_errstr;
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, size_t};
use std::ffi::CString;
use std::ptr::{null, null_mut};

// ---- DescribeMetadataQuorum ----

/// What `kafkars_ReplicaState_t *` points to: a voter or observer of the quorum.
#[repr(C)]
struct ReplicaStateHandle {
    /// tag::REPLICA_STATE while alive (must stay the first field).
    tag: u64,
    state: ReplicaState,
    directory_id: Option<Box<UuidHandle>>,
}

tagged!(ReplicaStateHandle => kafkars_ReplicaState_t, tag::REPLICA_STATE);

/// What `kafkars_QuorumInfo_t *` points to.
#[repr(C)]
struct QuorumHandle {
    /// tag::QUORUM_INFO while alive (must stay the first field).
    tag: u64,
    leader_id: i32,
    leader_epoch: i32,
    high_watermark: i64,
    voters: Arr<ReplicaStateHandle>,
    observers: Arr<ReplicaStateHandle>,
    nodes: Arr<NodeHandle>,
    listeners: Vec<CString>,
}

tagged!(QuorumHandle => kafkars_QuorumInfo_t, tag::QUORUM_INFO);

fn states(v: Vec<ReplicaState>) -> Arr<ReplicaStateHandle> {
    Arr::new(v.into_iter().map(|s| ReplicaStateHandle {
        tag: tag::REPLICA_STATE,
        directory_id: s.directory_id.map(|u| Box::new(UuidHandle::new(u))),
        state: s,
    }))
}

fn quorum_view(q: QuorumInfo) -> Payload {
    // The listener's name travels in the node's rack field; C reads it apart.
    let listeners = q.nodes.iter().map(|n| cstr(n.rack.as_deref().unwrap_or(""))).collect();
    let nodes: Vec<_> = q.nodes.into_iter().map(|n| crate::admin::result::Node { rack: None, ..n }).collect();
    Box::new(QuorumHandle {
        tag: tag::QUORUM_INFO,
        leader_id: q.leader_id,
        leader_epoch: q.leader_epoch,
        high_watermark: q.high_watermark,
        voters: states(q.voters),
        observers: states(q.observers),
        nodes: NodeHandle::list(&nodes),
        listeners,
    })
}

/// Describes the KRaft metadata quorum (DescribeQuorum for __cluster_metadata-0, asked
/// of any broker or the options' one). The result
/// (KAFKARS_EVENT_DESCRIBEMETADATAQUORUM_RESULT) is emitted on `rkqu`. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_DescribeMetadataQuorum(
    rk: *mut rd_kafka_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::DescribeMetadataQuorum, options, rkqu) else { return };
    c.run(Some(()), |_| Ok(()), run::cluster::describe_quorum, quorum_view)
}

/// The event as a DescribeMetadataQuorum result, or NULL. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_event_DescribeMetadataQuorum_result(
    rkev: *mut rd_kafka_event_t,
) -> *const kafkars_DescribeMetadataQuorum_result_t {
    result_of(rkev, AdminOp::DescribeMetadataQuorum)
}

/// The quorum (NULL when the request failed); owned by the result. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_DescribeMetadataQuorum_result_quorum_info(
    result: *const kafkars_DescribeMetadataQuorum_result_t,
) -> *const kafkars_QuorumInfo_t {
    payload::<QuorumHandle>(result).map_or(null(), handle_of)
}

/// The quorum leader's node id (-1: none). (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_QuorumInfo_leader_id(q: *const kafkars_QuorumInfo_t) -> i32 {
    obj::<QuorumHandle>(q).map_or(-1, |q| q.leader_id)
}

/// The quorum leader's epoch. (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_QuorumInfo_leader_epoch(q: *const kafkars_QuorumInfo_t) -> i32 {
    obj::<QuorumHandle>(q).map_or(-1, |q| q.leader_epoch)
}

/// The metadata log's high watermark. (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_QuorumInfo_high_watermark(q: *const kafkars_QuorumInfo_t) -> i64 {
    obj::<QuorumHandle>(q).map_or(-1, |q| q.high_watermark)
}

/// The voters. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_QuorumInfo_voters(
    q: *const kafkars_QuorumInfo_t,
    cntp: *mut size_t,
) -> *mut *const kafkars_ReplicaState_t {
    obj::<QuorumHandle>(q).map_or_else(|| empty(cntp), |q| q.voters.out(cntp))
}

/// The observers. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_QuorumInfo_observers(
    q: *const kafkars_QuorumInfo_t,
    cntp: *mut size_t,
) -> *mut *const kafkars_ReplicaState_t {
    obj::<QuorumHandle>(q).map_or_else(|| empty(cntp), |q| q.observers.out(cntp))
}

/// The quorum's nodes (DescribeQuorum v2+), one per node and listener; none from older
/// brokers. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_QuorumInfo_nodes(
    q: *const kafkars_QuorumInfo_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_Node_t {
    obj::<QuorumHandle>(q).map_or_else(|| empty(cntp), |q| q.nodes.out(cntp))
}

/// The listener name of node `idx` of kafkars_QuorumInfo_nodes() (NULL out of range).
/// (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_QuorumInfo_node_listener(
    q: *const kafkars_QuorumInfo_t,
    idx: size_t,
) -> *const c_char {
    obj::<QuorumHandle>(q).and_then(|q| q.listeners.get(idx)).map_or(null(), |l| l.as_ptr())
}

/// The replica's node id. (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_ReplicaState_replica_id(s: *const kafkars_ReplicaState_t) -> i32 {
    obj::<ReplicaStateHandle>(s).map_or(-1, |s| s.state.replica_id)
}

/// The replica's log directory id (v2+; NULL before). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_ReplicaState_directory_id(
    s: *const kafkars_ReplicaState_t,
) -> *const rd_kafka_Uuid_t {
    obj::<ReplicaStateHandle>(s).and_then(|s| s.directory_id.as_deref()).map_or(null(), handle_of)
}

/// The replica's log end offset. (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_ReplicaState_log_end_offset(s: *const kafkars_ReplicaState_t) -> i64 {
    obj::<ReplicaStateHandle>(s).map_or(-1, |s| s.state.log_end_offset)
}

/// When the leader last had a fetch from the replica (-1: unknown). (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_ReplicaState_last_fetch_timestamp(s: *const kafkars_ReplicaState_t) -> i64 {
    obj::<ReplicaStateHandle>(s).map_or(-1, |s| s.state.last_fetch_timestamp)
}

/// When the replica last caught up with the leader (-1: unknown). (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_ReplicaState_last_caught_up_timestamp(
    s: *const kafkars_ReplicaState_t,
) -> i64 {
    obj::<ReplicaStateHandle>(s).map_or(-1, |s| s.state.last_caught_up_timestamp)
}

// ---- DescribeFeatures ----

/// What `kafkars_Feature_t *` points to.
#[repr(C)]
struct FeatureHandle {
    /// tag::FEATURE while alive (must stay the first field).
    tag: u64,
    name: CString,
    supported: Option<(i16, i16)>,
    finalized: Option<(i16, i16)>,
}

tagged!(FeatureHandle => kafkars_Feature_t, tag::FEATURE);

/// DescribeFeatures' answer as C reads it.
struct FeaturesView {
    features: Arr<FeatureHandle>,
    finalized_epoch: i64,
}

fn features_view(f: Features) -> Payload {
    Box::new(FeaturesView {
        features: Arr::new(f.features.iter().map(|x| FeatureHandle {
            tag: tag::FEATURE,
            name: cstr(&x.name),
            supported: x.supported,
            finalized: x.finalized,
        })),
        finalized_epoch: f.finalized_epoch,
    })
}

/// The features a broker supports and the cluster's finalized feature levels (KIP-584;
/// ApiVersions v3+ asked of any broker, or the options' one). The result
/// (KAFKARS_EVENT_DESCRIBEFEATURES_RESULT) is emitted on `rkqu`. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_DescribeFeatures(
    rk: *mut rd_kafka_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::DescribeFeatures, options, rkqu) else { return };
    c.run(Some(()), |_| Ok(()), run::cluster::describe_features, features_view)
}

/// The event as a DescribeFeatures result, or NULL. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_event_DescribeFeatures_result(
    rkev: *mut rd_kafka_event_t,
) -> *const kafkars_DescribeFeatures_result_t {
    result_of(rkev, AdminOp::DescribeFeatures)
}

/// The features, supported ones first in the broker's order; owned by the result.
/// (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_DescribeFeatures_result_features(
    result: *const kafkars_DescribeFeatures_result_t,
    cntp: *mut size_t,
) -> *mut *const kafkars_Feature_t {
    payload::<FeaturesView>(result).map_or_else(|| empty(cntp), |f| f.features.out(cntp))
}

/// The epoch of the finalized features (-1: unknown). (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_DescribeFeatures_result_finalized_epoch(
    result: *const kafkars_DescribeFeatures_result_t,
) -> i64 {
    payload::<FeaturesView>(result).map_or(-1, |f| f.finalized_epoch)
}

/// The feature's name. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_Feature_name(f: *const kafkars_Feature_t) -> *const c_char {
    obj::<FeatureHandle>(f).map_or(null(), |f| f.name.as_ptr())
}

/// The lowest version the broker supports (-1: not supported). (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_Feature_supported_min(f: *const kafkars_Feature_t) -> c_int {
    obj::<FeatureHandle>(f).and_then(|f| f.supported).map_or(-1, |v| v.0 as c_int)
}

/// The highest version the broker supports (-1: not supported). (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_Feature_supported_max(f: *const kafkars_Feature_t) -> c_int {
    obj::<FeatureHandle>(f).and_then(|f| f.supported).map_or(-1, |v| v.1 as c_int)
}

/// The lowest finalized level (-1: not finalized). (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_Feature_finalized_min(f: *const kafkars_Feature_t) -> c_int {
    obj::<FeatureHandle>(f).and_then(|f| f.finalized).map_or(-1, |v| v.0 as c_int)
}

/// The highest finalized level (-1: not finalized). (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_Feature_finalized_max(f: *const kafkars_Feature_t) -> c_int {
    obj::<FeatureHandle>(f).and_then(|f| f.finalized).map_or(-1, |v| v.1 as c_int)
}

// ---- UpdateFeatures ----

/// What `kafkars_FeatureUpdate_t *` points to.
#[repr(C)]
struct FeatureUpdateHandle {
    /// tag::FEATURE_UPDATE while alive (must stay the first field).
    tag: u64,
    update: FeatureUpdate,
}

tagged!(FeatureUpdateHandle => kafkars_FeatureUpdate_t, tag::FEATURE_UPDATE);

/// Creates the change of `feature`'s finalized maximum level to `max_version_level`
/// (below 1: delete the feature), moving as `upgrade_type` (KAFKARS_FEATURE_*) allows.
/// NULL with `errstr` filled for an empty name or an unknown type. Destroy with
/// kafkars_FeatureUpdate_destroy(). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_FeatureUpdate_new(
    feature: *const c_char,
    max_version_level: i16,
    upgrade_type: kafkars_FeatureUpgradeType_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut kafkars_FeatureUpdate_t {
    match FeatureUpdate::new(owned_string(feature).unwrap_or_default(), max_version_level, upgrade_type) {
        Ok(update) => FeatureUpdateHandle { tag: tag::FEATURE_UPDATE, update }.into_c(),
        Err(e) => {
            write_errstr(errstr, errstr_size, &e.msg);
            null_mut()
        }
    }
}

/// Destroys a feature update (NULL is allowed). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_FeatureUpdate_destroy(u: *mut kafkars_FeatureUpdate_t) {
    destroy::<FeatureUpdateHandle>(u)
}

/// Destroys each feature update of an array (not the array itself). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_FeatureUpdate_destroy_array(
    u: *mut *mut kafkars_FeatureUpdate_t,
    cnt: size_t,
) {
    destroy_array::<FeatureUpdateHandle>(u, cnt)
}

/// What `kafkars_FeatureUpdateResult_t *` points to.
#[repr(C)]
struct FeatureUpdateResultHandle {
    /// tag::FEATURE_UPDATE_RESULT while alive (must stay the first field).
    tag: u64,
    name: CString,
    error: OwnedError,
}

tagged!(FeatureUpdateResultHandle => kafkars_FeatureUpdateResult_t, tag::FEATURE_UPDATE_RESULT);

/// Changes finalized feature levels (KIP-584) on the controller; operation_timeout is
/// the broker's timeout, validate_only checks without changing (needs UpdateFeatures v1).
/// The result (KAFKARS_EVENT_UPDATEFEATURES_RESULT) is emitted on `rkqu`: one
/// kafkars_FeatureUpdateResult_t per update, in request order. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_UpdateFeatures(
    rk: *mut rd_kafka_t,
    updates: *mut *mut kafkars_FeatureUpdate_t,
    cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::UpdateFeatures, options, rkqu) else { return };
    c.run(
        items::<FeatureUpdateHandle, _>(updates, cnt, |h| h.update.clone()),
        |u| {
            if u.is_empty() {
                return Err(invalid("No feature updates specified"));
            }
            no_duplicates(u.iter().map(|x| &x.feature), "Duplicate features not allowed")
        },
        run::cluster::update_features,
        |r: Vec<FeatureUpdateResult>| -> Payload {
            Box::new(Arr::new(r.iter().map(|x| FeatureUpdateResultHandle {
                tag: tag::FEATURE_UPDATE_RESULT,
                name: cstr(&x.name),
                error: OwnedError::new(&x.err),
            })))
        },
    )
}

/// The event as an UpdateFeatures result, or NULL. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_event_UpdateFeatures_result(
    rkev: *mut rd_kafka_event_t,
) -> *const kafkars_UpdateFeatures_result_t {
    result_of(rkev, AdminOp::UpdateFeatures)
}

/// Each feature's outcome, in request order; owned by the result. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_UpdateFeatures_result_features(
    result: *const kafkars_UpdateFeatures_result_t,
    cntp: *mut size_t,
) -> *mut *const kafkars_FeatureUpdateResult_t {
    out::<FeatureUpdateResultHandle>(result, cntp)
}

/// The feature's name. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_FeatureUpdateResult_name(
    x: *const kafkars_FeatureUpdateResult_t,
) -> *const c_char {
    obj::<FeatureUpdateResultHandle>(x).map_or(null(), |x| x.name.as_ptr())
}

/// Why the feature was not changed (NULL when it was). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_FeatureUpdateResult_error(
    x: *const kafkars_FeatureUpdateResult_t,
) -> *const rd_kafka_error_t {
    obj::<FeatureUpdateResultHandle>(x).map_or(null(), |x| x.error.get())
}

// ---- ListConfigResources ----

/// What `kafkars_ConfigResourceListing_t *` points to.
#[repr(C)]
struct ConfigListingHandle {
    /// tag::CONFIG_LISTING while alive (must stay the first field).
    tag: u64,
    name: CString,
    restype: i8,
}

tagged!(ConfigListingHandle => kafkars_ConfigResourceListing_t, tag::CONFIG_LISTING);

/// The wire's config resource types (KAFKARS_CONFIG_RESOURCE_*).
const CONFIG_RESOURCE_TYPES: [c_int; 5] = [2, 4, 8, 16, 32];

/// Lists the config resources of the `type_cnt` types at `types`
/// (KAFKARS_CONFIG_RESOURCE_*; none: every type), asked of any broker or the options'
/// one. Brokers before Kafka 4.1 (ListConfigResources v0, KIP-714) list client metrics
/// resources only; other types need v1 (KIP-1142). The result
/// (KAFKARS_EVENT_LISTCONFIGRESOURCES_RESULT) is emitted on `rkqu`. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_ListConfigResources(
    rk: *mut rd_kafka_t,
    types: *const kafkars_ConfigResourceType_t,
    type_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::ListConfigResources, options, rkqu) else { return };
    c.run(
        int_array(types, type_cnt).map(|t| t.to_vec()),
        |t| {
            if let Some(x) = t.iter().find(|x| !CONFIG_RESOURCE_TYPES.contains(x)) {
                return Err(invalid(&format!("Invalid config resource type {x}")));
            }
            no_duplicates(t.iter(), "Duplicate config resource types not allowed")
        },
        |ctx, t| run::cluster::list_config_resources(ctx, t.iter().map(|&x| x as i8).collect()),
        |r: Vec<ConfigResourceListing>| -> Payload {
            Box::new(Arr::new(r.iter().map(|x| ConfigListingHandle {
                tag: tag::CONFIG_LISTING,
                name: cstr(&x.name),
                restype: x.restype,
            })))
        },
    )
}

/// The event as a ListConfigResources result, or NULL. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_event_ListConfigResources_result(
    rkev: *mut rd_kafka_event_t,
) -> *const kafkars_ListConfigResources_result_t {
    result_of(rkev, AdminOp::ListConfigResources)
}

/// The resources, in the broker's order; owned by the result. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_ListConfigResources_result_resources(
    result: *const kafkars_ListConfigResources_result_t,
    cntp: *mut size_t,
) -> *mut *const kafkars_ConfigResourceListing_t {
    out::<ConfigListingHandle>(result, cntp)
}

/// The resource's name. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_ConfigResourceListing_name(
    l: *const kafkars_ConfigResourceListing_t,
) -> *const c_char {
    obj::<ConfigListingHandle>(l).map_or(null(), |l| l.name.as_ptr())
}

/// The resource's type (KAFKARS_CONFIG_RESOURCE_*; -1 for NULL). (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_ConfigResourceListing_type(
    l: *const kafkars_ConfigResourceListing_t,
) -> kafkars_ConfigResourceType_t {
    obj::<ConfigListingHandle>(l).map_or(-1, |l| l.restype as c_int)
}
